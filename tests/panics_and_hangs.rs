//! Panics and hangs that hostile files and pastes caused, each reproduced once: through the
//! real binary for the subcommands, through the real input path (`drive`) for the TUI.
//!
//! The hang tests prove speed by size, never by a clock: each input is large enough that the
//! old quadratic behaviour ran for minutes, while the linear one finishes in well under a
//! second even unoptimised. A test here that suddenly takes minutes is a regression.

mod drive;

use newsnote::model::store::{AnnotationFile, Fingerprint};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent};
use std::path::Path;
use std::process::{Command, Output};

fn newsnote(args: &[&str], cwd: &Path) -> Output {
    newsnote_with(args, cwd, &[])
}

fn newsnote_with(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsnote"));
    c.args(args).current_dir(cwd).env("RUST_BACKTRACE", "0").env("USER", "hangs-test");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run newsnote")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code; a panic (101) fails the test with what it printed.
fn code(o: &Output, what: &str) -> i32 {
    let code = o.status.code().expect("exited normally");
    assert!(code != 101 && !stderr(o).contains("panicked"), "{what} panicked:\n{}", stderr(o));
    code
}

const TEXT: &str = "Песков сказал: «нет». 👍🏽\n";

/// `a.txt` and an `a.ron` with the right fingerprint: a good Source and a Claim whose start
/// is after its end, as a hand edit or another tool leaves it.
fn reversed_corpus() -> (tempfile::TempDir, String) {
    let chars = TEXT.chars().count();
    let fp = Fingerprint::of(TEXT, chars);
    let ann = |id: &str, label: &str, s: usize, e: usize, q: &str| {
        format!(
            "(id: \"{id}\", label: {label}, start: {s}, end: {e}, quote: \"{q}\", prefix: \"\", suffix: \"\", \
             author: \"t\", created: \"x\", modified: \"x\"),\n"
        )
    };
    let ron = format!(
        "(format: 1, article: \"a.txt\", fingerprint: (chars: {chars}, fnv1a64: \"{}\"), annotations: [\n{}{}])\n",
        fp.fnv1a64,
        ann("s", "Source", 0, 6, "Песков"),
        ann("r", "Claim", 16, 3, "нет"),
    );
    let dir = drive::corpus_of(&[("a.txt", TEXT), ("a.ron", &ron)]);
    (dir, ron)
}

#[test]
fn an_annotation_that_starts_after_it_ends_panics_no_command_and_is_kept_untouched() {
    let (dir, ron) = reversed_corpus();
    let d = dir.path();
    let o = newsnote(&["show", "a.txt"], d);
    assert_eq!(code(&o, "show"), 1);
    assert!(String::from_utf8_lossy(&o.stdout).contains("[Source: Песков]"), "the good one is shown");
    assert!(stderr(&o).contains("annotation r (\"нет\") does not match the article text"), "{}", stderr(&o));
    assert_eq!(code(&newsnote(&["stats", "."], d), "stats"), 1);
    for format in ["json", "jsonl", "csv", "md", "html", "w3c", "doccano", "labelstudio"] {
        let o = newsnote(&["export", ".", "--format", format], d);
        assert_eq!(code(&o, format), 1, "{format}: {}", stderr(&o));
    }
    for format in ["brat", "citron"] {
        let out = d.join(format!("out-{format}"));
        let o = newsnote(&["export", ".", "--format", format, "-o", out.to_str().unwrap()], d);
        assert_eq!(code(&o, format), 1, "{format}: {}", stderr(&o));
    }
    let o = newsnote(&["check", "."], d);
    assert_eq!(code(&o, "check"), 1);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("a.ron:3: error[offsets-out-of-range]: r starts after it ends (16..3)"), "{out}");
    assert_eq!(std::fs::read_to_string(d.join("a.ron")).unwrap(), ron, "reading changed nothing");

    // The TUI opens it, draws it and says so; jumping to it explains why it cannot.
    let mut app = drive::app(d);
    let shown = drive::screen_of(&drive::draw(&app, 100, 30));
    assert!(shown.contains("do not match the text"), "{shown}");
    drive::press(&mut app, "<tab><tab>j<enter>");
    assert!(app.message.as_ref().is_some_and(|m| m.text.contains("does not match the text")), "{:?}", app.message);
    drive::draw(&app, 100, 30);

    // A tag keeps it exactly as it was, beside the new annotation.
    let o = newsnote(&["tag", "a.txt", "--label", "claim", "--quote", "сказал"], d);
    assert_eq!(code(&o, "tag"), 0, "{}", stderr(&o));
    let f = AnnotationFile::load(&d.join("a.ron"), "a.txt").unwrap().unwrap();
    let r = f.annotations.iter().find(|a| a.id.0 == "r").expect("kept");
    assert_eq!((r.start, r.end, r.quote.as_str(), r.anchor.is_none()), (16, 3, "нет", true));
    assert_eq!(f.annotations.len(), 3);
}

#[test]
fn show_and_tag_given_a_binary_article_by_path_say_why_instead_of_panicking() {
    let dir = drive::corpus_of(&[("ok.txt", "Текст\n")]);
    std::fs::write(dir.path().join("bin.txt"), b"PK\x03\x04\x00\x00binary").unwrap();
    for args in [&["show", "bin.txt"][..], &["tag", "bin.txt", "--label", "source", "--quote", "PK"]] {
        let o = newsnote(args, dir.path());
        assert_eq!(code(&o, args[0]), 1, "{}", stderr(&o));
        assert!(
            stderr(&o).contains("not opened: bin.txt: skipped: binary file (a NUL byte at offset 4)"),
            "{}",
            stderr(&o)
        );
    }
    assert!(!dir.path().join("bin.ron").exists());
}

/// A file `len` bytes long whose first 9,000 bytes are text (so it is no binary file) and
/// whose rest is a hole: sparse, so the test writes almost nothing.
fn sparse_article(path: &Path, len: u64) {
    let head = format!("Огромная статья\n\n{}\n", "Текст. ".repeat(800));
    std::fs::write(path, head).unwrap();
    std::fs::OpenOptions::new().write(true).open(path).unwrap().set_len(len).unwrap();
}

#[test]
fn an_article_over_the_size_limit_is_refused_with_its_name_size_and_the_limit_everywhere() {
    let dir = drive::corpus_of(&[("ok.txt", "Текст статьи\n")]);
    let d = dir.path();
    sparse_article(&d.join("big.txt"), (64 << 20) + 1);
    let said = "big.txt: cannot read: 64.0 MiB (67108865 bytes) is over the 64 MiB limit for one article; \
                NEWSNOTE_MAX_ARTICLE_BYTES=BYTES raises it";
    let o = newsnote(&["list", "."], d);
    assert_eq!(code(&o, "list"), 0);
    assert!(stderr(&o).contains(said), "{}", stderr(&o));
    for args in [
        &["show", "big.txt"][..],
        &["tag", "big.txt", "--label", "source", "--quote", "Текст"],
        &["check", "."],
        &["export", ".", "--format", "json"],
        &["stats", "."],
        &["search", "текст", "."],
    ] {
        let o = newsnote(args, d);
        code(&o, args[0]);
        assert!(stderr(&o).contains(said), "{args:?}:\n{}", stderr(&o));
    }
    // Commands that cannot do their work without it fail.
    for args in [&["show", "big.txt"][..], &["tag", "big.txt", "--label", "source", "--quote", "Текст"]] {
        assert!(code(&newsnote(args, d), args[0]) != 0, "{args:?}");
    }
    assert!(!d.join("big.ron").exists());

    // The TUI lists it, says why at once, and opening it repeats the reason.
    let mut app = drive::app(d);
    let first = app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default();
    assert!(first.contains(said), "{first}");
    let row = drive::screen(&app, 120, 40).lines().find(|l| l.contains("big.txt")).map(str::to_owned);
    assert!(row.as_deref().is_some_and(|r| r.contains('⊘')), "marked as no article: {row:?}");
    drive::press(&mut app, "g<enter>");
    let opened = app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default();
    assert!(opened.contains(said), "{opened}");
    assert!(app.open.as_ref().is_none_or(|o| o.doc.article.id == "ok.txt"));
}

#[test]
fn the_size_limit_can_be_changed_with_an_environment_variable() {
    let dir = drive::corpus_of(&[("a.txt", &"Длинная строка. ".repeat(20))]);
    let o = newsnote_with(&["show", "a.txt"], dir.path(), &[("NEWSNOTE_MAX_ARTICLE_BYTES", "100")]);
    assert_eq!(code(&o, "show"), 1);
    assert!(stderr(&o).contains("over the 100 B limit for one article"), "{}", stderr(&o));
    let o = newsnote_with(&["show", "a.txt"], dir.path(), &[("NEWSNOTE_MAX_ARTICLE_BYTES", "1000")]);
    assert_eq!(code(&o, "show"), 0, "{}", stderr(&o));
}

fn type_char(app: &mut newsnote::app::App, c: char) {
    drive::send(app, Event::Key(KeyEvent::from(KeyCode::Char(c))));
}

/// 2,000 articles and a 100 KB paste into the list filter, one key event per character as a
/// terminal without bracketed paste delivers it. Refiltering the corpus per character (a
/// haystack built and lowercased per article, the whole filter lowercased, per key) took
/// about a minute here; narrowing what is shown takes a fraction of a second.
#[test]
fn a_100_kb_paste_into_the_list_filter_on_2000_articles_answers_at_once() {
    let files: Vec<(String, String)> =
        (0..2000).map(|i| (format!("{i:04}.txt"), format!("Статья {i}: переговоры в Стамбуле\n\nТекст.\n"))).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let dir = drive::corpus_of(&refs);
    let mut app = drive::app(dir.path());
    drive::press(&mut app, "/");
    // Every article matches all the way through the paste, so the list never empties early.
    let paste = "переговоры в стамбуле ".repeat(2600);
    assert!(paste.len() > 100_000);
    for c in paste.chars() {
        type_char(&mut app, c);
    }
    assert_eq!(app.list.filter, paste);
    assert_eq!(app.list.visible.len(), 2000);
    for c in "0 ".chars() {
        type_char(&mut app, c);
    }
    // The ids and titles with a 0 in them.
    let with_zero = (0..2000).filter(|i| format!("{i:04}").contains('0')).count();
    assert_eq!(app.list.visible.len(), with_zero);
    drive::press(&mut app, "<backspace><backspace>");
    assert_eq!(app.list.visible.len(), 2000, "erasing recomputes the list");
    drive::press(&mut app, "<esc>");
    assert_eq!((app.list.filter.as_str(), app.list.visible.len()), ("", 2000));
}

/// A page of 100,000 flags: `b` from the end once counted the run of regional indicators
/// from its start at every grapheme step, about 10^10 steps (minutes, and `q` unanswered).
#[test]
fn word_motions_over_a_page_of_flags_answer_and_q_still_quits() {
    let text = format!("Флаги: {}\n", "🇺🇦".repeat(100_000));
    let dir = drive::corpus_of(&[("flags.txt", &text)]);
    let mut app = drive::app(dir.path());
    drive::press(&mut app, "<enter>G");
    let end = app.reader.cursor;
    drive::press(&mut app, "b");
    let b = app.reader.cursor;
    assert!(b < end && end - b <= newsnote::model::motion::MAX_SCAN + 8, "b moved {} bytes", end - b);
    drive::press(&mut app, "bwe()hl");
    drive::draw(&app, 80, 24);
    drive::press(&mut app, "q");
    assert!(app.should_quit);
}
