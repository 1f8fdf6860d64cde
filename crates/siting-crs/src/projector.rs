//! WGS84 ⇄ metric transforms for one CRS.

use crate::CrsError;
use proj::Proj;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Transforms between WGS84 lon/lat (EPSG:4326, longitude first) and one
/// metric CRS (easting, northing in metres), through PROJ.
///
/// PROJ objects are not thread-safe; a `Projector` is meant to be used from
/// one thread (make one per thread where needed). Creating one looks the
/// transformation up in PROJ's database, about a tenth of a second per
/// direction, so each thread keeps the pair it made for a CRS and hands it
/// to every later `Projector` of that CRS on the same thread (a run makes
/// one in each of its stages).
pub struct Projector {
    metric: String,
    pair: Rc<Pair>,
}

/// The two PROJ transformations of one metric CRS.
struct Pair {
    forward: Proj,
    inverse: Proj,
}

thread_local! {
    /// This thread's transformations, by metric CRS definition.
    static MADE: RefCell<HashMap<String, Rc<Pair>>> = RefCell::new(HashMap::new());
}

impl std::fmt::Debug for Projector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projector")
            .field("metric", &self.metric)
            .finish()
    }
}

impl Projector {
    /// A projector between WGS84 and `metric` (any definition PROJ accepts,
    /// such as `EPSG:4545` or a `+proj=` string).
    pub fn new(metric: &str) -> Result<Self, CrsError> {
        if let Some(pair) = MADE.with(|m| m.borrow().get(metric).cloned()) {
            return Ok(Projector {
                metric: metric.to_string(),
                pair,
            });
        }
        let make = |from: &str, to: &str| {
            Proj::new_known_crs(from, to, None).map_err(|e| CrsError::Create {
                from: from.to_string(),
                to: to.to_string(),
                message: e.to_string(),
            })
        };
        let pair = Rc::new(Pair {
            forward: make("EPSG:4326", metric)?,
            inverse: make(metric, "EPSG:4326")?,
        });
        MADE.with(|m| m.borrow_mut().insert(metric.to_string(), pair.clone()));
        Ok(Projector {
            metric: metric.to_string(),
            pair,
        })
    }

    /// The metric CRS's definition, as given.
    pub fn metric_crs(&self) -> &str {
        &self.metric
    }

    /// Lon/lat (degrees) to easting/northing (metres).
    pub fn to_metric(&self, lon: f64, lat: f64) -> Result<(f64, f64), CrsError> {
        let out = self
            .pair
            .forward
            .convert((lon, lat))
            .map_err(|e| CrsError::Transform {
                from: "EPSG:4326".into(),
                x: lon,
                y: lat,
                message: e.to_string(),
            })?;
        check_finite(out, "EPSG:4326", lon, lat)
    }

    /// Easting/northing (metres) to lon/lat (degrees).
    pub fn to_lonlat(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        let out = self
            .pair
            .inverse
            .convert((x, y))
            .map_err(|e| CrsError::Transform {
                from: self.metric.clone(),
                x,
                y,
                message: e.to_string(),
            })?;
        check_finite(out, &self.metric, x, y)
    }
}

fn check_finite(out: (f64, f64), from: &str, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
    if out.0.is_finite() && out.1.is_finite() {
        Ok(out)
    } else {
        Err(CrsError::Transform {
            from: from.to_string(),
            x,
            y,
            message: "result is not finite".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: PROJ 9.1.1's own command-line tool,
    /// `echo 29.56026 106.55771 | cs2cs EPSG:4326 EPSG:4545`, prints
    /// `3272236.82 360221.74` (northing, easting: EPSG:4545's axis order).
    #[test]
    fn chongqing_centre_into_gk_zone_108() {
        let p = Projector::new("EPSG:4545").unwrap();
        let (x, y) = p.to_metric(106.55771, 29.56026).unwrap();
        assert!((x - 360_221.74).abs() < 0.01, "{x}");
        assert!((y - 3_272_236.82).abs() < 0.01, "{y}");
        let (lon, lat) = p.to_lonlat(x, y).unwrap();
        assert!((lon - 106.55771).abs() < 1e-9 && (lat - 29.56026).abs() < 1e-9);
    }

    /// A second projector of the same CRS on the same thread shares the
    /// first one's transformations and converts the same.
    #[test]
    fn a_second_projector_of_a_crs_shares_the_first_ones_transformations() {
        let a = Projector::new("EPSG:32648").unwrap();
        let b = Projector::new("EPSG:32648").unwrap();
        assert!(Rc::ptr_eq(&a.pair, &b.pair));
        assert_eq!(
            a.to_metric(106.5, 29.5).unwrap(),
            b.to_metric(106.5, 29.5).unwrap()
        );
        let c = Projector::new("EPSG:4545").unwrap();
        assert!(!Rc::ptr_eq(&a.pair, &c.pair));
        assert_eq!(c.metric_crs(), "EPSG:4545");
    }

    #[test]
    fn unknown_crs_is_an_error() {
        let e = Projector::new("EPSG:999999").unwrap_err();
        assert!(e.to_string().contains("EPSG:999999"));
    }
}
