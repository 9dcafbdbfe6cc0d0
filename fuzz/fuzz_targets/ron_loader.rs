//! Coverage-guided fuzzing of the annotation-file loader, outside CI (CI runs the bounded
//! proptest version in `tests/fuzz_loaders.rs`).
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
//! The promise checked: any bytes give a file or an error, never a panic, and a parse error
//! points at a line and column inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use newsnote::model::store::{AnnotationFile, StoreError};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // newsnote reads annotation files as UTF-8 text; other bytes never reach the parser.
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(StoreError::Parse { line, col, .. }) = AnnotationFile::parse(Path::new("f.ron"), text, "a.txt") {
        let lines: Vec<&str> = text.split('\n').collect();
        assert!(line >= 1 && line <= lines.len(), "line {line} of {}", lines.len());
        assert!(col >= 1 && col <= lines[line - 1].chars().count() + 1, "column {col}");
    }
});
