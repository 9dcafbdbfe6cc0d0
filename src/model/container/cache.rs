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

use super::fields::Fields;
use super::{ContainerError, Index, Kind, index};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Bumped when the cache's layout or what an index holds changes.
const VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct Cached {
    version: u32,
    path: PathBuf,
    index: Index,
}

/// What is written: [`Cached`] borrowing the index, so saving copies none of it.
#[derive(Serialize)]
struct CachedRef<'a> {
    version: u32,
    path: &'a Path,
    index: &'a Index,
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
    dir.join(format!("{h:016x}.json"))
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
    let bytes = std::fs::read(cache).ok()?;
    let c: Cached = serde_json::from_slice(&bytes).ok()?;
    let now = super::stamp(path).ok()?;
    (c.version == VERSION && c.path == abs && c.index.kind == kind && c.index.fields == *fields && c.index.stamp == now)
        .then_some(c.index)
}

/// Writes the cache by a temporary file and a rename, so a reader never sees half of one.
fn save(cache: &Path, abs: &Path, idx: &Index) {
    let Some(dir) = cache.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(bytes) = serde_json::to_vec(&CachedRef { version: VERSION, path: abs, index: idx }) else { return };
    let tmp = cache.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, cache).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
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
        assert_eq!(open(&Fields::default()).records[0].key, "а");
        assert!(cache.is_file(), "the index is saved");
        // A saved index is what the next open uses: here, one that says something else.
        let mut planted: Cached = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
        planted.index.records[0].key = "из-кэша".into();
        std::fs::write(&cache, serde_json::to_vec(&planted).unwrap()).unwrap();
        assert_eq!(open(&Fields::default()).records[0].key, "из-кэша");
        // Another mapping, or a changed file, is indexed anew.
        assert_eq!(open(&Fields { id: Some("id".into()), ..Fields::default() }).records[0].key, "а");
        std::fs::write(&p, "{\"id\": \"б\", \"text\": \"Вторая, длиннее\"}\n").unwrap();
        assert_eq!(open(&Fields::default()).records[0].key, "б");
        // No state folder: no cache, the file is indexed.
        assert_eq!(index_cached_in(None, &p, "x", Kind::JsonLines, &Fields::default(), true).unwrap().records.len(), 1);
    }
}
