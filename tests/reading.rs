//! Reading: text objects, quotation jumps, motions, search and the article list, driven by
//! real key input (see `drive`). Positions use the marker notation of `drive::marked`.

mod drive;

use drive::*;
use newsnote::app::keymap::Mode;
use newsnote::app::{Focus, Overlay};

// ---------------------------------------------------------------------------------------
// Text objects and quotation jumps

#[test]
fn viq_selects_exactly_the_text_inside_curly_quotes() {
    let (_d, mut app) = open_sample(RT);
    go_to(&mut app, "barbaric");
    press(&mut app, "viq");
    assert_eq!(app.mode(), Mode::Visual);
    assert_eq!(selected(&app).as_deref(), Some("who is behind the barbaric missile attack on Sevastopol."));
    assert_eq!(
        marked(&app, 12),
        "…l aware of “[who is behind the barbaric missile attack on Sevastopol|.]” He recalle…"
    );
}

#[test]
fn vaq_selects_the_quotation_with_its_marks() {
    let (_d, mut app) = open_sample(RT);
    go_to(&mut app, "barbaric");
    press(&mut app, "vaq");
    assert_eq!(selected(&app).as_deref(), Some("“who is behind the barbaric missile attack on Sevastopol.”"));
}

#[test]
fn viq_pairs_straight_quotes_in_order_along_the_line() {
    let (_d, mut app) = open_sample(CNN);
    go_to(&mut app, "finishing");
    press(&mut app, "viq");
    assert_eq!(selected(&app).as_deref(), Some("finishing the demilitarization of Ukraine"));
    // Between two quotations on a line, iq takes the next one, as vim's i" does.
    press(&mut app, "<esc>");
    go_to(&mut app, "Peskov told Reuters");
    press(&mut app, "viq");
    assert!(selected(&app).unwrap().starts_with("We have also spoken"), "{:?}", selected(&app));
    assert!(selected(&app).unwrap().ends_with("It will stop in a moment."), "{:?}", selected(&app));
}

#[test]
fn viq_where_there_is_no_quotation_keeps_the_selection_and_says_so() {
    let (_d, mut app) = open_sample(RT);
    go_to(&mut app, "According to local");
    press(&mut app, "viq");
    assert_eq!(selected(&app).as_deref(), Some("A"), "selection unchanged: just the grapheme under the cursor");
    assert_eq!(app.message.as_ref().unwrap().text, "no quotation around the cursor on this line");
}

#[test]
fn vis_selects_the_sentence_under_the_cursor() {
    let (_d, mut app) = open_sample(RT);
    go_to(&mut app, "intercept");
    press(&mut app, "vis");
    assert_eq!(
        selected(&app).as_deref(),
        Some(
            "While Russian air defenses managed to intercept the missiles, one ended up exploding in the air above the city of Sevastopol, leading to casualties among the civilian population."
        )
    );
}

#[test]
fn vis_on_a_headline_without_a_period_selects_the_line() {
    let (_d, mut app) = open_sample(CNN);
    press(&mut app, "vis");
    assert_eq!(
        selected(&app).as_deref(),
        Some("The Kremlin's latest peace offering to Ukraine is probably a non-starter")
    );
}

#[test]
fn bracket_q_jumps_between_quotation_openings() {
    let (_d, mut app) = open_sample(RT);
    press(&mut app, "]q");
    assert_eq!(marked(&app, 14), "…well aware of |“who is behind…");
    press(&mut app, "]q");
    assert_eq!(marked(&app, 14), "…tern-supplied |“technological…");
    press(&mut app, "[q");
    assert_eq!(marked(&app, 14), "…well aware of |“who is behind…");
    assert!(app.pending.is_empty(), "the two-key sequence is complete");
}

#[test]
fn bracket_q_past_the_last_quotation_stays_put_and_says_so() {
    let (_d, mut app) = open_sample(RT);
    press(&mut app, "G");
    let end = app.reader.cursor;
    press(&mut app, "]q");
    assert_eq!(app.reader.cursor, end);
    assert_eq!(app.message.as_ref().unwrap().text, "no quotation after the cursor");
}

#[test]
fn bracket_q_extends_a_selection() {
    let (_d, mut app) = open_sample(RT);
    go_to(&mut app, "Commenting");
    press(&mut app, "v]q");
    assert_eq!(selected(&app).as_deref(), Some("Commenting on the incident, Peskov said Moscow is well aware of “"));
}

// ---------------------------------------------------------------------------------------
// Motions

#[test]
fn w_b_e_move_by_words_and_an_apostrophe_ends_a_word_as_in_vim() {
    let (_d, mut app) = open_text(MOTIONS);
    let steps = [
        ("w", "Kremlin |spokesman Dmitry Peskov’s team said no. Then U.S. officials left! Why?"),
        ("w", "Kremlin spokesman |Dmitry Peskov’s team said no. Then U.S. officials left! Why?"),
        ("w", "Kremlin spokesman Dmitry |Peskov’s team said no. Then U.S. officials left! Why?"),
        ("e", "Kremlin spokesman Dmitry Pesko|v’s team said no. Then U.S. officials left! Why?"),
        ("w", "Kremlin spokesman Dmitry Peskov|’s team said no. Then U.S. officials left! Why?"),
        ("w", "Kremlin spokesman Dmitry Peskov’|s team said no. Then U.S. officials left! Why?"),
        ("w", "Kremlin spokesman Dmitry Peskov’s |team said no. Then U.S. officials left! Why?"),
        ("e", "Kremlin spokesman Dmitry Peskov’s tea|m said no. Then U.S. officials left! Why?"),
        ("e", "Kremlin spokesman Dmitry Peskov’s team sai|d no. Then U.S. officials left! Why?"),
        ("b", "Kremlin spokesman Dmitry Peskov’s team |said no. Then U.S. officials left! Why?"),
        ("b", "Kremlin spokesman Dmitry Peskov’s |team said no. Then U.S. officials left! Why?"),
        ("b", "Kremlin spokesman Dmitry Peskov’|s team said no. Then U.S. officials left! Why?"),
        ("b", "Kremlin spokesman Dmitry Peskov|’s team said no. Then U.S. officials left! Why?"),
        ("b", "Kremlin spokesman Dmitry |Peskov’s team said no. Then U.S. officials left! Why?"),
    ];
    for (key, want) in steps {
        press(&mut app, key);
        assert_eq!(marked(&app, 100), want, "after {key}");
    }
}

#[test]
fn parens_move_between_sentence_starts_across_paragraphs() {
    let (_d, mut app) = open_text(MOTIONS);
    let steps = [
        (")", "Kremlin spokesman Dmitry Peskov’s team said no. |Then U.S. officials left! Why?"),
        (")", "Kremlin spokesman Dmitry Peskov’s team said no. Then U.S. officials left! |Why?"),
        (")", "|Second paragraph here. It has two sentences."),
        (")", "Second paragraph here. |It has two sentences."),
        ("(", "|Second paragraph here. It has two sentences."),
        ("(", "Kremlin spokesman Dmitry Peskov’s team said no. Then U.S. officials left! |Why?"),
    ];
    for (key, want) in steps {
        press(&mut app, key);
        assert_eq!(marked(&app, 100), want, "after {key}");
    }
}

#[test]
fn braces_move_between_paragraph_starts() {
    let (_d, mut app) = open_text(MOTIONS);
    press(&mut app, "}");
    assert_eq!(marked(&app, 6), "|Second…");
    press(&mut app, "}");
    assert_eq!(marked(&app, 6), "|Third …");
    press(&mut app, "}");
    assert_eq!(marked(&app, 6), "…s” end|.", "past the last paragraph start: the end of the text");
    press(&mut app, "{");
    assert_eq!(marked(&app, 6), "|Third …", "{{ goes to the start of the paragraph first");
    press(&mut app, "{");
    assert_eq!(marked(&app, 6), "|Second…");
    press(&mut app, "{{");
    assert_eq!(app.reader.cursor, 0);
}

#[test]
fn g_and_shift_g_go_to_the_first_and_last_character() {
    let (_d, mut app) = open_text(MOTIONS);
    press(&mut app, "G");
    assert_eq!(app.reader.cursor, MOTIONS.len() - 1);
    assert_eq!(&MOTIONS[app.reader.cursor..], ".");
    press(&mut app, "g");
    assert_eq!(app.reader.cursor, 0);
}

#[test]
fn j_and_k_keep_the_column_across_a_shorter_line() {
    let (_d, mut app) = open_text("abcdefghij\nxy\nabcdefghij\n");
    press(&mut app, "lllllll");
    assert_eq!(marked(&app, 20), "abcdefg|hij");
    press(&mut app, "j");
    assert_eq!(marked(&app, 20), "x|y", "the short line: its last character");
    press(&mut app, "j");
    assert_eq!(marked(&app, 20), "abcdefg|hij", "back to column 7");
    press(&mut app, "kk");
    assert_eq!(app.reader.cursor, 7, "column 7 of the first line");
}

#[test]
fn j_and_k_keep_the_display_column_over_wide_characters() {
    let (_d, mut app) = open_text("新闻报道 abc\nabcdefgh\n");
    press(&mut app, "l");
    assert_eq!(marked(&app, 20), "新|闻报道 abc");
    press(&mut app, "j");
    assert_eq!(marked(&app, 20), "ab|cdefgh", "闻 starts at display column 2");
    press(&mut app, "k");
    assert_eq!(marked(&app, 20), "新|闻报道 abc");
}

#[test]
fn h_and_l_stay_on_the_line() {
    let (_d, mut app) = open_text("ab\ncd\n");
    press(&mut app, "lll");
    assert_eq!(marked(&app, 5), "a|b");
    press(&mut app, "jhhh");
    assert_eq!(marked(&app, 5), "|cd");
}

#[test]
fn pgdown_and_pgup_move_the_cursor_and_the_view_by_a_page() {
    let (_d, mut app) = open_sample(CNN);
    let page_rows = app.reader_height();
    assert_eq!(page_rows, 37, "120x40: 40 rows minus status bar and borders");
    press(&mut app, "<pgdown>");
    assert_eq!(cursor_row(&app), 35, "a page is the pane height less two rows of overlap");
    assert_eq!(app.reader.scroll, 33, "the view follows: the cursor row sits near the top");
    press(&mut app, "<pgdown>");
    assert_eq!(cursor_row(&app), 70);
    let rows = app.open.as_ref().unwrap().wrap.len();
    assert_eq!(app.reader.scroll, (70 - 2).min(rows - page_rows));
    press(&mut app, "<pgup>");
    assert_eq!(cursor_row(&app), 35);
    press(&mut app, "<pgup>");
    assert_eq!(cursor_row(&app), 0);
    assert_eq!(app.reader.scroll, 0);
}

#[test]
fn space_pages_down_like_pgdown() {
    let (_d, mut app) = open_sample(CNN);
    press(&mut app, "<space>");
    assert_eq!(cursor_row(&app), 35);
    assert_eq!(app.reader.scroll, 33);
}

#[test]
fn ctrl_e_scrolls_the_view_and_drags_the_cursor_along_only_at_the_edge() {
    let (_d, mut app) = open_sample(CNN);
    press(&mut app, "jjjjj");
    let at = app.reader.cursor;
    press(&mut app, "<c-e><c-e>");
    assert_eq!(app.reader.scroll, 2);
    assert_eq!(app.reader.cursor, at, "the cursor row is still in view: it stays");
    press(&mut app, &"<c-e>".repeat(10));
    assert_eq!(app.reader.scroll, 12);
    assert_eq!(cursor_row(&app), 12, "pushed down to the top row of the view");
}

// ---------------------------------------------------------------------------------------
// Search

#[test]
fn slash_search_goes_to_the_next_match_and_n_and_shift_n_wrap_around() {
    let (_d, mut app) = open_sample(RT);
    let t = text(&app).to_owned();
    let hits: Vec<usize> = t.match_indices("Sevastopol").map(|(i, _)| i).collect();
    assert_eq!(hits.len(), 3);
    press(&mut app, "/Sevastopol<enter>");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.reader.cursor, hits[0]);
    assert_eq!(app.message.as_ref().unwrap().text, "/Sevastopol");
    press(&mut app, "n");
    assert_eq!(app.reader.cursor, hits[1]);
    press(&mut app, "n");
    assert_eq!(app.reader.cursor, hits[2]);
    press(&mut app, "n");
    assert_eq!(app.reader.cursor, hits[0]);
    assert_eq!(app.message.as_ref().unwrap().text, "/Sevastopol: search wrapped around");
    press(&mut app, "N");
    assert_eq!(app.reader.cursor, hits[2], "N from the first match wraps to the last");
    assert_eq!(app.message.as_ref().unwrap().text, "/Sevastopol: search wrapped around");
    press(&mut app, "N");
    assert_eq!(app.reader.cursor, hits[1]);
    assert_eq!(app.message.as_ref().unwrap().text, "/Sevastopol");
}

#[test]
fn a_lowercase_search_ignores_case_and_a_capitalised_one_does_not() {
    let (_d, mut app) = open_text("peskov. Then Peskov. PESKOV.");
    press(&mut app, "/Peskov<enter>");
    assert_eq!(marked(&app, 40), "peskov. Then |Peskov. PESKOV.");
    press(&mut app, "n");
    assert_eq!(marked(&app, 40), "peskov. Then |Peskov. PESKOV.", "the only exact match");
    press(&mut app, "g/peskov<enter>");
    assert_eq!(marked(&app, 40), "peskov. Then |Peskov. PESKOV.");
    press(&mut app, "n");
    assert_eq!(marked(&app, 40), "peskov. Then Peskov. |PESKOV.");
}

#[test]
fn a_search_without_a_match_keeps_the_cursor_and_reports_it() {
    let (_d, mut app) = open_sample(RT);
    press(&mut app, "jj");
    let at = app.reader.cursor;
    press(&mut app, "/zebra<enter>");
    assert_eq!(app.reader.cursor, at);
    let m = app.message.as_ref().unwrap();
    assert_eq!((m.text.as_str(), m.error), ("not found: zebra", true));
}

#[test]
fn esc_in_the_search_prompt_cancels_without_moving() {
    let (_d, mut app) = open_sample(RT);
    press(&mut app, "/Peskov<esc>");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.reader.cursor, 0);
    assert!(app.search.is_none());
}

#[test]
fn typing_q_into_a_prompt_is_text_not_quit() {
    let (_d, mut app) = open_sample(RT);
    press(&mut app, "/q");
    assert!(!app.should_quit);
    assert_eq!(app.overlay, Overlay::Prompt { kind: newsnote::app::PromptKind::Search, text: "q".into(), cursor: 1 });
    press(&mut app, "<esc>q");
    assert!(app.should_quit, "outside the prompt q quits");
}

#[test]
fn shift_n_from_inside_a_match_goes_to_the_start_of_that_match() {
    let (_d, mut app) = open_text("Peskov said. Then Peskov said again.");
    press(&mut app, "/Peskov<enter>");
    assert_eq!(app.reader.cursor, 18);
    press(&mut app, "ll");
    assert_eq!(marked(&app, 40), "Peskov said. Then Pe|skov said again.");
    press(&mut app, "N");
    assert_eq!(marked(&app, 40), "Peskov said. Then |Peskov said again.", "as vim's N: the match the cursor is in");
}

#[test]
fn a_new_search_starts_from_an_empty_prompt_and_an_empty_one_repeats_the_last() {
    let (_d, mut app) = open_sample(CNN);
    press(&mut app, "/Dmitry<enter>");
    assert_eq!(app.reader.cursor, find(&app, "Dmitry"));
    press(&mut app, "/Reuters<enter>");
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "/Reuters",
        "a second / must not search for the previous query with the new text appended"
    );
    assert_eq!(app.reader.cursor, find(&app, "Reuters"));
    // An empty search repeats the last one.
    press(&mut app, "/<enter>");
    assert_eq!(app.reader.cursor, find_nth(&app, "Reuters", 1));
}

// ---------------------------------------------------------------------------------------
// The article list

#[test]
fn list_filter_narrows_the_list_as_you_type_and_esc_clears_it() {
    let dir = three_articles();
    let mut app = app(dir.path());
    assert_eq!(app.focus, Focus::List);
    press(&mut app, "/k");
    assert_eq!(visible_titles(&app), ["Kremlin rejects talks", "Weather in Kyiv", "Kremlin welcomes talks"]);
    press(&mut app, "r");
    assert_eq!(visible_titles(&app), ["Kremlin rejects talks", "Kremlin welcomes talks"]);
    press(&mut app, "emlin<space>w");
    assert_eq!(visible_titles(&app), ["Kremlin welcomes talks"]);
    press(&mut app, "<backspace>");
    assert_eq!(visible_titles(&app).len(), 2, "backspace widens it again");
    press(&mut app, "<esc>");
    assert_eq!(app.list.filter, "");
    assert_eq!(visible_titles(&app).len(), 3);
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn enter_keeps_the_filter_and_opens_the_visible_article_then_esc_in_the_list_clears_it() {
    let dir = three_articles();
    let mut app = app(dir.path());
    press(&mut app, "/welcomes<enter>");
    assert_eq!(visible_titles(&app), ["Kremlin welcomes talks"]);
    assert_eq!(app.message.as_ref().unwrap().text, "1 article(s) match “welcomes” (Esc in the list clears the filter)");
    press(&mut app, "<enter>");
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "c.txt");
    press(&mut app, "<s-tab>");
    assert_eq!(app.focus, Focus::List);
    press(&mut app, "<esc>");
    assert_eq!(visible_titles(&app).len(), 3);
}

#[test]
fn a_filter_matching_nothing_leaves_nothing_to_open() {
    let dir = three_articles();
    let mut app = app(dir.path());
    press(&mut app, "/zzz<enter><enter>");
    assert!(app.list.visible.is_empty());
    assert_eq!(app.message.as_ref().unwrap().text, "no article to open");
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "a.txt", "the open article stays");
}

#[test]
fn list_j_k_g_shift_g_move_the_selection_within_bounds() {
    let dir = three_articles();
    let mut app = app(dir.path());
    press(&mut app, "jjjj");
    assert_eq!(app.list.selected, 2);
    press(&mut app, "k");
    assert_eq!(app.list.selected, 1);
    press(&mut app, "g");
    assert_eq!(app.list.selected, 0);
    press(&mut app, "G");
    assert_eq!(app.list.selected, 2);
    press(&mut app, "l");
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "c.txt");
}

#[test]
fn tab_and_shift_tab_cycle_the_focus_through_the_three_panes() {
    let dir = three_articles();
    let mut app = app(dir.path());
    let mut seen = vec![app.focus];
    for _ in 0..3 {
        press(&mut app, "<tab>");
        seen.push(app.focus);
    }
    assert_eq!(seen, [Focus::List, Focus::Reader, Focus::Sidebar, Focus::List]);
    let mut back = vec![];
    for _ in 0..3 {
        press(&mut app, "<s-tab>");
        back.push(app.focus);
    }
    assert_eq!(back, [Focus::Sidebar, Focus::Reader, Focus::List]);
}

#[test]
fn tab_drops_a_selection() {
    let (_d, mut app) = open_text("one two three");
    press(&mut app, "vw");
    assert_eq!(app.mode(), Mode::Visual);
    press(&mut app, "<tab>");
    assert_eq!(app.reader.anchor, None);
}

#[test]
fn f_in_the_list_keeps_the_articles_whose_text_contains_the_literal_and_n_finds_it() {
    let dir = sample_corpus();
    let mut app = app(dir.path());
    press(&mut app, "Fdonate<enter>");
    assert_eq!(visible_titles(&app), ["The Kremlin's latest peace offering to Ukraine is probably a non-starter"]);
    assert!(
        app.message.as_ref().unwrap().text.starts_with("1 article(s) contain “donate” on 3 line(s)"),
        "{:?}",
        app.message
    );
    press(&mut app, "<enter>n");
    assert_eq!(
        &text(&app)[app.reader.cursor..app.reader.cursor + 6],
        "donate",
        "smart case: lower-case finds any case"
    );
    press(&mut app, "<s-tab><esc>");
    assert_eq!(visible_titles(&app).len(), 2, "Esc in the list clears it");
    press(&mut app, "FSevastopol<enter>");
    assert_eq!(visible_titles(&app).len(), 1, "only the article that spells it so");
    press(&mut app, "Fno such phrase anywhere<enter>");
    assert!(visible_titles(&app).is_empty());
}
