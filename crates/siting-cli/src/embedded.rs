//! The Chongqing data set under `data/chongqing/`, compiled into the binary so
//! that `siting plan` runs from anywhere without files beside it.

use siting_engine::ConfigSource;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        /// Every embedded file: name relative to `data/chongqing/`, bytes.
        pub const FILES: &[(&str, &[u8])] = &[
            $(($name, include_bytes!(concat!("../../../data/chongqing/", $name)))),*
        ];
    };
}

embed!(
    "plan.toml",
    "districts.geojson",
    "townships.geojson",
    "demand.geojson",
    "sites_existing.geojson",
    "candidates.geojson",
    "zones.geojson",
    "dem_5arcmin.asc",
);

/// An embedded file by its name relative to `data/chongqing/`.
pub fn lookup(name: &str) -> Option<&'static [u8]> {
    FILES.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

/// The embedded `data/chongqing/plan.toml`, with its layers.
pub fn config() -> ConfigSource {
    let text = lookup("plan.toml")
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("");
    ConfigSource::Embedded {
        name: "embedded:data/chongqing/plan.toml".into(),
        text,
        lookup,
        prefix: "embedded:data/chongqing/".into(),
    }
}
