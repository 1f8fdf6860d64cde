//! How a config names a layer: a path, or a table with its CRS, encoding and
//! attribute mapping.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A layer in a config: `"file.geojson"` or
/// `{ path = "sites.shp", crs = "EPSG:4545", encoding = "GBK", fields = { site_id = "编号" } }`.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct LayerSpec {
    /// The file, relative to the config.
    pub path: String,
    /// Its CRS where the file does not say (or to override it): any PROJ
    /// definition (`EPSG:4490`, `EPSG:4545`…), `wgs84`, `gcj02` or `bd09`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// Attribute encoding where the file does not say (Shapefile without
    /// `.cpg`): `GBK`, `GB18030`, `UTF-8`…
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The layer's name in a multi-layer file (GeoPackage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// CSV: the x or longitude column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x_field: Option<String>,
    /// CSV: the y or latitude column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y_field: Option<String>,
    /// Model attribute ← file attribute (`site_id = "编号"`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

impl LayerSpec {
    /// A spec that is only a path.
    pub fn path(path: &str) -> Self {
        LayerSpec {
            path: path.to_string(),
            ..Default::default()
        }
    }

    /// Whether anything beyond the path is set (which asks for GDAL).
    pub fn needs_gdal(&self) -> bool {
        let ext = std::path::Path::new(&self.path)
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        !matches!(ext.as_deref(), Some("geojson") | Some("json"))
            || self.encoding.is_some()
            || self.layer.is_some()
            || self.x_field.is_some()
            || self.y_field.is_some()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    path: String,
    #[serde(default)]
    crs: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    layer: Option<String>,
    #[serde(default)]
    x_field: Option<String>,
    #[serde(default)]
    y_field: Option<String>,
    #[serde(default)]
    fields: BTreeMap<String, String>,
}

impl<'de> Deserialize<'de> for LayerSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LayerSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a file path or a table with `path` and optional `crs`, `encoding`, `layer`, `x_field`, `y_field`, `fields`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LayerSpec, E> {
                Ok(LayerSpec::path(v))
            }
            fn visit_map<M: MapAccess<'de>>(self, m: M) -> Result<LayerSpec, M::Error> {
                let t = Table::deserialize(de::value::MapAccessDeserializer::new(m))?;
                Ok(LayerSpec {
                    path: t.path,
                    crs: t.crs,
                    encoding: t.encoding,
                    layer: t.layer,
                    x_field: t.x_field,
                    y_field: t.y_field,
                    fields: t.fields,
                })
            }
        }
        d.deserialize_any(V)
    }
}
