//! The plan a run writes: the contract with planners (`PLAN_FORMAT.md`).
//!
//! - [`site`]: [`PlanSite`], one site the plan touches, with every property of
//!   `plan.geojson`.
//! - [`report`]: [`Report`] and its parts, the figures of `report.json`, and
//!   the figures derived from the plan's sites alone.
//! - [`geojson`]: the plan as GeoJSON (RFC 7946, 7 decimals).
//! - [`markdown`]: the report for people (`report.md`).
//! - [`write`](mod@write): all files into an output folder, atomically.

#![warn(missing_docs)]

pub mod geojson;
pub mod markdown;
pub mod report;
pub mod site;
pub mod write;

pub use report::{
    ByDistrict, ByPhase, CoverageFigures, InputFile, Report, RuleCount, StationCounts, TargetCheck,
    UncoveredTownship,
};
pub use site::{Origin, PlanSite};
pub use write::{write_outputs, WriteError};
