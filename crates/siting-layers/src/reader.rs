//! The format seam: any reader yields raw features in WGS84.

use crate::{LayerError, Source};
use serde_json::{Map, Value};

/// A geometry as read, WGS84 lon/lat degrees, checked to be in range.
#[derive(Debug, Clone, PartialEq)]
pub enum RawGeometry {
    /// A single position.
    Point([f64; 2]),
    /// Polygons, each a list of rings (exterior first), each a list of positions.
    Polygons(Vec<Vec<Vec<[f64; 2]>>>),
    /// Any other geometry type, by name (rejected where a layer needs one of the above).
    Other(&'static str),
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

/// Reads one layer format. New formats (Shapefile, GeoPackage, …) implement this.
pub trait LayerReader {
    /// Reads every feature of the layer, checking coordinates are valid WGS84.
    fn read(&self, source: &Source) -> Result<Vec<RawFeature>, LayerError>;
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
        match &f.geometry {
            Some(RawGeometry::Point(p)) => add(p),
            Some(RawGeometry::Polygons(polys)) => {
                polys.iter().flatten().flatten().for_each(&mut add);
            }
            _ => {}
        }
    }
    b
}
