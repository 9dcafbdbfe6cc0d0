//! CSV (and TSV, `;`-separated) containers: a header row, then a record per row; the text
//! and metadata are columns, found through the field mapping by header name.

use super::fields::{Fields, Role};
use super::{FieldValue, Found, Index, Probe, Record, article_text, meta_from};
use std::io::Read;
use std::path::Path;

pub(super) enum TableError {
    Io(std::io::Error),
    Bad(String),
}

/// The separator of a table: the one of `,`, `;` and tab that the header line (outside
/// quotes) holds most of; `,` when none.
fn delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let (mut counts, mut quoted) = ([0usize; 3], false);
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { [b',', b';', b'\t'][best] }
}

/// The column for `role`: the first candidate name that a header names, ignoring case and
/// surrounding blanks.
fn column(header: &[String], fields: &Fields, role: Role) -> Option<usize> {
    fields.candidates(role).find_map(|name| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name.trim())))
}

fn text_of(field: &[u8]) -> String {
    String::from_utf8_lossy(field).trim().to_owned()
}

/// Indexes a table: each row's place and key. A row with the wrong number of fields, or
/// without text, is left out with a problem naming its line.
pub(super) fn index(
    path: &Path,
    label: &str,
    fields: &Fields,
    found: &mut Found,
) -> Result<(Vec<String>, u8), TableError> {
    let mut file = std::fs::File::open(path).map_err(TableError::Io)?;
    let size = file.metadata().map_err(TableError::Io)?.len();
    let mut head = Vec::new();
    (&mut file).take(64 << 10).read_to_end(&mut head).map_err(TableError::Io)?;
    let delim = delimiter(head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head));
    let file = std::fs::File::open(path).map_err(TableError::Io)?;
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(true)
        .flexible(false)
        .buffer_capacity(1 << 20)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let header: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| TableError::Bad(format!("line 1: cannot read the header row: {e}")))?
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 { h.strip_prefix(b"\xef\xbb\xbf").unwrap_or(h) } else { h };
            text_of(h)
        })
        .collect();
    let Some(text_col) = column(&header, fields, Role::Text) else {
        return Err(TableError::Bad(format!(
            "line 1: {} (its columns are: {})",
            fields.missing(Role::Text),
            header.join(", ")
        )));
    };
    let (id_col, url_col) = (column(&header, fields, Role::Id), column(&header, fields, Role::Url));
    // Every row's start, good or bad, so each good row's length runs to the next start.
    let mut starts: Vec<u64> = Vec::new();
    let mut good: Vec<(usize, Probe)> = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let Some(pos) = rec.position() else { continue };
                starts.push(pos.byte());
                let row = pos.record();
                if rec.get(text_col).is_none_or(|t| t.trim_ascii().is_empty()) {
                    found.problems.push(format!(
                        "{label}:{}: row {row}: {}; the row is left out",
                        pos.line(),
                        fields.missing(Role::Text)
                    ));
                    continue;
                }
                let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).map(text_of).filter(|s| !s.is_empty());
                let probe =
                    Probe { at: pos.byte(), line: pos.line(), id: get(id_col), url: get(url_col), ..Probe::default() };
                good.push((starts.len() - 1, probe));
            }
            Err(e) => {
                let (line, what) = match e.kind() {
                    csv::ErrorKind::UnequalLengths { pos, expected_len, len } => {
                        if let Some(p) = pos {
                            starts.push(p.byte());
                        }
                        (
                            pos.as_ref().map_or(0, csv::Position::line),
                            format!("{len} fields where the header has {expected_len}"),
                        )
                    }
                    csv::ErrorKind::Io(_) => return Err(TableError::Bad(format!("cannot read: {e}"))),
                    _ => (e.position().map_or(0, csv::Position::line), e.to_string()),
                };
                found.problems.push(format!("{label}:{line}: {what}; the row is left out"));
            }
        }
    }
    for (i, mut p) in good {
        p.len = starts.get(i + 1).copied().unwrap_or(size) - p.at;
        found.probes.push(p);
    }
    Ok((header, delim))
}

/// Parses one row into its text and metadata.
pub(super) fn record(bytes: &[u8], idx: &Index) -> Result<Record, String> {
    let mut rdr =
        csv::ReaderBuilder::new().delimiter(idx.delimiter).has_headers(false).flexible(true).from_reader(bytes);
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).map_err(|e| e.to_string())? {
        return Err("the row is empty".into());
    }
    let mut warnings = Vec::new();
    if rec.iter().any(|f| std::str::from_utf8(f).is_err()) {
        warnings.push("the row is not valid UTF-8: bad bytes are shown as \u{fffd}".to_owned());
    }
    let get = |role| {
        column(&idx.header, &idx.fields, role)
            .and_then(|c| rec.get(c))
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .filter(|s| !s.trim().is_empty())
            .map(FieldValue::Text)
    };
    let Some(FieldValue::Text(text)) = get(Role::Text) else { return Err(idx.fields.missing(Role::Text)) };
    let key = [Role::Id, Role::Url].into_iter().find_map(|r| get(r).and_then(FieldValue::into_key));
    let meta = meta_from(get);
    let lossy = !warnings.is_empty();
    Ok(Record { text: article_text(text), meta, warnings, blocks: Vec::new(), key, lossy })
}
