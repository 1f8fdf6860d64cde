//! Local search after construction, in every mode: ruin and recreate.
//!
//! A move takes stations out of the plan and lets the mode's own greedy
//! re-complete it without them, then takes out what the result can do
//! without (the clean-up); the move is kept when the plan is better:
//!
//! - **one station** out: the greedy re-homes what it served, which swaps it
//!   for an unchosen station, or moves its operator between a site it is a
//!   tenant of (overlay), another operator's site (co-location) and a new
//!   site;
//! - **every new station on one site** out: on a candidate this closes the
//!   new site and re-homes its tenants; on an existing site it vacates it;
//! - on small instances also pairs out, an option forced in, swaps, and the
//!   floor's move, a **reseat**: every new station on one site out and two
//!   operators forced onto a site (the same one re-tenanted, or a shared
//!   site traded for another, such as a shared new site for a co-location
//!   whose budget it needs). Where a budget binds, the stations making room
//!   for what a move forces in are chosen for all of it at once.
//!
//! The stations taken out may not come back in the same move. Every
//! re-completion keeps the plan feasible the way construction does: the
//! greedy meets requirements first (`targets`) or stays within the budget,
//! R1 restricts what a new site's station counts, capacities bind, a
//! violated sharing floor is restored by the sharing fill, a missing new
//! site (mode `sites`) by the cheapest candidates; a move that would take
//! out a station whose removal breaks R1 is not tried. "Better" is, in
//! order: fewer requirements missed and the floor met (never worse than
//! before), then less cost (`targets`) or more objective weight and then
//! less cost (`budget`, `sites`, where the count of new sites may not fall).
//!
//! Moves are tried in a fixed order, [`CHUNK`] at a time in parallel, each
//! on a working copy of the plan (one per thread, its changes journalled
//! and undone after the trial, so no trial copies the plan); of a chunk's
//! improving moves the best (then the first) is kept, made again on the
//! plan and on every working copy. The search ends when a whole round of moves improves
//! nothing, when [`Params::search_moves`](crate::Params::search_moves)
//! trials are spent, or at the wall-clock cap. The work is counted in
//! trials, not seconds, so the same instance gives the same plan at any
//! thread count — unless the cap binds: then the plan depends on how many
//! chunks the machine got through, and [`SearchOutcome::time_limit_reached`]
//! says so.
//!
//! On small instances (at most [`WHOLE_INSTANCE`] options) a re-completion
//! looks at every option and the clean-up at every station; on large ones
//! at the options covering what the ruined stations covered (and the other
//! operators on their sites), and the clean-up at stations on those sites.

use crate::construct::{cleanup_among, coverage_on, fill_sites, sharing_fill_on, targets_on};
use crate::problem::{Mode, Weight, Yuan};
use crate::state::{Cause, Csr, State};
use rayon::prelude::*;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Moves tried together (in parallel); fixed so that the search does not
/// depend on the thread count.
pub const CHUNK: usize = 8;

/// Most (site, operator) options for which a move re-completes from every
/// option rather than from the ruined stations' neighbours.
pub const WHOLE_INSTANCE: usize = 2_048;

/// What the local search did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchOutcome {
    /// Moves tried (trials).
    pub moves: u64,
    /// Moves kept (each made the plan better).
    pub improvements: u64,
    /// Whether the wall-clock cap stopped the search (the plan may then
    /// differ between runs).
    pub time_limit_reached: bool,
}

/// How the search runs.
pub(crate) struct Setting {
    pub mode: Mode,
    pub floor: Option<f64>,
    /// The sharing price (`targets`, yuan) or bonus (weight) construction
    /// settled on.
    pub price: u64,
    /// Most trials.
    pub moves: u64,
    /// Wall-clock cap.
    pub deadline: Option<Instant>,
}

/// A (site, operator) pair.
type Opt = (u32, u8);

/// A move: which new stations to take out, and which option to force in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    /// Operator's station on a site.
    One(Opt),
    /// Every new station on a site.
    Site(u32),
    /// Two stations (small instances).
    Pair(Opt, Opt),
    /// An option not in the plan, forced in (small instances).
    Insert(Opt),
    /// A station out and an option not in the plan forced in (small instances).
    Swap(Opt, Opt),
    /// Two stations out and an option not in the plan forced in (small instances).
    PairSwap(Opt, Opt, Opt),
    /// Every new station on a site out and an option forced in (small instances).
    SiteSwap(u32, Opt),
    /// Two operators forced onto one site (small instances).
    Share(Opt, Opt),
    /// Every new station on the first site out and two operators forced
    /// onto the second (the same site re-tenanted, or a shared site moved):
    /// the floor's move, trading one shared site for another (small
    /// instances).
    Reseat(u32, u32, u8, u8),
}

/// Per operator, item → sites covering it (all sites).
struct Neighbours {
    sites_of: Arc<Vec<Csr<u32>>>,
}

impl Neighbours {
    fn new(st: &State<'_>) -> Self {
        Neighbours {
            sites_of: st.item_sites(),
        }
    }

    /// Options that could serve what `(s, o)` covers, and the other
    /// operators on `s`; sorted, no duplicates.
    fn of(&self, st: &State<'_>, ruined: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for &(s, o) in ruined {
            for &d in st.p.sites[s].coverage[o].iter() {
                out.extend(
                    self.sites_of[o]
                        .row(d as usize)
                        .iter()
                        .map(|&s2| (s2 as usize, o)),
                );
            }
            out.extend((0..st.p.operators).map(|o2| (s, o2)));
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The plan's rank: lower is better. In `targets` a plan that meets fewer
/// requirements, or lacks more of them, is worse whatever it saves: a move
/// never trades coverage a target needs for cost.
fn rank(st: &State<'_>, set: &Setting) -> Rank {
    let floor_missed = !st.floor_met(set.floor) as u64;
    match set.mode {
        Mode::Targets => (
            st.unmet() as u64,
            st.shortfall(),
            floor_missed,
            0,
            st.cost_yuan(),
        ),
        Mode::Budget { .. } => (
            0,
            0,
            floor_missed,
            Weight::MAX - st.objective,
            st.cost_yuan(),
        ),
        Mode::Sites { .. } => {
            let short = st.max_new_sites.unwrap_or(0).saturating_sub(st.opened) as u64;
            (
                short,
                0,
                floor_missed,
                Weight::MAX - st.objective,
                st.cost_yuan(),
            )
        }
    }
}

/// The moves on the plan now: each kept station, then each site with two
/// or more new stations; on small instances (`small`) also every pair of
/// stations, every option forced in, and every station swapped for every
/// option.
fn moves_of(st: &State<'_>, small: bool) -> Vec<Move> {
    let kept: Vec<Opt> = st
        .kept()
        .into_iter()
        .map(|(s, o, _)| (s as u32, o as u8))
        .collect();
    let mut out: Vec<Move> = kept.iter().map(|&a| Move::One(a)).collect();
    out.extend(
        (0..st.p.sites.len())
            .filter(|&s| st.added[s].count_ones() >= 2)
            .map(|s| Move::Site(s as u32)),
    );
    if small {
        for (i, &a) in kept.iter().enumerate() {
            out.extend(kept[i + 1..].iter().map(|&b| Move::Pair(a, b)));
        }
        let open: Vec<Opt> = (0..st.p.sites.len())
            .flat_map(|s| (0..st.p.operators).map(move |o| (s, o)))
            .filter(|&(s, o)| {
                let site = &st.p.sites[s];
                st.added[s] & (1 << o) == 0
                    && site.allowed & (1 << o) != 0
                    && site.lte & (1 << o) == 0
            })
            .map(|(s, o)| (s as u32, o as u8))
            .collect();
        out.extend(open.iter().map(|&f| Move::Insert(f)));
        for &a in &kept {
            out.extend(open.iter().map(|&f| Move::Swap(a, f)));
        }
        for (i, &a) in kept.iter().enumerate() {
            for &b in &kept[i + 1..] {
                out.extend(open.iter().map(|&f| Move::PairSwap(a, b, f)));
            }
        }
        let mut with_new: Vec<u32> = kept.iter().map(|&(s, _)| s).collect();
        with_new.sort_unstable();
        with_new.dedup();
        for &s in &with_new {
            out.extend(open.iter().map(|&f| Move::SiteSwap(s, f)));
        }
        for (i, &a) in open.iter().enumerate() {
            out.extend(
                open[i + 1..]
                    .iter()
                    .filter(|b| b.0 == a.0)
                    .map(|&b| Move::Share(a, b)),
            );
        }
        for s_in in 0..st.p.sites.len() {
            let site = &st.p.sites[s_in];
            if site.capacity < 2 {
                continue;
            }
            let ops: Vec<u8> = (0..st.p.operators as u8)
                .filter(|&o| site.allowed & (1 << o) != 0 && site.lte & (1 << o) == 0)
                .collect();
            for (i, &o1) in ops.iter().enumerate() {
                for &o2 in &ops[i + 1..] {
                    out.extend(
                        with_new
                            .iter()
                            .map(|&s_out| Move::Reseat(s_out, s_in as u32, o1, o2)),
                    );
                }
            }
        }
    }
    out
}

/// Under R1, whether every new site the plan builds has a station covering
/// some item that no existing site where its operator could still go
/// covers, except sites the mode alone asks for: those whose every station,
/// replayed in the plan's order, covers nothing new (or is the sharing
/// fill's). Checked after every move on small instances.
fn keeps_r1(t: &State<'_>) -> bool {
    let p = t.p;
    let reachable = |o: usize, d: u32| {
        (0..p.sites.len()).any(|s| {
            let e = &p.sites[s];
            e.existing
                && t.added[s] & (1 << o) == 0
                && e.fits(o, t.tenants[s])
                && e.coverage[o].binary_search(&d).is_ok()
        })
    };
    // Replay: which sites have a station that newly covers something (or
    // is not the sharing fill's).
    let mut covered = p.covered_before.clone();
    let mut needs = vec![false; p.sites.len()];
    for k in (0..t.placed.len()).filter(|&k| !t.removed[k]) {
        let (s, o) = (t.placed[k].0 as usize, t.placed[k].1 as usize);
        let mut new = false;
        for &d in p.sites[s].coverage[o].iter() {
            if !covered[o][d as usize] {
                covered[o][d as usize] = true;
                new = true;
            }
        }
        if new && t.causes[k] != Cause::Share {
            needs[s] = true;
        }
    }
    (0..p.sites.len())
        .filter(|&c| !p.sites[c].existing && t.added[c] != 0 && needs[c])
        .all(|c| {
            (0..p.operators).any(|o| {
                t.added[c] & (1 << o) != 0
                    && p.sites[c].coverage[o].iter().any(|&d| !reachable(o, d))
            })
        })
}

/// The budget of the mode, if any.
fn budget_of(mode: &Mode) -> Option<Yuan> {
    match *mode {
        Mode::Targets => None,
        Mode::Budget { budget_yuan } => Some(budget_yuan),
        Mode::Sites { budget_yuan, .. } => budget_yuan,
    }
}

/// Within `budget`, takes stations out (the least objective lost per yuan
/// saved first, never one whose removal breaks R1) until every option of
/// `forced` fits together (a candidate's build paid once); whether they do.
fn make_room(t: &mut State<'_>, forced: &[Opt], budget: Yuan) -> bool {
    loop {
        let mut need: Yuan = 0;
        let mut opening: Vec<u32> = Vec::new();
        for &(s, o) in forced {
            let (s, o) = (s as usize, o as usize);
            if !t.available(s, o) {
                return false;
            }
            let site = &t.p.sites[s];
            need += t.station_cost(s, o);
            if !site.existing && t.added[s] == 0 && !opening.contains(&(s as u32)) {
                opening.push(s as u32);
                need += site.build_cost_yuan;
            }
        }
        if t.cost_yuan() + need <= budget {
            return true;
        }
        let worst = (0..t.placed.len())
            .filter(|&k| !t.removed[k] && !t.removal_breaks_r1(k))
            .map(|k| {
                let lost = t.loss(k).0 as u128;
                let saved = t.saving(k).max(1) as u128;
                // lost / saved, compared exactly; then the earlier.
                (lost, saved, k)
            })
            .min_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)).then(a.2.cmp(&b.2)));
        let Some((_, _, k)) = worst else {
            return false;
        };
        t.remove(k);
        t.forbid.push(t.placed[k]);
    }
}

/// A plan's rank ([`rank`]).
type Rank = (u64, u64, u64, u64, Yuan);

/// One move, made on the plan `t` itself: the rank of the plan it leaves
/// when that is better than before. It may leave `t` changed either way;
/// the caller journals it ([`State::mark`]) and undoes or keeps it. The
/// result depends on `t`'s plan and the move alone (not on caches), so a
/// move replayed on an equal plan leaves an equal plan.
fn trial(t: &mut State<'_>, mv: Move, set: &Setting, nbr: Option<&Neighbours>) -> Option<Rank> {
    let before = rank(t, set);
    let opened_before = t.opened;
    let (forced, out) = match mv {
        Move::Insert(f) | Move::PairSwap(_, _, f) | Move::SiteSwap(_, f) => (Some(f), None),
        Move::Swap(a, f) => (Some(f), Some(a)),
        Move::Share(f, _) => (Some(f), None),
        _ => (None, None),
    };
    let forced_too = match mv {
        Move::Share(_, g) => Some(g),
        _ => None,
    };
    // A reseat forces the operators not already on the site after the ruin.
    let reseat = match mv {
        Move::Reseat(s_out, s_in, o1, o2) => Some((s_out, s_in, o1, o2)),
        _ => None,
    };
    let ks: Vec<usize> = (0..t.placed.len())
        .filter(|&k| {
            let pk = t.placed[k];
            !t.removed[k]
                && match mv {
                    Move::One(a) => pk == a,
                    Move::Site(s2) => pk.0 == s2,
                    Move::Pair(a, b) => pk == a || pk == b,
                    Move::Insert(_) => false,
                    Move::Swap(..) => Some(pk) == out,
                    Move::PairSwap(a, b, _) => pk == a || pk == b,
                    Move::SiteSwap(s2, _) => pk.0 == s2,
                    Move::Share(..) => false,
                    Move::Reseat(s_out, ..) => pk.0 == s_out,
                }
        })
        .collect();
    if ks.is_empty() && forced.is_none() && reseat.is_none() {
        return None;
    }
    let mut ruined = Vec::new();
    for &k in &ks {
        if t.removal_breaks_r1(k) {
            return None;
        }
        t.remove(k);
        t.forbid.push(t.placed[k]);
        ruined.push((t.placed[k].0 as usize, t.placed[k].1 as usize));
    }
    let first_new = t.placed.len();
    let seeds = nbr.map(|n| n.of(t, &ruined));
    let budget = budget_of(&set.mode);
    let mut forced_all: Vec<Opt> = forced.into_iter().chain(forced_too).collect();
    if let Some((_, s_in, o1, o2)) = reseat {
        for o in [o1, o2] {
            // Re-tenanting the ruined site may bring back an operator it had.
            t.forbid.retain(|&f| f != (s_in, o));
            if t.added[s_in as usize] & (1 << o) == 0 {
                forced_all.push((s_in, o));
            }
        }
        if forced_all.is_empty() {
            return None;
        }
    }
    if let Some(b) = budget {
        if !make_room(t, &forced_all, b) {
            return None;
        }
    }
    for (s, o) in forced_all {
        let (s, o) = (s as usize, o as usize);
        if !t.available(s, o) {
            return None;
        }
        t.place(s, o);
    }
    match set.mode {
        Mode::Targets => targets_on(t, set.price, set.floor, u8::MAX, seeds.as_deref()),
        Mode::Budget { .. } | Mode::Sites { .. } => {
            coverage_on(t, budget, set.price, set.floor, false, seeds.as_deref())
        }
    }
    if t.opened < opened_before {
        fill_sites(t, set.floor, budget);
    }
    if !t.floor_met(set.floor) {
        sharing_fill_on(t, set.floor, budget, seeds.as_deref());
    }
    t.forbid.clear();
    let keep_objective = !matches!(set.mode, Mode::Targets);
    match &seeds {
        None => cleanup_among(t, keep_objective, set.floor, None),
        Some(list) => {
            let mut sites: Vec<usize> = list.iter().map(|&(s, _)| s).collect();
            sites.dedup();
            let among: Vec<usize> = (0..t.placed.len())
                .filter(|&k| {
                    !t.removed[k]
                        && (k >= first_new
                            || sites.binary_search(&(t.placed[k].0 as usize)).is_ok())
                })
                .collect();
            cleanup_among(t, keep_objective, set.floor, Some(&among));
        }
    }
    if nbr.is_none() && t.sharing_first() && !keeps_r1(t) {
        return None;
    }
    let after = rank(t, set);
    (after < before).then_some(after)
}

/// Improves the plan by moves until none improves it, the trials are spent
/// or the wall-clock cap passes.
pub(crate) fn search<'a>(st: State<'a>, set: &Setting) -> (State<'a>, SearchOutcome) {
    let mut out = SearchOutcome::default();
    if set.moves == 0 {
        return (st, out);
    }
    let options = st.p.sites.len() * st.p.operators;
    let small = options <= WHOLE_INSTANCE;
    let nbr = (!small).then(|| Neighbours::new(&st));
    let mut st = st;
    let mut pool: Mutex<Vec<State<'a>>> = Mutex::new(Vec::new());
    let (mut cursor, mut since) = (0usize, 0usize);
    loop {
        let moves = moves_of(&st, small);
        if moves.is_empty() || since >= moves.len() || out.moves >= set.moves {
            break;
        }
        if set.deadline.is_some_and(|d| Instant::now() >= d) {
            out.time_limit_reached = true;
            break;
        }
        let start = cursor % moves.len();
        let n = CHUNK.min(moves.len()).min((set.moves - out.moves) as usize);
        let chunk: Vec<Move> = (0..n).map(|i| moves[(start + i) % moves.len()]).collect();
        // Each trial runs on a working copy equal to the plan, journalled
        // and undone after it: copies are made once per thread, not once
        // per trial.
        let results: Vec<Option<Rank>> = chunk
            .par_iter()
            .map(|&mv| {
                let taken = pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
                let mut t = taken.unwrap_or_else(|| st.clone());
                let mark = t.mark();
                let r = trial(&mut t, mv, set, nbr.as_ref());
                t.undo(mark);
                pool.lock().unwrap_or_else(|e| e.into_inner()).push(t);
                r
            })
            .collect();
        out.moves += n as u64;
        let best = results
            .into_iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (i, r)))
            .min_by_key(|&(i, r)| (r, i));
        match best {
            Some((i, r)) => {
                // The winning move made again on the plan and on every
                // working copy: the same plan each time.
                let keep = |t: &mut State<'a>| {
                    let mark = t.mark();
                    let again = trial(t, chunk[i], set, nbr.as_ref());
                    debug_assert_eq!(again, Some(r), "a trial depends on the plan alone");
                    t.commit(mark);
                };
                keep(&mut st);
                pool.get_mut()
                    .unwrap_or_else(|e| e.into_inner())
                    .par_iter_mut()
                    .for_each(keep);
                cursor = start + i + 1;
                since = 0;
                out.improvements += 1;
            }
            None => {
                cursor = start + n;
                since += n;
            }
        }
    }
    (st, out)
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::{solve, Mode, OtherSites, Params, Problem, Requirement, SiteChoice};

    /// One operator, items a and b; site A covers both for 10 yuan, B
    /// covers a for 4, C covers b for 7. The greedy takes B (best per
    /// yuan), then C: 11 yuan; the optimum is A alone.
    pub(crate) fn greedy_trap() -> Problem {
        let site = |cost, coverage: Vec<u32>| SiteChoice {
            existing: true,
            tenants: 1,
            lte: 0,
            capacity: 1,
            allowed: 1,
            build_cost_yuan: 0,
            overlay_cost_yuan: cost,
            tenant_cost_yuan: cost,
            coverage: vec![coverage.into()],
        };
        Problem {
            operators: 1,
            weights: vec![1, 1],
            covered_before: vec![vec![false; 2]],
            sites: vec![site(10, vec![0, 1]), site(4, vec![0]), site(7, vec![1])],
            requirements: vec![Requirement {
                operator: 0,
                items: vec![(0, 1), (1, 1)],
                min_weight: 2,
            }],
            other_sites: OtherSites::default(),
            r1_blockers: Vec::new(),
            preference_rank: Vec::new(),
        }
    }

    #[test]
    fn a_move_undoes_what_the_greedy_got_wrong() {
        let p = greedy_trap();
        let params = |search_moves| Params {
            mode: Mode::Targets,
            search_moves,
            ..Params::default()
        };
        let built = solve(&p, &params(0)).expect("solve");
        assert_eq!(built.cost_yuan, 11);
        assert_eq!(built.search.moves, 0);
        let searched = solve(&p, &params(100)).expect("solve");
        assert_eq!(searched.cost_yuan, 10);
        assert_eq!(searched.placements.len(), 1);
        assert!(searched.search.improvements >= 1);
        assert!(searched.search.moves <= 100);
        // The search ends at a local optimum well within its budget.
        assert!(!searched.search.time_limit_reached);
    }

    #[test]
    fn the_budget_caps_the_trials() {
        let p = greedy_trap();
        let params = Params {
            mode: Mode::Targets,
            search_moves: 1,
            ..Params::default()
        };
        assert_eq!(solve(&p, &params).expect("solve").search.moves, 1);
    }
}
