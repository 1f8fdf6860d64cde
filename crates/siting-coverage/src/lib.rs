//! Coverage sets: for every site and operator, the demand items a base
//! station of that operator on that site would cover.
//!
//! The hot loop of the engine: per site one range query on the demand index
//! (its grid of buckets), then one model evaluation per operator and demand
//! item found, over all sites in parallel with `rayon`. Sets come out
//! sorted, so the result is the same at any thread count; each is an
//! [`ItemSet`], shared rather than copied by those who read it.
//!
//! - [`sets`]: [`coverage_sets`], [`CoverageSets`] and the shared [`ItemSet`].

#![warn(missing_docs)]

pub mod sets;

pub use sets::{coverage_sets, coverage_sets_with, CoverageSets, Demand, ItemSet, SiteRadio};
