//! The documentation shows real data: its examples must match the shipped files.

use std::path::Path;

fn read(p: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap()
}

/// Every annotation quoted in docs/format.md appears, line for line, in the shipped file, and
/// so does the header it shows.
#[test]
fn the_format_doc_example_is_copied_from_annotations() {
    let doc = read("docs/format.md");
    let ron = read("annotations/002_915808095f53d4db.ron");
    let example = doc.split("```ron\n").nth(1).unwrap().split("```").next().unwrap();
    let pieces: Vec<&str> = example.split("        …\n").collect();
    assert!(pieces.len() >= 3, "header, annotations, footer");
    assert!(ron.starts_with(pieces[0]), "the header differs from the file:\n{}", pieces[0]);
    let blocks = pieces[1];
    assert!(blocks.matches("id: ").count() >= 2, "the example shows at least two annotations");
    assert!(ron.contains(blocks), "the annotations shown differ from the file:\n{blocks}");
    assert!(ron.ends_with(pieces[2]));
}

/// The README names the test command that .ci/run runs.
#[test]
fn readme_and_ci_run_the_same_test_command() {
    let readme = read("README.md");
    let ci = read(".ci/run");
    assert!(readme.contains("cargo test --locked"));
    assert!(ci.lines().any(|l| l.trim() == "cargo test --locked"));
}

/// Every test docs/reliability.md names exists in the file it names, so the page cannot
/// promise a guarantee whose test was renamed or removed.
#[test]
fn every_test_named_in_the_reliability_doc_exists() {
    let doc = read("docs/reliability.md");
    let mut checked = 0;
    let mut last_file = String::new();
    for cell in doc.split('`').skip(1).step_by(2) {
        let Some((file, name)) = cell.split_once("::") else { continue };
        // `…::name` means the file named just before.
        let file = if file == "…" { last_file.clone() } else { file.to_string() };
        last_file = file.clone();
        let text = read(&file);
        assert!(
            text.contains(&format!("fn {name}(")),
            "docs/reliability.md names {file}::{name}, which does not exist"
        );
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} test references found");
}
