//! Terminal events → actions.
//!
//! Keys become tokens in the keymap's notation (`j`, `<c-r>`, `<enter>`) and go through the
//! keymap for the current mode, waiting when a token starts a longer binding (`]` of `]q`).
//! Prompts (filter, search, note) and the help overlay read keys directly: text entry is not
//! a binding.

use super::keymap::Lookup;
use super::{Action, App, Overlay};
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

/// The action for a terminal event, if any. Updates the pending key sequence.
pub fn action_for(app: &mut App, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(app, key),
        Event::Resize(width, height) => Some(Action::Resize { width: *width, height: *height }),
        Event::Mouse(m) => {
            let (col, row) = (m.column, m.row);
            match m.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { col, row }),
                MouseEventKind::Drag(MouseButton::Left) => Some(Action::Drag { col, row }),
                MouseEventKind::Up(MouseButton::Left) => Some(Action::Release),
                MouseEventKind::ScrollDown => Some(Action::Wheel { down: true, col, row }),
                MouseEventKind::ScrollUp => Some(Action::Wheel { down: false, col, row }),
                _ => None,
            }
        }
        _ => None,
    }
}

fn key_action(app: &mut App, key: &KeyEvent) -> Option<Action> {
    let tok = token(key)?;
    match &app.overlay {
        Overlay::Prompt { .. } => {
            return match (tok.as_str(), key.code) {
                ("<enter>", _) => Some(Action::MenuChoose),
                ("<esc>" | "<c-c>", _) => Some(Action::Cancel),
                ("<backspace>", _) => Some(Action::Erase),
                (_, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => Some(Action::Type(c)),
                _ => None,
            };
        }
        Overlay::QuitConfirm => {
            // Only an explicit D discards; q retries; anything else steps back.
            return Some(match tok.as_str() {
                "D" => Action::DiscardAndQuit,
                "q" => Action::Quit,
                _ => Action::Cancel,
            });
        }
        Overlay::Help => {
            return match tok.as_str() {
                "?" | "<esc>" | "q" | "<enter>" | "<c-c>" => Some(Action::ToggleHelp),
                "j" | "<down>" | "<pgdown>" | "<space>" => Some(Action::ScrollDown),
                "k" | "<up>" | "<pgup>" => Some(Action::ScrollUp),
                _ => None,
            };
        }
        _ => {}
    }
    // A key press dismisses the last message, as in vim; the status bar keeps the lasting state.
    app.message = None;
    // Ctrl-C always gets out, whatever a user keymap says.
    if tok == "<c-c>" && matches!(app.overlay, Overlay::None) {
        return Some(Action::Quit);
    }
    app.pending.push(tok.clone());
    let mut found = app.keymap.lookup(app.mode(), &app.pending);
    if found == Lookup::None && app.pending.len() > 1 {
        // A broken sequence: drop the prefix and try the last key on its own.
        app.pending = vec![tok];
        found = app.keymap.lookup(app.mode(), &app.pending);
    }
    match found {
        Lookup::Action(a) => {
            app.pending.clear();
            Some(a)
        }
        Lookup::Pending => None,
        Lookup::None => {
            app.pending.clear();
            None
        }
    }
}
