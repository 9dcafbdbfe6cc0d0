//! Corpora for the benchmarks, made once by `examples/gen_corpus.rs` and kept under
//! `target/bench-corpus` (or `$NEWSNOTE_BENCH_DIR`): generation is deterministic, so a kept
//! corpus is the same bytes a fresh one would be.

#![allow(dead_code)] // each benchmark uses some of these

#[allow(dead_code)]
#[path = "../../examples/gen_corpus.rs"]
mod gen_corpus;

use std::path::PathBuf;

pub fn bench_dir() -> PathBuf {
    std::env::var_os("NEWSNOTE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus"))
}

/// A corpus of `articles` articles of about `size` bytes with `annotations` annotations each.
pub fn corpus(articles: usize, size: usize, annotations: usize) -> PathBuf {
    let dir = bench_dir().join(format!("c{articles}x{size}x{annotations}"));
    let done = dir.join(".done");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!("generating {} …", dir.display());
        gen_corpus::generate(&dir, articles, size, annotations, 42, false);
        std::fs::write(&done, "").expect("bench corpus folder is writable");
    }
    dir
}

/// The one article of a one-article corpus.
pub fn article(size: usize, annotations: usize) -> PathBuf {
    corpus(1, size, annotations).join("0000/a000000.txt")
}

/// Articles 10 KB, 1 MB and 10 MB, with 10 or 10,000 annotations: `(label, bytes, annotations)`.
pub const ARTICLES: [(&str, usize, usize); 6] = [
    ("10KB/10", 10_000, 10),
    ("10KB/10000", 10_000, 10_000),
    ("1MB/10", 1_000_000, 10),
    ("1MB/10000", 1_000_000, 10_000),
    ("10MB/10", 10_000_000, 10),
    ("10MB/10000", 10_000_000, 10_000),
];

pub fn article_for(label: &str) -> PathBuf {
    let (_, size, anns) = ARTICLES.iter().find(|a| a.0 == label).expect("a known article");
    article(*size, *anns)
}

/// The search benchmark's literal (see gen_corpus: about one paragraph in fifty).
pub const NEEDLE: &str = "Kuleba declined";
