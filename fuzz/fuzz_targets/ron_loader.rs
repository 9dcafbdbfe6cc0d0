//! Coverage-guided fuzzing of the annotation-file loader and of everything that uses what it
//! loads, outside CI (CI runs the bounded proptest version in `tests/fuzz_loaders.rs`).
//!
//! From the repository root, with a nightly toolchain:
//!
//! ```sh
//! cargo install cargo-fuzz
//! mkdir -p fuzz/corpus/ron_loader && cp annotations/*.ron fuzz/corpus/ron_loader/  # real seeds
//! cargo +nightly fuzz run ron_loader                             # until stopped (Ctrl-C)
//! cargo +nightly fuzz run ron_loader -- -max_total_time=60       # one minute
//! ```
//!
//! A crash is saved under `fuzz/artifacts/ron_loader/`; replay it with
//! `cargo +nightly fuzz run ron_loader fuzz/artifacts/ron_loader/<file>`.
//!
//! The promises checked, for any bytes:
//! - parsing gives a file or an error, never a panic, and a parse error points at a line and
//!   column inside the text;
//! - a file that parses, put beside a real article (its name rewritten to match), opens as a
//!   document whose byte spans lie inside the text and hold their quotes, whatever offsets
//!   the file claims (reversed, past the end, `usize::MAX`); every export format runs on it;
//!   and the TUI (headless, a `TestBackend`) opens it, draws it and jumps to each annotation.
//!
//! `show` and `stats` are the exports' loader plus printing; the in-tree tests run the real
//! binary for them.

#![no_main]

use clap::ValueEnum;
use libfuzzer_sys::fuzz_target;
use newsnote::export::{self, Format};
use newsnote::headless::Headless;
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::document::Document;
use newsnote::model::store::{AnnotationFile, StoreError};
use std::path::{Path, PathBuf};

const ARTICLE: &str = include_str!("../../assets/articles/000_e37f52fc02921a26.txt");
const ARTICLE_NAME: &str = "000_e37f52fc02921a26.txt";

/// One folder per fuzzing process, reused for every input.
fn folder() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("newsnote-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("a.txt"), ARTICLE).unwrap();
        d
    })
}

fuzz_target!(|data: &[u8]| {
    // newsnote reads annotation files as UTF-8 text; other bytes never reach the parser.
    let Ok(text) = std::str::from_utf8(data) else { return };
    match AnnotationFile::parse(Path::new("f.ron"), text, "a.txt") {
        Err(StoreError::Parse { line, col, .. }) => {
            let lines: Vec<&str> = text.split('\n').collect();
            assert!(line >= 1 && line <= lines.len(), "line {line} of {}", lines.len());
            assert!(col >= 1 && col <= lines[line - 1].chars().count() + 1, "column {col}");
        }
        Err(_) => {}
        Ok(_) => past_parsing(&text.replace(ARTICLE_NAME, "a.txt")),
    }
});

fn past_parsing(ron: &str) {
    let dir = folder();
    std::fs::write(dir.join("a.ron"), ron).unwrap();
    let corpus = Corpus::open(dir, AnnotationRoot::NextToArticles).unwrap();
    let doc = Document::open(&corpus.entries[0]).unwrap();
    let t = &doc.article.text;
    for (a, span) in doc.annotations.iter().zip(&doc.spans) {
        if let Some(r) = span {
            assert!(r.start <= r.end && r.end <= t.len(), "{r:?} for {}..{}", a.start, a.end);
            assert_eq!(t.get(r.as_range()), Some(a.quote.as_str()));
        }
    }
    let (arts, _) = export::load(&corpus, &mut |_, _| {});
    for format in Format::value_variants() {
        let _ = export::export(*format, &arts);
    }
    let mut h = Headless::open(dir, 80, 24).unwrap();
    h.draw();
    h.keys("<enter><tab>");
    for _ in 0..doc.annotations.len().min(20) {
        h.keys("<enter><tab>j");
        h.draw();
    }
    assert_eq!(std::fs::read_to_string(dir.join("a.ron")).unwrap(), ron, "opening changed the file");
}
