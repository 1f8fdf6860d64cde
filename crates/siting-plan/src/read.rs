//! Reading a written `plan.geojson` back, so that `siting score` (and any
//! later check of a plan) works from the file, not from the run that made it.

use crate::site::{Driver, Origin, PlanSite, Reason, SiteAlternative, StationTraffic, Way};
use serde_json::{Map, Value};
use siting_model::{LonLat, Operator, OperatorSet, PerOperator};
use std::collections::HashSet;
use std::path::Path;

/// A plan file that cannot be read, or that contradicts itself.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {place}{problem}")]
pub struct PlanReadError {
    /// The file.
    pub file: String,
    /// `feature #i (site_id=…): `, or empty for the whole file.
    pub place: String,
    /// What is wrong.
    pub problem: String,
}

/// Reads `plan.geojson`, or the one inside a folder.
pub fn read_plan(path: &Path) -> Result<Vec<PlanSite>, PlanReadError> {
    let file = if path.is_dir() {
        path.join("plan.geojson")
    } else {
        path.to_path_buf()
    };
    let label = file.display().to_string();
    let text = std::fs::read_to_string(&file).map_err(|e| PlanReadError {
        file: label.clone(),
        place: String::new(),
        problem: format!("cannot read: {e}"),
    })?;
    parse_plan(&label, &text)
}

/// The top of a FeatureCollection, its features left unparsed.
#[derive(serde::Deserialize)]
struct RawCollection<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(borrow)]
    features: Option<Vec<&'a serde_json::value::RawValue>>,
}

/// Parses the text of a `plan.geojson`; `file` names it in errors.
///
/// A well-formed FeatureCollection has its features parsed in parallel;
/// anything else takes the one-piece path, whose errors name the problem.
/// Either way the first failing feature (in file order) is the one named.
pub fn parse_plan(file: &str, text: &str) -> Result<Vec<PlanSite>, PlanReadError> {
    use rayon::prelude::*;
    match serde_json::from_str::<RawCollection<'_>>(text) {
        Ok(RawCollection {
            kind: Some(kind),
            features: Some(raw),
        }) if kind == "FeatureCollection" => {
            let parsed: Vec<Result<Value, serde_json::Error>> = raw
                .par_iter()
                .map(|r| serde_json::from_str::<Value>(r.get()))
                .collect();
            match parsed.into_iter().collect::<Result<Vec<Value>, _>>() {
                Ok(features) => sites_of(file, &features),
                Err(_) => parse_whole(file, text),
            }
        }
        _ => parse_whole(file, text),
    }
}

/// [`parse_plan`] in one piece.
fn parse_whole(file: &str, text: &str) -> Result<Vec<PlanSite>, PlanReadError> {
    let whole = |problem: String| PlanReadError {
        file: file.into(),
        place: String::new(),
        problem,
    };
    let v: Value = serde_json::from_str(text).map_err(|e| whole(format!("not JSON: {e}")))?;
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(whole("not a GeoJSON FeatureCollection".into()));
    }
    let features = v
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| whole("no \"features\" array".into()))?;
    sites_of(file, features)
}

/// The plan sites of a collection's features, in parallel; the first
/// failing feature in file order is the one named.
fn sites_of(file: &str, features: &[Value]) -> Result<Vec<PlanSite>, PlanReadError> {
    use rayon::prelude::*;
    let read: Vec<Result<PlanSite, String>> = features.par_iter().map(feature).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(features.len());
    for (i, (f, site)) in features.iter().zip(read).enumerate() {
        let id = f
            .pointer("/properties/site_id")
            .and_then(Value::as_str)
            .map(String::from);
        let err = |problem: String| PlanReadError {
            file: file.into(),
            place: match &id {
                Some(id) => format!("feature #{i} (site_id={id}): "),
                None => format!("feature #{i}: "),
            },
            problem,
        };
        let site = site.map_err(err)?;
        if !seen.insert(site.site_id.clone()) {
            return Err(err(format!("site_id {:?} appears twice", site.site_id)));
        }
        out.push(site);
    }
    Ok(out)
}

fn get<'a>(p: &'a Map<String, Value>, key: &str) -> Result<&'a Value, String> {
    p.get(key)
        .ok_or_else(|| format!("missing property {key:?}"))
}

fn string(p: &Map<String, Value>, key: &str) -> Result<String, String> {
    get(p, key)?
        .as_str()
        .map(String::from)
        .ok_or_else(|| format!("property {key:?} must be a string"))
}

fn number(p: &Map<String, Value>, key: &str) -> Result<f64, String> {
    get(p, key)?
        .as_f64()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("property {key:?} must be a finite number"))
}

fn boolean(p: &Map<String, Value>, key: &str) -> Result<bool, String> {
    get(p, key)?
        .as_bool()
        .ok_or_else(|| format!("property {key:?} must be true or false"))
}

fn operators(p: &Map<String, Value>, key: &str) -> Result<OperatorSet, String> {
    let list = get(p, key)?
        .as_array()
        .ok_or_else(|| format!("property {key:?} must be an array of operator codes"))?;
    let mut set = OperatorSet::EMPTY;
    for v in list {
        let code = v
            .as_str()
            .ok_or_else(|| format!("property {key:?} must list operator codes"))?;
        let op: Operator = code.parse().map_err(|e| format!("property {key:?}: {e}"))?;
        if !set.insert(op) {
            return Err(format!("property {key:?} lists {op} twice"));
        }
    }
    Ok(set)
}

/// A whole year from 1900 to 2200.
fn year(v: &Value) -> Option<u16> {
    v.as_u64()
        .filter(|y| (1900..=2200).contains(y))
        .map(|y| y as u16)
}

fn per_operator<T>(
    p: &Map<String, Value>,
    key: &str,
    stations: OperatorSet,
    read: impl Fn(&Value) -> Option<T>,
) -> Result<PerOperator<Option<T>>, String> {
    let m = get(p, key)?
        .as_object()
        .ok_or_else(|| format!("property {key:?} must be an object keyed by operator"))?;
    let mut out: PerOperator<Option<T>> = PerOperator::from_fn(|_| None);
    for (k, v) in m {
        let op: Operator = k.parse().map_err(|e| format!("property {key:?}: {e}"))?;
        if !stations.contains(op) {
            return Err(format!(
                "property {key:?} names {op}, which has no station here"
            ));
        }
        out[op] = Some(read(v).ok_or_else(|| format!("property {key:?}: bad value for {op}"))?);
    }
    Ok(out)
}

/// `capacity_mbps` and `offered_mbps` (per operator; offered per year),
/// where the plan has them; `served_mbps` and `load` follow from them and
/// must agree.
fn station_traffic(
    p: &Map<String, Value>,
    stations: OperatorSet,
) -> Result<PerOperator<Option<StationTraffic>>, String> {
    if p.get("capacity_mbps").is_none() && p.get("offered_mbps").is_none() {
        return Ok(PerOperator::default());
    }
    let capacity = per_operator(p, "capacity_mbps", stations, |v| {
        v.as_f64().filter(|c| c.is_finite() && *c >= 0.0)
    })?;
    let years = |v: &Value| -> Option<Vec<(u16, f64)>> {
        let mut rows: Vec<(u16, f64)> = v
            .as_object()?
            .iter()
            .map(|(y, t)| Some((y.parse().ok()?, t.as_f64().filter(|t| *t >= 0.0)?)))
            .collect::<Option<_>>()?;
        rows.sort_by_key(|(y, _)| *y);
        Some(rows)
    };
    let offered = per_operator(p, "offered_mbps", stations, years)?;
    let mut out = PerOperator::default();
    for op in stations.iter() {
        match (capacity[op], offered[op].clone()) {
            (Some(capacity_mbps), Some(offered_mbps)) => {
                out[op] = Some(StationTraffic {
                    capacity_mbps,
                    offered_mbps,
                })
            }
            (None, None) => {}
            _ => {
                return Err(format!(
                    "capacity_mbps and offered_mbps must both give {op}'s station, or neither"
                ))
            }
        }
    }
    if p.get("served_mbps").is_some() {
        let served = per_operator(p, "served_mbps", stations, years)?;
        for op in stations.iter() {
            let want = out[op].as_ref().map(StationTraffic::served_mbps);
            let close = match (&served[op], &want) {
                (Some(a), Some(b)) => {
                    a.len() == b.len()
                        && a.iter()
                            .zip(b)
                            .all(|(x, y)| x.0 == y.0 && (x.1 - y.1).abs() <= 1e-3)
                }
                (None, None) => true,
                _ => false,
            };
            if !close {
                return Err(format!(
                    "served_mbps of {op} is not offered_mbps capped at capacity_mbps"
                ));
            }
        }
    }
    Ok(out)
}

/// The `alternatives` property: an array of objects.
fn alternatives(v: &Value) -> Result<Vec<SiteAlternative>, String> {
    let bad = || {
        "property \"alternatives\" must list {operator, site_id, kind, way, gain_residents, cost_yuan}".to_string()
    };
    let list = v.as_array().ok_or_else(bad)?;
    list.iter()
        .map(|a| {
            let a = a.as_object().ok_or_else(bad)?;
            let text = |k: &str| a.get(k).and_then(Value::as_str).ok_or_else(bad);
            let num = |k: &str| a.get(k).and_then(Value::as_f64).ok_or_else(bad);
            Ok(SiteAlternative {
                operator: text("operator")?
                    .parse::<Operator>()
                    .map_err(|e| e.to_string())?,
                site_id: text("site_id")?.to_string(),
                kind: text("kind")?.to_string(),
                way: text("way")?.parse::<Way>()?,
                gain_residents: num("gain_residents")?,
                cost_yuan: num("cost_yuan")?,
            })
        })
        .collect()
}

fn feature(f: &Value) -> Result<PlanSite, String> {
    let p = f
        .get("properties")
        .and_then(Value::as_object)
        .ok_or("no properties")?;
    let c = f
        .pointer("/geometry/coordinates")
        .and_then(Value::as_array)
        .filter(|_| f.pointer("/geometry/type").and_then(Value::as_str) == Some("Point"))
        .ok_or("geometry is not a Point")?;
    let lon = c.first().and_then(Value::as_f64).ok_or("bad coordinates")?;
    let lat = c.get(1).and_then(Value::as_f64).ok_or("bad coordinates")?;
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "coordinates {lon}, {lat} are not WGS84 longitude, latitude"
        ));
    }
    let stations_added = operators(p, "stations_added")?;
    let site = PlanSite {
        site_id: string(p, "site_id")?,
        origin: string(p, "origin")?.parse::<Origin>()?,
        kind: string(p, "kind")?,
        lonlat: LonLat { lon, lat },
        height_m: number(p, "height_m")?,
        tenants_before: operators(p, "tenants_before")?,
        technologies_before: match p.get("technologies_before") {
            None => Vec::new(),
            Some(v) => v
                .as_array()
                .and_then(|a| a.iter().map(|x| x.as_str().map(String::from)).collect())
                .ok_or("property \"technologies_before\" must list strings")?,
        },
        stations_added,
        district: string(p, "district")?,
        adcode: string(p, "adcode")?,
        phase: year(get(p, "phase")?).ok_or("property \"phase\" must be a year")?,
        station_phases: per_operator(p, "station_phases", stations_added, year)?,
        build_cost_yuan: number(p, "build_cost_yuan")?,
        station_cost_yuan: number(p, "station_cost_yuan")?,
        reason: string(p, "reason")?.parse::<Reason>()?,
        station_reasons: per_operator(p, "station_reasons", stations_added, |v| {
            v.as_str().and_then(|r| r.parse::<Reason>().ok())
        })?,
        covered_gain: per_operator(p, "covered_gain", stations_added, Value::as_f64)?,
        camouflage: boolean(p, "camouflage")?,
        notice_board: boolean(p, "notice_board")?,
        planning_approval: boolean(p, "planning_approval")?,
        eia_authority: string(p, "eia_authority")?,
        rules: get(p, "rules")?
            .as_array()
            .and_then(|a| a.iter().map(|x| x.as_str().map(String::from)).collect())
            .ok_or("property \"rules\" must list rule ids")?,
        site_acquisition: match p.get("site_acquisition") {
            None => false,
            Some(_) => boolean(p, "site_acquisition")?,
        },
        station_drivers: match p.get("station_drivers") {
            None => PerOperator::default(),
            Some(_) => per_operator(p, "station_drivers", stations_added, |v| {
                v.as_str().and_then(|d| d.parse::<Driver>().ok())
            })?,
        },
        station_traffic: station_traffic(p, stations_added)?,
        alternatives: match p.get("alternatives") {
            None => Vec::new(),
            Some(v) => alternatives(v)?,
        },
    };
    // The derived properties must agree with the rest.
    let check = |key: &str, want: OperatorSet| -> Result<(), String> {
        match p.get(key) {
            None => Ok(()),
            Some(_) if operators(p, key)? == want => Ok(()),
            Some(_) => Err(format!(
                "property {key:?} contradicts tenants_before and stations_added (expected {:?})",
                want.codes()
            )),
        }
    };
    check("tenants_added", site.tenants_added())?;
    check("tenants_after", site.tenants_after())?;
    for (key, want) in [
        ("shared", site.shared()),
        ("shared_before", site.shared_before()),
    ] {
        if p.get(key).is_some() && boolean(p, key)? != want {
            return Err(format!("property {key:?} contradicts the tenants"));
        }
    }
    if p.get("cost_yuan").is_some() {
        let cost = number(p, "cost_yuan")?;
        if (cost - site.cost_yuan()).abs() > 0.02 {
            return Err(format!(
                "cost_yuan {cost} is not build_cost_yuan + station_cost_yuan ({})",
                site.cost_yuan()
            ));
        }
    }
    if site.stations_added.is_empty() {
        return Err("no station added: a plan site has at least one".into());
    }
    for op in site.stations_added.iter() {
        if site.station_phases[op].is_none() {
            return Err(format!("station_phases has no year for {op}"));
        }
        if site.station_reasons[op].is_none() {
            return Err(format!("station_reasons has no reason for {op}"));
        }
    }
    if site.station_phases.values().flatten().min() != Some(&site.phase) {
        return Err(format!(
            "phase {} is not the first of the stations' years",
            site.phase
        ));
    }
    if site.origin == Origin::New && !site.tenants_before.is_empty() {
        return Err("a new site has no tenants before the plan".into());
    }
    if site.site_acquisition && site.origin != Origin::New {
        return Err("site_acquisition marks a new tower; this site is existing".into());
    }
    let first = site.station_reasons.values().flatten().min().copied();
    if first != Some(site.reason) {
        return Err(format!(
            "reason {:?} is not the first of the stations' reasons",
            site.reason.code()
        ));
    }
    Ok(site)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geojson::plan_geojson;

    fn site() -> PlanSite {
        PlanSite {
            site_id: "E1".into(),
            origin: Origin::Existing,
            kind: "rooftop".into(),
            lonlat: LonLat {
                lon: 106.5,
                lat: 29.5,
            },
            height_m: 25.0,
            tenants_before: [Operator::Cmcc].into_iter().collect(),
            technologies_before: vec!["CMCC:2G+3G".into()],
            stations_added: [Operator::Cmcc, Operator::Ctcc].into_iter().collect(),
            district: "渝中区".into(),
            adcode: "500103".into(),
            phase: 2015,
            station_phases: PerOperator([Some(2015), None, Some(2016)]),
            build_cost_yuan: 60_000.0,
            station_cost_yuan: 240_000.0,
            reason: Reason::MainUrban,
            station_reasons: PerOperator([Some(Reason::MainUrban), None, Some(Reason::Sharing)]),
            covered_gain: PerOperator([Some(1200.5), None, Some(0.0)]),
            camouflage: false,
            notice_board: true,
            planning_approval: false,
            eia_authority: "重庆市环境保护局".into(),
            rules: vec!["R1".into(), "R6".into(), "R9".into()],
            site_acquisition: false,
            station_drivers: PerOperator::default(),
            station_traffic: PerOperator::default(),
            alternatives: vec![SiteAlternative {
                operator: Operator::Ctcc,
                site_id: "C7".into(),
                kind: "street_pole".into(),
                way: Way::NewSite,
                gain_residents: 950.25,
                cost_yuan: 310_000.0,
            }],
        }
    }

    #[test]
    fn a_written_plan_reads_back_the_same() {
        let text = plan_geojson(&[site()]);
        let back = parse_plan("p.geojson", &text).unwrap();
        assert_eq!(back, vec![site()]);
        let v: Value = serde_json::from_str(&text).unwrap();
        let p = &v["features"][0]["properties"];
        assert_eq!(p["tenants_added"], serde_json::json!(["CTCC"]));
        assert_eq!(p["shared"], true);
        assert_eq!(p["shared_before"], false);
        assert_eq!(p["cost_yuan"], 300_000.0);
        assert_eq!(p["alternatives"][0]["way"], "new_site");
        assert_eq!(p["alternatives"][0]["gain_residents"], 950.25);
    }

    #[test]
    fn a_plan_that_contradicts_itself_is_refused() {
        let text = plan_geojson(&[site()]).replace(
            "\"tenants_after\":[\"CMCC\",\"CTCC\"]",
            "\"tenants_after\":[\"CMCC\"]",
        );
        let e = parse_plan("p.geojson", &text).unwrap_err().to_string();
        assert!(
            e.contains(
                "p.geojson: feature #0 (site_id=E1): property \"tenants_after\" contradicts"
            ),
            "{e}"
        );
        let text = plan_geojson(&[site(), site()]);
        let e = parse_plan("p.geojson", &text).unwrap_err().to_string();
        assert!(
            e.contains("feature #1") && e.contains("appears twice"),
            "{e}"
        );
        let text =
            plan_geojson(&[site()]).replace("\"reason\":\"main_urban\"", "\"reason\":\"whim\"");
        assert!(parse_plan("p.geojson", &text)
            .unwrap_err()
            .to_string()
            .contains("unknown reason"));
    }
}
