//! The planning rules as data, and the verdict they give on each site.
//!
//! - [`catalogue`]: the rule and target table ([`Catalogue`]), read from the
//!   embedded `rules.toml` with each item's source article.
//! - [`params`]: the parameters a config sets for the rules ([`RuleParams`])
//!   and the costs of the works ([`Costs`]).
//! - [`verdict`]: what the rules say of one site ([`Verdict`], [`judge`]).
//!
//! A new rule goes into `rules.toml` (its id, title and source), its parameters
//! into [`RuleParams`], and its effect into [`judge`].

#![warn(missing_docs)]

pub mod catalogue;
pub mod params;
pub mod verdict;

pub use catalogue::{Catalogue, CatalogueError, Entry};
pub use params::{Costs, KindCosts, RuleParams};
pub use verdict::{judge, EiaAuthority, Exclusion, Verdict};
