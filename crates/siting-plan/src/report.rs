//! The figures of `report.json`, and those derived from the plan's sites.

use crate::coverage::CoverageFigures;
use crate::site::{Origin, PlanSite, Way};
use serde::Serialize;
use siting_model::{Operator, PerOperator};
use std::collections::BTreeMap;

/// The definition of the sharing rate every report states.
pub const SHARING_DEFINITION: &str = "shared sites (two or more operators) over all sites of the area, existing and new, once the plan is built (T3, 渝府办发〔2015〕41号 §1)";

/// The engine that wrote the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Engine {
    /// `siting`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// New sites (T1): in total and by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct NewSites {
    /// All new sites.
    pub total: u64,
    /// By kind (`ground_tower`, `rooftop`, `street_pole`, `indoor`).
    pub by_kind: BTreeMap<String, u64>,
    /// Of them, towers at search-ring centres whose site must be acquired.
    pub site_acquisition: u64,
}

/// Counts by way of landing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Ways {
    /// Overlays on the operator's own existing sites.
    pub overlay: u64,
    /// Co-locations on existing sites of other operators.
    pub co_location: u64,
    /// Stations on new sites.
    pub new_site: u64,
}

impl Ways {
    /// The count of one way.
    pub fn get_mut(&mut self, way: Way) -> &mut u64 {
        match way {
            Way::Overlay => &mut self.overlay,
            Way::CoLocation => &mut self.co_location,
            Way::NewSite => &mut self.new_site,
        }
    }

    /// All three.
    pub fn total(&self) -> u64 {
        self.overlay + self.co_location + self.new_site
    }
}

/// The plan's new 4G stations.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Stations {
    /// All of them.
    pub total: u64,
    /// Per operator.
    pub by_operator: PerOperator<u64>,
    /// Overlay, co-location, new site.
    pub by_way: Ways,
    /// Per operator, by way.
    pub by_operator_and_way: PerOperator<Ways>,
}

impl Stations {
    /// Counts the new stations of the sites.
    pub fn of<'a>(sites: impl IntoIterator<Item = &'a PlanSite>) -> Self {
        let mut c = Stations::default();
        for s in sites {
            for op in s.stations_added.iter() {
                let way = s.way(op).expect("a station added");
                c.total += 1;
                c.by_operator[op] += 1;
                *c.by_way.get_mut(way) += 1;
                *c.by_operator_and_way[op].get_mut(way) += 1;
            }
        }
        c
    }
}

/// A figure before and after the plan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BeforeAfter {
    /// Before.
    pub before: u64,
    /// After.
    pub after: u64,
}

/// The portfolio's sharing (T3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sharing {
    /// How the rate is defined.
    pub definition: String,
    /// Shared sites over all sites before the plan.
    pub rate_before: f64,
    /// Shared sites over all sites once the plan is built.
    pub rate_after: f64,
    /// Share of the plan's new sites that are shared.
    pub new_sites_shared_share: f64,
    /// Tenants per site before the plan, over the whole portfolio.
    pub tenancy_ratio_before: f64,
    /// Tenants per site once the plan is built, over the whole portfolio.
    pub tenancy_ratio_after: f64,
    /// Sites before the plan.
    pub sites_before: u64,
    /// Sites once the plan is built.
    pub sites_after: u64,
    /// Shared sites before the plan.
    pub shared_before: u64,
    /// Shared sites once the plan is built.
    pub shared_after: u64,
    /// Tenancies (operator–site pairs) before the plan.
    pub tenancies_before: u64,
    /// Tenancies once the plan is built.
    pub tenancies_after: u64,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Sharing {
    /// The portfolio's sharing once the plan's sites are built, from the
    /// portfolio before the plan (`sites`, `shared`, `tenancies`) and the
    /// plan's sites.
    ///
    /// ```
    /// use siting_model::{LonLat, Operator, OperatorSet, PerOperator};
    /// use siting_plan::{PlanSite, Origin, Reason, Sharing};
    /// let site = |origin, before: &[Operator], added: &[Operator]| PlanSite {
    ///     site_id: "s".into(), origin, kind: "ground_tower".into(), lonlat: LonLat { lon: 0.0, lat: 0.0 },
    ///     height_m: 30.0, tenants_before: before.iter().copied().collect(), technologies_before: vec![],
    ///     stations_added: added.iter().copied().collect(), district: "d".into(), adcode: "500101".into(),
    ///     phase: 2015, station_phases: PerOperator::default(), build_cost_yuan: 0.0, station_cost_yuan: 0.0,
    ///     reason: Reason::Coverage, station_reasons: PerOperator::default(),
    ///     covered_gain: PerOperator::default(), camouflage: false,
    ///     notice_board: false, planning_approval: false, eia_authority: "m".into(), rules: vec![],
    ///     site_acquisition: false, station_drivers: PerOperator::default(),
    ///     station_traffic: PerOperator::default(), alternatives: Vec::new(),
    /// };
    /// use Operator::*;
    /// // 10 sites, 1 shared, 11 tenancies; a co-location shares one more,
    /// // an overlay changes nothing, a new site with two operators adds a shared site.
    /// let plan = [
    ///     site(Origin::Existing, &[Cmcc], &[Cucc]),
    ///     site(Origin::Existing, &[Cmcc], &[Cmcc]),
    ///     site(Origin::New, &[], &[Cucc, Ctcc]),
    /// ];
    /// let s = Sharing::of(10, 1, 11, &plan);
    /// assert_eq!((s.sites_after, s.shared_after, s.tenancies_after), (11, 3, 14));
    /// assert_eq!(s.new_sites_shared_share, 1.0);
    /// ```
    pub fn of(sites: u64, shared: u64, tenancies: u64, plan: &[PlanSite]) -> Sharing {
        let new: Vec<&PlanSite> = plan.iter().filter(|s| s.origin == Origin::New).collect();
        let newly_shared = plan
            .iter()
            .filter(|s| s.shared() && !s.shared_before())
            .count() as u64;
        let added: u64 = plan.iter().map(|s| s.tenants_added().len() as u64).sum();
        let sites_after = sites + new.len() as u64;
        let shared_after = shared + newly_shared;
        let tenancies_after = tenancies + added;
        Sharing {
            definition: SHARING_DEFINITION.into(),
            rate_before: ratio(shared, sites),
            rate_after: ratio(shared_after, sites_after),
            new_sites_shared_share: ratio(
                new.iter().filter(|s| s.shared()).count() as u64,
                new.len() as u64,
            ),
            tenancy_ratio_before: ratio(tenancies, sites),
            tenancy_ratio_after: ratio(tenancies_after, sites_after),
            sites_before: sites,
            sites_after,
            shared_before: shared,
            shared_after,
            tenancies_before: tenancies,
            tenancies_after,
        }
    }
}

/// The plan's investment, yuan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Investment {
    /// Infrastructure: new sites and the work on existing ones (T2 counts this).
    pub infrastructure: f64,
    /// The operators' 4G equipment.
    pub equipment: f64,
    /// Both.
    pub total: f64,
    /// Infrastructure of the new sites alone.
    pub new_sites_infrastructure: f64,
    /// Infrastructure of the new sites per new site (T2's ≈255,000 yuan).
    pub per_new_site_infrastructure: f64,
}

impl Investment {
    /// Sums the plan's sites.
    pub fn of(plan: &[PlanSite]) -> Investment {
        let infrastructure: f64 = plan.iter().map(|s| s.build_cost_yuan).sum();
        let equipment: f64 = plan.iter().map(|s| s.station_cost_yuan).sum();
        let new: Vec<&PlanSite> = plan.iter().filter(|s| s.origin == Origin::New).collect();
        let new_sites_infrastructure: f64 = new.iter().map(|s| s.build_cost_yuan).sum();
        Investment {
            infrastructure,
            equipment,
            total: infrastructure + equipment,
            new_sites_infrastructure,
            per_new_site_infrastructure: if new.is_empty() {
                0.0
            } else {
                new_sites_infrastructure / new.len() as f64
            },
        }
    }
}

/// One target: what is required, what the plan gives, met or not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetCheck {
    /// `T1`…
    pub id: String,
    /// What the target says.
    pub title: String,
    /// Document and article.
    pub source: String,
    /// The required value, in words with its comparison.
    pub required: String,
    /// The required value as a number.
    pub required_value: f64,
    /// The plan's value.
    pub value: f64,
    /// Whether it is met; `null` for an estimate (T2).
    pub met: Option<bool>,
    /// Why it is met or not, or how the plan compares with an estimate.
    pub reason: String,
}

/// How one coverage requirement came out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementRow {
    /// Operator code.
    pub operator: String,
    /// `township_centres`, `main_urban`, `rest`.
    pub what: String,
    /// What it asks, in its unit (centres, or residents).
    pub requested: f64,
    /// The most the data allows (covered before, or by some site the operator can go on).
    pub achievable: f64,
    /// Covered before the plan.
    pub covered_before: f64,
    /// Covered once the plan is built.
    pub covered_after: f64,
    /// Whether the plan covers what was asked.
    pub met: bool,
    /// `township centres` or `residents`.
    pub unit: String,
}

/// A township centre some operator does not cover once the plan is built.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncoveredTownship {
    /// 9-digit NBS code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// Its district's adcode.
    pub county_adcode: String,
    /// Operators that do not cover it.
    pub operators: Vec<String>,
    /// Why: no site can serve it, or the plan left it.
    pub why: String,
    /// The search ring around it, where no site can serve it.
    pub search_ring: Option<String>,
}

/// Demand no existing site or candidate can cover for some operator,
/// grouped around a suggested centre.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchRing {
    /// `ring-001`…
    pub id: String,
    /// Suggested centre (residents' weighted centroid), WGS84 lon, lat.
    pub centre: [f64; 2],
    /// Radius of the ring around the centre, metres.
    pub radius_m: f64,
    /// Residents in the ring some operator cannot serve.
    pub residents: f64,
    /// Operators short of it.
    pub operators: Vec<String>,
    /// Demand points in it.
    pub demand_points: u64,
    /// Township centres in it (codes).
    pub township_centres: Vec<String>,
    /// District of the centre (adcode).
    pub adcode: String,
    /// Polygon of the ring, WGS84 (closed).
    #[serde(skip)]
    pub polygon: Vec<[f64; 2]>,
}

/// The mode's objective and the bound on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    /// `targets`, `budget` or `sites`.
    pub mode: String,
    /// What is optimised, in words.
    pub description: String,
    /// The plan's value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// A bound on the optimum: a lower bound on cost in `targets`, an upper
    /// bound on coverage otherwise.
    pub bound: f64,
    /// `lower bound on cost` or `upper bound on coverage`.
    pub bound_kind: String,
    /// How the bound was found.
    pub bound_method: String,
    /// Residents newly covered, summed over operators (real residents, no
    /// bonus weights): in `budget` and `sites` the objective's resident part.
    pub residents_newly_covered: f64,
    /// Township centres newly covered, summed over operators.
    pub township_centres_newly_covered: u64,
    /// The bonus weight a township centre newly covered adds to the
    /// objective in `budget` and `sites` (`objective.township_centre_weight`;
    /// a weight, not residents).
    pub township_centre_weight: f64,
    /// How far the plan can be from the optimum, 0..1; `null` where the
    /// bound does not apply (in `targets`, a plan that misses a requirement
    /// the data allows or a served-traffic share).
    pub gap: Option<f64>,
}

/// Stations that newly cover nobody.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithoutGain {
    /// How many.
    pub count: u64,
    /// Why the mode placed them (empty when none).
    pub reason: String,
}

/// One row per district or county.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictRow {
    /// 6-digit code.
    pub adcode: String,
    /// Chinese name.
    pub name: String,
    /// Residents on the demand layer.
    pub residents: f64,
    /// Share of residents each operator covers once the plan is built.
    pub coverage_share_after: PerOperator<f64>,
    /// Residents each operator's new stations in this district newly cover,
    /// wherever those residents live (a station near the boundary covers
    /// residents of the next district too, so this can exceed `residents`).
    pub covered_gain: PerOperator<f64>,
    /// Residents of this district each operator newly covers (its demand
    /// cells covered once the plan is built and not before), whichever
    /// station covers them: at most `residents`.
    pub newly_covered: PerOperator<f64>,
    /// New sites.
    pub new_sites: u64,
    /// New 4G stations.
    pub new_4g_stations: u64,
    /// By way.
    pub stations_by_way: Ways,
    /// Sites once the plan is built.
    pub sites_after: u64,
    /// Shared sites once the plan is built.
    pub shared_after: u64,
    /// `shared_after / sites_after`.
    pub sharing_rate_after: f64,
    /// Infrastructure, yuan.
    pub investment_yuan: f64,
    /// Equipment, yuan.
    pub equipment_yuan: f64,
}

/// One row per phase year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseRow {
    /// The year.
    pub year: u16,
    /// Sites first worked on that year.
    pub sites: u64,
    /// New sites built that year.
    pub new_sites: u64,
    /// New 4G stations that year.
    pub new_4g_stations: u64,
    /// Infrastructure, yuan.
    pub investment_yuan: f64,
    /// Equipment, yuan.
    pub equipment_yuan: f64,
    /// New 4G stations that year by reason (`township_centre`, …, `capacity`).
    pub stations_by_reason: BTreeMap<String, u64>,
    /// New 4G stations that year by what set their year (`target`, `load`,
    /// `lead_time`); empty for plans without drivers.
    pub stations_by_driver: BTreeMap<String, u64>,
}

/// The stations of `year`, counted by a label of each.
fn count_stations(
    plan: &[PlanSite],
    year: u16,
    label: &dyn Fn(&PlanSite, siting_model::Operator) -> Option<&'static str>,
) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for s in plan {
        for op in s.stations_added.iter() {
            if s.station_phases[op] == Some(year) {
                if let Some(l) = label(s, op) {
                    *out.entry(l.to_string()).or_insert(0) += 1;
                }
            }
        }
    }
    out
}

/// One operator's busy-hour traffic in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrafficYear {
    /// The year.
    pub year: u16,
    /// Traffic of the demand the operator's 4G covers that year, Mbit/s.
    pub covered_mbps: f64,
    /// What its stations carry, Mbit/s.
    pub served_mbps: f64,
    /// Covered traffic its stations cannot carry (overloaded), Mbit/s.
    pub unserved_mbps: f64,
    /// Traffic of demand no station of it covers, Mbit/s.
    pub uncovered_mbps: f64,
    /// Served over covered traffic, 0..1.
    pub served_share: f64,
    /// The least share asked for, 0..1.
    pub min_served_share: f64,
    /// The lowest district's served share, where the share is counted per district.
    pub lowest_district_share: Option<f64>,
    /// That district's name.
    pub lowest_district: Option<String>,
    /// Whether the share holds (in every district where counted per district).
    pub met: bool,
}

/// A district's busy-hour traffic in the plan's last year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictTraffic {
    /// 6-digit code.
    pub adcode: String,
    /// Chinese name.
    pub name: String,
    /// Per operator, the covered traffic, Mbit/s.
    pub covered_mbps: PerOperator<f64>,
    /// Per operator, the served share, 0..1.
    pub served_share: PerOperator<f64>,
    /// New 4G stations there placed for capacity.
    pub capacity_stations: u64,
    /// New 4G stations there placed for coverage (T4 and other coverage).
    pub coverage_stations: u64,
}

/// 4G stations per km² in one radio environment, before and after the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvironmentDensity {
    /// `dense_urban`, `urban`, `suburban`, `rural`.
    pub environment: String,
    /// Area of the demand cells of that environment, km².
    pub area_km2: f64,
    /// Operators' 4G stations standing there before the plan.
    pub lte_stations_before: u64,
    /// And after.
    pub lte_stations_after: u64,
    /// Before, per km².
    pub per_km2_before: f64,
    /// After, per km².
    pub per_km2_after: f64,
}

/// Busy-hour traffic and capacity, where the run plans traffic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrafficReport {
    /// How traffic, capacity and the served share are defined.
    pub definition: String,
    /// Where the traffic comes from: `config` or the demand layer's file.
    pub source: String,
    /// Where the served share must hold: `area` or `district`.
    pub served_share_in: String,
    /// Per operator code, per year.
    pub per_operator: BTreeMap<String, Vec<TrafficYear>>,
    /// New 4G stations placed for capacity.
    pub capacity_stations: u64,
    /// Coverage stations brought forward to an earlier year by load.
    pub brought_forward: u64,
    /// Districts with capacity stations, most first.
    pub capacity_districts: Vec<DistrictTraffic>,
    /// The districts with the most covered traffic in the last year.
    pub busiest_districts: Vec<DistrictTraffic>,
    /// 4G stations per km² by environment.
    pub density: Vec<EnvironmentDensity>,
}

impl PhaseRow {
    /// Rows for the given years, in order: a site counts in the year of its
    /// first work, a station in its own year.
    pub fn of(plan: &[PlanSite], years: &[u16]) -> Vec<PhaseRow> {
        years
            .iter()
            .map(|&year| {
                let here: Vec<&PlanSite> = plan.iter().filter(|s| s.phase == year).collect();
                PhaseRow {
                    year,
                    sites: here.len() as u64,
                    new_sites: here.iter().filter(|s| s.origin == Origin::New).count() as u64,
                    new_4g_stations: plan
                        .iter()
                        .map(|s| {
                            s.station_phases
                                .values()
                                .filter(|p| **p == Some(year))
                                .count()
                        })
                        .sum::<usize>() as u64,
                    investment_yuan: here.iter().map(|s| s.build_cost_yuan).sum(),
                    equipment_yuan: here.iter().map(|s| s.station_cost_yuan).sum(),
                    stations_by_reason: count_stations(plan, year, &|s, op| {
                        s.station_reasons[op].map(|r| r.code())
                    }),
                    stations_by_driver: count_stations(plan, year, &|s, op| {
                        s.station_drivers[op].map(|d| d.code())
                    }),
                }
            })
            .collect()
    }
}

/// How many plan sites a rule shaped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleCount {
    /// `R1`…
    pub id: String,
    /// What it says.
    pub title: String,
    /// Document and article.
    pub source: String,
    /// Plan sites it shaped.
    pub sites: u64,
    /// Candidates it kept out of the plan.
    pub candidates_excluded: u64,
}

/// An input file and its fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputFile {
    /// Which layer (`districts`, `demand`, …) or `config`.
    pub layer: String,
    /// Its path, or `embedded:` name.
    pub file: String,
    /// SHA-256 of its bytes and of every file read with it, hex.
    pub sha256: String,
    /// Features read (0 for the config).
    pub features: u64,
    /// The files the fingerprint covers (a Shapefile's `.shp`, `.dbf`,
    /// `.shx`, `.prj`, `.cpg`), when more than the one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

/// A site a hard rule keeps new antennas off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcludedSite {
    /// Its id in the site layers.
    pub site_id: String,
    /// `existing` or `new` (a candidate).
    pub origin: String,
    /// Its kind.
    pub kind: String,
    /// Its district's adcode.
    pub adcode: String,
    /// The rule.
    pub rule: String,
    /// Why, with figures.
    pub reason: String,
    /// WGS84 longitude, degrees.
    pub lon: f64,
    /// WGS84 latitude, degrees.
    pub lat: f64,
}

/// R11 with T5's indoor KPIs: how many indoor systems are shared, and how
/// many of the new ones are co-built (two or more operators from the start).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndoorSharing {
    /// Indoor systems after the plan.
    pub systems_after: u64,
    /// Of them, shared (two or more operators).
    pub shared_after: u64,
    /// `shared_after / systems_after`.
    pub sharing_share: f64,
    /// T5's sharing KPI for indoor distribution.
    pub sharing_target: f64,
    /// New indoor systems the plan builds.
    pub new_systems: u64,
    /// Of them, built for two or more operators.
    pub co_built: u64,
    /// `co_built / new_systems` (0 without new systems).
    pub co_building_share: f64,
    /// T5's co-building KPI for indoor distribution.
    pub co_building_target: f64,
}

impl IndoorSharing {
    /// From the indoor systems before the plan (`systems`, `shared`) and
    /// the plan's sites.
    pub fn of(
        systems: u64,
        shared: u64,
        plan: &[PlanSite],
        sharing_target: f64,
        co_building_target: f64,
    ) -> IndoorSharing {
        let indoor: Vec<&PlanSite> = plan.iter().filter(|s| s.kind == "indoor").collect();
        let new: Vec<&&PlanSite> = indoor.iter().filter(|s| s.origin == Origin::New).collect();
        let newly_shared = indoor
            .iter()
            .filter(|s| s.shared() && !s.shared_before())
            .count() as u64;
        let systems_after = systems + new.len() as u64;
        let shared_after = shared + newly_shared;
        let co_built = new.iter().filter(|s| s.stations_added.len() >= 2).count() as u64;
        let share = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        IndoorSharing {
            systems_after,
            shared_after,
            sharing_share: share(shared_after, systems_after),
            sharing_target,
            new_systems: new.len() as u64,
            co_built,
            co_building_share: share(co_built, new.len() as u64),
            co_building_target,
        }
    }
}

/// Where a propagation model is used outside its validity range, grouped by
/// model, environment and parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidityRow {
    /// The model's code (`cost231-hata`).
    pub model: String,
    /// The radio environment (`rural`).
    pub environment: String,
    /// The parameter outside the range (`distance`, `base-station height`).
    pub parameter: String,
    /// The valid range, with its unit (`1000–20000 m`).
    pub valid_range: String,
    /// The lowest and highest value used, in `unit`.
    pub used: [f64; 2],
    /// The parameter's unit (`m`, `MHz`).
    pub unit: String,
    /// Antenna heights (metres) of the site kinds at which it happens, lowest and highest.
    pub antenna_heights_m: [f64; 2],
    /// Operators whose bands use it so.
    pub operators: Vec<String>,
    /// Model–height pairs in the group.
    pub cases: u64,
    /// Where the range comes from.
    pub reference: String,
}

/// Everything `report.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The engine and its version.
    pub engine: Engine,
    /// The run's seed.
    pub seed: u64,
    /// The question the plan answers.
    pub mode: String,
    /// The working metric CRS.
    pub metric_crs: String,
    /// New sites (T1).
    pub new_sites: NewSites,
    /// New 4G stations.
    pub new_4g_stations: Stations,
    /// 4G stations in the area before and after (T4's 45,000).
    pub lte_stations_total: BeforeAfter,
    /// The portfolio's sharing (T3).
    pub sharing: Sharing,
    /// `sharing.rate_after`.
    pub sharing_rate: f64,
    /// Investment (T2).
    pub investment_yuan: Investment,
    /// 4G coverage per operator on the plan's demand layer.
    pub coverage: PerOperator<CoverageFigures>,
    /// The targets.
    pub targets: Vec<TargetCheck>,
    /// Each coverage requirement the run set.
    pub requirements: Vec<RequirementRow>,
    /// Township centres not covered by every operator.
    pub township_centres_uncovered: Vec<UncoveredTownship>,
    /// Where no site can serve.
    pub search_rings: Vec<SearchRing>,
    /// The objective and its bound.
    pub objective: Objective,
    /// The bound on the optimum (`objective.bound`).
    pub upper_bound: f64,
    /// `objective.gap`.
    pub optimality_gap: Option<f64>,
    /// `objective.bound_method`.
    pub bound_method: String,
    /// Stations that newly cover nobody, and why.
    pub stations_without_gain: WithoutGain,
    /// Per district or county, by adcode.
    pub by_district: BTreeMap<String, DistrictRow>,
    /// Per phase year.
    pub by_phase: Vec<PhaseRow>,
    /// Busy-hour traffic, capacity and densification, where traffic is planned.
    pub traffic: Option<TrafficReport>,
    /// Per rule.
    pub rule_counts: Vec<RuleCount>,
    /// Every site a hard rule keeps new antennas off, with the reason.
    pub excluded: Vec<ExcludedSite>,
    /// R11 and T5: the indoor systems' sharing and co-building (`None`
    /// with R11 off).
    pub indoor_sharing: Option<IndoorSharing>,
    /// The lists each EIA authority (R9) approves per year, with their files
    /// (`approvals/<authority>-<year>.csv`).
    pub approvals: Vec<crate::approvals::ApprovalList>,
    /// The radio model of each operator.
    pub radio_models: BTreeMap<String, String>,
    /// Input files with their SHA-256.
    pub inputs: Vec<InputFile>,
    /// The config the run used, as parsed.
    pub config: serde_json::Value,
    /// What the run assumed or could not do.
    pub notes: Vec<String>,
    /// Where a propagation model is extrapolated beyond its validity range.
    pub model_validity: Vec<ValidityRow>,
}

/// New sites by kind.
pub fn new_sites(plan: &[PlanSite]) -> NewSites {
    let mut n = NewSites::default();
    for s in plan.iter().filter(|s| s.origin == Origin::New) {
        n.total += 1;
        *n.by_kind.entry(s.kind.clone()).or_default() += 1;
        n.site_acquisition += s.site_acquisition as u64;
    }
    n
}

/// Residents each operator's new stations newly cover, summed over sites.
pub fn covered_gain<'a>(plan: impl IntoIterator<Item = &'a PlanSite>) -> PerOperator<f64> {
    let mut g = PerOperator::<f64>::default();
    for s in plan {
        for (op, v) in s.covered_gain.iter() {
            g[op] += v.unwrap_or(0.0);
        }
    }
    g
}

/// The operator codes of a set.
pub fn codes(ops: impl IntoIterator<Item = Operator>) -> Vec<String> {
    ops.into_iter().map(|o| o.code().to_string()).collect()
}
