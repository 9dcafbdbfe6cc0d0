//! Writing files so that a crash, a kill, a second writer or a planted file never costs data.
//!
//! Four tools, each for one failure: [`write_atomic`] (a new temp file in the same folder,
//! write, fsync, rename, fsync the folder) so readers see the old or the new file, never a torn
//! one, and so a save never writes through a link or replaces a file its owner made read-only
//! ([`read_only_reason`]); [`read_regular`] so a FIFO or device at an annotation path is refused
//! instead of hanging the reader; [`cleanup_stale_temps`] so temp files of a writer that died
//! mid-save do not pile up (they are never read: their names start with a dot and end in
//! `.tmp`); and [`Lock`], an advisory `flock` on the folder that holds the file, which
//! serialises newsnote processes doing read → merge → write without creating any file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The `attempt`-th temp file name a process tries while replacing `path`: `.NAME.PID.tmp`
/// first, then `.NAME.PID.N.tmp`. Each is created new, so a name that exists (a planted link,
/// a stale file of a reused pid, another thread of ours) only moves us on to the next.
fn temp_for(path: &Path, pid: u32, attempt: u32) -> PathBuf {
    let name = file_name(path);
    let tmp = if attempt == 0 { format!(".{name}.{pid}.tmp") } else { format!(".{name}.{pid}.{attempt}.tmp") };
    parent(path).join(tmp)
}

/// How many temp names a save tries before giving up (each one taken means a file is there).
const TEMP_ATTEMPTS: u32 = 100;

/// Creates a new temp file beside `path`: create-new (`O_EXCL`), never through a link
/// (`O_NOFOLLOW`), under the first free name.
fn create_temp(path: &Path) -> std::io::Result<(std::fs::File, PathBuf)> {
    let mut last = None;
    for attempt in 0..TEMP_ATTEMPTS {
        let tmp = temp_for(path, std::process::id(), attempt);
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.custom_flags(libc::O_NOFOLLOW);
        }
        match opts.open(&tmp) {
            Ok(f) => return Ok((f, tmp)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    let e = last.expect("at least one attempt was made");
    Err(std::io::Error::new(
        e.kind(),
        format!("{}: {TEMP_ATTEMPTS} temp file names beside it are taken; remove the .tmp files there", path.display()),
    ))
}

/// Why newsnote must not replace the file at `path`, or `None` when it may (or there is no
/// file yet). A symbolic link is refused because a save would replace the link and a
/// planted link is how writes escape the corpus; anything but a regular file is refused; and
/// a file without any write bit in its mode is read-only to newsnote as to everyone else, even
/// for root (whom permission bits do not stop). The reason names the file and what to do.
pub fn read_only_reason(path: &Path) -> Option<String> {
    refusal(path).map(|(_, why)| why)
}

fn refusal(path: &Path) -> Option<(std::io::ErrorKind, String)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let t = meta.file_type();
    let p = path.display();
    if t.is_symlink() {
        return Some((
            std::io::ErrorKind::InvalidInput,
            format!(
                "{p} is a symbolic link; newsnote does not write through links: replace it with the file it points to"
            ),
        ));
    }
    if !t.is_file() {
        return Some((
            std::io::ErrorKind::InvalidInput,
            format!("{p} is {}, not a regular file; move it away", kind_of(&t)),
        ));
    }
    if meta.permissions().readonly() {
        #[cfg(unix)]
        let mode = {
            use std::os::unix::fs::PermissionsExt;
            format!(" (mode {:o})", meta.permissions().mode() & 0o7777)
        };
        #[cfg(not(unix))]
        let mode = String::new();
        return Some((
            std::io::ErrorKind::PermissionDenied,
            format!(
                "{p} is read-only{mode}, so newsnote does not change it: make it writable (chmod u+w {p}) \
                 or keep annotations in another folder with --annotations DIR"
            ),
        ));
    }
    None
}

/// Gives the new file what the old one had: owner and group (best effort: only root may give
/// a file away), then the permission bits (after the owner, since chown clears set-id bits).
fn keep_metadata(f: &std::fs::File, old: &std::fs::Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, fchown};
        let now = f.metadata()?;
        if (now.uid(), now.gid()) != (old.uid(), old.gid()) && fchown(f, Some(old.uid()), Some(old.gid())).is_err() {
            // Not root: we may still hand the file to a group we are in.
            let _ = fchown(f, None, Some(old.gid()));
        }
    }
    f.set_permissions(old.permissions())
}

/// Replaces `path` with `bytes` so that readers see the old or the new content, never a mix.
/// The new file keeps the old one's mode (and owner and group, where allowed). Refuses, with
/// an error saying why and what to do, when `path` is a link, not a regular file, or
/// read-only ([`read_only_reason`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// [`write_atomic`] for content written piece by piece (an export streamed article by
/// article): `write` fills the temp file, which replaces `path` only if it succeeds; when it
/// fails, `path` is untouched and the temp file removed.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    Staged::write(path, write)?.commit()?;
    sync_folder(path);
    Ok(())
}

/// The new content of a file, written and flushed to disk in a temp file beside it but not
/// yet in its place: [`write_atomic`] in two steps, so that a writer can do the slow part
/// (the write and its fsync) before it takes a lock and only the rename under it
/// ([`save`](super::save::save) does, so savers in one folder do not wait for each other's
/// disk). Dropped without [`Staged::commit`], the temp file is removed and `path` untouched.
pub struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    placed: bool,
}

impl Staged {
    /// Writes the new content of `path` into a new temp file beside it and flushes it.
    /// Refuses, as [`write_atomic`] does, a link, a file that is not regular, or a read-only
    /// one; the new file will keep the old one's mode, owner and group.
    pub fn write(path: &Path, write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>) -> std::io::Result<Self> {
        if let Some((kind, why)) = refusal(path) {
            return Err(std::io::Error::new(kind, why));
        }
        std::fs::create_dir_all(parent(path))?;
        let old = std::fs::symlink_metadata(path).ok();
        let (mut f, tmp) = create_temp(path)?;
        let staged = Self { tmp, path: path.to_owned(), placed: false };
        if let Some(old) = &old {
            keep_metadata(&f, old)?;
        }
        write(&mut f)?;
        f.sync_all()?;
        Ok(staged)
    }

    /// Puts the staged file in place (a rename: readers see the old file or the new one). It
    /// survives a crash once the folder is flushed too ([`sync_folder`]). Refuses, with the
    /// staged file removed, when `path` became something newsnote must not replace meanwhile.
    pub fn commit(mut self) -> std::io::Result<()> {
        if let Some((kind, why)) = refusal(&self.path) {
            return Err(std::io::Error::new(kind, why));
        }
        std::fs::rename(&self.tmp, &self.path)?;
        self.placed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.placed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Flushes the folder that holds `path`, so that a rename into it survives a crash. Not every
/// platform can fsync a folder; the rename has happened either way.
pub fn sync_folder(path: &Path) {
    if let Ok(d) = std::fs::File::open(parent(path)) {
        let _ = d.sync_all();
    }
}

/// Reads `path`, which must be a regular file: `Ok(None)` when it does not exist, an error
/// naming what it is instead (a FIFO, a device, a folder) otherwise. A FIFO is refused without
/// opening it for a blocking read, so a planted FIFO can never hang a command or the TUI.
pub fn read_regular(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking so that opening a FIFO returns at once; the type check follows.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let mut f = match opts.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is {}, not a regular file; move it away", path.display(), kind_of(&meta.file_type())),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// "a FIFO", "a folder"… for messages about files that are not regular.
fn kind_of(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() { "a folder" } else { "not a regular file" }
}

/// Whether a process with this id is running. On Linux, /proc tells; elsewhere assume it is,
/// and rely on the age check.
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new(&format!("/proc/{pid}")).exists() } else { true }
}

/// Removes temp files left beside `path` by writers that are gone: on Linux those whose
/// process no longer exists, elsewhere those older than a day. A live writer's temp file is
/// never touched.
pub fn cleanup_stale_temps(path: &Path) -> usize {
    let prefix = format!(".{}.", file_name(path));
    let Ok(rd) = std::fs::read_dir(parent(path)) else { return 0 };
    let mut removed = 0;
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        // `PID` or `PID.N` between the prefix and `.tmp` (see `temp_for`), nothing else: the
        // temps of `NAME.x.ron` share the prefix and must not be taken for ours.
        let Some(pid) = name.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".tmp")).and_then(|r| {
            let (pid, n) = r.split_once('.').unwrap_or((r, "0"));
            n.parse::<u32>().ok().and(pid.parse::<u32>().ok())
        }) else {
            continue;
        };
        let old =
            e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|d| d.as_secs() > 86_400));
        if pid != std::process::id() && (!alive(pid) || old) && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// An exclusive advisory lock (`flock`) on the folder that holds a file, held until dropped.
/// Serialises newsnote processes that read, merge and write annotation files in that folder.
///
/// Locking the folder itself, opened read-only, creates nothing: no lock file for `git status`
/// to show, to follow if it were a planted link, or to block on if it were a FIFO. The kernel
/// drops the lock when its holder dies, so only a live holder (a suspended `newsnote tag`,
/// say) can keep it, and that is what the bound is for.
pub struct Lock {
    _dir: std::fs::File,
}

impl Lock {
    /// How long [`Lock::acquire`] waits for another holder before it gives up.
    pub const DEFAULT_BOUND: Duration = Duration::from_secs(3);

    /// Takes the lock for `path`'s folder (created if missing), waiting at most
    /// [`Lock::DEFAULT_BOUND`].
    pub fn acquire(path: &Path) -> std::io::Result<Self> {
        Self::acquire_within(path, Self::DEFAULT_BOUND)
    }

    /// Takes the lock for `path`'s folder, polling for at most `bound`; after that an error
    /// of kind `TimedOut` says who may hold it and what to do.
    pub fn acquire_within(path: &Path, bound: Duration) -> std::io::Result<Self> {
        let dir = parent(path);
        std::fs::create_dir_all(dir)?;
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.custom_flags(libc::O_DIRECTORY);
        }
        let folder = opts.open(dir)?;
        let start = std::time::Instant::now();
        let mut pause = Duration::from_millis(2);
        loop {
            match folder.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
                Err(std::fs::TryLockError::WouldBlock) => {
                    let waited = start.elapsed();
                    if waited >= bound {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            format!(
                                "another newsnote (or a suspended `newsnote tag`) holds the lock on {}; \
                                 nothing was written: try again once it has finished (waited {:.1} s)",
                                dir.display(),
                                waited.as_secs_f64()
                            ),
                        ));
                    }
                    // Saves hold the lock for milliseconds: poll often at first, then less.
                    std::thread::sleep(pause.min(bound - waited));
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
            }
        }
        remove_legacy_lock(path);
        Ok(Self { _dir: folder })
    }
}

/// Removes `.NAME.lock`, the lock file older newsnote versions left beside `NAME` for good,
/// so it stops showing in `git status`. Only that exact name, and only an empty regular file
/// (what those versions created): a link, a FIFO or a file with content is someone else's.
fn remove_legacy_lock(path: &Path) {
    let legacy = parent(path).join(format!(".{}.lock", file_name(path)));
    if std::fs::symlink_metadata(&legacy).is_ok_and(|m| m.is_file() && m.len() == 0) {
        let _ = std::fs::remove_file(&legacy);
    }
}

/// A hash of a file's bytes to notice, within one process, that another writer changed the
/// file since this one read or wrote it (the base of a save's merge). Never written to disk,
/// so it may be whatever is fastest: XXH3, which reads a 20 KB annotation file in a
/// microsecond where [`content_hash`] takes some thirty.
pub fn file_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// A stable hash of contents (FNV-1a, 64 bits) for what is written down: article fingerprints
/// ([`Fingerprint`](super::store::Fingerprint)) are this hash in hex, and ids made from it
/// are in files, so it must never change. (Whether a file changed since it was read is
/// [`file_hash`], which is not recorded.)
pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt;

    #[test]
    fn a_streamed_write_that_fails_midway_leaves_the_old_file_and_no_temp_file() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("отчёт.html");
        std::fs::write(&target, "старый").unwrap();
        let err = write_atomic_with(&target, |f| {
            f.write_all("новый, наполовину".as_bytes())?;
            Err(std::io::Error::other("the export stopped"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "the export stopped");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "старый");
        let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["отчёт.html"]);
        write_atomic_with(&target, |f| f.write_all("новый".as_bytes())).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "новый");
    }

    #[test]
    fn temps_of_dead_writers_are_removed_and_live_ones_kept() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("a.ron");
        // A pid that cannot exist (above the kernel's maximum), in both name forms; one that
        // does (ours); and temps of other files, one of which shares the prefix.
        let dead = temp_for(&target, 4_000_000_000, 0);
        let dead_retry = temp_for(&target, 4_000_000_000, 3);
        let mine = temp_for(&target, std::process::id(), 0);
        let other = temp_for(&d.path().join("b.ron"), 4_000_000_000, 0);
        let longer = temp_for(&d.path().join("a.ron.x.ron"), 4_000_000_000, 0);
        for p in [&dead, &dead_retry, &mine, &other, &longer] {
            std::fs::write(p, "partial").unwrap();
        }
        assert_eq!(cleanup_stale_temps(&target), 2 * usize::from(cfg!(target_os = "linux")));
        assert_eq!(dead.exists() || dead_retry.exists(), !cfg!(target_os = "linux"));
        assert!(mine.exists() && other.exists() && longer.exists());
    }

    #[test]
    fn atomic_write_replaces_and_leaves_only_the_target() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x/a.ron");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["a.ron"]);
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_temp_file_link_is_never_written_through() {
        let d = tempfile::tempdir().unwrap();
        let corpus = d.path().join("корпус");
        std::fs::create_dir(&corpus).unwrap();
        let victim = d.path().join("außerhalb.txt");
        std::fs::write(&victim, "не трогать").unwrap();
        let target = corpus.join("статья.ron");
        // Links at every name this process would try first, as an attacker who knows the pid
        // would plant them.
        for attempt in 0..3 {
            std::os::unix::fs::symlink(&victim, temp_for(&target, std::process::id(), attempt)).unwrap();
        }
        write_atomic(&target, "новое".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "не трогать", "the file outside is untouched");
        assert!(std::fs::symlink_metadata(&target).unwrap().is_file(), "the target is a file, not a link");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "новое");
        for attempt in 0..3 {
            let link = temp_for(&target, std::process::id(), attempt);
            assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "{link:?} left as it was");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_or_a_fifo_at_the_target_is_refused_and_left_alone() {
        let d = tempfile::tempdir().unwrap();
        let victim = d.path().join("außerhalb.txt");
        std::fs::write(&victim, "не трогать").unwrap();
        let link = d.path().join("ссылка.ron");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = write_atomic(&link, b"x").unwrap_err();
        assert!(err.to_string().contains("ссылка.ron is a symbolic link"), "{err}");
        assert_eq!(read_only_reason(&link).as_deref(), Some(err.to_string().as_str()));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "не трогать");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());

        let fifo = d.path().join("труба.ron");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = write_atomic(&fifo, b"x").unwrap_err();
        assert!(err.to_string().contains("труба.ron is a FIFO (named pipe), not a regular file"), "{err}");
        assert_eq!(names_in(d.path()), ["außerhalb.txt", "ссылка.ron", "труба.ron"], "no temp file is left");
    }

    #[cfg(unix)]
    #[test]
    fn a_save_keeps_the_files_mode_and_owner() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let d = tempfile::tempdir().unwrap();
        // Two modes no single umask produces, so a save that creates the file afresh fails.
        for (name, mode) in [("приватно.ron", 0o600), ("группа.ron", 0o640)] {
            let p = d.path().join(name);
            std::fs::write(&p, "старое").unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
            write_atomic(&p, "новое".as_bytes()).unwrap();
            let meta = std::fs::metadata(&p).unwrap();
            assert_eq!(meta.mode() & 0o7777, mode, "{name}");
            assert_eq!(std::fs::read_to_string(&p).unwrap(), "новое");
        }
        // Only root may give a file to someone else; there the owner must survive a save too.
        let p = d.path().join("чужой.ron");
        std::fs::write(&p, "старое").unwrap();
        if std::os::unix::fs::chown(&p, Some(4242), Some(4343)).is_ok() {
            write_atomic(&p, b"x").unwrap();
            let meta = std::fs::metadata(&p).unwrap();
            assert_eq!((meta.uid(), meta.gid()), (4242, 4343));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_with_what_to_do() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("только-чтение.ron");
        std::fs::write(&p, "старое").unwrap();
        assert_eq!(read_only_reason(&p), None, "a writable file may be saved");
        assert_eq!(read_only_reason(&d.path().join("нет.ron")), None, "so may a new one");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
        // Checked by the mode bits, so it holds for root too, whom permissions do not stop.
        let err = write_atomic(&p, b"x").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
        let msg = err.to_string();
        for part in ["только-чтение.ron is read-only (mode 444)", "chmod u+w", "--annotations DIR"] {
            assert!(msg.contains(part), "{part:?} missing from: {msg}");
        }
        assert_eq!(read_only_reason(&p), Some(msg));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "старое");
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o444);
    }

    #[test]
    fn the_folder_lock_is_exclusive_and_creates_no_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("статья.ron");
        let held = Lock::acquire(&p).unwrap();
        let err =
            Lock::acquire_within(&d.path().join("другая.ron"), Duration::ZERO).err().expect("one folder, one lock");
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
        let msg = err.to_string();
        let folder = format!("holds the lock on {}", d.path().display());
        assert!(msg.contains("another newsnote (or a suspended `newsnote tag`)") && msg.contains(&folder), "{msg}");
        assert!(msg.contains("try again"), "{msg}");
        drop(held);
        let again = Lock::acquire_within(&p, Duration::ZERO).unwrap();
        drop(again);
        assert!(names_in(d.path()).is_empty(), "locking created {:?}", names_in(d.path()));
    }

    #[test]
    fn legacy_lock_files_are_removed_and_other_dot_files_kept() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("статья.ron");
        std::fs::write(d.path().join(".статья.ron.lock"), "").unwrap();
        std::fs::write(d.path().join(".другая.ron.lock"), "").unwrap();
        std::fs::write(d.path().join(".статья.lock"), "").unwrap();
        drop(Lock::acquire(&p).unwrap());
        assert_eq!(names_in(d.path()), [".другая.ron.lock", ".статья.lock"]);
        // Something at that name that newsnote never made (content, a FIFO) is not ours to remove.
        std::fs::write(d.path().join(".статья.ron.lock"), "чьё-то").unwrap();
        drop(Lock::acquire(&p).unwrap());
        assert!(d.path().join(".статья.ron.lock").exists());
        #[cfg(unix)]
        {
            let fifo = d.path().join(".другая.ron.lock");
            std::fs::remove_file(&fifo).unwrap();
            let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            // Neither opened (that would block) nor removed.
            drop(Lock::acquire(&d.path().join("другая.ron")).unwrap());
            assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        }
    }
}
