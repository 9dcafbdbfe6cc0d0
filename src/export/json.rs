//! `json` and `jsonl`: newsnote's own interchange, the whole model in plain JSON.
//!
//! `jsonl` writes one article object per line so DuckDB (`read_json_auto`) and pandas
//! (`read_json(lines=True)`) load it directly; `json` wraps the same objects in one document.
//! Both carry `offset_unit` and `text_normalisation` so nobody has to guess what `start`/`end`
//! count, and the codebook (name, version, hash) the values mean something in.
//!
//! An annotation carries everything the codebook holds: `start`/`end`/`quote` are its first
//! piece and `fragments` the further pieces of a discontinuous one (`[]` for one span),
//! `attributes` its values by attribute id (a value id, a list of them for several-of, `true`
//! or `false`, a number, or text), `links` its relations by relation id (lists of annotation
//! ids), and `cues` the quotes of its cues (the codebook's cue relation). `source` and
//! `more_sources` repeat the source relation's ids as before the codebook, for old readers.
//! `status` is `accepted` or `proposed` (a suggestion waiting for a person), `origin`
//! `manual`, `imported` or the detector that proposed it (`quotes-1`), with its `confidence`
//! (0–100) and `reason` (both `null` for what no detector made).
//!
//! An annotation an editor reviewed also carries `review` (`approved`, `disputed` or
//! `unreviewed`: the verdict that stands, a comment alone being no verdict) and `reviews`,
//! every entry oldest first (`verdict` `Approved`, `Disputed` or `Comment`, `by`, `at` in RFC
//! 3339 UTC, `comment` or `null`); both are absent for an annotation no one reviewed, so an
//! export of a corpus without review is as before.

use super::entities::ExportEntity;
use super::stream::{self, DocSink, Part, Written};
use super::{ExportArticle, OFFSET_UNIT, TEXT_NORMALISATION, label_parts};
use crate::model::annotation::{Annotation, AttrValue};
use crate::model::codebook::Codebook;
use serde_json::{Value, json};
use std::io::{self, Write};

/// The codebook the export's values belong to.
pub fn codebook(cb: &Codebook) -> Value {
    let r = cb.reference();
    json!({ "name": r.name, "version": r.version, "hash": r.hash })
}

/// An attribute value as JSON: its natural type, numbers as written when JSON can carry them.
pub fn value(v: &AttrValue) -> Value {
    match v {
        AttrValue::Many(vs) => json!(vs),
        AttrValue::YesNo(b) => json!(b),
        AttrValue::Number(n) => {
            serde_json::from_str::<serde_json::Number>(n.trim()).map_or_else(|_| json!(n), Value::from)
        }
        other => json!(other.to_string()),
    }
}

/// A mention's entity as JSON: `id`, `name` (null when the registry lacks it), `attributes`
/// by the codebook's entity attribute ids (`{ "value", "name" }`), `wikidata` (null when
/// unknown).
pub fn entity(e: &ExportEntity) -> Value {
    let attributes: serde_json::Map<String, Value> =
        e.values.iter().map(|v| (v.attribute.clone(), json!({ "value": v.value, "name": v.name }))).collect();
    json!({ "id": e.id.as_str(), "name": e.name, "attributes": attributes, "wikidata": e.wikidata })
}

/// An article's metadata as flat fields for tools whose task or record holds loose keys
/// (doccano's `meta`, Label Studio's `data`): `headline` (the metadata's title, since `title`
/// is already the article's), `outlet`, `authors`, `published`, `url`, `language`, `section`,
/// only those known. `authors` is a list, or one string joined with `; ` where a tool filters
/// and sorts strings (Label Studio's data manager).
pub fn meta_fields(m: &crate::model::meta::ArticleMeta, join_authors: bool) -> serde_json::Map<String, Value> {
    let authors = match m.authors.as_slice() {
        [] => None,
        a if join_authors => Some(json!(a.join("; "))),
        a => Some(json!(a)),
    };
    let text = |v: &Option<String>| v.as_ref().map(|v| json!(v));
    [
        ("headline", text(&m.title)),
        ("outlet", text(&m.outlet)),
        ("authors", authors),
        ("published", text(&m.published)),
        ("url", text(&m.url)),
        ("language", text(&m.language)),
        ("section", text(&m.section)),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_owned(), v?)))
    .collect()
}

/// An annotation as newsnote's JSON. `art` resolves cue links to their quotes.
pub fn annotation(art: &ExportArticle, a: &Annotation, cb: &Codebook) -> Value {
    let (label, kind) = label_parts(cb, a);
    let sources: Vec<&str> =
        cb.source_relation().map(|r| a.linked(&r.id)).unwrap_or_default().iter().map(|s| s.0.as_str()).collect();
    let fragments: Vec<Value> =
        a.fragments.iter().map(|f| json!({ "start": f.start, "end": f.end, "quote": f.quote })).collect();
    let attributes: serde_json::Map<String, Value> = a.attributes.iter().map(|(k, v)| (k.clone(), value(v))).collect();
    let cues: Vec<&str> = art.cues_of(cb, a).iter().map(|c| c.quote.as_str()).collect();
    let review = super::Review::of(a);
    let mut v = json!({
        "id": a.id.0,
        "label": label,
        "kind": kind,
        "start": a.start,
        "end": a.end,
        "quote": a.quote,
        "prefix": a.prefix,
        "suffix": a.suffix,
        "fragments": fragments,
        "attributes": attributes,
        "links": a.links,
        "cues": cues,
        "note": a.note,
        "source": sources.first(),
        "author": a.author,
        "created": a.created,
        "modified": a.modified,
        "origin": review.origin,
        "status": review.status,
        "confidence": review.confidence,
        "reason": review.reason,
    });
    // An editor's review, only where there is one (see the module doc).
    if !a.reviews.is_empty() {
        v["review"] = json!(crate::model::review::state(a));
        v["reviews"] = a
            .reviews
            .iter()
            .map(|r| json!({ "verdict": r.verdict.as_str(), "by": r.by, "at": r.at, "comment": r.comment }))
            .collect();
    }
    // A claim made by several sources: the others after `source` (absent for one).
    if sources.len() > 1 {
        v["more_sources"] = sources[1..].iter().map(|s| Value::from(*s)).collect();
    }
    // A mention's entity, resolved; attributed content names its sources' entities.
    if let Some(e) = art.entity(a) {
        v["entity"] = entity(&e);
    }
    let by = art.source_entities(cb, a);
    if !by.is_empty() {
        v["source_entities"] = by.iter().map(|e| entity(e)).collect();
    }
    v
}

pub fn article(a: &ExportArticle, cb: &Codebook) -> Value {
    let mut v = json!({
        "id": a.id,
        "title": a.title,
        "fingerprint": { "chars": a.fingerprint.chars, "fnv1a64": a.fingerprint.fnv1a64 },
        "offset_unit": OFFSET_UNIT,
        "text_normalisation": TEXT_NORMALISATION,
        "codebook": codebook(cb),
        "annotations": a.annotations.iter().map(|x| annotation(a, x, cb)).collect::<Vec<_>>(),
    });
    // A web page's outlet, date, authors…: only what is known, and nothing for plain text.
    if !a.meta.is_empty() {
        v["meta"] = serde_json::to_value(&a.meta).expect("metadata serialises");
    }
    v
}

pub fn corpus(articles: &[ExportArticle], cb: &Codebook) -> String {
    stream::document_of(&mut Corpus::new(cb), articles)
}

pub fn lines(articles: &[ExportArticle], cb: &Codebook) -> String {
    stream::document_of(&mut Lines::new(cb), articles)
}

/// `json`: `{ "articles": [ … ], "codebook", "generator", "offset_unit", "text_normalisation" }`,
/// pretty-printed, the keys in serde_json's (alphabetical) order, so the articles come first and
/// stream.
pub struct Corpus<'a>(&'a Codebook);

impl<'a> Corpus<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self(cb)
    }
}

impl DocSink for Corpus<'_> {
    fn begin(&self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(b"{\n  \"articles\": [")
    }

    fn render(&self, _at: usize, art: &ExportArticle) -> Part {
        stream::elements([article(art, self.0)], 2)
    }

    fn put(&self, w: &mut dyn Write, part: &Part, before: Written) -> io::Result<()> {
        stream::put_elements(w, part, before)
    }

    fn end(&self, w: &mut dyn Write, all: Written) -> io::Result<()> {
        stream::close_elements(w, all, 1)?;
        let rest = json!({
            "generator": format!("newsnote {}", env!("CARGO_PKG_VERSION")),
            "offset_unit": OFFSET_UNIT,
            "text_normalisation": TEXT_NORMALISATION,
            "codebook": codebook(self.0),
        });
        writeln!(w, ",\n{}\n}}", stream::members(&rest))
    }
}

/// `jsonl`: one article object per line.
pub struct Lines<'a>(&'a Codebook);

impl<'a> Lines<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self(cb)
    }
}

impl DocSink for Lines<'_> {
    fn render(&self, _at: usize, art: &ExportArticle) -> Part {
        Part::new(format!("{}\n", article(art, self.0)), 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{cb, rich, rich_codebook, samples};

    #[test]
    fn corpus_json_parses_and_keeps_every_annotation_with_its_unit() {
        let v: Value = serde_json::from_str(&corpus(&samples(), cb())).unwrap();
        assert_eq!(v["offset_unit"], OFFSET_UNIT);
        let arts = v["articles"].as_array().unwrap();
        assert_eq!(arts.len(), 2);
        let n: usize = arts.iter().map(|a| a["annotations"].as_array().unwrap().len()).sum();
        assert_eq!(n, 93);
        let donation =
            arts[1]["annotations"].as_array().unwrap().iter().find(|a| a["kind"] == "DonationAppeal").unwrap();
        assert_eq!(donation["label"], "boilerplate");
    }

    #[test]
    fn a_pages_metadata_is_written_with_its_article_and_plain_text_has_none() {
        let mut art = rich();
        assert!(article(&art, cb()).get("meta").is_none(), "plain text: no meta at all");
        art.meta.outlet = Some("Українська правда".into());
        art.meta.authors = vec!["Олена Шевчук".into()];
        art.meta.published = Some("2026-11-30T08:15:00+02:00".into());
        let v = article(&art, cb());
        assert_eq!(
            v["meta"],
            json!({ "outlet": "Українська правда", "authors": ["Олена Шевчук"], "published": "2026-11-30T08:15:00+02:00" })
        );
    }

    #[test]
    fn an_annotation_carries_its_fragments_attributes_links_and_cues() {
        let (art, cb) = (rich(), rich_codebook());
        let v: Value = serde_json::from_str(&corpus(std::slice::from_ref(&art), &cb)).unwrap();
        assert_eq!(v["codebook"], json!({"name": "newsnote default", "version": "4", "hash": cb.reference().hash}));
        assert_eq!(v["text_normalisation"], TEXT_NORMALISATION);
        let anns = v["articles"][0]["annotations"].as_array().unwrap();
        let claim = anns.iter().find(|a| a["id"] == "c1").unwrap();
        assert_eq!(claim["quote"], "«Мы не согласны»");
        assert_eq!(claim["fragments"], json!([{"start": 37, "end": 49, "quote": "«и не будем»"}]));
        let chars: Vec<char> = art.text.chars().collect();
        assert_eq!(chars[37..49].iter().collect::<String>(), "«и не будем»");
        assert_eq!(
            claim["attributes"],
            json!({"evidence": "ТАСС, 3 марта", "quote_type": "direct", "topics": ["war", "peace"]})
        );
        assert_eq!(claim["links"], json!({"cue": ["q1"], "source": ["s1", "s2"]}));
        assert_eq!((&claim["source"], &claim["more_sources"]), (&json!("s1"), &json!(["s2"])));
        assert_eq!(claim["cues"], json!(["сказал"]));
        let bp = anns.iter().find(|a| a["id"] == "b1").unwrap();
        assert_eq!((&bp["kind"], &bp["attributes"]["kind"]), (&json!("Newsletter"), &json!("Newsletter")));
        assert_eq!((&bp["fragments"], &bp["links"], &bp["cues"]), (&json!([]), &json!({}), &json!([])));
    }

    #[test]
    fn values_keep_their_type() {
        assert_eq!(value(&AttrValue::YesNo(true)), json!(true));
        assert_eq!(value(&AttrValue::Number("-0.5".into())), json!(-0.5));
        assert_eq!(value(&AttrValue::Number("пять".into())), json!("пять"));
        assert_eq!(value(&AttrValue::Date("2026-03-04".into())), json!("2026-03-04"));
    }

    #[test]
    fn jsonl_is_one_parsable_article_per_line() {
        let out = lines(&samples(), cb());
        let rows: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["id"], "000_e37f52fc02921a26.txt");
        assert_eq!(rows[0]["codebook"]["name"], "newsnote default", "each line says its codebook");
        assert_eq!(rows[0]["text_normalisation"], TEXT_NORMALISATION);
    }
}
