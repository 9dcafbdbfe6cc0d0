//! A team from the command line: `--coder NAME` (and `NEWSNOTE_CODER`) codes in the coder's
//! own folder, as the author; corpus.ron's team section is checked; `newsnote progress` and
//! `list --json` say who is done with what, from the coders' and the gold folder's marks.

use newsnote::model::progress::{Progress, Stage};
use newsnote::model::store::AnnotationFile;
use std::path::Path;
use std::process::{Command, Output};

const ARTICLE: &str = "встреча.txt";
const OTHER: &str = "другая.txt";
const TEXT: &str = "Встреча в Женеве\n\nDmitry Peskov said the talks would resume on Monday.\n";

fn corpus(team: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(ARTICLE), TEXT).unwrap();
    std::fs::write(dir.path().join(OTHER), "Другая статья\n\nНичего.\n").unwrap();
    if !team.is_empty() {
        std::fs::write(dir.path().join("corpus.ron"), team).unwrap();
    }
    dir
}

fn newsnote(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsnote"));
    cmd.args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "cli-test")
        .env_remove("NEWSNOTE_CODER")
        // Under cargo the checkout would be the default corpus: every test names its own.
        .env_remove("CARGO_MANIFEST_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run newsnote")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "exit {:?}\n{}", o.status, String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn annotations(dir: &Path, stem: &str) -> AnnotationFile {
    let path = dir.join(format!("{stem}.ron"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    AnnotationFile::parse(&path, &text, ARTICLE).unwrap()
}

fn tag(d: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let mut args = vec!["tag", ARTICLE, "--label", "Source", "--quote", "Dmitry Peskov"];
    args.extend_from_slice(extra);
    newsnote(&args, d, env)
}

#[test]
fn a_coders_annotations_land_in_their_folder_with_the_coder_as_author() {
    let dir = corpus("");
    let d = dir.path();
    ok(&tag(d, &["--coder", "Zoë Ng"], &[]));
    let file = annotations(&d.join("coders/Zoë Ng"), "встреча");
    assert_eq!(file.annotations.len(), 1);
    assert_eq!(file.annotations[0].author, "Zoë Ng");
    assert!(!d.join("встреча.ron").exists(), "nothing next to the article");

    // --annotator still says who the author is; NEWSNOTE_CODER names the coder.
    ok(&newsnote(
        &["tag", ARTICLE, "--label", "Claim", "--quote", "the talks would resume", "--annotator", "Борис"],
        d,
        &[("NEWSNOTE_CODER", "Zoë Ng")],
    ));
    let file = annotations(&d.join("coders/Zoë Ng"), "встреча");
    let authors: Vec<&str> = file.annotations.iter().map(|a| a.author.as_str()).collect();
    assert_eq!(authors, ["Zoë Ng", "Борис"]);
}

#[test]
fn with_annotations_dir_the_coders_folder_is_that_dir() {
    let dir = corpus("(team: (coders: [\"алиса\"]))");
    let d = dir.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let ann = elsewhere.path().join("алиса");
    ok(&tag(d, &["--coder", "алиса", "--annotations", ann.to_str().unwrap()], &[]));
    assert_eq!(annotations(&ann, "встреча").annotations[0].author, "алиса");
    assert!(!d.join("coders").exists(), "the team's folder is not used when DIR is given");
}

#[test]
fn the_teams_folder_and_the_shared_codebook_come_from_the_corpus_root() {
    let dir = corpus("(team: (coders: [\"zoë\"], folder: \"кодировщики\"))");
    let d = dir.path();
    let book = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/codebook.ron"))
        .unwrap()
        .replace("name: \"newsnote default\"", "name: \"схема команды\"");
    std::fs::write(d.join("codebook.ron"), book).unwrap();
    ok(&tag(d, &["--coder", "zoë"], &[]));
    let file = annotations(&d.join("кодировщики/zoë"), "встреча");
    assert_eq!(file.codebook.as_ref().map(|c| c.name.as_str()), Some("схема команды"), "the root's codebook");
}

#[test]
fn a_coder_name_that_is_not_a_folder_name_is_a_usage_error() {
    let dir = corpus("");
    let d = dir.path();
    for bad in ["../escape", ".hidden", ""] {
        let o = tag(d, &["--coder", bad], &[]);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--coder") && err.contains("cannot be a coder's name"), "{bad:?}: {err}");
    }
    assert!(!d.join("coders").exists() && !d.join("встреча.ron").exists(), "nothing written");
}

#[test]
fn an_invalid_coder_name_in_corpus_ron_is_an_error_with_its_line() {
    let dir = corpus(
        "(\n    team: (\n        coders: [\n            \"алиса\",\n            \"a/b\",\n        ],\n    ),\n)\n",
    );
    let d = dir.path();
    let o = newsnote(&["list", "--coder", "алиса"], d, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("corpus.ron: 5: team: \"a/b\" cannot be a coder's name"), "{err}");
    let twice = corpus("(team: (coders: [\"Zoë\", \"Zoë\"]))");
    let o = newsnote(&["progress"], twice.path(), &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.code() == Some(2) && err.contains("\"Zoë\" is listed twice"), "{err}");
}

/// Marks `article` at `stage` in `folder`'s progress file, as a coder's D or a review does.
fn mark(folder: &Path, article: &str, stage: Stage, by: &str, at: &str) {
    let mut p = Progress::open(&folder.join("progress.ron")).unwrap();
    p.set(article, stage, by, at);
    p.save().unwrap();
}

#[test]
fn progress_json_gives_each_coders_done_count_and_each_articles_stages() {
    let dir = corpus("(team: (coders: [\"zoë\", \"борис\", \"alice\"]))");
    let d = dir.path();
    mark(&d.join("coders/zoë"), ARTICLE, Stage::Done, "zoë", "2026-12-01T10:00:00Z");
    mark(&d.join("coders/zoë"), OTHER, Stage::Done, "zoë", "2026-12-01T11:00:00Z");
    mark(&d.join("coders/борис"), ARTICLE, Stage::Done, "борис", "2026-12-01T09:00:00Z");
    mark(&d.join("coders/борис"), ARTICLE, Stage::Reviewed, "редактор", "2026-12-01T12:00:00Z");
    mark(&d.join("gold"), ARTICLE, Stage::Adjudicated, "судья", "2026-12-01T13:00:00Z");
    let out = ok(&newsnote(&["progress", "--json"], d, &[]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"], 2);
    let coders: Vec<(String, u64, Option<String>)> = v["coders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["name"].as_str().unwrap().into(), c["done"].as_u64().unwrap(), c["last_mark"].as_str().map(Into::into))
        })
        .collect();
    assert_eq!(
        coders,
        [
            ("zoë".into(), 2, Some("2026-12-01T11:00:00Z".into())),
            ("борис".into(), 1, Some("2026-12-01T12:00:00Z".into())),
            ("alice".into(), 0, None),
        ]
    );
    assert_eq!((v["reviewed"].as_u64(), v["adjudicated"].as_u64()), (Some(1), Some(1)));
    let art = v["articles"].as_array().unwrap().iter().find(|a| a["id"] == ARTICLE).unwrap();
    assert_eq!(art["done_by"], serde_json::json!(["zoë", "борис"]));
    assert_eq!((art["reviewed"].as_bool(), art["adjudicated"].as_bool()), (Some(true), Some(true)));

    // The plain report, one line per coder.
    let plain = ok(&newsnote(&["progress"], d, &[]));
    assert!(plain.contains("zoë    2/2 done  last mark 2026-12-01T11:00:00Z"), "{plain}");
    assert!(plain.contains("alice  0/2 done  no mark yet"), "{plain}");
    assert!(plain.contains("reviewed 1/2 · adjudicated 1/2"), "{plain}");

    // list --json carries the same stages per article.
    let list = ok(&newsnote(&["list", "--json"], d, &[]));
    let rows: Vec<serde_json::Value> = list.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let other = rows.iter().find(|r| r["id"] == OTHER).unwrap();
    assert_eq!(other["done_by"], serde_json::json!(["zoë"]));
    assert_eq!((other["reviewed"].as_bool(), other["adjudicated"].as_bool()), (Some(false), Some(false)));
    let ours = rows.iter().find(|r| r["id"] == ARTICLE).unwrap();
    assert_eq!(ours["done_by"], serde_json::json!(["zoë", "борис"]));
}

#[test]
fn an_unreadable_progress_file_is_named_and_exits_1() {
    let dir = corpus("(team: (coders: [\"zoë\"]))");
    let d = dir.path();
    std::fs::create_dir_all(d.join("coders/zoë")).unwrap();
    std::fs::write(d.join("coders/zoë/progress.ron"), "(format: 1,\n progress: \"newsnote progress\",\n marks: [(]")
        .unwrap();
    let o = newsnote(&["progress"], d, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("progress.ron:3:"), "{err}");
}

#[test]
fn mark_sets_and_takes_away_the_coders_done_mark_as_d_does() {
    let dir = corpus("(team: (coders: [\"zoë\"]))");
    let d = dir.path();
    let out = ok(&newsnote(&["mark", "--in", ".", "--coder", "zoë", "встреча"], d, &[]));
    assert!(out.starts_with("встреча.txt: done (zoë, "), "{out}");
    let progress = Progress::open(&d.join("coders/zoë/progress.ron")).unwrap();
    assert_eq!(progress.get(ARTICLE, Stage::Done).map(|m| m.by.as_str()), Some("zoë"));
    let again = ok(&newsnote(&["mark", "--in", ".", "--coder", "zoë", "встреча"], d, &[]));
    assert!(again.contains("already done"), "{again}");
    ok(&newsnote(&["mark", "--in", ".", "--coder", "zoë", "--not", ARTICLE], d, &[]));
    assert!(!Progress::open(&d.join("coders/zoë/progress.ron")).unwrap().is(ARTICLE, Stage::Done));
}
