//! The corpus's entities: one person or organisation, many mentions, in every article.
//!
//! Sourcing studies ask who gets to speak, so "Kremlin spokesman Dmitry Peskov", "Peskov"
//! and a "he" that refers to him must count as one source. A Source span keeps the words the
//! article used and names an [`Entity`] of the corpus's registry (`sources.ron` at the corpus
//! root, or the file the codebook names): its canonical name, aliases, the codebook's entity
//! attributes (source type, gender…), a Wikidata id and a note.
//!
//! The registry is shared by every article and every coder, so it is saved exactly like an
//! annotation file: through `model::save` (the folder's lock, three-way merge by id, the
//! conflicts sidecar, the atomic write). Two coders adding the same person at once give one
//! id (ids are slugs of the name) and [`Record::combine`] makes them one entity with both
//! sets of aliases, so nothing is lost and nothing is doubled.
//!
//! Merging two entities does not rewrite mentions: the absorbed entity stays in the file
//! with `merged_into` set, and every lookup resolves through it ([`Registry::resolve`]). So a
//! merge is one atomic write of one file, undone by another; mentions in every article, in
//! every coder's folder and on every git branch follow it, including ones made later from a
//! stale copy of the registry.

pub mod index;
mod names;
mod propose;
mod store;

pub use names::{name_from_mention, normalize, slug};
pub use propose::{Proposal, Why, fuzzy_rank, propose};
pub use store::{ENTITIES_FORMAT, EntityFile};

use super::annotation::{AttrValue, now_rfc3339 as now};
use super::save::{Conflict, Record, SaveReport, SaveRequest, Stamp};
use super::store::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

/// An entity's id: a slug of its name when it was made (`dmitry-peskov`), stable after
/// (renaming keeps it), so annotation files and diffs stay readable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(pub String);

impl EntityId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One person, office or organisation that articles cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub id: EntityId,
    /// The canonical name reports use.
    pub name: String,
    /// Other names the articles use for it ("Peskov", "Kremlin spokesman Dmitry Peskov").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Values of the codebook's entity attributes, by attribute id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, AttrValue>,
    /// A Wikidata item id (`Q…`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Set when this entity was merged into another: it is that one now. Kept, not deleted,
    /// so every mention of it anywhere still resolves, and the merge can be undone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<EntityId>,
    pub author: String,
    /// RFC 3339, UTC.
    pub created: String,
    /// RFC 3339, UTC.
    pub modified: String,
}

impl Entity {
    pub fn new(id: EntityId, name: &str, author: &str) -> Self {
        let now = now();
        Self {
            id,
            name: name.trim().to_owned(),
            aliases: Vec::new(),
            attributes: BTreeMap::new(),
            wikidata: None,
            note: None,
            merged_into: None,
            author: author.to_owned(),
            created: now.clone(),
            modified: now,
        }
    }

    /// The name and every alias.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether `name` is already the name or an alias (compared as [`normalize`] does).
    pub fn has_name(&self, name: &str) -> bool {
        let n = normalize(name);
        self.names().any(|m| normalize(m) == n)
    }

    /// Takes what `other` knows that this lacks: its names as aliases, its attribute values
    /// and Wikidata id where this has none (a merge, two writers' one person).
    fn absorb(&mut self, other: &Entity) {
        for n in other.names() {
            self.add_alias(n);
        }
        for (k, v) in &other.attributes {
            self.attributes.entry(k.clone()).or_insert_with(|| v.clone());
        }
        self.wikidata = self.wikidata.take().or_else(|| other.wikidata.clone());
    }

    /// Adds `alias` unless the entity already goes by it; whether it was added.
    pub fn add_alias(&mut self, alias: &str) -> bool {
        let alias = alias.trim();
        if alias.is_empty() || self.has_name(alias) {
            return false;
        }
        self.aliases.push(alias.to_owned());
        true
    }
}

impl Record for Entity {
    type Id = EntityId;
    fn id(&self) -> &EntityId {
        &self.id
    }

    /// Two writers made an entity under one id: the same name, so the same person. Theirs is
    /// kept with our name (if it differs) and aliases added, and our attribute values where
    /// theirs has none. A value both set differently cannot be one entity: a conflict.
    fn combine(mine: &Self, theirs: &Self) -> Option<Self> {
        let clash = mine.attributes.iter().any(|(k, v)| theirs.attributes.get(k).is_some_and(|t| t != v))
            || (mine.wikidata.is_some() && theirs.wikidata.is_some() && mine.wikidata != theirs.wikidata)
            || mine.merged_into != theirs.merged_into;
        if clash {
            return None;
        }
        let mut one = theirs.clone();
        one.absorb(mine);
        one.note = match (&theirs.note, &mine.note) {
            (Some(t), Some(m)) if t != m => Some(format!("{t}\n{m}")),
            (t, m) => t.clone().or_else(|| m.clone()),
        };
        Some(one)
    }
}

/// One change to the registry: an entity as it was and as it is after (`None`: absent).
/// Undo applies the inverse; a change is the unit of the undo history.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub before: Option<Entity>,
    pub after: Option<Entity>,
}

impl Change {
    pub fn inverse(&self) -> Self {
        Self { before: self.after.clone(), after: self.before.clone() }
    }

    fn id(&self) -> &EntityId {
        self.after.as_ref().or(self.before.as_ref()).map(|e| &e.id).expect("a change has a side")
    }
}

/// Why a registry operation could not be done, in words for the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntityError {
    #[error("no entity {0:?} in the registry")]
    Unknown(String),
    #[error("{0} was merged into {1}; change {1} instead")]
    Merged(String, String),
    #[error("an entity cannot be merged into itself")]
    SelfMerge,
    #[error("{0} changed since (another writer?); nothing was done")]
    Stale(String),
    #[error("{0}")]
    Invalid(String),
}

/// The registry of one corpus, as this writer last read or wrote it, with what a save needs
/// (the merge base, the hash and stamp of the bytes last seen).
#[derive(Debug, Clone)]
pub struct Registry {
    pub path: PathBuf,
    file: EntityFile,
    base: Vec<Entity>,
    expected: Option<u64>,
    stamp: Option<Stamp>,
    by_id: HashMap<EntityId, usize>,
    /// Each entity's names as [`normalize`] gives them, in `file.entities` order: built once
    /// per change, so proposing an entity for a new mention costs no normalising of the
    /// whole registry per key.
    normal: Vec<Vec<String>>,
    /// Unresolved conflicts of the sidecar, as last read or saved.
    pub pending: Vec<Conflict<Entity>>,
    /// Changed since the last save.
    pub dirty: bool,
}

impl Registry {
    /// An empty registry that will be written to `path`.
    pub fn empty(path: &Path) -> Self {
        let mut r = Self {
            path: path.to_owned(),
            file: EntityFile::new(Vec::new()),
            base: Vec::new(),
            expected: None,
            stamp: None,
            by_id: HashMap::new(),
            normal: Vec::new(),
            pending: Vec::new(),
            dirty: false,
        };
        r.reindex();
        r
    }

    /// Reads the registry at `path`; an empty one when there is no file yet. A file that
    /// cannot be read exactly is an error (file:line:column), never replaced.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut r = Self::empty(path);
        r.reload()?;
        Ok(r)
    }

    /// Where a corpus's registry is: `flag` (`--entities FILE`) if given; else the
    /// codebook's file (`sources.ron`) at the corpus root, shared by every coder. With
    /// `--annotations DIR`, the one in DIR when the root has none, so one coder's folder
    /// keeps all of its coding together (a team puts one at the root). `None` when the
    /// codebook has no entities.
    pub fn locate(
        flag: Option<&Path>,
        corpus: &super::corpus::Corpus,
        codebook: &super::codebook::Codebook,
    ) -> Option<PathBuf> {
        if let Some(f) = flag {
            return Some(f.to_owned());
        }
        let file = &codebook.entities.as_ref()?.file;
        let at_root = corpus.root.join(file);
        match &corpus.annotations {
            super::corpus::AnnotationRoot::Mirrored(dir) if !at_root.exists() => Some(dir.join(file)),
            _ => Some(at_root),
        }
    }

    /// Reads the file again (after another writer changed it). Unsaved changes are lost, so
    /// callers save first.
    pub fn reload(&mut self) -> Result<(), StoreError> {
        let stamp = Stamp::of(&self.path);
        let read = |source| StoreError::Read { path: self.path.clone(), source };
        let (file, expected) = match super::fsio::read_regular(&self.path).map_err(read)? {
            None => (EntityFile::new(Vec::new()), None),
            Some(bytes) => {
                let hash = super::fsio::file_hash(&bytes);
                (EntityFile::parse_bytes(&self.path, &bytes)?, Some(hash))
            }
        };
        self.base = file.entities.clone();
        self.file = file;
        self.expected = expected;
        self.stamp = stamp;
        self.pending = <EntityFile as super::save::RecordFile>::load_conflicts(&self.path)?;
        self.dirty = false;
        self.reindex();
        Ok(())
    }

    /// The stamp of the file when last read or written.
    pub fn stamp(&self) -> Option<Stamp> {
        self.stamp
    }

    /// The file as this registry holds it (for a rescue copy).
    pub fn file(&self) -> EntityFile {
        self.file.clone()
    }

    /// Whether the file on disk is no longer what this registry last read or wrote.
    pub fn changed_on_disk(&self) -> bool {
        Stamp::of(&self.path) != self.stamp
    }

    fn reindex(&mut self) {
        self.file.entities.sort_by(|a, b| a.id.cmp(&b.id));
        self.by_id = self.file.entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        self.normal = self.file.entities.iter().map(|e| e.names().map(normalize).collect()).collect();
    }

    /// The names of `id` (its name and aliases) as [`normalize`] gives them.
    pub fn normal_names(&self, id: &EntityId) -> &[String] {
        self.by_id.get(id).map_or(&[], |&i| &self.normal[i])
    }

    /// Every entity, merged ones included, sorted by id.
    pub fn all(&self) -> &[Entity] {
        &self.file.entities
    }

    /// The entities that stand for themselves (not merged into another), sorted by id.
    pub fn live(&self) -> impl Iterator<Item = &Entity> {
        self.file.entities.iter().filter(|e| e.merged_into.is_none())
    }

    pub fn get(&self, id: &EntityId) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.file.entities[i])
    }

    /// The entity `id` stands for now: itself, or what it was merged into (followed to the
    /// end, a cycle stopping where it closes). `None` when no such entity exists.
    pub fn resolve(&self, id: &EntityId) -> Option<&Entity> {
        let mut e = self.get(id)?;
        for _ in 0..self.file.entities.len() {
            match e.merged_into.as_ref().and_then(|to| self.get(to)) {
                Some(next) if next.id != *id => e = next,
                _ => break,
            }
        }
        Some(e)
    }

    /// The entity a name or id means: an id, else a live entity with that name or alias.
    pub fn find(&self, name_or_id: &str) -> Option<&Entity> {
        self.resolve(&EntityId::new(name_or_id)).or_else(|| self.live().find(|e| e.has_name(name_or_id)))
    }

    /// A fresh id for an entity called `name`: its slug, with `-2`, `-3`… while taken.
    pub fn fresh_id(&self, name: &str) -> EntityId {
        let base = slug(name);
        let mut id = EntityId::new(base.clone());
        let mut n = 2;
        while self.by_id.contains_key(&id) {
            id = EntityId::new(format!("{base}-{n}"));
            n += 1;
        }
        id
    }

    /// Applies changes made on this version (each `before` must be what the registry holds).
    pub fn apply(&mut self, changes: &[Change]) -> Result<(), EntityError> {
        for c in changes {
            if self.get(c.id()) != c.before.as_ref() {
                return Err(EntityError::Stale(c.id().to_string()));
            }
        }
        for c in changes {
            let id = c.id().clone();
            self.file.entities.retain(|e| e.id != id);
            if let Some(after) = &c.after {
                self.file.entities.push(after.clone());
            }
        }
        self.dirty |= !changes.is_empty();
        self.reindex();
        Ok(())
    }

    /// A new entity called `name` (with `aliases` and attribute values): the change and its id.
    pub fn add(&self, name: &str, aliases: &[&str], author: &str) -> Result<(EntityId, Change), EntityError> {
        if name.trim().is_empty() {
            return Err(EntityError::Invalid("an entity needs a name".into()));
        }
        let id = self.fresh_id(name);
        let mut e = Entity::new(id.clone(), name, author);
        for a in aliases {
            e.add_alias(a);
        }
        Ok((id, Change { before: None, after: Some(e) }))
    }

    /// `id` as it is, ready to be changed: a live entity (a merged one is changed through
    /// the one it was merged into).
    fn editable(&self, id: &EntityId) -> Result<Entity, EntityError> {
        let e = self.get(id).ok_or_else(|| EntityError::Unknown(id.to_string()))?;
        if let Some(to) = &e.merged_into {
            return Err(EntityError::Merged(e.name.clone(), to.to_string()));
        }
        Ok(e.clone())
    }

    fn change(&self, before: Entity, mut after: Entity) -> Change {
        after.modified = now();
        Change { before: Some(before), after: Some(after) }
    }

    /// Renames `id`; the old name stays an alias, so mentions that used it still match.
    pub fn rename(&self, id: &EntityId, name: &str) -> Result<Change, EntityError> {
        let before = self.editable(id)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(EntityError::Invalid("an entity needs a name".into()));
        }
        let mut after = before.clone();
        let old = std::mem::replace(&mut after.name, name.to_owned());
        after.aliases.retain(|a| normalize(a) != normalize(name));
        after.add_alias(&old);
        Ok(self.change(before, after))
    }

    /// Adds `alias` to `id`; `None` when it already goes by that name.
    pub fn alias(&self, id: &EntityId, alias: &str) -> Result<Option<Change>, EntityError> {
        let before = self.editable(id)?;
        let mut after = before.clone();
        Ok(after.add_alias(alias).then(|| self.change(before, after)))
    }

    /// Sets (or with `None` clears) an entity attribute.
    pub fn set_attribute(
        &self,
        id: &EntityId,
        attribute: &str,
        value: Option<AttrValue>,
    ) -> Result<Change, EntityError> {
        let before = self.editable(id)?;
        let mut after = before.clone();
        match value {
            Some(v) => after.attributes.insert(attribute.to_owned(), v),
            None => after.attributes.remove(attribute),
        };
        Ok(self.change(before, after))
    }

    /// Sets the Wikidata id and the note (`None` leaves a field as it is).
    pub fn describe(
        &self,
        id: &EntityId,
        wikidata: Option<String>,
        note: Option<String>,
    ) -> Result<Change, EntityError> {
        let before = self.editable(id)?;
        let mut after = before.clone();
        if let Some(w) = wikidata {
            after.wikidata = (!w.trim().is_empty()).then(|| w.trim().to_owned());
        }
        if let Some(n) = note {
            after.note = (!n.trim().is_empty()).then_some(n);
        }
        Ok(self.change(before, after))
    }

    /// `from` is `into`: `into` takes its names as aliases and the attribute values and
    /// Wikidata id it lacks; `from` is kept, marked `merged_into`, so every mention of it
    /// follows. Two changes, undone together.
    pub fn merge(&self, from: &EntityId, into: &EntityId) -> Result<Vec<Change>, EntityError> {
        let (a, b) = (self.editable(from)?, self.editable(into)?);
        if a.id == b.id {
            return Err(EntityError::SelfMerge);
        }
        let mut absorbed = a.clone();
        absorbed.merged_into = Some(b.id.clone());
        let mut kept = b.clone();
        kept.absorb(&a);
        Ok(vec![self.change(a, absorbed), self.change(b, kept)])
    }

    /// Undoes the merge of `from`: it stands for itself again, and the names it brought are
    /// taken off the entity it was merged into. (The undo history restores a merge exactly;
    /// this is for one made in another session.)
    pub fn unmerge(&self, from: &EntityId) -> Result<Vec<Change>, EntityError> {
        let a = self.get(from).ok_or_else(|| EntityError::Unknown(from.to_string()))?.clone();
        let Some(into) = a.merged_into.clone() else {
            return Err(EntityError::Invalid(format!("{} is not merged into another entity", a.name)));
        };
        let mut freed = a.clone();
        freed.merged_into = None;
        let mut out = vec![self.change(a.clone(), freed)];
        if let Some(b) = self.get(&into) {
            let mut kept = b.clone();
            let brought: Vec<String> = a.names().map(normalize).collect();
            kept.aliases.retain(|n| !brought.contains(&normalize(n)));
            if kept != *b {
                out.push(self.change(b.clone(), kept));
            }
        }
        Ok(out)
    }

    /// A save request for the registry's file, through the one save path.
    pub fn save_request(&self) -> SaveRequest<EntityFile> {
        let mut req = SaveRequest::new(&self.path, self.file.clone(), self.base.clone(), self.expected);
        req.stamp = self.stamp;
        req
    }

    /// Takes what a save did: the entities on disk become the base (and what this holds).
    pub fn saved(&mut self, report: &SaveReport<Entity>) {
        self.file.entities = report.annotations.clone();
        self.base = report.annotations.clone();
        self.expected = Some(report.hash);
        self.stamp = report.stamp;
        self.pending = report.pending.clone();
        self.dirty = false;
        self.reindex();
    }

    /// Saves now (the CLI's way; the TUI sends the request to its loop).
    pub fn save(&mut self) -> Result<SaveReport<Entity>, StoreError> {
        let report = super::save::save(self.save_request())?;
        self.saved(&report);
        Ok(report)
    }
}

#[cfg(test)]
mod tests;
