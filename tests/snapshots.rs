//! Whole-screen snapshots: what a user sees after real key presses.
//!
//! Each screen is drawn on a ratatui `TestBackend` and stored as text, one line per row
//! (symbols only, trailing blanks trimmed) in `tests/snapshots/`. Colours cannot show in
//! text, so the main screen also checks the styles of the tagged spans cell by cell.
//!
//! What changes from run to run is redacted before comparing: the temp folder path (shown
//! as `[corpus]`), annotation ids (16 random hex digits, shown as `[      id      ]`, as wide as the id so the
//! layout is the real one; 8 digits for ids of older files) and RFC 3339
//! timestamps (shown as `YYYY-MM-DDTHH:MM:SSZ`). insta's own `filters` setting needs its
//! `filters` cargo feature, which this crate does not enable, so the redaction is done here
//! with `regex` (a dependency of the crate) and plain string replacement.
//!
//! Update after an intended UI change: `INSTA_UPDATE=always cargo test --test snapshots`,
//! then read every changed `.snap` file before committing.

mod drive;

use drive::*;
use newsnote::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::Event;
use ratatui::style::{Color, Modifier};
use std::path::Path;

/// The screen at `width`×`height` (the app is told the size first, as the loop does), with
/// everything that varies between runs replaced by fixed markers.
fn redacted_screen(app: &mut App, root: &Path, width: u16, height: u16) -> String {
    send(app, Event::Resize(width, height));
    redact(app, root, &screen(app, width, height))
}

fn redact(app: &App, root: &Path, screen: &str) -> String {
    let mut s = screen.replace(&root.display().to_string(), "[corpus]");
    if let Some(o) = &app.open {
        for a in &o.doc.annotations {
            let marker = format!("[{:^w$}]", "id", w = a.id.0.chars().count().saturating_sub(2));
            s = s.replace(&a.id.0, &marker);
        }
    }
    let time = regex::Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z").unwrap();
    time.replace_all(&s, "YYYY-MM-DDTHH:MM:SSZ").into_owned()
}

/// The sample corpus with 002 (the CNN-style article) open and three annotations made with
/// keys: the duplicated headline as boilerplate, "Dmitry Peskov" as a source, and the first
/// quotation as a claim attributed to him. The cursor ends on the source.
fn annotated_cnn() -> (tempfile::TempDir, App) {
    let dir = sample_corpus();
    let mut app = app(dir.path());
    press(&mut app, "j<enter>"); // second article in the list
    assert_eq!(app.open.as_ref().unwrap().doc.article.id, "002_915808095f53d4db.txt");
    press(&mut app, "}visxh"); // the repeated headline: duplicated-headline boilerplate
    press(&mut app, "/Dmitry<enter>vees"); // Dmitry Peskov: source
    press(&mut app, "]qviqc"); // the next quotation, inside the marks: claim
    press(&mut app, "a<enter>"); // attributed to the preselected (nearest) source
    press(&mut app, "gn"); // back to the top, then to the source again
    let anns: Vec<&str> = app.open.as_ref().unwrap().doc.annotations.iter().map(|a| a.quote.as_str()).collect();
    assert_eq!(
        anns,
        [
            "The Kremlin's latest peace offering to Ukraine is probably a non-starter",
            "Dmitry Peskov",
            "They should make amendments to the constitution according to which Ukraine would reject any aims to enter any bloc,",
        ]
    );
    (dir, app)
}

/// Where `needle` first appears on screen, as (column, row), counting one column per char
/// (the rows searched hold no wide characters).
fn on_screen(screen: &str, needle: &str) -> (u16, u16) {
    for (y, line) in screen.lines().enumerate() {
        if let Some(i) = line.find(needle) {
            return (line[..i].chars().count() as u16, y as u16);
        }
    }
    panic!("{needle:?} is not on screen:\n{screen}");
}

fn style_at(terminal: &Terminal<TestBackend>, (x, y): (u16, u16)) -> (Color, Modifier) {
    let cell = &terminal.backend().buffer()[(x, y)];
    (cell.fg, cell.modifier)
}

#[test]
fn main_screen_with_a_source_a_claim_and_boilerplate() {
    let (dir, mut app) = annotated_cnn();
    let screen = redacted_screen(&mut app, dir.path(), 120, 40);
    insta::assert_snapshot!("main_screen_annotated_120x40", screen);

    // The spans are painted, each label on its own channel (see ui::theme).
    let terminal = draw(&app, 120, 40);
    let raw = screen_of(&terminal);
    // ("Dmitry" is also the search match, drawn black on yellow: look at "Peskov".)
    let (fg, m) = style_at(&terminal, on_screen(&raw, "Peskov outlined"));
    assert_eq!(fg, Color::Cyan, "source");
    assert!(m.contains(Modifier::BOLD));
    let (fg, m) = style_at(&terminal, on_screen(&raw, "\"They should"));
    assert!(!m.contains(Modifier::UNDERLINED), "the opening mark is outside the claim");
    let (x, y) = on_screen(&raw, "\"They should");
    let (fg2, m2) = style_at(&terminal, (x + 1, y));
    assert_eq!((fg2, m2.contains(Modifier::UNDERLINED)), (Color::Yellow, true), "claim ({fg:?} {m:?} before it)");
    // (The title in the border is cut before "is  ": this finds the first text row.)
    let (x, y) = on_screen(&raw, "The Kremlin's latest peace offering to Ukraine is  ");
    let (fg, m) = style_at(&terminal, (x, y + 3)); // the second copy, three rows down
    assert_eq!((fg, m.contains(Modifier::ITALIC)), (Color::DarkGray, true), "boilerplate");
    let (fg, m) = style_at(&terminal, (x, y));
    assert!(!m.contains(Modifier::ITALIC) && fg == Color::Reset, "the real headline is not boilerplate");
}

#[test]
fn help_overlay() {
    let dir = sample_corpus();
    let mut app = app(dir.path());
    press(&mut app, "?");
    insta::assert_snapshot!("help_overlay_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
}

#[test]
fn boilerplate_kind_menu_over_a_selection() {
    let dir = sample_corpus();
    let mut app = app(dir.path());
    press(&mut app, "j<enter>/Understand<enter>v$x");
    assert_eq!(selected(&app).as_deref(), Some("Understand the importance of honest news ?"));
    insta::assert_snapshot!("kind_menu_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
}

#[test]
fn source_picker() {
    let dir = sample_corpus();
    let mut app = app(dir.path());
    // Two sources in one paragraph, then a claim after them; `a` opens the picker on it.
    press(&mut app, "j<enter>/Dmitry<enter>vees");
    press(&mut app, "/Reuters<enter>ves");
    press(&mut app, "]qviqca");
    let quotes: Vec<&str> = app.open.as_ref().unwrap().doc.annotations.iter().map(|a| a.quote.as_str()).collect();
    assert_eq!(quotes[..2], ["Dmitry Peskov", "Reuters"]);
    insta::assert_snapshot!("source_picker_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
}

#[test]
fn empty_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path());
    // Show a fixed relative path, as if started as `newsnote news/`: a temp path's length
    // varies between machines and would move the wrapping of the message.
    app.corpus.root = "news".into();
    let screen = redacted_screen(&mut app, dir.path(), 120, 40);
    assert!(screen.contains("│No articles in news") && screen.contains("│(newsnote reads .txt, .md,"), "{screen}");
    insta::assert_snapshot!("empty_corpus_120x40", screen);
    // Keys on nothing do nothing, and say so where it helps.
    press(&mut app, "<enter>jkG<tab>vjs<tab>dmu");
    insta::assert_snapshot!("empty_corpus_after_keys_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
}

#[test]
fn small_terminal_80x24() {
    let (dir, mut app) = annotated_cnn();
    insta::assert_snapshot!("main_screen_annotated_80x24", redacted_screen(&mut app, dir.path(), 80, 24));
}

#[test]
fn tiny_terminal_20x5() {
    let (dir, mut app) = annotated_cnn();
    insta::assert_snapshot!("main_screen_annotated_20x5", redacted_screen(&mut app, dir.path(), 20, 5));
    press(&mut app, "<tab>");
    insta::assert_snapshot!("sidebar_20x5", redacted_screen(&mut app, dir.path(), 20, 5));
}

/// Not a snapshot: every overlay at sizes from nothing to narrow must draw without panicking.
#[test]
fn no_overlay_panics_at_any_small_size() {
    let (_dir, mut app) = annotated_cnn();
    let states: [(&str, &str); 6] = [
        ("panes", ""),
        ("help", "?"),
        ("kind menu", "vex"),
        ("picker", "/They<enter>a"),
        ("note prompt", "m"),
        ("filter", "<s-tab>/kre"),
    ];
    for (name, keys) in states {
        press(&mut app, keys);
        for (w, h) in [(0, 0), (1, 1), (2, 2), (10, 3), (20, 5), (40, 8), (79, 24), (80, 3), (300, 100)] {
            send(&mut app, Event::Resize(w, h));
            let s = screen(&app, w, h);
            assert_eq!(s.lines().count(), h as usize, "{name} at {w}x{h}");
        }
        press(&mut app, "<esc><esc>?<esc>");
        send(&mut app, Event::Resize(120, 40));
    }
}

/// An article and sidebar full of graphemes whose width is easy to get wrong: ZWJ families,
/// flag pairs, a letter with a combining accent, and CJK, in the title, the text and the
/// annotations' quotes.
fn wide_graphemes() -> (tempfile::TempDir, App) {
    let line = "Семья 👩\u{200d}👩\u{200d}👧 из 🇺🇦🇷🇺 cafe\u{301} 中文新闻 said the families 👩\u{200d}👩\u{200d}👧👩\u{200d}👩\u{200d}👧 again.";
    let body: Vec<String> = (0..30).map(|i| format!("{i} {line}")).collect();
    let text = format!("Флаги 🇺🇦🇷🇺 и 👩\u{200d}👩\u{200d}👧 cafe\u{301} 中文\n\n{}\n", body.join("\n\n"));
    let dir = corpus_of(&[("wide.txt", &text)]);
    let mut app = app_at(dir.path(), 80, 24);
    press(&mut app, "<enter>");
    // Three annotations over the hard graphemes, so the sidebar quotes them too.
    press(&mut app, "/👩<enter>vees");
    press(&mut app, "/🇺🇦<enter>veec");
    press(&mut app, "/cafe<enter>vwwc");
    assert_eq!(app.open.as_ref().unwrap().doc.annotations.len(), 3);
    (dir, app)
}

/// The x of every vertical pane border of a row (the box-drawing edges of the three panes,
/// and the reader's scrollbar over its right edge).
fn border_columns(terminal: &Terminal<TestBackend>, y: u16) -> Vec<u16> {
    let buf = terminal.backend().buffer();
    (0..buf.area.width).filter(|&x| matches!(buf[(x, y)].symbol(), "│" | "┌" | "┐" | "└" | "┘" | "║" | "█")).collect()
}

#[test]
fn wide_and_combined_graphemes_never_move_a_border_or_leave_a_stale_cell_after_scrolling() {
    let (dir, mut app) = wide_graphemes();
    insta::assert_snapshot!("wide_graphemes_80x24", redacted_screen(&mut app, dir.path(), 80, 24));
    // One terminal drawn frame after frame, as the loop does: what a scroll leaves behind
    // must be exactly what a fresh draw of the same state shows.
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| newsnote::ui::render(&app, f)).unwrap();
    let first = border_columns(&terminal, 1);
    assert_eq!(first.len(), 6, "three panes: {first:?}");
    for keys in ["<c-e>", "<c-e>", "jjjj", "<c-d>", "w", "<c-y>", "<tab>", "j", "<tab><tab>"] {
        press(&mut app, keys);
        terminal.draw(|f| newsnote::ui::render(&app, f)).unwrap();
        for y in 1..22 {
            assert_eq!(border_columns(&terminal, y), first, "after {keys}: row {y} has its borders moved");
        }
        // Compared as a terminal shows them: a cell under the right half of a wide
        // grapheme is not drawn (ratatui never rewrites it), so it is left out.
        let fresh = draw(&app, 80, 24);
        assert_eq!(screen_of(&terminal), screen_of(&fresh), "after {keys}: a stale cell");
    }
}

#[test]
fn the_help_scrolls_as_one_grid_without_reflowing_its_columns() {
    let dir = sample_corpus();
    let mut app = app(dir.path());
    press(&mut app, "?");
    let mut before = screen(&app, 120, 40);
    let mut steps = 0;
    loop {
        press(&mut app, "j");
        let after = screen(&app, 120, 40);
        if after == before {
            break;
        }
        // Every column moved up by one row, in place: the rows inside the box are the rows
        // below them before (the box runs from row 1 to row 38).
        let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
        // Inside the box only (its margin shows the panes beneath, which do not scroll).
        let inside = |l: &str| l.chars().skip(2).take(116).collect::<String>();
        for y in 2..37 {
            assert_eq!(inside(a[y]), inside(b[y + 1]), "step {steps}: row {y} re-flowed");
        }
        before = after;
        steps += 1;
        assert!(steps < 500, "the help never reaches its end");
    }
    assert!(steps > 0, "the help at 120×40 scrolls");
}

/// The style of the cell showing byte `pos`, drawn with or without colour.
fn painted(app: &App, pos: usize, colour: bool) -> (Color, Modifier) {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| newsnote::ui::render_in(app, f, colour)).unwrap();
    style_at(&terminal, cell_of(app, pos))
}

#[test]
fn a_claim_nested_in_a_claim_and_two_touching_claims_are_painted_apart_with_and_without_colour() {
    let dir = corpus_of(&[("вложенные.txt", "Он сказал: «это мир», и ушёл.\n\nПервое второе третье.\n")]);
    let mut app = app(dir.path());
    press(&mut app, "<enter>v$c"); // the whole first line
    press(&mut app, "/это<enter>veec"); // "это мир" inside it
    press(&mut app, "/Первое<enter>vec/второе<enter>vec"); // two claims, a space apart
    press(&mut app, "<esc>G");
    let at = |s: &str| find(&app, s);
    for colour in [true, false] {
        let outer = painted(&app, at("сказал"), colour);
        let inner = painted(&app, at("мир"), colour);
        assert!(outer.1.contains(Modifier::UNDERLINED) && inner.1.contains(Modifier::UNDERLINED));
        assert_ne!(outer, inner, "colour {colour}: the nested claim looks like its parent");
        let first = painted(&app, at("Первое"), colour);
        let second = painted(&app, at("второе"), colour);
        assert_ne!(first, second, "colour {colour}: two touching claims look like one");
        if !colour {
            assert!([outer, inner, first, second].iter().all(|(c, _)| *c == Color::Reset), "no colour");
        }
    }
}

#[test]
fn an_unreadable_annotation_file_says_in_the_sidebar_that_it_cannot_be_read() {
    let dir = corpus_of(&[("статья.txt", "Текст статьи.\n"), ("статья.ron", "(format: 1, this is not RON")]);
    let mut app = app(dir.path());
    press(&mut app, "<enter>");
    let s = screen(&app, 120, 40);
    assert!(s.contains("The annotation file cannot be") && s.contains("Expected colon"), "{s}");
    assert!(!s.contains("No annotations in this article yet"), "{s}");
}

/// A quote interrupted by "he said", tagged by keys as one claim of two pieces, with the
/// cursor on its second piece.
const INTERRUPTED: &str =
    "Київ, понеділок.\n\nZelensky told reporters: “We will not give up,” he said, “not now and not ever.” Ой 😀.\n";

fn two_piece_claim_in(app: &mut App) {
    go_to(app, "We will");
    press(app, "viqc");
    go_to(app, "not now");
    press(app, "viq+");
    go_to(app, "not ever");
}

#[test]
fn the_value_menu_of_a_claims_quote_type() {
    let dir = corpus_of(&[("a.txt", INTERRUPTED)]);
    let mut app = app(dir.path());
    press(&mut app, "<enter>");
    two_piece_claim_in(&mut app);
    press(&mut app, "=");
    insta::assert_snapshot!("value_menu_quote_type_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
}

/// The default codebook with a second attribute on claims (yes/no), so `=` opens the menu of
/// attributes first.
fn codebook_with_two_claim_attributes(dir: &Path) -> newsnote::model::codebook::Codebook {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/codebook.ron")).unwrap();
    let extra = "attributes: [\n        (id: \"verified\", name: \"verified\", labels: [\"Claim\"], kind: YesNo, key: Some(\"v\"), definition: \"Checked against a second source.\"),";
    let path = dir.join("codebook.ron");
    std::fs::write(&path, text.replacen("attributes: [", extra, 1)).unwrap();
    newsnote::model::codebook::load_file(&path).unwrap()
}

#[test]
fn the_attribute_menu_when_a_label_has_two_attributes() {
    let dir = corpus_of(&[("a.txt", INTERRUPTED)]);
    let cb = codebook_with_two_claim_attributes(dir.path());
    let corpus =
        newsnote::model::corpus::Corpus::open(dir.path(), newsnote::model::corpus::AnnotationRoot::NextToArticles)
            .unwrap();
    let mut app = App::with_codebook(
        corpus,
        "tester".into(),
        newsnote::app::keymap::Keymap::default_map(),
        cb,
        ratatui::layout::Rect::new(0, 0, 120, 40),
    );
    newsnote::tui::dispatch(&mut app, newsnote::app::Msg::Resize { width: 120, height: 40 });
    press(&mut app, "<enter>");
    two_piece_claim_in(&mut app);
    press(&mut app, "=");
    insta::assert_snapshot!("attribute_menu_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    // v toggles the yes/no attribute at once; the sidebar's details show both values.
    press(&mut app, "v=2d");
    let o = app.open.as_ref().unwrap();
    let attrs: Vec<String> = o.doc.annotations[0].attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(attrs, ["quote_type=direct", "verified=yes"]);
}

#[test]
fn the_codebook_overlay_scrolls_with_j_and_k_and_stops_at_its_end() {
    let dir = corpus_of(&[("a.txt", INTERRUPTED)]);
    let mut app = app(dir.path());
    press(&mut app, "<enter>K");
    insta::assert_snapshot!("codebook_overlay_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    let top = screen(&app, 120, 40);
    press(&mut app, "j");
    let one_down = screen(&app, 120, 40);
    assert_ne!(one_down, top, "j scrolls");
    press(&mut app, &"j".repeat(500));
    let end = screen(&app, 120, 40);
    press(&mut app, "k");
    assert_ne!(screen(&app, 120, 40), end, "k answers at once after scrolling past the end");
    press(&mut app, "q");
    assert!(matches!(app.overlay, newsnote::app::Overlay::None), "q closes it");
}

/// The samples with their annotations and registry (`sources.ron`) beside the articles,
/// opened as `newsnote DIR` opens them, registry included.
fn samples_with_entities() -> (tempfile::TempDir, newsnote::headless::Headless) {
    let dir = annotated_sample_corpus();
    let h = newsnote::headless::Headless::open(dir.path(), 120, 40).unwrap();
    assert!(h.app.registry.as_ref().is_some_and(|r| r.live().count() > 0), "the samples' registry is loaded");
    (dir, h)
}

#[test]
fn the_entities_view_lists_every_entity_by_claims_with_the_first_ones_mentions_expanded() {
    let (_dir, mut h) = samples_with_entities();
    h.keys("E<enter>");
    h.draw();
    let screen = h.screen();
    assert!(screen.contains("12 of 12 entities"), "{screen}");
    insta::assert_snapshot!("entities_view_expanded_120x40", screen);
}

#[test]
fn the_entities_view_filtered_by_an_attribute_value_and_the_merge_question() {
    let (_dir, mut h) = samples_with_entities();
    // f, the attribute's key (type), the value's key (media).
    h.keys("Eftm");
    h.draw();
    insta::assert_snapshot!("entities_view_only_media_120x40", h.screen());
    h.keys("<esc>gjjjjjmgM");
    h.draw();
    insta::assert_snapshot!("entities_view_merge_question_120x40", h.screen());
}

#[test]
fn enter_on_a_mention_in_the_entities_view_opens_its_article_with_the_cursor_on_it() {
    let (_dir, mut h) = samples_with_entities();
    // Dmitry Peskov's mentions: five in 000, then 002's "Kremlin spokesperson Dmitry Peskov".
    h.keys("E<enter>jjjjjj<enter>");
    let o = h.app.open.as_ref().unwrap();
    assert_eq!(o.doc.article.id, "002_915808095f53d4db.txt");
    assert!(!h.app.entity_view.shown);
    let at = o.doc.article.text[h.app.reader.cursor..].to_owned();
    assert!(at.starts_with("Kremlin spokesperson Dmitry Peskov"), "{:?}", &at[..40]);
    h.draw();
    assert!(h.screen().lines().last().unwrap().starts_with(" READ "), "{}", h.screen());
}

/// Not a snapshot: the entities view, its menus and its prompts draw at any size.
#[test]
fn the_entities_view_its_menus_and_prompts_never_panic_at_any_small_size() {
    let (_dir, mut h) = samples_with_entities();
    let states: [(&str, &str); 5] = [
        ("view", "E"),
        ("expanded", "<enter>"),
        ("attribute menu", "="),
        ("merge question", "<esc>mjM"),
        ("rename", "nR"),
    ];
    for (name, keys) in states {
        h.keys(keys);
        for (w, ht) in [(1, 1), (2, 2), (10, 3), (20, 5), (40, 8), (79, 24), (80, 3), (300, 100), (120, 40)] {
            h.event(&Event::Resize(w, ht));
            let mut t = Terminal::new(TestBackend::new(w, ht)).unwrap();
            t.draw(|f| newsnote::ui::render(&h.app, f)).unwrap();
        }
        assert!(h.app.entity_view.shown, "{name}: still in the view");
    }
}

#[test]
fn renaming_in_the_entities_view_keeps_the_old_name_as_an_alias_and_is_saved_at_once() {
    let (dir, mut h) = samples_with_entities();
    h.keys("ER");
    let newsnote::app::Overlay::Prompt { text, .. } = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert_eq!(text, "Dmitry Peskov", "the prompt starts from the name");
    h.keys("<c-u>Дмитрий Сергеевич Песков<enter>wQ5<enter>");
    let on_disk = newsnote::model::entities::Registry::open(&dir.path().join("sources.ron")).unwrap();
    let e = on_disk.get(&newsnote::model::entities::EntityId::new("dmitry-peskov")).unwrap();
    assert_eq!(e.name, "Дмитрий Сергеевич Песков");
    assert!(e.has_name("Dmitry Peskov"));
    assert_eq!(e.wikidata.as_deref(), Some("Q5"));
    h.draw();
    assert!(h.screen().contains("▸Дмитрий Сергеевич Песков"), "{}", h.screen());
}

#[test]
fn the_entity_picker_after_tagging_a_source_proposes_the_same_name() {
    let (dir, mut h) = samples_with_entities();
    h.keys("<enter>/Vladimir<enter>vees");
    h.draw();
    insta::assert_snapshot!("entity_picker_after_tagging_120x40", redact(&h.app, dir.path(), &h.screen()));
}

#[test]
fn the_sidebar_grouped_by_entity_lists_each_with_its_mentions_and_claims() {
    let (dir, mut h) = samples_with_entities();
    h.keys("<enter><tab>p");
    h.draw();
    insta::assert_snapshot!("sidebar_grouped_by_entity_120x40", redact(&h.app, dir.path(), &h.screen()));
}

/// A saved web page with a title, and an outlet and publication time when given.
fn news_page(title: &str, outlet: Option<&str>, published: Option<&str>) -> String {
    let mut head = format!("<title>{title}</title>");
    if let Some(o) = outlet {
        head.push_str(&format!(r#"<meta property="og:site_name" content="{o}">"#));
    }
    if let Some(p) = published {
        head.push_str(&format!(r#"<meta property="article:published_time" content="{p}">"#));
    }
    format!("<!doctype html><html><head>{head}</head><body><h1>{title}</h1><p>Text of the article.</p></body></html>")
}

/// Six saved pages from four outlets (one name too long for its column, one page without a
/// date, one without an outlet) and a plain text article with neither.
fn news_pages() -> tempfile::TempDir {
    let pages = [
        ("kyiv-talks.html", "Talks resume in Istanbul", Some("Українська правда"), Some("2026-11-30T08:15:00+02:00")),
        ("reuters-grain.html", "Grain corridor reopens", Some("Reuters"), Some("2026-11-02T10:00:00Z")),
        ("xinhua.html", "外交部发言人答记者问", Some("新华社"), Some("2026-12-01")),
        ("pravda-mayor.html", "Мер Києва про опалення", Some("Українська правда"), Some("2026-10-15")),
        (
            "long-outlet.html",
            "Weekly digest",
            Some("The Very Long Name of a Regional Evening Newspaper"),
            Some("2026-11-20"),
        ),
        ("undated.html", "Опалювальний сезон", Some("Reuters"), None),
        ("no-outlet.html", "A page without an outlet", None, Some("2026-11-25")),
    ];
    let mut files: Vec<(&str, String)> = pages.iter().map(|(n, t, o, p)| (*n, news_page(t, *o, *p))).collect();
    files.push(("notes.txt", "Plain notes\n\nNo metadata here.\n".into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    corpus_of(&refs)
}

#[test]
fn a_corpus_of_news_pages_lists_their_day_and_outlet_in_columns() {
    let dir = news_pages();
    let mut app = app(dir.path());
    insta::assert_snapshot!("news_pages_list_78x20", redacted_screen(&mut app, dir.path(), 78, 20));
    insta::assert_snapshot!("news_pages_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
}

#[test]
fn the_list_filtered_by_outlet_and_date_range_typed_in_the_filter_prompt() {
    let dir = news_pages();
    let mut app = app(dir.path());
    press(&mut app, "/OUTLET:правда from:2026-11<enter>");
    let screen = redacted_screen(&mut app, dir.path(), 78, 20);
    insta::assert_snapshot!("news_pages_filtered_78x20", screen);
    press(&mut app, "/<c-u>reuters to:2026-11-02<enter>");
    let screen = redacted_screen(&mut app, dir.path(), 78, 20);
    assert!(screen.contains("Articles 1/8") && screen.contains("Grain corridor"), "{screen}");
}

#[test]
fn the_list_sorted_newest_first_with_o_keeps_the_selected_article() {
    let dir = news_pages();
    let mut app = app(dir.path());
    let selected = |app: &App| app.corpus.entries[app.list.visible[app.list.selected]].id.clone();
    press(&mut app, "jj");
    assert_eq!(selected(&app), "no-outlet.html");
    press(&mut app, "o");
    insta::assert_snapshot!("news_pages_newest_first_78x20", redacted_screen(&mut app, dir.path(), 78, 20));
    assert_eq!((app.list.selected, selected(&app)), (2, "no-outlet.html".into()), "moved with its article");
    press(&mut app, "o");
    let screen = redacted_screen(&mut app, dir.path(), 78, 20);
    assert!(screen.contains("· by outlet"), "{screen}");
    assert_eq!(selected(&app), "no-outlet.html");
    press(&mut app, "o");
    assert!(!redacted_screen(&mut app, dir.path(), 78, 20).contains("· by"), "back to the id order");
}

/// 002 (the CNN-style sample) with its detectors run by `P`: its boilerplate and its quotes
/// (each claim with its cue and source) proposed, then `]s` to the first suggestion.
fn suggested_cnn() -> (tempfile::TempDir, App) {
    let dir = sample_corpus();
    let mut app = app(dir.path());
    press(&mut app, "j<enter>P]s");
    let o = app.open.as_ref().unwrap();
    assert!(o.doc.annotations.iter().all(|a| a.is_proposed()), "only suggestions so far");
    assert!(o.doc.annotations.iter().any(|a| a.label.as_str() == "Claim"), "the sample has quotes");
    (dir, app)
}

/// The reading pane's text rows without colour, one character per cell: a blank for a cell
/// painted plain, else a hex digit of its attributes (1 bold, 2 dim, 4 italic, 8 underlined),
/// `R` for reverse video (the cursor); the margin's `?` is shown as drawn.
fn plain_paint(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| newsnote::ui::render_in(app, f, false)).unwrap();
    let area = newsnote::app::layout::reader_text(app.panes().reader.unwrap());
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in area.y..area.y + area.height {
        out.push(if buf[(area.x - 1, y)].symbol() == "?" { '?' } else { ' ' });
        out.push('|');
        for x in area.x..area.x + area.width {
            let m = buf[(x, y)].modifier;
            let bits = [(Modifier::BOLD, 1), (Modifier::DIM, 2), (Modifier::ITALIC, 4), (Modifier::UNDERLINED, 8)];
            let n: u32 = bits.iter().filter(|(b, _)| m.contains(*b)).map(|(_, v)| v).sum();
            out.push(match (m.contains(Modifier::REVERSED), n) {
                (true, _) => 'R',
                (false, 0) => ' ',
                (false, n) => char::from_digit(n, 16).unwrap(),
            });
        }
        out.push_str("|\n");
    }
    out
}

#[test]
fn a_page_of_suggestions_before_and_after_accepting_one_and_rejecting_one() {
    let (dir, mut app) = suggested_cnn();
    insta::assert_snapshot!("suggestions_proposed_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    insta::assert_snapshot!("suggestions_proposed_no_color_paint", plain_paint(&app));
    let first = app.open.as_ref().unwrap().doc.annotations[app.sidebar.selected].id.clone();
    press(&mut app, "A"); // accepted with its cue and source; on to the next
    insta::assert_snapshot!("suggestions_one_accepted_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    insta::assert_snapshot!("suggestions_one_accepted_no_color_paint", plain_paint(&app));
    press(&mut app, "X"); // the next one rejected, out of view
    insta::assert_snapshot!("suggestions_one_rejected_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    let doc = &app.open.as_ref().unwrap().doc;
    assert!(doc.get(&first).is_some_and(|a| !a.is_proposed()));
    assert_eq!(doc.rejected.iter().filter(|a| a.label.as_str() == "Claim").count(), 1);
}

#[test]
fn an_open_suggestion_is_painted_apart_from_the_same_label_accepted_with_and_without_colour() {
    let (_dir, mut app) = suggested_cnn();
    // To the first claim (the page starts with boilerplate).
    for _ in 0..5 {
        if app.open.as_ref().unwrap().doc.annotations[app.sidebar.selected].label.as_str() == "Claim" {
            break;
        }
        press(&mut app, "]s");
    }
    let doc = &app.open.as_ref().unwrap().doc;
    let claim = doc.annotations[app.sidebar.selected].clone();
    let pos = doc.spans[app.sidebar.selected].unwrap().start + claim.quote.chars().next().unwrap().len_utf8();
    let (_, y) = cell_of(&app, pos);
    let before: Vec<(Color, Modifier)> = [true, false].iter().map(|&c| painted(&app, pos, c)).collect();
    let margin = |app: &App| {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| newsnote::ui::render_in(app, f, false)).unwrap();
        let text = newsnote::app::layout::reader_text(app.panes().reader.unwrap());
        terminal.backend().buffer()[(text.x - 1, y)].symbol().to_owned()
    };
    assert_eq!(margin(&app), "?", "the row of a suggestion is marked in the margin");
    // The cursor moves on after A: look at the claim where it was.
    press(&mut app, "A");
    let after: Vec<(Color, Modifier)> = [true, false].iter().map(|&c| painted(&app, pos, c)).collect();
    for (k, colour) in [true, false].iter().enumerate() {
        assert_ne!(before[k], after[k], "colour {colour}: a suggestion looks like the accepted claim");
        assert!(after[k].1.contains(Modifier::UNDERLINED), "colour {colour}: accepted, a claim's look");
        assert!(before[k].1.contains(Modifier::UNDERLINED | Modifier::DIM), "colour {colour}: faded claim");
    }
    assert_eq!(before[0].0, Color::Yellow, "in colour, the label's colour says what is proposed");
    assert!(before[1].0 == Color::Reset && after[1].0 == Color::Reset, "no colour without colour");
}

const ADJUDICATED: &str =
    "«Мы не отступим», — заявил Дмитрий Песков журналистам.\n\nПодпишитесь на наш канал сегодня.\n";

/// A corpus of one article and two coders' folders (`coders/алиса`, `coders/боб`) that
/// differ on the claim's source, the source's bounds and the boilerplate's kind, opened with
/// `newsnote adjudicate` as the binary opens it, at 120×40.
fn two_coders() -> (tempfile::TempDir, App) {
    use newsnote::model::annotation::{Annotation, LabelId};
    use newsnote::model::store::{AnnotationFile, Fingerprint};
    use newsnote::model::units::{ByteRange, CharRange};
    let dir = corpus_of(&[("статья.txt", ADJUDICATED)]);
    let ann = |label: &str, quote: &str, author: &str| {
        let b = ADJUDICATED.find(quote).unwrap();
        let start = ADJUDICATED[..b].chars().count();
        let span = CharRange::new(start, start + quote.chars().count());
        let bytes = ByteRange::new(b, b + quote.len());
        Annotation::new_manual(LabelId::new(label), ADJUDICATED, bytes, span, author, "2026-12-01T10:00:00Z")
    };
    for (name, source, kind) in [("алиса", "Дмитрий Песков", "Newsletter"), ("боб", "Песков", "Advertisement")]
    {
        let s = ann("Source", source, name);
        let mut c = ann("Claim", "Мы не отступим", name);
        c.link("source", s.id.clone());
        let b = ann("Boilerplate", "Подпишитесь на наш канал сегодня.", name).with_value("kind", kind);
        let fp = Fingerprint::of(ADJUDICATED, ADJUDICATED.chars().count());
        let folder = dir.path().join("coders").join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("статья.ron"), AnnotationFile::new("статья.txt", fp, vec![s, c, b]).to_ron())
            .unwrap();
    }
    let root = dir.path().display().to_string();
    let args = newsnote::cli::adjudicate::AdjudicateArgs {
        args: vec![root, "алиса".into(), "боб".into()], gold: None
    };
    let common = newsnote::cli::Common {
        annotations: None,
        annotator: Some("судья".into()),
        coder: None,
        codebook: None,
        entities: None,
        text_field: None,
        title_field: None,
        id_field: None,
    };
    let mut app =
        newsnote::cli::adjudicate::prepare(&args, &common, newsnote::app::keymap::Keymap::default_map()).unwrap();
    newsnote::tui::dispatch(&mut app, newsnote::app::Msg::Resize { width: 120, height: 40 });
    (dir, app)
}

#[test]
fn adjudicating_two_coders_shows_the_units_and_each_coders_version_of_a_disagreement() {
    let (dir, mut app) = two_coders();
    press(&mut app, "n");
    insta::assert_snapshot!("adjudicate_disagreement_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
}

#[test]
fn adjudicating_after_taking_the_first_coders_version_counts_it_and_its_source_resolved() {
    let (dir, mut app) = two_coders();
    press(&mut app, "n1");
    insta::assert_snapshot!("adjudicate_taken_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
}

#[test]
fn adjudicating_without_colour_tells_the_coders_and_states_apart_by_letters_and_symbols_alone() {
    let (dir, mut app) = two_coders();
    press(&mut app, "n1n");
    send(&mut app, Event::Resize(120, 40));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| newsnote::ui::render_in(&app, f, false)).unwrap();
    let buf = terminal.backend().buffer();
    let coloured = buf.content().iter().filter(|c| c.fg != Color::Reset || c.bg != Color::Reset).count();
    assert_eq!(coloured, 0, "NO_COLOR: no cell has a colour");
    insta::assert_snapshot!("adjudicate_no_colour_120x40", redact(&app, dir.path(), &screen_of(&terminal)));
}

#[test]
fn undo_in_adjudication_steps_back_through_marks_and_takes_in_order() {
    use newsnote::model::progress::{Progress, Stage};
    let (dir, mut app) = two_coders();
    let gold = dir.path().join("gold");
    let claims = || {
        let f = newsnote::model::store::AnnotationFile::load(&gold.join("статья.ron"), "статья.txt").unwrap();
        f.map_or(0, |f| f.annotations.iter().filter(|a| a.label.as_str() == "Claim").count())
    };
    let marked = || Progress::open(&gold.join("progress.ron")).unwrap().is("статья.txt", Stage::Adjudicated);
    press(&mut app, "n1D");
    assert_eq!((claims(), marked()), (1, true));
    press(&mut app, "u");
    assert_eq!((claims(), marked()), (1, false), "the mark was the last step");
    press(&mut app, "u");
    assert_eq!((claims(), marked()), (0, false), "then the take");
    press(&mut app, "<c-r>");
    assert_eq!((claims(), marked()), (1, false));
    press(&mut app, "<c-r>");
    assert_eq!((claims(), marked()), (1, true));
    // A new take after undoing the mark leaves nothing of the mark to redo.
    press(&mut app, "u");
    press(&mut app, "nb<c-r>");
    assert!(!marked(), "redo after a new change brings no old mark back");
}

/// A team of three: алиса done with three articles, bob with one (reviewed, and adjudicated
/// in gold), zoë codes now and marks the second article done with `D` in the list. Each row
/// shows the coders' initials where done and `·` where not, then A or R; the list's bottom
/// border has the totals; the status bar says who is coding.
#[test]
fn the_list_shows_three_coders_progress_with_totals() {
    use newsnote::model::corpus::{AnnotationRoot, Corpus};
    use newsnote::model::progress::{Progress, Stage};
    let dir = corpus_of(&[
        ("01-женева.txt", "Переговоры в Женеве\n\nТекст.\n"),
        ("02-киев.txt", "Київ відповідає\n\nТекст.\n"),
        ("03-berlin.txt", "Berlin schweigt\n\nText.\n"),
        ("04-tokyo.txt", "東京の反応\n\n本文。\n"),
        ("corpus.ron", "(team: (coders: [\"алиса\", \"bob\", \"zoë\"]))\n"),
    ]);
    let d = dir.path();
    let mark = |folder: &str, article: &str, stage: Stage| {
        let mut p = Progress::open(&d.join(folder).join("progress.ron")).unwrap();
        p.set(article, stage, "someone", "2026-12-01T10:00:00Z");
        p.save().unwrap();
    };
    for a in ["01-женева.txt", "02-киев.txt", "03-berlin.txt"] {
        mark("coders/алиса", a, Stage::Done);
    }
    mark("coders/bob", "01-женева.txt", Stage::Done);
    mark("coders/bob", "01-женева.txt", Stage::Reviewed);
    mark("coders/bob", "03-berlin.txt", Stage::Reviewed);
    mark("gold", "01-женева.txt", Stage::Adjudicated);
    let corpus = Corpus::open(d, AnnotationRoot::Mirrored(d.join("coders/zoë"))).unwrap();
    let mut app = App::new(
        corpus,
        "zoë".into(),
        newsnote::app::keymap::Keymap::default_map(),
        ratatui::layout::Rect::new(0, 0, 100, 14),
    )
    .with_coder(Some("zoë".into()));
    newsnote::tui::dispatch(&mut app, newsnote::app::Msg::Resize { width: 100, height: 14 });
    app.focus = newsnote::app::Focus::List;
    press(&mut app, "jD");
    insta::assert_snapshot!("list_three_coders_progress_100x14", redacted_screen(&mut app, d, 100, 14));
    assert_eq!(app.coders.totals, [3, 1, 1]);
}

/// The review pass over three annotations made with keys: its start (the sidebar lists what
/// the pass walks, the one under review in full), after an approval, a dispute, and a comment
/// (typed into its prompt, recorded alone). The status line counts the review; the text's
/// paint without colour (NO_COLOR) after the dispute.
#[test]
fn a_review_pass_start_and_after_approve_dispute_and_comment() {
    let (dir, mut app) = annotated_cnn();
    press(&mut app, "gg");
    press(&mut app, "R");
    insta::assert_snapshot!("review_pass_started_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    press(&mut app, "a"); // the headline's boilerplate approved; on to the source
    insta::assert_snapshot!("review_pass_approved_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    press(&mut app, "x"); // the source disputed; on to the claim
    insta::assert_snapshot!("review_pass_disputed_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    // Without colour the annotation under review is still told apart (the text's paint, no colour).
    insta::assert_snapshot!("review_pass_disputed_no_color_paint", plain_paint(&app));
    press(&mut app, "c");
    for c in "zu lang – Zitat kürzen".chars() {
        send(
            &mut app,
            Event::Key(ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c))),
        );
    }
    press(&mut app, "<enter>");
    insta::assert_snapshot!("review_pass_commented_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    let doc = &app.open.as_ref().unwrap().doc;
    let verdicts: Vec<Option<&str>> =
        doc.annotations.iter().map(|a| a.reviews.last().map(|r| r.verdict.as_str())).collect();
    assert_eq!(verdicts, [Some("Approved"), Some("Disputed"), Some("Comment")]);
}

/// The stats view at `w`×`h` without colour, as text: bars must read as shapes and values.
fn stats_screen(h: &mut newsnote::headless::Headless, w: u16, ht: u16) -> String {
    h.event(&Event::Resize(w, ht));
    let mut t = Terminal::new(TestBackend::new(w, ht)).unwrap();
    t.draw(|f| newsnote::ui::render_in(&h.app, f, false)).unwrap();
    drive::screen_of(&t)
}

#[test]
fn the_stats_view_charts_each_figure_at_80x24_without_colour() {
    let (_dir, mut h) = samples_with_entities();
    h.keys("S");
    assert!(h.app.stats_view.shown && h.app.stats_view.picture.is_some(), "computed on open");
    // The default codebook's two entity attributes (source type, gender) each have a chart.
    for name in ["entities", "source_type", "gender", "claims", "labels", "boilerplate", "coders"] {
        let screen = stats_screen(&mut h, 80, 24);
        assert!(screen.contains(" STATS "), "{screen}");
        insta::assert_snapshot!(format!("stats_{name}_80x24"), screen);
        h.keys("<tab>");
    }
}

#[test]
fn the_stats_view_at_120x40_scrolled_and_on_the_label_mix() {
    let (_dir, mut h) = samples_with_entities();
    h.keys("Sjj");
    insta::assert_snapshot!("stats_entities_scrolled_120x40", stats_screen(&mut h, 120, 40));
    h.keys("hhh");
    insta::assert_snapshot!("stats_labels_120x40", stats_screen(&mut h, 120, 40));
}

/// Not a snapshot: every chart draws at any size, computed or not.
#[test]
fn the_stats_view_never_panics_at_any_small_size() {
    let (_dir, mut h) = samples_with_entities();
    // Opened but not computed yet: the effect that would start the job is not performed.
    let _ = newsnote::app::update(&mut h.app, newsnote::app::Action::OpenStats);
    for round in 0..9 {
        for (w, ht) in [(1, 1), (2, 2), (10, 3), (20, 5), (40, 8), (79, 24), (80, 3), (300, 100), (120, 40)] {
            h.event(&Event::Resize(w, ht));
            let mut t = Terminal::new(TestBackend::new(w, ht)).unwrap();
            t.draw(|f| newsnote::ui::render_in(&h.app, f, round % 2 == 0)).unwrap();
        }
        if round == 0 {
            h.keys("SS");
        } else {
            h.keys("<tab>G");
        }
        assert!(h.app.stats_view.shown, "round {round}: still in the view");
    }
}

#[test]
fn adjusting_a_suggested_claim_then_accepting_it_moves_on_to_the_next_suggestion() {
    let (dir, mut app) = suggested_cnn();
    // To the first claim (the page starts with boilerplate).
    for _ in 0..5 {
        if app.open.as_ref().unwrap().doc.annotations[app.sidebar.selected].label.as_str() == "Claim" {
            break;
        }
        press(&mut app, "]s");
    }
    let claim = app.open.as_ref().unwrap().doc.annotations[app.sidebar.selected].id.clone();
    press(&mut app, "<"); // one word shorter: accepted as adjusted, the cursor stays on it
    insta::assert_snapshot!("suggestion_adjusted_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    press(&mut app, "A"); // keeps it as adjusted and goes on, as a plain A does
    insta::assert_snapshot!("suggestion_adjusted_then_accepted_120x40", redacted_screen(&mut app, dir.path(), 120, 40));
    let doc = &app.open.as_ref().unwrap().doc;
    let next = &doc.annotations[app.sidebar.selected];
    assert!(next.is_proposed() && next.id != claim, "on an open suggestion after the claim: {next:?}");
    assert!(doc.get(&claim).is_some_and(|a| !a.is_proposed()));
    let msg = &app.message.as_ref().unwrap().text;
    assert!(msg.starts_with("accepted Claim") && msg.contains(" left"), "{msg}");
}
