//! `plan.geojson`: one Point feature per plan site (RFC 7946).

use crate::site::PlanSite;
use serde_json::{json, Map, Value};

/// Rounds to `decimals` places (for coordinates: 7, about 1 cm).
pub fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// A plan site's properties, as `plan.geojson` (and `plan.gpkg`) carry them.
pub fn site_properties(s: &PlanSite) -> Map<String, Value> {
    let per_op = |f: &dyn Fn(siting_model::Operator) -> Option<Value>| -> Value {
        let mut m = Map::new();
        for op in s.stations_added.iter() {
            if let Some(v) = f(op) {
                m.insert(op.code().into(), v);
            }
        }
        Value::Object(m)
    };
    let v = json!({
        "site_id": s.site_id,
        "origin": s.origin.code(),
        "kind": s.kind,
        "height_m": s.height_m,
        "tenants_before": s.tenants_before.codes(),
        "technologies_before": s.technologies_before,
        "stations_added": s.stations_added.codes(),
        "tenants_added": s.tenants_added().codes(),
        "tenants_after": s.tenants_after().codes(),
        "shared_before": s.shared_before(),
        "shared": s.shared(),
        "district": s.district,
        "adcode": s.adcode,
        "phase": s.phase,
        "station_phases": per_op(&|op| s.station_phases[op].map(Value::from)),
        "cost_yuan": round_to(s.cost_yuan(), 2),
        "build_cost_yuan": round_to(s.build_cost_yuan, 2),
        "station_cost_yuan": round_to(s.station_cost_yuan, 2),
        "reason": s.reason.code(),
        "station_reasons": per_op(&|op| s.station_reasons[op].map(|r| json!(r.code()))),
        "covered_gain": per_op(&|op| s.covered_gain[op].map(|g| json!(round_to(g, 3)))),
        "camouflage": s.camouflage,
        "notice_board": s.notice_board,
        "planning_approval": s.planning_approval,
        "eia_authority": s.eia_authority,
        "rules": s.rules,
        "site_acquisition": s.site_acquisition,
        "alternatives": s.alternatives.iter().map(|a| json!({
            "operator": a.operator.code(),
            "site_id": a.site_id,
            "kind": a.kind,
            "way": a.way.code(),
            "gain_residents": round_to(a.gain_residents, 3),
            "cost_yuan": round_to(a.cost_yuan, 2),
        })).collect::<Vec<_>>(),
    });
    let Value::Object(mut m) = v else {
        unreachable!("json! of an object literal")
    };
    if s.station_drivers.values().any(Option::is_some) {
        m.insert(
            "station_drivers".into(),
            per_op(&|op| s.station_drivers[op].map(|d| json!(d.code()))),
        );
    }
    if s.station_traffic.values().any(Option::is_some) {
        let by_year = |rows: Vec<(u16, f64)>, decimals| {
            Value::Object(
                rows.into_iter()
                    .map(|(y, v)| (y.to_string(), json!(round_to(v, decimals))))
                    .collect(),
            )
        };
        m.insert(
            "capacity_mbps".into(),
            per_op(&|op| {
                s.station_traffic[op]
                    .as_ref()
                    .map(|t| json!(round_to(t.capacity_mbps, 3)))
            }),
        );
        m.insert(
            "offered_mbps".into(),
            per_op(&|op| {
                s.station_traffic[op]
                    .as_ref()
                    .map(|t| by_year(t.offered_mbps.clone(), 3))
            }),
        );
        m.insert(
            "served_mbps".into(),
            per_op(&|op| {
                s.station_traffic[op]
                    .as_ref()
                    .map(|t| by_year(t.served_mbps(), 3))
            }),
        );
        m.insert(
            "load".into(),
            per_op(&|op| s.station_traffic[op].as_ref().map(|t| by_year(t.load(), 4))),
        );
    }
    m
}

/// The plan as a GeoJSON FeatureCollection, one feature per line.
pub fn plan_geojson(sites: &[PlanSite]) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, s) in sites.iter().enumerate() {
        let f = json!({
            "type": "Feature",
            "properties": site_properties(s),
            "geometry": {
                "type": "Point",
                "coordinates": [round_to(s.lonlat.lon, 7), round_to(s.lonlat.lat, 7)],
            },
        });
        out.push_str(&Value::to_string(&f));
        out.push_str(if i + 1 < sites.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    out
}
