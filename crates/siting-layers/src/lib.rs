//! Input layers: where a run's GIS data comes from and how it becomes the model.
//!
//! - [`source`]: a layer's bytes, from a file or embedded in the binary.
//! - [`spec`]: [`LayerSpec`], how a config names a layer (path, CRS, encoding, attribute mapping).
//! - [`reader`]: the format seam ([`LayerReader`]) and raw features in WGS84.
//! - [`geojson_reader`]: the GeoJSON (RFC 7946) reader.
//! - [`grid`]: raster layers ([`Grid`], an ESRI ASCII grid such as a DEM).
//! - [`property`]: typed access to feature attributes, with errors that name them.
//! - [`build`]: raw features → model types in the metric CRS, validated.
//! - [`LayerError`]: every error names the file, the feature and the problem.

#![warn(missing_docs)]

pub mod build;
mod error;
pub mod geojson_reader;
pub mod grid;
pub mod property;
pub mod reader;
pub mod source;
pub mod spec;

pub use build::{
    check_unique_site_ids, demand_from, districts_from, sites_from, townships_from, zones_from,
    SiteDefaults,
};
pub use error::{FeatureRef, LayerError};
pub use geojson_reader::GeoJsonReader;
pub use grid::Grid;
pub use reader::{
    bounds, rename_fields, reproject, LayerReader, RawFeature, RawGeometry, ReadLayer,
};
pub use source::Source;
pub use spec::LayerSpec;
