//! Things drawn over the panes: the status bar, the key help, the codebook's menus (values,
//! attributes, labels), the codebook itself, the link picker. The help is generated from the live keymap, so it lists exactly what the keys do.
//! Outside text (typed prompts, messages quoting articles, ids, quotes, keymap entries) goes
//! through the safe helpers of `panes` or [`sanitize`] like everywhere else.

use super::panes::{excerpt, excerpt_of, fit, fit_tail};
use super::theme;
use crate::app::help::{self, HelpRow};
use crate::app::keymap::Mode;
use crate::app::{Action, App, Overlay, PromptKind, SaveState, ValuesFor};
use crate::model::display::width;
use crate::wrap::sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// Columns a span takes, by the one measure (`model::display::width`).
fn span_w(s: &Span) -> usize {
    width(&s.content)
}

fn mode_name(app: &App) -> &'static str {
    match &app.overlay {
        Overlay::Help => "HELP",
        Overlay::Attention { .. } => "ATTENTION",
        Overlay::QuitConfirm => "NOT SAVED",
        Overlay::Relabel { .. } => "RELABEL",
        Overlay::Messages { .. } => "MESSAGES",
        Overlay::Values { .. } => "VALUE",
        Overlay::Attributes { .. } => "ATTRIBUTE",
        Overlay::Codebook { .. } => "CODEBOOK",
        Overlay::Picker { .. } => "LINK",
        Overlay::Entity { .. } => "ENTITY",
        Overlay::EntityValues { .. } => "VALUE",
        Overlay::Prompt { kind: PromptKind::Attribute { .. }, .. } => "VALUE",
        Overlay::Prompt { kind: PromptKind::Filter, .. } => "FILTER",
        Overlay::Prompt { kind: PromptKind::Search, .. } => "SEARCH",
        Overlay::Prompt { kind: PromptKind::CorpusSearch, .. } => "FIND",
        Overlay::Prompt { kind: PromptKind::Note(_), .. } => "NOTE",
        Overlay::Prompt { kind: PromptKind::ReviewComment(_), .. } => "REVIEW",
        Overlay::Prompt { kind: PromptKind::Entity(_), .. } | Overlay::EntityMenu(_) => "ENTITIES",
        Overlay::None if app.adjudicating().is_some() => "ADJUDICATE",
        Overlay::None => match app.mode() {
            Mode::List => "LIST",
            Mode::Visual => "VISUAL",
            Mode::Sidebar => "SIDEBAR",
            Mode::Entities => "ENTITIES",
            Mode::Review => "REVIEW",
            Mode::Stats => "STATS",
            _ => "READ",
        },
    }
}

pub fn render_status(app: &App, frame: &mut Frame, area: Rect) {
    let mode =
        Span::styled(format!(" {} ", mode_name(app)), Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD));
    let mut left = vec![mode, Span::raw(" ")];
    if let Overlay::Prompt { kind, text, cursor } = &app.overlay {
        let named;
        let prefix = match kind {
            PromptKind::Filter => "filter: ",
            PromptKind::Search => "/",
            PromptKind::CorpusSearch => "find in all articles: ",
            PromptKind::Note(_) => "note: ",
            PromptKind::ReviewComment(_) => "comment: ",
            PromptKind::Entity(ask) => ask.prefix(),
            PromptKind::Attribute { attribute, .. } => {
                let def = app.codebook.attribute(attribute);
                named = format!(
                    "{} ({}): ",
                    sanitize(def.map_or(attribute.as_str(), |d| d.name.as_str())),
                    def.map_or("", |d| d.kind.type_name())
                );
                &named
            }
        };
        const HINT: &str = "  Enter ok · Esc cancel";
        // The end of the text, where the cursor is, stays in view; so does the hint, unless
        // the bar is too narrow for both. A column is kept for the cursor.
        let used = left.iter().map(span_w).sum::<usize>() + width(prefix) + 1;
        let avail = (area.width as usize).saturating_sub(used);
        let room = if avail >= width(HINT) + 10 { avail - width(HINT) } else { avail };
        // The text before the cursor keeps its end in view; what follows fills the rest.
        let (before, after) = text.split_at((*cursor).min(text.len()));
        let shown_before = fit_tail(before, room);
        let rest = room.saturating_sub(width(&shown_before));
        left.push(Span::raw(format!("{prefix}{shown_before}")));
        let x = area.x + left.iter().map(span_w).sum::<usize>() as u16;
        if rest > 0 && !after.is_empty() {
            left.push(Span::raw(fit(after, rest)));
        }
        if x < area.x + area.width {
            frame.set_cursor_position((x, area.y));
        }
        left.push(Span::styled(HINT, theme::DIM));
        frame.render_widget(Paragraph::new(Line::from(left)), area);
        return;
    }
    let mut right = Vec::new();
    // A message needs the room more than the article id (the reader's title shows it); an
    // error needs the position's room too.
    let error_shown = app.message.as_ref().is_some_and(|m| m.error);
    if let Some(o) = &app.open {
        // The id gives way only when the message would not fit beside it.
        let id = sanitize(&o.doc.article.id).into_owned();
        let needed = app.message.as_ref().map_or(0, |m| width(&m.text) + 4);
        if width(&id) + needed + 50 <= area.width as usize {
            left.push(Span::raw(id));
        }
        if let Some(review) = crate::app::review::status(app) {
            left.push(Span::styled(format!("{} ", sanitize(&review)), Style::new().add_modifier(Modifier::BOLD)));
        }
        if !error_shown {
            let row = o.wrap.row_of(app.reader.cursor) + 1;
            let ch = o.doc.article.index.char_of(&o.doc.article.text, app.reader.cursor);
            let approx = if o.wrap.is_exact() { "" } else { "~" };
            left.push(Span::styled(format!("  {row}/{approx}{} · char {ch}", o.wrap.len()), theme::DIM));
            left.extend(super::adjudicate::status(app));
            // On an open suggestion: say so, with its label and how sure its detector was.
            let on = match app.focus {
                crate::app::Focus::Sidebar => Some(app.sidebar.selected),
                _ => o.doc.annotation_at_with(app.reader.cursor, |a| a.is_proposed()),
            };
            if let Some(a) = on.and_then(|i| o.doc.annotations.get(i)).filter(|a| a.is_proposed()) {
                let sure = a.suggestion.as_ref().map_or(String::new(), |s| format!(" {}%", s.confidence));
                left.push(Span::raw("  "));
                left.push(Span::styled(format!("? {}{sure}", sanitize(&app.codebook.describe(a))), theme::SUGGESTED));
            }
        }
        if let Some(who) = crate::ui::coders::coding_as(app) {
            right.push(Span::styled(who, theme::DIM));
        }
        let (text, style) = match (&o.doc.read_only, &app.save) {
            (Some(_), _) => ("read-only".to_string(), theme::ERROR),
            (None, SaveState::Failed(_)) => ("✗ not saved".to_string(), theme::ERROR),
            (None, SaveState::Saved) => ("✓ saved".to_string(), theme::OK),
        };
        right.push(Span::styled(text, style));
    }
    if !app.pending.is_empty() {
        right.insert(0, Span::styled(format!("{} ", app.pending.concat()), Style::new().add_modifier(Modifier::BOLD)));
    }
    right.push(Span::styled("  ? keys ", theme::DIM));
    let mut long_error = None;
    // A job off the loop (the corpus search, reading titles) shows how far it is.
    if let (Some(b), None) = (&app.busy, &app.message) {
        left.push(Span::styled(format!("  ⏳ {}", b.describe()), theme::DIM));
    }
    if let Some(m) = &app.message {
        let used: usize = left.iter().chain(&right).map(span_w).sum();
        let full = (area.width as usize).saturating_sub(used + 4);
        let cut = width(&m.text) > full;
        // A cut message ends in `…` (from `fit`) and names the key of the message log, from
        // the live keymap, so nothing is cut off silently; the hint gives way on a narrow bar.
        let hint = cut.then(|| message_log_hint(app)).flatten().filter(|h| full > width(h) + 12);
        let room = full - hint.as_ref().map_or(0, |h| width(h));
        left.push(Span::raw("  "));
        left.push(Span::styled(fit(&m.text, room), if m.error { theme::ERROR } else { Style::new() }));
        if let Some(h) = hint {
            left.push(Span::styled(h, theme::DIM));
        }
        if m.error && cut {
            long_error = Some(m.text.as_str());
        }
    }
    let right_w: usize = right.iter().map(span_w).sum();
    let left_w: usize = left.iter().map(span_w).sum();
    let pad = (area.width as usize).saturating_sub(left_w + right_w);
    left.push(Span::raw(" ".repeat(pad)));
    left.extend(right);
    frame.render_widget(Paragraph::new(Line::from(left)), area);
    if let Some(text) = long_error {
        render_error_box(frame, area, text);
    }
}

/// " (M: all)" with the key bound to the message log in the current mode, or
/// `None` when no key is bound to it.
fn message_log_hint(app: &App) -> Option<String> {
    let keys = app.keymap.keys_for(app.mode(), &Action::ShowMessages);
    let key = keys.first()?;
    Some(format!(" ({}: all)", sanitize(key)))
}

/// An error too long for the status bar is shown whole, wrapped in a box just above it: a
/// person must be able to read what went wrong (a failed save names the file and the cause)
/// at any width. The next key dismisses it with the message.
fn render_error_box(frame: &mut Frame, status: Rect, text: &str) {
    let w = status.width;
    let lines: Vec<Line> = textwrap::wrap(&sanitize(text), (w as usize).saturating_sub(2).max(1))
        .into_iter()
        .map(|l| Line::raw(l.into_owned()))
        .collect();
    let h = (lines.len() as u16 + 2).min(status.y);
    if h < 3 {
        return;
    }
    let r = Rect::new(status.x, status.y - h, w, h);
    frame.render_widget(Clear, r);
    frame.render_widget(Paragraph::new(lines).block(Block::bordered().style(theme::ERROR)), r);
}

/// A box of `w`×`h` centred in `area`, never larger than it.
fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let (w, h) = (w.min(area.width), h.min(area.height));
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// The help rows as styled lines; label looks are drawn as they are painted with or without
/// colour.
pub fn help_text(app: &App, colour: bool) -> Vec<Line<'static>> {
    let rows = help::rows(&app.keymap, &app.codebook);
    let keys = help::key_widths(&rows);
    let mut lines = Vec::with_capacity(rows.len());
    for (row, key_w) in rows.iter().zip(keys) {
        match row {
            HelpRow::Title(t) => {
                let t = sanitize(t).into_owned();
                lines.push(Line::styled(t, Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)));
            }
            // Keys and descriptions may come from the user's keymap file.
            HelpRow::Binding(k, d) => lines.push(Line::from(vec![
                Span::styled(format!(" {:key_w$}  ", sanitize(k)), Style::new().fg(theme::SOURCE)),
                Span::raw(sanitize(d).into_owned()),
            ])),
            // Drawn in the look it describes (without colour, `strip_colours` keeps the
            // attributes).
            HelpRow::Look(l, name, nested, d) => lines.push(Line::from(vec![
                Span::raw(" "),
                Span::styled(
                    format!("{:key_w$}", sanitize(&help::look_key(name, *nested))),
                    theme::paint(Style::new(), app.codebook.look(l).shade(*nested), colour),
                ),
                Span::raw(format!("  {}", sanitize(d))),
            ])),
            HelpRow::Blank => lines.push(Line::default()),
        }
    }
    lines
}

pub fn render_help(app: &App, frame: &mut Frame, area: Rect, colour: bool) {
    let lines = help_text(app, colour);
    let box_area = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    let mut block = Block::bordered().title(" Keys — ? or Esc to close ").border_style(Style::new().fg(theme::SOURCE));
    let inner = block.inner(box_area);
    // The grid `update` scrolls by (`help::grid`), from the same widths.
    let widths = help::line_widths(&help::rows(&app.keymap, &app.codebook));
    let rows = inner.height.max(1) as usize;
    let (_, h, cols) = help::grid(&widths, inner.width as usize, rows);
    let start = app.help.scroll.min(h.saturating_sub(rows));
    if h > rows {
        block = block.title_bottom(format!(" j/k PgDn/PgUp scroll · {}–{} of {h} ", start + 1, (start + rows).min(h)));
    }
    frame.render_widget(Clear, box_area);
    frame.render_widget(block, box_area);
    let mut x = inner.x;
    for (c, w) in cols.iter().enumerate() {
        let w = (*w as u16).min((inner.x + inner.width).saturating_sub(x));
        if w == 0 {
            break;
        }
        let top = (c * h + start).min(lines.len());
        let end = (c * h + h).min(lines.len()).min(top + rows);
        let chunk = lines[top..end.max(top)].to_vec();
        frame.render_widget(Paragraph::new(chunk), Rect::new(x, inner.y, w, inner.height));
        x += w;
    }
}

/// A menu of key → entry lines, centred, with a title and a hint at the bottom.
pub(super) fn render_menu(frame: &mut Frame, area: Rect, title: &str, bottom: &str, rows: Vec<(String, String, bool)>) {
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(key, text, on)| {
            let mark = if on { "●" } else { " " };
            Line::from(vec![
                Span::styled(
                    format!(" {:>3} ", sanitize(&key)),
                    Style::new().fg(theme::SOURCE).add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!("{mark} {}", sanitize(&text))),
            ])
        })
        .collect();
    let h = (lines.len() as u16 + 2).min(area.height);
    let w = lines
        .iter()
        .map(|l| l.width() as u16)
        .max()
        .unwrap_or(20)
        .max(width(title) as u16 + 4)
        .max(width(bottom) as u16 + 4)
        + 3;
    let r = centered(area, w, h);
    frame.render_widget(Clear, r);
    let block = Block::bordered().title(format!(" {} ", sanitize(title))).title_bottom(format!(" {bottom} "));
    frame.render_widget(Paragraph::new(lines).block(block), r);
}

/// The value menu: one line per value of the attribute, with the codebook's key; the
/// current value(s) marked.
fn render_values(app: &App, frame: &mut Frame, area: Rect) {
    let Overlay::Values { purpose } = &app.overlay else { return };
    let (attribute, target) = match purpose {
        ValuesFor::Tag { attribute, .. } => (attribute, None),
        ValuesFor::Relabel { attribute, target, .. } | ValuesFor::Set { attribute, target } => {
            (attribute, Some(target))
        }
    };
    let Some(def) = app.codebook.attribute(attribute) else { return };
    let now = target
        .and_then(|t| app.open.as_ref().and_then(|o| o.doc.get(t)))
        .filter(|_| matches!(purpose, ValuesFor::Set { .. }))
        .and_then(|a| a.attributes.get(attribute));
    let rows = value_rows(def, now);
    let bottom = if matches!(purpose, ValuesFor::Set { .. }) { "Backspace clears · Esc" } else { "Esc cancels" };
    let title = match purpose {
        ValuesFor::Tag { label, .. } | ValuesFor::Relabel { label, .. } => {
            format!("{} {}", app.codebook.label_name(&crate::model::annotation::LabelId::new(label.clone())), def.name)
        }
        ValuesFor::Set { .. } => def.name.clone(),
    };
    render_menu(frame, area, &title, bottom, rows);
}

/// The attribute menu: one line per attribute of the annotation's label, with its value.
fn render_attributes(app: &App, frame: &mut Frame, area: Rect) {
    let Overlay::Attributes { target } = &app.overlay else { return };
    let Some(a) = app.open.as_ref().and_then(|o| o.doc.get(target)) else { return };
    let rows = crate::app::menus::attribute_keys(app, a)
        .into_iter()
        .map(|(k, d)| {
            let v = a.attributes.get(&d.id).map_or_else(|| "—".to_string(), |v| app.codebook.value_name(&d.id, v));
            (k, format!("{}: {v}", d.name), false)
        })
        .collect();
    render_menu(frame, area, &format!("Set an attribute of {}", app.codebook.describe(a)), "Esc", rows);
}

/// The relabel menu: the codebook's labels with their keys.
fn render_relabel(app: &App, frame: &mut Frame, area: Rect) {
    let Overlay::Relabel { target } = &app.overlay else { return };
    let now = app.open.as_ref().and_then(|o| o.doc.get(target)).map(|a| a.label.clone());
    let rows = app
        .codebook
        .labels
        .iter()
        .map(|l| {
            let asked = app.codebook.asked_on_tag(&l.id).map_or(String::new(), |d| format!(" (then its {})", d.name));
            (l.key.clone(), format!("{}{asked}", l.name), now.as_ref().is_some_and(|n| n.0 == l.id))
        })
        .collect();
    render_menu(frame, area, "Change the label to…", "keeps id, note, what still applies · Esc", rows);
}

/// The codebook overlay: the listing `newsnote codebook` prints, scrolled.
fn render_codebook(app: &App, scroll: usize, frame: &mut Frame, area: Rect) {
    let box_area = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    let lines: Vec<Line> =
        crate::app::help::codebook_lines(&app.codebook, area.width).into_iter().map(Line::raw).collect();
    let rows = box_area.height.saturating_sub(2) as usize;
    let top = scroll.min(lines.len().saturating_sub(rows));
    frame.render_widget(Clear, box_area);
    let block = Block::bordered()
        .title(format!(" Codebook: {} ", sanitize(&app.codebook.name)))
        .title_bottom(format!(" j/k scroll · {}–{} of {} · Esc ", top + 1, (top + rows).min(lines.len()), lines.len()))
        .border_style(Style::new().fg(theme::SOURCE));
    frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)).block(block), box_area);
}

/// The session's messages, newest at the bottom, each wrapped whole.
fn render_messages(app: &App, scroll: usize, frame: &mut Frame, area: Rect) {
    let w = area.width.saturating_sub(4).clamp(10, 120);
    let inner = (w as usize).saturating_sub(2).max(1);
    let h = area.height.saturating_sub(4).max(3);
    let mut lines: Vec<Line> = Vec::new();
    // Only the messages that can be on screen are wrapped (the log keeps 500).
    for m in app.messages.iter().rev().skip(scroll).take(h as usize).rev() {
        let style = if m.error { theme::ERROR } else { Style::new() };
        for l in textwrap::wrap(&sanitize(&m.text), inner) {
            lines.push(Line::styled(l.into_owned(), style));
        }
    }
    let skip = lines.len().saturating_sub(h.saturating_sub(2) as usize);
    let r = centered(area, w, h);
    frame.render_widget(Clear, r);
    let title = format!(" Messages ({}) ", app.messages.len());
    let block = Block::bordered().title(title).title_bottom(" k/j earlier/later · Esc ");
    frame.render_widget(Paragraph::new(lines).scroll((skip as u16, 0)).block(block), r);
}

pub fn render_picker(app: &App, frame: &mut Frame, area: Rect) {
    let (Overlay::Picker { subject, relation, reverse, selected, query, .. }, Some(open)) = (&app.overlay, &app.open)
    else {
        return;
    };
    let rows = crate::app::links::picker_entries(app);
    let w = area.width.saturating_sub(10).clamp(20, 80);
    let anns = &open.doc.annotations;
    let mut lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .map(|(i, (c, entity))| {
            let style = if i == *selected { theme::HIGHLIGHT_ROW } else { Style::new() };
            if let Some(line) = entity.as_ref().and_then(|e| super::mentions::picker_entity_row(app, e, w, style)) {
                return line;
            }
            let Some(s) = c.as_ref().and_then(|id| open.doc.get(id)) else {
                let rel = app.codebook.relation(relation).map_or(relation.as_str(), |r| r.name.as_str());
                let none = if *reverse { " (none: detach it)".to_string() } else { format!(" (no {})", sanitize(rel)) };
                return Line::styled(none, style);
            };
            let key = crate::app::links::name_key(&s.quote);
            let n = if *reverse {
                1
            } else {
                anns.iter().filter(|a| a.label == s.label && crate::app::links::name_key(&a.quote) == key).count()
            };
            let times = if n > 1 { format!(" ×{n}") } else { String::new() };
            // The mention nearest the claim, in its context.
            let tail: String = {
                let p: Vec<char> = s.prefix.chars().collect();
                p[p.len().saturating_sub(18)..].iter().collect()
            };
            let head: String = s.suffix.chars().take(18).collect();
            let quote = excerpt(&s.quote, (w as usize).saturating_sub(4) / 2);
            let room = (w as usize).saturating_sub(width(&quote) + width(&times) + 6);
            let ctx = excerpt_of(&["…", &tail, "[", &s.quote, "]", &head, "…"], room);
            Line::from(vec![
                Span::styled(format!(" {quote}{times}  "), style),
                Span::styled(ctx, style.patch(theme::DIM)),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(" nothing matches", theme::DIM));
    }
    let h = (lines.len() as u16 + 2).min(area.height / 2).max(3);
    // Away from the claim being attributed, so it stays in view.
    let x = area.x + (area.width.saturating_sub(w)) / 2;
    let y = row_away_from(app, open, subject, area, h);
    let r = Rect::new(x, y, w.min(area.width), h);
    let top = (*selected + 1).saturating_sub(h.saturating_sub(2) as usize);
    frame.render_widget(Clear, r);
    let rel = app.codebook.relation(relation).map_or(relation.as_str(), |r| r.name.as_str());
    let what = if *reverse { format!("Attach as the {rel} of…") } else { format!("Link {rel}…") };
    let title = if query.is_empty() {
        format!(" {} (type to filter) ", sanitize(&what))
    } else {
        format!(" {} {} ", sanitize(&what), sanitize(query))
    };
    let many = !*reverse && app.codebook.relation(relation).is_some_and(|r| r.many);
    let bottom = if many { " ↑/↓ Enter · Ctrl-A adds another · Esc " } else { " ↑/↓ Enter · Esc " };
    let block = Block::bordered().title(title).title_bottom(bottom);
    frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)).block(block), r);
}

/// Draws whichever overlay is open.
pub fn render(app: &App, frame: &mut Frame, area: Rect, colour: bool) {
    match app.overlay {
        Overlay::Help => render_help(app, frame, area, colour),
        Overlay::Values { .. } => render_values(app, frame, area),
        Overlay::Attributes { .. } => render_attributes(app, frame, area),
        Overlay::Codebook { scroll } => render_codebook(app, scroll, frame, area),
        Overlay::Picker { .. } => render_picker(app, frame, area),
        Overlay::QuitConfirm => render_quit_confirm(app, frame, area),
        Overlay::Relabel { .. } => render_relabel(app, frame, area),
        Overlay::Messages { scroll } => render_messages(app, scroll, frame, area),
        Overlay::Entity { .. } => super::mentions::render_picker(app, frame, area),
        Overlay::EntityValues { .. } => super::mentions::render_values(app, frame, area),
        _ => {}
    }
}

/// The words of the quit dialog: what is not on disk, why, and the three ways out.
pub fn quit_confirm_text(app: &App) -> Vec<String> {
    let n = app.unsaved_count();
    let mut v =
        vec![format!("{n} article(s) have changes that are NOT on disk; the save was just retried and failed:")];
    v.extend(app.unsaved_report().into_iter().map(|l| format!("• {l}")));
    v.push(String::new());
    v.push(
        "They are kept in memory while newsnote runs. Fix the cause (free disk space, fix the file, or restart \
         with --annotations DIR when the folder is read-only) and press q to retry."
            .into(),
    );
    v.push("D (shift-d): quit anyway and LOSE these changes (newsnote tries to keep a copy and says where).".into());
    v.push("Any other key: stay.".into());
    v
}

fn render_quit_confirm(app: &App, frame: &mut Frame, area: Rect) {
    // Wrapped, never cut: this is the one message a person must read whole, even at 80×24.
    let w = area.width.saturating_sub(4).clamp(1, 100);
    let lines: Vec<Line> = quit_confirm_text(app)
        .iter()
        .flat_map(|para| {
            if para.is_empty() {
                return vec![Line::raw("")];
            }
            textwrap::wrap(&sanitize(para), (w as usize).saturating_sub(2).max(1))
                .into_iter()
                .map(|l| Line::raw(l.into_owned()))
                .collect()
        })
        .collect();
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, w, h);
    frame.render_widget(Clear, r);
    let block = Block::bordered().title(" Quit? Changes are not saved ").style(theme::ERROR);
    frame.render_widget(Paragraph::new(lines).block(block), r);
}

/// The top row of a popup `h` rows high that leaves the annotation `id` in view: below it
/// when it is in the upper half of `area`, above it otherwise, centred when it is not shown.
pub(super) fn row_away_from(
    app: &App,
    open: &crate::app::OpenArticle,
    id: &crate::model::annotation::AnnotationId,
    area: Rect,
    h: u16,
) -> u16 {
    let reader = app.panes().reader.unwrap_or(area);
    let row = open
        .doc
        .position(id)
        .and_then(|i| open.doc.spans[i])
        .map(|s| open.wrap.row_of(s.start).saturating_sub(app.reader.scroll) as u16 + reader.y + 1);
    match row {
        Some(row) if row < area.y + area.height / 2 => (row + 2).min(area.y + area.height.saturating_sub(h)),
        Some(row) => row.saturating_sub(h + 1).max(area.y),
        None => area.y + area.height.saturating_sub(h) / 2,
    }
}

/// A value menu's rows: each value's key and name, marked when `now` holds it.
pub(super) fn value_rows(
    def: &crate::model::codebook::AttributeDef,
    now: Option<&crate::model::annotation::AttrValue>,
) -> Vec<(String, String, bool)> {
    def.kind
        .values()
        .iter()
        .map(|v| (v.key.clone(), v.name.clone(), now.is_some_and(|n| n.ids().contains(&v.id.as_str()))))
        .collect()
}
