//! What a user's keys and clicks do to newsnote's state, and to the files on disk.
//!
//! Every test drives the app through the real input path (crossterm events → keymap →
//! `tui::dispatch`, which also performs the saves) and reads the result back from `App` or
//! from the RON file. Positions are shown with the marker notation of `drive::marked`:
//! `|` before the grapheme under the cursor, `[` `]` around the selection.

mod drive;

use drive::*;
use newsnote::app::keymap::Mode;
use newsnote::app::{Focus, Overlay, layout};
use newsnote::model::annotation::{BoilerplateKind, Label};
use newsnote::model::store::AnnotationFile;
use std::path::Path;

const RT: &str = "000_e37f52fc02921a26.txt";
const CNN: &str = "002_915808095f53d4db.txt";

/// The sample corpus with one article open in the reading pane, focus in the reader.
fn open_sample(name: &str) -> (tempfile::TempDir, newsnote::app::App) {
    let dir = sample_corpus();
    let mut app = app(dir.path());
    let i = app.corpus.entries.iter().position(|e| e.id == name).expect("sample exists");
    for _ in 0..i {
        press(&mut app, "j");
    }
    press(&mut app, "<enter>");
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, name);
    assert_eq!(app.focus, Focus::Reader);
    (dir, app)
}

/// A one-article corpus with `text`, open in the reading pane.
fn open_text(text: &str) -> (tempfile::TempDir, newsnote::app::App) {
    let dir = corpus_of(&[("a.txt", text)]);
    let mut app = app(dir.path());
    press(&mut app, "<enter>");
    assert_eq!(app.focus, Focus::Reader);
    (dir, app)
}

/// Puts the cursor on the first occurrence of `needle` by searching for it (so tests
/// move the way a user does). Searches are smart-case: give the exact capitalisation.
fn go_to(app: &mut newsnote::app::App, needle: &str) {
    press(app, &format!("g/{}<enter>", needle.replace(' ', "<space>")));
    let want = text(app).find(needle).unwrap();
    if app.reader.cursor != want {
        // The match at the very top: the search went past it, n wraps back.
        press(app, "n");
    }
    assert_eq!(app.reader.cursor, want, "cursor on {needle:?}");
}

/// The annotation file on disk, parsed.
fn saved(app: &newsnote::app::App) -> AnnotationFile {
    let o = app.open.as_ref().unwrap();
    AnnotationFile::load(&o.doc.ron_path, &o.doc.article.id).unwrap().expect("a saved file")
}

fn quotes(file: &AnnotationFile) -> Vec<(Label, &str)> {
    file.annotations.iter().map(|a| (a.label, a.quote.as_str())).collect()
}

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

const MOTIONS: &str = "Kremlin spokesman Dmitry Peskov’s team said no. Then U.S. officials left! Why?\n\nSecond paragraph here. It has two sentences.\n\nThird “quoted words” end.";

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

/// Row of the cursor in the wrapped text.
fn cursor_row(app: &newsnote::app::App) -> usize {
    app.open.as_ref().unwrap().wrap.row_of(app.reader.cursor)
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
    let rows = app.open.as_ref().unwrap().wrap.rows.len();
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
    assert_eq!(app.overlay, Overlay::Prompt { kind: newsnote::app::PromptKind::Search, text: "q".into() });
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

fn three_articles() -> tempfile::TempDir {
    corpus_of(&[
        ("a.txt", "Kremlin rejects talks\nBody one."),
        ("b.txt", "Weather in Kyiv\nBody two."),
        ("c.txt", "Kremlin welcomes talks\nBody three."),
    ])
}

fn visible_titles(app: &newsnote::app::App) -> Vec<&str> {
    app.visible.iter().map(|&i| app.corpus.entries[i].title.as_str()).collect()
}

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
    assert_eq!(app.filter, "");
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
    assert!(app.visible.is_empty());
    assert_eq!(app.message.as_ref().unwrap().text, "no article to open");
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "a.txt", "the open article stays");
}

#[test]
fn list_j_k_g_shift_g_move_the_selection_within_bounds() {
    let dir = three_articles();
    let mut app = app(dir.path());
    press(&mut app, "jjjj");
    assert_eq!(app.list_selected, 2);
    press(&mut app, "k");
    assert_eq!(app.list_selected, 1);
    press(&mut app, "g");
    assert_eq!(app.list_selected, 0);
    press(&mut app, "G");
    assert_eq!(app.list_selected, 2);
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

// ---------------------------------------------------------------------------------------
// Tagging

const UNICODE: &str = "👍🏽 新闻：Kremlin spokesman Dmitry Peskov 说 “好”. Ελλάδα 🇺🇦 end.\n";

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
    assert_eq!(a.label, Label::Source);
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
    assert_eq!(app.overlay, Overlay::KindMenu, "x opens the kind menu");
    press(&mut app, "o");
    go_to(&mut app, "好");
    press(&mut app, "vs");
    let file = saved(&app);
    let chars: Vec<char> = UNICODE.chars().collect();
    for a in &file.annotations {
        assert_eq!(chars[a.start..a.end].iter().collect::<String>(), a.quote, "{a:?}");
    }
    assert_eq!(quotes(&file), [(Label::Source, "好"), (Label::Boilerplate(BoilerplateKind::Other), "Ελλάδα")]);
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
    assert_eq!(app.overlay, Overlay::KindMenu);
    assert_eq!(app.mode(), Mode::KindMenu);
    press(&mut app, "<esc>");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(selected(&app).as_deref(), Some("Click to donate by check."), "the selection survives a cancelled menu");
    press(&mut app, "xd");
    assert_eq!(
        quotes(&saved(&app)),
        [(Label::Boilerplate(BoilerplateKind::DonationAppeal), "Click to donate by check.")]
    );
    assert_eq!(entry_counts(&app), (0, 0, 1));
}

/// The list's (sources, claims, boilerplate) counts for the open article, updated when a
/// save succeeds.
fn entry_counts(app: &newsnote::app::App) -> (usize, usize, usize) {
    let c = app.corpus.entries[app.open.as_ref().unwrap().entry].counts;
    (c.sources, c.claims, c.boilerplate)
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

/// In 002: "Dmitry Peskov" and "Reuters" as sources, the first straight quotation as a claim.
fn cnn_with_sources_and_claim() -> (tempfile::TempDir, newsnote::app::App) {
    let (d, mut app) = open_sample(CNN);
    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "vees");
    go_to(&mut app, "Reuters ahead");
    press(&mut app, "ves");
    go_to(&mut app, "They should");
    press(&mut app, "viqc");
    assert_eq!(
        quotes(&saved(&app)),
        [
            (Label::Source, "Dmitry Peskov"),
            (Label::Source, "Reuters"),
            (
                Label::Claim,
                "They should make amendments to the constitution according to which Ukraine would reject any aims to enter any bloc,"
            ),
        ]
    );
    (d, app)
}

fn id_of(app: &newsnote::app::App, quote: &str) -> newsnote::model::annotation::AnnotationId {
    app.open.as_ref().unwrap().doc.annotations.iter().find(|a| a.quote == quote).unwrap().id.clone()
}

#[test]
fn a_on_a_claim_offers_the_article_sources_and_links_the_chosen_one() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    let (peskov, reuters) = (id_of(&app, "Dmitry Peskov"), id_of(&app, "Reuters"));
    press(&mut app, "a");
    let Overlay::Picker { choices, selected, .. } = app.overlay.clone() else { panic!("{:?}", app.overlay) };
    assert_eq!(choices, [Some(peskov.clone()), Some(reuters.clone()), None]);
    assert_eq!(selected, 1, "the nearest source before the claim is preselected");
    press(&mut app, "k<enter>");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.message.as_ref().unwrap().text, "claim attributed to “Dmitry Peskov”");
    let file = saved(&app);
    let claim = file.annotations.iter().find(|a| a.label == Label::Claim).unwrap();
    assert_eq!(claim.source.as_ref(), Some(&peskov));
    assert!(ron_on_disk(&app).contains(&format!("source: Some(\"{peskov}\")")), "{}", ron_on_disk(&app));
    // Again: the current source is preselected; the last choice unlinks.
    press(&mut app, "a");
    assert!(matches!(app.overlay, Overlay::Picker { selected: 0, .. }));
    press(&mut app, "jj<enter>");
    assert_eq!(app.message.as_ref().unwrap().text, "claim source removed");
    assert_eq!(saved(&app).annotations.iter().find(|a| a.label == Label::Claim).unwrap().source, None);
}

#[test]
fn a_on_a_source_or_without_sources_says_why_nothing_opens() {
    let (_d, mut app) = open_sample(CNN);
    go_to(&mut app, "They should");
    press(&mut app, "viqc");
    press(&mut app, "a");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.message.as_ref().unwrap().text, "this article has no sources yet: tag one with v … s");
    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "veesa");
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "no claim here: put the cursor on one, or pick one in the sidebar",
        "a looks for the claim around the cursor, skipping the source"
    );
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
        matches!(&app.overlay, Overlay::Prompt { kind: newsnote::app::PromptKind::Note(_), text } if text.is_empty())
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
    assert_eq!(app.sidebar_selected, 1);
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
    press(&mut app, "ak<enter>");
    let linked = ron_on_disk(&app);
    assert!(linked.contains(&format!("source: Some(\"{peskov}\")")));

    go_to(&mut app, "Dmitry Peskov");
    press(&mut app, "d");
    assert_eq!(
        app.message.as_ref().unwrap().text,
        "deleted Source “Dmitry Peskov” and unlinked 1 claim(s) — u to undo"
    );
    let file = saved(&app);
    assert_eq!(quotes(&file).iter().filter(|(l, _)| *l == Label::Source).count(), 1, "only Reuters left");
    assert!(file.annotations.iter().all(|a| a.source.is_none()), "no claim points at the deleted source");
    assert!(!ron_on_disk(&app).contains(&peskov.0));

    press(&mut app, "u");
    assert_eq!(app.message.as_ref().unwrap().text, "undone: 2 changes");
    let restored = saved(&app);
    let claim = restored.annotations.iter().find(|a| a.label == Label::Claim).unwrap();
    assert_eq!(claim.source.as_ref(), Some(&peskov), "the link is back");
    assert!(restored.annotations.iter().any(|a| a.id == peskov), "the source is back");
    assert_eq!(ron_on_disk(&app), linked, "the file is exactly as before the delete");

    press(&mut app, "<c-r>");
    assert_eq!(app.message.as_ref().unwrap().text, "redone: 2 changes");
    assert!(!ron_on_disk(&app).contains(&peskov.0));
}

#[test]
fn d_in_the_sidebar_deletes_the_selected_annotation() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    press(&mut app, "<tab>kkk");
    assert_eq!(app.sidebar_selected, 0);
    press(&mut app, "d");
    let file = saved(&app);
    assert_eq!(file.annotations.len(), 2);
    assert_eq!(file.annotations[0].quote, "Reuters", "Dmitry Peskov is gone");
    assert_eq!(file.annotations[1].label, Label::Claim);
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
    assert_eq!(quotes(&saved(&app)), [(Label::Source, "A")], "redo in a.txt redid a.txt's tag");
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
    assert_eq!(quotes(&saved(&app)), [(Label::Claim, "two")]);
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

// ---------------------------------------------------------------------------------------
// Mouse

#[test]
fn clicking_a_list_row_opens_that_article() {
    let dir = three_articles();
    let mut app = app(dir.path());
    let list = layout::inner(layout::panes(app.size, app.focus).list.unwrap());
    click(&mut app, list.x + 3, list.y + 2);
    release(&mut app, list.x + 3, list.y + 2);
    assert_eq!(app.list_selected, 2);
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "c.txt");
    assert_eq!(app.focus, Focus::Reader);
    // Below the last row: nothing changes.
    click(&mut app, list.x + 3, list.y + 5);
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "c.txt");
}

/// Screen cell of byte `pos` of the open article (which must be on screen).
fn cell_of(app: &newsnote::app::App, pos: usize) -> (u16, u16) {
    let area = layout::reader_text(layout::panes(app.size, app.focus).reader.unwrap());
    let o = app.open.as_ref().unwrap();
    let row = o.wrap.row_of(pos) - app.reader.scroll;
    let col = o.wrap.col_of(&o.doc.article.text, pos);
    (area.x + col as u16, area.y + row as u16)
}

#[test]
fn clicking_in_the_reader_places_the_cursor_there() {
    let (_d, mut app) = open_sample(CNN);
    let target = find(&app, "Dmitry");
    let (x, y) = cell_of(&app, target);
    click(&mut app, x + 2, y);
    assert_eq!(app.reader.cursor, target + 2);
    assert_eq!(app.reader.anchor, None);
}

#[test]
fn dragging_in_the_reader_selects_the_text_between_press_and_drag_and_s_tags_it() {
    let (_d, mut app) = open_sample(CNN);
    let from = find(&app, "Dmitry Peskov");
    let to = from + "Dmitry Peskov".len() - 1;
    let (x0, y0) = cell_of(&app, from);
    let (x1, y1) = cell_of(&app, to);
    click(&mut app, x0, y0);
    drag(&mut app, x1 - 3, y1);
    drag(&mut app, x1, y1);
    release(&mut app, x1, y1);
    assert_eq!(selected(&app).as_deref(), Some("Dmitry Peskov"));
    assert_eq!(app.mode(), Mode::Visual);
    press(&mut app, "s");
    assert_eq!(quotes(&saved(&app)), [(Label::Source, "Dmitry Peskov")]);
}

#[test]
fn dragging_backwards_across_rows_selects_from_the_drag_point_to_the_press_point() {
    let (_d, mut app) = open_sample(CNN);
    let from = find(&app, "demands in a phone");
    let to = find(&app, "Dmitry Peskov");
    let (x0, y0) = cell_of(&app, from + "demands".len() - 1);
    let (x1, y1) = cell_of(&app, to);
    assert_eq!(y0, y1 + 1, "the drag goes up a row");
    click(&mut app, x0, y0);
    drag(&mut app, x1, y1);
    assert_eq!(selected(&app).as_deref(), Some("Dmitry Peskov outlined Russia's demands"));
}

#[test]
fn clicking_a_sidebar_row_shows_that_annotation_in_the_text() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    press(&mut app, "g");
    let side = layout::sidebar_parts(layout::panes(app.size, app.focus).sidebar.unwrap()).0;
    click(&mut app, side.x + 2, side.y + 1);
    assert_eq!(app.focus, Focus::Sidebar);
    assert_eq!(app.sidebar_selected, 1);
    assert_eq!(app.reader.cursor, find(&app, "Reuters ahead"));
}

#[test]
fn enter_in_the_sidebar_jumps_to_the_annotation() {
    let (_d, mut app) = cnn_with_sources_and_claim();
    press(&mut app, "g<tab>jj<enter>");
    assert_eq!(app.focus, Focus::Reader);
    assert_eq!(app.reader.cursor, find(&app, "They should"));
}

#[test]
fn the_wheel_scrolls_the_reader_under_the_pointer() {
    let (_d, mut app) = open_sample(CNN);
    let r = layout::panes(app.size, app.focus).reader.unwrap();
    send(
        &mut app,
        ratatui::crossterm::event::Event::Mouse(ratatui::crossterm::event::MouseEvent {
            kind: ratatui::crossterm::event::MouseEventKind::ScrollDown,
            column: r.x + 5,
            row: r.y + 5,
            modifiers: ratatui::crossterm::event::KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.reader.scroll, 3);
}

#[test]
fn clicking_the_list_border_below_the_last_shown_row_opens_nothing() {
    let files: Vec<(String, String)> =
        (0..45).map(|i| (format!("{i:02}.txt"), format!("Article {i:02}\nBody."))).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = corpus_of(&refs);
    let mut app = app(dir.path());
    let list = layout::panes(app.size, app.focus).list.unwrap();
    let inner = layout::inner(list);
    assert_eq!(inner.height, 37);
    // The bottom border row, under the 37 rows shown.
    click(&mut app, inner.x + 3, list.y + list.height - 1);
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "00.txt", "clicking a border opens nothing");
    assert_eq!(app.list_selected, 0);
}

// ---------------------------------------------------------------------------------------
// Saving

#[test]
fn every_change_is_saved_at_once_and_the_list_counts_follow() {
    let (_d, app) = cnn_with_sources_and_claim();
    assert_eq!(entry_counts(&app), (2, 1, 0));
    assert_eq!(app.save, newsnote::app::SaveState::Saved);
    // The file is what a fresh start reads back.
    let again = newsnote::model::corpus::Corpus::open(
        Path::new(&app.corpus.root),
        newsnote::model::corpus::AnnotationRoot::NextToArticles,
    )
    .unwrap();
    let e = again.entries.iter().find(|e| e.id == CNN).unwrap();
    assert_eq!((e.counts.sources, e.counts.claims, e.counts.boilerplate), (2, 1, 0));
}

/// An app whose annotation files go to a mirrored folder `ann` that does not exist yet, so
/// a test can make saves fail by putting a plain file where that folder must be created.
fn app_with_blockable_saves(text: &str) -> (tempfile::TempDir, std::path::PathBuf, newsnote::app::App) {
    let dir = corpus_of(&[("arts/a.txt", text), ("arts/b.txt", "Other article.\n")]);
    let ann = dir.path().join("ann");
    let corpus = newsnote::model::corpus::Corpus::open(
        &dir.path().join("arts"),
        newsnote::model::corpus::AnnotationRoot::Mirrored(ann.clone()),
    )
    .unwrap();
    let mut app = newsnote::app::App::new(
        corpus,
        "tester".into(),
        newsnote::app::keymap::Keymap::default_map(),
        ratatui::layout::Rect::new(0, 0, 120, 40),
    );
    newsnote::tui::dispatch(&mut app, newsnote::app::Action::Resize { width: 120, height: 40 });
    press(&mut app, "<enter>");
    (dir, ann, app)
}

#[test]
fn a_failed_save_is_reported_and_the_change_is_saved_with_the_next_one() {
    let (_d, ann, mut app) = app_with_blockable_saves("Peskov said no.\n");
    std::fs::write(&ann, "a file where the annotation folder should be").unwrap();
    press(&mut app, "vs");
    let m = app.message.clone().unwrap();
    assert!(m.error && m.text.starts_with("save failed: "), "{m:?}");
    assert!(m.text.ends_with("your change is kept here and saved with the next one"), "{m:?}");
    assert!(matches!(app.save, newsnote::app::SaveState::Failed(_)));
    assert!(screen(&app, 120, 40).lines().last().unwrap().contains("✗ not saved"));
    assert_eq!(app.open.as_ref().unwrap().doc.annotations.len(), 1, "kept in memory");

    std::fs::remove_file(&ann).unwrap();
    press(&mut app, "wves");
    assert_eq!(app.save, newsnote::app::SaveState::Saved);
    assert_eq!(quotes(&saved(&app)), [(Label::Source, "P"), (Label::Source, "said")], "both changes on disk");
}

#[test]
fn a_change_that_failed_to_save_survives_opening_another_article_and_coming_back() {
    let (_d, ann, mut app) = app_with_blockable_saves("Peskov said no.\n");
    std::fs::write(&ann, "blocker").unwrap();
    press(&mut app, "vees");
    assert!(matches!(app.save, newsnote::app::SaveState::Failed(_)));
    // Look at the other article, then come back.
    press(&mut app, "<s-tab>j<enter><s-tab>k<enter>");
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "a.txt");
    let kept: Vec<&str> = app.open.as_ref().unwrap().doc.annotations.iter().map(|a| a.quote.as_str()).collect();
    assert_eq!(kept, ["Peskov said"], "the unsaved change is still there, as the message promised");
}

#[test]
fn quitting_after_a_failed_save_does_not_silently_drop_the_change() {
    let (_d, ann, mut app) = app_with_blockable_saves("Peskov said no.\n");
    std::fs::write(&ann, "blocker").unwrap();
    press(&mut app, "vees");
    press(&mut app, "q");
    let on_disk = ann.join("a.ron").exists();
    assert!(
        !app.should_quit || on_disk,
        "q quit at once with an unsaved change: no warning, no retry (message: {:?})",
        app.message
    );
}

// ---------------------------------------------------------------------------------------
// Help and quitting

#[test]
fn q_in_the_help_closes_it_and_does_not_quit() {
    let dir = three_articles();
    let mut app = app(dir.path());
    press(&mut app, "?");
    assert_eq!(app.overlay, Overlay::Help);
    press(&mut app, "j");
    assert_eq!(app.list_selected, 0, "keys in the help do not reach the list");
    press(&mut app, "q");
    assert_eq!(app.overlay, Overlay::None);
    assert!(!app.should_quit);
    press(&mut app, "?<esc>");
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn k_in_the_help_scrolls_back_at_once_after_scrolling_past_the_end() {
    let dir = three_articles();
    let mut app = app(dir.path());
    press(&mut app, "?");
    let top = screen(&app, 120, 40);
    press(&mut app, "j");
    assert_ne!(screen(&app, 120, 40), top, "j scrolls the help");
    press(&mut app, &"j".repeat(300));
    let bottom = screen(&app, 120, 40);
    press(&mut app, "k");
    assert_ne!(screen(&app, 120, 40), bottom, "k after holding j did nothing: the scroll ran past the end");
}

#[test]
fn ctrl_c_in_the_help_gets_out() {
    let dir = three_articles();
    let mut app = app(dir.path());
    press(&mut app, "?<c-c>");
    assert!(app.overlay != Overlay::Help || app.should_quit, "Ctrl-C did nothing in the help overlay");
}

#[test]
fn ctrl_c_quits_from_the_panes_and_cancels_menus_and_prompts() {
    let (_d, mut app) = open_sample(CNN);
    press(&mut app, "/Pes<c-c>");
    assert_eq!(app.overlay, Overlay::None);
    press(&mut app, "vex<c-c>");
    assert_eq!(app.overlay, Overlay::None);
    assert!(!app.should_quit);
    press(&mut app, "<c-c>");
    assert!(app.should_quit);
}

// ---------------------------------------------------------------------------------------
// Robustness

#[test]
fn resizing_rewraps_and_keeps_the_cursor_on_the_same_text_and_in_view() {
    let (_d, mut app) = open_sample(CNN);
    go_to(&mut app, "Washington Post");
    let at = app.reader.cursor;
    for (w, h) in [(80, 24), (200, 60), (60, 10), (120, 40)] {
        send(&mut app, ratatui::crossterm::event::Event::Resize(w, h));
        assert_eq!(app.reader.cursor, at, "{w}x{h}");
        let o = app.open.as_ref().unwrap();
        let row = o.wrap.row_of(at);
        let top = app.reader.scroll;
        assert!(row >= top && row < top + app.reader_height(), "{w}x{h}: row {row} not in view from {top}");
        let wrap_w = o.wrap.width;
        for r in &o.wrap.rows {
            let shown: usize = unicode_width::UnicodeWidthStr::width(o.doc.article.text[r.range.as_range()].trim_end());
            assert!(shown <= wrap_w, "{w}x{h}: a row is wider than the pane");
        }
    }
}

/// Every key the keymap binds, in every mode, plus typing and mouse events, on articles
/// that have broken apps before: empty, blank, one emoji, control and bidi characters.
#[test]
fn no_key_panics_on_degenerate_articles() {
    let texts = ["", "\n\n\n", "   ", "👍🏽", "\u{1b}[31mred\u{202e} txet\u{0}\t“unclosed ‘quote\r\n\"", "x"];
    let all_keys = "hjkl0$wbe(){}gG]q[q<pgdown><pgup><space><c-e><c-y>nNvisviqvaqsvcvx<esc>vxo\
                    amdu<c-r><tab>jkmdau<enter><tab><s-tab><s-tab>/x<enter>/<backspace><enter>?j?";
    for t in texts {
        let (_d, mut app) = open_text(t);
        for k in keys(all_keys) {
            send(&mut app, ratatui::crossterm::event::Event::Key(k));
            let _ = screen(&app, 120, 40);
        }
        for (c, r) in [(0, 0), (40, 1), (40, 20), (119, 39), (100, 5)] {
            click(&mut app, c, r);
            drag(&mut app, c + 3, r + 1);
            release(&mut app, c + 3, r + 1);
        }
        for size in [(1, 1), (20, 5), (0, 0)] {
            send(&mut app, ratatui::crossterm::event::Event::Resize(size.0, size.1));
            for k in keys("jkGg<pgdown><tab>") {
                send(&mut app, ratatui::crossterm::event::Event::Key(k));
            }
        }
        // Reaching here is the test: no panic, whatever the keys did.
        assert!(app.open.is_some(), "{t:?}");
    }
}
