//! Local search: swap one chosen candidate for an unchosen one, then
//! ruin-and-recreate rounds (an iterated local search) to leave its local
//! optima.
//!
//! # Incremental evaluation
//!
//! [`Coverage`] keeps, per demand item, how many chosen candidates cover it
//! and the XOR of their indices (which is the sole coverer's index when the
//! count is 1); per candidate, its `gain` (weight of its items nobody chosen
//! covers) and, if chosen, its `loss` (weight of its items only it covers).
//! Adding or removing a candidate updates these in time proportional to the
//! items it covers and their covering candidates. The value of swapping
//! chosen `j` out for unchosen `k` in is then
//!
//! `gain(k) − loss(j) + shared(j, k)`,
//!
//! where `shared(j, k)` is the weight of the items `k` covers whose sole
//! coverer is `j` (Whitaker's fast interchange, as Resende & Werneck use for
//! the p-median). For one `k`, the best `j` is either one of the few sole
//! coverers of its items or the chosen candidate of least loss, so every
//! swap of one `k` is evaluated in time proportional to its items, and the
//! whole 1-swap neighbourhood (`p·(n − p)` swaps) in one pass over the
//! coverage pairs, in parallel.
//!
//! # Iterated local search
//!
//! A round removes a random chosen candidate and up to four chosen
//! neighbours (candidates within two coverage hops), refills the same number
//! greedily from the other candidates, and runs the swap search around the
//! change; the result is kept if it covers at least as much (so the search
//! also walks plateaus) and undone otherwise. The random choices come from a
//! seeded ChaCha generator, and each round's moves are fixed by a total
//! order, so the result depends on the seed and the number of rounds only.

use super::presolve::Reduced;
use super::sets::SetList;
use super::Weight;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// The chosen set and the counts that make moves cheap to evaluate.
#[derive(Debug, Clone)]
pub struct Coverage<'a> {
    r: &'a Reduced,
    /// Candidate → the other candidates sharing an item with it.
    adjacent: std::sync::Arc<SetList>,
    /// The chosen candidates, in no order.
    list: Vec<u32>,
    /// Lazy max-heap of (gain, candidate): every unchosen candidate of
    /// positive gain has an entry at least its gain (CELF's invariant: gains
    /// only fall while nothing is removed, and `remove` pushes the ones that
    /// rise).
    heap: std::collections::BinaryHeap<(Weight, std::cmp::Reverse<u32>)>,
    count: Vec<u32>,
    sole: Vec<u32>,
    gain: Vec<Weight>,
    loss: Vec<Weight>,
    chosen: Vec<bool>,
    value: Weight,
}

/// A swap: `out` leaves, `into` joins, changing the covered weight by `delta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swap {
    /// Change in covered weight.
    pub delta: i64,
    /// The unchosen candidate that joins.
    pub into: u32,
    /// The chosen candidate that leaves.
    pub out: u32,
}

impl Swap {
    /// Total order: larger delta first, then lower `into`, then lower `out`.
    fn key(&self) -> (i64, std::cmp::Reverse<u32>, std::cmp::Reverse<u32>) {
        (
            self.delta,
            std::cmp::Reverse(self.into),
            std::cmp::Reverse(self.out),
        )
    }
}

fn better(a: Option<Swap>, b: Option<Swap>) -> Option<Swap> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.key() > x.key() { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

impl<'a> Coverage<'a> {
    /// Nothing chosen.
    pub fn new(r: &'a Reduced) -> Self {
        let gain = (0..r.cover.len())
            .map(|c| r.cover.row(c).iter().map(|&i| r.weights[i as usize]).sum())
            .collect();
        let adjacent: Vec<Vec<u32>> = (0..r.cover.len())
            .into_par_iter()
            .map(|c| {
                let mut v: Vec<u32> = r
                    .cover
                    .row(c)
                    .iter()
                    .flat_map(|&i| r.covered_by.row(i as usize).iter().copied())
                    .filter(|&k| k as usize != c)
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let mut cov = Coverage {
            r,
            adjacent: std::sync::Arc::new(SetList::from_rows(&adjacent)),
            list: Vec::new(),
            heap: std::collections::BinaryHeap::new(),
            count: vec![0; r.weights.len()],
            sole: vec![0; r.weights.len()],
            gain,
            loss: vec![0; r.cover.len()],
            chosen: vec![false; r.cover.len()],
            value: 0,
        };
        cov.rebuild_heap();
        cov
    }

    /// Covered weight of the chosen set.
    pub fn value(&self) -> Weight {
        self.value
    }

    /// Whether candidate `c` is chosen.
    pub fn is_chosen(&self, c: u32) -> bool {
        self.chosen[c as usize]
    }

    /// The chosen candidates, ascending.
    pub fn chosen(&self) -> Vec<u32> {
        let mut v = self.list.clone();
        v.sort_unstable();
        v
    }

    /// Weight candidate `c` would newly cover.
    pub fn gain(&self, c: u32) -> Weight {
        self.gain[c as usize]
    }

    /// Chooses candidate `c` (not chosen yet).
    pub fn add(&mut self, c: u32) {
        debug_assert!(!self.chosen[c as usize]);
        self.chosen[c as usize] = true;
        self.list.push(c);
        for &i in self.r.cover.row(c as usize) {
            let i = i as usize;
            let w = self.r.weights[i];
            match self.count[i] {
                0 => {
                    self.value += w;
                    for &k in self.r.covered_by.row(i) {
                        self.gain[k as usize] -= w;
                    }
                    self.loss[c as usize] += w;
                }
                1 => self.loss[self.sole[i] as usize] -= w,
                _ => {}
            }
            self.count[i] += 1;
            self.sole[i] ^= c;
        }
    }

    /// Unchooses candidate `c` (chosen).
    pub fn remove(&mut self, c: u32) {
        debug_assert!(self.chosen[c as usize]);
        self.chosen[c as usize] = false;
        if let Some(at) = self.list.iter().position(|&k| k == c) {
            self.list.swap_remove(at);
        }
        for &i in self.r.cover.row(c as usize) {
            let i = i as usize;
            let w = self.r.weights[i];
            self.count[i] -= 1;
            self.sole[i] ^= c;
            match self.count[i] {
                0 => {
                    self.value -= w;
                    for &k in self.r.covered_by.row(i) {
                        self.gain[k as usize] += w;
                        self.heap
                            .push((self.gain[k as usize], std::cmp::Reverse(k)));
                    }
                    self.loss[c as usize] -= w;
                }
                1 => self.loss[self.sole[i] as usize] += w,
                _ => {}
            }
        }
    }

    /// The (up to) 32 chosen candidates of least loss, ordered by (loss, index).
    fn by_loss(&self) -> Vec<(Weight, u32)> {
        let mut v: Vec<(Weight, u32)> = self
            .list
            .iter()
            .map(|&c| (self.loss[c as usize], c))
            .collect();
        if v.len() > LEAST {
            v.select_nth_unstable(LEAST);
            v.truncate(LEAST);
        }
        v.sort_unstable();
        v
    }

    /// The best swap bringing unchosen `k` in, if any candidate is chosen.
    /// `least` is [`Self::by_loss`]; `scratch` holds one zero per candidate
    /// and is left so.
    fn best_swap_for(
        &self,
        k: u32,
        least: &[(Weight, u32)],
        scratch: &mut Scratch,
    ) -> Option<Swap> {
        let g = self.gain[k as usize] as i64;
        let Scratch { shared, touched } = scratch;
        for &i in self.r.cover.row(k as usize) {
            if self.count[i as usize] == 1 {
                let j = self.sole[i as usize];
                if shared[j as usize] == 0 {
                    touched.push(j);
                }
                shared[j as usize] += self.r.weights[i as usize];
            }
        }
        let mut best: Option<Swap> = None;
        for &j in touched.iter() {
            let delta = g + shared[j as usize] as i64 - self.loss[j as usize] as i64;
            best = better(
                best,
                Some(Swap {
                    delta,
                    into: k,
                    out: j,
                }),
            );
        }
        let free = least
            .iter()
            .find(|(_, j)| shared[*j as usize] == 0)
            .copied()
            .or_else(|| {
                // Every one of the least-loss candidates shares an item with k:
                // look through the whole chosen list.
                self.list
                    .iter()
                    .filter(|&&j| shared[j as usize] == 0)
                    .map(|&j| (self.loss[j as usize], j))
                    .min()
            });
        if let Some((l, j)) = free {
            best = better(
                best,
                Some(Swap {
                    delta: g - l as i64,
                    into: k,
                    out: j,
                }),
            );
        }
        for &j in touched.iter() {
            shared[j as usize] = 0;
        }
        touched.clear();
        best
    }

    /// The best improving swap among those bringing in one of `scope` (all
    /// candidates if `None`).
    fn best_swap(&self, scope: Option<&[u32]>) -> Option<Swap> {
        let least = self.by_loss();
        let n = self.chosen.len();
        let eval = |scratch: &mut Scratch, k: u32| {
            if self.chosen[k as usize] || self.gain[k as usize] == 0 {
                None
            } else {
                self.best_swap_for(k, &least, scratch)
                    .filter(|s| s.delta > 0)
            }
        };
        match scope {
            None => (0..n as u32)
                .into_par_iter()
                .map_init(|| Scratch::new(n), eval)
                .reduce(|| None, better),
            Some(s) => {
                let mut scratch = Scratch::new(n);
                s.iter()
                    .fold(None, |b, &k| better(b, eval(&mut scratch, k)))
            }
        }
    }

    /// Improving swaps, best first, until none improves: over all candidates
    /// (`scope` = `None`) or around the given ones (those sharing an item
    /// with them, grown with every move, plus the candidates of largest
    /// gain: the only ones whose best swap the change can have improved,
    /// bar ties). Returns the number of swaps made.
    pub fn local_search(&mut self, scope: Option<&[u32]>, marks: &mut Marks) -> usize {
        let mut moves = 0;
        let mut area: Vec<u32> = Vec::new();
        if let Some(s) = scope {
            marks.next();
            for &c in s {
                self.neighbourhood(c, marks, &mut area);
            }
        }
        loop {
            let found = match scope {
                None => self.best_swap(None),
                Some(_) => {
                    let mut look = area.clone();
                    look.extend(self.top_gains(8, &[]));
                    self.best_swap(Some(&look))
                }
            };
            let Some(s) = found else { break };
            self.remove(s.out);
            self.add(s.into);
            moves += 1;
            if scope.is_some() {
                self.neighbourhood(s.into, marks, &mut area);
                self.neighbourhood(s.out, marks, &mut area);
            }
        }
        moves
    }

    /// The `n` unchosen candidates of largest gain (ties to the lower index).
    fn top_gains(&mut self, n: usize, exclude: &[u32]) -> Vec<u32> {
        if self.heap.len() > 8 * self.chosen.len() + 64 {
            self.rebuild_heap();
        }
        let mut found: Vec<(Weight, std::cmp::Reverse<u32>)> = Vec::with_capacity(n);
        let mut set_aside = Vec::new();
        while found.len() < n {
            let Some((key, std::cmp::Reverse(c))) = self.heap.pop() else {
                break;
            };
            let now = self.gain[c as usize];
            if self.chosen[c as usize] || now == 0 {
                continue; // re-entered by `remove` when its gain grows again
            }
            if key != now {
                self.heap.push((now, std::cmp::Reverse(c))); // stale: keys only overestimate
                continue;
            }
            if found.iter().any(|f| f.1 .0 == c) {
                continue; // a duplicate entry
            }
            if exclude.contains(&c) {
                set_aside.push((key, std::cmp::Reverse(c)));
            } else {
                found.push((key, std::cmp::Reverse(c)));
            }
        }
        self.heap.extend(found.iter().copied());
        self.heap.extend(set_aside);
        found.into_iter().map(|(_, c)| c.0).collect()
    }

    /// The unchosen candidate of largest gain not in `exclude` (ties to the
    /// lower index), also among gains of 0.
    fn best_gain(&mut self, exclude: &[u32]) -> Option<u32> {
        self.top_gains(1, exclude).first().copied().or_else(|| {
            (0..self.chosen.len() as u32)
                .find(|&c| !self.chosen[c as usize] && !exclude.contains(&c))
        })
    }

    fn rebuild_heap(&mut self) {
        self.heap = (0..self.chosen.len() as u32)
            .filter(|&c| !self.chosen[c as usize] && self.gain[c as usize] > 0)
            .map(|c| (self.gain[c as usize], std::cmp::Reverse(c)))
            .collect();
    }

    /// Adds to `out` `c` and every candidate sharing an item with it, not yet marked.
    fn neighbourhood(&self, c: u32, marks: &mut Marks, out: &mut Vec<u32>) {
        if marks.mark(c) {
            out.push(c);
        }
        for &k in self.adjacent.row(c as usize) {
            if marks.mark(k) {
                out.push(k);
            }
        }
    }

    /// Chosen candidates within two coverage hops of `c` (sharing an item
    /// with a candidate that shares an item with `c`), ascending.
    fn chosen_near(&self, c: u32, marks: &mut Marks) -> Vec<u32> {
        marks.next();
        marks.mark(c);
        let mut near = Vec::new();
        for &k in self.adjacent.row(c as usize) {
            for &k2 in std::iter::once(&k).chain(self.adjacent.row(k as usize)) {
                if marks.mark(k2) && self.chosen[k2 as usize] {
                    near.push(k2);
                }
            }
        }
        near.sort_unstable();
        near
    }
}

/// How many least-loss chosen candidates [`Coverage::by_loss`] keeps.
const LEAST: usize = 32;

/// Per-thread scratch of the swap evaluation: shared weight per chosen
/// candidate (zero outside a call) and the ones touched.
#[derive(Debug, Clone)]
struct Scratch {
    shared: Vec<Weight>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            shared: vec![0; n],
            touched: Vec::new(),
        }
    }
}

/// Marks on candidates, cleared in O(1) by starting a new epoch.
#[derive(Debug, Clone)]
pub struct Marks {
    epoch: u32,
    at: Vec<u32>,
}

impl Marks {
    /// Marks for `n` candidates.
    pub fn new(n: usize) -> Self {
        Marks {
            epoch: 1,
            at: vec![0; n],
        }
    }

    /// Clears every mark.
    pub fn next(&mut self) {
        self.epoch += 1;
        if self.epoch == u32::MAX {
            self.at.iter_mut().for_each(|a| *a = 0);
            self.epoch = 1;
        }
    }

    /// Marks `c`; whether it was unmarked.
    fn mark(&mut self, c: u32) -> bool {
        let a = &mut self.at[c as usize];
        if *a == self.epoch {
            false
        } else {
            *a = self.epoch;
            true
        }
    }
}

/// What the iterated local search did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchStats {
    /// Ruin-and-recreate rounds run.
    pub rounds: u64,
    /// Rounds whose result was kept (equal or better).
    pub accepted: u64,
    /// Rounds that found a strictly better plan.
    pub improved: u64,
    /// Swaps made by the local search, over all rounds.
    pub swaps: u64,
}

/// Runs up to `rounds` ruin-and-recreate rounds from the current plan (which
/// must be 1-swap optimal), stopping early after `patience` rounds in a row
/// without a better plan, when `stop` says so (checked between rounds) or
/// when the plan reaches `target`; leaves the best plan found in `cov`,
/// 1-swap optimal.
pub fn iterated_local_search(
    cov: &mut Coverage<'_>,
    rounds: u64,
    patience: u64,
    seed: u64,
    target: Weight,
    stop: impl Fn() -> bool,
) -> SearchStats {
    let n = cov.chosen.len();
    let mut marks = Marks::new(n);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut stats = SearchStats::default();
    let mut best = cov.chosen();
    let mut best_value = cov.value;
    let p = best.len();
    if p == 0 || p == n {
        return stats;
    }
    let mut current = best.clone();
    let mut last_better = 0;
    while stats.rounds < rounds
        && stats.rounds - last_better < patience
        && best_value < target
        && !stop()
    {
        stats.rounds += 1;
        let before = cov.value;
        let j0 = current[rng.gen_range(0..current.len())];
        let mut ruin = vec![j0];
        let mut near = cov.chosen_near(j0, &mut marks);
        let size = rng.gen_range(2..=5usize).min(p);
        while ruin.len() < size && !near.is_empty() {
            ruin.push(near.swap_remove(rng.gen_range(0..near.len())));
        }
        for &c in &ruin {
            cov.remove(c);
        }
        // Refill from the other candidates, greedily.
        let mut added = Vec::with_capacity(ruin.len());
        for _ in 0..ruin.len() {
            match cov.best_gain(&ruin) {
                Some(c) => {
                    cov.add(c);
                    added.push(c);
                }
                None => break,
            }
        }
        let mut touched = ruin.clone();
        touched.extend(&added);
        stats.swaps += cov.local_search(Some(&touched), &mut marks) as u64;
        if cov.value >= before && cov.list.len() == p {
            stats.accepted += 1;
            current = cov.chosen();
            if cov.value > best_value {
                stats.improved += 1;
                last_better = stats.rounds;
                best_value = cov.value;
                best = current.clone();
            }
        } else {
            restore(cov, &current);
        }
    }
    restore(cov, &best);
    stats.swaps += cov.local_search(None, &mut marks) as u64;
    stats
}

/// Makes `cov`'s chosen set equal to `set` (ascending).
pub fn restore(cov: &mut Coverage<'_>, set: &[u32]) {
    let now = cov.chosen();
    for &c in &now {
        if set.binary_search(&c).is_err() {
            cov.remove(c);
        }
    }
    for &c in set {
        if !cov.chosen[c as usize] {
            cov.add(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mclp::presolve::presolve;
    use proptest::prelude::*;

    fn value_of(r: &Reduced, set: &[u32]) -> Weight {
        let mut covered = vec![false; r.weights.len()];
        for &c in set {
            for &i in r.cover.row(c as usize) {
                covered[i as usize] = true;
            }
        }
        covered
            .iter()
            .zip(&r.weights)
            .filter(|(c, _)| **c)
            .map(|(_, w)| w)
            .sum()
    }

    #[test]
    fn a_swap_escapes_the_greedy_trap() {
        // The greedy takes candidate 0 (covers 0, 1, 2 = 6) first; the best
        // pair is candidates 1 and 2 (4 + 4 = 8).
        let weights = vec![2, 2, 2, 2, 2];
        let coverage = vec![vec![0, 1, 2], vec![0, 1, 3], vec![2, 4]];
        let r = presolve(&weights, &coverage);
        let mut cov = Coverage::new(&r);
        cov.add(0);
        cov.add(1);
        assert_eq!(cov.value(), 8);
        let mut marks = Marks::new(r.cover.len());
        cov.local_search(None, &mut marks);
        assert_eq!(cov.value(), value_of(&r, &cov.chosen()));
    }

    proptest! {
        /// Incremental counts agree with a recount after any sequence of
        /// adds and removes, and the swap value formula is exact.
        #[test]
        fn incremental_state_is_exact(
            rows in proptest::collection::vec(proptest::collection::btree_set(0u32..15, 0..6), 2..9),
            weights in proptest::collection::vec(1u64..9, 15),
            ops in proptest::collection::vec(0usize..100, 0..30),
        ) {
            let coverage: Vec<Vec<u32>> = rows.into_iter().map(|r| r.into_iter().collect()).collect();
            let r = presolve(&weights, &coverage);
            let n = r.cover.len() as u32;
            prop_assume!(n >= 2);
            let mut cov = Coverage::new(&r);
            for op in ops {
                let c = op as u32 % n;
                if cov.is_chosen(c) { cov.remove(c) } else { cov.add(c) }
                let set = cov.chosen();
                prop_assert_eq!(cov.value(), value_of(&r, &set));
                if set.is_empty() { continue; }
                let by_loss = cov.by_loss();
                let mut buf = Scratch::new(n as usize);
                for k in 0..n {
                    if cov.is_chosen(k) { continue; }
                    if let Some(s) = cov.best_swap_for(k, &by_loss, &mut buf) {
                        let mut after: Vec<u32> = set.iter().copied().filter(|&x| x != s.out).collect();
                        after.push(k);
                        prop_assert_eq!(value_of(&r, &after) as i64 - cov.value() as i64, s.delta);
                        // No other swap for k does better.
                        for &j in &set {
                            let mut alt: Vec<u32> = set.iter().copied().filter(|&x| x != j).collect();
                            alt.push(k);
                            prop_assert!(value_of(&r, &alt) as i64 - cov.value() as i64 <= s.delta);
                        }
                    }
                }
            }
        }
    }
}
