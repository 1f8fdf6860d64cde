//! Point-in-polygon over many polygons: an R-tree of edges answers a ray cast,
//! and a tile grid answers most points without one.

use geo_types::MultiPolygon;
use rstar::primitives::{GeomWithData, Line};
use rstar::{RTree, AABB};

type Edge = GeomWithData<Line<[f64; 2]>, u32>;

/// Which polygons cover a tile: all of it (no edge crosses it), or unknown.
#[derive(Debug, Clone)]
enum Tile {
    Uniform(Box<[u32]>),
    Mixed,
}

/// Many (multi)polygons in metres, each tagged with its position in the input.
///
/// `containing` returns every polygon that contains a point (even-odd rule, so
/// holes work); polygons may overlap.
///
/// ```
/// use geo_types::{polygon, MultiPolygon};
/// use siting_index::PolygonIndex;
/// let square = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
/// let idx = PolygonIndex::new(&[MultiPolygon(vec![square])], 2.0);
/// assert_eq!(idx.containing([5.0, 5.0]), vec![0]);
/// assert!(idx.containing([15.0, 5.0]).is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct PolygonIndex {
    edges: RTree<Edge>,
    max_x: f64,
    origin: [f64; 2],
    tile_m: f64,
    nx: usize,
    ny: usize,
    tiles: Vec<Tile>,
}

impl PolygonIndex {
    /// Indexes the polygons; `tile_m` is the edge of the cache tiles, metres
    /// (a few percent of the area's width is a good size).
    pub fn new(polygons: &[MultiPolygon<f64>], tile_m: f64) -> Self {
        let mut edges = Vec::new();
        let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for (id, mp) in polygons.iter().enumerate() {
            for poly in &mp.0 {
                for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                    for l in ring.lines() {
                        let (a, b) = ([l.start.x, l.start.y], [l.end.x, l.end.y]);
                        for p in [a, b] {
                            min = [min[0].min(p[0]), min[1].min(p[1])];
                            max = [max[0].max(p[0]), max[1].max(p[1])];
                        }
                        edges.push(GeomWithData::new(Line::new(a, b), id as u32));
                    }
                }
            }
        }
        let tile_m = tile_m.max(1.0);
        let mut idx = PolygonIndex {
            edges: RTree::bulk_load(edges),
            max_x: max[0],
            origin: min,
            tile_m,
            nx: 0,
            ny: 0,
            tiles: Vec::new(),
        };
        if min[0].is_finite() {
            idx.nx = ((max[0] - min[0]) / tile_m).ceil() as usize + 1;
            idx.ny = ((max[1] - min[1]) / tile_m).ceil() as usize + 1;
            idx.tiles = (0..idx.nx * idx.ny)
                .map(|t| {
                    let (i, j) = (t % idx.nx, t / idx.nx);
                    let lo = [min[0] + i as f64 * tile_m, min[1] + j as f64 * tile_m];
                    let hi = [lo[0] + tile_m, lo[1] + tile_m];
                    let crossed = idx
                        .edges
                        .locate_in_envelope_intersecting(&AABB::from_corners(lo, hi))
                        .next()
                        .is_some();
                    if crossed {
                        Tile::Mixed
                    } else {
                        let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
                        Tile::Uniform(idx.ray_cast(centre).into_boxed_slice())
                    }
                })
                .collect();
        }
        idx
    }

    /// Ids of every polygon containing `p`, ascending.
    pub fn containing(&self, p: [f64; 2]) -> Vec<u32> {
        if let Some(Tile::Uniform(ids)) = self.tile(p) {
            return ids.to_vec();
        }
        self.ray_cast(p)
    }

    /// Every polygon within `radius_m` of `p`, with its distance in metres
    /// (0 for one containing `p`), by ascending id.
    ///
    /// ```
    /// use geo_types::{polygon, MultiPolygon};
    /// use siting_index::PolygonIndex;
    /// let square = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
    /// let idx = PolygonIndex::new(&[MultiPolygon(vec![square])], 2.0);
    /// assert_eq!(idx.near([5.0, 5.0], 1.0), vec![(0, 0.0)]);
    /// assert_eq!(idx.near([13.0, 14.0], 6.0), vec![(0, 5.0)]);
    /// assert!(idx.near([13.0, 14.0], 4.0).is_empty());
    /// ```
    pub fn near(&self, p: [f64; 2], radius_m: f64) -> Vec<(u32, f64)> {
        let inside = self.containing(p);
        let mut out: Vec<(u32, f64)> = inside.iter().map(|&i| (i, 0.0)).collect();
        if p[0].is_finite() && p[1].is_finite() && radius_m >= 0.0 {
            for e in self.edges.locate_within_distance(p, radius_m * radius_m) {
                let d = rstar::PointDistance::distance_2(e.geom(), &p).sqrt();
                match out.iter_mut().find(|(i, _)| *i == e.data) {
                    // A containing polygon stays at 0 whatever its edges' distance.
                    Some((i, best)) if !inside.contains(i) => *best = best.min(d),
                    Some(_) => {}
                    None => out.push((e.data, d)),
                }
            }
        }
        out.sort_by_key(|(i, _)| *i);
        out
    }

    /// The lowest id of a polygon containing `p`, if any.
    pub fn first_containing(&self, p: [f64; 2]) -> Option<u32> {
        if let Some(Tile::Uniform(ids)) = self.tile(p) {
            return ids.first().copied();
        }
        self.ray_cast(p).first().copied()
    }

    fn tile(&self, p: [f64; 2]) -> Option<&Tile> {
        let fx = (p[0] - self.origin[0]) / self.tile_m;
        let fy = (p[1] - self.origin[1]) / self.tile_m;
        if fx < 0.0 || fy < 0.0 || !fx.is_finite() || !fy.is_finite() {
            return None;
        }
        let (i, j) = (fx as usize, fy as usize);
        if i >= self.nx || j >= self.ny {
            return None;
        }
        self.tiles.get(j * self.nx + i)
    }

    /// Crossing-number test of a ray from `p` towards +x, over the edges it meets.
    fn ray_cast(&self, p: [f64; 2]) -> Vec<u32> {
        if p[0].is_nan() || p[0] > self.max_x {
            return Vec::new();
        }
        let ray = AABB::from_corners(p, [self.max_x, p[1]]);
        let mut crossed: Vec<u32> = self
            .edges
            .locate_in_envelope_intersecting(&ray)
            .filter_map(|e| {
                let (a, b) = (e.geom().from, e.geom().to);
                if (a[1] > p[1]) != (b[1] > p[1]) {
                    let x = a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                    (x > p[0]).then_some(e.data)
                } else {
                    None
                }
            })
            .collect();
        crossed.sort_unstable();
        let mut out = Vec::new();
        for chunk in crossed.chunk_by(|a, b| a == b) {
            if chunk.len() % 2 == 1 {
                out.push(chunk[0]);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{polygon, LineString, Polygon};
    use proptest::prelude::*;

    fn ring_contains(poly: &Polygon<f64>, p: [f64; 2]) -> bool {
        let inside = |r: &LineString<f64>| {
            let mut c = false;
            for l in r.lines() {
                let (a, b) = (l.start, l.end);
                if (a.y > p[1]) != (b.y > p[1])
                    && p[0] < a.x + (p[1] - a.y) * (b.x - a.x) / (b.y - a.y)
                {
                    c = !c;
                }
            }
            c
        };
        inside(poly.exterior()) && !poly.interiors().iter().any(inside)
    }

    #[test]
    fn hole_is_outside() {
        let p = Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (0.0, 10.0),
                (0.0, 0.0),
            ]),
            vec![LineString::from(vec![
                (4.0, 4.0),
                (6.0, 4.0),
                (6.0, 6.0),
                (4.0, 6.0),
                (4.0, 4.0),
            ])],
        );
        let idx = PolygonIndex::new(&[MultiPolygon(vec![p])], 1.0);
        assert!(idx.containing([5.0, 5.0]).is_empty());
        assert_eq!(idx.containing([2.0, 5.0]), vec![0]);
    }

    proptest! {
        #[test]
        fn matches_brute_force(
            tris in prop::collection::vec(((0.0..100.0f64, 0.0..100.0f64), (0.0..100.0f64, 0.0..100.0f64), (0.0..100.0f64, 0.0..100.0f64)), 1..6),
            pts in prop::collection::vec((0.0..100.0f64, 0.0..100.0f64), 1..50),
            tile in 3.0..40.0f64,
        ) {
            let polys: Vec<MultiPolygon<f64>> = tris.iter().map(|(a, b, c)| {
                MultiPolygon(vec![polygon![(x: a.0, y: a.1), (x: b.0, y: b.1), (x: c.0, y: c.1)]])
            }).collect();
            let idx = PolygonIndex::new(&polys, tile);
            for p in pts {
                let want: Vec<u32> = polys.iter().enumerate()
                    .filter(|(_, mp)| ring_contains(&mp.0[0], [p.0, p.1]))
                    .map(|(i, _)| i as u32).collect();
                prop_assert_eq!(idx.containing([p.0, p.1]), want);
            }
        }
    }
}
