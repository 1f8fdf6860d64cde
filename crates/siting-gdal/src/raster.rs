//! Rasters through GDAL: a DEM as a [`Grid`].

use gdal::Dataset;
use siting_layers::{Grid, LayerError, Source};

fn bad(file: &str, message: impl Into<String>) -> LayerError {
    LayerError::Malformed {
        file: file.to_string(),
        format: "raster DEM",
        message: message.into(),
    }
}

/// Reads band 1 of a north-up raster in geographic WGS84 or CGCS2000 (square
/// cells in degrees) as a [`Grid`] of metres.
pub fn read_grid(source: &Source) -> Result<Grid, LayerError> {
    let file = source.label();
    let Source::File(path) = source else {
        return Err(bad(&file, "GDAL reads files only"));
    };
    if !path.exists() {
        return Err(LayerError::Io {
            file,
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    let ds = Dataset::open(path).map_err(|e| bad(&file, format!("GDAL cannot open it: {e}")))?;
    if let Ok(srs) = ds.spatial_ref() {
        let code = srs.auth_code().ok();
        if !srs.is_geographic() || !matches!(code, Some(4326) | Some(4490) | None) {
            return Err(bad(
                &file,
                format!(
                    "the DEM must be in geographic WGS84 or CGCS2000 degrees, not {}",
                    srs.name().unwrap_or_default()
                ),
            ));
        }
    }
    let gt = ds
        .geo_transform()
        .map_err(|e| bad(&file, format!("no geotransform: {e}")))?;
    if gt[2] != 0.0 || gt[4] != 0.0 || gt[5] >= 0.0 || (gt[1] + gt[5]).abs() > 1e-9 * gt[1].abs() {
        return Err(bad(
            &file,
            "only north-up rasters with square cells are supported",
        ));
    }
    let band = ds
        .rasterband(1)
        .map_err(|e| bad(&file, format!("no band 1: {e}")))?;
    let (cols, rows) = band.size();
    let buf = band
        .read_as::<f64>((0, 0), (cols, rows), (cols, rows), None)
        .map_err(|e| bad(&file, format!("cannot read band 1: {e}")))?;
    let nodata = band.no_data_value().unwrap_or(f64::NAN);
    let cell = gt[1];
    let (xll, yll) = (gt[0], gt[3] + gt[5] * rows as f64);
    Grid::from_parts(cols, rows, xll, yll, cell, nodata, buf.data().to_vec())
        .map_err(|m| bad(&file, m))
}
