//! End-to-end: `NO_COLOR` in a real terminal.
//!
//! With `NO_COLOR` set, crossterm writes every colour as an empty SGR (`ESC[;m`), which
//! terminals take as a full reset: drawn after the bold or underline of a cell, it wiped
//! them, so no span and no selection showed. The real binary runs in a pseudo-terminal with
//! `NO_COLOR=1`, a source, a claim and a selection are made with keys, and then every byte it
//! wrote is scanned for empty SGRs and colours, and the parsed cells are checked for the
//! attributes that must carry the looks instead.

mod common;

use common::pty::{ENTER, Session};

const ARTICLE: &str = "Пресс-секретарь Dmitry Peskov said “Talks are impossible” on Monday in Moscow. \
                       Café e\u{301}clair 中文 closing words.\n";

/// The attributes of the cell where `text` starts in the reading pane (the leftmost place on
/// screen below the titles: the sidebar, right of it, quotes the spans too).
fn cell(s: &Session, text: &str) -> (bool, bool, bool, bool) {
    let p = s.parser.lock().unwrap();
    let screen = p.screen();
    let (rows, cols) = screen.size();
    let want: Vec<char> = text.chars().collect();
    let mut found = None;
    for row in 1..rows.get() {
        let line: Vec<char> = (0..cols.get())
            .map(|col| screen.cell(row, col).and_then(|c| c.contents().chars().next()).unwrap_or(' '))
            .collect();
        for col in (0..line.len()).filter(|&c| line[c..].starts_with(&want)) {
            if found.is_none_or(|(_, c)| col < c) {
                found = Some((row, col));
            }
        }
    }
    let (row, col) = found.unwrap_or_else(|| panic!("{text:?} not on screen:\n{}", screen.contents()));
    let c = screen.cell(row, col as u16).expect("a cell");
    (c.bold(), c.underline(), c.inverse(), c.fgcolor() == vt100::Color::Default && c.bgcolor() == vt100::Color::Default)
}

#[test]
fn with_no_color_spans_and_the_selection_show_as_attributes_and_no_empty_sgr_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("статья.txt"), ARTICLE).unwrap();
    let mut s = Session::start_with_env(dir.path(), 120, 30, &[("NO_COLOR", "1")]);
    s.wait_mode("LIST");
    s.send(ENTER);
    s.wait_mode("READ");
    s.search("Peskov");
    s.send("ve");
    s.wait_mode("VISUAL");
    s.send("s");
    s.wait_status("tagged Source “Peskov”");
    s.search("Talks");
    s.send("vee");
    s.wait_mode("VISUAL");
    s.send("c");
    s.wait_status("tagged Claim “Talks are”");
    // A selection, left open: from "Monday" to the end of "in".
    s.search("Monday");
    s.send("vw");
    s.wait_mode("VISUAL");
    s.wait_for("Annotations (2)");

    // "P" of the source and "a" of the claim (the "T" may be under the search's reverse).
    let (bold, _, _, plain) = cell(&s, "Peskov said");
    assert!(bold && plain, "the source is bold, with no colour");
    let (_, underline, _, plain) = cell(&s, "alks are");
    assert!(underline && plain, "the claim is underlined, with no colour:\n{}", s.screen_text());
    let (_, _, inverse, plain) = cell(&s, "onday in");
    assert!(inverse && plain, "the selection is reverse video");
    let raw = s.raw_bytes();
    let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"\x1b[;m"), "an empty colour pair (ESC[;m) resets every attribute");
    assert!(!has(b"\x1b[m"), "an empty SGR (ESC[m) resets every attribute");
    for colour in [&b"\x1b[38;"[..], b"\x1b[48;", b"\x1b[36m", b"\x1b[33m", b"\x1b[90m"] {
        assert!(!has(colour), "a colour was written: {:?}", String::from_utf8_lossy(colour));
    }
    s.send("\x1b");
    s.wait_mode("READ");
    s.quit_with("q");
}
