//! Sites (站址): existing towers, rooftops and poles, and candidate spots.

use crate::{LonLat, Operator, OperatorSet, PerOperator, TechSet, Technology, XyM};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What physically carries the antennas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// A standalone, land-occupying tower (needs planning approval, R8).
    GroundTower,
    /// A mount on a building roof (load capacity applies, R5).
    Rooftop,
    /// Shared street furniture: a light or advertising pole (混合型基站, R7).
    StreetPole,
    /// An indoor distribution system (R11).
    Indoor,
}

impl SiteKind {
    /// All kinds, in a fixed order.
    pub const ALL: [SiteKind; 4] = [
        SiteKind::GroundTower,
        SiteKind::Rooftop,
        SiteKind::StreetPole,
        SiteKind::Indoor,
    ];

    /// The code used in layers and in the plan (`ground_tower`, …).
    pub fn code(self) -> &'static str {
        match self {
            SiteKind::GroundTower => "ground_tower",
            SiteKind::Rooftop => "rooftop",
            SiteKind::StreetPole => "street_pole",
            SiteKind::Indoor => "indoor",
        }
    }
}

impl fmt::Display for SiteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for SiteKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SiteKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| {
                format!("unknown site kind {s:?} (expected ground_tower, rooftop, street_pole or indoor)")
            })
    }
}

/// Whether a site stands already or is a spot the plan may build on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteOrigin {
    /// Built before the plan (end-2014); may be shared.
    Existing,
    /// A candidate spot; the plan may build a new site here.
    Candidate,
}

/// One site, existing or candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Id from the input layer, unique across both site layers.
    pub id: String,
    /// Existing or candidate.
    pub origin: SiteOrigin,
    /// What carries the antennas.
    pub kind: SiteKind,
    /// Position in the metric CRS, metres.
    pub xy: XyM,
    /// Position as read, WGS84.
    pub lonlat: LonLat,
    /// Antenna height above ground, metres.
    pub height_m: f64,
    /// How many operators the site can host (tenant slots).
    pub capacity: u8,
    /// Operators on the site before the plan.
    pub tenants: OperatorSet,
    /// The technologies each tenant runs before the plan (empty for an
    /// operator that is not a tenant).
    pub technologies: PerOperator<TechSet>,
    /// On a public institution or government-invested facility (R4: free of charge).
    pub public_building: bool,
    /// Roof load capacity for a rooftop mount, kilograms (R5); `None` if unknown.
    pub load_capacity_kg: Option<f64>,
    /// A human-readable name, if the layer has one.
    pub name: Option<String>,
    /// For an indoor distribution system: the kind of venue it serves
    /// (`metro`, `railway`, `airport`, …; R11).
    pub venue: Option<String>,
    /// For an indoor distribution system: the radius of the building or
    /// complex it serves, metres.
    pub footprint_m: Option<f64>,
}

impl Site {
    /// Tenant slots still free before the plan.
    pub fn spare_slots(&self) -> u8 {
        self.capacity.saturating_sub(self.tenants.len() as u8)
    }

    /// Tenants that already run 4G here: they serve 4G demand before the
    /// plan, and the plan adds no 4G station for them.
    pub fn lte(&self) -> OperatorSet {
        self.tenants
            .iter()
            .filter(|op| self.technologies[*op].contains(Technology::G4))
            .collect()
    }

    /// Whether the site hosts two or more operators before the plan.
    pub fn shared(&self) -> bool {
        self.tenants.len() >= 2
    }

    /// The tenants in their layer form: `CMCC:2G+3G+4G`, one per tenant.
    pub fn tenant_codes(&self) -> Vec<String> {
        self.tenants
            .iter()
            .map(|op: Operator| format!("{op}:{}", self.technologies[op]))
            .collect()
    }
}
