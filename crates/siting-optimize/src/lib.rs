//! The optimiser: which operator puts a new base station on which site.
//!
//! It knows no geography. A [`Problem`] is a set of demand items with integer
//! weights, a set of sites (existing or candidate) each with a coverage set per
//! operator, capacities and costs in yuan, and a quota of new base stations per
//! operator. [`solve`] chooses placements that maximise newly covered weight
//! (cheaper first where coverage is equal), within an optional budget, with
//! sharing first (rule R1) and a minimum sharing rate (target T3).
//!
//! - [`problem`]: the instance and its checks.
//! - [`greedy`](mod@greedy): lazy (CELF) greedy for one sharing bonus.
//! - [`sharing`]: sharing-rate arithmetic and the search for the bonus that meets the target.
//! - [`bound`]: an upper bound on any feasible plan's newly covered weight.
//! - [`mclp`]: the classic maximal covering location problem (one operator,
//!   `p` sites): presolve, lazy greedy, swap and iterated local search, a
//!   Lagrangian bound.

#![warn(missing_docs)]

pub mod bound;
pub mod greedy;
pub mod mclp;
pub mod problem;
pub mod sharing;

pub use bound::upper_bound;
pub use greedy::{greedy, Placement};
pub use problem::{Params, Problem, ProblemError, SiteChoice, Weight, Yuan};
pub use sharing::{sharing_rate, solve, Solution};
