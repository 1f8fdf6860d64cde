//! The solver against exhaustive search on tiny seeded instances, in every
//! mode, with and without the portfolio's sharing floor.
//!
//! The checker here is written apart from the solver: it recomputes cost,
//! coverage, capacities, requirements and the sharing rate of a plan from
//! the problem alone.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use siting_optimize::{
    solve, Mode, OtherSites, Params, Problem, Purpose, Requirement, SiteChoice, StationKind,
    Weight, Yuan,
};

/// What a plan (a set of (site, operator) stations) does.
#[derive(Debug, Clone, PartialEq)]
struct Eval {
    feasible: bool,
    cost: Yuan,
    objective: Weight,
    requirements_met: bool,
    floor_met: bool,
    new_sites: u32,
}

fn evaluate(p: &Problem, chosen: &[(usize, usize)], floor: Option<f64>) -> Eval {
    let mut tenants: Vec<u8> = p.sites.iter().map(|s| s.tenants).collect();
    let mut added = vec![0u8; p.sites.len()];
    let mut covered = p.covered_before.clone();
    let (mut cost, mut objective, mut feasible) = (0, 0, true);
    for &(s, o) in chosen {
        let site = &p.sites[s];
        let bit = 1u8 << o;
        if added[s] & bit != 0 || site.allowed & bit == 0 || site.lte & bit != 0 {
            feasible = false;
        }
        if !site.existing && added[s] == 0 {
            cost += site.build_cost_yuan;
        }
        cost += if site.existing && site.tenants & bit != 0 {
            site.overlay_cost_yuan
        } else {
            site.tenant_cost_yuan
        };
        added[s] |= bit;
        tenants[s] |= bit;
        for &d in &site.coverage[o] {
            if !covered[o][d as usize] {
                covered[o][d as usize] = true;
                objective += p.weights[d as usize];
            }
        }
    }
    for (s, site) in p.sites.iter().enumerate() {
        if tenants[s].count_ones() > site.capacity as u32 {
            feasible = false;
        }
    }
    let requirements_met = p.requirements.iter().all(|r| {
        let got: Weight = r
            .items
            .iter()
            .filter(|(d, _)| covered[r.operator][*d as usize])
            .map(|(_, w)| *w)
            .sum();
        got >= r.min_weight
    });
    let new_sites = (0..p.sites.len())
        .filter(|&s| !p.sites[s].existing && added[s] != 0)
        .count() as u32;
    let existing = p.sites.iter().filter(|s| s.existing).count() as u64;
    let total = p.other_sites.sites + existing + new_sites as u64;
    let shared = p.other_sites.shared
        + (0..p.sites.len())
            .filter(|&s| (p.sites[s].existing || added[s] != 0) && tenants[s].count_ones() >= 2)
            .count() as u64;
    let floor_met = floor.is_none_or(|f| shared as f64 >= f * total as f64);
    Eval {
        feasible,
        cost,
        objective,
        requirements_met,
        floor_met,
        new_sites,
    }
}

/// R1 as the plan must keep it: every new site the plan builds has a
/// station covering some item that no existing site where its operator could
/// still go, once the plan is built, covers (a free slot, or the operator a
/// tenant without 4G and no station there). Further stations on a site so
/// built may join it for sharing; sites built only to reach the mode's count
/// (`exempt`) are the mode's, not coverage's.
fn keeps_r1(p: &Problem, chosen: &[(usize, usize)], exempt: &[usize]) -> bool {
    let mut tenants: Vec<u8> = p.sites.iter().map(|s| s.tenants).collect();
    let mut added = vec![0u8; p.sites.len()];
    for &(s, o) in chosen {
        tenants[s] |= 1 << o;
        added[s] |= 1 << o;
    }
    let justified = |c: usize, o: usize| {
        p.sites[c].coverage[o].iter().any(|d| {
            !(0..p.sites.len()).any(|s| {
                let e = &p.sites[s];
                e.existing
                    && added[s] & (1 << o) == 0
                    && e.fits(o, tenants[s])
                    && e.coverage[o].contains(d)
            })
        })
    };
    (0..p.sites.len())
        .filter(|&c| !p.sites[c].existing && added[c] != 0 && !exempt.contains(&c))
        .all(|c| (0..p.operators).any(|o| added[c] & (1 << o) != 0 && justified(c, o)))
}

/// Every (site, operator) pair that could ever hold a station.
fn options(p: &Problem) -> Vec<(usize, usize)> {
    (0..p.sites.len())
        .flat_map(|s| (0..p.operators).map(move |o| (s, o)))
        .filter(|&(s, o)| {
            let site = &p.sites[s];
            site.allowed & (1 << o) != 0 && site.lte & (1 << o) == 0
        })
        .collect()
}

/// The best plan by exhaustive search: least cost meeting the requirements
/// (`targets`), or most objective weight (`budget`, `sites`); `None` when no
/// plan is admissible.
fn optimum(p: &Problem, params: &Params) -> Option<Eval> {
    let pairs = options(p);
    assert!(
        pairs.len() <= 16,
        "instance too large for exhaustive search"
    );
    let mut best: Option<Eval> = None;
    for mask in 0u32..(1 << pairs.len()) {
        let chosen: Vec<_> = (0..pairs.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| pairs[i])
            .collect();
        let e = evaluate(p, &chosen, params.min_sharing_rate);
        if !e.feasible || !e.floor_met {
            continue;
        }
        let better = match params.mode {
            Mode::Targets => e.requirements_met && best.as_ref().is_none_or(|b| e.cost < b.cost),
            Mode::Budget { budget_yuan } => {
                e.cost <= budget_yuan && best.as_ref().is_none_or(|b| e.objective > b.objective)
            }
            Mode::Sites { count, budget_yuan } => {
                e.new_sites == count
                    && budget_yuan.is_none_or(|b| e.cost <= b)
                    && best.as_ref().is_none_or(|b| e.objective > b.objective)
            }
        };
        if better {
            best = Some(e);
        }
    }
    best
}

/// A tiny instance: 2–3 operators, 3–6 sites (existing with tenants, some
/// running 4G, and candidates), 4–9 items, one or two requirements per
/// operator.
fn instance(rng: &mut ChaCha8Rng) -> Problem {
    loop {
        let k = rng.gen_range(2..=3usize);
        let n = rng.gen_range(4..=9usize);
        let m = rng.gen_range(3..=6usize);
        let sites: Vec<SiteChoice> = (0..m)
            .map(|_| {
                let existing = rng.gen_bool(0.6);
                let capacity = rng.gen_range(1..=3u8);
                let mut tenants = 0u8;
                if existing {
                    for o in 0..k {
                        if rng.gen_bool(0.45) && tenants.count_ones() < capacity as u32 {
                            tenants |= 1 << o;
                        }
                    }
                }
                let lte = tenants & rng.gen_range(0..8u8) & rng.gen_range(0..8u8);
                let coverage = (0..k)
                    .map(|_| {
                        let mut c: Vec<u32> =
                            (0..n as u32).filter(|_| rng.gen_bool(0.35)).collect();
                        c.dedup();
                        c
                    })
                    .collect();
                SiteChoice {
                    existing,
                    tenants,
                    lte,
                    capacity,
                    allowed: if rng.gen_bool(0.9) {
                        0xff >> (8 - k)
                    } else {
                        1
                    },
                    build_cost_yuan: if existing { 0 } else { rng.gen_range(20..60) },
                    overlay_cost_yuan: rng.gen_range(5..15),
                    tenant_cost_yuan: rng.gen_range(8..25),
                    coverage,
                }
            })
            .collect();
        let weights: Vec<Weight> = (0..n).map(|_| rng.gen_range(0..50)).collect();
        let mut covered_before = vec![vec![false; n]; k];
        for s in &sites {
            for (o, row) in covered_before.iter_mut().enumerate() {
                if s.lte & (1 << o) != 0 {
                    for &d in &s.coverage[o] {
                        row[d as usize] = true;
                    }
                }
            }
        }
        let mut requirements = Vec::new();
        for o in 0..k {
            // A "township" requirement: a couple of items, all of them.
            let towns: Vec<(u32, Weight)> = (0..n as u32)
                .filter(|_| rng.gen_bool(0.25))
                .map(|d| (d, 1))
                .collect();
            if !towns.is_empty() {
                requirements.push(Requirement {
                    operator: o,
                    min_weight: towns.len() as Weight,
                    items: towns,
                });
            }
            // A share of the weights.
            let items: Vec<(u32, Weight)> = (0..n as u32)
                .filter(|_| rng.gen_bool(0.6))
                .map(|d| (d, weights[d as usize]))
                .collect();
            let total: Weight = items.iter().map(|(_, w)| *w).sum();
            requirements.push(Requirement {
                operator: o,
                min_weight: total * rng.gen_range(3..9) / 10,
                items,
            });
        }
        let p = Problem {
            operators: k,
            weights,
            covered_before,
            sites,
            requirements,
            other_sites: OtherSites {
                sites: rng.gen_range(0..4),
                shared: 0,
            },
            r1_blockers: Vec::new(),
        };
        if options(&p).len() <= 14 {
            return p;
        }
    }
}

#[derive(Default)]
struct Tally {
    instances: u32,
    optimal: u32,
    worst_ratio: f64,
    ratio_sum: f64,
}

impl Tally {
    fn add(&mut self, ratio: f64) {
        self.instances += 1;
        if ratio >= 1.0 - 1e-12 {
            self.optimal += 1;
        }
        self.ratio_sum += ratio;
        if self.instances == 1 || ratio < self.worst_ratio {
            self.worst_ratio = ratio;
        }
    }
    fn report(&self, what: &str) -> String {
        format!(
            "{what}: {} instances, optimum reached on {:.1}%, mean {:.3} of the optimum, worst {:.3}",
            self.instances,
            100.0 * self.optimal as f64 / self.instances.max(1) as f64,
            self.ratio_sum / self.instances.max(1) as f64,
            self.worst_ratio
        )
    }
}

/// Checks one solve against the checker and the optimum; returns the
/// plan's quality as a ratio to the optimum (1 = optimal), if there is one.
fn check(p: &Problem, params: &Params) -> Option<f64> {
    let sol = solve(p, params).unwrap();
    let chosen: Vec<_> = sol
        .placements
        .iter()
        .map(|pl| (pl.site as usize, pl.operator as usize))
        .collect();
    let e = evaluate(p, &chosen, params.min_sharing_rate);
    assert!(e.feasible, "infeasible plan {chosen:?} for {p:?}");
    assert_eq!(e.cost, sol.cost_yuan);
    assert_eq!(e.objective, sol.objective);
    assert_eq!(e.new_sites, sol.new_sites);
    assert_eq!(e.floor_met, sol.sharing.floor_met);
    for pl in &sol.placements {
        let site = &p.sites[pl.site as usize];
        let want = if !site.existing {
            StationKind::NewSite
        } else if site.tenants & (1 << pl.operator) != 0 {
            StationKind::Overlay
        } else {
            StationKind::CoLocation
        };
        assert_eq!(pl.kind, want);
        // Nothing is placed that does nothing, unless the mode needs it.
        match pl.purpose {
            Purpose::Requirement(_) => {}
            Purpose::Sharing => assert!(params.min_sharing_rate.is_some()),
            Purpose::Count => {
                assert!(matches!(params.mode, Mode::Sites { .. }));
                assert_eq!(pl.gain, 0);
            }
            Purpose::Coverage => assert!(pl.gain > 0, "coverage purpose without gain"),
        }
    }
    if let Mode::Budget { budget_yuan } = params.mode {
        assert!(sol.cost_yuan <= budget_yuan);
    }
    let opt = optimum(p, params);
    match params.mode {
        Mode::Targets => {
            let opt = opt?;
            // A plan meeting every requirement exists: the solver meets them
            // too (R1 is off here) and the bound is at most the optimum.
            assert!(e.requirements_met, "requirements missed: {p:?} {sol:?}");
            assert!(
                sol.bound.value <= opt.cost,
                "bound {} > optimum {}",
                sol.bound.value,
                opt.cost
            );
            if e.floor_met {
                assert!(sol.cost_yuan >= opt.cost, "cheaper than the optimum?");
            }
            e.floor_met.then(|| {
                if sol.cost_yuan == 0 {
                    1.0
                } else {
                    opt.cost as f64 / sol.cost_yuan as f64
                }
            })
        }
        Mode::Budget { .. } | Mode::Sites { .. } => {
            let opt = opt?;
            assert!(
                sol.bound.value >= opt.objective,
                "bound {} < optimum {}",
                sol.bound.value,
                opt.objective
            );
            assert!(sol.objective <= opt.objective || !e.floor_met);
            if let Mode::Sites { count, .. } = params.mode {
                assert_eq!(sol.new_sites, count, "{p:?} {sol:?}");
            }
            (e.floor_met && opt.objective > 0).then(|| sol.objective as f64 / opt.objective as f64)
        }
    }
}

#[test]
fn r1_holds_in_every_mode() {
    let mut rng = ChaCha8Rng::seed_from_u64(302);
    for _ in 0..400 {
        let p = instance(&mut rng);
        let candidates = p.sites.iter().filter(|s| !s.existing).count() as u32;
        for floor in [None, Some(0.5)] {
            for mode in [
                Mode::Targets,
                Mode::Budget { budget_yuan: 80 },
                Mode::Sites {
                    count: candidates.min(1),
                    budget_yuan: None,
                },
            ] {
                let params = Params {
                    mode,
                    sharing_first: true,
                    min_sharing_rate: floor,
                };
                let sol = solve(&p, &params).unwrap();
                let chosen: Vec<_> = sol
                    .placements
                    .iter()
                    .map(|pl| (pl.site as usize, pl.operator as usize))
                    .collect();
                assert!(evaluate(&p, &chosen, floor).feasible);
                // Sites whose every station is there for the count or the
                // floor alone are the mode's, not coverage's.
                let mode_only: Vec<usize> = (0..p.sites.len())
                    .filter(|&s| {
                        let mut here = sol.placements.iter().filter(|pl| pl.site as usize == s);
                        let any = here.clone().next().is_some();
                        any && here
                            .all(|pl| matches!(pl.purpose, Purpose::Count | Purpose::Sharing))
                    })
                    .collect();
                assert!(
                    keeps_r1(&p, &chosen, &mode_only),
                    "R1 broken: {p:?}\n{params:?}\n{sol:?}"
                );
            }
        }
    }
}

/// Site helper for the hand-made cases: `existing` with tenants `tenants`.
fn site(
    existing: bool,
    tenants: u8,
    capacity: u8,
    build: Yuan,
    cost: Yuan,
    coverage: Vec<Vec<u32>>,
) -> SiteChoice {
    SiteChoice {
        existing,
        tenants,
        lte: 0,
        capacity,
        allowed: 0b111,
        build_cost_yuan: build,
        overlay_cost_yuan: cost,
        tenant_cost_yuan: cost,
        coverage,
    }
}

#[test]
fn an_eviction_keeps_r1_for_the_evicted_operator() {
    // Operators B = 0, A = 1, C = 2; items Z = 0, X = 1. E1 and E2 hold C
    // with a free slot; E1 reaches Z for B and X for A, E2 reaches Z for B;
    // candidate N1 reaches Z for B. A can only go on E1, so B must go on E2.
    let p = Problem {
        operators: 3,
        weights: vec![1, 1],
        covered_before: vec![vec![false; 2]; 3],
        sites: vec![
            site(true, 0b100, 2, 0, 100, vec![vec![0], vec![1], vec![]]),
            site(true, 0b100, 2, 0, 1000, vec![vec![0], vec![], vec![]]),
            site(false, 0, 3, 100, 100, vec![vec![0], vec![], vec![]]),
        ],
        requirements: vec![
            Requirement {
                operator: 0,
                items: vec![(0, 1)],
                min_weight: 1,
            },
            Requirement {
                operator: 1,
                items: vec![(1, 1)],
                min_weight: 1,
            },
        ],
        other_sites: OtherSites::default(),
        r1_blockers: Vec::new(),
    };
    let params = Params {
        mode: Mode::Targets,
        sharing_first: true,
        min_sharing_rate: None,
    };
    let sol = solve(&p, &params).unwrap();
    let chosen: Vec<_> = sol
        .placements
        .iter()
        .map(|pl| (pl.site as usize, pl.operator as usize))
        .collect();
    assert!(keeps_r1(&p, &chosen, &[]), "{chosen:?}");
    assert_eq!(sol.cost_yuan, 1100, "{chosen:?}");
}

#[test]
fn cleanup_frees_no_slot_a_new_site_duplicates() {
    // Operators A = 0, B = 1, C = 2; items a1, a3, z, z2. E1 (C, one free
    // slot) reaches a1 for A and z for B; E3 reaches a1 and a3 for A;
    // candidate N1 reaches z for B; E4 reaches z2 for B.
    let p = Problem {
        operators: 3,
        weights: vec![1; 4],
        covered_before: vec![vec![false; 4]; 3],
        sites: vec![
            site(true, 0b100, 2, 0, 100, vec![vec![0], vec![2], vec![]]),
            site(true, 0b100, 3, 0, 250, vec![vec![0, 1], vec![], vec![]]),
            site(false, 0, 3, 100, 100, vec![vec![], vec![2], vec![]]),
            site(true, 0b100, 3, 0, 500, vec![vec![], vec![3], vec![]]),
        ],
        requirements: vec![
            Requirement {
                operator: 0,
                items: vec![(0, 1), (1, 1)],
                min_weight: 2,
            },
            Requirement {
                operator: 1,
                items: vec![(2, 1), (3, 1)],
                min_weight: 2,
            },
        ],
        other_sites: OtherSites::default(),
        r1_blockers: Vec::new(),
    };
    for mode in [Mode::Targets, Mode::Budget { budget_yuan: 2000 }] {
        let params = Params {
            mode,
            sharing_first: true,
            min_sharing_rate: None,
        };
        let sol = solve(&p, &params).unwrap();
        let chosen: Vec<_> = sol
            .placements
            .iter()
            .map(|pl| (pl.site as usize, pl.operator as usize))
            .collect();
        assert!(keeps_r1(&p, &chosen, &[]), "{mode:?}: {chosen:?}");
        assert!(
            sol.requirements.iter().all(|r| r.met()),
            "{mode:?}: {sol:?}"
        );
    }
}

#[test]
fn every_mode_against_exhaustive_search() {
    let mut rng = ChaCha8Rng::seed_from_u64(2015);
    let mut tallies: Vec<(String, Tally)> = Vec::new();
    for _ in 0..400 {
        let p = instance(&mut rng);
        let candidates = p.sites.iter().filter(|s| !s.existing).count() as u32;
        let budget = rng.gen_range(20..120);
        for floor in [None, Some(0.5)] {
            let modes = [
                ("targets", Mode::Targets),
                (
                    "budget",
                    Mode::Budget {
                        budget_yuan: budget,
                    },
                ),
                (
                    "sites",
                    Mode::Sites {
                        count: candidates.min(rng.gen_range(0..=2)),
                        budget_yuan: None,
                    },
                ),
            ];
            for (name, mode) in modes {
                let params = Params {
                    mode,
                    sharing_first: false,
                    min_sharing_rate: floor,
                };
                let label = format!("{name}{}", if floor.is_some() { " + floor" } else { "" });
                if let Some(r) = check(&p, &params) {
                    match tallies.iter_mut().find(|(l, _)| *l == label) {
                        Some((_, t)) => t.add(r),
                        None => {
                            let mut t = Tally::default();
                            t.add(r);
                            tallies.push((label, t));
                        }
                    }
                }
            }
        }
    }
    for (label, t) in &tallies {
        eprintln!("{}", t.report(label));
    }
    for (label, t) in &tallies {
        assert!(t.instances >= 50, "{label}: only {} instances", t.instances);
        let mean = t.ratio_sum / t.instances as f64;
        assert!(mean >= 0.9, "{}", t.report(label));
    }
}

#[test]
fn r1_builds_no_candidate_for_demand_an_existing_site_can_serve() {
    // Existing site 0 (operator 1 a tenant without 4G, a free slot for
    // operator 0) reaches items 0–2; candidate 1 reaches them too, and
    // would be cheaper.
    let site = |existing: bool| SiteChoice {
        existing,
        tenants: if existing { 0b10 } else { 0 },
        lte: 0,
        capacity: 3,
        allowed: 0b11,
        build_cost_yuan: if existing { 0 } else { 10 },
        overlay_cost_yuan: 25,
        tenant_cost_yuan: if existing { 25 } else { 8 },
        coverage: vec![vec![0, 1, 2]; 2],
    };
    let p = Problem {
        operators: 2,
        weights: vec![10; 3],
        covered_before: vec![vec![false; 3]; 2],
        sites: vec![site(true), site(false)],
        requirements: (0..2)
            .map(|o| Requirement {
                operator: o,
                items: (0..3).map(|d| (d, 10)).collect(),
                min_weight: 30,
            })
            .collect(),
        other_sites: OtherSites::default(),
        r1_blockers: Vec::new(),
    };
    let params = |sharing_first| Params {
        mode: Mode::Targets,
        sharing_first,
        min_sharing_rate: None,
    };
    // Without R1 the candidate is built (10 + 2 × 8 yuan); with R1 both
    // operators go on the existing site (2 × 25 yuan): sharing first.
    let free = solve(&p, &params(false)).unwrap();
    assert_eq!((free.kinds(), free.cost_yuan), ([0, 0, 2], 26), "{free:?}");
    let r1 = solve(&p, &params(true)).unwrap();
    assert_eq!((r1.kinds(), r1.cost_yuan), ([1, 1, 0], 50), "{r1:?}");
}
