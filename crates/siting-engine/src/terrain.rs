//! Terrain profiles from a DEM, for knife-edge diffraction.

use siting_layers::Grid;
use siting_radio::diffraction::Profile;
use siting_radio::{Receiver, TerrainProfile, Transmitter};

/// Metres per degree of latitude (and of longitude at the equator).
pub const M_PER_DEG: f64 = 111_320.0;

/// Samples a DEM along the straight line between a transmitter and a
/// receiver (positions are WGS84 lon/lat), one sample per DEM cell.
#[derive(Debug, Clone)]
pub struct GridTerrain {
    grid: Grid,
    step_m: f64,
}

impl GridTerrain {
    /// Profiles from `grid`, sampled every cell.
    pub fn new(grid: Grid) -> Self {
        let step_m = grid.cell_deg() * M_PER_DEG;
        GridTerrain { grid, step_m }
    }

    /// The DEM's cell edge in metres (north–south).
    pub fn cell_m(&self) -> f64 {
        self.step_m
    }
}

impl TerrainProfile for GridTerrain {
    fn profile(
        &self,
        tx: &Transmitter,
        rx: &Receiver,
        distance_m: f64,
        into: &mut Profile,
    ) -> bool {
        into.clear();
        let n = ((distance_m / self.step_m).ceil() as usize).clamp(2, 100_000) + 1;
        let (a, b) = (tx.position, rx.position);
        for i in 0..n {
            let t = i as f64 / (n - 1) as f64;
            let (lon, lat) = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t);
            let Some(ground) = self.grid.at(lon, lat) else {
                into.clear();
                return false;
            };
            into.distance_m.push(distance_m * t);
            into.ground_m.push(ground);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use siting_model::Environment;

    #[test]
    fn samples_every_cell_between_the_ends() {
        // 4 × 1 cells of 0.001°, heights 0, 50, 100, 0 from west to east.
        let g = Grid::parse(
            "ncols 4\nnrows 1\nxllcorner 106\nyllcorner 29\ncellsize 0.001\n0 50 100 0\n",
        )
        .unwrap();
        let t = GridTerrain::new(g);
        let tx = Transmitter {
            height_m: 30.0,
            ground_m: 0.0,
            lowest_ground_m: 0.0,
            position: [106.0005, 29.0005],
            indoor: false,
            footprint_m: 0.0,
        };
        let rx = Receiver {
            environment: Environment::Rural,
            ground_m: 0.0,
            position: [106.0035, 29.0005],
        };
        let mut p = Profile::default();
        assert!(t.profile(&tx, &rx, 290.0, &mut p));
        assert_eq!(p.ground_m.first(), Some(&0.0));
        assert!(p.ground_m.contains(&100.0));
        assert_eq!(p.distance_m.last(), Some(&290.0));
        let outside = Receiver {
            position: [107.0, 29.0],
            ..rx
        };
        assert!(!t.profile(&tx, &outside, 1000.0, &mut p));
        assert!(p.distance_m.is_empty() && p.ground_m.is_empty());
    }
}
