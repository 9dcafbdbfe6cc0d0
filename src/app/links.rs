//! The link picker: what an annotation links to by a relation of the codebook (a claim's
//! sources), or which annotation it belongs to (the claim a cue introduces).
//!
//! One picker serves every relation: forward it lists the relation's targets (one row per
//! name, its mention nearest the subject), reverse it lists the annotations that may link
//! to the subject, nearest first. Typing filters, Enter links (replacing), Ctrl-A adds
//! another target when the relation takes several.

use super::edit::{commit, current};
use super::{Action, App, Effect, Overlay, Step};
use crate::model::annotation::{Annotation, AnnotationId, excerpt, now_rfc3339};
use crate::model::document::Edit;

/// A mention's name as the picker groups it: case and spacing do not make another name.
pub fn name_key(quote: &str) -> String {
    quote.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// How far `a` is from `from`, in code points (0 when they touch or overlap), and whether
/// it comes after.
fn gap(from: &Annotation, a: &Annotation) -> (usize, bool) {
    let (f, h) = (from.hull(), a.hull());
    (h.start.saturating_sub(f.end).max(f.start.saturating_sub(h.end)), h.start > f.start)
}

/// The order of the picker's rows: annotations in the subject's paragraph first (a cue and
/// its quote, a quote and "Peskov said", share one), then by [`gap`].
fn rank(doc: &crate::model::document::Document, from: &Annotation, a: &Annotation) -> (bool, usize, bool) {
    let para = |x: &Annotation| {
        let i = doc.position(&x.id)?;
        doc.spans[i].and_then(|s| doc.article.paragraph_at(s.start))
    };
    let (d, after) = gap(from, a);
    (para(a).is_none() || para(a) != para(from), d, after)
}

/// `a`: the current annotation's first relation of the codebook, or if it has none, the
/// relation it is a target of (attach a cue to its claim).
pub(super) fn open(app: &mut App) {
    // The labels that link by a relation of their own (claims), so a source nested in a
    // claim does not hide it; a few ids, not a copy of the codebook.
    let linking: Vec<String> = app
        .codebook
        .labels
        .iter()
        .filter(|l| app.codebook.relations_from(&l.id).next().is_some())
        .map(|l| l.id.clone())
        .collect();
    let linkable = |a: &Annotation| linking.contains(&a.label.0);
    let Some(subject) = current(app, Some(&linkable)) else { return };
    let forward = app.codebook.relations_from(subject.label.as_str()).next().map(|r| r.id.clone());
    if let Some(rel) = forward {
        return open_forward(app, &subject, rel);
    }
    let reverse = app.codebook.relations_to(subject.label.as_str()).next().map(|r| r.id.clone());
    match reverse {
        Some(rel) => open_reverse(app, &subject, rel),
        None => {
            let name = app.codebook.label_name(&subject.label);
            app.info(format!("the codebook has no relation for {name}"));
        }
    }
}

/// After tagging: an annotation of a label that belongs to one annotation of another (a cue
/// to its claim: a relation that does not share its targets) opens the reverse picker at
/// once. Whether it did.
pub(super) fn open_attach(app: &mut App, id: &AnnotationId) -> bool {
    let Some(subject) = app.open.as_ref().and_then(|o| o.doc.get(id)).cloned() else { return false };
    let Some(rel) = app.codebook.relations_to(subject.label.as_str()).find(|r| !r.shared).map(|r| r.id.clone()) else {
        return false;
    };
    let any = app.open.as_ref().is_some_and(|o| {
        let from = app.codebook.relation(&rel).map(|r| r.from.clone()).unwrap_or_default();
        o.doc.annotations.iter().any(|a| from.contains(&a.label.0))
    });
    if any {
        open_reverse(app, &subject, rel);
    }
    any
}

fn open_forward(app: &mut App, subject: &Annotation, relation: String) {
    let Some(rel) = app.codebook.relation(&relation).cloned() else { return };
    let o = app.open.as_ref().expect("current() found an open article");
    let linked = subject.linked(&relation);
    // One row per name ("Peskov" mentioned five times is one choice): the mention nearest the
    // claim stands for it (before or after it: "“…,” Peskov said" names the source after the
    // quote). A current target keeps its own row, so it is never hidden.
    let mut by_name: Vec<(String, &Annotation)> = Vec::new();
    for a in o.doc.annotations.iter().filter(|a| rel.to.contains(&a.label.0) && a.id != subject.id) {
        let key = name_key(&a.quote);
        let current = linked.contains(&a.id);
        match by_name.iter_mut().find(|(k, _)| *k == key) {
            Some((_, best))
                if current
                    || (rank(&o.doc, subject, a) < rank(&o.doc, subject, best) && !linked.contains(&best.id)) =>
            {
                *best = a
            }
            Some(_) => {}
            None => by_name.push((key, a)),
        }
    }
    if by_name.is_empty() {
        let to: Vec<String> = rel
            .to
            .iter()
            .map(|l| app.codebook.label_name(&crate::model::annotation::LabelId::new(l.clone())))
            .collect();
        return app.info(format!("this article has no {} yet to link as {}: tag one first", to.join(" or "), rel.name));
    }
    by_name.sort_by_key(|(_, a)| rank(&o.doc, subject, a));
    // Who the sources are first: one row per entity of the article, standing for its
    // mention nearest before the claim (else the nearest after it); the rows by name follow.
    let (mut choices, mut entities) = entity_choices(app, subject, &rel.to);
    choices.extend(by_name.iter().map(|(_, a)| Some(a.id.clone())));
    choices.push(None);
    entities.resize(choices.len(), None);
    let selected = linked.first().and_then(|s| choices.iter().position(|c| c.as_ref() == Some(s))).unwrap_or(0);
    app.overlay = Overlay::Picker {
        subject: subject.id.clone(),
        relation,
        reverse: false,
        choices,
        selected,
        query: String::new(),
        entities,
    };
}

/// The entity rows of the forward picker: each entity the article's mentions (of `to`
/// labels) link to, as it resolves, with the mention a choice links: the nearest before
/// `subject`, else the nearest after it.
fn entity_choices(
    app: &App,
    subject: &Annotation,
    to: &[String],
) -> (Vec<Option<AnnotationId>>, Vec<Option<crate::model::entities::EntityId>>) {
    let (Some(o), Some(reg)) = (app.open.as_ref(), app.registry.as_ref()) else { return (vec![], vec![]) };
    let at = subject.hull().start;
    let mut best: Vec<(crate::model::entities::EntityId, &Annotation)> = Vec::new();
    for a in o.doc.annotations.iter().filter(|a| to.contains(&a.label.0) && a.id != subject.id) {
        let Some(e) = super::mentions::entity_of(Some(reg), a) else { continue };
        // Before the claim beats after it; among those before, the latest; after, the first.
        let score = |m: &Annotation| {
            let s = m.hull().start;
            if s < at { (0, at - s) } else { (1, s - at) }
        };
        match best.iter_mut().find(|(id, _)| *id == e.id) {
            Some((_, b)) if score(a) < score(b) => *b = a,
            Some(_) => {}
            None => best.push((e.id.clone(), a)),
        }
    }
    best.sort_by_key(|(_, a)| rank(&o.doc, subject, a));
    best.into_iter().map(|(e, a)| (Some(a.id.clone()), Some(e))).unzip()
}

fn open_reverse(app: &mut App, subject: &Annotation, relation: String) {
    let Some(rel) = app.codebook.relation(&relation).cloned() else { return };
    let o = app.open.as_ref().expect("the subject is in the open article");
    let mut owners: Vec<&Annotation> =
        o.doc.annotations.iter().filter(|a| rel.from.contains(&a.label.0) && a.id != subject.id).collect();
    if owners.is_empty() {
        return app.info(format!("nothing to attach it to: tag a {} first", rel.from.join(" or ")));
    }
    owners.sort_by_key(|a| rank(&o.doc, subject, a));
    let mut choices: Vec<Option<AnnotationId>> = owners.iter().map(|a| Some(a.id.clone())).collect();
    choices.push(None);
    let owner = owners.iter().position(|a| a.linked(&relation).contains(&subject.id));
    app.overlay = Overlay::Picker {
        subject: subject.id.clone(),
        relation,
        reverse: true,
        choices,
        selected: owner.unwrap_or(0),
        query: String::new(),
        entities: Vec::new(),
    };
}

/// The picker: move, choose, add, Esc.
pub(super) fn picker(app: &mut App, action: Action) -> Step {
    match action {
        Action::MenuDown | Action::MenuUp => {
            let n = picker_rows(app).len();
            if let Overlay::Picker { selected, .. } = &mut app.overlay {
                *selected = match action {
                    Action::MenuDown => (*selected + 1).min(n.saturating_sub(1)),
                    _ => selected.saturating_sub(1),
                };
            }
            Ok(vec![])
        }
        Action::MenuChoose => Ok(choose(app, false)),
        Action::AddSource => Ok(choose(app, true)),
        Action::Cancel => {
            app.overlay = Overlay::None;
            Ok(vec![])
        }
        other => Err(other),
    }
}

/// The picker's rows for what is typed: names containing every typed word, in any case.
pub fn picker_rows(app: &App) -> Vec<Option<AnnotationId>> {
    picker_entries(app).into_iter().map(|(c, _)| c).collect()
}

/// The picker's rows with the entity each entity row stands for (`None` on the rows by
/// name): an entity row matches by the entity's name, the others by their words.
pub fn picker_entries(app: &App) -> Vec<(Option<AnnotationId>, Option<crate::model::entities::EntityId>)> {
    let (Overlay::Picker { choices, query, entities, .. }, Some(o)) = (&app.overlay, &app.open) else {
        return vec![];
    };
    let words: Vec<String> = query.to_lowercase().split_whitespace().map(str::to_owned).collect();
    let entity_name = |e: &crate::model::entities::EntityId| {
        app.registry.as_ref().and_then(|r| r.resolve(e)).map(|e| name_key(&e.name)).unwrap_or_default()
    };
    choices
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clone(), entities.get(i).cloned().flatten()))
        .filter(|(c, e)| match (c.as_ref().and_then(|id| o.doc.get(id)), e) {
            (Some(_), Some(e)) => {
                let name = entity_name(e);
                words.iter().all(|w| name.contains(w.as_str()))
            }
            (Some(a), None) => {
                let name = name_key(&a.full_quote());
                words.iter().all(|w| name.contains(w.as_str()))
            }
            // "(none)" stays while nothing is typed.
            (None, _) => words.is_empty(),
        })
        .collect()
}

/// Typing in the picker filters its rows.
pub(super) fn picker_type(app: &mut App, f: impl FnOnce(&mut String)) {
    if let Overlay::Picker { query, selected, .. } = &mut app.overlay {
        f(query);
        *selected = 0;
    }
}

/// Enter: the chosen target becomes the only one ("(none)" unlinks every one); with
/// `also` (Ctrl-A) it is added to the ones there are ("Russia and Ukraine said": a claim
/// may have several sources), when the relation takes several.
fn choose(app: &mut App, also: bool) -> Vec<Effect> {
    let rows = picker_rows(app);
    let Overlay::Picker { subject, relation, reverse, selected, .. } =
        std::mem::replace(&mut app.overlay, Overlay::None)
    else {
        return vec![];
    };
    let Some(rel) = app.codebook.relation(&relation).cloned() else { return vec![] };
    let Some(choice) = rows.get(selected).cloned() else {
        app.info("nothing matches what was typed");
        return vec![];
    };
    if reverse {
        return attach(app, &subject, &rel, choice);
    }
    let Some(before) = app.open.as_ref().and_then(|o| o.doc.get(&subject)).cloned() else { return vec![] };
    let mut after = before.clone();
    match (&choice, also) {
        (Some(_), true) if !rel.many => {
            app.info(format!("the codebook allows one {} here; Enter replaces it", rel.name));
            return vec![];
        }
        (Some(s), true) if before.linked(&relation).contains(s) => {
            app.info(format!("already one of its {}s", rel.name));
            return vec![];
        }
        (Some(s), true) => {
            after.link(&relation, s.clone());
        }
        (Some(s), false) => {
            after.links.insert(relation.clone(), vec![s.clone()]);
        }
        (None, _) => {
            after.links.remove(&relation);
        }
    }
    if after == before {
        app.info(format!("{} unchanged", rel.name));
        return vec![];
    }
    let doc = &app.open.as_ref().expect("the subject is in the open article").doc;
    let names: Vec<String> = after
        .linked(&relation)
        .iter()
        .filter_map(|s| doc.get(s))
        .map(|s| format!("“{}”", excerpt(&s.quote, 30)))
        .collect();
    let what = app.codebook.describe(&before).to_lowercase();
    let attribution = app.codebook.source_relation().is_some_and(|r| r.id == relation);
    let msg = match (names.is_empty(), attribution) {
        (true, true) => format!("{what} source removed"),
        (true, false) => format!("{what} {} removed", rel.name),
        (false, true) => format!("{what} attributed to {}", names.join(" and ")),
        (false, false) => format!("{what} {}: {}", rel.name, names.join(" and ")),
    };
    after.modified = now_rfc3339();
    let id = before.id.clone();
    super::edit::commit_adjusting(app, vec![Edit::Update { before, after }], &id, msg)
}

/// Reverse Enter: `owner` links to `subject` by `rel` (the claim gets the cue). A target
/// that belongs to one annotation leaves the one it belonged to, in the same undo step.
fn attach(
    app: &mut App,
    subject: &AnnotationId,
    rel: &crate::model::codebook::RelationDef,
    owner: Option<AnnotationId>,
) -> Vec<Effect> {
    let Some(o) = app.open.as_ref() else { return vec![] };
    let now = now_rfc3339();
    let mut edits = Vec::new();
    for a in &o.doc.annotations {
        let has = a.linked(&rel.id).contains(subject);
        let wanted = owner.as_ref() == Some(&a.id);
        let mut after = a.clone();
        if wanted && !has {
            if !rel.many && !a.linked(&rel.id).is_empty() {
                after.links.remove(&rel.id);
            }
            after.link(&rel.id, subject.clone());
        } else if has && !wanted && (!rel.shared || owner.is_none()) {
            after.links.get_mut(&rel.id).into_iter().for_each(|v| v.retain(|t| t != subject));
            after.links.retain(|_, v| !v.is_empty());
        }
        if after != *a {
            after.modified = now.clone();
            edits.push(Edit::Update { before: a.clone(), after });
        }
    }
    if edits.is_empty() {
        app.info(format!("{} unchanged", rel.name));
        return vec![];
    }
    let msg = match owner.as_ref().and_then(|id| o.doc.get(id)) {
        Some(a) => format!("attached as the {} of {} “{}”", rel.name, app.codebook.describe(a), excerpt(&a.quote, 30)),
        None => format!("detached ({})", rel.name),
    };
    match owner {
        // The claim given its cue is the one a person adjusted.
        Some(id) => super::edit::commit_adjusting(app, edits, &id, msg),
        None => commit(app, edits, msg),
    }
}
