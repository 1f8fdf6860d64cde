//! Existing sites as of end-2014 and candidate sites for the plan.

use crate::demand::Cell;
use crate::params::SynthParams;
use crate::run::{Area, SynthError};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Demand density at or above which a cell counts as urban, per km².
pub const URBAN_PER_KM2: f64 = 2_000.0;

/// A modelled site, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthSite {
    /// Unique id.
    pub site_id: String,
    /// `ground_tower`, `rooftop`, `street_pole`.
    pub kind: &'static str,
    /// WGS84 position.
    pub lonlat: [f64; 2],
    /// Operators on it (existing sites only).
    pub tenants: Vec<&'static str>,
    /// Tenant capacity.
    pub capacity: u8,
    /// Antenna height, metres.
    pub height_m: f64,
    /// On a public building (R4).
    pub public_building: bool,
    /// Roof load capacity, kilograms (rooftops).
    pub load_capacity_kg: Option<f64>,
    /// Name, where it has one.
    pub name: Option<String>,
}

/// Draws indices in proportion to `weights` (cumulative sums and bisection).
pub struct Sampler {
    cumulative: Vec<f64>,
}

impl Sampler {
    /// A sampler over non-negative weights.
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        Sampler {
            cumulative: weights
                .into_iter()
                .map(|w| {
                    acc += w.max(0.0);
                    acc
                })
                .collect(),
        }
    }

    /// One draw; `None` when every weight is 0.
    pub fn draw(&self, rng: &mut ChaCha8Rng) -> Option<usize> {
        let total = *self.cumulative.last()?;
        if total <= 0.0 {
            return None;
        }
        let u = rng.gen::<f64>() * total;
        Some(
            self.cumulative
                .partition_point(|&c| c <= u)
                .min(self.cumulative.len() - 1),
        )
    }
}

/// A point jittered inside the cell, kept inside a district (else the centre).
fn jitter(area: &Area, c: &Cell, rng: &mut ChaCha8Rng) -> Result<[f64; 2], SynthError> {
    let xy = [
        c.xy[0] + (rng.gen::<f64>() - 0.5) * c.cell_m,
        c.xy[1] + (rng.gen::<f64>() - 0.5) * c.cell_m,
    ];
    if area.district_at(xy).is_some() {
        area.lonlat(xy)
    } else {
        Ok(c.lonlat)
    }
}

fn round6(lonlat: [f64; 2]) -> [f64; 2] {
    [
        (lonlat[0] * 1e6).round() / 1e6,
        (lonlat[1] * 1e6).round() / 1e6,
    ]
}

/// Operator shares among end-2014 base stations: CMCC 50%, CUCC 22%, CTCC 28%.
const OPERATOR_SHARES: [(&str, f64); 3] = [("CMCC", 0.50), ("CUCC", 0.22), ("CTCC", 0.28)];

fn draw_tenants(rng: &mut ChaCha8Rng) -> Vec<&'static str> {
    // 65% single-tenant, 27% two, 8% three.
    let u: f64 = rng.gen();
    let n = if u < 0.65 {
        1
    } else if u < 0.92 {
        2
    } else {
        3
    };
    let mut pool: Vec<(&'static str, f64)> = OPERATOR_SHARES.to_vec();
    let mut out = Vec::new();
    for _ in 0..n {
        let total: f64 = pool.iter().map(|p| p.1).sum();
        let mut x = rng.gen::<f64>() * total;
        let mut k = pool.len() - 1;
        for (i, p) in pool.iter().enumerate() {
            if x < p.1 {
                k = i;
                break;
            }
            x -= p.1;
        }
        out.push(pool.remove(k).0);
    }
    out.sort_by_key(|c| OPERATOR_SHARES.iter().position(|p| p.0 == *c));
    out
}

/// Existing sites: cells drawn in proportion to weight^0.6 (denser places have
/// more sites, but rural areas are not left bare), jittered within the cell.
/// `cells` is the reference grid, so that the sites are the same whatever
/// demand grid is written.
pub fn existing(
    area: &Area,
    cells: &[Cell],
    p: &SynthParams,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<SynthSite>, SynthError> {
    let sampler = Sampler::new(cells.iter().map(|c| c.weight.powf(0.6)));
    let mut out = Vec::with_capacity(p.existing_sites);
    for n in 0..p.existing_sites {
        let Some(i) = sampler.draw(rng) else { break };
        let c = &cells[i];
        let urban = c.density() >= URBAN_PER_KM2;
        let u: f64 = rng.gen();
        let kind = match (urban, u) {
            (true, u) if u < 0.6 => "rooftop",
            (true, u) if u < 0.75 => "street_pole",
            (false, u) if u < 0.15 => "rooftop",
            _ => "ground_tower",
        };
        let (height_m, load) = match kind {
            "rooftop" => (
                20.0 + (rng.gen::<f64>() * 15.0).round(),
                Some(600.0 + (rng.gen::<f64>() * 9.0).round() * 100.0),
            ),
            "street_pole" => (10.0 + (rng.gen::<f64>() * 5.0).round(), None),
            _ => (30.0 + (rng.gen::<f64>() * 15.0).round(), None),
        };
        let lonlat = round6(jitter(area, c, rng)?);
        out.push(SynthSite {
            site_id: format!("E{:06}", n + 1),
            kind,
            lonlat,
            tenants: draw_tenants(rng),
            capacity: 3,
            height_m,
            public_building: false,
            load_capacity_kg: load,
            name: None,
        });
    }
    Ok(out)
}

/// Candidate sites: public rooftops at every township centre and at each
/// district's largest GeoNames place (its seat, R4 free), street poles and
/// private rooftops in urban cells, greenfield tower spots elsewhere.
pub fn candidates(
    area: &Area,
    cells: &[Cell],
    p: &SynthParams,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<SynthSite>, SynthError> {
    let mut out = Vec::new();
    let public_roof =
        |id: String, lonlat: [f64; 2], name: String, rng: &mut ChaCha8Rng| SynthSite {
            site_id: id,
            kind: "rooftop",
            lonlat: round6(lonlat),
            tenants: Vec::new(),
            capacity: 3,
            height_m: 18.0 + (rng.gen::<f64>() * 12.0).round(),
            public_building: true,
            load_capacity_kg: Some(900.0 + (rng.gen::<f64>() * 11.0).round() * 100.0),
            name: Some(name),
        };
    for t in &area.townships {
        if area.district_at([t.xy.x, t.xy.y]).is_some() {
            out.push(public_roof(
                format!("T{}", t.code),
                [t.lonlat.lon, t.lonlat.lat],
                format!("{}政府", t.name),
                rng,
            ));
        }
    }
    for d in &area.districts {
        let seat = area
            .places
            .iter()
            .filter(|pl| pl.county_adcode == d.adcode)
            .max_by(|a, b| a.population.total_cmp(&b.population));
        if let Some(seat) = seat {
            if area.district_at(seat.xy).is_some() {
                let ll = area.lonlat(seat.xy)?;
                out.push(public_roof(
                    format!("D{}", d.adcode),
                    ll,
                    format!("{}人民政府 ({})", d.name, seat.name),
                    rng,
                ));
            }
        }
    }
    let urban: Vec<f64> = cells
        .iter()
        .map(|c| {
            if c.density() >= URBAN_PER_KM2 {
                c.weight
            } else {
                0.0
            }
        })
        .collect();
    let urban_sampler = Sampler::new(urban.iter().copied());
    let rural_sampler = Sampler::new(urban.iter().map(|u| if *u > 0.0 { 0.0 } else { 1.0 }));
    // (id prefix, kind, count, where, height base and span in m, roof load base in kg and 100 kg steps)
    let spots = [
        (
            "P",
            "street_pole",
            p.street_poles,
            &urban_sampler,
            (10.0, 5.0),
            None,
        ),
        (
            "R",
            "rooftop",
            p.private_rooftops,
            &urban_sampler,
            (20.0, 20.0),
            Some((300.0, 12.0)),
        ),
        (
            "G",
            "ground_tower",
            p.greenfield_towers,
            &rural_sampler,
            (30.0, 20.0),
            None,
        ),
    ];
    for (prefix, kind, count, sampler, (h0, dh), load) in spots {
        for n in 0..count {
            let Some(i) = sampler.draw(rng) else {
                break;
            };
            out.push(SynthSite {
                site_id: format!("{prefix}{:05}", n + 1),
                kind,
                lonlat: round6(jitter(area, &cells[i], rng)?),
                tenants: Vec::new(),
                capacity: 3,
                height_m: h0 + (rng.gen::<f64>() * dh).round(),
                public_building: false,
                load_capacity_kg: load
                    .map(|(l0, steps)| l0 + (rng.gen::<f64>() * steps).round() * 100.0),
                name: None,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn sampler_follows_weights() {
        let s = Sampler::new([0.0, 1.0, 3.0]);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut n = [0; 3];
        for _ in 0..4000 {
            n[s.draw(&mut rng).unwrap()] += 1;
        }
        assert_eq!(n[0], 0);
        assert!((n[2] as f64 / n[1] as f64 - 3.0).abs() < 0.4, "{n:?}");
    }

    #[test]
    fn tenants_are_distinct_and_ordered() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..500 {
            let t = draw_tenants(&mut rng);
            assert!((1..=3).contains(&t.len()));
            let mut u = t.clone();
            u.dedup();
            assert_eq!(u, t);
        }
    }
}
