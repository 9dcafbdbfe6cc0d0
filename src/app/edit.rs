//! Changes to annotations: tagging, fragments, notes, spans, deletion, undo and redo.
//!
//! Every change goes through [`commit`], which applies a group of [`Edit`]s, records it for
//! undo and asks the loop to save at once. A read-only document (bad RON file) refuses the
//! change with the reason, so the file on disk is never touched. What a label, attribute or
//! relation is comes from the codebook (`app.codebook`); the menus that set them are in
//! `menus`, the link picker in `links`.

use super::{Action, App, Effect, Focus, Overlay, PromptKind, Step, ValuesFor, reader};
use crate::model::annotation::{Annotation, AnnotationId, Fragment, LabelId, excerpt, now_rfc3339};
use crate::model::document::{Edit, Stale};
use crate::model::motion as mv;
use crate::model::save::Conflict;
use crate::model::units::ByteRange;

/// Which end of a span an adjustment moves.
#[derive(Clone, Copy)]
enum Edge {
    Start,
    End,
}

/// The annotation commands of the reader and the sidebar; anything else is passed on.
pub(super) fn update(app: &mut App, action: Action) -> Step {
    Ok(match action {
        Action::Tag(label) => tag_with(app, &label),
        Action::AddFragment => add_fragment(app),
        Action::Attribute => {
            super::links::open(app);
            vec![]
        }
        Action::OpenAttributes => match super::mentions::open_entity_attributes(app) {
            Some(effects) => effects,
            None => super::menus::open_attributes(app),
        },
        Action::LinkEntity => {
            super::mentions::open(app);
            vec![]
        }
        Action::ShowCodebook => {
            app.overlay = Overlay::Codebook { scroll: 0 };
            vec![]
        }
        Action::EditNote => {
            if let Some(a) = current(app, None) {
                let (id, text) = (a.id.clone(), a.note.clone().unwrap_or_default());
                app.overlay = Overlay::Prompt { kind: PromptKind::Note(id), cursor: text.len(), text };
            }
            vec![]
        }
        Action::Delete => delete(app),
        Action::OpenRelabel => {
            super::menus::open_relabel(app);
            vec![]
        }
        Action::GrowEnd => adjust(app, Edge::End, true),
        Action::ShrinkEnd => adjust(app, Edge::End, false),
        Action::GrowStart => adjust(app, Edge::Start, true),
        Action::ShrinkStart => adjust(app, Edge::Start, false),
        Action::Retarget => super::attention::retarget(app),
        Action::Undo => super::mentions::undo_redo(app, true),
        Action::Redo => super::mentions::undo_redo(app, false),
        other => return super::suggest::update(app, other),
    })
}

/// The annotation an action applies to: the sidebar's selection when the sidebar has the
/// focus, else the innermost one under the cursor (of those `keep` accepts, when given, so a
/// source nested in a quote does not hide the claim around it).
pub(super) fn current(app: &mut App, keep: Option<&dyn Fn(&Annotation) -> bool>) -> Option<Annotation> {
    let o = app.open.as_ref()?;
    let i = match app.focus {
        Focus::Sidebar => Some(app.sidebar.selected).filter(|&i| i < o.doc.annotations.len()),
        _ => match keep {
            Some(keep) => {
                o.doc.annotation_at_with(app.reader.cursor, keep).or_else(|| o.doc.annotation_at(app.reader.cursor))
            }
            None => o.doc.annotation_at(app.reader.cursor),
        },
    };
    let found = i.map(|i| o.doc.annotations[i].clone());
    if found.is_none() {
        app.info("no annotation here: put the cursor on one, or pick one in the sidebar");
    }
    found
}

/// Applies a group of edits as one undo step and requests a save.
pub(super) fn commit(app: &mut App, edits: Vec<Edit>, message: String) -> Vec<Effect> {
    let Some(o) = app.open.as_mut() else { return vec![] };
    if let Some(why) = &o.doc.read_only {
        let msg = format!("read-only, not changed: {why}");
        app.error(msg);
        return vec![];
    }
    let applied: Vec<Edit> = edits.into_iter().filter(|e| o.doc.apply(e)).collect();
    if applied.is_empty() {
        return vec![];
    }
    let h = app.history.entry(o.doc.article.id.clone()).or_default();
    h.undo.push(applied);
    h.redo.clear();
    app.info(message);
    save_effect(app)
}

/// Like [`commit`], for a person's adjustment of annotation `id` (its span, label, kind or
/// links): a suggestion adjusted is accepted with what it links to (`review::adjusted`), and
/// the message says so, with how many are left and the key that goes on to the next one.
/// The selected annotation stays selected (its place in the order may have changed), and the
/// adjusted one is remembered, so the `A` that follows moves on as a plain accept does.
pub(super) fn commit_adjusting(app: &mut App, edits: Vec<Edit>, id: &AnnotationId, message: String) -> Vec<Effect> {
    let Some(o) = app.open.as_ref() else { return vec![] };
    let was = edits.clone();
    let edits = crate::model::suggest::review::adjusted(&o.doc.annotations, edits, id, &now_rfc3339());
    let accepted = edits != was;
    let selected = o.doc.annotations.get(app.sidebar.selected).map(|a| a.id.clone());
    let effects = commit(app, edits, message.clone());
    if effects.is_empty() {
        return effects;
    }
    // The annotation selected stays selected when the change moved it in the order (a span
    // grown at its start).
    if let Some(i) = selected.and_then(|s| app.open.as_ref().and_then(|o| o.doc.position(&s))) {
        app.sidebar.selected = i;
    }
    if accepted {
        app.reader.adjusted = Some(id.clone());
        // First, so the count shows however long the quote is.
        let hint = super::suggest::after_adjusting_hint(app);
        app.info(format!("suggestion accepted{hint} — {message}"));
    }
    effects
}

pub(super) fn save_effect(app: &App) -> Vec<Effect> {
    app.open.iter().map(|o| Effect::save(o.entry, &o.doc)).collect()
}

/// Tags the selection with `label`; a label with an attribute asked on tagging (the
/// boilerplate kind) first asks for its value.
fn tag_with(app: &mut App, label: &str) -> Vec<Effect> {
    if reader::selection(app).is_none() {
        let key = app.codebook.label(label).map_or(String::new(), |l| l.key.clone());
        app.info(format!("select text first: v, then a motion or a text object (is, iq, aq), then {key}"));
        return vec![];
    }
    if let Some(asked) = app.codebook.asked_on_tag(label) {
        app.overlay =
            Overlay::Values { purpose: ValuesFor::Tag { label: label.to_owned(), attribute: asked.id.clone() } };
        return vec![];
    }
    tag(app, LabelId::new(label), None)
}

/// Tags the selection with `label` (and a first attribute value, from the tag menu).
pub(super) fn tag(
    app: &mut App,
    label: LabelId,
    value: Option<(String, crate::model::annotation::AttrValue)>,
) -> Vec<Effect> {
    let Some(sel) = reader::selection(app) else {
        app.info("select text first: v, then a motion or a text object (is, iq, aq)");
        return vec![];
    };
    let Some(o) = app.open.as_ref() else { return vec![] };
    let Some(bytes) = o.doc.trimmed(sel) else {
        app.info("the selection is only whitespace; nothing tagged");
        return vec![];
    };
    // The same label on the same span twice is never meant: point at the one there is.
    let chars = o.doc.article.index.to_chars(&o.doc.article.text, bytes);
    // The same label on an open suggestion's span is the person deciding to keep it: it is
    // accepted (with the value chosen, and what it links to), not tagged a second time.
    if let Some(same) = o.doc.identical(&label, chars).filter(|a| a.is_proposed()) {
        let before = same.clone();
        let mut after = before.clone();
        if let Some((attr, v)) = value {
            after.attributes.insert(attr, v);
        }
        after.modified = now_rfc3339();
        let msg = format!("tagged {} “{}”", app.codebook.describe(&after), excerpt(&after.quote, 40));
        let id = before.id.clone();
        app.reader.anchor = None;
        if let Some(i) = o.doc.position(&id) {
            app.sidebar.selected = i;
        }
        return commit_adjusting(app, vec![Edit::Update { before, after }], &id, msg);
    }
    if let Some(same) = o.doc.identical(&label, chars) {
        let id = same.id.clone();
        app.reader.anchor = None;
        if let Some(i) = o.doc.position(&id) {
            app.sidebar.selected = i;
        }
        let what = app.codebook.describe(&o.doc.annotations[app.sidebar.selected]);
        app.info(format!(
            "already tagged: {what} “{}” ({id})",
            excerpt(&o.doc.annotations[app.sidebar.selected].quote, 40)
        ));
        return vec![];
    }
    let t = &o.doc.article.text;
    let mut ann = Annotation::new_manual(label.clone(), t, bytes, chars, &app.author, &now_rfc3339());
    if let Some((attr, v)) = value {
        ann.attributes.insert(attr, v);
    }
    let msg = format!("tagged {} “{}”", app.codebook.describe(&ann), excerpt(&ann.quote, 40));
    let id = ann.id.clone();
    app.reader.anchor = None;
    let effects = commit(app, vec![Edit::Insert(ann)], msg);
    if let Some(i) = app.open.as_ref().and_then(|o| o.doc.position(&id)) {
        app.sidebar.selected = i;
        // A source is asked who it is at once: the proposal is one Enter away.
        if super::mentions::after_tag(app, &id) {
            return effects;
        }
        // A label that belongs to one annotation of another label (a cue to its claim) is
        // attached right away; one that links to others (a claim to its source) is told how.
        if super::links::open_attach(app, &id) {
            return effects;
        }
        if app.codebook.relations_from(label.as_str()).next().is_some() {
            let hint = app.keymap.keys_for(super::keymap::Mode::Reader, &Action::Attribute).join("/");
            let what =
                app.codebook.relations_from(label.as_str()).map(|r| r.name.clone()).collect::<Vec<_>>().join(", ");
            if let Some(m) = app.message.as_mut() {
                m.text.push_str(&format!(" — {hint} on it to link its {what}"));
            }
        }
    }
    effects
}

/// Adds the selection as another fragment of the annotation selected in the sidebar (the
/// one just tagged, or the one chosen there): a quote interrupted by "he said" stays one.
fn add_fragment(app: &mut App) -> Vec<Effect> {
    let Some(sel) = reader::selection(app) else {
        app.info("select the next piece first (v …), then + adds it to the selected annotation");
        return vec![];
    };
    let Some(o) = app.open.as_ref() else { return vec![] };
    let Some(before) = o.doc.annotations.get(app.sidebar.selected).cloned() else {
        app.info("no annotation selected: tag the first piece, then select the next and press +");
        return vec![];
    };
    let Some(bytes) = o.doc.trimmed(sel) else {
        app.info("the selection is only whitespace; nothing added");
        return vec![];
    };
    let t = &o.doc.article.text;
    let chars = o.doc.article.index.to_chars(t, bytes);
    if before.pieces().any(|(r, _)| r.start < chars.end && chars.start < r.end) {
        app.info("the selection overlaps a piece the annotation has; select text outside it");
        return vec![];
    }
    let mut after = before.clone();
    let piece = Fragment::over(t, bytes, chars);
    // Pieces stay in text order, the first in the annotation's own fields.
    let mut all: Vec<Fragment> = std::iter::once(Fragment {
        start: after.start,
        end: after.end,
        quote: after.quote.clone(),
        prefix: after.prefix.clone(),
        suffix: after.suffix.clone(),
    })
    .chain(after.fragments.drain(..))
    .chain(std::iter::once(piece))
    .collect();
    all.sort_by_key(|f| (f.start, f.end));
    let first = all.remove(0);
    (after.start, after.end, after.quote, after.prefix, after.suffix) =
        (first.start, first.end, first.quote, first.prefix, first.suffix);
    after.fragments = all;
    after.modified = now_rfc3339();
    app.reader.anchor = None;
    let msg = format!(
        "{} “{}” now has {} pieces — u to undo",
        app.codebook.describe(&before),
        excerpt(&before.quote, 30),
        after.fragments.len() + 1
    );
    let id = before.id.clone();
    commit_adjusting(app, vec![Edit::Update { before, after }], &id, msg)
}

/// Grows or shrinks the annotation under the cursor (or the sidebar's) by one word at one
/// edge. The span never becomes empty and never starts or ends in whitespace.
fn adjust(app: &mut App, edge: Edge, grow: bool) -> Vec<Effect> {
    let Some(before) = current(app, None) else { return vec![] };
    let Some(o) = app.open.as_ref() else { return vec![] };
    let Some(i) = o.doc.position(&before.id) else { return vec![] };
    // A fragmented annotation's edges are its first piece's start and its last piece's end.
    let pieces: Vec<ByteRange> = o.doc.pieces(i).collect();
    let k = match edge {
        Edge::Start => 0,
        Edge::End => pieces.len().saturating_sub(1),
    };
    let Some(&span) = pieces.get(k) else {
        app.info("this annotation does not match the text: re-target it (! then Enter, select, t)");
        return vec![];
    };
    let t = o.doc.article.text.as_str();
    let (mut s, mut e) = (span.start, span.end);
    match (edge, grow) {
        (Edge::End, true) => e = mv::next_grapheme(t, mv::word_end(t, mv::prev_grapheme(t, e))).max(e),
        (Edge::End, false) => e = mv::word_back(t, mv::prev_grapheme(t, e)).max(s),
        (Edge::Start, true) => s = mv::word_back(t, s),
        (Edge::Start, false) => s = mv::word_forward(t, s).min(e),
    }
    let Some(bytes) = o.doc.trimmed(ByteRange::new(s, e)).filter(|b| !b.is_empty()) else {
        app.info("the span cannot shrink further");
        return vec![];
    };
    if bytes == span {
        app.info(if grow { "the span cannot grow further here" } else { "the span cannot shrink further" });
        return vec![];
    }
    let mut after = o.doc.respan_piece(&before, k, bytes);
    after.anchor = None;
    after.modified = now_rfc3339();
    let msg = format!("{} now “{}”", app.codebook.describe(&before), excerpt(&after.full_quote(), 50));
    let id = before.id.clone();
    let effects = commit_adjusting(app, vec![Edit::Update { before, after }], &id, msg);
    // The cursor stays on the span, so the next press (or a count) adjusts the same one.
    if app.focus == Focus::Reader && !bytes.contains(app.reader.cursor) {
        reader::set_cursor(app, bytes.start, false);
    }
    effects
}

pub(super) fn set_note(app: &mut App, id: &AnnotationId, text: String) -> Vec<Effect> {
    let Some(before) = app.open.as_ref().and_then(|o| o.doc.get(id)).cloned() else { return vec![] };
    let note = Some(text.trim().to_owned()).filter(|n| !n.is_empty());
    if before.note == note {
        return vec![];
    }
    let mut after = before.clone();
    after.note = note;
    after.modified = now_rfc3339();
    let msg = if after.note.is_some() { "note saved" } else { "note removed" };
    commit(app, vec![Edit::Update { before, after }], msg.into())
}

fn delete(app: &mut App) -> Vec<Effect> {
    let Some(target) = current(app, None) else { return vec![] };
    let Some(o) = app.open.as_ref() else { return vec![] };
    // Annotations linking to a deleted one are unlinked in the same undo step, so no link
    // dangles.
    let now = now_rfc3339();
    let mut edits: Vec<Edit> = o
        .doc
        .annotations
        .iter()
        .filter(|a| a.links_to(&target.id))
        .map(|a| {
            let mut after = a.clone();
            after.unlink(&target.id);
            after.modified = now.clone();
            Edit::Update { before: a.clone(), after }
        })
        .collect();
    let unlinked = edits.len();
    let msg = format!(
        "deleted {} “{}”{} — u to undo",
        app.codebook.describe(&target),
        excerpt(&target.quote, 30),
        if unlinked > 0 { format!(" and unlinked {unlinked} annotation(s)") } else { String::new() }
    );
    edits.push(Edit::Delete(target));
    commit(app, edits, msg)
}

/// Undo and redo replay edits only onto the version each was made on. When another writer
/// changed an annotation since (a merge brought their version in), overwriting it would
/// silently revert their work: that edit becomes a conflict instead, with both versions kept
/// (theirs in the file, ours in the sidecar) for the person to choose in `!`.
pub(super) fn undo_redo(app: &mut App, undo: bool) -> Vec<Effect> {
    let Some(o) = app.open.as_mut() else { return vec![] };
    if let Some(why) = &o.doc.read_only {
        let msg = format!("read-only: {why}");
        app.error(msg);
        return vec![];
    }
    let h = app.history.entry(o.doc.article.id.clone()).or_default();
    let (from, to) = if undo { (&mut h.undo, &mut h.redo) } else { (&mut h.redo, &mut h.undo) };
    let Some(step) = from.pop() else {
        app.info(if undo { "nothing to undo" } else { "nothing to redo" });
        return vec![];
    };
    let replay: Vec<Edit> = if undo { step.iter().rev().map(Edit::inverse).collect() } else { step.clone() };
    to.push(step);
    let (mut done, mut stale) = (Vec::new(), 0);
    for e in &replay {
        match o.doc.apply_checked(e) {
            Ok(()) => done.push(e),
            Err(Stale(theirs)) => {
                let (id, mine) = match e {
                    Edit::Insert(a) => (a.id.clone(), Some(a.clone())),
                    Edit::Delete(a) => (a.id.clone(), None),
                    Edit::Update { after, .. } => (after.id.clone(), Some(after.clone())),
                };
                o.doc.add_conflict(Conflict { id, mine, theirs: theirs.map(|t| *t) });
                stale += 1;
            }
        }
    }
    let what = if undo { "undone" } else { "redone" };
    let n = done.len();
    // The main change of a step is its last edit (a delete comes after the unlinks it
    // needs); undo replays the step backwards, so there it comes first.
    let main = if undo { done.first() } else { done.last() };
    let head = match (n, main) {
        (0, _) | (_, None) => format!("nothing {what}"),
        (1, Some(e)) => format!("{what}: {}", describe_edit(&app.codebook, e, undo)),
        (_, Some(e)) => format!("{what}: {} (and {} more)", describe_edit(&app.codebook, e, undo), n - 1),
    };
    // Show where the change is: the cursor goes to it, as in an editor.
    let place = main.and_then(|e| match e {
        Edit::Insert(a) | Edit::Update { after: a, .. } => Some(a.id.clone()),
        Edit::Delete(_) => None,
    });
    let removed_at = main.and_then(|e| match e {
        Edit::Delete(a) => Some(a.start),
        _ => None,
    });
    let target = place
        .and_then(|id| o.doc.position(&id))
        .and_then(|i| o.doc.spans[i].map(|s| (i, s.start)))
        .map(|(i, p)| (Some(i), p))
        .or_else(|| removed_at.and_then(|c| o.doc.article.index.byte_of(&o.doc.article.text, c)).map(|p| (None, p)));
    if let Some((i, pos)) = target {
        app.reader.anchor = None;
        reader::set_cursor(app, pos, false);
        if let Some(i) = i {
            app.sidebar.selected = i;
        }
    }
    if stale > 0 {
        app.error(format!(
            "{head}; {stale} change(s) not {what} because another writer changed them since — both versions kept, \
             press ! to choose"
        ));
    } else {
        app.info(head);
    }
    save_effect(app)
}

/// "restored Source “Peskov”" and the like, for undo and redo messages.
fn describe_edit(cb: &crate::model::codebook::Codebook, e: &Edit, undo: bool) -> String {
    match e {
        Edit::Insert(a) => {
            format!("{} {} “{}”", if undo { "restored" } else { "added" }, cb.describe(a), excerpt(&a.quote, 30))
        }
        Edit::Delete(a) => format!("removed {} “{}”", cb.describe(a), excerpt(&a.quote, 30)),
        Edit::Update { after, .. } => {
            format!(
                "{} “{}” {}",
                cb.describe(after),
                excerpt(&after.quote, 30),
                if undo { "changed back" } else { "changed again" }
            )
        }
    }
}
