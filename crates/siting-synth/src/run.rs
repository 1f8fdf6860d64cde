//! Reading the real layers and building every modelled one.

use crate::demand::{demand_grid, Cell, GridSpec, PopulationModel, REFERENCE_CELL_M};
use crate::params::SynthParams;
use crate::sites::{candidates, existing};
use crate::write::{demand_geojson, sites_geojson, zones_geojson};
use crate::zones::zones;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use siting_crs::Projector;
use siting_index::PolygonIndex;
use siting_layers::{
    bounds, districts_from, property, townships_from, GeoJsonReader, Grid, LayerReader,
    RawGeometry, Source,
};
use siting_model::{District, Township};
use std::path::Path;

/// Synthesis failed: a real layer is missing or malformed.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// A real layer could not be read.
    #[error(transparent)]
    Layer(#[from] siting_layers::LayerError),
    /// The CRS could not be set up.
    #[error(transparent)]
    Crs(#[from] siting_crs::CrsError),
    /// The parameters do not describe a grid.
    #[error("{problem}")]
    Params {
        /// What is wrong.
        problem: String,
    },
}

/// A GeoNames populated place, in the metric CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Metric position.
    pub xy: [f64; 2],
    /// GeoNames population (0 when unknown).
    pub population: f64,
    /// District adcode.
    pub county_adcode: String,
    /// Pinyin name.
    pub name: String,
}

/// The real layers, in the metric CRS, with what the models need of them.
pub struct Area {
    /// WGS84 ⇄ metric.
    pub projector: Projector,
    /// District boundaries.
    pub districts: Vec<District>,
    /// Their index.
    pub district_index: PolygonIndex,
    /// Township centres.
    pub townships: Vec<Township>,
    /// GeoNames places.
    pub places: Vec<Place>,
    /// Terrain.
    pub dem: Grid,
}

impl Area {
    /// Metric → lon/lat, for a point the projector accepted going in.
    pub fn lonlat(&self, xy: [f64; 2]) -> Result<[f64; 2], SynthError> {
        let (lon, lat) = self.projector.to_lonlat(xy[0], xy[1])?;
        Ok([lon, lat])
    }

    /// The district holding a metric point, if any.
    pub fn district_at(&self, xy: [f64; 2]) -> Option<u32> {
        self.district_index.first_containing(xy)
    }
}

/// The modelled layers: file name and GeoJSON text.
#[derive(Debug, Clone)]
pub struct Synthesized {
    /// `(file name, contents)` for demand, existing sites, candidates and zones.
    pub files: Vec<(String, String)>,
    /// A line per layer with its feature count and key figures.
    pub summary: Vec<String>,
    /// The demand cells as written.
    pub cells: Vec<Cell>,
    /// The 1 km reference grid the sites and zones are drawn from.
    pub reference: Vec<Cell>,
    /// Existing sites.
    pub existing: Vec<crate::sites::SynthSite>,
    /// Candidate sites.
    pub candidates: Vec<crate::sites::SynthSite>,
}

fn read(dir: &Path, name: &str) -> Result<(String, Vec<siting_layers::RawFeature>), SynthError> {
    let src = Source::File(dir.join(name));
    let layer = GeoJsonReader.read(&src)?;
    let wgs84 = siting_crs::Transform::new(&siting_crs::SourceCrs::Wgs84)?;
    Ok((
        src.label(),
        siting_layers::reproject(&src.label(), layer.features, &wgs84)?,
    ))
}

/// Reads `districts.geojson`, `townships.geojson`, `places.geojson` and
/// `dem_5arcmin.asc` from `data_dir` and builds the modelled layers.
pub fn synthesize(data_dir: &Path, p: &SynthParams) -> Result<Synthesized, SynthError> {
    let (dfile, draw) = read(data_dir, "districts.geojson")?;
    let b = bounds(&draw).ok_or(siting_layers::LayerError::Empty {
        file: dfile.clone(),
    })?;
    let projector = Projector::new(&siting_crs::choose(b))?;
    let districts = districts_from(&dfile, &draw, &projector)?;
    let (tfile, traw) = read(data_dir, "townships.geojson")?;
    let townships = townships_from(&tfile, &traw, &projector)?;
    let (pfile, praw) = read(data_dir, "places.geojson")?;
    let mut places = Vec::with_capacity(praw.len());
    for f in &praw {
        let err = |problem: String| siting_layers::LayerError::Feature {
            file: pfile.clone(),
            feature: siting_layers::FeatureRef {
                index: f.index,
                id: property::feature_id(&f.properties),
            },
            problem,
        };
        let Some(RawGeometry::Point(ll)) = &f.geometry else {
            return Err(err("expected a Point".into()).into());
        };
        let (x, y) = projector.to_metric(ll[0], ll[1])?;
        places.push(Place {
            xy: [x, y],
            population: property::optional_f64(&f.properties, "population")
                .map_err(err)?
                .unwrap_or(0.0),
            county_adcode: property::optional_str(&f.properties, "county_adcode")
                .map_err(err)?
                .unwrap_or_default(),
            name: property::optional_str(&f.properties, "name")
                .map_err(err)?
                .unwrap_or_default(),
        });
    }
    let dem = Grid::read(&Source::File(data_dir.join("dem_5arcmin.asc")))?;
    let geoms: Vec<_> = districts.iter().map(|d| d.geometry.clone()).collect();
    let area = Area {
        district_index: PolygonIndex::new(&geoms, 5_000.0),
        projector,
        districts,
        townships,
        places,
        dem,
    };

    p.grid()
        .subdivisions()
        .map_err(|problem| SynthError::Params { problem })?;
    let model = PopulationModel::new(&area, p)?;
    let cells = demand_grid(&area, &model, &p.grid())?;
    let reference = if p.grid() == GridSpec::uniform(REFERENCE_CELL_M) {
        cells.clone()
    } else {
        demand_grid(&area, &model, &GridSpec::uniform(REFERENCE_CELL_M))?
    };
    // Each layer draws from its own stream, so that changing one leaves the
    // others as they are.
    let stream = |n: u64| {
        let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
        rng.set_stream(n);
        rng
    };
    let existing = existing(&area, &reference, p, &mut stream(1))?;
    let candidates = candidates(&area, &reference, p, &mut stream(2))?;
    let zones = zones(&area, &reference, &mut stream(3))?;
    let summary = crate::figures::summary(&cells, &existing, &candidates, zones.len());
    Ok(Synthesized {
        files: vec![
            ("demand.geojson".into(), demand_geojson(&cells)),
            ("sites_existing.geojson".into(), sites_geojson(&existing)),
            ("candidates.geojson".into(), sites_geojson(&candidates)),
            ("zones.geojson".into(), zones_geojson(&zones)),
        ],
        summary,
        cells,
        reference,
        existing,
        candidates,
    })
}
