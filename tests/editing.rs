//! Editing: tagging, attribution, notes, deletion, undo/redo and bad annotation files,
//! checked in the app state and in the RON file on disk.

mod drive;

use drive::*;
use newsnote::app::keymap::Mode;
use newsnote::app::{Focus, Overlay};
use newsnote::model::annotation::LabelId;

// ---------------------------------------------------------------------------------------
// Tagging

#[test]
fn tagging_trims_surrounding_whitespace_and_stores_code_point_offsets() {
    let (_d, mut app) = open_text(UNICODE);
    // Select " Dmitry Peskov " with its spaces: from the blank before Dmitry to the one after Peskov.
    go_to(&mut app, "Dmitry");
    press(&mut app, "hveel");
    assert_eq!(selected(&app).as_deref(), Some(" Dmitry Peskov "));
    press(&mut app, "s");
    assert_eq!(app.reader.anchor, None, "tagging ends the selection");
    let file = saved(&app);
    assert_eq!(file.annotations.len(), 1);
    let a = &file.annotations[0];
    assert_eq!(a.quote, "Dmitry Peskov");
    assert_eq!(a.label, LabelId::new("Source"));
    let chars: Vec<char> = UNICODE.chars().collect();
    let start = UNICODE[..UNICODE.find("Dmitry").unwrap()].chars().count();
    assert_eq!((a.start, a.end), (start, start + 13));
    assert_eq!(chars[a.start..a.end].iter().collect::<String>(), "Dmitry Peskov");
    assert_eq!(a.prefix, "👍🏽 新闻：Kremlin spokesman ");
    assert_eq!(a.author, "tester");
}

#[test]
fn tagged_spans_after_emoji_and_cjk_round_trip_through_the_file() {
    let (_d, mut app) = open_text(UNICODE);
    go_to(&mut app, "Ελλάδα");
    press(&mut app, "vex");
    assert!(matches!(app.overlay, Overlay::Values { .. }), "x opens the kind menu");
    press(&mut app, "o");
    go_to(&mut app, "好");
    press(&mut app, "vs");
    let file = saved(&app);
    let chars: Vec<char> = UNICODE.chars().collect();
    for a in &file.annotations {
        assert_eq!(chars[a.start..a.end].iter().collect::<String>(), a.quote, "{a:?}");
    }
    assert_eq!(quotes(&file), [(LabelId::new("Source"), "好"), (LabelId::new("Boilerplate:Other"), "Ελλάδα")]);
    // Reopening reads the same spans back onto the same text.
    press(&mut app, "<s-tab><enter>");
    let o = app.open.as_ref().unwrap();
    assert_eq!(o.doc.annotations.len(), 2);
    assert!(o.doc.spans.iter().all(Option::is_some), "both spans still match the text");
    assert!(o.doc.warnings.is_empty(), "{:?}", o.doc.warnings);
}

#[test]
fn a_selection_of_only_whitespace_is_not_tagged() {
    let (_d, mut app) = open_text("one  two");
    press(&mut app, "lllvls");
    assert_eq!(app.message.as_ref().unwrap().text, "the selection is only whitespace; nothing tagged");
    assert!(app.open.as_ref().unwrap().doc.annotations.is_empty());
    assert!(!app.open.as_ref().unwrap().doc.ron_path.exists(), "nothing was saved");
}

#[test]
fn x_then_a_kind_key_tags_boilerplate_of_that_kind_and_esc_cancels() {
    let (_d, mut app) = open_sample(CNN);
    go_to(&mut app, "Click to donate by check.");
    press(&mut app, "v$x");
    assert!(matches!(app.overlay, Overlay::Values { .. }));
    assert_eq!(app.mode(), Mode::Values);
    press(&mut app, "<esc>");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(selected(&app).as_deref(), Some("Click to donate by check."), "the selection survives a cancelled menu");
    press(&mut app, "xd");
    assert_eq!(quotes(&saved(&app)), [(LabelId::new("Boilerplate:DonationAppeal"), "Click to donate by check.")]);
    assert_eq!(entry_counts(&app), (0, 0, 1));
}

#[test]
fn x_s_and_c_without_a_selection_tag_nothing() {
    let (_d, mut app) = open_sample(CNN);
    press(&mut app, "xsc");
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.open.as_ref().unwrap().doc.annotations.is_empty());
    assert!(!app.open.as_ref().unwrap().doc.ron_path.exists());
}

#[test]
fn tagging_keeps_a_combining_mark_with_its_letter() {
    let (_d, mut app) = open_text("Un cafe\u{301} noir.");
    press(&mut app, "wves");
    let file = saved(&app);
    assert_eq!(file.annotations[0].quote, "cafe\u{301}");
    assert_eq!((file.annotations[0].start, file.annotations[0].end), (3, 8), "5 code points, 4 graphemes");
}

// ---------------------------------------------------------------------------------------
// Attribution, notes, deletion, undo

#[test]
fn a_on_a_claim_offers_the_article_sources_and_links_the_chosen_one() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    let (peskov, reuters) = (id_of(&app, "Dmitry Peskov"), id_of(&app, "Reuters"));
    press(&mut app, "a");
    let Overlay::Picker { choices, selected, .. } = app.overlay.clone() else { panic!("{:?}", app.overlay) };
    assert_eq!(choices, [Some(reuters.clone()), Some(peskov.clone()), None], "nearest the claim first");
    assert_eq!(selected, 0, "the nearest source is preselected");
    press(&mut app, "<down><enter>");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.message.as_ref().unwrap().text, "claim attributed to “Dmitry Peskov”");
    let file = saved(&app);
    let claim = file.annotations.iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert_eq!(claim.linked("source").first(), Some(&peskov));
    let ron = ron_on_disk(&app);
    assert!(ron.contains(&format!("\"source\": [\n                    \"{peskov}\",\n                ],")), "{ron}");
    // Again: the current source is preselected; the last choice unlinks.
    press(&mut app, "a");
    assert!(matches!(app.overlay, Overlay::Picker { selected: 1, .. }));
    press(&mut app, "<down><enter>");
    assert_eq!(app.message.as_ref().unwrap().text, "claim source removed");
    assert!(saved(&app).annotations.iter().find(|a| a.label == LabelId::new("Claim")).unwrap().links.is_empty());
}

#[test]
fn typing_in_the_source_picker_filters_it_and_one_row_stands_for_every_mention_of_a_name() {
    let (_d, mut app) =
        open_text("Peskov said it. Lavrov agreed. Peskov added: “no talks.” Much later in the day, peskov left.\n");
    for n in 1..=3 {
        let (b, _) = text(&app).to_lowercase().match_indices("peskov").nth(n - 1).unwrap();
        press(&mut app, "g");
        while app.reader.cursor < b {
            press(&mut app, "l");
        }
        press(&mut app, "ves");
    }
    go_to(&mut app, "Lavrov");
    press(&mut app, "ves");
    go_to(&mut app, "no talks");
    press(&mut app, "viqca");
    let Overlay::Picker { choices, .. } = app.overlay.clone() else { panic!("{:?}", app.overlay) };
    assert_eq!(choices.len(), 3, "Peskov (three mentions, any case), Lavrov, (no source): {choices:?}");
    press(&mut app, "lav");
    assert_eq!(newsnote::app::links::picker_rows(&app).len(), 1);
    assert!(screen(&app, 120, 40).contains("Lavrov"));
    press(&mut app, "<backspace><backspace><backspace>pes<enter>");
    let claim = saved(&app).annotations.into_iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    let src = saved(&app).annotations.into_iter().find(|a| Some(&a.id) == claim.linked("source").first()).unwrap();
    // The mention nearest the claim: "Peskov added".
    assert_eq!(src.start, text(&app).find("Peskov added").unwrap());
}

#[test]
fn a_without_sources_says_why_and_a_on_a_source_offers_the_claims_to_attach_it_to() {
    let (_d, mut app) = open_sample(CNN);
    go_to(&mut app, "They should");
    press(&mut app, "viqc");
    press(&mut app, "a");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.message.as_ref().unwrap().text, "this article has no Source yet to link as source: tag one first");
    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "veesa");
    // A source links to nothing itself: `a` offers the claims it could be the source of.
    let Overlay::Picker { reverse, relation, choices, .. } = app.overlay.clone() else { panic!("{:?}", app.overlay) };
    assert!(reverse && relation == "source" && choices.len() == 2, "the one claim, then none: {choices:?}");
    press(&mut app, "<enter>");
    let file = saved(&app);
    let claim = file.annotations.iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    let src = file.annotations.iter().find(|a| a.label == LabelId::new("Source")).unwrap();
    assert_eq!(claim.linked("source"), std::slice::from_ref(&src.id));
}

#[test]
fn esc_in_the_source_picker_changes_nothing() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    let before = ron_on_disk(&app);
    press(&mut app, "a<esc>");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(ron_on_disk(&app), before);
}

#[test]
fn m_edits_a_note_and_the_saved_ron_holds_it() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "m");
    assert!(
        matches!(&app.overlay, Overlay::Prompt { kind: newsnote::app::PromptKind::Note(_), text, .. } if text.is_empty())
    );
    press(&mut app, "Kremlin<space>spokesperson,<space>“named”<enter>");
    assert_eq!(app.overlay, Overlay::None);
    let file = saved(&app);
    let src = file.annotations.iter().find(|a| a.quote == "Dmitry Peskov").unwrap();
    assert_eq!(src.note.as_deref(), Some("Kremlin spokesperson, “named”"));
    assert!(ron_on_disk(&app).contains("note: Some(\"Kremlin spokesperson, “named”\")"), "{}", ron_on_disk(&app));
    // m again starts from the note; erasing it all removes the note.
    press(&mut app, "m");
    assert!(matches!(&app.overlay, Overlay::Prompt { text, .. } if text == "Kremlin spokesperson, “named”"));
    press(&mut app, &"<backspace>".repeat(40));
    press(&mut app, "<enter>");
    assert_eq!(saved(&app).annotations.iter().find(|a| a.quote == "Dmitry Peskov").unwrap().note, None);
    assert!(!ron_on_disk(&app).contains("note:"));
}

#[test]
fn m_in_the_sidebar_edits_the_selected_annotation() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    press(&mut app, "<tab>");
    assert_eq!(app.focus, Focus::Sidebar);
    press(&mut app, "gg"); // not bound in the sidebar: nothing happens
    press(&mut app, "kkkj");
    assert_eq!(app.sidebar.selected, 1);
    press(&mut app, "mwire<space>agency<enter>");
    let file = saved(&app);
    assert_eq!(file.annotations[1].quote, "Reuters");
    assert_eq!(file.annotations[1].note.as_deref(), Some("wire agency"));
}

#[test]
fn d_on_a_source_unlinks_the_claims_that_cite_it_and_u_restores_both() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    let peskov = id_of(&app, "Dmitry Peskov");
    go_to(&mut app, "They should");
    press(&mut app, "apeskov<enter>");
    let linked = ron_on_disk(&app);
    assert!(linked.contains(&format!("\"{peskov}\",")) && linked.contains("links: {"), "{linked}");

    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "d");
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "deleted Source “Dmitry Peskov” and unlinked 1 annotation(s) — u to undo"
    );
    let file = saved(&app);
    assert_eq!(quotes(&file).iter().filter(|(l, _)| *l == LabelId::new("Source")).count(), 1, "only Reuters left");
    assert!(file.annotations.iter().all(|a| a.linked("source").is_empty()), "no claim points at the deleted source");
    assert!(!ron_on_disk(&app).contains(&peskov.0));

    press(&mut app, "u");
    assert_eq!(app.message.as_ref().unwrap().text, "undone: restored Source “Dmitry Peskov” (and 1 more)");
    assert_eq!(app.reader.cursor, text(&app).find("Dmitry Peskov").unwrap(), "undo shows where the change is");
    let restored = saved(&app);
    let claim = restored.annotations.iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert_eq!(claim.linked("source").first(), Some(&peskov), "the link is back");
    assert!(restored.annotations.iter().any(|a| a.id == peskov), "the source is back");
    assert_eq!(ron_on_disk(&app), linked, "the file is exactly as before the delete");

    press(&mut app, "<c-r>");
    assert_eq!(app.message.as_ref().unwrap().text, "redone: removed Source “Dmitry Peskov” (and 1 more)");
    assert!(!ron_on_disk(&app).contains(&peskov.0));
}

#[test]
fn d_in_the_sidebar_deletes_the_selected_annotation() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    press(&mut app, "<tab>kkk");
    assert_eq!(app.sidebar.selected, 0);
    press(&mut app, "d");
    let file = saved(&app);
    assert_eq!(file.annotations.len(), 2);
    assert_eq!(file.annotations[0].quote, "Reuters", "Dmitry Peskov is gone");
    assert_eq!(file.annotations[1].label, LabelId::new("Claim"));
}

#[test]
fn d_with_nothing_under_the_cursor_deletes_nothing() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    press(&mut app, "g");
    let before = ron_on_disk(&app);
    press(&mut app, "d");
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "no annotation here: put the cursor on one, or pick one in the sidebar"
    );
    assert_eq!(ron_on_disk(&app), before);
}

#[test]
fn undo_and_redo_keep_a_separate_history_per_article() {
    let dir = corpus_of(&[("a.txt", "Alpha said yes."), ("b.txt", "Beta said no.")]);
    let mut app = app(dir.path());
    press(&mut app, "<enter>vs"); // tag "A" in a.txt
    press(&mut app, "<s-tab>j<enter>vs"); // tag "B" in b.txt
    press(&mut app, "wves"); // and "said"
    let b = |app: &newsnote::app::App| quotes(&saved(app)).into_iter().map(|(_, q)| q.to_owned()).collect::<Vec<_>>();
    assert_eq!(b(&app), ["B", "said"]);

    press(&mut app, "<s-tab>k<enter>");
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "a.txt");
    press(&mut app, "u");
    assert!(saved(&app).annotations.is_empty(), "undo in a.txt undid a.txt's tag");
    press(&mut app, "u");
    assert_eq!(app.message.as_ref().unwrap().text, "nothing to undo", "b.txt's steps are not a.txt's");
    let b_ron = std::fs::read_to_string(dir.path().join("b.ron")).unwrap();
    assert!(b_ron.contains("quote: \"said\""), "b.txt untouched");

    press(&mut app, "<s-tab>j<enter>u");
    assert_eq!(b(&app), ["B"], "undo in b.txt undid its last tag");
    press(&mut app, "<s-tab>k<enter><c-r>");
    assert_eq!(quotes(&saved(&app)), [(LabelId::new("Source"), "A")], "redo in a.txt redid a.txt's tag");
    press(&mut app, "<s-tab>j<enter><c-r>");
    assert_eq!(b(&app), ["B", "said"]);
}

#[test]
fn a_new_change_after_undo_clears_redo() {
    let (_d, mut app) = open_text("one two three");
    press(&mut app, "vsu");
    press(&mut app, "wvec");
    press(&mut app, "<c-r>");
    assert_eq!(app.message.as_ref().unwrap().text, "nothing to redo");
    assert_eq!(quotes(&saved(&app)), [(LabelId::new("Claim"), "two")]);
}

// ---------------------------------------------------------------------------------------
// Bad files

#[test]
fn a_corrupt_ron_makes_the_article_read_only_and_tagging_leaves_the_file_unchanged() {
    let corrupt = b"(\n    format: 1,\n    article: \"a.txt\",\n    annotations: [ oops\n";
    let dir = corpus_of(&[("a.txt", "Peskov said no.\n")]);
    std::fs::write(dir.path().join("a.ron"), corrupt).unwrap();
    let mut app = app(dir.path());
    let o = app.open.as_ref().unwrap();
    let why = o.doc.read_only.clone().expect("read-only");
    assert!(why.contains("a.ron:4:"), "the reason names file and line: {why}");
    let m = app.message.clone().unwrap();
    assert!(m.error && m.text.starts_with("read-only: "), "{m:?}");
    assert!(screen(&app, 120, 40).lines().last().unwrap().contains("read-only"));

    press(&mut app, "<enter>veeesvis");
    press(&mut app, "xd");
    let m = app.message.clone().unwrap();
    assert!(m.error && m.text.starts_with("read-only, not changed: "), "{m:?}");
    assert!(app.open.as_ref().unwrap().doc.annotations.is_empty());
    press(&mut app, "<esc>u<c-r>");
    assert_eq!(std::fs::read(dir.path().join("a.ron")).unwrap(), corrupt, "the file's bytes are untouched");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "no temp file or backup left behind: {names:?}");
}

#[test]
fn a_ron_file_of_another_article_is_not_overwritten() {
    let dir = corpus_of(&[("a.txt", "Peskov said no.\n"), ("b.txt", "Other.\n")]);
    let other = "(format: 1, article: \"b.txt\", fingerprint: (chars: 7, fnv1a64: \"0\"), annotations: [])\n";
    std::fs::write(dir.path().join("a.ron"), other).unwrap();
    let mut app = app(dir.path());
    assert!(app.open.as_ref().unwrap().doc.read_only.as_deref().unwrap().contains("belongs to article \"b.txt\""));
    press(&mut app, "<enter>ves");
    assert_eq!(std::fs::read_to_string(dir.path().join("a.ron")).unwrap(), other);
}

#[test]
fn a_claim_may_have_several_sources_added_in_the_picker_and_each_deletion_keeps_the_others() {
    let (_d, mut app) = open_text("Russia and Ukraine said “talks go on.” Belarus agreed.\n");
    go_to(&mut app, "Russia");
    press(&mut app, "ves");
    go_to(&mut app, "Ukraine");
    press(&mut app, "ves");
    go_to(&mut app, "talks");
    press(&mut app, "viqc");
    let (russia, ukraine) = (id_of(&app, "Russia"), id_of(&app, "Ukraine"));
    // Enter sets one source; Ctrl-A in the picker adds another.
    press(&mut app, "arus<enter>");
    press(&mut app, "aukr<c-a>");
    assert_eq!(app.message.as_ref().unwrap().text, "claim attributed to “Russia” and “Ukraine”");
    let claim = saved(&app).annotations.into_iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert_eq!(claim.linked("source"), [russia.clone(), ukraine.clone()]);
    let ron = ron_on_disk(&app);
    assert!(
        ron.contains(&format!(
            "\"source\": [\n                    \"{russia}\",\n                    \"{ukraine}\",\n"
        )),
        "{ron}"
    );
    assert!(screen(&app, 120, 40).contains("← Russia +1"), "{}", screen(&app, 120, 40));
    // Adding one it has already is refused; Enter alone makes it the only source again.
    press(&mut app, "arus<c-a>");
    assert_eq!(app.message.as_ref().unwrap().text, "already one of its sources");
    // Deleting Russia keeps Ukraine as the source.
    go_to(&mut app, "Russia");
    press(&mut app, "d");
    let claim = saved(&app).annotations.into_iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert_eq!(claim.linked("source"), std::slice::from_ref(&ukraine));
    press(&mut app, "u");
    let claim = saved(&app).annotations.into_iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert_eq!(claim.linked("source"), [russia, ukraine], "undo brings both back");
}
