//! Terminal events → actions.
//!
//! Keys become tokens in the keymap's notation (`j`, `<c-r>`, `<enter>`) and go through the
//! keymap for the current mode, waiting when a token starts a longer binding (`]` of `]q`).
//! Prompts (filter, search, note) and the quit dialog read keys directly: text entry is not
//! a binding. Mouse, resize and paste events become the matching [`Msg`]s.

use super::event::PromptKey;
use super::keymap::Lookup;
use super::{Action, App, Msg, Overlay};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};

/// The keymap token for a key press.
pub fn token(key: &KeyEvent) -> Option<String> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let named = |n: &str| Some(format!("<{n}>"));
    match key.code {
        KeyCode::Char(' ') if !ctrl && !alt => named("space"),
        KeyCode::Char(c) if ctrl => named(&format!("c-{}", c.to_ascii_lowercase())),
        KeyCode::Char(c) if alt => named(&format!("a-{c}")),
        KeyCode::Char(c) => Some(c.to_string()),
        KeyCode::Enter => named("enter"),
        KeyCode::Esc => named("esc"),
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => named("s-tab"),
        KeyCode::Tab => named("tab"),
        KeyCode::BackTab => named("s-tab"),
        KeyCode::Backspace => named("backspace"),
        KeyCode::Up => named("up"),
        KeyCode::Down => named("down"),
        KeyCode::Left => named("left"),
        KeyCode::Right => named("right"),
        KeyCode::PageUp => named("pgup"),
        KeyCode::PageDown => named("pgdown"),
        KeyCode::Home => named("home"),
        KeyCode::End => named("end"),
        KeyCode::Delete => named("del"),
        _ => None,
    }
}

/// The message for a terminal event, if any. Updates the pending key sequence.
pub fn msg_for(app: &mut App, event: &Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_msg(app, key),
        Event::Paste(text) if matches!(app.overlay, Overlay::Prompt { .. }) => Some(Msg::Paste(text.clone())),
        Event::Resize(width, height) => Some(Msg::Resize { width: *width, height: *height }),
        Event::Mouse(m) => {
            let (col, row) = (m.column, m.row);
            match m.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click { col, row }),
                MouseEventKind::Drag(MouseButton::Left) => Some(Msg::Drag { col, row }),
                MouseEventKind::Up(MouseButton::Left) => Some(Msg::Release),
                MouseEventKind::ScrollDown => Some(Msg::Wheel { down: true, col, row }),
                MouseEventKind::ScrollUp => Some(Msg::Wheel { down: false, col, row }),
                _ => None,
            }
        }
        _ => None,
    }
}

fn key_msg(app: &mut App, key: &KeyEvent) -> Option<Msg> {
    let tok = token(key)?;
    match &app.overlay {
        Overlay::Prompt { .. } => {
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            return match (tok.as_str(), key.code) {
                ("<enter>", _) => Some(Action::MenuChoose.into()),
                ("<esc>" | "<c-c>", _) => Some(Action::Cancel.into()),
                ("<backspace>", _) => Some(Msg::Prompt(PromptKey::Erase)),
                ("<del>", _) => Some(Msg::Prompt(PromptKey::Delete)),
                ("<left>" | "<c-b>", _) => Some(Msg::Prompt(PromptKey::Left)),
                ("<right>" | "<c-f>", _) => Some(Msg::Prompt(PromptKey::Right)),
                ("<home>" | "<c-a>", _) => Some(Msg::Prompt(PromptKey::Home)),
                ("<end>" | "<c-e>", _) => Some(Msg::Prompt(PromptKey::End)),
                ("<c-w>", _) => Some(Msg::Prompt(PromptKey::EraseWord)),
                ("<c-u>", _) => Some(Msg::Prompt(PromptKey::EraseToStart)),
                (_, KeyCode::Char(c)) if !ctrl => Some(Msg::Type(c)),
                _ => None,
            };
        }
        // Typing filters the source picker; arrows move, Enter chooses, Esc cancels.
        Overlay::Picker { .. }
            if matches!(key.code, KeyCode::Char(_)) && !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            let KeyCode::Char(c) = key.code else { unreachable!() };
            return Some(Msg::Type(c));
        }
        Overlay::Picker { .. } if key.code == KeyCode::Backspace => return Some(Msg::Prompt(PromptKey::Erase)),
        // The entity picker filters the same way; its own keys (Ctrl-N…) are the keymap's.
        Overlay::Entity { .. }
            if matches!(key.code, KeyCode::Char(_)) && !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            let KeyCode::Char(c) = key.code else { unreachable!() };
            return Some(Msg::Type(c));
        }
        Overlay::Entity { .. } if key.code == KeyCode::Backspace => return Some(Msg::Prompt(PromptKey::Erase)),
        // In the codebook's menus a character is a value's, an attribute's or a label's key
        // (the codebook's, not the keymap's); Backspace clears a value.
        Overlay::Values { .. }
        | Overlay::Attributes { .. }
        | Overlay::Relabel { .. }
        | Overlay::EntityValues { .. }
        | Overlay::EntityMenu(_)
            if matches!(key.code, KeyCode::Char(_)) && !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            let KeyCode::Char(c) = key.code else { unreachable!() };
            return Some(Msg::Type(c));
        }
        Overlay::Values { .. } if matches!(key.code, KeyCode::Backspace | KeyCode::Delete) => {
            return Some(Msg::Prompt(PromptKey::Erase));
        }
        Overlay::QuitConfirm => {
            // Only an explicit D discards; q retries; anything else steps back.
            return Some(
                match tok.as_str() {
                    "D" => Action::DiscardAndQuit,
                    "q" => Action::Quit,
                    _ => Action::Cancel,
                }
                .into(),
            );
        }
        _ => {}
    }
    // After f/t/F/T the next key is the character to find, whatever it is bound to.
    if app.reader.awaiting_find.is_some() {
        return match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => Some(Msg::Type(c)),
            _ => {
                app.reader.awaiting_find = None;
                None
            }
        };
    }
    // A key press dismisses the last message, as in vim; the status bar keeps the lasting state.
    app.message = None;
    // Ctrl-C always gets out, whatever a user keymap says.
    if tok == "<c-c>" && matches!(app.overlay, Overlay::None) {
        return Some(Action::Quit.into());
    }
    // A count before a binding (`3w`, `5j`): digits, a 0 only after another digit (0 alone
    // is a motion), in the panes, never inside a key sequence.
    // Adjudication binds the digits to the coders' versions: no counts there.
    let counting = matches!(app.overlay, Overlay::None) && app.pending.is_empty() && app.adjudicating().is_none();
    if let Some(d) = tok.chars().next().and_then(|c| c.to_digit(10)).filter(|_| tok.len() == 1 && counting)
        && (d > 0 || app.reader.count.is_some())
    {
        let n = app.reader.count.unwrap_or(0).saturating_mul(10).saturating_add(d as usize);
        app.reader.count = Some(n.min(99_999));
        return None;
    }
    app.pending.push(tok.clone());
    let lookup = |app: &App| match app.adjudicating() {
        Some(over) => app.keymap.lookup_over(over, app.mode(), &app.pending),
        None => app.keymap.lookup(app.mode(), &app.pending),
    };
    let mut found = lookup(app);
    if found == Lookup::None && app.pending.len() > 1 {
        // A broken sequence: drop the prefix and try the last key on its own.
        app.pending = vec![tok];
        found = lookup(app);
    }
    match found {
        Lookup::Action(a) => {
            app.pending.clear();
            Some(a.into())
        }
        Lookup::Pending => None,
        Lookup::None => {
            app.pending.clear();
            None
        }
    }
}
