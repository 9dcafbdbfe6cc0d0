//! What accepting and rejecting suggestions changes, as edits: the one place that decides
//! what goes with what.
//!
//! A detector proposes a claim together with its cue and its source, linked to it. Reviewing
//! them one by one would cost three keys where a person means one, and leave a coded claim
//! pointing at a source still waiting for review, so accepting an annotation accepts the
//! suggestions it links to; rejecting one rejects the suggestions it links to that nothing
//! else still live needs (a speaker quoted twice keeps its source while the other claim
//! stands), and unlinks it from whatever still links to it, so no live link points at a
//! rejected annotation. Everything here is a pure function of the document's live
//! annotations returning [`Edit`]s, so the caller applies them as one undo step and saves
//! them through the one save path, and undo is the edits' inverse.

use crate::model::annotation::{Annotation, AnnotationId, AttrValue, Status};
use crate::model::codebook::Codebook;
use crate::model::document::Edit;
use std::collections::BTreeSet;

/// The attribute that tells suggestions of `label` apart by kind (a boilerplate's kind, a
/// claim's quote type): the one the codebook's suggestions section sets for the label, else
/// the one asked when tagging it; `None` for a label without one (a source).
pub fn kind_attribute<'b>(book: &'b Codebook, label: &str) -> Option<&'b str> {
    let maps = book.suggestions.iter().flat_map(|s| [s.boilerplate.as_ref(), s.quotes.as_ref()]).flatten();
    let mut maps = maps.filter(|m| m.label == label);
    match maps.next() {
        Some(m) => m.attribute.as_deref(),
        None => book.asked_on_tag(label).map(|d| d.id.as_str()),
    }
}

/// The kind of `a`: its value of [`kind_attribute`], if it has one.
pub fn kind_of<'a>(book: &Codebook, a: &'a Annotation) -> Option<&'a AttrValue> {
    kind_attribute(book, a.label.as_str()).and_then(|k| a.attributes.get(k))
}

/// The open suggestions of `live` like `a`: the same label and the same kind, `a` included
/// when it is one, in the document's order.
pub fn alike(book: &Codebook, live: &[Annotation], a: &Annotation) -> Vec<AnnotationId> {
    let kind = kind_of(book, a);
    live.iter()
        .filter(|b| b.is_proposed() && b.label == a.label && kind_of(book, b) == kind)
        .map(|b| b.id.clone())
        .collect()
}

/// Every open suggestion of `live`, in the document's order.
pub fn open(live: &[Annotation]) -> Vec<AnnotationId> {
    live.iter().filter(|a| a.is_proposed()).map(|a| a.id.clone()).collect()
}

/// The edits that accept the suggestions among `ids`, and every suggestion they link to
/// (a claim's cue and source), each changed only in its status and modification time.
/// The suggestions named come last, in the order given, so the last edit is the main one.
pub fn accept(live: &[Annotation], ids: &[AnnotationId], now: &str) -> Vec<Edit> {
    let asked: Vec<&Annotation> = ids.iter().filter_map(|id| find(live, id)).filter(|a| a.is_proposed()).collect();
    let mut taken: BTreeSet<&AnnotationId> = asked.iter().map(|a| &a.id).collect();
    let mut with = Vec::new();
    // Links of links too (nothing the detectors make today goes deeper than one step).
    let mut todo: Vec<&Annotation> = asked.clone();
    while let Some(a) = todo.pop() {
        for t in targets(live, a) {
            if t.is_proposed() && taken.insert(&t.id) {
                with.push(t);
                todo.push(t);
            }
        }
    }
    with.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    with.into_iter().chain(asked).map(|a| status(a, Status::Accepted, now)).collect()
}

/// The edits that reject the suggestions among `ids`, with the suggestions they link to that
/// no annotation left live links to, and unlink the live annotations that link to any of
/// them. The suggestions named come last, in the order given.
pub fn reject(live: &[Annotation], ids: &[AnnotationId], now: &str) -> Vec<Edit> {
    let asked: Vec<&Annotation> = ids.iter().filter_map(|id| find(live, id)).filter(|a| a.is_proposed()).collect();
    let mut gone: BTreeSet<&AnnotationId> = asked.iter().map(|a| &a.id).collect();
    // A target goes when every annotation linking to it goes: repeated until nothing more
    // goes, since a target kept by a claim that goes later must be looked at again.
    loop {
        let more: Vec<&Annotation> = live
            .iter()
            .filter(|t| t.is_proposed() && !gone.contains(&t.id))
            .filter(|t| {
                let mut by = live.iter().filter(|a| a.links_to(&t.id));
                let mut any = false;
                let all_gone = by.all(|a| {
                    any = true;
                    gone.contains(&a.id)
                });
                any && all_gone
            })
            .collect();
        if more.is_empty() {
            break;
        }
        gone.extend(more.iter().map(|t| &t.id));
    }
    let mut edits: Vec<Edit> = live
        .iter()
        .filter(|a| !gone.contains(&a.id) && gone.iter().any(|g| a.links_to(g)))
        .map(|a| {
            let mut after = a.clone();
            for g in &gone {
                after.unlink(g);
            }
            after.modified = now.to_owned();
            Edit::Update { before: a.clone(), after }
        })
        .collect();
    let asked_ids: BTreeSet<&AnnotationId> = asked.iter().map(|a| &a.id).collect();
    edits.extend(
        live.iter()
            .filter(|a| gone.contains(&a.id) && !asked_ids.contains(&a.id))
            .map(|a| status(a, Status::Rejected, now)),
    );
    edits.extend(asked.into_iter().map(|a| status(a, Status::Rejected, now)));
    edits
}

/// A person's adjustment of annotation `id` (its span, label, kind or links) in `edits`, as
/// the edits to apply: adjusting a suggestion accepts it, with what it links to then (as
/// [`accept`] does), since a person who fixes a proposal has decided it is worth keeping.
/// Anything else in `edits` (a link dropped elsewhere) is left as it is.
pub fn adjusted(live: &[Annotation], mut edits: Vec<Edit>, id: &AnnotationId, now: &str) -> Vec<Edit> {
    let Some(k) = edits.iter().position(|e| matches!(e, Edit::Update { before, after } if &before.id == id && before.is_proposed() && after.is_proposed())) else {
        return edits;
    };
    let Edit::Update { after, .. } = &mut edits[k] else { return edits };
    after.status = Status::Accepted;
    after.modified = now.to_owned();
    let linked: Vec<AnnotationId> = after.links.values().flatten().cloned().collect();
    for e in accept(live, &linked, now) {
        let Edit::Update { before, .. } = &e else { continue };
        let same = edits.iter_mut().find_map(|x| match x {
            Edit::Update { before: b, after } if b.id == before.id => Some(after),
            _ => None,
        });
        match same {
            // Changed in the same step already: accepted there.
            Some(after) if after.is_proposed() => after.status = Status::Accepted,
            Some(_) => {}
            None if &before.id != id => edits.push(e),
            None => {}
        }
    }
    // The adjustment itself last: undo and redo name it and put the cursor on it, not on
    // the source accepted with it.
    let main = edits.remove(k);
    edits.push(main);
    edits
}

/// New suggestions (from `propose`) as edits: one insert each.
pub fn inserted(proposals: Vec<Annotation>) -> Vec<Edit> {
    proposals.into_iter().map(Edit::Insert).collect()
}

fn find<'a>(live: &'a [Annotation], id: &AnnotationId) -> Option<&'a Annotation> {
    live.iter().find(|a| &a.id == id)
}

/// The live annotations `a` links to, by any relation.
fn targets<'a>(live: &'a [Annotation], a: &Annotation) -> impl Iterator<Item = &'a Annotation> {
    let ids: Vec<AnnotationId> = a.links.values().flatten().cloned().collect();
    ids.into_iter().filter_map(move |id| find(live, &id))
}

fn status(a: &Annotation, s: Status, now: &str) -> Edit {
    Edit::Update { before: a.clone(), after: a.with_status(s, now) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::article::Article;
    use crate::model::suggest::{Ask, Detector, propose};

    const NOW: &str = "2026-12-01T10:00:00Z";
    const LATER: &str = "2026-12-01T11:00:00Z";

    /// Two quotes of Песков, each a proposed claim with its cue and source, and the page's
    /// boilerplate.
    fn proposed(text: &str) -> Vec<Annotation> {
        let art = Article::from_text("t".into(), "t.txt".into(), text.into(), Vec::new());
        let detectors = [Detector::Boilerplate, Detector::Quotes];
        let ask =
            Ask { detectors: &detectors, book: Codebook::default_scheme(), existing: &[], registry: None, now: NOW };
        let mut made = propose(&art, &ask);
        made.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        made
    }

    const TWO_QUOTES: &str = "Заголовок\n\n«Мы не согласны с этим», — сказал Дмитрий Песков во вторник.\n\n«Это неприемлемо для нас», — заявил Дмитрий Песков журналистам.\n";

    fn by<'a>(anns: &'a [Annotation], label: &str, n: usize) -> &'a Annotation {
        anns.iter().filter(|a| a.label.as_str() == label).nth(n).unwrap_or_else(|| panic!("{label} #{n} in {anns:#?}"))
    }

    /// `live` with `edits` applied in order, as `Document::apply` does (rejected ones leave).
    fn applied(live: &[Annotation], edits: &[Edit]) -> (Vec<Annotation>, Vec<Annotation>) {
        let mut live = live.to_vec();
        let mut rejected = Vec::new();
        for e in edits {
            let Edit::Update { before, after } = e else { panic!("only updates here: {e:?}") };
            let i = live.iter().position(|a| a == before).expect("each edit is made on the current version");
            live.remove(i);
            if after.is_rejected() { rejected.push(after.clone()) } else { live.insert(i, after.clone()) }
        }
        (live, rejected)
    }

    fn status_of(anns: &[Annotation], id: &AnnotationId) -> Option<Status> {
        anns.iter().find(|a| &a.id == id).map(|a| a.status)
    }

    #[test]
    fn accepting_a_claim_accepts_its_proposed_cue_and_source_and_keeps_the_suggestion() {
        let live = proposed(TWO_QUOTES);
        let claim = by(&live, "Claim", 0);
        assert_eq!(claim.quote, "Мы не согласны с этим");
        let edits = accept(&live, std::slice::from_ref(&claim.id), LATER);
        let (after, _) = applied(&live, &edits);
        let linked: Vec<&AnnotationId> = claim.links.values().flatten().collect();
        assert_eq!(linked.len(), 2, "a cue and a source: {claim:#?}");
        for id in linked.iter().copied().chain([&claim.id]) {
            let a = after.iter().find(|a| &a.id == id).unwrap();
            assert_eq!(a.status, Status::Accepted, "{}", a.quote);
            assert_eq!(a.modified, LATER);
            assert!(a.suggestion.is_some(), "the detector's word is kept for stats");
        }
        // The main change comes last: undo and redo name it.
        assert!(matches!(edits.last(), Some(Edit::Update { after, .. }) if after.id == claim.id));
        // The other quote's claim, cue and source are still open.
        let second = by(&live, "Claim", 1);
        assert_eq!(status_of(&after, &second.id), Some(Status::Proposed));
        assert_eq!(after.iter().filter(|a| a.is_proposed()).count(), live.len() - 3);
    }

    #[test]
    fn rejecting_a_claim_rejects_its_cue_and_its_source_unless_another_live_claim_links_it() {
        let mut live = proposed(TWO_QUOTES);
        let (first, second) = (by(&live, "Claim", 0).clone(), by(&live, "Claim", 1).clone());
        let source_rel = Codebook::default_scheme().source_relation().unwrap().id.clone();
        let first_source = first.linked(&source_rel)[0].clone();
        // Alone, the claim takes its cue and its source with it.
        let (after, rejected) = applied(&live, &reject(&live, std::slice::from_ref(&first.id), LATER));
        assert_eq!(rejected.len(), 3, "{rejected:#?}");
        assert!(rejected.iter().any(|a| a.id == first_source));
        assert!(rejected.iter().all(|a| a.status == Status::Rejected && a.suggestion.is_some()));
        assert_eq!(status_of(&after, &second.id), Some(Status::Proposed));
        // When the second claim is attributed to the same source, the source stays.
        let i = live.iter().position(|a| a.id == second.id).unwrap();
        live[i].links.insert(source_rel.clone(), vec![first_source.clone()]);
        let (after, rejected) = applied(&live, &reject(&live, std::slice::from_ref(&first.id), LATER));
        assert_eq!(rejected.len(), 2, "the claim and its cue: {rejected:#?}");
        assert_eq!(status_of(&after, &first_source), Some(Status::Proposed), "the other claim still needs it");
        // Rejecting both claims at once lets the shared source go too.
        let both = [first.id.clone(), second.id.clone()];
        let (_, rejected) = applied(&live, &reject(&live, &both, LATER));
        assert!(rejected.iter().any(|a| a.id == first_source));
    }

    #[test]
    fn rejecting_a_source_unlinks_it_from_the_claims_that_link_it() {
        let live = proposed(TWO_QUOTES);
        let claim = by(&live, "Claim", 0).clone();
        let source_rel = Codebook::default_scheme().source_relation().unwrap().id.clone();
        let source = claim.linked(&source_rel)[0].clone();
        let (after, rejected) = applied(&live, &reject(&live, std::slice::from_ref(&source), LATER));
        assert_eq!(rejected.iter().map(|a| &a.id).collect::<Vec<_>>(), [&source]);
        let claim_now = after.iter().find(|a| a.id == claim.id).unwrap();
        assert!(claim_now.linked(&source_rel).is_empty(), "no live link points at a rejected annotation");
        assert!(claim_now.is_proposed(), "the claim itself is still to review");
        assert!(after.iter().all(|a| !a.links_to(&source)));
    }

    #[test]
    fn what_is_not_a_suggestion_is_neither_accepted_nor_rejected() {
        let mut live = proposed(TWO_QUOTES);
        live[0] = live[0].with_status(Status::Accepted, NOW);
        let id = live[0].id.clone();
        assert!(accept(&live, std::slice::from_ref(&id), LATER).is_empty());
        assert!(reject(&live, std::slice::from_ref(&id), LATER).is_empty());
        assert!(accept(&live, &[AnnotationId("нет-такого".into())], LATER).is_empty());
    }

    #[test]
    fn alike_means_the_same_label_and_kind() {
        let text = "Главная › Политика › Новости\n\n«Мы не согласны с этим», — сказал Дмитрий Песков.\n\nПо словам Пескова, переговоры продолжатся.\n\n© 2026 Все права защищены\n";
        let live = proposed(text);
        let book = Codebook::default_scheme();
        let claims: Vec<&Annotation> = live.iter().filter(|a| a.label.as_str() == "Claim").collect();
        for c in &claims {
            let same = alike(book, &live, c);
            assert!(same.contains(&c.id));
            for id in &same {
                let b = live.iter().find(|a| &a.id == id).unwrap();
                assert_eq!((&b.label, kind_of(book, b)), (&c.label, kind_of(book, c)));
            }
            let differ = claims.iter().filter(|d| kind_of(book, d) != kind_of(book, c)).count();
            assert_eq!(same.len(), claims.len() - differ);
        }
        assert_eq!(kind_attribute(book, "Claim"), Some("quote_type"));
        assert_eq!(kind_attribute(book, "Boilerplate"), Some("kind"));
        assert_eq!(kind_attribute(book, "Source"), None, "every source is alike");
        assert_eq!(open(&live).len(), live.len());
    }

    #[test]
    fn adjusting_a_suggestion_accepts_it_with_what_it_links_to_and_nothing_else() {
        let live = proposed(TWO_QUOTES);
        let claim = by(&live, "Claim", 0).clone();
        // Shrunk by a word (as `>`/`<` do): the edit a person made, nothing more.
        let mut shrunk = claim.clone();
        shrunk.end -= " этим".chars().count();
        shrunk.quote = "Мы не согласны с".into();
        let edits =
            adjusted(&live, vec![Edit::Update { before: claim.clone(), after: shrunk.clone() }], &claim.id, LATER);
        let (after, _) = applied(&live, &edits);
        let now = after.iter().find(|a| a.id == claim.id).unwrap();
        assert_eq!((now.status, now.quote.as_str(), now.end), (Status::Accepted, "Мы не согласны с", shrunk.end));
        for id in claim.links.values().flatten() {
            assert_eq!(status_of(&after, id), Some(Status::Accepted));
        }
        assert_eq!(edits.len(), 3);
        assert!(matches!(edits.last(), Some(Edit::Update { after, .. }) if after.id == claim.id), "the main edit last");
        // An accepted annotation's adjustment is left as it was made.
        let (coded, _) = applied(&live, &accept(&live, std::slice::from_ref(&claim.id), NOW));
        let c = coded.iter().find(|a| a.id == claim.id).unwrap().clone();
        let mut moved = c.clone();
        moved.note = Some("проверить".into());
        let same = vec![Edit::Update { before: c.clone(), after: moved }];
        assert_eq!(adjusted(&coded, same.clone(), &c.id, LATER), same);
    }
}
