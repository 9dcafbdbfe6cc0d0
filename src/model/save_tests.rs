use super::*;
use crate::model::annotation::LabelId;
use crate::model::fsio::file_hash;
use crate::model::store::Fingerprint;
use crate::model::units::{ByteRange, CharRange};

const TEXT: &str = "Песков said no. Lavrov said “yes”.";

fn ann(id: &str, s: usize, e: usize) -> Annotation {
    let t: String = TEXT.chars().skip(s).take(e - s).collect();
    let b = TEXT.char_indices().nth(s).map_or(TEXT.len(), |(i, _)| i);
    let mut a = Annotation::new_manual(
        LabelId::new("Source"),
        TEXT,
        ByteRange::new(b, b + t.len()),
        CharRange::new(s, e),
        "t",
        "x",
    );
    a.id = AnnotationId(id.into());
    a
}

fn noted(a: &Annotation, n: &str) -> Annotation {
    Annotation { note: Some(n.into()), ..a.clone() }
}

fn file(anns: Vec<Annotation>) -> AnnotationFile {
    AnnotationFile::new("a.txt", Fingerprint::of(TEXT, TEXT.chars().count()), anns)
}

fn ids(v: &[Annotation]) -> Vec<&str> {
    v.iter().map(|a| a.id.0.as_str()).collect()
}

/// Another writer's save: the file as they leave it.
fn plant(path: &Path, anns: Vec<Annotation>) {
    std::fs::write(path, file(anns).to_ron()).unwrap();
}

fn disk(path: &Path) -> Vec<Annotation> {
    AnnotationFile::load(path, "a.txt").unwrap().unwrap().annotations
}

#[test]
fn saving_over_a_changed_file_merges_and_records_conflicts_beside_it() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("a.ron");
    let p = ann("p", 0, 6);
    let first = file(vec![p.clone()]);
    let r = save(SaveRequest::new(&path, first.clone(), vec![], None)).unwrap();
    assert_eq!((r.merged, r.vanished), (0, false));
    plant(&path, vec![noted(&p, "theirs"), ann("x", 7, 11)]);
    let ours = file(vec![noted(&p, "mine"), ann("l", 16, 22)]);
    let r = save(SaveRequest::new(&path, ours, first.annotations.clone(), Some(r.hash))).unwrap();
    let on_disk = disk(&path);
    assert_eq!(ids(&on_disk), ["p", "x", "l"]);
    assert_eq!(on_disk[0].note.as_deref(), Some("theirs"), "their work is never overwritten");
    assert_eq!(r.conflicts.len(), 1);
    let side = load_conflicts(&path).unwrap();
    assert_eq!(side[0].mine.as_ref().unwrap().note.as_deref(), Some("mine"), "our side is kept on disk too");
    assert_eq!(side[0].theirs.as_ref().unwrap().note.as_deref(), Some("theirs"));
}

#[test]
fn a_second_conflict_is_added_to_the_first_and_both_stay_on_disk_until_resolved() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("a.ron");
    let p = ann("p", 0, 6);
    let r = save(SaveRequest::new(&path, file(vec![p.clone()]), vec![], None)).unwrap();
    // Conflict 1: both note p.
    plant(&path, vec![noted(&p, "theirs 1")]);
    let r1 = save(SaveRequest::new(&path, file(vec![noted(&p, "mine 1")]), vec![p.clone()], Some(r.hash))).unwrap();
    // Conflict 2: from the merged state, both note p again.
    plant(&path, vec![noted(&p, "theirs 2")]);
    let base = r1.annotations.clone();
    let r2 = save(SaveRequest::new(&path, file(vec![noted(&p, "mine 2")]), base.clone(), Some(r1.hash))).unwrap();
    let notes = |v: &[Conflict]| v.iter().map(|c| c.mine.as_ref().unwrap().note.clone().unwrap()).collect::<Vec<_>>();
    assert_eq!(notes(&r2.pending), ["mine 1", "mine 2"], "the first conflict is not replaced by the second");
    assert_eq!(notes(&load_conflicts(&path).unwrap()), ["mine 1", "mine 2"], "both are on disk for a restart");
    // Resolving one keeps the other; resolving the last removes the sidecar.
    let mut req = SaveRequest::new(&path, file(r2.annotations.clone()), r2.annotations.clone(), Some(r2.hash));
    req.resolved = vec![r2.pending[0].clone()];
    let r3 = save(req).unwrap();
    assert_eq!(notes(&load_conflicts(&path).unwrap()), ["mine 2"]);
    let mut req = SaveRequest::new(&path, file(r3.annotations.clone()), r3.annotations.clone(), Some(r3.hash));
    req.resolved = r3.pending.clone();
    save(req).unwrap();
    assert!(!conflicts_path(&path).exists());
}

#[test]
fn the_conflicts_file_never_has_the_name_of_another_articles_annotation_file() {
    let d = tempfile::tempdir().unwrap();
    for name in ["foo.txt", "foo.conflicts.txt", "foo.ron.txt"] {
        std::fs::write(d.path().join(name), "text").unwrap();
    }
    let c = crate::model::corpus::Corpus::open(d.path(), crate::model::corpus::AnnotationRoot::NextToArticles).unwrap();
    let foo = c.entries.iter().find(|e| e.id == "foo.txt").unwrap();
    let side = conflicts_path(&foo.ron_path);
    assert_eq!(side.file_name().unwrap(), "foo.ron.conflicts");
    for e in &c.entries {
        assert_ne!(e.ron_path, side, "{} would share its file with foo's conflicts", e.id);
        assert!(!conflicts_path(&e.ron_path).to_string_lossy().ends_with(".ron"));
    }
    // Resolving foo's last conflict removes only foo's sidecar, never foo.conflicts.txt's file.
    let other = c.entries.iter().find(|e| e.id == "foo.conflicts.txt").unwrap();
    std::fs::write(&other.ron_path, "precious").unwrap();
    let p = ann("p", 0, 6);
    let conflict = Conflict { id: p.id.clone(), mine: Some(noted(&p, "m")), theirs: Some(p.clone()) };
    let mut req = SaveRequest::new(&foo.ron_path, file(vec![p.clone()]), vec![], None);
    req.add_conflicts = vec![conflict.clone()];
    let r = save(req).unwrap();
    let mut req = SaveRequest::new(&foo.ron_path, file(vec![p]), r.annotations, Some(r.hash));
    req.resolved = vec![conflict];
    save(req).unwrap();
    assert_eq!(std::fs::read_to_string(&other.ron_path).unwrap(), "precious");
}

#[test]
fn a_file_that_vanished_is_written_back_whole_not_merged_as_a_deletion() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("sub/a.ron");
    let six: Vec<_> = (0..6).map(|i| ann(&format!("a{i}"), i, i + 1)).collect();
    let r = save(SaveRequest::new(&path, file(six.clone()), vec![], None)).unwrap();
    // `git stash`, `rm`, or the folder moved away.
    std::fs::remove_dir_all(d.path().join("sub")).unwrap();
    let mut seven = six.clone();
    seven.push(ann("new", 16, 22));
    let r = save(SaveRequest::new(&path, file(seven), six, Some(r.hash))).unwrap();
    assert!(r.vanished);
    assert_eq!(r.merged, 0);
    assert_eq!(disk(&path).len(), 7, "everything in memory is written back");
}

#[test]
fn duplicate_ids_written_by_another_writer_are_never_overwritten() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("a.ron");
    let p = ann("p", 0, 6);
    let r = save(SaveRequest::new(&path, file(vec![p.clone()]), vec![], None)).unwrap();
    // A git merge that kept both sides' versions of p.
    plant(&path, vec![noted(&p, "coder A"), noted(&p, "coder B")]);
    let before = std::fs::read(&path).unwrap();
    let err =
        save(SaveRequest::new(&path, file(vec![p.clone(), ann("l", 16, 22)]), vec![p], Some(r.hash))).unwrap_err();
    assert!(matches!(err, StoreError::DuplicateId { .. }), "{err}");
    assert!(err.makes_read_only());
    assert!(err.to_string().contains("both copies stay"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "both copies survive");
}

#[test]
fn a_file_that_is_not_valid_utf8_or_does_not_parse_is_never_rewritten() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("a.ron");
    let mut bytes = file(vec![noted(&ann("p", 0, 6), "caf")]).to_ron().into_bytes();
    let at = bytes.windows(3).position(|w| w == b"caf").unwrap() + 3;
    bytes.insert(at, 0xe9);
    std::fs::write(&path, &bytes).unwrap();
    let err = save(SaveRequest::new(&path, file(vec![]), vec![], None)).unwrap_err();
    assert!(matches!(err, StoreError::NotUtf8 { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    std::fs::write(&path, "(format: 1, garbage").unwrap();
    assert!(save(SaveRequest::new(&path, file(vec![]), vec![], Some(file_hash(b"other")))).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "(format: 1, garbage");
}

#[test]
fn a_merge_never_writes_a_claim_citing_a_source_that_is_gone() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("a.ron");
    let s = ann("s", 0, 6);
    let r = save(SaveRequest::new(&path, file(vec![s.clone()]), vec![], None)).unwrap();
    // `newsnote tag --source s` adds a claim while the TUI deletes s.
    let mut claim = ann("c", 7, 14);
    claim.label = LabelId::new("Claim");
    claim.links.insert("source".into(), vec![s.id.clone()]);
    plant(&path, vec![s.clone(), claim]);
    let r = save(SaveRequest::new(&path, file(vec![]), vec![s], Some(r.hash))).unwrap();
    let on_disk = disk(&path);
    assert_eq!(ids(&on_disk), ["s", "c"]);
    assert!(!r.repairs.is_empty());
    let dangling = on_disk.iter().flat_map(|a| a.linked("source")).filter(|s| !on_disk.iter().any(|b| &b.id == *s));
    assert_eq!(dangling.count(), 0);
}

#[test]
fn a_same_length_in_place_change_by_another_writer_is_still_noticed_with_the_stamp() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("a.ron");
    let p = ann("p", 0, 6);
    let r = save(SaveRequest::new(&path, file(vec![noted(&p, "AAAA")]), vec![], None)).unwrap();
    // Same length, same inode: only the mtime tells.
    let theirs = file(vec![noted(&p, "BBBB")]).to_ron();
    assert_eq!(theirs.len(), std::fs::metadata(&path).unwrap().len() as usize);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .and_then(|mut f| {
            use std::io::Write;
            f.write_all(theirs.as_bytes())
        })
        .unwrap();
    let mut req = SaveRequest::new(&path, file(vec![noted(&p, "AAAA"), ann("l", 16, 22)]), r.annotations, Some(r.hash));
    req.stamp = r.stamp;
    let r = save(req).unwrap();
    assert_eq!(r.merged, 1, "their note came in");
    assert_eq!(disk(&path)[0].note.as_deref(), Some("BBBB"));
}

/// The temp files beside `path` (a save in progress has staged its content in one).
fn temps_beside(path: &Path) -> usize {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with(&format!(".{name}.")))
        .count()
}

#[test]
fn a_change_made_after_a_save_staged_its_file_is_merged_not_overwritten() {
    // The save stages its new file before it takes the lock; another writer that replaces
    // the file in that window must be seen under the lock, and the save must merge.
    for (label, existing) in [("a file we had read", true), ("no file yet", false)] {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("статья.ron");
        let p = ann("p", 0, 6);
        let (base, expected, stamp) = if existing {
            let r = save(SaveRequest::new(&path, file(vec![p.clone()]), vec![], None)).unwrap();
            (vec![p.clone()], Some(r.hash), r.stamp)
        } else {
            (vec![], None, None)
        };
        let held = Lock::acquire(&path).unwrap();
        let ours = file(base.iter().cloned().chain([ann("l", 16, 22)]).collect());
        let mut req = SaveRequest::new(&path, ours, base, expected);
        req.stamp = stamp;
        let saver = std::thread::spawn(move || save(req));
        // Wait until the saver has staged its file and is waiting for the lock.
        while temps_beside(&path) == 0 {
            std::thread::yield_now();
        }
        plant(&path, vec![noted(&p, "их"), ann("x", 7, 11)]);
        drop(held);
        let r = saver.join().unwrap().unwrap();
        let on_disk = disk(&path);
        assert_eq!(ids(&on_disk), ["p", "x", "l"], "{label}: both writers' annotations are kept ({r:?})");
        assert_eq!(on_disk[0].note.as_deref(), Some("их"), "{label}");
        assert!(r.merged > 0, "{label}: the save says it merged");
        assert_eq!(temps_beside(&path), 0, "{label}: the staged file is gone");
    }
}

#[test]
fn a_save_that_nobody_raced_leaves_only_its_file() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("статья.ron");
    let r = save(SaveRequest::new(&path, file(vec![ann("p", 0, 6)]), vec![], None)).unwrap();
    let mut req = SaveRequest::new(&path, file(vec![ann("p", 0, 6), ann("l", 16, 22)]), r.annotations, Some(r.hash));
    req.stamp = r.stamp;
    let r2 = save(req).unwrap();
    assert_eq!((r2.merged, r2.vanished), (0, false));
    assert_eq!(r2.stamp, Stamp::of(&path), "the stamp is the file's as written");
    assert_eq!(r2.hash, file_hash(&std::fs::read(&path).unwrap()));
    assert_eq!(ids(&disk(&path)), ["p", "l"]);
    assert_eq!(temps_beside(&path), 0);
}
