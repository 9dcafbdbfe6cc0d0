//! Saving when someone else wrote the file too: a second newsnote, a `git pull`, a script.
//!
//! Each open document remembers the annotations it last read or wrote (the *base*) and a hash
//! of those file bytes. [`save_merging`] takes the file's lock, re-reads it, and when it is not
//! what we last saw, merges three ways by annotation id: a change on one side only is taken;
//! the same change on both sides is taken once; different changes to one annotation are a
//! [`Conflict`]: the file keeps *their* version (never overwrite the other writer's work),
//! ours is kept in the report and in a `NAME.conflicts.ron` sidecar until the user chooses.

use super::annotation::{Annotation, AnnotationId};
use super::fsio::{Lock, content_hash, write_atomic};
use super::store::{AnnotationFile, StoreError};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One annotation both sides changed differently. `None` means that side deleted it.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: AnnotationId,
    pub mine: Option<Annotation>,
    pub theirs: Option<Annotation>,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveReport {
    /// The annotations now on disk (ours, or the merge).
    pub annotations: Vec<Annotation>,
    /// Hash of the bytes written, the new base for the next save.
    pub hash: u64,
    /// How many annotations came from the other writer's changes.
    pub merged: usize,
    pub conflicts: Vec<Conflict>,
}

/// Three-way merge by id. Returns the merged annotations, how many came from `theirs`, and
/// the conflicts (where the result holds their version).
pub fn merge3(
    base: &[Annotation],
    mine: &[Annotation],
    theirs: &[Annotation],
) -> (Vec<Annotation>, usize, Vec<Conflict>) {
    let find = |v: &[Annotation], id: &AnnotationId| v.iter().find(|a| &a.id == id).cloned();
    let ids: BTreeSet<&AnnotationId> = base.iter().chain(mine).chain(theirs).map(|a| &a.id).collect();
    let (mut out, mut from_theirs, mut conflicts) = (Vec::new(), 0, Vec::new());
    for id in ids {
        let (b, m, t) = (find(base, id), find(mine, id), find(theirs, id));
        let keep = if m == b {
            from_theirs += usize::from(t != b);
            t
        } else if t == b || t == m {
            m
        } else {
            conflicts.push(Conflict { id: id.clone(), mine: m, theirs: t.clone() });
            t
        };
        out.extend(keep);
    }
    (out, from_theirs, conflicts)
}

/// Where our side of unresolved conflicts is kept: `x/foo.ron` → `x/foo.conflicts.ron`.
pub fn conflicts_path(ron: &Path) -> PathBuf {
    ron.with_extension("conflicts.ron")
}

/// Saves `ours`, merging with whatever another writer put on disk since we read `base`
/// (whose file bytes hashed to `expected`; `None` when there was no file).
pub fn save_merging(
    path: &Path,
    ours: AnnotationFile,
    base: &[Annotation],
    expected: Option<u64>,
) -> Result<SaveReport, StoreError> {
    let write_err = |source| StoreError::Write { path: path.into(), source };
    let _lock = Lock::acquire(path).map_err(write_err)?;
    let on_disk = match std::fs::read(path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => return Err(StoreError::Read { path: path.into(), source }),
    };
    let mut file = ours;
    let (mut merged, mut conflicts) = (0, Vec::new());
    if on_disk.as_deref().map(content_hash) != expected {
        let theirs = match &on_disk {
            Some(bytes) => {
                let text = String::from_utf8_lossy(bytes);
                // Their file must be readable to merge; if not, refuse rather than overwrite it.
                AnnotationFile::parse(path, &text, &file.article)?.annotations
            }
            None => Vec::new(),
        };
        let (anns, n, c) = merge3(base, &file.annotations, &theirs);
        file = AnnotationFile { annotations: anns, ..file };
        file.annotations.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        (merged, conflicts) = (n, c);
    }
    let text = file.to_ron();
    write_atomic(path, text.as_bytes()).map_err(write_err)?;
    if !conflicts.is_empty() {
        let mine: Vec<Annotation> = conflicts.iter().filter_map(|c| c.mine.clone()).collect();
        let side = AnnotationFile::new(&file.article, file.fingerprint.clone(), mine);
        write_atomic(&conflicts_path(path), side.to_ron().as_bytes()).map_err(write_err)?;
    }
    Ok(SaveReport { annotations: file.annotations, hash: content_hash(text.as_bytes()), merged, conflicts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::Label;
    use crate::model::store::Fingerprint;
    use crate::model::units::{ByteRange, CharRange};

    const TEXT: &str = "Peskov said no. Lavrov said yes.";

    fn ann(id: &str, s: usize, e: usize) -> Annotation {
        let mut a = Annotation::new_manual(Label::Source, TEXT, ByteRange::new(s, e), CharRange::new(s, e), "t", "x");
        a.id = AnnotationId(id.into());
        a
    }

    fn noted(a: &Annotation, n: &str) -> Annotation {
        Annotation { note: Some(n.into()), ..a.clone() }
    }

    fn ids(v: &[Annotation]) -> Vec<&str> {
        v.iter().map(|a| a.id.0.as_str()).collect()
    }

    #[test]
    fn changes_on_different_annotations_merge() {
        let (p, l) = (ann("p", 0, 6), ann("l", 16, 22));
        let base = vec![p.clone()];
        let mine = vec![p.clone(), l.clone()];
        let theirs = vec![noted(&p, "theirs"), ann("x", 7, 11)];
        let (out, from_theirs, conflicts) = merge3(&base, &mine, &theirs);
        assert_eq!(ids(&out), ["l", "p", "x"]);
        assert_eq!(out[1].note.as_deref(), Some("theirs"));
        assert_eq!((from_theirs, conflicts.len()), (2, 0));
    }

    #[test]
    fn the_same_change_on_both_sides_is_taken_once_and_deletions_merge() {
        let (p, l) = (ann("p", 0, 6), ann("l", 16, 22));
        let base = vec![p.clone(), l.clone()];
        let (out, _, c) = merge3(&base, &[noted(&p, "n")], &[noted(&p, "n"), l.clone()]);
        assert_eq!((ids(&out), c.len()), (vec!["p"], 0), "my deletion of l and the shared note");
    }

    #[test]
    fn different_changes_to_one_annotation_conflict_and_keep_theirs() {
        let p = ann("p", 0, 6);
        let (out, _, c) = merge3(std::slice::from_ref(&p), &[noted(&p, "mine")], &[noted(&p, "theirs")]);
        assert_eq!(out[0].note.as_deref(), Some("theirs"));
        assert_eq!(c[0].mine.as_ref().unwrap().note.as_deref(), Some("mine"));
        let (out, _, c) = merge3(std::slice::from_ref(&p), &[], &[noted(&p, "theirs")]);
        assert_eq!((out.len(), c[0].mine.is_none()), (1, true), "their edit beats my delete, as a conflict");
    }

    #[test]
    fn saving_over_a_changed_file_merges_and_records_conflicts_beside_it() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("a.ron");
        let fp = Fingerprint::of(TEXT, TEXT.chars().count());
        let p = ann("p", 0, 6);
        let first = AnnotationFile::new("a.txt", fp.clone(), vec![p.clone()]);
        let r = save_merging(&path, first.clone(), &[], None).unwrap();
        assert_eq!(r.merged, 0);
        // Someone else adds x and notes p; we, from the old base, add l and note p differently.
        AnnotationFile::new("a.txt", fp.clone(), vec![noted(&p, "theirs"), ann("x", 7, 11)]).save(&path).unwrap();
        let ours = AnnotationFile::new("a.txt", fp.clone(), vec![noted(&p, "mine"), ann("l", 16, 22)]);
        let r = save_merging(&path, ours, &first.annotations, Some(r.hash)).unwrap();
        let disk = AnnotationFile::load(&path, "a.txt").unwrap().unwrap();
        assert_eq!(ids(&disk.annotations), ["p", "x", "l"]);
        assert_eq!(disk.annotations[0].note.as_deref(), Some("theirs"), "their work is never overwritten");
        assert_eq!(r.conflicts.len(), 1);
        let side = AnnotationFile::load(&conflicts_path(&path), "a.txt").unwrap().unwrap();
        assert_eq!(side.annotations[0].note.as_deref(), Some("mine"), "our side is kept on disk too");
    }

    #[test]
    fn an_unreadable_file_from_another_writer_is_not_overwritten() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("a.ron");
        std::fs::write(&path, "(format: 1, garbage").unwrap();
        let ours = AnnotationFile::new("a.txt", Fingerprint::of(TEXT, 32), vec![ann("p", 0, 6)]);
        assert!(save_merging(&path, ours, &[], None).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "(format: 1, garbage");
    }
}
