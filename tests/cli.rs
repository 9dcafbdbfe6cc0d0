//! The command line run as a process: each subcommand's output, errors and exit codes
//! (0 ok, 1 problems found, 2 usage error), on temp copies of the sample corpus.

use newsnote::model::store::AnnotationFile;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CNN: &str = "002_915808095f53d4db";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A corpus folder with the two sample articles and their shipped annotations next to them,
/// and the registry of the entities those annotations name.
fn annotated_copy() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(root().join("annotations/sources.ron"), d.path().join("sources.ron")).unwrap();
    for e in std::fs::read_dir(root().join("assets/articles")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, d.path().join(p.file_name().unwrap())).unwrap();
        let ron = root().join("annotations").join(p.with_extension("ron").file_name().unwrap());
        std::fs::copy(&ron, d.path().join(ron.file_name().unwrap())).unwrap();
    }
    d
}

fn newsnote(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "cli-test")
        .output()
        .expect("run newsnote")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn ron_of(dir: &Path, stem: &str) -> AnnotationFile {
    AnnotationFile::load(&dir.join(format!("{stem}.ron")), &format!("{stem}.txt")).unwrap().unwrap()
}

#[test]
fn list_prints_one_line_per_article_with_counts_and_file_state() {
    let d = annotated_copy();
    let o = newsnote(&["list", "."], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let lines: Vec<_> = stdout(&o).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1].starts_with("002_915808095f53d4db.txt\t12\t17\t9\t4\tvalid\tThe Kremlin's latest"),
        "{}",
        lines[1]
    );
    std::fs::write(d.path().join(format!("{CNN}.ron")), "(format: 1,\n oops").unwrap();
    let o = newsnote(&["list", "."], d.path());
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("INVALID ("), "{}", stdout(&o));
}

#[test]
fn default_path_is_the_bundled_samples() {
    let o = newsnote(&["list"], root());
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o).lines().count(), 2);
}

#[test]
fn show_marks_spans_inline_when_not_a_terminal() {
    let d = annotated_copy();
    let o = newsnote(&["show", &format!("{CNN}.txt")], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("[Source: The Kremlin] [Cue: said] Monday that [Claim: Russia's deadly assault"), "{out}");
    assert!(out.contains("[Claim: while Ukraine is open to neutrality, [Source: Ukrainian President Volodymyr Zelenskyy] has ruled out"), "nesting: {out}");
    assert!(!out.contains('\u{1b}'), "no colour codes in a pipe");
    assert!(out.contains("42 annotation(s), offsets in Unicode code points"));
    let missing = newsnote(&["show", "nope"], root());
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("no article \"nope\""), "{}", stderr(&missing));
}

#[test]
fn tag_adds_by_quote_and_refuses_absent_or_ambiguous_quotes() {
    let d = annotated_copy();
    let file = format!("{CNN}.txt");
    let o = newsnote(&["tag", &file, "--label", "source", "--quote", "Russian and Ukrainian diplomats"], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let id = stdout(&o).trim().to_string();
    let saved = ron_of(d.path(), CNN);
    let a = saved.annotations.iter().find(|a| a.id.0 == id).expect("the new annotation is saved");
    assert_eq!((a.quote.as_str(), a.author.as_str()), ("Russian and Ukrainian diplomats", "cli-test"));

    let claim = newsnote(
        &["tag", &file, "--label", "claim", "--quote", "third round of negotiations", "--source", &id, "--note", "n"],
        d.path(),
    );
    assert_eq!(code(&claim), 0, "{}", stderr(&claim));
    let saved = ron_of(d.path(), CNN);
    let c = saved.annotations.iter().find(|a| a.quote == "third round of negotiations").unwrap();
    assert_eq!(c.linked("source").first().map(|s| s.0.as_str()), Some(id.as_str()));

    let absent = newsnote(&["tag", &file, "--label", "claim", "--quote", "not in the text"], d.path());
    assert_eq!(code(&absent), 1);
    assert!(stderr(&absent).contains("does not occur"), "{}", stderr(&absent));
    let ambiguous = newsnote(&["tag", &file, "--label", "source", "--quote", "Peskov"], d.path());
    assert_eq!(code(&ambiguous), 1);
    assert!(
        stderr(&ambiguous).contains("occurs 4 times") && stderr(&ambiguous).contains("--occurrence 2"),
        "{}",
        stderr(&ambiguous)
    );
    let second =
        newsnote(&["tag", &file, "--label", "boilerplate:Other", "--quote", "Peskov", "--occurrence", "2"], d.path());
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let bad_label = newsnote(&["tag", &file, "--label", "speaker", "--quote", "Peskov"], d.path());
    assert_eq!(code(&bad_label), 2, "usage error");
}

#[test]
fn check_reports_a_broken_file_with_line_and_column_and_exits_1() {
    let d = annotated_copy();
    let ok = newsnote(&["check", "."], d.path());
    assert_eq!(code(&ok), 0, "{}{}", stdout(&ok), stderr(&ok));
    let path = d.path().join(format!("{CNN}.ron"));
    let text = std::fs::read_to_string(&path).unwrap().replacen("label: \"Source\",", "label: Speaker,", 1);
    std::fs::write(&path, &text).unwrap();
    let line = text.lines().position(|l| l.contains("Speaker")).unwrap() + 1;
    let o = newsnote(&["check", "."], d.path());
    assert_eq!(code(&o), 1);
    let want = format!("{CNN}.ron:{line}:");
    assert!(stdout(&o).contains(&want) && stdout(&o).contains("error[parse]"), "{}", stdout(&o));
    let json = newsnote(&["check", ".", "--json"], d.path());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let parse = v.as_array().unwrap().iter().find(|p| p["code"] == "parse").expect("a parse error");
    assert_eq!(parse["line"], line);
}

#[test]
fn check_finds_quote_mismatches_and_missing_links() {
    let d = annotated_copy();
    let path = d.path().join(format!("{CNN}.ron"));
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("quote: \"Peskov\"", "quote: \"Lavrov\"", 1).replacen(
        "\"source\": [\n                    \"",
        "\"source\": [\n                    \"zz",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let o = newsnote(&["check", "."], d.path());
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("error[quote-mismatch]") && out.contains("\"Lavrov\""), "{out}");
    assert!(out.contains("error[missing-link]"), "{out}");
}

#[test]
fn stats_counts_labels_sources_and_boilerplate_share() {
    let o = newsnote(&["stats"], root());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("   27  Source") && out.contains("   36  Claim"), "{out}");
    assert!(out.contains("         9      10         2  Dmitry Peskov"), "{out}");
    assert!(out.contains("Claims with no source: 9"), "{out}");
    assert!(out.contains(" 29.9%    1106 of   3705  002_915808095f53d4db.txt"), "{out}");
}

#[test]
fn export_filters_by_label_and_article_and_writes_files() {
    let d = annotated_copy();
    let o = newsnote(&["export", ".", "--format", "csv", "--label", "claim", "--article", "002*"], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let rows: Vec<_> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 17);
    assert!(rows.iter().all(|r| &r[3] == "claim" && r[0].starts_with("002")));
    let out = d.path().join("out/report.md");
    let o = newsnote(&["export", ".", "--format", "md", "-o", out.to_str().unwrap()], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(std::fs::read_to_string(out).unwrap().starts_with("# newsnote review report"));
    let no_dir = newsnote(&["export", "--format", "brat"], d.path());
    assert_eq!(code(&no_dir), 2);
    assert!(stderr(&no_dir).contains("--output DIR"));
    let bad = newsnote(&["export", "--format", "pdf"], d.path());
    assert_eq!(code(&bad), 2);
}

#[test]
fn usage_errors_exit_2_and_help_has_examples() {
    let o = newsnote(&["frobnicate", "--nope"], root());
    assert_eq!(code(&o), 2);
    for sub in ["list", "show", "tag", "export", "import", "check", "stats", "completions"] {
        let h = newsnote(&[sub, "--help"], root());
        assert_eq!(code(&h), 0);
        assert!(stdout(&h).contains("Example"), "{sub} --help has examples");
    }
    let nowhere = newsnote(&["list", "/nonexistent/corpus"], root());
    assert_eq!(code(&nowhere), 2);
    assert!(stderr(&nowhere).contains("no such file or folder"), "{}", stderr(&nowhere));
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let o = newsnote(&["completions", shell], root());
        assert_eq!(code(&o), 0);
        assert!(stdout(&o).contains("newsnote"));
        assert!(stdout(&o).contains("export"), "{shell} completes subcommands");
    }
}

#[test]
fn import_of_an_unknown_document_exits_1_and_writes_nothing() {
    let d = annotated_copy();
    let src = d.path().join("other.jsonl");
    std::fs::write(&src, "{\"text\": \"Nothing like the samples.\", \"label\": [[0, 7, \"source\"]]}\n").unwrap();
    let before: Vec<PathBuf> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().path()).collect();
    let o = newsnote(&["import", "--format", "doccano", src.to_str().unwrap(), "--into", "."], d.path());
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let after: Vec<PathBuf> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(before.len(), after.len());
}

#[test]
fn without_user_tag_records_the_account_name_as_author() {
    let d = annotated_copy();
    let account = Command::new("id").arg("-un").output().expect("id -un");
    let account = String::from_utf8(account.stdout).unwrap().trim().to_owned();
    let o = Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(["tag", &format!("{CNN}.txt"), "--label", "source", "--quote", "Russian and Ukrainian diplomats"])
        .current_dir(d.path())
        .env("RUST_BACKTRACE", "0")
        .env_remove("USER")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let id = stdout(&o).trim().to_string();
    let saved = ron_of(d.path(), CNN);
    let a = saved.annotations.iter().find(|a| a.id.0 == id).unwrap();
    assert_eq!(a.author, account, "not \"unknown\"");
}

#[test]
fn tagging_the_same_label_and_span_again_prints_the_existing_id_and_adds_nothing() {
    let d = annotated_copy();
    let file = format!("{CNN}.txt");
    let args = ["tag", &file, "--label", "source", "--quote", "Russian and Ukrainian diplomats"];
    let first = newsnote(&args, d.path());
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let before = ron_of(d.path(), CNN).annotations.len();
    let again = newsnote(&args, d.path());
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(stdout(&again), stdout(&first), "the existing id");
    assert!(stderr(&again).contains("already there"), "{}", stderr(&again));
    assert_eq!(ron_of(d.path(), CNN).annotations.len(), before, "no second annotation");
    // Another label on the same span is a new annotation.
    let claim = newsnote(&["tag", &file, "--label", "claim", "--quote", "Russian and Ukrainian diplomats"], d.path());
    assert_eq!(code(&claim), 0, "{}", stderr(&claim));
    assert_ne!(stdout(&claim), stdout(&first));
    assert_eq!(ron_of(d.path(), CNN).annotations.len(), before + 1);
    let check = newsnote(&["check", "."], d.path());
    assert!(!stdout(&check).contains("duplicate-span"), "{}", stdout(&check));
}

#[test]
fn an_ambiguous_quote_lists_each_occurrence_in_its_words() {
    let d = annotated_copy();
    let o = newsnote(&["tag", &format!("{CNN}.txt"), "--label", "source", "--quote", "Peskov"], d.path());
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("--occurrence")).collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(lines.iter().all(|l| l.contains("[Peskov]")), "{err}");
    let distinct: std::collections::HashSet<&str> = lines.iter().map(|l| l.split_once("): ").unwrap().1).collect();
    assert_eq!(distinct.len(), 4, "each occurrence is told apart by its words: {err}");
}

#[test]
fn check_warns_about_identical_annotations_with_both_lines() {
    let d = annotated_copy();
    let path = d.path().join(format!("{CNN}.ron"));
    let mut file = ron_of(d.path(), CNN);
    let mut twin = file.annotations[0].clone();
    twin.id = newsnote::model::annotation::AnnotationId("twin0001".into());
    file.annotations.push(twin);
    std::fs::write(&path, file.to_ron()).unwrap();
    let o = newsnote(&["check", "."], d.path());
    assert_eq!(code(&o), 0, "a warning, not an error: {}", stderr(&o));
    let out = stdout(&o);
    let line = out.lines().find(|l| l.contains("warning[duplicate-span]")).unwrap_or_else(|| panic!("{out}"));
    let ron = std::fs::read_to_string(&path).unwrap();
    let line_of = |id: &str| ron.lines().position(|l| l.contains(&format!("id: \"{id}\""))).unwrap() + 1;
    let (a, b) = (file.annotations[0].id.0.as_str(), "twin0001");
    let (first, second) = if line_of(a) < line_of(b) { (a, b) } else { (b, a) };
    assert!(line.contains(&format!(":{}:", line_of(second))), "{line}");
    assert!(line.contains(&format!("{second} is identical to {first} (line {})", line_of(first))), "{line}");
}

/// newsnote as an installed binary runs: without cargo's CARGO_MANIFEST_DIR (cargo sets it for
/// the tests, and so for every child they start).
fn installed(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "cli-test")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("run newsnote")
}

#[test]
fn an_installed_binary_without_a_path_opens_the_current_folder_never_its_build_tree() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("заметка.txt"), "Заголовок\n\nТекст.").unwrap();
    let o = installed(&["list"], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "заметка.txt\t0\t0\t0\t0\tnone\tЗаголовок\n", "a count per label of the codebook");
    // Tagging by id writes next to the article, in the current folder.
    let o = installed(&["tag", "заметка", "--label", "claim", "--quote", "Текст"], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(d.path().join("заметка.ron").is_file());
    // A CARGO_MANIFEST_DIR of another project (newsnote run by someone else's cargo) is not ours.
    let o = Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(["list"])
        .current_dir(d.path())
        .env("CARGO_MANIFEST_DIR", d.path())
        .output()
        .unwrap();
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stdout(&o));

    let empty = tempfile::tempdir().unwrap();
    for args in [&["list"][..], &["search", "Peskov"], &["show", "002_915808095f53d4db"]] {
        let o = installed(args, empty.path());
        let (out, err) = (stdout(&o), stderr(&o));
        assert!(!out.contains("Kremlin") && !err.contains(env!("CARGO_MANIFEST_DIR")), "{args:?}: {out}{err}");
        assert_ne!(code(&o), 0, "{args:?}: nothing to list is said, not silently empty");
    }
    let o = installed(&["list"], empty.path());
    assert!(stderr(&o).contains("newsnote demo"), "says how to get the samples: {}", stderr(&o));
}

#[test]
fn cargo_run_in_the_checkout_opens_the_bundled_samples_from_any_folder() {
    let d = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(["list"])
        .current_dir(d.path())
        .env("CARGO_MANIFEST_DIR", root())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
}

#[test]
fn demo_writes_the_samples_with_their_annotations_and_never_replaces_a_file() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("демо");
    let o = installed(&["demo", dir.to_str().unwrap()], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!("newsnote {}", dir.display())), "{}", stdout(&o));
    assert!(!stdout(&o).contains(env!("CARGO_MANIFEST_DIR")), "{}", stdout(&o));
    let o = installed(&["list", "демо"], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("002_915808095f53d4db.txt\t12\t17\t9\t4\tvalid"), "{}", stdout(&o));
    let o = installed(&["check"], &dir);
    assert_eq!(code(&o), 0, "the shipped annotations fit the shipped text: {}{}", stdout(&o), stderr(&o));

    // Again, or over a file of the person's: nothing is replaced.
    let mine = dir.join("000_e37f52fc02921a26.ron");
    std::fs::write(&mine, "моё").unwrap();
    let o = installed(&["demo", dir.to_str().unwrap()], d.path());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("never replaces"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "моё");
}

#[test]
fn show_prints_the_title_once_as_the_texts_first_line_under_a_header_naming_the_article() {
    let d = annotated_copy();
    let o = newsnote(&["show", "000_e37f52fc02921a26.txt"], d.path());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "── 000_e37f52fc02921a26.txt ──");
    let opening = "Russian President Vladimir Putin’s peace proposal for Ukraine remains on the table";
    assert_eq!(out.matches(opening).count(), 2, "once in the text, once in its annotation's quote: {out}");
    assert!(lines[2].starts_with(&format!("[Claim: {opening}")), "{}", lines[2]);
}

#[test]
fn tag_takes_several_sources_for_one_claim_and_json_and_csv_carry_them_all() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a.txt"), "Russia and Ukraine said “talks go on.”\n").unwrap();
    let tag = |args: &[&str]| {
        let mut all = vec!["tag", "a.txt", "--in", "."];
        all.extend_from_slice(args);
        let o = newsnote(&all, d.path());
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).trim().to_owned()
    };
    let russia = tag(&["--label", "source", "--quote", "Russia"]);
    let ukraine = tag(&["--label", "source", "--quote", "Ukraine"]);
    tag(&["--label", "claim", "--quote", "talks go on.", "--source", &russia, "--source", &ukraine]);
    let check = newsnote(&["check", "."], d.path());
    assert!(check.status.success(), "{}{}", stdout(&check), stderr(&check));
    let json = stdout(&newsnote(&["export", ".", "--format", "json"], d.path()));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let claim =
        v["articles"][0]["annotations"].as_array().unwrap().iter().find(|a| a["label"] == "claim").unwrap().clone();
    assert_eq!(claim["source"], russia.as_str());
    assert_eq!(claim["more_sources"], serde_json::json!([ukraine]));
    let csv = stdout(&newsnote(&["export", ".", "--format", "csv"], d.path()));
    assert!(csv.contains(&format!("{russia}; {ukraine}")) && csv.contains("Russia; Ukraine"), "{csv}");
}

#[test]
fn entities_help_has_examples_and_its_usage_errors_exit_2() {
    let h = newsnote(&["entities", "--help"], root());
    assert_eq!(code(&h), 0);
    assert!(stdout(&h).contains("Example") && stdout(&h).contains("newsnote entities merge"), "{}", stdout(&h));
    for sub in ["list", "show", "add", "rename", "alias", "set", "merge", "unmerge", "split"] {
        assert_eq!(code(&newsnote(&["entities", sub, "--help"], root())), 0, "entities {sub} --help");
    }
    let d = annotated_copy();
    let o = newsnote(&["entities", "split", "dmitry-peskov", "--name", "Другой", "--in", "."], d.path());
    assert_eq!(code(&o), 2, "split needs --mention: {}", stderr(&o));
    let o = newsnote(&["entities", "set", "dmitry-peskov", "тип", "--in", "."], d.path());
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("expected ATTRIBUTE=VALUE"), "{}", stderr(&o));
    let o = newsnote(
        &["tag", "x.txt", "--label", "source", "--quote", "x", "--entity", "a", "--new-entity", "b"],
        d.path(),
    );
    assert_eq!(code(&o), 2, "--entity and --new-entity exclude each other");
}
