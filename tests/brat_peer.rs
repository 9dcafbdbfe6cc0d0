//! The brat model against brat itself: the fixture corpus (tests/fixtures/brat-attribution)
//! read by newsnote's `.ann` reader, written back with its writer beside an `annotation.conf`
//! from its configuration writer, and read again by brat's own reader and configuration parser
//! (tests/brat/read_with_brat.py, from the `bratiaa` package). brat must read every line, find
//! each span's text at its offsets in the `.txt`, accept the configuration, and see the same
//! records newsnote wrote.
//!
//! Python comes from `NEWSNOTE_BRAT_PYTHON` (CI sets it to a venv with bratiaa), else
//! `python3`. Without Python or bratiaa the check is skipped with a message, except when `CI` is
//! set, where it fails.

use newsnote::brat::conf::{AnnotationConf, AttributeType, Cardinality, EventRole, EventType, RelationType};
use newsnote::brat::{self, BratDoc, CharSpan, Entity, Equivalence, Event, Normalization, Relation, Role, write_ann};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/brat-attribution")
}

/// Every `.ann` of one coder's folder, parsed: (stem, text, doc, warnings as text).
fn coder(name: &str) -> Vec<(String, String, BratDoc, Vec<String>)> {
    let dir = fixtures().join(name);
    let mut anns: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ann"))
        .collect();
    anns.sort();
    anns.iter()
        .map(|p| {
            let rel = p.strip_prefix(fixtures()).unwrap();
            let (doc, warnings) = brat::parse(rel, &std::fs::read_to_string(p).unwrap());
            let text = std::fs::read_to_string(p.with_extension("txt")).unwrap();
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, text, doc, warnings.iter().map(ToString::to_string).collect())
        })
        .collect()
}

#[test]
fn the_attribution_fixtures_parse_with_only_the_malformed_line_skipped() {
    let (a, b) = (coder("coder-a"), coder("coder-b"));
    let warnings: Vec<&String> = a.iter().chain(&b).flat_map(|d| &d.3).collect();
    assert_eq!(warnings, ["coder-a/harbour.ann:6: no tab after the id; skipped: \"T4 Source 0 7 Harbour\""]);
    let events =
        |docs: &[(String, String, BratDoc, Vec<String>)]| docs.iter().map(|d| d.2.events.len()).collect::<Vec<_>>();
    assert_eq!((events(&a), events(&b)), (vec![2, 4, 2], vec![2, 3, 2]), "harbour, kremlin, lyon");
    let kremlin = &a[1].2;
    let quote = kremlin.entity("T3").unwrap();
    assert_eq!(quote.fragments.len(), 2, "the quote interrupted by “Dmitry Peskov said on Tuesday”");
    assert_eq!(quote.stated_text(), Some("“We do not accept these terms,” “and we never will.”"));
    let lyon = &a[2].2;
    assert_eq!(lyon.events[0].args.iter().filter(|r| r.role == "Source").count(), 2, "two sources");
    let harbour = &b[0].2;
    assert_eq!(harbour.events[0].ty, "Attribution-no-source", "read past the BOM");
    assert_eq!(
        b[2].2,
        brat::parse(
            Path::new("x"),
            &std::fs::read_to_string(fixtures().join("coder-b/lyon.ann")).unwrap().replace("\r\n", "\n")
        )
        .0
        .clone(),
        "CRLF"
    );
}

/// The fixtures' scheme, plus a relation type and a flag for the extra document.
fn conf() -> AnnotationConf {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let role = |role: &str, cardinality| EventRole { role: role.into(), cardinality, types: s(&[role]) };
    let event = |name: &str, source: bool| EventType {
        name: name.into(),
        roles: [
            source.then(|| role("Source", Cardinality::Any)),
            Some(role("Cue", Cardinality::AtLeastOne)),
            Some(role("Content", Cardinality::One)),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    AnnotationConf {
        comment: vec!["brat_peer.rs: the attribution fixtures' scheme".into()],
        entities: s(&["Source", "Cue", "Content"]),
        relations: vec![RelationType { name: "Coref".into(), arg1: s(&["Source"]), arg2: s(&["Source"]) }],
        any_overlap: true,
        events: vec![event("Attribution", true), event("Attribution-no-source", false)],
        attributes: vec![
            AttributeType {
                name: "Type".into(),
                on: s(&["Attribution", "Attribution-no-source"]),
                values: s(&["Direct", "Indirect", "Mixed"]),
            },
            AttributeType { name: "Negated".into(), on: s(&["<EVENT>"]), values: vec![] },
        ],
    }
}

/// A document with the kinds of line the fixtures lack (R, M flag, N, *) over Cyrillic text.
fn extra() -> (String, BratDoc) {
    let text = "Песков сказал: «нет — никогда».\n";
    let t = |id: &str, ty: &str, s: usize, e: usize| Entity {
        id: id.into(),
        ty: ty.into(),
        fragments: vec![CharSpan::new(s, e)],
        text: Some(text.chars().skip(s).take(e - s).collect()),
        line: 0,
    };
    let doc = BratDoc {
        entities: vec![
            t("T1", "Source", 0, 6),
            t("T2", "Cue", 7, 13),
            t("T3", "Content", 16, 29),
            t("T4", "Attribution", 7, 13),
            t("T5", "Source", 0, 6),
        ],
        events: vec![Event {
            id: "E1".into(),
            ty: "Attribution".into(),
            trigger: "T4".into(),
            args: vec![
                Role { role: "Content".into(), id: "T3".into() },
                Role { role: "Cue".into(), id: "T2".into() },
                Role { role: "Source".into(), id: "T1".into() },
                Role { role: "Source".into(), id: "T5".into() },
            ],
            line: 0,
        }],
        relations: vec![Relation {
            id: "R1".into(),
            ty: "Coref".into(),
            args: [("Arg1".into(), "T1".into()), ("Arg2".into(), "T5".into())],
            line: 0,
        }],
        attributes: vec![newsnote::brat::Attribute {
            id: "M1".into(),
            name: "Negated".into(),
            target: "E1".into(),
            value: None,
            line: 0,
        }],
        normalizations: vec![Normalization {
            id: "N1".into(),
            ty: "Reference".into(),
            target: "T1".into(),
            db: "Wikidata".into(),
            db_id: "Q4382925".into(),
            text: Some("Дмитрий Песков".into()),
            line: 0,
        }],
        notes: vec![],
        equivalences: vec![Equivalence { ty: "Alias".into(), ids: vec!["T1".into(), "T5".into()], line: 0 }],
    };
    (text.into(), doc)
}

/// The records as read_with_brat.py prints them.
fn as_json(doc: &BratDoc) -> Value {
    json!({
        "entities": doc.entities.iter().map(|t| json!({
            "id": t.id, "type": t.ty, "text": t.stated_text(),
            "spans": t.fragments.iter().map(|f| json!([f.start, f.end])).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "events": doc.events.iter().map(|e| json!({
            "id": e.id, "type": e.ty, "trigger": e.trigger,
            "args": e.args.iter().map(|a| json!([a.role, a.id])).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "relations": doc.relations.iter().map(|r| json!({"id": r.id, "type": r.ty, "args": r.args})).collect::<Vec<_>>(),
        "attributes": doc.attributes.iter().map(|a| json!({"id": a.id, "name": a.name, "target": a.target, "value": a.value})).collect::<Vec<_>>(),
        "normalizations": doc.normalizations.iter().map(|n| json!({"id": n.id, "type": n.ty, "target": n.target, "db": n.db, "db_id": n.db_id, "text": n.text})).collect::<Vec<_>>(),
        "notes": doc.notes.iter().map(|n| json!({"id": n.id, "type": n.ty, "target": n.target, "text": n.text})).collect::<Vec<_>>(),
        "equivalences": doc.equivalences.iter().map(|q| json!({"type": q.ty, "ids": q.ids})).collect::<Vec<_>>(),
    })
}

/// The Python to run brat's reader with, or why there is none.
fn python() -> Result<String, String> {
    let python = std::env::var("NEWSNOTE_BRAT_PYTHON").unwrap_or_else(|_| "python3".into());
    match Command::new(&python).arg("--version").output() {
        Ok(o) if o.status.success() => Ok(python),
        Ok(o) => Err(format!("{python} --version failed: {}", String::from_utf8_lossy(&o.stderr))),
        Err(e) => Err(format!("cannot run {python}: {e}")),
    }
}

fn skip_or_fail(why: &str) {
    assert!(std::env::var_os("CI").is_none(), "CI needs brat's reader: {why}");
    eprintln!("SKIPPED (not CI): brat's reader is not available: {why}");
}

#[test]
fn written_ann_files_and_their_annotation_conf_read_back_in_brat_record_for_record() {
    let python = match python() {
        Ok(p) => p,
        Err(why) => return skip_or_fail(&why),
    };
    let dir = tempfile::tempdir().unwrap();
    let conf = conf();
    let mut expected = serde_json::Map::new();
    for name in ["coder-a", "coder-b"] {
        let folder = dir.path().join(name);
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("annotation.conf"), conf.render()).unwrap();
        let mut docs = coder(name);
        if name == "coder-a" {
            let (text, doc) = extra();
            docs.push(("extra".into(), text, doc, vec![]));
        }
        let mut want = serde_json::Map::new();
        for (stem, text, doc, _) in &docs {
            std::fs::write(folder.join(format!("{stem}.txt")), text).unwrap();
            std::fs::write(folder.join(format!("{stem}.ann")), write_ann(doc)).unwrap();
            want.insert(stem.clone(), as_json(doc));
        }
        expected.insert(folder.canonicalize().unwrap().display().to_string(), Value::Object(want));
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/brat/read_with_brat.py");
    let out = Command::new(&python)
        .arg(script)
        .args(["coder-a", "coder-b"].map(|n| dir.path().join(n).canonicalize().unwrap()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) {
        return skip_or_fail(&stderr);
    }
    assert!(out.status.success(), "brat complained:\n{stderr}");
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    for (folder, want) in &expected {
        let got = &seen[folder];
        assert_eq!(&got["docs"], want, "{folder}: brat read other records than were written");
        let c = &got["conf"];
        assert_eq!(c["entities"], json!(["Source", "Cue", "Content"]));
        let roles = &c["events"]["Attribution"];
        assert_eq!(
            (&roles["Source"]["min"], &roles["Cue"]["min"], &roles["Content"]["max"]),
            (&json!(0), &json!(1), &json!(1))
        );
        assert_eq!(roles["Source"]["max"], json!(1000), "any number of sources");
        assert!(c["events"]["Attribution-no-source"].get("Source").is_none());
        assert_eq!(c["attributes"]["Type"]["Value"]["types"], json!(["Direct", "Indirect", "Mixed"]));
        assert_eq!(c["relations"]["Coref"]["Arg1"]["types"], json!(["Source"]));
    }
}
