//! End-to-end: the entities view (`E`) in the real binary, in a pseudo-terminal.
//!
//! Issue 11's "merging two entities and undoing it works across two articles": a corpus of two
//! articles, each with one source mention (and its claim) linked to a different entity, is
//! merged in the view and the merge undone. After each step the screen, the registry on disk
//! (`sources.ron`) and the counts the rest of newsnote makes from disk
//! (`MentionIndex::usage`, what `stats` and the exports count) must agree.

mod common;

use common::pty::Session;
use newsnote::model::annotation::{Annotation, LabelId};
use newsnote::model::codebook::Codebook;
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use newsnote::model::document::{Document, Edit};
use newsnote::model::entities::index::MentionIndex;
use newsnote::model::entities::{EntityId, Registry};
use newsnote::model::units::ByteRange;
use std::path::Path;

const A: &str = "Дмитрий Песков сказал журналистам: «Переговоры возможны».\n";
const B: &str = "Пресс-секретарь Кремля заявил: «Никаких переговоров».\n";

/// Tags `who` in `entry`'s article as a source linked to `entity` and the quotation `what` as
/// a claim attributed to it, saved through the one save path.
fn code(entry: &newsnote::model::corpus::Entry, who: &str, entity: &str, what: &str) {
    let cb = Codebook::default_scheme();
    let source = LabelId::new(cb.entities.as_ref().unwrap().mentions[0].clone());
    let claim = cb.labels.iter().map(|l| LabelId::new(l.id.clone())).find(|l| cb.is_content(l)).unwrap();
    let rel = cb.source_relation().unwrap().id.clone();
    let mut doc = Document::open(entry).unwrap();
    let text = doc.article.text.clone();
    let span = |w: &str| {
        let start = text.find(w).unwrap();
        let bytes = ByteRange::new(start, start + w.len());
        (bytes, doc.article.index.to_chars(&text, bytes))
    };
    let (b, c) = span(who);
    let mut s = Annotation::new_manual(source, &text, b, c, "bob", "2026-12-01T10:00:00Z");
    s.entity = Some(EntityId::new(entity));
    let (b, c) = span(what);
    let mut q = Annotation::new_manual(claim, &text, b, c, "bob", "2026-12-01T10:00:00Z");
    q.link(&rel, s.id.clone());
    doc.apply(&Edit::Insert(s));
    doc.apply(&Edit::Insert(q));
    newsnote::model::save::save(doc.save_request()).unwrap();
}

fn two_articles_two_entities() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("а.txt"), A).unwrap();
    std::fs::write(dir.path().join("б.txt"), B).unwrap();
    let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
    let mut registry = Registry::empty(&dir.path().join("sources.ron"));
    for name in ["Дмитрий Песков", "Пресс-секретарь Кремля"] {
        let (_, c) = registry.add(name, &[], "bob").unwrap();
        registry.apply(&[c]).unwrap();
    }
    registry.save().unwrap();
    let find = |id: &str| corpus.entries.iter().find(|e| e.id == id).unwrap();
    code(find("а.txt"), "Дмитрий Песков", "дмитрий-песков", "Переговоры возможны");
    code(find("б.txt"), "Пресс-секретарь Кремля", "пресс-секретарь-кремля", "Никаких переговоров");
    dir
}

/// What newsnote counts from disk: (mentions, claims, articles) of the entity each resolves to.
fn usage_on_disk(dir: &Path) -> Vec<(String, usize, usize, usize)> {
    let corpus = Corpus::open(dir, AnnotationRoot::NextToArticles).unwrap();
    let registry = Registry::open(&dir.join("sources.ron")).unwrap();
    let index = MentionIndex::build(&corpus, Codebook::default_scheme());
    index
        .usage(&registry)
        .into_iter()
        .map(|(id, u)| (id.to_string(), u.mentions.len(), u.claims.len(), u.articles.len()))
        .collect()
}

fn registry_on_disk(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("sources.ron")).unwrap()
}

#[test]
fn merging_two_entities_mentioned_in_two_articles_and_undoing_it_is_on_screen_and_on_disk_at_each_step() {
    let dir = two_articles_two_entities();
    let root = dir.path();
    assert_eq!(
        usage_on_disk(root),
        [("дмитрий-песков".to_string(), 1, 1, 1), ("пресс-секретарь-кремля".to_string(), 1, 1, 1)]
    );
    let mut s = Session::start(root, 120, 40);
    s.wait_mode("LIST");
    s.send("E");
    s.wait_for("2 of 2 entities");
    // Same claims: by name, Дмитрий first. Mark the second, merge it into the first.
    s.send("jm");
    s.wait_for("marked: Пресс-секретарь Кремля");
    s.send("gM");
    s.wait_for("merge “Пресс-секретарь Кремля” into “Дмитрий Песков”?");
    s.send("y");
    s.wait_for("1 of 1 entities");
    s.wait_until("the merge on disk", |_| registry_on_disk(root).contains("merged_into: Some(\"дмитрий-песков\")"));
    let (row, _) = s.find_or_fail("Дмитрий Песков");
    let cells: Vec<String> = s.row(row).split_whitespace().map(str::to_owned).collect();
    assert!(
        cells.windows(3).any(|w| w == ["2", "2", "2"]),
        "both articles' mentions and claims count for him: {cells:?}"
    );
    assert_eq!(usage_on_disk(root), [("дмитрий-песков".to_string(), 2, 2, 2)]);
    // No mention was rewritten: each article's file still names its own entity.
    assert!(std::fs::read_to_string(root.join("б.ron")).unwrap().contains("пресс-секретарь-кремля"));

    s.send("u");
    s.wait_for("2 of 2 entities");
    s.wait_until("the undo on disk", |_| !registry_on_disk(root).contains("merged_into"));
    assert_eq!(
        usage_on_disk(root),
        [("дмитрий-песков".to_string(), 1, 1, 1), ("пресс-секретарь-кремля".to_string(), 1, 1, 1)]
    );
    let registry = Registry::open(&root.join("sources.ron")).unwrap();
    let peskov = registry.get(&EntityId::new("дмитрий-песков")).unwrap();
    assert!(peskov.aliases.is_empty(), "undo takes back the names the merge brought: {:?}", peskov.aliases);

    s.send("q");
    s.wait_mode("LIST");
    s.quit_with("q");
}
