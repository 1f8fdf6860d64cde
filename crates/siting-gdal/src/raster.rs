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

/// A north-up raster of classes (one byte per cell) to write as GeoTIFF.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassRaster<'a> {
    /// Columns.
    pub cols: usize,
    /// Rows (row 0 is the northern edge).
    pub rows: usize,
    /// West edge, cell width, 0, north edge, 0, −cell height (metres or degrees of `srs`).
    pub geotransform: [f64; 6],
    /// The coordinate system, a PROJ/GDAL definition (`EPSG:4545`).
    pub srs: &'a str,
    /// The classes, row by row.
    pub data: &'a [u8],
    /// The value that means "no data".
    pub nodata: u8,
    /// Colour of each class value, RGBA (a palette QGIS shows as is).
    pub colours: &'a [(u8, [u8; 4])],
}

/// Writes `raster` to `path` as a DEFLATE-compressed GeoTIFF with its
/// palette; the same raster gives the same bytes.
pub fn write_class_raster(
    path: &std::path::Path,
    raster: &ClassRaster<'_>,
) -> Result<(), crate::GdalLayerError> {
    use gdal::raster::{
        Buffer, ColorEntry, ColorTable, PaletteInterpretation, RasterCreationOptions,
    };
    let fail = |e: gdal::errors::GdalError| crate::GdalLayerError::Gdal {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    if raster.data.len() != raster.cols * raster.rows {
        return Err(crate::GdalLayerError::Gdal {
            path: path.to_path_buf(),
            message: format!(
                "{} cells for a {} × {} raster",
                raster.data.len(),
                raster.cols,
                raster.rows
            ),
        });
    }
    let driver = gdal::DriverManager::get_driver_by_name("GTiff").map_err(fail)?;
    let options = RasterCreationOptions::from_iter(["COMPRESS=DEFLATE"]);
    let mut ds = driver
        .create_with_band_type_with_options::<u8, _>(path, raster.cols, raster.rows, 1, &options)
        .map_err(fail)?;
    ds.set_geo_transform(&raster.geotransform).map_err(fail)?;
    let srs = gdal::spatial_ref::SpatialRef::from_definition(raster.srs).map_err(fail)?;
    ds.set_spatial_ref(&srs).map_err(fail)?;
    let mut band = ds.rasterband(1).map_err(fail)?;
    band.set_no_data_value(Some(f64::from(raster.nodata)))
        .map_err(fail)?;
    let mut table = ColorTable::new(PaletteInterpretation::Rgba);
    for (v, [r, g, b, a]) in raster.colours {
        table.set_color_entry(
            u16::from(*v),
            &ColorEntry::rgba(i16::from(*r), i16::from(*g), i16::from(*b), i16::from(*a)),
        );
    }
    band.set_color_table(&table);
    let mut buf = Buffer::new((raster.cols, raster.rows), raster.data.to_vec());
    band.write((0, 0), (raster.cols, raster.rows), &mut buf)
        .map_err(fail)?;
    ds.close().map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_raster_round_trips_through_gdal() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("c.tif");
        let data = [0u8, 1, 2, 3, 1, 1];
        let r = ClassRaster {
            cols: 3,
            rows: 2,
            geotransform: [500_000.0, 1000.0, 0.0, 3_300_000.0, 0.0, -1000.0],
            srs: "EPSG:4545",
            data: &data,
            nodata: 0,
            colours: &[(1, [1, 2, 3, 255]), (2, [4, 5, 6, 255])],
        };
        write_class_raster(&path, &r).unwrap();
        let first = std::fs::read(&path).unwrap();
        let ds = Dataset::open(&path).unwrap();
        assert_eq!(ds.raster_size(), (3, 2));
        assert_eq!(ds.geo_transform().unwrap(), r.geotransform);
        assert_eq!(ds.spatial_ref().unwrap().auth_code().unwrap(), 4545);
        let band = ds.rasterband(1).unwrap();
        assert_eq!(band.no_data_value(), Some(0.0));
        let got = band.read_as::<u8>((0, 0), (3, 2), (3, 2), None).unwrap();
        assert_eq!(got.data(), &data);
        assert!(band.color_table().is_some());
        drop(ds);
        write_class_raster(&path, &r).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), first, "deterministic");
    }
}
