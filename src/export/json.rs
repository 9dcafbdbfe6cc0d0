//! `json` and `jsonl`: newsnote's own interchange, the whole model in plain JSON.
//!
//! `jsonl` writes one article object per line so DuckDB (`read_json_auto`) and pandas
//! (`read_json(lines=True)`) load it directly; `json` wraps the same objects in one document.
//! Both carry `offset_unit` so nobody has to guess what `start`/`end` count.

use super::{ExportArticle, OFFSET_UNIT, label_parts};
use crate::model::annotation::Annotation;
use crate::model::codebook::Codebook;
use serde_json::{Value, json};

pub fn annotation(a: &Annotation, cb: &Codebook) -> Value {
    let (label, kind) = label_parts(cb, a);
    let sources: Vec<&str> =
        cb.source_relation().map(|r| a.linked(&r.id)).unwrap_or_default().iter().map(|s| s.0.as_str()).collect();
    let mut v = json!({
        "id": a.id.0,
        "label": label,
        "kind": kind,
        "start": a.start,
        "end": a.end,
        "quote": a.quote,
        "prefix": a.prefix,
        "suffix": a.suffix,
        "note": a.note,
        "source": sources.first(),
        "author": a.author,
        "created": a.created,
        "modified": a.modified,
        "origin": a.origin.as_str(),
        "status": a.status.as_str(),
    });
    // A claim made by several sources: the others after `source` (absent for one).
    if sources.len() > 1 {
        v["more_sources"] = sources[1..].iter().map(|s| Value::from(*s)).collect();
    }
    v
}

pub fn article(a: &ExportArticle, cb: &Codebook) -> Value {
    json!({
        "id": a.id,
        "title": a.title,
        "fingerprint": { "chars": a.fingerprint.chars, "fnv1a64": a.fingerprint.fnv1a64 },
        "offset_unit": OFFSET_UNIT,
        "annotations": a.annotations.iter().map(|x| annotation(x, cb)).collect::<Vec<_>>(),
    })
}

pub fn corpus(articles: &[ExportArticle], cb: &Codebook) -> String {
    let doc = json!({
        "generator": format!("newsnote {}", env!("CARGO_PKG_VERSION")),
        "offset_unit": OFFSET_UNIT,
        "articles": articles.iter().map(|a| article(a, cb)).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values always serialise");
    s.push('\n');
    s
}

pub fn lines(articles: &[ExportArticle], cb: &Codebook) -> String {
    articles.iter().map(|a| format!("{}\n", article(a, cb))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tests::{cb, samples};

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
    fn jsonl_is_one_parsable_article_per_line() {
        let out = lines(&samples(), cb());
        let rows: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["id"], "000_e37f52fc02921a26.txt");
    }
}
