//! A plan under construction: who covers what, which sites are open and
//! shared, what it costs, and what each option would add.

use crate::problem::{Problem, StationKind, Weight, Yuan, MAX_REQUIREMENTS_PER_OPERATOR};
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};

/// Why a station is in the plan, as the replay of the finished plan finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Purpose {
    /// It newly covers items of this requirement (the first, by the
    /// requirements' order, that it adds to).
    Requirement(u16),
    /// It newly covers objective weight no requirement asks for.
    Coverage,
    /// It covers nothing new but makes its site shared (the sharing floor).
    Sharing,
    /// It covers nothing new and is there because the mode asks for a number
    /// of new sites.
    Count,
    /// It carries traffic the stations before it could not (a served-traffic
    /// share of its year: [`crate::capacity`]).
    Capacity,
}

/// Which step of the construction placed a station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Cause {
    /// Coverage: a requirement or the objective.
    Cover,
    /// The sharing floor.
    Share,
    /// The mode's count of new sites.
    Count,
    /// The served-traffic shares ([`crate::capacity`]).
    Capacity,
}

/// One new 4G station: operator `operator` on site `site`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Site index.
    pub site: u32,
    /// Operator index.
    pub operator: u8,
    /// Overlay, co-location or new site.
    pub kind: StationKind,
    /// What it costs, yuan: its station, plus the site's build cost if it is
    /// the first station on a new site in the plan's order.
    pub cost_yuan: Yuan,
    /// Objective weight it newly covers, in the plan's order.
    pub gain: Weight,
    /// Why it is in the plan.
    pub purpose: Purpose,
}

/// An option the greedy ranked below a station it chose, at the time of
/// the choice: the same operator on another site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alternative {
    /// Site index.
    pub site: u32,
    /// How the station would have landed there.
    pub kind: StationKind,
    /// Objective weight it would have newly covered then.
    pub gain: Weight,
    /// What it would have cost then, yuan (with the build cost where it
    /// would have opened a candidate).
    pub cost_yuan: Yuan,
}

/// Most alternatives kept per station.
pub const MAX_ALTERNATIVES: usize = 3;

/// Rows of values per index (compressed sparse rows).
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr<T> {
    offsets: Vec<usize>,
    values: Vec<T>,
}

impl<T: Copy + Default> Csr<T> {
    /// From `(row, value)` pairs over `rows` rows, keeping each row's order.
    pub(crate) fn from_pairs(rows: usize, pairs: impl Iterator<Item = (usize, T)> + Clone) -> Self {
        let mut offsets = vec![0usize; rows + 1];
        for (r, _) in pairs.clone() {
            offsets[r + 1] += 1;
        }
        for i in 0..rows {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut values = vec![T::default(); offsets[rows]];
        for (r, v) in pairs {
            values[fill[r]] = v;
            fill[r] += 1;
        }
        Csr { offsets, values }
    }

    pub(crate) fn row(&self, r: usize) -> &[T] {
        &self.values[self.offsets[r]..self.offsets[r + 1]]
    }
}

/// Per operator: item → the sites covering it.
pub(crate) fn item_sites(p: &Problem) -> Vec<Csr<u32>> {
    item_sites_where(p, |_, _| true)
}

/// Per operator `o`: item → the sites `s` covering it for which
/// `keep(s, o)`.
pub(crate) fn item_sites_where(
    p: &Problem,
    keep: impl Fn(usize, usize) -> bool + Copy + Sync,
) -> Vec<Csr<u32>> {
    (0..p.operators)
        .into_par_iter()
        .map(|o| {
            let pairs = p
                .sites
                .iter()
                .enumerate()
                .filter(move |&(s, _)| keep(s, o))
                .flat_map(move |(s, site)| {
                    site.coverage[o]
                        .iter()
                        .map(move |&d| (d as usize, s as u32))
                });
            Csr::from_pairs(p.weights.len(), pairs)
        })
        .collect()
}

/// What one option would add now.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Gains {
    /// Objective weight newly covered.
    pub objective: Weight,
    /// Per requirement of the operator (local index), weight newly covered.
    pub req: [Weight; MAX_REQUIREMENTS_PER_OPERATOR],
}

/// The plan so far.
#[derive(Clone)]
pub(crate) struct State<'a> {
    pub p: &'a Problem,
    sharing_first: bool,
    /// New sites the mode allows, if it caps them.
    pub max_new_sites: Option<u32>,
    /// Per operator and item: stations covering it, plus one if covered before.
    count: Vec<Vec<u32>>,
    /// Tenants now (before ∪ added).
    pub tenants: Vec<u8>,
    /// Operators with a new station on each site.
    pub added: Vec<u8>,
    /// Candidates with at least one station.
    pub opened: u32,
    /// Per operator, its requirements' ids (local index → id).
    pub req_of: Vec<Vec<usize>>,
    /// Per operator: item → (local requirement index, weight); shared by clones.
    item_req: Arc<Vec<Csr<(u8, Weight)>>>,
    /// Covered weight per requirement.
    pub req_covered: Vec<Weight>,
    /// Covered weight per requirement before the plan.
    pub req_before: Vec<Weight>,
    /// Weight per requirement that any plan could cover.
    pub req_achievable: Vec<Weight>,
    /// What each requirement asks for, capped at what is achievable.
    pub req_target: Vec<Weight>,
    /// Under R1: per operator and item, existing sites where the operator
    /// could still be placed that cover it.
    reach: Vec<Vec<u32>>,
    /// Built on first need and shared by clones: per operator, item →
    /// every site covering it ([`item_sites`]).
    all_sites: Arc<OnceLock<Arc<Vec<Csr<u32>>>>>,
    /// Per operator and item: stations on candidates covering it.
    cand_count: Vec<Vec<u32>>,
    /// Sites in the portfolio now (other, existing choices, opened).
    pub sites_total: u64,
    /// Shared sites in the portfolio now.
    pub shared_total: u64,
    /// Station costs of the placements, yuan.
    pub station_yuan: Yuan,
    /// Build costs of the opened candidates, yuan.
    pub build_yuan: Yuan,
    /// Placements in the order made; `removed` marks those taken out again.
    pub placed: Vec<(u32, u8)>,
    pub removed: Vec<bool>,
    /// The step that placed each.
    pub causes: Vec<Cause>,
    /// The step placing stations now.
    pub cause: Cause,
    /// Objective weight newly covered (items covered before count nothing).
    pub objective: Weight,
    /// Options the local search keeps out of one trial: (site, operator).
    pub forbid: Vec<(u32, u8)>,
    /// Alternatives of every placement, flat; `alt_of[k]` is placement
    /// `k`'s range in it.
    pub alts: Vec<Alternative>,
    pub alt_of: Vec<(u32, u8)>,
    /// Alternatives for the next placement (set by the greedy).
    pub pending_alts: Vec<Alternative>,
    /// While a trial runs ([`State::mark`]): what each placement and removal
    /// changed in the per-item tables, to be undone in reverse.
    journal: Vec<Undo>,
    /// Whether placements and removals are journalled now.
    recording: bool,
}

/// One journalled change: enough to invert a placement or a removal of
/// the per-item tables (`count`, `cand_count`, `reach`) exactly, and the
/// site's tenants and added operators before it.
#[derive(Debug, Clone, Copy)]
enum Undo {
    /// A placement (the last one then) of operator `o` on site `s`;
    /// `reach_ops`: the operators whose R1 reach over the site was taken
    /// away (a bit mask).
    Place {
        s: u32,
        o: u8,
        tenants: u8,
        added: u8,
        reach_ops: u8,
    },
    /// Placement `k` taken out; `freed_ops`: the operators whose R1 reach
    /// over its site came back (a bit mask).
    Remove {
        k: u32,
        tenants: u8,
        added: u8,
        freed_ops: u8,
    },
}

/// The state of the plan when a trial began ([`State::mark`]): the small
/// fields as they were, and how long the growing lists were.
pub(crate) struct Mark {
    placed: usize,
    alts: usize,
    opened: u32,
    sites_total: u64,
    shared_total: u64,
    station_yuan: Yuan,
    build_yuan: Yuan,
    objective: Weight,
    cause: Cause,
    req_covered: Vec<Weight>,
    forbid: Vec<(u32, u8)>,
    pending_alts: Vec<Alternative>,
}

impl<'a> State<'a> {
    /// The empty plan.
    pub(crate) fn new(p: &'a Problem, sharing_first: bool, max_new_sites: Option<u32>) -> Self {
        let k = p.operators;
        let n = p.weights.len();
        let count: Vec<Vec<u32>> = p
            .covered_before
            .iter()
            .map(|row| row.iter().map(|&c| c as u32).collect())
            .collect();
        let mut req_of = vec![Vec::new(); k];
        for (r, req) in p.requirements.iter().enumerate() {
            req_of[req.operator].push(r);
        }
        let item_req = (0..k)
            .map(|o| {
                let pairs = req_of[o].iter().enumerate().flat_map(|(l, &r)| {
                    p.requirements[r]
                        .items
                        .iter()
                        .map(move |&(d, w)| (d as usize, (l as u8, w)))
                });
                Csr::from_pairs(n, pairs)
            })
            .collect::<Vec<_>>();
        let item_req = Arc::new(item_req);
        // What any plan could cover: items covered before, or covered by a
        // site where the operator could be placed.
        let mut coverable: Vec<Vec<bool>> = p.covered_before.clone();
        for s in &p.sites {
            for (o, row) in coverable.iter_mut().enumerate() {
                if s.fits(o, s.tenants) {
                    for &d in s.coverage[o].iter() {
                        row[d as usize] = true;
                    }
                }
            }
        }
        let weigh = |r: usize, pick: &dyn Fn(usize, u32) -> bool| -> Weight {
            let req = &p.requirements[r];
            req.items
                .iter()
                .filter(|(d, _)| pick(req.operator, *d))
                .map(|(_, w)| *w)
                .sum()
        };
        let req_before: Vec<Weight> = (0..p.requirements.len())
            .map(|r| weigh(r, &|o, d| p.covered_before[o][d as usize]))
            .collect();
        let req_achievable: Vec<Weight> = (0..p.requirements.len())
            .map(|r| weigh(r, &|o, d| coverable[o][d as usize]))
            .collect();
        let req_target = p
            .requirements
            .iter()
            .zip(&req_achievable)
            .map(|(r, &a)| r.min_weight.min(a))
            .collect();
        let (sites_total, shared_total) = p.sharing_before();
        let mut st = State {
            p,
            sharing_first,
            max_new_sites,
            count,
            tenants: p.sites.iter().map(|s| s.tenants).collect(),
            added: vec![0; p.sites.len()],
            opened: 0,
            req_of,
            item_req,
            req_covered: req_before.clone(),
            req_before,
            req_achievable,
            req_target,
            reach: Vec::new(),
            all_sites: Arc::default(),
            sites_total,
            shared_total,
            cand_count: vec![vec![0u32; n]; k],
            station_yuan: 0,
            build_yuan: 0,
            placed: Vec::new(),
            removed: Vec::new(),
            causes: Vec::new(),
            cause: Cause::Cover,
            objective: 0,
            forbid: Vec::new(),
            alts: Vec::new(),
            alt_of: Vec::new(),
            pending_alts: Vec::new(),
            journal: Vec::new(),
            recording: false,
        };
        if sharing_first {
            st.reach = vec![vec![0u32; n]; k];
            for (s, site) in p.sites.iter().enumerate() {
                if !site.existing {
                    continue;
                }
                for o in 0..k {
                    if st.available(s, o) {
                        for &d in site.coverage[o].iter() {
                            st.reach[o][d as usize] += 1;
                        }
                    }
                }
            }
        }
        st
    }

    /// Whether R1 (sharing first) binds.
    pub(crate) fn sharing_first(&self) -> bool {
        self.sharing_first
    }

    /// Whether operator `o` may still get a station on site `s`.
    pub(crate) fn available(&self, s: usize, o: usize) -> bool {
        let site = &self.p.sites[s];
        if self.added[s] & (1 << o) != 0 {
            return false;
        }
        if !self.forbid.is_empty() && self.forbid.contains(&(s as u32, o as u8)) {
            return false;
        }
        if !site.existing && self.added[s] == 0 {
            if let Some(max) = self.max_new_sites {
                if self.opened >= max {
                    return false;
                }
            }
        }
        if !site.fits(o, self.tenants[s]) {
            return false;
        }
        // R1's share: not while an existing site that would give the
        // operator most of this site's new coverage can still take it.
        !self.p.blockers(s, o).iter().any(|&b| {
            let b = b as usize;
            self.added[b] & (1 << o) == 0 && self.p.sites[b].fits(o, self.tenants[b])
        })
    }

    /// The station's own cost (without any build cost).
    pub(crate) fn station_cost(&self, s: usize, o: usize) -> Yuan {
        self.p.sites[s].station_cost(o)
    }

    /// What placing it would cost now: its station, and the build cost if
    /// it would open a candidate.
    pub(crate) fn cost(&self, s: usize, o: usize) -> Yuan {
        let site = &self.p.sites[s];
        let build = if !site.existing && self.added[s] == 0 {
            site.build_cost_yuan
        } else {
            0
        };
        self.station_cost(s, o) + build
    }

    /// Placing it: (whether the site becomes shared, whether a site opens).
    pub(crate) fn sharing_delta(&self, s: usize, o: usize) -> (bool, bool) {
        let site = &self.p.sites[s];
        let now = self.tenants[s];
        let after = now | (1 << o);
        (
            now.count_ones() < 2 && after.count_ones() >= 2,
            !site.existing && self.added[s] == 0,
        )
    }

    /// What it would newly cover now. Under R1 a candidate's station counts
    /// only items no existing site where the operator could still go covers.
    pub(crate) fn gains(&self, s: usize, o: usize) -> Gains {
        let site = &self.p.sites[s];
        let restrict = self.sharing_first && !site.existing;
        let count = &self.count[o];
        let mut g = Gains::default();
        for &d in site.coverage[o].iter() {
            let d = d as usize;
            if count[d] != 0 || (restrict && self.reach[o][d] != 0) {
                continue;
            }
            g.objective += self.p.weights[d];
            for &(l, w) in self.item_req[o].row(d) {
                g.req[l as usize] += w;
            }
        }
        g
    }

    /// Whether the share of shared sites reaches `min` (or no floor).
    pub(crate) fn floor_met(&self, min: Option<f64>) -> bool {
        min.is_none_or(|m| self.shared_total as f64 >= m * self.sites_total as f64)
    }

    /// Total cost now, yuan.
    pub(crate) fn cost_yuan(&self) -> Yuan {
        self.station_yuan + self.build_yuan
    }

    /// Objective weight newly covered now, all operators.
    pub(crate) fn objective(&self) -> Weight {
        self.objective
    }

    /// Whether every requirement has the weight it asks for (not only what
    /// is achievable of it).
    pub(crate) fn meets_every_requirement(&self) -> bool {
        self.req_covered
            .iter()
            .zip(&self.p.requirements)
            .all(|(&c, r)| c >= r.min_weight)
    }

    /// Per requirement, whether it has the weight it asks for.
    pub(crate) fn requirements_met(&self) -> Vec<bool> {
        self.req_covered
            .iter()
            .zip(&self.p.requirements)
            .map(|(&c, r)| c >= r.min_weight)
            .collect()
    }

    /// What the requirements still lack, summed (each in its own weight).
    pub(crate) fn shortfall(&self) -> u64 {
        self.req_covered
            .iter()
            .zip(&self.req_target)
            .map(|(c, t)| t.saturating_sub(*c))
            .sum()
    }

    /// Requirements not yet met.
    pub(crate) fn unmet(&self) -> usize {
        self.req_covered
            .iter()
            .zip(&self.req_target)
            .filter(|(c, t)| c < t)
            .count()
    }

    /// The first requirement (by id) of operator `o` that holds item `d`.
    pub(crate) fn requirement_of(&self, o: usize, d: usize) -> Option<usize> {
        self.item_req[o]
            .row(d)
            .iter()
            .map(|&(l, _)| self.req_of[o][l as usize])
            .min()
    }

    /// The requirements (by id) of operator `o` that hold item `d`, with
    /// the item's weight in each.
    pub(crate) fn requirements_of(
        &self,
        o: usize,
        d: usize,
    ) -> impl Iterator<Item = (usize, Weight)> + '_ {
        self.item_req[o]
            .row(d)
            .iter()
            .map(move |&(l, w)| (self.req_of[o][l as usize], w))
    }

    /// Remaining deficit of the operator's requirement with local index `l`.
    pub(crate) fn deficit(&self, o: usize, l: usize) -> Weight {
        let r = self.req_of[o][l];
        self.req_target[r].saturating_sub(self.req_covered[r])
    }

    /// Places a station; returns the options whose value may have risen
    /// (the site's others, and under R1 candidates whose demand no existing
    /// site can take any more).
    pub(crate) fn place(&mut self, s: usize, o: usize) -> Vec<(usize, usize)> {
        let p = self.p;
        let site = &p.sites[s];
        let k = p.operators;
        let station = self.station_cost(s, o);
        let opens = !site.existing && self.added[s] == 0;
        let was_open: Vec<usize> = if self.sharing_first && site.existing {
            (0..k)
                .filter(|&o2| o2 != o && self.tenants[s] & (1 << o2) == 0 && self.available(s, o2))
                .collect()
        } else {
            Vec::new()
        };
        let (tenants_was, added_was) = (self.tenants[s], self.added[s]);
        for &d in site.coverage[o].iter() {
            let c = &mut self.count[o][d as usize];
            if *c == 0 {
                self.objective += p.weights[d as usize];
                for &(l, w) in self.item_req[o].row(d as usize) {
                    self.req_covered[self.req_of[o][l as usize]] += w;
                }
            }
            *c += 1;
            if !site.existing {
                self.cand_count[o][d as usize] += 1;
            }
        }
        let before = self.tenants[s].count_ones();
        self.tenants[s] |= 1 << o;
        self.added[s] |= 1 << o;
        if before < 2 && self.tenants[s].count_ones() >= 2 {
            self.shared_total += 1;
        }
        if opens {
            self.opened += 1;
            self.sites_total += 1;
            self.build_yuan += site.build_cost_yuan;
        }
        self.station_yuan += station;
        self.placed.push((s as u32, o as u8));
        self.removed.push(false);
        self.causes.push(self.cause);
        self.alt_of
            .push((self.alts.len() as u32, self.pending_alts.len() as u8));
        self.alts.append(&mut self.pending_alts);

        let mut again: Vec<(usize, usize)> = (0..k).map(|o2| (s, o2)).collect();
        let mut reach_ops = 0u8;
        for o2 in was_open {
            if self.available(s, o2) {
                continue;
            }
            reach_ops |= 1 << o2;
            let mut freed = Vec::new();
            for &d in site.coverage[o2].iter() {
                let r = &mut self.reach[o2][d as usize];
                *r -= 1;
                if *r == 0 && self.count[o2][d as usize] == 0 {
                    freed.push(d);
                }
            }
            if freed.is_empty() {
                continue;
            }
            let all = self.item_sites();
            let sites = &self.p.sites;
            let mut cands: Vec<u32> = freed
                .iter()
                .flat_map(|&d| all[o2].row(d as usize).iter().copied())
                .filter(|&c| !sites[c as usize].existing)
                .collect();
            cands.sort_unstable();
            cands.dedup();
            again.extend(cands.into_iter().map(|c| (c as usize, o2)));
        }
        if self.recording {
            self.journal.push(Undo::Place {
                s: s as u32,
                o: o as u8,
                tenants: tenants_was,
                added: added_was,
                reach_ops,
            });
        }
        again
    }

    /// Per operator, item → every site covering it, built once for this
    /// plan and its copies.
    pub(crate) fn item_sites(&self) -> Arc<Vec<Csr<u32>>> {
        self.all_sites
            .get_or_init(|| Arc::new(item_sites(self.p)))
            .clone()
    }

    /// What taking placement `k` out would lose: objective weight and, per
    /// requirement id, weight no other station covers.
    pub(crate) fn loss(&self, k: usize) -> (Weight, Vec<(usize, Weight)>) {
        let (s, o) = (self.placed[k].0 as usize, self.placed[k].1 as usize);
        let mut objective = 0;
        let mut req = [0 as Weight; MAX_REQUIREMENTS_PER_OPERATOR];
        for &d in self.p.sites[s].coverage[o].iter() {
            if self.count[o][d as usize] == 1 {
                objective += self.p.weights[d as usize];
                for &(l, w) in self.item_req[o].row(d as usize) {
                    req[l as usize] += w;
                }
            }
        }
        let req = self.req_of[o]
            .iter()
            .enumerate()
            .filter(|(l, _)| req[*l] > 0)
            .map(|(l, &r)| (r, req[l]))
            .collect();
        (objective, req)
    }

    /// What taking placement `k` out would save, yuan (with the build cost
    /// when it is the site's last station).
    pub(crate) fn saving(&self, k: usize) -> Yuan {
        let (s, o) = (self.placed[k].0 as usize, self.placed[k].1 as usize);
        let site = &self.p.sites[s];
        let last = !site.existing && self.added[s] == 1 << o;
        self.station_cost(s, o) + if last { site.build_cost_yuan } else { 0 }
    }

    /// Sharing after taking placement `k` out: (shared, total).
    pub(crate) fn sharing_without(&self, k: usize) -> (u64, u64) {
        let (s, o) = (self.placed[k].0 as usize, self.placed[k].1 as usize);
        let site = &self.p.sites[s];
        let after = if site.tenants & (1 << o) != 0 {
            self.tenants[s]
        } else {
            self.tenants[s] & !(1 << o)
        };
        let unshares = self.tenants[s].count_ones() >= 2 && after.count_ones() < 2;
        let closes = !site.existing && self.added[s] == 1 << o;
        (
            self.shared_total - unshares as u64,
            self.sites_total - closes as u64,
        )
    }

    /// Operators other than the one of placement `k` that taking it out
    /// would let onto its existing site again: the site is full now and
    /// would have a free slot. Under R1 their reach grows back.
    fn freed_by(&self, k: usize) -> Vec<usize> {
        let (s, o) = (self.placed[k].0 as usize, self.placed[k].1 as usize);
        let site = &self.p.sites[s];
        if !self.sharing_first || !site.existing || site.tenants & (1 << o) != 0 {
            return Vec::new();
        }
        let after = self.tenants[s] & !(1 << o);
        (0..self.p.operators)
            .filter(|&o2| {
                o2 != o
                    && self.added[s] & (1 << o2) == 0
                    && !site.fits(o2, self.tenants[s])
                    && site.fits(o2, after)
            })
            .collect()
    }

    /// Under R1, whether taking placement `k` out would let an operator onto
    /// an existing site (its own station's operator, or one a freed slot
    /// lets on) whose stations on new sites cover some of the demand it
    /// could then serve there: sharing first would put it on the existing
    /// site instead.
    pub(crate) fn removal_breaks_r1(&self, k: usize) -> bool {
        let (s, o) = (self.placed[k].0 as usize, self.placed[k].1 as usize);
        if !self.sharing_first || !self.p.sites[s].existing {
            return false;
        }
        let mut ops = self.freed_by(k);
        ops.push(o);
        ops.into_iter().any(|o2| {
            self.p.sites[s].coverage[o2]
                .iter()
                .any(|&d| self.cand_count[o2][d as usize] > 0)
        })
    }

    /// Takes placement `k` out, keeping R1's reach: operators it lets onto
    /// the site again count it again.
    pub(crate) fn remove(&mut self, k: usize) {
        let (s, o) = (self.placed[k].0 as usize, self.placed[k].1 as usize);
        let freed = self.freed_by(k);
        let site = &self.p.sites[s];
        if self.recording {
            self.journal.push(Undo::Remove {
                k: k as u32,
                tenants: self.tenants[s],
                added: self.added[s],
                freed_ops: freed.iter().fold(0u8, |m, &o2| m | 1 << o2),
            });
        }
        for &d in site.coverage[o].iter() {
            let c = &mut self.count[o][d as usize];
            *c -= 1;
            if *c == 0 {
                self.objective -= self.p.weights[d as usize];
                for &(l, w) in self.item_req[o].row(d as usize) {
                    self.req_covered[self.req_of[o][l as usize]] -= w;
                }
            }
            if !site.existing {
                self.cand_count[o][d as usize] -= 1;
            }
        }
        for o2 in freed {
            for &d in site.coverage[o2].iter() {
                self.reach[o2][d as usize] += 1;
            }
        }
        let (shared, total) = self.sharing_without(k);
        self.station_yuan -= self.station_cost(s, o);
        if total < self.sites_total {
            self.opened -= 1;
            self.build_yuan -= site.build_cost_yuan;
        }
        self.shared_total = shared;
        self.sites_total = total;
        if site.tenants & (1 << o) == 0 {
            self.tenants[s] &= !(1 << o);
        }
        self.added[s] &= !(1 << o);
        self.removed[k] = true;
    }

    /// Begins a trial: from now on placements and removals are journalled,
    /// so that [`State::undo`] can bring the plan back to what it is now
    /// (or [`State::commit`] keep what the trial made). Trials do not nest.
    pub(crate) fn mark(&mut self) -> Mark {
        debug_assert!(!self.recording, "trials do not nest");
        self.recording = true;
        self.journal.clear();
        Mark {
            placed: self.placed.len(),
            alts: self.alts.len(),
            opened: self.opened,
            sites_total: self.sites_total,
            shared_total: self.shared_total,
            station_yuan: self.station_yuan,
            build_yuan: self.build_yuan,
            objective: self.objective,
            cause: self.cause,
            req_covered: self.req_covered.clone(),
            forbid: self.forbid.clone(),
            pending_alts: self.pending_alts.clone(),
        }
    }

    /// Keeps what the trial begun at `_mark` made.
    pub(crate) fn commit(&mut self, _mark: Mark) {
        self.recording = false;
        self.journal.clear();
    }

    /// Brings the plan back to what it was at `mark`, exactly: every
    /// journalled placement and removal inverted, newest first (the tables
    /// hold counts, so the inverse of each step is exact), the small fields
    /// and the lists' lengths as they were. Caches built meanwhile (the
    /// item → sites index) stay: they depend on the problem alone.
    pub(crate) fn undo(&mut self, mark: Mark) {
        let p = self.p;
        let ops = |mask: u8| (0..8usize).filter(move |o| mask & (1 << o) != 0);
        while let Some(u) = self.journal.pop() {
            match u {
                Undo::Place {
                    s,
                    o,
                    tenants,
                    added,
                    reach_ops,
                } => {
                    let (s, o) = (s as usize, o as usize);
                    let site = &p.sites[s];
                    for &d in site.coverage[o].iter() {
                        self.count[o][d as usize] -= 1;
                        if !site.existing {
                            self.cand_count[o][d as usize] -= 1;
                        }
                    }
                    for o2 in ops(reach_ops) {
                        for &d in site.coverage[o2].iter() {
                            self.reach[o2][d as usize] += 1;
                        }
                    }
                    self.tenants[s] = tenants;
                    self.added[s] = added;
                }
                Undo::Remove {
                    k,
                    tenants,
                    added,
                    freed_ops,
                } => {
                    let k = k as usize;
                    let (s, o) = (self.placed[k].0 as usize, self.placed[k].1 as usize);
                    let site = &p.sites[s];
                    for &d in site.coverage[o].iter() {
                        self.count[o][d as usize] += 1;
                        if !site.existing {
                            self.cand_count[o][d as usize] += 1;
                        }
                    }
                    for o2 in ops(freed_ops) {
                        for &d in site.coverage[o2].iter() {
                            self.reach[o2][d as usize] -= 1;
                        }
                    }
                    self.tenants[s] = tenants;
                    self.added[s] = added;
                    self.removed[k] = false;
                }
            }
        }
        self.recording = false;
        self.placed.truncate(mark.placed);
        self.removed.truncate(mark.placed);
        self.causes.truncate(mark.placed);
        self.alt_of.truncate(mark.placed);
        self.alts.truncate(mark.alts);
        self.opened = mark.opened;
        self.sites_total = mark.sites_total;
        self.shared_total = mark.shared_total;
        self.station_yuan = mark.station_yuan;
        self.build_yuan = mark.build_yuan;
        self.objective = mark.objective;
        self.cause = mark.cause;
        self.req_covered = mark.req_covered;
        self.forbid = mark.forbid;
        self.pending_alts = mark.pending_alts;
    }

    /// Gives the slot of placement `k` (a new tenant) to operator `o`
    /// instead: takes `k` out and places `o` (whose placement counts the
    /// evicted operator's lost slot).
    pub(crate) fn evict(&mut self, k: usize, o: usize) -> Vec<(usize, usize)> {
        let s = self.placed[k].0 as usize;
        self.remove(k);
        self.place(s, o)
    }

    /// Whether operator `o` is kept off site `s` by its capacity alone.
    pub(crate) fn blocked_by_capacity(&self, s: usize, o: usize) -> bool {
        let site = &self.p.sites[s];
        let bit = 1u8 << o;
        site.allowed & bit != 0
            && site.lte & bit == 0
            && self.added[s] & bit == 0
            && site.tenants & bit == 0
            && (self.tenants[s].count_ones() as u8) >= site.capacity
    }

    /// Items of requirement `r` still uncovered.
    pub(crate) fn uncovered_items(&self, r: usize) -> Vec<u32> {
        let req = &self.p.requirements[r];
        req.items
            .iter()
            .filter(|(d, _)| self.count[req.operator][*d as usize] == 0)
            .map(|(d, _)| *d)
            .collect()
    }

    /// The alternatives recorded for placement `k`.
    pub(crate) fn alternatives(&self, k: usize) -> &[Alternative] {
        let (at, n) = self.alt_of[k];
        &self.alts[at as usize..at as usize + n as usize]
    }

    /// Placements still in the plan, in the order made, with what placed them.
    pub(crate) fn kept(&self) -> Vec<(usize, usize, Cause)> {
        (0..self.placed.len())
            .filter(|&k| !self.removed[k])
            .map(|k| {
                let (s, o) = self.placed[k];
                (s as usize, o as usize, self.causes[k])
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::{OtherSites, Requirement, SiteChoice};

    /// Two operators; existing sites 0 (tenant 0, one slot) and 1 (no
    /// tenant, one slot), candidates 2 and 3; six items, overlapping.
    fn small() -> Problem {
        let site =
            |existing: bool, tenants: u8, capacity: u8, coverage: Vec<Vec<u32>>| SiteChoice {
                existing,
                tenants,
                lte: 0,
                capacity,
                allowed: 0b11,
                build_cost_yuan: if existing { 0 } else { 50 },
                overlay_cost_yuan: 10,
                tenant_cost_yuan: 20,
                coverage: coverage.into_iter().map(Into::into).collect(),
            };
        Problem {
            operators: 2,
            weights: vec![1, 2, 3, 4, 5, 6],
            covered_before: vec![vec![false; 6], vec![false; 6]],
            sites: vec![
                site(true, 1, 1, vec![vec![0, 1], vec![0, 1, 2]]),
                site(true, 0, 1, vec![vec![2, 3], vec![3]]),
                site(false, 0, 2, vec![vec![1, 2, 4], vec![4, 5]]),
                site(false, 0, 2, vec![vec![3, 5], vec![0, 5]]),
            ],
            requirements: vec![Requirement {
                operator: 1,
                items: vec![(0, 1), (3, 1), (5, 1)],
                min_weight: 3,
            }],
            other_sites: OtherSites::default(),
            r1_blockers: Vec::new(),
            preference_rank: Vec::new(),
        }
    }

    /// Everything a trial may change, to compare.
    #[allow(clippy::type_complexity)]
    fn snapshot(
        st: &State<'_>,
    ) -> (
        Vec<Vec<u32>>,
        Vec<Vec<u32>>,
        Vec<Vec<u32>>,
        Vec<u8>,
        Vec<u8>,
        Vec<(u32, u8)>,
        Vec<bool>,
        usize,
        (u32, u64, u64, Yuan, Yuan, Weight, Vec<Weight>),
    ) {
        (
            st.count.clone(),
            st.reach.clone(),
            st.cand_count.clone(),
            st.tenants.clone(),
            st.added.clone(),
            st.placed.clone(),
            st.removed.clone(),
            st.alts.len() + st.causes.len() + st.alt_of.len(),
            (
                st.opened,
                st.sites_total,
                st.shared_total,
                st.station_yuan,
                st.build_yuan,
                st.objective,
                st.req_covered.clone(),
            ),
        )
    }

    #[test]
    fn undo_brings_the_plan_back_exactly() {
        let p = small();
        for sharing_first in [false, true] {
            let mut st = State::new(&p, sharing_first, None);
            st.place(2, 0);
            st.place(0, 0);
            let before = snapshot(&st);
            let mark = st.mark();
            st.place(1, 1);
            st.remove(0);
            st.place(3, 1);
            st.forbid.push((2, 1));
            st.evict(2, 0);
            st.remove(1);
            st.undo(mark);
            assert_eq!(snapshot(&st), before, "sharing first: {sharing_first}");
            assert!(st.forbid.is_empty());
            // Kept, a trial leaves what the same steps leave unjournalled.
            let mut plain = st.clone();
            let mark = st.mark();
            for t in [&mut st, &mut plain] {
                t.place(1, 1);
                t.remove(0);
                t.place(3, 0);
            }
            st.commit(mark);
            assert_eq!(snapshot(&st), snapshot(&plain));
        }
    }
}
