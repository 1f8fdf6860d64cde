//! The pipeline: a config in, the plan and its report out.
//!
//! Data flows one way, in stages with narrow types, each usable on its own
//! (`siting score` runs the first three and reads a plan back):
//!
//! 1. [`run::load`]: the [`config`], parsed and checked once, and every layer
//!    it names ([`inputs`], fingerprinted), with the operators' radio
//!    ([`coverage::radio_models`]).
//! 2. [`prepare`](mod@prepare): the model in the metric CRS, R-trees, the
//!    rules' verdict on each site (`siting-rules`), the demand items with
//!    their [`environment`].
//! 3. [`run::cover`]: coverage sets per site and operator (`siting-coverage`, in parallel).
//! 4. [`rings`]: search rings where no site can serve, and their towers.
//! 5. [`problem`]: the optimiser's instance (options, costs, requirements, mode).
//! 6. `siting-optimize` solves it.
//! 7. [`outcome`]: the plan's sites, phases and report (`siting-plan`).
//! 8. [`write`](mod@write): the output files, all or none, the output folder
//!    switched whole.
//!
//! [`progress`]: the [`Progress`] observer a caller
//! gives [`run_with`] and [`write_with`] to hear of each stage and its
//! counts (the command line draws bars; the engine draws nothing).
//!
//! - [`map`](mod@map): the maps' layers from a run or from a written plan
//!   (`siting map`), drawn by `siting-map`.
//! - [`score`](mod@score): a written plan's coverage on any demand layer.
//! - [`check`](mod@check): a written plan checked against every rule and
//!   target from the layers alone (`siting check`).
//! - [`developments`]: R10's new developments, each adding demand and a
//!   candidate site.
//! - [`sharing_first`]: R1 as the share of a candidate's new coverage an
//!   existing site would give.
//! - [`terrain`]: terrain profiles from a DEM for diffraction.
//! - [`traffic`]: busy-hour traffic per item, operator and year, station
//!   capacities and best-server path losses (the optimiser's `Capacity`).
//! - [`mclp`](mod@mclp): the classic maximal covering location problem from
//!   two layers (`siting mclp`).
//! - [`EngineError`]: what can stop a run.

#![warn(missing_docs)]

pub mod check;
pub mod config;
pub mod coverage;
pub mod developments;
pub mod environment;
mod error;
pub mod inputs;
pub mod map;
pub mod mclp;
pub mod memory;
pub mod outcome;
pub mod prepare;
pub mod problem;
pub mod progress;
pub mod rings;
pub mod run;
pub mod score;
pub mod sharing_first;
pub mod terrain;
pub mod traffic;
pub mod write;

pub use check::{check, check_prepared, CheckReport, Violation};
pub use config::{Config, ConfigSource};
pub use error::EngineError;
pub use progress::{Progress, Silent, Stage, StageDone};
pub use run::{run, run_with, BeforePlan, RunOptions, RunOutput};
pub use score::{score, Score};
pub use write::{write, write_with, write_with_options, WriteOptions};
