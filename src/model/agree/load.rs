//! Reading coders' folders for agreement: for every article of a corpus, each coder's
//! annotation file in their own folder, as [`super::corpus_agreement`] takes them.
//!
//! A coder with no file for an article coded nothing there: for agreement that is a real
//! disagreement (the other coders found something to mark), not a missing value, so it
//! counts. `only_done` keeps the articles every coder marked done in their progress file,
//! for a study that compares finished work only. An article whose text changed since a
//! coder coded it is re-anchored in memory as the reader does; what cannot be found again
//! (orphaned, or only found uncertainly) is left out and said. A file that cannot be read
//! leaves its article out for everyone, with a warning: a figure over part of a coder's
//! work would look like disagreement.

use super::{ArticleInfo, CoderDocs};
use crate::model::annotation::{AnchorNote, Annotation};
use crate::model::corpus::{AnnotationRoot, Corpus, Entry};
use crate::model::entities::Registry;
use crate::model::progress::{Progress, Stage};
use crate::model::store::{AnnotationFile, Fingerprint, StoreError};
use std::path::{Path, PathBuf};

/// What the coders' folders hold for a corpus.
#[derive(Debug, Default)]
pub struct Read {
    pub articles: Vec<ArticleInfo>,
    pub coders: Vec<CoderDocs>,
    /// What was left out and why, one line each.
    pub warnings: Vec<String>,
    /// Articles left out because an article or a file could not be read.
    pub unreadable: usize,
    /// Articles left out because a coder has not marked them done (`only_done`).
    pub not_done: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("coder {coder}: {source}")]
    Progress { coder: String, source: StoreError },
}

/// Where `entry`'s annotation file is in the mirrored folder `dir`: the same place under
/// `dir` as under the corpus's own annotations root (the root itself when the files sit next
/// to the articles), so a container's records map as its files do.
pub fn ron_path_in(corpus: &Corpus, entry: &Entry, dir: &Path) -> PathBuf {
    let base = match &corpus.annotations {
        AnnotationRoot::NextToArticles => corpus.root.as_path(),
        AnnotationRoot::Mirrored(d) => d.as_path(),
    };
    match entry.ron_path.strip_prefix(base) {
        Ok(rel) => dir.join(rel),
        Err(_) => dir.join(Path::new(&entry.id).with_extension("ron")),
    }
}

/// One article's result: its info and each coder's annotations, or why it was left out.
type Outcome = Result<(ArticleInfo, Vec<Vec<Annotation>>, Vec<String>), String>;

fn read_article(corpus: &Corpus, entry: &Entry, coders: &[(String, PathBuf)], registry: Option<&Registry>) -> Outcome {
    let article = crate::model::load::load(entry).map_err(|e| format!("{}: left out: {e}", entry.id))?;
    let chars = article.index.total_chars();
    let fingerprint = Fingerprint::of(&article.text, chars);
    let mut docs = Vec::with_capacity(coders.len());
    let mut notes = Vec::new();
    for (name, dir) in coders {
        let path = ron_path_in(corpus, entry, dir);
        let file = AnnotationFile::load(&path, &entry.id)
            .map_err(|e| format!("{}: left out: coder {name}'s file cannot be read: {e}", entry.id))?;
        let mut anns = file.as_ref().map_or_else(Vec::new, |f| f.annotations.clone());
        if file.is_some_and(|f| f.fingerprint != fingerprint) {
            let (found, tally) = crate::model::document::reanchored(&article, anns);
            let lost = |a: &Annotation| matches!(a.anchor, Some(AnchorNote::Orphaned | AnchorNote::Uncertain { .. }));
            let left_out = found.iter().filter(|a| lost(a)).count();
            anns = found.into_iter().filter(|a| !lost(a)).collect();
            notes.push(format!(
                "{}: changed since coder {name} coded it ({tally}){}",
                entry.id,
                if left_out > 0 {
                    format!("; {left_out} annotation(s) not found again are left out")
                } else {
                    String::new()
                }
            ));
        }
        if let Some(reg) = registry {
            for a in &mut anns {
                if let Some(e) = a.entity.as_ref().and_then(|id| reg.resolve(id)) {
                    a.entity = Some(e.id.clone());
                }
            }
        }
        docs.push(anns);
    }
    Ok((ArticleInfo { id: entry.id.clone(), chars }, docs, notes))
}

/// Reads every article of `corpus` (scanned with its files next to the articles) and each
/// coder's file for it from the coder's folder, on every core. Entities are resolved
/// through `registry`'s merges, so two mentions of an entity merged into another agree.
pub fn read(
    corpus: &Corpus,
    coders: &[(String, PathBuf)],
    registry: Option<&Registry>,
    only_done: bool,
) -> Result<Read, ReadError> {
    let mut out = Read::default();
    let mut entries: Vec<&Entry> = corpus.entries.iter().collect();
    if only_done {
        let mut marks = Vec::with_capacity(coders.len());
        for (name, dir) in coders {
            let path = Progress::locate(&corpus.root, &AnnotationRoot::Mirrored(dir.clone()));
            marks.push(Progress::open(&path).map_err(|source| ReadError::Progress { coder: name.clone(), source })?);
        }
        let before = entries.len();
        entries.retain(|e| marks.iter().all(|p| p.is(&e.id, Stage::Done)));
        out.not_done = before - entries.len();
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, entries.len().max(1));
    let block = entries.len().div_ceil(threads).max(1);
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let workers: Vec<_> = entries
            .chunks(block)
            .map(|chunk| {
                scope.spawn(move || chunk.iter().map(|e| read_article(corpus, e, coders, registry)).collect::<Vec<_>>())
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a reading worker panicked")).collect()
    });
    out.coders = coders.iter().map(|(name, _)| CoderDocs { coder: name.clone(), docs: Vec::new() }).collect();
    for o in outcomes {
        match o {
            Ok((info, docs, notes)) => {
                out.articles.push(info);
                for (c, d) in out.coders.iter_mut().zip(docs) {
                    c.docs.push(d);
                }
                out.warnings.extend(notes);
            }
            Err(why) => {
                out.unreadable += 1;
                out.warnings.push(why);
            }
        }
    }
    Ok(out)
}
