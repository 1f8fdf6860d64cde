//! Coverage as a raster: each operator's coverage before and after the plan,
//! the demand's residents aggregated into square cells.

use crate::MapError;
use siting_model::{Operator, PerOperator};

/// What a raster cell shows for one operator: the state that holds most of
/// the residents in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum CellClass {
    /// No residents in the cell (transparent, GeoTIFF nodata).
    Empty = 0,
    /// Covered before the plan (existing 4G).
    CoveredBefore = 1,
    /// Newly covered by the plan.
    NewlyCovered = 2,
    /// Still uncovered once the plan is built.
    Uncovered = 3,
}

impl CellClass {
    /// The three classes a cell with residents can have, in legend order.
    pub const SHOWN: [CellClass; 3] = [
        CellClass::CoveredBefore,
        CellClass::NewlyCovered,
        CellClass::Uncovered,
    ];

    /// The legend's words.
    pub fn label(self) -> &'static str {
        match self {
            CellClass::Empty => "no residents",
            CellClass::CoveredBefore => "covered before the plan",
            CellClass::NewlyCovered => "newly covered by the plan",
            CellClass::Uncovered => "still uncovered",
        }
    }

    /// Its colour, RGBA (alpha 0 for [`CellClass::Empty`]).
    pub fn rgba(self) -> [u8; 4] {
        match self {
            CellClass::Empty => [0, 0, 0, 0],
            CellClass::CoveredBefore => [158, 188, 218, 255],
            CellClass::NewlyCovered => [35, 139, 69, 255],
            CellClass::Uncovered => [222, 45, 38, 255],
        }
    }

    /// Its colour, `#rrggbb`.
    pub fn hex(self) -> String {
        let [r, g, b, _] = self.rgba();
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    fn from_u8(v: u8) -> CellClass {
        match v {
            1 => CellClass::CoveredBefore,
            2 => CellClass::NewlyCovered,
            3 => CellClass::Uncovered,
            _ => CellClass::Empty,
        }
    }
}

/// One demand cell's coverage, as the grid takes it in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemandCell {
    /// Position, metres (metric CRS).
    pub xy: [f64; 2],
    /// Residents.
    pub residents: f64,
    /// Covered per operator before the plan.
    pub before: PerOperator<bool>,
    /// Covered per operator once the plan is built.
    pub after: PerOperator<bool>,
}

/// Each operator's coverage on a grid of square cells, north-up: row 0 is
/// the northern edge, column 0 the western.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageGrid {
    /// Western edge, metres (metric CRS).
    pub west: f64,
    /// Northern edge, metres.
    pub north: f64,
    /// Cell edge, metres.
    pub cell_m: f64,
    /// Columns.
    pub cols: usize,
    /// Rows.
    pub rows: usize,
    /// Per operator, row by row, the class of each cell ([`CellClass`] as `u8`).
    pub classes: PerOperator<Vec<u8>>,
}

impl CoverageGrid {
    /// The grid over `bounds` (`[min_x, min_y, max_x, max_y]`, metres) with
    /// cells of `cell_m`, each taking the class that holds most of its
    /// residents (ties: uncovered, then newly covered, then covered before).
    /// Cells outside the bounds are dropped.
    pub fn build(bounds: [f64; 4], cell_m: f64, cells: &[DemandCell]) -> CoverageGrid {
        let cell_m = if cell_m.is_finite() && cell_m > 0.0 {
            cell_m
        } else {
            1000.0
        };
        let west = (bounds[0] / cell_m).floor() * cell_m;
        let north = (bounds[3] / cell_m).ceil() * cell_m;
        let cols = (((bounds[2] - west) / cell_m).ceil().max(1.0)) as usize;
        let rows = (((north - bounds[1]) / cell_m).ceil().max(1.0)) as usize;
        let mut sums: PerOperator<Vec<[f64; 3]>> =
            PerOperator::from_fn(|_| vec![[0.0; 3]; cols * rows]);
        for c in cells {
            let col = ((c.xy[0] - west) / cell_m).floor();
            let row = ((north - c.xy[1]) / cell_m).floor();
            if !(col >= 0.0 && row >= 0.0 && (col as usize) < cols && (row as usize) < rows) {
                continue;
            }
            if !(c.residents.is_finite() && c.residents > 0.0) {
                continue;
            }
            let k = row as usize * cols + col as usize;
            for op in Operator::ALL {
                let slot = if c.before[op] {
                    0
                } else if c.after[op] {
                    1
                } else {
                    2
                };
                sums[op][k][slot] += c.residents;
            }
        }
        let classes = PerOperator::from_fn(|op| {
            sums[op]
                .iter()
                .map(|s| {
                    (if s[0] + s[1] + s[2] <= 0.0 {
                        CellClass::Empty
                    } else if s[2] >= s[1] && s[2] >= s[0] {
                        CellClass::Uncovered
                    } else if s[1] >= s[0] {
                        CellClass::NewlyCovered
                    } else {
                        CellClass::CoveredBefore
                    }) as u8
                })
                .collect()
        });
        CoverageGrid {
            west,
            north,
            cell_m,
            cols,
            rows,
            classes,
        }
    }

    /// A cell edge for `bounds` that keeps the longer side to at most
    /// `max_cells` cells, and no finer than `finest_m`: a whole multiple of
    /// 250 m, metres.
    pub fn cell_for(bounds: [f64; 4], max_cells: usize, finest_m: f64) -> f64 {
        let long = (bounds[2] - bounds[0]).max(bounds[3] - bounds[1]).max(1.0);
        let raw = (long / max_cells.max(1) as f64).max(finest_m);
        (raw / 250.0).ceil().max(1.0) * 250.0
    }

    /// The class of a cell for one operator.
    pub fn class(&self, op: Operator, row: usize, col: usize) -> CellClass {
        CellClass::from_u8(self.classes[op][row * self.cols + col])
    }

    /// Cells of each class for one operator, indexed by `CellClass as usize`.
    pub fn counts(&self, op: Operator) -> [u64; 4] {
        let mut n = [0u64; 4];
        for &c in &self.classes[op] {
            n[usize::from(c.min(3))] += 1;
        }
        n
    }

    /// The GeoTIFF-style geotransform: west, cell, 0, north, 0, −cell.
    pub fn geotransform(&self) -> [f64; 6] {
        [self.west, self.cell_m, 0.0, self.north, 0.0, -self.cell_m]
    }

    /// One operator's raster as a PNG (one pixel per cell, transparent where
    /// nobody lives).
    pub fn png(&self, op: Operator) -> Result<Vec<u8>, MapError> {
        let (w, h) = (self.cols as u32, self.rows as u32);
        let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h)
            .ok_or_else(|| MapError::Png(format!("a {w} × {h} picture")))?;
        for (px, &c) in pixmap.pixels_mut().iter_mut().zip(&self.classes[op]) {
            let [r, g, b, a] = CellClass::from_u8(c).rgba();
            *px = resvg::tiny_skia::PremultipliedColorU8::from_rgba(r, g, b, a)
                .unwrap_or(resvg::tiny_skia::PremultipliedColorU8::TRANSPARENT);
        }
        pixmap
            .encode_png()
            .map_err(|e| MapError::Png(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(x: f64, y: f64, residents: f64, before: bool, after: bool) -> DemandCell {
        DemandCell {
            xy: [x, y],
            residents,
            before: PerOperator::from_fn(|_| before),
            after: PerOperator::from_fn(|_| after),
        }
    }

    #[test]
    fn majority_of_residents_decides_the_class() {
        let cells = [
            cell(100.0, 1900.0, 10.0, true, true),
            cell(200.0, 1800.0, 30.0, false, true),
            cell(1500.0, 1500.0, 5.0, false, false),
            cell(1500.0, 500.0, 0.0, false, false),
        ];
        let g = CoverageGrid::build([0.0, 0.0, 2000.0, 2000.0], 1000.0, &cells);
        assert_eq!((g.cols, g.rows), (2, 2));
        let op = Operator::Cmcc;
        assert_eq!(g.class(op, 0, 0), CellClass::NewlyCovered);
        assert_eq!(g.class(op, 0, 1), CellClass::Uncovered);
        assert_eq!(g.class(op, 1, 1), CellClass::Empty);
        assert_eq!(g.counts(op), [2, 0, 1, 1]);
        assert_eq!(g.geotransform(), [0.0, 1000.0, 0.0, 2000.0, 0.0, -1000.0]);
    }

    #[test]
    fn cell_size_bounds_the_picture() {
        let b = [0.0, 0.0, 470_000.0, 450_000.0];
        assert_eq!(CoverageGrid::cell_for(b, 600, 250.0), 1000.0);
        assert_eq!(
            CoverageGrid::cell_for([0.0, 0.0, 20_000.0, 10.0], 600, 250.0),
            250.0
        );
    }

    #[test]
    fn png_decodes_to_the_grid_size() {
        let g = CoverageGrid::build(
            [0.0, 0.0, 3000.0, 2000.0],
            1000.0,
            &[cell(10.0, 10.0, 1.0, true, true)],
        );
        let png = g.png(Operator::Cucc).unwrap();
        let p = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!((p.width(), p.height()), (3, 2));
        assert_eq!(g.png(Operator::Cucc).unwrap(), png, "deterministic");
    }
}
