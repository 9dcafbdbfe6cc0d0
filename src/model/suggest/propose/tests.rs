use super::*;
use crate::model::annotation::{AttrValue, Status};

fn sample(name: &str) -> Article {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles").join(name);
    crate::model::load::load_source(crate::model::load::Source::File(&path), name.into()).unwrap()
}

fn run(article: &Article, detectors: &[Detector], existing: &[Annotation]) -> Vec<Annotation> {
    let ask =
        Ask { detectors, book: Codebook::default_scheme(), existing, registry: None, now: "2026-12-01T00:00:00Z" };
    propose(article, &ask)
}

fn kind(a: &Annotation) -> &str {
    match a.attributes.get("kind") {
        Some(AttrValue::One(v)) => v,
        _ => "",
    }
}

#[test]
fn the_second_samples_boilerplate_is_proposed_with_the_codebooks_kinds() {
    let art = sample("002_915808095f53d4db.txt");
    let made = run(&art, &[Detector::Boilerplate], &[]);
    let kinds: Vec<&str> = made.iter().map(kind).collect();
    for k in ["DuplicateHeadline", "DonationAppeal", "TemplateResidue", "Copyright"] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    for a in &made {
        assert_eq!((a.status, a.label.as_str()), (Status::Proposed, "Boilerplate"));
        let s = a.suggestion.as_ref().unwrap();
        assert_eq!((s.detector.as_str(), s.version), ("boilerplate", boilerplate::VERSION));
        assert!(s.confidence > 0 && !s.reason.is_empty());
        assert_eq!(a.quote, a.quote.trim(), "a span never starts or ends with whitespace");
    }
}

#[test]
fn a_second_run_proposes_nothing_new_and_a_rejected_suggestion_stays_rejected() {
    let art = sample("000_e37f52fc02921a26.txt");
    let all = [Detector::Boilerplate, Detector::Quotes];
    let first = run(&art, &all, &[]);
    assert!(first.iter().any(|a| a.label.as_str() == "Claim"), "the first sample has quotes");
    assert!(run(&art, &all, &first).is_empty(), "idempotent");
    let now = "2026-12-02T00:00:00Z";
    let turned_down: Vec<Annotation> = first.iter().map(|a| a.with_status(Status::Rejected, now)).collect();
    assert!(run(&art, &all, &turned_down).is_empty(), "rejected suggestions are not proposed again");
}

#[test]
fn a_claim_is_linked_to_its_proposed_cue_and_source() {
    let art = Article::from_text(
        "t".into(),
        "t.txt".into(),
        "Заголовок\n\n“The proposal remains on the table,” Kremlin spokesman Dmitry Peskov said on Tuesday.\n".into(),
        Vec::new(),
    );
    let made = run(&art, &[Detector::Quotes], &[]);
    let claim = made.iter().find(|a| a.label.as_str() == "Claim").expect("a claim");
    assert_eq!(claim.quote, "The proposal remains on the table,");
    assert_eq!(claim.attributes.get("quote_type"), Some(&AttrValue::One("direct".into())));
    let get = |rel: &str| {
        let id = claim.linked(rel).first().unwrap_or_else(|| panic!("no {rel}"));
        made.iter().find(|a| &a.id == id).unwrap()
    };
    assert_eq!((get("cue").label.as_str(), get("cue").quote.as_str()), ("Cue", "said"));
    assert_eq!(get("source").label.as_str(), "Source");
    assert!(get("source").quote.ends_with("Dmitry Peskov"), "{}", get("source").quote);
    // --only sources: the speaker alone.
    let only = run(&art, &[Detector::Sources], &[]);
    assert_eq!(only.iter().map(|a| a.label.as_str()).collect::<Vec<_>>(), ["Source"]);
}

#[test]
fn a_persons_annotation_is_never_changed_and_a_claim_reuses_their_source() {
    let text = "“Мы готовы,” said Maria Zakharova.\n";
    let art = Article::from_text("t".into(), "t.txt".into(), text.into(), Vec::new());
    let b = text.find("Maria").unwrap();
    let bytes = ByteRange::new(b, b + "Maria Zakharova".len());
    let mine = Annotation::new_manual(
        LabelId::new("Source"),
        text,
        bytes,
        art.index.to_chars(text, bytes),
        "ана",
        "2026-01-01T00:00:00Z",
    );
    let made = run(&art, &[Detector::Quotes], std::slice::from_ref(&mine));
    assert!(made.iter().all(|a| a.id != mine.id), "nothing replaces it");
    assert!(!made.iter().any(|a| a.label.as_str() == "Source"), "the person's source is not doubled: {made:?}");
    let claim = made.iter().find(|a| a.label.as_str() == "Claim").unwrap();
    assert_eq!(claim.linked("source"), std::slice::from_ref(&mine.id));
}

#[test]
fn a_codebook_without_a_suggestions_section_gets_none() {
    let mut book = Codebook::default_scheme().clone();
    book.suggestions = None;
    let art = sample("002_915808095f53d4db.txt");
    let ask =
        Ask { detectors: &Detector::ALL, book: &book, existing: &[], registry: None, now: "2026-12-01T00:00:00Z" };
    assert!(propose(&art, &ask).is_empty());
}

#[test]
fn detectors_parse_from_their_only_names() {
    for d in Detector::ALL {
        assert_eq!(d.id().parse::<Detector>(), Ok(d));
    }
    assert!("speakers".parse::<Detector>().unwrap_err().contains("boilerplate, quotes, sources"));
}

#[test]
fn adjacent_blocks_of_one_kind_are_one_proposal() {
    let html = "<html><body><nav><ul><li><a href=/a>Главная</a></li><li><a href=/b>Новости</a></li>\
        <li><a href=/c>Спорт</a></li></ul></nav><article><h1>Заголовок статьи</h1>\
        <p>Первый абзац статьи достаточно длинный, чтобы быть текстом статьи, а не меню сайта.</p>\
        <p>Второй абзац тоже длинный и рассказывает о событиях, о которых пишет автор статьи.</p></article>\
        <footer><p>© 2026 Газета. Все права защищены.</p></footer></body></html>";
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("a.html");
    std::fs::write(&path, html).unwrap();
    let art = crate::model::load::load_source(crate::model::load::Source::File(&path), "a.html".into()).unwrap();
    let made = run(&art, &[Detector::Boilerplate], &[]);
    let nav: Vec<&Annotation> = made.iter().filter(|a| kind(a) == "Navigation").collect();
    assert_eq!(nav.len(), 1, "one span for the whole menu: {made:#?}");
    assert!(nav[0].quote.starts_with("Главная") && nav[0].quote.ends_with("Спорт"), "{:?}", nav[0].quote);
}
