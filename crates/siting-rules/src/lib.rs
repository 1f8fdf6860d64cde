//! The planning rules as data, and the verdict they give on each site.
//!
//! - [`book`]: a city's rules and targets read from a TOML file
//!   ([`RuleBook`]; `data/rules/chongqing-2016.toml` ships), each rule with
//!   its source article, kind, on/off switch and typed parameters.
//! - [`catalogue`]: a rule or target as plans cite it ([`Entry`]).
//! - [`params`]: each rule's parameters ([`RuleParams`]) and the costs of the
//!   works ([`Costs`]).
//! - [`emf`]: GB 8702-2014's public exposure limits and compliance distances.
//! - [`verdict`]: what the rules say of one site ([`Verdict`], [`judge`]).
//!
//! A new rule goes into the book (its id, title, kind, source and params),
//! its typed parameters into [`params`], and its effect into [`judge`].

#![warn(missing_docs)]

pub mod book;
pub mod catalogue;
pub mod emf;
pub mod params;
pub mod verdict;

pub use book::{BookError, Rule, RuleBook, RuleKind};
pub use catalogue::Entry;
pub use params::{Costs, KindCosts, RuleParams};
pub use verdict::{judge, EiaAuthority, Exclusion, Surroundings, Verdict};
