//! Golden files: the exports of the shipped sample annotations, byte for byte, and the CSV read
//! back by Python's own csv module. Regenerate after a deliberate change with
//! `UPDATE_GOLDEN=1 cargo test --test export_golden` and read the diff before committing.

mod common;

use common::samples::samples;
use newsnote::export::{self, Format, Output};
use std::path::Path;

fn golden(format: Format, file: &str) -> String {
    let Output::Document(out) =
        export::export(format, &samples(), newsnote::model::codebook::Codebook::default_scheme())
    else {
        panic!("a document format")
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/own").join(file);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &out).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", path.display()));
    assert!(out == want, "{file} differs from the golden file; if intended, UPDATE_GOLDEN=1 and review the diff");
    out
}

#[test]
fn json_export_of_the_samples_matches_its_golden_file() {
    golden(Format::Json, "samples.json");
}

#[test]
fn jsonl_export_of_the_samples_matches_its_golden_file() {
    golden(Format::Jsonl, "samples.jsonl");
}

#[test]
fn html_page_of_the_samples_matches_its_golden_file() {
    golden(Format::Html, "samples.html");
}

#[test]
fn w3c_export_of_the_samples_matches_its_golden_file() {
    golden(Format::W3c, "samples.w3c.jsonld");
}

#[test]
fn markdown_report_of_the_samples_matches_its_golden_file() {
    golden(Format::Md, "samples.md");
}

#[test]
fn csv_export_matches_its_golden_file_and_python_reads_every_cell_back() {
    let out = golden(Format::Csv, "samples.csv");
    let script = r#"
import csv, io, json, sys
rows = list(csv.DictReader(io.StringIO(sys.stdin.read(), newline="")))
print(json.dumps([[r["annotation_id"], r["quote"], r["source_quote"]] for r in rows]))
"#;
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is on every newsnote machine");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), out.as_bytes()).unwrap();
    let res = child.wait_with_output().unwrap();
    assert!(res.status.success());
    let rows: Vec<(String, String, String)> = serde_json::from_slice(&res.stdout).unwrap();
    let mut want = Vec::new();
    for art in samples() {
        for a in &art.annotations {
            let src = art
                .source_of(newsnote::model::codebook::Codebook::default_scheme(), a)
                .map(|s| s.quote.clone())
                .unwrap_or_default();
            let safe = |s: &str| newsnote::export::csv::neutralise(s);
            want.push((a.id.0.clone(), safe(&a.quote), safe(&src)));
        }
    }
    assert_eq!(rows, want, "python's csv reads the same cells newsnote wrote");
    assert!(rows.iter().any(|r| r.1.contains("\n\nSo do we.")), "multi-line cells survive");
}
