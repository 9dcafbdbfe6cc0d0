//! The registry's entities as exports write them, resolved once per export.
//!
//! A merge never rewrites mentions (they keep the id they were linked with), so every
//! export must follow `merged_into` to say who a mention is. Resolving, and naming each
//! attribute value through the codebook, is done here once for the whole registry; the
//! result is shared (an `Arc`) by every loader thread and every article, so a streamed
//! export's memory still holds a few articles, plus one small record per entity.

use crate::model::annotation::Annotation;
use crate::model::codebook::Codebook;
use crate::model::entities::{EntityId, Registry};
use std::collections::HashMap;
use std::sync::Arc;

/// The URN prefix of an entity that has no Wikidata id, and brat's normalisation
/// database name for newsnote's registry.
pub const NAMESPACE: &str = "newsnote";

/// One entity attribute's value, by its codebook id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityValue {
    /// The attribute's id (`type`).
    pub attribute: String,
    /// The value as files store it (`official`; several-of values joined with `; `).
    pub value: String,
    /// The value's name in the codebook (`official`), for people.
    pub name: String,
}

/// What a mention's entity is, resolved through merges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportEntity {
    /// The id of the entity the mention stands for now (the merge target's, after a merge).
    pub id: EntityId,
    /// The canonical name; `None` when the registry lacks the entity (the id is still
    /// exported: a link is never dropped because the registry is missing or older).
    pub name: Option<String>,
    /// The set values of the codebook's entity attributes, in codebook order.
    pub values: Vec<EntityValue>,
    /// The Wikidata id (`Q1234`), when known.
    pub wikidata: Option<String>,
}

impl ExportEntity {
    /// The value of entity attribute `attribute`, if set.
    pub fn value(&self, attribute: &str) -> Option<&EntityValue> {
        self.values.iter().find(|v| v.attribute == attribute)
    }

    /// A stable IRI for the entity: its Wikidata entity when known, else a URN of its id.
    pub fn iri(&self) -> String {
        match &self.wikidata {
            Some(q) => format!("http://www.wikidata.org/entity/{q}"),
            None => format!("urn:{NAMESPACE}:entity:{}", self.id),
        }
    }

    /// The name, or the id when the registry lacks the entity.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(self.id.as_str())
    }
}

/// Every entity of a registry, resolved, by the ids mentions may carry (merged ones
/// included). Empty without a registry: mentions are then exported with their ids alone.
#[derive(Debug, Default)]
pub struct Entities {
    by_id: HashMap<EntityId, Arc<ExportEntity>>,
}

impl Entities {
    /// Resolves every entity of `registry`, naming attribute values with `cb`.
    pub fn of(registry: &Registry, cb: &Codebook) -> Self {
        let mut by_id = HashMap::new();
        let mut resolved: HashMap<EntityId, Arc<ExportEntity>> = HashMap::new();
        for e in registry.all() {
            let Some(target) = registry.resolve(&e.id) else { continue };
            let shared = resolved
                .entry(target.id.clone())
                .or_insert_with(|| {
                    let values = cb
                        .entity_attributes()
                        .iter()
                        .filter_map(|d| {
                            let v = target.attributes.get(&d.id)?;
                            Some(EntityValue {
                                attribute: d.id.clone(),
                                value: super::csv::value_cell(v),
                                name: cb.entity_value_name(&d.id, v),
                            })
                        })
                        .collect();
                    Arc::new(ExportEntity {
                        id: target.id.clone(),
                        name: Some(target.name.clone()),
                        values,
                        wikidata: target.wikidata.clone().filter(|q| !q.trim().is_empty()),
                    })
                })
                .clone();
            by_id.insert(e.id.clone(), shared);
        }
        Self { by_id }
    }

    /// The entities of an optional registry, ready to share with loader threads.
    pub fn shared(registry: Option<&Registry>, cb: &Codebook) -> Arc<Self> {
        Arc::new(registry.map(|r| Self::of(r, cb)).unwrap_or_default())
    }

    /// What `id` stands for: the resolved entity, or the id alone when the registry lacks it.
    pub fn get(&self, id: &EntityId) -> Arc<ExportEntity> {
        self.by_id.get(id).cloned().unwrap_or_else(|| {
            Arc::new(ExportEntity { id: id.clone(), name: None, values: Vec::new(), wikidata: None })
        })
    }

    /// The entity a mention is linked to, if it is linked.
    pub fn of_mention(&self, a: &Annotation) -> Option<Arc<ExportEntity>> {
        a.entity.as_ref().map(|id| self.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::AttrValue;

    fn registry() -> Registry {
        let dir = std::env::temp_dir();
        let mut r = Registry::empty(&dir.join("newsnote-export-entities-never-written.ron"));
        let (a, c) = r.add("Дмитрий Песков", &["Песков"], "ана").unwrap();
        r.apply(&[c]).unwrap();
        let c = r.set_attribute(&a, "type", Some(AttrValue::One("official".into()))).unwrap();
        r.apply(&[c]).unwrap();
        let (b, c) = r.add("Пресс-секретарь", &[], "ана").unwrap();
        r.apply(&[c]).unwrap();
        let cs = r.merge(&b, &a).unwrap();
        r.apply(&cs).unwrap();
        r
    }

    #[test]
    fn a_merged_entity_is_exported_as_the_one_it_was_merged_into() {
        let r = registry();
        let cb = Codebook::default_scheme();
        let ents = Entities::of(&r, cb);
        let merged = r.find("Пресс-секретарь").map(|e| e.id.clone());
        let old = r.all().iter().find(|e| e.merged_into.is_some()).unwrap().id.clone();
        let e = ents.get(&old);
        assert_eq!(e.name.as_deref(), Some("Дмитрий Песков"));
        assert_eq!(Some(e.id.clone()), merged);
        assert_eq!(e.value("type").map(|v| v.value.as_str()), Some("official"));
    }

    #[test]
    fn an_entity_the_registry_lacks_keeps_its_id_and_has_no_name() {
        let e = Entities::default().get(&EntityId::new("пропавший"));
        assert_eq!((e.id.as_str(), e.name.as_deref()), ("пропавший", None));
        assert_eq!(e.iri(), "urn:newsnote:entity:пропавший");
    }
}
