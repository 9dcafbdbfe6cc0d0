//! Pure views: `render(&App, &mut Frame)` draws the state and changes nothing.
//!
//! Geometry comes from `app::layout::panes`, the same function `update` uses for mouse hits,
//! so what is drawn and what is clicked always agree.

mod attention;
mod overlay;
pub mod panes;
mod reader;
pub mod theme;

use crate::app::{App, layout};
use ratatui::Frame;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let p = layout::panes(area, app.focus, app.zoom);
    if let Some(r) = p.list {
        panes::render_list(app, frame, r);
    }
    if let Some(r) = p.reader {
        reader::render(app, frame, r);
    }
    if let Some(r) = p.sidebar {
        panes::render_sidebar(app, frame, r);
    }
    overlay::render_status(app, frame, p.status);
    overlay::render(app, frame, area);
    attention::render(app, frame, area);
}
