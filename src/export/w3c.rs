//! `w3c`: the W3C Web Annotation Data Model (<https://www.w3.org/TR/annotation-model/>) as
//! JSON-LD, for annotation servers and tools that speak it (Hypothesis-style clients, IIIF
//! viewers, anything reading `http://www.w3.org/ns/anno.jsonld`).
//!
//! The document is one `AnnotationCollection` whose `first` (and only) `AnnotationPage` is
//! embedded and holds every annotation in `items`: per article, its annotations in file order,
//! then one linking annotation per annotation and relation it has links in (a claim's sources,
//! its cues). The embedded annotations carry no `@context` of their own; they are in the
//! collection's. Shape (abridged; the keys come out in alphabetical order):
//!
//! ```json
//! { "@context": ["http://www.w3.org/ns/anno.jsonld", { "newsnote": "urn:newsnote:vocab:", … }],
//!   "offset_unit": "unicode-code-point", "text_normalisation": "BOM stripped, CRLF → LF: …",
//!   "codebook": { "name": "newsnote default", "version": "2", "hash": "…" },
//!   "id": "urn:newsnote:collection:3f9c0e1d2b4a5c6d", "type": "AnnotationCollection",
//!   "label": "newsnote annotations", "total": 2,
//!   "first": { "id": "urn:newsnote:collection:3f9c0e1d2b4a5c6d:page:1", "type": "AnnotationPage",
//!     "startIndex": 0, "items": [
//!     { "id": "urn:newsnote:annotation:a.txt:2eba8bdc", "type": "Annotation",
//!       "motivation": "classifying", "created": "…Z", "modified": "…Z",
//!       "creator": { "type": "Person", "name": "ana" },
//!       "body": [ { "type": "TextualBody", "purpose": "classifying", "value": "Source",
//!                   "format": "text/plain" } ],
//!       "target": { "type": "SpecificResource",
//!         "source": { "id": "urn:newsnote:article:a.txt", "type": "Text",
//!                     "format": "text/plain", "label": "Article title" },
//!         "selector": [
//!           { "type": "TextQuoteSelector", "exact": "Peskov", "prefix": "…", "suffix": "…" },
//!           { "type": "TextPositionSelector", "start": 135, "end": 141 } ] } },
//!     { "id": "urn:newsnote:link:a.txt:01a91f1b", "type": "Annotation", "motivation": "linking",
//!       "modified": "…Z", "creator": { "type": "Person", "name": "ana" },
//!       "body": [ "urn:newsnote:annotation:a.txt:2eba8bdc",
//!                 { "type": "TextualBody", "purpose": "tagging", "value": "source", … } ],
//!       "target": "urn:newsnote:annotation:a.txt:01a91f1b" } ] },
//!   "last": "urn:newsnote:collection:3f9c0e1d2b4a5c6d:page:1" }
//! ```
//!
//! Identifiers are URNs in an informal `newsnote` namespace, percent-encoded so they are plain
//! ASCII URIs whatever the file names hold (every byte but `A-Z a-z 0-9 - . _ ~ /` is encoded,
//! so `:` only ever separates parts):
//! - article: `urn:newsnote:article:<article id>` (its path in the corpus);
//! - annotation: `urn:newsnote:annotation:<article id>:<annotation id>`;
//! - links of the codebook's source relation: `urn:newsnote:link:<article id>:<annotation id>`
//!   (one linking annotation holds all of a claim's sources, so the claim names it); of any other
//!   relation: the same with `:<relation id>` after it;
//! - collection: `urn:newsnote:collection:<hash>`, the FNV-1a 64 of the article ids and text
//!   fingerprints, so exports of the same corpus share it and different corpora do not clash;
//!   its page is the collection IRI plus `:page:1`.
//!
//! Each newsnote annotation is one `classifying` Annotation. Its first body is a `TextualBody`
//! with purpose `classifying` whose value is the label: `Source`, `Claim`, or
//! `Boilerplate:<Kind>` (`Boilerplate:DonationAppeal`, …, the kind's name as in the RON files).
//! A note becomes a second `TextualBody` with purpose `commenting`. Each attribute value is one
//! more `TextualBody`, `<attribute id>:<value>`: purpose `tagging` for a value of a set (one body
//! per value of a several-of attribute: `topics:war`, `topics:peace`), `describing` for a free
//! value (`evidence:TASS`, a number, a date, a URL, `yes`/`no`). `body` and `selector` are
//! always arrays so readers see one shape. A mention linked to an entity has one more body,
//! a `SpecificResource` with purpose `identifying` whose `source` is the entity: its `id` the
//! Wikidata IRI (`http://www.wikidata.org/entity/Q…`) when known, else
//! `urn:newsnote:entity:<id>`, its `label` the canonical name (the id when the registry lacks
//! it). The name is not a `value`: the suite's MUST assertions refuse a `value` on a body with
//! a `source`. Merged entities are written as the one they were merged into. The creator is an Agent with the author as `name`:
//! a `Person`, or `Software` named by the detector's origin (`quotes-1`) when a detector
//! proposed the annotation.
//!
//! Every annotation (and its linking annotations) says where it stands in review, in terms
//! of newsnote's vocabulary declared in the collection's context: `status` (`accepted`, or
//! `proposed` for a suggestion waiting for a person), `origin` (`manual`, `imported`, or the
//! detector, `quotes-1`) and, for what a detector proposed, `confidence` (0–100, an
//! `xsd:integer`). Rejected suggestions are never exported.
//!
//! An editor's review of an annotation is one more Annotation per review entry, after the
//! article's linking ones: `id` `urn:newsnote:review:<article id>:<annotation id>:<n>`
//! (`n` from 1, oldest first), `target` the annotation's IRI, `creator` the reviewer (a
//! `Person`), `created` when it was given. A verdict has motivation `assessing` and a
//! `TextualBody` with purpose `assessing` whose value is `approved` or `disputed`; a comment
//! alone has motivation `commenting`; a comment (alone or with a verdict) is a `TextualBody`
//! with purpose `commenting`. An annotation no one reviewed has none.
//!
//! The target is a `SpecificResource` on the article (a `Text` resource whose `label`, the
//! rdfs:label of anno.jsonld, carries the title when there is one) with two selectors that
//! agree: a `TextQuoteSelector` (exact text with up to 32 code points of prefix and suffix) and
//! a `TextPositionSelector`. The model counts TextPositionSelector positions in Unicode code
//! points, which is newsnote's own unit, so `start`/`end` are the annotation's offsets as
//! stored, not UTF-16 units (an emoji before the span counts 1 per code point, not 2), in
//! newsnote's text (`text_normalisation`: a BOM stripped, CRLF read as LF). A discontinuous
//! annotation (a quote interrupted by "he said") has one such target per piece, in text order,
//! each with its own selectors: several targets mean the body applies to each of them, which is
//! the model's way to say one annotation covers several places (a one-piece annotation keeps a
//! single target object).
//!
//! A claim's links to its sources are a separate Annotation with motivation `linking`: the
//! target is the claim's annotation (the claim is what the link is about, and the link is stored
//! on the claim), the bodies the Source annotations it is attributed to (the related resources,
//! as the model describes `linking`), followed by a `tagging` body naming the relation
//! (`source`). Its cues are a second linking annotation the same way (`cue`), and so is every
//! other relation of the codebook. Its creator is the claim's author and its `modified` the
//! claim's (the link is part of the claim record, so when it was first set is not known; no
//! `created`). When `--label` leaves the Source out of the export, the link still names it.
//!
//! An article whose canonical URL is known (a saved page, a scraped record) is targeted as
//! that page: the target's `source` is `{ "id": <URL>, "type": "Text", "label": <title>,
//! "dcterms:identifier": "urn:newsnote:article:<id>", "dcterms:title", "dcterms:creator",
//! "dcterms:publisher", "dcterms:issued", "language", "newsnote:section" }` (each when known);
//! see `article_resource`. The positions still count newsnote's text of the page.
//!
//! `tests/w3c/validate.py` checks an export against every MUST assertion of the W3C test suite.

use super::stream::{self, DocSink, Part, Pass, Written};
use super::{ExportArticle, OFFSET_UNIT, TEXT_NORMALISATION};
use crate::model::annotation::{Annotation, AnnotationId, AttrValue, Origin};
use crate::model::codebook::Codebook;
use serde_json::{Value, json};
use std::io::{self, Write};

/// The JSON-LD context of the Web Annotation Data Model.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The namespace of newsnote's own terms in the collection's context.
pub const VOCAB: &str = "urn:newsnote:vocab:";

pub fn render(articles: &[ExportArticle], cb: &Codebook) -> String {
    stream::document_of(&mut Collection::new(cb), articles)
}

/// The collection, streamed: `@context` and `codebook`, then `first` (the page, its `items`
/// article by article), then the keys after it in serde_json's (alphabetical) order. The
/// page's id comes before its items and derives from every article's text fingerprint, so a
/// first pass reads the texts (not the annotation files) to find it.
pub struct Collection<'a> {
    cb: &'a Codebook,
    hash: CollectionHash,
}

impl<'a> Collection<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self { cb, hash: CollectionHash::default() }
    }

    fn page(&self) -> String {
        format!("{}:page:1", self.hash.iri())
    }
}

impl DocSink for Collection<'_> {
    fn survey(&self) -> Option<Pass> {
        Some(Pass::Texts)
    }

    fn surveyed(&mut self, _at: usize, art: &ExportArticle) {
        self.hash.feed(art);
    }

    fn begin(&self, w: &mut dyn Write) -> io::Result<()> {
        let h = header(self.cb);
        let before = json!({ "@context": h["@context"], "codebook": h["codebook"] });
        write!(w, "{{\n{}", stream::members(&before))
    }

    fn render(&self, _at: usize, art: &ExportArticle) -> Part {
        let annotations = art.annotations.iter().map(|a| annotation(art, a, self.cb));
        let links = art.annotations.iter().flat_map(|a| links(art, a, self.cb));
        let reviews = art.annotations.iter().flat_map(|a| reviews(art, a));
        stream::elements(annotations.chain(links).chain(reviews), 3)
    }

    fn put(&self, w: &mut dyn Write, part: &Part, before: Written) -> io::Result<()> {
        // The model wants `first` only when there are annotations; an empty page would be noise.
        if part.items > 0 && before.items == 0 {
            write!(w, ",\n  \"first\": {{\n    \"id\": {},\n    \"items\": [", json!(self.page()))?;
        }
        stream::put_elements(w, part, before)
    }

    fn end(&self, w: &mut dyn Write, all: Written) -> io::Result<()> {
        if all.items > 0 {
            stream::close_elements(w, all, 2)?;
            w.write_all(b",\n    \"startIndex\": 0,\n    \"type\": \"AnnotationPage\"\n  }")?;
        }
        let h = header(self.cb);
        let mut after = json!({
            "id": self.hash.iri(),
            "label": "newsnote annotations",
            "offset_unit": h["offset_unit"],
            "text_normalisation": h["text_normalisation"],
            "total": all.items,
            "type": "AnnotationCollection",
        });
        if all.items > 0 {
            after["last"] = json!(self.page());
        }
        writeln!(w, ",\n{}\n}}", stream::members(&after))
    }
}

/// The collection's context and what its offsets and values mean: the model's context plus
/// newsnote's three terms, so a JSON-LD processor keeps them (the codebook as a JSON literal).
pub fn header(cb: &Codebook) -> Value {
    json!({
        "@context": [CONTEXT, {
            "@version": 1.1,
            "newsnote": VOCAB,
            "offset_unit": "newsnote:offset_unit",
            "text_normalisation": "newsnote:text_normalisation",
            "codebook": { "@id": "newsnote:codebook", "@type": "@json" },
            "status": "newsnote:status",
            "origin": "newsnote:origin",
            "confidence": { "@id": "newsnote:confidence", "@type": "xsd:integer" },
        }],
        "offset_unit": OFFSET_UNIT,
        "text_normalisation": TEXT_NORMALISATION,
        "codebook": super::json::codebook(cb),
    })
}

/// The classifying Annotation for one newsnote annotation.
pub fn annotation(art: &ExportArticle, a: &Annotation, cb: &Codebook) -> Value {
    let mut body = vec![json!({
        "type": "TextualBody",
        "purpose": "classifying",
        "value": super::label_value(cb, a),
        "format": "text/plain",
    })];
    if let Some(note) = a.note.as_deref().filter(|n| !n.is_empty()) {
        body.push(json!({ "type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/plain" }));
    }
    for (id, v) in &a.attributes {
        // A value of a set is a tag; a free value (text, number, date…) describes the span.
        let (purpose, values) = match v {
            AttrValue::One(_) | AttrValue::Many(_) => ("tagging", v.ids().into_iter().map(str::to_owned).collect()),
            other => ("describing", vec![other.to_string()]),
        };
        for value in values {
            body.push(json!({
                "type": "TextualBody",
                "purpose": purpose,
                "value": format!("{id}:{value}"),
                "format": "text/plain",
            }));
        }
    }
    // Who a mention is: its entity (resolved through merges), identified by its Wikidata IRI
    // when known, else by the registry's URN, named by its canonical name.
    if let Some(e) = art.entity(a) {
        // The model allows no `value` beside a `source`: the name is the source's label.
        body.push(json!({
            "type": "SpecificResource",
            "purpose": "identifying",
            "source": { "id": e.iri(), "label": e.label() },
        }));
    }
    // One target per piece: a discontinuous annotation is about each of its pieces.
    let mut targets: Vec<Value> = a
        .pieces()
        .zip(
            std::iter::once((a.prefix.as_str(), a.suffix.as_str()))
                .chain(a.fragments.iter().map(|f| (f.prefix.as_str(), f.suffix.as_str()))),
        )
        .map(|((span, quote), (prefix, suffix))| {
            json!({
                "type": "SpecificResource",
                "source": article_resource(art),
                "selector": [quote_selector(quote, prefix, suffix), {
                    "type": "TextPositionSelector",
                    "start": span.start,
                    "end": span.end,
                }],
            })
        })
        .collect();
    let target = if targets.len() == 1 { targets.remove(0) } else { Value::Array(targets) };
    let mut v = json!({
        "id": annotation_iri(&art.id, &a.id),
        "type": "Annotation",
        "motivation": "classifying",
        "created": a.created,
        "modified": a.modified,
        "creator": agent(a),
        "body": body,
        "target": target,
    });
    review(&mut v, a);
    v
}

/// Where an annotation stands in review, in newsnote's terms of the collection's context:
/// `status` (`accepted` or `proposed`), `origin` (`manual`, `imported` or the detector, as
/// `quotes-1`) and, for a detector's, its `confidence` (0–100).
fn review(v: &mut Value, a: &Annotation) {
    let r = super::Review::of(a);
    v["status"] = json!(r.status);
    v["origin"] = json!(r.origin);
    if let Some(c) = r.confidence {
        v["confidence"] = json!(c);
    }
}

/// The linking Annotations of one annotation: one per relation it has links in (a claim's
/// sources, its cues), the annotation as target, the linked ones as bodies and the relation's
/// id as a `tagging` body. Links to annotations that do not exist are left out.
pub fn links(art: &ExportArticle, a: &Annotation, cb: &Codebook) -> Vec<Value> {
    let source = cb.source_relation().map(|r| r.id.as_str());
    a.links
        .keys()
        .filter_map(|rel| {
            let mut body: Vec<Value> =
                art.linked(a, rel).iter().map(|t| json!(annotation_iri(&art.id, &t.id))).collect();
            if body.is_empty() {
                return None;
            }
            body.push(json!({ "type": "TextualBody", "purpose": "tagging", "value": rel, "format": "text/plain" }));
            let id = if Some(rel.as_str()) == source {
                link_iri(&art.id, &a.id)
            } else {
                format!("{}:{}", link_iri(&art.id, &a.id), encode(rel))
            };
            // The links are part of the annotation's record, so they share its review.
            let mut v = json!({
                "id": id,
                "type": "Annotation",
                "motivation": "linking",
                "modified": a.modified,
                "creator": agent(a),
                "body": body,
                "target": annotation_iri(&art.id, &a.id),
            });
            review(&mut v, a);
            Some(v)
        })
        .collect()
}

/// The review Annotations of one annotation, one per entry of its review (see the module doc).
pub fn reviews(art: &ExportArticle, a: &Annotation) -> Vec<Value> {
    use crate::model::annotation::Verdict;
    a.reviews
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let mut body = Vec::new();
            let verdict = match r.verdict {
                Verdict::Approved => Some("approved"),
                Verdict::Disputed => Some("disputed"),
                Verdict::Comment => None,
            };
            if let Some(v) = verdict {
                body.push(json!({ "type": "TextualBody", "purpose": "assessing", "value": v, "format": "text/plain" }));
            }
            if let Some(c) = &r.comment {
                body.push(
                    json!({ "type": "TextualBody", "purpose": "commenting", "value": c, "format": "text/plain" }),
                );
            }
            json!({
                "id": format!("urn:newsnote:review:{}:{}:{}", encode(&art.id), encode(&a.id.0), k + 1),
                "type": "Annotation",
                "motivation": if verdict.is_some() { "assessing" } else { "commenting" },
                "created": r.at,
                "creator": { "type": "Person", "name": r.by },
                "body": body,
                "target": annotation_iri(&art.id, &a.id),
            })
        })
        .collect()
}

pub fn article_iri(article: &str) -> String {
    format!("urn:newsnote:article:{}", encode(article))
}

pub fn annotation_iri(article: &str, id: &AnnotationId) -> String {
    format!("urn:newsnote:annotation:{}:{}", encode(article), encode(&id.0))
}

pub fn link_iri(article: &str, claim: &AnnotationId) -> String {
    format!("urn:newsnote:link:{}:{}", encode(article), encode(&claim.0))
}

/// A corpus-derived collection IRI: the same articles with the same texts give the same one.
pub fn collection_iri(articles: &[ExportArticle]) -> String {
    let mut h = CollectionHash::default();
    articles.iter().for_each(|a| h.feed(a));
    h.iri()
}

/// The FNV-1a 64 of the article ids and text fingerprints behind [`collection_iri`], fed one
/// article at a time.
#[derive(Debug, Clone, Copy)]
pub struct CollectionHash(u64);

impl Default for CollectionHash {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl CollectionHash {
    pub fn feed(&mut self, a: &ExportArticle) {
        for &b in a.id.as_bytes().iter().chain(b"\0").chain(a.fingerprint.fnv1a64.as_bytes()).chain(b"\n") {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn iri(&self) -> String {
        format!("urn:newsnote:collection:{:016x}", self.0)
    }
}

/// The resource a target selects from. A plain text article is newsnote's file, as
/// `urn:newsnote:article:<id>` in `text/plain`. An article whose canonical URL is known is that
/// web page, so annotations of one article made in different corpora (or by a browser client)
/// meet on one IRI; the page is served as HTML, so no `format` is claimed for it, and the
/// corpus's IRI stays on it as `dcterms:identifier`. Its metadata is Dublin Core on the
/// resource: `dcterms:` is a prefix anno.jsonld declares, so the keys expand to the DCMI terms
/// without a context of our own; the language is the model's own `language` (dc:language)
/// when it is a tag the test suite's pattern accepts, and the section newsnote's term.
fn article_resource(art: &ExportArticle) -> Value {
    let m = &art.meta;
    let mut r = match super::web_url(m) {
        Some(url) => json!({ "id": url, "type": "Text", "dcterms:identifier": article_iri(&art.id) }),
        None => json!({ "id": article_iri(&art.id), "type": "Text", "format": "text/plain" }),
    };
    if !art.title.trim().is_empty() {
        r["label"] = json!(art.title);
    }
    let mut dc = |key: &str, v: Option<&String>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            r[key] = json!(v);
        }
    };
    dc("dcterms:title", m.title.as_ref());
    dc("dcterms:publisher", m.outlet.as_ref());
    dc("dcterms:issued", m.published.as_ref());
    dc("newsnote:section", m.section.as_ref());
    if let Some(lang) = m.language.as_deref().filter(|l| language_tag(l)) {
        r["language"] = json!(lang);
    }
    match m.authors.as_slice() {
        [] => {}
        [one] => r["dcterms:creator"] = json!(one),
        many => r["dcterms:creator"] = json!(many),
    }
    r
}

/// Whether `l` is a language tag as the test suite checks one (`en`, `pt-BR`; not `EN`, `en_US`).
fn language_tag(l: &str) -> bool {
    let primary = l.split('-').next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn quote_selector(exact: &str, prefix: &str, suffix: &str) -> Value {
    let mut s = json!({ "type": "TextQuoteSelector", "exact": exact });
    if !prefix.is_empty() {
        s["prefix"] = json!(prefix);
    }
    if !suffix.is_empty() {
        s["suffix"] = json!(suffix);
    }
    s
}

fn agent(a: &Annotation) -> Value {
    // A detector's suggestion was made by that detector (named by its origin, `quotes-1`),
    // accepted or not.
    if let Some(s) = &a.suggestion {
        return json!({ "type": "Software", "name": s.origin() });
    }
    let kind = match a.origin {
        Origin::Detector => "Software",
        Origin::Manual | Origin::Imported => "Person",
    };
    json!({ "type": kind, "name": a.author })
}

/// Percent-encodes every byte but the unreserved characters and `/`.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{cb, rich, rich_codebook, rich_page, samples};
    use crate::model::annotation::LabelId;

    fn items(doc: &Value) -> &Vec<Value> {
        doc["first"]["items"].as_array().unwrap()
    }

    fn by_motivation<'a>(doc: &'a Value, m: &str) -> Vec<&'a Value> {
        items(doc).iter().filter(|i| i["motivation"] == m).collect()
    }

    fn selector<'a>(item: &'a Value, kind: &str) -> &'a Value {
        item["target"]["selector"].as_array().unwrap().iter().find(|s| s["type"] == kind).unwrap()
    }

    fn ann(id: &str, label: LabelId, text: &str, start: usize, end: usize) -> Annotation {
        let quote: String = text.chars().skip(start).take(end - start).collect();
        Annotation {
            id: AnnotationId(id.into()),
            label,
            start,
            end,
            quote,
            prefix: text.chars().take(start).collect(),
            suffix: text.chars().skip(end).collect(),
            note: None,
            fragments: Vec::new(),
            attributes: Default::default(),
            links: Default::default(),
            entity: None,
            author: "ana".into(),
            created: "2026-01-02T03:04:05Z".into(),
            modified: "2026-01-02T03:04:06Z".into(),
            origin: Origin::Manual,
            status: Default::default(),
            suggestion: None,
            reviews: Vec::new(),
            anchor: None,
        }
    }

    #[test]
    fn samples_give_a_collection_of_93_classifying_and_53_linking_annotations() {
        let arts = samples();
        let doc: Value = serde_json::from_str(&render(&arts, cb())).unwrap();
        assert_eq!(doc["@context"][0], CONTEXT);
        assert_eq!(
            (&doc["offset_unit"], &doc["text_normalisation"]),
            (&json!(OFFSET_UNIT), &json!(TEXT_NORMALISATION))
        );
        assert_eq!(doc["codebook"]["hash"], cb().reference().hash.as_str());
        assert_eq!(doc["type"], "AnnotationCollection");
        assert_eq!(doc["first"]["type"], "AnnotationPage");
        assert_eq!(doc["last"], doc["first"]["id"]);
        assert_eq!(by_motivation(&doc, "classifying").len(), 93);
        let linked = arts.iter().flat_map(|a| a.annotations.iter().filter(|c| a.source_of(cb(), c).is_some())).count();
        // 27 claims name their source in the shipped annotations (17 + 10) and 26 their cue: a
        // linking annotation per claim and relation (33 of the 93 have a note, a body, not a link).
        assert_eq!(linked, 27);
        assert_eq!(by_motivation(&doc, "linking").len(), 53);
        assert_eq!(items(&doc).len(), 146);
        assert_eq!(doc["total"], 146);
        let commenting = |i: &&Value| i["body"].as_array().unwrap().iter().any(|b| b["purpose"] == "commenting");
        assert_eq!(items(&doc).iter().filter(commenting).count(), 33);
        let ids: std::collections::HashSet<_> = items(&doc).iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 146, "ids are unique");
    }

    #[test]
    fn selectors_match_the_stored_offsets_and_quotes_exactly() {
        let arts = samples();
        let doc: Value = serde_json::from_str(&render(&arts, cb())).unwrap();
        for art in &arts {
            let chars: Vec<char> = art.text.chars().collect();
            for a in &art.annotations {
                let iri = annotation_iri(&art.id, &a.id);
                let item = items(&doc).iter().find(|i| i["id"] == iri.as_str()).unwrap();
                assert_eq!(item["target"]["source"]["id"], article_iri(&art.id));
                assert_eq!(item["target"]["source"]["label"], art.title.as_str());
                let pos = selector(item, "TextPositionSelector");
                assert_eq!(
                    (pos["start"].as_u64().unwrap(), pos["end"].as_u64().unwrap()),
                    (a.start as u64, a.end as u64)
                );
                let quote = selector(item, "TextQuoteSelector");
                assert_eq!(quote["exact"], a.quote.as_str());
                let span: String = chars[a.start..a.end].iter().collect();
                assert_eq!(quote["exact"], span.as_str(), "the two selectors agree");
                let prefix: String = chars[..a.start].iter().collect();
                assert!(prefix.ends_with(quote["prefix"].as_str().unwrap_or("")));
                let suffix: String = chars[a.end..].iter().collect();
                assert!(suffix.starts_with(quote["suffix"].as_str().unwrap_or("")));
                let body = item["body"].as_array().unwrap();
                assert_eq!(body[0]["purpose"], "classifying");
                assert_eq!(body[0]["value"], crate::export::label_value(cb(), a));
                assert_eq!(
                    body.len(),
                    1 + usize::from(a.note.as_deref().is_some_and(|n| !n.is_empty()))
                        + a.attributes.len()
                        + usize::from(a.entity.is_some())
                );
                if let Some(note) = &a.note {
                    assert_eq!(
                        (body[1]["purpose"].as_str(), body[1]["value"].as_str()),
                        (Some("commenting"), Some(note.as_str()))
                    );
                }
            }
        }
    }

    #[test]
    fn a_mention_has_an_identifying_body_naming_its_entity() {
        let doc: Value = serde_json::from_str(&render(&[crate::export::tests::rich_linked()], cb())).unwrap();
        let identifying = |id: &str| {
            let item = items(&doc).iter().find(|i| i["id"].as_str().unwrap().ends_with(&format!(":{id}"))).unwrap();
            item["body"].as_array().unwrap().iter().find(|b| b["purpose"] == "identifying").cloned()
        };
        let s1 = identifying("s1").unwrap();
        assert_eq!(s1["type"], "SpecificResource");
        assert_eq!(s1["source"], json!({ "id": "http://www.wikidata.org/entity/Q4526468", "label": "Дмитрий Песков" }));
        assert!(s1.get("value").is_none(), "a body with a source has no value");
        let s2 = identifying("s2").unwrap();
        assert_eq!(s2["source"], json!({ "id": "urn:newsnote:entity:kreml", "label": "kreml" }));
        assert!(identifying("c1").is_none(), "only mentions identify an entity");
    }

    #[test]
    fn a_link_targets_the_claim_and_has_its_source_as_body() {
        let arts = samples();
        let doc: Value = serde_json::from_str(&render(&arts, cb())).unwrap();
        let art = &arts[1];
        let claim = art.annotations.iter().find(|x| x.quote.starts_with("They should")).unwrap();
        let link = items(&doc).iter().find(|i| i["id"] == link_iri(&art.id, &claim.id).as_str()).unwrap();
        assert_eq!(link["motivation"], "linking");
        assert_eq!(link["target"], annotation_iri(&art.id, &claim.id).as_str());
        assert_eq!(
            link["body"][1],
            json!({"type": "TextualBody", "purpose": "tagging", "value": "source", "format": "text/plain"})
        );
        let source = items(&doc).iter().find(|i| i["id"] == link["body"][0]).unwrap();
        assert_eq!(selector(source, "TextQuoteSelector")["exact"], "Peskov");
        assert_eq!(source["body"][0]["value"], "Source");
    }

    #[test]
    fn positions_are_code_points_not_utf16_units() {
        let text = "👍🏽 Peskov said";
        let source = ann("s1", LabelId::new("Source"), text, 3, 9);
        assert_eq!(source.quote, "Peskov");
        let art = ExportArticle::new("a.txt".into(), "t".into(), text.into(), vec![source.clone()]);
        let doc: Value = serde_json::from_str(&render(
            std::slice::from_ref(&art),
            crate::model::codebook::Codebook::default_scheme(),
        ))
        .unwrap();
        let pos = selector(&items(&doc)[0], "TextPositionSelector");
        assert_eq!((pos["start"].as_u64(), pos["end"].as_u64()), (Some(3), Some(9)));
        // In UTF-16 (what a browser's DOM would count) the same span starts at 5: the two
        // astral emoji code points take two units each.
        assert_eq!((art.utf16_of(source.start), art.utf16_of(source.end)), (5, 11));
        assert_ne!(pos["start"].as_u64(), Some(art.utf16_of(source.start) as u64));
        assert_eq!(selector(&items(&doc)[0], "TextQuoteSelector")["prefix"], "👍🏽 ");
    }

    #[test]
    fn iris_are_percent_encoded_ascii_and_unambiguous() {
        assert_eq!(article_iri("dir/Ü b:1.txt"), "urn:newsnote:article:dir/%C3%9C%20b%3A1.txt");
        assert_eq!(
            annotation_iri("a:b", &AnnotationId("c".into())),
            "urn:newsnote:annotation:a%3Ab:c",
            "a colon in an id cannot shift the separator"
        );
        assert_ne!(annotation_iri("a:b", &AnnotationId("c".into())), annotation_iri("a", &AnnotationId("b:c".into())));
        let text = "Someone said";
        let arts = |id: &str| vec![ExportArticle::new(id.into(), String::new(), text.into(), vec![])];
        assert_eq!(collection_iri(&arts("x.txt")), collection_iri(&arts("x.txt")));
        assert_ne!(collection_iri(&arts("x.txt")), collection_iri(&arts("y.txt")));
    }

    #[test]
    fn labels_notes_agents_and_missing_titles() {
        let text = "Donate now. Peskov said so.";
        let mut bp = ann("b1", LabelId::new("Boilerplate"), text, 0, 11).with_value("kind", "DonationAppeal");
        bp.note = Some("appeal".into());
        bp.origin = Origin::Detector;
        bp.author = "boilerplate-detector".into();
        let art = ExportArticle::new("a b.txt".into(), "  ".into(), text.into(), vec![bp]);
        let doc: Value =
            serde_json::from_str(&render(&[art], crate::model::codebook::Codebook::default_scheme())).unwrap();
        let item = &items(&doc)[0];
        assert_eq!(item["body"][0]["value"], "Boilerplate:DonationAppeal");
        assert_eq!(
            item["body"][1],
            json!({"type": "TextualBody", "purpose": "commenting", "value": "appeal", "format": "text/plain"})
        );
        assert_eq!(item["creator"], json!({"type": "Software", "name": "boilerplate-detector"}));
        assert_eq!(
            item["target"]["source"],
            json!({"id": "urn:newsnote:article:a%20b.txt", "type": "Text", "format": "text/plain"})
        );
        let quote = selector(item, "TextQuoteSelector");
        assert!(quote.get("prefix").is_none(), "an empty prefix is left out: {quote}");
    }

    #[test]
    fn a_link_survives_its_source_being_filtered_out() {
        let text = "Peskov said peace is near.";
        let source = ann("s1", LabelId::new("Source"), text, 0, 6);
        let mut claim = ann("c1", LabelId::new("Claim"), text, 12, 25);
        claim.links.insert("source".into(), vec![source.id.clone()]);
        let mut art = ExportArticle::new("a.txt".into(), "t".into(), text.into(), vec![source, claim]);
        art.annotations.retain(|a| a.label == LabelId::new("Claim"));
        let doc: Value =
            serde_json::from_str(&render(&[art], crate::model::codebook::Codebook::default_scheme())).unwrap();
        assert_eq!(items(&doc).len(), 2);
        assert_eq!(items(&doc)[1]["body"][0], "urn:newsnote:annotation:a.txt:s1");
        assert_eq!(items(&doc)[1]["target"], "urn:newsnote:annotation:a.txt:c1");
    }

    #[test]
    fn attributes_are_bodies_fragments_targets_and_cues_links() {
        let (art, cb) = (rich(), rich_codebook());
        let doc: Value = serde_json::from_str(&render(std::slice::from_ref(&art), &cb)).unwrap();
        let iri = |id: &str| annotation_iri(&art.id, &AnnotationId(id.into()));
        let claim = items(&doc).iter().find(|i| i["id"] == iri("c1").as_str()).unwrap();
        let bodies: Vec<(&str, &str)> = claim["body"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["purpose"].as_str().unwrap(), b["value"].as_str().unwrap()))
            .collect();
        assert_eq!(
            bodies,
            [
                ("classifying", "Claim"),
                ("commenting", "отказ"),
                ("describing", "evidence:ТАСС, 3 марта"),
                ("tagging", "quote_type:direct"),
                ("tagging", "topics:war"),
                ("tagging", "topics:peace")
            ]
        );
        let targets = claim["target"].as_array().expect("one target per piece");
        let chars: Vec<char> = art.text.chars().collect();
        let mut exact = Vec::new();
        for t in targets {
            assert_eq!(t["source"]["id"], article_iri(&art.id));
            let piece = json!({ "target": t });
            let pos = selector(&piece, "TextPositionSelector");
            let (s, e) = (pos["start"].as_u64().unwrap() as usize, pos["end"].as_u64().unwrap() as usize);
            let q = selector(&piece, "TextQuoteSelector")["exact"].as_str().unwrap().to_owned();
            assert_eq!(chars[s..e].iter().collect::<String>(), q, "both selectors of a piece agree");
            exact.push(q);
        }
        assert_eq!(exact, ["«Мы не согласны»", "«и не будем»"]);
        let link = |suffix: &str| {
            let id = format!("{}{suffix}", link_iri(&art.id, &AnnotationId("c1".into())));
            items(&doc).iter().find(|i| i["id"] == id.as_str()).unwrap_or_else(|| panic!("{id}")).clone()
        };
        let (sources, cues) = (link(""), link(":cue"));
        assert_eq!(sources["body"].as_array().unwrap()[..2], [json!(iri("s1")), json!(iri("s2"))], "both sources");
        assert_eq!(sources["body"][2]["value"], "source");
        assert_eq!((&cues["body"][0], &cues["body"][1]["value"]), (&json!(iri("q1")), &json!("cue")));
        assert_eq!((&cues["motivation"], &cues["target"]), (&json!("linking"), &json!(iri("c1"))));
        let kind = items(&doc).iter().find(|i| i["id"] == iri("b1").as_str()).unwrap();
        assert_eq!(kind["body"][1]["value"], "kind:Newsletter");
        assert!(kind["target"].is_object(), "one piece, one target");
    }

    #[test]
    fn a_page_with_a_canonical_url_is_the_targets_source_with_dublin_core_metadata() {
        let page = rich_page();
        let doc: Value = serde_json::from_str(&render(&[page.clone(), rich()], cb())).unwrap();
        let source = |article: &str| {
            let item = items(&doc)
                .iter()
                .find(|i| i["id"] == annotation_iri(article, &AnnotationId("s1".into())).as_str())
                .unwrap();
            item["target"]["source"].clone()
        };
        assert_eq!(
            source("up/мир.html"),
            json!({
                "id": "https://www.pravda.com.ua/news/%D0%BC%D0%B8%D1%80/",
                "type": "Text",
                "label": "Песков",
                "dcterms:identifier": "urn:newsnote:article:up/%D0%BC%D0%B8%D1%80.html",
                "dcterms:title": "Песков: «Мы не согласны»",
                "dcterms:publisher": "Українська правда",
                "dcterms:creator": ["Олена Ковальчук", "李明"],
                "dcterms:issued": "2026-11-30T08:15:00+02:00",
                "language": "uk",
                "newsnote:section": "Новини",
            })
        );
        let plain = source("рус/a.txt");
        assert_eq!(plain["id"], article_iri("рус/a.txt"), "plain text is the corpus's file, as before");
        assert!(plain.as_object().unwrap().keys().all(|k| !k.starts_with("dcterms:")), "{plain}");
        let mut odd = page;
        odd.meta.url = Some("javascript://x.example/%0Aalert(1)".into());
        odd.meta.language = Some("Ukrainian".into());
        let doc: Value = serde_json::from_str(&render(&[odd], cb())).unwrap();
        let s1 = items(&doc).iter().find(|i| i["id"].as_str().unwrap().ends_with(":s1")).unwrap();
        let s = &s1["target"]["source"];
        assert_eq!(s["id"], article_iri("up/мир.html"), "no web URL, the corpus's IRI");
        assert!(s.get("language").is_none(), "a language the suite would refuse is left out");
    }

    #[test]
    fn an_empty_export_is_a_collection_without_pages() {
        let doc: Value =
            serde_json::from_str(&render(&[], crate::model::codebook::Codebook::default_scheme())).unwrap();
        assert_eq!(doc["total"], 0);
        assert!(doc.get("first").is_none() && doc.get("last").is_none());
    }

    /// Writes the samples' export (and [`rich`]'s) to `$NEWSNOTE_W3C_OUT` for `tests/w3c/validate.py` (and
    /// `.ci/run`): `NEWSNOTE_W3C_OUT=out.jsonld cargo test --lib export::w3c::tests::write_samples
    /// -- --ignored`.
    #[test]
    #[ignore = "writes a file for tests/w3c/validate.py; run with NEWSNOTE_W3C_OUT set"]
    fn write_samples() {
        let path = std::env::var_os("NEWSNOTE_W3C_OUT").expect("set NEWSNOTE_W3C_OUT to the file to write");
        // With the fragments, attribute values, several sources and a cue the samples lack,
        // and entities with and without a Wikidata id.
        let mut arts = samples();
        arts.push(crate::export::tests::rich_linked());
        // And a page with a canonical URL and its metadata on the target's source.
        arts.push(rich_page());
        // And open suggestions (status, origin, confidence; a Software creator).
        let mut suggested = crate::export::tests::suggested();
        suggested.id = "рус/suggested.txt".into();
        arts.push(suggested);
        std::fs::write(&path, render(&arts, &rich_codebook())).unwrap();
    }
}
