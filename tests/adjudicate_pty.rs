//! `newsnote adjudicate` end to end: the real binary in a pseudo-terminal, two coders'
//! folders written with the model API, real keys, then the gold folder's files read back
//! from disk (and the coders' files checked untouched).

mod common;

use common::pty::Session;
use newsnote::model::annotation::{Annotation, LabelId};
use newsnote::model::progress::{Progress, Stage};
use newsnote::model::store::{AnnotationFile, Fingerprint};
use newsnote::model::units::{ByteRange, CharRange};
use std::ffi::OsStr;
use std::path::Path;

const TEXT: &str = "«Мы не отступим», — заявил Дмитрий Песков журналистам.\n\nПодпишитесь на наш канал сегодня.\n";
const ARTICLE: &str = "статья.txt";

fn ann(label: &str, quote: &str, author: &str) -> Annotation {
    let b = TEXT.find(quote).expect("in the text");
    let start = TEXT[..b].chars().count();
    let span = CharRange::new(start, start + quote.chars().count());
    let bytes = ByteRange::new(b, b + quote.len());
    Annotation::new_manual(LabelId::new(label), TEXT, bytes, span, author, "2026-12-01T10:00:00Z")
}

/// One coder's file: a source, a claim attributed to it, and a boilerplate line of `kind`.
fn coder(root: &Path, name: &str, source: &str, kind: &str) -> String {
    let s = ann("Source", source, name);
    let mut c = ann("Claim", "Мы не отступим", name);
    c.link("source", s.id.clone());
    let b = ann("Boilerplate", "Подпишитесь на наш канал сегодня.", name).with_value("kind", kind);
    let file = AnnotationFile::new(ARTICLE, Fingerprint::of(TEXT, TEXT.chars().count()), vec![s, c, b]);
    let dir = root.join("coders").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let ron = file.to_ron();
    std::fs::write(dir.join("статья.ron"), &ron).unwrap();
    ron
}

#[test]
fn adjudicating_two_coders_writes_the_taken_versions_and_the_mark_into_gold_only() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    std::fs::write(root.join(ARTICLE), TEXT).unwrap();
    let alice = coder(root, "алиса", "Дмитрий Песков", "Newsletter");
    let bob = coder(root, "боб", "Песков", "Advertisement");
    let args = ["adjudicate", "алиса", "боб", "--annotator", "судья"].map(OsStr::new);
    let mut s = Session::start_args(root, &args, 120, 30, &[]);
    s.wait_status("0 of 3 disagreements resolved");
    s.wait_mode("ADJUDICATE");
    s.send("n"); // the claim: attributed to different source spans
    s.wait_status("source differs");
    s.send("1"); // alice's claim, with her source
    s.wait_status("2 of 3 disagreements resolved");
    s.send("n"); // the boilerplate: another kind
    s.wait_status("attribute differs");
    s.send("b"); // both kinds
    s.wait_status("3 of 3 disagreements resolved");
    s.send("D");
    s.wait_status("resolved · adjudicated");
    s.quit_with("q");

    let gold = AnnotationFile::load(&root.join("gold/статья.ron"), ARTICLE).unwrap().expect("the gold file");
    let of = |label: &str| gold.annotations.iter().filter(|a| a.label.as_str() == label).collect::<Vec<_>>();
    let (claims, sources, boiler) = (of("Claim"), of("Source"), of("Boilerplate"));
    assert_eq!((claims.len(), sources.len(), boiler.len()), (1, 1, 2), "{:#?}", gold.annotations);
    assert_eq!(sources[0].quote, "Дмитрий Песков");
    assert_eq!(claims[0].linked("source"), [sources[0].id.clone()], "the link points at gold's copy");
    assert_eq!((claims[0].author.as_str(), sources[0].author.as_str()), ("алиса", "алиса"));
    let mut kinds: Vec<(String, &str)> =
        boiler.iter().map(|b| (b.attributes["kind"].to_string(), b.author.as_str())).collect();
    kinds.sort();
    assert_eq!(kinds, [("Advertisement".to_string(), "боб"), ("Newsletter".to_string(), "алиса")]);
    let progress = Progress::open(&root.join("gold/progress.ron")).unwrap();
    let mark = progress.get(ARTICLE, Stage::Adjudicated).expect("marked adjudicated");
    assert_eq!(mark.by, "судья");
    // The coders' folders are read, never written.
    assert_eq!(std::fs::read_to_string(root.join("coders/алиса/статья.ron")).unwrap(), alice);
    assert_eq!(std::fs::read_to_string(root.join("coders/боб/статья.ron")).unwrap(), bob);
    assert!(!root.join("coders/алиса/progress.ron").exists());
}
