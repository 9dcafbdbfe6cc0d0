//! A running `newsnote` in a pseudo-terminal, for end-to-end tests.
//!
//! portable-pty gives the binary a real terminal; a reader thread feeds its output into a
//! vt100 parser (and keeps the raw bytes), and every wait polls the parsed screen with a
//! deadline instead of sleeping, so tests run as fast as the binary allows.

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Longest any single wait may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(20);
pub const POLL: Duration = Duration::from_millis(10);

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const BACKSPACE: &str = "\x7f";
pub const CTRL_C: &str = "\x03";
pub const CTRL_R: &str = "\x12";

// ---------------------------------------------------------------------------------------------
// A running newsnote in a pseudo-terminal
// ---------------------------------------------------------------------------------------------

pub struct Session {
    pub master: Box<dyn MasterPty + Send>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    /// The emulated terminal the output is fed into.
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for checks on raw escape sequences.
    pub raw: Arc<Mutex<Vec<u8>>>,
    /// Set when the reader met end of output (the program and its terminal are gone).
    pub eof: Arc<AtomicBool>,
    pub reader: Option<JoinHandle<()>>,
    pub exit: Option<ExitStatus>,
    /// Whether the terminal was in line mode before newsnote started.
    #[cfg(target_os = "linux")]
    pub canonical_before: bool,
    /// newsnote's state folder for this run (the remembered place), outside the corpus.
    pub state: tempfile::TempDir,
}

pub fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("terminal sizes are at least 1")
}

pub fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }
}

impl Session {
    /// Starts `newsnote DIR --annotator alice` in a `cols`×`rows` terminal.
    pub fn start(dir: &Path, cols: u16, rows: u16) -> Self {
        Self::start_with_env(dir, cols, rows, &[])
    }

    /// Like [`Session::start`], with extra environment variables.
    pub fn start_with_env(dir: &Path, cols: u16, rows: u16, env: &[(&str, &str)]) -> Self {
        let args = [dir.as_os_str(), "--annotator".as_ref(), "alice".as_ref()];
        Self::start_args(dir, &args, cols, rows, env)
    }

    /// Runs `newsnote ARGS` in `dir` in a `cols`×`rows` terminal (a subcommand, say, to see
    /// what it prints to a terminal rather than a pipe).
    pub fn start_args(dir: &Path, args: &[&std::ffi::OsStr], cols: u16, rows: u16, env: &[(&str, &str)]) -> Self {
        let pair = native_pty_system().openpty(pty_size(cols, rows)).expect("open a pty");
        #[cfg(target_os = "linux")]
        let canonical_before = canonical(pair.master.as_ref());
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_newsnote"));
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("RUST_BACKTRACE", "0");
        // No user keymap from the machine running the tests.
        cmd.env("XDG_CONFIG_HOME", dir.join("no-config"));
        // Nor a remembered place (the last article and cursor), and none left in the corpus.
        let state = tempfile::tempdir().expect("a temp folder");
        cmd.env("NEWSNOTE_STATE_DIR", state.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
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
            state,
        }
    }

    pub fn screen_text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The text of one screen row.
    pub fn row(&self, row: u16) -> String {
        let p = self.parser.lock().unwrap();
        let cols = p.screen().size().1.get();
        p.screen().rows(0, cols).nth(usize::from(row)).unwrap_or_default()
    }

    /// The bottom row: mode, article, position, message, save state.
    pub fn status_line(&self) -> String {
        let rows = self.parser.lock().unwrap().screen().size().0.get();
        self.row(rows - 1)
    }

    pub fn raw_len(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    pub fn raw_contains(&self, needle: &[u8]) -> bool {
        self.raw.lock().unwrap().windows(needle.len()).any(|w| w == needle)
    }

    /// A copy of every byte the program wrote so far.
    pub fn raw_bytes(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Writes `bytes` in one write, as a paste arrives, from another thread: a program that
    /// stops reading its input then fails the test after [`DEADLINE`] instead of blocking it
    /// forever (dropping the session kills the program, which ends the write).
    pub fn send_within_deadline(&mut self, bytes: &[u8]) {
        let mut writer = std::mem::replace(&mut self.writer, Box::new(std::io::sink()));
        let (bytes, n) = (bytes.to_vec(), bytes.len());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let ok = writer.write_all(&bytes).and_then(|()| writer.flush());
            let _ = tx.send((ok, writer));
        });
        match rx.recv_timeout(DEADLINE) {
            Ok((ok, writer)) => {
                self.writer = writer;
                ok.expect("write to pty");
            }
            Err(_) => {
                panic!("newsnote did not read all {n} input bytes within {DEADLINE:?}; screen:\n{}", self.screen_text())
            }
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    pub fn alive(&mut self) -> bool {
        if self.exit.is_none() {
            self.exit = self.child.try_wait().expect("try_wait");
        }
        self.exit.is_none()
    }

    /// Polls until `ok` holds, failing with `what` and the screen after the deadline or as soon
    /// as the program has exited and its output is drained (nothing can change any more).
    pub fn wait_until(&mut self, what: &str, mut ok: impl FnMut(&Self) -> bool) {
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
    pub fn wait_for(&mut self, text: &str) {
        self.wait_until(&format!("{text:?} on screen"), |s| s.screen_text().contains(text));
    }

    /// Waits until the status bar contains `text`.
    pub fn wait_status(&mut self, text: &str) {
        self.wait_until(&format!("{text:?} in the status bar"), |s| s.status_line().contains(text));
    }

    /// Waits until the status bar puts the cursor on code point `n` of the article.
    pub fn wait_cursor(&mut self, n: usize) {
        self.wait_status(&format!("· char {n} "));
    }

    /// Waits for the mode badge at the left of the status bar (" READ ", " VISUAL "…).
    pub fn wait_mode(&mut self, mode: &str) {
        let badge = format!(" {mode} ");
        self.wait_until(&format!("mode {mode}"), |s| s.status_line().starts_with(&badge));
    }

    /// Searches the open article with `/`, and waits until the search has run.
    ///
    /// The prompt opens holding the previous query (see
    /// `a_new_search_looks_for_what_was_typed_not_the_last_query_plus_it`), so whatever it
    /// shows is erased before typing.
    pub fn search(&mut self, query: &str) {
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
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.lock().unwrap().set_size(nz(rows), nz(cols));
        self.master.resize(pty_size(cols, rows)).expect("resize pty");
    }

    /// Screen position (0-based row, column) of the first cell where `text` starts.
    pub fn find(&self, text: &str) -> Option<(u16, u16)> {
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

    pub fn find_or_fail(&self, text: &str) -> (u16, u16) {
        self.find(text).unwrap_or_else(|| panic!("{text:?} not on screen:\n{}", self.screen_text()))
    }

    /// Left-button press at a 0-based cell, as an SGR mouse report (1-based on the wire).
    pub fn mouse_down(&mut self, row: u16, col: u16) {
        self.send(&format!("\x1b[<0;{};{}M", col + 1, row + 1));
    }

    pub fn mouse_drag(&mut self, row: u16, col: u16) {
        self.send(&format!("\x1b[<32;{};{}M", col + 1, row + 1));
    }

    pub fn mouse_up(&mut self, row: u16, col: u16) {
        self.send(&format!("\x1b[<0;{};{}m", col + 1, row + 1));
    }

    #[cfg(target_os = "linux")]
    pub fn canonical(&self) -> bool {
        canonical(self.master.as_ref())
    }

    /// Waits for the program to exit and its output to be fully read.
    pub fn wait_exit(&mut self) -> ExitStatus {
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
    pub fn quit_with(mut self, keys: &str) {
        assert!(self.alive(), "newsnote died before quitting; screen:\n{}", self.screen_text());
        self.send(keys);
        let status = self.wait_exit();
        assert!(status.success(), "exit status {status:?}; screen:\n{}", self.screen_text());
        self.assert_terminal_restored();
    }

    pub fn assert_terminal_restored(&self) {
        self.assert_terminal_modes_restored();
        let text = self.screen_text();
        assert!(!text.contains("panicked"), "the program panicked:\n{text}");
    }

    /// Alternate screen left, mouse reporting off, cursor shown, line mode back.
    pub fn assert_terminal_modes_restored(&self) {
        let p = self.parser.lock().unwrap();
        let screen = p.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen after exit");
        assert!(self.raw_contains(b"\x1b[?1049l"), "the program never left the alternate screen");
        assert_eq!(screen.mouse_protocol_mode(), vt100::MouseProtocolMode::None, "mouse reporting left on");
        assert!(!screen.hide_cursor(), "cursor left hidden");
        #[cfg(target_os = "linux")]
        assert_eq!(self.canonical(), self.canonical_before, "terminal left in raw mode");
    }
}

/// Whether the pty is in canonical (line) mode, i.e. not raw.
#[cfg(target_os = "linux")]
pub fn canonical(master: &dyn MasterPty) -> bool {
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
pub fn start(dir: &Path) -> Session {
    let mut s = Session::start(dir, 120, 40);
    s.wait_mode("LIST");
    s
}
