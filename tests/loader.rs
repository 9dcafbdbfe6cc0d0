//! The one loader seen from outside: `newsnote list --json` on the samples and on folders of
//! .txt and .md files, and every subcommand refusing a file of no registered format alike.

mod drive;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn newsnote(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "loader-test")
        .output()
        .expect("run newsnote")
}

/// Each line of stdout as JSON: `list --json` prints one object per line.
fn json_lines(o: &Output) -> Vec<Value> {
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    out.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

/// The sample articles with their shipped annotations next to them.
fn annotated_samples() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(root().join("assets/articles")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, d.path().join(p.file_name().unwrap())).unwrap();
        let ron = root().join("annotations").join(p.with_extension("ron").file_name().unwrap());
        std::fs::copy(&ron, d.path().join(ron.file_name().unwrap())).unwrap();
    }
    d
}

#[test]
fn list_json_gives_each_sample_article_its_fields_and_the_counts_of_its_annotation_file() {
    let d = annotated_samples();
    let o = newsnote(&["list", "--json", "."], d.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = json_lines(&o);
    let plain = newsnote(&["list", "."], d.path());
    let plain_ids: Vec<String> =
        String::from_utf8(plain.stdout).unwrap().lines().map(|l| l.split('\t').next().unwrap().to_owned()).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, plain_ids, "the same articles, in the same order, as the plain list");
    for r in &rows {
        let id = r["id"].as_str().unwrap();
        let ron = d.path().join(Path::new(id).with_extension("ron"));
        let file = newsnote::model::store::AnnotationFile::load(&ron, id).unwrap().unwrap();
        for label in ["Source", "Claim", "Cue", "Boilerplate"] {
            let n = file.annotations.iter().filter(|a| a.label.as_str() == label).count();
            assert_eq!(r["counts"][label], n, "{id}: {label}");
        }
        assert_eq!(r["format"], "text");
        assert_eq!(r["annotations"], "valid");
        assert!(r["title"].as_str().is_some_and(|t| !t.is_empty()));
        // Plain text knows no metadata: every key is there, and empty.
        for key in ["outlet", "published", "url", "language", "problem"] {
            assert!(r[key].is_null(), "{id}: {key} = {}", r[key]);
        }
        assert_eq!(r["authors"], serde_json::json!([]));
    }
    assert!(rows.iter().any(|r| r["counts"]["Source"].as_u64() > Some(0)), "the samples are annotated");
}

#[test]
fn list_json_lists_txt_and_md_files_in_nested_folders_with_their_first_line_as_title() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("україна")).unwrap();
    std::fs::write(d.path().join("україна/новини.md"), "\u{feff}# Заголовок\r\n\r\nТекст.\r\n").unwrap();
    std::fs::write(d.path().join("東京.txt"), "\n  東京の記事  \n本文。\n").unwrap();
    std::fs::write(d.path().join("звіт.pdf"), "не стаття").unwrap();
    let o = newsnote(&["list", "--json", "."], d.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = json_lines(&o);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["title"].as_str().unwrap(), r["format"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("україна/новини.md", "# Заголовок", "text"), ("東京.txt", "東京の記事", "text")]);
    assert!(rows.iter().all(|r| r["annotations"] == "none" && r["counts"]["Source"] == 0));
}

#[test]
fn list_json_names_an_invalid_annotation_file_lists_every_article_and_exits_1() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("а.txt"), "Перша\n").unwrap();
    std::fs::write(d.path().join("а.ron"), "(format: 3, article: ").unwrap();
    std::fs::write(d.path().join("б.txt"), "Друга\n").unwrap();
    let o = newsnote(&["list", "--json", "."], d.path());
    assert_eq!(o.status.code(), Some(1));
    let rows = json_lines(&o);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["annotations"], "invalid");
    assert!(rows[0]["problem"].as_str().is_some_and(|p| p.contains("а.ron:1:")), "{}", rows[0]["problem"]);
    assert_eq!(rows[1]["annotations"], "none");
}

#[test]
fn a_file_of_no_registered_format_is_refused_alike_by_every_subcommand() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("звіт.pdf"), "не стаття").unwrap();
    for args in [
        &["list", "звіт.pdf"][..],
        &["list", "--json", "звіт.pdf"],
        &["show", "звіт.pdf"],
        &["check", "звіт.pdf"],
        &["export", "--format", "json", "звіт.pdf"],
    ] {
        let o = newsnote(args, d.path());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        let extensions = newsnote::model::load::extensions_for_people();
        assert!(err.contains(&format!("звіт.pdf: not a {extensions} article")), "{args:?}: {err}");
        assert!(extensions.contains(".html.gz") && extensions.contains(".jsonl"), "{extensions}");
    }
}

#[test]
fn the_reading_pane_header_shows_outlet_date_and_authors_after_the_title_when_known() {
    let dir = drive::corpus_of(&[("київ.txt", "Заголовок статті\n\nТекст статті.\n")]);
    let mut app = drive::app(dir.path());
    drive::press(&mut app, "<enter>");
    let plain = drive::screen(&app, 100, 12);
    assert!(plain.contains(" Заголовок статті ─"), "a plain text article's header is only its title:\n{plain}");
    app.open.as_mut().unwrap().doc.article.meta = newsnote::model::meta::ArticleMeta {
        outlet: Some("Українська правда".into()),
        published: Some("2026-11-30T08:15:00+02:00".into()),
        authors: vec!["Олена Ковальчук".into()],
        ..Default::default()
    };
    let shown = drive::screen(&app, 180, 12);
    let header = shown.lines().find(|l| l.contains("Заголовок статті")).unwrap();
    assert!(header.contains(" Заголовок статті · Українська правда · 2026-11-30 · Олена Ковальчук "), "{header}");
}

#[test]
fn a_list_row_shows_the_day_and_outlet_before_the_title_when_known() {
    let plain = drive::corpus_of(&[("а.txt", "Перша стаття\n"), ("б.txt", "Друга стаття\n")]);
    let before = drive::screen(&drive::app(plain.path()), 120, 10);
    assert!(before.contains("│  Перша стаття "), "{before}");
    let page = r#"<html><head><meta property="og:site_name" content="Суспільне">
        <meta property="article:published_time" content="2026-11-30T08:15:00Z"></head>
        <body><h1>Друга стаття</h1></body></html>"#;
    let dir = drive::corpus_of(&[("а.txt", "Перша стаття\n"), ("б.html", page)]);
    let shown = drive::screen(&drive::app(dir.path()), 200, 10);
    assert!(shown.contains("│  2026-11-30 Суспільне Друга стаття "), "{shown}");
    // A row without metadata leaves its cells blank, so the titles line up (the list's columns).
    assert!(shown.contains("│                       Перша стаття "), "{shown}");
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_code_outside_the_loader_reads_an_article_file_into_an_article() {
    // An article made from a file anywhere else would skip the formats, the size limit or
    // the metadata: the loader is the only caller of the reading and decoding steps.
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let allowed = [root().join("src/model/load.rs"), root().join("src/model/article.rs")];
    let mut offenders = Vec::new();
    for f in files.iter().filter(|f| !allowed.contains(f)) {
        let text = std::fs::read_to_string(f).unwrap();
        for needle in ["read_limited(", "Article::from_bytes(", "read_title("] {
            if text.contains(needle) {
                offenders.push(format!("{}: {needle}", f.strip_prefix(root()).unwrap().display()));
            }
        }
    }
    assert!(files.len() > 20, "the source tree was found");
    assert!(offenders.is_empty(), "read articles through newsnote::model::load: {offenders:?}");
}
