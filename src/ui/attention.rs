//! The "needs attention" overlay: re-anchored annotations and conflicts, one per line. An
//! uncertain annotation is marked `?`: its place is only proposed, and `y` takes it there.

use super::theme;
use crate::app::attention::{Item, describe_conflict, items};
use crate::app::{App, Overlay};
use crate::model::annotation::AnchorNote;
use crate::wrap::sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let (Overlay::Attention { selected }, Some(open)) = (&app.overlay, &app.open) else { return };
    let list = items(app);
    let w = area.width.saturating_sub(6).clamp(20, 110);
    let mut lines: Vec<Line> = list
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let style = if i == *selected { theme::HIGHLIGHT_ROW } else { Style::new() };
            let (mark, what, detail) = match item {
                Item::Anchor(id) => match open.doc.get(id) {
                    // `?`: a place is proposed but not taken; `⚠`: everything else re-anchoring did.
                    Some(a) => (
                        if matches!(a.anchor, Some(AnchorNote::Uncertain { .. })) { "?" } else { "⚠" },
                        format!(
                            "{} “{}”",
                            app.codebook.describe(a),
                            a.quote.split_whitespace().collect::<Vec<_>>().join(" ")
                        ),
                        a.anchor.as_ref().map(|n| n.describe()).unwrap_or_default(),
                    ),
                    None => ("⚠", id.to_string(), String::new()),
                },
                Item::Conflict(k) => {
                    let c = &open.doc.conflicts[*k];
                    ("⚡", format!("conflict on {}", c.id), describe_conflict(c))
                }
            };
            let what = super::panes::fit(&sanitize(&what), (w as usize).saturating_sub(4) / 2);
            Line::from(vec![
                Span::styled(format!(" {mark} "), style.patch(theme::ERROR)),
                Span::styled(format!("{what}  "), style.add_modifier(Modifier::BOLD)),
                Span::styled(sanitize(&detail).into_owned(), style.patch(theme::DIM)),
            ])
        })
        .collect();
    // The selected conflict in full, both versions wrapped under the list: a row cuts them.
    let mut full: Vec<Line> = Vec::new();
    if let Some(Item::Conflict(k)) = list.get(*selected)
        && let Some(c) = open.doc.conflicts.get(*k)
    {
        let inner = (w as usize).saturating_sub(4).max(10);
        full.push(Line::styled("─".repeat(inner), theme::DIM));
        for (who, side) in [("yours", &c.mine), ("theirs", &c.theirs)] {
            let text = format!("{who}: {}", crate::app::attention::describe_version(side));
            full.extend(textwrap::wrap(&sanitize(&text), inner).into_iter().map(|l| Line::raw(format!(" {l}"))));
        }
    }
    let list_h = lines.len();
    lines.extend(full);
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = Rect::new(
        area.x + (area.width.saturating_sub(w)) / 2,
        area.y + area.height.saturating_sub(h) / 2,
        w.min(area.width),
        h,
    );
    let top = (*selected + 1).saturating_sub(h.saturating_sub(2) as usize).min(list_h);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(" Needs attention ")
        .title_bottom(" Enter show · y confirm · Y all moved · d delete · m mine / t theirs · Esc ");
    frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)).block(block), r);
}
