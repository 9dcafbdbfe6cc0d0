//! Offsets and the file on disk: an article saved with a BOM and CRLF line ends goes through
//! every export format, and in each one the offsets slice newsnote's text (BOM stripped,
//! CRLF → LF) to the quotes while the export says so, so a tool that slices the file itself
//! knows to normalise it first. Also the Label Studio config written by the CLI.

mod common;

use common::samples::{RICH_FILE, rich_codebook, rich_corpus};
use newsnote::export::{self, ExportArticle, Format, Output, TEXT_NORMALISATION};
use serde_json::Value;

/// Code points `s..e` of `text`.
fn slice(text: &str, s: u64, e: u64) -> String {
    text.chars().skip(s as usize).take((e - s) as usize).collect()
}

fn document(format: Format, arts: &[ExportArticle]) -> String {
    match export::export(format, arts, &rich_codebook()) {
        Output::Document(s) => s,
        Output::Folder(files) => files.into_iter().map(|(_, b)| String::from_utf8(b).unwrap()).collect(),
        Output::Binary(_) | Output::Refused(_) => panic!("{format:?} is not a text format"),
    }
}

#[test]
fn a_crlf_article_with_a_bom_gives_offsets_into_the_normalised_text_in_every_format() {
    let (_dir, arts) = rich_corpus();
    let text = &arts[0].text;
    assert!(RICH_FILE.contains("\r\n") && RICH_FILE.starts_with('\u{feff}'));
    assert_eq!(*text, RICH_FILE.trim_start_matches('\u{feff}').replace("\r\n", "\n"));
    // Every piece of every annotation, as (start, end, quote).
    let mut want: Vec<(u64, u64, String)> = arts[0]
        .annotations
        .iter()
        .flat_map(|a| a.pieces().map(|(r, q)| (r.start as u64, r.end as u64, q.to_owned())))
        .collect();
    want.sort();
    let on_disk: String = RICH_FILE.chars().skip(want[1].0 as usize).take(6).collect();
    assert_ne!(on_disk, want[1].2[..].chars().take(6).collect::<String>(), "the file's own code points are shifted");
    let check_against = |format: Format, mut got: Vec<(u64, u64, String)>, want: &[(u64, u64, String)]| {
        got.sort();
        got.dedup();
        for (s, e, q) in &got {
            assert_eq!(&slice(text, *s, *e), q, "{format:?}: {s}..{e}");
        }
        assert_eq!(got, want, "{format:?} carries every piece");
    };
    let check = |format: Format, got: Vec<(u64, u64, String)>| check_against(format, got, &want);
    let says = |format: Format, out: &str| {
        let escaped = TEXT_NORMALISATION.replace('\'', "&#39;");
        let prose = "a BOM stripped and CRLF read as LF"; // the reports' sentence
        assert!(
            out.contains(TEXT_NORMALISATION) || out.contains(&escaped) || out.contains(prose),
            "{format:?} says what its offsets count"
        );
    };

    let json: Value = serde_json::from_str(&document(Format::Json, &arts)).unwrap();
    assert_eq!(json["text_normalisation"], TEXT_NORMALISATION);
    let mut got = Vec::new();
    for a in json["articles"][0]["annotations"].as_array().unwrap() {
        got.push((a["start"].as_u64().unwrap(), a["end"].as_u64().unwrap(), a["quote"].as_str().unwrap().to_owned()));
        for f in a["fragments"].as_array().unwrap() {
            got.push((
                f["start"].as_u64().unwrap(),
                f["end"].as_u64().unwrap(),
                f["quote"].as_str().unwrap().to_owned(),
            ));
        }
    }
    check(Format::Json, got);

    let jsonl = document(Format::Jsonl, &arts);
    let line: Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(line["text_normalisation"], TEXT_NORMALISATION);

    let csv = document(Format::Csv, &arts);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let head = r.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let mut got = Vec::new();
    for row in r.records().map(Result::unwrap) {
        assert_eq!(&row[col("text_normalisation")], TEXT_NORMALISATION);
        let (s, e) = (row[col("start")].parse().unwrap(), row[col("end")].parse().unwrap());
        got.push((s, e, row[col("quote")].to_owned()));
        for piece in row[col("fragments")].split(';').filter(|p| !p.is_empty()) {
            let (s, e) = piece.split_once('-').unwrap();
            let (s, e) = (s.parse().unwrap(), e.parse().unwrap());
            got.push((s, e, slice(text, s, e)));
        }
    }
    check(Format::Csv, got);

    let w3c: Value = serde_json::from_str(&document(Format::W3c, &arts)).unwrap();
    assert_eq!(w3c["text_normalisation"], TEXT_NORMALISATION);
    let mut got = Vec::new();
    for item in w3c["first"]["items"].as_array().unwrap().iter().filter(|i| i["motivation"] == "classifying") {
        let targets = match &item["target"] {
            Value::Array(t) => t.clone(),
            t => vec![t.clone()],
        };
        for t in targets {
            let sel = t["selector"].as_array().unwrap();
            let pos = sel.iter().find(|s| s["type"] == "TextPositionSelector").unwrap();
            let quote = sel.iter().find(|s| s["type"] == "TextQuoteSelector").unwrap();
            got.push((
                pos["start"].as_u64().unwrap(),
                pos["end"].as_u64().unwrap(),
                quote["exact"].as_str().unwrap().to_owned(),
            ));
        }
    }
    check(Format::W3c, got);

    let ls: Value = serde_json::from_str(&document(Format::Labelstudio, &arts)).unwrap();
    assert_eq!(ls[0]["data"]["text"], text.as_str(), "the task carries the normalised text");
    let got = ls[0]["annotations"][0]["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "labels")
        .map(|r| {
            (
                r["value"]["start"].as_u64().unwrap(),
                r["value"]["end"].as_u64().unwrap(),
                r["value"]["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    check(Format::Labelstudio, got);

    let dc: Value = serde_json::from_str(document(Format::Doccano, &arts).trim_end()).unwrap();
    assert_eq!(dc["meta"]["text_normalisation"], TEXT_NORMALISATION);
    let units: Vec<u16> = dc["text"].as_str().unwrap().encode_utf16().collect();
    let got = dc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let (s, t) = (e["start_offset"].as_u64().unwrap() as usize, e["end_offset"].as_u64().unwrap() as usize);
            let q = String::from_utf16(&units[s..t]).unwrap();
            let c = |u: usize| String::from_utf16(&units[..u]).unwrap().chars().count() as u64;
            (c(s), c(t), q)
        })
        .collect();
    check(Format::Doccano, got);

    let citron: Value = serde_json::from_str(&document(Format::Citron, &arts)).unwrap();
    assert_eq!(citron["text_normalisation"], TEXT_NORMALISATION);
    let q = &citron["quotes"][0];
    let mut got = Vec::new();
    for s in q["contents"].as_array().unwrap().iter().chain(q["sources"].as_array().unwrap()).chain([&q["cue"]]) {
        got.push((s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap(), s["text"].as_str().unwrap().to_owned()));
    }
    let quoted: Vec<_> = want.iter().filter(|w| w.2 != "Subscribe now!").cloned().collect();
    check_against(Format::Citron, got, &quoted);

    for format in [Format::Html, Format::Md, Format::Jsonl, Format::Citron, Format::Doccano, Format::Labelstudio] {
        says(format, &document(format, &arts));
    }
    let html = document(Format::Html, &arts);
    for (s, e, _) in &want {
        assert!(html.contains(&format!("[{s}–{e})")), "the page shows {s}–{e}");
    }
}

#[test]
fn the_cli_writes_the_label_studio_config_generated_from_the_codebook() {
    let (dir, _) = rich_corpus();
    let codebook = dir.path().join("book.ron");
    let ron = newsnote::model::codebook::DEFAULT_RON.replacen(
        "attributes: [",
        "attributes: [\n(id: \"verdict\", name: \"вердикт\", labels: [\"Claim\"], kind: One([(id: \"true\", name: \"верно\", key: \"t\"), (id: \"false\", name: \"ложь\", key: \"f\")])),",
        1,
    );
    std::fs::write(&codebook, ron).unwrap();
    let (tasks, config) = (dir.path().join("tasks.json"), dir.path().join("config.xml"));
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_newsnote"))
            .args(["export", "articles", "--annotations", "annotations", "--codebook", "book.ron"])
            .args(extra)
            .current_dir(dir.path())
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap()
    };
    let o = run(&[
        "--format",
        "labelstudio",
        "-o",
        tasks.to_str().unwrap(),
        "--labelstudio-config",
        config.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xml = std::fs::read_to_string(&config).unwrap();
    assert!(xml.contains("<Choices name=\"verdict\" toName=\"text\" perRegion=\"true\" choice=\"single\">"), "{xml}");
    assert!(
        xml.contains("<Choice value=\"true\" hint=\"верно\"/>") && xml.contains("<Relation value=\"cue\"/>"),
        "{xml}"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&tasks).unwrap()).unwrap();
    assert!(v[0]["id"].is_u64());
    let wrong = run(&["--format", "csv", "--labelstudio-config", config.to_str().unwrap()]);
    assert!(!wrong.status.success(), "the config goes with the labelstudio format only");
}
