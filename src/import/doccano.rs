//! `doccano` import: doccano JSONL in both of its span shapes, one document per record.
//!
//! - relation extraction: `{"text", "entities": [{"id", "start_offset", "end_offset", "label"}],
//!   "relations": [{"from_id", "to_id", "type"}]}`
//! - sequence labelling: `{"text", "label": [[start, end, "TAG"], ...]}` (also `labels`, and span
//!   objects inside `label`, which doccano's importer accepts too)
//!
//! The file may be true JSONL or, as doccano's own relation-extraction example is, one
//! pretty-printed object spread over many lines: if the first non-empty line is not a JSON value
//! by itself, the file is read as a stream of JSON values (objects, or lists of objects).
//! Syntax errors name the file and line: the record's line for JSONL, serde_json's line
//! otherwise. A record without a `text` string is an error.
//!
//! **Offsets are read as UTF-16 code units**, the unit doccano's editor produces (see
//! [`crate::export::doccano`] for the evidence), unless the record says otherwise in
//! `meta.offset_unit` (`"unicode-code-point"` or `"utf-16-code-unit"`; newsnote writes it). An
//! offset that would split a surrogate pair cannot be UTF-16 and is reported. doccano spans carry
//! no text, so nothing else can check the unit: a file made by a Python script that counted code
//! points, over text with emoji, needs `"offset_unit": "unicode-code-point"` in each record's meta.
//!
//! Labels go through the [`LabelMap`]; unknown ones are skipped with a warning per record and
//! label. Category labels (plain strings in `label`) are not spans and are reported. Identical
//! spans (same label and offsets, e.g. two coders in one export) are kept once with a warning;
//! overlapping ones are kept. A relation between a claim and a source (either direction, any
//! type) links the claim to the source; others are reported. `meta.notes` (newsnote's export)
//! restores notes, `meta.review` each suggestion's status, detector and confidence, so a
//! suggestion comes back a suggestion. The document name is `meta.article_id`, else `meta.filename` (or the same keys
//! at the top level, where doccano's export flattens meta).
//!
//! `DocBuilder` here is shared with the Label Studio reader.

use super::{ImportError, ImportedDoc, LabelMap, Target};
use crate::model::annotation::{Annotation, AnnotationId, LabelId, Origin, now_rfc3339};
use crate::model::codebook::Codebook;
use crate::model::units::Utf16Index;
use crate::model::units::{ByteRange, CharIndex, CharRange};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Builds one document's annotations: code-point spans in, unique ids, duplicates dropped,
/// claim → source links, warnings collected.
pub(super) struct DocBuilder<'a> {
    pub text: &'a str,
    pub index: CharIndex,
    pub utf16: Utf16Index,
    author: &'a str,
    cb: &'a Codebook,
    now: String,
    anns: Vec<Annotation>,
    spans: HashMap<(LabelId, usize, usize), usize>,
    ids: HashSet<String>,
    pub warnings: Vec<String>,
}

impl<'a> DocBuilder<'a> {
    pub fn new(text: &'a str, author: &'a str, cb: &'a Codebook) -> Self {
        let (index, utf16) = (CharIndex::new(text), Utf16Index::new(text));
        let now = now_rfc3339();
        let (anns, spans, ids, warnings) = Default::default();
        Self { text, index, utf16, author, cb, now, anns, spans, ids, warnings }
    }

    pub fn chars(&self) -> usize {
        self.index.total_chars()
    }

    /// The text of code points `start..end`, if that is a span of the text.
    pub fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        let (s, e) = (self.index.byte_of(self.text, start)?, self.index.byte_of(self.text, end)?);
        (s <= e).then(|| &self.text[s..e])
    }

    /// Adds a span in code points under `id` (a fresh id if `None` or taken). Returns the id of
    /// the annotation now holding the span: the earlier one for a duplicate, `None` if invalid.
    pub fn add(
        &mut self,
        target: &Target,
        start: usize,
        end: usize,
        id: Option<String>,
        what: &str,
    ) -> Option<AnnotationId> {
        let Some(quote) = self.slice(start, end).filter(|_| start < end) else {
            self.warn(format!(
                "{what}: span {start}..{end} is empty or outside the text ({} chars); skipped",
                self.chars()
            ));
            return None;
        };
        let label = target.label.clone();
        if let Some(&i) = self.spans.get(&(label.clone(), start, end)) {
            let kept = &self.anns[i].id;
            self.warn(format!("{what}: duplicate of {kept} ({label} {start}..{end} {quote:?}); kept once"));
            return Some(self.anns[i].id.clone());
        }
        let b = self.index.byte_of(self.text, start).expect("checked by slice");
        let bytes = ByteRange::new(b, b + quote.len());
        let mut a =
            Annotation::new_manual(label.clone(), self.text, bytes, CharRange::new(start, end), self.author, &self.now);
        target.apply(&mut a);
        a.origin = Origin::Imported;
        match id.filter(|id| !id.trim().is_empty() && !self.ids.contains(id)) {
            Some(id) => a.id = AnnotationId(id),
            None => {
                while self.ids.contains(&a.id.0) {
                    a.id = AnnotationId::fresh();
                }
            }
        }
        self.ids.insert(a.id.0.clone());
        self.spans.insert((label, start, end), self.anns.len());
        self.anns.push(a);
        self.anns.last().map(|a| a.id.clone())
    }

    /// Links the claim among `x`, `y` to the source among them.
    pub fn link(&mut self, x: &AnnotationId, y: &AnnotationId, what: &str) {
        let label = |id: &AnnotationId| self.anns.iter().find(|a| &a.id == id).map(|a| a.label.clone());
        let cb = self.cb;
        let (content, source) = (|l: &LabelId| cb.is_content(l), |l: &LabelId| cb.is_source(l));
        let (claim, source) = match (label(x), label(y)) {
            (Some(a), Some(b)) if content(&a) && source(&b) => (x, y),
            (Some(a), Some(b)) if source(&a) && content(&b) => (y, x),
            (Some(a), Some(b)) => {
                return self.warn(format!("{what}: links {a} to {b}, not a claim to a source; ignored"));
            }
            _ => return self.warn(format!("{what}: refers to a span that was not imported; ignored")),
        };
        let Some(rel) = cb.source_relation() else { return };
        let c = self.anns.iter_mut().find(|a| &a.id == claim).expect("found above");
        c.link(&rel.id, source.clone());
    }

    /// Links `x` to `y` by the relation a file names `name` (a relation's id or name in the
    /// codebook, any case) when the labels fit it either way round; a piece of a
    /// discontinuous annotation when `name` is newsnote's fragment relation; otherwise as
    /// [`DocBuilder::link`] does (a claim to its source), so other tools' relation names work.
    pub fn link_named(&mut self, name: &str, x: &AnnotationId, y: &AnnotationId, what: &str) {
        if name == crate::export::labelstudio::FRAGMENT_RELATION {
            return self.join_piece(x, y, what);
        }
        let label = |id: &AnnotationId| self.anns.iter().find(|a| &a.id == id).map(|a| a.label.clone());
        let (Some(lx), Some(ly)) = (label(x), label(y)) else { return self.link(x, y, what) };
        let named = |r: &&crate::model::codebook::RelationDef| {
            r.id.eq_ignore_ascii_case(name) || r.name.to_lowercase() == name.to_lowercase()
        };
        let fits = |r: &crate::model::codebook::RelationDef, a: &LabelId, b: &LabelId| {
            r.from.iter().any(|l| l == a.as_str()) && r.to.iter().any(|l| l == b.as_str())
        };
        let Some(rel) = self.cb.relations.iter().find(named) else { return self.link(x, y, what) };
        let (from, to) = match () {
            _ if fits(rel, &lx, &ly) => (x, y),
            _ if fits(rel, &ly, &lx) => (y, x),
            _ => return self.warn(format!("{what}: {} does not join {lx} and {ly}; ignored", rel.id)),
        };
        let id = rel.id.clone();
        let a = self.anns.iter_mut().find(|a| &a.id == from).expect("found above");
        a.link(&id, to.clone());
    }

    /// Makes the span `piece` a further fragment of `first` (same label), dropping it as an
    /// annotation of its own.
    fn join_piece(&mut self, piece: &AnnotationId, first: &AnnotationId, what: &str) {
        let (Some(p), Some(f)) =
            (self.anns.iter().position(|a| &a.id == piece), self.anns.iter().position(|a| &a.id == first))
        else {
            return self.warn(format!("{what}: a fragment of a span that was not imported; ignored"));
        };
        if self.anns[p].label != self.anns[f].label || p == f {
            return self.warn(format!("{what}: a fragment with another label than its first piece; ignored"));
        }
        let a = self.anns.remove(p);
        let f = if p < f { f - 1 } else { f };
        self.spans.retain(|_, i| *i != p);
        for i in self.spans.values_mut() {
            if *i > p {
                *i -= 1;
            }
        }
        let piece = crate::model::annotation::Fragment {
            start: a.start,
            end: a.end,
            quote: a.quote,
            prefix: a.prefix,
            suffix: a.suffix,
        };
        let first_id = self.anns[f].id.clone();
        let first = &mut self.anns[f];
        first.fragments.push(piece);
        first.fragments.sort_by_key(|x| (x.start, x.end));
        // Links made to the piece are links to the annotation.
        for x in &mut self.anns {
            for ids in x.links.values_mut() {
                for id in ids.iter_mut().filter(|id| **id == a.id) {
                    *id = first_id.clone();
                }
            }
        }
    }

    /// Sets attribute `attr` of annotation `id`.
    pub fn set(&mut self, id: &AnnotationId, attr: &str, value: crate::model::annotation::AttrValue) {
        if let Some(a) = self.anns.iter_mut().find(|a| &a.id == id) {
            a.attributes.insert(attr.to_owned(), value);
        }
    }

    pub fn codebook(&self) -> &'a Codebook {
        self.cb
    }

    /// Sets the note of the annotation `id`.
    pub fn note(&mut self, id: &AnnotationId, note: &str) {
        if let Some(a) = self.anns.iter_mut().find(|a| &a.id == id).filter(|_| !note.trim().is_empty()) {
            a.note = Some(note.to_owned());
        }
    }

    /// Sets where annotation `id` stands in review: its status and, for a detector's
    /// suggestion, what the detector said.
    pub fn review(
        &mut self,
        id: &AnnotationId,
        status: crate::model::annotation::Status,
        by: Option<crate::model::annotation::Suggestion>,
    ) {
        if let Some(a) = self.anns.iter_mut().find(|a| &a.id == id) {
            a.status = status;
            if by.is_some() {
                a.suggestion = by;
            }
        }
    }

    /// The annotation with this id, if one was added.
    pub fn get(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.anns.iter().find(|a| &a.id == id)
    }

    /// The ids of every annotation added so far.
    pub fn ids(&self) -> HashSet<AnnotationId> {
        self.anns.iter().map(|a| a.id.clone()).collect()
    }

    /// Marks annotation `id` as a detector's: what it proposed, and the suggestion it keeps
    /// once a person decided it, came from a detector, whichever tool it passed through.
    pub fn detected(&mut self, id: &AnnotationId) {
        if let Some(a) = self.anns.iter_mut().find(|a| &a.id == id).filter(|a| a.suggestion.is_some()) {
            a.origin = Origin::Detector;
        }
    }

    /// The annotation covering exactly `label` `start..end`, if any.
    pub fn find(&self, label: &LabelId, start: usize, end: usize) -> Option<AnnotationId> {
        self.spans.get(&(label.clone(), start, end)).map(|&i| self.anns[i].id.clone())
    }

    pub fn warn(&mut self, message: String) {
        self.warnings.push(message);
    }

    /// One warning per label name that the map does not know.
    pub fn warn_unknown(&mut self, what: &str, unknown: BTreeMap<String, usize>) {
        for (name, n) in unknown {
            let hint = format!("--map {name}=LABEL brings them in, LABEL from `newsnote codebook`");
            self.warn(format!("{what}: label {name:?} is not in the label map; {n} span(s) skipped ({hint})"));
        }
    }

    pub fn finish(self, name: Option<String>) -> ImportedDoc {
        ImportedDoc {
            name,
            text: self.text.to_owned(),
            annotations: self.anns,
            warnings: self.warnings,
            entity_refs: vec![],
        }
    }
}

/// `{path}:{line}: {message}` as an error.
pub(super) fn syntax(path: &Path, line: usize, message: impl ToString) -> ImportError {
    ImportError::Syntax { path: path.to_path_buf(), line, message: message.to_string() }
}

/// A serde_json error's message and column, without its "at line L column C" suffix (the line
/// goes in front, as everywhere else).
pub(super) fn json_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
    format!("{message} (column {})", e.column())
}

/// The file as text, without a byte-order mark (Windows tools write one; JSON parsers refuse it).
pub(super) fn read_text(src: &Path) -> Result<String, ImportError> {
    let text = std::fs::read_to_string(src).map_err(|source| ImportError::Read { path: src.to_path_buf(), source })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text))
}

/// The records of a JSONL file, or of a stream of (pretty-printed) JSON values, with the line
/// each starts on.
fn records(path: &Path, text: &str) -> Result<Vec<(usize, Value)>, ImportError> {
    let lines: Vec<(usize, &str)> =
        text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim().is_empty()).collect();
    let mut out = Vec::new();
    if lines.first().is_none_or(|(_, l)| serde_json::from_str::<Value>(l).is_ok()) {
        for (n, l) in lines {
            let v = serde_json::from_str(l).map_err(|e| syntax(path, n, json_error(&e)))?;
            out.push((n, v));
        }
    } else {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        loop {
            let at = stream.byte_offset();
            let Some(v) = stream.next() else { break };
            let v = v.map_err(|e| syntax(path, e.line(), json_error(&e)))?;
            let start = at + text[at..].len() - text[at..].trim_start().len();
            out.push((text[..start].matches('\n').count() + 1, v));
        }
    }
    Ok(out
        .into_iter()
        .flat_map(|(n, v)| match v {
            Value::Array(items) => items.into_iter().map(|v| (n, v)).collect(),
            v => vec![(n, v)],
        })
        .collect())
}

pub fn read(src: &Path, map: &LabelMap, cb: &Codebook, author: &str) -> Result<Vec<ImportedDoc>, ImportError> {
    let text = read_text(src)?;
    records(src, &text)?.into_iter().map(|(line, v)| record(src, line, &v, map, cb, author)).collect()
}

#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Utf16,
    CodePoint,
}

fn record(
    path: &Path,
    line: usize,
    v: &Value,
    map: &LabelMap,
    cb: &Codebook,
    author: &str,
) -> Result<ImportedDoc, ImportError> {
    let obj = v.as_object().ok_or_else(|| syntax(path, line, "a record must be a JSON object"))?;
    let text = obj.get("text").and_then(Value::as_str);
    let text = text.ok_or_else(|| syntax(path, line, "record has no \"text\" string"))?;
    let meta = obj.get("meta").and_then(Value::as_object);
    let key = |k: &str| meta.and_then(|m| m.get(k)).or_else(|| obj.get(k)).and_then(Value::as_str);
    let name = key("article_id").or_else(|| key("filename")).map(str::to_owned);
    let what = format!("{}:{line}", path.display());
    let mut b = DocBuilder::new(text, author, cb);
    let unit = match key("offset_unit") {
        None | Some("utf-16-code-unit") => Unit::Utf16,
        Some("unicode-code-point") => Unit::CodePoint,
        Some(other) => {
            b.warn(format!("{what}: unknown meta.offset_unit {other:?}; reading UTF-16 code units"));
            Unit::Utf16
        }
    };
    let mut unknown = BTreeMap::new();
    let mut entity_ids = HashMap::new();
    for e in obj.get("entities").and_then(Value::as_array).into_iter().flatten() {
        if let Some(id) = span(&mut b, &what, unit, map, e, &mut unknown) {
            entity_ids.insert(e.get("id").map(Value::to_string).unwrap_or_default(), id);
        }
    }
    let mut categories = 0;
    for item in ["label", "labels"].iter().filter_map(|k| obj.get(*k)?.as_array()).flatten() {
        match item {
            Value::String(_) => categories += 1,
            item => _ = span(&mut b, &what, unit, map, item, &mut unknown),
        }
    }
    if categories > 0 {
        b.warn(format!("{what}: {categories} category label(s) are not spans; ignored"));
    }
    b.warn_unknown(&what, unknown);
    for r in obj.get("relations").and_then(Value::as_array).into_iter().flatten() {
        let end = |k| r.get(k).map(Value::to_string).and_then(|id| entity_ids.get(&id).cloned());
        match (end("from_id"), end("to_id")) {
            (Some(from), Some(to)) => {
                let what = format!("{what}: relation {}→{}", r["from_id"], r["to_id"]);
                b.link_named(r["type"].as_str().unwrap_or_default(), &from, &to, &what)
            }
            _ => b.warn(format!("{what}: relation {r} refers to an entity that was not imported; ignored")),
        }
    }
    for n in meta.and_then(|m| m.get("notes")).and_then(Value::as_array).into_iter().flatten() {
        let found = offsets(&b, unit, n).zip(n.get("label").and_then(Value::as_str).and_then(|l| map.get(l)));
        match found.and_then(|((s, e), t)| b.find(&t.label, s, e)).zip(n.get("note").and_then(Value::as_str)) {
            Some((id, note)) => b.note(&id, note),
            None => b.warn(format!("{what}: note {n} matches no imported span; ignored")),
        }
    }
    // newsnote's export says where each suggestion stands: it comes back a suggestion.
    for n in meta.and_then(|m| m.get("review")).and_then(Value::as_array).into_iter().flatten() {
        let found = offsets(&b, unit, n).zip(n.get("label").and_then(Value::as_str).and_then(|l| map.get(l)));
        let Some(id) = found.and_then(|((s, e), t)| b.find(&t.label, s, e)) else {
            b.warn(format!("{what}: review {n} matches no imported span; ignored"));
            continue;
        };
        match review_of(n) {
            Some((status, by)) => b.review(&id, status, by),
            None => b.warn(format!("{what}: review {n} is not one newsnote writes; ignored")),
        }
    }
    for n in meta.and_then(|m| m.get("attributes")).and_then(Value::as_array).into_iter().flatten() {
        let found = offsets(&b, unit, n).zip(n.get("label").and_then(Value::as_str).and_then(|l| map.get(l)));
        let Some(id) = found.and_then(|((s, e), t)| b.find(&t.label, s, e)) else {
            b.warn(format!("{what}: attribute values {n} match no imported span; ignored"));
            continue;
        };
        for (attr, v) in n.get("values").and_then(Value::as_object).into_iter().flatten() {
            match b.codebook().attribute(attr).and_then(|d| value_of(&d.kind, v)) {
                Some(value) => b.set(&id, attr, value),
                None => b.warn(format!("{what}: value {v} of {attr:?} is not in the codebook; ignored")),
            }
        }
    }
    Ok(b.finish(name))
}

/// A `meta.review` entry of newsnote's export (`status`, `origin`, `confidence`): the status
/// and, for a detector's origin (`quotes-1`) with a confidence, the suggestion; `None` for
/// what newsnote does not write.
pub(super) fn review_of(
    n: &Value,
) -> Option<(crate::model::annotation::Status, Option<crate::model::annotation::Suggestion>)> {
    use crate::model::annotation::{Status, Suggestion};
    let status = match n.get("status")?.as_str()? {
        "accepted" => Status::Accepted,
        "proposed" => Status::Proposed,
        _ => return None,
    };
    let origin = n.get("origin")?.as_str()?;
    let by = match n.get("confidence").and_then(Value::as_u64) {
        Some(c) => Some(Suggestion::from_origin(origin, u8::try_from(c).ok()?)?),
        None => None,
    };
    Some((status, by))
}

/// An attribute value as newsnote's JSON exports write it, read in the codebook's type.
pub(super) fn value_of(
    kind: &crate::model::codebook::AttrKind,
    v: &Value,
) -> Option<crate::model::annotation::AttrValue> {
    use crate::model::annotation::AttrValue;
    use crate::model::codebook::AttrKind;
    let value = match (kind, v) {
        (AttrKind::Many(_), Value::Array(vs)) => {
            AttrValue::Many(vs.iter().map(|x| x.as_str().map(str::to_owned)).collect::<Option<_>>()?)
        }
        (AttrKind::YesNo, Value::Bool(b)) => AttrValue::YesNo(*b),
        (AttrKind::Number, Value::Number(n)) => AttrValue::Number(n.to_string()),
        (kind, Value::String(t)) => AttrValue::parse(kind, t).ok()?,
        _ => return None,
    };
    value.misfit(kind).is_none().then_some(value)
}

/// `start_offset`/`end_offset` (or the first two items of `[s, e, tag]`) in code points.
fn offsets(b: &DocBuilder, unit: Unit, v: &Value) -> Option<(usize, usize)> {
    let get = |k: &str, i: usize| v.get(k).or_else(|| v.get(i)).and_then(Value::as_u64).map(|x| x as usize);
    let (s, e) = (get("start_offset", 0)?, get("end_offset", 1)?);
    match unit {
        Unit::CodePoint => Some((s, e)),
        Unit::Utf16 => Some((b.utf16.to_char(s)?, b.utf16.to_char(e)?)),
    }
}

/// Adds one entity (`{start_offset, end_offset, label}` or `[s, e, tag]`).
fn span(
    b: &mut DocBuilder,
    what: &str,
    unit: Unit,
    map: &LabelMap,
    v: &Value,
    unknown: &mut BTreeMap<String, usize>,
) -> Option<AnnotationId> {
    let tag = v.get("label").or_else(|| v.get(2)).and_then(Value::as_str);
    let Some(((s, e), tag)) = offsets(b, unit, v).zip(tag) else {
        let hint = if unit == Unit::Utf16 { " (a UTF-16 offset inside a character? see meta.offset_unit)" } else { "" };
        b.warn(format!("{what}: span {v} has no usable offsets or label{hint}; skipped"));
        return None;
    };
    let Some(target) = map.get(tag) else {
        *unknown.entry(tag.to_owned()).or_default() += 1;
        return None;
    };
    b.add(target, s, e, None, &format!("{what}: {tag} span"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::Status;
    use std::io::Write;

    /// The default codebook, which these tests code with.
    fn cb() -> &'static crate::model::codebook::Codebook {
        crate::model::codebook::Codebook::default_scheme()
    }

    const REF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/reference/formats/doccano/");

    fn file(content: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content.as_bytes()).unwrap();
        f
    }

    fn map(entries: &[&str]) -> LabelMap {
        LabelMap::new(cb()).with(cb(), &entries.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn doccanos_pretty_printed_relation_example_is_one_record_with_its_relations() {
        let path = Path::new(REF).join("import_relation_extraction_example.jsonl");
        let docs = read(&path, &map(&["ORG=claim", "PERSON=source"]), cb(), "me").unwrap();
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        let quotes: Vec<&str> = d.annotations.iter().map(|a| a.quote.as_str()).collect();
        assert_eq!(quotes, ["Google", "Larry Page", "Sergey Brin"]);
        assert!(d.warnings.iter().any(|w| w.contains("\"DATE\"") && w.contains(":2:")), "{:?}", d.warnings);
        // Google foundedBy Larry Page and Sergey Brin: a claim with two sources, both kept.
        assert_eq!(d.annotations[0].linked("source"), [d.annotations[1].id.clone(), d.annotations[2].id.clone()]);
        let a = &d.annotations[1];
        assert_eq!((a.origin, a.status, a.author.as_str()), (Origin::Imported, Status::Accepted, "me"));
        assert_eq!((a.prefix.as_str(), a.suffix.as_str()), ("ounded on September 4, 1998, by ", " and Sergey Brin."));
    }

    #[test]
    fn sequence_labelling_export_gives_one_document_per_line() {
        let path = Path::new(REF).join("export_sequence_labeling_example.jsonl");
        let docs = read(&path, &map(&["PERSON=source", "ORG=boilerplate:other"]), cb(), "me").unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(
            docs[0].annotations[0].attributes.get("kind"),
            Some(&crate::model::annotation::AttrValue::One("Other".into()))
        );
        assert_eq!(docs[0].annotations[0].quote, "EU");
        assert!(docs[0].warnings.iter().any(|w| w.contains("\"MISC\"") && w.contains(":1:")), "{:?}", docs[0].warnings);
        assert_eq!(docs[2].annotations[0].quote, "Obama");
    }

    #[test]
    fn duplicate_spans_are_kept_once_with_a_warning_and_overlaps_are_kept() {
        let path = Path::new(REF).join("sequence_labeling_overlapping.jsonl");
        let d = &read(&path, &map(&["LOC=source"]), cb(), "me").unwrap()[0];
        assert_eq!(d.annotations.len(), 1);
        assert!(d.warnings.iter().any(|w| w.contains("duplicate")), "{:?}", d.warnings);
        let f =
            file(r#"{"text": "Vladimir Putin", "label": [[0, 14, "source"], [9, 14, "source"], [0, 14, "claim"]]}"#);
        assert_eq!(read(f.path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0].annotations.len(), 3);
    }

    #[test]
    fn utf16_offsets_become_code_points_unless_meta_says_code_points() {
        let text = "👍🏽 Peskov said “no”";
        let f = file(&format!(
            "{}\n{}\n",
            serde_json::json!({"text": text, "label": [[5, 11, "Source"]]}),
            serde_json::json!({"text": text, "label": [[3, 9, "Source"]], "meta": {"offset_unit": "unicode-code-point"}})
        ));
        let docs = read(f.path(), &LabelMap::new(cb()), cb(), "me").unwrap();
        for d in &docs {
            assert_eq!(
                (d.annotations[0].start, d.annotations[0].end, d.annotations[0].quote.as_str()),
                (3, 9, "Peskov")
            );
        }
        let half = file(&serde_json::json!({"text": text, "label": [[1, 11, "Source"]]}).to_string());
        let d = &read(half.path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        assert!(d.annotations.is_empty() && d.warnings[0].contains("UTF-16"), "{:?}", d.warnings);
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let f = file("\u{feff}{\"text\": \"Peskov\", \"label\": [[0, 6, \"Source\"]]}\n");
        assert_eq!(read(f.path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0].annotations.len(), 1);
    }

    #[test]
    fn notes_and_names_come_from_meta() {
        let rec = serde_json::json!({"text": "Peskov said no", "entities": [{"id": 7, "start_offset": 0, "end_offset": 6, "label": "Source"}],
            "relations": [], "meta": {"article_id": "a/b.txt", "notes": [{"start_offset": 0, "end_offset": 6, "label": "Source", "note": "spokesman"}]}});
        let d = &read(file(&rec.to_string()).path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        assert_eq!((d.name.as_deref(), d.annotations[0].note.as_deref()), (Some("a/b.txt"), Some("spokesman")));
    }

    #[test]
    fn syntax_errors_name_the_jsonl_line_or_serdes_line() {
        let f = file("{\"text\": \"a\"}\n\n{\"text\": \"b\" \"label\": []}\n");
        let e = read(f.path(), &LabelMap::new(cb()), cb(), "me").unwrap_err().to_string();
        assert!(e.contains(":3: expected"), "{e}");
        let f = file("{\n  \"text\": \"a\",\n  \"label\": [\n}\n");
        let e = read(f.path(), &LabelMap::new(cb()), cb(), "me").unwrap_err().to_string();
        assert!(e.contains(":4: "), "{e}");
        let f = file("{\"label\": []}\n");
        assert!(
            read(f.path(), &LabelMap::new(cb()), cb(), "me")
                .unwrap_err()
                .to_string()
                .contains(":1: record has no \"text\"")
        );
    }
}
