//! Crash safety: a writer killed with SIGKILL at any moment leaves a RON file that parses and
//! equals one of the states it saved, never a torn mix, and a conflicts sidecar that holds every
//! conflict of those states; its temp files are never read and are
//! cleaned up by the next save.
//!
//! The writer is this test binary run again (`save_loop_child`, ignored in normal runs) in a
//! loop of real saves through the library, so the kill lands in the middle of real writes.

use newsnote::model::annotation::{Annotation, AnnotationId, Label};
use newsnote::model::fsio::content_hash;
use newsnote::model::save::{Conflict, SaveRequest, load_conflicts, save};
use newsnote::model::store::{AnnotationFile, Fingerprint};
use newsnote::model::units::{ByteRange, CharRange};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const TEXT: &str = "Kremlin spokesman Dmitry Peskov said the offer “remains on the table.” 👍🏽 新闻";

/// The file after `n` saves: `n` annotations with long notes, so each write spans many blocks.
fn state(n: usize) -> AnnotationFile {
    let anns = (0..n)
        .map(|i| {
            let mut a = Annotation::new_manual(
                Label::Source,
                TEXT,
                ByteRange::new(18, 31),
                CharRange::new(18, 31),
                "crash",
                "2026-01-01T00:00:00Z",
            );
            a.id = AnnotationId(format!("{i:08x}"));
            a.note = Some(format!("save {i} ").repeat(400));
            a
        })
        .collect();
    AnnotationFile::new("a.txt", Fingerprint::of(TEXT, TEXT.chars().count()), anns)
}

/// Run by the parent test in a child process: saves state 1, 2, 3, … until killed.
#[test]
#[ignore = "the writer half of writes_killed_at_random_moments_never_leave_a_torn_file"]
fn save_loop_child() {
    let Some(path) = std::env::var_os("NEWSNOTE_CRASH_TARGET") else { return };
    let start: usize = std::env::var("NEWSNOTE_CRASH_START").unwrap().parse().unwrap();
    let path = Path::new(&path);
    // Through the one save path (lock, re-read, merge, sidecar, atomic write), each save also
    // recording a conflict, so kills land in sidecar writes too.
    let mut expected = Some(content_hash(&std::fs::read(path).unwrap()));
    for n in start.. {
        let mut req = SaveRequest::new(path, state(n), state(n - 1).annotations, expected);
        req.add_conflicts = vec![conflict(n)];
        expected = Some(save(req).unwrap().hash);
    }
}

/// The conflict the save of state `n` records.
fn conflict(n: usize) -> Conflict {
    let a = state(n).annotations.pop().unwrap();
    Conflict { id: a.id.clone(), mine: Some(a), theirs: None }
}

/// Writes state `n` through the save path, as the child does.
fn save_state(path: &Path, n: usize) {
    let expected = std::fs::read(path).ok().map(|b| content_hash(&b));
    let base = n.checked_sub(1).map(|m| state(m).annotations).unwrap_or_default();
    save(SaveRequest::new(path, state(n), base, expected)).unwrap();
}

/// A tiny deterministic generator for kill delays.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn writes_killed_at_random_moments_never_leave_a_torn_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ron");
    save_state(&path, 0);
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut last = 0usize;
    let mut advanced = 0;
    for round in 0..200 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "save_loop_child", "--ignored", "--nocapture", "--test-threads=1"])
            .env("NEWSNOTE_CRASH_TARGET", &path)
            .env("NEWSNOTE_CRASH_START", (last + 1).to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(next(&mut seed) % 30_000));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("round {round}: unreadable: {e}"));
        let file =
            AnnotationFile::parse(&path, &text, "a.txt").unwrap_or_else(|e| panic!("round {round}: torn file: {e}"));
        let n = file.annotations.len();
        assert_eq!(file, state(n), "round {round}: the file is exactly one saved state");
        // The sidecar is written before the file: it parses, and holds every conflict of the
        // states saved so far (and at most the one of a save killed before its main write).
        let side = load_conflicts(&path).unwrap_or_else(|e| panic!("round {round}: torn sidecar: {e}"));
        assert!((1..=n).all(|k| side.contains(&conflict(k))), "round {round}: a conflict of a saved state is missing");
        assert!(side.len() <= n + 1, "round {round}: {} conflicts for {n} saves", side.len());
        assert!(n >= last, "round {round}: went back from {last} to {n}");
        advanced += usize::from(n > last);
        last = n;
    }
    assert!(advanced > 20, "the kills landed while saves were happening ({advanced} rounds advanced)");
    // Temp files of killed writers are never read as annotations, and the next save clears them.
    let temps = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"))
            .count()
    };
    let left = temps();
    save_state(&path, last + 1);
    assert_eq!(temps(), 0, "{left} stale temp file(s) were cleaned up by the next save");
    let corpus =
        newsnote::model::corpus::Corpus::open(dir.path(), newsnote::model::corpus::AnnotationRoot::NextToArticles)
            .unwrap();
    assert!(corpus.entries.is_empty(), "no temp file is taken for an article");
}
