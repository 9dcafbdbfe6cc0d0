//! Where each pane sits for a terminal size.
//!
//! One pure function used by both `update` (mouse hits, wrap width, page size) and the views,
//! so a click always lands where the frame drew, and render never has to report geometry
//! back by mutating state. Narrow terminals show only the focused pane.

use super::Focus;
use ratatui::layout::{Constraint, Layout, Margin, Rect};

/// Below this width the three panes would be unreadable; one pane is shown at a time.
pub const THREE_PANE_MIN_WIDTH: u16 = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    pub list: Option<Rect>,
    pub reader: Option<Rect>,
    pub sidebar: Option<Rect>,
    pub status: Rect,
}

/// `zoom`: only the reading pane (and the status bar), whatever the width.
pub fn panes(area: Rect, focus: Focus, zoom: bool) -> Panes {
    let [main, status] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if zoom {
        return Panes { reader: Some(main), status, ..Panes::default() };
    }
    if area.width < THREE_PANE_MIN_WIDTH {
        let mut p = Panes { status, ..Panes::default() };
        match focus {
            Focus::List => p.list = Some(main),
            Focus::Reader => p.reader = Some(main),
            Focus::Sidebar => p.sidebar = Some(main),
        }
        return p;
    }
    let list_w = (area.width / 4).clamp(22, 40);
    let side_w = (area.width * 3 / 10).clamp(26, 50);
    let [list, reader, sidebar] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(20), Constraint::Length(side_w)]).areas(main);
    Panes { list: Some(list), reader: Some(reader), sidebar: Some(sidebar), status }
}

/// The text area inside the reading pane's border, leaving the right column for the scrollbar.
pub fn reader_text(reader: Rect) -> Rect {
    let inner = reader.inner(Margin::new(1, 1));
    Rect { x: inner.x + 1, width: inner.width.saturating_sub(2), ..inner }
}

/// The inside of a bordered pane.
pub fn inner(r: Rect) -> Rect {
    r.inner(Margin::new(1, 1))
}

/// The sidebar's annotation list and details areas (inside its border).
pub fn sidebar_parts(sidebar: Rect) -> (Rect, Rect) {
    let inside = inner(sidebar);
    let list_h = (inside.height / 2).max(inside.height.saturating_sub(12));
    let [list, details] = Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).areas(inside);
    (list, details)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_terminals_get_three_panes_and_narrow_ones_the_focused_pane() {
        let p = panes(Rect::new(0, 0, 120, 40), Focus::List, false);
        assert!(p.list.is_some() && p.reader.is_some() && p.sidebar.is_some());
        assert_eq!(p.status, Rect::new(0, 39, 120, 1));
        let p = panes(Rect::new(0, 0, 50, 10), Focus::Sidebar, false);
        assert_eq!((p.list, p.reader), (None, None));
        assert_eq!(p.sidebar, Some(Rect::new(0, 0, 50, 9)));
    }

    #[test]
    fn a_one_by_one_terminal_has_empty_but_valid_areas() {
        let p = panes(Rect::new(0, 0, 1, 1), Focus::Reader, false);
        let r = reader_text(p.reader.unwrap());
        assert_eq!((r.width, r.height), (0, 0));
        let (l, d) = sidebar_parts(Rect::new(0, 0, 1, 1));
        assert_eq!((l.height, d.height), (0, 0));
    }
}
