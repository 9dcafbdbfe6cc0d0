//! Interchange with doccano, Label Studio and Citron: the shipped samples exported and compared
//! with golden files, exported and imported back into a fresh copy of the articles (the round
//! trip must give back every annotation: label with kind, offsets, quote, note, claim → source
//! link), the same for an article with astral characters (where doccano's UTF-16 offsets and
//! code points differ), and the exports checked by Python, which slices strings by code point.
//!
//! Golden files: `NEWSNOTE_BLESS=1 cargo test --test interchange` rewrites them; review the diff.
//!
//! The Python check needs `python3` (or the interpreter named by `NEWSNOTE_PYTHON`). Without
//! it the check fails under CI (`CI` set), where a silent pass would hide that it never ran,
//! and elsewhere says on the terminal that it was skipped.

mod common;

use common::samples::{load, root, samples};
use newsnote::export::{self, ExportArticle, doccano, labelstudio};
use newsnote::import::{self, ImportFormat, LabelMap};
use newsnote::model::annotation::{Annotation, LabelId, Origin, Status};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::units::{ByteRange, CharRange};

/// What a round trip must preserve, in a form that ignores ids: label, offsets, quote, note,
/// the sources' and cues' spans, the further pieces and the attribute values.
type Key = (LabelId, usize, usize, String, Option<String>, Vec<(usize, usize)>, Vec<(usize, usize)>, String);

fn keys(a: &ExportArticle, with_notes: bool) -> Vec<Key> {
    let cb = newsnote::model::codebook::Codebook::default_scheme();
    let spans = |xs: Vec<&Annotation>| xs.iter().map(|s| (s.start, s.end)).collect::<Vec<_>>();
    let mut k: Vec<Key> = a
        .annotations
        .iter()
        .map(|x| {
            let note = x.note.clone().filter(|_| with_notes);
            let more =
                format!("{:?} {:?}", x.fragments.iter().map(|f| (f.start, f.end)).collect::<Vec<_>>(), x.attributes);
            (
                x.label.clone(),
                x.start,
                x.end,
                x.quote.clone(),
                note,
                spans(a.sources_of(cb, x)),
                spans(a.cues_of(cb, x)),
                more,
            )
        })
        .collect();
    k.sort();
    k
}

/// Writes `articles`' texts into a fresh folder, imports `exported` in `format` into it and loads
/// the result.
fn round_trip(format: ImportFormat, articles: &[ExportArticle], exported: &str) -> Vec<ExportArticle> {
    round_trip_in(newsnote::model::codebook::Codebook::default_scheme(), format, articles, exported)
}

fn round_trip_in(
    cb: &newsnote::model::codebook::Codebook,
    format: ImportFormat,
    articles: &[ExportArticle],
    exported: &str,
) -> Vec<ExportArticle> {
    let dir = tempfile::tempdir().unwrap();
    let (texts, anns) = (dir.path().join("articles"), dir.path().join("annotations"));
    std::fs::create_dir(&texts).unwrap();
    for a in articles {
        std::fs::write(texts.join(&a.id), &a.text).unwrap();
    }
    let file = dir.path().join("export");
    std::fs::write(&file, exported).unwrap();
    let docs = import::read(format, &file, &LabelMap::new(cb), cb, "round-trip").unwrap();
    for d in &docs {
        assert!(d.warnings.is_empty(), "{format:?} import of newsnote's own export warned: {:?}", d.warnings);
    }
    let corpus = Corpus::open(&texts, AnnotationRoot::Mirrored(anns.clone())).unwrap();
    for (o, a) in import::write_into(&corpus, cb, docs).iter().zip(articles) {
        assert!(o.ron_path.is_some() && o.messages.is_empty(), "{o:?}");
        assert_eq!((o.added, o.duplicates), (a.annotations.len(), 0));
    }
    let back = load(&texts, &anns);
    for a in back.iter().flat_map(|a| &a.annotations) {
        assert_eq!((a.origin, a.status, a.author.as_str()), (Origin::Imported, Status::Accepted, "round-trip"));
    }
    back
}

fn assert_same(format: ImportFormat, before: &[ExportArticle], after: &[ExportArticle]) {
    assert_eq!(before.len(), after.len());
    for (a, b) in before.iter().zip(after) {
        assert_eq!(a.id, b.id);
        assert_eq!(keys(a, true), keys(b, true), "{format:?} round trip of {}", a.id);
        let prefixes = |x: &ExportArticle| {
            x.annotations.iter().map(|y| (y.start, y.prefix.clone(), y.suffix.clone())).collect::<Vec<_>>()
        };
        assert_eq!(prefixes(a), prefixes(b), "context of {}", a.id);
    }
}

#[test]
fn doccano_round_trip_gives_back_every_annotation_note_and_link() {
    let s = samples();
    assert_same(
        ImportFormat::Doccano,
        &s,
        &round_trip(
            ImportFormat::Doccano,
            &s,
            &doccano::render(&s, newsnote::model::codebook::Codebook::default_scheme()),
        ),
    );
}

#[test]
fn fragments_cues_several_sources_and_attribute_values_survive_both_round_trips() {
    let (_dir, rich) = common::samples::rich_corpus();
    let cb = common::samples::rich_codebook();
    let d = doccano::render(&rich, &cb);
    assert_same(ImportFormat::Doccano, &rich, &round_trip_in(&cb, ImportFormat::Doccano, &rich, &d));
    let l = labelstudio::render(&rich, &cb);
    assert_same(ImportFormat::Labelstudio, &rich, &round_trip_in(&cb, ImportFormat::Labelstudio, &rich, &l));
}

#[test]
fn label_studio_round_trip_gives_back_every_annotation_note_and_link_with_its_id() {
    let s = samples();
    let back = round_trip(
        ImportFormat::Labelstudio,
        &s,
        &labelstudio::render(&s, newsnote::model::codebook::Codebook::default_scheme()),
    );
    assert_same(ImportFormat::Labelstudio, &s, &back);
    let ids =
        |x: &[ExportArticle]| x.iter().flat_map(|a| a.annotations.iter().map(|y| y.id.clone())).collect::<Vec<_>>();
    assert_eq!(ids(&s), ids(&back));
}

/// "👍🏽 Peskov said “no”" with Peskov the source of the claim “no”.
fn astral() -> ExportArticle {
    let text = "👍🏽 Peskov said “no”";
    let mk = |label, quote: &str| {
        let b = text.find(quote).unwrap();
        let c = text[..b].chars().count();
        Annotation::new_manual(
            label,
            text,
            ByteRange::new(b, b + quote.len()),
            CharRange::new(c, c + quote.chars().count()),
            "t",
            "now",
        )
    };
    let source = mk(LabelId::new("Source"), "Peskov");
    let mut claim = mk(LabelId::new("Claim"), "“no”");
    claim.links.insert("source".into(), vec![source.id.clone()]);
    claim.note = Some("denial".into());
    ExportArticle::new("emoji.txt".into(), "emoji".into(), text.into(), vec![source, claim])
}

#[test]
fn astral_offsets_survive_both_round_trips() {
    let a = [astral()];
    let d = doccano::render(&a, newsnote::model::codebook::Codebook::default_scheme());
    assert!(d.contains(r#""start_offset":5,"end_offset":11,"label":"Source""#), "{d}");
    assert_same(ImportFormat::Doccano, &a, &round_trip(ImportFormat::Doccano, &a, &d));
    let l = labelstudio::render(&a, newsnote::model::codebook::Codebook::default_scheme());
    assert!(l.contains("\"start\": 3,\n") && l.contains("\"end\": 9,\n"), "{l}");
    assert_same(ImportFormat::Labelstudio, &a, &round_trip(ImportFormat::Labelstudio, &a, &l));
}

fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("NEWSNOTE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(expected == actual, "{} differs from the export; NEWSNOTE_BLESS=1 rewrites it", path.display());
}

#[test]
fn sample_exports_match_the_golden_files_byte_for_byte() {
    let s = samples();
    golden("doccano/samples.jsonl", &doccano::render(&s, newsnote::model::codebook::Codebook::default_scheme()));
    golden("labelstudio/samples.json", &labelstudio::render(&s, newsnote::model::codebook::Codebook::default_scheme()));
    golden("citron/samples.jsonl", &export::citron::render(&s, newsnote::model::codebook::Codebook::default_scheme()));
}

/// Python slices `str` by code point and can decode UTF-16 itself: Label Studio's offsets must
/// slice to `value.text` directly, doccano's after encoding to UTF-16, Citron's directly.
const PY_CHECK: &str = r#"
import json, sys
ls = json.load(open(sys.argv[1], encoding="utf-8"))
dc = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
ci = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8")]
n = 0
assert len(ls) == len(dc) == len(ci)
for task, rec, doc in zip(ls, dc, ci):
    text = task["data"]["text"]
    assert rec["text"] == text == doc["text"]
    spans = [r for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    u = text.encode("utf-16-le")
    assert len(spans) == len(rec["entities"])
    for r, e in zip(spans, rec["entities"]):
        v = r["value"]
        assert text[v["start"]:v["end"]] == v["text"], v
        assert u[2 * e["start_offset"]:2 * e["end_offset"]].decode("utf-16-le") == v["text"], e
        n += 1
    for q in doc["quotes"]:
        for s in q["sources"] + q["contents"]:
            assert text[s["start"]:s["end"]] == s["text"], s
print(n)
"#;

#[test]
fn python_reads_every_export_and_its_offsets_slice_to_the_quotes() {
    let mut arts = samples();
    arts.push(astral());
    let dir = tempfile::tempdir().unwrap();
    let paths = ["ls.json", "doccano.jsonl", "citron.jsonl"].map(|n| dir.path().join(n));
    std::fs::write(&paths[0], labelstudio::render(&arts, newsnote::model::codebook::Codebook::default_scheme()))
        .unwrap();
    std::fs::write(&paths[1], doccano::render(&arts, newsnote::model::codebook::Codebook::default_scheme())).unwrap();
    std::fs::write(&paths[2], export::citron::render(&arts, newsnote::model::codebook::Codebook::default_scheme()))
        .unwrap();
    let python = std::env::var("NEWSNOTE_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = match std::process::Command::new(&python).arg("-c").arg(PY_CHECK).args(&paths).output() {
        Ok(out) => out,
        Err(e) => {
            let why = format!("{python} is not available ({e}): the Python check of the exports did not run");
            assert!(std::env::var_os("CI").is_none(), "{why}; CI must have it (apt-get install python3)");
            // Straight to the terminal: libtest hides what a passing test prints with eprintln!.
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
            return;
        }
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "95");
}

/// The Python check run again as a child process with an interpreter that does not exist.
fn without_python(ci: bool) -> std::process::Output {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child
        .args(["--exact", "python_reads_every_export_and_its_offsets_slice_to_the_quotes", "--test-threads=1"])
        .env("NEWSNOTE_PYTHON", "/nonexistent/питон3")
        .env("RUST_BACKTRACE", "0");
    if ci {
        child.env("CI", "true");
    } else {
        child.env_remove("CI");
    }
    child.output().unwrap()
}

#[test]
fn without_python_the_check_fails_under_ci_and_says_skipped_elsewhere() {
    let ci = without_python(true);
    assert!(!ci.status.success(), "under CI a missing python3 fails the test");
    assert!(String::from_utf8_lossy(&ci.stdout).contains("CI must have it"), "{}", String::from_utf8_lossy(&ci.stdout));
    let here = without_python(false);
    assert!(here.status.success(), "{}", String::from_utf8_lossy(&here.stdout));
    let err = String::from_utf8_lossy(&here.stderr);
    assert!(err.contains("SKIPPED: /nonexistent/питон3 is not available"), "said on the terminal: {err}");
}

/// Label Studio's own readers: label-studio-sdk's `LabelInterface` validates the generated
/// config and every region and relation of every annotation against it, and
/// label-studio-converter (which reads `task["id"]` and `annotation["id"]`) converts the tasks
/// to JSON-MIN and CoNLL 2003.
const LS_CHECK: &str = r#"
import json, os, sys, tempfile
from label_studio_sdk.label_interface import LabelInterface
from label_studio_converter import Converter
config = open(sys.argv[1], encoding="utf-8").read()
tasks = json.load(open(sys.argv[2], encoding="utf-8"))
li = LabelInterface(config)
li.validate()
n = 0
for t in tasks:
    for a in t["annotations"]:
        errors = li.validate_prediction(a, return_errors=True)
        assert errors == [], errors
        n += len(a["result"])
out = tempfile.mkdtemp()
c = Converter(config=config, project_dir=None, download_resources=False)
c.convert_to_json_min(sys.argv[2], out, is_dir=False)
rows = json.load(open(os.path.join(out, "result.json"), encoding="utf-8"))
assert len(rows) == len(tasks), rows
assert sorted(r["id"] for r in rows) == sorted(t["id"] for t in tasks)
rus = next(r for r in rows if r["article_id"] == "рус.txt")
assert rus["kind"] == "Newsletter" and "direct" in rus["quote_type"], rus
assert rus["topics"][0]["choices"] == ["war", "economy"] and rus["evidence"][0] == "ТАСС", rus
for r in rows:
    for span in r.get("label", []):
        assert r["text"][span["start"]:span["end"]] == span["text"], span
c.convert_to_conll2003(sys.argv[2], out, is_dir=False)
print(n)
"#;

/// The Python interpreter for a check, or `None` (after failing under CI) when it or
/// `module` is missing.
fn python_with(module: &str) -> Option<String> {
    let python = std::env::var("NEWSNOTE_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = std::process::Command::new(&python).args(["-c", &format!("import {module}")]).output();
    match ok {
        Ok(o) if o.status.success() => Some(python),
        other => {
            let why = format!("{python} cannot import {module} ({other:?}): the check did not run");
            assert!(std::env::var_os("CI").is_none(), "{why}; CI must have it (.ci/run pip-installs it)");
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
            None
        }
    }
}

#[test]
fn label_studio_sdk_and_converter_accept_the_tasks_and_the_generated_config() {
    let (_dir, rich) = common::samples::rich_corpus();
    let cb = common::samples::rich_codebook();
    let mut arts = samples();
    arts.extend(rich);
    let Some(python) = python_with("label_studio_sdk, label_studio_converter") else { return };
    let dir = tempfile::tempdir().unwrap();
    let (config, tasks) = (dir.path().join("config.xml"), dir.path().join("tasks.json"));
    std::fs::write(&config, labelstudio::config(&cb)).unwrap();
    std::fs::write(&tasks, labelstudio::render(&arts, &cb)).unwrap();
    let out = std::process::Command::new(&python).arg("-c").arg(LS_CHECK).args([&config, &tasks]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let results: usize = arts
        .iter()
        .map(|a| {
            let v: serde_json::Value =
                serde_json::from_str(&labelstudio::render(std::slice::from_ref(a), &cb)).unwrap();
            v[0]["annotations"][0]["result"].as_array().unwrap().len()
        })
        .sum();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), results.to_string());
}

/// label-studio-sdk's `LabelInterface` on a task's predictions (each validated as Label
/// Studio validates an imported prediction) and its annotation; label-studio-converter reads
/// the tasks. Prints the model versions and scores of every prediction.
const LS_PREDICTIONS: &str = r#"
import json, os, sys, tempfile
from label_studio_sdk.label_interface import LabelInterface
from label_studio_converter import Converter
config = open(sys.argv[1], encoding="utf-8").read()
tasks = json.load(open(sys.argv[2], encoding="utf-8"))
li = LabelInterface(config)
seen = []
for t in tasks:
    for a in t["annotations"]:
        assert li.validate_prediction(a, return_errors=True) == []
    for p in t.get("predictions", []):
        errors = li.validate_prediction(p, return_errors=True)
        assert errors == [], errors
        assert 0 <= p["score"] <= 1, p
        seen.append([p["model_version"], p["score"], sorted(r["id"] for r in p["result"] if r["type"] == "labels")])
out = tempfile.mkdtemp()
Converter(config=config, project_dir=None, download_resources=False).convert_to_json_min(sys.argv[2], out, is_dir=False)
print(json.dumps(seen, ensure_ascii=False))
"#;

#[test]
fn label_studio_sdk_reads_open_suggestions_as_predictions_with_model_version_and_score() {
    let (_dir, texts, anns) = common::samples::suggested_corpus();
    let arts = load(&texts, &anns);
    let cb = newsnote::model::codebook::Codebook::default_scheme();
    let v: serde_json::Value = serde_json::from_str(&labelstudio::render(&arts, cb)).unwrap();
    // The coding is the annotation; the suggestions are not in it.
    let ids: Vec<&str> = v[0]["annotations"][0]["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "labels")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c1", "q1", "s1"]);
    let Some(python) = python_with("label_studio_sdk, label_studio_converter") else { return };
    let dir = tempfile::tempdir().unwrap();
    let (config, tasks) = (dir.path().join("config.xml"), dir.path().join("tasks.json"));
    std::fs::write(&config, labelstudio::config(cb)).unwrap();
    std::fs::write(&tasks, labelstudio::render(&arts, cb)).unwrap();
    let out =
        std::process::Command::new(&python).arg("-c").arg(LS_PREDICTIONS).args([&config, &tasks]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen, serde_json::json!([["quotes-1", 0.737, ["p-claim", "p-cue", "p-source"]]]));
}

#[test]
fn suggestions_exported_to_doccano_come_back_as_suggestions_with_their_detector() {
    let (_dir, texts, anns) = common::samples::suggested_corpus();
    let arts = load(&texts, &anns);
    let cb = newsnote::model::codebook::Codebook::default_scheme();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.jsonl");
    std::fs::write(&file, doccano::render(&arts, cb)).unwrap();
    let docs = import::read(ImportFormat::Doccano, &file, &LabelMap::new(cb), cb, "back").unwrap();
    assert!(docs[0].warnings.is_empty(), "{:?}", docs[0].warnings);
    let review = |a: &Annotation| {
        let by = a.suggestion.as_ref();
        (a.quote.clone(), a.status.as_str(), by.map(|s| s.origin()), by.map(|s| s.confidence))
    };
    let mut back: Vec<_> = docs[0].annotations.iter().map(review).collect();
    let mut want: Vec<_> = arts[0].annotations.iter().map(review).collect();
    back.sort();
    want.sort();
    assert_eq!(back, want);
    assert_eq!(back.iter().filter(|a| a.1 == "Proposed").count(), 3);
}
