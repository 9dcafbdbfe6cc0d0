//! `doccano`: relation-extraction JSONL, one article per line, for a doccano "Sequence
//! labeling" project with "Use relation labeling" on (the shape doccano itself exports for such
//! a project: backend/data_export/pipeline/factories.py, `mapper_relation_extraction`).
//!
//! ```text
//! {"text": "...",
//!  "entities": [{"id": 1, "start_offset": 0, "end_offset": 11, "label": "Source"}, ...],
//!  "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "AttributedTo"}],
//!  "meta": {"article_id": "x/a.txt", "title": "...", "offset_unit": "utf-16-code-unit",
//!           "notes": [{"start_offset": 0, "end_offset": 11, "label": "Source", "note": "..."}]}}
//! ```
//!
//! Field names follow doccano's own relation-extraction import example and its exporter
//! (`ExportedSpan.to_dict`: id, label, start_offset, end_offset; `ExportedRelation.to_dict`:
//! id, from_id, to_id, type — backend/data_export/models.py).
//!
//! **Offsets are UTF-16 code units**, not code points. doccano's editor (doccano/v-annotator)
//! takes offsets from the DOM selection (`startLine.startOffset + selection.anchorOffset`,
//! src/domain/models/EventHandler/TextSelectionHandler.ts) and measures lines with JavaScript
//! `.length`, and the backend stores the integers as they come (`SpanLabel.start_offset: int`,
//! backend/data_import/pipeline/labels.py). doccano issue #2290 shows the result: in
//! `"👨🏻‍🚒 firemen drive firetrucks"` doccano stores `firetrucks` at 22..32 where Python's
//! `str` indices say 19..29. (doccano v0 counted code points, PR #108, 2019; the project option
//! "Count grapheme clusters as one character" switches to grapheme clusters — not supported.)
//! So the spans land on the right characters in doccano's UI, and `meta.offset_unit` says so for
//! everyone else. For BMP-only text (most news) the two units coincide.
//!
//! Labels are flat names: `Source`, `Claim`, `Boilerplate:<Kind>` ([`label_name`]) — doccano
//! span types have no attributes, so the kind must be part of the name; newsnote's default
//! import label map reads them back. A claim's link to its source becomes an `AttributedTo`
//! relation from the claim to the source; a link whose source is filtered out of the export
//! (`--label claim`) is dropped, since a relation must point at an exported entity. Notes go to
//! `meta.notes`, keyed by span: doccano keeps unknown keys of an imported record as the example's
//! `meta` and writes them back on export (data_import builders.py `Record(meta=row)`;
//! data_export models.py `{"id", "data": text, **meta}`, with `data` renamed to `text`), but
//! renumbers entities, so entity ids would not survive. doccano's `Comments` are per document,
//! not per span, and an imported `Comments` key would only become meta, so they cannot hold notes.
//! No top-level `id`: doccano writes its own database id there on export.

use super::ExportArticle;
use crate::model::annotation::AnnotationId;
use crate::model::codebook::Codebook;
use serde::Serialize;
use std::collections::HashMap;

/// What `meta.offset_unit` says for this format.
pub const OFFSET_UNIT: &str = "utf-16-code-unit";
/// The relation type of a claim → source link.
pub const RELATION_TYPE: &str = "AttributedTo";

/// The flat label name doccano and Label Studio carry: `Source`, `Claim`, `Boilerplate:<Kind>`.
pub fn label_name(cb: &Codebook, a: &crate::model::annotation::Annotation) -> String {
    super::label_value(cb, a)
}

#[derive(Serialize)]
struct Record<'a> {
    text: &'a str,
    entities: Vec<Entity>,
    relations: Vec<Relation>,
    meta: Meta<'a>,
}

#[derive(Serialize)]
struct Entity {
    id: usize,
    start_offset: usize,
    end_offset: usize,
    label: String,
}

#[derive(Serialize)]
struct Relation {
    id: usize,
    from_id: usize,
    to_id: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Meta<'a> {
    article_id: &'a str,
    title: &'a str,
    offset_unit: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Note<'a>>,
}

#[derive(Serialize)]
struct Note<'a> {
    start_offset: usize,
    end_offset: usize,
    label: String,
    note: &'a str,
}

fn record<'a>(a: &'a ExportArticle, cb: &Codebook) -> Record<'a> {
    let ids: HashMap<&AnnotationId, usize> = a.annotations.iter().enumerate().map(|(i, x)| (&x.id, i + 1)).collect();
    let entities = a
        .annotations
        .iter()
        .enumerate()
        .map(|(i, x)| Entity {
            id: i + 1,
            start_offset: a.utf16_of(x.start),
            end_offset: a.utf16_of(x.end),
            label: label_name(cb, x),
        })
        .collect();
    let relations = a
        .annotations
        .iter()
        .filter_map(|x| Some((ids[&x.id], *ids.get(&a.source_of(cb, x)?.id)?)))
        .enumerate()
        .map(|(i, (from_id, to_id))| Relation { id: i + 1, from_id, to_id, kind: RELATION_TYPE })
        .collect();
    let notes = a
        .annotations
        .iter()
        .filter_map(|x| {
            Some(Note {
                start_offset: a.utf16_of(x.start),
                end_offset: a.utf16_of(x.end),
                label: label_name(cb, x),
                note: x.note.as_deref()?,
            })
        })
        .collect();
    let meta = Meta { article_id: &a.id, title: &a.title, offset_unit: OFFSET_UNIT, notes };
    Record { text: &a.text, entities, relations, meta }
}

pub fn render(articles: &[ExportArticle], cb: &Codebook) -> String {
    articles.iter().map(|a| serde_json::to_string(&record(a, cb)).expect("records always serialise") + "\n").collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::export::tests::{cb, samples};
    use crate::model::annotation::Annotation;
    use crate::model::annotation::LabelId;
    use crate::model::units::{ByteRange, CharRange};
    use serde_json::Value;

    /// "👍🏽 Peskov said “no”" with Peskov as a source and “no” as his claim: astral characters
    /// before both spans, so UTF-16 and code-point offsets differ.
    pub(crate) fn astral_article() -> ExportArticle {
        let text = "👍🏽 Peskov said “no”";
        let mk = |label, quote: &str| {
            let b = text.find(quote).unwrap();
            let c = text[..b].chars().count();
            let bytes = ByteRange::new(b, b + quote.len());
            Annotation::new_manual(label, text, bytes, CharRange::new(c, c + quote.chars().count()), "t", "now")
        };
        let source = mk(LabelId::new("Source"), "Peskov");
        let mut claim = mk(LabelId::new("Claim"), "“no”");
        claim.links.insert("source".into(), vec![source.id.clone()]);
        claim.note = Some("a flat denial".into());
        ExportArticle::new("emoji.txt".into(), "t".into(), text.into(), vec![source, claim])
    }

    #[test]
    fn utf16_index_agrees_with_a_direct_count_and_refuses_half_surrogates() {
        let a = astral_article();
        let u = crate::model::units::Utf16Index::new(&a.text);
        for c in 0..=a.chars() {
            let direct: usize = a.text.chars().take(c).map(char::len_utf16).sum();
            assert_eq!(u.to_utf16(c), direct, "code point {c}");
            assert_eq!(u.to_char(u.to_utf16(c)), Some(c));
        }
        assert_eq!((u.to_char(1), u.to_char(3)), (None, None), "inside 👍 and 🏽");
        assert_eq!(u.to_char(a.utf16_of(a.chars()) + 1), None);
    }

    #[test]
    fn astral_offsets_are_written_in_utf16_code_units() {
        let out = render(&[astral_article()], crate::model::codebook::Codebook::default_scheme());
        let v: Value = serde_json::from_str(out.trim_end()).unwrap();
        let e = &v["entities"];
        assert_eq!((e[0]["start_offset"].as_u64(), e[0]["end_offset"].as_u64()), (Some(5), Some(11)), "Peskov");
        assert_eq!((e[1]["start_offset"].as_u64(), e[1]["end_offset"].as_u64()), (Some(17), Some(21)), "“no”");
        let units: Vec<u16> = v["text"].as_str().unwrap().encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[5..11]).unwrap(), "Peskov");
        assert_eq!(v["meta"]["offset_unit"], OFFSET_UNIT);
        assert_eq!(v["meta"]["notes"][0]["start_offset"], 17);
    }

    #[test]
    fn claims_point_at_their_sources_with_attributed_to_relations() {
        let v: Value = serde_json::from_str(
            render(&[astral_article()], crate::model::codebook::Codebook::default_scheme()).trim_end(),
        )
        .unwrap();
        assert_eq!(v["relations"], serde_json::json!([{"id": 1, "from_id": 2, "to_id": 1, "type": "AttributedTo"}]));
    }

    #[test]
    fn links_to_sources_left_out_of_the_export_are_dropped() {
        let mut a = astral_article();
        a.annotations.retain(|x| x.label == LabelId::new("Claim"));
        let v: Value =
            serde_json::from_str(render(&[a], crate::model::codebook::Codebook::default_scheme()).trim_end()).unwrap();
        assert_eq!(v["entities"].as_array().unwrap().len(), 1);
        assert_eq!(v["relations"], serde_json::json!([]));
    }

    #[test]
    fn samples_give_one_record_per_line_with_kinds_in_label_names() {
        let out = render(&samples(), cb());
        let rows: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["meta"]["article_id"], "000_e37f52fc02921a26.txt");
        let n: usize = rows.iter().map(|r| r["entities"].as_array().unwrap().len()).sum();
        assert_eq!(n, 93);
        let labels: Vec<&str> =
            rows[1]["entities"].as_array().unwrap().iter().filter_map(|e| e["label"].as_str()).collect();
        assert!(labels.contains(&"Boilerplate:DonationAppeal"), "{labels:?}");
        let t = "x";
        let b = Annotation::new_manual(
            LabelId::new("Boilerplate"),
            t,
            ByteRange::new(0, 1),
            CharRange::new(0, 1),
            "t",
            "n",
        )
        .with_value("kind", "RelatedLinks");
        assert_eq!(label_name(cb(), &b), "Boilerplate:RelatedLinks");
    }
}
