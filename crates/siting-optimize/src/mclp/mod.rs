//! The classic maximal covering location problem (MCLP; Church & ReVelle
//! 1974): choose `p` of the candidates so that the demand they cover, in
//! all, weighs the most. One operator, one coverage set per candidate, no
//! sharing, capacities or costs; like the rest of the crate it sees only sets
//! and integer weights (the caller turns a radius into coverage sets).
//!
//! [`solve`] runs, in order:
//!
//! 1. [`presolve`](mod@presolve): drop items of weight 0 or that nobody
//!    covers, merge items with the same covering candidates (weights summed),
//!    drop dominated candidates, merge again (arXiv 2409.09834).
//! 2. [`greedy`](mod@greedy): lazy greedy (CELF) construction, the `1 − 1/e`
//!    baseline.
//! 3. [`search`]: best-improvement 1-swap local search with Whitaker's
//!    incremental evaluation, then ruin-and-recreate rounds (iterated local
//!    search) for a work budget of rounds or until the time limit.
//! 4. [`lagrange`]: the upper bound, Lagrangian relaxation of the covering
//!    constraints optimised by subgradient steps (Galvão & ReVelle 1996;
//!    Senne, Pereira & Lorena 2010), evaluated exactly in fixed point; its
//!    minimum is the LP relaxation's value. Its multipliers then fix
//!    candidates in or out of every better plan (reduced-cost fixing).
//! 5. [`branch`]: optionally (a budget of nodes, meant for the time left
//!    under a time limit), branch and bound on the Lagrangian bound, with
//!    reduced-cost fixing at every node, to bring the bound below the LP's.
//!
//! Weights are integers, so every sum is exact; every parallel step (`rayon`)
//! reduces under a total order, so the result is the same at any thread
//! count. It depends on the seed and the work budgets only, unless the time
//! limit stops a phase first (then [`MclpSolution::time_limit_reached`] says
//! so).

pub mod branch;
pub mod greedy;
pub mod lagrange;
pub mod presolve;
pub mod search;
pub mod sets;

pub use presolve::PresolveStats;
pub use search::SearchStats;

use presolve::Reduced;
use rayon::prelude::*;
use search::{Coverage, Marks};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Demand weight, an integer so that sums are exact and order-free.
pub type Weight = u64;

/// An MCLP instance: demand items with integer weights and, per candidate,
/// the items it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Weight of each demand item.
    pub weights: Vec<Weight>,
    /// Per candidate, the demand items it covers: ascending, no duplicates,
    /// each below `weights.len()`.
    pub coverage: Vec<Vec<u32>>,
}

/// An instance or request that cannot be solved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MclpError {
    /// `p` is 0.
    #[error("p must be at least 1")]
    NoSites,
    /// There are no candidates.
    #[error("there are no candidates to choose from")]
    NoCandidates,
    /// A coverage set is unsorted, has duplicates or names a missing item.
    #[error("candidate {candidate}: coverage set is not ascending within 0..{items}")]
    Coverage {
        /// Candidate index.
        candidate: usize,
        /// Number of demand items.
        items: usize,
    },
    /// Weights too large to add up exactly.
    #[error("demand weights add up to more than {} (a quarter of u64's range)", u64::MAX / 4)]
    Weights,
}

impl Instance {
    /// Checks the instance is well formed.
    pub fn validate(&self) -> Result<(), MclpError> {
        if self.coverage.is_empty() {
            return Err(MclpError::NoCandidates);
        }
        let total = self.weights.iter().try_fold(0u64, |a, w| a.checked_add(*w));
        if total.is_none_or(|t| t > u64::MAX / 4) {
            return Err(MclpError::Weights);
        }
        let n = self.weights.len();
        for (c, row) in self.coverage.iter().enumerate() {
            let ascending = row.windows(2).all(|w| w[0] < w[1]);
            if !ascending || row.last().is_some_and(|&i| i as usize >= n) {
                return Err(MclpError::Coverage {
                    candidate: c,
                    items: n,
                });
            }
        }
        Ok(())
    }

    /// Weight covered by a set of candidates (duplicates count once).
    pub fn covered_weight(&self, chosen: &[u32]) -> Weight {
        let mut covered = vec![false; self.weights.len()];
        for &c in chosen {
            for &i in &self.coverage[c as usize] {
                covered[i as usize] = true;
            }
        }
        covered
            .iter()
            .zip(&self.weights)
            .filter(|(c, _)| **c)
            .map(|(_, w)| *w)
            .sum()
    }

    /// Total demand weight, covered or not.
    pub fn total_weight(&self) -> Weight {
        self.weights.iter().sum()
    }
}

/// How to solve.
#[derive(Debug, Clone, PartialEq)]
pub struct MclpParams {
    /// Candidates to choose (all of them if there are fewer).
    pub p: usize,
    /// Seed of the search's random choices.
    pub seed: u64,
    /// Work budget of the iterated local search, in ruin-and-recreate rounds.
    pub search_rounds: u64,
    /// The iterated local search stops after this many rounds in a row
    /// without a better plan.
    pub search_patience: u64,
    /// Independent search chains (each with its own seed, run in parallel);
    /// the best plan wins. Fixed, not the number of threads, so that the
    /// result is the same on any machine.
    pub search_chains: usize,
    /// Work budget of each subgradient optimisation, in iterations.
    pub bound_iterations: usize,
    /// Budgets of the branch and bound that closes the gap below the LP
    /// bound where reduced-cost fixing settles a tenth of the candidates or
    /// more; off (0 nodes) by default. It tightens the bound slowly (on the
    /// 1,000-candidate benchmark from 29,113 to 29,108 in 200 nodes, 1.5 s,
    /// and 29,101 in 3,000; the optimum is 29,090), so it is meant for the
    /// time left under a time limit.
    pub branch: branch::BranchBudget,
    /// Wall-clock limit for the whole solve; `None` for none. Reaching it
    /// stops the phase running (the result is then no longer reproducible).
    pub time_limit: Option<Duration>,
}

impl MclpParams {
    /// Default budgets for choosing `p` candidates: at most 200,000 rounds,
    /// stopping after `1,000 + 2p` rounds without a better plan (a round
    /// changes a handful of sites, so larger plans need more rounds to be
    /// visited), 3,000 subgradient iterations.
    pub fn new(p: usize) -> Self {
        MclpParams {
            p,
            seed: 1,
            search_rounds: 200_000,
            search_patience: 1_000 + 2 * p as u64,
            search_chains: 2,
            bound_iterations: 3_000,
            branch: branch::BranchBudget {
                nodes: 0,
                work: 0,
                iterations: 100,
            },
            time_limit: None,
        }
    }
}

/// The bound method's name, as `result.json` reports it.
pub const BOUND_METHOD: &str = "lagrangian-subgradient+reduced-cost-fixing";
/// The bound method's name when the branch and bound ran too.
pub const BOUND_METHOD_BRANCHED: &str =
    "lagrangian-subgradient+reduced-cost-fixing+lagrangian-branch-and-bound";

/// A solved instance.
#[derive(Debug, Clone, PartialEq)]
pub struct MclpSolution {
    /// The chosen candidates (instance indices), in greedy order: each one
    /// adds the most of those left, given the ones before it.
    pub chosen: Vec<u32>,
    /// The weight each chosen candidate newly covers in that order (they
    /// sum to `objective`).
    pub gains: Vec<Weight>,
    /// Covered weight of the chosen set.
    pub objective: Weight,
    /// No choice of `p` candidates covers more than this.
    pub upper_bound: Weight,
    /// How the bound was found.
    pub bound_method: &'static str,
    /// Covered weight of the lazy greedy alone (the baseline).
    pub greedy_objective: Weight,
    /// Covered weight after the first 1-swap local search.
    pub swap_objective: Weight,
    /// Total demand weight, covered or not.
    pub total_weight: Weight,
    /// Weight of the items some candidate covers.
    pub coverable_weight: Weight,
    /// Presolve's sizes.
    pub presolve: PresolveStats,
    /// The iterated local search's counts, over all chains.
    pub search: SearchStats,
    /// Subgradient iterations, over every bound computed.
    pub bound_iterations: usize,
    /// What the branch and bound did, if it ran.
    pub branch: Option<branch::BranchStats>,
    /// Candidates reduced-cost fixing put in every better plan.
    pub fixed_in: usize,
    /// Candidates reduced-cost fixing left out of every better plan.
    pub fixed_out: usize,
    /// Whether the time limit cut a phase short.
    pub time_limit_reached: bool,
    /// Seconds per phase: presolve, greedy, swap, bound, search, fixing, branch.
    pub phase_seconds: Vec<(&'static str, f64)>,
}

impl MclpSolution {
    /// Relative gap `(upper_bound − objective) / objective` (0 when both are 0).
    pub fn gap(&self) -> f64 {
        if self.objective == 0 {
            if self.upper_bound == 0 {
                0.0
            } else {
                f64::INFINITY
            }
        } else {
            (self.upper_bound - self.objective) as f64 / self.objective as f64
        }
    }

    /// Covered weight over the total weight (0 when there is none).
    pub fn covered_share(&self) -> f64 {
        if self.total_weight == 0 {
            0.0
        } else {
            self.objective as f64 / self.total_weight as f64
        }
    }
}

/// The plain greedy on the instance as given (no presolve, no search): the
/// baseline the benchmarks compare with. Returns the chosen candidates in
/// order and the covered weight.
pub fn greedy_baseline(inst: &Instance, p: usize) -> Result<(Vec<u32>, Weight), MclpError> {
    inst.validate()?;
    if p == 0 {
        return Err(MclpError::NoSites);
    }
    let r = Reduced::identity(&inst.weights, &inst.coverage);
    let picks = greedy::lazy_greedy(&r, p);
    let value = picks.iter().map(|(_, g)| g).sum();
    Ok((picks.into_iter().map(|(c, _)| c).collect(), value))
}

/// Orders `chosen` greedily on the instance and returns each one's gain.
fn greedy_order(inst: &Instance, chosen: &[u32]) -> (Vec<u32>, Vec<Weight>) {
    let rows: Vec<Vec<u32>> = chosen
        .iter()
        .map(|&c| inst.coverage[c as usize].clone())
        .collect();
    let r = Reduced::identity(&inst.weights, &rows);
    let picks = greedy::lazy_greedy(&r, chosen.len());
    picks
        .into_iter()
        .map(|(k, g)| (chosen[k as usize], g))
        .unzip()
}

/// Solves the instance: presolve, greedy, swap search, bound, iterated
/// search, reduced-cost fixing (see the module docs).
pub fn solve(inst: &Instance, params: &MclpParams) -> Result<MclpSolution, MclpError> {
    inst.validate()?;
    if params.p == 0 {
        return Err(MclpError::NoSites);
    }
    let start = Instant::now();
    let deadline = params.time_limit.map(|d| start + d);
    let cut = AtomicBool::new(false);
    let mut phases = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, phases: &mut Vec<(&'static str, f64)>| {
        phases.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let stop = || {
        let over = deadline.is_some_and(|d| Instant::now() >= d);
        if over {
            cut.store(true, Ordering::Relaxed);
        }
        over
    };

    let r = presolve::presolve(&inst.weights, &inst.coverage);
    lap("presolve", &mut phases);
    let n = r.cover.len();
    let p = params.p.min(n);
    let picks = greedy::lazy_greedy(&r, p);
    let greedy_objective = picks.iter().map(|(_, g)| g).sum();
    lap("greedy", &mut phases);
    let mut cov = Coverage::new(&r);
    for &(c, _) in &picks {
        cov.add(c);
    }
    let mut marks = Marks::new(n);
    cov.local_search(None, &mut marks);
    let swap_objective = cov.value();
    lap("swap", &mut phases);

    let mut search = SearchStats::default();
    let mut branch_stats = None;
    let (mut upper, mut iterations, mut fixed_in, mut fixed_out) = (r.coverable_weight, 0, 0, 0);
    if p < n {
        let first = lagrange::subgradient(
            &r,
            p,
            &lagrange::start_from_plan(&r, &cov.chosen()),
            cov.value(),
            params.bound_iterations,
            stop,
        );
        iterations += first.iterations;
        upper = upper.min(first.bound);
        lap("bound", &mut phases);
        // Independent chains from the same start, each with its own seed;
        // the best plan wins (ties to the lower chain), so the outcome does
        // not depend on how many threads run them.
        let chains: Vec<(Coverage<'_>, SearchStats)> = (0..params.search_chains.max(1) as u64)
            .into_par_iter()
            .map(|k| {
                let mut c = cov.clone();
                let seed = params
                    .seed
                    .wrapping_add(k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let st = search::iterated_local_search(
                    &mut c,
                    params.search_rounds,
                    params.search_patience,
                    seed,
                    upper,
                    stop,
                );
                (c, st)
            })
            .collect();
        let mut best_chain = 0;
        for (k, (c, st)) in chains.iter().enumerate() {
            search.rounds += st.rounds;
            search.accepted += st.accepted;
            search.improved += st.improved;
            search.swaps += st.swaps;
            if c.value() > chains[best_chain].0.value() {
                best_chain = k;
            }
        }
        if let Some((c, _)) = chains.into_iter().nth(best_chain) {
            cov = c;
        }
        lap("search", &mut phases);
        if cov.value() < upper {
            let again = lagrange::subgradient(
                &r,
                p,
                &first.multipliers,
                cov.value(),
                params.bound_iterations,
                stop,
            );
            iterations += again.iterations;
            upper = upper.min(again.bound);
            let f = lagrange::fix(&r, p, &again.multipliers, cov.value());
            fixed_in = f.ones.len();
            fixed_out = f.zeros.len();
            lap("fixing", &mut phases);
            // Branching pays only where reduced costs already settle much.
            if params.branch.nodes > 0
                && upper > cov.value()
                && (fixed_in + fixed_out) * 10 >= n
                && !stop()
            {
                let mut incumbent = (cov.value(), cov.chosen());
                let (bound, stats) = branch::branch_and_bound(
                    &r,
                    p,
                    branch::Root {
                        multipliers: &again.multipliers,
                        bound: upper,
                        ins: f.ones,
                        outs: f.zeros,
                    },
                    &mut incumbent,
                    params.branch,
                    stop,
                );
                branch_stats = Some(stats);
                upper = upper.min(bound);
                if incumbent.0 > cov.value() {
                    search::restore(&mut cov, &incumbent.1);
                    // A node solved exactly may choose fewer than p: fill up.
                    let mut next = 0;
                    while cov.chosen().len() < p {
                        if !cov.is_chosen(next) {
                            cov.add(next);
                        }
                        next += 1;
                    }
                }
                lap("branch", &mut phases);
            }
        } else {
            lap("fixing", &mut phases);
        }
    }
    let value = cov.value();
    debug_assert!(upper >= value, "bound {upper} below plan {value}");
    let upper = upper.max(value);

    let mut chosen: Vec<u32> = cov
        .chosen()
        .into_iter()
        .map(|c| r.original[c as usize])
        .collect();
    let want = params.p.min(inst.coverage.len());
    chosen.extend(r.dropped.iter().take(want.saturating_sub(chosen.len())));
    chosen.sort_unstable();
    let (chosen, gains) = greedy_order(inst, &chosen);
    let objective: Weight = gains.iter().sum();
    debug_assert_eq!(objective, value);
    Ok(MclpSolution {
        chosen,
        gains,
        objective,
        upper_bound: upper,
        bound_method: if branch_stats.is_some() {
            BOUND_METHOD_BRANCHED
        } else {
            BOUND_METHOD
        },
        greedy_objective,
        swap_objective,
        total_weight: inst.total_weight(),
        coverable_weight: r.coverable_weight,
        presolve: r.stats.clone(),
        search,
        bound_iterations: iterations,
        branch: branch_stats,
        fixed_in,
        fixed_out,
        time_limit_reached: cut.load(Ordering::Relaxed),
        phase_seconds: phases,
    })
}
