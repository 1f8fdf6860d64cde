//! Parameters of the rules, set in a run's config.

use serde::{Deserialize, Serialize};
use siting_model::{SiteKind, ZoneClass};

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

/// The parameters of the enabled rules of a [`RuleBook`](crate::RuleBook),
/// each `None` when its rule is switched off (R2 and R12 cannot be).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleParams {
    /// R1: sharing first.
    pub r1: Option<SharingFirst>,
    /// R3: camouflage in protected zones.
    pub r3: Option<Camouflage>,
    /// R4: usage fees of private buildings and poles.
    pub r4: Option<UsageFee>,
    /// R5: roof load.
    pub r5: Option<RoofLoad>,
    /// R6: electromagnetic exposure (GB 8702-2014) and notice boards.
    pub r6: Option<Exposure>,
    /// R7: preferred kinds of site.
    pub r7: Option<Preference>,
    /// R8: planning approval of standalone towers.
    pub r8: Option<PlanningApproval>,
    /// R9: who approves environmental impact.
    pub r9: Option<EiaRouting>,
    /// R10: developments that bring demand and sites.
    pub r10: Option<DemandSources>,
    /// R11: indoor systems built by the tower company and shared.
    pub r11: Option<IndoorSharing>,
    /// R12: layer properties that would reserve a site for one operator.
    pub reservation_fields: Vec<String>,
}

/// R1: a candidate may not serve an operator where an existing site with a
/// free slot would give it at least `min_share` of the same new coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharingFirst {
    /// Share of the candidate's new coverage (residents) an existing site
    /// must reach to take the station, in (0, 1].
    pub min_share: f64,
}

/// R3: camouflage on every site in a protected zone that receives new
/// antennas, existing or new.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Camouflage {
    /// The protected zone classes.
    pub zone_classes: Vec<ZoneClass>,
    /// Zone classes where no standalone tower may stand.
    #[serde(default)]
    pub no_ground_tower_in: Vec<ZoneClass>,
    /// Surcharge on a new site, by kind, yuan.
    pub new_site_yuan: KindCosts,
    /// Disguised antennas for each new station on an existing site, by kind, yuan.
    pub per_station_yuan: KindCosts,
}

/// R4: public buildings host sites free; private buildings and poles are paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageFee {
    /// Fee for a new site on a private building or pole over the plan years,
    /// by kind, yuan.
    pub new_site_yuan: KindCosts,
    /// Fee for each new tenant on an existing private site, by kind, yuan.
    pub per_tenant_yuan: KindCosts,
}

/// R5: a roof carries at most its load capacity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoofLoad {
    /// Mass one tenant's equipment puts on a roof, kilograms.
    pub tenant_mass_kg: f64,
}

/// R6: a site's EIRP summed over its tenants stays within its share of the
/// GB 8702-2014 limit at every sensitive place; sites in or near sensitive
/// zones post a notice board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exposure {
    /// The sensitive zone classes (residential communities, schools, hospitals).
    pub zone_classes: Vec<ZoneClass>,
    /// The frequency whose public limit applies, MHz.
    pub frequency_mhz: f64,
    /// One site's share of the power-density limit (HJ/T 10.3-1996: 0.2).
    pub site_fraction: f64,
    /// A site this close to a sensitive zone posts a notice board, metres.
    pub notice_within_m: f64,
    /// Horizontal distance assumed from a site inside a sensitive zone to
    /// the nearest sensitive building, metres: a zone locates its buildings
    /// only as an area (0, the default, puts one at the antenna's foot).
    #[serde(default)]
    pub inside_distance_m: f64,
    /// One tenant's EIRP in its main beam, by kind, dBm.
    pub eirp_dbm: KindCosts,
}

impl Exposure {
    /// The power density one site may add, W/m² (checked when the book is read).
    pub fn limit_w_m2(&self) -> f64 {
        crate::emf::site_limit_w_m2(self.frequency_mhz, self.site_fraction).unwrap_or(f64::NAN)
    }

    /// One tenant's EIRP on a site of `kind`, watts.
    pub fn tenant_eirp_w(&self, kind: SiteKind) -> f64 {
        crate::emf::dbm_to_w(self.eirp_dbm.get(kind))
    }

    /// Compliance distance of `tenants` tenants on a site of `kind`, metres.
    pub fn distance_m(&self, kind: SiteKind, tenants: u32) -> f64 {
        crate::emf::compliance_distance_m(
            self.tenant_eirp_w(kind) * tenants as f64,
            self.limit_w_m2(),
        )
    }
}

/// R7: among options of equal merit, the preferred kind wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preference {
    /// Site kinds, most preferred first.
    pub order: Vec<SiteKind>,
    /// A public building before a private one of the same kind.
    pub public_first: bool,
}

impl Preference {
    /// Rank of a site, lower preferred.
    pub fn rank(&self, kind: SiteKind, public_building: bool) -> u32 {
        let k = self
            .order
            .iter()
            .position(|o| *o == kind)
            .unwrap_or(self.order.len()) as u32;
        2 * k + u32::from(self.public_first && !public_building)
    }
}

/// R8: a new standalone tower needs planning approval before it is built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanningApproval {
    /// Months from the plan's start before such a tower can stand.
    pub lead_time_months: u32,
}

impl PlanningApproval {
    /// The first year a tower may be built in a plan starting in January of
    /// `first_year`.
    pub fn earliest_year(&self, first_year: u16) -> u16 {
        first_year + (self.lead_time_months / 12) as u16
    }
}

/// R9: where each station's environmental impact is approved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EiaRouting {
    /// The municipal bureau, approving the plan's stations in batches.
    pub municipal: String,
    /// The New Area's own branch.
    pub new_area: String,
    /// The zone class of the New Area.
    pub new_area_class: ZoneClass,
    /// A station outside the plan's batches goes to its district's bureau:
    /// the name with `{district}` replaced.
    pub district_bureau: String,
    /// The years whose stations the municipal bureau approves in batch.
    pub batch_years: Vec<u16>,
}

/// R10: new developments of these kinds include telecom facilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandSources {
    /// The development kinds the rule lists.
    pub kinds: Vec<String>,
}

/// R11: indoor systems in the listed venues are built by the tower company
/// and shared (T5's indoor KPIs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndoorSharing {
    /// Venue kinds.
    pub venues: Vec<String>,
    /// Share of indoor systems that are shared (T5: 0.45).
    pub sharing_target: f64,
    /// Share of new indoor systems co-built for two or more operators (T5: 0.35).
    pub co_building_target: f64,
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
    /// Building a new indoor system by the kind of venue it serves
    /// (`metro`, `railway`, …), where it differs from `build_yuan.indoor`.
    #[serde(default)]
    pub indoor_venue_yuan: std::collections::BTreeMap<String, f64>,
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
