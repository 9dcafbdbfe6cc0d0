//! Lazy wrapping gives the rows a whole-text wrap gives, wherever it starts.

use super::blocks::{LONG_LINE, wrap_block};
use super::*;

fn art(text: String) -> Article {
    Article::from_text("t".into(), "t".into(), text, vec![])
}

/// News-like text well past [`EAGER`]: paragraphs of varied length, non-ASCII, some blank
/// lines, so blocks end everywhere.
fn long_text(style: ParagraphStyle) -> String {
    let words = ["Kremlin", "spokesman", "Dmitry", "Peskov", "told", "“reporters”", "新闻报道", "on", "Monday", "👍🏽"];
    let sep = if style == ParagraphStyle::Blocks { "\n\n" } else { "\n" };
    let mut out = String::new();
    let mut i = 7usize;
    while out.len() < 3 * EAGER {
        let n = 5 + i % 90;
        for _ in 0..n {
            i = i.wrapping_mul(1103515245).wrapping_add(12345) % (1 << 31);
            out.push_str(words[i % words.len()]);
            out.push(' ');
        }
        out.push_str(sep);
    }
    out
}

fn reference(a: &Article, width: usize) -> Vec<Row> {
    wrap_block(&a.text, a.style, width, 0, a.text.len() + 1)
}

#[test]
fn a_long_article_starts_with_estimates_and_ends_with_the_rows_of_a_whole_wrap() {
    for style in [ParagraphStyle::Lines, ParagraphStyle::Blocks] {
        let a = art(long_text(style));
        assert_eq!(a.style, style);
        let want = reference(&a, 37);
        let mut w = Wrapped::new(&a, 37);
        assert!(!w.is_exact());
        let estimate = w.len() as f64 / want.len() as f64;
        assert!((0.9..1.1).contains(&estimate), "estimate off by {estimate}");
        // Reading through in screens wraps every block on the way.
        let mut scroll = 0;
        let mut cursor = 0;
        while !w.is_exact() {
            cursor = w.pos_at(&a.text, w.row_of(cursor) + 50, 0);
            w.settle(&a.text, cursor, &mut scroll, 20);
        }
        assert_eq!(w.rows(&a.text, 0).collect::<Vec<_>>(), want);
        assert_eq!(w.len(), want.len());
    }
}

#[test]
fn jumping_to_the_end_wraps_only_there_and_rows_near_the_cursor_are_exact() {
    let a = art(long_text(ParagraphStyle::Lines));
    let want = reference(&a, 50);
    let mut w = Wrapped::new(&a, 50);
    let end = a.text.len() - 1;
    let mut scroll = 0;
    w.settle(&a.text, end, &mut scroll, 30);
    assert!(!w.is_exact(), "the middle is not wrapped");
    let row = w.row_of(end);
    // Counted from the end, rows are exact near the cursor.
    let from_end = w.len() - row;
    assert_eq!(want[want.len() - from_end].range, w.row(&a.text, row).range);
    for back in 0..60 {
        assert_eq!(w.row(&a.text, row - back), want[want.len() - from_end - back], "{back} rows above the end");
    }
}

#[test]
fn settling_keeps_the_text_at_the_top_of_the_view() {
    let a = art(long_text(ParagraphStyle::Blocks));
    let mut w = Wrapped::new(&a, 40);
    let mut scroll = 0;
    let mid = a.text.len() / 2;
    let mid = (mid..).find(|&i| a.text.is_char_boundary(i)).unwrap();
    w.settle(&a.text, mid, &mut scroll, 20);
    scroll = w.row_of(mid) - 5;
    let top = w.row(&a.text, scroll);
    // Moving up a long way wraps blocks above the view; the view must not jump.
    let up = w.pos_at(&a.text, scroll.saturating_sub(45), 0);
    w.settle(&a.text, up, &mut scroll, 20);
    assert_eq!(w.row(&a.text, scroll), top);
}

#[test]
fn a_huge_line_is_cut_into_segments_that_still_cover_it_and_fit() {
    let line = "word 新闻 ".repeat(LONG_LINE / 5);
    let a = art(format!("Title\n{line}\nend\n"));
    let mut w = Wrapped::new(&a, 30);
    let mut scroll = 0;
    w.settle(&a.text, a.text.len() - 2, &mut scroll, 10);
    let mut pos = 0;
    let mut rows = 0;
    for r in w.rows(&a.text, 0) {
        assert!(r.range.start >= pos && a.text[pos..r.range.start].chars().all(|c| c == '\n'));
        assert!(a.text[r.range.as_range()].trim_end().width() <= 30);
        pos = r.range.end;
        rows += 1;
    }
    assert_eq!(pos, a.text.len() - 1);
    assert!(rows >= a.text.width() / 30, "{rows} rows");
    assert_eq!(w.row(&a.text, w.row_of(a.text.len() - 2)).range, ByteRange::new(a.text.len() - 4, a.text.len() - 1));
}
