//! End-to-end: reviewing suggestions in the real binary in a pseudo-terminal.
//!
//! An article's annotation file holds what the detectors propose (written here with
//! `model::suggest::propose`, as `newsnote suggest` would): two quotes of Песков, each a
//! claim with its cue and source. A person goes to the first suggestion, accepts it, rejects
//! the next one, and quits; the file on disk must then say Accepted for the first claim, its
//! cue and its source, and Rejected for the second claim and what only it linked to, with
//! every suggestion's detector kept.

mod common;

use common::pty::start;
use newsnote::model::annotation::{Annotation, Status};
use newsnote::model::codebook::Codebook;
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::store::{AnnotationFile, Fingerprint};
use newsnote::model::suggest::{Ask, Detector, propose};

const TEXT: &str = "Переговоры\n\n«Мы не согласны с этим», — сказал Дмитрий Песков во вторник.\n\n«Это неприемлемо для нас», — заявил Дмитрий Песков журналистам.\n";

/// A corpus of one article whose annotation file holds only the detectors' proposals.
fn proposed_corpus() -> (tempfile::TempDir, std::path::PathBuf, Vec<Annotation>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("peskov.txt"), TEXT).unwrap();
    let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
    let entry = &corpus.entries[0];
    let article = newsnote::model::load::load(entry).unwrap();
    let detectors = [Detector::Boilerplate, Detector::Quotes];
    let ask = Ask {
        detectors: &detectors,
        book: Codebook::default_scheme(),
        existing: &[],
        registry: None,
        now: "2026-12-01T10:00:00Z",
    };
    let made = propose(&article, &ask);
    assert_eq!(made.iter().filter(|a| a.label.as_str() == "Claim").count(), 2, "{made:#?}");
    let fp = Fingerprint::of(&article.text, article.index.total_chars());
    let file = AnnotationFile::new(&entry.id, fp, made.clone());
    std::fs::write(&entry.ron_path, file.to_ron()).unwrap();
    (dir, entry.ron_path.clone(), made)
}

#[test]
fn next_suggestion_accept_one_reject_one_and_quit_leaves_accepted_and_rejected_on_disk() {
    let (dir, ron, made) = proposed_corpus();
    let claim = |q: &str| made.iter().find(|a| a.label.as_str() == "Claim" && a.quote == q).unwrap().clone();
    let (first, second) = (claim("Мы не согласны с этим"), claim("Это неприемлемо для нас"));

    let mut s = start(dir.path());
    s.wait_for("· 6 suggested");
    s.send("\r"); // open the article in the reading pane
    s.wait_mode("READ");
    s.send("]s");
    s.wait_cursor(first.start);
    s.wait_status("? Claim ");
    s.send("A");
    s.wait_status("accepted Claim");
    s.wait_for(" Annotations (3) · 3 suggested ");
    // On to the second quote by itself.
    s.wait_cursor(second.start);
    s.send("X");
    s.wait_status("rejected Claim");
    s.wait_for(" Annotations (3) ─");
    s.wait_status("✓ saved");
    s.quit_with("q");

    let on_disk = AnnotationFile::parse(&ron, &std::fs::read_to_string(&ron).unwrap(), "peskov.txt").unwrap();
    let status = |id: &newsnote::model::annotation::AnnotationId| {
        on_disk.annotations.iter().find(|a| &a.id == id).map(|a| a.status)
    };
    assert_eq!(status(&first.id), Some(Status::Accepted));
    for id in first.links.values().flatten() {
        assert_eq!(status(id), Some(Status::Accepted), "the first claim's cue and source go with it");
    }
    assert_eq!(status(&second.id), Some(Status::Rejected));
    for id in second.links.values().flatten() {
        assert_eq!(status(id), Some(Status::Rejected), "the second claim's own cue and source go with it");
    }
    assert_eq!(on_disk.annotations.len(), made.len(), "nothing dropped");
    assert!(
        on_disk.annotations.iter().all(|a| a.suggestion.is_some()),
        "each keeps its detector's word:\n{}",
        std::fs::read_to_string(&ron).unwrap()
    );
}
