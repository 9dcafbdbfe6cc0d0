//! Krippendorff's unitizing α (α_U, Krippendorff 1995), as DKPro Agreement computes it and
//! INCEpTION reports it.
//!
//! Character κ and α treat code points as independent units; α_U instead compares where
//! coders put the boundaries of their units along the text (the continuum), so a unit split
//! in two or shifted by a word costs what its misplaced length costs. Each coder's
//! continuum is cut into their units of the label and the gaps between them. For a pair of
//! coders, every unit of one that overlaps a unit of the other costs the squared
//! differences of their starts and ends; a unit lying wholly in the other's gap costs its
//! squared length. The expected disagreement is that of all the ways the same units and
//! gaps could have been laid out (DKPro's `calculateExpectedCategoryDisagreement`), so
//! α_U = 1 − D_o / D_e. A coder's overlapping units of one label are joined first, as
//! DKPro requires units of one category not to overlap; touching units stay two.

use super::units::Span;

/// One coder's units and gaps of one label in one article: enough to stitch articles into
/// one continuum for the corpus figure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The units, sorted and not overlapping (touching allowed).
    pub units: Vec<Span>,
    /// The article's length in code points.
    pub chars: usize,
}

impl Layout {
    /// The layout of `pieces` (any order, overlaps joined) over `chars` code points.
    pub fn of(mut pieces: Vec<Span>, chars: usize) -> Self {
        pieces.sort_unstable();
        let mut units: Vec<Span> = Vec::with_capacity(pieces.len());
        for (s, e) in pieces {
            match units.last_mut() {
                Some(last) if s < last.1 => last.1 = last.1.max(e),
                _ => units.push((s, e)),
            }
        }
        Layout { units, chars }
    }

    /// The gaps before, between and after the units (none of length 0), in order.
    fn gaps(&self) -> Vec<u64> {
        let mut out = Vec::with_capacity(self.units.len() + 1);
        let mut at = 0;
        for &(s, e) in &self.units {
            if s > at {
                out.push((s - at) as u64);
            }
            at = e;
        }
        if self.chars > at {
            out.push((self.chars - at) as u64);
        }
        out
    }

    /// The continuum as segments: (start, end, is a unit).
    fn segments(&self) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::with_capacity(self.units.len() * 2 + 1);
        let mut at = 0;
        for &(s, e) in &self.units {
            if s > at {
                out.push((at, s, false));
            }
            out.push((s, e, true));
            at = e;
        }
        if self.chars > at {
            out.push((at, self.chars, false));
        }
        out
    }
}

/// The observed disagreement of two coders over one article, before normalising: the sum
/// of δ over every pair of their overlapping segments.
pub fn observed(a: &Layout, b: &Layout) -> u128 {
    let (sa, sb) = (a.segments(), b.segments());
    let (mut i, mut j, mut sum) = (0, 0, 0u128);
    while i < sa.len() && j < sb.len() {
        sum += delta(sa[i], sb[j]);
        if sa[i].1 < sb[j].1 {
            i += 1;
        } else if sb[j].1 < sa[i].1 {
            j += 1;
        } else {
            i += 1;
            j += 1;
        }
    }
    sum
}

/// δ of two overlapping segments: both units, the squared differences of their starts and
/// ends; a unit inside the other's gap, its squared length; otherwise 0.
fn delta(g: (usize, usize, bool), h: (usize, usize, bool)) -> u128 {
    let sq = |x: usize, y: usize| {
        let d = x.abs_diff(y) as u128;
        d * d
    };
    match (g.2, h.2) {
        (true, true) => sq(g.0, h.0) + sq(g.1, h.1),
        (true, false) if h.0 <= g.0 && g.1 <= h.1 => sq(g.1, g.0),
        (false, true) if g.0 <= h.0 && h.1 <= g.1 => sq(h.1, h.0),
        _ => 0,
    }
}

/// What α_U of one label needs from a set of coders: the observed sum over pairs and, for
/// the expected disagreement, every unit's length and every gap's length.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub coders: u64,
    /// The continuum's length.
    pub length: u64,
    /// Σ δ over all pairs of coders.
    pub observed: u128,
    pub units: Vec<u64>,
    pub gaps: Vec<u64>,
}

impl Tally {
    /// The tally of `layouts` (one per coder) of one continuum. For several articles laid
    /// end to end, pass each coder's layouts in article order: a gap that runs over the end
    /// of one article into the next is one gap.
    pub fn of(layouts: &[Vec<&Layout>]) -> Tally {
        let coders = layouts.len();
        let length = layouts.first().map_or(0, |l| l.iter().map(|x| x.chars as u64).sum());
        let mut t = Tally { coders: coders as u64, length, ..Tally::default() };
        for a in 0..coders {
            for b in a + 1..coders {
                t.observed += layouts[a].iter().zip(&layouts[b]).map(|(x, y)| observed(x, y)).sum::<u128>();
            }
            let mut carry = 0u64;
            for l in &layouts[a] {
                t.units.extend(l.units.iter().map(|&(s, e)| (e - s) as u64));
                if l.units.is_empty() {
                    carry += l.chars as u64;
                    continue;
                }
                let mut gaps = l.gaps();
                let leading = l.units[0].0 > 0;
                let trailing = l.units.last().is_some_and(|u| u.1 < l.chars);
                if leading {
                    gaps[0] += carry;
                } else if carry > 0 {
                    gaps.insert(0, carry);
                }
                carry = if trailing { gaps.pop().unwrap_or(0) } else { 0 };
                t.gaps.extend(gaps);
            }
            if carry > 0 {
                t.gaps.push(carry);
            }
        }
        t
    }

    /// D_o = 2·Σδ / (R·(R−1)·L²).
    pub fn observed_disagreement(&self) -> f64 {
        let (r, l) = (self.coders as f64, self.length as f64);
        2.0 * self.observed as f64 / (r * (r - 1.0) * l * l)
    }

    /// D_e = 2/L · Σ_units [(N−1)·(2ℓ³ − 3ℓ² + ℓ)/3 + ℓ²·Σ_{gaps G ≥ ℓ} (G − ℓ + 1)]
    ///       / (R·L·(R·L − 1) − Σ_units ℓ·(ℓ − 1)),
    /// with N the number of units of all coders; exact integers until the division.
    pub fn expected_disagreement(&self) -> f64 {
        let mut gaps = self.gaps.clone();
        gaps.sort_unstable();
        // suffix[i] = Σ gaps[i..]
        let mut suffix = vec![0u128; gaps.len() + 1];
        for i in (0..gaps.len()).rev() {
            suffix[i] = suffix[i + 1] + u128::from(gaps[i]);
        }
        let n = self.units.len() as u128;
        let mut sum = 0u128;
        let mut squares = 0u128;
        for &len in &self.units {
            let l = u128::from(len);
            // ℓ(ℓ−1)(2ℓ−1) is 2ℓ³ − 3ℓ² + ℓ, and always a multiple of 6.
            sum += n.saturating_sub(1) * (l * l.saturating_sub(1) * (2 * l).saturating_sub(1) / 3);
            let from = gaps.partition_point(|&g| g < len);
            let count = (gaps.len() - from) as u128;
            sum += l * l * (suffix[from] - count * l.saturating_sub(1));
            squares += l * l.saturating_sub(1);
        }
        let (r, len) = (u128::from(self.coders), u128::from(self.length));
        let denominator = (r * len * (r * len).saturating_sub(1)) as f64 - squares as f64;
        2.0 * sum as f64 / len as f64 / denominator
    }

    /// α_U: `None` when no coder has a unit of the label; 0 when D_o = D_e (DKPro's rule).
    pub fn alpha(&self) -> Option<f64> {
        if self.units.is_empty() || self.coders < 2 || self.length == 0 {
            return None;
        }
        alpha_of(self.observed_disagreement(), self.expected_disagreement())
    }
}

/// 1 − D_o / D_e, with DKPro's 0 when the two are equal; `None` if not finite.
pub fn alpha_of(observed: f64, expected: f64) -> Option<f64> {
    if observed == expected {
        return Some(0.0);
    }
    Some(1.0 - observed / expected).filter(|a| a.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Krippendorff's (1995, p. 57) example, as DKPro Agreement's tests lay it out: 24
    /// positions, two coders, four categories A–D (coder, start, length), stretched.
    fn example(stretch: usize) -> Vec<(char, Vec<Layout>)> {
        let all: Vec<(char, usize, usize, usize)> = vec![
            ('A', 0, 2, 8),
            ('A', 0, 14, 6),
            ('A', 1, 4, 4),
            ('A', 1, 15, 2),
            ('B', 0, 0, 18),
            ('B', 1, 0, 2),
            ('B', 1, 2, 1),
            ('B', 1, 3, 1),
            ('B', 1, 4, 1),
            ('B', 1, 5, 1),
            ('B', 1, 6, 3),
            ('B', 1, 9, 1),
            ('C', 0, 2, 6),
            ('C', 0, 10, 2),
            ('C', 0, 14, 4),
            ('C', 0, 20, 2),
            ('C', 1, 0, 2),
            ('C', 1, 4, 4),
            ('C', 1, 10, 4),
            ('C', 1, 16, 2),
            ('C', 1, 20, 2),
            ('D', 0, 0, 2),
            ('D', 0, 2, 8),
            ('D', 0, 10, 4),
            ('D', 0, 14, 6),
            ('D', 0, 20, 4),
            ('D', 1, 0, 4),
            ('D', 1, 4, 4),
            ('D', 1, 8, 7),
            ('D', 1, 15, 2),
            ('D', 1, 17, 7),
        ];
        ['A', 'B', 'C', 'D']
            .into_iter()
            .map(|cat| {
                let layouts = (0..2)
                    .map(|coder| {
                        let units = all
                            .iter()
                            .filter(|u| u.0 == cat && u.1 == coder)
                            .map(|u| (u.2 * stretch, (u.2 + u.3) * stretch))
                            .collect();
                        Layout::of(units, 24 * stretch)
                    })
                    .collect();
                (cat, layouts)
            })
            .collect()
    }

    fn tally(layouts: &[Layout]) -> Tally {
        let per: Vec<Vec<&Layout>> = layouts.iter().map(|l| vec![l]).collect();
        Tally::of(&per)
    }

    #[test]
    fn unitizing_alpha_reproduces_krippendorffs_1995_example() {
        // DKPro Agreement's published figures for the example: D_o at the example's own
        // size, D_e and α_U stretched to 1.2 million positions (the continuous case).
        for ((cat, layouts), d_o) in example(1).iter().zip([0.03125, 2.26736, 0.02777, 0.38715]) {
            let got = tally(layouts).observed_disagreement();
            assert!((got - d_o).abs() < 1e-5, "{cat}: D_o {got} ≠ {d_o}");
        }
        for ((cat, layouts), (d_e, alpha)) in
            example(50_000).iter().zip([(0.06990, 0.553), (1.17731, -0.926), (0.08642, 0.679), (0.41445, 0.066)])
        {
            let t = tally(layouts);
            let (got_e, got) = (t.expected_disagreement(), t.alpha().unwrap());
            assert!((got_e - d_e).abs() < 0.005, "{cat}: D_e {got_e} ≠ {d_e}");
            assert!((got - alpha).abs() < 0.02, "{cat}: α_U {got} ≠ {alpha}");
        }
    }

    #[test]
    fn identical_units_give_one_and_no_units_no_figure() {
        let l = Layout::of(vec![(3, 9), (12, 20)], 40);
        assert_eq!(tally(&[l.clone(), l.clone(), l]).alpha(), Some(1.0));
        let empty = Layout::of(vec![], 40);
        assert_eq!(tally(&[empty.clone(), empty]).alpha(), None);
    }

    #[test]
    fn articles_laid_end_to_end_join_the_gaps_at_their_borders() {
        let (a1, a2) = (Layout::of(vec![(2, 4)], 10), Layout::of(vec![(3, 5)], 10));
        let empty = Layout::of(vec![], 10);
        let t = Tally::of(&[vec![&a1, &empty, &a2], vec![&a1, &empty, &a2]]);
        let mut gaps = t.gaps.clone();
        gaps.sort_unstable();
        // Per coder: 2 before the first unit, 6 + 10 + 3 between, 5 after.
        assert_eq!(gaps, vec![2, 2, 5, 5, 19, 19]);
        let whole = Layout::of(vec![(2, 4), (23, 25)], 30);
        let joined = tally(&[whole.clone(), whole]);
        let mut g2 = joined.gaps.clone();
        g2.sort_unstable();
        assert_eq!(g2, gaps, "the same as one article of the same units");
    }
}
