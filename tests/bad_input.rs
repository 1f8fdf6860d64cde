//! Bad input stops the run before any output, with a message that names the
//! file, the feature and the problem, and a non-zero exit code.

mod common;

use common::{plan, small_copy};
use std::fs;
use std::path::Path;

/// Applies `edit` to `file` in a copy of the small fixture, runs the plan, and
/// checks the failure: non-zero exit, no panic, no output, and every `want`
/// fragment in the message.
fn fails(file: &str, edit: impl FnOnce(String) -> String, want: &[&str]) {
    let dir = small_copy();
    let path = dir.path().join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, edit(text)).unwrap();
    let out = dir.path().join("out");
    let o = plan(&dir.path().join("plan.toml"), &out, &["-q"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for w in want {
        assert!(stderr.contains(w), "message lacks {w:?}: {stderr}");
    }
    assert!(
        !out.exists() || fs::read_dir(&out).unwrap().next().is_none(),
        "output written"
    );
}

#[test]
fn missing_layer_file() {
    fails(
        "plan.toml",
        |t| t.replace("\"zones.geojson\"", "\"nowhere.geojson\""),
        &["nowhere.geojson", "cannot read"],
    );
}

#[test]
fn missing_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let o = plan(
        &dir.path().join("absent.toml"),
        &dir.path().join("out"),
        &["-q"],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr.contains("absent.toml") && stderr.contains("cannot read"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn malformed_geojson() {
    fails(
        "demand.geojson",
        |t| t[..t.len() / 2].to_string(),
        &["demand.geojson", "malformed GeoJSON"],
    );
}

#[test]
fn feature_without_geometry() {
    fails(
        "candidates.geojson",
        |t| {
            t.replacen(
                r#""geometry":{"type":"Point","coordinates":[106.56,29.52]}"#,
                r#""geometry":null"#,
                1,
            )
        },
        &[
            "candidates.geojson",
            "feature #4 (site_id=G01)",
            "no geometry",
        ],
    );
}

#[test]
fn missing_required_property() {
    fails(
        "demand.geojson",
        |t| t.replacen(r#"{"weight":"#, r#"{"w":"#, 1),
        &[
            "demand.geojson",
            "feature #0",
            "missing required property \"weight\"",
        ],
    );
}

#[test]
fn wrong_property_type() {
    fails(
        "sites_existing.geojson",
        |t| t.replacen(r#""capacity":3"#, r#""capacity":"three""#, 1),
        &[
            "sites_existing.geojson",
            "feature #0 (site_id=E01)",
            "\"capacity\" must be a number",
        ],
    );
}

#[test]
fn latitude_out_of_range() {
    fails(
        "sites_existing.geojson",
        |t| t.replacen("[106.43,29.54]", "[29.54,106.43]", 1),
        &[
            "sites_existing.geojson",
            "feature #0 (site_id=E01)",
            "latitude 106.43 outside -90..90",
        ],
    );
}

#[test]
fn duplicate_site_id() {
    fails(
        "candidates.geojson",
        |t| t.replacen(r#""site_id":"G01""#, r#""site_id":"E04""#, 1),
        &[
            "candidates.geojson",
            "feature #4",
            "duplicate site id \"E04\"",
            "sites_existing.geojson",
        ],
    );
}

#[test]
fn unknown_zone_class() {
    fails(
        "zones.geojson",
        |t| t.replacen(r#""class":"scenic""#, r#""class":"park""#, 1),
        &["zones.geojson", "feature #0", "unknown zone class \"park\""],
    );
}

#[test]
fn site_outside_every_district() {
    fails(
        "candidates.geojson",
        |t| t.replacen("[106.56,29.52]", "[107.56,29.52]", 1),
        &[
            "candidates.geojson",
            "feature #4 (site_id=G01)",
            "outside every district",
        ],
    );
}

#[test]
fn config_errors() {
    fails(
        "plan.toml",
        |t| t.replace("seed = 2015", "seed = \"x\""),
        &["plan.toml", "seed"],
    );
    fails(
        "plan.toml",
        |t| t.replace("[area]", "[area]\ncolour = 1"),
        &["plan.toml", "unknown field `colour`"],
    );
    fails(
        "plan.toml",
        |t| t.replace("main_urban_min_share = 0.95", "main_urban_min_share = 1.5"),
        &[
            "plan.toml",
            "targets.main_urban_min_share 1.5 is outside 0..1",
        ],
    );
    fails(
        "plan.toml",
        |t| t.replace("min_sharing_rate = 0.55", "min_sharing_rate = nan"),
        &["plan.toml", "targets.min_sharing_rate NaN is outside 0..1"],
    );
    fails(
        "plan.toml",
        |t| t.replace("overlay_yuan = 20000.0", "overlay_yuan = -1.0"),
        &[
            "plan.toml",
            "costs.overlay_yuan -1 must be a number of yuan",
        ],
    );
    fails(
        "plan.toml",
        |t| t.replace("rooftop = 150000.0", "rooftop = nan"),
        &["plan.toml", "costs.build_yuan.rooftop"],
    );
    fails(
        "plan.toml",
        |t| {
            t.replace(
                "main_urban_adcodes = [\"500901\"]",
                "main_urban_adcodes = [\"500999\"]",
            )
        },
        &[
            "plan.toml",
            "area.main_urban_adcodes",
            "\"500999\" is not the adcode of any district",
            "districts.geojson",
        ],
    );
    fails(
        "plan.toml",
        |t| t.replace("[environment]", "[environment]\ndefault_cell_m = 0.0"),
        &[
            "plan.toml",
            "environment.default_cell_m 0 must be a positive number",
        ],
    );
    fails(
        "plan.toml",
        |t| {
            t.replace(
                "years = [2015, 2016, 2017]",
                "years = [2015, 2016, 2017]\nshares = [0.34, 0.33, 0.33]",
            )
        },
        &["plan.toml", "phases.shares is no longer read", "from need"],
    );
    fails(
        "plan.toml",
        |t| t.replace("main_urban_by = 2015", "main_urban_by = 2014"),
        &[
            "plan.toml",
            "phases.main_urban_by = 2014 is not one of the plan's years",
        ],
    );
    fails(
        "plan.toml",
        |t| t.replace("metric_crs = \"auto\"", "metric_crs = \"EPSG:999999\""),
        &["EPSG:999999"],
    );
}

#[test]
fn a_mode_without_its_parameter() {
    fails(
        "plan.toml",
        |t| t.replace("mode = \"targets\"", "mode = \"budget\""),
        &[
            "plan.toml",
            "objective.mode = \"budget\" needs objective.budget_yuan",
        ],
    );
    fails(
        "plan.toml",
        |t| t.replace("mode = \"targets\"", "mode = \"sites\""),
        &[
            "plan.toml",
            "objective.mode = \"sites\" needs objective.new_sites",
        ],
    );
    fails(
        "plan.toml",
        |t| t.replace("mode = \"targets\"", "mode = \"fastest\""),
        &[
            "plan.toml",
            "unknown variant `fastest`",
            "targets",
            "budget",
            "sites",
        ],
    );
    fails(
        "plan.toml",
        |t| {
            t.replace(
                "mode = \"targets\"",
                "mode = \"budget\"\nbudget_yuan = -5.0",
            )
        },
        &["plan.toml", "objective.budget_yuan -5"],
    );
    fails(
        "plan.toml",
        |t| t.replace("mode = \"targets\"", "mode = \"targets\"\nnew_sites = 5"),
        &[
            "plan.toml",
            "objective.new_sites applies to mode = \"sites\" only",
        ],
    );
}

#[test]
fn malformed_technologies_or_tenants() {
    fails(
        "sites_existing.geojson",
        |t| t.replacen("\"CMCC:2G+3G\"", "\"CMCC:2G+3.5G\"", 1),
        &[
            "sites_existing.geojson",
            "feature #0 (site_id=E01)",
            "unknown technology \"3.5G\" (expected 2G, 3G or 4G)",
        ],
    );
    fails(
        "sites_existing.geojson",
        |t| t.replacen("\"CMCC:2G+3G\"", "\"CMCC\"", 1),
        &[
            "sites_existing.geojson",
            "feature #0 (site_id=E01)",
            "CMCC names no technologies",
            "site_defaults.technologies",
        ],
    );
    fails(
        "sites_existing.geojson",
        |t| t.replacen("\"CMCC:2G+3G\"", "\"CMCC:2G+3G\",\"CMCC:4G\"", 1),
        &["feature #0 (site_id=E01)", "lists CMCC twice"],
    );
    fails(
        "sites_existing.geojson",
        |t| t.replacen("[\"CMCC:2G+3G\"]", "7", 1),
        &[
            "feature #0 (site_id=E01)",
            "\"tenants\" must be a list of strings",
        ],
    );
    fails(
        "plan.toml",
        |t| {
            t.replace(
                "[site_defaults]",
                "[site_defaults]\ntechnologies = \"2G+6G\"",
            )
        },
        &[
            "plan.toml",
            "site_defaults.technologies",
            "unknown technology \"6G\"",
        ],
    );
}

#[test]
fn never_overwrites_an_input() {
    let dir = small_copy();
    let keep = fs::read(dir.path().join("demand.geojson")).unwrap();
    fs::copy(
        dir.path().join("demand.geojson"),
        dir.path().join("plan.geojson"),
    )
    .unwrap();
    let cfg = fs::read_to_string(dir.path().join("plan.toml"))
        .unwrap()
        .replace("\"demand.geojson\"", "\"plan.geojson\"");
    fs::write(dir.path().join("plan.toml"), cfg).unwrap();
    let o = plan(&dir.path().join("plan.toml"), dir.path(), &["-q"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("refusing to overwrite"));
    assert_eq!(fs::read(dir.path().join("plan.geojson")).unwrap(), keep);
    assert!(!Path::new(&dir.path().join("report.md")).exists());
}

#[test]
fn malformed_dem() {
    let dir = small_copy();
    fs::write(
        dir.path().join("dem.asc"),
        "ncols 2\nnrows 2\nxllcorner 106\nyllcorner 29\ncellsize 1\n1 2 3\n",
    )
    .unwrap();
    let cfg = fs::read_to_string(dir.path().join("plan.toml")).unwrap()
        + "\n[terrain]\ndem = \"dem.asc\"\n";
    fs::write(dir.path().join("plan.toml"), cfg).unwrap();
    let out = dir.path().join("out");
    let o = plan(&dir.path().join("plan.toml"), &out, &["-q"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("dem.asc") && stderr.contains("3 values for a 2 × 2 grid"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn dem_that_misses_the_area() {
    let dir = small_copy();
    fs::write(
        dir.path().join("dem.asc"),
        "ncols 1\nnrows 1\nxllcorner 100\nyllcorner 20\ncellsize 1\n500\n",
    )
    .unwrap();
    let cfg = fs::read_to_string(dir.path().join("plan.toml")).unwrap()
        + "\n[terrain]\ndem = \"dem.asc\"\n";
    fs::write(dir.path().join("plan.toml"), cfg).unwrap();
    let o = plan(
        &dir.path().join("plan.toml"),
        &dir.path().join("out"),
        &["-q"],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("dem.asc") && stderr.contains("has no height for site E01"),
        "{stderr}"
    );
}

#[test]
fn unknown_band_preset() {
    fails(
        "plan.toml",
        |t| t.replace("[radio.CMCC]\n", "[radio.CMCC]\npreset = \"cmcc-b7\"\n"),
        &[
            "plan.toml",
            "[radio.CMCC]",
            "unknown band preset \"cmcc-b7\"",
            "cmcc-b39",
        ],
    );
}

#[test]
fn another_operators_band_preset() {
    fails(
        "plan.toml",
        |t| t.replace("[radio.CUCC]\n", "[radio.CUCC]\npreset = \"ctcc-b3\"\n"),
        &["[radio.CUCC]", "\"ctcc-b3\" is CTCC's licence, not CUCC's"],
    );
}

#[test]
fn inline_band_and_band_list_together() {
    fails(
        "plan.toml",
        |t| {
            t.replace(
                "[radio.CTCC]\n",
                "[radio.CTCC]\nbands = [{ preset = \"ctcc-b1\" }]\n",
            )
        },
        &["plan.toml", "radio.CTCC", "not both"],
    );
}

#[test]
fn band_without_frequency_or_preset() {
    fails(
        "plan.toml",
        |t| t.replace("freq_mhz = 1890.0\n", ""),
        &["[radio.CMCC]", "freq_mhz is missing", "siting bands"],
    );
}

#[test]
fn model_option_the_model_does_not_read() {
    fails(
        "plan.toml",
        |t| {
            t.replacen(
                "[radio.CUCC.environments.urban]\nmodel = \"3gpp-uma-nlos\"\n",
                "[radio.CUCC.environments.urban]\nmodel = \"3gpp-uma-nlos\"\nstreet_width_m = 30.0\n",
                1,
            )
        },
        &[
            "[radio.CUCC] environments.urban",
            "street_width_m does not apply to 3gpp-uma-nlos",
        ],
    );
    fails(
        "plan.toml",
        |t| {
            t.replacen(
                "model = \"cost231-hata\"\n",
                "model = \"cost231-hata\"\nhata_environment = \"open\"\n",
                1,
            )
        },
        &[
            "[radio.CMCC] environments.suburban",
            "no open-area correction",
        ],
    );
}

/// A candidate whose id is the one the run gives a search-ring tower is
/// refused when the tower is added, naming the candidates file and the id
/// (however many sites the layers hold, the check is a look-up).
#[test]
fn a_candidate_with_a_ring_towers_id_is_refused_when_the_tower_comes() {
    use siting_engine::prepare::prepare;
    use siting_engine::run::{cover, load, rings};
    use siting_model::OperatorSet;

    let dir = small_copy();
    let path = dir.path().join("candidates.geojson");
    let text = fs::read_to_string(&path).unwrap();
    let text = text.replacen("\"site_id\":\"T500901001\"", "\"site_id\":\"ring-001\"", 1);
    assert!(text.contains("ring-001"));
    fs::write(&path, text).unwrap();
    let config = dir.path().join("plan.toml");
    let text = fs::read_to_string(&config).unwrap().replace(
        "[objective]\nmode = \"targets\"",
        "[objective]\nmode = \"targets\"\nsearch_rings = true",
    );
    fs::write(&config, text).unwrap();
    let source = siting_engine::ConfigSource::File(config);
    let loaded = load(&source, None).expect("layers");
    assert!(loaded.cfg.objective.search_rings);
    let mut prep = prepare(&loaded.cfg, &loaded.config_file, &loaded.raw).expect("prepare");
    let mut covered = cover(&loaded, &prep);
    let all = OperatorSet::from_bits(0b111);
    let cells: Vec<(u32, OperatorSet)> = (0..prep.items.cells as u32)
        .step_by(7)
        .take(8)
        .map(|d| (d, all))
        .collect();
    let e = rings(&loaded, &mut prep, &mut covered, &cells, 1)
        .expect_err("the tower's id is taken")
        .to_string();
    assert!(
        e.contains("candidates.geojson") && e.contains("\"ring-001\""),
        "{e}"
    );
}
