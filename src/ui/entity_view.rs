//! The entities view, drawn over the panes: one row per entity (counts and attribute values),
//! the expanded entity's mentions under it, and the view's one-key menus.
//!
//! Only the rows on screen are drawn; every text from outside (names, quotes, article ids)
//! goes through `panes::fit`, which sanitises and cuts by display width.

use super::panes::{excerpt, fit};
use super::theme;
use crate::app::entity_view::{Menu, Row, list_height};
use crate::app::keymap::Mode;
use crate::app::{Action, App, Overlay};
use crate::model::display::width;
use crate::model::entities::Entity;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// `s` cut to `w` columns and padded to exactly `w`.
fn pad(s: &str, w: usize) -> String {
    let s = fit(s, w);
    let n = width(&s);
    format!("{s}{}", " ".repeat(w.saturating_sub(n)))
}

/// The entity's attribute values by the codebook's names, in codebook order.
fn attributes(app: &App, e: &Entity) -> String {
    app.codebook
        .entity_attributes()
        .iter()
        .filter_map(|a| e.attributes.get(&a.id).map(|v| app.codebook.entity_value_name(&a.id, v)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The first key bound to `action` in the view, for the hint line.
fn key(app: &App, action: &Action) -> String {
    let keys = app.keymap.keys_for(Mode::Entities, action);
    // A letter is what people type; named keys are alternatives.
    keys.iter().min_by_key(|k| k.chars().count()).cloned().unwrap_or_else(|| "?".into())
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let v = &app.entity_view;
    let Some(registry) = app.registry.as_ref() else { return };
    let [main, _] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Min(0),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(area);
    let Some(inner) = super::panes::full_panel(frame, main, " Entities ") else { return };
    let w = inner.width as usize;
    let live = registry.live().count();
    let shown = v.rows.iter().filter(|r| matches!(r, Row::Entity(_))).count();
    let mut head = format!("{shown} of {live} entities");
    if !v.query.is_empty() {
        head.push_str(&format!(" · matching “{}”", v.query));
    }
    if let Some((attr, value)) = &v.only {
        let name = app.codebook.entity_attribute(attr).map_or(attr.as_str(), |a| a.name.as_str());
        let val = app.codebook.entity_value_name(attr, &crate::model::annotation::AttrValue::One(value.clone()));
        head.push_str(&format!(" · {name}: {val}"));
    }
    match &v.index {
        None if app.busy.is_none() && !v.waiting => {
            let again = key(app, &Action::EntityRefresh);
            head.push_str(&format!(" · not read (stopped): {again} reads every annotation file"))
        }
        None => head.push_str(" · reading the annotation files…"),
        Some(i) if !i.unlinked.is_empty() => {
            head.push_str(&format!(" · {} source mention(s) linked to no entity", i.unlinked.len()))
        }
        Some(_) => {}
    }
    if let Some(m) = &v.marked {
        let name = registry.get(m).map_or(m.as_str(), |e| e.name.as_str());
        head.push_str(&format!(" · marked: {name}"));
    }
    if v.splitting {
        head.push_str(&format!(" · splitting: {} chosen", v.chosen.len()));
    }
    // Columns: marks (2), name, three counts, attribute values.
    let counts_w = 9 * 3;
    let name_w = (w.saturating_sub(2 + counts_w) * 3 / 5).max(8);
    let attr_w = w.saturating_sub(2 + name_w + counts_w + 2);
    let header = format!(
        "  {}{:>9}{:>9}{:>9}  {}",
        pad("name", name_w),
        "mentions",
        "claims",
        "articles",
        fit("attributes", attr_w)
    );
    let mut lines = vec![Line::raw(fit(&head, w)), Line::styled(fit(&header, w), theme::DIM)];
    let h = list_height(app).min(inner.height.saturating_sub(3) as usize);
    for (k, row) in v.rows.iter().enumerate().skip(v.offset).take(h) {
        let selected = k == v.selected;
        let text = match row {
            Row::Entity(id) => {
                let (mentions, claims, articles) =
                    v.usage.get(id).map_or((0, 0, 0), |u| (u.mentions.len(), u.claims.len(), u.articles.len()));
                let e = registry.get(id);
                let mark = if v.marked.as_ref() == Some(id) { '●' } else { ' ' };
                let fold = if v.expanded.as_ref() == Some(id) { '▾' } else { '▸' };
                let name = e.map_or(id.as_str(), |e| e.name.as_str());
                let attrs = e.map_or(String::new(), |e| attributes(app, e));
                format!(
                    "{mark}{fold}{}{mentions:>9}{claims:>9}{articles:>9}  {}",
                    pad(name, name_w),
                    fit(&attrs, attr_w)
                )
            }
            Row::Mention(i) => match v.index.as_ref().and_then(|x| x.mentions.get(*i)) {
                Some(m) => {
                    let choose = match (v.splitting, v.chosen.contains(i)) {
                        (false, _) => "    ",
                        (true, true) => "  ☒ ",
                        (true, false) => "  ☐ ",
                    };
                    let said: Vec<String> = m
                        .claims
                        .iter()
                        .filter_map(|c| v.claims.get(&(m.article.clone(), c.clone())))
                        .map(|q| format!("“{}”", excerpt(q, 40)))
                        .collect();
                    let claims = match m.claims.len() {
                        0 => "no claim".to_owned(),
                        n => format!("{n} claim(s): {}", said.join(" · ")),
                    };
                    format!("{choose}{}  “{}”  {claims}", fit(&m.article, 32), excerpt(&m.quote, 40))
                }
                None => "    ?".into(),
            },
        };
        let style = if selected { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
        let style = if matches!(row, Row::Mention(_)) && !selected { style.patch(theme::DIM) } else { style };
        lines.push(Line::styled(pad(&text, w), style));
    }
    if v.rows.is_empty() {
        let why = if v.index.is_none() {
            "no counts yet (see above)"
        } else if live == 0 {
            "no entities yet: tag a source and link it to one"
        } else {
            "no entity matches (Esc shows all)"
        };
        lines.push(Line::styled(fit(why, w), theme::DIM));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let hint = [
        (Action::EntityExpand, "mentions"),
        (Action::EntityFilter, "filter"),
        (Action::EntityFilterAttribute, "by value"),
        (Action::EntityRename, "rename"),
        (Action::EntityAlias, "alias"),
        (Action::EntityMark, "mark"),
        (Action::EntityMerge, "merge into"),
        (Action::EntitySplit, "split"),
        (Action::OpenAttributes, "set"),
        (Action::Undo, "undo"),
        (Action::CloseEntities, "close"),
    ]
    .iter()
    .map(|(a, what)| format!("{} {what}", key(app, a)))
    .collect::<Vec<_>>()
    .join(" · ");
    let bottom = Rect { y: inner.y + inner.height - 1, height: 1, ..inner };
    frame.render_widget(Paragraph::new(Line::styled(fit(&hint, w), theme::DIM)), bottom);
}

/// The view's one-key menus, over it.
pub fn render_menu(app: &App, frame: &mut Frame, area: Rect) {
    let Overlay::EntityMenu(menu) = &app.overlay else { return };
    let cb = &app.codebook;
    let name = |id: &crate::model::entities::EntityId| {
        app.registry.as_ref().and_then(|r| r.get(id)).map_or(id.to_string(), |e| e.name.clone())
    };
    let attr_rows = || -> Vec<String> {
        cb.entity_attributes().iter().map(|a| format!("{}  {}", a.key.as_deref().unwrap_or(" "), a.name)).collect()
    };
    let value_rows = |attr: &str| -> Vec<String> {
        cb.entity_attribute(attr)
            .map(|a| a.kind.values().iter().map(|v| format!("{}  {}", v.key, v.name)).collect())
            .unwrap_or_default()
    };
    let attr_name = |attr: &str| cb.entity_attribute(attr).map_or(attr.to_owned(), |a| a.name.clone());
    let (title, rows) = match menu {
        Menu::FilterAttribute => (" only entities whose… ".to_owned(), attr_rows()),
        Menu::FilterValue(a) => (format!(" only entities whose {} is… ", attr_name(a)), value_rows(a)),
        Menu::SetAttribute(id) => (format!(" set an attribute of {} ", name(id)), attr_rows()),
        Menu::SetValue(id, a) => (format!(" {} of {} ", attr_name(a), name(id)), value_rows(a)),
        Menu::ConfirmMerge { from, into } => (
            " merge ".to_owned(),
            vec![
                format!("merge “{}” into “{}”?", name(from), name(into)),
                "every mention of the first then counts for the second".into(),
                String::new(),
                "y  merge (u undoes) · any other key: no".into(),
            ],
        ),
    };
    let inner_w = rows.iter().map(|r| width(r)).chain([width(&title)]).max().unwrap_or(10) + 2;
    let w = (inner_w as u16 + 2).min(area.width);
    let h = (rows.len() as u16 + 2).min(area.height);
    let r = Rect {
        x: area.x + area.width.saturating_sub(w) / 2,
        y: area.y + area.height.saturating_sub(h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, r);
    let lines: Vec<Line> =
        rows.iter().map(|l| Line::from(Span::raw(format!(" {}", fit(l, w.saturating_sub(3) as usize))))).collect();
    let block = Block::bordered().title(fit(&title, w.saturating_sub(2) as usize)).title_bottom(" Esc ");
    frame.render_widget(Paragraph::new(lines).block(block), r);
}
