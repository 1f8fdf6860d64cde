//! Raster layers: an ESRI ASCII grid (a DEM), sampled at WGS84 points.

/// A north-up grid of elevations in metres, cells in degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    ncols: usize,
    nrows: usize,
    xll: f64,
    yll: f64,
    cell: f64,
    nodata: f64,
    values: Vec<f64>,
}

impl Grid {
    /// Parses an ESRI ASCII grid (`ncols`, `nrows`, `xllcorner`,
    /// `yllcorner`, `cellsize`, optional `NODATA_value`, then rows north to south).
    ///
    /// ```
    /// let dem = siting_layers::Grid::parse("ncols 2\nnrows 2\nxllcorner 100\nyllcorner 30\ncellsize 1\nNODATA_value -9999\n1 2\n3 4\n").unwrap();
    /// assert_eq!(dem.at(100.5, 31.5), Some(1.0));
    /// assert_eq!(dem.at(101.5, 30.5), Some(4.0));
    /// assert_eq!(dem.at(99.0, 30.5), None);
    /// assert!(siting_layers::Grid::parse("ncols 1e30\nnrows 10\nxllcorner 0\nyllcorner 0\ncellsize 1\n1\n").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Grid, String> {
        let mut header = std::collections::HashMap::new();
        let mut tokens = text.split_whitespace().peekable();
        while let Some(t) = tokens.peek() {
            if t.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                let key = tokens.next().unwrap_or_default().to_ascii_lowercase();
                let v: f64 = tokens
                    .next()
                    .ok_or_else(|| format!("header {key} has no value"))?
                    .parse()
                    .map_err(|e| format!("header {key}: {e}"))?;
                header.insert(key, v);
            } else {
                break;
            }
        }
        let get = |k: &str| {
            header
                .get(k)
                .copied()
                .ok_or_else(|| format!("header {k} is missing"))
        };
        let (ncols, nrows) = (get("ncols")? as usize, get("nrows")? as usize);
        let values: Vec<f64> = tokens
            .map(|t| t.parse::<f64>().map_err(|e| format!("value {t:?}: {e}")))
            .collect::<Result<_, _>>()?;
        Grid::from_parts(
            ncols,
            nrows,
            get("xllcorner")?,
            get("yllcorner")?,
            get("cellsize")?,
            header.get("nodata_value").copied().unwrap_or(f64::NAN),
            values,
        )
    }

    /// Elevation of the cell holding (lon, lat), metres; `None` outside or nodata.
    pub fn at(&self, lon: f64, lat: f64) -> Option<f64> {
        let c = ((lon - self.xll) / self.cell).floor();
        let r_from_south = ((lat - self.yll) / self.cell).floor();
        if c < 0.0
            || r_from_south < 0.0
            || c >= self.ncols as f64
            || r_from_south >= self.nrows as f64
        {
            return None;
        }
        let row = self.nrows - 1 - r_from_south as usize;
        let v = self.values[row * self.ncols + c as usize];
        (!self.missing(v)).then_some(v)
    }

    /// Whether a cell value is missing: the nodata value, or NaN (GeoTIFF
    /// DEMs often declare NaN as nodata, and NaN never equals itself).
    fn missing(&self, v: f64) -> bool {
        v.is_nan() || v == self.nodata
    }

    /// Lowest value among the cells that intersect the box of `dlon` × `dlat`
    /// degrees on each side of (lon, lat); `None` when none has data.
    ///
    /// ```
    /// let g = siting_layers::Grid::parse("ncols 3\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n5 1 9\n").unwrap();
    /// assert_eq!(g.min_within(0.5, 0.5, 0.6, 0.1), Some(1.0));
    /// assert_eq!(g.min_within(2.5, 0.5, 0.4, 0.1), Some(9.0));
    /// ```
    pub fn min_within(&self, lon: f64, lat: f64, dlon: f64, dlat: f64) -> Option<f64> {
        let col = |x: f64| {
            ((x - self.xll) / self.cell)
                .floor()
                .clamp(0.0, self.ncols as f64 - 1.0) as usize
        };
        let row_s = |y: f64| {
            ((y - self.yll) / self.cell)
                .floor()
                .clamp(0.0, self.nrows as f64 - 1.0) as usize
        };
        let (c0, c1) = (col(lon - dlon), col(lon + dlon));
        let (r0, r1) = (row_s(lat - dlat), row_s(lat + dlat));
        let mut best: Option<f64> = None;
        for rs in r0..=r1 {
            let row = self.nrows - 1 - rs;
            for c in c0..=c1 {
                let v = self.values[row * self.ncols + c];
                if !self.missing(v) {
                    best = Some(best.map_or(v, |b: f64| b.min(v)));
                }
            }
        }
        best
    }

    /// A coarser grid whose every cell holds the lowest value of a `k` × `k`
    /// block of this one's (blocks aligned on the south-west corner; nodata
    /// where a block has no data). Its [`Grid::min_within`] is a lower bound
    /// of this grid's over the same box, from far fewer cells.
    ///
    /// ```
    /// let g = siting_layers::Grid::parse("ncols 3\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n5 1 9\n7 8 4\n").unwrap();
    /// let c = g.block_min(2);
    /// assert_eq!(c.min_within(0.5, 0.5, 0.1, 0.1), Some(1.0)); // block of 7 8 / 5 1
    /// assert_eq!(c.min_within(2.5, 0.5, 0.1, 0.1), Some(4.0)); // block of 4 / 9
    /// ```
    pub fn block_min(&self, k: usize) -> Grid {
        let k = k.max(1);
        let (nc, nr) = (self.ncols.div_ceil(k), self.nrows.div_ceil(k));
        let mut lowest: Vec<Option<f64>> = vec![None; nc * nr];
        for row in 0..self.nrows {
            let brs = (self.nrows - 1 - row) / k;
            let out = (nr - 1 - brs) * nc;
            for c in 0..self.ncols {
                let v = self.values[row * self.ncols + c];
                if self.missing(v) {
                    continue;
                }
                let slot = &mut lowest[out + c / k];
                *slot = Some(slot.map_or(v, |b| b.min(v)));
            }
        }
        Grid {
            ncols: nc,
            nrows: nr,
            xll: self.xll,
            yll: self.yll,
            cell: self.cell * k as f64,
            nodata: self.nodata,
            values: lowest
                .into_iter()
                .map(|v| v.unwrap_or(self.nodata))
                .collect(),
        }
    }

    /// A grid from its parts: `values` row by row from the north, `xll`/`yll`
    /// the south-west corner, `cell` the square cell edge (all in degrees).
    pub fn from_parts(
        ncols: usize,
        nrows: usize,
        xll: f64,
        yll: f64,
        cell: f64,
        nodata: f64,
        values: Vec<f64>,
    ) -> Result<Grid, String> {
        if ncols.checked_mul(nrows) != Some(values.len()) || ncols == 0 || nrows == 0 {
            return Err(format!(
                "{} values for a {ncols} × {nrows} grid",
                values.len()
            ));
        }
        if !(cell.is_finite() && cell > 0.0) {
            return Err(format!("cell size {cell} is not a positive number"));
        }
        if !(xll.is_finite() && yll.is_finite()) {
            return Err(format!(
                "the grid's origin ({xll}, {yll}) is not a finite position"
            ));
        }
        if let Some(i) = values.iter().position(|v| v.is_infinite() && *v != nodata) {
            return Err(format!(
                "value {} at row {}, column {} is not a finite height",
                values[i],
                i / ncols + 1,
                i % ncols + 1
            ));
        }
        Ok(Grid {
            ncols,
            nrows,
            xll,
            yll,
            cell,
            nodata,
            values,
        })
    }

    /// Cell edge, degrees.
    pub fn cell_deg(&self) -> f64 {
        self.cell
    }

    /// Lowest value in the grid, ignoring nodata; `None` when all are nodata.
    pub fn min(&self) -> Option<f64> {
        self.values
            .iter()
            .copied()
            .filter(|v| !self.missing(*v))
            .reduce(f64::min)
    }

    /// Reads a grid from a layer source; errors name the file.
    pub fn read(source: &crate::Source) -> Result<Grid, crate::LayerError> {
        Grid::from_bytes(&source.label(), &source.bytes()?)
    }

    /// Parses a grid from a file's bytes already read; errors name `file`.
    pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<Grid, crate::LayerError> {
        let malformed = |message: String| crate::LayerError::Malformed {
            file: file.to_string(),
            format: "ESRI ASCII grid",
            message,
        };
        let text =
            std::str::from_utf8(bytes).map_err(|e| malformed(format!("not UTF-8 text ({e})")))?;
        Grid::parse(text).map_err(malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nan_cells_are_missing_not_ground() {
        // A NaN nodata (as GeoTIFFs declare it) and NaN cells.
        let g = Grid::from_parts(2, 1, 0.0, 0.0, 1.0, f64::NAN, vec![f64::NAN, 7.0]).unwrap();
        assert_eq!(g.at(0.5, 0.5), None);
        assert_eq!(g.at(1.5, 0.5), Some(7.0));
        assert_eq!(g.min(), Some(7.0));
        assert_eq!(g.min_within(0.5, 0.5, 0.6, 0.1), Some(7.0));
        assert_eq!(g.block_min(2).at(0.5, 0.5), Some(7.0));
        // NaN cells under a numeric nodata are missing too.
        let g = Grid::from_parts(2, 1, 0.0, 0.0, 1.0, -9999.0, vec![f64::NAN, 3.0]).unwrap();
        assert_eq!(g.at(0.5, 0.5), None);
    }

    #[test]
    fn non_finite_origins_and_heights_are_refused() {
        assert!(
            Grid::from_parts(1, 1, f64::NAN, 0.0, 1.0, -9999.0, vec![1.0])
                .unwrap_err()
                .contains("origin")
        );
        assert!(Grid::from_parts(1, 1, 0.0, f64::INFINITY, 1.0, -9999.0, vec![1.0]).is_err());
        assert!(Grid::from_parts(1, 1, 0.0, 0.0, 0.0, -9999.0, vec![1.0])
            .unwrap_err()
            .contains("cell size"));
        assert!(Grid::from_parts(1, 1, 0.0, 0.0, -1.0, -9999.0, vec![1.0]).is_err());
        let e = Grid::parse("ncols 2\nnrows 1\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 inf\n")
            .unwrap_err();
        assert!(e.contains("row 1, column 2"), "{e}");
    }

    proptest! {
        /// Over any box, the block grid's lowest value is at most the fine
        /// grid's; blocks of one cell are the grid itself.
        #[test]
        fn block_min_bounds_min_within(
            ncols in 1usize..12,
            nrows in 1usize..12,
            seed in prop::collection::vec(-50.0f64..500.0, 144),
            k in 1usize..5,
            lon in -0.5f64..12.5,
            lat in -0.5f64..12.5,
            dlon in 0.0f64..6.0,
            dlat in 0.0f64..6.0,
            hole in 0usize..144,
        ) {
            let mut values: Vec<f64> = seed[..ncols * nrows].to_vec();
            values[hole % (ncols * nrows)] = -9999.0;
            let g = Grid::from_parts(ncols, nrows, 0.0, 0.0, 1.0, -9999.0, values).unwrap();
            let c = g.block_min(k);
            match (g.min_within(lon, lat, dlon, dlat), c.min_within(lon, lat, dlon, dlat)) {
                (Some(fine), Some(coarse)) => prop_assert!(coarse <= fine),
                (None, _) => {}
                (Some(_), None) => prop_assert!(false, "the block grid lost data"),
            }
            prop_assert_eq!(g.block_min(1).values, g.values.clone());
        }
    }
}
