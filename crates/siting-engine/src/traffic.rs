//! Busy-hour traffic and station capacity: what each demand item offers
//! each operator per year, what each station carries, and the path loss
//! that picks an item's best server. The optimiser's
//! [`Capacity`] is built from them.
//!
//! Traffic per item, operator `o` and year `y`, from the config (planners'
//! derivation):
//! `residents × subscriptions per resident × market share(o) × 4G share(y)
//! × busy-hour Mbit/s per 4G user(y)`, where the busy-hour rate is
//! `MB a month × 8 / days a month × busy-hour share / 3,600 s`. A demand
//! layer with `traffic_mbps_YYYY` properties gives each point's traffic of
//! all operators itself, split by the market shares.

use crate::config::Config;
use crate::coverage::Radio;
use crate::prepare::Prepared;
use crate::EngineError;
use rayon::prelude::*;
use siting_coverage::ItemSet;
use siting_model::{Operator, OperatorSet, PerOperator, SiteKind};
use siting_optimize::capacity::{centi_db, Bps, Capacity, CentiDb, Server};
use siting_radio::Receiver;
use std::collections::HashMap;
use std::sync::Arc;

/// Bit/s in a Mbit/s.
pub const BPS_PER_MBPS: f64 = 1e6;

/// Most traffic one demand item may offer one operator, Mbit/s (the
/// optimiser counts an item's traffic in `u32` bit/s).
pub const MAX_ITEM_MBPS: f64 = 4_000.0;

/// Each item's busy-hour traffic per operator and year.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemTraffic {
    /// Per operator, per year, per item (cells, then township centres with
    /// none), bit/s.
    pub bps: PerOperator<Vec<Vec<u32>>>,
    /// Where the figures come from: `config` or the demand layer.
    pub from_layer: bool,
}

/// The items' traffic under the config's `[traffic]`, or `None` without
/// one. A demand layer's `traffic_mbps_YYYY` properties win: then every
/// point must give every plan year, and no other year.
pub fn item_traffic(
    cfg: &Config,
    config_file: &str,
    prep: &Prepared,
    demand_file: &str,
) -> Result<Option<ItemTraffic>, EngineError> {
    let demand = &prep.model.demand;
    let years = &cfg.phases.years;
    let layer_years: Option<&[(u16, f64)]> = demand
        .iter()
        .find(|d| !d.traffic_mbps.is_empty())
        .map(|d| d.traffic_mbps.as_slice());
    let Some(t) = &cfg.traffic else {
        if layer_years.is_some() {
            return Err(EngineError::Config {
                file: config_file.to_string(),
                message: format!("{demand_file} gives traffic_mbps_YYYY per point, but the config has no [traffic] table (market_share to split it among the operators, min_served_share to plan for it)"),
            });
        }
        return Ok(None);
    };
    let n_items = prep.items.len();
    let cells = prep.items.cells;
    let share_total: f64 = Operator::ALL
        .iter()
        .map(|op| t.market_share.get(op.code()).copied().unwrap_or(0.0))
        .sum();
    let feature_err = |i: usize, problem: String| {
        EngineError::Layer(siting_layers::LayerError::Feature {
            file: demand_file.to_string(),
            feature: siting_layers::FeatureRef { index: i, id: None },
            problem,
        })
    };
    // Per year, per cell, all operators' Mbit/s.
    let mut total: Vec<Vec<f64>> = vec![vec![0.0; cells]; years.len()];
    if layer_years.is_some() {
        if share_total <= 0.0 {
            return Err(EngineError::Config {
                file: config_file.to_string(),
                message: "traffic.market_share gives no operator a share: the demand layer's traffic cannot be split".into(),
            });
        }
        for (i, d) in demand.iter().enumerate() {
            for &(y, _) in &d.traffic_mbps {
                if !years.contains(&y) {
                    return Err(feature_err(
                        i,
                        format!("traffic_mbps_{y}: {y} is outside the plan's years {years:?}"),
                    ));
                }
            }
            for (k, &y) in years.iter().enumerate() {
                let Some(&(_, v)) = d.traffic_mbps.iter().find(|(yy, _)| *yy == y) else {
                    return Err(feature_err(
                        i,
                        format!("no traffic_mbps_{y}: a layer that gives traffic gives every plan year for every point"),
                    ));
                };
                total[k][i] = v;
            }
        }
    } else {
        for (k, total) in total.iter_mut().enumerate() {
            let per_user =
                t.busy_hour_mbps_per_user(k) * t.lte_share[k] * t.subscriptions_per_resident;
            for (c, r) in prep.items.residents.iter().enumerate() {
                total[c] = r * per_user;
            }
        }
    }
    let mut bps: PerOperator<Vec<Vec<u32>>> = PerOperator::default();
    for op in Operator::ALL {
        let share = t.market_share.get(op.code()).copied().unwrap_or(0.0);
        let part = if layer_years.is_some() {
            share / share_total
        } else {
            share
        };
        let mut rows = Vec::with_capacity(years.len());
        for (k, year_total) in total.iter().enumerate() {
            let mut row = vec![0u32; n_items];
            for (c, v) in year_total.iter().enumerate() {
                let mbps = v * part;
                if mbps > MAX_ITEM_MBPS {
                    return Err(feature_err(
                        c,
                        format!(
                            "{op}'s busy-hour traffic here in {} is {mbps:.0} Mbit/s, more than the {MAX_ITEM_MBPS} Mbit/s one demand point may offer: split the point",
                            years[k]
                        ),
                    ));
                }
                row[c] = (mbps * BPS_PER_MBPS).round() as u32;
            }
            rows.push(row);
        }
        bps[op] = rows;
    }
    Ok(Some(ItemTraffic {
        bps,
        from_layer: layer_years.is_some(),
    }))
}

/// What one new station of `op` on a site of `kind` carries, Mbit/s: the
/// sum over the operator's bands the site carries (indoor-only bands on
/// indoor systems alone); a street pole or an indoor system runs its
/// bands' small-cell sectors.
pub fn station_mbps(cfg: &Config, op: Operator, kind: SiteKind) -> f64 {
    let small = matches!(kind, SiteKind::StreetPole | SiteKind::Indoor);
    let Some(r) = cfg.radio.get(op.code()) else {
        return 0.0;
    };
    r.resolve(op)
        .unwrap_or_default()
        .iter()
        .filter(|b| kind == SiteKind::Indoor || !b.indoor_only)
        .filter_map(|b| b.capacity.map(|c| c.station_mbps(small)))
        .sum()
}

/// Path loss from each listed site to each item of its coverage sets, for
/// the operators listed with it (aligned with `sets[site][operator]`; an
/// empty row for the others), in parallel.
pub fn losses(
    radio: &Radio,
    prep: &Prepared,
    sites: &[(usize, OperatorSet)],
    sets: &[Vec<ItemSet>],
) -> Vec<Vec<Arc<[CentiDb]>>> {
    let ids: Vec<usize> = sites.iter().map(|&(i, _)| i).collect();
    let radios = radio.site_radios(prep, &ids);
    let items = &prep.items;
    sites
        .par_iter()
        .zip(radios.par_iter())
        .map(|(&(i, ops), sr)| {
            radio
                .models
                .iter()
                .zip(Operator::ALL)
                .map(|(model, op)| {
                    if !ops.contains(op) {
                        return Arc::from([]);
                    }
                    let mut from_site = model.losses_from(sr.tx);
                    sets[i][op.index()]
                        .iter()
                        .map(|&d| {
                            let d = d as usize;
                            let rx = Receiver {
                                environment: items.environment[d],
                                ground_m: items.ground_m[d],
                                position: items.lonlat[d],
                            };
                            let dist = (items.xy[d][0] - sr.xy[0]).hypot(items.xy[d][1] - sr.xy[1]);
                            from_site
                                .path_loss_db(&rx, dist)
                                .map_or(CentiDb::MAX, centi_db)
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The optimiser's traffic side. `choice_site[c]` is the model site of the
/// problem's site `c`; `requirement_years` the year index of each
/// requirement; `add_stations` whether the mode adds stations for load.
/// With `previous`, the traffic side of an earlier round with its
/// `choice_site` (the model has only gained candidates since), the
/// existing stations and the path losses of the sites it knew are taken
/// from it rather than computed again: they depend on nothing a round
/// changes.
#[allow(clippy::too_many_arguments)]
pub fn capacity(
    cfg: &Config,
    prep: &Prepared,
    radio: &Radio,
    sets: &[Vec<ItemSet>],
    choice_site: &[usize],
    traffic: Option<&ItemTraffic>,
    requirement_years: Vec<u8>,
    add_stations: bool,
    previous: Option<(Capacity, &[usize])>,
) -> Capacity {
    let p = &cfg.phases;
    let n_years = p.years.len();
    let first = p.years.first().copied().unwrap_or(0);
    let earliest: Vec<u8> = choice_site
        .iter()
        .map(|&i| {
            let v = &prep.verdicts[i];
            match (v.planning_approval, &cfg.book.params.r8) {
                (true, Some(r8)) => {
                    let y = r8.earliest_year(first);
                    p.years.iter().position(|&x| x >= y).unwrap_or(n_years - 1) as u8
                }
                _ => 0,
            }
        })
        .collect();
    let coverage_year = p.index_of(p.coverage_by) as u8;
    let sharing_year = p.index_of(p.sharing_by) as u8;
    let mut cap = Capacity {
        years: n_years,
        traffic_bps: vec![vec![Vec::new(); n_years]; Operator::ALL.len()],
        min_served_share: vec![vec![0.0; n_years]; Operator::ALL.len()],
        existing: Vec::new(),
        loss_cdb: Vec::new(),
        station_bps: Vec::new(),
        earliest_year: earliest,
        requirement_year: requirement_years,
        coverage_year,
        sharing_year,
        add_stations: false,
        item_group: Vec::new(),
    };
    let (Some(traffic), Some(t)) = (traffic, &cfg.traffic) else {
        return cap;
    };
    cap.add_stations = add_stations;
    if t.served_share_in == crate::config::ShareScope::District {
        let outside = prep.model.districts.len() as u32;
        cap.item_group = (0..prep.items.len())
            .map(|d| {
                prep.items
                    .district
                    .get(d)
                    .copied()
                    .flatten()
                    .unwrap_or(outside)
            })
            .collect();
    }
    for op in Operator::ALL {
        cap.traffic_bps[op.index()] = traffic.bps[op].clone();
        cap.min_served_share[op.index()] = t.served_share(op, n_years);
    }
    // One figure per operator and site kind, resolved from the bands once.
    let table: PerOperator<Vec<Bps>> = PerOperator::from_fn(|op| {
        SiteKind::ALL
            .iter()
            .map(|&kind| (station_mbps(cfg, op, kind) * BPS_PER_MBPS).round() as Bps)
            .collect()
    });
    let kind_index = |kind: SiteKind| SiteKind::ALL.iter().position(|&k| k == kind).unwrap_or(0);
    let bps = |op: Operator, kind: SiteKind| table[op][kind_index(kind)];
    // Per model site, the path losses known from an earlier round.
    let mut known: HashMap<usize, Vec<Arc<[CentiDb]>>> = Default::default();
    // Stations before the plan: every existing site's 4G tenants, also on
    // sites a rule keeps out of the plan (an earlier round has them).
    let mut lte_sites: Vec<usize> = Vec::new();
    match previous {
        Some((old, old_choice)) => {
            cap.existing = old.existing;
            known = old_choice.iter().copied().zip(old.loss_cdb).collect();
        }
        None => {
            lte_sites = (0..prep.n_existing)
                .filter(|&i| !prep.model.sites[i].lte().is_empty())
                .collect();
        }
    }
    // One pass over the sites whose losses are not known: a choice's for
    // every operator, a 4G site's for its 4G tenants; a 4G site that is
    // also a choice shares them.
    let mut wanted: std::collections::BTreeMap<usize, OperatorSet> = lte_sites
        .iter()
        .map(|&i| (i, prep.model.sites[i].lte()))
        .collect();
    for &i in choice_site {
        if !known.contains_key(&i) {
            wanted.insert(i, Operator::ALL.into_iter().collect());
        }
    }
    let wanted: Vec<(usize, OperatorSet)> = wanted.into_iter().collect();
    let mut computed: HashMap<usize, Vec<Arc<[CentiDb]>>> = wanted
        .iter()
        .map(|&(i, _)| i)
        .zip(losses(radio, prep, &wanted, sets))
        .collect();
    for &i in &lte_sites {
        let site = &prep.model.sites[i];
        let loss = &computed[&i];
        for op in Operator::ALL {
            if site.lte().contains(op) {
                cap.existing.push(Server {
                    operator: op.index() as u8,
                    capacity_bps: bps(op, site.kind),
                    coverage: sets[i][op.index()].clone(),
                    loss_cdb: loss[op.index()].clone(),
                });
            }
        }
    }
    cap.loss_cdb = choice_site
        .iter()
        .map(|i| {
            known
                .remove(i)
                .or_else(|| computed.remove(i))
                .expect("every choice's losses are known or computed above")
        })
        .collect();
    cap.station_bps = choice_site
        .iter()
        .map(|&i| {
            Operator::ALL
                .iter()
                .map(|&op| bps(op, prep.model.sites[i].kind))
                .collect()
        })
        .collect();
    cap
}

/// The report's traffic section from the solution's loads, the plan's
/// sites and the demand cells; `None` where the run plans no traffic.
pub fn report(
    cfg: &Config,
    prep: &Prepared,
    solution: &siting_optimize::Solution,
    sites: &[siting_plan::PlanSite],
    source: &str,
) -> Option<siting_plan::TrafficReport> {
    use siting_plan::{DistrictTraffic, EnvironmentDensity, Reason, TrafficYear};
    use std::collections::BTreeMap;
    let (t, c) = (cfg.traffic.as_ref()?, solution.capacity.as_ref()?);
    let years = &cfg.phases.years;
    let m = &prep.model;
    let mbps = |b: Bps| b as f64 / BPS_PER_MBPS;
    let by_district = t.served_share_in == crate::config::ShareScope::District;
    let name = |g: usize| {
        m.districts
            .get(g)
            .map_or("outside the districts".to_string(), |d| d.name.clone())
    };
    let mut per_operator = BTreeMap::new();
    for op in Operator::ALL {
        let o = op.index();
        let rows = years
            .iter()
            .enumerate()
            .map(|(y, &year)| {
                let a = c.traffic[o][y];
                let groups = &c.groups[o][y];
                let lowest = groups
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.covered_bps > 0)
                    .min_by(|x, z| x.1.served_share().total_cmp(&z.1.served_share()))
                    .filter(|_| by_district);
                TrafficYear {
                    year,
                    covered_mbps: mbps(a.covered_bps),
                    served_mbps: mbps(a.served_bps),
                    unserved_mbps: mbps(a.covered_bps - a.served_bps),
                    uncovered_mbps: mbps(a.uncovered_bps),
                    served_share: a.served_share(),
                    min_served_share: t.served_share(op, years.len())[y],
                    lowest_district_share: lowest.map(|(_, g)| g.served_share()),
                    lowest_district: lowest.map(|(g, _)| name(g)),
                    met: if by_district {
                        groups
                            .iter()
                            .all(|g| g.served_bps as f64 + 0.5 >= g.required_bps as f64)
                    } else {
                        a.met()
                    },
                }
            })
            .collect::<Vec<_>>();
        per_operator.insert(op.code().to_string(), rows);
    }
    // Stations per district by reason.
    let mut capacity_n: BTreeMap<String, u64> = BTreeMap::new();
    let mut coverage_n: BTreeMap<String, u64> = BTreeMap::new();
    for s in sites {
        for r in s.station_reasons.values().flatten() {
            let into = match r {
                Reason::Capacity => &mut capacity_n,
                Reason::TownshipCentre | Reason::MainUrban | Reason::Coverage => &mut coverage_n,
                _ => continue,
            };
            *into.entry(s.adcode.clone()).or_insert(0) += 1;
        }
    }
    let last = years.len() - 1;
    let district_row = |g: usize| -> DistrictTraffic {
        let adcode = m
            .districts
            .get(g)
            .map(|d| d.adcode.clone())
            .unwrap_or_default();
        DistrictTraffic {
            name: name(g),
            covered_mbps: PerOperator::from_fn(|op| {
                c.groups[op.index()][last]
                    .get(g)
                    .map_or(0.0, |x| mbps(x.covered_bps))
            }),
            served_share: PerOperator::from_fn(|op| {
                c.groups[op.index()][last]
                    .get(g)
                    .map_or(1.0, |x| x.served_share())
            }),
            capacity_stations: capacity_n.get(&adcode).copied().unwrap_or(0),
            coverage_stations: coverage_n.get(&adcode).copied().unwrap_or(0),
            adcode,
        }
    };
    let (mut capacity_districts, mut busiest) = (Vec::new(), Vec::new());
    if by_district {
        let groups = c.groups[0][last].len();
        let mut rows: Vec<DistrictTraffic> = (0..groups).map(district_row).collect();
        rows.retain(|r| !r.adcode.is_empty());
        let mut cap_rows: Vec<DistrictTraffic> = rows
            .iter()
            .filter(|r| r.capacity_stations > 0)
            .cloned()
            .collect();
        cap_rows.sort_by(|x, z| {
            z.capacity_stations
                .cmp(&x.capacity_stations)
                .then(x.adcode.cmp(&z.adcode))
        });
        capacity_districts = cap_rows;
        let total = |r: &DistrictTraffic| r.covered_mbps.values().sum::<f64>();
        rows.sort_by(|x, z| total(z).total_cmp(&total(x)).then(x.adcode.cmp(&z.adcode)));
        rows.truncate(5);
        busiest = rows;
    }
    // 4G stations per km² by the environment of the nearest demand cell.
    let items = &prep.items;
    let cells = siting_index::PointIndex::new(items.xy[..items.cells].iter().copied());
    let env_of = |xy: [f64; 2]| cells.nearest(xy).map(|i| items.environment[i as usize]);
    let mut area = [0.0f64; 4];
    for i in 0..items.cells {
        area[items.environment[i].index()] += items.cell_m[i] * items.cell_m[i] / 1e6;
    }
    let mut before = [0u64; 4];
    for s in &m.sites[..prep.n_existing] {
        if let Some(e) = env_of([s.xy.x, s.xy.y]) {
            before[e.index()] += s.lte().len() as u64;
        }
    }
    let mut after = before;
    let site_xy: BTreeMap<&str, [f64; 2]> = m
        .sites
        .iter()
        .map(|s| (s.id.as_str(), [s.xy.x, s.xy.y]))
        .collect();
    for s in sites {
        if let Some(e) = site_xy.get(s.site_id.as_str()).and_then(|xy| env_of(*xy)) {
            after[e.index()] += s.stations_added.len() as u64;
        }
    }
    let density = siting_model::Environment::ALL
        .iter()
        .map(|e| {
            let i = e.index();
            let per = |n: u64| {
                if area[i] > 0.0 {
                    n as f64 / area[i]
                } else {
                    0.0
                }
            };
            EnvironmentDensity {
                environment: e.code().to_string(),
                area_km2: area[i],
                lte_stations_before: before[i],
                lte_stations_after: after[i],
                per_km2_before: per(before[i]),
                per_km2_after: per(after[i]),
            }
        })
        .collect();
    Some(siting_plan::TrafficReport {
        definition: format!(
            "Busy-hour downlink traffic per operator and year: residents × {} subscriptions per resident × market share × 4G share of the year × (MB a month × 8 / {} days × {} of a day in the busy hour / 3,600 s), or the demand layer's traffic_mbps_YYYY split by market share. Each covered demand point's traffic goes to its operator's best server (least path loss among the stations covering it that stand that year); a station carries at most its capacity (bandwidth × cells × bit/s/Hz × TDD downlink share × highest load); served share = carried / covered traffic, asked {} each year.",
            t.subscriptions_per_resident,
            t.days_per_month,
            t.busy_hour_share,
            if by_district { "in every district" } else { "over the whole area" }
        ),
        source: source.to_string(),
        served_share_in: t.served_share_in.code().to_string(),
        per_operator,
        capacity_stations: c.added as u64,
        brought_forward: c.brought_forward as u64,
        capacity_districts,
        busiest_districts: busiest,
        density,
    })
}
