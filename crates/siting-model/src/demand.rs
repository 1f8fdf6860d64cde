//! Demand: where people (and so traffic) are, as weighted points.

use crate::{LonLat, XyM};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Radio environment of a demand point, from density and zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// Dense urban core (high-rise, street canyons).
    DenseUrban,
    /// Urban.
    Urban,
    /// Suburban and town.
    Suburban,
    /// Rural and open.
    Rural,
}

impl Environment {
    /// All environments, densest first.
    pub const ALL: [Environment; 4] = [
        Environment::DenseUrban,
        Environment::Urban,
        Environment::Suburban,
        Environment::Rural,
    ];

    /// Code used in configs and reports.
    pub fn code(self) -> &'static str {
        match self {
            Environment::DenseUrban => "dense_urban",
            Environment::Urban => "urban",
            Environment::Suburban => "suburban",
            Environment::Rural => "rural",
        }
    }

    /// Position in [`Environment::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A weighted demand point (the centre of a demand cell).
#[derive(Debug, Clone, PartialEq)]
pub struct DemandPoint {
    /// Position in the metric CRS, metres.
    pub xy: XyM,
    /// Position as read, WGS84.
    pub lonlat: LonLat,
    /// Demand weight (modelled residents in the embedded data set); non-negative.
    pub weight: f64,
    /// Cell edge length, metres, if the layer is a grid.
    pub cell_m: Option<f64>,
    /// Busy-hour traffic the layer gives for the point, all operators:
    /// `(year, Mbit/s)` ascending by year (from `traffic_mbps_YYYY`
    /// properties); empty where the layer gives none.
    pub traffic_mbps: Vec<(u16, f64)>,
}
