//! Issue 9's coder's loop, driven by real keys: re-targeting the annotation chosen in `!`,
//! refusing duplicates, relabelling in place, growing and shrinking spans, finding what still
//! needs coding, the sidebar's filter and preview, counts, swapping a selection's ends, the
//! search highlight, zoom, the message log and the prompt's line editor.

mod drive;

use drive::*;
use newsnote::app::{Effect, Msg, Overlay, update};
use newsnote::model::annotation::{AnchorNote, LabelId};

/// Attributes the sample claim ("They should…") to `src` through the picker.
fn attribute_claim_to(app: &mut newsnote::app::App, src: &newsnote::model::annotation::AnnotationId) {
    go_to(app, "They should");
    press(app, "a");
    assert!(matches!(app.overlay, Overlay::Picker { .. }), "{:?} {:?}", app.overlay, app.message);
    press(app, "<up><up><up><up><up>");
    for _ in 0..5 {
        if let Overlay::Picker { choices, selected, .. } = &app.overlay
            && choices[*selected].as_ref() == Some(src)
        {
            break;
        }
        press(app, "<down>");
    }
    press(app, "<enter>");
    let claim = saved(app).annotations.into_iter().find(|a| a.label == LabelId::new("Claim")).unwrap();
    assert_eq!(claim.linked("source").first(), Some(src));
}

fn labels_on_disk(app: &newsnote::app::App) -> Vec<(LabelId, String)> {
    saved(app).annotations.into_iter().map(|a| (drive::label_with_kind(&a), a.quote)).collect()
}

#[test]
fn retarget_moves_the_annotation_chosen_in_the_list_not_the_one_the_selection_falls_in() {
    let d = corpus_of(&[("a.txt", "Kremlin spokesperson Dmitry Peskov said no. The minister spoke.\n")]);
    let mut app = drive::app(d.path());
    press(&mut app, "<enter>");
    go_to(&mut app, "Kremlin");
    press(&mut app, "veeees");
    go_to(&mut app, "The minister");
    press(&mut app, "ves");
    // The article changes: "The minister" is gone, its source is orphaned.
    std::fs::write(d.path().join("a.txt"), "Kremlin spokesperson Dmitry Peskov said no. Nobody else spoke.\n").unwrap();
    let mut app = drive::app(d.path());
    press(&mut app, "<enter>!");
    let orphan = app.open.as_ref().unwrap().doc.annotations.iter().find(|a| a.anchor == Some(AnchorNote::Orphaned));
    let orphan = orphan.unwrap().id.clone();
    press(&mut app, "<enter>");
    // Select "Dmitry Peskov", inside the existing source: the sidebar follows to that one.
    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "veeR");
    let disk = saved(&app).annotations;
    let moved = disk.iter().find(|a| a.id == orphan).unwrap();
    assert_eq!((moved.quote.as_str(), moved.anchor.clone()), ("Dmitry Peskov", None), "the orphan moved");
    assert!(
        disk.iter().any(|a| a.quote == "Kremlin spokesperson Dmitry Peskov"),
        "the source the selection fell in is untouched: {disk:?}"
    );
    // Without a chosen annotation, R says how to choose one and moves nothing.
    press(&mut app, "gveR");
    assert!(app.message.clone().unwrap().text.contains("! then Enter"), "{:?}", app.message);
}

#[test]
fn the_same_label_on_the_same_span_is_refused_and_points_at_the_one_there_is() {
    let (_d, mut app) = open_text("Peskov said no.\n");
    press(&mut app, "ves");
    press(&mut app, "gves");
    assert_eq!(saved(&app).annotations.len(), 1);
    assert!(app.message.clone().unwrap().text.starts_with("already tagged: Source “Peskov”"));
    // Another label on the same span is a different annotation.
    press(&mut app, "gvec");
    assert_eq!(saved(&app).annotations.len(), 2);
}

#[test]
fn relabel_keeps_id_note_and_created_time_unlinks_the_claims_of_a_former_source_and_undoes() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    let src = id_of(&app, "Dmitry Peskov");
    attribute_claim_to(&mut app, &src);
    let before = saved(&app).annotations.into_iter().find(|a| a.id == src).unwrap();
    let cited = saved(&app).annotations.iter().filter(|a| a.linked("source").first() == Some(&src)).count();
    assert!(cited > 0, "the sample claim cites Peskov");
    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "rc");
    let after = saved(&app).annotations.into_iter().find(|a| a.id == src).unwrap();
    assert_eq!(after.label, LabelId::new("Claim"));
    assert_eq!(
        (after.created.as_str(), after.note.clone(), after.start),
        (before.created.as_str(), before.note, before.start)
    );
    assert!(
        saved(&app).annotations.iter().all(|a| a.linked("source").first() != Some(&src)),
        "no claim cites a non-source"
    );
    assert!(
        app.message.clone().unwrap().text.contains("dropped the links of 1 annotation(s) to it"),
        "{:?}",
        app.message
    );
    press(&mut app, "u");
    let back = saved(&app).annotations;
    assert_eq!(back.iter().find(|a| a.id == src).unwrap().label, LabelId::new("Source"));
    assert_eq!(
        back.iter().filter(|a| a.linked("source").first() == Some(&src)).count(),
        cited,
        "undo brings the links back"
    );
    // Boilerplate kinds too.
    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "rxo");
    assert!(labels_on_disk(&app).contains(&(LabelId::new("Boilerplate:Other"), "Dmitry Peskov".into())));
}

#[test]
fn grow_and_shrink_move_one_edge_of_a_span_by_a_word_and_keep_its_id() {
    let (_d, mut app) = open_text("Kremlin spokesman Dmitry Peskov said on Monday.\n");
    go_to(&mut app, "Dmitry");
    press(&mut app, "vees");
    let id = id_of(&app, "Dmitry Peskov");
    let quote = |app: &newsnote::app::App| saved(app).annotations.into_iter().find(|a| a.id == id).unwrap().quote;
    press(&mut app, ">");
    assert_eq!(quote(&app), "Dmitry Peskov said");
    press(&mut app, "<");
    assert_eq!(quote(&app), "Dmitry Peskov");
    press(&mut app, "H");
    assert_eq!(quote(&app), "spokesman Dmitry Peskov");
    press(&mut app, "2L");
    assert!(!app.message.clone().unwrap().error, "repeated edits save once, never as a conflict with themselves");
    assert_eq!(quote(&app), "Peskov", "a count repeats it");
    press(&mut app, "<");
    assert_eq!(quote(&app), "Peskov", "a span never becomes empty");
}

#[test]
fn next_annotation_next_unsourced_claim_and_next_untagged_quotation_find_what_is_left() {
    let (_d, mut app) =
        open_text("Peskov said “no one will win.” Lavrov said “talks go on.” Putin said “we are ready.”\n");
    go_to(&mut app, "Peskov");
    press(&mut app, "ves");
    go_to(&mut app, "no one");
    press(&mut app, "viqc");
    press(&mut app, "g]a");
    assert_eq!(app.reader.cursor, text(&app).find("no one").unwrap());
    press(&mut app, "[a");
    assert_eq!(app.reader.cursor, 0);
    press(&mut app, "g]u");
    assert_eq!(app.reader.cursor, text(&app).find("no one").unwrap(), "the claim has no source yet");
    // The first quotation is tagged: the next untagged one is Lavrov's.
    press(&mut app, "g]t");
    let at = app.reader.cursor;
    assert!(text(&app)[at..].starts_with("“talks") || text(&app)[at..].starts_with("talks"), "{}", &text(&app)[at..]);
    press(&mut app, "]t");
    assert!(text(&app)[app.reader.cursor..].contains("we are ready"));
    press(&mut app, "]t]t");
    assert!(app.message.clone().unwrap().text.contains("no untagged quotation after the cursor"));
}

#[test]
fn the_sidebar_filter_lists_only_unsourced_claims_and_moving_previews_in_the_text() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    let src = id_of(&app, "Dmitry Peskov");
    attribute_claim_to(&mut app, &src);
    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "<tab>");
    assert_eq!(app.focus, newsnote::app::Focus::Sidebar);
    // all → sources.
    press(&mut app, "f");
    let rows = app.sidebar_rows();
    let anns = &app.open.as_ref().unwrap().doc.annotations;
    assert!(rows.iter().all(|&i| anns[i].label == LabelId::new("Source")), "{rows:?}");
    assert!(screen(&app, 120, 40).contains("Annotations: Source (2 of 3)"));
    // Moving in the sidebar shows each in the text without leaving the sidebar.
    press(&mut app, "j");
    assert_eq!(app.focus, newsnote::app::Focus::Sidebar);
    let sel = &app.open.as_ref().unwrap().doc.annotations[app.sidebar.selected];
    assert_eq!(sel.quote, "Reuters");
    assert_eq!(app.reader.cursor, text(&app).find("Reuters ahead").unwrap());
    // → each other label of the codebook (claim, cue, boilerplate) → missing a link: the
    // claim is attributed, so none.
    press(&mut app, "ffff");
    assert!(app.sidebar_rows().is_empty());
    assert!(app.message.clone().unwrap().text.contains("missing a link — none"), "{:?}", app.message);
}

#[test]
fn a_count_repeats_a_motion_and_o_swaps_the_selections_ends() {
    let (_d, mut app) = open_text("one two three four five six\n");
    press(&mut app, "3w");
    assert_eq!(app.reader.cursor, text(&app).find("four").unwrap());
    press(&mut app, "g10l");
    assert_eq!(app.reader.cursor, 10);
    press(&mut app, "gwve");
    assert_eq!(selected(&app).as_deref(), Some("two"));
    press(&mut app, "o");
    assert_eq!(app.reader.cursor, text(&app).find("two").unwrap());
    press(&mut app, "b");
    assert_eq!(selected(&app).as_deref(), Some("one two"), "the other end moves now");
}

#[test]
fn esc_clears_the_search_highlight() {
    let (_d, mut app) = open_text("Peskov said no to Peskov.\n");
    press(&mut app, "/Peskov<enter>");
    assert!(app.search.is_some());
    press(&mut app, "<esc>");
    assert!(app.search.is_none());
}

#[test]
fn zoom_gives_the_text_the_whole_width_and_tab_brings_the_panes_back() {
    let (_d, mut app) = open_text(&"word ".repeat(400));
    let narrow = app.open.as_ref().unwrap().wrap.width;
    press(&mut app, "z");
    assert!(app.zoom);
    let wide = app.open.as_ref().unwrap().wrap.width;
    assert!(wide > narrow + 40, "{narrow} → {wide}");
    assert!(!screen(&app, 120, 40).contains("Annotations ("));
    press(&mut app, "<tab>");
    assert!(!app.zoom);
    assert_eq!(app.open.as_ref().unwrap().wrap.width, narrow);
}

#[test]
fn the_message_log_keeps_what_the_status_bar_cut_or_the_next_key_cleared() {
    let (_d, mut app) = open_text("Peskov said no.\n");
    press(&mut app, "ves");
    press(&mut app, "j");
    assert!(app.message.is_none(), "the next key cleared it");
    press(&mut app, "M");
    assert!(matches!(app.overlay, Overlay::Messages { .. }));
    assert!(screen(&app, 80, 24).contains("tagged Source “Peskov”"));
    press(&mut app, "<esc>");
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn the_note_prompt_edits_at_a_cursor_with_arrows_home_end_ctrl_w_and_ctrl_u() {
    let (_d, mut app) = open_text("Peskov said no.\n");
    press(&mut app, "ves");
    press(&mut app, "mthe spokesman");
    press(&mut app, "<home>Kremlin<space><end><c-w>aide<enter>");
    let note = saved(&app).annotations[0].note.clone();
    assert_eq!(note.as_deref(), Some("Kremlin the aide"));
    press(&mut app, "mnew<left><left><c-u>X<enter>");
    assert_eq!(saved(&app).annotations[0].note.as_deref(), Some("Xew"));
}

#[test]
fn y_puts_the_selection_or_the_quote_under_the_cursor_on_the_clipboard_and_capital_y_the_id() {
    let (_d, mut app) = open_text("Peskov said no.\n");
    press(&mut app, "ves");
    let id = id_of(&app, "Peskov");
    let copy = |app: &mut newsnote::app::App, key: &str| {
        let k = newsnote::app::keymap::parse_keys(key).unwrap();
        let action = match app.keymap.lookup(app.mode(), &k) {
            newsnote::app::keymap::Lookup::Action(a) => a,
            other => panic!("{key}: {other:?}"),
        };
        update(app, Msg::Action(action))
    };
    assert_eq!(copy(&mut app, "y"), vec![Effect::Copy("Peskov".into())]);
    assert_eq!(copy(&mut app, "Y"), vec![Effect::Copy(id.to_string())]);
    press(&mut app, "wve");
    assert_eq!(copy(&mut app, "y"), vec![Effect::Copy("said".into())]);
}

#[test]
fn a_filter_typed_after_g_in_a_long_list_draws_every_match() {
    let files: Vec<(String, String)> = (0..300)
        .map(|i| (format!("a{i:03}.txt"), format!("{} story {i}\n", if i % 60 == 29 { "sports" } else { "news" })))
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let d = corpus_of(&refs);
    let mut app = drive::app(d.path());
    press(&mut app, "G/sports<enter>");
    assert_eq!(app.list.visible.len(), 5);
    let shown = screen(&app, 120, 40).matches("sports story").count();
    assert_eq!(shown, 5, "every match is drawn, not only the last:\n{}", screen(&app, 120, 40));
}

#[test]
fn f_t_and_repeat_find_characters_and_select_to_them() {
    let (_d, mut app) = open_text("Peskov said, “no, never,” and left.\n");
    press(&mut app, "f,");
    assert_eq!(&text(&app)[app.reader.cursor..app.reader.cursor + 1], ",");
    press(&mut app, ";");
    assert!(text(&app)[app.reader.cursor..].starts_with(", never"));
    press(&mut app, "g");
    press(&mut app, "vt,");
    assert_eq!(selected(&app).as_deref(), Some("Peskov said"));
    press(&mut app, "<esc>$F ");
    assert!(text(&app)[app.reader.cursor..].starts_with(" left"));
}

#[test]
fn word_and_paragraph_objects_select_in_two_keys() {
    let (_d, mut app) = open_text("First paragraph here.\n\nSecond one, with Peskov in it.\n");
    go_to(&mut app, "Peskov");
    press(&mut app, "viw");
    assert_eq!(selected(&app).as_deref(), Some("Peskov"));
    press(&mut app, "<esc>vip");
    assert_eq!(selected(&app).as_deref(), Some("Second one, with Peskov in it."));
}

#[test]
fn a_forward_selection_to_the_next_sentence_stops_at_the_sentence_end() {
    let (_d, mut app) = open_text("Peskov said no. Lavrov said yes.\n");
    press(&mut app, "v)");
    assert_eq!(selected(&app).as_deref(), Some("Peskov said no."), "not the next sentence's first letter");
}

#[test]
fn a_search_while_selecting_forward_takes_the_selection_to_the_end_of_the_match() {
    let (_d, mut app) = open_text("Kremlin spokesman Dmitry Peskov said no.\n");
    press(&mut app, "v/Peskov<enter>");
    assert_eq!(selected(&app).as_deref(), Some("Kremlin spokesman Dmitry Peskov"));
}

#[test]
fn w_moves_one_ideograph_in_a_chinese_clause_and_corner_brackets_are_quotes() {
    let (_d, mut app) = open_text("外交部發言人王文斌表示「我們反對」。\n");
    press(&mut app, "w");
    assert_eq!(app.reader.cursor, "外".len());
    press(&mut app, "g]q");
    press(&mut app, "viq");
    assert_eq!(selected(&app).as_deref(), Some("我們反對"));
}
