//! Helpers shared by the cross-crate tests: run the real binary on fixtures.

#![allow(dead_code)]

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
