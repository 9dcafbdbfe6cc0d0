//! `citron`: BBC R&D Citron's quote annotation format, one document object per article, written
//! as JSON Lines (one complete Citron document per line; [`files`] gives one `<stem>.json` file
//! per article, the layout Citron's tools read).
//!
//! ```text
//! {"article_id": "x/a.txt", "offset_unit": "unicode-code-point", "text": "...",
//!  "quotes": [{"id": "e74bbc3c", "cue": null,
//!              "sources": [{"start": 148, "end": 159, "text": "The Kremlin"}],
//!              "contents": [{"start": 177, "end": 428, "text": "Russia's deadly ..."}]}]}
//! ```
//!
//! The shape is Citron's data format (github.com/bbc/citron, docs/data_format.md): a document
//! has `text` and `quotes` (and optional `coreference_groups`); a quote has `cue`, `sources` and
//! `contents` (and optional `coreferences`, `confidence`, `id`); a span is `start`, `end` ("start
//! character index", "end character index") and `text`. Citron's reader (citron/data.py,
//! `CitronParser`) indexes `len(doc.text)` Python characters with them, so **offsets are Unicode
//! code points**, newsnote's own unit. (Citron's REST `extract` output instead writes spaCy
//! *token* indices through `utils.get_parser`'s `span.start`/`span.end`; that output is not this
//! training/evaluation format.) Extra keys (`article_id`, `offset_unit`) are ignored by Citron.
//!
//! A quote is attributed content (a Claim) linked to its sources: `contents` = every piece of
//! the claim (a quote interrupted by "he said" is ONE quote with several contents spans),
//! `sources` = every source span, `cue` = its cue (the codebook's cue relation; the first when
//! there are several: Citron's quote has one), `id` = the claim's id. Citron's parser reads
//! `quote["cue"]["start"]`, so `cue: null` raised TypeError in it: a claim without a cue is left
//! out like one without a source, as are claims whose source or cue is filtered out of the
//! export (`--label claim`) and everything that is not a claim. Notes have no place in the
//! format and are not written. `text_normalisation` says what the offsets count (newsnote's
//! text, which `text` is). A quote's `status` (`accepted`, `proposed`) and `origin`
//! (`manual`, `quotes-1`) are extra keys; a detector's confidence is Citron's own
//! `confidence`, from 0 to 1. Rejected suggestions are never written.

use super::stream::{self, FolderSink};
use super::{ExportArticle, OFFSET_UNIT, TEXT_NORMALISATION};
use crate::model::annotation::Annotation;
use crate::model::codebook::Codebook;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Serialize)]
struct Document<'a> {
    article_id: &'a str,
    offset_unit: &'static str,
    text_normalisation: &'static str,
    text: &'a str,
    quotes: Vec<Quote<'a>>,
}

#[derive(Serialize)]
struct Quote<'a> {
    id: &'a str,
    cue: Span<'a>,
    sources: Vec<Span<'a>>,
    contents: Vec<Span<'a>>,
    /// Citron's own key: how sure the quote is, 0–1; a detector's confidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
    /// The claim's status (`accepted`, `proposed`) and origin (`manual`, `quotes-1`).
    status: &'static str,
    origin: String,
}

#[derive(Serialize)]
struct Span<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn span(a: &Annotation) -> Span<'_> {
    Span { start: a.start, end: a.end, text: &a.quote }
}

fn document<'a>(a: &'a ExportArticle, cb: &Codebook) -> Document<'a> {
    let quotes = a
        .annotations
        .iter()
        .filter(|x| cb.is_content(&x.label))
        .filter_map(|claim| {
            let sources: Vec<Span> =
                a.sources_of(cb, claim).into_iter().filter(|s| a.exported(&s.id)).map(span).collect();
            let cue = a.cues_of(cb, claim).into_iter().find(|c| a.exported(&c.id))?;
            let contents = claim.pieces().map(|(r, q)| Span { start: r.start, end: r.end, text: q }).collect();
            let review = super::Review::of(claim);
            (!sources.is_empty()).then(|| Quote {
                id: &claim.id.0,
                cue: span(cue),
                sources,
                contents,
                confidence: review.confidence.map(|c| f64::from(c) / 100.0),
                status: review.status,
                origin: review.origin,
            })
        })
        .collect();
    Document {
        article_id: &a.id,
        offset_unit: OFFSET_UNIT,
        text_normalisation: TEXT_NORMALISATION,
        text: &a.text,
        quotes,
    }
}

/// One Citron document per line.
pub fn render(articles: &[ExportArticle], cb: &Codebook) -> String {
    articles
        .iter()
        .map(|a| serde_json::to_string(&document(a, cb)).expect("documents always serialise") + "\n")
        .collect()
}

/// One pretty-printed Citron file per article, `<article id without extension>.json`, for
/// Citron's readers, which take a folder of such files.
pub fn files(articles: &[ExportArticle], cb: &Codebook) -> Vec<(PathBuf, Vec<u8>)> {
    stream::folder_of(&Folder::new(cb), articles)
}

/// The folder of [`files`].
pub struct Folder<'a>(&'a Codebook);

impl<'a> Folder<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self(cb)
    }
}

impl FolderSink for Folder<'_> {
    fn fixed(&self) -> Vec<(PathBuf, Vec<u8>)> {
        Vec::new()
    }

    fn paths(&self, ids: &[&str]) -> Vec<Vec<PathBuf>> {
        ids.iter()
            .map(|id| {
                let stem = id.rsplit_once('.').map_or(*id, |(s, _)| s);
                vec![PathBuf::from(format!("{stem}.json"))]
            })
            .collect()
    }

    fn contents(&self, a: &ExportArticle) -> Vec<Vec<u8>> {
        let json = serde_json::to_string_pretty(&document(a, self.0)).expect("documents always serialise") + "\n";
        vec![json.into_bytes()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doccano::tests::astral_article;
    use crate::export::tests::{cb, rich, rich_codebook, samples};
    use crate::model::annotation::LabelId;
    use serde_json::{Value, json};

    #[test]
    fn a_quote_is_one_claim_with_every_piece_source_and_its_cue() {
        let a = rich();
        let v: Value = serde_json::from_str(render(std::slice::from_ref(&a), &rich_codebook()).trim_end()).unwrap();
        assert_eq!(
            v["quotes"],
            json!([{
                "id": "c1",
                "cue": {"start": 20, "end": 26, "text": "сказал"},
                "sources": [{"start": 27, "end": 33, "text": "Песков"}, {"start": 51, "end": 57, "text": "Кремль"}],
                "contents": [{"start": 0, "end": 16, "text": "«Мы не согласны»"}, {"start": 37, "end": 49, "text": "«и не будем»"}],
                "status": "accepted",
                "origin": "manual",
            }])
        );
        let chars: Vec<char> = a.text.chars().collect();
        for s in v["quotes"][0]["contents"].as_array().unwrap().iter().chain([&v["quotes"][0]["cue"]]) {
            let (b, e) = (s["start"].as_u64().unwrap() as usize, s["end"].as_u64().unwrap() as usize);
            assert_eq!(chars[b..e].iter().collect::<String>(), s["text"].as_str().unwrap());
        }
        assert_eq!((&v["offset_unit"], &v["text_normalisation"]), (&json!(OFFSET_UNIT), &json!(TEXT_NORMALISATION)));
    }

    #[test]
    fn a_claim_without_a_cue_is_no_quote_rather_than_a_null_cue() {
        let a = astral_article();
        let v: Value = serde_json::from_str(render(&[a], cb()).trim_end()).unwrap();
        assert_eq!(v["quotes"], json!([]), "Citron's parser reads cue.start");
    }

    #[test]
    fn unattributed_claims_and_filtered_out_sources_give_no_quote() {
        let mut a = astral_article();
        a.annotations.retain(|x| x.label == LabelId::new("Claim"));
        let v: Value =
            serde_json::from_str(render(&[a], crate::model::codebook::Codebook::default_scheme()).trim_end()).unwrap();
        assert_eq!(v["quotes"], json!([]));
    }

    #[test]
    fn samples_give_one_document_per_line_with_every_claim_that_has_a_source_and_a_cue() {
        let arts = samples();
        let out = render(&arts, cb());
        let docs: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        for (d, a) in docs.iter().zip(&arts) {
            let attributed = a
                .annotations
                .iter()
                .filter(|x| a.source_of(cb(), x).is_some() && !a.cues_of(cb(), x).is_empty())
                .count();
            assert_eq!(d["quotes"].as_array().unwrap().len(), attributed);
            assert_eq!(d["text"], a.text);
        }
        // 26 claims of the shipped samples have a source and a cue: each is a Citron quote
        // with its cue filled in.
        let quotes: Vec<&Value> = docs.iter().flat_map(|d| d["quotes"].as_array().unwrap()).collect();
        assert_eq!(quotes.len(), 26);
        assert!(quotes.iter().all(|q| q["cue"]["text"].is_string()), "no null cue");
    }

    #[test]
    fn files_hold_the_same_documents_named_after_the_articles() {
        let arts = samples();
        let files = files(&arts, cb());
        assert_eq!(files[0].0, PathBuf::from("000_e37f52fc02921a26.json"));
        for ((_, bytes), line) in files.iter().zip(render(&arts, cb()).lines()) {
            let a: Value = serde_json::from_slice(bytes).unwrap();
            assert_eq!(a, serde_json::from_str::<Value>(line).unwrap());
        }
    }
}
