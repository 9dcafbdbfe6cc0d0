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

use crate::model::annotation::{Annotation, BoilerplateKind, Label};
use crate::model::article::Article;
use crate::model::corpus::Corpus;
use crate::model::document::{Document, Edit};
use crate::model::save::save;
use crate::model::store::Fingerprint;
use std::collections::HashMap;
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
    /// the document, claim → source links where the source file has them.
    pub annotations: Vec<Annotation>,
    /// Things the reader repaired or could not bring in (per document).
    pub warnings: Vec<String>,
}

/// Maps another tool's label names to newsnote labels (case-insensitive).
#[derive(Debug, Clone)]
pub struct LabelMap(HashMap<String, Label>);

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Syntax { path: PathBuf, line: usize, message: String },
    #[error("--map {0:?}: expected LABEL=source|claim|boilerplate[:KIND]")]
    BadMap(String),
}

/// `source`, `claim`, `boilerplate`, `boilerplate:KIND` (KIND as in the RON files, any case).
pub fn parse_label(s: &str) -> Option<Label> {
    let lower = s.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        None => match lower.as_str() {
            "source" => Some(Label::Source),
            "claim" => Some(Label::Claim),
            "boilerplate" => Some(Label::Boilerplate(BoilerplateKind::Other)),
            _ => None,
        },
        Some(("boilerplate", kind)) => BoilerplateKind::ALL
            .into_iter()
            .find(|k| format!("{k:?}").to_ascii_lowercase() == kind.replace(['_', '-'], ""))
            .map(Label::Boilerplate),
        Some(_) => None,
    }
}

impl Default for LabelMap {
    /// newsnote's own names (as its exports write them), every boilerplate kind by name, and
    /// the attribution vocabulary of PARC/PolNeAR-style corpora (Source, Content → Claim).
    fn default() -> Self {
        let mut m = HashMap::new();
        for (k, l) in [
            ("source", Label::Source),
            ("claim", Label::Claim),
            ("content", Label::Claim),
            ("quote", Label::Claim),
            ("boilerplate", Label::Boilerplate(BoilerplateKind::Other)),
        ] {
            m.insert(k.to_string(), l);
        }
        for k in BoilerplateKind::ALL {
            m.insert(format!("{k:?}").to_ascii_lowercase(), Label::Boilerplate(k));
            m.insert(format!("boilerplate:{k:?}").to_ascii_lowercase(), Label::Boilerplate(k));
            m.insert(format!("boilerplate_{k:?}").to_ascii_lowercase(), Label::Boilerplate(k));
        }
        Self(m)
    }
}

impl LabelMap {
    /// Adds `--map LABEL=TARGET` entries over the defaults.
    pub fn with(mut self, entries: &[String]) -> Result<Self, ImportError> {
        for e in entries {
            let (from, to) = e.split_once('=').ok_or_else(|| ImportError::BadMap(e.clone()))?;
            let label = parse_label(to).ok_or_else(|| ImportError::BadMap(e.clone()))?;
            self.0.insert(from.trim().to_ascii_lowercase(), label);
        }
        Ok(self)
    }

    pub fn get(&self, name: &str) -> Option<Label> {
        self.0.get(&name.trim().to_ascii_lowercase()).copied()
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
        if let Some(i) = corpus.entries.iter().position(|e| no_ext(&e.id) == want) {
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
            Article::load(&corpus.entries[i].path, corpus.entries[i].id.clone())
                .unwrap_or_else(|_| Article::from_text(String::new(), PathBuf::new(), String::new(), vec![]))
        });
        Fingerprint::of(&art.text, art.index.total_chars()) == fp
    })
}

/// Adds each document's annotations to its article's RON file in `corpus`.
pub fn write_into(corpus: &Corpus, docs: Vec<ImportedDoc>) -> Vec<Outcome> {
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
            match merge(entry, doc) {
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
fn merge(entry: &crate::model::corpus::Entry, doc: ImportedDoc) -> Result<(usize, usize, Vec<String>), String> {
    let mut target = Document::open(entry).map_err(|e| e.to_string())?;
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
    // Imported ids that collide with existing ones get fresh ids, links in the batch follow.
    let mut renamed = HashMap::new();
    for a in &doc.annotations {
        if target.get(&a.id).is_some() {
            let fresh = crate::model::annotation::AnnotationId::fresh();
            messages.push(format!("id {} already used in {}; imported as {fresh}", a.id, entry.id));
            renamed.insert(a.id.clone(), fresh);
        }
    }
    let mut incoming = Vec::new();
    for mut a in doc.annotations {
        if let Some(new) = renamed.get(&a.id) {
            a.id = new.clone();
        }
        if let Some(new) = a.source.as_ref().and_then(|s| renamed.get(s)) {
            a.source = Some(new.clone());
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
        let same = |b: &Annotation| b.label == a.label && b.start == a.start && b.end == a.end;
        if target.annotations.iter().chain(&incoming).any(same) {
            duplicates += 1;
            continue;
        }
        incoming.push(a);
        added += 1;
    }
    for a in incoming {
        target.apply(&Edit::Insert(a));
    }
    let report = save(target.save_request()).map_err(|e| e.to_string())?;
    if report.vanished {
        messages.push(format!("{} had disappeared since it was read; it was written again", entry.ron_path.display()));
    }
    messages.extend(report.repairs);
    Ok((added, duplicates, messages))
}

/// Reads `src` in `format`.
pub fn read(format: ImportFormat, src: &Path, map: &LabelMap, author: &str) -> Result<Vec<ImportedDoc>, ImportError> {
    match format {
        ImportFormat::Brat => brat::read(src, map, author),
        ImportFormat::Doccano => doccano::read(src, map, author),
        ImportFormat::Labelstudio => labelstudio::read(src, map, author),
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

    #[test]
    fn labels_parse_in_any_case_with_kinds() {
        assert_eq!(parse_label("Source"), Some(Label::Source));
        assert_eq!(
            parse_label("boilerplate:donation_appeal"),
            Some(Label::Boilerplate(BoilerplateKind::DonationAppeal))
        );
        assert_eq!(parse_label("boilerplate:Copyright"), Some(Label::Boilerplate(BoilerplateKind::Copyright)));
        assert_eq!(parse_label("speaker"), None);
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
        let m = LabelMap::default().with(&["PER=source".into(), "Content=boilerplate:other".into()]).unwrap();
        assert_eq!(m.get("per"), Some(Label::Source));
        assert_eq!(m.get("CONTENT"), Some(Label::Boilerplate(BoilerplateKind::Other)));
        assert_eq!(m.get("DonationAppeal"), Some(Label::Boilerplate(BoilerplateKind::DonationAppeal)));
        assert!(LabelMap::default().with(&["x".into()]).is_err());
    }
}
