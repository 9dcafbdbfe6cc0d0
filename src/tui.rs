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
    // Jobs off the loop (the corpus search, the titles a filter needs) report back here.
    let (tx, rx) = std::sync::mpsc::channel();
    let watch_ms = match std::env::var("NEWSNOTE_WATCH_MS").ok().and_then(|v| v.parse::<u64>().ok()) {
        Some(0) => None,
        Some(ms) => Some(ms),
        None => Some(1000),
    };
    let size = terminal.size()?;
    perform(app, Msg::Resize { width: size.width, height: size.height }, Some(&tx));
    // The multi-part wide graphemes of the frame last drawn, to notice one leaving its cell
    // (see `stale_cells`): usually none, so a frame copies nothing.
    let mut last: Vec<Cluster> = Vec::new();
    while !app.should_quit {
        let mut stale = Vec::new();
        terminal.draw(|frame| {
            crate::ui::render(app, frame);
            let now = frame.buffer_mut();
            stale = stale_cells(&last, now).into_iter().map(|(x, y)| (x, y, now[(x, y)].clone())).collect();
            last = clusters(now);
        })?;
        if !stale.is_empty() {
            // A flag or a ZWJ sequence left these cells: some terminals (tmux) keep its parts
            // in cells ratatui does not rewrite, so write them again.
            let cells = stale.iter().map(|(x, y, cell)| (*x, *y, cell));
            ratatui::backend::Backend::draw(terminal.backend_mut(), cells)?;
            ratatui::backend::Backend::flush(terminal.backend_mut())?;
        }
        if let Ok(done) = rx.try_recv() {
            perform(app, Msg::Done(done), Some(&tx));
            continue;
        }
        // While a job runs, wake up to redraw its progress; otherwise wake up once a second
        // (NEWSNOTE_WATCH_MS; 0 turns it off) to notice another writer's changes to the open
        // article's file.
        let tick = if app.busy.is_some() { 100 } else { watch_ms.unwrap_or(u64::MAX / 2) };
        if !event::poll(Duration::from_millis(tick))? {
            let changed = |w: Option<(std::path::PathBuf, Option<crate::model::save::Stamp>)>| {
                w.is_some_and(|(path, stamp)| crate::model::save::Stamp::of(&path) != stamp)
            };
            if watch_ms.is_some() && (changed(app.watched()) || changed(app.watched_entities())) {
                perform(app, Msg::FileChanged, Some(&tx));
            }
            continue;
        }
        // Handle everything already queued before drawing again, so held keys never lag.
        loop {
            let ev = event::read()?;
            // Debug builds only: lets the end-to-end tests prove a panic restores the terminal.
            #[cfg(debug_assertions)]
            if std::env::var_os("NEWSNOTE_TEST_PANIC_ON_KEY").is_some() && matches!(ev, event::Event::Key(_)) {
                panic!("test panic requested by NEWSNOTE_TEST_PANIC_ON_KEY");
            }
            if let Some(msg) = input::msg_for(app, &ev) {
                perform(app, msg, Some(&tx));
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

/// Runs a message and performs the effects it requests, reporting each result back. Jobs
/// run here, on this thread: for tests and the headless driver, which want their results
/// before the next key.
pub fn dispatch(app: &mut App, msg: impl Into<Msg>) {
    perform(app, msg.into(), None);
}

/// Performs a message's effects; jobs go to a thread when `jobs` can take their results.
fn perform(app: &mut App, msg: Msg, jobs: Option<&std::sync::mpsc::Sender<crate::app::jobs::Done>>) {
    for effect in update(app, msg) {
        match effect {
            Effect::Save { entry, request } => {
                let result = crate::model::save::save(*request);
                perform(app, Msg::Saved { entry, result }, jobs);
            }
            Effect::Start(handle) => match jobs {
                Some(tx) => {
                    let tx = tx.clone();
                    // Detached: a quit does not wait for it (it only reads).
                    std::thread::spawn(move || {
                        let _ = tx.send(handle.run());
                    });
                }
                None => {
                    let done = handle.run();
                    perform(app, Msg::Done(done), None);
                }
            },
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
            Effect::SaveEntities(request) => {
                let result = crate::model::save::save(*request);
                perform(app, Msg::EntitiesSaved(result), jobs);
            }
            Effect::SaveProgress(request) => {
                let result = crate::model::save::save(*request);
                perform(app, Msg::ProgressSaved(result), jobs);
            }
            Effect::RescueEntities(file) => {
                let note = crate::model::rescue::keep_entities_copy(&file);
                app.exit_notes.push(note);
            }
        }
    }
}

/// A grapheme of several code points wider than one column (a flag's two regional indicators,
/// a ZWJ emoji) where a frame drew it: position, symbol, width.
pub struct Cluster {
    x: u16,
    y: u16,
    symbol: String,
    width: u16,
}

/// The multi-part wide graphemes of a frame.
pub fn clusters(buf: &ratatui::buffer::Buffer) -> Vec<Cluster> {
    let area = buf.area;
    buf.content
        .iter()
        .enumerate()
        .filter(|(_, c)| c.symbol().chars().nth(1).is_some())
        .filter_map(|(i, c)| {
            let width = crate::model::display::width(c.symbol()) as u16;
            let (x, y) = ((i % area.width as usize) as u16 + area.x, (i / area.width as usize) as u16 + area.y);
            (width > 1).then(|| Cluster { x, y, symbol: c.symbol().to_owned(), width })
        })
        .collect()
}

/// The cells such a grapheme of the last frame covered beyond its first, where it is gone
/// now. ratatui rewrites only the first cell of a wide grapheme; a terminal that stores the
/// parts in separate cells (tmux does for flags) keeps the second part on screen as a stray
/// glyph unless these are written again.
pub fn stale_cells(before: &[Cluster], now: &ratatui::buffer::Buffer) -> Vec<(u16, u16)> {
    let area = now.area;
    let inside = |x: u16, y: u16| x >= area.x && x < area.x + area.width && y >= area.y && y < area.y + area.height;
    // A cell the new frame covers with a wide grapheme starting before it is not rewritten:
    // that would cut the new grapheme in two.
    let covered = |cx: u16, y: u16| {
        (1..=2u16).any(|j| cx >= area.x + j && crate::model::display::width(now[(cx - j, y)].symbol()) > j as usize)
    };
    let mut out = Vec::new();
    for c in before.iter().filter(|c| inside(c.x, c.y) && now[(c.x, c.y)].symbol() != c.symbol) {
        for cx in (c.x + 1..c.x + c.width).filter(|&cx| inside(cx, c.y) && !covered(cx, c.y)) {
            out.push((cx, c.y));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{clusters, stale_cells};
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    /// The cells to write again when the frame `before` is followed by `now`.
    fn stale(before: &Buffer, now: &Buffer) -> Vec<(u16, u16)> {
        stale_cells(&clusters(before), now)
    }

    fn line(s: &str) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, 12, 1));
        b.set_string(0, 0, s, Style::default());
        b
    }

    #[test]
    fn a_flag_or_zwj_emoji_leaving_names_the_cells_its_other_parts_covered() {
        assert_eq!(stale(&line("🇺🇦 ok"), &line("   ok")), [(1, 0)], "a flag went away");
        assert_eq!(stale(&line("x👩‍👩‍👧 ok"), &line("xab ok")), [(2, 0)], "a ZWJ family went away");
        assert!(stale(&line("🇺🇦 ok"), &line("🇺🇦 no")).is_empty(), "the flag stayed");
        assert!(stale(&line("中文 ok"), &line("ab ok")).is_empty(), "one code point: rewritten whole");
        assert!(stale(&line("🇺🇦 ok"), &line("中 ok")).is_empty(), "never cut a new wide grapheme");
        assert!(stale(&line("é ok"), &line("x ok")).is_empty(), "narrow clusters are rewritten whole");
    }
}
