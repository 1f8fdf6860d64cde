//! The solve for each mode, and the solution it returns.

use crate::bound::{cost_lower_bound, coverage_upper_bound, lp_relaxation, Bound, LpGoal};
use crate::capacity::{self, CapacityOutcome};
use crate::construct::{cleanup, coverage, fill_sites, repair, sharing_fill, targets};
use crate::lagrangian::lagrangian_bound;
use crate::local::{self, SearchOutcome, Setting};
use crate::problem::{Mode, Params, Problem, ProblemError, Weight, Yuan};
use crate::state::{Alternative, Cause, Placement, Purpose, State};
use rayon::prelude::*;
use std::time::Instant;

/// How a requirement came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequirementOutcome {
    /// The weight it asked for.
    pub requested: Weight,
    /// The most any plan could cover (items covered before or by some site
    /// where the operator could be placed).
    pub achievable: Weight,
    /// Covered before the plan.
    pub covered_before: Weight,
    /// Covered once the plan is built.
    pub covered: Weight,
}

impl RequirementOutcome {
    /// Whether the plan covers what was asked.
    pub fn met(&self) -> bool {
        self.covered >= self.requested
    }
}

/// The portfolio's sharing before and after the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharingOutcome {
    /// Sites before the plan.
    pub sites_before: u64,
    /// Shared sites before the plan.
    pub shared_before: u64,
    /// Sites once the plan is built (existing and new).
    pub sites_after: u64,
    /// Shared sites once the plan is built.
    pub shared_after: u64,
    /// Whether the floor, if any, is reached.
    pub floor_met: bool,
}

/// A solved instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The stations, in priority order (the order construction made them).
    pub placements: Vec<Placement>,
    /// Total cost, yuan.
    pub cost_yuan: Yuan,
    /// Build costs of new sites, yuan (part of `cost_yuan`).
    pub build_cost_yuan: Yuan,
    /// Objective weight newly covered, all operators.
    pub objective: Weight,
    /// Objective weight newly covered, per operator.
    pub gain_per_operator: Vec<Weight>,
    /// Per requirement, in the problem's order.
    pub requirements: Vec<RequirementOutcome>,
    /// The portfolio's sharing.
    pub sharing: SharingOutcome,
    /// New sites built.
    pub new_sites: u32,
    /// The bound on the optimum.
    pub bound: Bound,
    /// The plan's value against the bound, 0..1: in `targets`
    /// `(cost − bound) / cost`, otherwise `(bound − objective) / bound`;
    /// `None` in `targets` when the plan misses a requirement it could meet,
    /// a served-traffic share or the sharing floor (the bound holds for
    /// plans that meet them all).
    pub gap: Option<f64>,
    /// The price of a unit of sharing the solve settled on (yuan in
    /// `targets`, weight in the other modes; 0 when the floor needed none).
    pub sharing_price: u64,
    /// Per placement (same order as `placements`), the best options of the
    /// same operator on other sites that the greedy ranked below it when it
    /// chose it, at most [`MAX_ALTERNATIVES`](crate::state::MAX_ALTERNATIVES),
    /// best first; empty for stations the sharing fill or the count placed.
    pub alternatives: Vec<Vec<Alternative>>,
    /// What the local search did.
    pub search: SearchOutcome,
    /// With traffic ([`Params::capacity`]), per placement (same order), the
    /// year (an index into the capacity's years) its station stands from;
    /// empty without.
    pub years: Vec<u8>,
    /// Per placement, what set its year; empty without traffic.
    pub year_drivers: Vec<crate::capacity::YearDriver>,
    /// Loads and served traffic per operator and year, with traffic.
    pub capacity: Option<CapacityOutcome>,
}

impl Solution {
    /// Stations of each kind: overlay, co-location, new site.
    pub fn kinds(&self) -> [usize; 3] {
        let mut n = [0; 3];
        for pl in &self.placements {
            n[pl.kind as usize] += 1;
        }
        n
    }
}

/// How the LP bound is named in [`Bound::method`].
const LP_METHOD: &str = "LP relaxation (good_lp with the microlp simplex: stations, new sites, covered items, capacities, budget, count and sharing floor, integrality and R1 relaxed)";

/// How the Lagrangian bound is named in [`Bound::method`].
const LAGRANGIAN_METHOD: &str = "Lagrangian relaxation (the covering constraints, the budget and in targets the sharing floor relaxed with multipliers, found by subgradient ascent and bisection; per requirement a fractional knapsack, per site its best stations within its slots and build cost, the count of new sites kept; R1 relaxed, and the floor in budget and sites)";

/// Solves the instance in its mode.
///
/// - `targets`: the cost-effectiveness greedy meets the requirements, the
///   sharing fill lifts the sharing rate to the floor, and the clean-up
///   takes out what is then redundant. When the floor needs filling, the
///   solve also tries a range of prices on sharing (a station that makes its
///   site shared counts as that much cheaper, one that opens a candidate as
///   `floor ×` that much dearer) and keeps the cheapest plan.
/// - `budget`: the greedy by newly covered weight per yuan, then clean-up.
/// - `sites`: existing sites first (every station that adds coverage), then
///   new sites by newly covered weight up to the count, then the cheapest
///   candidates left if coverage stops asking before the count is reached.
///
/// In `budget` and `sites`, a floor the greedy misses is met by a bonus (in
/// weight units) on shared placements, the smallest found by doubling and
/// bisection. A floor no plan reaches gives the closest plan, with
/// `sharing.floor_met == false`.
pub fn solve(p: &Problem, params: &Params) -> Result<Solution, ProblemError> {
    let mut sol = solve_with_cheap_bound(p, params)?;
    tighten_bound(p, params, &mut sol);
    Ok(sol)
}

/// [`solve()`] with only the cheaper bounds (knapsack of single-station
/// gains, the sharing floor's cost; no LP or Lagrangian relaxation), for a
/// caller that may solve again before it needs the tight one: the plan is
/// the same, and [`tighten_bound`] then gives the bound and gap
/// [`solve()`] gives.
pub fn solve_with_cheap_bound(p: &Problem, params: &Params) -> Result<Solution, ProblemError> {
    let built = construct(p, params)?;
    complete(p, params, built)
}

/// A plan the mode's construction made ([`construct`]: the greedy, the
/// repair, the sharing fill, the clean-up and the floor's price or bonus
/// search), before the local search, the traffic side and the bounds, which
/// [`complete`] adds.
pub struct Construction<'a> {
    state: State<'a>,
    price: u64,
    start: Instant,
}

impl Construction<'_> {
    /// The plan's value in `mode`: its cost in `targets` (yuan), its newly
    /// covered objective weight otherwise; what a Lagrangian step rule can
    /// aim at (the local search only improves on it).
    pub fn value(&self, mode: Mode) -> u64 {
        match mode {
            Mode::Targets => self.state.cost_yuan(),
            _ => self.state.objective(),
        }
    }

    /// Whether the plan gives every requirement all the weight it asks
    /// for. The local search never leaves more requirements short, so the
    /// completed plan then meets them all too.
    pub fn meets_every_requirement(&self) -> bool {
        self.state.meets_every_requirement()
    }

    /// The plan's stations as (site, operator), in the order placed.
    pub fn stations(&self) -> Vec<(u32, u8)> {
        self.state
            .kept()
            .iter()
            .map(|&(s, o, _)| (s as u32, o as u8))
            .collect()
    }

    /// Per requirement (in the problem's order), whether the plan gives it
    /// all the weight it asks for (as [`RequirementOutcome::met`]).
    pub fn requirements_met(&self) -> Vec<bool> {
        self.state.requirements_met()
    }
}

/// The first half of [`solve_with_cheap_bound`]: the mode's construction.
/// It does not read [`Params::capacity`] (the traffic side binds from the
/// local search on), so a caller may compute that beside it and put it in
/// the params [`complete`] gets. The time limit counts from here.
pub fn construct<'a>(p: &'a Problem, params: &Params) -> Result<Construction<'a>, ProblemError> {
    let start = Instant::now();
    p.validate(params)?;
    let floor = params.min_sharing_rate;
    let sf = params.sharing_first;
    let (state, price) = match params.mode {
        Mode::Targets => {
            let run = |price: Yuan| {
                let mut st = State::new(p, sf, None);
                targets(&mut st, price, floor, u8::MAX);
                repair(&mut st, price, floor);
                sharing_fill(&mut st, floor, None);
                cleanup(&mut st, false, floor);
                st
            };
            let first = run(0);
            if first.floor_met(floor) || floor.is_none() {
                (first, 0)
            } else {
                // Prices around a typical station's cost.
                let mut costs: Vec<Yuan> = p.sites.iter().map(|s| s.tenant_cost_yuan).collect();
                costs.sort_unstable();
                let base = costs.get(costs.len() / 2).copied().unwrap_or(1).max(1);
                let rank = |st: &State<'_>| (st.unmet(), !st.floor_met(floor), st.cost_yuan());
                let mut best = (first, 0);
                let prices: Vec<Yuan> = (0..10)
                    .map(|step| (base as f64 * 2f64.powi(step - 4)).round() as Yuan)
                    .collect();
                // Four prices at a time in parallel; the cheapest plan wins,
                // the lower price on ties, whatever the thread count.
                for chunk in prices.chunks(4) {
                    let runs: Vec<(State<'_>, Yuan)> =
                        chunk.par_iter().map(|&price| (run(price), price)).collect();
                    for (st, price) in runs {
                        if rank(&st) < rank(&best.0) {
                            best = (st, price);
                        }
                    }
                }
                best
            }
        }
        Mode::Budget { budget_yuan } => bonus_search(p, floor, |bonus| {
            let mut st = State::new(p, sf, None);
            coverage(&mut st, Some(budget_yuan), bonus, floor, false);
            cleanup(&mut st, true, floor);
            coverage(&mut st, Some(budget_yuan), bonus, floor, false);
            sharing_fill(&mut st, floor, Some(budget_yuan));
            st
        }),
        Mode::Sites { count, budget_yuan } => bonus_search(p, floor, |bonus| {
            let mut st = State::new(p, sf, Some(count));
            coverage(&mut st, budget_yuan, bonus, floor, true);
            coverage(&mut st, budget_yuan, bonus, floor, false);
            fill_sites(&mut st, floor, budget_yuan);
            sharing_fill(&mut st, floor, budget_yuan);
            cleanup(&mut st, true, floor);
            st
        }),
    };
    Ok(Construction {
        state,
        price,
        start,
    })
}

/// The second half of [`solve_with_cheap_bound`]: the local search, the
/// traffic side ([`Params::capacity`]) and the cheaper bounds, on the plan
/// [`construct`] made for `p` (with `params` as there, the traffic side
/// added or not).
pub fn complete(
    p: &Problem,
    params: &Params,
    built: Construction<'_>,
) -> Result<Solution, ProblemError> {
    let Construction {
        state,
        price,
        start,
    } = built;
    let floor = params.min_sharing_rate;
    let setting = Setting {
        mode: params.mode,
        floor,
        price,
        moves: params.search_moves,
        deadline: params.time_limit.map(|d| start + d),
    };
    let (mut state, search) = local::search(state, &setting);
    let timing = match &params.capacity {
        None => None,
        Some(cap) => {
            cap.validate(p)?;
            // Each station's year from its purpose's target, then the
            // stations the loads ask for, then the floor again (a new site
            // for capacity can lower the sharing rate).
            let first = replay(p, params, &state);
            let mut purpose_year = vec![cap.sharing_year; state.placed.len()];
            for (&kk, pl) in first.kept.iter().zip(&first.placements) {
                purpose_year[kk] = match pl.purpose {
                    Purpose::Requirement(r) => cap.requirement_year[r as usize],
                    Purpose::Coverage => cap.coverage_year,
                    Purpose::Sharing | Purpose::Count | Purpose::Capacity => cap.sharing_year,
                };
            }
            let (mut years, mut drivers) = capacity::target_years(cap, &state, &purpose_year);
            capacity::serve(&mut state, cap, &mut years, &mut drivers);
            if cap.add_stations && !state.floor_met(floor) {
                sharing_fill(&mut state, floor, None);
            }
            let (more, more_drivers) =
                capacity::target_years(cap, &state, &vec![cap.sharing_year; state.placed.len()]);
            years.extend_from_slice(&more[years.len()..]);
            drivers.extend_from_slice(&more_drivers[drivers.len()..]);
            let keep_objective = !matches!(params.mode, Mode::Targets);
            capacity::cleanup(
                &mut state,
                cap,
                &mut years,
                &mut drivers,
                keep_objective,
                floor,
            );
            let outcome = cap
                .has_traffic()
                .then(|| capacity::outcome(&state, cap, &years, &drivers));
            Some((years, drivers, outcome))
        }
    };
    Ok(finish(p, params, &state, price, search, timing))
}

/// Runs `run` with no bonus, and if that misses the floor, with the
/// smallest bonus that meets it: up a ladder of bonuses ×4 (four rungs at a
/// time, in parallel), then narrowing the bracket by quarters (three points
/// at a time, in parallel) to 1/16 of the bonus; if no bonus meets it, the
/// largest tried. The points tried do not depend on the thread count.
fn bonus_search<'a>(
    p: &'a Problem,
    floor: Option<f64>,
    run: impl Fn(Weight) -> State<'a> + Sync,
) -> (State<'a>, u64) {
    let first = run(0);
    if first.floor_met(floor) {
        return (first, 0);
    }
    let cap = p.weights.iter().sum::<Weight>().saturating_add(1);
    let mut ladder = vec![1u64];
    while *ladder.last().expect("one rung") < cap {
        let next = ladder.last().expect("one rung").saturating_mul(4).min(cap);
        ladder.push(next);
    }
    let mut lo = 0;
    let mut found: Option<(State<'a>, u64)> = None;
    let mut last = None;
    for chunk in ladder.chunks(4) {
        let runs: Vec<(State<'a>, u64)> = chunk.par_iter().map(|&b| (run(b), b)).collect();
        for (st, b) in runs {
            if found.is_some() {
                break;
            }
            if st.floor_met(floor) {
                found = Some((st, b));
            } else {
                lo = b;
                last = Some((st, b));
            }
        }
        if found.is_some() {
            break;
        }
    }
    let Some((mut best, mut hi)) = found else {
        return last.unwrap_or((first, 0));
    };
    while hi - lo > 1 && hi - lo > hi / 16 {
        let points: Vec<u64> = (1..4)
            .map(|q| lo + (hi - lo) * q / 4)
            .filter(|&x| x > lo && x < hi)
            .collect();
        if points.is_empty() {
            break;
        }
        let runs: Vec<(State<'a>, u64)> = points.par_iter().map(|&b| (run(b), b)).collect();
        let mut new_lo = lo;
        let mut met: Option<(State<'a>, u64)> = None;
        for (st, b) in runs {
            if st.floor_met(floor) {
                if met.is_none() {
                    met = Some((st, b));
                }
            } else if met.is_none() {
                new_lo = b;
            }
        }
        lo = new_lo;
        if let Some((st, b)) = met {
            best = st;
            hi = b;
        } else {
            // Every point below `hi` misses: the bracket is (last point, hi).
            lo = *points.last().expect("points");
        }
    }
    (best, hi)
}

/// The kept stations replayed in order.
struct Replay {
    /// Indices into the state's placements.
    kept: Vec<usize>,
    placements: Vec<Placement>,
    alternatives: Vec<Vec<Alternative>>,
    gain_per_operator: Vec<Weight>,
    cost: Yuan,
    build: Yuan,
}

/// Replays the kept stations in order: each one's cost (the build cost on
/// the first station of a new site), newly covered weight and purpose.
fn replay(p: &Problem, params: &Params, st: &State<'_>) -> Replay {
    let k = p.operators;
    let mut count: Vec<Vec<bool>> = p.covered_before.clone();
    let mut tenants: Vec<u8> = p.sites.iter().map(|s| s.tenants).collect();
    let mut opened = vec![false; p.sites.len()];
    let mut placements = Vec::new();
    let mut gain_per_operator = vec![0; k];
    let (mut cost, mut build) = (0, 0);
    let mut alternatives = Vec::new();
    let kept: Vec<usize> = (0..st.placed.len()).filter(|&k| !st.removed[k]).collect();
    for &k in &kept {
        let (s, o, cause) = (
            st.placed[k].0 as usize,
            st.placed[k].1 as usize,
            st.causes[k],
        );
        alternatives.push(st.alternatives(k).to_vec());
        let site = &p.sites[s];
        let kind = site.kind_for(o);
        let mut gain = 0;
        let mut first_req: Option<usize> = None;
        for &d in site.coverage[o].iter() {
            let c = &mut count[o][d as usize];
            if !*c {
                *c = true;
                gain += p.weights[d as usize];
                if let Some(r) = st.requirement_of(o, d as usize) {
                    first_req = Some(first_req.map_or(r, |f| f.min(r)));
                }
            }
        }
        let shares = tenants[s].count_ones() < 2 && (tenants[s] | 1 << o).count_ones() >= 2;
        tenants[s] |= 1 << o;
        let mut c = site.station_cost(o);
        if !site.existing && !opened[s] {
            opened[s] = true;
            c += site.build_cost_yuan;
            build += site.build_cost_yuan;
        }
        cost += c;
        gain_per_operator[o] += gain;
        let purpose = match (cause, first_req) {
            (Cause::Capacity, _) => Purpose::Capacity,
            (Cause::Share, _) => Purpose::Sharing,
            (_, Some(r)) => Purpose::Requirement(r as u16),
            (_, None) if gain > 0 => Purpose::Coverage,
            (Cause::Count, None) => Purpose::Count,
            (Cause::Cover, None) if shares && params.min_sharing_rate.is_some() => Purpose::Sharing,
            (Cause::Cover, None) => Purpose::Count,
        };
        placements.push(Placement {
            site: s as u32,
            operator: o as u8,
            kind,
            cost_yuan: c,
            gain,
            purpose,
        });
    }
    // A station that covers nothing on a site the plan makes shared, with a
    // floor to meet, is there for sharing even where it came first.
    if params.min_sharing_rate.is_some() {
        for pl in &mut placements {
            if pl.purpose == Purpose::Count && tenants[pl.site as usize].count_ones() >= 2 {
                pl.purpose = Purpose::Sharing;
            }
        }
    }
    Replay {
        kept,
        placements,
        alternatives,
        gain_per_operator,
        cost,
        build,
    }
}

/// The solution: the replayed stations (with their years, drivers and
/// loads where the instance has traffic), the requirements, the sharing and
/// the bound.
fn finish(
    p: &Problem,
    params: &Params,
    st: &State<'_>,
    price: u64,
    search: SearchOutcome,
    timing: Option<(
        Vec<u8>,
        Vec<crate::capacity::YearDriver>,
        Option<CapacityOutcome>,
    )>,
) -> Solution {
    let Replay {
        kept,
        placements,
        alternatives,
        gain_per_operator,
        cost,
        build,
    } = replay(p, params, st);
    let (years, year_drivers, capacity) = match timing {
        Some((years, drivers, outcome)) => (
            kept.iter().map(|&k| years[k]).collect(),
            kept.iter().map(|&k| drivers[k]).collect(),
            outcome,
        ),
        None => (Vec::new(), Vec::new(), None),
    };
    let objective: Weight = gain_per_operator.iter().sum();
    let (sites_before, shared_before) = p.sharing_before();
    let requirements = (0..p.requirements.len())
        .map(|r| RequirementOutcome {
            requested: p.requirements[r].min_weight,
            achievable: st.req_achievable[r],
            covered_before: st.req_before[r],
            covered: st.req_covered[r],
        })
        .collect();
    let floor_met = st.floor_met(params.min_sharing_rate);
    let mut sol = Solution {
        placements,
        cost_yuan: cost,
        build_cost_yuan: build,
        objective,
        gain_per_operator,
        requirements,
        sharing: SharingOutcome {
            sites_before,
            shared_before,
            sites_after: st.sites_total,
            shared_after: st.shared_total,
            floor_met,
        },
        new_sites: st.opened,
        bound: Bound {
            value: 0,
            method: String::new(),
        },
        gap: None,
        sharing_price: price,
        alternatives,
        search,
        years,
        year_drivers,
        capacity,
    };
    let (bound, gap) = bound_of(p, params, &sol, None);
    sol.bound = bound;
    sol.gap = gap;
    sol
}

/// Replaces the bound of `sol` (a solution of `p` under `params`) by the
/// best one there is: the LP relaxation where the instance fits, else the
/// Lagrangian relaxation, where either beats the cheaper bound [`solve()`]
/// without it gives ([`solve_with_cheap_bound`]); the gap follows.
pub fn tighten_bound(p: &Problem, params: &Params, sol: &mut Solution) {
    let basis = Basis::of(sol);
    let tight = tight_bound(p, params, &basis, sol.sharing.floor_met, value(params, sol));
    let (bound, gap) = bound_of(p, params, sol, tight);
    sol.bound = bound;
    sol.gap = gap;
}

/// [`solve()`], with the tight bound (LP or Lagrangian) computed beside
/// the solve rather than after it, so that the two share the cores: the
/// Lagrangian ascent's step rule aims at `incumbent` (a plan's value for
/// `p`, cost in `targets` and objective otherwise, such as an earlier
/// round's plan for a problem with fewer sites) instead of the plan found,
/// and the bound assumes the plan meets the floor, computed again after the
/// solve if it does not. The plan is [`solve()`]'s; the bound is as valid,
/// and may differ from [`solve()`]'s in its last digits (another target).
pub fn solve_beside_bound(
    p: &Problem,
    params: &Params,
    incumbent: u64,
) -> Result<Solution, ProblemError> {
    p.validate(params)?;
    beside_bound(p, params, incumbent, None, || {
        solve_with_cheap_bound(p, params)
    })
}

/// [`complete`], with the tight bound (LP or Lagrangian) computed beside
/// it as [`solve_beside_bound`] does, its step rule aiming at the
/// construction's plan ([`Construction::value`]; the local search only
/// improves on it). The plan is [`complete`]'s; the bound is as valid as
/// [`tighten_bound`]'s, and may differ from it in its last digits.
pub fn complete_beside_bound(
    p: &Problem,
    params: &Params,
    built: Construction<'_>,
) -> Result<Solution, ProblemError> {
    let incumbent = built.value(params.mode);
    let basis = Basis::of_state(&built.state);
    beside_bound(p, params, incumbent, Some(basis), || {
        complete(p, params, built)
    })
}

/// `solve` (a solve of `p` under `params`) with the tight bound beside it,
/// aiming at `incumbent`; see [`solve_beside_bound`]. `basis` is the
/// problem's, from a plan of it at hand, or `None` to take it from an empty
/// plan.
fn beside_bound(
    p: &Problem,
    params: &Params,
    incumbent: u64,
    basis: Option<Basis>,
    solve: impl FnOnce() -> Result<Solution, ProblemError> + Send,
) -> Result<Solution, ProblemError> {
    let (sol, tight) = rayon::join(solve, || {
        let basis =
            basis.unwrap_or_else(|| Basis::of_state(&State::new(p, params.sharing_first, None)));
        (tight_bound(p, params, &basis, true, incumbent), basis)
    });
    let mut sol = sol?;
    let (mut tight, basis) = tight;
    if !sol.sharing.floor_met {
        tight = tight_bound(p, params, &basis, false, value(params, &sol));
    }
    let (bound, gap) = bound_of(p, params, &sol, tight);
    sol.bound = bound;
    sol.gap = gap;
    Ok(sol)
}

/// The plan's value the Lagrangian step rule aims at: its cost in
/// `targets`, its objective otherwise.
fn value(params: &Params, sol: &Solution) -> u64 {
    match params.mode {
        Mode::Targets => sol.cost_yuan,
        _ => sol.objective,
    }
}

/// What the bounds take from a plan's requirements, which the problem alone
/// decides: per requirement its target (capped at what is achievable) and
/// its weight covered before.
struct Basis {
    req_target: Vec<Weight>,
    req_before: Vec<Weight>,
}

impl Basis {
    /// From any plan of the problem (the targets and the weight covered
    /// before do not change as stations come and go).
    fn of_state(st: &State<'_>) -> Basis {
        Basis {
            req_target: st.req_target.clone(),
            req_before: st.req_before.clone(),
        }
    }

    fn of(sol: &Solution) -> Basis {
        Basis {
            req_target: sol
                .requirements
                .iter()
                .map(|r| r.requested.min(r.achievable))
                .collect(),
            req_before: sol.requirements.iter().map(|r| r.covered_before).collect(),
        }
    }
}

/// A tight bound: the LP relaxation's value or the Lagrangian relaxation's.
enum Tight {
    Lp(u64),
    Lagrangian(crate::lagrangian::LagrangianBound),
}

/// The LP relaxation's bound where the instance fits, else the Lagrangian
/// relaxation's, if either applies: `floor_met` whether the plan it bounds
/// meets the floor (the floor binds only such plans), `incumbent` the
/// Lagrangian's step target.
fn tight_bound(
    p: &Problem,
    params: &Params,
    basis: &Basis,
    floor_met: bool,
    incumbent: u64,
) -> Option<Tight> {
    let floor = params.min_sharing_rate.filter(|_| floor_met);
    match params.mode {
        Mode::Targets => {
            let goal = LpGoal::Cost {
                targets: &basis.req_target,
                before: &basis.req_before,
            };
            match lp_relaxation(p, goal, params.min_sharing_rate) {
                Some(v) => Some(Tight::Lp(v)),
                None => lagrangian_bound(p, goal, incumbent, floor).map(Tight::Lagrangian),
            }
        }
        mode => match lp_relaxation(p, LpGoal::Coverage(mode), floor) {
            Some(v) => Some(Tight::Lp(v)),
            None => {
                lagrangian_bound(p, LpGoal::Coverage(mode), incumbent, None).map(Tight::Lagrangian)
            }
        },
    }
}

/// The bound on the optimum for `sol`'s instance and the plan's gap to it:
/// the cheaper bounds, and the `tight` one where it beats them.
fn bound_of(
    p: &Problem,
    params: &Params,
    sol: &Solution,
    tight: Option<Tight>,
) -> (Bound, Option<f64>) {
    let Basis {
        req_target,
        req_before,
    } = Basis::of(sol);
    let unmet = sol
        .requirements
        .iter()
        .zip(&req_target)
        .filter(|(r, &t)| r.covered < t)
        .count();
    let (cost, objective, capacity) = (sol.cost_yuan, sol.objective, &sol.capacity);
    match params.mode {
        Mode::Targets => {
            let mut b = cost_lower_bound(p, &req_target, &req_before, params.min_sharing_rate);
            match tight {
                Some(Tight::Lp(v)) if v >= b.value => {
                    b = Bound {
                        value: v,
                        method: format!(
                            "{LP_METHOD} (least cost); it is at least the cheaper bound ({})",
                            b.method
                        ),
                    };
                }
                Some(Tight::Lagrangian(l)) if l.value > b.value => {
                    b = Bound {
                        value: l.value,
                        method: format!(
                            "{LAGRANGIAN_METHOD} (least cost, {} subgradient iterations; the instance is too large for the LP); it exceeds the cheaper bound ({})",
                            l.iterations, b.method
                        ),
                    };
                }
                _ => {}
            }
            // A plan short of a served share is not one the bound bounds.
            let shares_met = capacity.as_ref().is_none_or(|c| {
                c.traffic.iter().flatten().all(|t| t.met())
                    && c.groups.iter().flatten().flatten().all(|t| t.met())
            });
            // Nor one short of the floor: the floor's cost is in the bound.
            let floor_kept = params.min_sharing_rate.is_none() || sol.sharing.floor_met;
            let gap = if unmet > 0 || !shares_met || !floor_kept {
                None
            } else if cost > 0 {
                Some((cost as f64 - b.value as f64).max(0.0) / cost as f64)
            } else {
                Some(0.0)
            };
            (b, gap)
        }
        mode => {
            let mut b = coverage_upper_bound(p, &mode);
            match tight {
                Some(Tight::Lp(v)) if v <= b.value => {
                    b = Bound {
                        value: v,
                        method: format!(
                            "{LP_METHOD} (most coverage); it is at most the cheaper bound ({})",
                            b.method
                        ),
                    };
                }
                Some(Tight::Lagrangian(l)) if l.value < b.value => {
                    b = Bound {
                        value: l.value,
                        method: format!(
                            "{LAGRANGIAN_METHOD} (most coverage, {} subgradient iterations; the instance is too large for the LP); it is below the cheaper bound ({})",
                            l.iterations, b.method
                        ),
                    };
                }
                _ => {}
            }
            let gap = if b.value > 0 {
                (b.value as f64 - objective as f64).max(0.0) / b.value as f64
            } else {
                0.0
            };
            (b, Some(gap))
        }
    }
}
