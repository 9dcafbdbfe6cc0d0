//! The one-line prompts (list filter, corpus search, in-article search, note): a small line
//! editor with a cursor (Left/Right/Home/End, Backspace/Delete, Ctrl-W, Ctrl-U), grapheme by
//! grapheme, and Enter / Esc. Keys here are text entry, not bindings (see `input`).

use super::event::PromptKey;
use super::{Action, App, Effect, Overlay, PromptKind, Step, edit, list, reader};
use crate::model::motion as mv;
use crate::model::quote::Search;

/// Enter submits, Esc cancels; the rest of the keymap does not apply while typing.
pub(super) fn update(app: &mut App, action: Action) -> Step {
    match action {
        Action::MenuChoose => Ok(submit(app)),
        Action::Cancel => {
            if let Overlay::Prompt { kind: PromptKind::Filter, .. } = std::mem::replace(&mut app.overlay, Overlay::None)
            {
                app.list.filter.clear();
                app.refilter();
            }
            Ok(vec![])
        }
        other => Err(other),
    }
}

/// Inserts typed or pasted text at the cursor.
pub(super) fn insert(app: &mut App, s: &str) {
    edit_text(app, |text, cursor| {
        text.insert_str(*cursor, s);
        *cursor += s.len();
    });
}

/// Applies an editing key.
pub(super) fn key(app: &mut App, k: PromptKey) {
    edit_text(app, |text, cursor| {
        let c = *cursor;
        match k {
            PromptKey::Left => *cursor = mv::prev_grapheme(text, c),
            PromptKey::Right => *cursor = mv::next_grapheme(text, c).min(text.len()),
            PromptKey::Home => *cursor = 0,
            PromptKey::End => *cursor = text.len(),
            PromptKey::Erase => {
                let p = mv::prev_grapheme(text, c);
                text.replace_range(p..c, "");
                *cursor = p;
            }
            PromptKey::Delete if c < text.len() => {
                let n = mv::next_grapheme(text, c).min(text.len());
                text.replace_range(c..n, "");
            }
            PromptKey::Delete => {}
            PromptKey::EraseWord => {
                // As in a shell: the spaces before the cursor, then the word before them.
                let before = &text[..c];
                let word_end = before.trim_end().len();
                let start = before[..word_end].rfind(char::is_whitespace).map_or(0, |i| i + 1);
                text.replace_range(start..c, "");
                *cursor = start;
            }
            PromptKey::EraseToStart => {
                text.replace_range(..c, "");
                *cursor = 0;
            }
        }
    });
}

fn edit_text(app: &mut App, f: impl FnOnce(&mut String, &mut usize)) {
    let Overlay::Prompt { kind, text, cursor } = &mut app.overlay else { return };
    f(text, cursor);
    if *kind == PromptKind::Filter {
        let text = text.clone();
        list::filter_changed(app, &text);
    } else if *kind == PromptKind::Entity(super::entity_view::Ask::Filter) {
        let text = text.clone();
        super::entity_view::filter_changed(app, &text);
    }
}

fn submit(app: &mut App) -> Vec<Effect> {
    let Overlay::Prompt { kind, text, .. } = std::mem::replace(&mut app.overlay, Overlay::None) else {
        return vec![];
    };
    match kind {
        PromptKind::Filter => {
            let n = app.list.visible.len();
            app.info(format!("{n} article(s) match “{text}” (Esc in the list clears the filter)"));
            vec![]
        }
        PromptKind::CorpusSearch => list::corpus_search(app, &text),
        PromptKind::Search => {
            if !text.is_empty() {
                app.search = Search::new(&text);
            }
            reader::update(app, Action::SearchNext).unwrap_or_default()
        }
        PromptKind::Note(id) => edit::set_note(app, &id, text),
        PromptKind::Attribute { target, attribute } => super::menus::set_typed_value(app, &target, &attribute, &text),
        PromptKind::Entity(ask) => super::entity_view::submit(app, ask, text),
        PromptKind::ReviewComment(id) => super::review::commented(app, &id, text),
    }
}
