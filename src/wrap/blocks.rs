//! The pieces [`Wrapped`](super::Wrapped) is made of: blocks of whole lines, wrapped one at a
//! time, and a cheap estimate of how many rows a block will take before it is wrapped.
//!
//! A block is a run of whole lines of at least [`BLOCK`] bytes, so a 10 MB article has about
//! 2,500 of them and wrapping one costs tens of microseconds. The rows of a block depend only
//! on its own lines (and whether the line after it is blank, for spacers), so blocks can be
//! wrapped in any order and always give the rows a whole-text wrap would give. Lines longer
//! than [`LONG_LINE`] (no news paragraph is) are cut into segments of about [`SEGMENT`] bytes
//! at a word start, and each segment starts a new row: the only place where lazy wrapping
//! differs from wrapping the line whole, traded for never wrapping megabytes on a keystroke.

use super::{Row, width_of};
use crate::model::article::ParagraphStyle;
use crate::model::units::ByteRange;
use textwrap::core::Fragment;
use unicode_segmentation::UnicodeSegmentation;

/// Bytes of whole lines per block (at least; a block ends at the first line end after this).
pub const BLOCK: usize = 4096;
/// Lines longer than this are cut into segments.
pub const LONG_LINE: usize = 64 * 1024;
/// Length of a segment of a long line.
pub const SEGMENT: usize = 16 * 1024;

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

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// End of the line starting at or containing `pos` (the `\n` or the end of the text).
fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i)
}

/// Rows of the lines (or segments) starting in `[start, end)`; `end` is a block start, or
/// `text.len() + 1` for the last block.
pub fn wrap_block(text: &str, style: ParagraphStyle, width: usize, start: usize, end: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut frags = Vec::new();
    let mut pos = start;
    while pos < end {
        let le = line_end(text, pos);
        // A block that ends inside a line ends at a segment boundary.
        let piece_end = le.min(end);
        let piece = &text[pos..piece_end];
        let at_line_start = pos == 0 || text.as_bytes()[pos - 1] == b'\n';
        if piece.is_empty() {
            // A trailing newline does not make a row of its own.
            if !(le == text.len() && pos > 0) {
                rows.push(Row { range: ByteRange::new(pos, pos), spacer: false });
            }
        } else {
            fragments(piece, pos, width, &mut frags);
            for chunk in textwrap::wrap_algorithms::wrap_first_fit(&frags, &[width as f64]) {
                let (first, last) = (&chunk[0], &chunk[chunk.len() - 1]);
                rows.push(Row { range: ByteRange::new(first.start, last.end), spacer: false });
            }
            if piece_end == le && style == ParagraphStyle::Lines && le < text.len() {
                let line_start = if at_line_start { pos } else { text[..pos].rfind('\n').map_or(0, |i| i + 1) };
                let next = &text[le + 1..line_end(text, le + 1)];
                if !is_blank(&text[line_start..le]) && !is_blank(next) {
                    rows.push(Row { range: ByteRange::new(le + 1, le + 1), spacer: true });
                }
            }
        }
        pos = if piece_end == le { le + 1 } else { piece_end };
    }
    rows
}

/// Where blocks start, and a row estimate for each, found in one pass over the line ends.
pub struct Index {
    pub starts: Vec<usize>,
    pub estimates: Vec<usize>,
}

/// Rows a line of `cols` columns is expected to take: first-fit leaves about half a word
/// free at the end of each row.
fn estimate(cols: usize, width: usize) -> usize {
    let usable = width.saturating_sub((width / 8).min(4)).max(1);
    cols.div_ceil(usable).max(1)
}

/// Columns of a line for the estimate: its length when ASCII, else its code points.
fn columns(line: &str) -> usize {
    if line.is_ascii() { line.len() } else { line.chars().count() }
}

/// A word start near `pos + SEGMENT` in `[pos, le)`, for cutting a long line.
fn segment_end(text: &str, pos: usize, le: usize) -> usize {
    let bytes = text.as_bytes();
    let from = pos + SEGMENT;
    let cut = (from..le.min(from + SEGMENT)).find(|&i| bytes[i - 1] == b' ' && bytes[i].is_ascii_graphic());
    // No word start (text without spaces): any char boundary will do.
    cut.unwrap_or_else(|| (from..le).find(|&i| text.is_char_boundary(i)).unwrap_or(le))
}

pub fn index(text: &str, style: ParagraphStyle, width: usize) -> Index {
    let mut starts = vec![0];
    let mut estimates = vec![0];
    let mut pos = 0;
    let mut prev_blank = true;
    while pos <= text.len() {
        if pos - starts[starts.len() - 1] >= BLOCK && pos < text.len() {
            starts.push(pos);
            estimates.push(0);
        }
        let le = line_end(text, pos);
        let line = &text[pos..le];
        let est = estimates.last_mut().expect("one block at least");
        if line.is_empty() {
            *est += usize::from(!(le == text.len() && pos > 0));
        } else if line.len() <= LONG_LINE {
            *est += estimate(columns(line), width);
        } else {
            // A long line: blocks of one segment each.
            let mut s = pos;
            loop {
                let e = segment_end(text, s, le);
                *estimates.last_mut().expect("one block") += estimate(columns(&text[s..e]), width);
                if e >= le {
                    break;
                }
                starts.push(e);
                estimates.push(0);
                s = e;
            }
        }
        let blank = is_blank(line);
        if style == ParagraphStyle::Lines && !blank && !prev_blank {
            *estimates.last_mut().expect("one block") += 1;
        }
        prev_blank = blank;
        if line.len() > LONG_LINE && le + 1 < text.len() {
            // What follows a long line starts a block of its own.
            starts.push(le + 1);
            estimates.push(0);
        }
        pos = le + 1;
    }
    Index { starts, estimates }
}
