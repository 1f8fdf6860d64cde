//! plan.gpkg as a GIS user opens it (issues 10 and 11): GDAL's own
//! `ogrinfo` and `gdalinfo` as outside clients, on a plan of the small
//! fixture. Layers `sites`, `districts`, `zones`, `excluded`,
//! `search_rings`, all in the run's metric CRS, typed fields (booleans as
//! Integer(Boolean)), a QGIS `layer_styles` table naming every layer with
//! a QML style, and the coverage GeoTIFFs beside it.

mod common;

use common::{fixture, json, plan};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

const LAYERS: [&str; 5] = ["sites", "districts", "zones", "excluded", "search_rings"];

fn run(out: &Path, extra: &[&str]) {
    let mut args = vec!["-q"];
    args.extend_from_slice(extra);
    let o = plan(&fixture("small/plan.toml"), out, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn ogrinfo(args: &[&str], gpkg: &Path) -> String {
    let o = Command::new("ogrinfo")
        .args(["-ro"])
        .args(args)
        .arg(gpkg)
        .output()
        .expect("ogrinfo (gdal-bin) is installed by scripts/setup.sh");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Per layer of an `ogrinfo -so -al` listing: its lines.
fn layers(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for part in text.split("Layer name: ").skip(1) {
        let name = part.lines().next().unwrap_or("").trim().to_string();
        out.insert(name, part.to_string());
    }
    out
}

fn count(layer: &str) -> u64 {
    layer
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count:"))
        .unwrap_or_else(|| panic!("no feature count in {layer}"))
        .trim()
        .parse()
        .unwrap()
}

fn has_field(layer: &str, field: &str, ty: &str) -> bool {
    layer
        .lines()
        .any(|l| l.trim_start().starts_with(&format!("{field}: {ty} ")))
}

#[test]
fn plan_gpkg_holds_typed_layers_in_the_metric_crs() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), &[]);
    let gpkg = out.path().join("plan.gpkg");
    let text = ogrinfo(&["-so", "-al"], &gpkg);
    let l = layers(&text);
    let mut names: Vec<&str> = l.keys().map(String::as_str).collect();
    names.sort();
    let mut want: Vec<&str> = LAYERS.to_vec();
    want.push("layer_styles");
    want.sort();
    assert_eq!(names, want, "no demand points without --demand-points");

    let plan_sites = json(&out.path().join("plan.geojson"))["features"]
        .as_array()
        .unwrap()
        .len() as u64;
    let report = json(&out.path().join("report.json"));
    assert_eq!(count(&l["sites"]), plan_sites);
    assert_eq!(
        count(&l["excluded"]),
        report["excluded"].as_array().unwrap().len() as u64
    );
    assert!(count(&l["excluded"]) > 0, "the fixture excludes sites");
    assert_eq!(
        count(&l["search_rings"]),
        report["search_rings"].as_array().unwrap().len() as u64
    );
    assert_eq!(count(&l["districts"]), 2);
    assert!(count(&l["zones"]) > 0);

    // One CRS for every layer, the run's metric one (as the rasters).
    for name in LAYERS {
        assert!(
            l[name].contains("ID[\"EPSG\",4545]]"),
            "{name} not in EPSG:4545: {}",
            l[name]
        );
    }
    for (name, geom) in [
        ("sites", "Point"),
        ("excluded", "Point"),
        ("districts", "Multi Polygon"),
        ("zones", "Multi Polygon"),
        ("search_rings", "Polygon"),
    ] {
        assert!(
            l[name].contains(&format!("Geometry: {geom}\n")),
            "{name}: {}",
            l[name]
        );
    }

    let sites = &l["sites"];
    for (field, ty) in [
        ("site_id", "String"),
        ("action", "String"),
        ("tenants_after_count", "Integer64"),
        ("height_m", "Real"),
        ("phase", "Integer64"),
        ("cost_yuan", "Real"),
        ("shared", "Integer(Boolean)"),
        ("camouflage", "Integer(Boolean)"),
        ("planning_approval", "Integer(Boolean)"),
        ("CMCC_tenant_before", "Integer(Boolean)"),
        ("CUCC_station_added", "Integer(Boolean)"),
        ("CTCC_tenant_after", "Integer(Boolean)"),
        ("rule_R1", "Integer(Boolean)"),
    ] {
        assert!(
            has_field(sites, field, ty),
            "sites: {field}: {ty} in {sites}"
        );
    }
    for (layer, field, ty) in [
        ("districts", "adcode", "String"),
        ("districts", "name", "String"),
        ("districts", "main_urban", "Integer(Boolean)"),
        ("districts", "residents", "Real"),
        ("districts", "CMCC_share_after", "Real"),
        ("districts", "new_sites", "Integer64"),
        ("zones", "class", "String"),
        ("zones", "building_height_m", "Real"),
        ("excluded", "site_id", "String"),
        ("excluded", "kind", "String"),
        ("excluded", "rule", "String"),
        ("excluded", "reason", "String"),
        ("search_rings", "radius_m", "Real"),
        ("search_rings", "residents", "Real"),
        ("layer_styles", "f_table_name", "String"),
        ("layer_styles", "styleQML", "String"),
        ("layer_styles", "useAsDefault", "Integer(Boolean)"),
        ("layer_styles", "update_time", "DateTime"),
    ] {
        assert!(
            has_field(&l[layer], field, ty),
            "{layer}: {field}: {ty} in {}",
            l[layer]
        );
    }

    // The values: each excluded site carries the rule and reason of report.json.
    let all = ogrinfo(&["-al", "-q"], &gpkg);
    for e in report["excluded"].as_array().unwrap() {
        for key in ["site_id", "rule", "reason"] {
            let v = e[key].as_str().unwrap();
            assert!(
                all.contains(&format!("{key} (String) = {v}")),
                "excluded {key} = {v} missing"
            );
        }
    }
    // Booleans are stored as 0/1 and read back as such.
    assert!(all.contains("shared (Integer(Boolean)) = "), "{all}");
}

#[test]
fn layer_styles_names_every_layer_with_a_qml_default() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), &[]);
    let gpkg = out.path().join("plan.gpkg");
    let text = ogrinfo(
        &[
            "-q",
            "-sql",
            "SELECT f_table_name, f_geometry_column, styleName, useAsDefault, styleQML FROM layer_styles",
        ],
        &gpkg,
    );
    let features: Vec<&str> = text.split("OGRFeature(").skip(1).collect();
    assert_eq!(features.len(), LAYERS.len(), "{text}");
    for name in LAYERS {
        let f = features
            .iter()
            .find(|f| f.contains(&format!("f_table_name (String) = {name}\n")))
            .unwrap_or_else(|| panic!("no style for {name}: {text}"));
        assert!(f.contains("f_geometry_column (String) = geom"), "{f}");
        assert!(f.contains("useAsDefault (Integer(Boolean)) = 1"), "{f}");
        assert!(f.contains("<!DOCTYPE qgis"), "{name}: no QML: {f}");
        assert!(f.contains("<renderer-v2"), "{name}: no renderer: {f}");
    }
    let site = features
        .iter()
        .find(|f| f.contains("f_table_name (String) = sites\n"))
        .unwrap();
    for part in [
        "categorizedSymbol",
        "attr=\"action\"",
        "value=\"new_site\"",
        "value=\"co_location\"",
        "value=\"overlay\"",
        "tenants_after_count",
    ] {
        assert!(site.contains(part), "sites style lacks {part}");
    }
    let zones = features
        .iter()
        .find(|f| f.contains("f_table_name (String) = zones\n"))
        .unwrap();
    assert!(zones.contains("attr=\"class\""), "{zones}");
    // The geometry column the styles name is the layers' own.
    let info = ogrinfo(&["-so", "-al"], &gpkg);
    for (name, body) in layers(&info) {
        if name != "layer_styles" {
            assert!(body.contains("Geometry Column = geom"), "{name}: {body}");
        }
    }
}

#[test]
fn coverage_rasters_beside_it_open_in_gdalinfo_with_stats() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), &[]);
    for op in ["CMCC", "CUCC", "CTCC"] {
        let tif = out.path().join(format!("coverage_{op}.tif"));
        let o = Command::new("gdalinfo")
            .arg("-stats")
            .arg(&tif)
            .output()
            .expect("gdalinfo (gdal-bin) is installed by scripts/setup.sh");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8_lossy(&o.stdout);
        for part in [
            "Driver: GTiff",
            "ID[\"EPSG\",4545]]",
            "Color Table",
            "NoData Value=0",
        ] {
            assert!(text.contains(part), "{op}: {part} not in {text}");
        }
        // Some cell holds residents: classes 1–3 (covered before, newly, not).
        let max: f64 = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("STATISTICS_MAXIMUM="))
            .unwrap_or_else(|| panic!("no statistics in {text}"))
            .parse()
            .unwrap();
        assert!((1.0..=3.0).contains(&max), "{op}: max class {max}");
    }
    // gdalinfo -stats writes .aux.xml files beside them; nothing else changed.
}

#[test]
fn demand_points_are_opt_in() {
    let out = tempfile::tempdir().unwrap();
    run(out.path(), &[]);
    let without = std::fs::metadata(out.path().join("plan.gpkg"))
        .unwrap()
        .len();
    let out2 = tempfile::tempdir().unwrap();
    let o = common::siting()
        .args(["-q", "plan", "--demand-points", "--config"])
        .arg(fixture("small/plan.toml"))
        .arg("--out")
        .arg(out2.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let gpkg = out2.path().join("plan.gpkg");
    let l = layers(&ogrinfo(&["-so", "-al"], &gpkg));
    assert_eq!(
        count(&l["covered_demand"]) + count(&l["uncovered_demand"]),
        200,
        "every demand point of the fixture"
    );
    assert!(has_field(
        &l["covered_demand"],
        "CMCC_after",
        "Integer(Boolean)"
    ));
    assert!(has_field(&l["uncovered_demand"], "residents", "Real"));
    let styled = ogrinfo(
        &["-q", "-sql", "SELECT f_table_name FROM layer_styles"],
        &gpkg,
    );
    for name in ["covered_demand", "uncovered_demand"] {
        assert!(
            styled.contains(&format!("f_table_name (String) = {name}")),
            "{styled}"
        );
    }
    assert!(std::fs::metadata(&gpkg).unwrap().len() > without);
}

#[test]
fn plan_gpkg_is_byte_identical_across_runs_and_thread_counts() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    run(a.path(), &["--threads", "1"]);
    run(b.path(), &["--threads", "2"]);
    for f in ["plan.gpkg", "coverage_CMCC.tif"] {
        assert!(
            std::fs::read(a.path().join(f)).unwrap() == std::fs::read(b.path().join(f)).unwrap(),
            "{f} differs between runs"
        );
    }
}
