//! GeoJSON (RFC 7946) layers through the `geojson` crate.

use crate::reader::{LayerReader, RawFeature, RawGeometry, ReadLayer};
use crate::{FeatureRef, LayerError, Source};
use geojson::{GeoJson, GeometryValue, Position};

/// Reads a GeoJSON FeatureCollection (or a single Feature).
#[derive(Debug, Clone, Copy, Default)]
pub struct GeoJsonReader;

impl LayerReader for GeoJsonReader {
    fn read(&self, source: &Source) -> Result<ReadLayer, LayerError> {
        GeoJsonReader::parse(&source.label(), &source.bytes()?)
    }
}

impl GeoJsonReader {
    /// Parses a layer from a file's bytes already read; errors name `file`.
    pub fn parse(file: &str, bytes: &[u8]) -> Result<ReadLayer, LayerError> {
        let file = file.to_string();
        let text = std::str::from_utf8(bytes).map_err(|e| LayerError::Malformed {
            file: file.clone(),
            format: "GeoJSON",
            message: format!("not UTF-8 text ({e})"),
        })?;
        let gj: GeoJson = text
            .parse()
            .map_err(|e: geojson::Error| LayerError::Malformed {
                file: file.clone(),
                format: "GeoJSON",
                message: e.to_string(),
            })?;
        let mut crs = "EPSG:4326".to_string();
        let features = match gj {
            GeoJson::FeatureCollection(fc) => {
                if let Some(name) = fc
                    .foreign_members
                    .as_ref()
                    .and_then(|m| m.get("crs"))
                    .and_then(|c| c.pointer("/properties/name"))
                    .and_then(|n| n.as_str())
                {
                    crs = legacy_crs_name(name);
                }
                fc.features
            }
            GeoJson::Feature(f) => vec![f],
            GeoJson::Geometry(_) => {
                return Err(LayerError::Malformed {
                    file,
                    format: "GeoJSON",
                    message: "a bare Geometry, expected a FeatureCollection".into(),
                })
            }
        };
        let features = features
            .into_iter()
            .enumerate()
            .map(|(index, f)| {
                let properties = f.properties.unwrap_or_default();
                let geometry = match f.geometry {
                    None => None,
                    Some(g) => Some(convert(&g.value).map_err(|problem| LayerError::Feature {
                        file: file.clone(),
                        feature: FeatureRef {
                            index,
                            id: crate::property::feature_id(&properties),
                        },
                        problem,
                    })?),
                };
                Ok(RawFeature {
                    index,
                    geometry,
                    properties,
                })
            })
            .collect::<Result<Vec<_>, LayerError>>()?;
        Ok(ReadLayer {
            features,
            crs: Some(crs),
        })
    }
}

/// The CRS named by a pre-RFC 7946 `crs` member (`urn:ogc:def:crs:EPSG::4545`,
/// `EPSG:4545`, `urn:ogc:def:crs:OGC:1.3:CRS84`).
fn legacy_crs_name(name: &str) -> String {
    if name.ends_with("CRS84") {
        return "EPSG:4326".into();
    }
    match name.rsplit_once("EPSG::") {
        Some((_, code)) => format!("EPSG:{code}"),
        None => name.to_string(),
    }
}

fn position(p: &Position) -> Result<[f64; 2], String> {
    let s = p.as_slice();
    if s.len() < 2 {
        return Err(format!("position with {} coordinate(s), need 2", s.len()));
    }
    if !s[0].is_finite() || !s[1].is_finite() {
        return Err(format!(
            "position ({}, {}) is not a pair of numbers",
            s[0], s[1]
        ));
    }
    Ok([s[0], s[1]])
}

fn polygon(rings: &[Vec<Position>]) -> Result<Vec<Vec<[f64; 2]>>, String> {
    if rings.is_empty() {
        return Err("polygon with no rings".into());
    }
    rings
        .iter()
        .map(|ring| {
            if ring.len() < 4 {
                return Err(format!(
                    "polygon ring with {} positions, need at least 4",
                    ring.len()
                ));
            }
            ring.iter().map(position).collect()
        })
        .collect()
}

fn convert(v: &GeometryValue) -> Result<RawGeometry, String> {
    Ok(match v {
        GeometryValue::Point { coordinates } => RawGeometry::Point(position(coordinates)?),
        GeometryValue::Polygon { coordinates } => RawGeometry::Polygon(polygon(coordinates)?),
        GeometryValue::MultiPolygon { coordinates } => RawGeometry::Polygons(
            coordinates
                .iter()
                .map(|p| polygon(p))
                .collect::<Result<_, _>>()?,
        ),
        GeometryValue::MultiPoint { coordinates } => {
            RawGeometry::MultiPoint(coordinates.iter().map(position).collect::<Result<_, _>>()?)
        }
        GeometryValue::LineString { coordinates } => {
            RawGeometry::Line(coordinates.iter().map(position).collect::<Result<_, _>>()?)
        }
        GeometryValue::MultiLineString { coordinates } => RawGeometry::MultiLine(
            coordinates
                .iter()
                .map(|l| l.iter().map(position).collect::<Result<Vec<_>, _>>())
                .collect::<Result<_, _>>()?,
        ),
        other => RawGeometry::Other(other.type_name()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &'static str) -> Result<Vec<RawFeature>, LayerError> {
        let layer = GeoJsonReader.read(&Source::Embedded {
            name: "t.geojson".into(),
            bytes: text.as_bytes(),
        })?;
        let t = siting_crs::Transform::new(&siting_crs::SourceCrs::Wgs84).unwrap();
        crate::reader::reproject("t.geojson", layer.features, &t)
    }

    #[test]
    fn legacy_crs_member_is_read() {
        let layer = GeoJsonReader
            .read(&Source::Embedded {
                name: "t.geojson".into(),
                bytes: br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4545"}},"features":[]}"#,
            })
            .unwrap();
        assert_eq!(layer.crs.as_deref(), Some("EPSG:4545"));
    }

    #[test]
    fn reads_points_and_polygons() {
        let f = read(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[106.5,29.5]}},
            {"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
            {"type":"Feature","properties":{},"geometry":null}]}"#)
        .unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].geometry, Some(RawGeometry::Point([106.5, 29.5])));
        assert!(matches!(f[1].geometry, Some(RawGeometry::Polygon(ref p)) if p[0].len() == 4));
        assert_eq!(f[2].geometry, None);
    }

    #[test]
    fn out_of_range_latitude_names_the_feature() {
        let e = read(r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"site_id":"X1"},"geometry":{"type":"Point","coordinates":[29.5,106.5]}}]}"#)
        .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("t.geojson")
                && msg.contains("#0")
                && msg.contains("X1")
                && msg.contains("latitude"),
            "{msg}"
        );
    }

    #[test]
    fn malformed_json_names_the_file() {
        let e = read(r#"{"type":"FeatureCollection","features":[ {"#).unwrap_err();
        assert!(matches!(e, LayerError::Malformed { .. }));
        assert!(e.to_string().starts_with("t.geojson: malformed GeoJSON"));
    }
}
