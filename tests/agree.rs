//! `newsnote agree` against independent implementations, and its figures' properties.
//!
//! The character-level figures of the real binary (`--json`) are compared with Python's
//! `krippendorff` package (α, nominal) and scikit-learn's `cohen_kappa_score` (κ) on the
//! same codings (tests/agree/check.py), for folders of two and of six coders over the
//! sample articles and a few WCXB pages (WCXB (Foley, 2026), CC-BY-4.0; left out when
//! absent). The Python side reads a neutral dump written here from the annotation files,
//! never newsnote's figures. The check needs `krippendorff` and `scikit-learn` (the
//! interpreter named by `NEWSNOTE_AGREE_PYTHON`, else `python3`): without them it fails under
//! CI (`CI` set), where a silent pass would hide that it never ran, and is skipped with the
//! reason printed elsewhere.

use newsnote::model::agree::{ArticleInfo, CoderDocs, Options, corpus_agreement};
use newsnote::model::annotation::{Annotation, AttrValue, Fragment, LabelId, Status};
use newsnote::model::codebook::Codebook;
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::store::{AnnotationFile, Fingerprint};
use newsnote::model::units::CharRange;
use proptest::prelude::*;
use std::path::Path;
use std::process::Command;

const WCXB: &str = "../shared/data/wcxb-dev-articles";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsnote"));
    c.env("RUST_BACKTRACE", "0").env_remove("CARGO_MANIFEST_DIR");
    c
}

/// A small deterministic generator, so each coder's differences are the same every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn book() -> &'static Codebook {
    Codebook::default_scheme()
}

/// Annotations for a page without any: units of every label every few hundred code points,
/// with attribute values and claims linked to sources.
fn synthetic(text: &str, chars: usize) -> Vec<Annotation> {
    let idx = newsnote::model::units::CharIndex::new(text);
    let labels: Vec<&str> = book().labels.iter().map(|l| l.id.as_str()).collect();
    let mut out: Vec<Annotation> = Vec::new();
    let mut dice = Dice(chars as u64);
    let mut at = 10;
    let mut k = 0;
    while at + 90 < chars {
        let len = 15 + dice.below(60) as usize;
        let span = CharRange::new(at, at + len);
        let bytes = idx.to_bytes(text, span).unwrap();
        let label = labels[k % labels.len()];
        let mut a = Annotation::new_manual(LabelId::new(label), text, bytes, span, "seed", "2026-12-01T00:00:00Z");
        for def in book().attributes_for(label) {
            let values = def.kind.values();
            if !values.is_empty() {
                a.attributes.insert(def.id.clone(), AttrValue::One(values[k % values.len()].id.clone()));
            }
        }
        out.push(a);
        at += len + 40 + dice.below(300) as usize;
        k += 1;
    }
    link_claims(&mut out);
    out
}

/// Links each claim to the source before it, as the codebook's attribution says.
fn link_claims(anns: &mut [Annotation]) {
    let Some(rel) = book().source_relation().map(|r| r.id.clone()) else { return };
    let mut last_source = None;
    for a in anns.iter_mut() {
        if book().is_source(&a.label) {
            last_source = Some(a.id.clone());
        } else if book().is_content(&a.label)
            && a.linked(&rel).is_empty()
            && let Some(s) = &last_source
        {
            a.link(&rel, s.clone());
        }
    }
}

/// Coder `k`'s version of `base`: coder 0 is the base; the others drop, shift, relabel,
/// re-value, split and leave suggestions open, each by their own dice.
fn coder_version(base: &[Annotation], k: u64, chars: usize) -> Vec<Annotation> {
    if k == 0 {
        return base.to_vec();
    }
    let labels: Vec<LabelId> = book().labels.iter().map(|l| LabelId::new(l.id.clone())).collect();
    let mut dice = Dice(k * 7919 + chars as u64);
    let mut out = Vec::new();
    for a in base {
        let mut a = a.clone();
        match dice.below(20) {
            0 | 1 => continue,
            2 | 3 => {
                let d = 1 + dice.below(6) as usize;
                a.start = (a.start + d).min(a.end - 1);
            }
            4 => a.end = (a.end + 1 + dice.below(9) as usize).min(chars),
            5 => {
                let i = labels.iter().position(|l| *l == a.label).unwrap_or(0);
                a.label = labels[(i + 1 + k as usize) % labels.len()].clone();
            }
            6 | 7 => {
                for def in book().attributes_for(a.label.as_str()) {
                    let values = def.kind.values();
                    if !values.is_empty() {
                        let v = values[dice.below(values.len() as u64) as usize].id.clone();
                        a.attributes.insert(def.id.clone(), AttrValue::One(v));
                    }
                }
            }
            8 if a.end + 12 < chars && a.fragments.is_empty() => {
                let s = a.end + 3;
                a.fragments.push(Fragment {
                    start: s,
                    end: s + 5,
                    quote: String::new(),
                    prefix: String::new(),
                    suffix: String::new(),
                });
            }
            9 => a.status = Status::Proposed,
            10 => a.links.clear(),
            _ => {}
        }
        out.push(a);
    }
    out
}

/// A corpus of the samples and up to three WCXB pages, with `coders` coders' folders under
/// coders/, each a different version of the samples' coding. The last of six coders has no
/// file for the first article.
fn team_corpus(dir: &Path, coders: usize) -> Vec<String> {
    let root = dir.join("corpus");
    std::fs::create_dir_all(&root).unwrap();
    for e in std::fs::read_dir("assets/articles").unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, root.join(p.file_name().unwrap())).unwrap();
    }
    for stem in ["0001", "0002", "0003"] {
        let page = Path::new(WCXB).join("html").join(format!("{stem}.html.gz"));
        if page.is_file() {
            std::fs::copy(&page, root.join(format!("wcxb_{stem}.html.gz"))).unwrap();
        }
    }
    let corpus = Corpus::scan(&root, AnnotationRoot::NextToArticles).unwrap();
    let names: Vec<String> =
        ["алиса", "bob", "Zoë", "nour", "孙", "olu"][..coders].iter().map(|s| s.to_string()).collect();
    for (i, entry) in corpus.entries.iter().enumerate() {
        let article = newsnote::model::load::load(entry).unwrap();
        let chars = article.index.total_chars();
        let stem = Path::new(&entry.id).file_stem().unwrap().to_string_lossy().into_owned();
        let sample = Path::new("annotations").join(format!("{stem}.ron"));
        let base = match AnnotationFile::load(&sample, &entry.id).unwrap() {
            Some(f) if sample.is_file() => f.annotations,
            _ => synthetic(&article.text, chars),
        };
        let rel = entry.ron_path.strip_prefix(&root).unwrap().to_path_buf();
        for (k, name) in names.iter().enumerate() {
            if coders == 6 && k == 5 && i == 0 {
                continue;
            }
            let anns = coder_version(&base, k as u64, chars);
            let file = AnnotationFile::new(&entry.id, Fingerprint::of(&article.text, chars), anns);
            let path = root.join("coders").join(name).join(&rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file.to_ron()).unwrap();
        }
    }
    names
}

/// The neutral dump for check.py, from the files: each article's length and each coder's
/// accepted annotations (label, pieces).
fn dump(root: &Path, names: &[String]) -> serde_json::Value {
    let corpus = Corpus::scan(root, AnnotationRoot::NextToArticles).unwrap();
    let mut articles = Vec::new();
    for entry in &corpus.entries {
        let chars = newsnote::model::load::load(entry).unwrap().index.total_chars();
        let rel = entry.ron_path.strip_prefix(root).unwrap();
        let per_coder: Vec<serde_json::Value> = names
            .iter()
            .map(|n| {
                let file = AnnotationFile::load(&root.join("coders").join(n).join(rel), &entry.id).unwrap();
                let anns = file.map(|f| f.annotations).unwrap_or_default();
                anns.iter()
                    .filter(|a| a.status == Status::Accepted)
                    .map(|a| {
                        let pieces: Vec<[usize; 2]> = a.pieces().map(|(r, _)| [r.start, r.end]).collect();
                        serde_json::json!([a.label.as_str(), pieces])
                    })
                    .collect()
            })
            .collect();
        articles.push(serde_json::json!({ "id": entry.id, "chars": chars, "coders": per_coder }));
    }
    let labels: Vec<&str> = book().labels.iter().map(|l| l.id.as_str()).collect();
    serde_json::json!({ "labels": labels, "coders": names, "articles": articles })
}

/// The Python that has the two packages, or `None` (after failing under CI).
fn python() -> Option<String> {
    let python = std::env::var("NEWSNOTE_AGREE_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&python)
        .args(["-c", "import krippendorff, sklearn, numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    let why = format!("{python} lacks krippendorff or scikit-learn (pip install krippendorff scikit-learn)");
    assert!(std::env::var_os("CI").is_none(), "{why}; CI must have them (.ci/run installs them)");
    eprintln!("skipped: {why}");
    None
}

fn close(ours: &serde_json::Value, theirs: &serde_json::Value, what: &str) {
    match (ours.as_f64(), theirs.as_f64()) {
        (None, None) => {}
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{what}: newsnote {a} ≠ {b}"),
        _ => panic!("{what}: newsnote {ours} against {theirs}"),
    }
}

fn compare_with_python(coders: usize) {
    let Some(python) = python() else { return };
    let d = tempfile::tempdir().unwrap();
    let names = team_corpus(d.path(), coders);
    let root = d.path().join("corpus");
    let dump_path = d.path().join("dump.json");
    std::fs::write(&dump_path, dump(&root, &names).to_string()).unwrap();
    let out = Command::new(&python).arg("tests/agree/check.py").arg(&dump_path).output().unwrap();
    assert!(out.status.success(), "check.py: {}", String::from_utf8_lossy(&out.stderr));
    let theirs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = bin().arg("agree").arg(&root).args(&names).arg("--json").output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let ours: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let corpus = &ours["corpus"];
    let rows = corpus["labels"].as_array().unwrap().iter().chain([&corpus["overall"]]);
    let mut compared = 0;
    for row in rows {
        let label = row["label"].as_str().unwrap();
        let t = if label == "overall" { &theirs["overall"] } else { &theirs["labels"][label] };
        close(&row["alpha"], &t["alpha"], &format!("α of {label}"));
        let alpha = row["alpha"].as_f64().unwrap_or_else(|| panic!("{label}: no α"));
        assert!(alpha < 1.0, "{label}: the coders differ on every label, α {alpha}");
        for p in row["pairs"].as_array().unwrap() {
            let key = format!("{}|{}", p["coders"][0].as_str().unwrap(), p["coders"][1].as_str().unwrap());
            close(&p["kappa"], &t["kappa"][&key], &format!("κ of {label}, {key}"));
            compared += 1;
        }
    }
    let pairs = coders * (coders - 1) / 2;
    assert_eq!(compared, pairs * (book().labels.len() + 1));
    assert_eq!(ours["articles"].as_u64(), Some(theirs_articles(&root)));
}

fn theirs_articles(root: &Path) -> u64 {
    Corpus::scan(root, AnnotationRoot::NextToArticles).unwrap().entries.len() as u64
}

#[test]
fn character_kappa_and_alpha_of_two_coders_match_scikit_learn_and_krippendorff() {
    compare_with_python(2);
}

#[test]
fn character_kappa_and_alpha_of_six_coders_match_scikit_learn_and_krippendorff() {
    compare_with_python(6);
}

#[test]
fn agree_takes_coders_names_from_the_team_and_refuses_bad_arguments_with_exit_2() {
    let d = tempfile::tempdir().unwrap();
    let names = team_corpus(d.path(), 2);
    let root = d.path().join("corpus");
    // No coder given: every folder under coders/.
    let all = bin().arg("agree").arg(&root).arg("--json").output().unwrap();
    assert!(all.status.success(), "{}", String::from_utf8_lossy(&all.stderr));
    let v: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let mut got: Vec<String> = v["coders"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    let mut want = names.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let fails = |args: &[&str], says: &str| {
        let o = bin().arg("agree").arg(&root).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    };
    fails(&[&names[0]], "two coders or more");
    fails(&[&names[0], "нет-такого"], "no such coder's folder");
    fails(&[&names[0], &names[1], "--label", "Ерунда"], "not a label of codebook");
    fails(&[&names[0], &names[0]], "given twice");
}

#[test]
fn every_output_format_carries_the_figures() {
    let d = tempfile::tempdir().unwrap();
    let names = team_corpus(d.path(), 2);
    let root = d.path().join("corpus");
    let run = |extra: &[&str]| {
        let o = bin().arg("agree").arg(&root).args(&names).args(extra).output().unwrap();
        assert!(o.status.success(), "{extra:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run(&["--json", "--label", "claim"])).unwrap();
    assert_eq!(json["labels"], serde_json::json!(["Claim"]));
    let alpha = json["corpus"]["labels"][0]["alpha"].as_f64().unwrap();
    let table = run(&["--label", "claim"]);
    assert!(table.contains(&format!("{alpha:.3}")), "{table}");
    assert!(table.contains("α_U") && table.contains(&format!("{} – {}", names[0], names[1])), "{table}");
    let md = run(&["--markdown", "--label", "claim"]);
    assert!(md.contains("| Claim |") && md.contains(&format!("{alpha:.3}")), "{md}");
    let csv = run(&["--csv", "--label", "claim", "--per-article"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let corpus_alpha = rows.iter().find(|x| x[0].is_empty() && &x[1] == "Claim" && &x[5] == "alpha_chars").unwrap();
    assert!((corpus_alpha[6].parse::<f64>().unwrap() - alpha).abs() < 1e-12);
    assert!(rows.iter().any(|x| x[0].starts_with("000_")), "per-article rows");
}

/// Annotations over a text of `ж` (two bytes each), from (label, start, len) triples.
fn coding(spans: &[(usize, usize, usize)], chars: usize) -> Vec<Annotation> {
    let text = "ж".repeat(chars);
    let labels: Vec<&str> = book().labels.iter().map(|l| l.id.as_str()).collect();
    spans
        .iter()
        .map(|&(l, s, len)| {
            let (s, e) = (s % chars, (s % chars + 1 + len).min(chars));
            let span = CharRange::new(s, e);
            let bytes = newsnote::model::units::ByteRange::new(2 * s, 2 * e);
            Annotation::new_manual(
                LabelId::new(labels[l % labels.len()]),
                &text,
                bytes,
                span,
                "п",
                "2026-12-01T00:00:00Z",
            )
        })
        .collect()
}

fn agreement_of(docs: &[Vec<Vec<Annotation>>], chars: &[usize]) -> newsnote::model::agree::Agreement {
    let articles: Vec<ArticleInfo> =
        chars.iter().enumerate().map(|(i, &c)| ArticleInfo { id: format!("статья-{i}"), chars: c }).collect();
    let coders: Vec<CoderDocs> =
        docs.iter().enumerate().map(|(k, d)| CoderDocs { coder: format!("кодер{k}"), docs: d.clone() }).collect();
    corpus_agreement(&articles, &coders, book(), &Options::default())
}

fn in_range(v: Option<f64>) -> bool {
    v.is_none_or(|x| (-1.0 - 1e-12..=1.0 + 1e-12).contains(&x))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn alpha_and_kappa_lie_in_bounds_do_not_depend_on_coder_order_and_are_one_for_identical_coders(
        chars in proptest::collection::vec(20usize..400, 1..4),
        raw in proptest::collection::vec(proptest::collection::vec((0usize..4, 0usize..400, 0usize..60), 0..8), 2..5),
    ) {
        let m = raw.len();
        let docs: Vec<Vec<Vec<Annotation>>> = (0..m)
            .map(|k| chars.iter().enumerate().map(|(i, &c)| {
                let own: Vec<_> = raw[k].iter().map(|&(l, s, n)| (l, s + 37 * i, n)).collect();
                coding(&own, c)
            }).collect())
            .collect();
        let a = agreement_of(&docs, &chars);
        let reversed: Vec<_> = docs.iter().rev().cloned().collect();
        let b = agreement_of(&reversed, &chars);
        for (x, y) in a.corpus.labels.iter().chain([&a.corpus.overall]).zip(b.corpus.labels.iter().chain([&b.corpus.overall])) {
            prop_assert!(in_range(x.alpha) && in_range(x.kappa), "{x:?}");
            prop_assert!(x.pairs.iter().all(|p| in_range(p.kappa)));
            match (x.alpha, y.alpha) {
                (Some(p), Some(q)) => prop_assert!((p - q).abs() < 1e-9, "α {p} against {q} reversed"),
                (p, q) => prop_assert_eq!(p, q),
            }
            match (x.kappa, y.kappa) {
                (Some(p), Some(q)) => prop_assert!((p - q).abs() < 1e-9, "κ {p} against {q} reversed"),
                (p, q) => prop_assert_eq!(p, q),
            }
            match (x.unitizing_alpha, y.unitizing_alpha) {
                (Some(p), Some(q)) => prop_assert!((p - q).abs() < 1e-9, "α_U {p} against {q} reversed"),
                (p, q) => prop_assert_eq!(p, q),
            }
        }
        let same: Vec<_> = (0..m).map(|_| docs[0].clone()).collect();
        let s = agreement_of(&same, &chars);
        for x in s.corpus.labels.iter().chain([&s.corpus.overall]) {
            for v in [x.alpha, x.kappa, x.unitizing_alpha, x.spans.exact.f1] {
                prop_assert!(v.is_none_or(|v| (v - 1.0).abs() < 1e-12), "{}: {v:?}", x.label);
            }
        }
    }
}

#[test]
fn only_done_compares_the_articles_every_coder_marked_done() {
    use newsnote::model::progress::{Progress, Stage};
    let d = tempfile::tempdir().unwrap();
    let names = team_corpus(d.path(), 2);
    let root = d.path().join("corpus");
    let ids: Vec<String> =
        Corpus::scan(&root, AnnotationRoot::NextToArticles).unwrap().entries.iter().map(|e| e.id.clone()).collect();
    let agree = |extra: &[&str]| bin().arg("agree").arg(&root).args(&names).args(extra).output().unwrap();
    let none = agree(&["--only-done"]);
    assert_eq!(none.status.code(), Some(1), "{}", String::from_utf8_lossy(&none.stderr));
    assert!(String::from_utf8_lossy(&none.stderr).contains("none that every coder marked done"));
    for (k, name) in names.iter().enumerate() {
        let dir = root.join("coders").join(name);
        let mut p = Progress::open(&Progress::locate(&root, &AnnotationRoot::Mirrored(dir))).unwrap();
        // Both coders finished the first article; only the first coder the second.
        p.set(&ids[0], Stage::Done, name, "2026-12-01T10:00:00Z");
        if k == 0 {
            p.set(&ids[1], Stage::Done, name, "2026-12-01T10:00:00Z");
        }
        p.save().unwrap();
    }
    let done = agree(&["--only-done", "--json", "--per-article"]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let v: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(v["articles"], 1);
    assert_eq!(v["per_article"][0]["id"], ids[0].as_str());
    let all: serde_json::Value = serde_json::from_slice(&agree(&["--json"]).stdout).unwrap();
    assert_eq!(all["articles"].as_u64(), Some(ids.len() as u64), "without --only-done every article counts");
}

/// The picture of the project charts the coders' agreement: `newsnote stats --json` and the
/// HTML report carry each label's α as `newsnote agree` computes it, for a team found in
/// coders/ (no corpus.ron needed).
#[test]
fn the_stats_and_the_report_chart_the_same_alpha_per_label_as_agree() {
    let d = tempfile::tempdir().unwrap();
    team_corpus(d.path(), 2);
    let root = d.path().join("corpus");
    let out = |args: &[&str]| {
        let o = bin().args(args).arg(&root).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let agree: serde_json::Value = serde_json::from_str(&out(&["agree", "--json", "--label", "claim"])).unwrap();
    let alpha = agree["corpus"]["labels"][0]["alpha"].as_f64().unwrap();
    let claim = book().label("Claim").unwrap().name.clone();
    let stats: serde_json::Value = serde_json::from_str(&out(&["stats", "--json"])).unwrap();
    let per_label = stats["picture"]["agreement"].as_array().expect("agreement in the picture");
    let ours = per_label.iter().find(|p| p[0] == claim.as_str()).expect("the claim label");
    assert!((ours[1].as_f64().unwrap() - alpha).abs() < 1e-12, "{ours} vs {alpha}");
    let html = out(&["export", "--format", "html"]);
    assert!(html.contains("id=\"chart-agreement\""), "the report has the agreement chart");
    assert!(html.contains(&format!("<title>{claim}: {alpha:.2}</title>")), "with the claim's α");
    assert!(html.contains("id=\"chart-coders\""), "and the coders' progress");
}
