//! The stats view (`S`) driven by real keys: it opens from anywhere, computes its figures on
//! a job with a "computing…" state, walks and scrolls its charts, closes with `S`, `q` and
//! Esc, and counts what `newsnote stats --json` counts.

mod drive;

use drive::*;
use newsnote::app::{Action, Effect, update};
use newsnote::headless::Headless;

/// The samples with their annotations and registry beside the articles.
fn samples() -> (tempfile::TempDir, Headless) {
    let dir = annotated_sample_corpus();
    let h = Headless::open(dir.path(), 80, 24).unwrap();
    (dir, h)
}

#[test]
fn s_opens_the_stats_view_from_the_list_and_the_reader_and_s_q_and_esc_close_it() {
    let (_dir, mut h) = samples();
    for (from, close) in [("", "S"), ("<enter>", "q"), ("<tab>", "<esc>")] {
        h.keys(from);
        let focus = h.app.focus;
        h.keys("S");
        assert!(h.app.stats_view.shown, "S opens it (after {from:?})");
        h.keys(close);
        assert!(!h.app.stats_view.shown, "{close} closes it");
        assert_eq!(h.app.focus, focus, "back where it was");
        assert!(!h.app.should_quit, "q closes the view, it does not quit");
    }
}

#[test]
fn s_during_a_selection_keeps_the_selection_and_opens_nothing() {
    let (_dir, mut h) = samples();
    h.keys("<enter>vee");
    assert!(h.app.reader.anchor.is_some());
    h.keys("S");
    assert!(!h.app.stats_view.shown, "no view over a selection");
    assert!(h.app.reader.anchor.is_some(), "the selection stays");
}

#[test]
fn the_figures_are_computed_by_a_job_and_the_view_says_computing_until_it_is_done() {
    let (_dir, mut h) = samples();
    let effects = update(&mut h.app, Action::OpenStats);
    let [Effect::Start(job)] = effects.as_slice() else { panic!("one job: {effects:?}") };
    assert!(h.app.stats_view.picture.is_none() && h.app.stats_view.computing);
    h.draw();
    assert!(h.screen().contains("computing…"), "{}", h.screen());
    let done = job.clone().run();
    h.action(newsnote::app::Msg::Done(done));
    assert!(h.app.stats_view.picture.is_some() && !h.app.stats_view.computing);
    h.draw();
    assert!(!h.screen().contains("computing…"), "{}", h.screen());
    assert!(h.screen().contains("[Entities]"), "{}", h.screen());
}

#[test]
fn tab_walks_every_chart_and_comes_round_and_j_scrolls_no_further_than_the_last_bar() {
    let (_dir, mut h) = samples();
    h.keys("S");
    let n = newsnote::app::stats_view::charts(h.app.stats_view.picture.as_ref().unwrap()).len();
    assert!(n >= 6, "{n} charts");
    for i in 1..=n {
        h.keys("<tab>");
        assert_eq!(h.app.stats_view.chart, i % n);
    }
    h.keys("<s-tab>");
    assert_eq!(h.app.stats_view.chart, n - 1);
    h.keys("<tab>");
    let entities = h.app.stats_view.picture.as_ref().unwrap().entities.len();
    h.keys(&"j".repeat(entities + 5));
    assert_eq!(h.app.stats_view.scroll, entities - 1);
    h.keys("g");
    assert_eq!(h.app.stats_view.scroll, 0);
}

#[test]
fn the_stats_view_counts_what_newsnote_stats_json_counts() {
    let (dir, mut h) = samples();
    h.keys("S");
    let tui = serde_json::to_value(h.app.stats_view.picture.as_ref().unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .arg("stats")
        .arg(dir.path())
        .arg("--json")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cli = &doc["picture"];
    for field in ["articles", "labels", "entities", "unlinked", "by_value", "boilerplate_labels", "coders"] {
        assert_eq!(tui[field], cli[field], "{field}");
    }
    assert!(doc["corpus"]["entities"].is_array(), "the earlier fields keep their shape");
}

#[test]
fn coders_progress_shows_each_team_coders_done_marks() {
    let (dir, _) = samples();
    std::fs::write(dir.path().join("corpus.ron"), "(team: (coders: [\"Zoë\", \"Łukasz\"]))").unwrap();
    let zoe = dir.path().join("coders/Zoë");
    std::fs::create_dir_all(&zoe).unwrap();
    let path = newsnote::model::progress::Progress::locate(
        dir.path(),
        &newsnote::model::corpus::AnnotationRoot::Mirrored(zoe),
    );
    let mut p = newsnote::model::progress::Progress::empty(&path);
    p.set("000_e37f52fc02921a26.txt", newsnote::model::progress::Stage::Done, "Zoë", "2026-12-01T00:00:00Z");
    p.save().unwrap();
    let mut h = Headless::open(dir.path(), 80, 24).unwrap();
    h.keys("S");
    let coders = &h.app.stats_view.picture.as_ref().unwrap().coders;
    let rows: Vec<(&str, usize)> = coders.iter().map(|c| (c.name.as_str(), c.done)).collect();
    assert_eq!(rows, [("Zoë", 1), ("Łukasz", 0)]);
    for _ in 0..newsnote::app::stats_view::charts(h.app.stats_view.picture.as_ref().unwrap()).len() {
        h.draw();
        if h.screen().contains("[Coders]") {
            break;
        }
        h.keys("<tab>");
    }
    let screen = h.screen();
    assert!(screen.contains("Zoë") && screen.contains("1 of 2 done (50.0%)"), "{screen}");
}
