use super::*;
use std::path::Path;

const SMALL: &str = r#"(
    name: "Квоты",
    version: "0.1",
    labels: [
        (id: "Speaker", name: "Говорящий", key: "g", look: (colour: Cyan, style: [Bold])),
        (id: "Quote", name: "Цитата", key: "q", look: (colour: Yellow, style: [Underline])),
    ],
    attributes: [
        (id: "gender", name: "пол", labels: ["Speaker"], kind: One([
            (id: "f", name: "женщина", key: "f"),
            (id: "m", name: "мужчина", key: "m"),
        ])),
        (id: "checked", name: "проверено", labels: ["Quote"], kind: YesNo),
    ],
    relations: [(id: "said_by", name: "сказал", from: ["Quote"], to: ["Speaker"], many: true)],
)"#;

#[test]
fn the_embedded_default_codebook_is_valid_and_reproduces_the_format_1_scheme() {
    let b = Codebook::default_scheme();
    let ids: Vec<&str> = b.labels.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["Source", "Claim", "Cue", "Boilerplate"]);
    let kind = b.attribute("kind").unwrap();
    // The nine kinds of format 1, then the three the boilerplate detector added.
    assert_eq!(kind.kind.values().len(), 12);
    assert!(kind.required);
    assert_eq!(b.asked_on_tag("Boilerplate").map(|a| a.id.as_str()), Some("kind"));
    assert_eq!(b.asked_on_tag("Claim"), None, "the quote type is optional");
    let qt: Vec<&str> = b.attribute("quote_type").unwrap().kind.values().iter().map(|v| v.id.as_str()).collect();
    assert_eq!(qt, ["direct", "indirect", "mixed"]);
    let src = b.relation("source").unwrap();
    assert!(src.many && src.shared && src.required);
    let cue = b.relation("cue").unwrap();
    assert!(cue.many && !cue.shared);
}

#[test]
fn a_codebook_of_ones_own_loads_with_its_names_keys_and_looks() {
    let b = load::parse(Path::new("kb.ron"), SMALL).unwrap();
    assert_eq!(b.label_for_key("q").unwrap().name, "Цитата");
    assert_eq!(b.look(&LabelId::new("Speaker")).letter, "Г");
    assert_eq!(b.look(&LabelId::new("Speaker")).class, "speaker");
    assert_eq!(b.relations_from("Quote").count(), 1);
    assert_eq!(b.attributes_for("Speaker").map(|a| a.id.as_str()).collect::<Vec<_>>(), ["gender"]);
    // Distinct channels, the first label on top; 0 left for unknown labels.
    assert_eq!(b.look(&LabelId::new("Speaker")).channel, 2);
    assert_eq!(b.look(&LabelId::new("Quote")).channel, 1);
    assert_eq!(b.look(&LabelId::new("Gone")).channel, 0);
    assert_eq!(b.label_name(&LabelId::new("Gone")), "Gone (not in the codebook)");
}

#[test]
fn the_hash_changes_with_meaning_not_with_layout_or_comments() {
    let a = load::parse(Path::new("a.ron"), SMALL).unwrap();
    let relaid = format!("// a comment\n{}", SMALL.replace("\n        ", "\n "));
    let b = load::parse(Path::new("b.ron"), &relaid).unwrap();
    assert_eq!(a.reference(), b.reference());
    let c = load::parse(Path::new("c.ron"), &SMALL.replace("женщина", "женщины")).unwrap();
    assert_ne!(a.reference().hash, c.reference().hash);
    assert_eq!(a.reference().hash.len(), 16);
}

#[test]
fn a_broken_codebook_is_refused_with_file_line_and_what_to_do() {
    let cases = [
        (SMALL.replace("key: \"q\"", "key: \"g\""), "kb.ron:6: label \"Quote\": key \"g\" is already another label's"),
        (
            SMALL.replace("labels: [\"Quote\"], kind: YesNo", "labels: [\"Nope\"], kind: YesNo"),
            "kb.ron:13: attribute \"checked\" applies to label \"Nope\"",
        ),
        (
            SMALL.replace("to: [\"Speaker\"]", "to: [\"Speakr\"]"),
            "kb.ron:15: relation \"said_by\" names label \"Speakr\"",
        ),
        (
            SMALL.replace("key: \"m\"", "key: \"f\""),
            "kb.ron:11: attribute \"gender\": value \"m\" needs its own one-character key",
        ),
        (SMALL.replace("key: \"q\"", "key: \"qq\""), "kb.ron:6: label \"Quote\": key \"qq\" must be one character"),
    ];
    for (text, want) in cases {
        let err = load::parse(Path::new("kb.ron"), &text).unwrap_err().to_string();
        assert!(err.starts_with(want), "{err}\n  wanted {want}");
    }
    let err = load::parse(Path::new("kb.ron"), "(name: \"x\", version: \"1\", labels: [(id: \"A\", oops)])")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("kb.ron:1:") && err.contains("newsnote codebook"), "{err}");
}

#[test]
fn values_and_labels_the_codebook_lacks_are_kept_and_named_as_misfits() {
    let b = load::parse(Path::new("kb.ron"), SMALL).unwrap();
    let text = "Она сказала";
    let bytes = crate::model::units::ByteRange::new(0, "Она".len());
    let mut a = Annotation::new_manual(
        LabelId::new("Speaker"),
        text,
        bytes,
        crate::model::units::CharRange::new(0, 3),
        "т",
        "2026-12-01T00:00:00Z",
    );
    assert!(b.misfits(&a).is_empty());
    a.attributes.insert("gender".into(), AttrValue::One("x".into()));
    a.attributes.insert("mood".into(), AttrValue::Text("?".into()));
    a.links.insert("said_by".into(), vec![]);
    let m = b.misfits(&a);
    assert!(m.iter().any(|s| s.contains("\"gender\": value \"x\" is not in the codebook")), "{m:?}");
    assert!(m.iter().any(|s| s.contains("attribute \"mood\" is not in the codebook")), "{m:?}");
    assert!(m.iter().any(|s| s.contains("relation \"said_by\" does not start at Speaker")), "{m:?}");
    assert_eq!(b.value_name("gender", &AttrValue::One("x".into())), "x?");
    assert_eq!(b.value_name("gender", &AttrValue::One("f".into())), "женщина");
}

#[test]
fn typed_values_parse_or_say_why_not() {
    assert_eq!(AttrValue::parse(&AttrKind::YesNo, "Да"), Err("\"Да\": answer yes or no".into()));
    assert_eq!(AttrValue::parse(&AttrKind::YesNo, "yes"), Ok(AttrValue::YesNo(true)));
    assert!(AttrValue::parse(&AttrKind::Number, "3,5").is_err());
    assert_eq!(AttrValue::parse(&AttrKind::Number, " -0.5 "), Ok(AttrValue::Number("-0.5".into())));
    assert!(AttrValue::parse(&AttrKind::Date, "2026-13-01").is_err());
    assert_eq!(AttrValue::parse(&AttrKind::Date, "2026-12-01"), Ok(AttrValue::Date("2026-12-01".into())));
    assert_eq!(AttrValue::parse(&AttrKind::Text, "«да»"), Ok(AttrValue::Text("«да»".into())));
}

#[test]
fn labels_whose_names_start_alike_get_letters_that_differ() {
    let text = SMALL.replace("name: \"Цитата\"", "name: \"Голос\"");
    let b = load::parse(Path::new("kb.ron"), &text).unwrap();
    let (a, q) = (b.look(&LabelId::new("Speaker")).letter.clone(), b.look(&LabelId::new("Quote")).letter.clone());
    assert_eq!((a.as_str(), q.as_str()), ("Г", "О"), "Говорящий and Голос");
    let d = Codebook::default_scheme();
    let letters: Vec<&str> = d.labels.iter().map(|l| d.look(&LabelId::new(l.id.clone())).letter.as_str()).collect();
    assert_eq!(letters, ["S", "C", "V", "B"]);
}

#[test]
fn every_detector_category_maps_to_a_value_of_the_default_codebook() {
    let b = Codebook::default_scheme();
    let sg = b.suggestions.as_ref().unwrap();
    let bp = sg.boilerplate.as_ref().unwrap();
    // Mapped explicitly, not by `otherwise`: each kind the issue names has its own value.
    for c in [
        "navigation",
        "consent-banner",
        "newsletter-prompt",
        "donation-appeal",
        "related-links",
        "advertisement",
        "share-bar",
        "comments",
        "copyright-footer",
        "duplicated-headline",
        "template-residue",
    ] {
        assert!(bp.values.contains_key(c), "{c}");
    }
    assert_eq!(bp.value_of("никакая"), Some(Some("Other")));
    assert_eq!(sg.quotes.as_ref().unwrap().value_of("mixed"), Some(Some("mixed")));
}

#[test]
fn a_suggestions_section_naming_what_the_codebook_lacks_is_refused_with_its_line() {
    let with = |section: &str| SMALL.trim_end().trim_end_matches(')').to_owned() + section + "\n)";
    let bad = with(
        r#"    suggestions: (boilerplate: (label: "Quote", attribute: "checked", values: {"navigation": "nav"})),"#,
    );
    let e = load::parse(Path::new("kb.ron"), &bad).unwrap_err().to_string();
    assert!(e.contains("kb.ron") && e.contains("\"nav\" is not a value of attribute \"checked\""), "{e}");
    let bad = with(r#"    suggestions: (quotes: (label: "Speaker")),"#);
    let e = load::parse(Path::new("kb.ron"), &bad).unwrap_err().to_string();
    assert!(e.contains("attribution's content label"), "{e}");
    let good = with(r#"    suggestions: (boilerplate: (label: "Quote")),"#);
    assert!(load::parse(Path::new("kb.ron"), &good).is_ok());
}
