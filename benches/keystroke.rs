//! Does a keystroke or a frame cost the same on a small and a 10 MB article?
//!
//! Run with `cargo bench`. For each article size it reports the one-off cost of opening
//! (index + wrap) and the median cost of a cursor motion, a search step and a full frame
//! rendered to a 120x40 TestBackend. Opening may grow with the article; the per-keystroke
//! and per-frame numbers should stay flat.

use newsnote::app::keymap::Keymap;
use newsnote::app::{Action, App, update};
use newsnote::model::corpus::{AnnotationRoot, Corpus};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn article(bytes: usize) -> String {
    let para = "Kremlin spokesman Dmitry Peskov told reporters on Monday that “the offer remains on the table,” \
                while Ukrainian officials said the talks 🇺🇦 would resume. 新闻报道 continues.\n\n";
    para.repeat(bytes / para.len() + 1)
}

fn main() {
    println!(
        "{:>10} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "article", "open", "motion w", "motion j", "search n", "frame"
    );
    for size in [10_000usize, 1_000_000, 10_000_000] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), article(size)).unwrap();
        let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
        let t0 = Instant::now();
        let mut app = App::new(corpus, "bench".into(), Keymap::default_map(), Rect::new(0, 0, 120, 40));
        update(&mut app, newsnote::app::Msg::Resize { width: 120, height: 40 });
        let open = t0.elapsed();
        // Start in the middle, where a motion has text on both sides.
        let mid = app.open.as_ref().unwrap().doc.article.text.len() / 2;
        app.reader.cursor = newsnote::model::motion::clamp(&app.open.as_ref().unwrap().doc.article.text, mid);
        let time = |app: &mut App, a: Action| {
            median(
                (0..200)
                    .map(|_| {
                        let t = Instant::now();
                        update(app, a.clone());
                        t.elapsed()
                    })
                    .collect(),
            )
        };
        let w = time(&mut app, Action::Move(newsnote::app::action::Motion::WordForward));
        let j = time(&mut app, Action::Move(newsnote::app::action::Motion::Down));
        app.search = newsnote::model::quote::Search::new("Peskov");
        let n = time(&mut app, Action::SearchNext);
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let frame = median(
            (0..50)
                .map(|_| {
                    let t = Instant::now();
                    term.draw(|f| newsnote::ui::render(&app, f)).unwrap();
                    t.elapsed()
                })
                .collect(),
        );
        println!("{:>9}B {:>12?} {:>12?} {:>12?} {:>12?} {:>12?}", size, open, w, j, n, frame);
    }
}
