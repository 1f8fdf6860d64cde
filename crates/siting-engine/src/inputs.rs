//! Reading every layer of a config, and fingerprinting the inputs.

use crate::config::{Config, ConfigSource};
use crate::EngineError;
use sha2::{Digest, Sha256};
use siting_crs::{SourceCrs, Transform};
use siting_layers::{
    bounds, rename_fields, reproject, GeoJsonReader, LayerReader, LayerSpec, RawFeature, Source,
};
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
    /// The CRS it was read in.
    pub crs: String,
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The fingerprint of a layer: SHA-256 of its own bytes alone, or, where
/// GDAL reads files beside it ([`siting_gdal::companion_files`]), of every
/// file in turn, each preceded by its name and length so that no two sets
/// of files share a digest. Returns the digest and the companions' names.
fn fingerprint(source: &Source, bytes: &[u8]) -> Result<(String, Vec<String>), EngineError> {
    let Source::File(path) = source else {
        return Ok((sha256(bytes), Vec::new()));
    };
    let companions = siting_gdal::companion_files(path);
    if companions.is_empty() {
        return Ok((sha256(bytes), Vec::new()));
    }
    let mut h = Sha256::new();
    let mut names = Vec::new();
    let mut add = |name: String, data: &[u8]| {
        h.update(name.as_bytes());
        h.update((data.len() as u64).to_le_bytes());
        h.update(data);
        names.push(name);
    };
    let file_name = |p: &std::path::Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    add(file_name(path), bytes);
    for c in &companions {
        let data = std::fs::read(c).map_err(|e| {
            EngineError::Layer(siting_layers::LayerError::Io {
                file: c.display().to_string(),
                source: e,
            })
        })?;
        add(file_name(c), &data);
    }
    Ok((hex::encode(h.finalize()), names))
}

/// Reads one layer: GeoJSON in pure Rust (also from the binary's embedded
/// data), anything else through GDAL; then field mapping, and every
/// coordinate from the layer's CRS (the config's, else the file's) to WGS84.
pub fn read_layer(
    layer: &'static str,
    spec: &LayerSpec,
    source: &Source,
) -> Result<RawLayer, EngineError> {
    let file = source.label();
    let bytes = source.bytes()?;
    let read = if spec.needs_gdal() {
        siting_gdal::GdalReader {
            encoding: spec.encoding.clone(),
            layer: spec.layer.clone(),
            x_field: spec.x_field.clone(),
            y_field: spec.y_field.clone(),
        }
        .read(source)?
    } else {
        GeoJsonReader::parse(&file, &bytes)?
    };
    let crs = spec.crs.clone().or(read.crs).ok_or_else(|| EngineError::Config {
        file: file.clone(),
        message: format!(
            "the {layer} layer declares no coordinate system and the config gives none: add crs = \"EPSG:…\" (or \"gcj02\", \"bd09\") to its entry"
        ),
    })?;
    let mut features = read.features;
    rename_fields(&mut features, &spec.fields);
    truncated_fields(layer, &file, &features)?;
    // The fingerprint (SHA-256 of a 170 MB demand layer takes a while)
    // beside the reprojection (a PROJ transform stays on its thread).
    let (features, fingerprinted) = rayon::join(
        || {
            let transform =
                Transform::new(&SourceCrs::parse(&crs)).map_err(|e| EngineError::Config {
                    file: file.clone(),
                    message: format!(
                        "unknown coordinate system {crs:?} for the {layer} layer: {e}"
                    ),
                })?;
            Ok::<_, EngineError>(reproject(&file, features, &transform)?)
        },
        || fingerprint(source, &bytes),
    );
    let features = features?;
    let (sha256, files) = fingerprinted?;
    Ok(RawLayer {
        layer,
        file: file.clone(),
        input: InputFile {
            layer: layer.into(),
            file,
            sha256,
            features: features.len() as u64,
            files,
        },
        crs,
        features,
    })
}

/// The optional attributes each layer's builder (and the rules) read, which a
/// format with short field names (a Shapefile's 10 characters) can cut.
fn attributes_read(layer: &str) -> &'static [&'static str] {
    match layer {
        "sites_existing" | "candidates" => &[
            "public_building",
            "load_capacity_kg",
            "footprint_m",
            "technologies",
        ],
        "zones" => &["building_height_m"],
        "townships" => &["county_adcode"],
        _ => &[],
    }
}

/// An attribute a rule reads that the layer lacks while it has one whose name
/// is that attribute cut short (`public_bui` for `public_building`): an
/// error naming the mapping that would supply it, never a silent default.
fn truncated_fields(
    layer: &str,
    file: &str,
    features: &[siting_layers::RawFeature],
) -> Result<(), EngineError> {
    for want in attributes_read(layer) {
        if features.iter().any(|f| f.properties.contains_key(*want)) {
            continue;
        }
        let cut = features.iter().find_map(|f| {
            f.properties
                .keys()
                .find(|k| k.len() >= 6 && k.len() < want.len() && want.starts_with(k.as_str()))
                .cloned()
        });
        if let Some(cut) = cut {
            return Err(EngineError::Config {
                file: file.to_string(),
                message: format!(
                    "the {layer} layer has no {want:?} but has {cut:?}, the name cut short (a Shapefile keeps 10 characters); the rules read {want:?}: add fields = {{ {want} = {cut:?} }} to the layer's entry in the config"
                ),
            });
        }
    }
    Ok(())
}

/// Checks that a layer lies in the area the districts cover, and says so
/// when its coordinates look swapped (latitude first).
pub fn check_extent(layer: &RawLayer, area: (f64, f64, f64, f64)) -> Result<(), EngineError> {
    let Some(b) = bounds(&layer.features) else {
        return Ok(());
    };
    let margin = 0.5;
    let overlaps = |b: (f64, f64, f64, f64)| {
        b.0 <= area.2 + margin
            && b.2 >= area.0 - margin
            && b.1 <= area.3 + margin
            && b.3 >= area.1 - margin
    };
    if overlaps(b) {
        return Ok(());
    }
    let swapped = (b.1, b.0, b.3, b.2);
    let what = if overlaps(swapped) {
        "its coordinates look swapped (latitude given as x, longitude as y): swap the columns or set x_field/y_field"
    } else {
        "check its coordinate system (crs) and columns"
    };
    Err(EngineError::Config {
        file: layer.file.clone(),
        message: format!(
            "the {} layer's extent ({:.4}, {:.4})–({:.4}, {:.4}) in {} lies outside the area of the districts ({:.4}, {:.4})–({:.4}, {:.4}); {what}",
            layer.layer, b.0, b.1, b.2, b.3, layer.crs, area.0, area.1, area.2, area.3
        ),
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
    /// R10's new developments, if the config names a layer.
    pub developments: Option<RawLayer>,
    /// The DEM, if the config names one: its label and grid.
    pub dem: Option<(String, siting_layers::Grid)>,
    /// The DEM's fingerprint.
    pub dem_input: Option<InputFile>,
    /// The config's own fingerprint.
    pub config: InputFile,
}

/// A demand layer that replaces the config's (`siting score --demand`).
#[derive(Debug, Clone)]
pub struct DemandOverride {
    /// How to read it.
    pub spec: LayerSpec,
    /// Where it is.
    pub source: Source,
}

impl RawLayers {
    /// Reads all layers the config names (its own bytes, as parsed, are
    /// `config_bytes`), the demand from `demand` where given; the first
    /// error stops it.
    pub fn read(
        cfg: &Config,
        source: &ConfigSource,
        config_bytes: &[u8],
        demand: Option<&DemandOverride>,
    ) -> Result<RawLayers, EngineError> {
        let l = &cfg.layers;
        let read_dem = || -> Result<_, EngineError> {
            let Some(path) = &cfg.terrain.dem else {
                return Ok((None, None));
            };
            let src = source.layer(path)?;
            let bytes = src.bytes()?;
            let ascii = src.label().to_ascii_lowercase().ends_with(".asc");
            let grid = if ascii {
                siting_layers::Grid::from_bytes(&src.label(), &bytes)?
            } else {
                siting_gdal::read_grid(&src)?
            };
            let input = InputFile {
                layer: "dem".into(),
                file: src.label(),
                sha256: sha256(&bytes),
                features: 0,
                files: Vec::new(),
            };
            Ok((Some((src.label(), grid)), Some(input)))
        };
        let read = |name: &'static str, spec: &LayerSpec| -> Result<RawLayer, EngineError> {
            read_layer(name, spec, &source.layer(&spec.path)?)
        };
        let read_demand = || match demand {
            Some(d) => read_layer("demand", &d.spec, &d.source),
            None => read("demand", &l.demand),
        };
        // The layers are independent: read them in parallel (the demand,
        // by far the largest, beside all the others), then report the first
        // error in the fixed order below, as a sequential read would.
        let (demand_layer, (dem, ((districts, townships), ((sites_existing, candidates), zones)))) =
            rayon::join(read_demand, || {
                rayon::join(read_dem, || {
                    rayon::join(
                        || {
                            rayon::join(
                                || read("districts", &l.districts),
                                || read("townships", &l.townships),
                            )
                        },
                        || {
                            rayon::join(
                                || {
                                    rayon::join(
                                        || read("sites_existing", &l.sites_existing),
                                        || read("candidates", &l.candidates),
                                    )
                                },
                                || read("zones", &l.zones),
                            )
                        },
                    )
                })
            });
        let (dem, dem_input) = dem?;
        let developments = l
            .developments
            .as_ref()
            .map(|spec| read("developments", spec))
            .transpose()?;
        let layers = RawLayers {
            developments,
            dem,
            dem_input,
            districts: districts?,
            townships: townships?,
            demand: demand_layer?,
            sites_existing: sites_existing?,
            candidates: candidates?,
            zones: zones?,
            config: InputFile {
                layer: "config".into(),
                file: source.label(),
                sha256: sha256(config_bytes),
                features: 0,
                files: Vec::new(),
            },
        };
        if let Some(area) = bounds(&layers.districts.features) {
            for l in [
                &layers.townships,
                &layers.demand,
                &layers.sites_existing,
                &layers.candidates,
                &layers.zones,
            ]
            .into_iter()
            .chain(layers.developments.as_ref())
            {
                check_extent(l, area)?;
            }
        }
        Ok(layers)
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
        ]
        .into_iter()
        .chain(self.developments.as_ref())
        {
            v.push(l.input.clone());
        }
        v.extend(self.dem_input.clone());
        v
    }
}

/// What `siting layers` tells of one configured layer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LayerInfo {
    /// Role in the config (`districts`, …, `dem`).
    pub layer: String,
    /// The file.
    pub file: String,
    /// The reader: GDAL's driver name, or the built-in GeoJSON reader.
    pub driver: String,
    /// The CRS the layer was read in.
    pub crs: String,
    /// Number of features.
    pub features: u64,
    /// Extent in WGS84: min lon, min lat, max lon, max lat.
    pub extent_wgs84: Option<[f64; 4]>,
    /// Attribute names and the JSON types seen in them.
    pub fields: Vec<(String, String)>,
}

/// Reads every layer the config names and describes it, without planning.
pub fn describe_layers(cfg: &Config, source: &ConfigSource) -> Result<Vec<LayerInfo>, EngineError> {
    let mut out = Vec::new();
    for (role, spec) in cfg.layers.all() {
        let src = source.layer(&spec.path)?;
        let l = read_layer(role, spec, &src)?;
        let driver = if spec.needs_gdal() {
            siting_gdal::driver_for(std::path::Path::new(&spec.path))
                .unwrap_or("GDAL")
                .to_string()
        } else {
            "GeoJSON (built-in reader)".to_string()
        };
        let mut fields: Vec<(String, String)> = Vec::new();
        for f in &l.features {
            for (k, v) in &f.properties {
                let t = match v {
                    serde_json::Value::Null => continue,
                    serde_json::Value::Bool(_) => "boolean",
                    serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
                    serde_json::Value::Number(_) => "real",
                    serde_json::Value::String(_) => "string",
                    serde_json::Value::Array(_) => "list",
                    serde_json::Value::Object(_) => "object",
                };
                match fields.iter_mut().find(|(n, _)| n == k) {
                    None => fields.push((k.clone(), t.to_string())),
                    Some((_, have)) if have != t && !have.contains(t) => {
                        *have = format!("{have}|{t}");
                    }
                    _ => {}
                }
            }
        }
        out.push(LayerInfo {
            layer: role.to_string(),
            file: l.file,
            driver,
            crs: l.crs,
            features: l.features.len() as u64,
            extent_wgs84: bounds(&l.features).map(|b| [b.0, b.1, b.2, b.3]),
            fields,
        });
    }
    Ok(out)
}
