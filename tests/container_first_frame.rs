//! The first frame of a large container (issue 12): the list is the container's records, and
//! only those whose rows are on screen are read; opening again from the saved index gives the
//! same articles, with the same ids and annotation files.

use newsnote::headless::Headless;

#[test]
fn a_containers_first_frame_reads_only_the_records_on_screen_and_its_saved_index_gives_the_same_entries() {
    let state = tempfile::tempdir().unwrap();
    // SAFETY: the only test in this file, so no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("NEWSNOTE_STATE_DIR", state.path()) };
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("вести.jsonl");
    let records: String = (0..3000)
        .map(|n| {
            let rec = serde_json::json!({
                "url": format!("https://lenta.ru/новости/{n}"), "title": format!("Новость №{n}"),
                "maintext": format!("«Абзац {n}», — сказал он.\n\nВторой абзац 東京."), "source_domain": "lenta.ru",
            });
            format!("{rec}\n")
        })
        .collect();
    std::fs::write(&path, records).unwrap();
    let (width, height) = (100u16, 30u16);
    let entries = |h: &Headless| -> Vec<(String, std::path::PathBuf)> {
        h.app.corpus.entries.iter().map(|e| (e.id.clone(), e.ron_path.clone())).collect()
    };

    let mut first = Headless::open(&path, width, height).unwrap();
    first.draw();
    assert!(first.screen().contains("Новость №0"), "{}", first.screen());
    let listed = &first.app.corpus.entries;
    assert_eq!(listed.len(), 3000);
    let read = listed.iter().filter(|e| e.summarized).count();
    assert!(read > 0 && read <= usize::from(height), "{read} records read for a screen of {height} rows");
    assert!(listed[2999].meta.outlet.is_none() && listed[2999].title.is_empty(), "a record off screen is not read");
    assert!(std::fs::read_dir(state.path().join("index")).unwrap().count() == 1, "the index is saved");

    let mut again = Headless::open(&path, width, height).unwrap();
    again.draw();
    assert_eq!(entries(&again), entries(&first), "the saved index gives the same ids and annotation files");
    assert_eq!(again.screen(), first.screen());
    let key = newsnote::model::container::fields::file_key("https://lenta.ru/новости/2999");
    assert_eq!(again.app.corpus.entries[2999].ron_path, d.path().join(format!("вести.jsonl.annotations/{key}.ron")));
}
