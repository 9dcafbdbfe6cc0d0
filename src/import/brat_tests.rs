//! Tests of the brat reader: offsets, discontinuous spans, events, malformed lines.
use super::*;
use crate::model::annotation::{LabelId, Status};

fn build_with(map: &LabelMap, ann: &str, text: &str) -> Result<(Vec<Annotation>, Vec<String>), ImportError> {
    let d = document(
        Path::new("d.ann"),
        "d".into(),
        ann,
        text.into(),
        map,
        crate::model::codebook::Codebook::default_scheme(),
        "tester",
        "2026-01-01T00:00:00Z",
    )?;
    Ok((d.annotations, d.warnings))
}

fn build(ann: &str, text: &str) -> (Vec<Annotation>, Vec<String>) {
    build_with(&LabelMap::new(crate::model::codebook::Codebook::default_scheme()), ann, text).unwrap()
}

/// `needle`'s first occurrence in `text` as brat offsets "START END".
fn at(text: &str, needle: &str) -> String {
    let s = text[..text.find(needle).unwrap()].chars().count();
    format!("{s} {}", s + needle.chars().count())
}

fn source_quote<'a>(anns: &'a [Annotation], claim: &Annotation) -> &'a str {
    &anns.iter().find(|s| Some(&s.id) == claim.linked("source").first()).unwrap().quote
}

#[test]
fn offsets_count_code_points_past_emoji_and_cjk() {
    let text = "👍🏽 北京 said: 中文 rocks";
    let ann = "T1\tSource 3 5\t北京\nT2\tClaim 12 20\t中文 rocks\nR1\tAttributedTo Arg1:T2 Arg2:T1\n";
    let (anns, warnings) = build(ann, text);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!((anns[0].start, anns[0].end, anns[0].quote.as_str()), (3, 5, "北京"));
    assert_eq!((anns[1].quote.as_str(), anns[1].prefix.as_str()), ("中文 rocks", "👍🏽 北京 said: "));
    assert_eq!(anns[1].linked("source").first(), Some(&anns[0].id));
    assert!(anns.iter().all(|a| a.origin == Origin::Imported && a.status == Status::Accepted));
    assert!(anns.iter().all(|a| a.author == "tester" && a.created == "2026-01-01T00:00:00Z"));
}

#[test]
fn discontinuous_spans_join_over_whitespace_and_split_over_text() {
    let text = "Give now!\n\nPlease donate.\nShe said \"we lost\" and \"we won\".";
    let ann = format!(
        "T1\tBoilerplate {};{}\tGive now! Please donate.\nA1\tKind T1 DonationAppeal\n\
         T2\tSource {}\tShe\nT3\tClaim {};{}\twe lost we won\nR1\tAttributedTo Arg1:T3 Arg2:T2\n",
        at(text, "Give now!"),
        at(text, "Please donate."),
        at(text, "She"),
        at(text, "we lost"),
        at(text, "we won")
    );
    let (anns, warnings) = build(&ann, text);
    assert_eq!(
        (anns[0].label.as_str(), anns[0].attributes.get("kind").map(|v| v.to_string())),
        ("Boilerplate", Some("DonationAppeal".into()))
    );
    assert_eq!(anns[0].quote, "Give now!\n\nPlease donate.");
    let claims: Vec<&Annotation> = anns.iter().filter(|a| a.label == LabelId::new("Claim")).collect();
    assert_eq!(claims.iter().map(|c| c.quote.as_str()).collect::<Vec<_>>(), ["we lost", "we won"]);
    assert!(claims.iter().all(|c| source_quote(&anns, c) == "She"));
    assert_eq!(warnings, ["d.ann:4: T3 has text between its fragments; imported as 2 separate spans"]);
}

/// Numbered T lines (from T1) for the first occurrence of each quote.
fn t_lines(text: &str, spans: &[(&str, &str)]) -> String {
    spans.iter().enumerate().map(|(i, (ty, q))| format!("T{}\t{ty} {}\t{q}\n", i + 1, at(text, q))).collect()
}

#[test]
fn parc_style_events_link_content_to_source_and_count_cues() {
    let text = "Flynn says Trump is right. Critics saw a dig.";
    let (says, saw) = (("Cue", "says"), ("Cue", "saw"));
    let spans = [("Source", "Flynn"), says, ("Content", "Trump is right"), ("Attribution", "says")];
    let spans = [&spans[..], &[saw, ("Content", "a dig"), ("Attribution-no-source", "saw")]].concat();
    let ann = t_lines(text, &spans)
        + "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
           E2\tAttribution-no-source:T7 Content:T6 Cue:T5\n#1\tAnnotatorNotes E1\tparaphrase\n";
    let (anns, warnings) = build(&ann, text);
    let labels: Vec<(LabelId, &str)> = anns.iter().map(|a| (a.label.clone(), a.quote.as_str())).collect();
    let cue = |q| (LabelId::new("Cue"), q);
    assert_eq!(
        labels,
        [
            (LabelId::new("Source"), "Flynn"),
            cue("says"),
            (LabelId::new("Claim"), "Trump is right"),
            cue("saw"),
            (LabelId::new("Claim"), "a dig")
        ]
    );
    assert_eq!(source_quote(&anns, &anns[2]), "Flynn");
    assert_eq!((anns[2].note.as_deref(), anns[4].linked("source").first()), (Some("paraphrase"), None));
    assert_eq!(
        warnings,
        ["d.ann: not imported (no newsnote equivalent): 1 Attribution event trigger spans, \
             1 Attribution-no-source event trigger spans"]
    );
    let cue_as_source = LabelMap::new(crate::model::codebook::Codebook::default_scheme())
        .with(crate::model::codebook::Codebook::default_scheme(), &["Cue=source".into()])
        .unwrap();
    let (anns, _) = build_with(&cue_as_source, &ann, text).unwrap();
    assert_eq!(anns.iter().filter(|a| a.label == LabelId::new("Source")).count(), 3);
}

#[test]
fn wrong_offsets_are_repaired_nearby_and_unknown_types_named_by_line() {
    let text = "Peskov said no. Peskov said yes.";
    let ann = "T1\tSource 17 23\tPeskov\nT2\tClaim 0 3\tKremlin\nT3\tPerson 0 6\tPeskov\nT4\tClaim 28 31\tyes\n";
    let (anns, warnings) = build(ann, text);
    assert_eq!(anns.iter().map(|a| (a.start, a.end)).collect::<Vec<_>>(), [(16, 22), (28, 31)]);
    assert_eq!(
        warnings,
        [
            "d.ann:1: T1: text \"Peskov\" is not at 17 23; moved to 16 22",
            "d.ann:2: T2: text \"Kremlin\" is not at 0 3 nor anywhere in the .txt; skipped",
            "d.ann:3: T3: type \"Person\" is not in the label map; skipped",
        ]
    );
}

#[test]
fn malformed_lines_fail_with_their_line_number() {
    for (ann, line, says) in [
        ("T1\tSource 0 1\ta\nT2 Source 0 1 a\n", 2, "expected ID, a tab"),
        ("T1\tSource 0 x\ta\n", 1, "malformed T1"),
        ("\n\nT1\tSource 1 0\t\n", 3, "start 1 after end 0"),
        ("T1\tSource 0 1\ta\nT1\tClaim 0 1\ta\n", 2, "defined twice"),
        ("T1\tSource 0 1\ta\nR1\tAttributedTo Arg1:T1\n", 2, "malformed R1"),
        ("E1\tAttribution\n", 1, "malformed E1"),
        ("#1\tAnnotatorNotes\tx\n", 1, "malformed #1"),
        ("Q1\tx\n", 1, "unknown annotation kind"),
        ("1\tx\n", 1, "not a brat id"),
    ] {
        match build_with(&LabelMap::new(crate::model::codebook::Codebook::default_scheme()), ann, "abc") {
            Err(ImportError::Syntax { path, line: l, message }) => {
                assert_eq!((path.to_str(), l), (Some("d.ann"), line), "{ann:?}");
                assert!(message.contains(says), "{ann:?}: {message}");
            }
            other => panic!("{ann:?}: {other:?}"),
        }
    }
}
