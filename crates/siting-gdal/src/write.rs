//! Writing vector layers through GDAL.

use crate::read::driver_for;
use gdal::spatial_ref::SpatialRef;
use gdal::vector::{
    Feature, FieldDefn, FieldValue, Geometry, LayerAccess, LayerOptions, OGRFieldType,
    OGRwkbGeometryType,
};
use gdal::DriverManager;
use serde_json::{Map, Value};
use siting_layers::RawGeometry;
use std::path::{Path, PathBuf};

/// A layer could not be written.
#[derive(Debug, thiserror::Error)]
pub enum GdalLayerError {
    /// No driver for the file's extension.
    #[error("{0}: unknown output format (use .gpkg, .shp, .fgb, .kml, .geojson or .csv)")]
    Format(PathBuf),
    /// GDAL refused.
    #[error("{path}: GDAL cannot write it: {message}")]
    Gdal {
        /// The file.
        path: PathBuf,
        /// GDAL's message.
        message: String,
    },
}

/// One layer to write: a name, features (geometry and attributes).
#[derive(Debug, Clone, PartialEq)]
pub struct OutLayer {
    /// Layer name (GeoPackage table; ignored by single-layer formats).
    pub name: String,
    /// Geometry and attributes of each feature.
    pub features: Vec<(RawGeometry, Map<String, Value>)>,
    /// The type of a column whose values do not tell (all null, as a
    /// height no zone gives); the others are found from their values.
    pub declared: Vec<(String, FieldKind)>,
}

/// A column's type where its values do not tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A real number.
    Real,
    /// A 64-bit integer.
    Integer,
    /// A boolean (an integer field of subtype Boolean).
    Boolean,
    /// Text.
    Text,
}

fn point(p: [f64; 2]) -> gdal::errors::Result<Geometry> {
    let mut g = Geometry::empty(OGRwkbGeometryType::wkbPoint)?;
    g.add_point_2d((p[0], p[1]));
    Ok(g)
}

fn polygon(rings: &[Vec<[f64; 2]>]) -> gdal::errors::Result<Geometry> {
    let mut poly = Geometry::empty(OGRwkbGeometryType::wkbPolygon)?;
    for r in rings {
        let mut ring = Geometry::empty(OGRwkbGeometryType::wkbLinearRing)?;
        for p in r {
            ring.add_point_2d((p[0], p[1]));
        }
        poly.add_geometry(ring)?;
    }
    Ok(poly)
}

fn geometry(g: &RawGeometry) -> gdal::errors::Result<Option<Geometry>> {
    Ok(match g {
        RawGeometry::Point(p) => Some(point(*p)?),
        RawGeometry::Polygon(rings) => Some(polygon(rings)?),
        RawGeometry::Polygons(polys) => {
            let mut mp = Geometry::empty(OGRwkbGeometryType::wkbMultiPolygon)?;
            for p in polys {
                mp.add_geometry(polygon(p)?)?;
            }
            Some(mp)
        }
        RawGeometry::MultiPoint(ps) => {
            let mut mp = Geometry::empty(OGRwkbGeometryType::wkbMultiPoint)?;
            for p in ps {
                mp.add_geometry(point(*p)?)?;
            }
            Some(mp)
        }
        RawGeometry::Line(ps) => Some(line(ps)?),
        RawGeometry::MultiLine(ls) => {
            let mut ml = Geometry::empty(OGRwkbGeometryType::wkbMultiLineString)?;
            for l in ls {
                ml.add_geometry(line(l)?)?;
            }
            Some(ml)
        }
        RawGeometry::Other(_) => None,
    })
}

fn line(ps: &[[f64; 2]]) -> gdal::errors::Result<Geometry> {
    let mut l = Geometry::empty(OGRwkbGeometryType::wkbLineString)?;
    for p in ps {
        l.add_point_2d((p[0], p[1]));
    }
    Ok(l)
}

/// The OGR field type that holds both a column's type so far (`None`: no
/// value seen yet) and value `v`; nulls change nothing.
fn widen(ty: Option<OGRFieldType::Type>, v: &Value) -> Option<OGRFieldType::Type> {
    let t = match v {
        Value::Null => return ty,
        Value::Bool(_) => OGRFieldType::OFTInteger,
        Value::Number(n) if n.is_i64() || n.is_u64() => OGRFieldType::OFTInteger64,
        Value::Number(_) => OGRFieldType::OFTReal,
        _ => OGRFieldType::OFTString,
    };
    Some(match (ty, t) {
        (None, t) => t,
        (Some(a), b) if a == b => a,
        (Some(OGRFieldType::OFTInteger64), OGRFieldType::OFTReal)
        | (Some(OGRFieldType::OFTReal), OGRFieldType::OFTInteger64) => OGRFieldType::OFTReal,
        _ => OGRFieldType::OFTString,
    })
}

fn field_value(v: &Value, ty: OGRFieldType::Type) -> Option<FieldValue> {
    Some(match (v, ty) {
        (Value::Null, _) => return None,
        (Value::Bool(b), OGRFieldType::OFTInteger) => FieldValue::IntegerValue(*b as i32),
        (Value::Number(n), OGRFieldType::OFTInteger64) => FieldValue::Integer64Value(n.as_i64()?),
        (Value::Number(n), OGRFieldType::OFTReal) => FieldValue::RealValue(n.as_f64()?),
        (Value::String(s), _) => FieldValue::StringValue(s.clone()),
        (other, _) => FieldValue::StringValue(other.to_string()),
    })
}

/// A layer's default style for QGIS: one row of a GeoPackage's
/// `layer_styles` table (the QGIS convention, which QGIS reads when it opens
/// the layer).
#[derive(Debug, Clone, PartialEq)]
pub struct LayerStyle {
    /// The layer it styles (`f_table_name`); must be one of the layers written.
    pub layer: String,
    /// The style's name (`styleName`, at most 30 characters by convention).
    pub name: String,
    /// The QGIS style document (`styleQML`).
    pub qml: String,
    /// The same as OGC SLD (`styleSLD`), or empty.
    pub sld: String,
    /// Words on it (`description`).
    pub description: String,
}

/// The time every GeoPackage written here records as its last change (and
/// its styles' `update_time`): pinned, so that the same features give the
/// same bytes.
pub const FIXED_TIME: &str = "2000-01-01T00:00:00.000Z";

/// Writes `layers` to `path` in the format its extension names, with the
/// coordinate system `srs` (a PROJ/GDAL definition such as `EPSG:4326`, or
/// `None` for none, as for GCJ-02 and BD-09). An existing file is replaced.
/// A column of booleans is an integer field of subtype Boolean (QGIS shows
/// a check box); lists and objects are written as JSON text.
pub fn write_layers(
    path: &Path,
    layers: &[OutLayer],
    srs: Option<&str>,
) -> Result<(), GdalLayerError> {
    write_inner(path, layers, srs, &[])
}

/// Writes `layers` to the GeoPackage `path` as [`write_layers`] does, all
/// in one transaction, and `styles` into its `layer_styles` table (created
/// as QGIS creates it: `id`, `f_table_catalog`, `f_table_schema`,
/// `f_table_name`, `f_geometry_column`, `styleName`, `styleQML`,
/// `styleSLD`, `useAsDefault` (Boolean), `description`, `owner`, `ui`,
/// `update_time`), each the default style of its layer. A style naming no
/// layer written is an error; `path` must end in `.gpkg`.
pub fn write_geopackage(
    path: &Path,
    layers: &[OutLayer],
    srs: Option<&str>,
    styles: &[LayerStyle],
) -> Result<(), GdalLayerError> {
    if driver_for(path) != Some("GPKG") {
        return Err(GdalLayerError::Format(path.to_path_buf()));
    }
    if let Some(s) = styles
        .iter()
        .find(|s| !layers.iter().any(|l| l.name == s.layer))
    {
        return Err(GdalLayerError::Gdal {
            path: path.to_path_buf(),
            message: format!("style {:?} names no layer written: {:?}", s.name, s.layer),
        });
    }
    write_inner(path, layers, srs, styles)
}

fn write_inner(
    path: &Path,
    layers: &[OutLayer],
    srs: Option<&str>,
    styles: &[LayerStyle],
) -> Result<(), GdalLayerError> {
    let driver_name = driver_for(path).ok_or_else(|| GdalLayerError::Format(path.to_path_buf()))?;
    let fail = |e: gdal::errors::GdalError| GdalLayerError::Gdal {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    if path.exists() {
        std::fs::remove_file(path).map_err(|e| GdalLayerError::Gdal {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    }
    // GeoPackages record a last-change time: pin it, so that the same
    // features give the same bytes.
    gdal::config::set_config_option("OGR_CURRENT_DATE", FIXED_TIME).map_err(fail)?;
    let driver = DriverManager::get_driver_by_name(driver_name).map_err(fail)?;
    let mut ds = driver.create_vector_only(path).map_err(fail)?;
    let srs = match srs {
        Some(def) => {
            let mut s = SpatialRef::from_definition(def).map_err(fail)?;
            s.set_axis_mapping_strategy(
                gdal::spatial_ref::AxisMappingStrategy::TraditionalGisOrder,
            );
            Some(s)
        }
        None => None,
    };
    // A GeoPackage commits once, not once per feature.
    if driver_name == "GPKG" {
        let mut txn = ds.start_transaction().map_err(fail)?;
        write_all(&mut txn, layers, srs.as_ref(), driver_name, &fail)?;
        if !styles.is_empty() {
            write_styles(&mut txn, styles, &fail)?;
        }
        txn.commit().map_err(fail)?;
    } else {
        write_all(&mut ds, layers, srs.as_ref(), driver_name, &fail)?;
    }
    ds.close().map_err(fail)?;
    Ok(())
}

/// The `layer_styles` table, as QGIS's OGR provider creates it, and one
/// default style per entry of `styles`.
fn write_styles(
    ds: &mut gdal::Dataset,
    styles: &[LayerStyle],
    fail: &dyn Fn(gdal::errors::GdalError) -> GdalLayerError,
) -> Result<(), GdalLayerError> {
    let layer = ds
        .create_layer(LayerOptions {
            name: "layer_styles",
            srs: None,
            ty: OGRwkbGeometryType::wkbNone,
            options: Some(&["FID=id"]),
        })
        .map_err(fail)?;
    let text = |name: &str, width: i32| -> gdal::errors::Result<()> {
        let fd = FieldDefn::new(name, OGRFieldType::OFTString)?;
        fd.set_width(width);
        fd.add_to_layer(&layer)
    };
    for name in [
        "f_table_catalog",
        "f_table_schema",
        "f_table_name",
        "f_geometry_column",
    ] {
        text(name, 256).map_err(fail)?;
    }
    text("styleName", 30).map_err(fail)?;
    text("styleQML", 0).map_err(fail)?;
    text("styleSLD", 0).map_err(fail)?;
    boolean_field(&layer, "useAsDefault").map_err(fail)?;
    text("description", 0).map_err(fail)?;
    text("owner", 30).map_err(fail)?;
    text("ui", 30).map_err(fail)?;
    FieldDefn::new("update_time", OGRFieldType::OFTDateTime)
        .and_then(|fd| fd.add_to_layer(&layer))
        .map_err(fail)?;
    for s in styles {
        let mut f = Feature::new(layer.defn()).map_err(fail)?;
        let values: [(&str, &str); 9] = [
            ("f_table_catalog", ""),
            ("f_table_schema", ""),
            ("f_table_name", &s.layer),
            ("f_geometry_column", "geom"),
            ("styleName", &s.name),
            ("styleQML", &s.qml),
            ("styleSLD", &s.sld),
            ("description", &s.description),
            ("owner", ""),
        ];
        for (name, v) in values {
            let i = f.field_index(name).map_err(fail)?;
            f.set_field_string(i, v).map_err(fail)?;
        }
        let i = f.field_index("useAsDefault").map_err(fail)?;
        f.set_field_integer(i, 1).map_err(fail)?;
        let i = f.field_index("update_time").map_err(fail)?;
        f.set_field_string(i, FIXED_TIME).map_err(fail)?;
        f.create(&layer).map_err(fail)?;
    }
    Ok(())
}

/// Adds an integer field of subtype Boolean (the gdal crate has no call for
/// field subtypes).
fn boolean_field(layer: &impl LayerAccess, name: &str) -> gdal::errors::Result<()> {
    let c_name = std::ffi::CString::new(name)?;
    // SAFETY: the field definition is created, used and destroyed here; the
    // layer handle is alive for the call (CreateField copies the definition).
    let rv = unsafe {
        let fd = gdal_sys::OGR_Fld_Create(c_name.as_ptr(), OGRFieldType::OFTInteger);
        gdal_sys::OGR_Fld_SetSubType(fd, gdal_sys::OGRFieldSubType::OFSTBoolean);
        let rv = gdal_sys::OGR_L_CreateField(layer.c_layer(), fd, 1);
        gdal_sys::OGR_Fld_Destroy(fd);
        rv
    };
    if rv == gdal_sys::OGRErr::OGRERR_NONE {
        Ok(())
    } else {
        Err(gdal::errors::GdalError::OgrError {
            err: rv,
            method_name: "OGR_L_CreateField",
        })
    }
}

fn write_all(
    ds: &mut gdal::Dataset,
    layers: &[OutLayer],
    srs: Option<&SpatialRef>,
    driver_name: &str,
    fail: &dyn Fn(gdal::errors::GdalError) -> GdalLayerError,
) -> Result<(), GdalLayerError> {
    for l in layers {
        // Field names in the order first seen, and per name its column.
        let mut names: Vec<String> = Vec::new();
        let mut column: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (_, props) in &l.features {
            for k in props.keys() {
                if !column.contains_key(k.as_str()) {
                    column.insert(k.as_str(), names.len());
                    names.push(k.clone());
                }
            }
        }
        let declared = |n: &str| l.declared.iter().find(|(d, _)| d == n).map(|(_, k)| *k);
        // Per column, the type its values need (`None`: all null), from
        // one pass over the features.
        let mut found: Vec<Option<OGRFieldType::Type>> = vec![None; names.len()];
        for (_, props) in &l.features {
            for (k, v) in props {
                let c = column[k.as_str()];
                found[c] = widen(found[c], v);
            }
        }
        // A column of nulls takes its declared type, else text.
        let types: Vec<OGRFieldType::Type> = names
            .iter()
            .zip(&found)
            .map(|(n, f)| match (f, declared(n)) {
                (Some(t), _) => *t,
                (None, Some(FieldKind::Real)) => OGRFieldType::OFTReal,
                (None, Some(FieldKind::Integer)) => OGRFieldType::OFTInteger64,
                (None, Some(FieldKind::Boolean)) => OGRFieldType::OFTInteger,
                (None, Some(FieldKind::Text)) | (None, None) => OGRFieldType::OFTString,
            })
            .collect();
        let kinds: std::collections::BTreeSet<&str> =
            l.features.iter().map(|f| f.0.type_name()).collect();
        let ty = match kinds.iter().copied().collect::<Vec<_>>().as_slice() {
            ["Point"] => OGRwkbGeometryType::wkbPoint,
            ["MultiPoint"] => OGRwkbGeometryType::wkbMultiPoint,
            ["LineString"] => OGRwkbGeometryType::wkbLineString,
            ["MultiLineString"] | ["LineString", "MultiLineString"] => {
                OGRwkbGeometryType::wkbMultiLineString
            }
            ["Polygon"] => OGRwkbGeometryType::wkbPolygon,
            ["MultiPolygon"] | ["MultiPolygon", "Polygon"] => OGRwkbGeometryType::wkbMultiPolygon,
            _ => OGRwkbGeometryType::wkbUnknown,
        };
        let options: &[&str] = match driver_name {
            "ESRI Shapefile" => &["ENCODING=UTF-8"],
            // The name `layer_styles` rows give as `f_geometry_column`.
            "GPKG" => &["GEOMETRY_NAME=geom"],
            _ => &[],
        };
        let layer = ds
            .create_layer(LayerOptions {
                name: &l.name,
                srs,
                ty,
                options: Some(options),
            })
            .map_err(fail)?;
        let defs: Vec<(&str, OGRFieldType::Type)> = names
            .iter()
            .map(String::as_str)
            .zip(types.iter().copied())
            .collect();
        for (name, ty) in &defs {
            // Integer columns come only from booleans (numbers are 64-bit)
            // or a declared Boolean column of nulls.
            let booleans = *ty == OGRFieldType::OFTInteger
                && declared(name).is_none_or(|k| k == FieldKind::Boolean);
            if booleans {
                boolean_field(&layer, name).map_err(fail)?;
            } else {
                FieldDefn::new(name, *ty)
                    .and_then(|fd| fd.add_to_layer(&layer))
                    .map_err(fail)?;
            }
        }
        for (g, props) in &l.features {
            let mut f = Feature::new(layer.defn()).map_err(fail)?;
            if let Some(geom) = geometry(g).map_err(fail)? {
                let geom = match (ty, geom.geometry_type()) {
                    (OGRwkbGeometryType::wkbMultiPolygon, OGRwkbGeometryType::wkbPolygon) => {
                        let mut mp =
                            Geometry::empty(OGRwkbGeometryType::wkbMultiPolygon).map_err(fail)?;
                        mp.add_geometry(geom).map_err(fail)?;
                        mp
                    }
                    _ => geom,
                };
                f.set_geometry(geom).map_err(fail)?;
            }
            for (k, v) in props {
                let i = column[k.as_str()];
                if let Some(v) = field_value(v, types[i]) {
                    f.set_field(i, &v).map_err(fail)?;
                }
            }
            f.create(&layer).map_err(fail)?;
        }
    }
    Ok(())
}
