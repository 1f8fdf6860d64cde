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
    // Per item, the requirements that hold it and with what weight.
    let n = p.weights.len();
    let mut of_item: Vec<Vec<(usize, Weight)>> = vec![Vec::new(); n];
    for (r, req) in p.requirements.iter().enumerate() {
        for &(d, w) in &req.items {
            of_item[d as usize].push((r, w));
        }
    }
    let mut out = Vec::new();
    for s in &p.sites {
        let open_ops = (0..p.operators)
            .filter(|&o| s.allowed & (1 << o) != 0 && s.lte & (1 << o) == 0)
            .count() as u32;
        for o in 0..p.operators {
            if !s.fits(o, s.tenants) {
                continue;
            }
            let station = s.station_cost(o);
            let slots = (s.capacity as u32).min(open_ops).max(1);
            let cost = station as f64 + s.build_cost_yuan as f64 / slots as f64;
            let before = &p.covered_before[o];
            let mut objective = 0;
            let mut req = vec![0; p.requirements.len()];
            for &d in &s.coverage[o] {
                if before[d as usize] {
                    continue;
                }
                objective += p.weights[d as usize];
                for &(r, w) in &of_item[d as usize] {
                    if p.requirements[r].operator == o {
                        req[r] += w;
                    }
                }
            }
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
/// With a sharing `floor`, the bound is the larger of that and the least
/// cost of the floor on its own ([`sharing_cost`]).
pub fn cost_lower_bound(
    p: &Problem,
    targets: &[Weight],
    before: &[Weight],
    floor: Option<f64>,
) -> Bound {
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
    let coverage = Bound {
        value: total.floor() as u64,
        method: "per operator, the dearest of its requirements met by a fractional knapsack of single-station gains (overlaps, capacities and the sharing floor relaxed; a new site's build cost shared over its slots)".into(),
    };
    match floor.map(|f| sharing_cost(p, f)) {
        Some(c) if c.is_finite() && c.floor() > total => Bound {
            value: c.floor() as u64,
            method: "the least cost of the sharing floor alone: the cheapest co-location on each single-tenant existing site, then new sites built shared, taken fractionally (coverage relaxed); it exceeds the coverage bound (the dearest requirement per operator by a fractional knapsack of single-station gains)".into(),
        },
        _ => coverage,
    }
}

/// Least cost of lifting the portfolio's sharing rate to `floor`: each
/// existing site made shared by co-locations (one where it has a tenant,
/// two where it has none) is one more shared site, a new site built shared (two stations at least)
/// adds `1 − floor` to `shared − floor × sites`; taken fractionally,
/// cheapest first. Infinite when the floor is out of reach.
pub fn sharing_cost(p: &Problem, floor: f64) -> f64 {
    let (existing, shared) = p.sharing_before();
    let mut units = floor * existing as f64 - shared as f64;
    if units <= 0.0 {
        return 0.0;
    }
    // An existing site made shared: one new tenant where it has one, two
    // where it has none.
    let mut options: Vec<f64> = p
        .sites
        .iter()
        .filter(|s| s.existing && s.tenants.count_ones() < 2 && s.capacity >= 2)
        .filter_map(|s| {
            let need = 2 - s.tenants.count_ones();
            let joinable = (0..p.operators)
                .filter(|o| s.allowed & !s.tenants & (1 << o) != 0)
                .count() as u32;
            (joinable >= need).then(|| (need as u64 * s.tenant_cost_yuan) as f64)
        })
        .collect();
    options.sort_by(f64::total_cmp);
    let new_site = p
        .sites
        .iter()
        .filter(|s| !s.existing && s.capacity >= 2 && s.allowed.count_ones() >= 2)
        .map(|s| (s.build_cost_yuan + 2 * s.tenant_cost_yuan) as f64)
        .fold(f64::INFINITY, f64::min)
        / (1.0 - floor).max(1e-9);
    let mut cost = 0.0;
    for c in options {
        if units <= 0.0 || c >= new_site {
            break;
        }
        let take = units.min(1.0);
        cost += c * take;
        units -= take;
    }
    if units > 0.0 {
        cost += units * new_site;
    }
    cost
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

/// `budget` and `sites`: an upper bound on the objective weight of any
/// plan (`targets`, with no budget, is bounded as an unlimited budget).
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
