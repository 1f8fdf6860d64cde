//! Lagrangian relaxation bounds for instances too large for the LP
//! relaxation ([`crate::bound::LP_MAX_VARIABLES`]): a lower bound on the
//! cost of meeting the requirements (`targets`) and an upper bound on the
//! objective weight (`budget`, `sites`).
//!
//! The problem as an integer programme over options `i = (s, o)` (operator
//! `o`'s station on site `s`, cost `c_i`), new sites `y_s` (build cost
//! `b_s`) and covered items `z`:
//!
//! ```text
//! targets: min Σ c_i x_i + Σ b_s y_s   s.t.  Σ_{d ∈ r} w_d z_rd ≥ D_r  (each requirement r),
//!                                            z_rd ≤ Σ_{i covers d} x_i,
//!          x_i ≤ y_s, new tenants ≤ free slots per site, x, y ∈ {0,1}, 0 ≤ z ≤ 1;
//! budget:  max Σ w_d z_od  s.t.  z_od ≤ Σ_{i covers d} x_i,  Σ c_i x_i + Σ b_s y_s ≤ B, …;
//! sites:   the same with Σ y_s ≤ N (and the budget if any).
//! ```
//!
//! (`D_r` is the requirement's target less its weight covered before; an
//! item in two requirements has a `z` in each.) The covering constraints
//! `z ≤ Σ x` get multipliers `u ≥ 0`, the budget a multiplier `μ ≥ 0`, and
//! in `targets` the sharing floor (`shared ≥ floor × sites`, a site shared
//! once it has two tenants) a multiplier `λ ≥ 0`; what is left separates:
//!
//! - per requirement, a fractional knapsack over its items at prices `u`
//!   (`targets`), or per item `max(0, w_d − u_d)` (`budget`, `sites`);
//! - per site, the best set of its stations at reduced cost
//!   `c_i − Σ_{d} u` (`targets`) or value `Σ_d u − μ c_i` (coverage), with
//!   its build cost and its free slots (overlays use none); in `targets` a
//!   site made shared earns `λ` and a candidate opened pays `floor × λ`;
//! - in `sites`, the `N` new sites of most value (the count is kept exact).
//!
//! Every multiplier vector gives a valid bound `L(u)`: no plan meeting the
//! requirements costs less (`targets`), none covers more (coverage); R1,
//! the sharing floor and integrality of `z` are relaxed, which only loosens
//! it. The multipliers follow subgradient steps with Polyak's rule towards
//! the plan's value, the step factor halved when the bound stalls (Held,
//! Wolfe & Crowder 1974); `μ` and `λ` are set at each step by bisection
//! (the relaxation is concave in each), to the budget's and the floor's
//! price. On the embedded Chongqing run (60,779 sites, 106,554 multipliers)
//! the 150 iterations took 3.5–4.2 s on the loaded 2-core machine
//! (2026-12-01), 2.6–2.8 s beside the solve on another (2026-12-04), and
//! 2.1 s there once each requirement's knapsack was found by selection
//! instead of a sort and the subgradient's counts by one pass over the
//! options taken; the engine computes the bound once, for the solution
//! it keeps: beside the second round's solve ([`crate::solve_beside_bound`],
//! its step rule aiming at the first round's construction), or after a single
//! round's ([`crate::tighten_bound`]). Everything is summed in a fixed
//! order (per option in parallel, each sum sequential), so the bound is the
//! same at any thread count. The bound is reported rounded outwards after a relative 10⁻⁹ for
//! floating-point error (costs and weights are whole numbers).

use crate::bound::LpGoal;
use crate::problem::{Mode, Problem};
use rayon::prelude::*;

/// Subgradient iterations at most.
pub const MAX_ITERATIONS: usize = 150;

/// Iterations without a better bound before the step factor is halved.
const STALL: usize = 6;

/// The smallest step factor; the ascent stops below it.
const MIN_FACTOR: f64 = 1e-4;

/// A Lagrangian bound and what the ascent did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LagrangianBound {
    /// The bound, whole yuan (`targets`, at most any plan's cost) or whole
    /// weight (coverage, at least any plan's objective).
    pub value: u64,
    /// Subgradient iterations run.
    pub iterations: usize,
}

/// The relaxation's data: options, and per option the multipliers
/// (compact indices) its coverage touches.
struct Relaxed {
    /// Per option: site, station cost (yuan), whether it takes a slot.
    options: Vec<(usize, f64, bool)>,
    /// Per option, the range of `touch` it owns.
    offsets: Vec<usize>,
    /// Multiplier indices, per option.
    touch: Vec<u32>,
    /// Per site, its options (indices into `options`), in order.
    of_site: Vec<Vec<usize>>,
    /// Per multiplier: its item's weight.
    weight: Vec<f64>,
    /// `targets`: per requirement, its multipliers (a range) and `D_r`.
    groups: Vec<(usize, usize, f64)>,
}

impl Relaxed {
    fn touched(&self, i: usize) -> &[u32] {
        &self.touch[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// Builds the relaxation. `targets`: multipliers per (requirement, item)
/// with positive weight, not covered before and coverable, grouped by
/// requirement; coverage: per (operator, item) of positive weight, not
/// covered before and coverable.
fn relax(p: &Problem, goal: &LpGoal<'_>) -> Relaxed {
    let k = p.operators;
    let n = p.weights.len();
    let mut options = Vec::new();
    let mut option_of: Vec<(usize, usize)> = Vec::new();
    let mut of_site = vec![Vec::new(); p.sites.len()];
    for (s, site) in p.sites.iter().enumerate() {
        for o in 0..k {
            if site.fits(o, site.tenants) {
                of_site[s].push(options.len());
                options.push((s, site.station_cost(o) as f64, site.tenants & (1 << o) == 0));
                option_of.push((s, o));
            }
        }
    }
    let mut coverable = vec![vec![false; n]; k];
    for &(s, o) in &option_of {
        for &d in p.sites[s].coverage[o].iter() {
            coverable[o][d as usize] = true;
        }
    }
    // Per operator and item, its multipliers.
    let mut of_item: Vec<Vec<Vec<u32>>> = vec![vec![Vec::new(); n]; k];
    let mut weight = Vec::new();
    let mut groups = Vec::new();
    match goal {
        LpGoal::Cost { targets, before } => {
            for (r, req) in p.requirements.iter().enumerate() {
                let o = req.operator;
                let deficit = targets[r].saturating_sub(before[r]);
                let start = weight.len();
                if deficit > 0 {
                    for &(d, w) in &req.items {
                        let d = d as usize;
                        if w > 0 && !p.covered_before[o][d] && coverable[o][d] {
                            of_item[o][d].push(weight.len() as u32);
                            weight.push(w as f64);
                        }
                    }
                }
                if weight.len() > start {
                    groups.push((start, weight.len(), deficit as f64));
                }
            }
        }
        LpGoal::Coverage(_) => {
            for (o, row) in of_item.iter_mut().enumerate() {
                for (d, m) in row.iter_mut().enumerate() {
                    if p.weights[d] > 0 && !p.covered_before[o][d] && coverable[o][d] {
                        m.push(weight.len() as u32);
                        weight.push(p.weights[d] as f64);
                    }
                }
            }
        }
    }
    let mut offsets = vec![0];
    let mut touch = Vec::new();
    for &(s, o) in &option_of {
        for &d in p.sites[s].coverage[o].iter() {
            touch.extend_from_slice(&of_item[o][d as usize]);
        }
        offsets.push(touch.len());
    }
    Relaxed {
        options,
        offsets,
        touch,
        of_site,
        weight,
        groups,
    }
}

/// Per site, the best set of its options at per-option scores `v` (a
/// station is worth taking where its score is positive): every overlay with
/// a positive score, the best new tenants up to the free slots; on a
/// candidate only where the set outweighs `build_weight ×` its build cost.
/// Writes whether each option is taken into `take`, and per site its value
/// (≥ 0) and cost in yuan (stations and build) into `sites`.
fn site_choice(
    p: &Problem,
    rx: &Relaxed,
    v: &[f64],
    build_weight: f64,
    take: &mut [bool],
    sites: &mut [(f64, f64)],
) {
    let mut joiners: Vec<(f64, usize)> = Vec::new();
    for (s, site) in p.sites.iter().enumerate() {
        let mine = &rx.of_site[s];
        let mut value = 0.0;
        let mut cost = 0.0;
        let mut any = false;
        joiners.clear();
        for &i in mine {
            take[i] = false;
            if v[i] <= 0.0 {
                continue;
            }
            if rx.options[i].2 {
                joiners.push((v[i], i));
            } else {
                value += v[i];
                cost += rx.options[i].1;
                take[i] = true;
                any = true;
            }
        }
        joiners.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let free = site
            .capacity
            .saturating_sub(site.tenants.count_ones() as u8) as usize;
        for &(x, i) in joiners.iter().take(free) {
            value += x;
            cost += rx.options[i].1;
            take[i] = true;
            any = true;
        }
        if !site.existing {
            value -= build_weight * site.build_cost_yuan as f64;
            cost += site.build_cost_yuan as f64;
        }
        if !any || value <= 0.0 {
            for &i in mine {
                take[i] = false;
            }
            sites[s] = (0.0, 0.0);
        } else {
            sites[s] = (value, cost);
        }
    }
}

/// Drops every site but the `n` new sites of most value (existing sites
/// stay), for the count of `sites`.
fn keep_best_new(p: &Problem, rx: &Relaxed, n: usize, take: &mut [bool], sites: &mut [(f64, f64)]) {
    let mut new: Vec<(f64, usize)> = (0..p.sites.len())
        .filter(|&s| !p.sites[s].existing && sites[s].0 > 0.0)
        .map(|s| (sites[s].0, s))
        .collect();
    if new.len() <= n {
        return;
    }
    new.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, s) in &new[n..] {
        sites[s] = (0.0, 0.0);
        for &i in &rx.of_site[s] {
            take[i] = false;
        }
    }
}

/// The Lagrangian bound of `goal` (see the module's text); `incumbent` is
/// the plan's value (its cost in `targets`, its objective otherwise), the
/// target of the step rule. With a sharing `floor` (0..1) the `targets`
/// bound holds for plans that meet it: the floor's constraint is dualised
/// too (its multiplier set at each step by bisection), so that a site made
/// shared earns it and a candidate opened pays `floor ×` it. The coverage
/// bounds ignore the floor. `None` when the goal's mode is `targets` under
/// [`LpGoal::Coverage`].
pub fn lagrangian_bound(
    p: &Problem,
    goal: LpGoal<'_>,
    incumbent: u64,
    floor: Option<f64>,
) -> Option<LagrangianBound> {
    let rx = relax(p, &goal);
    match goal {
        LpGoal::Cost { .. } => cost_bound(p, &rx, incumbent as f64, floor),
        LpGoal::Coverage(Mode::Targets) => None,
        LpGoal::Coverage(mode) => coverage_bound(p, &rx, mode, incumbent as f64),
    }
}

/// Per option, the sum of the multipliers it touches.
fn touched_sums(rx: &Relaxed, u: &[f64]) -> Vec<f64> {
    (0..rx.options.len())
        .into_par_iter()
        .with_min_len(256)
        .map(|i| rx.touched(i).iter().map(|&m| u[m as usize]).sum::<f64>())
        .collect()
}

/// Per multiplier, how many taken options touch it, into `cnt` (resized
/// to the multipliers). One pass over the taken options' multipliers:
/// taken options are few beside the multipliers, so a per-thread table of
/// every multiplier (zeroed and merged each iteration) cost more than the
/// count itself. The counts are whole numbers, exact as `f64`.
fn touch_counts(rx: &Relaxed, take: &[bool], cnt: &mut Vec<f64>) {
    cnt.clear();
    cnt.resize(rx.weight.len(), 0.0);
    for (i, _) in take.iter().enumerate().filter(|(_, &t)| t) {
        for &x in rx.touched(i) {
            cnt[x as usize] += 1.0;
        }
    }
}

/// A requirement's fractional knapsack at prices `u`: `keyed` holds its
/// multipliers as (price per unit weight, index), and on return its first
/// `k` entries are the `k` cheapest (by price, then index), taken whole,
/// and the returned pair is `k` and the next one, taken in part (its index
/// and share, in (0, 1]), if the deficit `left` reaches into it. The same
/// choice as sorting every entry and taking them in order, found by
/// selection (expected linear time, deterministic): the entries past the
/// cheapest that cover the deficit are never put in order.
fn cheapest_cover(
    keyed: &mut [(f64, u32)],
    weight: &[f64],
    mut left: f64,
) -> (usize, Option<(u32, f64)>) {
    let order = |x: &(f64, u32), y: &(f64, u32)| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1));
    // keyed[..lo] taken whole; the cut lies in keyed[lo..hi]; everything in
    // keyed[hi..] comes after all of keyed[..hi].
    let (mut lo, mut hi) = (0, keyed.len());
    while lo < hi && left > 0.0 {
        let mid = (hi - lo) / 2;
        let part = &mut keyed[lo..hi];
        part.select_nth_unstable_by(mid, order);
        let below: f64 = part[..mid].iter().map(|e| weight[e.1 as usize]).sum();
        if below >= left {
            hi = lo + mid;
            continue;
        }
        left -= below;
        let (x, w) = (part[mid].1, weight[part[mid].1 as usize]);
        if w >= left {
            return (lo + mid, Some((x, left / w)));
        }
        left -= w;
        lo += mid + 1;
    }
    (lo, None)
}

/// The step factor's schedule: halved after [`STALL`] iterations without a
/// better bound; `false` once it is below [`MIN_FACTOR`].
struct Schedule {
    factor: f64,
    stall: usize,
}

impl Schedule {
    fn new() -> Self {
        Schedule {
            factor: 2.0,
            stall: 0,
        }
    }

    fn record(&mut self, improved: bool) -> bool {
        if improved {
            self.stall = 0;
        } else {
            self.stall += 1;
            if self.stall >= STALL {
                self.factor /= 2.0;
                self.stall = 0;
            }
        }
        self.factor >= MIN_FACTOR
    }
}

/// One site's stations at given scores, for `targets`: the overlays worth
/// taking, and the new tenants best first with their running sums (an
/// operator has one option per site, so at most 8 of them).
#[derive(Clone, Copy)]
struct SiteStations {
    /// Value of the overlays with a positive score.
    overlays: f64,
    /// Whether any overlay is taken.
    any_overlay: bool,
    /// New tenants kept (at most the free slots).
    n: usize,
    /// New tenants, best score first: option indices.
    joiners: [u32; 8],
    /// `prefix[j]`: the scores of the first `j` joiners summed.
    prefix: [f64; 9],
}

/// A site's value as a line in the floor's price λ: `α + β·λ`, whether the
/// site is opened, whether it is made shared.
type Line = (f64, f64, bool, bool);

/// The best of a site's lines at λ (the first on ties): its index and it.
fn best_line(lines: &[Line], lambda: f64) -> (usize, Line) {
    let mut best = (0, lines[0]);
    let mut top = lines[0].0 + lines[0].1 * lambda;
    for (j, l) in lines.iter().enumerate().skip(1) {
        let v = l.0 + l.1 * lambda;
        if v > top {
            top = v;
            best = (j, *l);
        }
    }
    best
}

/// Every site's lines ([`Line`]): site `s` owns
/// `lines[line_of[s]..line_of[s + 1]]`.
struct SiteLines<'l> {
    lines: &'l [Line],
    line_of: &'l [usize],
}

impl SiteLines<'_> {
    fn of(&self, s: u32) -> &[Line] {
        let s = s as usize;
        &self.lines[self.line_of[s]..self.line_of[s + 1]]
    }

    /// Whether one line of `mine` is strictly above every other at every
    /// λ in `[lo, hi]`, as [`best_line`] computes them: that line, if so.
    /// Each computed value `α + β·λ` is monotone in λ (a correctly rounded
    /// product and sum, `α` and `β` fixed), so its least and greatest value
    /// on the interval are at its ends; NaN never settles.
    fn settled(mine: &[Line], lo: f64, hi: f64) -> Option<Line> {
        let (a, la) = best_line(mine, lo);
        let (a_lo, a_hi) = (la.0 + la.1 * lo, la.0 + la.1 * hi);
        let above = mine.iter().enumerate().all(|(j, l)| {
            if j == a {
                return true;
            }
            let (v_lo, v_hi) = (l.0 + l.1 * lo, l.0 + l.1 * hi);
            a_lo > v_lo && a_lo > v_hi && a_hi > v_lo && a_hi > v_hi
        });
        above.then_some(la)
    }

    /// A total order on sites' lines, by their bits: equal only for the
    /// very same lines.
    fn order(a: &[Line], b: &[Line]) -> std::cmp::Ordering {
        let key = |l: &Line| (l.0.to_bits(), l.1.to_bits(), l.2, l.3);
        a.iter().map(key).cmp(b.iter().map(key))
    }

    /// Of the sites `from`, those whose best line is not settled on
    /// `[lo, hi]` into `into`; the settled ones' counts of sites opened
    /// and made shared.
    fn settle(&self, from: &[u32], lo: f64, hi: f64, into: &mut Vec<u32>) -> (f64, f64) {
        let (mut opened, mut shared) = (0.0, 0.0);
        for &s in from {
            match Self::settled(self.of(s), lo, hi) {
                Some(l) => {
                    opened += f64::from(u8::from(l.2));
                    shared += f64::from(u8::from(l.3));
                }
                None => into.push(s),
            }
        }
        (opened, shared)
    }

    /// `halvings` bisection steps on `[lo, hi]` on the sign of `slope`
    /// (of the counts of sites opened and made shared at λ by the best
    /// lines of `sensitive`, `base_opened` added): the same steps as
    /// evaluating every site at each midpoint, but a site whose best line
    /// is the same all over the bracket is counted once and not looked at
    /// again, and sites with the very same lines are looked at once (the
    /// counts are whole numbers, so their sums are exact in any order and
    /// grouping).
    fn halve(
        &self,
        sensitive: &[u32],
        base_opened: f64,
        slope: &dyn Fn(f64, f64) -> f64,
        mut lo: f64,
        mut hi: f64,
        halvings: usize,
    ) -> (f64, f64) {
        let (mut fixed_opened, mut fixed_shared) = (base_opened, 0.0);
        let mut active: Vec<u32> = Vec::with_capacity(sensitive.len());
        let (o, sh) = self.settle(sensitive, lo, hi, &mut active);
        fixed_opened += o;
        fixed_shared += sh;
        // Sites left with the very same lines (most often many sites at
        // the price where the slope changes sign, with a station's
        // standard cost and nothing else) count once, times how many.
        active.sort_unstable_by(|&a, &b| Self::order(self.of(a), self.of(b)));
        let mut groups: Vec<(u32, f64)> = Vec::new();
        for &s in &active {
            match groups.last_mut() {
                Some((r, n)) if Self::order(self.of(*r), self.of(s)).is_eq() => *n += 1.0,
                _ => groups.push((s, 1.0)),
            }
        }
        let mut next: Vec<(u32, f64)> = Vec::with_capacity(groups.len());
        for _ in 0..halvings {
            let mid = 0.5 * (lo + hi);
            let (mut opened, mut shared) = (fixed_opened, fixed_shared);
            for &(s, n) in &groups {
                let (_, l) = best_line(self.of(s), mid);
                opened += n * f64::from(u8::from(l.2));
                shared += n * f64::from(u8::from(l.3));
            }
            if slope(opened, shared) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
            next.clear();
            for &(s, n) in &groups {
                match Self::settled(self.of(s), lo, hi) {
                    Some(l) => {
                        fixed_opened += n * f64::from(u8::from(l.2));
                        fixed_shared += n * f64::from(u8::from(l.3));
                    }
                    None => next.push((s, n)),
                }
            }
            std::mem::swap(&mut groups, &mut next);
        }
        (lo, hi)
    }
}

fn cost_bound(
    p: &Problem,
    rx: &Relaxed,
    incumbent: f64,
    floor: Option<f64>,
) -> Option<LagrangianBound> {
    let m = rx.weight.len();
    let (sites_before, shared_before) = p.sharing_before();
    let (sites_before, shared_before) = (sites_before as f64, shared_before as f64);
    // Start: each requirement's items priced at the cost per unit weight of
    // the single station that completes its fractional knapsack (a new
    // site's build shared over its slots).
    let mut group_of = vec![0usize; m];
    for (g, &(a, b, _)) in rx.groups.iter().enumerate() {
        group_of[a..b].iter_mut().for_each(|x| *x = g);
    }
    let mut per: Vec<Vec<(f64, f64)>> = vec![Vec::new(); rx.groups.len()];
    let mut by_group: Vec<(usize, f64)> = Vec::new();
    for (i, &(s, c, _)) in rx.options.iter().enumerate() {
        let site = &p.sites[s];
        let cost = c + site.build_cost_yuan as f64 / site.capacity.max(1) as f64;
        by_group.clear();
        for &mm in rx.touched(i) {
            let g = group_of[mm as usize];
            match by_group.iter_mut().find(|(x, _)| *x == g) {
                Some(e) => e.1 += rx.weight[mm as usize],
                None => by_group.push((g, rx.weight[mm as usize])),
            }
        }
        for &(g, w) in &by_group {
            per[g].push((cost, w));
        }
    }
    let mut u = vec![0.0; m];
    for (g, &(a, b, deficit)) in rx.groups.iter().enumerate() {
        let list = &mut per[g];
        list.sort_by(|x, y| (x.0 / x.1).total_cmp(&(y.0 / y.1)));
        let (mut left, mut price) = (deficit, 0.0);
        for &(c, w) in list.iter() {
            price = c / w;
            left -= w;
            if left <= 0.0 {
                break;
            }
        }
        for (ux, w) in u[a..b].iter_mut().zip(&rx.weight[a..b]) {
            *ux = price * w;
        }
    }
    let mut best = f64::NEG_INFINITY;
    let mut schedule = Schedule::new();
    let mut iterations = 0;
    let mut take = vec![false; rx.options.len()];
    let mut z = vec![0.0; m];
    let mut stations: Vec<SiteStations> = Vec::with_capacity(p.sites.len());
    let mut last_lambda = 0.0f64;
    let mut lines: Vec<Line> = Vec::new();
    let mut sensitive: Vec<u32> = Vec::new();
    // Per site: existing, tenants before, build cost (yuan).
    let info: Vec<(bool, usize, f64)> = p
        .sites
        .iter()
        .map(|s| {
            (
                s.existing,
                s.tenants.count_ones() as usize,
                s.build_cost_yuan as f64,
            )
        })
        .collect();
    let mut line_of: Vec<usize> = Vec::new();
    // Per requirement, its items keyed by price per weight (partitioned by
    // `cheapest_cover`, never sorted whole).
    let mut keyed: Vec<Vec<(f64, u32)>> = vec![Vec::new(); rx.groups.len()];
    let mut cnt = Vec::new();
    while iterations < MAX_ITERATIONS {
        iterations += 1;
        // Stations: a station is worth Σu − c (minus its reduced cost).
        let sums = touched_sums(rx, &u);
        stations.clear();
        stations.par_extend(
            (0..p.sites.len())
                .into_par_iter()
                .with_min_len(1024)
                .map(|s| {
                    let site = &p.sites[s];
                    let mut out = SiteStations {
                        overlays: 0.0,
                        any_overlay: false,
                        n: 0,
                        joiners: [0; 8],
                        prefix: [0.0; 9],
                    };
                    let mut joiners = [(0.0f64, 0usize); 8];
                    let mut count = 0;
                    for &i in &rx.of_site[s] {
                        let v = sums[i] - rx.options[i].1;
                        if rx.options[i].2 {
                            joiners[count] = (v, i);
                            count += 1;
                        } else if v > 0.0 {
                            out.overlays += v;
                            out.any_overlay = true;
                        }
                    }
                    let joiners = &mut joiners[..count];
                    joiners.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                    let free = site
                        .capacity
                        .saturating_sub(site.tenants.count_ones() as u8)
                        as usize;
                    out.n = count.min(free);
                    for (j, &(v, i)) in joiners[..out.n].iter().enumerate() {
                        out.joiners[j] = i as u32;
                        out.prefix[j + 1] = out.prefix[j] + v;
                    }
                    out
                }),
        );
        // Per site, each count of joiners as a line in the floor's price
        // λ: value α + β·λ (β: +1 made shared, −floor opened).
        let f = floor.unwrap_or(0.0);
        lines.clear();
        line_of.clear();
        sensitive.clear();
        line_of.push(0);
        let mut constant = 0.0;
        let mut constant_opened = 0.0;
        for (s, &(existing, tenants, build)) in info.iter().enumerate() {
            let st = &stations[s];
            let start = lines.len();
            let mut moves = false;
            for (j, &pre) in st.prefix[..=st.n].iter().enumerate() {
                let opened = !existing && j > 0;
                let shared = tenants < 2 && tenants + j >= 2;
                let alpha = st.overlays + pre - if opened { build } else { 0.0 };
                let beta = f64::from(u8::from(shared)) - if opened { f } else { 0.0 };
                moves |= beta != 0.0;
                lines.push((alpha, beta, opened, shared));
            }
            line_of.push(lines.len());
            if moves {
                sensitive.push(s as u32);
            } else {
                // Its best line does not depend on λ.
                let (_, l) = best_line(&lines[start..], 0.0);
                constant += l.0;
                constant_opened += f64::from(u8::from(l.2));
            }
        }
        // The floor's price: L is concave in it; bisection on the sign of
        // its slope f·(sites + opened) − (shared + made shared), then the
        // stations' value at the better end, summed in site order.
        let value_at = |lambda: f64| -> f64 {
            let mut value = constant;
            for &s in &sensitive {
                let s = s as usize;
                let (_, l) = best_line(&lines[line_of[s]..line_of[s + 1]], lambda);
                value += l.0 + l.1 * lambda;
            }
            value - lambda * (f * sites_before - shared_before)
        };
        // The slope alone, in parallel: its counts are whole numbers, so
        // their sum is exact in any grouping.
        let slope_at = |lambda: f64| -> f64 {
            let (opened, shared) = sensitive
                .par_iter()
                .with_min_len(4096)
                .map(|&s| {
                    let s = s as usize;
                    let (_, l) = best_line(&lines[line_of[s]..line_of[s + 1]], lambda);
                    (u64::from(l.2), u64::from(l.3))
                })
                .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            let opened = constant_opened + opened as f64;
            f * (sites_before + opened) - (shared_before + shared as f64)
        };
        let lambda = match floor {
            Some(_) if slope_at(0.0) > 0.0 => {
                // Bracketed around the previous price, then 24 halvings.
                let (mut lo, mut hi) = if last_lambda > 0.0 && slope_at(last_lambda) > 0.0 {
                    (last_lambda, last_lambda * 2.0)
                } else if last_lambda > 0.0 {
                    (0.0, last_lambda)
                } else {
                    (0.0, 1.0)
                };
                while slope_at(hi) > 0.0 && hi < 1e15 {
                    lo = hi;
                    hi *= 4.0;
                }
                let slope = |opened: f64, shared: f64| {
                    f * (sites_before + opened) - (shared_before + shared)
                };
                let sites = SiteLines {
                    lines: &lines,
                    line_of: &line_of,
                };
                (lo, hi) = sites.halve(&sensitive, constant_opened, &slope, lo, hi, 24);
                // The better end of the bracket (the smaller station value).
                let (at_lo, at_hi) = (value_at(lo), value_at(hi));
                if at_lo <= at_hi {
                    (lo, at_lo)
                } else {
                    (hi, at_hi)
                }
            }
            _ => (0.0, value_at(0.0)),
        };
        let (lambda, station_value) = lambda;
        last_lambda = lambda;
        // Per site, its best count of joiners at λ; per option (in
        // parallel), whether it is one of them, or an overlay worth taking.
        let chosen: Vec<usize> = (0..stations.len())
            .into_par_iter()
            .with_min_len(1024)
            .map(|s| best_line(&lines[line_of[s]..line_of[s + 1]], lambda).0)
            .collect();
        take.par_iter_mut()
            .enumerate()
            .with_min_len(4096)
            .for_each(|(i, t)| {
                let (s, c, joins) = rx.options[i];
                let st = &stations[s];
                *t = if joins {
                    st.joiners[..chosen[s]].contains(&(i as u32))
                } else {
                    st.any_overlay && sums[i] - c > 0.0
                };
            });
        // Items: per requirement, the fractional knapsack at prices u (in
        // parallel, each requirement in its own buffer), then summed in
        // item order, whatever the thread count.
        let cuts: Vec<(usize, Option<(u32, f64)>)> = keyed
            .par_iter_mut()
            .zip(&rx.groups)
            .map(|(keyed, &(a, b, deficit))| {
                keyed.clear();
                keyed.extend((a..b).map(|x| (u[x] / rx.weight[x], x as u32)));
                cheapest_cover(keyed, &rx.weight, deficit)
            })
            .collect();
        let mut items = 0.0;
        for ((keyed, &(a, b, _)), &(k, part)) in keyed.iter().zip(&rx.groups).zip(&cuts) {
            z[a..b].iter_mut().for_each(|t| *t = 0.0);
            for &(_, x) in &keyed[..k] {
                z[x as usize] = 1.0;
            }
            if let Some((x, t)) = part {
                z[x as usize] = t;
            }
            items += (a..b).map(|x| z[x] * u[x]).sum::<f64>();
        }
        let l = items - station_value;
        let improved = !best.is_finite() || l > best + 1e-12 * best.abs().max(1.0);
        if improved {
            best = l;
        }
        if m == 0 || !schedule.record(improved) {
            break;
        }
        // Subgradient of L in u: z − (taken stations covering).
        touch_counts(rx, &take, &mut cnt);
        let g: Vec<f64> = (0..m).map(|x| z[x] - cnt[x]).collect();
        let norm: f64 = (0..m)
            .filter(|&x| !(u[x] <= 0.0 && g[x] < 0.0))
            .map(|x| g[x] * g[x])
            .sum();
        if norm <= 0.0 {
            break;
        }
        let target = incumbent.max(best + 1.0);
        let step = schedule.factor * (target - l).max(1e-9) / norm;
        for x in 0..m {
            u[x] = (u[x] + step * g[x]).max(0.0);
        }
    }
    let v = best - 1e-9 * best.abs().max(1.0);
    Some(LagrangianBound {
        value: if v.is_finite() {
            v.max(0.0).ceil() as u64
        } else {
            0
        },
        iterations,
    })
}

fn coverage_bound(
    p: &Problem,
    rx: &Relaxed,
    mode: Mode,
    incumbent: f64,
) -> Option<LagrangianBound> {
    let m = rx.weight.len();
    let (budget, count) = match mode {
        Mode::Budget { budget_yuan } => (Some(budget_yuan as f64), None),
        Mode::Sites { count, budget_yuan } => (budget_yuan.map(|b| b as f64), Some(count as usize)),
        Mode::Targets => return None,
    };
    // Start at full prices: each station worth its single gain.
    let mut u = rx.weight.clone();
    let mut best = f64::INFINITY;
    let mut schedule = Schedule::new();
    let mut iterations = 0;
    let mut take = vec![false; rx.options.len()];
    let mut cnt = Vec::new();
    let mut sites = vec![(0.0, 0.0); p.sites.len()];
    let mut v = vec![0.0; rx.options.len()];
    while iterations < MAX_ITERATIONS {
        iterations += 1;
        let sums = touched_sums(rx, &u);
        // The stations' value at budget price `mu` (with the count), and
        // what they cost.
        let mut eval = |mu: f64, take: &mut [bool], sites: &mut [(f64, f64)]| -> (f64, f64) {
            for (i, x) in v.iter_mut().enumerate() {
                *x = sums[i] - mu * rx.options[i].1;
            }
            site_choice(p, rx, &v, mu, take, sites);
            if let Some(n) = count {
                keep_best_new(p, rx, n, take, sites);
            }
            let value: f64 = sites.iter().map(|x| x.0).sum();
            let spent: f64 = sites.iter().map(|x| x.1).sum();
            (value, spent)
        };
        let mu = match budget {
            Some(b) if eval(0.0, &mut take, &mut sites).1 > b => {
                // The least price (to a relative 2⁻⁴⁰) at which the
                // stations chosen fit the budget.
                let (mut lo, mut hi) = (0.0f64, 1.0f64);
                while eval(hi, &mut take, &mut sites).1 > b && hi < 1e30 {
                    lo = hi;
                    hi *= 4.0;
                }
                for _ in 0..40 {
                    let mid = 0.5 * (lo + hi);
                    if eval(mid, &mut take, &mut sites).1 > b {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                hi
            }
            _ => 0.0,
        };
        let (stations, _) = eval(mu, &mut take, &mut sites);
        let items: f64 = (0..m).map(|x| (rx.weight[x] - u[x]).max(0.0)).sum();
        let l = items + stations + mu * budget.unwrap_or(0.0);
        let improved = !best.is_finite() || l < best - 1e-12 * best.abs().max(1.0);
        if improved {
            best = l;
        }
        if !schedule.record(improved) {
            break;
        }
        // Subgradient of L in u: (taken stations covering) − z.
        touch_counts(rx, &take, &mut cnt);
        let g: Vec<f64> = (0..m)
            .map(|x| cnt[x] - if rx.weight[x] > u[x] { 1.0 } else { 0.0 })
            .collect();
        let norm: f64 = (0..m)
            .filter(|&x| !(u[x] <= 0.0 && g[x] > 0.0))
            .map(|x| g[x] * g[x])
            .sum();
        if norm <= 0.0 {
            break;
        }
        let target = incumbent.min(best - 1.0);
        let step = schedule.factor * (l - target).max(1e-9) / norm;
        for x in 0..m {
            u[x] = (u[x] - step * g[x]).max(0.0);
        }
    }
    let v = best + 1e-9 * best.abs().max(1.0);
    Some(LagrangianBound {
        value: if v.is_finite() {
            v.max(0.0).floor() as u64
        } else {
            u64::MAX
        },
        iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The selection takes what sorting every entry by price (then
        /// index) and taking them in order until the deficit is met takes:
        /// the same entries whole, the same one in part.
        #[test]
        fn cheapest_cover_is_the_sorted_knapsack(
            entries in proptest::collection::vec((0u32..6, 1u32..9), 0..60),
            deficit in 0u32..200,
        ) {
            let weight: Vec<f64> = entries.iter().map(|e| f64::from(e.1)).collect();
            let mut keyed: Vec<(f64, u32)> = entries
                .iter()
                .enumerate()
                .map(|(x, e)| (f64::from(e.0) / 2.0, x as u32))
                .collect();
            let mut sorted = keyed.clone();
            sorted.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            let (mut whole, mut part, mut left) = (Vec::new(), None, f64::from(deficit));
            for &(_, x) in &sorted {
                if left <= 0.0 {
                    break;
                }
                let w = weight[x as usize];
                if w >= left {
                    part = Some((x, left / w));
                    break;
                }
                whole.push(x);
                left -= w;
            }
            let (k, got_part) = cheapest_cover(&mut keyed, &weight, f64::from(deficit));
            let mut got: Vec<u32> = keyed[..k].iter().map(|e| e.1).collect();
            got.sort_unstable();
            whole.sort_unstable();
            prop_assert_eq!(got, whole);
            prop_assert_eq!(got_part, part);
        }
    }

    /// Site A covers items a, b for 10 yuan, B covers a for 4, C covers b for 7.
    fn three_sites() -> Problem {
        crate::local::tests::greedy_trap()
    }

    #[test]
    fn the_lagrangian_bounds_cost_and_coverage() {
        let p = three_sites();
        let goal = LpGoal::Cost {
            targets: &[2],
            before: &[0],
        };
        let b = lagrangian_bound(&p, goal, 10, None).expect("bound");
        eprintln!("{b:?}");
        assert!(b.value <= 10 && b.value >= 9, "{b:?}");
        let b = lagrangian_bound(
            &p,
            LpGoal::Coverage(Mode::Budget { budget_yuan: 7 }),
            1,
            None,
        )
        .expect("bound");
        eprintln!("{b:?}");
        assert!((1..=2).contains(&b.value), "{b:?}");
    }
}
