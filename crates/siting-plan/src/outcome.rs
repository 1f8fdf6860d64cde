//! What a run produces, before anything is written: the plan's sites, the
//! report, and each demand point's coverage.

use crate::report::Report;
use crate::site::PlanSite;
use siting_model::{Environment, LonLat, PerOperator};

/// One demand point and who covers it, for the GIS layers of the output.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandOutcome {
    /// Position, WGS84.
    pub lonlat: LonLat,
    /// Residents.
    pub residents: f64,
    /// Cell edge, metres.
    pub cell_m: f64,
    /// Radio environment.
    pub environment: Environment,
    /// District adcode, if inside one.
    pub adcode: Option<String>,
    /// Covered per operator before the plan (existing 4G).
    pub before: PerOperator<bool>,
    /// Covered per operator once the plan is built.
    pub after: PerOperator<bool>,
}

/// A whole run's result.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The plan's sites, in phase and priority order.
    pub sites: Vec<PlanSite>,
    /// The report.
    pub report: Report,
    /// Each demand point and its coverage.
    pub demand: Vec<DemandOutcome>,
}
