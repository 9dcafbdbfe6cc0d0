//! The key help as data, generated from the live keymap.
//!
//! Lives in the app rather than the view because `update` needs its length to keep the help's
//! scroll in range; the view only lays the rows out.

use super::action::{Action, Motion};
use super::keymap::{Keymap, Keys, Mode, pretty};
use super::{App, Overlay, Step};
use crate::model::annotation::LabelId;
use crate::model::codebook::Codebook;
use crate::model::display::{sanitize, width};

/// Scrolling the help: a line, a page, the ends; its keys come from the keymap (`help`).
pub(super) fn update(app: &mut App, action: Action) -> Step {
    let last = max_scroll(&app.keymap, &app.codebook, app.size.width, app.size.height);
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

/// The key column's width in each row's section, as the view pads it (at most 14).
pub fn key_widths(rows: &[HelpRow]) -> Vec<usize> {
    let key = |r: &HelpRow| match r {
        HelpRow::Binding(k, _) => Some(width(&sanitize(k))),
        HelpRow::Look(_, name, nested, _) => Some(width(&sanitize(&look_key(name, *nested)))),
        _ => None,
    };
    let mut out = vec![0; rows.len()];
    let mut i = 0;
    while i < rows.len() {
        let end = i + 1 + rows[i + 1..].iter().take_while(|r| key(r).is_some()).count();
        let w = rows[i..end].iter().filter_map(key).max().unwrap_or(0).min(14);
        out[i..end].iter_mut().for_each(|x| *x = w);
        i = end;
    }
    out
}

/// The key column of a label look row: the label's name, or an arrow for its nested shade.
pub fn look_key(name: &str, nested: bool) -> String {
    if nested { format!("↳ {name}") } else { name.to_owned() }
}

/// Display width of each help line as the view draws it: ` KEY  description`.
pub fn line_widths(rows: &[HelpRow]) -> Vec<usize> {
    let keys = key_widths(rows);
    rows.iter()
        .zip(keys)
        .map(|(r, kw)| match r {
            HelpRow::Title(t) => width(&sanitize(t)),
            HelpRow::Binding(k, d) => 1 + kw.max(width(&sanitize(k))) + 2 + width(&sanitize(d)),
            HelpRow::Look(_, name, n, d) => 1 + kw.max(width(&sanitize(&look_key(name, *n)))) + 2 + width(&sanitize(d)),
            HelpRow::Blank => 0,
        })
        .collect()
}

/// How the help is cut into columns: `(columns, rows per column, width of each column)`.
/// Computed for the whole help at once, so scrolling moves every column by the same rows
/// and nothing re-flows: the fewest columns that show everything at this height, else as
/// many as fit side by side.
pub fn grid(widths: &[usize], width: usize, height: usize) -> (usize, usize, Vec<usize>) {
    let n = widths.len().max(1);
    let layout = |k: usize| {
        let h = n.div_ceil(k);
        let cols: Vec<usize> = widths.chunks(h).map(|c| c.iter().max().copied().unwrap_or(0) + 2).collect();
        (k, h, cols)
    };
    // The last column needs no gap after it.
    let fits = |cols: &[usize]| cols.iter().sum::<usize>() <= width + 2;
    let mut best = layout(1);
    for k in 2..=n.min(8) {
        let l = layout(k);
        if !fits(&l.2) {
            break;
        }
        let done = l.1 <= height;
        best = l;
        if done {
            break;
        }
    }
    best
}

/// The help box's inner size on a terminal of this size (the view's box: 2 columns and
/// 1 row of margin, then the border).
pub fn inner_size(width: u16, height: u16) -> (usize, usize) {
    (width.saturating_sub(6) as usize, height.saturating_sub(4).max(1) as usize)
}

/// The last scroll position that shows something new: the grid's height less a screen.
pub fn max_scroll(keymap: &Keymap, cb: &Codebook, width: u16, height: u16) -> usize {
    let (w, h) = inner_size(width, height);
    let (_, rows_per_column, _) = grid(&line_widths(&rows(keymap, cb)), w, h);
    rows_per_column.saturating_sub(h)
}

/// The codebook overlay's lines at a terminal `width`: the codebook's listing wrapped to the
/// box, a wrapped line indented under its own text. One function for the view and for
/// `update`, so the scroll stops at the last line the view shows.
pub fn codebook_lines(cb: &Codebook, width: u16) -> Vec<String> {
    let inner = (width.saturating_sub(4).saturating_sub(2)).max(1) as usize;
    let mut out = Vec::new();
    for l in cb.listing().lines() {
        let l = crate::wrap::sanitize(l);
        let indent = " ".repeat(l.len() - l.trim_start().len() + 2);
        let indent = if indent.len() * 2 < inner { indent } else { String::new() };
        let opts = textwrap::Options::new(inner).subsequent_indent(&indent);
        out.extend(textwrap::wrap(&l, opts).into_iter().map(|c| c.into_owned()));
    }
    out
}

/// The first line of the codebook overlay's view at most: the rest would show only blanks.
pub fn codebook_max_scroll(cb: &Codebook, width: u16, height: u16) -> usize {
    let rows = height.saturating_sub(2).saturating_sub(2) as usize;
    codebook_lines(cb, width).len().saturating_sub(rows)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    Title(String),
    /// Keys (friendly spelling) and what they do.
    Binding(String, String),
    /// A label as it is painted (drawn in its look, or in its nested shade when the flag is
    /// set) and the words for that look.
    /// The label, its name, whether the nested shade, and the words.
    Look(LabelId, String, bool, String),
    Blank,
}

/// The list filter's terms (`model::meta::Term`), as the help and the README explain them.
pub const FILTER_TERMS: [(&str, &str); 7] = [
    ("word", "the id or title contains it, ignoring case"),
    ("outlet:X", "the outlet contains X (outlet:reuters)"),
    ("date:P", "the day starts with P (date:2026-11)"),
    ("from:P", "on or after P (from:2026-11-01, from:2026)"),
    ("to:P", "on or before P, all of it (to:2026-11)"),
    ("done:NAME", "the coder NAME marked it done (done: alone: you)"),
    ("todo:NAME", "the coder NAME has not marked it done (todo: alone: you)"),
];

/// What the marks in the panes and overlays mean.
pub const MARKERS: [(&str, &str); 13] = [
    ("●", "list: has annotations"),
    ("12·15·0", "list: counts per label, in codebook order"),
    ("?7", "list: open suggestions, counted apart (? alone: only those)"),
    ("C?92%", "a suggestion, 92% sure (faded in the text, ? in its margin)"),
    ("!", "list: its annotation file is unreadable"),
    ("⊘", "list: not an article (binary, too large)"),
    ("dir/", "list: the folder of the article"),
    ("✎", "sidebar: the annotation has a note"),
    ("← no source", "sidebar: a claim without a source"),
    ("⚠", "attention: re-anchored, its text changed"),
    ("?", "attention: a place proposed, y takes it"),
    ("⚡", "attention: a conflict with another writer"),
    ("…", "cut to fit (status bar: see the log)"),
];

/// The label looks, from the one table (`model::look`): each label's name drawn in its look
/// and in its nested shade (the view paints them), with what the label marks.
fn looks(cb: &Codebook) -> Vec<HelpRow> {
    cb.legend()
        .flat_map(|(label, l)| {
            let id = LabelId::new(label.id.clone());
            [
                HelpRow::Look(id.clone(), label.name.clone(), false, l.meaning.clone()),
                HelpRow::Look(id, label.name.clone(), true, format!("in or right after another {}", label.name)),
            ]
        })
        .collect()
}

/// The codebook's keys: each label's, and the values of every attribute (menus after the
/// label's key, `=` or `r`).
fn codebook_keys(cb: &Codebook) -> Vec<HelpRow> {
    let mut out: Vec<HelpRow> = cb
        .labels
        .iter()
        .map(|l| HelpRow::Binding(l.key.clone(), format!("{} — {}", l.name, first_sentence(&l.definition))))
        .collect();
    for a in &cb.attributes {
        let values: Vec<String> = a.kind.values().iter().map(|v| format!("{} {}", v.key, v.name)).collect();
        let on = a.labels.join(", ");
        let what = if values.is_empty() { a.kind.type_name().to_string() } else { values.join(" · ") };
        out.push(HelpRow::Binding(format!("{} ({on})", a.name), what));
    }
    out
}

fn first_sentence(s: &str) -> &str {
    s.split_inclusive(['.', ':']).next().unwrap_or("").trim_end_matches(['.', ':'])
}

/// What a binding does in `mode`, in the codebook's words for its labels: the entities view reuses actions whose general words
/// ("first article") would be wrong there.
fn describe_in(cb: &Codebook, mode: Option<Mode>, a: &Action) -> String {
    if mode == Some(Mode::Entities)
        && let Some(d) = super::entity_view::describe(a)
    {
        return d.into();
    }
    if mode == Some(Mode::Stats)
        && let Some(d) = super::stats_view::describe(a)
    {
        return d.into();
    }
    match a {
        Action::Tag(id) => format!("tag selection as {}", cb.label_name(&LabelId::new(id.clone()))),
        other => other.describe(),
    }
}

/// Groups bindings by action (in the Action enum's order) so `j` and `↓` share a row.
fn group(cb: &Codebook, mode: Option<Mode>, bindings: Vec<(&Keys, &Action)>) -> Vec<HelpRow> {
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
            HelpRow::Binding(keys.join(" "), describe_in(cb, mode, &a))
        })
        .collect()
}

pub fn rows(keymap: &Keymap, cb: &Codebook) -> Vec<HelpRow> {
    let reader = keymap.mode_bindings(Mode::Reader);
    let mut sections = vec![("Everywhere".to_string(), group(cb, None, keymap.global_bindings()))];
    for mode in Mode::ALL {
        let mut b = keymap.mode_bindings(mode);
        let mut title = mode.title().to_string();
        if mode == Mode::Visual {
            // The selection shares the reader's motions; list only what it adds, and how to
            // leave it (Esc cancels here too).
            b.retain(|kb| !reader.contains(kb) || *kb.1 == Action::Cancel);
            title.push_str(": reader motions, and");
        }
        sections.push((title, group(cb, Some(mode), b)));
    }
    sections.push((
        "List filter (/): every term must match".into(),
        FILTER_TERMS.iter().map(|(k, d)| HelpRow::Binding(k.to_string(), d.to_string())).collect(),
    ));
    let mouse = [
        ("click", "open an article / annotation, place the cursor"),
        ("drag", "select text in the reading pane"),
        ("wheel", "scroll"),
    ];
    sections
        .push(("Mouse".into(), mouse.iter().map(|(k, d)| HelpRow::Binding(k.to_string(), d.to_string())).collect()));
    sections.push((
        "Markers".into(),
        MARKERS.iter().map(|(k, d)| HelpRow::Binding(k.to_string(), d.to_string())).collect(),
    ));
    sections.push((format!("Codebook: {} {} (K shows it all)", cb.name, cb.version), codebook_keys(cb)));
    sections.push(("Label looks".into(), looks(cb)));
    let mut out = Vec::new();
    for (title, rows) in sections {
        out.push(HelpRow::Title(title));
        out.extend(rows);
        out.push(HelpRow::Blank);
    }
    out
}

/// How to make a first annotation, with the keys of the live keymap.
pub fn empty_sidebar_hint(app: &App) -> String {
    let key = |mode, action: &Action| {
        app.keymap
            .keys_for(mode, action)
            .first()
            .map_or_else(|| "?".to_string(), |k| crate::model::display::sanitize(k).into_owned())
    };
    let labels: Vec<String> = app
        .codebook
        .labels
        .iter()
        .map(|l| format!("{} ({})", key(Mode::Visual, &Action::Tag(l.id.clone())), l.name))
        .collect();
    format!(
        "No annotations in this article yet. To make one, in the text: {} to select, then {}.",
        key(Mode::Reader, &Action::StartSelection),
        labels.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_binding_of_every_mode() {
        let mut km = Keymap::default_map();
        let cb = Codebook::default_scheme();
        km.bind_labels(cb);
        let rows = rows(&km, cb);
        let text: Vec<String> = rows
            .iter()
            .map(|r| match r {
                HelpRow::Binding(k, d) => format!("{k} {d}"),
                HelpRow::Title(t) => t.clone(),
                HelpRow::Look(l, _, _, d) => format!("{l} {d}"),
                HelpRow::Blank => String::new(),
            })
            .collect();
        for mode in Mode::ALL {
            for (keys, action) in km.mode_bindings(mode) {
                let want = pretty(keys);
                assert!(
                    text.iter()
                        .any(|l| l.split(' ').any(|k| k == want) && l.ends_with(&describe_in(cb, Some(mode), action))),
                    "{mode:?}: {want} ({action:?}) is missing from the help"
                );
            }
        }
    }

    #[test]
    fn the_help_explains_every_field_the_list_filter_reads() {
        let rows = rows(&Keymap::default_map(), Codebook::default_scheme());
        for field in crate::model::meta::FIELDS {
            let key = format!("{field}:");
            assert!(
                rows.iter().any(|r| matches!(r, HelpRow::Binding(k, _) if k.starts_with(&key))),
                "{key} is not in the help"
            );
        }
    }

    #[test]
    fn the_selection_section_shows_how_to_cancel_it() {
        let rows = rows(&Keymap::default_map(), Codebook::default_scheme());
        let at = rows.iter().position(|r| matches!(r, HelpRow::Title(t) if t.starts_with("Selection"))).unwrap();
        let section: Vec<_> = rows[at + 1..].iter().take_while(|r| **r != HelpRow::Blank).collect();
        let cancel = Action::Cancel.describe();
        assert!(
            section
                .iter()
                .any(|r| matches!(r, HelpRow::Binding(k, d) if k.split(' ').any(|k| k == "Esc") && *d == cancel)),
            "{section:?}"
        );
    }

    #[test]
    fn every_marker_and_label_look_is_explained_in_the_help() {
        let cb = Codebook::default_scheme();
        let rows = rows(&Keymap::default_map(), cb);
        for m in ["●", "!", "⊘", "✎", "← no source", "12·15·0", "⚡", "⚠", "?", "…", "?7", "C?92%"] {
            assert!(rows.iter().any(|r| matches!(r, HelpRow::Binding(k, _) if k == m)), "{m} is not explained");
        }
        for (label, _) in cb.legend() {
            assert!(rows.iter().any(|r| matches!(r, HelpRow::Look(l, _, false, _) if l.0 == label.id)), "{}", label.id);
            assert!(rows.iter().any(|r| matches!(r, HelpRow::Binding(k, _) if *k == label.key)), "{}", label.key);
        }
    }
}
