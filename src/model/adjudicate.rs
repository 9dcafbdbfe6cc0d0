//! Where coders disagree on one article, and what taking a coder's version into gold means.
//!
//! Adjudication settles an article's gold version from several coders' folders. A person
//! needs to see the places the coders differ, one at a time, and to take one coder's
//! version (or all, or none) with a key; this module is that, as pure functions of the
//! coders' annotations, the gold annotations and the codebook, so the TUI only walks the
//! units and commits the edits returned here through the one save path.
//!
//! A *unit* is a group of the coders' annotations about the same stretch of text:
//! annotations of two coders with the same label that overlap, or with different labels
//! that cover mostly the same text (each more than half inside the other, so a source
//! nested in a long claim is not taken for a relabelled claim). A unit where the coders
//! differ is a disagreement of one [`Kind`] (the first that applies, in the order of the
//! enum); one where they agree exactly is an agreement.

use super::annotation::{Annotation, AnnotationId, LabelId, Status};
use super::codebook::Codebook;
use super::document::Edit;
use super::units::CharRange;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How the coders of a unit differ. The first that applies is the unit's kind: a coder who
/// marked nothing there differs more than one who marked it with another label, and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Some coders marked the text, others nothing.
    OnlySome,
    /// The coders gave it different labels.
    Label,
    /// Same labels, different bounds (or fragments).
    Span,
    /// Same labels and bounds, different attribute values.
    Attribute,
    /// Same annotations, but attributed to different sources (a claim linked to other source
    /// spans or entities, a source mention naming another entity).
    Source,
}

impl Kind {
    /// How the status line and the sidebar name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::OnlySome => "only some",
            Kind::Label => "label",
            Kind::Span => "span",
            Kind::Attribute => "attribute",
            Kind::Source => "source",
        }
    }
}

/// One unit of an article: the coders' annotations about one stretch of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// How the coders differ; `None` when they agree exactly (an agreement).
    pub kind: Option<Kind>,
    /// From the first code point any coder marked to the last.
    pub span: CharRange,
    /// Every label any coder gave it, sorted.
    pub labels: Vec<LabelId>,
    /// Per coder (in the order given), the ids of their annotations in the unit, in text
    /// order; empty for a coder who marked nothing there.
    pub versions: Vec<Vec<AnnotationId>>,
    /// The gold file already holds a version of it: an annotation (or a declined one, see
    /// [`take`]) of one of its labels over its text.
    pub resolved: bool,
}

impl Disagreement {
    pub fn is_agreement(&self) -> bool {
        self.kind.is_none()
    }

    /// The coders (indices) who marked something in the unit.
    pub fn coders(&self) -> impl Iterator<Item = usize> + '_ {
        self.versions.iter().enumerate().filter(|(_, v)| !v.is_empty()).map(|(i, _)| i)
    }
}

/// What counts of a coder's file: their coding, not open or rejected suggestions.
fn counts(a: &Annotation) -> bool {
    a.status == Status::Accepted
}

fn overlap(a: &Annotation, b: &Annotation) -> usize {
    let mut n = 0;
    for (p, _) in a.pieces() {
        for (q, _) in b.pieces() {
            n += p.end.min(q.end).saturating_sub(p.start.max(q.start));
        }
    }
    n
}

fn length(a: &Annotation) -> usize {
    a.pieces().map(|(p, _)| p.len()).sum()
}

/// Whether two coders' annotations are about the same thing (see the module doc).
fn same_unit(a: &Annotation, b: &Annotation) -> bool {
    let o = overlap(a, b);
    if a.label == b.label {
        return o > 0 || (a.start == b.start && a.end == b.end);
    }
    o * 2 > length(a) && o * 2 > length(b)
}

/// The pieces of an annotation, for comparing bounds.
fn bounds(a: &Annotation) -> Vec<(usize, usize)> {
    a.pieces().map(|(p, _)| (p.start, p.end)).collect()
}

/// Who an annotation is attributed to, in terms that compare across coders' files (ids do
/// not): its own entity, and for each linked source its entity or else its bounds.
fn attribution(a: &Annotation, mine: &HashMap<&AnnotationId, &Annotation>, book: &Codebook) -> Vec<String> {
    let mut out: Vec<String> = a.entity.iter().map(|e| format!("entity {}", e.0)).collect();
    if let Some(rel) = book.source_relation() {
        for t in a.linked(&rel.id) {
            out.push(match mine.get(t) {
                Some(s) => match &s.entity {
                    Some(e) => format!("entity {}", e.0),
                    None => format!("span {:?}", bounds(s)),
                },
                None => format!("missing {t}"),
            });
        }
    }
    out.sort();
    out
}

/// The units of one article: every coder's annotations grouped (see the module doc), each
/// with its kind and whether `gold` (live and declined annotations alike) already settles
/// it; in text order.
pub fn disagreements(coders: &[(&str, &[Annotation])], gold: &[Annotation], book: &Codebook) -> Vec<Disagreement> {
    let items: Vec<(usize, &Annotation)> = coders
        .iter()
        .enumerate()
        .flat_map(|(c, (_, anns))| anns.iter().filter(|a| counts(a)).map(move |a| (c, a)))
        .collect();
    // Union-find over the annotations of different coders that belong together.
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (items[i].1.start, items[i].1.end));
    for (k, &i) in order.iter().enumerate() {
        let hull_i = items[i].1.hull();
        for &j in &order[k + 1..] {
            // Sorted by start: nothing later can overlap once a start passes this hull.
            if items[j].1.start >= hull_i.end.max(hull_i.start + 1) && items[j].1.start > items[i].1.start {
                break;
            }
            if items[i].0 != items[j].0 && same_unit(items[i].1, items[j].1) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..items.len() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let by_id: Vec<HashMap<&AnnotationId, &Annotation>> =
        coders.iter().map(|(_, anns)| anns.iter().map(|a| (&a.id, a)).collect()).collect();
    let mut units: Vec<Disagreement> = groups
        .into_values()
        .map(|members| {
            let mut versions: Vec<Vec<&Annotation>> = vec![Vec::new(); coders.len()];
            for &m in &members {
                versions[items[m].0].push(items[m].1);
            }
            for v in &mut versions {
                v.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            }
            let start = members.iter().map(|&m| items[m].1.start).min().unwrap_or(0);
            let end = members.iter().map(|&m| items[m].1.hull().end).max().unwrap_or(start);
            let mut labels: Vec<LabelId> = members.iter().map(|&m| items[m].1.label.clone()).collect();
            labels.sort();
            labels.dedup();
            let kind = kind_of(&versions, &by_id, book);
            let span = CharRange::new(start, end);
            let mut unit = Disagreement {
                kind,
                span,
                labels,
                versions: versions.iter().map(|v| v.iter().map(|a| a.id.clone()).collect()).collect(),
                resolved: false,
            };
            unit.resolved = settles(&unit, gold);
            unit
        })
        .collect();
    units.sort_by_key(|u| (u.span.start, u.span.end));
    units
}

/// Whether any piece of `a` lies inside `span` (or `a` is an empty span at its start).
fn touches(a: &Annotation, span: CharRange) -> bool {
    a.pieces().any(|(p, _)| p.start.max(span.start) < p.end.min(span.end) || (p.is_empty() && p.start == span.start))
}

fn kind_of(
    versions: &[Vec<&Annotation>],
    by_id: &[HashMap<&AnnotationId, &Annotation>],
    book: &Codebook,
) -> Option<Kind> {
    if versions.iter().any(Vec::is_empty) {
        return Some(Kind::OnlySome);
    }
    // Each comparison looks at one more property; the first that differs names the kind.
    fn differ<T: PartialEq>(sigs: Vec<T>) -> bool {
        sigs.windows(2).any(|w| w[0] != w[1])
    }
    fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
        v.sort();
        v
    }
    let labels = versions.iter().map(|v| sorted(v.iter().map(|a| a.label.clone()).collect::<Vec<_>>())).collect();
    if differ::<Vec<LabelId>>(labels) {
        return Some(Kind::Label);
    }
    let spans = versions.iter().map(|v| sorted(v.iter().map(|a| (a.label.clone(), bounds(a))).collect::<Vec<_>>()));
    if differ(spans.collect()) {
        return Some(Kind::Span);
    }
    let attrs = versions.iter().map(|v| {
        sorted(v.iter().map(|a| (a.label.clone(), bounds(a), format!("{:?}", a.attributes))).collect::<Vec<_>>())
    });
    if differ(attrs.collect()) {
        return Some(Kind::Attribute);
    }
    let sources = versions.iter().zip(by_id).map(|(v, mine)| {
        sorted(v.iter().map(|a| (a.label.clone(), bounds(a), attribution(a, mine, book))).collect::<Vec<_>>())
    });
    if differ(sources.collect()) {
        return Some(Kind::Source);
    }
    None
}

/// Whose version of a unit goes into gold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Take {
    /// Coder `n`'s (index into the coders given).
    Coder(usize),
    /// Every coder's, an annotation marked alike by several taken once.
    All,
    /// None: gold keeps the coders' versions as declined (status Rejected), which nothing
    /// shows, counts or exports, so the unit stays resolved when the article is opened again.
    None,
}

/// The edits that make `gold` hold `take` of `unit`, as one undo step: what gold held over
/// the unit (of its labels) goes (links to it unlinked), then copies of the chosen coders'
/// annotations come in with new ids, each with the annotations it links to in that coder's
/// file (a claim's cue and source), their links rewritten to the copies. A linked annotation
/// gold already holds (same label and bounds) is linked to rather than copied again. The
/// copies keep the coder's coding, note and creation time; their author is the coder's name,
/// so the gold file says whose version each annotation is.
pub fn take(
    unit: &Disagreement,
    coders: &[(&str, &[Annotation])],
    gold: &[Annotation],
    gold_declined: &[Annotation],
    take: Take,
    now: &str,
) -> Vec<Edit> {
    let mut edits = Vec::new();
    let footprint = |g: &&Annotation| unit.labels.contains(&g.label) && touches(g, unit.span);
    let gone: Vec<&Annotation> = gold.iter().chain(gold_declined).filter(footprint).collect();
    let gone_ids: HashSet<&AnnotationId> = gone.iter().map(|a| &a.id).collect();
    let kept: Vec<&Annotation> = gold.iter().filter(|g| !gone_ids.contains(&g.id)).collect();

    // The annotations to copy, per coder, in the order they are taken.
    let chosen: Vec<usize> = match take {
        Take::Coder(n) => vec![n],
        Take::All | Take::None => (0..coders.len()).collect(),
    };
    let mut copies: Vec<Annotation> = Vec::new();
    for c in chosen {
        let Some((name, anns)) = coders.get(c) else { continue };
        let Some(ids) = unit.versions.get(c) else { continue };
        let mine: HashMap<&AnnotationId, &Annotation> = anns.iter().map(|a| (&a.id, a)).collect();
        // Old id → the id in gold: a copy's new id, or an existing gold annotation's.
        let mut map: HashMap<AnnotationId, AnnotationId> = HashMap::new();
        let mut queue: Vec<&Annotation> = ids.iter().filter_map(|id| mine.get(id).copied()).collect();
        let mut own: Vec<Annotation> = Vec::new();
        let mut k = 0;
        while k < queue.len() {
            let a = queue[k];
            k += 1;
            if map.contains_key(&a.id) {
                continue;
            }
            let linked_only = k > ids.len();
            if linked_only && let Some(g) = kept.iter().find(|g| alike(g, a)) {
                map.insert(a.id.clone(), g.id.clone());
                continue;
            }
            if let Some(twin) = copies.iter().chain(&own).find(|x| alike(x, a)) {
                // Another coder's copy says the same: link to it, copy nothing.
                map.insert(a.id.clone(), twin.id.clone());
                continue;
            }
            let mut copy = a.clone();
            copy.id = AnnotationId::fresh();
            copy.author = (*name).to_owned();
            copy.modified = now.to_owned();
            copy.reviews.clear();
            map.insert(a.id.clone(), copy.id.clone());
            own.push(copy);
            if take != Take::None {
                queue.extend(a.links.values().flatten().filter_map(|t| mine.get(t).copied()));
            }
        }
        for copy in &mut own {
            if take == Take::None {
                copy.links.clear();
                copy.status = Status::Rejected;
                continue;
            }
            for targets in copy.links.values_mut() {
                *targets = targets.iter().filter_map(|t| map.get(t).cloned()).collect();
            }
            copy.links.retain(|_, v| !v.is_empty());
        }
        copies.extend(own);
    }
    // What linked to an annotation that goes now links to the copy that says the same (a
    // claim taken earlier keeps its source when the source's unit is taken again), else to
    // nothing.
    for g in kept.iter().filter(|g| gone_ids.iter().any(|id| g.links_to(id))) {
        let mut after = (*g).clone();
        for old in &gone {
            let twin = copies.iter().find(|c| alike(c, old) && !c.is_rejected());
            for targets in after.links.values_mut() {
                match twin {
                    Some(t) => targets.iter_mut().filter(|x| **x == old.id).for_each(|x| *x = t.id.clone()),
                    None => targets.retain(|x| *x != old.id),
                }
            }
        }
        after.links.retain(|_, v| !v.is_empty());
        after.modified = now.to_owned();
        edits.push(Edit::Update { before: (*g).clone(), after });
    }
    edits.extend(gone.iter().map(|a| Edit::Delete((*a).clone())));
    edits.extend(copies.into_iter().map(Edit::Insert));
    edits
}

/// Two annotations that code the same: label, bounds, attribute values and entity (their
/// links are compared through what they link to, by the caller).
fn alike(a: &Annotation, b: &Annotation) -> bool {
    a.label == b.label && bounds(a) == bounds(b) && a.attributes == b.attributes && a.entity == b.entity
}

/// Whether `gold` holds a version of `unit` (see [`Disagreement::resolved`]).
pub fn settles(unit: &Disagreement, gold: &[Annotation]) -> bool {
    gold.iter().any(|g| unit.labels.contains(&g.label) && touches(g, unit.span))
}

/// Applies edits to a list of annotations, as a document would (for a run of takes made
/// one after another before they are committed together).
pub fn apply(gold: &mut Vec<Annotation>, edits: &[Edit]) {
    for e in edits {
        match e {
            Edit::Insert(a) => gold.push(a.clone()),
            Edit::Delete(a) => gold.retain(|x| x.id != a.id),
            Edit::Update { before, after } => {
                if let Some(x) = gold.iter_mut().find(|x| x.id == before.id) {
                    *x = after.clone();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{AttrValue, Fragment};

    const TEXT: &str = "«Мы не отступим», — заявил Дмитрий Песков журналистам. Подпишитесь на наш канал 📣 сегодня.";

    fn book() -> &'static Codebook {
        Codebook::default_scheme()
    }

    /// An annotation of `label` over the first occurrence of `quote`.
    fn ann(id: &str, label: &str, quote: &str) -> Annotation {
        let b = TEXT.find(quote).expect("in the text");
        let start = TEXT[..b].chars().count();
        let end = start + quote.chars().count();
        let bytes = crate::model::units::ByteRange::new(b, b + quote.len());
        let mut a = Annotation::new_manual(
            LabelId::new(label),
            TEXT,
            bytes,
            CharRange::new(start, end),
            "кодер",
            "2026-12-01T10:00:00Z",
        );
        a.id = AnnotationId(id.into());
        a
    }

    fn linked(mut a: Annotation, rel: &str, to: &str) -> Annotation {
        a.link(rel, AnnotationId(to.into()));
        a
    }

    fn kinds(alice: &[Annotation], bob: &[Annotation]) -> Vec<Option<Kind>> {
        disagreements(&[("алиса", alice), ("боб", bob)], &[], book()).iter().map(|u| u.kind).collect()
    }

    #[test]
    fn identical_coding_is_one_agreement_per_annotation() {
        let a = [ann("a1", "Source", "Дмитрий Песков"), ann("a2", "Claim", "Мы не отступим")];
        let b = [ann("b1", "Source", "Дмитрий Песков"), ann("b2", "Claim", "Мы не отступим")];
        let units = disagreements(&[("алиса", &a), ("боб", &b)], &[], book());
        assert_eq!(units.len(), 2);
        assert!(units.iter().all(|u| u.is_agreement() && !u.resolved), "{units:?}");
        assert_eq!(units[0].versions, vec![vec![AnnotationId("a2".into())], vec![AnnotationId("b2".into())]]);
    }

    #[test]
    fn a_span_only_one_coder_marked_is_only_some() {
        let a = [ann("a1", "Boilerplate", "Подпишитесь на наш канал 📣").with_value("kind", "Newsletter")];
        let units = disagreements(&[("алиса", &a), ("боб", &[])], &[], book());
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].kind, Some(Kind::OnlySome));
        assert_eq!(units[0].coders().collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn the_same_text_with_another_label_is_a_label_disagreement() {
        assert_eq!(
            kinds(&[ann("a", "Claim", "Мы не отступим")], &[ann("b", "Source", "Мы не отступим")]),
            [Some(Kind::Label)]
        );
    }

    #[test]
    fn a_source_nested_in_a_long_claim_is_not_taken_for_a_relabelled_claim() {
        let a = [ann("a", "Claim", "заявил Дмитрий Песков журналистам")];
        let b = [ann("b", "Source", "Песков")];
        assert_eq!(kinds(&a, &b), [Some(Kind::OnlySome), Some(Kind::OnlySome)]);
    }

    #[test]
    fn overlapping_spans_of_one_label_with_other_bounds_are_a_span_disagreement() {
        let a = [ann("a", "Source", "Дмитрий Песков")];
        let b = [ann("b", "Source", "Песков журналистам")];
        assert_eq!(kinds(&a, &b), [Some(Kind::Span)]);
        // A fragment more is other bounds too.
        let mut c = ann("c", "Claim", "Мы не отступим");
        let more = ann("x", "Claim", "сегодня");
        c.fragments.push(Fragment {
            start: more.start,
            end: more.end,
            quote: more.quote.clone(),
            prefix: more.prefix.clone(),
            suffix: more.suffix.clone(),
        });
        assert_eq!(kinds(&[c], &[ann("d", "Claim", "Мы не отступим")]), [Some(Kind::Span)]);
    }

    #[test]
    fn another_value_of_an_attribute_is_an_attribute_disagreement() {
        let a = [ann("a", "Boilerplate", "Подпишитесь на наш канал 📣").with_value("kind", "Newsletter")];
        let b = [ann("b", "Boilerplate", "Подпишитесь на наш канал 📣").with_value("kind", "Advertisement")];
        assert_eq!(kinds(&a, &b), [Some(Kind::Attribute)]);
        let mut c = b[0].clone();
        c.attributes.insert("kind".into(), AttrValue::One("Newsletter".into()));
        assert_eq!(kinds(&a, &[c]), [None], "the same value agrees");
    }

    #[test]
    fn a_claim_linked_to_another_source_is_a_source_disagreement() {
        let a = [
            linked(ann("a1", "Claim", "Мы не отступим"), "source", "a2"),
            ann("a2", "Source", "Дмитрий Песков"),
            ann("a3", "Source", "журналистам"),
        ];
        let b = [
            linked(ann("b1", "Claim", "Мы не отступим"), "source", "b3"),
            ann("b2", "Source", "Дмитрий Песков"),
            ann("b3", "Source", "журналистам"),
        ];
        assert_eq!(kinds(&a, &b), [Some(Kind::Source), None, None]);
        // A source mention naming another entity is a source disagreement too.
        let mut p = ann("p", "Source", "Песков");
        p.entity = Some(crate::model::entities::EntityId("dmitry-peskov".into()));
        let mut q = p.clone();
        q.entity = Some(crate::model::entities::EntityId("someone-else".into()));
        assert_eq!(kinds(&[p], &[q]), [Some(Kind::Source)]);
    }

    #[test]
    fn proposed_and_rejected_suggestions_are_not_coding() {
        let mut s = ann("a", "Claim", "Мы не отступим");
        s.status = Status::Proposed;
        let mut r = ann("a2", "Source", "Дмитрий Песков");
        r.status = Status::Rejected;
        assert!(disagreements(&[("алиса", &[s, r]), ("боб", &[])], &[], book()).is_empty());
    }

    #[test]
    fn a_unit_gold_holds_a_version_of_is_resolved() {
        let a = [ann("a", "Source", "Дмитрий Песков")];
        let b = [ann("b", "Source", "Песков журналистам")];
        let gold = [ann("g", "Source", "Песков")];
        let units = disagreements(&[("алиса", &a), ("боб", &b)], &gold, book());
        assert!(units[0].resolved);
        let other = [ann("g", "Claim", "Песков")];
        assert!(!disagreements(&[("алиса", &a), ("боб", &b)], &other, book())[0].resolved, "another label");
    }

    fn applied(gold: &[Annotation], edits: &[Edit]) -> Vec<Annotation> {
        let mut out = gold.to_vec();
        apply(&mut out, edits);
        out
    }

    #[test]
    fn taking_a_claim_brings_its_source_and_cue_with_new_ids_and_links() {
        let a = [
            linked(linked(ann("a1", "Claim", "Мы не отступим"), "source", "a2"), "cue", "a3"),
            ann("a2", "Source", "Дмитрий Песков"),
            ann("a3", "Cue", "заявил"),
        ];
        let b = [ann("b1", "Claim", "Мы не отступим»")];
        let coders: [(&str, &[Annotation]); 2] = [("алиса", &a), ("боб", &b)];
        let units = disagreements(&coders, &[], book());
        let claim = units.iter().find(|u| u.labels == [LabelId::new("Claim")]).unwrap();
        assert_eq!(claim.kind, Some(Kind::Span));
        let gold = applied(&[], &take(claim, &coders, &[], &[], Take::Coder(0), "2026-12-02T00:00:00Z"));
        assert_eq!(gold.len(), 3, "{gold:?}");
        let c = gold.iter().find(|g| g.label.as_str() == "Claim").unwrap();
        let s = gold.iter().find(|g| g.label.as_str() == "Source").unwrap();
        let v = gold.iter().find(|g| g.label.as_str() == "Cue").unwrap();
        assert_eq!(c.linked("source"), std::slice::from_ref(&s.id));
        assert_eq!(c.linked("cue"), std::slice::from_ref(&v.id));
        assert!(gold.iter().all(|g| g.author == "алиса" && !["a1", "a2", "a3"].contains(&g.id.0.as_str())));
        assert_eq!(c.quote, "Мы не отступим");
        // Everything that came along is resolved now.
        assert!(disagreements(&coders, &gold, book()).iter().all(|u| u.resolved));
        // Taking the other coder's version instead replaces the claim, keeps the source.
        let again = applied(&gold, &take(claim, &coders, &gold, &[], Take::Coder(1), "2026-12-02T00:01:00Z"));
        let c2 = again.iter().find(|g| g.label.as_str() == "Claim").unwrap();
        assert_eq!((c2.quote.as_str(), c2.author.as_str()), ("Мы не отступим»", "боб"));
        assert_eq!(again.len(), 3);
        // Taking the source's unit again keeps the claim it came with linked to it.
        let source = units.iter().find(|u| u.labels == [LabelId::new("Source")]).unwrap();
        let relinked = applied(&gold, &take(source, &coders, &gold, &[], Take::Coder(0), "2026-12-02T00:02:00Z"));
        let s2 = relinked.iter().find(|g| g.label.as_str() == "Source").unwrap();
        assert_ne!(s2.id, s.id, "a new copy");
        let c3 = relinked.iter().find(|g| g.label.as_str() == "Claim").unwrap();
        assert_eq!(c3.linked("source"), std::slice::from_ref(&s2.id));
    }

    #[test]
    fn taking_all_copies_each_version_once_and_links_to_a_source_gold_has() {
        let a = [linked(ann("a1", "Claim", "Мы не отступим"), "source", "a2"), ann("a2", "Source", "Дмитрий Песков")];
        let b = [linked(ann("b1", "Claim", "не отступим"), "source", "b2"), ann("b2", "Source", "Дмитрий Песков")];
        let coders: [(&str, &[Annotation]); 2] = [("алиса", &a), ("боб", &b)];
        let gold = [ann("g", "Source", "Дмитрий Песков")];
        let units = disagreements(&coders, &gold, book());
        let claim = units.iter().find(|u| u.labels == [LabelId::new("Claim")]).unwrap();
        let out = applied(&gold, &take(claim, &coders, &gold, &[], Take::All, "2026-12-02T00:00:00Z"));
        let claims: Vec<_> = out.iter().filter(|g| g.label.as_str() == "Claim").collect();
        assert_eq!(claims.len(), 2, "{out:?}");
        assert!(claims.iter().all(|c| c.linked("source") == [AnnotationId("g".into())]), "{claims:?}");
        assert_eq!(out.len(), 3, "the source gold had is linked, not copied");
    }

    #[test]
    fn taking_both_of_an_attribute_disagreement_keeps_both_values() {
        let a = [ann("a", "Boilerplate", "Подпишитесь на наш канал 📣").with_value("kind", "Newsletter")];
        let b = [ann("b", "Boilerplate", "Подпишитесь на наш канал 📣").with_value("kind", "Advertisement")];
        let coders: [(&str, &[Annotation]); 2] = [("алиса", &a), ("боб", &b)];
        let units = disagreements(&coders, &[], book());
        let out = applied(&[], &take(&units[0], &coders, &[], &[], Take::All, "2026-12-02T00:00:00Z"));
        let mut kinds: Vec<String> = out.iter().map(|g| g.attributes["kind"].to_string()).collect();
        kinds.sort();
        assert_eq!(kinds, ["Advertisement", "Newsletter"]);
    }

    #[test]
    fn taking_none_keeps_declined_copies_that_resolve_the_unit_and_count_for_nothing() {
        let a = [ann("a", "Source", "журналистам")];
        let coders: [(&str, &[Annotation]); 2] = [("алиса", &a), ("боб", &[])];
        let units = disagreements(&coders, &[], book());
        let edits = take(&units[0], &coders, &[], &[], Take::None, "2026-12-02T00:00:00Z");
        let out = applied(&[], &edits);
        assert_eq!(out.len(), 1);
        assert!(out[0].is_rejected() && out[0].links.is_empty());
        assert!(disagreements(&coders, &out, book())[0].resolved);
        // Then taking the coder's version replaces the declined copy.
        let live: Vec<Annotation> = Vec::new();
        let back = applied(&out, &take(&units[0], &coders, &live, &out, Take::Coder(0), "2026-12-02T00:01:00Z"));
        assert_eq!(back.len(), 1);
        assert!(!back[0].is_rejected());
    }
}
