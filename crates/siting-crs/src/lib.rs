//! The working metric CRS and the transforms into and out of it, through PROJ.
//!
//! - [`choose`]: pick a metric CRS for an area (the CGCS2000 3° Gauss-Krüger
//!   zone whose central meridian is nearest the area's centre).
//! - [`Projector`]: WGS84 lon/lat ⇄ metric easting/northing for one CRS.
//! - [`gcj`]: GCJ-02 and BD-09, the web-map coordinates no EPSG code covers.
//! - [`SourceCrs`] and [`Transform`]: any input CRS to and from WGS84.
//! - [`CrsError`]: what can go wrong.

#![warn(missing_docs)]

mod choose;
pub mod gcj;
mod projector;
mod source;

pub use choose::{choose, gauss_kruger_3deg_epsg};
pub use projector::Projector;
pub use source::{SourceCrs, Transform};

/// Errors from creating or applying a transform.
#[derive(Debug, thiserror::Error)]
pub enum CrsError {
    /// PROJ could not build the transform.
    #[error("cannot create a transform from {from} to {to}: {message}")]
    Create {
        /// Source CRS.
        from: String,
        /// Target CRS.
        to: String,
        /// PROJ's message.
        message: String,
    },
    /// A coordinate could not be transformed.
    #[error("cannot transform ({x}, {y}) from {from}: {message}")]
    Transform {
        /// Source CRS.
        from: String,
        /// First coordinate.
        x: f64,
        /// Second coordinate.
        y: f64,
        /// PROJ's message.
        message: String,
    },
}
