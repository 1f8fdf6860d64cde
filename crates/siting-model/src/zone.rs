//! Zones: protected areas, sensitive places, and the Liangjiang New Area.

use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The class of a zone, which decides the rules that apply inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneClass {
    /// Scenic area (风景名胜区): camouflage, R3.
    Scenic,
    /// Nature reserve (自然保护区): camouflage, R3.
    NatureReserve,
    /// Historic-cultural protection area (历史文化保护区): camouflage, R3.
    Heritage,
    /// Dense residential community: EMF notice board, R6.
    DenseResidential,
    /// School grounds: EMF notice board, R6.
    School,
    /// Hospital grounds: EMF notice board, R6.
    Hospital,
    /// Liangjiang New Area (两江新区): its own EIA branch, R9.
    Liangjiang,
}

impl ZoneClass {
    /// All classes, in a fixed order.
    pub const ALL: [ZoneClass; 7] = [
        ZoneClass::Scenic,
        ZoneClass::NatureReserve,
        ZoneClass::Heritage,
        ZoneClass::DenseResidential,
        ZoneClass::School,
        ZoneClass::Hospital,
        ZoneClass::Liangjiang,
    ];

    /// The code used in the zone layer's `class` property.
    pub fn code(self) -> &'static str {
        match self {
            ZoneClass::Scenic => "scenic",
            ZoneClass::NatureReserve => "nature_reserve",
            ZoneClass::Heritage => "heritage",
            ZoneClass::DenseResidential => "dense_residential",
            ZoneClass::School => "school",
            ZoneClass::Hospital => "hospital",
            ZoneClass::Liangjiang => "liangjiang",
        }
    }
}

impl fmt::Display for ZoneClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ZoneClass {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ZoneClass::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| {
                format!(
                    "unknown zone class {s:?} (expected one of scenic, nature_reserve, heritage, dense_residential, school, hospital, liangjiang)"
                )
            })
    }
}

/// One zone polygon, in the metric CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Id from the layer, or its feature index.
    pub id: String,
    /// What kind of zone.
    pub class: ZoneClass,
    /// Name, if the layer has one.
    pub name: Option<String>,
    /// Outline in metres.
    pub geometry: MultiPolygon<f64>,
    /// Height of the zone's buildings, metres, where the layer gives it
    /// (R6 then measures slant distance from the antenna to their roofs).
    pub building_height_m: Option<f64>,
}
