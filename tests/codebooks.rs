//! The two example codebooks (examples/codebooks/) end to end, as a study would use them: the
//! real binary on temp corpora of short non-ASCII articles (`codebook --json`, `tag` with
//! attributes and links, `check`, `stats`, `export`, `show`), the codebook changed under coded
//! files, a broken codebook, and the TUI driven headless with the codebook's own keys. Also
//! the format 1 files newsnote shipped before labels were data (tests/fixtures/v1/), and the
//! samples as re-coded with cues and quote types.

mod drive;

use drive::{corpus_of, go_to, press};
use newsnote::app::keymap::Keymap;
use newsnote::app::{App, Overlay};
use newsnote::model::annotation::{AnnotationId, AttrValue};
use newsnote::model::codebook::{AttrKind, Codebook, load_file};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::store::AnnotationFile;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> PathBuf {
    root().join("examples/codebooks").join(name)
}

fn newsnote(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "codebook-test")
        .env_remove("CARGO_MANIFEST_DIR")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run newsnote")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// Runs newsnote and returns its stdout, failing with stderr unless it exits 0.
fn ok(args: &[&str], cwd: &Path) -> String {
    let o = newsnote(args, cwd);
    assert_eq!(code(&o), 0, "newsnote {args:?}:\n{}\n{}", out(&o), err(&o));
    out(&o)
}

/// `tag` with the codebook at `cb`: the new annotation's id.
fn tag(dir: &Path, cb: &Path, article: &str, label: &str, quote: &str, extra: &[&str]) -> String {
    let mut args = vec!["tag", article, "--codebook", cb.to_str().unwrap(), "--label", label, "--quote", quote];
    args.extend_from_slice(extra);
    ok(&args, dir).trim().to_owned()
}

fn ron(dir: &Path, stem: &str) -> AnnotationFile {
    AnnotationFile::load(&dir.join(format!("{stem}.ron")), &format!("{stem}.txt")).unwrap().expect("a saved file")
}

/// `check --json` with the codebook at `cb`: (severity, code, message) of every problem.
fn check(dir: &Path, cb: &Path) -> (i32, Vec<(String, String, String)>) {
    let o = newsnote(&["check", ".", "--json", "--codebook", cb.to_str().unwrap()], dir);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap_or_else(|e| panic!("{e}: {}", err(&o)));
    let problems = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap().to_owned();
            (s("severity"), s("code"), s("message"))
        })
        .collect();
    (code(&o), problems)
}

/// The file's bytes for every `.ron` in `dir`, to show nothing was rewritten.
fn ron_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    v.sort();
    v
}

/// The codebook at `path` changed by `f` and written to `dir/name` (through the library's own
/// types, so the change is exactly what `f` says).
fn changed_codebook(path: &Path, dir: &Path, name: &str, f: impl FnOnce(&mut Codebook)) -> PathBuf {
    let mut cb = load_file(path).unwrap();
    f(&mut cb);
    let text = ron::ser::to_string_pretty(&cb, ron::ser::PrettyConfig::default()).unwrap();
    let to = dir.join(name);
    std::fs::write(&to, text).unwrap();
    load_file(&to).unwrap_or_else(|e| panic!("the changed codebook must stay valid: {e}"));
    to
}

fn drop_value(cb: &mut Codebook, attribute: &str, value: &str) {
    let a = cb.attributes.iter_mut().find(|a| a.id == attribute).unwrap();
    match &mut a.kind {
        AttrKind::One(v) | AttrKind::Many(v) => v.retain(|d| d.id != value),
        other => panic!("{other:?} has no values"),
    }
}

// ---------------------------------------------------------------------------------------
// Both examples: valid, printed whole, keys free

#[test]
fn each_example_codebook_loads_and_none_of_its_keys_clash_with_the_default_keymap() {
    for name in ["sourcing.ron", "factcheck.ron"] {
        let cb = load_file(&example(name)).unwrap_or_else(|e| panic!("{e}"));
        let clashes = Keymap::default_map().bind_labels(&cb);
        assert!(clashes.is_empty(), "{name}: {clashes:?}");
        // What the person sees at start: the app reports clashes as "codebook:" messages.
        let dir = corpus_of(&[("a.txt", "Заголовок\nТекст.\n")]);
        let app = app_with(dir.path(), cb.clone());
        let said: Vec<&str> =
            app.messages.iter().map(|m| m.text.as_str()).filter(|t| t.starts_with("codebook:")).collect();
        assert!(said.is_empty(), "{name}: {said:?}");
        for l in &cb.labels {
            assert!(!l.definition.is_empty() && !l.examples.is_empty() && !l.rules.is_empty(), "{name}: {}", l.id);
        }
        // Every attribute of a label has its own key in that label's attribute menu.
        for l in &cb.labels {
            let keys: Vec<_> = cb.attributes_for(&l.id).map(|a| a.key.clone().expect("explicit keys")).collect();
            let mut unique = keys.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(keys.len(), unique.len(), "{name}: {} has attribute keys {keys:?}", l.id);
        }
    }
}

#[test]
fn the_codebook_command_prints_every_label_attribute_value_and_key_of_each_example_as_json() {
    let dir = corpus_of(&[("a.txt", "Заголовок\nТекст.\n")]);
    for name in ["sourcing.ron", "factcheck.ron"] {
        let cb = load_file(&example(name)).unwrap();
        let text = ok(&["codebook", "--codebook", example(name).to_str().unwrap(), "--json"], dir.path());
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["name"], cb.name.as_str());
        assert_eq!(v["version"], cb.version.as_str());
        assert_eq!(v["hash"], cb.reference().hash.as_str());
        let labels = v["labels"].as_array().unwrap();
        assert_eq!(labels.len(), cb.labels.len(), "{name}");
        for (j, l) in labels.iter().zip(&cb.labels) {
            assert_eq!((j["id"].as_str(), j["key"].as_str()), (Some(l.id.as_str()), Some(l.key.as_str())));
            assert_eq!(j["definition"], l.definition.as_str());
            assert_eq!(j["rules"].as_array().unwrap().len(), l.rules.len());
        }
        let attrs = v["attributes"].as_array().unwrap();
        assert_eq!(attrs.len(), cb.attributes.len(), "{name}");
        for (j, a) in attrs.iter().zip(&cb.attributes) {
            assert_eq!(j["id"], a.id.as_str());
            assert_eq!(j["key"].as_str(), a.key.as_deref());
            let values = a.kind.values();
            if !values.is_empty() {
                let listed = j["kind"].as_object().unwrap().values().next().unwrap().as_array().unwrap();
                let got: Vec<(&str, &str)> =
                    listed.iter().map(|x| (x["id"].as_str().unwrap(), x["key"].as_str().unwrap())).collect();
                let want: Vec<(&str, &str)> = values.iter().map(|d| (d.id.as_str(), d.key.as_str())).collect();
                assert_eq!(got, want, "{name}: {}", a.id);
            }
        }
        let rels: Vec<&str> = v["relations"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(rels, cb.relations.iter().map(|r| r.id.as_str()).collect::<Vec<_>>());
        // The person's listing names the same keys.
        let listing = ok(&["codebook", "--codebook", example(name).to_str().unwrap()], dir.path());
        for l in &cb.labels {
            assert!(listing.contains(&format!("  {}  {:<14} {}", l.key, l.id, l.name)), "{listing}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// The sourcing study through the CLI

const KYIV: &str = "Київ готується до зими\n«Ми готові до відключень», — сказала Олена Шевчук, мешканка Оболоні. За словами мера Віталія Кличка, місто має запас генераторів.\nПідпишіться на нашу розсилку.\n";
const ZURICH: &str = "Zürich stimmt über Mieten ab\nDie Stadträtin Käthi Müller sagte, die Vorlage sei „ein erster Schritt“. Ein Beamter, der anonym bleiben wollte, erklärte, die Kosten seien unklar.\n";

/// Two articles coded with the sourcing study through `tag`: four sources, four quotes each
/// with its cue, one boilerplate.
fn sourcing_corpus() -> tempfile::TempDir {
    let dir = corpus_of(&[("kyiv.txt", KYIV), ("zurich.txt", ZURICH)]);
    let d = dir.path();
    let cb = example("sourcing.ron");
    let s1 =
        tag(d, &cb, "kyiv.txt", "source", "Олена Шевчук", &["--attr", "source_type=citizen", "--attr", "gender=woman"]);
    let c1 =
        tag(d, &cb, "kyiv.txt", "claim", "Ми готові до відключень", &["--attr", "quote_type=direct", "--source", &s1]);
    // A cue tagged after its quote is attached from the cue's side…
    tag(d, &cb, "kyiv.txt", "cue", "сказала", &["--attach-to", &c1]);
    let s2 = tag(
        d,
        &cb,
        "kyiv.txt",
        "Source",
        "мера Віталія Кличка",
        &["--attr", "source type=official", "--attr", "gender=man"],
    );
    // …one tagged first is linked from the quote's side.
    let q2 = tag(d, &cb, "kyiv.txt", "Cue", "За словами", &[]);
    tag(
        d,
        &cb,
        "kyiv.txt",
        "Quote",
        "місто має запас генераторів",
        &["--attr", "quote_type=indirect", "--source", &s2, "--link", &format!("cue={q2}")],
    );
    tag(d, &cb, "kyiv.txt", "boilerplate:newsletter", "Підпишіться на нашу розсилку.", &[]);
    let s3 = tag(
        d,
        &cb,
        "zurich.txt",
        "source",
        "Die Stadträtin Käthi Müller",
        &["--attr", "source_type=official", "--attr", "gender=woman"],
    );
    let c3 = tag(d, &cb, "zurich.txt", "claim:mixed", "die Vorlage sei „ein erster Schritt“", &["--source", &s3]);
    tag(d, &cb, "zurich.txt", "cue", "sagte", &["--attach-to", &c3]);
    let s4 = tag(
        d,
        &cb,
        "zurich.txt",
        "source:anonymous",
        "Ein Beamter, der anonym bleiben wollte",
        &["--attr", "gender=man", "--attr", "anonymous=yes"],
    );
    let c4 = tag(
        d,
        &cb,
        "zurich.txt",
        "claim",
        "die Kosten seien unklar",
        &["--attr", "quote type=indirect", "--source", &s4],
    );
    tag(d, &cb, "zurich.txt", "cue", "erklärte", &["--attach-to", &c4]);
    dir
}

#[test]
fn the_sourcing_study_tags_checks_clean_and_counts_by_attribute_value() {
    let dir = sourcing_corpus();
    let d = dir.path();
    let cb = example("sourcing.ron");
    let kyiv = ron(d, "kyiv");
    assert_eq!(kyiv.format, newsnote::model::store::PLAIN_FORMAT);
    assert_eq!(kyiv.codebook.as_ref().map(|r| r.name.as_str()), Some("sourcing study"));
    let by_quote = |q: &str| kyiv.annotations.iter().find(|a| a.quote == q).unwrap_or_else(|| panic!("{q}"));
    let shevchuk = by_quote("Олена Шевчук");
    assert_eq!(shevchuk.attributes.get("source_type"), Some(&AttrValue::One("citizen".into())));
    assert_eq!(shevchuk.attributes.get("gender"), Some(&AttrValue::One("woman".into())));
    let quote = by_quote("Ми готові до відключень");
    assert_eq!(quote.linked("source"), std::slice::from_ref(&shevchuk.id));
    assert_eq!(quote.linked("cue"), [by_quote("сказала").id.clone()], "the cue attached from its side");
    assert_eq!(by_quote("місто має запас генераторів").linked("cue"), [by_quote("За словами").id.clone()]);
    let official = &ron(d, "zurich").annotations.iter().find(|a| a.quote.starts_with("Ein Beamter")).unwrap().clone();
    assert_eq!(official.attributes.get("anonymous"), Some(&AttrValue::YesNo(true)));

    let (rc, problems) = check(d, &cb);
    assert_eq!((rc, problems.as_slice()), (0, &[][..]), "every required attribute and link is coded");

    let stats = ok(&["stats", ".", "--codebook", cb.to_str().unwrap()], d);
    for want in [
        "      4  Source",
        "      4  Quote",
        "      4  Cue",
        "      1  Boilerplate",
        "source type (Source):\n      2  official\n      1  citizen\n      1  anonymous\n",
        "gender (Source):\n      2  woman\n      2  man\n",
        "quote type (Claim):\n      1  direct\n      2  indirect\n      1  mixed\n",
    ] {
        assert!(stats.contains(want), "wanted {want:?} in\n{stats}");
    }
}

/// Every attribute value an annotation holds, as the exports would write it (ids; yes/no as
/// `yes`/`no`).
fn values_of(a: &newsnote::model::annotation::Annotation) -> Vec<String> {
    a.attributes
        .values()
        .flat_map(|v| match v.ids() {
            ids if !ids.is_empty() => ids.into_iter().map(str::to_owned).collect(),
            _ => vec![v.to_string()],
        })
        .collect()
}

/// CSV and JSON carry every attribute value of every annotation of both example codebooks
/// (each value in that annotation's row or object, whatever the columns are named).
#[test]
fn csv_and_json_exports_carry_every_attribute_value_of_the_example_codebooks() {
    for (dir, cb) in [(sourcing_corpus(), example("sourcing.ron")), (factcheck_corpus(), example("factcheck.ron"))] {
        let d = dir.path();
        let cbs = cb.to_str().unwrap();
        let csv_text = ok(&["export", ".", "--format", "csv", "--codebook", cbs], d);
        let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = rdr.headers().unwrap().clone();
        let id_col = headers.iter().position(|h| h == "annotation_id").unwrap();
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        let json: serde_json::Value =
            serde_json::from_str(&ok(&["export", ".", "--format", "json", "--codebook", cbs], d)).unwrap();
        let objects: Vec<&serde_json::Value> =
            json["articles"].as_array().unwrap().iter().flat_map(|a| a["annotations"].as_array().unwrap()).collect();
        let mut seen = 0;
        for stem in ["kyiv", "zurich", "krym"] {
            if !d.join(format!("{stem}.ron")).exists() {
                continue;
            }
            for a in &ron(d, stem).annotations {
                let row = rows.iter().find(|r| r[id_col] == a.id.0).expect("a row per annotation");
                let obj = objects.iter().find(|o| o["id"] == a.id.0.as_str()).expect("an object per annotation");
                let obj_text = obj.to_string();
                for v in values_of(a) {
                    assert!(row.iter().any(|cell| cell.split("; ").any(|x| x == v)), "CSV row of {}: no {v:?}", a.id);
                    // JSON writes values in their own type: yes/no as a boolean, a number as one.
                    let typed = match v.as_str() {
                        "yes" => "true".to_string(),
                        "no" => "false".to_string(),
                        n if n.parse::<f64>().is_ok() => n.to_string(),
                        other => serde_json::to_string(other).unwrap(),
                    };
                    let found = obj_text.contains(&serde_json::to_string(&v).unwrap()) || obj_text.contains(&typed);
                    assert!(found, "JSON of {}: no {v:?}", a.id);
                    seen += 1;
                }
            }
        }
        assert!(seen >= 10, "{seen} values checked");
    }
}

#[test]
fn a_changed_sourcing_codebook_reports_the_misfits_as_warnings_and_loses_nothing() {
    let dir = sourcing_corpus();
    let d = dir.path();
    let elsewhere = tempfile::tempdir().unwrap();
    // The study drops a value (citizen) and a label (Cue, with its relation).
    let changed = changed_codebook(&example("sourcing.ron"), elsewhere.path(), "sourcing-2.ron", |cb| {
        drop_value(cb, "source_type", "citizen");
        cb.labels.retain(|l| l.id != "Cue");
        cb.relations.retain(|r| r.id != "cue");
        cb.attribution.as_mut().unwrap().cue = None;
        cb.version = "2.0".into();
    });
    let before = ron_bytes(d);
    let (rc, problems) = check(d, &changed);
    assert_eq!(rc, 0, "misfits are warnings: {problems:?}");
    assert!(problems.iter().all(|(sev, code, _)| sev == "warning" && code == "not-in-codebook"), "{problems:?}");
    let says = |needle: &str| problems.iter().filter(|(_, _, m)| m.contains(needle)).count();
    assert_eq!(says("label \"Cue\" is not in codebook \"sourcing study\""), 4, "{problems:?}");
    assert_eq!(says("relation \"cue\" is not in the codebook"), 4, "{problems:?}");
    assert_eq!(says("value \"citizen\" is not in the codebook"), 1, "{problems:?}");
    assert_eq!(ron_bytes(d), before, "check changes no file");

    let shown = ok(&["show", "kyiv.txt", "--codebook", changed.to_str().unwrap()], d);
    assert!(shown.contains("Cue (not in the codebook)\t") && shown.contains("“сказала”"), "{shown}");
    assert!(shown.contains("source type=citizen?"), "{shown}");

    // Coding goes on under the new codebook: the next save keeps every misfit as it was.
    let changed_s = changed.to_str().unwrap();
    let o = newsnote(
        &[
            "tag",
            "kyiv.txt",
            "--codebook",
            changed_s,
            "--label",
            "source",
            "--quote",
            "Оболоні",
            "--attr",
            "source_type=other",
            "--attr",
            "gender=not_applicable",
        ],
        d,
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let after = ron(d, "kyiv");
    assert_eq!(after.annotations.len(), 8);
    let cue = after.annotations.iter().find(|a| a.quote == "сказала").unwrap();
    assert_eq!(cue.label.as_str(), "Cue");
    let quote = after.annotations.iter().find(|a| a.quote == "Ми готові до відключень").unwrap();
    assert_eq!(quote.linked("cue"), std::slice::from_ref(&cue.id), "the link by a relation the codebook lost is kept");
    let citizen = after.annotations.iter().find(|a| a.quote == "Олена Шевчук").unwrap();
    assert_eq!(citizen.attributes.get("source_type"), Some(&AttrValue::One("citizen".into())));
    assert_eq!(
        after.codebook.as_ref().map(|r| r.version.as_str()),
        Some("2.0"),
        "the file names the codebook now used"
    );
}

#[test]
fn tag_update_codes_the_annotation_already_there_and_attach_to_gives_each_cue_to_one_quote() {
    let dir = corpus_of(&[("kyiv.txt", KYIV)]);
    let d = dir.path();
    let cb = example("sourcing.ron");
    let cbs = cb.to_str().unwrap();
    let s1 =
        tag(d, &cb, "kyiv.txt", "source", "Олена Шевчук", &["--attr", "source_type=citizen", "--attr", "gender=woman"]);
    let c1 = tag(d, &cb, "kyiv.txt", "claim", "Ми готові до відключень", &["--source", &s1]);
    let quote = |f: &AnnotationFile| by_quote(f, "Ми готові до відключень").clone();
    // Without --update the annotation there is left as it is, and the message says how.
    let args = [
        "tag",
        "kyiv.txt",
        "--codebook",
        cbs,
        "--label",
        "claim",
        "--quote",
        "Ми готові до відключень",
        "--attr",
        "quote_type=direct",
    ];
    let o = newsnote(&args, d);
    assert_eq!((code(&o), out(&o).trim()), (0, c1.as_str()));
    assert!(err(&o).contains("its attributes left as it is (--update sets them)"), "{}", err(&o));
    assert_eq!(quote(&ron(d, "kyiv")).attributes.get("quote_type"), None);
    let created = quote(&ron(d, "kyiv")).created;
    let o = newsnote(&[&args[..], &["--update"]].concat(), d);
    assert_eq!((code(&o), out(&o).trim()), (0, c1.as_str()), "{}", err(&o));
    let f = ron(d, "kyiv");
    assert_eq!(f.annotations.len(), 2, "the same annotation, not a second one");
    assert_eq!(quote(&f).attributes.get("quote_type"), Some(&AttrValue::One("direct".into())));
    assert_eq!((quote(&f).created, quote(&f).linked("source").to_vec()), (created, vec![AnnotationId(s1.clone())]));

    // A cue attached to its quote; again, it is the same cue and the same one link.
    let cue = tag(d, &cb, "kyiv.txt", "cue", "сказала", &["--attach-to", &c1]);
    assert_eq!(tag(d, &cb, "kyiv.txt", "cue", "сказала", &["--attach-to", &c1]), cue);
    assert_eq!(quote(&ron(d, "kyiv")).linked("cue"), [AnnotationId(cue.clone())]);
    // A cue belongs to one quote, and only a relation of the codebook attaches.
    let c2 = tag(d, &cb, "kyiv.txt", "claim:indirect", "місто має запас генераторів", &[]);
    let before = ron_bytes(d);
    let o = newsnote(
        &["tag", "kyiv.txt", "--codebook", cbs, "--label", "cue", "--quote", "сказала", "--attach-to", &c2],
        d,
    );
    assert_eq!(code(&o), 1);
    assert!(
        err(&o).contains(&format!("{cue} is the cue of {c1} already; the codebook gives it to one")),
        "{}",
        err(&o)
    );
    let o = newsnote(
        &["tag", "kyiv.txt", "--codebook", cbs, "--label", "cue", "--quote", "За словами", "--attach-to", &s1],
        d,
    );
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains("the codebook has no relation from Source to Cue"), "{}", err(&o));
    assert_eq!(ron_bytes(d), before, "a refused attach writes nothing");
    let (rc, problems) = check(d, &cb);
    assert_eq!(rc, 0);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].1, "missing-link-required");
    assert!(problems[0].2.starts_with(&format!("{c2} Quote (indirect) has no source")), "{problems:?}");
}

// ---------------------------------------------------------------------------------------
// The fact-checking codebook through the CLI

const KRYM: &str = "Кремль о Крыме\nМинистерство обороны России заявило, что над Крымом сбиты пять ракет ATACMS. Губернатор Михаил Развожаев сообщил о 124 пострадавших.\n";

fn factcheck_corpus() -> tempfile::TempDir {
    let dir = corpus_of(&[("krym.txt", KRYM)]);
    let d = dir.path();
    let cb = example("factcheck.ron");
    let mod_ =
        tag(d, &cb, "krym.txt", "claimant", "Министерство обороны России", &["--attr", "claimant_type=government"]);
    tag(
        d,
        &cb,
        "krym.txt",
        "claim:half_true",
        "над Крымом сбиты пять ракет ATACMS",
        &[
            "--source",
            &mod_,
            "--attr",
            "evidence=https://example.org/проверка/atacms",
            "--attr",
            "checked=2026-11-20",
            "--attr",
            "rating_note=Подтверждены только три перехвата.",
            "--attr",
            "topics=war",
            "--attr",
            "topics=crime",
        ],
    );
    let gov =
        tag(d, &cb, "krym.txt", "Claimant", "Губернатор Михаил Развожаев", &["--attr", "claimant type=politician"]);
    tag(
        d,
        &cb,
        "krym.txt",
        "claim",
        "124 пострадавших",
        &[
            "--source",
            &gov,
            "--attr",
            "verdict=unverifiable",
            "--attr",
            "evidence URL=https://example.org/krym",
            "--attr",
            "checked=2026-11-21",
            "--attr",
            "topics=health",
        ],
    );
    dir
}

#[test]
fn the_factcheck_codebook_tags_typed_values_checks_clean_and_counts_by_verdict_and_topic() {
    let dir = factcheck_corpus();
    let d = dir.path();
    let cb = example("factcheck.ron");
    let f = ron(d, "krym");
    let claim = f.annotations.iter().find(|a| a.quote.starts_with("над Крымом")).unwrap();
    let attr = |k: &str| claim.attributes.get(k).cloned();
    assert_eq!(attr("verdict"), Some(AttrValue::One("half_true".into())));
    assert_eq!(attr("evidence"), Some(AttrValue::Url("https://example.org/проверка/atacms".into())));
    assert_eq!(attr("checked"), Some(AttrValue::Date("2026-11-20".into())));
    assert_eq!(attr("rating_note"), Some(AttrValue::Text("Подтверждены только три перехвата.".into())));
    assert_eq!(attr("topics"), Some(AttrValue::Many(vec!["war".into(), "crime".into()])));
    assert_eq!(claim.linked("claimant").len(), 1);

    let (rc, problems) = check(d, &cb);
    assert_eq!((rc, problems.as_slice()), (0, &[][..]));

    // A value the type refuses is refused at once, with the reason; nothing is written.
    let before = ron_bytes(d);
    let o = newsnote(
        &[
            "tag",
            "krym.txt",
            "--codebook",
            cb.to_str().unwrap(),
            "--label",
            "claim:false",
            "--quote",
            "пять ракет",
            "--attr",
            "checked=20.11.2026",
        ],
        d,
    );
    assert_ne!(code(&o), 0);
    assert!(err(&o).contains("checked=20.11.2026"), "{}", err(&o));
    assert_eq!(ron_bytes(d), before);

    let stats = ok(&["stats", ".", "--codebook", cb.to_str().unwrap()], d);
    for want in [
        "      2  Claim",
        "      2  Claimant",
        "verdict (Claim):\n      1  half true\n      1  unverifiable\n",
        "topics (Claim):\n      1  health\n      1  crime and justice\n      1  war and foreign affairs\n",
        "claimant type (Claimant):\n      1  politician\n      1  government or agency\n",
    ] {
        assert!(stats.contains(want), "wanted {want:?} in\n{stats}");
    }
    assert!(stats.contains("Claims with no source: 0"), "{stats}");
}

#[test]
fn a_changed_factcheck_codebook_reports_the_misfits_as_warnings_and_loses_nothing() {
    let dir = factcheck_corpus();
    let d = dir.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let changed = changed_codebook(&example("factcheck.ron"), elsewhere.path(), "fc.ron", |cb| {
        drop_value(cb, "verdict", "half_true");
        cb.labels.retain(|l| l.id != "Claimant");
        cb.attributes.retain(|a| a.id != "claimant_type");
        cb.relations.clear();
        cb.attribution = None;
    });
    let before = ron_bytes(d);
    let (rc, problems) = check(d, &changed);
    assert_eq!(rc, 0, "{problems:?}");
    assert!(problems.iter().all(|(sev, _, _)| sev == "warning"), "{problems:?}");
    let says = |needle: &str| problems.iter().filter(|(_, _, m)| m.contains(needle)).count();
    assert_eq!(says("label \"Claimant\" is not in codebook"), 2, "{problems:?}");
    assert_eq!(says("attribute \"claimant_type\" is not in the codebook"), 2, "{problems:?}");
    assert_eq!(says("relation \"claimant\" is not in the codebook"), 2, "{problems:?}");
    assert_eq!(says("\"verdict\": value \"half_true\" is not in the codebook"), 1, "{problems:?}");
    assert_eq!(ron_bytes(d), before);
    let shown = ok(&["show", "krym.txt", "--codebook", changed.to_str().unwrap()], d);
    assert!(shown.contains("Claimant (not in the codebook)"), "{shown}");
    assert!(shown.contains("verdict=half_true?"), "{shown}");
    assert!(shown.contains("“Губернатор Михаил Развожаев”"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// A codebook with an error

#[test]
fn a_codebook_with_an_error_stops_every_command_with_its_file_line_and_what_to_do() {
    let dir = corpus_of(&[("kyiv.txt", KYIV)]);
    let d = dir.path();
    let text = std::fs::read_to_string(example("sourcing.ron")).unwrap();
    // The Cue label given the quote's key: a key would tag at random.
    let cue_at = text.find("id: \"Cue\"").unwrap();
    let key_at = cue_at + text[cue_at..].find("key: \"C\"").unwrap();
    let line = text[..key_at].matches('\n').count() + 1;
    let bad = format!("{}key: \"c\"{}", &text[..key_at], &text[key_at + "key: \"C\"".len()..]);
    std::fs::write(d.join("codebook.ron"), &bad).unwrap();
    let want =
        format!("codebook.ron:{line}: label \"Cue\": key \"c\" is already another label's; give each label its own");

    let o = newsnote(&["codebook"], d);
    assert_eq!(code(&o), 1, "a bad file is a problem found");
    assert!(err(&o).contains(&want), "{}", err(&o));
    for args in
        [&["check", "."][..], &["tag", "kyiv.txt", "--label", "source", "--quote", "Олена Шевчук"], &["stats", "."]]
    {
        let o = newsnote(args, d);
        assert_ne!(code(&o), 0, "{args:?}");
        assert!(err(&o).contains(&want), "{args:?}: {}", err(&o));
    }
    assert!(!d.join("kyiv.ron").exists(), "nothing was coded with a broken codebook");
    // The TUI refuses before it takes the terminal, and says what to do.
    let o = newsnote(&["."], d);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("fix the codebook or pass another with --codebook"), "{}", err(&o));
    assert!(err(&o).contains(&want), "{}", err(&o));

    // A syntax error: file:line:column and where to start from.
    let broken = text.replacen("name: \"sourcing study\",", "name: \"sourcing study\"", 1);
    let line = broken[..broken.find("version:").unwrap()].matches('\n').count() + 1;
    std::fs::write(d.join("codebook.ron"), &broken).unwrap();
    let o = newsnote(&["codebook", "--json"], d);
    assert_eq!(code(&o), 1);
    let e = err(&o);
    assert!(e.contains(&format!("codebook.ron:{line}:")), "{e}");
    assert!(e.contains("`newsnote codebook` prints the default to start from"), "{e}");
    assert!(out(&o).is_empty(), "no half a codebook on stdout");
}

// ---------------------------------------------------------------------------------------
// The TUI with each example codebook, driven by its keys

fn app_with(dir: &Path, cb: Codebook) -> App {
    let corpus = Corpus::open(dir, AnnotationRoot::NextToArticles).unwrap();
    let mut app = App::with_codebook(
        corpus,
        "tester".into(),
        Keymap::default_map(),
        cb,
        ratatui::layout::Rect::new(0, 0, 120, 40),
    );
    newsnote::tui::dispatch(&mut app, newsnote::app::Msg::Resize { width: 120, height: 40 });
    app
}

fn by_quote<'a>(f: &'a AnnotationFile, q: &str) -> &'a newsnote::model::annotation::Annotation {
    f.annotations.iter().find(|a| a.quote == q).unwrap_or_else(|| panic!("no {q:?} in {:?}", f.annotations))
}

#[test]
fn the_sourcing_study_codes_in_the_tui_with_its_own_keys_and_menus() {
    let dir = corpus_of(&[("kyiv.txt", KYIV)]);
    let mut app = app_with(dir.path(), load_file(&example("sourcing.ron")).unwrap());
    press(&mut app, "<enter>");
    // s tags a source and asks its type at once: c is citizen.
    go_to(&mut app, "Олена");
    press(&mut app, "vees");
    assert!(matches!(app.overlay, Overlay::Values { .. }), "{:?}", app.message);
    press(&mut app, "c");
    // = opens the source's attributes: g the gender, w woman; a toggles anonymity.
    press(&mut app, "=g");
    assert!(matches!(app.overlay, Overlay::Values { .. }), "{:?} {:?}", app.overlay, app.message);
    press(&mut app, "w");
    // c tags the quote and asks its type: d direct.
    go_to(&mut app, "Ми готові");
    press(&mut app, "viqc");
    press(&mut app, "d");
    // a links its source through the picker, found by typing its name.
    press(&mut app, "a");
    assert!(matches!(app.overlay, Overlay::Picker { .. }), "{:?}", app.message);
    press(&mut app, "Шевчук<enter>");
    // C tags the cue and offers the quote it belongs to at once.
    go_to(&mut app, "сказала");
    press(&mut app, "veC");
    assert!(matches!(app.overlay, Overlay::Picker { reverse: true, .. }), "{:?} {:?}", app.overlay, app.message);
    press(&mut app, "<enter>");
    assert!(matches!(app.overlay, Overlay::None), "{:?}", app.overlay);

    let f = ron(dir.path(), "kyiv");
    assert_eq!(f.codebook.as_ref().map(|r| r.name.as_str()), Some("sourcing study"));
    let source = by_quote(&f, "Олена Шевчук");
    assert_eq!(source.attributes.get("source_type"), Some(&AttrValue::One("citizen".into())));
    assert_eq!(source.attributes.get("gender"), Some(&AttrValue::One("woman".into())));
    let quote = by_quote(&f, "Ми готові до відключень");
    assert_eq!(quote.attributes.get("quote_type"), Some(&AttrValue::One("direct".into())));
    assert_eq!(quote.linked("source"), std::slice::from_ref(&source.id));
    assert_eq!(quote.linked("cue"), [by_quote(&f, "сказала").id.clone()]);
    let (rc, problems) = check(dir.path(), &example("sourcing.ron"));
    assert_eq!((rc, problems.as_slice()), (0, &[][..]));
}

#[test]
fn the_factcheck_codebook_codes_in_the_tui_with_verdict_keys_toggled_topics_and_typed_values() {
    let dir = corpus_of(&[("krym.txt", KRYM)]);
    let mut app = app_with(dir.path(), load_file(&example("factcheck.ron")).unwrap());
    press(&mut app, "<enter>");
    go_to(&mut app, "Министерство");
    press(&mut app, "veeeS");
    // S is not a key of this codebook (s is): nothing is tagged and the selection stays.
    assert!(!dir.path().join("krym.ron").exists());
    press(&mut app, "s");
    // c tags the claim and asks the verdict: 3 is half true.
    go_to(&mut app, "над Крымом");
    press(&mut app, "vfSc");
    assert!(matches!(app.overlay, Overlay::Values { .. }), "{:?} {:?}", app.overlay, app.message);
    press(&mut app, "3");
    // = t: the topics menu stays open, each key toggles one; Esc closes it.
    press(&mut app, "=twcc");
    assert!(matches!(app.overlay, Overlay::Values { .. }), "{:?}", app.overlay);
    press(&mut app, "o<esc>");
    // = e and = d ask for a typed value; = n for the note.
    press(&mut app, "=ehttps://example.org/проверка<enter>");
    press(&mut app, "=d2026-11-20<enter>");
    press(&mut app, "=nТри<space>перехвата.<enter>");
    press(&mut app, "a");
    press(&mut app, "Министерство<enter>");

    let f = ron(dir.path(), "krym");
    let claim = by_quote(&f, "над Крымом сбиты пять ракет ATACMS");
    let attr = |k: &str| claim.attributes.get(k).cloned();
    assert_eq!(attr("verdict"), Some(AttrValue::One("half_true".into())));
    assert_eq!(attr("topics"), Some(AttrValue::Many(vec!["war".into(), "other".into()])), "c twice is off again");
    assert_eq!(attr("evidence"), Some(AttrValue::Url("https://example.org/проверка".into())));
    assert_eq!(attr("checked"), Some(AttrValue::Date("2026-11-20".into())));
    assert_eq!(attr("rating_note"), Some(AttrValue::Text("Три перехвата.".into())));
    assert_eq!(claim.linked("claimant"), [by_quote(&f, "Министерство обороны России").id.clone()]);
    let (rc, problems) = check(dir.path(), &example("factcheck.ron"));
    assert_eq!((rc, problems.as_slice()), (0, &[][..]));
}

// ---------------------------------------------------------------------------------------
// Format 1 files and the shipped samples

/// One annotation as the format 1 text writes it, read line by line (independently of the
/// library's reader): id, label (with the boilerplate kind), span, source, whether a note.
#[derive(Debug, PartialEq)]
struct V1 {
    id: String,
    label: String,
    start: usize,
    end: usize,
    source: Option<String>,
    note: bool,
}

fn read_v1(text: &str) -> Vec<V1> {
    let mut out: Vec<V1> = Vec::new();
    for line in text.lines().map(str::trim) {
        let field = |name: &str| line.strip_prefix(name).map(|v| v.trim_end_matches(',').to_owned());
        if let Some(id) = field("id: ") {
            out.push(V1 {
                id: id.trim_matches('"').into(),
                label: String::new(),
                start: 0,
                end: 0,
                source: None,
                note: false,
            });
        }
        let Some(a) = out.last_mut() else { continue };
        if let Some(l) = field("label: ") {
            a.label = l.replace("Boilerplate(", "Boilerplate:").trim_end_matches(')').to_owned();
        } else if let Some(n) = field("start: ") {
            a.start = n.parse().unwrap();
        } else if let Some(n) = field("end: ") {
            a.end = n.parse().unwrap();
        } else if let Some(s) = field("source: Some(") {
            a.source = Some(s.trim_end_matches(')').trim_matches('"').to_owned());
        } else if line.starts_with("note: Some(") {
            a.note = true;
        }
        assert!(!line.starts_with("more_sources"), "the fixtures have no further sources");
    }
    out
}

#[test]
fn the_v1_fixtures_load_with_every_annotation_label_kind_and_source_link_as_before() {
    let dir = root().join("tests/fixtures/v1");
    let mut unsourced = 0;
    for (stem, sources, claims, boilerplate) in
        [("000_e37f52fc02921a26", 15, 19, 0), ("002_915808095f53d4db", 12, 17, 4)]
    {
        let path = dir.join(format!("{stem}.ron"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("format: 1,"), "the fixture is a format 1 file");
        let want = read_v1(&text);
        let file = AnnotationFile::load(&path, &format!("{stem}.txt")).unwrap().unwrap();
        let got: Vec<V1> = file
            .annotations
            .iter()
            .map(|a| V1 {
                id: a.id.0.clone(),
                label: drive::label_with_kind(a).0,
                start: a.start,
                end: a.end,
                source: match a.linked("source") {
                    [] => None,
                    [one] => Some(one.0.clone()),
                    more => panic!("{more:?}"),
                },
                note: a.note.is_some(),
            })
            .collect();
        assert_eq!(got, want, "{stem}");
        let count = |l: &str| got.iter().filter(|a| a.label.split(':').next() == Some(l)).count();
        assert_eq!((count("Source"), count("Claim"), count("Boilerplate")), (sources, claims, boilerplate), "{stem}");
        unsourced += got.iter().filter(|a| a.label == "Claim" && a.source.is_none()).count();
        // Each annotation means the same in the default codebook: nothing is a misfit.
        for a in &file.annotations {
            assert!(Codebook::default_scheme().misfits(a).is_empty(), "{stem} {}", a.id);
            assert!(a.fragments.is_empty() && a.links.keys().all(|r| r == "source"));
        }
    }
    assert_eq!(unsourced, 9);

    // The binary reads them as they are and writes nothing: a copy beside the sample
    // articles checks clean (the unsourced claims only warned), byte for byte unchanged.
    let arts = root().join("assets/articles");
    let copy = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, copy.path().join(p.file_name().unwrap())).unwrap();
    }
    let before = ron_bytes(copy.path());
    let o = newsnote(
        &["check", arts.to_str().unwrap(), "--annotations", copy.path().to_str().unwrap(), "--json"],
        copy.path(),
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let problems: Vec<serde_json::Value> = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(problems.len(), 9, "{problems:?}");
    assert!(problems.iter().all(|p| p["code"] == "missing-link-required"), "{problems:?}");
    let listed = ok(&["list", arts.to_str().unwrap(), "--annotations", copy.path().to_str().unwrap()], copy.path());
    assert!(listed.contains("000_e37f52fc02921a26.txt\t15\t19\t0\t0\tvalid"), "{listed}");
    assert!(listed.contains("002_915808095f53d4db.txt\t12\t17\t0\t4\tvalid"), "{listed}");
    assert_eq!(ron_bytes(copy.path()), before, "format 1 files are written only when they change");
}

/// The samples as re-coded with newsnote itself (`tag --update`, `tag --attach-to`): a quote
/// type on every claim, each cue attached to one attributed claim, and every attributed claim
/// with its cue but 002's second Peskov quote, which goes on under the first one's "told
/// Reuters" (a cue belongs to one claim). `check` finds only the claims with no source.
#[test]
fn the_shipped_samples_give_every_claim_a_quote_type_and_each_cue_to_one_attributed_claim() {
    let cb = Codebook::default_scheme();
    let mut without_cue = Vec::new();
    let mut cues = 0;
    for stem in ["000_e37f52fc02921a26", "002_915808095f53d4db"] {
        let f = AnnotationFile::load(&root().join(format!("annotations/{stem}.ron")), &format!("{stem}.txt"))
            .unwrap()
            .unwrap();
        assert_eq!(f.format, newsnote::model::store::PLAIN_FORMAT, "{stem}");
        // The codebook's name and version it was coded with (the hash moves with any edit of
        // the default codebook, such as a letter, after the samples were coded).
        let coded = f.codebook.as_ref().map(|r| (r.name.as_str(), r.version.as_str()));
        assert_eq!(coded, Some((cb.name.as_str(), cb.version.as_str())), "{stem} names the codebook it was coded with");
        let claims: Vec<_> = f.annotations.iter().filter(|a| a.label.as_str() == "Claim").collect();
        for c in &claims {
            assert!(
                matches!(c.attributes.get("quote_type"), Some(AttrValue::One(v)) if ["direct", "indirect", "mixed"].contains(&v.as_str())),
                "{stem} {} has no quote type",
                c.id
            );
            if !c.linked("source").is_empty() && c.linked("cue").is_empty() {
                without_cue.push(c.id.0.clone());
            }
        }
        for cue in f.annotations.iter().filter(|a| a.label.as_str() == "Cue") {
            cues += 1;
            let owners: Vec<_> = claims.iter().filter(|c| c.linked("cue").contains(&cue.id)).collect();
            assert_eq!(owners.len(), 1, "{stem}: cue {} “{}” belongs to one claim", cue.id, cue.quote);
            assert!(!owners[0].linked("source").is_empty(), "{stem}: the claim of cue {} has a source", cue.id);
        }
    }
    assert_eq!((cues, without_cue), (26, vec!["ac93bf2d".to_owned()]));
    let o = newsnote(&["check", "assets/articles", "--annotations", "annotations", "--json"], root());
    assert_eq!(code(&o), 0, "{}", err(&o));
    let problems: Vec<serde_json::Value> = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(problems.len(), 9, "{problems:?}");
    assert!(problems.iter().all(|p| p["severity"] == "warning" && p["code"] == "missing-link-required"));
}
