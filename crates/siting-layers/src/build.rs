//! Raw features → model types in the metric CRS, validated feature by feature.

use crate::property::{
    feature_id, optional_bool, optional_f64, optional_str, optional_str_list, required_f64,
    required_str,
};
use crate::reader::{RawFeature, RawGeometry};
use crate::{FeatureRef, LayerError};
use geo::Validation;
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use siting_crs::Projector;
use siting_model::{
    technology::parse_tenant, DemandPoint, District, LonLat, OperatorSet, PerOperator, Site,
    SiteKind, SiteOrigin, TechSet, Township, Zone, ZoneClass,
};
use std::collections::HashMap;

/// Values a site layer may leave out.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteDefaults {
    /// Antenna height by kind where the layer has no `height_m`, metres.
    pub height_m: HashMap<SiteKind, f64>,
    /// Tenant capacity by kind where the layer has no `capacity`.
    pub capacity: HashMap<SiteKind, u8>,
    /// Technologies of a tenant the layer names without any (`CMCC` rather
    /// than `CMCC:2G+3G`); `None` makes such a tenant an error.
    pub technologies: Option<TechSet>,
    /// Radius an indoor system serves where the layer has no `footprint_m`, metres.
    pub footprint_m: f64,
}

impl Default for SiteDefaults {
    fn default() -> Self {
        SiteDefaults {
            height_m: HashMap::from([
                (SiteKind::GroundTower, 35.0),
                (SiteKind::Rooftop, 25.0),
                (SiteKind::StreetPole, 12.0),
                (SiteKind::Indoor, 3.0),
            ]),
            capacity: SiteKind::ALL.iter().map(|k| (*k, 3)).collect(),
            technologies: None,
            footprint_m: 150.0,
        }
    }
}

/// A site's `tenants` attribute: operators with their technologies, as a
/// list (`["CMCC:2G+3G+4G", "CUCC:2G"]`) or one text
/// (`"CMCC:2G+3G+4G,CUCC:2G"`, also with `;`); a bare operator code takes
/// `default` technologies.
///
/// ```
/// use siting_layers::build::parse_tenants;
/// use siting_model::{Operator, Technology};
/// let (ops, tech) = parse_tenants(&["CMCC:2G+4G".into(), "CTCC:2G".into()], None).unwrap();
/// assert_eq!(ops.len(), 2);
/// assert!(tech[Operator::Cmcc].contains(Technology::G4));
/// assert!(parse_tenants(&["CUCC".into()], None).is_err());
/// ```
pub fn parse_tenants(
    items: &[String],
    default: Option<TechSet>,
) -> Result<(OperatorSet, PerOperator<TechSet>), String> {
    let mut ops = OperatorSet::EMPTY;
    let mut tech = PerOperator::<TechSet>::default();
    for item in items.iter().flat_map(|i| i.split(';')) {
        if item.trim().is_empty() {
            continue;
        }
        let (op, t) = parse_tenant(item).map_err(|e| format!("property \"tenants\": {e}"))?;
        let t = match (t, default) {
            (Some(t), _) | (None, Some(t)) => t,
            (None, None) => {
                return Err(format!(
                    "property \"tenants\": {op} names no technologies: write {op}:2G+3G+4G (the technologies it runs there), or set site_defaults.technologies in the config"
                ))
            }
        };
        if !ops.insert(op) {
            return Err(format!("property \"tenants\" lists {op} twice"));
        }
        tech[op] = t;
    }
    Ok((ops, tech))
}

struct Ctx<'a> {
    file: &'a str,
    projector: &'a Projector,
}

impl Ctx<'_> {
    fn err(&self, f: &RawFeature, problem: impl Into<String>) -> LayerError {
        LayerError::Feature {
            file: self.file.to_string(),
            feature: FeatureRef {
                index: f.index,
                id: feature_id(&f.properties),
            },
            problem: problem.into(),
        }
    }

    fn project(&self, f: &RawFeature, p: [f64; 2]) -> Result<Coord<f64>, LayerError> {
        let (x, y) = self
            .projector
            .to_metric(p[0], p[1])
            .map_err(|e| self.err(f, e.to_string()))?;
        Ok(Coord { x, y })
    }

    fn point(&self, f: &RawFeature) -> Result<(Coord<f64>, LonLat), LayerError> {
        match &f.geometry {
            Some(RawGeometry::Point(p)) => Ok((
                self.project(f, *p)?,
                LonLat {
                    lon: p[0],
                    lat: p[1],
                },
            )),
            Some(g) => Err(self.err(
                f,
                format!("geometry is a {}, expected a Point", g.type_name()),
            )),
            None => Err(self.err(f, "feature has no geometry, expected a Point")),
        }
    }

    fn polygons(&self, f: &RawFeature) -> Result<MultiPolygon<f64>, LayerError> {
        let single;
        let polys = match &f.geometry {
            Some(RawGeometry::Polygons(p)) => p,
            Some(RawGeometry::Polygon(rings)) => {
                single = vec![rings.clone()];
                &single
            }
            Some(g) => {
                return Err(self.err(
                    f,
                    format!(
                        "geometry is a {}, expected a Polygon or MultiPolygon",
                        g.type_name()
                    ),
                ))
            }
            None => {
                return Err(self.err(
                    f,
                    "feature has no geometry, expected a Polygon or MultiPolygon",
                ))
            }
        };
        let ring = |r: &Vec<[f64; 2]>| -> Result<LineString<f64>, LayerError> {
            r.iter()
                .map(|p| self.project(f, *p))
                .collect::<Result<Vec<_>, _>>()
                .map(LineString)
        };
        let mut out = Vec::with_capacity(polys.len());
        for rings in polys {
            let exterior = ring(&rings[0])?;
            let interiors = rings[1..].iter().map(ring).collect::<Result<Vec<_>, _>>()?;
            out.push(Polygon::new(exterior, interiors));
        }
        Ok(MultiPolygon(out))
    }
}

fn non_empty(file: &str, features: &[RawFeature]) -> Result<(), LayerError> {
    if features.is_empty() {
        Err(LayerError::Empty {
            file: file.to_string(),
        })
    } else {
        Ok(())
    }
}

/// District and county boundaries: `adcode` (6 digits), `name`, (Multi)Polygon.
pub fn districts_from(
    file: &str,
    features: &[RawFeature],
    projector: &Projector,
) -> Result<Vec<District>, LayerError> {
    non_empty(file, features)?;
    let cx = Ctx { file, projector };
    features
        .iter()
        .map(|f| {
            let p = &f.properties;
            let adcode = required_str(p, "adcode").map_err(|e| cx.err(f, e))?;
            if adcode.len() != 6 || !adcode.bytes().all(|b| b.is_ascii_digit()) {
                return Err(cx.err(
                    f,
                    format!("property \"adcode\" {adcode:?} is not a 6-digit code"),
                ));
            }
            let name = required_str(p, "name").map_err(|e| cx.err(f, e))?;
            Ok(District {
                adcode,
                name,
                main_urban: false,
                geometry: cx.polygons(f)?,
            })
        })
        .collect()
}

/// Township centres: `code`, `name`, `county_adcode`, Point.
pub fn townships_from(
    file: &str,
    features: &[RawFeature],
    projector: &Projector,
) -> Result<Vec<Township>, LayerError> {
    let cx = Ctx { file, projector };
    features
        .iter()
        .map(|f| {
            let p = &f.properties;
            let (xy, lonlat) = cx.point(f)?;
            Ok(Township {
                code: required_str(p, "code").map_err(|e| cx.err(f, e))?,
                name: required_str(p, "name").map_err(|e| cx.err(f, e))?,
                county_adcode: required_str(p, "county_adcode").map_err(|e| cx.err(f, e))?,
                xy,
                lonlat,
            })
        })
        .collect()
}

/// Demand points: `weight` (finite, non-negative), optional `cell_m` and
/// busy-hour traffic `traffic_mbps_YYYY` (Mbit/s, all operators), Point.
pub fn demand_from(
    file: &str,
    features: &[RawFeature],
    projector: &Projector,
) -> Result<Vec<DemandPoint>, LayerError> {
    non_empty(file, features)?;
    let cx = Ctx { file, projector };
    features
        .iter()
        .map(|f| {
            let p = &f.properties;
            let weight = required_f64(p, "weight").map_err(|e| cx.err(f, e))?;
            if weight < 0.0 {
                return Err(cx.err(f, format!("property \"weight\" is negative ({weight})")));
            }
            let cell_m = optional_f64(p, "cell_m").map_err(|e| cx.err(f, e))?;
            let traffic_mbps = traffic_of(p).map_err(|e| cx.err(f, e))?;
            let (xy, lonlat) = cx.point(f)?;
            Ok(DemandPoint {
                xy,
                lonlat,
                weight,
                cell_m,
                traffic_mbps,
            })
        })
        .collect()
}

/// Prefix of a demand point's busy-hour traffic properties: `traffic_mbps_2016`.
pub const TRAFFIC_PREFIX: &str = "traffic_mbps_";

/// A demand point's `traffic_mbps_YYYY` properties: finite, non-negative
/// numbers of Mbit/s, each suffix a year.
fn traffic_of(p: &serde_json::Map<String, serde_json::Value>) -> Result<Vec<(u16, f64)>, String> {
    let mut out = Vec::new();
    for key in p.keys().filter(|k| k.starts_with(TRAFFIC_PREFIX)) {
        let suffix = &key[TRAFFIC_PREFIX.len()..];
        let year: u16 = match suffix.parse() {
            Ok(y) if (1900..=2200).contains(&y) && suffix.len() == 4 => y,
            _ => {
                return Err(format!(
                "property {key:?}: the part after {TRAFFIC_PREFIX:?} must be a year such as 2016"
            ))
            }
        };
        match optional_f64(p, key)? {
            Some(v) if v >= 0.0 => out.push((year, v)),
            Some(v) => return Err(format!("property {key:?} is negative ({v})")),
            None => return Err(format!("property {key:?} is null: give a number of Mbit/s")),
        }
    }
    out.sort_by_key(|(y, _)| *y);
    Ok(out)
}

/// Sites: `site_id`, `kind`, and optional `tenants` (operator codes; existing
/// sites only), `capacity`, `height_m`, `public_building`, `load_capacity_kg`,
/// `name`; Point.
pub fn sites_from(
    file: &str,
    features: &[RawFeature],
    origin: SiteOrigin,
    defaults: &SiteDefaults,
    projector: &Projector,
) -> Result<Vec<Site>, LayerError> {
    let cx = Ctx { file, projector };
    features
        .iter()
        .map(|f| {
            let p = &f.properties;
            let e = |m: String| cx.err(f, m);
            let id = required_str(p, "site_id").map_err(e)?;
            let kind: SiteKind = required_str(p, "kind").map_err(e)?.parse().map_err(e)?;
            let list = optional_str_list(p, "tenants").map_err(e)?.unwrap_or_default();
            let (tenants, technologies) = parse_tenants(&list, defaults.technologies).map_err(e)?;
            if origin == SiteOrigin::Candidate && !tenants.is_empty() {
                return Err(e("a candidate site cannot have tenants".into()));
            }
            let capacity = match optional_f64(p, "capacity").map_err(e)? {
                None => defaults.capacity.get(&kind).copied().unwrap_or(3),
                Some(c) if c.fract() == 0.0 && (1.0..=3.0).contains(&c) => c as u8,
                Some(c) => {
                    return Err(e(format!(
                        "property \"capacity\" must be a whole number from 1 to 3, found {c}"
                    )))
                }
            };
            if (tenants.len() as u8) > capacity {
                return Err(e(format!(
                    "{} tenants on a site of capacity {capacity}",
                    tenants.len()
                )));
            }
            let height_m = match optional_f64(p, "height_m").map_err(e)? {
                Some(h) if h > 0.0 && h < 1000.0 => h,
                Some(h) => {
                    return Err(e(format!(
                        "property \"height_m\" must be between 0 and 1000 m, found {h}"
                    )))
                }
                None => defaults.height_m.get(&kind).copied().unwrap_or(30.0),
            };
            let load_capacity_kg = optional_f64(p, "load_capacity_kg").map_err(e)?;
            if let Some(l) = load_capacity_kg {
                if l < 0.0 {
                    return Err(e(format!(
                        "property \"load_capacity_kg\" is negative ({l})"
                    )));
                }
            }
            let venue = optional_str(p, "venue").map_err(e)?;
            let footprint_m = match optional_f64(p, "footprint_m").map_err(e)? {
                Some(r) if r > 0.0 && r <= 5_000.0 => Some(r),
                Some(r) => {
                    return Err(e(format!(
                        "property \"footprint_m\" must be between 0 and 5000 m, found {r}"
                    )))
                }
                None if kind == SiteKind::Indoor => Some(defaults.footprint_m),
                None => None,
            };
            if kind != SiteKind::Indoor && (venue.is_some() || footprint_m.is_some()) {
                return Err(e(format!(
                    "\"venue\" and \"footprint_m\" describe indoor systems, but this site is a {kind}"
                )));
            }
            let (xy, lonlat) = cx.point(f)?;
            Ok(Site {
                id,
                technologies,
                venue,
                footprint_m,
                origin,
                kind,
                xy,
                lonlat,
                height_m,
                capacity,
                tenants,
                public_building: optional_bool(p, "public_building")
                    .map_err(e)?
                    .unwrap_or(false),
                load_capacity_kg,
                name: optional_str(p, "name").map_err(e)?,
            })
        })
        .collect()
}

/// Zones: `class` (see [`ZoneClass`]), optional `id` and `name`, (Multi)Polygon.
pub fn zones_from(
    file: &str,
    features: &[RawFeature],
    projector: &Projector,
) -> Result<Vec<Zone>, LayerError> {
    let cx = Ctx { file, projector };
    features
        .iter()
        .map(|f| {
            let p = &f.properties;
            let class: ZoneClass = required_str(p, "class")
                .map_err(|e| cx.err(f, e))?
                .parse()
                .map_err(|e: String| cx.err(f, e))?;
            let building_height_m =
                optional_f64(p, "building_height_m").map_err(|e| cx.err(f, e))?;
            if let Some(h) = building_height_m {
                if !(h.is_finite() && (0.0..1000.0).contains(&h)) {
                    return Err(cx.err(
                        f,
                        format!("building_height_m = {h} is not a height in metres (0–1000)"),
                    ));
                }
            }
            closed_rings(f).map_err(|e| cx.err(f, e))?;
            let geometry = cx.polygons(f)?;
            if let Some(problem) = geometry.validation_errors().into_iter().next() {
                return Err(cx.err(
                    f,
                    format!("invalid polygon: {problem} (a zone must be a valid polygon: repair it, e.g. with GDAL's -makevalid)"),
                ));
            }
            Ok(Zone {
                id: optional_str(p, "id")
                    .map_err(|e| cx.err(f, e))?
                    .unwrap_or_else(|| format!("zone-{}", f.index)),
                class,
                name: optional_str(p, "name").map_err(|e| cx.err(f, e))?,
                geometry,
                building_height_m,
            })
        })
        .collect()
}

/// Every ring of a (multi)polygon feature closes on its first position and
/// has at least four positions.
fn closed_rings(f: &RawFeature) -> Result<(), String> {
    let polys: Vec<&Vec<Vec<[f64; 2]>>> = match &f.geometry {
        Some(RawGeometry::Polygon(rings)) => vec![rings],
        Some(RawGeometry::Polygons(p)) => p.iter().collect(),
        _ => return Ok(()),
    };
    for (i, rings) in polys.iter().enumerate() {
        if rings.is_empty() {
            return Err(format!("polygon {i} has no rings"));
        }
        for (j, r) in rings.iter().enumerate() {
            let which = if j == 0 {
                "exterior ring".to_string()
            } else {
                format!("interior ring {j}")
            };
            if r.len() < 4 {
                return Err(format!(
                    "invalid polygon: {which} of polygon {i} has {} positions, a closed ring needs at least 4",
                    r.len()
                ));
            }
            if r.first() != r.last() {
                return Err(format!(
                    "invalid polygon: {which} of polygon {i} is not closed (it ends at {:?}, not at its start {:?})",
                    r[r.len() - 1], r[0]
                ));
            }
        }
    }
    Ok(())
}

/// Checks that site ids are unique across all site layers, given as
/// `(file, sites)` pairs; the error names both occurrences.
pub fn check_unique_site_ids(layers: &[(&str, &[Site])]) -> Result<(), LayerError> {
    let mut seen: HashMap<&str, (&str, usize)> = HashMap::new();
    for (file, sites) in layers {
        for (index, s) in sites.iter().enumerate() {
            if let Some((first_file, first_index)) = seen.insert(&s.id, (file, index)) {
                return Err(LayerError::DuplicateId {
                    file: file.to_string(),
                    feature: FeatureRef {
                        index,
                        id: Some(format!("site_id={}", s.id)),
                    },
                    id: s.id.clone(),
                    first: Box::new((
                        first_file.to_string(),
                        FeatureRef {
                            index: first_index,
                            id: Some(format!("site_id={}", s.id)),
                        },
                    )),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GeoJsonReader, LayerReader, Source};

    fn features(text: &'static str) -> Vec<RawFeature> {
        let layer = GeoJsonReader
            .read(&Source::Embedded {
                name: "s.geojson".into(),
                bytes: text.as_bytes(),
            })
            .unwrap();
        let t = siting_crs::Transform::new(&siting_crs::SourceCrs::Wgs84).unwrap();
        crate::reproject("s.geojson", layer.features, &t).unwrap()
    }

    fn projector() -> Projector {
        Projector::new("EPSG:4545").unwrap()
    }

    #[test]
    fn existing_site_reads_with_defaults() {
        let f = features(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"site_id":"E1","kind":"ground_tower","tenants":["CMCC:2G+3G"]},
            "geometry":{"type":"Point","coordinates":[106.5,29.5]}}]}"#,
        );
        let s = sites_from(
            "s.geojson",
            &f,
            SiteOrigin::Existing,
            &SiteDefaults::default(),
            &projector(),
        )
        .unwrap();
        assert_eq!(s[0].capacity, 3);
        assert_eq!(s[0].height_m, 35.0);
        assert_eq!(s[0].spare_slots(), 2);
        assert!(s[0].lte().is_empty());
        assert_eq!(s[0].tenant_codes(), vec!["CMCC:2G+3G"]);
    }

    #[test]
    fn tenants_with_technologies_in_every_form() {
        for tenants in [
            r#"["CMCC:2G+3G+4G","CTCC:2G"]"#,
            r#""CMCC:2G+3G+4G,CTCC:2G""#,
            r#""CMCC:2G+3G+4G; CTCC:2G""#,
            r#""(2:CMCC:2G+3G+4G,CTCC:2G)""#,
        ] {
            let text: &'static str = Box::leak(
                format!(r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"site_id":"A","kind":"rooftop","tenants":{tenants}}},"geometry":{{"type":"Point","coordinates":[106.5,29.5]}}}}]}}"#)
                    .into_boxed_str(),
            );
            let s = sites_from(
                "s.geojson",
                &features(text),
                SiteOrigin::Existing,
                &SiteDefaults::default(),
                &projector(),
            )
            .unwrap();
            assert_eq!(
                s[0].tenant_codes(),
                vec!["CMCC:2G+3G+4G", "CTCC:2G"],
                "{tenants}"
            );
            assert_eq!(s[0].lte().codes(), vec!["CMCC"]);
        }
        // A bare code takes the default, and is an error without one.
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"site_id":"A","kind":"rooftop","tenants":"CUCC"},"geometry":{"type":"Point","coordinates":[106.5,29.5]}}]}"#;
        let defaults = SiteDefaults {
            technologies: Some("2G+3G".parse().unwrap()),
            ..Default::default()
        };
        let s = sites_from(
            "s.geojson",
            &features(text),
            SiteOrigin::Existing,
            &defaults,
            &projector(),
        )
        .unwrap();
        assert_eq!(s[0].tenant_codes(), vec!["CUCC:2G+3G"]);
        let e = sites_from(
            "s.geojson",
            &features(text),
            SiteOrigin::Existing,
            &SiteDefaults::default(),
            &projector(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("feature #0")
                && e.contains("CUCC names no technologies")
                && e.contains("site_defaults.technologies"),
            "{e}"
        );
    }

    #[test]
    fn bad_site_properties_are_named() {
        for (props, want) in [
            (
                r#"{"kind":"ground_tower"}"#,
                "missing required property \"site_id\"",
            ),
            (r#"{"site_id":"A","kind":"tower"}"#, "unknown site kind"),
            (
                r#"{"site_id":"A","kind":"rooftop","tenants":["XX"]}"#,
                "unknown operator code",
            ),
            (
                r#"{"site_id":"A","kind":"rooftop","capacity":7}"#,
                "capacity",
            ),
            (
                r#"{"site_id":"A","kind":"rooftop","tenants":["CMCC:2G+6G"]}"#,
                "unknown technology \"6G\"",
            ),
            (
                r#"{"site_id":"A","kind":"rooftop","tenants":"CMCC:2G,CMCC:4G"}"#,
                "lists CMCC twice",
            ),
            (
                r#"{"site_id":"A","kind":"rooftop","tenants":"CMCC:"}"#,
                "names no technology after the colon",
            ),
            (
                r#"{"site_id":"A","kind":"rooftop","footprint_m":100}"#,
                "describe indoor systems",
            ),
            (
                r#"{"site_id":"A","kind":"rooftop","height_m":"high"}"#,
                "must be a number",
            ),
        ] {
            let text: &'static str = Box::leak(
                format!(r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{props},"geometry":{{"type":"Point","coordinates":[106.5,29.5]}}}}]}}"#)
                    .into_boxed_str(),
            );
            let e = sites_from(
                "s.geojson",
                &features(text),
                SiteOrigin::Existing,
                &SiteDefaults::default(),
                &projector(),
            )
            .unwrap_err()
            .to_string();
            assert!(
                e.contains("s.geojson") && e.contains("feature #0") && e.contains(want),
                "{e}"
            );
        }
    }

    #[test]
    fn duplicate_ids_name_both_places() {
        let f = features(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"site_id":"A","kind":"rooftop"},"geometry":{"type":"Point","coordinates":[106.5,29.5]}}]}"#,
        );
        let s = sites_from(
            "a.geojson",
            &f,
            SiteOrigin::Candidate,
            &SiteDefaults::default(),
            &projector(),
        )
        .unwrap();
        let e = check_unique_site_ids(&[("a.geojson", &s), ("b.geojson", &s)])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("b.geojson")
                && e.contains("a.geojson")
                && e.contains("duplicate site id \"A\""),
            "{e}"
        );
    }

    #[test]
    fn district_needs_polygon_and_adcode() {
        let f = features(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"adcode":"5001","name":"x"},"geometry":{"type":"Polygon","coordinates":[[[106,29],[107,29],[107,30],[106,29]]]}}]}"#,
        );
        let e = districts_from("d.geojson", &f, &projector())
            .unwrap_err()
            .to_string();
        assert!(e.contains("6-digit"), "{e}");
        let f = features(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"adcode":"500101","name":"x"},"geometry":{"type":"Point","coordinates":[106,29]}}]}"#,
        );
        let e = districts_from("d.geojson", &f, &projector())
            .unwrap_err()
            .to_string();
        assert!(e.contains("expected a Polygon"), "{e}");
    }
}
