//! GIS formats and coordinate systems: layers in Shapefile (GBK), GeoPackage,
//! FlatGeobuf, KML and CSV, in CGCS2000 Gauss-Krüger and GCJ-02, read to the
//! same model and plan; `siting convert`, `siting layers`; written files
//! opened by GDAL's own `ogrinfo` as an outside client.

mod common;

use common::{fixture, json, plan, same_plan, siting, small_copy};
use serde_json::Value;
use siting_layers::{LayerReader, Source};
use std::path::{Path, PathBuf};
use std::process::Command;

fn ogr2ogr(args: &[&str]) {
    let o = Command::new("ogr2ogr")
        .args(args)
        .output()
        .expect("ogr2ogr (gdal-bin) is installed by scripts/setup.sh");
    assert!(
        o.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn convert(args: &[&str]) {
    let o = siting().arg("convert").args(args).output().unwrap();
    assert!(
        o.status.success(),
        "siting convert {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn rings(v: &Value) -> Vec<Vec<[f64; 2]>> {
    let mut out = Vec::new();
    for f in v["features"].as_array().unwrap() {
        for poly in f["geometry"]["coordinates"].as_array().unwrap() {
            for ring in poly.as_array().unwrap() {
                out.push(
                    ring.as_array()
                        .unwrap()
                        .iter()
                        .map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()])
                        .collect(),
                );
            }
        }
    }
    out
}

/// Largest distance, metres, from a vertex of `a` to the nearest vertex of
/// the matching ring of `b` (rings may run in opposite directions).
fn max_gap_m(a: &Value, b: &Value) -> f64 {
    let (ra, rb) = (rings(a), rings(b));
    assert_eq!(ra.len(), rb.len());
    let mut worst: f64 = 0.0;
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x.len(), y.len());
        for p in x {
            let d = y
                .iter()
                .map(|q| ((p[0] - q[0]) * 96_800.0).hypot((p[1] - q[1]) * 111_000.0))
                .fold(f64::INFINITY, f64::min);
            worst = worst.max(d);
        }
    }
    worst
}

#[test]
fn gcj02_layer_converts_to_its_wgs84_counterpart_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let raw = fixture("gcj02/yuzhong_yubei_gcj02.geojson");
    let wgs = fixture("gcj02/yuzhong_yubei_wgs84.geojson");
    let out = dir.path().join("wgs.geojson");
    convert(&[
        "--from",
        "gcj02",
        "--to",
        "wgs84",
        raw.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    let got = json(&out);
    assert_eq!(got["features"][0]["properties"]["name"], "渝中区");
    // The counterpart was rounded to 6 decimals (±0.06 m): within a decimetre.
    let gap = max_gap_m(&got, &json(&wgs));
    assert!(gap < 0.1, "GCJ-02 → WGS84 misses by {gap} m");
    let back = dir.path().join("gcj.geojson");
    convert(&[
        "--from",
        "wgs84",
        "--to",
        "gcj02",
        out.to_str().unwrap(),
        back.to_str().unwrap(),
    ]);
    let gap = max_gap_m(&json(&back), &json(&raw));
    assert!(gap < 0.01, "round trip misses by {gap} m");
}

#[test]
fn bd09_round_trip_is_exact_to_a_millimetre() {
    let dir = tempfile::tempdir().unwrap();
    let wgs = fixture("gcj02/yuzhong_yubei_wgs84.geojson");
    let bd = dir.path().join("bd.gpkg");
    let back = dir.path().join("back.geojson");
    convert(&[
        "--from",
        "wgs84",
        "--to",
        "bd09",
        wgs.to_str().unwrap(),
        bd.to_str().unwrap(),
    ]);
    convert(&[
        "--from",
        "bd09",
        "--to",
        "wgs84",
        bd.to_str().unwrap(),
        back.to_str().unwrap(),
    ]);
    let gap = max_gap_m(&json(&back), &json(&wgs));
    assert!(gap < 0.001, "{gap} m");
}

#[test]
fn gbk_shapefile_without_cpg_reads_with_an_encoding_override() {
    let dir = tempfile::tempdir().unwrap();
    let shp = dir.path().join("towns.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-lco",
        "ENCODING=GBK",
        shp.to_str().unwrap(),
        fixture("small/townships.geojson").to_str().unwrap(),
    ]);
    std::fs::remove_file(dir.path().join("towns.cpg")).unwrap();
    let read = |enc: Option<&str>| {
        siting_gdal::GdalReader {
            encoding: enc.map(String::from),
            ..Default::default()
        }
        .read(&Source::File(shp.clone()))
    };
    let layer = read(Some("GBK")).unwrap();
    let names: Vec<&str> = layer
        .features
        .iter()
        .map(|f| f.properties["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["一街道", "二镇", "三镇", "四乡"]);
    // Without the override GDAL cannot know the bytes are GBK: a clear error, not mojibake.
    let e = read(None).unwrap_err().to_string();
    assert!(
        e.contains("towns.shp")
            && e.contains("feature #0")
            && e.contains("\"name\"")
            && e.contains("encoding"),
        "{e}"
    );
    let e = read(Some("UTF-8")).unwrap_err().to_string();
    assert!(e.contains("cannot be decoded with UTF-8"), "{e}");
}

/// Writes the small fixture's layers in five formats and two coordinate
/// systems with `ogr2ogr`, and a config that reads them.
fn small_in_other_formats(dir: &Path) -> PathBuf {
    let src = |n: &str| {
        fixture(&format!("small/{n}.geojson"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let p = |n: &str| dir.join(n).to_str().unwrap().to_string();
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-t_srs",
        "EPSG:4545",
        &p("base.gpkg"),
        &src("districts"),
        "-nln",
        "districts",
    ]);
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-update",
        "-t_srs",
        "EPSG:4545",
        &p("base.gpkg"),
        &src("sites_existing"),
        "-nln",
        "sites",
    ]);
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-t_srs",
        "EPSG:4545",
        &p("candidates.shp"),
        &src("candidates"),
    ]);
    ogr2ogr(&["-f", "FlatGeobuf", &p("demand.fgb"), &src("demand")]);
    ogr2ogr(&["-f", "KML", &p("zones.kml"), &src("zones")]);
    ogr2ogr(&[
        "-f",
        "CSV",
        "-lco",
        "GEOMETRY=AS_XY",
        &p("townships.csv"),
        &src("townships"),
    ]);
    let cfg = std::fs::read_to_string(fixture("small/plan.toml")).unwrap();
    let layers = r#"[layers]
districts = { path = "base.gpkg", layer = "districts" }
townships = { path = "townships.csv", crs = "EPSG:4326", x_field = "X", y_field = "Y", fields = { county_adcode = "county_adcode" } }
demand = "demand.fgb"
sites_existing = { path = "base.gpkg", layer = "sites" }
candidates = { path = "candidates.shp", fields = { public_building = "public_bui", load_capacity_kg = "load_capac", footprint_m = "footprint_" } }
zones = { path = "zones.kml", fields = { name = "Name" } }
"#;
    let start = cfg.find("[layers]").unwrap();
    let end = cfg.find("[area]").unwrap();
    let cfg = format!("{}{}\n{}", &cfg[..start], layers, &cfg[end..]);
    let path = dir.join("plan.toml");
    std::fs::write(&path, cfg).unwrap();
    path
}

#[test]
fn five_formats_in_two_crs_give_the_geojson_plan() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = small_in_other_formats(dir.path());
    let out = dir.path().join("out");
    let o = plan(&cfg, &out, &["-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let base = tempfile::tempdir().unwrap();
    assert!(plan(&fixture("small/plan.toml"), base.path(), &["-q"])
        .status
        .success());
    same_plan(
        &json(&out.join("plan.geojson")),
        &json(&base.path().join("plan.geojson")),
    );
    // `siting layers` names each driver and CRS.
    let o = siting()
        .args(["layers", "--json"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let info: Value = serde_json::from_slice(&o.stdout).unwrap();
    let drivers: Vec<(&str, &str)> = info
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["driver"].as_str().unwrap(), l["crs"].as_str().unwrap()))
        .collect();
    assert_eq!(
        drivers,
        [
            ("GPKG", "EPSG:4545"),
            ("CSV", "EPSG:4326"),
            ("FlatGeobuf", "EPSG:4326"),
            ("GPKG", "EPSG:4545"),
            ("ESRI Shapefile", "EPSG:4545"),
            ("KML", "EPSG:4326"),
        ]
    );
    assert_eq!(info[2]["features"], 200);

    // A Shapefile's fingerprint covers the files GDAL reads beside it: a
    // changed .cpg changes it.
    let report = json(&out.join("report.json"));
    let input = |r: &Value| {
        r["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["layer"] == "candidates")
            .unwrap()
            .clone()
    };
    let first = input(&report);
    let files: Vec<&str> = first["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(files[0], "candidates.shp");
    for f in ["candidates.shx", "candidates.dbf", "candidates.prj"] {
        assert!(files.contains(&f), "{files:?}");
    }
    let cpg = dir.path().join("candidates.cpg");
    let enc = if cpg.exists() {
        std::fs::read_to_string(&cpg).unwrap()
    } else {
        String::new()
    };
    std::fs::write(
        &cpg,
        if enc.trim() == "UTF8" {
            "UTF-8"
        } else {
            "UTF8"
        },
    )
    .unwrap();
    let again = dir.path().join("again");
    assert!(plan(&cfg, &again, &["-q"]).status.success());
    let second = input(&json(&again.join("report.json")));
    assert_ne!(first["sha256"], second["sha256"]);
    assert!(second["files"].to_string().contains("candidates.cpg"));
}

#[test]
fn csv_with_swapped_columns_is_named_as_such() {
    let dir = small_copy();
    ogr2ogr(&[
        "-f",
        "CSV",
        "-lco",
        "GEOMETRY=AS_XY",
        dir.path().join("t.csv").to_str().unwrap(),
        fixture("small/townships.geojson").to_str().unwrap(),
    ]);
    let cfg = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap().replace(
        "townships = \"townships.geojson\"",
        "townships = { path = \"t.csv\", crs = \"EPSG:4326\", x_field = \"Y\", y_field = \"X\" }",
    );
    std::fs::write(dir.path().join("plan.toml"), cfg).unwrap();
    let o = plan(
        &dir.path().join("plan.toml"),
        &dir.path().join("out"),
        &["-q"],
    );
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("t.csv") && e.contains("swapped"), "{e}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn layer_without_crs_and_unknown_crs_are_errors() {
    let dir = small_copy();
    ogr2ogr(&[
        "-f",
        "CSV",
        "-lco",
        "GEOMETRY=AS_XY",
        dir.path().join("t.csv").to_str().unwrap(),
        fixture("small/townships.geojson").to_str().unwrap(),
    ]);
    let base = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
    let with = |entry: &str| {
        base.replace(
            "townships = \"townships.geojson\"",
            &format!("townships = {entry}"),
        )
    };
    std::fs::write(
        dir.path().join("plan.toml"),
        with("{ path = \"t.csv\", x_field = \"X\", y_field = \"Y\" }"),
    )
    .unwrap();
    let o = plan(
        &dir.path().join("plan.toml"),
        &dir.path().join("out"),
        &["-q"],
    );
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.code() == Some(1)
            && e.contains("t.csv")
            && e.contains("declares no coordinate system"),
        "{e}"
    );
    std::fs::write(
        dir.path().join("plan.toml"),
        with("{ path = \"t.csv\", crs = \"EPSG:999999\", x_field = \"X\", y_field = \"Y\" }"),
    )
    .unwrap();
    let o = plan(
        &dir.path().join("plan.toml"),
        &dir.path().join("out"),
        &["-q"],
    );
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.code() == Some(1) && e.contains("unknown coordinate system \"EPSG:999999\""),
        "{e}"
    );
}

#[test]
fn truncated_geopackage_is_an_error_naming_the_file() {
    let dir = small_copy();
    let gpkg = dir.path().join("z.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        gpkg.to_str().unwrap(),
        fixture("small/zones.geojson").to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&gpkg).unwrap();
    std::fs::write(&gpkg, &bytes[..bytes.len() / 3]).unwrap();
    let cfg = std::fs::read_to_string(dir.path().join("plan.toml"))
        .unwrap()
        .replace("zones = \"zones.geojson\"", "zones = \"z.gpkg\"");
    std::fs::write(dir.path().join("plan.toml"), cfg).unwrap();
    let o = plan(
        &dir.path().join("plan.toml"),
        &dir.path().join("out"),
        &["-q"],
    );
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.code() == Some(1) && e.contains("z.gpkg") && !e.contains("panicked"),
        "{e}"
    );
}

#[test]
fn plan_gpkg_with_demand_points_opens_in_ogrinfo() {
    let out = tempfile::tempdir().unwrap();
    // The demand points are opt-in (the coverage GeoTIFFs hold coverage).
    let o = siting()
        .args(["-q", "plan", "--demand-points", "--config"])
        .arg(fixture("small/plan.toml"))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let gpkg = out.path().join("plan.gpkg");
    let o = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(&gpkg)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    let count = |layer: &str| -> u64 {
        let at = text
            .find(&format!("Layer name: {layer}"))
            .unwrap_or_else(|| panic!("no layer {layer} in {text}"));
        let rest = &text[at..];
        let line = rest
            .lines()
            .find(|l| l.starts_with("Feature Count:"))
            .unwrap();
        line.trim_start_matches("Feature Count:")
            .trim()
            .parse()
            .unwrap()
    };
    let sites = json(&out.path().join("plan.geojson"))["features"]
        .as_array()
        .unwrap()
        .len() as u64;
    assert_eq!(count("sites"), sites);
    assert_eq!(count("covered_demand") + count("uncovered_demand"), 200);
    // The run's metric CRS, as the coverage GeoTIFFs.
    assert!(text.contains("ID[\"EPSG\",4545]]"), "{text}");
    assert!(
        text.contains("tenants_added: String")
            && text.contains("CMCC_after: Integer(Boolean)")
            && text.contains("CUCC_station_added: Integer(Boolean)")
            && text.contains("camouflage: Integer(Boolean)")
            && text.contains("rule_R1: Integer(Boolean)"),
        "{text}"
    );
}
