//! R10, demand sources: new developments of the kinds the rule book lists
//! (airports, stations, ports and docks, development zones and parks,
//! commercial, office and residential buildings, schools, hospitals, venues,
//! emergency shelters) must include telecom facilities in their design. An
//! optional `developments` layer gives them as Points; each adds its
//! residents (or users) as a demand point and a candidate site, shaped by
//! R10 in the plan.
//!
//! Properties: `site_id` (unique among all sites), `kind` (one of R10's
//! kinds), `residents` (≥ 0, the demand it adds); optional `cell_m` (the
//! demand point's cell, default 200 m), `site_kind` (the candidate's kind;
//! by default an indoor system for buildings and hubs, a ground tower for
//! zones, parks, ports and docks, a street pole for shelters), `height_m`,
//! `footprint_m`, `public_building`.

use crate::config::Config;
use crate::EngineError;
use serde_json::{json, Value};
use siting_layers::{demand_from, sites_from, LayerError, RawFeature, SiteDefaults};
use siting_model::{DemandPoint, Site, SiteOrigin};

/// The demand cell a development's point stands for when it gives none, metres.
pub const DEFAULT_CELL_M: f64 = 200.0;

/// The candidate's kind and an indoor system's venue for a development kind.
pub fn site_kind_of(kind: &str) -> (&'static str, Option<&'static str>) {
    match kind {
        "airport" => ("indoor", Some("airport")),
        "station" => ("indoor", Some("railway")),
        "commercial" | "office" => ("indoor", Some("commercial")),
        "venue" => ("indoor", Some("stadium")),
        "residential" | "school" | "hospital" => ("rooftop", None),
        "shelter" => ("street_pole", None),
        _ => ("ground_tower", None),
    }
}

/// The developments' demand points and candidate sites; an error names the
/// file, the feature and the problem (a kind R10 does not list, a missing
/// or negative `residents`). Without R10 in the book the layer adds
/// nothing (the caller warns).
pub fn read(
    cfg: &Config,
    layer: &crate::inputs::RawLayer,
    defaults: &SiteDefaults,
    projector: &siting_crs::Projector,
) -> Result<(Vec<Site>, Vec<DemandPoint>), EngineError> {
    let Some(r10) = &cfg.book.params.r10 else {
        return Ok((Vec::new(), Vec::new()));
    };
    let file = &layer.file;
    if layer.features.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let err = |f: &RawFeature, problem: String| {
        EngineError::Layer(LayerError::Feature {
            file: file.clone(),
            feature: siting_layers::FeatureRef {
                index: f.index,
                id: f
                    .properties
                    .get("site_id")
                    .and_then(Value::as_str)
                    .map(String::from),
            },
            problem,
        })
    };
    let mut as_sites = Vec::with_capacity(layer.features.len());
    let mut as_demand = Vec::with_capacity(layer.features.len());
    for f in &layer.features {
        let p = &f.properties;
        let kind = p.get("kind").and_then(Value::as_str).ok_or_else(|| {
            err(
                f,
                "missing required property \"kind\" (a development kind R10 lists)".into(),
            )
        })?;
        if !r10.kinds.iter().any(|k| k == kind) {
            return Err(err(
                f,
                format!(
                    "kind {kind:?} is not a development R10 lists in {} ({})",
                    cfg.book.file,
                    r10.kinds.join(", ")
                ),
            ));
        }
        let residents = match p.get("residents") {
            Some(Value::Number(n)) => n.as_f64().filter(|r| r.is_finite() && *r >= 0.0),
            _ => None,
        }
        .ok_or_else(|| {
            err(
                f,
                "property \"residents\" must be a number ≥ 0 (the residents or users it adds)"
                    .into(),
            )
        })?;
        if let Some(c) = p.get("cell_m") {
            if !c.as_f64().is_some_and(|c| c.is_finite() && c > 0.0) {
                return Err(err(
                    f,
                    format!("property \"cell_m\" must be a positive number of metres, found {c}"),
                ));
            }
        }
        let (default_kind, venue) = site_kind_of(kind);
        let mut site = p.clone();
        site.insert(
            "kind".into(),
            p.get("site_kind").cloned().unwrap_or(json!(default_kind)),
        );
        site.remove("site_kind");
        site.remove("residents");
        site.remove("cell_m");
        if let (Some(v), None) = (venue, p.get("venue")) {
            site.insert("venue".into(), json!(v));
        }
        as_sites.push(RawFeature {
            index: f.index,
            geometry: f.geometry.clone(),
            properties: site,
        });
        let mut demand = serde_json::Map::new();
        demand.insert("weight".into(), json!(residents));
        demand.insert(
            "cell_m".into(),
            p.get("cell_m").cloned().unwrap_or(json!(DEFAULT_CELL_M)),
        );
        as_demand.push(RawFeature {
            index: f.index,
            geometry: f.geometry.clone(),
            properties: demand,
        });
    }
    let sites = sites_from(file, &as_sites, SiteOrigin::Candidate, defaults, projector)?;
    let demand = demand_from(file, &as_demand, projector)?;
    Ok((sites, demand))
}
