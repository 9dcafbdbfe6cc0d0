//! Mouse, saving failures, help, quitting and robustness on odd input and sizes.

mod drive;

use drive::*;
use newsnote::app::keymap::Mode;
use newsnote::app::{Focus, Overlay, layout};
use newsnote::model::annotation::LabelId;
use std::path::Path;

// ---------------------------------------------------------------------------------------
// Mouse

#[test]
fn clicking_a_list_row_opens_that_article() {
    let dir = three_articles();
    let mut app = app(dir.path());
    let list = layout::inner(app.panes().list.unwrap());
    click(&mut app, list.x + 3, list.y + 2);
    release(&mut app, list.x + 3, list.y + 2);
    assert_eq!(app.list.selected, 2);
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "c.txt");
    assert_eq!(app.focus, Focus::Reader);
    // Below the last row: nothing changes.
    click(&mut app, list.x + 3, list.y + 5);
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "c.txt");
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
    assert_eq!(quotes(&saved(&app)), [(LabelId::new("Source"), "Dmitry Peskov")]);
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
    let side = layout::sidebar_parts(app.panes().sidebar.unwrap()).0;
    click(&mut app, side.x + 2, side.y + 1);
    assert_eq!(app.focus, Focus::Sidebar);
    assert_eq!(app.sidebar.selected, 1);
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
    let r = app.panes().reader.unwrap();
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
    let list = app.panes().list.unwrap();
    let inner = layout::inner(list);
    assert_eq!(inner.height, 37);
    // The bottom border row, under the 37 rows shown.
    click(&mut app, inner.x + 3, list.y + list.height - 1);
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "00.txt", "clicking a border opens nothing");
    assert_eq!(app.list.selected, 0);
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
    assert_eq!((e.counts.of("Source"), e.counts.of("Claim"), e.counts.of("Boilerplate")), (2, 1, 0));
}

#[test]
fn a_failed_save_is_reported_and_the_change_is_saved_with_the_next_one() {
    let (_d, ann, mut app) = app_with_blockable_saves("Peskov said no.\n");
    std::fs::write(&ann, "a file where the annotation folder should be").unwrap();
    press(&mut app, "vs");
    let m = app.message.clone().unwrap();
    assert!(m.error && m.text.starts_with("NOT SAVED: "), "{m:?}");
    assert!(m.text.ends_with("Your change is kept in memory; the next change or q retries"), "{m:?}");
    assert!(matches!(app.save, newsnote::app::SaveState::Failed(_)));
    assert!(screen(&app, 120, 40).lines().last().unwrap().contains("✗ not saved"));
    assert_eq!(app.open.as_ref().unwrap().doc.annotations.len(), 1, "kept in memory");

    std::fs::remove_file(&ann).unwrap();
    press(&mut app, "wves");
    assert_eq!(app.save, newsnote::app::SaveState::Saved);
    assert_eq!(
        quotes(&saved(&app)),
        [(LabelId::new("Source"), "P"), (LabelId::new("Source"), "said")],
        "both changes on disk"
    );
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
    assert_eq!(app.list.selected, 0, "keys in the help do not reach the list");
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
        for r in o.wrap.rows(&o.doc.article.text, 0) {
            let shown: usize = unicode_width::UnicodeWidthStr::width(o.doc.article.text[r.range.as_range()].trim_end());
            assert!(shown <= wrap_w, "{w}x{h}: a row is wider than the pane");
        }
    }
}

/// Every key the keymap binds, in every mode, plus typing and mouse events, on articles
/// that have broken apps before: empty, blank, one emoji, control and bidi characters.
#[test]
fn no_key_panics_on_degenerate_articles() {
    let texts = ["", "\n\n\n", "   ", "👍🏽", "\u{1b}[31mred\u{202e} txet\u{1}\t“unclosed ‘quote\r\n\"", "x"];
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
