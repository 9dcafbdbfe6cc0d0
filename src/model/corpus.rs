//! A corpus: the articles under a root folder and where each one's annotations live.
//!
//! Annotation roots are a value, not a convention baked into paths, because coders will each
//! get their own folder later: the same article can have its RON file next to it
//! (`x/foo.txt` → `x/foo.ron`) or in a mirrored tree under another folder (`DIR/x/foo.ron`).
//! Opening reads each article's first few KB (for the title) and its small RON file (for the
//! counts), never whole article texts.

use super::annotation::Label;
use super::store::AnnotationFile;
use std::path::{Path, PathBuf};

/// Where an article's RON file lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotationRoot {
    /// `PATH/x/foo.txt` → `PATH/x/foo.ron`.
    NextToArticles,
    /// `PATH/x/foo.txt` → `DIR/x/foo.ron`.
    Mirrored(PathBuf),
}

/// Article file extensions newsnote reads.
pub const ARTICLE_EXTENSIONS: [&str; 2] = ["txt", "md"];

/// Per-label counts shown in the article list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub sources: usize,
    pub claims: usize,
    pub boilerplate: usize,
}

impl Counts {
    pub fn add(&mut self, label: Label) {
        match label {
            Label::Source => self.sources += 1,
            Label::Claim => self.claims += 1,
            Label::Boilerplate(_) => self.boilerplate += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.sources + self.claims + self.boilerplate
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
    pub title: String,
    pub counts: Counts,
    pub state: FileState,
}

#[derive(Debug, Clone)]
pub struct Corpus {
    pub root: PathBuf,
    pub annotations: AnnotationRoot,
    /// Sorted by id.
    pub entries: Vec<Entry>,
    /// Files or folders that could not be read while scanning.
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{0}: no such file or folder")]
    NotFound(PathBuf),
    #[error("{0}: not a .txt or .md article")]
    NotAnArticle(PathBuf),
}

impl Corpus {
    /// Opens a folder (recursively) or a single article file.
    pub fn open(path: &Path, annotations: AnnotationRoot) -> Result<Self, CorpusError> {
        let meta = std::fs::metadata(path).map_err(|_| CorpusError::NotFound(path.into()))?;
        let mut warnings = Vec::new();
        let (root, files) = if meta.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files, &mut warnings);
            (path.to_path_buf(), files)
        } else {
            if !is_article(path) {
                return Err(CorpusError::NotAnArticle(path.into()));
            }
            let root = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            (root.to_path_buf(), vec![path.to_path_buf()])
        };
        let mut entries: Vec<Entry> = files
            .into_iter()
            .map(|p| {
                let id = relative_id(&root, &p);
                Entry {
                    ron_path: PathBuf::new(),
                    title: String::new(),
                    counts: Counts::default(),
                    state: FileState::Missing,
                    id,
                    path: p,
                }
            })
            .collect();
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        assign_ron_paths(&mut entries, &root, &annotations);
        for e in &mut entries {
            e.title = match super::article::read_title(&e.path) {
                Ok(t) => t,
                Err(err) => {
                    warnings.push(format!("{}: cannot read: {err}", e.path.display()));
                    e.id.clone()
                }
            };
            e.refresh_summary();
        }
        Ok(Self { root, annotations, entries, warnings })
    }
}

impl Entry {
    /// Re-reads the RON file for the list's counts and validity marker.
    pub fn refresh_summary(&mut self) {
        (self.counts, self.state) = match AnnotationFile::load(&self.ron_path, &self.id) {
            Ok(None) => (Counts::default(), FileState::Missing),
            Ok(Some(f)) => {
                let mut c = Counts::default();
                f.annotations.iter().for_each(|a| c.add(a.label));
                (c, FileState::Valid)
            }
            Err(e) => (Counts::default(), FileState::Invalid(e.to_string())),
        };
    }
}

fn is_article(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, warnings: &mut Vec<String>) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => return warnings.push(format!("{}: cannot list: {e}", dir.display())),
    };
    for entry in rd.flatten() {
        let name = entry.file_name();
        // Hidden files include newsnote's own temp files and VCS folders.
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // file_type() does not follow symlinks, so a symlinked folder cannot loop the walk.
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out, warnings),
            Ok(_) if is_article(&path) && path.is_file() => out.push(path),
            _ => {}
        }
    }
}

fn relative_id(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// `foo.txt` → `foo.ron`; when `foo.txt` and `foo.md` share a folder, the second keeps its
/// extension (`foo.md.ron`) so two articles never share one annotation file.
fn assign_ron_paths(entries: &mut [Entry], root: &Path, annotations: &AnnotationRoot) {
    let mut taken = std::collections::HashSet::new();
    // .txt first: the common case gets the plain name whatever the sort order.
    let mut order: Vec<&mut Entry> = entries.iter_mut().collect();
    order.sort_by_key(|e| !e.id.ends_with(".txt"));
    for e in order {
        let rel = Path::new(&e.id);
        let mut ron = rel.with_extension("ron");
        if !taken.insert(ron.clone()) {
            ron = PathBuf::from(format!("{}.ron", e.id));
            taken.insert(ron.clone());
        }
        e.ron_path = match annotations {
            AnnotationRoot::NextToArticles => root.join(ron),
            AnnotationRoot::Mirrored(dir) => dir.join(ron),
        };
    }
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
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
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
    fn an_invalid_ron_file_is_marked_in_the_summary() {
        let d = tempfile::tempdir().unwrap();
        write(&d.path().join("a.txt"), "A");
        write(&d.path().join("a.ron"), "(format: ");
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        assert!(matches!(&c.entries[0].state, FileState::Invalid(m) if m.contains("a.ron:1:")));
    }
}
