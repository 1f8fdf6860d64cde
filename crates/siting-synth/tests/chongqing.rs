//! The modelled layers built from the embedded Chongqing data: the demand
//! grid's conservation of residents, the tenants' grammar and the calibrated
//! shares, and determinism.

use siting_synth::figures::SiteFigures;
use siting_synth::sites::parse_tenants;
use siting_synth::{synthesize, SynthParams, Synthesized};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/chongqing")
}

/// The committed layers (1 km cells, 250 m where suburban or denser).
fn committed() -> &'static Synthesized {
    static S: OnceLock<Synthesized> = OnceLock::new();
    S.get_or_init(|| synthesize(&data(), &SynthParams::default()).unwrap())
}

fn file<'a>(s: &'a Synthesized, name: &str) -> &'a str {
    &s.files.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn the_adaptive_grid_holds_32_million_within_rounding() {
    let s = committed();
    let total: f64 = s.cells.iter().map(|c| c.weight).sum();
    // Each weight is rounded to 0.01: at most 0.005 off per cell.
    let bound = 0.005 * s.cells.len() as f64;
    assert!(
        (total - 32_000_000.0).abs() <= bound,
        "total {total}, bound {bound}"
    );
    let reference: f64 = s.reference.iter().map(|c| c.weight).sum();
    assert!((reference - 32_000_000.0).abs() <= 0.005 * s.reference.len() as f64);
    // Both sizes are there, and refined cells are the dense ones.
    assert!(s.cells.iter().any(|c| c.cell_m == 1000.0));
    assert!(s.cells.iter().any(|c| c.cell_m == 250.0));
    for c in &s.cells {
        if c.cell_m == 1000.0 {
            assert!(c.density() < 300.0 + 1e-6, "{c:?}");
        }
    }
}

#[test]
fn a_refined_cell_s_children_sum_to_the_cell() {
    let s = committed();
    // Children by the 1 km cell holding them.
    let key = |xy: [f64; 2]| {
        (
            (xy[0] / 1000.0).floor() as i64,
            (xy[1] / 1000.0).floor() as i64,
        )
    };
    let mut children: HashMap<(i64, i64), (usize, f64)> = HashMap::new();
    for c in s.cells.iter().filter(|c| c.cell_m == 250.0) {
        let e = children.entry(key(c.xy)).or_default();
        e.0 += 1;
        e.1 += c.weight;
    }
    let mut refined = 0;
    for parent in &s.reference {
        if let Some((n, sum)) = children.get(&key(parent.xy)) {
            refined += 1;
            assert_eq!(*n, 16);
            // 16 roundings of the children and one of the parent.
            assert!(
                (sum - parent.weight).abs() <= 0.005 * 17.0,
                "{parent:?}: children sum to {sum}"
            );
            assert!(parent.density() >= 300.0 - 0.01);
        } else {
            assert!(
                parent.density() < 300.0 + 0.01,
                "{parent:?} was not refined"
            );
        }
    }
    assert_eq!(refined, children.len());
    assert!(refined > 1000);
}

/// The same model on a coarser grid (2 km cells, 500 m where dense): cheap
/// enough for a debug build; `siting synth --cell-m 500 --fine-cell-m 125`
/// is checked the same way in MODELLED.md.
fn coarser(seed: u64) -> Synthesized {
    let p = SynthParams {
        seed,
        cell_m: 2000.0,
        fine_cell_m: 500.0,
        ..SynthParams::default()
    };
    synthesize(&data(), &p).unwrap()
}

fn coarse_2015() -> &'static Synthesized {
    static S: OnceLock<Synthesized> = OnceLock::new();
    S.get_or_init(|| coarser(2015))
}

#[test]
fn another_grid_is_the_same_model() {
    let s = coarse_2015();
    let total: f64 = s.cells.iter().map(|c| c.weight).sum();
    // Only the cells along the area's outer edge differ from the 1 km grid.
    assert!((total / 32_000_000.0 - 1.0).abs() < 2e-3, "{total}");
    assert!(s.cells.iter().any(|c| c.cell_m == 500.0));
    assert!(s.cells.iter().any(|c| c.cell_m == 2000.0));
    // Sites and zones come from the reference grid: the same at any resolution.
    let c = committed();
    for f in [
        "sites_existing.geojson",
        "candidates.geojson",
        "zones.geojson",
    ] {
        assert!(file(s, f) == file(c, f), "{f} changed with the demand grid");
    }
}

#[test]
fn a_cell_edge_that_is_not_a_whole_multiple_is_refused() {
    let p = SynthParams {
        cell_m: 1000.0,
        fine_cell_m: 300.0,
        ..SynthParams::default()
    };
    let Err(e) = synthesize(&data(), &p) else {
        panic!("a 300 m fine cell in a 1 km cell was accepted");
    };
    let e = e.to_string();
    assert!(e.contains("whole multiple"), "{e}");
}

#[test]
fn written_tenants_follow_the_grammar() {
    let s = committed();
    let v: serde_json::Value = serde_json::from_str(file(s, "sites_existing.geojson")).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), s.existing.len());
    for f in features {
        let p = &f["properties"];
        let tenants: Vec<&str> = p["tenants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let parsed = parse_tenants(&tenants).unwrap_or_else(|e| panic!("{}: {e}", p["site_id"]));
        assert!(!parsed.is_empty());
        let cap = p["capacity"].as_u64().unwrap() as usize;
        assert!((1..=3).contains(&cap) && parsed.len() <= cap, "{p}");
        let indoor = p["kind"] == "indoor";
        assert_eq!(indoor, p["venue"].is_string(), "{p}");
        assert_eq!(indoor, p["footprint_m"].is_number(), "{p}");
    }
    let c: serde_json::Value = serde_json::from_str(file(s, "candidates.geojson")).unwrap();
    for f in c["features"].as_array().unwrap() {
        let p = &f["properties"];
        assert!(p.get("tenants").is_none(), "{p}");
        let id = p["site_id"].as_str().unwrap();
        assert_eq!(id.starts_with('I'), p["kind"] == "indoor", "{p}");
    }
}

#[test]
fn existing_sites_meet_the_calibrated_figures() {
    let f = SiteFigures::of(&committed().existing);
    assert_eq!(f.sites, 27_800);
    // About 15% shared (China Tower: 14.3% nationally at the start of 2015).
    assert!(
        (f.shared_share() - 0.15).abs() < 0.01,
        "{}",
        f.shared_share()
    );
    // Shared towers (ground and rooftop): 3,836 before China Tower's branch.
    let towers = f.shared_by_kind.get("ground_tower").unwrap_or(&0)
        + f.shared_by_kind.get("rooftop").unwrap_or(&0);
    assert!((towers as f64 / 3836.0 - 1.0).abs() < 0.05, "{towers}");
    // Most shared sites have two tenants.
    assert!(f.by_tenants[2] * 5 < f.by_tenants[1]);
    assert!(
        (f.tenancy_ratio() - 1.165).abs() < 0.02,
        "{}",
        f.tenancy_ratio()
    );
    // Operators' shares of tenancies.
    let t: usize = f.tenancies.iter().sum();
    for (op, share) in siting_synth::sites::OPERATOR_SHARES.iter().enumerate() {
        let got = f.tenancies[op] as f64 / t as f64;
        assert!((got - share).abs() < 0.015, "operator {op}: {got}");
    }
    // (site, operator, technology) units: about the 63,270 base stations.
    assert!(
        (f.total_units() as f64 / 63_270.0 - 1.0).abs() < 0.03,
        "{}",
        f.total_units()
    );
    // 4G: China Mobile on most of its sites, the trial networks on a few.
    assert!(
        f.units[0][2] > 10_000 && f.units[0][2] < 14_000,
        "{:?}",
        f.units
    );
    assert!(
        f.units[1][2] > 500 && f.units[1][2] < 3_000,
        "{:?}",
        f.units
    );
    assert!(
        f.units[2][2] > 300 && f.units[2][2] < 2_000,
        "{:?}",
        f.units
    );
    // Every kind is there.
    for k in ["ground_tower", "rooftop", "street_pole", "indoor"] {
        assert!(f.by_kind.get(k).copied().unwrap_or(0) > 100, "{k}");
    }
}

/// Same inputs and seed, same bytes: what this (debug) build makes is what
/// the release build wrote into `data/chongqing/` (once the committed layers
/// are regenerated with `cargo run --release -- synth`).
#[test]
fn the_same_seed_builds_the_same_bytes() {
    for (n, text) in &committed().files {
        let on_disk = std::fs::read_to_string(data().join(n)).unwrap();
        assert!(*text == on_disk, "{n} differs from the committed layer");
    }
    let other = coarser(7);
    assert!(file(&other, "sites_existing.geojson") != file(committed(), "sites_existing.geojson"));
    // The demand grid does not depend on the seed.
    assert!(file(&other, "demand.geojson") == file(coarse_2015(), "demand.geojson"));
}
