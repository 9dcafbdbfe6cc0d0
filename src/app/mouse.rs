//! The mouse: a click focuses a pane and selects or places the cursor, a drag in the reader
//! selects, the wheel scrolls whatever is under it. Cells map to panes through the same
//! `layout::panes` the views draw with.

use super::reader::{content_row, scroll, set_cursor};
use super::{App, Focus, layout};

/// Text position under a screen cell of the reading pane, if the cell shows text.
fn pos_at_cell(app: &App, col: u16, row: u16) -> Option<usize> {
    let pane = layout::reader_text(app.panes().reader?);
    let o = app.open.as_ref()?;
    if row < pane.y || row >= pane.y + pane.height || col < pane.x.saturating_sub(1) {
        return None;
    }
    let r = content_row(o, app.reader.scroll + (row - pane.y) as usize, false);
    Some(o.wrap.pos_at(&o.doc.article.text, r, col.saturating_sub(pane.x) as usize))
}

fn hit(r: Option<ratatui::layout::Rect>, col: u16, row: u16) -> Option<ratatui::layout::Rect> {
    r.filter(|r| r.contains(ratatui::layout::Position::new(col, row)))
}

pub(super) fn click(app: &mut App, col: u16, row: u16) {
    let panes = app.panes();
    if let Some(list) = hit(panes.list, col, row) {
        app.focus = Focus::List;
        let inner = layout::inner(list);
        let i = app.list.offset + row.saturating_sub(inner.y) as usize;
        if row >= inner.y && row < inner.y + inner.height && i < app.list.visible.len() {
            app.list.selected = i;
            app.open_entry(app.list.visible[i]);
        }
    } else if let Some(side) = hit(panes.sidebar, col, row) {
        app.focus = Focus::Sidebar;
        let (list, _) = layout::sidebar_parts(side);
        let line = row.saturating_sub(list.y) as usize;
        // The annotation drawn on that line: rows are filtered or grouped, so a line is not
        // an annotation's index.
        let clicked = if app.sidebar.filter == super::SidebarFilter::ByEntity {
            let (lines, top) = super::mentions::grouped_lines(app, list.height as usize);
            lines.get(top + line).copied().flatten()
        } else {
            let (rows, _) = app.sidebar_page(app.sidebar.offset + line, 1);
            rows.first().copied()
        };
        if row >= list.y
            && row < list.y + list.height
            && let Some(i) = clicked
        {
            app.sidebar.selected = i;
            if let Some(s) = app.open.as_ref().and_then(|o| o.doc.spans[i]) {
                set_cursor(app, s.start, false);
            }
        }
    } else if hit(panes.reader, col, row).is_some() {
        app.focus = Focus::Reader;
        app.reader.anchor = None;
        if let Some(pos) = pos_at_cell(app, col, row) {
            set_cursor(app, pos, false);
            app.reader.drag_origin = Some(pos);
        }
    }
}

pub(super) fn drag(app: &mut App, col: u16, row: u16) {
    let Some(origin) = app.reader.drag_origin else { return };
    if let Some(pos) = pos_at_cell(app, col, row) {
        app.reader.anchor = Some(origin);
        set_cursor(app, pos, false);
    }
}

pub(super) fn wheel(app: &mut App, down: bool, col: u16, row: u16) {
    let panes = app.panes();
    if hit(panes.reader, col, row).is_some() {
        scroll(app, if down { 3 } else { -3 });
    } else if hit(panes.list, col, row).is_some() {
        let n = app.list.visible.len();
        app.list.selected =
            if down { (app.list.selected + 1).min(n.saturating_sub(1)) } else { app.list.selected.saturating_sub(1) };
    } else if hit(panes.sidebar, col, row).is_some() {
        app.sidebar.selected = if down { app.sidebar.selected + 1 } else { app.sidebar.selected.saturating_sub(1) };
    }
}
