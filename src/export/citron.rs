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
//! A quote is a Claim linked to its Source: `contents` = the claim span, `sources` = the source
//! span, `id` = the claim's id. Claims without a source and boilerplate are not quotes and are
//! left out, as is a link whose source is filtered out of the export (`--label claim`).
//!
//! **The gap: cues.** newsnote does not annotate the cue (the reporting verb, "said"), and
//! Citron's format requires one: `CitronParser.parse` reads `quote["cue"]["start"]` and its
//! evaluation matches quotes by cue. Rather than invent a cue span, the export writes
//! `"cue": null`, so the file is complete for sources and contents and honest about the missing
//! part; Citron's trainer and evaluator will not load it until cues are added (for example in
//! Citron's own annotator, scripts/annotator/citron_annotator.py). Notes have no place in the
//! format and are not written.

use super::{ExportArticle, OFFSET_UNIT};
use crate::model::annotation::Annotation;
use crate::model::codebook::Codebook;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Serialize)]
struct Document<'a> {
    article_id: &'a str,
    offset_unit: &'static str,
    text: &'a str,
    quotes: Vec<Quote<'a>>,
}

#[derive(Serialize)]
struct Quote<'a> {
    id: &'a str,
    cue: Option<Span<'a>>,
    sources: Vec<Span<'a>>,
    contents: Vec<Span<'a>>,
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
            let source = a.source_of(cb, claim).filter(|s| a.annotations.iter().any(|x| x.id == s.id))?;
            Some(Quote { id: &claim.id.0, cue: None, sources: vec![span(source)], contents: vec![span(claim)] })
        })
        .collect();
    Document { article_id: &a.id, offset_unit: OFFSET_UNIT, text: &a.text, quotes }
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
    articles
        .iter()
        .map(|a| {
            let stem = a.id.rsplit_once('.').map_or(a.id.as_str(), |(s, _)| s);
            let json = serde_json::to_string_pretty(&document(a, cb)).expect("documents always serialise") + "\n";
            (PathBuf::from(format!("{stem}.json")), json.into_bytes())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doccano::tests::astral_article;
    use crate::export::tests::{cb, samples};
    use crate::model::annotation::LabelId;
    use serde_json::{Value, json};

    #[test]
    fn a_quote_is_a_claim_with_its_source_in_code_points_and_no_cue() {
        let a = astral_article();
        let v: Value = serde_json::from_str(
            render(std::slice::from_ref(&a), crate::model::codebook::Codebook::default_scheme()).trim_end(),
        )
        .unwrap();
        assert_eq!(
            v["quotes"],
            json!([{
                "id": a.annotations[1].id.0,
                "cue": null,
                "sources": [{"start": 3, "end": 9, "text": "Peskov"}],
                "contents": [{"start": 15, "end": 19, "text": "“no”"}],
            }])
        );
        assert_eq!(v["offset_unit"], OFFSET_UNIT);
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
    fn samples_give_one_document_per_line_with_every_attributed_claim() {
        let arts = samples();
        let out = render(&arts, cb());
        let docs: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        for (d, a) in docs.iter().zip(&arts) {
            let attributed = a.annotations.iter().filter(|x| a.source_of(cb(), x).is_some()).count();
            assert_eq!(d["quotes"].as_array().unwrap().len(), attributed);
            assert_eq!(d["text"], a.text);
        }
        let kremlin = docs[1]["quotes"].as_array().unwrap().iter().find(|q| q["sources"][0]["text"] == "The Kremlin");
        assert!(kremlin.is_some());
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
