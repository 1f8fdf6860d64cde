//! Placements → plan sites with phases, and the report's figures.

use crate::config::{Config, ConfigSource};
use crate::inputs::RawLayers;
use crate::run::{Prepared, WEIGHT_SCALE};
use siting_model::{Operator, OperatorSet, SiteKind, SiteOrigin};
use siting_optimize::Solution;
use siting_plan::markdown::thousands;
use siting_plan::report::{by_phase, sharing_rate, site_counts, tenancy_ratio};
use siting_plan::{
    ByDistrict, CoverageFigures, Origin, PlanSite, Report, RuleCount, StationCounts, TargetCheck,
    UncoveredTownship,
};
use siting_radio::{CoverageModel, MultiBandModel};
use siting_rules::{Catalogue, EiaAuthority};
use std::collections::BTreeMap;

/// What assembling needs from the run.
pub struct Assembly<'a> {
    /// The config.
    pub cfg: &'a Config,
    /// Where it came from.
    pub source: &'a ConfigSource,
    /// The layers as read.
    pub raw: &'a RawLayers,
    /// The prepared model.
    pub prep: &'a Prepared,
    /// Rules and targets.
    pub catalogue: &'a Catalogue,
    /// Radio model per operator.
    pub models: &'a [MultiBandModel],
    /// Coverage sets per site and operator.
    pub sets: &'a [Vec<Vec<u32>>],
    /// Coverage per operator and item before the plan.
    pub covered_before: &'a [Vec<bool>],
    /// Site index of each optimiser choice.
    pub choice_site: &'a [usize],
    /// The optimiser's answer.
    pub solution: &'a Solution,
    /// Demand points among the items (the rest are township centres).
    pub n_cells: usize,
}

/// Phase year of the `k`-th of `n` placements (priority order), by the
/// configured shares.
pub fn phase_of(k: usize, n: usize, years: &[u16], shares: &[f64]) -> u16 {
    let mut cum = 0.0;
    for (y, s) in years.iter().zip(shares) {
        cum += s;
        if (k as f64) < (cum * n as f64).round() {
            return *y;
        }
    }
    *years.last().expect("config has years")
}

/// Builds the plan sites and the report.
/// Returns the plan sites, the report, and per operator and demand item
/// whether it is covered once the plan is built.
pub fn assemble(a: Assembly<'_>) -> (Vec<PlanSite>, Report, Vec<Vec<bool>>) {
    let m = &a.prep.model;
    let cfg = a.cfg;
    let n_items = a.covered_before.first().map_or(0, Vec::len);
    let placements = &a.solution.placements;

    // Replay the placements in priority order for real-valued gains.
    let mut covered = a.covered_before.to_vec();
    let mut order: Vec<usize> = Vec::new();
    let mut by_site: BTreeMap<usize, (OperatorSet, f64, f64, usize)> = BTreeMap::new();
    for (k, pl) in placements.iter().enumerate() {
        let s = a.choice_site[pl.site as usize];
        let o = pl.operator as usize;
        let mut gain = 0.0;
        for &d in &a.sets[s][o] {
            let c = &mut covered[o][d as usize];
            if !*c {
                *c = true;
                if (d as usize) < a.n_cells {
                    gain += m.demand[d as usize].weight;
                }
            }
        }
        let e = by_site.entry(s).or_insert_with(|| {
            order.push(s);
            (OperatorSet::EMPTY, 0.0, 0.0, k)
        });
        e.0.insert(Operator::ALL[o]);
        e.1 += pl.cost_yuan as f64;
        e.2 += gain;
    }

    let n = placements.len();
    let mut sites: Vec<PlanSite> = order
        .iter()
        .map(|&s| {
            let (added, cost, gain, first) = by_site[&s];
            let site = &m.sites[s];
            let v = &a.prep.verdicts[s];
            let d = &m.districts[a.prep.site_district[s] as usize];
            PlanSite {
                site_id: site.id.clone(),
                origin: if site.origin == SiteOrigin::Existing {
                    Origin::Existing
                } else {
                    Origin::New
                },
                kind: site.kind.code().to_string(),
                lonlat: site.lonlat,
                tenants_before: site.tenants,
                tenants_added: added,
                district: d.name.clone(),
                adcode: d.adcode.clone(),
                phase: phase_of(first, n, &cfg.phases.years, &cfg.phases.shares),
                cost_yuan: cost,
                camouflage: v.camouflage,
                notice_board: v.notice_board,
                planning_approval: v.planning_approval,
                eia_authority: match v.eia {
                    EiaAuthority::Municipal => cfg.rules.eia_municipal.clone(),
                    EiaAuthority::Liangjiang => cfg.rules.eia_liangjiang.clone(),
                },
                rules: v.rules.iter().map(|r| r.to_string()).collect(),
                covered_weight_gain: gain,
            }
        })
        .collect();
    // Phase first; within a phase, priority order (already the order of `order`).
    sites.sort_by_key(|s| s.phase);

    let report = report(&a, &sites, &covered, n_items);
    (sites, report, covered)
}

fn report(a: &Assembly<'_>, sites: &[PlanSite], covered: &[Vec<bool>], n_items: usize) -> Report {
    let m = &a.prep.model;
    let cfg = a.cfg;
    let counts = StationCounts::of(sites);
    let (sites_new, sites_existing_shared) = site_counts(sites);
    let cost_total: f64 = sites.iter().map(|s| s.cost_yuan).sum();
    let rate = sharing_rate(sites);

    let total_weight: f64 = m.demand.iter().map(|d| d.weight).sum();
    let main_urban_weight: f64 = m
        .demand
        .iter()
        .zip(&a.prep.demand_district)
        .filter(|(_, d)| d.is_some_and(|d| m.districts[d as usize].main_urban))
        .map(|(p, _)| p.weight)
        .sum();
    let n_towns = n_items - a.n_cells;
    let coverage: Vec<CoverageFigures> = Operator::ALL
        .iter()
        .map(|op| {
            let o = op.index();
            let weigh = |cov: &[bool]| -> (f64, f64) {
                let mut all = 0.0;
                let mut urban = 0.0;
                for (i, p) in m.demand.iter().enumerate() {
                    if cov[i] {
                        all += p.weight;
                        if a.prep.demand_district[i]
                            .is_some_and(|d| m.districts[d as usize].main_urban)
                        {
                            urban += p.weight;
                        }
                    }
                }
                (all, urban)
            };
            let (before, _) = weigh(&a.covered_before[o]);
            let (after, urban) = weigh(&covered[o]);
            CoverageFigures {
                operator: op.code().into(),
                total_weight,
                covered_weight_before: before,
                covered_weight_after: after,
                covered_share_after: if total_weight > 0.0 {
                    after / total_weight
                } else {
                    0.0
                },
                township_centres_covered: covered[o][a.n_cells..].iter().filter(|c| **c).count()
                    as u64,
                township_centres: n_towns as u64,
                main_urban_covered_share: if main_urban_weight > 0.0 {
                    urban / main_urban_weight
                } else {
                    1.0
                },
            }
        })
        .collect();
    let towns_all = (a.n_cells..n_items)
        .filter(|&i| covered.iter().all(|c| c[i]))
        .count();
    let town_share = if n_towns > 0 {
        towns_all as f64 / n_towns as f64
    } else {
        1.0
    };
    let urban_min = coverage
        .iter()
        .map(|c| c.main_urban_covered_share)
        .fold(1.0, f64::min);

    let target = |id: &str, required: String, required_value: f64, value: f64, met: bool| {
        let e = a.catalogue.get(id);
        TargetCheck {
            id: id.into(),
            title: e.map(|e| e.title.clone()).unwrap_or_default(),
            source: e.map(|e| e.source.clone()).unwrap_or_default(),
            required,
            required_value,
            value,
            met,
        }
    };
    let t1 = cfg.targets.total_new_base_stations as f64;
    let targets = vec![
        target(
            "T1",
            format!("≥ {} new base stations", thousands(t1)),
            t1,
            counts.total as f64,
            counts.total as f64 >= t1,
        ),
        target(
            "T2",
            format!("≤ {} yuan (the estimate)", thousands(cfg.targets.investment_estimate_yuan)),
            cfg.targets.investment_estimate_yuan,
            cost_total,
            cost_total <= cfg.targets.investment_estimate_yuan,
        ),
        target(
            "T3",
            format!("sharing rate > {}%", (cfg.targets.min_sharing_rate * 1e4).round() / 1e2),
            cfg.targets.min_sharing_rate,
            rate,
            rate > cfg.targets.min_sharing_rate,
        ),
        target(
            "T4",
            format!(
                "every township centre covered by all three operators (share 1); main urban demand covered (lowest operator share {:.3})",
                urban_min
            ),
            1.0,
            town_share,
            towns_all == n_towns && urban_min >= cfg.targets.main_urban_min_share,
        ),
    ];

    // Demand per district in one pass (same order of addition as before).
    let mut district_weight = vec![0.0; m.districts.len()];
    for (p, d) in m.demand.iter().zip(&a.prep.demand_district) {
        if let Some(d) = d {
            district_weight[*d as usize] += p.weight;
        }
    }
    let by_district = m
        .districts
        .iter()
        .zip(&district_weight)
        .map(|(d, &demand_weight)| {
            let here: Vec<PlanSite> = sites
                .iter()
                .filter(|s| s.adcode == d.adcode)
                .cloned()
                .collect();
            let (new, shared) = site_counts(&here);
            ByDistrict {
                adcode: d.adcode.clone(),
                name: d.name.clone(),
                new_base_stations: StationCounts::of(&here).total,
                sites_new: new,
                sites_existing_shared: shared,
                sharing_rate: sharing_rate(&here),
                cost_yuan: here.iter().map(|s| s.cost_yuan).sum(),
                demand_weight,
                covered_weight_gain: here.iter().map(|s| s.covered_weight_gain).sum(),
            }
        })
        .collect();

    let rule_counts = a
        .catalogue
        .rules
        .iter()
        .map(|r| RuleCount {
            id: r.id.clone(),
            title: r.title.clone(),
            source: r.source.clone(),
            sites: sites.iter().filter(|s| s.rules.contains(&r.id)).count() as u64,
            candidates_excluded: a
                .prep
                .verdicts
                .iter()
                .filter(|v| v.excluded.as_ref().is_some_and(|e| e.rule == r.id))
                .count() as u64,
        })
        .collect();

    let uncovered_township_centres = (a.n_cells..n_items)
        .filter_map(|i| {
            let missing: Vec<String> = Operator::ALL
                .iter()
                .filter(|op| !covered[op.index()][i])
                .map(|op| op.code().to_string())
                .collect();
            let t = &m.townships[i - a.n_cells];
            (!missing.is_empty()).then(|| UncoveredTownship {
                code: t.code.clone(),
                name: t.name.clone(),
                county_adcode: t.county_adcode.clone(),
                operators: missing,
            })
        })
        .collect();
    let stations_without_gain = a.solution.placements.iter().filter(|p| p.gain == 0).count() as u64;
    let ub = a.solution.upper_bound as f64 / WEIGHT_SCALE;
    let got = a.solution.gain() as f64 / WEIGHT_SCALE;
    let outside = a
        .prep
        .demand_district
        .iter()
        .filter(|d| d.is_none())
        .count();
    let mut notes = vec![
        "Objective, upper bound and gap are in optimiser units: newly covered demand weight plus targets.township_centre_weight for each township centre newly covered.".to_string(),
        "Radio coverage: a link budget per operator and band and a propagation model per environment (see radio_models); a demand point is covered when any of the operator's bands covers it; coverage radii are tabulated per whole metre of effective antenna height.".to_string(),
        "Coverage before the plan counts every existing tenant as already serving its operator's demand within range.".to_string(),
    ];
    if !a.solution.sharing_target_met {
        notes.push("The minimum sharing rate could not be met with the sites available.".into());
    } else if a.solution.sharing_bonus > 0 {
        notes.push(format!(
            "Meeting the sharing rate needed a sharing bonus of {} weight units per shared placement.",
            a.solution.sharing_bonus as f64 / WEIGHT_SCALE
        ));
    }
    if stations_without_gain > 0 {
        notes.push(format!(
            "{stations_without_gain} new base stations newly cover no demand under this coverage model: they are placed, cheapest and shared first, to reach T1's count."
        ));
    }
    // The antenna heights the sites stand at, by kind: each if few, else the
    // lowest and highest (whole metres).
    let heights: Vec<(SiteKind, Vec<f64>)> = SiteKind::ALL
        .iter()
        .map(|&kind| {
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
            (kind, hs)
        })
        .collect();
    for (op, model) in Operator::ALL.iter().zip(a.models) {
        for (band, model) in model.bands() {
            for (kind, hs) in &heights {
                for &h in hs {
                    for breach in model.validity_notes(h) {
                        notes.push(format!(
                            "{op} {band}, {kind}: model used outside its validity range (extrapolated): {breach}"
                        ));
                    }
                }
            }
        }
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
    if outside > 0 {
        notes.push(format!(
            "{outside} demand points lie outside every district and count in no district's row."
        ));
    }
    let mut engine = BTreeMap::new();
    engine.insert("name".to_string(), "siting".to_string());
    engine.insert("version".to_string(), env!("CARGO_PKG_VERSION").to_string());
    // Each band: its label, its model, and where its figures come from.
    let radio_models = Operator::ALL
        .iter()
        .zip(a.models)
        .map(|(op, model)| (op.code().to_string(), model.describe()))
        .collect();
    let q = |op: Operator| {
        cfg.targets
            .new_base_stations
            .get(op.code())
            .copied()
            .unwrap_or(0) as u64
    };
    Report {
        engine,
        seed: cfg.seed,
        metric_crs: m.metric_crs.clone(),
        new_base_stations: counts.clone(),
        new_base_stations_required: StationCounts {
            total: cfg.targets.total_new_base_stations as u64,
            cmcc: q(Operator::Cmcc),
            cucc: q(Operator::Cucc),
            ctcc: q(Operator::Ctcc),
        },
        sharing_rate: rate,
        sharing_rate_definition: "new base stations on sites that host two or more operators once the plan is built, over all new base stations".into(),
        tenancy_ratio: tenancy_ratio(sites),
        sites_new,
        sites_existing_shared,
        cost_yuan_total: cost_total,
        cost_yuan_per_station: if counts.total > 0 { cost_total / counts.total as f64 } else { 0.0 },
        coverage,
        targets,
        uncovered_township_centres,
        stations_without_gain,
        by_district,
        by_phase: by_phase(sites, &cfg.phases.years),
        rule_counts,
        upper_bound: ub,
        newly_covered_weight: got,
        optimality_gap: if ub > 0.0 { (ub - got) / ub } else { 0.0 },
        radio_models,
        inputs: a.raw.inputs(),
        config: config_json(cfg, a.source),
        notes,
    }
}

/// The config as JSON, with the file it came from under `source`.
fn config_json(cfg: &Config, source: &ConfigSource) -> serde_json::Value {
    let mut v = serde_json::to_value(cfg).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut v {
        map.insert("source".into(), serde_json::Value::String(source.label()));
    }
    v
}
