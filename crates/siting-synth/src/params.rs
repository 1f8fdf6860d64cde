//! The knobs of the modelled layers.

use crate::demand::GridSpec;

/// Parameters of [`crate::synthesize`]; [`SynthParams::default`] builds the
/// committed Chongqing data set.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthParams {
    /// Seed of the ChaCha8 generator (each layer draws from its own stream).
    pub seed: u64,
    /// Coarse demand cell edge, metres.
    pub cell_m: f64,
    /// Fine demand cell edge, metres: a whole divisor of `cell_m`; equal to
    /// it for a uniform grid.
    pub fine_cell_m: f64,
    /// A coarse cell at or above this density (residents per km²) is
    /// refined into fine cells (the engine's suburban threshold).
    pub fine_above_per_km2: f64,
    /// Modelled residents in all (Chongqing's 2020 census: about 32 million).
    pub total_weight: f64,
    /// Share of the weight spread over every cell as a rural floor.
    pub rural_floor_share: f64,
    /// Existing sites at end-2014, indoor systems included.
    pub existing_sites: usize,
    /// Of them, indoor distribution systems at venues.
    pub existing_indoor: usize,
    /// Street-pole candidates in urban cells.
    pub street_poles: usize,
    /// Private-building rooftop candidates in urban cells.
    pub private_rooftops: usize,
    /// Greenfield tower candidates outside urban cells.
    pub greenfield_towers: usize,
    /// Indoor-system candidates at venues.
    pub indoor_candidates: usize,
}

impl SynthParams {
    /// The demand grid these parameters ask for.
    pub fn grid(&self) -> GridSpec {
        GridSpec {
            cell_m: self.cell_m,
            fine_cell_m: self.fine_cell_m,
            fine_above_per_km2: self.fine_above_per_km2,
        }
    }
}

/// The fine cell edge used when none is given: 250 m, or the coarse edge
/// when that is smaller (a uniform grid).
pub fn default_fine_cell_m(cell_m: f64) -> f64 {
    cell_m.min(250.0)
}

impl Default for SynthParams {
    fn default() -> Self {
        SynthParams {
            seed: 2015,
            cell_m: 1000.0,
            fine_cell_m: 250.0,
            fine_above_per_km2: 300.0,
            total_weight: 32_000_000.0,
            rural_floor_share: 0.2,
            existing_sites: 27_800,
            existing_indoor: 2_000,
            street_poles: 3_000,
            private_rooftops: 3_000,
            greenfield_towers: 20_000,
            indoor_candidates: 1_500,
        }
    }
}
