//! An upper bound on the newly covered weight of any feasible plan.

use crate::problem::{Problem, Weight};

/// For each operator, the sum of the `quota` largest single-station gains
/// (coverage is submodular, so no set of `quota` stations covers more than
/// their separate gains added up), capped by the weight still uncovered; the
/// sum over operators. Capacities, budget and R1 only shrink the feasible set,
/// so this bounds the constrained problem too.
///
/// ```
/// use siting_optimize::{upper_bound, Problem, SiteChoice};
/// let site = |cov: Vec<u32>| SiteChoice { existing: false, tenants: 0, capacity: 1,
///     build_cost_yuan: 1, tenant_cost_yuan: 1, coverage: vec![cov] };
/// let p = Problem { operators: 1, weights: vec![5, 4, 3], covered_before: vec![vec![false; 3]],
///     sites: vec![site(vec![0, 1]), site(vec![1, 2])], quota: vec![1] };
/// assert_eq!(upper_bound(&p), 9);
/// ```
pub fn upper_bound(p: &Problem) -> Weight {
    (0..p.operators)
        .map(|o| {
            let covered = &p.covered_before[o];
            let uncovered: Weight = p
                .weights
                .iter()
                .zip(covered)
                .filter(|(_, &c)| !c)
                .map(|(w, _)| *w)
                .sum();
            let mut gains: Vec<Weight> = p
                .sites
                .iter()
                .filter(|s| s.tenants & (1 << o) == 0 && s.capacity as u32 > s.tenants.count_ones())
                .map(|s| {
                    s.coverage[o]
                        .iter()
                        .filter(|&&d| !covered[d as usize])
                        .map(|&d| p.weights[d as usize])
                        .sum()
                })
                .collect();
            gains.sort_unstable_by(|a, b| b.cmp(a));
            let top: Weight = gains
                .iter()
                .take(p.quota[o] as usize)
                .fold(0, |a: Weight, g| a.saturating_add(*g));
            top.min(uncovered)
        })
        .sum()
}
