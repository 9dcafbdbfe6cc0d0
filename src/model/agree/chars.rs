//! Character-level agreement: Cohen's κ for a pair of coders, Krippendorff's α (nominal)
//! for all of them, on the coding of each code point.
//!
//! Every code point of every article is a unit; a coder's value for it is 1 inside a span of
//! the label and 0 outside (per label), or the set of labels covering it (overall). Articles
//! have thousands of code points and coders a few dozen spans, so nothing here walks code
//! points: the figures are computed from span boundaries (run lengths), and the tallies are
//! sums, so articles are tallied apart (in parallel) and added up.

use super::units::{Span, shared};
use std::collections::HashMap;

/// The 2×2 table of one pair of coders on one label, in code points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairTable {
    /// Coded by both.
    pub both: u64,
    /// Coded by the first only.
    pub first: u64,
    /// Coded by the second only.
    pub second: u64,
    /// All code points compared.
    pub total: u64,
}

impl PairTable {
    /// The table of two coders' covered spans over `chars` code points.
    pub fn of(a: &[Span], b: &[Span], chars: usize) -> Self {
        let both = shared(a, b) as u64;
        let (la, lb) = (super::units::length(a) as u64, super::units::length(b) as u64);
        PairTable { both, first: la - both, second: lb - both, total: chars as u64 }
    }

    pub fn add(&mut self, o: &PairTable) {
        self.both += o.both;
        self.first += o.first;
        self.second += o.second;
        self.total += o.total;
    }

    /// Cohen's κ: (p_o − p_e) / (1 − p_e), in exact integer arithmetic until the division;
    /// `None` when p_e = 1 (both coders gave one and the same value everywhere).
    pub fn kappa(&self) -> Option<f64> {
        let n = u128::from(self.total);
        let a1 = u128::from(self.both + self.first);
        let b1 = u128::from(self.both + self.second);
        let agree = n - u128::from(self.first) - u128::from(self.second);
        let chance = a1 * b1 + (n - a1) * (n - b1);
        kappa_from(agree * n, chance, n * n)
    }
}

/// κ = (agree − chance) / (all − chance), each scaled by the same factor.
fn kappa_from(agree: u128, chance: u128, all: u128) -> Option<f64> {
    if all == chance {
        return None;
    }
    Some((agree as f64 - chance as f64) / (all as f64 - chance as f64))
}

/// The tally of Krippendorff's α over units that every coder coded (`coders` values each),
/// values of type `V`: the sum over units of Σ_{c≠k} n_uc·n_uk (the unit's disagreeing ordered
/// pairs of values), weighted by the unit's length, and each value's total count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullAlpha<V: std::hash::Hash + Eq> {
    pub coders: u64,
    pub disagreeing: u128,
    pub totals: HashMap<V, u128>,
}

impl<V: std::hash::Hash + Eq + Clone> FullAlpha<V> {
    pub fn new(coders: usize) -> Self {
        FullAlpha { coders: coders as u64, disagreeing: 0, totals: HashMap::new() }
    }

    /// Adds `len` units whose values are `values` (one per coder).
    pub fn unit(&mut self, len: u64, values: &[V]) {
        let mut counts: Vec<(&V, u64)> = Vec::with_capacity(values.len());
        for v in values {
            match counts.iter_mut().find(|(w, _)| *w == v) {
                Some(c) => c.1 += 1,
                None => counts.push((v, 1)),
            }
        }
        let m = values.len() as u64;
        let same: u64 = counts.iter().map(|(_, c)| c * c).sum();
        self.disagreeing += u128::from(len) * u128::from(m * m - same);
        for (v, c) in counts {
            *self.totals.entry(v.clone()).or_default() += u128::from(len * c);
        }
    }

    pub fn add(&mut self, o: &FullAlpha<V>) {
        self.disagreeing += o.disagreeing;
        for (v, c) in &o.totals {
            *self.totals.entry(v.clone()).or_default() += c;
        }
    }

    /// α = 1 − (n − 1)·D / ((m − 1)·(n² − Σ_v n_v²)): D_o over D_e with the coincidence
    /// matrix written out (Krippendorff 2011). `None` when every value is the same (no
    /// expected disagreement) or there are fewer than two coders.
    pub fn alpha(&self) -> Option<f64> {
        let n: u128 = self.totals.values().sum();
        let squares: u128 = self.totals.values().map(|c| c * c).sum();
        let expected = n * n - squares;
        if self.coders < 2 || expected == 0 {
            return None;
        }
        let observed = (n - 1) as f64 * self.disagreeing as f64;
        Some(1.0 - observed / ((self.coders - 1) as f64 * expected as f64))
    }
}

/// The α tally of one label over one article: each code point's value per coder is whether
/// it lies in that coder's `covered` spans. A sweep over the spans' ends gives how many
/// code points have exactly j coders at 1.
pub fn label_alpha(covered: &[&[Span]], chars: usize) -> FullAlpha<bool> {
    let m = covered.len();
    let mut ends: Vec<(usize, i32)> = Vec::new();
    for c in covered {
        for &(s, e) in *c {
            ends.push((s, 1));
            ends.push((e, -1));
        }
    }
    ends.sort_unstable();
    let mut by_count = vec![0u64; m + 1];
    let (mut at, mut depth) = (0usize, 0i32);
    for (pos, d) in ends {
        by_count[depth as usize] += (pos - at) as u64;
        at = pos;
        depth += d;
    }
    by_count[0] += (chars - at) as u64;
    let mut t = FullAlpha::new(m);
    for (j, &len) in by_count.iter().enumerate() {
        if len > 0 {
            let values: Vec<bool> = (0..m).map(|k| k < j).collect();
            t.unit(len, &values);
        }
    }
    t
}

/// A coder's value at each code point when all labels count at once: the set of labels
/// covering it, as bits of the labels' positions.
pub type Mask = u64;

/// The most labels the overall figure can tell apart (bits of a [`Mask`]).
pub const MAX_OVERALL_LABELS: usize = 64;

/// Each coder's label set as a step function over the article: (start, mask) pairs, the
/// first at 0, each mask holding until the next start.
pub fn steps(covered: &[Vec<Span>]) -> Vec<(usize, Mask)> {
    let mut ends: Vec<(usize, bool, usize)> = Vec::new();
    for (l, spans) in covered.iter().enumerate().take(MAX_OVERALL_LABELS) {
        for &(s, e) in spans {
            ends.push((s, true, l));
            ends.push((e, false, l));
        }
    }
    // Ends before starts at one position, so a span that starts where another of the same
    // label ends (never, after union) or of another label ends leaves the right bits.
    ends.sort_unstable_by_key(|&(p, start, l)| (p, start, l));
    let mut out = vec![(0usize, 0 as Mask)];
    let mut mask: Mask = 0;
    for (p, start, l) in ends {
        if start {
            mask |= 1 << l;
        } else {
            mask &= !(1 << l);
        }
        match out.last_mut() {
            Some(last) if last.0 == p => last.1 = mask,
            _ => out.push((p, mask)),
        }
    }
    out
}

/// The overall (all labels) tallies of one article: α for all coders, and for each pair
/// the code points they agree on and each coder's value totals (for κ).
#[derive(Debug, Clone)]
pub struct Overall {
    pub alpha: FullAlpha<Mask>,
    /// Per pair (in pair order), the code points where both coders have the same label set.
    pub agree: Vec<u64>,
    /// Per coder, how many code points have each label set.
    pub marginals: Vec<HashMap<Mask, u64>>,
    pub total: u64,
}

impl Overall {
    /// Tallies the coders' step functions over `chars` code points.
    pub fn of(steps: &[Vec<(usize, Mask)>], pairs: &[(usize, usize)], chars: usize) -> Self {
        let m = steps.len();
        let mut t = Overall {
            alpha: FullAlpha::new(m),
            agree: vec![0; pairs.len()],
            marginals: vec![HashMap::new(); m],
            total: chars as u64,
        };
        let mut next = vec![0usize; m];
        let mut values = vec![0 as Mask; m];
        let mut at = 0usize;
        while at < chars {
            for k in 0..m {
                while next[k] < steps[k].len() && steps[k][next[k]].0 <= at {
                    values[k] = steps[k][next[k]].1;
                    next[k] += 1;
                }
            }
            let until = (0..m).filter_map(|k| steps[k].get(next[k]).map(|s| s.0)).min().unwrap_or(chars).min(chars);
            let len = (until - at) as u64;
            t.alpha.unit(len, &values);
            for (p, &(a, b)) in pairs.iter().enumerate() {
                if values[a] == values[b] {
                    t.agree[p] += len;
                }
            }
            for (marginal, v) in t.marginals.iter_mut().zip(&values) {
                *marginal.entry(*v).or_default() += len;
            }
            at = until;
        }
        t
    }

    pub fn add(&mut self, o: &Overall) {
        self.alpha.add(&o.alpha);
        for (a, b) in self.agree.iter_mut().zip(&o.agree) {
            *a += b;
        }
        for (a, b) in self.marginals.iter_mut().zip(&o.marginals) {
            for (v, c) in b {
                *a.entry(*v).or_default() += c;
            }
        }
        self.total += o.total;
    }

    /// Cohen's κ of pair `p` (coders `a` and `b`) on the label sets.
    pub fn kappa(&self, p: usize, a: usize, b: usize) -> Option<f64> {
        let n = u128::from(self.total);
        let chance: u128 = self.marginals[a]
            .iter()
            .map(|(v, &ca)| u128::from(ca) * u128::from(self.marginals[b].get(v).copied().unwrap_or(0)))
            .sum();
        kappa_from(u128::from(self.agree[p]) * n, chance, n * n)
    }
}

/// Cohen's κ from a list of value counts of a pair (attributes): `agree` pairs with equal
/// values out of `n`, and each side's totals.
pub fn kappa_of_counts<V: std::hash::Hash + Eq>(
    agree: u64,
    n: u64,
    first: &HashMap<V, u64>,
    second: &HashMap<V, u64>,
) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let chance: u128 =
        first.iter().map(|(v, &c)| u128::from(c) * u128::from(second.get(v).copied().unwrap_or(0))).sum();
    let n = u128::from(n);
    kappa_from(u128::from(agree) * n, chance, n * n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_coders_give_one_and_disjoint_coders_the_known_value() {
        let a = [(0, 10), (20, 30)];
        assert_eq!(PairTable::of(&a, &a, 100).kappa(), Some(1.0));
        assert_eq!(label_alpha(&[&a, &a, &a], 100).alpha(), Some(1.0));
        // Disjoint halves: p_o = 0, p_e = 0.5, κ = −1; α = 1 − (n−1)·2N/(N·N) with n = 2N.
        let (x, y) = ([(0, 50)], [(50, 100)]);
        assert_eq!(PairTable::of(&x, &y, 100).kappa(), Some(-1.0));
        let alpha = label_alpha(&[&x, &y], 100).alpha().unwrap();
        assert!((alpha - (1.0 - 199.0 * 200.0 / (2.0 * 100.0 * 100.0))).abs() < 1e-12, "{alpha}");
        // Nothing coded by anyone: no variation, no figure.
        assert_eq!(PairTable::of(&[], &[], 10).kappa(), None);
        assert_eq!(label_alpha(&[&[], &[]], 10).alpha(), None);
    }

    #[test]
    fn the_sweep_counts_each_code_point_once_per_coder() {
        let (a, b, c) = ([(0, 4)], [(2, 6)], [(3, 5), (8, 9)]);
        let t = label_alpha(&[&a, &b, &c], 10);
        let ones: u128 = t.totals.get(&true).copied().unwrap_or(0);
        assert_eq!(ones, 4 + 4 + 3);
        assert_eq!(ones + t.totals[&false], 30);
    }

    #[test]
    fn label_sets_step_where_any_label_starts_or_ends() {
        let covered = vec![vec![(0, 5)], vec![(3, 8)]];
        assert_eq!(steps(&covered), vec![(0, 1), (3, 3), (5, 2), (8, 0)]);
        let o = Overall::of(&[steps(&covered), steps(&covered)], &[(0, 1)], 10);
        assert_eq!(o.kappa(0, 0, 1), Some(1.0));
        assert_eq!(o.alpha.alpha(), Some(1.0));
    }
}
