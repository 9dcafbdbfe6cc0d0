//! End-to-end: an editor's review pass in the real binary in a pseudo-terminal, and
//! `newsnote review` reading what it recorded.
//!
//! One article with a coder's three annotations in her own folder (`--annotations`); the
//! editor opens it, starts the pass (`R`), approves the first, comments on and disputes the
//! second (the comment taken up by the dispute), approves the third, and quits. On disk the
//! file must be format 4 with each verdict's reviewer, time and comment, the coding as the
//! coder left it, and the folder's `progress.ron` must mark the article Reviewed by the editor.

mod common;

use common::pty::Session;
use newsnote::model::annotation::{Annotation, AnnotationId, LabelId, Verdict};
use newsnote::model::progress::{PROGRESS_FILE, Progress, Stage};
use newsnote::model::store::{AnnotationFile, FORMAT_VERSION, Fingerprint};
use newsnote::model::units::{ByteRange, CharRange};
use std::ffi::OsStr;

const TEXT: &str = "Переговоры\n\n«Мы не согласны с этим», — сказал Дмитрий Песков во вторник.\n";

/// The corpus (`articles/`) and the coder's folder (`ана/`) with her three annotations.
fn coded() -> (tempfile::TempDir, Vec<Annotation>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("articles")).unwrap();
    std::fs::create_dir_all(dir.path().join("ана")).unwrap();
    std::fs::write(dir.path().join("articles/peskov.txt"), TEXT).unwrap();
    let mk = |label: &str, q: &str, id: &str| {
        let b = TEXT.find(q).unwrap();
        let c = TEXT[..b].chars().count();
        let (bytes, span) = (ByteRange::new(b, b + q.len()), CharRange::new(c, c + q.chars().count()));
        let mut a = Annotation::new_manual(LabelId::new(label), TEXT, bytes, span, "ана", "2026-11-30T09:00:00Z");
        a.id = AnnotationId(id.into());
        a
    };
    let (cue, source) = (mk("Cue", "сказал", "q1"), mk("Source", "Дмитрий Песков", "s1"));
    let mut claim = mk("Claim", "Мы не согласны с этим", "c1").with_value("quote_type", "direct");
    claim.links.insert("source".into(), vec![source.id.clone()]);
    claim.links.insert("cue".into(), vec![cue.id.clone()]);
    let anns = vec![claim, cue, source];
    let file = AnnotationFile::new("peskov.txt", Fingerprint::of(TEXT, TEXT.chars().count()), anns.clone());
    std::fs::write(dir.path().join("ана/peskov.ron"), file.to_ron()).unwrap();
    (dir, anns)
}

#[test]
fn a_review_pass_records_verdicts_with_reviewer_and_time_in_format_4_and_marks_the_article_reviewed() {
    let (dir, coded) = coded();
    let args: [&OsStr; 5] =
        ["articles".as_ref(), "--annotations".as_ref(), "ана".as_ref(), "--annotator".as_ref(), "Редактор".as_ref()];
    let mut s = Session::start_args(dir.path(), &args, 120, 30, &[]);
    s.wait_for("Переговоры");
    s.send("\r");
    s.wait_mode("READ");
    s.send("R");
    s.wait_mode("REVIEW");
    s.wait_status("review 0/3");
    s.send("a"); // the claim approved; on to the cue
    s.wait_status("review 1/3");
    s.send("c");
    s.wait_status("comment: ");
    s.send("не тот глагол\r");
    s.wait_status("comment recorded");
    s.send("x"); // the cue disputed, with the comment
    s.wait_status("review 2/3 · 1 disputed · 1 comment");
    s.send("a"); // the source approved: every annotation has a verdict
    s.wait_status("marked reviewed");
    s.wait_status("✓ saved");
    s.send("q"); // leaves the pass
    s.wait_mode("READ");
    s.quit_with("q");

    let ron = dir.path().join("ана/peskov.ron");
    let text = std::fs::read_to_string(&ron).unwrap();
    let file = AnnotationFile::parse(&ron, &text, "peskov.txt").unwrap();
    assert_eq!(file.format, FORMAT_VERSION, "a file with reviews is written as format 4:\n{text}");
    let get = |id: &str| file.annotations.iter().find(|a| a.id.0 == id).unwrap();
    for (id, verdict, comment) in [
        ("c1", Verdict::Approved, None),
        ("q1", Verdict::Disputed, Some("не тот глагол")),
        ("s1", Verdict::Approved, None),
    ] {
        let a = get(id);
        assert_eq!(a.reviews.len(), 1, "{id}: one entry (the comment went with the verdict): {:?}", a.reviews);
        let r = &a.reviews[0];
        assert_eq!((r.verdict, r.by.as_str(), r.comment.as_deref()), (verdict, "Редактор", comment), "{id}");
        assert!(r.at.len() == 20 && r.at.ends_with('Z') && r.at.as_str() > "2026-11-30T09:00:00Z", "{id}: {}", r.at);
        let before = coded.iter().find(|b| b.id == a.id).unwrap();
        assert_eq!(&Annotation { reviews: vec![], ..a.clone() }, before, "{id}: the coding is the coder's");
    }
    let marks = Progress::open(&dir.path().join("ана").join(PROGRESS_FILE)).unwrap();
    let m = marks.get("peskov.txt", Stage::Reviewed).expect("progress.ron marks the article reviewed");
    assert_eq!(m.by, "Редактор");

    // `newsnote review --json` reads the same state back.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(["review", "articles", "--annotations", "ана", "--json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &rows[0];
    assert_eq!(row["article"], "peskov.txt");
    assert_eq!(
        [&row["annotations"], &row["approved"], &row["disputed"], &row["commented"], &row["unreviewed"]],
        [3, 2, 1, 1, 0]
    );
    assert_eq!((row["reviewed"].as_bool(), row["marked_by"].as_str()), (Some(true), Some("Редактор")));
    assert_eq!(row["reviewers"], serde_json::json!(["Редактор"]));
}
