//! `siting score`: a written plan read back and its coverage re-evaluated on
//! any demand layer, without optimising again.

use crate::config::ConfigSource;
use crate::inputs::DemandOverride;
use crate::prepare::{prepare, Prepared};
use crate::run::{load, Loaded};
use crate::EngineError;
use serde::Serialize;
use siting_index::PointIndex;
use siting_layers::{LayerSpec, Source};
use siting_model::{OperatorSet, PerOperator, Site, SiteKind, SiteOrigin};
use siting_plan::coverage::townships_missed;
use siting_plan::report::codes;
use siting_plan::{coverage_figures, read_plan, CoverageFigures, PlanSite};
use std::collections::HashMap;
use std::path::Path;

/// A township centre some operator misses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TownshipMissed {
    /// 9-digit NBS code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// Its district's adcode.
    pub county_adcode: String,
    /// Operators that do not cover it.
    pub operators: Vec<String>,
}

/// A plan's coverage on a demand layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Per operator, as `report.json`'s `coverage`.
    pub coverage: PerOperator<CoverageFigures>,
    /// Per operator, the share of main-urban residents covered once the plan is built.
    pub main_urban_share: PerOperator<f64>,
    /// Township centres some operator misses once the plan is built.
    pub township_centres_uncovered: Vec<TownshipMissed>,
    /// The demand layer scored on.
    pub demand: String,
    /// Its demand points.
    pub demand_points: u64,
    /// The plan scored.
    pub plan: String,
    /// The plan's new 4G stations.
    pub stations: u64,
}

/// Scores the plan at `plan` (a `plan.geojson` or the folder holding it)
/// against the config's layers, with the demand from `demand` where given
/// (any supported format; its CRS from the file, else WGS84 GeoJSON).
pub fn score(
    source: &ConfigSource,
    plan: &Path,
    demand: Option<&Path>,
) -> Result<Score, EngineError> {
    let over = demand.map(|p| DemandOverride {
        spec: LayerSpec::path(&p.display().to_string()),
        source: Source::File(p.to_path_buf()),
    });
    let loaded = load(source, over.as_ref())?;
    let prep = prepare(&loaded.cfg, &loaded.config_file, &loaded.raw)?;
    let sites = read_plan(plan)?;
    let plan_label = if plan.is_dir() {
        plan.join("plan.geojson").display().to_string()
    } else {
        plan.display().to_string()
    };
    score_sites(&loaded, prep, &sites, &plan_label)
}

/// Scores plan sites already read (`plan_label` names their file) on the
/// loaded layers and a fresh `prep` of them.
pub fn score_sites(
    loaded: &Loaded,
    mut prep: Prepared,
    sites: &[PlanSite],
    plan_label: &str,
) -> Result<Score, EngineError> {
    let plan_label = plan_label.to_string();
    let bad = |message: String| EngineError::Config {
        file: plan_label.clone(),
        message,
    };
    let by_id: HashMap<&str, usize> = prep
        .model
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut stations: Vec<(usize, OperatorSet)> = Vec::with_capacity(sites.len());
    let mut made = Vec::new();
    for s in sites {
        match by_id.get(s.site_id.as_str()) {
            Some(_) if s.site_acquisition => {
                return Err(bad(format!(
                    "site {} is a search-ring tower in the plan but a site of the config's layers too: score the plan with the config that made it",
                    s.site_id
                )))
            }
            Some(&i) => {
                let layer = &prep.model.sites[i];
                if layer.tenants != s.tenants_before {
                    return Err(bad(format!(
                        "site {} lists tenants_before {:?}, but the site layers have {:?}: score a plan with the config that made it",
                        s.site_id,
                        s.tenants_before.codes(),
                        layer.tenants.codes()
                    )));
                }
                stations.push((i, s.stations_added));
            }
            None if s.site_acquisition => made.push(s),
            None => {
                return Err(bad(format!(
                    "site {} is in none of the config's site layers ({}, {})",
                    s.site_id, loaded.raw.sites_existing.file, loaded.raw.candidates.file
                )))
            }
        }
    }
    // Towers at search-ring centres exist only in the plan: rebuild them.
    let proj = siting_crs::Projector::new(&prep.model.metric_crs)?;
    for s in made {
        let kind: SiteKind = s
            .kind
            .parse()
            .map_err(|e: String| bad(format!("site {}: {e}", s.site_id)))?;
        let (x, y) = proj.to_metric(s.lonlat.lon, s.lonlat.lat)?;
        let site = Site {
            id: s.site_id.clone(),
            origin: SiteOrigin::Candidate,
            kind,
            xy: siting_model::XyM { x, y },
            lonlat: s.lonlat,
            height_m: s.height_m,
            capacity: loaded.cfg.site_defaults.capacity.get(kind),
            tenants: OperatorSet::EMPTY,
            technologies: PerOperator::default(),
            public_building: false,
            load_capacity_kg: None,
            name: None,
            venue: None,
            footprint_m: None,
        };
        let i = prep
            .add_candidate(&loaded.cfg, site, true)?
            .ok_or_else(|| bad(format!("site {} lies outside every district", s.site_id)))?;
        stations.push((i, s.stations_added));
    }
    // Coverage of the existing 4G and of the plan's sites only.
    let mut needed: Vec<usize> = (0..prep.n_existing)
        .filter(|&i| !prep.model.sites[i].lte().is_empty())
        .chain(stations.iter().map(|(i, _)| *i))
        .collect();
    needed.sort_unstable();
    needed.dedup();
    let index = PointIndex::new(prep.items.xy.iter().copied());
    let sets = loaded.radio.coverage(&prep, &index, &needed);
    let at: HashMap<usize, usize> = needed.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let n = prep.items.len();
    let mut before = PerOperator::from_fn(|_| vec![false; n]);
    for &i in &needed {
        for op in prep.model.sites[i].lte().iter() {
            for &d in sets[at[&i]][op.index()].iter() {
                before[op][d as usize] = true;
            }
        }
    }
    let mut after = before.clone();
    for (i, ops) in &stations {
        for op in ops.iter() {
            for &d in sets[at[i]][op.index()].iter() {
                after[op][d as usize] = true;
            }
        }
    }
    let coverage = coverage_figures(prep.items.demand(), &before, &after);
    let items = &prep.items;
    let township_centres_uncovered = townships_missed(&after, items.cells)
        .into_iter()
        .map(|(t, missing)| {
            let town = &prep.model.townships[t];
            TownshipMissed {
                code: town.code.clone(),
                name: town.name.clone(),
                county_adcode: town.county_adcode.clone(),
                operators: codes(missing),
            }
        })
        .collect();
    Ok(Score {
        main_urban_share: coverage.as_ref().map(|_, c| c.main_urban_share_after),
        coverage,
        township_centres_uncovered,
        demand: loaded.raw.demand.file.clone(),
        demand_points: items.cells as u64,
        plan: plan_label,
        stations: stations.iter().map(|(_, o)| o.len() as u64).sum(),
    })
}
