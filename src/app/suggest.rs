//! Reviewing suggestions: going from one to the next, accepting and rejecting them (one,
//! those like it, or all of the article's), and running the detectors on the open article.
//!
//! What goes with what (a claim's cue and source) is decided in the core
//! (`model::suggest::review`); this module picks the suggestion a key means, turns the
//! result into one undo step through `edit::commit` (saved at once, as every edit), and moves
//! on to the next suggestion, so reviewing an article costs a key per decision.

use super::edit::commit;
use super::{Action, App, Effect, Focus, Step, reader};
use crate::model::annotation::{Annotation, AnnotationId, now_rfc3339};
use crate::model::document::Edit;
use crate::model::suggest::{Ask, Detector, propose, review};

/// The suggestion actions of the reader and the sidebar; anything else is passed on.
pub(super) fn update(app: &mut App, action: Action) -> Step {
    Ok(match action {
        Action::NextSuggestion | Action::PrevSuggestion => {
            step(app, action == Action::NextSuggestion);
            vec![]
        }
        Action::AcceptSuggestion => decide(app, true),
        Action::RejectSuggestion => decide(app, false),
        Action::AcceptAlike | Action::RejectAlike => {
            let Some(a) = target(app) else { return Ok(vec![]) };
            let live = &app.open.as_ref().expect("a target is in the open article").doc.annotations;
            let ids = review::alike(&app.codebook, live, &a);
            let what = format!("{} suggestion(s) of {}", ids.len(), app.codebook.describe(&a));
            many(app, ids, action == Action::AcceptAlike, &what)
        }
        Action::AcceptAll | Action::RejectAll => {
            let ids = app.open.as_ref().map(|o| review::open(&o.doc.annotations)).unwrap_or_default();
            if ids.is_empty() {
                app.info(no_suggestions(app));
                return Ok(vec![]);
            }
            let what = format!("all {} suggestion(s) of the article", ids.len());
            many(app, ids, action == Action::AcceptAll, &what)
        }
        Action::Propose => run_detectors(app),
        other => return Err(other),
    })
}

/// How many open suggestions the open article has.
pub fn open_count(app: &App) -> usize {
    app.open.as_ref().map_or(0, |o| o.doc.annotations.iter().filter(|a| a.is_proposed()).count())
}

/// The reader's first key for `action`, as a message shows it.
fn reader_key(app: &App, action: &Action) -> Option<String> {
    app.keymap.first_key(super::keymap::Mode::Reader, action)
}

/// "A accepts · X rejects", with the live keymap's keys, for the sidebar and status bar.
pub fn review_hint(app: &App) -> String {
    match (reader_key(app, &Action::AcceptSuggestion), reader_key(app, &Action::RejectSuggestion)) {
        (Some(a), Some(x)) => format!("{a} accepts · {x} rejects"),
        _ => "see ? for the keys".into(),
    }
}

/// The suggestion a key means: in the sidebar, its selection; in the text, the sidebar's
/// selection when it is a suggestion under the cursor (where `]s` put it), else the
/// innermost suggestion under the cursor.
fn target(app: &mut App) -> Option<Annotation> {
    let o = app.open.as_ref()?;
    let (cur, sel) = (app.reader.cursor, app.sidebar.selected);
    let selected = o.doc.annotations.get(sel).filter(|a| a.is_proposed());
    let found = match app.focus {
        Focus::Sidebar => selected,
        _ => selected
            .filter(|_| o.doc.pieces(sel).any(|s| s.contains(cur) || s.start == cur))
            .or_else(|| o.doc.annotation_at_with(cur, Annotation::is_proposed).map(|i| &o.doc.annotations[i])),
    };
    let found = found.cloned();
    if found.is_none() {
        let msg = match app.focus {
            Focus::Sidebar => "this annotation is not a suggestion (it is already part of the coding)".to_string(),
            _ => format!("no suggestion under the cursor — {}", next_hint(app)),
        };
        app.info(msg);
    }
    found
}

/// "]s goes to the next one", with the live keymap's key.
fn next_hint(app: &App) -> String {
    match reader_key(app, &Action::NextSuggestion) {
        Some(k) => format!("{k} goes to the next one"),
        None => "the sidebar marks them with ?".into(),
    }
}

fn no_suggestions(app: &App) -> String {
    match reader_key(app, &Action::Propose) {
        Some(k) => format!("no suggestions in this article — {k} runs the detectors"),
        None => "no suggestions in this article".into(),
    }
}

/// Where a suggestion is in text order: its start, then its end and id (the file's order),
/// so suggestions starting at the same place are each visited. A place between annotations
/// has no end and id, and comes before those starting there.
type Place = (usize, Option<(usize, AnnotationId)>);

fn place_of(a: &Annotation) -> Place {
    (a.start, Some((a.end, a.id.clone())))
}

/// Index of the next (or previous) shown open suggestion after (before) `from`, wrapping
/// around the article's end when `wrap`; `None` when there is none. A suggestion another
/// open suggestion links to (a proposed claim's cue and source) is not visited on its own:
/// it is decided with that one, so a claim, its cue and its source cost one key.
fn neighbour(app: &App, from: &Place, forward: bool, wrap: bool) -> Option<usize> {
    let doc = &app.open.as_ref()?.doc;
    let with_other: std::collections::HashSet<&AnnotationId> =
        doc.annotations.iter().filter(|a| a.is_proposed()).flat_map(|a| a.links.values().flatten()).collect();
    let keyed: Vec<(Place, usize)> = (0..doc.annotations.len())
        .filter(|&i| doc.annotations[i].is_proposed() && doc.spans[i].is_some())
        .filter(|&i| !with_other.contains(&doc.annotations[i].id))
        .map(|i| (place_of(&doc.annotations[i]), i))
        .collect();
    let found = if forward {
        keyed.iter().find(|(k, _)| k > from).or(keyed.first().filter(|_| wrap))
    } else {
        keyed.iter().rev().find(|(k, _)| k < from).or(keyed.last().filter(|_| wrap))
    };
    found.map(|(_, i)| *i)
}

/// Where the cursor is, as a [`Place`]: on the suggestion last gone to when the cursor is
/// still on its start, else between annotations (so a suggestion starting at the cursor, say
/// at the article's first character, is the next one).
fn here(app: &App) -> Place {
    let Some(o) = app.open.as_ref() else { return (0, None) };
    let (text, index) = (&o.doc.article.text, &o.doc.article.index);
    let cur = index.char_of(text, app.reader.cursor);
    match app.reader.reviewing.as_ref().and_then(|id| o.doc.get(id)) {
        Some(a) if a.start == cur => place_of(a),
        _ => (cur, None),
    }
}

/// `]s` / `[s`: to the next (previous) suggestion, selected in the sidebar.
fn step(app: &mut App, forward: bool) {
    match neighbour(app, &here(app), forward, false) {
        Some(i) => show(app, i),
        None if open_count(app) == 0 => {
            let m = no_suggestions(app);
            app.info(m)
        }
        None => app.info(format!("no suggestion {} the cursor", if forward { "after" } else { "before" })),
    }
}

/// Puts the cursor on annotation `i` and selects it, leaving the focus where it is.
fn show(app: &mut App, i: usize) {
    let Some(s) = app.open.as_ref().and_then(|o| o.doc.spans.get(i).copied().flatten()) else { return };
    app.reader.anchor = None;
    reader::set_cursor(app, s.start, false);
    app.sidebar.selected = i;
    app.reader.reviewing = app.open.as_ref().map(|o| o.doc.annotations[i].id.clone());
    app.reader.adjusted = None;
}

/// `A` / `X`: accepts or rejects the suggestion meant, then goes to the next one. Right
/// after a person adjusted a suggestion (which accepted it), the key means that one.
fn decide(app: &mut App, accept: bool) -> Vec<Effect> {
    if let Some(a) = adjusted_here(app) {
        return settle_adjusted(app, &a, accept);
    }
    let Some(a) = target(app) else { return vec![] };
    let Some(o) = app.open.as_ref() else { return vec![] };
    let now = now_rfc3339();
    let live = &o.doc.annotations;
    let ids = std::slice::from_ref(&a.id);
    let edits = if accept { review::accept(live, ids, &now) } else { review::reject(live, ids, &now) };
    // What went with it, by label ("+ Cue, Source"), and a short quote, so the message fits
    // the status bar with how many are left.
    let with: Vec<String> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::Update { before, after } if before.status != after.status && before.id != a.id => {
                Some(app.codebook.label_name(&before.label))
            }
            _ => None,
        })
        .collect();
    let verb = if accept { "accepted" } else { "rejected" };
    let quote = crate::model::annotation::excerpt(&a.full_quote(), 24);
    let with = if with.is_empty() { String::new() } else { format!(" + {}", with.join(", ")) };
    let what = format!("{verb} {}{with}", app.codebook.describe(&a));
    // Where the reviewed one was: the next suggestion is found from there.
    let from = place_of(&a);
    let effects = commit(app, edits, what.clone());
    if effects.is_empty() {
        return effects;
    }
    let left = open_count(app);
    if let Some(i) = neighbour(app, &from, true, true) {
        show(app, i);
    }
    app.info(decided_message(app, &what, left, &quote));
    effects
}

/// "accepted Claim + Cue, Source (4 left) “…” — u undoes": what was decided and how many are
/// left before the quote, so a narrow status bar cuts the quote, not the count.
fn decided_message(app: &App, what: &str, left: usize, quote: &str) -> String {
    let u = reader_key(app, &Action::Undo).unwrap_or_else(|| "undo".to_string());
    let left = match left {
        0 => "none left".to_string(),
        n => format!("{n} left"),
    };
    format!("{what} ({left}) “{quote}” — {u} undoes")
}

/// The suggestion a person's adjustment accepted last, while it is what a key means (the
/// sidebar selects it, or the cursor is on it) and still accepted (an undo makes it open
/// again, and then it is decided the usual way).
fn adjusted_here(app: &App) -> Option<Annotation> {
    let o = app.open.as_ref()?;
    let i = o.doc.position(app.reader.adjusted.as_ref()?)?;
    let a = o.doc.annotations.get(i).filter(|a| a.status == crate::model::annotation::Status::Accepted)?;
    let cur = app.reader.cursor;
    let here = match app.focus {
        Focus::Sidebar => app.sidebar.selected == i,
        _ => o.doc.pieces(i).any(|s| s.contains(cur) || s.start == cur),
    };
    here.then(|| a.clone())
}

/// `A` after adjusting suggestion `a`: it is accepted already (the adjustment did that, as
/// one undo step), so this is the decision to keep it as adjusted: on to the next open
/// suggestion, saying what was accepted and how many are left, as after a plain accept.
/// `X` does not reject what the person has just fixed; it says how to.
fn settle_adjusted(app: &mut App, a: &Annotation, accept: bool) -> Vec<Effect> {
    let key = |action: &Action| reader_key(app, action).unwrap_or_else(|| "?".to_string());
    let what = app.codebook.describe(a);
    let quote = crate::model::annotation::excerpt(&a.full_quote(), 24);
    if !accept {
        let (u, x) = (key(&Action::Undo), key(&Action::RejectSuggestion));
        app.info(format!(
            "{what} “{quote}” was accepted when you adjusted it — {u} takes that back, then {x} rejects it"
        ));
        return vec![];
    }
    app.reader.adjusted = None;
    let left = open_count(app);
    if let Some(i) = neighbour(app, &place_of(a), true, true) {
        show(app, i);
    }
    let msg = decided_message(app, &format!("accepted {what} as adjusted"), left, &quote);
    app.info(msg);
    vec![]
}

/// What an adjustment that accepted a suggestion adds to its message: how many are left and
/// the key that goes on to the next one.
pub(super) fn after_adjusting_hint(app: &App) -> String {
    match (open_count(app), reader_key(app, &Action::AcceptSuggestion)) {
        (0, _) => " (none left)".into(),
        (n, Some(k)) => format!(" ({n} left: {k} goes to the next)"),
        (n, None) => format!(" ({n} left)"),
    }
}

/// Accepts or rejects the suggestions `ids` (and what goes with them) as one undo step.
fn many(app: &mut App, ids: Vec<AnnotationId>, accept: bool, what: &str) -> Vec<Effect> {
    let Some(o) = app.open.as_ref() else { return vec![] };
    let now = now_rfc3339();
    let live = &o.doc.annotations;
    let edits = if accept { review::accept(live, &ids, &now) } else { review::reject(live, &ids, &now) };
    let with = decided(&edits).saturating_sub(ids.len());
    let verb = if accept { "accepted" } else { "rejected" };
    let mut msg = format!("{verb} {what}");
    if with > 0 {
        msg.push_str(&format!(" and {with} they link to"));
    }
    let effects = commit(app, edits, msg);
    if !effects.is_empty() {
        // On to the next one left, as after a single decision.
        if let Some(i) = neighbour(app, &here(app), true, true) {
            show(app, i);
        }
        let left = open_count(app);
        if let Some(m) = app.message.as_mut() {
            m.text.push_str(&format!(" — {left} left, u undoes"));
        }
    }
    effects
}

/// How many annotations `edits` accept or reject (the unlinks they also hold are not counted).
fn decided(edits: &[Edit]) -> usize {
    edits.iter().filter(|e| matches!(e, Edit::Update { before, after } if before.status != after.status)).count()
}

/// `P`: the detectors' new suggestions for the open article, inserted as one undo step.
/// The file's annotations, rejected ones included, are what the detectors must not repeat.
fn run_detectors(app: &mut App) -> Vec<Effect> {
    let Some(o) = app.open.as_ref() else { return vec![] };
    if app.codebook.suggestions.is_none() {
        app.info("the codebook has no suggestions section: no detector's findings map to its labels");
        return vec![];
    }
    let existing: Vec<Annotation> = o.doc.annotations.iter().chain(&o.doc.rejected).cloned().collect();
    let now = now_rfc3339();
    let detectors = [Detector::Boilerplate, Detector::Quotes];
    let ask = Ask {
        detectors: &detectors,
        book: &app.codebook,
        existing: &existing,
        registry: app.registry.as_ref(),
        now: &now,
    };
    let made = propose(&o.doc.article, &ask);
    if made.is_empty() {
        let left = open_count(app);
        app.info(format!("the detectors found nothing new ({left} suggestion(s) open)"));
        return vec![];
    }
    // "3 Claim, 3 Cue, 2 Source", in the codebook's label order.
    let per: Vec<String> = app
        .codebook
        .labels
        .iter()
        .map(|l| (l, made.iter().filter(|a| a.label.as_str() == l.id).count()))
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{n} {}", l.name))
        .collect();
    let msg = format!("{} new suggestion(s): {} — {}", made.len(), per.join(", "), next_hint(app));
    commit(app, review::inserted(made), msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;
    use crate::app::{SidebarFilter, update};
    use crate::model::annotation::Status;
    use crate::model::corpus::{AnnotationRoot, Corpus};
    use ratatui::layout::Rect;

    const TEXT: &str = "«Мы не согласны с этим», — сказал Дмитрий Песков во вторник.\n\n«Это неприемлемо для нас», — заявил Дмитрий Песков журналистам.\n\nПо словам Пескова, переговоры продолжатся в среду.\n";

    /// An app with TEXT open in the reader, its detectors run (`P`).
    fn proposed() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), TEXT).unwrap();
        let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
        let mut app = App::new(corpus, "tester".into(), Keymap::default_map(), Rect::new(0, 0, 120, 40));
        app.focus = Focus::Reader;
        let effects = update(&mut app, Action::Propose);
        assert!(matches!(effects.as_slice(), [Effect::Save { .. }]), "saved at once: {effects:?}");
        (dir, app)
    }

    fn anns(app: &App) -> &[Annotation] {
        &app.open.as_ref().unwrap().doc.annotations
    }

    fn rejected(app: &App) -> &[Annotation] {
        &app.open.as_ref().unwrap().doc.rejected
    }

    fn labelled<'a>(app: &'a App, label: &str) -> Vec<&'a Annotation> {
        anns(app).iter().filter(|a| a.label.as_str() == label).collect()
    }

    /// The annotation the sidebar selects.
    fn selected(app: &App) -> &Annotation {
        &anns(app)[app.sidebar.selected]
    }

    #[test]
    fn proposing_inserts_the_detectors_findings_as_one_undo_step_and_a_second_run_adds_nothing() {
        let (_d, mut app) = proposed();
        let n = anns(&app).len();
        assert!(labelled(&app, "Claim").len() >= 3, "{:#?}", anns(&app));
        assert!(anns(&app).iter().all(|a| a.is_proposed() && a.suggestion.is_some()));
        assert!(update(&mut app, Action::Propose).is_empty(), "nothing new, nothing saved");
        assert_eq!(anns(&app).len(), n);
        update(&mut app, Action::Undo);
        assert!(anns(&app).is_empty(), "one u takes every suggestion of the run back");
        update(&mut app, Action::Redo);
        assert_eq!(anns(&app).len(), n);
    }

    #[test]
    fn next_suggestion_visits_each_claim_once_its_cue_and_source_going_with_it() {
        let (_d, mut app) = proposed();
        update(&mut app, Action::Move(crate::app::action::Motion::Bottom));
        // From the end it wraps only on A/X; ]s says there is nothing after.
        update(&mut app, Action::NextSuggestion);
        assert!(app.message.as_ref().unwrap().text.contains("no suggestion after"));
        update(&mut app, Action::Move(crate::app::action::Motion::Top));
        let mut seen = Vec::new();
        for _ in 0..10 {
            let before = app.reader.cursor;
            update(&mut app, Action::NextSuggestion);
            if app.reader.cursor == before && !seen.is_empty() {
                break;
            }
            let a = selected(&app);
            assert_eq!(app.reader.cursor, TEXT.find(&a.quote).unwrap(), "the cursor is on the one selected");
            seen.push(a.label.as_str().to_owned());
        }
        let claims = labelled(&app, "Claim").len();
        assert!(seen.iter().all(|l| l == "Claim"), "cues and sources linked to a claim are not visited: {seen:?}");
        assert_eq!(seen.len(), claims, "{seen:?}");
        update(&mut app, Action::PrevSuggestion);
        assert_eq!(selected(&app).label.as_str(), "Claim");
    }

    #[test]
    fn the_first_next_suggestion_is_one_starting_at_the_cursor_and_the_second_goes_past_it() {
        // The sample's first paragraph is an indirect claim from its first character.
        let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/articles/000_e37f52fc02921a26.txt");
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(sample, dir.path().join("a.txt")).unwrap();
        let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
        let mut app = App::new(corpus, "tester".into(), Keymap::default_map(), Rect::new(0, 0, 120, 40));
        app.focus = Focus::Reader;
        update(&mut app, Action::Propose);
        assert_eq!((app.reader.cursor, selected(&app).start), (0, 0), "the cursor is on the first one already");
        update(&mut app, Action::NextSuggestion);
        assert_eq!((app.reader.cursor, selected(&app).label.as_str()), (0, "Claim"), "not skipped");
        update(&mut app, Action::NextSuggestion);
        assert!(app.reader.cursor > 0, "the second ]s goes on");
        update(&mut app, Action::PrevSuggestion);
        assert_eq!(app.reader.cursor, 0);
    }

    #[test]
    fn accepting_a_claim_accepts_its_cue_and_source_moves_on_and_undo_takes_it_back() {
        let (_d, mut app) = proposed();
        update(&mut app, Action::NextSuggestion);
        let claim = selected(&app).clone();
        assert_eq!((claim.label.as_str(), claim.quote.as_str()), ("Claim", "Мы не согласны с этим"));
        let effects = update(&mut app, Action::AcceptSuggestion);
        assert!(matches!(effects.as_slice(), [Effect::Save { .. }]));
        let doc = &app.open.as_ref().unwrap().doc;
        let now = doc.get(&claim.id).unwrap();
        assert_eq!(now.status, Status::Accepted);
        for id in claim.links.values().flatten() {
            assert_eq!(doc.get(id).unwrap().status, Status::Accepted, "{}", doc.get(id).unwrap().quote);
        }
        assert_eq!(doc.counts().total(), 3, "a claim, its cue and its source are coded");
        // On to the next suggestion: the second quote.
        assert_eq!(selected(&app).quote, "Это неприемлемо для нас");
        assert!(app.message.as_ref().unwrap().text.contains("left"));
        update(&mut app, Action::Undo);
        let doc = &app.open.as_ref().unwrap().doc;
        assert!(doc.annotations.iter().all(Annotation::is_proposed), "one u undoes the three");
    }

    #[test]
    fn rejecting_a_claim_takes_it_its_cue_and_source_out_of_view_and_saves_them_as_rejected() {
        let (_d, mut app) = proposed();
        update(&mut app, Action::NextSuggestion);
        let claim = selected(&app).clone();
        let n = anns(&app).len();
        let effects = update(&mut app, Action::RejectSuggestion);
        let [Effect::Save { request, .. }] = effects.as_slice() else { panic!("{effects:?}") };
        assert_eq!(anns(&app).len(), n - 3);
        assert_eq!(rejected(&app).len(), 3);
        assert!(anns(&app).iter().all(|a| !a.links_to(&claim.id) && a.id != claim.id));
        let saved: Vec<_> = request.file.annotations.iter().filter(|a| a.status == Status::Rejected).collect();
        assert_eq!(saved.len(), 3, "the file keeps them, so no later run proposes them again");
        assert!(update(&mut app, Action::Propose).is_empty(), "not proposed again");
        update(&mut app, Action::Undo);
        assert_eq!((anns(&app).len(), rejected(&app).len()), (n, 0));
    }

    #[test]
    fn accepting_alike_takes_every_suggestion_of_the_label_and_kind_and_nothing_else_in_one_step() {
        let (_d, mut app) = proposed();
        update(&mut app, Action::NextSuggestion);
        let book = app.codebook.clone();
        let first = selected(&app).clone();
        let kind = review::kind_of(&book, &first).cloned();
        let same: Vec<AnnotationId> = labelled(&app, "Claim")
            .iter()
            .filter(|c| review::kind_of(&book, c) == kind.as_ref())
            .map(|c| c.id.clone())
            .collect();
        let other: Vec<AnnotationId> = labelled(&app, "Claim")
            .iter()
            .filter(|c| review::kind_of(&book, c) != kind.as_ref())
            .map(|c| c.id.clone())
            .collect();
        assert!(same.len() >= 2 && !other.is_empty(), "two direct quotes and an indirect one");
        update(&mut app, Action::AcceptAlike);
        let doc = &app.open.as_ref().unwrap().doc;
        assert!(same.iter().all(|id| doc.get(id).unwrap().status == Status::Accepted));
        assert!(other.iter().all(|id| doc.get(id).unwrap().is_proposed()), "another kind is left open");
        assert!(selected(&app).is_proposed(), "on to one left");
        update(&mut app, Action::Undo);
        assert!(anns(&app).iter().all(Annotation::is_proposed), "one step");
    }

    #[test]
    fn accepting_or_rejecting_all_decides_every_suggestion_of_the_article_in_one_step() {
        let (_d, mut app) = proposed();
        let n = anns(&app).len();
        update(&mut app, Action::AcceptAll);
        assert!(anns(&app).iter().all(|a| a.status == Status::Accepted));
        update(&mut app, Action::Undo);
        update(&mut app, Action::RejectAll);
        assert_eq!((anns(&app).len(), rejected(&app).len()), (0, n));
        update(&mut app, Action::Undo);
        assert_eq!(open_count(&app), n);
        // With none left, the keys say how to get some.
        update(&mut app, Action::AcceptAll);
        update(&mut app, Action::AcceptAll);
        assert!(app.message.as_ref().unwrap().text.contains("runs the detectors"));
    }

    #[test]
    fn growing_a_suggested_span_accepts_it_and_a_note_does_not() {
        let (_d, mut app) = proposed();
        update(&mut app, Action::NextSuggestion);
        let claim = selected(&app).clone();
        update(&mut app, Action::GrowEnd);
        let doc = &app.open.as_ref().unwrap().doc;
        let now = doc.get(&claim.id).unwrap();
        assert_eq!(now.status, Status::Accepted, "a person's fix is a decision to keep it");
        assert!(now.quote.len() > claim.quote.len());
        assert!(claim.links.values().flatten().all(|id| doc.get(id).unwrap().status == Status::Accepted));
        assert!(app.message.as_ref().unwrap().text.contains("suggestion accepted"));
        update(&mut app, Action::Undo);
        assert_eq!(app.open.as_ref().unwrap().doc.get(&claim.id), Some(&claim), "one u: span and status back");
        // A note is not a decision.
        crate::app::edit::set_note(&mut app, &claim.id, "проверить".into());
        assert!(app.open.as_ref().unwrap().doc.get(&claim.id).unwrap().is_proposed());
    }

    #[test]
    fn accepting_after_adjusting_a_suggestion_moves_on_like_a_plain_accept() {
        let (_d, mut app) = proposed();
        update(&mut app, Action::NextSuggestion);
        let claim = selected(&app).clone();
        let open = open_count(&app);
        assert!(!update(&mut app, Action::GrowEnd).is_empty(), "the adjustment is saved");
        let msg = app.message.as_ref().unwrap().text.clone();
        assert!(msg.starts_with(&format!("suggestion accepted ({} left: A goes to the next)", open - 3)), "{msg}");
        let grown = app.open.as_ref().unwrap().doc.get(&claim.id).unwrap().clone();
        assert!(update(&mut app, Action::AcceptSuggestion).is_empty(), "accepted already: nothing more to save");
        assert_eq!(selected(&app).quote, "Это неприемлемо для нас", "on to the next one, as after a plain A");
        assert_eq!(app.reader.cursor, TEXT.find("Это неприемлемо").unwrap());
        let msg = app.message.as_ref().unwrap().text.clone();
        assert!(msg.starts_with("accepted Claim") && msg.contains("as adjusted"), "{msg}");
        assert!(msg.contains(&format!("as adjusted ({} left)", open - 3)), "{msg}");
        assert_eq!(app.open.as_ref().unwrap().doc.get(&claim.id), Some(&grown), "kept as adjusted");
        // The next A is a plain accept of the one it went to.
        let second = selected(&app).id.clone();
        update(&mut app, Action::AcceptSuggestion);
        assert!(!app.open.as_ref().unwrap().doc.get(&second).unwrap().is_proposed());
    }

    #[test]
    fn rejecting_right_after_adjusting_a_suggestion_changes_nothing_and_says_how() {
        let (_d, mut app) = proposed();
        update(&mut app, Action::NextSuggestion);
        let claim = selected(&app).clone();
        update(&mut app, Action::GrowEnd);
        let before = anns(&app).to_vec();
        assert!(update(&mut app, Action::RejectSuggestion).is_empty());
        assert_eq!(anns(&app), before.as_slice(), "nothing else is rejected in its place");
        let msg = app.message.as_ref().unwrap().text.clone();
        assert!(msg.contains("was accepted when you adjusted it — u takes that back"), "{msg}");
        // After u it is open again, the cursor on it (not on the source accepted with it),
        // and X rejects it with its cue and source.
        update(&mut app, Action::Undo);
        assert_eq!(selected(&app).id, claim.id, "undo goes back to the adjusted suggestion");
        update(&mut app, Action::RejectSuggestion);
        assert!(rejected(&app).iter().any(|a| a.id == claim.id), "{:?}", app.message);
    }

    #[test]
    fn tagging_exactly_what_a_suggestion_proposes_accepts_it_instead_of_tagging_it_twice() {
        let (_d, mut app) = proposed();
        let source = labelled(&app, "Source")[0].clone();
        let n = anns(&app).len();
        let b = TEXT.find(&source.quote).unwrap();
        app.reader.anchor = Some(b);
        let last = source.quote.chars().last().unwrap().len_utf8();
        crate::app::reader::set_cursor(&mut app, b + source.quote.len() - last, false);
        assert!(!update(&mut app, Action::Tag("Source".into())).is_empty(), "saved");
        assert_eq!(anns(&app).len(), n, "not a second annotation on the span");
        assert_eq!(app.open.as_ref().unwrap().doc.get(&source.id).unwrap().status, Status::Accepted);
        assert_eq!(selected(&app).id, source.id, "the accepted suggestion is selected");
        let msg = app.message.as_ref().unwrap().text.clone();
        assert!(msg.starts_with("suggestion accepted (") && msg.contains("tagged Source"), "{msg}");
    }

    #[test]
    fn a_coded_annotation_is_not_taken_for_a_suggestion() {
        let (_d, mut app) = proposed();
        update(&mut app, Action::NextSuggestion);
        update(&mut app, Action::AcceptSuggestion);
        crate::app::reader::set_cursor(&mut app, TEXT.find("согласны").unwrap(), false);
        let before = anns(&app).to_vec();
        assert!(update(&mut app, Action::RejectSuggestion).is_empty());
        assert_eq!(anns(&app), before.as_slice());
        assert!(app.message.as_ref().unwrap().text.contains("no suggestion under the cursor"));
    }

    #[test]
    fn the_sidebar_filter_lists_only_the_open_suggestions() {
        let (_d, mut app) = proposed();
        update(&mut app, Action::AcceptSuggestion);
        app.sidebar.filter = SidebarFilter::Suggested;
        let rows = app.sidebar_rows();
        assert_eq!(rows.len(), open_count(&app));
        assert!(rows.iter().all(|&i| anns(&app)[i].is_proposed()));
        let mut f = SidebarFilter::Attention;
        f = f.next(&app.codebook);
        assert_eq!(f, SidebarFilter::Suggested, "f reaches it");
    }
}
