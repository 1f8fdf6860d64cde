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

use siting_coverage::ItemSet;
use siting_model::Operator;

/// Per operator, demand item → existing sites the operator may use that
/// cover it, ascending (one compressed row per item).
pub struct Reach {
    /// Per operator, item `d`'s sites are `sites[o][offsets[o][d]..offsets[o][d + 1]]`.
    offsets: Vec<Vec<usize>>,
    sites: Vec<Vec<u32>>,
    /// Number of sites indexed.
    n_sites: usize,
}

/// Working space for [`Reach::shares_in`], reused across calls (one per
/// thread): a running total per site and the sites touched.
#[derive(Debug, Default)]
pub struct ShareScratch {
    /// Per site: weight and `must` items covered, and whether touched.
    got: Vec<(f64, usize, bool)>,
    touched: Vec<u32>,
}

impl Reach {
    /// Indexes `sets` (per site, per operator, covered items) of the sites
    /// `usable(site, operator)` allows, over `n_items` items.
    pub fn new(
        sets: &[Vec<ItemSet>],
        n_items: usize,
        usable: &(dyn Fn(usize, Operator) -> bool + Sync),
    ) -> Reach {
        use rayon::prelude::*;
        // One compressed index per operator, the operators in parallel.
        let (offsets, sites): (Vec<Vec<usize>>, Vec<Vec<u32>>) = Operator::ALL
            .par_iter()
            .map(|&op| {
                let o = op.index();
                let mut off = vec![0usize; n_items + 1];
                for (s, per_op) in sets.iter().enumerate() {
                    if usable(s, op) {
                        for &d in per_op[o].iter() {
                            off[d as usize + 1] += 1;
                        }
                    }
                }
                for d in 0..n_items {
                    off[d + 1] += off[d];
                }
                let mut fill = off.clone();
                let mut of_item = vec![0; off[n_items]];
                for (s, per_op) in sets.iter().enumerate() {
                    if usable(s, op) {
                        for &d in per_op[o].iter() {
                            of_item[fill[d as usize]] = s as u32;
                            fill[d as usize] += 1;
                        }
                    }
                }
                (off, of_item)
            })
            .unzip();
        Reach {
            offsets,
            sites,
            n_sites: sets.len(),
        }
    }

    /// The existing sites `op` may use that cover item `d`, ascending.
    fn of(&self, op: Operator, d: u32) -> &[u32] {
        let (o, d) = (op.index(), d as usize);
        &self.sites[o][self.offsets[o][d]..self.offsets[o][d + 1]]
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
        self.best_in(&mut ShareScratch::default(), op, new_items, weight, must)
    }

    /// [`Reach::best`] with working space reused across calls.
    pub fn best_in(
        &self,
        scratch: &mut ShareScratch,
        op: Operator,
        new_items: &[u32],
        weight: &dyn Fn(u32) -> f64,
        must: &dyn Fn(u32) -> bool,
    ) -> (Option<u32>, f64) {
        self.shares_in(scratch, op, new_items, weight, must)
            .into_iter()
            .fold(
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

    /// Every existing site `op` may use that covers all the `must` items of
    /// `new_items`, with the share of their weight it covers, ascending by
    /// site (empty when nothing new weighs anything).
    pub fn shares(
        &self,
        op: Operator,
        new_items: &[u32],
        weight: &dyn Fn(u32) -> f64,
        must: &dyn Fn(u32) -> bool,
    ) -> Vec<(u32, f64)> {
        self.shares_in(&mut ShareScratch::default(), op, new_items, weight, must)
    }

    /// [`Reach::shares`] with working space reused across calls: each
    /// site's weight is summed in the order of `new_items`, so the shares
    /// are the same to the bit.
    pub fn shares_in(
        &self,
        scratch: &mut ShareScratch,
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
        if scratch.got.len() < self.n_sites {
            scratch.got.resize(self.n_sites, (0.0, 0, false));
        }
        for &d in new_items {
            let (w, m) = (weight(d), must(d));
            for &s in self.of(op, d) {
                let e = &mut scratch.got[s as usize];
                if !e.2 {
                    e.2 = true;
                    scratch.touched.push(s);
                }
                e.0 += w;
                e.1 += m as usize;
            }
        }
        scratch.touched.sort_unstable();
        let out = scratch
            .touched
            .iter()
            .filter(|&&s| scratch.got[s as usize].1 == musts)
            .map(|&s| (s, scratch.got[s as usize].0 / total))
            .collect();
        for &s in &scratch.touched {
            scratch.got[s as usize] = (0.0, 0, false);
        }
        scratch.touched.clear();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reused_working_space_gives_the_shares_a_fresh_one_gives() {
        // 40 sites over 300 items, each covering a seeded run of items.
        let sets: Vec<Vec<ItemSet>> = (0..40u32)
            .map(|s| {
                (0..3u32)
                    .map(|o| {
                        let start = (s * 7 + o * 13) % 250;
                        (start..start + 20 + (s * o) % 30).collect()
                    })
                    .collect()
            })
            .collect();
        let reach = Reach::new(&sets, 300, &|s, op| (s + op.index()) % 5 != 0);
        let w = |d: u32| 0.1 + f64::from(d % 11) * 0.37;
        let must = |d: u32| d.is_multiple_of(97);
        let mut scratch = ShareScratch::default();
        for (k, op) in (0..60).zip(Operator::ALL.iter().cycle()) {
            let new: Vec<u32> = (k * 3..k * 3 + 40).collect();
            let fresh = reach.shares(*op, &new, &w, &must);
            let reused = reach.shares_in(&mut scratch, *op, &new, &w, &must);
            assert_eq!(fresh, reused);
            assert!(
                fresh.windows(2).all(|p| p[0].0 < p[1].0),
                "ascending by site"
            );
            // Each share is the weight of the site's items among the new ones.
            let total: f64 = new.iter().map(|&d| w(d)).sum();
            for &(s, share) in &fresh {
                let got: f64 = new
                    .iter()
                    .filter(|d| sets[s as usize][op.index()].contains(d))
                    .map(|&d| w(d))
                    .sum();
                assert_eq!(share, got / total);
            }
        }
    }

    #[test]
    fn the_best_existing_share() {
        // Site 0 covers items 0..9 for every operator, site 1 items 5..10.
        let sets = vec![
            vec![ItemSet::from_iter(0..9); 3],
            vec![ItemSet::from_iter(5..10); 3],
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
