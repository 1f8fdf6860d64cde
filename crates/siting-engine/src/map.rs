//! The maps of a plan: [`siting_map::MapLayers`] from a run's model and
//! outcome, or from a written plan and its config's layers (`siting map`).

use crate::config::{Config, ConfigSource};
use crate::prepare::{prepare, Prepared};
use crate::rings::Ring;
use crate::run::load;
use crate::EngineError;
use siting_map::grid::DemandCell;
use siting_map::{
    find_cjk_font, find_district, map_svg, render_png, CoverageGrid, ExistingMark, MapLayers,
    MapOptions, PlanMark, RingMark,
};
use siting_plan::{Outcome, PlanSite, Report};
use std::collections::HashMap;
use std::path::Path;

/// Longest side of the coverage rasters, cells.
pub const COVERAGE_MAX_CELLS: usize = 600;

/// Finest coverage raster cell, metres.
pub const COVERAGE_FINEST_M: f64 = 250.0;

fn map_error(file: &str, e: siting_map::MapError) -> EngineError {
    EngineError::Write(siting_plan::WriteError {
        path: file.to_string(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// What is printed under the maps: the config's `map.attribution`, else the
/// layers' files.
pub fn attribution(cfg: &Config) -> String {
    cfg.map.attribution.clone().unwrap_or_else(|| {
        format!(
            "Data: districts {}, zones {}, sites {} and {}.",
            cfg.layers.districts.path,
            cfg.layers.zones.path,
            cfg.layers.sites_existing.path,
            cfg.layers.candidates.path
        )
    })
}

/// Districts, zones and existing sites of the model.
fn base_layers(cfg: &Config, prep: &Prepared) -> MapLayers {
    let m = &prep.model;
    MapLayers {
        metric_crs: m.metric_crs.clone(),
        districts: m.districts.clone(),
        zones: m.zones.clone(),
        existing: m.sites[..prep.n_existing]
            .iter()
            .map(|s| ExistingMark {
                xy: [s.xy.x, s.xy.y],
                tenants: s.tenants.len() as u8,
            })
            .collect(),
        plan: Vec::new(),
        rings: Vec::new(),
        coverage: None,
        attribution: attribution(cfg),
    }
}

/// The map layers of a run: its model, the plan's sites at their metric
/// positions, the search rings, and each operator's coverage as a raster.
pub fn run_layers(cfg: &Config, prep: &Prepared, outcome: &Outcome, rings: &[Ring]) -> MapLayers {
    let mut layers = base_layers(cfg, prep);
    let by_id: HashMap<&str, usize> = prep
        .model
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    layers.plan = outcome
        .sites
        .iter()
        .filter_map(|s| {
            let site = &prep.model.sites[*by_id.get(s.site_id.as_str())?];
            Some(PlanMark::of(s, [site.xy.x, site.xy.y]))
        })
        .collect();
    layers.rings = rings
        .iter()
        .map(|r| RingMark {
            id: r.id.clone(),
            xy: r.centre_xy,
            radius_m: r.radius_m,
        })
        .collect();
    if let Some(bounds) = layers.bounds() {
        let items = &prep.items;
        let cells: Vec<DemandCell> = outcome
            .demand
            .iter()
            .zip(&items.xy)
            .map(|(d, xy)| DemandCell {
                xy: *xy,
                residents: d.residents,
                before: d.before,
                after: d.after,
            })
            .collect();
        let cell_m = CoverageGrid::cell_for(bounds, COVERAGE_MAX_CELLS, COVERAGE_FINEST_M);
        layers.coverage = Some(CoverageGrid::build(bounds, cell_m, &cells));
    }
    layers
}

/// The title and subtitle of a plan's map.
pub fn titles(report: Option<&Report>, sites: &[PlanSite]) -> (String, String) {
    let stations: usize = sites.iter().map(|s| s.stations_added.len()).sum();
    let new = sites
        .iter()
        .filter(|s| s.origin == siting_plan::Origin::New)
        .count();
    let title = format!(
        "Siting plan: {} new sites, {} new 4G stations",
        siting_plan::markdown::thousands(new as f64),
        siting_plan::markdown::thousands(stations as f64)
    );
    let subtitle = match report {
        Some(r) => format!(
            "mode {}; sharing rate {} → {}; infrastructure {} yuan; sites coloured by what the plan does there, sized by tenants after it",
            r.mode,
            siting_plan::markdown::pct(r.sharing.rate_before),
            siting_plan::markdown::pct(r.sharing.rate_after),
            siting_plan::markdown::thousands(r.investment_yuan.infrastructure)
        ),
        None => "sites coloured by what the plan does there, sized by tenants after it".into(),
    };
    (title, subtitle)
}

/// `map.svg` and `map.png` of the whole area, or of one district (`focus`,
/// an index into the districts).
pub fn pictures(
    layers: &MapLayers,
    title: (String, String),
    focus: Option<usize>,
) -> Result<(String, Vec<u8>), EngineError> {
    let opt = MapOptions {
        title: title.0,
        subtitle: title.1,
        focus,
        ..MapOptions::default()
    };
    let svg = map_svg(layers, &opt).map_err(|e| map_error("map.svg", e))?;
    let font = find_cjk_font();
    if font.is_none() {
        tracing::warn!(
            "no CJK font found ({}): map.png is drawn without its labels; bash scripts/setup.sh installs fonts-wqy-microhei",
            siting_map::CJK_FONTS.join(", ")
        );
    }
    let png = render_png(&svg, font.as_deref(), 1.0).map_err(|e| map_error("map.png", e))?;
    Ok((svg, png))
}

/// Re-draws the map of the plan written in `plan` (a folder or its
/// `plan.geojson`) on the layers of the config that made it, zoomed into
/// `district` (a name or adcode) where given. An unknown district is an
/// error listing the nearest names.
pub fn redraw(
    source: &ConfigSource,
    plan: &Path,
    district: Option<&str>,
) -> Result<(String, Vec<u8>), EngineError> {
    let loaded = load(source, None)?;
    let prep = prepare(&loaded.cfg, &loaded.config_file, &loaded.raw)?;
    let sites = siting_plan::read_plan(plan)?;
    let dir = if plan.is_dir() {
        plan.to_path_buf()
    } else {
        plan.parent().unwrap_or(Path::new(".")).to_path_buf()
    };
    let mut layers = base_layers(&loaded.cfg, &prep);
    let focus = match district {
        Some(q) => Some(
            find_district(&layers.districts, q).map_err(|e| EngineError::Config {
                file: loaded.config_file.clone(),
                message: e.to_string(),
            })?,
        ),
        None => None,
    };
    let proj = siting_crs::Projector::new(&prep.model.metric_crs)?;
    let by_id: HashMap<&str, usize> = prep
        .model
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    for s in &sites {
        let xy = match by_id.get(s.site_id.as_str()) {
            Some(&i) => [prep.model.sites[i].xy.x, prep.model.sites[i].xy.y],
            None => {
                let (x, y) = proj.to_metric(s.lonlat.lon, s.lonlat.lat)?;
                [x, y]
            }
        };
        layers.plan.push(PlanMark::of(s, xy));
    }
    // The rings as report.json gives them (centre, radius), where it is there.
    let report_file = dir.join("report.json");
    let report: Option<serde_json::Value> = std::fs::read_to_string(&report_file)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    if let Some(rings) = report
        .as_ref()
        .and_then(|r| r.get("search_rings"))
        .and_then(|v| v.as_array())
    {
        for r in rings {
            let (Some(id), Some(lon), Some(lat), Some(radius_m)) = (
                r.get("id").and_then(|v| v.as_str()),
                r.pointer("/centre/0").and_then(|v| v.as_f64()),
                r.pointer("/centre/1").and_then(|v| v.as_f64()),
                r.get("radius_m").and_then(|v| v.as_f64()),
            ) else {
                continue;
            };
            let (x, y) = proj.to_metric(lon, lat)?;
            layers.rings.push(RingMark {
                id: id.to_string(),
                xy: [x, y],
                radius_m,
            });
        }
    }
    let (mut title, subtitle) = titles(None, &sites);
    if let Some(k) = focus {
        let d = &layers.districts[k];
        title = format!("{} ({}): {}", d.name, d.adcode, title);
    }
    pictures(&layers, (title, subtitle), focus)
}
