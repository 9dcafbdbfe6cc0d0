//! The list's progress column and totals, and who is coding: drawn from `app::coders`.
//!
//! Each row gets a compact cell: one character per coder (their initial when they marked the
//! article done, `·` when not; a lone coder without a team gets `✓`), or `3/8` for a team
//! of more than [`MAX_INITIALS`], then `A` (adjudicated), `R` (reviewed) or `r` (a review under
//! way: some annotations have a verdict). The totals go in
//! the list's bottom border, so the list keeps every row. A frame looks up only the rows it
//! draws; the totals were counted when the marks changed.

use crate::app::App;
use crate::model::display::sanitize;
use crate::model::progress::Stage;
use unicode_segmentation::UnicodeSegmentation;

/// Up to this many coders, a row shows one character per coder.
pub const MAX_INITIALS: usize = 6;

/// The progress cell of the article `id` (text and which characters are done marks), or
/// `None` when the list shows no progress (no team and no marks).
pub fn cell(app: &App, entry: &crate::model::corpus::Entry) -> Option<Vec<(String, bool)>> {
    let id = entry.id.as_str();
    let board = &app.coders.board;
    if !board.shown() {
        return None;
    }
    let columns = app.coders.columns();
    let mut out = Vec::new();
    if columns.len() <= MAX_INITIALS {
        for (name, i, _) in &columns {
            let done = board.coders[*i].progress.is(id, Stage::Done);
            let mark = if !board.team {
                "✓".to_string()
            } else {
                sanitize(name).graphemes(true).next().unwrap_or("?").to_string()
            };
            out.push(if done { (mark, true) } else { ("·".into(), false) });
        }
    } else {
        let n = columns.iter().filter(|(_, i, _)| board.coders[*i].progress.is(id, Stage::Done)).count();
        let w = columns.len().to_string().len();
        out.push((format!("{n:>w$}/{}", columns.len()), n > 0));
    }
    let stage = if board.any(id, Stage::Adjudicated) {
        "A"
    } else if board.any(id, Stage::Reviewed) {
        "R"
    } else if entry.counts.reviewed() > 0 {
        // A review under way: some of the coding has a verdict, the article is not marked.
        "r"
    } else {
        " "
    };
    out.push((format!(" {stage}"), stage != " "));
    Some(out)
}

/// The totals for the list's bottom border: "alice 12/40 · bob 7/40 · reviewed 3 ·
/// adjudicated 1", or where that is wider than `room`, "done 12·7/40 R3 A1" (the
/// coders in the rows' order); `None` when the list shows no progress.
pub fn totals(app: &App, room: usize) -> Option<String> {
    if !app.coders.board.shown() {
        return None;
    }
    let total = app.corpus.entries.len();
    let mut parts: Vec<String> =
        app.coders.columns().iter().map(|(name, _, done)| format!("{} {done}/{total}", sanitize(name))).collect();
    if !app.coders.board.team {
        parts = parts.into_iter().map(|p| format!("done: {p}")).collect();
    }
    let (reviewed, adjudicated) = (app.coders.reviewed, app.coders.adjudicated);
    let mut long = parts.clone();
    long.extend((reviewed > 0).then(|| format!("reviewed {reviewed}")));
    long.extend((adjudicated > 0).then(|| format!("adjudicated {adjudicated}")));
    let long = long.join(" · ");
    if crate::model::display::width(&long) <= room {
        return Some(long);
    }
    let done: Vec<String> = app.coders.columns().iter().map(|(_, _, done)| done.to_string()).collect();
    let mut short = vec![format!("done {}/{total}", done.join("·"))];
    short.extend((reviewed > 0).then(|| format!("R{reviewed}")));
    short.extend((adjudicated > 0).then(|| format!("A{adjudicated}")));
    Some(short.join(" "))
}

/// "coding as NAME" (and whether the open article is done) for the status bar, with `--coder`.
pub fn coding_as(app: &App) -> Option<String> {
    let name = app.coders.coder.as_deref()?;
    let done = app.open.as_ref().is_some_and(|o| app.coders.mine_done(&o.doc.article.id));
    Some(format!("coding as {}{}  ", sanitize(name), if done { " · done" } else { "" }))
}
