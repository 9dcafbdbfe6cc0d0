//! Saves as the app sees them: what a save's report means for the screen, what is not on
//! disk yet, and quitting (every `q` retries; a failure still there is named in the quit
//! dialog, and only an explicit `D` discards it, after a rescue copy).

use super::{Action, App, Effect, Overlay, SaveState};
use crate::model::document::Document;
use crate::model::save::SaveReport;
use crate::model::store::StoreError;

/// What an article's unsaved changes are, counted against what is on disk: for the words of
/// the quit dialog.
pub fn unsaved_changes(doc: &Document) -> String {
    let (mut added, mut changed, mut deleted) = (0, 0, 0);
    for a in &doc.annotations {
        match doc.base.iter().find(|b| b.id == a.id) {
            None => added += 1,
            Some(b) if b != a => changed += 1,
            _ => {}
        }
    }
    deleted += doc.base.iter().filter(|b| doc.get(&b.id).is_none()).count();
    let parts: Vec<String> = [(added, "added"), (changed, "changed"), (deleted, "deleted")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect();
    let conflicts = doc.conflicts_added.len() + doc.conflicts_resolved.len();
    let mut s = if parts.is_empty() { "no annotation changes".to_string() } else { parts.join(", ") };
    if conflicts > 0 {
        s.push_str(&format!(", {conflicts} conflict change(s)"));
    }
    s
}

impl App {
    /// Articles with changes not on disk: the open one if its save failed, and parked ones.
    pub fn unsaved_count(&self) -> usize {
        self.unsaved.len()
            + usize::from(matches!(self.save, SaveState::Failed(_)) && self.open.is_some())
            + usize::from(self.entities_unsaved())
    }

    /// Every article with changes not on disk: the open one if its save failed, and parked ones.
    pub fn unsaved_docs(&self) -> impl Iterator<Item = (usize, &Document)> {
        let open = self.open.iter().filter(|_| matches!(self.save, SaveState::Failed(_))).map(|o| (o.entry, &o.doc));
        open.chain(self.unsaved.iter().map(|(e, (d, _))| (*e, d)))
    }

    /// Save requests for every article with changes not on disk.
    pub(super) fn retry_saves(&self) -> Vec<Effect> {
        let mut out: Vec<Effect> = self.unsaved_docs().map(|(entry, doc)| Effect::save(entry, doc)).collect();
        if self.entities_unsaved() {
            out.extend(self.save_entities());
        }
        out
    }

    /// Why each unsaved article could not be saved, with what it holds: the quit dialog's lines.
    pub fn unsaved_report(&self) -> Vec<String> {
        let why = |entry: usize| match (&self.save, self.unsaved.get(&entry)) {
            (_, Some((_, why))) => why.clone(),
            (SaveState::Failed(why), None) => why.clone(),
            _ => String::new(),
        };
        self.unsaved_docs()
            .map(|(entry, doc)| format!("{}: {} — {}", doc.article.id, unsaved_changes(doc), why(entry)))
            .chain(self.entities_unsaved_report())
            .collect()
    }

    /// Quits, leaving a note for the terminal about conflicts still waiting (they are on disk:
    /// quitting loses nothing, but the person should know).
    pub(super) fn quit_now(&mut self) {
        self.should_quit = true;
        self.exit_notes.extend(super::coders::exit_notes(self));
        let mut waiting: Vec<(String, usize)> = Vec::new();
        if let Some(o) = &self.open {
            waiting.push((o.doc.article.id.clone(), o.doc.conflicts.len()));
        }
        waiting.extend(self.unsaved.values().map(|(d, _)| (d.article.id.clone(), d.conflicts.len())));
        for (id, n) in waiting.into_iter().filter(|(_, n)| *n > 0) {
            self.exit_notes.push(format!(
                "{id}: {n} unresolved conflict(s) with another writer remain, kept on disk beside its annotation file; \
                 open it and press ! to choose"
            ));
        }
    }
}

/// The quit keys, in any mode: `q` (retry, then quit or ask) and `D` in the quit dialog.
pub(super) fn quit(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit if app.unsaved_count() == 0 => {
            app.quit_now();
            vec![]
        }
        Action::Quit => {
            // Never drop a change silently: every q retries; what still fails is named in the
            // quit dialog, and only an explicit D discards it.
            app.overlay = Overlay::None;
            let effects = app.retry_saves();
            app.quit_pending = effects.len();
            effects
        }
        Action::DiscardAndQuit => {
            let docs = app.unsaved_docs().map(|(_, d)| (d.article.id.clone(), d.to_file())).collect();
            let entities = super::entities::rescue(app);
            app.exit_code = 3;
            app.quit_now();
            let mut out = vec![Effect::Rescue(docs)];
            out.extend(entities.map(Effect::RescueEntities));
            out
        }
        _ => vec![],
    }
}

/// The quit dialog takes `q` (retry), `D` (discard and quit); anything else steps back.
pub(super) fn update_dialog(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit | Action::DiscardAndQuit => quit(app, action),
        _ => {
            app.overlay = Overlay::None;
            vec![]
        }
    }
}

pub(super) fn saved(app: &mut App, entry: usize, result: &Result<SaveReport, StoreError>) {
    let is_open = app.open.as_ref().is_some_and(|o| o.entry == entry);
    match result {
        Err(e) => {
            let mut why = e.to_string();
            if let StoreError::Write { source, .. } = e
                && matches!(
                    source.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                )
            {
                why.push_str(
                    " — if the folder is read-only, restart with --annotations DIR to keep annotations elsewhere",
                );
            }
            // A file another writer left unreadable (or with one id twice) must not be
            // written at all until fixed: the document becomes read-only, as when opened so.
            let doc = if is_open {
                app.open.as_mut().map(|o| &mut o.doc)
            } else {
                app.unsaved.get_mut(&entry).map(|p| &mut p.0)
            };
            if let Some(doc) = doc.filter(|_| e.makes_read_only()) {
                doc.read_only = Some(e.to_string());
            }
            if is_open {
                app.save = SaveState::Failed(why.clone());
            } else if let Some(parked) = app.unsaved.get_mut(&entry) {
                parked.1 = why.clone();
            }
            app.error(format!("NOT SAVED: {why}. Your change is kept in memory; the next change or q retries"));
        }
        Ok(report) => {
            if is_open {
                app.save = SaveState::Saved;
            }
            let counts = match app.unsaved.remove(&entry) {
                Some((mut doc, _)) => {
                    doc.saved(report);
                    Some(doc.counts())
                }
                None => app.open.as_mut().filter(|_| is_open).map(|o| {
                    o.doc.saved(report);
                    o.doc.counts()
                }),
            };
            if let Some(counts) = counts {
                let e = &mut app.corpus.entries[entry];
                e.counts = counts;
                e.state = crate::model::corpus::FileState::Valid;
            }
            // What the action itself said follows the news of the save.
            let prior = app.message.take();
            let after = prior.as_ref().map(|m| format!(" — {}", m.text)).unwrap_or_default();
            let prior_error = prior.as_ref().is_some_and(|m| m.error);
            let name = report_path_name(app, entry);
            if report.vanished {
                app.error(format!(
                    "{name} had disappeared (deleted, git checkout/stash, or its folder moved); newsnote wrote back all \
                     {} annotation(s) it had{after}",
                    report.annotations.len()
                ));
            } else if report.changed_ours() {
                let n = report.conflicts.len();
                let mut parts = Vec::new();
                if report.merged > 0 {
                    parts.push(format!("merged {} change(s) from another writer", report.merged));
                }
                parts.extend(report.repairs.iter().cloned());
                let msg = parts.join("; ");
                if n > 0 {
                    let msg = if msg.is_empty() { msg } else { format!("; {msg}") };
                    app.error(format!(
                        "{n} conflict(s) with another writer: the file keeps their version, yours is saved beside it \
                         — press ! to choose{msg}{after}"
                    ));
                } else if prior_error {
                    app.error(format!("{msg}{after}"));
                } else {
                    app.info(format!("{msg}{after}"));
                }
            } else {
                app.message = prior;
            }
        }
    }
    count_quit_report(app);
}

/// One of the saves `q` retried reported back: after the last, quit or ask.
pub(super) fn count_quit_report(app: &mut App) {
    if app.quit_pending > 0 {
        app.quit_pending -= 1;
        if app.quit_pending == 0 {
            if app.unsaved_count() == 0 {
                app.quit_now();
            } else {
                app.overlay = Overlay::QuitConfirm;
            }
        }
    }
}

/// The annotation file's name as the user knows it (relative to the corpus when it can be).
fn report_path_name(app: &App, entry: usize) -> String {
    let p = &app.corpus.entries[entry].ron_path;
    p.strip_prefix(&app.corpus.root).unwrap_or(p).display().to_string()
}
