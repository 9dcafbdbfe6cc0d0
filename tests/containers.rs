//! Corpora that come as containers (news-please and trafilatura JSON Lines, a news database
//! CSV export) opened as they are: through `list --json`, `tag`, `show` and the TUI in a
//! real terminal, with bad records reported and the others kept, and each record's
//! annotations staying with it when the file is reordered.

mod common;

use common::pty::Session;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

fn newsnote(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .env("USER", "container-test")
        .output()
        .expect("run newsnote")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn news_please(url: &str, title: &str, text: &str, outlet: &str) -> String {
    json!({
        "authors": ["Ольга Петренко"], "date_download": "2026-11-30 10:00:00", "date_modify": null,
        "date_publish": "2026-11-30 08:15:00", "description": "…", "filename": "x.json",
        "image_url": null, "language": "uk", "localpath": null, "title": title, "title_page": null,
        "title_rss": null, "source_domain": outlet, "maintext": text, "url": url
    })
    .to_string()
}

/// A folder with a news-please JSON Lines file (one malformed line), a trafilatura JSON
/// array and a `;`-separated CSV export with a short row.
fn corpus() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let lines = [
        news_please(
            "https://pravda.com.ua/a",
            "Переговори тривають",
            "«Ми готові», — сказав Зеленський.",
            "pravda.com.ua",
        ),
        "{\"title\": \"обрізаний".to_owned(),
        news_please("https://pravda.com.ua/b", "Ціни", "Ціни зросли, повідомив Держстат.", "pravda.com.ua"),
    ];
    std::fs::write(d.path().join("np.jsonl"), lines.join("\n") + "\n").unwrap();
    let traf = json!([{
        "title": "東京の天気", "author": "田中", "hostname": "asahi.com", "date": "2026-11-29",
        "url": "https://asahi.com/w", "text": "「晴れです」と気象庁は述べた。", "id": "asahi-1"
    }]);
    std::fs::write(d.path().join("traf.json"), traf.to_string()).unwrap();
    std::fs::write(
        d.path().join("db.csv"),
        "doc_id;headline;body;publication;pub_date\nk7;Київ;\"Перший абзац.\n\nДругий.\";Укрінформ;2026-11-28\nk8;коротка\n",
    )
    .unwrap();
    d
}

#[test]
fn news_please_trafilatura_and_csv_records_list_with_their_metadata_and_bad_records_are_named() {
    let d = corpus();
    let o = newsnote(&["list", "--json", "."], d.path());
    let rows: Vec<Value> = ok(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["db.csv#k7", "np.jsonl#https://pravda.com.ua/a", "np.jsonl#https://pravda.com.ua/b", "traf.json#asahi-1"]
    );
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap();
    let a = row("np.jsonl#https://pravda.com.ua/a");
    assert_eq!((a["title"].as_str(), a["outlet"].as_str()), (Some("Переговори тривають"), Some("pravda.com.ua")));
    assert_eq!((a["published"].as_str(), a["format"].as_str()), (Some("2026-11-30T08:15:00"), Some("jsonl")));
    assert_eq!(a["authors"], json!(["Ольга Петренко"]));
    assert_eq!(row("traf.json#asahi-1")["outlet"], "asahi.com");
    assert_eq!(row("db.csv#k7")["outlet"], "Укрінформ");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("np.jsonl:2: malformed JSON"), "the bad line is named: {err}");
    assert!(err.contains("db.csv:5: 2 fields where the header has 5"), "the short row is named: {err}");
}

#[test]
fn a_tagged_record_keeps_its_annotation_when_records_are_added_and_reordered() {
    let d = corpus();
    let id = "np.jsonl#https://pravda.com.ua/b";
    ok(&newsnote(&["tag", "--in", ".", id, "--label", "source", "--quote", "Держстат"], d.path()));
    assert!(d.path().join("np.jsonl.annotations").is_dir(), "the record's annotations are in the mirrored folder");
    // A record is added at the top and the two old ones swap places.
    let body = std::fs::read_to_string(d.path().join("np.jsonl")).unwrap();
    let old: Vec<&str> = body.lines().collect();
    let added = news_please("https://pravda.com.ua/c", "Нове", "Держстат мовчить.", "pravda.com.ua");
    std::fs::write(d.path().join("np.jsonl"), [added.as_str(), old[2], old[0]].join("\n") + "\n").unwrap();
    let show = ok(&newsnote(&["show", "--in", ".", id], d.path()));
    assert!(show.contains("[Source: Держстат]"), "{show}");
    let other = ok(&newsnote(&["show", "--in", ".", "np.jsonl#https://pravda.com.ua/c"], d.path()));
    assert!(!other.contains("[Source"), "the new record at the old one's line has no annotation: {other}");
}

#[test]
fn a_record_is_coded_in_the_tui_and_saved_beside_its_container() {
    let d = corpus();
    let mut s = Session::start(d.path(), 120, 30);
    s.wait_for("Київ");
    s.wait_for("Переговори");
    assert!(!s.screen_text().contains("https:"), "a record's URL key makes no folder in its row: {}", s.screen_text());
    s.send("\r");
    s.wait_mode("READ");
    s.send("v");
    s.wait_mode("VISUAL");
    s.send("e");
    s.send("s");
    s.wait_status("tagged Source");
    s.quit_with("q");
    let dir = d.path().join("db.csv.annotations");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files, [std::ffi::OsString::from("k7.ron")]);
    let show = ok(&newsnote(&["show", "--in", ".", "db.csv#k7"], d.path()));
    assert!(show.contains("[Source: Перший]"), "{show}");
}

#[test]
fn a_warc_archives_html_records_are_pages_coded_and_kept_by_record_id() {
    let d = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/warc");
    for name in ["cc-news.warc", "cc-news.warc.gz"] {
        std::fs::copy(fixtures.join(name), d.path().join(name)).unwrap();
    }
    let rows: Vec<Value> =
        ok(&newsnote(&["list", "--json", "."], d.path())).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 6, "three pages in each archive; requests and metadata records are not articles");
    let ru = rows.iter().find(|r| r["id"].as_str().unwrap().starts_with("cc-news.warc.gz#")).unwrap();
    assert_eq!((ru["format"].as_str(), ru["language"].as_str()), (Some("warc"), Some("ru")));
    assert!(ru["url"].as_str().unwrap().starts_with("https://www.example.ru/"), "{ru}");
    let id = ru["id"].as_str().unwrap();
    ok(&newsnote(&["tag", "--in", ".", id, "--label", "claim", "--quote", "совете"], d.path()));
    let ron = d.path().join("cc-news.warc.gz.annotations");
    assert_eq!(std::fs::read_dir(&ron).unwrap().count(), 1);
    let show = ok(&newsnote(&["show", "--in", ".", id], d.path()));
    assert!(show.contains("[Claim: совете]"), "{show}");
    let search = ok(&newsnote(&["search", "совете", "."], d.path()));
    assert!(
        search.lines().count() >= 2 && !search.contains('<'),
        "the pages' text is searched, not their markup: {search}"
    );
}
