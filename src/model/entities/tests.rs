use super::*;
use crate::model::codebook::Codebook;

fn cb() -> &'static Codebook {
    Codebook::default_scheme()
}

fn registry_in(dir: &Path) -> Registry {
    Registry::open(&dir.join("sources.ron")).unwrap()
}

fn added(r: &mut Registry, name: &str, aliases: &[&str]) -> EntityId {
    let (id, change) = r.add(name, aliases, "ana").unwrap();
    r.apply(&[change]).unwrap();
    id
}

fn with(r: &mut Registry, id: &EntityId, attr: &str, value: &str) {
    let c = r.set_attribute(id, attr, Some(AttrValue::One(value.into()))).unwrap();
    r.apply(&[c]).unwrap();
}

#[test]
fn a_missing_registry_opens_empty_and_saves_to_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry_in(dir.path());
    assert_eq!(r.all().len(), 0);
    let id = added(&mut r, "Дмитрий Песков", &["Песков"]);
    assert_eq!(id.as_str(), "дмитрий-песков");
    r.save().unwrap();
    let again = registry_in(dir.path());
    assert_eq!(again.get(&id).unwrap().aliases, ["Песков"]);
    let text = std::fs::read_to_string(dir.path().join("sources.ron")).unwrap();
    assert!(text.contains("registry: \"newsnote entities\""), "{text}");
    assert!(text.contains("\"Дмитрий Песков\""), "names stay readable in the file: {text}");
}

#[test]
fn two_writers_adding_entities_at_once_keep_both() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (registry_in(dir.path()), registry_in(dir.path()));
    let pa = added(&mut a, "Dmitry Peskov", &[]);
    let pb = added(&mut b, "Vladimir Putin", &[]);
    a.save().unwrap();
    let report = b.save().unwrap();
    assert_eq!(report.merged, 1, "b's save merges a's entity");
    let on_disk = registry_in(dir.path());
    assert!(on_disk.get(&pa).is_some() && on_disk.get(&pb).is_some());
}

#[test]
fn two_writers_adding_the_same_person_get_one_entity_with_both_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (registry_in(dir.path()), registry_in(dir.path()));
    let ia = added(&mut a, "Dmitry Peskov", &["Peskov"]);
    let ib = added(&mut b, "Dmitry Peskov", &["Kremlin spokesman Dmitry Peskov"]);
    assert_eq!(ia, ib, "the same name gives the same slug");
    with(&mut b, &ib, "type", "official");
    a.save().unwrap();
    let report = b.save().unwrap();
    assert!(report.conflicts.is_empty(), "{:?}", report.conflicts);
    let e = registry_in(dir.path()).get(&ia).unwrap().clone();
    assert!(e.has_name("Peskov") && e.has_name("Kremlin spokesman Dmitry Peskov"), "{e:?}");
    assert_eq!(e.attributes.get("type"), Some(&AttrValue::One("official".into())));
}

#[test]
fn the_same_person_added_with_different_types_is_a_conflict_kept_in_the_sidecar() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = (registry_in(dir.path()), registry_in(dir.path()));
    let id = added(&mut a, "Ana Lima", &[]);
    with(&mut a, &id, "type", "expert");
    added(&mut b, "Ana Lima", &[]);
    with(&mut b, &id, "type", "citizen");
    a.save().unwrap();
    let report = b.save().unwrap();
    assert_eq!(report.conflicts.len(), 1);
    let mine = report.conflicts[0].mine.as_ref().unwrap();
    assert_eq!(mine.attributes.get("type"), Some(&AttrValue::One("citizen".into())), "ours is in the sidecar");
    assert!(dir.path().join("sources.ron.conflicts").exists());
    assert_eq!(registry_in(dir.path()).pending.len(), 1, "the conflict is read again on open");
}

#[test]
fn a_merged_entity_resolves_to_the_one_it_was_merged_into_and_undo_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry_in(dir.path());
    let peskov = added(&mut r, "Dmitry Peskov", &[]);
    let spokesman = added(&mut r, "the Kremlin spokesman", &[]);
    with(&mut r, &spokesman, "gender", "man");
    let before: Vec<Entity> = r.all().to_vec();
    let merge = r.merge(&spokesman, &peskov).unwrap();
    r.apply(&merge).unwrap();
    assert_eq!(r.resolve(&spokesman).unwrap().id, peskov);
    let kept = r.get(&peskov).unwrap();
    assert!(kept.has_name("the Kremlin spokesman"));
    assert_eq!(kept.attributes.get("gender"), Some(&AttrValue::One("man".into())), "values it lacked are taken");
    assert_eq!(r.live().count(), 1);
    let undo: Vec<Change> = merge.iter().rev().map(Change::inverse).collect();
    r.apply(&undo).unwrap();
    assert_eq!(r.all(), before.as_slice());
}

#[test]
fn a_merge_chain_and_a_cycle_both_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry_in(dir.path());
    let (a, b, c) = (added(&mut r, "A", &[]), added(&mut r, "B", &[]), added(&mut r, "C", &[]));
    let m = r.merge(&a, &b).unwrap();
    r.apply(&m).unwrap();
    let m = r.merge(&b, &c).unwrap();
    r.apply(&m).unwrap();
    assert_eq!(r.resolve(&a).unwrap().id, c);
    // A hand-edited cycle must not hang a lookup.
    let mut looped = r.get(&c).unwrap().clone();
    looped.merged_into = Some(a.clone());
    r.apply(&[Change { before: r.get(&c).cloned(), after: Some(looped) }]).unwrap();
    assert!(r.resolve(&a).is_some());
}

#[test]
fn renaming_keeps_the_old_name_as_an_alias() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry_in(dir.path());
    let id = added(&mut r, "Peskov", &[]);
    let c = r.rename(&id, "Dmitry Peskov").unwrap();
    r.apply(&[c]).unwrap();
    let e = r.get(&id).unwrap();
    assert_eq!((e.name.as_str(), e.aliases.as_slice()), ("Dmitry Peskov", &["Peskov".to_owned()][..]));
    assert_eq!(r.find("peskov").unwrap().id, id, "found by its alias");
}

#[test]
fn a_file_that_is_not_a_registry_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sources.ron");
    std::fs::write(&path, "(\n    format: 1,\n    registry: \"something else\",\n    entities: [],\n)\n").unwrap();
    let err = Registry::open(&path).unwrap_err().to_string();
    assert!(err.contains("sources.ron:3:") && err.contains("not a newsnote entity registry"), "{err}");
    std::fs::write(&path, "(\n    format: 1,\n    registry: \"newsnote entities\",\n    entities: [(id: \"x\",],\n)\n")
        .unwrap();
    let err = Registry::open(&path).unwrap_err().to_string();
    assert!(err.contains("sources.ron:4:"), "{err}");
}

fn proposals(r: &Registry, mention: &str, earlier: &[&EntityId]) -> Vec<(String, Why)> {
    let earlier: Vec<EntityId> = earlier.iter().map(|&e| e.clone()).collect();
    propose(mention, &earlier, r, cb()).into_iter().map(|p| (p.entity.0, p.why)).collect()
}

#[test]
fn an_alias_match_is_proposed_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry_in(dir.path());
    added(&mut r, "Vladimir Putin", &["Putin"]);
    let peskov = added(&mut r, "Dmitry Peskov", &["Peskov"]);
    let p = proposals(&r, "Peskov’s", &[]);
    assert_eq!(p[0], (peskov.0.clone(), Why::Alias));
    let p = proposals(&r, "Kremlin spokesman Dmitry Peskov", &[]);
    assert_eq!(p[0], (peskov.0, Why::Name), "a description containing the name");
}

#[test]
fn a_pronoun_means_the_last_compatible_entity_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry_in(dir.path());
    let putin = added(&mut r, "Vladimir Putin", &[]);
    with(&mut r, &putin, "gender", "man");
    let zakharova = added(&mut r, "Maria Zakharova", &[]);
    with(&mut r, &zakharova, "gender", "woman");
    let kremlin = added(&mut r, "the Kremlin", &[]);
    with(&mut r, &kremlin, "gender", "not_a_person");
    let earlier = [&putin, &zakharova, &kremlin];
    assert_eq!(proposals(&r, "He", &earlier)[0], (putin.0.clone(), Why::Pronoun));
    assert_eq!(proposals(&r, "she", &earlier)[0], (zakharova.0.clone(), Why::Pronoun));
    assert_eq!(proposals(&r, "it", &earlier)[0], (kremlin.0.clone(), Why::Pronoun));
    assert_eq!(proposals(&r, "they", &earlier)[0], (kremlin.0.clone(), Why::Pronoun), "any entity, latest first");
}

#[test]
fn a_bare_surname_prefers_the_entity_mentioned_nearby() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry_in(dir.path());
    let anna = added(&mut r, "Anna Smith", &[]);
    let john = added(&mut r, "John Smith", &[]);
    assert_eq!(proposals(&r, "Smith", &[&john, &anna])[0], (anna.0.clone(), Why::Name));
    assert_eq!(proposals(&r, "Smith", &[&anna, &john])[0], (john.0, Why::Name));
}

#[test]
fn typing_filters_entities_fuzzily_by_any_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = registry_in(dir.path());
    added(&mut r, "Vladimir Putin", &[]);
    let peskov = added(&mut r, "Dmitry Peskov", &["Kremlin spokesman"]);
    assert_eq!(fuzzy_rank("pskv", &r), std::slice::from_ref(&peskov));
    assert_eq!(fuzzy_rank("spokesm", &r), [peskov]);
    assert_eq!(fuzzy_rank("", &r).len(), 2);
}
