use super::*;
use crate::model::annotation::AttrValue;
use crate::model::codebook::Codebook;

const NOW: &str = "2026-12-01T00:00:00Z";
const APPEAL: &str = "Поддержите независимую журналистику: пожертвуйте «Новой газете» сегодня, каждый рубль важен.";

fn map() -> &'static CategoryMap {
    Codebook::default_scheme().suggestions.as_ref().and_then(|s| s.boilerplate.as_ref()).expect("a boilerplate map")
}

fn article(id: &str, text: &str) -> Article {
    Article::from_text(id.into(), id.into(), text.into(), Vec::new())
}

/// An annotation of the map's label over `quote` in `art`, of kind `kind`, in `status`.
fn coded(art: &Article, quote: &str, kind: &str, status: Status) -> Annotation {
    let at = art.text.find(quote).expect("the quote is in the text");
    let bytes = ByteRange::new(at, at + quote.len());
    let chars = art.index.to_chars(&art.text, bytes);
    let a = Annotation::new_manual(LabelId::new(&map().label), &art.text, bytes, chars, "анна", NOW);
    Annotation { status, ..a.with_value(map().attribute.as_deref().unwrap(), kind) }
}

fn kind(a: &Annotation) -> Option<&str> {
    match a.attributes.get(map().attribute.as_deref().unwrap()) {
        Some(AttrValue::One(v)) => Some(v),
        _ => None,
    }
}

/// Outlets that learned `APPEAL` accepted (of kind "DonationAppeal") in `a.txt` of the root.
fn learned() -> Outlets {
    let a = article("a.txt", &format!("Заголовок\n\nТекст статьи.\n\n{APPEAL}\n"));
    let mut o = Outlets::default();
    o.learn("folder:", "a.txt", &[coded(&a, APPEAL, "DonationAppeal", Status::Accepted)], map());
    o
}

#[test]
fn accepted_boilerplate_is_proposed_in_another_article_of_the_outlet_with_its_kind() {
    let b = article("b.txt", &format!("Другой заголовок\n\nДругой текст.\n\n  {}  \n", APPEAL.to_uppercase()));
    let made = learned().propose("folder:", &b, &[], map(), NOW);
    assert_eq!(made.len(), 1, "{made:?}");
    let p = &made[0];
    assert_eq!(p.quote, APPEAL.to_uppercase(), "the line, whitespace at its edges left out");
    assert_eq!((p.status, p.label.as_str(), kind(p)), (Status::Proposed, map().label.as_str(), Some("DonationAppeal")));
    let s = p.suggestion.as_ref().unwrap();
    assert_eq!((s.detector.as_str(), s.version, s.category.as_str()), (NAME, VERSION, "same-text"));
    assert!(s.reason.contains("a.txt"), "{}", s.reason);
}

#[test]
fn nearly_the_same_line_is_proposed_and_other_text_is_not() {
    let near = APPEAL.replace("газете", "газеты");
    let b = article("b.txt", &format!("Другой заголовок\n\n{near}\n\nПоддержите соседей: помогите им сегодня.\n"));
    let made = learned().propose("folder:", &b, &[], map(), NOW);
    assert_eq!(made.iter().map(|a| a.quote.as_str()).collect::<Vec<_>>(), [near.as_str()]);
    assert_eq!(made[0].suggestion.as_ref().unwrap().category, "near-duplicate");
}

#[test]
fn another_outlet_and_the_article_it_was_learned_from_get_nothing() {
    let b = article("b.txt", &format!("Заголовок\n\n{APPEAL}\n"));
    assert!(learned().propose("host:example.org", &b, &[], map(), NOW).is_empty(), "another outlet");
    let a = article("a.txt", &format!("Заголовок\n\n{APPEAL}\n"));
    assert!(learned().propose("folder:", &a, &[], map(), NOW).is_empty(), "its own article");
}

#[test]
fn only_accepted_boilerplate_is_learned() {
    let a = article("a.txt", &format!("Заголовок\n\n{APPEAL}\n"));
    let mut o = Outlets::default();
    for status in [Status::Proposed, Status::Rejected] {
        o.learn("folder:", "a.txt", &[coded(&a, APPEAL, "DonationAppeal", status)], map());
    }
    assert!(o.is_empty(), "open and rejected suggestions teach nothing");
}

#[test]
fn an_overlapping_annotation_of_the_label_in_any_status_stops_the_proposal() {
    let b = article("b.txt", &format!("Заголовок\n\n{APPEAL}\n"));
    let o = learned();
    let first = o.propose("folder:", &b, &[], map(), NOW);
    assert_eq!(first.len(), 1);
    assert!(o.propose("folder:", &b, &first, map(), NOW).is_empty(), "a second run adds nothing");
    let turned_down = first[0].with_status(Status::Rejected, NOW);
    assert!(o.propose("folder:", &b, &[turned_down], map(), NOW).is_empty(), "a rejected one is not made again");
    let part = coded(&b, "пожертвуйте", "Other", Status::Accepted);
    assert!(o.propose("folder:", &b, &[part], map(), NOW).is_empty(), "a person's annotation over part of it wins");
}

#[test]
fn adjacent_lines_of_one_accepted_annotation_are_one_proposal() {
    let footer = "© 2026 «Новая газета». Все права защищены.\nПерепечатка только с разрешения редакции.";
    let a = article("x/a.txt", &format!("Заголовок\n\nТекст.\n\n{footer}\n"));
    let mut o = Outlets::default();
    o.learn("folder:x", "x/a.txt", &[coded(&a, footer, "Copyright", Status::Accepted)], map());
    let b = article("x/b.txt", &format!("Заголовок 2\n\nТекст 2.\n\n{footer}\n"));
    let made = o.propose("folder:x", &b, &[], map(), NOW);
    assert_eq!(made.iter().map(|a| a.quote.as_str()).collect::<Vec<_>>(), [footer]);
    assert_eq!(kind(&made[0]), Some("Copyright"));
}

#[test]
fn the_outlet_is_the_host_else_the_named_outlet_else_the_folder() {
    let meta = |url: Option<&str>, outlet: Option<&str>| ArticleMeta {
        url: url.map(str::to_owned),
        outlet: outlet.map(str::to_owned),
        ..Default::default()
    };
    assert_eq!(
        outlet_of("x/a.html", &meta(Some("https://www.Example.org:443/новости/1"), Some("Ex"))),
        "host:example.org"
    );
    assert_eq!(outlet_of("x/a.html", &meta(None, Some(" Новая газета "))), "outlet:новая газета");
    assert_eq!(outlet_of("лента/2026/a.txt", &meta(None, None)), "folder:лента/2026");
    assert_eq!(outlet_of("a.txt", &meta(None, None)), "folder:");
    assert_eq!(outlet_of("dump.jsonl#k1", &meta(None, None)), "folder:dump.jsonl");
}
