//! Who a source is: linking a mention (a span of a label that mentions entities, a Source)
//! to an entity of the corpus's registry.
//!
//! Tagging such a span opens the entity picker at once, with the registry's proposal for
//! the words tagged selected (an alias, or for "he" the last compatible entity mentioned
//! before it), so a right proposal costs one key: Enter. Typing filters every entity
//! fuzzily; one key creates a new entity from the mention and then asks the codebook's
//! required entity attributes, value by key as the other menus do. The link itself is an
//! annotation edit (one undo step of the article); a new entity made with it is a registry
//! change tied to that step, so one `u` takes both back.

use super::edit::{commit, current};
use super::{Action, App, Effect, Focus, Overlay, SidebarFilter, Step};
use crate::model::annotation::{Annotation, AnnotationId, AttrValue, excerpt, now_rfc3339};
use crate::model::codebook::AttrKind;
use crate::model::document::Edit;
use crate::model::entities::{EntityId, Registry, Why, fuzzy_rank, name_from_mention, normalize, propose};

/// A registry change made together with an article edit (a new entity and its first
/// link): the article's undo depth and the registry's right after both, so undoing that
/// article step also undoes the registry step (and redo likewise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The entity made.
    pub entity: EntityId,
    pub article: String,
    pub article_depth: usize,
    pub entity_depth: usize,
}

/// The entity of `a`, as it resolves now (a merged entity stands for the one it went into).
pub fn entity_of<'r>(registry: Option<&'r Registry>, a: &Annotation) -> Option<&'r crate::model::entities::Entity> {
    registry?.resolve(a.entity.as_ref()?)
}

/// The entities the article's mentions before `mention` link to, in text order: what a
/// pronoun or a bare surname may refer to.
fn earlier(app: &App, mention: &Annotation) -> Vec<EntityId> {
    let Some(o) = &app.open else { return vec![] };
    o.doc
        .annotations
        .iter()
        .filter(|a| a.id != mention.id && a.start < mention.start && app.codebook.mentions_entity(&a.label))
        .filter_map(|a| a.entity.clone())
        .collect()
}

/// After tagging `id`: a mention opens the entity picker. Whether it did.
pub(super) fn after_tag(app: &mut App, id: &AnnotationId) -> bool {
    let Some(a) = app.open.as_ref().and_then(|o| o.doc.get(id)).cloned() else { return false };
    let Some(r) = app.registry.as_ref().filter(|_| app.codebook.mentions_entity(&a.label)) else { return false };
    // With no entity yet there is nothing to propose: a picker would only swallow the next
    // keys as a filter. The message says how to make the first one.
    if r.live().next().is_none() {
        let hint = app.keymap.keys_for(super::keymap::Mode::Reader, &Action::LinkEntity).join("/");
        if let Some(m) = app.message.as_mut() {
            m.text.push_str(&format!(" — {hint} then Ctrl-N makes its entity"));
        }
        return false;
    }
    open_for(app, &a);
    true
}

/// The key that opens the picker on the mention under the cursor (or the sidebar's).
pub(super) fn open(app: &mut App) {
    if app.registry.is_none() {
        return app.info("the codebook defines no entities");
    }
    // The labels that mention entities, so a claim around a source does not hide it.
    let labels: Vec<String> = app.codebook.entities.as_ref().map(|e| e.mentions.clone()).unwrap_or_default();
    let keep = |a: &Annotation| labels.contains(&a.label.0);
    let Some(a) = current(app, Some(&keep)) else { return };
    if !app.codebook.mentions_entity(&a.label) {
        let name = app.codebook.label_name(&a.label);
        return app.info(format!("a {name} names no entity: put the cursor on a source"));
    }
    open_for(app, &a);
}

fn open_for(app: &mut App, a: &Annotation) {
    let Some(r) = app.registry.as_ref() else { return };
    let proposals = propose(&a.full_quote(), &earlier(app, a), r, &app.codebook);
    // A mention already linked starts on its entity; else on the proposal.
    let linked = entity_of(Some(r), a).map(|e| e.id.clone());
    let selected = linked.and_then(|id| proposals.iter().position(|p| p.entity == id)).unwrap_or(0);
    app.overlay = Overlay::Entity {
        mention: a.id.clone(),
        proposals: proposals.into_iter().map(|p| (p.entity, p.why)).collect(),
        selected,
        query: String::new(),
    };
}

/// The picker's rows: the proposals in order while nothing is typed, else every entity
/// matching what is typed, best first (each with its reason, when it was proposed).
pub fn rows(app: &App) -> Vec<(EntityId, Option<Why>)> {
    let (Overlay::Entity { proposals, query, .. }, Some(r)) = (&app.overlay, app.registry.as_ref()) else {
        return vec![];
    };
    let why = |id: &EntityId| proposals.iter().find(|(p, _)| p == id).map(|(_, w)| *w).filter(|w| *w < Why::Other);
    if query.trim().is_empty() {
        return proposals.iter().map(|(id, _)| (id.clone(), why(id))).collect();
    }
    fuzzy_rank(query, r).into_iter().map(|id| (id.clone(), why(&id))).collect()
}

/// Typing in the picker filters its rows.
pub(super) fn picker_type(app: &mut App, f: impl FnOnce(&mut String)) {
    if let Overlay::Entity { query, selected, .. } = &mut app.overlay {
        f(query);
        *selected = 0;
    }
}

/// The entity picker's keys: move, link, new, unlink, alias, Esc (the mention stays
/// unlinked).
pub(super) fn picker(app: &mut App, action: Action) -> Step {
    let Overlay::Entity { mention, selected, .. } = app.overlay.clone() else { return Err(action) };
    match action {
        Action::MenuDown | Action::MenuUp => {
            let n = rows(app).len();
            if let Overlay::Entity { selected, .. } = &mut app.overlay {
                *selected = match action {
                    Action::MenuDown => (*selected + 1).min(n.saturating_sub(1)),
                    _ => selected.saturating_sub(1),
                };
            }
            Ok(vec![])
        }
        Action::MenuChoose => {
            let Some((id, _)) = rows(app).get(selected).cloned() else {
                app.info("no entity matches what was typed: Ctrl-N makes a new one");
                return Ok(vec![]);
            };
            app.overlay = Overlay::None;
            Ok(link(app, &mention, Some(id)))
        }
        Action::NewEntity => {
            app.overlay = Overlay::None;
            Ok(create(app, &mention))
        }
        Action::UnlinkEntity => {
            app.overlay = Overlay::None;
            Ok(link(app, &mention, None))
        }
        Action::AliasEntity => {
            app.overlay = Overlay::None;
            Ok(alias(app, &mention))
        }
        Action::Cancel => {
            app.overlay = Overlay::None;
            app.info("left without an entity — @ on it links it later");
            Ok(vec![])
        }
        other => Err(other),
    }
}

/// Sets (or with `None` clears) the entity of `mention`: one annotation edit.
fn link(app: &mut App, mention: &AnnotationId, entity: Option<EntityId>) -> Vec<Effect> {
    let Some(before) = app.open.as_ref().and_then(|o| o.doc.get(mention)).cloned() else { return vec![] };
    if before.entity == entity {
        app.info("entity unchanged");
        return vec![];
    }
    let mut after = before.clone();
    after.entity = entity.clone();
    after.modified = now_rfc3339();
    let name = entity.as_ref().and_then(|id| app.registry.as_ref()?.resolve(id)).map(|e| e.name.clone());
    let msg = match name {
        Some(n) => format!("“{}” is {n} — u to undo", excerpt(&before.quote, 30)),
        None => format!("“{}” unlinked from its entity", excerpt(&before.quote, 30)),
    };
    commit(app, vec![Edit::Update { before, after }], msg)
}

/// A new entity from the mention ("Kremlin spokesman Dmitry Peskov" → Dmitry Peskov, the
/// words used kept as an alias), linked at once; then its required attributes are asked.
fn create(app: &mut App, mention: &AnnotationId) -> Vec<Effect> {
    let Some(a) = app.open.as_ref().and_then(|o| o.doc.get(mention)).cloned() else { return vec![] };
    let Some(r) = app.registry.as_ref() else { return vec![] };
    let quote = a.full_quote();
    let name = name_from_mention(&quote);
    let aliases: Vec<&str> = if normalize(&quote) != normalize(&name) { vec![quote.as_str()] } else { vec![] };
    let (id, change) = match r.add(&name, &aliases, &app.author) {
        Ok(x) => x,
        Err(e) => {
            app.error(format!("no new entity: {e}"));
            return vec![];
        }
    };
    let mut effects = match app.change_entities(vec![change]) {
        Ok(e) => e,
        Err(e) => {
            app.error(format!("no new entity: {e}"));
            return vec![];
        }
    };
    let linked = link(app, mention, Some(id.clone()));
    if linked.is_empty() {
        // The article refused the link (read-only): the entity alone would be a stray.
        let _ = app.undo_entities();
        effects = app.save_entities();
        return effects;
    }
    effects.extend(linked);
    if let Some(o) = &app.open {
        let article = o.doc.article.id.clone();
        let article_depth = app.history.get(&article).map_or(0, |h| h.undo.len());
        app.entity_history.ties.push(Tie {
            entity: id.clone(),
            article,
            article_depth,
            entity_depth: app.entity_history.undo.len(),
        });
    }
    if let Some(m) = app.message.as_mut() {
        m.text = format!("new entity {name} ({id}) — u undoes both");
    }
    ask_next(app, &id, None, false);
    effects
}

/// The entity attribute asked next, after `after`: the first required one-of attribute
/// `id` has no value for, or with `every` the next one-of attribute in codebook order.
fn ask_next(app: &mut App, id: &EntityId, after: Option<&str>, every: bool) {
    let Some(e) = app.registry.as_ref().and_then(|r| r.get(id)) else { return };
    let one: Vec<&crate::model::codebook::AttributeDef> =
        app.codebook.entity_attributes().iter().filter(|d| matches!(d.kind, AttrKind::One(_))).collect();
    let next = if every {
        let from = after.and_then(|a| one.iter().position(|d| d.id == a)).map_or(0, |i| i + 1);
        one.get(from).copied()
    } else {
        one.into_iter().find(|d| d.required && !e.attributes.contains_key(&d.id))
    };
    if let Some(d) = next {
        app.overlay = Overlay::EntityValues { entity: id.clone(), attribute: d.id.clone(), every };
    }
}

/// Keys in the entity attribute menu: only closing it (skipping what is left).
pub(super) fn values_menu(app: &mut App, action: Action) -> Step {
    match action {
        Action::Cancel => {
            app.overlay = Overlay::None;
            Ok(vec![])
        }
        other => Err(other),
    }
}

/// A value's key typed in the entity attribute menu: that value is set (a registry change
/// of its own), and the next required attribute is asked.
pub(super) fn values_key(app: &mut App, key: char) -> Vec<Effect> {
    let Overlay::EntityValues { entity, attribute, every } = app.overlay.clone() else { return vec![] };
    let Some(def) = app.codebook.entity_attribute(&attribute) else { return vec![] };
    let Some(value) = def.kind.values().iter().find(|v| v.key == key.to_string()).map(|v| v.id.clone()) else {
        app.info(format!("no value of {} has the key {key}; Esc skips", def.name));
        return vec![];
    };
    let name = def.name.clone();
    let value = AttrValue::One(value);
    let shown = app.codebook.entity_value_name(&attribute, &value);
    app.overlay = Overlay::None;
    let Some(r) = app.registry.as_ref() else { return vec![] };
    let change = match r.set_attribute(&entity, &attribute, Some(value)) {
        Ok(c) => c,
        Err(e) => {
            app.error(format!("{name} not set: {e}"));
            return vec![];
        }
    };
    // Right after creating the entity its attributes join the step that made it, so the
    // one `u` that takes the new entity back takes them too.
    let eh = &app.entity_history;
    let fresh = eh.ties.last().is_some_and(|t| t.entity == entity && t.entity_depth == eh.undo.len());
    let effects = if fresh {
        match app.registry.as_mut().map(|r| r.apply(std::slice::from_ref(&change))) {
            Some(Ok(())) => {
                // The step's addition now adds the entity with the value (the registry
                // checks each change of a step against the state before the step).
                let step = app.entity_history.undo.last_mut().expect("the tie's step");
                match step.iter_mut().find(|c| c.before.is_none() && c.after.as_ref().is_some_and(|e| e.id == entity)) {
                    Some(added) => added.after = change.after,
                    None => step.push(change),
                }
                app.save_entities()
            }
            Some(Err(e)) => {
                app.error(format!("{name} not set: {e}"));
                return vec![];
            }
            None => return vec![],
        }
    } else {
        match app.change_entities(vec![change]) {
            Ok(e) => e,
            Err(e) => {
                app.error(format!("{name} not set: {e}"));
                return vec![];
            }
        }
    };
    app.info(format!("{name}: {shown}"));
    ask_next(app, &entity, Some(&attribute), every);
    effects
}

/// `=` on a mention whose entity is known: the entity's one-of attributes, asked one after
/// another (all of them, set or not; Esc stops).
pub(super) fn open_entity_attributes(app: &mut App) -> Option<Vec<Effect>> {
    let a = app.open.as_ref().and_then(|o| current_quiet(app, o))?;
    let e = entity_of(app.registry.as_ref(), &a)?;
    let id = e.id.clone();
    app.codebook.entity_attributes().iter().find(|d| matches!(d.kind, AttrKind::One(_)))?;
    ask_next(app, &id, None, true);
    Some(vec![])
}

/// The annotation `=` would act on, without the "no annotation here" message.
fn current_quiet(app: &App, o: &super::OpenArticle) -> Option<Annotation> {
    let i = match app.focus {
        Focus::Sidebar => Some(app.sidebar.selected).filter(|&i| i < o.doc.annotations.len()),
        _ => o.doc.annotation_at(app.reader.cursor),
    }?;
    Some(o.doc.annotations[i].clone()).filter(|a| app.codebook.mentions_entity(&a.label))
}

/// Adds the mention's words as an alias of its entity, so the next "Peskov" is proposed by
/// name.
fn alias(app: &mut App, mention: &AnnotationId) -> Vec<Effect> {
    let Some(a) = app.open.as_ref().and_then(|o| o.doc.get(mention)).cloned() else { return vec![] };
    let Some(e) = entity_of(app.registry.as_ref(), &a).cloned() else {
        app.info("link it to an entity first (Enter), then Ctrl-A adds its words as an alias");
        return vec![];
    };
    let quote = a.full_quote();
    let Some(r) = app.registry.as_ref() else { return vec![] };
    match r.alias(&e.id, &quote) {
        Ok(None) => {
            app.info(format!("{} already goes by “{}”", e.name, excerpt(&quote, 30)));
            vec![]
        }
        Ok(Some(change)) => match app.change_entities(vec![change]) {
            Ok(effects) => {
                app.info(format!("“{}” is now an alias of {}", excerpt(&quote, 30), e.name));
                effects
            }
            Err(err) => {
                app.error(format!("alias not added: {err}"));
                vec![]
            }
        },
        Err(err) => {
            app.error(format!("alias not added: {err}"));
            vec![]
        }
    }
}

/// `u` / Ctrl-R in the reader and the sidebar: the article's step, and with it the registry
/// step tied to it (a new entity made with its first link).
pub(super) fn undo_redo(app: &mut App, undo: bool) -> Vec<Effect> {
    let article = app.open.as_ref().map(|o| o.doc.article.id.clone());
    let depth = |app: &App| {
        let h = article.as_ref().and_then(|a| app.history.get(a));
        h.map_or(0, |h| if undo { h.undo.len() } else { h.redo.len() })
    };
    let eh = &app.entity_history;
    let (ties, edepth) = if undo { (&eh.ties, eh.undo.len()) } else { (&eh.redo_ties, eh.redo.len()) };
    let tied = ties.last().is_some_and(|t| {
        Some(&t.article) == article.as_ref() && t.article_depth == depth(&*app) && t.entity_depth == edepth
    });
    let mut effects = super::edit::undo_redo(app, undo);
    if !tied {
        return effects;
    }
    let moved = if undo { app.entity_history.ties.pop() } else { app.entity_history.redo_ties.pop() };
    let text = app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default();
    let result = if undo { app.undo_entities() } else { app.redo_entities() };
    match result {
        Ok(Some(e)) => {
            effects.extend(e);
            if let (Some(mut t), Some(a)) = (moved, article.clone()) {
                // Where the step went: the other stack of each history.
                let h = app.history.get(&a);
                t.article_depth = h.map_or(0, |h| if undo { h.redo.len() } else { h.undo.len() });
                t.article = a;
                t.entity_depth = if undo { app.entity_history.redo.len() } else { app.entity_history.undo.len() };
                if undo { app.entity_history.redo_ties.push(t) } else { app.entity_history.ties.push(t) }
            }
            let what = if undo { "the new entity removed" } else { "the new entity back" };
            app.info(format!("{text}; {what}"));
        }
        Ok(None) => {}
        Err(e) => app.error(format!("{text}; the entity could not follow: {e}")),
    }
    effects
}

/// The article's mentions grouped by entity, for the sidebar: each entity (as it resolves)
/// once, in the order it is first mentioned, its mentions in text order; the unlinked ones
/// last. Per article, so a frame costs what the article has.
pub fn groups(app: &App) -> Vec<(Option<EntityId>, Vec<usize>)> {
    let Some(o) = &app.open else { return vec![] };
    let mut out: Vec<(Option<EntityId>, Vec<usize>)> = Vec::new();
    let mut loose = Vec::new();
    for (i, a) in o.doc.annotations.iter().enumerate().filter(|(_, a)| app.codebook.mentions_entity(&a.label)) {
        // An id the registry lacks still groups (by itself): it is shown as missing.
        let key = match (entity_of(app.registry.as_ref(), a), &a.entity) {
            (Some(e), _) => Some(e.id.clone()),
            (None, Some(id)) => Some(id.clone()),
            (None, None) => None,
        };
        match key {
            None => loose.push(i),
            Some(k) => match out.iter_mut().find(|(g, _)| g.as_ref() == Some(&k)) {
                Some((_, v)) => v.push(i),
                None => out.push((Some(k), vec![i])),
            },
        }
    }
    if !loose.is_empty() {
        out.push((None, loose));
    }
    out
}

/// The grouped sidebar's lines as drawn: a header (`None`) per entity, then its mentions
/// (`Some(annotation index)`), and the first line shown for a list `height` lines high (the
/// selected mention kept in view). The view draws from this and a click maps through it.
pub fn grouped_lines(app: &App, height: usize) -> (Vec<Option<usize>>, usize) {
    let mut lines = Vec::new();
    let mut at = 0;
    for (_, members) in groups(app) {
        lines.push(None);
        for i in members {
            if i == app.sidebar.selected {
                at = lines.len();
            }
            lines.push(Some(i));
        }
    }
    (lines, (at + 1).saturating_sub(height))
}

/// The sidebar rows while grouped by entity: the mentions in group order.
pub fn grouped_rows(app: &App) -> Vec<usize> {
    groups(app).into_iter().flat_map(|(_, v)| v).collect()
}

/// j/k in the grouped sidebar: the next mention in group order.
pub(super) fn grouped_move(app: &mut App, down: bool) {
    let rows = grouped_rows(app);
    let at = rows.iter().position(|&i| i == app.sidebar.selected);
    let k = match (at, down) {
        (None, _) => 0,
        (Some(k), true) => (k + 1).min(rows.len().saturating_sub(1)),
        (Some(k), false) => k.saturating_sub(1),
    };
    if let Some(&i) = rows.get(k) {
        app.sidebar.selected = i;
        super::reader::preview(app, i);
    }
}

/// The sidebar key that groups the sources by entity, and back.
pub(super) fn toggle_groups(app: &mut App) {
    if app.sidebar.filter == SidebarFilter::ByEntity {
        app.sidebar.filter = SidebarFilter::All;
        return app.info("sidebar: all");
    }
    app.sidebar.filter = SidebarFilter::ByEntity;
    app.sidebar.offset = 0;
    let rows = grouped_rows(app);
    match rows.first() {
        None => app.info("sidebar: by entity — no sources in this article"),
        Some(&first) => {
            if !rows.contains(&app.sidebar.selected) {
                app.sidebar.selected = first;
            }
            let n = groups(app).iter().filter(|(g, _)| g.is_some()).count();
            app.info(format!("sidebar: {} sources of {n} entities", rows.len()));
        }
    }
}

/// The claims attributed to mentions in `mentions` (by the codebook's attribution).
pub fn claims_of(app: &App, mentions: &[usize]) -> usize {
    let (Some(o), Some(rel)) = (&app.open, app.codebook.source_relation()) else { return 0 };
    let ids: Vec<&AnnotationId> = mentions.iter().filter_map(|&i| o.doc.annotations.get(i)).map(|a| &a.id).collect();
    o.doc.annotations.iter().filter(|c| c.linked(&rel.id).iter().any(|t| ids.contains(&t))).count()
}

#[cfg(test)]
mod tests;
