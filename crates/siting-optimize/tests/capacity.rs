//! Traffic and capacity against exhaustive search on tiny seeded instances,
//! and the invariants of the capacity stage.
//!
//! The checker here is written apart from the solver: for a plan (a set of
//! (site, operator) stations, one year) it recomputes every item's best
//! server (least path loss; ties to the lower server number, stations
//! before the plan first), every server's load and what it carries, the
//! served and covered traffic, the slots and the requirements.

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use siting_optimize::capacity::{Capacity, Server};
use siting_optimize::{
    solve, Mode, OtherSites, Params, Problem, Purpose, Requirement, SiteChoice, Solution, Yuan,
};
use std::sync::Arc;

/// A tiny instance: 2 operators, up to 7 sites, one year, and its traffic.
fn instance(seed: u64, years: usize) -> (Problem, Capacity) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let k = 2;
    let n = rng.gen_range(5..10usize);
    let n_sites = rng.gen_range(3..7usize);
    let mut sites = Vec::new();
    let mut losses = Vec::new();
    let mut station_bps = Vec::new();
    let mut existing_servers = Vec::new();
    for s in 0..n_sites {
        let existing = s < n_sites / 2 + 1;
        let tenants: u8 = if existing { rng.gen_range(1..4u8) } else { 0 };
        let lte = if existing {
            tenants & rng.gen_range(0..4u8)
        } else {
            0
        };
        let capacity = rng.gen_range(tenants.count_ones().max(1) as u8..=3);
        let coverage: Vec<Vec<u32>> = (0..k)
            .map(|_| (0..n as u32).filter(|_| rng.gen_bool(0.45)).collect())
            .collect();
        let loss: Vec<Vec<u16>> = coverage
            .iter()
            .map(|c| c.iter().map(|_| rng.gen_range(9000..14000u16)).collect())
            .collect();
        for o in 0..k {
            if lte & (1 << o) != 0 {
                existing_servers.push(Server {
                    operator: o as u8,
                    capacity_bps: rng.gen_range(2..12) * 1_000_000,
                    coverage: coverage[o].clone().into(),
                    loss_cdb: loss[o].clone().into(),
                });
            }
        }
        sites.push(SiteChoice {
            existing,
            tenants,
            lte,
            capacity,
            allowed: 0b11,
            build_cost_yuan: if existing {
                0
            } else {
                rng.gen_range(50..300) * 1000
            },
            overlay_cost_yuan: rng.gen_range(10..40) * 1000,
            tenant_cost_yuan: rng.gen_range(30..90) * 1000,
            coverage: coverage.into_iter().map(Into::into).collect(),
        });
        losses.push(loss.into_iter().map(Into::into).collect());
        station_bps.push((0..k).map(|_| rng.gen_range(2..12) * 1_000_000).collect());
    }
    let weights: Vec<u64> = (0..n).map(|_| rng.gen_range(1..50)).collect();
    let mut covered_before = vec![vec![false; n]; k];
    for s in &sites {
        for (o, row) in covered_before.iter_mut().enumerate() {
            if s.lte & (1 << o) != 0 {
                for &d in s.coverage[o].iter() {
                    row[d as usize] = true;
                }
            }
        }
    }
    let requirements = if rng.gen_bool(0.5) {
        let o = rng.gen_range(0..k);
        let items: Vec<(u32, u64)> = (0..n as u32)
            .filter(|_| rng.gen_bool(0.5))
            .map(|d| (d, weights[d as usize]))
            .collect();
        let total: u64 = items.iter().map(|(_, w)| *w).sum();
        vec![Requirement {
            operator: o,
            items,
            min_weight: total / 2,
        }]
    } else {
        Vec::new()
    };
    let traffic: Vec<Vec<Vec<u32>>> = (0..k)
        .map(|_| {
            let base: Vec<u32> = (0..n).map(|_| rng.gen_range(0..4_000_000)).collect();
            (0..years)
                .map(|y| base.iter().map(|t| t * (y as u32 + 1)).collect())
                .collect()
        })
        .collect();
    let share = [0.0, 0.5, 0.8, 0.95, 1.0][rng.gen_range(0..5)];
    let cap = Capacity {
        years,
        traffic_bps: traffic,
        min_served_share: vec![vec![share; years]; k],
        existing: existing_servers,
        loss_cdb: losses,
        station_bps,
        earliest_year: Vec::new(),
        requirement_year: vec![0; requirements.len()],
        coverage_year: 0,
        sharing_year: (years - 1) as u8,
        add_stations: true,
        // Half the instances count the served share in two groups (two
        // districts, say), which must each reach it.
        item_group: if rng.gen_bool(0.5) {
            (0..n).map(|_| rng.gen_range(0..2u32)).collect()
        } else {
            Vec::new()
        },
    };
    let p = Problem {
        operators: k,
        weights,
        covered_before,
        sites,
        requirements,
        other_sites: OtherSites::default(),
        r1_blockers: Vec::new(),
        preference_rank: Vec::new(),
    };
    (p, cap)
}

/// What a plan does in year `y` with the stations given.
#[derive(Debug, Clone, PartialEq)]
struct Check {
    feasible: bool,
    cost: Yuan,
    /// Per operator: (covered, served) traffic.
    traffic: Vec<(u64, u64)>,
    targets_met: bool,
    /// Per station given: its offered load.
    loads: Vec<u64>,
}

/// A server in the checker: (number, coverage, loss, capacity, index in the plan).
type CheckServer<'a> = (usize, &'a [u32], &'a [u16], u64, Option<usize>);

fn check(p: &Problem, cap: &Capacity, chosen: &[(usize, usize)], y: usize) -> Check {
    let k = p.operators;
    let n = p.weights.len();
    let mut tenants: Vec<u8> = p.sites.iter().map(|s| s.tenants).collect();
    let mut added = vec![0u8; p.sites.len()];
    let (mut cost, mut feasible) = (0, true);
    let mut covered = p.covered_before.clone();
    for &(s, o) in chosen {
        let site = &p.sites[s];
        let bit = 1u8 << o;
        if added[s] & bit != 0 || site.allowed & bit == 0 || site.lte & bit != 0 {
            feasible = false;
        }
        if !site.existing && added[s] == 0 {
            cost += site.build_cost_yuan;
        }
        cost += site.station_cost(o);
        added[s] |= bit;
        tenants[s] |= bit;
        for &d in site.coverage[o].iter() {
            covered[o][d as usize] = true;
        }
    }
    for (s, site) in p.sites.iter().enumerate() {
        if tenants[s].count_ones() > site.capacity as u32 {
            feasible = false;
        }
    }
    let requirements_met = p.requirements.iter().all(|r| {
        let got: u64 = r
            .items
            .iter()
            .filter(|(d, _)| covered[r.operator][*d as usize])
            .map(|(_, w)| *w)
            .sum();
        got >= r.min_weight
    });
    let e = cap.existing.len();
    let mut traffic = Vec::new();
    let mut loads = vec![0u64; chosen.len()];
    let mut met = requirements_met;
    for o in 0..k {
        // Servers: (number, coverage, loss, capacity, index in `chosen`).
        let mut servers: Vec<CheckServer<'_>> = Vec::new();
        for (i, sv) in cap.existing.iter().enumerate() {
            if sv.operator as usize == o {
                servers.push((i, &sv.coverage, &sv.loss_cdb, sv.capacity_bps, None));
            }
        }
        for (j, &(s, oo)) in chosen.iter().enumerate() {
            if oo == o {
                servers.push((
                    e + s,
                    &p.sites[s].coverage[o],
                    &cap.loss_cdb[s][o],
                    cap.station_bps[s][o],
                    Some(j),
                ));
            }
        }
        let mut load = vec![0u64; servers.len()];
        let mut cov = 0u64;
        let mut server_of = vec![None; n];
        for d in 0..n as u32 {
            let t = u64::from(cap.traffic_bps[o][y][d as usize]);
            let best = servers
                .iter()
                .enumerate()
                .filter_map(|(i, (id, c, l, _, _))| {
                    c.iter().position(|&x| x == d).map(|at| ((l[at], *id), i))
                })
                .min();
            if let Some((_, i)) = best {
                load[i] += t;
                cov += t;
                server_of[d as usize] = Some(i);
            }
        }
        let served: u64 = servers
            .iter()
            .zip(&load)
            .map(|((_, _, _, c, _), l)| (*l).min(*c))
            .sum();
        for (i, sv) in servers.iter().enumerate() {
            if let Some(j) = sv.4 {
                loads[j] = load[i];
            }
        }
        // The share must hold in each group: an item's served traffic is
        // its share of what its server carries.
        let groups = cap.item_group.iter().max().map_or(1, |g| *g as usize + 1);
        let mut cov_g = vec![0u64; groups];
        let mut served_g = vec![0f64; groups];
        for (d, server) in server_of.iter().enumerate() {
            let Some(i) = *server else { continue };
            let g = cap.item_group.get(d).copied().unwrap_or(0) as usize;
            let t = u64::from(cap.traffic_bps[o][y][d]);
            cov_g[g] += t;
            served_g[g] += t as f64 * load[i].min(servers[i].3) as f64 / load[i] as f64;
        }
        for g in 0..groups {
            let required = (cap.min_served_share[o][y] * cov_g[g] as f64).ceil();
            met &= served_g[g] + 0.5 >= required;
        }
        traffic.push((cov, served));
    }
    Check {
        feasible,
        cost,
        traffic,
        targets_met: met,
        loads,
    }
}

fn options(p: &Problem) -> Vec<(usize, usize)> {
    (0..p.sites.len())
        .flat_map(|s| (0..p.operators).map(move |o| (s, o)))
        .filter(|&(s, o)| {
            let site = &p.sites[s];
            site.allowed & (1 << o) != 0 && site.lte & (1 << o) == 0
        })
        .collect()
}

/// The least cost of a plan meeting every target (`None`: no plan does).
fn brute_force(p: &Problem, cap: &Capacity) -> Option<Yuan> {
    let opts = options(p);
    let mut best: Option<Yuan> = None;
    for mask in 0u32..(1 << opts.len()) {
        let chosen: Vec<(usize, usize)> = (0..opts.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| opts[i])
            .collect();
        let c = check(p, cap, &chosen, 0);
        if c.feasible && c.targets_met && best.is_none_or(|b| c.cost < b) {
            best = Some(c.cost);
        }
    }
    best
}

fn params(cap: Capacity) -> Params {
    Params {
        mode: Mode::Targets,
        sharing_first: false,
        min_sharing_rate: None,
        capacity: Some(Arc::new(cap)),
        ..Params::default()
    }
}

fn chosen(sol: &Solution) -> Vec<(usize, usize)> {
    sol.placements
        .iter()
        .map(|pl| (pl.site as usize, pl.operator as usize))
        .collect()
}

#[test]
fn tiny_instances_against_exhaustive_search() {
    let (mut runs, mut feasible, mut met, mut optimal) = (0, 0, 0, 0);
    let mut worst: f64 = 1.0;
    let mut ratios = Vec::new();
    for seed in 0..400 {
        let (p, cap) = instance(seed, 1);
        assert!(options(&p).len() <= 14, "seed {seed}: too many options");
        let sol = solve(&p, &params(cap.clone())).expect("a valid instance");
        let plan = chosen(&sol);
        let c = check(&p, &cap, &plan, 0);
        runs += 1;
        // The plan is a plan: slots and rules hold, costs add up, and the
        // solver's loads and served traffic are the checker's.
        assert!(c.feasible, "seed {seed}: {plan:?}");
        assert_eq!(c.cost, sol.cost_yuan, "seed {seed}");
        let out = sol.capacity.as_ref().expect("traffic given");
        for o in 0..p.operators {
            let f = out.traffic[o][0];
            assert_eq!(
                (f.covered_bps, f.served_bps),
                c.traffic[o],
                "seed {seed} op {o}"
            );
        }
        for (j, l) in c.loads.iter().enumerate() {
            assert_eq!(out.station_load_bps[j][0], *l, "seed {seed} station {j}");
            assert!(
                out.station_load_bps[j][0].min(out.station_capacity_bps[j])
                    <= out.station_capacity_bps[j]
            );
        }
        // Every capacity station closes part of a shortfall: without it the
        // plan serves less than it asks for.
        for (j, pl) in sol.placements.iter().enumerate() {
            if pl.purpose == Purpose::Capacity {
                let mut without = plan.clone();
                without.remove(j);
                let w = check(&p, &cap, &without, 0);
                assert!(
                    !w.targets_met || w.cost < c.cost,
                    "seed {seed}: station {j} is not needed"
                );
            }
        }
        let Some(opt) = brute_force(&p, &cap) else {
            continue;
        };
        feasible += 1;
        if c.targets_met {
            met += 1;
            let ratio = sol.cost_yuan as f64 / opt.max(1) as f64;
            ratios.push(ratio);
            if sol.cost_yuan == opt {
                optimal += 1;
            }
            worst = worst.max(ratio);
            // The bound never claims more than the optimum.
            assert!(
                sol.bound.value <= opt,
                "seed {seed}: bound {} > optimum {opt}",
                sol.bound.value
            );
        }
    }
    ratios.sort_by(f64::total_cmp);
    let p95 = ratios[(ratios.len() * 95 / 100).min(ratios.len() - 1)];
    eprintln!(
        "capacity brute force: {runs} instances, {feasible} feasible, targets met on {met} ({:.1}%), optimal on {optimal} ({:.1}% of met), 95th percentile cost ratio {p95:.3}, worst {worst:.3}",
        100.0 * met as f64 / feasible as f64,
        100.0 * optimal as f64 / met.max(1) as f64
    );
    assert!(
        met as f64 >= 0.9 * feasible as f64,
        "targets met on {met} of {feasible}"
    );
    assert!(
        optimal as f64 >= 0.7 * met as f64,
        "optimal on {optimal} of {met}"
    );
}

/// A station for a requirement that a later capacity station makes
/// redundant comes out: the cheap overlay covers the requirement, the new
/// site placed for the overloaded station covers the same demand at less
/// loss and carries its traffic, so the plan is the new site alone.
#[test]
fn a_station_capacity_makes_redundant_comes_out() {
    let site = |existing: bool, build: Yuan, coverage: Vec<u32>| SiteChoice {
        existing,
        tenants: u8::from(existing),
        lte: 0,
        capacity: 3,
        allowed: 1,
        build_cost_yuan: build,
        overlay_cost_yuan: 10_000,
        tenant_cost_yuan: 50_000,
        coverage: vec![coverage.into()],
    };
    let p = Problem {
        operators: 1,
        weights: vec![10; 4],
        covered_before: vec![vec![false, false, true, true]],
        // The overlay on site 0 covers items 0 and 1; the candidate, site
        // 1, all four.
        sites: vec![
            site(true, 0, vec![0, 1]),
            site(false, 200_000, vec![0, 1, 2, 3]),
        ],
        requirements: vec![Requirement {
            operator: 0,
            items: vec![(0, 10), (1, 10)],
            min_weight: 20,
        }],
        other_sites: OtherSites::default(),
        r1_blockers: Vec::new(),
        preference_rank: Vec::new(),
    };
    let cap = Capacity {
        years: 1,
        traffic_bps: vec![vec![vec![1_000_000, 1_000_000, 6_000_000, 6_000_000]]],
        min_served_share: vec![vec![0.95]],
        // The station before the plan covers items 2 and 3 and carries half
        // their traffic.
        existing: vec![Server {
            operator: 0,
            capacity_bps: 6_000_000,
            coverage: vec![2, 3].into(),
            loss_cdb: vec![12_000, 12_000].into(),
        }],
        loss_cdb: vec![
            vec![vec![11_000, 11_000].into()],
            vec![vec![10_000; 4].into()],
        ],
        station_bps: vec![vec![4_000_000], vec![20_000_000]],
        earliest_year: Vec::new(),
        requirement_year: vec![0],
        coverage_year: 0,
        sharing_year: 0,
        add_stations: true,
        item_group: Vec::new(),
    };
    let sol = solve(&p, &params(cap.clone())).expect("valid");
    assert_eq!(chosen(&sol), vec![(1, 0)], "{:?}", sol.placements);
    let c = check(&p, &cap, &chosen(&sol), 0);
    assert!(c.feasible && c.targets_met, "{c:?}");
    assert_eq!(sol.cost_yuan, 250_000);
    assert_eq!(sol.requirements[0].covered, 20);
    assert_eq!(brute_force(&p, &cap), Some(250_000));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// With no traffic the plan is the coverage-only plan.
    #[test]
    fn no_traffic_gives_the_coverage_plan(seed in 0u64..10_000) {
        let (p, mut cap) = instance(seed, 3);
        for row in cap.traffic_bps.iter_mut().flatten() {
            row.iter_mut().for_each(|t| *t = 0);
        }
        let with = solve(&p, &params(cap)).expect("valid");
        let without = solve(&p, &Params { capacity: None, ..params(instance(seed, 3).1) }).expect("valid");
        prop_assert_eq!(with.placements, without.placements);
        prop_assert_eq!(with.cost_yuan, without.cost_yuan);
    }

    /// More traffic never means fewer stations or less served traffic
    /// where the plan for the higher traffic meets its served shares. (Where
    /// no plan can, the search keeps adding the stations that serve more of
    /// what is short around an overloaded server, but a different first
    /// choice, a bigger station a year earlier or a slot taken by the other
    /// operator, can leave fewer stations that each serve more: on 6,000
    /// seeded pairs (seeds 0..3,000, factors 2 and 3), 208 ended with fewer
    /// stations and 197 with less served traffic, all short of their
    /// shares.)
    #[test]
    fn more_traffic_never_means_fewer_stations(seed in 0u64..10_000, factor in 2u32..4) {
        let (p, cap) = instance(seed, 3);
        let mut more = cap.clone();
        for row in more.traffic_bps.iter_mut().flatten() {
            row.iter_mut().for_each(|t| *t *= factor);
        }
        let a = solve(&p, &params(cap)).expect("valid");
        let b = solve(&p, &params(more.clone())).expect("valid");
        let (ca, cb) = (a.capacity.expect("traffic"), b.capacity.expect("traffic"));
        if cb.traffic.iter().flatten().all(|t| t.met()) {
            prop_assert!(b.placements.len() >= a.placements.len());
            for o in 0..p.operators {
                for y in 0..3 {
                    prop_assert!(cb.traffic[o][y].served_bps >= ca.traffic[o][y].served_bps);
                }
            }
        }
        // Every server carries at most its capacity, and what they carry
        // is the operator's served traffic, every year; the loads are the
        // covered traffic.
        for o in 0..p.operators {
            for y in 0..3 {
                let mine = b.placements.iter().enumerate().filter(|(_, pl)| pl.operator as usize == o);
                let (mut carried, mut offered) = (0, 0);
                for (j, _) in mine {
                    carried += cb.station_load_bps[j][y].min(cb.station_capacity_bps[j]);
                    offered += cb.station_load_bps[j][y];
                }
                for (i, sv) in more.existing.iter().enumerate().filter(|(_, sv)| sv.operator as usize == o) {
                    carried += cb.existing_load_bps[i][y].min(sv.capacity_bps);
                    offered += cb.existing_load_bps[i][y];
                }
                prop_assert_eq!(carried, cb.traffic[o][y].served_bps);
                prop_assert_eq!(offered, cb.traffic[o][y].covered_bps);
            }
        }
    }

    /// Years only move forward with need: each station's year is at most
    /// its target's, never before its site's earliest year, and the year
    /// of a capacity station is one whose load needed it.
    #[test]
    fn years_respect_the_lead_time(seed in 0u64..10_000) {
        let (p, mut cap) = instance(seed, 3);
        cap.earliest_year = p.sites.iter().map(|s| if s.existing { 0 } else { 1 }).collect();
        let sol = solve(&p, &params(cap.clone())).expect("valid");
        prop_assert_eq!(sol.years.len(), sol.placements.len());
        for (pl, &y) in sol.placements.iter().zip(&sol.years) {
            prop_assert!(y >= cap.earliest_year[pl.site as usize]);
            prop_assert!((y as usize) < cap.years);
        }
    }
}

/// The cheap-bound solve and its tightening give what `solve` gives: the
/// same plan, bound and gap; the cheap bound is never above the tight one.
#[test]
fn a_cheap_bound_tightened_is_the_solve_bound() {
    let mut tighter = 0;
    for seed in 0..60 {
        let (p, cap) = instance(seed, 2);
        let params = params(cap);
        let full = solve(&p, &params).expect("valid");
        let mut quick = siting_optimize::solve_with_cheap_bound(&p, &params).expect("valid");
        assert_eq!(quick.placements, full.placements, "seed {seed}");
        assert!(quick.bound.value <= full.bound.value, "seed {seed}");
        tighter += usize::from(quick.bound.value < full.bound.value);
        siting_optimize::tighten_bound(&p, &params, &mut quick);
        assert_eq!(quick, full, "seed {seed}");
    }
    // The LP relaxation does tighten some of them.
    assert!(tighter > 0);
}

/// The solve with its tight bound computed beside it gives `solve`'s plan;
/// aiming at the plan's own value it gives `solve`'s whole solution, and a
/// floor the plan misses has the bound computed again without it.
#[test]
fn a_bound_beside_the_solve_is_the_solve_bound() {
    let mut missed = 0;
    for seed in 0..40 {
        let (p, cap) = instance(seed, 2);
        for floor in [None, Some(0.9)] {
            let params = Params {
                min_sharing_rate: floor,
                ..params(cap.clone())
            };
            let full = solve(&p, &params).expect("valid");
            missed += usize::from(!full.sharing.floor_met);
            let beside =
                siting_optimize::solve_beside_bound(&p, &params, full.cost_yuan).expect("valid");
            assert_eq!(beside, full, "seed {seed}, floor {floor:?}");
            // Another target changes no plan (and no LP bound).
            let other = siting_optimize::solve_beside_bound(&p, &params, 3 * full.cost_yuan + 7)
                .expect("valid");
            assert_eq!(other.placements, full.placements, "seed {seed}");
            assert_eq!(other.gap.is_some(), full.gap.is_some(), "seed {seed}");
            assert!(
                other.gap.is_none() || other.bound.value <= other.cost_yuan,
                "seed {seed}: {:?} above {}",
                other.bound,
                other.cost_yuan
            );
        }
    }
    // Some plans miss the 90% floor, so the second bound is exercised.
    assert!(missed > 0);
}

/// In `budget` the capacity step and its clean-up never lose coverage: the
/// plan with traffic covers at least what the plan without it covers.
#[test]
fn in_budget_capacity_keeps_the_coverage() {
    for seed in 0..300 {
        let (p, mut cap) = instance(seed, 2);
        // Demand with weight but no traffic: only the objective keeps the
        // station that alone covers it.
        for row in cap.traffic_bps.iter_mut().flatten() {
            row.iter_mut().step_by(2).for_each(|t| *t = 0);
        }
        let mode = Mode::Budget {
            budget_yuan: 300_000,
        };
        let with = solve(
            &p,
            &Params {
                mode,
                ..params(cap.clone())
            },
        )
        .expect("valid");
        let without = solve(
            &p,
            &Params {
                mode,
                capacity: None,
                ..params(cap)
            },
        )
        .expect("valid");
        assert!(with.objective >= without.objective, "seed {seed}");
    }
}
