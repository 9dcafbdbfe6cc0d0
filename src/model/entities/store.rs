//! The registry's file: its layout, reading it with precise errors, writing it readably.
//!
//! One entity per block, sorted by id, one field per line (the annotation files' layout), so
//! two coders' additions are separate hunks of a git diff and a git merge of two registries
//! rarely conflicts; when it does, the file is refused until fixed, never overwritten.

use super::Entity;
use crate::model::save::{Conflict, RecordFile, read_sidecar, ron_error};
use crate::model::store::{StoreError, to_pretty_ron};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Version of the registry's layout.
pub const ENTITIES_FORMAT: u32 = 1;

/// What the `registry:` field of a newsnote entity file says, so that no other RON file
/// (an annotation file, a codebook) is taken for one and overwritten.
const KIND: &str = "newsnote entities";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityFile {
    pub format: u32,
    /// Always `"newsnote entities"`.
    pub registry: String,
    pub entities: Vec<Entity>,
}

/// The registry's conflicts sidecar (`sources.ron.conflicts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct EntityConflictFile {
    format: u32,
    registry: String,
    conflicts: Vec<Conflict<Entity>>,
}

impl EntityFile {
    pub fn new(mut entities: Vec<Entity>) -> Self {
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        Self { format: ENTITIES_FORMAT, registry: KIND.into(), entities }
    }

    /// Parses the file's bytes: UTF-8, RON, the right kind and a format this reads, no id
    /// twice. Every failure names the file and, where it can, the line and column.
    pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Self, StoreError> {
        let text =
            std::str::from_utf8(bytes).map_err(|e| StoreError::NotUtf8 { path: path.into(), at: e.valid_up_to() })?;
        let line_of = |field: &str| text.lines().position(|l| l.trim_start().starts_with(field)).map_or(1, |i| i + 1);
        let file: EntityFile = ron::from_str(text).map_err(ron_error(path))?;
        if file.registry != KIND {
            return Err(StoreError::Foreign {
                path: path.into(),
                line: line_of("registry:"),
                reason: format!("not a newsnote entity registry (registry: {:?})", file.registry),
            });
        }
        if file.format > ENTITIES_FORMAT {
            return Err(StoreError::Foreign {
                path: path.into(),
                line: line_of("format:"),
                reason: format!(
                    "registry format {} is newer than this newsnote understands ({ENTITIES_FORMAT}); upgrade newsnote",
                    file.format
                ),
            });
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = file.entities.iter().find(|e| !seen.insert(&e.id)) {
            return Err(StoreError::DuplicateId { path: path.into(), id: dup.id.to_string() });
        }
        Ok(file)
    }

    pub fn to_ron(&self) -> String {
        to_pretty_ron(self)
    }
}

impl RecordFile for EntityFile {
    type Rec = Entity;
    fn records(&self) -> &[Entity] {
        &self.entities
    }
    fn set_records(&mut self, mut records: Vec<Entity>) {
        records.sort_by(|a, b| a.id.cmp(&b.id));
        self.entities = records;
    }
    fn parse_theirs(&self, path: &Path, bytes: &[u8]) -> Result<Vec<Entity>, StoreError> {
        Ok(Self::parse_bytes(path, bytes)?.entities)
    }
    fn to_ron(&self) -> String {
        EntityFile::to_ron(self)
    }
    fn load_conflicts(path: &Path) -> Result<Vec<Conflict<Entity>>, StoreError> {
        let Some((side, text)) = read_sidecar(path)? else { return Ok(Vec::new()) };
        let file: EntityConflictFile = ron::from_str(&text).map_err(ron_error(&side))?;
        Ok(file.conflicts)
    }
    fn conflicts_ron(&self, conflicts: &[Conflict<Entity>]) -> String {
        to_pretty_ron(&EntityConflictFile {
            format: ENTITIES_FORMAT,
            registry: KIND.into(),
            conflicts: conflicts.to_vec(),
        })
    }
}
