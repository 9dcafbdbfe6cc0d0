//! A corpus: the articles under a root folder and where each one's annotations live.
//!
//! Annotation roots are a value, not a convention baked into paths, because coders will each
//! get their own folder later: the same article can have its RON file next to it
//! (`x/foo.txt` → `x/foo.ron`) or in a mirrored tree under another folder (`DIR/x/foo.ron`).
//! [`Corpus::scan`] lists the files and reads none of them, so a big corpus opens in about the
//! time `find` takes to list it (the TUI opens corpora this way): an entry's summary (whether
//! the file is text at all, the title from its first few KB, the counts and validity from its
//! RON file) is read on demand by [`Corpus::summarize`], for the list rows on screen, or for
//! all entries at once ([`Corpus::summarize_all`], on every core) when the filter needs them.
//! [`Corpus::open`] is a scan with every summary read and the binary files left out: what the
//! subcommands use. Whole article texts are never read here.
//!
//! Neither fails on what it finds: a folder or file it cannot read, a broken or looping link,
//! or a binary file with a text extension (a NUL byte, or mostly control bytes, in its first
//! 8 KiB, as git judges) becomes a warning naming the path, and the rest opens. In a scanned
//! corpus a binary file stays listed, marked `!`, once summarized, and does not open.
//! Symlinked folders are not followed, so a link loop cannot make the walk endless.

use super::annotation::LabelId;
use super::container::fields::{CorpusConfig, Fields};
use super::container::{self, Index};
use super::load::{self, Format, Source};
use super::meta::ArticleMeta;
use super::store::AnnotationFile;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Where an article's RON file lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotationRoot {
    /// `PATH/x/foo.txt` → `PATH/x/foo.ron`.
    NextToArticles,
    /// `PATH/x/foo.txt` → `DIR/x/foo.ron`.
    Mirrored(PathBuf),
}

/// How much of a file is looked at to tell text from binary (git looks at 8000 bytes).
const SNIFF_BYTES: u64 = 8192;

/// Folders nested deeper than this are not entered (a bind-mount loop, a runaway tree).
const MAX_DEPTH: usize = 64;

/// Per-label counts shown in the article list, by label id (the codebook says which labels
/// there are and in what order they are shown). The coding (accepted annotations) and the
/// open suggestions are counted apart, so a list of proposals never reads as work done;
/// rejected suggestions are not counted at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    by_label: Vec<(LabelId, usize)>,
    proposed: Vec<(LabelId, usize)>,
    /// Annotations of the coding an editor has given a verdict (`Annotation::verdict`).
    reviewed: usize,
}

impl Counts {
    /// Counts one annotation where its status puts it.
    pub fn count(&mut self, a: &super::annotation::Annotation) {
        use super::annotation::Status;
        match a.status {
            Status::Accepted => self.add(&a.label),
            Status::Proposed => bump(&mut self.proposed, &a.label),
            Status::Rejected => {}
        }
        if a.status == Status::Accepted && a.verdict().is_some() {
            self.reviewed += 1;
        }
    }

    /// How many annotations of the coding have an editor's verdict: the list shows a review
    /// under way (`r3/12`) before the article is marked reviewed.
    pub fn reviewed(&self) -> usize {
        self.reviewed
    }

    /// Counts an accepted annotation of `label`.
    pub fn add(&mut self, label: &LabelId) {
        bump(&mut self.by_label, label);
    }

    /// How many open suggestions have this label.
    pub fn proposed_of(&self, label: &str) -> usize {
        self.proposed.iter().find(|(l, _)| l.as_str() == label).map_or(0, |(_, n)| *n)
    }

    /// How many suggestions wait for a person.
    pub fn proposed_total(&self) -> usize {
        self.proposed.iter().map(|(_, n)| n).sum()
    }

    /// Every label with open suggestions, in the order first seen.
    pub fn proposed(&self) -> impl Iterator<Item = (&LabelId, usize)> {
        self.proposed.iter().map(|(l, n)| (l, *n))
    }

    /// How many annotations have this label.
    pub fn of(&self, label: &str) -> usize {
        self.by_label.iter().find(|(l, _)| l.as_str() == label).map_or(0, |(_, n)| *n)
    }

    pub fn total(&self) -> usize {
        self.by_label.iter().map(|(_, n)| n).sum()
    }

    /// Every label counted, in the order first seen.
    pub fn iter(&self) -> impl Iterator<Item = (&LabelId, usize)> {
        self.by_label.iter().map(|(l, n)| (l, *n))
    }
}

fn bump(counts: &mut Vec<(LabelId, usize)>, label: &LabelId) {
    match counts.iter_mut().find(|(l, _)| l == label) {
        Some((_, n)) => *n += 1,
        None => counts.push((label.clone(), 1)),
    }
}

/// State of an article's RON file as last read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    Missing,
    Valid,
    /// Unreadable, unparsable or foreign: the message says which and where.
    Invalid(String),
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Path relative to the root, `/`-separated.
    pub id: String,
    pub path: PathBuf,
    pub ron_path: PathBuf,
    /// How the file is read, from its extension ([`load::FORMATS`]).
    pub format: Format,
    /// Empty until [`summarized`](Self::summarized).
    pub title: String,
    /// What the article says about itself (outlet, date, …), read with the title; empty for
    /// plain text.
    pub meta: EntryMeta,
    pub counts: Counts,
    pub state: FileState,
    /// Whether `title`, `counts` and `state` have been read (see [`Corpus::summarize`]).
    pub summarized: bool,
    /// Why the file is not an article, found when it is summarized (a scanned corpus lists
    /// it until then; an opened one leaves it out).
    pub binary: Option<String>,
    /// Set when the file is over the article size limit (found when it is summarized): the
    /// list marks it as no article, and opening it says why.
    pub too_large: bool,
    /// Why newsnote will not change the RON file (read-only mode, a link), found when it is
    /// summarized: [`fsio::read_only_reason`](super::fsio::read_only_reason).
    pub read_only: Option<String>,
    /// For a record of a container file (`path`), where it is in it: see
    /// `model::container`. `None` for an article that is a whole file.
    pub record: Option<RecordRef>,
}

/// An entry's metadata, allocated only once there is some: a container's 100,000 entries are
/// made before any is read, and a box for each one's empty metadata was a tenth of its
/// first frame. Reads as an [`ArticleMeta`] (an empty one until set); writing through it
/// allocates.
#[derive(Debug, Clone, Default)]
pub struct EntryMeta(Option<Box<ArticleMeta>>);

/// What an entry without metadata reads as.
static NO_META: ArticleMeta = ArticleMeta {
    title: None,
    outlet: None,
    authors: Vec::new(),
    published: None,
    url: None,
    language: None,
    section: None,
};

impl From<ArticleMeta> for EntryMeta {
    fn from(meta: ArticleMeta) -> Self {
        EntryMeta((meta != NO_META).then(|| Box::new(meta)))
    }
}

impl std::ops::Deref for EntryMeta {
    type Target = ArticleMeta;
    fn deref(&self) -> &ArticleMeta {
        self.0.as_deref().unwrap_or(&NO_META)
    }
}

impl std::ops::DerefMut for EntryMeta {
    fn deref_mut(&mut self) -> &mut ArticleMeta {
        self.0.get_or_insert_default()
    }
}

/// A record of a container: the container's index (shared by all its records) and which.
#[derive(Debug, Clone)]
pub struct RecordRef {
    pub index: Arc<Index>,
    pub n: usize,
}

#[derive(Debug, Clone)]
pub struct Corpus {
    pub root: PathBuf,
    pub annotations: AnnotationRoot,
    /// Sorted by id, except that a container's records keep their file order (where the
    /// container's id sorts).
    pub entries: Vec<Entry>,
    /// Files or folders that could not be read while scanning.
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{0}: no such file or folder")]
    NotFound(PathBuf),
    #[error("{}: not a {} article", .0.display(), load::extensions_for_people())]
    NotAnArticle(PathBuf),
    #[error("{0}: cannot read: {1}")]
    Unreadable(PathBuf, std::io::Error),
    #[error("{0}")]
    SharedAnnotations(String),
    /// `corpus.ron` is broken: which records are which articles is unknown.
    #[error("{0}; fix it, or move it away to use the default field names")]
    Config(#[from] container::fields::ConfigError),
}

impl Corpus {
    /// Opens a folder (recursively) or a single article file, with every entry's summary.
    pub fn open(path: &Path, annotations: AnnotationRoot) -> Result<Self, CorpusError> {
        let mut corpus = Self::scan(path, annotations)?;
        corpus.complete();
        Ok(corpus)
    }

    /// Makes a scan what [`open`](Self::open) gives: every summary read, binary files (known
    /// once their head is read) left out.
    pub fn complete(&mut self) {
        self.summarize_all();
        self.entries.retain(|e| e.binary.is_none());
    }

    /// Lists a folder (recursively) or a single article file without reading any file:
    /// summaries, and finding out which files are binary, come later, by
    /// [`summarize`](Self::summarize).
    pub fn scan(path: &Path, annotations: AnnotationRoot) -> Result<Self, CorpusError> {
        Self::scan_with(path, annotations, &Fields::default())
    }

    /// [`scan`](Self::scan), with field names for containers' records given on the command
    /// line (`--text-field` …), over those of `corpus.ron`. Each container is indexed here
    /// (one pass over its bytes, on every core across containers), since its records are
    /// the entries.
    pub fn scan_with(path: &Path, annotations: AnnotationRoot, over: &Fields) -> Result<Self, CorpusError> {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => CorpusError::NotFound(path.into()),
            _ => CorpusError::Unreadable(path.into(), e),
        })?;
        let mut warnings = Vec::new();
        let (root, files) = if meta.is_dir() {
            let files = walk_parallel(path, &mut warnings);
            // read_dir's order is the file system's; the first warning is the one shown.
            warnings.sort();
            (path.to_path_buf(), files)
        } else {
            if !is_article(path) {
                return Err(CorpusError::NotAnArticle(path.into()));
            }
            let root = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            (root.to_path_buf(), vec![path.to_path_buf()])
        };
        let (containers, files): (Vec<PathBuf>, Vec<PathBuf>) =
            files.into_iter().partition(|p| Format::of(p).and_then(Format::container).is_some());
        let mut entries: Vec<Entry> = files
            .into_iter()
            .map(|p| {
                let id = relative_id(&root, &p);
                // Only files with a format get here (the walk and the lone-file check).
                let format = Format::of(&p).unwrap_or(Format::Text);
                Entry::unread(id, p, PathBuf::new(), format, None)
            })
            .collect();
        if let AnnotationRoot::Mirrored(dir) = &annotations {
            super::owner::claim(dir, &root).map_err(CorpusError::SharedAnnotations)?;
        }
        assign_ron_paths(&mut entries, &root, &annotations);
        if !meta.is_dir() && !entries.is_empty() {
            entries[0].ron_path = lone_ron_path(path, &root, &annotations);
        }
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        if !containers.is_empty() {
            let config = CorpusConfig::load(&root)?;
            let base = annotations_base(&root, &annotations).to_path_buf();
            let blocks = record_entries(&root, &base, containers, &config, over, &mut warnings);
            entries = merge_blocks(entries, blocks);
        }
        Ok(Self { root, annotations, entries, warnings })
    }

    /// Reads entry `i`'s title and annotation summary, once.
    pub fn summarize(&mut self, i: usize) {
        if let Some(w) = self.entries[i].summarize() {
            self.warnings.push(w);
        }
    }

    /// Reads every entry's summary, sharing the entries out among all cores.
    pub fn summarize_all(&mut self) {
        if self.all_summarized() {
            return;
        }
        let warnings = summarize_entries(&mut self.entries, &AtomicUsize::new(0), &AtomicBool::new(false));
        self.warnings.extend(warnings);
    }

    pub fn all_summarized(&self) -> bool {
        self.entries.iter().all(|e| e.summarized)
    }
}

/// Reads the summaries of `entries` on every core, counting each in `done` and stopping early
/// once `cancel` is set (the rest stay unread): a corpus of 100,000 articles is read off the
/// terminal loop with a progress count, and `q` or Esc never wait for it.
pub fn summarize_entries(entries: &mut [Entry], done: &AtomicUsize, cancel: &AtomicBool) -> Vec<String> {
    let chunk = entries.len().div_ceil(threads()).max(1);
    std::thread::scope(|s| {
        let work: Vec<_> = entries
            .chunks_mut(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut warnings = Vec::new();
                    for e in part.iter_mut() {
                        if cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        warnings.extend(e.summarize());
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    warnings
                })
            })
            .collect();
        work.into_iter().flat_map(|w| w.join().expect("summaries never panic")).collect()
    })
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The folder under which a container's records' RON files live: `x/news.jsonl` →
/// `BASE/x/news.jsonl.annotations/`.
pub const RECORDS_SUFFIX: &str = ".annotations";

/// The file part of an article id: the container's path for a record
/// (`x/news.jsonl#https://a.b/c` → `x/news.jsonl`), the id itself for a whole file.
pub fn file_of_id(id: &str) -> &str {
    match id.split_once('#') {
        Some((file, _)) if Format::of(Path::new(file)).and_then(Format::container).is_some() => file,
        _ => id,
    }
}

/// For a record of a container (`x/news.jsonl#https://a.b/c`), the path an export tree gives
/// it: the container's path as a folder, the key as a file name (`x/news.jsonl/https_a.b_c~…`,
/// see `container::fields::file_key`), so a URL key makes no folders and two keys never
/// share a name. `None` for an article that is a whole file.
pub fn record_export_path(id: &str) -> Option<String> {
    let file = file_of_id(id);
    let key = id.strip_prefix(file)?.strip_prefix('#')?;
    Some(format!("{file}/{}", container::fields::file_key(key)))
}

/// A container's id and its records' entries, in file order.
type Block = (String, Vec<Entry>);

/// The file entries (sorted by id) with each container's records, in file order, where the
/// container's id sorts among them. The blocks are moved in whole, never sorted: an entry is
/// a few hundred bytes, and sorting 100,000 of them would move hundreds of megabytes.
fn merge_blocks(files: Vec<Entry>, mut blocks: Vec<Block>) -> Vec<Entry> {
    if files.is_empty() && blocks.len() == 1 {
        // A lone container (a dump opened by itself): its block is the list. Moving it would
        // copy every entry once more.
        return blocks.pop().map(|(_, records)| records).unwrap_or_default();
    }
    blocks.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::with_capacity(files.len() + blocks.iter().map(|b| b.1.len()).sum::<usize>());
    let mut files = files.into_iter().peekable();
    for (container, records) in blocks {
        while let Some(f) = files.next_if(|f| f.id < container) {
            out.push(f);
        }
        out.extend(records);
    }
    out.extend(files);
    out
}

/// The entries of every record of `containers` (a block per container, with its id),
/// indexed on every core; what was wrong with a container or its records goes to
/// `warnings`.
fn record_entries(
    root: &Path,
    base: &Path,
    containers: Vec<PathBuf>,
    config: &CorpusConfig,
    over: &Fields,
    warnings: &mut Vec<String>,
) -> Vec<Block> {
    // One container (the common case: a dump) is indexed here: a thread's own heap would
    // grow page by page under 100,000 entries, and they would then move back.
    if let [one] = &containers[..] {
        return index_container(root, base, one, config, over, warnings).into_iter().collect();
    }
    let next = AtomicUsize::new(0);
    let containers = &containers;
    let parts: Vec<(Vec<Block>, Vec<String>)> = std::thread::scope(|s| {
        let work: Vec<_> = (0..threads().min(containers.len()))
            .map(|_| {
                s.spawn(|| {
                    let (mut blocks, mut warnings) = (Vec::new(), Vec::new());
                    while let Some(p) = containers.get(next.fetch_add(1, Ordering::Relaxed)) {
                        blocks.extend(index_container(root, base, p, config, over, &mut warnings));
                    }
                    (blocks, warnings)
                })
            })
            .collect();
        work.into_iter().map(|w| w.join().expect("indexing never panics")).collect()
    });
    let mut blocks = Vec::new();
    for (b, w) in parts {
        blocks.extend(b);
        warnings.extend(w);
    }
    blocks
}

fn index_container(
    root: &Path,
    base: &Path,
    path: &Path,
    config: &CorpusConfig,
    over: &Fields,
    warnings: &mut Vec<String>,
) -> Option<Block> {
    let rel = relative_id(root, path);
    let format = Format::of(path).unwrap_or(Format::Text);
    let kind = format.container()?;
    let fields = config.fields_for(&rel, over);
    let index = match container::index_cached(path, &rel, kind, &fields) {
        Ok(i) => Arc::new(i),
        Err(e) => {
            warnings.push(format!("{}: not opened: {}", path.display(), e.detail()));
            return None;
        }
    };
    warnings.extend(index.problems.iter().cloned());
    let folder = base.join(format!("{}{RECORDS_SUFFIX}", path.strip_prefix(root).unwrap_or(path).display()));
    let mut entries = Vec::with_capacity(index.len());
    for (n, r) in index.records().enumerate() {
        let mut id = String::with_capacity(rel.len() + 1 + r.key.len());
        id.push_str(&rel);
        id.push('#');
        id.push_str(r.key);
        // One allocation of the right size (`join` and then `.ron` made two, and copied).
        let mut ron = PathBuf::with_capacity(folder.as_os_str().len() + 1 + r.file.len() + ".ron".len());
        ron.push(&folder);
        ron.push(r.file);
        ron.as_mut_os_string().push(".ron");
        let record = Some(RecordRef { index: Arc::clone(&index), n });
        entries.push(Entry::unread(id, path.to_path_buf(), ron, format, record));
    }
    Some((rel, entries))
}

impl Entry {
    /// An entry as the scan lists it: nothing read yet ([`summarized`](Self::summarized)
    /// false).
    fn unread(id: String, path: PathBuf, ron_path: PathBuf, format: Format, record: Option<RecordRef>) -> Entry {
        Entry {
            id,
            path,
            ron_path,
            format,
            title: String::new(),
            meta: EntryMeta::default(),
            counts: Counts::default(),
            state: FileState::Missing,
            summarized: false,
            binary: None,
            too_large: false,
            read_only: None,
            record,
        }
    }

    /// Where the article comes from, for [`load::load_source`].
    pub fn source(&self) -> Source<'_> {
        match &self.record {
            Some(r) => Source::Record { file: &self.path, index: &r.index, n: r.n },
            None => Source::File(&self.path),
        }
    }

    /// Reads the title and the RON summary unless done already; a warning when the article
    /// cannot be read (its id stands in for the title) or is binary (then `binary` says why,
    /// and the list marks it).
    fn summarize(&mut self) -> Option<String> {
        if self.summarized {
            return None;
        }
        self.summarized = true;
        // A record's container was read by its index; what a record holds is checked as it
        // is read.
        if let Some(why) = self.record.is_none().then(|| binary_reason(&self.path)).flatten() {
            self.title = self.id.clone();
            self.state = FileState::Invalid(format!("skipped: {why}"));
            self.binary = Some(why.clone());
            return Some(format!("{}: skipped: {why}", self.path.display()));
        }
        let warning = match load::head(self.source()) {
            Ok(h) => {
                (self.title, self.meta) = (h.title, EntryMeta::from(h.meta));
                None
            }
            Err(err) => {
                self.title = self.id.clone();
                self.too_large = err.kind() == std::io::ErrorKind::FileTooLarge;
                Some(format!("{}: cannot read: {err}", self.path.display()))
            }
        };
        self.refresh_summary();
        warning
    }

    /// Re-reads the RON file for the list's counts and validity marker. The read refuses a
    /// FIFO or device at the RON path without blocking (the state says so), so a planted one
    /// cannot hang the list.
    pub fn refresh_summary(&mut self) {
        self.read_only = super::fsio::read_only_reason(&self.ron_path);
        (self.counts, self.state) = match AnnotationFile::load(&self.ron_path, &self.id) {
            Ok(None) => (Counts::default(), FileState::Missing),
            Ok(Some(f)) => {
                let mut c = Counts::default();
                f.annotations.iter().for_each(|a| c.count(a));
                match f.duplicate_id() {
                    Some(d) => (
                        c,
                        FileState::Invalid(format!(
                            "{}: id {d} is used by more than one annotation",
                            self.ron_path.display()
                        )),
                    ),
                    None => (c, FileState::Valid),
                }
            }
            Err(e) => (Counts::default(), FileState::Invalid(e.to_string())),
        };
    }
}

/// Whether the scan lists a file: its extension names a format of [`load::FORMATS`].
fn is_article(p: &Path) -> bool {
    Format::of(p).is_some()
}

/// Walks `root` on every core: the folders directly under it are shared out among threads,
/// each walked as [`walk`] does (in a corpus of 100,000 files, listing is most of opening).
fn walk_parallel(root: &Path, warnings: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    walk(root, 0, &mut files, warnings, Some(&mut folders));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let parts: Vec<(Vec<PathBuf>, Vec<String>)> = std::thread::scope(|s| {
        let work: Vec<_> = (0..threads().min(folders.len()))
            .map(|_| {
                s.spawn(|| {
                    let (mut files, mut warnings) = (Vec::new(), Vec::new());
                    while let Some(dir) = folders.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                        walk(dir, 1, &mut files, &mut warnings, None);
                    }
                    (files, warnings)
                })
            })
            .collect();
        work.into_iter().map(|w| w.join().expect("the walk never panics")).collect()
    });
    for (f, w) in parts {
        files.extend(f);
        warnings.extend(w);
    }
    files
}

/// Lists `dir`'s articles into `out`, recursively, or, given `folders`, puts its subfolders
/// there instead of entering them.
fn walk(
    dir: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    warnings: &mut Vec<String>,
    mut folders: Option<&mut Vec<PathBuf>>,
) {
    if depth > MAX_DEPTH {
        return warnings.push(format!("{}: not read: folders nested more than {MAX_DEPTH} deep", dir.display()));
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => return warnings.push(format!("{}: cannot list: {e}", dir.display())),
    };
    for entry in rd {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                warnings.push(format!("{}: cannot list an entry: {e}", dir.display()));
                continue;
            }
        };
        let name = entry.file_name();
        // Hidden files include newsnote's own temp files and VCS folders.
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        // The name is enough to pass over annotation files: no path is built for them.
        let article = is_article(Path::new(&name));
        if !article && entry.file_type().is_ok_and(|t| !t.is_dir()) {
            continue;
        }
        let path = entry.path();
        // file_type() does not follow symlinks, so a symlinked folder cannot loop the walk.
        match entry.file_type() {
            Ok(t) if t.is_dir() => match folders.as_deref_mut() {
                Some(folders) => folders.push(path),
                None => walk(&path, depth + 1, out, warnings, None),
            },
            Ok(t) if t.is_file() && article => out.push(path),
            // A link to an article file is read; one that leads nowhere is reported.
            Ok(t) if t.is_symlink() && article => match std::fs::metadata(&path) {
                Ok(m) if m.is_file() => out.push(path),
                Ok(_) => {}
                Err(e) => warnings.push(format!("{}: broken or looping link: {e}", path.display())),
            },
            Ok(_) => {}
            Err(e) => warnings.push(format!("{}: cannot read: {e}", path.display())),
        }
    }
}

/// Why a file is not text, judged from its first 8 KiB: a UTF-16/32 byte-order mark, a NUL
/// byte, or more than 30% control bytes (tab, line feed, carriage return and form feed are
/// text). `None` for text, and for a file that cannot be read (reported when its title is).
pub fn binary_reason(path: &Path) -> Option<String> {
    let mut head = Vec::with_capacity(SNIFF_BYTES as usize);
    std::fs::File::open(path).ok()?.take(SNIFF_BYTES).read_to_end(&mut head).ok()?;
    // A compressed page is binary by design: its reader checks what the stream holds.
    if head.starts_with(&[0x1f, 0x8b]) && matches!(Format::of(path), Some(Format::Html | Format::Warc)) {
        return None;
    }
    binary_head(&head)
}

pub fn binary_head(head: &[u8]) -> Option<String> {
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Some("UTF-16 or UTF-32 text; newsnote reads UTF-8 (convert it, e.g. with iconv)".into());
    }
    // `contains` is a memchr; the search runs this on every file it reads.
    if head.contains(&0)
        && let Some(at) = head.iter().position(|&b| b == 0)
    {
        return Some(format!("binary file (a NUL byte at offset {at}); not an article"));
    }
    // Branch-free and counted in bytes per 128-byte chunk, so the count is vectorised.
    let text_control = |b: u8| (b == b'\t') | (b == b'\n') | (b == b'\r') | (b == 0x0c);
    let control = |b: u8| u8::from(((b < 0x20) & !text_control(b)) | (b == 0x7f));
    let controls: usize = head.chunks(128).map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + control(b)))).sum();
    // A few stray controls in a short text are text; they are shown as placeholders.
    (controls >= 8 && controls * 10 > head.len() * 3).then(|| {
        format!(
            "binary file ({}% control bytes in the first {} bytes); not an article",
            controls * 100 / head.len(),
            head.len()
        )
    })
}

/// A walked path is `root/` + a clean `/`-separated relative path: that relative path when
/// it is UTF-8, found without splitting components (a corpus has 100,000 of them).
fn relative_str<'a>(root: &Path, p: &'a Path) -> Option<&'a str> {
    if !cfg!(unix) {
        return None;
    }
    p.to_str()?.strip_prefix(root.to_str()?)?.strip_prefix('/')
}

fn relative_id(root: &Path, p: &Path) -> String {
    if let Some(id) = relative_str(root, p) {
        return id.to_owned();
    }
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Sets each entry's RON path. `foo.txt` → `foo.ron` unless another article of the folder
/// wants that name too (`foo.md`): see [`ron_names`] for who keeps it.
fn assign_ron_paths(entries: &mut [Entry], root: &Path, annotations: &AnnotationRoot) {
    let base = annotations_base(root, annotations);
    // Only a .txt and a .md of one stem can want the same plain name: without .md files no
    // name is contested, no file is read, and a UTF-8 path needs no component split.
    if !entries.iter().any(|e| e.id.ends_with(".md")) {
        for e in entries {
            e.ron_path = match relative_str(root, &e.path) {
                Some(rel) => base.join(format!("{}.ron", rel.rsplit_once('.').map_or(rel, |(stem, _)| stem))),
                None => base.join(e.path.strip_prefix(root).unwrap_or(Path::new(&e.id)).with_extension("ron")),
            };
        }
        return;
    }
    // The real relative path, not the id: a file name that is not UTF-8 keeps its bytes.
    let rels: Vec<PathBuf> = entries
        .iter()
        .map(|e| e.path.strip_prefix(root).map_or_else(|_| PathBuf::from(&e.id), Path::to_path_buf))
        .collect();
    let names = ron_names(&rels, |ron| file_owner(&base.join(ron)));
    for (e, ron) in entries.iter_mut().zip(names) {
        e.ron_path = base.join(ron);
    }
}

fn annotations_base<'a>(root: &'a Path, annotations: &'a AnnotationRoot) -> &'a Path {
    match annotations {
        AnnotationRoot::NextToArticles => root,
        AnnotationRoot::Mirrored(dir) => dir.as_path(),
    }
}

/// The RON path for the one article `path` opened alone, among the articles beside it: the
/// name it has when its whole folder is opened, so `newsnote show foo.md` reads the file
/// that `newsnote .` writes for it. Only names that begin like its own (`foo.`) can contend
/// with it, so only those are looked at, and a folder without any costs one listing.
fn lone_ron_path(path: &Path, root: &Path, annotations: &AnnotationRoot) -> PathBuf {
    let base = annotations_base(root, annotations);
    let own = path.file_name().map(PathBuf::from).unwrap_or_else(|| path.to_path_buf());
    let lossy = own.to_string_lossy().into_owned();
    let prefix = format!("{}.", lossy.split('.').next().unwrap_or(&lossy));
    let mut rels = vec![own.clone()];
    if let Ok(rd) = std::fs::read_dir(root) {
        rels.extend(
            rd.flatten()
                .map(|d| PathBuf::from(d.file_name()))
                .filter(|n| *n != own && is_article(n))
                .filter(|n| n.to_string_lossy().starts_with(&prefix) && !n.to_string_lossy().starts_with('.'))
                .filter(|n| std::fs::metadata(root.join(n)).is_ok_and(|m| m.is_file())),
        );
    }
    let names = if rels.iter().all(|r| r.extension().is_none_or(|e| e != "md")) {
        vec![own.with_extension("ron")]
    } else {
        ron_names(&rels, |ron| file_owner(&base.join(ron)))
    };
    base.join(&names[0])
}

/// The RON file name (relative, like `rels`) of each article.
///
/// The rule keeps existing annotations where they are whatever is added beside them:
/// 1. An article wants `STEM.ron` (`x/foo.txt` → `x/foo.ron`). A name only one article wants
///    is its name, and no file is read: the common case, and every corpus without clashes.
/// 2. When several want one name (`foo.txt` and `foo.md` both want `foo.ron`), it goes to the
///    article the existing file names in its `article:` field; when there is no file, or it
///    cannot be read or names none of them, to the `.txt` (the rule before owners were read,
///    so older corpora keep their names).
/// 3. The others want their whole file name + `.ron` (`foo.md.ron`), then `foo.md.2.ron`, … .
///    Such a name may also be another article's plain name (`foo.md.txt` wants `foo.md.ron`):
///    it goes to the article its file names, and to whoever asked first when none.
///
/// So an article whose file exists and names it always gets that file, and a name changes
/// only where no file names the article, where nothing of it was saved.
fn ron_names(rels: &[PathBuf], mut owner_of: impl FnMut(&Path) -> Option<String>) -> Vec<PathBuf> {
    let candidate = |i: usize, rank: usize| -> PathBuf {
        match rank {
            0 => rels[i].with_extension("ron"),
            1 => {
                let mut n = rels[i].clone().into_os_string();
                n.push(".ron");
                PathBuf::from(n)
            }
            k => {
                let mut n = rels[i].clone().into_os_string();
                n.push(format!(".{k}.ron"));
                PathBuf::from(n)
            }
        }
    };
    // The store compares file names only (a corpus opened from another folder has other ids).
    let file_name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut owners: std::collections::HashMap<PathBuf, Option<String>> = std::collections::HashMap::new();
    let mut owns = |ron: &Path, i: usize| -> bool {
        let owner = owners.entry(ron.to_path_buf()).or_insert_with(|| owner_of(ron));
        owner.as_deref().is_some_and(|o| Some(o.rsplit('/').next().unwrap_or(o).to_owned()) == file_name(&rels[i]))
    };
    let n = rels.len();
    let mut rank = vec![0usize; n];
    let mut holder: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    let mut pending = std::collections::VecDeque::new();
    // Rule 1 and 2: the plain names, each contested one decided by its file's owner.
    let mut wanted: std::collections::BTreeMap<PathBuf, Vec<usize>> = std::collections::BTreeMap::new();
    for i in 0..n {
        wanted.entry(candidate(i, 0)).or_default().push(i);
    }
    for (name, mut who) in wanted {
        if who.len() > 1 {
            let is_txt = |i: &usize| rels[*i].extension().is_some_and(|e| e == "txt");
            who.sort_by_key(|i| (!is_txt(i), rels[*i].clone()));
            if let Some(at) = who.iter().position(|&i| owns(&name, i)) {
                let owner = who.remove(at);
                who.insert(0, owner);
            }
        }
        holder.insert(name, who[0]);
        for &i in &who[1..] {
            rank[i] = 1;
            pending.push_back(i);
        }
    }
    // Rule 3: the others, in turn; an owner takes its name back from whoever holds it.
    while let Some(i) = pending.pop_front() {
        let name = candidate(i, rank[i]);
        match holder.get(&name).copied() {
            None => {
                holder.insert(name, i);
            }
            Some(j) if owns(&name, i) && !owns(&name, j) => {
                holder.insert(name, i);
                rank[j] += 1;
                pending.push_back(j);
            }
            Some(_) => {
                rank[i] += 1;
                pending.push_back(i);
            }
        }
    }
    let mut out = vec![PathBuf::new(); n];
    for (name, i) in holder {
        out[i] = name;
    }
    out
}

/// The `article:` field of the RON file at `path`, read leniently: only that line need parse,
/// so a file broken further down still says whom it belongs to. `None` when there is no
/// regular file there or no such field.
fn file_owner(path: &Path) -> Option<String> {
    let bytes = super::fsio::read_regular(path).ok()??;
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().map(str::trim_start).find_map(|l| l.strip_prefix("article:"))?;
    let value = line.trim().trim_end_matches(',').trim_end();
    ron::from_str::<String>(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(p: &Path, s: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    }

    #[test]
    fn folder_is_read_recursively_sorted_and_ron_sits_next_to_each_article() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("b.txt"), "B title\nbody");
        write(&d.path().join("x/a.md"), "\n# A title\n");
        write(&d.path().join("x/skip.json"), "{}");
        write(&d.path().join(".git/c.txt"), "hidden");
        let lazy = Corpus::scan(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert!(lazy.entries.iter().all(|e| !e.summarized && e.title.is_empty()), "a scan reads no title");
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert!(c.entries.iter().all(|e| e.summarized));
        let ids: Vec<_> = c.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["b.txt", "x/a.md"]);
        assert_eq!(c.entries[1].ron_path, d.path().join("x/a.ron"));
        assert_eq!(c.entries[1].title, "# A title");
        assert_eq!(c.entries[0].state, FileState::Missing);
    }

    #[test]
    fn mirrored_root_keeps_the_tree_under_another_folder() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("arts/x/foo.txt"), "T");
        let ann = d.path().join("ann");
        let c = Corpus::open(&d.path().join("arts"), AnnotationRoot::Mirrored(ann.clone())).unwrap();
        assert_eq!(c.entries[0].ron_path, ann.join("x/foo.ron"));
    }

    #[test]
    fn same_stem_articles_get_distinct_annotation_files() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("foo.txt"), "T");
        write(&d.path().join("foo.md"), "M");
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        let rons: Vec<_> = c.entries.iter().map(|e| e.ron_path.file_name().unwrap().to_owned()).collect();
        assert_eq!(rons, ["foo.md.ron", "foo.ron"].map(std::ffi::OsString::from));
    }

    /// A RON file for `article` as newsnote writes it.
    fn ron_for(article: &str, text: &str) -> String {
        AnnotationFile::new(article, super::super::store::Fingerprint::of(text, text.chars().count()), vec![]).to_ron()
    }

    fn ron_names_of(c: &Corpus) -> Vec<(String, String)> {
        let name = |e: &Entry| e.ron_path.strip_prefix(&c.root).unwrap().to_string_lossy().into_owned();
        c.entries.iter().map(|e| (e.id.clone(), name(e))).collect()
    }

    #[test]
    fn adding_a_txt_beside_an_annotated_md_never_moves_the_mds_annotations() {
        for mirrored in [false, true] {
            let d = tempfile::tempdir().unwrap();
            let arts = d.path().join("статьи");
            let root =
                if mirrored { AnnotationRoot::Mirrored(d.path().join("ann")) } else { AnnotationRoot::NextToArticles };
            let base = if mirrored { d.path().join("ann") } else { arts.clone() };
            write(&arts.join("x/новость.md"), "# Заголовок");
            write(&base.join("x/новость.ron"), &ron_for("x/новость.md", "# Заголовок"));
            write(&arts.join("x/новость.txt"), "Заголовок");
            let c = Corpus::open(&arts, root.clone()).unwrap();
            let by_id = |id: &str| c.entries.iter().find(|e| e.id == id).unwrap();
            assert_eq!(by_id("x/новость.md").ron_path, base.join("x/новость.ron"), "the md keeps its file");
            assert_eq!(by_id("x/новость.md").state, FileState::Valid);
            assert_eq!(by_id("x/новость.txt").ron_path, base.join("x/новость.txt.ron"));
            assert_eq!(by_id("x/новость.txt").state, FileState::Missing, "not INVALID");
            // Opened alone, each article finds the same file as with its folder (a mirrored
            // tree is rooted at the corpus, so that needs the corpus opened).
            for id in ["x/новость.md", "x/новость.txt"].into_iter().filter(|_| !mirrored) {
                let one = Corpus::open(&arts.join(id), root.clone()).unwrap();
                assert_eq!(one.entries[0].ron_path, by_id(id).ron_path, "{id} opened alone");
            }
        }
    }

    #[test]
    fn counts_tell_how_much_of_the_coding_has_an_editors_verdict() {
        use crate::model::annotation::{Annotation, LabelId, Verdict};
        use crate::model::units::{ByteRange, CharRange};
        let text = "Песков сказал";
        let one = |at: &str| {
            Annotation::new_manual(
                LabelId::new("Source"),
                text,
                ByteRange::new(0, "Песков".len()),
                CharRange::new(0, 6),
                "ана",
                at,
            )
        };
        let mut c = Counts::default();
        c.count(&one("2026-12-01T00:00:00Z").reviewed(Verdict::Approved, "ред", "2026-12-01T01:00:00Z", None));
        c.count(&one("2026-12-01T00:00:01Z").reviewed(Verdict::Comment, "ред", "2026-12-01T01:00:00Z", Some("?")));
        c.count(&one("2026-12-01T00:00:02Z"));
        assert_eq!((c.reviewed(), c.total()), (1, 3), "a comment alone is not a verdict");
    }

    #[test]
    fn existing_corpora_keep_their_annotation_file_names() {
        let d = tempfile::tempdir().unwrap();
        for f in ["a.txt", "b.md", "c.txt", "c.md", "d.md", "d.txt"] {
            write(&d.path().join(f), "Ü");
        }
        // d.ron was written for d.txt by the old rule (.txt first), d.md.ron for d.md.
        write(&d.path().join("d.ron"), &ron_for("d.txt", "Ü"));
        write(&d.path().join("d.md.ron"), &ron_for("d.md", "Ü"));
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        let expect = [
            ("a.txt", "a.ron"),
            ("b.md", "b.ron"),
            ("c.md", "c.md.ron"),
            ("c.txt", "c.ron"),
            ("d.md", "d.md.ron"),
            ("d.txt", "d.ron"),
        ];
        assert_eq!(ron_names_of(&c), expect.map(|(a, b)| (a.to_owned(), b.to_owned())));
        assert!(c.entries.iter().all(|e| !matches!(e.state, FileState::Invalid(_))), "{:?}", c.entries);
    }

    #[test]
    fn a_contested_name_goes_to_the_article_its_file_names_even_when_the_rest_is_broken() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("café.txt"), "T");
        write(&d.path().join("café.md"), "M");
        write(&d.path().join("café.ron"), "(\n    format: 1,\n    article: \"café.md\",\n    fingerprint: oops");
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert_eq!(ron_names_of(&c)[0], ("café.md".into(), "café.ron".into()));
        assert!(matches!(&c.entries[0].state, FileState::Invalid(m) if m.contains("café.ron:")), "its owner sees why");
        assert_eq!(ron_names_of(&c)[1], ("café.txt".into(), "café.txt.ron".into()));
    }

    #[test]
    fn a_fallback_name_is_kept_when_another_article_wants_it_as_its_plain_name() {
        let d = tempfile::tempdir().unwrap();
        for f in ["foo.txt", "foo.md"] {
            write(&d.path().join(f), "Ж");
        }
        write(&d.path().join("foo.ron"), &ron_for("foo.txt", "Ж"));
        write(&d.path().join("foo.md.ron"), &ron_for("foo.md", "Ж"));
        // foo.md.txt wants foo.md.ron as its plain name: the file says it is foo.md's.
        write(&d.path().join("foo.md.txt"), "Ж");
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        let names = ron_names_of(&c);
        assert!(names.contains(&("foo.md".into(), "foo.md.ron".into())), "{names:?}");
        assert!(names.contains(&("foo.txt".into(), "foo.ron".into())), "{names:?}");
        assert!(names.contains(&("foo.md.txt".into(), "foo.md.txt.ron".into())), "{names:?}");
        assert!(c.entries.iter().all(|e| !matches!(e.state, FileState::Invalid(_))), "{:?}", c.entries);
        let alone = Corpus::open(&d.path().join("foo.md.txt"), AnnotationRoot::NextToArticles).unwrap();
        assert_eq!(alone.entries[0].ron_path, d.path().join("foo.md.txt.ron"));
    }

    #[test]
    fn ron_names_never_give_two_articles_one_file() {
        let rels: Vec<PathBuf> =
            ["a.txt", "a.md", "a.md.txt", "a.md.md", "a.md.2.txt", "a.txt.txt", "a.txt.md"].map(PathBuf::from).to_vec();
        for owner in [None, Some("a.md"), Some("a.md.txt"), Some("a.txt.md")] {
            let names = ron_names(&rels, |_| owner.map(str::to_owned));
            let distinct: std::collections::HashSet<_> = names.iter().collect();
            assert_eq!(distinct.len(), rels.len(), "{owner:?}: {names:?}");
        }
    }

    #[test]
    fn a_single_file_opens_with_its_folder_as_root() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("one.txt");
        write(&f, "One");
        let c = Corpus::open(&f, AnnotationRoot::NextToArticles).unwrap();
        assert_eq!(c.entries.len(), 1);
        assert_eq!(c.entries[0].ron_path, d.path().join("one.ron"));
        assert!(matches!(
            Corpus::open(&d.path().join("no.txt"), AnnotationRoot::NextToArticles),
            Err(CorpusError::NotFound(_))
        ));
    }

    #[test]
    fn binary_heads_are_told_from_text_with_stray_controls() {
        assert!(binary_head(b"GIF89a\x01\x00\x01\x00").unwrap().contains("NUL byte at offset 7"));
        assert!(binary_head(b"\xff\xfeH\x00").unwrap().contains("UTF-16"));
        assert!(binary_head(&[0x01, 0x02, 0x03, 0x1b, 0x04, 0x05, 0x06, 0x07, b'a', b'b']).unwrap().contains("80%"));
        // Terminal escapes, bells and form feeds inside prose stay an article.
        let prose = "Title \x1b[31mred\x1b[0m\x07\n\x0cbody\r\n".repeat(20);
        assert_eq!(binary_head(prose.as_bytes()), None);
        assert_eq!(binary_head(b""), None);
        assert_eq!(binary_head(b"\x01\x02"), None, "a few controls in a tiny file are shown, not skipped");
    }

    #[test]
    fn a_binary_file_is_skipped_with_a_warning_and_the_rest_opens() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("a.txt"), "A");
        std::fs::write(d.path().join("photo.txt"), b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert_eq!(c.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["a.txt"]);
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        assert!(c.warnings[0].contains("photo.txt: skipped: binary file"), "{:?}", c.warnings);
    }

    #[test]
    fn a_scan_reads_no_file_and_marks_a_binary_one_when_it_is_summarized() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("a.txt"), "A");
        std::fs::write(d.path().join("photo.txt"), b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
        let mut c = Corpus::scan(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert_eq!(c.entries.len(), 2, "both listed: nothing is read yet");
        assert!(c.warnings.is_empty() && c.entries.iter().all(|e| !e.summarized && e.binary.is_none()));
        c.summarize(1);
        assert!(c.entries[1].binary.as_ref().unwrap().contains("NUL byte"));
        assert!(matches!(&c.entries[1].state, FileState::Invalid(m) if m.starts_with("skipped: binary")));
        assert_eq!(c.warnings.len(), 1);
        assert!(c.entries[0].title.is_empty(), "only what was asked for is read");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_name_that_is_not_utf8_keeps_its_bytes_in_the_annotation_path() {
        use std::os::unix::ffi::OsStrExt;
        let d = tempfile::tempdir().unwrap();
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
        std::fs::write(d.path().join(name), "Caf\u{e9}").unwrap();
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert_eq!(c.entries[0].id, "caf\u{fffd}.txt");
        assert_eq!(c.entries[0].ron_path, d.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.ron")));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_at_a_ron_path_is_marked_invalid_in_the_summary_without_blocking() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("статья.txt"), "Заголовок");
        let c = std::ffi::CString::new(d.path().join("статья.ron").into_os_string().into_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert!(
            matches!(&c.entries[0].state, FileState::Invalid(m) if m.contains("статья.ron is a FIFO")),
            "{:?}",
            c.entries[0].state
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_ron_file_is_valid_and_its_reason_is_in_the_summary() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("статья.txt"), "Заголовок");
        let ron = d.path().join("статья.ron");
        let f = AnnotationFile::new("статья.txt", super::super::store::Fingerprint::of("Заголовок", 9), vec![]);
        write(&ron, &f.to_ron());
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert_eq!((&c.entries[0].state, &c.entries[0].read_only), (&FileState::Valid, &None));
        std::fs::set_permissions(&ron, std::fs::Permissions::from_mode(0o444)).unwrap();
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert_eq!(c.entries[0].state, FileState::Valid, "still valid: it reads fine");
        assert!(c.entries[0].read_only.as_ref().is_some_and(|r| r.contains("read-only (mode 444)")));
    }

    #[test]
    fn an_invalid_ron_file_is_marked_in_the_summary() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("a.txt"), "A");
        write(&d.path().join("a.ron"), "(format: ");
        let mut c = Corpus::scan(d.path(), AnnotationRoot::NextToArticles).unwrap();
        c.summarize(0);
        assert!(matches!(&c.entries[0].state, FileState::Invalid(m) if m.contains("a.ron:1:")));
    }

    /// A WARC file of one HTML response record with id `urn:uuid:ID`.
    fn warc_of_one_page(id: &str, html: &str) -> String {
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Target-URI: https://x.org/{id}\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        )
    }

    fn gzip(b: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn the_scan_lists_every_extension_the_loader_registers_and_nothing_else() {
        let d = tempfile::tempdir().unwrap();
        for (ext, f) in super::load::FORMATS {
            // A container holds one record with that text.
            let body = match f.container() {
                None => "Заголовок\nТекст.\n",
                Some(super::container::Kind::Csv) if *ext == "tsv" => "id\ttext\n1\tЗаголовок\n",
                Some(super::container::Kind::Csv) => "id,text\n1,Заголовок\n",
                Some(super::container::Kind::Warc) => &warc_of_one_page("1", "<p>Заголовок</p>"),
                Some(_) => "{\"id\": 1, \"text\": \"Заголовок\\nТекст.\"}\n",
            };
            let body = if *ext == "warc.gz" { gzip(body.as_bytes()) } else { body.as_bytes().to_vec() };
            std::fs::write(d.path().join(format!("статья.{ext}")), body).unwrap();
        }
        std::fs::write(d.path().join("статья.pdf"), "Заголовок").unwrap();
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        let mut listed: Vec<&str> =
            c.entries.iter().map(|e| e.id.split_once('.').unwrap().1.trim_end_matches("#1")).collect();
        let mut registered: Vec<&str> = super::load::FORMATS.iter().map(|(e, _)| *e).collect();
        listed.sort();
        registered.sort();
        assert_eq!(listed, registered);
        // A page's text here is one line, which is its title too.
        assert!(c.entries.iter().all(|e| e.title.starts_with("Заголовок")), "{:?}", c.entries);
        let e = Corpus::scan(&d.path().join("статья.pdf"), AnnotationRoot::NextToArticles).unwrap_err();
        assert!(e.to_string().contains("статья.pdf: not a .txt, .md"), "{e}");
    }

    #[test]
    fn reordering_and_adding_records_never_moves_one_records_annotations_onto_another() {
        let d = tempfile::tempdir().unwrap();
        let rec = |id: &str, text: &str| format!("{{\"id\": \"{id}\", \"text\": \"{text}\"}}\n");
        let path = d.path().join("новости.jsonl");
        std::fs::write(&path, rec("а", "Первая") + &rec("б", "Вторая")).unwrap();
        let before = Corpus::open(d.path(), AnnotationRoot::Mirrored(d.path().join("notes"))).unwrap();
        let of = |c: &Corpus| -> Vec<(String, PathBuf, String)> {
            c.entries.iter().map(|e| (e.id.clone(), e.ron_path.clone(), load::load(e).unwrap().text)).collect()
        };
        std::fs::write(&path, rec("в", "Новая") + &rec("б", "Вторая") + &rec("а", "Первая")).unwrap();
        let after = Corpus::open(d.path(), AnnotationRoot::Mirrored(d.path().join("notes"))).unwrap();
        let (b, a) = (of(&before), of(&after));
        assert_eq!(
            b[0],
            ("новости.jsonl#а".into(), d.path().join("notes/новости.jsonl.annotations/а.ron"), "Первая".into())
        );
        for x in &b {
            assert!(a.contains(x), "{x:?} kept its id, RON file and text after the reorder: {a:?}");
        }
        assert_eq!(a.len(), 3);
    }

    #[test]
    fn a_records_file_is_its_container_and_its_export_path_makes_no_folders_of_its_key() {
        assert_eq!(file_of_id("вести/news.jsonl#https://a.b/c#d"), "вести/news.jsonl");
        assert_eq!(file_of_id("вести/№1#2.txt"), "вести/№1#2.txt", "a file whose name holds # is itself");
        let p = record_export_path("вести/news.jsonl#https://a.b/c").unwrap();
        assert!(p.starts_with("вести/news.jsonl/https_a.b_c~") && p.matches('/').count() == 2, "{p}");
        assert_eq!(record_export_path("вести/№1#2.txt"), None);
    }

    #[test]
    fn a_lone_containers_records_are_listed_unread_and_their_metadata_is_kept_once_read() {
        let d = tempfile::tempdir().unwrap();
        let rec = |id: &str, outlet: &str, text: &str| {
            format!("{{\"id\": \"{id}\", \"source_domain\": \"{outlet}\", \"text\": \"{text}\"}}\n")
        };
        let path = d.path().join("лента.jsonl");
        std::fs::write(&path, rec("а", "lenta.ru", "Первая") + &rec("б", "асахи.jp", "Вторая")).unwrap();
        let mut c = Corpus::scan(&path, AnnotationRoot::Mirrored(d.path().join("заметки"))).unwrap();
        let ids: Vec<&str> = c.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["лента.jsonl#а", "лента.jsonl#б"]);
        assert_eq!(c.entries[1].ron_path, d.path().join("заметки/лента.jsonl.annotations/б.ron"));
        // Listed, nothing of a record is read: its metadata reads as empty.
        assert!(c.entries.iter().all(|e| !e.summarized && e.meta.outlet.is_none() && e.meta.title.is_none()));
        c.summarize(1);
        assert_eq!(c.entries[1].meta.outlet.as_deref(), Some("асахи.jp"), "read when its row is shown");
        assert_eq!(c.entries[0].meta.outlet, None, "the other record is still unread");
        // Written through, the metadata is the entry's own.
        c.entries[0].meta.outlet = Some("Лента".into());
        assert_eq!(c.entries[0].meta.outlet.as_deref(), Some("Лента"));
        assert_eq!(c.entries[1].meta.outlet.as_deref(), Some("асахи.jp"));
    }

    #[test]
    fn a_containers_records_keep_their_file_order_where_the_container_sorts_among_files() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("а.txt"), "А");
        write(&d.path().join("я.txt"), "Я");
        write(&d.path().join("м.jsonl"), "{\"id\": \"щ\", \"text\": \"1\"}\n{\"id\": \"б\", \"text\": \"2\"}\n");
        let c = Corpus::scan(d.path(), AnnotationRoot::NextToArticles).unwrap();
        let ids: Vec<&str> = c.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["а.txt", "м.jsonl#щ", "м.jsonl#б", "я.txt"]);
    }
}
