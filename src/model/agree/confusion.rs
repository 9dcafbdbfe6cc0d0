//! Which labels coders gave the same text: a table of the labels of every pair of
//! overlapping units of two coders, whatever their labels, with a row and a column for the
//! units the other coder did not touch at all.

use super::units::Coding;

/// Counts by (label of A's unit, label of B's unit); the last row and column are "no
/// overlapping unit".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confusion {
    pub counts: Vec<Vec<u64>>,
}

impl Confusion {
    pub fn new(labels: usize) -> Self {
        Confusion { counts: vec![vec![0; labels + 1]; labels + 1] }
    }

    /// The table of two codings over `labels` labels.
    pub fn of(a: &Coding, b: &Coding, labels: usize) -> Self {
        let mut t = Confusion::new(labels);
        let mut b_touched = vec![false; b.units.len()];
        for x in &a.units {
            let mut any = false;
            for (j, y) in b.units.iter().enumerate() {
                if x.overlap(y) > 0 {
                    t.counts[x.label][y.label] += 1;
                    b_touched[j] = true;
                    any = true;
                }
            }
            if !any {
                t.counts[x.label][labels] += 1;
            }
        }
        for (y, touched) in b.units.iter().zip(b_touched) {
            if !touched {
                t.counts[labels][y.label] += 1;
            }
        }
        t
    }

    pub fn add(&mut self, o: &Confusion) {
        for (r, s) in self.counts.iter_mut().zip(&o.counts) {
            for (c, d) in r.iter_mut().zip(s) {
                *c += d;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::ann;
    use super::*;
    use crate::model::annotation::LabelId;

    #[test]
    fn overlapping_units_are_counted_by_both_labels_and_lone_ones_against_none() {
        let text = "Песков сказал, что переговоры продолжатся. Подписывайтесь на канал!";
        let labels = [LabelId::new("Source"), LabelId::new("Claim"), LabelId::new("Boilerplate")];
        let n = text.chars().count();
        let a = Coding::of(
            &[ann("Source", text, 0, 6), ann("Claim", text, 19, 41), ann("Boilerplate", text, 43, 67)],
            &labels,
            n,
        );
        let b = Coding::of(&[ann("Source", text, 0, 6), ann("Source", text, 19, 29)], &labels, n);
        let t = Confusion::of(&a, &b, 3);
        assert_eq!(t.counts[0][0], 1, "Source on Source");
        assert_eq!(t.counts[1][0], 1, "A's Claim where B put a Source");
        assert_eq!(t.counts[2][3], 1, "A's Boilerplate that B did not mark");
        assert_eq!(t.counts.iter().flatten().sum::<u64>(), 3);
    }
}
