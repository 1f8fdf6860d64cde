//! The format seam: any reader yields raw features in WGS84.

use crate::{LayerError, Source};
use serde_json::{Map, Value};

/// A geometry as read: in the layer's CRS from a reader, in WGS84 lon/lat
/// degrees (checked to be in range) after [`reproject`].
#[derive(Debug, Clone, PartialEq)]
pub enum RawGeometry {
    /// A single position.
    Point([f64; 2]),
    /// One polygon: rings (exterior first), each a list of positions.
    Polygon(Vec<Vec<[f64; 2]>>),
    /// A multipolygon: polygons, each a list of rings.
    Polygons(Vec<Vec<Vec<[f64; 2]>>>),
    /// Several positions.
    MultiPoint(Vec<[f64; 2]>),
    /// One line.
    Line(Vec<[f64; 2]>),
    /// Several lines.
    MultiLine(Vec<Vec<[f64; 2]>>),
    /// Any other geometry type, by name (a geometry collection).
    Other(&'static str),
}

impl RawGeometry {
    /// The GeoJSON name of the geometry's type.
    pub fn type_name(&self) -> &'static str {
        match self {
            RawGeometry::Point(_) => "Point",
            RawGeometry::Polygon(_) => "Polygon",
            RawGeometry::Polygons(_) => "MultiPolygon",
            RawGeometry::MultiPoint(_) => "MultiPoint",
            RawGeometry::Line(_) => "LineString",
            RawGeometry::MultiLine(_) => "MultiLineString",
            RawGeometry::Other(t) => t,
        }
    }

    /// Applies `f` to every position.
    pub fn try_for_each_position<E>(
        &mut self,
        mut f: impl FnMut(&mut [f64; 2]) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            RawGeometry::Point(p) => f(p),
            RawGeometry::Polygon(rings) | RawGeometry::MultiLine(rings) => {
                rings.iter_mut().flatten().try_for_each(f)
            }
            RawGeometry::Polygons(polys) => polys.iter_mut().flatten().flatten().try_for_each(f),
            RawGeometry::MultiPoint(ps) | RawGeometry::Line(ps) => ps.iter_mut().try_for_each(f),
            RawGeometry::Other(_) => Ok(()),
        }
    }
}

/// One feature as read: its position in the layer, geometry and attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFeature {
    /// Zero-based position in the layer.
    pub index: usize,
    /// Geometry, or `None` where the feature has none.
    pub geometry: Option<RawGeometry>,
    /// Attributes.
    pub properties: Map<String, Value>,
}

/// A layer as read: its features, in its own CRS, and that CRS if the file
/// declares one.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadLayer {
    /// The features, coordinates in the layer's CRS.
    pub features: Vec<RawFeature>,
    /// The CRS the file declares (a PROJ definition), if any.
    pub crs: Option<String>,
}

/// Reads one layer format. New formats implement this.
pub trait LayerReader {
    /// Reads every feature of the layer.
    fn read(&self, source: &Source) -> Result<ReadLayer, LayerError>;
}

/// Transforms every coordinate to WGS84 and checks it is a valid
/// longitude and latitude; errors name the file and the feature.
pub fn reproject(
    file: &str,
    mut features: Vec<RawFeature>,
    transform: &siting_crs::Transform,
) -> Result<Vec<RawFeature>, LayerError> {
    for f in &mut features {
        let fail = |problem: String, f: &RawFeature| LayerError::Feature {
            file: file.to_string(),
            feature: crate::FeatureRef {
                index: f.index,
                id: crate::property::feature_id(&f.properties),
            },
            problem,
        };
        let mut convert = |p: &mut [f64; 2]| -> Result<(), String> {
            let (lon, lat) = transform.to_wgs84(p[0], p[1]).map_err(|e| e.to_string())?;
            if !(-180.0..=180.0).contains(&lon) {
                return Err(format!("longitude {lon} outside -180..180"));
            }
            if !(-90.0..=90.0).contains(&lat) {
                return Err(if lon.abs() <= 90.0 && lat.abs() <= 180.0 {
                    format!("latitude {lat} outside -90..90 (longitude and latitude swapped?)")
                } else {
                    format!("latitude {lat} outside -90..90")
                });
            }
            *p = [lon, lat];
            Ok(())
        };
        let result = match &mut f.geometry {
            Some(g) => g.try_for_each_position(&mut convert),
            None => Ok(()),
        };
        if let Err(problem) = result {
            return Err(fail(problem, f));
        }
    }
    Ok(features)
}

/// Renames attributes: for each `(model, source)` pair, the feature's
/// `source` attribute is taken as `model`.
pub fn rename_fields(
    features: &mut [RawFeature],
    fields: &std::collections::BTreeMap<String, String>,
) {
    for f in features {
        for (model, source) in fields {
            if let Some(v) = f.properties.remove(source) {
                f.properties.insert(model.clone(), v);
            }
        }
    }
}

/// The WGS84 bounds `(min_lon, min_lat, max_lon, max_lat)` of the features'
/// geometries, or `None` when there is none.
pub fn bounds(features: &[RawFeature]) -> Option<(f64, f64, f64, f64)> {
    let mut b: Option<(f64, f64, f64, f64)> = None;
    let mut add = |p: &[f64; 2]| {
        b = Some(match b {
            None => (p[0], p[1], p[0], p[1]),
            Some((a, c, d, e)) => (a.min(p[0]), c.min(p[1]), d.max(p[0]), e.max(p[1])),
        })
    };
    for f in features {
        if let Some(g) = &f.geometry {
            let mut g = g.clone();
            let _ = g.try_for_each_position(|p| -> Result<(), ()> {
                add(p);
                Ok(())
            });
        }
    }
    b
}
