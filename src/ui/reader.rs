//! The reading pane: wrapped text with spans, selection, search matches and the cursor.
//!
//! Only the rows on screen are drawn: annotations and search matches are gathered for the
//! visible byte range once per frame, then each grapheme's style is looked up among those.

use super::theme;
use crate::app::layout::reader_text;
use crate::app::{App, Focus, OpenArticle};
use crate::model::units::ByteRange;
use crate::wrap::shown;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};
use unicode_segmentation::UnicodeSegmentation;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Reader;
    let block = Block::bordered().border_style(theme::focused_border(focused));
    let Some(open) = &app.open else {
        let hint = if app.corpus.entries.is_empty() {
            "No article to read."
        } else {
            "Choose an article in the list and press Enter."
        };
        frame.render_widget(Paragraph::new(hint).style(theme::DIM).block(block.title(" Reader ")), area);
        return;
    };
    let text_area = reader_text(area);
    let rows = &open.wrap.rows;
    let top = app.reader.scroll.min(rows.len().saturating_sub(1));
    let shown_rows = &rows[top..(top + text_area.height as usize).min(rows.len())];
    let percent = if rows.len() <= text_area.height as usize {
        "all".to_string()
    } else {
        format!("{}%", (top + shown_rows.len()) * 100 / rows.len())
    };
    let title = Line::from(vec![
        Span::raw(" "),
        Span::styled(
            super::panes::fit(&open.doc.article.title, (area.width as usize).saturating_sub(4)),
            Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::raw(" "),
    ]);
    let block = block.title(title).title_bottom(Line::from(format!(" {percent} ")).right_aligned());
    frame.render_widget(block, area);

    let visible = match (shown_rows.first(), shown_rows.last()) {
        (Some(a), Some(b)) => ByteRange::new(a.range.start, b.range.end),
        _ => ByteRange::default(),
    };
    let paint = Painter::new(app, open, visible);
    let lines: Vec<Line> = shown_rows.iter().map(|r| paint.row(r.range, r.spacer)).collect();
    frame.render_widget(Paragraph::new(lines), text_area);

    if rows.len() > text_area.height as usize && area.height > 2 {
        let mut state = ScrollbarState::new(rows.len().saturating_sub(text_area.height as usize)).position(top);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight).begin_symbol(None).end_symbol(None);
        frame.render_stateful_widget(bar, area.inner(ratatui::layout::Margin::new(0, 1)), &mut state);
    }
    if focused && text_area.width > 0 && text_area.height > 0 {
        let row = open.wrap.row_of(app.reader.cursor);
        if row >= top && row < top + text_area.height as usize {
            let col = open.wrap.col_of(&open.doc.article.text, app.reader.cursor).min(text_area.width as usize - 1);
            frame.set_cursor_position(Position::new(text_area.x + col as u16, text_area.y + (row - top) as u16));
        }
    }
}

/// Style lookups for the visible part of the text.
struct Painter<'a> {
    text: &'a str,
    /// Annotations overlapping the view, in paint order; `true` for the sidebar's selection.
    spans: Vec<(ByteRange, crate::model::annotation::Label, bool)>,
    matches: Vec<ByteRange>,
    selection: Option<ByteRange>,
    cursor: Option<usize>,
}

impl<'a> Painter<'a> {
    fn new(app: &'a App, open: &'a OpenArticle, visible: ByteRange) -> Self {
        let doc = &open.doc;
        let view = ByteRange::new(visible.start, visible.end.max(visible.start + 1));
        let mut spans: Vec<_> = doc
            .spans
            .iter()
            .zip(&doc.annotations)
            .enumerate()
            .filter_map(|(i, (s, a))| s.filter(|s| s.overlaps(view)).map(|s| (s, a.label, i == app.sidebar_selected)))
            .collect();
        spans.sort_by_key(|(_, l, _)| theme::paint_order(*l));
        let text = doc.article.text.as_str();
        let matches = app.search.as_ref().map(|s| s.matches_in(text, visible)).unwrap_or_default();
        let selection = app.reader.anchor.map(|a| {
            let (lo, hi) = (a.min(app.reader.cursor), a.max(app.reader.cursor));
            ByteRange::new(lo, crate::model::motion::next_grapheme(text, hi))
        });
        let cursor = (app.focus == Focus::Reader).then_some(app.reader.cursor);
        Self { text, spans, matches, selection, cursor }
    }

    /// Style of the grapheme at `pos`; `labels` is false for the spaces a soft wrap leaves at a
    /// row's end, so an underline does not run past the last word.
    fn style_at(&self, pos: usize, labels: bool) -> Style {
        let mut style = Style::new();
        for (r, label, current) in &self.spans {
            if labels && r.contains(pos) {
                style = theme::paint(style, *label);
                if *current {
                    style = style.patch(theme::CURRENT_ANNOTATION);
                }
            }
        }
        if self.matches.iter().any(|m| m.contains(pos)) {
            style = style.patch(theme::SEARCH_MATCH);
        }
        if self.selection.is_some_and(|s| s.contains(pos)) {
            style = style.patch(theme::SELECTION);
        }
        if self.cursor == Some(pos) {
            style = style.patch(theme::CURSOR);
        }
        style
    }

    fn row(&self, range: ByteRange, spacer: bool) -> Line<'static> {
        if spacer {
            return Line::default();
        }
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut run = String::new();
        let mut run_style = Style::new();
        let content_end = range.start + self.text[range.as_range()].trim_end().len();
        for (i, g) in self.text[range.as_range()].grapheme_indices(true) {
            let style = self.style_at(range.start + i, range.start + i < content_end);
            if style != run_style && !run.is_empty() {
                spans.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            run_style = style;
            // Placeholders are drawn dim so they read as markers, not as article text.
            if shown(g) != g {
                spans.push(Span::styled(std::mem::take(&mut run), run_style));
                spans.push(Span::styled(shown(g).into_owned(), run_style.patch(theme::DIM)));
            } else {
                run.push_str(g);
            }
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, run_style));
        }
        // The cursor on a line break or an empty line shows as a block after the text.
        if self.cursor.is_some_and(|c| c == range.end && self.text[c..].starts_with('\n')) {
            spans.push(Span::styled(" ", self.style_at(range.end, false)));
        }
        Line::from(spans)
    }
}
