//! The figures of `report.json`, and those derived from the plan's sites.

use crate::site::{Origin, PlanSite};
use serde::Serialize;
use siting_model::Operator;
use std::collections::BTreeMap;

/// Counts of new base stations, in total and per operator.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct StationCounts {
    /// All operators.
    pub total: u64,
    /// China Mobile.
    #[serde(rename = "CMCC")]
    pub cmcc: u64,
    /// China Unicom.
    #[serde(rename = "CUCC")]
    pub cucc: u64,
    /// China Telecom.
    #[serde(rename = "CTCC")]
    pub ctcc: u64,
}

impl StationCounts {
    /// Counts the new base stations of the sites.
    pub fn of(sites: &[PlanSite]) -> Self {
        let mut c = StationCounts::default();
        for s in sites {
            for op in s.tenants_added.iter() {
                c.total += 1;
                *c.get_mut(op) += 1;
            }
        }
        c
    }

    /// The count of one operator.
    pub fn get(&self, op: Operator) -> u64 {
        match op {
            Operator::Cmcc => self.cmcc,
            Operator::Cucc => self.cucc,
            Operator::Ctcc => self.ctcc,
        }
    }

    fn get_mut(&mut self, op: Operator) -> &mut u64 {
        match op {
            Operator::Cmcc => &mut self.cmcc,
            Operator::Cucc => &mut self.cucc,
            Operator::Ctcc => &mut self.ctcc,
        }
    }
}

/// The plan's sharing rate: new base stations on shared sites over all new
/// base stations (0 when there are none).
pub fn sharing_rate(sites: &[PlanSite]) -> f64 {
    let all: usize = sites.iter().map(|s| s.tenants_added.len()).sum();
    let shared: usize = sites
        .iter()
        .filter(|s| s.shared())
        .map(|s| s.tenants_added.len())
        .sum();
    if all == 0 {
        0.0
    } else {
        shared as f64 / all as f64
    }
}

/// Base stations per site over the plan's sites (0 when there are none).
pub fn tenancy_ratio(sites: &[PlanSite]) -> f64 {
    if sites.is_empty() {
        0.0
    } else {
        sites.iter().map(|s| s.tenants_after().len()).sum::<usize>() as f64 / sites.len() as f64
    }
}

/// Coverage of one operator's demand, weights in the demand layer's unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageFigures {
    /// Operator code.
    pub operator: String,
    /// Total demand weight.
    pub total_weight: f64,
    /// Weight covered before the plan (from its existing sites).
    pub covered_weight_before: f64,
    /// Weight covered once the plan is built.
    pub covered_weight_after: f64,
    /// `covered_weight_after / total_weight`.
    pub covered_share_after: f64,
    /// Township centres covered once the plan is built.
    pub township_centres_covered: u64,
    /// Township centres in all.
    pub township_centres: u64,
    /// Share of the main urban area's demand covered once the plan is built.
    pub main_urban_covered_share: f64,
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
    /// Whether it is met.
    pub met: bool,
}

/// One row per district or county.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ByDistrict {
    /// 6-digit code.
    pub adcode: String,
    /// Chinese name.
    pub name: String,
    /// New base stations.
    pub new_base_stations: u64,
    /// New sites.
    pub sites_new: u64,
    /// Existing sites shared.
    pub sites_existing_shared: u64,
    /// Sharing rate of its new base stations.
    pub sharing_rate: f64,
    /// Cost, yuan.
    pub cost_yuan: f64,
    /// Demand weight in the district.
    pub demand_weight: f64,
    /// Weight newly covered by the plan (all operators).
    pub covered_weight_gain: f64,
}

/// One row per phase year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ByPhase {
    /// The year.
    pub year: u16,
    /// Sites first built or shared that year.
    pub sites: u64,
    /// New base stations on those sites.
    pub new_base_stations: u64,
    /// Cost, yuan.
    pub cost_yuan: f64,
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
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Features read (0 for the config).
    pub features: u64,
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
}

/// Everything `report.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// `siting` and its version.
    pub engine: BTreeMap<String, String>,
    /// The run's seed.
    pub seed: u64,
    /// The working metric CRS.
    pub metric_crs: String,
    /// New base stations, total and per operator.
    pub new_base_stations: StationCounts,
    /// New base stations each operator was asked for.
    pub new_base_stations_required: StationCounts,
    /// The plan's sharing rate.
    pub sharing_rate: f64,
    /// How the sharing rate is defined.
    pub sharing_rate_definition: String,
    /// Base stations per site over the plan's sites.
    pub tenancy_ratio: f64,
    /// New sites built.
    pub sites_new: u64,
    /// Existing sites shared.
    pub sites_existing_shared: u64,
    /// Total cost, yuan.
    pub cost_yuan_total: f64,
    /// Mean cost per new base station, yuan.
    pub cost_yuan_per_station: f64,
    /// Coverage per operator.
    pub coverage: Vec<CoverageFigures>,
    /// The targets.
    pub targets: Vec<TargetCheck>,
    /// Township centres not covered by every operator (T4).
    pub uncovered_township_centres: Vec<UncoveredTownship>,
    /// New base stations that newly cover no demand (placed to reach T1).
    pub stations_without_gain: u64,
    /// Per district or county.
    pub by_district: Vec<ByDistrict>,
    /// Per phase year.
    pub by_phase: Vec<ByPhase>,
    /// Per rule.
    pub rule_counts: Vec<RuleCount>,
    /// Upper bound on the newly covered weight any plan could reach.
    pub upper_bound: f64,
    /// Newly covered weight the plan reaches.
    pub newly_covered_weight: f64,
    /// `(upper_bound - newly_covered_weight) / upper_bound`.
    pub optimality_gap: f64,
    /// The radio model of each operator.
    pub radio_models: BTreeMap<String, String>,
    /// Input files with their SHA-256.
    pub inputs: Vec<InputFile>,
    /// The config the run used, as parsed.
    pub config: serde_json::Value,
    /// Notes on what the run could not do or assumed.
    pub notes: Vec<String>,
}

/// Rows per phase year, for the given years in order.
pub fn by_phase(sites: &[PlanSite], years: &[u16]) -> Vec<ByPhase> {
    years
        .iter()
        .map(|&year| {
            let here: Vec<&PlanSite> = sites.iter().filter(|s| s.phase == year).collect();
            ByPhase {
                year,
                sites: here.len() as u64,
                new_base_stations: here.iter().map(|s| s.tenants_added.len() as u64).sum(),
                cost_yuan: here.iter().map(|s| s.cost_yuan).sum(),
            }
        })
        .collect()
}

/// New sites and shared existing sites.
pub fn site_counts(sites: &[PlanSite]) -> (u64, u64) {
    let new = sites.iter().filter(|s| s.origin == Origin::New).count() as u64;
    (new, sites.len() as u64 - new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use siting_model::{LonLat, OperatorSet};

    fn site(before: &[Operator], added: &[Operator]) -> PlanSite {
        PlanSite {
            site_id: "x".into(),
            origin: if before.is_empty() {
                Origin::New
            } else {
                Origin::Existing
            },
            kind: "ground_tower".into(),
            lonlat: LonLat { lon: 0.0, lat: 0.0 },
            tenants_before: before.iter().copied().collect::<OperatorSet>(),
            tenants_added: added.iter().copied().collect::<OperatorSet>(),
            district: "d".into(),
            adcode: "500101".into(),
            phase: 2015,
            cost_yuan: 1.0,
            camouflage: false,
            notice_board: false,
            planning_approval: false,
            eia_authority: "m".into(),
            rules: vec![],
            covered_weight_gain: 0.0,
        }
    }

    #[test]
    fn sharing_rate_and_tenancy() {
        use Operator::*;
        let sites = vec![
            site(&[Cmcc], &[Cucc]),
            site(&[], &[Ctcc]),
            site(&[], &[Cmcc, Cucc]),
        ];
        // 4 new stations, 3 on shared sites.
        assert_eq!(sharing_rate(&sites), 0.75);
        // 5 stations on 3 sites.
        assert!((tenancy_ratio(&sites) - 5.0 / 3.0).abs() < 1e-12);
        let c = StationCounts::of(&sites);
        assert_eq!((c.total, c.cmcc, c.cucc, c.ctcc), (4, 1, 2, 1));
    }
}
