//! JSON Lines and JSON containers: the index pass reads each record's key fields only, and a
//! record is parsed whole when it is shown or opened.

use super::fields::{Fields, Role};
use super::{FieldValue, Found, Probe, Record, article_text, meta_from};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use std::io::BufRead;
use std::path::Path;

/// Indexes a JSON Lines file: a record per non-blank line. A line that is not a JSON object,
/// or has no text field, is left out with a problem naming its line.
pub(super) fn index_lines(path: &Path, label: &str, fields: &Fields, found: &mut Found) -> std::io::Result<()> {
    let mut r = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let probe = KeyProbe::new(fields);
    let (mut at, mut line, mut buf) = (0u64, 0u64, Vec::new());
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf)? as u64;
        if n == 0 {
            break;
        }
        line += 1;
        let body = trim_line(&buf);
        if !body.is_empty() {
            match probe.probe(body) {
                Ok(p) => found.probes.push(Probe { at, len: n, line, ..p }),
                Err(why) => found.problems.push(format!("{label}:{line}: {why}; the record is left out")),
            }
        }
        at += n;
    }
    Ok(())
}

/// A line without its line break, BOM (first line) and surrounding blanks.
fn trim_line(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    b.trim_ascii()
}

pub(super) enum DocError {
    Io(std::io::Error),
    Bad(String),
}

/// Indexes a JSON document: an array of records, or one record (news-please's file per
/// article). A malformed array is read up to the fault, which is reported.
pub(super) fn index_document(path: &Path, label: &str, fields: &Fields, found: &mut Found) -> Result<(), DocError> {
    let bytes = std::fs::read(path).map_err(DocError::Io)?;
    let probe = KeyProbe::new(fields);
    let start = if bytes.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
    let mut s = Scan { b: &bytes, i: start, line: 1 };
    s.blank();
    match s.peek() {
        Some(b'{') => {
            let (at, line) = (s.i, s.line);
            let end = s.value_end().map_err(DocError::Bad)?;
            let body = &bytes[at..end];
            match probe.probe(body) {
                Ok(p) => found.probes.push(Probe { at: at as u64, len: body.len() as u64, line, ..p }),
                Err(why) => return Err(DocError::Bad(why)),
            }
            Ok(())
        }
        Some(b'[') => {
            s.i += 1;
            loop {
                s.blank();
                match s.peek() {
                    Some(b']') => return Ok(()),
                    Some(b',') => {
                        s.i += 1;
                        continue;
                    }
                    None => {
                        found.problems.push(format!("{label}:{}: the array is cut off (no closing `]`)", s.line));
                        return Ok(());
                    }
                    _ => {}
                }
                let (at, line) = (s.i, s.line);
                let end = match s.value_end() {
                    Ok(e) => e,
                    Err(why) => {
                        found.problems.push(format!("{label}:{line}: {why}; the records after it are not read"));
                        return Ok(());
                    }
                };
                match probe.probe(&bytes[at..end]) {
                    Ok(p) => found.probes.push(Probe { at: at as u64, len: (end - at) as u64, line, ..p }),
                    Err(why) => found.problems.push(format!("{label}:{line}: {why}; the record is left out")),
                }
            }
        }
        _ => Err(DocError::Bad(format!("line {}: not a JSON object or array of objects", s.line))),
    }
}

/// A byte cursor that finds where a JSON value ends without parsing it (strings and nesting
/// only), so the index pass costs one sweep of the bytes.
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    line: u64,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn blank(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.i += 1;
        }
    }

    /// Moves past one value (an object or array, balanced; or a scalar up to `,` `]`) and
    /// returns where it ends.
    fn value_end(&mut self) -> Result<usize, String> {
        let (mut depth, mut in_str, start_line) = (0usize, false, self.line);
        while let Some(c) = self.peek() {
            self.i += 1;
            if in_str {
                match c {
                    b'\\' => self.i += 1,
                    b'"' => in_str = false,
                    b'\n' => self.line += 1,
                    _ => {}
                }
                continue;
            }
            match c {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => {
                    self.i -= 1;
                    return Ok(self.i);
                }
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(self.i);
                    }
                }
                b',' if depth == 0 => {
                    self.i -= 1;
                    return Ok(self.i);
                }
                b'\n' => self.line += 1,
                _ => {}
            }
        }
        if depth == 0 && !in_str {
            return Ok(self.i);
        }
        Err(format!("a record that begins on line {start_line} is cut off at the end of the file"))
    }
}

/// Reads only the id and URL fields of a record (and whether it has text), skipping the rest
/// without building it: the index pass must not pay for titles and texts.
struct KeyProbe<'f> {
    fields: &'f Fields,
    /// A mapping names a nested field (`meta.id`): probe by parsing the whole record.
    nested: bool,
}

/// What [`KeyProbe`] keeps while walking a record's fields.
#[derive(Default)]
struct Seen {
    id: Option<(usize, String)>,
    url: Option<(usize, String)>,
    text: bool,
}

impl<'f> KeyProbe<'f> {
    fn new(fields: &'f Fields) -> Self {
        let nested =
            [Role::Id, Role::Url, Role::Text].iter().any(|&r| fields.named(r).is_some_and(|n| n.contains('.')));
        KeyProbe { fields, nested }
    }

    fn probe(&self, body: &[u8]) -> Result<Probe, String> {
        let seen = if self.nested {
            let v: Value = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
            if !v.is_object() {
                return Err("not a JSON object".into());
            }
            let get = |r| lookup(&v, self.fields, r).and_then(FieldValue::into_text);
            Seen {
                id: get(Role::Id).map(|s| (0, s)),
                url: get(Role::Url).map(|s| (0, s)),
                text: lookup(&v, self.fields, Role::Text).is_some(),
            }
        } else {
            let mut de = serde_json::Deserializer::from_slice(body);
            let seen = (&mut de).deserialize_map(self).map_err(|e| malformed(&e))?;
            de.end().map_err(|e| malformed(&e))?;
            seen
        };
        if !seen.text {
            return Err(self.fields.missing(Role::Text));
        }
        Ok(Probe { id: seen.id.map(|(_, s)| s), url: seen.url.map(|(_, s)| s), ..Probe::default() })
    }
}

fn malformed(e: &serde_json::Error) -> String {
    if e.is_data() { "not a JSON object".into() } else { format!("malformed JSON (column {}: {e})", e.column()) }
}

/// Where `name` is among the candidates for `role` (lower is better).
fn rank(fields: &Fields, role: Role, name: &str) -> Option<usize> {
    fields.candidates(role).position(|c| c == name)
}

impl<'de> Visitor<'de> for &KeyProbe<'_> {
    type Value = Seen;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Seen, A::Error> {
        let mut seen = Seen::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let better = |slot: &Option<(usize, String)>, r: &usize| slot.as_ref().is_none_or(|(old, _)| r < old);
            let id = rank(self.fields, Role::Id, &key).filter(|r| better(&seen.id, r));
            let url = rank(self.fields, Role::Url, &key).filter(|r| better(&seen.url, r));
            if id.is_some() || url.is_some() {
                if let Some(v) = map.next_value_seed(Scalar)?.filter(|v| !v.trim().is_empty()) {
                    if let Some(r) = id {
                        seen.id = Some((r, v.clone()));
                    }
                    if let Some(r) = url {
                        seen.url = Some((r, v));
                    }
                }
            } else if rank(self.fields, Role::Text, &key).is_some() {
                seen.text |= map.next_value_seed(HasText)?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(seen)
    }
}

impl<'de> DeserializeSeed<'de> for &KeyProbe<'_> {
    type Value = Seen;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Seen, D::Error> {
        d.deserialize_map(self)
    }
}

/// Whether a text field holds text (a string that is not blank, or a list of paragraphs),
/// found without copying it.
struct HasText;

impl<'de> DeserializeSeed<'de> for HasText {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for HasText {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("text")
    }
    fn visit_str<E>(self, s: &str) -> Result<bool, E> {
        Ok(!s.trim().is_empty())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut any = false;
        while let Some(t) = seq.next_element_seed(HasText)? {
            any |= t;
        }
        Ok(any)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
}

/// A key field's value: a string or number as text; anything else is no key.
struct Scalar;

impl<'de> DeserializeSeed<'de> for Scalar {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    }
}

use serde::Deserialize;

/// The value of the first candidate field for `role` that is present and not empty.
fn lookup(v: &Value, fields: &Fields, role: Role) -> Option<FieldValue> {
    fields.candidates(role).find_map(|name| {
        let mut cur = v;
        for part in name.split('.') {
            cur = cur.get(part)?;
        }
        field_value(cur)
    })
}

fn field_value(v: &Value) -> Option<FieldValue> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(FieldValue::Text(s.clone())),
        Value::Number(n) => Some(FieldValue::Text(n.to_string())),
        Value::Array(items) => {
            let list: Vec<String> = items
                .iter()
                .filter_map(|i| match field_value(i)? {
                    FieldValue::Text(s) => Some(s),
                    FieldValue::List(l) => Some(l.join("; ")),
                })
                .collect();
            (!list.is_empty()).then_some(FieldValue::List(list))
        }
        // An object stands for its name (`source: {name: "Reuters"}`, an author object).
        Value::Object(o) => o.get("name").and_then(field_value),
        _ => None,
    }
}

/// Parses a whole record into its text and metadata.
pub(super) fn record(body: &[u8], fields: &Fields) -> Result<Record, String> {
    let body = trim_line(body);
    let v: Value = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
    if !v.is_object() {
        return Err("not a JSON object".into());
    }
    let text = match lookup(&v, fields, Role::Text) {
        Some(FieldValue::Text(s)) => s,
        // Paragraphs given as a list become paragraphs of the text.
        Some(FieldValue::List(l)) => l.join("\n\n"),
        None => return Err(fields.missing(Role::Text)),
    };
    let meta = meta_from(|r| lookup(&v, fields, r));
    Ok(Record { text: article_text(text), meta, warnings: Vec::new() })
}
