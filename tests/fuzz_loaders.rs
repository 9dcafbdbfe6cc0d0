//! Bounded fuzzing of everything that reads outside files, with proptest (a few seconds, in CI).
//!
//! - `AnnotationFile::parse` on arbitrary strings and on RON-shaped mutations of a real shipped
//!   annotation file (truncations, byte flips, deletions, inserted garbage and RON tokens):
//!   never panics, and every parse error carries a line and column inside the text, in the
//!   `file:line:column:` form people and editors jump to.
//! - `Document::open` on those files and on arbitrary article bytes, through real temp files:
//!   never panics; a file it cannot trust makes the document read-only with a reason naming
//!   the file, and is left byte for byte as it was.
//! - Past parsing, on the same files and on files whose offsets are rewritten to anything
//!   (reversed, past the end, `usize::MAX`): the document's byte spans are always inside the
//!   text and hold the quote, the TUI opens, draws and jumps to each annotation, every export
//!   format runs, and `show` and `stats` (the real binary) exit without a panic.
//! - Drawing an article with arbitrary text: no cell of the screen holds a control character
//!   or a bidi control, whatever the article says.
//!
//! Unbounded coverage-guided fuzzing of the same loader lives in `fuzz/` (cargo-fuzz, nightly,
//! outside CI).

mod drive;

use clap::ValueEnum;
use newsnote::export::{self, Format};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::document::Document;
use newsnote::model::store::{AnnotationFile, StoreError};
use newsnote::wrap::Wrapped;
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::Path;

const ARTICLE: &str = "000_e37f52fc02921a26.txt";

fn shipped_ron() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("annotations/000_e37f52fc02921a26.ron")).unwrap()
}

fn shipped_article() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles").join(ARTICLE)).unwrap()
}

/// Pieces of RON, and of trouble, to splice into a file.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "\\",
    "\\u{",
    "\\u{110000}",
    "r#\"",
    "/*",
    "//",
    "\n",
    "Some(",
    "None",
    "-1",
    "1e999",
    "18446744073709551616",
    "format: 99",
    "start: 4294967295",
    "label: Spokesman",
    "id: \"x\"",
    "article: \"other.txt\"",
    "\u{202e}",
    "\u{0}",
    "\u{feff}",
];

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(Index),
    Flip(Index, u8),
    Delete(Index, usize),
    Garbage(Index, Vec<u8>),
    Token(Index, usize),
    /// The chosen annotation's `start:` and `end:` rewritten, as a hand edit would.
    Offsets(Index, usize, usize),
}

/// Offsets a hand edit or another tool may leave: small, near the text's length, huge.
fn offset() -> impl Strategy<Value = usize> {
    prop_oneof![0..3000usize, 2000..2200usize, Just(usize::MAX), any::<usize>()]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<Index>(), 1..64usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, g)| Mutation::Garbage(i, g)),
        (any::<Index>(), 0..TOKENS.len()).prop_map(|(i, t)| Mutation::Token(i, t)),
        (any::<Index>(), offset(), offset()).prop_map(|(i, s, e)| Mutation::Offsets(i, s, e)),
    ]
}

/// Rewrites the `start:`/`end:` pair of one annotation (chosen by `i`) in RON text.
fn set_offsets(bytes: Vec<u8>, i: &Index, start: usize, end: usize) -> Vec<u8> {
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let re = regex::Regex::new(r"start: \d+,(\s*)end: \d+,").unwrap();
    let n = re.find_iter(&text).count();
    if n == 0 {
        return bytes;
    }
    let k = i.index(n);
    let mut seen = 0;
    re.replace_all(&text, |c: &regex::Captures| {
        seen += 1;
        if seen - 1 == k { format!("start: {start},{}end: {end},", &c[1]) } else { c[0].to_owned() }
    })
    .into_owned()
    .into_bytes()
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let at = |i: &Index| i.index(bytes.len() + 1);
        match m {
            Mutation::Truncate(i) => bytes.truncate(at(i)),
            Mutation::Flip(i, b) if !bytes.is_empty() => {
                let k = i.index(bytes.len());
                bytes[k] ^= b | 1;
            }
            Mutation::Flip(..) => {}
            Mutation::Delete(i, n) => {
                let k = at(i);
                bytes.drain(k..(k + n).min(bytes.len()));
            }
            Mutation::Garbage(i, g) => {
                let k = at(i);
                bytes.splice(k..k, g.iter().copied());
            }
            Mutation::Token(i, t) => {
                let k = at(i);
                bytes.splice(k..k, TOKENS[*t].bytes());
            }
            Mutation::Offsets(i, s, e) => bytes = set_offsets(bytes, i, *s, *e),
        }
    }
    bytes
}

/// The loader's promise for any text: a file, or an error saying where.
fn check_parse(text: &str) -> Result<(), TestCaseError> {
    let path = Path::new("dir/a.ron");
    match AnnotationFile::parse(path, text, ARTICLE) {
        Ok(_) => {}
        Err(e @ StoreError::Parse { line, col, .. }) => {
            let lines: Vec<&str> = text.split('\n').collect();
            prop_assert!(line >= 1 && line <= lines.len(), "line {line} of {}: {e}", lines.len());
            let width = lines[line - 1].chars().count();
            prop_assert!(col >= 1 && col <= width + 1, "column {col} of a {width}-char line: {e}");
            let shown = e.to_string();
            prop_assert!(shown.starts_with(&format!("dir/a.ron:{line}:{col}: ")), "{shown}");
        }
        Err(e @ StoreError::Foreign { line, .. }) => {
            prop_assert!(line >= 1 && line <= text.split('\n').count(), "line {line}: {e}");
            prop_assert!(e.to_string().starts_with(&format!("dir/a.ron:{line}: ")), "{e}");
        }
        Err(e) => prop_assert!(e.to_string().starts_with("dir/a.ron: "), "{e}"),
    }
    Ok(())
}

/// A temp corpus with the article and `ron` beside it; opens the document and checks the
/// promises that hold for any file.
fn check_open(article: &[u8], ron: Option<&[u8]>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), article).unwrap();
    if let Some(r) = ron {
        std::fs::write(dir.path().join("a.ron"), r).unwrap();
    }
    let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
    let Some(entry) = corpus.entries.first() else {
        // Skipped as binary: the scan said so.
        prop_assert!(corpus.warnings.iter().any(|w| w.contains("a.txt: skipped")), "{:?}", corpus.warnings);
        return Ok(());
    };
    let doc = Document::open(entry).unwrap();
    if let Some(why) = &doc.read_only {
        prop_assert!(why.contains("a.ron"), "the reason names the file: {why}");
    }
    let text = &doc.article.text;
    // Offsets mapped to the text: inside it, on char boundaries, holding the quote.
    prop_assert_eq!(doc.spans.len(), doc.annotations.len());
    for (a, span) in doc.annotations.iter().zip(&doc.spans) {
        if let Some(r) = span {
            prop_assert!(r.start <= r.end && r.end <= text.len(), "{:?} for {}..{}", r, a.start, a.end);
            prop_assert_eq!(text.get(r.as_range()), Some(a.quote.as_str()));
        }
    }
    // Every export format, from what `export::load` keeps.
    let (arts, _) = export::load(&corpus, &mut |_, _| {});
    for format in Format::value_variants() {
        let _ = export::export(*format, &arts, newsnote::model::codebook::Codebook::default_scheme());
    }
    // The TUI: open, draw, jump to every annotation from the sidebar, select and draw again.
    let mut app = drive::app_at(dir.path(), 80, 24);
    drive::draw(&app, 80, 24);
    drive::press(&mut app, "<enter><tab>");
    for _ in 0..doc.annotations.len().min(40) {
        drive::press(&mut app, "<enter><tab>j");
    }
    drive::press(&mut app, "<tab><tab>vGe");
    drive::draw(&app, 80, 24);
    drive::draw(&app, 20, 5);
    for width in [1, 7, 80] {
        // Wrapping, and mapping the end of the text to a screen cell and back.
        let w = Wrapped::new(&doc.article, width);
        let (row, col) = (w.row_of(text.len()), w.col_of(text, text.len()));
        prop_assert!(w.pos_at(text, row, col) <= text.len());
    }
    if let Some(r) = ron {
        prop_assert_eq!(std::fs::read(dir.path().join("a.ron")).unwrap(), r, "opening changed the file");
    }
    Ok(())
}

/// `show` and `stats` on the article and `ron`, as the real binary runs them: any exit but a
/// panic, and the file unchanged.
fn check_commands(article: &[u8], ron: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), article).unwrap();
    std::fs::write(dir.path().join("a.ron"), ron).unwrap();
    for args in [&["show", "a.txt"][..], &["stats", "."]] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_newsnote"))
            .args(args)
            .current_dir(dir.path())
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        prop_assert!(o.status.code().is_some_and(|c| c != 101) && !err.contains("panicked"), "{args:?}: {err}");
    }
    prop_assert_eq!(std::fs::read(dir.path().join("a.ron")).unwrap(), ron);
    Ok(())
}

/// Characters that would act on a terminal if drawn raw.
fn hazardous(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn article_text() -> impl Strategy<Value = String> {
    let hazard = prop_oneof![
        Just('\u{1b}'),
        Just('\u{7}'),
        Just('\r'),
        Just('\n'),
        Just('\u{85}'),
        Just('\u{9b}'),
        Just('\u{202e}'),
        Just('\u{2066}'),
        Just('\u{200b}'),
        Just('\u{301}'),
    ];
    prop::collection::vec(prop_oneof![3 => any::<char>(), 2 => hazard, 3 => Just(' '), 4 => Just('a')], 0..300)
        .prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsing_any_text_never_panics_and_errors_say_where(text in any::<String>()) {
        check_parse(&text)?;
    }

    #[test]
    fn parsing_a_mutated_shipped_file_never_panics_and_errors_say_where(
        mutations in prop::collection::vec(mutation(), 1..6)
    ) {
        let bytes = mutate(shipped_ron(), &mutations);
        check_parse(&String::from_utf8_lossy(&bytes))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn opening_a_mutated_annotation_file_never_panics_or_writes(
        mutations in prop::collection::vec(mutation(), 1..6)
    ) {
        let ron = mutate(shipped_ron(), &mutations);
        // The shipped file names its article: keep the name so only the mutation differs.
        let ron = String::from_utf8_lossy(&ron).replace(ARTICLE, "a.txt").into_bytes();
        check_open(&shipped_article(), Some(&ron))?;
    }

    #[test]
    fn annotations_with_any_offsets_open_draw_and_export_without_panicking(
        edits in prop::collection::vec((any::<Index>(), offset(), offset()), 1..8)
    ) {
        let mut ron = String::from_utf8_lossy(&shipped_ron()).replace(ARTICLE, "a.txt").into_bytes();
        for (i, s, e) in &edits {
            ron = set_offsets(ron, i, *s, *e);
        }
        check_open(&shipped_article(), Some(&ron))?;
    }

    #[test]
    fn opening_arbitrary_article_bytes_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
        text in article_text(),
    ) {
        check_open(&bytes, None)?;
        check_open(text.as_bytes(), Some(&shipped_ron()))?;
    }

    #[test]
    fn no_screen_cell_ever_holds_a_control_or_bidi_character(text in article_text()) {
        let dir = drive::corpus_of(&[("a.txt", &text)]);
        let mut app = drive::app(dir.path());
        // The title in the list and the reader, the text, then a tag quoted in the sidebar and
        // the status bar.
        drive::press(&mut app, "<enter>v$s");
        for (w, h) in [(120, 30), (40, 10)] {
            let term = drive::draw(&app, w, h);
            let buf = term.backend().buffer();
            for cell in buf.content() {
                let bad: Vec<char> = cell.symbol().chars().filter(|c| hazardous(*c)).collect();
                prop_assert!(bad.is_empty(), "{bad:?} drawn raw at {w}x{h}:\n{}", drive::screen_of(&term));
            }
        }
    }
}

proptest! {
    // Each case runs the real binary twice.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn show_and_stats_never_panic_on_any_offsets(
        edits in prop::collection::vec((any::<Index>(), offset(), offset()), 1..4),
        mutations in prop::collection::vec(mutation(), 0..3),
    ) {
        let mut ron = String::from_utf8_lossy(&shipped_ron()).replace(ARTICLE, "a.txt").into_bytes();
        for (i, s, e) in &edits {
            ron = set_offsets(ron, i, *s, *e);
        }
        check_commands(&shipped_article(), &mutate(ron, &mutations))?;
    }
}
