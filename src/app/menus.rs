//! The codebook's menus: a label (relabel), an attribute, a value. One key per entry, the
//! codebook's own keys, so a coder never types a name.
//!
//! Each menu is an overlay whose characters arrive as typed keys (`Msg::Type`), not through
//! the keymap: the keys are data of the codebook in effect. Esc closes any of them.

use super::edit::{current, tag};
use super::{Action, App, Effect, Overlay, PromptKind, Step, ValuesFor};
use crate::model::annotation::{Annotation, AnnotationId, AttrValue, LabelId, excerpt, now_rfc3339};
use crate::model::codebook::{AttrKind, AttributeDef};
use crate::model::document::Edit;

/// Opens the relabel menu for the annotation the cursor (or the sidebar) is on.
pub(super) fn open_relabel(app: &mut App) {
    if let Some(a) = current(app, None) {
        app.overlay = Overlay::Relabel { target: a.id };
    }
}

/// Keymap actions in the relabel menu: only closing it.
pub(super) fn relabel_menu(app: &mut App, action: Action) -> Step {
    match action {
        Action::Cancel => {
            app.overlay = Overlay::None;
            Ok(vec![])
        }
        other => Err(other),
    }
}

/// A label's key in the relabel menu: that label, after its asked value if it has one.
pub(super) fn relabel_key(app: &mut App, key: char) -> Vec<Effect> {
    let Overlay::Relabel { target } = app.overlay.clone() else { return vec![] };
    let Some(label) = app.codebook.label_for_key(&key.to_string()).map(|l| l.id.clone()) else {
        app.info(format!("no label has the key {key}; Esc closes"));
        return vec![];
    };
    if let Some(asked) = app.codebook.asked_on_tag(&label) {
        let attribute = asked.id.clone();
        app.overlay = Overlay::Values { purpose: ValuesFor::Relabel { target, label, attribute } };
        return vec![];
    }
    relabel(app, &target, LabelId::new(label), None)
}

/// Changes the label of `target` in place: its id, note, created time stay. Attributes and
/// links the new label's codebook entries allow stay; the others are dropped, and so are
/// links from other annotations that may not point at the new label. The message names
/// what was dropped; undo brings it all back (one step).
fn relabel(app: &mut App, target: &AnnotationId, label: LabelId, value: Option<(String, AttrValue)>) -> Vec<Effect> {
    app.overlay = Overlay::None;
    let Some(o) = app.open.as_ref() else { return vec![] };
    let Some(before) = o.doc.get(target).cloned() else { return vec![] };
    let cb = &app.codebook;
    if before.label == label && value.as_ref().is_none_or(|(k, v)| before.attributes.get(k) == Some(v)) {
        app.info(format!("already a {}", cb.describe(&before)));
        return vec![];
    }
    let now = now_rfc3339();
    let mut after = before.clone();
    after.label = label.clone();
    after.modified = now.clone();
    let mut dropped = Vec::new();
    after.attributes.retain(|id, _| {
        let keep = cb.attribute(id).is_none_or(|d| d.labels.contains(&label.0));
        if !keep {
            dropped.push(cb.attribute(id).map_or(id.clone(), |d| d.name.clone()));
        }
        keep
    });
    if let Some((k, v)) = value {
        after.attributes.insert(k, v);
    }
    after.links.retain(|rel, ids| {
        let keep = cb.relation(rel).is_none_or(|r| r.from.contains(&label.0));
        if !keep {
            dropped.push(format!("{} {}", ids.len(), cb.relation(rel).map_or(rel.as_str(), |r| r.name.as_str())));
        }
        keep
    });
    let mut edits = Vec::new();
    for other in o.doc.annotations.iter().filter(|a| a.links_to(target)) {
        let mut unlinked = other.clone();
        for (rel, ids) in unlinked.links.iter_mut() {
            if cb.relation(rel).is_some_and(|r| !r.to.contains(&label.0)) {
                ids.retain(|t| t != target);
            }
        }
        unlinked.links.retain(|_, v| !v.is_empty());
        if unlinked.links != other.links {
            unlinked.modified = now.clone();
            edits.push(Edit::Update { before: other.clone(), after: unlinked });
        }
    }
    if !edits.is_empty() {
        dropped.push(format!("the links of {} annotation(s) to it", edits.len()));
    }
    let msg = format!(
        "{} “{}” is now a {}{} — u to undo",
        cb.describe(&before),
        excerpt(&before.quote, 30),
        cb.describe(&after),
        if dropped.is_empty() { String::new() } else { format!("; dropped {}", dropped.join(", ")) }
    );
    let id = before.id.clone();
    edits.push(Edit::Update { before, after });
    super::edit::commit_adjusting(app, edits, &id, msg)
}

/// The attributes that apply to `a`, with the key each has in the attribute menu: its own,
/// else its position (1–9).
pub fn attribute_keys<'a>(app: &'a App, a: &Annotation) -> Vec<(String, &'a AttributeDef)> {
    app.codebook
        .attributes_for(a.label.as_str())
        .enumerate()
        .map(|(n, d)| (d.key.clone().unwrap_or_else(|| ((n + 1) % 10).to_string()), d))
        .collect()
}

/// Opens the attribute menu of the current annotation; with one attribute, its values.
pub(super) fn open_attributes(app: &mut App) -> Vec<Effect> {
    let Some(a) = current(app, None) else { return vec![] };
    let attrs: Vec<String> = attribute_keys(app, &a).into_iter().map(|(_, d)| d.id.clone()).collect();
    match attrs.as_slice() {
        [] => {
            let name = app.codebook.label_name(&a.label);
            app.info(format!("the codebook gives {name} no attributes"));
            vec![]
        }
        [only] => choose_attribute(app, a.id, only.clone()),
        _ => {
            app.overlay = Overlay::Attributes { target: a.id };
            vec![]
        }
    }
}

/// The menu for one attribute: values to pick for a set, a toggle for yes/no, a prompt for
/// free values.
fn choose_attribute(app: &mut App, target: AnnotationId, attribute: String) -> Vec<Effect> {
    let Some(def) = app.codebook.attribute(&attribute) else { return vec![] };
    match &def.kind {
        AttrKind::One(_) | AttrKind::Many(_) => {
            app.overlay = Overlay::Values { purpose: ValuesFor::Set { target, attribute } };
            vec![]
        }
        AttrKind::YesNo => {
            app.overlay = Overlay::None;
            let now = app.open.as_ref().and_then(|o| o.doc.get(&target)).and_then(|a| a.attributes.get(&attribute));
            let next = !matches!(now, Some(AttrValue::YesNo(true)));
            set_value(app, &target, &attribute, Some(AttrValue::YesNo(next)))
        }
        _ => {
            let text = app
                .open
                .as_ref()
                .and_then(|o| o.doc.get(&target))
                .and_then(|a| a.attributes.get(&attribute))
                .map(|v| v.to_string())
                .unwrap_or_default();
            app.overlay =
                Overlay::Prompt { kind: PromptKind::Attribute { target, attribute }, cursor: text.len(), text };
            vec![]
        }
    }
}

/// Keymap actions in the value and attribute menus: only closing them.
pub(super) fn menu(app: &mut App, action: Action) -> Step {
    match action {
        Action::Cancel => {
            app.overlay = Overlay::None;
            Ok(vec![])
        }
        other => Err(other),
    }
}

/// A key typed in the value or attribute menu.
pub(super) fn menu_key(app: &mut App, key: char) -> Vec<Effect> {
    let key = key.to_string();
    match app.overlay.clone() {
        Overlay::Attributes { target } => {
            let Some(a) = app.open.as_ref().and_then(|o| o.doc.get(&target)).cloned() else { return vec![] };
            match attribute_keys(app, &a).into_iter().find(|(k, _)| *k == key).map(|(_, d)| d.id.clone()) {
                Some(attribute) => choose_attribute(app, target, attribute),
                None => {
                    app.info(format!("no attribute has the key {key}; Esc closes"));
                    vec![]
                }
            }
        }
        Overlay::Values { purpose } => {
            let attribute = match &purpose {
                ValuesFor::Tag { attribute, .. }
                | ValuesFor::Relabel { attribute, .. }
                | ValuesFor::Set { attribute, .. } => attribute.clone(),
            };
            let Some(def) = app.codebook.attribute(&attribute) else { return vec![] };
            let Some(value) = def.kind.values().iter().find(|v| v.key == key).map(|v| v.id.clone()) else {
                app.info(format!("no value of {} has the key {key}; Esc closes", def.name));
                return vec![];
            };
            let many = matches!(def.kind, AttrKind::Many(_));
            app.overlay = Overlay::None;
            match purpose {
                ValuesFor::Tag { label, .. } => tag(app, LabelId::new(label), Some((attribute, AttrValue::One(value)))),
                ValuesFor::Relabel { target, label, .. } => {
                    relabel(app, &target, LabelId::new(label), Some((attribute, AttrValue::One(value))))
                }
                ValuesFor::Set { target, .. } if many => {
                    // A several-of value toggles; the menu stays for the next one.
                    let now =
                        app.open.as_ref().and_then(|o| o.doc.get(&target)).and_then(|a| a.attributes.get(&attribute));
                    let mut set: Vec<String> = match now {
                        Some(AttrValue::Many(v)) => v.clone(),
                        _ => Vec::new(),
                    };
                    match set.iter().position(|v| *v == value) {
                        Some(i) => {
                            set.remove(i);
                        }
                        None => set.push(value),
                    }
                    let order = |v: &String| def.kind.values().iter().position(|d| d.id == *v).unwrap_or(usize::MAX);
                    set.sort_by_key(order);
                    let effects =
                        set_value(app, &target, &attribute, (!set.is_empty()).then_some(AttrValue::Many(set)));
                    app.overlay = Overlay::Values { purpose: ValuesFor::Set { target, attribute } };
                    effects
                }
                ValuesFor::Set { target, .. } => set_value(app, &target, &attribute, Some(AttrValue::One(value))),
            }
        }
        _ => vec![],
    }
}

/// Backspace in a value menu that sets an attribute: the attribute is cleared.
pub(super) fn clear_value(app: &mut App) -> Vec<Effect> {
    let Overlay::Values { purpose: ValuesFor::Set { target, attribute } } = app.overlay.clone() else { return vec![] };
    app.overlay = Overlay::None;
    set_value(app, &target, &attribute, None)
}

/// The prompt of a free attribute (text, number, date, URL): the typed value, checked.
pub(super) fn set_typed_value(app: &mut App, target: &AnnotationId, attribute: &str, text: &str) -> Vec<Effect> {
    let Some(def) = app.codebook.attribute(attribute) else { return vec![] };
    if text.trim().is_empty() {
        return set_value(app, target, attribute, None);
    }
    match AttrValue::parse(&def.kind, text) {
        Ok(v) => set_value(app, target, attribute, Some(v)),
        Err(why) => {
            app.error(format!("{} not set: {why}", def.name));
            vec![]
        }
    }
}

/// Sets (or with `None` clears) one attribute of `target`, as one undo step.
fn set_value(app: &mut App, target: &AnnotationId, attribute: &str, value: Option<AttrValue>) -> Vec<Effect> {
    let Some(before) = app.open.as_ref().and_then(|o| o.doc.get(target)).cloned() else { return vec![] };
    let mut after = before.clone();
    match &value {
        Some(v) => after.attributes.insert(attribute.to_owned(), v.clone()),
        None => after.attributes.remove(attribute),
    };
    if after == before {
        app.info("unchanged");
        return vec![];
    }
    after.modified = now_rfc3339();
    let name = app.codebook.attribute(attribute).map_or(attribute.to_owned(), |d| d.name.clone());
    let msg = match &value {
        Some(v) => format!("{name}: {} on “{}”", app.codebook.value_name(attribute, v), excerpt(&before.quote, 30)),
        None => format!("{name} cleared on “{}”", excerpt(&before.quote, 30)),
    };
    super::edit::commit_adjusting(app, vec![Edit::Update { before, after }], target, msg)
}
