//! Agreement on what coders said about the spans they both marked: attribute values, and
//! who a claim is attributed to.
//!
//! Only matched units count (one-to-one by overlap, [`super::spans::matching`]): a span only
//! one coder marked is a span disagreement, counted there, and would otherwise be counted
//! twice. A unit without a value for an attribute has the value "none", which is a value
//! like any other (one coder set it, the other did not: they disagree).

use super::chars::kappa_of_counts;
use super::units::{Coding, Span};
use crate::model::annotation::{Annotation, AnnotationId};
use crate::model::entities::EntityId;
use std::collections::HashMap;

/// What an annotation's attribute holds, as a value to compare: its value as written, or
/// `none`.
pub fn value_of(a: &Annotation, attribute: &str) -> String {
    a.attributes.get(attribute).map_or_else(|| NONE.to_owned(), |v| format!("{}:{v}", v.variant()))
}

/// The value of a unit that has none.
pub const NONE: &str = "none";

/// One pair of coders on one attribute: how many matched units, how many with equal values,
/// and each coder's values (for the chance agreement).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairValues {
    pub matched: u64,
    pub agreed: u64,
    pub first: HashMap<String, u64>,
    pub second: HashMap<String, u64>,
}

impl PairValues {
    pub fn push(&mut self, a: String, b: String) {
        self.matched += 1;
        self.agreed += u64::from(a == b);
        *self.first.entry(a).or_default() += 1;
        *self.second.entry(b).or_default() += 1;
    }

    pub fn add(&mut self, o: &PairValues) {
        self.matched += o.matched;
        self.agreed += o.agreed;
        for (v, c) in &o.first {
            *self.first.entry(v.clone()).or_default() += c;
        }
        for (v, c) in &o.second {
            *self.second.entry(v.clone()).or_default() += c;
        }
    }

    pub fn kappa(&self) -> Option<f64> {
        kappa_of_counts(self.agreed, self.matched, &self.first, &self.second)
    }
}

/// Krippendorff's α over units with any number of values each (a matched group of units may
/// lack some coders): D = Σ_u (m_u² − Σ_v n_uv²)/(m_u − 1) over units with m_u ≥ 2, and
/// α = 1 − (n − 1)·D / (n² − Σ_v n_v²) with n the pairable values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alpha {
    pub disagreement: f64,
    pub totals: HashMap<String, u64>,
    /// Units with two values or more.
    pub units: u64,
}

impl Alpha {
    pub fn unit(&mut self, values: &[String]) {
        if values.len() < 2 {
            return;
        }
        let mut counts: HashMap<&str, u64> = HashMap::new();
        for v in values {
            *counts.entry(v).or_default() += 1;
        }
        let m = values.len() as u64;
        let same: u64 = counts.values().map(|c| c * c).sum();
        self.disagreement += (m * m - same) as f64 / (m - 1) as f64;
        for (v, c) in counts {
            *self.totals.entry(v.to_owned()).or_default() += c;
        }
        self.units += 1;
    }

    pub fn add(&mut self, o: &Alpha) {
        self.disagreement += o.disagreement;
        self.units += o.units;
        for (v, c) in &o.totals {
            *self.totals.entry(v.clone()).or_default() += c;
        }
    }

    pub fn alpha(&self) -> Option<f64> {
        let n: u64 = self.totals.values().sum();
        let squares: u64 = self.totals.values().map(|c| c * c).sum();
        let expected = (n * n - squares) as f64;
        (expected > 0.0).then(|| 1.0 - (n - 1) as f64 * self.disagreement / expected)
    }
}

/// A pair of coders (positions) and their matching.
pub type PairMatching = ((usize, usize), super::spans::Matching);

/// Groups of matched units for all coders: the connected parts of the pairwise matchings,
/// each a list of (coder, unit position).
pub fn groups(matchings: &[PairMatching], units: &[usize]) -> Vec<Vec<(usize, usize)>> {
    let base: Vec<usize> = units.iter().scan(0, |acc, &n| Some(std::mem::replace(acc, *acc + n))).collect();
    let total: usize = units.iter().sum();
    let mut parent: Vec<usize> = (0..total).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for ((a, b), pairs) in matchings {
        for &(i, j) in pairs {
            let (x, y) = (find(&mut parent, base[*a] + i), find(&mut parent, base[*b] + j));
            parent[x.max(y)] = x.min(y);
        }
    }
    let mut by_root: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for (coder, &start) in base.iter().enumerate() {
        for i in 0..units[coder] {
            let root = find(&mut parent, start + i);
            by_root.entry(root).or_default().push((coder, i));
        }
    }
    let mut out: Vec<Vec<(usize, usize)>> = by_root.into_values().filter(|g| g.len() > 1).collect();
    out.sort_unstable();
    out
}

/// A claim's sources as attribution compares them: each linked source's entity (resolved by
/// the caller) and its pieces.
pub type Sources = Vec<(Option<EntityId>, Vec<Span>)>;

/// The sources linked to `claim` by relation `rel` among a coder's `anns` (accepted ones,
/// by id).
pub fn sources_of(claim: &Annotation, rel: &str, by_id: &HashMap<&AnnotationId, &Annotation>) -> Sources {
    claim
        .linked(rel)
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|s| (s.entity.clone(), s.pieces().map(|(r, _)| (r.start, r.end)).collect()))
        .collect()
}

/// Whether two claims are attributed alike: both to no source, or every source of each has
/// a counterpart in the other's. Two sources are the same when both name an entity and it
/// is the same one; when either names none, when their spans overlap.
pub fn same_sources(a: &Sources, b: &Sources) -> bool {
    let same = |x: &(Option<EntityId>, Vec<Span>), y: &(Option<EntityId>, Vec<Span>)| match (&x.0, &y.0) {
        (Some(p), Some(q)) => p == q,
        _ => x.1.iter().any(|s| y.1.iter().any(|t| s.0.max(t.0) < s.1.min(t.1))),
    };
    a.iter().all(|x| b.iter().any(|y| same(x, y))) && b.iter().all(|y| a.iter().any(|x| same(x, y)))
}

/// How many matched claims a pair has, and how many of them are attributed alike.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attribution {
    pub matched: u64,
    pub same: u64,
    /// Matched claims neither coder attributed (counted in `same`).
    pub neither: u64,
}

impl Attribution {
    /// The attribution tally of two coders' codings (`a`, `b`, their accepted annotations
    /// `anns_a`, `anns_b`) for the content label `content` and source relation `rel`.
    pub fn of(
        (a, anns_a): (&Coding, &[Annotation]),
        (b, anns_b): (&Coding, &[Annotation]),
        matched: &[(usize, usize)],
        rel: &str,
    ) -> Attribution {
        let (ia, ib) = (accepted_by_id(anns_a), accepted_by_id(anns_b));
        let mut t = Attribution::default();
        for &(i, j) in matched {
            let sa = sources_of(&anns_a[a.units[i].ann], rel, &ia);
            let sb = sources_of(&anns_b[b.units[j].ann], rel, &ib);
            t.matched += 1;
            t.same += u64::from(same_sources(&sa, &sb));
            t.neither += u64::from(sa.is_empty() && sb.is_empty());
        }
        t
    }

    pub fn add(&mut self, o: &Attribution) {
        self.matched += o.matched;
        self.same += o.same;
        self.neither += o.neither;
    }

    pub fn share(&self) -> Option<f64> {
        (self.matched > 0).then(|| self.same as f64 / self.matched as f64)
    }
}

/// A coder's accepted annotations by id: a link to a suggestion is no attribution.
fn accepted_by_id(anns: &[Annotation]) -> HashMap<&AnnotationId, &Annotation> {
    anns.iter().filter(|x| x.status == crate::model::annotation::Status::Accepted).map(|x| (&x.id, x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_values_give_one_and_a_missing_value_is_a_value() {
        let mut p = PairValues::default();
        for (a, b) in [("прямая", "прямая"), ("косвенная", "косвенная"), (NONE, NONE)] {
            p.push(a.into(), b.into());
        }
        assert_eq!(p.kappa(), Some(1.0));
        p.push("прямая".into(), NONE.into());
        assert!(p.kappa().unwrap() < 1.0);
        let mut a = Alpha::default();
        a.unit(&["прямая".into(), "прямая".into(), "прямая".into()]);
        a.unit(&["косвенная".into(), "косвенная".into()]);
        assert_eq!(a.alpha(), Some(1.0));
        a.unit(&["косвенная".into()]);
        assert_eq!(a.units, 2, "a unit only one coder has is not pairable");
    }

    #[test]
    fn sources_are_the_same_by_entity_else_by_span() {
        let e = |s: &str| Some(EntityId(s.into()));
        let a: Sources = vec![(e("peskov"), vec![(0, 6)])];
        assert!(same_sources(&a, &vec![(e("peskov"), vec![(40, 42)])]), "the same entity, another mention");
        assert!(!same_sources(&a, &vec![(e("lavrov"), vec![(0, 6)])]), "another entity on the same words");
        assert!(same_sources(&a, &vec![(None, vec![(3, 9)])]), "no entity: the spans overlap");
        assert!(!same_sources(&a, &vec![]), "attributed against unattributed");
        assert!(same_sources(&vec![], &vec![]), "both unattributed");
    }

    #[test]
    fn groups_join_pairwise_matches_across_coders() {
        let m = vec![((0, 1), vec![(0, 0)]), ((1, 2), vec![(0, 1)]), ((0, 2), vec![(1, 0)])];
        let g = groups(&m, &[2, 1, 2]);
        assert_eq!(g, vec![vec![(0, 0), (1, 0), (2, 1)], vec![(0, 1), (2, 0)]]);
    }
}
