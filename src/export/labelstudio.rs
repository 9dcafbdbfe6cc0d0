//! `labelstudio`: a JSON list of Label Studio tasks, one per article, each with one annotation
//! holding newsnote's spans, attribute values, notes and links. Import it into a project set up
//! with [`config`] (`newsnote export --format labelstudio --labelstudio-config FILE` writes it
//! beside the tasks): the codebook's labels as one `Labels` tag, one per-region tag for each
//! attribute, a per-region note and the codebook's relations.
//!
//! ```text
//! [{"id": 4431…, "data": {"text": "...", "article_id": "x/a.txt", "title": "..."},
//!   "annotations": [{"id": 4431…, "result": [
//!     {"id": "e74bbc3c", "from_name": "label", "to_name": "text", "type": "labels",
//!      "value": {"start": 177, "end": 428, "text": "Russia's …", "labels": ["Claim"]}},
//!     {"id": "e74bbc3c", "from_name": "quote_type", "to_name": "text", "type": "choices",
//!      "value": {"start": 177, "end": 428, "text": "Russia's …", "choices": ["direct"]}},
//!     {"id": "e74bbc3c", "from_name": "note", "to_name": "text", "type": "textarea",
//!      "value": {"start": 177, "end": 428, "text": ["..."]}},
//!     {"from_id": "e74bbc3c", "to_id": "690a39e2", "type": "relation", "direction": "right",
//!      "labels": ["source"]}]}]}]
//! ```
//!
//! The task shape is Label Studio's JSON export/import format (labelstud.io/guide/task_format:
//! `data`, `annotations[].result[]` with `id`, `from_name`, `to_name`, `type`, `value`); text
//! spans carry `value.start`, `value.end`, `value.text`, `value.labels` (the Text tag's result
//! format); relations are `{from_id, to_id, type: "relation", direction: "bi"|"left"|"right",
//! labels}` as the editor serialises them. Region ids are newsnote's annotation ids, so they are
//! stable across exports and come back unchanged through [`crate::import::labelstudio`]. A
//! per-region result (an attribute's `choices`, `textarea`, `number` or `datetime`, or the
//! note) repeats its region's id and location; a textarea's `value.text` is a list. Tasks and
//! their annotation have an integer `id` ([`task_id`]): label-studio-converter and the SDK
//! read `task["id"]` and `annotation["id"]` and fail with `KeyError: 'id'` without them.
//! tests/interchange.rs loads the samples' export with the config through label-studio-sdk's
//! `LabelInterface` (validating every region) and converts it with label-studio-converter.
//!
//! Every link becomes a relation from the annotation to the linked one, labelled with the
//! relation's name in the codebook (`source`, `cue`); a link to an annotation left out of the
//! export (`--label claim`) is dropped, since a relation must join two regions. Label Studio
//! regions are one span each, so a discontinuous annotation is a region per piece: the first
//! keeps the annotation's id, the others are `<id>.2`, `<id>.3`… with the same label and values
//! and a `fragment` relation to the first.
//!
//! **Offsets are Unicode code points** of newsnote's text (a BOM stripped, CRLF read as LF; the
//! task's `data.text` is that text, so they always slice it). Older Label Studio (issue #1347,
//! 2021) stored JavaScript UTF-16 offsets; the editor has since converted DOM offsets to code
//! points ("In python and other modern tools complex unicode symbols handled as code points …
//! for external usage js length should be converted to code points count", `charsToCodePoints`
//! in the editor's selection-tools) and its own end-to-end test "NER - Emoji - Text: Should
//! calculate offsets by code points in text" expects `test` at 21..25 in
//! `"🐱 Warning: This is a test text"` (UTF-16 would say 22..26). So newsnote's offsets go out
//! unchanged.
//!
//! Suggestions: the coding (accepted annotations) is the task's one annotation; open
//! suggestions are `predictions`, one per detector, with `model_version` the detector's
//! origin (`quotes-1`), `score` the mean confidence (0–1) and each result's own `score`, so
//! Label Studio shows them as pre-annotations. Where a suggestion or an imported span stands
//! is also in its region's `meta.review` (`status`, `origin`, `confidence`). A link between
//! the coding and a suggestion is left out: a relation joins regions of one result list.
//! Rejected suggestions are never exported.
//!
//! An article's metadata goes into `data` as flat fields beside `text`: `headline` (the
//! metadata's title), `outlet`, `authors` (joined with `; `), `published`, `url`, `language`,
//! `section`, those known (none for plain text), so the data manager can filter by them.

use super::ExportArticle;
use super::html::escape;
use super::stream::{self, DocSink, Part, Written};
use crate::model::annotation::{Annotation, AttrValue};
use crate::model::codebook::{AttrKind, AttributeDef, Codebook};
use serde_json::{Value, json};
use std::fmt::Write;

/// `from_name` of span results: the config's `Labels` tag.
pub const LABELS_NAME: &str = "label";
/// `to_name` of every result: the config's `Text` tag.
pub const TEXT_NAME: &str = "text";
/// `from_name` of note results: a per-region `TextArea`.
pub const NOTE_NAME: &str = "note";
/// The relation from a further piece of a discontinuous annotation to its first piece: Label
/// Studio's regions are one span each.
pub const FRAGMENT_RELATION: &str = "fragment";

/// The control name of an attribute's per-region tag: its id, or `attr_<id>` when that is
/// one of the names above.
pub fn control_name(d: &AttributeDef) -> String {
    if [LABELS_NAME, TEXT_NAME, NOTE_NAME].contains(&d.id.as_str()) { format!("attr_{}", d.id) } else { d.id.clone() }
}

/// The labeling configuration for the codebook (Settings → Labeling Interface → Code): one
/// `Labels` tag with every label, one per-region tag for each attribute (shown when a region
/// of a label it applies to is selected), a per-region note, and the codebook's relations.
/// `white-space: pre-wrap` keeps the article's line breaks and spaces as they are counted.
pub fn config(cb: &Codebook) -> String {
    let mut out = String::from("<View>\n  <Style>.htx-text { white-space: pre-wrap; }</Style>\n  <Relations>\n");
    for r in &cb.relations {
        let _ = writeln!(out, "    <Relation value=\"{}\"/>", escape(&r.name));
    }
    let _ = writeln!(out, "    <Relation value=\"{FRAGMENT_RELATION}\"/>\n  </Relations>");
    let _ = writeln!(out, "  <Labels name=\"{LABELS_NAME}\" toName=\"{TEXT_NAME}\">");
    for l in &cb.labels {
        let _ = writeln!(out, "    <Label value=\"{}\" background=\"{}\"/>", escape(&l.id), l.look.colour.css());
    }
    let _ = writeln!(out, "  </Labels>\n  <Text name=\"{TEXT_NAME}\" value=\"${TEXT_NAME}\"/>");
    for d in &cb.attributes {
        let name = escape(&control_name(d));
        let to = format!("toName=\"{TEXT_NAME}\" perRegion=\"true\"");
        // Several labels: Label Studio reads a comma-separated whenLabelValue.
        let _ = writeln!(
            out,
            "  <View visibleWhen=\"region-selected\" whenLabelValue=\"{}\">\n    <Header value=\"{}\"/>",
            escape(&d.labels.join(",")),
            escape(&d.name)
        );
        let required = if d.required { " required=\"true\"" } else { "" };
        match &d.kind {
            AttrKind::One(vs) | AttrKind::Many(vs) => {
                let choice = if matches!(d.kind, AttrKind::Many(_)) { "multiple" } else { "single" };
                let _ = writeln!(out, "    <Choices name=\"{name}\" {to} choice=\"{choice}\"{required}>");
                for v in vs {
                    let _ = writeln!(out, "      <Choice value=\"{}\" hint=\"{}\"/>", escape(&v.id), escape(&v.name));
                }
                out.push_str("    </Choices>\n");
            }
            AttrKind::YesNo => {
                let _ = writeln!(out, "    <Choices name=\"{name}\" {to} choice=\"single\"{required}>");
                out.push_str("      <Choice value=\"yes\"/>\n      <Choice value=\"no\"/>\n    </Choices>\n");
            }
            AttrKind::Number => _ = writeln!(out, "    <Number name=\"{name}\" {to}{required}/>"),
            AttrKind::Date => _ = writeln!(out, "    <DateTime name=\"{name}\" {to} only=\"date\"{required}/>"),
            AttrKind::Text | AttrKind::Url => {
                let _ = writeln!(
                    out,
                    "    <TextArea name=\"{name}\" {to} editable=\"true\" maxSubmissions=\"1\"{required}/>"
                );
            }
        }
        out.push_str("  </View>\n");
    }
    let _ = writeln!(
        out,
        "  <View visibleWhen=\"region-selected\">\n    <TextArea name=\"{NOTE_NAME}\" toName=\"{TEXT_NAME}\" \
         perRegion=\"true\" editable=\"true\" maxSubmissions=\"1\" placeholder=\"Note\"/>\n  </View>\n</View>"
    );
    out
}

/// A task id derived from the article id (FNV-1a 64, cut to 53 bits so JavaScript reads it
/// exactly): stable across exports, unique in any realistic corpus, and independent of the
/// other articles, so tasks can be written one at a time.
pub fn task_id(article: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in article.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h & ((1 << 53) - 1)
}

/// The region result of one piece, and the per-region results that repeat its id and place.
fn region(id: &str, from_name: &str, kind: &str, start: usize, end: usize, text: &str, extra: (&str, Value)) -> Value {
    let mut value = json!({ "start": start, "end": end, "text": text });
    value[extra.0] = extra.1;
    json!({ "id": id, "from_name": from_name, "to_name": TEXT_NAME, "type": kind, "value": value })
}

fn relation(from: &str, to: &str, label: &str) -> Value {
    json!({ "from_id": from, "to_id": to, "type": "relation", "direction": "right", "labels": [label] })
}

/// A region id for every piece: the annotation's id for the first, `<id>.2`, `<id>.3`… after.
fn piece_ids(a: &Annotation) -> Vec<String> {
    (0..=a.fragments.len()).map(|i| if i == 0 { a.id.0.clone() } else { format!("{}.{}", a.id.0, i + 1) }).collect()
}

/// The results of one annotation: a region per piece with its per-region results, and the
/// `fragment` relations joining the pieces. A suggestion's results carry its `score` (the
/// detector's confidence, 0–1), as Label Studio's predictions do.
fn results_of(art: &ExportArticle, a: &Annotation, cb: &Codebook, result: &mut Vec<Value>) {
    let review = super::Review::of(a);
    let score = review.confidence.map(|c| f64::from(c) / 100.0);
    let ids = piece_ids(a);
    let start = result.len();
    for ((span, quote), id) in a.pieces().zip(&ids) {
        let (s, e) = (span.start, span.end);
        let mut labels = region(id, LABELS_NAME, "labels", s, e, quote, ("labels", json!([a.label.as_str()])));
        // A mention's entity as region meta: Label Studio shows `meta.text` in the region's
        // panel and keeps the other keys through its export.
        if let Some(ent) = art.entity(a) {
            labels["meta"] = json!({ "text": [ent.label()], "entity": super::json::entity(&ent) });
        }
        // Where a suggestion (or an imported span) stands, kept with the region like the entity.
        if review.describe().is_some() {
            let mut r = json!({ "status": review.status, "origin": review.origin });
            if let Some(c) = review.confidence {
                r["confidence"] = json!(c);
            }
            labels["meta"]["review"] = r;
        }
        result.push(labels);
        for (attr, v) in &a.attributes {
            let name = cb.attribute(attr).map_or_else(|| attr.clone(), control_name);
            let (kind, extra) = match v {
                AttrValue::One(_) | AttrValue::Many(_) => ("choices", ("choices", json!(v.ids()))),
                AttrValue::YesNo(_) => ("choices", ("choices", json!([v.to_string()]))),
                AttrValue::Number(n) => match serde_json::from_str::<serde_json::Number>(n.trim()) {
                    Ok(n) => ("number", ("number", Value::from(n))),
                    Err(_) => ("textarea", ("text", json!([n]))),
                },
                AttrValue::Date(d) => ("datetime", ("datetime", json!(d))),
                AttrValue::Text(t) | AttrValue::Url(t) => ("textarea", ("text", json!([t]))),
            };
            // A textarea's `value.text` is what was typed (a list), in place of the quote.
            result.push(region(id, &name, kind, s, e, quote, extra));
        }
        if let Some(note) = &a.note {
            result.push(region(id, NOTE_NAME, "textarea", s, e, quote, ("text", json!([note]))));
        }
    }
    if let Some(score) = score.filter(|_| a.is_proposed()) {
        for r in &mut result[start..] {
            r["score"] = json!(score);
        }
    }
    for id in &ids[1..] {
        result.push(relation(id, &ids[0], FRAGMENT_RELATION));
    }
}

/// The Label Studio task of one article: the coding (accepted annotations) as its one
/// annotation, and the open suggestions as predictions, one per detector (`model_version` its
/// origin, `quotes-1`; `score` the mean confidence), so Label Studio shows them as
/// pre-annotations a reviewer accepts into the annotation. A relation joins two regions of
/// one result list: a link between the coding and a suggestion has no place and is left out.
pub fn task(art: &ExportArticle, cb: &Codebook) -> Value {
    let mut result = Vec::new();
    // By origin, in the order first seen: the results and the confidences of each.
    let mut predictions: Vec<(String, Vec<Value>, Vec<u8>)> = Vec::new();
    let mut home: std::collections::HashMap<&str, Option<usize>> = std::collections::HashMap::new();
    for a in &art.annotations {
        if a.is_proposed() {
            let r = super::Review::of(a);
            let at = match predictions.iter().position(|(o, _, _)| *o == r.origin) {
                Some(i) => i,
                None => {
                    predictions.push((r.origin.clone(), Vec::new(), Vec::new()));
                    predictions.len() - 1
                }
            };
            results_of(art, a, cb, &mut predictions[at].1);
            predictions[at].2.extend(r.confidence);
            home.insert(a.id.0.as_str(), Some(at));
        } else {
            results_of(art, a, cb, &mut result);
            home.insert(a.id.0.as_str(), None);
        }
    }
    for a in &art.annotations {
        for (rel, targets) in &a.links {
            let label = cb.relation(rel).map_or(rel.as_str(), |r| r.name.as_str());
            let from = home[a.id.0.as_str()];
            for t in targets.iter().filter(|t| home.get(t.0.as_str()) == Some(&from)) {
                let list = match from {
                    None => &mut result,
                    Some(i) => &mut predictions[i].1,
                };
                list.push(relation(&a.id.0, &t.0, label));
            }
        }
    }
    let id = task_id(&art.id);
    let mut data = json!({
        "text": art.text,
        "article_id": art.id,
        "title": art.title,
        "text_normalisation": super::TEXT_NORMALISATION,
    });
    // The metadata as flat data fields: the data manager shows each as a column to filter
    // and sort by, and a labeling config may show one (`$outlet`).
    data.as_object_mut().expect("an object").extend(super::json::meta_fields(&art.meta, true));
    let mut task = json!({
        "id": id,
        "data": data,
        "annotations": [{ "id": id, "result": result }],
    });
    if !predictions.is_empty() {
        task["predictions"] = predictions
            .into_iter()
            .map(|(origin, result, scores)| {
                let score = scores.iter().map(|&c| f64::from(c)).sum::<f64>() / scores.len().max(1) as f64 / 100.0;
                json!({ "model_version": origin, "score": (score * 1000.0).round() / 1000.0, "result": result })
            })
            .collect();
    }
    task
}

pub fn render(articles: &[ExportArticle], cb: &Codebook) -> String {
    stream::document_of(&mut Tasks::new(cb), articles)
}

/// The tasks as one pretty-printed JSON array, a task per article.
pub struct Tasks<'a>(&'a Codebook);

impl<'a> Tasks<'a> {
    pub fn new(cb: &'a Codebook) -> Self {
        Self(cb)
    }
}

impl DocSink for Tasks<'_> {
    fn begin(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        w.write_all(b"[")
    }

    fn render(&self, _at: usize, a: &ExportArticle) -> Part {
        stream::elements([task(a, self.0)], 1)
    }

    fn put(&self, w: &mut dyn std::io::Write, part: &Part, before: Written) -> std::io::Result<()> {
        stream::put_elements(w, part, before)
    }

    fn end(&self, w: &mut dyn std::io::Write, all: Written) -> std::io::Result<()> {
        stream::close_elements(w, all, 0)?;
        w.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doccano::tests::astral_article;
    use crate::export::tests::{cb, rich, rich_codebook, samples};
    use serde_json::Value;
    use serde_json::json;

    fn results(out: &str) -> Vec<Value> {
        let v: Value = serde_json::from_str(out).unwrap();
        v[0]["annotations"][0]["result"].as_array().unwrap().clone()
    }

    #[test]
    fn astral_offsets_stay_code_points_and_slice_to_the_quote() {
        let out = render(&[astral_article()], crate::model::codebook::Codebook::default_scheme());
        let r = results(&out);
        assert_eq!((r[0]["value"]["start"].as_u64(), r[0]["value"]["end"].as_u64()), (Some(3), Some(9)));
        let text: Vec<char> = "👍🏽 Peskov said “no”".chars().collect();
        assert_eq!(text[3..9].iter().collect::<String>(), r[0]["value"]["text"].as_str().unwrap());
    }

    #[test]
    fn a_pages_metadata_is_in_the_tasks_data_and_plain_text_has_none() {
        let tasks: Value =
            serde_json::from_str(&render(&[crate::export::tests::rich_page(), crate::export::tests::rich()], cb()))
                .unwrap();
        let d = &tasks[0]["data"];
        assert_eq!(
            (d["outlet"].as_str(), d["authors"].as_str()),
            (Some("Українська правда"), Some("Олена Ковальчук; 李明"))
        );
        assert_eq!((d["published"].as_str(), d["language"].as_str()), (Some("2026-11-30T08:15:00+02:00"), Some("uk")));
        assert_eq!(
            (d["url"].as_str(), d["section"].as_str()),
            (Some("https://www.pravda.com.ua/news/мир/"), Some("Новини"))
        );
        assert_eq!((d["headline"].as_str(), d["title"].as_str()), (Some("Песков: «Мы не согласны»"), Some("Песков")));
        let plain = tasks[1]["data"].as_object().unwrap();
        assert_eq!(plain.keys().collect::<Vec<_>>(), ["article_id", "text", "text_normalisation", "title"]);
    }

    #[test]
    fn a_mentions_label_region_carries_its_entity_as_meta() {
        let out = render(&[crate::export::tests::rich_linked()], cb());
        let rs = results(&out);
        let label = |id: &str| rs.iter().find(|r| r["id"] == id && r["type"] == "labels").unwrap().clone();
        let s1 = label("s1");
        assert_eq!(s1["meta"]["text"], json!(["Дмитрий Песков"]));
        assert_eq!(s1["meta"]["entity"]["wikidata"], "Q4526468");
        assert_eq!(s1["meta"]["entity"]["attributes"]["type"]["value"], "official");
        assert_eq!(
            (label("s2")["meta"]["entity"]["id"].as_str(), label("s2")["meta"]["entity"]["name"].as_str()),
            (Some("kreml"), None)
        );
        assert!(label("c1").get("meta").is_none());
    }

    #[test]
    fn notes_are_per_region_textareas_with_the_region_id() {
        let r = results(&render(&[astral_article()], crate::model::codebook::Codebook::default_scheme()));
        let note = r.iter().find(|x| x["type"] == "textarea").unwrap();
        let claim = r.iter().find(|x| x["value"]["labels"][0] == "Claim").unwrap();
        assert_eq!(note["id"], claim["id"]);
        assert_eq!(note["value"]["text"], serde_json::json!(["a flat denial"]));
        assert_eq!((note["from_name"].as_str(), note["value"]["start"].as_u64()), (Some(NOTE_NAME), Some(15)));
    }

    #[test]
    fn relations_run_from_claim_to_source_by_region_id() {
        let a = astral_article();
        let r = results(&render(std::slice::from_ref(&a), crate::model::codebook::Codebook::default_scheme()));
        let rel = r.iter().find(|x| x["type"] == "relation").unwrap();
        assert_eq!(rel["from_id"], a.annotations[1].id.0.as_str());
        assert_eq!(rel["to_id"], a.annotations[0].id.0.as_str());
        assert_eq!((rel["direction"].as_str(), rel["labels"][0].as_str()), (Some("right"), Some("source")));
    }

    #[test]
    fn samples_become_one_task_each_with_every_annotation_and_ids() {
        let v: Value = serde_json::from_str(&render(&samples(), cb())).unwrap();
        let tasks = v.as_array().unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[1]["data"]["article_id"], "002_915808095f53d4db.txt");
        let spans: usize = tasks
            .iter()
            .map(|t| t["annotations"][0]["result"].as_array().unwrap().iter().filter(|x| x["type"] == "labels").count())
            .sum();
        assert_eq!(spans, 93);
        for t in tasks {
            let id = t["id"].as_u64().expect("an integer task id");
            assert_eq!(t["annotations"][0]["id"].as_u64(), Some(id));
            assert!(id < 1 << 53, "exact in JavaScript");
        }
        assert_ne!(tasks[0]["id"], tasks[1]["id"]);
    }

    #[test]
    fn attribute_values_are_per_region_results_and_every_link_a_relation() {
        let (art, cb) = (rich(), rich_codebook());
        let r = results(&render(std::slice::from_ref(&art), &cb));
        let of = |id: &str, from: &str| {
            r.iter().find(|x| x["id"] == id && x["from_name"] == from).unwrap_or_else(|| panic!("{id} {from}")).clone()
        };
        assert_eq!(of("c1", "label")["value"]["labels"], json!(["Claim"]));
        assert_eq!(
            (of("c1", "quote_type")["type"].as_str(), &of("c1", "quote_type")["value"]["choices"]),
            (Some("choices"), &json!(["direct"]))
        );
        assert_eq!(of("c1", "topics")["value"]["choices"], json!(["war", "peace"]));
        assert_eq!(of("c1", "evidence")["value"]["text"], json!(["ТАСС, 3 марта"]));
        assert_eq!(of("b1", "kind")["value"]["choices"], json!(["Newsletter"]));
        assert_eq!(of("b1", "label")["value"]["labels"], json!(["Boilerplate"]), "the kind is a choice, not a label");
        let second = of("c1.2", "label");
        assert_eq!(
            (second["value"]["start"].as_u64(), second["value"]["text"].as_str()),
            (Some(37), Some("«и не будем»"))
        );
        assert_eq!(of("c1.2", "topics")["value"]["choices"], json!(["war", "peace"]), "every piece has the values");
        let rels: Vec<(String, String, String)> = r
            .iter()
            .filter(|x| x["type"] == "relation")
            .map(|x| (x["from_id"].to_string(), x["to_id"].to_string(), x["labels"][0].to_string()))
            .collect();
        let rel = |f: &str, t: &str, l: &str| (format!("{f:?}"), format!("{t:?}"), format!("{l:?}"));
        assert_eq!(
            rels,
            [
                rel("c1.2", "c1", "fragment"),
                rel("c1", "q1", "cue"),
                rel("c1", "s1", "source"),
                rel("c1", "s2", "source")
            ]
        );
    }

    #[test]
    fn the_labeling_config_has_every_label_attribute_value_and_relation() {
        let cb = rich_codebook();
        let c = config(&cb);
        for l in &cb.labels {
            assert!(c.contains(&format!("<Label value=\"{}\"", l.id)), "{}", l.id);
        }
        for d in &cb.attributes {
            assert!(
                c.contains(&format!("name=\"{}\" toName=\"{TEXT_NAME}\" perRegion=\"true\"", control_name(d))),
                "{}",
                d.id
            );
            for v in d.kind.values() {
                assert!(c.contains(&format!("<Choice value=\"{}\"", v.id)), "{}", v.id);
            }
        }
        assert!(c.contains("choice=\"multiple\"") && c.contains("<TextArea name=\"evidence\""));
        assert!(c.contains("whenLabelValue=\"Boilerplate\"") && c.contains("whenLabelValue=\"Claim\""));
        for r in &cb.relations {
            assert!(c.contains(&format!("<Relation value=\"{}\"/>", r.name)));
        }
        let names = format!("name=\"{LABELS_NAME}\" toName=\"{TEXT_NAME}\"");
        assert!(c.contains(&names) && c.contains(&format!("name=\"{NOTE_NAME}\"")));
        let parsed = c.matches("<View").count();
        assert_eq!(parsed, c.matches("</View>").count(), "balanced views");
    }
}
