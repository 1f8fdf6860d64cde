//! Bounds on the optimum: a lower bound on the cost of meeting the
//! requirements (`targets`), an upper bound on the objective weight any
//! plan can cover (`budget`, `sites`).
//!
//! Both relax the problem the same way: a station's coverage is taken on
//! its own (coverage overlaps are ignored: no set of stations covers more
//! than their separate gains added up), capacities and the sharing floor are
//! dropped, and a candidate's build cost is shared evenly among the most
//! stations it could hold (whoever builds it, each station on it pays at
//! least that share). The relaxed problems are fractional knapsacks, solved
//! exactly by taking options in order of gain per yuan.

use crate::problem::{Mode, Problem, Weight, Yuan};

/// A bound on the optimum and how it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// `targets`: yuan no plan meeting the requirements can cost less than;
    /// `budget`, `sites`: objective weight no plan can exceed.
    pub value: u64,
    /// The method, in words.
    pub method: String,
}

/// One option on its own: its operator, what it costs with its share of a
/// build, and what it would cover before anything is placed.
struct Single {
    operator: usize,
    existing: bool,
    cost: f64,
    objective: Weight,
    req: Vec<Weight>,
}

fn singles(p: &Problem) -> Vec<Single> {
    let mut out = Vec::new();
    for s in &p.sites {
        let open_ops = (0..p.operators)
            .filter(|&o| s.allowed & (1 << o) != 0 && s.lte & (1 << o) == 0)
            .count() as u32;
        for o in 0..p.operators {
            let bit = 1u8 << o;
            let fits = s.tenants & bit != 0 || (s.tenants.count_ones() as u8) < s.capacity;
            if s.allowed & bit == 0 || s.lte & bit != 0 || !fits {
                continue;
            }
            let station = if s.existing && s.tenants & bit != 0 {
                s.overlay_cost_yuan
            } else {
                s.tenant_cost_yuan
            };
            let slots = (s.capacity as u32).min(open_ops).max(1);
            let cost = station as f64 + s.build_cost_yuan as f64 / slots as f64;
            let before = &p.covered_before[o];
            let new: Vec<u32> = s.coverage[o]
                .iter()
                .copied()
                .filter(|&d| !before[d as usize])
                .collect();
            let objective = new.iter().map(|&d| p.weights[d as usize]).sum();
            let req = p
                .requirements
                .iter()
                .map(|r| {
                    if r.operator != o {
                        return 0;
                    }
                    // Both lists ascending: merge.
                    let (mut i, mut w) = (0, 0);
                    for &(d, rw) in &r.items {
                        while i < new.len() && new[i] < d {
                            i += 1;
                        }
                        if i < new.len() && new[i] == d {
                            w += rw;
                        }
                    }
                    w
                })
                .collect();
            out.push(Single {
                operator: o,
                existing: s.existing,
                cost,
                objective,
                req,
            });
        }
    }
    out
}

/// Least cost of covering `deficit` with options of `(gain, cost)`, taken
/// fractionally in order of cost per unit of gain; infinite when they
/// cannot cover it.
fn knapsack_cost(mut options: Vec<(Weight, f64)>, deficit: Weight) -> f64 {
    options.retain(|(g, _)| *g > 0);
    options.sort_by(|a, b| (a.1 / a.0 as f64).total_cmp(&(b.1 / b.0 as f64)));
    let (mut left, mut cost) = (deficit as f64, 0.0);
    for (g, c) in options {
        if left <= 0.0 {
            break;
        }
        let take = (g as f64).min(left);
        cost += c * take / g as f64;
        left -= take;
    }
    if left > 1e-9 {
        f64::INFINITY
    } else {
        cost
    }
}

/// `targets`: per operator, the dearest of its requirements on its own
/// (each covered by a fractional knapsack of single-station gains up to the
/// target, capped at what is achievable); the sum over operators.
/// `targets[r]` is requirement `r`'s target, `before[r]` its coverage
/// before the plan.
pub fn cost_lower_bound(p: &Problem, targets: &[Weight], before: &[Weight]) -> Bound {
    let singles = singles(p);
    let mut total = 0.0;
    for o in 0..p.operators {
        let mut worst: f64 = 0.0;
        for (r, req) in p.requirements.iter().enumerate() {
            if req.operator != o {
                continue;
            }
            let deficit = targets[r].saturating_sub(before[r]);
            if deficit == 0 {
                continue;
            }
            let options = singles
                .iter()
                .filter(|x| x.operator == o)
                .map(|x| (x.req[r], x.cost))
                .collect();
            let c = knapsack_cost(options, deficit);
            if c.is_finite() {
                worst = worst.max(c);
            }
        }
        total += worst;
    }
    Bound {
        value: total.floor() as u64,
        method: "per operator, the dearest of its requirements met by a fractional knapsack of single-station gains (overlaps, capacities and the sharing floor relaxed; a new site's build cost shared over its slots)".into(),
    }
}

/// The weight each operator could still gain: its items not covered before.
fn uncovered(p: &Problem, o: usize) -> Weight {
    p.weights
        .iter()
        .zip(&p.covered_before[o])
        .filter(|(_, &c)| !c)
        .map(|(w, _)| *w)
        .sum()
}

/// Most objective weight a fractional knapsack of single-station gains
/// reaches within `budget`, each operator capped at its uncovered weight.
fn budget_bound(p: &Problem, singles: &[Single], budget: Yuan) -> f64 {
    let mut order: Vec<&Single> = singles.iter().filter(|x| x.objective > 0).collect();
    order.sort_by(|a, b| {
        (b.objective as f64 / b.cost.max(1e-9)).total_cmp(&(a.objective as f64 / a.cost.max(1e-9)))
    });
    let mut cap: Vec<f64> = (0..p.operators).map(|o| uncovered(p, o) as f64).collect();
    let (mut left, mut value) = (budget as f64, 0.0);
    for x in order {
        if left <= 0.0 {
            break;
        }
        let room = cap[x.operator];
        if room <= 0.0 {
            continue;
        }
        let frac = if x.cost <= 0.0 {
            1.0
        } else {
            (left / x.cost).min(1.0)
        };
        let got = (x.objective as f64 * frac).min(room);
        value += got;
        cap[x.operator] -= got;
        left -= x.cost * got / x.objective as f64;
    }
    value
}

/// `budget` and `sites`: an upper bound on the objective weight of any plan.
pub fn coverage_upper_bound(p: &Problem, mode: &Mode) -> Bound {
    let singles = singles(p);
    match *mode {
        Mode::Targets | Mode::Budget { .. } => {
            let budget = match *mode {
                Mode::Budget { budget_yuan } => budget_yuan,
                _ => Yuan::MAX,
            };
            Bound {
                value: budget_bound(p, &singles, budget).ceil() as u64,
                method: "fractional knapsack of single-station gains within the budget, each operator capped at its uncovered weight (overlaps, capacities and the sharing floor relaxed; a new site's build cost shared over its slots)".into(),
            }
        }
        Mode::Sites { count, budget_yuan } => {
            let mut total = 0u64;
            for o in 0..p.operators {
                let mine: Vec<&Single> = singles.iter().filter(|x| x.operator == o).collect();
                let existing: Weight = mine
                    .iter()
                    .filter(|x| x.existing)
                    .map(|x| x.objective)
                    .sum();
                let mut new: Vec<Weight> = mine
                    .iter()
                    .filter(|x| !x.existing)
                    .map(|x| x.objective)
                    .collect();
                new.sort_unstable_by(|a, b| b.cmp(a));
                let top: Weight = new.iter().take(count as usize).sum();
                total += uncovered(p, o).min(existing.saturating_add(top));
            }
            let mut method = "per operator, every existing site's single-station gain plus the largest gains of as many new sites as the mode builds, capped at its uncovered weight".to_string();
            if let Some(b) = budget_yuan {
                let by_budget = budget_bound(p, &singles, b).ceil() as u64;
                if by_budget < total {
                    total = by_budget;
                    method = "fractional knapsack of single-station gains within the budget, each operator capped at its uncovered weight".into();
                }
            }
            Bound {
                value: total,
                method,
            }
        }
    }
}
