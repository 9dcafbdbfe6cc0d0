//! What each coder coded in one article, in the shape the figures need.
//!
//! An annotation file holds more than the coding (open and rejected suggestions, pieces that
//! no longer fit the text): agreement must compare only what a coder put forward as their
//! coding, so this module is the one place that decides what a unit is. A unit is one
//! accepted annotation of a label the comparison covers, with every piece (fragment) it has,
//! in code points of the article's text.

use crate::model::annotation::{Annotation, LabelId, Status};

/// One piece of text, in code points, half-open.
pub type Span = (usize, usize);

/// One accepted annotation as a unit of agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The label's position in the compared labels.
    pub label: usize,
    /// Every piece, in text order, each non-empty and inside the text.
    pub pieces: Vec<Span>,
    /// From the first piece's start to the last piece's end.
    pub hull: Span,
    /// The annotation's position in the coder's list for the article.
    pub ann: usize,
}

impl Unit {
    /// How many code points this unit and `other` share (pieces of one unit never overlap
    /// in a valid file; if they do, the shared code points count once per pair of pieces).
    pub fn overlap(&self, other: &Unit) -> usize {
        if self.hull.1 <= other.hull.0 || other.hull.1 <= self.hull.0 {
            return 0;
        }
        let mut n = 0;
        for a in &self.pieces {
            for b in &other.pieces {
                n += a.1.min(b.1).saturating_sub(a.0.max(b.0));
            }
        }
        n
    }
}

/// One coder's coding of one article.
#[derive(Debug, Clone, Default)]
pub struct Coding {
    /// The units, in file order.
    pub units: Vec<Unit>,
    /// For each compared label, the code points inside any of its units: sorted, disjoint,
    /// not adjacent (the union of the pieces).
    pub covered: Vec<Vec<Span>>,
    /// Annotations left out because a piece lay outside the text or was empty.
    pub misfits: usize,
}

impl Coding {
    /// The coding in `anns` (one coder's annotations of an article of `chars` code points)
    /// of the `labels` compared. Open and rejected suggestions are not coding.
    pub fn of(anns: &[Annotation], labels: &[LabelId], chars: usize) -> Coding {
        let mut units = Vec::new();
        let mut misfits = 0;
        for (i, a) in anns.iter().enumerate() {
            if a.status != Status::Accepted {
                continue;
            }
            let Some(label) = labels.iter().position(|l| *l == a.label) else { continue };
            let mut pieces: Vec<Span> = a.pieces().map(|(r, _)| (r.start, r.end)).collect();
            if pieces.iter().any(|&(s, e)| s >= e || e > chars) {
                misfits += 1;
                continue;
            }
            pieces.sort_unstable();
            let hull = (pieces[0].0, pieces.iter().map(|p| p.1).max().unwrap_or(pieces[0].1));
            units.push(Unit { label, pieces, hull, ann: i });
        }
        let mut covered = vec![Vec::new(); labels.len()];
        for u in &units {
            covered[u.label].extend_from_slice(&u.pieces);
        }
        for c in &mut covered {
            *c = union(std::mem::take(c));
        }
        Coding { units, covered, misfits }
    }

    /// The units of label `l`.
    pub fn of_label(&self, l: usize) -> impl Iterator<Item = (usize, &Unit)> {
        self.units.iter().enumerate().filter(move |(_, u)| u.label == l)
    }
}

/// The union of `spans`: sorted, disjoint, and with touching spans joined.
pub fn union(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The total length of disjoint spans.
pub fn length(spans: &[Span]) -> usize {
    spans.iter().map(|(s, e)| e - s).sum()
}

/// The length of the intersection of two sorted disjoint span lists (one pass over both).
pub fn shared(a: &[Span], b: &[Span]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (s, e) = (a[i].0.max(b[j].0), a[i].1.min(b[j].1));
        n += e.saturating_sub(s);
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::super::tests::ann;
    use super::*;
    use crate::model::annotation::{Fragment, Status};

    #[test]
    fn only_accepted_annotations_of_compared_labels_are_units_with_all_their_fragments() {
        let text = "«Мы не отступим», — сказал Песков. «Никогда»";
        let labels = [LabelId::new("Claim"), LabelId::new("Source")];
        let mut claim = ann("Claim", text, 1, 15);
        claim.fragments.push(Fragment {
            start: 36,
            end: 43,
            quote: "Никогда".into(),
            prefix: String::new(),
            suffix: String::new(),
        });
        let source = ann("Source", text, 27, 33);
        let open = Annotation { status: Status::Proposed, ..ann("Source", text, 0, 3) };
        let rejected = Annotation { status: Status::Rejected, ..ann("Claim", text, 0, 3) };
        let cue = ann("Cue", text, 20, 26);
        let outside = ann("Source", text, 40, 43);
        let outside = Annotation { end: 99, ..outside };
        let c = Coding::of(&[claim, source, open, rejected, cue, outside], &labels, text.chars().count());
        assert_eq!(c.units.len(), 2, "{c:?}");
        assert_eq!(c.units[0].pieces, vec![(1, 15), (36, 43)]);
        assert_eq!(c.units[0].hull, (1, 43));
        assert_eq!(c.covered[0], vec![(1, 15), (36, 43)]);
        assert_eq!(c.covered[1], vec![(27, 33)]);
        assert_eq!(c.misfits, 1, "the piece past the end of the text is named, not counted");
    }

    #[test]
    fn spans_are_joined_and_intersected_by_code_point() {
        assert_eq!(union(vec![(5, 9), (0, 2), (2, 3), (8, 12)]), vec![(0, 3), (5, 12)]);
        assert_eq!(shared(&[(0, 3), (5, 12)], &[(2, 6), (10, 20)]), 1 + 1 + 2);
        assert_eq!(length(&[(0, 3), (5, 12)]), 10);
    }
}
