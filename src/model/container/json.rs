//! JSON Lines and JSON containers: the index pass reads each record's key fields only, and a
//! record is parsed whole when it is shown or opened.

use super::fields::{Fields, Role};
use super::{FieldValue, Found, Probe, Record, article_text, meta_from, skim};
use serde_json::Value;
use std::io::{BufRead, Read, Seek, SeekFrom};
use std::path::Path;

/// Indexes a JSON Lines file: a record per non-blank line. A line that is not a JSON object,
/// or has no text field, is left out with a problem naming its line. A big file is cut at
/// line breaks into a part per core, skimmed side by side.
pub(super) fn index_lines(path: &Path, label: &str, fields: &Fields, found: &mut Found) -> std::io::Result<()> {
    let size = std::fs::metadata(path)?.len();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let parts = cores.min(size / (4 << 20)).max(1);
    let mut cuts = vec![0u64];
    for k in 1..parts {
        let at = next_line(path, k * size / parts)?;
        if at > *cuts.last().unwrap_or(&0) && at < size {
            cuts.push(at);
        }
    }
    cuts.push(size);
    let probe = &KeyProbe::new(fields);
    let done: Vec<std::io::Result<Part>> = std::thread::scope(|s| {
        let work: Vec<_> = cuts.windows(2).map(|w| s.spawn(move || lines_between(path, w[0], w[1], probe))).collect();
        work.into_iter().map(|w| w.join().expect("indexing never panics")).collect()
    });
    let mut lines_before = 0u64;
    for part in done {
        let part = part?;
        found.probes.extend(part.probes.into_iter().map(|p| Probe { line: p.line + lines_before, ..p }));
        found.problems.extend(
            part.problems
                .into_iter()
                .map(|(l, why)| format!("{label}:{}: {why}; the record is left out", l + lines_before)),
        );
        lines_before += part.lines;
    }
    Ok(())
}

/// The offset just past the first line break at or after `at`.
fn next_line(path: &Path, at: u64) -> std::io::Result<u64> {
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(at))?;
    let mut r = std::io::BufReader::with_capacity(64 << 10, f);
    let mut skip = Vec::new();
    Ok(at + r.read_until(b'\n', &mut skip)? as u64)
}

/// What one part of a JSON Lines file holds, its lines counted from the part's start.
struct Part {
    probes: Vec<Probe>,
    problems: Vec<(u64, String)>,
    lines: u64,
}

fn lines_between(path: &Path, start: u64, end: u64, probe: &KeyProbe) -> std::io::Result<Part> {
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(start))?;
    let mut r = std::io::BufReader::with_capacity(1 << 20, f.take(end - start));
    let mut part = Part { probes: Vec::new(), problems: Vec::new(), lines: 0 };
    let (mut at, mut buf) = (start, Vec::new());
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf)? as u64;
        if n == 0 {
            return Ok(part);
        }
        part.lines += 1;
        let body = if at == 0 { trim_line(&buf) } else { buf.trim_ascii() };
        if !body.is_empty() {
            match probe.probe(body) {
                Ok(p) => part.probes.push(Probe { at, len: n, line: part.lines, ..p }),
                Err(why) => part.problems.push((part.lines, why)),
            }
        }
        at += n;
    }
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
    let mut s = skim::Skim::new(&bytes, start);
    // Lines are counted up to each record as the walk moves on, for messages.
    let (mut line, mut counted) = (1u64, 0usize);
    let mut line_at = |i: usize| {
        line += memchr::memchr_iter(b'\n', &bytes[counted..i]).count() as u64;
        counted = i;
        line
    };
    s.blank();
    match s.peek() {
        Some(b'{') => {
            let at = s.at();
            s.value().map_err(DocError::Bad)?;
            let body = &bytes[at..s.at()];
            let p = probe.probe(body).map_err(DocError::Bad)?;
            found.probes.push(Probe { at: at as u64, len: body.len() as u64, line: 1, ..p });
            Ok(())
        }
        Some(b'[') => {
            s.step();
            loop {
                s.blank();
                match s.peek() {
                    Some(b']') => return Ok(()),
                    Some(b',') => {
                        s.step();
                        continue;
                    }
                    None => {
                        let l = line_at(s.at());
                        found.problems.push(format!("{label}:{l}: the array is cut off (no closing `]`)"));
                        return Ok(());
                    }
                    _ => {}
                }
                let (at, l) = (s.at(), line_at(s.at()));
                if let Err(why) = s.value() {
                    found.problems.push(format!("{label}:{l}: {why}; the records after it are not read"));
                    return Ok(());
                }
                match probe.probe(&bytes[at..s.at()]) {
                    Ok(p) => found.probes.push(Probe { at: at as u64, len: (s.at() - at) as u64, line: l, ..p }),
                    Err(why) => found.problems.push(format!("{label}:{l}: {why}; the record is left out")),
                }
            }
        }
        _ => Err(DocError::Bad("line 1: not a JSON object or array of objects".into())),
    }
}

/// Reads only the id and URL fields of a record (and whether it has text): see `skim`.
struct KeyProbe<'f> {
    fields: &'f Fields,
    /// A mapping names a nested field (`meta.id`): probe by parsing the whole record.
    nested: bool,
}

impl<'f> KeyProbe<'f> {
    fn new(fields: &'f Fields) -> Self {
        let nested =
            [Role::Id, Role::Url, Role::Text].iter().any(|&r| fields.named(r).is_some_and(|n| n.contains('.')));
        KeyProbe { fields, nested }
    }

    fn probe(&self, body: &[u8]) -> Result<Probe, String> {
        let keys = if self.nested {
            let v: Value = serde_json::from_slice(body).map_err(|e| malformed(&e))?;
            if !v.is_object() {
                return Err("not a JSON object".into());
            }
            let get = |r| lookup(&v, self.fields, r).and_then(FieldValue::into_text);
            let text = lookup(&v, self.fields, Role::Text).is_some();
            skim::Keys { id: get(Role::Id), url: get(Role::Url), text, export: false }
        } else {
            skim::keys(body, self.fields)?
        };
        if keys.export {
            return Err("an article of a newsnote export (it has the export's annotations, fingerprint and \
                        offset_unit), not one to code; export outside the corpus folder"
                .into());
        }
        if !keys.text {
            return Err(self.fields.missing(Role::Text));
        }
        Ok(Probe { id: keys.id, url: keys.url, ..Probe::default() })
    }
}

fn malformed(e: &serde_json::Error) -> String {
    if e.is_data() { "not a JSON object".into() } else { format!("malformed JSON (column {}: {e})", e.column()) }
}

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
    let mut warnings = Vec::new();
    // Bad bytes in a record cost that record its exact text, not its place: decoded with
    // U+FFFD, as a text file is, and said.
    let v: Value = match std::str::from_utf8(body) {
        Ok(_) => serde_json::from_slice(body).map_err(|e| malformed(&e))?,
        Err(_) => {
            warnings.push("the record is not valid UTF-8: bad bytes are shown as \u{fffd}".to_owned());
            serde_json::from_str(&String::from_utf8_lossy(body)).map_err(|e| malformed(&e))?
        }
    };
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
    let key = [Role::Id, Role::Url].into_iter().find_map(|r| lookup(&v, fields, r).and_then(FieldValue::into_key));
    let lossy = !warnings.is_empty();
    Ok(Record { text: article_text(text), meta, warnings, blocks: Vec::new(), key, lossy })
}
