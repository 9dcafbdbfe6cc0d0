//! The keystroke table of docs/keys.md, replayed: every "after" row's keys are pressed through
//! the real keymap on sample 000 from where the row says the cursor is, and must make exactly
//! the annotation (or change) the row names, in at most six keys. The table cannot promise a
//! key count the program does not keep.

mod drive;

use drive::*;
use newsnote::model::annotation::LabelId;

const SAMPLE: &str = "000_e37f52fc02921a26.txt";

/// Keys without `<…>` names counted as one each: `<enter>` is one key.
fn count(keys: &str) -> usize {
    newsnote::headless::parse_keys(keys).len()
}

/// Opens sample 000 with the cursor on the first occurrence of `at`.
fn at(needle: &str) -> (tempfile::TempDir, newsnote::app::App) {
    let (d, mut app) = open_sample(SAMPLE);
    go_to(&mut app, needle);
    (d, app)
}

fn last(app: &newsnote::app::App) -> (LabelId, String) {
    let file = saved(app);
    let a = file.annotations.iter().max_by_key(|a| a.created.clone()).unwrap().clone();
    (drive::label_with_kind(&a), a.quote)
}

/// Each row: where the cursor starts, the keys, and what they must make.
#[test]
fn every_typical_tag_of_the_table_takes_at_most_six_keys() {
    // A one-word source under the cursor: v, iw, s.
    let (_d, mut app) = at("Peskov said Moscow");
    let keys = "viws";
    press(&mut app, keys);
    assert_eq!(last(&app), (LabelId::new("Source"), "Peskov".into()));
    assert!(count(keys) <= 6);

    // A two-word name from its first letter: v, e, e, s.
    let (_d, mut app) = at("Dmitry Peskov");
    let keys = "vees";
    press(&mut app, keys);
    assert_eq!(last(&app), (LabelId::new("Source"), "Dmitry Peskov".into()));
    assert!(count(keys) <= 6);

    // A two-word name further on the line: f, D, v, e, e, s.
    let (_d, mut app) = at("Sevastopol, Kremlin spokesman");
    let keys = "fDvees";
    press(&mut app, keys);
    assert_eq!(last(&app), (LabelId::new("Source"), "Dmitry Peskov".into()));
    assert!(count(keys) <= 6);

    // The next quotation nobody tagged, inside its marks, as a claim: ]t, v, i, q, c.
    let (_d, mut app) = at("Commenting on the incident");
    let keys = "]tviqc";
    press(&mut app, keys);
    assert_eq!(last(&app), (LabelId::new("Claim"), "who is behind the barbaric missile attack on Sevastopol.".into()));
    assert!(count(keys) <= 6);

    // Attributing the claim under the cursor to the nearest source: a, Enter.
    let (_d, mut app) = at("Peskov said Moscow");
    press(&mut app, "viws]tviqc");
    let keys = "a<enter>";
    press(&mut app, keys);
    let claim = saved(&app).annotations.into_iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert!(!claim.linked("source").is_empty(), "attributed");
    assert!(count(keys) <= 6);

    // Attributing it to another source by typing part of its name: a, p, u, t, Enter.
    let (_d, mut app) = at("Dmitry Peskov");
    press(&mut app, "vees");
    go_to(&mut app, "Putin’s recent");
    press(&mut app, "viws");
    go_to(&mut app, "who is behind");
    press(&mut app, "viqc");
    let keys = "aput<enter>";
    press(&mut app, keys);
    let file = saved(&app);
    let claim = file.annotations.iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    let src = file.annotations.iter().find(|a| Some(&a.id) == claim.linked("source").first()).unwrap();
    assert_eq!(src.quote, "Putin");
    assert!(count(keys) <= 6);

    // A reported claim that is one sentence: v, i, s, c.
    let (_d, mut app) = at("According to local health authorities");
    let keys = "visc";
    press(&mut app, keys);
    assert!(
        last(&app).1.starts_with("According to local health authorities, at least four people"),
        "{:?}",
        last(&app)
    );
    assert!(count(keys) <= 6);

    // A source inside the line, three words on: 3, w, v, i, w, s.
    let (_d, mut app) = at("According to local");
    let keys = "3wviws";
    press(&mut app, keys);
    assert_eq!(last(&app), (LabelId::new("Source"), "health".into()));
    assert!(count(keys) <= 6);

    // A whole paragraph as boilerplate: v, i, p, x, o.
    let (_d, mut app) = at("Nevertheless, Peskov");
    let keys = "vipxo";
    press(&mut app, keys);
    let (label, quote) = last(&app);
    assert_eq!(label, LabelId::new("Boilerplate:Other"));
    assert!(quote.starts_with("Nevertheless, Peskov") && quote.ends_with("remains unchanged."), "{quote:?}");
    assert!(count(keys) <= 6);
}

#[test]
fn fixing_a_wrong_label_or_a_span_one_word_off_takes_one_or_two_keys() {
    let (_d, mut app) = at("Dmitry Peskov");
    press(&mut app, "vesg");
    go_to(&mut app, "Dmitry");
    // Tagged "Dmitry" only: > takes in the next word.
    press(&mut app, ">");
    assert_eq!(last(&app), (LabelId::new("Source"), "Dmitry Peskov".into()));
    // Wrong label: r, c.
    press(&mut app, "rc");
    assert_eq!(last(&app).0, LabelId::new("Claim"));
}

/// The codebook rows of the table: a quote interrupted by "he said" as one claim of two
/// pieces, a cue attached to its claim, the claim's quote type. On a text of their own, since
/// the samples have no interrupted quote.
#[test]
fn a_two_piece_quote_a_cue_and_a_quote_type_take_at_most_six_keys_each() {
    let text = "Zelensky told reporters: “We will not give up,” he said, “not now and not ever.” Ой 😀.\n";
    let (_d, mut app) = open_text(text);
    go_to(&mut app, "We will");
    for keys in ["viqc", "]tviq+"] {
        press(&mut app, keys);
        assert!(count(keys) <= 6, "{keys}");
    }
    let claim = saved(&app).annotations[0].clone();
    assert_eq!(claim.full_quote(), "We will not give up, … not now and not ever.");

    go_to(&mut app, "said,");
    let keys = "viwC<enter>";
    press(&mut app, keys);
    assert!(count(keys) <= 5, "a cue attached in at most five keys");
    let file = saved(&app);
    let cue = file.annotations.iter().find(|a| a.label == LabelId::new("Cue")).unwrap();
    let claim = file.annotations.iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert_eq!((cue.quote.as_str(), claim.linked("cue")), ("said", std::slice::from_ref(&cue.id)));

    go_to(&mut app, "give up");
    let keys = "=d";
    press(&mut app, keys);
    let file = saved(&app);
    let claim = file.annotations.iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert_eq!(claim.attributes.get("quote_type").map(ToString::to_string).as_deref(), Some("direct"));
    assert!(count(keys) <= 2);
}
