//! The one way annotations reach disk, for every writer: the TUI, `tag`, `check --fix`,
//! `import`, and anything later.
//!
//! A save takes the folder's lock, re-reads the file, and when it is not what this writer last
//! saw, merges three ways by id ([`merge3`]). Everything that could silently cost someone's
//! work is decided here, once:
//! - a file that vanished (`rm`, `git checkout`, `git stash`, a moved folder) is not another
//!   writer deleting everything: our annotations are written back and the report says so;
//! - a file another writer left unreadable, not valid UTF-8, or holding one id twice (a
//!   "keep both" git resolution) is never overwritten: the save fails with the reason;
//! - different changes to one annotation are conflicts: the file keeps *their* version and
//!   ours goes to the conflicts sidecar, where conflicts accumulate until a person resolves
//!   them (they are read again on the next open, and `check` counts them);
//! - a merge never writes a claim citing a source that no longer exists.
//!
//! The sidecar is written before the annotation file, so a failure between the two can cost
//! nothing: at worst a conflict is recorded whose "theirs" is still what the file holds.

use super::annotation::{Annotation, AnnotationId};
use super::fsio::{Lock, Staged, file_hash, read_regular, sync_folder, write_atomic};
use super::merge::{drop_said_suggestions, merge3, repair_links};
use super::store::{AnnotationFile, StoreError, to_pretty_ron};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a file of records holds one of, merged by id: an annotation, an entity of the
/// registry. The one save path ([`save`]) works on any of them, so every file a person's
/// work lives in gets the same lock, merge, conflict sidecar and atomic write.
pub trait Record: Clone + PartialEq + std::fmt::Debug + Serialize + DeserializeOwned {
    type Id: Clone + Ord + Eq + std::hash::Hash + std::fmt::Debug + std::fmt::Display + Serialize + DeserializeOwned;
    fn id(&self) -> &Self::Id;
    /// Both writers added a record under one id that neither had before (two coders adding
    /// "Dmitry Peskov" at once give one slug): the one record that keeps what either had,
    /// when the two can be one. `None` makes it a conflict, as for annotations, whose ids
    /// are random and so never meet this way.
    fn combine(_mine: &Self, _theirs: &Self) -> Option<Self> {
        None
    }
}

impl Record for Annotation {
    type Id = AnnotationId;
    fn id(&self) -> &AnnotationId {
        &self.id
    }
}

/// A file of [`Record`]s as [`save`] needs it: its records, how the other writer's version
/// is read (exactly, or not at all), how it is written, and its conflicts sidecar.
pub trait RecordFile: Clone {
    type Rec: Record;
    fn records(&self) -> &[Self::Rec];
    fn set_records(&mut self, records: Vec<Self::Rec>);
    /// The other writer's records from the file's bytes, refused (never merged, never
    /// overwritten) unless they could be read exactly.
    fn parse_theirs(&self, path: &Path, bytes: &[u8]) -> Result<Vec<Self::Rec>, StoreError>;
    /// After a merge: what keeps the merged records consistent (links to records one side
    /// deleted), in words. Nothing by default.
    fn repair(records: Vec<Self::Rec>, _sides: &[&[Self::Rec]]) -> (Vec<Self::Rec>, Vec<String>) {
        (records, Vec::new())
    }
    fn to_ron(&self) -> String;
    /// The unresolved conflicts kept beside the file at `path`.
    fn load_conflicts(path: &Path) -> Result<Vec<Conflict<Self::Rec>>, StoreError>;
    /// The sidecar's text for `conflicts`.
    fn conflicts_ron(&self, conflicts: &[Conflict<Self::Rec>]) -> String;
}

/// One record both sides changed differently. `None` means that side deleted it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Record", deserialize = "T: Record"))]
pub struct Conflict<T: Record = Annotation> {
    pub id: T::Id,
    pub mine: Option<T>,
    pub theirs: Option<T>,
}

/// Version of the sidecar layout: 2 holds format 2 annotations; a format 1 sidecar loads
/// through `codebook::v1`.
pub const CONFLICTS_FORMAT: u32 = 2;

/// The conflicts sidecar: every unresolved conflict of one annotation file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictFile {
    pub format: u32,
    pub article: String,
    pub conflicts: Vec<Conflict>,
}

/// Where unresolved conflicts of `x/foo.ron` are kept: `x/foo.ron.conflicts`. The name does
/// not end in `.ron`, so it can never be the annotation file of another article (the old
/// `foo.conflicts.ron` was the annotation file of `foo.conflicts.txt`).
pub fn conflicts_path(ron: &Path) -> PathBuf {
    let mut name = ron.file_name().unwrap_or_default().to_os_string();
    name.push(".conflicts");
    ron.with_file_name(name)
}

/// Reads the sidecar beside `ron` as text; `None` when there is no sidecar.
pub fn read_sidecar(ron: &Path) -> Result<Option<(PathBuf, String)>, StoreError> {
    let path = conflicts_path(ron);
    let Some(bytes) = read_regular(&path).map_err(|source| StoreError::Read { path: path.clone(), source })? else {
        return Ok(None);
    };
    let text = String::from_utf8(bytes)
        .map_err(|e| StoreError::NotUtf8 { path: path.clone(), at: e.utf8_error().valid_up_to() })?;
    Ok(Some((path, text)))
}

/// A RON parse error as the store reports it: file, line, column, what is wrong.
pub fn ron_error(path: &Path) -> impl Fn(ron::error::SpannedError) -> StoreError + '_ {
    move |e| StoreError::Parse {
        path: path.to_owned(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
    }
}

/// Reads the unresolved conflicts kept beside `ron`; none when there is no sidecar.
pub fn load_conflicts(ron: &Path) -> Result<Vec<Conflict>, StoreError> {
    let Some((path, text)) = read_sidecar(ron)? else { return Ok(Vec::new()) };
    let text = text.as_str();
    let parse_error = ron_error(&path);
    if crate::model::codebook::v1::declared_format(text) == Some(1) {
        let old: ConflictFile1 = ron::from_str(text).map_err(parse_error)?;
        let conv = |a: Option<crate::model::codebook::v1::Annotation1>| a.map(Annotation::from);
        return Ok(old
            .conflicts
            .into_iter()
            .map(|c| Conflict { id: c.id, mine: conv(c.mine), theirs: conv(c.theirs) })
            .collect());
    }
    let file: ConflictFile = ron::from_str(text).map_err(parse_error)?;
    Ok(file.conflicts)
}

/// A format 1 sidecar (annotations in the old shape).
#[derive(Deserialize)]
struct ConflictFile1 {
    conflicts: Vec<Conflict1>,
}

#[derive(Deserialize)]
struct Conflict1 {
    id: AnnotationId,
    mine: Option<crate::model::codebook::v1::Annotation1>,
    theirs: Option<crate::model::codebook::v1::Annotation1>,
}

/// What a file's metadata says about its contents without reading them: which file (device,
/// inode), its length and its modification time to the nanosecond. When the stamp recorded at
/// our last read or write still holds, no other writer replaced or changed the file (an
/// atomic save makes a new inode; an in-place edit moves the mtime), so a save can skip
/// re-reading and hashing it: the per-save cost stays the write itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime_ns: i128,
}

impl Stamp {
    /// The stamp of `path` as it is now; `None` when it cannot be had (no file, no metadata).
    pub fn of(path: &Path) -> Option<Self> {
        let m = std::fs::symlink_metadata(path).ok()?;
        let mtime_ns = m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (m.dev(), m.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        Some(Self { dev, ino, len: m.len(), mtime_ns })
    }
}

/// What one save should do besides writing `file`.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveRequest<F: RecordFile = AnnotationFile> {
    pub path: PathBuf,
    /// Our annotations (with the article id, fingerprint and flags of the file).
    pub file: F,
    /// The annotations as this writer last read or wrote them: the base of the merge.
    pub base: Vec<F::Rec>,
    /// Hash of the bytes last read or written; `None` when there was no file then.
    pub expected: Option<u64>,
    /// The file's stamp when `expected` was taken, if it was taken safely (see [`Stamp`]).
    pub stamp: Option<Stamp>,
    /// Conflicts found outside a merge (an undo of something another writer changed since).
    pub add_conflicts: Vec<Conflict<F::Rec>>,
    /// Conflicts the person resolved: dropped from the sidecar.
    pub resolved: Vec<Conflict<F::Rec>>,
    /// Remove temp files crashed writers left beside the file and its sidecar. It lists the
    /// folder, so an open document asks for it on its first save only, not on every key.
    pub cleanup: bool,
}

impl<F: RecordFile> SaveRequest<F> {
    pub fn new(path: &Path, file: F, base: Vec<F::Rec>, expected: Option<u64>) -> Self {
        Self {
            path: path.to_owned(),
            file,
            base,
            expected,
            stamp: None,
            add_conflicts: Vec::new(),
            resolved: Vec::new(),
            cleanup: true,
        }
    }
}

/// What a save did.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveReport<T: Record = Annotation> {
    /// The records now on disk (ours, or the merge).
    pub annotations: Vec<T>,
    /// Hash of the bytes written, the new base for the next save.
    pub hash: u64,
    /// The stamp of the file as written (taken under the lock, so it is ours).
    pub stamp: Option<Stamp>,
    /// How many annotations came from the other writer's changes.
    pub merged: usize,
    /// Conflicts this save found.
    pub conflicts: Vec<Conflict<T>>,
    /// Every unresolved conflict now in the sidecar (earlier ones included).
    pub pending: Vec<Conflict<T>>,
    /// The file (or its folder) had disappeared since we read it; everything we had was
    /// written back.
    pub vanished: bool,
    /// What the merge changed to keep links whole, in words.
    pub repairs: Vec<String>,
}

impl<T: Record> SaveReport<T> {
    /// Whether the annotations on disk differ from what the writer sent (it must reload them).
    pub fn changed_ours(&self) -> bool {
        self.merged > 0 || !self.conflicts.is_empty() || !self.repairs.is_empty()
    }
}

/// Whether the file at `path` is still what the writer last read or wrote (by its stamp), or
/// still absent as it was then: then there is nothing to merge and nothing to read.
fn as_last_seen<F: RecordFile>(req: &SaveRequest<F>) -> bool {
    match (req.expected, req.stamp) {
        (Some(_), Some(stamp)) => Stamp::of(&req.path) == Some(stamp),
        (None, _) => std::fs::symlink_metadata(&req.path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound),
        (Some(_), None) => false,
    }
}

/// A writer killed mid-save leaves its temp file beside the file or the sidecar.
fn remove_crashed_temps(path: &Path) {
    super::fsio::cleanup_stale_temps(path);
    super::fsio::cleanup_stale_temps(&conflicts_path(path));
}

/// Saves through the lock, merging with whatever another writer put on disk since `base`.
///
/// When the file is as this writer last saw it, which is nearly always, the new file is
/// written and flushed before the lock is taken, and under the lock it is only checked that
/// this still holds and renamed into place: savers in one folder (a `suggest` run writing
/// 700 pages beside each other, a TUI) then wait for each other's rename, not for each
/// other's disk. When another writer got there first, the staged file is dropped and the save
/// merges under the lock as always.
pub fn save<F: RecordFile>(req: SaveRequest<F>) -> Result<SaveReport<F::Rec>, StoreError> {
    let path = req.path.as_path();
    let write_err = |source| StoreError::Write { path: path.into(), source };
    let simple = req.add_conflicts.is_empty() && req.resolved.is_empty() && as_last_seen(&req);
    let staged = if simple {
        let text = req.file.to_ron();
        let staged = Staged::write(path, |f| f.write_all(text.as_bytes())).map_err(write_err)?;
        Some((staged, text))
    } else {
        None
    };
    let lock = Lock::acquire(path).map_err(write_err)?;
    if let Some((staged, text)) = staged
        && as_last_seen(&req)
    {
        if req.cleanup {
            remove_crashed_temps(path);
        }
        let pending = F::load_conflicts(path)?;
        staged.commit().map_err(write_err)?;
        let stamp = Stamp::of(path);
        drop(lock);
        sync_folder(path);
        return Ok(SaveReport {
            annotations: req.file.records().to_vec(),
            hash: file_hash(text.as_bytes()),
            stamp,
            merged: 0,
            conflicts: Vec::new(),
            pending,
            vanished: false,
            repairs: Vec::new(),
        });
    }
    // Unchanged since our last read or write: nothing to merge, nothing to read.
    let untouched = req.expected.is_some() && as_last_seen(&req);
    let mut file = req.file;
    let (mut merged, mut conflicts, mut repairs, mut vanished) = (0, Vec::new(), Vec::new(), false);
    let on_disk = if untouched {
        None
    } else {
        read_regular(path).map_err(|source| StoreError::Read { path: path.into(), source })?
    };
    match (&on_disk, req.expected) {
        _ if untouched => {}
        (Some(bytes), expected) if Some(file_hash(bytes)) != expected => {
            let theirs = file.parse_theirs(path, bytes)?;
            let (recs, n, c) = merge3(&req.base, file.records(), &theirs);
            let (recs, r) = F::repair(recs, &[&theirs, file.records(), &req.base]);
            file.set_records(recs);
            (merged, conflicts, repairs) = (n, c, r);
        }
        (None, Some(_)) => vanished = true,
        _ => {}
    }
    if req.cleanup {
        remove_crashed_temps(path);
    }
    let mut pending = F::load_conflicts(path)?;
    let before = pending.clone();
    pending.retain(|c| !req.resolved.contains(c));
    for c in req.add_conflicts.iter().chain(&conflicts) {
        if !pending.contains(c) {
            pending.push(c.clone());
        }
    }
    // Ours first: once it is on disk, nothing the main write does can lose it.
    if pending != before {
        let side = conflicts_path(path);
        if pending.is_empty() {
            match std::fs::remove_file(&side) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(write_err(e)),
                _ => {}
            }
        } else {
            write_atomic(&side, file.conflicts_ron(&pending).as_bytes())
                .map_err(|source| StoreError::Write { path: side.clone(), source })?;
        }
    }
    let text = file.to_ron();
    write_atomic(path, text.as_bytes()).map_err(write_err)?;
    Ok(SaveReport {
        annotations: file.records().to_vec(),
        hash: file_hash(text.as_bytes()),
        stamp: Stamp::of(path),
        merged,
        conflicts,
        pending,
        vanished,
        repairs,
    })
}

impl RecordFile for AnnotationFile {
    type Rec = Annotation;
    fn records(&self) -> &[Annotation] {
        &self.annotations
    }
    fn set_records(&mut self, mut records: Vec<Annotation>) {
        records.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.annotations = records;
    }
    /// The other writer's file, which must be exactly readable to be merged: never rewrite
    /// what could not be read exactly.
    fn parse_theirs(&self, path: &Path, bytes: &[u8]) -> Result<Vec<Annotation>, StoreError> {
        let text =
            std::str::from_utf8(bytes).map_err(|e| StoreError::NotUtf8 { path: path.into(), at: e.valid_up_to() })?;
        let theirs = AnnotationFile::parse(path, text, &self.article)?;
        if let Some(id) = theirs.duplicate_id() {
            return Err(StoreError::DuplicateId { path: path.into(), id: id.to_string() });
        }
        Ok(theirs.annotations)
    }
    fn repair(records: Vec<Annotation>, sides: &[&[Annotation]]) -> (Vec<Annotation>, Vec<String>) {
        let (records, mut said) = drop_said_suggestions(records);
        let (records, mut repaired) = repair_links(records, sides);
        said.append(&mut repaired);
        (records, said)
    }
    fn to_ron(&self) -> String {
        AnnotationFile::to_ron(self)
    }
    fn load_conflicts(path: &Path) -> Result<Vec<Conflict>, StoreError> {
        load_conflicts(path)
    }
    fn conflicts_ron(&self, conflicts: &[Conflict]) -> String {
        let cf =
            ConflictFile { format: CONFLICTS_FORMAT, article: self.article.clone(), conflicts: conflicts.to_vec() };
        to_pretty_ron(&cf)
    }
}

#[cfg(test)]
#[path = "save_tests.rs"]
mod tests;
