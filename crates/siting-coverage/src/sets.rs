//! Coverage sets computed in parallel.

use rayon::prelude::*;
use siting_index::PointIndex;
use siting_model::Environment;
use siting_radio::{CoverageModel, Receiver, Transmitter};
use std::sync::Arc;

/// The demand side: positions (through their index) and environments.
#[derive(Debug, Clone, Copy)]
pub struct Demand<'a> {
    /// R-tree over the demand items' metric positions; item `i` is `environment[i]`.
    pub index: &'a PointIndex,
    /// Radio environment of each demand item.
    pub environment: &'a [Environment],
    /// Ground height of each demand item, metres (zeros without a DEM).
    pub ground_m: &'a [f64],
    /// Position of each demand item for terrain profiles (WGS84 lon/lat in the engine).
    pub position: &'a [[f64; 2]],
}

/// The site side: where a site stands and what it transmits from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteRadio {
    /// Metric position, metres.
    pub xy: [f64; 2],
    /// Antenna.
    pub tx: Transmitter,
}

/// The demand items one station covers, ascending. Shared and read-only:
/// the optimiser's problem holds the same sets (on a province they are
/// gigabytes), so a clone is a reference count, not a copy.
pub type ItemSet = Arc<[u32]>;

/// Per site, per operator, the covered demand items, ascending.
pub type CoverageSets = Vec<Vec<ItemSet>>;

/// Computes the coverage set of every (site, operator) pair: `models[o]` is
/// operator `o`'s model.
///
/// ```
/// use siting_coverage::{coverage_sets, Demand, SiteRadio};
/// use siting_index::PointIndex;
/// use siting_model::Environment;
/// use siting_radio::{CoverageModel, Geometry, LinkBudget, LinkBudgetModel, ModelKind, PathLoss, Transmitter};
/// let index = PointIndex::new([[0.0, 0.0], [800.0, 0.0], [30_000.0, 0.0]]);
/// let env = [Environment::Rural; 3];
/// let budget = LinkBudget { tx_power_dbm: 43.0, tx_antenna_gain_dbi: 15.0, tx_cable_loss_db: 2.0,
///     rx_antenna_gain_dbi: 0.0, rx_cable_loss_db: 0.0, rx_sensitivity_dbm: -100.0, body_loss_db: 0.0,
///     interference_margin_db: 3.0, fading_margin_db: 8.0 };
/// let hata = PathLoss::new(ModelKind::Cost231Hata, Geometry::new(1800.0, 30.0, 1.5));
/// let model = LinkBudgetModel::new([hata; 4], [0.0; 4], budget, 20_000.0, false);
/// let models: Vec<&dyn CoverageModel> = vec![&model];
/// let site = SiteRadio { xy: [0.0, 0.0], tx: Transmitter { height_m: 30.0, ground_m: 0.0, lowest_ground_m: 0.0, position: [0.0, 0.0], indoor: false, footprint_m: 0.0 } };
/// let sets = coverage_sets(&[site], &models, Demand { index: &index, environment: &env, ground_m: &[0.0; 3], position: &[[0.0; 2]; 3] });
/// assert_eq!(&sets[0][0][..], [0, 1]);
/// ```
pub fn coverage_sets(
    sites: &[SiteRadio],
    models: &[&dyn CoverageModel],
    demand: Demand<'_>,
) -> CoverageSets {
    coverage_sets_with(sites, models, demand, &|| {})
}

/// [`coverage_sets`], calling `site_done` once per site as its sets are
/// complete (from the worker threads, in no particular order), for progress
/// reports. The result does not depend on it.
pub fn coverage_sets_with(
    sites: &[SiteRadio],
    models: &[&dyn CoverageModel],
    demand: Demand<'_>,
    site_done: &(dyn Fn() + Sync),
) -> CoverageSets {
    sites
        .par_iter()
        .map(|site| {
            // One range query per site, at the farthest any operator reaches;
            // each operator then keeps the points within its own reach that
            // its model covers.
            let reach: Vec<f64> = models.iter().map(|m| m.max_range_m(&site.tx)).collect();
            let radius = reach.iter().copied().fold(0.0, f64::max);
            let mut sets: Vec<Vec<u32>> = vec![Vec::new(); models.len()];
            demand.index.each_within(site.xy, radius, |i, d| {
                let rx = Receiver {
                    environment: demand.environment[i as usize],
                    ground_m: demand.ground_m[i as usize],
                    position: demand.position[i as usize],
                };
                for ((model, &r), set) in models.iter().zip(&reach).zip(&mut sets) {
                    if d <= r && model.covers(&site.tx, &rx, d) {
                        set.push(i);
                    }
                }
            });
            let sets = sets
                .into_iter()
                .map(|mut set| {
                    set.sort_unstable();
                    ItemSet::from(set)
                })
                .collect();
            site_done();
            sets
        })
        .collect()
}
