//! The main job on the embedded Chongqing data, and the data set's reproducibility.

mod common;

use common::{check_plan, json, siting};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Issue 9 on the embedded run, recomputed from plan.geojson: years come
/// from need and the stations placed for capacity come as the traffic
/// grows, where it is.
fn traffic_follows_the_load(plan: &Value, r: &Value) {
    let years = [2015u64, 2016, 2017];
    let mut by_reason: BTreeMap<(u64, String), u64> = BTreeMap::new();
    let mut by_driver: BTreeMap<(u64, String), u64> = BTreeMap::new();
    let mut capacity_by_year = [0u64; 3];
    let mut capacity_by_district: BTreeMap<String, u64> = BTreeMap::new();
    for f in plan["features"].as_array().unwrap() {
        let p = &f["properties"];
        for op in p["stations_added"].as_array().unwrap() {
            let op = op.as_str().unwrap();
            let year = p["station_phases"][op].as_u64().unwrap();
            let reason = p["station_reasons"][op].as_str().unwrap().to_string();
            let driver = p["station_drivers"][op].as_str().unwrap().to_string();
            *by_reason.entry((year, reason.clone())).or_default() += 1;
            *by_driver.entry((year, driver.clone())).or_default() += 1;
            // Every station carries what its best-served demand offers, at
            // most its capacity, and its load is that share of it.
            let cap = p["capacity_mbps"][op].as_f64().unwrap();
            assert!(cap > 0.0, "{}", p["site_id"]);
            for y in years {
                let offered = p["offered_mbps"][op][y.to_string()].as_f64().unwrap();
                let served = p["served_mbps"][op][y.to_string()].as_f64().unwrap();
                let load = p["load"][op][y.to_string()].as_f64().unwrap();
                assert!((served - offered.min(cap)).abs() < 2e-3, "{}", p["site_id"]);
                assert!((0.0..=1.0).contains(&load));
                if y < year {
                    assert_eq!(offered, 0.0, "{} serves before its year", p["site_id"]);
                }
            }
            if reason == "capacity" {
                assert_eq!(driver, "load");
                capacity_by_year[(year - 2015) as usize] += 1;
                *capacity_by_district
                    .entry(p["district"].as_str().unwrap().to_string())
                    .or_default() += 1;
                let last = p["offered_mbps"][op]["2017"].as_f64().unwrap();
                assert!(last > 0.0, "a capacity station serving nobody");
            }
            // R8: no new tower before its planning approval allows (2016).
            if p["planning_approval"] == true && p["origin"] == "new" {
                assert!(year >= 2016, "{} built in {year}", p["site_id"]);
            }
        }
    }
    // The report's phase rows are the plan's stations counted by year.
    for row in r["by_phase"].as_array().unwrap() {
        let year = row["year"].as_u64().unwrap();
        for (key, counts) in [
            ("stations_by_reason", &by_reason),
            ("stations_by_driver", &by_driver),
        ] {
            for (k, v) in row[key].as_object().unwrap() {
                assert_eq!(
                    counts.get(&(year, k.clone())),
                    v.as_u64().as_ref(),
                    "{year} {key} {k}"
                );
            }
        }
    }
    // No fixed split: the coverage targets of 2015 are built in 2015 (or
    // when R8 allows), the floor's co-locations in 2017.
    assert!(
        by_driver
            .get(&(2016, "lead_time".into()))
            .copied()
            .unwrap_or(0)
            > 0
    );
    assert!(
        by_reason
            .get(&(2017, "sharing".into()))
            .copied()
            .unwrap_or(0)
            > 0
    );
    assert_eq!(by_reason.get(&(2015, "sharing".into())), None);
    // Capacity stations come as traffic grows (389 MB a month per user in
    // 2015 to 1,775 in 2017), in the districts that carry it.
    assert!(
        capacity_by_year.windows(2).all(|w| w[0] <= w[1]),
        "{capacity_by_year:?}"
    );
    assert!(capacity_by_year[2] > 0, "{capacity_by_year:?}");
    let t = &r["traffic"];
    let busiest: Vec<&str> = t["busiest_districts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    let in_busiest: u64 = busiest
        .iter()
        .map(|d| capacity_by_district.get(*d).copied().unwrap_or(0))
        .sum();
    let all: u64 = capacity_by_year.iter().sum();
    assert!(
        2 * in_busiest >= all,
        "{capacity_by_district:?} vs busiest {busiest:?}"
    );
    assert_eq!(t["capacity_stations"].as_u64(), Some(all));
    // Served traffic per operator and year: at most the covered, growing.
    for rows in t["per_operator"].as_object().unwrap().values() {
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 3);
        for w in rows.windows(2) {
            assert!(w[1]["covered_mbps"].as_f64() > w[0]["covered_mbps"].as_f64());
        }
        for y in rows {
            assert!(y["served_mbps"].as_f64() <= y["covered_mbps"].as_f64());
        }
    }
    // Densification is visible: more 4G stations per km² after, densest in dense urban.
    let density = t["density"].as_array().unwrap();
    assert_eq!(density[0]["environment"], "dense_urban");
    let per: Vec<f64> = density
        .iter()
        .map(|d| d["per_km2_after"].as_f64().unwrap())
        .collect();
    assert!(per.windows(2).all(|w| w[0] >= w[1]), "{per:?}");
}

#[test]
fn embedded_run_answers_the_targets_question() {
    let out = tempfile::tempdir().unwrap();
    let o = siting()
        .args(["-q", "plan", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&out.path().join("report.json"));
    let plan = json(&out.path().join("plan.geojson"));
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chongqing");
    check_plan(&data, &plan, &r);
    assert_eq!(r["mode"], "targets");
    assert_eq!(r["metric_crs"], "EPSG:4545");
    assert_eq!(r["by_district"].as_object().unwrap().len(), 38);
    // T3 over the whole portfolio, with the floor the mode meets.
    assert!(r["sharing"]["rate_after"].as_f64().unwrap() > 0.55);
    let t: Vec<(String, Option<bool>)> = r["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap().to_string(), t["met"].as_bool()))
        .collect();
    assert_eq!(t[1], ("T2".to_string(), None));
    assert_eq!(t[2], ("T3".to_string(), Some(true)));
    // T1's figure is the plan's new sites, and the reason says why it differs.
    let t1 = &r["targets"][0];
    assert_eq!(t1["value"].as_f64(), r["new_sites"]["total"].as_f64());
    assert!(t1["reason"].as_str().unwrap().contains("outcome"));
    assert!(r["inputs"].as_array().unwrap().iter().all(|i| i["file"]
        .as_str()
        .unwrap()
        .starts_with("embedded:data/chongqing/")));
    traffic_follows_the_load(&plan, &r);
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    for needle in [
        "T1",
        "T3",
        "T4",
        "Tenancy ratio",
        "overlays",
        "co-locations",
        "渝中区",
        "酉阳土家族苗族自治县",
    ] {
        assert!(md.contains(needle), "report.md lacks {needle}");
    }
}

#[test]
fn synth_rebuilds_the_committed_layers_byte_for_byte() {
    let out = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chongqing");
    let o = siting()
        .arg("synth")
        .arg("--data")
        .arg(&data)
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "demand.geojson",
        "sites_existing.geojson",
        "candidates.geojson",
        "zones.geojson",
    ] {
        let a = std::fs::read(out.path().join(f)).unwrap();
        let b = std::fs::read(data.join(f)).unwrap();
        assert!(a == b, "{f} differs from the committed layer");
    }
}
/// The embedded layers as a planner would bring them: sites as Shapefiles
/// and the rest in a GeoPackage, all in CGCS2000 / 3° Gauss-Krüger CM 108°E
/// (EPSG:4545), written by GDAL's own ogr2ogr. The plan must be the one the
/// GeoJSON layers give.
#[test]
fn chongqing_from_shapefile_and_geopackage_in_gauss_kruger_gives_the_same_plan() {
    let dir = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chongqing");
    let run = |args: &[&str]| {
        let o = std::process::Command::new("ogr2ogr")
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let d = |n: &str| data.join(n).to_str().unwrap().to_string();
    let p = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    for (i, layer) in ["districts", "townships", "demand", "zones"]
        .iter()
        .enumerate()
    {
        let mut args = vec!["-f", "GPKG", "-t_srs", "EPSG:4545"];
        if i > 0 {
            args.push("-update");
        }
        let (out, src) = (p("chongqing_gk.gpkg"), d(&format!("{layer}.geojson")));
        args.extend([out.as_str(), src.as_str(), "-nln", layer]);
        run(&args);
    }
    // Shapefiles have no list type: the tenants list travels as text.
    run(&[
        "-f",
        "ESRI Shapefile",
        "-t_srs",
        "EPSG:4545",
        "-fieldTypeToString",
        "StringList",
        &p("sites_existing.shp"),
        &d("sites_existing.geojson"),
    ]);
    run(&[
        "-f",
        "ESRI Shapefile",
        "-t_srs",
        "EPSG:4545",
        &p("candidates.shp"),
        &d("candidates.geojson"),
    ]);
    let cfg = std::fs::read_to_string(data.join("plan.toml")).unwrap();
    let (start, end) = (cfg.find("[layers]").unwrap(), cfg.find("[area]").unwrap());
    let layers = r#"[layers]
districts = { path = "chongqing_gk.gpkg", layer = "districts" }
townships = { path = "chongqing_gk.gpkg", layer = "townships" }
demand = { path = "chongqing_gk.gpkg", layer = "demand" }
zones = { path = "chongqing_gk.gpkg", layer = "zones" }
sites_existing = { path = "sites_existing.shp", fields = { public_building = "public_bui", load_capacity_kg = "load_capac", footprint_m = "footprint_" } }
candidates = { path = "candidates.shp", fields = { public_building = "public_bui", load_capacity_kg = "load_capac", footprint_m = "footprint_" } }
"#;
    let cfg = format!("{}{layers}\n{}", &cfg[..start], &cfg[end..]).replace(
        "dem = \"dem_5arcmin.asc\"",
        &format!("dem = {:?}", d("dem_5arcmin.asc")),
    );
    std::fs::write(dir.path().join("plan.toml"), cfg).unwrap();
    let out = dir.path().join("out");
    let o = siting()
        .args(["-q", "plan", "--config"])
        .arg(dir.path().join("plan.toml"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let base = tempfile::tempdir().unwrap();
    assert!(siting()
        .args(["-q", "plan", "--out"])
        .arg(base.path())
        .output()
        .unwrap()
        .status
        .success());
    common::same_plan(
        &json(&out.join("plan.geojson")),
        &json(&base.path().join("plan.geojson")),
    );
}
