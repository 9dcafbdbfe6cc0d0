//! The editor's review pass (`R` in the reader): one article's annotations, one at a time,
//! each approved, disputed or commented on with a single key.
//!
//! A review is about the coding, not a change to it, so every key records one more entry of
//! the annotation's review (`Annotation::reviewed`: verdict, reviewer, time, comment) and
//! leaves span, label and links as the coder left them; only an open suggestion is also
//! decided (approving accepts it, disputing rejects it, through `model::suggest::review`, so
//! a claim takes its cue and source along as it does in the reader). Each key is one undo
//! step through `edit::commit` and saved at once through the one save path, like any edit.
//!
//! The pass is its own mode with its own keymap section (`review`), because its single keys
//! (`a`, `x`, `c`, `j`, `k`) mean something else in the reader. When every live annotation
//! has a verdict the article is marked Reviewed in the folder's progress file
//! (`model::progress`), by the reviewer; `D` marks or unmarks it by hand.

use super::edit::commit;
use super::{Action, App, Effect, Focus, Overlay, PromptKind, Step, reader};
use crate::model::annotation::{Annotation, AnnotationId, Review, Verdict, now_rfc3339};
use crate::model::document::Edit;
use crate::model::progress::{Progress, Stage};
use crate::model::review::Tally;
use crate::model::suggest::review as suggestions;

/// Which annotations the pass walks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// Every live annotation, in text order.
    #[default]
    All,
    /// Only open suggestions (what no person has accepted or rejected yet).
    Suggestions,
    /// Only the annotations of one author (a coder, or a detector's name).
    Author(String),
    /// Only annotations without a verdict.
    Unreviewed,
}

impl Scope {
    /// Words for the sidebar's title and messages.
    pub fn name(&self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Suggestions => "suggestions".into(),
            Scope::Author(a) => format!("by {a}"),
            Scope::Unreviewed => "unreviewed".into(),
        }
    }

    pub fn keeps(&self, a: &Annotation) -> bool {
        match self {
            Scope::All => true,
            Scope::Suggestions => a.is_proposed(),
            Scope::Author(who) => &a.author == who,
            Scope::Unreviewed => a.verdict().is_none(),
        }
    }
}

/// The state of a review pass, kept while the mode is on.
#[derive(Debug, Clone)]
pub struct Pass {
    /// The article under review (an index into `corpus.entries`): opening another ends the pass.
    pub entry: usize,
    pub scope: Scope,
    /// The annotation under review.
    pub current: Option<AnnotationId>,
    /// A comment just recorded on this annotation (its entry's index): a verdict given next
    /// takes it up, so "comment, then dispute" is one entry with both.
    pub comment: Option<(AnnotationId, usize)>,
    /// The folder's progress marks; `None` when the file cannot be read (its reason shown),
    /// so nothing overwrites it.
    pub progress: Option<Progress>,
    /// Why the progress file could not be read or saved, while it still cannot.
    pub progress_error: Option<String>,
    /// The Reviewed mark was set by this pass when the last verdict came in, so an undo that
    /// takes a verdict back takes the mark back too; a mark set by hand (`D`) stays.
    pub auto_marked: bool,
}

/// `R`: starts a pass over the open article, on the annotation under the cursor (else the
/// first without a verdict).
pub(super) fn start(app: &mut App) -> Vec<Effect> {
    let Some(o) = app.open.as_ref() else {
        app.info("open an article first: the review pass walks its annotations");
        return vec![];
    };
    if let Some(why) = &o.doc.read_only {
        let msg = format!("read-only, nothing could be recorded: {why}");
        app.error(msg);
        return vec![];
    }
    if o.doc.annotations.is_empty() {
        app.info("nothing to review: this article has no annotations");
        return vec![];
    }
    let here = o.doc.annotation_at(app.reader.cursor);
    let path = Progress::locate(&app.corpus.root, &app.corpus.annotations);
    let (progress, progress_error) = match Progress::open(&path) {
        Ok(p) => (Some(p), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let entry = o.entry;
    app.review = Some(Pass {
        entry,
        scope: Scope::All,
        current: None,
        comment: None,
        progress,
        progress_error,
        auto_marked: false,
    });
    app.focus = Focus::Reader;
    app.reader.anchor = None;
    let first = here.or_else(|| items(app).into_iter().find(|&i| app_doc(app).annotations[i].verdict().is_none()));
    if let Some(i) = first.or_else(|| items(app).first().copied()) {
        show(app, i);
    }
    let mut msg = format!("reviewing as {} — {}", app.author, keys_hint(app));
    if let Some(e) = app.review.as_ref().and_then(|p| p.progress_error.clone()) {
        msg = format!("{msg}; the progress file cannot be read, so the article will not be marked: {e}");
        app.error(msg);
    } else {
        app.info(msg);
    }
    vec![]
}

/// The review mode's keys; what it does not know goes on to the global handler.
pub(super) fn update(app: &mut App, action: Action) -> Step {
    if !on(app) {
        app.review = None;
        return Err(action);
    }
    // A comment is taken up only by the very next key.
    let comment = app.review.as_mut().and_then(|p| p.comment.take());
    Ok(match action {
        Action::ReviewNext | Action::ReviewPrev => {
            step(app, action == Action::ReviewNext);
            vec![]
        }
        Action::ReviewNextUnreviewed => {
            next_unreviewed(app);
            vec![]
        }
        Action::ReviewApprove => judge(app, Verdict::Approved, comment),
        Action::ReviewDispute => judge(app, Verdict::Disputed, comment),
        Action::ReviewComment => {
            let Some(a) = current(app) else { return Ok(vec![]) };
            app.overlay = Overlay::Prompt { kind: PromptKind::ReviewComment(a.id), text: String::new(), cursor: 0 };
            vec![]
        }
        Action::ReviewScope => {
            cycle_scope(app);
            vec![]
        }
        Action::ReviewMark => toggle_mark(app),
        Action::Undo | Action::Redo => {
            let mut effects = super::mentions::undo_redo(app, action == Action::Undo);
            if let Some(i) = Some(app.sidebar.selected).filter(|&i| i < app_doc(app).annotations.len()) {
                let id = app_doc(app).annotations[i].id.clone();
                if let Some(p) = app.review.as_mut() {
                    p.current = Some(id);
                }
            }
            effects.extend(follow_mark(app));
            effects
        }
        Action::ReviewLeave | Action::Cancel => {
            let t = tally(app);
            app.review = None;
            app.info(format!("review pass left: {}", t.describe()));
            vec![]
        }
        Action::ScrollDown | Action::ScrollUp => return reader::update(app, action),
        other => return Err(other),
    })
}

/// Enter in the comment prompt: the comment is recorded at once as a Comment entry (saved
/// like a verdict); a verdict given next takes it up.
pub(super) fn commented(app: &mut App, id: &AnnotationId, text: String) -> Vec<Effect> {
    let Some(a) = app.open.as_ref().and_then(|o| o.doc.get(id)).cloned() else { return vec![] };
    if text.trim().is_empty() {
        app.info("no comment recorded (it was empty)");
        return vec![];
    }
    let after = a.reviewed(Verdict::Comment, &app.author, &now_rfc3339(), Some(&text));
    let at = after.reviews.len() - 1;
    let msg = format!(
        "comment recorded on {} “{}” — {} gives it with a verdict, u undoes",
        app.codebook.describe(&a),
        crate::model::annotation::excerpt(&a.full_quote(), 24),
        verdict_keys(app)
    );
    let effects = commit(app, vec![Edit::Update { before: a.clone(), after }], msg);
    if !effects.is_empty()
        && let Some(p) = app.review.as_mut()
    {
        p.comment = Some((a.id.clone(), at));
    }
    effects
}

/// What the loop reports after saving the progress file.
pub(super) fn progress_saved(
    app: &mut App,
    result: &Result<crate::model::save::SaveReport<crate::model::progress::Mark>, crate::model::store::StoreError>,
) {
    match result {
        Ok(report) => {
            if let Some(p) = app.review.as_mut().and_then(|r| r.progress.as_mut()) {
                p.saved(report);
            }
            if let Some(r) = app.review.as_mut() {
                r.progress_error = None;
            }
        }
        Err(e) => {
            let why = e.to_string();
            if let Some(r) = app.review.as_mut() {
                r.progress_error = Some(why.clone());
            }
            app.error(format!("the Reviewed mark is not saved: {why}; the next verdict (or D) retries"));
        }
    }
}

/// Whether a pass is on over the open article (another article opened, by a click in the
/// list, ends it).
pub fn on(app: &App) -> bool {
    matches!((&app.review, &app.open), (Some(p), Some(o)) if p.entry == o.entry)
}

/// The review figures of the open article, for the status line and the sidebar.
pub fn tally(app: &App) -> Tally {
    app.open.as_ref().map(|o| Tally::of(&o.doc.annotations)).unwrap_or_default()
}

/// "review 12/30 · 2 disputed · 3 comments · marked reviewed", while a pass is on.
pub fn status(app: &App) -> Option<String> {
    let pass = app.review.as_ref().filter(|_| on(app))?;
    let mut s = tally(app).describe();
    if is_marked(app) {
        s.push_str(" · marked reviewed");
    }
    if pass.scope != Scope::All {
        s.push_str(&format!(" · only {}", pass.scope.name()));
    }
    Some(s)
}

/// Whether the open article carries the Reviewed mark in the folder's progress file.
pub fn is_marked(app: &App) -> bool {
    let (Some(pass), Some(o)) = (app.review.as_ref(), app.open.as_ref()) else { return false };
    pass.progress.as_ref().is_some_and(|p| p.is(&app.corpus.entries[o.entry].id, Stage::Reviewed))
}

/// The indices (into the open document's annotations) the pass walks, in text order.
pub fn items(app: &App) -> Vec<usize> {
    let (Some(pass), Some(o)) = (app.review.as_ref(), app.open.as_ref()) else { return vec![] };
    (0..o.doc.annotations.len()).filter(|&i| pass.scope.keeps(&o.doc.annotations[i])).collect()
}

/// The index of the annotation under review, if it is still live.
pub fn current_index(app: &App) -> Option<usize> {
    let id = app.review.as_ref()?.current.as_ref()?;
    app.open.as_ref()?.doc.position(id)
}

fn app_doc(app: &App) -> &crate::model::document::Document {
    &app.open.as_ref().expect("a pass has an open article").doc
}

fn current(app: &mut App) -> Option<Annotation> {
    let found = current_index(app).map(|i| app_doc(app).annotations[i].clone());
    if found.is_none() {
        app.info(format!("no annotation under review here — {}", move_keys(app)));
    }
    found
}

/// Puts the cursor on annotation `i` and makes it the one under review.
fn show(app: &mut App, i: usize) {
    let doc = app_doc(app);
    let id = doc.annotations[i].id.clone();
    if let Some(s) = doc.spans[i] {
        reader::set_cursor(app, s.start, false);
    }
    app.sidebar.selected = i;
    if let Some(p) = app.review.as_mut() {
        p.current = Some(id);
    }
}

/// Where an annotation is in text order: the document's own order (start, end, id), so two
/// starting at one place are each visited.
type Place = (usize, usize, AnnotationId);

fn place(a: &Annotation) -> Place {
    let (s, e, id) = a.sort_key();
    (s, e, id.clone())
}

/// Where the pass is: the current annotation's place, else the cursor's.
fn here(app: &App) -> Place {
    let o = app.open.as_ref().expect("a pass has an open article");
    match current_index(app) {
        Some(i) => place(&o.doc.annotations[i]),
        None => {
            let c = o.doc.article.index.char_of(&o.doc.article.text, app.reader.cursor);
            (c, 0, AnnotationId(String::new()))
        }
    }
}

/// The next (previous) annotation in scope after (before) `from`, if any.
fn neighbour(app: &App, from: &Place, forward: bool, keep: impl Fn(&Annotation) -> bool) -> Option<usize> {
    let anns = &app_doc(app).annotations;
    let keyed: Vec<(Place, usize)> =
        items(app).into_iter().filter(|&i| keep(&anns[i])).map(|i| (place(&anns[i]), i)).collect();
    if forward {
        keyed.iter().find(|(p, _)| p > from).map(|(_, i)| *i)
    } else {
        keyed.iter().rev().find(|(p, _)| p < from).map(|(_, i)| *i)
    }
}

fn step(app: &mut App, forward: bool) {
    let from = here(app);
    match neighbour(app, &from, forward, |_| true) {
        Some(i) => show(app, i),
        None if items(app).is_empty() => {
            let scope = app.review.as_ref().map(|p| p.scope.name()).unwrap_or_default();
            app.info(format!("no annotation in this pass ({scope})"));
        }
        None => app.info(if forward { "the last annotation of the pass" } else { "the first annotation of the pass" }),
    }
}

/// Tab / `]r`: the next annotation in scope without a verdict, from the top after the last.
fn next_unreviewed(app: &mut App) {
    let from = here(app);
    let open = |a: &Annotation| a.verdict().is_none();
    let start = (0, 0, AnnotationId(String::new()));
    // Wrapping: from the first annotation on, the current one included.
    let found = neighbour(app, &from, true, open).or_else(|| neighbour(app, &start, true, open));
    match found {
        Some(i) => show(app, i),
        None => app.info(format!("every annotation of the pass has a verdict: {}", tally(app).describe())),
    }
}

/// `f`: all, suggestions, each author, unreviewed, then all again.
fn cycle_scope(app: &mut App) {
    let mut authors: Vec<String> = app_doc(app).annotations.iter().map(|a| a.author.clone()).collect();
    authors.sort();
    authors.dedup();
    let Some(pass) = app.review.as_mut() else { return };
    pass.scope = match &pass.scope {
        Scope::All => Scope::Suggestions,
        Scope::Suggestions => authors.first().map_or(Scope::Unreviewed, |a| Scope::Author(a.clone())),
        Scope::Author(a) => {
            let next = authors.iter().position(|b| b == a).and_then(|k| authors.get(k + 1));
            next.map_or(Scope::Unreviewed, |b| Scope::Author(b.clone()))
        }
        Scope::Unreviewed => Scope::All,
    };
    let name = pass.scope.name();
    let n = items(app).len();
    // Stay on the current annotation when it is in scope, else the next one that is.
    let inside = current_index(app).is_some_and(|i| items(app).contains(&i));
    if !inside {
        let from = here(app);
        let to = neighbour(app, &from, true, |_| true).or_else(|| items(app).first().copied());
        if let Some(i) = to {
            show(app, i);
        }
    }
    app.info(format!("review pass: {name} ({n} annotation(s))"));
}

/// `a` / `x`: the verdict on the annotation under review (an open suggestion is accepted or
/// rejected with it, and what goes with it gets the verdict too), then on to the next one.
fn judge(app: &mut App, verdict: Verdict, comment: Option<(AnnotationId, usize)>) -> Vec<Effect> {
    let Some(a) = current(app) else { return vec![] };
    let now = now_rfc3339();
    let by = app.author.clone();
    let taken = comment.filter(|(id, _)| id == &a.id).map(|(_, k)| k);
    let give = |x: &Annotation, main: bool| -> Annotation {
        match taken.filter(|_| main).filter(|&k| x.reviews.get(k).is_some_and(|r| r.verdict == Verdict::Comment)) {
            // The comment just made becomes this verdict's comment: one entry with both.
            Some(k) => {
                let mut next = x.clone();
                let comment = next.reviews[k].comment.clone();
                next.reviews[k] = Review { verdict, by: by.clone(), at: now.clone(), comment };
                next
            }
            None => x.reviewed(verdict, &by, &now, None),
        }
    };
    let mut edits = if a.is_proposed() {
        let live = &app_doc(app).annotations;
        let ids = std::slice::from_ref(&a.id);
        if verdict == Verdict::Approved {
            suggestions::accept(live, ids, &now)
        } else {
            suggestions::reject(live, ids, &now)
        }
    } else {
        Vec::new()
    };
    // Every annotation this decides (the suggestion, its cue and source) carries the verdict;
    // an unlink of a live annotation from a rejected one is not a review of it.
    for e in &mut edits {
        if let Edit::Update { before, after } = e
            && before.status != after.status
        {
            *after = give(after, after.id == a.id);
        }
    }
    if !edits.iter().any(|e| matches!(e, Edit::Update { after, .. } if after.id == a.id)) {
        edits.push(Edit::Update { before: a.clone(), after: give(&a, true) });
    }
    let with = edits
        .iter()
        .filter(|e| matches!(e, Edit::Update { before, after } if before.status != after.status && before.id != a.id))
        .count();
    let what = match (verdict, a.is_proposed()) {
        (Verdict::Approved, true) => "approved (suggestion accepted)",
        (Verdict::Approved, false) => "approved",
        (_, true) => "disputed (suggestion rejected)",
        _ => "disputed",
    };
    let with = if with > 0 { format!(" with {with} linked") } else { String::new() };
    let quote = crate::model::annotation::excerpt(&a.full_quote(), 24);
    let msg = format!("{what} {}{with} “{quote}”", app.codebook.describe(&a));
    let from = place(&a);
    let mut effects = commit(app, edits, msg);
    if effects.is_empty() {
        return effects;
    }
    // On to the next one in scope; a rejected suggestion left the live list, so the next
    // is found from where it was.
    match neighbour(app, &from, true, |_| true) {
        Some(i) => show(app, i),
        None => {
            if let Some(i) = app.open.as_ref().and_then(|o| o.doc.position(&a.id)) {
                show(app, i);
            }
        }
    }
    effects.extend(follow_mark(app));
    let t = tally(app);
    let done = if t.complete() && is_marked(app) {
        " — every annotation has a verdict: article marked reviewed".to_string()
    } else {
        format!(" — {}, u undoes", t.describe())
    };
    if let Some(m) = app.message.as_mut() {
        m.text.push_str(&done);
    }
    effects
}

/// Keeps the Reviewed mark in step with the verdicts: set (by the reviewer) when every live
/// annotation has one; taken back when an undo leaves one without, if this pass set it.
fn follow_mark(app: &mut App) -> Vec<Effect> {
    let complete = tally(app).complete();
    let article = app.open.as_ref().map(|o| app.corpus.entries[o.entry].id.clone()).unwrap_or_default();
    let by = app.author.clone();
    let Some(pass) = app.review.as_mut() else { return vec![] };
    let auto = pass.auto_marked;
    let Some(p) = pass.progress.as_mut() else { return vec![] };
    let changed = if complete {
        let set = p.set(&article, Stage::Reviewed, &by, &now_rfc3339());
        if set {
            pass.auto_marked = true;
        }
        set
    } else if auto {
        pass.auto_marked = false;
        p.clear(&article, Stage::Reviewed).is_some()
    } else {
        false
    };
    if changed || p.dirty { vec![Effect::SaveProgress(Box::new(p.save_request()))] } else { vec![] }
}

/// `D`: marks the article reviewed, or takes the mark away, by hand.
fn toggle_mark(app: &mut App) -> Vec<Effect> {
    let article = app.open.as_ref().map(|o| app.corpus.entries[o.entry].id.clone()).unwrap_or_default();
    let by = app.author.clone();
    let Some(pass) = app.review.as_mut() else { return vec![] };
    let Some(p) = pass.progress.as_mut() else {
        let why = pass.progress_error.clone().unwrap_or_default();
        app.error(format!("the progress file cannot be read, so it is not changed: {why}"));
        return vec![];
    };
    let msg = if p.clear(&article, Stage::Reviewed).is_some() {
        pass.auto_marked = false;
        "article no longer marked reviewed (D marks it again)".to_string()
    } else {
        p.set(&article, Stage::Reviewed, &by, &now_rfc3339());
        format!("article marked reviewed by {by} (D takes the mark away)")
    };
    let effects = vec![Effect::SaveProgress(Box::new(p.save_request()))];
    app.info(msg);
    effects
}

fn key(app: &App, action: &Action) -> Option<String> {
    app.keymap.first_key(super::keymap::Mode::Review, action)
}

/// "a approves · x disputes", from the live keymap.
fn verdict_keys(app: &App) -> String {
    match (key(app, &Action::ReviewApprove), key(app, &Action::ReviewDispute)) {
        (Some(a), Some(x)) => format!("{a} or {x}"),
        _ => "a verdict key".into(),
    }
}

fn move_keys(app: &App) -> String {
    match (key(app, &Action::ReviewNext), key(app, &Action::ReviewPrev)) {
        (Some(n), Some(p)) => format!("{n}/{p} go to the next / previous one"),
        _ => "see ? for the keys".into(),
    }
}

/// "a approves · x disputes · c comments · Tab next unreviewed · q leaves", from the keymap.
pub fn keys_hint(app: &App) -> String {
    let parts = [
        (Action::ReviewApprove, "approves"),
        (Action::ReviewDispute, "disputes"),
        (Action::ReviewComment, "comments"),
        (Action::ReviewNextUnreviewed, "next unreviewed"),
        (Action::ReviewLeave, "leaves"),
    ];
    let shown: Vec<String> = parts.iter().filter_map(|(a, w)| key(app, a).map(|k| format!("{k} {w}"))).collect();
    if shown.is_empty() { "see ? for the keys".into() } else { shown.join(" · ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;
    use crate::model::annotation::Status;
    use crate::model::corpus::{AnnotationRoot, Corpus};
    use crate::tui::dispatch;
    use ratatui::layout::Rect;

    const TEXT: &str = "«Мы не согласны с этим», — сказал Дмитрий Песков во вторник.\n\n«Это неприемлемо для нас», — заявил Дмитрий Песков журналистам.\n\nПо словам Пескова, переговоры продолжатся в среду.\n";

    /// An app with TEXT open, the detectors' suggestions in it and the first claim (with its
    /// cue and source) accepted by the coder, so the article holds coding and suggestions.
    fn coded() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("статья.txt"), TEXT).unwrap();
        let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
        let mut app = App::new(corpus, "Редактор".into(), Keymap::default_map(), Rect::new(0, 0, 120, 40));
        app.focus = Focus::Reader;
        dispatch(&mut app, Action::Propose);
        dispatch(&mut app, Action::NextSuggestion);
        dispatch(&mut app, Action::AcceptSuggestion);
        dispatch(&mut app, Action::Move(crate::app::action::Motion::Top));
        (dir, app)
    }

    fn doc_id(app: &App, i: usize) -> AnnotationId {
        doc(app).annotations[i].id.clone()
    }

    fn doc(app: &App) -> &crate::model::document::Document {
        &app.open.as_ref().unwrap().doc
    }

    fn under_review(app: &App) -> Annotation {
        doc(app).annotations[current_index(app).expect("an annotation under review")].clone()
    }

    fn on_disk(dir: &tempfile::TempDir) -> crate::model::store::AnnotationFile {
        crate::model::store::AnnotationFile::load(&dir.path().join("статья.ron"), "статья.txt").unwrap().unwrap()
    }

    #[test]
    fn approving_records_reviewer_and_time_keeps_the_coding_moves_on_and_undo_takes_it_back() {
        let (dir, mut app) = coded();
        dispatch(&mut app, Action::StartReview);
        assert_eq!(app.mode(), crate::app::keymap::Mode::Review);
        let first = under_review(&app);
        assert!(!first.is_proposed(), "the first annotation is the accepted claim's: {first:?}");
        let effects = update(&mut app, Action::ReviewApprove).unwrap();
        assert!(matches!(effects.as_slice(), [Effect::Save { .. }]), "saved at once: {effects:?}");
        let after = doc(&app).get(&first.id).unwrap().clone();
        let r = after.verdict().expect("a verdict");
        assert_eq!((r.verdict, r.by.as_str(), r.comment.as_deref()), (Verdict::Approved, "Редактор", None));
        assert!(r.at.ends_with('Z') && r.at.len() == 20, "RFC 3339 UTC: {}", r.at);
        assert_eq!(Annotation { reviews: vec![], ..after.clone() }, first, "span, label, links, modified unchanged");
        assert_ne!(under_review(&app).id, first.id, "on to the next one");
        dispatch(&mut app, Action::Undo);
        assert!(doc(&app).get(&first.id).unwrap().reviews.is_empty());
        assert_eq!(under_review(&app).id, first.id, "undo goes back to the annotation it changed");
        dispatch(&mut app, Action::Redo);
        assert!(on_disk(&dir).annotations.iter().any(|a| a.id == first.id && a.verdict().is_some()), "on disk");
    }

    #[test]
    fn disputing_an_open_suggestion_rejects_it_with_its_cue_and_source_and_records_the_dispute() {
        let (dir, mut app) = coded();
        dispatch(&mut app, Action::StartReview);
        dispatch(&mut app, Action::ReviewScope);
        assert_eq!(app.review.as_ref().unwrap().scope, Scope::Suggestions);
        let claim = under_review(&app);
        assert!(claim.is_proposed() && claim.quote == "Это неприемлемо для нас", "{claim:?}");
        let live = doc(&app).annotations.len();
        dispatch(&mut app, Action::ReviewDispute);
        assert_eq!(doc(&app).annotations.len(), live - 3, "the claim, its cue and its source are rejected");
        let file = on_disk(&dir);
        let gone: Vec<&Annotation> = file.annotations.iter().filter(|a| a.status == Status::Rejected).collect();
        assert_eq!(gone.len(), 3);
        assert!(gone.iter().all(|a| a.verdict().is_some_and(|r| r.verdict == Verdict::Disputed && r.by == "Редактор")));
        assert_eq!(file.written_format(), crate::model::store::FORMAT_VERSION, "a file with reviews is format 4");
    }

    #[test]
    fn a_comment_is_recorded_alone_or_taken_up_by_the_verdict_given_next() {
        let (_dir, mut app) = coded();
        dispatch(&mut app, Action::StartReview);
        let first = under_review(&app).id;
        dispatch(&mut app, Action::ReviewComment);
        crate::app::update(&mut app, crate::app::Msg::Paste("źródło niepewne".into()));
        dispatch(&mut app, Action::MenuChoose);
        let a = doc(&app).get(&first).unwrap().clone();
        assert_eq!(a.reviews.len(), 1);
        assert_eq!(
            (a.reviews[0].verdict, a.reviews[0].comment.as_deref()),
            (Verdict::Comment, Some("źródło niepewne"))
        );
        assert!(a.verdict().is_none(), "a comment alone is not a verdict");
        dispatch(&mut app, Action::ReviewDispute);
        let a = doc(&app).get(&first).unwrap().clone();
        assert_eq!(a.reviews.len(), 1, "one entry with both: {:?}", a.reviews);
        assert_eq!(
            (a.reviews[0].verdict, a.reviews[0].comment.as_deref()),
            (Verdict::Disputed, Some("źródło niepewne"))
        );
        // A comment followed by a move, then a verdict: the verdict is its own entry.
        let second = under_review(&app).id;
        dispatch(&mut app, Action::ReviewComment);
        crate::app::update(&mut app, crate::app::Msg::Paste("ok?".into()));
        dispatch(&mut app, Action::MenuChoose);
        dispatch(&mut app, Action::ReviewNext);
        dispatch(&mut app, Action::ReviewPrev);
        dispatch(&mut app, Action::ReviewApprove);
        let b = doc(&app).get(&second).unwrap();
        assert_eq!(b.reviews.iter().map(|r| r.verdict).collect::<Vec<_>>(), [Verdict::Comment, Verdict::Approved]);
    }

    #[test]
    fn every_annotation_with_a_verdict_marks_the_article_reviewed_and_undo_takes_the_mark_back() {
        let (dir, mut app) = coded();
        let progress = dir.path().join(crate::model::progress::PROGRESS_FILE);
        dispatch(&mut app, Action::StartReview);
        let n = doc(&app).annotations.len();
        // Approving an open claim approves its cue and source too: fewer keys than annotations.
        for _ in 0..n {
            if tally(&app).complete() {
                break;
            }
            assert!(!Progress::open(&progress).unwrap().is("статья.txt", Stage::Reviewed), "not before the last");
            dispatch(&mut app, Action::ReviewNextUnreviewed);
            dispatch(&mut app, Action::ReviewApprove);
        }
        assert!(tally(&app).complete(), "{:?}", tally(&app));
        let marks = Progress::open(&progress).unwrap();
        let m = marks.get("статья.txt", Stage::Reviewed).expect("marked reviewed on disk");
        assert_eq!(m.by, "Редактор");
        assert!(status(&app).unwrap().contains("marked reviewed"), "{:?}", status(&app));
        assert!(app.message.as_ref().unwrap().text.contains("article marked reviewed"));
        dispatch(&mut app, Action::Undo);
        assert!(!Progress::open(&progress).unwrap().is("статья.txt", Stage::Reviewed), "undone with the verdict");
        dispatch(&mut app, Action::ReviewMark);
        assert!(Progress::open(&progress).unwrap().is("статья.txt", Stage::Reviewed), "D marks by hand");
        dispatch(&mut app, Action::ReviewMark);
        assert!(!Progress::open(&progress).unwrap().is("статья.txt", Stage::Reviewed), "D again unmarks");
    }

    #[test]
    fn the_pass_walks_only_suggestions_only_one_authors_or_only_unreviewed_when_cycled() {
        let (_dir, mut app) = coded();
        dispatch(&mut app, Action::StartReview);
        dispatch(&mut app, Action::ReviewApprove);
        let all = items(&app).len();
        let mut seen = vec![];
        for _ in 0..8 {
            dispatch(&mut app, Action::ReviewScope);
            let scope = app.review.as_ref().unwrap().scope.clone();
            let anns = &doc(&app).annotations;
            assert!(items(&app).iter().all(|&i| scope.keeps(&anns[i])), "{scope:?}");
            if let Some(i) = current_index(&app).filter(|_| !items(&app).is_empty()) {
                assert!(scope.keeps(&anns[i]), "the one under review is in scope: {scope:?}");
            }
            seen.push((scope, items(&app).len()));
            if seen.last().unwrap().0 == Scope::All {
                break;
            }
        }
        let names: Vec<String> = seen.iter().map(|(s, _)| s.name()).collect();
        assert_eq!(names.first().map(String::as_str), Some("suggestions"));
        assert!(names.iter().any(|n| n.starts_with("by ")), "{names:?}");
        assert_eq!(seen.iter().find(|(s, _)| *s == Scope::Unreviewed).unwrap().1, all - 1, "one has a verdict");
        assert_eq!(seen.last().unwrap(), &(Scope::All, all));
    }

    #[test]
    fn leaving_the_pass_returns_to_the_reader_and_q_does_not_quit() {
        let (_dir, mut app) = coded();
        dispatch(&mut app, Action::StartReview);
        dispatch(&mut app, Action::ReviewLeave);
        assert!(app.review.is_none() && !app.should_quit);
        assert_eq!(app.mode(), crate::app::keymap::Mode::Reader);
    }

    #[test]
    fn another_article_opened_during_a_pass_ends_it_and_the_next_key_is_the_readers() {
        let (dir, mut app) = coded();
        std::fs::write(dir.path().join("второй.txt"), "Первая строка.\nВторая строка.\n").unwrap();
        app.corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
        let here = app.open.as_ref().unwrap().entry;
        dispatch(&mut app, Action::StartReview);
        let other = (0..app.corpus.entries.len()).find(|&i| i != here).unwrap();
        // What a click on the list does.
        app.open_entry(other);
        assert_eq!(app.mode(), crate::app::keymap::Mode::Reader, "the pass was over the other article");
        assert!(status(&app).is_none());
        let before = app.reader.cursor;
        dispatch(&mut app, Action::Move(crate::app::action::Motion::Down));
        assert_ne!(app.reader.cursor, before, "the key moved the reader's cursor, not lost to the old pass");
    }

    #[test]
    fn a_hostile_review_time_from_a_file_reaches_the_screen_only_as_placeholders() {
        let (_dir, mut app) = coded();
        let doc = &mut app.open.as_mut().unwrap().doc;
        // Only the time is hostile: the reviewer's name and the comment always went through
        // the sanitiser.
        let a = doc.annotations[0].reviewed(Verdict::Disputed, "Редактор", "2026\u{1b}[2J", Some("źle"));
        doc.annotations[0] = a;
        dispatch(&mut app, Action::StartReview);
        // Under review: the one with the hostile time (the pass starts at the first unreviewed).
        app.review.as_mut().unwrap().current = Some(doc_id(&app, 0));
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        t.draw(|f| crate::ui::render_in(&app, f, false)).unwrap();
        let shown: String = t.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        assert!(shown.contains("2026␛[2J"), "the time is shown, its escape as a placeholder: {shown}");
        assert!(!shown.contains('\u{1b}'));
    }
}
