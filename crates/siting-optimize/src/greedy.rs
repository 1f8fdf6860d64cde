//! Lazy (CELF) greedy placement for one sharing bonus.
//!
//! Each step places the base station with the largest score: the demand weight
//! it newly covers, plus `bonus` when it lands on a site that already hosts an
//! operator (so that it is shared), ties broken by lower cost, then lower site
//! index, then lower operator index. Scores only fall as coverage grows, except
//! where a site gains a tenant (its other options become shared and cheaper)
//! or, under R1, where an existing site fills up; those options are pushed
//! again, so every option always has a heap entry at least as high as its true
//! score and the lazy pop is exact.

use crate::problem::{Params, Problem, Weight, Yuan};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One new base station: operator `operator` on site `site`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Site index.
    pub site: u32,
    /// Operator index.
    pub operator: u8,
    /// Demand weight it newly covered when placed.
    pub gain: Weight,
    /// What it cost, yuan (including the site's build cost if it was the first).
    pub cost_yuan: Yuan,
}

type Key = (Weight, Reverse<Yuan>, Reverse<u32>, Reverse<u8>);

struct State<'a> {
    p: &'a Problem,
    sharing_first: bool,
    bonus: Weight,
    covered: Vec<Vec<bool>>,
    tenants: Vec<u8>,
    quota_left: Vec<u32>,
    /// Under R1: per operator and demand item, how many existing sites with a
    /// free slot for that operator cover it.
    reach: Vec<Vec<u32>>,
    /// Under R1, built on first need: per operator, demand item → candidate
    /// sites covering it (CSR offsets and targets).
    inverse: Vec<Option<(Vec<usize>, Vec<u32>)>>,
}

impl State<'_> {
    fn open(&self, s: usize, o: usize) -> bool {
        let t = self.tenants[s];
        t & (1 << o) == 0
            && (t.count_ones() as u8) < self.p.sites[s].capacity
            && self.quota_left[o] > 0
    }

    fn cost(&self, s: usize) -> Yuan {
        let site = &self.p.sites[s];
        let first = self.tenants[s] == 0 && !site.existing;
        site.tenant_cost_yuan + if first { site.build_cost_yuan } else { 0 }
    }

    fn key(&self, s: usize, o: usize) -> Option<Key> {
        if !self.open(s, o) {
            return None;
        }
        let site = &self.p.sites[s];
        let restrict = self.sharing_first && !site.existing;
        let covered = &self.covered[o];
        let gain: Weight = site.coverage[o]
            .iter()
            .filter(|&&d| !covered[d as usize] && (!restrict || self.reach[o][d as usize] == 0))
            .map(|&d| self.p.weights[d as usize])
            .sum();
        let bonus = if self.tenants[s] != 0 { self.bonus } else { 0 };
        Some((
            gain + bonus,
            Reverse(self.cost(s)),
            Reverse(s as u32),
            Reverse(o as u8),
        ))
    }

    fn available_existing(&self, s: usize, o: usize) -> bool {
        let site = &self.p.sites[s];
        let t = self.tenants[s];
        site.existing && t & (1 << o) == 0 && (t.count_ones() as u8) < site.capacity
    }

    fn inverse(&mut self, o: usize) -> &(Vec<usize>, Vec<u32>) {
        if self.inverse[o].is_none() {
            let n = self.p.weights.len();
            let mut offsets = vec![0usize; n + 1];
            for site in self.p.sites.iter().filter(|s| !s.existing) {
                for &d in &site.coverage[o] {
                    offsets[d as usize + 1] += 1;
                }
            }
            for i in 0..n {
                offsets[i + 1] += offsets[i];
            }
            let mut fill = offsets.clone();
            let mut targets = vec![0u32; offsets[n]];
            for (s, site) in self.p.sites.iter().enumerate().filter(|(_, s)| !s.existing) {
                for &d in &site.coverage[o] {
                    targets[fill[d as usize]] = s as u32;
                    fill[d as usize] += 1;
                }
            }
            self.inverse[o] = Some((offsets, targets));
        }
        self.inverse[o].as_ref().expect("built above")
    }
}

/// Runs the greedy with a given sharing `bonus` (in weight units) and returns
/// the placements in the order they were made.
///
/// The problem must be valid ([`Problem::validate`]).
pub fn greedy(p: &Problem, params: &Params, bonus: Weight) -> Vec<Placement> {
    let k = p.operators;
    let n = p.weights.len();
    let mut st = State {
        p,
        sharing_first: params.sharing_first,
        bonus,
        covered: p.covered_before.clone(),
        tenants: p.sites.iter().map(|s| s.tenants).collect(),
        quota_left: p.quota.clone(),
        reach: Vec::new(),
        inverse: vec![None; k],
    };
    if st.sharing_first {
        st.reach = vec![vec![0u32; n]; k];
        for (s, site) in p.sites.iter().enumerate() {
            for o in 0..k {
                if st.available_existing(s, o) {
                    for &d in &site.coverage[o] {
                        st.reach[o][d as usize] += 1;
                    }
                }
            }
        }
    }
    let mut budget_left = params.budget_yuan;
    let mut heap: BinaryHeap<Key> = (0..p.sites.len())
        .flat_map(|s| (0..k).map(move |o| (s, o)))
        .filter_map(|(s, o)| st.key(s, o))
        .collect();
    let mut out = Vec::new();

    while let Some(top) = heap.pop() {
        let (s, o) = (top.2 .0 as usize, top.3 .0 as usize);
        let Some(now) = st.key(s, o) else { continue };
        if now != top {
            heap.push(now);
            continue;
        }
        let cost = now.1 .0;
        if let Some(b) = budget_left {
            if cost > b {
                continue;
            }
            budget_left = Some(b - cost);
        }
        // Place it.
        let site = &p.sites[s];
        let was_full_for: Vec<usize> = if st.sharing_first && site.existing {
            (0..k).filter(|&o2| st.available_existing(s, o2)).collect()
        } else {
            Vec::new()
        };
        let mut gain = 0;
        for &d in &site.coverage[o] {
            let c = &mut st.covered[o][d as usize];
            if !*c {
                *c = true;
                gain += p.weights[d as usize];
            }
        }
        st.tenants[s] |= 1 << o;
        st.quota_left[o] -= 1;
        out.push(Placement {
            site: s as u32,
            operator: o as u8,
            gain,
            cost_yuan: cost,
        });
        // Under R1, the site no longer offers a slot to `o`, and to nobody if now full.
        for o2 in was_full_for {
            if st.available_existing(s, o2) {
                continue;
            }
            let mut freed = Vec::new();
            for &d in &site.coverage[o2] {
                let r = &mut st.reach[o2][d as usize];
                *r -= 1;
                if *r == 0 && !st.covered[o2][d as usize] {
                    freed.push(d);
                }
            }
            if !freed.is_empty() {
                let (offsets, targets) = st.inverse(o2);
                let mut again: Vec<u32> = freed
                    .iter()
                    .flat_map(|&d| {
                        targets[offsets[d as usize]..offsets[d as usize + 1]]
                            .iter()
                            .copied()
                    })
                    .collect();
                again.sort_unstable();
                again.dedup();
                for s2 in again {
                    if let Some(key) = st.key(s2 as usize, o2) {
                        heap.push(key);
                    }
                }
            }
        }
        // The site's other options are now shared and, for a new site, cheaper.
        for o2 in 0..k {
            if let Some(key) = st.key(s, o2) {
                heap.push(key);
            }
        }
        if st.quota_left.iter().all(|&q| q == 0) {
            break;
        }
    }
    out
}
