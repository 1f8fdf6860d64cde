//! Operators' bands: presets for the 2015 Chinese 4G bands, several bands per
//! operator (a point is covered when any band covers it), and indoor-only
//! licences.

mod common;

use common::{json, plan, plan_summary, siting, small_copy};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Replaces the small fixture's `[radio.*]` tables with `radio`, plans, and
/// returns the report (the run must succeed).
fn plan_with_radio(dir: &Path, radio: &str) -> (Value, Value) {
    let path = dir.join("plan.toml");
    let text = fs::read_to_string(&path).unwrap();
    let start = text.find("[radio.CMCC]").expect("radio tables");
    let end = text
        .find("# No rules table")
        .expect("the rules comment after the radio tables");
    fs::write(
        &path,
        format!("{}{radio}\n{}", &text[..start], &text[end..]),
    )
    .unwrap();
    let out = dir.join("out");
    let _ = fs::remove_dir_all(&out);
    let o = plan(&path, &out, &["-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (
        json(&out.join("report.json")),
        json(&out.join("plan.geojson")),
    )
}

fn covered_before(report: &Value, op: &str) -> f64 {
    report["coverage"][op]["covered_before"].as_f64().unwrap()
}

const PRESETS: &str = r#"
[radio.CMCC]
preset = "cmcc-b39"
[radio.CUCC]
preset = "cucc-b3"
[radio.CTCC]
preset = "ctcc-b3"
"#;

#[test]
fn presets_alone_give_the_plan_of_the_explicit_figures() {
    let explicit = small_copy();
    let out = explicit.path().join("out");
    let o = plan(&explicit.path().join("plan.toml"), &out, &["-q"]);
    assert!(o.status.success());
    let want = plan_summary(&json(&out.join("plan.geojson")));

    let dir = small_copy();
    let (report, got) = plan_with_radio(dir.path(), PRESETS);
    assert_eq!(plan_summary(&got), want);
    let cmcc = report["radio_models"]["CMCC"].as_str().unwrap();
    assert!(cmcc.starts_with("TD-LTE band 39 (F), 1880–1900 MHz: link budget, maximum path loss 141.9 dB at 1890 MHz"), "{cmcc}");
    assert!(cmcc.ends_with("(source: MIIT TD-LTE licence to China Mobile, 4 Dec 2013 (1880–1900, 2320–2370, 2575–2635 MHz); 3GPP TS 36.101 Table 5.5-1, band 39)"), "{cmcc}");
    // The config echoed in the report keeps what the user wrote.
    assert_eq!(
        report["config"]["radio"]["CUCC"]["bands"][0]["preset"],
        "cucc-b3"
    );
}

#[test]
fn a_second_band_covers_more_never_less() {
    let dir = small_copy();
    let (one, _) = plan_with_radio(dir.path(), PRESETS);
    // CMCC adds a 700 MHz layer (the E-band preset retuned and allowed outdoors).
    let two_bands = PRESETS.replace(
        "[radio.CMCC]\npreset = \"cmcc-b39\"",
        "[[radio.CMCC.bands]]\npreset = \"cmcc-b39\"\n\n[[radio.CMCC.bands]]\npreset = \"cmcc-b40\"\nband = \"700 MHz layer\"\nfreq_mhz = 700.0\nindoor_only = false",
    );
    let (two, _) = plan_with_radio(dir.path(), &two_bands);
    assert!(
        covered_before(&two, "CMCC") > covered_before(&one, "CMCC"),
        "a lower band must reach farther: {} vs {}",
        covered_before(&two, "CMCC"),
        covered_before(&one, "CMCC")
    );
    for op in ["CUCC", "CTCC"] {
        assert_eq!(covered_before(&two, op), covered_before(&one, op));
    }
    let cmcc = two["radio_models"]["CMCC"].as_str().unwrap();
    assert!(
        cmcc.contains("TD-LTE band 39") && cmcc.contains(" | 700 MHz layer: "),
        "{cmcc}"
    );
}

#[test]
fn an_indoor_only_band_covers_from_indoor_sites_only() {
    let dir = small_copy();
    let (outdoor, _) = plan_with_radio(dir.path(), PRESETS);
    let indoor_only = PRESETS.replace("cmcc-b39", "cmcc-b40");
    let (indoor, _) = plan_with_radio(dir.path(), &indoor_only);
    let cmcc = indoor["radio_models"]["CMCC"].as_str().unwrap();
    assert!(
        cmcc.contains("at 2345 MHz") && cmcc.contains("; indoor sites only (source: MIIT"),
        "{cmcc}"
    );
    assert!(covered_before(&indoor, "CMCC") < covered_before(&outdoor, "CMCC"));
}

#[test]
fn siting_bands_lists_each_operators_2015_bands_with_sources() {
    let o = siting().args(["bands", "--json"]).output().unwrap();
    assert!(o.status.success());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let bands = v["bands"].as_array().unwrap();
    let codes: Vec<&str> = bands.iter().map(|b| b["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["cmcc-b39", "cmcc-b40", "cucc-b3", "cucc-b1", "ctcc-b3", "ctcc-b1"]
    );
    assert!(bands
        .iter()
        .all(|b| b["source"].as_str().unwrap().contains("MIIT")));
    assert_eq!(
        v["default_budget_max_path_loss_db"]
            .as_f64()
            .map(|x| (x * 10.0).round()),
        Some(1419.0)
    );
    // Each preset's station capacity: its licensed downlink block, three
    // sectors at 1.5 bit/s/Hz, TDD's downlink share, 70% highest load.
    let mbps = |code: &str| {
        bands.iter().find(|b| b["code"] == code).unwrap()["station_mbps"]
            .as_f64()
            .unwrap()
    };
    assert!((mbps("cmcc-b39") - 20.0 * 3.0 * 1.5 * 0.643 * 0.7).abs() < 1e-6);
    assert!((mbps("cucc-b3") - 10.0 * 3.0 * 1.5 * 0.7).abs() < 1e-6);
    assert!((mbps("ctcc-b3") - 15.0 * 3.0 * 1.5 * 0.7).abs() < 1e-6);
    assert_eq!(bands[0]["capacity"]["bandwidth_mhz"], 20.0);
}
