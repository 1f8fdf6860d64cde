//! Maps of a plan, for people: the plan on a map of its districts, as SVG
//! (`map.svg`), as PNG (`map.png`, through `resvg` with a CJK font), and in a
//! self-contained `report.html` with coverage maps per operator.
//!
//! - [`layers`]: [`MapLayers`], what a map shows, in the model's metric CRS
//!   (districts, zones, existing sites, the plan's sites, search rings,
//!   coverage), and [`find_district`] (by name or adcode).
//! - [`grid`]: [`CoverageGrid`], each operator's coverage before and after
//!   the plan aggregated into square cells (a raster), and its PNG.
//! - [`svg`]: [`map_svg`], the map with scale bar, north arrow, legend and
//!   attribution.
//! - [`png`]: [`render_png`], an SVG rasterised with a font loaded from a file.
//! - [`qml`]: QGIS styles of `plan.gpkg`'s layers (its `layer_styles` table).
//! - [`html`]: [`report_html`], the report as one HTML file with everything
//!   inline (SVG, CSS, a little JavaScript for pan and zoom, PNG data URIs).
//!
//! It knows the plan's contract (`siting-plan`) and the model's types, not how
//! the plan was found.

#![warn(missing_docs)]

pub mod base64;
pub mod frame;
pub mod grid;
pub mod html;
pub mod layers;
pub mod png;
pub mod qml;
pub mod svg;

pub use grid::{CellClass, CoverageGrid};

pub use html::report_html;
pub use layers::{find_district, Action, ExistingMark, MapLayers, PlanMark, RingMark};
pub use png::{find_cjk_font, png_size, render_png, svg_size, CJK_FONTS};
pub use svg::{map_svg, MapOptions};

/// What can go wrong drawing a map.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    /// No district has that name or adcode.
    #[error("no district {query:?}: {}", if near.is_empty() { "the layer has none".to_string() } else { format!("did you mean {}?", near.join(", ")) })]
    UnknownDistrict {
        /// What was asked for.
        query: String,
        /// The nearest names with their adcodes (`渝北区 (500112)`).
        near: Vec<String>,
    },
    /// The SVG could not be parsed for rendering.
    #[error("cannot render the map: {0}")]
    Svg(String),
    /// The picture could not be encoded.
    #[error("cannot encode the PNG: {0}")]
    Png(String),
    /// The font file could not be read.
    #[error("{path}: cannot load the font: {message}")]
    Font {
        /// The font file.
        path: String,
        /// Why.
        message: String,
    },
    /// There is nothing to draw (no district, site or ring).
    #[error("nothing to draw: the layers have no district, site or ring")]
    Empty,
}
