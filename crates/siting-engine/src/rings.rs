//! Search rings: demand no existing site or candidate can cover for some
//! operator, gathered around a suggested centre, where the tower company's
//! site acquisition would have to look for a new site.

use crate::config::Config;
use crate::prepare::Prepared;
use crate::EngineError;
use siting_coverage::ItemSet;
use siting_crs::Projector;
use siting_index::PointIndex;
use siting_model::{LonLat, Operator, OperatorSet, PerOperator, Site, SiteKind, SiteOrigin};
use siting_plan::geojson::round_to;
use siting_radio::MultiBandModel;

/// One search ring.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring {
    /// `ring-001`…
    pub id: String,
    /// Suggested centre, metres.
    pub centre_xy: [f64; 2],
    /// Suggested centre, WGS84 (7 decimals, as the plan writes it).
    pub centre: LonLat,
    /// Radius around the centre that holds its items, metres.
    pub radius_m: f64,
    /// Its items (cells and township centres) and the operators each lacks.
    pub items: Vec<(u32, OperatorSet)>,
    /// Operators short of some item.
    pub operators: OperatorSet,
    /// Residents in it.
    pub residents: f64,
    /// Township centres in it (indices into the model's townships).
    pub townships: Vec<usize>,
    /// District of the centre, if inside one.
    pub district: Option<u32>,
    /// Outline (a circle of the radius), WGS84, closed.
    pub polygon: Vec<[f64; 2]>,
}

/// Whether operator `op` could get a 4G station on `site` (judged `v`)
/// with `tenants_now` on it: no rule keeps the site out, the operator runs
/// no 4G there, and it is a tenant already or a slot is free.
fn fits(site: &Site, v: &siting_rules::Verdict, op: Operator, tenants_now: OperatorSet) -> bool {
    v.excluded.is_none()
        && !site.lte().contains(op)
        && (site.tenants.contains(op) || (tenants_now.len() as u8) < v.capacity)
}

/// Per operator, which items some site could serve: covered before, or
/// in the coverage set of a site the operator can go on (not kept out by a
/// rule, no 4G of its own there yet, a tenant or a free slot).
pub fn servable(prep: &Prepared, sets: &[Vec<ItemSet>]) -> PerOperator<Vec<bool>> {
    let n = prep.items.len();
    let mut out = PerOperator::from_fn(|_| vec![false; n]);
    for (i, (site, v)) in prep.model.sites.iter().zip(&prep.verdicts).enumerate() {
        let lte = site.lte();
        for op in Operator::ALL {
            if lte.contains(op) || fits(site, v, op, site.tenants) {
                for &d in sets[i][op.index()].iter() {
                    out[op][d as usize] = true;
                }
            }
        }
    }
    out
}

/// Items no site could ever serve for some operator: `(item, operators)`,
/// for demand cells with residents and for township centres.
pub fn unservable(prep: &Prepared, sets: &[Vec<ItemSet>]) -> Vec<(u32, OperatorSet)> {
    let items = &prep.items;
    let can = servable(prep, sets);
    (0..items.len())
        .filter_map(|d| {
            let counts = d >= items.cells || items.residents[d] > 0.0;
            let ops: OperatorSet = Operator::ALL
                .into_iter()
                .filter(|op| !can[*op][d])
                .collect();
            (counts && !ops.is_empty()).then_some((d as u32, ops))
        })
        .collect()
}

/// Items of a requirement the plan leaves unmet that no site can serve any
/// more once the plan is built (every site that covers them is full, or
/// kept out): `(item, operators)`. The plan is its `stations` as (problem
/// site, operator) and, per requirement of `problem`, whether it is `met`;
/// `choice_site` maps the problem's sites to the model's.
pub fn left_unserved(
    prep: &Prepared,
    sets: &[Vec<ItemSet>],
    choice_site: &[usize],
    problem: &siting_optimize::Problem,
    stations: &[(u32, u8)],
    met: &[bool],
) -> Vec<(u32, OperatorSet)> {
    let items = &prep.items;
    let n = items.len();
    let mut after: PerOperator<Vec<bool>> =
        PerOperator::from_fn(|op| problem.covered_before[op.index()].clone());
    let mut tenants: Vec<OperatorSet> = prep.model.sites.iter().map(|s| s.tenants).collect();
    let mut added: Vec<OperatorSet> = vec![OperatorSet::EMPTY; prep.model.sites.len()];
    for &(site, operator) in stations {
        let s = choice_site[site as usize];
        let op = Operator::ALL[operator as usize];
        tenants[s].insert(op);
        added[s].insert(op);
        for &d in sets[s][op.index()].iter() {
            after[op][d as usize] = true;
        }
    }
    let mut open: PerOperator<Vec<bool>> = PerOperator::from_fn(|_| vec![false; n]);
    for (i, (site, v)) in prep.model.sites.iter().zip(&prep.verdicts).enumerate() {
        for op in Operator::ALL {
            if !added[i].contains(op) && fits(site, v, op, tenants[i]) {
                for &d in sets[i][op.index()].iter() {
                    open[op][d as usize] = true;
                }
            }
        }
    }
    let mut short: std::collections::BTreeMap<u32, OperatorSet> = Default::default();
    for (req, &met) in problem.requirements.iter().zip(met) {
        if met {
            continue;
        }
        let op = Operator::ALL[req.operator];
        for &(d, _) in &req.items {
            if !after[op][d as usize] && !open[op][d as usize] {
                short.entry(d).or_default().insert(op);
            }
        }
    }
    short.into_iter().collect()
}

/// Gathers `short` items (each with the operators it lacks) into rings,
/// numbered from `first_id`: the heaviest item (township centres first)
/// seeds a ring that takes every other within the size of a cell there — the
/// farthest a ground tower of the default height reaches in the seed's
/// environment for the operators it lacks, at most
/// `objective.search_ring_radius_m` — and so on until none is left. A ring's
/// centre is its residents' weighted centroid (their plain centroid where it
/// holds township centres only).
pub fn search_rings(
    cfg: &Config,
    prep: &Prepared,
    models: &[MultiBandModel],
    short: &[(u32, OperatorSet)],
    first_id: usize,
) -> Result<Vec<Ring>, EngineError> {
    let items = &prep.items;
    if short.is_empty() {
        return Ok(Vec::new());
    }
    let tower_m = cfg.site_defaults.height_m.get(SiteKind::GroundTower);
    let index = PointIndex::new(short.iter().map(|(d, _)| items.xy[*d as usize]));
    let mut order: Vec<usize> = (0..short.len()).collect();
    let weight = |k: usize| -> f64 {
        let d = short[k].0 as usize;
        if d >= items.cells {
            f64::INFINITY
        } else {
            items.residents[d]
        }
    };
    order.sort_by(|&a, &b| weight(b).total_cmp(&weight(a)).then(a.cmp(&b)));
    let proj = Projector::new(&prep.model.metric_crs)?;
    let mut taken = vec![false; short.len()];
    let mut rings = Vec::new();
    for seed in order {
        if taken[seed] {
            continue;
        }
        let (seed_item, seed_ops) = short[seed];
        let at = items.xy[seed_item as usize];
        let env = items.environment[seed_item as usize];
        let reach = seed_ops
            .iter()
            .map(|op| models[op.index()].outdoor_radius_m(env, tower_m))
            .fold(0.0, f64::max);
        let radius = cfg.objective.search_ring_radius_m.min(reach.max(100.0));
        let mut members: Vec<usize> = index
            .within(at, radius)
            .map(|(k, _)| k as usize)
            .filter(|&k| !taken[k])
            .collect();
        members.sort_unstable();
        for &k in &members {
            taken[k] = true;
        }
        let (mut sx, mut sy, mut sw) = (0.0, 0.0, 0.0);
        for &k in &members {
            let d = short[k].0 as usize;
            if d < items.cells {
                let w = items.residents[d];
                sx += w * items.xy[d][0];
                sy += w * items.xy[d][1];
                sw += w;
            }
        }
        let centroid = if sw > 0.0 {
            [sx / sw, sy / sw]
        } else {
            let n = members.len() as f64;
            let (x, y) = members.iter().fold((0.0, 0.0), |a, &k| {
                let p = items.xy[short[k].0 as usize];
                (a.0 + p[0], a.1 + p[1])
            });
            [x / n, y / n]
        };
        // Where the centroid falls outside every district, the seed stands in.
        let centre_guess = if prep.district_at(centroid).is_some() {
            centroid
        } else {
            at
        };
        let (lon, lat) = proj.to_lonlat(centre_guess[0], centre_guess[1])?;
        let centre = LonLat {
            lon: round_to(lon, 7),
            lat: round_to(lat, 7),
        };
        let (x, y) = proj.to_metric(centre.lon, centre.lat)?;
        let centre_xy = [x, y];
        let mut radius_m: f64 = 250.0;
        let mut operators = OperatorSet::EMPTY;
        let mut residents = 0.0;
        let mut townships = Vec::new();
        let mut ring_items = Vec::with_capacity(members.len());
        for &k in &members {
            let (d, ops) = short[k];
            let du = d as usize;
            let p = items.xy[du];
            let half = if du < items.cells {
                items.cell_m[du] / 2.0
            } else {
                0.0
            };
            radius_m = radius_m.max((p[0] - x).hypot(p[1] - y) + half);
            operators = operators.union(ops);
            if du < items.cells {
                residents += items.residents[du];
            } else {
                townships.push(du - items.cells);
            }
            ring_items.push((d, ops));
        }
        let polygon = (0..=48)
            .map(|k| {
                let a = (k % 48) as f64 / 48.0 * std::f64::consts::TAU;
                proj.to_lonlat(x + radius_m * a.cos(), y + radius_m * a.sin())
                    .map(|(lon, lat)| [round_to(lon, 7), round_to(lat, 7)])
            })
            .collect::<Result<Vec<_>, _>>()?;
        rings.push(Ring {
            id: format!("ring-{:03}", first_id + rings.len()),
            centre_xy,
            centre,
            radius_m: radius_m.ceil(),
            items: ring_items,
            operators,
            residents,
            townships,
            district: prep.district_at(centre_xy),
            polygon,
        });
    }
    Ok(rings)
}

/// A ground tower at a ring's centre, as a candidate the plan may build (its
/// site still to be acquired): at the default tower height, or, near a
/// sensitive zone whose buildings' height the layer gives (R6), tall enough
/// for the slant distance to clear the GB 8702-2014 compliance distance of a
/// full site.
pub fn ring_tower(cfg: &Config, prep: &Prepared, ring: &Ring) -> Site {
    let default_m = cfg.site_defaults.height_m.get(SiteKind::GroundTower);
    let mut site = Site {
        id: ring.id.clone(),
        origin: SiteOrigin::Candidate,
        kind: SiteKind::GroundTower,
        xy: siting_model::XyM {
            x: ring.centre_xy[0],
            y: ring.centre_xy[1],
        },
        lonlat: ring.centre,
        height_m: default_m,
        capacity: cfg.site_defaults.capacity.get(SiteKind::GroundTower),
        tenants: OperatorSet::EMPTY,
        technologies: PerOperator::default(),
        public_building: false,
        load_capacity_kg: None,
        name: Some(format!("tower at the centre of search ring {}", ring.id)),
        venue: None,
        footprint_m: None,
    };
    // R6: near a sensitive zone with buildings, a taller mast may clear the
    // compliance distance of a full site; try a few heights up to 60 m.
    if let Some(r6) = &cfg.book.params.r6 {
        let tenants = |s: &Site| {
            prep.surroundings(cfg, s).sensitive_m.map_or(u32::MAX, |d| {
                siting_rules::emf::max_transmitters(
                    r6.tenant_eirp_w(SiteKind::GroundTower),
                    r6.limit_w_m2(),
                    d,
                )
            })
        };
        let full = u32::from(site.capacity.max(1));
        let heights: Vec<f64> = std::iter::once(default_m)
            .chain((1..=12).map(|k| default_m + 5.0 * k as f64))
            .filter(|h| *h <= 60.0_f64.max(default_m))
            .collect();
        let mut probe = site.clone();
        let mut best: Option<(u32, f64)> = None;
        for h in heights {
            probe.height_m = h;
            let n = tenants(&probe).min(full);
            if best.is_none_or(|(b, _)| n > b) {
                best = Some((n, h));
            }
            if n >= full {
                break;
            }
        }
        if let Some((_, h)) = best {
            site.height_m = h;
        }
    }
    site
}
