//! `labelstudio` import: Label Studio's JSON export (a list of tasks, or one task object as in
//! the legacy per-task files), one document per task.
//!
//! A task's text is `data.text` (the NER template's `$text`); its name is `data.article_id`
//! (newsnote's export), `data.filename` or `data.name`. Its codings are `annotations`, or
//! `completions` in Label Studio before 1.0; cancelled ones are skipped. `predictions` are
//! ignored with a warning: they are model suggestions, and newsnote would show them as coding.
//!
//! In each coding, `labels` results become spans (every label of a region through the
//! [`LabelMap`], unknown ones skipped with a warning naming file, line, task and label);
//! `textarea` results with a region's id are that region's note (newsnote's per-region note);
//! `choices`, `textarea`, `number` and `datetime` results whose `from_name` is an attribute of
//! the codebook (newsnote's generated config) set that attribute of their region; `relation`
//! results link by the relation their label names (a relation of the codebook; `fragment` joins
//! a piece to its annotation), or else a claim to a source whatever their direction; other
//! result types are not spans and are reported. Region ids are
//! kept as annotation ids (fresh ones where taken), so newsnote's own export comes back with its
//! ids. Identical spans (two coders) are kept once with a warning; overlapping ones are kept.
//!
//! **Offsets are code points** (see [`crate::export::labelstudio`] for the evidence), and each
//! span is checked against `value.text` when present. A mismatch is repaired, with a warning,
//! by the first reading that gives back `value.text`: the offsets as UTF-16 code units (what
//! Label Studio stored before it switched to code points), `value.end` recomputed from
//! `value.start` (the legacy example in shared/reference has `end` one short of `text`),
//! `value.start` recomputed from `value.end`, and finally the occurrence of `value.text` nearest
//! to `value.start`. The editor writes a line break in `value.text` as a backslash and `n` (its
//! emoji end-to-end test expects `Warning:\n🐱 This is a test` for a span across a line), so
//! that spelling matches a line break too. A span whose text is nowhere is skipped.
//!
//! Syntax errors carry serde_json's line; warnings carry the line each task starts on.

use super::doccano::{DocBuilder, json_error, read_text, syntax};
use super::{ImportError, ImportedDoc, LabelMap};
use crate::model::annotation::AnnotationId;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub fn read(
    src: &Path,
    map: &LabelMap,
    cb: &crate::model::codebook::Codebook,
    author: &str,
) -> Result<Vec<ImportedDoc>, ImportError> {
    let text = read_text(src)?;
    let root: Value = serde_json::from_str(&text).map_err(|e| syntax(src, e.line(), json_error(&e)))?;
    let lines = element_lines(&text);
    let tasks: Vec<&Value> = match &root {
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![&root],
        _ => return Err(syntax(src, 1, "expected a list of Label Studio tasks or one task object")),
    };
    tasks
        .into_iter()
        .enumerate()
        .map(|(i, t)| task(src, lines.get(i).copied().unwrap_or(1), i + 1, t, map, cb, author))
        .collect()
}

/// The line on which each element of a top-level array starts (or the top-level object's line).
fn element_lines(text: &str) -> Vec<usize> {
    let (mut out, mut line, mut depth) = (Vec::new(), 1, 0usize);
    let (mut in_string, mut escaped, mut expecting) = (false, false, false);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            (escaped, in_string) = (!escaped && c == '\\', escaped || c != '"');
            continue;
        }
        if expecting && !c.is_whitespace() {
            out.push(line);
            expecting = false;
        }
        match c {
            '"' => in_string = true,
            '{' if depth == 0 => {
                out.push(line);
                depth = 1;
            }
            '[' if depth == 0 => (expecting, depth) = (true, 1),
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    out
}

fn task(
    path: &Path,
    line: usize,
    n: usize,
    t: &Value,
    map: &LabelMap,
    cb: &crate::model::codebook::Codebook,
    author: &str,
) -> Result<ImportedDoc, ImportError> {
    let data = t.get("data").and_then(Value::as_object);
    let text = data.and_then(|d| d.get("text")?.as_str()).ok_or_else(|| {
        let hint = "newsnote reads Label Studio's JSON export, not JSON-MIN or CSV";
        syntax(path, line, format!("task {n} has no data.text string ({hint})"))
    })?;
    let name = ["article_id", "filename", "name"].iter().find_map(|k| data?.get(*k)?.as_str()).map(str::to_owned);
    let id = t.get("id").map(|v| format!(" (id {v})")).unwrap_or_default();
    let what = format!("{}:{line}: task {n}{id}", path.display());
    let mut b = DocBuilder::new(text, author, cb);
    if let Some(p) = t.get("predictions").and_then(Value::as_array).filter(|p| !p.is_empty()) {
        let why = "predictions are model suggestions; newsnote imports annotations";
        b.warn(format!("{what}: {} prediction(s) ignored ({why})", p.len()));
    }
    let codings = t.get("annotations").or_else(|| t.get("completions")).and_then(Value::as_array);
    for (k, c) in codings.into_iter().flatten().enumerate() {
        let what = format!("{what}, annotation {}", k + 1);
        if c.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
            b.warn(format!("{what}: cancelled; skipped"));
            continue;
        }
        coding(&mut b, &what, map, c.get("result").and_then(Value::as_array).map_or(&[], Vec::as_slice));
    }
    Ok(b.finish(name))
}

fn coding(b: &mut DocBuilder, what: &str, map: &LabelMap, results: &[Value]) {
    let (mut regions, mut unknown) = (HashMap::<&str, AnnotationId>::new(), BTreeMap::new());
    for r in results.iter().filter(|r| r["type"] == "labels") {
        let rid = r["id"].as_str().unwrap_or_default();
        let what = format!("{what}, result {rid:?}");
        let names = r["value"]["labels"].as_array().into_iter().flatten().filter_map(Value::as_str);
        let mut labels = Vec::new();
        for name in names {
            match map.get(name) {
                Some(label) => labels.push(label),
                None => *unknown.entry(name.to_owned()).or_default() += 1,
            }
        }
        if r["value"]["labels"].as_array().is_none_or(Vec::is_empty) {
            b.warn(format!("{what}: no value.labels; skipped"));
        }
        // Only spans that will be kept are located (and repaired, with a warning).
        if labels.is_empty() {
            continue;
        }
        let Some((s, e)) = locate(b, &what, &r["value"]) else { continue };
        for (j, label) in labels.into_iter().enumerate() {
            let id = (!rid.is_empty()).then(|| if j == 0 { rid.to_owned() } else { format!("{rid}-{j}") });
            if let Some(id) = b.add(label, s, e, id, &what) {
                regions.entry(rid).or_insert(id);
            }
        }
    }
    b.warn_unknown(what, unknown);
    let mut other = BTreeMap::<&str, usize>::new();
    for r in results {
        let region = |k: &str| r[k].as_str().and_then(|id| regions.get(id));
        match r["type"].as_str().unwrap_or_default() {
            "labels" => {}
            "choices" | "textarea" | "number" | "datetime" if attribute(b, r).is_some() => match region("id") {
                Some(id) => {
                    let (attr, value) = attribute(b, r).expect("checked by the guard");
                    b.set(id, &attr, value)
                }
                None => {
                    b.warn(format!("{what}: {} result {} belongs to no imported region; ignored", r["type"], r["id"]))
                }
            },
            "textarea" => match region("id") {
                Some(id) => {
                    let lines = r["value"]["text"].as_array().into_iter().flatten().filter_map(Value::as_str);
                    let note =
                        r["value"]["text"].as_str().map_or_else(|| lines.collect::<Vec<_>>().join("\n"), str::to_owned);
                    b.note(id, &note);
                }
                None => b.warn(format!("{what}: textarea result {} belongs to no imported region; ignored", r["id"])),
            },
            "relation" => match (region("from_id"), region("to_id")) {
                (Some(from), Some(to)) => {
                    let name = r["labels"][0].as_str().unwrap_or_default();
                    b.link_named(name, from, to, &format!("{what}: relation {}→{}", r["from_id"], r["to_id"]))
                }
                _ => b.warn(format!(
                    "{what}: relation {}→{} refers to a region not imported; ignored",
                    r["from_id"], r["to_id"]
                )),
            },
            kind => *other.entry(kind).or_default() += 1,
        }
    }
    for (kind, n) in other {
        b.warn(format!("{what}: {n} {kind:?} result(s) ignored (not text spans)"));
    }
}

/// The attribute a per-region result sets, named by its control (see
/// [`crate::export::labelstudio::control_name`]), and the value in the codebook's type.
fn attribute(b: &DocBuilder, r: &Value) -> Option<(String, crate::model::annotation::AttrValue)> {
    use crate::model::annotation::AttrValue;
    use crate::model::codebook::AttrKind;
    let from = r["from_name"].as_str()?;
    let d = b.codebook().attributes.iter().find(|d| crate::export::labelstudio::control_name(d) == from)?;
    let v = &r["value"];
    let strings =
        |k: &str| v[k].as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect::<Vec<_>>());
    let value = match (&d.kind, r["type"].as_str()?) {
        (AttrKind::One(_), "choices") => AttrValue::One(strings("choices")?.into_iter().next()?),
        (AttrKind::Many(_), "choices") => AttrValue::Many(strings("choices")?),
        (AttrKind::YesNo, "choices") => AttrValue::YesNo(strings("choices")?.first()? == "yes"),
        (AttrKind::Number, "number") => AttrValue::Number(v["number"].to_string()),
        (AttrKind::Date, "datetime") => AttrValue::Date(v["datetime"].as_str()?.to_owned()),
        (kind, "textarea") => AttrValue::parse(kind, &strings("text")?.join("\n")).ok()?,
        _ => return None,
    };
    Some((d.id.clone(), value))
}

/// The region's span in code points, repaired from `value.text` when the offsets disagree.
fn locate(b: &mut DocBuilder, what: &str, v: &Value) -> Option<(usize, usize)> {
    // Integral floats too: Label Studio's SDK writes `7418.0` in generated samples.
    let num =
        |k: &str| v[k].as_u64().or_else(|| v[k].as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64));
    let num = |k: &str| num(k).map(|x| x as usize);
    let (Some(s), Some(e)) = (num("start"), num("end")) else {
        b.warn(format!("{what}: no numeric value.start and value.end; skipped"));
        return None;
    };
    let quote = v["text"].as_str().filter(|q| !q.is_empty());
    let Some(q) = quote else { return Some((s, e)) };
    let unescaped = q.replace("\\n", "\n");
    let holds = |b: &DocBuilder, (s, e): (usize, usize)| b.slice(s, e).is_some_and(|t| t == q || t == unescaped);
    if holds(b, (s, e)) {
        return Some((s, e));
    }
    let n = unescaped.chars().count();
    let readings = [
        (b.utf16.to_char(s).zip(b.utf16.to_char(e)), "as UTF-16 code units (older Label Studio)"),
        (Some((s, s + n)), "with value.end recomputed from value.text"),
        (e.checked_sub(n).map(|s| (s, e)), "with value.start recomputed from value.text"),
    ];
    for (span, how) in readings {
        if let Some((rs, re)) = span.filter(|&x| holds(b, x)) {
            b.warn(format!("{what}: offsets {s}..{e} do not hold {q:?}; read {how} as {rs}..{re}"));
            return Some((rs, re));
        }
    }
    let nearest =
        b.text.match_indices(&unescaped).map(|(at, _)| b.index.char_of(b.text, at)).min_by_key(|c| c.abs_diff(s));
    let Some(c) = nearest else {
        b.warn(format!("{what}: value.text {q:?} is not in the task text; skipped"));
        return None;
    };
    b.warn(format!("{what}: offsets {s}..{e} do not hold {q:?}; moved to its nearest occurrence {c}..{}", c + n));
    Some((c, c + n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{LabelId, Origin, Status};
    use serde_json::json;
    use std::io::Write;

    /// The default codebook, which these tests code with.
    fn cb() -> &'static crate::model::codebook::Codebook {
        crate::model::codebook::Codebook::default_scheme()
    }

    const REF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/reference/formats/label-studio/");

    fn file(v: &Value) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(serde_json::to_string_pretty(v).unwrap().as_bytes()).unwrap();
        f
    }

    fn map(entries: &[&str]) -> LabelMap {
        LabelMap::new(cb()).with(cb(), &entries.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn span(id: &str, s: usize, e: usize, text: &str, label: &str) -> Value {
        json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": s, "end": e, "text": text, "labels": [label]}})
    }

    #[test]
    fn legacy_completions_have_their_short_ends_repaired_from_value_text() {
        let path = Path::new(REF).join("legacy_v0_named_entity_completion_0.json");
        let docs = read(&path, &map(&["Date=claim", "Location=source"]), cb(), "me").unwrap();
        let d = &docs[0];
        let spans: Vec<_> = d.annotations.iter().map(|a| (a.id.0.as_str(), a.start, a.end, a.quote.as_str())).collect();
        assert_eq!(spans, [("jmsfDPthEY", 343, 354, "February 22"), ("oaesD6kuGR", 45, 50, "Bahia")]);
        assert_eq!(d.warnings.iter().filter(|w| w.contains("value.end recomputed")).count(), 2, "{:?}", d.warnings);
        assert!(d.warnings[0].contains(":1: task 1 (id 0), annotation 1, result \"jmsfDPthEY\""), "{}", d.warnings[0]);
        let a = &d.annotations[0];
        assert_eq!(
            (a.origin, a.status, a.author.as_str(), a.prefix.as_str()),
            (Origin::Imported, Status::Accepted, "me", "ar. Arrivals for the week ended ")
        );
    }

    #[test]
    fn unknown_labels_are_skipped_with_a_warning_naming_file_task_and_label() {
        let path = Path::new(REF).join("legacy_v0_named_entity_completion_0.json");
        let d = &read(&path, &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        assert!(d.annotations.is_empty());
        let w = d.warnings.iter().find(|w| w.contains("\"Location\"")).unwrap();
        assert!(w.contains("legacy_v0_named_entity_completion_0.json:1: task 1"), "{w}");
    }

    #[test]
    fn predictions_are_ignored_with_a_warning() {
        let d =
            &read(&Path::new(REF).join("text_with_2_predictions.json"), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        assert_eq!((d.text.as_str(), d.annotations.len()), ("Test example phrase", 0));
        assert!(d.warnings.iter().any(|w| w.contains(":2: task 1: 2 prediction(s) ignored")), "{:?}", d.warnings);
    }

    #[test]
    fn code_point_and_integral_float_offsets_are_kept_and_utf16_ones_recognised_by_their_text() {
        let text = "👍🏽 Peskov said “no”";
        let mut peskov = span("a", 3, 9, "Peskov", "Source");
        peskov["value"]["end"] = json!(9.0);
        let tasks = json!([{"data": {"text": text}, "annotations": [{"result": [peskov, span("b", 17, 21, "“no”", "Claim")]}]}]);
        let d = &read(file(&tasks).path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        let spans: Vec<_> = d.annotations.iter().map(|a| (a.start, a.end, a.quote.as_str())).collect();
        assert_eq!(spans, [(3, 9, "Peskov"), (15, 19, "“no”")]);
        assert!(d.warnings.len() == 1 && d.warnings[0].contains("UTF-16"), "{:?}", d.warnings);
    }

    #[test]
    fn relations_notes_and_escaped_line_breaks_come_back() {
        let text = "Peskov said:\nno deal";
        let result = json!([span("s", 0, 6, "Peskov", "Source"), span("c", 7, 20, "said:\\nno deal", "Claim"),
            {"id": "c", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"start": 7, "end": 20, "text": ["paraphrase"]}},
            {"from_id": "s", "to_id": "c", "type": "relation", "direction": "left", "labels": []},
            {"id": "x", "from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["neg"]}}]);
        let tasks = json!([{"data": {"text": text, "article_id": "a.txt"}, "annotations": [{"result": result}, {"was_cancelled": true, "result": []}]}]);
        let d = &read(file(&tasks).path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        assert_eq!(d.name.as_deref(), Some("a.txt"));
        let claim = d.annotations.iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
        assert_eq!((claim.quote.as_str(), claim.note.as_deref()), ("said:\nno deal", Some("paraphrase")));
        assert_eq!(claim.linked("source"), [AnnotationId("s".into())]);
        assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
        assert!(
            d.warnings.iter().any(|w| w.contains("\"choices\" result(s) ignored"))
                && d.warnings.iter().any(|w| w.contains("cancelled"))
        );
    }

    #[test]
    fn two_coders_marking_the_same_span_give_it_once() {
        let r = json!([span("a", 0, 6, "Peskov", "Source")]);
        let tasks = json!({"data": {"text": "Peskov"}, "annotations": [{"result": r}, {"result": r}]});
        let d = &read(file(&tasks).path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        assert_eq!(d.annotations.len(), 1);
        assert!(d.warnings[0].contains("duplicate"), "{:?}", d.warnings);
    }

    #[test]
    fn syntax_errors_carry_serdes_line_and_text_less_tasks_their_own() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"[\n  {\"data\": {\"text\": \"a\"}},\n  {\"data\": }\n]").unwrap();
        assert!(
            read(f.path(), &LabelMap::new(cb()), cb(), "me").unwrap_err().to_string().contains(":3: expected value")
        );
        let f = file(&json!([{"data": {"text": "a"}}, {"data": {"image": "x.png"}}]));
        let e = read(f.path(), &LabelMap::new(cb()), cb(), "me").unwrap_err().to_string();
        assert!(e.contains(":7: task 2 has no data.text"), "{e}");
    }
}
