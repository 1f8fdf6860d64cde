//! Any input CRS a layer may declare, and the transform from it to WGS84.

use crate::gcj;
use crate::CrsError;
use proj::Proj;
use std::fmt;

/// The CRS a layer's coordinates are in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SourceCrs {
    /// WGS84 longitude, latitude (EPSG:4326, and RFC 7946 GeoJSON).
    Wgs84,
    /// GCJ-02 (Chinese web maps: Amap, Tencent).
    Gcj02,
    /// BD-09 (Baidu).
    Bd09,
    /// Any CRS PROJ knows, by its definition (`EPSG:4545`, WKT, `+proj=…`).
    Proj(String),
}

impl SourceCrs {
    /// Parses `wgs84`, `gcj02`, `bd09` (any case, with or without dashes) or
    /// any PROJ definition such as `EPSG:4490`.
    ///
    /// ```
    /// use siting_crs::SourceCrs;
    /// assert_eq!(SourceCrs::parse("GCJ-02"), SourceCrs::Gcj02);
    /// assert_eq!(SourceCrs::parse("epsg:4326"), SourceCrs::Wgs84);
    /// assert_eq!(SourceCrs::parse("EPSG:4545"), SourceCrs::Proj("EPSG:4545".into()));
    /// ```
    pub fn parse(s: &str) -> SourceCrs {
        let k: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .collect();
        match k.as_str() {
            "wgs84" | "epsg:4326" | "crs84" | "ogc:crs84" => SourceCrs::Wgs84,
            "gcj02" => SourceCrs::Gcj02,
            "bd09" | "bd09ll" => SourceCrs::Bd09,
            _ => SourceCrs::Proj(s.trim().to_string()),
        }
    }
}

impl fmt::Display for SourceCrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceCrs::Wgs84 => f.write_str("EPSG:4326"),
            SourceCrs::Gcj02 => f.write_str("gcj02"),
            SourceCrs::Bd09 => f.write_str("bd09"),
            SourceCrs::Proj(d) => f.write_str(d),
        }
    }
}

/// Transforms coordinates between a [`SourceCrs`] and WGS84 (lon, lat), in
/// both directions. Coordinates are in the CRS's conventional GIS order
/// (easting or longitude first).
pub struct Transform {
    crs: SourceCrs,
    to_wgs84: Option<Proj>,
    from_wgs84: Option<Proj>,
}

impl fmt::Debug for Transform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transform").field("crs", &self.crs).finish()
    }
}

impl Transform {
    /// The transform for a CRS; an error names a definition PROJ does not know.
    pub fn new(crs: &SourceCrs) -> Result<Transform, CrsError> {
        let (to, from) = match crs {
            SourceCrs::Proj(def) => {
                let make = |a: &str, b: &str| {
                    Proj::new_known_crs(a, b, None).map_err(|e| CrsError::Create {
                        from: a.to_string(),
                        to: b.to_string(),
                        message: e.to_string(),
                    })
                };
                (Some(make(def, "EPSG:4326")?), Some(make("EPSG:4326", def)?))
            }
            _ => (None, None),
        };
        Ok(Transform {
            crs: crs.clone(),
            to_wgs84: to,
            from_wgs84: from,
        })
    }

    /// The source CRS.
    pub fn crs(&self) -> &SourceCrs {
        &self.crs
    }

    /// Source → WGS84 (lon, lat).
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        let out = match (&self.crs, &self.to_wgs84) {
            (SourceCrs::Wgs84, _) => (x, y),
            (SourceCrs::Gcj02, _) => gcj::gcj02_to_wgs84(x, y),
            (SourceCrs::Bd09, _) => gcj::bd09_to_wgs84(x, y),
            (SourceCrs::Proj(_), Some(p)) => p
                .convert((x, y))
                .map_err(|e| self.err(x, y, e.to_string()))?,
            (SourceCrs::Proj(_), None) => unreachable!("built in new"),
        };
        if out.0.is_finite() && out.1.is_finite() {
            Ok(out)
        } else {
            Err(self.err(x, y, "result is not finite".into()))
        }
    }

    /// WGS84 (lon, lat) → source.
    pub fn from_wgs84(&self, lon: f64, lat: f64) -> Result<(f64, f64), CrsError> {
        let out = match (&self.crs, &self.from_wgs84) {
            (SourceCrs::Wgs84, _) => (lon, lat),
            (SourceCrs::Gcj02, _) => gcj::wgs84_to_gcj02(lon, lat),
            (SourceCrs::Bd09, _) => gcj::wgs84_to_bd09(lon, lat),
            (SourceCrs::Proj(_), Some(p)) => {
                p.convert((lon, lat)).map_err(|e| CrsError::Transform {
                    from: "EPSG:4326".into(),
                    x: lon,
                    y: lat,
                    message: e.to_string(),
                })?
            }
            (SourceCrs::Proj(_), None) => unreachable!("built in new"),
        };
        if out.0.is_finite() && out.1.is_finite() {
            Ok(out)
        } else {
            Err(CrsError::Transform {
                from: "EPSG:4326".into(),
                x: lon,
                y: lat,
                message: "result is not finite".into(),
            })
        }
    }

    fn err(&self, x: f64, y: f64, message: String) -> CrsError {
        CrsError::Transform {
            from: self.crs.to_string(),
            x,
            y,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PROJ 9.1.1's own tool: `echo 29.56026 106.55771 | cs2cs EPSG:4326 EPSG:4545`
    /// gives 3272236.82 N 360221.74 E; EPSG:4544 (CM 105°E) and UTM 48N
    /// (EPSG:32648) likewise from cs2cs.
    #[test]
    fn gauss_kruger_and_utm_against_cs2cs() {
        let t = Transform::new(&SourceCrs::parse("EPSG:4545")).unwrap();
        let (lon, lat) = t.to_wgs84(360_221.74, 3_272_236.82).unwrap();
        assert!(
            (lon - 106.55771).abs() < 1e-6 && (lat - 29.56026).abs() < 1e-6,
            "{lon} {lat}"
        );
        let (e, n) = t.from_wgs84(106.55771, 29.56026).unwrap();
        assert!((e - 360_221.74).abs() < 0.01 && (n - 3_272_236.82).abs() < 0.01);
        // `echo 29.56026 106.55771 | cs2cs EPSG:4326 EPSG:n` for other zones and systems.
        for (crs, e0, n0) in [
            ("EPSG:4544", 650_965.46, 3_272_381.34),
            ("EPSG:4546", 69_279.92, 3_279_616.75),
            ("EPSG:32648", 650_905.08, 3_271_072.39),
            ("EPSG:3857", 11_861_950.02, 3_447_149.68),
        ] {
            let t = Transform::new(&SourceCrs::parse(crs)).unwrap();
            let (e, n) = t.from_wgs84(106.55771, 29.56026).unwrap();
            assert!(
                (e - e0).abs() < 0.01 && (n - n0).abs() < 0.01,
                "{crs}: {e} {n}"
            );
            let (lon, lat) = t.to_wgs84(e0, n0).unwrap();
            assert!(
                (lon - 106.55771).abs() < 1e-6 && (lat - 29.56026).abs() < 1e-6,
                "{crs}"
            );
        }
    }

    #[test]
    fn unknown_crs_names_itself() {
        let e = Transform::new(&SourceCrs::parse("EPSG:123456"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("EPSG:123456"), "{e}");
    }
}
