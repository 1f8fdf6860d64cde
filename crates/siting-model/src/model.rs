//! The whole input model.

use crate::{DemandPoint, District, Site, Township, Zone};

/// Every input layer, normalised into the metric CRS.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// The working metric CRS, as a PROJ definition (e.g. `EPSG:4545`).
    pub metric_crs: String,
    /// District and county boundaries.
    pub districts: Vec<District>,
    /// Township centres.
    pub townships: Vec<Township>,
    /// Demand points.
    pub demand: Vec<DemandPoint>,
    /// Existing sites, then candidate sites (ids unique across both).
    pub sites: Vec<Site>,
    /// Zones.
    pub zones: Vec<Zone>,
}

impl Model {
    /// Total demand weight.
    pub fn total_weight(&self) -> f64 {
        self.demand.iter().map(|d| d.weight).sum()
    }
}
