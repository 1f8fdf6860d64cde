//! Radio models from the config, and the coverage sets of sites: for every
//! site and operator, the demand items a 4G station there would cover.

use crate::config::Config;
use crate::prepare::Prepared;
use crate::EngineError;
use rayon::prelude::*;
use siting_coverage::{coverage_sets_with, CoverageSets, Demand, SiteRadio};
use siting_index::PointIndex;
use siting_model::{Operator, SiteKind};
use siting_radio::{CoverageModel, LinkBudgetModel, MultiBandModel, Transmitter};
use std::sync::Arc;

/// The radio of each operator, in [`Operator::ALL`] order: a
/// [`LinkBudgetModel`] per band. With a DEM, effective antenna heights
/// follow the ground, and where its cells are at most
/// `terrain.diffraction_max_cell_m`, knife-edge diffraction along terrain
/// profiles applies.
pub fn radio_models(
    cfg: &Config,
    config_file: &str,
    dem: Option<&siting_layers::Grid>,
) -> Result<Vec<MultiBandModel>, EngineError> {
    let terrain = dem.is_some();
    let profiles: Option<Arc<dyn siting_radio::TerrainProfile>> = dem
        .map(|g| crate::terrain::GridTerrain::new(g.clone()))
        .filter(|t| t.cell_m() <= cfg.terrain.diffraction_max_cell_m)
        .map(|t| Arc::new(t) as Arc<dyn siting_radio::TerrainProfile>);
    let bad = |message: String| EngineError::Config {
        file: config_file.to_string(),
        message,
    };
    Operator::ALL
        .iter()
        .map(|op| {
            let r = cfg
                .radio
                .get(op.code())
                .ok_or_else(|| bad(format!("[radio.{op}] is missing")))?;
            let mut bands = Vec::with_capacity(r.bands.len());
            for band in r.resolve(*op).map_err(bad)? {
                let models = band.path_losses().map_err(bad)?;
                let pen = band.environments.all().map(|m| m.penetration_loss_db);
                let model =
                    LinkBudgetModel::new(models, pen, band.budget, band.max_distance_m, terrain);
                let model = match &profiles {
                    Some(p) => model.with_diffraction(p.clone()),
                    None => model,
                };
                let model = if band.indoor_only {
                    model.indoor_only()
                } else {
                    model
                }
                .with_source(band.source);
                bands.push((band.label, model));
            }
            Ok(MultiBandModel::new(bands))
        })
        .collect()
}

/// The operators' radio with what the coverage stage needs of the terrain.
pub struct Radio {
    /// Per operator, in [`Operator::ALL`] order.
    pub models: Vec<MultiBandModel>,
    /// The DEM's lowest ground per block of about a kilometre.
    blocks: Option<siting_layers::Grid>,
}

impl Radio {
    /// The radio over a DEM (if any).
    pub fn new(models: Vec<MultiBandModel>, dem: Option<&siting_layers::Grid>) -> Radio {
        let blocks = dem.map(|grid| {
            let cell_m = grid.cell_deg() * 110_574.0;
            let k = (1000.0 / cell_m).floor().max(1.0) as usize;
            if k > 1 {
                grid.block_min(k)
            } else {
                grid.clone()
            }
        });
        Radio { models, blocks }
    }

    /// Each site's position and antenna. With a DEM, the lowest ground within
    /// the site's reach bounds the antenna's effective height, and so its
    /// range query: starting from the farthest any model reaches, the reach
    /// and the lowest ground within it are narrowed together (each step can
    /// only shrink both) a few times. The lowest ground is read from blocks
    /// of about a kilometre (each the minimum of its cells), a lower bound
    /// that keeps each step cheap on a fine DEM. Sites in parallel.
    pub fn site_radios(&self, prep: &Prepared, sites: &[usize]) -> Vec<SiteRadio> {
        let models = &self.models;
        let reach_m = models
            .iter()
            .map(MultiBandModel::reach_m)
            .fold(0.0, f64::max);
        sites
            .par_iter()
            .map(|&i| {
                let s = &prep.model.sites[i];
                let ground_m = prep.site_ground_m[i];
                let indoor = s.kind == SiteKind::Indoor;
                let mut tx = Transmitter {
                    height_m: s.height_m,
                    ground_m,
                    lowest_ground_m: ground_m,
                    position: [s.lonlat.lon, s.lonlat.lat],
                    indoor,
                    footprint_m: if indoor {
                        s.footprint_m.unwrap_or(0.0)
                    } else {
                        0.0
                    },
                };
                if let (Some(grid), false) = (&self.blocks, indoor) {
                    let mut reach = reach_m;
                    for _ in 0..4 {
                        // At least `reach` metres each way: 110,574 m is the
                        // shortest degree of latitude, and 0.1% covers the
                        // Gauss-Krüger scale factor within a zone.
                        let dlat = reach * 1.001 / 110_574.0;
                        let dlon = dlat / s.lonlat.lat.to_radians().cos().max(0.01);
                        let lowest = grid
                            .min_within(s.lonlat.lon, s.lonlat.lat, dlon, dlat)
                            .unwrap_or(ground_m);
                        tx.lowest_ground_m = lowest.min(ground_m);
                        let next = models
                            .iter()
                            .map(|m| m.max_range_m(&tx))
                            .fold(0.0, f64::max);
                        if next >= reach {
                            break;
                        }
                        reach = next;
                    }
                }
                SiteRadio {
                    xy: [s.xy.x, s.xy.y],
                    tx,
                }
            })
            .collect()
    }

    /// The coverage sets of the given sites (indices into the model's
    /// sites), in that order: per site, per operator, the covered items,
    /// ascending. `index` is the R-tree over the items' metric positions.
    pub fn coverage(&self, prep: &Prepared, index: &PointIndex, sites: &[usize]) -> CoverageSets {
        self.coverage_with(prep, index, sites, &|| {})
    }

    /// [`Radio::coverage`], calling `site_done` as each site is done (from
    /// worker threads), for progress reports.
    pub fn coverage_with(
        &self,
        prep: &Prepared,
        index: &PointIndex,
        sites: &[usize],
        site_done: &(dyn Fn() + Sync),
    ) -> CoverageSets {
        let radios = self.site_radios(prep, sites);
        let refs: Vec<&dyn CoverageModel> = self
            .models
            .iter()
            .map(|m| m as &dyn CoverageModel)
            .collect();
        let items = &prep.items;
        coverage_sets_with(
            &radios,
            &refs,
            Demand {
                index,
                environment: &items.environment,
                ground_m: &items.ground_m,
                position: &items.lonlat,
            },
            site_done,
        )
    }
}
