//! Reading vector layers through GDAL.

use gdal::vector::{FieldValue, Geometry, LayerAccess, OGRwkbGeometryType};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use serde_json::{Map, Number, Value};
use siting_layers::{
    FeatureRef, LayerError, LayerReader, RawFeature, RawGeometry, ReadLayer, Source,
};
use std::path::Path;

/// The GDAL driver for a file extension, for reading and writing.
///
/// ```
/// assert_eq!(siting_gdal::driver_for(std::path::Path::new("a.shp")), Some("ESRI Shapefile"));
/// assert_eq!(siting_gdal::driver_for(std::path::Path::new("b.GPKG")), Some("GPKG"));
/// assert_eq!(siting_gdal::driver_for(std::path::Path::new("c.txt")), None);
/// ```
pub fn driver_for(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "shp" => "ESRI Shapefile",
        "gpkg" => "GPKG",
        "fgb" => "FlatGeobuf",
        "kml" => "KML",
        "geojson" | "json" => "GeoJSON",
        "csv" => "CSV",
        _ => return None,
    })
}

/// The files beside `path` that GDAL reads with it, where they exist: a
/// Shapefile's `.shx`, `.dbf`, `.prj`, `.cpg` (and `.qix`, `.sbn`, `.sbx`
/// indices), a CSV's `.csvt` and `.prj`; in that order, each matched with
/// the extension in lower or upper case. A fingerprint of the layer covers
/// them, since a changed `.dbf` or `.cpg` changes the layer.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// for f in ["a.shp", "a.dbf", "a.PRJ", "b.dbf"] {
///     std::fs::write(dir.path().join(f), b"x").unwrap();
/// }
/// let c = siting_gdal::companion_files(&dir.path().join("a.shp"));
/// let names: Vec<_> = c.iter().map(|p| p.file_name().unwrap().to_str().unwrap()).collect();
/// assert_eq!(names, ["a.dbf", "a.PRJ"]);
/// ```
pub fn companion_files(path: &Path) -> Vec<std::path::PathBuf> {
    let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
        return Vec::new();
    };
    let sidecars: &[&str] = match ext.to_ascii_lowercase().as_str() {
        "shp" => &["shx", "dbf", "prj", "cpg", "qix", "sbn", "sbx"],
        "csv" => &["csvt", "prj"],
        _ => &[],
    };
    sidecars
        .iter()
        .filter_map(|e| {
            [e.to_string(), e.to_ascii_uppercase()]
                .into_iter()
                .map(|e| path.with_extension(e))
                .find(|p| p.is_file())
        })
        .collect()
}

/// Reads one layer of a file GDAL can open.
#[derive(Debug, Clone, Default)]
pub struct GdalReader {
    /// Character encoding of the attribute table where the file does not say
    /// (a Shapefile without `.cpg`), such as `GBK` or `GB18030`.
    pub encoding: Option<String>,
    /// Which layer of a multi-layer file (GeoPackage); the first by default.
    pub layer: Option<String>,
    /// CSV: the column of x or longitude.
    pub x_field: Option<String>,
    /// CSV: the column of y or latitude.
    pub y_field: Option<String>,
}

fn malformed(file: &str, message: impl Into<String>) -> LayerError {
    LayerError::Malformed {
        file: file.to_string(),
        format: "GDAL vector layer",
        message: message.into(),
    }
}

impl LayerReader for GdalReader {
    fn read(&self, source: &Source) -> Result<ReadLayer, LayerError> {
        let file = source.label();
        let Source::File(path) = source else {
            return Err(malformed(
                &file,
                "GDAL reads files only; embedded layers must be GeoJSON",
            ));
        };
        if !path.exists() {
            return Err(LayerError::Io {
                file,
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            });
        }
        let mut opts: Vec<String> = Vec::new();
        if let Some(enc) = &self.encoding {
            opts.push(format!("ENCODING={enc}"));
        }
        if driver_for(path) == Some("CSV") {
            let x = self
                .x_field
                .clone()
                .unwrap_or_else(|| "lon,longitude,lng,x,经度".into());
            let y = self
                .y_field
                .clone()
                .unwrap_or_else(|| "lat,latitude,y,纬度".into());
            opts.push(format!("X_POSSIBLE_NAMES={x}"));
            opts.push(format!("Y_POSSIBLE_NAMES={y}"));
            opts.push("KEEP_GEOM_COLUMNS=NO".into());
            opts.push("AUTODETECT_TYPE=YES".into());
        }
        let opt_refs: Vec<&str> = opts.iter().map(String::as_str).collect();
        let ds = Dataset::open_ex(
            path,
            DatasetOptions {
                open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_VERBOSE_ERROR,
                open_options: Some(&opt_refs),
                ..Default::default()
            },
        )
        .map_err(|e| malformed(&file, format!("GDAL cannot open it: {e}")))?;
        let mut layer = match &self.layer {
            Some(name) => ds
                .layer_by_name(name)
                .map_err(|e| malformed(&file, format!("no layer {name:?}: {e}")))?,
            None => ds
                .layer(0)
                .map_err(|e| malformed(&file, format!("no layer: {e}")))?,
        };
        let crs = layer
            .spatial_ref()
            .and_then(|srs| match (srs.auth_name(), srs.auth_code()) {
                (Some(name), Ok(code)) => Some(format!("{name}:{code}")),
                _ => srs.to_wkt().ok(),
            });
        let encoding = self
            .encoding
            .clone()
            .unwrap_or_else(|| "the file's declared encoding".into());
        let mut features = Vec::new();
        for (index, f) in layer.features().enumerate() {
            let mut properties = Map::new();
            for (name, value) in f.fields() {
                let v = match value {
                    None => Value::Null,
                    Some(v) => field_json(v),
                };
                if let Value::String(s) = &v {
                    if s.contains('\u{FFFD}') {
                        return Err(LayerError::Feature {
                            file,
                            feature: FeatureRef { index, id: siting_layers::property::feature_id(&properties) },
                            problem: format!("field {name:?} cannot be decoded with {encoding}; name the layer's encoding (e.g. encoding = \"GBK\")"),
                        });
                    }
                }
                properties.insert(name, v);
            }
            let geometry = match f.geometry() {
                None => None,
                Some(g) => Some(raw_geometry(g).map_err(|problem| LayerError::Feature {
                    file: file.clone(),
                    feature: FeatureRef {
                        index,
                        id: siting_layers::property::feature_id(&properties),
                    },
                    problem,
                })?),
            };
            features.push(RawFeature {
                index,
                geometry,
                properties,
            });
        }
        Ok(ReadLayer { features, crs })
    }
}

fn field_json(v: FieldValue) -> Value {
    match v {
        FieldValue::IntegerValue(i) => Value::from(i),
        FieldValue::Integer64Value(i) => Value::from(i),
        FieldValue::RealValue(r) => Number::from_f64(r).map_or(Value::Null, Value::Number),
        FieldValue::StringValue(s) => Value::String(s),
        FieldValue::IntegerListValue(l) => Value::from(l),
        FieldValue::Integer64ListValue(l) => Value::from(l),
        FieldValue::RealListValue(l) => Value::Array(
            l.into_iter()
                .filter_map(Number::from_f64)
                .map(Value::Number)
                .collect(),
        ),
        FieldValue::StringListValue(l) => Value::from(l),
        FieldValue::DateValue(d) => Value::String(d.to_string()),
        FieldValue::DateTimeValue(d) => Value::String(d.to_string()),
    }
}

fn ring(g: &Geometry) -> Vec<[f64; 2]> {
    let mut pts = Vec::new();
    g.get_points(&mut pts);
    pts.into_iter().map(|(x, y, _)| [x, y]).collect()
}

fn polygon(g: &Geometry) -> Result<Vec<Vec<[f64; 2]>>, String> {
    let rings: Vec<Vec<[f64; 2]>> = (0..g.geometry_count())
        .map(|i| ring(&g.get_geometry(i)))
        .collect();
    if rings.is_empty() {
        return Err("polygon with no rings".into());
    }
    if let Some(r) = rings.iter().find(|r| r.len() < 4) {
        return Err(format!(
            "polygon ring with {} positions, need at least 4",
            r.len()
        ));
    }
    Ok(rings)
}

fn raw_geometry(g: &Geometry) -> Result<RawGeometry, String> {
    let flat = gdal::vector::geometry_type_flatten(g.geometry_type());
    Ok(match flat {
        OGRwkbGeometryType::wkbPoint => {
            let (x, y, _) = g.get_point(0);
            if !x.is_finite() || !y.is_finite() {
                return Err("point coordinates are not numbers".into());
            }
            RawGeometry::Point([x, y])
        }
        OGRwkbGeometryType::wkbPolygon => RawGeometry::Polygon(polygon(g)?),
        OGRwkbGeometryType::wkbMultiPolygon => RawGeometry::Polygons(
            (0..g.geometry_count())
                .map(|i| polygon(&g.get_geometry(i)))
                .collect::<Result<_, _>>()?,
        ),
        OGRwkbGeometryType::wkbLineString => RawGeometry::Line(ring(g)),
        OGRwkbGeometryType::wkbMultiPoint => RawGeometry::MultiPoint(
            (0..g.geometry_count())
                .map(|i| {
                    let (x, y, _) = g.get_geometry(i).get_point(0);
                    [x, y]
                })
                .collect(),
        ),
        OGRwkbGeometryType::wkbMultiLineString => RawGeometry::MultiLine(
            (0..g.geometry_count())
                .map(|i| ring(&g.get_geometry(i)))
                .collect(),
        ),
        _ => RawGeometry::Other("GeometryCollection"),
    })
}
