//! Who is coding, and how far every coder of the team has got, as the TUI holds it.
//!
//! A team codes the same articles each in their own folder (`--coder NAME`), and each coder
//! says when an article is finished (`D`). The list shows every coder's marks beside each
//! article, and the totals under it, so a coder sees what is left and a project lead sees
//! who is behind. The marks are read once, from one progress file per folder
//! (`model::team::Board`), when newsnote starts and when another writer changes one (the
//! loop's idle watch); a frame only looks articles up, and the totals are counted when the
//! marks change, never per frame. `D` changes the coder's own file, saved at once through
//! the one save path like any other save (`Effect::SaveProgress`).

use super::{App, Effect, Focus};
use crate::model::annotation::now_rfc3339;
use crate::model::corpus::Corpus;
use crate::model::progress::{Mark, Stage};
use crate::model::save::SaveReport;
use crate::model::store::StoreError;
use crate::model::team::Board;

/// Every coder's progress, and who is coding.
#[derive(Debug, Clone, Default)]
pub struct Coders {
    /// The `--coder`, shown in the status bar ("coding as NAME"); `None` without a team name.
    pub coder: Option<String>,
    pub board: Board,
    /// Articles of the corpus done, per column of `board.coders`: counted when marks change.
    pub totals: Vec<usize>,
    /// Why the last save of the coder's marks failed, while it still does.
    pub failed: Option<String>,
    /// Articles of the corpus reviewed and adjudicated (in any folder), counted with `totals`.
    pub reviewed: usize,
    pub adjudicated: usize,
    /// Counts the changes of the marks, so the list's filter knows when its copy is stale.
    pub generation: u64,
}

impl Coders {
    /// Reads the team of the corpus (`corpus.ron`) and every coder's marks. `name` codes in
    /// the corpus's annotations root: the `--coder` when `coder` is given, else the author.
    pub fn open(corpus: &Corpus, coder: Option<String>, author: &str) -> Self {
        let (team, problem) = match crate::model::container::fields::CorpusConfig::load(&corpus.root) {
            Ok(c) => (c.team, None),
            Err(e) => (Default::default(), Some(e.to_string())),
        };
        let name = coder.clone().unwrap_or_else(|| author.to_owned());
        let mut board = Board::open(&corpus.root, &team, &corpus.annotations, &name, coder.is_some());
        board.problems.extend(problem);
        let mut me = Self { coder, board, ..Self::default() };
        me.recount(corpus);
        me
    }

    /// Counts each column's done articles of the corpus (after the marks changed).
    pub fn recount(&mut self, corpus: &Corpus) {
        self.totals = self
            .board
            .coders
            .iter()
            .map(|c| c.progress.count(corpus.entries.iter().map(|e| e.id.as_str()), Stage::Done))
            .collect();
        let count = |stage| corpus.entries.iter().filter(|e| self.board.any(&e.id, stage)).count();
        (self.reviewed, self.adjudicated) = (count(Stage::Reviewed), count(Stage::Adjudicated));
    }

    /// Whether the coder's own folder marked `article` done.
    pub fn mine_done(&self, article: &str) -> bool {
        self.board.mine.is_some_and(|m| self.board.coders[m].progress.is(article, Stage::Done))
    }

    /// Whether another writer changed a progress file since it was read (one `stat` each).
    pub fn changed_on_disk(&self) -> bool {
        self.board.files().any(|p| p.changed_on_disk())
    }

    /// The columns the list shows (`Board::shown_columns`), each with its done total.
    pub fn columns(&self) -> Vec<(&str, usize, usize)> {
        self.board
            .coders
            .iter()
            .enumerate()
            .filter(|(_, c)| c.listed || !c.progress.marks().is_empty())
            .map(|(i, c)| (c.name.as_str(), i, self.totals.get(i).copied().unwrap_or(0)))
            .collect()
    }
}

/// The marks the list's `done:`/`todo:` terms read (`filter::Marks`): O(entries × coders),
/// built when a filter with such a term is computed.
pub(super) fn marks(app: &App) -> super::filter::Marks {
    let coders = app
        .coders
        .board
        .coders
        .iter()
        .map(|c| {
            let done = app.corpus.entries.iter().map(|e| c.progress.is(&e.id, Stage::Done)).collect();
            (crate::model::meta::fold(&c.name), done)
        })
        .collect();
    super::filter::Marks { coders, me: app.coders.board.mine, generation: Some(app.coders.generation) }
}

/// Brings the list filter's copy of the marks (for `done:` and `todo:`) up to date: only
/// after the marks changed (one pass over the corpus then), so a key costs nothing more.
pub(super) fn refresh_filter_marks(app: &mut App) {
    if app.list.cache.marks.generation != Some(app.coders.generation) {
        app.list.cache.marks = marks(app);
    }
}

/// The marks changed: a list filtered by `done:` or `todo:` is computed again.
fn marks_changed(app: &mut App) {
    app.coders.recount(&app.corpus);
    app.coders.generation += 1;
    let terms = app.list.filter.split_whitespace().map(crate::model::meta::Term::parse);
    if terms.into_iter().any(|t| t.on_marks(|_| None).is_some()) {
        app.refilter();
    }
}

/// `D`: marks the article selected in the list (or open in the reader) done for the coder,
/// or takes the mark away again, and saves at once.
pub(super) fn toggle_done(app: &mut App) -> Vec<Effect> {
    let entry = match app.focus {
        Focus::List => app.list.visible.get(app.list.selected).copied(),
        _ => app.open.as_ref().map(|o| o.entry),
    };
    let Some(i) = entry else {
        app.info("no article to mark done");
        return vec![];
    };
    let Some(m) = app.coders.board.mine else {
        let why = app.coders.board.problems.first().cloned().unwrap_or_else(|| "no progress file".into());
        app.error(format!("cannot mark done: {why}"));
        return vec![];
    };
    let id = app.corpus.entries[i].id.clone();
    let by = app.coders.coder.clone().unwrap_or_else(|| app.author.clone());
    let progress = &mut app.coders.board.coders[m].progress;
    let done = match progress.clear(&id, Stage::Done) {
        Some(_) => false,
        None => progress.set(&id, Stage::Done, &by, &now_rfc3339()),
    };
    let request = progress.save_request();
    marks_changed(app);
    let total = app.corpus.entries.len();
    let count = app.coders.totals.get(m).copied().unwrap_or(0);
    let title = crate::model::display::sanitize(&app.corpus.entries[i].title).into_owned();
    let title = if title.is_empty() { id } else { title };
    app.info(match done {
        true => format!("done: {title} ({by} {count}/{total}; D again takes it back)"),
        false => format!("not done any more: {title} ({by} {count}/{total})"),
    });
    vec![Effect::SaveProgress(Box::new(request))]
}

/// The loop saved the coder's marks (or could not).
pub(super) fn saved(app: &mut App, result: &Result<SaveReport<Mark>, StoreError>) {
    let Some(m) = app.coders.board.mine else { return };
    match result {
        Ok(report) => {
            app.coders.board.coders[m].progress.saved(report);
            app.coders.failed = None;
            // A merge may have brought another writer's marks.
            marks_changed(app);
        }
        Err(e) => {
            app.coders.failed = Some(e.to_string());
            app.error(format!("done mark not saved: {e}; the next D (or q) retries"));
        }
    }
}

/// Another writer changed a progress file (another coder's TUI, a review, a script): read
/// again every file this one has no unsaved marks in.
pub(super) fn reload_if_changed(app: &mut App) {
    let mut changed = false;
    let mut problems = Vec::new();
    for c in &mut app.coders.board.coders {
        if c.progress.changed_on_disk() && !c.progress.dirty {
            changed = true;
            if let Err(e) = c.progress.reload() {
                problems.push(e.to_string());
            }
        }
    }
    if let Some(g) = &mut app.coders.board.gold
        && g.changed_on_disk()
    {
        changed = true;
        if let Err(e) = g.reload() {
            problems.push(e.to_string());
        }
    }
    if changed {
        marks_changed(app);
    }
    if let Some(p) = problems.into_iter().next() {
        app.error(p);
    }
}

/// What to say on quitting about marks no save could write.
pub(super) fn exit_notes(app: &App) -> Option<String> {
    let m = app.coders.board.mine?;
    let p = &app.coders.board.coders[m].progress;
    (p.dirty && app.coders.failed.is_some()).then(|| {
        format!(
            "the done marks of this session could not be saved to {} ({}); mark them again with D",
            p.path.display(),
            app.coders.failed.as_deref().unwrap_or("")
        )
    })
}

/// Saves the coder's marks through the one save path, making the coder's folder on their
/// first mark (the loop's side of `Effect::SaveProgress`).
pub fn perform_save(
    request: crate::model::save::SaveRequest<crate::model::progress::ProgressFile>,
) -> Result<SaveReport<Mark>, StoreError> {
    if let Some(dir) = request.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Write { path: request.path.clone(), source })?;
    }
    crate::model::save::save(request)
}

impl App {
    /// Codes as `coder` (`--coder`): its marks are the ones `D` changes, its name in the
    /// status bar. Without one, the author codes in the corpus's annotations root.
    pub fn with_coder(mut self, coder: Option<String>) -> Self {
        self.coders = Coders::open(&self.corpus, coder, &self.author);
        if let Some(p) = self.coders.board.problems.first().cloned() {
            self.error(p);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;
    use crate::app::{Action, update};
    use crate::model::corpus::AnnotationRoot;
    use ratatui::layout::Rect;

    fn team_corpus(coder: &str) -> (tempfile::TempDir, App) {
        let d = tempfile::tempdir().unwrap();
        for n in ["первая", "вторая", "третья"] {
            std::fs::write(d.path().join(format!("{n}.txt")), format!("{n}\n\nТекст статьи.\n")).unwrap();
        }
        std::fs::write(d.path().join("corpus.ron"), "(team: (coders: [\"Zoë\", \"Борис\"]))").unwrap();
        let dir = d.path().join("coders").join(coder);
        let corpus = Corpus::scan(d.path(), AnnotationRoot::Mirrored(dir)).unwrap();
        let app = App::new(corpus, coder.into(), Keymap::default_map(), Rect::new(0, 0, 100, 20))
            .with_coder(Some(coder.into()));
        (d, app)
    }

    /// Runs the effects as the loop does.
    fn perform(app: &mut App, effects: Vec<Effect>) {
        for e in effects {
            if let Effect::SaveProgress(req) = e {
                let path = req.path.clone();
                let result = perform_save(*req);
                update(app, crate::app::Msg::ProgressSaved(path, result));
            }
        }
    }

    #[test]
    fn d_in_the_list_marks_the_selected_article_done_for_the_coder_and_d_again_takes_it_back() {
        let (d, mut app) = team_corpus("Zoë");
        app.focus = Focus::List;
        let e = update(&mut app, Action::ListDown);
        perform(&mut app, e);
        let e = update(&mut app, Action::ToggleDone);
        perform(&mut app, e);
        let id = app.corpus.entries[app.list.visible[1]].id.clone();
        assert!(app.coders.mine_done(&id));
        assert_eq!(app.coders.totals, [1, 0], "Zoë 1, Борис 0");
        let on_disk = crate::model::progress::Progress::open(&d.path().join("coders/Zoë/progress.ron")).unwrap();
        let mark = on_disk.get(&id, Stage::Done).expect("saved at once");
        assert_eq!(mark.by, "Zoë");
        let e = update(&mut app, Action::ToggleDone);
        perform(&mut app, e);
        assert!(!app.coders.mine_done(&id));
        let on_disk = crate::model::progress::Progress::open(&d.path().join("coders/Zoë/progress.ron")).unwrap();
        assert!(!on_disk.is(&id, Stage::Done), "taking it back is saved too");
    }

    #[test]
    fn another_coders_mark_shows_once_their_file_changes() {
        let (d, mut app) = team_corpus("Zoë");
        let id = app.corpus.entries[0].id.clone();
        let mut boris = crate::model::progress::Progress::open(&d.path().join("coders/Борис/progress.ron")).unwrap();
        boris.set(&id, Stage::Done, "Борис", "2026-12-01T10:00:00Z");
        boris.save().unwrap();
        assert!(app.coders.changed_on_disk());
        update(&mut app, crate::app::Msg::FileChanged);
        assert_eq!(app.coders.board.done_by(&id), ["Борис"]);
        assert_eq!(app.coders.totals, [0, 1]);
        assert!(!app.coders.changed_on_disk());
    }

    /// Types `text` into the list's filter prompt, a key at a time.
    fn filter(app: &mut App, text: &str) -> Vec<String> {
        app.focus = Focus::List;
        update(app, Action::StartFilter);
        for c in text.chars() {
            update(app, crate::app::Msg::Type(c));
        }
        app.list.visible.iter().map(|&i| app.corpus.entries[i].id.clone()).collect()
    }

    #[test]
    fn the_filter_keeps_what_a_coder_has_done_or_not_and_follows_d() {
        let (d, mut app) = team_corpus("Zoë");
        let mut boris = crate::model::progress::Progress::open(&d.path().join("coders/Борис/progress.ron")).unwrap();
        boris.set("первая.txt", Stage::Done, "Борис", "2026-12-01T10:00:00Z");
        boris.save().unwrap();
        update(&mut app, crate::app::Msg::FileChanged);
        assert_eq!(filter(&mut app, "done:борис"), ["первая.txt"], "any case");
        update(&mut app, Action::Cancel);
        assert_eq!(filter(&mut app, "todo:БОРИС"), ["вторая.txt", "третья.txt"]);
        update(&mut app, Action::Cancel);
        assert!(filter(&mut app, "done:нет-такого").is_empty(), "no such coder: nothing, not everything");
        update(&mut app, Action::Cancel);
        // `todo:` alone is the one coding: D on an article takes it out of the list at once.
        assert_eq!(filter(&mut app, "todo:").len(), 3);
        update(&mut app, Action::MenuChoose);
        app.focus = Focus::List;
        app.list.selected = 0;
        let e = update(&mut app, Action::ToggleDone);
        perform(&mut app, e);
        let left: Vec<&str> = app.list.visible.iter().map(|&i| app.corpus.entries[i].id.as_str()).collect();
        assert_eq!(left, ["первая.txt", "третья.txt"], "вторая, the first, is done now");
    }
}
