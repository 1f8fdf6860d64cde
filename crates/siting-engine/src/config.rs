//! The run's config: which layers, which targets, which models and costs.

use crate::EngineError;
use serde::{Deserialize, Serialize};
use siting_layers::Source;
use siting_model::SiteKind;
use siting_rules::RuleParams;
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

/// The layers a run reads, as paths relative to the config (or absolute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layers {
    /// District and county boundaries.
    pub districts: String,
    /// Township centres.
    pub townships: String,
    /// Demand points with `weight`.
    pub demand: String,
    /// Existing sites.
    pub sites_existing: String,
    /// Candidate sites.
    pub candidates: String,
    /// Zones with `class`.
    pub zones: String,
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

/// The targets the plan must meet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// New base stations per operator code (T1 is their sum).
    pub new_base_stations: BTreeMap<String, u32>,
    /// T1: the total the plan must reach.
    pub total_new_base_stations: u32,
    /// T3: the sharing rate the plan must exceed, 0..1.
    pub min_sharing_rate: f64,
    /// T2: the investment estimate, yuan.
    pub investment_estimate_yuan: f64,
    /// A hard budget, yuan, if any.
    #[serde(default)]
    pub budget_yuan: Option<f64>,
    /// Weight a township centre carries in the optimiser, so that T4 comes first.
    pub township_centre_weight: f64,
    /// T4: lowest share of the main urban area's demand every operator must cover.
    #[serde(default = "main_urban_min_share")]
    pub main_urban_min_share: f64,
}

fn main_urban_min_share() -> f64 {
    0.95
}

/// Phase years and the share of new base stations each year builds, by priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phases {
    /// The years, in order.
    pub years: Vec<u16>,
    /// The share of new base stations per year, summing to 1.
    pub shares: Vec<f64>,
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

/// One operator's radio model: a range per environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RadioConfig {
    /// Band, for the report.
    pub band: String,
    /// Range in metres for dense urban, urban, suburban, rural.
    pub range_m: [f64; 4],
    /// Antenna height at which `range_m` holds, metres.
    pub reference_height_m: f64,
    /// How range scales with height: `(h / reference) ^ exponent`.
    pub height_exponent: f64,
}

/// Antenna heights by kind where a site layer gives none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteDefaultsConfig {
    /// Heights by kind, metres.
    pub height_m: siting_rules::KindCosts,
    /// Tenant capacity where a layer gives none.
    pub capacity: u8,
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
    /// Targets.
    pub targets: Targets,
    /// Phases.
    pub phases: Phases,
    /// Environments.
    pub environment: EnvironmentThresholds,
    /// Radio model per operator code.
    pub radio: BTreeMap<String, RadioConfig>,
    /// Rule parameters and costs.
    pub rules: RuleParams,
    /// Site defaults.
    pub site_defaults: SiteDefaultsConfig,
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
    /// Reads and validates a config.
    pub fn load(source: &ConfigSource) -> Result<Config, EngineError> {
        let text = source.text()?;
        let cfg: Config = toml::from_str(&text).map_err(|e| EngineError::Config {
            file: source.label(),
            message: e.to_string().trim_end().to_string(),
        })?;
        cfg.validate().map_err(|message| EngineError::Config {
            file: source.label(),
            message,
        })?;
        Ok(cfg)
    }

    /// Checks values the types cannot.
    pub fn validate(&self) -> Result<(), String> {
        for code in self
            .targets
            .new_base_stations
            .keys()
            .chain(self.radio.keys())
        {
            code.parse::<siting_model::Operator>()
                .map_err(|e| format!("{e}"))?;
        }
        for op in siting_model::Operator::ALL {
            if !self.radio.contains_key(op.code()) {
                return Err(format!("[radio.{op}] is missing"));
            }
        }
        let sum: u64 = self
            .targets
            .new_base_stations
            .values()
            .map(|&v| v as u64)
            .sum();
        if sum != self.targets.total_new_base_stations as u64 {
            return Err(format!(
                "targets.new_base_stations sum to {sum}, but targets.total_new_base_stations is {}",
                self.targets.total_new_base_stations
            ));
        }
        if !(0.0..=1.0).contains(&self.targets.min_sharing_rate) {
            return Err(format!(
                "targets.min_sharing_rate {} is outside 0..1",
                self.targets.min_sharing_rate
            ));
        }
        if let Some(b) = self.targets.budget_yuan {
            if !non_negative(b) {
                return Err(format!(
                    "targets.budget_yuan {b} must be a non-negative number"
                ));
            }
        }
        if !(self.targets.township_centre_weight.is_finite()
            && self.targets.township_centre_weight >= 0.0)
        {
            return Err("targets.township_centre_weight must be a non-negative number".into());
        }
        let p = &self.phases;
        if p.years.is_empty() || p.years.len() != p.shares.len() {
            return Err(format!(
                "phases: {} years but {} shares",
                p.years.len(),
                p.shares.len()
            ));
        }
        if p.years.windows(2).any(|w| w[0] >= w[1]) {
            return Err("phases.years must be ascending".into());
        }
        if p.shares.iter().any(|s| !non_negative(*s))
            || (p.shares.iter().sum::<f64>() - 1.0).abs() > 1e-6
        {
            return Err(format!(
                "phases.shares {:?} must be non-negative and sum to 1",
                p.shares
            ));
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
        let r = &self.rules;
        if !positive(r.tenant_mass_kg) || !positive(r.power_density_limit_w_m2) {
            return Err(
                "rules.tenant_mass_kg and rules.power_density_limit_w_m2 must be positive".into(),
            );
        }
        for (name, v) in [
            ("rules.usage_fee_yuan", r.usage_fee_yuan),
            ("rules.equipment_yuan", r.equipment_yuan),
            ("rules.share_yuan", r.share_yuan),
        ] {
            if !non_negative(v) {
                return Err(format!("{name} must be a non-negative number of yuan"));
            }
        }
        for (name, k) in [
            ("rules.build_yuan", &r.build_yuan),
            ("rules.camouflage_yuan", &r.camouflage_yuan),
        ] {
            if SiteKind::ALL.iter().any(|kind| !non_negative(k.get(*kind))) {
                return Err(format!(
                    "{name}: every kind needs a non-negative number of yuan"
                ));
            }
        }
        if SiteKind::ALL
            .iter()
            .any(|kind| !r.eirp_dbm.get(*kind).is_finite())
        {
            return Err("rules.eirp_dbm: every kind needs a number of dBm".into());
        }
        if SiteKind::ALL
            .iter()
            .any(|kind| !positive(self.site_defaults.height_m.get(*kind)))
        {
            return Err("site_defaults.height_m: every kind needs a positive height".into());
        }
        if !(1..=3).contains(&self.site_defaults.capacity) {
            return Err("site_defaults.capacity must be 1, 2 or 3".into());
        }
        Ok(())
    }
}

fn positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

fn non_negative(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}
