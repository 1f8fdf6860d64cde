//! The demand grid: one population model, written at any resolution.
//!
//! The model is a density surface (residents per km²) defined independently
//! of any grid: 80% "towns", a Gaussian kernel around each GeoNames place,
//! and a 20% rural floor, thinner in the mountains. A cell's weight is the
//! integral of the surface over the cell: the kernels exactly (a product of
//! two [`erf`] differences, each kernel cut at a square of ±4σ so that the
//! sum over a cell's children equals the cell), the floor as its density at
//! the cell centre times the area. The floor's density is constant over each
//! cell of the 1 km reference grid, so any cell of a grid aligned to it and
//! no larger than 1 km has the floor of the reference cell holding it.
//!
//! Normalisations are computed once, on the 1 km reference grid, whatever
//! resolution is written: each place's kernel is scaled so that its mass
//! over the reference cells is its population (no population leaves the
//! area), the kernels together carry 80% of the total and the floor 20%.
//! So every resolution comes from the same model, and a refined cell's
//! children sum (to rounding) to the cell.

use crate::params::SynthParams;
use crate::run::{Area, SynthError};

/// Edge of the reference grid on which the model is normalised, metres.
pub const REFERENCE_CELL_M: f64 = 1000.0;

/// Half-width of the square each place's kernel is cut to, in kernel σ:
/// 4σ keeps 99.987% of a Gaussian's mass (the rest is renormalised).
pub const KERNEL_WINDOW_SIGMAS: f64 = 4.0;

/// One demand cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Centre, metres.
    pub xy: [f64; 2],
    /// Centre, WGS84.
    pub lonlat: [f64; 2],
    /// Modelled residents (rounded to 0.01).
    pub weight: f64,
    /// Edge of the cell, metres.
    pub cell_m: f64,
    /// Elevation from the DEM at the centre, metres.
    pub elevation_m: f64,
}

impl Cell {
    /// Residents per km².
    pub fn density(&self) -> f64 {
        self.weight / (self.cell_m * self.cell_m / 1e6)
    }
}

/// Spread (standard deviation) of a place's population kernel, metres:
/// 400 m × √(population / 10,000), between 500 m and 12 km.
///
/// ```
/// assert_eq!(siting_synth::demand::kernel_sigma_m(10_000.0), 500.0);
/// assert_eq!(siting_synth::demand::kernel_sigma_m(1_000_000.0), 4000.0);
/// assert_eq!(siting_synth::demand::kernel_sigma_m(9_000_000.0), 12000.0);
/// ```
pub fn kernel_sigma_m(population: f64) -> f64 {
    (400.0 * (population / 10_000.0).sqrt()).clamp(500.0, 12_000.0)
}

/// Population assumed for a GeoNames place whose population is unknown (0).
pub const UNKNOWN_PLACE_POPULATION: f64 = 2_000.0;

/// Relative rural-floor density at an elevation: 1 up to 400 m, then falling
/// as 1 / (1 + (elevation − 400) / 600).
pub fn floor_factor(elevation_m: f64) -> f64 {
    1.0 / (1.0 + (elevation_m - 400.0).max(0.0) / 600.0)
}

/// The error function (libm's, a port of FreeBSD's msun: accurate to about
/// 1 ulp).
///
/// ```
/// use siting_synth::demand::erf;
/// assert_eq!(erf(0.0), 0.0);
/// assert!((erf(1.0) - 0.842_700_792_949_714_9).abs() < 1e-15);
/// assert!((erf(-2.0) + 0.995_322_265_018_952_7).abs() < 1e-15);
/// ```
pub fn erf(x: f64) -> f64 {
    libm::erf(x)
}

/// Mass over `[a, b]` of a one-dimensional unit Gaussian (mean `mu`, standard
/// deviation `sigma`) cut to `[mu − 4σ, mu + 4σ]`.
pub fn gauss_interval(mu: f64, sigma: f64, a: f64, b: f64) -> f64 {
    let r = KERNEL_WINDOW_SIGMAS * sigma;
    let (lo, hi) = (a.max(mu - r), b.min(mu + r));
    if hi <= lo {
        return 0.0;
    }
    let s = sigma * std::f64::consts::SQRT_2;
    0.5 * (erf((hi - mu) / s) - erf((lo - mu) / s))
}

/// Mass over the rectangle `[x0, x1] × [y0, y1]` of a unit circular Gaussian
/// centred at `centre` with standard deviation `sigma`, cut to a square of
/// ±4σ: the product of two [`gauss_interval`]s.
///
/// ```
/// use siting_synth::demand::gauss_rect;
/// // A ±1σ square holds erf(1/√2)² ≈ 0.466 of the mass.
/// let m = gauss_rect([0.0, 0.0], 100.0, [-100.0, 100.0], [-100.0, 100.0]);
/// assert!((m - 0.682_689_492_137_086_f64.powi(2)).abs() < 1e-12);
/// ```
pub fn gauss_rect(centre: [f64; 2], sigma: f64, x: [f64; 2], y: [f64; 2]) -> f64 {
    gauss_interval(centre[0], sigma, x[0], x[1]) * gauss_interval(centre[1], sigma, y[0], y[1])
}

/// A regular lattice of square cells aligned to whole multiples of the edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lattice {
    /// South-west corner, metres.
    pub origin: [f64; 2],
    /// Cell edge, metres.
    pub cell_m: f64,
    /// Columns.
    pub nx: usize,
    /// Rows.
    pub ny: usize,
}

impl Lattice {
    /// The lattice of `cell_m` cells covering a bounding box.
    pub fn covering(min: [f64; 2], max: [f64; 2], cell_m: f64) -> Self {
        let origin = [
            (min[0] / cell_m).floor() * cell_m,
            (min[1] / cell_m).floor() * cell_m,
        ];
        Lattice {
            origin,
            cell_m,
            nx: ((max[0] - origin[0]) / cell_m).ceil().max(1.0) as usize,
            ny: ((max[1] - origin[1]) / cell_m).ceil().max(1.0) as usize,
        }
    }

    /// West edge of column `i` (or east edge of column `i − 1`).
    pub fn x(&self, i: usize) -> f64 {
        self.origin[0] + i as f64 * self.cell_m
    }

    /// South edge of row `j`.
    pub fn y(&self, j: usize) -> f64 {
        self.origin[1] + j as f64 * self.cell_m
    }

    /// Centre of cell `(i, j)`.
    pub fn centre(&self, i: usize, j: usize) -> [f64; 2] {
        [
            self.origin[0] + (i as f64 + 0.5) * self.cell_m,
            self.origin[1] + (j as f64 + 0.5) * self.cell_m,
        ]
    }

    /// Columns (`axis` 0) or rows (1) whose cells meet `[lo, hi]`.
    fn span(&self, axis: usize, lo: f64, hi: f64) -> std::ops::Range<usize> {
        let n = if axis == 0 { self.nx } else { self.ny };
        let a = ((lo - self.origin[axis]) / self.cell_m).floor().max(0.0) as usize;
        let b = (((hi - self.origin[axis]) / self.cell_m).ceil().max(0.0) as usize).min(n);
        a.min(b)..b
    }
}

/// One place's kernel: residents = `amplitude` × unit Gaussian.
#[derive(Debug, Clone, PartialEq)]
struct Kernel {
    centre: [f64; 2],
    sigma: f64,
    amplitude: f64,
}

impl Kernel {
    fn window(&self) -> ([f64; 2], [f64; 2]) {
        let r = KERNEL_WINDOW_SIGMAS * self.sigma;
        (
            [self.centre[0] - r, self.centre[0] + r],
            [self.centre[1] - r, self.centre[1] + r],
        )
    }

    /// Mass of the unit kernel per column (`axis` 0) or row (1) of `cols`,
    /// cells subdivided `k` times: entry `m` is sub-column `m` counted from
    /// the first column's west edge.
    fn masses(
        &self,
        lat: &Lattice,
        axis: usize,
        cols: &std::ops::Range<usize>,
        k: usize,
    ) -> Vec<f64> {
        let step = lat.cell_m / k as f64;
        let start = lat.origin[axis] + cols.start as f64 * lat.cell_m;
        (0..cols.len() * k)
            .map(|m| {
                let a = start + m as f64 * step;
                gauss_interval(self.centre[axis], self.sigma, a, a + step)
            })
            .collect()
    }
}

/// The population model: kernels normalised on the reference grid, and the
/// rural floor's density per reference cell.
pub struct PopulationModel {
    kernels: Vec<Kernel>,
    reference: Lattice,
    /// Relative floor density per reference cell (row-major).
    factors: Vec<f64>,
    /// Floor residents per km² where the factor is 1.
    floor_per_km2: f64,
    /// Reference cells whose centre lies in a district (row-major).
    kept: Vec<bool>,
    bbox: ([f64; 2], [f64; 2]),
}

fn district_bbox(area: &Area) -> ([f64; 2], [f64; 2]) {
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for d in &area.districts {
        for poly in &d.geometry.0 {
            for c in poly.exterior().coords() {
                min = [min[0].min(c.x), min[1].min(c.y)];
                max = [max[0].max(c.x), max[1].max(c.y)];
            }
        }
    }
    (min, max)
}

fn elevation(area: &Area, xy: [f64; 2]) -> Result<f64, SynthError> {
    let ll = area.lonlat(xy)?;
    Ok(area.dem.at(ll[0], ll[1]).unwrap_or(400.0))
}

impl PopulationModel {
    /// Normalises the model on the 1 km reference grid of the area.
    pub fn new(area: &Area, p: &SynthParams) -> Result<Self, SynthError> {
        let bbox = district_bbox(area);
        let reference = Lattice::covering(bbox.0, bbox.1, REFERENCE_CELL_M);
        let n = reference.nx * reference.ny;
        let mut kept = vec![false; n];
        let mut factors = vec![1.0; n];
        let mut floor_sum = 0.0;
        for j in 0..reference.ny {
            for i in 0..reference.nx {
                let c = reference.centre(i, j);
                let idx = j * reference.nx + i;
                if area.district_at(c).is_some() {
                    kept[idx] = true;
                    factors[idx] = floor_factor(elevation(area, c)?);
                    floor_sum += factors[idx];
                } else if let Ok(e) = elevation(area, c) {
                    factors[idx] = floor_factor(e);
                }
            }
        }
        let cell_km2 = REFERENCE_CELL_M * REFERENCE_CELL_M / 1e6;
        let floor_per_km2 = if floor_sum > 0.0 {
            p.total_weight * p.rural_floor_share / (floor_sum * cell_km2)
        } else {
            0.0
        };

        // Each place's unit kernel over the kept reference cells: its
        // amplitude is its population over that mass, so it keeps all of it.
        let mut kernels = Vec::new();
        let mut population = 0.0;
        for place in &area.places {
            let pop = if place.population > 0.0 {
                place.population
            } else {
                UNKNOWN_PLACE_POPULATION
            };
            let mut k = Kernel {
                centre: place.xy,
                sigma: kernel_sigma_m(pop),
                amplitude: 0.0,
            };
            let (wx, wy) = k.window();
            let (cols, rows) = (
                reference.span(0, wx[0], wx[1]),
                reference.span(1, wy[0], wy[1]),
            );
            let (ex, ey) = (
                k.masses(&reference, 0, &cols, 1),
                k.masses(&reference, 1, &rows, 1),
            );
            let mut inside = 0.0;
            for (b, j) in rows.clone().enumerate() {
                for (a, i) in cols.clone().enumerate() {
                    if kept[j * reference.nx + i] {
                        inside += ex[a] * ey[b];
                    }
                }
            }
            if inside > 1e-9 {
                k.amplitude = pop / inside;
                population += pop;
                kernels.push(k);
            }
        }
        let towns = p.total_weight * (1.0 - p.rural_floor_share);
        let scale = if population > 0.0 {
            towns / population
        } else {
            0.0
        };
        for k in &mut kernels {
            k.amplitude *= scale;
        }
        Ok(PopulationModel {
            kernels,
            reference,
            factors,
            floor_per_km2,
            kept,
            bbox,
        })
    }

    /// Floor density at a point, residents per km²: constant over each
    /// reference cell.
    pub fn floor_density(&self, xy: [f64; 2]) -> f64 {
        let r = &self.reference;
        let i = ((xy[0] - r.origin[0]) / r.cell_m)
            .floor()
            .clamp(0.0, (r.nx - 1) as f64) as usize;
        let j = ((xy[1] - r.origin[1]) / r.cell_m)
            .floor()
            .clamp(0.0, (r.ny - 1) as f64) as usize;
        self.floor_per_km2 * self.factors[j * r.nx + i]
    }

    /// Residents of the towns part over a rectangle (exact, summed over
    /// every kernel). For grids, [`demand_grid`] is much faster.
    pub fn towns_over(&self, x: [f64; 2], y: [f64; 2]) -> f64 {
        self.kernels
            .iter()
            .map(|k| k.amplitude * gauss_rect(k.centre, k.sigma, x, y))
            .sum()
    }

    /// Residents over a cell of edge `cell_m` centred at `xy`: towns exactly,
    /// floor at the centre times the area (unrounded).
    pub fn cell_weight(&self, xy: [f64; 2], cell_m: f64) -> f64 {
        let h = cell_m / 2.0;
        self.towns_over([xy[0] - h, xy[0] + h], [xy[1] - h, xy[1] + h])
            + self.floor_density(xy) * cell_m * cell_m / 1e6
    }
}

fn round2(w: f64) -> f64 {
    (w * 100.0).round() / 100.0
}

/// How the grid is laid: coarse cells, refined where dense.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridSpec {
    /// Coarse cell edge, metres.
    pub cell_m: f64,
    /// Fine cell edge, metres; a whole divisor of `cell_m` (equal: uniform grid).
    pub fine_cell_m: f64,
    /// A coarse cell at or above this density (residents per km²) is refined.
    pub fine_above_per_km2: f64,
}

impl GridSpec {
    /// The uniform grid of `cell_m` cells.
    pub fn uniform(cell_m: f64) -> Self {
        GridSpec {
            cell_m,
            fine_cell_m: cell_m,
            fine_above_per_km2: f64::INFINITY,
        }
    }

    /// Fine cells per coarse edge, or why the spec is not a grid.
    pub fn subdivisions(&self) -> Result<usize, String> {
        let ok = |v: f64| v.is_finite() && v > 0.0;
        if !ok(self.cell_m) || !ok(self.fine_cell_m) {
            return Err(format!(
                "cell edges must be positive, got {} m and {} m",
                self.cell_m, self.fine_cell_m
            ));
        }
        let k = (self.cell_m / self.fine_cell_m).round();
        if k < 1.0 || (k * self.fine_cell_m - self.cell_m).abs() > 1e-6 * self.cell_m {
            return Err(format!(
                "the cell edge ({} m) must be a whole multiple of the fine cell edge ({} m)",
                self.cell_m, self.fine_cell_m
            ));
        }
        Ok(k as usize)
    }
}

/// Builds the grid: coarse cells of `spec.cell_m` whose centre lies in a
/// district, each replaced by its `k × k` children of `spec.fine_cell_m`
/// where its density is at least `spec.fine_above_per_km2` (all children are
/// kept, so refinement neither adds nor loses residents). Cells come row by
/// row from the south-west; a refined cell's children take its place, row by
/// row.
pub fn demand_grid(
    area: &Area,
    model: &PopulationModel,
    spec: &GridSpec,
) -> Result<Vec<Cell>, SynthError> {
    let k = spec
        .subdivisions()
        .map_err(|problem| SynthError::Params { problem })?;
    let lat = Lattice::covering(model.bbox.0, model.bbox.1, spec.cell_m);
    let n = lat.nx * lat.ny;
    let kept = if lat == model.reference {
        model.kept.clone()
    } else {
        let mut kept = vec![false; n];
        for j in 0..lat.ny {
            for i in 0..lat.nx {
                kept[j * lat.nx + i] = area.district_at(lat.centre(i, j)).is_some();
            }
        }
        kept
    };
    // Towns: every kernel over the cells of its window.
    let mut towns = vec![0.0f64; n];
    for kern in &model.kernels {
        let (wx, wy) = kern.window();
        let (cols, rows) = (lat.span(0, wx[0], wx[1]), lat.span(1, wy[0], wy[1]));
        let (ex, ey) = (
            kern.masses(&lat, 0, &cols, 1),
            kern.masses(&lat, 1, &rows, 1),
        );
        for (b, j) in rows.clone().enumerate() {
            let row = j * lat.nx;
            for (a, i) in cols.clone().enumerate() {
                if kept[row + i] {
                    towns[row + i] += kern.amplitude * ex[a] * ey[b];
                }
            }
        }
    }
    let area_km2 = spec.cell_m * spec.cell_m / 1e6;
    let weight = |idx: usize, xy: [f64; 2]| towns[idx] + model.floor_density(xy) * area_km2;

    // Which cells are refined, and a slot for each one's children.
    const NONE: u32 = u32::MAX;
    let mut slot = vec![NONE; n];
    let mut refined = 0u32;
    if k > 1 {
        for j in 0..lat.ny {
            for i in 0..lat.nx {
                let idx = j * lat.nx + i;
                if kept[idx] && weight(idx, lat.centre(i, j)) / area_km2 >= spec.fine_above_per_km2
                {
                    slot[idx] = refined;
                    refined += 1;
                }
            }
        }
    }
    let kk = k * k;
    let mut children = vec![0.0f64; refined as usize * kk];
    if refined > 0 {
        for kern in &model.kernels {
            let (wx, wy) = kern.window();
            let (cols, rows) = (lat.span(0, wx[0], wx[1]), lat.span(1, wy[0], wy[1]));
            let (ex, ey) = (
                kern.masses(&lat, 0, &cols, k),
                kern.masses(&lat, 1, &rows, k),
            );
            for (b, j) in rows.clone().enumerate() {
                for (a, i) in cols.clone().enumerate() {
                    let s = slot[j * lat.nx + i];
                    if s == NONE {
                        continue;
                    }
                    let out = &mut children[s as usize * kk..(s as usize + 1) * kk];
                    for cb in 0..k {
                        let my = kern.amplitude * ey[b * k + cb];
                        for ca in 0..k {
                            out[cb * k + ca] += my * ex[a * k + ca];
                        }
                    }
                }
            }
        }
    }

    let fine_km2 = spec.fine_cell_m * spec.fine_cell_m / 1e6;
    let mut cells = Vec::new();
    for j in 0..lat.ny {
        for i in 0..lat.nx {
            let idx = j * lat.nx + i;
            if !kept[idx] {
                continue;
            }
            let xy = lat.centre(i, j);
            if slot[idx] == NONE {
                cells.push(Cell {
                    xy,
                    lonlat: area.lonlat(xy)?,
                    weight: round2(weight(idx, xy)),
                    cell_m: spec.cell_m,
                    elevation_m: elevation(area, xy)?,
                });
                continue;
            }
            let s = slot[idx] as usize;
            for cb in 0..k {
                for ca in 0..k {
                    let cxy = [
                        lat.x(i) + (ca as f64 + 0.5) * spec.fine_cell_m,
                        lat.y(j) + (cb as f64 + 0.5) * spec.fine_cell_m,
                    ];
                    let w = children[s * kk + cb * k + ca] + model.floor_density(cxy) * fine_km2;
                    cells.push(Cell {
                        xy: cxy,
                        lonlat: area.lonlat(cxy)?,
                        weight: round2(w),
                        cell_m: spec.fine_cell_m,
                        elevation_m: elevation(area, cxy)?,
                    });
                }
            }
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_tabulated_values() {
        // Abramowitz & Stegun, Table 7.1.
        for (x, v) in [
            (0.1, 0.112_462_916_018_284_9),
            (0.5, 0.520_499_877_813_046_5),
            (1.5, 0.966_105_146_475_310_7),
            (3.0, 0.999_977_909_503_001_4),
        ] {
            assert!((erf(x) - v).abs() < 1e-15, "erf({x})");
            assert!((erf(-x) + v).abs() < 1e-15, "erf(-{x})");
        }
    }

    #[test]
    fn rectangle_integral_has_known_values() {
        // The ±4σ square holds all of the cut kernel's mass.
        let whole = gauss_rect([10.0, -5.0], 300.0, [-1e6, 1e6], [-1e6, 1e6]);
        let cut = erf(4.0 / std::f64::consts::SQRT_2).powi(2);
        assert!((whole - cut).abs() < 1e-15);
        // A half plane holds half of it.
        let half = gauss_rect([0.0, 0.0], 300.0, [0.0, 1e6], [-1e6, 1e6]);
        assert!((half - cut / 2.0).abs() < 1e-15);
        // Nothing outside the window.
        assert_eq!(
            gauss_rect([0.0, 0.0], 100.0, [401.0, 500.0], [0.0, 1.0]),
            0.0
        );
        // A quadrant ±1σ: ((erf(1/√2))/2)².
        let q = gauss_rect([0.0, 0.0], 50.0, [0.0, 50.0], [0.0, 50.0]);
        assert!((q - (0.682_689_492_137_086 / 2.0f64).powi(2)).abs() < 1e-12);
    }

    #[test]
    fn sub_rectangles_sum_to_the_rectangle() {
        let (c, s) = ([123.0, -77.0], 640.0);
        let (x, y) = ([-1000.0, 1000.0], [-250.0, 1750.0]);
        let whole = gauss_rect(c, s, x, y);
        let k = 8;
        let mut parts = 0.0;
        for a in 0..k {
            for b in 0..k {
                let xa = x[0] + (x[1] - x[0]) * a as f64 / k as f64;
                let xb = x[0] + (x[1] - x[0]) * (a + 1) as f64 / k as f64;
                let ya = y[0] + (y[1] - y[0]) * b as f64 / k as f64;
                let yb = y[0] + (y[1] - y[0]) * (b + 1) as f64 / k as f64;
                parts += gauss_rect(c, s, [xa, xb], [ya, yb]);
            }
        }
        assert!((parts - whole).abs() < 1e-14, "{parts} vs {whole}");
    }

    #[test]
    fn grid_spec_needs_a_whole_multiple() {
        let spec = |c, f| GridSpec {
            cell_m: c,
            fine_cell_m: f,
            fine_above_per_km2: 300.0,
        };
        assert_eq!(spec(1000.0, 250.0).subdivisions(), Ok(4));
        assert_eq!(spec(500.0, 125.0).subdivisions(), Ok(4));
        assert_eq!(spec(250.0, 250.0).subdivisions(), Ok(1));
        assert!(spec(1000.0, 300.0)
            .subdivisions()
            .unwrap_err()
            .contains("whole multiple"));
        assert!(spec(250.0, 1000.0).subdivisions().is_err());
        assert!(spec(0.0, 0.0).subdivisions().is_err());
    }

    #[test]
    fn lattice_spans_cover_the_interval() {
        let l = Lattice::covering([1234.0, -10.0], [9876.0, 99.0], 1000.0);
        assert_eq!(l.origin, [1000.0, -1000.0]);
        assert_eq!((l.nx, l.ny), (9, 2));
        assert_eq!(l.span(0, 1500.0, 2500.0), 0..2);
        assert_eq!(l.span(0, -5e5, 5e5), 0..9);
        assert_eq!(l.span(0, 2e6, 3e6), 9..9);
        assert_eq!(l.span(1, -2e6, -1e6), 0..0);
    }
}
