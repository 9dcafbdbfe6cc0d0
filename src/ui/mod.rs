//! Pure views: `render(&App, &mut Frame)` draws the state and changes nothing.
//!
//! Geometry comes from `app::layout::panes`, the same function `update` uses for mouse hits,
//! so what is drawn and what is clicked always agree. Whether colours are used is read from
//! `NO_COLOR` once per process ([`render`]) or given ([`render_in`], for tests).

mod adjudicate;
mod attention;
mod coders;
pub mod entity_view;
mod mentions;
mod overlay;
pub mod panes;
mod reader;
mod review;
pub mod stats_view;
pub mod theme;

use crate::app::{App, layout};
use ratatui::Frame;

/// Draws the app, in colour unless `NO_COLOR` is set (see `theme`).
pub fn render(app: &App, frame: &mut Frame) {
    static COLOUR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let colour = *COLOUR.get_or_init(|| {
        // We honour NO_COLOR ourselves, by drawing no colour at all. crossterm's own handling
        // writes every colour change as an empty SGR (`ESC[;m`), which terminals take as a
        // full reset: off, the only colour ever written is the reset at a frame's end.
        ratatui::crossterm::style::Colored::set_ansi_color_disabled(false);
        theme::colour_from_env()
    });
    render_in(app, frame, colour);
}

/// Draws the app with or without colour.
pub fn render_in(app: &App, frame: &mut Frame, colour: bool) {
    let area = frame.area();
    let p = layout::panes(area, app.focus, app.zoom);
    if let Some(r) = p.list {
        panes::render_list(app, frame, r);
    }
    if let Some(r) = p.reader {
        reader::render(app, frame, r, colour);
        adjudicate::render_reader(app, frame, r);
    }
    match p.sidebar {
        Some(r) if app.adjudication.is_some() => adjudicate::render_sidebar(app, frame, r),
        Some(r) if crate::app::review::on(app) => review::render(app, frame, r),
        Some(r) => panes::render_sidebar(app, frame, r),
        None => {}
    }
    if app.entity_view.shown {
        entity_view::render(app, frame, area);
    }
    if app.stats_view.shown {
        stats_view::render(app, frame, area);
    }
    overlay::render_status(app, frame, p.status);
    overlay::render(app, frame, area, colour);
    entity_view::render_menu(app, frame, area);
    attention::render(app, frame, area);
    if !colour {
        theme::strip_colours(frame.buffer_mut());
    }
}
