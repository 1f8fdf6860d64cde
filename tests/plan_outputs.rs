//! The files a review meeting reads: the approval lists per EIA authority
//! and year, and report.md in residents (per operator, never above a
//! district's residents) with the model-validity warnings in one short table.

mod common;

use common::{fixture, json, plan};
use serde_json::Value;
use std::collections::BTreeMap;

fn run() -> (tempfile::TempDir, Value, Value) {
    let out = tempfile::tempdir().unwrap();
    let o = plan(&fixture("small/plan.toml"), out.path(), &["--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = json(&out.path().join("plan.geojson"));
    let r = json(&out.path().join("report.json"));
    (out, p, r)
}

#[test]
fn approval_lists_match_the_plan() {
    let (out, plan, report) = run();
    // Expected: per (eia_authority, phase), the plan's site ids.
    let mut want: BTreeMap<(String, u64), Vec<String>> = BTreeMap::new();
    for f in plan["features"].as_array().unwrap() {
        let p = &f["properties"];
        want.entry((
            p["eia_authority"].as_str().unwrap().to_string(),
            p["phase"].as_u64().unwrap(),
        ))
        .or_default()
        .push(p["site_id"].as_str().unwrap().to_string());
    }
    assert!(!want.is_empty());
    let listed = report["approvals"].as_array().unwrap();
    assert_eq!(listed.len(), want.len());
    let files: Vec<_> = std::fs::read_dir(out.path().join("approvals"))
        .unwrap()
        .collect();
    assert_eq!(files.len(), want.len(), "one file per authority and year");
    for l in listed {
        let key = (
            l["authority"].as_str().unwrap().to_string(),
            l["year"].as_u64().unwrap(),
        );
        let ids = &want[&key];
        let file = l["file"].as_str().unwrap();
        assert_eq!(file, format!("approvals/{}-{}.csv", key.0, key.1));
        let bytes = std::fs::read(out.path().join(file)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file}: no BOM");
        let mut r = csv::Reader::from_reader(&bytes[3..]);
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        for col in [
            "site_id",
            "district",
            "kind",
            "height_m",
            "eirp_dbm",
            "eirp_w",
            "longitude",
            "latitude",
            "rules",
        ] {
            assert!(header.iter().any(|h| h == col), "{file}: no column {col}");
        }
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len() as u64, l["sites"].as_u64().unwrap());
        let mut got: Vec<String> = rows.iter().map(|row| row[0].to_string()).collect();
        got.sort();
        let mut ids = ids.clone();
        ids.sort();
        assert_eq!(got, ids, "{file}");
        for row in &rows {
            // EIRP in both units agree; positions are WGS84 in Chongqing.
            let dbm: f64 = row[6].parse().unwrap();
            let w: f64 = row[7].parse().unwrap();
            assert!(
                (10f64.powf((dbm - 30.0) / 10.0) - w).abs() < 0.01,
                "{dbm} dBm vs {w} W"
            );
            let lon: f64 = row[8].parse().unwrap();
            assert!((105.0..111.0).contains(&lon));
            assert!(!row[1].is_empty(), "district");
        }
    }
}

/// The cells of the Markdown table under `heading`.
fn table(md: &str, heading: &str) -> Vec<Vec<String>> {
    let at = md.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    md[at..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

fn number(cell: &str) -> f64 {
    cell.replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("{cell:?}"))
}

#[test]
fn report_md_is_in_residents_per_operator() {
    let (out, _plan, report) = run();
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    let rows = table(&md, "## By district or county");
    let header = &rows[0];
    let residents = header.iter().position(|h| h == "residents").unwrap();
    let newly: Vec<usize> = ["CMCC", "CUCC", "CTCC"]
        .iter()
        .map(|op| {
            header
                .iter()
                .position(|h| *h == format!("{op} residents newly covered"))
                .unwrap_or_else(|| panic!("no column for {op}: {header:?}"))
        })
        .collect();
    let mut any = 0.0;
    for row in &rows[2..] {
        let r = number(&row[residents]);
        for &c in &newly {
            let n = number(&row[c]);
            assert!(
                n <= r + 0.5,
                "{}: {n} newly covered of {r} residents",
                row[1]
            );
            any += n;
        }
    }
    assert!(any > 0.0, "the plan newly covers someone");
    // The same figures as report.json, per operator.
    for (adcode, d) in report["by_district"].as_object().unwrap() {
        let row = rows.iter().find(|r| r[0] == *adcode).unwrap();
        for (op, &c) in ["CMCC", "CUCC", "CTCC"].iter().zip(&newly) {
            let v = d["newly_covered"][op].as_f64().unwrap();
            assert_eq!(number(&row[c]), v.round(), "{adcode} {op}");
            assert!(v <= d["residents"].as_f64().unwrap() + 1e-6);
        }
    }
    // T4's plan column gives the main-urban figure.
    let targets = table(&md, "## Targets");
    let t4 = targets.iter().find(|r| r[0].starts_with("T4 ")).unwrap();
    assert!(
        t4[1].contains("main-urban residents") && t4[2].contains("of main-urban residents"),
        "{t4:?}"
    );
    // Validity warnings: one short table, the last section, none in the notes.
    if let Some(at) = md.find("## Model validity") {
        assert!(!md[at..].contains("\n## Inputs"), "the table comes last");
        let v = table(&md, "## Model validity");
        assert!(v.len() - 2 <= 16, "{} rows", v.len() - 2);
        assert_eq!(
            v.len() - 2,
            report["model_validity"].as_array().unwrap().len()
        );
    }
    let notes = &md[md.find("## Notes").unwrap()..];
    let notes = &notes[..notes[3..].find("\n## ").map_or(notes.len(), |i| i + 3)];
    assert!(
        notes
            .lines()
            .filter(|l| l.contains("validity range"))
            .count()
            <= 1,
        "{notes}"
    );
}
