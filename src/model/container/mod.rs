//! Files that hold many articles: JSON Lines, JSON, CSV, and WARC web archives (whose
//! records `model::warc` finds and whose pages `model::html` reads).
//!
//! Researchers get news as scraper dumps and database exports, one file for thousands of
//! articles. Each record becomes a corpus entry of its own, found by an [`Index`] made once
//! when the corpus is listed: where each record's bytes are, and its stable key. Nothing else
//! of a record is read until it is on screen or opened ([`read`]), so a file of 100,000
//! records lists at about the cost of reading its bytes once.
//!
//! The key is what annotations hang on (`news.jsonl#KEY`, its RON file under
//! `news.jsonl.annotations/`), so it must not move when records are added, removed or
//! reordered: the record's id field, else its URL, else (with a warning) its line or
//! position. Two records with one key get `KEY~2`, `KEY~3` in file order, with a warning.
//!
//! A record that cannot be read (malformed JSON, a CSV row with the wrong number of fields,
//! no text field) is left out with a problem naming the file and its line; the other records
//! still open.

mod cache;
pub mod fields;
mod json;
mod rows;
mod skim;
mod table;

use super::meta::ArticleMeta;
use fields::{Fields, Role};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

pub use cache::index_cached;
pub use rows::Rec;

/// How a container's records are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    /// One JSON object per line (`.jsonl`, `.ndjson`).
    JsonLines,
    /// A JSON array of objects, or one object (`.json`: news-please writes one per article).
    Json,
    /// A table with a header row (`.csv`; `.tsv` and `;`-separated files too).
    Csv,
    /// A web archive (`.warc`, `.warc.gz`): each HTML response or resource record is a page.
    Warc,
}

/// A container's records, found once (and kept between runs: `cache`).
#[derive(Debug, Clone)]
pub struct Index {
    pub kind: Kind,
    pub fields: Fields,
    /// Where each record is and its key, one fixed-width row each ([`Rec`] borrows one).
    records: rows::Rows,
    /// What was wrong with records left out, or with keys: `file:line: what`.
    pub problems: Vec<String>,
    /// A table's column names.
    pub header: Vec<String>,
    /// The field separator of a table.
    pub delimiter: u8,
    /// The file's size and modification time when indexed: a changed file is indexed again
    /// before a record is read from it, since its offsets may have moved.
    pub stamp: (u64, Option<SystemTime>),
}

/// What a record holds, mapped onto an article.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub text: String,
    pub meta: ArticleMeta,
    pub warnings: Vec<String>,
    /// A page's blocks (`html::Block`), for a web archive's record; empty otherwise.
    pub blocks: Vec<super::html::Block>,
    /// The record's own id (else URL) field, as the index keys it.
    pub key: Option<String>,
    /// The record was not valid UTF-8 and was decoded with U+FFFD (see `Article::lossy`).
    pub lossy: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ContainerError {
    #[error("{}: cannot read: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {message}", path.display())]
    Bad { path: PathBuf, message: String },
    #[error("{}: record {key} is no longer in the file", path.display())]
    Gone { path: PathBuf, key: String },
}

impl ContainerError {
    /// What is wrong, without the file's name (for messages that name it already).
    pub fn detail(&self) -> String {
        match self {
            ContainerError::Io { source, .. } => source.to_string(),
            ContainerError::Bad { message, .. } => message.clone(),
            ContainerError::Gone { key, .. } => format!("record {key} is no longer in the file"),
        }
    }

    /// The error as an I/O error of the right kind (a record over the size limit is
    /// `FileTooLarge`, as a file over it is).
    pub fn into_io(self) -> std::io::Error {
        match self {
            ContainerError::Io { source, .. } => source,
            e => std::io::Error::new(std::io::ErrorKind::InvalidData, e.detail()),
        }
    }
}

fn stamp(path: &Path) -> std::io::Result<(u64, Option<SystemTime>)> {
    let m = std::fs::metadata(path)?;
    Ok((m.len(), m.modified().ok()))
}

/// Indexes the container at `path` (`label` names it in problems, usually its id).
pub fn index(path: &Path, label: &str, kind: Kind, fields: &Fields) -> Result<Index, ContainerError> {
    let io = |source| ContainerError::Io { path: path.to_path_buf(), source };
    let stamp = stamp(path).map_err(io)?;
    let mut idx = Index {
        kind,
        fields: fields.clone(),
        records: rows::Rows::default(),
        problems: Vec::new(),
        header: Vec::new(),
        delimiter: b',',
        stamp,
    };
    let mut found = Found::default();
    let mut pages = None;
    match kind {
        Kind::JsonLines => json::index_lines(path, label, fields, &mut found).map_err(io)?,
        Kind::Json => json::index_document(path, label, fields, &mut found).map_err(|e| match e {
            json::DocError::Io(e) => io(e),
            json::DocError::Bad(message) => ContainerError::Bad { path: path.to_path_buf(), message },
        })?,
        Kind::Csv => {
            (idx.header, idx.delimiter) = table::index(path, label, fields, &mut found).map_err(|e| match e {
                table::TableError::Io(e) => io(e),
                table::TableError::Bad(message) => ContainerError::Bad { path: path.to_path_buf(), message },
            })?
        }
        Kind::Warc => pages = Some(archive_pages(path, label, &mut found)?),
    }
    if found.probes.is_empty()
        && let Some(first) = found.problems.first()
    {
        // A file with no article in it is most likely not a corpus file (an export, a
        // config): one message, not one per line.
        let first = first.strip_prefix(label).and_then(|r| r.strip_prefix(':')).unwrap_or(first);
        return Err(ContainerError::Bad {
            path: path.to_path_buf(),
            message: format!("no record is an article ({} left out; the first, line {first})", found.problems.len()),
        });
    }
    found.finish(label, kind, pages.as_deref(), &mut idx);
    Ok(idx)
}

/// How many records left out are listed one by one per container.
const MAX_PROBLEMS: usize = 20;

/// A record as the index pass sees it: where it is and what its key fields say.
#[derive(Debug, Default)]
pub(super) struct Probe {
    pub at: u64,
    pub len: u64,
    pub line: u64,
    /// The id field's value, if any.
    pub id: Option<String>,
    pub url: Option<String>,
}

/// What the format's pass found, before keys are settled.
#[derive(Debug, Default)]
pub(super) struct Found {
    pub probes: Vec<Probe>,
    pub problems: Vec<String>,
}

impl Found {
    /// Settles keys (id, else URL, else position, duplicates numbered) and moves everything
    /// into `idx`, with a web archive's `pages` (one per probe).
    fn finish(self, label: &str, kind: Kind, pages: Option<&[super::warc::RecordHead]>, idx: &mut Index) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let (mut by_position, mut first_positional) = (0usize, 0u64);
        let mut duplicates = Vec::new();
        let many = self.problems.len().saturating_sub(MAX_PROBLEMS);
        idx.problems.extend(self.problems.into_iter().take(MAX_PROBLEMS));
        if many > 0 {
            idx.problems.push(format!("{label}: {many} more records left out (the first {MAX_PROBLEMS} are listed)"));
        }
        for (n, p) in self.probes.into_iter().enumerate() {
            let own_key = p.id.or(p.url);
            let own = own_key.as_ref().map_or(0, String::len);
            let key = match own_key {
                Some(k) => k,
                None => {
                    by_position += 1;
                    if first_positional == 0 {
                        first_positional = p.line;
                    }
                    match kind {
                        Kind::Csv => format!("row-{}", n + 1),
                        Kind::JsonLines => format!("line-{}", p.line),
                        Kind::Json => format!("item-{}", n + 1),
                        Kind::Warc => format!("record-{}", n + 1),
                    }
                }
            };
            let count = seen.entry(key.clone()).or_default();
            *count += 1;
            let key = if *count == 1 {
                key
            } else {
                duplicates.push((p.line, key.clone()));
                format!("{key}~{count}")
            };
            let file = fields::file_key(&key);
            idx.records.push(&key, &file, p.at, p.len, p.line, own, pages.and_then(|pages| pages.get(n)));
        }
        if by_position > 0 {
            idx.problems.push(format!(
                "{label}:{first_positional}: {by_position} record(s) have no id or URL field and are keyed by their \
                 position, so adding or removing records above them would move their annotations; {}",
                idx.fields.missing(Role::Id)
            ));
        }
        if let Some((line, key)) = duplicates.first() {
            idx.problems.push(format!(
                "{label}:{line}: {} record(s) repeat an earlier record's key (first: {key}); they are keyed KEY~2, \
                 KEY~3… in file order",
                duplicates.len()
            ));
        }
    }
}

impl Index {
    /// This index if the file is as it was when indexed, else a new one; `None` on error.
    fn current(&self, path: &Path) -> Result<Option<Index>, ContainerError> {
        let now = stamp(path).map_err(|source| ContainerError::Io { path: path.to_path_buf(), source })?;
        if now == self.stamp {
            return Ok(None);
        }
        index_cached(path, &label_of(path), self.kind, &self.fields).map(Some)
    }

    /// Position of the record with `key`.
    pub fn find(&self, key: &str) -> Option<usize> {
        (0..self.records.len()).find(|&n| self.records.key(n) == key)
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.len() == 0
    }

    /// Record `n`: where it is and what it is called.
    pub fn record(&self, n: usize) -> Rec<'_> {
        self.records.get(n)
    }

    /// Every record, in file order.
    pub fn records(&self) -> impl ExactSizeIterator<Item = Rec<'_>> + '_ {
        self.records.iter()
    }
}

/// Reads record `n` of the container at `path`. If the file changed since `idx` was made, it
/// is indexed again and the record found by its key, so an edited container never hands one
/// record's text to another's annotations.
pub fn read(path: &Path, idx: &Index, n: usize) -> Result<Record, ContainerError> {
    let key = idx.records.key(n);
    let gone = || ContainerError::Gone { path: path.to_path_buf(), key: key.to_owned() };
    let fresh = idx.current(path)?;
    let (idx, n) = match &fresh {
        None => (idx, n),
        Some(new) => (new, new.find(key).ok_or_else(gone)?),
    };
    let record = read_indexed(path, idx, n)?;
    let rec = idx.records.get(n);
    if rec.own == 0 || record.key.as_deref() == Some(&rec.key[..rec.own]) {
        return Ok(record);
    }
    // The bytes there are another record's: the file was rewritten too quickly for its
    // modification time to tell. Index it again and read the record where it is now.
    let new = cache::reindex(path, &label_of(path), idx.kind, &idx.fields)?;
    let m = new.find(key).ok_or_else(gone)?;
    read_indexed(path, &new, m)
}

/// Record `n` where `idx` says it is.
fn read_indexed(path: &Path, idx: &Index, n: usize) -> Result<Record, ContainerError> {
    if idx.kind == Kind::Warc {
        return page(path, idx, n);
    }
    let rec = idx.records.get(n);
    let bytes = read_span(path, rec.at, rec.len)?;
    let bad = |message: String| ContainerError::Bad {
        path: path.to_path_buf(),
        message: format!("line {}: {message}", rec.line),
    };
    match idx.kind {
        Kind::JsonLines | Kind::Json => json::record(&bytes, &idx.fields).map_err(bad),
        Kind::Csv => table::record(&bytes, idx).map_err(bad),
        Kind::Warc => unreachable!("a web archive's record is read by `page`"),
    }
}

/// A web archive's HTML records as probes keyed by their record id (`urn:uuid:` dropped),
/// with their URL; what was wrong as problems naming the byte offset.
fn archive_pages(path: &Path, label: &str, found: &mut Found) -> Result<Vec<super::warc::RecordHead>, ContainerError> {
    let idx = super::warc::index(path).map_err(|e| match e {
        super::warc::WarcError::Io { source, .. } => ContainerError::Io { path: path.to_path_buf(), source },
        e => ContainerError::Bad { path: path.to_path_buf(), message: e.to_string() },
    })?;
    found.problems.extend(idx.problems.iter().map(|p| format!("{label}: {p}")));
    for r in &idx.records {
        let id = r.record_id.strip_prefix("urn:uuid:").unwrap_or(&r.record_id).to_owned();
        found.probes.push(Probe { at: r.at, len: r.len, line: 0, id: Some(id), url: r.target_uri.clone() });
    }
    Ok(idx.records)
}

/// A web archive's page: the record's HTTP body read as a saved page is, its URL from the
/// record when the page names none.
fn page(path: &Path, idx: &Index, n: usize) -> Result<Record, ContainerError> {
    let bad = |message: String| ContainerError::Bad { path: path.to_path_buf(), message };
    let head = idx.records.page(n).ok_or_else(|| bad(format!("record {} is not a page", idx.records.key(n))))?;
    let body = super::warc::read_body(path, &head).map_err(|e| match e {
        super::warc::WarcError::Io { source, .. } => ContainerError::Io { path: path.to_path_buf(), source },
        super::warc::WarcError::Record { at, record_id, message, .. } => {
            bad(format!("byte {at} (record <{record_id}>): {message}"))
        }
    })?;
    let page = super::html::read_page(&body).map_err(|e| bad(format!("record <{}>: {e}", head.record_id)))?;
    let mut meta = page.meta;
    if meta.url.is_none() {
        meta.url = head.target_uri.clone();
    }
    if meta.outlet.is_none() {
        meta.outlet = meta.url.as_deref().and_then(super::html::host);
    }
    let key = Some(head.record_id.strip_prefix("urn:uuid:").unwrap_or(&head.record_id).to_owned());
    Ok(Record { text: page.text, meta, warnings: page.warnings, blocks: page.blocks, key, lossy: false })
}

/// `len` bytes at `at`, refusing a record over the article size limit.
fn read_span(path: &Path, at: u64, len: u64) -> Result<Vec<u8>, ContainerError> {
    use std::io::{Read, Seek, SeekFrom};
    let io = |source| ContainerError::Io { path: path.to_path_buf(), source };
    let limit = super::article::max_article_bytes();
    if len > limit {
        let why = format!(
            "a record of {len} bytes is over the {limit}-byte limit for one article; {}=BYTES raises it",
            super::article::LIMIT_ENV
        );
        return Err(io(std::io::Error::new(std::io::ErrorKind::FileTooLarge, why)));
    }
    let mut f = std::fs::File::open(path).map_err(io)?;
    f.seek(SeekFrom::Start(at)).map_err(io)?;
    let mut buf = Vec::with_capacity(len as usize);
    f.take(len).read_to_end(&mut buf).map_err(io)?;
    Ok(buf)
}

/// How problems name a container indexed again while reading: its file name.
fn label_of(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Authors given as one string: split at `;` and `|` (trafilatura joins them with `; `).
fn split_authors(s: &str) -> Vec<String> {
    s.split([';', '|']).map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned).collect()
}

/// The metadata of a record from a lookup of its fields by role.
pub(super) fn meta_from(mut get: impl FnMut(Role) -> Option<FieldValue>) -> ArticleMeta {
    let one = |v: Option<FieldValue>| v.and_then(FieldValue::into_text);
    let title = one(get(Role::Title));
    let url = one(get(Role::Url));
    let outlet = one(get(Role::Outlet)).or_else(|| url.as_deref().and_then(super::html::host));
    let authors = match get(Role::Authors) {
        Some(FieldValue::List(l)) => l.into_iter().map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()).collect(),
        Some(FieldValue::Text(s)) => split_authors(&s),
        None => Vec::new(),
    };
    let published = one(get(Role::Published)).map(|d| super::html::iso_date(&d).unwrap_or(d));
    ArticleMeta {
        title,
        outlet,
        authors,
        published,
        url,
        language: one(get(Role::Language)),
        section: match get(Role::Section) {
            Some(FieldValue::List(l)) => (!l.is_empty()).then(|| l.join(", ")),
            v => one(v),
        },
    }
}

/// A field's value as a record gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FieldValue {
    Text(String),
    List(Vec<String>),
}

impl FieldValue {
    /// The value as a record key: a single value, trimmed, not blank (as the index keys it).
    fn into_key(self) -> Option<String> {
        match self {
            FieldValue::Text(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            FieldValue::List(_) => None,
        }
    }

    fn into_text(self) -> Option<String> {
        let s = match self {
            FieldValue::Text(s) => s,
            FieldValue::List(l) => l.join("; "),
        };
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_owned())
    }
}

/// The text of a record: CRLF → LF, as a text file's is.
pub(super) fn article_text(s: String) -> String {
    if s.contains('\r') { s.replace("\r\n", "\n").replace('\r', "\n") } else { s }
}

#[cfg(test)]
mod tests;
