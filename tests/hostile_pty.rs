//! End-to-end: hostile text and hostile input against the real binary in a pseudo-terminal.
//!
//! An article whose title and body carry terminal escape sequences (clear screen, colours,
//! an OSC 52 clipboard write, an OSC 8 link), other C0 controls, C1 controls and bidi
//! overrides is opened, scrolled, tagged, attributed, noted, searched and filtered, so its
//! text reaches every place that draws outside text: the list, the reader's title and body,
//! the sidebar and its details, the source picker, status messages and prompts. Then every
//! byte the program wrote is scanned: none of the article's sequences or characters may be
//! there (ratatui and crossterm never write them themselves: no OSC, no BEL, no C1, no bidi
//! controls), and their placeholders (`␛`, `<U+202E>`) must be on screen.
//!
//! The same goes for every subcommand: a corpus whose file names and annotation ids carry
//! those sequences (a file name may hold any byte but `/` and NUL), with a binary file and a
//! broken link that are warned about by name, is listed, shown, tagged, exported in every
//! format, imported into, checked, counted and searched in a terminal, and every byte written
//! to stdout and stderr is scanned the same way. Sent to a pipe, the same output keeps the
//! exact bytes.
//!
//! The rest is input abuse: a 1×1 terminal under a storm of resizes, 10,000 `j` presses, and a
//! 200 KB paste into the search prompt; each must leave a program that answers and exits
//! cleanly.

mod common;

use common::pty::{ENTER, Session, TAB};
use newsnote::model::annotation::{Annotation, AnnotationId, LabelId};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::store::{AnnotationFile, Fingerprint};
use std::ffi::OsStr;
use std::path::Path;
use std::time::Instant;

/// The hostile title: every sequence here would act on a terminal if written raw.
const TITLE: &str = "Leak \x1b[2JWIPE \x1b[31mRED \x1b]52;c;SGVsbG8=\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \u{202e}evil\u{2066}iso";

/// A body line with the other C0 controls, C1 controls, bidi and zero-width characters.
const BODY: &str = "Kremlin spokesman Dmitry Peskov\x07 said\x08 no\rthen\x0bagain\x0cmore\u{85}next\u{9b}31mred \u{202e}reversed\u{2069} \u{2066}isolated\u{200b}zw.";

/// Line and paragraph separators, which some terminals take as line breaks.
const SEPARATORS: &str = "Separators\u{2028}line\u{2029}paragraph.";

/// What must never reach the terminal: the article's sequences and characters, as bytes.
const FORBIDDEN: &[(&str, &[u8])] = &[
    ("clear-screen payload", b"\x1b[2JWIPE"),
    ("colour payload", b"\x1b[31mRED"),
    ("any OSC (clipboard OSC 52, link OSC 8)", b"\x1b]"),
    ("BEL", b"\x07"),
    ("BS", b"\x08"),
    ("VT", b"\x0b"),
    ("FF", b"\x0c"),
    ("CR alone before the text after it", b"\rthen"),
    ("C1 NEL", "\u{85}".as_bytes()),
    ("C1 CSI", "\u{9b}".as_bytes()),
    ("RIGHT-TO-LEFT OVERRIDE", "\u{202e}".as_bytes()),
    ("LEFT-TO-RIGHT ISOLATE", "\u{2066}".as_bytes()),
    ("POP DIRECTIONAL ISOLATE", "\u{2069}".as_bytes()),
    ("ZERO WIDTH SPACE", "\u{200b}".as_bytes()),
    ("a DCS (device control string)", b"\x1bP"),
    ("LINE SEPARATOR", "\u{2028}".as_bytes()),
    ("PARAGRAPH SEPARATOR", "\u{2029}".as_bytes()),
];

/// A folder with the hostile article (plus plain paragraphs to scroll through).
fn hostile_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hostile.txt"), hostile_text()).unwrap();
    dir
}

/// The hostile article's text: the title, the body line, the separators, then plain lines.
fn hostile_text() -> String {
    let mut text = format!("{TITLE}\n{BODY}\n{SEPARATORS}\n");
    for i in 1..=60 {
        text.push_str(&format!("Plain paragraph {i} says nothing in particular.\n"));
    }
    text
}

/// An article's file name with a clear-screen payload, an OSC 52 clipboard write, an OSC 8
/// link, a DCS, a C1 CSI, a bidi override and a line separator (no `/`: not in a file name).
const NAME: &str = "n\x1b[2JWIPE \x1b]52;c;SGVsbG8=\x07 \x1b]8;;mailto:x\x1b\\l \x1bP1$qm\x1b\\ \u{9b}31mRED \u{202e}evil \u{2028}sep.txt";
/// How the sanitiser shows the start of [`NAME`]: what a terminal must show instead.
const NAME_SHOWN: &str = "n␛[2JWIPE ␛]52;c;SGVsbG8=␇ ␛]8;;mailto:x␛\\l ␛P1$qm␛\\ <U+009B>31mRED <U+202E>evil";
/// Annotation ids from the RON file: a Source, a claim's link to a Source that is not there,
/// and an annotation whose quote does not match the text (reported, never exported).
const SOURCE_ID: &str = "s\x1b]52;c;U291cmNl\x07\u{202e}";
const MISSING_ID: &str = "m\x1b[2JWIPE\u{9b}gone\u{2029}";
const MISFIT_ID: &str = "q\x1bP1$qm\x1b\\\u{85}";
/// A binary file and a broken link, warned about by name.
const BINARY_NAME: &str = "b\x1b]52;c;QmluYXJ5\x07\u{202e}.txt";
const LINK_NAME: &str = "l\x1b]52;c;TGluaw==\x07\u{2028}.txt";
/// A document in an import that matches no article.
const DOC_NAME: &str = "d\x1b]52;c;RG9j\x07\u{202e}";
/// An article that an imported document matches by its text, so its file is named on stdout.
const CLEAN_NAME: &str = "k\x1b]52;c;S2xlYW4=\x07\u{202e}.txt";
const CLEAN_TEXT: &str = "Кремль\nDmitry Peskov said talks would resume.\n";

/// A corpus whose file names and annotation ids are hostile, with the hostile article text,
/// its annotation file next to it, a binary file and a broken link.
fn hostile_names_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join(NAME), hostile_text()).unwrap();
    std::fs::write(d.join(BINARY_NAME), b"\x00\x01\x02binary\x00").unwrap();
    std::os::unix::fs::symlink("nowhere.txt", d.join(LINK_NAME)).unwrap();
    let corpus = Corpus::open(d, AnnotationRoot::NextToArticles).unwrap();
    let entry = corpus.entries.iter().find(|e| e.id == NAME).expect("the hostile name is an article");
    let article = newsnote::model::load::load(entry).unwrap();
    let text = &article.text;
    let ann = |quote: &str, label: LabelId, id: &str| {
        let at = text.find(quote).unwrap();
        let bytes = newsnote::model::units::ByteRange::new(at, at + quote.len());
        let chars = article.index.to_chars(text, bytes);
        let mut a = Annotation::new_manual(label, text, bytes, chars, "алиса", "2026-01-01T00:00:00Z");
        a.id = AnnotationId(id.into());
        a
    };
    let source = ann("Dmitry Peskov", LabelId::new("Source"), SOURCE_ID);
    let mut claim = ann("said", LabelId::new("Claim"), "c1");
    claim.links.insert("source".into(), vec![AnnotationId(SOURCE_ID.into())]);
    let mut dangling = ann("again", LabelId::new("Claim"), "c2");
    dangling.links.insert("source".into(), vec![AnnotationId(MISSING_ID.into())]);
    let mut misfit = ann("Plain paragraph 1 ", LabelId::new("Source"), MISFIT_ID);
    misfit.quote = "not \x1b]52;c;UXVvdGU=\x07 the text".into();
    let fp = Fingerprint::of(text, article.index.total_chars());
    let file = AnnotationFile::new(NAME, fp, vec![source, claim, dangling, misfit]);
    std::fs::write(&entry.ron_path, file.to_ron()).unwrap();
    dir
}

/// A brat folder with a document holding [`CLEAN_TEXT`] (it matches that article by its text)
/// and one with a hostile name that matches nothing.
fn hostile_brat_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let at = CLEAN_TEXT[..CLEAN_TEXT.find("Dmitry").unwrap()].chars().count();
    for (name, text, ann) in [
        ("plain", CLEAN_TEXT, format!("T1\tSource {at} {}\tDmitry\n", at + 6)),
        (DOC_NAME, "Nothing like any article.", String::new()),
    ] {
        std::fs::write(dir.path().join(format!("{name}.txt")), text).unwrap();
        std::fs::write(dir.path().join(format!("{name}.ann")), ann).unwrap();
    }
    dir
}

/// Runs `newsnote ARGS` in `dir` with stdout and stderr on a terminal; returns every byte
/// written and the exit code, after checking that none of the forbidden bytes is there and
/// that each of `shown` is (so the hostile text was printed, made safe).
fn on_a_terminal(dir: &Path, args: &[&str], shown: &[&str]) -> (Vec<u8>, u32) {
    let os: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let mut s = Session::start_args(dir, &os, 250, 60, &[]);
    let status = s.wait_exit();
    let raw = s.raw_bytes();
    let what = format!("newsnote {:?} on a terminal", String::from_utf8_lossy(&args.join(" ").into_bytes()));
    // 0 all well, 1 problems found, 2 a path that cannot be opened; a panic is 101.
    assert!(status.exit_code() <= 2, "{what}: exit {status:?}\n{}", s.screen_text());
    assert!(!String::from_utf8_lossy(&raw).contains("panicked"), "{what} panicked:\n{}", s.screen_text());
    assert_nothing_forbidden(&raw, &what);
    for text in shown {
        assert!(s.raw_contains(text.as_bytes()), "{what} prints {text:?}:\n{}", String::from_utf8_lossy(&raw));
    }
    (raw, status.exit_code())
}

#[test]
fn every_subcommand_sanitises_hostile_file_names_ids_and_text_for_a_terminal() {
    let dir = hostile_names_corpus();
    let d = dir.path();
    let binary_warning = "b␛]52;c;QmluYXJ5␇<U+202E>.txt: skipped: binary file";
    let link_warning = "l␛]52;c;TGluaw==␇⏎.txt: broken or looping link";
    let source_shown = "s␛]52;c;U291cmNl␇<U+202E>";
    let missing_shown = "m␛[2JWIPE<U+009B>gone⏎";
    let misfit_shown = "q␛P1$qm␛\\<U+0085>";

    on_a_terminal(d, &["list", "."], &[NAME_SHOWN, binary_warning, link_warning, "Leak ␛[2JWIPE"]);
    on_a_terminal(d, &["show", NAME], &["Leak ␛[2JWIPE", "Separators<U+2028>line<U+2029>paragraph", source_shown]);
    on_a_terminal(d, &["show", "absent", "--in", "."], &[binary_warning]);
    on_a_terminal(d, &["stats", "."], &[NAME_SHOWN, binary_warning, misfit_shown]);
    on_a_terminal(d, &["check", "."], &[NAME_SHOWN, missing_shown, misfit_shown, binary_warning]);
    on_a_terminal(d, &["check", "--json", "."], &[r"\u001b]52;c;SGVsbG8=\u0007", r"gone\u2029"]);
    on_a_terminal(d, &["search", "Peskov", "."], &[&format!("{NAME_SHOWN} ⏎sep.txt:2:"), link_warning]);
    on_a_terminal(d, &["completions", "bash"], &["newsnote"]);
    // `tag`'s messages name the article and the source it was given.
    let (_, code) = on_a_terminal(
        d,
        &["tag", NAME, "--label", "claim", "--quote", "Kremlin", "--source", MISSING_ID],
        &[&format!("no annotation {missing_shown} in {NAME_SHOWN}")],
    );
    assert_eq!(code, 1, "a missing source is a problem");
    on_a_terminal(d, &["tag", NAME, "--label", "source", "--quote", "absent"], &[&format!("in {NAME_SHOWN}")]);
    // Every export format that can go to stdout, each with the skipped annotation's message.
    for (format, shown) in [
        ("md", NAME_SHOWN),
        ("csv", NAME_SHOWN),
        ("html", "<U+202E>evil"),
        ("json", r"\u202eevil \u2028sep.txt"),
        ("jsonl", r"\u202eevil \u2028sep.txt"),
        ("w3c", "Leak"),
        ("doccano", r"\u202eevil"),
        ("labelstudio", r"\u202eevil"),
    ] {
        on_a_terminal(d, &["export", ".", "--format", format], &[shown, misfit_shown, binary_warning]);
    }
    // `import`: the matched article's file on stdout, the unmatched document's name on stderr.
    std::fs::write(d.join(CLEAN_NAME), CLEAN_TEXT).unwrap();
    let brat = hostile_brat_folder();
    let src = brat.path().to_str().unwrap();
    let matched = "k␛]52;c;S2xlYW4=␇<U+202E>.ron: 1 added, 0 already there";
    on_a_terminal(d, &["import", "--format", "brat", src, "--into", "."], &[matched, "d␛]52;c;RG9j␇<U+202E>.txt: no"]);
}

#[test]
fn the_tui_sanitises_hostile_file_names_and_warnings() {
    let dir = hostile_names_corpus();
    let mut s = Session::start(dir.path(), 200, 50);
    s.wait_mode("LIST");
    s.wait_for("Leak ␛[2JWIPE");
    // The binary file is listed first, marked `⊘` (not an article); the article is the second row.
    s.wait_for("⊘ b␛]52;c;QmluYXJ5␇<U+202E>.txt");
    s.send("j");
    s.send(ENTER);
    s.wait_mode("READ");
    s.wait_for("Separators<U+2028>line<U+2029>paragraph.");
    let raw = s.raw.clone();
    s.quit_with("q");
    assert_nothing_forbidden(&raw.lock().unwrap(), "the TUI on a corpus with hostile file names");
}

#[test]
fn exports_and_show_keep_the_exact_bytes_for_a_pipe() {
    let dir = hostile_names_corpus();
    let d = dir.path();
    let piped = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsnote")).args(args).current_dir(d).output();
        out.expect("run newsnote").stdout
    };
    let has = |out: &[u8], s: &str| out.windows(s.len()).any(|w| w == s.as_bytes());
    let show = piped(&["show", NAME]);
    assert!(has(&show, TITLE) && has(&show, SEPARATORS) && has(&show, SOURCE_ID), "show | …: exact bytes");
    for format in ["md", "csv"] {
        let out = piped(&["export", ".", "--format", format]);
        assert!(has(&out, NAME), "export --format {format} | …: the file name's exact bytes");
    }
    let json: serde_json::Value = serde_json::from_slice(&piped(&["export", ".", "--format", "json"])).unwrap();
    let art = &json["articles"][0];
    assert_eq!((art["id"].as_str(), art["title"].as_str()), (Some(NAME), Some(TITLE)), "export --format json | …");
    let check: serde_json::Value = serde_json::from_slice(&piped(&["check", "--json", "."])).unwrap();
    let messages: Vec<&str> = check.as_array().unwrap().iter().filter_map(|p| p["message"].as_str()).collect();
    assert!(messages.iter().any(|m| m.contains(MISSING_ID)), "check --json | …: the exact ids, {messages:?}");
}

fn sample_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles");
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    dir
}

fn assert_nothing_forbidden(raw: &[u8], what: &str) {
    for (name, needle) in FORBIDDEN {
        if let Some(at) = raw.windows(needle.len()).position(|w| w == *needle) {
            let from = at.saturating_sub(40);
            let context = String::from_utf8_lossy(&raw[from..(at + 40).min(raw.len())]).into_owned();
            panic!("{what}: the article's {name} reached the terminal raw at byte {at}: {context:?}");
        }
    }
}

/// In visual mode, extends the selection to the end of the next word starting with `word`.
fn select_to(s: &mut Session, word: &str) {
    // Selecting forward, a search takes the selection to the end of the match.
    s.send(&format!("/{word}{ENTER}"));
    s.wait_until(&format!("the search for {word:?} to run"), |s| !s.status_line().contains("Enter ok"));
}

/// The sidebar (columns 98..140 of a 140-column screen), one line per row.
fn sidebar(s: &Session) -> String {
    (1..44).map(|r| cols(s, r, 98, 140)).collect::<Vec<_>>().join("\n")
}

/// The part of screen row `row` that columns `from..to` show.
fn cols(s: &Session, row: u16, from: usize, to: usize) -> String {
    s.row(row).chars().skip(from).take(to - from).collect()
}

#[test]
fn hostile_article_text_never_reaches_the_terminal_raw_and_shows_as_placeholders() {
    let dir = hostile_corpus();
    // 140 columns: list 0..35, reader 35..98, sidebar 98..140.
    let mut s = Session::start(dir.path(), 140, 45);
    s.wait_mode("LIST");
    s.wait_for("Leak ␛[2JWIPE");
    let list_item = cols(&s, 1, 0, 35);
    assert!(list_item.contains("Leak ␛[2JWIPE ␛[31mRED"), "the list shows the title's escapes: {list_item:?}");
    let reader_title = cols(&s, 0, 35, 98);
    assert!(reader_title.contains("Leak ␛[2JWIPE ␛[31mRED ␛]52;c;"), "the reader's title: {reader_title:?}");

    // Read and scroll.
    s.send(ENTER);
    s.wait_mode("READ");
    s.wait_for("<U+202E>reversed<U+2069>");
    s.send("jjjjj");
    s.send("G");
    s.wait_for("Plain paragraph 60");
    s.send("g");
    s.wait_for("Leak ␛[2JWIPE");

    // The title line as a Source: quoted by the status bar, listed in the sidebar and details.
    s.send("v");
    s.wait_mode("VISUAL");
    select_to(&mut s, "iso");
    s.send("s");
    s.wait_status("tagged Source “Leak ␛[2JWIPE ␛[31mRED ␛]52;c;SGVsbG8=␇");
    s.wait_for("S Leak ␛[2JWIPE");
    let details = sidebar(&s);
    assert!(details.contains("“Leak ␛[2JWIPE"), "the details quote it:\n{details}");
    assert!(details.contains("<U+202E>evil<U+2066>iso”"), "bidi controls are named in the details:\n{details}");

    // The body line as a Claim, attributed through the picker, with a note typed in.
    s.search("Kremlin");
    s.send("v");
    s.wait_mode("VISUAL");
    select_to(&mut s, "zw");
    s.send("c");
    s.wait_status("tagged Claim “Kremlin spokesman Dmitry Peskov␇ said␈ n");
    s.wait_until("the claim's details", |s| sidebar(s).contains("<U+009B>31mred"));
    s.send("a");
    s.wait_mode("LINK");
    s.wait_for(" Leak ␛[2JWIPE");
    s.send(ENTER);
    s.wait_for("← Leak ␛[2JWIPE");
    s.send("m");
    s.wait_mode("NOTE");
    s.send("see \u{202e}here");
    s.wait_status("note: see <U+202E>here");
    s.send(ENTER);
    s.wait_for("note see <U+202E>here");

    // Search and filter prompts echo what is typed.
    s.send("/\u{2066}iso");
    s.wait_status("/<U+2066>iso");
    s.send(ENTER);
    s.wait_until("the search to run", |s| !s.status_line().contains("Enter ok"));
    s.send(TAB);
    s.wait_mode("SIDEBAR");
    s.send(TAB);
    s.wait_mode("LIST");
    s.send("/\u{202e}evil");
    s.wait_status("filter: <U+202E>evil");
    s.wait_for("Articles 1/1 /<U+202E>evil▏");
    s.send(ENTER);
    s.wait_status("1 article(s) match “<U+202E>evil”");
    let raw = s.raw.clone();
    s.quit_with("q");

    let raw = raw.lock().unwrap().clone();
    assert_nothing_forbidden(&raw, "the TUI");
    assert!(raw.windows(3).any(|w| w == "␛".as_bytes()), "placeholders were drawn");
    let saved = AnnotationFile::load(&dir.path().join("hostile.ron"), "hostile.txt").unwrap().unwrap();
    let notes: Vec<_> = saved.annotations.iter().filter_map(|a| a.note.as_deref()).collect();
    assert_eq!(notes, ["see \u{202e}here"], "the note is saved as typed; only its display is made safe");
    assert!(saved.annotations[0].quote.starts_with(TITLE), "the quote keeps the article's exact text");
}

#[test]
fn list_and_show_sanitise_for_a_terminal_and_keep_exact_bytes_for_a_pipe() {
    let dir = hostile_corpus();
    let d = dir.path();
    for args in [&["list", "."][..], &["show", "hostile.txt"][..]] {
        let os: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        let mut s = Session::start_args(d, &os, 200, 50, &[]);
        let status = s.wait_exit();
        assert!(status.success(), "newsnote {args:?}: {status:?}\n{}", s.screen_text());
        assert_nothing_forbidden(&s.raw_bytes(), &format!("newsnote {args:?} on a terminal"));
        for shown in ["Leak ␛[2JWIPE ␛[31mRED ␛]52;c;SGVsbG8=␇ ␛]8;;http://x␛\\link", "<U+202E>evil<U+2066>iso"]
        {
            assert!(s.raw_contains(shown.as_bytes()), "newsnote {args:?} prints {shown:?}:\n{}", s.screen_text());
        }

        let piped = std::process::Command::new(env!("CARGO_BIN_EXE_newsnote")).args(args).current_dir(d).output();
        let piped = piped.expect("run newsnote");
        let title_bytes = TITLE.as_bytes();
        assert!(
            piped.stdout.windows(title_bytes.len()).any(|w| w == title_bytes),
            "newsnote {args:?} | …: scripts get the title's exact bytes"
        );
    }
}

#[test]
fn a_1x1_terminal_survives_a_storm_of_200_resizes_while_keys_arrive() {
    let dir = sample_corpus();
    std::fs::copy(hostile_corpus().path().join("hostile.txt"), dir.path().join("hostile.txt")).unwrap();
    let mut s = Session::start(dir.path(), 1, 1);
    s.wait_until("a first frame", |s| s.raw_len() > 0);
    let sizes = [(1, 1), (2, 1), (1, 2), (3, 3), (80, 24), (10, 3), (200, 60), (79, 5), (81, 2), (1, 40), (300, 1)];
    let keys = ["j", "k", "G", "g", ENTER, "}", "{", "v", "$", "v", TAB, "j", "w", "b", "l", TAB, "k", ")", TAB];
    for i in 0..200 {
        let (cols, rows) = sizes[i % sizes.len()];
        s.resize(cols, rows);
        s.send(keys[i % keys.len()]);
        assert!(s.alive(), "newsnote died at resize {i} ({cols}x{rows}); screen:\n{}", s.screen_text());
    }
    s.resize(120, 40);
    s.wait_for("Articles 3/3");
    s.wait_for("Annotations (");
    s.quit_with("q");
}

#[test]
fn ten_thousand_j_presses_then_q_exit_cleanly() {
    let dir = sample_corpus();
    let mut s = Session::start(dir.path(), 120, 40);
    s.wait_mode("LIST");
    s.send(ENTER);
    s.wait_mode("READ");
    let started = Instant::now();
    // `?` after them opens the help, a state the presses never pass through: once it shows,
    // every `j` before it has been handled (input is read in order).
    s.send_within_deadline(format!("{}?", "j".repeat(10_000)).as_bytes());
    s.wait_mode("HELP");
    s.send("?");
    s.wait_mode("READ");
    let status = s.status_line();
    let pos = status.split(" · char").next().and_then(|l| l.rsplit(' ').next()).unwrap_or("");
    let (row, rows) = pos.split_once('/').unwrap_or_else(|| panic!("no ROW/ROWS in {status:?}"));
    assert_eq!(row, rows.trim_start_matches('~'), "the cursor stops on the last row: {status}");
    println!("10,000 j handled in {:?}", started.elapsed());
    s.quit_with("q");
}

#[test]
fn a_200_kb_paste_into_the_search_prompt_does_not_hang_and_esc_returns() {
    let dir = sample_corpus();
    let mut s = Session::start(dir.path(), 120, 40);
    s.wait_mode("LIST");
    s.send(ENTER);
    s.wait_mode("READ");
    s.send("/");
    s.wait_mode("SEARCH");
    let started = Instant::now();
    // One write of 200 KB, as a terminal delivers a paste without bracketed-paste mode.
    let paste: String = (0..200 * 1024).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    s.send_within_deadline(paste.as_bytes());
    let tail = &paste[paste.len() - 20..];
    s.wait_until("the end of the paste in the prompt", |s| {
        let status = s.status_line();
        status.contains(&format!("…{tail}")) || status.contains(&format!("{tail}  Enter ok"))
    });
    assert!(s.status_line().contains("Enter ok · Esc cancel"), "the hint stays in view: {}", s.status_line());
    println!("200 KB paste echoed in {:?}", started.elapsed());
    s.send("\x1b");
    s.wait_mode("READ");
    s.quit_with("q");
}
