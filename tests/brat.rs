//! brat standoff: the shipped samples exported as a brat folder, every file checked against
//! brat's own rules (as its server enforces them when it loads a document), imported back into a
//! fresh copy of the articles, and compared with the shipped RON files: the round trip must give
//! back every annotation (label with kind, offsets, quote, note, claim → source link), including
//! the multi-line donation appeal that brat stores as a discontinuous span.
//!
//! Golden file: `NEWSNOTE_BLESS=1 cargo test --test brat` rewrites it; review the diff.

mod common;

use common::samples::{load, root, samples};
use newsnote::export::{self, ExportArticle, Format, Output};
use newsnote::import::{self, ImportError, ImportFormat, LabelMap};
use newsnote::model::annotation::{LabelId, Origin};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The brat folder of the samples, written to a temporary directory.
fn exported() -> (tempfile::TempDir, Vec<(PathBuf, Vec<u8>)>) {
    let Output::Folder(files) =
        export::export(Format::Brat, &samples(), newsnote::model::codebook::Codebook::default_scheme())
    else {
        panic!("brat writes a folder")
    };
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in &files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    (dir, files)
}

/// What `annotation.conf` declares: entity types, relation → (Arg1 types, Arg2 types),
/// attribute → (Arg types, values), event → role (cardinality mark dropped) → types, and
/// each event type as the one type its trigger may have.
#[derive(Default)]
struct Conf {
    entities: HashSet<String>,
    relations: HashMap<String, (Vec<String>, Vec<String>)>,
    attributes: HashMap<String, (Vec<String>, Vec<String>)>,
    events: HashMap<String, HashMap<String, Vec<String>>>,
    triggers: HashMap<String, Vec<String>>,
}

fn conf(text: &str) -> Conf {
    let mut c = Conf::default();
    let mut section = "";
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let (name, args) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let arg = |key: &str| -> Vec<String> {
            let found = args.split(',').map(str::trim).find_map(|a| a.strip_prefix(key));
            found.map_or(vec![], |v| v.split('|').map(String::from).collect())
        };
        match section {
            "[entities]" => assert!(c.entities.insert(name.into()), "{name} declared twice"),
            "[relations]" => drop(c.relations.insert(name.into(), (arg("Arg1:"), arg("Arg2:")))),
            "[attributes]" => drop(c.attributes.insert(name.into(), (arg("Arg:"), arg("Value:")))),
            "[events]" => {
                let roles = args.split(',').map(str::trim).filter_map(|a| a.split_once(':'));
                let roles = roles.map(|(r, t)| {
                    (r.trim_end_matches(['?', '*', '+']).into(), t.split('|').map(String::from).collect())
                });
                c.events.insert(name.into(), roles.collect());
                c.triggers.insert(name.into(), vec![name.into()]);
            }
            other => panic!("line {line:?} in section {other:?}"),
        }
    }
    c
}

/// The line-break characters of Python's `str.splitlines`, which brat reads `.ann` files with.
fn breaks_line(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Checks one `.ann` against its `.txt` and the configuration the way brat does on loading:
/// ids unique, each T's type declared and its text the `.txt` at its code-point offsets
/// (fragments in order, joined by a space), every A/R/# pointing at a T of an allowed type.
/// Returns the problems found.
fn check_ann(conf: &Conf, name: &str, ann: &str, txt: &str) -> Vec<String> {
    let text: Vec<char> = txt.chars().collect();
    let mut problems = vec![];
    let mut types: HashMap<&str, &str> = HashMap::new();
    let mut ids = HashSet::new();
    let mut refs: Vec<(usize, &str, &Vec<String>)> = vec![];
    let any = vec![];
    assert!(ann.is_empty() || ann.ends_with('\n'), "{name}: last line unterminated");
    for (n, line) in ann.lines().enumerate() {
        let mut bad = |m: String| problems.push(format!("{name}:{}: {m}: {line:?}", n + 1));
        if line.chars().any(breaks_line) {
            bad("a line break inside a line".into());
        }
        let fields: Vec<&str> = line.splitn(3, '\t').collect();
        let (id, data) = (fields[0], fields.get(1).copied().unwrap_or(""));
        if !ids.insert(id) {
            bad(format!("{id} used twice"));
        }
        let words: Vec<&str> = data.split(' ').collect();
        match id.chars().next() {
            Some('T') => {
                let (ty, offsets) = data.split_once(' ').unwrap_or((data, ""));
                types.insert(id, ty);
                if !conf.entities.contains(ty) && !conf.events.contains_key(ty) {
                    bad(format!("type {ty} not declared"));
                }
                let mut pieces = vec![];
                let mut last_end = 0;
                for f in offsets.split(';') {
                    let (s, e) = f.split_once(' ').unwrap_or(("x", "x"));
                    let (Ok(s), Ok(e)) = (s.parse::<usize>(), e.parse::<usize>()) else {
                        bad(format!("fragment {f:?}"));
                        continue;
                    };
                    if s > e || e > text.len() || (!pieces.is_empty() && s <= last_end) {
                        bad(format!("fragment {s} {e} out of order or past the text"));
                        continue;
                    }
                    last_end = e;
                    pieces.push(text[s..e].iter().collect::<String>());
                }
                if fields.get(2).copied() != Some(pieces.join(" ").as_str()) {
                    bad(format!("text is not the .txt at its offsets ({:?})", pieces.join(" ")));
                }
            }
            Some('A') => match words[..] {
                [attr, target, value] => match conf.attributes.get(attr) {
                    Some((args, values)) if values.iter().any(|v| v == value) => refs.push((n + 1, target, args)),
                    _ => bad(format!("attribute {attr} {value} not declared")),
                },
                _ => bad("attribute syntax".into()),
            },
            Some('R') => match words[..] {
                [rel, a1, a2] => match (a1.strip_prefix("Arg1:"), a2.strip_prefix("Arg2:")) {
                    (Some(a1), Some(a2)) if conf.relations.contains_key(rel) => {
                        refs.push((n + 1, a1, &conf.relations[rel].0));
                        refs.push((n + 1, a2, &conf.relations[rel].1));
                    }
                    _ => bad("relation syntax or undeclared relation".into()),
                },
                _ => bad("relation syntax".into()),
            },
            Some('E') => {
                let mut args = data.split(' ').map(|a| a.split_once(':'));
                match args.next().flatten() {
                    Some((ty, trigger)) if conf.events.contains_key(ty) => {
                        refs.push((n + 1, trigger, &conf.triggers[ty]));
                        for arg in args {
                            let Some((role, target)) = arg else {
                                bad("event argument syntax".into());
                                continue;
                            };
                            match conf.events[ty].get(role.trim_end_matches(|c: char| c.is_ascii_digit())) {
                                Some(types) => refs.push((n + 1, target, types)),
                                None => bad(format!("role {role} not declared for {ty}")),
                            }
                        }
                    }
                    _ => bad("event syntax or undeclared event".into()),
                }
            }
            // brat's normalisation syntax (annotation.py: `TYPE TARGET DB:ID`, then the text).
            Some('N') => match words[..] {
                ["Reference", target, reference]
                    if reference.split_once(':').is_some_and(|(db, id)| {
                        ["newsnote", "Wikidata"].contains(&db) && !id.is_empty() && !id.contains(char::is_whitespace)
                    }) =>
                {
                    refs.push((n + 1, target, &any))
                }
                _ => bad("normalisation syntax or undeclared database".into()),
            },
            Some('#') => match (&words[..], fields.get(2)) {
                (&["AnnotatorNotes", target], Some(note)) if !note.trim().is_empty() => {
                    refs.push((n + 1, target, &any))
                }
                _ => bad("note syntax".into()),
            },
            _ => bad("not a line newsnote writes".into()),
        }
    }
    for (line, target, allowed) in refs {
        let Some(ty) = types.get(target) else {
            problems.push(format!("{name}:{line}: {target} is not a T in this file"));
            continue;
        };
        if !allowed.is_empty() && !allowed.iter().any(|t| t == ty) {
            problems.push(format!("{name}:{line}: {target} is a {ty}, not one of {allowed:?}"));
        }
    }
    problems
}

#[test]
fn exported_folder_follows_brats_standoff_rules() {
    let (dir, files) = exported();
    let conf = conf(&std::fs::read_to_string(dir.path().join("annotation.conf")).unwrap());
    let labels = newsnote::model::codebook::Codebook::default_scheme().labels.iter().map(|l| l.id.clone());
    assert_eq!(conf.entities, labels.collect::<HashSet<String>>(), "every label of the codebook, and no other");
    assert!(conf.relations.contains_key("<OVERLAP>"), "newsnote's overlaps must be allowed");
    let anns: Vec<&PathBuf> =
        files.iter().map(|f| &f.0).filter(|p| p.extension().is_some_and(|e| e == "ann")).collect();
    assert_eq!(anns.len(), 2);
    let (mut spans, mut events) = (0, 0);
    for ann in anns {
        let read = |p: &Path| std::fs::read_to_string(dir.path().join(p)).unwrap();
        let (text, txt) = (read(ann), read(&ann.with_extension("txt")));
        let problems = check_ann(&conf, &ann.display().to_string(), &text, &txt);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        spans += text.lines().filter(|l| l.starts_with('T')).count();
        events += text.lines().filter(|l| l.starts_with('E')).count();
    }
    assert_eq!((spans, events), (93 + 27, 27), "every span, and a trigger span per attribution event");
}

#[test]
fn the_checker_catches_what_brat_refuses() {
    let conf = conf(&export::brat::annotation_conf(newsnote::model::codebook::Codebook::default_scheme()));
    let txt = "Peskov said:\u{2028}\"no\"";
    for (ann, problem) in [
        ("T1\tSource 0 6\tPeskov\nT1\tClaim 0 6\tPeskov\n", "used twice"),
        ("T1\tSource 0 5\tPeskov\n", "not the .txt"),
        ("T1\tPerson 0 6\tPeskov\n", "not declared"),
        ("T1\tClaim 7 17\tsaid:\u{2028}\"no\"\n", "line break"),
        ("T1\tClaim 7 17\tsaid:\n\"no\"\n", "not a line newsnote writes"),
        ("T1\tClaim 13 17\t\"no\"\nR1\tsource Arg1:T1 Arg2:T2\n", "not a T"),
        ("T1\tClaim 13 17\t\"no\"\nA1\tkind T1 Copyright\n", "not one of"),
        ("T1\tSource 0 6\tPeskov\nR1\tsource Arg1:T1 Arg2:T1\n", "is a Source, not one of [\"Claim\"]"),
        ("T1\tSource 0 6\tPeskov\nN1\tReference T1 Wikipedia:1\tPeskov\n", "undeclared database"),
        ("T1\tSource 0 6\tPeskov\nN1\tReference T2 newsnote:dmitry-peskov\tPeskov\n", "not a T"),
    ] {
        let problems = check_ann(&conf, "x.ann", ann, txt);
        assert!(problems.iter().any(|p| p.contains(problem)), "{ann:?}: {problems:?}");
    }
}

#[test]
fn round_trip_gives_back_the_shipped_annotations() {
    let (brat, _) = exported();
    let dir = tempfile::tempdir().unwrap();
    let (texts, anns) = (dir.path().join("articles"), dir.path().join("annotations"));
    std::fs::create_dir(&texts).unwrap();
    let originals = samples();
    for a in &originals {
        std::fs::write(texts.join(&a.id), &a.text).unwrap();
    }
    let docs = import::read(
        ImportFormat::Brat,
        brat.path(),
        &LabelMap::new(newsnote::model::codebook::Codebook::default_scheme()),
        newsnote::model::codebook::Codebook::default_scheme(),
        "round-trip",
    )
    .unwrap();
    assert_eq!(docs.len(), 2);
    for d in &docs {
        assert!(d.warnings.is_empty(), "import of newsnote's own brat export warned: {:?}", d.warnings);
    }
    let corpus = Corpus::open(&texts, AnnotationRoot::Mirrored(anns.clone())).unwrap();
    for outcome in import::write_into(&corpus, newsnote::model::codebook::Codebook::default_scheme(), docs) {
        assert!(outcome.ron_path.is_some() && outcome.duplicates == 0, "{outcome:?}");
        assert!(outcome.messages.is_empty(), "{:?}", outcome.messages);
    }
    let back = load(&texts, &anns);
    assert_eq!(back.len(), originals.len());
    type Key = (LabelId, usize, usize, String, Option<String>, Option<(usize, usize)>, Vec<String>);
    let keys = |a: &ExportArticle| -> Vec<Key> {
        let key = |x: &newsnote::model::annotation::Annotation| {
            (
                x.label.clone(),
                x.start,
                x.end,
                x.quote.clone(),
                x.note.clone(),
                a.source_of(newsnote::model::codebook::Codebook::default_scheme(), x).map(|s| (s.start, s.end)),
                x.attributes.values().map(|v| v.to_string()).collect(),
            )
        };
        let mut k: Vec<Key> = a.annotations.iter().map(key).collect();
        k.sort();
        k
    };
    for (orig, back) in originals.iter().zip(&back) {
        assert_eq!(keys(orig), keys(back), "{}", orig.id);
        assert!(back.annotations.iter().all(|a| a.origin == Origin::Imported && a.author == "round-trip"));
    }
    let multi_line = back[1].annotations.iter().find(|a| a.quote.contains("\n\nSo do we.")).unwrap();
    assert_eq!(multi_line.label, LabelId::new("Boilerplate"));
    assert_eq!(multi_line.attributes.get("kind").map(|v| v.to_string()).as_deref(), Some("DonationAppeal"));
}

#[test]
fn folders_are_read_recursively_with_universal_newlines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for (name, txt, ann) in [("b", "x\r\ny", "T1\tClaim 2 3\ty\n"), ("sub/a", "Peskov", "T1\tSource 0 6\tPeskov\n")] {
        std::fs::write(dir.path().join(format!("{name}.txt")), txt).unwrap();
        std::fs::write(dir.path().join(format!("{name}.ann")), ann).unwrap();
    }
    let read = |p: &Path| {
        import::read(
            ImportFormat::Brat,
            p,
            &LabelMap::new(newsnote::model::codebook::Codebook::default_scheme()),
            newsnote::model::codebook::Codebook::default_scheme(),
            "t",
        )
    };
    let docs = read(dir.path()).unwrap();
    let names: Vec<_> = docs.iter().map(|d| (d.name.as_deref().unwrap(), d.text.as_str())).collect();
    assert_eq!(names, [("b.txt", "x\ny"), ("sub/a.txt", "Peskov")]);
    assert_eq!(docs[0].annotations[0].quote, "y");
    assert_eq!(read(&dir.path().join("sub/a.ann")).unwrap()[0].name.as_deref(), Some("a.txt"));
    std::fs::remove_file(dir.path().join("b.txt")).unwrap();
    assert!(matches!(read(dir.path()), Err(ImportError::Read { path, .. }) if path.ends_with("b.txt")));
}

#[test]
fn sample_ann_matches_the_golden_file() {
    let (_, files) = exported();
    let (_, ann) = files.iter().find(|(p, _)| p == Path::new("002_915808095f53d4db.ann")).unwrap();
    let actual = String::from_utf8(ann.clone()).unwrap();
    let path = root().join("tests/golden/brat/002_915808095f53d4db.ann");
    if std::env::var_os("NEWSNOTE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(expected == actual, "{} differs from the export; NEWSNOTE_BLESS=1 rewrites it", path.display());
}

/// Runs the real binary; panics with its stderr when it fails.
fn run(args: &[&std::ffi::OsStr]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "round-trip")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "newsnote {args:?} failed: {err}");
    err
}

#[test]
fn brat_references_bring_back_the_same_entities_and_links_into_an_empty_corpus_and_registry() {
    use newsnote::model::entities::Registry;
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("brat");
    let (articles, annotations) = (root().join("assets/articles"), root().join("annotations"));
    run(&[
        "export".as_ref(),
        articles.as_os_str(),
        "--annotations".as_ref(),
        annotations.as_os_str(),
        "--format".as_ref(),
        "brat".as_ref(),
        "-o".as_ref(),
        folder.as_os_str(),
    ]);
    let ann = std::fs::read_to_string(folder.join("002_915808095f53d4db.ann")).unwrap();
    assert!(ann.contains("\tReference T") && ann.contains(" newsnote:dmitry-peskov\tDmitry Peskov\n"), "{ann}");
    assert!(std::fs::read_to_string(folder.join("tools.conf")).unwrap().contains("[normalization]"));
    // An empty corpus: the same article texts, no annotations, no registry.
    let fresh = out.path().join("fresh");
    std::fs::create_dir(&fresh).unwrap();
    let originals = samples();
    for a in &originals {
        std::fs::write(fresh.join(&a.id), &a.text).unwrap();
    }
    let said = run(&[
        "import".as_ref(),
        "--format".as_ref(),
        "brat".as_ref(),
        folder.as_os_str(),
        "--into".as_ref(),
        fresh.as_os_str(),
    ]);
    assert!(said.contains("entit(ies) added"), "{said}");
    let shipped = Registry::open(&annotations.join("sources.ron")).unwrap();
    let made = Registry::open(&fresh.join("sources.ron")).unwrap();
    let back = load(&fresh, &fresh);
    // Every mention comes back linked to an entity of the same id, name and Wikidata id.
    type Link = (String, usize, usize, String, String, Option<String>);
    let links = |arts: &[ExportArticle], reg: &Registry| -> Vec<Link> {
        let mut out: Vec<Link> = arts
            .iter()
            .flat_map(|art| art.annotations.iter().map(move |a| (art, a)))
            .filter_map(|(art, a)| {
                let e = reg.resolve(a.entity.as_ref()?)?;
                Some((art.id.clone(), a.start, a.end, e.id.to_string(), e.name.clone(), e.wikidata.clone()))
            })
            .collect();
        out.sort();
        out
    };
    let (want, got) = (links(&originals, &shipped), links(&back, &made));
    assert_eq!(got, want);
    assert!(want.iter().filter(|l| l.3 == "dmitry-peskov").count() > 1);
    let used: HashSet<&str> = want.iter().map(|l| l.3.as_str()).collect();
    assert_eq!(made.all().len(), used.len(), "one entity per entity mentioned, no more");
}

/// What brat's own reader (tests/brat/read_with_brat.py) makes of the folder `dir`; `None`
/// (the test skipped, with a message) when brat is not available outside CI. CI must have it.
fn read_with_brat(dir: &std::path::Path) -> Option<serde_json::Value> {
    let python = std::env::var("NEWSNOTE_BRAT_PYTHON").unwrap_or_else(|_| "python3".into());
    let skip_or_fail = |why: &str| {
        assert!(std::env::var_os("CI").is_none(), "CI needs brat's reader: {why}");
        eprintln!("SKIPPED (not CI): brat's reader is not available: {why}");
        None
    };
    let script = root().join("tests/brat/read_with_brat.py");
    let out = match std::process::Command::new(&python).arg(script).arg(dir).output() {
        Ok(out) => out,
        Err(e) => return skip_or_fail(&format!("cannot run {python}: {e}")),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(3) {
        return skip_or_fail(&stderr);
    }
    assert!(out.status.success(), "brat complained:\n{stderr}");
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn brats_own_reader_accepts_the_samples_folder_with_its_references_and_normalisation_databases() {
    let (dir, _) = exported();
    let Some(seen) = read_with_brat(dir.path()) else { return };
    let folder = &seen[dir.path().canonicalize().unwrap().display().to_string()];
    assert_eq!(folder["conf"]["normalization"], serde_json::json!(["newsnote", "Wikidata"]));
    let refs = &folder["docs"]["002_915808095f53d4db"]["normalizations"];
    let peskov = refs.as_array().unwrap().iter().filter(|n| n["db"] == "newsnote" && n["db_id"] == "dmitry-peskov");
    assert!(peskov.clone().count() > 1, "{refs}");
    assert!(peskov.clone().all(|n| n["text"] == "Dmitry Peskov" && n["type"] == "Reference"));
}

#[test]
fn brats_own_reader_accepts_suggestions_as_review_comments_and_no_rejected_span() {
    let (_corpus, texts, anns) = common::samples::suggested_corpus();
    let arts = load(&texts, &anns);
    let Output::Folder(files) =
        export::export(Format::Brat, &arts, newsnote::model::codebook::Codebook::default_scheme())
    else {
        panic!("brat writes a folder")
    };
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in &files {
        std::fs::write(dir.path().join(path), bytes).unwrap();
    }
    let Some(seen) = read_with_brat(dir.path()) else { return };
    let doc = &seen[dir.path().canonicalize().unwrap().display().to_string()]["docs"]["мир"];
    let notes = doc["notes"].as_array().unwrap();
    let reviews: Vec<&str> =
        notes.iter().filter(|n| n["type"] == "Review").map(|n| n["text"].as_str().unwrap()).collect();
    assert_eq!(
        reviews,
        ["proposed by quotes-1 (70%)", "proposed by quotes-1 (87%)", "proposed by quotes-1 (64%)"],
        "{doc}"
    );
    // The rejected source "Мир" (code points 1–4) is no span brat sees.
    assert!(!doc.to_string().contains("\"Мир\""), "{doc}");
}

#[test]
fn suggestions_exported_to_brat_come_back_as_suggestions_with_their_detector() {
    use newsnote::model::annotation::Status;
    let (_corpus, texts, anns) = common::samples::suggested_corpus();
    let arts = load(&texts, &anns);
    let cb = newsnote::model::codebook::Codebook::default_scheme();
    let Output::Folder(files) = export::export(Format::Brat, &arts, cb) else { panic!("brat writes a folder") };
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in &files {
        std::fs::write(dir.path().join(path), bytes).unwrap();
    }
    let docs = import::read(ImportFormat::Brat, dir.path(), &LabelMap::new(cb), cb, "back").unwrap();
    assert!(docs[0].warnings.is_empty(), "{:?}", docs[0].warnings);
    // Each annotation's quote, status, detector and confidence, in a stable order.
    let review = |anns: &[newsnote::model::annotation::Annotation]| {
        let mut v: Vec<(String, &'static str, Option<String>, Option<u8>)> = anns
            .iter()
            .map(|a| {
                let by = a.suggestion.as_ref();
                (a.quote.clone(), a.status.as_str(), by.map(|s| s.origin()), by.map(|s| s.confidence))
            })
            .collect();
        v.sort();
        v
    };
    let back = review(&docs[0].annotations);
    assert_eq!(back, review(&arts[0].annotations));
    assert_eq!(back.iter().filter(|a| a.1 == Status::Proposed.as_str()).count(), 3);
}
