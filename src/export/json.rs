//! `json` and `jsonl`: newsnote's own interchange, the whole model in plain JSON.
//!
//! `jsonl` writes one article object per line so DuckDB (`read_json_auto`) and pandas
//! (`read_json(lines=True)`) load it directly; `json` wraps the same objects in one document.
//! Both carry `offset_unit` so nobody has to guess what `start`/`end` count.

use super::stream::{self, DocSink, Part, Written};
use super::{ExportArticle, OFFSET_UNIT, label_parts};
use crate::model::annotation::Annotation;
use crate::model::codebook::Codebook;
use serde_json::{Value, json};
use std::io::{self, Write};

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
    let mut v = json!({
        "id": a.id,
        "title": a.title,
        "fingerprint": { "chars": a.fingerprint.chars, "fnv1a64": a.fingerprint.fnv1a64 },
        "offset_unit": OFFSET_UNIT,
    });
    // Moved in, not through `json!`, which would copy every annotation's tree again.
    v["annotations"] = Value::Array(a.annotations.iter().map(|x| annotation(x, cb)).collect());
    v
}

pub fn corpus(articles: &[ExportArticle], cb: &Codebook) -> String {
    stream::document_of(&mut Corpus::new(cb), articles)
}

pub fn lines(articles: &[ExportArticle], cb: &Codebook) -> String {
    stream::document_of(&mut Lines::new(cb), articles)
}

/// `json`: `{ "articles": [ … ], "generator", "offset_unit" }`, pretty-printed, the keys in
/// serde_json's (alphabetical) order, so the articles come first and stream.
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
        let generator = Value::from(format!("newsnote {}", env!("CARGO_PKG_VERSION")));
        writeln!(w, ",\n  \"generator\": {generator},\n  \"offset_unit\": {}\n}}", Value::from(OFFSET_UNIT))
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
    use crate::export::tests::{cb, samples};

    #[test]
    fn corpus_json_parses_and_keeps_every_annotation_with_its_unit() {
        let v: Value = serde_json::from_str(&corpus(&samples(), cb())).unwrap();
        assert_eq!(v["offset_unit"], OFFSET_UNIT);
        let arts = v["articles"].as_array().unwrap();
        assert_eq!(arts.len(), 2);
        let n: usize = arts.iter().map(|a| a["annotations"].as_array().unwrap().len()).sum();
        assert_eq!(n, 67);
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
