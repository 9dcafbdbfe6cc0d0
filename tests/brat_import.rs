//! The attribution fixtures (tests/fixtures/brat-attribution: two coders, discontinuous quotes,
//! two sources, no-source events, attributes, notes, a malformed line) imported with the real
//! binary into one corpus: everything kept, no link to a dropped duplicate, `check` clean,
//! the same files on a second run, and exit 1 because one line was skipped.

use newsnote::model::annotation::Annotation;
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::document::Document;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/brat-attribution")
}

fn newsnote(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "brat-import-test")
        .output()
        .expect("run newsnote")
}

/// A corpus of the three articles, both coders imported into it.
fn imported() -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    for name in ["kremlin", "lyon", "harbour"] {
        std::fs::copy(fixtures().join(format!("coder-a/{name}.txt")), dir.path().join(format!("{name}.txt"))).unwrap();
    }
    let src = fixtures();
    let out = newsnote(&["import", "--format", "brat", src.to_str().unwrap(), "--into", "."], dir.path());
    (dir, out)
}

fn annotations(dir: &Path) -> Vec<(String, Vec<Annotation>)> {
    let corpus = Corpus::open(dir, AnnotationRoot::NextToArticles).unwrap();
    corpus.entries.iter().map(|e| (e.id.clone(), Document::open(e).unwrap().annotations.clone())).collect()
}

/// The annotations without their timestamps, which are the only thing a run may change.
fn timeless(dir: &Path) -> Vec<(String, Vec<Annotation>)> {
    let mut all = annotations(dir);
    for a in all.iter_mut().flat_map(|(_, v)| v.iter_mut()) {
        (a.created, a.modified) = (String::new(), String::new());
    }
    all
}

#[test]
fn two_coders_import_into_one_corpus_with_every_cue_fragment_source_and_attribute_and_no_dangling_link() {
    let (dir, out) = imported();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "one line was skipped: {stdout}{stderr}");
    assert!(stderr.contains("coder-a/harbour.ann:6: no tab after the id; skipped"), "{stderr}");
    assert!(stdout.contains("6 document(s): "), "one summary: {stdout}");
    assert!(stdout.contains("1 line(s) or record(s) skipped"), "{stdout}");
    let all = annotations(dir.path());
    let by_id: HashSet<_> = all.iter().flat_map(|(_, v)| v.iter().map(|a| a.id.clone())).collect();
    for (article, anns) in &all {
        for a in anns {
            for target in a.links.values().flatten() {
                assert!(by_id.contains(target), "{article}: {} links to {target}, which is not there", a.id);
            }
        }
    }
    let kremlin = &all.iter().find(|(id, _)| id == "kremlin.txt").unwrap().1;
    let label = |a: &Annotation| a.label.as_str().to_owned();
    let quote = |a: &Annotation| a.pieces().map(|(_, q)| q.to_owned()).collect::<Vec<_>>().join(" | ");
    let claims: Vec<&Annotation> = kremlin.iter().filter(|a| label(a) == "Claim").collect();
    let interrupted: Vec<&&Annotation> = claims.iter().filter(|c| !c.fragments.is_empty()).collect();
    assert_eq!(interrupted.len(), 1, "both coders' identical discontinuous quote is one claim");
    let q = interrupted[0];
    assert_eq!(quote(q), "“We do not accept these terms,” | “and we never will.”");
    let cues: Vec<String> =
        q.linked("cue").iter().map(|id| kremlin.iter().find(|a| a.id == *id).unwrap().quote.clone()).collect();
    assert_eq!(cues, ["said", "said on Tuesday"], "each coder's cue, on the one kept claim");
    assert_eq!(q.linked("source").len(), 1, "the identical source once");
    assert_eq!(q.attributes.get("quote_type").map(ToString::to_string), Some("direct".into()));
    assert_eq!(q.note.as_deref(), Some("one quote, interrupted by “Dmitry Peskov said on Tuesday”"));
    let zakharova = claims.iter().find(|c| c.quote == "the report “a provocation”").unwrap();
    assert_eq!(zakharova.attributes.get("quote_type").map(ToString::to_string), Some("mixed".into()));
    let lyon = &all.iter().find(|(id, _)| id == "lyon.txt").unwrap().1;
    let tram = lyon.iter().find(|a| a.quote == "the tram line “will open in 2027”").unwrap();
    let sources: HashSet<String> =
        tram.linked("source").iter().map(|id| lyon.iter().find(|a| a.id == *id).unwrap().quote.clone()).collect();
    assert_eq!(
        sources,
        HashSet::from(["Grégory Doucet", "the prefect, Élisabeth Borne", "Élisabeth Borne"].map(String::from))
    );
    let harbour = &all.iter().find(|(id, _)| id == "harbour.txt").unwrap().1;
    let closed = harbour.iter().find(|a| a.quote == "The harbour will stay closed until Friday").unwrap();
    assert!(closed.linked("source").is_empty() && closed.linked("cue").len() == 2, "no source, both coders' cues");
    let check = newsnote(&["check", "."], dir.path());
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn importing_the_same_brat_folders_twice_gives_identical_annotations() {
    let (first, _) = imported();
    let (second, _) = imported();
    assert_eq!(timeless(first.path()), timeless(second.path()));
    let again = newsnote(&["import", "--format", "brat", fixtures().to_str().unwrap(), "--into", "."], first.path());
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains(" 0 annotation(s) added"), "a second import into the same corpus adds nothing: {stdout}");
    assert_eq!(timeless(first.path()), timeless(second.path()));
}

/// Per article: each attribution's content text → (its cue texts, its source texts), read from
/// `.ann` files with newsnote's brat reader (the text as brat states it).
type Events = std::collections::BTreeMap<String, std::collections::BTreeMap<String, (Vec<String>, Vec<String>)>>;

fn events_of(dir: &Path, out: &mut Events) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ann") {
            continue;
        }
        let (doc, _) = newsnote::brat::parse(&path, &std::fs::read_to_string(&path).unwrap());
        let text = |id: &str| doc.entity(id).and_then(|t| t.stated_text()).unwrap().to_owned();
        let article = path.file_stem().unwrap().to_string_lossy().into_owned();
        for e in &doc.events {
            let with = |role: &str| e.args.iter().filter(|a| a.role == role).map(|a| text(&a.id)).collect::<Vec<_>>();
            let content = with("Content").join(" + ");
            let entry = out.entry(article.clone()).or_default().entry(content).or_default();
            for (mine, theirs) in [(&mut entry.0, with("Cue")), (&mut entry.1, with("Source"))] {
                mine.extend(theirs);
                mine.sort();
                mine.dedup();
            }
        }
    }
}

#[test]
fn the_imported_fixtures_export_back_to_brat_with_their_attribution_events() {
    let (dir, _) = imported();
    let out = tempfile::tempdir().unwrap();
    let export = newsnote(&["export", ".", "--format", "brat", "-o", out.path().to_str().unwrap()], dir.path());
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    let (mut want, mut got) = (Events::new(), Events::new());
    events_of(&fixtures().join("coder-a"), &mut want);
    events_of(&fixtures().join("coder-b"), &mut want);
    events_of(out.path(), &mut got);
    assert_eq!(got, want, "every attribution, with the union of both coders' cues and sources");
    assert!(got["kremlin"].contains_key("“We do not accept these terms,” “and we never will.”"), "{got:?}");
    let conf = std::fs::read_to_string(out.path().join("annotation.conf")).unwrap();
    assert!(conf.contains("\nAttribution\tContent:Claim, Source*:Source, Cue"), "{conf}");
}
