//! The REFI-QDA export checked by the peer's own rules: `project.qde` is validated against the
//! standard's `Project.xsd` by a real XSD validator (`xmllint --schema`), and the embedded
//! sources are sliced by code points the way an importer does.
//!
//! The schema lives outside the repository, in `../shared/reference/refi-qda/` (CI links
//! `../shared` beside the clone). With `CI` set, a missing schema or xmllint fails the test;
//! without it, the test says why it skipped.
//!
//! The last tests run the real binary (`newsnote export --format qdpx`) on the shipped samples
//! and on a corpus with a discontinuous annotation, and read the file it writes.

mod common;

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
                // A suggestion's status in the schema's place, before the codings.
                description: (i == 0).then(|| format!("proposed by quotes-1 (87%){hostile}")),
                codes,
                notes: if i == 1 { vec![g("note:статья.txt:1")] } else { vec![] },
            }
        })
        .collect();
    QdaProject {
        cases: Vec::new(),
        variables: Vec::new(),
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
                description: None,
                values: vec![],
                selections,
            },
            QdaSource {
                guid: g("article:пусто.txt"),
                name: "пусто.txt".into(),
                text: String::new(),
                creating_user: None,
                created: None,
                description: None,
                values: vec![],
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

// ---------------------------------------------------------------------------------------------
// `newsnote export --format qdpx`, the real binary
// ---------------------------------------------------------------------------------------------

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn newsnote(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run newsnote")
}

/// Runs `newsnote ARGS -o OUT.qdpx` in `cwd` and returns the file's bytes.
fn qdpx_of(cwd: &Path, args: &[&str]) -> Vec<u8> {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("x.qdpx");
    let mut all = args.to_vec();
    all.extend(["--format", "qdpx", "-o", file.to_str().unwrap()]);
    let o = newsnote(cwd, &all);
    assert!(o.status.success(), "newsnote {all:?}: {}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(&file).unwrap()
}

/// The project file, validated against the schema when the validator is there.
fn valid_project(files: &[(String, Vec<u8>)]) -> String {
    let qde = entry(files, "project.qde");
    if let Some(schema) = validator()
        && let Err(e) = xmllint_validate(&schema, qde)
    {
        panic!("xmllint rejects the export:\n{e}\n{}", String::from_utf8_lossy(qde));
    }
    String::from_utf8(qde.to_vec()).unwrap()
}

/// What a selection says, as written.
#[derive(Debug)]
struct Sel {
    guid: String,
    start: usize,
    end: usize,
    codes: Vec<String>,
    notes: Vec<String>,
}

/// Each text source's name, its embedded text and its selections, in document order.
fn sources(qde: &str, files: &[(String, Vec<u8>)]) -> Vec<(String, String, Vec<Sel>)> {
    let source = Regex::new(r#"^guid="[^"]+" name="([^"]*)" plainTextPath="internal://([^"]+)""#).unwrap();
    let selection = Regex::new(
        r#"(?s)<PlainTextSelection guid="([^"]+)" name="[^"]*" startPosition="(\d+)" endPosition="(\d+)"[^>]*?(?:/>|>(.*?)</PlainTextSelection>)"#,
    )
    .unwrap();
    let code_ref = Regex::new(r#"<CodeRef targetGUID="([^"]+)"/>"#).unwrap();
    let note_ref = Regex::new(r#"<NoteRef targetGUID="([^"]+)"/>"#).unwrap();
    let all = qde.split_once("<Sources>").unwrap().1.split_once("</Sources>").unwrap().0;
    all.split("<TextSource ")
        .skip(1)
        .map(|chunk| {
            let head = source.captures(chunk).unwrap_or_else(|| panic!("a TextSource as written: {chunk}"));
            let text = String::from_utf8(entry(files, &format!("sources/{}", &head[2])).to_vec()).unwrap();
            let sels = selection
                .captures_iter(chunk)
                .map(|c| {
                    let inner = c.get(4).map_or("", |m| m.as_str());
                    Sel {
                        guid: c[1].to_string(),
                        start: c[2].parse().unwrap(),
                        end: c[3].parse().unwrap(),
                        codes: code_ref.captures_iter(inner).map(|r| r[1].to_string()).collect(),
                        notes: note_ref.captures_iter(inner).map(|r| r[1].to_string()).collect(),
                    }
                })
                .collect();
            (head[1].to_string(), text, sels)
        })
        .collect()
}

fn slice(text: &str, s: &Sel) -> String {
    text.chars().skip(s.start).take(s.end - s.start).collect()
}

fn guid(key: &str) -> String {
    Guid::from_key(key).to_string()
}

#[test]
fn the_shipped_samples_export_as_a_valid_qdpx_whose_selections_slice_to_the_quotes_and_codes_cover_the_codebook() {
    let bytes = qdpx_of(root(), &["export", "assets/articles", "--annotations", "annotations"]);
    let files = unzip(bytes.clone());
    let qde = valid_project(&files);
    let samples = common::samples::samples();
    let written = sources(&qde, &files);
    assert_eq!(written.len(), samples.len());
    let (mut selections, mut kinds) = (0, 0);
    for ((name, text, sels), art) in written.iter().zip(&samples) {
        assert_eq!((name, text), (&art.id, &art.text), "the source is the article, named by its id");
        let quotes: Vec<&str> = art.annotations.iter().flat_map(|a| a.pieces().map(|(_, q)| q)).collect();
        let sliced: Vec<String> = sels.iter().map(|s| slice(text, s)).collect();
        assert_eq!(sliced, quotes, "{name}: every selection slices its text to its quote");
        selections += sels.len();
        // A boilerplate span is coded with its label and its kind.
        for (a, s) in art.annotations.iter().zip(sels) {
            assert!(s.codes.contains(&guid(&format!("label:{}", a.label))), "{s:?}");
            if let Some(kind) = a.attributes.get("kind") {
                assert!(s.codes.contains(&guid(&format!("label:Boilerplate/attribute:kind/value:{kind}"))), "{s:?}");
                kinds += 1;
            }
        }
    }
    assert_eq!(selections, 93, "one per piece of the 93 annotations (none has a second piece)");
    assert!(kinds > 0, "the samples have boilerplate with a kind");

    // Every label and every value of the default codebook is a code; the folders are not
    // codable, the rest are.
    let code = Regex::new(r#"<Code guid="([^"]+)" name="([^"]*)" isCodable="(true|false)""#).unwrap();
    let codes: Vec<(String, String, bool)> =
        code.captures_iter(&qde).map(|c| (c[1].to_string(), c[2].to_string(), &c[3] == "true")).collect();
    let cb = newsnote::model::codebook::Codebook::default_scheme();
    let has = |key: &str, name: &str, codable: bool| {
        assert!(codes.contains(&(guid(key), name.to_string(), codable)), "{key} {name:?} in {codes:?}")
    };
    for l in &cb.labels {
        has(&format!("label:{}", l.id), &l.name, true);
        for d in cb.attributes_for(&l.id) {
            let folder = format!("label:{}/attribute:{}", l.id, d.id);
            has(&folder, &d.name, false);
            for v in d.kind.values() {
                has(&format!("{folder}/value:{}", v.id), &v.name, true);
            }
        }
    }
    // Claims link to their sources.
    let claim_links = Regex::new(r#"<Link guid="[^"]+" name="source" direction="OneWay""#).unwrap();
    let links: usize = samples.iter().flat_map(|a| &a.annotations).map(|a| a.linked("source").len()).sum();
    assert_eq!(claim_links.find_iter(&qde).count(), links);
    assert!(links > 0);

    // The same corpus gives the same file.
    assert_eq!(qdpx_of(root(), &["export", "assets/articles", "--annotations", "annotations"]), bytes);
}

#[test]
fn a_discontinuous_annotation_is_two_selections_sharing_its_note_coded_with_its_value() {
    use newsnote::model::annotation::{Annotation, AnnotationId, Fragment, LabelId};
    use newsnote::model::store::{AnnotationFile, Fingerprint};
    use newsnote::model::units::{ByteRange, CharRange};
    let text = "«Мир близок, — сказал Песков 🇷🇺, — но не сегодня». 東京の記者は「和平」と書いた。\n";
    let at = |q: &str| {
        let b = text.find(q).unwrap();
        let start = text[..b].chars().count();
        (ByteRange::new(b, b + q.len()), CharRange::new(start, start + q.chars().count()))
    };
    let new = |id: &str, label: &str, q: &str| {
        let (bytes, chars) = at(q);
        let mut a = Annotation::new_manual(LabelId::new(label), text, bytes, chars, "кодер", "2026-03-01T10:00:00Z");
        a.id = AnnotationId(id.into());
        a
    };
    let source = new("и1", "Source", "Песков 🇷🇺");
    let cue = new("с1", "Cue", "сказал");
    let mut claim = new("у1", "Claim", "Мир близок").with_value("quote_type", "direct");
    let (bytes, chars) = at("но не сегодня");
    claim.fragments.push(Fragment::over(text, bytes, chars));
    claim.note = Some("прямая речь, прерванная атрибуцией".into());
    claim.modified = "2026-03-02T09:30:00Z".into();
    claim.link("source", source.id.clone());
    claim.link("cue", cue.id.clone());
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("статья.txt"), text).unwrap();
    let file = AnnotationFile::new("статья.txt", Fingerprint::of(text, text.chars().count()), vec![claim, source, cue]);
    std::fs::write(d.path().join("статья.ron"), file.to_ron()).unwrap();

    let files = unzip(qdpx_of(d.path(), &["export", "."]));
    let qde = valid_project(&files);
    let written = sources(&qde, &files);
    let [(name, text, sels)] = written.as_slice() else { panic!("one source: {written:?}") };
    assert_eq!(name, "статья.txt");
    let sliced: Vec<String> = sels.iter().map(|s| slice(text, s)).collect();
    assert_eq!(sliced, ["Мир близок", "но не сегодня", "сказал", "Песков 🇷🇺"]);
    let (first, second) = (&sels[0], &sels[1]);
    let codes = [guid("label:Claim"), guid("label:Claim/attribute:quote_type/value:direct")];
    assert_eq!(first.codes, codes);
    assert_eq!(second.codes, codes, "both pieces carry the label and the value");
    assert_eq!(first.notes.len(), 1);
    assert_eq!(first.notes, second.notes, "both pieces refer to the one note");
    let note = xpath_string(
        qde.as_bytes(),
        &format!("string(//*[local-name()='Note'][@guid='{}']/*[local-name()='PlainTextContent'])", first.notes[0]),
    );
    assert_eq!(note, "прямая речь, прерванная атрибуцией");
    assert_eq!(xpath_string(qde.as_bytes(), "count(//*[local-name()='Note'])"), "1");
    // The claim's first piece links to its source and its cue.
    for (rel, target) in [("source", &sels[3]), ("cue", &sels[2])] {
        let link = format!(
            "name=\"{rel}\" direction=\"OneWay\" originGUID=\"{}\" targetGUID=\"{}\"/>",
            first.guid, target.guid
        );
        assert!(qde.contains(&link), "{link} in\n{qde}");
    }
    // The project's time is the latest change in the data.
    assert!(qde.contains("creationDateTime=\"2026-03-02T09:30:00Z\""), "{qde}");
}

#[test]
fn qdpx_goes_to_a_pipe_as_the_same_file_but_never_to_a_terminal() {
    let args = ["export", "assets/articles", "--annotations", "annotations", "--format", "qdpx"];
    let piped = newsnote(root(), &args);
    assert!(piped.status.success(), "{}", String::from_utf8_lossy(&piped.stderr));
    assert_eq!(piped.stdout, qdpx_of(root(), &args[..4]));

    let os: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    let mut s = common::pty::Session::start_args(root(), &os, 200, 40, &[]);
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 2, "{}", s.screen_text());
    assert!(s.screen_text().contains("writes a binary file: give it with --output FILE"), "{}", s.screen_text());
    assert!(!s.raw_contains(b"PK\x03\x04"), "no zip reached the terminal");
}

#[test]
fn each_entity_of_the_samples_is_a_case_referring_to_its_mentions_selections_in_a_valid_project() {
    let files = unzip(qdpx_of(root(), &["export", "assets/articles", "--annotations", "annotations"]));
    let qde = valid_project(&files);
    let case = Regex::new(r#"(?s)<Case guid="[^"]+" name="([^"]*)">(.*?)</Case>"#).unwrap();
    let sel_ref = Regex::new(r#"<SelectionRef targetGUID="([^"]+)"/>"#).unwrap();
    let cases: Vec<(String, usize)> =
        case.captures_iter(&qde).map(|c| (c[1].to_string(), sel_ref.captures_iter(&c[2]).count())).collect();
    let peskov = cases.iter().find(|(n, _)| n == "Dmitry Peskov").expect("a case for Peskov");
    let mentions: usize = common::samples::samples()
        .iter()
        .flat_map(|a| a.annotations.iter())
        .filter(|a| a.entity.as_ref().is_some_and(|e| e.as_str() == "dmitry-peskov"))
        .count();
    assert_eq!(peskov.1, mentions, "one SelectionRef per mention");
    assert!(qde.find("<Cases>").unwrap() < qde.find("<Sources>").unwrap());
}

#[test]
fn a_corpus_with_suggestions_exports_a_valid_qdpx_whose_suggested_selections_say_so_and_no_rejected_one() {
    let (_corpus, texts, anns) = common::samples::suggested_corpus();
    let (t, a) = (texts.to_str().unwrap(), anns.to_str().unwrap());
    let files = unzip(qdpx_of(texts.parent().unwrap(), &["export", t, "--annotations", a]));
    let qde = valid_project(&files);
    let written = sources(&qde, &files);
    // The coding's three and the three proposed ones; neither rejected one.
    assert_eq!(written[0].2.len(), 6);
    let described =
        Regex::new(r#"<PlainTextSelection[^>]*name="([^"]*)"[^>]*>\s*<Description>([^<]*)</Description>"#).unwrap();
    let said: Vec<(String, String)> =
        described.captures_iter(&qde).map(|c| (c[1].to_string(), c[2].to_string())).collect();
    assert_eq!(
        said,
        [
            ("Кремль".to_string(), "proposed by quotes-1 (70%)".to_string()),
            ("Кремль молчит.".into(), "proposed by quotes-1 (87%)".into()),
            ("молчит".into(), "proposed by quotes-1 (64%)".into()),
        ]
    );
    assert!(!qde.contains("name=\"Мир\""), "the rejected source is no selection");
    // Without the suggestions, only the coding.
    let files = unzip(qdpx_of(texts.parent().unwrap(), &["export", t, "--annotations", a, "--accepted-only"]));
    let qde = valid_project(&files);
    assert_eq!(sources(&qde, &files)[0].2.len(), 3);
    assert!(!qde.contains("<Description>proposed"));
}
