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
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Cached {
    version: u32,
    path: PathBuf,
    index: Index,
}

/// The cache file for the container at `path`, if newsnote has a state folder.
fn cache_path(path: &Path) -> Option<PathBuf> {
    let dir = super::super::state::state_dir()?;
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let h = abs.as_os_str().as_encoded_bytes().iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    Some(dir.join("index").join(format!("{h:016x}.json")))
}

/// The index of the container at `path`: the saved one when it still describes the file,
/// else a new one (saved for next time).
pub fn index_cached(path: &Path, label: &str, kind: Kind, fields: &Fields) -> Result<Index, ContainerError> {
    let cache = cache_path(path);
    if let Some(c) = &cache
        && let Some(idx) = saved(c, path, kind, fields)
    {
        return Ok(idx);
    }
    let idx = index(path, label, kind, fields)?;
    if let Some(c) = &cache {
        save(c, path, &idx);
    }
    Ok(idx)
}

fn saved(cache: &Path, path: &Path, kind: Kind, fields: &Fields) -> Option<Index> {
    let bytes = std::fs::read(cache).ok()?;
    let c: Cached = serde_json::from_slice(&bytes).ok()?;
    let now = super::stamp(path).ok()?;
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    (c.version == VERSION && c.path == abs && c.index.kind == kind && c.index.fields == *fields && c.index.stamp == now)
        .then_some(c.index)
}

/// Writes the cache by a temporary file and a rename, so a reader never sees half of one.
fn save(cache: &Path, path: &Path, idx: &Index) {
    let Some(dir) = cache.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let c = Cached { version: VERSION, path: abs, index: idx.clone() };
    let Ok(bytes) = serde_json::to_vec(&c) else { return };
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
        let cache = cache_at(state.path(), &p);
        let first = with_state(state.path(), || index_cached(&p, "вести.jsonl", Kind::JsonLines, &Fields::default()))
            .unwrap();
        assert!(cache.is_file(), "the index is saved");
        // A saved index is what the next open uses: here, one that says something else.
        let mut planted: Cached = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
        planted.index.records[0].key = "из-кэша".into();
        std::fs::write(&cache, serde_json::to_vec(&planted).unwrap()).unwrap();
        let again = with_state(state.path(), || index_cached(&p, "вести.jsonl", Kind::JsonLines, &Fields::default()))
            .unwrap();
        assert_eq!(again.records[0].key, "из-кэша");
        // Another mapping, or a changed file, is indexed anew.
        let other = Fields { id: Some("id".into()), ..Fields::default() };
        let remapped = with_state(state.path(), || index_cached(&p, "вести.jsonl", Kind::JsonLines, &other)).unwrap();
        assert_eq!(remapped.records[0].key, "а");
        std::fs::write(&p, "{\"id\": \"б\", \"text\": \"Вторая, длиннее\"}\n").unwrap();
        let changed = with_state(state.path(), || index_cached(&p, "вести.jsonl", Kind::JsonLines, &Fields::default()))
            .unwrap();
        assert_eq!(changed.records[0].key, "б");
        assert_eq!(first.records[0].key, "а");
    }

    /// Where the cache for `p` is under the state folder `state`.
    fn cache_at(state: &Path, p: &Path) -> PathBuf {
        with_state(state, || cache_path(p)).unwrap()
    }

    /// Runs `f` with `NEWSNOTE_STATE_DIR` set to `state`, one test at a time.
    fn with_state<T>(state: &Path, f: impl FnOnce() -> T) -> T {
        static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _held = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: the tests that read NEWSNOTE_STATE_DIR hold the lock while it is set.
        unsafe { std::env::set_var("NEWSNOTE_STATE_DIR", state) };
        let out = f();
        unsafe { std::env::remove_var("NEWSNOTE_STATE_DIR") };
        out
    }
}
