//! Choosing the working metric CRS for an area.

/// The EPSG code of the CGCS2000 3° Gauss-Krüger zone (no zone prefix on the
/// easting) with the given central meridian, degrees east; `None` outside the
/// 75°E–135°E range that EPSG:4534–4554 cover.
///
/// ```
/// assert_eq!(siting_crs::gauss_kruger_3deg_epsg(108), Some(4545));
/// assert_eq!(siting_crs::gauss_kruger_3deg_epsg(105), Some(4544));
/// assert_eq!(siting_crs::gauss_kruger_3deg_epsg(60), None);
/// ```
pub fn gauss_kruger_3deg_epsg(central_meridian_deg: i32) -> Option<u32> {
    if (75..=135).contains(&central_meridian_deg) && central_meridian_deg % 3 == 0 {
        Some(4534 + ((central_meridian_deg - 75) / 3) as u32)
    } else {
        None
    }
}

/// Picks a metric CRS for an area given its WGS84 bounds
/// `(min_lon, min_lat, max_lon, max_lat)`.
///
/// In China (75°E–135°E) this is the CGCS2000 3° Gauss-Krüger zone whose
/// central meridian is nearest the centre of the bounds, the projection
/// Chinese planning data uses; elsewhere the UTM zone of the centre. For
/// Chongqing (105.3°E–110.2°E) it is EPSG:4545 (central meridian 108°E), whose
/// scale error stays under 0.1% across the municipality.
///
/// ```
/// assert_eq!(siting_crs::choose((105.29, 28.16, 110.19, 32.20)), "EPSG:4545");
/// assert_eq!(siting_crs::choose((2.2, 48.8, 2.5, 48.9)), "EPSG:32631");
/// ```
pub fn choose(bounds: (f64, f64, f64, f64)) -> String {
    let lon = (bounds.0 + bounds.2) / 2.0;
    let lat = (bounds.1 + bounds.3) / 2.0;
    let cm = (lon / 3.0).round() as i32 * 3;
    if lat > 0.0 {
        if let Some(code) = gauss_kruger_3deg_epsg(cm) {
            return format!("EPSG:{code}");
        }
    }
    let zone = (((lon + 180.0) / 6.0).floor() as i32).clamp(0, 59) + 1;
    let base = if lat >= 0.0 { 32600 } else { 32700 };
    format!("EPSG:{}", base + zone)
}
