//! An R-tree of points, each with the index of the item it stands for.

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
}

impl PointIndex {
    /// Bulk-loads the points; item `i` is the `i`-th point.
    pub fn new(points: impl IntoIterator<Item = [f64; 2]>) -> Self {
        let entries: Vec<Entry> = points
            .into_iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(p, i as u32))
            .collect();
        PointIndex {
            tree: RTree::bulk_load(entries),
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
        self.tree
            .locate_within_distance(centre, radius_m * radius_m)
            .map(move |e| {
                let p = e.geom();
                let (dx, dy) = (p[0] - centre[0], p[1] - centre[1]);
                (e.data, (dx * dx + dy * dy).sqrt())
            })
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
    }
}
