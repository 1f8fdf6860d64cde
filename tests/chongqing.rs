//! The main job on the embedded Chongqing data, and the data set's reproducibility.

mod common;

use common::{check_plan, json, siting};
use std::path::Path;

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
