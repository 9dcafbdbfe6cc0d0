//! `newsnote suggest` run as a process on copies of the samples and of a few WCXB pages: what
//! it proposes, that a second run writes nothing, that a rejected suggestion stays rejected,
//! that a person's annotation is never changed, `--only`, cross-outlet boilerplate, and the
//! per-detector acceptance `stats` reports. The WCXB pages: WCXB (Foley, 2026), CC-BY-4.0.

use newsnote::model::annotation::{Annotation, AttrValue, Origin, Status};
use newsnote::model::store::AnnotationFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CNN: &str = "002_915808095f53d4db";
const TASS: &str = "000_e37f52fc02921a26";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The two sample articles alone, no annotation file.
fn bare_copy() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for stem in [TASS, CNN] {
        let name = format!("{stem}.txt");
        std::fs::copy(root().join("assets/articles").join(&name), d.path().join(&name)).unwrap();
    }
    d
}

/// The samples with their shipped (hand-coded) annotations and registry next to them.
fn annotated_copy() -> tempfile::TempDir {
    let d = bare_copy();
    std::fs::copy(root().join("annotations/sources.ron"), d.path().join("sources.ron")).unwrap();
    for stem in [TASS, CNN] {
        let name = format!("{stem}.ron");
        std::fs::copy(root().join("annotations").join(&name), d.path().join(&name)).unwrap();
    }
    d
}

fn newsnote(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "suggest-test")
        .output()
        .expect("run newsnote")
}

fn ok(args: &[&str], cwd: &Path) -> String {
    let o = newsnote(args, cwd);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn ron_path(dir: &Path, article: &str) -> PathBuf {
    dir.join(Path::new(article).with_extension("ron"))
}

fn file(dir: &Path, article: &str) -> AnnotationFile {
    AnnotationFile::load(&ron_path(dir, article), article).unwrap().expect("an annotation file")
}

fn write(dir: &Path, article: &str, f: &AnnotationFile) {
    std::fs::write(ron_path(dir, article), f.to_ron()).unwrap();
}

fn kind(a: &Annotation) -> &str {
    match a.attributes.get("kind") {
        Some(AttrValue::One(v)) => v,
        _ => "",
    }
}

fn detector(a: &Annotation) -> &str {
    a.suggestion.as_ref().map_or("", |s| s.detector.as_str())
}

/// Every annotation file under `dir`, by path, as bytes.
fn ron_bytes(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "ron") {
                let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
                out.insert(p.clone(), (std::fs::read(&p).unwrap(), modified));
            }
        }
    }
    out
}

#[test]
fn suggest_proposes_the_second_samples_boilerplate_kinds_and_a_second_run_writes_nothing() {
    let d = bare_copy();
    let summary = ok(&["suggest", "."], d.path());
    assert!(summary.contains("2 article(s) read: 2 got new suggestions"), "{summary}");
    let cnn = file(d.path(), &format!("{CNN}.txt"));
    let kinds: Vec<&str> = cnn.annotations.iter().filter(|a| a.label.as_str() == "Boilerplate").map(kind).collect();
    for k in ["DuplicateHeadline", "DonationAppeal", "TemplateResidue", "Copyright"] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    for a in &cnn.annotations {
        assert_eq!((a.status, a.origin), (Status::Proposed, Origin::Detector), "{a:?}");
        let s = a.suggestion.as_ref().expect("the detector is recorded in the file");
        assert!(!s.detector.is_empty() && s.version > 0 && !s.reason.is_empty(), "{s:?}");
    }
    let tass = file(d.path(), &format!("{TASS}.txt"));
    assert!(tass.annotations.iter().any(|a| a.label.as_str() == "Claim"), "the first sample's quotes");
    assert!(summary.contains("boilerplate-") && summary.contains("quotes-"), "per detector: {summary}");
    assert!(summary.contains("Boilerplate (donation appeal)"), "per label and kind: {summary}");

    let before = ron_bytes(d.path());
    let again = ok(&["suggest", "."], d.path());
    assert!(again.contains("0 got new suggestions, 2 had nothing new"), "{again}");
    assert_eq!(ron_bytes(d.path()), before, "a second run writes nothing: same bytes, same modification times");
}

#[test]
fn a_rejected_suggestion_is_not_proposed_again_and_a_deleted_one_is() {
    let d = bare_copy();
    let cnn = format!("{CNN}.txt");
    ok(&["suggest", ".", "--only", "boilerplate"], d.path());
    let mut f = file(d.path(), &cnn);
    let n = f.annotations.len();
    assert!(n >= 3, "{n}");
    let rejected = f.annotations[0].clone();
    f.annotations[0].status = Status::Rejected;
    let deleted = f.annotations.remove(1);
    write(d.path(), &cnn, &f);
    ok(&["suggest", ".", "--only", "boilerplate"], d.path());
    let after = file(d.path(), &cnn);
    assert_eq!(after.annotations.len(), n, "only the deleted one is proposed again");
    let on = |a: &Annotation, b: &Annotation| a.label == b.label && (a.start, a.end) == (b.start, b.end);
    let there: Vec<&Annotation> = after.annotations.iter().filter(|a| on(a, &rejected)).collect();
    assert_eq!(there.len(), 1, "{there:?}");
    assert_eq!((&there[0].id, there[0].status), (&rejected.id, Status::Rejected), "it stays rejected");
    assert!(after.annotations.iter().any(|a| on(a, &deleted) && a.is_proposed()), "a deleted one comes back");
}

#[test]
fn a_persons_annotations_are_never_changed_by_suggest() {
    let d = annotated_copy();
    let names = [format!("{TASS}.txt"), format!("{CNN}.txt")];
    let before: Vec<AnnotationFile> = names.iter().map(|n| file(d.path(), n)).collect();
    ok(&["suggest", "."], d.path());
    for (name, was) in names.iter().zip(&before) {
        let now = file(d.path(), name);
        for a in &was.annotations {
            assert_eq!(now.annotations.iter().find(|b| b.id == a.id), Some(a), "{name}: {a:?} changed or lost");
        }
        for a in now.annotations.iter().filter(|a| !was.annotations.iter().any(|b| b.id == a.id)) {
            assert_eq!((a.status, a.origin), (Status::Proposed, Origin::Detector), "{name}: {a:?}");
        }
    }
    // The shipped coding has the second sample's boilerplate: nothing is proposed over it.
    let cnn = file(d.path(), &names[1]);
    let coded: Vec<&Annotation> = cnn.annotations.iter().filter(|a| a.label.as_str() == "Boilerplate").collect();
    for p in coded.iter().filter(|a| a.is_proposed()) {
        assert!(
            !coded.iter().any(|c| !c.is_proposed() && c.start < p.end && p.start < c.end),
            "{p:?} overlaps a coded one"
        );
    }
}

#[test]
fn only_runs_the_detectors_it_names() {
    let d = bare_copy();
    ok(&["suggest", ".", "--only", "sources"], d.path());
    let tass = file(d.path(), &format!("{TASS}.txt"));
    assert!(!tass.annotations.is_empty());
    assert!(tass.annotations.iter().all(|a| a.label.as_str() == "Source"), "sources only");
    assert!(
        !ron_path(d.path(), &format!("{CNN}.txt")).exists() || {
            let cnn = file(d.path(), &format!("{CNN}.txt"));
            cnn.annotations.iter().all(|a| a.label.as_str() == "Source")
        }
    );

    let d = bare_copy();
    ok(&["suggest", ".", "--only", "boilerplate,sources"], d.path());
    let labels: std::collections::BTreeSet<String> = [TASS, CNN]
        .iter()
        .filter(|s| ron_path(d.path(), &format!("{s}.txt")).exists())
        .flat_map(|s| file(d.path(), &format!("{s}.txt")).annotations)
        .map(|a| a.label.to_string())
        .collect();
    assert_eq!(labels.into_iter().collect::<Vec<_>>(), ["Boilerplate", "Source"], "a comma list");

    let o = newsnote(&["suggest", ".", "--only", "нет"], d.path());
    assert_eq!(o.status.code(), Some(2), "an unknown detector is a usage error");
}

#[test]
fn a_dry_run_prints_the_proposals_and_writes_nothing() {
    let d = bare_copy();
    let text = ok(&["suggest", ".", "--dry-run"], d.path());
    assert!(text.contains(&format!("{CNN}.txt: ")) && text.contains("Boilerplate (template residue)"), "{text}");
    let json = ok(&["suggest", ".", "--dry-run", "--json"], d.path());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["articles"]["changed"], 2);
    let proposals = v["proposals"].as_array().unwrap();
    assert_eq!(proposals.len() as u64, v["suggestions"]["total"].as_u64().unwrap());
    assert!(proposals.iter().any(|p| p["kind"] == "TemplateResidue" && p["quote"] == "{{ }}"), "{json}");
    assert!(ron_bytes(d.path()).is_empty(), "nothing written");
}

/// A footer line the page detector does not know, in two articles of folder `лента/` and one
/// of another folder.
fn outlet_corpus() -> tempfile::TempDir {
    const FOOTER: &str = "Читайте «Ленту Севера» в мессенджерах: канал обновляется каждый вечер.";
    let d = tempfile::tempdir().unwrap();
    for (path, title) in [("лента/a.txt", "Мост открыт"), ("лента/b.txt", "Паром отменён"), ("другое/c.txt", "Снег")]
    {
        let p = d.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let body = format!(
            "{title}\n\n{title}: об этом сообщили в мэрии во вторник. Движение восстановлено к вечеру.\n\n{FOOTER}\n"
        );
        std::fs::write(p, body).unwrap();
    }
    d
}

#[test]
fn boilerplate_accepted_in_one_article_is_proposed_in_the_other_articles_of_its_folder() {
    let d = outlet_corpus();
    let quote = "Читайте «Ленту Севера» в мессенджерах: канал обновляется каждый вечер.";
    ok(&["tag", "лента/a.txt", "--label", "boilerplate:Newsletter", "--quote", quote], d.path());
    let out = ok(&["suggest", ".", "--only", "boilerplate"], d.path());
    assert!(out.contains("outlet-1"), "{out}");
    let b = file(d.path(), "лента/b.txt");
    let from_outlet: Vec<&Annotation> = b.annotations.iter().filter(|a| detector(a) == "outlet").collect();
    assert_eq!(from_outlet.len(), 1, "{:?}", b.annotations);
    assert_eq!((from_outlet[0].quote.as_str(), kind(from_outlet[0])), (quote, "Newsletter"), "the accepted kind");
    assert!(from_outlet[0].suggestion.as_ref().unwrap().reason.contains("лента/a.txt"));
    let c_outlet = ron_path(d.path(), "другое/c.txt").exists()
        && file(d.path(), "другое/c.txt").annotations.iter().any(|a| detector(a) == "outlet");
    assert!(!c_outlet, "another folder is another outlet");
    let a = file(d.path(), "лента/a.txt");
    assert_eq!(a.annotations.iter().filter(|x| detector(x) == "outlet").count(), 0, "its own article gets nothing");
    let before = ron_bytes(d.path());
    ok(&["suggest", ".", "--only", "boilerplate"], d.path());
    assert_eq!(ron_bytes(d.path()), before, "idempotent");
}

#[test]
fn stats_shows_each_detectors_acceptance_and_counts_only_the_coding() {
    let d = bare_copy();
    let cnn = format!("{CNN}.txt");
    ok(&["suggest", "."], d.path());
    let mut f = file(d.path(), &cnn);
    let bp: Vec<usize> = (0..f.annotations.len())
        .filter(|&i| f.annotations[i].suggestion.as_ref().is_some_and(|s| s.detector == "boilerplate"))
        .collect();
    let total_bp = bp.len();
    assert!(total_bp >= 3);
    f.annotations[bp[0]].status = Status::Accepted;
    f.annotations[bp[1]].status = Status::Accepted;
    f.annotations[bp[2]].status = Status::Rejected;
    let origin = f.annotations[bp[0]].suggestion.as_ref().unwrap().origin();
    write(d.path(), &cnn, &f);
    let json: serde_json::Value = serde_json::from_str(&ok(&["stats", ".", "--json"], d.path())).unwrap();
    let row = &json["detectors"][&origin];
    assert_eq!((row["accepted"].as_u64(), row["rejected"].as_u64()), (Some(2), Some(1)), "{json}");
    assert_eq!(row["open"].as_u64(), Some(total_bp as u64 - 3));
    assert!((row["precision"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(json["labels"]["Boilerplate"], 2, "only accepted annotations are the coding: {}", json["labels"]);
    assert_eq!(json["labels"].get("Claim"), None, "open claims are not counted as coded");
    assert_eq!(json["proposed"]["Boilerplate"].as_u64(), Some(total_bp as u64 - 3), "open ones apart");
    let text = ok(&["stats", "."], d.path());
    let line = text.lines().find(|l| l.ends_with(&origin)).unwrap_or_else(|| panic!("{text}"));
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cols[..4], ["2", "1", &(total_bp - 3).to_string(), "0.67"], "{line}");
}

#[test]
fn read_only_and_changed_articles_are_skipped_and_named_with_exit_1() {
    let d = annotated_copy();
    // The first sample changed since it was annotated: its annotations are not reviewed.
    let tass = d.path().join(format!("{TASS}.txt"));
    let text = std::fs::read_to_string(&tass).unwrap();
    std::fs::write(&tass, format!("Вставка редакции.\n\n{text}")).unwrap();
    // The second's annotation file is a link: newsnote writes through none.
    let cnn_ron = ron_path(d.path(), &format!("{CNN}.txt"));
    let real = d.path().join("real.ron.keep");
    std::fs::rename(&cnn_ron, &real).unwrap();
    std::os::unix::fs::symlink(&real, &cnn_ron).unwrap();
    let before = ron_bytes(d.path());
    let o = newsnote(&["suggest", "."], d.path());
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("{TASS}.txt: skipped: the article changed")), "{err}");
    assert!(err.contains(&format!("{CNN}.txt: skipped:")), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("2 skipped"));
    assert_eq!(ron_bytes(d.path()), before, "nothing written");
}

#[test]
fn suggest_on_wcxb_pages_proposes_boilerplate_and_a_second_run_writes_nothing() {
    let src = root().join("../shared/data/wcxb-dev-articles/html");
    let src = if src.is_dir() { src } else { PathBuf::from("/work/shared/data/wcxb-dev-articles/html") };
    if !src.is_dir() {
        eprintln!("skipped: {} is absent", src.display());
        return;
    }
    let d = tempfile::tempdir().unwrap();
    for name in ["0001.html.gz", "0002.html.gz", "0003.html.gz", "0004.html.gz"] {
        std::fs::copy(src.join(name), d.path().join(name)).unwrap();
    }
    let json: serde_json::Value = serde_json::from_str(&ok(&["suggest", ".", "--json"], d.path())).unwrap();
    assert_eq!(json["articles"]["read"], 4, "{json}");
    assert!(json["suggestions"]["by_label"]["Boilerplate"]["total"].as_u64().unwrap() > 0, "{json}");
    let before = ron_bytes(d.path());
    assert!(!before.is_empty());
    ok(&["suggest", "."], d.path());
    assert_eq!(ron_bytes(d.path()), before, "a second run writes nothing");
}
