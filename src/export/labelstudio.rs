//! `labelstudio`: a JSON list of Label Studio tasks, one per article, each with one annotation
//! holding newsnote's spans, notes and claim → source relations. Import it into a project set
//! up with [`LABEL_CONFIG`] (Label Studio's "Named Entity Recognition" template with newsnote's
//! labels, a relation label and a per-region note).
//!
//! ```text
//! [{"data": {"text": "...", "article_id": "x/a.txt", "title": "..."},
//!   "annotations": [{"result": [
//!     {"id": "690a39e2", "from_name": "label", "to_name": "text", "type": "labels",
//!      "value": {"start": 148, "end": 159, "text": "The Kremlin", "labels": ["Source"]}},
//!     {"id": "690a39e2", "from_name": "note", "to_name": "text", "type": "textarea",
//!      "value": {"start": 148, "end": 159, "text": ["..."]}},
//!     {"from_id": "e74bbc3c", "to_id": "690a39e2", "type": "relation", "direction": "right",
//!      "labels": ["AttributedTo"]}]}]}]
//! ```
//!
//! The task shape is Label Studio's JSON export/import format (labelstud.io/guide/task_format:
//! `data`, `annotations[].result[]` with `id`, `from_name`, `to_name`, `type`, `value`); text
//! spans carry `value.start`, `value.end`, `value.text`, `value.labels` (the Text tag's result
//! format); relations are `{from_id, to_id, type: "relation", direction: "bi"|"left"|"right",
//! labels}` as the editor serialises them. Region ids are newsnote's annotation ids, so they are
//! stable across exports and come back unchanged through [`crate::import::labelstudio`]. A
//! per-region TextArea result repeats its region's id and location, with `value.text` a list.
//! [`LABEL_CONFIG`] and the samples' export pass label-studio-sdk 2.1.2's `LabelInterface`
//! checks (`validate()` on the config, every region and relation of both annotations; checked
//! by hand, the SDK is not a test dependency).
//!
//! **Offsets are Unicode code points.** Older Label Studio (issue #1347, 2021) stored
//! JavaScript UTF-16 offsets; the editor has since converted DOM offsets to code points
//! ("In python and other modern tools complex unicode symbols handled as code points … for
//! external usage js length should be converted to code points count", `charsToCodePoints` in
//! the editor's selection-tools) and its own end-to-end test "NER - Emoji - Text: Should
//! calculate offsets by code points in text" expects `test` at 21..25 in
//! `"🐱 Warning: This is a test text"` (UTF-16 would say 22..26). So newsnote's offsets go out
//! unchanged. Kinds are part of the label name (`Boilerplate:DonationAppeal`, [`label_name`]),
//! which keeps the template a single `Labels` block; a relation whose source is filtered out of
//! the export is dropped, as in doccano.

use super::ExportArticle;
use super::doccano::{RELATION_TYPE, label_name};
use crate::model::annotation::Annotation;
use serde::Serialize;

/// `from_name` of span results: the NER template's `Labels` tag.
pub const LABELS_NAME: &str = "label";
/// `to_name` of every result: the template's `Text` tag.
pub const TEXT_NAME: &str = "text";
/// `from_name` of note results: a per-region `TextArea`.
pub const NOTE_NAME: &str = "note";

/// The labeling configuration for exported tasks (Settings → Labeling Interface → Code).
/// `white-space: pre-wrap` keeps the article's line breaks and spaces as they are counted.
pub const LABEL_CONFIG: &str = include_str!("../../assets/labelstudio.xml");

#[derive(Serialize)]
struct Task<'a> {
    data: Data<'a>,
    annotations: [Coding<'a>; 1],
}

#[derive(Serialize)]
struct Data<'a> {
    text: &'a str,
    article_id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct Coding<'a> {
    result: Vec<Item<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Item<'a> {
    Span(Region<'a, SpanValue<'a>>),
    Note(Region<'a, NoteValue<'a>>),
    Relation(Relation<'a>),
}

#[derive(Serialize)]
struct Region<'a, V> {
    id: &'a str,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: V,
}

#[derive(Serialize)]
struct SpanValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [String; 1],
}

#[derive(Serialize)]
struct NoteValue<'a> {
    start: usize,
    end: usize,
    text: [&'a str; 1],
}

#[derive(Serialize)]
struct Relation<'a> {
    from_id: &'a str,
    to_id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    direction: &'static str,
    labels: [&'static str; 1],
}

fn region<'a, V>(a: &'a Annotation, from_name: &'static str, kind: &'static str, value: V) -> Region<'a, V> {
    Region { id: &a.id.0, from_name, to_name: TEXT_NAME, kind, value }
}

fn task<'a>(a: &'a ExportArticle, cb: &crate::model::codebook::Codebook) -> Task<'a> {
    let exported = |id| a.annotations.iter().any(|x| &x.id == id);
    let mut result = Vec::new();
    for x in &a.annotations {
        let value = SpanValue { start: x.start, end: x.end, text: &x.quote, labels: [label_name(cb, x)] };
        result.push(Item::Span(region(x, LABELS_NAME, "labels", value)));
        if let Some(note) = &x.note {
            let value = NoteValue { start: x.start, end: x.end, text: [note] };
            result.push(Item::Note(region(x, NOTE_NAME, "textarea", value)));
        }
    }
    for x in &a.annotations {
        if let Some(s) = a.source_of(cb, x).filter(|s| exported(&s.id)) {
            result.push(Item::Relation(Relation {
                from_id: &x.id.0,
                to_id: &s.id.0,
                kind: "relation",
                direction: "right",
                labels: [RELATION_TYPE],
            }));
        }
    }
    Task { data: Data { text: &a.text, article_id: &a.id, title: &a.title }, annotations: [Coding { result }] }
}

pub fn render(articles: &[ExportArticle], cb: &crate::model::codebook::Codebook) -> String {
    let tasks: Vec<Task> = articles.iter().map(|a| task(a, cb)).collect();
    serde_json::to_string_pretty(&tasks).expect("tasks always serialise") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::doccano::tests::astral_article;
    use crate::export::tests::{cb, samples};
    use serde_json::Value;

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
        assert_eq!((rel["direction"].as_str(), rel["labels"][0].as_str()), (Some("right"), Some("AttributedTo")));
    }

    #[test]
    fn samples_become_one_task_each_with_every_annotation() {
        let v: Value = serde_json::from_str(&render(&samples(), cb())).unwrap();
        let tasks = v.as_array().unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[1]["data"]["article_id"], "002_915808095f53d4db.txt");
        let spans: usize = tasks
            .iter()
            .map(|t| t["annotations"][0]["result"].as_array().unwrap().iter().filter(|x| x["type"] == "labels").count())
            .sum();
        assert_eq!(spans, 93);
    }

    #[test]
    fn the_labeling_config_offers_every_exported_label() {
        let cb = cb();
        for l in &cb.labels {
            let names: Vec<String> = match cb.asked_on_tag(&l.id) {
                Some(d) => d.kind.values().iter().map(|v| format!("{}:{}", l.id, v.id)).collect(),
                None => vec![l.id.clone()],
            };
            for n in names {
                assert!(LABEL_CONFIG.contains(&format!("<Label value=\"{n}\"")), "{n}");
            }
        }
        assert!(LABEL_CONFIG.contains(&format!("<Relation value=\"{RELATION_TYPE}\"/>")));
        let names = format!("name=\"{LABELS_NAME}\" toName=\"{TEXT_NAME}\"");
        assert!(LABEL_CONFIG.contains(&names) && LABEL_CONFIG.contains(&format!("name=\"{NOTE_NAME}\"")));
    }
}
