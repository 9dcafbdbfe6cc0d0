//! A container's records as one table of fixed-width rows and one string of their names.
//!
//! A container of 100,000 records must open in about the time `find` lists 100,000 file
//! names, and most of that time went into the index itself: read back as JSON, each record
//! cost several small allocations (its key, its key as a file name, a web archive's record
//! id, URL, date and content type), and 100,000 of them cost more than listing the names.
//! Here every record is a [`Row`] of numbers, and its strings are ranges of one [`Rows::text`];
//! the table is kept as the bytes the saved index (`cache`) holds, so reading it back is a
//! read into one buffer for the rows and one for the text, and a check of the ranges, with
//! no allocation or copy per record. A record's strings are borrowed from the table ([`Rec`]), and a web archive's
//! header as `warc::read_body` needs it is made for the one record being read
//! ([`Rows::page`]).

use super::super::warc::{RecordHead, RecordKind};

/// One record: where its bytes are, and where its strings are in [`Rows::text`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Row {
    at: u64,
    len: u64,
    line: u64,
    /// A web archive's record's offset in its gzip member's inflated bytes.
    inner: u64,
    /// Where this record's strings start in the text: the key, the key as a file name, then
    /// for a web archive's page its record id, URL, date and content type.
    text: u64,
    key: u32,
    /// [`SAME`] when the file name is the key itself (a key that is a safe file name).
    file: u32,
    own: u32,
    /// The lengths of a page's strings; [`NONE`] for a header the record lacks, [`SAME`] for a
    /// record id that is `urn:uuid:` and the key's own part (as a web archive's key is made).
    page: [u32; 4],
    /// 0: not a page; 1: a response; 2: a resource.
    kind: u8,
}

/// The length that stands for "absent" (a page without a URL, date or content type).
const NONE: u32 = u32::MAX;

/// The length that stands for a string not stored again because the key says it: a file name
/// that is the key, a record id that is `urn:uuid:` and the key. A web archive's names are
/// mostly these, and every byte of the table is read on every open.
const SAME: u32 = u32::MAX - 1;

/// What a web archive's record id is made of besides the key (see [`SAME`]).
const URN: &str = "urn:uuid:";

/// The bytes a length stands for in the text: none for [`NONE`] and [`SAME`].
fn stored(len: u32) -> usize {
    if len >= SAME { 0 } else { len as usize }
}

/// The bytes of one row in the table and the saved index ([`encode`]).
pub(super) const ROW_BYTES: usize = 5 * 8 + 7 * 4 + 1;

/// Where one record is, and what it is called, borrowed from its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec<'a> {
    /// The stable key: id field, URL, or position (see the module doc of `container`).
    pub key: &'a str,
    /// Byte offset of the record in the file.
    pub at: u64,
    pub len: u64,
    /// The line it starts on (1-based), for messages.
    pub line: u64,
    /// How much of `key` is the record's own id or URL (the rest is a `~2` for a repeated
    /// one); 0 for a key by position. Reading checks the record still says so.
    pub own: usize,
    /// The key as a file name ([`super::fields::file_key`]), made once with the index.
    pub file: &'a str,
}

/// A container's records, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Rows {
    /// [`ROW_BYTES`] per record, as [`encode`] lays a [`Row`] out.
    table: Vec<u8>,
    text: String,
}

/// A string's length as a row keeps it: strings of 4 GiB and over are not names.
fn len32(s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(SAME - 1).min(SAME - 1)
}

/// A row's bytes: five `u64`, seven `u32`, one `u8`, little-endian.
fn encode(r: &Row, out: &mut Vec<u8>) {
    for v in [r.at, r.len, r.line, r.inner, r.text] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [r.key, r.file, r.own, r.page[0], r.page[1], r.page[2], r.page[3]] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.push(r.kind);
}

/// The row whose bytes start `b` (at least [`ROW_BYTES`] of them).
fn decode(b: &[u8]) -> Row {
    let u64_at = |i: usize| u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
    let u32_at = |i: usize| u32::from_le_bytes(b[40 + i * 4..44 + i * 4].try_into().expect("4 bytes"));
    Row {
        at: u64_at(0),
        len: u64_at(1),
        line: u64_at(2),
        inner: u64_at(3),
        text: u64_at(4),
        key: u32_at(0),
        file: u32_at(1),
        own: u32_at(2),
        page: [u32_at(3), u32_at(4), u32_at(5), u32_at(6)],
        kind: b[68],
    }
}

impl Rows {
    pub fn len(&self) -> usize {
        self.table.len() / ROW_BYTES
    }

    /// The bytes of the text, for the saved index's head.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    fn row(&self, n: usize) -> Row {
        decode(&self.table[n * ROW_BYTES..(n + 1) * ROW_BYTES])
    }

    /// Adds a record with its key, its key as a file name, and for a web archive's page its
    /// header.
    #[allow(clippy::too_many_arguments)] // a record's numbers and names, as the index finds them
    pub fn push(&mut self, key: &str, file: &str, at: u64, len: u64, line: u64, own: usize, page: Option<&RecordHead>) {
        let mut row = Row { at, len, line, text: self.text.len() as u64, ..Row::default() };
        // Names are cut to what a row can measure: no key or URL comes near 4 GiB.
        let key = &key[..floor(key, len32(key) as usize)];
        let file = &file[..floor(file, len32(file) as usize)];
        row.key = key.len() as u32;
        row.own = u32::try_from(own).unwrap_or(u32::MAX).min(row.key);
        self.text.push_str(key);
        if file == key {
            row.file = SAME;
        } else {
            row.file = file.len() as u32;
            self.text.push_str(file);
        }
        row.page = [NONE; 4];
        if let Some(h) = page {
            row.inner = h.inner;
            row.kind = match h.kind {
                RecordKind::Response => 1,
                RecordKind::Resource => 2,
            };
            let strings = [Some(&h.record_id), h.target_uri.as_ref(), h.date.as_ref(), h.content_type.as_ref()];
            let own_id = &key[..row.own as usize];
            if !own_id.is_empty() && h.record_id.strip_prefix(URN) == Some(own_id) {
                row.page[0] = SAME;
            }
            for (slot, s) in row.page.iter_mut().zip(strings) {
                if *slot == SAME {
                    continue;
                }
                if let Some(s) = s {
                    let s = &s[..floor(s, len32(s) as usize)];
                    self.text.push_str(s);
                    *slot = s.len() as u32;
                }
            }
        }
        encode(&row, &mut self.table);
    }

    /// Record `n`.
    pub fn get(&self, n: usize) -> Rec<'_> {
        let r = self.row(n);
        let start = r.text as usize;
        let key_end = start + r.key as usize;
        let key = &self.text[start..key_end];
        Rec {
            key,
            at: r.at,
            len: r.len,
            line: r.line,
            own: r.own as usize,
            file: if r.file == SAME { key } else { &self.text[key_end..key_end + r.file as usize] },
        }
    }

    /// Just the key of record `n` (what finding a record by key compares).
    pub fn key(&self, n: usize) -> &str {
        let r = self.row(n);
        &self.text[r.text as usize..r.text as usize + r.key as usize]
    }

    /// Every record, in file order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Rec<'_>> + '_ {
        (0..self.len()).map(|n| self.get(n))
    }

    /// Record `n`'s web archive header, for reading its page; `None` when the record is not a
    /// page.
    pub fn page(&self, n: usize) -> Option<RecordHead> {
        let r = self.row(n);
        let kind = match r.kind {
            1 => RecordKind::Response,
            2 => RecordKind::Resource,
            _ => return None,
        };
        let key_at = r.text as usize;
        let mut at = key_at + r.key as usize + stored(r.file);
        let mut next = |len: u32| match len {
            NONE => None,
            SAME => Some(format!("{URN}{}", &self.text[key_at..key_at + r.own as usize])),
            len => {
                let s = self.text[at..at + len as usize].to_owned();
                at += len as usize;
                Some(s)
            }
        };
        let [id, uri, date, content_type] = r.page;
        Some(RecordHead {
            at: r.at,
            inner: r.inner,
            len: r.len,
            record_id: next(id).unwrap_or_default(),
            target_uri: next(uri),
            date: next(date),
            content_type: next(content_type),
            kind,
        })
    }

    /// The rows' bytes, then the text's, as the saved index holds them ([`from_parts`]
    /// takes them back).
    ///
    /// [`from_parts`]: Self::from_parts
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.table);
        out.extend_from_slice(self.text.as_bytes());
    }

    /// The rows from the bytes [`write`](Self::write) left, read into their own buffers;
    /// `None` unless every row's strings are within the text and cut it at character
    /// boundaries, so a damaged file is indexed again, never trusted.
    pub fn from_parts(table: Vec<u8>, text: Vec<u8>) -> Option<Rows> {
        if !table.len().is_multiple_of(ROW_BYTES) {
            return None;
        }
        let text = String::from_utf8(text).ok()?;
        table.chunks_exact(ROW_BYTES).all(|b| fits(&decode(b), &text)).then_some(Rows { table, text })
    }
}

/// Whether a row's strings are ranges of `text` that start and end at character boundaries,
/// with an own part no longer than its key and a known kind.
fn fits(r: &Row, text: &str) -> bool {
    let Ok(mut at) = usize::try_from(r.text) else { return false };
    if r.key >= SAME
        || r.own > r.key
        || r.kind > 2
        || (r.kind == 0 && r.page != [NONE; 4])
        || r.page[1..].contains(&SAME)
    {
        return false;
    }
    if !text.is_char_boundary(at) {
        return false;
    }
    for len in [r.key, r.file].into_iter().chain(r.page) {
        at = match at.checked_add(stored(len)) {
            Some(end) if text.is_char_boundary(end) => end,
            _ => return false,
        };
    }
    // The own part of the key ends at a character boundary too (it is sliced off on reading).
    text.is_char_boundary(r.text as usize + r.own as usize)
}

/// The largest character boundary of `s` at or below `at`.
fn floor(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Rows {
        let mut rows = Rows::default();
        rows.push("https://lenta.ru/новости/1", "https_lenta.ru_новости_1", 0, 120, 1, 33, None);
        let head = RecordHead {
            at: 4096,
            inner: 0,
            len: 2048,
            record_id: "urn:uuid:ключ-東京".into(),
            target_uri: Some("https://asahi.com/天気".into()),
            date: None,
            content_type: Some("text/html; charset=Shift_JIS".into()),
            kind: RecordKind::Response,
        };
        rows.push("ключ-東京~2", "ключ-東京~2", 4096, 2048, 0, 15, Some(&head));
        rows
    }

    /// The bytes [`Rows::write`] gives, cut into the table and the text.
    fn parts(rows: &Rows) -> (Vec<u8>, Vec<u8>) {
        let mut bytes = Vec::new();
        rows.write(&mut bytes);
        let text = bytes.split_off(rows.len() * ROW_BYTES);
        (bytes, text)
    }

    #[test]
    fn rows_read_back_from_their_bytes_are_the_rows_written_with_a_pages_header() {
        let rows = sample();
        let (table, text) = parts(&rows);
        assert_eq!(text.len(), rows.text_len());
        let names = std::str::from_utf8(&text).unwrap();
        assert_eq!(names.matches("ключ-東京").count(), 1, "a name the key says is not kept again: {names}");
        let back = Rows::from_parts(table, text).expect("reads back");
        assert_eq!(back, rows);
        let r = back.get(0);
        assert_eq!(
            (r.key, r.file, r.at, r.len, r.line, r.own),
            ("https://lenta.ru/новости/1", "https_lenta.ru_новости_1", 0, 120, 1, 33)
        );
        assert_eq!(back.key(1), "ключ-東京~2");
        assert_eq!(back.page(0), None, "a JSON record is no page");
        let head = back.page(1).expect("a page");
        assert_eq!(head.record_id, "urn:uuid:ключ-東京");
        assert_eq!(head.target_uri.as_deref(), Some("https://asahi.com/天気"));
        assert_eq!((head.date, head.content_type.as_deref()), (None, Some("text/html; charset=Shift_JIS")));
    }

    #[test]
    fn a_damaged_saved_table_is_refused_rather_than_trusted() {
        let (table, text) = parts(&sample());
        assert!(Rows::from_parts(table[..table.len() - 1].to_vec(), text.clone()).is_none(), "a row cut short");
        assert!(Rows::from_parts(table.clone(), text[..text.len() - 1].to_vec()).is_none(), "the text cut short");
        // A key length that runs past the text, and one that cuts a character in two.
        for (len, what) in [(10_000u32, "past the text"), (1, "inside «ключ»")] {
            let mut bad = table.clone();
            bad[ROW_BYTES + 40..ROW_BYTES + 44].copy_from_slice(&len.to_le_bytes());
            bad[ROW_BYTES + 44..ROW_BYTES + 48].copy_from_slice(&0u32.to_le_bytes());
            bad[ROW_BYTES + 48..ROW_BYTES + 52].copy_from_slice(&0u32.to_le_bytes());
            assert!(Rows::from_parts(bad, text.clone()).is_none(), "a key {what}");
        }
    }
}
