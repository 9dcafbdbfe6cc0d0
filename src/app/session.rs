//! Where the person was: reopening a corpus restores the last article and the cursor in it.
//!
//! Kept in newsnote's state folder (`$XDG_STATE_HOME/newsnote/places.ron`, or
//! `NEWSNOTE_STATE_DIR`), one entry per corpus (by its canonical path), never in the corpus:
//! where a person stopped reading is theirs, not the project's. The cursor is stored in code
//! points, so it survives the article being re-read; a place that no longer exists is ignored.
//! Read and written by the binary around the terminal loop, so `update` stays free of I/O.

use super::{App, Focus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The place in one corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub article: String,
    /// Cursor, in code points of the article.
    pub cursor: usize,
}

const KEEP: usize = 200;

fn file() -> Option<PathBuf> {
    crate::model::state::state_dir().map(|d| d.join("places.ron"))
}

fn key(root: &Path) -> String {
    root.canonicalize().unwrap_or_else(|_| root.to_owned()).display().to_string()
}

fn read_all() -> BTreeMap<String, Place> {
    file()
        .and_then(|f| crate::model::fsio::read_regular(&f).ok().flatten())
        .and_then(|b| ron::from_str(&String::from_utf8_lossy(&b)).ok())
        .unwrap_or_default()
}

/// The place last left in the corpus at `root`, if any.
pub fn load(root: &Path) -> Option<Place> {
    read_all().remove(&key(root))
}

/// Remembers `place` for the corpus at `root` (best effort: a place is a convenience).
pub fn store(root: &Path, place: Place) {
    let Some(f) = file() else { return };
    let mut all = read_all();
    all.insert(key(root), place);
    while all.len() > KEEP {
        let first = all.keys().next().cloned();
        first.map(|k| all.remove(&k));
    }
    let _ = crate::model::fsio::write_atomic(&f, crate::model::store::to_pretty_ron(&all).as_bytes());
}

impl App {
    /// Where the person is now: the open article and the cursor.
    pub fn place(&self) -> Option<Place> {
        let o = self.open.as_ref()?;
        let cursor = o.doc.article.index.char_of(&o.doc.article.text, self.reader.cursor);
        Some(Place { article: o.doc.article.id.clone(), cursor })
    }

    /// Opens the article of `place` at its cursor, if it is still in the corpus; the focus
    /// goes to the list as on a fresh start.
    pub fn restore(&mut self, place: &Place) {
        let Some(i) = self.corpus.entries.iter().position(|e| e.id == place.article) else { return };
        if let Some(k) = self.list.visible.iter().position(|&v| v == i) {
            self.list.selected = k;
        }
        self.open_entry(i);
        let Some(o) = self.open.as_ref().filter(|o| o.entry == i) else { return };
        let total = o.doc.article.index.total_chars();
        let pos = o.doc.article.index.byte_of(&o.doc.article.text, place.cursor.min(total));
        if let Some(pos) = pos {
            super::reader::set_cursor(self, pos, false);
        }
        self.focus = Focus::List;
        self.fix_offsets();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_stored_per_corpus_and_comes_back() {
        let d = tempfile::tempdir().unwrap();
        // SAFETY: only this test reads the variable in this test binary.
        unsafe { std::env::set_var("NEWSNOTE_STATE_DIR", d.path()) };
        let (a, b) = (d.path().join("ä"), d.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        store(&a, Place { article: "x/新闻.txt".into(), cursor: 42 });
        store(&b, Place { article: "y.txt".into(), cursor: 7 });
        assert_eq!(load(&a), Some(Place { article: "x/新闻.txt".into(), cursor: 42 }));
        assert_eq!(load(&b).unwrap().cursor, 7);
        assert_eq!(load(&d.path().join("never")), None);
    }
}
