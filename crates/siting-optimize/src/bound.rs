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
            for &d in s.coverage[o].iter() {
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

/// Most variables for which [`lp_relaxation`] builds and solves the LP
/// (stations, new sites, covered items, shared sites); above it the
/// cheaper bounds stand alone.
pub const LP_MAX_VARIABLES: usize = 6_000;

/// What the LP relaxation bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LpGoal<'a> {
    /// Least cost meeting each requirement `r`'s `targets[r]`, given
    /// `before[r]` covered before the plan.
    Cost {
        /// Per requirement, its target (capped at what is achievable).
        targets: &'a [Weight],
        /// Per requirement, its weight covered before the plan.
        before: &'a [Weight],
    },
    /// Most objective weight in this mode (`budget` or `sites`).
    Coverage(Mode),
}

/// The LP relaxation of the whole problem, solved by a real LP solver
/// (`good_lp` with the pure-Rust `microlp` simplex): station variables
/// `x(s, o)` in 0..1, new-site variables `y(s) ≥ x(s, o)`, item variables
/// `z(o, d) ≤ Σ x` over the stations covering `d`, capacities
/// (`Σ x ≤` free slots), requirements (`Σ w·z ≥` target − before) or the
/// budget (`Σ cost·x + Σ build·y ≤` budget) and the count of new sites
/// (`Σ y ≤ N`), and with a `floor` shared-site variables `h(s)` (an
/// existing site with one tenant: `h ≤ Σ x`; with none, and a new site:
/// `h ≤ Σ x / 2`, `h ≤ y`) with `shared + Σ h ≥ floor × (sites + Σ y)`.
/// R1, overlaps beyond the linear cover and integrality are relaxed, so the
/// value is a valid bound: no plan meeting the requirements and the floor
/// costs less (`Cost`, rounded up to whole yuan after the solver's
/// tolerance of 10⁻⁷ relative is taken off) and no plan covers more
/// (`Coverage`, rounded down after it is added). `None` when the instance has more than
/// [`LP_MAX_VARIABLES`] variables, the LP is infeasible, or the solver fails.
pub fn lp_relaxation(p: &Problem, goal: LpGoal<'_>, floor: Option<f64>) -> Option<u64> {
    use good_lp::{variable, Expression, ProblemVariables, Solution, SolverModel, Variable};
    let k = p.operators;
    let n = p.weights.len();
    // Which items matter: for `Cost`, requirement items; for `Coverage`,
    // every item of positive weight. Not covered before, and coverable.
    let mut wanted = vec![vec![false; n]; k];
    match goal {
        LpGoal::Cost { .. } => {
            for r in &p.requirements {
                for &(d, w) in &r.items {
                    if w > 0 {
                        wanted[r.operator][d as usize] = true;
                    }
                }
            }
        }
        LpGoal::Coverage(_) => {
            for row in wanted.iter_mut() {
                for (d, x) in row.iter_mut().enumerate() {
                    *x = p.weights[d] > 0;
                }
            }
        }
    }
    let options: Vec<(usize, usize)> = (0..p.sites.len())
        .flat_map(|s| (0..k).map(move |o| (s, o)))
        .filter(|&(s, o)| p.sites[s].fits(o, p.sites[s].tenants))
        .collect();
    let shareable = if floor.is_some() { p.sites.len() } else { 0 };
    // Too large already by its stations (and the floor's sites): the items
    // need not be gathered to know.
    if options.len() + shareable > LP_MAX_VARIABLES {
        return None;
    }
    let mut covers: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); n]; k];
    for (i, &(s, o)) in options.iter().enumerate() {
        for &d in p.sites[s].coverage[o].iter() {
            let d = d as usize;
            if wanted[o][d] && !p.covered_before[o][d] {
                covers[o][d].push(i);
            }
        }
    }
    let items: usize = covers.iter().flatten().filter(|c| !c.is_empty()).count();
    let mut new_sites: Vec<usize> = options
        .iter()
        .map(|&(s, _)| s)
        .filter(|&s| !p.sites[s].existing)
        .collect();
    new_sites.dedup();
    if options.len() + items + new_sites.len() + shareable > LP_MAX_VARIABLES {
        return None;
    }
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = options
        .iter()
        .map(|_| vars.add(variable().min(0.0).max(1.0)))
        .collect();
    let mut y: Vec<Option<Variable>> = vec![None; p.sites.len()];
    for &s in &new_sites {
        y[s] = Some(vars.add(variable().min(0.0).max(1.0)));
    }
    let mut z: Vec<Vec<Option<Variable>>> = vec![vec![None; n]; k];
    for o in 0..k {
        for d in 0..n {
            if !covers[o][d].is_empty() {
                z[o][d] = Some(vars.add(variable().min(0.0).max(1.0)));
            }
        }
    }
    let mut cost = Expression::from(0.0);
    for (i, &(s, o)) in options.iter().enumerate() {
        cost += p.sites[s].station_cost(o) as f64 * x[i];
    }
    for &s in &new_sites {
        if let Some(v) = y[s] {
            cost += p.sites[s].build_cost_yuan as f64 * v;
        }
    }
    let mut covered = Expression::from(0.0);
    for row in &z {
        for (d, v) in row.iter().enumerate() {
            if let Some(v) = v {
                covered += p.weights[d] as f64 * *v;
            }
        }
    }
    let mut constraints = Vec::new();
    for o in 0..k {
        for d in 0..n {
            if let Some(v) = z[o][d] {
                let sum: Expression = covers[o][d].iter().map(|&i| x[i]).sum();
                constraints.push((Expression::from(v)).leq(sum));
            }
        }
    }
    let mut of_site: Vec<Vec<usize>> = vec![Vec::new(); p.sites.len()];
    for (i, &(s, _)) in options.iter().enumerate() {
        of_site[s].push(i);
    }
    for (s, site) in p.sites.iter().enumerate() {
        let mine = &of_site[s];
        if mine.is_empty() {
            continue;
        }
        if let Some(v) = y[s] {
            for &i in mine {
                constraints.push(Expression::from(x[i]).leq(v));
            }
        }
        // New tenants use slots; overlays do not.
        let joining: Expression = mine
            .iter()
            .filter(|&&i| site.tenants & (1 << options[i].1) == 0)
            .map(|&i| x[i])
            .sum();
        let free = site
            .capacity
            .saturating_sub(site.tenants.count_ones() as u8) as f64;
        constraints.push(joining.leq(free));
    }
    if let Some(f) = floor {
        let (sites_before, shared_before) = p.sharing_before();
        let mut shared = Expression::from(shared_before as f64);
        let mut total = Expression::from(sites_before as f64);
        for (s, site) in p.sites.iter().enumerate() {
            let tenants = site.tenants.count_ones();
            if site.existing && tenants >= 2 {
                continue;
            }
            let joining: Vec<Variable> = of_site[s]
                .iter()
                .filter(|&&i| site.tenants & (1 << options[i].1) == 0)
                .map(|&i| x[i])
                .collect();
            let need = if site.existing { 2 - tenants } else { 2 } as usize;
            if joining.len() < need {
                continue;
            }
            let h = vars.add(variable().min(0.0).max(1.0));
            let sum: Expression = joining.iter().copied().sum();
            constraints.push((need as f64 * h).leq(sum));
            if let Some(v) = y[s] {
                constraints.push(Expression::from(h).leq(v));
            }
            shared += h;
        }
        for &s in &new_sites {
            if let Some(v) = y[s] {
                total += v;
            }
        }
        constraints.push(shared.geq(f * total));
    }
    let problem = match goal {
        LpGoal::Cost { targets, before } => {
            for (r, req) in p.requirements.iter().enumerate() {
                let deficit = targets[r].saturating_sub(before[r]);
                if deficit == 0 {
                    continue;
                }
                let mut got = Expression::from(0.0);
                for &(d, w) in &req.items {
                    if let Some(v) = z[req.operator][d as usize] {
                        got += w as f64 * v;
                    }
                }
                constraints.push(got.geq(deficit as f64));
            }
            vars.minimise(cost.clone())
        }
        LpGoal::Coverage(mode) => {
            let (budget, count) = match mode {
                Mode::Budget { budget_yuan } => (Some(budget_yuan), None),
                Mode::Sites { count, budget_yuan } => (budget_yuan, Some(count)),
                Mode::Targets => (None, None),
            };
            if let Some(b) = budget {
                constraints.push(cost.clone().leq(b as f64));
            }
            if let Some(c) = count {
                let opened: Expression = y.iter().flatten().copied().sum();
                constraints.push(opened.leq(c as f64));
            }
            vars.maximise(covered.clone())
        }
    };
    let mut model = problem.using(good_lp::microlp);
    for c in constraints {
        model = model.with(c);
    }
    let solution = model.solve().ok()?;
    match goal {
        // Costs and weights are whole numbers, so a plan's value is at least
        // the LP value rounded up (cost) or at most rounded down (coverage);
        // the simplex's tolerance is taken off first.
        LpGoal::Cost { .. } => {
            let v = solution.eval(&cost);
            let v = v - 1e-7 * v.abs().max(1.0);
            v.is_finite().then(|| v.max(0.0).ceil() as u64)
        }
        LpGoal::Coverage(_) => {
            let v = solution.eval(&covered);
            let v = v + 1e-7 * v.abs().max(1.0);
            v.is_finite().then(|| v.max(0.0).floor() as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Site A covers items a, b for 10 yuan, B covers a for 4, C covers b for 7.
    fn three_sites() -> Problem {
        crate::local::tests::greedy_trap()
    }

    #[test]
    fn the_lp_is_tighter_than_the_knapsack() {
        let p = three_sites();
        // Knapsack: a from B (4), b at A's 5 per unit: 9 yuan.
        assert_eq!(cost_lower_bound(&p, &[2], &[0], None).value, 9);
        // LP: covering both items costs A (10) or B + C (11): 10 yuan.
        let goal = LpGoal::Cost {
            targets: &[2],
            before: &[0],
        };
        assert_eq!(lp_relaxation(&p, goal, None), Some(10));
    }

    #[test]
    fn the_lp_bounds_coverage_within_a_budget() {
        let p = three_sites();
        // 7 yuan: C alone covers 1; fractionally 0.7 of A covers 1.4,
        // and whole weights make that 1.
        let b = lp_relaxation(&p, LpGoal::Coverage(Mode::Budget { budget_yuan: 7 }), None);
        assert_eq!(b, Some(1));
        let b = lp_relaxation(&p, LpGoal::Coverage(Mode::Budget { budget_yuan: 20 }), None);
        assert_eq!(b, Some(2));
    }

    #[test]
    fn an_unreachable_floor_gives_no_lp_bound() {
        let p = three_sites();
        // Capacity 1 everywhere: no site can become shared.
        let goal = LpGoal::Cost {
            targets: &[2],
            before: &[0],
        };
        assert_eq!(lp_relaxation(&p, goal, Some(0.9)), None);
    }
}
