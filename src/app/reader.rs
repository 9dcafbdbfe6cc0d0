//! The reading pane's behaviour: motions, selection, search, scrolling and the mouse.
//!
//! Every motion is a local scan of the text (see `model::motion`) or a binary search over the
//! wrapped rows, so a keystroke's cost does not grow with the article. Rows are wrapped lazily
//! (see `crate::wrap`): every change of cursor or scroll ends in `Wrapped::settle`, which wraps
//! the text within two screens of the cursor, so the row arithmetic here is always exact.

use super::action::{FindKind, Motion, TextObject};
use super::{Action, App, Effect, Focus, Overlay, PromptKind, Step};
use crate::model::annotation::Annotation;
use crate::model::codebook::Codebook;
use crate::model::motion as mv;
use crate::model::quote;
use crate::model::units::ByteRange;

/// The reading pane (and a selection in it): motions, selection, search, then the
/// annotation commands; anything else is passed on.
pub(super) fn update(app: &mut App, action: Action) -> Step {
    match action {
        Action::Move(m) if app.open.is_some() => match target(app, m) {
            Ok((pos, want_col)) => {
                set_cursor(app, pos, want_col.is_some());
                app.reader.want_col = want_col;
                if matches!(m, Motion::PageDown | Motion::PageUp) {
                    center_page(app, m == Motion::PageDown);
                }
            }
            Err(msg) => app.info(msg),
        },
        Action::ScrollDown | Action::ScrollUp => scroll(app, if action == Action::ScrollDown { 1 } else { -1 }),
        Action::StartSelection if app.open.is_some() => {
            app.reader.anchor = Some(app.reader.cursor);
            app.focus = Focus::Reader;
        }
        Action::Select(obj) => select_object(app, obj),
        Action::SearchNext | Action::SearchPrev => search(app, action == Action::SearchNext),
        // Starts empty as in vim; an empty Enter repeats the last search.
        Action::StartSearch if app.open.is_some() => {
            app.overlay = Overlay::Prompt { kind: PromptKind::Search, text: String::new(), cursor: 0 }
        }
        Action::Cancel if app.reader.anchor.is_some() => app.reader.anchor = None,
        Action::Cancel if app.reader.retarget.is_some() => {
            app.reader.retarget = None;
            app.info("re-target cancelled");
        }
        Action::FindChar(kind) if app.open.is_some() => app.reader.awaiting_find = Some(kind),
        Action::RepeatFind | Action::RepeatFindBack => match app.reader.last_find {
            Some((c, kind)) => {
                let kind = if action == Action::RepeatFind { kind } else { reversed(kind) };
                let t = text(app);
                match mv::repeat_find(t, app.reader.cursor, c, to_find(kind)) {
                    Some(p) => set_cursor(app, p, false),
                    None => app.info(format!("no “{c}” further on this line")),
                }
            }
            None => app.info("no f / t / F / T yet"),
        },
        Action::SwapSelectionEnds => {
            if let Some(a) = app.reader.anchor {
                app.reader.anchor = Some(app.reader.cursor);
                set_cursor(app, a, false);
            }
        }
        Action::NextAnnotation | Action::PrevAnnotation => {
            jump_to(app, action == Action::NextAnnotation, "annotation", |_, _| true)
        }
        Action::NextUnsourced | Action::PrevUnsourced => {
            jump_to(app, action == Action::NextUnsourced, "annotation missing a link", super::unlinked)
        }
        Action::NextUntagged | Action::PrevUntagged => untagged_quote(app, action == Action::NextUntagged),
        Action::CopyQuote => return Ok(copy_quote(app)),
        Action::CopyId => return Ok(copy_id(app)),
        other => return super::edit::update(app, other),
    }
    Ok(Vec::new())
}

/// Moves to the next (or previous) shown annotation that `keep` accepts, from the cursor.
/// Annotations are sorted by start, so this is a binary search and a short walk.
fn jump_to(app: &mut App, forward: bool, what: &str, keep: impl Fn(&Codebook, &Annotation) -> bool) {
    let Some(o) = app.open.as_ref() else { return };
    let (anns, spans) = (&o.doc.annotations, &o.doc.spans);
    let cur = app.reader.cursor;
    let found = if forward {
        let from = spans.partition_point(|s| s.is_none_or(|s| s.start <= cur));
        (from..anns.len()).find(|&i| spans[i].is_some_and(|s| s.start > cur) && keep(&app.codebook, &anns[i]))
    } else {
        (0..anns.len()).rev().find(|&i| spans[i].is_some_and(|s| s.start < cur) && keep(&app.codebook, &anns[i]))
    };
    match found.and_then(|i| spans[i].map(|s| (i, s))) {
        Some((i, s)) => {
            set_cursor(app, s.start, false);
            app.sidebar.selected = i;
        }
        None => app.info(format!("no {what} {} the cursor", if forward { "after" } else { "before" })),
    }
}

/// Moves to the next (or previous) quotation whose inside no claim covers yet: what is still
/// to code. Looks at most at a few hundred quotations from the cursor.
fn untagged_quote(app: &mut App, forward: bool) {
    let Some(o) = app.open.as_ref() else { return };
    let t = o.doc.article.text.as_str();
    // Any piece counts: the second half of a quote interrupted by "he said" is coded too.
    let covered = |r: ByteRange| {
        o.doc.annotations.iter().enumerate().any(|(i, a)| {
            app.codebook.is_content(&a.label) && o.doc.pieces(i).any(|s| s.start < r.end && r.start < s.end)
        })
    };
    let mut pos = app.reader.cursor;
    for _ in 0..500 {
        let next = if forward { quote::next_quotation(t, pos) } else { quote::prev_quotation(t, pos) };
        let Some(p) = next else { break };
        if p == pos {
            break;
        }
        pos = p;
        if let Some(q) = quote::quotation_at(t, p).filter(|q| !q.inner.is_empty())
            && !covered(q.inner)
        {
            set_cursor(app, p, false);
            return;
        }
    }
    app.info(format!("no untagged quotation {} the cursor", if forward { "after" } else { "before" }));
}

/// The selection, or the quote of the annotation under the cursor, to the clipboard.
fn copy_quote(app: &mut App) -> Vec<Effect> {
    let Some(o) = app.open.as_ref() else { return vec![] };
    let t = &o.doc.article.text;
    let text = match selection(app) {
        Some(sel) => t[sel.as_range()].to_owned(),
        None => match o.doc.annotation_at(app.reader.cursor) {
            Some(i) => o.doc.annotations[i].quote.clone(),
            None => return nothing_to_copy(app),
        },
    };
    app.reader.anchor = None;
    app.info(format!("copied “{}” to the clipboard", crate::model::annotation::excerpt(&text, 40)));
    vec![Effect::Copy(text)]
}

fn copy_id(app: &mut App) -> Vec<Effect> {
    let Some(o) = app.open.as_ref() else { return vec![] };
    let i = match app.focus {
        Focus::Sidebar => Some(app.sidebar.selected).filter(|&i| i < o.doc.annotations.len()),
        _ => o.doc.annotation_at(app.reader.cursor),
    };
    let Some(i) = i else { return nothing_to_copy(app) };
    let id = o.doc.annotations[i].id.to_string();
    app.info(format!("copied id {id} to the clipboard"));
    vec![Effect::Copy(id)]
}

fn nothing_to_copy(app: &mut App) -> Vec<Effect> {
    app.info("nothing to copy here: select text (v …) or put the cursor on an annotation");
    vec![]
}

/// The sidebar's own actions, then the annotation commands; anything else is passed on.
pub(super) fn sidebar(app: &mut App, action: Action) -> Step {
    match action {
        // Grouped rows are not in annotation order: they move by their own order.
        Action::SidebarDown | Action::SidebarUp if app.sidebar.filter == super::SidebarFilter::ByEntity => {
            super::mentions::grouped_move(app, action == Action::SidebarDown)
        }
        Action::GroupByEntity => super::mentions::toggle_groups(app),
        Action::SidebarDown | Action::SidebarUp => {
            let rows = app.sidebar_rows();
            let at = rows.partition_point(|&i| i < app.sidebar.selected);
            let k = if action == Action::SidebarDown {
                // On a row: the next one; between rows (the selection is filtered out): this one.
                let on = rows.get(at) == Some(&app.sidebar.selected);
                (at + usize::from(on)).min(rows.len().saturating_sub(1))
            } else {
                at.saturating_sub(1)
            };
            if let Some(&i) = rows.get(k) {
                app.sidebar.selected = i;
                preview(app, i);
            }
        }
        Action::CycleSidebarFilter => {
            app.sidebar.filter = app.sidebar.filter.next(&app.codebook);
            app.sidebar.offset = 0;
            let rows = app.sidebar_rows();
            let f = app.sidebar.filter.name(&app.codebook);
            match rows.first() {
                Some(&first) if !rows.contains(&app.sidebar.selected) => {
                    app.sidebar.selected = first;
                    preview(app, first);
                }
                None => {
                    return Ok({
                        app.info(format!("sidebar: {f} — none in this article"));
                        vec![]
                    });
                }
                _ => {}
            }
            app.info(format!("sidebar: {f} ({})", rows.len()));
        }
        Action::CopyId => return Ok(copy_id(app)),
        Action::JumpToAnnotation => {
            let span = app.open.as_ref().and_then(|o| o.doc.spans.get(app.sidebar.selected).copied().flatten());
            match span {
                Some(s) => {
                    app.focus = Focus::Reader;
                    app.reader.anchor = None;
                    set_cursor(app, s.start, false);
                }
                None if app.open.as_ref().is_some_and(|o| o.doc.annotations.is_empty()) => {
                    let hint = super::help::empty_sidebar_hint(app);
                    app.info(hint)
                }
                None => app.error("this annotation does not match the text, so it cannot be shown"),
            }
        }
        other => return super::edit::update(app, other),
    }
    Ok(Vec::new())
}

fn text(app: &App) -> &str {
    app.open.as_ref().map_or("", |o| o.doc.article.text.as_str())
}

fn to_find(k: FindKind) -> mv::Find {
    match k {
        FindKind::Forward => mv::Find::Forward,
        FindKind::Till => mv::Find::Till,
        FindKind::Backward => mv::Find::Backward,
        FindKind::TillBackward => mv::Find::TillBackward,
    }
}

fn reversed(k: FindKind) -> FindKind {
    match k {
        FindKind::Forward => FindKind::Backward,
        FindKind::Backward => FindKind::Forward,
        FindKind::Till => FindKind::TillBackward,
        FindKind::TillBackward => FindKind::Till,
    }
}

/// The character typed after `f`/`t`/`F`/`T`: move to it on the line.
pub(super) fn find_char(app: &mut App, c: char) {
    let Some(kind) = app.reader.awaiting_find.take() else { return };
    app.reader.last_find = Some((c, kind));
    let times = app.reader.count.take().unwrap_or(1);
    for k in 0..times {
        let t = text(app);
        // The first find may stay put (`t` just before its target); repeats move on, as `;`.
        let found = if k == 0 {
            mv::find_char(t, app.reader.cursor, c, to_find(kind))
        } else {
            mv::repeat_find(t, app.reader.cursor, c, to_find(kind))
        };
        match found {
            Some(p) => set_cursor(app, p, false),
            None => return app.info(format!("no “{c}” further on this line")),
        }
    }
}

/// Shows annotation `i` in the text without leaving the sidebar: moving there previews it.
pub(super) fn preview(app: &mut App, i: usize) {
    let Some(s) = app.open.as_ref().and_then(|o| o.doc.spans.get(i).copied().flatten()) else { return };
    let keep = app.sidebar.selected;
    set_cursor(app, s.start, false);
    // The cursor may sit in a nested annotation: the sidebar stays where the person is.
    app.sidebar.selected = keep;
}

/// Moves the cursor; the sidebar follows to the annotation under it.
pub(super) fn set_cursor(app: &mut App, pos: usize, keep_col: bool) {
    let Some(o) = app.open.as_ref() else { return };
    let pos = mv::clamp(&o.doc.article.text, pos);
    app.reader.cursor = pos;
    if !keep_col {
        app.reader.want_col = None;
    }
    if let Some(i) = o.doc.annotation_at(pos) {
        app.sidebar.selected = i;
    }
    keep_cursor_visible(app);
}

/// Scrolls just enough that the cursor row is on screen, with a small margin. Wraps the
/// text around the cursor first (see `Wrapped::settle`), so the rows used here are exact.
pub(super) fn keep_cursor_visible(app: &mut App) {
    let h = app.reader_height();
    let Some(o) = app.open.as_mut() else { return };
    o.wrap.settle(&o.doc.article.text, app.reader.cursor, &mut app.reader.scroll, h);
    let row = o.wrap.row_of(app.reader.cursor);
    let margin = 2.min(h.saturating_sub(1) / 2);
    let s = &mut app.reader.scroll;
    if row < *s + margin {
        *s = row.saturating_sub(margin);
    } else if row + margin >= *s + h {
        *s = row + margin + 1 - h;
    }
    *s = (*s).min(o.wrap.len() - 1);
}

pub(super) fn scroll(app: &mut App, by: isize) {
    let h = app.reader_height();
    let Some(o) = app.open.as_mut() else { return };
    o.wrap.settle(&o.doc.article.text, app.reader.cursor, &mut app.reader.scroll, h);
    let max = o.wrap.len().saturating_sub(h);
    app.reader.scroll = app.reader.scroll.saturating_add_signed(by).min(max);
    // Keep the cursor inside the view, as less and vim do.
    let row = o.wrap.row_of(app.reader.cursor);
    let (top, bottom) = (app.reader.scroll, app.reader.scroll + h - 1);
    let target = row.clamp(top, bottom.max(top));
    if target != row {
        let col = app.reader.want_col.unwrap_or_else(|| o.wrap.col_of(&o.doc.article.text, app.reader.cursor));
        let r = content_row(o, target, by > 0);
        app.reader.cursor = o.wrap.pos_at(&o.doc.article.text, r, col);
        o.wrap.settle(&o.doc.article.text, app.reader.cursor, &mut app.reader.scroll, h);
    }
}

/// After a page motion, put the cursor row a page away in the view too.
fn center_page(app: &mut App, down: bool) {
    let h = app.reader_height();
    let Some(o) = app.open.as_ref() else { return };
    let row = o.wrap.row_of(app.reader.cursor);
    let max = o.wrap.len().saturating_sub(h);
    app.reader.scroll = if down { row.saturating_sub(2).min(max) } else { row.saturating_sub(h.saturating_sub(3)) };
}

/// The nearest non-spacer row at or beyond `row` in the direction of travel.
pub(super) fn content_row(o: &super::OpenArticle, row: usize, forward: bool) -> usize {
    let (wrap, text) = (&o.wrap, o.doc.article.text.as_str());
    let mut r = row.min(wrap.len() - 1);
    while wrap.row(text, r).spacer {
        match forward {
            true if r + 1 < wrap.len() => r += 1,
            _ if r > 0 => r -= 1,
            _ => break,
        }
    }
    r
}

/// Where a motion takes the cursor, and the column vertical motions keep.
fn target(app: &App, m: Motion) -> Result<(usize, Option<usize>), &'static str> {
    let page = app.reader_height().saturating_sub(2).max(1) as isize;
    let o = app.open.as_ref().ok_or("no article open")?;
    let t = o.doc.article.text.as_str();
    let pos = app.reader.cursor;
    let wrap = &o.wrap;
    let vertical = |rows: isize| {
        let col = app.reader.want_col.unwrap_or_else(|| wrap.col_of(t, pos));
        let row = wrap.row_of(pos).saturating_add_signed(rows).min(wrap.len() - 1);
        Ok((wrap.pos_at(t, content_row(o, row, rows > 0), col), Some(col)))
    };
    let to = match m {
        Motion::Down => return vertical(1),
        Motion::Up => return vertical(-1),
        Motion::PageDown => return vertical(page),
        Motion::PageUp => return vertical(-page),
        Motion::Left => mv::left(t, pos),
        Motion::Right => mv::right(t, pos),
        Motion::WordForward => mv::word_forward(t, pos),
        Motion::WordBack => mv::word_back(t, pos),
        Motion::WordEnd => mv::word_end(t, pos),
        // Selecting forward, `)` takes the sentence up to its end, not the next one's first
        // letter (the selection includes the grapheme under the cursor).
        Motion::SentenceForward if app.reader.anchor.is_some_and(|a| a <= pos) => mv::sentence_end(t, pos),
        Motion::SentenceForward => mv::sentence_forward(t, pos),
        Motion::SentenceBack => mv::sentence_back(t, pos),
        Motion::ParagraphForward => {
            let p = &o.doc.article.paragraphs;
            let next = p.partition_point(|r| r.start <= pos);
            p.get(next).map_or(mv::last_pos(t), |r| r.start)
        }
        Motion::ParagraphBack => {
            let p = &o.doc.article.paragraphs;
            let before = p.partition_point(|r| r.start < pos);
            before.checked_sub(1).map_or(0, |i| p[i].start)
        }
        Motion::LineStart => wrap.row_showing(t, pos).range.start,
        Motion::LineEnd => {
            let r = wrap.row_showing(t, pos).range;
            let end = r.start + t[r.as_range()].trim_end().len();
            mv::prev_grapheme(t, end).max(r.start)
        }
        Motion::Top => 0,
        Motion::Bottom => mv::last_pos(t),
        Motion::NextQuote => quote::next_quotation(t, pos).ok_or("no quotation after the cursor")?,
        Motion::PrevQuote => quote::prev_quotation(t, pos).ok_or("no quotation before the cursor")?,
    };
    Ok((to, None))
}

/// The selection as a byte range: inclusive of the grapheme under the cursor, like vim.
pub(super) fn selection(app: &App) -> Option<ByteRange> {
    let anchor = app.reader.anchor?;
    let t = text(app);
    let (a, b) = (anchor.min(app.reader.cursor), anchor.max(app.reader.cursor));
    Some(ByteRange::new(a, mv::next_grapheme(t, b)))
}

fn select_object(app: &mut App, obj: TextObject) {
    let t = text(app);
    let pos = app.reader.cursor;
    let range = match obj {
        TextObject::Sentence => {
            let (s, e) = mv::sentence_at(t, pos);
            (s < e).then(|| ByteRange::new(s, e))
        }
        TextObject::InnerQuote => quote::quotation_at(t, pos).map(|q| q.inner),
        TextObject::AroundQuote => quote::quotation_at(t, pos).map(|q| q.outer),
        TextObject::InnerWord => mv::inner_word(t, pos),
        TextObject::AroundWord => mv::around_word(t, pos),
        TextObject::InnerParagraph => app.open.as_ref().and_then(|o| o.doc.article.inner_paragraph(pos)),
        TextObject::AroundParagraph => app.open.as_ref().and_then(|o| o.doc.article.around_paragraph(pos)),
    };
    match range.filter(|r| !r.is_empty()) {
        Some(r) => {
            let last = mv::prev_grapheme(t, r.end);
            app.reader.anchor = Some(r.start);
            set_cursor(app, last, false);
        }
        None => app.info(match obj {
            TextObject::Sentence => "no sentence here",
            TextObject::InnerWord | TextObject::AroundWord => "no word here",
            TextObject::InnerParagraph | TextObject::AroundParagraph => "no paragraph here",
            _ => "no quotation around the cursor on this line",
        }),
    }
}

fn search(app: &mut App, forward: bool) {
    let Some(s) = app.search.clone() else {
        return app.info("no search yet: press / to search");
    };
    let t = text(app);
    let found = if forward { s.next(t, app.reader.cursor) } else { s.prev(t, app.reader.cursor) };
    match found {
        Some((r, wrapped)) => {
            // Selecting forward, a search takes the selection to the end of the match.
            let to = match app.reader.anchor {
                Some(a) if forward && a <= r.start && !r.is_empty() => mv::prev_grapheme(t, r.end),
                _ => r.start,
            };
            set_cursor(app, to, false);
            let msg = if wrapped { format!("/{}: search wrapped around", s.query) } else { format!("/{}", s.query) };
            app.info(msg);
        }
        None => app.error(format!("not found: {}", s.query)),
    }
}
