//! The reading pane: wrapped text with spans, selection, search matches and the cursor.
//!
//! Only the rows on screen are drawn, taken from the lazily wrapped rows (`crate::wrap`), so a
//! frame costs the same on a 10 KB and a 10 MB article. Annotations and search matches that
//! overlap the visible byte range are gathered once per frame into the core's segmentation
//! sweep (`model::segments::Sweep`, shared with `show` and the HTML report), and the graphemes
//! are styled in one pass over it: the label style is recomputed only where a span opens or
//! closes, from the innermost span of each look channel in its shade (a claim inside a claim,
//! or right after one, in the other shade), so a view covered by thousands of overlapping
//! spans costs O(graphemes + spans), not their product. An open suggestion is painted in its
//! label's look faded (`theme::paint_suggested`), and every row it covers has a `?` in the
//! margin left of the text, so it is never taken for coding, with colour or without.

use super::theme;
use crate::app::layout::reader_text;
use crate::app::{App, Focus, OpenArticle};
use crate::model::annotation::LabelId;
use crate::model::segments::{Span as Piece, Sweep};
use crate::model::units::ByteRange;
use crate::wrap::{Row, shown};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};
use unicode_segmentation::UnicodeSegmentation;

pub fn render(app: &App, frame: &mut Frame, area: Rect, colour: bool) {
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
    let (wrap, text) = (&open.wrap, open.doc.article.text.as_str());
    let total = wrap.len();
    let height = text_area.height as usize;
    let top = app.reader.scroll.min(total - 1);
    let shown_rows: Vec<Row> = wrap.rows(text, top).take(height).collect();
    // Far from the view, row counts may still be estimates: then the figure says so.
    let percent = if total <= height && wrap.is_exact() {
        "all".to_string()
    } else {
        let p = ((top + shown_rows.len()) * 100 / total).min(100);
        if wrap.is_exact() { format!("{p}%") } else { format!("~{p}%") }
    };
    // Outlet, date and authors follow the title when known, in the room the title leaves but
    // at least half of it, so neither the headline nor the outlet is cut away.
    let room = (area.width as usize).saturating_sub(4);
    let byline = open.doc.article.meta.byline().map(|b| {
        // `fit` stops at the room, so a huge first line is not measured whole every frame.
        let title = super::panes::fit(&open.doc.article.title, room);
        let left = room.saturating_sub(crate::model::display::width(&title));
        format!(" · {}", super::panes::fit(&b, left.max(room / 2).saturating_sub(3)))
    });
    let title_room = room.saturating_sub(byline.as_deref().map_or(0, crate::model::display::width));
    let mut title = Line::from(vec![
        Span::raw(" "),
        Span::styled(
            super::panes::fit(&open.doc.article.title, title_room),
            Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        ),
    ]);
    title.spans.extend(byline.map(|b| Span::styled(b, theme::DIM)));
    title.spans.push(Span::raw(" "));
    let block = block.title(title).title_bottom(Line::from(format!(" {percent} ")).right_aligned());
    frame.render_widget(block, area);

    let visible = match (shown_rows.first(), shown_rows.last()) {
        (Some(a), Some(b)) => ByteRange::new(a.range.start, b.range.end),
        _ => ByteRange::default(),
    };
    let mut paint = Painter::new(app, open, visible, colour);
    let lines: Vec<Line> = shown_rows.iter().map(|r| paint.row(r.range, r.spacer)).collect();
    frame.render_widget(Paragraph::new(lines), text_area);
    // The margin left of the text marks the rows an open suggestion covers.
    if text_area.x > area.x + 1 {
        // The painter has already gathered the open suggestions' pieces near the view.
        for (y, r) in shown_rows.iter().enumerate().filter(|(_, r)| !r.spacer) {
            if paint.suggested.iter().any(|s| s.start < r.range.end.max(r.range.start + 1) && r.range.start < s.end) {
                let at = Rect::new(text_area.x - 1, text_area.y + y as u16, 1, 1);
                frame.render_widget(Paragraph::new(Span::styled("?", theme::SUGGESTED)), at);
            }
        }
    }

    if total > height && area.height > 2 {
        let mut state = ScrollbarState::new(total.saturating_sub(height)).position(top);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight).begin_symbol(None).end_symbol(None);
        frame.render_stateful_widget(bar, area.inner(ratatui::layout::Margin::new(0, 1)), &mut state);
    }
    if focused && text_area.width > 0 && text_area.height > 0 {
        let row = wrap.row_of(app.reader.cursor);
        if row >= top && row < top + height {
            let col = wrap.col_of(text, app.reader.cursor).min(text_area.width as usize - 1);
            frame.set_cursor_position(Position::new(text_area.x + col as u16, text_area.y + (row - top) as u16));
        }
    }
}

/// Bytes before the view whose spans are still swept: a span ending there decides whether
/// the first span in view touches one of its label (and so takes the other shade).
const LOOKBACK: usize = 2048;

/// Styles for the visible part of the text, asked for in increasing positions.
struct Painter<'a> {
    text: &'a str,
    colour: bool,
    /// The annotations near the view, as spans grouped by look channel (`model::segments`).
    sweep: Sweep,
    /// The label of each span of the sweep.
    labels: Vec<&'a LabelId>,
    /// Which spans of the sweep are pieces of an open suggestion.
    proposed: Vec<bool>,
    /// The pieces of open suggestions near the view, for the margin's `?`.
    suggested: Vec<ByteRange>,
    /// Which spans of the sweep are pieces of the sidebar's selected annotation, and how many
    /// of them cover the position.
    selected: Vec<bool>,
    on_selected: usize,
    /// The labels' style at the position last asked for (recomputed only at span edges).
    label_style: Style,
    codebook: &'a crate::model::codebook::Codebook,
    /// Search matches in the view, in order; `matches[next_match..]` are not behind us yet.
    matches: Vec<ByteRange>,
    next_match: usize,
    selection: Option<ByteRange>,
    cursor: Option<usize>,
}

impl<'a> Painter<'a> {
    fn new(app: &'a App, open: &'a OpenArticle, visible: ByteRange, colour: bool) -> Self {
        let doc = &open.doc;
        let view = ByteRange::new(visible.start.saturating_sub(LOOKBACK), visible.end.max(visible.start + 1));
        let mut spans = Vec::new();
        let mut labels = Vec::new();
        let mut selected = Vec::new();
        let mut proposed = Vec::new();
        let mut suggested = Vec::new();
        // Every piece of an annotation is a span of its own (a quote interrupted by "he said"
        // is painted as two), and only the pieces near the view are swept.
        for (i, a) in doc.annotations.iter().enumerate() {
            for s in doc.pieces(i).filter(|s| s.overlaps(view) || s.end == view.start) {
                selected.push(i == app.sidebar.selected);
                proposed.push(a.is_proposed());
                if a.is_proposed() {
                    suggested.push(s);
                }
                spans.push(Piece { start: s.start, end: s.end, group: app.codebook.look(&a.label).channel });
                labels.push(&a.label);
            }
        }
        let text = doc.article.text.as_str();
        let matches = app.search.as_ref().map(|s| s.matches_in(text, visible)).unwrap_or_default();
        let selection = app.reader.anchor.map(|a| {
            let (lo, hi) = (a.min(app.reader.cursor), a.max(app.reader.cursor));
            ByteRange::new(lo, crate::model::motion::next_grapheme(text, hi))
        });
        let cursor = (app.focus == Focus::Reader).then_some(app.reader.cursor);
        Self {
            text,
            colour,
            sweep: Sweep::new(spans, app.codebook.channels()),
            codebook: &app.codebook,
            labels,
            proposed,
            suggested,
            selected,
            on_selected: 0,
            label_style: Style::new(),
            matches,
            next_match: 0,
            selection,
            cursor,
        }
    }

    /// Style of the grapheme at `pos`; `labels` is false for the spaces a soft wrap leaves at a
    /// row's end, so an underline does not run past the last word. Positions must not
    /// decrease from one call to the next.
    fn style_at(&mut self, pos: usize, labels: bool) -> Style {
        if self.sweep.next_event().is_some_and(|e| e <= pos) {
            let text = self.text;
            let blank = |a: usize, b: usize| text.get(a..b).is_some_and(|t| t.chars().all(char::is_whitespace));
            let (selected, on) = (&self.selected, &mut self.on_selected);
            self.sweep.advance(pos, blank, |i, opened| {
                if selected[i] {
                    *on = if opened { *on + 1 } else { on.saturating_sub(1) };
                }
            });
            // Channels in order, so the later label wins the colour; each span in its shade.
            let mut style = Style::new();
            for c in 0..self.codebook.channels() {
                if let Some(i) = self.sweep.innermost(c) {
                    let look = self.codebook.look(self.labels[i]).shade(self.sweep.nested(i));
                    style = if self.proposed[i] {
                        theme::paint_suggested(style, look, self.colour)
                    } else {
                        theme::paint(style, look, self.colour)
                    };
                }
            }
            if self.on_selected > 0 && self.colour {
                style = style.patch(theme::CURRENT_ANNOTATION);
            }
            self.label_style = style;
        }
        let mut style = if labels { self.label_style } else { Style::new() };
        while self.matches.get(self.next_match).is_some_and(|m| m.end <= pos) {
            self.next_match += 1;
        }
        if self.matches.get(self.next_match).is_some_and(|m| m.contains(pos)) {
            style = style.patch(theme::SEARCH_MATCH);
        }
        if self.selection.is_some_and(|s| s.contains(pos)) {
            style = style.patch(if self.colour { theme::SELECTION } else { theme::SELECTION_PLAIN });
        }
        if self.cursor == Some(pos) {
            style = style.patch(theme::CURSOR);
        }
        style
    }

    fn row(&mut self, range: ByteRange, spacer: bool) -> Line<'static> {
        if spacer {
            return Line::default();
        }
        let text = self.text;
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut run = String::new();
        let mut run_style = Style::new();
        let content_end = range.start + text[range.as_range()].trim_end().len();
        for (i, g) in text[range.as_range()].grapheme_indices(true) {
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
        if self.cursor.is_some_and(|c| c == range.end && text[c..].starts_with('\n')) {
            spans.push(Span::styled(" ", self.style_at(range.end, false)));
        }
        Line::from(spans)
    }
}
