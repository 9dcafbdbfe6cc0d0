//! The article list and the annotation sidebar, and the helpers every view uses to put
//! outside text on screen.
//!
//! Both panes draw only the rows in view, from offsets that `update` keeps, so render stays a
//! pure function of the state (no ListState mutated while drawing). Titles, quotes, notes, ids
//! and typed text come from files and keyboards we do not control: they reach a `Span` only
//! through [`fit`], [`fit_tail`], [`excerpt`] or [`sanitize`], so control characters, C1,
//! bidi overrides and zero-width characters show as placeholders (`␛`, `<U+202E>`) instead of
//! acting on the terminal. The cutting helpers read only as much text as they show, so a
//! 5 MB title or a 200 KB prompt costs a frame no more than a short one.

use super::theme;
use crate::app::layout::{inner, sidebar_parts};
use crate::app::{App, Focus, Overlay, PromptKind};
use crate::model::annotation::Annotation;
use crate::model::codebook::Codebook;
use crate::model::corpus::FileState;
use crate::model::display::width as cols;
use crate::wrap::sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use std::borrow::Cow;
use unicode_segmentation::UnicodeSegmentation;

/// Joins pieces (already sanitised) up to `width` columns; when they do not all fit, the
/// last one that fits is followed by `…`. Stops reading at the first piece that overflows.
fn cut<'a>(pieces: impl Iterator<Item = Cow<'a, str>>, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    // Length of `out` that still leaves a column for the ellipsis.
    let mut keep = 0;
    for p in pieces {
        let pw = cols(&p);
        if w + pw > width {
            out.truncate(keep);
            if width > 0 {
                out.push('…');
            }
            return out;
        }
        out.push_str(&p);
        w += pw;
        if w < width {
            keep = out.len();
        }
    }
    out
}

/// Clears `area` and draws a bordered panel titled `title` over it (a view that takes the
/// whole screen but the status bar); the inside, or `None` when nothing fits in it.
pub(super) fn full_panel(frame: &mut Frame, area: Rect, title: &str) -> Option<Rect> {
    frame.render_widget(ratatui::widgets::Clear, area);
    let block = ratatui::widgets::Block::bordered().title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    (inner.width > 0 && inner.height > 0).then_some(inner)
}

/// `s` made safe to draw (see [`sanitize`]) and cut to at most `width` columns, with an
/// ellipsis when cut.
pub fn fit(s: &str, width: usize) -> String {
    cut(s.graphemes(true).map(sanitize), width)
}

/// Like [`fit`], but keeps the end of `s` (`…` first when cut): for text being typed, whose
/// end is where the cursor is.
pub fn fit_tail(s: &str, width: usize) -> String {
    // Graphemes from the end backwards, as long as they fit.
    let mut rev: Vec<Cow<str>> = Vec::new();
    let mut w = 0;
    let mut whole = true;
    for g in s.graphemes(true).rev().map(sanitize) {
        if w + cols(&g) > width {
            whole = false;
            break;
        }
        w += cols(&g);
        rev.push(g);
    }
    let mut out = String::new();
    if !whole && width > 0 {
        // Drop graphemes at the front until the ellipsis fits.
        while w + 1 > width {
            w -= rev.pop().map_or(0, |g| cols(&g));
        }
        out.push('…');
    }
    out.extend(rev.iter().rev().map(|g| g.as_ref()));
    out
}

/// `s` on one line for an excerpt: each run of whitespace (line breaks included) as one
/// space, ends trimmed, everything else as [`fit`] shows it, cut to `width` columns.
pub fn excerpt(s: &str, width: usize) -> String {
    excerpt_of(&[s], width)
}

/// [`excerpt`] of the concatenation of `parts`, without building it: a long part is read
/// only as far as it shows.
pub fn excerpt_of(parts: &[&str], width: usize) -> String {
    let blank = |g: &str| g.chars().all(char::is_whitespace);
    let mut gs = parts.iter().flat_map(|p| p.graphemes(true)).skip_while(|g| blank(g)).peekable();
    let pieces = std::iter::from_fn(move || {
        let g = gs.next()?;
        if !blank(g) {
            return Some(sanitize(g));
        }
        while gs.next_if(|g| blank(g)).is_some() {}
        // Trailing blanks are dropped, not drawn as a space.
        gs.peek().map(|_| Cow::Borrowed(" "))
    });
    cut(pieces, width)
}

pub fn render_list(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::List;
    let typing = matches!(&app.overlay, Overlay::Prompt { kind: PromptKind::Filter, .. });
    let mut title = format!(" Articles {}/{} ", app.list.visible.len(), app.corpus.entries.len());
    if app.list.order != crate::model::meta::ListOrder::Id {
        title.push_str(&format!("· {} ", app.list.order.name()));
    }
    if !app.list.filter.is_empty() || typing {
        // The end of the filter, where typing happens, stays in view.
        let room = (area.width as usize).saturating_sub(cols(&title) + 5);
        title.push_str(&format!("/{}{} ", fit_tail(&app.list.filter, room), if typing { "▏" } else { "" }));
    }
    if let Some((q, _)) = &app.list.content_filter {
        let room = (area.width as usize).saturating_sub(cols(&title) + 6);
        title.push_str(&format!("∋“{}” ", fit(q, room)));
    }
    let mut block = Block::bordered().title(title).border_style(theme::focused_border(focused));
    // Every coder's totals in the bottom border, so the list keeps all its rows.
    let room = (area.width as usize).saturating_sub(4);
    if let Some(t) = super::coders::totals(app, room) {
        block = block.title_bottom(format!(" {} ", fit(&t, room)));
    }
    let body = inner(area);
    frame.render_widget(block, area);
    if app.corpus.entries.is_empty() {
        let msg = format!(
            "No articles in {} (newsnote reads {} files)",
            sanitize(&app.corpus.root.display().to_string()),
            crate::model::load::extensions_for_people()
        );
        frame.render_widget(Paragraph::new(msg).style(theme::DIM).wrap(Wrap { trim: true }), body);
        return;
    }
    let width = body.width as usize;
    let open_entry = app.open.as_ref().map(|o| o.entry);
    let lines: Vec<Line> = app
        .list
        .visible
        .iter()
        .enumerate()
        .skip(app.list.offset)
        .take(body.height as usize)
        .map(|(vi, &i)| {
            let e = &app.corpus.entries[i];
            let (marker, mstyle) = match &e.state {
                // Not an article at all: its own mark, not the one for a bad annotation file.
                _ if e.binary.is_some() || e.too_large => ("⊘", theme::DIM),
                FileState::Invalid(_) => ("!", theme::ERROR),
                _ if e.counts.total() > 0 => ("●", Style::new().fg(theme::SOURCE)),
                // Only suggestions: nothing coded yet, something to review.
                _ if e.counts.proposed_total() > 0 => ("?", theme::SUGGESTED),
                _ => (" ", Style::new()),
            };
            let mut counts = if e.counts.total() > 0 {
                let per: Vec<String> = app.codebook.labels.iter().map(|l| e.counts.of(&l.id).to_string()).collect();
                format!(" {}", per.join("·"))
            } else {
                String::new()
            };
            // Suggestions are counted apart from the coding.
            if e.counts.proposed_total() > 0 {
                counts.push_str(&format!(" ?{}", e.counts.proposed_total()));
            }
            // Who is done with it, and whether it is reviewed or adjudicated (`ui::coders`);
            // without that column, a review under way says how much has a verdict.
            let progress = super::coders::cell(app, e);
            if progress.is_none() && e.counts.reviewed() > 0 {
                counts.push_str(&format!(" r{}/{}", e.counts.reviewed(), e.counts.total()));
            }
            let progress = progress.unwrap_or_default();
            let progress_w: usize =
                progress.iter().map(|(t, _)| cols(t)).sum::<usize>() + usize::from(!progress.is_empty());
            let title_w = width.saturating_sub(2 + cols(&counts) + progress_w);
            let mut style =
                if open_entry == Some(i) { Style::new().add_modifier(Modifier::BOLD) } else { Style::new() };
            if vi == app.list.selected {
                style = style.patch(theme::selected_row(focused));
            }
            // In a corpus with subfolders each row says its folder (ids are `/`-separated),
            // as much of it as leaves the title half the row.
            // A container's record is in its file's folder, not in the folders its URL key
            // would make of it.
            let file = crate::model::corpus::file_of_id(&e.id);
            let folder = file.rsplit_once('/').map(|(d, _)| fit(&format!("{d}/ "), title_w / 2)).unwrap_or_default();
            // The day and outlet columns, when an article shown has them, so they line up
            // whatever the title: the day first (what the list is sorted by), then as much of
            // the widest outlet shown as leaves the title a third of the row and at least 12
            // columns (none when under six are left); an article without one leaves its cell
            // blank.
            let room = title_w.saturating_sub(cols(&folder));
            let title_min = (room / 3).max(12);
            let day_w = if app.list.columns.day && room >= title_min + 11 { 10 } else { 0 };
            let left = room.saturating_sub(title_min + if day_w > 0 { 11 } else { 0 } + 1);
            let outlet_w = if left >= 6 { app.list.columns.outlet.min(left) } else { 0 };
            let cell = |text: Option<&str>, w: usize| {
                if w == 0 {
                    return String::new();
                }
                let t = fit(text.unwrap_or(""), w);
                format!("{t}{} ", " ".repeat(w - cols(&t)))
            };
            let from = format!("{}{}", cell(e.meta.day(), day_w), cell(e.meta.outlet.as_deref(), outlet_w));
            let t = fit(&e.title, title_w.saturating_sub(cols(&folder) + cols(&from)));
            let pad = " ".repeat(title_w.saturating_sub(cols(&folder) + cols(&from) + cols(&t)));
            let mut spans = vec![
                Span::styled(format!("{marker} "), mstyle),
                Span::styled(folder, style.patch(theme::DIM)),
                Span::styled(from, style.patch(theme::DIM)),
                Span::styled(format!("{t}{pad}"), style),
            ];
            if !progress.is_empty() {
                spans.push(Span::raw(" "));
            }
            for (text, done) in progress {
                spans.push(Span::styled(text, if done { theme::OK.add_modifier(Modifier::BOLD) } else { theme::DIM }));
            }
            spans.push(Span::styled(counts, theme::DIM));
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}

/// "S Dmitry Peskov", "C “They should…” ← Peskov" for the sidebar list.
fn summary(
    cb: &Codebook,
    registry: Option<&crate::model::entities::Registry>,
    a: &Annotation,
    all: &[Annotation],
    width: usize,
    entity: Option<(String, bool)>,
) -> Line<'static> {
    let letter = Span::styled(
        format!("{} ", theme::label_letter(cb, &a.label)),
        Style::new().fg(theme::label_color(cb, &a.label)).add_modifier(Modifier::BOLD),
    );
    // An open suggestion: `?` and how sure its detector was, before its words, so the list
    // never passes it off as coding.
    let (letter, width) = match (&a.suggestion, a.is_proposed()) {
        (Some(s), true) => {
            let mark = format!("?{}% ", s.confidence);
            let w = width.saturating_sub(cols(&mark));
            let letter =
                Span::styled(format!("{}{mark}", letter.content.trim_end()), letter.style.add_modifier(Modifier::DIM));
            (letter, w)
        }
        (None, true) => {
            (Span::styled(format!("{}? ", letter.content.trim_end()), letter.style), width.saturating_sub(1))
        }
        _ => (letter, width),
    };
    // Excerpts as wide as the whole line: every later cut is narrower, so cutting early
    // changes nothing shown and spares reading a long quote to its end.
    let quote = if a.fragments.is_empty() { excerpt(&a.quote, width) } else { excerpt(&a.full_quote(), width) };
    let asked =
        cb.asked_on_tag(a.label.as_str()).and_then(|d| a.attributes.get(&d.id).map(|v| cb.value_name(&d.id, v)));
    let mut text = match asked {
        Some(kind) => format!("{kind}: {quote}"),
        None => quote,
    };
    // The first relation the label links by (a claim's sources): where it points.
    if let Some(rel) = cb.relations_from(a.label.as_str()).next() {
        let targets = a.linked(&rel.id);
        let mut src = match targets.first() {
            // A source that names an entity is shown by it ("← Dmitry Peskov", not "← he").
            Some(id) => all.iter().find(|s| &s.id == id).map_or(format!("(missing {})", rel.name), |s| {
                crate::app::mentions::entity_of(registry, s)
                    .map_or_else(|| excerpt(&s.quote, width), |e| excerpt(&e.name, width))
            }),
            None if rel.required => format!("no {}", rel.name),
            None => String::new(),
        };
        if targets.len() > 1 {
            src = format!("{src} +{}", targets.len() - 1);
        }
        if !src.is_empty() {
            let room = width.saturating_sub(if a.note.is_some() { 4 } else { 2 });
            let src_part = format!(" ← {}", fit(&src, room / 2));
            text = format!("{}{}", fit(&text, room.saturating_sub(cols(&src_part))), src_part);
        }
    }
    // The note mark goes first so a long claim line cannot push it off the edge.
    let note = if a.note.is_some() { "✎ " } else { "" };
    // A source's entity stays in view however long its words: the words are cut first.
    if let Some((who, missing)) = entity {
        let who = fit(&who, width.saturating_sub(2) / 2 + 2);
        let room = width.saturating_sub(2 + cols(&who));
        let style = if missing { theme::ERROR } else { theme::DIM };
        return Line::from(vec![letter, Span::raw(fit(&format!("{note}{text}"), room)), Span::styled(who, style)]);
    }
    Line::from(vec![letter, Span::raw(fit(&format!("{note}{text}"), width.saturating_sub(2)))])
}

pub fn render_sidebar(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Sidebar;
    let n = app.open.as_ref().map_or(0, |o| o.doc.annotations.len());
    let (list_area, details_area) = sidebar_parts(area);
    let (rows, total) = app.sidebar_page(app.sidebar.offset, list_area.height as usize);
    // Suggestions are counted apart: they are not coding until accepted.
    let suggested = crate::app::suggest::open_count(app);
    let coded = n - suggested;
    let also = if suggested > 0 { format!("· {suggested} suggested ") } else { String::new() };
    let title = match app.sidebar.filter {
        crate::app::SidebarFilter::All => format!(" Annotations ({coded}) {also}"),
        f => format!(" Annotations: {} ({total} of {n}) {also}", f.name(&app.codebook)),
    };
    let block = Block::bordered().title(title).border_style(theme::focused_border(focused));
    frame.render_widget(block, area);
    let Some(open) = &app.open else { return };
    let anns = &open.doc.annotations;
    if app.sidebar.filter == crate::app::SidebarFilter::ByEntity && !anns.is_empty() {
        super::mentions::render_grouped(app, frame, list_area);
        if let Some(a) = anns.get(app.sidebar.selected) {
            let misfit = open.doc.spans[app.sidebar.selected].is_none();
            let extra =
                super::mentions::detail_lines(app, a, details_area.width as usize * details_area.height as usize);
            let hint = crate::app::suggest::review_hint(app);
            render_details(&app.codebook, app.registry.as_ref(), a, anns, misfit, extra, &hint, frame, details_area);
        }
        return;
    }
    if anns.is_empty() {
        // An unreadable file shows no annotations although it may hold many: say so, and why.
        let (hint, style) = match &open.doc.read_only {
            Some(why) => (
                format!(
                    "The annotation file cannot be read, so its annotations are not shown and it is never \
                     written (read-only): {}",
                    sanitize(why)
                ),
                theme::ERROR,
            ),
            None => (crate::app::help::empty_sidebar_hint(app), theme::DIM),
        };
        frame.render_widget(Paragraph::new(hint).style(style).wrap(Wrap { trim: true }), list_area);
        return;
    }
    let width = list_area.width as usize;
    let lines: Vec<Line> = rows
        .iter()
        .map(|&i| (i, &anns[i]))
        .map(|(i, a)| {
            let who = super::mentions::row_suffix(&app.codebook, app.registry.as_ref(), a);
            let mut line = summary(&app.codebook, app.registry.as_ref(), a, anns, width, who);
            if open.doc.spans[i].is_none() {
                line = line.style(theme::ERROR);
            }
            if i == app.sidebar.selected {
                line = line.style(theme::selected_row(focused));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(a) = anns.get(app.sidebar.selected) {
        let extra = super::mentions::detail_lines(app, a, details_area.width as usize * details_area.height as usize);
        render_details(
            &app.codebook,
            app.registry.as_ref(),
            a,
            anns,
            open.doc.spans[app.sidebar.selected].is_none(),
            extra,
            &crate::app::suggest::review_hint(app),
            frame,
            details_area,
        );
    }
}

#[allow(clippy::too_many_arguments)] // the pieces of one pane, passed rather than the whole app
fn render_details(
    cb: &Codebook,
    registry: Option<&crate::model::entities::Registry>,
    a: &Annotation,
    all: &[Annotation],
    misfit: bool,
    entity: Vec<Line<'static>>,
    hint: &str,
    frame: &mut Frame,
    area: Rect,
) {
    let key = |k: &str| Span::styled(format!("{k} "), theme::DIM);
    // Nothing longer than the area can show is laid out (a quote may be a whole article).
    let cap = area.width as usize * area.height as usize;
    let hull = a.hull();
    let pieces = if a.fragments.is_empty() { String::new() } else { format!(" · {} pieces", a.fragments.len() + 1) };
    let mut lines = vec![
        Line::styled("─".repeat(area.width as usize), theme::DIM),
        Line::from(vec![
            Span::styled(
                cb.describe(a),
                Style::new().fg(theme::label_color(cb, &a.label)).add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!("  {}  {}–{}{pieces}", fit(&a.id.0, cap), hull.start, hull.end), theme::DIM),
        ]),
        Line::from(format!("“{}”", excerpt(&a.full_quote(), cap))),
    ];
    if !cb.knows(&a.label) {
        lines.push(Line::styled("label not in the codebook (kept as it is)", theme::ERROR));
    }
    // A suggestion says who proposed it, how sure it was and why, right under its words.
    if let (Some(s), true) = (&a.suggestion, a.is_proposed()) {
        lines.push(Line::from(vec![
            Span::styled("? suggested ", theme::SUGGESTED),
            Span::raw(format!("by {} · {}% sure", fit(&s.origin(), cap), s.confidence)),
            Span::styled(format!(" · {hint}"), theme::DIM),
        ]));
        if !s.reason.is_empty() {
            lines.push(Line::from(vec![key("why"), Span::raw(fit(&s.reason, cap))]));
        }
    } else if a.is_proposed() {
        lines.push(Line::styled(format!("? suggested · {hint}"), theme::SUGGESTED));
    }
    if misfit {
        lines.push(Line::styled("does not match the article text (not shown)", theme::ERROR));
    }
    // Who the source is, right under its words.
    lines.extend(entity);
    let note = a.note.as_deref().map_or_else(|| "— (m to add)".into(), |n| fit(n, cap));
    lines.push(Line::from(vec![key("note"), Span::raw(note)]));
    // Every attribute the label has, set or not, then any the codebook lacks.
    for def in cb.attributes_for(a.label.as_str()) {
        let value = a.attributes.get(&def.id).map_or_else(
            || if def.required { "— required (= to set)".to_string() } else { "— (= to set)".to_string() },
            |v| fit(&cb.value_name(&def.id, v), cap),
        );
        lines.push(Line::from(vec![key(&def.name), Span::raw(value)]));
    }
    for (id, v) in a.attributes.iter().filter(|(id, _)| cb.attribute(id).is_none_or(|d| !d.labels.contains(&a.label.0)))
    {
        lines.push(Line::from(vec![key(&format!("{id}?")), Span::styled(fit(&v.to_string(), cap), theme::ERROR)]));
    }
    for rel in cb.relations_from(a.label.as_str()) {
        let names: Vec<String> = a
            .linked(&rel.id)
            .iter()
            .map(|id| {
                all.iter().find(|s| &s.id == id).map_or_else(
                    || format!("{} (missing)", fit(&id.0, cap)),
                    |s| match crate::app::mentions::entity_of(registry, s) {
                        Some(e) if e.name != s.quote => format!("{} = {}", excerpt(&s.quote, cap), e.name),
                        _ => excerpt(&s.quote, cap),
                    },
                )
            })
            .collect();
        let shown = if names.is_empty() { "none — press a to link".into() } else { names.join(" · ") };
        lines.push(Line::from(vec![key(&rel.name), Span::raw(shown)]));
    }
    for rel in cb.relations_to(a.label.as_str()) {
        let n = all.iter().filter(|c| c.linked(&rel.id).contains(&a.id)).count();
        lines.push(Line::from(vec![key(&format!("{} of", rel.name)), Span::raw(n.to_string())]));
    }
    lines.push(Line::from(vec![
        key("by"),
        Span::raw(fit(&a.author, cap)),
        Span::styled(format!(" {}/{}", a.origin.as_str(), a.status.as_str()), theme::DIM),
    ]));
    lines.push(Line::from(vec![key("created"), Span::raw(fit(&a.created, cap))]));
    if a.modified != a.created {
        lines.push(Line::from(vec![key("modified"), Span::raw(fit(&a.modified, cap))]));
    }
    // What the label means, last: reference, for when there is room.
    if let Some(def) = cb.label(a.label.as_str()).filter(|d| !d.definition.is_empty()) {
        lines.push(Line::styled(fit(&def.definition, cap), theme::DIM));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
