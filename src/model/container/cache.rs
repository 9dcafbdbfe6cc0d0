//! A container's index kept between runs, so that it is made once.
//!
//! Indexing reads every byte of the container: a 100,000-record JSON Lines file of 350 MB
//! costs a third of a second even from the page cache, and a web archive must be inflated
//! whole. The index itself is a few bytes per record, so it is saved in newsnote's state
//! folder (`index/`, a file per container named by a hash of its path) and used again while
//! the container's size and modification time are those it was made from, and the field
//! mapping is the same. Anything else (no state folder, an unreadable or older cache file, a
//! changed container) indexes the file again; a cache that cannot be written is only slower.
//! A container rewritten within one tick of the clock at the same size is still caught: a
//! record read is checked to have its key (`container::read`).
//!
//! The file is read on every open of the container, so it is laid out to be read, not
//! parsed: a magic string and version, a small JSON head (what it was made from, the
//! problems, a table's header, how many records), then the records' fixed-width rows and
//! their names as `rows::Rows` keeps them in memory. 100,000 records read back in a few
//! milliseconds; as JSON they took longer than `find` takes to list 100,000 files.

use super::fields::Fields;
use super::{ContainerError, Index, Kind, index, rows::Rows};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Bumped when the cache's layout or what an index holds changes.
const VERSION: u32 = 4;

/// What a saved index starts with, so that any other file in the folder is never read as one.
const MAGIC: &[u8; 8] = b"nnindex\0";

/// The saved index's small part, as JSON after [`MAGIC`], the version and its length: what
/// it was made from and everything but the records, which follow it as the table's own bytes
/// (`rows::Rows::write`).
#[derive(Serialize, Deserialize)]
struct Head {
    path: PathBuf,
    kind: Kind,
    fields: Fields,
    stamp: (u64, Option<SystemTime>),
    records: usize,
    text: usize,
    problems: Vec<String>,
    header: Vec<String>,
    delimiter: u8,
}

/// What is written: [`Head`] borrowing the index, so saving copies none of it.
#[derive(Serialize)]
struct HeadRef<'a> {
    path: &'a Path,
    kind: Kind,
    fields: &'a Fields,
    stamp: (u64, Option<SystemTime>),
    records: usize,
    text: usize,
    problems: &'a [String],
    header: &'a [String],
    delimiter: u8,
}

/// The container's path as the cache knows it: absolute, links resolved.
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The cache file for the container at the absolute path `abs` in the cache folder `dir`.
fn cache_path(dir: &Path, abs: &Path) -> PathBuf {
    let h = abs
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    dir.join(format!("{h:016x}.index"))
}

/// The folder of saved indexes, if newsnote has a state folder.
fn cache_dir() -> Option<PathBuf> {
    super::super::state::state_dir().map(|d| d.join("index"))
}

/// The index of the container at `path`: the saved one when it still describes the file,
/// else a new one (saved for next time).
pub fn index_cached(path: &Path, label: &str, kind: Kind, fields: &Fields) -> Result<Index, ContainerError> {
    index_cached_in(cache_dir().as_deref(), path, label, kind, fields, true)
}

/// A new index of the container at `path`, saved over the old one: for a file found to
/// differ from its saved index although its size and time do not.
pub fn reindex(path: &Path, label: &str, kind: Kind, fields: &Fields) -> Result<Index, ContainerError> {
    index_cached_in(cache_dir().as_deref(), path, label, kind, fields, false)
}

/// [`index_cached`] with the cache in `dir` (none: no cache); `use_saved` false makes a new
/// index whatever is saved.
fn index_cached_in(
    dir: Option<&Path>,
    path: &Path,
    label: &str,
    kind: Kind,
    fields: &Fields,
    use_saved: bool,
) -> Result<Index, ContainerError> {
    let Some(dir) = dir else { return index(path, label, kind, fields) };
    let abs = absolute(path);
    let cache = cache_path(dir, &abs);
    if use_saved && let Some(idx) = saved(&cache, &abs, path, kind, fields) {
        return Ok(idx);
    }
    let idx = index(path, label, kind, fields)?;
    save(&cache, &abs, &idx);
    Ok(idx)
}

fn saved(cache: &Path, abs: &Path, path: &Path, kind: Kind, fields: &Fields) -> Option<Index> {
    let (idx, path_saved) = load(cache)?;
    let now = super::stamp(path).ok()?;
    (path_saved == abs && idx.kind == kind && idx.fields == *fields && idx.stamp == now).then_some(idx)
}

/// The index [`encode`] saved at `cache`, with the path it was made for; `None` for anything
/// else (no file, another version, a damaged or foreign file). The rows and the text are
/// read straight into the buffers the index keeps, so nothing is copied after the read.
fn load(cache: &Path) -> Option<(Index, PathBuf)> {
    use std::io::Read;
    let mut f = std::fs::File::open(cache).ok()?;
    let size = f.metadata().ok()?.len();
    let mut fixed = [0u8; MAGIC.len() + 4 + 8];
    f.read_exact(&mut fixed).ok()?;
    let (magic, rest) = fixed.split_at(MAGIC.len());
    let (version, head_len) = rest.split_at(4);
    if magic != MAGIC || u32::from_le_bytes(version.try_into().ok()?) != VERSION {
        return None;
    }
    // Every length is checked against the file's size before anything that large is made.
    let mut left = size.checked_sub(fixed.len() as u64)?;
    let mut part = |len: u64| -> Option<Vec<u8>> {
        left = left.checked_sub(len)?;
        let mut buf = vec![0; usize::try_from(len).ok()?];
        f.read_exact(&mut buf).ok()?;
        Some(buf)
    };
    let head: Head = serde_json::from_slice(&part(u64::from_le_bytes(head_len.try_into().ok()?))?).ok()?;
    let table = part(u64::try_from(head.records.checked_mul(super::rows::ROW_BYTES)?).ok()?)?;
    let text = part(head.text as u64)?;
    if left != 0 {
        return None;
    }
    let idx = Index {
        kind: head.kind,
        fields: head.fields,
        records: Rows::from_parts(table, text)?,
        problems: head.problems,
        header: head.header,
        delimiter: head.delimiter,
        stamp: head.stamp,
    };
    Some((idx, head.path))
}

/// The saved form of `idx`, made for the container at `abs`.
fn encode(abs: &Path, idx: &Index) -> Option<Vec<u8>> {
    let head = serde_json::to_vec(&HeadRef {
        path: abs,
        kind: idx.kind,
        fields: &idx.fields,
        stamp: idx.stamp,
        records: idx.records.len(),
        text: idx.records.text_len(),
        problems: &idx.problems,
        header: &idx.header,
        delimiter: idx.delimiter,
    })
    .ok()?;
    let mut out = Vec::with_capacity(MAGIC.len() + 12 + head.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(head.len() as u64).to_le_bytes());
    out.extend_from_slice(&head);
    idx.records.write(&mut out);
    Some(out)
}

/// Writes the cache by a temporary file and a rename, so a reader never sees half of one.
fn save(cache: &Path, abs: &Path, idx: &Index) {
    let Some(dir) = cache.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Some(bytes) = encode(abs, idx) else { return };
    let tmp = cache.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, cache).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    // The same container's index as versions 1 and 2 saved it (JSON), never read again: up to
    // a few tens of megabytes each.
    let _ = std::fs::remove_file(cache.with_extension("json"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_container_is_indexed_once_and_a_changed_one_again() {
        let state = tempfile::tempdir().unwrap();
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("вести.jsonl");
        std::fs::write(&p, "{\"id\": \"а\", \"text\": \"Первая\"}\n").unwrap();
        let dir = Some(state.path());
        let open = |f: &Fields| index_cached_in(dir, &p, "вести.jsonl", Kind::JsonLines, f, true).unwrap();
        let cache = cache_path(state.path(), &absolute(&p));
        let old_json = cache.with_extension("json");
        std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
        std::fs::write(&old_json, "{\"version\": 2}").unwrap();
        assert_eq!(open(&Fields::default()).record(0).key, "а");
        assert!(cache.is_file(), "the index is saved");
        assert!(!old_json.exists(), "the index an older version saved as JSON is removed");
        // A saved index is what the next open uses: here, one that says something else.
        let (mut planted, _) = load(&cache).unwrap();
        let r = planted.record(0);
        let (at, len, line) = (r.at, r.len, r.line);
        planted.records = Rows::default();
        planted.records.push("из-кэша", "из-кэша", at, len, line, 0, None);
        save(&cache, &absolute(&p), &planted);
        assert_eq!(open(&Fields::default()).record(0).key, "из-кэша");
        // A damaged one is not trusted: the file is indexed again.
        let bytes = std::fs::read(&cache).unwrap();
        std::fs::write(&cache, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(open(&Fields::default()).record(0).key, "а");
        // Another mapping, or a changed file, is indexed anew.
        assert_eq!(open(&Fields { id: Some("id".into()), ..Fields::default() }).record(0).key, "а");
        std::fs::write(&p, "{\"id\": \"б\", \"text\": \"Вторая, длиннее\"}\n").unwrap();
        assert_eq!(open(&Fields::default()).record(0).key, "б");
        // No state folder: no cache, the file is indexed.
        assert_eq!(index_cached_in(None, &p, "x", Kind::JsonLines, &Fields::default(), true).unwrap().len(), 1);
    }
}
