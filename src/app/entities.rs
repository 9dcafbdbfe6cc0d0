//! The corpus's entity registry as the app holds it.
//!
//! Every change to it goes through [`App::change_entities`]: applied to the registry in
//! memory, recorded for undo, and saved at once by the loop through the one save path
//! (`Effect::SaveEntities`, reported back as `Msg::EntitiesSaved`), exactly as an article's
//! annotations are. A failed save keeps the changes in memory, says so, and is retried by the
//! next change and by `q`; quitting with it still failing asks, and `D` keeps a rescue copy.
//! While idle the loop notices another writer's save (`watched_entities`) and the registry
//! is read again, unless it holds changes of ours not yet on disk (the next save merges).

use super::{App, Effect};
use crate::model::entities::{Change, Entity, EntityError, EntityFile, Registry};
use crate::model::save::SaveReport;
use crate::model::store::StoreError;

/// Undo and redo of registry changes (a merge is one step of two changes).
#[derive(Debug, Clone, Default)]
pub struct EntityHistory {
    pub undo: Vec<Vec<Change>>,
    pub redo: Vec<Vec<Change>>,
    /// Registry steps made together with an article step (see `mentions::Tie`), for undo
    /// and for redo.
    pub ties: Vec<super::mentions::Tie>,
    pub redo_ties: Vec<super::mentions::Tie>,
}

impl App {
    /// Starts coding with the corpus's registry (`None`: the codebook has no entities).
    pub fn with_registry(mut self, registry: Option<Registry>) -> Self {
        self.registry = registry;
        self
    }

    /// Applies `changes` to the registry as one undo step and asks the loop to save it.
    /// Nothing happens (and the error says why) when the registry changed under them.
    pub fn change_entities(&mut self, changes: Vec<Change>) -> Result<Vec<Effect>, EntityError> {
        let Some(r) = self.registry.as_mut() else {
            return Err(EntityError::Invalid("the codebook defines no entities".into()));
        };
        if changes.is_empty() {
            return Ok(vec![]);
        }
        r.apply(&changes)?;
        self.entity_history.undo.push(changes);
        self.entity_history.redo.clear();
        self.entity_history.redo_ties.clear();
        Ok(self.save_entities())
    }

    /// Undoes the last registry step; `false` when there is none.
    pub fn undo_entities(&mut self) -> Result<Option<Vec<Effect>>, EntityError> {
        self.step_entities(true)
    }

    /// Redoes the last undone registry step.
    pub fn redo_entities(&mut self) -> Result<Option<Vec<Effect>>, EntityError> {
        self.step_entities(false)
    }

    fn step_entities(&mut self, undo: bool) -> Result<Option<Vec<Effect>>, EntityError> {
        let (from, to) = if undo {
            (&mut self.entity_history.undo, &mut self.entity_history.redo)
        } else {
            (&mut self.entity_history.redo, &mut self.entity_history.undo)
        };
        let Some(step) = from.pop() else { return Ok(None) };
        let inverse: Vec<Change> = step.iter().rev().map(Change::inverse).collect();
        let Some(r) = self.registry.as_mut() else { return Ok(None) };
        if let Err(e) = r.apply(&inverse) {
            // Another writer changed these entities since: the step stays where it was.
            from.push(step);
            return Err(e);
        }
        // What was just applied goes to the other stack as it is: inverting it there gives
        // back the step popped here (pushing the popped step instead made every redo try to
        // undo again, and fail as stale).
        to.push(inverse);
        Ok(Some(self.save_entities()))
    }

    /// The save of the registry as it is now.
    pub(super) fn save_entities(&self) -> Vec<Effect> {
        self.registry.iter().map(|r| Effect::SaveEntities(Box::new(r.save_request()))).collect()
    }

    /// Whether the registry holds changes a save could not write.
    pub fn entities_unsaved(&self) -> bool {
        self.entities_failed.is_some() && self.registry.as_ref().is_some_and(|r| r.dirty)
    }

    /// The registry's file and the stamp it had when last read or written, for the loop's
    /// idle check.
    pub fn watched_entities(&self) -> Option<(std::path::PathBuf, Option<crate::model::save::Stamp>)> {
        let r = self.registry.as_ref()?;
        Some((r.path.clone(), r.stamp()))
    }

    /// Another writer saved the registry: read it again, unless ours has changes not on disk.
    pub(super) fn reload_entities_if_changed(&mut self) {
        let Some(r) = self.registry.as_mut() else { return };
        if r.dirty || !r.changed_on_disk() {
            return;
        }
        let before = r.live().count();
        match r.reload() {
            Ok(()) => {
                let now = r.live().count();
                if now != before {
                    self.info(format!("entities reloaded (another writer): {before} → {now}"));
                }
            }
            Err(e) => self.error(format!("the entity registry cannot be read: {e}")),
        }
    }

    /// The quit dialog's line for the registry, when its changes are not on disk.
    pub(super) fn entities_unsaved_report(&self) -> Option<String> {
        let r = self.registry.as_ref().filter(|_| self.entities_unsaved())?;
        let why = self.entities_failed.clone().unwrap_or_default();
        Some(format!("{}: entity changes — {why}", r.path.display()))
    }
}

/// A registry save reported back.
pub(super) fn saved(app: &mut App, result: &Result<SaveReport<Entity>, StoreError>) {
    match result {
        Err(e) => {
            let why = e.to_string();
            app.entities_failed = Some(why.clone());
            app.error(format!(
                "entities NOT SAVED: {why}. Your change is kept in memory; the next change or q retries"
            ));
        }
        Ok(report) => {
            app.entities_failed = None;
            if let Some(r) = app.registry.as_mut() {
                r.saved(report);
            }
            let n = report.conflicts.len();
            if n > 0 {
                app.error(format!(
                    "{n} entity conflict(s) with another writer: the registry keeps their version, yours is in {}",
                    crate::model::save::conflicts_path(&report_path(app)).display()
                ));
            } else if report.merged > 0 {
                app.info(format!("entities: merged {} change(s) from another writer", report.merged));
            }
        }
    }
    super::saving::count_quit_report(app);
}

fn report_path(app: &App) -> std::path::PathBuf {
    app.registry.as_ref().map(|r| r.path.clone()).unwrap_or_default()
}

/// What `D` keeps of the registry when its save still fails.
pub(super) fn rescue(app: &App) -> Option<EntityFile> {
    app.registry.as_ref().filter(|_| app.entities_unsaved()).map(Registry::file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Keymap;
    use crate::model::corpus::{AnnotationRoot, Corpus};

    #[test]
    fn redo_after_undo_applies_the_registry_step_again() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("статья.txt"), "Песков сказал.\n").unwrap();
        let corpus = Corpus::open(dir.path(), AnnotationRoot::NextToArticles).unwrap();
        let registry = Registry::empty(&dir.path().join("sources.ron"));
        let mut app = App::new(corpus, "t".into(), Keymap::default_map(), ratatui::layout::Rect::new(0, 0, 80, 24))
            .with_registry(Some(registry));
        let (id, add) = app.registry.as_ref().unwrap().add("Дмитрий Песков", &[], "t").unwrap();
        app.change_entities(vec![add]).unwrap();
        let rename = app.registry.as_ref().unwrap().rename(&id, "Д. С. Песков").unwrap();
        app.change_entities(vec![rename]).unwrap();
        for _ in 0..2 {
            assert!(app.undo_entities().unwrap().is_some());
        }
        assert!(app.registry.as_ref().unwrap().get(&id).is_none());
        for _ in 0..2 {
            assert!(app.redo_entities().unwrap().is_some(), "redo applies the step, it does not undo it again");
        }
        assert_eq!(app.registry.as_ref().unwrap().get(&id).unwrap().name, "Д. С. Песков");
        assert!(app.undo_entities().unwrap().is_some());
        assert_eq!(app.registry.as_ref().unwrap().get(&id).unwrap().name, "Дмитрий Песков");
    }
}
