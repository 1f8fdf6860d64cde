//! The coverage-model seam.

use siting_model::Environment;

/// What a model needs to know of a transmitter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transmitter {
    /// Antenna height above ground, metres.
    pub height_m: f64,
    /// Ground height at the site, metres above the DEM's datum (0 without a DEM).
    pub ground_m: f64,
    /// Lowest ground within the model's reach of the site, metres (equal to
    /// `ground_m` without a DEM): bounds the antenna's effective height.
    pub lowest_ground_m: f64,
    /// Where the site stands, for a terrain profile: an opaque position the
    /// [`TerrainProfile`] understands (the engine uses WGS84 lon/lat).
    pub position: [f64; 2],
    /// An indoor site (an indoor distribution system): the only kind that may
    /// carry a band licensed for indoor coverage only.
    pub indoor: bool,
    /// For an indoor system, the radius of the building or complex it
    /// serves, metres: it covers the receivers within it on every band, and
    /// nothing beyond (a distributed antenna system is planned to its
    /// building, not by an outdoor path-loss model). 0 for outdoor sites.
    pub footprint_m: f64,
}

/// Ground heights along the path between a transmitter and a receiver.
/// Implemented by whoever holds the terrain (the engine, from a DEM).
pub trait TerrainProfile: Send + Sync + std::fmt::Debug {
    /// Fills `into` (clearing it first) with the profile from `tx` to `rx`,
    /// `distance_m` apart; false where the terrain does not cover it. The
    /// caller keeps `into` between calls, so the hot loop does not allocate.
    fn profile(
        &self,
        tx: &Transmitter,
        rx: &Receiver,
        distance_m: f64,
        into: &mut crate::diffraction::Profile,
    ) -> bool;
}

/// What a model needs to know of a receiver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Receiver {
    /// Radio environment at the receiver.
    pub environment: Environment,
    /// Ground height at the receiver, metres above the DEM's datum (0 without a DEM).
    pub ground_m: f64,
    /// Where the receiver is, in the same terms as [`Transmitter::position`].
    pub position: [f64; 2],
}

/// Decides which receivers a transmitter covers.
pub trait CoverageModel: Send + Sync + std::fmt::Debug {
    /// The largest distance, metres, at which `tx` covers any receiver: the
    /// radius of the range query around the site.
    fn max_range_m(&self, tx: &Transmitter) -> f64;

    /// Whether `tx` covers `rx` at `distance_m` metres.
    fn covers(&self, tx: &Transmitter, rx: &Receiver, distance_m: f64) -> bool;

    /// One line naming the model and its parameters, for reports.
    fn describe(&self) -> String;
}
