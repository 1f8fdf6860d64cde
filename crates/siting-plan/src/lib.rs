//! The plan a run writes: the contract with planners (`PLAN_FORMAT.md`).
//!
//! - [`site`]: [`PlanSite`], one site the plan touches, with every property of
//!   `plan.geojson`; how each station lands ([`Way`]) and why ([`Reason`]).
//! - [`coverage`]: coverage figures per operator from who covers which item,
//!   shared by the report and `siting score`.
//! - [`report`]: [`Report`] and its parts, the figures of `report.json`, and
//!   the figures derived from the plan's sites.
//! - [`outcome`]: [`Outcome`], everything a run produces before writing.
//! - [`geojson`]: the plan as GeoJSON (RFC 7946, 7 decimals).
//! - [`read`]: a written `plan.geojson` read back.
//! - [`markdown`]: the report for people (`report.md`).
//! - [`approvals`]: the lists per EIA authority and year (`approvals/*.csv`).
//! - [`diff`](mod@diff): two written plans compared (`siting diff`).
//! - [`write`](mod@write): all files into an output folder, atomically, and
//!   the output folder switched whole ([`write_folder`]).

#![warn(missing_docs)]

pub mod approvals;
pub mod coverage;
pub mod diff;
pub mod geojson;
pub mod markdown;
pub mod outcome;
pub mod read;
pub mod report;
pub mod site;
pub mod write;

pub use approvals::{approval_files, approval_lists, ApprovalError, ApprovalList};
pub use coverage::{coverage_figures, CoverageFigures, DemandItems};
pub use diff::{diff_plans, DiffError, PlanDiff};
pub use outcome::{DemandOutcome, Outcome};
pub use read::{read_plan, PlanReadError};
pub use report::{
    BeforeAfter, DistrictRow, DistrictTraffic, Engine, EnvironmentDensity, ExcludedSite,
    IndoorSharing, InputFile, Investment, NewSites, Objective, PhaseRow, Report, RequirementRow,
    RuleCount, SearchRing, Sharing, Stations, TargetCheck, TrafficReport, TrafficYear,
    UncoveredTownship, ValidityRow, Ways, WithoutGain,
};
pub use site::{Driver, Origin, PlanSite, Reason, SiteAlternative, StationTraffic, Way};
pub use write::{write_folder, write_outputs, WriteError};
