//! Two real newsnote processes on one article: neither ever overwrites the other's work.
//! Changes to different annotations merge; different changes to the same annotation keep the
//! file's (their) version and put ours beside it, and the second writer is told.

mod common;

use common::pty::{ENTER, Session};
use common::samples::{FIRST, copy_of_articles as corpus, first_on_disk as on_disk};
use newsnote::model::save::{conflicts_path, load_conflicts};
use std::path::Path;

/// A TUI that does not reload on its own (NEWSNOTE_WATCH_MS=0), so each test decides when
/// the other writer's change is seen: at the next save, by merging.
fn open_first(dir: &Path) -> Session {
    open_first_with(dir, &[("NEWSNOTE_WATCH_MS", "0")])
}

fn open_first_with(dir: &Path, env: &[(&str, &str)]) -> Session {
    let mut s = Session::start_with_env(dir, 120, 40, env);
    s.wait_mode("LIST");
    s.send(ENTER);
    s.wait_mode("READ");
    s
}

/// Tags the text found by `query` (the whole match) with `label_key`.
fn tag(s: &mut Session, query: &str, words: usize, label_key: &str) {
    s.search(query);
    s.send("v");
    s.wait_mode("VISUAL");
    s.send(&"e".repeat(words));
    s.send(label_key);
    s.wait_status("tagged");
}

#[test]
fn two_processes_tagging_different_text_both_keep_their_work() {
    let d = corpus();
    let mut a = open_first(d.path());
    let mut b = open_first(d.path());
    tag(&mut a, "Dmitry Peskov", 2, "s");
    assert_eq!(on_disk(d.path()).len(), 1);
    // B read the file before A's save; its save must merge, not overwrite.
    tag(&mut b, "local health authorities", 3, "s");
    b.wait_status("merged 1 change(s)");
    let quotes: Vec<String> = on_disk(d.path()).into_iter().map(|a| a.quote).collect();
    assert_eq!(quotes, ["Dmitry Peskov", "local health authorities"]);
    // B now shows A's annotation too.
    b.wait_for("Annotations (2)");
    a.quit_with("q");
    b.quit_with("q");
}

#[test]
fn different_notes_on_one_annotation_keep_theirs_on_disk_and_ours_beside_it() {
    let d = corpus();
    let mut a = open_first(d.path());
    tag(&mut a, "Dmitry Peskov", 2, "s");
    let mut b = open_first(d.path());
    b.wait_for("Annotations (1)");
    // Both put a note on the same annotation; A saves first.
    for (s, note) in [(&mut a, "from A"), (&mut b, "from B")] {
        s.search("Peskov told");
        s.send("m");
        s.wait_mode("NOTE");
        s.send(note);
        s.send(ENTER);
    }
    a.wait_status("note saved");
    b.wait_status("conflict(s) with another writer: the file keeps their version");
    let disk = on_disk(d.path());
    assert_eq!(disk.len(), 1);
    assert_eq!(disk[0].note.as_deref(), Some("from A"), "the first writer's work is never overwritten");
    let side = load_conflicts(&d.path().join(format!("{FIRST}.ron"))).unwrap();
    assert_eq!(
        side[0].mine.as_ref().expect("our side of the conflict is kept on disk").note.as_deref(),
        Some("from B")
    );
    // B chooses in the attention list: its own version goes to disk, the sidecar goes away.
    b.send("!");
    b.wait_for("Needs attention");
    // Both versions are named; with 16-digit ids the row is too long for the end of theirs
    // at this width (its note is checked on disk above).
    // Both versions in full under the list (a row has no room for both).
    b.wait_for("yours: Source 153–166 “Dmitry Peskov”, note “from B”");
    b.wait_for("theirs: Source 153–166 “Dmitry Peskov”, note “from A”");
    b.send("m");
    b.wait_status("kept your version");
    assert_eq!(on_disk(d.path())[0].note.as_deref(), Some("from B"));
    b.wait_until("the sidecar to be removed", |_| !conflicts_path(&d.path().join(format!("{FIRST}.ron"))).exists());
    a.quit_with("q");
    b.quit_with("q");
}

/// `newsnote tag` on the first article, as another writer would run it.
fn tag_from_the_cli(dir: &Path, quote: &str) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(["tag", &format!("{FIRST}.txt"), "--label", "source", "--quote", quote])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_cli_tag_while_the_tui_is_open_survives_the_tuis_next_save() {
    let d = corpus();
    let mut a = open_first(d.path());
    tag_from_the_cli(d.path(), "local health authorities");
    tag(&mut a, "Dmitry Peskov", 2, "s");
    a.wait_status("merged 1 change(s)");
    let quotes: Vec<String> = on_disk(d.path()).into_iter().map(|a| a.quote).collect();
    assert_eq!(quotes, ["Dmitry Peskov", "local health authorities"]);
    a.quit_with("q");
}

#[test]
fn another_writers_change_appears_in_the_open_tui_without_a_key() {
    let d = corpus();
    let mut a = open_first_with(d.path(), &[("NEWSNOTE_WATCH_MS", "100")]);
    a.wait_for("Annotations (0)");
    tag_from_the_cli(d.path(), "local health authorities");
    // No key pressed: the TUI notices the file changed and reads it again.
    a.wait_for("Annotations (1)");
    a.wait_status("reloaded (another writer): 0 → 1 annotations");
    a.quit_with("q");
}
