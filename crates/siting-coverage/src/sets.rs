//! Coverage sets computed in parallel.

use rayon::prelude::*;
use siting_index::PointIndex;
use siting_model::Environment;
use siting_radio::{CoverageModel, Transmitter};

/// The demand side: positions (through their index) and environments.
#[derive(Debug, Clone, Copy)]
pub struct Demand<'a> {
    /// R-tree over the demand items' metric positions; item `i` is `environment[i]`.
    pub index: &'a PointIndex,
    /// Radio environment of each demand item.
    pub environment: &'a [Environment],
}

/// The site side: where a site stands and what it transmits from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SiteRadio {
    /// Metric position, metres.
    pub xy: [f64; 2],
    /// Antenna.
    pub tx: Transmitter,
}

/// Per site, per operator, the covered demand items, ascending.
pub type CoverageSets = Vec<Vec<Vec<u32>>>;

/// Computes the coverage set of every (site, operator) pair: `models[o]` is
/// operator `o`'s model.
///
/// ```
/// use siting_coverage::{coverage_sets, Demand, SiteRadio};
/// use siting_index::PointIndex;
/// use siting_model::Environment;
/// use siting_radio::{CoverageModel, RangeModel, Transmitter};
/// let index = PointIndex::new([[0.0, 0.0], [800.0, 0.0], [3000.0, 0.0]]);
/// let env = [Environment::Urban, Environment::Urban, Environment::Rural];
/// let model = RangeModel::new([500.0, 1000.0, 2000.0, 4000.0], 30.0, 0.5).unwrap();
/// let models: Vec<&dyn CoverageModel> = vec![&model];
/// let site = SiteRadio { xy: [0.0, 0.0], tx: Transmitter { height_m: 30.0 } };
/// let sets = coverage_sets(&[site], &models, Demand { index: &index, environment: &env });
/// assert_eq!(sets[0][0], vec![0, 1, 2]);
/// ```
pub fn coverage_sets(
    sites: &[SiteRadio],
    models: &[&dyn CoverageModel],
    demand: Demand<'_>,
) -> CoverageSets {
    sites
        .par_iter()
        .map(|site| {
            models
                .iter()
                .map(|model| {
                    let radius = model.max_range_m(&site.tx);
                    let mut set: Vec<u32> = demand
                        .index
                        .within(site.xy, radius)
                        .filter(|&(i, d)| model.covers(&site.tx, demand.environment[i as usize], d))
                        .map(|(i, _)| i)
                        .collect();
                    set.sort_unstable();
                    set
                })
                .collect()
        })
        .collect()
}
