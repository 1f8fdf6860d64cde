//! Helpers shared by the cross-crate tests: run the real binary on fixtures.

#![allow(dead_code)]

use serde_json::Value;
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
