//! The "needs attention" list: what newsnote could not settle on its own.
//!
//! Two kinds of item. Annotations re-anchoring moved, changed, left uncertain or orphaned after
//! the article changed (their `anchor` note is set): confirm, delete, or re-target them (select
//! text, `t`). An uncertain one was found only without its context, so it stays where it was
//! until a person looks: Enter shows the proposed place, `y` puts it there; `Y` never does.
//! Conflicts with another writer's save: the file holds their version; keep it, or put mine
//! back. Every resolution is an ordinary edit, so it is saved at once and can be undone.

use super::action::Action;
use super::edit::commit;
use super::{App, Effect, Focus, Overlay, reader};
use crate::model::annotation::{AnchorNote, Annotation, AnnotationId, now_rfc3339};
use crate::model::document::Edit;
use crate::model::save::Conflict;
use crate::model::units::{ByteRange, CharRange};

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// An annotation of the open document with an anchor note.
    Anchor(AnnotationId),
    /// An index into the open document's `conflicts`.
    Conflict(usize),
}

/// The items for the open document, what most needs a person first: conflicts, orphaned,
/// uncertain, changed (least confident first), then moved, each in text order.
pub fn items(app: &App) -> Vec<Item> {
    let Some(o) = &app.open else { return vec![] };
    let rank = |a: &Annotation| match &a.anchor {
        Some(AnchorNote::Orphaned) => (0, 0),
        Some(AnchorNote::Uncertain { .. }) => (1, 0),
        Some(AnchorNote::Changed { confidence, .. }) => (2, *confidence),
        _ => (3, 0),
    };
    let mut anchors: Vec<&Annotation> = o.doc.annotations.iter().filter(|a| a.anchor.is_some()).collect();
    anchors.sort_by_key(|a| rank(a));
    let conflicts = (0..o.doc.conflicts.len()).map(Item::Conflict);
    conflicts.chain(anchors.into_iter().map(|a| Item::Anchor(a.id.clone()))).collect()
}

/// One line describing what differs between my and their version of a conflict.
pub fn describe_conflict(c: &Conflict) -> String {
    format!("yours: {} · theirs: {}", describe_version(&c.mine), describe_version(&c.theirs))
}

/// One side of a conflict in words: label, span, note, source, or "deleted".
pub fn describe_version(a: &Option<Annotation>) -> String {
    match a {
        None => "deleted".to_string(),
        Some(a) => {
            let note = a.note.as_deref().map(|n| format!(", note “{n}”")).unwrap_or_default();
            let src: String = a
                .links
                .iter()
                .map(|(rel, ids)| {
                    let ids: Vec<&str> = ids.iter().map(|i| i.0.as_str()).collect();
                    format!(", {rel} {}", ids.join("+"))
                })
                .collect();
            let attrs: String = a.attributes.iter().map(|(k, v)| format!(", {k}={v}")).collect();
            format!(
                "{} {}–{} “{}”{note}{src}{attrs}",
                a.label,
                a.start,
                a.end,
                crate::model::annotation::excerpt(&a.quote, 60)
            )
        }
    }
}

/// Whether the attention list handles this action while it is open.
pub fn handles(action: &Action) -> bool {
    matches!(
        action,
        Action::MenuDown
            | Action::MenuUp
            | Action::MenuChoose
            | Action::Confirm
            | Action::ConfirmAllMoved
            | Action::Delete
            | Action::KeepMine
            | Action::KeepTheirs
    )
}

pub fn open(app: &mut App) {
    if items(app).is_empty() {
        app.info("nothing needs attention in this article");
    } else {
        app.overlay = Overlay::Attention { selected: 0 };
    }
}

/// The list's keys; Esc (or `!`) closes it; anything else is passed on.
pub(super) fn handle(app: &mut App, action: Action) -> super::Step {
    match action {
        Action::Cancel | Action::OpenAttention => {
            app.overlay = Overlay::None;
            Ok(vec![])
        }
        a if handles(&a) => Ok(update(app, a)),
        other => Err(other),
    }
}

fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Overlay::Attention { selected } = app.overlay else { return vec![] };
    let list = items(app);
    let Some(item) = list.get(selected).cloned() else {
        app.overlay = Overlay::None;
        return vec![];
    };
    let effects = match (action, item) {
        (Action::MenuDown, _) => {
            app.overlay = Overlay::Attention { selected: (selected + 1).min(list.len() - 1) };
            return vec![];
        }
        (Action::MenuUp, _) => {
            app.overlay = Overlay::Attention { selected: selected.saturating_sub(1) };
            return vec![];
        }
        (Action::MenuChoose, Item::Anchor(id)) => {
            jump(app, &id);
            return vec![];
        }
        (Action::MenuChoose, Item::Conflict(i)) => {
            let Some(id) = app.open.as_ref().and_then(|o| o.doc.conflicts.get(i)).map(|c| c.id.clone()) else {
                return vec![];
            };
            jump(app, &id);
            return vec![];
        }
        (Action::Confirm, Item::Anchor(id)) => {
            let note = app.open.as_ref().and_then(|o| o.doc.get(&id)).and_then(|a| a.anchor.clone());
            match (note, proposed(app, &id)) {
                (Some(AnchorNote::Uncertain { .. }), Some(place)) => confirm_proposed(app, &id, place),
                (Some(AnchorNote::Orphaned | AnchorNote::Uncertain { .. }), _) => {
                    app.info("an orphan has no place to confirm: Enter, select where it belongs, t; or d to delete it");
                    return vec![];
                }
                _ => update_annotation(app, &id, "confirmed", |a| a.anchor = None),
            }
        }
        (Action::Delete, Item::Anchor(id)) => match app.open.as_ref().and_then(|o| o.doc.get(&id)).cloned() {
            Some(a) => commit(app, vec![Edit::Delete(a)], "deleted".into()),
            None => vec![],
        },
        (Action::ConfirmAllMoved, _) => confirm_all_moved(app),
        (Action::KeepMine, Item::Conflict(i)) => keep_mine(app, i),
        (Action::KeepTheirs, Item::Conflict(i)) => {
            app.info("kept the other writer's version (it is what the file holds)");
            resolved(app, i)
        }
        _ => {
            app.info("y confirms and d deletes a re-anchored annotation; m / t keep my / their version of a conflict");
            return vec![];
        }
    };
    let left = items(app).len();
    app.overlay = if left == 0 { Overlay::None } else { Overlay::Attention { selected: selected.min(left - 1) } };
    effects
}

/// Shows an annotation in the text and selects it in the sidebar. An orphan has no place in
/// the new text: the cursor goes near where it used to be.
fn jump(app: &mut App, id: &AnnotationId) {
    app.overlay = Overlay::None;
    let Some(o) = app.open.as_ref() else { return };
    let Some(i) = o.doc.position(id) else { return app.info("that annotation is no longer in this article") };
    let a = &o.doc.annotations[i];
    let text = &o.doc.article.text;
    let place = proposed(app, id);
    let pos = match (place, o.doc.spans[i]) {
        (Some(p), _) => p.start,
        (None, Some(s)) => s.start,
        (None, None) => o.doc.article.index.byte_of(text, a.start.min(o.doc.article.index.total_chars())).unwrap_or(0),
    };
    let orphan = o.doc.spans[i].is_none() && place.is_none();
    app.focus = Focus::Reader;
    app.reader.anchor = None;
    app.reader.retarget = Some(id.clone());
    reader::set_cursor(app, pos, false);
    app.sidebar.selected = i;
    if orphan {
        app.info("orphaned: select where it belongs now and press t, or d in the list (!) to delete it");
    } else if place.is_some() {
        app.info("uncertain: the cursor is on the proposed place; y in the list (!) puts it here, or select where it belongs and t");
    }
}

/// The place an uncertain annotation's note proposes, while that still holds its quote.
fn proposed(app: &App, id: &AnnotationId) -> Option<ByteRange> {
    let doc = &app.open.as_ref()?.doc;
    let a = doc.get(id)?;
    let Some(AnchorNote::Uncertain { candidate_start, candidate_end, .. }) = a.anchor else { return None };
    let r = doc.article.index.to_bytes(&doc.article.text, CharRange::new(candidate_start, candidate_end))?;
    (doc.article.text[r.as_range()] == a.quote).then_some(r)
}

/// `y` on an uncertain annotation: a person chose the proposed place. Refused when another
/// annotation of its label has taken that span since.
fn confirm_proposed(app: &mut App, id: &AnnotationId, place: ByteRange) -> Vec<Effect> {
    let Some(o) = app.open.as_ref() else { return vec![] };
    let doc = &o.doc;
    let Some(before) = doc.get(id).cloned() else { return vec![] };
    let span = doc.article.index.to_chars(&doc.article.text, place);
    if doc.annotations.iter().any(|b| b.id != before.id && b.label == before.label && b.span() == span) {
        app.info("another annotation of this label is already there: select where it belongs and t, or d to delete it");
        return vec![];
    }
    let mut after = before.clone();
    (after.start, after.end) = (span.start, span.end);
    (after.prefix, after.suffix) = crate::model::annotation::context(&doc.article.text, place);
    // The other pieces of a fragmented annotation go as far as the first, each only onto its
    // own quote: a piece that is not there leaves the choice to the person.
    let (text, index) = (&doc.article.text, &doc.article.index);
    let delta = span.start as isize - before.start as isize;
    for f in after.fragments.iter_mut() {
        let moved = CharRange::new(f.start.wrapping_add_signed(delta), f.end.wrapping_add_signed(delta));
        match index.to_bytes(text, moved).filter(|r| text[r.as_range()] == f.quote) {
            Some(r) => {
                (f.start, f.end, f.prefix, f.suffix) = {
                    let (p, s) = crate::model::annotation::context(text, r);
                    (moved.start, moved.end, p, s)
                }
            }
            None => {
                app.info(format!(
                    "its piece “{}” is not beside the proposed place: select the first piece and t, then each other piece and +",
                    crate::model::annotation::excerpt(&f.quote, 30)
                ));
                return vec![];
            }
        }
    }
    after.anchor = None;
    after.modified = now_rfc3339();
    commit(app, vec![Edit::Update { before, after }], "confirmed at the proposed place".into())
}

fn update_annotation(app: &mut App, id: &AnnotationId, msg: &str, f: impl FnOnce(&mut Annotation)) -> Vec<Effect> {
    let Some(before) = app.open.as_ref().and_then(|o| o.doc.get(id)).cloned() else { return vec![] };
    let mut after = before.clone();
    f(&mut after);
    after.modified = now_rfc3339();
    commit(app, vec![Edit::Update { before, after }], msg.into())
}

/// Moved annotations kept their exact text, and a short or frequent quote only moved where its
/// context agreed: confirming them all at once is safe, and is one undo step. Uncertain ones
/// are never among them; the message says how many are left for `y` one by one.
fn confirm_all_moved(app: &mut App) -> Vec<Effect> {
    let Some(o) = app.open.as_ref() else { return vec![] };
    let now = now_rfc3339();
    let edits: Vec<Edit> = o
        .doc
        .annotations
        .iter()
        .filter(|a| matches!(a.anchor, Some(AnchorNote::Moved { .. })))
        .map(|a| Edit::Update {
            before: a.clone(),
            after: Annotation { anchor: None, modified: now.clone(), ..a.clone() },
        })
        .collect();
    let n = edits.len();
    let uncertain = o.doc.annotations.iter().filter(|a| matches!(a.anchor, Some(AnchorNote::Uncertain { .. }))).count();
    let left = if uncertain > 0 {
        format!("; {uncertain} uncertain one(s) need a look each (Enter, then y or t)")
    } else {
        String::new()
    };
    commit(app, edits, format!("confirmed {n} moved annotation(s){left}"))
}

fn keep_mine(app: &mut App, i: usize) -> Vec<Effect> {
    let Some(c) = app.open.as_ref().and_then(|o| o.doc.conflicts.get(i)).cloned() else { return vec![] };
    let current = app.open.as_ref().and_then(|o| o.doc.get(&c.id)).cloned();
    let edit = match (current, c.mine) {
        (Some(cur), Some(mine)) => Edit::Update { before: cur, after: mine },
        (None, Some(mine)) => Edit::Insert(mine),
        (Some(cur), None) => Edit::Delete(cur),
        (None, None) => return resolved(app, i),
    };
    // Resolved first, so the save that writes my version also drops it from the sidecar.
    if let Some(o) = app.open.as_mut() {
        o.doc.resolve_conflict(i);
    }
    let effects = commit(app, vec![edit], "kept your version".into());
    if effects.is_empty() {
        // Not applied (read-only): the conflict stays.
        if let Some(o) = app.open.as_mut() {
            let c = o.doc.conflicts_resolved.pop();
            o.doc.conflicts.extend(c);
        }
    }
    effects
}

/// Drops a resolved conflict: the save that follows removes it from the sidecar (and the
/// sidecar itself when it was the last).
fn resolved(app: &mut App, i: usize) -> Vec<Effect> {
    let Some(o) = app.open.as_mut() else { return vec![] };
    if o.doc.read_only.is_some() {
        return vec![];
    }
    o.doc.resolve_conflict(i);
    vec![Effect::save(o.entry, &o.doc)]
}

/// `t` with a selection: move the sidebar's annotation onto the selected text.
pub fn retarget(app: &mut App) -> Vec<Effect> {
    let Some(sel) = reader::selection(app) else {
        app.info("select the text first (v …), then t");
        return vec![];
    };
    let Some(o) = app.open.as_ref() else { return vec![] };
    // The annotation to move is the one chosen in the list (Enter), never whatever the
    // sidebar's cursor followed to while the person selected the new place.
    let Some(before) = app.reader.retarget.as_ref().and_then(|id| o.doc.get(id)).cloned() else {
        app.info("choose the annotation to move first: ! then Enter on it; then select its place and t");
        return vec![];
    };
    let Some(bytes) = o.doc.trimmed(sel) else {
        app.info("the selection is only whitespace; nothing moved");
        return vec![];
    };
    let mut after = o.doc.respan(&before, bytes);
    after.modified = now_rfc3339();
    // The selection is the whole new place: further pieces are dropped, and the message says
    // so (undo brings them back), so none is left pointing into text that moved.
    let dropped = std::mem::take(&mut after.fragments).len();
    app.reader.anchor = None;
    app.reader.retarget = None;
    let mut msg = format!("moved {} onto “{}”", before.label, crate::model::annotation::excerpt(&after.quote, 40));
    if dropped > 0 {
        msg.push_str(&format!("; its {dropped} other piece(s) were dropped: select each and press + (u to undo)"));
    }
    let id = before.id.clone();
    super::edit::commit_adjusting(app, vec![Edit::Update { before, after }], &id, msg)
}
