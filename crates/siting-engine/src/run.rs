//! The whole pipeline.

use crate::assemble::{assemble, Assembly};
use crate::config::{Config, ConfigSource};
use crate::environment::classify;
use crate::inputs::RawLayers;
use crate::EngineError;
use rayon::prelude::*;
use siting_coverage::{coverage_sets, Demand, SiteRadio};
use siting_crs::Projector;
use siting_index::{PointIndex, PolygonIndex};
use siting_layers::{
    bounds, check_unique_site_ids, demand_from, districts_from, sites_from, townships_from,
    zones_from, SiteDefaults,
};
use siting_model::{Environment, Model, Operator, SiteKind, SiteOrigin, ZoneClass};
use siting_optimize::{solve, Params, Problem, SiteChoice};
use siting_plan::{PlanSite, Report};
use siting_radio::{CoverageModel, LinkBudgetModel, MultiBandModel, Transmitter};
use siting_rules::{judge, Catalogue, Verdict};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Demand weights are handed to the optimiser in thousandths, as integers.
pub const WEIGHT_SCALE: f64 = 1000.0;

/// What a run produces, before anything is written.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// The plan's sites, in phase and priority order.
    pub sites: Vec<PlanSite>,
    /// The report.
    pub report: Report,
    /// Input files a write must never replace.
    pub inputs: Vec<PathBuf>,
    /// Seconds spent per stage, for progress logs and benchmarks.
    pub timings: Vec<(&'static str, f64)>,
    /// Each demand point and who covers it, before and after the plan.
    pub demand: Vec<DemandOutcome>,
}

/// One demand point and its coverage, for `plan.gpkg`.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandOutcome {
    /// Position, WGS84.
    pub lonlat: siting_model::LonLat,
    /// Demand weight.
    pub weight: f64,
    /// Radio environment.
    pub environment: Environment,
    /// District adcode, if inside one.
    pub adcode: Option<String>,
    /// Covered per operator (CMCC, CUCC, CTCC) before the plan.
    pub before: [bool; 3],
    /// Covered per operator once the plan is built.
    pub after: [bool; 3],
}

/// Everything the stages between the layers and the optimiser produce.
pub struct Prepared {
    /// The model in the metric CRS.
    pub model: Model,
    /// District of each site (index into `model.districts`).
    pub site_district: Vec<u32>,
    /// Rule verdict of each site.
    pub verdicts: Vec<Verdict>,
    /// Demand items: the demand points, then the township centres.
    pub item_xy: Vec<[f64; 2]>,
    /// Environment of each item.
    pub item_env: Vec<Environment>,
    /// District of each demand point, if inside one.
    pub demand_district: Vec<Option<u32>>,
    /// Ground height of each site, metres (zeros without a DEM).
    pub site_ground_m: Vec<f64>,
    /// Ground height of each item, metres (zeros without a DEM).
    pub item_ground_m: Vec<f64>,
    /// WGS84 lon/lat of each item.
    pub item_lonlat: Vec<[f64; 2]>,
}

fn site_defaults(cfg: &Config) -> SiteDefaults {
    let h = &cfg.site_defaults.height_m;
    SiteDefaults {
        height_m: SiteKind::ALL.iter().map(|k| (*k, h.get(*k))).collect(),
        capacity: cfg.site_defaults.capacity,
    }
}

/// The radio of each operator, in [`Operator::ALL`] order: a
/// [`LinkBudgetModel`] per band. With a DEM, effective antenna heights
/// follow the ground, and where its cells are at most
/// `terrain.diffraction_max_cell_m`, knife-edge diffraction along terrain
/// profiles applies.
pub fn radio_models(
    cfg: &Config,
    source: &ConfigSource,
    dem: Option<&siting_layers::Grid>,
) -> Result<Vec<MultiBandModel>, EngineError> {
    let terrain = dem.is_some();
    let profiles: Option<std::sync::Arc<dyn siting_radio::TerrainProfile>> = dem
        .map(|g| crate::terrain::GridTerrain::new(g.clone()))
        .filter(|t| t.cell_m() <= cfg.terrain.diffraction_max_cell_m)
        .map(|t| std::sync::Arc::new(t) as std::sync::Arc<dyn siting_radio::TerrainProfile>);
    let bad = |message: String| EngineError::Config {
        file: source.label(),
        message,
    };
    Operator::ALL
        .iter()
        .map(|op| {
            let r = cfg
                .radio
                .get(op.code())
                .ok_or_else(|| bad(format!("[radio.{op}] is missing")))?;
            let mut bands = Vec::with_capacity(r.bands.len());
            for band in r.resolve(*op).map_err(bad)? {
                let models = band.path_losses().map_err(bad)?;
                let pen = band.environments.all().map(|m| m.penetration_loss_db);
                let model =
                    LinkBudgetModel::new(models, pen, band.budget, band.max_distance_m, terrain);
                let model = match &profiles {
                    Some(p) => model.with_diffraction(p.clone()),
                    None => model,
                };
                let model = if band.indoor_only {
                    model.indoor_only()
                } else {
                    model
                }
                .with_source(band.source);
                bands.push((band.label, model));
            }
            Ok(MultiBandModel::new(bands))
        })
        .collect()
}

/// Layers → model → indices → verdicts → demand items.
pub fn prepare(cfg: &Config, raw: &RawLayers) -> Result<Prepared, EngineError> {
    let metric = if cfg.area.metric_crs == "auto" {
        let b =
            bounds(&raw.districts.features).ok_or_else(|| siting_layers::LayerError::Empty {
                file: raw.districts.file.clone(),
            })?;
        siting_crs::choose(b)
    } else {
        cfg.area.metric_crs.clone()
    };
    let proj = Projector::new(&metric)?;
    let mut districts = districts_from(&raw.districts.file, &raw.districts.features, &proj)?;
    for d in &mut districts {
        d.main_urban = cfg.area.main_urban_adcodes.contains(&d.adcode);
    }
    let townships = townships_from(&raw.townships.file, &raw.townships.features, &proj)?;
    let demand = demand_from(&raw.demand.file, &raw.demand.features, &proj)?;
    let defaults = site_defaults(cfg);
    let existing = sites_from(
        &raw.sites_existing.file,
        &raw.sites_existing.features,
        SiteOrigin::Existing,
        &defaults,
        &proj,
    )?;
    let candidates = sites_from(
        &raw.candidates.file,
        &raw.candidates.features,
        SiteOrigin::Candidate,
        &defaults,
        &proj,
    )?;
    check_unique_site_ids(&[
        (&raw.sites_existing.file, &existing),
        (&raw.candidates.file, &candidates),
    ])?;
    let zones = zones_from(&raw.zones.file, &raw.zones.features, &proj)?;
    let n_existing = existing.len();
    let sites: Vec<_> = existing.into_iter().chain(candidates).collect();

    let district_geoms: Vec<_> = districts.iter().map(|d| d.geometry.clone()).collect();
    let district_index = PolygonIndex::new(&district_geoms, 5_000.0);
    let zone_geoms: Vec<_> = zones.iter().map(|z| z.geometry.clone()).collect();
    let zone_index = PolygonIndex::new(&zone_geoms, 2_000.0);
    let classes_at = |p: [f64; 2]| -> Vec<ZoneClass> {
        let mut c: Vec<ZoneClass> = zone_index
            .containing(p)
            .into_iter()
            .map(|i| zones[i as usize].class)
            .collect();
        c.sort();
        c.dedup();
        c
    };

    let mut site_district = Vec::with_capacity(sites.len());
    let mut verdicts = Vec::with_capacity(sites.len());
    for (i, s) in sites.iter().enumerate() {
        let p = [s.xy.x, s.xy.y];
        let Some(d) = district_index.first_containing(p) else {
            let (file, index) = if i < n_existing {
                (&raw.sites_existing.file, i)
            } else {
                (&raw.candidates.file, i - n_existing)
            };
            return Err(EngineError::OutsideDistricts {
                file: file.clone(),
                index,
                id: s.id.clone(),
                districts: raw.districts.file.clone(),
            });
        };
        site_district.push(d);
        verdicts.push(judge(s, &classes_at(p), &cfg.rules));
    }

    let mut item_xy: Vec<[f64; 2]> = Vec::with_capacity(demand.len() + townships.len());
    let mut item_env = Vec::with_capacity(demand.len() + townships.len());
    let mut demand_district = Vec::with_capacity(demand.len());
    for (i, d) in demand.iter().enumerate() {
        let p = [d.xy.x, d.xy.y];
        let cell_m = d.cell_m.or(cfg.environment.default_cell_m).ok_or_else(|| {
            siting_layers::LayerError::Feature {
                file: raw.demand.file.clone(),
                feature: siting_layers::FeatureRef { index: i, id: None },
                problem: "no \"cell_m\" property and no environment.default_cell_m in the config"
                    .into(),
            }
        })?;
        item_xy.push(p);
        item_env.push(classify(&cfg.environment, d.weight, cell_m, &classes_at(p)));
        demand_district.push(district_index.first_containing(p));
    }
    let cells = PointIndex::new(item_xy.iter().copied());
    for t in &townships {
        let p = [t.xy.x, t.xy.y];
        let env = if classes_at(p).contains(&ZoneClass::DenseResidential) {
            Environment::DenseUrban
        } else {
            cells
                .nearest(p)
                .map_or(Environment::Rural, |n| item_env[n as usize])
        };
        item_xy.push(p);
        item_env.push(env);
    }
    let ground =
        |what: &dyn Fn() -> String, ll: siting_model::LonLat| -> Result<f64, EngineError> {
            match &raw.dem {
                None => Ok(0.0),
                Some((file, grid)) => grid.at(ll.lon, ll.lat).ok_or_else(|| EngineError::Config {
                    file: file.clone(),
                    message: format!(
                        "the DEM does not cover {} at {:.6}, {:.6}",
                        what(),
                        ll.lon,
                        ll.lat
                    ),
                }),
            }
        };
    let site_ground_m = sites
        .iter()
        .map(|s| ground(&|| format!("site {}", s.id), s.lonlat))
        .collect::<Result<Vec<_>, _>>()?;
    let item_ground_m = demand
        .iter()
        .enumerate()
        .map(|(i, d)| ground(&|| format!("{} feature #{i}", raw.demand.file), d.lonlat))
        .chain(
            townships
                .iter()
                .map(|t| ground(&|| format!("township centre {}", t.code), t.lonlat)),
        )
        .collect::<Result<Vec<_>, _>>()?;
    let item_lonlat = demand
        .iter()
        .map(|d| d.lonlat)
        .chain(townships.iter().map(|t| t.lonlat))
        .map(|ll| [ll.lon, ll.lat])
        .collect();
    Ok(Prepared {
        site_ground_m,
        item_ground_m,
        item_lonlat,
        model: Model {
            metric_crs: metric,
            districts,
            townships,
            demand,
            sites,
            zones,
        },
        site_district,
        verdicts,
        item_xy,
        item_env,
        demand_district,
    })
}

/// Each site's position and antenna for the coverage stage. With a DEM, the
/// lowest ground within the site's reach bounds the antenna's effective
/// height, and so its range query: starting from the farthest any model
/// reaches, the reach and the lowest ground within it are narrowed together
/// (each step can only shrink both) a few times. The lowest ground is read
/// from blocks of about a kilometre (each the minimum of its cells), a lower
/// bound that keeps each step cheap on a fine DEM. Sites in parallel.
pub fn site_radios(prep: &Prepared, raw: &RawLayers, models: &[MultiBandModel]) -> Vec<SiteRadio> {
    let reach_m = models
        .iter()
        .map(MultiBandModel::reach_m)
        .fold(0.0, f64::max);
    let blocks = raw.dem.as_ref().map(|(_, grid)| {
        let cell_m = grid.cell_deg() * 110_574.0;
        let k = (1000.0 / cell_m).floor().max(1.0) as usize;
        if k > 1 {
            std::borrow::Cow::Owned(grid.block_min(k))
        } else {
            std::borrow::Cow::Borrowed(grid)
        }
    });
    prep.model
        .sites
        .par_iter()
        .zip(&prep.site_ground_m)
        .map(|(s, &ground_m)| {
            let mut tx = Transmitter {
                height_m: s.height_m,
                ground_m,
                lowest_ground_m: ground_m,
                position: [s.lonlat.lon, s.lonlat.lat],
                indoor: s.kind == SiteKind::Indoor,
            };
            if let Some(grid) = &blocks {
                let mut reach = reach_m;
                for _ in 0..4 {
                    // At least `reach` metres each way: 110,574 m is the
                    // shortest degree of latitude, and 0.1% covers the
                    // Gauss-Krüger scale factor within a zone.
                    let dlat = reach * 1.001 / 110_574.0;
                    let dlon = dlat / s.lonlat.lat.to_radians().cos().max(0.01);
                    let lowest = grid
                        .min_within(s.lonlat.lon, s.lonlat.lat, dlon, dlat)
                        .unwrap_or(ground_m);
                    tx.lowest_ground_m = lowest.min(ground_m);
                    let next = models
                        .iter()
                        .map(|m| m.max_range_m(&tx))
                        .fold(0.0, f64::max);
                    if next >= reach {
                        break;
                    }
                    reach = next;
                }
            }
            SiteRadio {
                xy: [s.xy.x, s.xy.y],
                tx,
            }
        })
        .collect()
}

/// Runs the pipeline from a config; writes nothing.
pub fn run(source: &ConfigSource) -> Result<RunOutput, EngineError> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let cfg = Config::load(source)?;
    let catalogue = Catalogue::embedded()?;
    let raw = RawLayers::read(&cfg, source)?;
    let models = radio_models(&cfg, source, raw.dem.as_ref().map(|(_, g)| g))?;
    lap("read", &mut timings);
    let prep = prepare(&cfg, &raw)?;
    lap("model, indices, rules", &mut timings);

    let item_index = PointIndex::new(prep.item_xy.iter().copied());
    let radios = site_radios(&prep, &raw, &models);
    let model_refs: Vec<&dyn CoverageModel> =
        models.iter().map(|m| m as &dyn CoverageModel).collect();
    let sets = coverage_sets(
        &radios,
        &model_refs,
        Demand {
            index: &item_index,
            environment: &prep.item_env,
            ground_m: &prep.item_ground_m,
            position: &prep.item_lonlat,
        },
    );
    lap("coverage", &mut timings);

    let n_items = prep.item_xy.len();
    let n_cells = prep.model.demand.len();
    let mut covered_before = vec![vec![false; n_items]; Operator::ALL.len()];
    for (s, site) in prep.model.sites.iter().enumerate() {
        for op in site.tenants.iter() {
            for &d in &sets[s][op.index()] {
                covered_before[op.index()][d as usize] = true;
            }
        }
    }
    let weights: Vec<u64> = prep
        .model
        .demand
        .iter()
        .map(|d| (d.weight * WEIGHT_SCALE).round() as u64)
        .chain(std::iter::repeat_n(
            (cfg.targets.township_centre_weight * WEIGHT_SCALE).round() as u64,
            n_items - n_cells,
        ))
        .collect();
    // The optimiser adds weights in u64: refuse totals it could not hold.
    if weights
        .iter()
        .try_fold(0u64, |a, w| a.checked_add(*w))
        .is_none_or(|t| t > u64::MAX / 4)
    {
        return Err(EngineError::Config {
            file: raw.demand.file.clone(),
            message: "demand weights (with the township-centre weight) add up to more than 4.6e15; scale them down".into(),
        });
    }
    let mut choice_site = Vec::new();
    let mut choices = Vec::new();
    for (s, (site, v)) in prep.model.sites.iter().zip(&prep.verdicts).enumerate() {
        if v.excluded.is_some() {
            continue;
        }
        choice_site.push(s);
        choices.push(SiteChoice {
            existing: site.origin == SiteOrigin::Existing,
            tenants: site.tenants.bits(),
            capacity: v.capacity,
            build_cost_yuan: v.build_cost_yuan.round() as u64,
            tenant_cost_yuan: v.tenant_cost_yuan.round() as u64,
            coverage: sets[s].clone(),
        });
    }
    let quota: Vec<u32> = Operator::ALL
        .iter()
        .map(|op| {
            cfg.targets
                .new_base_stations
                .get(op.code())
                .copied()
                .unwrap_or(0)
        })
        .collect();
    let problem = Problem {
        operators: Operator::ALL.len(),
        weights,
        covered_before,
        sites: choices,
        quota,
    };
    let params = Params {
        sharing_first: cfg.rules.sharing_first,
        budget_yuan: cfg.targets.budget_yuan.map(|b| b.floor() as u64),
        // T3 asks for a rate *above* the figure.
        min_sharing_rate: Some((cfg.targets.min_sharing_rate + 1e-9).min(1.0)),
    };
    let solution = solve(&problem, &params)?;
    lap("optimise", &mut timings);

    let (sites, report, covered_after) = assemble(Assembly {
        cfg: &cfg,
        source,
        raw: &raw,
        prep: &prep,
        catalogue: &catalogue,
        models: &models,
        sets: &sets,
        covered_before: &problem.covered_before,
        choice_site: &choice_site,
        solution: &solution,
        n_cells,
    });
    lap("assemble", &mut timings);
    let inputs = raw
        .inputs()
        .iter()
        .filter(|i| !i.file.starts_with("embedded:"))
        .map(|i| PathBuf::from(&i.file))
        .collect();
    let demand = prep
        .model
        .demand
        .iter()
        .enumerate()
        .map(|(i, d)| DemandOutcome {
            lonlat: d.lonlat,
            weight: d.weight,
            environment: prep.item_env[i],
            adcode: prep.demand_district[i]
                .map(|k| prep.model.districts[k as usize].adcode.clone()),
            before: [0, 1, 2].map(|o| problem.covered_before[o][i]),
            after: [0, 1, 2].map(|o| covered_after[o][i]),
        })
        .collect();
    Ok(RunOutput {
        sites,
        report,
        inputs,
        timings,
        demand,
    })
}

/// `plan.gpkg`: layer `sites` (the plan's sites, as in plan.geojson), and
/// the demand points split into `covered_demand` (covered by all three
/// operators once the plan is built) and `uncovered_demand` (missed by at
/// least one), each with per-operator coverage before and after. WGS84.
pub fn plan_gpkg(out: &RunOutput) -> Result<Vec<u8>, EngineError> {
    use serde_json::{json, Map, Value};
    use siting_gdal::OutLayer;
    use siting_layers::RawGeometry;
    let sites = out
        .sites
        .iter()
        .map(|s| {
            (
                RawGeometry::Point([s.lonlat.lon, s.lonlat.lat]),
                siting_plan::geojson::site_properties(s),
            )
        })
        .collect();
    let (mut covered, mut uncovered) = (Vec::new(), Vec::new());
    for d in &out.demand {
        let mut p = Map::new();
        p.insert("weight".into(), json!(d.weight));
        p.insert("environment".into(), json!(d.environment.code()));
        p.insert(
            "adcode".into(),
            d.adcode.clone().map_or(Value::Null, Value::String),
        );
        for (o, op) in Operator::ALL.iter().enumerate() {
            p.insert(format!("{op}_before"), json!(d.before[o]));
            p.insert(format!("{op}_after"), json!(d.after[o]));
        }
        let g = RawGeometry::Point([d.lonlat.lon, d.lonlat.lat]);
        if d.after.iter().all(|c| *c) {
            covered.push((g, p));
        } else {
            uncovered.push((g, p));
        }
    }
    let layers = [
        OutLayer {
            name: "sites".into(),
            features: sites,
        },
        OutLayer {
            name: "covered_demand".into(),
            features: covered,
        },
        OutLayer {
            name: "uncovered_demand".into(),
            features: uncovered,
        },
    ];
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("siting-gpkg-{}-{nanos}", std::process::id()));
    let io = |e: std::io::Error| siting_plan::WriteError {
        path: dir.display().to_string(),
        source: e,
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let path = dir.join("plan.gpkg");
    let result = siting_gdal::write_layers(&path, &layers, Some("EPSG:4326"))
        .map_err(|e| siting_plan::WriteError {
            path: "plan.gpkg".into(),
            source: std::io::Error::other(e.to_string()),
        })
        .and_then(|()| std::fs::read(&path).map_err(io));
    let _ = std::fs::remove_dir_all(&dir);
    Ok(result?)
}

/// Writes `plan.geojson`, `report.json`, `report.md` and `plan.gpkg` into `out_dir`, all or none.
pub fn write(out: &RunOutput, out_dir: &Path) -> Result<Vec<PathBuf>, EngineError> {
    let json = serde_json::to_string_pretty(&out.report).expect("report serialises") + "\n";
    let files = vec![
        (
            "plan.geojson",
            siting_plan::geojson::plan_geojson(&out.sites).into_bytes(),
        ),
        ("report.json", json.into_bytes()),
        (
            "report.md",
            siting_plan::markdown::report_markdown(&out.report).into_bytes(),
        ),
        ("plan.gpkg", plan_gpkg(out)?),
    ];
    Ok(siting_plan::write_outputs(out_dir, &files, &out.inputs)?)
}
