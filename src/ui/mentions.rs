//! Who the sources are, drawn: the entity picker, the entity attribute menu, and the
//! sidebar's entity parts (a source's entity on its row, the entity in the details, the
//! sources grouped by entity).
//!
//! Everything here reads the open article and looks its entities up in the registry by id:
//! a frame costs the article's annotations, never the corpus.

use super::panes::{excerpt, fit};
use super::theme;
use crate::app::mentions::{claims_of, entity_of, groups, rows};
use crate::app::{App, Focus, Overlay};
use crate::model::annotation::Annotation;
use crate::model::codebook::Codebook;
use crate::model::display::width;
use crate::model::entities::{Entity, Registry};
use crate::wrap::sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// "official · man" for an entity: its attribute values by the codebook's names.
pub fn attribute_summary(cb: &Codebook, e: &Entity) -> String {
    cb.entity_attributes()
        .iter()
        .filter_map(|d| e.attributes.get(&d.id).map(|v| cb.entity_value_name(&d.id, v)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The entity picker: one row per entity (name, attributes, why it is proposed), the
/// mention's words in the title, the keys in the footer.
pub fn render_picker(app: &App, frame: &mut Frame, area: Rect) {
    let (Overlay::Entity { mention, selected, query, .. }, Some(open), Some(reg)) =
        (&app.overlay, &app.open, app.registry.as_ref())
    else {
        return;
    };
    let Some(m) = open.doc.get(mention) else { return };
    let w = area.width.saturating_sub(10).clamp(24, 72);
    let inner = w.saturating_sub(2) as usize;
    let now = entity_of(Some(reg), m).map(|e| e.id.clone());
    let mut lines: Vec<Line> = rows(app)
        .iter()
        .enumerate()
        .filter_map(|(i, (id, why))| {
            let e = reg.get(id)?;
            let style = if i == *selected { theme::HIGHLIGHT_ROW } else { Style::new() };
            let mark = if now.as_ref() == Some(id) { "●" } else { " " };
            let why = why.map_or(String::new(), |w| format!("  {}", w.describe()));
            let attrs = attribute_summary(&app.codebook, e);
            let attrs = if attrs.is_empty() { String::new() } else { format!("  {attrs}") };
            let name = fit(&e.name, inner.saturating_sub(width(&why) + 3).max(8));
            let room = inner.saturating_sub(width(&name) + width(&why) + 3);
            Some(Line::from(vec![
                Span::styled(format!("{mark} {name}"), style.add_modifier(Modifier::BOLD)),
                Span::styled(fit(&attrs, room), style.patch(theme::DIM)),
                Span::styled(why, style.fg(theme::SOURCE)),
            ]))
        })
        .collect();
    if lines.is_empty() {
        let none = if reg.live().next().is_none() { " no entities yet" } else { " nothing matches" };
        lines.push(Line::styled(none, theme::DIM));
    }
    let h = (lines.len() as u16 + 2).min(area.height / 2).max(3);
    // Away from the mention, so the words being identified stay in view.
    let y = super::overlay::row_away_from(app, open, mention, area, h);
    let r = Rect::new(area.x + area.width.saturating_sub(w) / 2, y, w, h).intersection(area);
    let top = (*selected + 1).saturating_sub(h.saturating_sub(2) as usize);
    frame.render_widget(Clear, r);
    let words = excerpt(&m.full_quote(), 30);
    let title = if query.is_empty() {
        format!(" Who is “{words}”? (type to filter) ")
    } else {
        format!(" Who is “{words}”? {} ", sanitize(query))
    };
    let key = |a: crate::app::Action| {
        let k = app.keymap.keys_for(crate::app::keymap::Mode::Entity, &a);
        k.first().cloned().unwrap_or_else(|| "—".into())
    };
    let bottom = format!(
        " Enter links · {} new · {} unlink · {} alias · Esc none ",
        key(crate::app::Action::NewEntity),
        key(crate::app::Action::UnlinkEntity),
        key(crate::app::Action::AliasEntity)
    );
    let block = Block::bordered().title(title).title_bottom(bottom).border_style(Style::new().fg(theme::SOURCE));
    frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)).block(block), r);
}

/// The entity attribute menu: the attribute's values with their keys, the entity's current
/// value marked.
pub fn render_values(app: &App, frame: &mut Frame, area: Rect) {
    let Overlay::EntityValues { entity, attribute, .. } = &app.overlay else { return };
    let Some(def) = app.codebook.entity_attribute(attribute) else { return };
    let e = app.registry.as_ref().and_then(|r| r.get(entity));
    let now = e.and_then(|e| e.attributes.get(attribute));
    let rows = super::overlay::value_rows(def, now);
    let who = e.map_or(entity.to_string(), |e| e.name.clone());
    super::overlay::render_menu(frame, area, &format!("{who}: {}", def.name), "Esc skips", rows);
}

/// A row of the claim → source picker standing for an entity: "Dmitry Peskov — 3 mentions".
pub fn picker_entity_row(
    app: &App,
    id: &crate::model::entities::EntityId,
    w: u16,
    style: Style,
) -> Option<Line<'static>> {
    let reg = app.registry.as_ref()?;
    let e = reg.resolve(id)?;
    let open = app.open.as_ref()?;
    let n = open.doc.annotations.iter().filter(|a| entity_of(Some(reg), a).is_some_and(|x| x.id == e.id)).count();
    let counts = format!(" — {n} mention{}", plural(n));
    let attrs = attribute_summary(&app.codebook, e);
    let room = (w as usize).saturating_sub(width(&counts) + 4);
    let name = fit(&e.name, room);
    let rest = fit(&format!("  {attrs}"), room.saturating_sub(width(&name)));
    Some(Line::from(vec![
        Span::styled(format!(" {name}"), style.add_modifier(Modifier::BOLD)),
        Span::styled(counts, style),
        Span::styled(rest, style.patch(theme::DIM)),
    ]))
}

/// What a source's sidebar row adds: "= Dmitry Peskov", or that it has no entity yet.
pub fn row_suffix(cb: &Codebook, registry: Option<&Registry>, a: &Annotation) -> Option<(String, bool)> {
    if registry.is_none() || !cb.mentions_entity(&a.label) {
        return None;
    }
    Some(match (entity_of(registry, a), &a.entity) {
        (Some(e), _) => (format!(" = {}", e.name), false),
        (None, Some(id)) => (format!(" = {id} (missing)"), true),
        (None, None) => (" · unlinked".to_string(), true),
    })
}

/// The details of a source's entity: name, aliases, attribute values, Wikidata.
pub fn detail_lines(app: &App, a: &Annotation, cap: usize) -> Vec<Line<'static>> {
    let cb = &app.codebook;
    let reg = app.registry.as_ref();
    if reg.is_none() || !cb.mentions_entity(&a.label) {
        return vec![];
    }
    let key = |k: &str| Span::styled(format!("{k} "), theme::DIM);
    let Some(e) = entity_of(reg, a) else {
        let why = match &a.entity {
            Some(id) => format!("{} is not in the registry — @ to relink", fit(id.as_str(), cap)),
            None => "none — @ to link".to_string(),
        };
        return vec![Line::from(vec![key("entity"), Span::styled(why, theme::ERROR)])];
    };
    let mut lines = vec![Line::from(vec![
        key("entity"),
        Span::styled(fit(&e.name, cap), Style::new().add_modifier(Modifier::BOLD)),
        Span::styled(format!(" {}", fit(e.id.as_str(), cap)), theme::DIM),
    ])];
    if !e.aliases.is_empty() {
        lines.push(Line::from(vec![key("aliases"), Span::raw(fit(&e.aliases.join(" · "), cap))]));
    }
    for d in cb.entity_attributes() {
        let v = e.attributes.get(&d.id).map_or_else(
            || if d.required { "— required (= to set)".into() } else { "—".into() },
            |v| cb.entity_value_name(&d.id, v),
        );
        lines.push(Line::from(vec![key(&d.name), Span::raw(fit(&v, cap))]));
    }
    if let Some(w) = &e.wikidata {
        lines.push(Line::from(vec![key("wikidata"), Span::raw(fit(w, cap))]));
    }
    lines
}

/// The sidebar's list grouped by entity: a header per entity (name, mentions, claims
/// attributed), its mentions under it; scrolled so the selected mention shows.
pub fn render_grouped(app: &App, frame: &mut Frame, area: Rect) {
    let Some(open) = &app.open else { return };
    let anns = &open.doc.annotations;
    let focused = app.focus == Focus::Sidebar;
    let width = area.width as usize;
    let reg = app.registry.as_ref();
    let mut lines: Vec<Line> = Vec::new();
    let mut at = 0;
    for (entity, members) in groups(app) {
        let name = match &entity {
            Some(id) => reg.and_then(|r| r.resolve(id)).map_or(format!("{id} (missing)"), |e| e.name.clone()),
            None => "unlinked".to_string(),
        };
        let claims = claims_of(app, &members);
        // Short, so the name keeps the room: "Dmitry Peskov 5× · 5 claims".
        let counts = format!(" {}× · {claims} claim{}", members.len(), plural(claims));
        let style = if entity.is_some() { Style::new().add_modifier(Modifier::BOLD) } else { theme::ERROR };
        lines.push(Line::from(vec![
            Span::styled(fit(&name, width.saturating_sub(width_of(&counts)).max(4)), style),
            Span::styled(counts, theme::DIM),
        ]));
        for i in members {
            if i == app.sidebar.selected {
                at = lines.len();
            }
            let mut line = Line::raw(format!("  “{}”", excerpt(&anns[i].full_quote(), width.saturating_sub(4))));
            if i == app.sidebar.selected {
                line = line.style(theme::selected_row(focused));
            }
            lines.push(line);
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled("no sources in this article", theme::DIM));
    }
    // The same first line a click maps through (`grouped_lines`).
    let (_, top) = crate::app::mentions::grouped_lines(app, area.height as usize);
    debug_assert!(lines.len() <= 1 || top <= at);
    frame.render_widget(Paragraph::new(lines).scroll((top as u16, 0)), area);
}

fn width_of(s: &str) -> usize {
    width(s)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
