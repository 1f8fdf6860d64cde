//! R-tree indices (`rstar`) over the model; every spatial query of the engine
//! goes through them.
//!
//! - [`points`]: [`PointIndex`], points with ids, for range and nearest queries
//!   (demand, sites, township centres); range queries go through a grid of
//!   buckets beside the tree, which dense queries scan faster.
//! - [`polygons`]: [`PolygonIndex`], point-in-polygon over many polygons
//!   (districts, zones), through an R-tree of edges and a tile cache.

#![warn(missing_docs)]

pub mod points;
pub mod polygons;

pub use points::PointIndex;
pub use polygons::PolygonIndex;
