//! `siting diff`: a plan against itself, two budgets against each other,
//! and bad input, through the real binary.

mod common;

use common::{fixture, json, plan, siting, small_copy};
use serde_json::Value;
use std::path::Path;

/// Plans the small fixture in mode `budget` with `budget_yuan` into `out`.
fn budget_plan(budget_yuan: f64, out: &Path) {
    let dir = small_copy();
    let cfg = std::fs::read_to_string(dir.path().join("plan.toml"))
        .unwrap()
        .replace(
            "mode = \"targets\"",
            &format!("mode = \"budget\"\nbudget_yuan = {budget_yuan:.1}"),
        );
    std::fs::write(dir.path().join("plan.toml"), cfg).unwrap();
    let o = plan(&dir.path().join("plan.toml"), out, &["--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn diff(args: &[&Path], json_out: bool) -> std::process::Output {
    let mut c = siting();
    c.arg("diff").args(args);
    if json_out {
        c.arg("--json");
    }
    c.output().expect("run siting diff")
}

#[test]
fn a_plan_against_itself_has_no_change() {
    let out = tempfile::tempdir().unwrap();
    let o = plan(&fixture("small/plan.toml"), out.path(), &["--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let geojson = out.path().join("plan.geojson");
    // A folder against its own plan.geojson.
    let o = diff(&[out.path(), &geojson], false);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("No change"), "{text}");
    assert!(!text.contains("\n* "), "a figure marked changed:\n{text}");
    let o = diff(&[out.path(), out.path()], true);
    assert!(o.status.success());
    let d: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["format"], "siting-diff/1");
    assert_eq!(d["same"], true);
    let n = json(&geojson)["features"].as_array().unwrap().len() as u64;
    assert_eq!(d["sites"]["unchanged"], n);
    for k in ["added", "removed", "changed"] {
        assert_eq!(d["sites"][k].as_array().unwrap().len(), 0, "{k}");
    }
    assert!(d["figures"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["changed"] == false));
}

#[test]
fn two_budgets_show_both_reports_figures() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    budget_plan(1_000_000.0, a.path());
    budget_plan(3_000_000.0, b.path());
    let (ra, rb) = (
        json(&a.path().join("report.json")),
        json(&b.path().join("report.json")),
    );
    let o = diff(&[a.path(), b.path()], true);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let d: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["same"], false);
    let figure = |name: &str| -> &Value {
        d["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["figure"] == name)
            .unwrap_or_else(|| panic!("no figure {name}"))
    };
    // Every figure the issue names, with both reports' values.
    for (name, pointer) in [
        ("new_sites.total", "/new_sites/total"),
        ("new_4g_stations.total", "/new_4g_stations/total"),
        (
            "new_4g_stations.by_operator.CMCC",
            "/new_4g_stations/by_operator/CMCC",
        ),
        ("sharing.rate_before", "/sharing/rate_before"),
        ("sharing.rate_after", "/sharing/rate_after"),
        (
            "investment_yuan.infrastructure",
            "/investment_yuan/infrastructure",
        ),
        ("investment_yuan.total", "/investment_yuan/total"),
        ("coverage.CUCC.share_after", "/coverage/CUCC/share_after"),
        (
            "coverage.CTCC.main_urban_share_after",
            "/coverage/CTCC/main_urban_share_after",
        ),
        (
            "coverage.CMCC.township_centres_covered_after",
            "/coverage/CMCC/township_centres_covered_after",
        ),
        ("lte_stations_total.after", "/lte_stations_total/after"),
        ("objective.value", "/objective/value"),
        ("objective.gap", "/objective/gap"),
    ] {
        let f = figure(name);
        assert_eq!(f["a"], *ra.pointer(pointer).unwrap(), "{name} in A");
        assert_eq!(f["b"], *rb.pointer(pointer).unwrap(), "{name} in B");
        assert_eq!(f["changed"], f["a"] != f["b"], "{name}");
    }
    let t3 = figure("targets.T3.value");
    assert_eq!(t3["b"], rb["targets"][2]["value"]);
    // A larger budget buys more: investment grows, and the change says so.
    let inv = figure("investment_yuan.total");
    let change = inv["change"].as_f64().unwrap();
    let want = rb["investment_yuan"]["total"].as_f64().unwrap()
        - ra["investment_yuan"]["total"].as_f64().unwrap();
    assert!(
        (change - want).abs() < 1e-6 && change > 0.0,
        "{change} vs {want}"
    );
    // Sites: B's are A's plus or minus the listed ones.
    let ids = |dir: &Path| -> std::collections::BTreeSet<String> {
        json(&dir.join("plan.geojson"))["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["site_id"].as_str().unwrap().to_string())
            .collect()
    };
    let (ia, ib) = (ids(a.path()), ids(b.path()));
    let listed = |k: &str| -> std::collections::BTreeSet<String> {
        d["sites"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["site_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(listed("added"), ib.difference(&ia).cloned().collect());
    assert_eq!(listed("removed"), ia.difference(&ib).cloned().collect());
    // The text form shows both values of a changed figure.
    let o = diff(&[a.path(), b.path()], false);
    let text = String::from_utf8(o.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("* investment_yuan.total "))
        .unwrap_or_else(|| panic!("{text}"));
    let shown = |v: f64| siting_plan::markdown::thousands(v);
    assert!(
        line.contains(&shown(ra["investment_yuan"]["total"].as_f64().unwrap()))
            && line.contains(&shown(rb["investment_yuan"]["total"].as_f64().unwrap())),
        "{line}"
    );
}

#[test]
fn bad_input_names_the_file() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("no-such-plan");
    let o = diff(&[&missing, &missing], false);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("no-such-plan") && e.contains("cannot read"),
        "{e}"
    );
    // A GeoJSON file that is not a plan: the small fixture's districts.
    let districts = fixture("small/districts.geojson");
    let o = diff(&[&districts, &districts], true);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("districts.geojson") && e.contains("feature #0"),
        "{e}"
    );
}
