//! Screen rows for an article at a given width, each knowing the text range it shows.
//!
//! We wrap with textwrap's first-fit algorithm over our own fragments instead of its
//! string API, because painting spans and mapping clicks needs the exact byte range of every
//! row, and because the width of each grapheme must be the width the renderer draws
//! (control characters become visible placeholders, see [`shown`]). Wrapping is O(article)
//! once per (article, width); a frame then only reads the rows it shows.

use crate::model::article::{Article, ParagraphStyle};
use crate::model::units::ByteRange;
use std::borrow::Cow;
use textwrap::core::Fragment;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// How a grapheme is drawn: itself, or a visible stand-in for characters that would
/// otherwise move the cursor, change colours or reorder text in the terminal.
pub fn shown(g: &str) -> Cow<'_, str> {
    let mut chars = g.chars();
    let c = chars.next().unwrap_or(' ');
    match c {
        '\t' => Cow::Borrowed(" "),
        '\u{0}'..='\u{1f}' => Cow::Owned(char::from_u32(0x2400 + c as u32).unwrap_or('?').to_string()),
        '\u{7f}' => Cow::Borrowed("␡"),
        '\u{80}'..='\u{9f}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{061c}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Cow::Owned(format!("<U+{:04X}>", c as u32)),
        _ if g.width() == 0 => Cow::Borrowed("◌"),
        _ => Cow::Borrowed(g),
    }
}

/// Display width of a grapheme as drawn by [`shown`].
pub fn width_of(g: &str) -> usize {
    shown(g).width()
}

/// Text from outside (titles, quotes, notes, ids, file names, typed text) as it may be drawn:
/// each grapheme as [`shown`] draws it, and a line break (`\n`, `\r\n`, U+2028, U+2029) as `⏎`,
/// so nothing in it can move the cursor, recolour or reorder the screen, or silently vanish.
/// Text with nothing to replace stays borrowed. Works on a single grapheme too.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    fn one(g: &str) -> Cow<'_, str> {
        match g {
            "\n" | "\r\n" | "\u{2028}" | "\u{2029}" => Cow::Borrowed("⏎"),
            _ => shown(g),
        }
    }
    // Printable ASCII, most titles and quotes, needs no grapheme scan.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    // Bytes of `s` already copied or replaced.
    let mut done = 0;
    for (i, g) in s.grapheme_indices(true) {
        let d = one(g);
        if d != g {
            out.push_str(&s[done..i]);
            out.push_str(&d);
            done = i + g.len();
        }
    }
    if done == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[done..]);
    Cow::Owned(out)
}

/// One screen row of the reading pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Text shown on the row, newline excluded. Empty for a blank line or a spacer.
    pub range: ByteRange,
    /// A blank row inserted between one-line paragraphs; no cursor position lies on it.
    pub spacer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub width: usize,
    pub rows: Vec<Row>,
}

#[derive(Debug)]
struct Frag {
    start: usize,
    /// End of the word (whitespace excluded).
    word_end: usize,
    /// End including trailing whitespace.
    end: usize,
    width: usize,
    ws_width: usize,
}

impl Fragment for Frag {
    fn width(&self) -> f64 {
        self.width as f64
    }
    fn whitespace_width(&self) -> f64 {
        self.ws_width as f64
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Splits one line (no newline) into words with trailing spaces; words wider than `width`
/// are cut at grapheme boundaries so nothing ever overflows the pane.
fn fragments(line: &str, offset: usize, width: usize, out: &mut Vec<Frag>) {
    out.clear();
    let mut cur: Option<Frag> = None;
    for (i, g) in line.grapheme_indices(true) {
        let at = offset + i;
        let w = width_of(g);
        let blank = g.chars().all(|c| c == ' ' || c == '\u{3000}');
        match cur.as_mut() {
            Some(f) if blank => {
                f.end = at + g.len();
                f.ws_width += w;
            }
            Some(f) if f.end == f.word_end && f.width + w <= width => {
                f.word_end = at + g.len();
                f.end = f.word_end;
                f.width += w;
            }
            _ => {
                out.extend(cur.take());
                let (word_end, ww, ws) = if blank { (at, 0, w) } else { (at + g.len(), w, 0) };
                cur = Some(Frag { start: at, word_end, end: at + g.len(), width: ww, ws_width: ws });
            }
        }
    }
    out.extend(cur);
}

impl Wrapped {
    pub fn new(article: &Article, width: usize) -> Self {
        let width = width.max(1);
        let text = &article.text;
        let mut rows = Vec::new();
        let mut frags = Vec::new();
        let mut pos = 0;
        let mut lines = text.split('\n').peekable();
        while let Some(line) = lines.next() {
            let last = lines.peek().is_none();
            if line.is_empty() {
                // A trailing newline does not make a row of its own.
                if !(last && pos > 0) {
                    rows.push(Row { range: ByteRange::new(pos, pos), spacer: false });
                }
            } else {
                fragments(line, pos, width, &mut frags);
                for chunk in textwrap::wrap_algorithms::wrap_first_fit(&frags, &[width as f64]) {
                    let (first, lastf) = (&chunk[0], &chunk[chunk.len() - 1]);
                    rows.push(Row { range: ByteRange::new(first.start, lastf.end), spacer: false });
                }
                let more = lines.peek().is_some_and(|l| !l.trim().is_empty());
                if article.style == ParagraphStyle::Lines && more && !line.trim().is_empty() {
                    let next = pos + line.len() + 1;
                    rows.push(Row { range: ByteRange::new(next, next), spacer: true });
                }
            }
            pos += line.len() + 1;
        }
        if rows.is_empty() {
            rows.push(Row { range: ByteRange::new(0, 0), spacer: false });
        }
        Self { width, rows }
    }

    /// Index of the row showing byte `pos` (never a spacer).
    pub fn row_of(&self, pos: usize) -> usize {
        let mut i = self.rows.partition_point(|r| r.range.start <= pos).saturating_sub(1);
        while i > 0 && self.rows[i].spacer {
            i -= 1;
        }
        i
    }

    /// Display column of `pos` within its row.
    pub fn col_of(&self, text: &str, pos: usize) -> usize {
        let r = self.rows[self.row_of(pos)].range;
        let end = pos.clamp(r.start, r.end);
        text[r.start..end].graphemes(true).map(width_of).sum()
    }

    /// The grapheme start on `row` at display column `col` (or the row's last one).
    pub fn pos_at(&self, text: &str, row: usize, col: usize) -> usize {
        let r = self.rows[row.min(self.rows.len() - 1)].range;
        let mut x = 0;
        let mut last = r.start;
        for (i, g) in text[r.as_range()].grapheme_indices(true) {
            let w = width_of(g);
            last = r.start + i;
            if x + w > col {
                return last;
            }
            x += w;
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(text: &str) -> Article {
        Article::from_text("t".into(), "t".into(), text.into(), vec![])
    }

    fn shown_rows(a: &Article, width: usize) -> Vec<String> {
        let w = Wrapped::new(a, width);
        w.rows.iter().map(|r| if r.spacer { "~".into() } else { a.text[r.range.as_range()].to_string() }).collect()
    }

    #[test]
    fn rows_cover_the_text_and_fit_the_width() {
        let a = art("Kremlin spokesman Dmitry Peskov told reporters on Monday.");
        let rows = shown_rows(&a, 20);
        assert_eq!(rows, ["Kremlin spokesman ", "Dmitry Peskov told ", "reporters on Monday."]);
        assert_eq!(rows.concat(), a.text);
    }

    #[test]
    fn one_line_paragraphs_get_spacers_and_blank_lines_stay_single() {
        assert_eq!(shown_rows(&art("One.\nTwo.\n"), 10), ["One.", "~", "Two."]);
        assert_eq!(shown_rows(&art("One.\n\nTwo."), 10), ["One.", "", "Two."]);
    }

    #[test]
    fn wide_graphemes_and_long_words_never_overflow() {
        let a = art("新闻报道北京消息 👍🏽👍🏽👍🏽 xxxxxxxxxxxxxxxx");
        let w = Wrapped::new(&a, 5);
        for r in &w.rows {
            let width: usize = a.text[r.range.as_range()].trim_end().graphemes(true).map(width_of).sum();
            assert!(width <= 5, "{:?} is {width} wide", &a.text[r.range.as_range()]);
        }
        assert_eq!(w.rows.iter().map(|r| &a.text[r.range.as_range()]).collect::<String>(), a.text);
    }

    #[test]
    fn width_one_and_empty_text_do_not_panic() {
        assert_eq!(Wrapped::new(&art("a👍b"), 1).rows.len(), 3);
        assert_eq!(Wrapped::new(&art(""), 0).rows.len(), 1);
    }

    #[test]
    fn positions_map_to_rows_and_columns_and_back() {
        let a = art("ab 新闻 cd\nef");
        let w = Wrapped::new(&a, 6);
        let pos = a.text.find("cd").unwrap();
        let row = w.row_of(pos);
        let col = w.col_of(&a.text, pos);
        assert_eq!(w.pos_at(&a.text, row, col), pos);
        assert_eq!(w.pos_at(&a.text, row, 99), pos + 1, "past the end clamps to the last grapheme");
        // Clicking on the right half of a wide char lands on it.
        let xin = a.text.find('闻').unwrap();
        assert_eq!(w.pos_at(&a.text, w.row_of(xin), w.col_of(&a.text, xin) + 1), xin);
    }

    #[test]
    fn control_and_bidi_characters_are_shown_as_placeholders() {
        assert_eq!(shown("\u{1b}"), "␛");
        assert_eq!(shown("\u{202e}"), "<U+202E>");
        assert_eq!(shown("\u{9b}"), "<U+009B>");
        assert_eq!(width_of("\u{202e}"), 8);
        assert_eq!(shown("é"), "é");
    }

    #[test]
    fn sanitize_shows_every_hazard_as_a_placeholder_and_keeps_clean_text_borrowed() {
        let hostile = "a\u{1b}[2Jb\u{1b}]52;c;SGVsbG8=\u{7}c\u{8}\rd\u{b}\u{c}\u{85}\u{9b}\u{202e}e\u{2066}f\u{200b}\u{7f}";
        assert_eq!(
            sanitize(hostile),
            "a␛[2Jb␛]52;c;SGVsbG8=␇c␈␍d␋␌<U+0085><U+009B><U+202E>e<U+2066>f◌␡"
        );
        assert_eq!(sanitize("one\ntwo\r\nthree\u{2028}"), "one⏎two⏎three⏎");
        assert_eq!(sanitize("tab\there"), "tab here");
        for clean in ["Plain ASCII title", "Über uns – Pressespiegel", "新闻 👍🏽 Ελλάδα e\u{301}", ""] {
            assert!(matches!(sanitize(clean), Cow::Borrowed(b) if b == clean), "{clean:?} is copied or changed");
        }
        // Every grapheme of the result is drawn as itself, with a width.
        let out = sanitize(hostile);
        assert!(out.graphemes(true).all(|g| shown(g) == g && g.width() > 0), "{out:?}");
    }
}
