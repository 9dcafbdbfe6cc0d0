//! The stats view (`S`): the picture of the project in charts, one chart at a time.
//!
//! It exists so a coder or a lead sees where a project stands without leaving the TUI: who
//! is quoted, by type, claims per article, the label mix, how much is boilerplate, each
//! coder's progress. The figures are [`crate::model::picture`]'s, the same `newsnote stats`
//! prints and the HTML report charts. They are computed by a job off the loop each time the
//! view opens (it reads every annotation file, and the text of articles that have none, for
//! their length), so the view shows "computing…" (or the last figures, marked as being
//! updated) until it is done; a frame then draws only what fits on screen.

use super::jobs::Job;
use super::{Action, App, Effect, Step, action::Motion};
use crate::model::codebook::Codebook;
use crate::model::corpus::Corpus;
use crate::model::entities::Registry;
use crate::model::picture::{Gather, Picture, Who};
use crate::model::store::AnnotationFile;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// One chart of the view, in the order Tab walks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// Source mentions by entity, most first.
    Entities,
    /// Source mentions by the values of the codebook's entity attribute at this place.
    ByValue(usize),
    /// Claims per article: a histogram and a sparkline in corpus order.
    Claims,
    /// Accepted annotations by label.
    Labels,
    /// The boilerplate share, overall and per article.
    Boilerplate,
    /// Each coder's done marks.
    Coders,
    /// Agreement per label, once computed.
    Agreement,
}

/// The charts a picture has: the value charts one per entity attribute, agreement only when
/// it was computed.
pub fn charts(p: &Picture) -> Vec<Chart> {
    let mut out = vec![Chart::Entities];
    out.extend((0..p.by_value.len()).map(Chart::ByValue));
    out.extend([Chart::Claims, Chart::Labels, Chart::Boilerplate, Chart::Coders]);
    if p.agreement.is_some() {
        out.push(Chart::Agreement);
    }
    out
}

/// A chart's title, as the tabs and the report name it.
pub fn title(p: &Picture, chart: Chart) -> String {
    match chart {
        Chart::Entities => "Sources by entity".into(),
        Chart::ByValue(i) => format!("Sources by {}", p.by_value[i].name),
        Chart::Claims => "Claims per article".into(),
        Chart::Labels => "Label mix".into(),
        Chart::Boilerplate => "Boilerplate share".into(),
        Chart::Coders => "Coders' progress".into(),
        Chart::Agreement => "Agreement per label".into(),
    }
}

/// How many rows a chart can scroll through (0: it fits whatever the size).
pub fn rows(p: &Picture, chart: Chart) -> usize {
    match chart {
        Chart::Entities => p.entities.len(),
        Chart::ByValue(i) => p.by_value[i].bars.len(),
        // Scrolls the sparkline along the articles.
        Chart::Claims => p.articles.len(),
        Chart::Labels => p.labels.len(),
        Chart::Boilerplate => p.articles.len(),
        Chart::Coders => p.coders.len(),
        Chart::Agreement => p.agreement.as_ref().map_or(0, Vec::len),
    }
}

/// What the view shows of the whole corpus, derived once when the figures arrive, so a frame
/// never walks every article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub claims: usize,
    /// Code points under boilerplate, and in all.
    pub boilerplate: (usize, usize),
    /// Source mentions, with an entity or without.
    pub mentions: usize,
    /// Articles by their number of claims ([`Picture::claims_histogram`]).
    pub histogram: Vec<crate::model::picture::Bar>,
    /// The article with the most claims (the first of them), by place.
    pub most: Option<usize>,
}

impl Totals {
    pub fn of(p: &Picture) -> Self {
        let most = p.articles.iter().enumerate().rev().max_by_key(|(_, a)| a.claims).map(|(i, _)| i);
        Self {
            claims: p.claims(),
            boilerplate: p.boilerplate(),
            mentions: p.entities.iter().map(|e| e.value).sum::<usize>() + p.unlinked,
            histogram: p.claims_histogram(),
            most,
        }
    }
}

/// The view's state; the figures are kept while hidden and computed again on each open.
#[derive(Debug, Clone, Default)]
pub struct StatsView {
    pub shown: bool,
    /// The last figures computed; `None` until the first job is done.
    pub picture: Option<Picture>,
    /// Their totals.
    pub totals: Totals,
    /// A job computing new figures is running (or waits for another job to end).
    pub computing: bool,
    /// Annotation files or articles the last job could not read (and so did not count).
    pub problems: Vec<String>,
    /// Which chart of [`charts`] is shown.
    pub chart: usize,
    /// The first row (bar, article) shown of a chart longer than the screen.
    pub scroll: usize,
}

impl StatsView {
    /// The chart shown, if there are figures.
    pub fn current(&self) -> Option<Chart> {
        let p = self.picture.as_ref()?;
        let all = charts(p);
        all.get(self.chart.min(all.len() - 1)).copied()
    }
}

/// The help's words for an action the view shares with other modes.
pub fn describe(a: &Action) -> Option<&'static str> {
    Some(match a {
        Action::MenuDown => "scroll the chart down",
        Action::MenuUp => "scroll the chart up",
        Action::ListTop => "to the chart's first row",
        Action::ListBottom => "to the chart's last row",
        Action::Move(Motion::PageDown) => "scroll a page down",
        Action::Move(Motion::PageUp) => "scroll a page up",
        _ => return None,
    })
}

/// Opens the view and starts computing its figures.
pub(super) fn open(app: &mut App) -> Vec<Effect> {
    app.stats_view.shown = true;
    app.reader.anchor = None;
    start(app)
}

fn start(app: &mut App) -> Vec<Effect> {
    app.stats_view.computing = true;
    if app.busy.is_some() {
        // One job at a time: this one starts when the running one ends (`job_done`).
        return vec![];
    }
    let job = Job::Stats {
        corpus: app.corpus.clone(),
        codebook: Box::new(app.codebook.clone()),
        registry: app.registry.clone().map(Box::new),
    };
    let n = app.corpus.entries.len();
    app.start("computing the project's figures".into(), n, job)
}

/// After any job: start the figures if they waited for it.
pub(super) fn job_done(app: &mut App) -> Vec<Effect> {
    if app.stats_view.computing && app.busy.is_none() && app.stats_view.shown {
        return start(app);
    }
    vec![]
}

/// Takes the job's figures in.
pub(super) fn computed(app: &mut App, picture: Picture, problems: Vec<String>) {
    let v = &mut app.stats_view;
    v.computing = false;
    let n = charts(&picture).len();
    v.chart = v.chart.min(n - 1);
    v.totals = Totals::of(&picture);
    v.picture = Some(picture);
    v.scroll = 0;
    if !problems.is_empty() {
        app.error(format!(
            "stats: {} file(s) could not be read and are not counted; `newsnote check` names them",
            problems.len()
        ));
    }
    app.stats_view.problems = problems;
}

/// Rows of a scrolling chart on a terminal of the app's size (as `ui::stats_view` lays it
/// out: status bar, border, the summary, tabs and caption lines, the key hint).
pub fn chart_height(app: &App) -> usize {
    app.size.height.saturating_sub(1 + 2 + 4).max(1) as usize
}

pub(super) fn update(app: &mut App, action: Action) -> Step {
    let page = chart_height(app);
    let v = &mut app.stats_view;
    let (n, last) = match (&v.picture, v.current()) {
        (Some(p), Some(c)) => (charts(p).len(), rows(p, c).saturating_sub(1)),
        _ => (1, 0),
    };
    match action {
        Action::StatsNext => (v.chart, v.scroll) = ((v.chart + 1) % n, 0),
        Action::StatsPrev => (v.chart, v.scroll) = ((v.chart + n - 1) % n, 0),
        Action::MenuDown | Action::ListDown => v.scroll = (v.scroll + 1).min(last),
        Action::MenuUp | Action::ListUp => v.scroll = v.scroll.saturating_sub(1),
        Action::Move(Motion::PageDown) => v.scroll = (v.scroll + page).min(last),
        Action::Move(Motion::PageUp) => v.scroll = v.scroll.saturating_sub(page),
        Action::ListTop | Action::Move(Motion::Top) => v.scroll = 0,
        Action::ListBottom | Action::Move(Motion::Bottom) => v.scroll = last,
        Action::CloseStats | Action::OpenStats => v.shown = false,
        Action::Cancel => {
            if !app.stop_job() {
                app.stats_view.shown = false;
            }
            app.stats_view.computing = false;
        }
        // The help and quitting are everyone's; nothing else reaches the panes behind.
        Action::ToggleHelp | Action::Quit | Action::DiscardAndQuit | Action::ShowMessages => return Err(action),
        _ => {}
    }
    Ok(vec![])
}

/// The job behind the view: every article's coding from its annotation file (its length
/// from the file's fingerprint; an article without a file is read for its length), the
/// entities named through the registry, each team coder's done marks. Counts progress and
/// stops on `cancel`; returns what could not be read apart.
pub fn compute(
    corpus: &Corpus,
    cb: &Codebook,
    registry: Option<&Registry>,
    done: &AtomicUsize,
    cancel: &AtomicBool,
) -> (Picture, Vec<String>) {
    let mut g = Gather::new(cb);
    let mut problems = Vec::new();
    for entry in &corpus.entries {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        match AnnotationFile::load(&entry.ron_path, &entry.id) {
            Ok(Some(file)) => g.add(&entry.id, file.fingerprint.chars, &file.annotations),
            Ok(None) => match crate::model::load::load(entry) {
                Ok(article) => g.add(&entry.id, article.index.total_chars(), &[]),
                Err(e) => problems.push(format!("{}: {e}", entry.id)),
            },
            Err(e) => problems.push(e.to_string()),
        }
        done.fetch_add(1, Ordering::Relaxed);
    }
    let mut picture = g.finish(|id| registry.and_then(|r| Who::of(r, cb, id)));
    match crate::model::container::fields::CorpusConfig::load(&corpus.root) {
        Ok(config) => {
            let ids = corpus.entries.iter().map(|e| e.id.as_str());
            picture.coders = crate::model::picture::coders_progress(&corpus.root, &config.team, ids);
            let coders = config.team.coders(&corpus.root);
            picture.agreement = crate::model::agree::alpha_per_label(corpus, &coders, registry, cb);
        }
        Err(e) => problems.push(e.to_string()),
    }
    (picture, problems)
}
