//! Liangjiang New Area (两江新区) from its streets and towns.
//!
//! `data/chongqing/liangjiang/townships.csv` lists the township-level units
//! of the New Area with their sources (`liangjiang/SOURCES.md`): the eight
//! streets of its direct-administration area and the units of its planned
//! area on which both sources agree (four disputed units are left out). No
//! package ships township boundaries, only centre points, so each unit's
//! extent is modelled as its Voronoi cell among the township points of its
//! own district, clipped to the district's boundary; the New Area is its
//! units' cells, one zone each. Units without a point fall to their
//! neighbours' cells.

use crate::run::{Area, SynthError};
use geo::{Area as _, BooleanOps};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};

/// The unit list with sources, compiled in.
pub const TOWNSHIPS_CSV: &str = include_str!("../../../data/chongqing/liangjiang/townships.csv");

/// Codes of the units the model places in the New Area (`direct` and
/// `planned`, not `planned_disputed`).
pub fn unit_codes() -> Vec<&'static str> {
    TOWNSHIPS_CSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            let code = f.next()?;
            let part = f.nth(3)?;
            matches!(part, "direct" | "planned").then_some(code)
        })
        .collect()
}

/// Keeps the part of a convex ring on the side of `p` nearer to `a` than to `b`.
fn clip(ring: &[[f64; 2]], a: [f64; 2], b: [f64; 2]) -> Vec<[f64; 2]> {
    // Points x with (x − m)·(b − a) ≤ 0, m the midpoint.
    let m = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
    let n = [b[0] - a[0], b[1] - a[1]];
    let side = |x: [f64; 2]| (x[0] - m[0]) * n[0] + (x[1] - m[1]) * n[1];
    let mut out = Vec::new();
    for k in 0..ring.len() {
        let (p, q) = (ring[k], ring[(k + 1) % ring.len()]);
        let (sp, sq) = (side(p), side(q));
        if sp <= 0.0 {
            out.push(p);
        }
        if (sp < 0.0 && sq > 0.0) || (sp > 0.0 && sq < 0.0) {
            let t = sp / (sp - sq);
            out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
        }
    }
    out
}

/// The New Area in metres: each unit's cell (code, name, outline), in
/// the order of the township layer.
pub fn new_area(area: &Area) -> Vec<(String, String, MultiPolygon<f64>)> {
    let codes = unit_codes();
    let mut cells = Vec::new();
    for d in &area.districts {
        let points: Vec<(&str, &str, [f64; 2])> = area
            .townships
            .iter()
            .filter(|t| t.county_adcode == d.adcode)
            .map(|t| (t.code.as_str(), t.name.as_str(), [t.xy.x, t.xy.y]))
            .collect();
        if !points.iter().any(|(c, _, _)| codes.contains(c)) {
            continue;
        }
        let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
        for poly in &d.geometry.0 {
            for c in poly.exterior().coords() {
                lo = [lo[0].min(c.x), lo[1].min(c.y)];
                hi = [hi[0].max(c.x), hi[1].max(c.y)];
            }
        }
        for (code, name, p) in &points {
            if !codes.contains(code) {
                continue;
            }
            let mut cell = vec![
                [lo[0], lo[1]],
                [hi[0], lo[1]],
                [hi[0], hi[1]],
                [lo[0], hi[1]],
            ];
            for (other, _, q) in &points {
                if other != code && q != p {
                    cell = clip(&cell, *p, *q);
                }
            }
            if cell.len() < 3 {
                continue;
            }
            let ring: Vec<Coord<f64>> = cell.iter().map(|c| Coord { x: c[0], y: c[1] }).collect();
            let poly = MultiPolygon(vec![Polygon::new(LineString(ring), vec![])]);
            let part = poly.intersection(&d.geometry);
            cells.push((code.to_string(), name.to_string(), drop_slivers(part)));
        }
    }
    cells
}

fn drop_slivers(union: MultiPolygon<f64>) -> MultiPolygon<f64> {
    // Cells of neighbouring districts meet along boundaries that do not
    // quite match: drop the slivers between them (holes under 0.1 km²).
    MultiPolygon(
        union
            .0
            .into_iter()
            .filter(|p| p.unsigned_area() >= 1e5)
            .map(|p| {
                let (ext, holes) = p.into_inner();
                let holes = holes
                    .into_iter()
                    .filter(|h| Polygon::new(h.clone(), vec![]).unsigned_area() >= 1e5)
                    .collect();
                Polygon::new(ext, holes)
            })
            .collect(),
    )
}

/// A unit's cell as WGS84 polygons: (code, name, polygons with closed
/// rings, exterior first), rounded to 1e-7°.
pub type Cell = (String, String, Vec<Vec<Vec<[f64; 2]>>>);

/// Every unit's cell in WGS84.
pub fn new_area_lonlat(area: &Area) -> Result<Vec<Cell>, SynthError> {
    let ll = |c: &Coord<f64>| -> Result<[f64; 2], SynthError> {
        let p = area.lonlat([c.x, c.y])?;
        Ok([(p[0] * 1e7).round() / 1e7, (p[1] * 1e7).round() / 1e7])
    };
    new_area(area)
        .into_iter()
        .map(|(code, name, mp)| {
            let polys =
                mp.0.iter()
                    .map(|poly| {
                        std::iter::once(poly.exterior())
                            .chain(poly.interiors())
                            .map(|r| {
                                let mut ring = r.coords().map(ll).collect::<Result<Vec<_>, _>>()?;
                                ring.dedup();
                                if ring.first() != ring.last() {
                                    if let Some(f) = ring.first().copied() {
                                        ring.push(f);
                                    }
                                }
                                Ok(ring)
                            })
                            .filter(|r: &Result<Vec<[f64; 2]>, SynthError>| {
                                r.as_ref().map_or(true, |r| r.len() >= 4)
                            })
                            .collect()
                    })
                    .collect::<Result<Vec<_>, SynthError>>()?;
            Ok((code, name, polys))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_list_has_the_direct_area_and_no_disputed_unit() {
        let c = unit_codes();
        assert_eq!(c.len(), 35);
        assert!(c.contains(&"500112007") && c.contains(&"500105100"));
        // 两路, 王家, 复盛, 宝圣湖 are disputed; 洛碛 lies outside.
        for out in [
            "500112016",
            "500112018",
            "500105101",
            "500112020",
            "500112144",
        ] {
            assert!(!c.contains(&out), "{out}");
        }
        assert!(c
            .iter()
            .all(|c| ["500105", "500112", "500109"].contains(&&c[..6])));
    }

    #[test]
    fn a_cell_is_the_half_nearer_its_point() {
        let sq = vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        let half = clip(&sq, [2.0, 5.0], [8.0, 5.0]);
        let xs: Vec<f64> = half.iter().map(|p| p[0]).collect();
        assert!(xs.iter().all(|x| *x <= 5.0 + 1e-12));
        assert_eq!(half.len(), 4);
    }
}
