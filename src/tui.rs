//! The terminal loop: draw, read an event, update, perform the saves update asked for.
//!
//! ratatui::init sets up raw mode and the alternate screen and restores them on panic; we add
//! mouse capture and undo it on every exit path. Ctrl-C arrives as a key in raw mode and
//! maps to Quit, so it leaves through the same restore as `q`.

use crate::app::{App, Effect, Msg, input, update};
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use std::time::Duration;

pub fn run(app: &mut App) -> anyhow::Result<()> {
    let mut terminal = ratatui::init();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        hook(info);
    }));
    // A paste arrives as one event, so a prompt takes it in one edit.
    let _ = execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let result = event_loop(&mut terminal, app);
    let _ = execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    // After the restore, so the words stay on the terminal: what was discarded, where copies
    // are, and conflicts that are still waiting.
    for note in &app.exit_notes {
        eprintln!("newsnote: {}", crate::wrap::sanitize(note));
    }
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    let size = terminal.size()?;
    dispatch(app, Msg::Resize { width: size.width, height: size.height });
    while !app.should_quit {
        terminal.draw(|frame| crate::ui::render(app, frame))?;
        // Handle everything already queued before drawing again, so held keys never lag.
        loop {
            let ev = event::read()?;
            // Debug builds only: lets the end-to-end tests prove a panic restores the terminal.
            #[cfg(debug_assertions)]
            if std::env::var_os("NEWSNOTE_TEST_PANIC_ON_KEY").is_some() && matches!(ev, event::Event::Key(_)) {
                panic!("test panic requested by NEWSNOTE_TEST_PANIC_ON_KEY");
            }
            if let Some(msg) = input::msg_for(app, &ev) {
                dispatch(app, msg);
            }
            // 1 ms, not zero: with crossterm's /dev/tty reader a zero poll never returns events
            // already read, and a burst (a paste, a held key) would stall until the next key.
            if app.should_quit || !event::poll(Duration::from_millis(1))? {
                break;
            }
        }
    }
    Ok(())
}

/// Runs a message and performs the saves it requests, reporting each result back.
pub fn dispatch(app: &mut App, msg: impl Into<Msg>) {
    for effect in update(app, msg) {
        match effect {
            Effect::Save { entry, request } => {
                let result = crate::model::save::save(request);
                dispatch(app, Msg::Saved { entry, result });
            }
            Effect::Copy(text) => {
                // What reaches the clipboard is pasted somewhere later, maybe into a terminal:
                // no control or bidi character goes along (line breaks do).
                let safe = crate::model::display::sanitize_lines(&text).into_owned();
                let _ = execute!(
                    std::io::stdout(),
                    ratatui::crossterm::clipboard::CopyToClipboard::to_clipboard_from(safe)
                );
            }
            Effect::Rescue(docs) => {
                let notes = crate::model::rescue::keep_copies(&docs);
                app.exit_notes.extend(notes);
            }
        }
    }
}
