//! GIS formats through GDAL, the library every GIS tool uses.
//!
//! - [`read`]: [`GdalReader`], a [`siting_layers::LayerReader`] for
//!   Shapefile (honouring `.cpg`, or an encoding override such as GBK),
//!   GeoPackage, FlatGeobuf, KML, GeoJSON and CSV with coordinate columns.
//! - [`write`](mod@write): [`write_layers`], features to any of those formats, chosen
//!   by file extension; [`write_geopackage`], a GeoPackage with QGIS default
//!   styles ([`LayerStyle`]) in its `layer_styles` table.
//! - [`convert`](mod@convert): [`convert()`], a whole layer to another format and CRS.
//! - [`raster`]: [`read_grid`], a DEM (GeoTIFF or any raster GDAL reads).
//! - [`GdalLayerError`]: what can go wrong writing.

#![warn(missing_docs)]

pub mod convert;
pub mod raster;
pub mod read;
pub mod write;

pub use convert::{convert, write_atomically, ConvertError};
pub use raster::{read_grid, write_class_raster, ClassRaster};
pub use read::{companion_files, driver_for, GdalReader};
pub use write::{
    write_geopackage, write_layers, FieldKind, GdalLayerError, LayerStyle, OutLayer, FIXED_TIME,
};
