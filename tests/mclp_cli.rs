//! `siting mclp` and `siting mclp-instance`, the real binary on the fixture
//! in `tests/fixtures/mclp/` (see `make_mclp.py` there): GeoJSON in WGS84
//! and a GeoPackage in a projected CRS give the same answer, the answer is
//! the optimum the fixture was built around, the output is the same at any
//! thread count, and bad inputs fail with the file, the feature and the
//! problem, writing nothing.

mod common;

use common::{fixture, json, siting};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mclp(candidates: &Path, demand: &Path, out: &Path, extra: &[&str]) -> Output {
    mclp_p(candidates, demand, out, extra, 2)
}

/// [`mclp`] choosing `p` sites.
fn mclp_p(candidates: &Path, demand: &Path, out: &Path, extra: &[&str], p: usize) -> Output {
    siting()
        .args(extra)
        .arg("mclp")
        .arg("--candidates")
        .arg(candidates)
        .arg("--demand")
        .arg(demand)
        .args(["--radius-m", "1000", "--p", &p.to_string(), "--out"])
        .arg(out)
        .output()
        .expect("run siting")
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "siting failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ids(sites: &Value) -> Vec<String> {
    sites["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["id"].as_str().unwrap().to_string())
        .collect()
}

/// `result.json` without its timings, which differ from run to run.
fn without_timings(mut v: Value) -> Value {
    let m = v.as_object_mut().unwrap();
    m.remove("seconds");
    m.remove("phase_seconds");
    v
}

fn fx(name: &str) -> PathBuf {
    fixture("mclp").join(name)
}

#[test]
fn geojson_fixture_finds_the_optimal_pair_with_a_matching_bound() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = mclp(&fx("candidates.geojson"), &fx("demand.geojson"), &out, &[]);
    ok(&o);
    let sites = json(&out.join("sites.geojson"));
    let mut chosen = ids(&sites);
    chosen.sort();
    assert_eq!(
        chosen,
        ["L", "R"],
        "the greedy's M is not in the optimal pair"
    );
    for f in sites["features"].as_array().unwrap() {
        assert_eq!(f["geometry"]["type"], "Point");
        assert_eq!(f["properties"]["covered_weight_gain"], 11);
    }
    let r = json(&out.join("result.json"));
    assert_eq!(r["objective"], 22);
    assert_eq!(r["greedy_objective"], 17);
    assert_eq!(r["total_weight"], 26);
    assert_eq!(r["coverable_weight"], 23);
    assert_eq!(r["upper_bound"], 22, "the LP is integral here");
    assert_eq!(r["gap"], 0.0);
    assert!((r["covered_share"].as_f64().unwrap() - 22.0 / 26.0).abs() < 1e-6);
    assert!(r["bound_method"].as_str().unwrap().contains("lagrangian"));
    assert!(r["seconds"].as_f64().unwrap() >= 0.0);
    assert_eq!(r["p"], 2);
    assert_eq!(r["candidates"], 5);
    assert_eq!(r["demand_points"], 10);
    assert_eq!(r["presolve"]["demand_items_uncoverable"], 2);
    assert_eq!(r["metric_crs"], "EPSG:4545");
}

/// The fixture's demand with every weight multiplied by `factor`.
fn scaled_demand(dir: &Path, factor: f64) -> PathBuf {
    let mut d = json(&fx("demand.geojson"));
    for f in d["features"].as_array_mut().unwrap() {
        let w = f["properties"]["weight"].as_f64().unwrap();
        f["properties"]["weight"] = serde_json::json!(w * factor);
    }
    let path = dir.join("demand-scaled.geojson");
    std::fs::write(&path, d.to_string()).unwrap();
    path
}

#[test]
fn decimal_weights_are_solved_exactly_and_reported_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    ok(&mclp(
        &fx("candidates.geojson"),
        &fx("demand.geojson"),
        &whole,
        &[],
    ));
    // Quarters: two decimals, the same plan, every figure a quarter.
    let out = dir.path().join("quarters");
    let demand = scaled_demand(dir.path(), 0.25);
    ok(&mclp(&fx("candidates.geojson"), &demand, &out, &[]));
    assert_eq!(
        ids(&json(&out.join("sites.geojson"))),
        ids(&json(&whole.join("sites.geojson")))
    );
    for f in json(&out.join("sites.geojson"))["features"]
        .as_array()
        .unwrap()
    {
        assert_eq!(f["properties"]["covered_weight_gain"], 2.75);
    }
    let r = json(&out.join("result.json"));
    assert_eq!(r["objective"], 5.5);
    assert_eq!(r["upper_bound"], 5.5);
    assert_eq!(r["greedy_objective"], 4.25);
    assert_eq!(r["total_weight"], 6.5);
    assert_eq!(r["gap"], 0.0);
    assert_eq!(r["weights"]["decimals"], 2);
    assert_eq!(r["weights"]["rounded"], 0);
    let w = json(&whole.join("result.json"));
    assert_eq!(w["weights"]["decimals"], 0);
    assert_eq!(w["covered_share"], r["covered_share"]);
    // Finer than six decimals: rounded to six, counted, and said.
    let out = dir.path().join("fine");
    let demand = scaled_demand(dir.path(), 1.000_000_01);
    let o = mclp(&fx("candidates.geojson"), &demand, &out, &[]);
    ok(&o);
    assert!(stderr(&o).contains("rounded to 6"), "{}", stderr(&o));
    let r = json(&out.join("result.json"));
    assert_eq!(r["weights"]["decimals"], 6);
    assert_eq!(r["weights"]["rounded"], 9, "every weight but the zero one");
    assert_eq!(r["objective"], 22.0);
}

#[test]
fn more_sites_than_candidates_chooses_them_all_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = mclp_p(
        &fx("candidates.geojson"),
        &fx("demand.geojson"),
        &out,
        &[],
        9,
    );
    ok(&o);
    assert!(
        stderr(&o).contains("--p 9 asks for more candidates than the layer's 5"),
        "{}",
        stderr(&o)
    );
    let r = json(&out.join("result.json"));
    assert_eq!(r["p"], 9);
    assert_eq!(r["objective"], r["coverable_weight"]);
}

#[test]
fn geopackage_in_a_projected_crs_gives_the_same_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut gpkg = Vec::new();
    for name in ["candidates", "demand"] {
        let to = dir.path().join(format!("{name}.gpkg"));
        let o = Command::new("ogr2ogr")
            .args(["-t_srs", "EPSG:4545"])
            .arg(&to)
            .arg(fx(&format!("{name}.geojson")))
            .output()
            .expect("ogr2ogr (gdal-bin) is installed by scripts/setup.sh");
        assert!(o.status.success(), "ogr2ogr: {}", stderr(&o));
        gpkg.push(to);
    }
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    ok(&mclp(
        &fx("candidates.geojson"),
        &fx("demand.geojson"),
        &a,
        &[],
    ));
    ok(&mclp(&gpkg[0], &gpkg[1], &b, &[]));
    let (sa, sb) = (
        json(&a.join("sites.geojson")),
        json(&b.join("sites.geojson")),
    );
    assert_eq!(ids(&sa), ids(&sb));
    for (fa, fb) in sa["features"]
        .as_array()
        .unwrap()
        .iter()
        .zip(sb["features"].as_array().unwrap())
    {
        for k in 0..2 {
            let (x, y) = (
                fa["geometry"]["coordinates"][k].as_f64().unwrap(),
                fb["geometry"]["coordinates"][k].as_f64().unwrap(),
            );
            assert!((x - y).abs() < 1e-6, "WGS84 out, whatever the input CRS");
        }
    }
    let rb = json(&b.join("result.json"));
    assert_eq!(rb["objective"], 22);
    assert_eq!(rb["upper_bound"], 22);
}

#[test]
fn same_output_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("inst");
    let o = siting()
        .args([
            "mclp-instance",
            "--candidates",
            "120",
            "--demand",
            "1500",
            "--seed",
            "5",
            "--out",
        ])
        .arg(&inst)
        .output()
        .unwrap();
    ok(&o);
    let run = |threads: &str, name: &str| {
        let out = dir.path().join(name);
        let o = siting()
            .args([
                "--threads",
                threads,
                "mclp",
                "--radius-m",
                "1000",
                "--p",
                "8",
                "--candidates",
            ])
            .arg(inst.join("candidates.geojson"))
            .arg("--demand")
            .arg(inst.join("demand.geojson"))
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        ok(&o);
        out
    };
    let (a, b) = (run("1", "one"), run("2", "two"));
    assert_eq!(
        std::fs::read(a.join("sites.geojson")).unwrap(),
        std::fs::read(b.join("sites.geojson")).unwrap()
    );
    let (ra, rb) = (json(&a.join("result.json")), json(&b.join("result.json")));
    assert!(ra["upper_bound"].as_u64().unwrap() >= ra["objective"].as_u64().unwrap());
    assert!(ra["objective"].as_u64().unwrap() >= ra["greedy_objective"].as_u64().unwrap());
    assert_eq!(without_timings(ra), without_timings(rb));
}

#[test]
fn instance_generator_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let gen = |name: &str| {
        let out = dir.path().join(name);
        ok(&siting()
            .args([
                "mclp-instance",
                "--candidates",
                "30",
                "--demand",
                "200",
                "--out",
            ])
            .arg(&out)
            .output()
            .unwrap());
        out
    };
    let (a, b) = (gen("a"), gen("b"));
    for f in ["candidates.geojson", "demand.geojson"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap()
        );
    }
    let d = json(&a.join("demand.geojson"));
    assert_eq!(d["features"].as_array().unwrap().len(), 200);
    assert!(d["features"][0]["properties"]["weight"].as_u64().is_some());
}

/// Writes `text` as a layer and runs `siting mclp` with it in place of the
/// fixture's candidates (`candidates = true`) or demand; returns the error.
fn fails_with(candidates: bool, text: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, text).unwrap();
    let out = dir.path().join("out");
    let (c, d) = if candidates {
        (bad.clone(), fx("demand.geojson"))
    } else {
        (fx("candidates.geojson"), bad.clone())
    };
    let o = siting()
        .arg("mclp")
        .arg("--candidates")
        .arg(&c)
        .arg("--demand")
        .arg(&d)
        .args(["--radius-m", "1000", "--out"])
        .arg(&out)
        .args(if extra.is_empty() {
            &["--p", "2"][..]
        } else {
            extra
        })
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(!out.exists(), "nothing is written when the run fails");
    stderr(&o)
}

const POINT: &str = r#""geometry":{"type":"Point","coordinates":[106.5,29.5]}"#;

#[test]
fn bad_inputs_name_the_file_the_feature_and_the_problem() {
    let fc = |features: &[String]| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        )
    };
    let f =
        |props: &str, geom: &str| format!(r#"{{"type":"Feature","properties":{props},{geom}}}"#);

    let e = fails_with(
        false,
        &fc(&[
            f(r#"{"id":"a","weight":1}"#, POINT),
            f(r#"{"id":"b"}"#, POINT),
        ]),
        &[],
    );
    assert!(
        e.contains("bad.geojson") && e.contains("feature #1") && e.contains("\"weight\""),
        "{e}"
    );
    let e = fails_with(
        false,
        &fc(&[f(r#"{"id":"a","weight":"many"}"#, POINT)]),
        &[],
    );
    assert!(
        e.contains("feature #0") && e.contains("must be a number"),
        "{e}"
    );
    let e = fails_with(false, &fc(&[f(r#"{"id":"a","weight":-2}"#, POINT)]), &[]);
    assert!(e.contains("feature #0") && e.contains("negative"), "{e}");
    let e = fails_with(false, &fc(&[f(r#"{"id":"a","weight":1e300}"#, POINT)]), &[]);
    assert!(
        e.contains("feature #0") && e.contains("more than 2^53"),
        "{e}"
    );
    let e = fails_with(
        false,
        &fc(&[
            f(r#"{"id":"a","weight":4000000000.000001}"#, POINT),
            f(r#"{"id":"b","weight":4000000000.000001}"#, POINT),
            f(r#"{"id":"c","weight":4000000000.000001}"#, POINT),
        ]),
        &[],
    );
    assert!(
        e.contains("bad.geojson") && e.contains("add up to") && e.contains("2^53"),
        "{e}"
    );

    let e = fails_with(
        true,
        &fc(&[f(r#"{"id":"a"}"#, POINT), f(r#"{"id":"a"}"#, POINT)]),
        &[],
    );
    assert!(
        e.contains("feature #1")
            && e.contains("duplicate candidate id \"a\"")
            && e.contains("feature #0"),
        "{e}"
    );
    let e = fails_with(true, &fc(&[f(r#"{"name":"x"}"#, POINT)]), &[]);
    assert!(
        e.contains("feature #0") && e.contains("\"id\"") && e.contains("--id-prop"),
        "{e}"
    );
    let square = r#""geometry":{"type":"Polygon","coordinates":[[[106.5,29.5],[106.6,29.5],[106.6,29.6],[106.5,29.5]]]}"#;
    let e = fails_with(true, &fc(&[f(r#"{"id":"a"}"#, square)]), &[]);
    assert!(
        e.contains("feature #0") && e.contains("Polygon") && e.contains("Point is required"),
        "{e}"
    );
    let e = fails_with(true, &fc(&[]), &[]);
    assert!(
        e.contains("bad.geojson") && e.contains("no features"),
        "{e}"
    );

    let e = fails_with(true, &fc(&[f(r#"{"id":"a"}"#, POINT)]), &["--p", "0"]);
    assert!(e.contains("--p"), "{e}");
    let e = fails_with(
        true,
        &fc(&[f(r#"{"id":"a"}"#, POINT)]),
        &["--p", "1", "--time-limit", "0"],
    );
    assert!(e.contains("--time-limit"), "{e}");
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let o = mclp(
        &dir.path().join("nope.geojson"),
        &fx("demand.geojson"),
        &dir.path().join("out"),
        &[],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("nope.geojson"), "{}", stderr(&o));
}

#[test]
fn a_time_limit_is_kept_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("inst");
    ok(&siting()
        .args([
            "mclp-instance",
            "--candidates",
            "150",
            "--demand",
            "2000",
            "--seed",
            "9",
            "--out",
        ])
        .arg(&inst)
        .output()
        .unwrap());
    let out = dir.path().join("out");
    let o = siting()
        .args([
            "mclp",
            "--radius-m",
            "1000",
            "--p",
            "10",
            "--time-limit",
            "3",
            "--candidates",
        ])
        .arg(inst.join("candidates.geojson"))
        .arg("--demand")
        .arg(inst.join("demand.geojson"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    ok(&o);
    let r = json(&out.join("result.json"));
    assert_eq!(r["time_limit_s"], 3.0);
    assert!(r["upper_bound"].as_u64().unwrap() >= r["objective"].as_u64().unwrap());
    // The limit is checked between steps: allow for reading and one step.
    assert!(r["seconds"].as_f64().unwrap() < 30.0);
}
