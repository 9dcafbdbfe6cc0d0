//! The REFI-QDA export checked by the peer's own rules: `project.qde` is validated against the
//! standard's `Project.xsd` by a real XSD validator (`xmllint --schema`), and the embedded
//! sources are sliced by code points the way an importer does.
//!
//! The schema lives outside the repository, in `../shared/reference/refi-qda/` (CI links
//! `../shared` beside the clone). With `CI` set, a missing schema or xmllint fails the test;
//! without it, the test says why it skipped.

use newsnote::export::refiqda::{
    Guid, QdaCode, QdaLink, QdaNote, QdaProject, QdaSelection, QdaSource, QdaUser, Rgb, write_qdpx,
};
use regex::Regex;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

fn schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/refi-qda/Project.xsd")
}

/// The schema, when it and xmllint are both there. In CI their absence is a failure, since a
/// skipped validation would pass silently.
fn validator() -> Option<PathBuf> {
    match find_validator(&schema_path(), "xmllint", std::env::var_os("CI").is_some()) {
        Ok(found) => found,
        Err(missing) => panic!("{missing}"),
    }
}

/// `Ok(Some(schema))` when both are there; when one is missing, an error under CI, else
/// `Ok(None)` after saying what was skipped.
fn find_validator(schema: &Path, xmllint: &str, ci: bool) -> Result<Option<PathBuf>, String> {
    let runs = Command::new(xmllint).arg("--version").output().is_ok_and(|o| o.status.success());
    let missing = match (schema.is_file(), runs) {
        (true, true) => return Ok(Some(schema.to_path_buf())),
        (false, _) => format!("the REFI-QDA schema is not at {}", schema.display()),
        (true, false) => format!("{xmllint} is not installed (apt-get install libxml2-utils)"),
    };
    if ci {
        return Err(format!("{missing}: CI must validate the REFI-QDA export"));
    }
    eprintln!("skipped: {missing}");
    Ok(None)
}

/// Runs `xmllint --schema` on a document; Ok(()) when it is valid, else xmllint's messages.
fn xmllint_validate(schema: &Path, xml: &[u8]) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("project.qde");
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint").arg("--noout").arg("--schema").arg(schema).arg(&file).output().unwrap();
    let messages = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() { Ok(()) } else { Err(messages) }
}

/// What a real XML parser reads at `xpath` (a string expression) in a document.
fn xpath_string(xml: &[u8], xpath: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("project.qde");
    std::fs::write(&file, xml).unwrap();
    let out = Command::new("xmllint").arg("--xpath").arg(xpath).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // xmllint ends the result with a line feed of its own (none of the strings read here do).
    let s = String::from_utf8(out.stdout).unwrap();
    s.strip_suffix('\n').unwrap_or(&s).to_string()
}

const TEXT: &str = "Пресс-секретарь 🇷🇺 Песков заявил: «переговоры идут».\n\
    東京の記者は「和平は近い」と書いた。\n\
    Le cafe\u{301} de l'e\u{301}quipe — 👩‍👩‍👧 familles.";

/// The quotes coded in [`TEXT`], in order, each with the code it gets.
const QUOTES: [(&str, &str); 4] = [
    ("Песков", "label:Source"),
    ("«переговоры идут»", "label:Claim"),
    ("「和平は近い」", "label:Claim"),
    ("e\u{301}quipe — 👩‍👩‍👧", "label:Boilerplate"),
];

/// The code-point span of the first occurrence of `quote` in `text`.
fn span(text: &str, quote: &str) -> (usize, usize) {
    let byte = text.find(quote).unwrap();
    let start = text[..byte].chars().count();
    (start, start + quote.chars().count())
}

/// A project as the adapter would build it: labels with a folder of values, two sources, a
/// note, a link and a user, with hostile strings wherever a string goes.
fn project(hostile: &str) -> QdaProject {
    let g = Guid::from_key;
    let user = g("user:ана");
    let code = |key: &str, name: &str, codable: bool, children: Vec<QdaCode>| QdaCode {
        guid: g(key),
        name: name.into(),
        codable,
        colour: codable.then_some(Rgb(0xd6, 0x27, 0x28)),
        description: Some(format!("{name}: определение {hostile}")),
        children,
    };
    let selections = QUOTES
        .iter()
        .enumerate()
        .map(|(i, (quote, label))| {
            let (start, end) = span(TEXT, quote);
            let mut codes = vec![g(label)];
            if *label == "label:Claim" {
                codes.push(g("label:Claim/attribute:quote_type/value:direct"));
            }
            QdaSelection {
                guid: g(&format!("annotation:статья.txt:{i}:0")),
                name: format!("{quote}{hostile}"),
                start,
                end,
                creating_user: Some(user),
                created: Some("2026-03-01T10:00:00Z".into()),
                modified: Some(hostile.into()),
                codes,
                notes: if i == 1 { vec![g("note:статья.txt:1")] } else { vec![] },
            }
        })
        .collect();
    QdaProject {
        name: format!("Корпус {hostile}"),
        origin: "newsnote tests".into(),
        created: Some("2026-03-01T10:00:00+03:00".into()),
        creating_user: Some(user),
        description: Some(hostile.into()),
        users: vec![QdaUser { guid: user, name: format!("ана {hostile}") }],
        codes: vec![
            code("label:Source", "Источник", true, vec![]),
            code(
                "label:Claim",
                "Утверждение",
                true,
                vec![code(
                    "label:Claim/attribute:quote_type",
                    "тип цитаты",
                    false,
                    vec![code("label:Claim/attribute:quote_type/value:direct", "прямая", true, vec![])],
                )],
            ),
            code("label:Boilerplate", "Шаблон", true, vec![]),
        ],
        sources: vec![
            QdaSource {
                guid: g("article:статья.txt"),
                name: format!("статья.txt {hostile}"),
                text: TEXT.into(),
                creating_user: Some(user),
                created: Some("2026-03-01T09:00:00Z".into()),
                selections,
            },
            QdaSource {
                guid: g("article:пусто.txt"),
                name: "пусто.txt".into(),
                text: String::new(),
                creating_user: None,
                created: None,
                selections: vec![],
            },
        ],
        notes: vec![QdaNote {
            guid: g("note:статья.txt:1"),
            name: "заметка".into(),
            text: format!("первая строка\r\nвторая\tстрока {hostile}"),
            creating_user: Some(user),
            created: Some("2026-03-01T10:00:00Z".into()),
        }],
        links: vec![QdaLink {
            guid: g("link:статья.txt:1:source"),
            name: "source".into(),
            origin: g("annotation:статья.txt:1:0"),
            target: g("annotation:статья.txt:0:0"),
        }],
    }
}

/// Control characters, markup, quotes, a CDATA end, line breaks: what scraped pages carry.
const HOSTILE: &str =
    "\u{0}\u{1b}[2J\u{7}\u{b}\u{c}\u{FFFE}\u{FFFF} </Project> <!-- ]]> &amp; \"'\t\r\n\u{85}\u{2028}\u{202e}";

/// The zip's entries by name.
fn unzip(bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

fn export(p: &QdaProject) -> Vec<(String, Vec<u8>)> {
    let mut out = Cursor::new(Vec::new());
    write_qdpx(p, &mut out).unwrap();
    unzip(out.into_inner())
}

fn entry<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &files.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} is not in the zip")).1
}

#[test]
fn an_exported_qdpx_validates_against_the_refi_qda_project_schema() {
    let Some(schema) = validator() else { return };
    let plain_text_path = Regex::new(r#"plainTextPath="internal://([^"]+)""#).unwrap();
    for hostile in ["", HOSTILE] {
        let files = export(&project(hostile));
        let qde = entry(&files, "project.qde");
        if let Err(e) = xmllint_validate(&schema, qde) {
            panic!("xmllint rejects the export:\n{e}\n{}", String::from_utf8_lossy(qde));
        }
        // Every text source's plainTextPath names a file of the zip.
        let qde = std::str::from_utf8(qde).unwrap();
        let paths: Vec<&str> = plain_text_path.captures_iter(qde).map(|c| c.get(1).unwrap().as_str()).collect();
        assert_eq!(paths.len(), 2);
        for p in paths {
            entry(&files, &format!("sources/{p}"));
        }
    }
}

#[test]
fn xmllint_rejects_a_project_without_a_required_attribute_or_out_of_order() {
    let Some(schema) = validator() else { return };
    let files = export(&project(""));
    let qde = std::str::from_utf8(entry(&files, "project.qde")).unwrap();
    assert_eq!(xmllint_validate(&schema, qde.as_bytes()), Ok(()), "the unbroken file is valid");

    // A selection without its required startPosition.
    let broken = Regex::new(r#" startPosition="\d+""#).unwrap().replace(qde, "");
    assert_ne!(broken, qde);
    let err = xmllint_validate(&schema, broken.as_bytes()).unwrap_err();
    assert!(err.contains("startPosition"), "{err}");

    // Notes before the sources, against the schema's sequence.
    let (head, rest) = qde.split_once("  <Sources>").unwrap();
    let (sources, rest) = rest.split_once("  </Sources>\n").unwrap();
    let (notes, tail) = rest.split_once("  </Notes>\n").unwrap();
    let swapped = format!("{head}{notes}  </Notes>\n  <Sources>{sources}  </Sources>\n{tail}");
    assert!(xmllint_validate(&schema, swapped.as_bytes()).is_err());

    // A GUID that is not one.
    let bad_guid = qde.replacen("guid=\"", "guid=\"not-a-guid-", 1);
    assert!(xmllint_validate(&schema, bad_guid.as_bytes()).unwrap_err().contains("guid"));
}

#[test]
fn selections_slice_the_embedded_source_text_to_their_quotes_by_code_points() {
    let p = project("");
    let files = export(&p);
    let qde = std::str::from_utf8(entry(&files, "project.qde")).unwrap();
    let text = std::str::from_utf8(entry(&files, &format!("sources/{}.txt", p.sources[0].guid))).unwrap();
    assert_eq!(text, TEXT, "the source is written unchanged, without a BOM");
    let positions = Regex::new(r#"startPosition="(\d+)" endPosition="(\d+)""#).unwrap();
    let quotes: Vec<String> = positions
        .captures_iter(qde)
        .map(|c| {
            let (start, end): (usize, usize) = (c[1].parse().unwrap(), c[2].parse().unwrap());
            text.chars().skip(start).take(end - start).collect()
        })
        .collect();
    assert_eq!(quotes, QUOTES.map(|(q, _)| q.to_string()));
    // Counted in code points: UTF-16 or bytes would put "Песков" later than 19.
    assert!(qde.contains("startPosition=\"19\" endPosition=\"25\""));
}

#[test]
fn hostile_strings_reach_an_xml_parser_unchanged_but_for_forbidden_characters() {
    if validator().is_none() {
        return;
    }
    let p = project(HOSTILE);
    let files = export(&p);
    let qde = entry(&files, "project.qde");
    // What XML 1.0 cannot hold becomes U+FFFD; everything else (tab, CR, LF, NEL, LS, the RLO)
    // is read back exactly, in attributes and in text.
    let readable: String = HOSTILE
        .chars()
        .map(|c| if c < ' ' && !"\t\r\n".contains(c) || c > '\u{FFFD}' && c < '\u{10000}' { '\u{FFFD}' } else { c })
        .collect();
    let note = xpath_string(qde, "string(//*[local-name()='Note']/*[local-name()='PlainTextContent'])");
    assert_eq!(note, format!("первая строка\r\nвторая\tстрока {readable}"));
    let name = xpath_string(qde, "string(//*[local-name()='PlainTextSelection'][1]/@name)");
    assert_eq!(name, format!("Песков{readable}"));
    let project_name = xpath_string(qde, "string(/*/@name)");
    assert_eq!(project_name, format!("Корпус {readable}"));
    // The mistyped time is left out, not written invalid.
    assert_eq!(xpath_string(qde, "count(//*[@modifiedDateTime])"), "0");
}

#[test]
fn without_xmllint_or_the_schema_the_check_fails_under_ci_and_skips_elsewhere() {
    let schema = schema_path();
    let no_schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/refi-qda/Нет.xsd");
    let no_xmllint = "xmllint-that-is-not-installed";
    let err = find_validator(&schema, no_xmllint, true).unwrap_err();
    assert!(err.contains("not installed") && err.contains("CI must validate"), "{err}");
    let err = find_validator(&no_schema, "xmllint", true).unwrap_err();
    assert!(err.contains("schema is not at"), "{err}");
    assert_eq!(find_validator(&schema, no_xmllint, false), Ok(None));
    assert_eq!(find_validator(&no_schema, "xmllint", false), Ok(None));
}
