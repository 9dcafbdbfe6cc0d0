//! The stats view, drawn over the panes: a line of totals, the charts as tabs, the chart
//! shown, a key hint.
//!
//! Charts are ratatui's `BarChart` (horizontal, one row a bar, so names of any script and
//! width fit beside them), `Sparkline` and `Gauge`. Every bar prints its value, so the view
//! reads the same without colour (`NO_COLOR`): bars are block shapes, values are text. Only
//! the rows on screen are built each frame; every name from outside goes through
//! `panes::fit`, which sanitises and cuts by display width.

use super::panes::fit;
use super::theme;
use crate::app::App;
use crate::app::keymap::Mode;
use crate::app::stats_view::{Chart, chart_height, charts, title};
use crate::app::{Action, stats_view::StatsView};
use crate::model::display::width;
use crate::model::picture::{Bar, Picture};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{self, BarChart, Gauge, Paragraph, Sparkline};

/// `s` cut to `w` columns and padded to exactly `w`.
fn pad(s: &str, w: usize) -> String {
    let s = fit(s, w);
    let n = width(&s);
    format!("{s}{}", " ".repeat(w.saturating_sub(n)))
}

/// The key bound to `action` in the view that people type, for the hint line: a letter
/// before an arrow or a named key.
fn key(app: &App, action: &Action) -> String {
    let keys = app.keymap.keys_for(Mode::Stats, action);
    let named = |k: &String| !k.chars().all(|c| c.is_ascii_alphanumeric());
    keys.iter().min_by_key(|k| (named(k), k.chars().count())).cloned().unwrap_or_else(|| "?".into())
}

/// A share as a percentage with one decimal.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// A chart's short name, for the tabs.
fn tab(p: &Picture, chart: Chart) -> String {
    match chart {
        Chart::Entities => "Entities".into(),
        Chart::ByValue(i) => p.by_value[i].name.clone(),
        Chart::Claims => "Claims".into(),
        Chart::Labels => "Labels".into(),
        Chart::Boilerplate => "Boilerplate".into(),
        Chart::Coders => "Coders".into(),
        Chart::Agreement => "Agreement".into(),
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let v = &app.stats_view;
    let [main, _] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    let Some(inner) = super::panes::full_panel(frame, main, " Project ") else { return };
    let w = inner.width as usize;
    let [head, tabs, caption, body, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(inner);
    let hint_text = format!(
        "{} next chart · {} previous · {}/{} scroll · {} close · {} help",
        key(app, &Action::StatsNext),
        key(app, &Action::StatsPrev),
        key(app, &Action::MenuDown),
        key(app, &Action::MenuUp),
        key(app, &Action::CloseStats),
        key(app, &Action::ToggleHelp),
    );
    frame.render_widget(Paragraph::new(Line::styled(fit(&hint_text, w), theme::DIM)), hint);
    let busy = app.busy.as_ref().map(|b| b.describe());
    let Some(p) = &v.picture else {
        let text = match (&busy, v.computing) {
            (Some(b), true) => format!("computing… {b}"),
            (None, true) => "computing… (waiting for another job)".into(),
            _ => "not computed (stopped): S twice computes the figures again".into(),
        };
        frame.render_widget(Paragraph::new(fit(&text, w)), head);
        return;
    };
    let t = &v.totals;
    let (b, chars) = t.boilerplate;
    let mut totals = format!("{} articles · {} claims · {} source mentions", p.articles.len(), t.claims, t.mentions);
    if !p.boilerplate_labels.is_empty() {
        totals.push_str(&format!(" · boilerplate {}", percent(crate::model::picture::ratio_of(b, chars))));
    }
    if p.suggested > 0 {
        totals.push_str(&format!(" · {} open suggestions (not counted)", p.suggested));
    }
    if v.computing {
        totals.push_str(" · updating…");
    }
    frame.render_widget(Paragraph::new(fit(&totals, w)), head);
    let all = charts(p);
    let current = v.current().unwrap_or(Chart::Entities);
    let mut spans = Vec::new();
    for (i, c) in all.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let name = tab(p, *c);
        if *c == current {
            // Brackets as well as reverse video: the current tab shows without colour and in text.
            spans.push(Span::styled(
                format!("[{name}]"),
                Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            ));
        } else {
            spans.push(Span::raw(format!(" {name} ")));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    let rows = chart_height(app).min(body.height as usize);
    let body = Rect { height: rows as u16, ..body };
    let cap = match current {
        Chart::Entities => format!(
            "{}: source mentions by the entity named, most first ({} entities{})",
            title(p, current),
            p.entities.len(),
            if p.unlinked > 0 { format!("; {} mentions name no entity", p.unlinked) } else { String::new() }
        ),
        Chart::ByValue(i) => {
            format!("{}: source mentions by the entity's {}", title(p, current), p.by_value[i].name.to_lowercase())
        }
        Chart::Claims => format!("{}: articles by their number of claims; below, each article's", title(p, current)),
        Chart::Labels => format!("{}: accepted annotations by label", title(p, current)),
        Chart::Boilerplate if p.boilerplate_labels.is_empty() => title(p, current),
        Chart::Boilerplate => format!(
            "{}: code points under {}, overall and per article",
            title(p, current),
            p.boilerplate_labels.join(", ").to_lowercase()
        ),
        Chart::Coders => format!("{}: articles each coder marked done", title(p, current)),
        Chart::Agreement => format!("{}: agreement of the coders on each label", title(p, current)),
    };
    frame.render_widget(Paragraph::new(Line::styled(fit(&cap, w), Style::new().add_modifier(Modifier::BOLD))), caption);
    if body.height == 0 {
        return;
    }
    let empty = |frame: &mut Frame, why: &str| {
        frame.render_widget(Paragraph::new(Line::styled(fit(why, w), theme::DIM)), body);
    };
    match current {
        Chart::Entities if p.entities.is_empty() => empty(
            frame,
            if app.registry.is_none() {
                "the codebook defines no entities"
            } else {
                "no source mention names an entity yet (@ on a source links it)"
            },
        ),
        // Most mentions first: the first bar is the longest.
        Chart::Entities => counts(frame, body, &p.entities, p.entities[0].value, v.scroll),
        Chart::ByValue(i) if p.by_value[i].bars.is_empty() => {
            empty(frame, "no source mention names an entity yet (@ on a source links it)")
        }
        // An attribute's values and the codebook's labels are few: their longest is looked for.
        Chart::ByValue(i) => counts(frame, body, &p.by_value[i].bars, longest(&p.by_value[i].bars), v.scroll),
        Chart::Labels => counts(frame, body, &p.labels, longest(&p.labels), v.scroll),
        Chart::Claims if p.articles.is_empty() => empty(frame, "no articles"),
        Chart::Claims => claims(frame, body, p, v),
        Chart::Boilerplate if p.boilerplate_labels.is_empty() => {
            empty(frame, "the codebook marks no label as boilerplate (not_article)")
        }
        Chart::Boilerplate => boilerplate(frame, body, p, v),
        Chart::Coders if p.coders.is_empty() => {
            empty(frame, "no team: corpus.ron names no coders and coders/ holds no folders")
        }
        Chart::Coders => coders(frame, body, p, v.scroll),
        Chart::Agreement => {
            let pairs = p.agreement.as_deref().unwrap_or_default();
            fractions(frame, body, pairs, v.scroll);
        }
    }
}

/// The width of the names beside horizontal bars: fixed per screen width, so scrolling
/// never moves the bars.
fn label_width(w: u16) -> usize {
    (w as usize / 3).clamp(6, 32)
}

/// Horizontal bars, one row each, from `rows[scroll..]`: `(name, length, printed value)`,
/// lengths scaled to `max`.
fn bars(frame: &mut Frame, area: Rect, rows: &[(String, u64, String)], max: u64) {
    let lw = label_width(area.width);
    let bars: Vec<widgets::Bar> = rows
        .iter()
        .take(area.height as usize)
        .map(|(name, n, text)| {
            widgets::Bar::default().label(Line::raw(pad(name, lw))).value(*n).text_value(text.clone())
        })
        .collect();
    let chart = BarChart::horizontal(bars).bar_width(1).bar_gap(0).max(max.max(1));
    frame.render_widget(chart, area);
}

fn longest(bars: &[Bar]) -> usize {
    bars.iter().map(|b| b.value).max().unwrap_or(0)
}

/// Counts as horizontal bars, scaled to `max`, the largest of all (not only of those shown).
fn counts(frame: &mut Frame, area: Rect, all: &[Bar], max: usize, scroll: usize) {
    let max = max as u64;
    let rows: Vec<(String, u64, String)> = all
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .map(|b| (b.name.clone(), b.value as u64, b.value.to_string()))
        .collect();
    bars(frame, area, &rows, max);
}

/// Fractions (0 to 1) as horizontal bars of the full width, printed with two decimals.
fn fractions(frame: &mut Frame, area: Rect, all: &[(String, f64)], scroll: usize) {
    let rows: Vec<(String, u64, String)> = all
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .map(|(name, f)| (name.clone(), (f.clamp(0.0, 1.0) * 1000.0).round() as u64, format!("{f:.2}")))
        .collect();
    bars(frame, area, &rows, 1000);
}

/// The histogram of claims per article above, the sparkline of each article's below.
fn claims(frame: &mut Frame, area: Rect, p: &Picture, v: &StatsView) {
    let t = &v.totals;
    let hist = &t.histogram;
    let [top, caption, line] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(1), Constraint::Length(3)]).areas(area);
    let n = hist.len().max(1) as u16;
    let bw = (top.width.saturating_sub(n - 1) / n).clamp(1, 9);
    let bars: Vec<widgets::Bar> =
        hist.iter().map(|b| widgets::Bar::default().label(Line::raw(b.name.clone())).value(b.value as u64)).collect();
    frame.render_widget(BarChart::vertical(bars).bar_width(bw).bar_gap(1), top);
    let shown = (line.width as usize).min(p.articles.len().saturating_sub(v.scroll));
    let data: Vec<u64> = p.articles.iter().skip(v.scroll).take(shown).map(|a| a.claims as u64).collect();
    let most = t.most.map(|i| &p.articles[i]);
    let mean = t.claims as f64 / p.articles.len().max(1) as f64;
    let text = format!(
        "articles {}–{} of {} (j/k scroll) · mean {mean:.1} · most {}{}",
        v.scroll + 1,
        v.scroll + shown,
        p.articles.len(),
        most.map_or(0, |a| a.claims),
        most.map_or(String::new(), |a| format!(" ({})", a.id)),
    );
    frame.render_widget(Paragraph::new(Line::styled(fit(&text, area.width as usize), theme::DIM)), caption);
    let max = most.map_or(0, |a| a.claims) as u64;
    frame.render_widget(Sparkline::default().data(&data).max(max.max(1)), line);
}

/// The overall share as a gauge, then each article's as a bar of the full width.
fn boilerplate(frame: &mut Frame, area: Rect, p: &Picture, v: &StatsView) {
    let [gauge, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let (b, chars) = v.totals.boilerplate;
    let share = crate::model::picture::ratio_of(b, chars);
    let label = format!("{} overall · {b} of {chars} code points", percent(share));
    let lw = label_width(area.width) as u16 + 1;
    let [name, g] = Layout::horizontal([Constraint::Length(lw), Constraint::Min(0)]).areas(gauge);
    frame.render_widget(Paragraph::new(pad("all articles", lw as usize - 1)), name);
    frame.render_widget(Gauge::default().ratio(share.clamp(0.0, 1.0)).label(label).use_unicode(true), g);
    let rows: Vec<(String, u64, String)> = p
        .articles
        .iter()
        .skip(v.scroll)
        .take(rest.height as usize)
        .map(|a| (a.id.clone(), (a.share() * 1000.0).round() as u64, percent(a.share())))
        .collect();
    bars(frame, rest, &rows, 1000);
}

/// A gauge per coder: done of all articles.
fn coders(frame: &mut Frame, area: Rect, p: &Picture, scroll: usize) {
    let lw = label_width(area.width) as u16 + 1;
    for (i, c) in p.coders.iter().skip(scroll).take(area.height as usize).enumerate() {
        let row = Rect { y: area.y + i as u16, height: 1, ..area };
        let [name, g] = Layout::horizontal([Constraint::Length(lw), Constraint::Min(0)]).areas(row);
        frame.render_widget(Paragraph::new(pad(&c.name, lw as usize - 1)), name);
        let share = crate::model::picture::ratio_of(c.done, c.of);
        let mut label = format!("{} of {} done ({})", c.done, c.of, percent(share));
        if c.error.is_some() {
            label.push_str(" · progress file unreadable");
        }
        frame.render_widget(Gauge::default().ratio(share.clamp(0.0, 1.0)).label(label).use_unicode(true), g);
    }
}
