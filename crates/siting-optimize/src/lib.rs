//! The optimiser: which operator puts a new 4G station on which site.
//!
//! It knows no geography. A [`Problem`] is a set of demand items with
//! integer weights, and a set of sites, each with a coverage set per
//! operator, tenants before the plan (and which of them already run 4G),
//! tenant capacity and costs in yuan. Operator `o` can add a 4G station to a
//! site in three ways: an **overlay** on an existing site it is already a
//! tenant of (no slot used), a **co-location** on an existing site with a
//! free slot (a new tenancy, which can make the site shared), or a station on
//! a **candidate**, which is then built once for every operator that uses it
//! (R2). Capacities bind; sites a rule keeps out offer nothing; demand
//! already covered by `o`'s 4G gives `o` nothing. Under R1 (sharing first) a
//! candidate's station counts only demand that no existing site where its
//! operator could still go can cover.
//!
//! # The problem
//!
//! Operators `o` place new 4G stations on sites: **overlay** (an existing
//! site, `o` already a tenant), **co-location** (an existing site with a
//! free slot, `o` not a tenant), or a **candidate**, which is then built
//! once for every operator that uses it. Capacities bind; hard rules
//! exclude; demand already covered by `o`'s 4G gives `o` nothing. The modes
//! ([`Mode`]): `Targets` meets the coverage [`Requirement`]s (township
//! centres, a share of main-urban residents…) and the city-wide sharing
//! floor at least total cost; `Budget` covers the most residents (objective
//! weight) within a budget; `Sites` builds exactly N new sites and covers
//! the most. The sharing floor (T3) counts shared sites over all sites,
//! existing and new, once the plan is built; in `Budget` and `Sites` it
//! binds when asked for.
//!
//! # The method
//!
//! Lazy greedy (CELF) construction per mode, a repair that gives a full
//! site's slot to the operator short of coverage, a sharing fill and a
//! clean-up, price and bonus searches for the floor; then a local search
//! ([`local`]: ruin and recreate, deterministic at any thread count, its
//! work counted in trials with a wall-clock cap); then a bound
//! ([`bound`]: the LP relaxation by a real LP solver where the instance
//! fits, else a knapsack bound and the floor's own least cost).
//! [`solve()`] returns the stations in priority order with their kind,
//! cost, gain, purpose and the alternatives each beat, the bound with the
//! method that gave it, and what the search did.
//!
//! - [`problem`]: the instance, the modes and their checks.
//! - [`state`]: a plan under construction, [`Placement`] and [`Alternative`].
//! - `construct` (private): lazy greedy per mode, sharing fill, clean-up.
//! - [`local`]: the local search after construction.
//! - [`bound`]: lower bound on cost, upper bound on coverage, LP relaxation.
//! - [`capacity`]: traffic year by year: best servers, loads, served
//!   shares, the stations added where load exceeds capacity, and the
//!   clean-up of the stations they make redundant.
//! - [`solve`](mod@solve): the solve per mode and its [`Solution`].
//! - [`mclp`]: the classic maximal covering location problem (one operator,
//!   `p` sites): presolve, lazy greedy, swap and iterated local search, a
//!   Lagrangian bound.

#![warn(missing_docs)]

pub mod bound;
pub mod capacity;
mod construct;
pub mod lagrangian;
pub mod local;
pub mod mclp;
pub mod problem;
pub mod solve;
pub mod state;

pub use bound::Bound;
pub use capacity::{Capacity, CapacityOutcome, ServedTraffic, YearDriver};
pub use local::SearchOutcome;
pub use problem::{
    Mode, OtherSites, Params, Problem, ProblemError, Requirement, SiteChoice, StationKind, Weight,
    Yuan,
};
pub use solve::{
    complete, complete_beside_bound, construct, solve, solve_beside_bound, solve_with_cheap_bound,
    tighten_bound, Construction, RequirementOutcome, SharingOutcome, Solution,
};
pub use state::{Alternative, Placement, Purpose};
