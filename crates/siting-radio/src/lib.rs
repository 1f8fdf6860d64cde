//! Radio coverage models: whether a transmitter serves a receiver at a distance.
//!
//! Knows no GIS: a model sees a transmitter's height, a receiver's
//! environment and the distance between them, nothing else.
//!
//! - [`model`]: the [`CoverageModel`] trait every model implements.
//! - [`range`]: [`RangeModel`], a maximum range per environment scaled by
//!   antenna height.

pub mod model;
pub mod range;

pub use model::{CoverageModel, Transmitter};
pub use range::{RangeModel, RangeModelError};
