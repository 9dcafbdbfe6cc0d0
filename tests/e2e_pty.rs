//! End-to-end tests: the real `newsnote` binary in a pseudo-terminal.
//!
//! Each test copies the sample articles into its own temp folder, starts the binary there in
//! a PTY (portable-pty), feeds the output into a terminal emulator (vt100) and types keys and
//! mouse reports as bytes, like a person at a terminal would. Synchronisation is always
//! "wait until the screen (or the process) shows X, with a deadline", never a fixed sleep, so
//! the tests are as fast as the binary and fail with the screen printed when it misbehaves.
//! What the app promises is checked where it matters: the RON files on disk (read back with
//! the library) and the terminal state left behind on exit.

use newsnote::model::annotation::{Annotation, BoilerplateKind, Label};
use newsnote::model::store::AnnotationFile;
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const FIRST: &str = "000_e37f52fc02921a26";
const SECOND: &str = "002_915808095f53d4db";
/// Longest any single wait may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(10);

const ENTER: &str = "\r";
const TAB: &str = "\t";
const BACKSPACE: &str = "\x7f";
const CTRL_C: &str = "\x03";
const CTRL_R: &str = "\x12";

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
// A running newsnote in a pseudo-terminal
// ---------------------------------------------------------------------------------------------

struct Session {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// The emulated terminal the output is fed into.
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for checks on raw escape sequences.
    raw: Arc<Mutex<Vec<u8>>>,
    /// Set when the reader met end of output (the program and its terminal are gone).
    eof: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    exit: Option<ExitStatus>,
    /// Whether the terminal was in line mode before newsnote started.
    #[cfg(target_os = "linux")]
    canonical_before: bool,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("terminal sizes are at least 1")
}

fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }
}

impl Session {
    /// Starts `newsnote DIR --annotator alice` in a `cols`×`rows` terminal.
    fn start(dir: &Path, cols: u16, rows: u16) -> Self {
        let pair = native_pty_system().openpty(pty_size(cols, rows)).expect("open a pty");
        #[cfg(target_os = "linux")]
        let canonical_before = canonical(pair.master.as_ref());
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_newsnote"));
        cmd.arg(dir);
        cmd.args(["--annotator", "alice"]);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("RUST_BACKTRACE", "0");
        // No user keymap from the machine running the tests.
        cmd.env("XDG_CONFIG_HOME", dir.join("no-config"));
        let child = pair.slave.spawn_command(cmd).expect("spawn newsnote");
        // Only the child may hold the slave, so reading the master ends when the child exits.
        drop(pair.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let eof = Arc::new(AtomicBool::new(false));
        let mut out = pair.master.try_clone_reader().expect("pty reader");
        let reader = {
            let (parser, raw, eof) = (parser.clone(), raw.clone(), eof.clone());
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    match out.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            parser.lock().unwrap().process(&buf[..n]);
                            raw.lock().unwrap().extend_from_slice(&buf[..n]);
                        }
                    }
                }
                eof.store(true, Ordering::SeqCst);
            })
        };
        let writer = pair.master.take_writer().expect("pty writer");
        Self {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
            eof,
            reader: Some(reader),
            exit: None,
            #[cfg(target_os = "linux")]
            canonical_before,
        }
    }

    fn screen_text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The text of one screen row.
    fn row(&self, row: u16) -> String {
        let p = self.parser.lock().unwrap();
        let cols = p.screen().size().1.get();
        p.screen().rows(0, cols).nth(usize::from(row)).unwrap_or_default()
    }

    /// The bottom row: mode, article, position, message, save state.
    fn status_line(&self) -> String {
        let rows = self.parser.lock().unwrap().screen().size().0.get();
        self.row(rows - 1)
    }

    fn raw_len(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    fn raw_contains(&self, needle: &[u8]) -> bool {
        self.raw.lock().unwrap().windows(needle.len()).any(|w| w == needle)
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    fn alive(&mut self) -> bool {
        if self.exit.is_none() {
            self.exit = self.child.try_wait().expect("try_wait");
        }
        self.exit.is_none()
    }

    /// Polls until `ok` holds, failing with `what` and the screen after the deadline or as soon
    /// as the program has exited and its output is drained (nothing can change any more).
    fn wait_until(&mut self, what: &str, mut ok: impl FnMut(&Self) -> bool) {
        let start = Instant::now();
        loop {
            if ok(self) {
                return;
            }
            let gone = !self.alive() && self.eof.load(Ordering::SeqCst);
            if gone || start.elapsed() > DEADLINE {
                let why = if gone { format!("newsnote exited ({:?})", self.exit) } else { "timed out".into() };
                panic!("waiting for {what}: {why}; screen:\n{}", self.screen_text());
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until `text` is somewhere on the screen.
    fn wait_for(&mut self, text: &str) {
        self.wait_until(&format!("{text:?} on screen"), |s| s.screen_text().contains(text));
    }

    /// Waits until the status bar contains `text`.
    fn wait_status(&mut self, text: &str) {
        self.wait_until(&format!("{text:?} in the status bar"), |s| s.status_line().contains(text));
    }

    /// Waits until the status bar puts the cursor on code point `n` of the article.
    fn wait_cursor(&mut self, n: usize) {
        self.wait_status(&format!("· char {n} "));
    }

    /// Waits for the mode badge at the left of the status bar (" READ ", " VISUAL "…).
    fn wait_mode(&mut self, mode: &str) {
        let badge = format!(" {mode} ");
        self.wait_until(&format!("mode {mode}"), |s| s.status_line().starts_with(&badge));
    }

    /// Searches the open article with `/`, and waits until the search has run.
    ///
    /// The prompt opens holding the previous query (see
    /// `a_new_search_looks_for_what_was_typed_not_the_last_query_plus_it`), so whatever it
    /// shows is erased before typing.
    fn search(&mut self, query: &str) {
        const PROMPT_HINT: &str = "  Enter ok · Esc cancel";
        self.send("/");
        self.wait_status(PROMPT_HINT);
        let status = self.status_line();
        let shown = status.split_once('/').and_then(|(_, rest)| rest.split_once(PROMPT_HINT)).map_or("", |(q, _)| q);
        self.send(&BACKSPACE.repeat(shown.chars().count()));
        self.send(query);
        self.wait_status(&format!("/{query}{PROMPT_HINT}"));
        self.send(ENTER);
        self.wait_until(&format!("the search for {query:?} to run"), |s| !s.status_line().contains(PROMPT_HINT));
        let status = self.status_line();
        assert!(status.contains(&format!("/{query}")) && !status.contains("not found"), "search failed: {status}");
    }

    /// Changes the terminal size, as a window manager would.
    fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.lock().unwrap().set_size(nz(rows), nz(cols));
        self.master.resize(pty_size(cols, rows)).expect("resize pty");
    }

    /// Screen position (0-based row, column) of the first cell where `text` starts.
    fn find(&self, text: &str) -> Option<(u16, u16)> {
        let p = self.parser.lock().unwrap();
        let screen = p.screen();
        let (rows, cols) = screen.size();
        let want: Vec<char> = text.chars().collect();
        for row in 0..rows.get() {
            // One char per column; wide chars leave an empty continuation cell.
            let line: Vec<char> = (0..cols.get())
                .map(|col| screen.cell(row, col).and_then(|c| c.contents().chars().next()).unwrap_or(' '))
                .collect();
            if let Some(col) = line.windows(want.len()).position(|w| w == want.as_slice()) {
                return Some((row, col as u16));
            }
        }
        None
    }

    fn find_or_fail(&self, text: &str) -> (u16, u16) {
        self.find(text).unwrap_or_else(|| panic!("{text:?} not on screen:\n{}", self.screen_text()))
    }

    /// Left-button press at a 0-based cell, as an SGR mouse report (1-based on the wire).
    fn mouse_down(&mut self, row: u16, col: u16) {
        self.send(&format!("\x1b[<0;{};{}M", col + 1, row + 1));
    }

    fn mouse_drag(&mut self, row: u16, col: u16) {
        self.send(&format!("\x1b[<32;{};{}M", col + 1, row + 1));
    }

    fn mouse_up(&mut self, row: u16, col: u16) {
        self.send(&format!("\x1b[<0;{};{}m", col + 1, row + 1));
    }

    #[cfg(target_os = "linux")]
    fn canonical(&self) -> bool {
        canonical(self.master.as_ref())
    }

    /// Waits for the program to exit and its output to be fully read.
    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        while self.alive() || !self.eof.load(Ordering::SeqCst) {
            if start.elapsed() > DEADLINE {
                panic!("newsnote did not exit (alive: {}); screen:\n{}", self.alive(), self.screen_text());
            }
            std::thread::sleep(POLL);
        }
        if let Some(r) = self.reader.take() {
            r.join().expect("reader thread");
        }
        self.exit.clone().expect("exit status")
    }

    /// Quits with `keys` and checks the exit left the terminal as it found it.
    fn quit_with(mut self, keys: &str) {
        assert!(self.alive(), "newsnote died before quitting; screen:\n{}", self.screen_text());
        self.send(keys);
        let status = self.wait_exit();
        assert!(status.success(), "exit status {status:?}; screen:\n{}", self.screen_text());
        self.assert_terminal_restored();
    }

    fn assert_terminal_restored(&self) {
        let p = self.parser.lock().unwrap();
        let screen = p.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen after exit");
        assert!(self.raw_contains(b"\x1b[?1049l"), "the program never left the alternate screen");
        assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None, "mouse reporting left on");
        assert!(!screen.hide_cursor(), "cursor left hidden");
        #[cfg(target_os = "linux")]
        assert_eq!(self.canonical(), self.canonical_before, "terminal left in raw mode");
        let text = screen.contents();
        assert!(!text.contains("panicked"), "the program panicked:\n{text}");
    }
}

/// Whether the pty is in canonical (line) mode, i.e. not raw.
#[cfg(target_os = "linux")]
fn canonical(master: &dyn MasterPty) -> bool {
    const ICANON: u32 = 0o000002; // <asm-generic/termbits.h>
    let t = master.get_termios().expect("termios of the pty");
    t.local_flags.bits() & ICANON != 0
}

impl Drop for Session {
    fn drop(&mut self) {
        // A failed test must not leave a newsnote running.
        if self.alive() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Starts newsnote at 120×40, waiting for the first frame.
fn start(dir: &Path) -> Session {
    let mut s = Session::start(dir, 120, 40);
    s.wait_mode("LIST");
    s
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
    s.wait_mode("SOURCE");
    let (none_row, _) = s.find_or_fail("(no source)");
    let above = s.row(none_row - 1);
    assert!(above.contains("Dmitry Peskov"), "the picker lists Dmitry Peskov first, then (no source): {above:?}");
    s.send("k"); // the first choice, whatever was preselected
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
    s.wait_mode("KIND");
    s.wait_for("donation appeal");
    s.send("d");
    s.wait_status("tagged Boilerplate(DonationAppeal) “Understand");
    s.wait_for("B donation appeal: Understand");
    s.quit_with("q");

    // On disk, read with the library.
    let anns = on_disk(d, FIRST);
    assert_eq!(anns.len(), 2, "{anns:#?}");
    let source = anns.iter().find(|a| a.label == Label::Source).expect("a Source");
    let claim = anns.iter().find(|a| a.label == Label::Claim).expect("a Claim");
    assert_eq!(source.quote, "Dmitry Peskov");
    assert_eq!(source.start, char_offset(&first, "Dmitry Peskov"));
    assert_eq!(source.end, source.start + "Dmitry Peskov".chars().count());
    assert_eq!(claim.quote, "who is behind the barbaric missile attack on Sevastopol.");
    // Inside the curly quotes: starts just after “, ends just before ”.
    assert_eq!(claim.start, char_offset(&first, "“who is behind") + 1);
    assert_eq!(chars(&first, claim.end, claim.end + 1), "”");
    assert_eq!(claim.source.as_ref(), Some(&source.id), "the claim is attributed to the source");
    for a in &anns {
        assert_offsets_match(&first, a);
        assert_eq!(a.author, "alice");
    }
    // The text before the claim has multi-byte chars (’), so byte offsets would differ.
    assert_ne!(claim.start, first.find("who is behind").unwrap(), "offsets must be code points, not bytes");

    let anns = on_disk(d, SECOND);
    assert_eq!(anns.len(), 1, "{anns:#?}");
    let b = &anns[0];
    assert_eq!(b.label, Label::Boilerplate(BoilerplateKind::DonationAppeal));
    let from = second.find("Understand the importance of honest news").unwrap();
    let to = second.find("Click to donate by check.").unwrap() + "Click to donate by check.".len();
    assert_eq!(b.quote, second[from..to]);
    assert!(b.quote.starts_with("Understand the importance of honest news ?\n\nSo do we."), "{:?}", b.quote);
    assert!(b.quote.ends_with("Thank you.\n\nClick to donate by check."), "{:?}", b.quote);
    assert_eq!((b.start, b.end), (second[..from].chars().count(), second[..to].chars().count()));
    assert_offsets_match(&second, b);
    assert_eq!(b.source, None);

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
    assert_eq!((after_source[0].label, after_source[0].quote.as_str()), (Label::Source, "Russian"));

    s.send("w");
    s.send("v");
    s.wait_mode("VISUAL");
    s.send("e");
    s.send("c");
    s.wait_status("tagged Claim “President”");
    s.wait_status("✓ saved");
    let both = on_disk(d, FIRST);
    assert_eq!(both.len(), 2, "{both:#?}");
    let claim = both.iter().find(|a| a.label == Label::Claim).expect("the claim").clone();
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
    s.wait_mode("KIND");
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
    assert_eq!((anns[0].label, anns[0].quote.as_str()), (Label::Source, name));
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
