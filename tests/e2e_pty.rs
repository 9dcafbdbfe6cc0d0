//! End-to-end tests: the real `newsnote` binary in a pseudo-terminal.
//!
//! Each test copies the sample articles into its own temp folder, starts the binary there in
//! a PTY (portable-pty), feeds the output into a terminal emulator (vt100) and types keys and
//! mouse reports as bytes, like a person at a terminal would. Synchronisation is always
//! "wait until the screen (or the process) shows X, with a deadline", never a fixed sleep, so
//! the tests are as fast as the binary and fail with the screen printed when it misbehaves.
//! What the app promises is checked where it matters: the RON files on disk (read back with
//! the library) and the terminal state left behind on exit.

mod common;

use common::pty::{Session, start};
use newsnote::model::annotation::{Annotation, LabelId};
use newsnote::model::store::AnnotationFile;
use std::path::{Path, PathBuf};

const FIRST: &str = "000_e37f52fc02921a26";
const SECOND: &str = "002_915808095f53d4db";

use common::pty::{CTRL_C, CTRL_R, ENTER, TAB};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// A temp folder holding copies of the sample articles (and nothing else).
fn sample_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles");
    for name in [FIRST, SECOND] {
        let from = src.join(format!("{name}.txt"));
        std::fs::copy(&from, dir.path().join(format!("{name}.txt"))).unwrap_or_else(|e| panic!("{from:?}: {e}"));
    }
    dir
}

fn article_text(dir: &Path, stem: &str) -> String {
    std::fs::read_to_string(dir.join(format!("{stem}.txt"))).expect("article text")
}

/// The annotations on disk for an article (none when there is no file yet).
fn on_disk(dir: &Path, stem: &str) -> Vec<Annotation> {
    let path = dir.join(format!("{stem}.ron"));
    match AnnotationFile::load(&path, &format!("{stem}.txt")) {
        Ok(Some(f)) => f.annotations,
        Ok(None) => Vec::new(),
        Err(e) => panic!("{} does not load: {e}", path.display()),
    }
}

/// Code-point offset of the first occurrence of `needle` in `text`.
fn char_offset(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} is not in the article"));
    text[..byte].chars().count()
}

/// The code points `start..end` of `text`.
fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Checks an annotation's offsets are code points into `text` and agree with its quote.
fn assert_offsets_match(text: &str, a: &Annotation) {
    assert!(a.start < a.end && a.end <= text.chars().count(), "bad span {}..{} in {a:?}", a.start, a.end);
    assert_eq!(
        chars(text, a.start, a.end),
        a.quote,
        "text at {}..{} (code points) differs from the quote",
        a.start,
        a.end
    );
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

/// The issue's flow: a source, a claim attributed to it and a donation appeal, tagged with
/// the keyboard, saved in code points, and shown again after a restart.
#[test]
fn tagging_source_claim_and_boilerplate_is_saved_and_shown_after_restart() {
    let dir = sample_corpus();
    let d = dir.path();
    let first = article_text(d, FIRST);
    let second = article_text(d, SECOND);
    let mut s = start(d);
    #[cfg(target_os = "linux")]
    assert!(s.canonical_before && !s.canonical(), "newsnote switches a line-mode terminal to raw mode");
    assert!(s.parser.lock().unwrap().screen().alternate_screen(), "newsnote draws on the alternate screen");

    // Source: "Dmitry Peskov" in the first article.
    s.send(ENTER);
    s.wait_mode("READ");
    s.wait_status(&format!("{FIRST}.txt"));
    s.search("Dmitry Peskov");
    s.send("v");
    s.wait_mode("VISUAL");
    s.send("ee");
    // On the last letter of "Peskov".
    s.wait_cursor(char_offset(&first, "Dmitry Peskov") + 12);
    s.send("s");
    s.wait_status("tagged Source “Dmitry Peskov”");
    s.wait_for("S Dmitry Peskov");

    // Claim: the quotation around "who is behind", attributed to that source.
    s.search("who is behind");
    s.send("v");
    s.wait_mode("VISUAL");
    s.send("iq");
    // On the full stop before the closing quotation mark.
    s.wait_cursor(char_offset(&first, ".” He recalled"));
    s.send("c");
    s.wait_status("tagged Claim “who is behind");
    s.wait_for("Annotations (2)");
    s.send("a");
    s.wait_mode("LINK");
    let (none_row, _) = s.find_or_fail("(no source)");
    let above = s.row(none_row - 1);
    assert!(above.contains("Dmitry Peskov"), "the picker lists Dmitry Peskov first, then (no source): {above:?}");
    s.send("\x1b[A\x1b[A"); // up to the first choice, whatever was preselected
    s.send(ENTER);
    s.wait_status("claim attributed to “Dmitry Peskov”");
    s.wait_for("← Dmitry Peskov");

    // Boilerplate: the donation appeal in the second article, from its first to its last line.
    s.send(TAB);
    s.wait_mode("SIDEBAR");
    s.send(TAB);
    s.wait_mode("LIST");
    s.send("j");
    s.send(ENTER);
    s.wait_status(&format!("{SECOND}.txt"));
    s.wait_mode("READ");
    s.search("Understand the importance of honest news");
    s.send("v");
    s.wait_mode("VISUAL");
    s.search("Click to donate by check");
    s.wait_mode("VISUAL");
    s.send("$");
    s.wait_cursor(char_offset(&second, "Click to donate by check.") + 24);
    s.send("x");
    s.wait_mode("VALUE");
    s.wait_for("donation appeal");
    s.send("d");
    s.wait_status("tagged Boilerplate (donation appeal)");
    s.wait_for("B donation appeal: Understand");
    s.quit_with("q");

    // On disk, read with the library.
    let anns = on_disk(d, FIRST);
    assert_eq!(anns.len(), 2, "{anns:#?}");
    let source = anns.iter().find(|a| a.label == LabelId::new("Source")).expect("a Source");
    let claim = anns.iter().find(|a| a.label == LabelId::new("Claim")).expect("a Claim");
    assert_eq!(source.quote, "Dmitry Peskov");
    assert_eq!(source.start, char_offset(&first, "Dmitry Peskov"));
    assert_eq!(source.end, source.start + "Dmitry Peskov".chars().count());
    assert_eq!(claim.quote, "who is behind the barbaric missile attack on Sevastopol.");
    // Inside the curly quotes: starts just after “, ends just before ”.
    assert_eq!(claim.start, char_offset(&first, "“who is behind") + 1);
    assert_eq!(chars(&first, claim.end, claim.end + 1), "”");
    assert_eq!(claim.linked("source").first(), Some(&source.id), "the claim is attributed to the source");
    for a in &anns {
        assert_offsets_match(&first, a);
        assert_eq!(a.author, "alice");
    }
    // The text before the claim has multi-byte chars (’), so byte offsets would differ.
    assert_ne!(claim.start, first.find("who is behind").unwrap(), "offsets must be code points, not bytes");

    let anns = on_disk(d, SECOND);
    assert_eq!(anns.len(), 1, "{anns:#?}");
    let b = &anns[0];
    assert_eq!(b.label, LabelId::new("Boilerplate"));
    assert_eq!(b.attributes.get("kind").map(|v| v.to_string()).as_deref(), Some("DonationAppeal"));
    let from = second.find("Understand the importance of honest news").unwrap();
    let to = second.find("Click to donate by check.").unwrap() + "Click to donate by check.".len();
    assert_eq!(b.quote, second[from..to]);
    assert!(b.quote.starts_with("Understand the importance of honest news ?\n\nSo do we."), "{:?}", b.quote);
    assert!(b.quote.ends_with("Thank you.\n\nClick to donate by check."), "{:?}", b.quote);
    assert_eq!((b.start, b.end), (second[..from].chars().count(), second[..to].chars().count()));
    assert_offsets_match(&second, b);
    assert!(b.linked("source").is_empty());

    // A new run shows them again: counts in the list, lines in the sidebar.
    let mut s = start(d);
    s.wait_for("1·1·0");
    s.wait_for("0·0·1");
    s.send(ENTER);
    s.wait_mode("READ");
    s.wait_for("Annotations (2)");
    s.wait_for("S Dmitry Peskov");
    s.wait_for("C who is behind");
    s.wait_for("← Dmitry Peskov");
    let (row, _) = s.find_or_fail("C who is behind");
    let (row2, _) = s.find_or_fail("← Dmitry Peskov");
    assert_eq!(row, row2, "the claim line names its source");
    s.send(TAB);
    s.wait_mode("SIDEBAR");
    s.send(TAB);
    s.wait_mode("LIST");
    s.send("j");
    s.send(ENTER);
    s.wait_status(&format!("{SECOND}.txt"));
    s.wait_for("B donation appeal: Understand");
    s.wait_for("Annotations (1)");
    s.quit_with("q");

    // Looking did not change anything.
    assert_eq!(on_disk(d, FIRST).len(), 2);
    assert_eq!(on_disk(d, SECOND).len(), 1);
}

/// `u` takes the last annotation off the disk, Ctrl-R puts the same one back, in order.
#[test]
fn undo_and_redo_change_the_file_on_disk() {
    let dir = sample_corpus();
    let d = dir.path();
    let text = article_text(d, FIRST);
    let mut s = start(d);
    s.send(ENTER);
    s.wait_mode("READ");

    s.send("v");
    s.wait_mode("VISUAL");
    s.send("e");
    s.send("s");
    s.wait_status("tagged Source “Russian”");
    s.wait_status("✓ saved");
    let after_source = on_disk(d, FIRST);
    assert_eq!(after_source.len(), 1);
    assert_eq!((after_source[0].label.clone(), after_source[0].quote.as_str()), (LabelId::new("Source"), "Russian"));

    s.send("w");
    s.send("v");
    s.wait_mode("VISUAL");
    s.send("e");
    s.send("c");
    s.wait_status("tagged Claim “President”");
    s.wait_status("✓ saved");
    let both = on_disk(d, FIRST);
    assert_eq!(both.len(), 2, "{both:#?}");
    let claim = both.iter().find(|a| a.label == LabelId::new("Claim")).expect("the claim").clone();
    assert_eq!(claim.quote, "President");
    assert_eq!(claim.start, char_offset(&text, "President"));
    assert_offsets_match(&text, &claim);

    s.send("u");
    s.wait_for("Annotations (1)");
    s.wait_status("undone");
    assert_eq!(on_disk(d, FIRST), after_source, "undo removes the claim from the file, nothing else");

    s.send(CTRL_R);
    s.wait_for("Annotations (2)");
    s.wait_status("redone");
    assert_eq!(on_disk(d, FIRST), both, "redo writes back the very same claim (same id, same times)");

    s.send("u");
    s.wait_for("Annotations (1)");
    s.send("u");
    s.wait_for("Annotations (0)");
    assert_eq!(on_disk(d, FIRST), vec![], "undoing everything leaves no annotation on disk");
    s.send(CTRL_R);
    s.wait_for("Annotations (1)");
    assert_eq!(on_disk(d, FIRST), after_source, "redo replays in order: the source first");
    s.quit_with("q");
    assert_eq!(on_disk(d, FIRST), after_source);
}

/// Shrinking the terminal to nothing and back, with keys pressed meanwhile, never kills the
/// program, and both q and Ctrl-C leave a usable terminal behind.
#[test]
fn tiny_resizes_do_not_panic_and_q_or_ctrl_c_restore_the_terminal() {
    let dir = sample_corpus();
    let d = dir.path();
    let mut s = start(d);
    s.send(ENTER);
    s.wait_mode("READ");
    s.wait_for("Russian President Vladimir Putin");

    for (cols, rows) in [(1, 1), (10, 3), (2, 2), (1, 1)] {
        let before = s.raw_len();
        s.resize(cols, rows);
        s.wait_until(&format!("a redraw at {cols}x{rows}"), |s| s.raw_len() > before);
        // Keys that move, scroll, switch panes and open overlays at this size.
        // (No Esc: followed at once by another key it would read as Alt+key.)
        for keys in ["j", "}", "G", "v", "$", "v", "?", "?", TAB, TAB, TAB, "g"] {
            s.send(keys);
        }
        if (cols, rows) == (10, 3) {
            // The narrow layout shows the focused pane and the mode in the status bar.
            s.wait_until("the 10x3 status bar", |s| s.status_line().contains("READ"));
        }
        assert!(s.alive(), "newsnote died at {cols}x{rows}; screen:\n{}", s.screen_text());
    }

    s.resize(120, 40);
    s.wait_for("Russian President Vladimir Putin");
    s.wait_for("Annotations (0)");
    s.wait_for("Articles 2/2");
    s.wait_mode("READ");
    s.wait_status(&format!("{FIRST}.txt"));
    s.quit_with("q");

    // Ctrl-C quits as cleanly, here from the middle of a selection.
    let mut s = start(d);
    s.send(ENTER);
    s.wait_mode("READ");
    s.send("v");
    s.wait_mode("VISUAL");
    s.quit_with(CTRL_C);
    assert_eq!(on_disk(d, FIRST), vec![], "quitting saves nothing that was not tagged");
}

/// A RON file that does not parse: the article still opens, the status bar says where the
/// file is broken, tagging is refused and the file keeps its bytes.
#[test]
fn a_corrupt_annotation_file_is_reported_and_never_overwritten() {
    let dir = sample_corpus();
    let d = dir.path();
    let ron = d.join(format!("{FIRST}.ron"));
    let corrupt = "(format: 1, oops";
    std::fs::write(&ron, corrupt).unwrap();
    let files_before = list_dir(d);

    // Wide enough for the whole message.
    let mut s = Session::start(d, 250, 40);
    s.wait_mode("LIST");
    s.send(ENTER);
    s.wait_mode("READ");
    s.wait_for("Russian President Vladimir Putin");
    // "oops" is where a field name's colon was expected: line 1, column 13.
    let col = corrupt.find("oops").unwrap() + 1;
    s.wait_status(&format!("{FIRST}.ron:1:{col}:"));
    s.wait_status("read-only");
    assert!(s.status_line().contains(&ron.display().to_string()), "the full path is given: {}", s.status_line());

    s.send("v");
    s.wait_mode("VISUAL");
    s.send("e");
    s.send("s");
    s.wait_status("read-only, not changed");
    s.wait_for("Annotations (0)");
    // Esc clears the message, so the next refusal is seen afresh.
    s.send("\x1b");
    s.wait_until("the message to clear", |s| !s.status_line().contains("not changed"));
    s.send("v");
    s.wait_mode("VISUAL");
    s.send("x");
    s.wait_mode("VALUE");
    s.send("d");
    s.wait_mode("READ");
    s.wait_status("read-only, not changed");
    s.wait_for("Annotations (0)");
    s.send("u");
    s.wait_status("read-only:");
    s.quit_with("q");

    assert_eq!(std::fs::read_to_string(&ron).unwrap(), corrupt, "the corrupt file was changed");
    assert_eq!(list_dir(d), files_before, "files appeared or vanished (temp files, other saves)");
}

fn list_dir(d: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// A click in the list opens an article; a drag in the reading pane selects text to tag.
#[test]
fn clicking_opens_an_article_and_dragging_selects_text_to_tag() {
    let dir = sample_corpus();
    let d = dir.path();
    let mut s = start(d);
    {
        let p = s.parser.lock().unwrap();
        assert_ne!(p.screen().mouse_protocol_mode(), vt100::MouseProtocolMode::None, "mouse reporting is on");
        assert_eq!(p.screen().mouse_protocol_encoding(), vt100::MouseProtocolEncoding::Sgr, "SGR mouse encoding");
    }

    let (row, col) = s.find_or_fail("The Kremlin's latest");
    s.mouse_down(row, col + 3);
    s.mouse_up(row, col + 3);
    s.wait_status(&format!("{SECOND}.txt"));
    s.wait_mode("READ");
    s.wait_for("Kremlin spokesperson");

    let name = "Dmitry Peskov";
    let (row, col) = s.find_or_fail(name);
    let last = col + name.chars().count() as u16 - 1;
    s.mouse_down(row, col);
    s.mouse_drag(row, col + 4);
    s.mouse_drag(row, last);
    s.mouse_up(row, last);
    s.wait_mode("VISUAL");
    s.send("s");
    s.wait_status("tagged Source “Dmitry Peskov”");
    s.wait_for("S Dmitry Peskov");
    s.quit_with("q");

    let text = article_text(d, SECOND);
    let anns = on_disk(d, SECOND);
    assert_eq!(anns.len(), 1, "{anns:#?}");
    assert_eq!((anns[0].label.clone(), anns[0].quote.as_str()), (LabelId::new("Source"), name));
    assert_eq!(anns[0].start, char_offset(&text, name));
    assert_offsets_match(&text, &anns[0]);
    assert_eq!(on_disk(d, FIRST), vec![], "the first article was not touched");
}

/// `/` then a new word searches for that word. The prompt opens holding the last query and
/// typed text is appended to it, so the issue's flow (`/Dmitry Peskov`, later
/// `/who is behind`) searched for "Dmitry Peskovwho is behind" and found nothing.
#[test]
fn a_new_search_looks_for_what_was_typed_not_the_last_query_plus_it() {
    let dir = sample_corpus();
    let mut s = start(dir.path());
    s.send(ENTER);
    s.wait_mode("READ");
    let text = article_text(dir.path(), FIRST);
    s.send("/Dmitry Peskov\r");
    s.wait_cursor(char_offset(&text, "Dmitry Peskov"));
    s.send("/who is behind\r");
    s.wait_until("the second search to run", |s| {
        let status = s.status_line();
        status.contains("who is behind") && !status.contains("Enter ok")
    });
    let status = s.status_line();
    s.quit_with("q");
    assert!(!status.contains("not found"), "typing after / searched for something else: {status}");
    let at = char_offset(&text, "who is behind");
    assert!(status.contains(&format!("· char {at} ")), "the cursor is on “who is behind” (code point {at}): {status}");
}

/// A panic mid-session (forced in debug builds by NEWSNOTE_TEST_PANIC_ON_KEY) still leaves
/// the terminal usable: alternate screen left, raw mode and mouse reporting off, and the
/// panic message readable on the normal screen.
#[test]
fn a_panic_restores_the_terminal_and_prints_the_message() {
    let dir = sample_corpus();
    let mut s = Session::start_with_env(dir.path(), 120, 40, &[("NEWSNOTE_TEST_PANIC_ON_KEY", "1")]);
    s.wait_mode("LIST");
    s.send("j");
    let status = s.wait_exit();
    assert!(!status.success(), "a panic exits with failure");
    s.assert_terminal_modes_restored();
    assert!(s.raw_contains(b"test panic requested"), "the panic message reached the terminal");
}

#[test]
fn reopening_a_corpus_restores_the_last_article_and_cursor() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a.txt"), "First article.\n").unwrap();
    std::fs::write(d.path().join("b.txt"), "Second article, with Peskov in it.\n").unwrap();
    let state = d.path().join("state");
    let env = [("NEWSNOTE_STATE_DIR", state.to_str().unwrap())];
    let mut s = Session::start_with_env(d.path(), 100, 30, &env);
    s.wait_for("First article");
    s.send("j\r/Peskov\r");
    s.wait_for("char 21");
    s.quit_with("q");
    let mut again = Session::start_with_env(d.path(), 100, 30, &env);
    again.wait_for("Second article");
    again.wait_for("char 21");
    again.quit_with("q");
}

/// The codebook's coding by keys in the real binary: a quote interrupted by "he said" tagged as
/// one claim of two pieces, its cue attached in the picker the tag opens, its quote type set
/// from the value menu; all of it on disk after `q`.
#[test]
fn a_two_piece_quote_with_its_cue_and_quote_type_is_coded_by_keys_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Київ.\n\nZelensky told reporters: “We will not give up,” he said, “not now and not ever.” Ой 😀.\n";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let mut s = start(dir.path());
    s.send(ENTER);
    s.wait_mode("READ");
    s.search("We will");
    s.send("viq");
    s.wait_mode("VISUAL");
    s.send("c");
    s.wait_status("tagged Claim “We will not give up,”");
    s.search("not now");
    s.send("viq");
    s.wait_mode("VISUAL");
    s.send("+");
    s.wait_status("now has 2 pieces");
    s.search("said,");
    s.send("viw");
    s.wait_mode("VISUAL");
    s.send("C");
    s.wait_mode("LINK");
    s.send(ENTER);
    s.wait_mode("READ");
    s.search("give up");
    s.send("=");
    s.wait_for("indirect");
    s.send("d");
    s.wait_status("quote type: direct");
    s.quit_with("q");

    let anns = on_disk(dir.path(), "a");
    assert_eq!(anns.len(), 2, "{anns:#?}");
    let claim = anns.iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    let cue = anns.iter().find(|a| a.label == LabelId::new("Cue")).unwrap();
    assert_eq!(claim.full_quote(), "We will not give up, … not now and not ever.");
    assert_eq!(claim.fragments[0].start, char_offset(text, "not now"));
    assert_eq!(claim.linked("cue"), std::slice::from_ref(&cue.id));
    assert_eq!(claim.attributes.get("quote_type").map(ToString::to_string).as_deref(), Some("direct"));
    assert_offsets_match(text, claim);
    assert_offsets_match(text, cue);
}
