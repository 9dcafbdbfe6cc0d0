//! An open article with its annotations: the unit every edit, undo and save works on.
//!
//! Annotations keep their code-point offsets (the file's truth); their byte ranges are derived
//! once here so views never convert per frame. An annotation whose offsets or quote no longer
//! fit the text is kept and saved back untouched (never dropped), just not painted, and the
//! document says so. A RON file that cannot be trusted makes the document read-only.

use super::annotation::{Annotation, AnnotationId};
use super::article::Article;
use super::corpus::{Counts, Entry};
use super::save::{Conflict, SaveReport, SaveRequest};
use super::store::{AnnotationFile, Fingerprint};
use super::units::ByteRange;
use std::path::PathBuf;

/// How re-anchoring went for a set of annotations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub unchanged: usize,
    pub moved: usize,
    pub changed: usize,
    pub orphaned: usize,
    /// Found only without their context, or only where another annotation of the label is.
    pub uncertain: usize,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} moved, {} changed, {} orphaned, ", self.moved, self.changed, self.orphaned)?;
        if self.uncertain > 0 {
            write!(f, "{} uncertain, ", self.uncertain)?;
        }
        write!(f, "{} unchanged", self.unchanged)
    }
}

/// Re-anchors annotations in an article whose text changed (see `model::anchor`): offsets,
/// quote and context follow the text; what moved, changed or was lost is recorded in each
/// annotation's `anchor` note for a person to confirm. An uncertain one keeps its old offsets,
/// quote and context (like an orphan) and its note proposes the place, so nothing takes it
/// there before a person says so. Nothing is dropped.
///
/// Every piece of a fragmented annotation is looked for on its own, with its own quote and
/// context, and the annotation moves only when every piece was found confidently and the
/// pieces still come in text order without overlapping: then each takes its new place. A
/// piece that is orphaned makes the annotation orphaned, and an uncertain piece (or pieces
/// found out of order) makes it uncertain, with every piece at its old offsets: half a quote
/// moved and half left behind would be a quote nobody wrote.
pub fn reanchored(article: &Article, anns: Vec<Annotation>) -> (Vec<Annotation>, Tally) {
    use super::anchor::{Anchored, Anchoring, reanchor_all};
    use super::annotation::AnchorNote;
    let mut tally = Tally::default();
    // One entry per piece: the annotation itself for its first piece, then a copy standing
    // for each fragment, so the occupied-places rule sees every piece.
    let mut flat: Vec<Annotation> = Vec::with_capacity(anns.len());
    for a in &anns {
        flat.push(a.clone());
        for f in &a.fragments {
            let mut piece = a.clone();
            (piece.start, piece.end) = (f.start, f.end);
            (piece.quote, piece.prefix, piece.suffix) = (f.quote.clone(), f.prefix.clone(), f.suffix.clone());
            piece.fragments = Vec::new();
            flat.push(piece);
        }
    }
    let found = reanchor_all(&article.text, &article.index, &flat);
    let mut rest = found.as_slice();
    let out = anns
        .into_iter()
        .map(|mut a| {
            let (pieces, later) = rest.split_at(1 + a.fragments.len());
            rest = later;
            let first: Anchored = pieces[0];
            let places: Vec<Option<ByteRange>> = pieces.iter().map(|p| p.bytes).collect();
            let in_order = places.windows(2).all(|w| matches!(w, [Some(x), Some(y)] if x.end <= y.start));
            let status = combined(pieces.iter().map(|p| p.status), in_order);
            let old = (a.start, a.end, a.full_quote());
            if !matches!(status, Anchoring::Uncertain { .. } | Anchoring::Orphaned) {
                let text = &article.text;
                let r = first.bytes.expect("a found piece has a place");
                let c = article.index.to_chars(text, r);
                (a.start, a.end) = (c.start, c.end);
                a.quote = text[r.as_range()].to_owned();
                (a.prefix, a.suffix) = super::annotation::context(text, r);
                for (f, r) in a.fragments.iter_mut().zip(&places[1..]) {
                    let r = r.expect("a found piece has a place");
                    *f = super::annotation::Fragment::over(text, r, article.index.to_chars(text, r));
                }
            }
            // A note from an earlier, unconfirmed re-anchoring keeps the original position/text.
            let (from_start, from_end, old_quote) = match &a.anchor {
                Some(AnchorNote::Moved { from_start, from_end }) => (*from_start, *from_end, old.2),
                Some(AnchorNote::Changed { old_quote, .. }) => (old.0, old.1, old_quote.clone()),
                _ => old,
            };
            match status {
                Anchoring::Unchanged => tally.unchanged += 1,
                Anchoring::Moved => {
                    tally.moved += 1;
                    a.anchor = Some(AnchorNote::Moved { from_start, from_end });
                }
                Anchoring::Changed { confidence } => {
                    tally.changed += 1;
                    a.anchor = Some(AnchorNote::Changed { old_quote, confidence: (confidence * 100.0).round() as u8 });
                }
                Anchoring::Uncertain { candidates } => {
                    tally.uncertain += 1;
                    let c = article.index.to_chars(&article.text, first.bytes.unwrap_or_default());
                    a.anchor =
                        Some(AnchorNote::Uncertain { candidate_start: c.start, candidate_end: c.end, candidates });
                }
                Anchoring::Orphaned => {
                    tally.orphaned += 1;
                    a.anchor = Some(AnchorNote::Orphaned);
                }
            }
            a
        })
        .collect();
    (out, tally)
}

/// How an annotation fared from how each of its pieces did (see [`reanchored`]): the weakest
/// piece decides; pieces out of order are uncertain at best; a changed piece makes the whole
/// changed, as sure as the least sure piece.
fn combined(pieces: impl Iterator<Item = super::anchor::Anchoring>, in_order: bool) -> super::anchor::Anchoring {
    use super::anchor::Anchoring as A;
    let mut out = A::Unchanged;
    for p in pieces {
        out = match (out, p) {
            (A::Orphaned, _) | (_, A::Orphaned) => A::Orphaned,
            (A::Uncertain { candidates }, _) | (_, A::Uncertain { candidates }) => A::Uncertain { candidates },
            (A::Changed { confidence: x }, A::Changed { confidence: y }) => A::Changed { confidence: x.min(y) },
            (A::Changed { confidence }, _) | (_, A::Changed { confidence }) => A::Changed { confidence },
            (A::Moved, _) | (_, A::Moved) => A::Moved,
            (A::Unchanged, A::Unchanged) => A::Unchanged,
        };
    }
    match out {
        A::Orphaned | A::Uncertain { .. } => out,
        _ if !in_order => A::Uncertain { candidates: 1 },
        _ => out,
    }
}

/// One reversible change. Undo applies the inverse.
#[allow(clippy::large_enum_variant)] // a handful per keystroke; boxing buys nothing
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Insert(Annotation),
    Delete(Annotation),
    Update { before: Annotation, after: Annotation },
}

impl Edit {
    pub fn inverse(&self) -> Edit {
        match self {
            Edit::Insert(a) => Edit::Delete(a.clone()),
            Edit::Delete(a) => Edit::Insert(a.clone()),
            Edit::Update { before, after } => Edit::Update { before: after.clone(), after: before.clone() },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub article: Article,
    /// Sorted by (start, end, id), as in the file: the coding and the open suggestions.
    pub annotations: Vec<Annotation>,
    /// Suggestions a person rejected, kept apart so that nothing shows, counts, links or
    /// exports them, and saved back with the rest so that no later run proposes them again.
    pub rejected: Vec<Annotation>,
    /// Byte range of each annotation's first piece, parallel to `annotations`; `None` when
    /// any of its pieces does not fit (an annotation is shown whole or not at all).
    pub spans: Vec<Option<ByteRange>>,
    /// Byte ranges of each annotation's further pieces (its fragments), parallel to
    /// `annotations`; empty for one span and for one that does not fit. Use [`Document::pieces`].
    pub fragment_spans: Vec<Vec<ByteRange>>,
    pub ron_path: PathBuf,
    /// `Some(reason)` when edits must not be saved (the RON file is corrupt or foreign).
    pub read_only: Option<String>,
    /// Things the user should know about this document (status bar).
    pub warnings: Vec<String>,
    /// The annotations as last read from or written to disk: the base of a three-way merge
    /// when another writer changed the file meanwhile.
    pub base: Vec<Annotation>,
    /// Hash of the file bytes last read or written (`None`: no file yet).
    pub disk_hash: Option<u64>,
    /// The file's stamp when those bytes were read or written, if it was taken safely.
    pub disk_stamp: Option<super::save::Stamp>,
    /// The article's fingerprint, computed once: the text does not change while it is open,
    /// and a save must not cost a pass over it.
    pub fingerprint: Fingerprint,
    /// How re-anchoring went when the article had changed since its file was written (done
    /// in memory on open; `None` when the fingerprint matched).
    pub reanchored: Option<Tally>,
    /// Unresolved conflicts with other writers: those in the sidecar, plus `conflicts_added`,
    /// minus `conflicts_resolved`.
    pub conflicts: Vec<Conflict>,
    /// Conflicts found here (a stale undo) and not yet in the sidecar: the next save writes them.
    pub conflicts_added: Vec<Conflict>,
    /// Conflicts resolved here and not yet dropped from the sidecar.
    pub conflicts_resolved: Vec<Conflict>,
    /// A save succeeded since opening (the first one also clears crashed writers' temps).
    pub saved_once: bool,
    /// The codebook the file records: the one it was last coded with, until the writer that
    /// opened it sets its own (`newsnote` records the codebook in effect with every save).
    pub codebook: Option<super::codebook::CodebookRef>,
    /// Which state of the annotations this is ([`Document::version`]).
    version: u64,
}

/// Where every document's versions come from: one counter for the process, so a document
/// opened again never repeats a version an earlier one of the same article had.
static VERSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn next_version() -> u64 {
    VERSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
}

/// Why an edit could not be applied: the annotation it was made on is no longer what the
/// document holds (another writer changed or deleted it since). Holds the current version.
#[derive(Debug, Clone, PartialEq)]
pub struct Stale(pub Option<Box<Annotation>>);

impl Document {
    /// Opens an article and its annotations. Never fails on a bad RON file: that makes the
    /// document read-only with the error as the reason.
    pub fn open(entry: &Entry) -> Result<Self, super::article::ArticleError> {
        let article = super::load::load(entry)?;
        let mut warnings = article.warnings.clone();
        let (mut annotations, mut read_only, mut disk_hash, mut reanchored_tally) = (Vec::new(), None, None, None);
        let mut codebook = None;
        let stamp_before = super::save::Stamp::of(&entry.ron_path);
        let fingerprint = Fingerprint::of(&article.text, article.index.total_chars());
        match super::fsio::read_regular(&entry.ron_path) {
            Ok(None) => {}
            Err(e) => read_only = Some(format!("{}: cannot read: {e}", entry.ron_path.display())),
            Ok(Some(bytes)) => {
                disk_hash = Some(super::fsio::file_hash(&bytes));
                // Never rewrite what could not be read exactly: a lossy decode would be saved.
                let parsed = std::str::from_utf8(&bytes)
                    .map_err(|e| super::store::StoreError::NotUtf8 {
                        path: entry.ron_path.clone(),
                        at: e.valid_up_to(),
                    })
                    .and_then(|text| AnnotationFile::parse(&entry.ron_path, text, &entry.id));
                match parsed {
                    Ok(f) => {
                        if let Some(dup) = f.duplicate_id() {
                            read_only = Some(format!(
                                "{}: id {dup} is used by more than one annotation; give one a new id (newsnote check shows the lines)",
                                entry.ron_path.display()
                            ));
                        }
                        annotations = f.annotations;
                        codebook = f.codebook;
                        if f.fingerprint != fingerprint {
                            // Re-anchored in memory only: the file changes when the person acts.
                            let (found, tally) = reanchored(&article, std::mem::take(&mut annotations));
                            annotations = found;
                            reanchored_tally = Some(tally);
                            // A new extractor changes a page's text as an edit would: say so,
                            // or the coder looks for an edit nobody made.
                            let why = match (f.extraction.as_deref(), article.format.extraction()) {
                                (was, now) if was == now => String::new(),
                                (was, now) => format!(
                                    " (its text was made by {}, now by {})",
                                    was.unwrap_or("none"),
                                    now.unwrap_or("none")
                                ),
                            };
                            warnings.push(format!(
                                "the article changed since it was annotated{why}: {tally} — press ! to review (nothing is saved until you act)"
                            ));
                        }
                    }
                    Err(e) => read_only = Some(e.to_string()),
                }
            }
        }
        // A file its owner made read-only (chmod a-w) is read-only to newsnote too.
        if read_only.is_none() && disk_hash.is_some() {
            read_only = super::fsio::read_only_reason(&entry.ron_path);
        }
        // Only a stamp that held across the whole read describes the bytes read.
        let disk_stamp = stamp_before.filter(|s| Some(*s) == super::save::Stamp::of(&entry.ron_path));
        let base = annotations.clone();
        let ron_path = entry.ron_path.clone();
        let conflicts = super::save::load_conflicts(&ron_path).unwrap_or_else(|e| {
            warnings.push(format!("{e}; its conflicts are not listed, and it is left as it is"));
            Vec::new()
        });
        let (rejected, annotations) = annotations.into_iter().partition(Annotation::is_rejected);
        let mut doc = Self {
            article,
            annotations,
            rejected,
            spans: Vec::new(),
            fragment_spans: Vec::new(),
            ron_path,
            read_only,
            warnings,
            base,
            disk_hash,
            disk_stamp,
            fingerprint,
            reanchored: reanchored_tally,
            conflicts,
            conflicts_added: Vec::new(),
            conflicts_resolved: Vec::new(),
            saved_once: false,
            codebook,
            version: next_version(),
        };
        doc.resort();
        let misfits = doc.spans.iter().filter(|s| s.is_none()).count();
        if misfits > 0 {
            doc.warnings.push(format!("{misfits} annotation(s) do not match the text and are kept but not shown"));
        }
        Ok(doc)
    }

    /// What saving this document asks for: its annotations, the merge base, and the conflict
    /// changes not yet on disk.
    pub fn save_request(&self) -> SaveRequest {
        let mut req = SaveRequest::new(&self.ron_path, self.to_file(), self.base.clone(), self.disk_hash);
        req.stamp = self.disk_stamp;
        // Temps of crashed writers are cleared by the first save after opening.
        req.cleanup = !self.saved_once;
        req.add_conflicts = self.conflicts_added.clone();
        req.resolved = self.conflicts_resolved.clone();
        req
    }

    /// Takes in what a save put on disk: a merge with another writer's changes replaces the
    /// annotations, the result becomes the base for the next save, and the sidecar's
    /// conflicts become the ones listed.
    pub fn saved(&mut self, report: &SaveReport) {
        if report.changed_ours() {
            (self.rejected, self.annotations) = report.annotations.iter().cloned().partition(Annotation::is_rejected);
            self.resort();
            self.version = next_version();
        }
        self.base = report.annotations.clone();
        self.disk_hash = Some(report.hash);
        self.disk_stamp = report.stamp;
        self.saved_once = true;
        self.conflicts = report.pending.clone();
        self.conflicts_added.clear();
        self.conflicts_resolved.clear();
    }

    /// Records a conflict found here; it is listed at once and written with the next save.
    pub fn add_conflict(&mut self, c: Conflict) {
        if !self.conflicts.contains(&c) {
            self.conflicts.push(c.clone());
            self.conflicts_added.push(c);
        }
    }

    /// Marks conflict `i` resolved; the next save drops it from the sidecar.
    pub fn resolve_conflict(&mut self, i: usize) -> Option<Conflict> {
        (i < self.conflicts.len()).then(|| {
            let c = self.conflicts.remove(i);
            self.conflicts_added.retain(|a| a != &c);
            self.conflicts_resolved.push(c.clone());
            c
        })
    }

    fn resort(&mut self) {
        self.annotations.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        (self.spans, self.fragment_spans) = self.annotations.iter().map(|a| self.span_of(a)).unzip();
    }

    /// The span a selection makes: whitespace at its edges is never part of a span, and a
    /// selection of only whitespace makes none. The one rule for tagging, re-targeting and
    /// growing or shrinking a span.
    pub fn trimmed(&self, sel: ByteRange) -> Option<ByteRange> {
        let t = self.article.text.get(sel.as_range())?;
        let lead = t.len() - t.trim_start().len();
        let trail = t.len() - t.trim_end().len();
        (lead < t.len()).then(|| ByteRange::new(sel.start + lead, sel.end - trail))
    }

    /// `a` moved onto `bytes` of the text: offsets, quote and context follow; its re-anchoring
    /// note is settled, since a person chose the place.
    pub fn respan(&self, a: &Annotation, bytes: ByteRange) -> Annotation {
        let text = &self.article.text;
        let chars = self.article.index.to_chars(text, bytes);
        let mut out = a.clone();
        (out.start, out.end) = (chars.start, chars.end);
        out.quote = text[bytes.as_range()].to_owned();
        (out.prefix, out.suffix) = super::annotation::context(text, bytes);
        out.anchor = None;
        out
    }

    /// `a` with its piece `k` (0: the first, in its own fields; then its fragments) moved onto
    /// `bytes`: that piece's offsets, quote and context follow; the other pieces stay.
    pub fn respan_piece(&self, a: &Annotation, k: usize, bytes: ByteRange) -> Annotation {
        if k == 0 {
            let mut out = self.respan(a, bytes);
            out.anchor = a.anchor.clone();
            return out;
        }
        let text = &self.article.text;
        let mut out = a.clone();
        if let Some(f) = out.fragments.get_mut(k - 1) {
            *f = super::annotation::Fragment::over(text, bytes, self.article.index.to_chars(text, bytes));
        }
        out
    }

    pub fn position(&self, id: &AnnotationId) -> Option<usize> {
        self.annotations.iter().position(|a| &a.id == id)
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.annotations.iter().find(|a| &a.id == id)
    }

    /// The annotation with this label on exactly this span, if there is one: tagging it again
    /// would only make a duplicate (a re-run script, a second keypress), so writers refuse
    /// or return this one instead. A binary search, since annotations are sorted by span.
    pub fn identical(&self, label: &super::annotation::LabelId, span: super::units::CharRange) -> Option<&Annotation> {
        let from = self.annotations.partition_point(|a| (a.start, a.end) < (span.start, span.end));
        self.annotations[from..]
            .iter()
            .take_while(|a| (a.start, a.end) == (span.start, span.end))
            .find(|a| &a.label == label)
    }

    /// Applies an edit; false (and no change) when it does not fit the current state.
    pub fn apply(&mut self, edit: &Edit) -> bool {
        self.apply_checked(edit).is_ok()
    }

    /// Applies an edit only to the exact version it was made on: a delete or update whose
    /// annotation differs now (another writer changed it, and a merge brought that in), or an
    /// insert whose id exists, changes nothing and returns the current version. This is what
    /// keeps an undo from silently reverting someone else's change.
    pub fn apply_checked(&mut self, edit: &Edit) -> Result<(), Stale> {
        // Incremental: only the edited annotation's offsets are converted, so an edit costs
        // O(log n) plus a move of the vectors' tails, not a conversion of every annotation.
        let (id, expected) = match edit {
            Edit::Insert(a) => (&a.id, None),
            Edit::Delete(a) => (&a.id, Some(a)),
            Edit::Update { before, .. } => (&before.id, Some(before)),
        };
        let at = self.position(id);
        let gone = self.rejected.iter().position(|a| &a.id == id);
        let current = at.map(|i| &self.annotations[i]).or_else(|| gone.map(|i| &self.rejected[i]));
        if current != expected {
            return Err(Stale(current.cloned().map(Box::new)));
        }
        // A rejected suggestion leaves the live list, an un-rejected one (undo) comes back.
        let after = match edit {
            Edit::Insert(a) | Edit::Update { after: a, .. } => Some(a),
            Edit::Delete(_) => None,
        };
        if let Some(i) = at {
            self.remove_at(i);
        } else if let Some(i) = gone {
            self.rejected.remove(i);
        }
        match after {
            Some(a) if a.is_rejected() => self.rejected.push(a.clone()),
            Some(a) => self.insert_sorted(a.clone()),
            None => {}
        }
        self.version = next_version();
        Ok(())
    }

    /// A number that changes whenever the annotations do (an edit, a save that merged another
    /// writer's changes) and that no other document, or other opening of this one, has had:
    /// a view derived from the annotations is rebuilt only when it differs, not on every key.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The byte ranges of `a`'s first piece and of its fragments, when every piece holds its
    /// quote: one piece that no longer fits hides the whole annotation, since showing part of
    /// a quote as if it were all of it would mislead.
    fn span_of(&self, a: &Annotation) -> (Option<ByteRange>, Vec<ByteRange>) {
        let text = &self.article.text;
        let fit = |span, quote: &str| self.article.index.to_bytes(text, span).filter(|r| text[r.as_range()] == *quote);
        let first = fit(a.span(), &a.quote);
        let rest: Option<Vec<ByteRange>> = a.fragments.iter().map(|f| fit(f.span(), &f.quote)).collect();
        match (first, rest) {
            (Some(first), Some(rest)) => (Some(first), rest),
            _ => (None, Vec::new()),
        }
    }

    /// Every piece of annotation `i` that is shown, the first first, in text order: empty when
    /// it does not fit the text.
    pub fn pieces(&self, i: usize) -> impl Iterator<Item = ByteRange> + '_ {
        self.spans[i].into_iter().chain(self.fragment_spans[i].iter().copied())
    }

    fn insert_sorted(&mut self, a: Annotation) {
        let i = self.annotations.partition_point(|b| b.sort_key() < a.sort_key());
        let (first, rest) = self.span_of(&a);
        self.spans.insert(i, first);
        self.fragment_spans.insert(i, rest);
        self.annotations.insert(i, a);
    }

    fn remove_at(&mut self, i: usize) {
        self.annotations.remove(i);
        self.spans.remove(i);
        self.fragment_spans.remove(i);
    }

    /// Innermost (shortest) shown annotation containing byte `pos`.
    pub fn annotation_at(&self, pos: usize) -> Option<usize> {
        self.annotation_at_with(pos, |_| true)
    }

    /// Innermost shown annotation with a piece containing byte `pos` that `keep` accepts
    /// (the shortest such piece wins: a source inside one piece of a quote is inner to it).
    pub fn annotation_at_with(&self, pos: usize, keep: impl Fn(&Annotation) -> bool) -> Option<usize> {
        (0..self.annotations.len())
            .filter(|&i| keep(&self.annotations[i]))
            .filter_map(|i| {
                self.pieces(i).find(|s| s.contains(pos) || (s.is_empty() && s.start == pos)).map(|s| (i, s.len()))
            })
            .min_by_key(|&(_, len)| len)
            .map(|(i, _)| i)
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        self.annotations.iter().for_each(|a| c.count(a));
        c
    }

    pub fn to_file(&self) -> AnnotationFile {
        let all = self.annotations.iter().chain(&self.rejected).cloned().collect();
        let mut file = AnnotationFile::new(&self.article.id, self.fingerprint.clone(), all);
        file.decoded_lossily = self.article.lossy;
        file.codebook = self.codebook.clone();
        file.extraction = self.article.format.extraction().map(str::to_owned);
        file
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::LabelId;
    use crate::model::corpus::{AnnotationRoot, Corpus};

    fn corpus_with(text: &str, ron: Option<&str>) -> (tempfile::TempDir, Entry) {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), text).unwrap();
        if let Some(r) = ron {
            std::fs::write(d.path().join("a.ron"), r).unwrap();
        }
        let c = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap();
        let e = c.entries[0].clone();
        (d, e)
    }

    fn tag(doc: &Document, label: LabelId, quote: &str) -> Annotation {
        let s = doc.article.text.find(quote).unwrap();
        let b = ByteRange::new(s, s + quote.len());
        let c = doc.article.index.to_chars(&doc.article.text, b);
        Annotation::new_manual(label, &doc.article.text, b, c, "t", "2026-01-01T00:00:00Z")
    }

    #[test]
    fn a_changed_extraction_is_named_in_the_reanchoring_warning_and_saved_as_the_current_one() {
        let (d, e) = corpus_with("Песков сказал «нет».", None);
        let doc = Document::open(&e).unwrap();
        let mut old = AnnotationFile::new(
            "a.txt",
            Fingerprint::of("Песков сказал «да».", 19),
            vec![tag(&doc, LabelId::new("Source"), "Песков")],
        );
        old.extraction = Some("html-0".into());
        std::fs::write(d.path().join("a.ron"), old.to_ron()).unwrap();
        let doc = Document::open(&e).unwrap();
        let w = doc.warnings.iter().find(|w| w.contains("changed since it was annotated")).unwrap();
        assert!(w.contains("(its text was made by html-0, now by none)"), "{w}");
        assert_eq!(doc.to_file().extraction, None, "a plain text article records no extraction");
    }

    #[test]
    fn identical_finds_the_annotation_with_the_same_label_and_span_only() {
        let (_d, e) = corpus_with("Песков сказал «нет», Песков 😀.", None);
        let mut doc = Document::open(&e).unwrap();
        let src = tag(&doc, LabelId::new("Source"), "Песков");
        let claim = tag(&doc, LabelId::new("Claim"), "Песков");
        assert!(doc.apply(&Edit::Insert(src.clone())));
        assert_eq!(doc.identical(&LabelId::new("Source"), src.span()), Some(&src));
        assert_eq!(
            doc.identical(&LabelId::new("Claim"), src.span()),
            None,
            "another label on the span is no duplicate"
        );
        assert!(doc.apply(&Edit::Insert(claim.clone())));
        assert_eq!(doc.identical(&LabelId::new("Claim"), src.span()), Some(&claim));
        let longer = crate::model::units::CharRange::new(src.start, src.end + 1);
        assert_eq!(doc.identical(&LabelId::new("Source"), longer), None, "another span is no duplicate");
        let later = doc.article.text.rfind("Песков").unwrap();
        let later = doc.article.index.to_chars(&doc.article.text, ByteRange::new(later, later + "Песков".len()));
        assert_eq!(doc.identical(&LabelId::new("Source"), later), None, "the same quote elsewhere is no duplicate");
    }

    #[test]
    fn a_rejected_suggestion_leaves_the_live_list_is_saved_and_comes_back_on_undo() {
        use crate::model::annotation::{Status, Suggestion};
        let (_d, e) = corpus_with("Подпишитесь на рассылку. Peskov said “no”.", None);
        let mut doc = Document::open(&e).unwrap();
        let s = doc.article.text.find("Подпишитесь").unwrap();
        let b = ByteRange::new(s, s + "Подпишитесь на рассылку.".len());
        let c = doc.article.index.to_chars(&doc.article.text, b);
        let by = Suggestion {
            detector: "boilerplate".into(),
            version: 1,
            confidence: 80,
            reason: "r".into(),
            category: "newsletter-prompt".into(),
        };
        let p =
            Annotation::new_proposed(LabelId::new("Boilerplate"), &doc.article.text, b, c, by, "2026-01-01T00:00:00Z");
        assert!(doc.apply(&Edit::Insert(p.clone())));
        let reject = Edit::Update { before: p.clone(), after: p.with_status(Status::Rejected, "2026-01-02T00:00:00Z") };
        assert!(doc.apply(&reject));
        assert!(doc.annotations.is_empty() && doc.counts() == Counts::default(), "not shown, not counted");
        assert_eq!(doc.rejected.len(), 1);
        assert_eq!(doc.to_file().annotations.len(), 1, "but saved, so it is not proposed again");
        assert!(doc.apply(&reject.inverse()), "undo finds it among the rejected");
        assert_eq!((doc.annotations.len(), doc.rejected.len()), (1, 0));
        assert_eq!(doc.annotations[0], p);
        // Reopened from disk, a rejected one is kept apart again.
        doc.apply(&reject);
        let report = crate::model::save::save(doc.save_request()).unwrap();
        doc.saved(&report);
        let again = Document::open(&e).unwrap();
        assert_eq!((again.annotations.len(), again.rejected.len()), (0, 1));
    }

    #[test]
    fn the_version_changes_with_every_edit_and_never_repeats_across_openings() {
        let (_d, e) = corpus_with("Песков сказал «нет».", None);
        let mut doc = Document::open(&e).unwrap();
        let opened = doc.version();
        let src = tag(&doc, LabelId::new("Source"), "Песков");
        assert!(doc.apply(&Edit::Insert(src.clone())));
        let edited = doc.version();
        assert_ne!(edited, opened, "an edit is a new version");
        assert!(!doc.apply(&Edit::Insert(src)), "a refused edit…");
        assert_eq!(doc.version(), edited, "…changes nothing");
        let again = Document::open(&e).unwrap();
        assert!(![opened, edited].contains(&again.version()), "another opening is another version");
    }

    #[test]
    fn edits_apply_and_invert_exactly() {
        let (_d, e) = corpus_with("😀 Peskov said “no”.", None);
        let mut doc = Document::open(&e).unwrap();
        let src = tag(&doc, LabelId::new("Source"), "Peskov");
        let ins = Edit::Insert(src.clone());
        assert!(doc.apply(&ins));
        assert!(!doc.apply(&ins), "inserting the same id twice is refused");
        assert_eq!(doc.spans[0], Some(ByteRange::new(5, 11)));
        assert_eq!(doc.annotations[0].start, 2, "offsets are code points");
        let mut noted = src.clone();
        noted.note = Some("spokesman".into());
        let upd = Edit::Update { before: src.clone(), after: noted };
        assert!(doc.apply(&upd));
        assert!(doc.apply(&upd.inverse()));
        assert_eq!(doc.annotations, vec![src]);
        assert!(doc.apply(&ins.inverse()));
        assert!(doc.annotations.is_empty());
    }

    #[test]
    fn a_file_for_an_invalid_utf8_article_says_its_offsets_are_into_decoded_text() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), b"caf\xe9 Peskov said").unwrap();
        let e = Corpus::open(d.path(), AnnotationRoot::NextToArticles).unwrap().entries[0].clone();
        let mut doc = Document::open(&e).unwrap();
        assert!(doc.warnings[0].contains("invalid UTF-8"), "{:?}", doc.warnings);
        doc.apply(&Edit::Insert(tag(&doc, LabelId::new("Source"), "Peskov")));
        let ron = doc.to_file().to_ron();
        assert!(ron.contains("decoded_lossily: true"), "{ron}");
        assert_eq!(doc.annotations[0].start, 5, "code points of the decoded text (é became U+FFFD)");
        assert!(!Document::open(&corpus_with("ok", None).1).unwrap().to_file().to_ron().contains("decoded_lossily"));
    }

    #[test]
    fn incremental_edits_keep_the_same_order_and_spans_as_a_full_resort() {
        let (_d, e) = corpus_with("b a c 👍 a b c", None);
        let mut doc = Document::open(&e).unwrap();
        let quotes = ["c", "a", "b", "👍", "a b"];
        let anns: Vec<_> = quotes.iter().map(|q| tag(&doc, LabelId::new("Source"), q)).collect();
        for a in &anns {
            doc.apply(&Edit::Insert(a.clone()));
        }
        let moved = tag(&doc, LabelId::new("Claim"), "c 👍");
        doc.apply(&Edit::Update { before: anns[1].clone(), after: Annotation { id: anns[1].id.clone(), ..moved } });
        doc.apply(&Edit::Delete(anns[2].clone()));
        let (incremental, spans, pieces) = (doc.annotations.clone(), doc.spans.clone(), doc.fragment_spans.clone());
        doc.resort();
        assert_eq!((doc.annotations, doc.spans, doc.fragment_spans), (incremental, spans, pieces));
    }

    /// "«Мы не сдадимся», — сказал он, — «никогда»." as one claim in two pieces.
    fn two_piece_claim(doc: &Document) -> Annotation {
        let mut a = tag(doc, LabelId::new("Claim"), "Мы не сдадимся");
        let second = tag(doc, LabelId::new("Claim"), "никогда");
        a.fragments.push(crate::model::annotation::Fragment {
            start: second.start,
            end: second.end,
            quote: second.quote,
            prefix: second.prefix,
            suffix: second.suffix,
        });
        a
    }

    #[test]
    fn every_piece_of_a_fragmented_annotation_is_found_under_the_cursor_and_none_in_the_gap() {
        let (_d, e) = corpus_with("«Мы не сдадимся», — сказал он, — «никогда». 😀", None);
        let mut doc = Document::open(&e).unwrap();
        let claim = two_piece_claim(&doc);
        let he = tag(&doc, LabelId::new("Source"), "он");
        assert!(doc.apply(&Edit::Insert(claim.clone())));
        assert!(doc.apply(&Edit::Insert(he.clone())));
        let t = doc.article.text.clone();
        let at = |needle: &str| doc.annotation_at(t.find(needle).unwrap()).map(|i| doc.annotations[i].id.clone());
        assert_eq!(at("сдадимся"), Some(claim.id.clone()), "the first piece");
        assert_eq!(at("никогда"), Some(claim.id.clone()), "the second piece");
        assert_eq!(at("сказал"), None, "the words between the pieces are not the claim's");
        assert_eq!(at("он,"), Some(he.id), "the source between them is its own");
        let i = doc.position(&claim.id).unwrap();
        let shown: Vec<&str> = doc.pieces(i).map(|r| &t[r.as_range()]).collect();
        assert_eq!(shown, ["Мы не сдадимся", "никогда"]);
    }

    #[test]
    fn an_annotation_one_of_whose_pieces_no_longer_fits_is_kept_but_not_shown() {
        let (_d, e) = corpus_with("«Мы не сдадимся», — сказал он, — «никогда».", None);
        let mut doc = Document::open(&e).unwrap();
        let mut claim = two_piece_claim(&doc);
        claim.fragments[0].quote = "всегда".into();
        assert!(doc.apply(&Edit::Insert(claim.clone())));
        assert_eq!((doc.spans[0], doc.pieces(0).count()), (None, 0));
        assert_eq!(doc.annotation_at(doc.article.text.find("сдадимся").unwrap()), None);
        assert_eq!(doc.annotations, vec![claim], "kept");
    }

    #[test]
    fn annotation_at_prefers_the_innermost_of_nested_spans() {
        let (_d, e) = corpus_with("Kremlin spokesman Dmitry Peskov said", None);
        let mut doc = Document::open(&e).unwrap();
        let outer = tag(&doc, LabelId::new("Source"), "Kremlin spokesman Dmitry Peskov");
        let inner = tag(&doc, LabelId::new("Source"), "Dmitry Peskov");
        doc.apply(&Edit::Insert(outer));
        doc.apply(&Edit::Insert(inner.clone()));
        let at = doc.annotation_at(doc.article.text.find("Peskov").unwrap()).unwrap();
        assert_eq!(doc.annotations[at].id, inner.id);
        assert_eq!(doc.annotation_at(0).map(|i| doc.annotations[i].quote.len()), Some(31));
    }

    #[test]
    fn duplicate_ids_make_the_document_read_only() {
        let (_d, e) = corpus_with("Peskov and Lavrov", None);
        let mut doc = Document::open(&e).unwrap();
        let mut a = tag(&doc, LabelId::new("Source"), "Peskov");
        a.id = crate::model::annotation::AnnotationId("same".into());
        let b = Annotation { id: a.id.clone(), ..tag(&doc, LabelId::new("Source"), "Lavrov") };
        doc.annotations = vec![a, b];
        doc.to_file().write_unmerged(&e.ron_path).unwrap();
        let doc = Document::open(&e).unwrap();
        assert!(
            doc.read_only.as_deref().is_some_and(|r| r.contains("id same is used by more than one")),
            "{:?}",
            doc.read_only
        );
    }

    #[test]
    fn a_corrupt_ron_file_opens_read_only_with_its_position() {
        let (_d, e) = corpus_with("text", Some("(format: 1,\n  oops"));
        let doc = Document::open(&e).unwrap();
        let why = doc.read_only.unwrap();
        assert!(why.contains("a.ron:2:"), "{why}");
    }

    #[test]
    fn annotations_that_no_longer_match_are_kept_but_not_shown() {
        let (d, e) = corpus_with("Peskov said", None);
        let mut doc = Document::open(&e).unwrap();
        doc.apply(&Edit::Insert(tag(&doc, LabelId::new("Source"), "Peskov")));
        doc.to_file().write_unmerged(&e.ron_path).unwrap();
        std::fs::write(d.path().join("a.txt"), "Lavrov said").unwrap();
        let doc = Document::open(&e).unwrap();
        assert_eq!(doc.annotations.len(), 1);
        assert_eq!(doc.spans, vec![None]);
        assert!(doc.warnings.iter().any(|w| w.contains("1 orphaned")), "{:?}", doc.warnings);
        assert_eq!(doc.annotations[0].anchor, Some(crate::model::annotation::AnchorNote::Orphaned));
        assert_eq!(doc.to_file().annotations.len(), 1, "saving keeps it");
    }

    #[test]
    fn an_edited_article_reanchors_in_memory_and_writes_nothing() {
        let (d, e) = corpus_with("Peskov said no. Lavrov said yes.", None);
        let mut doc = Document::open(&e).unwrap();
        doc.apply(&Edit::Insert(tag(&doc, LabelId::new("Source"), "Lavrov")));
        doc.to_file().write_unmerged(&e.ron_path).unwrap();
        let before = std::fs::read(&e.ron_path).unwrap();
        std::fs::write(d.path().join("a.txt"), "A new first line.\nPeskov said no. Lavrov said yes.").unwrap();
        let doc = Document::open(&e).unwrap();
        let a = &doc.annotations[0];
        assert_eq!((a.start, a.end, a.quote.as_str()), (34, 40, "Lavrov"));
        assert_eq!(a.anchor, Some(crate::model::annotation::AnchorNote::Moved { from_start: 16, from_end: 22 }));
        assert!(doc.spans[0].is_some(), "shown at its new place");
        assert_eq!(std::fs::read(&e.ron_path).unwrap(), before, "opening writes nothing");
    }
}
