//! The real program without a terminal, for benchmarks and measurements.
//!
//! A [`Headless`] holds the real [`App`], feeds it key notation (`j`, `G`, `<pgdown>`,
//! `<c-e>`) through the real input path (`input::msg_for`, then `tui::dispatch`, which also
//! performs saves, atomically, as the terminal loop does) and draws with the real
//! `ui::render` into a ratatui `TestBackend`. Nothing here re-implements app behaviour: a
//! figure measured through it is the figure of the program, less the terminal's own I/O.

use crate::app::keymap::Keymap;
use crate::app::{App, Msg, input};
use crate::model::corpus::{AnnotationRoot, Corpus};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use std::path::Path;

pub struct Headless {
    pub app: App,
    terminal: Terminal<TestBackend>,
}

impl Headless {
    /// Opens PATH (a folder or one article, annotations next to the articles) as `newsnote
    /// PATH` does (a scan: summaries are read for the list rows shown) in a `width`×`height`
    /// terminal, without drawing yet.
    pub fn open(path: &Path, width: u16, height: u16) -> anyhow::Result<Self> {
        let corpus = Corpus::scan(path, AnnotationRoot::NextToArticles)
            .map_err(|e| anyhow::anyhow!("{e}: give a folder of articles or one article file"))?;
        let codebook = crate::model::codebook::Codebook::default_scheme();
        let registry = match crate::model::entities::Registry::locate(None, &corpus, codebook) {
            Some(p) => Some(crate::model::entities::Registry::open(&p)?),
            None => None,
        };
        let app = App::new(corpus, "headless".into(), Keymap::default_map(), Rect::new(0, 0, width, height))
            .with_registry(registry);
        Ok(Self::with_app(app, width, height))
    }

    /// Wraps an app; sends it the terminal's size first, as the terminal loop does.
    pub fn with_app(mut app: App, width: u16, height: u16) -> Self {
        crate::tui::dispatch(&mut app, Msg::Resize { width, height });
        let terminal = Terminal::new(TestBackend::new(width, height)).expect("a test backend never fails");
        Self { app, terminal }
    }

    /// Presses keys given in keymap notation: characters as themselves, named keys in angle
    /// brackets (`<enter>`, `<esc>`, `<space>`, `<pgdown>`, `<c-e>` for Ctrl-E).
    pub fn keys(&mut self, notation: &str) {
        for key in parse_keys(notation) {
            self.event(&Event::Key(key));
        }
    }

    /// Sends one terminal event through the real input path and performs its effects.
    pub fn event(&mut self, event: &Event) {
        if let Some(msg) = input::msg_for(&mut self.app, event) {
            crate::tui::dispatch(&mut self.app, msg);
        }
    }

    /// Applies one message (an action or an event), performing its effects (saves) as the
    /// terminal loop does.
    pub fn action(&mut self, msg: impl Into<Msg>) {
        crate::tui::dispatch(&mut self.app, msg);
    }

    /// Draws one frame.
    pub fn draw(&mut self) {
        let app = &self.app;
        self.terminal.draw(|f| crate::ui::render(app, f)).expect("a test backend never fails");
    }

    /// The last frame as text, one line per row.
    pub fn screen(&self) -> String {
        let buf = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut skip = 0usize;
            for x in 0..buf.area.width {
                let symbol = buf[(x, y)].symbol();
                if skip == 0 {
                    out.push_str(symbol);
                    skip = unicode_width::UnicodeWidthStr::width(symbol).max(1);
                }
                skip -= 1;
            }
            out.push('\n');
        }
        out
    }
}

/// Key notation → key events (see [`Headless::keys`]).
pub fn parse_keys(notation: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut rest = notation;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            out.push(named_key(&rest[1..end]));
            rest = &rest[end + 1..];
            continue;
        }
        let mods = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
        out.push(KeyEvent::new(KeyCode::Char(c), mods));
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn named_key(name: &str) -> KeyEvent {
    if let Some(c) = name.strip_prefix("c-").and_then(|c| c.chars().next()) {
        return KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    }
    let code = match name {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "space" => KeyCode::Char(' '),
        "tab" => KeyCode::Tab,
        // What crossterm reports for Shift-Tab.
        "s-tab" => return KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        "lt" => KeyCode::Char('<'),
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" => KeyCode::PageUp,
        "pgdown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "del" => KeyCode::Delete,
        other => panic!("unknown key <{other}>"),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_app_reads_an_article_headlessly() {
        let dir = tempfile::tempdir().unwrap();
        let body = "A headline\n\n".to_string() + &"Peskov told reporters on Monday. ".repeat(400);
        std::fs::write(dir.path().join("a.txt"), body).unwrap();
        let mut h = Headless::open(dir.path(), 100, 30).unwrap();
        h.keys("<enter>G");
        h.draw();
        assert!(h.screen().contains("A headline"), "{}", h.screen());
        let o = h.app.open.as_ref().unwrap();
        assert_eq!(h.app.reader.cursor, o.doc.article.text.len() - 1, "G: on the last grapheme");
        h.keys("gg/monday<enter>");
        assert_eq!(h.app.reader.cursor, "A headline\n\nPeskov told reporters on ".len());
    }

    #[test]
    fn a_binary_file_in_a_scanned_corpus_is_marked_and_does_not_open() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Real article\nBody.\n").unwrap();
        std::fs::write(dir.path().join("b.txt"), b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
        let mut h = Headless::open(dir.path(), 100, 30).unwrap();
        h.keys("j<enter>");
        h.draw();
        assert_eq!(h.app.open.as_ref().unwrap().doc.article.id, "a.txt", "the article stays open");
        assert!(h.app.message.as_ref().unwrap().text.starts_with("b.txt: skipped: binary file"));
        // Its own marker: `!` means an unreadable annotation file.
        assert!(h.screen().contains("⊘ b.txt"), "{}", h.screen());
    }
}
