//! The instance: demand items, sites with their options, requirements, modes.

use std::sync::Arc;

/// Demand weight, an integer so that sums are exact and order-free.
pub type Weight = u64;
/// Money, whole yuan.
pub type Yuan = u64;

/// How a new 4G station lands on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StationKind {
    /// On an existing site its operator is already a tenant of (adding 4G to
    /// its 2G/3G site): no tenant slot is used.
    Overlay,
    /// On an existing site its operator is not on: a new tenancy, which uses
    /// a slot and can make the site shared (R1, sharing first).
    CoLocation,
    /// On a candidate: the site is built (once, for every operator on it: R2).
    NewSite,
}

impl StationKind {
    /// `overlay`, `co_location`, `new_site`.
    pub fn code(self) -> &'static str {
        match self {
            StationKind::Overlay => "overlay",
            StationKind::CoLocation => "co_location",
            StationKind::NewSite => "new_site",
        }
    }
}

/// One site the plan may use: an existing site or a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteChoice {
    /// Built before the plan (an existing site of the portfolio).
    pub existing: bool,
    /// Operators on the site before the plan, as a bit mask (bit `o` is operator `o`).
    pub tenants: u8,
    /// Tenants that already run 4G here (a subset of `tenants`): no station
    /// for them, and their coverage counts before the plan.
    pub lte: u8,
    /// Tenant slots in all (before and after the plan).
    pub capacity: u8,
    /// Operators the rules let place a station here, as a bit mask.
    pub allowed: u8,
    /// Building the candidate, paid by its first station; 0 for existing sites.
    pub build_cost_yuan: Yuan,
    /// A station of a tenant that has no 4G here yet (an overlay).
    pub overlay_cost_yuan: Yuan,
    /// A station of an operator that is not a tenant: a co-location on an
    /// existing site, a station on a candidate.
    pub tenant_cost_yuan: Yuan,
    /// Per operator, the demand items a 4G station of that operator here
    /// would cover, ascending, no duplicates. Shared (`Arc`) with whoever
    /// computed them: on a province the sets are gigabytes, and the
    /// optimiser only reads them.
    pub coverage: Vec<Arc<[u32]>>,
}

impl SiteChoice {
    /// Whether operator `o` could have a 4G station here with `tenants_now`
    /// on the site: the rules let it, it runs no 4G here yet, and it is a
    /// tenant already or a slot is free. (Whether it already has a new
    /// station here is the caller's to know.)
    pub fn fits(&self, o: usize, tenants_now: u8) -> bool {
        let bit = 1u8 << o;
        self.allowed & bit != 0
            && self.lte & bit == 0
            && (self.tenants & bit != 0 || (tenants_now.count_ones() as u8) < self.capacity)
    }

    /// The cost of operator `o`'s station here, without any build cost: an
    /// overlay's where it is a tenant of this existing site, a new tenant's
    /// otherwise.
    pub fn station_cost(&self, o: usize) -> Yuan {
        match self.kind_for(o) {
            StationKind::Overlay => self.overlay_cost_yuan,
            _ => self.tenant_cost_yuan,
        }
    }

    /// How a station of operator `o` would land here.
    pub fn kind_for(&self, o: usize) -> StationKind {
        if !self.existing {
            StationKind::NewSite
        } else if self.tenants & (1 << o) != 0 {
            StationKind::Overlay
        } else {
            StationKind::CoLocation
        }
    }
}

/// A coverage requirement of one operator: the weight of the listed items it
/// covers once the plan is built (before-plan coverage included) must reach
/// `min_weight`. A township centre is an item of weight 1 in a requirement
/// that asks for all of them; a share of main-urban residents is the
/// residents' weights and the share of their total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The operator.
    pub operator: usize,
    /// `(item, weight)`, ascending by item, no duplicates.
    pub items: Vec<(u32, Weight)>,
    /// The weight that must be covered.
    pub min_weight: Weight,
}

impl Requirement {
    /// Total weight of the requirement's items.
    pub fn total_weight(&self) -> Weight {
        self.items.iter().map(|(_, w)| *w).sum()
    }
}

/// Existing sites of the portfolio that are not offered as choices (a rule
/// keeps them out): they still count in the city-wide sharing rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OtherSites {
    /// How many.
    pub sites: u64,
    /// How many of them are shared.
    pub shared: u64,
}

/// A whole instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Number of operators (1 to 8).
    pub operators: usize,
    /// Objective weight of each demand item (residents, in the engine).
    pub weights: Vec<Weight>,
    /// Per operator, whether each demand item is covered before the plan.
    pub covered_before: Vec<Vec<bool>>,
    /// The sites.
    pub sites: Vec<SiteChoice>,
    /// Coverage requirements (the `targets` mode meets them at least cost;
    /// other modes report them). Their order is their priority.
    pub requirements: Vec<Requirement>,
    /// Existing sites outside `sites`.
    pub other_sites: OtherSites,
    /// R1 with a share: per site, per operator, the existing sites whose
    /// free slot for the operator bars it from this site (a candidate an
    /// existing site would give most of its new coverage); empty for none.
    /// While one of them can still take the operator, this site cannot.
    pub r1_blockers: Vec<Vec<Vec<u32>>>,
    /// R7: per site, its preference rank (lower preferred: public buildings
    /// and street furniture before standalone towers, as the rule book
    /// orders kinds); empty for none (every site ranks 0). Between options of
    /// equal value (see [`TIE_BITS`]) the construction takes the preferred.
    pub preference_rank: Vec<u8>,
}

/// Significant bits to which the construction compares two options' values
/// (weight, or requirement progress, per yuan) before R7's preference rank
/// decides: values whose doubles agree in exponent and their leading 20
/// mantissa bits (so differ by less than a relative 2⁻²⁰ ≈ 10⁻⁶) are a tie,
/// the preferred site's option first, then the greater exact value. Equal
/// values always tie.
pub const TIE_BITS: u32 = 20;

impl Problem {
    /// Site `s`'s R7 preference rank (0 when the problem gives none).
    pub fn rank(&self, s: usize) -> u8 {
        self.preference_rank.get(s).copied().unwrap_or(0)
    }

    /// The existing sites that bar operator `o` from site `s` while free.
    pub fn blockers(&self, s: usize, o: usize) -> &[u32] {
        self.r1_blockers
            .get(s)
            .and_then(|per_op| per_op.get(o))
            .map_or(&[], |v| v.as_slice())
    }
}

/// The question the plan answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Meet every requirement (as far as the data allows) and the sharing
    /// floor at least total cost.
    Targets,
    /// Cover the most objective weight within a budget.
    Budget {
        /// The budget, yuan.
        budget_yuan: Yuan,
    },
    /// Build exactly `count` new sites (as far as candidates allow),
    /// covering the most objective weight; existing sites are used wherever
    /// they add coverage.
    Sites {
        /// New sites to build.
        count: u32,
        /// An optional budget, yuan.
        budget_yuan: Option<Yuan>,
    },
}

/// How to solve.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// The question.
    pub mode: Mode,
    /// Rule R1 as a hard rule: a candidate's station counts only demand that
    /// no existing site where its operator could still be placed can cover.
    pub sharing_first: bool,
    /// Minimum share (0..1) of shared sites over all sites, existing and
    /// new, once the plan is built (T3), if any.
    pub min_sharing_rate: Option<f64>,
    /// Work budget of the local search after construction, in move
    /// evaluations (each a trial of one move against the plan): the search
    /// stops at a local optimum or when the budget is spent. Counted in
    /// these units, not in seconds, so that the same instance gives the
    /// same plan at any thread count; 0 turns the search off.
    pub search_moves: u64,
    /// Wall-clock cap on the local search, if any: the search stops at the
    /// first chunk of moves that ends past it. When it binds, the plan
    /// depends on the machine's speed (see [`crate::local`]).
    pub time_limit: Option<std::time::Duration>,
    /// Traffic and capacity, year by year, if any: the plan's stations get
    /// years from their targets and loads, and in `targets` stations are
    /// added where the load asks ([`crate::capacity`]).
    pub capacity: Option<std::sync::Arc<crate::capacity::Capacity>>,
}

/// Default [`Params::search_moves`]: move evaluations of the local search.
pub const DEFAULT_SEARCH_MOVES: u64 = 2_000;

impl Default for Params {
    fn default() -> Self {
        Params {
            mode: Mode::Targets,
            sharing_first: true,
            min_sharing_rate: None,
            search_moves: DEFAULT_SEARCH_MOVES,
            time_limit: None,
            capacity: None,
        }
    }
}

/// Most requirements one operator may have.
pub const MAX_REQUIREMENTS_PER_OPERATOR: usize = 8;

/// An instance that is not well formed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemError {
    /// Operators out of range.
    #[error("{0} operators: between 1 and 8 are supported")]
    Operators(usize),
    /// A per-operator vector of the wrong length.
    #[error("{what} has {got} entries, expected {want}")]
    Length {
        /// Which field.
        what: String,
        /// Its length.
        got: usize,
        /// The length expected.
        want: usize,
    },
    /// A coverage set names a demand item that does not exist, or is unsorted.
    #[error("site {site}, operator {operator}: coverage set is not ascending within 0..{items}")]
    Coverage {
        /// Site index.
        site: usize,
        /// Operator index.
        operator: usize,
        /// Number of demand items.
        items: usize,
    },
    /// Tenants that do not fit, 4G tenants that are not tenants, or tenants on a candidate.
    #[error("site {0}: tenants exceed capacity, 4G tenants are not all tenants, or a candidate has tenants")]
    Tenants(usize),
    /// Weights too large to add up exactly.
    #[error("weights add up to more than {} (a quarter of u64's range)", u64::MAX / 4)]
    Weights,
    /// A sharing rate outside 0..1.
    #[error("minimum sharing rate {0} is outside 0..1")]
    SharingRate(f64),
    /// The traffic side of the instance is malformed.
    #[error("capacity: {0}")]
    Capacity(String),
    /// A requirement that is malformed.
    #[error("requirement {index}: {problem}")]
    Requirement {
        /// Its index.
        index: usize,
        /// What is wrong.
        problem: String,
    },
}

fn total(mut ws: impl Iterator<Item = Weight>) -> Option<Weight> {
    ws.try_fold(0u64, |a, w| a.checked_add(w))
        .filter(|t| *t <= u64::MAX / 4)
}

impl Problem {
    /// Sites of the portfolio before the plan, and how many are shared.
    pub fn sharing_before(&self) -> (u64, u64) {
        let existing = self.sites.iter().filter(|s| s.existing);
        let sites = existing.clone().count() as u64 + self.other_sites.sites;
        let shared = existing.filter(|s| s.tenants.count_ones() >= 2).count() as u64
            + self.other_sites.shared;
        (sites, shared)
    }

    /// Checks the instance is well formed.
    pub fn validate(&self, params: &Params) -> Result<(), ProblemError> {
        let k = self.operators;
        if k == 0 || k > 8 {
            return Err(ProblemError::Operators(k));
        }
        let n = self.weights.len();
        if self.covered_before.len() != k {
            return Err(ProblemError::Length {
                what: "covered_before".into(),
                got: self.covered_before.len(),
                want: k,
            });
        }
        if total(self.weights.iter().copied()).is_none() {
            return Err(ProblemError::Weights);
        }
        for c in &self.covered_before {
            if c.len() != n {
                return Err(ProblemError::Length {
                    what: "covered_before row".into(),
                    got: c.len(),
                    want: n,
                });
            }
        }
        if !self.preference_rank.is_empty() && self.preference_rank.len() != self.sites.len() {
            return Err(ProblemError::Length {
                what: "preference_rank".into(),
                got: self.preference_rank.len(),
                want: self.sites.len(),
            });
        }
        let ops_mask = ((1u16 << k) - 1) as u8;
        for (i, s) in self.sites.iter().enumerate() {
            if s.coverage.len() != k {
                return Err(ProblemError::Length {
                    what: format!("site {i} coverage"),
                    got: s.coverage.len(),
                    want: k,
                });
            }
            let bad_tenants = s.tenants.count_ones() > s.capacity as u32
                || s.lte & !s.tenants != 0
                || s.tenants & !ops_mask != 0
                || (!s.existing && s.tenants != 0);
            if bad_tenants {
                return Err(ProblemError::Tenants(i));
            }
            for (o, cov) in s.coverage.iter().enumerate() {
                let ascending = cov.windows(2).all(|w| w[0] < w[1]);
                if !ascending || cov.last().is_some_and(|&d| d as usize >= n) {
                    return Err(ProblemError::Coverage {
                        site: i,
                        operator: o,
                        items: n,
                    });
                }
            }
        }
        let mut per_op = vec![0usize; k];
        for (index, r) in self.requirements.iter().enumerate() {
            let bad = |problem: &str| ProblemError::Requirement {
                index,
                problem: problem.into(),
            };
            if r.operator >= k {
                return Err(bad("operator out of range"));
            }
            per_op[r.operator] += 1;
            if per_op[r.operator] > MAX_REQUIREMENTS_PER_OPERATOR {
                return Err(bad("more than 8 requirements for one operator"));
            }
            let ascending = r.items.windows(2).all(|w| w[0].0 < w[1].0);
            if !ascending || r.items.last().is_some_and(|&(d, _)| d as usize >= n) {
                return Err(bad("items are not ascending within the demand items"));
            }
            if total(r.items.iter().map(|(_, w)| *w)).is_none() {
                return Err(ProblemError::Weights);
            }
        }
        if let Some(r) = params.min_sharing_rate {
            if !(0.0..=1.0).contains(&r) {
                return Err(ProblemError::SharingRate(r));
            }
        }
        Ok(())
    }
}
