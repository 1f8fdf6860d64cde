//! GCJ-02 and BD-09, the obfuscated coordinates of Chinese web maps, which no
//! EPSG code covers.
//!
//! GCJ-02 (国测局坐标, Amap, Tencent) shifts WGS84 by a published non-linear
//! formula on the Krasovsky ellipsoid; BD-09 (Baidu) adds a further rotation
//! and offset to GCJ-02. The forward formulas are exact; the inverses are
//! solved by fixed-point iteration on the forward formula until the residual
//! is below 1e-10° (about 0.01 mm), so a round trip is exact to far better
//! than a centimetre. Outside China (the usual 72.004–137.8347°E,
//! 0.8293–55.8271°N box) GCJ-02 applies no shift.

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;
const PI: f64 = std::f64::consts::PI;
const X_PI: f64 = PI * 3000.0 / 180.0;

/// Whether (lon, lat) lies in the box where GCJ-02 shifts coordinates.
pub fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

fn t_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn t_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS84 → GCJ-02, degrees.
///
/// ```
/// // Jiefangbei, Chongqing: GCJ-02 lies about 0.0036° east and 0.0028° south.
/// let (lon, lat) = siting_crs::gcj::wgs84_to_gcj02(106.5771, 29.5584);
/// assert!((lon - 106.5771 - 0.0037).abs() < 0.0003 && (lat - 29.5584 + 0.0028).abs() < 0.0003);
/// ```
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let mut dlat = t_lat(lon - 105.0, lat - 35.0);
    let mut dlon = t_lon(lon - 105.0, lat - 35.0);
    let rad = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad.sin().powi(2);
    let sq = magic.sqrt();
    dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sq) * PI);
    dlon = (dlon * 180.0) / (A / sq * rad.cos() * PI);
    (lon + dlon, lat + dlat)
}

/// Inverts a forward transform by fixed-point iteration.
fn invert(forward: impl Fn(f64, f64) -> (f64, f64), lon: f64, lat: f64) -> (f64, f64) {
    let (mut x, mut y) = (lon, lat);
    for _ in 0..50 {
        let (fx, fy) = forward(x, y);
        let (ex, ey) = (fx - lon, fy - lat);
        x -= ex;
        y -= ey;
        if ex.abs() < 1e-10 && ey.abs() < 1e-10 {
            break;
        }
    }
    (x, y)
}

/// GCJ-02 → WGS84, degrees (iterative inverse).
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    invert(wgs84_to_gcj02, lon, lat)
}

/// GCJ-02 → BD-09, degrees.
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.00002 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// BD-09 → GCJ-02, degrees (iterative inverse of [`gcj02_to_bd09`]).
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    invert(gcj02_to_bd09, lon, lat)
}

/// WGS84 → BD-09, degrees.
pub fn wgs84_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = wgs84_to_gcj02(lon, lat);
    gcj02_to_bd09(x, y)
}

/// BD-09 → WGS84, degrees.
pub fn bd09_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = bd09_to_gcj02(lon, lat);
    gcj02_to_wgs84(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trips_within_a_millimetre(lon in 73.0..135.0f64, lat in 4.0..53.0f64) {
            let (gx, gy) = wgs84_to_gcj02(lon, lat);
            let (wx, wy) = gcj02_to_wgs84(gx, gy);
            prop_assert!((wx - lon).abs() < 1e-8 && (wy - lat).abs() < 1e-8);
            let (bx, by) = wgs84_to_bd09(lon, lat);
            let (wx, wy) = bd09_to_wgs84(bx, by);
            prop_assert!((wx - lon).abs() < 1e-8 && (wy - lat).abs() < 1e-8);
        }
    }

    #[test]
    fn no_shift_outside_china() {
        assert_eq!(wgs84_to_gcj02(2.35, 48.85), (2.35, 48.85));
        assert_eq!(gcj02_to_wgs84(2.35, 48.85), (2.35, 48.85));
    }
}
