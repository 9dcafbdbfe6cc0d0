//! Span agreement: how many of one coder's units the other coder also marked, with the same
//! label, either exactly (every piece the same) or overlapping (sharing a code point).
//!
//! Coder A is the reference of a pair and B is compared with it: precision is the share of
//! B's units that have a match among A's, recall the share of A's units that have a match
//! among B's. Swapping the coders swaps precision and recall and leaves F1 as it is. The
//! one-to-one [`matching`] pairs units for the attribute and attribution figures.

use super::units::{Coding, Unit};
use serde::Serialize;

/// The counts behind a pair's precision and recall on one label (or all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpanTally {
    /// Units of coder A, of coder B.
    pub a: u64,
    pub b: u64,
    /// A's units that B marked exactly; B's units that A marked exactly.
    pub exact_a: u64,
    pub exact_b: u64,
    /// A's units that some unit of B overlaps; B's units that some unit of A overlaps.
    pub overlap_a: u64,
    pub overlap_b: u64,
}

impl SpanTally {
    /// The tally of label `l` between two codings.
    pub fn of(a: &Coding, b: &Coding, l: usize) -> SpanTally {
        let ua: Vec<&Unit> = a.of_label(l).map(|(_, u)| u).collect();
        let ub: Vec<&Unit> = b.of_label(l).map(|(_, u)| u).collect();
        let found = |x: &Unit, ys: &[&Unit], exact: bool| {
            ys.iter().any(|y| if exact { x.pieces == y.pieces } else { x.overlap(y) > 0 })
        };
        let count = |xs: &[&Unit], ys: &[&Unit], exact: bool| xs.iter().filter(|x| found(x, ys, exact)).count() as u64;
        SpanTally {
            a: ua.len() as u64,
            b: ub.len() as u64,
            exact_a: count(&ua, &ub, true),
            exact_b: count(&ub, &ua, true),
            overlap_a: count(&ua, &ub, false),
            overlap_b: count(&ub, &ua, false),
        }
    }

    pub fn add(&mut self, o: &SpanTally) {
        self.a += o.a;
        self.b += o.b;
        self.exact_a += o.exact_a;
        self.exact_b += o.exact_b;
        self.overlap_a += o.overlap_a;
        self.overlap_b += o.overlap_b;
    }

    pub fn figures(&self) -> SpanFigures {
        SpanFigures {
            exact: Prf::of(self.a, self.b, self.exact_a, self.exact_b),
            overlap: Prf::of(self.a, self.b, self.overlap_a, self.overlap_b),
        }
    }
}

/// Precision, recall and F1; `None` where there is nothing to divide by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

impl Prf {
    /// From the unit counts and matched counts of A and B. When one coder marked nothing and
    /// the other something, F1 is 0: that is disagreement, not a missing figure.
    pub fn of(a: u64, b: u64, found_a: u64, found_b: u64) -> Prf {
        let ratio = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
        let (precision, recall) = (ratio(found_b, b), ratio(found_a, a));
        let f1 = match (precision, recall) {
            (None, None) => None,
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            _ => Some(0.0),
        };
        Prf { precision, recall, f1 }
    }

    /// The mean of each figure over `all` (those defined), for all coders at once.
    pub fn mean<'a>(all: impl IntoIterator<Item = &'a Prf> + Clone) -> Prf {
        Prf {
            precision: mean(all.clone().into_iter().map(|p| p.precision)),
            recall: mean(all.clone().into_iter().map(|p| p.recall)),
            f1: mean(all.into_iter().map(|p| p.f1)),
        }
    }
}

/// Exact and overlap agreement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SpanFigures {
    pub exact: Prf,
    pub overlap: Prf,
}

impl SpanFigures {
    pub fn mean(all: &[SpanFigures]) -> SpanFigures {
        SpanFigures {
            exact: Prf::mean(all.iter().map(|s| &s.exact)),
            overlap: Prf::mean(all.iter().map(|s| &s.overlap)),
        }
    }
}

/// The mean of the defined values; `None` when none is.
pub fn mean(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, n) = values.into_iter().flatten().fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Pairs of units (positions in two codings' `units`) that a matching paired.
pub type Matching = Vec<(usize, usize)>;

/// Pairs of units of label `l`, one of each coding, each unit in at most one pair: the
/// overlapping pairs taken greedily by the most shared code points (exact matches first on
/// ties, then text order), so two coders' versions of one claim are compared with each
/// other, not with a neighbour. Returns positions in the codings' `units`.
pub fn matching(a: &Coding, b: &Coding, l: usize) -> Matching {
    let mut candidates: Vec<(usize, bool, usize, usize)> = Vec::new();
    for (i, x) in a.of_label(l) {
        for (j, y) in b.of_label(l) {
            let shared = x.overlap(y);
            if shared > 0 {
                candidates.push((shared, x.pieces == y.pieces, i, j));
            }
        }
    }
    candidates.sort_unstable_by(|p, q| q.0.cmp(&p.0).then(q.1.cmp(&p.1)).then(p.2.cmp(&q.2)).then(p.3.cmp(&q.3)));
    let (mut used_a, mut used_b) = (vec![false; a.units.len()], vec![false; b.units.len()]);
    let mut out = Vec::new();
    for (_, _, i, j) in candidates {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            out.push((i, j));
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::ann;
    use super::*;
    use crate::model::annotation::LabelId;

    const TEXT: &str = "Министр Иванов заявил: «Цены вырастут». Ещё он сказал, что «зима будет тёплой».";

    fn coding(spans: &[(usize, usize)]) -> Coding {
        let anns: Vec<_> = spans.iter().map(|&(s, e)| ann("Claim", TEXT, s, e)).collect();
        Coding::of(&anns, &[LabelId::new("Claim")], TEXT.chars().count())
    }

    #[test]
    fn identical_coders_agree_fully_and_disjoint_ones_not_at_all() {
        let a = coding(&[(23, 38), (59, 79)]);
        let f = SpanTally::of(&a, &a, 0).figures();
        assert_eq!((f.exact.f1, f.overlap.f1), (Some(1.0), Some(1.0)));
        let b = coding(&[(0, 14)]);
        let f = SpanTally::of(&a, &b, 0).figures();
        assert_eq!((f.exact.precision, f.exact.recall, f.exact.f1), (Some(0.0), Some(0.0), Some(0.0)));
        let none = coding(&[]);
        assert_eq!(SpanTally::of(&none, &none, 0).figures().exact.f1, None, "nothing to compare");
        assert_eq!(SpanTally::of(&a, &none, 0).figures().overlap.f1, Some(0.0), "one coder marked nothing");
    }

    #[test]
    fn overlap_counts_a_shifted_span_and_exact_does_not() {
        let (a, b) = (coding(&[(23, 38), (59, 79)]), coding(&[(24, 38), (59, 79), (0, 7)]));
        let f = SpanTally::of(&a, &b, 0).figures();
        // Exact: 1 of B's 3, 1 of A's 2. Overlap: 2 of 3, 2 of 2.
        assert_eq!((f.exact.precision, f.exact.recall), (Some(1.0 / 3.0), Some(0.5)));
        assert_eq!((f.overlap.precision, f.overlap.recall), (Some(2.0 / 3.0), Some(1.0)));
        let swapped = SpanTally::of(&b, &a, 0).figures();
        assert_eq!(swapped.exact.f1, f.exact.f1, "F1 does not depend on which coder is the reference");
    }

    #[test]
    fn matching_pairs_each_unit_once_by_the_most_shared_text() {
        let a = coding(&[(23, 38)]);
        let b = coding(&[(20, 25), (24, 38)]);
        assert_eq!(matching(&a, &b, 0), vec![(0, 1)]);
    }
}
