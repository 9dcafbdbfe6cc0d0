//! The review pass's sidebar: the annotations the pass walks, each with its review state, and
//! the one under review in full (label, quote, attributes, links, author, every review entry).
//!
//! It takes the sidebar's place while the pass is on, so the text stays where the coder saw
//! it and the editor reads the span and its review side by side. The state is written out in
//! words and marks (`✓ approved`, `✗ disputed`, `· unreviewed`), never by colour alone.

use super::panes::{excerpt, fit};
use super::theme;
use crate::app::App;
use crate::app::layout::sidebar_parts;
use crate::model::annotation::{Annotation, Verdict};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The mark a row starts with: what the verdict that stands is, `?` for an open suggestion.
fn mark(a: &Annotation) -> &'static str {
    match a.verdict().map(|r| r.verdict) {
        Some(Verdict::Approved) => "✓",
        Some(Verdict::Disputed) => "✗",
        _ if a.is_proposed() => "?",
        _ => "·",
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(pass) = app.review.as_ref() else { return };
    let Some(o) = app.open.as_ref() else { return };
    let tally = crate::app::review::tally(app);
    let title = format!(" {} · {} ", tally.describe(), pass.scope.name());
    frame.render_widget(
        Block::bordered().title(fit(&title, area.width as usize)).border_style(theme::focused_border(true)),
        area,
    );
    let (list_area, details_area) = sidebar_parts(area);
    let rows = crate::app::review::items(app);
    let current = crate::app::review::current_index(app);
    let h = list_area.height as usize;
    let at = current.and_then(|c| rows.iter().position(|&i| i == c)).unwrap_or(0);
    let offset = if at >= h { at + 1 - h } else { 0 };
    let width = list_area.width as usize;
    let anns = &o.doc.annotations;
    let lines: Vec<Line> = rows
        .iter()
        .skip(offset)
        .take(h)
        .map(|&i| {
            let a = &anns[i];
            let label = app.codebook.describe(a);
            let text = format!("{} {}: “{}”", mark(a), label, a.full_quote());
            let mut line = Line::from(fit(&text, width));
            if Some(i) == current {
                line = line.style(Style::new().add_modifier(Modifier::REVERSED));
            }
            line
        })
        .collect();
    if lines.is_empty() {
        let hint = format!("no annotation in this pass ({}) — f shows the others", pass.scope.name());
        frame.render_widget(Paragraph::new(hint).style(theme::DIM).wrap(Wrap { trim: true }), list_area);
    } else {
        frame.render_widget(Paragraph::new(lines), list_area);
    }
    if let Some(a) = current.map(|i| &anns[i]) {
        render_details(app, a, anns, frame, details_area);
    }
}

fn render_details(app: &App, a: &Annotation, all: &[Annotation], frame: &mut Frame, area: Rect) {
    let cb = &app.codebook;
    let key = |k: &str| Span::styled(format!("{k} "), theme::DIM);
    let cap = area.width as usize * area.height as usize;
    let state = match a.verdict() {
        Some(r) => {
            format!("{} {} by {} · {}", mark(a), crate::model::review::state(a), fit(&r.by, cap), fit(&r.at, cap))
        }
        None if a.is_proposed() => "? open suggestion, unreviewed".to_string(),
        None => "· unreviewed".to_string(),
    };
    let mut lines = vec![
        Line::styled("─".repeat(area.width as usize), theme::DIM),
        Line::from(vec![
            Span::styled(
                cb.describe(a),
                Style::new().fg(theme::label_color(cb, &a.label)).add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!("  {}–{}", a.hull().start, a.hull().end), theme::DIM),
        ]),
        Line::from(format!("“{}”", excerpt(&a.full_quote(), cap))),
        Line::styled(state, Style::new().add_modifier(Modifier::BOLD)),
    ];
    // The review history first, right under the state: what the editor came for.
    for r in &a.reviews {
        let what = match r.verdict {
            Verdict::Approved => "✓ approved",
            Verdict::Disputed => "✗ disputed",
            Verdict::Comment => "“ comment",
        };
        let mut spans = vec![
            Span::raw(format!("{what} ")),
            Span::styled(format!("{} {}", fit(&r.by, cap), fit(&r.at, cap)), theme::DIM),
        ];
        if let Some(c) = &r.comment {
            spans.push(Span::raw(format!(": {}", fit(c, cap))));
        }
        lines.push(Line::from(spans));
    }
    for def in cb.attributes_for(a.label.as_str()) {
        if let Some(v) = a.attributes.get(&def.id) {
            lines.push(Line::from(vec![key(&def.name), Span::raw(fit(&cb.value_name(&def.id, v), cap))]));
        }
    }
    for rel in cb.relations_from(a.label.as_str()) {
        let names: Vec<String> = a
            .linked(&rel.id)
            .iter()
            .map(|id| all.iter().find(|s| &s.id == id).map_or_else(|| "(missing)".into(), |s| excerpt(&s.quote, cap)))
            .collect();
        let shown = if names.is_empty() { "none".into() } else { names.join(" · ") };
        lines.push(Line::from(vec![key(&rel.name), Span::raw(shown)]));
    }
    lines.push(Line::from(vec![
        key("by"),
        Span::raw(fit(&a.author, cap)),
        Span::styled(format!(" {}/{}", a.origin.as_str(), a.status.as_str()), theme::DIM),
    ]));
    if let Some(n) = &a.note {
        lines.push(Line::from(vec![key("note"), Span::raw(fit(n, cap))]));
    }
    if a.reviews.is_empty() {
        lines.push(Line::styled(crate::app::review::keys_hint(app), theme::DIM));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
