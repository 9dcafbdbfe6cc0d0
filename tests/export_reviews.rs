//! An editor's review in every export: a corpus whose annotations are approved, disputed with
//! a comment, or not reviewed, through every format (golden files in `tests/golden/reviews`),
//! the HTML review page read as text by `w3m -dump` (what a reader sees, not the markup), and
//! the JSON, CSV and W3C fields a script reads.
//!
//! Golden files: `UPDATE_GOLDEN=1 cargo test --test export_reviews` rewrites them; read the
//! diff before committing.

mod common;

use common::samples::load;
use newsnote::export::{self, Format};
use newsnote::model::annotation::{Annotation, AnnotationId, LabelId, Verdict};
use newsnote::model::units::{ByteRange, CharRange};
use std::path::{Path, PathBuf};

const TEXT: &str = "«Мир близок», — сказал Песков во вторник. Переговоры продолжатся в среду.\n";

/// One article: a source approved, a claim commented on and then disputed with a comment,
/// and a cue no one reviewed.
fn reviewed_corpus() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (texts, anns) = (dir.path().join("articles"), dir.path().join("annotations"));
    std::fs::create_dir_all(&texts).unwrap();
    std::fs::create_dir_all(&anns).unwrap();
    std::fs::write(texts.join("мир.txt"), TEXT).unwrap();
    let mk = |label: &str, q: &str, id: &str| {
        let b = TEXT.find(q).unwrap();
        let c = TEXT[..b].chars().count();
        let (bytes, span) = (ByteRange::new(b, b + q.len()), CharRange::new(c, c + q.chars().count()));
        let mut a = Annotation::new_manual(LabelId::new(label), TEXT, bytes, span, "ана", "2026-03-04T05:06:07Z");
        a.id = AnnotationId(id.into());
        a
    };
    let source = mk("Source", "Песков", "s1").reviewed(Verdict::Approved, "Редактор", "2026-12-01T10:00:00Z", None);
    let cue = mk("Cue", "сказал", "q1");
    let mut claim = mk("Claim", "«Мир близок»", "c1").with_value("quote_type", "direct");
    claim.links.insert("source".into(), vec![source.id.clone()]);
    claim.links.insert("cue".into(), vec![cue.id.clone()]);
    let claim = claim.reviewed(Verdict::Comment, "Редактор", "2026-12-01T10:01:00Z", Some("кавычки — чьи?")).reviewed(
        Verdict::Disputed,
        "Zoë",
        "2026-12-01T10:02:00Z",
        Some("не прямая цитата"),
    );
    let fp = newsnote::model::store::Fingerprint::of(TEXT, TEXT.chars().count());
    let file = newsnote::model::store::AnnotationFile::new("мир.txt", fp, vec![claim, source, cue]);
    assert_eq!(file.written_format(), newsnote::model::store::FORMAT_VERSION);
    std::fs::write(anns.join("мир.ron"), file.to_ron()).unwrap();
    (dir, texts, anns)
}

fn document(f: Format, arts: &[export::ExportArticle]) -> String {
    common::samples::export_text(f, arts)
}

#[test]
fn every_format_of_a_reviewed_corpus_matches_its_golden_file() {
    let (_dir, texts, anns) = reviewed_corpus();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/reviews");
    common::samples::assert_goldens(&dir, &load(&texts, &anns), |f| format!("{f:?}.txt").to_lowercase());
}

#[test]
fn the_html_page_shows_each_annotations_review_state_reviewer_time_and_comments_in_words() {
    let (dir, texts, anns) = reviewed_corpus();
    let html = document(Format::Html, &load(&texts, &anns));
    let page = dir.path().join("review.html");
    std::fs::write(&page, &html).unwrap();
    let out = std::process::Command::new("w3m")
        .args(["-dump", "-cols", "200", "-O", "UTF-8", "-T", "text/html"])
        .arg(&page)
        .output()
        .expect("w3m is on every newsnote machine (the CI installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for seen in [
        // The summary under the article's heading.
        "Editor's review: 2 of 3 reviewed · 1 approved · 1 disputed · 1 unreviewed · 1 with comments",
        // Each state in words with its mark, reviewer and time: readable without colour.
        "✓ approved by Редактор, 2026-12-01T10:00:00Z",
        "✗ disputed by Zoë, 2026-12-01T10:02:00Z",
        "· unreviewed",
        // Every comment, with who made it and when, and the verdict it came with.
        "“кавычки — чьи?” — Редактор, 2026-12-01T10:01:00Z",
        "“не прямая цитата” — Zoë, 2026-12-01T10:02:00Z (disputed)",
    ] {
        assert!(text.contains(seen), "{seen:?} is not on the page as read:\n{text}");
    }
    // The page of a corpus no one reviewed says nothing of review.
    let plain = document(Format::Html, &common::samples::samples());
    assert!(!plain.contains("Editor's review") && !plain.contains("class=\"rv "), "no review, no review marks");
}

#[test]
fn json_and_csv_carry_the_verdict_the_reviewer_the_time_and_the_comments() {
    let (_dir, texts, anns) = reviewed_corpus();
    let arts = load(&texts, &anns);
    let json: serde_json::Value = serde_json::from_str(&document(Format::Json, &arts)).unwrap();
    let anns_json = json["articles"][0]["annotations"].as_array().expect("annotations").clone();
    let by_id = |id: &str| anns_json.iter().find(|a| a["id"] == id).unwrap().clone();
    let c1 = by_id("c1");
    assert_eq!(c1["review"], "disputed");
    assert_eq!(c1["reviews"][1]["verdict"], "Disputed");
    assert_eq!(
        (c1["reviews"][1]["by"].as_str(), c1["reviews"][1]["at"].as_str()),
        (Some("Zoë"), Some("2026-12-01T10:02:00Z"))
    );
    assert_eq!(c1["reviews"][0]["comment"], "кавычки — чьи?");
    assert!(by_id("q1").get("review").is_none(), "no review, no review fields");
    let csv = document(Format::Csv, &arts);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows: Vec<std::collections::HashMap<String, String>> =
        r.records().map(|x| head.iter().cloned().zip(x.unwrap().iter().map(str::to_owned)).collect()).collect();
    let row = |id: &str| rows.iter().find(|x| x["annotation_id"] == id).unwrap();
    assert_eq!(
        (row("c1")["verdict"].as_str(), row("c1")["reviewer"].as_str(), row("c1")["reviewed_at"].as_str()),
        ("disputed", "Zoë", "2026-12-01T10:02:00Z")
    );
    assert_eq!(
        row("c1")["review_comments"],
        "кавычки — чьи? — Редактор, 2026-12-01T10:01:00Z\nне прямая цитата — Zoë, 2026-12-01T10:02:00Z"
    );
    assert_eq!((row("s1")["verdict"].as_str(), row("q1")["verdict"].as_str()), ("approved", ""));
}

#[test]
fn w3c_gives_each_review_entry_an_assessing_or_commenting_annotation_on_the_annotation() {
    let (_dir, texts, anns) = reviewed_corpus();
    let json: serde_json::Value = serde_json::from_str(&document(Format::W3c, &load(&texts, &anns))).unwrap();
    let items = json["first"]["items"].as_array().unwrap();
    let reviews: Vec<&serde_json::Value> =
        items.iter().filter(|i| i["id"].as_str().unwrap().starts_with("urn:newsnote:review:")).collect();
    assert_eq!(reviews.len(), 3, "one per entry: the source's approval, the claim's comment and dispute");
    let dispute = reviews.iter().find(|r| r["creator"]["name"] == "Zoë").unwrap();
    assert_eq!(dispute["motivation"], "assessing");
    assert!(dispute["target"].as_str().unwrap().ends_with(":c1"), "{dispute}");
    let bodies: Vec<(&str, &str)> = dispute["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["purpose"].as_str().unwrap(), b["value"].as_str().unwrap()))
        .collect();
    assert_eq!(bodies, [("assessing", "disputed"), ("commenting", "не прямая цитата")]);
    let comment = reviews.iter().find(|r| r["motivation"] == "commenting").unwrap();
    assert_eq!(comment["created"], "2026-12-01T10:01:00Z");
}
