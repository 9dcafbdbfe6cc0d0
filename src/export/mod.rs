//! Exports: the corpus in the forms reviewers, spreadsheets, notebooks and other annotation
//! tools read.
//!
//! Every format works from the same [`ExportArticle`] list, built once from the core model, so
//! the formats differ only in how they write, never in what they consider an annotation.
//! Offsets are Unicode code points unless a format fixes another unit; each format says which
//! unit it writes (see [`OFFSET_UNIT`]).

pub mod brat;
pub mod citron;
pub mod csv;
pub mod doccano;
pub mod html;
pub mod json;
pub mod labelstudio;
pub mod markdown;
pub mod report;
pub mod stream;
pub mod w3c;

use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::article::Article;
use crate::model::codebook::Codebook;
use crate::model::corpus::Corpus;
use crate::model::store::Fingerprint;
use crate::model::units::{ByteRange, CharIndex, Utf16Index};
use std::path::PathBuf;

/// The unit newsnote's own formats use for offsets.
pub const OFFSET_UNIT: &str = "unicode-code-point";

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
    /// filtered out of `annotations` by `--label`).
    pub all: Vec<Annotation>,
    index: CharIndex,
    utf16: Utf16Index,
}

impl ExportArticle {
    /// Keeps only the annotations that fit `text` (see [`fits`]), so every format can slice
    /// the text with an annotation's offsets without checking them again.
    pub fn new(id: String, title: String, text: String, all: Vec<Annotation>) -> Self {
        let index = CharIndex::new(&text);
        let fingerprint = Fingerprint::of(&text, index.total_chars());
        let utf16 = Utf16Index::new(&text);
        let all = split_fitting(&text, all).0;
        Self { id, title, text, fingerprint, annotations: all.clone(), all, index, utf16 }
    }

    /// [`new`](Self::new) for an article already read, whose code-point index is reused;
    /// `all` are annotations that fit its text.
    pub(crate) fn from_article(article: Article, all: Vec<Annotation>) -> Self {
        let Article { id, title, text, index, .. } = article;
        let fingerprint = Fingerprint::of(&text, index.total_chars());
        let utf16 = Utf16Index::new(&text);
        Self { id, title, text, fingerprint, annotations: all.clone(), all, index, utf16 }
    }

    /// The annotations `a` links to by relation `rel`, in link order (those that exist).
    pub fn linked(&self, a: &Annotation, rel: &str) -> Vec<&Annotation> {
        a.linked(rel).iter().filter_map(|id| self.get(id)).collect()
    }

    /// The sources of attributed content (the codebook's attribution), in link order.
    pub fn sources_of(&self, cb: &Codebook, a: &Annotation) -> Vec<&Annotation> {
        cb.source_relation().map(|r| self.linked(a, &r.id)).unwrap_or_default()
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

    /// Offset of a code point in UTF-16 code units, for formats that count those.
    pub fn utf16_of(&self, char_offset: usize) -> usize {
        self.utf16.to_utf16(char_offset)
    }

    /// Length of the text in code points.
    pub fn chars(&self) -> usize {
        self.index.total_chars()
    }
}

/// Whether an annotation read from a file can be exported: its offsets are in order, inside
/// the text, and the text there is its quote. Offsets come from files a person or another
/// tool may have edited, so they are checked before anything slices with them.
pub fn fits(text: &str, index: &CharIndex, a: &Annotation) -> bool {
    index.to_bytes(text, a.span()).is_some_and(|r| text[r.as_range()] == a.quote)
}

/// The annotations of `text` that [`fits`] keeps, and those it refuses, each in the order
/// given. The same test, with every offset converted in one walk over the text (the offsets
/// sorted) where `fits` scans up to a block of the text for each: with a hundred annotations
/// an article, those scans were a sixth of an export's time.
pub fn split_fitting(text: &str, anns: Vec<Annotation>) -> (Vec<Annotation>, Vec<Annotation>) {
    let mut offsets: Vec<usize> = anns.iter().flat_map(|a| [a.start, a.end]).collect();
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
        !a.span().is_reversed() && matches!((byte(a.start), byte(a.end)), (Some(s), Some(e)) if text[s..e] == a.quote)
    })
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
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    let n = corpus.entries.len();
    let result = stream::each(
        corpus,
        stream::Pass::Full,
        &|_| true,
        |_, a| a,
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

/// What an export produces: one document (stdout or a file), or a folder of files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Document(String),
    /// Paths relative to the output folder, with their contents.
    Folder(Vec<(PathBuf, Vec<u8>)>),
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
}

impl Format {
    /// Formats that write a folder rather than one document.
    pub fn is_folder(self) -> bool {
        matches!(self, Format::Brat | Format::Citron)
    }
}

/// The whole export of `articles` in memory (tests, and callers holding a few articles); the
/// CLI streams the same output with [`stream::write_document`] / [`stream::write_folder`].
pub fn export(format: Format, articles: &[ExportArticle], cb: &Codebook) -> Output {
    match (doc_sink(format, cb), folder_sink(format, cb)) {
        (Some(mut sink), _) => Output::Document(stream::document_of(sink.as_mut(), articles)),
        (None, Some(sink)) => Output::Folder(stream::folder_of(sink.as_ref(), articles)),
        (None, None) => unreachable!("every format writes a document or a folder"),
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
        Format::Brat | Format::Citron => return None,
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

    /// The bundled samples with their shipped annotations, as every golden test uses them.
    pub(crate) fn samples() -> Vec<ExportArticle> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus =
            Corpus::open(&root.join("assets/articles"), AnnotationRoot::Mirrored(root.join("annotations"))).unwrap();
        let (articles, skipped) = load(&corpus, &mut |_, _| {});
        assert!(skipped.is_empty(), "{skipped:?}");
        articles
    }

    #[test]
    fn samples_load_with_every_shipped_annotation() {
        let a = samples();
        assert_eq!(a.len(), 2);
        assert_eq!(a.iter().map(|a| a.annotations.len()).sum::<usize>(), 67);
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
        let want: (Vec<_>, Vec<_>) = anns.clone().into_iter().partition(|a| fits(text, &index, a));
        assert!(!want.0.is_empty() && !want.1.is_empty());
        assert_eq!(split_fitting(text, anns), want);
    }

    #[test]
    fn utf16_offsets_count_astral_characters_twice() {
        let a = ExportArticle::new("a".into(), "t".into(), "👍🏽 Peskov".into(), vec![]);
        assert_eq!(a.utf16_of(2), 4);
        assert_eq!(a.utf16_of(3), 5);
    }
}
