//! GeoJSON text of the modelled layers, one feature per line.

use crate::demand::Cell;
use crate::sites::SynthSite;
use crate::zones::SynthZone;
use serde_json::{json, Map, Value};

fn collection(name: &str, features: impl Iterator<Item = Value>) -> String {
    let mut out = format!("{{\"type\":\"FeatureCollection\",\"name\":\"{name}\",\"features\":[\n");
    let mut first = true;
    for f in features {
        if !first {
            out.push_str(",\n");
        }
        first = false;
        out.push_str(&f.to_string());
    }
    out.push_str("\n]}\n");
    out
}

fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// `demand.geojson`: Points with `weight` (modelled residents) and their
/// cell's edge `cell_m`.
pub fn demand_geojson(cells: &[Cell]) -> String {
    collection(
        "demand",
        cells.iter().map(|c| {
            json!({"type":"Feature","properties":{"weight":c.weight,"cell_m":c.cell_m},
                   "geometry":{"type":"Point","coordinates":[r6(c.lonlat[0]), r6(c.lonlat[1])]}})
        }),
    )
}

/// `sites_existing.geojson` or `candidates.geojson`: `site_id`, `kind`,
/// `tenants` (existing sites: one `"OP:TECH+TECH…"` string per operator),
/// `capacity`, `height_m`, `public_building`, `load_capacity_kg` (rooftops),
/// `venue` and `footprint_m` (indoor systems), `name` (where known).
pub fn sites_geojson(sites: &[SynthSite]) -> String {
    collection(
        "sites",
        sites.iter().map(|s| {
            let mut p = Map::new();
            p.insert("site_id".into(), json!(s.site_id));
            p.insert("kind".into(), json!(s.kind));
            if !s.tenants.is_empty() {
                let t: Vec<String> = s.tenants.iter().map(|t| t.to_string()).collect();
                p.insert("tenants".into(), json!(t));
            }
            p.insert("capacity".into(), json!(s.capacity));
            p.insert("height_m".into(), json!(s.height_m));
            p.insert("public_building".into(), json!(s.public_building));
            if let Some(l) = s.load_capacity_kg {
                p.insert("load_capacity_kg".into(), json!(l));
            }
            if let Some(v) = s.venue {
                p.insert("venue".into(), json!(v));
            }
            if let Some(f) = s.footprint_m {
                p.insert("footprint_m".into(), json!(f));
            }
            if let Some(n) = &s.name {
                p.insert("name".into(), json!(n));
            }
            json!({"type":"Feature","properties":p,"geometry":{"type":"Point","coordinates":s.lonlat}})
        }),
    )
}

/// `zones.geojson`: Polygons with `id`, `class`, `name`.
pub fn zones_geojson(zones: &[SynthZone]) -> String {
    collection(
        "zones",
        zones.iter().map(|z| {
            let mut props = json!({"id":z.id,"class":z.class,"name":z.name});
            if let Some(h) = z.building_height_m {
                props["building_height_m"] = json!(h);
            }
            let geometry = match &z.polygons {
                Some(p) => json!({"type":"MultiPolygon","coordinates":p}),
                None => json!({"type":"Polygon","coordinates":[z.ring]}),
            };
            json!({"type":"Feature","properties":props,"geometry":geometry})
        }),
    )
}
