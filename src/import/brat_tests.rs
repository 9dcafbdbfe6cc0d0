//! Tests of the brat reader: offsets, discontinuous spans, events, malformed lines.
use super::*;
use crate::model::annotation::{LabelId, Status};

/// The default codebook, which these tests code with.
fn cb() -> &'static crate::model::codebook::Codebook {
    crate::model::codebook::Codebook::default_scheme()
}

fn build_with(map: &LabelMap, ann: &str, text: &str) -> Result<(Vec<Annotation>, Vec<String>), ImportError> {
    let d = document(Path::new("d.ann"), "d".into(), ann, text.into(), map, cb(), "tester", "2026-01-01T00:00:00Z")?;
    Ok((d.annotations, d.warnings))
}

fn build(ann: &str, text: &str) -> (Vec<Annotation>, Vec<String>) {
    build_with(&LabelMap::new(cb()), ann, text).unwrap()
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
fn a_quote_interrupted_by_text_is_one_claim_with_fragments_and_whitespace_gaps_join() {
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
    assert_eq!(claims.len(), 1, "one claim, not one per piece");
    let pieces: Vec<&str> = claims[0].pieces().map(|(_, q)| q).collect();
    assert_eq!(pieces, ["we lost", "we won"]);
    assert_eq!(
        (claims[0].fragments[0].prefix.as_str(), claims[0].fragments[0].suffix.as_str()),
        ("donate.\nShe said \"we lost\" and \"", "\".")
    );
    assert_eq!(source_quote(&anns, claims[0]), "She");
    assert!(warnings.is_empty(), "{warnings:?}");
}

/// Numbered T lines (from T1) for the first occurrence of each quote.
fn t_lines(text: &str, spans: &[(&str, &str)]) -> String {
    spans.iter().enumerate().map(|(i, (ty, q))| format!("T{}\t{ty} {}\t{q}\n", i + 1, at(text, q))).collect()
}

#[test]
fn attribution_events_give_claims_linked_to_their_cues_and_sources() {
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
    assert_eq!((anns[2].linked("cue"), anns[4].linked("cue")), (&[anns[1].id.clone()][..], &[anns[3].id.clone()][..]));
    assert!(warnings.is_empty(), "the triggers are the cues' twins: {warnings:?}");
    let cue_as_source = LabelMap::new(cb()).with(cb(), &["Cue=source".into()]).unwrap();
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
fn a_malformed_line_is_skipped_and_named_and_the_rest_imported() {
    let text = "Песков said “нет”.";
    for (bad, says) in [
        ("T9 Source 0 1 a", "no tab after the id"),
        ("T9\tSource 0 x\ta", "malformed T line"),
        ("T9\tSource 1 0\t", "starts at 1, after its end 0"),
        ("T1\tClaim 0 1\tП", "T1 is defined twice"),
        ("R9\tAttributedTo Arg1:T1", "malformed R"),
        ("E9\tAttribution", "malformed E line"),
        ("#9\tAnnotatorNotes\tx", "malformed # line"),
        ("Q9\tx", "unknown kind of line"),
        ("1\tx", "not a brat id"),
    ] {
        let ann = format!("T1\tSource 0 6\tПесков\n{bad}\nT2\tClaim 13 16\tнет\nR1\tAttributedTo Arg1:T2 Arg2:T1\n");
        let (anns, warnings) = build(&ann, text);
        assert_eq!(warnings.len(), 1, "{bad:?}: {warnings:?}");
        assert!(warnings[0].starts_with("d.ann:2: ") && warnings[0].contains(says), "{bad:?}: {warnings:?}");
        assert_eq!(anns.len(), 2, "{bad:?}");
        assert_eq!(source_quote(&anns, &anns[1]), "Песков", "{bad:?}");
    }
}

#[test]
fn ids_are_derived_from_the_coder_folder_file_and_brat_id() {
    let text = "Песков said “нет”.";
    let ann = "T1\tSource 0 6\tПесков\nT2\tClaim 13 16\tнет\nR1\tAttributedTo Arg1:T2 Arg2:T1\n";
    let ids = |path: &str| {
        let cb = cb();
        let d = document(Path::new(path), "x".into(), ann, text.into(), &LabelMap::new(cb), cb, "t", "now").unwrap();
        d.annotations.iter().map(|a| a.id.0.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids("c/coder-a/x.ann"), ids("elsewhere/coder-a/x.ann"), "the same on every run and place");
    assert_ne!(ids("coder-a/x.ann"), ids("coder-b/x.ann"), "another coder's annotations are others");
    assert!(ids("coder-a/x.ann").iter().all(|i| i.len() == 16 && i.chars().all(|c| c.is_ascii_hexdigit())));
}

#[test]
fn attributes_on_events_and_spans_take_the_codebooks_attribute_by_name_or_value() {
    let text = "Песков said “нет” and “да”.";
    let ann = "T1\tSource 0 6\tПесков\nT2\tCue 7 11\tsaid\nT3\tContent 12 17;22 26\t“нет” “да”\n\
               T4\tAttribution 7 11\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\nA1\tType E1 Direct\n\
               A2\tQuote_Type T3 mixed\nA3\tColour T1 Red\nA4\tType E1 Loud\n";
    let (anns, warnings) = build(ann, text);
    let claim = anns.iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert_eq!(claim.attributes.get("quote_type").map(ToString::to_string), Some("mixed".into()), "A2 after A1");
    assert_eq!(
        warnings,
        [
            "d.ann:8: A3: the codebook has no attribute \"Colour\" for Source; skipped",
            "d.ann:9: A4: the codebook has no attribute \"Type\" for Claim; skipped",
        ]
    );
}
