//! The HTML review page parsed as HTML (html5ever via `scraper`): structure, anchors, painted
//! text and escaping, without a browser.

mod common;

use common::samples::samples;
use newsnote::export::ExportArticle;
use newsnote::export::html::{anchor, render};
use newsnote::model::annotation::{Annotation, AnnotationId, LabelId};
use newsnote::model::units::{ByteRange, CharRange};
use scraper::{ElementRef, Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn parse(html: &str) -> Html {
    let doc = Html::parse_document(html);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    doc
}

fn by_id<'a>(doc: &'a Html, id: &str) -> ElementRef<'a> {
    doc.select(&sel(&format!("[id=\"{id}\"]"))).next().unwrap_or_else(|| panic!("no element #{id}"))
}

/// The text of an element as the page shows it, leaving out the hidden tooltips.
fn shown_text(el: ElementRef) -> String {
    el.descendants()
        .filter(|n| !n.ancestors().any(|a| a.value().as_element().is_some_and(|e| e.classes().any(|c| c == "tip"))))
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect()
}

fn attr<'a>(el: ElementRef<'a>, name: &str) -> &'a str {
    el.value().attr(name).unwrap_or_else(|| panic!("no {name} on {:?}", el.value()))
}

#[test]
fn page_is_valid_html_with_generator_offset_unit_totals_and_legend() {
    let doc = parse(&render(&samples(), newsnote::model::codebook::Codebook::default_scheme()));
    let meta = doc.select(&sel("meta[name=generator]")).next().unwrap();
    assert!(attr(meta, "content").starts_with("newsnote "));
    let unit = doc.select(&sel("meta[name=newsnote-offset-unit]")).next().unwrap();
    assert_eq!(attr(unit, "content"), "unicode-code-point");
    assert_eq!(doc.select(&sel("script")).count(), 1);
    assert_eq!(doc.select(&sel("link, img, iframe, [src]")).count(), 0, "nothing loaded from outside");
    let totals: Vec<(String, String)> = doc
        .select(&sel(".totals > div"))
        .map(|d| {
            let t = |s| d.select(&sel(s)).next().unwrap().text().collect::<String>();
            (t("dt"), t("dd"))
        })
        .collect();
    let want = [
        ("articles", "2"),
        ("sources", "27"),
        ("claims", "36"),
        ("claims with no source", "9"),
        ("cue", "26"),
        ("boilerplate", "4"),
    ];
    assert_eq!(totals, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
    for label in ["source", "claim", "boilerplate"] {
        assert!(doc.select(&sel(&format!(".legend .sw.{label}"))).next().is_some(), "{label}");
    }
    assert!(doc.select(&sel(".legend")).next().unwrap().text().collect::<String>().contains("Unicode code points"));
}

#[test]
fn every_annotation_is_a_focusable_mark_with_a_tooltip_and_links_both_ways() {
    let arts = samples();
    let doc = parse(&render(&arts, newsnote::model::codebook::Codebook::default_scheme()));
    for (i, art) in arts.iter().enumerate() {
        for a in &art.annotations {
            let id = anchor("a", i, &a.id.0);
            let m = by_id(&doc, &id);
            assert_eq!(m.value().name(), "mark");
            assert_eq!(attr(m, "tabindex"), "0");
            assert_eq!(attr(m, "data-id"), a.id.0);
            let label = a.label.as_str().to_lowercase();
            assert!(m.value().classes().any(|c| c == label), "{id}");
            let tip = m.select(&sel(":scope > span.tip[role=tooltip]")).next().expect("tooltip");
            assert_eq!(attr(m, "aria-describedby"), attr(tip, "id"));
            let tip_text = tip.text().collect::<String>();
            for want in [a.label.to_string(), a.author.clone(), a.created.clone()] {
                assert!(tip_text.contains(&want), "{id}: {want} not in {tip_text}");
            }
            if let Some(note) = &a.note {
                assert!(tip_text.contains(note.as_str()), "{id}");
            }
            if a.label == LabelId::new("Claim") {
                let by = art
                    .source_of(newsnote::model::codebook::Codebook::default_scheme(), a)
                    .map_or("none".to_owned(), |s| s.quote.clone());
                assert!(tip_text.contains(&by), "{id}: {by}");
            }
            // The painted fragments together are exactly the quote (line breaks sit between <p>s).
            let mut painted = shown_text(m);
            for cont in doc.select(&sel(&format!("mark[data-for=\"{id}\"]"))) {
                painted.push_str(&shown_text(cont));
            }
            assert_eq!(painted, a.quote.replace('\n', ""), "{id}");
            // List item → span, span → list item.
            let li = by_id(&doc, &anchor("l", i, &a.id.0));
            assert_eq!(li.value().name(), "li");
            assert!(li.select(&sel(&format!("a[href=\"#{id}\"]"))).next().is_some());
            assert!(tip.select(&sel(&format!("a[href=\"#{}\"]", anchor("l", i, &a.id.0)))).next().is_some());
        }
    }
}

#[test]
fn text_keeps_every_paragraph_and_nothing_else() {
    let arts = samples();
    let doc = parse(&render(&arts, newsnote::model::codebook::Codebook::default_scheme()));
    let texts: Vec<_> = doc.select(&sel(".article .text")).collect();
    assert_eq!(texts.len(), arts.len());
    for (art, t) in arts.iter().zip(texts) {
        let ps: Vec<String> = t.select(&sel(":scope > p")).map(shown_text).collect();
        let lines: Vec<&str> = art.text.split('\n').filter(|l| !l.is_empty()).collect();
        assert_eq!(ps, lines);
    }
    // Blank-line paragraphs (002) and single-break paragraphs (000, and the donation footer).
    assert!(doc.select(&sel("#art-0 .text > p.nl")).count() >= 8);
    assert!(doc.select(&sel("#art-1 .text > p:not(.nl)")).count() >= 20);
}

#[test]
fn nested_source_stays_inside_its_claim_and_boilerplate_is_painted() {
    let doc = parse(&render(&samples(), newsnote::model::codebook::Codebook::default_scheme()));
    let inner = doc.select(&sel("mark.claim mark.source")).map(|m| attr(m, "id")).collect::<Vec<_>>();
    assert_eq!(inner, ["a1-88a91587"]);
    let claim = by_id(&doc, "a1-baa01d51");
    assert!(claim.select(&sel("[id=\"a1-88a91587\"]")).next().is_some());
    let appeal = by_id(&doc, "a1-aed2b282");
    assert_eq!(attr(appeal, "data-kind"), "DonationAppeal");
    assert!(appeal.value().classes().any(|c| c == "boilerplate"));
    assert!(shown_text(appeal).starts_with("Understand the importance of honest news"));
    assert!(doc.select(&sel("mark.boilerplate.cont[data-for=a1-aed2b282]")).count() >= 8);
    let h4: Vec<String> = doc.select(&sel("#art-1 .lists h4")).map(|h| h.text().collect()).collect();
    assert_eq!(h4, ["cue", "duplicated headline", "donation appeal", "copyright footer", "template residue"]);
    let callouts: Vec<String> = doc.select(&sel(".callout")).map(|c| c.text().collect()).collect();
    assert_eq!(callouts, ["⚠ 2 of 19 claims have no source", "⚠ 7 of 17 claims have no source"]);
}

fn ann(text: &str, id: &str, label: LabelId, start: usize, end: usize) -> Annotation {
    let mut a = Annotation::new_manual(
        label,
        text,
        ByteRange::new(start, end),
        CharRange::new(start, end),
        "<img src=x onerror=alert(5)>",
        "2026-01-01T00:00:00Z",
    );
    a.id = AnnotationId(id.into());
    a
}

#[test]
fn hostile_article_stays_text() {
    let text = "<script>alert(1)</script> \"onmouseover=alert(2) &amp; 'x'\n\n<b>bold</b>";
    let mut claim = ann(text, "\" onfocus=\"alert(3)", LabelId::new("Claim"), 0, 25);
    claim.note = Some("</span><img src=x onerror=alert(1)>".into());
    claim.links.insert("source".into(), vec![AnnotationId("s<1>".into())]);
    let source = ann(text, "s<1>", LabelId::new("Source"), 26, 57);
    let title = "<script>alert('t')</script> & co";
    let art = ExportArticle::new("<i>x</i>.txt".into(), title.into(), text.into(), vec![claim, source]);
    let html = render(&[art], newsnote::model::codebook::Codebook::default_scheme());
    let doc = parse(&html);
    assert_eq!(doc.select(&sel("script")).count(), 1);
    assert!(!doc.select(&sel("script")).next().unwrap().inner_html().contains("alert"));
    assert_eq!(doc.select(&sel("img, i, [src]")).count(), 0);
    // The only <b> are the page's own tooltip headings.
    assert!(
        doc.select(&sel("b"))
            .all(|b| b.parent().and_then(ElementRef::wrap).is_some_and(|p| attr(p, "class") == "tip-h"))
    );
    for el in doc.root_element().descendants().filter_map(ElementRef::wrap) {
        for (name, _) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler attribute {name} on {:?}", el.value());
        }
    }
    assert_eq!(doc.select(&sel("article h2")).next().unwrap().text().collect::<String>(), title);
    let ps: Vec<String> = doc.select(&sel(".text > p")).map(shown_text).collect();
    assert_eq!(ps, ["<script>alert(1)</script> \"onmouseover=alert(2) &amp; 'x'", "<b>bold</b>"]);
    let m = by_id(&doc, &anchor("a", 0, "\" onfocus=\"alert(3)"));
    assert_eq!(attr(m, "data-id"), "\" onfocus=\"alert(3)");
    assert_eq!(shown_text(m), "<script>alert(1)</script>");
    let tip = m.select(&sel(".tip")).next().unwrap().text().collect::<String>();
    assert!(tip.contains("</span><img src=x onerror=alert(1)>"), "{tip}");
    assert!(tip.contains("<img src=x onerror=alert(5)>"), "{tip}");
    assert!(tip.contains("\"onmouseover=alert(2) &amp; 'x'"), "{tip}");
    let by = m.select(&sel(".tip a.by")).next().unwrap();
    assert_eq!(attr(by, "href"), format!("#{}", anchor("a", 0, "s<1>")));
    by_id(&doc, &anchor("a", 0, "s<1>"));
}
