//! One site the plan touches.

use serde::Serialize;
use siting_model::{LonLat, OperatorSet};

/// Whether the plan shares an existing site or builds a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// An existing site the plan shares.
    Existing,
    /// A new site the plan builds.
    New,
}

impl Origin {
    /// `"existing"` or `"new"`.
    pub fn code(self) -> &'static str {
        match self {
            Origin::Existing => "existing",
            Origin::New => "new",
        }
    }
}

/// A site of the plan, with every property of `plan.geojson`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSite {
    /// Id from the input layer.
    pub site_id: String,
    /// Existing or new.
    pub origin: Origin,
    /// `ground_tower`, `rooftop`, … as the input layer says.
    pub kind: String,
    /// WGS84 position.
    pub lonlat: LonLat,
    /// Operators on the site before the plan.
    pub tenants_before: OperatorSet,
    /// The plan's new base stations on the site.
    pub tenants_added: OperatorSet,
    /// District or county name.
    pub district: String,
    /// Its 6-digit code.
    pub adcode: String,
    /// Year the plan builds it.
    pub phase: u16,
    /// The plan's cost for this site, yuan.
    pub cost_yuan: f64,
    /// R3.
    pub camouflage: bool,
    /// R6.
    pub notice_board: bool,
    /// R8.
    pub planning_approval: bool,
    /// R9: who approves its environmental impact.
    pub eia_authority: String,
    /// Rules that shaped this site.
    pub rules: Vec<String>,
    /// Demand weight its new base stations newly cover.
    pub covered_weight_gain: f64,
}

impl PlanSite {
    /// Operators on the site once the plan is built.
    pub fn tenants_after(&self) -> OperatorSet {
        self.tenants_before.union(self.tenants_added)
    }

    /// Whether the site hosts two or more operators once the plan is built.
    pub fn shared(&self) -> bool {
        self.tenants_after().len() >= 2
    }
}
