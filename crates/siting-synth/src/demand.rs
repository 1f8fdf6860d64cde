//! The demand grid: GeoNames populations spread around their places, plus a
//! rural floor over every cell, thinner in the mountains.

use crate::params::SynthParams;
use crate::run::{Area, SynthError};
use siting_index::PointIndex;

/// One demand cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Centre, metres.
    pub xy: [f64; 2],
    /// Centre, WGS84.
    pub lonlat: [f64; 2],
    /// Modelled residents.
    pub weight: f64,
    /// Elevation from the DEM, metres.
    pub elevation_m: f64,
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

/// Builds the grid: cells of `cell_m` whose centre lies in a district.
pub fn demand_grid(area: &Area, p: &SynthParams) -> Result<Vec<Cell>, SynthError> {
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for d in &area.districts {
        for poly in &d.geometry.0 {
            for c in poly.exterior().coords() {
                min = [min[0].min(c.x), min[1].min(c.y)];
                max = [max[0].max(c.x), max[1].max(c.y)];
            }
        }
    }
    let s = p.cell_m;
    let (x0, y0) = ((min[0] / s).floor() * s, (min[1] / s).floor() * s);
    let (nx, ny) = (
        ((max[0] - x0) / s).ceil() as usize,
        ((max[1] - y0) / s).ceil() as usize,
    );
    let mut cells = Vec::new();
    for j in 0..ny {
        for i in 0..nx {
            let xy = [x0 + (i as f64 + 0.5) * s, y0 + (j as f64 + 0.5) * s];
            if area.district_at(xy).is_none() {
                continue;
            }
            let lonlat = area.lonlat(xy)?;
            let elevation_m = area.dem.at(lonlat[0], lonlat[1]).unwrap_or(400.0);
            cells.push(Cell {
                xy,
                lonlat,
                weight: 0.0,
                elevation_m,
            });
        }
    }
    let index = PointIndex::new(cells.iter().map(|c| c.xy));

    // Each place spreads its population over the cells within 3σ, in
    // proportion to a Gaussian kernel, so that no population leaves the area.
    let mut kernel = vec![0.0f64; cells.len()];
    let mut near: Vec<(u32, f64)> = Vec::new();
    for place in &area.places {
        let pop = if place.population > 0.0 {
            place.population
        } else {
            UNKNOWN_PLACE_POPULATION
        };
        let sigma = kernel_sigma_m(pop);
        near.clear();
        near.extend(
            index
                .within(place.xy, 3.0 * sigma)
                .map(|(i, d)| (i, (-d * d / (2.0 * sigma * sigma)).exp())),
        );
        if near.is_empty() {
            if let Some(n) = index.nearest(place.xy) {
                near.push((n, 1.0));
            }
        }
        near.sort_by_key(|(i, _)| *i);
        let norm: f64 = near.iter().map(|(_, k)| k).sum();
        for (i, k) in &near {
            kernel[*i as usize] += pop * k / norm;
        }
    }
    let kernel_total: f64 = kernel.iter().sum();
    let floors: Vec<f64> = cells.iter().map(|c| floor_factor(c.elevation_m)).collect();
    let floor_total: f64 = floors.iter().sum();
    let towns = p.total_weight * (1.0 - p.rural_floor_share);
    let rural = p.total_weight * p.rural_floor_share;
    for ((c, k), f) in cells.iter_mut().zip(&kernel).zip(&floors) {
        let w = towns * k / kernel_total + rural * f / floor_total;
        c.weight = (w * 100.0).round() / 100.0;
    }
    Ok(cells)
}
