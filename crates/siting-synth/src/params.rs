//! The knobs of the modelled layers.

/// Parameters of [`crate::synthesize`]; [`SynthParams::default`] builds the
/// committed Chongqing data set.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthParams {
    /// Seed of the ChaCha8 generator.
    pub seed: u64,
    /// Demand cell edge, metres.
    pub cell_m: f64,
    /// Modelled residents in all (Chongqing's 2020 census: about 32 million).
    pub total_weight: f64,
    /// Share of the weight spread over every cell as a rural floor.
    pub rural_floor_share: f64,
    /// Existing sites at end-2014.
    pub existing_sites: usize,
    /// Street-pole candidates in urban cells.
    pub street_poles: usize,
    /// Private-building rooftop candidates in urban cells.
    pub private_rooftops: usize,
    /// Greenfield tower candidates outside urban cells.
    pub greenfield_towers: usize,
}

impl Default for SynthParams {
    fn default() -> Self {
        SynthParams {
            seed: 2015,
            cell_m: 1000.0,
            total_weight: 32_000_000.0,
            rural_floor_share: 0.2,
            existing_sites: 30_000,
            street_poles: 3_000,
            private_rooftops: 3_000,
            greenfield_towers: 20_000,
        }
    }
}
