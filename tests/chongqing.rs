//! The main job on the embedded Chongqing data, and the data set's reproducibility.

mod common;

use common::{json, siting};
use std::path::Path;

#[test]
fn embedded_run_meets_t1_and_t3_and_reports_every_district() {
    let out = tempfile::tempdir().unwrap();
    let o = siting()
        .args(["-q", "plan", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&out.path().join("report.json"));
    assert_eq!(r["new_base_stations"]["total"], 14500);
    assert_eq!(r["new_base_stations"]["CMCC"], 7250);
    assert_eq!(r["by_district"].as_array().unwrap().len(), 38);
    assert!(r["sharing_rate"].as_f64().unwrap() > 0.55);
    assert_eq!(r["metric_crs"], "EPSG:4545");
    let t: Vec<(String, bool)> = r["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["met"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(t[0], ("T1".to_string(), true));
    assert_eq!(t[2], ("T3".to_string(), true));
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
        "渝中区",
        "酉阳土家族苗族自治县",
    ] {
        assert!(md.contains(needle), "report.md lacks {needle}");
    }
    let plan = json(&out.path().join("plan.geojson"));
    let stations: usize = plan["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["tenants_added"].as_array().unwrap().len())
        .sum();
    assert_eq!(stations, 14500);
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
