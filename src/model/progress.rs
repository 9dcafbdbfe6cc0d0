//! Where a coder, an editor and an adjudicator say how far an article has got: "done" (the
//! coder has finished it), "reviewed" (an editor went through it), "adjudicated" (its gold
//! version is settled).
//!
//! Marks are about articles, not annotations, so they live in one small file per annotations
//! folder (`progress.ron`, beside the coder's mirrored tree, or at the corpus root when the
//! files sit next to the articles) rather than in each article's file: the list shows every
//! coder's progress by reading one file per coder, never one per article. The file is saved
//! through the one save path ([`super::save::save`]: lock, three-way merge by mark id,
//! conflicts sidecar, atomic write), so a coder's TUI and a script marking articles at once
//! both keep their marks.

use super::corpus::AnnotationRoot;
use super::save::{Conflict, Record, RecordFile, SaveReport, SaveRequest, Stamp, read_sidecar, ron_error};
use super::store::{StoreError, to_pretty_ron};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The progress file's name in an annotations folder (or at the corpus root).
pub const PROGRESS_FILE: &str = "progress.ron";

/// Version of the progress file's layout.
pub const PROGRESS_FORMAT: u32 = 1;

/// What the `progress:` field says, so no other RON file is taken for one and overwritten.
const KIND: &str = "newsnote progress";

/// How far an article has got, in one person's hands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stage {
    /// The coder has finished the article.
    Done,
    /// An editor has reviewed the article's annotations.
    Reviewed,
    /// The article's gold version is settled (in a gold folder).
    Adjudicated,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Done, Stage::Reviewed, Stage::Adjudicated];

    /// The name files, exports and messages use (the serde name, lowercased for ids).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Done => "done",
            Stage::Reviewed => "reviewed",
            Stage::Adjudicated => "adjudicated",
        }
    }
}

/// One article at one stage: who said so and when. Its id is the stage and the article, so a
/// folder holds at most one mark of each stage per article, and two writers marking the same
/// article are the same record (merged, not doubled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub id: String,
    /// The article id (its path relative to the corpus root, or `FILE#KEY`).
    pub article: String,
    pub stage: Stage,
    pub by: String,
    /// RFC 3339, UTC.
    pub at: String,
}

impl Mark {
    pub fn new(article: &str, stage: Stage, by: &str, at: &str) -> Self {
        Self { id: mark_id(article, stage), article: article.to_owned(), stage, by: by.to_owned(), at: at.to_owned() }
    }
}

fn mark_id(article: &str, stage: Stage) -> String {
    format!("{} {article}", stage.as_str())
}

impl Record for Mark {
    type Id = String;
    fn id(&self) -> &String {
        &self.id
    }
    /// Two writers marking one article at one stage mean the same thing: the earlier mark
    /// stands (it says when the article first got there).
    fn combine(mine: &Self, theirs: &Self) -> Option<Self> {
        (mine.article == theirs.article && mine.stage == theirs.stage)
            .then(|| if mine.at <= theirs.at { mine.clone() } else { theirs.clone() })
    }
}

/// The progress file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressFile {
    pub format: u32,
    /// Always `"newsnote progress"`.
    pub progress: String,
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ProgressConflictFile {
    format: u32,
    progress: String,
    conflicts: Vec<Conflict<Mark>>,
}

impl ProgressFile {
    pub fn new(mut marks: Vec<Mark>) -> Self {
        marks.sort_by(|a, b| a.id.cmp(&b.id));
        Self { format: PROGRESS_FORMAT, progress: KIND.into(), marks }
    }

    /// Parses the file's bytes: UTF-8, RON, the right kind, a format this reads, no id twice.
    pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Self, StoreError> {
        let text =
            std::str::from_utf8(bytes).map_err(|e| StoreError::NotUtf8 { path: path.into(), at: e.valid_up_to() })?;
        let line_of = |field: &str| text.lines().position(|l| l.trim_start().starts_with(field)).map_or(1, |i| i + 1);
        let file: ProgressFile = ron::from_str(text).map_err(ron_error(path))?;
        if file.progress != KIND {
            return Err(StoreError::Foreign {
                path: path.into(),
                line: line_of("progress:"),
                reason: format!("not a newsnote progress file (progress: {:?})", file.progress),
            });
        }
        if file.format > PROGRESS_FORMAT {
            return Err(StoreError::Foreign {
                path: path.into(),
                line: line_of("format:"),
                reason: format!(
                    "progress format {} is newer than this newsnote understands ({PROGRESS_FORMAT}); upgrade newsnote",
                    file.format
                ),
            });
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = file.marks.iter().find(|m| !seen.insert(&m.id)) {
            return Err(StoreError::DuplicateId { path: path.into(), id: dup.id.clone() });
        }
        Ok(file)
    }
}

impl RecordFile for ProgressFile {
    type Rec = Mark;
    fn records(&self) -> &[Mark] {
        &self.marks
    }
    fn set_records(&mut self, mut records: Vec<Mark>) {
        records.sort_by(|a, b| a.id.cmp(&b.id));
        self.marks = records;
    }
    fn parse_theirs(&self, path: &Path, bytes: &[u8]) -> Result<Vec<Mark>, StoreError> {
        Ok(Self::parse_bytes(path, bytes)?.marks)
    }
    fn to_ron(&self) -> String {
        to_pretty_ron(self)
    }
    fn load_conflicts(path: &Path) -> Result<Vec<Conflict<Mark>>, StoreError> {
        let Some((side, text)) = read_sidecar(path)? else { return Ok(Vec::new()) };
        let file: ProgressConflictFile = ron::from_str(&text).map_err(ron_error(&side))?;
        Ok(file.conflicts)
    }
    fn conflicts_ron(&self, conflicts: &[Conflict<Mark>]) -> String {
        to_pretty_ron(&ProgressConflictFile {
            format: PROGRESS_FORMAT,
            progress: KIND.into(),
            conflicts: conflicts.to_vec(),
        })
    }
}

/// One folder's marks as this writer last read or wrote them, with what a save needs.
#[derive(Debug, Clone)]
pub struct Progress {
    pub path: PathBuf,
    file: ProgressFile,
    base: Vec<Mark>,
    expected: Option<u64>,
    stamp: Option<Stamp>,
    by_id: HashMap<String, usize>,
    /// Changed since the last save.
    pub dirty: bool,
}

impl Progress {
    /// Where the marks of an annotations root live: `progress.ron` in a mirrored folder, or
    /// at the corpus root when the files sit next to the articles.
    pub fn locate(root: &Path, annotations: &AnnotationRoot) -> PathBuf {
        match annotations {
            AnnotationRoot::Mirrored(dir) => dir.join(PROGRESS_FILE),
            AnnotationRoot::NextToArticles => root.join(PROGRESS_FILE),
        }
    }

    /// No marks yet; they will be written to `path`.
    pub fn empty(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
            file: ProgressFile::new(Vec::new()),
            base: Vec::new(),
            expected: None,
            stamp: None,
            by_id: HashMap::new(),
            dirty: false,
        }
    }

    /// Reads the marks at `path`; none when there is no file yet. A file that cannot be read
    /// exactly is an error (file:line:column), never replaced.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut p = Self::empty(path);
        p.reload()?;
        Ok(p)
    }

    /// Reads the file again (after another writer changed it). Unsaved marks are lost, so
    /// callers save first.
    pub fn reload(&mut self) -> Result<(), StoreError> {
        let stamp = Stamp::of(&self.path);
        let read = |source| StoreError::Read { path: self.path.clone(), source };
        let (file, expected) = match super::fsio::read_regular(&self.path).map_err(read)? {
            None => (ProgressFile::new(Vec::new()), None),
            Some(bytes) => (ProgressFile::parse_bytes(&self.path, &bytes)?, Some(super::fsio::file_hash(&bytes))),
        };
        self.base = file.marks.clone();
        self.file = file;
        self.expected = expected;
        self.stamp = stamp;
        self.dirty = false;
        self.reindex();
        Ok(())
    }

    fn reindex(&mut self) {
        self.by_id = self.file.marks.iter().enumerate().map(|(i, m)| (m.id.clone(), i)).collect();
    }

    /// Whether the file on disk is no longer what this writer last read or wrote.
    pub fn changed_on_disk(&self) -> bool {
        Stamp::of(&self.path) != self.stamp
    }

    /// Every mark, sorted by id.
    pub fn marks(&self) -> &[Mark] {
        &self.file.marks
    }

    /// The article's mark at `stage`, if it has one.
    pub fn get(&self, article: &str, stage: Stage) -> Option<&Mark> {
        // Asked of every article when a corpus opens (the list's counts of marks): with no
        // marks, the answer needs no key built, which was a third of a 100,000-record
        // container's first frame.
        if self.by_id.is_empty() {
            return None;
        }
        self.by_id.get(&mark_id(article, stage)).map(|&i| &self.file.marks[i])
    }

    /// Whether the article has reached `stage`.
    pub fn is(&self, article: &str, stage: Stage) -> bool {
        self.get(article, stage).is_some()
    }

    /// Marks the article at `stage` (a mark already there stays as it was). Returns whether
    /// anything changed.
    pub fn set(&mut self, article: &str, stage: Stage, by: &str, at: &str) -> bool {
        if self.is(article, stage) {
            return false;
        }
        let mut marks = std::mem::take(&mut self.file.marks);
        marks.push(Mark::new(article, stage, by, at));
        self.file.set_records(marks);
        self.reindex();
        self.dirty = true;
        true
    }

    /// Takes the article's mark at `stage` away. Returns the mark it had, for undo.
    pub fn clear(&mut self, article: &str, stage: Stage) -> Option<Mark> {
        let i = *self.by_id.get(&mark_id(article, stage))?;
        let gone = self.file.marks.remove(i);
        self.reindex();
        self.dirty = true;
        Some(gone)
    }

    /// Puts a mark back exactly as it was (undo of [`Progress::clear`]).
    pub fn restore(&mut self, mark: Mark) {
        let mut marks = std::mem::take(&mut self.file.marks);
        marks.retain(|m| m.id != mark.id);
        marks.push(mark);
        self.file.set_records(marks);
        self.reindex();
        self.dirty = true;
    }

    /// How many articles of `ids` have reached `stage`.
    pub fn count<'a>(&self, ids: impl IntoIterator<Item = &'a str>, stage: Stage) -> usize {
        ids.into_iter().filter(|id| self.is(id, stage)).count()
    }

    /// A save request for the progress file, through the one save path.
    pub fn save_request(&self) -> SaveRequest<ProgressFile> {
        let mut req = SaveRequest::new(&self.path, self.file.clone(), self.base.clone(), self.expected);
        req.stamp = self.stamp;
        req
    }

    /// Takes what a save did: the marks on disk become the base (and what this holds).
    pub fn saved(&mut self, report: &SaveReport<Mark>) {
        self.file.marks = report.annotations.clone();
        self.base = report.annotations.clone();
        self.expected = Some(report.hash);
        self.stamp = report.stamp;
        self.dirty = false;
        self.reindex();
    }

    /// Saves now (the CLI's way; the TUI sends the request to its loop). The folder is made
    /// when it does not exist yet (a coder's first mark in a new folder).
    pub fn save(&mut self) -> Result<SaveReport<Mark>, StoreError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Write { path: self.path.clone(), source })?;
        }
        let report = super::save::save(self.save_request())?;
        self.saved(&report);
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_is_saved_and_read_back_with_who_and_when() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("алиса").join(PROGRESS_FILE);
        let mut p = Progress::open(&path).unwrap();
        assert!(p.set("статьи/первая.txt", Stage::Done, "Алиса", "2026-12-01T10:00:00Z"));
        assert!(!p.set("статьи/первая.txt", Stage::Done, "Алиса", "2026-12-01T11:00:00Z"), "marked once");
        p.save().unwrap();
        let back = Progress::open(&path).unwrap();
        let m = back.get("статьи/первая.txt", Stage::Done).expect("the mark");
        assert_eq!((m.by.as_str(), m.at.as_str()), ("Алиса", "2026-12-01T10:00:00Z"));
        assert!(!back.is("статьи/первая.txt", Stage::Reviewed));
    }

    #[test]
    fn two_writers_marking_different_articles_keep_both_marks() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join(PROGRESS_FILE);
        let mut tui = Progress::open(&path).unwrap();
        let mut script = Progress::open(&path).unwrap();
        tui.set("a.txt", Stage::Done, "Zoë", "2026-12-01T10:00:00Z");
        tui.save().unwrap();
        script.set("b.txt", Stage::Reviewed, "Редактор", "2026-12-01T10:01:00Z");
        script.save().unwrap();
        let back = Progress::open(&path).unwrap();
        assert!(back.is("a.txt", Stage::Done) && back.is("b.txt", Stage::Reviewed), "{:?}", back.marks());
    }

    #[test]
    fn a_cleared_mark_is_gone_on_disk_and_restore_brings_it_back() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join(PROGRESS_FILE);
        let mut p = Progress::open(&path).unwrap();
        p.set("ü.txt", Stage::Done, "Jörg", "2026-12-01T10:00:00Z");
        p.save().unwrap();
        let gone = p.clear("ü.txt", Stage::Done).expect("it was marked");
        p.save().unwrap();
        assert!(!Progress::open(&path).unwrap().is("ü.txt", Stage::Done));
        p.restore(gone);
        p.save().unwrap();
        assert!(Progress::open(&path).unwrap().is("ü.txt", Stage::Done));
    }

    #[test]
    fn an_annotation_file_is_never_taken_for_a_progress_file() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join(PROGRESS_FILE);
        std::fs::write(&path, "(format: 1, progress: \"something else\", marks: [])").unwrap();
        let err = Progress::open(&path).unwrap_err();
        assert!(err.to_string().contains("not a newsnote progress file"), "{err}");
        std::fs::write(&path, "(format: 1,\n progress: \"newsnote progress\",\n marks: [(]").unwrap();
        let err = Progress::open(&path).unwrap_err();
        assert!(err.to_string().starts_with(&format!("{}:3:", path.display())), "{err}");
    }
}
