//! Helpers shared by the cross-crate tests: run the real binary on fixtures.

#![allow(dead_code)]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `siting` binary cargo built for these tests.
pub fn siting() -> Command {
    Command::new(env!("CARGO_BIN_EXE_siting"))
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies the small fixture into a fresh temporary folder and returns it.
pub fn small_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(fixture("small")).expect("fixture") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

/// Runs `siting plan --config <config> --out <out>` with extra leading args.
pub fn plan(config: &Path, out: &Path, extra: &[&str]) -> Output {
    siting()
        .args(extra)
        .arg("plan")
        .arg("--config")
        .arg(config)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run siting")
}

/// Reads a JSON file.
pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

/// The identity of a plan: per site (sorted by id) its tenants added, phase,
/// EIA authority and position.
pub fn plan_summary(v: &Value) -> Vec<(String, Value, Value, Value, [f64; 2])> {
    let mut out: Vec<_> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            let c = &f["geometry"]["coordinates"];
            (
                p["site_id"].as_str().unwrap().to_string(),
                p["tenants_added"].clone(),
                p["phase"].clone(),
                p["eia_authority"].clone(),
                [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()],
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Asserts two plans place the same stations on the same sites in the same
/// phases, positions within 2e-7°.
pub fn same_plan(a: &Value, b: &Value) {
    let (x, y) = (plan_summary(a), plan_summary(b));
    assert_eq!(x.len(), y.len());
    for (p, q) in x.iter().zip(&y) {
        assert_eq!((&p.0, &p.1, &p.2, &p.3), (&q.0, &q.1, &q.2, &q.3));
        assert!(
            (p.4[0] - q.4[0]).abs() < 2e-7 && (p.4[1] - q.4[1]).abs() < 2e-7,
            "{} moved: {:?} vs {:?}",
            p.0,
            p.4,
            q.4
        );
    }
}

fn codes(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

/// Whether (lon, lat) lies in a GeoJSON Polygon or MultiPolygon (holes excluded).
pub fn in_polygons(geometry: &Value, lon: f64, lat: f64) -> bool {
    let polygons: Vec<&Value> = match geometry["type"].as_str() {
        Some("Polygon") => vec![&geometry["coordinates"]],
        Some("MultiPolygon") => geometry["coordinates"].as_array().unwrap().iter().collect(),
        _ => return false,
    };
    polygons.iter().any(|rings| {
        let rings = rings.as_array().unwrap();
        inside(rings[0].as_array().unwrap(), lon, lat)
            && !rings[1..]
                .iter()
                .any(|h| inside(h.as_array().unwrap(), lon, lat))
    })
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

/// A tenant entry's operator (`CMCC:2G+4G` → `CMCC`) and whether it runs 4G.
fn tenant(entry: &str) -> (String, bool) {
    let (op, tech) = entry.split_once(':').unwrap_or((entry, ""));
    (op.to_string(), tech.split('+').any(|t| t == "4G"))
}

/// Checks a written plan against the input layers of `dir`: tenants,
/// capacities, districts, phases, stations with a reason, and every figure
/// of the report that the plan and the layers determine.
pub fn check_plan(dir: &Path, plan: &Value, report: &Value) {
    let existing = json(&dir.join("sites_existing.geojson"));
    let candidates = json(&dir.join("candidates.geojson"));
    let layer: BTreeMap<String, Value> = existing["features"]
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
    let districts = json(&dir.join("districts.geojson"));

    // The portfolio before the plan, from the layer.
    let mut sites_before = 0u64;
    let mut shared_before = 0u64;
    let mut tenancies_before = 0u64;
    let mut lte_before = 0u64;
    let mut tenants_of: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for f in existing["features"].as_array().unwrap() {
        let p = &f["properties"];
        let list: Vec<(String, bool)> = p["tenants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| tenant(t.as_str().unwrap()))
            .collect();
        sites_before += 1;
        shared_before += (list.len() >= 2) as u64;
        tenancies_before += list.len() as u64;
        lte_before += list.iter().filter(|t| t.1).count() as u64;
        tenants_of.insert(
            p["site_id"].as_str().unwrap().to_string(),
            (
                list.iter().map(|t| t.0.clone()).collect(),
                list.iter().filter(|t| t.1).map(|t| t.0.clone()).collect(),
            ),
        );
    }

    let features = plan["features"].as_array().unwrap();
    let mut ids = BTreeSet::new();
    let mut by_kind: BTreeMap<String, u64> = BTreeMap::new();
    let mut ways = BTreeMap::from([("overlay", 0u64), ("co_location", 0), ("new_site", 0)]);
    let mut per_op: BTreeMap<String, u64> = BTreeMap::new();
    let (mut new_sites, mut new_shared, mut newly_shared, mut added) = (0u64, 0u64, 0u64, 0u64);
    let (mut infra, mut equipment) = (0.0, 0.0);
    let mut stations = 0u64;
    for f in features {
        let p = &f["properties"];
        let id = p["site_id"].as_str().unwrap().to_string();
        assert!(ids.insert(id.clone()), "duplicate {id}");
        // A tower at a search ring's centre is in no layer: the plan made it.
        let acquired = p["site_acquisition"].as_bool().unwrap();
        assert_eq!(acquired, !layer.contains_key(&id), "{id}");
        let no_props = Value::Object(Default::default());
        let inp = layer.get(&id).unwrap_or(&no_props);
        let before = codes(&p["tenants_before"]);
        let stations_added = codes(&p["stations_added"]);
        let tenants_added = codes(&p["tenants_added"]);
        let after = codes(&p["tenants_after"]);
        assert!(
            !stations_added.is_empty(),
            "{id}: a plan site without a station"
        );
        assert_eq!(
            tenants_added,
            stations_added.difference(&before).cloned().collect()
        );
        assert_eq!(after, before.union(&stations_added).cloned().collect());
        assert_eq!(p["shared"].as_bool().unwrap(), after.len() >= 2);
        assert_eq!(p["shared_before"].as_bool().unwrap(), before.len() >= 2);
        let new = p["origin"] == "new";
        // Tenants before are the layer's, and nobody adds 4G where it has it.
        let (layer_tenants, layer_lte) = tenants_of.get(&id).cloned().unwrap_or_default();
        assert_eq!(before, layer_tenants, "{id}");
        assert_eq!(new, !tenants_of.contains_key(&id), "{id}");
        assert!(
            layer_lte.is_disjoint(&stations_added),
            "{id}: 4G added where it runs"
        );
        // No site over capacity (layer capacity, and roof load at 300 kg a tenant).
        let mut cap = inp["capacity"].as_u64().unwrap_or(3);
        if let Some(load) = inp["load_capacity_kg"].as_f64() {
            cap = cap
                .min((load / 300.0).floor() as u64)
                .max(before.len() as u64);
        }
        assert!(
            after.len() as u64 <= cap,
            "{id}: {} tenants, capacity {cap}",
            after.len()
        );
        for op in &stations_added {
            stations += 1;
            *per_op.entry(op.clone()).or_default() += 1;
            let way = if new {
                "new_site"
            } else if before.contains(op) {
                "overlay"
            } else {
                "co_location"
            };
            *ways.get_mut(way).unwrap() += 1;
            // Every station covers someone, or carries the reason it is
            // there (a capacity station: the traffic it takes on).
            let gain = p["covered_gain"][op].as_f64().unwrap();
            let reason = p["station_reasons"][op].as_str().unwrap();
            let carries = p["offered_mbps"][op]
                .as_object()
                .is_some_and(|y| y.values().any(|t| t.as_f64() > Some(0.0)));
            assert!(
                gain > 0.0
                    || ["township_centre", "sharing", "site_count"].contains(&reason)
                    || (reason == "capacity" && carries),
                "{id} {op}: covers nobody, reason {reason}"
            );
        }
        if new {
            new_sites += 1;
            new_shared += (after.len() >= 2) as u64;
            *by_kind
                .entry(p["kind"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        newly_shared += (after.len() >= 2 && before.len() < 2) as u64;
        added += tenants_added.len() as u64;
        let (b, s) = (
            p["build_cost_yuan"].as_f64().unwrap(),
            p["station_cost_yuan"].as_f64().unwrap(),
        );
        assert!((p["cost_yuan"].as_f64().unwrap() - b - s).abs() < 0.01);
        infra += b;
        equipment += s;
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
            in_polygons(&d["geometry"], lon, lat),
            "{id} outside {}",
            p["adcode"]
        );
        assert_eq!(d["properties"]["name"], p["district"]);
        let phase = p["phase"].as_u64().unwrap();
        assert!([2015, 2016, 2017].contains(&phase));
        let phases: Vec<u64> = stations_added
            .iter()
            .map(|op| p["station_phases"][op].as_u64().unwrap())
            .collect();
        assert_eq!(phases.iter().min(), Some(&phase), "{id}");
        assert!(p["rules"].as_array().unwrap().iter().any(|r| r == "R9"));
    }

    // The report's figures equal those recomputed.
    let r = report;
    assert_eq!(r["new_sites"]["total"], new_sites);
    for (k, n) in &by_kind {
        assert_eq!(r["new_sites"]["by_kind"][k], *n, "{k}");
    }
    assert_eq!(r["new_4g_stations"]["total"], stations);
    for (way, n) in &ways {
        assert_eq!(r["new_4g_stations"]["by_way"][way], *n, "{way}");
    }
    for (op, n) in &per_op {
        assert_eq!(r["new_4g_stations"]["by_operator"][op], *n, "{op}");
    }
    let s = &r["sharing"];
    let sites_after = sites_before + new_sites;
    let shared_after = shared_before + newly_shared;
    assert_eq!(s["sites_before"], sites_before);
    assert_eq!(s["sites_after"], sites_after);
    assert_eq!(s["shared_before"], shared_before);
    assert_eq!(s["shared_after"], shared_after);
    let close = |a: &Value, b: f64| (a.as_f64().unwrap() - b).abs() < 1e-12;
    assert!(close(
        &s["rate_before"],
        shared_before as f64 / sites_before as f64
    ));
    assert!(close(
        &s["rate_after"],
        shared_after as f64 / sites_after as f64
    ));
    assert!(close(
        &r["sharing_rate"],
        shared_after as f64 / sites_after as f64
    ));
    if new_sites > 0 {
        assert!(close(
            &s["new_sites_shared_share"],
            new_shared as f64 / new_sites as f64
        ));
    }
    assert!(close(
        &s["tenancy_ratio_before"],
        tenancies_before as f64 / sites_before as f64
    ));
    assert!(close(
        &s["tenancy_ratio_after"],
        (tenancies_before + added) as f64 / sites_after as f64
    ));
    assert!(s["definition"].as_str().unwrap().contains("all sites"));
    assert_eq!(r["lte_stations_total"]["before"], lte_before);
    assert_eq!(r["lte_stations_total"]["after"], lte_before + stations);
    assert!((r["investment_yuan"]["infrastructure"].as_f64().unwrap() - infra).abs() < 0.5);
    assert!((r["investment_yuan"]["equipment"].as_f64().unwrap() - equipment).abs() < 0.5);
    // T2 is an estimate: met is null, with a reason.
    let t2 = r["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "T2")
        .unwrap();
    assert!(t2["met"].is_null());
    assert!(t2["reason"].as_str().unwrap().contains("estimate"));
}
