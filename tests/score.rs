//! `siting score`: a written plan read back and scored on a demand layer
//! gives the report's coverage exactly on the plan's own demand, follows a
//! changed demand, and holds when the grid is refined.

mod common;

use common::{fixture, json, plan, siting, small_copy};
use serde_json::Value;
use std::path::Path;

fn score(args: &[&str], plan_dir: &Path) -> Value {
    let o = siting()
        .args(["-q", "score", "--json", "--plan"])
        .arg(plan_dir)
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn score_on_the_plans_own_demand_is_the_report_exactly() {
    let out = tempfile::tempdir().unwrap();
    let cfg = fixture("small/plan.toml");
    assert!(plan(&cfg, out.path(), &["-q"]).status.success());
    let report = json(&out.path().join("report.json"));
    let s = score(&["--config", cfg.to_str().unwrap()], out.path());
    assert_eq!(s["coverage"], report["coverage"]);
    for op in ["CMCC", "CUCC", "CTCC"] {
        assert_eq!(
            s["main_urban_share"][op],
            report["coverage"][op]["main_urban_share_after"]
        );
    }
    let missed: Vec<&Value> = s["township_centres_uncovered"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(
        missed.len(),
        report["township_centres_uncovered"]
            .as_array()
            .unwrap()
            .len()
    );
    // The plan.geojson path works as well as its folder.
    let s2 = score(
        &["--config", cfg.to_str().unwrap()],
        &out.path().join("plan.geojson"),
    );
    assert_eq!(s2["coverage"], s["coverage"]);
}

#[test]
fn score_reads_a_demand_layer_in_another_format_and_crs() {
    let dir = small_copy();
    let out = dir.path().join("out");
    let cfg = dir.path().join("plan.toml");
    assert!(plan(&cfg, &out, &["-q"]).status.success());
    let base = score(&["--config", cfg.to_str().unwrap()], &out);
    // The same demand as a GeoPackage in EPSG:4545, written by GDAL's ogr2ogr.
    let gpkg = dir.path().join("demand_gk.gpkg");
    let o = std::process::Command::new("ogr2ogr")
        .args(["-f", "GPKG", "-t_srs", "EPSG:4545"])
        .arg(&gpkg)
        .arg(dir.path().join("demand.geojson"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = score(
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--demand",
            gpkg.to_str().unwrap(),
        ],
        &out,
    );
    assert!(s["demand"].as_str().unwrap().ends_with("demand_gk.gpkg"));
    for op in ["CMCC", "CUCC", "CTCC"] {
        let (a, b) = (&s["coverage"][op], &base["coverage"][op]);
        for key in [
            "residents",
            "covered_before",
            "covered_after",
            "main_urban_share_after",
        ] {
            let (x, y) = (a[key].as_f64().unwrap(), b[key].as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                "{op} {key}: {x} vs {y}"
            );
        }
    }
    // Half the residents everywhere: half the residents covered, the same shares
    // where the radio environment stays the same (densities fall, so some
    // points become suburban or rural and reach farther or less far).
    let text = std::fs::read_to_string(dir.path().join("demand.geojson")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    for f in v["features"].as_array_mut().unwrap() {
        let w = f["properties"]["weight"].as_f64().unwrap();
        f["properties"]["weight"] = Value::from(w / 2.0);
    }
    let half = dir.path().join("half.geojson");
    std::fs::write(&half, v.to_string()).unwrap();
    let s = score(
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--demand",
            half.to_str().unwrap(),
        ],
        &out,
    );
    for op in ["CMCC", "CUCC", "CTCC"] {
        let (a, b) = (&s["coverage"][op], &base["coverage"][op]);
        let r = a["residents"].as_f64().unwrap() / b["residents"].as_f64().unwrap();
        assert!((r - 0.5).abs() < 1e-9, "{op}: {r}");
    }
}

#[test]
fn score_refuses_a_plan_the_layers_do_not_hold() {
    let dir = small_copy();
    let out = dir.path().join("out");
    let cfg = dir.path().join("plan.toml");
    assert!(plan(&cfg, &out, &["-q"]).status.success());
    let path = out.join("plan.geojson");
    let text = std::fs::read_to_string(&path).unwrap();
    let first = json(&path)["features"][0]["properties"]["site_id"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(
        &path,
        text.replacen(
            &format!("\"site_id\":\"{first}\""),
            "\"site_id\":\"NOWHERE\"",
            1,
        ),
    )
    .unwrap();
    let o = siting()
        .args(["-q", "score", "--plan"])
        .arg(&out)
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("plan.geojson")
            && stderr.contains("site NOWHERE is in none of the config's site layers"),
        "{stderr}"
    );
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    let o = siting()
        .args(["-q", "score", "--plan"])
        .arg(&path)
        .arg("--config")
        .arg(&cfg)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("plan.geojson: not JSON"), "{stderr}");
}

/// The embedded plan on its own demand (250 m cells where suburban or
/// denser, 1 km elsewhere), and on the same population model at half the
/// cell size (125 m / 500 m): the lowest operator's main-urban share moves
/// by at most 2 percentage points.
#[test]
fn embedded_plan_holds_on_a_grid_twice_as_fine() {
    let out = tempfile::tempdir().unwrap();
    let o = siting()
        .args(["-q", "plan", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let report = json(&out.path().join("report.json"));
    let own = score(&[], out.path());
    assert_eq!(own["coverage"], report["coverage"]);

    let fine = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/chongqing");
    let o = siting()
        .arg("synth")
        .arg("--data")
        .arg(&data)
        .arg("--out")
        .arg(fine.path())
        .args(["--cell-m", "500", "--fine-cell-m", "125"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let demand = fine.path().join("demand.geojson");
    let s = score(&["--demand", demand.to_str().unwrap()], out.path());
    let lowest = |v: &Value| {
        ["CMCC", "CUCC", "CTCC"]
            .iter()
            .map(|op| {
                v["coverage"][op]["main_urban_share_after"]
                    .as_f64()
                    .unwrap()
            })
            .fold(1.0, f64::min)
    };
    let (coarse, finer) = (lowest(&own), lowest(&s));
    eprintln!(
        "lowest operator's main-urban share: {:.2}% on the plan's grid, {:.2}% at half the cell size",
        coarse * 100.0,
        finer * 100.0
    );
    assert!(
        (coarse - finer).abs() <= 0.02,
        "{coarse} on the plan's grid, {finer} at half the cell size"
    );
    assert!(s["demand_points"].as_u64().unwrap() > 3 * own["demand_points"].as_u64().unwrap());
}
