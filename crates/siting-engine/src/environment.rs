//! Radio environment of each demand point, from its density and the zones.

use crate::config::EnvironmentThresholds;
use siting_model::{Environment, ZoneClass};

/// The environment of a demand point of `weight` over a cell of `cell_m`
/// metres a side, inside zones of the given classes: dense residential zones
/// are dense urban whatever their density.
///
/// ```
/// use siting_engine::config::EnvironmentThresholds;
/// use siting_engine::environment::classify;
/// use siting_model::Environment;
/// let t = EnvironmentThresholds { dense_urban_per_km2: 10000.0, urban_per_km2: 2000.0,
///     suburban_per_km2: 300.0, default_cell_m: None };
/// assert_eq!(classify(&t, 2500.0, 1000.0, &[]), Environment::Urban);
/// assert_eq!(classify(&t, 20.0, 1000.0, &[]), Environment::Rural);
/// ```
pub fn classify(
    t: &EnvironmentThresholds,
    weight: f64,
    cell_m: f64,
    zones: &[ZoneClass],
) -> Environment {
    if zones.contains(&ZoneClass::DenseResidential) {
        return Environment::DenseUrban;
    }
    let density = weight / (cell_m * cell_m / 1e6);
    if density >= t.dense_urban_per_km2 {
        Environment::DenseUrban
    } else if density >= t.urban_per_km2 {
        Environment::Urban
    } else if density >= t.suburban_per_km2 {
        Environment::Suburban
    } else {
        Environment::Rural
    }
}
