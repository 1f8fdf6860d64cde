//! Two written plans compared (`siting diff`): the sites added, removed and
//! changed (by `site_id`), and every figure of the two `report.json` files.
//!
//! Both plans are read with the strict [`read_plan`], so a file that is not
//! a plan, or one that contradicts itself, is refused with its name. The
//! result serialises to the stable structure `siting diff --json` prints
//! (`format` = [`DIFF_FORMAT`]):
//!
//! ```text
//! { "format": "siting-diff/1",
//!   "a": { "plan": "…/plan.geojson", "report": "…/report.json" },
//!   "b": { … },
//!   "same": bool,                       // no site and no figure changed
//!   "sites": { "added": [SiteBrief], "removed": [SiteBrief],
//!              "changed": [{ "site_id", "changes": [{ "property", "a", "b" }] }],
//!              "unchanged": n, "count_a": n, "count_b": n },
//!   "figures": [{ "figure", "a", "b", "change", "changed" }] }
//! ```
//!
//! Sites are in `site_id` order; figures in the order of `report.json`
//! (a figure only one report has comes last, with `null` on the other side).

use crate::geojson::{round_to, site_properties};
use crate::read::{read_plan, PlanReadError};
use crate::site::PlanSite;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `format` tag of the JSON structure; it changes only if a field's
/// meaning changes.
pub const DIFF_FORMAT: &str = "siting-diff/1";

/// A plan or its report could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// `plan.geojson` is missing, not a plan, or contradicts itself.
    #[error(transparent)]
    Plan(#[from] PlanReadError),
    /// `report.json` is missing or not a report.
    #[error("{file}: {problem}")]
    Report {
        /// The file.
        file: String,
        /// What is wrong.
        problem: String,
    },
}

/// Where one side of the comparison was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// Its `plan.geojson`.
    pub plan: String,
    /// The `report.json` beside it.
    pub report: String,
}

/// A site only one plan has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteBrief {
    /// Its id.
    pub site_id: String,
    /// `existing` or `new`.
    pub origin: String,
    /// Its kind.
    pub kind: String,
    /// District or county name.
    pub district: String,
    /// Operators with a new 4G station there.
    pub stations_added: Vec<String>,
    /// The plan's cost there, yuan.
    pub cost_yuan: f64,
}

/// One property of a site with different values in the two plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyChange {
    /// The `plan.geojson` property (`coordinates` for the position).
    pub property: String,
    /// Its value in plan A (`null` where A lacks it).
    pub a: Value,
    /// Its value in plan B.
    pub b: Value,
}

/// A site both plans have, with what differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteChange {
    /// Its id.
    pub site_id: String,
    /// The properties that differ, in `plan.geojson` order.
    pub changes: Vec<PropertyChange>,
}

/// How the two plans' sites differ.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct SitesDiff {
    /// In B, not in A.
    pub added: Vec<SiteBrief>,
    /// In A, not in B.
    pub removed: Vec<SiteBrief>,
    /// In both, with some property changed.
    pub changed: Vec<SiteChange>,
    /// In both, the same.
    pub unchanged: u64,
    /// Sites of plan A.
    pub count_a: u64,
    /// Sites of plan B.
    pub count_b: u64,
}

/// One figure of the reports, in both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureChange {
    /// Its path in `report.json` (`coverage.CMCC.share_after`,
    /// `targets.T3.value`); counts of lists end in `.count`.
    pub figure: String,
    /// Its value in report A (`null` where A lacks it).
    pub a: Value,
    /// Its value in report B.
    pub b: Value,
    /// `b − a` where both are numbers, in the figure's unit; else `null`.
    pub change: Option<f64>,
    /// Whether the values differ.
    pub changed: bool,
}

/// Two plans compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDiff {
    /// [`DIFF_FORMAT`].
    pub format: String,
    /// Plan A.
    pub a: Side,
    /// Plan B.
    pub b: Side,
    /// Neither a site nor a figure differs.
    pub same: bool,
    /// The sites.
    pub sites: SitesDiff,
    /// Every figure of the two reports.
    pub figures: Vec<FigureChange>,
}

impl PlanDiff {
    /// The figures whose values differ.
    pub fn changed_figures(&self) -> impl Iterator<Item = &FigureChange> {
        self.figures.iter().filter(|f| f.changed)
    }
}

/// `plan.geojson` and `report.json` of a plan folder, or of the folder
/// holding a given `plan.geojson`.
pub fn plan_files(path: &Path) -> (PathBuf, PathBuf) {
    if path.is_dir() {
        (path.join("plan.geojson"), path.join("report.json"))
    } else {
        let dir = path.parent().unwrap_or(Path::new(""));
        (path.to_path_buf(), dir.join("report.json"))
    }
}

/// Reads a written `report.json` as JSON (any engine version).
pub fn read_report(file: &Path) -> Result<Value, DiffError> {
    let label = file.display().to_string();
    let err = |problem: String| DiffError::Report {
        file: label.clone(),
        problem,
    };
    let text = std::fs::read_to_string(file).map_err(|e| err(format!("cannot read: {e}")))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| err(format!("not JSON: {e}")))?;
    let looks_like_report = v.get("new_sites").is_some_and(Value::is_object)
        && v.get("new_4g_stations").is_some_and(Value::is_object);
    if !looks_like_report {
        return Err(err(
            "not a siting report (no \"new_sites\" and \"new_4g_stations\")".into(),
        ));
    }
    Ok(v)
}

/// Compares the plans at `a` and `b` (each a plan folder or its
/// `plan.geojson`; the `report.json` beside it is read too).
pub fn diff_plans(a: &Path, b: &Path) -> Result<PlanDiff, DiffError> {
    let (plan_a, report_a) = plan_files(a);
    let (plan_b, report_b) = plan_files(b);
    let sites_a = read_plan(&plan_a)?;
    let sites_b = read_plan(&plan_b)?;
    let ra = read_report(&report_a)?;
    let rb = read_report(&report_b)?;
    let mut d = diff(&sites_a, &sites_b, &ra, &rb);
    d.a = Side {
        plan: plan_a.display().to_string(),
        report: report_a.display().to_string(),
    };
    d.b = Side {
        plan: plan_b.display().to_string(),
        report: report_b.display().to_string(),
    };
    Ok(d)
}

fn brief(s: &PlanSite) -> SiteBrief {
    SiteBrief {
        site_id: s.site_id.clone(),
        origin: s.origin.code().into(),
        kind: s.kind.clone(),
        district: s.district.clone(),
        stations_added: s
            .stations_added
            .codes()
            .iter()
            .map(|c| c.to_string())
            .collect(),
        cost_yuan: round_to(s.cost_yuan(), 2),
    }
}

/// A site's properties as `plan.geojson` writes them, with its position.
fn properties(s: &PlanSite) -> Map<String, Value> {
    let mut p = site_properties(s);
    p.insert(
        "coordinates".into(),
        json!([round_to(s.lonlat.lon, 7), round_to(s.lonlat.lat, 7)]),
    );
    p
}

/// Compares two plans' sites and two reports (as JSON); the sides' file
/// names are left empty.
pub fn diff(a: &[PlanSite], b: &[PlanSite], report_a: &Value, report_b: &Value) -> PlanDiff {
    let ia: BTreeMap<&str, &PlanSite> = a.iter().map(|s| (s.site_id.as_str(), s)).collect();
    let ib: BTreeMap<&str, &PlanSite> = b.iter().map(|s| (s.site_id.as_str(), s)).collect();
    let mut sites = SitesDiff {
        count_a: a.len() as u64,
        count_b: b.len() as u64,
        ..SitesDiff::default()
    };
    for (id, sa) in &ia {
        match ib.get(id) {
            None => sites.removed.push(brief(sa)),
            Some(sb) => {
                let (pa, pb) = (properties(sa), properties(sb));
                let mut changes = Vec::new();
                for (k, va) in &pa {
                    let vb = pb.get(k).unwrap_or(&Value::Null);
                    if va != vb {
                        changes.push(PropertyChange {
                            property: k.clone(),
                            a: va.clone(),
                            b: vb.clone(),
                        });
                    }
                }
                if changes.is_empty() {
                    sites.unchanged += 1;
                } else {
                    sites.changed.push(SiteChange {
                        site_id: id.to_string(),
                        changes,
                    });
                }
            }
        }
    }
    for (id, sb) in &ib {
        if !ia.contains_key(id) {
            sites.added.push(brief(sb));
        }
    }
    let figures = figure_changes(report_a, report_b);
    let same = sites.added.is_empty()
        && sites.removed.is_empty()
        && sites.changed.is_empty()
        && figures.iter().all(|f| !f.changed);
    PlanDiff {
        format: DIFF_FORMAT.into(),
        a: Side {
            plan: String::new(),
            report: String::new(),
        },
        b: Side {
            plan: String::new(),
            report: String::new(),
        },
        same,
        sites,
        figures,
    }
}

/// The sections of `report.json` whose figures are compared, in report
/// order. Lists of records are keyed (targets by id, phases by year) or
/// counted; descriptive text (definitions, reasons, sources) is left out.
fn figures_of(r: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut leaf = |path: String, v: &Value| out.push((path, v.clone()));
    for key in [
        "mode",
        "new_sites",
        "new_4g_stations",
        "lte_stations_total",
        "sharing",
        "sharing_rate",
        "investment_yuan",
        "coverage",
    ] {
        if let Some(v) = r.get(key) {
            flatten(key, v, &mut leaf);
        }
    }
    if let Some(ts) = r.get("targets").and_then(Value::as_array) {
        for t in ts {
            let id = t.get("id").and_then(Value::as_str).unwrap_or("?");
            for f in ["required_value", "value", "met"] {
                if let Some(v) = t.get(f) {
                    leaf(format!("targets.{id}.{f}"), v);
                }
            }
        }
    }
    if let Some(rs) = r.get("requirements").and_then(Value::as_array) {
        for q in rs {
            let name = format!(
                "requirements.{}.{}",
                q.get("operator").and_then(Value::as_str).unwrap_or("?"),
                q.get("what").and_then(Value::as_str).unwrap_or("?")
            );
            for f in ["requested", "covered_after", "met"] {
                if let Some(v) = q.get(f) {
                    leaf(format!("{name}.{f}"), v);
                }
            }
        }
    }
    for key in ["township_centres_uncovered", "search_rings"] {
        if let Some(v) = r.get(key).and_then(Value::as_array) {
            leaf(format!("{key}.count"), &json!(v.len()));
        }
    }
    if let Some(o) = r.get("objective") {
        for f in ["value", "bound", "gap"] {
            if let Some(v) = o.get(f) {
                leaf(format!("objective.{f}"), v);
            }
        }
    }
    if let Some(v) = r.pointer("/stations_without_gain/count") {
        leaf("stations_without_gain.count".into(), v);
    }
    if let Some(ps) = r.get("by_phase").and_then(Value::as_array) {
        for p in ps {
            let year = p.get("year").map(Value::to_string).unwrap_or_default();
            if let Some(m) = p.as_object() {
                for (k, v) in m.iter().filter(|(k, _)| *k != "year") {
                    leaf(format!("by_phase.{year}.{k}"), v);
                }
            }
        }
    }
    if let Some(ds) = r.get("by_district").and_then(Value::as_object) {
        for (adcode, d) in ds {
            for f in ["new_sites", "new_4g_stations", "investment_yuan"] {
                if let Some(v) = d.get(f) {
                    leaf(format!("by_district.{adcode}.{f}"), v);
                }
            }
            if let Some(v) = d.get("coverage_share_after") {
                flatten(
                    &format!("by_district.{adcode}.coverage_share_after"),
                    v,
                    &mut leaf,
                );
            }
        }
    }
    out
}

fn flatten(path: &str, v: &Value, leaf: &mut impl FnMut(String, &Value)) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k != "definition" {
                    flatten(&format!("{path}.{k}"), x, leaf);
                }
            }
        }
        Value::Array(a) => leaf(format!("{path}.count"), &json!(a.len())),
        _ => leaf(path.to_string(), v),
    }
}

fn figure_changes(a: &Value, b: &Value) -> Vec<FigureChange> {
    let fa = figures_of(a);
    let fb = figures_of(b);
    let mb: BTreeMap<&str, &Value> = fb.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let ma: BTreeMap<&str, &Value> = fa.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let one = |figure: &str, va: &Value, vb: &Value| FigureChange {
        figure: figure.to_string(),
        a: va.clone(),
        b: vb.clone(),
        change: match (va.as_f64(), vb.as_f64()) {
            (Some(x), Some(y)) => Some(y - x),
            _ => None,
        },
        changed: va != vb,
    };
    let mut out: Vec<FigureChange> = fa
        .iter()
        .map(|(k, va)| one(k, va, mb.get(k.as_str()).copied().unwrap_or(&Value::Null)))
        .collect();
    out.extend(
        fb.iter()
            .filter(|(k, _)| !ma.contains_key(k.as_str()))
            .map(|(k, vb)| one(k, &Value::Null, vb)),
    );
    out
}

/// A figure's value for people: thousands separators for large numbers,
/// up to 4 decimals for small ones.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.fract() == 0.0 => crate::markdown::thousands(x),
            Some(x) if x.abs() >= 1000.0 => crate::markdown::thousands(x),
            Some(x) => {
                let s = format!("{x:.4}");
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            }
            None => n.to_string(),
        },
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn show_change(c: Option<f64>) -> String {
    match c {
        None => String::new(),
        Some(x) => {
            let v = show(&json!(x));
            if x > 0.0 {
                format!("+{v}")
            } else {
                v
            }
        }
    }
}

/// The comparison for people: the sites added, removed and changed, then
/// every figure of both reports (`*` marks those that changed).
pub fn render_text(d: &PlanDiff) -> String {
    use std::fmt::Write;
    let mut m = String::new();
    let _ = writeln!(m, "A: {} ({})", d.a.plan, d.a.report);
    let _ = writeln!(m, "B: {} ({})", d.b.plan, d.b.report);
    let s = &d.sites;
    let nfig = d.changed_figures().count();
    if d.same {
        let _ = writeln!(
            m,
            "No change: the same {} sites with the same properties, and the same {} figures.",
            s.count_a,
            d.figures.len()
        );
    } else {
        let _ = writeln!(
            m,
            "Sites: {} in A, {} in B: {} added, {} removed, {} changed, {} unchanged; {} of {} figures changed.",
            s.count_a,
            s.count_b,
            s.added.len(),
            s.removed.len(),
            s.changed.len(),
            s.unchanged,
            nfig,
            d.figures.len()
        );
    }
    for (title, list) in [
        ("Added (in B only)", &s.added),
        ("Removed (in A only)", &s.removed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(m, "\n{title}:");
        for b in list {
            let _ = writeln!(
                m,
                "  {} {} {} {} stations {} cost {} yuan",
                b.site_id,
                b.origin,
                b.kind,
                b.district,
                b.stations_added.join("+"),
                crate::markdown::thousands(b.cost_yuan)
            );
        }
    }
    if !s.changed.is_empty() {
        let _ = writeln!(m, "\nChanged:");
        for c in &s.changed {
            let what: Vec<String> = c
                .changes
                .iter()
                .map(|p| format!("{}: {} → {}", p.property, p.a, p.b))
                .collect();
            let _ = writeln!(m, "  {}: {}", c.site_id, what.join("; "));
        }
    }
    let _ = writeln!(m, "\nFigures (report.json; * changed):");
    let w = d.figures.iter().map(|f| f.figure.len()).max().unwrap_or(0);
    let _ = writeln!(
        m,
        "  {:<w$}  {:>18}  {:>18}  {:>16}",
        "figure", "A", "B", "B − A"
    );
    for f in &d.figures {
        let _ = writeln!(
            m,
            "{} {:<w$}  {:>18}  {:>18}  {:>16}",
            if f.changed { "*" } else { " " },
            f.figure,
            show(&f.a),
            show(&f.b),
            show_change(f.change)
        );
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geojson::plan_geojson;
    use crate::site::{Origin, Reason};
    use siting_model::{LonLat, Operator, PerOperator};

    fn site(id: &str, kind: &str) -> PlanSite {
        PlanSite {
            site_id: id.into(),
            origin: Origin::New,
            kind: kind.into(),
            lonlat: LonLat {
                lon: 106.5,
                lat: 29.5,
            },
            height_m: 30.0,
            tenants_before: Default::default(),
            technologies_before: vec![],
            stations_added: [Operator::Cmcc].into_iter().collect(),
            district: "渝中区".into(),
            adcode: "500103".into(),
            phase: 2015,
            station_phases: PerOperator([Some(2015), None, None]),
            build_cost_yuan: 100_000.0,
            station_cost_yuan: 150_000.0,
            reason: Reason::Coverage,
            station_reasons: PerOperator([Some(Reason::Coverage), None, None]),
            covered_gain: PerOperator([Some(10.0), None, None]),
            camouflage: false,
            notice_board: false,
            planning_approval: true,
            eia_authority: "重庆市环境保护局".into(),
            rules: vec!["R2".into()],
            site_acquisition: false,
            station_drivers: PerOperator::default(),
            station_traffic: PerOperator::default(),
            alternatives: Vec::new(),
        }
    }

    fn report(new: u64, rate: f64) -> Value {
        json!({
            "mode": "budget",
            "new_sites": { "total": new, "by_kind": { "rooftop": new } },
            "new_4g_stations": { "total": new, "by_operator": { "CMCC": new, "CUCC": 0, "CTCC": 0 } },
            "sharing": { "definition": "words", "rate_before": 0.1, "rate_after": rate },
            "targets": [{ "id": "T3", "required_value": 0.55, "value": rate, "met": rate > 0.55, "reason": "r" }],
            "search_rings": [],
        })
    }

    #[test]
    fn a_plan_against_itself_has_no_change() {
        let sites = vec![site("A", "rooftop"), site("B", "street_pole")];
        let r = report(2, 0.5);
        let d = diff(&sites, &sites, &r, &r);
        assert!(d.same);
        assert_eq!(d.sites.unchanged, 2);
        assert!(d.figures.iter().all(|f| !f.changed));
        assert!(d.figures.iter().any(|f| f.figure == "targets.T3.value"));
        assert!(!d.figures.iter().any(|f| f.figure.contains("definition")));
        assert!(render_text(&d).contains("No change"));
    }

    #[test]
    fn added_removed_changed_and_figures() {
        let a = vec![site("A", "rooftop"), site("B", "street_pole")];
        let mut b2 = site("B", "street_pole");
        b2.height_m = 15.0;
        b2.phase = 2016;
        b2.station_phases = PerOperator([Some(2016), None, None]);
        let b = vec![b2, site("C", "rooftop")];
        let d = diff(&a, &b, &report(2, 0.5), &report(3, 0.6));
        assert!(!d.same);
        assert_eq!(d.sites.added[0].site_id, "C");
        assert_eq!(d.sites.removed[0].site_id, "A");
        let c = &d.sites.changed[0];
        assert_eq!(c.site_id, "B");
        let props: Vec<&str> = c.changes.iter().map(|p| p.property.as_str()).collect();
        assert_eq!(props, ["height_m", "phase", "station_phases"]);
        assert_eq!(c.changes[0].a, json!(30.0));
        assert_eq!(c.changes[0].b, json!(15.0));
        let t = d
            .figures
            .iter()
            .find(|f| f.figure == "new_sites.total")
            .unwrap();
        assert_eq!(
            (t.a.clone(), t.b.clone(), t.change),
            (json!(2), json!(3), Some(1.0))
        );
        let met = d
            .figures
            .iter()
            .find(|f| f.figure == "targets.T3.met")
            .unwrap();
        assert_eq!((met.changed, met.change), (true, None));
        let text = render_text(&d);
        assert!(text.contains("height_m: 30.0 → 15.0"), "{text}");
        assert!(text.contains("* new_sites.total"), "{text}");
    }

    #[test]
    fn a_figure_only_one_report_has_comes_last() {
        let mut rb = report(1, 0.5);
        rb["sharing"]["shared_after"] = json!(7);
        let d = diff(&[], &[], &report(1, 0.5), &rb);
        let last = d.figures.last().unwrap();
        assert_eq!(last.figure, "sharing.shared_after");
        assert_eq!((last.a.clone(), last.b.clone()), (Value::Null, json!(7)));
        assert!(!d.same);
    }

    #[test]
    fn bad_input_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nowhere");
        let e = diff_plans(&missing, &missing).unwrap_err().to_string();
        assert!(e.contains("nowhere") && e.contains("cannot read"), "{e}");
        let not_plan = dir.path().join("x.geojson");
        std::fs::write(&not_plan, "{\"type\":\"Feature\"}").unwrap();
        let e = diff_plans(&not_plan, &not_plan).unwrap_err().to_string();
        assert!(
            e.contains("x.geojson") && e.contains("not a GeoJSON FeatureCollection"),
            "{e}"
        );
        // A plan without its report.
        std::fs::write(&not_plan, plan_geojson(&[site("A", "rooftop")])).unwrap();
        let e = diff_plans(&not_plan, &not_plan).unwrap_err().to_string();
        assert!(
            e.contains("report.json") && e.contains("cannot read"),
            "{e}"
        );
        std::fs::write(dir.path().join("report.json"), "{\"a\":1}").unwrap();
        let e = diff_plans(&not_plan, &not_plan).unwrap_err().to_string();
        assert!(e.contains("not a siting report"), "{e}");
    }
}
