//! Reading every layer of a config, and fingerprinting the inputs.

use crate::config::{Config, ConfigSource};
use crate::EngineError;
use sha2::{Digest, Sha256};
use siting_layers::{GeoJsonReader, LayerReader, RawFeature, Source};
use siting_plan::InputFile;

/// One layer as read.
#[derive(Debug, Clone)]
pub struct RawLayer {
    /// Layer role (`districts`, …).
    pub layer: &'static str,
    /// Its file's label.
    pub file: String,
    /// Its features.
    pub features: Vec<RawFeature>,
    /// Its fingerprint.
    pub input: InputFile,
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads one layer through the format reader.
pub fn read_layer(layer: &'static str, source: &Source) -> Result<RawLayer, EngineError> {
    let bytes = source.bytes()?;
    let features = GeoJsonReader.read(source)?;
    Ok(RawLayer {
        layer,
        file: source.label(),
        input: InputFile {
            layer: layer.into(),
            file: source.label(),
            sha256: sha256(&bytes),
            features: features.len() as u64,
        },
        features,
    })
}

/// Every layer the config names, in a fixed order.
pub struct RawLayers {
    /// District boundaries.
    pub districts: RawLayer,
    /// Township centres.
    pub townships: RawLayer,
    /// Demand.
    pub demand: RawLayer,
    /// Existing sites.
    pub sites_existing: RawLayer,
    /// Candidates.
    pub candidates: RawLayer,
    /// Zones.
    pub zones: RawLayer,
    /// The DEM, if the config names one: its label and grid.
    pub dem: Option<(String, siting_layers::Grid)>,
    /// The DEM's fingerprint.
    pub dem_input: Option<InputFile>,
    /// The config's own fingerprint.
    pub config: InputFile,
}

impl RawLayers {
    /// Reads all layers; the first error stops it.
    pub fn read(cfg: &Config, source: &ConfigSource) -> Result<RawLayers, EngineError> {
        let l = &cfg.layers;
        let text = source.text()?;
        let (dem, dem_input) = match &cfg.terrain.dem {
            None => (None, None),
            Some(path) => {
                let src = source.layer(path)?;
                let bytes = src.bytes()?;
                let grid = siting_layers::Grid::read(&src)?;
                let input = InputFile {
                    layer: "dem".into(),
                    file: src.label(),
                    sha256: sha256(&bytes),
                    features: 0,
                };
                (Some((src.label(), grid)), Some(input))
            }
        };
        Ok(RawLayers {
            dem,
            dem_input,
            districts: read_layer("districts", &source.layer(&l.districts)?)?,
            townships: read_layer("townships", &source.layer(&l.townships)?)?,
            demand: read_layer("demand", &source.layer(&l.demand)?)?,
            sites_existing: read_layer("sites_existing", &source.layer(&l.sites_existing)?)?,
            candidates: read_layer("candidates", &source.layer(&l.candidates)?)?,
            zones: read_layer("zones", &source.layer(&l.zones)?)?,
            config: InputFile {
                layer: "config".into(),
                file: source.label(),
                sha256: sha256(text.as_bytes()),
                features: 0,
            },
        })
    }

    /// Fingerprints of every input, config first.
    pub fn inputs(&self) -> Vec<InputFile> {
        let mut v = vec![self.config.clone()];
        for l in [
            &self.districts,
            &self.townships,
            &self.demand,
            &self.sites_existing,
            &self.candidates,
            &self.zones,
        ] {
            v.push(l.input.clone());
        }
        v.extend(self.dem_input.clone());
        v
    }
}
