//! Issue 8's silent-loss paths, each driven through the real app (keys → update → the one
//! save path → files on disk) with another writer simulated by writing the file between keys,
//! as a second newsnote, `newsnote tag` or `git` would.

mod drive;

use drive::*;
use newsnote::app::{Overlay, SaveState};
use newsnote::model::annotation::Annotation;
use newsnote::model::save::{conflicts_path, load_conflicts};
use newsnote::model::store::AnnotationFile;
use std::path::PathBuf;

fn ron_path(app: &newsnote::app::App) -> PathBuf {
    app.open.as_ref().unwrap().doc.ron_path.clone()
}

/// Another writer changes the annotation with `id` on disk (as a second TUI would save it).
fn other_writer(app: &newsnote::app::App, id: &newsnote::model::annotation::AnnotationId, f: impl Fn(&mut Annotation)) {
    let path = ron_path(app);
    let mut file = AnnotationFile::parse(&path, &std::fs::read_to_string(&path).unwrap(), "a.txt").unwrap();
    file.annotations.iter_mut().filter(|a| &a.id == id).for_each(f);
    std::fs::write(&path, file.to_ron()).unwrap();
}

fn note_on_disk(app: &newsnote::app::App, id: &newsnote::model::annotation::AnnotationId) -> Option<String> {
    saved(app).annotations.into_iter().find(|a| &a.id == id).and_then(|a| a.note)
}

fn note(app: &mut newsnote::app::App, text: &str) {
    // The note prompt starts with the old note: erase it (Ctrl-U from its end), then type.
    press(app, &format!("m<end><c-u>{text}<enter>"));
}

#[test]
fn undo_after_a_merge_never_reverts_the_other_writers_change_it_becomes_a_conflict() {
    let (_d, mut app) = open_text("Peskov said no. Lavrov said yes.\n");
    press(&mut app, "ves");
    let x = id_of(&app, "Peskov");
    press(&mut app, "<tab>");
    note(&mut app, "MINE");
    assert_eq!(note_on_disk(&app, &x).as_deref(), Some("MINE"));
    other_writer(&app, &x, |a| a.note = Some("THEIRS".into()));
    // Tag anything: the save merges their note in.
    press(&mut app, "<s-tab>wwwves");
    assert_eq!(note_on_disk(&app, &x).as_deref(), Some("THEIRS"));
    // u undoes our tag; the second u would set X's note back to "MINE"'s predecessor over THEIRS.
    press(&mut app, "uu");
    assert_eq!(note_on_disk(&app, &x).as_deref(), Some("THEIRS"), "their note is not overwritten");
    let m = app.message.clone().unwrap();
    assert!(m.text.contains("another writer changed them since"), "{m:?}");
    let kept = load_conflicts(&ron_path(&app)).unwrap();
    assert_eq!(kept.len(), 1, "both versions are kept: theirs in the file, the undo's in the sidecar: {kept:#?}");
    assert_eq!(kept[0].theirs.as_ref().unwrap().note.as_deref(), Some("THEIRS"));
    assert_eq!(kept[0].mine.as_ref().unwrap().note, None, "the version the undo wanted");
}

#[test]
fn two_conflicts_accumulate_on_disk_are_listed_after_a_restart_and_q_says_they_remain() {
    let (d, mut app) = open_text("Peskov said no. Lavrov said yes.\n");
    press(&mut app, "ves");
    let x = id_of(&app, "Peskov");
    press(&mut app, "<tab>");
    for (mine, theirs) in [("MINE 1", "THEIRS 1"), ("MINE 2", "THEIRS 2")] {
        other_writer(&app, &x, |a| a.note = Some(theirs.into()));
        note(&mut app, mine);
    }
    let side = load_conflicts(&ron_path(&app)).unwrap();
    let mine: Vec<_> = side.iter().map(|c| c.mine.as_ref().unwrap().note.clone().unwrap()).collect();
    assert_eq!(mine, ["MINE 1", "MINE 2"], "the second conflict does not replace the first");
    press(&mut app, "q");
    assert!(app.should_quit, "nothing is unsaved: q quits");
    assert!(app.exit_notes.iter().any(|n| n.contains("2 unresolved conflict(s)")), "{:?}", app.exit_notes);
    assert_eq!(app.exit_code, 0);
    // A restart lists both again.
    let mut again = drive::app(d.path());
    press(&mut again, "<enter>!");
    assert!(matches!(again.overlay, Overlay::Attention { .. }));
    assert_eq!(newsnote::app::attention::items(&again).len(), 2);
    // Keeping theirs for both removes the sidecar.
    press(&mut again, "tt");
    assert!(!conflicts_path(&ron_path(&again)).exists());
    assert_eq!(note_on_disk(&again, &x).as_deref(), Some("THEIRS 2"));
}

#[test]
fn keeping_my_version_of_a_conflict_writes_it_and_drops_only_that_conflict() {
    let (_d, mut app) = open_text("Peskov said no.\n");
    press(&mut app, "ves");
    let x = id_of(&app, "Peskov");
    press(&mut app, "<tab>");
    other_writer(&app, &x, |a| a.note = Some("THEIRS".into()));
    note(&mut app, "MINE");
    press(&mut app, "!m");
    assert_eq!(note_on_disk(&app, &x).as_deref(), Some("MINE"));
    assert!(!conflicts_path(&ron_path(&app)).exists());
}

#[test]
fn a_vanished_annotation_file_is_written_back_whole_and_the_user_is_told() {
    let (_d, mut app) = open_text("Peskov said no. Lavrov said yes. Zelensky said maybe.\n");
    press(&mut app, "vesw");
    press(&mut app, "wwvesw");
    assert_eq!(saved(&app).annotations.len(), 2);
    std::fs::remove_file(ron_path(&app)).unwrap(); // rm, git checkout, git stash
    press(&mut app, "wwvee<esc>ves");
    assert_eq!(saved(&app).annotations.len(), 3, "the file holds everything, not only the new tag");
    let m = app.message.clone().unwrap();
    assert!(m.text.contains("had disappeared") && m.text.contains("wrote back all 3"), "{m:?}");
}

#[test]
fn duplicate_ids_from_another_writer_keep_both_copies_and_make_the_article_read_only() {
    let (_d, mut app) = open_text("Peskov said no. Lavrov said yes.\n");
    press(&mut app, "ves");
    let x = id_of(&app, "Peskov");
    // A git merge that kept both coders' versions.
    let path = ron_path(&app);
    let mut file = saved(&app);
    let mut copy = file.annotations[0].clone();
    copy.note = Some("coder B".into());
    file.annotations.push(copy);
    std::fs::write(&path, file.to_ron()).unwrap();
    let before = std::fs::read(&path).unwrap();
    press(&mut app, "wwves");
    assert_eq!(std::fs::read(&path).unwrap(), before, "both copies survive");
    let doc = &app.open.as_ref().unwrap().doc;
    assert!(doc.read_only.as_deref().is_some_and(|r| r.contains(&format!("id {x} is used by more than one"))));
    assert!(matches!(app.save, SaveState::Failed(_)));
    assert!(app.message.clone().unwrap().text.starts_with("NOT SAVED"));
}

#[test]
fn every_q_retries_a_failed_save_and_quitting_anyway_needs_d_and_exits_non_zero() {
    let (_d, ann, mut app) = app_with_blockable_saves("Peskov said no.\n");
    std::fs::write(&ann, "blocker").unwrap();
    press(&mut app, "vees");
    assert!(matches!(app.save, SaveState::Failed(_)));
    press(&mut app, "q");
    assert!(!app.should_quit);
    assert_eq!(app.overlay, Overlay::QuitConfirm);
    let screen80 = screen(&app, 80, 24);
    for words in ["NOT on disk", "a.txt: 1 added", "--annotations DIR", "LOSE these changes", "Any other key"] {
        let flat = screen80.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(words), "{words:?} is readable at 80×24:\n{screen80}");
    }
    // Any other key stays; q again retries (still failing: the dialog again).
    press(&mut app, "j");
    assert_eq!(app.overlay, Overlay::None);
    press(&mut app, "q");
    assert_eq!(app.overlay, Overlay::QuitConfirm);
    // The problem is fixed: the next q retries, saves and quits.
    std::fs::remove_file(&ann).unwrap();
    press(&mut app, "<esc>q");
    assert!(app.should_quit);
    assert_eq!(app.exit_code, 0);
    assert!(ann.join("a.ron").exists());
}

#[test]
fn quitting_with_d_keeps_a_copy_of_what_could_not_be_saved_and_says_where() {
    let rescue = tempfile::tempdir().unwrap();
    // SAFETY: this test binary reads the variable only in this test.
    unsafe { std::env::set_var("NEWSNOTE_RESCUE_DIR", rescue.path()) };
    let (_d, ann, mut app) = app_with_blockable_saves("Peskov said no.\n");
    std::fs::write(&ann, "blocker").unwrap();
    press(&mut app, "vees");
    press(&mut app, "qD");
    assert!(app.should_quit);
    assert_eq!(app.exit_code, 3, "a discard exits non-zero");
    assert!(app.exit_notes.iter().any(|n| n.contains("NOT SAVED") && n.contains(&rescue.path().display().to_string())));
    let copy = std::fs::read_dir(rescue.path()).unwrap().next().unwrap().unwrap().path();
    assert!(std::fs::read_to_string(copy).unwrap().contains("quote: \"Peskov said\""));
}

#[test]
fn a_failed_save_warning_is_readable_in_full_at_80_columns() {
    let (_d, ann, mut app) = app_with_blockable_saves("Peskov said no.\n");
    std::fs::write(&ann, "blocker").unwrap();
    press(&mut app, "vees");
    let m = app.message.clone().unwrap();
    let shown = screen(&app, 80, 24).split_whitespace().collect::<Vec<_>>().join(" ");
    let wanted = m.text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Wrapped in a box above the status bar: every word, in order, with the box's borders between.
    let cleaned = shown.replace(" │ │ ", " ").replace("│", "");
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(cleaned.contains(&wanted), "the whole warning is on screen:\n{wanted}\n---\n{}", screen(&app, 80, 24));
}

#[test]
fn check_counts_unresolved_conflicts_until_they_are_resolved() {
    let (d, mut app) = open_text("Peskov said no.\n");
    press(&mut app, "ves");
    let x = id_of(&app, "Peskov");
    press(&mut app, "<tab>");
    other_writer(&app, &x, |a| a.note = Some("THEIRS".into()));
    note(&mut app, "MINE");
    let check = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_newsnote"))
            .args(["check", d.path().to_str().unwrap()])
            .output()
            .unwrap()
    };
    let out = check();
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("1 unresolved conflict(s)") && said.contains("a.ron.conflicts"), "{said}");
    press(&mut app, "!t");
    assert_eq!(check().status.code(), Some(0));
}

fn cli(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_newsnote")).args(args).current_dir(dir).output().unwrap()
}

fn said(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn tag_never_silently_persists_the_reanchoring_of_a_changed_article() {
    let d = corpus_of(&[("a.txt", "Peskov said no. Lavrov said yes.\n")]);
    assert!(cli(d.path(), &["tag", "a.txt", "--label", "source", "--quote", "Lavrov", "--in", "."]).status.success());
    let before = std::fs::read(d.path().join("a.ron")).unwrap();
    std::fs::write(d.path().join("a.txt"), "A new first line.\nPeskov said no. Lavrov said yes.\n").unwrap();
    let out = cli(d.path(), &["tag", "a.txt", "--label", "source", "--quote", "Peskov", "--in", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(said(&out).contains("changed since it was annotated (1 moved"), "{}", said(&out));
    assert_eq!(std::fs::read(d.path().join("a.ron")).unwrap(), before, "nothing written");
}

#[test]
fn an_annotation_file_that_is_not_valid_utf8_is_never_rewritten_by_tag_or_the_tui() {
    let d = corpus_of(&[("a.txt", "Peskov said no.\n")]);
    assert!(cli(d.path(), &["tag", "a.txt", "--label", "source", "--quote", "Peskov", "--in", "."]).status.success());
    let path = d.path().join("a.ron");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(6).position(|w| w == b"Peskov").unwrap();
    bytes.insert(at, 0xff);
    std::fs::write(&path, &bytes).unwrap();
    let out = cli(d.path(), &["tag", "a.txt", "--label", "claim", "--quote", "said", "--in", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    assert!(said(&out).contains("not valid UTF-8"), "{}", said(&out));
    let mut app = drive::app(d.path());
    press(&mut app, "<enter>ves");
    assert!(app.open.as_ref().unwrap().doc.read_only.as_deref().is_some_and(|r| r.contains("not valid UTF-8")));
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file's bytes never change");
}

#[test]
fn import_into_a_changed_article_reanchors_and_keeps_decoded_lossily() {
    // Invalid UTF-8 in the article: offsets count the decoded text, and the file must say so.
    let d = corpus_of(&[]);
    std::fs::write(d.path().join("a.txt"), b"caf\xe9 Peskov said no. Lavrov said yes.\n").unwrap();
    assert!(cli(d.path(), &["tag", "a.txt", "--label", "source", "--quote", "Lavrov", "--in", "."]).status.success());
    std::fs::write(d.path().join("a.txt"), b"New line.\ncaf\xe9 Peskov said no. Lavrov said yes.\n").unwrap();
    let brat = tempfile::tempdir().unwrap();
    std::fs::write(brat.path().join("a.txt"), "New line.\ncaf\u{fffd} Peskov said no. Lavrov said yes.\n").unwrap();
    std::fs::write(brat.path().join("a.ann"), "T1\tSource 15 21\tPeskov\n").unwrap();
    let out = cli(d.path(), &["import", "--format", "brat", brat.path().to_str().unwrap(), "--into", "."]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("re-anchored"), "the user is told: {}", said(&out));
    let ron = std::fs::read_to_string(d.path().join("a.ron")).unwrap();
    assert!(ron.contains("decoded_lossily: true"), "{ron}");
    let check = cli(d.path(), &["check", "."]);
    let report = said(&check);
    assert!(!report.contains("offsets-out-of-range") && !report.contains("quote-mismatch"), "{report}");
    let file = newsnote::model::store::AnnotationFile::parse(&d.path().join("a.ron"), &ron, "a.txt").unwrap();
    let lavrov = file.annotations.iter().find(|a| a.quote == "Lavrov").unwrap();
    assert_eq!(lavrov.start, 31, "moved with the text, not stranded at its old offset");
}

#[test]
fn two_corpora_sharing_one_annotations_folder_are_refused() {
    let d = corpus_of(&[("one/a.txt", "Peskov said no.\n"), ("two/a.txt", "Lavrov said yes.\n")]);
    let ann = d.path().join("ann");
    let tag = |corpus: &str, quote: &str| {
        let root = d.path().join(corpus);
        cli(
            d.path(),
            &[
                "tag",
                "a.txt",
                "--label",
                "source",
                "--quote",
                quote,
                "--in",
                root.to_str().unwrap(),
                "--annotations",
                ann.to_str().unwrap(),
            ],
        )
    };
    assert!(tag("one", "Peskov").status.success());
    let out = tag("two", "Lavrov");
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    assert!(said(&out).contains("holds the annotations of the corpus at"), "{}", said(&out));
    assert!(!std::fs::read_to_string(ann.join("a.ron")).unwrap().contains("Lavrov"));
}
