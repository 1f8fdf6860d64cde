//! Building a plan: lazy (CELF) greedy construction for each mode, the
//! sharing fill that lifts the portfolio's sharing rate, and the clean-up
//! that takes out every station the plan can do without.
//!
//! Lazy evaluation is exact: an option's value only falls as coverage grows
//! and deficits shrink, except where its site changes (a new tenant makes
//! the others' stations shared, an opened candidate makes them cheaper) or,
//! under R1, where an existing site fills up; those options are pushed
//! again, so every option always has a heap entry at least as high as its
//! true value.

use crate::problem::{Weight, Yuan, TIE_BITS};
use crate::state::{Alternative, Cause, State, MAX_ALTERNATIVES};
use rayon::prelude::*;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// `num / den`, compared exactly.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ratio {
    num: u128,
    den: u64,
}

impl Ratio {
    fn new(num: u128, den: u64) -> Self {
        Ratio {
            num,
            den: den.max(1),
        }
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ratio {}
impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ratio {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den as u128).cmp(&(other.num * self.den as u128))
    }
}

impl Ratio {
    /// The value's leading [`TIE_BITS`] significant bits, as an ordered
    /// integer: equal for values within a relative 2⁻²⁰ of each other (most
    /// often), never out of order with the exact value.
    fn coarse(&self) -> u64 {
        // Both conversions and the division are correctly rounded IEEE
        // operations: the same bits on every machine.
        let v = self.num as f64 / self.den as f64;
        v.to_bits() >> (52 - TIE_BITS)
    }
}

/// Value to [`TIE_BITS`] bits, then R7's preferred site (lower rank), then
/// the exact value, then the cheaper, then the lower site, then the lower
/// operator. The keys only fall as an option's exact value falls, so the
/// lazy greedy stays exact.
type Key = (
    u64,
    Reverse<u8>,
    Ratio,
    Reverse<Yuan>,
    Reverse<u32>,
    Reverse<u8>,
);

fn key(st: &State<'_>, value: Ratio, s: usize, o: usize) -> Key {
    (
        value.coarse(),
        Reverse(st.p.rank(s)),
        value,
        Reverse(st.cost(s, o)),
        Reverse(s as u32),
        Reverse(o as u8),
    )
}

/// Site and operator of a heap key.
fn option_of(k: &Key) -> (usize, usize) {
    (k.4 .0 as usize, k.5 .0 as usize)
}

/// Options (site, operator) a greedy starts from: every one, or a list.
pub(crate) type Seeds<'s> = Option<&'s [(usize, usize)]>;

/// Most heap entries looked at to find a choice's alternatives.
const ALTERNATIVE_POPS: usize = 24;

/// The best [`MAX_ALTERNATIVES`] options of operator `o` on sites other than
/// `s` by their exact value now, among the heap's best entries (stale ones
/// are re-keyed, so the heap stays valid).
fn runner_ups(
    st: &State<'_>,
    heap: &mut BinaryHeap<Key>,
    rekey: &dyn Fn(&State<'_>, usize, usize) -> Option<Key>,
    s: usize,
    o: usize,
) -> Vec<Alternative> {
    let mut back: Vec<Key> = Vec::new();
    let mut found: Vec<Key> = Vec::new();
    let mut seen: Vec<(u32, u8)> = Vec::new();
    while back.len() < ALTERNATIVE_POPS {
        if found.len() >= MAX_ALTERNATIVES
            && heap.peek().is_none_or(|t| t < &found[found.len() - 1])
        {
            break;
        }
        let Some(top) = heap.pop() else { break };
        let (s2, o2) = option_of(&top);
        let Some(now) = rekey(st, s2, o2) else {
            continue;
        };
        if o2 == o && s2 != s && !seen.contains(&(s2 as u32, o2 as u8)) {
            seen.push((s2 as u32, o2 as u8));
            found.push(now);
            found.sort_unstable_by(|a, b| b.cmp(a));
            found.truncate(MAX_ALTERNATIVES);
        }
        back.push(now);
    }
    heap.extend(back);
    found
        .into_iter()
        .map(|k| {
            let s2 = option_of(&k).0;
            Alternative {
                site: s2 as u32,
                kind: st.p.sites[s2].kind_for(o),
                gain: st.gains(s2, o).objective,
                cost_yuan: st.cost(s2, o),
            }
        })
        .collect()
}

/// The lazy greedy loop: pops the best option, re-keys it if stale, places
/// it when `accept` agrees (recording the options it beat), and stops when
/// `done` says so or nothing is left. Only options of the operators in
/// `ops` (a bit mask), from `seeds` or any, are considered (and those a
/// placement changes).
fn lazy(
    st: &mut State<'_>,
    value: &(dyn Fn(&State<'_>, usize, usize) -> Option<Ratio> + Sync),
    accept: &dyn Fn(&State<'_>, usize, usize) -> bool,
    done: &dyn Fn(&State<'_>) -> bool,
    only_existing: bool,
    ops: u8,
    seeds: Seeds<'_>,
) {
    let k = st.p.operators;
    let rekey = |st: &State<'_>, s: usize, o: usize| -> Option<Key> {
        if (only_existing && !st.p.sites[s].existing) || ops & (1 << o) == 0 {
            return None;
        }
        value(st, s, o).map(|v| key(st, v, s, o))
    };
    // Every option valued once, in parallel; the heap is built from them
    // in the same order whatever the thread count.
    let first: Vec<Key> = match seeds {
        Some(list) => list
            .par_iter()
            .filter_map(|&(s, o)| rekey(st, s, o))
            .collect(),
        None => (0..st.p.sites.len())
            .into_par_iter()
            .flat_map_iter(|s| (0..k).map(move |o| (s, o)))
            .filter_map(|(s, o)| rekey(st, s, o))
            .collect(),
    };
    let mut heap = BinaryHeap::from(first);
    while !done(st) {
        let Some(top) = heap.pop() else { break };
        let (s, o) = option_of(&top);
        let Some(now) = rekey(st, s, o) else { continue };
        if now != top {
            heap.push(now);
            continue;
        }
        if !accept(st, s, o) {
            continue;
        }
        st.pending_alts = runner_ups(st, &mut heap, &rekey, s, o);
        for (s2, o2) in st.place(s, o) {
            if let Some(k2) = rekey(st, s2, o2) {
                heap.push(k2);
            }
        }
    }
}

/// Yuan (or weight) a unit of sharing is worth: the shift it gives an
/// option's value. With a floor `f`, a site that becomes shared gains one
/// unit and a site that opens loses `f` units.
fn sharing_units(st: &State<'_>, s: usize, o: usize, f: Option<f64>, price: u64) -> i128 {
    let Some(f) = f else { return 0 };
    if price == 0 {
        return 0;
    }
    let (shares, opens) = st.sharing_delta(s, o);
    let mut v = 0i128;
    if shares {
        v += price as i128;
    }
    if opens {
        v -= (price as f64 * f).round() as i128;
    }
    v
}

/// `targets`: each step places the option with the most requirement
/// progress per yuan. Progress is each requirement's newly covered weight,
/// capped at its remaining deficit, over its target (in units of 2⁻⁶⁴ of
/// the target, so every requirement weighs the same when whole); a station's cost is lowered by `price`
/// yuan when it makes its site shared and raised by `price × f` when it
/// opens a candidate. Stops when every requirement is met. Only options of
/// the operators in `ops` (a bit mask) are considered.
pub(crate) fn targets(st: &mut State<'_>, price: Yuan, floor: Option<f64>, ops: u8) {
    targets_on(st, price, floor, ops, None);
}

/// [`targets`] from `seeds` only (and the options placements change).
pub(crate) fn targets_on(
    st: &mut State<'_>,
    price: Yuan,
    floor: Option<f64>,
    ops: u8,
    seeds: Seeds<'_>,
) {
    let scale: Vec<u128> = st
        .req_target
        .iter()
        .map(|&t| if t == 0 { 0 } else { (1u128 << 64) / t as u128 })
        .collect();
    let value = |st: &State<'_>, s: usize, o: usize| -> Option<Ratio> {
        if !st.available(s, o) {
            return None;
        }
        let g = st.gains(s, o);
        let mut utility = 0u128;
        for (l, &r) in st.req_of[o].iter().enumerate() {
            utility += g.req[l].min(st.deficit(o, l)) as u128 * scale[r];
        }
        if utility == 0 {
            return None;
        }
        let cost = st.cost(s, o) as i128 - sharing_units(st, s, o, floor, price);
        Some(Ratio::new(utility, cost.max(1) as u64))
    };
    lazy(
        st,
        &value,
        &|_, _, _| true,
        &|st| st.unmet() == 0,
        false,
        ops,
        seeds,
    );
}

/// Repairs requirements the greedy left unmet because another operator took
/// the last slot of a site that would meet them: gives that slot to the
/// operator short of coverage, lets the greedy re-cover what the evicted
/// operator loses elsewhere, and keeps the change when fewer requirements
/// are unmet. A few tries per requirement.
pub(crate) fn repair(st: &mut State<'_>, price: Yuan, floor: Option<f64>) {
    let mut tries = 0;
    'outer: while st.unmet() > 0 && tries < 64 {
        let unmet = st.unmet();
        let short: Vec<usize> = (0..st.p.requirements.len())
            .filter(|&r| st.req_covered[r] < st.req_target[r])
            .collect();
        for r in short {
            let o = st.p.requirements[r].operator;
            let missing = st.uncovered_items(r);
            // Sites whose slot would serve it, by how many missing items they reach.
            let mut sites: Vec<(usize, usize)> = (0..st.p.sites.len())
                .filter(|&s| st.blocked_by_capacity(s, o))
                .map(|s| {
                    let cov = &st.p.sites[s].coverage[o];
                    let n = missing
                        .iter()
                        .filter(|d| cov.binary_search(d).is_ok())
                        .count();
                    (n, s)
                })
                .filter(|(n, _)| *n > 0)
                .collect();
            sites.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            for (_, s) in sites.into_iter().take(4) {
                let evictable: Vec<usize> = (0..st.placed.len())
                    .filter(|&k| {
                        !st.removed[k]
                            && st.placed[k].0 as usize == s
                            && st.p.sites[s].tenants & (1 << st.placed[k].1) == 0
                    })
                    .collect();
                for k in evictable {
                    tries += 1;
                    let evicted = st.placed[k].1;
                    // Tried on the plan itself, undone unless it helps.
                    let mark = st.mark();
                    st.evict(k, o);
                    // Only the two operators' options can have changed value.
                    targets(st, price, floor, (1 << o) | (1 << evicted));
                    if st.unmet() < unmet {
                        st.commit(mark);
                        continue 'outer;
                    }
                    st.undo(mark);
                }
            }
        }
        break;
    }
}

/// `budget` and `sites`: each step places the option that newly covers the
/// most objective weight (per yuan when there is a budget), plus `bonus`
/// when it makes its site shared and less `bonus × f` when it opens a
/// candidate. Options that cover nothing are placed only for that bonus.
pub(crate) fn coverage(
    st: &mut State<'_>,
    budget_yuan: Option<Yuan>,
    bonus: Weight,
    floor: Option<f64>,
    only_existing: bool,
) {
    coverage_on(st, budget_yuan, bonus, floor, only_existing, None);
}

/// [`coverage`] from `seeds` only (and the options placements change).
pub(crate) fn coverage_on(
    st: &mut State<'_>,
    budget_yuan: Option<Yuan>,
    bonus: Weight,
    floor: Option<f64>,
    only_existing: bool,
    seeds: Seeds<'_>,
) {
    let value = |st: &State<'_>, s: usize, o: usize| -> Option<Ratio> {
        if !st.available(s, o) {
            return None;
        }
        let v = st.gains(s, o).objective as i128 + sharing_units(st, s, o, floor, bonus);
        if v <= 0 {
            return None;
        }
        let den = if budget_yuan.is_some() {
            st.cost(s, o)
        } else {
            1
        };
        Some(Ratio::new(v as u128, den))
    };
    let accept = |st: &State<'_>, s: usize, o: usize| {
        budget_yuan.is_none_or(|b| st.cost_yuan() + st.cost(s, o) <= b)
    };
    lazy(
        st,
        &value,
        &accept,
        &|_| false,
        only_existing,
        u8::MAX,
        seeds,
    );
}

/// Raises the sharing rate to the floor at least cost: co-locations on
/// single-tenant existing sites and second stations on single-tenant new
/// sites first (each makes one more site shared; the cheapest first, then
/// the one covering the most), then, if that is not enough, sites with no
/// tenant given two stations (existing ones, and new sites). Stops at the floor, or when nothing more can be shared
/// within the budget.
pub(crate) fn sharing_fill(st: &mut State<'_>, floor: Option<f64>, budget_yuan: Option<Yuan>) {
    sharing_fill_on(st, floor, budget_yuan, None);
}

/// [`sharing_fill`] over the options `seeds` (and their sites) only, or all.
pub(crate) fn sharing_fill_on(
    st: &mut State<'_>,
    floor: Option<f64>,
    budget_yuan: Option<Yuan>,
    seeds: Seeds<'_>,
) {
    let Some(f) = floor else { return };
    if st.floor_met(floor) {
        return;
    }
    let was = std::mem::replace(&mut st.cause, Cause::Share);
    let fits = |st: &State<'_>, cost: Yuan| budget_yuan.is_none_or(|b| st.cost_yuan() + cost <= b);
    // The cheapest, then the one covering the most, then R7's preferred.
    type ShareKey = (
        Reverse<Yuan>,
        Weight,
        Reverse<u8>,
        Reverse<u32>,
        Reverse<u8>,
    );
    let rekey = |st: &State<'_>, s: usize, o: usize| -> Option<ShareKey> {
        let (shares, opens) = st.sharing_delta(s, o);
        (st.available(s, o) && shares && !opens).then(|| {
            (
                Reverse(st.cost(s, o)),
                st.gains(s, o).objective,
                Reverse(st.p.rank(s)),
                Reverse(s as u32),
                Reverse(o as u8),
            )
        })
    };
    let k = st.p.operators;
    let mut heap: BinaryHeap<ShareKey> = match seeds {
        Some(list) => list.iter().filter_map(|&(s, o)| rekey(st, s, o)).collect(),
        None => (0..st.p.sites.len())
            .flat_map(|s| (0..k).map(move |o| (s, o)))
            .filter_map(|(s, o)| rekey(st, s, o))
            .collect(),
    };
    let sites: Vec<usize> = match seeds {
        Some(list) => {
            let mut v: Vec<usize> = list.iter().map(|&(s, _)| s).collect();
            v.sort_unstable();
            v.dedup();
            v
        }
        None => (0..st.p.sites.len()).collect(),
    };
    while !st.floor_met(floor) {
        let Some(top) = heap.pop() else { break };
        let (s, o) = (top.3 .0 as usize, top.4 .0 as usize);
        let Some(now) = rekey(st, s, o) else { continue };
        if now != top {
            heap.push(now);
            continue;
        }
        if fits(st, st.cost(s, o)) {
            st.place(s, o);
        }
    }
    // Sites with no tenant yet, given two stations each: existing ones with
    // none (one more shared site) and new sites (one more shared site per
    // site built).
    while !st.floor_met(floor) && f < 1.0 {
        let best = sites
            .iter()
            .copied()
            .filter(|&s| {
                if st.p.sites[s].existing {
                    st.tenants[s] == 0
                } else {
                    st.added[s] == 0
                }
            })
            .filter_map(|s| {
                let mut ops: Vec<(Weight, usize)> = (0..k)
                    .filter(|&o| st.available(s, o))
                    .map(|o| (st.gains(s, o).objective, o))
                    .collect();
                if ops.len() < 2 || st.p.sites[s].capacity < 2 {
                    return None;
                }
                ops.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let cost = st.cost(s, ops[0].1) + st.station_cost(s, ops[1].1);
                Some((
                    cost,
                    Reverse(ops[0].0 + ops[1].0),
                    st.p.rank(s),
                    s,
                    ops[0].1,
                    ops[1].1,
                ))
            })
            .min();
        let Some((cost, _, _, s, o1, o2)) = best else {
            break;
        };
        if !fits(st, cost) {
            break;
        }
        st.place(s, o1);
        st.place(s, o2);
    }
    st.cause = was;
}

/// Fills up to the mode's number of new sites with the cheapest candidates
/// left (one station each, two where the sharing floor is not met, and then
/// candidates that can hold two operators first), when coverage no longer
/// asks for more.
pub(crate) fn fill_sites(st: &mut State<'_>, floor: Option<f64>, budget_yuan: Option<Yuan>) {
    let Some(max) = st.max_new_sites else { return };
    let k = st.p.operators;
    let was = std::mem::replace(&mut st.cause, Cause::Count);
    // Short of the floor, candidates that can hold two of the operators
    // first: a site built for the count alone would lower the rate.
    let short = !st.floor_met(floor);
    let mut order: Vec<(bool, Yuan, u8, usize)> = (0..st.p.sites.len())
        .filter(|&s| !st.p.sites[s].existing)
        .filter_map(|s| {
            let open = (0..k).filter(|&o| st.available(s, o)).count();
            let unshareable = short && (open < 2 || st.p.sites[s].capacity < 2);
            (0..k)
                .filter(|&o| st.available(s, o))
                .map(|o| st.cost(s, o))
                .min()
                .map(|c| (unshareable, c, st.p.rank(s), s))
        })
        .collect();
    order.sort_unstable();
    for (_, _, _, s) in order {
        if st.opened >= max {
            break;
        }
        if st.added[s] != 0 {
            continue;
        }
        let mut ops: Vec<(Yuan, usize)> = (0..k)
            .filter(|&o| st.available(s, o))
            .map(|o| (st.cost(s, o), o))
            .collect();
        ops.sort_unstable();
        let Some(&(cost, o)) = ops.first() else {
            continue;
        };
        if budget_yuan.is_some_and(|b| st.cost_yuan() + cost > b) {
            continue;
        }
        st.place(s, o);
        if !st.floor_met(floor) && st.p.sites[s].capacity >= 2 {
            if let Some(&(_, o2)) = ops.get(1) {
                let c2 = st.cost(s, o2);
                if budget_yuan.is_none_or(|b| st.cost_yuan() + c2 <= b) {
                    st.place(s, o2);
                }
            }
        }
    }
    st.cause = was;
}

/// Takes out, most saving first, every station the plan can do without:
/// one whose removal keeps every requirement at its target (and, where
/// `keep_objective`, loses no objective weight), keeps the sharing rate
/// at the floor (or no further below it), where the mode fixes the number
/// of new sites does not close one, and under R1 frees no slot that an
/// operator's stations on new sites would then duplicate. Repeats until
/// nothing moves.
pub(crate) fn cleanup(st: &mut State<'_>, keep_objective: bool, floor: Option<f64>) {
    cleanup_among(st, keep_objective, floor, None);
}

/// [`cleanup`] over the placements `among` only (indices into the plan's
/// placements), or all.
pub(crate) fn cleanup_among(
    st: &mut State<'_>,
    keep_objective: bool,
    floor: Option<f64>,
    among: Option<&[usize]>,
) {
    loop {
        let all: Vec<usize>;
        let ks: &[usize] = match among {
            Some(list) => list,
            None => {
                all = (0..st.placed.len()).collect();
                &all
            }
        };
        let mut changed = false;
        for k in removal_order(st, ks) {
            if removable(st, k, keep_objective, floor) {
                st.remove(k);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The kept placements among `ks`, the largest saving first (the later
/// placement on ties): the order the clean-ups try them in.
pub(crate) fn removal_order(st: &State<'_>, ks: &[usize]) -> Vec<usize> {
    let mut order: Vec<(Reverse<Yuan>, Reverse<usize>)> = ks
        .iter()
        .copied()
        .filter(|&k| !st.removed[k])
        .map(|k| (Reverse(st.saving(k)), Reverse(k)))
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, Reverse(k))| k).collect()
}

/// Whether placement `k` can come out of the plan as it stands: every
/// requirement keeps its target, the sharing floor stays met (or, when it
/// is missed, gets no further away), R1 still holds, the mode's count of
/// new sites is kept and, with `keep_objective`, no objective weight is
/// lost.
pub(crate) fn removable(
    st: &State<'_>,
    k: usize,
    keep_objective: bool,
    floor: Option<f64>,
) -> bool {
    let slack = |shared: u64, total: u64| match floor {
        Some(f) => shared as f64 - f * total as f64,
        None => 0.0,
    };
    let (lost, req) = st.loss(k);
    if (keep_objective && lost > 0) || st.removal_breaks_r1(k) {
        return false;
    }
    if req
        .iter()
        .any(|&(r, w)| st.req_covered[r] - w < st.req_target[r])
    {
        return false;
    }
    let (shared, total) = st.sharing_without(k);
    if total < st.sites_total && st.max_new_sites.is_some() {
        return false;
    }
    let met_now = st.floor_met(floor);
    let met_after = floor.is_none_or(|f| shared as f64 >= f * total as f64);
    if met_now {
        met_after
    } else {
        slack(shared, total) >= slack(st.shared_total, st.sites_total)
    }
}

#[cfg(test)]
mod tests {
    use crate::{solve, Mode, OtherSites, Params, Problem, Requirement, SiteChoice};

    /// Two existing sites of operator 0 (overlays), site 0 covering items
    /// 0..4 with weight `w0` each and site 1 the same items with `w1`, both
    /// for 100 yuan; the objective asks for all four items.
    fn twins(w0: u64, w1: u64, rank: Vec<u8>) -> Problem {
        let site = || SiteChoice {
            existing: true,
            tenants: 1,
            lte: 0,
            capacity: 1,
            allowed: 1,
            build_cost_yuan: 0,
            overlay_cost_yuan: 100,
            tenant_cost_yuan: 100,
            coverage: vec![vec![0, 1, 2, 3].into()],
        };
        let mut p = Problem {
            operators: 1,
            weights: vec![w0; 4],
            covered_before: vec![vec![false; 4]],
            sites: vec![site(), site()],
            requirements: vec![Requirement {
                operator: 0,
                items: (0..4).map(|d| (d, 1)).collect(),
                min_weight: 4,
            }],
            other_sites: OtherSites::default(),
            r1_blockers: Vec::new(),
            preference_rank: rank,
        };
        if w1 != w0 {
            // Site 1 covers items 4..8 instead, of weight w1.
            p.weights.extend([w1; 4]);
            p.covered_before[0].extend([false; 4]);
            p.sites[1].coverage[0] = vec![4, 5, 6, 7].into();
            p.requirements[0].items = (0..8).map(|d| (d, 1)).collect();
        }
        p
    }

    fn chosen_with(p: &Problem, mode: Mode, search_moves: u64) -> Vec<u32> {
        let params = Params {
            mode,
            sharing_first: false,
            search_moves,
            ..Params::default()
        };
        let sol = solve(p, &params).expect("solve");
        sol.placements.iter().map(|pl| pl.site).collect()
    }

    fn chosen(p: &Problem, mode: Mode) -> Vec<u32> {
        chosen_with(p, mode, Params::default().search_moves)
    }

    #[test]
    fn r7_a_tie_goes_to_the_preferred_kind() {
        // Equal value and cost: the lower site wins without ranks, the
        // preferred one (site 1, an indoor system ranked 0 against a
        // ground tower's 6) with them, in every mode.
        for mode in [Mode::Targets, Mode::Budget { budget_yuan: 100 }] {
            assert_eq!(chosen(&twins(10, 10, Vec::new()), mode), [0], "{mode:?}");
            assert_eq!(chosen(&twins(10, 10, vec![6, 0]), mode), [1], "{mode:?}");
            assert_eq!(chosen(&twins(10, 10, vec![0, 6]), mode), [0], "{mode:?}");
        }
    }

    #[test]
    fn r7_ranks_only_ties() {
        // Values a relative 10⁻⁸ apart tie in construction (the local
        // search after it takes a strictly better plan, as it should);
        // 10% apart, the better value wins whatever the rank.
        let budget = Mode::Budget { budget_yuan: 100 };
        let near = twins(100_000_001, 100_000_000, vec![6, 0]);
        assert_eq!(chosen_with(&near, budget, 0), [1]);
        let far = twins(100, 90, vec![6, 0]);
        assert_eq!(chosen(&far, budget), [0]);
    }

    #[test]
    fn a_rank_per_site_or_none() {
        let p = twins(10, 10, vec![0]);
        assert!(p.validate(&Params::default()).is_err());
    }
}
