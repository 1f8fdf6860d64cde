//! Modelled layers for the embedded Chongqing data set, built from the real
//! layers with a fixed seed and reproducible byte for byte.
//!
//! Every modelling choice is documented once, in `data/chongqing/MODELLED.md`;
//! the code here follows it.
//!
//! - [`params`]: [`SynthParams`], the knobs and their defaults.
//! - [`demand`]: the population model (kernels plus a rural floor, integrated
//!   over cells) and the adaptive demand grid.
//! - [`sites`]: existing sites (end-2014) with their tenants and
//!   technologies, and candidate sites.
//! - [`figures`]: the layers' key figures.
//! - [`zones`]: protected zones and the Liangjiang New Area.
//! - [`liangjiang`]: the New Area from its streets and towns (Voronoi cells of their centres).
//! - [`write`](mod@write): GeoJSON text of the modelled layers.
//! - [`synthesize`]: all of it, from a data folder.
//! - [`mclp`](mod@mclp): seeded instances of the classic maximal covering
//!   location problem (candidates, clustered plus uniform demand).

#![warn(missing_docs)]

pub mod demand;
pub mod figures;
pub mod liangjiang;
pub mod mclp;
pub mod params;
pub mod sites;
pub mod write;
pub mod zones;

mod run;

pub use params::SynthParams;
pub use run::{synthesize, SynthError, Synthesized};
