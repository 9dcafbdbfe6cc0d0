//! Screen rows for an article at a given width, wrapped lazily around what is looked at.
//!
//! We wrap with textwrap's first-fit algorithm over our own fragments instead of its
//! string API, because painting spans and mapping clicks needs the exact byte range of every
//! row, and because the width of each grapheme must be the width the renderer draws
//! (control characters become visible placeholders, see [`shown`]).
//!
//! Wrapping a whole 10 MB article takes a fifth of a second, so it is not done up front. The
//! text is cut into blocks of whole lines (about 4 KB, see `blocks`); a block is wrapped the
//! first time something needs its rows and its rows are kept for this width. Until then the
//! block's row count is an estimate from its length. Row numbers are therefore exact inside
//! and between wrapped blocks and approximate beyond them, which is all a reader needs:
//! [`Wrapped::settle`], called after every cursor move, wraps the blocks within two screens of
//! the cursor and keeps the view on the same text when an estimate gives way to the real
//! count, so every motion, click and frame works on exact rows, while the scrollbar, the
//! percentage and the row total may be estimates ([`Wrapped::is_exact`] says so) far away
//! from the view. Articles up to [`EAGER`] bytes are wrapped whole at once: exact everywhere.
//! The cost of opening is one pass over the line ends; a frame or a keystroke wraps at most
//! a few blocks.

mod blocks;

use crate::model::article::{Article, ParagraphStyle};
use crate::model::units::ByteRange;
use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;

// The sanitiser lives in the core (`model::display`) so the CLI and search use it without
// the TUI; re-exported here because the views and the wrapping measure text with it.
pub use crate::model::display::{sanitize, shown, width_of};
// The tests measure rows with it.
#[cfg(test)]
use unicode_width::UnicodeWidthStr;

/// Texts up to this many bytes are wrapped whole when opened (a few milliseconds at most).
pub const EAGER: usize = 128 * 1024;

/// Rows wrapped when a long article is opened: enough for the first screen of any terminal.
const FIRST_ROWS: usize = 256;

/// One screen row of the reading pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Text shown on the row, newline excluded. Empty for a blank line or a spacer.
    pub range: ByteRange,
    /// A blank row inserted between one-line paragraphs; no cursor position lies on it.
    pub spacer: bool,
}

/// The rows of one article at one width: blocks wrapped so far, estimates for the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub width: usize,
    style: ParagraphStyle,
    /// Byte offset where each block starts (blocks start at line starts, or inside a very
    /// long line at a word start).
    starts: Vec<usize>,
    /// Rows before each block, and the total at the end (`blocks + 1` entries): sums of
    /// exact counts for wrapped blocks and estimates for the others.
    first: Vec<usize>,
    /// The rows of each wrapped block.
    cache: Vec<Option<Box<[Row]>>>,
    /// Blocks not wrapped yet.
    unwrapped: usize,
}

impl Wrapped {
    /// Indexes the article's blocks at `width` and wraps its beginning (all of it when it is
    /// at most [`EAGER`] bytes).
    pub fn new(article: &Article, width: usize) -> Self {
        let width = width.max(1);
        let text = article.text.as_str();
        let index = blocks::index(text, article.style, width);
        let mut first = Vec::with_capacity(index.starts.len() + 1);
        let mut total = 0;
        first.push(0);
        for e in &index.estimates {
            total += e;
            first.push(total);
        }
        let n = index.starts.len();
        let mut w =
            Self { width, style: article.style, starts: index.starts, first, cache: vec![None; n], unwrapped: n };
        let mut b = 0;
        while b < n && (text.len() <= EAGER || w.first[b] < FIRST_ROWS) {
            w.ensure(text, b);
            b += 1;
        }
        w
    }

    /// Number of rows: exact when [`is_exact`](Self::is_exact), else an estimate.
    pub fn len(&self) -> usize {
        self.first[self.first.len() - 1].max(1)
    }

    /// Never true: even an empty article has one (empty) row.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// True when every block is wrapped, so row numbers and [`len`](Self::len) are exact.
    pub fn is_exact(&self) -> bool {
        self.unwrapped == 0
    }

    fn blocks(&self) -> usize {
        self.starts.len()
    }

    fn block_end(&self, text: &str, b: usize) -> usize {
        self.starts.get(b + 1).copied().unwrap_or(text.len() + 1)
    }

    fn count(&self, b: usize) -> usize {
        self.first[b + 1] - self.first[b]
    }

    /// The rows of block `b`: kept ones, or wrapped now and thrown away.
    fn block_rows(&self, text: &str, b: usize) -> Cow<'_, [Row]> {
        match &self.cache[b] {
            Some(rows) => Cow::Borrowed(rows),
            None => {
                let mut rows =
                    blocks::wrap_block(text, self.style, self.width, self.starts[b], self.block_end(text, b));
                if rows.is_empty() {
                    rows.push(Row { range: ByteRange::new(self.starts[b], self.starts[b]), spacer: false });
                }
                Cow::Owned(rows)
            }
        }
    }

    /// Wraps block `b` and keeps its rows; later row numbers move by the estimate's error.
    fn ensure(&mut self, text: &str, b: usize) {
        if self.cache[b].is_some() {
            return;
        }
        let rows = self.block_rows(text, b).into_owned();
        let (old, new) = (self.count(b), rows.len());
        if old != new {
            for f in &mut self.first[b + 1..] {
                *f = *f + new - old;
            }
        }
        self.cache[b] = Some(rows.into_boxed_slice());
        self.unwrapped -= 1;
    }

    /// The block holding byte `pos`.
    fn block_of(&self, pos: usize) -> usize {
        self.starts.partition_point(|&s| s <= pos).saturating_sub(1)
    }

    /// The block holding row `row`, and the row's index inside it.
    fn locate(&self, row: usize) -> (usize, usize) {
        let row = row.min(self.len() - 1);
        let b = (self.first.partition_point(|&f| f <= row).saturating_sub(1)).min(self.blocks() - 1);
        (b, row - self.first[b])
    }

    /// Index inside `rows` of the row showing `pos` (never a spacer).
    fn index_in(rows: &[Row], pos: usize) -> usize {
        let mut i = rows.partition_point(|r| r.range.start <= pos).saturating_sub(1);
        while i > 0 && rows[i].spacer {
            i -= 1;
        }
        i
    }

    /// Index of the row showing byte `pos` (never a spacer). Exact in wrapped blocks (always
    /// the case around the cursor and the view); proportional to the position elsewhere.
    pub fn row_of(&self, pos: usize) -> usize {
        let b = self.block_of(pos);
        match &self.cache[b] {
            Some(rows) => self.first[b] + Self::index_in(rows, pos),
            None => {
                let (s, e) = (self.starts[b], self.starts.get(b + 1).copied().unwrap_or(pos + 1));
                let k = (pos - s) * self.count(b) / (e - s).max(1);
                self.first[b] + k.min(self.count(b).saturating_sub(1))
            }
        }
    }

    /// The row showing `pos` (never a spacer), exact even where blocks are not wrapped yet.
    pub fn row_showing(&self, text: &str, pos: usize) -> Row {
        let rows = self.block_rows(text, self.block_of(pos));
        rows[Self::index_in(&rows, pos)]
    }

    /// Row `i` (the last row when past the end).
    pub fn row(&self, text: &str, i: usize) -> Row {
        let (b, k) = self.locate(i);
        let rows = self.block_rows(text, b);
        rows[k.min(rows.len() - 1)]
    }

    /// Rows from `from` to the end, in order; `.take(height)` gives a screen.
    pub fn rows<'a>(&'a self, text: &'a str, from: usize) -> impl Iterator<Item = Row> + 'a {
        let (b0, k0) = self.locate(from);
        (b0..self.blocks()).flat_map(move |b| {
            let rows = self.block_rows(text, b);
            let skip = if b == b0 { k0.min(rows.len() - 1) } else { 0 };
            rows[skip..].to_vec()
        })
    }

    /// Display column of `pos` within its row.
    pub fn col_of(&self, text: &str, pos: usize) -> usize {
        let r = self.row_showing(text, pos).range;
        let end = pos.clamp(r.start, r.end);
        text[r.start..end].graphemes(true).map(width_of).sum()
    }

    /// The grapheme start on `row` at display column `col` (or the row's last one).
    pub fn pos_at(&self, text: &str, row: usize, col: usize) -> usize {
        let r = self.row(text, row).range;
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

    /// Wraps the blocks within two screens of `cursor`, so every motion and frame near it
    /// works on exact rows, and moves `scroll` (the top row shown) so that it still shows the
    /// same text once the estimates before it have given way to real counts.
    pub fn settle(&mut self, text: &str, cursor: usize, scroll: &mut usize, height: usize) {
        if self.is_exact() {
            return;
        }
        let (top_block, top_k) = self.locate(*scroll);
        let cb = self.block_of(cursor);
        self.ensure(text, cb);
        let reach = 2 * height + 4;
        let at = self.row_of(cursor) - self.first[cb];
        let (mut before, mut after) = (reach.saturating_sub(at), reach.saturating_sub(self.count(cb) - at));
        let mut b = cb;
        while before > 0 && b > 0 {
            b -= 1;
            self.ensure(text, b);
            before = before.saturating_sub(self.count(b));
        }
        let mut b = cb;
        while after > 0 && b + 1 < self.blocks() {
            b += 1;
            self.ensure(text, b);
            after = after.saturating_sub(self.count(b));
        }
        *scroll = self.first[top_block] + top_k.min(self.count(top_block).saturating_sub(1));
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
        w.rows(&a.text, 0).map(|r| if r.spacer { "~".into() } else { a.text[r.range.as_range()].to_string() }).collect()
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
        for r in w.rows(&a.text, 0) {
            let width: usize = a.text[r.range.as_range()].trim_end().graphemes(true).map(width_of).sum();
            assert!(width <= 5, "{:?} is {width} wide", &a.text[r.range.as_range()]);
        }
        assert_eq!(w.rows(&a.text, 0).map(|r| &a.text[r.range.as_range()]).collect::<String>(), a.text);
    }

    #[test]
    fn width_one_and_empty_text_do_not_panic() {
        assert_eq!(Wrapped::new(&art("a👍b"), 1).len(), 3);
        assert_eq!(Wrapped::new(&art(""), 0).len(), 1);
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
}

#[cfg(test)]
mod lazy_tests;
