//! Traffic and capacity on the small fixture: bad figures are refused by
//! name before anything is written, the demand layer's traffic wins, zero
//! traffic gives the coverage-only plan, and more traffic brings stations
//! for capacity.

mod common;

use common::{json, plan, small_copy};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// The fixture's bands have no preset: their capacity, and a [traffic]
/// table scaled by `mb` (monthly MB per 4G user in 2017).
fn traffic_table(mb: f64) -> String {
    format!(
        r#"
[traffic]
subscriptions_per_resident = 1.0
market_share = {{ CMCC = 0.6, CUCC = 0.25, CTCC = 0.15 }}
lte_share = [0.3, 0.6, 0.7]
monthly_mb_per_user = [{}, {}, {mb}]
busy_hour_share = 0.08
min_served_share = 0.99
served_share_in = "district"

[radio.CMCC.capacity]
bandwidth_mhz = 20.0
downlink_share = 0.643

[radio.CUCC.capacity]
bandwidth_mhz = 10.0
downlink_share = 1.0

[radio.CTCC.capacity]
bandwidth_mhz = 15.0
downlink_share = 1.0
"#,
        mb / 4.0,
        mb / 2.0
    )
}

/// An edit of a fixture file's text.
type Edit = dyn Fn(String) -> String;

/// Runs the fixture with `edits` applied (file, edit); returns the output
/// folder's parent (kept alive) and the run's exit code and stderr.
fn run(edits: &[(&str, &Edit)]) -> (tempfile::TempDir, Option<i32>, String) {
    let dir = small_copy();
    for (file, edit) in edits {
        let path = dir.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, edit(text)).unwrap();
    }
    let out = dir.path().join("out");
    let o = plan(&dir.path().join("plan.toml"), &out, &["-q"]);
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (dir, o.status.code(), stderr)
}

fn refused(edits: &[(&str, &Edit)], want: &[&str]) {
    let (dir, code, stderr) = run(edits);
    assert_eq!(code, Some(1), "{stderr}");
    for w in want {
        assert!(stderr.contains(w), "message lacks {w:?}: {stderr}");
    }
    let out = dir.path().join("out");
    assert!(
        !out.exists() || fs::read_dir(&out).unwrap().next().is_none(),
        "output written"
    );
}

fn with_traffic(t: String) -> String {
    format!("{t}{}", traffic_table(1775.0))
}

#[test]
fn bad_traffic_figures_are_refused_by_key() {
    let cases: [(&Edit, &[&str]); 8] = [
        (
            &|t: String| {
                with_traffic(t).replace(
                    "subscriptions_per_resident = 1.0",
                    "subscriptions_per_resident = -1.0",
                )
            },
            &["plan.toml", "traffic.subscriptions_per_resident -1"],
        ),
        (
            &|t: String| with_traffic(t).replace("busy_hour_share = 0.08", "busy_hour_share = nan"),
            &["plan.toml", "traffic.busy_hour_share NaN is outside 0..1"],
        ),
        (
            &|t: String| with_traffic(t).replace("CMCC = 0.6,", "CMCC = 1.2,"),
            &["plan.toml", "traffic.market_share.CMCC 1.2 is outside 0..1"],
        ),
        (
            &|t: String| {
                with_traffic(t).replace("lte_share = [0.3, 0.6, 0.7]", "lte_share = [0.3, 0.6]")
            },
            &[
                "plan.toml",
                "traffic.lte_share has 2 figures but the plan has 3 years",
            ],
        ),
        (
            &|t: String| {
                with_traffic(t).replace(
                    "min_served_share = 0.99",
                    "min_served_share = [0.9, 0.95, 1.5]",
                )
            },
            &["plan.toml", "traffic.min_served_share 1.5 is outside 0..1"],
        ),
        (
            &|t: String| {
                with_traffic(t).replace("monthly_mb_per_user = [", "monthly_mb_per_user = [-5.0, ")
            },
            &["plan.toml", "traffic.monthly_mb_per_user"],
        ),
        (
            &|t: String| {
                with_traffic(t).replace("bandwidth_mhz = 10.0", "bandwidth_mhz = 10.0\nsectors = 0")
            },
            &[
                "plan.toml",
                "[radio.CUCC] capacity.sectors = 0",
                "from 1 to 12",
            ],
        ),
        (
            &|t: String| {
                with_traffic(t).replace(
                    "[radio.CTCC.capacity]\nbandwidth_mhz = 15.0\n",
                    "[radio.CTCC.capacity]\n",
                )
            },
            &["plan.toml", "[radio.CTCC]", "needs capacity.bandwidth_mhz"],
        ),
    ];
    for (edit, want) in cases {
        refused(&[("plan.toml", edit)], want);
    }
}

/// The first demand feature's properties get `extra`.
fn demand_edit(extra: &'static str) -> impl Fn(String) -> String {
    move |t: String| t.replacen("\"properties\":{", &format!("\"properties\":{{{extra}"), 1)
}

#[test]
fn bad_traffic_properties_are_refused_by_feature() {
    refused(
        &[
            ("plan.toml", &with_traffic),
            (
                "demand.geojson",
                &demand_edit("\"traffic_mbps_2016\":\"lots\","),
            ),
        ],
        &[
            "demand.geojson",
            "feature #0",
            "\"traffic_mbps_2016\" must be a number, found a string",
        ],
    );
    refused(
        &[
            ("plan.toml", &with_traffic),
            (
                "demand.geojson",
                &demand_edit("\"traffic_mbps_2016\":-1.0,"),
            ),
        ],
        &["demand.geojson", "feature #0", "negative"],
    );
    refused(
        &[
            ("plan.toml", &with_traffic),
            ("demand.geojson", &demand_edit("\"traffic_mbps_2014\":1.0,")),
        ],
        &[
            "demand.geojson",
            "feature #0",
            "2014 is outside the plan's years",
        ],
    );
    refused(
        &[
            ("plan.toml", &with_traffic),
            ("demand.geojson", &demand_edit("\"traffic_mbps_2016\":1.0,")),
        ],
        &["demand.geojson", "feature #0", "no traffic_mbps_2015"],
    );
    refused(
        &[("demand.geojson", &demand_edit("\"traffic_mbps_2016\":1.0,"))],
        &[
            "plan.toml",
            "demand.geojson gives traffic_mbps_YYYY",
            "no [traffic] table",
        ],
    );
}

fn stations(plan: &Value) -> Vec<(String, Value, Value)> {
    let mut v: Vec<(String, Value, Value)> = plan["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["site_id"].as_str().unwrap().to_string(),
                p["stations_added"].clone(),
                p["station_phases"].clone(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn capacity_stations(plan: &Value) -> Vec<(String, String, u64)> {
    let mut v = Vec::new();
    for f in plan["features"].as_array().unwrap() {
        let p = &f["properties"];
        for (op, r) in p["station_reasons"].as_object().unwrap() {
            if r == "capacity" {
                v.push((
                    p["site_id"].as_str().unwrap().to_string(),
                    op.clone(),
                    p["station_phases"][op].as_u64().unwrap(),
                ));
            }
        }
    }
    v
}

fn outputs(dir: &Path) -> (Value, Value) {
    (
        json(&dir.join("out/plan.geojson")),
        json(&dir.join("out/report.json")),
    )
}

#[test]
fn zero_traffic_is_the_coverage_plan_and_more_traffic_adds_capacity() {
    let (plain, code, e) = run(&[]);
    assert_eq!(code, Some(0), "{e}");
    let (zero, code, e) = run(&[("plan.toml", &|t| format!("{t}{}", traffic_table(0.0)))]);
    assert_eq!(code, Some(0), "{e}");
    let (heavy_dir, code, e) =
        run(&[("plan.toml", &|t| format!("{t}{}", traffic_table(60_000.0)))]);
    assert_eq!(code, Some(0), "{e}");
    let (plain, _) = outputs(plain.path());
    let (zero, zero_r) = outputs(zero.path());
    let (heavy, heavy_r) = outputs(heavy_dir.path());
    assert_eq!(stations(&plain), stations(&zero));
    assert!(capacity_stations(&zero).is_empty());
    assert_eq!(zero_r["traffic"]["capacity_stations"], 0);
    // Heavy traffic: stations placed for capacity, never before their load
    // needs them, and each one carrying traffic in its year.
    let cap = capacity_stations(&heavy);
    assert!(!cap.is_empty(), "no capacity station under heavy traffic");
    assert!(stations(&heavy).len() >= stations(&plain).len());
    for f in heavy["features"].as_array().unwrap() {
        let p = &f["properties"];
        for (op, r) in p["station_reasons"].as_object().unwrap() {
            let year = p["station_phases"][op].as_u64().unwrap();
            if r == "capacity" {
                assert_eq!(p["station_drivers"][op], "load");
                let t = p["offered_mbps"][op][year.to_string()].as_f64().unwrap();
                assert!(t > 0.0, "{} carries nothing in {year}", p["site_id"]);
            }
        }
    }
    let rows = heavy_r["traffic"]["per_operator"]["CMCC"]
        .as_array()
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows[2]["covered_mbps"].as_f64() > rows[0]["covered_mbps"].as_f64());
    let md = fs::read_to_string(heavy_dir.path().join("out/report.md")).unwrap();
    assert!(md.contains("## Traffic and capacity (busy hour)"));
    // report.html's traffic table holds report.json's figures.
    let html = fs::read_to_string(heavy_dir.path().join("out/report.html")).unwrap();
    let start = html
        .find("<table class=\"traffic\">")
        .expect("traffic table");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    for (op, rows) in heavy_r["traffic"]["per_operator"].as_object().unwrap() {
        for row in rows.as_array().unwrap() {
            let tag = format!("<tr data-key=\"{op} {}\">", row["year"]);
            let at = table.find(&tag).unwrap_or_else(|| panic!("row {tag}"));
            let tr = &table[at..at + table[at..].find("</tr>").unwrap()];
            // serde_json parses floats to within an ulp.
            let figures: Vec<f64> = tr
                .split("data-v=\"")
                .skip(1)
                .filter_map(|x| x[..x.find('"').unwrap()].parse().ok())
                .collect();
            for key in ["covered_mbps", "served_mbps", "served_share"] {
                let want = row[key].as_f64().unwrap();
                assert!(
                    figures
                        .iter()
                        .any(|g| (g - want).abs() <= 1e-12 * want.abs().max(1.0)),
                    "{tag} lacks {key} {want}: {tr}"
                );
            }
        }
    }
}

#[test]
fn the_demand_layers_traffic_wins() {
    let each = |t: String| {
        t.replace(
            "\"properties\":{",
            "\"properties\":{\"traffic_mbps_2015\":0.5,\"traffic_mbps_2016\":1.0,\"traffic_mbps_2017\":2.0,",
        )
    };
    let (dir, code, e) = run(&[
        ("plan.toml", &|t| format!("{t}{}", traffic_table(1775.0))),
        ("demand.geojson", &each),
    ]);
    assert_eq!(code, Some(0), "{e}");
    let (_, r) = outputs(dir.path());
    let t = &r["traffic"];
    assert!(
        t["source"].as_str().unwrap().ends_with("demand.geojson"),
        "{}",
        t["source"]
    );
    // 2 Mbit/s per covered point in 2017, CMCC's 60% of it.
    let demand = json(&dir.path().join("demand.geojson"));
    let n = demand["features"].as_array().unwrap().len() as f64;
    let cmcc = &t["per_operator"]["CMCC"][2];
    let total = cmcc["covered_mbps"].as_f64().unwrap() + cmcc["uncovered_mbps"].as_f64().unwrap();
    assert!(
        (total - 0.6 * 2.0 * n).abs() < 1e-3 * n,
        "{total} vs {}",
        1.2 * n
    );
}

#[test]
fn a_traffic_plan_is_the_same_at_one_and_two_threads() {
    let dir = small_copy();
    let path = dir.path().join("plan.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}{}", traffic_table(60_000.0))).unwrap();
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("out{threads}"));
        let o = plan(&path, &out, &["--threads", threads, "-q"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        files.push((
            fs::read(out.join("plan.geojson")).unwrap(),
            fs::read(out.join("report.md")).unwrap(),
        ));
    }
    assert!(
        files[0] == files[1],
        "plan or report differ between 1 and 2 threads"
    );
}

/// A second round (more ring towers, appended to the model) built from
/// what the first round's instance carries over — R1's blockers, the
/// existing 4G stations, the known sites' path losses — is the instance
/// built afresh, to the last field.
#[test]
fn a_second_round_built_from_the_first_equals_one_built_afresh() {
    use siting_engine::prepare::prepare;
    use siting_engine::problem::{instance, with_capacity};
    use siting_engine::rings::unservable;
    use siting_engine::run::{cover, load, rings};
    use siting_model::OperatorSet;

    let dir = small_copy();
    let config = dir.path().join("plan.toml");
    let text = fs::read_to_string(&config).unwrap().replace(
        "[objective]\nmode = \"targets\"",
        "[objective]\nmode = \"targets\"\nsearch_rings = true",
    );
    fs::write(&config, format!("{text}\n{}", traffic_table(2000.0))).unwrap();
    let source = siting_engine::ConfigSource::File(config);
    let loaded = load(&source, None).expect("layers");
    let cfg = &loaded.cfg;
    assert!(cfg.objective.search_rings && cfg.book.params.r1.is_some());
    let mut prep = prepare(cfg, &loaded.config_file, &loaded.raw).expect("prepare");
    let mut covered = cover(&loaded, &prep);
    let short = unservable(&prep, &covered.sets);
    rings(&loaded, &mut prep, &mut covered, &short, 1).expect("rings");
    let demand = &loaded.raw.demand.file;
    let traffic = siting_engine::traffic::item_traffic(cfg, &loaded.config_file, &prep, demand)
        .expect("traffic")
        .expect("a [traffic] table");
    let mut first = instance(cfg, &prep, &covered.sets, demand, None).expect("instance");
    with_capacity(
        &mut first,
        cfg,
        &prep,
        &loaded.radio,
        &covered.sets,
        Some(&traffic),
        None,
    );
    assert!(first.params.capacity.is_some());
    // The second round: ring towers around some demand cells.
    let all = OperatorSet::from_bits(0b111);
    let more: Vec<(u32, OperatorSet)> = (0..prep.items.cells as u32)
        .step_by(11)
        .take(6)
        .map(|d| (d, all))
        .collect();
    rings(&loaded, &mut prep, &mut covered, &more, 100).expect("rings");
    assert!(
        prep.model.sites.len() > first.model_sites,
        "no tower was added"
    );
    let carry = first.carry();
    let mut reused = instance(cfg, &prep, &covered.sets, demand, Some(&carry)).expect("instance");
    with_capacity(
        &mut reused,
        cfg,
        &prep,
        &loaded.radio,
        &covered.sets,
        Some(&traffic),
        Some(carry),
    );
    let mut fresh = instance(cfg, &prep, &covered.sets, demand, None).expect("instance");
    with_capacity(
        &mut fresh,
        cfg,
        &prep,
        &loaded.radio,
        &covered.sets,
        Some(&traffic),
        None,
    );
    assert!(!fresh.problem.sites.is_empty());
    assert_eq!(reused.blockers, fresh.blockers);
    assert_eq!(reused.choice_site, fresh.choice_site);
    assert_eq!(reused.problem, fresh.problem);
    assert_eq!(reused.params, fresh.params);
}
