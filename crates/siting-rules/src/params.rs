//! Parameters of the rules, set in a run's config.

use serde::{Deserialize, Serialize};
use siting_model::SiteKind;

/// An amount per site kind (yuan, dBm or metres, as the field says).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindCosts {
    /// Standalone tower, yuan.
    pub ground_tower: f64,
    /// Rooftop mount, yuan.
    pub rooftop: f64,
    /// Street pole, yuan.
    pub street_pole: f64,
    /// Indoor system, yuan.
    pub indoor: f64,
}

impl KindCosts {
    /// The amount for a kind, yuan.
    pub fn get(&self, kind: SiteKind) -> f64 {
        match kind {
            SiteKind::GroundTower => self.ground_tower,
            SiteKind::Rooftop => self.rooftop,
            SiteKind::StreetPole => self.street_pole,
            SiteKind::Indoor => self.indoor,
        }
    }
}

/// What the rules need to know beyond the site and its zones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleParams {
    /// R1 as a hard rule (default) or off.
    #[serde(default = "yes")]
    pub sharing_first: bool,
    /// R5: mass one tenant's equipment puts on a roof, kilograms.
    pub tenant_mass_kg: f64,
    /// R6: EIRP of one base station, by kind, dBm.
    pub eirp_dbm: KindCosts,
    /// R6: power density a single site may add, W/m² (GB 8702-2014's 0.4 W/m²
    /// below 3 GHz, at the 1/5 share HJ/T 10.3-1996 allows one project: 0.08).
    #[serde(default = "single_site_limit")]
    pub power_density_limit_w_m2: f64,
    /// R9: the authority for stations of the plan outside Liangjiang.
    #[serde(default = "municipal")]
    pub eia_municipal: String,
    /// R9: the authority for stations inside Liangjiang New Area.
    #[serde(default = "liangjiang")]
    pub eia_liangjiang: String,
}

/// What a plan's works cost, yuan: the tower company's infrastructure (new
/// sites, and the work on an existing site a new 4G station needs) and the
/// operators' 4G equipment, apart, as T2 counts the first only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// Building a new site, by kind: tower or mount, machine room or
    /// cabinet, power, air conditioning; for an indoor site its
    /// distribution system.
    pub build_yuan: KindCosts,
    /// R3: camouflage surcharge on a new site in a protected zone, by kind.
    pub camouflage_yuan: KindCosts,
    /// Building a new indoor system by the kind of venue it serves
    /// (`metro`, `railway`, …), where it differs from `build_yuan.indoor`.
    #[serde(default)]
    pub indoor_venue_yuan: std::collections::BTreeMap<String, f64>,
    /// R4: usage fee of a non-public building or pole for a new site over
    /// the plan period, by kind (0 for standalone towers, on land of their own).
    pub usage_fee_yuan: KindCosts,
    /// Infrastructure work when an operator joins an existing site
    /// (co-location), by kind: antenna mounts, power and transmission for
    /// one more tenant (for an indoor system, a combiner port and power).
    pub co_location_yuan: KindCosts,
    /// Infrastructure work when a tenant adds 4G to its own site (overlay):
    /// power and transmission upgrades.
    pub overlay_yuan: f64,
    /// One operator's 4G equipment and its installation (eNodeB baseband,
    /// radio units, antennas), by the kind of site it goes on.
    pub equipment_yuan: KindCosts,
    /// Acquiring a site in a search ring, on top of building a ground tower.
    #[serde(default)]
    pub site_acquisition_yuan: f64,
}

fn yes() -> bool {
    true
}
fn single_site_limit() -> f64 {
    0.08
}
fn municipal() -> String {
    "重庆市环境保护局".into()
}
fn liangjiang() -> String {
    "两江新区环境保护分局".into()
}
