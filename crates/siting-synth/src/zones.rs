//! Protected zones as discs, and the Liangjiang New Area.
//!
//! No package ships scenic areas, nature reserves, heritage areas, schools or
//! hospitals for Chongqing (see SOURCES.md), so each is a modelled disc placed
//! by a documented rule; Liangjiang is the union of its streets and towns
//! ([`crate::liangjiang`]).

use crate::demand::Cell;
use crate::run::{Area, SynthError};
use crate::sites::{Sampler, URBAN_PER_KM2};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A modelled zone, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthZone {
    /// Id.
    pub id: String,
    /// Class code.
    pub class: &'static str,
    /// Name.
    pub name: String,
    /// Outer ring, WGS84, counter-clockwise and closed.
    pub ring: Vec<[f64; 2]>,
    /// Polygons (rings, exterior first) instead of `ring`, for a zone of
    /// several parts.
    pub polygons: Option<Vec<Vec<Vec<[f64; 2]>>>>,
    /// Height of the zone's buildings, metres (R6 measures slant distance
    /// to their roofs).
    pub building_height_m: Option<f64>,
}

/// Modelled building heights of the sensitive zones, metres: a school of
/// four or five floors, a hospital of about eight, and a dense residential
/// community of 12–18-floor blocks (MODELLED.md).
pub fn building_height_m(class: &str) -> Option<f64> {
    match class {
        "school" => Some(15.0),
        "hospital" => Some(24.0),
        "dense_residential" => Some(45.0),
        _ => None,
    }
}

fn disc(area: &Area, centre: [f64; 2], radius_m: f64) -> Result<Vec<[f64; 2]>, SynthError> {
    let n = 48;
    let mut ring = Vec::with_capacity(n + 1);
    for k in 0..n {
        let a = k as f64 / n as f64 * std::f64::consts::TAU;
        let ll = area.lonlat([
            centre[0] + radius_m * a.cos(),
            centre[1] + radius_m * a.sin(),
        ])?;
        ring.push([(ll[0] * 1e6).round() / 1e6, (ll[1] * 1e6).round() / 1e6]);
    }
    ring.push(ring[0]);
    Ok(ring)
}

/// Builds every zone from the reference grid's cells (so the zones are the
/// same whatever demand grid is written).
pub fn zones(
    area: &Area,
    cells: &[Cell],
    rng: &mut ChaCha8Rng,
) -> Result<Vec<SynthZone>, SynthError> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<SynthZone>,
                class: &'static str,
                label: &str,
                n: usize,
                centre: [f64; 2],
                r: f64|
     -> Result<(), SynthError> {
        out.push(SynthZone {
            id: format!("{class}-{n:03}"),
            class,
            name: format!("modelled {label} {n}"),
            ring: disc(area, centre, r)?,
            polygons: None,
            building_height_m: building_height_m(class),
        });
        Ok(())
    };
    let pick = |pred: &dyn Fn(&Cell) -> bool| {
        Sampler::new(cells.iter().map(|c| if pred(c) { 1.0 } else { 0.0 }))
    };
    // Scenic areas: 15 discs of 3–8 km on cells above 800 m.
    let s = pick(&|c| c.elevation_m > 800.0);
    for n in 1..=15 {
        if let Some(i) = s.draw(rng) {
            let r = 3_000.0 + rng.gen::<f64>() * 5_000.0;
            push(&mut out, "scenic", "scenic area", n, cells[i].xy, r)?;
        }
    }
    // Nature reserves: 8 discs of 6–12 km on cells above 1,200 m.
    let s = pick(&|c| c.elevation_m > 1_200.0);
    for n in 1..=8 {
        if let Some(i) = s.draw(rng) {
            let r = 6_000.0 + rng.gen::<f64>() * 6_000.0;
            push(
                &mut out,
                "nature_reserve",
                "nature reserve",
                n,
                cells[i].xy,
                r,
            )?;
        }
    }
    // Heritage areas: 10 discs of 1–2 km on township centres (old towns).
    for n in 1..=10 {
        if area.townships.is_empty() {
            break;
        }
        let t = &area.townships[rng.gen_range(0..area.townships.len())];
        let r = 1_000.0 + rng.gen::<f64>() * 1_000.0;
        push(
            &mut out,
            "heritage",
            "heritage area",
            n,
            [t.xy.x, t.xy.y],
            r,
        )?;
    }
    // Dense residential: 40 discs of 0.6–1.5 km on the densest cells, 3 km apart.
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by(|&a, &b| cells[b].weight.total_cmp(&cells[a].weight).then(a.cmp(&b)));
    let mut chosen: Vec<[f64; 2]> = Vec::new();
    for i in order {
        if chosen.len() == 40 {
            break;
        }
        let xy = cells[i].xy;
        if chosen
            .iter()
            .all(|c| (c[0] - xy[0]).hypot(c[1] - xy[1]) >= 3_000.0)
        {
            chosen.push(xy);
            let r = 600.0 + rng.gen::<f64>() * 900.0;
            push(
                &mut out,
                "dense_residential",
                "dense residential community",
                chosen.len(),
                xy,
                r,
            )?;
        }
    }
    // Schools (150, 150 m) and hospitals (60, 200 m): urban cells by weight.
    let urban = Sampler::new(cells.iter().map(|c| {
        if c.density() >= URBAN_PER_KM2 {
            c.weight
        } else {
            0.0
        }
    }));
    for (class, label, count, r) in [
        ("school", "school", 150, 150.0),
        ("hospital", "hospital", 60, 200.0),
    ] {
        for n in 1..=count {
            if let Some(i) = urban.draw(rng) {
                let c = &cells[i];
                let xy = [
                    c.xy[0] + (rng.gen::<f64>() - 0.5) * c.cell_m,
                    c.xy[1] + (rng.gen::<f64>() - 0.5) * c.cell_m,
                ];
                push(&mut out, class, label, n, xy, r)?;
            }
        }
    }
    for (n, (code, name, polygons)) in crate::liangjiang::new_area_lonlat(area)?
        .into_iter()
        .enumerate()
    {
        out.push(SynthZone {
            id: format!("liangjiang-{:03}", n + 1),
            class: "liangjiang",
            name: format!("两江新区: {name} ({code}, its Voronoi cell)"),
            ring: Vec::new(),
            polygons: Some(polygons),
            building_height_m: None,
        });
    }
    Ok(out)
}
