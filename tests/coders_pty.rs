//! End-to-end: a coder of a team in the real binary, in a pseudo-terminal.
//!
//! `newsnote DIR --coder zoë` must code in zoë's own folder (coders/zoë under the corpus
//! root, named nowhere else), say who is coding, and `D` must mark the open article done in
//! that folder's progress file at once, so another coder's newsnote and `newsnote progress`
//! see it. Everything is checked on disk after the program quit.

mod common;

use common::pty::{ENTER, Session};
use newsnote::model::progress::{Progress, Stage};
use newsnote::model::store::AnnotationFile;
use std::ffi::OsStr;

const ARTICLE: &str = "встреча.txt";

fn team_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join(ARTICLE),
        "Встреча в Женеве\n\nDmitry Peskov said the talks would resume on Monday.\n\nZoë Ng, a diplomat, disagreed.\n",
    )
    .unwrap();
    std::fs::write(d.join("другая.txt"), "Другая статья\n\nНичего особенного.\n").unwrap();
    std::fs::write(d.join("corpus.ron"), "(team: (coders: [\"alice\", \"zoë\"]))\n").unwrap();
    dir
}

#[test]
fn a_coder_tags_and_marks_done_in_their_own_folder_and_the_screen_says_who_is_coding() {
    let dir = team_corpus();
    let d = dir.path();
    let args = [d.as_os_str(), OsStr::new("--coder"), OsStr::new("zoë")];
    let mut s = Session::start_args(d, &args, 120, 24, &[]);
    s.wait_status("coding as zoë");
    // The list is in id order: "встреча.txt" first.
    s.send(ENTER);
    s.wait_mode("READ");
    s.wait_status(ARTICLE);
    s.search("Dmitry Peskov");
    s.send("v");
    s.wait_mode("VISUAL");
    s.send("e");
    s.send("s");
    s.wait_status("tagged Source");
    s.send("D");
    s.wait_status("done: Встреча в Женеве");
    s.wait_status("coding as zoë · done");
    // The list's totals: zoë has one of two, alice none.
    s.wait_for("alice 0/2 · zoë 1/2");
    s.quit_with("q");

    let folder = d.join("coders").join("zoë");
    let ron = std::fs::read_to_string(folder.join("встреча.ron")).expect("the annotation file is in zoë's folder");
    let file = AnnotationFile::parse(&folder.join("встреча.ron"), &ron, ARTICLE).unwrap();
    assert_eq!(file.annotations.len(), 1, "{ron}");
    assert_eq!(file.annotations[0].quote, "Dmitry");
    assert_eq!(file.annotations[0].author, "zoë", "the coder is the author");
    assert!(!d.join("встреча.ron").exists(), "nothing is written next to the article");
    let progress = Progress::open(&folder.join("progress.ron")).unwrap();
    let mark = progress.get(ARTICLE, Stage::Done).expect("D was saved in zoë's progress file");
    assert_eq!(mark.by, "zoë");
    assert!(!progress.is("другая.txt", Stage::Done));
}
