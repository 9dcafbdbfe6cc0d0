//! Suggestions in exports, `show`, `list` and `check`: a corpus holding the coding, open
//! suggestions of the quotes detector and rejected ones (`common::samples::suggested_corpus`)
//! through every format (golden files), the real binary's `export`, `export --accepted-only`,
//! `show`, `list`, `list --json` and `check`.
//!
//! Golden files: `UPDATE_GOLDEN=1 cargo test --test export_suggestions` rewrites them; read
//! the diff before committing.

mod common;

use common::samples::{load, suggested_corpus};
use newsnote::export::{self, Format};
use std::path::Path;
use std::process::{Command, Output as Run};

/// Every format's output for the corpus as text: a document, a folder's files one after the
/// other with their paths, or a `.qdpx`'s project file.
fn every_export(arts: &[export::ExportArticle]) -> Vec<(Format, String)> {
    use clap::ValueEnum;
    Format::value_variants().iter().map(|&f| (f, common::samples::export_text(f, arts))).collect()
}

fn golden_name(f: Format) -> String {
    let name = format!("{f:?}").to_lowercase();
    let ext = match f {
        Format::Json | Format::Labelstudio => "json",
        Format::Jsonl | Format::Doccano => "jsonl",
        Format::Csv => "csv",
        Format::Md => "md",
        Format::Html => "html",
        Format::W3c => "jsonld",
        Format::Qdpx => "qde",
        Format::Brat | Format::Citron => "txt",
    };
    format!("{name}.{ext}")
}

#[test]
fn every_format_of_a_corpus_with_suggestions_matches_its_golden_file() {
    let (_dir, texts, anns) = suggested_corpus();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/suggestions");
    common::samples::assert_goldens(&dir, &load(&texts, &anns), golden_name);
}

#[test]
fn no_format_writes_a_rejected_suggestion_and_each_says_which_are_proposed_by_whom() {
    let (_dir, texts, anns) = suggested_corpus();
    let arts = load(&texts, &anns);
    // The stale rejected one fits no text, so it is not even among the rejected ones, and it
    // is no problem (`load` fails on any).
    assert_eq!((arts[0].annotations.len(), arts[0].rejected.len()), (6, 1));
    for (f, out) in every_export(&arts) {
        // The rejected source "Мир" would be a span over the first word; its id and the
        // stale one's never appear, nor a link from the proposed claim to it.
        assert!(!out.contains("r-source") && !out.contains("r-stale"), "{f:?} wrote a rejected one:\n{out}");
        let origin = out.contains("quotes-1") || out.contains("quotes\\-1");
        assert!(origin, "{f:?} does not name the detector:\n{out}");
        assert!(out.contains("87"), "{f:?} does not carry the confidence:\n{out}");
    }
}

fn newsnote(args: &[&str], cwd: &Path) -> Run {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "suggestions-test")
        .output()
        .expect("run newsnote")
}

fn text(o: &Run) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// `newsnote ARGS… ARTICLES --annotations ANNS` in the corpus's folder.
fn on_corpus(args: &[&str], texts: &Path, anns: &Path) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    all.extend([texts.to_str().unwrap(), "--annotations", anns.to_str().unwrap()]);
    newsnote(&all, texts.parent().unwrap())
}

/// The CSV rows of an export as maps from column to cell.
fn csv_rows(out: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    r.records().map(|x| head.iter().cloned().zip(x.unwrap().iter().map(str::to_owned)).collect()).collect()
}

#[test]
fn export_writes_proposed_ones_with_status_and_origin_and_accepted_only_leaves_them_out() {
    let (_dir, texts, anns) = suggested_corpus();
    let all = on_corpus(&["export", "--format", "csv"], &texts, &anns);
    assert!(all.status.success(), "{}", String::from_utf8_lossy(&all.stderr));
    let rows = csv_rows(&text(&all));
    let row = |id: &str| rows.iter().find(|r| r["annotation_id"] == id);
    let claim = row("p-claim").expect("the open suggestion is exported");
    assert_eq!(
        (claim["status"].as_str(), claim["origin"].as_str(), claim["confidence"].as_str()),
        ("proposed", "quotes-1", "87")
    );
    // Its link to the rejected source is gone; the proposed one is kept.
    assert_eq!(claim["source_id"], "p-source");
    let coded = row("c1").unwrap();
    assert_eq!(
        (coded["status"].as_str(), coded["origin"].as_str(), coded["confidence"].as_str()),
        ("accepted", "manual", "")
    );
    assert!(row("r-source").is_none() && row("r-stale").is_none(), "rejected ones are never exported");
    assert_eq!(rows.len(), 6);

    let coding = on_corpus(&["export", "--format", "csv", "--accepted-only"], &texts, &anns);
    assert!(coding.status.success(), "{}", String::from_utf8_lossy(&coding.stderr));
    let rows = csv_rows(&text(&coding));
    assert_eq!(rows.iter().map(|r| r["annotation_id"].as_str()).collect::<Vec<_>>(), ["c1", "q1", "s1"]);
    assert!(rows.iter().all(|r| r["status"] == "accepted"));
    // And in a format that follows links: the Markdown report counts and lists no suggestion.
    let md = on_corpus(&["export", "--format", "md", "--accepted-only"], &texts, &anns);
    assert!(!text(&md).contains("suggest") && !text(&md).contains("Кремль молчит"), "{}", text(&md));
    let md = on_corpus(&["export", "--format", "md"], &texts, &anns);
    assert!(text(&md).contains("3 suggestions to review"), "{}", text(&md));
}

#[test]
fn show_marks_suggestions_with_a_question_mark_and_their_origin_and_hides_rejected_ones() {
    let (_dir, texts, anns) = suggested_corpus();
    let (t, a) = (texts.to_str().unwrap(), anns.to_str().unwrap());
    let o = newsnote(&["show", "мир", "--in", t, "--annotations", a], texts.parent().unwrap());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = text(&o);
    assert!(out.contains("3 annotation(s) and 3 suggestion(s) to review (?)"), "{out}");
    let line = |id: &str| out.lines().find(|l| l.starts_with(&format!("{id}\t")));
    let claim = line("p-claim").expect("the suggestion is listed");
    assert!(claim.contains("\t?") && claim.contains("(quotes-1, 87%)"), "{claim}");
    assert!(!line("c1").unwrap().contains('?'), "coding is not marked");
    assert!(line("r-source").is_none() && line("r-stale").is_none(), "{out}");
    // In the marked text too: a suggestion's bracket opens with `?`.
    assert!(out.contains("[?") && out.contains("Кремль молчит."), "{out}");
    assert!(
        !out.contains("[?Source: Мир") && !out.contains("[Source: Мир"),
        "the rejected source is not marked: {out}"
    );
}

#[test]
fn list_counts_suggestions_apart_from_the_coding_and_rejected_ones_nowhere() {
    let (_dir, texts, anns) = suggested_corpus();
    let o = on_corpus(&["list", "--json"], &texts, &anns);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(text(&o).trim()).unwrap();
    assert_eq!((v["counts"]["Claim"].as_u64(), v["counts"]["Source"].as_u64()), (Some(1), Some(1)), "{v}");
    assert_eq!((v["suggested"]["Claim"].as_u64(), v["suggested"]["Source"].as_u64()), (Some(1), Some(1)), "{v}");
    assert_eq!((v["counts"]["Boilerplate"].as_u64(), v["suggested"]["Boilerplate"].as_u64()), (Some(0), Some(0)));
    let o = on_corpus(&["list"], &texts, &anns);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let row = text(&o);
    assert!(row.contains("\t3 suggested\t"), "{row}");
}

#[test]
fn check_does_not_judge_rejected_suggestions_as_coding_but_names_a_link_to_one() {
    let (_dir, texts, anns) = suggested_corpus();
    let o = on_corpus(&["check", "--json"], &texts, &anns);
    let problems: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    // The stale rejected boilerplate would be a quote mismatch, an error, if it were coding.
    assert!(problems.iter().all(|p| !p["message"].as_str().unwrap().starts_with("r-")), "{problems:?}");
    assert!(o.status.success(), "no error: {problems:?}");
    let codes: Vec<&str> = problems.iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["link-to-rejected"], "{problems:?}");
}
