//! Administrative units: districts and counties, and township centres.

use crate::{LonLat, XyM};
use geo_types::MultiPolygon;

/// A district or county (区/县) with its boundary in the metric CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct District {
    /// 6-digit administrative code (GB/T 2260).
    pub adcode: String,
    /// Chinese name as in the boundary layer.
    pub name: String,
    /// Whether it belongs to the main urban area (主城区).
    pub main_urban: bool,
    /// Boundary in metres.
    pub geometry: MultiPolygon<f64>,
}

/// A township-level centre (乡镇/街道), the unit of target T4.
#[derive(Debug, Clone, PartialEq)]
pub struct Township {
    /// 9-digit NBS code.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// Adcode of its district or county.
    pub county_adcode: String,
    /// Position in metres.
    pub xy: XyM,
    /// Position as read, WGS84.
    pub lonlat: LonLat,
}
