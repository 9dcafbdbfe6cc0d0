//! Writes that stay inside the corpus and leave its files as their owners set them, with the
//! real binary on real files: exports never overwrite an article or annotation file, saves
//! leave nothing behind for `git status`, keep a file's mode and refuse read-only ones, a lock
//! held by a stopped process is an error rather than a wait, and a FIFO planted at an
//! annotation path is a message naming it, never a hang.
#![cfg(unix)]

mod common;

use common::pty::{DEADLINE, ENTER, POLL, Session};
use newsnote::model::fsio::Lock;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn newsnote_cmd(args: &[&str], cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsnote"));
    c.args(args).current_dir(cwd).env("RUST_BACKTRACE", "0").env("USER", "file-safety-test").stdin(Stdio::null());
    c
}

/// Runs newsnote to its end. A run that outlives [`DEADLINE`] has hung (on a FIFO, a lock):
/// it is killed and the test fails, instead of the whole suite waiting forever.
fn newsnote(args: &[&str], cwd: &Path) -> Output {
    let mut child =
        newsnote_cmd(args, cwd).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run newsnote");
    let start = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("newsnote {args:?} hung; stderr so far: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(POLL);
    }
    child.wait_with_output().unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {p:?}");
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

const ARTICLE: &str = "Песков сказал «нет».\r\nЛавров сказал «да».\r\n";

/// A corpus with one article (CRLF line ends, which an export normalises) and, when `tagged`,
/// its annotation file written by `newsnote tag`.
fn corpus(tagged: bool) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("статья.txt"), ARTICLE).unwrap();
    if tagged {
        let o = newsnote(&["tag", "статья.txt", "--label", "source", "--quote", "Песков"], d.path());
        assert!(o.status.success(), "{}", err(&o));
    }
    d
}

// ---------------------------------------------------------------------------------------------
// Exports
// ---------------------------------------------------------------------------------------------

#[test]
fn an_export_never_overwrites_an_article_or_an_annotation_file() {
    let d = corpus(true);
    let ron = std::fs::read(d.path().join("статья.ron")).unwrap();
    // brat writes ARTICLE.txt + ARTICLE.ann: into the corpus itself that is the article.
    let o = newsnote(&["export", ".", "--format", "brat", "-o", "."], d.path());
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("./статья.txt is article статья.txt"), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(d.path().join("статья.txt")).unwrap(), ARTICLE, "the article is untouched");
    assert!(!d.path().join("статья.ann").exists(), "nothing is written when any file is refused");
    // A one-file export aimed at an annotation file, spelt another way.
    let o = newsnote(&["export", ".", "--format", "json", "-o", "./sub/../статья.ron"], d.path());
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("is the annotation file of статья.txt"), "{}", err(&o));
    assert_eq!(std::fs::read(d.path().join("статья.ron")).unwrap(), ron);
    // Elsewhere, the export is written as before.
    let o = newsnote(&["export", ".", "--format", "brat", "-o", "brat"], d.path());
    assert!(o.status.success(), "{}", err(&o));
    assert!(d.path().join("brat/статья.ann").exists());
}

// ---------------------------------------------------------------------------------------------
// Saves: nothing left behind, modes kept, read-only files refused
// ---------------------------------------------------------------------------------------------

fn git(args: &[&str], cwd: &Path) -> String {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "core.quotePath=false"])
        .args(args)
        .current_dir(cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git is installed");
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn saves_leave_nothing_for_git_status_but_the_annotation_file() {
    let d = corpus(false);
    git(&["init", "-q"], d.path());
    git(&["add", "."], d.path());
    git(&["commit", "-qm", "article"], d.path());
    // The lock file an older newsnote left beside the annotation file for good.
    std::fs::write(d.path().join(".статья.ron.lock"), "").unwrap();
    for quote in ["Песков", "Лавров", "«да»"] {
        let o = newsnote(&["tag", "статья.txt", "--label", "source", "--quote", quote], d.path());
        assert!(o.status.success(), "{}", err(&o));
    }
    assert_eq!(git(&["status", "--porcelain", "--ignored"], d.path()), "?? статья.ron\n");
}

#[test]
fn a_save_keeps_a_private_files_mode_and_refuses_a_read_only_one_with_what_to_do() {
    let d = corpus(true);
    let ron = d.path().join("статья.ron");
    std::fs::set_permissions(&ron, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = newsnote(&["tag", "статья.txt", "--label", "source", "--quote", "Лавров"], d.path());
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(mode(&ron), 0o600, "a save keeps the mode");

    std::fs::set_permissions(&ron, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&ron).unwrap();
    let o = newsnote(&["tag", "статья.txt", "--label", "claim", "--quote", "«да»"], d.path());
    assert!(!o.status.success(), "a read-only file is not saved");
    for part in ["статья.ron is read-only (mode 444)", "chmod u+w", "--annotations DIR"] {
        assert!(err(&o).contains(part), "{part:?} missing from: {}", err(&o));
    }
    assert_eq!((std::fs::read(&ron).unwrap(), mode(&ron)), (before, 0o444), "bytes and mode unchanged");
    let o = newsnote(&["check", "."], d.path());
    assert!(String::from_utf8_lossy(&o.stdout).contains("warning[read-only]"), "{o:?}");
}

// ---------------------------------------------------------------------------------------------
// Locks
// ---------------------------------------------------------------------------------------------

/// `flock(1)` holding `dir`, then stopped with SIGSTOP, as a `newsnote tag` suspended with
/// Ctrl-Z mid-save would hold it. Resumed and ended when dropped, even when the test fails.
struct StoppedHolder(Child);

impl StoppedHolder {
    fn start(dir: &Path) -> Self {
        let mut child = Command::new("flock")
            .arg(dir)
            .args(["-c", "echo held; exec cat"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("flock(1) from util-linux");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line, "held\n", "flock(1) took the lock");
        assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGSTOP) }, 0);
        Self(child)
    }
}

impl Drop for StoppedHolder {
    fn drop(&mut self) {
        unsafe { libc::kill(self.0.id() as i32, libc::SIGCONT) };
        // Closing its input ends `cat`, and with it flock(1) and the lock.
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

#[test]
fn a_lock_held_by_a_stopped_process_is_an_error_naming_the_folder_not_a_wait() {
    let d = corpus(true);
    let ron = d.path().join("статья.ron");
    let before = std::fs::read(&ron).unwrap();
    let holder = StoppedHolder::start(d.path());

    let e = Lock::acquire_within(&ron, Duration::from_millis(100)).err().expect("the lock is held");
    assert_eq!(e.kind(), std::io::ErrorKind::TimedOut);
    let folder = format!("holds the lock on {}", d.path().display());
    assert!(e.to_string().contains(&folder), "{e}");

    // The real binary, with its default bound: it ends with the message, and writes nothing.
    let o = newsnote(&["tag", "статья.txt", "--label", "source", "--quote", "Лавров"], d.path());
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    for part in ["another newsnote (or a suspended `newsnote tag`) holds the lock on", "try again"] {
        assert!(err(&o).contains(part), "{part:?} missing from: {}", err(&o));
    }
    assert_eq!(std::fs::read(&ron).unwrap(), before);

    drop(holder);
    let o = newsnote(&["tag", "статья.txt", "--label", "source", "--quote", "Лавров"], d.path());
    assert!(o.status.success(), "once the holder is gone the save goes through: {}", err(&o));
}

// ---------------------------------------------------------------------------------------------
// FIFOs
// ---------------------------------------------------------------------------------------------

const FIFO_MESSAGE: &str = "статья.ron is a FIFO (named pipe), not a regular file";

#[test]
fn a_fifo_at_the_annotation_path_gives_list_check_and_show_a_message_naming_it() {
    let d = corpus(false);
    mkfifo(&d.path().join("статья.ron"));
    for args in [&["list", "."][..], &["check", "."], &["show", "статья.txt"]] {
        let o = newsnote(args, d.path());
        let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), err(&o));
        assert!(all.contains(FIFO_MESSAGE), "newsnote {args:?} ({:?}) said: {all}", o.status);
        assert!(!o.status.success(), "newsnote {args:?} must not report success");
    }
}

#[test]
fn a_fifo_at_the_annotation_path_gives_tag_and_the_tui_a_message_naming_it() {
    let d = corpus(false);
    mkfifo(&d.path().join("статья.ron"));
    let o = newsnote(&["tag", "статья.txt", "--label", "source", "--quote", "Песков"], d.path());
    assert!(!o.status.success() && err(&o).contains(FIFO_MESSAGE), "{}", err(&o));

    let mut s = Session::start(d.path(), 160, 30);
    s.wait_mode("LIST");
    s.send(ENTER);
    s.wait_for(FIFO_MESSAGE);
    s.quit_with("q");
}
