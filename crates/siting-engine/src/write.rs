//! Writing a run's files: `plan.geojson`, `report.json`, `report.md`,
//! `plan.gpkg`, `report.html`, `map.svg`, `map.png`, the coverage GeoTIFFs
//! and the approval lists, as one folder switched in whole.

use crate::progress::{stage, Progress, Silent, Stage};
use crate::run::RunOutput;
use crate::EngineError;
use serde_json::{json, Map, Value};
use siting_gdal::{FieldKind, LayerStyle, OutLayer};
use siting_layers::RawGeometry;
use siting_model::{Operator, SiteKind};
use std::path::{Path, PathBuf};

/// What a run writes beyond its fixed files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Also put every demand point into `plan.gpkg`, as layers
    /// `covered_demand` and `uncovered_demand` (`siting plan
    /// --demand-points`); off, the coverage GeoTIFFs beside it hold the
    /// coverage. On the 1.3-million-cell instance they are most of the
    /// write's time.
    pub demand_points: bool,
}

fn gpkg_error(e: impl std::fmt::Display) -> EngineError {
    EngineError::Write(siting_plan::WriteError {
        path: "plan.gpkg".into(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// A `geo_types` multipolygon as the writer's rings of `[x, y]`.
fn polygons(m: &geo_types::MultiPolygon<f64>) -> RawGeometry {
    let ring = |l: &geo_types::LineString<f64>| l.0.iter().map(|c| [c.x, c.y]).collect::<Vec<_>>();
    RawGeometry::Polygons(
        m.0.iter()
            .map(|p| {
                std::iter::once(ring(p.exterior()))
                    .chain(p.interiors().iter().map(ring))
                    .collect()
            })
            .collect(),
    )
}

/// The layers of `plan.gpkg` and their default QGIS styles.
///
/// All in the run's metric CRS (`out.map.metric_crs`, EPSG:4545 for
/// Chongqing), like the coverage GeoTIFFs beside it:
/// - `sites`: the plan's sites as in plan.geojson, with booleans per
///   operator (`CMCC_tenant_before`, `CMCC_station_added`,
///   `CMCC_tenant_after`) and per rule (`rule_R3`), `action` (`new_site`,
///   `co_location`, `overlay`) and `tenants_after_count`;
/// - `districts`: polygons with `adcode`, `name`, `main_urban` and the
///   report's per-district figures (residents, each operator's share covered
///   after the plan and residents newly covered, new sites, new 4G
///   stations, sites and shared sites after, investment in yuan);
/// - `zones`: polygons with `zone_id`, `class`, `name`, `building_height_m`;
/// - `excluded`: every site a hard rule keeps new antennas off (points:
///   `site_id`, `origin`, `kind`, `adcode`, `rule`, `reason`);
/// - `search_rings`: polygons with `ring_id`, residents, the operators
///   short, `radius_m` (metres) and the centre in WGS84;
/// - with [`WriteOptions::demand_points`], `covered_demand` (covered by
///   every operator once the plan is built) and `uncovered_demand`.
pub fn gpkg_layers(
    out: &RunOutput,
    options: &WriteOptions,
) -> Result<(Vec<OutLayer>, Vec<LayerStyle>), EngineError> {
    let o = &out.outcome;
    let projector = siting_crs::Projector::new(&out.map.metric_crs)?;
    let xy = |lon: f64, lat: f64| -> Result<[f64; 2], EngineError> {
        let (x, y) = projector.to_metric(lon, lat)?;
        Ok([x, y])
    };
    // Tenants and rules as real fields too: a boolean per operator and per
    // rule, beside the list columns of plan.geojson.
    let mut rules: Vec<&str> = o
        .sites
        .iter()
        .flat_map(|s| s.rules.iter().map(String::as_str))
        .collect();
    rules.sort_by_key(|r| {
        (
            r.trim_start_matches(char::is_alphabetic)
                .parse::<u32>()
                .unwrap_or(u32::MAX),
            *r,
        )
    });
    rules.dedup();
    let sites = o
        .sites
        .iter()
        .map(|s| {
            let mut p = siting_plan::geojson::site_properties(s);
            p.insert("action".into(), json!(siting_map::Action::of(s).code()));
            p.insert("tenants_after_count".into(), json!(s.tenants_after().len()));
            for op in Operator::ALL {
                p.insert(
                    format!("{op}_tenant_before"),
                    json!(s.tenants_before.contains(op)),
                );
                p.insert(
                    format!("{op}_station_added"),
                    json!(s.stations_added.contains(op)),
                );
                p.insert(
                    format!("{op}_tenant_after"),
                    json!(s.tenants_after().contains(op)),
                );
            }
            for r in &rules {
                p.insert(format!("rule_{r}"), json!(s.rules.iter().any(|x| x == r)));
            }
            Ok((RawGeometry::Point(xy(s.lonlat.lon, s.lonlat.lat)?), p))
        })
        .collect::<Result<Vec<_>, EngineError>>()?;
    let districts = out
        .map
        .districts
        .iter()
        .map(|d| {
            let mut p = Map::new();
            p.insert("adcode".into(), json!(d.adcode));
            p.insert("name".into(), json!(d.name));
            p.insert("main_urban".into(), json!(d.main_urban));
            if let Some(r) = o.report.by_district.get(&d.adcode) {
                p.insert("residents".into(), json!(r.residents));
                for op in Operator::ALL {
                    p.insert(
                        format!("{op}_share_after"),
                        json!(r.coverage_share_after[op]),
                    );
                    p.insert(format!("{op}_newly_covered"), json!(r.newly_covered[op]));
                }
                p.insert("new_sites".into(), json!(r.new_sites));
                p.insert("new_4g_stations".into(), json!(r.new_4g_stations));
                p.insert("sites_after".into(), json!(r.sites_after));
                p.insert("shared_after".into(), json!(r.shared_after));
                p.insert("sharing_rate_after".into(), json!(r.sharing_rate_after));
                p.insert("investment_yuan".into(), json!(r.investment_yuan));
                p.insert("equipment_yuan".into(), json!(r.equipment_yuan));
            }
            (polygons(&d.geometry), p)
        })
        .collect();
    let zones = out
        .map
        .zones
        .iter()
        .map(|z| {
            let mut p = Map::new();
            p.insert("zone_id".into(), json!(z.id));
            p.insert("class".into(), json!(z.class.code()));
            p.insert("name".into(), json!(z.name));
            p.insert("building_height_m".into(), json!(z.building_height_m));
            (polygons(&z.geometry), p)
        })
        .collect();
    let excluded = o
        .report
        .excluded
        .iter()
        .map(|e| {
            let mut p = Map::new();
            p.insert("site_id".into(), json!(e.site_id));
            p.insert("origin".into(), json!(e.origin));
            p.insert("kind".into(), json!(e.kind));
            p.insert("adcode".into(), json!(e.adcode));
            p.insert("rule".into(), json!(e.rule));
            p.insert("reason".into(), json!(e.reason));
            Ok((RawGeometry::Point(xy(e.lon, e.lat)?), p))
        })
        .collect::<Result<Vec<_>, EngineError>>()?;
    let rings = o
        .report
        .search_rings
        .iter()
        .map(|r| {
            let mut p = Map::new();
            p.insert("ring_id".into(), json!(r.id));
            p.insert("residents".into(), json!(r.residents));
            p.insert("operators".into(), json!(r.operators.join(",")));
            p.insert("demand_points".into(), json!(r.demand_points));
            p.insert(
                "township_centres".into(),
                json!(r.township_centres.join(",")),
            );
            p.insert("centre_lon".into(), json!(r.centre[0]));
            p.insert("centre_lat".into(), json!(r.centre[1]));
            p.insert("radius_m".into(), json!(r.radius_m));
            p.insert("adcode".into(), json!(r.adcode));
            let ring = r
                .polygon
                .iter()
                .map(|c| xy(c[0], c[1]))
                .collect::<Result<Vec<_>, EngineError>>()?;
            Ok((RawGeometry::Polygon(vec![ring]), p))
        })
        .collect::<Result<Vec<_>, EngineError>>()?;
    let layer = |name: &str, features| OutLayer {
        name: name.into(),
        features,
        declared: vec![("building_height_m".into(), FieldKind::Real)],
    };
    let style = |layer: &str, qml: String, description: &str| LayerStyle {
        layer: layer.into(),
        name: layer.into(),
        qml,
        sld: String::new(),
        description: description.into(),
    };
    let mut layers = vec![
        layer("sites", sites),
        layer("districts", districts),
        layer("zones", zones),
        layer("excluded", excluded),
        layer("search_rings", rings),
    ];
    let mut styles = vec![
        style(
            "sites",
            siting_map::qml::sites_qml(),
            "the plan's sites by what the plan does there, sized by tenants after the plan",
        ),
        style(
            "districts",
            siting_map::qml::districts_qml(),
            "district and county outlines, labelled",
        ),
        style(
            "zones",
            siting_map::qml::zones_qml(),
            "protected and sensitive zones by class",
        ),
        style(
            "excluded",
            siting_map::qml::excluded_qml(),
            "sites a hard rule excludes: candidates red, existing sites grey",
        ),
        style(
            "search_rings",
            siting_map::qml::search_rings_qml(),
            "where no site can serve",
        ),
    ];
    if options.demand_points {
        let (mut covered, mut uncovered) = (Vec::new(), Vec::new());
        for d in &o.demand {
            let mut p = Map::new();
            p.insert("residents".into(), json!(d.residents));
            p.insert("cell_m".into(), json!(d.cell_m));
            p.insert("environment".into(), json!(d.environment.code()));
            p.insert(
                "adcode".into(),
                d.adcode.clone().map_or(Value::Null, Value::String),
            );
            for op in Operator::ALL {
                p.insert(format!("{op}_before"), json!(d.before[op]));
                p.insert(format!("{op}_after"), json!(d.after[op]));
            }
            let g = RawGeometry::Point(xy(d.lonlat.lon, d.lonlat.lat)?);
            if d.after.values().all(|c| *c) {
                covered.push((g, p));
            } else {
                uncovered.push((g, p));
            }
        }
        layers.push(layer("covered_demand", covered));
        layers.push(layer("uncovered_demand", uncovered));
        styles.push(style(
            "covered_demand",
            siting_map::qml::demand_qml(true),
            "demand points every operator covers once the plan is built",
        ));
        styles.push(style(
            "uncovered_demand",
            siting_map::qml::demand_qml(false),
            "demand points some operator misses",
        ));
    }
    Ok((layers, styles))
}

/// `plan.gpkg` ([`gpkg_layers`] with their styles in `layer_styles`), as bytes.
pub fn plan_gpkg(out: &RunOutput, options: &WriteOptions) -> Result<Vec<u8>, EngineError> {
    let (layers, styles) = gpkg_layers(out, options)?;
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
    let result = siting_gdal::write_geopackage(&path, &layers, Some(&out.map.metric_crs), &styles)
        .map_err(gpkg_error)
        .and_then(|()| std::fs::read(&path).map_err(|e| io(e).into()));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// `coverage_CMCC.tif` etc.: each operator's coverage raster (the cells of
/// `report.html`'s coverage maps) as a GeoTIFF in the metric CRS, one byte
/// per cell: 0 no residents (nodata), 1 covered before the plan, 2 newly
/// covered, 3 still uncovered, with a palette.
pub fn coverage_tiffs(out: &RunOutput) -> Result<Vec<(String, Vec<u8>)>, EngineError> {
    let Some(grid) = &out.map.coverage else {
        return Ok(Vec::new());
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("siting-tif-{}-{nanos}", std::process::id()));
    let io = |e: std::io::Error| siting_plan::WriteError {
        path: dir.display().to_string(),
        source: e,
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let colours: Vec<(u8, [u8; 4])> = siting_map::CellClass::SHOWN
        .iter()
        .map(|c| (*c as u8, c.rgba()))
        .collect();
    let write_all = || -> Result<Vec<(String, Vec<u8>)>, siting_plan::WriteError> {
        let mut files = Vec::new();
        for op in Operator::ALL {
            let name = format!("coverage_{op}.tif");
            let path = dir.join(&name);
            let raster = siting_gdal::ClassRaster {
                cols: grid.cols,
                rows: grid.rows,
                geotransform: grid.geotransform(),
                srs: &out.map.metric_crs,
                data: &grid.classes[op],
                nodata: 0,
                colours: &colours,
            };
            siting_gdal::write_class_raster(&path, &raster).map_err(|e| {
                siting_plan::WriteError {
                    path: name.clone(),
                    source: std::io::Error::other(e.to_string()),
                }
            })?;
            files.push((name, std::fs::read(&path).map_err(io)?));
        }
        Ok(files)
    };
    let result = write_all();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(result?)
}

/// Writes `plan.geojson`, `report.json`, `report.md`, `report.html`,
/// `map.svg`, `map.png`, `plan.gpkg`, the coverage GeoTIFFs and the
/// approval lists (`approvals/<authority>-<year>.csv`) as the whole content
/// of `out_dir`, which then holds this run's files or, after any failure,
/// the previous run's ([`siting_plan::write_folder`]).
pub fn write(out: &RunOutput, out_dir: &Path) -> Result<Vec<PathBuf>, EngineError> {
    write_with(out, out_dir, &Silent)
}

/// [`write()`], telling `progress` of each file built (stage `write`, in files).
pub fn write_with(
    out: &RunOutput,
    out_dir: &Path,
    progress: &dyn Progress,
) -> Result<Vec<PathBuf>, EngineError> {
    write_with_options(out, out_dir, progress, &WriteOptions::default())
}

/// [`write_with`] with `options` (demand points in `plan.gpkg`).
pub fn write_with_options(
    out: &RunOutput,
    out_dir: &Path,
    progress: &dyn Progress,
    options: &WriteOptions,
) -> Result<Vec<PathBuf>, EngineError> {
    let mut timings = Vec::new();
    let o = &out.outcome;
    let eirp = |kind: &str| {
        let k = kind.parse::<SiteKind>().ok()?;
        out.eirp_dbm.as_ref().map(|e| e.get(k))
    };
    let approvals = siting_plan::approval_files(&o.sites, eirp)?;
    let total = 8 + approvals.len() as u64;
    stage(progress, Stage::Write, Some(total), &mut timings, || {
        let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(total as usize);
        files.push((
            "plan.geojson".into(),
            siting_plan::geojson::plan_geojson(&o.sites).into_bytes(),
        ));
        progress.advance(1);
        let json = serde_json::to_string_pretty(&o.report).expect("report serialises") + "\n";
        files.push(("report.json".into(), json.into_bytes()));
        progress.advance(1);
        files.push((
            "report.md".into(),
            siting_plan::markdown::report_markdown(&o.report).into_bytes(),
        ));
        progress.advance(1);
        // plan.gpkg (mostly SQLite, on this thread) beside the pictures and
        // rasters (on another); the files keep their order, and where both
        // fail the GeoPackage's error is the one reported.
        let pictures = || -> Result<Vec<(String, Vec<u8>)>, EngineError> {
            let t = std::time::Instant::now();
            let html = siting_map::report_html(&o.report, &o.sites, &out.map).map_err(|e| {
                siting_plan::WriteError {
                    path: "report.html".into(),
                    source: std::io::Error::other(e.to_string()),
                }
            })?;
            progress.advance(1);
            let (svg, png) = crate::map::pictures(
                &out.map,
                crate::map::titles(Some(&o.report), &o.sites),
                None,
            )?;
            progress.advance(2);
            tracing::debug!(
                "report.html, map.svg, map.png built in {:.2} s",
                t.elapsed().as_secs_f64()
            );
            let mut built = vec![
                ("report.html".into(), html.into_bytes()),
                ("map.svg".into(), svg.into_bytes()),
                ("map.png".into(), png),
            ];
            built.extend(coverage_tiffs(out)?);
            progress.advance(1);
            Ok(built)
        };
        let (gpkg, built) = std::thread::scope(|scope| {
            let other = scope.spawn(pictures);
            let t = std::time::Instant::now();
            let gpkg = plan_gpkg(out, options);
            tracing::debug!("plan.gpkg built in {:.2} s", t.elapsed().as_secs_f64());
            progress.advance(1);
            let built = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (gpkg, built)
        });
        files.push(("plan.gpkg".into(), gpkg?));
        files.extend(built?);
        for f in approvals {
            files.push(f);
            progress.advance(1);
        }
        Ok(siting_plan::write_folder(out_dir, &files, &out.inputs)?)
    })
}
