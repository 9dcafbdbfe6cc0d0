//! Offset units, kept apart by type.
//!
//! Files and exports count Unicode code points (as brat, doccano and the W3C model do); Rust
//! slices text by UTF-8 bytes. Mixing the two is the classic bug with emoji and CJK, so each
//! unit has its own range type and the only way across is [`CharIndex`], built once per
//! article. A conversion costs O(one block), not O(article), so a keystroke that converts an
//! offset stays cheap on a 10 MB text.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A half-open range of UTF-8 byte offsets `[start, end)` into an article's text.
/// Both ends lie on `char` boundaries. Used only in memory, never written to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ByteRange {
    pub start: usize,
    pub end: usize,
}

/// A half-open range of Unicode code-point offsets `[start, end)` into an article's text.
/// This is the unit of every file newsnote writes.
///
/// Because it comes from files (hand edits, other tools), a `CharRange` is not trusted: it may
/// be reversed (`start > end`) or run past the text. Nothing slices with it directly; the only
/// way to text is [`CharIndex::to_bytes`], which refuses both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct CharRange {
    pub start: usize,
    pub end: usize,
}

impl ByteRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "byte range {start}..{end} is reversed");
        Self { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn as_range(&self) -> Range<usize> {
        self.start..self.end
    }
    /// True when the two ranges share at least one byte.
    pub fn overlaps(&self, other: ByteRange) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn contains(&self, pos: usize) -> bool {
        self.start <= pos && pos < self.end
    }
}

impl CharRange {
    /// No check here: a reversed range read from a file must survive to be reported and saved
    /// back untouched (see [`is_reversed`](Self::is_reversed)).
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
    /// The number of code points; 0 for a reversed range.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    /// True when `start > end`: a range no text position satisfies, only ever read from a file.
    pub fn is_reversed(&self) -> bool {
        self.start > self.end
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// Bytes between checkpoints. Small enough that a scan is a fraction of a microsecond (a
/// save converts every suggestion it inserts), large enough that the index is ~3% of the text.
const BLOCK: usize = 512;

/// Whether a UTF-8 byte continues a code point (`10xxxxxx`) rather than starting one.
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Maps byte offsets to code-point offsets and back for one text.
///
/// Stores the code-point count at every [`BLOCK`]-th byte (rounded down to a char boundary),
/// so each conversion scans at most one block.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// `(byte offset, chars before it)` at the first char boundary at or after each block start.
    checkpoints: Vec<(usize, usize)>,
    total_bytes: usize,
    total_chars: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut chars = 0usize;
        let mut byte = 0usize;
        while byte < text.len() {
            checkpoints.push((byte, chars));
            let mut end = (byte + BLOCK).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            chars += text[byte..end].chars().count();
            byte = end;
        }
        Self { checkpoints, total_bytes: text.len(), total_chars: chars }
    }

    pub fn total_chars(&self) -> usize {
        self.total_chars
    }

    /// Code-point offset of a byte offset. The byte offset must be a char boundary of `text`.
    pub fn char_of(&self, text: &str, byte: usize) -> usize {
        debug_assert!(text.is_char_boundary(byte));
        if byte >= self.total_bytes {
            return self.total_chars;
        }
        let i = self.checkpoints.partition_point(|&(b, _)| b <= byte) - 1;
        let (b0, c0) = self.checkpoints[i];
        c0 + text[b0..byte].chars().count()
    }

    /// Byte offset of a code-point offset; `None` when it lies past the end of the text.
    pub fn byte_of(&self, text: &str, ch: usize) -> Option<usize> {
        if ch > self.total_chars {
            return None;
        }
        if ch == self.total_chars {
            return Some(self.total_bytes);
        }
        let i = self.checkpoints.partition_point(|&(_, c)| c <= ch) - 1;
        let (b0, c0) = self.checkpoints[i];
        let (b1, c1) = self.checkpoints.get(i + 1).copied().unwrap_or((self.total_bytes, self.total_chars));
        let k = ch - c0;
        // A block of one byte per code point (ASCII, most of an English article) needs no scan;
        // otherwise count the bytes that start a code point, which is several times faster than
        // decoding each one (this runs for every annotation a save or a detector places).
        if b1 - b0 == c1 - c0 {
            return Some(b0 + k);
        }
        let starts = text.as_bytes()[b0..b1].iter().enumerate().filter(|&(_, &b)| !is_continuation(b));
        starts.map(|(j, _)| b0 + j).nth(k)
    }

    pub fn to_chars(&self, text: &str, r: ByteRange) -> CharRange {
        CharRange::new(self.char_of(text, r.start), self.char_of(text, r.end))
    }

    /// The byte range of `r`; `None` when `r` is reversed or runs past the end of the text, so
    /// offsets read from a file can never slice out of bounds.
    pub fn to_bytes(&self, text: &str, r: CharRange) -> Option<ByteRange> {
        if r.is_reversed() {
            return None;
        }
        Some(ByteRange::new(self.byte_of(text, r.start)?, self.byte_of(text, r.end)?))
    }
}

/// Code-point ⇄ UTF-16 offsets for one text, for formats that count UTF-16 code units (doccano,
/// browsers): O(n) to build, O(log n) per conversion.
#[derive(Debug, Clone)]
pub struct Utf16Index {
    /// Code-point index of every astral (non-BMP) character, ascending.
    astral: Vec<usize>,
    /// The same characters' UTF-16 offsets.
    astral16: Vec<usize>,
    chars: usize,
}

impl Utf16Index {
    pub fn new(text: &str) -> Self {
        let (mut astral, mut astral16, mut chars) = (Vec::new(), Vec::new(), 0);
        for c in text.chars() {
            if u32::from(c) > 0xFFFF {
                astral16.push(chars + astral.len());
                astral.push(chars);
            }
            chars += 1;
        }
        Self { astral, astral16, chars }
    }

    /// UTF-16 offset of a code-point offset.
    pub fn to_utf16(&self, char_offset: usize) -> usize {
        char_offset + self.astral.partition_point(|&i| i < char_offset)
    }

    /// Code-point offset of a UTF-16 offset; `None` inside a surrogate pair or past the end.
    pub fn to_char(&self, utf16: usize) -> Option<usize> {
        let before = self.astral16.partition_point(|&u| u + 2 <= utf16);
        if self.astral16.get(before).is_some_and(|&u| u + 1 == utf16) {
            return None;
        }
        let c = utf16 - before;
        (c <= self.chars).then_some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip_all(text: &str) {
        let idx = CharIndex::new(text);
        assert_eq!(idx.total_chars(), text.chars().count());
        for (n, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_of(text, b), n, "char_of({b}) in {text:?}");
            assert_eq!(idx.byte_of(text, n), Some(b), "byte_of({n}) in {text:?}");
        }
        assert_eq!(idx.char_of(text, text.len()), text.chars().count());
        assert_eq!(idx.byte_of(text, text.chars().count() + 1), None);
    }

    #[test]
    fn emoji_count_as_one_code_point_each() {
        let t = "ok 👍🏽 fine 🇺🇦!";
        roundtrip_all(t);
        let idx = CharIndex::new(t);
        let start = t.find("fine").unwrap();
        // "ok " 3 + 👍 + 🏽 (skin tone is its own code point) + " " = 6
        assert_eq!(idx.char_of(t, start), 6);
    }

    #[test]
    fn cjk_rtl_and_combining_marks_convert_both_ways() {
        roundtrip_all("新闻 报道：北京消息");
        roundtrip_all("قال المتحدث باسم الكرملين");
        roundtrip_all("שלום עולם");
        // e + combining acute is two code points, one grapheme
        let t = "cafe\u{301} noir";
        roundtrip_all(t);
        let idx = CharIndex::new(t);
        assert_eq!(idx.char_of(t, t.find(' ').unwrap()), 5);
    }

    #[test]
    fn conversion_is_exact_across_block_boundaries() {
        // 3-byte chars straddle every 4096-byte block edge.
        let t: String = "€a".repeat(5000);
        roundtrip_all(&t);
    }

    #[test]
    fn conversion_is_exact_in_ascii_blocks_beside_non_ascii_ones() {
        // Whole blocks of ASCII (converted by arithmetic) next to blocks with Cyrillic, emoji
        // and a combining mark (converted by counting), and one odd character at a block's end.
        let mut t = "a".repeat(4095);
        t.push('ж');
        t.push_str(&"Peskov said ".repeat(700));
        t.push_str("«Нет» 👍🏽 e\u{301}");
        t.push_str(&"b".repeat(5000));
        roundtrip_all(&t);
    }

    #[test]
    fn ranges_convert_and_report_out_of_range() {
        let t = "Peskov 说 “yes”";
        let idx = CharIndex::new(t);
        let b = ByteRange::new(t.find('说').unwrap(), t.len());
        let c = idx.to_chars(t, b);
        assert_eq!(c, CharRange::new(7, 14));
        assert_eq!(idx.to_bytes(t, c), Some(b));
        assert_eq!(idx.to_bytes(t, CharRange::new(3, 99)), None);
    }

    #[test]
    fn reversed_ranges_from_a_file_convert_to_nothing_instead_of_panicking() {
        let t = "Peskov 说 “yes” 👍🏽";
        let idx = CharIndex::new(t);
        let r = CharRange::new(9, 2);
        assert!(r.is_reversed());
        assert_eq!(r.len(), 0);
        assert_eq!(idx.to_bytes(t, r), None);
        assert_eq!(idx.to_bytes(t, CharRange::new(99, 3)), None, "reversed and past the end");
        assert_eq!(idx.to_bytes(t, CharRange::new(usize::MAX, 0)), None);
        assert!(idx.to_bytes(t, CharRange::new(2, 2)).is_some_and(|b| b.is_empty()), "empty is not reversed");
    }

    #[test]
    fn utf16_offsets_count_astral_characters_twice_and_reject_half_pairs() {
        let u = Utf16Index::new("👍🏽 Peskov");
        assert_eq!((u.to_utf16(2), u.to_utf16(3)), (4, 5));
        assert_eq!((u.to_char(4), u.to_char(5)), (Some(2), Some(3)));
        assert_eq!(u.to_char(1), None, "inside the surrogate pair of 👍");
        assert_eq!(u.to_char(99), None);
    }

    #[test]
    fn empty_text_has_one_position() {
        let idx = CharIndex::new("");
        assert_eq!(idx.char_of("", 0), 0);
        assert_eq!(idx.byte_of("", 0), Some(0));
        assert_eq!(idx.byte_of("", 1), None);
    }
}
