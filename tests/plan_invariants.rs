//! The plan's invariants, recomputed from the files the binary writes and
//! the input layers alone: new sites by kind, the portfolio's sharing before
//! and after, the overlay / co-location / new-site split, capacities, and
//! every station covering someone or carrying the reason the mode gave it.

mod common;

use common::{check_plan, fixture, json, plan, small_copy};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn run(config: &Path) -> (tempfile::TempDir, Value, Value) {
    let out = tempfile::tempdir().unwrap();
    let o = plan(config, out.path(), &["--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = json(&out.path().join("plan.geojson"));
    let r = json(&out.path().join("report.json"));
    (out, p, r)
}

#[test]
fn every_mode_keeps_the_invariants() {
    for (mode, extra) in [
        ("targets", ""),
        ("budget", "budget_yuan = 2500000.0\nsharing_floor = true\n"),
        ("sites", "new_sites = 5\n"),
    ] {
        let dir = small_copy();
        let cfg = std::fs::read_to_string(dir.path().join("plan.toml"))
            .unwrap()
            .replace("mode = \"targets\"", &format!("mode = \"{mode}\"\n{extra}"));
        std::fs::write(dir.path().join("plan.toml"), cfg).unwrap();
        let (_out, plan, report) = run(&dir.path().join("plan.toml"));
        assert_eq!(report["mode"], mode);
        check_plan(dir.path(), &plan, &report);
        match mode {
            "targets" => {
                // The sharing floor holds over the whole portfolio.
                assert!(report["sharing"]["rate_after"].as_f64().unwrap() > 0.55);
            }
            "budget" => {
                let total: f64 = plan["features"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["properties"]["cost_yuan"].as_f64().unwrap())
                    .sum();
                assert!(total <= 2_500_000.0, "{total}");
            }
            _ => assert_eq!(report["new_sites"]["total"], 5),
        }
    }
}

#[test]
fn rules_keep_out_and_flag() {
    let (_out, plan, report) = run(&fixture("small/plan.toml"));
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
    let (_out, _plan, r) = run(&fixture("small/plan.toml"));
    for key in [
        "new_sites",
        "new_4g_stations",
        "sharing",
        "sharing_rate",
        "investment_yuan",
        "lte_stations_total",
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
        "bound_method",
    ] {
        assert!(r.get(key).is_some(), "report.json lacks {key}");
    }
    for key in [
        "definition",
        "rate_before",
        "rate_after",
        "new_sites_shared_share",
        "tenancy_ratio_before",
        "tenancy_ratio_after",
        "sites_before",
        "sites_after",
    ] {
        assert!(r["sharing"].get(key).is_some(), "sharing lacks {key}");
    }
    for key in ["infrastructure", "equipment", "total"] {
        assert!(
            r["investment_yuan"].get(key).is_some(),
            "investment_yuan lacks {key}"
        );
    }
    for op in ["CMCC", "CUCC", "CTCC"] {
        for key in [
            "covered_before",
            "covered_after",
            "share_after",
            "main_urban_share_after",
        ] {
            assert!(
                r["coverage"][op].get(key).is_some(),
                "coverage.{op} lacks {key}"
            );
        }
    }
    let targets: Vec<&str> = r["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["T1", "T2", "T3", "T4", "T4.lte"]);
    assert_eq!(r["by_district"].as_object().unwrap().len(), 2);
    assert!(r["by_district"]["500901"]["name"] == "甲区");
    assert_eq!(r["inputs"].as_array().unwrap().len(), 7);
    assert!(r["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["sha256"].as_str().unwrap().len() == 64));
    // The gap is a share, or null where the plan misses a requirement the
    // data allows or a served-traffic share (the cost bound holds for plans
    // meeting them all).
    match r["optimality_gap"].as_f64() {
        Some(gap) => assert!((0.0..=1.0).contains(&gap)),
        None => {
            let short_requirement =
                r["requirements"].as_array().unwrap().iter().any(|q| {
                    q["covered_after"].as_f64().unwrap() < q["achievable"].as_f64().unwrap()
                });
            let short_share = r["traffic"]["per_operator"].as_object().is_some_and(|ops| {
                ops.values()
                    .flat_map(|years| years.as_array().unwrap())
                    .any(|y| y["met"] == false)
            });
            assert!(short_requirement || short_share);
        }
    }
    assert!(!r["bound_method"].as_str().unwrap().is_empty());
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
    for f in [
        "plan.geojson",
        "report.json",
        "report.md",
        "report.html",
        "map.svg",
        "map.png",
        "plan.gpkg",
        "coverage_CMCC.tif",
        "coverage_CTCC.tif",
    ] {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f} differs"
        );
    }
}
