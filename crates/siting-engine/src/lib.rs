//! The pipeline: a config in, the plan and its report out.
//!
//! Data flows one way: [`config`] names the layers → `siting-layers` reads them
//! into the metric model → `siting-index` builds the R-trees → `siting-rules`
//! judges every site → `siting-coverage` computes coverage sets in parallel →
//! `siting-optimize` places the base stations → [`assemble`] turns placements
//! into plan sites and the report → `siting-plan` writes them.
//!
//! - [`config`]: the run's TOML config ([`Config`]), validated.
//! - [`inputs`]: reading every layer and fingerprinting it.
//! - [`environment`]: demand density and zones → radio environment.
//! - [`run`](mod@run): [`run()`], the whole pipeline, returning a [`RunOutput`].
//! - [`assemble`]: plan sites, phases and report figures.
//! - [`terrain`]: terrain profiles from a DEM for diffraction.
//! - [`mclp`](mod@mclp): the classic maximal covering location problem from
//!   two layers (`siting mclp`).
//! - [`EngineError`]: what can stop a run.

#![warn(missing_docs)]

pub mod assemble;
pub mod config;
pub mod environment;
mod error;
pub mod inputs;
pub mod mclp;
pub mod run;
pub mod terrain;

pub use config::{Config, ConfigSource};
pub use error::EngineError;
pub use run::{run, write, RunOutput};
