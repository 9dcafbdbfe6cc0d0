use super::*;

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn keys(idx: &Index) -> Vec<&str> {
    idx.records().map(|r| r.key).collect()
}

#[test]
fn news_please_lines_are_keyed_by_url_and_read_with_their_metadata() {
    let d = tempfile::tempdir().unwrap();
    let line = |url: &str, title: &str| {
        serde_json::json!({
            "title": title, "maintext": format!("«{title}», — сказал Песков.\r\nВторой абзац."),
            "authors": ["Анна Иванова", "Ли Мин"], "date_publish": "2026-11-30 08:15:00",
            "source_domain": "lenta.ru", "url": url, "language": "ru"
        })
        .to_string()
    };
    let body = format!("{}\n\n{}\n", line("https://lenta.ru/a", "Переговоры"), line("https://lenta.ru/b", "Мир"));
    let p = write(d.path(), "news.jsonl", &body);
    let idx = index(&p, "news.jsonl", Kind::JsonLines, &Fields::default()).unwrap();
    assert_eq!(keys(&idx), ["https://lenta.ru/a", "https://lenta.ru/b"]);
    assert_eq!(idx.record(1).line, 3, "the blank line is counted");
    assert!(idx.problems.is_empty(), "{:?}", idx.problems);
    let r = read(&p, &idx, 1).unwrap();
    assert_eq!(r.text, "«Мир», — сказал Песков.\nВторой абзац.");
    assert_eq!(r.meta.title.as_deref(), Some("Мир"));
    assert_eq!(r.meta.outlet.as_deref(), Some("lenta.ru"));
    assert_eq!(r.meta.authors, ["Анна Иванова", "Ли Мин"]);
    assert_eq!(r.meta.published.as_deref(), Some("2026-11-30T08:15:00"));
    assert_eq!(r.meta.language.as_deref(), Some("ru"));
}

#[test]
fn trafilatura_json_names_its_fields_otherwise_and_needs_no_mapping() {
    let d = tempfile::tempdir().unwrap();
    let rec = serde_json::json!({
        "title": "東京の天気", "author": "田中; 佐藤", "hostname": "asahi.com", "date": "2026-11-29",
        "url": "https://asahi.com/x", "text": "「晴れです」と気象庁は述べた。", "id": "a1"
    });
    let p = write(d.path(), "t.json", &format!("[{rec},\n {rec}]"));
    let idx = index(&p, "t.json", Kind::Json, &Fields::default()).unwrap();
    assert_eq!(keys(&idx), ["a1", "a1~2"], "the id field first, a repeated one numbered");
    assert!(idx.problems.iter().any(|p| p.contains("t.json:2:") && p.contains("repeat")), "{:?}", idx.problems);
    let r = read(&p, &idx, 0).unwrap();
    assert_eq!(r.text, "「晴れです」と気象庁は述べた。");
    assert_eq!(r.meta.authors, ["田中", "佐藤"]);
    assert_eq!(r.meta.outlet.as_deref(), Some("asahi.com"));
}

#[test]
fn a_bad_line_is_reported_with_its_line_and_the_others_still_open() {
    let d = tempfile::tempdir().unwrap();
    let body = "{\"id\": 1, \"text\": \"Перший\"}\n{\"id\": 2, \"text\": \"обрізаний\n[1, 2]\n{\"id\": 4, \"title\": \"без тексту\"}\n\
                {\"id\": 5, \"text\": \"   \"}\n{\"id\": 6, \"text\": [\"абзац\", \"ще\"]}\n";
    let p = write(d.path(), "bad.jsonl", body);
    let idx = index(&p, "bad.jsonl", Kind::JsonLines, &Fields::default()).unwrap();
    assert_eq!(keys(&idx), ["1", "6"]);
    let lines: Vec<&str> = idx.problems.iter().map(|p| p.split(": ").next().unwrap()).collect();
    assert_eq!(lines, ["bad.jsonl:2", "bad.jsonl:3", "bad.jsonl:4", "bad.jsonl:5"], "{:?}", idx.problems);
    assert!(idx.problems[0].contains("malformed JSON"), "{}", idx.problems[0]);
    assert!(idx.problems[2].contains("--text-field"), "{}", idx.problems[2]);
    assert_eq!(read(&p, &idx, 1).unwrap().text, "абзац\n\nще", "paragraph lists become paragraphs");
}

#[test]
fn records_without_id_or_url_are_keyed_by_line_with_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "x.jsonl", "{\"text\": \"один\"}\n{\"text\": \"два\"}\n");
    let idx = index(&p, "x.jsonl", Kind::JsonLines, &Fields::default()).unwrap();
    assert_eq!(keys(&idx), ["line-1", "line-2"]);
    assert!(idx.problems[0].contains("keyed by their position"), "{:?}", idx.problems);
}

#[test]
fn a_named_nested_field_is_followed() {
    let d = tempfile::tempdir().unwrap();
    let p = write(
        d.path(),
        "n.jsonl",
        "{\"doc\": {\"ref\": \"К-1\", \"body\": \"Текст\"}, \"source\": {\"name\": \"ТАСС\"}}\n",
    );
    let f = Fields { id: Some("doc.ref".into()), text: Some("doc.body".into()), ..Fields::default() };
    let idx = index(&p, "n.jsonl", Kind::JsonLines, &f).unwrap();
    assert_eq!(keys(&idx), ["К-1"]);
    let r = read(&p, &idx, 0).unwrap();
    assert_eq!((r.text.as_str(), r.meta.outlet.as_deref()), ("Текст", Some("ТАСС")));
}

#[test]
fn a_csv_export_with_quoted_multiline_text_and_a_short_row() {
    let d = tempfile::tempdir().unwrap();
    let body = "\u{feff}ID;Headline;Body;Publication;Pub_Date\n\
                7;Київ;\"«Ми готові», — сказав він.\n\nДругий абзац; з крапкою з комою\";Укрінформ;2026-11-30\n\
                8;коротка\n\
                9;Львів;\"Текст\";УП;30.11.2026\n";
    let p = write(d.path(), "db.csv", body);
    let idx = index(&p, "db.csv", Kind::Csv, &Fields::default()).unwrap();
    assert_eq!(idx.delimiter, b';');
    assert_eq!(keys(&idx), ["7", "9"]);
    assert_eq!(idx.problems.len(), 1, "{:?}", idx.problems);
    assert!(idx.problems[0].starts_with("db.csv:5:") && idx.problems[0].contains("2 fields"), "{:?}", idx.problems);
    let r = read(&p, &idx, 0).unwrap();
    assert_eq!(r.text, "«Ми готові», — сказав він.\n\nДругий абзац; з крапкою з комою");
    assert_eq!(r.meta.title.as_deref(), Some("Київ"));
    assert_eq!(r.meta.outlet.as_deref(), Some("Укрінформ"));
    assert_eq!(
        read(&p, &idx, 1).unwrap().meta.published.as_deref(),
        Some("30.11.2026"),
        "a date iso_date cannot read is kept"
    );
}

#[test]
fn a_table_without_a_text_column_names_its_columns() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "m.csv", "a,b\n1,2\n");
    let e = index(&p, "m.csv", Kind::Csv, &Fields::default()).unwrap_err().to_string();
    assert!(e.contains("its columns are: a, b") && e.contains("--text-field"), "{e}");
}

#[test]
fn a_changed_file_is_indexed_again_so_a_record_keeps_its_own_text() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "c.jsonl", "{\"id\": \"б\", \"text\": \"второй\"}\n");
    let idx = index(&p, "c.jsonl", Kind::JsonLines, &Fields::default()).unwrap();
    // A record is added above it: the offsets move, the key does not.
    std::fs::write(&p, "{\"id\": \"а\", \"text\": \"первый, длиннее\"}\n{\"id\": \"б\", \"text\": \"второй\"}\n")
        .unwrap();
    let f = std::fs::File::options().append(true).open(&p).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5)).unwrap();
    assert_eq!(read(&p, &idx, 0).unwrap().text, "второй");
    std::fs::write(&p, "{\"id\": \"а\", \"text\": \"первый\"}\n").unwrap();
    assert!(matches!(read(&p, &idx, 0), Err(ContainerError::Gone { .. })));
}

#[test]
fn a_cut_off_json_array_keeps_the_records_before_the_cut() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "cut.json", "[\n{\"id\": 1, \"text\": \"Целая\"},\n{\"id\": 2, \"text\": \"обре");
    let idx = index(&p, "cut.json", Kind::Json, &Fields::default()).unwrap();
    assert_eq!(keys(&idx), ["1"]);
    assert!(idx.problems[0].starts_with("cut.json:3: malformed JSON"), "{:?}", idx.problems);
    let one = write(d.path(), "one.json", "{\"url\": \"https://t.me/a\", \"maintext\": \"Одна статья\"}");
    let idx = index(&one, "one.json", Kind::Json, &Fields::default()).unwrap();
    assert_eq!(keys(&idx), ["https://t.me/a"], "news-please's file per article is one record");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// However records are shuffled, dropped and added, in JSON Lines or CSV, each key
        /// read back gives that record's own text.
        #[test]
        fn any_reordering_keeps_each_key_on_its_own_text(
            texts in proptest::collection::vec("[a-zа-я «»,\"\n]{1,40}", 1..12),
            order in proptest::collection::vec(any::<proptest::sample::Index>(), 1..16),
            csv in any::<bool>(),
        ) {
            let d = tempfile::tempdir().unwrap();
            let texts: Vec<String> = texts.into_iter().map(|t| format!("т{t}")).collect();
            let write = |ids: &[usize]| -> (PathBuf, Kind) {
                if csv {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    w.write_record(["id", "text"]).unwrap();
                    for &i in ids {
                        w.write_record([format!("к{i}"), texts[i].clone()]).unwrap();
                    }
                    let p = d.path().join("t.csv");
                    std::fs::write(&p, w.into_inner().unwrap()).unwrap();
                    (p, Kind::Csv)
                } else {
                    let body: String =
                        ids.iter().map(|&i| format!("{}\n", serde_json::json!({"id": format!("к{i}"), "text": texts[i]}))).collect();
                    let p = d.path().join("t.jsonl");
                    std::fs::write(&p, body).unwrap();
                    (p, Kind::JsonLines)
                }
            };
            // Records in any order, some left out (each once: ids are unique).
            let mut seen = std::collections::HashSet::new();
            let ids: Vec<usize> = order.iter().map(|i| i.index(texts.len())).filter(|i| seen.insert(*i)).collect();
            let (p, kind) = write(&ids);
            let idx = index(&p, "t", kind, &Fields::default()).unwrap();
            prop_assert!(idx.problems.is_empty(), "{:?}", idx.problems);
            // Rewritten at once, in reverse with one left out, maybe within the same tick of
            // the clock: reading by the old index still gives each key its own text.
            let kept: Vec<usize> = ids.iter().rev().skip(1).copied().collect();
            write(&kept);
            for (n, r) in idx.records().enumerate() {
                let i: usize = r.key.trim_start_matches('к').parse().unwrap();
                match read(&p, &idx, n) {
                    Ok(rec) => prop_assert_eq!(&rec.text, &texts[i]),
                    Err(ContainerError::Gone { .. }) => prop_assert!(!kept.contains(&i)),
                    Err(e) => prop_assert!(false, "{e}"),
                }
            }
        }
    }
}

#[test]
fn a_record_with_invalid_utf8_opens_with_replacement_characters_and_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("bad.jsonl");
    let mut body = b"{\"id\": \"x\", \"text\": \"\xd0\x9f\xd1 \xff ok\"}\n".to_vec();
    body.extend_from_slice(b"{\"id\": \"y\", \"text\": \"\xd0\x94\xd0\xb0\"}\n");
    std::fs::write(&p, body).unwrap();
    let idx = index(&p, "bad.jsonl", Kind::JsonLines, &Fields::default()).unwrap();
    assert_eq!(keys(&idx), ["x", "y"]);
    let r = read(&p, &idx, 0).unwrap();
    assert_eq!(r.text, "П\u{fffd} \u{fffd} ok");
    assert!(r.warnings[0].contains("not valid UTF-8") && r.lossy, "{:?}", r.warnings);
    assert_eq!(read(&p, &idx, 1).unwrap().text, "Да");
}

#[test]
fn newsnote_s_own_jsonl_export_in_the_corpus_is_not_opened_as_articles() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("export.jsonl");
    let rec = serde_json::json!({"id": "a.txt", "text": "Текст", "annotations": [], "fingerprint": {"chars": 5},
        "offset_unit": "unicode-code-point"});
    std::fs::write(&p, format!("{rec}\n")).unwrap();
    let e = index(&p, "export.jsonl", Kind::JsonLines, &Fields::default()).unwrap_err().to_string();
    assert!(e.contains("newsnote export"), "{e}");
    // A scraper's record that happens to have one of those fields is an article.
    std::fs::write(&p, "{\"text\": \"Текст\", \"annotations\": \"см. ниже\"}\n").unwrap();
    assert_eq!(index(&p, "export.jsonl", Kind::JsonLines, &Fields::default()).unwrap().len(), 1);
}
