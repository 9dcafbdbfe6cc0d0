//! Reading a JSON record's key fields without parsing the rest.
//!
//! The index pass must cost about one read of the file's bytes: a record's text and title
//! are most of it and are not needed to list it. So a record's top-level fields are walked
//! by structure only: strings are skipped with `memchr` (to the next quote or backslash),
//! nested values by bracket depth, and only the id and URL values are parsed. The structure
//! is checked as it is walked (an unterminated string, a missing colon or comma); the full
//! check of the JSON is the parse when the record is read.

use super::fields::{Fields, Role};
use serde_json::Value;

/// What the index needs of a record.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Keys {
    pub id: Option<String>,
    pub url: Option<String>,
    /// Whether a text field holds anything but blanks.
    pub text: bool,
    /// The record is an article of newsnote's own `json`/`jsonl` export (it has the export's
    /// `annotations`, `fingerprint` and `offset_unit`): written into a corpus folder, it must
    /// not come back as a second copy of the corpus.
    pub export: bool,
}

/// Fields that together mark a record of newsnote's own export.
const EXPORT_FIELDS: [&str; 3] = ["annotations", "fingerprint", "offset_unit"];

/// Skims the JSON object `b` for its key fields.
pub(super) fn keys(b: &[u8], fields: &Fields) -> Result<Keys, String> {
    let mut s = Skim::new(b, 0);
    s.blank();
    if s.peek() != Some(b'{') {
        return Err("not a JSON object".into());
    }
    s.i += 1;
    let (mut keys, mut id_rank, mut url_rank) = (Keys::default(), usize::MAX, usize::MAX);
    let mut export_fields = 0;
    loop {
        s.blank();
        match s.peek() {
            Some(b'}') => {
                s.i += 1;
                break;
            }
            Some(b'"') => {}
            _ => return Err(s.fault("expected a field name or `}`")),
        }
        let key = &b[s.string()?];
        s.blank();
        if s.peek() != Some(b':') {
            return Err(s.fault("expected `:`"));
        }
        s.i += 1;
        s.blank();
        let start = s.i;
        let name = std::str::from_utf8(key).unwrap_or_default();
        export_fields += usize::from(EXPORT_FIELDS.contains(&name));
        let rank = |role| fields.candidates(role).position(|c| c == name);
        let (id, url) = (rank(Role::Id).filter(|&r| r < id_rank), rank(Role::Url).filter(|&r| r < url_rank));
        s.value()?;
        let value = &b[start..s.i];
        if id.is_some() || url.is_some() {
            if let Some(v) = scalar(value) {
                if let Some(r) = id {
                    (keys.id, id_rank) = (Some(v.clone()), r);
                }
                if let Some(r) = url {
                    (keys.url, url_rank) = (Some(v), r);
                }
            }
        } else if rank(Role::Text).is_some() {
            keys.text |= holds_text(value);
        }
        s.blank();
        match s.peek() {
            Some(b',') => s.i += 1,
            Some(b'}') => {}
            _ => return Err(s.fault("expected `,` or `}`")),
        }
    }
    s.blank();
    if s.i < b.len() {
        return Err(s.fault("text after the record's closing `}`"));
    }
    keys.export = export_fields == EXPORT_FIELDS.len();
    Ok(keys)
}

/// A key value: a string or a number, as text; `None` for anything else or blank.
fn scalar(v: &[u8]) -> Option<String> {
    match serde_json::from_slice::<Value>(v).ok()? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether a text value holds text: a string with something but blanks and escaped line
/// breaks in it, or a list with any string in it.
fn holds_text(v: &[u8]) -> bool {
    match v.first() {
        Some(b'"') => {
            let inner = &v[1..v.len() - 1];
            let mut i = 0;
            while i < inner.len() {
                match inner[i] {
                    b' ' | b'\t' => i += 1,
                    b'\\' if matches!(inner.get(i + 1), Some(b'n' | b'r' | b't')) => i += 2,
                    _ => return true,
                }
            }
            false
        }
        Some(b'[') => v.contains(&b'"'),
        _ => false,
    }
}

/// A cursor over JSON bytes that moves by structure only (see the module doc); a JSON
/// document's index walks its array with it too.
pub(super) struct Skim<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Skim<'a> {
    pub(super) fn new(b: &'a [u8], at: usize) -> Self {
        Skim { b, i: at }
    }

    pub(super) fn at(&self) -> usize {
        self.i
    }

    /// Moves past one byte (a bracket or comma just peeked).
    pub(super) fn step(&mut self) {
        self.i += 1;
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    pub(super) fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    fn fault(&self, what: &str) -> String {
        format!("malformed JSON (column {}: {what})", self.i + 1)
    }

    /// Moves past a string (at its opening quote) and returns where its raw inside is.
    fn string(&mut self) -> Result<std::ops::Range<usize>, String> {
        let start = self.i + 1;
        let mut j = start;
        loop {
            match memchr::memchr2(b'"', b'\\', &self.b[j..]) {
                Some(k) if self.b[j + k] == b'\\' => j += k + 2,
                Some(k) => {
                    self.i = j + k + 1;
                    return Ok(start..j + k);
                }
                None => {
                    self.i = start - 1;
                    return Err(self.fault("a string that never ends"));
                }
            }
            if j > self.b.len() {
                return Err(self.fault("a string that never ends"));
            }
        }
    }

    /// Moves past one value.
    pub(super) fn value(&mut self) -> Result<(), String> {
        match self.peek() {
            Some(b'"') => self.string().map(|_| ()),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    match c {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Ok(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
                Err(self.fault("an object or list that never closes"))
            }
            Some(_) => {
                let start = self.i;
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.i += 1;
                }
                if self.i == start { Err(self.fault("expected a value")) } else { Ok(()) }
            }
            None => Err(self.fault("expected a value")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_fields_are_found_past_escaped_quotes_and_nested_values() {
        let rec = r#"{"meta": {"a": [1, {"b": "}"}]}, "maintext": "\"\u00ab\u041c\u044b\u00bb\", \\ \u2014 \u0441\u043a\u0430\u0437\u0430\u043b", "id": 42, "url": "https://\u0442\u0430\u0441\u0441.ru/x"}"#.as_bytes();
        let k = keys(rec, &Fields::default()).unwrap();
        assert_eq!(k, Keys { id: Some("42".into()), url: Some("https://тасс.ru/x".into()), text: true, export: false });
    }

    #[test]
    fn blank_text_is_no_text_and_a_broken_record_names_its_column() {
        let k = keys(r#"{"text": " \n\t ", "id": "р-1"}"#.as_bytes(), &Fields::default()).unwrap();
        assert_eq!((k.text, k.id.as_deref()), (false, Some("р-1")));
        assert!(keys(r#"{"text": ["абзац"]}"#.as_bytes(), &Fields::default()).unwrap().text);
        let e = keys(r#"{"text": "обрезано"#.as_bytes(), &Fields::default()).unwrap_err();
        assert!(e.contains("never ends"), "{e}");
        let e = keys(r#"{"text" "x"}"#.as_bytes(), &Fields::default()).unwrap_err();
        assert!(e.contains("column 9") && e.contains("`:`"), "{e}");
        assert_eq!(keys(b"[1]", &Fields::default()).unwrap_err(), "not a JSON object");
        assert!(keys(r#"{"text": "a"} x"#.as_bytes(), &Fields::default()).is_err());
    }

    #[test]
    fn the_better_ranked_id_field_wins_whatever_the_order() {
        let k =
            keys(r#"{"guid": "g", "text": "т", "id": "i", "link": "l", "url": "u"}"#.as_bytes(), &Fields::default())
                .unwrap();
        assert_eq!((k.id.as_deref(), k.url.as_deref()), (Some("i"), Some("u")));
    }
}
