//! Imports: other annotation tools' files brought in as newsnote annotations.
//!
//! Each reader turns a tool's file into [`ImportedDoc`]s (a text plus annotations in
//! newsnote's model, offsets in code points); [`write_into`] then finds each document's
//! article in a corpus (by file name, else by identical text) and adds the annotations to
//! its RON file. Existing annotations are kept; an imported one identical in label and span
//! to an existing one is skipped, and an unreadable RON file is left alone and reported.

pub mod brat;
pub mod doccano;
pub mod labelstudio;

use crate::model::annotation::{Annotation, AnnotationId, AttrValue, LabelId};
use crate::model::article::Article;
use crate::model::codebook::Codebook;
use crate::model::corpus::Corpus;
use crate::model::document::{Document, Edit};
use crate::model::entities::{Change, Entity, EntityError, EntityId, Registry};
use crate::model::save::save;
use crate::model::store::Fingerprint;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One document read from another tool's file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedDoc {
    /// What the source file calls the document (brat: the file stem; doccano / Label Studio:
    /// a filename or id from the record, when present). Matched against article file names.
    pub name: Option<String>,
    /// The document text as the tool had it; offsets in `annotations` point into it.
    pub text: String,
    /// Annotations with `origin: Imported`, code-point offsets into `text`, ids unique in
    /// the document, links where the source file has them.
    pub annotations: Vec<Annotation>,
    /// Things the reader repaired or could not bring in (per document).
    pub warnings: Vec<String>,
    /// The entities the tool's file names for mentions (brat's `N` lines), resolved against
    /// the registry by [`link_entities`] before the annotations are written.
    pub entity_refs: Vec<EntityRef>,
}

/// What another tool says a mention refers to: newsnote's registry id (a `newsnote:` brat
/// reference), a Wikidata id, a name, or several of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRef {
    /// The imported annotation that mentions it.
    pub annotation: AnnotationId,
    pub id: Option<EntityId>,
    pub wikidata: Option<String>,
    pub name: Option<String>,
}

/// What [`link_entities`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Linked {
    /// Mentions given an entity.
    pub mentions: usize,
    /// Entities added to the registry (not yet saved).
    pub created: Vec<EntityId>,
}

/// Sets the entity of each referenced mention in `docs`, finding it in `registry` by its
/// newsnote id, else by Wikidata id, else by name ([`Registry::find`]); one found nowhere is
/// added (under the referenced id when that is free, so a round trip keeps ids). The
/// registry is changed in memory only: the caller saves it through its save path, before the
/// annotation files that point at it are written.
pub fn link_entities(docs: &mut [ImportedDoc], registry: &mut Registry, author: &str) -> Result<Linked, EntityError> {
    let mut out = Linked::default();
    for doc in docs.iter_mut() {
        for r in std::mem::take(&mut doc.entity_refs) {
            let found =
                r.id.as_ref()
                    .and_then(|id| registry.resolve(id))
                    .or_else(|| {
                        let q = r.wikidata.as_deref()?;
                        registry.live().find(|e| e.wikidata.as_deref() == Some(q))
                    })
                    .or_else(|| r.name.as_deref().and_then(|n| registry.find(n)))
                    .map(|e| e.id.clone());
            let id = match found {
                Some(id) => id,
                None => {
                    let name = r.name.clone().or_else(|| r.id.as_ref().map(|i| i.to_string())).unwrap_or_default();
                    let id = match &r.id {
                        Some(id) if registry.get(id).is_none() && !id.as_str().is_empty() => id.clone(),
                        _ => registry.fresh_id(&name),
                    };
                    let mut e = Entity::new(id.clone(), &name, author);
                    e.wikidata = r.wikidata.clone();
                    registry.apply(&[Change { before: None, after: Some(e) }])?;
                    out.created.push(id.clone());
                    id
                }
            };
            if let Some(a) = doc.annotations.iter_mut().find(|a| a.id == r.annotation) {
                a.entity = Some(id);
                out.mentions += 1;
            }
        }
    }
    Ok(out)
}

/// What another tool's label name becomes: a codebook label, and for names that carry a
/// value (`Boilerplate:DonationAppeal`) that attribute value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub label: LabelId,
    pub attributes: BTreeMap<String, AttrValue>,
}

impl Target {
    /// Puts this target's label and values on an annotation.
    pub fn apply(&self, a: &mut Annotation) {
        a.label = self.label.clone();
        a.attributes.extend(self.attributes.clone());
    }
}

/// Maps another tool's label names to codebook labels (case-insensitive).
#[derive(Debug, Clone)]
pub struct LabelMap(HashMap<String, Target>);

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Syntax { path: PathBuf, line: usize, message: String },
    #[error(
        "--map {0:?}: expected LABEL=TARGET, TARGET a label id of the codebook, or LABEL:VALUE for its asked attribute (newsnote codebook lists them)"
    )]
    BadMap(String),
}

/// A target written as `label` or `label:value` (the value of the label's asked attribute,
/// the default codebook's boilerplate kind), in any case, against the codebook.
pub fn parse_label(cb: &Codebook, s: &str) -> Option<Target> {
    let lower = s.trim().to_lowercase();
    let (label, value) = match lower.split_once(':') {
        Some((l, v)) => (l, Some(v.replace(['_', '-'], ""))),
        None => (lower.as_str(), None),
    };
    let def = cb.labels.iter().find(|l| l.id.to_lowercase() == label || l.name.to_lowercase() == label)?;
    let mut attributes = BTreeMap::new();
    if let Some(v) = value {
        let asked = cb.asked_on_tag(&def.id)?;
        let found = asked.kind.values().iter().find(|d| d.id.to_lowercase().replace(['_', '-'], "") == v)?;
        attributes.insert(asked.id.clone(), AttrValue::One(found.id.clone()));
    }
    Some(Target { label: LabelId::new(def.id.clone()), attributes })
}

impl LabelMap {
    /// Each label of the codebook by id and name, each value of a label's asked attribute by
    /// itself, as `label:value` and `label_value` (as newsnote's exports write them), and the
    /// attribution vocabulary of PARC/PolNeAR-style corpora (Content, Quote → the
    /// codebook's attributed content).
    pub fn new(cb: &Codebook) -> Self {
        let mut m = HashMap::new();
        for l in &cb.labels {
            let t = Target { label: LabelId::new(l.id.clone()), attributes: BTreeMap::new() };
            m.insert(l.id.to_lowercase(), t.clone());
            m.insert(l.name.to_lowercase(), t);
            if let Some(asked) = cb.asked_on_tag(&l.id) {
                for v in asked.kind.values() {
                    let t = Target {
                        label: LabelId::new(l.id.clone()),
                        attributes: BTreeMap::from([(asked.id.clone(), AttrValue::One(v.id.clone()))]),
                    };
                    let (lid, vid) = (l.id.to_lowercase(), v.id.to_lowercase());
                    m.entry(vid.clone()).or_insert_with(|| t.clone());
                    m.insert(format!("{lid}:{vid}"), t.clone());
                    m.insert(format!("{lid}_{vid}"), t);
                }
            }
        }
        if let Some(at) = &cb.attribution {
            let t = Target { label: LabelId::new(at.content.clone()), attributes: BTreeMap::new() };
            for alias in ["content", "quote"] {
                m.entry(alias.to_string()).or_insert_with(|| t.clone());
            }
        }
        Self(m)
    }

    /// Adds `--map LABEL=TARGET` entries over the defaults.
    pub fn with(mut self, cb: &Codebook, entries: &[String]) -> Result<Self, ImportError> {
        for e in entries {
            let (from, to) = e.split_once('=').ok_or_else(|| ImportError::BadMap(e.clone()))?;
            let target = parse_label(cb, to).ok_or_else(|| ImportError::BadMap(e.clone()))?;
            self.0.insert(from.trim().to_lowercase(), target);
        }
        Ok(self)
    }

    pub fn get(&self, name: &str) -> Option<&Target> {
        self.0.get(&name.trim().to_lowercase())
    }
}

/// What happened to one imported document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The article it was matched to (its RON file), or `None` when no article matched.
    pub ron_path: Option<PathBuf>,
    pub added: usize,
    pub duplicates: usize,
    pub messages: Vec<String>,
}

/// The article a document belongs to: the same path (extension aside), else the only article
/// with that file stem, else identical text.
fn find_article(corpus: &Corpus, doc: &ImportedDoc, texts: &mut HashMap<usize, Article>) -> Option<usize> {
    let no_ext = |id: &str| match id.rsplit_once('.') {
        Some((s, ext)) if !ext.contains('/') => s.to_string(),
        _ => id.to_string(),
    };
    let stem = |id: &str| no_ext(id.rsplit('/').next().unwrap_or(id));
    if let Some(name) = &doc.name {
        let want = no_ext(name);
        let exported = |id: &str| crate::model::corpus::record_export_path(id).is_some_and(|p| p == want);
        if let Some(i) = corpus.entries.iter().position(|e| no_ext(&e.id) == want || exported(&e.id)) {
            return Some(i);
        }
        let same_stem: Vec<usize> =
            (0..corpus.entries.len()).filter(|&i| stem(&corpus.entries[i].id) == stem(name)).collect();
        if let [i] = same_stem[..] {
            return Some(i);
        }
    }
    let fp = Fingerprint::of(&doc.text, doc.text.chars().count());
    (0..corpus.entries.len()).find(|&i| {
        let art = texts.entry(i).or_insert_with(|| {
            crate::model::load::load(&corpus.entries[i])
                .unwrap_or_else(|_| Article::from_text(String::new(), PathBuf::new(), String::new(), vec![]))
        });
        Fingerprint::of(&art.text, art.index.total_chars()) == fp
    })
}

/// Adds each document's annotations to its article's RON file in `corpus`.
pub fn write_into(corpus: &Corpus, cb: &Codebook, docs: Vec<ImportedDoc>) -> Vec<Outcome> {
    let mut texts = HashMap::new();
    docs.into_iter()
        .map(|doc| {
            let mut messages = doc.warnings.clone();
            let Some(i) = find_article(corpus, &doc, &mut texts) else {
                messages.push(format!(
                    "{}: no article with that name or text in {}; not imported",
                    doc.name.as_deref().unwrap_or("(unnamed document)"),
                    corpus.root.display()
                ));
                return Outcome { ron_path: None, added: 0, duplicates: 0, messages };
            };
            let entry = &corpus.entries[i];
            let mut outcome = Outcome { ron_path: Some(entry.ron_path.clone()), added: 0, duplicates: 0, messages };
            match merge(entry, cb, doc) {
                Ok((added, duplicates, mut m)) => {
                    outcome.added = added;
                    outcome.duplicates = duplicates;
                    outcome.messages.append(&mut m);
                }
                Err(e) => outcome.messages.push(e),
            }
            outcome
        })
        .collect()
}

/// Merges a document's annotations into an article's RON file, re-anchoring by quote when the
/// tool's text differs from the article's. Saves through the one save path (lock, re-read,
/// three-way merge), so an import racing the TUI or `newsnote tag` loses nobody's work.
fn merge(
    entry: &crate::model::corpus::Entry,
    cb: &Codebook,
    doc: ImportedDoc,
) -> Result<(usize, usize, Vec<String>), String> {
    let mut target = Document::open(entry).map_err(|e| e.to_string())?;
    target.codebook = Some(cb.reference());
    if let Some(why) = &target.read_only {
        return Err(format!("{why}; nothing imported"));
    }
    let mut messages = Vec::new();
    if let Some(t) = target.reanchored.filter(|t| t.moved + t.changed + t.orphaned > 0) {
        // The existing annotations are written at their re-anchored places, each flagged for
        // a person to confirm (`!` in the TUI, `newsnote check`), never silently stranded.
        messages.push(format!(
            "{} changed since it was annotated: the existing annotations were re-anchored ({t}); review them with \
             newsnote check or ! in the TUI",
            entry.id
        ));
    }
    let article = &target.article;
    let (mut added, mut duplicates) = (0, 0);
    let same_text = doc.text == article.text;
    // Imported ids that collide with another annotation's get new ids derived from them (so a
    // second run renames the same way), links in the batch follow. An id held by the same span
    // is the same annotation imported again: it stays, and is found a duplicate below.
    let mut renamed = HashMap::new();
    let same = |a: &Annotation, b: &Annotation| a.label == b.label && a.pieces().eq(b.pieces());
    // A suggestion the other tool's coder decided (Label Studio: a prediction accepted, as
    // adjusted, or left out) replaces the open suggestion of that id here: a detector's
    // proposal, never a person's annotation, so no one's work is changed.
    let decides = |a: &Annotation, old: &Annotation| {
        old.is_proposed() && old.suggestion.is_some() && a.suggestion.is_some() && !a.is_proposed()
    };
    let mut settled = Vec::new();
    // A suggestion proposed again is not a new annotation: one rejected here stays rejected,
    // and one here under its id (accepted as a person adjusted it, or still open) stands.
    let was_rejected = |a: &Annotation, target: &Document| {
        target.rejected.iter().any(|r| r.id == a.id || (r.label == a.label && r.pieces().eq(a.pieces())))
            || (a.suggestion.is_some() && target.get(&a.id).is_some_and(|old| old.suggestion.is_some()))
    };
    let taken =
        |id: &AnnotationId, target: &Document| target.get(id).is_some() || target.rejected.iter().any(|r| &r.id == id);
    for a in &doc.annotations {
        if target.get(&a.id).is_some_and(|old| decides(a, old)) || (a.is_proposed() && was_rejected(a, &target)) {
            continue;
        }
        if target.get(&a.id).is_some_and(|old| !same(old, a))
            || target.rejected.iter().any(|r| r.id == a.id && !same(r, a))
        {
            let mut fresh = a.id.clone();
            while taken(&fresh, &target) || doc.annotations.iter().any(|b| b.id == fresh) {
                let hash = crate::model::fsio::content_hash(format!("{fresh}\u{1f}renamed").as_bytes());
                fresh = crate::model::annotation::AnnotationId(format!("{hash:016x}"));
            }
            messages.push(format!("id {} already used in {}; imported as {fresh}", a.id, entry.id));
            renamed.insert(a.id.clone(), fresh);
        }
    }
    let mut incoming: Vec<Annotation> = Vec::new();
    let mut dups: Vec<(Annotation, AnnotationId)> = Vec::new();
    let mut alias = HashMap::new();
    let mut merged_links: HashMap<
        crate::model::annotation::AnnotationId,
        Vec<BTreeMap<String, Vec<crate::model::annotation::AnnotationId>>>,
    > = HashMap::new();
    for mut a in doc.annotations {
        if let Some(old) = target.get(&a.id).filter(|old| decides(&a, old)) {
            settled.push((old.clone(), a));
            continue;
        }
        if a.is_proposed() && was_rejected(&a, &target) {
            duplicates += 1;
            continue;
        }
        if let Some(new) = renamed.get(&a.id) {
            a.id = new.clone();
        }
        if !same_text {
            // The tool's text differs (e.g. other line ends): find the quote in the article.
            match article
                .text
                .match_indices(&a.quote)
                .map(|(b, _)| b)
                .min_by_key(|&b| article.index.char_of(&article.text, b).abs_diff(a.start))
            {
                Some(b) => {
                    let r = crate::model::units::ByteRange::new(b, b + a.quote.len());
                    let c = article.index.to_chars(&article.text, r);
                    (a.start, a.end) = (c.start, c.end);
                    (a.prefix, a.suffix) = crate::model::annotation::context(&article.text, r);
                }
                None => {
                    messages.push(format!("{} {:?}: quote not found in {}; not imported", a.label, a.quote, entry.id));
                    continue;
                }
            }
        }
        // An identical span already there (or earlier in this batch) is kept; this one's
        // links go to it, and links to this one are pointed at it.
        // The annotation itself, imported before (a derived id), else another identical span.
        let same_id = target.get(&a.id).filter(|b| b.same_span(&a));
        if let Some(kept) = same_id.or_else(|| target.annotations.iter().chain(&incoming).find(|b| b.same_span(&a))) {
            let kept = kept.id.clone();
            alias.insert(a.id.clone(), kept.clone());
            dups.push((a, kept));
            continue;
        }
        incoming.push(a);
        added += 1;
    }
    // A duplicate that is the target of a relation whose targets belong to one annotation (a
    // cue, which the codebook gives to one claim) is merged only when that leaves it with one
    // such owner: two coders' different claims over one identical cue keep a cue each, so the
    // merge never makes a conflict `check` reports.
    let one_owner: Vec<&str> = cb.relations.iter().filter(|r| !r.shared).map(|r| r.id.as_str()).collect();
    let resolve = |id: &AnnotationId| {
        let id = renamed.get(id).unwrap_or(id);
        alias.get(id).unwrap_or(id).clone()
    };
    let batch: Vec<&Annotation> = incoming.iter().chain(dups.iter().map(|d| &d.0)).collect();
    let split: HashSet<AnnotationId> = dups
        .iter()
        .filter(|(a, kept)| {
            a.id != *kept
                && one_owner.iter().any(|rel| {
                    let owners: HashSet<AnnotationId> = target
                        .annotations
                        .iter()
                        .filter(|x| x.linked(rel).contains(kept))
                        .map(|x| x.id.clone())
                        .chain(
                            batch
                                .iter()
                                .filter(|x| x.linked(rel).iter().any(|t| resolve(t) == *kept))
                                .map(|x| resolve(&x.id)),
                        )
                        .collect();
                    owners.len() > 1
                })
        })
        .map(|(a, _)| a.id.clone())
        .collect();
    for (a, kept) in dups {
        if split.contains(&a.id) {
            alias.remove(&a.id);
            incoming.push(a);
            added += 1;
        } else {
            duplicates += 1;
            merged_links.entry(kept).or_default().push(a.links.clone());
        }
    }
    // Every link of the batch follows renames and duplicates, so none points at an
    // annotation that was not written.
    let follow = |id: &crate::model::annotation::AnnotationId| {
        let id = renamed.get(id).unwrap_or(id);
        alias.get(id).unwrap_or(id).clone()
    };
    let retarget =
        |links: &mut BTreeMap<String, Vec<crate::model::annotation::AnnotationId>>,
         extra: Option<&Vec<BTreeMap<String, Vec<crate::model::annotation::AnnotationId>>>>| {
            for more in extra.into_iter().flatten() {
                for (rel, ids) in more {
                    links.entry(rel.clone()).or_default().extend(ids.iter().cloned());
                }
            }
            for ids in links.values_mut() {
                let mut seen = std::collections::HashSet::new();
                *ids = ids.iter().map(&follow).filter(|i| seen.insert(i.clone())).collect();
            }
        };
    for mut a in incoming {
        let extra = merged_links.remove(&a.id);
        retarget(&mut a.links, extra.as_ref());
        let own = a.id.clone();
        a.links.values_mut().for_each(|v| v.retain(|t| *t != own));
        a.links.retain(|_, v| !v.is_empty());
        target.apply(&Edit::Insert(a));
    }
    // Links a duplicate had, given to the existing annotation it duplicated.
    for (id, extra) in merged_links {
        let Some(before) = target.get(&id).cloned() else { continue };
        let mut after = before.clone();
        retarget(&mut after.links, Some(&extra));
        after.links.values_mut().for_each(|v| v.retain(|t| *t != id));
        after.links.retain(|_, v| !v.is_empty());
        if after.links != before.links {
            target.apply(&Edit::Update { before, after });
        }
    }
    // The decided suggestions: the other tool's version (status, span, links) in place of
    // the open one, its links following the batch's renames like every other's.
    let decided = settled.len();
    for (old, mut after) in settled {
        // As it is now: an earlier one rejected may have unlinked it.
        let Some(before) = target.get(&old.id).cloned() else { continue };
        retarget(&mut after.links, None);
        after.links.retain(|_, v| !v.is_empty());
        if after.is_rejected() {
            // No live link points at a rejected annotation.
            for a in target.annotations.iter().filter(|x| x.links_to(&after.id)).cloned().collect::<Vec<_>>() {
                let mut unlinked = a.clone();
                unlinked.unlink(&after.id);
                target.apply(&Edit::Update { before: a, after: unlinked });
            }
        }
        target.apply(&Edit::Update { before, after });
    }
    if decided > 0 {
        messages.push(format!(
            "{decided} open suggestion(s) of {} decided in the imported file, taken as decided",
            entry.id
        ));
    }
    let report = save(target.save_request()).map_err(|e| e.to_string())?;
    if report.vanished {
        messages.push(format!("{} had disappeared since it was read; it was written again", entry.ron_path.display()));
    }
    messages.extend(report.repairs);
    Ok((added, duplicates, messages))
}

/// Whether a reader's or `write_into`'s message says something was left out (a line, a
/// record, a span), rather than repaired or merely noted: `import` exits 1 when one was.
pub fn is_skip(message: &str) -> bool {
    message.contains("skipped") || message.contains("not imported")
}

/// Reads `src` in `format`.
pub fn read(
    format: ImportFormat,
    src: &Path,
    map: &LabelMap,
    cb: &Codebook,
    author: &str,
) -> Result<Vec<ImportedDoc>, ImportError> {
    match format {
        ImportFormat::Brat => brat::read(src, map, cb, author),
        ImportFormat::Doccano => doccano::read(src, map, cb, author),
        ImportFormat::Labelstudio => labelstudio::read(src, map, cb, author),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// A brat folder (.txt + .ann) or one .ann file.
    Brat,
    /// doccano JSONL (relation extraction or sequence labelling).
    Doccano,
    /// Label Studio JSON export (tasks with annotations or completions).
    Labelstudio,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::LabelId;

    /// The default codebook, which these tests code with.
    fn cb() -> &'static crate::model::codebook::Codebook {
        crate::model::codebook::Codebook::default_scheme()
    }

    #[test]
    fn labels_parse_in_any_case_with_kinds() {
        let cb = cb();
        let t = |l: &str, kind: Option<&str>| Target {
            label: LabelId::new(l),
            attributes: kind.map(|k| ("kind".to_string(), AttrValue::One(k.into()))).into_iter().collect(),
        };
        assert_eq!(parse_label(cb, "Source"), Some(t("Source", None)));
        assert_eq!(parse_label(cb, "boilerplate:donation_appeal"), Some(t("Boilerplate", Some("DonationAppeal"))));
        assert_eq!(parse_label(cb, "boilerplate:Copyright"), Some(t("Boilerplate", Some("Copyright"))));
        assert_eq!(parse_label(cb, "boilerplate:nope"), None, "a value the codebook does not have");
        assert_eq!(parse_label(cb, "speaker"), None);
    }

    #[test]
    fn documents_match_by_path_then_unique_stem_then_text() {
        let d = tempfile::tempdir().unwrap();
        for (p, t) in [("a/x.txt", "first"), ("b/x.txt", "second"), ("c/y.md", "third")] {
            std::fs::create_dir_all(d.path().join(p).parent().unwrap()).unwrap();
            std::fs::write(d.path().join(p), t).unwrap();
        }
        let corpus = Corpus::open(d.path(), crate::model::corpus::AnnotationRoot::NextToArticles).unwrap();
        let doc = |name: Option<&str>, text: &str| ImportedDoc {
            name: name.map(str::to_owned),
            text: text.into(),
            annotations: vec![],
            warnings: vec![],
            entity_refs: vec![],
        };
        let find =
            |d: ImportedDoc| find_article(&corpus, &d, &mut HashMap::new()).map(|i| corpus.entries[i].id.clone());
        assert_eq!(find(doc(Some("b/x.ann"), "")), Some("b/x.txt".into()));
        assert_eq!(find(doc(Some("y"), "")), Some("c/y.md".into()), "a unique stem");
        assert_eq!(find(doc(Some("x"), "first")), Some("a/x.txt".into()), "an ambiguous stem falls back to the text");
        assert_eq!(find(doc(None, "nothing like it")), None);
    }

    #[test]
    fn map_entries_override_defaults_and_bad_ones_are_reported() {
        let m = LabelMap::new(cb()).with(cb(), &["PER=source".into(), "Content=boilerplate:other".into()]).unwrap();
        assert_eq!(m.get("per").map(|t| t.label.as_str()), Some("Source"));
        let other = m.get("CONTENT").unwrap();
        assert_eq!(
            (other.label.as_str(), other.attributes.get("kind")),
            ("Boilerplate", Some(&AttrValue::One("Other".into())))
        );
        let appeal = m.get("DonationAppeal").unwrap();
        assert_eq!(appeal.attributes.get("kind"), Some(&AttrValue::One("DonationAppeal".into())));
        assert!(LabelMap::new(cb()).with(cb(), &["x".into()]).is_err());
    }
}
