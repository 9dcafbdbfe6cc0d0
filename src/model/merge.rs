//! Merging two writers' versions of one annotation file, three ways by annotation id.
//!
//! [`merge3`] is pure: a change on one side only is taken; the same change on both sides is
//! taken once; different changes to one annotation are a [`Conflict`], where the result holds
//! *their* version (never overwrite the other writer's work) and ours goes to the conflicts
//! sidecar (see `model::save`, the one save path that calls this). [`repair_links`] then makes
//! sure a merge never writes a file its own `check` rejects.

use super::annotation::{Annotation, AnnotationId};
pub use super::save::Conflict;
use super::save::Record;
use std::collections::{BTreeSet, HashSet};

/// Three-way merge by id. Returns the merged annotations, how many came from `theirs`, and
/// the conflicts (where the result holds their version).
pub fn merge3<T: Record>(base: &[T], mine: &[T], theirs: &[T]) -> (Vec<T>, usize, Vec<Conflict<T>>) {
    // By id, so a merge costs n log n, not n² (a registry holds thousands of entities).
    fn by_id<T: Record>(v: &[T]) -> std::collections::HashMap<T::Id, &T> {
        v.iter().map(|a| (a.id().clone(), a)).collect()
    }
    let (b_of, m_of, t_of) = (by_id(base), by_id(mine), by_id(theirs));
    let ids: BTreeSet<&T::Id> = base.iter().chain(mine).chain(theirs).map(|a| a.id()).collect();
    let (mut out, mut from_theirs, mut conflicts) = (Vec::new(), 0, Vec::new());
    for id in ids {
        let get = |m: &std::collections::HashMap<T::Id, &T>| m.get(id).map(|a| (*a).clone());
        let (b, m, t) = (get(&b_of), get(&m_of), get(&t_of));
        let keep = if m == b {
            from_theirs += usize::from(t != b);
            t
        } else if t == b || t == m {
            m
        } else if let (None, Some(mv), Some(tv)) = (&b, &m, &t)
            && let Some(one) = T::combine(mv, tv)
        {
            from_theirs += 1;
            Some(one)
        } else {
            conflicts.push(Conflict { id: id.clone(), mine: m, theirs: t.clone() });
            t
        };
        out.extend(keep);
    }
    (out, from_theirs, conflicts)
}

/// A merge can combine one side deleting an annotation with the other linking to it (a TUI
/// deletes a source while `newsnote tag --source S` adds a claim citing it). The target comes
/// back, from the first of `sides` that has it, since a claim without its source is a claim
/// half lost; a link to an annotation no side has is removed. Returns the repaired annotations and what was done, in words.
pub fn repair_links(mut anns: Vec<Annotation>, sides: &[&[Annotation]]) -> (Vec<Annotation>, Vec<String>) {
    let mut repairs = Vec::new();
    let present: HashSet<AnnotationId> = anns.iter().map(|a| a.id.clone()).collect();
    let cited: BTreeSet<AnnotationId> =
        anns.iter().flat_map(|a| a.links.values().flatten().cloned().collect::<Vec<_>>()).collect();
    for id in cited.into_iter().filter(|id| !present.contains(id)) {
        match sides.iter().find_map(|side| side.iter().find(|a| a.id == id)) {
            Some(src) => {
                repairs.push(format!(
                    "kept {} “{}” ({id}), deleted on one side, because an annotation added on the other links to it",
                    src.label,
                    super::annotation::excerpt(&src.quote, 30)
                ));
                anns.push(src.clone());
            }
            None => {
                for a in anns.iter_mut() {
                    a.unlink(&id);
                }
                repairs.push(format!("dropped link(s) to {id}, which no version of the file has"));
            }
        }
    }
    (anns, repairs)
}

/// A merge can bring together a person's annotation and an open suggestion of the same
/// label over the same words: the person tagged what a `suggest` run proposed before their
/// TUI had read the run's file. The suggestion is said already, so it goes, and whatever
/// linked to it (a proposed claim's source or cue) links to the person's annotation instead,
/// as [`propose`](super::suggest::propose) would have done had the person's been there first.
pub fn drop_said_suggestions(anns: Vec<Annotation>) -> (Vec<Annotation>, Vec<String>) {
    let mut said: Vec<(AnnotationId, AnnotationId)> = Vec::new();
    for a in anns.iter().filter(|a| a.is_proposed()) {
        if let Some(person) = anns.iter().find(|b| !b.is_proposed() && !b.is_rejected() && a.same_span(b)) {
            said.push((a.id.clone(), person.id.clone()));
        }
    }
    if said.is_empty() {
        return (anns, Vec::new());
    }
    let mut repairs = Vec::new();
    let mut out: Vec<Annotation> = Vec::with_capacity(anns.len());
    for a in &anns {
        if let Some((_, to)) = said.iter().find(|(from, _)| *from == a.id) {
            repairs.push(format!(
                "dropped the suggestion {} “{}” ({}): {to} says the same",
                a.label,
                super::annotation::excerpt(&a.quote, 30),
                a.id
            ));
        } else {
            out.push(a.clone());
        }
    }
    // A relation holds an id once: the suggestion's place goes to the person's annotation,
    // unless the relation names that one earlier already.
    for targets in out.iter_mut().flat_map(|a| a.links.values_mut()) {
        for (from, to) in &said {
            let Some(at) = targets.iter().position(|t| t == from) else { continue };
            match targets.iter().position(|t| t == to) {
                Some(before) if before < at => _ = targets.remove(at),
                Some(after) => {
                    targets[at] = targets.remove(after);
                }
                None => targets[at] = to.clone(),
            }
        }
    }
    (out, repairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::LabelId;
    use crate::model::units::{ByteRange, CharRange};

    const TEXT: &str = "Peskov said no. Lavrov said yes.";

    fn ann(id: &str, s: usize, e: usize) -> Annotation {
        let mut a =
            Annotation::new_manual(LabelId::new("Source"), TEXT, ByteRange::new(s, e), CharRange::new(s, e), "t", "x");
        a.id = AnnotationId(id.into());
        a
    }

    fn noted(a: &Annotation, n: &str) -> Annotation {
        Annotation { note: Some(n.into()), ..a.clone() }
    }

    fn ids(v: &[Annotation]) -> Vec<&str> {
        v.iter().map(|a| a.id.0.as_str()).collect()
    }

    #[test]
    fn changes_on_different_annotations_merge() {
        let (p, l) = (ann("p", 0, 6), ann("l", 16, 22));
        let base = vec![p.clone()];
        let mine = vec![p.clone(), l.clone()];
        let theirs = vec![noted(&p, "theirs"), ann("x", 7, 11)];
        let (out, from_theirs, conflicts) = merge3(&base, &mine, &theirs);
        assert_eq!(ids(&out), ["l", "p", "x"]);
        assert_eq!(out[1].note.as_deref(), Some("theirs"));
        assert_eq!((from_theirs, conflicts.len()), (2, 0));
    }

    #[test]
    fn the_same_change_on_both_sides_is_taken_once_and_deletions_merge() {
        let (p, l) = (ann("p", 0, 6), ann("l", 16, 22));
        let base = vec![p.clone(), l.clone()];
        let (out, _, c) = merge3(&base, &[noted(&p, "n")], &[noted(&p, "n"), l.clone()]);
        assert_eq!((ids(&out), c.len()), (vec!["p"], 0), "my deletion of l and the shared note");
    }

    #[test]
    fn different_changes_to_one_annotation_conflict_and_keep_theirs() {
        let p = ann("p", 0, 6);
        let (out, _, c) = merge3(std::slice::from_ref(&p), &[noted(&p, "mine")], &[noted(&p, "theirs")]);
        assert_eq!(out[0].note.as_deref(), Some("theirs"));
        assert_eq!(c[0].mine.as_ref().unwrap().note.as_deref(), Some("mine"));
        let (out, _, c) = merge3(std::slice::from_ref(&p), &[], &[noted(&p, "theirs")]);
        assert_eq!((out.len(), c[0].mine.is_none()), (1, true), "their edit beats my delete, as a conflict");
    }

    #[test]
    fn a_merge_that_deletes_a_cited_source_brings_it_back_and_never_leaves_a_dangling_link() {
        let (s, mut c) = (ann("s", 0, 6), ann("c", 7, 15));
        c.links.insert("source".into(), vec![s.id.clone()]);
        // Base had the source; mine deleted it; theirs added a claim citing it.
        let base = vec![s.clone()];
        let (out, _, conflicts) = merge3(&base, &[], &[s.clone(), c.clone()]);
        assert!(conflicts.is_empty());
        assert_eq!(ids(&out), ["c"], "merge3 alone leaves the claim citing a deleted source");
        let (fixed, said) = repair_links(out, &[&[s.clone(), c.clone()], &[], &base]);
        assert_eq!(ids(&fixed), ["c", "s"]);
        assert!(said[0].contains("kept Source “Peskov”"), "{said:?}");
        let (fixed, said) = repair_links(vec![c.clone()], &[]);
        assert_eq!((fixed[0].links.is_empty(), said.len()), (true, 1), "a source no side has is unlinked");
    }

    #[test]
    fn a_source_cited_only_as_a_further_source_is_kept_too() {
        let (s, t, mut c) = (ann("s", 0, 6), ann("t", 16, 22), ann("c", 7, 15));
        c.links.insert("source".into(), vec![t.id.clone(), s.id.clone()]);
        let (fixed, said) = repair_links(vec![t.clone(), c.clone()], &[std::slice::from_ref(&s)]);
        assert_eq!(ids(&fixed), ["t", "c", "s"]);
        assert_eq!(said.len(), 1);
        let (fixed, _) = repair_links(vec![t, c], &[]);
        assert_eq!(fixed[1].linked("source").len(), 1, "a further source no side has is unlinked");
    }

    #[test]
    fn an_open_suggestion_a_person_also_tagged_goes_and_its_claim_cites_the_persons_source() {
        let person = ann("p", 0, 6);
        let mut proposed = ann("s", 0, 6);
        proposed.status = crate::model::annotation::Status::Proposed;
        let mut claim = ann("c", 7, 15);
        claim.status = crate::model::annotation::Status::Proposed;
        claim.links.insert("source".into(), vec![proposed.id.clone()]);
        let other = Annotation { status: crate::model::annotation::Status::Proposed, ..ann("o", 16, 22) };
        let (out, said) = drop_said_suggestions(vec![person.clone(), proposed, claim, other]);
        assert_eq!(ids(&out), ["p", "c", "o"], "only the suggestion the person also made goes");
        assert_eq!(out[1].linked("source"), std::slice::from_ref(&person.id));
        assert!(said[0].contains("dropped the suggestion Source “Peskov” (s): p says the same"), "{said:?}");
        let (kept, said) = drop_said_suggestions(vec![ann("p", 0, 6), ann("q", 0, 7)]);
        assert_eq!((kept.len(), said.len()), (2, 0), "people's annotations are never dropped");
    }
}
