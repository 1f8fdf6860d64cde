//! The optimiser's stations → the plan's sites, phases and the report.

use crate::config::{Config, ModeName};
use crate::inputs::RawLayers;
use crate::prepare::Prepared;
use crate::problem::{Instance, RequirementKind, WEIGHT_SCALE};
use crate::rings::Ring;
use crate::traffic::BPS_PER_MBPS;
use siting_coverage::ItemSet;
use siting_model::{Operator, OperatorSet, PerOperator, SiteKind, SiteOrigin};
use siting_optimize::{Purpose, Solution, StationKind, YearDriver};
use siting_plan::coverage::townships_missed;
use siting_plan::markdown::{pct, thousands};
use siting_plan::report::{
    codes, covered_gain, new_sites, ExcludedSite, IndoorSharing, SHARING_DEFINITION,
};
use siting_plan::{
    coverage_figures, BeforeAfter, DemandOutcome, DistrictRow, Driver, Engine, Investment,
    Objective, Origin, Outcome, PhaseRow, PlanSite, Reason, Report, RequirementRow, RuleCount,
    SearchRing, Sharing, SiteAlternative, StationTraffic, Stations, TargetCheck, UncoveredTownship,
    ValidityRow, Way, WithoutGain,
};
use siting_radio::{CoverageModel, MultiBandModel};
use siting_rules::{EiaAuthority, RuleBook};
use std::collections::BTreeMap;

/// What assembling needs from the run.
pub struct Assembly<'a> {
    /// The config.
    pub cfg: &'a Config,
    /// The config's name.
    pub config_file: &'a str,
    /// The layers as read.
    pub raw: &'a RawLayers,
    /// The prepared model.
    pub prep: &'a Prepared,
    /// Rules and targets.
    pub catalogue: &'a RuleBook,
    /// Radio model per operator.
    pub models: &'a [MultiBandModel],
    /// Coverage sets per site and operator.
    pub sets: &'a [Vec<ItemSet>],
    /// The optimiser's instance.
    pub instance: &'a Instance,
    /// The optimiser's answer.
    pub solution: &'a Solution,
    /// The search rings.
    pub rings: &'a [Ring],
}

/// The plan-format driver of an optimiser's year driver.
fn driver(d: YearDriver) -> Driver {
    match d {
        YearDriver::Target => Driver::Target,
        YearDriver::Load => Driver::Load,
        YearDriver::LeadTime => Driver::LeadTime,
    }
}

/// A station's reason, from its purpose.
fn reason(a: &Assembly<'_>, purpose: Purpose) -> Reason {
    match purpose {
        Purpose::Requirement(r) => match a.instance.requirements[r as usize].1 {
            RequirementKind::TownshipCentres => Reason::TownshipCentre,
            RequirementKind::MainUrban => Reason::MainUrban,
            RequirementKind::Rest => Reason::Coverage,
        },
        Purpose::Coverage => Reason::Coverage,
        Purpose::Sharing => Reason::Sharing,
        Purpose::Count => Reason::SiteCount,
        Purpose::Capacity => Reason::Capacity,
    }
}

/// Per site of the plan, as the replay of the stations builds it.
struct Works {
    stations: OperatorSet,
    phases: PerOperator<Option<u16>>,
    gain: PerOperator<Option<f64>>,
    build: f64,
    equipment: f64,
    reasons: PerOperator<Option<Reason>>,
    drivers: PerOperator<Option<Driver>>,
    traffic: PerOperator<Option<StationTraffic>>,
    first: usize,
    without_gain: u64,
    alternatives: Vec<SiteAlternative>,
}

/// Builds the plan's sites, the report and the demand outcome.
pub fn assemble(a: Assembly<'_>) -> Outcome {
    let prep = a.prep;
    let m = &prep.model;
    let items = &prep.items;
    let cfg = a.cfg;
    let placements = &a.solution.placements;

    let mut after = a.instance.covered_before.clone();
    let mut works: BTreeMap<usize, Works> = BTreeMap::new();
    for (k, pl) in placements.iter().enumerate() {
        let s = a.instance.choice_site[pl.site as usize];
        let op = Operator::ALL[pl.operator as usize];
        let v = &prep.verdicts[s];
        let mut gain = 0.0;
        let mut town = false;
        for &d in a.sets[s][op.index()].iter() {
            let c = &mut after[op][d as usize];
            if !*c {
                *c = true;
                if (d as usize) < items.cells {
                    gain += items.residents[d as usize];
                } else {
                    town = true;
                }
            }
        }
        let w = works.entry(s).or_insert_with(|| Works {
            stations: OperatorSet::EMPTY,
            phases: PerOperator::default(),
            gain: PerOperator::default(),
            build: 0.0,
            equipment: 0.0,
            reasons: PerOperator::default(),
            drivers: PerOperator::default(),
            traffic: PerOperator::default(),
            first: k,
            without_gain: 0,
            alternatives: Vec::new(),
        });
        // The options this station beat, as the optimiser recorded them.
        if let Some(alts) = a.solution.alternatives.get(k) {
            for alt in alts {
                let other = &m.sites[a.instance.choice_site[alt.site as usize]];
                w.alternatives.push(SiteAlternative {
                    operator: op,
                    site_id: other.id.clone(),
                    kind: other.kind.code().to_string(),
                    way: match alt.kind {
                        StationKind::Overlay => Way::Overlay,
                        StationKind::CoLocation => Way::CoLocation,
                        StationKind::NewSite => Way::NewSite,
                    },
                    gain_residents: alt.gain as f64 / WEIGHT_SCALE,
                    cost_yuan: alt.cost_yuan as f64,
                });
            }
        }
        w.stations.insert(op);
        // The year its target or its load needs it, not before R8 allows
        // (the optimiser's years); the last year for a solution without.
        let phase = match a.solution.years.get(k) {
            Some(&y) => cfg.phases.years[y as usize],
            None => cfg.phases.last(),
        };
        w.phases[op] = Some(phase);
        w.drivers[op] = a.solution.year_drivers.get(k).map(|&d| driver(d));
        w.traffic[op] = a.solution.capacity.as_ref().map(|c| StationTraffic {
            capacity_mbps: c.station_capacity_bps[k] as f64 / BPS_PER_MBPS,
            offered_mbps: cfg
                .phases
                .years
                .iter()
                .zip(&c.station_load_bps[k])
                .map(|(&y, &l)| (y, l as f64 / BPS_PER_MBPS))
                .collect(),
        });
        w.gain[op] = Some(gain);
        w.equipment += v.equipment_yuan.round();
        w.build += match pl.kind {
            StationKind::Overlay => v.overlay_yuan.round(),
            StationKind::CoLocation => v.co_location_yuan.round(),
            StationKind::NewSite if w.stations.len() == 1 => {
                v.build_yuan.round()
                    + if prep.site_acquisition[s] {
                        cfg.costs.site_acquisition_yuan.round()
                    } else {
                        0.0
                    }
            }
            StationKind::NewSite => 0.0,
        };
        w.reasons[op] = Some(reason(&a, pl.purpose));
        if gain == 0.0 && !town {
            w.without_gain += 1;
        }
    }

    let mut sites: Vec<PlanSite> = works
        .iter()
        .map(|(&s, w)| {
            let site = &m.sites[s];
            let v = &prep.verdicts[s];
            let d = &m.districts[prep.site_district[s] as usize];
            PlanSite {
                site_id: site.id.clone(),
                origin: if site.origin == SiteOrigin::Existing {
                    Origin::Existing
                } else {
                    Origin::New
                },
                kind: site.kind.code().to_string(),
                lonlat: site.lonlat,
                height_m: site.height_m,
                tenants_before: site.tenants,
                technologies_before: site.tenant_codes(),
                stations_added: w.stations,
                district: d.name.clone(),
                adcode: d.adcode.clone(),
                phase: w.phases.values().flatten().copied().min().unwrap_or(0),
                station_phases: w.phases,
                build_cost_yuan: w.build,
                station_cost_yuan: w.equipment,
                reason: w
                    .reasons
                    .values()
                    .flatten()
                    .min()
                    .copied()
                    .unwrap_or(Reason::SiteCount),
                station_reasons: w.reasons,
                covered_gain: w.gain,
                camouflage: v.camouflage,
                notice_board: v.notice_board,
                planning_approval: v.planning_approval,
                eia_authority: eia_authority(
                    cfg,
                    v.eia,
                    &d.name,
                    w.phases.values().flatten().copied().min().unwrap_or(0),
                ),
                rules: v.rules.iter().map(|r| r.to_string()).collect(),
                site_acquisition: prep.site_acquisition[s],
                station_drivers: w.drivers,
                station_traffic: w.traffic.clone(),
                alternatives: w.alternatives.clone(),
            }
        })
        .collect();
    // Phase first; within a phase, the order of the first station.
    let first: BTreeMap<String, usize> = works
        .iter()
        .map(|(&s, w)| (m.sites[s].id.clone(), w.first))
        .collect();
    sites.sort_by_key(|s| (s.phase, first[&s.site_id]));
    let without_gain: u64 = works.values().map(|w| w.without_gain).sum();

    let report = report(&a, &sites, &after, without_gain);
    let demand = (0..items.cells)
        .map(|i| DemandOutcome {
            lonlat: m.demand[i].lonlat,
            residents: items.residents[i],
            cell_m: items.cell_m[i],
            environment: items.environment[i],
            adcode: items.district[i].map(|k| m.districts[k as usize].adcode.clone()),
            before: PerOperator::from_fn(|op| a.instance.covered_before[op][i]),
            after: PerOperator::from_fn(|op| after[op][i]),
        })
        .collect();
    Outcome {
        sites,
        report,
        demand,
    }
}

fn report(
    a: &Assembly<'_>,
    sites: &[PlanSite],
    after: &PerOperator<Vec<bool>>,
    without_gain: u64,
) -> Report {
    let prep = a.prep;
    let m = &prep.model;
    let items = &prep.items;
    let cfg = a.cfg;
    let existing = &m.sites[..prep.n_existing];
    let before = &a.instance.covered_before;

    let coverage = coverage_figures(items.demand(), before, after);
    let stations = Stations::of(sites);
    let sharing = Sharing::of(
        existing.len() as u64,
        existing.iter().filter(|s| s.shared()).count() as u64,
        existing.iter().map(|s| s.tenants.len() as u64).sum(),
        sites,
    );
    debug_assert_eq!(
        (sharing.sites_after, sharing.shared_after),
        (
            a.solution.sharing.sites_after,
            a.solution.sharing.shared_after
        )
    );
    let investment = Investment::of(sites);
    let lte_before: u64 = existing.iter().map(|s| s.lte().len() as u64).sum();
    let lte = BeforeAfter {
        before: lte_before,
        after: lte_before + stations.total,
    };
    let news = new_sites(sites);

    // Requirements and where no site can serve.
    let ring_of_town: BTreeMap<usize, &str> = a
        .rings
        .iter()
        .flat_map(|r| r.townships.iter().map(move |t| (*t, r.id.as_str())))
        .collect();
    let servable = crate::rings::servable(prep, a.sets);
    let requirements: Vec<RequirementRow> = a
        .instance
        .requirements
        .iter()
        .zip(&a.solution.requirements)
        .map(|((op, kind), out)| {
            let towns = *kind == RequirementKind::TownshipCentres;
            let unit = |w: u64| {
                if towns {
                    w as f64
                } else {
                    w as f64 / WEIGHT_SCALE
                }
            };
            RequirementRow {
                operator: op.code().into(),
                what: kind.code().into(),
                requested: unit(out.requested),
                achievable: unit(out.achievable),
                covered_before: unit(out.covered_before),
                covered_after: unit(out.covered),
                met: out.met(),
                unit: if towns {
                    "township centres"
                } else {
                    "residents"
                }
                .into(),
            }
        })
        .collect();
    let towns_uncovered: Vec<UncoveredTownship> = townships_missed(after, items.cells)
        .into_iter()
        .map(|(t, missing)| {
            let d = items.cells + t;
            let town = &m.townships[t];
            let unservable: Vec<Operator> = missing
                .iter()
                .copied()
                .filter(|op| !servable[*op][d])
                .collect();
            let why = if unservable.len() == missing.len() {
                "no existing site or candidate can serve it".to_string()
            } else if unservable.is_empty() {
                format!("left by the plan (mode {})", cfg.objective.mode.code())
            } else {
                format!(
                    "no site can serve it for {}; left by the plan for the others",
                    codes(unservable.iter().copied()).join(", ")
                )
            };
            UncoveredTownship {
                code: town.code.clone(),
                name: town.name.clone(),
                county_adcode: town.county_adcode.clone(),
                operators: codes(missing),
                why,
                search_ring: ring_of_town.get(&t).map(|s| s.to_string()),
            }
        })
        .collect();
    let search_rings: Vec<SearchRing> = a
        .rings
        .iter()
        .map(|r| SearchRing {
            id: r.id.clone(),
            centre: [r.centre.lon, r.centre.lat],
            radius_m: r.radius_m,
            residents: r.residents,
            operators: r.operators.codes().iter().map(|c| c.to_string()).collect(),
            demand_points: r
                .items
                .iter()
                .filter(|(d, _)| (*d as usize) < items.cells)
                .count() as u64,
            township_centres: r
                .townships
                .iter()
                .map(|t| m.townships[*t].code.clone())
                .collect(),
            adcode: r
                .district
                .map(|d| m.districts[d as usize].adcode.clone())
                .unwrap_or_default(),
            polygon: r.polygon.clone(),
        })
        .collect();

    let targets = targets(
        a,
        &news,
        &investment,
        &sharing,
        &coverage,
        &lte,
        &towns_uncovered,
        &requirements,
    );

    // Per district: sites after (existing in the district, plus new ones).
    let mut by_district: BTreeMap<String, DistrictRow> = BTreeMap::new();
    let nd = m.districts.len();
    let mut residents = vec![0.0; nd];
    let mut covered = vec![PerOperator::<f64>::default(); nd];
    let mut newly = vec![PerOperator::<f64>::default(); nd];
    for i in 0..items.cells {
        if let Some(d) = items.district[i] {
            residents[d as usize] += items.residents[i];
            for op in Operator::ALL {
                if after[op][i] {
                    covered[d as usize][op] += items.residents[i];
                    if !before[op][i] {
                        newly[d as usize][op] += items.residents[i];
                    }
                }
            }
        }
    }
    // The portfolio of each district before the plan: sites, shared, tenancies.
    let mut before_here = vec![(0u64, 0u64, 0u64); nd];
    for (i, s) in existing.iter().enumerate() {
        let b = &mut before_here[prep.site_district[i] as usize];
        b.0 += 1;
        b.1 += s.shared() as u64;
        b.2 += s.tenants.len() as u64;
    }
    for (k, d) in m.districts.iter().enumerate() {
        let here: Vec<PlanSite> = sites
            .iter()
            .filter(|s| s.adcode == d.adcode)
            .cloned()
            .collect();
        let st = Stations::of(&here);
        let (b_sites, b_shared, b_tenancies) = before_here[k];
        let sh = Sharing::of(b_sites, b_shared, b_tenancies, &here);
        let new = sh.sites_after - sh.sites_before;
        by_district.insert(
            d.adcode.clone(),
            DistrictRow {
                adcode: d.adcode.clone(),
                name: d.name.clone(),
                residents: residents[k],
                coverage_share_after: PerOperator::from_fn(|op| {
                    if residents[k] > 0.0 {
                        covered[k][op] / residents[k]
                    } else {
                        1.0
                    }
                }),
                covered_gain: covered_gain(&here),
                newly_covered: newly[k],
                new_sites: new,
                new_4g_stations: st.total,
                stations_by_way: st.by_way,
                sites_after: sh.sites_after,
                shared_after: sh.shared_after,
                sharing_rate_after: sh.rate_after,
                investment_yuan: here.iter().map(|s| s.build_cost_yuan).sum(),
                equipment_yuan: here.iter().map(|s| s.station_cost_yuan).sum(),
            },
        );
    }

    let rule_counts = a
        .catalogue
        .rules
        .iter()
        .map(|r| RuleCount {
            id: r.id.clone(),
            title: r.title.clone(),
            source: r.source.clone(),
            sites: sites.iter().filter(|s| s.rules.contains(&r.id)).count() as u64,
            candidates_excluded: prep
                .verdicts
                .iter()
                .filter(|v| v.excluded.as_ref().is_some_and(|e| e.rule == r.id))
                .count() as u64,
        })
        .collect();

    let sol = a.solution;
    let targets_mode = cfg.objective.mode == ModeName::Targets;
    let objective = Objective {
        mode: cfg.objective.mode.code().into(),
        description: match cfg.objective.mode {
            ModeName::Targets if sol.capacity.is_some() => "least total cost (infrastructure and equipment) meeting the coverage requirements, the T3 sharing floor and the served-traffic shares".into(),
            ModeName::Targets => "least total cost (infrastructure and equipment) meeting the coverage requirements and the T3 sharing floor".into(),
            ModeName::Budget => format!("most residents newly covered, summed over operators, within {} yuan", thousands(cfg.objective.budget_yuan.unwrap_or(0.0))),
            ModeName::Sites => format!("most residents newly covered, summed over operators, with exactly {} new sites", cfg.objective.new_sites.unwrap_or(0)),
        },
        value: if targets_mode {
            sol.cost_yuan as f64
        } else {
            sol.objective as f64 / WEIGHT_SCALE
        },
        unit: if targets_mode {
            "yuan".into()
        } else if cfg.objective.township_centre_weight > 0.0 {
            format!(
                "weighted operator-residents (residents newly covered summed over operators, plus a bonus weight of {} per township centre newly covered; the bonus is not residents)",
                cfg.objective.township_centre_weight
            )
        } else {
            "operator-residents".into()
        },
        bound: if targets_mode {
            sol.bound.value as f64
        } else {
            sol.bound.value as f64 / WEIGHT_SCALE
        },
        bound_kind: if targets_mode {
            "lower bound on cost".into()
        } else {
            "upper bound on coverage".into()
        },
        bound_method: if targets_mode && sol.capacity.is_some() {
            format!(
                "{}; the served-traffic shares relaxed (the bound holds for every plan that meets the coverage targets and the floor, so for those that also serve the traffic)",
                sol.bound.method
            )
        } else {
            sol.bound.method.clone()
        },
        residents_newly_covered: coverage
            .values()
            .map(|c| c.covered_after - c.covered_before)
            .sum(),
        township_centres_newly_covered: coverage
            .values()
            .map(|c| {
                c.township_centres_covered_after
                    .saturating_sub(c.township_centres_covered_before)
            })
            .sum(),
        township_centre_weight: if targets_mode {
            0.0
        } else {
            cfg.objective.township_centre_weight
        },
        gap: sol.gap,
    };
    let without = WithoutGain {
        count: without_gain,
        reason: if without_gain == 0 {
            String::new()
        } else {
            match cfg.objective.mode {
                ModeName::Sites => format!("the mode builds exactly {} new sites, and coverage stopped asking for more before that; such sites are placed cheapest first (reason site_count), or on sites they make shared when the T3 floor binds (reason sharing)", cfg.objective.new_sites.unwrap_or(0)),
                _ => "each makes its site shared, to lift the portfolio's sharing rate to the T3 floor (reason sharing)".into(),
            }
        },
    };
    let notes = notes(a);
    let radio_models = Operator::ALL
        .iter()
        .zip(a.models)
        .map(|(op, model)| (op.code().to_string(), model.describe()))
        .collect();
    Report {
        engine: Engine {
            name: "siting".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        seed: cfg.seed,
        mode: cfg.objective.mode.code().into(),
        metric_crs: m.metric_crs.clone(),
        new_sites: news,
        new_4g_stations: stations,
        lte_stations_total: lte,
        sharing_rate: sharing.rate_after,
        sharing,
        investment_yuan: investment,
        coverage,
        targets,
        requirements,
        township_centres_uncovered: towns_uncovered,
        search_rings,
        upper_bound: objective.bound,
        optimality_gap: objective.gap,
        bound_method: objective.bound_method.clone(),
        objective,
        stations_without_gain: without,
        by_district,
        by_phase: PhaseRow::of(sites, &cfg.phases.years),
        traffic: crate::traffic::report(
            cfg,
            prep,
            a.solution,
            sites,
            if m.demand.iter().any(|d| !d.traffic_mbps.is_empty()) {
                &a.raw.demand.file
            } else {
                "config"
            },
        ),
        rule_counts,
        excluded: excluded_sites(a.prep),
        indoor_sharing: a.cfg.book.params.r11.as_ref().map(|r11| {
            let existing = &a.prep.model.sites[..a.prep.n_existing];
            let indoor = existing
                .iter()
                .filter(|s| s.kind == siting_model::SiteKind::Indoor);
            IndoorSharing::of(
                indoor.clone().count() as u64,
                indoor.filter(|s| s.shared()).count() as u64,
                sites,
                r11.sharing_target,
                r11.co_building_target,
            )
        }),
        approvals: siting_plan::approval_lists(sites),
        radio_models,
        inputs: a.raw.inputs(),
        config: config_json(cfg, a.config_file),
        notes,
        model_validity: model_validity(a),
    }
}

#[allow(clippy::too_many_arguments)]
fn targets(
    a: &Assembly<'_>,
    news: &siting_plan::NewSites,
    investment: &Investment,
    sharing: &Sharing,
    coverage: &PerOperator<siting_plan::CoverageFigures>,
    lte: &BeforeAfter,
    towns: &[UncoveredTownship],
    requirements: &[RequirementRow],
) -> Vec<TargetCheck> {
    let cfg = a.cfg;
    let t = &cfg.targets;
    let check = |id: &str,
                 required: String,
                 required_value: f64,
                 value: f64,
                 met: Option<bool>,
                 reason: String| {
        let e = a.catalogue.entry(id);
        TargetCheck {
            id: id.into(),
            title: e.as_ref().map(|e| e.title.clone()).unwrap_or_default(),
            source: e.map(|e| e.source).unwrap_or_default(),
            required,
            required_value,
            value,
            met,
            reason,
        }
    };
    let stations = &a.solution.placements;
    let on_existing = stations
        .iter()
        .filter(|p| p.kind != StationKind::NewSite)
        .count();
    let t1 = t.new_sites as f64;
    let new = news.total as f64;
    let t1_reason = match cfg.objective.mode {
        ModeName::Sites => format!(
            "mode sites builds {} new sites (objective.new_sites = {})",
            news.total,
            cfg.objective.new_sites.unwrap_or(0)
        ),
        mode => format!(
            "mode {}: the number of new sites is an outcome: {} new sites are what the coverage requirements and the sharing floor need once {} of the {} new 4G stations go on existing sites (overlays and co-locations first, R1); T1's {} site facilities were also built for capacity beyond the modelled load and for indoor systems the layers do not list: set objective.mode = \"sites\" with new_sites = {} to build them",
            mode.code(),
            thousands(new),
            thousands(on_existing as f64),
            thousands(stations.len() as f64),
            thousands(t1),
            t.new_sites
        ),
    };
    let est = t.investment_estimate_yuan;
    let infra = investment.infrastructure;
    let t2_reason = format!(
        "an estimate, not a cap: the plan's infrastructure is {} yuan ({} of the estimate): {} yuan on {} new sites ({} yuan each, against ≈{} yuan per site in the estimate over T1's {} sites) and {} yuan of works on existing sites; the operators' 4G equipment ({} yuan) is apart. {}",
        thousands(infra),
        pct(if est > 0.0 { infra / est } else { 0.0 }),
        thousands(investment.new_sites_infrastructure),
        thousands(new),
        thousands(investment.per_new_site_infrastructure),
        thousands(if t1 > 0.0 { est / t1 } else { 0.0 }),
        thousands(t1),
        thousands(infra - investment.new_sites_infrastructure),
        thousands(investment.equipment),
        if new < t1 * 0.8 {
            "The difference is mostly the number of new sites (see T1)."
        } else if infra > est * 1.2 {
            "The plan builds more, or dearer, sites than the estimate assumed."
        } else {
            "The plan is within a fifth of the estimate's scale."
        }
    );
    let t3_met = sharing.rate_after > t.min_sharing_rate;
    let t3_reason = format!(
        "{} of {} sites shared after the plan ({} of {} before, {}); {} of the new sites are shared{}",
        thousands(sharing.shared_after as f64),
        thousands(sharing.sites_after as f64),
        thousands(sharing.shared_before as f64),
        thousands(sharing.sites_before as f64),
        pct(sharing.rate_before),
        pct(sharing.new_sites_shared_share),
        if t3_met {
            String::new()
        } else if cfg.objective.mode == ModeName::Targets || cfg.objective.sharing_floor {
            ": no plan the sites allow reaches the floor".into()
        } else {
            format!(
                ": the floor does not bind in mode {} (set objective.sharing_floor = true)",
                cfg.objective.mode.code()
            )
        }
    );
    let urban_min = coverage
        .values()
        .map(|c| c.main_urban_share_after)
        .fold(1.0, f64::min);
    // Met as the optimiser counts it (residents in whole thousandths).
    let main_urban: Vec<&RequirementRow> = requirements
        .iter()
        .filter(|r| r.what == RequirementKind::MainUrban.code())
        .collect();
    let towns_ok = towns.is_empty() || !t.township_centres;
    let t4_met = towns_ok && main_urban.iter().all(|r| r.met);
    let mut t4_reason = Vec::new();
    for r in main_urban.iter().filter(|r| !r.met) {
        let c = &coverage[r.operator.parse::<Operator>().expect("an operator code")];
        t4_reason.push(format!(
            "{} covers {} of main-urban residents, {} short{}",
            r.operator,
            pct(c.main_urban_share_after),
            thousands(r.requested - r.covered_after),
            if r.achievable < r.requested {
                format!(
                    " (no site the plan may use reaches {} of them)",
                    thousands(r.requested - r.achievable)
                )
            } else {
                String::new()
            }
        ));
    }
    if !towns.is_empty() {
        let rings: Vec<&str> = towns
            .iter()
            .filter_map(|t| t.search_ring.as_deref())
            .collect();
        t4_reason.push(format!(
            "{} township centres lack some operator (listed in township_centres_uncovered){}",
            towns.len(),
            if rings.is_empty() {
                String::new()
            } else {
                format!(
                    "; no site can serve {} of them: search rings {}",
                    rings.len(),
                    rings.join(", ")
                )
            }
        ));
    }
    if t4_reason.is_empty() {
        t4_reason.push(format!(
            "every township centre covered by every operator; the lowest operator covers {} of main-urban residents",
            pct(urban_min)
        ));
    }
    let lte_met = lte.after >= t.lte_stations as u64;
    vec![
        check(
            "T1",
            format!("{} new sites", thousands(t1)),
            t1,
            new,
            Some(new >= t1),
            t1_reason,
        ),
        check(
            "T2",
            format!("≈{} yuan (an estimate)", thousands(est)),
            est,
            infra,
            None,
            t2_reason,
        ),
        check(
            "T3",
            format!("sharing rate over all sites > {}", pct(t.min_sharing_rate)),
            t.min_sharing_rate,
            sharing.rate_after,
            Some(t3_met),
            t3_reason,
        ),
        check(
            "T4",
            format!(
                "every township centre{} and ≥ {} of main-urban residents covered by every operator's 4G",
                if t.township_centres { "" } else { " (not required here)" },
                pct(t.main_urban_min_share)
            ),
            t.main_urban_min_share,
            urban_min,
            Some(t4_met),
            t4_reason.join("; "),
        ),
        check(
            "T4.lte",
            format!("{} 4G base stations in all", thousands(t.lte_stations as f64)),
            t.lte_stations as f64,
            lte.after as f64,
            Some(lte_met),
            format!(
                "{} 4G stations before the plan and {} new ones{}",
                thousands(lte.before as f64),
                thousands((lte.after - lte.before) as f64),
                match (lte_met, &a.solution.capacity) {
                    (true, _) => String::new(),
                    (false, Some(c)) => format!(
                        "; coverage, the sharing floor and the modelled busy-hour load ({} capacity stations) need no more: the published count also holds second carriers and sectors on existing 4G sites, which this plan does not model",
                        thousands(c.added as f64)
                    ),
                    (false, None) => "; coverage alone needs no more (this run plans no traffic: give [traffic] for capacity)".into(),
                }
            ),
        ),
    ]
}

fn notes(a: &Assembly<'_>) -> Vec<String> {
    let cfg = a.cfg;
    let mut notes = vec![
        format!("Sharing rate: {SHARING_DEFINITION}."),
        "Coverage is 4G only: before the plan, from the existing sites' 4G tenants (a tenant's technologies as its layer gives them); a demand point is covered when any of the operator's bands covers it (radio_models); radii are tabulated per whole metre of effective antenna height.".to_string(),
        "Costs: infrastructure (build_cost_yuan: a new site with camouflage and fees, or the work on an existing site a new station needs) and the operators' 4G equipment (station_cost_yuan) are apart; T2 is compared with infrastructure alone.".to_string(),
    ];
    let excluded = a
        .prep
        .verdicts
        .iter()
        .filter(|v| v.excluded.is_some())
        .count();
    if excluded > 0 {
        notes.push(format!(
            "{excluded} sites are kept out by a hard rule (rule_counts)."
        ));
    }
    for d in defaulted_attributes(cfg, a.raw) {
        notes.push(format!("{}.", d.sentence()));
    }
    for (rule, class) in missing_zone_classes(cfg, &a.prep.model.zones) {
        notes.push(format!(
            "Rule {rule} of {} names zone class {class}, which no zone of {} has: the rule applies nowhere.",
            cfg.book.file, a.raw.zones.file
        ));
    }
    if cfg.objective.search_rings {
        notes.push(format!(
            "Search rings: the plan may build a ground tower at each ring's centre ({} yuan of site acquisition on top of the tower), marked site_acquisition.",
            thousands(cfg.costs.site_acquisition_yuan)
        ));
    }
    if a.solution.sharing_price > 0 {
        notes.push(format!(
            "Meeting the sharing floor priced a unit of sharing at {} {}.",
            a.solution.sharing_price,
            if cfg.objective.mode == ModeName::Targets {
                "yuan"
            } else {
                "thousandths of a resident"
            }
        ));
    }
    let validity = model_validity(a);
    if !validity.is_empty() {
        let cases: u64 = validity.iter().map(|v| v.cases).sum();
        notes.push(format!(
            "{cases} model–height pairs are used outside their validity range (extrapolated), in {} groups (model_validity).",
            validity.len()
        ));
    }
    match &a.raw.dem {
        None => notes.push("No DEM: terrain is not taken into account.".into()),
        Some((file, grid)) => {
            let cell_m = grid.cell_deg() * 111_320.0;
            notes.push(format!(
                "DEM {file} ({:.0} m cells at the equator): antenna heights are corrected by the ground height at site and receiver.",
                cell_m
            ));
            if a.models.iter().any(MultiBandModel::diffraction) {
                notes.push(format!(
                    "Knife-edge diffraction (Deygout, ITU-R P.526) is applied along the terrain profile from each site to each receiver in range, sampled every DEM cell ({cell_m:.0} m)."
                ));
            } else if cell_m > cfg.terrain.diffraction_max_cell_m {
                notes.push(format!(
                    "Line-of-sight and knife-edge diffraction along the terrain profile are not applied: the DEM's cells ({cell_m:.0} m) are coarser than terrain.diffraction_max_cell_m ({} m).",
                    cfg.terrain.diffraction_max_cell_m
                ));
            }
        }
    }
    let outside = a.prep.items.district.iter().filter(|d| d.is_none()).count();
    if outside > 0 {
        notes.push(format!(
            "{outside} demand points lie outside every district and count in no district's row."
        ));
    }
    notes
}

/// Where the operators' models are used outside their validity range, per
/// (model, environment, parameter): for each site kind the lowest and
/// highest antenna height of the model's sites (every height where a kind
/// has three or fewer).
fn model_validity(a: &Assembly<'_>) -> Vec<ValidityRow> {
    let m = &a.prep.model;
    let mut heights: Vec<f64> = Vec::new();
    for kind in SiteKind::ALL.into_iter().filter(|k| *k != SiteKind::Indoor) {
        let set: std::collections::BTreeSet<i64> = m
            .sites
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.height_m.round() as i64)
            .collect();
        let mut hs: Vec<f64> = set.iter().map(|&h| h as f64).collect();
        if hs.len() > 3 {
            hs = vec![hs[0], hs[hs.len() - 1]];
        }
        heights.extend(hs);
    }
    let mut groups: BTreeMap<(String, String, String), ValidityRow> = BTreeMap::new();
    for (op, model) in Operator::ALL.iter().zip(a.models) {
        for (_, band) in model.bands() {
            for &h in &heights {
                for b in band.validity_breaches(h) {
                    let r = &b.out_of_range;
                    let key = (
                        b.model.to_string(),
                        b.environment.to_string(),
                        r.parameter.to_string(),
                    );
                    let row = groups.entry(key).or_insert_with(|| ValidityRow {
                        model: b.model.into(),
                        environment: b.environment.to_string(),
                        parameter: r.parameter.into(),
                        valid_range: format!("{}–{}{}", r.min, r.max, r.unit),
                        used: [r.value, r.value],
                        unit: r.unit.trim().to_string(),
                        antenna_heights_m: [h, h],
                        operators: Vec::new(),
                        cases: 0,
                        reference: r.reference.into(),
                    });
                    row.used = [row.used[0].min(r.value), row.used[1].max(r.value)];
                    row.antenna_heights_m = [
                        row.antenna_heights_m[0].min(h),
                        row.antenna_heights_m[1].max(h),
                    ];
                    if !row.operators.iter().any(|o| o == op.code()) {
                        row.operators.push(op.code().into());
                    }
                    row.cases += 1;
                }
            }
        }
    }
    groups.into_values().collect()
}

/// The config as JSON, with the file it came from under `source`.
fn config_json(cfg: &Config, file: &str) -> serde_json::Value {
    let mut v = serde_json::to_value(cfg).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut v {
        map.insert("source".into(), serde_json::Value::String(file.to_string()));
    }
    v
}

/// R9: the authority that approves a site's environmental impact: the
/// municipal bureau (or the New Area's branch) for the plan's batch years,
/// the district's bureau for a station outside them; empty with R9 off.
pub fn eia_authority(cfg: &Config, eia: EiaAuthority, district: &str, phase: u16) -> String {
    let Some(r9) = &cfg.book.params.r9 else {
        return String::new();
    };
    if !r9.batch_years.contains(&phase) {
        return r9.district_bureau.replace("{district}", district);
    }
    match eia {
        EiaAuthority::Municipal => r9.municipal.clone(),
        EiaAuthority::NewArea => r9.new_area.clone(),
        EiaAuthority::Unrouted => String::new(),
    }
}

/// Every site of the layers a hard rule keeps new antennas off.
fn excluded_sites(prep: &Prepared) -> Vec<ExcludedSite> {
    prep.model
        .sites
        .iter()
        .zip(&prep.verdicts)
        .enumerate()
        .filter_map(|(i, (s, v))| {
            let e = v.excluded.as_ref()?;
            Some(ExcludedSite {
                site_id: s.id.clone(),
                origin: if s.origin == SiteOrigin::Existing {
                    "existing"
                } else {
                    "new"
                }
                .into(),
                kind: s.kind.code().into(),
                adcode: prep.model.districts[prep.site_district[i] as usize]
                    .adcode
                    .clone(),
                rule: e.rule.into(),
                reason: e.reason.clone(),
                lon: s.lonlat.lon,
                lat: s.lonlat.lat,
            })
        })
        .collect()
}

/// Zone classes the enabled rules name that no zone has, with the rule:
/// the rule then applies nowhere, which the report and the log say.
pub fn missing_zone_classes(
    cfg: &Config,
    zones: &[siting_model::Zone],
) -> Vec<(&'static str, siting_model::ZoneClass)> {
    let p = &cfg.book.params;
    let mut named: Vec<(&'static str, siting_model::ZoneClass)> = Vec::new();
    if let Some(r3) = &p.r3 {
        named.extend(r3.zone_classes.iter().map(|c| ("R3", *c)));
        named.extend(r3.no_ground_tower_in.iter().map(|c| ("R3", *c)));
    }
    if let Some(r6) = &p.r6 {
        named.extend(r6.zone_classes.iter().map(|c| ("R6", *c)));
    }
    if let Some(r9) = &p.r9 {
        named.push(("R9", r9.new_area_class));
    }
    named.sort();
    named.dedup();
    named
        .into_iter()
        .filter(|(_, c)| !zones.iter().any(|z| z.class == *c))
        .collect()
}

/// A site attribute a rule reads that some features of a layer lack, and
/// the default the rule then applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultedAttribute {
    /// The rule.
    pub rule: &'static str,
    /// The layer's file.
    pub file: String,
    /// The attribute.
    pub attribute: &'static str,
    /// Features without it.
    pub features: usize,
    /// What the rule assumes for them.
    pub default: &'static str,
}

impl DefaultedAttribute {
    /// One sentence for the log and the report.
    pub fn sentence(&self) -> String {
        format!(
            "{} of {}'s features lack \"{}\", which rule {} reads: {} (give the attribute, or map it with the layer's fields table)",
            self.features, self.file, self.attribute, self.rule, self.default
        )
    }
}

/// The attributes the enabled rules read that site features lack: R4's
/// `public_building` (a site without it pays the private fee), R5's
/// `load_capacity_kg` on rooftops (no load cap), R6's `height_m` (the
/// kind's default height from `site_defaults`).
pub fn defaulted_attributes(cfg: &Config, raw: &RawLayers) -> Vec<DefaultedAttribute> {
    let p = &cfg.book.params;
    let mut out = Vec::new();
    for layer in [&raw.sites_existing, &raw.candidates]
        .into_iter()
        .chain(raw.developments.as_ref())
    {
        let lacking = |key: &str, only_rooftops: bool| {
            layer
                .features
                .iter()
                .filter(|f| {
                    let kind = f.properties.get("kind").and_then(|k| k.as_str());
                    (!only_rooftops || kind == Some("rooftop"))
                        && f.properties.get(key).is_none_or(|v| v.is_null())
                })
                .count()
        };
        let mut push = |rule, attribute, only_rooftops, default| {
            let n = lacking(attribute, only_rooftops);
            if n > 0 {
                out.push(DefaultedAttribute {
                    rule,
                    file: layer.file.clone(),
                    attribute,
                    features: n,
                    default,
                });
            }
        };
        if p.r4.is_some() {
            push(
                "R4",
                "public_building",
                false,
                "they count as private buildings and pay R4's usage fee",
            );
        }
        if p.r5.is_some() {
            push(
                "R5",
                "load_capacity_kg",
                true,
                "their roofs get no load cap, so R5 cannot bind there",
            );
        }
        if p.r6.is_some() {
            push("R6", "height_m", false, "their antennas stand at the kind's site_defaults.height_m in R6's compliance distance and in coverage");
        }
    }
    out
}
