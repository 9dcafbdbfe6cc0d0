//! The article list and the annotation sidebar.
//!
//! Both draw only the rows in view, from offsets that `update` keeps, so render stays a pure
//! function of the state (no ListState mutated while drawing).

use super::theme;
use crate::app::layout::{inner, sidebar_parts};
use crate::app::{App, Focus, Overlay, PromptKind};
use crate::model::annotation::{Annotation, Label};
use crate::model::corpus::FileState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

/// Cuts `s` to at most `width` columns, with an ellipsis when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// One line, whitespace collapsed, for excerpts.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn render_list(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::List;
    let typing = matches!(&app.overlay, Overlay::Prompt { kind: PromptKind::Filter, .. });
    let mut title = format!(" Articles {}/{} ", app.visible.len(), app.corpus.entries.len());
    if !app.filter.is_empty() || typing {
        title.push_str(&format!("/{}{} ", app.filter, if typing { "▏" } else { "" }));
    }
    let block = Block::bordered().title(title).border_style(theme::focused_border(focused));
    let body = inner(area);
    frame.render_widget(block, area);
    if app.corpus.entries.is_empty() {
        let msg = format!("No .txt or .md articles in {}", app.corpus.root.display());
        frame.render_widget(Paragraph::new(msg).style(theme::DIM).wrap(Wrap { trim: true }), body);
        return;
    }
    let width = body.width as usize;
    let open_entry = app.open.as_ref().map(|o| o.entry);
    let lines: Vec<Line> = app
        .visible
        .iter()
        .enumerate()
        .skip(app.list_offset)
        .take(body.height as usize)
        .map(|(vi, &i)| {
            let e = &app.corpus.entries[i];
            let (marker, mstyle) = match &e.state {
                FileState::Invalid(_) => ("!", theme::ERROR),
                _ if e.counts.total() > 0 => ("●", Style::new().fg(theme::SOURCE)),
                _ => (" ", Style::new()),
            };
            let counts = if e.counts.total() > 0 {
                format!(" {}·{}·{}", e.counts.sources, e.counts.claims, e.counts.boilerplate)
            } else {
                String::new()
            };
            let title_w = width.saturating_sub(2 + counts.width());
            let mut style =
                if open_entry == Some(i) { Style::new().add_modifier(Modifier::BOLD) } else { Style::new() };
            if vi == app.list_selected {
                style = style.patch(if focused {
                    theme::HIGHLIGHT_ROW
                } else {
                    Style::new().add_modifier(Modifier::REVERSED)
                });
            }
            let t = fit(&e.title, title_w);
            let pad = " ".repeat(title_w.saturating_sub(t.width()));
            Line::from(vec![
                Span::styled(format!("{marker} "), mstyle),
                Span::styled(format!("{t}{pad}"), style),
                Span::styled(counts, theme::DIM),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}

/// "S Dmitry Peskov", "C “They should…” ← Peskov" for the sidebar list.
fn summary(a: &Annotation, all: &[Annotation], width: usize) -> Line<'static> {
    let letter = Span::styled(
        format!("{} ", theme::label_letter(a.label)),
        Style::new().fg(theme::label_color(a.label)).add_modifier(Modifier::BOLD),
    );
    let mut text = match a.label {
        Label::Boilerplate(k) => format!("{}: {}", k.describe(), one_line(&a.quote)),
        _ => one_line(&a.quote),
    };
    if a.label == Label::Claim {
        let src = a
            .source
            .as_ref()
            .map(|id| all.iter().find(|s| &s.id == id).map_or("(missing source)".into(), |s| one_line(&s.quote)));
        let src = src.unwrap_or_else(|| "no source".into());
        let room = width.saturating_sub(if a.note.is_some() { 4 } else { 2 });
        let src_part = format!(" ← {}", fit(&src, room / 2));
        text = format!("{}{}", fit(&text, room.saturating_sub(src_part.width())), src_part);
    }
    // The note mark goes first so a long claim line cannot push it off the edge.
    let note = if a.note.is_some() { "✎ " } else { "" };
    Line::from(vec![letter, Span::raw(fit(&format!("{note}{text}"), width.saturating_sub(2)))])
}

pub fn render_sidebar(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Sidebar;
    let n = app.open.as_ref().map_or(0, |o| o.doc.annotations.len());
    let block = Block::bordered().title(format!(" Annotations ({n}) ")).border_style(theme::focused_border(focused));
    frame.render_widget(block, area);
    let (list_area, details_area) = sidebar_parts(area);
    let Some(open) = &app.open else { return };
    let anns = &open.doc.annotations;
    if anns.is_empty() {
        let hint = "None yet. In the text: v to select, then s (Source), c (Claim) or x (Boilerplate).";
        frame.render_widget(Paragraph::new(hint).style(theme::DIM).wrap(Wrap { trim: true }), list_area);
        return;
    }
    let width = list_area.width as usize;
    let lines: Vec<Line> = anns
        .iter()
        .enumerate()
        .skip(app.sidebar_offset)
        .take(list_area.height as usize)
        .map(|(i, a)| {
            let mut line = summary(a, anns, width);
            if open.doc.spans[i].is_none() {
                line = line.style(theme::ERROR);
            }
            if i == app.sidebar_selected {
                line = line.style(if focused {
                    theme::HIGHLIGHT_ROW
                } else {
                    Style::new().add_modifier(Modifier::REVERSED)
                });
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(a) = anns.get(app.sidebar_selected) {
        render_details(a, anns, open.doc.spans[app.sidebar_selected].is_none(), frame, details_area);
    }
}

fn render_details(a: &Annotation, all: &[Annotation], misfit: bool, frame: &mut Frame, area: Rect) {
    let key = |k: &str| Span::styled(format!("{k} "), theme::DIM);
    let mut lines = vec![
        Line::styled("─".repeat(area.width as usize), theme::DIM),
        Line::from(vec![
            Span::styled(
                a.label.to_string(),
                Style::new().fg(theme::label_color(a.label)).add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!("  {}  {}–{}", a.id, a.start, a.end), theme::DIM),
        ]),
        Line::from(format!("“{}”", one_line(&a.quote))),
    ];
    if misfit {
        lines.push(Line::styled("does not match the article text (not shown)", theme::ERROR));
    }
    if a.label == Label::Claim {
        let src = match &a.source {
            Some(id) => all.iter().find(|s| &s.id == id).map_or(format!("{id} (missing)"), |s| one_line(&s.quote)),
            None => "none — press a to attribute".into(),
        };
        lines.push(Line::from(vec![key("source"), Span::raw(src)]));
    }
    if a.label == Label::Source {
        let claims = all.iter().filter(|c| c.source.as_ref() == Some(&a.id)).count();
        lines.push(Line::from(vec![key("claims"), Span::raw(claims.to_string())]));
    }
    lines.push(Line::from(vec![key("note"), Span::raw(a.note.clone().unwrap_or_else(|| "— (m to add)".into()))]));
    lines.push(Line::from(vec![
        key("by"),
        Span::raw(a.author.clone()),
        Span::styled(format!(" {:?}/{:?}", a.origin, a.status), theme::DIM),
    ]));
    lines.push(Line::from(vec![key("created"), Span::raw(a.created.clone())]));
    if a.modified != a.created {
        lines.push(Line::from(vec![key("modified"), Span::raw(a.modified.clone())]));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
