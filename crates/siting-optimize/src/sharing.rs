//! Sharing-rate arithmetic, and the solve that meets a minimum sharing rate.

use crate::bound::upper_bound;
use crate::greedy::{greedy, Placement};
use crate::problem::{Params, Problem, ProblemError, Weight, Yuan};

/// The sharing rate of a set of placements: new base stations on sites that
/// host two or more operators once the plan is built, over all new base
/// stations; `None` when there are none.
///
/// ```
/// use siting_optimize::{sharing_rate, Placement};
/// // Site 0 already hosts operator 0; site 1 is new and gets one station.
/// let placed = [
///     Placement { site: 0, operator: 1, gain: 5, cost_yuan: 1 },
///     Placement { site: 1, operator: 0, gain: 9, cost_yuan: 3 },
/// ];
/// assert_eq!(sharing_rate(&[0b01, 0], &placed), Some(0.5));
/// ```
pub fn sharing_rate(tenants_before: &[u8], placements: &[Placement]) -> Option<f64> {
    if placements.is_empty() {
        return None;
    }
    let mut after = tenants_before.to_vec();
    for pl in placements {
        after[pl.site as usize] |= 1 << pl.operator;
    }
    let shared = placements
        .iter()
        .filter(|pl| after[pl.site as usize].count_ones() >= 2)
        .count();
    Some(shared as f64 / placements.len() as f64)
}

/// A solved instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The placements, in the order the greedy made them (its priority order).
    pub placements: Vec<Placement>,
    /// Newly covered weight per operator.
    pub gain_per_operator: Vec<Weight>,
    /// Total cost, yuan.
    pub cost_yuan: Yuan,
    /// Sharing rate of the placements (0 when there are none).
    pub sharing_rate: f64,
    /// The sharing bonus (weight units) the solve needed to meet the target.
    pub sharing_bonus: Weight,
    /// Upper bound on the newly covered weight of any feasible plan.
    pub upper_bound: Weight,
    /// Whether the minimum sharing rate, if any, is met.
    pub sharing_target_met: bool,
}

impl Solution {
    /// Total newly covered weight.
    pub fn gain(&self) -> Weight {
        self.gain_per_operator.iter().sum()
    }
}

fn summarise(
    p: &Problem,
    placements: Vec<Placement>,
    bonus: Weight,
    ub: Weight,
    min: Option<f64>,
) -> Solution {
    let before: Vec<u8> = p.sites.iter().map(|s| s.tenants).collect();
    let rate = sharing_rate(&before, &placements).unwrap_or(0.0);
    let mut gain = vec![0; p.operators];
    for pl in &placements {
        gain[pl.operator as usize] += pl.gain;
    }
    Solution {
        cost_yuan: placements.iter().map(|pl| pl.cost_yuan).sum(),
        gain_per_operator: gain,
        sharing_rate: rate,
        sharing_bonus: bonus,
        upper_bound: ub,
        sharing_target_met: min.is_none_or(|m| rate >= m),
        placements,
    }
}

/// Solves the instance: greedy with no sharing bonus, and if that misses the
/// minimum sharing rate, the smallest bonus (found by doubling, then
/// bisection) with which it meets it. If no bonus meets it, the solution with
/// the largest bonus tried is returned with `sharing_target_met == false`.
pub fn solve(p: &Problem, params: &Params) -> Result<Solution, ProblemError> {
    p.validate(params)?;
    let ub = upper_bound(p);
    let run = |bonus: Weight| {
        summarise(
            p,
            greedy(p, params, bonus),
            bonus,
            ub,
            params.min_sharing_rate,
        )
    };
    let first = run(0);
    let Some(min) = params.min_sharing_rate else {
        return Ok(first);
    };
    if first.sharing_target_met {
        return Ok(first);
    }
    // Any bonus above the total weight makes every shared option beat every
    // unshared one: the most sharing the greedy can give.
    let cap = p.weights.iter().sum::<Weight>().saturating_add(1);
    let mut lo = 0;
    let mut hi = 1;
    let mut best = loop {
        let s = run(hi);
        if s.sharing_rate >= min {
            break s;
        }
        if hi >= cap {
            return Ok(s);
        }
        lo = hi;
        hi = hi.saturating_mul(4).min(cap);
    };
    while hi - lo > 1 && (hi - lo) * 64 > hi {
        let mid = lo + (hi - lo) / 2;
        let s = run(mid);
        if s.sharing_rate >= min {
            hi = mid;
            best = s;
        } else {
            lo = mid;
        }
    }
    Ok(best)
}
