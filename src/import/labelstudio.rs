//! `labelstudio` import: Label Studio's JSON export (a list of tasks, or one task object as in
//! the legacy per-task files), one document per task.
//!
//! A task's text is `data.text` (the NER template's `$text`); its name is `data.article_id`
//! (newsnote's export), `data.filename` or `data.name`. Its codings are `annotations`, or
//! `completions` in Label Studio before 1.0; cancelled ones are skipped.
//!
//! `predictions` are suggestions, so they come back as suggestions: each span region of a
//! prediction is a Proposed annotation whose `Suggestion` names the detector and version
//! from `model_version` (newsnote writes the origin, `quotes-1`; another tool's name is kept
//! whole, version 0) and the confidence from the region's `score` (else the prediction's;
//! 0–1, or a percentage when above 1). A region's `meta.review` (newsnote's own export) is
//! taken first, as it holds the exact confidence. What a Label Studio coder made of a
//! prediction is in the annotation made from it: the one whose `parent_prediction` is the
//! prediction's `id`, or, where that is missing (an older export, another tool), the one that
//! shares a region id with it, since Label Studio copies a prediction's regions with their
//! ids. Such an annotation's regions are the prediction's accepted (as the coder left them,
//! span and all); the prediction's regions it left out are rejected, so no later `newsnote
//! suggest` proposes them again. A prediction no annotation was made from stays open. A span
//! region in any annotation with a `meta.review` naming a detector is an accepted suggestion.
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
use crate::model::annotation::{AnnotationId, Status, Suggestion};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
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
    let predictions: Vec<&Value> = t.get("predictions").and_then(Value::as_array).into_iter().flatten().collect();
    // The region ids of each prediction's spans, and those an annotation made from it decided.
    let span_ids = |rs: &[Value]| -> HashSet<String> {
        rs.iter().filter(|r| r["type"] == "labels").filter_map(|r| r["id"].as_str()).map(str::to_owned).collect()
    };
    let predicted: Vec<HashSet<String>> = predictions.iter().map(|p| span_ids(results_of(p))).collect();
    let mut decided: Vec<Option<HashSet<String>>> = vec![None; predictions.len()];
    let codings = t.get("annotations").or_else(|| t.get("completions")).and_then(Value::as_array);
    for (k, c) in codings.into_iter().flatten().enumerate() {
        let what = format!("{what}, annotation {}", k + 1);
        if c.get("was_cancelled").and_then(Value::as_bool) == Some(true) {
            b.warn(format!("{what}: cancelled; skipped"));
            continue;
        }
        let results = results_of(c);
        let regions = coding(&mut b, &what, map, results);
        let ids = span_ids(results);
        let parent = c
            .get("parent_prediction")
            .and_then(Value::as_i64)
            .and_then(|pid| predictions.iter().position(|p| p.get("id").and_then(Value::as_i64) == Some(pid)));
        let from = parent.or_else(|| predicted.iter().position(|p| !p.is_disjoint(&ids)));
        for r in results.iter().filter(|r| r["type"] == "labels") {
            let Some(id) = r["id"].as_str().and_then(|rid| regions.get(rid)) else { continue };
            let of_prediction = from.and_then(|k| {
                let rid = r["id"].as_str()?;
                results_of(predictions[k]).iter().find(|x| x["type"] == "labels" && x["id"] == rid).map(|x| (k, x))
            });
            let by = review_meta(r).or_else(|| of_prediction.map(|(k, x)| suggestion(predictions[k], x)));
            if let Some(by) = by {
                b.review(id, Status::Accepted, Some(by));
                b.detected(id);
            }
        }
        if let Some(k) = from {
            decided[k].get_or_insert_with(HashSet::new).extend(ids.intersection(&predicted[k]).cloned());
        }
    }
    for (k, p) in predictions.iter().enumerate() {
        let version = p["model_version"].as_str().unwrap_or("?");
        let what = format!("{what}, prediction {} ({version:?})", k + 1);
        // A prediction an annotation was made from: only what that annotation left out is
        // read, as rejected. Its relations are not: the annotation has the links the coder
        // kept, and a rejected suggestion is linked from nothing live.
        let results: Vec<Value> = match &decided[k] {
            None => results_of(p).to_vec(),
            Some(taken) => results_of(p)
                .iter()
                .filter(|r| r["type"] != "relation" && r["id"].as_str().is_some_and(|id| !taken.contains(id)))
                .cloned()
                .collect(),
        };
        let status = if decided[k].is_some() { Status::Rejected } else { Status::Proposed };
        let before = b.ids();
        let regions = coding(&mut b, &what, map, &results);
        for r in results.iter().filter(|r| r["type"] == "labels") {
            let Some(id) = r["id"].as_str().and_then(|rid| regions.get(rid)).cloned() else { continue };
            let by = review_meta(r).unwrap_or_else(|| suggestion(p, r));
            match b.get(&id) {
                // Its own region: a suggestion, open or (left out by the coder) rejected.
                Some(_) if !before.contains(&id) => b.review(&id, status, Some(by)),
                // The same span as an annotation's region made from it under another id:
                // accepted, and it keeps what the detector said.
                Some(a) if a.suggestion.is_none() && decided[k].is_some() => b.review(&id, a.status, Some(by)),
                _ => continue,
            }
            b.detected(&id);
        }
    }
    Ok(b.finish(name))
}

/// A task's, annotation's or prediction's `result` list.
fn results_of(v: &Value) -> &[Value] {
    v.get("result").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// What a prediction's region says about its detector: the detector and version from the
/// prediction's `model_version` (`quotes-1`; another tool's name whole, version 0) and the
/// confidence from the region's `score`, else the prediction's (0–1; above 1, a percentage).
fn suggestion(p: &Value, r: &Value) -> Suggestion {
    let origin = p["model_version"].as_str().map(str::trim).filter(|v| !v.is_empty()).unwrap_or("label-studio");
    let score = r["score"].as_f64().or_else(|| p["score"].as_f64()).filter(|s| s.is_finite() && *s >= 0.0);
    let percent = score.map_or(0.0, |s| if s <= 1.0 { s * 100.0 } else { s.min(100.0) });
    let confidence = percent.round() as u8;
    // Another tool's model name, without a version of newsnote's shape, is kept whole.
    Suggestion::from_origin(origin, confidence).filter(|s| !s.detector.is_empty()).unwrap_or_else(|| Suggestion {
        detector: origin.to_owned(),
        version: 0,
        confidence,
        reason: String::new(),
        category: String::new(),
    })
}

/// The detector a region's `meta.review` names (newsnote's export writes `status`, `origin`
/// and `confidence` there), if it names one.
fn review_meta(r: &Value) -> Option<Suggestion> {
    super::doccano::review_of(&r["meta"]["review"]).and_then(|(_, by)| by)
}

/// Reads one result list (an annotation's or a prediction's) into `b`; the id each span
/// region's result id became.
fn coding(b: &mut DocBuilder, what: &str, map: &LabelMap, results: &[Value]) -> HashMap<String, AnnotationId> {
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
    regions.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
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
    fn predictions_of_text_classes_bring_no_span_in_and_say_which_prediction() {
        let d =
            &read(&Path::new(REF).join("text_with_2_predictions.json"), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        assert_eq!((d.text.as_str(), d.annotations.len()), ("Test example phrase", 0));
        let w = |version: &str| {
            let want =
                format!(":2: task 1, prediction {} (\"{version}\"): 1 \"choices\" result(s) ignored", &version[14..]);
            let want = want.replace("prediction A", "prediction 1").replace("prediction B", "prediction 2");
            assert!(d.warnings.iter().any(|w| w.contains(&want)), "{want} in {:?}", d.warnings);
        };
        w("model_version_A");
        w("model_version_B");
    }

    const SAID: &str = "«Мы не отступим», — сказал Дмитрий Песков журналистам.";

    /// A prediction as newsnote's export writes it: a claim with its cue and source from
    /// `quotes-1`, each region with its own score, and the relations between them.
    fn predicted(id: Option<i64>) -> Value {
        let mut r = vec![
            span("p-claim", 1, 15, "Мы не отступим", "Claim"),
            span("p-cue", 20, 26, "сказал", "Cue"),
            span("p-source", 27, 41, "Дмитрий Песков", "Source"),
        ];
        for (x, score) in r.iter_mut().zip([0.9, 0.64, 0.7]) {
            x["score"] = json!(score);
        }
        r.push(json!({"from_id": "p-claim", "to_id": "p-source", "type": "relation", "direction": "right", "labels": ["source"]}));
        r.push(json!({"from_id": "p-claim", "to_id": "p-cue", "type": "relation", "direction": "right", "labels": ["cue"]}));
        let mut p = json!({"model_version": "quotes-1", "score": 0.747, "result": r});
        if let Some(id) = id {
            p["id"] = json!(id);
        }
        p
    }

    /// Status, origin, (detector, version, confidence) and span of an imported annotation.
    type Review = (Status, Origin, Option<(String, u32, u8)>, usize, usize);

    fn review(d: &ImportedDoc, id: &str) -> Review {
        let a = d.annotations.iter().find(|a| a.id.0 == id).unwrap_or_else(|| panic!("{id} in {:#?}", d.annotations));
        let by = a.suggestion.as_ref().map(|s| (s.detector.clone(), s.version, s.confidence));
        (a.status, a.origin, by, a.start, a.end)
    }

    #[test]
    fn a_prediction_comes_back_as_open_suggestions_with_their_detector_version_and_confidence() {
        let tasks = json!([{"data": {"text": SAID}, "predictions": [predicted(None)],
            "annotations": [{"result": [span("own", 27, 41, "Дмитрий Песков", "Source")]}]}]);
        let d = &read(file(&tasks).path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        assert!(d.warnings.len() == 1 && d.warnings[0].contains("\"p-source\": duplicate of own"), "{:?}", d.warnings);
        let q = |c| Some(("quotes".to_string(), 1, c));
        assert_eq!(review(d, "p-claim"), (Status::Proposed, Origin::Detector, q(90), 1, 15));
        assert_eq!(review(d, "p-cue"), (Status::Proposed, Origin::Detector, q(64), 20, 26));
        let claim = d.annotations.iter().find(|a| a.id.0 == "p-claim").unwrap();
        assert_eq!(claim.linked("cue"), [AnnotationId("p-cue".into())]);
        // The person's own source, on the span the detector proposed too, stays the person's.
        assert_eq!(review(d, "own"), (Status::Accepted, Origin::Imported, None, 27, 41));
        assert_eq!(claim.linked("source"), [AnnotationId("own".into())]);
        assert_eq!(d.annotations.len(), 3, "the proposed source is the person's span: kept once");
    }

    #[test]
    fn an_annotation_made_from_a_prediction_accepts_what_it_kept_and_rejects_what_it_left_out() {
        // Label Studio copies the prediction's regions with their ids; the coder shortened the
        // claim, kept the source and deleted the cue. With `parent_prediction`, and without it
        // (found by the shared region ids), the same.
        for parent in [Some(41), None] {
            let kept = json!([span("p-claim", 1, 14, "Мы не отступи", "Claim"),
                span("p-source", 27, 41, "Дмитрий Песков", "Source"),
                {"from_id": "p-claim", "to_id": "p-source", "type": "relation", "direction": "right", "labels": ["source"]}]);
            let mut made = json!({"id": 9, "result": kept});
            if let Some(p) = parent {
                made["parent_prediction"] = json!(p);
            }
            let tasks = json!([{"data": {"text": SAID}, "predictions": [predicted(Some(41))], "annotations": [made]}]);
            let d = &read(file(&tasks).path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
            assert!(d.warnings.is_empty(), "{parent:?}: {:?}", d.warnings);
            let q = |c| Some(("quotes".to_string(), 1, c));
            assert_eq!(
                review(d, "p-claim"),
                (Status::Accepted, Origin::Detector, q(90), 1, 14),
                "as the coder left it"
            );
            assert_eq!(review(d, "p-source"), (Status::Accepted, Origin::Detector, q(70), 27, 41));
            assert_eq!(review(d, "p-cue"), (Status::Rejected, Origin::Detector, q(64), 20, 26), "left out: rejected");
            assert_eq!(d.annotations.len(), 3, "{parent:?}: nothing twice");
        }
    }

    #[test]
    fn another_tools_model_version_and_percentage_score_are_kept_as_they_are() {
        let mut p = predicted(None);
        p["model_version"] = json!("spaCy NER v3");
        p["result"][0]["score"] = json!(87.0);
        p["result"][1].as_object_mut().unwrap().remove("score");
        let tasks = json!({"data": {"text": SAID}, "predictions": [p]});
        let d = &read(file(&tasks).path(), &LabelMap::new(cb()), cb(), "me").unwrap()[0];
        let by = |id: &str| review(d, id).2.unwrap();
        assert_eq!(by("p-claim"), ("spaCy NER v3".to_string(), 0, 87));
        assert_eq!(by("p-cue").2, 75, "the prediction's score, 0.747");
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
