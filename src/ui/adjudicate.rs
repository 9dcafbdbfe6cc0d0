//! The adjudication mode's views: the sidebar lists the article's units (one column per
//! coder, a letter where that coder marked something), the details show each coder's version
//! of the current unit and what gold holds, the reading pane's margin marks whose versions
//! cover each row, and the status bar counts what is resolved. Every mark is a letter or a
//! symbol, so nothing depends on colour (`NO_COLOR`).

use super::panes::{excerpt, fit};
use super::theme;
use crate::app::adjudicate::{Adjudication, letter};
use crate::app::layout::{reader_text, sidebar_parts};
use crate::app::{App, Focus};
use crate::model::adjudicate::{Disagreement, Kind};
use crate::model::annotation::Annotation;
use crate::wrap::sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// How a unit's state is marked in the sidebar: resolved, open, or an agreement not yet in gold.
fn state(u: &Disagreement) -> &'static str {
    match (u.resolved, u.is_agreement()) {
        (true, _) => "✓",
        (false, false) => "≠",
        (false, true) => "=",
    }
}

fn kind_name(u: &Disagreement) -> &'static str {
    match u.kind {
        Some(Kind::OnlySome) => "only",
        Some(k) => k.as_str(),
        None => "agreed",
    }
}

/// One coder's version of a unit in words: each annotation with its label, quote, attribute
/// values and sources.
fn version(app: &App, a: &Adjudication, u: &Disagreement, c: usize) -> String {
    let anns: Vec<&Annotation> = u.versions[c].iter().filter_map(|id| a.annotation(c, id)).collect();
    if anns.is_empty() {
        return "—".into();
    }
    anns.iter().map(|x| describe(app, x, &a.versions[c])).collect::<Vec<_>>().join("; ")
}

fn describe(app: &App, x: &Annotation, all: &[Annotation]) -> String {
    let mut s = format!("{} “{}”", app.codebook.describe(x), excerpt(&x.full_quote(), 40));
    for (k, v) in &x.attributes {
        if app.codebook.asked_on_tag(x.label.as_str()).is_none_or(|d| &d.id != k) {
            s.push_str(&format!(" {k}: {v}"));
        }
    }
    if let Some(rel) = app.codebook.source_relation() {
        let who: Vec<String> = x
            .linked(&rel.id)
            .iter()
            .filter_map(|t| all.iter().find(|a| &a.id == t))
            .map(|t| format!("“{}”", excerpt(&t.quote, 24)))
            .collect();
        if !who.is_empty() {
            s.push_str(&format!(" → {}", who.join(", ")));
        }
    }
    s
}

pub fn render_sidebar(app: &App, frame: &mut Frame, area: Rect) {
    let Some(a) = app.adjudication.as_deref() else { return };
    let focused = app.focus == Focus::Sidebar;
    let (resolved, all) = a.tally();
    let title = format!(" Disagreements: {resolved} of {all} resolved ");
    frame.render_widget(Block::bordered().title(title).border_style(theme::focused_border(focused)), area);
    let (list_area, details) = sidebar_parts(area);
    if app.open.is_none() {
        return;
    }
    if a.units.is_empty() {
        let text = "No coder marked anything in this article.";
        frame.render_widget(Paragraph::new(text).style(theme::DIM).wrap(Wrap { trim: true }), list_area);
        return;
    }
    let h = list_area.height as usize;
    let at = a.current.unwrap_or(0);
    let top = at.saturating_sub(h.saturating_sub(1));
    let width = list_area.width as usize;
    let lines: Vec<Line> = a
        .units
        .iter()
        .enumerate()
        .skip(top)
        .take(h)
        .map(|(i, u)| {
            let who: String =
                (0..a.coders.len()).map(|c| if u.versions[c].is_empty() { '·' } else { letter(c) }).collect();
            let labels: Vec<String> = u.labels.iter().map(|l| app.codebook.label_name(l)).collect();
            let quote = u
                .coders()
                .next()
                .and_then(|c| u.versions[c].first().and_then(|id| a.annotation(c, id)))
                .map_or(String::new(), |x| x.quote.clone());
            let row = format!("{} {who} {:<9} {} “{}”", state(u), kind_name(u), labels.join("/"), sanitize(&quote));
            let mut line = Line::from(fit(&row, width));
            if u.resolved {
                line = line.style(theme::DIM);
            }
            if Some(i) == a.current {
                line = line.style(theme::selected_row(focused));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    let Some(u) = a.current.and_then(|i| a.units.get(i)) else {
        let text = "n goes to the next disagreement.";
        frame.render_widget(Paragraph::new(text).style(theme::DIM), details);
        return;
    };
    let mut lines = vec![Line::from(Span::styled(
        format!("{} · {}", kind_name(u), if u.resolved { "resolved" } else { "open" }),
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    for (c, coder) in a.coders.iter().enumerate() {
        let keys = if c < 9 { format!("{} ", c + 1) } else { String::new() };
        lines.push(Line::from(vec![
            Span::styled(format!("{} {}", letter(c), sanitize(&coder.name)), Style::new().add_modifier(Modifier::BOLD)),
            Span::styled(format!(" ({keys}takes): "), theme::DIM),
            Span::raw(sanitize(&version(app, a, u, c)).into_owned()),
        ]));
    }
    let gold: Vec<String> = app.open.as_ref().map_or(Vec::new(), |o| {
        o.doc
            .annotations
            .iter()
            .filter(|g| crate::model::adjudicate::settles(u, std::slice::from_ref(g)))
            .map(|g| describe(app, g, &o.doc.annotations))
            .collect()
    });
    let declined = app
        .open
        .as_ref()
        .is_some_and(|o| o.doc.rejected.iter().any(|g| crate::model::adjudicate::settles(u, std::slice::from_ref(g))));
    let gold = match (gold.is_empty(), declined) {
        (false, _) => gold.join("; "),
        (true, true) => "none (declined)".into(),
        (true, false) => "nothing yet".into(),
    };
    lines.push(Line::from(vec![
        Span::styled("gold: ", Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(sanitize(&gold).into_owned()),
    ]));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), details);
}

/// The reading pane's margin: for each row the current unit covers, the letter of the one
/// coder whose version is there, or `+` where several coders' are; and the coders' letters
/// on the pane's bottom border.
pub fn render_reader(app: &App, frame: &mut Frame, area: Rect) {
    let (Some(a), Some(o)) = (app.adjudication.as_deref(), app.open.as_ref()) else { return };
    let legend: Vec<String> =
        a.coders.iter().enumerate().map(|(c, k)| format!("{} {}", letter(c), sanitize(&k.name))).collect();
    let legend = fit(&format!(" {} ", legend.join(" · ")), (area.width as usize).saturating_sub(12));
    if area.height > 1 && area.width > 2 {
        let at =
            Rect::new(area.x + 1, area.y + area.height - 1, (area.width - 2).min(legend.chars().count() as u16 + 2), 1);
        frame.render_widget(Paragraph::new(Span::styled(legend, theme::DIM)), at);
    }
    let Some(u) = a.current.and_then(|i| a.units.get(i)) else { return };
    let text_area = reader_text(area);
    if text_area.x <= area.x + 1 || text_area.height == 0 {
        return;
    }
    let (text, index) = (&o.doc.article.text, &o.doc.article.index);
    // The byte ranges of each coder's pieces in the unit.
    let pieces: Vec<Vec<(usize, usize)>> = (0..a.coders.len())
        .map(|c| {
            u.versions[c]
                .iter()
                .filter_map(|id| a.annotation(c, id))
                .flat_map(|x| x.pieces().map(|(p, _)| p).collect::<Vec<_>>())
                .filter_map(|p| index.to_bytes(text, p).map(|b| (b.start, b.end)))
                .collect()
        })
        .collect();
    let rows: Vec<_> = o.wrap.rows(text, app.reader.scroll).take(text_area.height as usize).collect();
    for (y, r) in rows.iter().enumerate().filter(|(_, r)| !r.spacer) {
        let (s, e) = (r.range.start, r.range.end.max(r.range.start + 1));
        let here: Vec<usize> =
            (0..a.coders.len()).filter(|&c| pieces[c].iter().any(|&(ps, pe)| ps < e && s < pe)).collect();
        let mark = match here.as_slice() {
            [] => continue,
            [one] => letter(*one).to_string(),
            _ => "+".into(),
        };
        let at = Rect::new(text_area.x - 1, text_area.y + y as u16, 1, 1);
        frame.render_widget(Paragraph::new(Span::styled(mark, Style::new().add_modifier(Modifier::BOLD))), at);
    }
}

/// What the status bar says while adjudicating: how many disagreements are resolved, and
/// whether the article is marked adjudicated.
pub fn status(app: &App) -> Option<Span<'static>> {
    let a = app.adjudication.as_deref()?;
    let o = app.open.as_ref()?;
    let (resolved, all) = a.tally();
    let marked = a.progress.is(&o.doc.article.id, crate::model::progress::Stage::Adjudicated);
    let counted =
        if all == 0 { "no disagreements".to_string() } else { format!("{resolved} of {all} disagreements resolved") };
    let text = format!("  {counted}{}", if marked { " · adjudicated" } else { "" });
    Some(Span::styled(text, Style::new().add_modifier(Modifier::BOLD)))
}
