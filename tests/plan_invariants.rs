//! The plan's invariants, checked from the files the binary writes.

mod common;

use common::{fixture, json, plan};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn codes(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

fn inside(ring: &[Value], lon: f64, lat: f64) -> bool {
    let mut c = false;
    for w in ring.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let (ax, ay, bx, by) = (
            a[0].as_f64().unwrap(),
            a[1].as_f64().unwrap(),
            b[0].as_f64().unwrap(),
            b[1].as_f64().unwrap(),
        );
        if (ay > lat) != (by > lat) && lon < ax + (lat - ay) * (bx - ax) / (by - ay) {
            c = !c;
        }
    }
    c
}

fn run_small() -> (tempfile::TempDir, Value, Value) {
    let out = tempfile::tempdir().unwrap();
    let o = plan(&fixture("small/plan.toml"), out.path(), &["--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = json(&out.path().join("plan.geojson"));
    let r = json(&out.path().join("report.json"));
    (out, p, r)
}

#[test]
fn counts_sharing_capacity_and_districts_hold() {
    let (out, plan, report) = run_small();
    assert!(out.path().join("report.md").exists());
    let features = plan["features"].as_array().unwrap();
    assert!(!features.is_empty());

    // Counts per operator equal the config's quotas.
    let mut per_op: BTreeMap<String, u64> = BTreeMap::new();
    let mut all = 0u64;
    let mut shared = 0u64;
    let mut ids = BTreeSet::new();
    let existing = json(&fixture("small/sites_existing.geojson"));
    let candidates = json(&fixture("small/candidates.geojson"));
    let input: BTreeMap<String, Value> = existing["features"]
        .as_array()
        .unwrap()
        .iter()
        .chain(candidates["features"].as_array().unwrap())
        .map(|f| {
            (
                f["properties"]["site_id"].as_str().unwrap().to_string(),
                f["properties"].clone(),
            )
        })
        .collect();
    let districts = json(&fixture("small/districts.geojson"));

    for f in features {
        let p = &f["properties"];
        let id = p["site_id"].as_str().unwrap().to_string();
        assert!(ids.insert(id.clone()), "duplicate {id}");
        let before = codes(&p["tenants_before"]);
        let added = codes(&p["tenants_added"]);
        let after = codes(&p["tenants_after"]);
        assert!(before.is_disjoint(&added));
        assert_eq!(after, before.union(&added).cloned().collect());
        assert_eq!(p["shared"].as_bool().unwrap(), after.len() >= 2);
        for op in &added {
            *per_op.entry(op.clone()).or_default() += 1;
        }
        all += added.len() as u64;
        if after.len() >= 2 {
            shared += added.len() as u64;
        }
        // No site over capacity (layer capacity, and roof load at 300 kg a tenant).
        let inp = &input[&id];
        let mut cap = inp["capacity"].as_u64().unwrap_or(3);
        if let Some(load) = inp["load_capacity_kg"].as_f64() {
            cap = cap.min((load / 300.0).floor() as u64).max(
                codes(&inp.get("tenants").cloned().unwrap_or(Value::Array(vec![]))).len() as u64,
            );
        }
        assert!(
            after.len() as u64 <= cap,
            "{id}: {} tenants, capacity {cap}",
            after.len()
        );
        // Tenants before are the layer's.
        let layer_tenants = inp.get("tenants").map(codes).unwrap_or_default();
        assert_eq!(before, layer_tenants, "{id}");
        assert_eq!(
            p["origin"],
            if layer_tenants.is_empty() {
                "new"
            } else {
                "existing"
            }
        );
        // Every site inside its district.
        let (lon, lat) = (
            f["geometry"]["coordinates"][0].as_f64().unwrap(),
            f["geometry"]["coordinates"][1].as_f64().unwrap(),
        );
        let d = districts["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["properties"]["adcode"] == p["adcode"])
            .expect("district of the site");
        assert!(
            inside(
                d["geometry"]["coordinates"][0].as_array().unwrap(),
                lon,
                lat
            ),
            "{id} outside {}",
            p["adcode"]
        );
        assert_eq!(d["properties"]["name"], p["district"]);
        assert!([2015, 2016, 2017].contains(&p["phase"].as_u64().unwrap()));
        assert!(p["rules"].as_array().unwrap().iter().any(|r| r == "R9"));
    }
    assert_eq!(per_op.get("CMCC"), Some(&6));
    assert_eq!(per_op.get("CUCC"), Some(&4));
    assert_eq!(per_op.get("CTCC"), Some(&4));
    assert_eq!(report["new_base_stations"]["total"], all);
    // Sharing rate recomputed from tenants_after.
    let rate = shared as f64 / all as f64;
    assert!((report["sharing_rate"].as_f64().unwrap() - rate).abs() < 1e-12);
    assert!(report["sharing_rate"].as_f64().unwrap() > 0.55);
}

#[test]
fn rules_keep_out_and_flag() {
    let (_out, plan, report) = run_small();
    let features = plan["features"].as_array().unwrap();
    let ids: BTreeSet<&str> = features
        .iter()
        .map(|f| f["properties"]["site_id"].as_str().unwrap())
        .collect();
    // R02's roof holds no tenant (R5); S01 stands in a school zone below its compliance distance (R6).
    assert!(!ids.contains("R02") && !ids.contains("S01"));
    let excluded: BTreeMap<&str, u64> = report["rule_counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["candidates_excluded"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(excluded["R5"], 1);
    assert!(excluded["R6"] >= 1);
    for f in features {
        let p = &f["properties"];
        let in_liangjiang = {
            let c = &f["geometry"]["coordinates"];
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            (106.40..106.45).contains(&lon) && (29.55..29.60).contains(&lat)
        };
        assert_eq!(
            p["eia_authority"] == "两江新区环境保护分局",
            in_liangjiang,
            "{p}"
        );
        assert_eq!(
            p["planning_approval"],
            p["origin"] == "new" && p["kind"] == "ground_tower"
        );
    }
}

#[test]
fn report_has_the_contract_fields() {
    let (_out, _plan, r) = run_small();
    for key in [
        "new_base_stations",
        "sharing_rate",
        "tenancy_ratio",
        "sites_new",
        "sites_existing_shared",
        "cost_yuan_total",
        "coverage",
        "targets",
        "by_district",
        "by_phase",
        "rule_counts",
        "inputs",
        "config",
        "seed",
        "engine",
        "upper_bound",
        "optimality_gap",
    ] {
        assert!(r.get(key).is_some(), "report.json lacks {key}");
    }
    let targets: Vec<&str> = r["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["T1", "T2", "T3", "T4"]);
    assert_eq!(r["by_district"].as_array().unwrap().len(), 2);
    assert_eq!(r["inputs"].as_array().unwrap().len(), 7);
    assert!(r["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["sha256"].as_str().unwrap().len() == 64));
    let gap = r["optimality_gap"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&gap));
}

#[test]
fn same_output_at_one_and_two_threads() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert!(plan(
        &fixture("small/plan.toml"),
        a.path(),
        &["--threads", "1", "-q"]
    )
    .status
    .success());
    assert!(plan(
        &fixture("small/plan.toml"),
        b.path(),
        &["--threads", "2", "-q"]
    )
    .status
    .success());
    for f in ["plan.geojson", "report.json", "report.md", "plan.gpkg"] {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f} differs"
        );
    }
}
