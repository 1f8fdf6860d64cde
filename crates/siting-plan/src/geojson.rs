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
    let v = json!({
        "site_id": s.site_id,
        "origin": s.origin.code(),
        "kind": s.kind,
        "tenants_before": s.tenants_before.codes(),
        "tenants_added": s.tenants_added.codes(),
        "tenants_after": s.tenants_after().codes(),
        "shared": s.shared(),
        "district": s.district,
        "adcode": s.adcode,
        "phase": s.phase,
        "cost_yuan": round_to(s.cost_yuan, 2),
        "camouflage": s.camouflage,
        "notice_board": s.notice_board,
        "planning_approval": s.planning_approval,
        "eia_authority": s.eia_authority,
        "rules": s.rules,
        "covered_weight_gain": round_to(s.covered_weight_gain, 3),
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!("json! of an object literal"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Origin;
    use siting_model::{LonLat, Operator, OperatorSet};

    #[test]
    fn feature_has_the_contract_properties() {
        let s = PlanSite {
            site_id: "C1".into(),
            origin: Origin::New,
            kind: "rooftop".into(),
            lonlat: LonLat {
                lon: 106.123456789,
                lat: 29.1,
            },
            tenants_before: OperatorSet::EMPTY,
            tenants_added: [Operator::Ctcc, Operator::Cmcc].into_iter().collect(),
            district: "渝中区".into(),
            adcode: "500103".into(),
            phase: 2016,
            cost_yuan: 380000.0,
            camouflage: false,
            notice_board: true,
            planning_approval: false,
            eia_authority: "m".into(),
            rules: vec!["R2".into(), "R6".into()],
            covered_weight_gain: 12.5,
        };
        let v: Value = serde_json::from_str(&plan_geojson(&[s])).unwrap();
        let f = &v["features"][0];
        assert_eq!(f["geometry"]["coordinates"][0], 106.1234568);
        assert_eq!(f["properties"]["tenants_after"], json!(["CMCC", "CTCC"]));
        assert_eq!(f["properties"]["shared"], true);
        assert_eq!(f["properties"]["origin"], "new");
    }
}
