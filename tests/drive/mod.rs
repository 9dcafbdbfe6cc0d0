//! Driving newsnote the way a user does, for the integration tests in `tests/`.
//!
//! Keys are written in the keymap's own notation (`"vees"`, `"]q"`, `"<esc>"`, `"<c-r>"`,
//! `"/peskov<enter>"`) and go through the real input path: a crossterm `Event` →
//! `app::input::msg_for` (keymap, pending multi-key sequences, prompts) →
//! `tui::dispatch` (update + the saves it asks for). Nothing here calls `update` with a
//! hand-made action except the terminal resize the loop itself sends at start.
//!
//! Selections and cursors are read back as text with a marker notation (after helix's
//! `#[a|]#`): `[` and `]` around the selection, `|` before the grapheme under the cursor.
#![allow(dead_code)]

use newsnote::app::keymap::Keymap;
use newsnote::app::{App, input};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The bundled sample articles.
pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles")
}

/// A temp folder holding a copy of every sample article (never the originals: tests write
/// annotation files next to them).
pub fn sample_corpus() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(samples_dir()).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name.to_string_lossy().ends_with(".txt") {
            std::fs::copy(e.path(), dir.path().join(&name)).unwrap();
        }
    }
    dir
}

/// [`sample_corpus`] with the checkout's annotation files and registry (`sources.ron`)
/// beside the articles, as `newsnote DIR` finds them.
pub fn annotated_sample_corpus() -> TempDir {
    let dir = sample_corpus();
    let ann = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("annotations");
    for e in std::fs::read_dir(&ann).unwrap() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "ron") {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
        }
    }
    dir
}

/// A temp folder with these files (name, contents).
pub fn corpus_of(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// The app as `main.rs` builds it (annotation files next to the articles), then told the
/// terminal size as the loop does on start.
pub fn app_at(dir: &Path, width: u16, height: u16) -> App {
    let corpus = Corpus::open(dir, AnnotationRoot::NextToArticles).unwrap();
    let mut app = App::new(corpus, "tester".into(), Keymap::default_map(), Rect::new(0, 0, 120, 40));
    newsnote::tui::dispatch(&mut app, newsnote::app::Msg::Resize { width, height });
    app
}

pub fn app(dir: &Path) -> App {
    app_at(dir, 120, 40)
}

/// Splits `"v]q<esc>"` into key events, in the library's notation (`newsnote::headless`):
/// uppercase letters carry SHIFT, as crossterm reports.
pub fn keys(notation: &str) -> Vec<KeyEvent> {
    newsnote::headless::parse_keys(notation)
}

/// Sends one terminal event through the real input path.
pub fn send(app: &mut App, event: Event) {
    if let Some(action) = input::msg_for(app, &event) {
        newsnote::tui::dispatch(app, action);
    }
}

/// Presses keys, e.g. `press(&mut app, "vees")`, `press(&mut app, "/peskov<enter>")`.
pub fn press(app: &mut App, notation: &str) {
    for k in keys(notation) {
        send(app, Event::Key(k));
    }
}

fn mouse(kind: MouseEventKind, col: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent { kind, column: col, row, modifiers: KeyModifiers::NONE })
}

pub fn click(app: &mut App, col: u16, row: u16) {
    send(app, mouse(MouseEventKind::Down(MouseButton::Left), col, row));
}

pub fn drag(app: &mut App, col: u16, row: u16) {
    send(app, mouse(MouseEventKind::Drag(MouseButton::Left), col, row));
}

pub fn release(app: &mut App, col: u16, row: u16) {
    send(app, mouse(MouseEventKind::Up(MouseButton::Left), col, row));
}

/// The open article's text.
pub fn text(app: &App) -> &str {
    &app.open.as_ref().expect("an article is open").doc.article.text
}

/// Byte offset of the `n`th (0-based) occurrence of `needle` in the open article.
pub fn find_nth(app: &App, needle: &str, n: usize) -> usize {
    text(app).match_indices(needle).nth(n).unwrap_or_else(|| panic!("{needle:?} #{n} not in the article")).0
}

pub fn find(app: &App, needle: &str) -> usize {
    find_nth(app, needle, 0)
}

fn next_grapheme(t: &str, pos: usize) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    t[pos..].graphemes(true).next().map_or(t.len(), |g| pos + g.len())
}

/// The selected text (anchor to cursor, the grapheme under the cursor included, as drawn).
pub fn selected(app: &App) -> Option<String> {
    let t = text(app);
    let a = app.reader.anchor?;
    let (lo, hi) = (a.min(app.reader.cursor), a.max(app.reader.cursor));
    Some(t[lo..next_grapheme(t, hi)].to_owned())
}

/// The line (between newlines) holding the cursor, with `|` before the cursor and the
/// selection, if any, in `[` `]`. Long lines are cut to `context` chars either side of the
/// marks, with `…`.
pub fn marked(app: &App, context: usize) -> String {
    let t = text(app);
    let cur = app.reader.cursor;
    let sel = app.reader.anchor.map(|a| (a.min(cur), next_grapheme(t, a.max(cur))));
    let lo_mark = sel.map_or(cur, |s| s.0.min(cur));
    let hi_mark = sel.map_or(cur, |s| s.1.max(cur));
    let line_start = t[..lo_mark].rfind('\n').map_or(0, |i| i + 1);
    let line_end = t[hi_mark..].find('\n').map_or(t.len(), |i| hi_mark + i);
    let from = t[line_start..lo_mark]
        .char_indices()
        .rev()
        .nth(context.saturating_sub(1))
        .map_or(line_start, |(i, _)| line_start + i);
    let from = if context == 0 { lo_mark } else { from };
    let to = t[hi_mark..line_end].char_indices().nth(context).map_or(line_end, |(i, _)| hi_mark + i);
    let mut out = String::new();
    if from > line_start {
        out.push('…');
    }
    for (i, c) in t[from..to].char_indices().map(|(i, c)| (from + i, c)).chain(std::iter::once((to, '\0'))) {
        if sel.is_some_and(|s| s.1 == i) {
            out.push(']');
        }
        if sel.is_some_and(|s| s.0 == i) {
            out.push('[');
        }
        if i == cur {
            out.push('|');
        }
        if i < to {
            out.push(c);
        }
    }
    if to < line_end {
        out.push('…');
    }
    out
}

/// Draws the app on a `width`×`height` TestBackend.
pub fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| newsnote::ui::render(app, f)).unwrap();
    terminal
}

/// The screen as text: one line per row, the symbol of each cell (cells hidden under a
/// wide character skipped), trailing blanks trimmed.
pub fn screen_of(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            if skip == 0 {
                line.push_str(cell.symbol());
                skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).max(1);
            }
            skip -= 1;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn screen(app: &App, width: u16, height: u16) -> String {
    screen_of(&draw(app, width, height))
}

/// The open article's annotation file as saved on disk.
pub fn ron_on_disk(app: &App) -> String {
    let path = &app.open.as_ref().unwrap().doc.ron_path;
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------
// The sample corpus and reading results back

use newsnote::app::{Focus, layout};
use newsnote::model::annotation::LabelId;
use newsnote::model::store::AnnotationFile;

pub const RT: &str = "000_e37f52fc02921a26.txt";
pub const CNN: &str = "002_915808095f53d4db.txt";

/// The sample corpus with one article open in the reading pane, focus in the reader.
pub fn open_sample(name: &str) -> (tempfile::TempDir, newsnote::app::App) {
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
pub fn open_text(text: &str) -> (tempfile::TempDir, newsnote::app::App) {
    let dir = corpus_of(&[("a.txt", text)]);
    let mut app = app(dir.path());
    press(&mut app, "<enter>");
    assert_eq!(app.focus, Focus::Reader);
    (dir, app)
}

/// Puts the cursor on the first occurrence of `needle` by searching for it (so tests
/// move the way a user does). Searches are smart-case: give the exact capitalisation.
pub fn go_to(app: &mut newsnote::app::App, needle: &str) {
    press(app, &format!("g/{}<enter>", needle.replace(' ', "<space>")));
    let want = text(app).find(needle).unwrap();
    if app.reader.cursor != want {
        // The match at the very top: the search went past it, n wraps back.
        press(app, "n");
    }
    assert_eq!(app.reader.cursor, want, "cursor on {needle:?}");
}

/// The annotation file on disk, parsed.
pub fn saved(app: &newsnote::app::App) -> AnnotationFile {
    let o = app.open.as_ref().unwrap();
    AnnotationFile::load(&o.doc.ron_path, &o.doc.article.id).unwrap().expect("a saved file")
}

/// Each annotation's label (with the boilerplate kind, `Boilerplate:Other`, as format 1
/// named it) and quote.
pub fn quotes(file: &AnnotationFile) -> Vec<(LabelId, &str)> {
    file.annotations.iter().map(|a| (label_with_kind(a), a.quote.as_str())).collect()
}

/// `Source`, or `Boilerplate:DonationAppeal` for a label with its kind.
pub fn label_with_kind(a: &newsnote::model::annotation::Annotation) -> LabelId {
    match a.attributes.get("kind") {
        Some(k) => LabelId::new(format!("{}:{k}", a.label)),
        None => a.label.clone(),
    }
}

pub const MOTIONS: &str = "Kremlin spokesman Dmitry Peskov’s team said no. Then U.S. officials left! Why?\n\nSecond paragraph here. It has two sentences.\n\nThird “quoted words” end.";

/// Row of the cursor in the wrapped text.
pub fn cursor_row(app: &newsnote::app::App) -> usize {
    app.open.as_ref().unwrap().wrap.row_of(app.reader.cursor)
}

pub fn three_articles() -> tempfile::TempDir {
    corpus_of(&[
        ("a.txt", "Kremlin rejects talks\nBody one."),
        ("b.txt", "Weather in Kyiv\nBody two."),
        ("c.txt", "Kremlin welcomes talks\nBody three."),
    ])
}

pub fn visible_titles(app: &newsnote::app::App) -> Vec<&str> {
    app.list.visible.iter().map(|&i| app.corpus.entries[i].title.as_str()).collect()
}

pub const UNICODE: &str = "👍🏽 新闻：Kremlin spokesman Dmitry Peskov 说 “好”. Ελλάδα 🇺🇦 end.\n";

/// The list's (sources, claims, boilerplate) counts for the open article, updated when a
/// save succeeds.
pub fn entry_counts(app: &newsnote::app::App) -> (usize, usize, usize) {
    let c = &app.corpus.entries[app.open.as_ref().unwrap().entry].counts;
    (c.of("Source"), c.of("Claim"), c.of("Boilerplate"))
}

/// In 002: "Dmitry Peskov" and "Reuters" as sources, the first straight quotation as a claim.
pub fn cnn_with_sources_and_claim() -> (tempfile::TempDir, newsnote::app::App) {
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
            (LabelId::new("Source"), "Dmitry Peskov"),
            (LabelId::new("Source"), "Reuters"),
            (
                LabelId::new("Claim"),
                "They should make amendments to the constitution according to which Ukraine would reject any aims to enter any bloc,"
            ),
        ]
    );
    (d, app)
}

pub fn id_of(app: &newsnote::app::App, quote: &str) -> newsnote::model::annotation::AnnotationId {
    app.open.as_ref().unwrap().doc.annotations.iter().find(|a| a.quote == quote).unwrap().id.clone()
}

/// Screen cell of byte `pos` of the open article (which must be on screen).
pub fn cell_of(app: &newsnote::app::App, pos: usize) -> (u16, u16) {
    let area = layout::reader_text(app.panes().reader.unwrap());
    let o = app.open.as_ref().unwrap();
    let row = o.wrap.row_of(pos) - app.reader.scroll;
    let col = o.wrap.col_of(&o.doc.article.text, pos);
    (area.x + col as u16, area.y + row as u16)
}

/// An app whose annotation files go to a mirrored folder `ann` that does not exist yet, so
/// a test can make saves fail by putting a plain file where that folder must be created.
pub fn app_with_blockable_saves(text: &str) -> (tempfile::TempDir, std::path::PathBuf, newsnote::app::App) {
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
    newsnote::tui::dispatch(&mut app, newsnote::app::Msg::Resize { width: 120, height: 40 });
    press(&mut app, "<enter>");
    // Opening created the folder (to record its corpus); the tests need it absent.
    std::fs::remove_dir_all(&ann).unwrap();
    (dir, ann, app)
}
