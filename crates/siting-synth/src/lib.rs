//! Modelled layers for the embedded Chongqing data set, built from the real
//! layers with a fixed seed and reproducible byte for byte.
//!
//! Every modelling choice is documented once, in `data/chongqing/MODELLED.md`;
//! the code here follows it.
//!
//! - [`params`]: [`SynthParams`], the knobs and their defaults.
//! - [`demand`]: the demand grid (population kernels plus a rural floor).
//! - [`sites`]: existing sites (end-2014) and candidate sites.
//! - [`zones`]: protected zones and the Liangjiang New Area.
//! - [`write`](mod@write): GeoJSON text of the modelled layers.
//! - [`synthesize`]: all of it, from a data folder.
//! - [`mclp`](mod@mclp): seeded instances of the classic maximal covering
//!   location problem (candidates, clustered plus uniform demand).

#![warn(missing_docs)]

pub mod demand;
pub mod mclp;
pub mod params;
pub mod sites;
pub mod write;
pub mod zones;

mod run;

pub use params::SynthParams;
pub use run::{synthesize, SynthError, Synthesized};
