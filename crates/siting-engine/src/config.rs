//! The run's config: which layers, which targets, which models and costs.

use crate::EngineError;
use serde::{Deserialize, Serialize};
use siting_layers::{LayerSpec, Source};
use siting_model::SiteKind;
use siting_rules::RuleBook;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the config came from, and so where its relative layer paths point.
#[derive(Debug, Clone)]
pub enum ConfigSource {
    /// A file; layer paths are relative to its folder.
    File(PathBuf),
    /// The config compiled into the binary; layers are looked up with `lookup`.
    Embedded {
        /// Name in reports (`embedded:data/chongqing/plan.toml`).
        name: String,
        /// The config text.
        text: &'static str,
        /// Finds an embedded layer by its path relative to the config.
        lookup: fn(&str) -> Option<&'static [u8]>,
        /// Prefix for embedded layer names (`embedded:data/chongqing/`).
        prefix: String,
    },
}

/// The layers a run reads: each a path relative to the config (or absolute),
/// or a table with `path`, `crs`, `encoding`, `layer`, `x_field`, `y_field`
/// and `fields` (see [`LayerSpec`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layers {
    /// District and county boundaries.
    pub districts: LayerSpec,
    /// Township centres.
    pub townships: LayerSpec,
    /// Demand points with `weight`.
    pub demand: LayerSpec,
    /// Existing sites.
    pub sites_existing: LayerSpec,
    /// Candidate sites.
    pub candidates: LayerSpec,
    /// Zones with `class`.
    pub zones: LayerSpec,
    /// R10's new developments (optional): each adds demand and a candidate site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developments: Option<LayerSpec>,
}

impl Layers {
    /// Every layer with its role, in a fixed order (developments last, where given).
    pub fn all(&self) -> Vec<(&'static str, &LayerSpec)> {
        let mut v = vec![
            ("districts", &self.districts),
            ("townships", &self.townships),
            ("demand", &self.demand),
            ("sites_existing", &self.sites_existing),
            ("candidates", &self.candidates),
            ("zones", &self.zones),
        ];
        v.extend(self.developments.as_ref().map(|d| ("developments", d)));
        v
    }
}

/// The area: CRS and which districts form the main urban area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// `auto` (chosen from the district layer's extent) or a CRS PROJ knows.
    #[serde(default = "auto")]
    pub metric_crs: String,
    /// Adcodes of the main urban area (主城区), for target T4.
    #[serde(default)]
    pub main_urban_adcodes: Vec<String>,
}

fn auto() -> String {
    "auto".into()
}

/// The targets of the policies (REGULATIONS.md), as the report judges the
/// plan against them; T3 and T4's coverage are also what the `targets` mode
/// meets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// T1: new sites (the notice's "mobile base stations", counted as site
    /// facilities) over the plan period.
    pub new_sites: u32,
    /// T2: the investment estimate for T1, yuan (an estimate, not a cap).
    pub investment_estimate_yuan: f64,
    /// T3: the sharing rate over all sites the plan must exceed, 0..1.
    pub min_sharing_rate: f64,
    /// T4: every township centre covered by every operator.
    #[serde(default = "yes")]
    pub township_centres: bool,
    /// T4: lowest share of the main urban area's residents every operator
    /// must cover, 0..1.
    #[serde(default = "main_urban_min_share")]
    pub main_urban_min_share: f64,
    /// Share of the other residents (outside the main urban area) every
    /// operator must cover, 0..1 (0: no requirement).
    #[serde(default)]
    pub rest_min_share: f64,
    /// T4: 4G base stations in the area at the end of the plan.
    pub lte_stations: u32,
}

fn yes() -> bool {
    true
}

fn main_urban_min_share() -> f64 {
    0.95
}

/// The question a plan answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeName {
    /// Meet the coverage targets and the sharing floor at least cost.
    Targets,
    /// Cover the most residents within `budget_yuan`.
    Budget,
    /// Build exactly `new_sites` new sites, covering the most residents.
    Sites,
}

impl ModeName {
    /// `targets`, `budget`, `sites`.
    pub fn code(self) -> &'static str {
        match self {
            ModeName::Targets => "targets",
            ModeName::Budget => "budget",
            ModeName::Sites => "sites",
        }
    }
}

/// `[objective]`: the question, its parameters, and search rings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// `targets` (default), `budget` or `sites`.
    #[serde(default = "targets_mode")]
    pub mode: ModeName,
    /// `budget`: the budget, yuan (infrastructure and equipment); `sites`:
    /// an optional one.
    #[serde(default)]
    pub budget_yuan: Option<f64>,
    /// `sites`: how many new sites to build.
    #[serde(default)]
    pub new_sites: Option<u32>,
    /// `budget` and `sites`: residents a township centre counts for, so
    /// that T4 comes first (0: residents only).
    #[serde(default)]
    pub township_centre_weight: f64,
    /// The T3 floor on the portfolio's sharing rate also binds in `budget`
    /// and `sites` (it always binds in `targets`).
    #[serde(default)]
    pub sharing_floor: bool,
    /// Let the plan build a ground tower at a search ring's centre (the
    /// site still to be acquired) where no existing site or candidate can
    /// serve.
    #[serde(default)]
    pub search_rings: bool,
    /// A search ring gathers unserved demand within this distance of its
    /// first point, metres.
    #[serde(default = "ring_radius")]
    pub search_ring_radius_m: f64,
}

fn targets_mode() -> ModeName {
    ModeName::Targets
}

fn ring_radius() -> f64 {
    3_000.0
}

impl Default for Objective {
    fn default() -> Self {
        Objective {
            mode: ModeName::Targets,
            budget_yuan: None,
            new_sites: None,
            township_centre_weight: 0.0,
            sharing_floor: false,
            search_rings: false,
            search_ring_radius_m: ring_radius(),
        }
    }
}

/// The plan's years, and the year each target must be met by. A station
/// stands from the first year its target or its load needs it (and a new
/// tower not before R8's lead time allows); no fixed yearly split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phases {
    /// The years, in order.
    pub years: Vec<u16>,
    /// T4: the year every township centre must be covered by (the last
    /// year if not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub township_centres_by: Option<u16>,
    /// T4: the year the main urban area's share must be covered by (the
    /// last year if not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_urban_by: Option<u16>,
    /// The year other coverage (the rest's share; the `budget` and `sites`
    /// modes' coverage) is built by (the last year if not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_by: Option<u16>,
    /// T3: the year the sharing floor must be reached by (the last year if
    /// not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharing_by: Option<u16>,
    /// No longer read: phases come from need. Kept so that an old config
    /// gets a clear error instead of an unknown-key one.
    #[serde(default, skip_serializing)]
    pub shares: Option<Vec<f64>>,
}

impl Phases {
    /// The index of `year` among the years (the last where not given).
    pub fn index_of(&self, year: Option<u16>) -> usize {
        year.and_then(|y| self.years.iter().position(|&x| x == y))
            .unwrap_or(self.years.len().saturating_sub(1))
    }

    /// The last year.
    pub fn last(&self) -> u16 {
        self.years.last().copied().unwrap_or(0)
    }
}

/// Busy-hour traffic, as planners derive it: subscribers from residents and
/// market shares, the share on 4G and the monthly volume per 4G user by
/// year, and the busy hour's share of a day. A demand layer with
/// `traffic_mbps_YYYY` properties gives each point's traffic itself (all
/// operators; split by the market shares), which then wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficConfig {
    /// Mobile subscriptions per resident (penetration), ≥ 0.
    pub subscriptions_per_resident: f64,
    /// Per operator code, its share of the subscriptions, 0..1.
    pub market_share: BTreeMap<String, f64>,
    /// Per plan year, the share of subscriptions on 4G, 0..1.
    pub lte_share: Vec<f64>,
    /// Per plan year, mobile data per 4G subscription per month, MB.
    pub monthly_mb_per_user: Vec<f64>,
    /// Share of a day's traffic in the busy hour, 0..1.
    pub busy_hour_share: f64,
    /// Days per month the monthly volume spreads over.
    #[serde(default = "days_per_month")]
    pub days_per_month: f64,
    /// The least share of the covered busy-hour traffic each operator's
    /// stations must carry: one share, one per year, or per operator code
    /// (each one share or one per year). 0 asks nothing.
    pub min_served_share: ServedShare,
    /// Where the served share must hold: over the whole `area`, or in every
    /// `district` (so that a crowded district cannot hide behind the rest).
    #[serde(default)]
    pub served_share_in: ShareScope,
}

/// Where a served share is counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareScope {
    /// Over the whole area.
    #[default]
    Area,
    /// In every district (each district of the boundary layer, and the
    /// demand outside them as one more).
    District,
}

impl ShareScope {
    /// `area`, `district`.
    pub fn code(self) -> &'static str {
        match self {
            ShareScope::Area => "area",
            ShareScope::District => "district",
        }
    }
}

fn days_per_month() -> f64 {
    30.0
}

/// A served share: one for every operator and year, one per year, or per operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ServedShare {
    /// The same share every year.
    One(f64),
    /// One share per plan year.
    PerYear(Vec<f64>),
    /// Per operator code, one share or one per year.
    PerOperator(BTreeMap<String, OneOrYears>),
}

/// One share, or one per plan year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrYears {
    /// The same every year.
    One(f64),
    /// One per plan year.
    PerYear(Vec<f64>),
}

impl OneOrYears {
    fn years(&self, n: usize) -> Vec<f64> {
        match self {
            OneOrYears::One(x) => vec![*x; n],
            OneOrYears::PerYear(v) => v.clone(),
        }
    }
}

impl TrafficConfig {
    /// The served share of `op` per year (`n` years); 0 for an operator a
    /// per-operator table leaves out.
    pub fn served_share(&self, op: siting_model::Operator, n: usize) -> Vec<f64> {
        match &self.min_served_share {
            ServedShare::One(x) => vec![*x; n],
            ServedShare::PerYear(v) => v.clone(),
            ServedShare::PerOperator(m) => m
                .get(op.code())
                .map_or_else(|| vec![0.0; n], |s| s.years(n)),
        }
    }

    /// Busy-hour traffic of one 4G subscription in year index `y`, Mbit/s:
    /// `MB a month × 8 / days × busy-hour share / 3600 s`.
    pub fn busy_hour_mbps_per_user(&self, y: usize) -> f64 {
        self.monthly_mb_per_user[y] * 8.0 / self.days_per_month * self.busy_hour_share / 3600.0
    }

    /// Checks every figure; an error names the key.
    pub fn validate(&self, years: &[u16]) -> Result<(), String> {
        let n = years.len();
        let share = |key: &str, v: f64| -> Result<(), String> {
            if v.is_finite() && (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("{key} {v} is outside 0..1"))
            }
        };
        let per_year = |key: &str, v: &[f64]| -> Result<(), String> {
            if v.len() != n {
                return Err(format!(
                    "{key} has {} figures but the plan has {n} years ({years:?}): give one per year",
                    v.len()
                ));
            }
            Ok(())
        };
        if !(non_negative(self.subscriptions_per_resident)
            && self.subscriptions_per_resident <= 5.0)
        {
            return Err(format!(
                "traffic.subscriptions_per_resident {} must be a number from 0 to 5",
                self.subscriptions_per_resident
            ));
        }
        for (code, v) in &self.market_share {
            code.parse::<siting_model::Operator>()
                .map_err(|e| format!("traffic.market_share.{code}: {e}"))?;
            share(&format!("traffic.market_share.{code}"), *v)?;
        }
        let total: f64 = self.market_share.values().sum();
        if total > 1.0 + 1e-9 {
            return Err(format!(
                "traffic.market_share adds up to {total}, more than 1"
            ));
        }
        per_year("traffic.lte_share", &self.lte_share)?;
        for v in &self.lte_share {
            share("traffic.lte_share", *v)?;
        }
        per_year("traffic.monthly_mb_per_user", &self.monthly_mb_per_user)?;
        if let Some(v) = self
            .monthly_mb_per_user
            .iter()
            .find(|v| !(non_negative(**v) && **v <= 1e6))
        {
            return Err(format!(
                "traffic.monthly_mb_per_user {v} must be a number of MB from 0 to 1e6"
            ));
        }
        share("traffic.busy_hour_share", self.busy_hour_share)?;
        if !(positive(self.days_per_month) && self.days_per_month <= 31.0) {
            return Err(format!(
                "traffic.days_per_month {} must be a number of days above 0 and at most 31",
                self.days_per_month
            ));
        }
        let check = |key: &str, s: &OneOrYears| -> Result<(), String> {
            if let OneOrYears::PerYear(v) = s {
                per_year(key, v)?;
            }
            for v in s.years(n) {
                share(key, v)?;
            }
            Ok(())
        };
        match &self.min_served_share {
            ServedShare::One(x) => check("traffic.min_served_share", &OneOrYears::One(*x))?,
            ServedShare::PerYear(v) => {
                check("traffic.min_served_share", &OneOrYears::PerYear(v.clone()))?
            }
            ServedShare::PerOperator(m) => {
                for (code, s) in m {
                    code.parse::<siting_model::Operator>()
                        .map_err(|e| format!("traffic.min_served_share.{code}: {e}"))?;
                    check(&format!("traffic.min_served_share.{code}"), s)?;
                }
            }
        }
        Ok(())
    }
}

/// Overrides of a band's station capacity (the preset's defaults otherwise).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityConfig {
    /// Downlink carrier width, MHz.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_mhz: Option<f64>,
    /// Cells of a tower or rooftop station.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sectors: Option<u8>,
    /// Cells of a street-pole or indoor station.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_cell_sectors: Option<u8>,
    /// Downlink spectral efficiency per cell in the busy hour, bit/s/Hz.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spectral_efficiency_bps_hz: Option<f64>,
    /// Downlink share of air time (TDD), 0..1; 1 for FDD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downlink_share: Option<f64>,
    /// Highest planned load, 0..1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_load: Option<f64>,
}

impl CapacityConfig {
    /// The capacity with these overrides on `base`, or from these alone
    /// (every figure then needed; `None` when one is missing).
    pub fn over(
        &self,
        base: Option<siting_radio::CellCapacity>,
    ) -> Option<siting_radio::CellCapacity> {
        let b = base;
        Some(siting_radio::CellCapacity {
            bandwidth_mhz: self.bandwidth_mhz.or(b.map(|b| b.bandwidth_mhz))?,
            sectors: self.sectors.or(b.map(|b| b.sectors)).unwrap_or(3),
            small_cell_sectors: self
                .small_cell_sectors
                .or(b.map(|b| b.small_cell_sectors))
                .unwrap_or(1),
            spectral_efficiency_bps_hz: self
                .spectral_efficiency_bps_hz
                .or(b.map(|b| b.spectral_efficiency_bps_hz))
                .unwrap_or(siting_radio::capacity::LTE_2015_SPECTRAL_EFFICIENCY),
            downlink_share: self.downlink_share.or(b.map(|b| b.downlink_share))?,
            max_load: self
                .max_load
                .or(b.map(|b| b.max_load))
                .unwrap_or(siting_radio::capacity::LTE_2015_MAX_LOAD),
        })
    }
}

/// Demand density thresholds that set the radio environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentThresholds {
    /// At or above this many per km²: dense urban.
    pub dense_urban_per_km2: f64,
    /// At or above: urban.
    pub urban_per_km2: f64,
    /// At or above: suburban; below: rural.
    pub suburban_per_km2: f64,
    /// Cell edge, metres, for demand points whose layer gives no `cell_m`.
    #[serde(default)]
    pub default_cell_m: Option<f64>,
}

/// The propagation model of one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvModelConfig {
    /// `free-space`, `okumura-hata`, `cost231-hata`, `3gpp-rma-los`, `3gpp-rma-nlos`,
    /// `3gpp-uma-los`, `3gpp-uma-nlos`, `3gpp-umi-los`, `3gpp-umi-nlos`.
    pub model: String,
    /// Hata's area type: `urban`, `suburban` or `open` (Okumura-Hata only).
    #[serde(default = "urban")]
    pub hata_environment: String,
    /// Hata's city size for a(hm): `medium` or `large`.
    #[serde(default = "medium")]
    pub city: String,
    /// COST-231's 3 dB metropolitan-centre term.
    #[serde(default)]
    pub metropolitan: bool,
    /// RMa average building height, metres.
    #[serde(default = "five")]
    pub building_height_m: f64,
    /// RMa average street width, metres.
    #[serde(default = "twenty")]
    pub street_width_m: f64,
    /// UMa/UMi effective environment height, metres.
    #[serde(default = "one")]
    pub effective_env_height_m: f64,
    /// Extra loss in this environment (building penetration, clutter), dB.
    #[serde(default)]
    pub penetration_loss_db: f64,
}

impl EnvModelConfig {
    /// This environment's model for a band at `freq_mhz` with mobiles at
    /// `rx_height_m` metres: names parsed, options and numbers checked.
    pub fn path_loss(
        &self,
        freq_mhz: f64,
        rx_height_m: f64,
    ) -> Result<siting_radio::PathLoss, String> {
        let kind = self
            .model
            .parse::<siting_radio::ModelKind>()
            .map_err(|e| e.to_string())?;
        let area = self
            .hata_environment
            .parse::<siting_radio::HataEnvironment>()
            .map_err(|e| e.to_string())?;
        let city = self
            .city
            .parse::<siting_radio::CitySize>()
            .map_err(|e| e.to_string())?;
        self.options_apply(kind, area, city)?;
        if !non_negative(self.penetration_loss_db)
            || !positive(self.building_height_m)
            || !positive(self.street_width_m)
            || !non_negative(self.effective_env_height_m)
        {
            return Err("heights, widths and losses must be non-negative numbers".into());
        }
        let geometry = siting_radio::Geometry {
            environment: area,
            city,
            metropolitan: self.metropolitan,
            building_height_m: self.building_height_m,
            street_width_m: self.street_width_m,
            effective_env_height_m: self.effective_env_height_m,
            ..siting_radio::Geometry::new(freq_mhz, 30.0, rx_height_m)
        };
        Ok(siting_radio::PathLoss::new(kind, geometry))
    }

    /// Refuses an option the model does not read, set away from its default:
    /// it would be silently ignored.
    fn options_apply(
        &self,
        kind: siting_radio::ModelKind,
        area: siting_radio::HataEnvironment,
        city: siting_radio::CitySize,
    ) -> Result<(), String> {
        use siting_radio::pathloss::ModelOption as O;
        use siting_radio::{CitySize, HataEnvironment};
        let keys = [
            (
                "hata_environment",
                area != HataEnvironment::Urban,
                O::HataEnvironment,
            ),
            ("city", city != CitySize::Medium, O::City),
            ("metropolitan", self.metropolitan, O::Metropolitan),
            (
                "building_height_m",
                self.building_height_m != five(),
                O::BuildingHeight,
            ),
            (
                "street_width_m",
                self.street_width_m != twenty(),
                O::StreetWidth,
            ),
            (
                "effective_env_height_m",
                self.effective_env_height_m != one(),
                O::EffectiveEnvHeight,
            ),
        ];
        let given: Vec<O> = keys.iter().filter(|k| k.1).map(|k| k.2).collect();
        if let Some(unread) = kind.unread_options(&given, area)?.first() {
            let key = keys.iter().find(|k| k.2 == *unread).map_or("", |k| k.0);
            return Err(format!("{key} does not apply to {kind}"));
        }
        Ok(())
    }
}

fn urban() -> String {
    "urban".into()
}
fn medium() -> String {
    "medium".into()
}
fn five() -> f64 {
    5.0
}
fn twenty() -> f64 {
    20.0
}
fn one() -> f64 {
    1.0
}
fn thirty_km() -> f64 {
    30_000.0
}

/// A propagation model for each radio environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvModels {
    /// Dense urban.
    pub dense_urban: EnvModelConfig,
    /// Urban.
    pub urban: EnvModelConfig,
    /// Suburban.
    pub suburban: EnvModelConfig,
    /// Rural.
    pub rural: EnvModelConfig,
}

impl EnvModels {
    /// The four, in `Environment::ALL` order.
    pub fn all(&self) -> [&EnvModelConfig; 4] {
        [&self.dense_urban, &self.urban, &self.suburban, &self.rural]
    }
}

/// One band of an operator's radio: frequency, link budget and a propagation
/// model per environment. With `preset` (a code of [`siting_radio::band::BANDS`],
/// e.g. `cmcc-b39`), every other field defaults to the preset's: its label,
/// source and downlink centre frequency, [`LinkBudget::lte_2015_uplink`], and
/// [`preset_environments`]; any field given overrides it (`budget` and
/// `environments` as whole tables).
///
/// [`LinkBudget::lte_2015_uplink`]: siting_radio::LinkBudget::lte_2015_uplink
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandConfig {
    /// A band preset's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// Band label, for the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    /// Where the band and budget figures come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Carrier frequency, MHz.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freq_mhz: Option<f64>,
    /// Mobile antenna height, metres (1.5 if not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rx_height_m: Option<f64>,
    /// Farthest coverage distance searched, metres (30 km if not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_distance_m: Option<f64>,
    /// The link budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<siting_radio::LinkBudget>,
    /// Propagation model per environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environments: Option<EnvModels>,
    /// Licensed for indoor coverage only: only indoor sites carry it
    /// (default: the preset's, else false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indoor_only: Option<bool>,
    /// What one station of the band carries (the preset's defaults, each
    /// figure overridable; without a preset, `bandwidth_mhz` and
    /// `downlink_share` are needed where traffic is planned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<CapacityConfig>,
}

/// A band with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedBand {
    /// Where it stands in the config, for messages: `[radio.CMCC]`, or
    /// `[radio.CMCC] band 2` where the operator has several.
    pub place: String,
    /// Label, for the report.
    pub label: String,
    /// Where the figures come from.
    pub source: String,
    /// Carrier frequency, MHz.
    pub freq_mhz: f64,
    /// Mobile antenna height, metres.
    pub rx_height_m: f64,
    /// Farthest coverage distance searched, metres.
    pub max_distance_m: f64,
    /// The link budget.
    pub budget: siting_radio::LinkBudget,
    /// Propagation model per environment.
    pub environments: EnvModels,
    /// Only indoor sites carry it.
    pub indoor_only: bool,
    /// What one station of it carries, where known.
    pub capacity: Option<siting_radio::CellCapacity>,
}

impl BandConfig {
    /// Fills the defaults in from the preset, and checks the preset is
    /// `op`'s own band.
    pub fn resolve(&self, op: siting_model::Operator) -> Result<ResolvedBand, String> {
        let preset = match &self.preset {
            None => None,
            Some(code) => {
                let Some(b) = siting_radio::Band::find(code) else {
                    let codes: Vec<&str> =
                        siting_radio::band::BANDS.iter().map(|b| b.code).collect();
                    return Err(format!(
                        "unknown band preset {code:?} (known: {})",
                        codes.join(", ")
                    ));
                };
                if b.operator != op {
                    return Err(format!(
                        "band preset {code:?} is {}'s licence, not {op}'s",
                        b.operator
                    ));
                }
                Some(b)
            }
        };
        let need = |what: &str| {
            format!("{what} is missing (give it, or a preset: `siting bands` lists them)")
        };
        let freq_mhz = self
            .freq_mhz
            .or(preset.map(|b| b.freq_mhz()))
            .ok_or_else(|| need("freq_mhz"))?;
        Ok(ResolvedBand {
            place: String::new(),
            label: self
                .band
                .clone()
                .or(preset.map(|b| b.name.to_string()))
                .ok_or_else(|| need("band (a label)"))?,
            source: self
                .source
                .clone()
                .or(preset.map(|b| b.source.to_string()))
                .unwrap_or_default(),
            freq_mhz,
            rx_height_m: self.rx_height_m.unwrap_or(1.5),
            max_distance_m: self.max_distance_m.unwrap_or_else(thirty_km),
            budget: self
                .budget
                .clone()
                .or(preset.map(|b| b.default_budget()))
                .ok_or_else(|| need("[budget]"))?,
            environments: self
                .environments
                .clone()
                .or(preset.map(|_| preset_environments(freq_mhz)))
                .ok_or_else(|| need("[environments]"))?,
            indoor_only: self
                .indoor_only
                .unwrap_or(preset.is_some_and(|b| b.indoor_only)),
            capacity: self
                .capacity
                .clone()
                .unwrap_or_default()
                .over(preset.map(|b| b.default_capacity())),
        })
    }
}

/// The propagation models a preset band starts with: TR 38.901 UMa NLOS in
/// dense urban (+20 dB penetration) and urban (+15 dB) areas, COST-231 Hata
/// in suburban ones (+10 dB; TR 38.901 UMa NLOS above COST-231's 2000 MHz),
/// and TR 38.901 RMa NLOS (h = 5 m, W = 20 m) in rural ones (+5 dB).
pub fn preset_environments(freq_mhz: f64) -> EnvModels {
    let env = |model: &str, penetration_loss_db| EnvModelConfig {
        model: model.into(),
        hata_environment: urban(),
        city: medium(),
        metropolitan: false,
        building_height_m: five(),
        street_width_m: twenty(),
        effective_env_height_m: one(),
        penetration_loss_db,
    };
    EnvModels {
        dense_urban: env("3gpp-uma-nlos", 20.0),
        urban: env("3gpp-uma-nlos", 15.0),
        suburban: if freq_mhz <= 2000.0 {
            env("cost231-hata", 10.0)
        } else {
            env("3gpp-uma-nlos", 10.0)
        },
        rural: env("3gpp-rma-nlos", 5.0),
    }
}

/// One operator's radio: one band given inline in `[radio.OP]`, or several
/// as `[[radio.OP.bands]]`. A demand point is covered by the operator's base
/// station when any of its bands covers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "toml::Table")]
pub struct RadioConfig {
    /// The bands, at least one.
    pub bands: Vec<BandConfig>,
}

impl TryFrom<toml::Table> for RadioConfig {
    type Error = String;

    fn try_from(table: toml::Table) -> Result<Self, String> {
        let Some(list) = table.get("bands") else {
            let band: BandConfig = toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| e.message().to_string())?;
            return Ok(RadioConfig { bands: vec![band] });
        };
        let others: Vec<&str> = table
            .keys()
            .filter(|k| *k != "bands")
            .map(String::as_str)
            .collect();
        if !others.is_empty() {
            return Err(format!(
                "give one band inline or a list of [[bands]], not both (found {} beside bands)",
                others.join(", ")
            ));
        }
        let bands: Vec<BandConfig> = list
            .clone()
            .try_into()
            .map_err(|e: toml::de::Error| format!("bands: {}", e.message()))?;
        if bands.is_empty() {
            return Err("bands is empty: give at least one band".into());
        }
        Ok(RadioConfig { bands })
    }
}

impl RadioConfig {
    /// Every band with its defaults filled in; an error names the band.
    pub fn resolve(&self, op: siting_model::Operator) -> Result<Vec<ResolvedBand>, String> {
        self.bands
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let place = if self.bands.len() == 1 {
                    format!("[radio.{op}]")
                } else {
                    format!("[radio.{op}] band {}", i + 1)
                };
                match b.resolve(op) {
                    Ok(band) => Ok(ResolvedBand { place, ..band }),
                    Err(e) => Err(format!("{place}: {e}")),
                }
            })
            .collect()
    }
}

impl ResolvedBand {
    /// The path-loss model of each environment, in [`EnvModels::all`]
    /// order, at this band's frequency and mobile height (the base-station
    /// height is set per site); an error names the band and environment.
    pub fn path_losses(&self) -> Result<[siting_radio::PathLoss; 4], String> {
        let names = ["dense_urban", "urban", "suburban", "rural"];
        let models = names
            .iter()
            .zip(self.environments.all())
            .map(|(env, m)| {
                m.path_loss(self.freq_mhz, self.rx_height_m)
                    .map_err(|e| format!("{} environments.{env}: {e}", self.place))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok([models[0], models[1], models[2], models[3]])
    }
}

/// Terrain: a DEM that corrects effective antenna heights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerrainConfig {
    /// An ESRI ASCII grid of ground heights (metres), WGS84 cells.
    #[serde(default)]
    pub dem: Option<String>,
    /// Finest DEM cell, metres, at which line-of-sight and knife-edge
    /// diffraction along the profile would apply.
    #[serde(default = "diffraction_cell")]
    pub diffraction_max_cell_m: f64,
}

fn diffraction_cell() -> f64 {
    100.0
}

impl Default for TerrainConfig {
    fn default() -> Self {
        TerrainConfig {
            dem: None,
            diffraction_max_cell_m: diffraction_cell(),
        }
    }
}

/// The maps a run draws (`map.svg`, `map.png`, `report.html`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MapConfig {
    /// Where the data comes from, printed under every map (default: the
    /// layers' file names).
    #[serde(default)]
    pub attribution: Option<String>,
}

/// A tenant capacity per kind, or one for every kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Capacity {
    /// The same for every kind.
    All(u8),
    /// By kind.
    ByKind {
        /// Standalone towers.
        ground_tower: u8,
        /// Rooftop mounts.
        rooftop: u8,
        /// Street poles.
        street_pole: u8,
        /// Indoor systems.
        indoor: u8,
    },
}

impl Capacity {
    /// The capacity of a kind.
    pub fn get(&self, kind: SiteKind) -> u8 {
        match *self {
            Capacity::All(c) => c,
            Capacity::ByKind {
                ground_tower,
                rooftop,
                street_pole,
                indoor,
            } => match kind {
                SiteKind::GroundTower => ground_tower,
                SiteKind::Rooftop => rooftop,
                SiteKind::StreetPole => street_pole,
                SiteKind::Indoor => indoor,
            },
        }
    }
}

/// What a site layer may leave out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteDefaultsConfig {
    /// Heights by kind, metres.
    pub height_m: siting_rules::KindCosts,
    /// Tenant capacity where a layer gives none: one number, or by kind.
    pub capacity: Capacity,
    /// Technologies of a tenant a layer names without any (`"2G+3G"`);
    /// without it such a tenant is an error.
    #[serde(default)]
    pub technologies: Option<String>,
    /// Radius an indoor system serves where the layer gives no
    /// `footprint_m`, metres.
    #[serde(default = "footprint")]
    pub footprint_m: f64,
}

fn footprint() -> f64 {
    150.0
}

/// `[rules]`: the rule book a run applies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Path of a rule book (TOML, the shape of `data/rules/chongqing-2016.toml`),
    /// relative to the config; without it the shipped Chongqing book.
    pub book: Option<String>,
}

fn shipped_book() -> RuleBook {
    // The shipped book is compiled in and its parse is tested
    // (siting-rules: the_shipped_book_has_every_rule_with_a_source).
    RuleBook::chongqing().expect("the shipped rule book parses")
}

/// A whole run's config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Seed of the run (recorded; the pipeline itself is deterministic).
    pub seed: u64,
    /// Input layers.
    pub layers: Layers,
    /// Area.
    pub area: Area,
    /// The question the plan answers.
    #[serde(default)]
    pub objective: Objective,
    /// The policies' targets.
    pub targets: Targets,
    /// What the works cost.
    pub costs: siting_rules::Costs,
    /// Phases.
    pub phases: Phases,
    /// Busy-hour traffic, if capacity is planned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<TrafficConfig>,
    /// Environments.
    pub environment: EnvironmentThresholds,
    /// Radio per operator code.
    pub radio: BTreeMap<String, RadioConfig>,
    /// Terrain.
    #[serde(default)]
    pub terrain: TerrainConfig,
    /// Which rule book applies.
    #[serde(default)]
    pub rules: RulesConfig,
    /// The rule book, read by [`Config::load`] from `rules.book` (the
    /// shipped Chongqing book without one).
    #[serde(skip, default = "shipped_book")]
    pub book: RuleBook,
    /// Site defaults.
    pub site_defaults: SiteDefaultsConfig,
    /// Maps.
    #[serde(default)]
    pub map: MapConfig,
}

impl ConfigSource {
    /// The name used in errors and reports.
    pub fn label(&self) -> String {
        match self {
            ConfigSource::File(p) => p.display().to_string(),
            ConfigSource::Embedded { name, .. } => name.clone(),
        }
    }

    /// The config's text.
    pub fn text(&self) -> Result<String, EngineError> {
        match self {
            ConfigSource::File(p) => std::fs::read_to_string(p).map_err(|e| EngineError::Config {
                file: self.label(),
                message: format!("cannot read: {e}"),
            }),
            ConfigSource::Embedded { text, .. } => Ok(text.to_string()),
        }
    }

    /// Where a layer named in the config is.
    pub fn layer(&self, path: &str) -> Result<Source, EngineError> {
        match self {
            ConfigSource::File(cfg) => {
                let p = Path::new(path);
                let full = if p.is_absolute() {
                    p.to_path_buf()
                } else {
                    cfg.parent().unwrap_or(Path::new(".")).join(p)
                };
                Ok(Source::File(full))
            }
            ConfigSource::Embedded {
                lookup,
                prefix,
                name,
                ..
            } => match lookup(path) {
                Some(bytes) => Ok(Source::Embedded {
                    name: format!("{prefix}{path}"),
                    bytes,
                }),
                None => Err(EngineError::Config {
                    file: name.clone(),
                    message: format!("layer {path:?} is not embedded in this binary"),
                }),
            },
        }
    }
}

impl Config {
    /// Reads and validates a config; returns it with the bytes it was parsed
    /// from (whose SHA-256 the report records).
    pub fn load(source: &ConfigSource) -> Result<(Config, Vec<u8>), EngineError> {
        let text = source.text()?;
        let mut cfg = Config::parse(&source.label(), &text)?;
        if let Some(path) = cfg.rules.book.clone() {
            let book = source.layer(&path)?;
            let bytes = book.bytes().map_err(|e| EngineError::Config {
                file: source.label(),
                message: format!("rules.book {path:?}: {e}"),
            })?;
            let text = std::str::from_utf8(&bytes).map_err(|_| EngineError::Config {
                file: book.label(),
                message: "a rule book must be UTF-8 text".into(),
            })?;
            cfg.book = RuleBook::parse(&book.label(), text)?;
        }
        Ok((cfg, text.into_bytes()))
    }

    /// Parses and validates a config's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config, EngineError> {
        let bad = |message: String| EngineError::Config {
            file: file.to_string(),
            message,
        };
        let cfg: Config =
            toml::from_str(text).map_err(|e| bad(e.to_string().trim_end().to_string()))?;
        cfg.validate().map_err(bad)?;
        Ok(cfg)
    }

    /// The technologies a bare tenant code takes, parsed.
    pub fn default_technologies(&self) -> Result<Option<siting_model::TechSet>, String> {
        self.site_defaults
            .technologies
            .as_deref()
            .map(|t| {
                t.parse()
                    .map_err(|e| format!("site_defaults.technologies: {e}"))
            })
            .transpose()
    }

    /// Checks values the types cannot; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        for code in self.radio.keys() {
            code.parse::<siting_model::Operator>()
                .map_err(|e| format!("[radio.{code}]: {e}"))?;
        }
        for op in siting_model::Operator::ALL {
            let Some(r) = self.radio.get(op.code()) else {
                return Err(format!("[radio.{op}] is missing"));
            };
            for band in r.resolve(op)? {
                let at = &band.place;
                band.budget
                    .validate()
                    .map_err(|e| format!("{at} budget: {e}"))?;
                if !positive(band.freq_mhz)
                    || !positive(band.rx_height_m)
                    || !positive(band.max_distance_m)
                {
                    return Err(format!(
                        "{at}: freq_mhz, rx_height_m and max_distance_m must be positive"
                    ));
                }
                band.path_losses()?;
            }
        }
        if !positive(self.terrain.diffraction_max_cell_m) {
            return Err("terrain.diffraction_max_cell_m must be positive".into());
        }
        let o = &self.objective;
        match o.mode {
            ModeName::Targets => {}
            ModeName::Budget => {
                if o.budget_yuan.is_none() {
                    return Err("objective.mode = \"budget\" needs objective.budget_yuan (the budget, yuan)".into());
                }
            }
            ModeName::Sites => {
                if o.new_sites.is_none() {
                    return Err("objective.mode = \"sites\" needs objective.new_sites (how many new sites to build, e.g. T1's 14500)".into());
                }
            }
        }
        if o.mode != ModeName::Sites && o.new_sites.is_some() {
            return Err(format!(
                "objective.new_sites applies to mode = \"sites\" only (mode is {:?})",
                o.mode.code()
            ));
        }
        if o.mode == ModeName::Targets && o.budget_yuan.is_some() {
            return Err("objective.budget_yuan applies to mode = \"budget\" or \"sites\", not \"targets\" (which finds the least cost)".into());
        }
        if let Some(b) = o.budget_yuan {
            if !yuan(b) {
                return Err(format!(
                    "objective.budget_yuan {b} must be a number of yuan from 0 to {MAX_YUAN:e}"
                ));
            }
        }
        if !non_negative(o.township_centre_weight) || o.township_centre_weight > 1e9 {
            return Err(
                "objective.township_centre_weight must be a number of residents from 0 to 1e9"
                    .into(),
            );
        }
        if !positive(o.search_ring_radius_m) {
            return Err(
                "objective.search_ring_radius_m must be a positive number of metres".into(),
            );
        }
        let t = &self.targets;
        for (key, v) in [
            ("targets.min_sharing_rate", t.min_sharing_rate),
            ("targets.main_urban_min_share", t.main_urban_min_share),
            ("targets.rest_min_share", t.rest_min_share),
        ] {
            if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
                return Err(format!("{key} {v} is outside 0..1"));
            }
        }
        if !yuan(t.investment_estimate_yuan) {
            return Err(format!(
                "targets.investment_estimate_yuan must be a number of yuan from 0 to {MAX_YUAN:e}"
            ));
        }
        let p = &self.phases;
        if p.years.is_empty() || p.years.len() > 50 {
            return Err("phases.years must list from 1 to 50 years".into());
        }
        if p.years.windows(2).any(|w| w[0] >= w[1]) {
            return Err("phases.years must be ascending".into());
        }
        if p.shares.is_some() {
            return Err("phases.shares is no longer read: a station's year now comes from need (the year its target asks for, phases.township_centres_by, main_urban_by, coverage_by, sharing_by, or the load of [traffic]); remove it".into());
        }
        for (key, y) in [
            ("phases.township_centres_by", p.township_centres_by),
            ("phases.main_urban_by", p.main_urban_by),
            ("phases.coverage_by", p.coverage_by),
            ("phases.sharing_by", p.sharing_by),
        ] {
            if let Some(y) = y {
                if !p.years.contains(&y) {
                    return Err(format!(
                        "{key} = {y} is not one of the plan's years {:?}",
                        p.years
                    ));
                }
            }
        }
        if let Some(t) = &self.traffic {
            t.validate(&p.years)?;
            for op in siting_model::Operator::ALL {
                for band in self
                    .radio
                    .get(op.code())
                    .map(|r| r.resolve(op))
                    .transpose()?
                    .unwrap_or_default()
                {
                    let Some(c) = band.capacity else {
                        return Err(format!(
                            "{}: [traffic] plans capacity, so the band needs capacity.bandwidth_mhz and capacity.downlink_share (or a preset)",
                            band.place
                        ));
                    };
                    c.validate()
                        .map_err(|e| format!("{} capacity.{e}", band.place))?;
                }
            }
        }
        let e = &self.environment;
        if !(e.dense_urban_per_km2 >= e.urban_per_km2
            && e.urban_per_km2 >= e.suburban_per_km2
            && e.suburban_per_km2 >= 0.0)
        {
            return Err(
                "environment thresholds must descend: dense_urban ≥ urban ≥ suburban ≥ 0".into(),
            );
        }
        if let Some(c) = e.default_cell_m {
            if !positive(c) {
                return Err(format!(
                    "environment.default_cell_m {c} must be a positive number of metres"
                ));
            }
        }
        let c = &self.costs;
        for (name, v) in [
            ("costs.overlay_yuan", c.overlay_yuan),
            ("costs.site_acquisition_yuan", c.site_acquisition_yuan),
        ]
        .into_iter()
        .chain(
            c.indoor_venue_yuan
                .values()
                .map(|v| ("costs.indoor_venue_yuan", *v)),
        ) {
            if !yuan(v) {
                return Err(format!(
                    "{name} {v} must be a number of yuan from 0 to {MAX_YUAN:e}"
                ));
            }
        }
        for (name, k) in [
            ("costs.build_yuan", &c.build_yuan),
            ("costs.equipment_yuan", &c.equipment_yuan),
            ("costs.co_location_yuan", &c.co_location_yuan),
        ] {
            if let Some(kind) = SiteKind::ALL.iter().find(|kind| !yuan(k.get(**kind))) {
                return Err(format!(
                    "{name}.{kind}: {} must be a number of yuan from 0 to {MAX_YUAN:e}",
                    k.get(*kind)
                ));
            }
        }
        if let Some(kind) = SiteKind::ALL
            .iter()
            .find(|kind| !positive(self.site_defaults.height_m.get(**kind)))
        {
            return Err(format!(
                "site_defaults.height_m.{kind} must be a positive height in metres"
            ));
        }
        if let Some(kind) = SiteKind::ALL
            .iter()
            .find(|kind| !(1..=3).contains(&self.site_defaults.capacity.get(**kind)))
        {
            return Err(format!("site_defaults.capacity ({kind}) must be 1, 2 or 3"));
        }
        if !positive(self.site_defaults.footprint_m) {
            return Err("site_defaults.footprint_m must be a positive number of metres".into());
        }
        self.default_technologies()?;
        Ok(())
    }
}

fn positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

fn non_negative(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}

/// The largest single cost the engine accepts, yuan: sums over a whole plan
/// stay exact in whole yuan.
pub const MAX_YUAN: f64 = 1e12;

fn yuan(x: f64) -> bool {
    non_negative(x) && x <= MAX_YUAN
}
