//! Traffic and capacity, year by year.
//!
//! Each demand item offers each operator a busy-hour traffic per year
//! (bit/s). In a year, the item's traffic goes to its operator's **best
//! server**: the least path loss among the operator's stations that cover
//! it and stand that year (its 4G stations before the plan, and the plan's
//! stations whose year has come); ties go to the lower server number
//! (stations before the plan first, then by site). A server carries at most
//! its capacity: its **served** traffic is `min(load, capacity)`. An
//! operator's served share in a year is its served traffic over the traffic
//! of the items it covers that year.
//!
//! The capacity step of [`solve()`](crate::solve()) meets a least served
//! share per operator and year ([`Capacity::min_served_share`], in every
//! group of [`Capacity::item_group`] where given), year by year in order,
//! where the coverage plan alone leaves stations overloaded. Among the
//! stations that would take items from an overloaded server (a station of
//! the plan that stands only in a later year, brought forward at no cost;
//! an overlay, a co-location or a new site, with R1 and the slots as for
//! coverage, and a new site only from the year its lead time allows), a
//! lazy greedy places the one that closes most of the shortfall per yuan,
//! the cheaper kind on ties, and values afresh the options around every
//! server whose load changed. A server no station relieves is left
//! overloaded and reported.
//!
//! Where no such station closes any of a shortfall, a second pass places
//! the ones that add most to the short groups' served traffic (counted up
//! to their requirement) per yuan, so that a share no plan can reach is
//! still approached. Adding a station never takes traffic from an item, but
//! it can lower the served total, where it takes more traffic than it
//! carries from a server that carried it all: neither pass places a station
//! that does not gain.
//!
//! After the floor is restored, a clean-up takes out the stations the
//! capacity stations made redundant: a station comes out where every
//! target still holds, every requirement in its year, and no group serves
//! less or falls further short in any year.

use crate::problem::{Problem, ProblemError, StationKind};
use crate::state::{item_sites_where, Cause, Csr, State};
use rayon::prelude::*;
use std::collections::BinaryHeap;
use std::sync::Arc;

/// Traffic, bit/s.
pub type Bps = u64;

/// Path loss in hundredths of a dB: integers, so the best server is the
/// same on every machine.
pub type CentiDb = u16;

/// Path loss in dB as [`CentiDb`], rounded half away from zero and
/// saturating at 0 and 655.35 dB (NaN gives 0).
///
/// ```
/// use siting_optimize::capacity::centi_db;
/// assert_eq!(centi_db(123.455), 12346);
/// assert_eq!(centi_db(-3.0), 0);
/// assert_eq!(centi_db(700.0), u16::MAX);
/// ```
pub fn centi_db(loss_db: f64) -> CentiDb {
    let x = loss_db * 100.0;
    // NaN and non-positive losses give 0.
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    if x >= f64::from(CentiDb::MAX) {
        return CentiDb::MAX;
    }
    // `f64::round` is a libm call on baseline x86-64 (no SSE4.1), once
    // per path loss; for 0 < x < 65535 truncation and the fraction give
    // the same result, exactly, inline.
    let whole = x as u32;
    (whole + u32::from(x - f64::from(whole) >= 0.5)) as CentiDb
}

/// A 4G station standing before the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// Its operator.
    pub operator: u8,
    /// Busy-hour traffic it carries at most, bit/s.
    pub capacity_bps: Bps,
    /// The demand items it covers, ascending (shared with whoever computed
    /// them).
    pub coverage: Arc<[u32]>,
    /// Path loss to each of them (aligned with `coverage`; shared with
    /// the site's [`Capacity::loss_cdb`] where the site is also a choice).
    pub loss_cdb: Arc<[CentiDb]>,
}

/// The traffic side of an instance: what the demand offers each year and
/// what stations carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Years of the plan (at least 1, at most 255); years are indices here.
    pub years: usize,
    /// Per operator, per year, each demand item's busy-hour traffic, bit/s;
    /// an empty row for none.
    pub traffic_bps: Vec<Vec<Vec<u32>>>,
    /// Per operator, per year, the least served share of the traffic of
    /// the items it covers, 0..1 (0: none asked).
    pub min_served_share: Vec<Vec<f64>>,
    /// The operators' 4G stations before the plan.
    pub existing: Vec<Server>,
    /// Per site of the problem, per operator: path loss of a station there
    /// to each item of its coverage set (aligned with
    /// [`SiteChoice::coverage`](crate::SiteChoice::coverage)), shared with
    /// whoever computed them.
    pub loss_cdb: Vec<Vec<Arc<[CentiDb]>>>,
    /// Per site, per operator: the traffic a new station there carries at
    /// most, bit/s.
    pub station_bps: Vec<Vec<Bps>>,
    /// Per site, the first year a station may stand there (R8's lead time
    /// for a new tower); empty for year 0 everywhere.
    pub earliest_year: Vec<u8>,
    /// Per requirement of the problem, the year by which it must be met.
    pub requirement_year: Vec<u8>,
    /// The year of stations placed for coverage no requirement asks for.
    pub coverage_year: u8,
    /// The year of stations placed for the sharing floor or a count of sites.
    pub sharing_year: u8,
    /// Whether to add stations for the served shares (the `targets` mode);
    /// otherwise loads are only reported.
    pub add_stations: bool,
    /// Per demand item, the group its served share is counted in (a
    /// district, say): the share must then hold in every group. Empty for
    /// one group, the whole area.
    pub item_group: Vec<u32>,
}

/// Why a station stands in its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum YearDriver {
    /// The year its purpose's target asks for (a coverage requirement's,
    /// the sharing floor's, the plan's last for other coverage).
    Target,
    /// The load of that year: placed for capacity, or brought forward from
    /// a later year because the load of this one needed it.
    Load,
    /// Later than its target asks: a new tower's planning-approval lead
    /// time (R8) allows no earlier year.
    LeadTime,
}

impl YearDriver {
    /// `target`, `load`, `lead_time`.
    pub fn code(self) -> &'static str {
        match self {
            YearDriver::Target => "target",
            YearDriver::Load => "load",
            YearDriver::LeadTime => "lead_time",
        }
    }
}

/// One operator's traffic in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ServedTraffic {
    /// Traffic of the items its stations cover that year, bit/s.
    pub covered_bps: Bps,
    /// Traffic its stations carry, bit/s.
    pub served_bps: Bps,
    /// Traffic of the items no station of it covers, bit/s.
    pub uncovered_bps: Bps,
    /// The served traffic asked for: the least share of `covered_bps`, bit/s.
    pub required_bps: Bps,
}

impl ServedTraffic {
    /// Whether the served traffic reaches what is asked.
    pub fn met(&self) -> bool {
        self.served_bps >= self.required_bps
    }

    /// Served over covered traffic, 0..1 (1 with none).
    pub fn served_share(&self) -> f64 {
        if self.covered_bps == 0 {
            1.0
        } else {
            self.served_bps as f64 / self.covered_bps as f64
        }
    }
}

/// Loads and served traffic of a finished plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CapacityOutcome {
    /// Per operator, per year, over the whole area.
    pub traffic: Vec<Vec<ServedTraffic>>,
    /// Per operator, per year, per group of [`Capacity::item_group`] (the
    /// served share holds in each; `served_bps` there counts each item's
    /// share of what its server carries, rounded).
    pub groups: Vec<Vec<Vec<ServedTraffic>>>,
    /// Per placement of the solution (its order), per year: the traffic of
    /// the items it is the best server of (its offered load; 0 before its
    /// year), bit/s.
    pub station_load_bps: Vec<Vec<Bps>>,
    /// Per placement, what it carries at most, bit/s.
    pub station_capacity_bps: Vec<Bps>,
    /// Per station before the plan, per year: its offered load, bit/s.
    pub existing_load_bps: Vec<Vec<Bps>>,
    /// Stations placed for capacity.
    pub added: usize,
    /// Stations of the coverage plan brought forward to an earlier year by load.
    pub brought_forward: usize,
}

impl Capacity {
    /// Checks the shapes against the problem, the shares and the years.
    pub fn validate(&self, p: &Problem) -> Result<(), ProblemError> {
        let bad = |m: String| Err(ProblemError::Capacity(m));
        let (k, n, y) = (p.operators, p.weights.len(), self.years);
        if y == 0 || y > 255 {
            return bad(format!("{y} years: between 1 and 255 are supported"));
        }
        if self.traffic_bps.len() != k || self.min_served_share.len() != k {
            return bad(format!(
                "traffic and served shares must have one row per operator ({k})"
            ));
        }
        for o in 0..k {
            if self.traffic_bps[o].len() != y || self.min_served_share[o].len() != y {
                return bad(format!(
                    "operator {o}: traffic and served shares must have one row per year ({y})"
                ));
            }
            if let Some(row) = self.traffic_bps[o]
                .iter()
                .find(|r| !r.is_empty() && r.len() != n)
            {
                return bad(format!(
                    "operator {o}: a traffic row has {} entries, expected {n} demand items",
                    row.len()
                ));
            }
            if let Some(s) = self.min_served_share[o]
                .iter()
                .find(|s| !(s.is_finite() && (0.0..=1.0).contains(*s)))
            {
                return bad(format!("operator {o}: served share {s} is outside 0..1"));
            }
        }
        if !self.has_traffic() {
            // Years only: no losses or capacities needed.
        } else if self.loss_cdb.len() != p.sites.len() || self.station_bps.len() != p.sites.len() {
            return bad("loss and station capacity must have one row per site".into());
        }
        for (s, site) in p.sites.iter().enumerate().filter(|_| self.has_traffic()) {
            if self.loss_cdb[s].len() != k || self.station_bps[s].len() != k {
                return bad(format!(
                    "site {s}: loss and capacity need one entry per operator"
                ));
            }
            for o in 0..k {
                if self.loss_cdb[s][o].len() != site.coverage[o].len() {
                    return bad(format!("site {s}, operator {o}: one loss per covered item"));
                }
            }
        }
        if !self.earliest_year.is_empty() && self.earliest_year.len() != p.sites.len() {
            return bad("earliest_year must have one entry per site, or none".into());
        }
        let last = (y - 1) as u8;
        if self.earliest_year.iter().any(|&e| e > last)
            || self.requirement_year.iter().any(|&e| e > last)
            || self.coverage_year > last
            || self.sharing_year > last
        {
            return bad(format!("a year index beyond the plan's {y} years"));
        }
        if !self.item_group.is_empty() && self.item_group.len() != n {
            return bad(format!(
                "item_group has {} entries, expected {n} demand items",
                self.item_group.len()
            ));
        }
        if self.requirement_year.len() != p.requirements.len() {
            return bad("requirement_year must have one entry per requirement".into());
        }
        for (e, sv) in self.existing.iter().enumerate() {
            let ascending = sv.coverage.windows(2).all(|w| w[0] < w[1]);
            if sv.operator as usize >= k
                || sv.loss_cdb.len() != sv.coverage.len()
                || !ascending
                || sv.coverage.last().is_some_and(|&d| d as usize >= n)
            {
                return bad(format!(
                    "existing station {e}: operator, coverage or losses malformed"
                ));
            }
        }
        Ok(())
    }

    /// Whether any demand offers any traffic: without, the instance only
    /// sets each station's year from its target and its site's lead time.
    pub fn has_traffic(&self) -> bool {
        self.traffic_bps.iter().flatten().any(|row| !row.is_empty())
    }

    /// Groups the served share is counted in (1 without `item_group`).
    pub fn groups(&self) -> usize {
        self.item_group.iter().max().map_or(1, |&g| g as usize + 1)
    }

    fn group(&self, d: u32) -> u32 {
        self.item_group.get(d as usize).copied().unwrap_or(0)
    }

    fn earliest(&self, s: usize) -> u8 {
        self.earliest_year.get(s).copied().unwrap_or(0)
    }

    fn traffic(&self, o: usize, y: usize, d: u32) -> Bps {
        self.traffic_bps[o][y]
            .get(d as usize)
            .map_or(0, |&t| Bps::from(t))
    }
}

/// No server.
const NONE: (CentiDb, u32) = (CentiDb::MAX, u32::MAX);

/// An item and the (loss, server) it would go to.
type Reassigned = (u32, (CentiDb, u32));

/// Shortfalls below this many bit/s count as none (float noise).
const EPSILON_BPS: f64 = 0.5;

/// One operator's best servers and loads in one year.
#[derive(Clone)]
struct Assignment<'a> {
    cap: &'a Capacity,
    p: &'a Problem,
    o: usize,
    y: usize,
    /// Per item, (loss, server) of its best server, or [`NONE`].
    best: Vec<(CentiDb, u32)>,
    /// Per server (existing `0..E`, then `E + site`), its offered load.
    load: Vec<Bps>,
    /// Per server, its offered load by group, `(group, bit/s)`.
    by_group: Vec<Vec<(u32, Bps)>>,
    /// Per server, whether it stands this year.
    active: Vec<bool>,
    /// Per group, traffic of the covered items.
    covered_g: Vec<Bps>,
    /// Per group, traffic carried: each item's share of what its server
    /// carries (`min(load, capacity) / load` of its traffic).
    served_g: Vec<f64>,
    covered: Bps,
    served: Bps,
}

impl<'a> Assignment<'a> {
    fn new(cap: &'a Capacity, p: &'a Problem, o: usize, y: usize) -> Self {
        let servers = cap.existing.len() + p.sites.len();
        let groups = cap.groups();
        let mut a = Assignment {
            cap,
            p,
            o,
            y,
            best: vec![NONE; p.weights.len()],
            load: vec![0; servers],
            by_group: vec![Vec::new(); servers],
            active: vec![false; servers],
            covered_g: vec![0; groups],
            served_g: vec![0.0; groups],
            covered: 0,
            served: 0,
        };
        for e in 0..cap.existing.len() {
            if cap.existing[e].operator as usize == o {
                a.add(e as u32);
            }
        }
        a
    }

    fn items(&self, id: u32) -> (&'a [u32], &'a [CentiDb]) {
        let e = self.cap.existing.len();
        let id = id as usize;
        if id < e {
            let sv = &self.cap.existing[id];
            (&sv.coverage, &sv.loss_cdb)
        } else {
            let s = id - e;
            (
                &self.p.sites[s].coverage[self.o],
                &self.cap.loss_cdb[s][self.o],
            )
        }
    }

    fn capacity(&self, id: u32) -> Bps {
        let e = self.cap.existing.len();
        let id = id as usize;
        if id < e {
            self.cap.existing[id].capacity_bps
        } else {
            self.cap.station_bps[id - e][self.o]
        }
    }

    fn carried(&self, id: u32, load: Bps) -> Bps {
        load.min(self.capacity(id))
    }

    /// The share of its offered load a server carries at `load`.
    fn fraction(&self, id: u32, load: Bps) -> f64 {
        if load == 0 {
            1.0
        } else {
            self.carried(id, load) as f64 / load as f64
        }
    }

    /// The traffic of each item `id` would take, by the server it leaves
    /// (`NONE.1` for items it would newly cover) and group.
    fn takes(&self, id: u32) -> Vec<(u32, u32, Bps)> {
        let (items, loss) = self.items(id);
        let mut moved: Vec<(u32, u32, Bps)> = Vec::new();
        for (&d, &l) in items.iter().zip(loss) {
            let cur = self.best[d as usize];
            if (l, id) >= cur {
                continue;
            }
            let t = self.cap.traffic(self.o, self.y, d);
            if t == 0 {
                continue;
            }
            tally(&mut moved, cur.1, self.cap.group(d), t);
        }
        moved
    }

    /// Puts server `id` up: it takes every item it serves best.
    fn add(&mut self, id: u32) {
        if self.active[id as usize] {
            return;
        }
        let moved = self.takes(id);
        self.active[id as usize] = true;
        let (items, loss) = self.items(id);
        for (&d, &l) in items.iter().zip(loss) {
            if (l, id) < self.best[d as usize] {
                self.best[d as usize] = (l, id);
            }
        }
        let mut sources = servers_in(&moved);
        sources.push(id);
        // Take the changed servers' contributions out, change, put them back.
        for &s in &sources {
            self.contribute(s, -1.0);
        }
        for (from, g, t) in moved {
            if from == NONE.1 {
                self.covered += t;
                self.covered_g[g as usize] += t;
            } else {
                self.load[from as usize] -= t;
                shift(&mut self.by_group[from as usize], g, t, false);
            }
            self.load[id as usize] += t;
            shift(&mut self.by_group[id as usize], g, t, true);
        }
        for &s in &sources {
            self.contribute(s, 1.0);
        }
    }

    /// Where the items server `id` serves best would go without it: per
    /// (receiving server, or `NONE.1` for items left uncovered, group),
    /// the traffic; and per item, its next server. `servers` lists per
    /// item every server of the operator covering it, with its loss.
    fn leaves(
        &self,
        id: u32,
        servers: &Csr<(u32, CentiDb)>,
    ) -> (Vec<(u32, u32, Bps)>, Vec<Reassigned>) {
        let (items, _) = self.items(id);
        let mut moved: Vec<(u32, u32, Bps)> = Vec::new();
        let mut next: Vec<Reassigned> = Vec::new();
        for &d in items {
            if self.best[d as usize].1 != id {
                continue;
            }
            let to = servers
                .row(d as usize)
                .iter()
                .filter(|&&(sv, _)| sv != id && self.active[sv as usize])
                .map(|&(sv, l)| (l, sv))
                .min()
                .unwrap_or(NONE);
            next.push((d, to));
            let t = self.cap.traffic(self.o, self.y, d);
            if t == 0 {
                continue;
            }
            tally(&mut moved, to.1, self.cap.group(d), t);
        }
        (moved, next)
    }

    /// Takes server `id` down: its items go to their next servers.
    fn remove(&mut self, id: u32, servers: &Csr<(u32, CentiDb)>) {
        if !self.active[id as usize] {
            return;
        }
        let (moved, next) = self.leaves(id, servers);
        let mut sinks = servers_in(&moved);
        sinks.push(id);
        for &s in &sinks {
            self.contribute(s, -1.0);
        }
        for (to, g, t) in moved {
            self.load[id as usize] -= t;
            shift(&mut self.by_group[id as usize], g, t, false);
            if to == NONE.1 {
                self.covered -= t;
                self.covered_g[g as usize] -= t;
            } else {
                self.load[to as usize] += t;
                shift(&mut self.by_group[to as usize], g, t, true);
            }
        }
        for &s in &sinks {
            self.contribute(s, 1.0);
        }
        for (d, to) in next {
            self.best[d as usize] = to;
        }
        self.active[id as usize] = false;
    }

    /// Whether taking server `id` down keeps every group's served traffic
    /// and opens no shortfall and widens none (to [`EPSILON_BPS`]).
    fn removal_keeps(&self, id: u32, servers: &Csr<(u32, CentiDb)>) -> bool {
        if !self.active[id as usize] {
            return true;
        }
        let (moved, _) = self.leaves(id, servers);
        // Per group touched: (covered lost, served change).
        let mut delta: Vec<(u32, Bps, f64)> = Vec::new();
        let mut bump = |g: u32, lost: Bps, served: f64| change(&mut delta, g, lost, served);
        let f = self.fraction(id, self.load[id as usize]);
        for &(g, t) in &self.by_group[id as usize] {
            bump(g, 0, -f * t as f64);
        }
        let sinks = servers_in(&moved);
        for &s in &sinks {
            let load = self.load[s as usize];
            let inflow: Bps = moved.iter().filter(|m| m.0 == s).map(|m| m.2).sum();
            let (f0, f1) = (self.fraction(s, load), self.fraction(s, load + inflow));
            for &(g, t) in &self.by_group[s as usize] {
                bump(g, 0, (f1 - f0) * t as f64);
            }
            for &(to, g, t) in &moved {
                if to == s {
                    bump(g, 0, f1 * t as f64);
                }
            }
        }
        for &(to, g, t) in &moved {
            if to == NONE.1 {
                bump(g, t, 0.0);
            }
        }
        delta.into_iter().all(|(g, lost, served)| {
            let gi = g as usize;
            let before = self.group_short(self.covered_g[gi], self.served_g[gi]);
            let after = self.group_short(self.covered_g[gi] - lost, self.served_g[gi] + served);
            served > -EPSILON_BPS && after <= before + EPSILON_BPS
        })
    }

    /// Adds (`sign` 1) or removes (−1) server `s`'s carried traffic.
    fn contribute(&mut self, s: u32, sign: f64) {
        let load = self.load[s as usize];
        let c = self.carried(s, load);
        if sign > 0.0 {
            self.served += c;
        } else {
            self.served -= c;
        }
        let f = self.fraction(s, load);
        for &(g, t) in &self.by_group[s as usize] {
            self.served_g[g as usize] += sign * f * t as f64;
        }
    }

    fn required(&self, covered: Bps) -> f64 {
        let share = self.cap.min_served_share[self.o][self.y];
        (share * covered as f64).ceil()
    }

    fn group_short(&self, covered: Bps, served: f64) -> f64 {
        (self.required(covered) - served).max(0.0)
    }

    /// The served traffic still missing, summed over the groups, bit/s.
    fn shortfall(&self) -> f64 {
        let s: f64 = (0..self.covered_g.len())
            .map(|g| self.group_short(self.covered_g[g], self.served_g[g]))
            .sum();
        if s < EPSILON_BPS {
            0.0
        } else {
            s
        }
    }

    /// What putting server `id` up would do, bit/s: how much of the
    /// shortfall it would close, or with `most_served` the traffic it would
    /// add to the short groups' served traffic, counted up to each one's
    /// requirement, less any shortfall it would open in a group that meets
    /// its share.
    fn gain(&self, id: u32, most_served: bool) -> f64 {
        let moved = self.takes(id);
        if moved.is_empty() {
            return 0.0;
        }
        // Per group touched: (covered change, served change).
        let mut delta: Vec<(u32, Bps, f64)> = Vec::new();
        let mut bump = |g: u32, cov: Bps, served: f64| change(&mut delta, g, cov, served);
        let sources = servers_in(&moved);
        for &s in &sources {
            let load = self.load[s as usize];
            let out: Bps = moved.iter().filter(|m| m.0 == s).map(|m| m.2).sum();
            let (f0, f1) = (self.fraction(s, load), self.fraction(s, load - out));
            for &(g, t) in &self.by_group[s as usize] {
                let m: Bps = moved
                    .iter()
                    .filter(|x| x.0 == s && x.1 == g)
                    .map(|x| x.2)
                    .sum();
                bump(g, 0, f1 * (t - m) as f64 - f0 * t as f64);
            }
        }
        let taken: Bps = moved.iter().map(|m| m.2).sum();
        let fx = self.fraction(id, taken);
        for &(from, g, t) in &moved {
            bump(g, if from == NONE.1 { t } else { 0 }, fx * t as f64);
        }
        let mut gain = 0.0;
        for (g, cov, served) in delta {
            let gi = g as usize;
            let before = self.group_short(self.covered_g[gi], self.served_g[gi]);
            let after = self.group_short(self.covered_g[gi] + cov, self.served_g[gi] + served);
            gain += if !most_served {
                before - after
            } else if before >= EPSILON_BPS {
                let (s0, required) = (self.served_g[gi], self.required(self.covered_g[gi] + cov));
                (s0 + served).min(required) - s0
            } else {
                -after
            };
        }
        gain
    }

    /// The servers whose items `id` covers.
    fn touched(&self, id: u32) -> Vec<u32> {
        let (items, _) = self.items(id);
        let mut v: Vec<u32> = items
            .iter()
            .map(|&d| self.best[d as usize].1)
            .filter(|&s| s != NONE.1)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn figures(&self) -> ServedTraffic {
        let total: Bps = (0..self.p.weights.len() as u32)
            .map(|d| self.cap.traffic(self.o, self.y, d))
            .sum();
        ServedTraffic {
            covered_bps: self.covered,
            served_bps: self.served,
            uncovered_bps: total - self.covered,
            required_bps: self.required(self.covered) as Bps,
        }
    }

    /// Per group, its traffic.
    fn group_figures(&self) -> Vec<ServedTraffic> {
        let mut total = vec![0 as Bps; self.covered_g.len()];
        for d in 0..self.p.weights.len() as u32 {
            total[self.cap.group(d) as usize] += self.cap.traffic(self.o, self.y, d);
        }
        (0..self.covered_g.len())
            .map(|g| ServedTraffic {
                covered_bps: self.covered_g[g],
                served_bps: self.served_g[g].round().max(0.0) as Bps,
                uncovered_bps: total[g] - self.covered_g[g],
                required_bps: self.required(self.covered_g[g]) as Bps,
            })
            .collect()
    }
}

/// The servers (not `NONE.1`) that `moved` names, ascending.
fn servers_in(moved: &[(u32, u32, Bps)]) -> Vec<u32> {
    let mut v: Vec<u32> = moved.iter().map(|m| m.0).filter(|&s| s != NONE.1).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Adds traffic `t` of group `g` to server `s`'s entry in `moved`.
fn tally(moved: &mut Vec<(u32, u32, Bps)>, s: u32, g: u32, t: Bps) {
    match moved.iter_mut().find(|m| m.0 == s && m.1 == g) {
        Some(m) => m.2 += t,
        None => moved.push((s, g, t)),
    }
}

/// Adds a covered and a served change to group `g`'s entry of `delta`.
fn change(delta: &mut Vec<(u32, Bps, f64)>, g: u32, covered: Bps, served: f64) {
    match delta.iter_mut().find(|d| d.0 == g) {
        Some(d) => {
            d.1 += covered;
            d.2 += served;
        }
        None => delta.push((g, covered, served)),
    }
}

/// Adds (`up`) or takes `t` from group `g`'s entry.
fn shift(v: &mut Vec<(u32, Bps)>, g: u32, t: Bps, up: bool) {
    match v.iter_mut().position(|e| e.0 == g) {
        Some(i) => {
            if up {
                v[i].1 += t;
            } else {
                v[i].1 -= t;
                if v[i].1 == 0 {
                    v.swap_remove(i);
                    v.sort_unstable();
                }
            }
        }
        None if up => {
            v.push((g, t));
            v.sort_unstable();
        }
        None => {}
    }
}

/// The year of each placement of `st` from its purpose's target, and the
/// lead time of its site: `purpose_year[k]` for placement `k` (kept ones).
pub(crate) fn target_years(
    cap: &Capacity,
    st: &State<'_>,
    purpose_year: &[u8],
) -> (Vec<u8>, Vec<YearDriver>) {
    let mut years = vec![0u8; st.placed.len()];
    let mut drivers = vec![YearDriver::Target; st.placed.len()];
    for (k, &(s, _)) in st.placed.iter().enumerate() {
        let need = purpose_year.get(k).copied().unwrap_or(cap.sharing_year);
        let earliest = cap.earliest(s as usize);
        years[k] = need.max(earliest);
        if earliest > need {
            drivers[k] = YearDriver::LeadTime;
        }
    }
    (years, drivers)
}

/// The kind of a capacity option, cheapest first on ties.
fn tier(p: &Problem, s: usize, o: usize, forward: bool) -> u8 {
    if forward {
        return 0;
    }
    match p.sites[s].kind_for(o) {
        StationKind::Overlay => 1,
        StationKind::CoLocation => 2,
        StationKind::NewSite => 3,
    }
}

/// A capacity option's rank: free moves (bringing a station forward) by
/// their gain, then paid ones by gain per yuan; on ties the cheaper kind,
/// then the lower site and operator.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rank {
    free: bool,
    value: f64,
    tier: u8,
    site: u32,
    operator: u8,
}

impl Eq for Rank {}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rank {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.free
            .cmp(&other.free)
            .then(self.value.total_cmp(&other.value))
            .then(other.tier.cmp(&self.tier))
            .then(other.site.cmp(&self.site))
            .then(other.operator.cmp(&self.operator))
    }
}

/// Adds stations (and brings stations forward) year by year until every
/// operator's served share is met or no station closes any of its
/// shortfall. Each step takes the option that closes most of a shortfall
/// per yuan among those that would take items from an overloaded server
/// (a lazy greedy: an option's value is recomputed when it comes to the
/// top, and the options around every server whose load changed are
/// valued afresh). `years` and `drivers` run along `st.placed` and grow
/// with it.
pub(crate) fn serve(
    st: &mut State<'_>,
    cap: &Capacity,
    years: &mut Vec<u8>,
    drivers: &mut Vec<YearDriver>,
) {
    if !cap.add_stations || !cap.has_traffic() {
        return;
    }
    let p = st.p;
    let k = p.operators;
    let e = cap.existing.len() as u32;
    let inverse = st.item_sites();
    let was = std::mem::replace(&mut st.cause, Cause::Capacity);
    // (site, operator) → its kept placement.
    let mut placement: std::collections::HashMap<(u32, u8), usize> = (0..st.placed.len())
        .filter(|&kk| !st.removed[kk])
        .map(|kk| (st.placed[kk], kk))
        .collect();
    for y in 0..cap.years {
        let mut asg: Vec<Assignment<'_>> = (0..k)
            .into_par_iter()
            .map(|o| assignment(st, Assignment::new(cap, p, o, y), |kk| Some(years[kk])))
            .collect();
        // The rank of option (site, operator) now, if it closes anything.
        type Placements = std::collections::HashMap<(u32, u8), usize>;
        let value = |st: &State<'_>,
                     asg: &[Assignment<'_>],
                     placement: &Placements,
                     years: &[u8],
                     s: u32,
                     o: usize,
                     most_served: bool|
         -> Option<Rank> {
            let a = &asg[o];
            if a.active[(e + s) as usize] || a.shortfall() == 0.0 {
                return None;
            }
            let su = s as usize;
            let forward = placement
                .get(&(s, o as u8))
                .is_some_and(|&kk| years[kk] as usize > y);
            if cap.earliest(su) as usize > y {
                return None;
            }
            let cost = if forward {
                0
            } else if st.available(su, o) {
                st.cost(su, o)
            } else {
                return None;
            };
            let gain = a.gain(e + s, most_served);
            (gain > EPSILON_BPS).then(|| Rank {
                free: cost == 0,
                value: if cost == 0 { gain } else { gain / cost as f64 },
                tier: tier(p, su, o, forward),
                site: s,
                operator: o as u8,
            })
        };
        // The sites that could take items from these servers of `o`.
        let around = |asg: &[Assignment<'_>], o: usize, servers: &[u32]| -> Vec<u32> {
            let a = &asg[o];
            let mut v: Vec<u32> = servers
                .iter()
                .filter(|&&id| a.load[id as usize] > a.capacity(id))
                .flat_map(|&id| {
                    let (items, _) = a.items(id);
                    items
                        .iter()
                        .filter(move |&&d| a.best[d as usize].1 == id)
                        .flat_map(|&d| inverse[o].row(d as usize).iter().copied())
                })
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        // First the options that close most of a shortfall; where that
        // leaves one, those that serve most of what is still short.
        for most_served in [false, true] {
            let mut heap: BinaryHeap<Rank> = BinaryHeap::new();
            for o in 0..k {
                if asg[o].shortfall() == 0.0 {
                    continue;
                }
                let servers: Vec<u32> = (0..asg[o].load.len() as u32)
                    .filter(|&id| asg[o].active[id as usize])
                    .collect();
                for s in around(&asg, o, &servers) {
                    heap.extend(value(st, &asg, &placement, years, s, o, most_served));
                }
            }
            while let Some(top) = heap.pop() {
                let (s, o) = (top.site, top.operator as usize);
                let Some(now) = value(st, &asg, &placement, years, s, o, most_served) else {
                    continue;
                };
                if now != top {
                    heap.push(now);
                    continue;
                }
                let forward = placement
                    .get(&(s, o as u8))
                    .copied()
                    .filter(|&kk| years[kk] as usize > y);
                match forward {
                    Some(kk) => {
                        years[kk] = y as u8;
                        drivers[kk] = YearDriver::Load;
                    }
                    None => {
                        st.place(s as usize, o);
                        placement.insert((s, o as u8), st.placed.len() - 1);
                        years.push(y as u8);
                        drivers.push(YearDriver::Load);
                    }
                }
                let mut touched = asg[o].touched(e + s);
                asg[o].add(e + s);
                touched.push(e + s);
                // Options around every server whose load changed, valued afresh;
                // the site's other operators too (its slots and costs changed).
                let mut again = around(&asg, o, &touched);
                again.retain(|&c| c != s);
                for c in again {
                    heap.extend(value(st, &asg, &placement, years, c, o, most_served));
                }
                for o2 in (0..k).filter(|&o2| o2 != o) {
                    heap.extend(value(st, &asg, &placement, years, s, o2, most_served));
                }
            }
        }
    }
    st.cause = was;
}

/// Per operator: item → every server of the operator covering it (the
/// existing ones `0..E`, then `E + site` for the sites `s` with
/// `keep(s, o)`), with its loss.
fn item_servers(
    p: &Problem,
    cap: &Capacity,
    keep: impl Fn(usize, usize) -> bool + Copy + Sync,
) -> Vec<Csr<(u32, CentiDb)>> {
    let e = cap.existing.len() as u32;
    (0..p.operators)
        .into_par_iter()
        .map(|o| {
            let existing = cap
                .existing
                .iter()
                .enumerate()
                .filter(move |(_, sv)| sv.operator as usize == o)
                .flat_map(|(i, sv)| {
                    sv.coverage
                        .iter()
                        .zip(sv.loss_cdb.iter())
                        .map(move |(&d, &l)| (d as usize, (i as u32, l)))
                });
            let sites = p
                .sites
                .iter()
                .enumerate()
                .filter(move |&(s, _)| keep(s, o))
                .flat_map(move |(s, site)| {
                    site.coverage[o]
                        .iter()
                        .zip(cap.loss_cdb[s][o].iter())
                        .map(move |(&d, &l)| (d as usize, (e + s as u32, l)))
                });
            Csr::from_pairs(p.weights.len(), existing.chain(sites))
        })
        .collect()
}

/// `base` (an operator's [`Assignment::new`] in a year: the stations
/// before the plan alone) with the kept placements standing by its year
/// put up (`year_of(kk)`, `None` for one left out). A copy of a kept base
/// is far cheaper than putting every existing station up again.
fn assignment<'a>(
    st: &State<'a>,
    mut base: Assignment<'a>,
    year_of: impl Fn(usize) -> Option<u8>,
) -> Assignment<'a> {
    let (o, y) = (base.o, base.y);
    let e = base.cap.existing.len() as u32;
    for kk in (0..st.placed.len()).filter(|&kk| !st.removed[kk]) {
        let (s, oo) = st.placed[kk];
        if oo as usize == o && year_of(kk).is_some_and(|yy| yy as usize <= y) {
            base.add(e + s);
        }
    }
    base
}

/// Whether assignment `after` serves every group at least what `before`
/// does and is short nowhere by more (to [`EPSILON_BPS`]).
fn keeps(before: &Assignment<'_>, after: &Assignment<'_>) -> bool {
    (0..before.covered_g.len()).all(|g| {
        let b = before.group_short(before.covered_g[g], before.served_g[g]);
        let a = after.group_short(after.covered_g[g], after.served_g[g]);
        after.served_g[g] + EPSILON_BPS >= before.served_g[g] && a <= b + EPSILON_BPS
    })
}

/// Takes out the stations that the ones placed for capacity (and the
/// sharing fill after them) made redundant, the largest saving first: a
/// station comes out when the plan without it still meets every target
/// as [`cleanup`](crate::construct::cleanup) judges them (with
/// `keep_objective`, as in `budget` and `sites`, losing no objective
/// weight), every
/// requirement still holds in its year, and in no year does any group
/// serve less traffic or fall further short of its share. Where another
/// station covers a requirement's item only from a later year, it is
/// brought forward to the requirement's year if its lead time allows (its
/// year is then set by the target, and it stands for coverage).
///
/// Without it, a coverage station stays in the plan beside a capacity
/// station that covers the same demand and carries its traffic.
pub(crate) fn cleanup(
    st: &mut State<'_>,
    cap: &Capacity,
    years: &mut [u8],
    drivers: &mut [YearDriver],
    keep_objective: bool,
    floor: Option<f64>,
) {
    let kept = |st: &State<'_>| -> Vec<usize> {
        (0..st.placed.len()).filter(|&kk| !st.removed[kk]).collect()
    };
    if !kept(st)
        .into_iter()
        .any(|kk| st.causes[kk] == Cause::Capacity)
    {
        return;
    }
    let p = st.p;
    let e = cap.existing.len() as u32;
    type Placements = std::collections::HashMap<(u32, u8), usize>;
    let mut placement: Placements = kept(st).into_iter().map(|kk| (st.placed[kk], kk)).collect();
    // Only the stations in the plan now can serve or cover in what
    // follows (nothing is placed here), so the inverse indices hold them
    // alone.
    let placed = |s: usize, o: usize| placement.contains_key(&(s as u32, o as u8));
    let inverse = item_sites_where(p, placed);
    let servers = item_servers(p, cap, placed);
    // Per requirement, the weight covered by its year.
    let covered_by_year = |st: &State<'_>, years: &[u8], placement: &Placements, r: usize| -> u64 {
        let req = &p.requirements[r];
        let o = req.operator;
        let yr = cap.requirement_year[r];
        req.items
            .iter()
            .filter(|&&(d, _)| {
                p.covered_before[o][d as usize]
                    || inverse[o].row(d as usize).iter().any(|&s| {
                        placement
                            .get(&(s, o as u8))
                            .is_some_and(|&kk| !st.removed[kk] && years[kk] <= yr)
                    })
            })
            .map(|&(_, w)| w)
            .sum()
    };
    let mut req_by_year: Vec<u64> = (0..p.requirements.len())
        .map(|r| covered_by_year(st, years, &placement, r))
        .collect();
    // Per operator and year, the stations before the plan alone, and the
    // assignment now.
    let base: Vec<Vec<Assignment<'_>>> = (0..p.operators)
        .into_par_iter()
        .map(|o| {
            (0..cap.years)
                .into_par_iter()
                .map(|y| Assignment::new(cap, p, o, y))
                .collect()
        })
        .collect();
    let mut asg: Vec<Vec<Assignment<'_>>> = base
        .par_iter()
        .map(|per_year| {
            per_year
                .par_iter()
                .map(|b| assignment(st, b.clone(), |kk| Some(years[kk])))
                .collect()
        })
        .collect();
    loop {
        let all = kept(st);
        let mut changed = false;
        for k in crate::construct::removal_order(st, &all) {
            if !crate::construct::removable(st, k, keep_objective, floor) {
                continue;
            }
            let (s, o) = (st.placed[k].0, st.placed[k].1 as usize);
            let yk = years[k];
            // The requirements in their years: items k covers by a
            // requirement's year need another station by then.
            let mut pulls: Vec<(usize, u8)> = Vec::new();
            let mut lost: Vec<(usize, u64)> = Vec::new();
            for &d in p.sites[s as usize].coverage[o].iter() {
                if p.covered_before[o][d as usize] {
                    continue;
                }
                for (r, w) in st.requirements_of(o, d as usize) {
                    let yr = cap.requirement_year[r];
                    if yk > yr {
                        continue;
                    }
                    let year_now = |kk: usize| {
                        pulls
                            .iter()
                            .find(|pl| pl.0 == kk)
                            .map_or(years[kk], |pl| pl.1.min(years[kk]))
                    };
                    let other = inverse[o]
                        .row(d as usize)
                        .iter()
                        .filter(|&&s2| s2 != s)
                        .filter_map(|&s2| placement.get(&(s2, o as u8)).copied())
                        .filter(|&kk| !st.removed[kk])
                        .map(|kk| (year_now(kk), kk))
                        .min();
                    match other {
                        Some((y2, _)) if y2 <= yr => {}
                        Some((_, kk)) if cap.earliest(st.placed[kk].0 as usize) <= yr => {
                            match pulls.iter_mut().find(|pl| pl.0 == kk) {
                                Some(pl) => pl.1 = pl.1.min(yr),
                                None => pulls.push((kk, yr)),
                            }
                        }
                        _ => match lost.iter_mut().find(|l| l.0 == r) {
                            Some(l) => l.1 += w,
                            None => lost.push((r, w)),
                        },
                    }
                }
            }
            let holds = lost.iter().all(|&(r, w)| {
                let (now, target) = (req_by_year[r], st.req_target[r]);
                if now >= target {
                    now - w >= target
                } else {
                    w == 0
                }
            });
            if !holds {
                continue;
            }
            let id = e + s;
            if pulls.is_empty() {
                // The loads without it, year by year, incrementally.
                if !(yk as usize..cap.years).all(|y| asg[o][y].removal_keeps(id, &servers[o])) {
                    continue;
                }
                for a in &mut asg[o][yk as usize..] {
                    a.remove(id, &servers[o]);
                }
            } else {
                // Stations brought forward: the years from the earliest
                // one that changes, built afresh.
                let from = pulls.iter().map(|pl| pl.1).chain([yk]).min().unwrap_or(yk) as usize;
                let year_of = |kk: usize| {
                    (kk != k).then(|| {
                        pulls
                            .iter()
                            .find(|pl| pl.0 == kk)
                            .map_or(years[kk], |pl| pl.1)
                    })
                };
                let fresh: Vec<Assignment<'_>> = base[o][from..]
                    .par_iter()
                    .map(|b| assignment(st, b.clone(), year_of))
                    .collect();
                if !fresh.iter().zip(&asg[o][from..]).all(|(a, b)| keeps(b, a)) {
                    continue;
                }
                for (y, a) in (from..).zip(fresh) {
                    asg[o][y] = a;
                }
                for &(kk, y) in &pulls {
                    years[kk] = y;
                    drivers[kk] = YearDriver::Target;
                    st.causes[kk] = Cause::Cover;
                }
            }
            st.remove(k);
            placement.remove(&(s, o as u8));
            for r in (0..p.requirements.len()).filter(|&r| p.requirements[r].operator == o) {
                req_by_year[r] = covered_by_year(st, years, &placement, r);
            }
            changed = true;
        }
        if !changed {
            break;
        }
    }
}

/// The loads and served traffic of the kept placements of `st`, in their
/// order, with their years (along `st.placed`).
pub(crate) fn outcome(
    st: &State<'_>,
    cap: &Capacity,
    years: &[u8],
    drivers: &[YearDriver],
) -> CapacityOutcome {
    let p = st.p;
    let k = p.operators;
    let e = cap.existing.len() as u32;
    let kept: Vec<usize> = (0..st.placed.len()).filter(|&kk| !st.removed[kk]).collect();
    let mut out = CapacityOutcome {
        traffic: vec![Vec::with_capacity(cap.years); k],
        groups: vec![Vec::with_capacity(cap.years); k],
        station_load_bps: vec![vec![0; cap.years]; kept.len()],
        station_capacity_bps: kept
            .iter()
            .map(|&kk| {
                let (s, o) = st.placed[kk];
                cap.station_bps[s as usize][o as usize]
            })
            .collect(),
        existing_load_bps: vec![vec![0; cap.years]; cap.existing.len()],
        added: kept
            .iter()
            .filter(|&&kk| st.causes[kk] == Cause::Capacity)
            .count(),
        brought_forward: kept
            .iter()
            .filter(|&&kk| st.causes[kk] != Cause::Capacity && drivers[kk] == YearDriver::Load)
            .count(),
    };
    for o in 0..k {
        // One operator's years at a time, in parallel.
        let per_year: Vec<Assignment<'_>> = (0..cap.years)
            .into_par_iter()
            .map(|y| assignment(st, Assignment::new(cap, p, o, y), |kk| Some(years[kk])))
            .collect();
        let row = &mut out.traffic[o];
        for (y, a) in per_year.iter().enumerate() {
            row.push(a.figures());
            out.groups[o].push(a.group_figures());
            for (j, &kk) in kept.iter().enumerate() {
                let (s, oo) = st.placed[kk];
                if oo as usize == o {
                    out.station_load_bps[j][y] = a.load[(e + s) as usize];
                }
            }
            for (i, sv) in cap.existing.iter().enumerate() {
                if sv.operator as usize == o {
                    out.existing_load_bps[i][y] = a.load[i];
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::{OtherSites, SiteChoice};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn centi_db_rounds_as_f64_round(db in prop_oneof![
            -10.0f64..700.0,
            (0u32..140_000).prop_map(|k| f64::from(k) / 200.0),
            Just(f64::NAN),
            Just(655.345),
            Just(655.355),
        ]) {
            let reference = (db * 100.0).round().clamp(0.0, f64::from(CentiDb::MAX)) as CentiDb;
            prop_assert_eq!(centi_db(db), reference);
        }
    }
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// One operator, 40 items in two groups, 10 candidate sites and 4
    /// stations before the plan, all with random coverage, losses and
    /// capacities.
    fn instance(seed: u64) -> (Problem, Capacity) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = 40;
        let pick = |rng: &mut ChaCha8Rng| -> (Vec<u32>, Vec<CentiDb>) {
            let c: Vec<u32> = (0..n as u32).filter(|_| rng.gen_bool(0.3)).collect();
            let l = c.iter().map(|_| rng.gen_range(9000..14000)).collect();
            (c, l)
        };
        let existing = (0..4)
            .map(|_| {
                let (coverage, loss_cdb) = pick(&mut rng);
                Server {
                    operator: 0,
                    capacity_bps: rng.gen_range(1..8) * 1_000_000,
                    coverage: coverage.into(),
                    loss_cdb: loss_cdb.into(),
                }
            })
            .collect();
        let (mut sites, mut losses, mut bps) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..10 {
            let (c, l) = pick(&mut rng);
            sites.push(SiteChoice {
                existing: false,
                tenants: 0,
                lte: 0,
                capacity: 1,
                allowed: 1,
                build_cost_yuan: 1000,
                overlay_cost_yuan: 100,
                tenant_cost_yuan: 100,
                coverage: vec![c.into()],
            });
            losses.push(vec![l.into()]);
            bps.push(vec![rng.gen_range(1..8) * 1_000_000]);
        }
        let traffic = vec![vec![(0..n).map(|_| rng.gen_range(0..1_000_000)).collect()]];
        let p = Problem {
            operators: 1,
            weights: vec![1; n],
            covered_before: vec![vec![false; n]],
            sites,
            requirements: Vec::new(),
            other_sites: OtherSites::default(),
            r1_blockers: Vec::new(),
            preference_rank: Vec::new(),
        };
        let cap = Capacity {
            years: 1,
            traffic_bps: traffic,
            min_served_share: vec![vec![0.9]],
            existing,
            loss_cdb: losses,
            station_bps: bps,
            earliest_year: Vec::new(),
            requirement_year: Vec::new(),
            coverage_year: 0,
            sharing_year: 0,
            add_stations: true,
            item_group: (0..n as u32).map(|d| d % 2).collect(),
        };
        (p, cap)
    }

    /// Taking stations down one by one leaves the assignment a fresh one
    /// of the stations left would be, and `removal_keeps` foretells it.
    #[test]
    fn removing_a_server_matches_a_fresh_assignment() {
        for seed in 0..200 {
            let (p, cap) = instance(seed);
            let servers = item_servers(&p, &cap, |_, _| true);
            let e = cap.existing.len() as u32;
            let mut up: Vec<u32> = (0..p.sites.len() as u32).collect();
            let mut a = Assignment::new(&cap, &p, 0, 0);
            for &s in &up {
                a.add(e + s);
            }
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            while !up.is_empty() {
                let s = up.remove(rng.gen_range(0..up.len()));
                let mut fresh = Assignment::new(&cap, &p, 0, 0);
                for &u in &up {
                    fresh.add(e + u);
                }
                assert_eq!(
                    a.removal_keeps(e + s, &servers[0]),
                    keeps(&a, &fresh),
                    "seed {seed}"
                );
                a.remove(e + s, &servers[0]);
                assert_eq!(a.best, fresh.best, "seed {seed}");
                assert_eq!(a.load, fresh.load, "seed {seed}");
                assert_eq!(a.covered_g, fresh.covered_g, "seed {seed}");
                assert_eq!(a.served, fresh.served, "seed {seed}");
                for (x, y) in a.served_g.iter().zip(&fresh.served_g) {
                    assert!((x - y).abs() < 1e-3, "seed {seed}: {x} vs {y}");
                }
            }
        }
    }
}
