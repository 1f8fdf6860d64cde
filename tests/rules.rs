//! The rule book and `siting check`: a plan passes the independent check, an
//! edited plan fails it on exactly the edited site, a book from a file
//! switches rules, bad books and invalid zone polygons are refused, and
//! `siting emf-distance` gives GB 8702-2014's distances.

mod common;

use common::{json, plan, siting, small_copy};
use serde_json::Value;
use std::path::Path;

/// The shipped rule book's text.
fn shipped_book() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/rules/chongqing-2016.toml"),
    )
    .unwrap()
}

/// `book` with rule `id` switched off.
fn book_without(book: &str, id: &str) -> String {
    let rule = book.find(&format!("id = \"{id}\"")).unwrap();
    let at = rule + book[rule..].find("enabled = true").unwrap();
    let mut off = book.to_string();
    off.replace_range(at..at + "enabled = true".len(), "enabled = false");
    off
}

fn check(config: &Path, plan_dir: &Path) -> std::process::Output {
    siting()
        .args(["-q", "check", "--json", "--config"])
        .arg(config)
        .arg("--plan")
        .arg(plan_dir)
        .output()
        .unwrap()
}

/// Adds a heritage zone in an empty corner of the fixture's second district.
fn add_heritage(dir: &Path) {
    let path = dir.join("zones.geojson");
    let mut z = json(&path);
    z["features"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "type": "Feature",
            "properties": {"id": "heritage-1", "class": "heritage", "name": "古镇"},
            "geometry": {"type": "Polygon", "coordinates": [[
                [106.52, 29.57], [106.54, 29.57], [106.54, 29.59], [106.52, 29.59], [106.52, 29.57]
            ]]}
        }));
    std::fs::write(&path, serde_json::to_string(&z).unwrap()).unwrap();
}

/// Moves one uncamouflaged municipal site of the plan in `out` into the
/// zone [`add_heritage`] adds; its id.
fn move_into_heritage(out: &Path) -> String {
    let path = out.join("plan.geojson");
    let mut p = json(&path);
    let f = p["features"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| {
            f["properties"]["camouflage"] == false
                && f["properties"]["eia_authority"] == "重庆市环境保护局"
                && f["properties"]["adcode"] == "500902"
        })
        .expect("a site to move");
    let id = f["properties"]["site_id"].as_str().unwrap().to_string();
    f["geometry"]["coordinates"] = serde_json::json!([106.53, 29.58]);
    std::fs::write(&path, serde_json::to_string(&p).unwrap()).unwrap();
    id
}

#[test]
fn a_plan_passes_the_check_and_a_site_moved_into_a_heritage_zone_fails_it_on_r3() {
    let dir = small_copy();
    add_heritage(dir.path());
    let cfg = dir.path().join("plan.toml");
    let out = dir.path().join("out");
    let o = plan(&cfg, &out, &["-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = check(&cfg, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(c["violations"], serde_json::json!([]));
    assert!(c["checks"].as_u64().unwrap() > c["sites"].as_u64().unwrap());

    let id = move_into_heritage(&out);
    let o = check(&cfg, &out);
    assert!(!o.status.success());
    let c: Value = serde_json::from_slice(&o.stdout).unwrap();
    let v = c["violations"].as_array().unwrap();
    assert!(!v.is_empty());
    assert!(v.iter().all(|v| v["site_id"] == id.as_str()), "{v:?}");
    assert!(
        v.iter()
            .any(|v| v["rule"] == "R3" && v["why"].as_str().unwrap().contains("not camouflaged")),
        "{v:?}"
    );
}

/// `siting plan`'s check, which starts from the layers the run read and
/// prepared before planning, judges a plan as `siting check` reading the
/// files afresh does: the same report for the plan as written and for one
/// with a site moved into a heritage zone.
#[test]
fn the_check_from_the_runs_layers_equals_the_check_from_the_files() {
    let dir = small_copy();
    add_heritage(dir.path());
    let source = siting_engine::ConfigSource::File(dir.path().join("plan.toml"));
    let options = siting_engine::RunOptions {
        keep_for_check: true,
        ..Default::default()
    };
    let run = siting_engine::run_with(&source, &options, &siting_engine::Silent).unwrap();
    let out = dir.path().join("out");
    siting_engine::write(&run, &out).unwrap();
    let before = run.before_plan.clone().expect("the layers kept");
    let kept = siting_engine::check_prepared(&before, &out).unwrap();
    assert_eq!(kept, siting_engine::check(&source, &out).unwrap());
    assert!(kept.violations.is_empty(), "{:?}", kept.violations);
    assert!(kept.checks > kept.sites);

    move_into_heritage(&out);
    let kept = siting_engine::check_prepared(&before, &out).unwrap();
    assert!(!kept.violations.is_empty());
    assert_eq!(kept, siting_engine::check(&source, &out).unwrap());
}

#[test]
fn a_book_from_a_file_switches_a_rule_and_a_bad_book_is_named() {
    let dir = small_copy();
    add_heritage(dir.path());
    let shipped = shipped_book();
    std::fs::write(dir.path().join("book.toml"), book_without(&shipped, "R8")).unwrap();
    let cfg = dir.path().join("plan.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, format!("{text}\n[rules]\nbook = \"book.toml\"\n")).unwrap();
    let out = dir.path().join("out");
    let o = plan(&cfg, &out, &["-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = json(&out.join("plan.geojson"));
    assert!(p["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["planning_approval"] == false
            && !f["properties"]["rules"]
                .as_array()
                .unwrap()
                .contains(&"R8".into())));

    std::fs::write(
        dir.path().join("book.toml"),
        shipped.replacen("id = \"R10\"", "id = \"R13\"", 1),
    )
    .unwrap();
    let o = plan(&cfg, &dir.path().join("out2"), &["-q"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("book.toml") && err.contains("unknown rule id \"R13\""),
        "{err}"
    );
}

#[test]
fn an_invalid_zone_polygon_is_refused_with_its_file_and_feature() {
    for (ring, problem) in [
        (
            serde_json::json!([
                [106.52, 29.57],
                [106.54, 29.57],
                [106.54, 29.59],
                [106.52, 29.59]
            ]),
            "not closed",
        ),
        (
            serde_json::json!([
                [106.52, 29.57],
                [106.54, 29.59],
                [106.54, 29.57],
                [106.52, 29.59],
                [106.52, 29.57]
            ]),
            "self-intersection",
        ),
    ] {
        let dir = small_copy();
        let path = dir.path().join("zones.geojson");
        let mut z = json(&path);
        z["features"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "type": "Feature",
                "properties": {"id": "bad-1", "class": "heritage"},
                "geometry": {"type": "Polygon", "coordinates": [ring]}
            }));
        std::fs::write(&path, serde_json::to_string(&z).unwrap()).unwrap();
        let o = plan(
            &dir.path().join("plan.toml"),
            &dir.path().join("out"),
            &["-q"],
        );
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("zones.geojson") && err.contains("bad-1") && err.contains(problem),
            "{err}"
        );
        assert!(!dir.path().join("out/plan.geojson").exists());
    }
}

#[test]
fn emf_distance_follows_gb_8702_2014() {
    let run = |args: &[&str]| -> Value {
        let o = siting()
            .args(["emf-distance", "--json"])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    // 2 kW at 1.8 GHz against 1/5 of 0.4 W/m²: √(2000 / (4π·0.08)) = 44.6 m.
    let v = run(&["--eirp-w", "2000", "--freq-mhz", "1800"]);
    assert!(
        (v["distance_m"].as_f64().unwrap() - 44.60).abs() < 0.01,
        "{v}"
    );
    assert!((v["limit_w_m2"].as_f64().unwrap() - 0.08).abs() < 1e-12);
    // 3.5 GHz: f/7500 W/m²; the full limit with --site-fraction 1.
    let v = run(&[
        "--eirp-w",
        "2000",
        "--freq-mhz",
        "3500",
        "--site-fraction",
        "1",
    ]);
    let limit = 3500.0 / 7500.0;
    assert!((v["limit_w_m2"].as_f64().unwrap() - limit).abs() < 1e-12);
    let d = (2000.0 / (4.0 * std::f64::consts::PI * limit)).sqrt();
    assert!((v["distance_m"].as_f64().unwrap() - d).abs() < 1e-9);
    let o = siting()
        .args(["emf-distance", "--eirp-w", "100", "--freq-mhz", "0.01"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("outside 0.1 MHz–300 GHz"));
}

#[test]
fn a_field_a_shapefile_cut_short_is_named_with_the_mapping_that_supplies_it() {
    let dir = small_copy();
    // A Shapefile stores a missing number as 0: give every candidate its
    // height and leave footprints to the config's default, so that only
    // the rules' fields are cut.
    let path = dir.path().join("candidates.geojson");
    let mut c = json(&path);
    for f in c["features"].as_array_mut().unwrap() {
        let p = f["properties"].as_object_mut().unwrap();
        p.remove("footprint_m");
        p.entry("height_m").or_insert(serde_json::json!(20.0));
    }
    std::fs::write(&path, serde_json::to_string(&c).unwrap()).unwrap();
    let o = siting()
        .args(["-q", "convert", "--to", "EPSG:4326"])
        .arg(dir.path().join("candidates.geojson"))
        .arg(dir.path().join("candidates.shp"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cfg = dir.path().join("plan.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace(
            "candidates = \"candidates.geojson\"",
            "candidates = \"candidates.shp\"",
        ),
    )
    .unwrap();
    let o = plan(&cfg, &dir.path().join("out"), &["-q"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("candidates.shp")
            && err.contains("\"public_bui\"")
            && err.contains("fields = { public_building = \"public_bui\" }"),
        "{err}"
    );
    // With the mapping, the plan runs.
    std::fs::write(
        &cfg,
        text.replace(
            "candidates = \"candidates.geojson\"",
            "candidates = { path = \"candidates.shp\", fields = { public_building = \"public_bui\", load_capacity_kg = \"load_capac\" } }",
        ),
    )
    .unwrap();
    let o = plan(&cfg, &dir.path().join("out"), &["-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_zone_class_no_layer_provides_is_named_in_the_log_and_the_report() {
    // The fixture has no heritage or nature-reserve zone: R3 names both.
    let dir = small_copy();
    let cfg = dir.path().join("plan.toml");
    let out = dir.path().join("out");
    let o = plan(&cfg, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(
        log.contains("rule R3") && log.contains("zone class heritage"),
        "{log}"
    );
    let report = json(&out.join("report.json"));
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .filter(|n| n.contains("which no zone of"))
        .collect();
    assert!(notes
        .iter()
        .any(|n| n.contains("R3") && n.contains("heritage")));
    assert!(notes
        .iter()
        .any(|n| n.contains("R3") && n.contains("nature_reserve")));
    // Scenic, school, dense residential and Liangjiang zones exist.
    assert!(!notes
        .iter()
        .any(|n| n.contains(" scenic,") || n.contains("liangjiang")));
}

/// The fixture's plan.toml with the developments layer (R10) named.
fn with_developments(dir: &Path) -> std::path::PathBuf {
    let cfg = dir.join("plan.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(
        &cfg,
        text.replace(
            "zones = \"zones.geojson\"",
            "zones = \"zones.geojson\"\ndevelopments = \"developments.geojson\"",
        ),
    )
    .unwrap();
    cfg
}

fn residents(report: &Value) -> f64 {
    report["by_district"]
        .as_object()
        .unwrap()
        .values()
        .map(|d| d["residents"].as_f64().unwrap())
        .sum()
}

#[test]
fn r10_developments_add_demand_and_candidates_and_nothing_when_off() {
    let dir = small_copy();
    let plain = dir.path().join("plain");
    let o = plan(&dir.path().join("plan.toml"), &plain, &["-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let cfg = with_developments(dir.path());
    let out = dir.path().join("out");
    let o = plan(&cfg, &out, &["-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&out.join("report.json"));
    // The two developments' 40,000 and 3,000 residents are demand now.
    let added = residents(&r) - residents(&json(&plain.join("report.json")));
    assert!((added - 43_000.0).abs() < 1e-6, "{added}");
    assert!(r["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["layer"] == "developments"));
    // The commercial centre's indoor system serves its 40,000: in the plan,
    // shaped by R10 (and R11, an indoor system in a listed venue).
    let p = json(&out.join("plan.geojson"));
    let d01 = p["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["site_id"] == "D01")
        .expect("D01 in the plan");
    assert_eq!(d01["properties"]["kind"], "indoor");
    let rules = d01["properties"]["rules"].as_array().unwrap();
    assert!(rules.contains(&"R10".into()) && rules.contains(&"R11".into()));
    let count = r["rule_counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "R10")
        .unwrap();
    assert!(count["sites"].as_u64().unwrap() >= 1);

    // With R10 off in the book, the layer adds nothing, and the log says so.
    std::fs::write(
        dir.path().join("book.toml"),
        book_without(&shipped_book(), "R10"),
    )
    .unwrap();
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, format!("{text}\n[rules]\nbook = \"book.toml\"\n")).unwrap();
    let off_out = dir.path().join("off");
    let o = plan(&cfg, &off_out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("R10 is off"), "{err}");
    let r = json(&off_out.join("report.json"));
    assert!((residents(&r) - residents(&json(&plain.join("report.json")))).abs() < 1e-6);
}

#[test]
fn a_development_of_a_kind_r10_does_not_list_is_named() {
    let dir = small_copy();
    let cfg = with_developments(dir.path());
    let layer = dir.path().join("developments.geojson");
    let text = std::fs::read_to_string(&layer).unwrap();
    std::fs::write(&layer, text.replace("\"development_zone\"", "\"casino\"")).unwrap();
    let o = plan(&cfg, &dir.path().join("out"), &["-q"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    for want in [
        "developments.geojson",
        "feature #1",
        "D02",
        "\"casino\"",
        "R10 lists",
    ] {
        assert!(err.contains(want), "lacks {want}: {err}");
    }
    assert!(!dir.path().join("out").exists());
}

#[test]
fn an_attribute_a_rule_reads_that_sites_lack_is_named_in_the_log_and_the_report() {
    let dir = small_copy();
    let layer = dir.path().join("candidates.geojson");
    let mut fc = json(&layer);
    let mut dropped = 0;
    for f in fc["features"].as_array_mut().unwrap() {
        let p = f["properties"].as_object_mut().unwrap();
        if p.remove("public_building").is_some() {
            dropped += 1;
        }
    }
    assert!(dropped > 0, "the fixture gives public_building");
    std::fs::write(&layer, serde_json::to_string(&fc).unwrap()).unwrap();
    let out = dir.path().join("out");
    let o = plan(&dir.path().join("plan.toml"), &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    let n = fc["features"].as_array().unwrap().len();
    let want = format!(
        "{n} of {}'s features lack \"public_building\", which rule R4 reads",
        layer.display()
    );
    assert!(err.contains(&want), "{want}: {err}");
    let r = json(&out.join("report.json"));
    assert!(
        r["notes"].as_array().unwrap().iter().any(|x| x
            .as_str()
            .unwrap()
            .contains("lack \"public_building\", which rule R4 reads")),
        "{}",
        r["notes"]
    );
}
