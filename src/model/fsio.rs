//! Writing files so that a crash, a kill or a second writer never costs data.
//!
//! Three tools, each for one failure: [`write_atomic`] (temp file in the same folder, write,
//! fsync, rename, fsync the folder) so readers see the old or the new file, never a torn one;
//! [`cleanup_stale_temps`] so temp files of a writer that died mid-save do not pile up (they
//! are never read: their names start with a dot and end in `.tmp`); and [`Lock`], an advisory
//! lock beside the file that serialises newsnote processes doing read → merge → write.

use std::io::Write;
use std::path::{Path, PathBuf};

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The temp file a process uses while replacing `path`.
fn temp_for(path: &Path, pid: u32) -> PathBuf {
    parent(path).join(format!(".{}.{pid}.tmp", file_name(path)))
}

/// Replaces `path` with `bytes` so that readers see the old or the new content, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = parent(path);
    std::fs::create_dir_all(dir)?;
    cleanup_stale_temps(path);
    let tmp = temp_for(path, std::process::id());
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            // Not every platform can fsync a directory; the rename has happened either way.
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
        let Some(pid) =
            name.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".tmp")).and_then(|p| p.parse::<u32>().ok())
        else {
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

/// An exclusive advisory lock on `.NAME.lock` beside a file, held until dropped. Serialises
/// newsnote processes that read, merge and write the same annotation file.
pub struct Lock {
    _file: std::fs::File,
}

impl Lock {
    pub fn acquire(path: &Path) -> std::io::Result<Self> {
        let dir = parent(path);
        std::fs::create_dir_all(dir)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(format!(".{}.lock", file_name(path))))?;
        file.lock()?;
        Ok(Self { _file: file })
    }
}

/// A stable hash of file contents, to notice that a file changed since it was read.
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

    #[test]
    fn temps_of_dead_writers_are_removed_and_live_ones_kept() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("a.ron");
        // A pid that cannot exist (above the kernel's maximum), one that does (ours), and
        // another file's temp.
        let dead = temp_for(&target, 4_000_000_000);
        let mine = temp_for(&target, std::process::id());
        let other = temp_for(&d.path().join("b.ron"), 4_000_000_000);
        for p in [&dead, &mine, &other] {
            std::fs::write(p, "partial").unwrap();
        }
        assert_eq!(cleanup_stale_temps(&target), usize::from(cfg!(target_os = "linux")));
        assert_eq!(dead.exists(), !cfg!(target_os = "linux"));
        assert!(mine.exists() && other.exists());
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

    #[test]
    fn the_lock_is_exclusive_between_handles() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.ron");
        let held = Lock::acquire(&p).unwrap();
        let f = std::fs::OpenOptions::new().write(true).open(d.path().join(".a.ron.lock")).unwrap();
        assert!(matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock)));
        drop(held);
        assert!(f.try_lock().is_ok());
    }
}
