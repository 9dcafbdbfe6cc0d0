//! Exports: the corpus in the forms reviewers, spreadsheets, notebooks and other annotation
//! tools read.
//!
//! Every format works from the same [`ExportArticle`] list, built once from the core model, so
//! the formats differ only in how they write, never in what they consider an annotation.
//! Offsets are Unicode code points unless a format fixes another unit; each format says which
//! unit it writes (see [`OFFSET_UNIT`]).
//!
//! Suggestions: an [`ExportArticle`] holds the coding (accepted annotations) and the open
//! suggestions (proposed ones), and every format writes each annotation's status and origin
//! in its own way ([`Review`]). Rejected suggestions are kept apart ([`ExportArticle::rejected`])
//! and no format writes them: a file keeps them only so that no detector proposes them again.

pub mod brat;
pub mod charts;
pub mod citron;
pub mod csv;
pub mod doccano;
pub mod entities;
pub mod html;
pub mod json;
pub mod labelstudio;
pub mod markdown;
pub mod refiqda;
pub mod report;
pub mod stream;
pub mod w3c;

use crate::model::annotation::{Annotation, AnnotationId, Origin, Status};
use crate::model::article::Article;
use crate::model::codebook::Codebook;
use crate::model::corpus::Corpus;
use crate::model::store::Fingerprint;
use crate::model::units::{ByteRange, CharIndex, Utf16Index};
use std::path::PathBuf;
use std::sync::Arc;

/// The unit newsnote's own formats use for offsets.
pub const OFFSET_UNIT: &str = "unicode-code-point";

/// What every export says about the text its offsets count: newsnote's text, not the bytes
/// of the file on disk. A tool that slices the file itself (a CRLF or BOM file) must normalise
/// it the same way first, or its spans shift by one per line break before them.
pub const TEXT_NORMALISATION: &str = "BOM stripped, CRLF → LF: offsets count the file's text after this";

/// One article with the annotations to export.
#[derive(Debug, Clone)]
pub struct ExportArticle {
    /// Path relative to the corpus root, `/`-separated.
    pub id: String,
    pub title: String,
    pub text: String,
    pub fingerprint: Fingerprint,
    /// The annotations to export, in file order (start, end, id). Only ones whose quote
    /// matches the text at their offsets.
    pub annotations: Vec<Annotation>,
    /// Every valid annotation of the article, for following links (a claim's source may be
    /// filtered out of `annotations` by `--label`). Never a rejected suggestion, so no link
    /// leads an export to one.
    pub all: Vec<Annotation>,
    /// The rejected suggestions that fit the text: never exported, shown or followed, only
    /// there for a caller that counts what people turned down (a detector's precision).
    pub rejected: Vec<Annotation>,
    /// The registry's entities, resolved, shared by every article of the export (empty
    /// without a registry).
    pub entities: Arc<entities::Entities>,
    /// What the article says about itself (a web page's outlet, date, authors…); empty for
    /// plain text.
    pub meta: crate::model::meta::ArticleMeta,
    index: CharIndex,
    utf16: Utf16Index,
}

impl ExportArticle {
    /// Keeps only the annotations that fit `text` (see [`fits`]), so every format can slice
    /// the text with an annotation's offsets without checking them again.
    pub fn new(id: String, title: String, text: String, all: Vec<Annotation>) -> Self {
        let index = CharIndex::new(&text);
        let all = split_fitting(&text, all).0;
        Self::assemble(id, title, text, index, Default::default(), all)
    }

    /// [`new`](Self::new) for an article already read, whose code-point index is reused;
    /// `all` are annotations that fit its text.
    pub(crate) fn from_article(article: Article, all: Vec<Annotation>) -> Self {
        let Article { id, title, text, index, meta, .. } = article;
        Self::assemble(id, title, text, index, meta, all)
    }

    /// The article from its parts, `all` already fitting the text.
    fn assemble(
        id: String,
        title: String,
        text: String,
        index: CharIndex,
        meta: crate::model::meta::ArticleMeta,
        all: Vec<Annotation>,
    ) -> Self {
        let fingerprint = Fingerprint::of(&text, index.total_chars());
        let utf16 = Utf16Index::new(&text);
        // Every path into an export passes here, so a rejected suggestion reaches no format.
        let (rejected, mut all): (Vec<_>, Vec<_>) = all.into_iter().partition(Annotation::is_rejected);
        unlink(&mut all, &rejected);
        let annotations = all.clone();
        Self { id, title, text, fingerprint, annotations, all, rejected, entities: Arc::default(), meta, index, utf16 }
    }

    /// The article without its open suggestions (`--accepted-only`): only the coding is
    /// exported, and no link leads to a suggestion.
    pub fn accepted_only(mut self) -> Self {
        let open: Vec<Annotation> = self.all.iter().filter(|a| a.status != Status::Accepted).cloned().collect();
        self.annotations.retain(|a| a.status == Status::Accepted);
        self.all.retain(|a| a.status == Status::Accepted);
        unlink(&mut self.annotations, &open);
        unlink(&mut self.all, &open);
        self
    }

    /// How many of the exported annotations are open suggestions.
    pub fn proposed(&self) -> usize {
        self.annotations.iter().filter(|a| a.is_proposed()).count()
    }

    /// The same article with the export's entities.
    pub fn with_entities(mut self, entities: Arc<entities::Entities>) -> Self {
        self.entities = entities;
        self
    }

    /// The entity a mention is linked to, resolved through merges (`None` when unlinked).
    pub fn entity(&self, a: &Annotation) -> Option<Arc<entities::ExportEntity>> {
        self.entities.of_mention(a)
    }

    /// The entities of the sources of attributed content, in link order (linked ones only).
    pub fn source_entities(&self, cb: &Codebook, a: &Annotation) -> Vec<Arc<entities::ExportEntity>> {
        self.sources_of(cb, a).into_iter().filter_map(|s| self.entity(s)).collect()
    }

    /// The annotations `a` links to by relation `rel`, in link order (those that exist).
    pub fn linked(&self, a: &Annotation, rel: &str) -> Vec<&Annotation> {
        a.linked(rel).iter().filter_map(|id| self.get(id)).collect()
    }

    /// The sources of attributed content (the codebook's attribution), in link order.
    pub fn sources_of(&self, cb: &Codebook, a: &Annotation) -> Vec<&Annotation> {
        cb.source_relation().map(|r| self.linked(a, &r.id)).unwrap_or_default()
    }

    /// The cues of attributed content (the codebook's cue relation), in link order.
    pub fn cues_of(&self, cb: &Codebook, a: &Annotation) -> Vec<&Annotation> {
        cb.cue_relation().map(|r| self.linked(a, &r.id)).unwrap_or_default()
    }

    /// Whether `id` is among the annotations being exported (not only in `all`).
    pub fn exported(&self, id: &AnnotationId) -> bool {
        self.annotations.iter().any(|a| &a.id == id)
    }

    /// The first source of attributed content, if it has one.
    pub fn source_of(&self, cb: &Codebook, a: &Annotation) -> Option<&Annotation> {
        self.sources_of(cb, a).into_iter().next()
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.all.iter().find(|a| &a.id == id)
    }

    /// Byte range of an annotation in `text` (annotations here always fit).
    pub fn bytes(&self, a: &Annotation) -> ByteRange {
        self.index.to_bytes(&self.text, a.span()).expect("export annotations fit their text")
    }

    /// Byte range of every piece of an annotation, the first included, in text order (every
    /// piece of an exported annotation fits, see [`fits`]).
    pub fn piece_bytes(&self, a: &Annotation) -> Vec<ByteRange> {
        a.pieces().filter_map(|(span, _)| self.index.to_bytes(&self.text, span)).collect()
    }

    /// Offset of a code point in UTF-16 code units, for formats that count those.
    pub fn utf16_of(&self, char_offset: usize) -> usize {
        self.utf16.to_utf16(char_offset)
    }

    /// Length of the text in code points.
    pub fn chars(&self) -> usize {
        self.index.total_chars()
    }
}

/// Removes every link from `anns` to one of `gone` (a relation left with no target goes too),
/// so that no format, not even one writing the links as they are, names an annotation it
/// does not export.
fn unlink(anns: &mut [Annotation], gone: &[Annotation]) {
    if gone.is_empty() {
        return;
    }
    let ids: std::collections::HashSet<&AnnotationId> = gone.iter().map(|a| &a.id).collect();
    for a in anns {
        for targets in a.links.values_mut() {
            targets.retain(|t| !ids.contains(t));
        }
        a.links.retain(|_, targets| !targets.is_empty());
    }
}

/// Whether an annotation read from a file can be exported: the offsets of every piece are in
/// order, inside the text, and the text there is the piece's quote. Offsets come from files a
/// person or another tool may have edited, so they are checked before anything slices with them.
pub fn fits(text: &str, index: &CharIndex, a: &Annotation) -> bool {
    a.pieces().all(|(span, quote)| index.to_bytes(text, span).is_some_and(|r| &text[r.as_range()] == quote))
}

/// The annotations of `text` that [`fits`] keeps, and those it refuses, each in the order
/// given. The same test (every piece), with every offset converted in one walk over the text (the offsets
/// sorted) where `fits` scans up to a block of the text for each: with a hundred annotations
/// an article, those scans were a sixth of an export's time.
pub fn split_fitting(text: &str, anns: Vec<Annotation>) -> (Vec<Annotation>, Vec<Annotation>) {
    let mut offsets: Vec<usize> = anns.iter().flat_map(|a| a.pieces()).flat_map(|(s, _)| [s.start, s.end]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    // bytes[i] is the byte offset of code point offsets[i]; offsets past the end (the last
    // ones) have none.
    let mut bytes = Vec::with_capacity(offsets.len());
    let ends = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len()));
    for (c, b) in ends.enumerate() {
        let Some(&want) = offsets.get(bytes.len()) else { break };
        if want == c {
            bytes.push(b);
        }
    }
    let byte = |c: usize| offsets.binary_search(&c).ok().and_then(|i| bytes.get(i).copied());
    anns.into_iter().partition(|a| {
        a.pieces().all(|(span, quote)| {
            !span.is_reversed()
                && matches!((byte(span.start), byte(span.end)), (Some(s), Some(e)) if &text[s..e] == quote)
        })
    })
}

/// An article's canonical URL as a link a report or a Web Annotation may carry: only an
/// absolute `http` or `https` URL (a page's metadata is untrusted, and a `javascript:` link in
/// a review page would run), with every byte a URI does not allow as it is (non-ASCII,
/// spaces, quotes, angle brackets…) percent-encoded, so the result is a plain ASCII URI that
/// an `href`, a Markdown autolink and a JSON-LD `id` all take unchanged.
pub fn web_url(meta: &crate::model::meta::ArticleMeta) -> Option<String> {
    let url = meta.url.as_deref()?.trim();
    let scheme = url.split_once("://")?.0;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_ok = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        let allowed = b.is_ascii_alphanumeric() || b"-._~:/?#@!$&()*+,;=".contains(&b) || escape_ok;
        if allowed {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // A host is needed: `https://` alone is no link.
    let rest = &out[scheme.len() + 3..];
    (!rest.is_empty() && !rest.starts_with('/')).then_some(out)
}

/// Something that kept an article or annotation out of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub message: String,
}

/// Loads every article of the corpus with its valid annotations (on every core). Unreadable
/// articles, bad RON files and annotations that no longer fit their text are reported, not
/// exported; binary files are left out. For a whole export, [`stream`] writes each article as
/// it is loaded instead of holding them all.
pub fn load(corpus: &Corpus, progress: &mut dyn FnMut(usize, usize)) -> (Vec<ExportArticle>, Vec<Skipped>) {
    load_with(corpus, &Arc::default(), progress)
}

/// [`load`], each article carrying `entities`.
pub fn load_with(
    corpus: &Corpus,
    entities: &Arc<entities::Entities>,
    progress: &mut dyn FnMut(usize, usize),
) -> (Vec<ExportArticle>, Vec<Skipped>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let n = corpus.entries.len();
    let result = stream::each(
        corpus,
        stream::Pass::Full,
        stream::Select::everything(),
        |_, a| a.with_entities(entities.clone()),
        |mut l| {
            progress(l.at, n);
            skipped.append(&mut l.skipped);
            out.extend(l.value);
            Ok(())
        },
    );
    result.expect("collecting in memory cannot fail");
    progress(n, n);
    (out, skipped)
}

/// What an export produces: one document (stdout or a file), a binary file, or a folder of
/// files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Document(String),
    /// A binary file (`qdpx`): written to a file or a pipe, never to a terminal.
    Binary(Vec<u8>),
    /// Paths relative to the output folder, with their contents.
    Folder(Vec<(PathBuf, Vec<u8>)>),
    /// The format could not write this corpus, for the reason given; nothing was produced.
    Refused(String),
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The whole corpus as one JSON document.
    Json,
    /// One JSON object per article per line.
    Jsonl,
    /// One annotation per row (RFC 4180).
    Csv,
    /// A Markdown review report.
    Md,
    /// A self-contained HTML review page.
    Html,
    /// W3C Web Annotation JSON-LD.
    W3c,
    /// A brat standoff folder (.txt, .ann, annotation.conf).
    Brat,
    /// doccano relation-extraction JSONL.
    Doccano,
    /// Label Studio tasks JSON.
    Labelstudio,
    /// A folder of BBC Citron quote JSON files, one per article.
    Citron,
    /// A REFI-QDA project (.qdpx, a zip) for ATLAS.ti, MAXQDA, NVivo, QualCoder.
    Qdpx,
}

impl Format {
    /// Formats that write a folder rather than one document.
    pub fn is_folder(self) -> bool {
        matches!(self, Format::Brat | Format::Citron)
    }

    /// Formats that write a binary file, which a terminal must not be sent.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Qdpx)
    }
}

/// The whole export of `articles` in memory (tests, and callers holding a few articles); the
/// CLI streams the same output with [`stream::write_document`] / [`stream::write_folder`].
pub fn export(format: Format, articles: &[ExportArticle], cb: &Codebook) -> Output {
    if format == Format::Qdpx {
        return match refiqda::qdpx(articles, cb) {
            Ok(bytes) => Output::Binary(bytes),
            Err(e) => Output::Refused(e.to_string()),
        };
    }
    match (doc_sink(format, cb), folder_sink(format, cb)) {
        (Some(mut sink), _) => Output::Document(stream::document_of(sink.as_mut(), articles)),
        (None, Some(sink)) => Output::Folder(stream::folder_of(sink.as_ref(), articles)),
        (None, None) => unreachable!("every format but qdpx writes a document or a folder"),
    }
}

/// The writer of a document format (`None` for a folder format).
pub fn doc_sink<'a>(format: Format, cb: &'a Codebook) -> Option<Box<dyn stream::DocSink + 'a>> {
    Some(match format {
        Format::Json => Box::new(json::Corpus::new(cb)),
        Format::Jsonl => Box::new(json::Lines::new(cb)),
        Format::Csv => Box::new(csv::Rows::new(cb)),
        Format::Md => Box::new(markdown::Report::new(cb)),
        Format::Html => Box::new(html::Page::new(cb)),
        Format::W3c => Box::new(w3c::Collection::new(cb)),
        Format::Doccano => Box::new(doccano::Lines::new(cb)),
        Format::Labelstudio => Box::new(labelstudio::Tasks::new(cb)),
        // qdpx is binary and whole-corpus: see `export`.
        Format::Brat | Format::Citron | Format::Qdpx => return None,
    })
}

/// The writer of a folder format (`None` for a document format).
pub fn folder_sink<'a>(format: Format, cb: &'a Codebook) -> Option<Box<dyn stream::FolderSink + 'a>> {
    Some(match format {
        Format::Brat => Box::new(brat::Folder::new(cb)),
        Format::Citron => Box::new(citron::Folder::new(cb)),
        _ => return None,
    })
}

/// What every export says about where an annotation stands in review: its status, who or
/// what made it and, for a suggestion, how sure the detector was. One place, so the formats
/// name them alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// `accepted` (the coding) or `proposed` (a suggestion waiting for a person).
    pub status: &'static str,
    /// `manual`, `imported`, or the detector's origin (`quotes-1`, [`Suggestion::origin`]).
    ///
    /// [`Suggestion::origin`]: crate::model::annotation::Suggestion::origin
    pub origin: String,
    /// The detector's confidence, 0–100, for what a detector proposed.
    pub confidence: Option<u8>,
    /// The detector's reason, for what a detector proposed.
    pub reason: Option<String>,
}

impl Review {
    pub fn of(a: &Annotation) -> Self {
        let status = match a.status {
            Status::Accepted => "accepted",
            Status::Proposed => "proposed",
            // Never exported (see `ExportArticle::rejected`); named for completeness.
            Status::Rejected => "rejected",
        };
        let origin = match (&a.suggestion, a.origin) {
            (Some(s), _) => s.origin(),
            (None, Origin::Manual) => "manual".to_owned(),
            (None, Origin::Imported) => "imported".to_owned(),
            (None, Origin::Detector) => "detector".to_owned(),
        };
        let reason = a.suggestion.as_ref().map(|s| s.reason.clone()).filter(|r| !r.is_empty());
        Self { status, origin, confidence: a.suggestion.as_ref().map(|s| s.confidence), reason }
    }

    /// What [`describe`](Self::describe) wrote, read back by an import (brat's `Review`
    /// comment): the status and, for a detector's suggestion, its detector, version and
    /// confidence (the reason and category are not written, so they come back empty). `None` for anything
    /// else, which an import then leaves as a person's accepted annotation.
    pub fn parse(text: &str) -> Option<(Status, Option<crate::model::annotation::Suggestion>)> {
        let text = text.trim();
        let (status, rest) = if let Some(rest) = text.strip_prefix("accepted, ") {
            (Status::Accepted, rest)
        } else if let Some(rest) = text.strip_prefix("proposed, ") {
            (Status::Proposed, rest)
        } else if text.starts_with("proposed by ") {
            (Status::Proposed, text)
        } else {
            return None;
        };
        let by = rest.strip_prefix("proposed by ").unwrap_or(rest);
        let Some((origin, confidence)) = by.strip_suffix("%)").and_then(|b| b.split_once(" (")) else {
            // `accepted, imported` and the like: no detector to remember.
            return matches!(by, "imported" | "manual").then_some((status, None));
        };
        let suggestion = crate::model::annotation::Suggestion::from_origin(origin, confidence.parse().ok()?)?;
        Some((status, Some(suggestion)))
    }

    /// `proposed by quotes-1 (87%)`, `accepted, proposed by quotes-1 (87%)`, `accepted,
    /// imported`: for the notes and descriptions of formats without fields of their own;
    /// `None` for a person's accepted annotation, which needs no word.
    pub fn describe(&self) -> Option<String> {
        match (self.status, self.confidence) {
            ("accepted", None) if self.origin == "manual" => None,
            ("proposed", Some(c)) => Some(format!("proposed by {} ({c}%)", self.origin)),
            (status, Some(c)) => Some(format!("{status}, proposed by {} ({c}%)", self.origin)),
            (status, None) => Some(format!("{status}, {}", self.origin)),
        }
    }
}

/// `Source`, `Claim`, `Boilerplate:DonationAppeal`: the label id, with the value of the
/// attribute asked on tagging after a colon, for formats that have one label per span.
pub fn label_value(cb: &Codebook, a: &Annotation) -> String {
    match label_parts(cb, a).1 {
        Some(kind) => format!("{}:{kind}", a.label),
        None => a.label.to_string(),
    }
}

/// An annotation's label id in lower case and the value of the attribute asked on tagging
/// (the default codebook's boilerplate kind): `("boilerplate", Some("DonationAppeal"))`, for
/// formats with a label column and a kind column.
pub fn label_parts(cb: &Codebook, a: &Annotation) -> (String, Option<String>) {
    let kind = cb.asked_on_tag(a.label.as_str()).and_then(|d| a.attributes.get(&d.id)).map(|v| v.to_string());
    (a.label.as_str().to_lowercase(), kind)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::annotation::LabelId;
    use crate::model::corpus::AnnotationRoot;

    /// The default codebook, which the shipped annotations are coded in.
    pub(crate) fn cb() -> &'static Codebook {
        Codebook::default_scheme()
    }

    /// The bundled samples with their shipped annotations and registry, as every golden test
    /// uses them.
    pub(crate) fn samples() -> Vec<ExportArticle> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus =
            Corpus::open(&root.join("assets/articles"), AnnotationRoot::Mirrored(root.join("annotations"))).unwrap();
        let registry = crate::model::entities::Registry::open(&root.join("annotations/sources.ron")).unwrap();
        let (articles, skipped) =
            load_with(&corpus, &Arc::new(entities::Entities::of(&registry, cb())), &mut |_, _| {});
        assert!(skipped.is_empty(), "{skipped:?}");
        articles
    }

    /// An annotation of `label` over the first occurrence of each of `pieces` in `text` (a
    /// discontinuous one for several), with id `id`.
    pub(crate) fn span_of(text: &str, label: &str, pieces: &[&str], id: &str) -> Annotation {
        let index = CharIndex::new(text);
        let range = |q: &str| {
            let b = text.find(q).unwrap_or_else(|| panic!("{q:?} not in the text"));
            let bytes = ByteRange::new(b, b + q.len());
            (bytes, crate::model::units::CharRange::new(index.char_of(text, b), index.char_of(text, b + q.len())))
        };
        let (bytes, span) = range(pieces[0]);
        let mut a = Annotation::new_manual(LabelId::new(label), text, bytes, span, "ана", "2026-03-04T05:06:07Z");
        a.id = AnnotationId(id.into());
        for q in &pieces[1..] {
            let (bytes, span) = range(q);
            a.fragments.push(crate::model::annotation::Fragment::over(text, bytes, span));
        }
        a
    }

    /// The default codebook with two more attributes on claims: a several-of `topics` and a
    /// free-text `evidence`.
    pub(crate) fn rich_codebook() -> Codebook {
        let extra = r#"attributes: [
        (id: "topics", name: "topics", labels: ["Claim"], kind: Many([
            (id: "war", name: "war", key: "w"), (id: "economy", name: "economy", key: "e"),
            (id: "peace", name: "peace", key: "p")])),
        (id: "evidence", name: "evidence", labels: ["Claim"], kind: Text),"#;
        let ron = crate::model::codebook::DEFAULT_RON.replacen("attributes: [", extra, 1);
        crate::model::codebook::load_file_text(&ron).unwrap()
    }

    /// A Russian quote interrupted by its cue ("сказал"), made by two sources, with a quote
    /// type, two topics and a free-text value, and a boilerplate line: everything the codebook
    /// holds that one-span formats used to drop.
    pub(crate) const RICH_TEXT: &str =
        "«Мы не согласны», — сказал Песков, — «и не будем».\nКремль молчит.\nSubscribe now!";

    pub(crate) fn rich() -> ExportArticle {
        let t = RICH_TEXT;
        let peskov = span_of(t, "Source", &["Песков"], "s1");
        let kremlin = span_of(t, "Source", &["Кремль"], "s2");
        let cue = span_of(t, "Cue", &["сказал"], "q1");
        let mut claim =
            span_of(t, "Claim", &["«Мы не согласны»", "«и не будем»"], "c1").with_value("quote_type", "direct");
        claim
            .attributes
            .insert("topics".into(), crate::model::annotation::AttrValue::Many(vec!["war".into(), "peace".into()]));
        claim.attributes.insert("evidence".into(), crate::model::annotation::AttrValue::Text("ТАСС, 3 марта".into()));
        claim.links.insert("source".into(), vec![peskov.id.clone(), kremlin.id.clone()]);
        claim.links.insert("cue".into(), vec![cue.id.clone()]);
        claim.note = Some("отказ".into());
        let bp = span_of(t, "Boilerplate", &["Subscribe now!"], "b1").with_value("kind", "Newsletter");
        ExportArticle::new("рус/a.txt".into(), "Песков".into(), t.into(), vec![claim, peskov, cue, kremlin, bp])
    }

    /// [`rich`] as a saved page of a Ukrainian outlet with its metadata.
    pub(crate) fn rich_page() -> ExportArticle {
        let mut art = rich();
        art.id = "up/мир.html".into();
        art.meta = crate::model::meta::ArticleMeta {
            title: Some("Песков: «Мы не согласны»".into()),
            outlet: Some("Українська правда".into()),
            authors: vec!["Олена Ковальчук".into(), "李明".into()],
            published: Some("2026-11-30T08:15:00+02:00".into()),
            url: Some("https://www.pravda.com.ua/news/мир/".into()),
            language: Some("uk".into()),
            section: Some("Новини".into()),
        };
        art
    }

    /// What the rejected suggestion of [`suggested`] says in its note and reason, so a format
    /// that writes notes shows whether it leaked.
    pub(crate) const REJECTED_MARK: &str = "ОТКЛОНЕНО";
    /// What the open suggestion of [`suggested`] says in its note.
    pub(crate) const PROPOSED_MARK: &str = "ПРЕДЛОЖЕНО";

    /// A suggestion of the quotes detector (version 1) over `pieces`, in `status`.
    pub(crate) fn suggestion(
        text: &str,
        label: &str,
        pieces: &[&str],
        id: &str,
        status: crate::model::annotation::Status,
        confidence: u8,
    ) -> Annotation {
        let mut a = span_of(text, label, pieces, id);
        a.origin = crate::model::annotation::Origin::Detector;
        a.status = status;
        a.author = "quotes-1".into();
        a.suggestion = Some(crate::model::annotation::Suggestion {
            detector: "quotes".into(),
            version: 1,
            confidence,
            reason: "цитата после «сказал»".into(),
            category: "direct".into(),
        });
        a
    }

    /// [`rich`] with two open suggestions (a claim "Кремль молчит." by Кремль, 87% sure, and
    /// its cue "молчит", 60%) and a rejected one (a source "Мы", which the claim also links to).
    pub(crate) fn suggested() -> ExportArticle {
        use crate::model::annotation::Status;
        let t = RICH_TEXT;
        let mut anns = rich().all;
        let mut rejected = suggestion(t, "Source", &["Мы"], "r1", Status::Rejected, 40);
        rejected.note = Some(REJECTED_MARK.into());
        let mut proposed = suggestion(t, "Claim", &["Кремль молчит."], "p1", Status::Proposed, 87)
            .with_value("quote_type", "indirect");
        let cue = suggestion(t, "Cue", &["молчит"], "p2", Status::Proposed, 60);
        proposed.links.insert("source".into(), vec![AnnotationId("s2".into()), rejected.id.clone()]);
        proposed.links.insert("cue".into(), vec![cue.id.clone()]);
        proposed.note = Some(PROPOSED_MARK.into());
        anns.extend([proposed, cue, rejected]);
        ExportArticle::new("рус/a.txt".into(), "Песков".into(), t.into(), anns)
    }

    /// Every export of `arts` as text: a document, a folder's files one after the other, or
    /// the project file of a `.qdpx`.
    pub(crate) fn every_export(arts: &[ExportArticle], cb: &Codebook) -> Vec<(Format, String)> {
        use clap::ValueEnum;
        Format::value_variants()
            .iter()
            .map(|&f| {
                let text = match export(f, arts, cb) {
                    Output::Document(d) => d,
                    Output::Folder(files) => {
                        files.iter().map(|(p, b)| format!("{}\n{}", p.display(), String::from_utf8_lossy(b))).collect()
                    }
                    Output::Binary(_) => refiqda::project_xml(&refiqda::corpus_project(arts, cb)).unwrap(),
                    Output::Refused(why) => panic!("{f:?} refused: {why}"),
                };
                (f, text)
            })
            .collect()
    }

    /// A registry with one person, coded and with a Wikidata id, under a Cyrillic name.
    pub(crate) fn registry() -> crate::model::entities::Registry {
        use crate::model::annotation::AttrValue;
        let mut r = crate::model::entities::Registry::empty(std::path::Path::new("/nonexistent/sources.ron"));
        let (id, c) = r.add("Дмитрий Песков", &["Песков"], "ана").unwrap();
        r.apply(&[c]).unwrap();
        let c = r.set_attribute(&id, "type", Some(AttrValue::One("official".into()))).unwrap();
        r.apply(&[c]).unwrap();
        let c = r.describe(&id, Some("Q4526468".into()), None).unwrap();
        r.apply(&[c]).unwrap();
        r
    }

    /// [`rich`] with its first source linked to the registry's Песков and its second to an
    /// entity the registry lacks (`kreml`).
    pub(crate) fn rich_linked() -> ExportArticle {
        let r = registry();
        let peskov = r.find("Песков").unwrap().id.clone();
        let mut art = rich().with_entities(Arc::new(entities::Entities::of(&r, cb())));
        for a in art.annotations.iter_mut().chain(art.all.iter_mut()) {
            a.entity = match a.id.0.as_str() {
                "s1" => Some(peskov.clone()),
                "s2" => Some(crate::model::entities::EntityId::new("kreml")),
                _ => None,
            };
        }
        art
    }

    #[test]
    fn a_fragment_that_does_not_match_the_text_keeps_the_annotation_out() {
        let mut claim = span_of(RICH_TEXT, "Claim", &["«Мы не согласны»", "«и не будем»"], "c1");
        assert!(
            ExportArticle::new("a".into(), "t".into(), RICH_TEXT.into(), vec![claim.clone()]).annotations.len() == 1
        );
        claim.fragments[0].quote = "«и не будут»".into();
        let art = ExportArticle::new("a".into(), "t".into(), RICH_TEXT.into(), vec![claim]);
        assert!(art.annotations.is_empty(), "a piece that no longer fits is not sliced");
    }

    #[test]
    fn rejected_suggestions_reach_no_format_and_open_ones_carry_their_status_and_origin() {
        let art = suggested();
        assert_eq!((art.annotations.len(), art.all.len(), art.rejected.len()), (7, 7, 1));
        assert!(art.get(&AnnotationId("r1".into())).is_none(), "no link leads to a rejected one");
        for (f, out) in every_export(std::slice::from_ref(&art), &rich_codebook()) {
            assert!(!out.contains(REJECTED_MARK), "{f:?} wrote the rejected suggestion: {out}");
            assert!(!out.contains("\"r1\""), "{f:?} named the rejected suggestion: {out}");
            // The Markdown report escapes the hyphen.
            let origin = out.contains("quotes-1") || out.contains("quotes\\-1");
            assert!(origin, "{f:?} does not say which detector proposed p1: {out}");
            assert!(out.contains("87"), "{f:?} does not carry the detector's confidence: {out}");
            let status = ["propos", "suggest", "model_version"].iter().any(|w| out.to_lowercase().contains(w));
            assert!(status, "{f:?}: no status");
        }
    }

    #[test]
    fn accepted_only_drops_the_open_suggestions_and_every_link_to_them() {
        let art = suggested();
        let coding = stream::Select { keep: &|_| true, accepted_only: true }.apply(art.clone());
        assert_eq!(coding.annotations.len(), 5);
        assert!(coding.annotations.iter().chain(&coding.all).all(|a| a.status == Status::Accepted));
        for (f, out) in every_export(std::slice::from_ref(&coding), &rich_codebook()) {
            assert!(!out.contains("quotes-1") && !out.contains(PROPOSED_MARK), "{f:?} kept a suggestion: {out}");
        }
        // Without the flag the same article keeps it.
        assert_eq!(stream::Select::everything().apply(art).annotations.len(), 7);
    }

    #[test]
    fn what_review_describes_parses_back_to_its_status_and_suggestion() {
        let art = suggested();
        let p = art.annotations.iter().find(|a| a.id.0 == "p1").unwrap();
        let by = p.suggestion.clone().map(|s| crate::model::annotation::Suggestion {
            reason: String::new(),
            category: String::new(),
            ..s
        });
        for a in [p.clone(), p.with_status(Status::Accepted, "2026-12-01T00:00:00Z")] {
            let said = Review::of(&a).describe().unwrap();
            assert_eq!(Review::parse(&said), Some((a.status, by.clone())), "{said}");
        }
        assert_eq!(Review::parse("accepted, imported"), Some((Status::Accepted, None)));
        for other in ["", "примечание", "proposed by", "proposed by quotes (87%)", "proposed by quotes-1 (870%)"]
        {
            assert_eq!(Review::parse(other), None, "{other:?}");
        }
    }

    #[test]
    fn review_names_the_status_the_origin_and_the_confidence() {
        let art = suggested();
        let p = art.annotations.iter().find(|a| a.id.0 == "p1").unwrap();
        let r = Review::of(p);
        assert_eq!((r.status, r.origin.as_str(), r.confidence), ("proposed", "quotes-1", Some(87)));
        assert_eq!(r.describe().as_deref(), Some("proposed by quotes-1 (87%)"));
        let accepted = Review::of(&p.with_status(Status::Accepted, "2026-12-01T00:00:00Z"));
        assert_eq!(accepted.describe().as_deref(), Some("accepted, proposed by quotes-1 (87%)"));
        let manual = Review::of(&art.annotations[0]);
        assert_eq!((manual.status, manual.origin.as_str(), manual.describe()), ("accepted", "manual", None));
        let mut imported = art.annotations[0].clone();
        imported.origin = Origin::Imported;
        assert_eq!(Review::of(&imported).describe().as_deref(), Some("accepted, imported"));
    }

    #[test]
    fn samples_load_with_every_shipped_annotation() {
        let a = samples();
        assert_eq!(a.len(), 2);
        assert_eq!(a.iter().map(|a| a.annotations.len()).sum::<usize>(), 93);
        let claim = a[1].annotations.iter().find(|x| x.quote.starts_with("They should")).unwrap();
        assert_eq!(a[1].source_of(cb(), claim).unwrap().quote, "Peskov");
    }

    /// A source at code points `s..e` with quote `q`, whatever the text holds there.
    fn source_at(text: &str, s: usize, e: usize, q: &str) -> Annotation {
        let mut a = Annotation::new_manual(
            LabelId::new("Source"),
            text,
            ByteRange::new(0, 0),
            crate::model::units::CharRange::new(0, 0),
            "t",
            "x",
        );
        (a.start, a.end, a.quote) = (s, e, q.into());
        a
    }

    #[test]
    fn reversed_or_out_of_range_offsets_are_never_exported() {
        let text = "Песков 说 “no” 👍🏽";
        let at = |s: usize, e: usize, q: &str| source_at(text, s, e, q);
        let good = at(0, 6, "Песков");
        let art = ExportArticle::new(
            "a".into(),
            "t".into(),
            text.into(),
            vec![good.clone(), at(6, 0, "Песков"), at(9, 99, "x"), at(usize::MAX, 1, "")],
        );
        assert_eq!(art.annotations, vec![good.clone()]);
        assert_eq!(art.all, vec![good]);
        for format in [Format::Json, Format::Csv, Format::Md, Format::Html, Format::W3c, Format::Brat, Format::Doccano]
        {
            let _ = export(format, std::slice::from_ref(&art), crate::model::codebook::Codebook::default_scheme());
        }
    }

    #[test]
    fn splitting_the_fitting_annotations_in_one_walk_keeps_exactly_what_fits_keeps() {
        let text = "Песков 说 “no” 👍🏽 e\u{301}\n“да”";
        let index = CharIndex::new(text);
        let n = index.total_chars();
        let quote = |s: usize, e: usize| {
            let b = |c: usize| index.byte_of(text, c);
            match (b(s), b(e)) {
                (Some(x), Some(y)) if x <= y => text[x..y].to_owned(),
                _ => "Песков".into(),
            }
        };
        let mut anns = Vec::new();
        for s in (0..=n + 1).chain([usize::MAX]) {
            for e in (0..=n + 1).chain([usize::MAX]) {
                // Right quotes, a wrong one at every fourth place, offsets in any order.
                let q = if s.wrapping_add(e) % 4 == 0 { "no".to_owned() } else { quote(s, e) };
                anns.push(source_at(text, s, e, &q));
            }
        }
        // Further pieces too: every third annotation gets another's span as a fragment, and
        // fits checks every piece.
        let whole: Vec<Annotation> = anns.clone();
        for (i, a) in anns.iter_mut().enumerate().filter(|(i, _)| i % 3 == 0) {
            let o = &whole[(i * 7 + 5) % whole.len()];
            a.fragments.push(crate::model::annotation::Fragment {
                start: o.start,
                end: o.end,
                quote: o.quote.clone(),
                prefix: String::new(),
                suffix: String::new(),
            });
        }
        let want: (Vec<_>, Vec<_>) = anns.clone().into_iter().partition(|a| fits(text, &index, a));
        assert!(!want.0.is_empty() && !want.1.is_empty());
        assert_eq!(split_fitting(text, anns), want);
    }

    #[test]
    fn an_annotation_whose_further_piece_no_longer_fits_is_not_exported() {
        let text = "«Мир близок, — сказал Песков, — но не сегодня»";
        let piece = |q: &str| {
            let b = text.find(q).unwrap();
            let start = text[..b].chars().count();
            (ByteRange::new(b, b + q.len()), crate::model::units::CharRange::new(start, start + q.chars().count()))
        };
        let (bytes, chars) = piece("Мир близок");
        let mut a = Annotation::new_manual(LabelId::new("Claim"), text, bytes, chars, "т", "x");
        let (bytes, chars) = piece("но не сегодня");
        a.fragments.push(crate::model::annotation::Fragment::over(text, bytes, chars));
        let art = ExportArticle::new("a".into(), "t".into(), text.into(), vec![a.clone()]);
        assert_eq!(art.annotations.len(), 1, "both pieces fit");
        let mut changed = a.clone();
        changed.fragments[0].quote = "но уже сегодня".into();
        let mut beyond = a;
        beyond.fragments[0].end = 999;
        let art = ExportArticle::new("a".into(), "t".into(), text.into(), vec![changed, beyond]);
        assert!(art.annotations.is_empty() && art.all.is_empty());
    }

    #[test]
    fn only_http_urls_become_links_and_they_are_percent_encoded_ascii() {
        let m = |u: &str| crate::model::meta::ArticleMeta { url: Some(u.into()), ..Default::default() };
        assert_eq!(
            web_url(&m("https://uk.example/новини/мир 1?q=\"a\"&x=%D0%B0")).as_deref(),
            Some("https://uk.example/%D0%BD%D0%BE%D0%B2%D0%B8%D0%BD%D0%B8/%D0%BC%D0%B8%D1%80%201?q=%22a%22&x=%D0%B0")
        );
        assert_eq!(web_url(&m("HTTP://a.example/<b>")).as_deref(), Some("HTTP://a.example/%3Cb%3E"));
        for bad in
            ["javascript:alert(1)", "javascript://x.example/%0Aalert(1)", "file:///etc/passwd", "https://", "/relative"]
        {
            assert_eq!(web_url(&m(bad)), None, "{bad}");
        }
        assert_eq!(web_url(&crate::model::meta::ArticleMeta::default()), None);
    }

    #[test]
    fn utf16_offsets_count_astral_characters_twice() {
        let a = ExportArticle::new("a".into(), "t".into(), "👍🏽 Peskov".into(), vec![]);
        assert_eq!(a.utf16_of(2), 4);
        assert_eq!(a.utf16_of(3), 5);
    }
}
