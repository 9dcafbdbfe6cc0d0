//! Work that reads the whole corpus (the `F` search, the titles every list filter needs) runs
//! off the terminal loop: `update` asks for a [`Job`] with [`super::Effect::Start`], the loop
//! runs it on a thread and hands its [`Done`] back as [`super::Msg::Done`]. Meanwhile the
//! status bar shows the progress ([`Busy`]), keys keep working, Esc stops the job and `q`
//! quits without waiting for it.

use super::{App, Effect, Overlay};
use crate::model::corpus::{Corpus, Entry};
use crate::model::quote::Search;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// What runs off the loop. Each carries a copy of what it reads, so the app is never shared.
#[derive(Debug, Clone)]
pub enum Job {
    /// The corpus search (`F`).
    CorpusSearch { query: String, corpus: Corpus },
    /// Every article's title and annotation summary, for the list filter.
    Titles { entries: Vec<Entry> },
    /// Every mention of every entity, for the entities view (`E`).
    Entities { corpus: Corpus, codebook: Box<crate::model::codebook::Codebook> },
    /// The project's figures, for the stats view (`S`).
    Stats {
        corpus: Corpus,
        codebook: Box<crate::model::codebook::Codebook>,
        registry: Option<Box<crate::model::entities::Registry>>,
    },
}

/// A finished job.
#[derive(Debug)]
pub enum Done {
    CorpusSearch {
        query: String,
        found: Vec<(usize, String, usize)>,
        errors: Vec<String>,
    },
    Titles {
        entries: Vec<Entry>,
        warnings: Vec<String>,
    },
    Entities {
        index: crate::model::entities::index::MentionIndex,
        claims: std::collections::HashMap<(String, crate::model::annotation::AnnotationId), String>,
    },
    Stats {
        picture: Box<crate::model::picture::Picture>,
        problems: Vec<String>,
    },
}

/// A job with its progress counter and stop flag, as `update` hands it to the loop. Compared
/// by identity (effects are compared in tests).
#[derive(Debug, Clone)]
pub struct Handle {
    pub job: Job,
    pub done: Arc<AtomicUsize>,
    pub cancel: Arc<AtomicBool>,
}

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.done, &other.done)
    }
}

impl Handle {
    pub fn run(self) -> Done {
        self.job.run(&self.done, &self.cancel)
    }
}

/// The job running now, as the status bar shows it.
#[derive(Debug, Clone)]
pub struct Busy {
    pub what: String,
    pub total: usize,
    pub done: Arc<AtomicUsize>,
    pub cancel: Arc<AtomicBool>,
}

impl Busy {
    /// "searching for “x”: 1,234 / 100,000 articles".
    pub fn describe(&self) -> String {
        format!("{}: {} / {} articles — Esc stops", self.what, self.done.load(Ordering::Relaxed), self.total)
    }
}

impl Job {
    /// Runs the job (on whichever thread calls it), counting progress and stopping on cancel.
    pub fn run(self, done: &AtomicUsize, cancel: &AtomicBool) -> Done {
        match self {
            Job::CorpusSearch { query, corpus } => {
                let (found, errors) = match crate::search::matcher(&query) {
                    Ok(re) => crate::search::search_with(&corpus, &re, done, cancel),
                    Err(e) => (Vec::new(), vec![e.to_string()]),
                };
                Done::CorpusSearch { query, found, errors }
            }
            Job::Titles { mut entries } => {
                let warnings = crate::model::corpus::summarize_entries(&mut entries, done, cancel);
                Done::Titles { entries, warnings }
            }
            Job::Entities { corpus, codebook } => {
                let (index, claims) = super::entity_view::build_index(&corpus, &codebook, done, cancel);
                Done::Entities { index, claims }
            }
            Job::Stats { corpus, codebook, registry } => {
                let (picture, problems) =
                    super::stats_view::compute(&corpus, &codebook, registry.as_deref(), done, cancel);
                Done::Stats { picture: Box::new(picture), problems }
            }
        }
    }
}

impl App {
    /// Starts `job` unless one is running (one at a time: both read the whole corpus).
    pub(super) fn start(&mut self, what: String, total: usize, job: Job) -> Vec<Effect> {
        if self.busy.is_some() {
            self.info("still busy with the last search; Esc stops it");
            return vec![];
        }
        let busy = Busy { what, total, done: Arc::default(), cancel: Arc::default() };
        let effect = Effect::Start(Handle { job, done: busy.done.clone(), cancel: busy.cancel.clone() });
        self.busy = Some(busy);
        vec![effect]
    }

    /// Stops the running job, if any; its result is dropped when it arrives.
    pub(super) fn stop_job(&mut self) -> bool {
        match self.busy.take() {
            Some(b) => {
                b.cancel.store(true, Ordering::Relaxed);
                self.info(format!("stopped: {}", b.what));
                true
            }
            None => false,
        }
    }

    /// Asks for the titles the filter needs, once, when some are still unread.
    pub(super) fn want_titles(&mut self) -> Vec<Effect> {
        if self.corpus.all_summarized() || self.busy.is_some() {
            return vec![];
        }
        let entries = self.corpus.entries.clone();
        let n = entries.len();
        self.start("reading titles for the filter".into(), n, Job::Titles { entries })
    }
}

/// Takes a finished job in. A stopped one (cancelled, or superseded) is dropped.
pub(super) fn done(app: &mut App, result: Done) {
    if app.busy.take().is_none_or(|b| b.cancel.load(Ordering::Relaxed)) {
        return;
    }
    match result {
        Done::Entities { index, claims } => super::entity_view::indexed(app, index, claims),
        Done::Stats { picture, problems } => super::stats_view::computed(app, *picture, problems),
        Done::Titles { entries, warnings } => {
            // Only what the job read: anything summarised here meanwhile stays.
            for (mine, read) in app.corpus.entries.iter_mut().zip(entries) {
                if !mine.summarized && read.summarized && mine.path == read.path {
                    *mine = read;
                }
            }
            app.corpus.warnings.extend(warnings);
            app.refilter();
        }
        Done::CorpusSearch { query, found, errors } => {
            let matches: usize = found.iter().map(|(_, _, n)| n).sum();
            app.list.content_filter = Some((query.clone(), found.iter().map(|(i, _, _)| *i).collect()));
            app.search = Search::new(&query);
            app.refilter();
            app.list.selected = 0;
            let n = app.list.visible.len();
            let unread = if errors.is_empty() { String::new() } else { format!(" ({} unreadable)", errors.len()) };
            if !matches!(app.overlay, Overlay::Prompt { .. }) {
                app.info(format!(
                    "{n} article(s) contain “{query}” on {matches} line(s){unread} — Enter opens one, n finds it, Esc clears"
                ));
            }
        }
    }
}
