//! Writing a run's files: `plan.geojson`, `report.json`, `report.md`,
//! `plan.gpkg`, `report.html`, `map.svg`, `map.png`, the coverage GeoTIFFs
//! and the approval lists, as one folder switched in whole.

use crate::progress::{stage, Progress, Silent, Stage};
use crate::run::RunOutput;
use crate::EngineError;
use serde_json::{json, Map, Value};
use siting_gdal::OutLayer;
use siting_layers::RawGeometry;
use siting_model::{Operator, SiteKind};
use std::path::{Path, PathBuf};

/// `plan.gpkg`: layer `sites` (the plan's sites, as in plan.geojson, with
/// booleans per operator — `CMCC_tenant_before`, `CMCC_station_added`,
/// `CMCC_tenant_after` — and per rule, `rule_R3`), the
/// demand points split into `covered_demand` (covered by every operator once
/// the plan is built) and `uncovered_demand` (missed by at least one), each
/// with its residents and per-operator coverage before and after, and
/// `search_rings` (polygons). WGS84.
pub fn plan_gpkg(out: &RunOutput) -> Result<Vec<u8>, EngineError> {
    let o = &out.outcome;
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
            (RawGeometry::Point([s.lonlat.lon, s.lonlat.lat]), p)
        })
        .collect();
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
        let g = RawGeometry::Point([d.lonlat.lon, d.lonlat.lat]);
        if d.after.values().all(|c| *c) {
            covered.push((g, p));
        } else {
            uncovered.push((g, p));
        }
    }
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
            (RawGeometry::Polygon(vec![r.polygon.clone()]), p)
        })
        .collect();
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
        OutLayer {
            name: "search_rings".into(),
            features: rings,
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
        let t = std::time::Instant::now();
        files.push(("plan.gpkg".into(), plan_gpkg(out)?));
        tracing::debug!("plan.gpkg built in {:.2} s", t.elapsed().as_secs_f64());
        progress.advance(1);
        let t = std::time::Instant::now();
        let html = siting_map::report_html(&o.report, &o.sites, &out.map).map_err(|e| {
            siting_plan::WriteError {
                path: "report.html".into(),
                source: std::io::Error::other(e.to_string()),
            }
        })?;
        files.push(("report.html".into(), html.into_bytes()));
        progress.advance(1);
        let (svg, png) = crate::map::pictures(
            &out.map,
            crate::map::titles(Some(&o.report), &o.sites),
            None,
        )?;
        files.push(("map.svg".into(), svg.into_bytes()));
        files.push(("map.png".into(), png));
        progress.advance(2);
        tracing::debug!(
            "report.html, map.svg, map.png built in {:.2} s",
            t.elapsed().as_secs_f64()
        );
        files.extend(coverage_tiffs(out)?);
        progress.advance(1);
        for f in approvals {
            files.push(f);
            progress.advance(1);
        }
        Ok(siting_plan::write_folder(out_dir, &files, &out.inputs)?)
    })
}
