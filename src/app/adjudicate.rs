//! The adjudication mode (`newsnote adjudicate`): one article, every coder's annotations
//! beside the gold document, a key to each disagreement and keys to settle it.
//!
//! The corpus is opened with the gold folder as its annotations folder, so the open document
//! is the gold one: edited with the reader's keys and saved through the one save path like
//! any document. The coders' files are only read (when an article opens), never written.
//! The units and their disagreements come from `model::adjudicate`, found again after any
//! update that changed gold (its `Document::version`), so whether a unit is resolved is
//! always what the file says and a cursor move costs no search. Taking a version is one commit (one undo step). Marking the article adjudicated
//! asks the loop to write the gold folder's `progress.ron` at once (`Effect::SaveProgress`,
//! the one save path, as the coder's done marks); its undo steps are tied to the document's
//! history by depth, so `u` undoes marks and edits in the order they were made.

use super::keymap::Mode;
use super::{Action, App, Effect, Focus, Overlay, Step};
use crate::model::adjudicate::{self as adj, Disagreement, Take};
use crate::model::annotation::{Annotation, excerpt, now_rfc3339};
use crate::model::progress::{Mark, Progress, Stage};
use crate::model::save::SaveReport;
use crate::model::store::StoreError;
use std::collections::HashMap;
use std::path::PathBuf;

/// One coder whose folder is compared.
#[derive(Debug, Clone)]
pub struct Coder {
    pub name: String,
    pub dir: PathBuf,
}

/// The letter a coder is shown by: A for the first, B for the second…
pub fn letter(i: usize) -> char {
    (b'A' + (i % 26) as u8) as char
}

/// A mark toggled by `D`: the article's mark before and after, for undo and redo.
#[derive(Debug, Clone)]
struct MarkStep {
    /// The depth of the document's undo (or, once undone, redo) stack when it was made.
    depth: usize,
    /// The depth of the other stack then: a redo step whose undo stack has grown since was
    /// overtaken by a new edit.
    also: usize,
    before: Option<Mark>,
    after: Option<Mark>,
}

#[derive(Debug, Default)]
struct MarkHistory {
    undo: Vec<MarkStep>,
    redo: Vec<MarkStep>,
}

/// The adjudication session.
#[derive(Debug)]
pub struct Adjudication {
    pub coders: Vec<Coder>,
    /// The gold folder (the corpus's annotations folder in this mode).
    pub gold: PathBuf,
    /// The gold folder's progress marks.
    pub progress: Progress,
    /// The corpus entry whose coders' annotations are loaded.
    pub entry: Option<usize>,
    /// Per coder, their annotations of the open article.
    pub versions: Vec<Vec<Annotation>>,
    /// The open article's units, from what gold holds now.
    pub units: Vec<Disagreement>,
    /// The gold document's version the units were found for (`Document::version`).
    units_of: Option<u64>,
    /// The unit shown in the sidebar's details (the one at the cursor, or the last one gone to).
    pub current: Option<usize>,
    marks: HashMap<String, MarkHistory>,
}

impl Adjudication {
    pub fn new(coders: Vec<Coder>, gold: PathBuf, progress: Progress) -> Self {
        Self {
            coders,
            gold,
            progress,
            entry: None,
            versions: Vec::new(),
            units: Vec::new(),
            units_of: None,
            current: None,
            marks: HashMap::new(),
        }
    }

    /// (resolved, all) disagreements of the open article.
    pub fn tally(&self) -> (usize, usize) {
        let d: Vec<&Disagreement> = self.units.iter().filter(|u| !u.is_agreement()).collect();
        (d.iter().filter(|u| u.resolved).count(), d.len())
    }

    /// The annotation of coder `c` with `id`.
    pub fn annotation(&self, c: usize, id: &crate::model::annotation::AnnotationId) -> Option<&Annotation> {
        self.versions.get(c)?.iter().find(|a| &a.id == id)
    }
}

impl App {
    /// The mode laid over the reader's and the sidebar's keys while adjudicating.
    pub fn adjudicating(&self) -> Option<Mode> {
        let on = self.adjudication.is_some()
            && self.overlay == Overlay::None
            && !self.entity_view.shown
            && matches!(self.mode(), Mode::Reader | Mode::Sidebar);
        on.then_some(Mode::Adjudicate)
    }

    /// Starts adjudicating: the corpus must have been opened with the gold folder as its
    /// annotations folder.
    pub fn start_adjudication(&mut self, session: Adjudication) {
        self.adjudication = Some(Box::new(session));
        // The keys of this mode are the reading pane's: start there.
        if self.open.is_some() {
            self.focus = Focus::Reader;
        }
        follow(self);
        if let Some(a) = &self.adjudication {
            let names: Vec<String> =
                a.coders.iter().enumerate().map(|(i, c)| format!("{} {}", letter(i), c.name)).collect();
            let text = format!("adjudicating {} into {} — n: next disagreement", names.join(", "), a.gold.display());
            self.info(text);
        }
    }
}

/// After every update: the coders' annotations of the open article (read when another one
/// opens) and the units, from what gold holds now (found again only when it changed).
pub(super) fn follow(app: &mut App) {
    let Some(mut a) = app.adjudication.take() else { return };
    let open = app.open.as_ref().map(|o| o.entry);
    if a.entry != open {
        a.entry = open;
        a.current = None;
        a.units_of = None;
        a.versions = match &app.open {
            Some(o) => load_versions(app, &a, o.entry),
            None => Vec::new(),
        };
    }
    if let Some(o) = &app.open {
        // Only an edit (or another article) changes the units: a cursor move reuses them.
        if a.units_of != Some(o.doc.version()) {
            let coders: Vec<(&str, &[Annotation])> =
                a.coders.iter().zip(&a.versions).map(|(c, v)| (c.name.as_str(), v.as_slice())).collect();
            let gold: Vec<Annotation> = o.doc.annotations.iter().chain(&o.doc.rejected).cloned().collect();
            a.units = adj::disagreements(&coders, &gold, &app.codebook);
            a.units_of = Some(o.doc.version());
        }
        let ch = o.doc.article.index.char_of(&o.doc.article.text, app.reader.cursor);
        if let Some(i) = unit_at(&a.units, ch) {
            a.current = Some(i);
        }
        a.current = a.current.filter(|&i| i < a.units.len());
    } else {
        a.units.clear();
        a.units_of = None;
    }
    app.adjudication = Some(a);
}

/// Each coder's annotations of corpus entry `i`: their file mirrors the gold one's path.
/// A file that cannot be read is said and counts as empty; one made for another version of
/// the text is re-anchored in memory, as the reader does.
fn load_versions(app: &mut App, a: &Adjudication, i: usize) -> Vec<Vec<Annotation>> {
    let entry = &app.corpus.entries[i];
    let rel = entry
        .ron_path
        .strip_prefix(&a.gold)
        .map(PathBuf::from)
        .unwrap_or_else(|_| entry.ron_path.file_name().map(PathBuf::from).unwrap_or_default());
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for c in &a.coders {
        let path = c.dir.join(&rel);
        match crate::model::store::AnnotationFile::load(&path, &entry.id) {
            Ok(None) => out.push(Vec::new()),
            Ok(Some(f)) => {
                let o = app.open.as_ref().expect("an article is open");
                if f.fingerprint != o.doc.fingerprint {
                    out.push(crate::model::document::reanchored(&o.doc.article, f.annotations).0);
                } else {
                    out.push(f.annotations);
                }
            }
            Err(e) => {
                problems.push(format!("{}: {e}", c.name));
                out.push(Vec::new());
            }
        }
    }
    for p in problems {
        app.error(format!("not compared: {p}"));
    }
    out
}

/// The unit at code point `ch`: a disagreement there first, else an agreement.
fn unit_at(units: &[Disagreement], ch: usize) -> Option<usize> {
    let inside = |u: &Disagreement| u.span.start <= ch && ch < u.span.end.max(u.span.start + 1);
    units.iter().position(|u| inside(u) && !u.is_agreement()).or_else(|| units.iter().position(inside))
}

/// The adjudication keys; anything else goes on to the reader (or the sidebar).
pub(super) fn update(app: &mut App, action: Action) -> Step {
    if app.adjudicating().is_none() {
        return Err(action);
    }
    Ok(match action {
        Action::NextDisagreement => go(app, true),
        Action::PrevDisagreement => go(app, false),
        Action::TakeCoder(n) => match (n as usize).checked_sub(1) {
            Some(c) if c < app.adjudication.as_ref().map_or(0, |a| a.coders.len()) => take_here(app, Take::Coder(c)),
            _ => {
                app.info(format!("there is no coder {n}"));
                vec![]
            }
        },
        Action::TakeAll => take_here(app, Take::All),
        Action::TakeNone => take_here(app, Take::None),
        Action::TakeAgreements => take_agreements(app),
        Action::ToggleAdjudicated => toggle_mark(app),
        Action::Undo => undo_redo(app, true),
        Action::Redo => undo_redo(app, false),
        // In the sidebar, which lists the units, j/k go from unit to unit.
        Action::SidebarDown if app.focus == Focus::Sidebar => step_unit(app, true),
        Action::SidebarUp if app.focus == Focus::Sidebar => step_unit(app, false),
        Action::JumpToAnnotation if app.focus == Focus::Sidebar => {
            app.focus = Focus::Reader;
            vec![]
        }
        other => return Err(other),
    })
}

/// Puts the cursor on unit `i`.
fn show(app: &mut App, i: usize) {
    let Some(a) = app.adjudication.as_mut() else { return };
    a.current = Some(i);
    let start = a.units[i].span.start;
    let Some(o) = app.open.as_ref() else { return };
    let byte = o.doc.article.index.byte_of(&o.doc.article.text, start).unwrap_or(0);
    super::reader::set_cursor(app, byte, false);
}

fn here(app: &App) -> usize {
    app.open.as_ref().map_or(0, |o| o.doc.article.index.char_of(&o.doc.article.text, app.reader.cursor))
}

/// To the next (or previous) unresolved disagreement from the cursor, round the article.
fn go(app: &mut App, forward: bool) -> Vec<Effect> {
    let ch = here(app);
    let Some(a) = app.adjudication.as_ref() else { return vec![] };
    let open: Vec<usize> = (0..a.units.len()).filter(|&i| !a.units[i].is_agreement() && !a.units[i].resolved).collect();
    let (resolved, all) = a.tally();
    if open.is_empty() {
        let text = if all == 0 {
            "the coders agree throughout: = takes it all".to_string()
        } else {
            format!("all {all} disagreements resolved — D marks the article adjudicated")
        };
        app.info(text);
        return vec![];
    }
    let current = a.current;
    let next = if forward {
        open.iter().copied().find(|&i| a.units[i].span.start > ch && Some(i) != current).unwrap_or(open[0])
    } else {
        open.iter().rev().copied().find(|&i| a.units[i].span.start < ch).unwrap_or(*open.last().expect("not empty"))
    };
    show(app, next);
    app.info(format!("{} — {resolved} of {all} resolved", describe(app, next)));
    vec![]
}

/// To the next (or previous) unit of any kind, agreements too.
fn step_unit(app: &mut App, forward: bool) -> Vec<Effect> {
    let Some(a) = app.adjudication.as_ref() else { return vec![] };
    if a.units.is_empty() {
        return vec![];
    }
    let i = match (a.current, forward) {
        (None, _) => 0,
        (Some(i), true) => (i + 1).min(a.units.len() - 1),
        (Some(i), false) => i.saturating_sub(1),
    };
    show(app, i);
    vec![]
}

/// A unit in words: its kind and label, and who marked it.
pub fn describe(app: &App, i: usize) -> String {
    let Some(a) = app.adjudication.as_ref() else { return String::new() };
    let u = &a.units[i];
    let labels: Vec<String> = u.labels.iter().map(|l| app.codebook.label_name(l)).collect();
    let who: String = u.coders().map(letter).collect();
    match u.kind {
        Some(adj::Kind::OnlySome) => format!("only {who}: {}", labels.join("/")),
        Some(k) => format!("{} differs: {}", k.as_str(), labels.join("/")),
        None => format!("agreed: {}", labels.join("/")),
    }
}

fn coders_of(a: &Adjudication) -> Vec<(&str, &[Annotation])> {
    a.coders.iter().zip(&a.versions).map(|(c, v)| (c.name.as_str(), v.as_slice())).collect()
}

/// Takes a version of the unit at the cursor.
fn take_here(app: &mut App, which: Take) -> Vec<Effect> {
    let ch = here(app);
    let (Some(a), Some(o)) = (app.adjudication.as_ref(), app.open.as_ref()) else { return vec![] };
    let Some(i) = unit_at(&a.units, ch) else {
        app.info("no unit here: n goes to the next disagreement");
        return vec![];
    };
    let unit = &a.units[i];
    if let Take::Coder(c) = which
        && unit.versions[c].is_empty()
    {
        let text = format!("{} {} marked nothing here: x takes no version", letter(c), a.coders[c].name);
        app.info(text);
        return vec![];
    }
    let edits = adj::take(unit, &coders_of(a), &o.doc.annotations, &o.doc.rejected, which, &now_rfc3339());
    let what = match which {
        Take::Coder(c) => format!("took {} {}'s version", letter(c), a.coders[c].name),
        Take::All => "took every coder's version".to_string(),
        Take::None => "took no version".to_string(),
    };
    let text = format!("{what} of {} “{}”", describe(app, i), excerpt(&unit_quote(a, unit), 30));
    commit(app, edits, text)
}

/// The quote of a unit, from the first coder who marked it.
fn unit_quote(a: &Adjudication, u: &Disagreement) -> String {
    u.coders()
        .next()
        .and_then(|c| u.versions[c].first().and_then(|id| a.annotation(c, id)))
        .map_or(String::new(), |x| x.quote.clone())
}

/// Commits the edits of a take (one undo step) and says how far the article is.
fn commit(app: &mut App, edits: Vec<crate::model::document::Edit>, text: String) -> Vec<Effect> {
    if edits.is_empty() {
        app.info("nothing to change: gold holds that already");
        return vec![];
    }
    let effects = super::edit::commit(app, edits, text.clone());
    follow(app);
    if let Some((resolved, all)) = app.adjudication.as_ref().map(|a| a.tally())
        && app.message.as_ref().is_some_and(|m| !m.error)
    {
        app.info(format!("{text} — {resolved} of {all} resolved, u undoes"));
    }
    effects
}

/// Takes every unit where all coders agree and gold holds nothing yet, as one undo step.
fn take_agreements(app: &mut App) -> Vec<Effect> {
    let (Some(a), Some(o)) = (app.adjudication.as_ref(), app.open.as_ref()) else { return vec![] };
    let coders = coders_of(a);
    let mut gold: Vec<Annotation> = o.doc.annotations.clone();
    let mut edits = Vec::new();
    let now = now_rfc3339();
    let mut n = 0;
    for u in a.units.iter().filter(|u| u.is_agreement() && !u.resolved) {
        // A claim taken earlier in this loop may have brought this unit's source along.
        if adj::settles(u, &gold) {
            continue;
        }
        let e = adj::take(u, &coders, &gold, &[], Take::Coder(0), &now);
        adj::apply(&mut gold, &e);
        edits.extend(e);
        n += 1;
    }
    if n == 0 {
        app.info("no agreement left to take");
        return vec![];
    }
    commit(app, edits, format!("took the {n} unit(s) all coders agree on"))
}

fn article_id(app: &App) -> Option<String> {
    app.open.as_ref().map(|o| o.doc.article.id.clone())
}

fn depth(app: &App, article: &str, undo: bool) -> usize {
    app.history.get(article).map_or(0, |h| if undo { h.undo.len() } else { h.redo.len() })
}

/// `D`: the article adjudicated in the gold folder's progress file, or no longer.
fn toggle_mark(app: &mut App) -> Vec<Effect> {
    let Some(article) = article_id(app) else { return vec![] };
    let d = depth(app, &article, true);
    let author = app.author.clone();
    let Some(a) = app.adjudication.as_mut() else { return vec![] };
    let before = a.progress.get(&article, Stage::Adjudicated).cloned();
    if before.is_some() {
        a.progress.clear(&article, Stage::Adjudicated);
    } else {
        a.progress.set(&article, Stage::Adjudicated, &author, &now_rfc3339());
    }
    let after = a.progress.get(&article, Stage::Adjudicated).cloned();
    let h = a.marks.entry(article.clone()).or_default();
    h.undo.push(MarkStep { depth: d, also: 0, before: before.clone(), after: after.clone() });
    h.redo.clear();
    let (resolved, all) = a.tally();
    let text = match after {
        Some(_) if resolved < all => {
            format!("marked adjudicated, with {} of {all} disagreements unresolved — D again unmarks", all - resolved)
        }
        Some(_) => "marked adjudicated — D again unmarks".to_string(),
        None => "no longer marked adjudicated".to_string(),
    };
    save_marks(app, text)
}

/// Says what changed and asks the loop to write the progress file (through the one save
/// path, like the coder's done marks); [`saved`] hears back.
fn save_marks(app: &mut App, text: String) -> Vec<Effect> {
    let Some(a) = app.adjudication.as_ref() else { return vec![] };
    let request = a.progress.save_request();
    app.info(text);
    vec![Effect::SaveProgress(Box::new(request))]
}

/// The loop wrote the gold folder's progress file (or could not).
pub(super) fn saved(app: &mut App, result: &Result<SaveReport<Mark>, StoreError>) {
    let Some(a) = app.adjudication.as_mut() else { return };
    match result {
        Ok(report) => a.progress.saved(report),
        Err(e) => app.error(format!("adjudicated mark not saved: {e}; D again retries")),
    }
}

/// Puts the article's mark to `state`.
fn set_mark(p: &mut Progress, article: &str, state: &Option<Mark>) {
    match state {
        Some(m) => p.restore(m.clone()),
        None => {
            p.clear(article, Stage::Adjudicated);
        }
    }
}

/// Undo and redo across marks and edits: a mark step made when the document's history had
/// the depth it has now is the newer one.
fn undo_redo(app: &mut App, undo: bool) -> Vec<Effect> {
    let Some(article) = article_id(app) else { return vec![] };
    let d = depth(app, &article, undo);
    let other = depth(app, &article, !undo);
    let Some(a) = app.adjudication.as_mut() else { return vec![] };
    let h = a.marks.entry(article.clone()).or_default();
    if !undo && h.redo.last().is_some_and(|s| s.also != other) && d == 0 {
        // Undone, then a new edit: like the document's redo stack, this one is gone.
        h.redo.clear();
    }
    let (from, to) = if undo { (&mut h.undo, &mut h.redo) } else { (&mut h.redo, &mut h.undo) };
    if from.last().is_some_and(|s| s.depth == d && (undo || s.also == other)) {
        let mut step = from.pop().expect("checked");
        let state = if undo { step.before.clone() } else { step.after.clone() };
        (step.depth, step.also) = (other, d);
        to.push(step);
        set_mark(&mut a.progress, &article, &state);
        let what = if undo { "undone" } else { "redone" };
        let now = if state.is_some() { "adjudicated" } else { "not adjudicated" };
        return save_marks(app, format!("{what}: the article is {now}"));
    }
    let effects = super::mentions::undo_redo(app, undo);
    follow(app);
    effects
}
