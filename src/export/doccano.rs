//! `doccano`: relation-extraction JSONL, one article per line, for a doccano "Sequence
//! labeling" project with "Use relation labeling" on (the shape doccano itself exports for such
//! a project: backend/data_export/pipeline/factories.py, `mapper_relation_extraction`).
//!
//! ```text
//! {"text": "...",
//!  "entities": [{"id": 1, "start_offset": 0, "end_offset": 11, "label": "Source"}, ...],
//!  "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "source"}],
//!  "meta": {"article_id": "x/a.txt", "title": "...", "offset_unit": "utf-16-code-unit",
//!           "text_normalisation": "BOM stripped, CRLF → LF: …", "codebook": {"name": …},
//!           "notes": [{"start_offset": 0, "end_offset": 11, "label": "Source", "note": "..."}],
//!           "attributes": [{"start_offset": 20, "end_offset": 31, "label": "Claim",
//!                           "values": {"quote_type": "direct"}}]}}
//! ```
//!
//! **Project settings.** Create the project as "Sequence labeling" with *Allow overlapping
//! spans* on (a source inside a claim overlaps it; with the default, doccano drops overlapping
//! spans and the import fails with `KeyError` on relations to them), *Use relation labeling* on
//! (or the relations are not imported), and *Count grapheme clusters as one character* off (the
//! offsets are UTF-16 code units, below).
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
//! import label map reads them back. Every link becomes a relation from the annotation to the
//! linked one, its type the relation's name in the codebook (`source`, `cue`); a link to an
//! annotation filtered out of the export (`--label claim`) is dropped, since a relation must
//! point at an exported entity. A discontinuous annotation is an entity per piece, each further
//! piece with a `fragment` relation to the first. Notes go to `meta.notes`, attribute values
//! to `meta.attributes` and each mention's entity (resolved through merges: id, name,
//! attributes, Wikidata id) to `meta.entities`, keyed by span (the first piece): doccano keeps unknown keys of an imported record as the example's
//! `meta` and writes them back on export (data_import builders.py `Record(meta=row)`;
//! data_export models.py `{"id", "data": text, **meta}`, with `data` renamed to `text`), but
//! renumbers entities, so entity ids would not survive. doccano's `Comments` are per document,
//! not per span, and an imported `Comments` key would only become meta, so they cannot hold notes.
//! Where a suggestion stands is in `meta.review`, keyed like a note: `status` (`proposed` or
//! `accepted`), `origin` (the detector, `quotes-1`, or `imported`) and the detector's
//! `confidence`; a person's accepted annotation has no entry. doccano has no per-span status,
//! so a proposed span is a span like any other in its editor.
//! No top-level `id`: doccano writes its own database id there on export. An article's
//! metadata is in `meta` too, flat: `headline`, `outlet`, `authors` (a list), `published`,
//! `url`, `language`, `section`, those known (none for plain text).

use super::ExportArticle;
use super::stream::{self, DocSink, Part};
use crate::model::annotation::AnnotationId;
use crate::model::codebook::Codebook;
use serde::Serialize;
use std::collections::HashMap;

/// The relation type from a further piece of a discontinuous annotation to its first piece
/// (doccano's entities are one span each).
pub const FRAGMENT_RELATION: &str = super::labelstudio::FRAGMENT_RELATION;

/// What `meta.offset_unit` says for this format.
pub const OFFSET_UNIT: &str = "utf-16-code-unit";

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
    kind: String,
}

#[derive(Serialize)]
struct Meta<'a> {
    article_id: &'a str,
    title: &'a str,
    offset_unit: &'static str,
    text_normalisation: &'static str,
    codebook: serde_json::Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<Note<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attributes: Vec<Values>,
    /// Each mention's entity, keyed like a note.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    entities: Vec<Mention>,
    /// Where each suggestion (and imported span) stands in review, keyed like a note.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    review: Vec<Reviewed>,
    /// The article's metadata (`outlet`, `authors`, `published`…), flat beside the rest:
    /// doccano shows an example's meta keys as they are; none for plain text.
    #[serde(flatten)]
    article: serde_json::Map<String, serde_json::Value>,
}

/// The entity of one mention, keyed like a note: `entity` is newsnote's JSON of it (id, name,
/// attributes, Wikidata id).
#[derive(Serialize)]
struct Mention {
    start_offset: usize,
    end_offset: usize,
    label: String,
    entity: serde_json::Value,
}

/// A span's status, origin and confidence, keyed like a note; none for a person's accepted
/// annotation.
#[derive(Serialize)]
struct Reviewed {
    start_offset: usize,
    end_offset: usize,
    label: String,
    status: &'static str,
    origin: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<u8>,
}

#[derive(Serialize)]
struct Note<'a> {
    start_offset: usize,
    end_offset: usize,
    label: String,
    note: &'a str,
}

/// The attribute values of one span, keyed like a note.
#[derive(Serialize)]
struct Values {
    start_offset: usize,
    end_offset: usize,
    label: String,
    values: serde_json::Map<String, serde_json::Value>,
}

fn record<'a>(a: &'a ExportArticle, cb: &Codebook) -> Record<'a> {
    // Entity ids: one per piece, in annotation order; the first piece's id stands for the
    // annotation in relations.
    let mut entities = Vec::new();
    let mut first: HashMap<&AnnotationId, usize> = HashMap::new();
    let mut relations = Vec::new();
    for x in &a.annotations {
        let label = label_name(cb, x);
        for (k, (span, _)) in x.pieces().enumerate() {
            let id = entities.len() + 1;
            entities.push(Entity {
                id,
                start_offset: a.utf16_of(span.start),
                end_offset: a.utf16_of(span.end),
                label: label.clone(),
            });
            match k {
                0 => _ = first.insert(&x.id, id),
                _ => relations.push((id, first[&x.id], FRAGMENT_RELATION.to_owned())),
            }
        }
    }
    for x in &a.annotations {
        for (rel, targets) in &x.links {
            let name = cb.relation(rel).map_or(rel.as_str(), |r| r.name.as_str());
            for t in targets.iter().filter_map(|t| first.get(t)) {
                relations.push((first[&x.id], *t, name.to_owned()));
            }
        }
    }
    let relations = relations
        .into_iter()
        .enumerate()
        .map(|(i, (from_id, to_id, kind))| Relation { id: i + 1, from_id, to_id, kind })
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
    let attributes = a
        .annotations
        .iter()
        .filter(|x| !x.attributes.is_empty())
        .map(|x| Values {
            start_offset: a.utf16_of(x.start),
            end_offset: a.utf16_of(x.end),
            label: label_name(cb, x),
            values: x.attributes.iter().map(|(k, v)| (k.clone(), super::json::value(v))).collect(),
        })
        .collect();
    let mentions = a
        .annotations
        .iter()
        .filter_map(|x| {
            Some(Mention {
                start_offset: a.utf16_of(x.start),
                end_offset: a.utf16_of(x.end),
                label: label_name(cb, x),
                entity: super::json::entity(a.entity(x)?.as_ref()),
            })
        })
        .collect();
    let review = a
        .annotations
        .iter()
        .filter_map(|x| {
            let r = super::Review::of(x);
            r.describe()?;
            Some(Reviewed {
                start_offset: a.utf16_of(x.start),
                end_offset: a.utf16_of(x.end),
                label: label_name(cb, x),
                status: r.status,
                origin: r.origin,
                confidence: r.confidence,
            })
        })
        .collect();
    let meta = Meta {
        article_id: &a.id,
        title: &a.title,
        offset_unit: OFFSET_UNIT,
        text_normalisation: super::TEXT_NORMALISATION,
        codebook: super::json::codebook(cb),
        notes,
        attributes,
        entities: mentions,
        review,
        article: super::json::meta_fields(&a.meta, false),
    };
    Record { text: &a.text, entities, relations, meta }
}

/// One article's line.
pub fn line(a: &ExportArticle, cb: &Codebook) -> String {
    serde_json::to_string(&record(a, cb)).expect("records always serialise") + "\n"
}

pub fn render(articles: &[ExportArticle], cb: &Codebook) -> String {
    stream::document_of(&mut Lines::new(cb), articles)
}

/// One record per line.
pub struct Lines<'a>(&'a Codebook);

impl<'a> Lines<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self(cb)
    }
}

impl DocSink for Lines<'_> {
    fn render(&self, _at: usize, a: &ExportArticle) -> Part {
        Part::new(line(a, self.0), 1)
    }
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
    fn a_pages_metadata_is_flat_in_meta_and_plain_text_has_none() {
        let out = render(&[crate::export::tests::rich_page(), crate::export::tests::rich()], cb());
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let m = &lines[0]["meta"];
        assert_eq!(m["outlet"], "Українська правда");
        assert_eq!(m["authors"], serde_json::json!(["Олена Ковальчук", "李明"]));
        assert_eq!(m["published"], "2026-11-30T08:15:00+02:00");
        assert_eq!(
            (m["url"].as_str(), m["language"].as_str()),
            (Some("https://www.pravda.com.ua/news/мир/"), Some("uk"))
        );
        assert_eq!((m["headline"].as_str(), m["section"].as_str()), (Some("Песков: «Мы не согласны»"), Some("Новини")));
        assert_eq!(m["title"], "Песков", "the article's title stays the article's");
        for k in ["headline", "outlet", "authors", "published", "url", "language", "section"] {
            assert!(lines[1]["meta"].get(k).is_none(), "plain text has no {k}");
        }
    }

    #[test]
    fn each_mentions_entity_is_in_meta_keyed_by_its_span() {
        let art = crate::export::tests::rich_linked();
        let v: serde_json::Value = serde_json::from_str(render(std::slice::from_ref(&art), cb()).trim()).unwrap();
        let ents = v["meta"]["entities"].as_array().unwrap();
        assert_eq!(ents.len(), 2);
        let s1 = art.annotations.iter().find(|a| a.id.0 == "s1").unwrap();
        let peskov = ents.iter().find(|e| e["entity"]["name"] == "Дмитрий Песков").unwrap();
        assert_eq!(peskov["start_offset"], art.utf16_of(s1.start));
        assert_eq!(
            (peskov["label"].as_str(), peskov["entity"]["wikidata"].as_str()),
            (Some("Source"), Some("Q4526468"))
        );
        assert!(ents.iter().any(|e| e["entity"]["id"] == "kreml" && e["entity"]["name"].is_null()));
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
        assert_eq!(v["relations"], serde_json::json!([{"id": 1, "from_id": 2, "to_id": 1, "type": "source"}]));
    }

    #[test]
    fn every_link_is_a_relation_named_by_the_codebook_and_pieces_are_entities() {
        let (art, cb) = (crate::export::tests::rich(), crate::export::tests::rich_codebook());
        let v: Value = serde_json::from_str(render(std::slice::from_ref(&art), &cb).trim_end()).unwrap();
        let units: Vec<u16> = art.text.encode_utf16().collect();
        let ents: Vec<(u64, String, String)> = v["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let (s, t) = (e["start_offset"].as_u64().unwrap() as usize, e["end_offset"].as_u64().unwrap() as usize);
                (
                    e["id"].as_u64().unwrap(),
                    e["label"].as_str().unwrap().to_owned(),
                    String::from_utf16(&units[s..t]).unwrap(),
                )
            })
            .collect();
        let e = |id: u64, l: &str, q: &str| (id, l.to_owned(), q.to_owned());
        assert_eq!(
            ents,
            [
                e(1, "Claim", "«Мы не согласны»"),
                e(2, "Claim", "«и не будем»"),
                e(3, "Source", "Песков"),
                e(4, "Cue", "сказал"),
                e(5, "Source", "Кремль"),
                e(6, "Boilerplate:Newsletter", "Subscribe now!")
            ]
        );
        let rels: Vec<(u64, u64, &str)> = v["relations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["from_id"].as_u64().unwrap(), r["to_id"].as_u64().unwrap(), r["type"].as_str().unwrap()))
            .collect();
        assert_eq!(rels, [(2, 1, "fragment"), (1, 4, "cue"), (1, 3, "source"), (1, 5, "source")]);
        let values = &v["meta"]["attributes"][0];
        assert_eq!(
            (values["label"].as_str(), &values["values"]["topics"]),
            (Some("Claim"), &serde_json::json!(["war", "peace"]))
        );
        assert_eq!(v["meta"]["codebook"]["hash"], cb.reference().hash.as_str());
        assert_eq!(v["meta"]["text_normalisation"], crate::export::TEXT_NORMALISATION);
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
