//! An R-tree of points, each with the index of the item it stands for, and
//! beside it a grid of buckets for range queries over many points.

use rstar::primitives::GeomWithData;
use rstar::RTree;

type Entry = GeomWithData<[f64; 2], u32>;

/// Points in metres, each tagged with its item's index (`u32`).
///
/// ```
/// use siting_index::PointIndex;
/// let idx = PointIndex::new([[0.0, 0.0], [100.0, 0.0], [500.0, 0.0]]);
/// let mut near: Vec<u32> = idx.within([0.0, 0.0], 150.0).map(|(i, _)| i).collect();
/// near.sort();
/// assert_eq!(near, vec![0, 1]);
/// assert_eq!(idx.nearest([450.0, 10.0]), Some(2));
/// ```
#[derive(Debug, Clone)]
pub struct PointIndex {
    tree: RTree<Entry>,
    /// The same points by bucket, for [`PointIndex::within`]; `None` where
    /// a coordinate is not finite (the R-tree answers then).
    grid: Option<Buckets>,
}

/// Points sorted by the square bucket they fall in, row by row, so that
/// the points of a run of buckets in one row are contiguous: a range query
/// scans a few slices of coordinates instead of walking tree nodes (on
/// the coverage stage's dense queries, most of its time went there).
#[derive(Debug, Clone)]
struct Buckets {
    /// South-west corner of bucket (0, 0), metres.
    origin: [f64; 2],
    /// Side of a bucket, metres.
    side_m: f64,
    cols: usize,
    rows: usize,
    /// Bucket `b`'s points are `xy[start[b]..start[b + 1]]` (`b = row * cols + col`).
    start: Vec<u32>,
    xy: Vec<[f64; 2]>,
    item: Vec<u32>,
}

/// About this many points per bucket on average.
const POINTS_PER_BUCKET: f64 = 8.0;

impl Buckets {
    fn new(points: &[[f64; 2]]) -> Option<Buckets> {
        if points.is_empty() || points.iter().flatten().any(|v| !v.is_finite()) {
            return None;
        }
        let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
        for p in points {
            for k in 0..2 {
                lo[k] = lo[k].min(p[k]);
                hi[k] = hi[k].max(p[k]);
            }
        }
        let (w, h) = ((hi[0] - lo[0]).max(1.0), (hi[1] - lo[1]).max(1.0));
        let side_m = (w * h * POINTS_PER_BUCKET / points.len() as f64)
            .sqrt()
            .max(1e-3);
        let cols = ((w / side_m).floor() as usize + 1).min(1 << 16);
        let rows = ((h / side_m).floor() as usize + 1).min(1 << 16);
        let grid = Buckets {
            origin: lo,
            side_m,
            cols,
            rows,
            start: Vec::new(),
            xy: Vec::new(),
            item: Vec::new(),
        };
        let bucket: Vec<usize> = points
            .iter()
            .map(|p| grid.row(p[1]) * cols + grid.col(p[0]))
            .collect();
        let mut start = vec![0u32; rows * cols + 1];
        for &b in &bucket {
            start[b + 1] += 1;
        }
        for b in 0..rows * cols {
            start[b + 1] += start[b];
        }
        let mut fill = start.clone();
        let (mut xy, mut item) = (vec![[0.0; 2]; points.len()], vec![0u32; points.len()]);
        for (i, (p, &b)) in points.iter().zip(&bucket).enumerate() {
            let at = fill[b] as usize;
            xy[at] = *p;
            item[at] = i as u32;
            fill[b] += 1;
        }
        Some(Buckets {
            start,
            xy,
            item,
            ..grid
        })
    }

    /// The column of `x`, clamped to the grid.
    fn col(&self, x: f64) -> usize {
        (((x - self.origin[0]) / self.side_m).floor().max(0.0) as usize).min(self.cols - 1)
    }

    /// The row of `y`, clamped to the grid.
    fn row(&self, y: f64) -> usize {
        (((y - self.origin[1]) / self.side_m).floor().max(0.0) as usize).min(self.rows - 1)
    }

    /// Calls `f` with every point within `radius_m` of `centre`
    /// (inclusive: squared distance at most `radius_m²`) and its distance.
    fn within(&self, centre: [f64; 2], radius_m: f64, f: &mut impl FnMut(u32, f64)) {
        let r2 = radius_m * radius_m;
        if r2.is_nan() {
            return;
        }
        // Buckets overlapping the query's box: a bucket's row and column
        // grow with y and x (clamped at the grid's edges, whose buckets
        // then hold the points beyond), so every point in the box is in
        // one of them, and the distance test refuses the others.
        let reach = radius_m.abs();
        let (c0, c1) = (self.col(centre[0] - reach), self.col(centre[0] + reach));
        let (r0, r1) = (self.row(centre[1] - reach), self.row(centre[1] + reach));
        for row in r0..=r1 {
            let from = self.start[row * self.cols + c0] as usize;
            let to = self.start[row * self.cols + c1 + 1] as usize;
            for (p, &i) in self.xy[from..to].iter().zip(&self.item[from..to]) {
                let (dx, dy) = (p[0] - centre[0], p[1] - centre[1]);
                let d2 = dx * dx + dy * dy;
                if d2 <= r2 {
                    f(i, d2.sqrt());
                }
            }
        }
    }
}

impl PointIndex {
    /// Bulk-loads the points; item `i` is the `i`-th point.
    pub fn new(points: impl IntoIterator<Item = [f64; 2]>) -> Self {
        let points: Vec<[f64; 2]> = points.into_iter().collect();
        let grid = Buckets::new(&points);
        let entries: Vec<Entry> = points
            .into_iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(p, i as u32))
            .collect();
        PointIndex {
            tree: RTree::bulk_load(entries),
            grid,
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Items within `radius_m` of `centre` (inclusive), with their distance in
    /// metres, in no particular order.
    pub fn within(&self, centre: [f64; 2], radius_m: f64) -> impl Iterator<Item = (u32, f64)> + '_ {
        let mut found = Vec::new();
        self.each_within(centre, radius_m, |i, d| found.push((i, d)));
        found.into_iter()
    }

    /// Calls `f` with each item within `radius_m` of `centre` (inclusive)
    /// and its distance in metres, in no particular order: [`PointIndex::within`]
    /// without collecting them.
    pub fn each_within(&self, centre: [f64; 2], radius_m: f64, mut f: impl FnMut(u32, f64)) {
        match &self.grid {
            Some(grid) => grid.within(centre, radius_m, &mut f),
            None => {
                for e in self
                    .tree
                    .locate_within_distance(centre, radius_m * radius_m)
                {
                    let p = e.geom();
                    let (dx, dy) = (p[0] - centre[0], p[1] - centre[1]);
                    f(e.data, (dx * dx + dy * dy).sqrt());
                }
            }
        }
    }

    /// The item nearest to `p`, if any.
    pub fn nearest(&self, p: [f64; 2]) -> Option<u32> {
        self.tree.nearest_neighbor(&p).map(|e| e.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn within_matches_brute_force(
            pts in prop::collection::vec((-1000.0..1000.0f64, -1000.0..1000.0f64), 0..200),
            c in (-1000.0..1000.0f64, -1000.0..1000.0f64),
            r in 0.0..800.0f64,
        ) {
            let idx = PointIndex::new(pts.iter().map(|p| [p.0, p.1]));
            let mut got: Vec<u32> = idx.within([c.0, c.1], r).map(|(i, _)| i).collect();
            got.sort();
            let want: Vec<u32> = pts.iter().enumerate()
                .filter(|(_, p)| (p.0 - c.0).powi(2) + (p.1 - c.1).powi(2) <= r * r)
                .map(|(i, _)| i as u32).collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn the_grid_finds_what_the_tree_finds_with_the_same_distances(
            pts in prop::collection::vec((-5000.0..5000.0f64, -300.0..300.0f64), 1..400),
            c in (-7000.0..7000.0f64, -2000.0..2000.0f64),
            r in 0.0..3000.0f64,
        ) {
            let idx = PointIndex::new(pts.iter().map(|p| [p.0, p.1]));
            prop_assert!(idx.grid.is_some());
            // The same index answering from its tree alone.
            let tree_only = PointIndex { grid: None, ..idx.clone() };
            let found = |i: &PointIndex| {
                let mut v: Vec<(u32, u64)> = i.within([c.0, c.1], r).map(|(i, d)| (i, d.to_bits())).collect();
                v.sort();
                v
            };
            prop_assert_eq!(found(&idx), found(&tree_only));
        }
    }

    #[test]
    fn points_on_one_spot_and_points_not_finite() {
        let same = PointIndex::new([[5.0, 5.0]; 4]);
        assert_eq!(same.within([5.0, 5.0], 0.0).count(), 4);
        assert_eq!(same.within([6.0, 5.0], 0.5).count(), 0);
        let odd = PointIndex::new([[0.0, 0.0], [f64::NAN, 1.0], [3.0, 4.0]]);
        assert!(
            odd.grid.is_none(),
            "the tree answers where a point is not finite"
        );
        let mut near: Vec<u32> = odd.within([0.0, 0.0], 5.0).map(|(i, _)| i).collect();
        near.sort();
        assert_eq!(near, vec![0, 2]);
        assert!(PointIndex::new(std::iter::empty())
            .within([0.0, 0.0], 1e9)
            .next()
            .is_none());
    }
}
