//! Tests of the `.ann` reader: every kind of line, and each way a line can be bad.
use super::*;

fn read(ann: &str) -> (BratDoc, Vec<String>) {
    let (doc, warnings) = parse(Path::new("dir/a.ann"), ann);
    (doc, warnings.iter().map(ToString::to_string).collect())
}

/// A PolNeAR-style attribution: a quote interrupted by “he said” as one discontinuous Content,
/// two sources, a cue whose span is also the trigger's.
const ATTRIBUTION: &str = "T1\tSource 0 6\tПесков\n\
T2\tCue 26 32\tсказал\n\
T3\tContent 7 24;34 45\t«Мы не согласны», — продолжил он\n\
T4\tAttribution 26 32\tсказал\n\
T5\tSource 50 55\tЗoë R\n\
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1 Source2:T5\n\
A1\tType E1 Direct\n\
A2\tPolarity T3 Negative\n\
M1\tNested E1\n\
#1\tAnnotatorNotes E1\t  interrupted quote  \n\
#2\tAnnotatorNotes T1\tпресс-секретарь\n\
N1\tReference T1 Wikidata:Q4382925\tДмитрий Песков\n\
*\tAlias T1 T5\n";

#[test]
fn an_attribution_event_reads_with_its_fragments_numbered_roles_attributes_and_notes() {
    let (doc, warnings) = read(ATTRIBUTION);
    assert!(warnings.is_empty(), "{warnings:?}");
    let content = doc.entity("T3").unwrap();
    assert_eq!(content.fragments, [CharSpan::new(7, 24), CharSpan::new(34, 45)]);
    assert_eq!(content.text.as_deref(), Some("«Мы не согласны», — продолжил он"));
    let e = doc.event("E1").unwrap();
    assert_eq!((e.ty.as_str(), e.trigger.as_str(), e.line), ("Attribution", "T4", 6));
    let args: Vec<(&str, &str)> = e.args.iter().map(|a| (a.role.as_str(), a.id.as_str())).collect();
    assert_eq!(args, [("Content", "T3"), ("Cue", "T2"), ("Source", "T1"), ("Source", "T5")]);
    let on_e1: Vec<(&str, Option<&str>)> =
        doc.attributes_of("E1").map(|a| (a.name.as_str(), a.value.as_deref())).collect();
    assert_eq!(on_e1, [("Type", Some("Direct")), ("Nested", None)]);
    assert_eq!(doc.attributes_of("T3").next().unwrap().value.as_deref(), Some("Negative"));
    assert_eq!(doc.notes_of("E1").next().unwrap().text, "interrupted quote", "brat trims notes");
    assert_eq!(doc.notes_of("T1").next().unwrap().text, "пресс-секретарь");
    let n = &doc.normalizations[0];
    assert_eq!((n.db.as_str(), n.db_id.as_str(), n.text.as_deref()), ("Wikidata", "Q4382925", Some("Дмитрий Песков")));
    assert_eq!(doc.equivalences[0].ids, ["T1", "T5"]);
}

#[test]
fn an_event_without_a_source_and_one_triggered_by_its_own_cue_are_kept() {
    let ann = "T1\tCue 0 9\tзаявили\nT2\tContent 10 20\tнет\nT3\tAttribution-no-source 0 9\tзаявили\n\
               E1\tAttribution-no-source:T3 Content:T2 Cue:T1\nE2\tAttribution:T1 Content:T2 Cue:T1\n";
    let (doc, warnings) = read(ann);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(doc.events.len(), 2);
    assert!(doc.events[0].args.iter().all(|a| a.role != "Source"));
    assert_eq!(doc.events[1].trigger, "T1", "brat refuses a trigger of another type; the data is kept");
}

#[test]
fn crlf_a_bom_and_trailing_tabs_read_like_plain_lines() {
    let plain = read(ATTRIBUTION).0;
    let crlf = format!("\u{feff}{}", ATTRIBUTION.replace('\n', "\t\r\n"));
    let (doc, warnings) = read(&crlf);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(doc, plain);
    let cr = ATTRIBUTION.replace('\n', "\r");
    assert_eq!(read(&cr).0, plain, "a lone CR ends a line too (universal newlines)");
}

#[test]
fn a_malformed_line_is_skipped_with_its_file_line_and_reason_and_the_rest_is_read() {
    for (bad, says) in [
        ("T9 Source 0 1 a", "no tab after the id"),
        ("T9\tSource 0 x\ta", "malformed T line"),
        ("T9\tSource 5 2\tab", "starts at 5, after its end 2"),
        ("T9\tSource 0 5;3 8\tab", "overlaps another"),
        ("T9\tSource 0 1; 2 3\ta b", "malformed T line"),
        ("T1\tClaim 0 1\tП", "T1 is defined twice (first on line 1)"),
        ("R9\tAttributedTo Arg1:T1", "malformed R (it needs two arguments) line"),
        ("R9\tAttributedTo Arg1:T1 Arg1:T2", "malformed R line"),
        ("E9\tAttribution", "malformed E line"),
        ("E9\tAttribution:T4 Source", "malformed E line"),
        ("A9\tType", "malformed attribute line"),
        ("A9\tType nothing Direct", "malformed attribute line"),
        ("N9\tReference T1 Q4382925", "malformed N line"),
        ("#9\tAnnotatorNotes\tx", "malformed # line"),
        ("Q9\tx y", "unknown kind of line 'Q'"),
        ("1\tx", "\"1\" is not a brat id"),
        ("\u{feff}T9\tSource 0 1\tП", "is not a brat id"),
    ] {
        let ann = format!("{}{bad}\nA8\tType E1 Indirect\n", &ATTRIBUTION[..ATTRIBUTION.find("A1").unwrap()]);
        let (doc, warnings) = read(&ann);
        assert_eq!(warnings.len(), 1, "{bad:?}: {warnings:?}");
        assert!(warnings[0].starts_with("dir/a.ann:7: "), "{bad:?}: {warnings:?}");
        assert!(warnings[0].contains(says) && warnings[0].ends_with(|c: char| c != '\n'), "{bad:?}: {warnings:?}");
        assert_eq!(doc.entities.len(), 5, "{bad:?}");
        assert_eq!(doc.attributes.len(), 1, "the line after the bad one is read: {bad:?}");
    }
}

#[test]
fn records_pointing_at_undefined_or_skipped_ids_are_dropped_in_a_cascade_with_their_lines() {
    let ann = "T1\tSource 0 6\tПесков\nT4\tAttribution 7 13\tсказал\nT9\tContent 0 x\tbad\n\
               E1\tAttribution:T4 Content:T9 Source:T1\nA1\tType E1 Direct\n#1\tAnnotatorNotes E1\tnote\n\
               E2\tAttribution:E1\nR1\tCoref Arg1:T1 Arg2:T7\n";
    let (doc, warnings) = read(ann);
    assert_eq!(
        warnings,
        [
            "dir/a.ann:3: malformed T line; skipped: \"T9\\tContent 0 x\\tbad\"",
            "dir/a.ann:4: E1 refers to T9, which is not defined; skipped",
            "dir/a.ann:5: A1 refers to E1, which is not defined; skipped",
            "dir/a.ann:6: #1 refers to E1, which is not defined; skipped",
            "dir/a.ann:7: E2: its trigger E1 is not a text span; skipped",
            "dir/a.ann:8: R1 refers to T7, which is not defined; skipped",
        ]
    );
    assert_eq!(doc.entities.len(), 2);
    assert!(doc.events.is_empty() && doc.attributes.is_empty() && doc.notes.is_empty() && doc.relations.is_empty());
}

#[test]
fn the_stated_text_is_brats_slice_of_the_text_field() {
    let t = |frags: &[(usize, usize)], text: Option<&str>| Entity {
        id: "T1".into(),
        ty: "Content".into(),
        fragments: frags.iter().map(|&(s, e)| CharSpan::new(s, e)).collect(),
        text: text.map(Into::into),
        line: 1,
    };
    assert_eq!(t(&[(0, 3), (6, 10)], Some("«М» — он")).stated_text(), Some("«М» — он"));
    assert_eq!(t(&[(0, 3), (6, 10)], Some("«М» — он comment")).stated_text(), Some("«М» — он"));
    assert_eq!(t(&[(0, 3), (6, 10)], Some("«М» — онx")).stated_text(), None, "not separated from the rest");
    assert_eq!(t(&[(0, 3), (6, 10)], Some("«М» —")).stated_text(), None, "shorter than the spans");
    assert_eq!(t(&[(0, 2)], None).stated_text(), None);
}

#[test]
fn roles_lose_only_their_number() {
    assert_eq!((plain_role("Source2"), plain_role("Source"), plain_role("Cue10")), ("Source", "Source", "Cue"));
    assert_eq!(plain_role("7"), "7", "at least one character stays");
    assert!(valid_id("T1") && valid_id("#1") && valid_id("#Note2x") && valid_id("AB12"));
    assert!(!valid_id("T") && !valid_id("1") && !valid_id("Ж1") && !valid_id(""));
}

mod props {
    use super::super::super::write_ann;
    use super::*;
    use proptest::prelude::*;

    /// Lines made of brat's separators, ids, digits and non-ASCII text in any order.
    fn line() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("T1".to_string()),
            Just("E2".to_string()),
            Just("A3".to_string()),
            Just("#4".to_string()),
            Just("*".to_string()),
            Just("\t".to_string()),
            Just(" ".to_string()),
            Just(":".to_string()),
            Just(";".to_string()),
            Just("\r".to_string()),
            Just("\u{feff}".to_string()),
            "[0-9]{1,3}",
            "[A-Za-zЖё“—]{0,4}",
        ];
        prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    fn token() -> impl Strategy<Value = String> {
        "[A-Za-z][A-Za-z0-9_-]{0,6}"
    }

    proptest! {
        /// Any text reads without a panic, every warning names a line of the input, and what
        /// was read, written again, reads back to the same records with no warning.
        #[test]
        fn any_input_reads_without_panicking_and_what_was_read_writes_back_exactly(lines in prop::collection::vec(line(), 0..12)) {
            let ann = lines.join("\n");
            let (doc, warnings) = parse(Path::new("p.ann"), &ann);
            let count = ann.split(['\n', '\r']).count();
            prop_assert!(warnings.iter().all(|w| w.line >= 1 && w.line <= count), "{warnings:?}");
            let again = write_ann(&doc);
            let (back, warnings) = parse(Path::new("p.ann"), &again);
            prop_assert!(warnings.is_empty(), "{again:?}: {warnings:?}");
            prop_assert_eq!(back.without_lines(), doc.without_lines());
        }

        /// Names and text of any kind survive a write and a read (text trimmed as brat trims it).
        #[test]
        fn entities_and_notes_with_any_text_round_trip(ty in token(), text in "[^\t\n\r\u{b}\u{c}\u{1c}-\u{1e}\u{85}\u{2028}\u{2029}]{0,12}", start in 0usize..50, len in 0usize..20) {
            let doc = BratDoc {
                entities: vec![Entity { id: "T1".into(), ty: ty.clone(), fragments: vec![CharSpan::new(start, start + len)], text: Some(text.clone()), line: 0 }],
                notes: vec![Note { id: "#1".into(), ty: "AnnotatorNotes".into(), target: "T1".into(), text: text.trim().to_string(), line: 0 }],
                ..BratDoc::default()
            };
            let (back, warnings) = parse(Path::new("p.ann"), &write_ann(&doc));
            prop_assert!(warnings.is_empty(), "{warnings:?}");
            let mut want = doc.clone();
            want.entities[0].text = Some(text.trim_end_matches('\t').to_string()).filter(|t| !t.is_empty());
            prop_assert_eq!(back.without_lines(), want);
        }
    }
}
