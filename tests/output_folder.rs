//! The output folder holds one run's files or the previous run's, never a
//! mix: a `siting plan` killed while it writes, and one whose switch fails,
//! leave the previous run's files intact and readable.

mod common;

use common::{fixture, plan, siting};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// Every file under `dir` (relative path → bytes).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// A first run into `parent/out`, with a marker changed afterwards so that
/// a second run's files cannot be mistaken for the first's.
fn first_run(parent: &Path) -> (PathBuf, BTreeMap<PathBuf, Vec<u8>>) {
    let out = parent.join("out");
    let o = plan(&fixture("small/plan.toml"), &out, &["--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = snapshot(&out);
    for f in ["plan.geojson", "report.json", "report.md", "plan.gpkg"] {
        assert!(before.contains_key(Path::new(f)), "{f} missing");
    }
    assert!(before.keys().any(|k| k.starts_with("approvals")));
    (out, before)
}

/// The previous files are all there, unchanged, and the plan reads back.
fn intact(out: &Path, before: &BTreeMap<PathBuf, Vec<u8>>) {
    assert_eq!(&snapshot(out), before, "the output folder changed");
    siting_plan::read_plan(out).expect("the previous plan reads back");
}

/// Starts `siting plan` with a write fault, waits until it says it reached
/// the fault's point (the file `ready` appears), then kills it (SIGKILL).
fn kill_at(fault: &str, out: &Path, ready: &Path) {
    let mut child = siting()
        .args(["--quiet", "plan", "--config"])
        .arg(fixture("small/plan.toml"))
        .arg("--out")
        .arg(out)
        .env("SITING_WRITE_FAULT", format!("{fault}:{}", ready.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn siting");
    // Wait for the hook (the run itself takes seconds), or for the run to
    // end without reaching it, which is a failure.
    loop {
        if ready.exists() {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("siting ended ({status}) before reaching {fault}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
}

#[test]
fn a_run_killed_while_writing_leaves_the_previous_files() {
    let parent = tempfile::tempdir().unwrap();
    let (out, before) = first_run(parent.path());
    for (i, fault) in ["pause-mid-write", "pause-before-switch"]
        .iter()
        .enumerate()
    {
        let ready = parent.path().join(format!("ready-{i}"));
        kill_at(fault, &out, &ready);
        intact(&out, &before);
    }
    // The killed runs left staged folders beside the output; the next run
    // clears them and switches its own files in.
    let left: Vec<String> = std::fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out.siting-"))
        .collect();
    assert!(!left.is_empty(), "no staged folder: the kill came too late");
    let o = plan(&fixture("small/plan.toml"), &out, &["--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = snapshot(&out);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "the same config writes the same files"
    );
    assert_eq!(
        after[Path::new("plan.geojson")],
        before[Path::new("plan.geojson")]
    );
    let mut names: Vec<String> = std::fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("ready-"))
        .collect();
    names.sort();
    assert_eq!(names, ["out"]);
}

#[test]
fn a_failed_switch_leaves_the_previous_files_and_says_so() {
    let parent = tempfile::tempdir().unwrap();
    let (out, before) = first_run(parent.path());
    let o = siting()
        .args(["--quiet", "plan", "--config"])
        .arg(fixture("small/plan.toml"))
        .arg("--out")
        .arg(&out)
        .env("SITING_WRITE_FAULT", "fail-switch")
        .output()
        .unwrap();
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("cannot switch to the new output") && e.contains("out"),
        "{e}"
    );
    intact(&out, &before);
    let names: Vec<String> = std::fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["out"], "the staged folder is removed");
}

#[test]
fn a_folder_of_someone_elses_files_is_not_replaced() {
    let parent = tempfile::tempdir().unwrap();
    std::fs::write(parent.path().join("notes.txt"), "mine").unwrap();
    let o = plan(&fixture("small/plan.toml"), parent.path(), &["--quiet"]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("\"notes.txt\", which siting did not write"),
        "{e}"
    );
    assert_eq!(
        std::fs::read(parent.path().join("notes.txt")).unwrap(),
        b"mine"
    );
}
