//! Layers → the model in the metric CRS, its R-tree indices, the rules'
//! verdict on every site, and the demand items coverage and the optimiser
//! work on (the demand cells, then the township centres).

use crate::config::Config;
use crate::environment::classify;
use crate::inputs::RawLayers;
use crate::EngineError;
use rayon::prelude::*;
use siting_crs::Projector;
use siting_index::{PointIndex, PolygonIndex};
use siting_layers::{
    bounds, check_unique_site_ids, demand_from, districts_from, sites_from, townships_from,
    zones_from, SiteDefaults,
};
use siting_model::{Environment, LonLat, Model, Site, SiteKind, SiteOrigin, ZoneClass};
use siting_rules::{judge, Surroundings, Verdict};

/// The demand items: the demand cells, then the township centres.
#[derive(Debug, Clone, Default)]
pub struct Items {
    /// Metric position of each item, metres.
    pub xy: Vec<[f64; 2]>,
    /// WGS84 position of each item.
    pub lonlat: Vec<[f64; 2]>,
    /// Radio environment of each item.
    pub environment: Vec<Environment>,
    /// Ground height of each item, metres (zeros without a DEM).
    pub ground_m: Vec<f64>,
    /// How many items are demand cells (the rest are township centres).
    pub cells: usize,
    /// Residents of each cell.
    pub residents: Vec<f64>,
    /// Edge of each cell, metres.
    pub cell_m: Vec<f64>,
    /// District of each cell, if inside one.
    pub district: Vec<Option<u32>>,
    /// Whether each cell lies in the main urban area.
    pub main_urban: Vec<bool>,
}

impl Items {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.xy.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.xy.is_empty()
    }

    /// Township centres among the items.
    pub fn townships(&self) -> usize {
        self.len() - self.cells
    }

    /// The demand side of the coverage figures.
    pub fn demand(&self) -> siting_plan::DemandItems<'_> {
        siting_plan::DemandItems {
            residents: &self.residents,
            main_urban: &self.main_urban,
            township_centres: self.townships(),
        }
    }
}

/// Everything the stages between the layers and coverage produce.
#[derive(Clone)]
pub struct Prepared {
    /// The model in the metric CRS (sites: existing, then candidates, then
    /// any search-ring towers).
    pub model: Model,
    /// Existing sites among `model.sites` (they come first).
    pub n_existing: usize,
    /// District of each site (index into `model.districts`).
    pub site_district: Vec<u32>,
    /// Ground height of each site, metres (zeros without a DEM).
    pub site_ground_m: Vec<f64>,
    /// Rule verdict of each site.
    pub verdicts: Vec<Verdict>,
    /// Whether each site is a tower at a search ring's centre, still to acquire.
    pub site_acquisition: Vec<bool>,
    /// The demand items.
    pub items: Items,
    district_index: PolygonIndex,
    zone_index: PolygonIndex,
    dem: Option<siting_layers::Grid>,
    dem_file: String,
    candidates_file: String,
    /// The id of every site in `model.sites`, for the search-ring towers'
    /// check that their ids are free (sites are added only through
    /// [`Prepared::add_candidate`], which keeps it).
    site_ids: std::collections::HashSet<String>,
}

/// The defaults a config sets for the site layers.
pub fn site_defaults(cfg: &Config) -> Result<SiteDefaults, String> {
    let h = &cfg.site_defaults.height_m;
    Ok(SiteDefaults {
        height_m: SiteKind::ALL.iter().map(|k| (*k, h.get(*k))).collect(),
        capacity: SiteKind::ALL
            .iter()
            .map(|k| (*k, cfg.site_defaults.capacity.get(*k)))
            .collect(),
        technologies: cfg.default_technologies()?,
        footprint_m: cfg.site_defaults.footprint_m,
    })
}

impl Prepared {
    /// Zone classes at a metric point, sorted, each once.
    pub fn zone_classes(&self, p: [f64; 2]) -> Vec<ZoneClass> {
        let mut c: Vec<ZoneClass> = self
            .zone_index
            .containing(p)
            .into_iter()
            .map(|i| self.model.zones[i as usize].class)
            .collect();
        c.sort();
        c.dedup();
        c
    }

    /// What the rules need to know of where a site stands: the zone classes
    /// holding it and, for R6, the distance from its antenna to the nearest
    /// sensitive zone (slant where the zone gives a building height)
    /// within the compliance distance of a full site or the notice distance.
    pub fn surroundings(&self, cfg: &Config, site: &Site) -> Surroundings {
        let p = [site.xy.x, site.xy.y];
        let mut out = Surroundings {
            classes: self.zone_classes(p),
            ..Default::default()
        };
        let Some(r6) = &cfg.book.params.r6 else {
            return out;
        };
        let radius = r6
            .distance_m(site.kind, u32::from(site.capacity.max(1)))
            .max(r6.notice_within_m);
        for (z, horizontal) in self.zone_index.near(p, radius) {
            let zone = &self.model.zones[z as usize];
            if !r6.zone_classes.contains(&zone.class) {
                continue;
            }
            let spaced = if horizontal == 0.0 {
                r6.inside_distance_m
            } else {
                horizontal
            };
            let d = match zone.building_height_m {
                Some(h) => spaced.hypot(site.height_m - h),
                None => spaced,
            };
            out.sensitive_m = Some(out.sensitive_m.map_or(d, |b: f64| b.min(d)));
            out.sensitive_horizontal_m = Some(
                out.sensitive_horizontal_m
                    .map_or(horizontal, |b: f64| b.min(horizontal)),
            );
        }
        out
    }

    /// The district holding a metric point, if any.
    pub fn district_at(&self, p: [f64; 2]) -> Option<u32> {
        self.district_index.first_containing(p)
    }

    /// Ground height at a WGS84 point, metres (0 without a DEM); `what`
    /// names the point in the error when the DEM does not cover it.
    pub fn ground(&self, what: &dyn Fn() -> String, ll: LonLat) -> Result<f64, EngineError> {
        match &self.dem {
            None => Ok(0.0),
            Some(grid) => grid.at(ll.lon, ll.lat).ok_or_else(|| EngineError::Config {
                file: self.dem_file.clone(),
                message: format!(
                    "the DEM has no height for {} at {:.6}, {:.6} (outside the grid, or a nodata cell)",
                    what(),
                    ll.lon,
                    ll.lat
                ),
            }),
        }
    }

    /// Adds a candidate the run made itself (a tower at a search ring's
    /// centre): judged, placed in its district, its ground read; returns
    /// its index, or `None` when it stands outside every district.
    pub fn add_candidate(
        &mut self,
        cfg: &Config,
        site: Site,
        site_acquisition: bool,
    ) -> Result<Option<usize>, EngineError> {
        if let Some(other) = self
            .site_ids
            .contains(&site.id)
            .then(|| self.model.sites.iter().find(|s| s.id == site.id))
            .flatten()
        {
            return Err(EngineError::Config {
                file: self.candidates_file.clone(),
                message: format!(
                    "site id {:?} of a {} is also the id of a search-ring tower the run adds: rename it (ring ids are ring-NNN)",
                    other.id,
                    if other.origin == SiteOrigin::Existing { "existing site" } else { "candidate" }
                ),
            });
        }
        let p = [site.xy.x, site.xy.y];
        let Some(d) = self.district_at(p) else {
            return Ok(None);
        };
        let ground = self.ground(&|| format!("site {}", site.id), site.lonlat)?;
        let verdict = judge(&site, &self.surroundings(cfg, &site), &cfg.book, &cfg.costs);
        self.site_district.push(d);
        self.site_ground_m.push(ground);
        self.verdicts.push(verdict);
        self.site_acquisition.push(site_acquisition);
        self.site_ids.insert(site.id.clone());
        self.model.sites.push(site);
        Ok(Some(self.model.sites.len() - 1))
    }
}

/// Layers → model → indices → verdicts → demand items. `config_file` names
/// the config in errors about its keys.
pub fn prepare(cfg: &Config, config_file: &str, raw: &RawLayers) -> Result<Prepared, EngineError> {
    let metric = if cfg.area.metric_crs == "auto" {
        let b =
            bounds(&raw.districts.features).ok_or_else(|| siting_layers::LayerError::Empty {
                file: raw.districts.file.clone(),
            })?;
        siting_crs::choose(b)
    } else {
        cfg.area.metric_crs.clone()
    };
    let proj = Projector::new(&metric)?;
    let mut districts = districts_from(&raw.districts.file, &raw.districts.features, &proj)?;
    for code in &cfg.area.main_urban_adcodes {
        if !districts.iter().any(|d| &d.adcode == code) {
            return Err(EngineError::Config {
                file: config_file.to_string(),
                message: format!(
                    "area.main_urban_adcodes: {code:?} is not the adcode of any district in {}",
                    raw.districts.file
                ),
            });
        }
    }
    for d in &mut districts {
        d.main_urban = cfg.area.main_urban_adcodes.contains(&d.adcode);
    }
    let townships = townships_from(&raw.townships.file, &raw.townships.features, &proj)?;
    let demand = demand_from(&raw.demand.file, &raw.demand.features, &proj)?;
    let defaults = site_defaults(cfg).map_err(|message| EngineError::Config {
        file: config_file.to_string(),
        message,
    })?;
    let existing = sites_from(
        &raw.sites_existing.file,
        &raw.sites_existing.features,
        SiteOrigin::Existing,
        &defaults,
        &proj,
    )?;
    let candidates = sites_from(
        &raw.candidates.file,
        &raw.candidates.features,
        SiteOrigin::Candidate,
        &defaults,
        &proj,
    )?;
    // R10: each new development adds demand and a candidate site.
    let (developed, demand) = {
        let mut demand = demand;
        let developed = match &raw.developments {
            Some(layer) => {
                if cfg.book.params.r10.is_none() {
                    tracing::warn!(
                        "{} gives new developments, but R10 is off in {}: they add nothing",
                        layer.file,
                        cfg.book.file
                    );
                }
                let (sites, points) = crate::developments::read(cfg, layer, &defaults, &proj)?;
                demand.extend(points);
                sites
            }
            None => Vec::new(),
        };
        (developed, demand)
    };
    let developments_file = raw
        .developments
        .as_ref()
        .map_or(String::new(), |l| l.file.clone());
    check_unique_site_ids(&[
        (&raw.sites_existing.file, &existing),
        (&raw.candidates.file, &candidates),
        (&developments_file, &developed),
    ])?;
    let developed_ids: std::collections::HashSet<String> =
        developed.iter().map(|s| s.id.clone()).collect();
    let candidates: Vec<_> = candidates.into_iter().chain(developed).collect();
    let zones = zones_from(&raw.zones.file, &raw.zones.features, &proj)?;
    let n_existing = existing.len();
    let sites: Vec<_> = existing.into_iter().chain(candidates).collect();

    let district_geoms: Vec<_> = districts.iter().map(|d| d.geometry.clone()).collect();
    let zone_geoms: Vec<_> = zones.iter().map(|z| z.geometry.clone()).collect();
    let mut prep = Prepared {
        n_existing,
        site_district: Vec::with_capacity(sites.len()),
        site_ground_m: Vec::with_capacity(sites.len()),
        verdicts: Vec::with_capacity(sites.len()),
        site_acquisition: vec![false; sites.len()],
        items: Items::default(),
        district_index: PolygonIndex::new(&district_geoms, 5_000.0),
        zone_index: PolygonIndex::new(&zone_geoms, 2_000.0),
        dem: raw.dem.as_ref().map(|(_, g)| g.clone()),
        dem_file: raw.dem.as_ref().map(|(f, _)| f.clone()).unwrap_or_default(),
        candidates_file: raw.candidates.file.clone(),
        site_ids: std::collections::HashSet::new(),
        model: Model {
            metric_crs: metric,
            districts,
            townships,
            demand,
            sites: Vec::new(),
            zones,
        },
    };

    // Each site's district, verdict and ground, in parallel; the first
    // site (in input order) that fails stops the run.
    let per_site: Vec<(Option<u32>, Verdict, Result<f64, EngineError>)> = sites
        .par_iter()
        .map(|s| {
            let d = prep.district_at([s.xy.x, s.xy.y]);
            let mut verdict = judge(s, &prep.surroundings(cfg, s), &cfg.book, &cfg.costs);
            if developed_ids.contains(&s.id) {
                verdict.rules.push("R10");
                verdict.rules.sort_unstable();
                verdict.rules.dedup();
            }
            let g = prep.ground(&|| format!("site {}", s.id), s.lonlat);
            (d, verdict, g)
        })
        .collect();
    for (i, (s, (d, verdict, g))) in sites.iter().zip(per_site).enumerate() {
        let Some(d) = d else {
            let (file, index) = if i < n_existing {
                (&raw.sites_existing.file, i)
            } else {
                (&raw.candidates.file, i - n_existing)
            };
            return Err(EngineError::OutsideDistricts {
                file: file.clone(),
                index,
                id: s.id.clone(),
                districts: raw.districts.file.clone(),
            });
        };
        prep.site_district.push(d);
        prep.verdicts.push(verdict);
        prep.site_ground_m.push(g?);
    }
    prep.site_ids = sites.iter().map(|s| s.id.clone()).collect();
    prep.model.sites = sites;

    for d in crate::outcome::defaulted_attributes(cfg, raw) {
        tracing::warn!("{}", d.sentence());
    }
    for (rule, class) in crate::outcome::missing_zone_classes(cfg, &prep.model.zones) {
        tracing::warn!(
            "rule {rule} of {} names zone class {class}, which no zone of {} has: the rule applies nowhere",
            cfg.book.file,
            raw.zones.file
        );
    }
    let mut items = std::mem::take(&mut prep.items);
    let n = prep.model.demand.len() + prep.model.townships.len();
    items.xy.reserve(n);
    // Each cell's district, zone classes and ground, in parallel.
    type Located = (Option<u32>, Vec<ZoneClass>, Result<f64, EngineError>);
    let located: Vec<Located> = prep
        .model
        .demand
        .par_iter()
        .enumerate()
        .map(|(i, d)| {
            let p = [d.xy.x, d.xy.y];
            (
                prep.district_at(p),
                prep.zone_classes(p),
                prep.ground(&|| format!("{} feature #{i}", raw.demand.file), d.lonlat),
            )
        })
        .collect();
    for ((i, d), (district, classes, ground)) in prep.model.demand.iter().enumerate().zip(located) {
        let p = [d.xy.x, d.xy.y];
        let cell_m = d.cell_m.or(cfg.environment.default_cell_m).ok_or_else(|| {
            siting_layers::LayerError::Feature {
                file: raw.demand.file.clone(),
                feature: siting_layers::FeatureRef { index: i, id: None },
                problem: "no \"cell_m\" property and no environment.default_cell_m in the config"
                    .into(),
            }
        })?;
        if !(cell_m.is_finite() && cell_m > 0.0) {
            return Err(siting_layers::LayerError::Feature {
                file: raw.demand.file.clone(),
                feature: siting_layers::FeatureRef { index: i, id: None },
                problem: format!(
                    "property \"cell_m\" must be a positive number of metres, found {cell_m}"
                ),
            }
            .into());
        }
        items.xy.push(p);
        items.lonlat.push([d.lonlat.lon, d.lonlat.lat]);
        items
            .environment
            .push(classify(&cfg.environment, d.weight, cell_m, &classes));
        items.ground_m.push(ground?);
        items.residents.push(d.weight);
        items.cell_m.push(cell_m);
        items
            .main_urban
            .push(district.is_some_and(|k| prep.model.districts[k as usize].main_urban));
        items.district.push(district);
    }
    let cells = PointIndex::new(items.xy.iter().copied());
    for t in &prep.model.townships {
        let p = [t.xy.x, t.xy.y];
        let env = if prep.zone_classes(p).contains(&ZoneClass::DenseResidential) {
            Environment::DenseUrban
        } else {
            cells
                .nearest(p)
                .map_or(Environment::Rural, |n| items.environment[n as usize])
        };
        items.xy.push(p);
        items.lonlat.push([t.lonlat.lon, t.lonlat.lat]);
        items.environment.push(env);
        items
            .ground_m
            .push(prep.ground(&|| format!("township centre {}", t.code), t.lonlat)?);
    }
    items.cells = prep.model.demand.len();
    prep.items = items;
    Ok(prep)
}
