//! Changes to annotations: tagging, attribution, notes, deletion, undo and redo.
//!
//! Every change goes through [`commit`], which applies a group of [`Edit`]s, records it for
//! undo and asks the loop to save at once. A read-only document (bad RON file) refuses the
//! change with the reason, so the file on disk is never touched.

use super::action::TagAs;
use super::{Action, App, Effect, Focus, Overlay, PromptKind, Step, reader};
use crate::model::annotation::{Annotation, AnnotationId, Label, excerpt, now_rfc3339};
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
        Action::Tag(TagAs::Source) => tag(app, Label::Source),
        Action::Tag(TagAs::Claim) => tag(app, Label::Claim),
        Action::OpenKindMenu => {
            if reader::selection(app).is_some() {
                app.overlay = Overlay::KindMenu;
            } else {
                app.info("select text first (v), then x");
            }
            vec![]
        }
        Action::Attribute => {
            open_picker(app);
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
            open_relabel(app);
            vec![]
        }
        Action::GrowEnd => adjust(app, Edge::End, true),
        Action::ShrinkEnd => adjust(app, Edge::End, false),
        Action::GrowStart => adjust(app, Edge::Start, true),
        Action::ShrinkStart => adjust(app, Edge::Start, false),
        Action::Retarget => super::attention::retarget(app),
        Action::Undo => undo_redo(app, true),
        Action::Redo => undo_redo(app, false),
        other => return Err(other),
    })
}

/// The boilerplate kind menu: a kind tags the selection; Esc closes.
pub(super) fn kind_menu(app: &mut App, action: Action) -> Step {
    match action {
        Action::TagBoilerplate(kind) => {
            app.overlay = Overlay::None;
            Ok(tag(app, Label::Boilerplate(kind)))
        }
        Action::Cancel => {
            app.overlay = Overlay::None;
            Ok(vec![])
        }
        other => Err(other),
    }
}

/// The source picker: move, choose, Esc.
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
        Action::MenuChoose => Ok(choose_source(app, false)),
        Action::AddSource => Ok(choose_source(app, true)),
        Action::Cancel => {
            app.overlay = Overlay::None;
            Ok(vec![])
        }
        other => Err(other),
    }
}

/// The annotation an action applies to: the sidebar's selection when the sidebar has the
/// focus, else the innermost one under the cursor (of `only` that label, when given, so a
/// source nested in a quote does not hide the claim around it).
fn current(app: &mut App, only: Option<Label>) -> Option<Annotation> {
    let o = app.open.as_ref()?;
    let i = match app.focus {
        Focus::Sidebar => Some(app.sidebar.selected).filter(|&i| i < o.doc.annotations.len()),
        _ => match only {
            Some(label) => o.doc.annotation_at_with(app.reader.cursor, |a| a.label == label),
            None => o.doc.annotation_at(app.reader.cursor),
        },
    };
    let found = i.map(|i| o.doc.annotations[i].clone());
    if found.is_none() {
        let what = only.map_or("annotation".to_string(), |l| l.short().to_lowercase());
        app.info(format!("no {what} here: put the cursor on one, or pick one in the sidebar"));
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

fn save_effect(app: &App) -> Vec<Effect> {
    app.open.iter().map(|o| Effect::save(o.entry, &o.doc)).collect()
}

fn tag(app: &mut App, label: Label) -> Vec<Effect> {
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
    if let Some(same) = o.doc.identical(label, chars) {
        let id = same.id.clone();
        app.reader.anchor = None;
        if let Some(i) = o.doc.position(&id) {
            app.sidebar.selected = i;
        }
        app.info(format!(
            "already tagged: {label} “{}” ({id})",
            excerpt(&o.doc.annotations[app.sidebar.selected].quote, 40)
        ));
        return vec![];
    }
    let t = &o.doc.article.text;
    let ann = Annotation::new_manual(label, t, bytes, chars, &app.author, &now_rfc3339());
    let msg = format!("tagged {} “{}”", label, excerpt(&ann.quote, 40));
    let id = ann.id.clone();
    app.reader.anchor = None;
    let effects = commit(app, vec![Edit::Insert(ann)], msg);
    if let Some(i) = app.open.as_ref().and_then(|o| o.doc.position(&id)) {
        app.sidebar.selected = i;
        if label == Label::Claim {
            let hint = app.keymap.keys_for(super::keymap::Mode::Reader, &Action::Attribute).join("/");
            if let Some(m) = app.message.as_mut() {
                m.text.push_str(&format!(" — {hint} on it to attribute it to a source"));
            }
        }
    }
    effects
}

/// Changes the label of the annotation under the cursor (or the sidebar's) in place: its id,
/// note, created time and links stay. A source that becomes something else takes its claims'
/// links with it in the same undo step (a claim cannot cite a non-source); a claim that
/// becomes something else loses its own link. The message says what was dropped.
fn relabel(app: &mut App, target: &AnnotationId, label: Label) -> Vec<Effect> {
    app.overlay = Overlay::None;
    let Some(o) = app.open.as_ref() else { return vec![] };
    let Some(before) = o.doc.get(target).cloned() else { return vec![] };
    if before.label == label {
        app.info(format!("already a {label}"));
        return vec![];
    }
    let now = now_rfc3339();
    let mut after = before.clone();
    after.label = label;
    after.modified = now.clone();
    let mut dropped = Vec::new();
    if after.source.is_some() && label != Label::Claim {
        after.source = None;
        after.more_sources.clear();
        dropped.push("its source link".to_string());
    }
    let mut edits = Vec::new();
    if before.label == Label::Source && label != Label::Source {
        for c in o.doc.annotations.iter().filter(|a| a.cites(target)) {
            let mut unlinked = c.clone();
            unlinked.uncite(target);
            unlinked.modified = now.clone();
            edits.push(Edit::Update { before: c.clone(), after: unlinked });
        }
        if !edits.is_empty() {
            dropped.push(format!("the source link of {} claim(s)", edits.len()));
        }
    }
    let msg = format!(
        "{} “{}” is now a {label}{} — u to undo",
        before.label,
        excerpt(&before.quote, 30),
        if dropped.is_empty() { String::new() } else { format!("; dropped {}", dropped.join(" and ")) }
    );
    edits.push(Edit::Update { before, after });
    commit(app, edits, msg)
}

/// Opens the relabel menu for the annotation the cursor (or the sidebar) is on.
fn open_relabel(app: &mut App) {
    if let Some(a) = current(app, None) {
        app.overlay = Overlay::Relabel { target: a.id };
    }
}

/// The relabel menu: a label key changes the annotation's label; Esc closes.
pub(super) fn relabel_menu(app: &mut App, action: Action) -> Step {
    let Overlay::Relabel { target } = app.overlay.clone() else { return Err(action) };
    match action {
        Action::Relabel(choice) => Ok(relabel(app, &target, choice.label())),
        Action::Cancel => {
            app.overlay = Overlay::None;
            Ok(vec![])
        }
        other => Err(other),
    }
}

/// Grows or shrinks the annotation under the cursor (or the sidebar's) by one word at one
/// edge. The span never becomes empty and never starts or ends in whitespace.
fn adjust(app: &mut App, edge: Edge, grow: bool) -> Vec<Effect> {
    let Some(before) = current(app, None) else { return vec![] };
    let Some(o) = app.open.as_ref() else { return vec![] };
    let Some(i) = o.doc.position(&before.id) else { return vec![] };
    let Some(span) = o.doc.spans[i] else {
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
    let mut after = o.doc.respan(&before, bytes);
    after.modified = now_rfc3339();
    let msg = format!("{} now “{}”", before.label, excerpt(&after.quote, 50));
    let effects = commit(app, vec![Edit::Update { before, after }], msg);
    // The cursor stays on the span, so the next press (or a count) adjusts the same one.
    if app.focus == Focus::Reader && !bytes.contains(app.reader.cursor) {
        reader::set_cursor(app, bytes.start, false);
    }
    effects
}

/// A mention's name as the picker groups it: case and spacing do not make another name.
pub fn name_key(quote: &str) -> String {
    quote.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn open_picker(app: &mut App) {
    let Some(claim) = current(app, Some(Label::Claim)) else { return };
    if claim.label != Label::Claim {
        return app.info(format!("{} cannot have a source: attribution links a Claim to a Source", claim.label));
    }
    let o = app.open.as_ref().expect("current() found an open article");
    // One row per name ("Peskov" mentioned five times is one choice): the mention nearest the
    // claim stands for it (before or after it: "“…,” Peskov said" names the source after the
    // quote). The claim's current source keeps its own row, so it is never hidden.
    let gap = |a: &Annotation| {
        (a.start.saturating_sub(claim.end).max(claim.start.saturating_sub(a.end)), a.start > claim.start)
    };
    let mut by_name: Vec<(String, &Annotation)> = Vec::new();
    for a in o.doc.annotations.iter().filter(|a| a.label == Label::Source) {
        let key = name_key(&a.quote);
        let current = claim.source.as_ref() == Some(&a.id);
        match by_name.iter_mut().find(|(k, _)| *k == key) {
            Some((_, best)) if current || (gap(a) < gap(best) && claim.source.as_ref() != Some(&best.id)) => *best = a,
            Some(_) => {}
            None => by_name.push((key, a)),
        }
    }
    if by_name.is_empty() {
        return app.info("this article has no sources yet: tag one with v … s");
    }
    by_name.sort_by_key(|(_, a)| gap(a));
    let mut choices: Vec<Option<AnnotationId>> = by_name.iter().map(|(_, a)| Some(a.id.clone())).collect();
    choices.push(None);
    let selected = claim.source.as_ref().and_then(|s| choices.iter().position(|c| c.as_ref() == Some(s))).unwrap_or(0);
    app.overlay = Overlay::Picker { claim: claim.id, choices, selected, query: String::new() };
}

/// The picker's rows for what is typed: names containing every typed word, in any case.
pub fn picker_rows(app: &App) -> Vec<Option<AnnotationId>> {
    let (Overlay::Picker { choices, query, .. }, Some(o)) = (&app.overlay, &app.open) else { return vec![] };
    let words: Vec<String> = query.to_lowercase().split_whitespace().map(str::to_owned).collect();
    choices
        .iter()
        .filter(|c| match c.as_ref().and_then(|id| o.doc.get(id)) {
            Some(a) => {
                let name = name_key(&a.quote);
                words.iter().all(|w| name.contains(w.as_str()))
            }
            // "(no source)" stays while nothing is typed.
            None => words.is_empty(),
        })
        .cloned()
        .collect()
}

/// Typing in the picker filters its rows.
pub(super) fn picker_type(app: &mut App, f: impl FnOnce(&mut String)) {
    if let Overlay::Picker { query, selected, .. } = &mut app.overlay {
        f(query);
        *selected = 0;
    }
}

/// Enter in the picker: the chosen source becomes the claim's only one ("(no source)"
/// unlinks every source); with `also`, it is added to the ones it has ("Russia and Ukraine
/// said": a claim may have several sources).
fn choose_source(app: &mut App, also: bool) -> Vec<Effect> {
    let rows = picker_rows(app);
    let Overlay::Picker { claim, selected, .. } = std::mem::replace(&mut app.overlay, Overlay::None) else {
        return vec![];
    };
    let Some(before) = app.open.as_ref().and_then(|o| o.doc.get(&claim)).cloned() else { return vec![] };
    let Some(source) = rows.get(selected).cloned() else {
        app.info("no source matches what was typed");
        return vec![];
    };
    let mut after = before.clone();
    match (&source, also) {
        (Some(s), true) if before.cites(s) => {
            app.info("already one of the claim's sources");
            return vec![];
        }
        (Some(s), true) if before.source.is_some() => after.more_sources.push(s.clone()),
        _ => {
            after.source = source.clone();
            after.more_sources.clear();
        }
    }
    if after == before {
        app.info("attribution unchanged");
        return vec![];
    }
    let doc = &app.open.as_ref().expect("the claim is in the open article").doc;
    let names: Vec<String> =
        after.sources().filter_map(|s| doc.get(s)).map(|s| format!("“{}”", excerpt(&s.quote, 30))).collect();
    let msg = if names.is_empty() {
        "claim source removed".to_string()
    } else {
        format!("claim attributed to {}", names.join(" and "))
    };
    after.modified = now_rfc3339();
    commit(app, vec![Edit::Update { before, after }], msg)
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
    // Claims citing a deleted source are unlinked in the same undo step, so no link dangles.
    let now = now_rfc3339();
    let mut edits: Vec<Edit> = o
        .doc
        .annotations
        .iter()
        .filter(|a| a.cites(&target.id))
        .map(|a| {
            let mut after = a.clone();
            after.uncite(&target.id);
            after.modified = now.clone();
            Edit::Update { before: a.clone(), after }
        })
        .collect();
    let unlinked = edits.len();
    let msg = format!(
        "deleted {} “{}”{} — u to undo",
        target.label,
        excerpt(&target.quote, 30),
        if unlinked > 0 { format!(" and unlinked {unlinked} claim(s)") } else { String::new() }
    );
    edits.push(Edit::Delete(target));
    commit(app, edits, msg)
}

/// Undo and redo replay edits only onto the version each was made on. When another writer
/// changed an annotation since (a merge brought their version in), overwriting it would
/// silently revert their work: that edit becomes a conflict instead, with both versions kept
/// (theirs in the file, ours in the sidecar) for the person to choose in `!`.
fn undo_redo(app: &mut App, undo: bool) -> Vec<Effect> {
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
        (1, Some(e)) => format!("{what}: {}", describe_edit(e, undo)),
        (_, Some(e)) => format!("{what}: {} (and {} more)", describe_edit(e, undo), n - 1),
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
fn describe_edit(e: &Edit, undo: bool) -> String {
    match e {
        Edit::Insert(a) => {
            format!("{} {} “{}”", if undo { "restored" } else { "added" }, a.label, excerpt(&a.quote, 30))
        }
        Edit::Delete(a) => format!("removed {} “{}”", a.label, excerpt(&a.quote, 30)),
        Edit::Update { after, .. } => {
            format!(
                "{} “{}” {}",
                after.label,
                excerpt(&after.quote, 30),
                if undo { "changed back" } else { "changed again" }
            )
        }
    }
}
