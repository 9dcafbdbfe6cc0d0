//! Driving newsnote the way a user does, for the integration tests in `tests/`.
//!
//! Keys are written in the keymap's own notation (`"vees"`, `"]q"`, `"<esc>"`, `"<c-r>"`,
//! `"/peskov<enter>"`) and go through the real input path: a crossterm `Event` →
//! `app::input::action_for` (keymap, pending multi-key sequences, prompts) →
//! `tui::dispatch` (update + the saves it asks for). Nothing here calls `update` with a
//! hand-made action except the terminal resize the loop itself sends at start.
//!
//! Selections and cursors are read back as text with a marker notation (after helix's
//! `#[a|]#`): `[` and `]` around the selection, `|` before the grapheme under the cursor.
#![allow(dead_code)]

use newsnote::app::keymap::Keymap;
use newsnote::app::{Action, App, input};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The bundled sample articles.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles")
}

/// A temp folder holding a copy of every sample article (never the originals: tests write
/// annotation files next to them).
pub fn sample_corpus() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(samples_dir()).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name.to_string_lossy().ends_with(".txt") {
            std::fs::copy(e.path(), dir.path().join(&name)).unwrap();
        }
    }
    dir
}

/// A temp folder with these files (name, contents).
pub fn corpus_of(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// The app as `main.rs` builds it (annotation files next to the articles), then told the
/// terminal size as the loop does on start.
pub fn app_at(dir: &Path, width: u16, height: u16) -> App {
    let corpus = Corpus::open(dir, AnnotationRoot::NextToArticles).unwrap();
    let mut app = App::new(corpus, "tester".into(), Keymap::default_map(), Rect::new(0, 0, 120, 40));
    newsnote::tui::dispatch(&mut app, Action::Resize { width, height });
    app
}

pub fn app(dir: &Path) -> App {
    app_at(dir, 120, 40)
}

fn named_key(name: &str) -> KeyEvent {
    let plain = |c| KeyEvent::new(c, KeyModifiers::NONE);
    match name {
        "esc" => plain(KeyCode::Esc),
        "enter" => plain(KeyCode::Enter),
        "tab" => plain(KeyCode::Tab),
        // What crossterm reports for Shift-Tab.
        "s-tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        "space" => plain(KeyCode::Char(' ')),
        "backspace" => plain(KeyCode::Backspace),
        "up" => plain(KeyCode::Up),
        "down" => plain(KeyCode::Down),
        "left" => plain(KeyCode::Left),
        "right" => plain(KeyCode::Right),
        "pgup" => plain(KeyCode::PageUp),
        "pgdown" => plain(KeyCode::PageDown),
        "home" => plain(KeyCode::Home),
        "end" => plain(KeyCode::End),
        "lt" => plain(KeyCode::Char('<')),
        _ => match name.strip_prefix("c-") {
            Some(c) if c.chars().count() == 1 => {
                KeyEvent::new(KeyCode::Char(c.chars().next().unwrap()), KeyModifiers::CONTROL)
            }
            _ => panic!("unknown key <{name}> in a test"),
        },
    }
}

/// Splits `"v]q<esc>"` into key events. Uppercase letters carry SHIFT, as crossterm reports.
pub fn keys(notation: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut rest = notation;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>') {
                out.push(named_key(&rest[1..end]));
                rest = &rest[end + 1..];
                continue;
            }
        }
        let mods = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
        out.push(KeyEvent::new(KeyCode::Char(c), mods));
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Sends one terminal event through the real input path.
pub fn send(app: &mut App, event: Event) {
    if let Some(action) = input::action_for(app, &event) {
        newsnote::tui::dispatch(app, action);
    }
}

/// Presses keys, e.g. `press(&mut app, "vees")`, `press(&mut app, "/peskov<enter>")`.
pub fn press(app: &mut App, notation: &str) {
    for k in keys(notation) {
        send(app, Event::Key(k));
    }
}

fn mouse(kind: MouseEventKind, col: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent { kind, column: col, row, modifiers: KeyModifiers::NONE })
}

pub fn click(app: &mut App, col: u16, row: u16) {
    send(app, mouse(MouseEventKind::Down(MouseButton::Left), col, row));
}

pub fn drag(app: &mut App, col: u16, row: u16) {
    send(app, mouse(MouseEventKind::Drag(MouseButton::Left), col, row));
}

pub fn release(app: &mut App, col: u16, row: u16) {
    send(app, mouse(MouseEventKind::Up(MouseButton::Left), col, row));
}

/// The open article's text.
pub fn text(app: &App) -> &str {
    &app.open.as_ref().expect("an article is open").doc.article.text
}

/// Byte offset of the `n`th (0-based) occurrence of `needle` in the open article.
pub fn find_nth(app: &App, needle: &str, n: usize) -> usize {
    text(app).match_indices(needle).nth(n).unwrap_or_else(|| panic!("{needle:?} #{n} not in the article")).0
}

pub fn find(app: &App, needle: &str) -> usize {
    find_nth(app, needle, 0)
}

fn next_grapheme(t: &str, pos: usize) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    t[pos..].graphemes(true).next().map_or(t.len(), |g| pos + g.len())
}

/// The selected text (anchor to cursor, the grapheme under the cursor included, as drawn).
pub fn selected(app: &App) -> Option<String> {
    let t = text(app);
    let a = app.reader.anchor?;
    let (lo, hi) = (a.min(app.reader.cursor), a.max(app.reader.cursor));
    Some(t[lo..next_grapheme(t, hi)].to_owned())
}

/// The line (between newlines) holding the cursor, with `|` before the cursor and the
/// selection, if any, in `[` `]`. Long lines are cut to `context` chars either side of the
/// marks, with `…`.
pub fn marked(app: &App, context: usize) -> String {
    let t = text(app);
    let cur = app.reader.cursor;
    let sel = app.reader.anchor.map(|a| (a.min(cur), next_grapheme(t, a.max(cur))));
    let lo_mark = sel.map_or(cur, |s| s.0.min(cur));
    let hi_mark = sel.map_or(cur, |s| s.1.max(cur));
    let line_start = t[..lo_mark].rfind('\n').map_or(0, |i| i + 1);
    let line_end = t[hi_mark..].find('\n').map_or(t.len(), |i| hi_mark + i);
    let from = t[line_start..lo_mark]
        .char_indices()
        .rev()
        .nth(context.saturating_sub(1))
        .map_or(line_start, |(i, _)| line_start + i);
    let from = if context == 0 { lo_mark } else { from };
    let to = t[hi_mark..line_end].char_indices().nth(context).map_or(line_end, |(i, _)| hi_mark + i);
    let mut out = String::new();
    if from > line_start {
        out.push('…');
    }
    for (i, c) in t[from..to].char_indices().map(|(i, c)| (from + i, c)).chain(std::iter::once((to, '\0'))) {
        if sel.is_some_and(|s| s.1 == i) {
            out.push(']');
        }
        if sel.is_some_and(|s| s.0 == i) {
            out.push('[');
        }
        if i == cur {
            out.push('|');
        }
        if i < to {
            out.push(c);
        }
    }
    if to < line_end {
        out.push('…');
    }
    out
}

/// Draws the app on a `width`×`height` TestBackend.
pub fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| newsnote::ui::render(app, f)).unwrap();
    terminal
}

/// The screen as text: one line per row, the symbol of each cell (cells hidden under a
/// wide character skipped), trailing blanks trimmed.
pub fn screen_of(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            if skip == 0 {
                line.push_str(cell.symbol());
                skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).max(1);
            }
            skip -= 1;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn screen(app: &App, width: u16, height: u16) -> String {
    screen_of(&draw(app, width, height))
}

/// The open article's annotation file as saved on disk.
pub fn ron_on_disk(app: &App) -> String {
    let path = &app.open.as_ref().unwrap().doc.ron_path;
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
