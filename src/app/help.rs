//! The key help as data, generated from the live keymap.
//!
//! Lives in the app rather than the view because `update` needs its length to keep the help's
//! scroll in range; the view only lays the rows out.

use super::action::{Action, Motion};
use super::keymap::{Keymap, Keys, Mode, pretty};
use super::{App, Overlay, Step};

/// Scrolling the help: a line, a page, the ends; its keys come from the keymap (`help`).
pub(super) fn update(app: &mut App, action: Action) -> Step {
    let last = rows(&app.keymap).len().saturating_sub(1);
    let page = app.size.height.saturating_sub(4).max(1) as usize;
    let s = &mut app.help.scroll;
    match action {
        Action::ScrollDown => *s = (*s + 1).min(last),
        Action::ScrollUp => *s = s.saturating_sub(1),
        Action::Move(Motion::PageDown) => *s = (*s + page).min(last),
        Action::Move(Motion::PageUp) => *s = s.saturating_sub(page),
        Action::Move(Motion::Top) => *s = 0,
        Action::Move(Motion::Bottom) => *s = last,
        Action::ToggleHelp | Action::Cancel => app.overlay = Overlay::None,
        other => return Err(other),
    }
    Ok(vec![])
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    Title(String),
    /// Keys (friendly spelling) and what they do.
    Binding(String, String),
    Blank,
}

/// Groups bindings by action (in the Action enum's order) so `j` and `↓` share a row.
fn group(bindings: Vec<(&Keys, &Action)>) -> Vec<HelpRow> {
    let mut out: Vec<(Action, Vec<String>)> = Vec::new();
    for (k, a) in bindings {
        match out.iter_mut().find(|(b, _)| b == a) {
            Some((_, keys)) => keys.push(pretty(k)),
            None => out.push((a.clone(), vec![pretty(k)])),
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter()
        .map(|(a, mut keys)| {
            // Letters first: they are what people type; arrows and names are alternatives.
            keys.sort_by_key(|k| (k.chars().count() > 2, k.clone()));
            HelpRow::Binding(keys.join(" "), a.describe())
        })
        .collect()
}

pub fn rows(keymap: &Keymap) -> Vec<HelpRow> {
    let reader = keymap.mode_bindings(Mode::Reader);
    let mut sections = vec![("Everywhere".to_string(), group(keymap.global_bindings()))];
    for mode in Mode::ALL {
        let mut b = keymap.mode_bindings(mode);
        let mut title = mode.title().to_string();
        if mode == Mode::Visual {
            // The selection shares the reader's motions; list only what it adds.
            b.retain(|kb| !reader.contains(kb));
            title.push_str(": reader motions, and");
        }
        sections.push((title, group(b)));
    }
    let mouse = [
        ("click", "open an article / annotation, place the cursor"),
        ("drag", "select text in the reading pane"),
        ("wheel", "scroll"),
    ];
    sections
        .push(("Mouse".into(), mouse.iter().map(|(k, d)| HelpRow::Binding(k.to_string(), d.to_string())).collect()));
    let mut out = Vec::new();
    for (title, rows) in sections {
        out.push(HelpRow::Title(title));
        out.extend(rows);
        out.push(HelpRow::Blank);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_binding_of_every_mode() {
        let km = Keymap::default_map();
        let rows = rows(&km);
        let text: Vec<String> = rows
            .iter()
            .map(|r| match r {
                HelpRow::Binding(k, d) => format!("{k} {d}"),
                HelpRow::Title(t) => t.clone(),
                HelpRow::Blank => String::new(),
            })
            .collect();
        for mode in Mode::ALL {
            for (keys, action) in km.mode_bindings(mode) {
                let want = pretty(keys);
                assert!(
                    text.iter().any(|l| l.split(' ').any(|k| k == want) && l.ends_with(&action.describe())),
                    "{mode:?}: {want} ({action:?}) is missing from the help"
                );
            }
        }
    }
}
