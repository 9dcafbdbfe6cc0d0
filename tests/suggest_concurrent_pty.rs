//! `newsnote suggest` run as a second process while the TUI has the same article open: the
//! person's annotations made before and after the run and the detectors' suggestions all end
//! up in the file, each once, and the TUI shows the suggestions (by reading the file again
//! when the idle watch sees it change, or by merging at its next save when it does not watch).

mod common;

use common::pty::{ENTER, Session};
use common::samples::{copy_of_articles as corpus, first_on_disk as on_disk};
use newsnote::model::annotation::{Annotation, Origin};
use std::collections::HashSet;
use std::path::Path;

fn open_first(dir: &Path, watch_ms: &str) -> Session {
    let mut s = Session::start_with_env(dir, 120, 40, &[("NEWSNOTE_WATCH_MS", watch_ms)]);
    s.wait_mode("LIST");
    s.send(ENTER);
    s.wait_mode("READ");
    s
}

/// Tags the text found by `query` over `words` words as a source, and waits for the save.
fn tag_source(s: &mut Session, query: &str, words: usize) {
    s.search(query);
    s.send("v");
    s.wait_mode("VISUAL");
    s.send(&"e".repeat(words));
    s.send("s");
    s.wait_status("tagged");
    s.wait_status("✓ saved");
}

/// `newsnote suggest` over the corpus, as a second process.
fn suggest(dir: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsnote"))
        .args(["suggest", "."])
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The person's annotations' quotes, sorted, and that no annotation is there twice (by id,
/// or by label and span).
fn people_and_no_duplicates(disk: &[Annotation]) -> Vec<String> {
    let ids: HashSet<&str> = disk.iter().map(|a| a.id.0.as_str()).collect();
    assert_eq!(ids.len(), disk.len(), "an id twice");
    let spans: HashSet<(&str, usize, usize)> = disk.iter().map(|a| (a.label.as_str(), a.start, a.end)).collect();
    assert_eq!(spans.len(), disk.len(), "one label on one span twice: {disk:#?}");
    let mut people: Vec<String> = disk.iter().filter(|a| a.origin == Origin::Manual).map(|a| a.quote.clone()).collect();
    people.sort();
    people
}

/// The suggestions on disk, by id: what `suggest` wrote must all still be there.
fn suggestions(disk: &[Annotation]) -> HashSet<String> {
    disk.iter().filter(|a| a.suggestion.is_some()).map(|a| a.id.0.clone()).collect()
}

#[test]
fn suggest_while_the_tui_is_open_keeps_both_of_the_persons_annotations_and_every_suggestion() {
    let d = corpus();
    let mut s = open_first(d.path(), "100");
    tag_source(&mut s, "Dmitry Peskov", 2);
    suggest(d.path());
    let proposed = suggestions(&on_disk(d.path()));
    assert!(proposed.len() > 10, "the detectors found the article's quotes");
    // The idle watch sees the file change: the suggestions show without a key.
    s.wait_status("reloaded (another writer)");
    s.wait_for(&format!("Annotations (1) · {} suggested", proposed.len()));
    tag_source(&mut s, "the West", 2);
    s.wait_for(&format!("Annotations (2) · {} suggested", proposed.len()));
    s.quit_with("q");
    let disk = on_disk(d.path());
    assert_eq!(people_and_no_duplicates(&disk), ["Dmitry Peskov", "the West"]);
    assert_eq!(suggestions(&disk), proposed, "every suggestion kept, none added or lost");
}

#[test]
fn suggest_while_a_tui_that_does_not_watch_is_open_is_merged_at_its_next_save_and_shown() {
    let d = corpus();
    let mut s = open_first(d.path(), "0");
    tag_source(&mut s, "Dmitry Peskov", 2);
    suggest(d.path());
    let proposed = suggestions(&on_disk(d.path()));
    // The TUI still shows what it read; its next save merges the run in.
    tag_source(&mut s, "the West", 2);
    s.wait_status("merged");
    s.wait_for(&format!("Annotations (2) · {} suggested", proposed.len()));
    s.quit_with("q");
    let disk = on_disk(d.path());
    assert_eq!(people_and_no_duplicates(&disk), ["Dmitry Peskov", "the West"]);
    assert_eq!(suggestions(&disk), proposed);
}

#[test]
fn tagging_what_a_concurrent_suggest_run_proposed_accepts_that_suggestion_once_the_tui_reloaded() {
    let d = corpus();
    let mut s = open_first(d.path(), "100");
    tag_source(&mut s, "Dmitry Peskov", 2);
    suggest(d.path());
    let disk = on_disk(d.path());
    let health = disk.iter().find(|a| a.quote == "local health authorities").expect("proposed as a source").clone();
    assert!(health.is_proposed());
    s.wait_status("reloaded (another writer)");
    // The person tags the very words the detector proposed: that is accepting it.
    s.search("local health authorities");
    s.send("veee");
    s.send("s");
    s.wait_status("suggestion accepted");
    s.wait_status("✓ saved");
    s.quit_with("q");
    let disk = on_disk(d.path());
    assert_eq!(people_and_no_duplicates(&disk), ["Dmitry Peskov"]);
    assert!(disk.iter().any(|a| a.id == health.id && !a.is_proposed()), "the suggestion is accepted");
}

/// A TUI that has not yet read the run tags words the run proposed: the merge at its save
/// keeps the person's annotation, drops the identical open suggestion (saying so) and points
/// the proposed claim that cited the suggestion at the person's source.
#[test]
fn tagging_what_a_concurrent_suggest_run_proposed_before_the_tui_saw_it_leaves_one_annotation_on_that_span() {
    let d = corpus();
    let mut s = open_first(d.path(), "0");
    tag_source(&mut s, "Dmitry Peskov", 2);
    suggest(d.path());
    assert!(on_disk(d.path()).iter().any(|a| a.quote == "local health authorities" && a.is_proposed()));
    // The TUI has not seen the run: the person tags the same words the detector proposed.
    s.search("local health authorities");
    s.send("v");
    s.wait_mode("VISUAL");
    s.send("eee");
    s.send("s");
    s.wait_status("dropped the suggestion");
    s.wait_status("✓ saved");
    s.quit_with("q");
    let disk = on_disk(d.path());
    people_and_no_duplicates(&disk);
    let person = disk.iter().find(|a| a.quote == "local health authorities").expect("the person's source");
    assert!(!person.is_proposed());
    let cites = disk.iter().filter(|a| a.links_to(&person.id)).count();
    assert!(cites > 0, "the proposed claim cites the person's source now");
}
