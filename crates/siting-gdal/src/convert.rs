//! Converting a whole layer between formats and coordinate systems.

use crate::read::{driver_for, GdalReader};
use crate::write::{write_layers, GdalLayerError, OutLayer};
use siting_crs::{SourceCrs, Transform};
use siting_layers::{FeatureRef, LayerError, LayerReader, Source};
use std::path::{Path, PathBuf};

/// A conversion that could not be done.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// Reading failed.
    #[error(transparent)]
    Read(#[from] LayerError),
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] GdalLayerError),
    /// A CRS is unknown.
    #[error("{0}")]
    Crs(String),
    /// Something else about the files.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Reads `input` (any format GDAL reads), transforms every coordinate from
/// `from` (or the CRS the file declares) to `to`, and writes `output` in the
/// format its extension names, attributes kept. Returns the number of
/// features. The output appears whole or not at all.
pub fn convert(
    input: &Path,
    output: &Path,
    from: Option<&str>,
    to: &str,
    encoding: Option<&str>,
) -> Result<usize, ConvertError> {
    driver_for(output).ok_or_else(|| GdalLayerError::Format(output.to_path_buf()))?;
    let same = input
        .canonicalize()
        .ok()
        .zip(output.canonicalize().ok())
        .is_some_and(|(a, b)| a == b);
    if same {
        return Err(ConvertError::File {
            path: output.into(),
            message: "is the input: refusing to overwrite it".into(),
        });
    }
    let file = input.display().to_string();
    let read = GdalReader {
        encoding: encoding.map(String::from),
        ..Default::default()
    }
    .read(&Source::File(input.to_path_buf()))?;
    let from = match from {
        Some(f) => f.to_string(),
        None => read.crs.clone().ok_or_else(|| ConvertError::File {
            path: input.into(),
            message: "declares no coordinate system: give --from".into(),
        })?,
    };
    let crs_err = |c: &str, e: siting_crs::CrsError| {
        ConvertError::Crs(format!("unknown coordinate system {c:?}: {e}"))
    };
    let t_in = Transform::new(&SourceCrs::parse(&from)).map_err(|e| crs_err(&from, e))?;
    let to_crs = SourceCrs::parse(to);
    let t_out = Transform::new(&to_crs).map_err(|e| crs_err(to, e))?;
    // To WGS84 through the same step every layer takes (with its range checks).
    let wgs84 = siting_layers::reproject(&file, read.features, &t_in)?;
    let mut features = Vec::with_capacity(wgs84.len());
    for f in wgs84 {
        let fail = |problem: String| LayerError::Feature {
            file: file.clone(),
            feature: FeatureRef {
                index: f.index,
                id: siting_layers::property::feature_id(&f.properties),
            },
            problem,
        };
        let Some(mut g) = f.geometry.clone() else {
            return Err(fail("feature has no geometry".into()).into());
        };
        g.try_for_each_position(|p| -> Result<(), String> {
            let (x, y) = t_out.from_wgs84(p[0], p[1]).map_err(|e| e.to_string())?;
            *p = [x, y];
            Ok(())
        })
        .map_err(fail)?;
        features.push((g, f.properties));
    }
    let n = features.len();
    let srs = match &to_crs {
        SourceCrs::Wgs84 => Some("EPSG:4326".to_string()),
        SourceCrs::Gcj02 | SourceCrs::Bd09 => None,
        SourceCrs::Proj(d) => Some(d.clone()),
    };
    let name = output
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("layer")
        .to_string();
    write_atomically(output, |tmp| {
        write_layers(
            tmp,
            &[OutLayer {
                name: name.clone(),
                features,
                declared: Vec::new(),
            }],
            srs.as_deref(),
        )
    })?;
    Ok(n)
}

/// Writes through `write` into a private folder beside `output`, then moves
/// every file it made (a Shapefile's .shp, .shx, .dbf, .prj, .cpg) into place.
pub fn write_atomically(
    output: &Path,
    write: impl FnOnce(&Path) -> Result<(), GdalLayerError>,
) -> Result<(), ConvertError> {
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |e: std::io::Error| ConvertError::File {
        path: output.into(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(format!(".siting-convert-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(io)?;
    let file_name = output.file_name().ok_or_else(|| ConvertError::File {
        path: output.into(),
        message: "has no file name".into(),
    })?;
    let result = write(&tmp.join(file_name));
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e.into());
    }
    for entry in std::fs::read_dir(&tmp).map_err(io)? {
        let entry = entry.map_err(io)?;
        std::fs::rename(entry.path(), dir.join(entry.file_name())).map_err(io)?;
    }
    std::fs::remove_dir_all(&tmp).map_err(io)?;
    Ok(())
}
