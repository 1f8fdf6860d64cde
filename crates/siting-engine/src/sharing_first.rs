//! R1, sharing first, as the share of a candidate's new coverage an
//! existing site would give the same operator.
//!
//! A candidate may not serve an operator where one existing site that the
//! operator may use (a free slot, or its own site for an overlay, and no
//! rule against it) covers at least `min_share` of the residents the
//! candidate would newly cover for it, and every township centre among
//! them (a centre is a target of its own, which residents do not weigh). The instance bars such stations
//! before the optimiser sees them, with the slots free before the plan;
//! `siting check` applies the same test to a written plan with the slots
//! still free after it.

use siting_model::Operator;

/// Per operator, demand item → existing sites the operator may use that
/// cover it, ascending.
pub struct Reach {
    by_item: Vec<Vec<Vec<u32>>>,
}

impl Reach {
    /// Indexes `sets` (per site, per operator, covered items) of the sites
    /// `usable(site, operator)` allows, over `n_items` items.
    pub fn new(
        sets: &[Vec<Vec<u32>>],
        n_items: usize,
        usable: &dyn Fn(usize, Operator) -> bool,
    ) -> Reach {
        let mut by_item = vec![vec![Vec::new(); n_items]; Operator::ALL.len()];
        for (s, per_op) in sets.iter().enumerate() {
            for op in Operator::ALL {
                if !usable(s, op) {
                    continue;
                }
                for &d in &per_op[op.index()] {
                    by_item[op.index()][d as usize].push(s as u32);
                }
            }
        }
        Reach { by_item }
    }

    /// The existing site giving `op` the largest share of `new_items`'
    /// weight among those that also cover every `must` item of them (a
    /// township centre the target needs), with that share (0 when nothing
    /// is new or none reaches).
    pub fn best(
        &self,
        op: Operator,
        new_items: &[u32],
        weight: &dyn Fn(u32) -> f64,
        must: &dyn Fn(u32) -> bool,
    ) -> (Option<u32>, f64) {
        self.shares(op, new_items, weight, must).into_iter().fold(
            (None, 0.0),
            |(bs, bw), (s, w)| {
                if w > bw {
                    (Some(s), w)
                } else {
                    (bs, bw)
                }
            },
        )
    }

    /// Every existing site reaching some of `new_items` for `op` and every
    /// `must` item among them, with the share of their weight it covers,
    /// by ascending site.
    pub fn shares(
        &self,
        op: Operator,
        new_items: &[u32],
        weight: &dyn Fn(u32) -> f64,
        must: &dyn Fn(u32) -> bool,
    ) -> Vec<(u32, f64)> {
        let total: f64 = new_items.iter().map(|&d| weight(d)).sum();
        let musts = new_items.iter().filter(|&&d| must(d)).count();
        if total <= 0.0 {
            return Vec::new();
        }
        let mut got: std::collections::BTreeMap<u32, (f64, usize)> = Default::default();
        for &d in new_items {
            let (w, m) = (weight(d), must(d));
            for &s in &self.by_item[op.index()][d as usize] {
                let e = got.entry(s).or_default();
                e.0 += w;
                e.1 += m as usize;
            }
        }
        got.into_iter()
            .filter(|(_, (_, m))| *m == musts)
            .map(|(s, (w, _))| (s, w / total))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_existing_share() {
        // Site 0 covers items 0..9 for every operator, site 1 items 5..10.
        let sets = vec![
            vec![(0..9).collect::<Vec<u32>>(); 3],
            vec![(5..10).collect::<Vec<u32>>(); 3],
        ];
        let reach = Reach::new(&sets, 10, &|s, op| !(s == 0 && op == Operator::Ctcc));
        let w = |_d: u32| 1.0;
        let none = |_d: u32| false;
        let new: Vec<u32> = (0..10).collect();
        assert_eq!(reach.best(Operator::Cmcc, &new, &w, &none), (Some(0), 0.9));
        assert_eq!(reach.best(Operator::Ctcc, &new, &w, &none), (Some(1), 0.5));
        assert_eq!(reach.best(Operator::Cmcc, &[], &w, &none), (None, 0.0));
        // Item 9 is a township centre: only site 1 covers it.
        let centre = |d: u32| d == 9;
        assert_eq!(
            reach.best(Operator::Cmcc, &new, &w, &centre),
            (Some(1), 0.5)
        );
    }
}
