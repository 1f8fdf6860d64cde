//! The lists each authority approves: per R9 EIA authority and per year, the
//! plan's sites whose environmental impact it signs off, as CSV for
//! spreadsheets.
//!
//! One file per (authority, year) that has sites:
//! `approvals/<authority>-<year>.csv` ([`list_path`]), the year being the
//! site's `phase` (the year of the plan's first work there). UTF-8 with a
//! byte-order mark, so that spreadsheet software shows the Chinese names;
//! CRLF line ends (RFC 4180). Columns, in order ([`COLUMNS`]): `site_id`,
//! `district` (address district or county), `adcode`, `kind`, `origin`,
//! `height_m` (antenna height above ground, metres), `eirp_dbm` and `eirp_w`
//! (one base station's EIRP as R6 assumes it for the kind, dBm and watts),
//! `longitude`, `latitude` (WGS84, degrees, 7 decimals), `stations`
//! (operator and year of each new 4G station, `CMCC 2015; CUCC 2016`),
//! `planning_approval` (R8), `notice_board` (R6), `camouflage` (R3) as
//! `yes`/`no`, and `rules` (the rule ids that shaped the site, `R1; R9`).
//! Rows are sorted by district, then site id.

use crate::geojson::round_to;
use crate::site::PlanSite;
use serde::Serialize;
use std::collections::BTreeMap;

/// The columns of every list, in order.
pub const COLUMNS: [&str; 15] = [
    "site_id",
    "district",
    "adcode",
    "kind",
    "origin",
    "height_m",
    "eirp_dbm",
    "eirp_w",
    "longitude",
    "latitude",
    "stations",
    "planning_approval",
    "notice_board",
    "camouflage",
    "rules",
];

/// The UTF-8 byte-order mark each list starts with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One authority's list for one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovalList {
    /// The R9 authority, as the config names it.
    pub authority: String,
    /// The year (the sites' `phase`).
    pub year: u16,
    /// Sites on the list.
    pub sites: u64,
    /// Its path inside the output folder.
    pub file: String,
}

/// A list could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{file}: cannot write the approval list: {source}")]
pub struct ApprovalError {
    /// The list's path in the output folder.
    pub file: String,
    /// What the CSV writer said.
    pub source: csv::Error,
}

/// The list's path in the output folder: `approvals/<authority>-<year>.csv`,
/// with characters file systems refuse (`/ \ : * ? " < > |`, control
/// characters) in the authority's name replaced by `_`.
pub fn list_path(authority: &str, year: u16) -> String {
    let name: String = authority
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let name = if name.is_empty() || name.starts_with('.') {
        format!("_{name}")
    } else {
        name
    };
    format!("approvals/{name}-{year}.csv")
}

/// The sites of the plan grouped by (authority, year), in that order.
fn groups(sites: &[PlanSite]) -> BTreeMap<(&str, u16), Vec<&PlanSite>> {
    let mut g: BTreeMap<(&str, u16), Vec<&PlanSite>> = BTreeMap::new();
    for s in sites {
        g.entry((s.eia_authority.as_str(), s.phase))
            .or_default()
            .push(s);
    }
    for v in g.values_mut() {
        v.sort_by(|a, b| (&a.district, &a.site_id).cmp(&(&b.district, &b.site_id)));
    }
    g
}

/// The lists the plan's sites make, without their contents.
pub fn approval_lists(sites: &[PlanSite]) -> Vec<ApprovalList> {
    groups(sites)
        .into_iter()
        .map(|((authority, year), v)| ApprovalList {
            authority: authority.to_string(),
            year,
            sites: v.len() as u64,
            file: list_path(authority, year),
        })
        .collect()
}

/// dBm to watts.
fn dbm_to_w(dbm: f64) -> f64 {
    10f64.powf((dbm - 30.0) / 10.0)
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Every list as (path in the output folder, bytes). `eirp_dbm` gives one
/// base station's EIRP for a site kind code, dBm (`None`: the cells stay
/// empty).
pub fn approval_files(
    sites: &[PlanSite],
    eirp_dbm: impl Fn(&str) -> Option<f64>,
) -> Result<Vec<(String, Vec<u8>)>, ApprovalError> {
    let mut out = Vec::new();
    for ((authority, year), list) in groups(sites) {
        let file = list_path(authority, year);
        let err = |source: csv::Error| ApprovalError {
            file: file.clone(),
            source,
        };
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(BOM.to_vec());
        w.write_record(COLUMNS).map_err(err)?;
        for s in list {
            let eirp = eirp_dbm(&s.kind);
            let stations: Vec<String> = s
                .station_phases
                .iter()
                .filter_map(|(op, y)| y.map(|y| format!("{op} {y}")))
                .collect();
            let row = [
                s.site_id.clone(),
                s.district.clone(),
                s.adcode.clone(),
                s.kind.clone(),
                s.origin.code().to_string(),
                format!("{}", round_to(s.height_m, 2)),
                eirp.map_or(String::new(), |e| format!("{}", round_to(e, 2))),
                eirp.map_or(String::new(), |e| format!("{}", round_to(dbm_to_w(e), 2))),
                format!("{:.7}", s.lonlat.lon),
                format!("{:.7}", s.lonlat.lat),
                stations.join("; "),
                yes(s.planning_approval).into(),
                yes(s.notice_board).into(),
                yes(s.camouflage).into(),
                s.rules.join("; "),
            ];
            w.write_record(&row).map_err(err)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| err(csv::Error::from(e.into_error())))?;
        out.push((file, bytes));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{Origin, Reason};
    use siting_model::{LonLat, Operator, PerOperator};

    fn site(id: &str, authority: &str, phase: u16, district: &str) -> PlanSite {
        PlanSite {
            site_id: id.into(),
            origin: Origin::New,
            kind: "ground_tower".into(),
            lonlat: LonLat {
                lon: 106.55,
                lat: 29.56,
            },
            height_m: 35.0,
            tenants_before: Default::default(),
            technologies_before: vec![],
            stations_added: [Operator::Cmcc, Operator::Cucc].into_iter().collect(),
            district: district.into(),
            adcode: "500112".into(),
            phase,
            station_phases: PerOperator([Some(phase), Some(phase + 1), None]),
            build_cost_yuan: 1.0,
            station_cost_yuan: 1.0,
            reason: Reason::Coverage,
            station_reasons: PerOperator([Some(Reason::Coverage), Some(Reason::Sharing), None]),
            covered_gain: PerOperator([Some(1.0), Some(0.0), None]),
            camouflage: false,
            notice_board: true,
            planning_approval: true,
            eia_authority: authority.into(),
            rules: vec!["R2".into(), "R8".into(), "R9".into()],
            site_acquisition: false,
            station_drivers: PerOperator::default(),
            station_traffic: PerOperator::default(),
            alternatives: Vec::new(),
        }
    }

    #[test]
    fn one_list_per_authority_and_year_with_bom_and_units() {
        let sites = [
            site("T2", "重庆市环境保护局", 2015, "渝北区"),
            site("T1", "重庆市环境保护局", 2015, "渝北区"),
            site("T3", "两江新区环境保护分局", 2015, "渝北区"),
            site("T4", "重庆市环境保护局", 2016, "巴南区"),
        ];
        let lists = approval_lists(&sites);
        let names: Vec<(&str, u16, u64)> = lists
            .iter()
            .map(|l| (l.authority.as_str(), l.year, l.sites))
            .collect();
        assert_eq!(
            names,
            [
                ("两江新区环境保护分局", 2015, 1),
                ("重庆市环境保护局", 2015, 2),
                ("重庆市环境保护局", 2016, 1)
            ]
        );
        let files = approval_files(&sites, |k| (k == "ground_tower").then_some(63.0)).unwrap();
        assert_eq!(files.len(), 3);
        assert_eq!(files[1].0, "approvals/重庆市环境保护局-2015.csv");
        let bytes = &files[1].1;
        assert!(bytes.starts_with(BOM));
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], COLUMNS.join(","));
        // Sorted by district then id; 63 dBm is 1995.26 W.
        assert_eq!(
            lines[1],
            "T1,渝北区,500112,ground_tower,new,35,63,1995.26,106.5500000,29.5600000,CMCC 2015; CUCC 2016,yes,yes,no,R2; R8; R9"
        );
        assert!(lines[2].starts_with("T2,"));
        assert_eq!(lines[3], "");
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(list_path("a/b:c", 2017), "approvals/a_b_c-2017.csv");
        assert_eq!(list_path("", 2017), "approvals/_-2017.csv");
        assert_eq!(list_path("..", 2017), "approvals/_..-2017.csv");
    }
}
