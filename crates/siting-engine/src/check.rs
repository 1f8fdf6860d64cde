//! `siting check`: a written plan checked against every rule and target,
//! from the config's layers and the written files alone.
//!
//! The pass trusts nothing the optimiser kept: it reloads the layers (after
//! `siting plan`, [`check_prepared`] starts instead from a copy of the
//! layers as that run read and prepared them before planning: the same
//! files, not read twice), re-judges every plan site at the position the
//! plan gives it with the tenants it has after the plan, recomputes each
//! site's costs, its EIA authority, its phase against R8's lead time, R1's
//! share against the existing sites still free after the plan, and
//! recomputes the target figures (T1, T2, T3, T4 and the 4G total) from
//! plan.geojson and the layers, comparing them with report.json.

use crate::config::ConfigSource;
use crate::outcome::eia_authority;
use crate::prepare::{prepare, Prepared};
use crate::run::{load, BeforePlan, Loaded};
use crate::sharing_first::{Reach, ShareScratch};
use crate::EngineError;
use serde::Serialize;
use siting_coverage::ItemSet;
use siting_model::{Operator, OperatorSet, PerOperator, Site, SiteKind, SiteOrigin};
use siting_plan::{read_plan, Origin, PlanSite, Sharing};
use siting_rules::judge;
use std::collections::HashMap;
use std::path::Path;

/// One broken rule or contradicted figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The plan site, or `None` for a plan-wide figure.
    pub site_id: Option<String>,
    /// The rule or target (`R3`, `T3`, …).
    pub rule: String,
    /// Why, with figures.
    pub why: String,
}

/// What the check found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// The plan file checked.
    pub plan: String,
    /// The rule book applied.
    pub book: String,
    /// Plan sites checked.
    pub sites: u64,
    /// Checks made (site rules and figures).
    pub checks: u64,
    /// Every violation, sites in plan order, then figures.
    pub violations: Vec<Violation>,
}

/// Checks the plan at `plan` (a folder with plan.geojson and report.json, or
/// a plan.geojson whose report.json, if any, lies beside it).
pub fn check(source: &ConfigSource, plan: &Path) -> Result<CheckReport, EngineError> {
    let loaded = load(source, None)?;
    let prep = prepare(&loaded.cfg, &loaded.config_file, &loaded.raw)?;
    check_layers(&loaded, prep, plan)
}

/// [`check`] from the layers a run read and prepared before planning
/// ([`RunOptions::keep_for_check`](crate::RunOptions::keep_for_check)),
/// for the plan that run wrote at `plan`: the same as reading the same
/// files again, without doing so.
pub fn check_prepared(before: &BeforePlan, plan: &Path) -> Result<CheckReport, EngineError> {
    check_layers(&before.loaded, before.prep.clone(), plan)
}

/// The check of the plan at `plan` against `loaded` and its layers as
/// prepared, `prep`, to which it adds the plan's ring towers.
fn check_layers(
    loaded: &Loaded,
    mut prep: Prepared,
    plan: &Path,
) -> Result<CheckReport, EngineError> {
    let cfg = &loaded.cfg;
    // The scoring of T4 below starts from the layers as they are, before
    // this check adds the plan's ring towers.
    let fresh = prep.clone();
    let plan_file = if plan.is_dir() {
        plan.join("plan.geojson")
    } else {
        plan.to_path_buf()
    };
    let label = plan_file.display().to_string();
    let sites = read_plan(&plan_file)?;
    let mut out = CheckReport {
        plan: label.clone(),
        book: cfg.book.file.clone(),
        sites: sites.len() as u64,
        checks: 0,
        violations: Vec::new(),
    };
    let flag = |out: &mut CheckReport, site: Option<&str>, rule: &str, why: String| {
        out.violations.push(Violation {
            site_id: site.map(String::from),
            rule: rule.to_string(),
            why,
        });
    };
    let by_id: HashMap<String, usize> = prep
        .model
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let proj = siting_crs::Projector::new(&prep.model.metric_crs)?;
    let first_year = cfg.phases.years.first().copied().unwrap_or(0);

    // Each plan site, as the plan places it, judged afresh.
    let mut judged: Vec<Option<usize>> = Vec::with_capacity(sites.len());
    for ps in &sites {
        let id = ps.site_id.as_str();
        let Ok(kind) = ps.kind.parse::<SiteKind>() else {
            flag(
                &mut out,
                Some(id),
                "layers",
                format!("unknown kind {:?}", ps.kind),
            );
            judged.push(None);
            continue;
        };
        let (x, y) = proj.to_metric(ps.lonlat.lon, ps.lonlat.lat)?;
        let site = match by_id.get(id) {
            Some(&i) => {
                let layer = &prep.model.sites[i];
                if layer.tenants != ps.tenants_before {
                    flag(
                        &mut out,
                        Some(id),
                        "layers",
                        format!(
                            "tenants_before {:?} differ from the layer's {:?}",
                            ps.tenants_before.codes(),
                            layer.tenants.codes()
                        ),
                    );
                }
                if (layer.origin == SiteOrigin::Existing) != (ps.origin == Origin::Existing) {
                    flag(
                        &mut out,
                        Some(id),
                        "layers",
                        "origin differs from the layer's".into(),
                    );
                }
                Site {
                    kind,
                    xy: siting_model::XyM { x, y },
                    lonlat: ps.lonlat,
                    height_m: ps.height_m,
                    ..layer.clone()
                }
            }
            None if ps.site_acquisition && ps.origin == Origin::New => Site {
                id: ps.site_id.clone(),
                origin: SiteOrigin::Candidate,
                kind,
                xy: siting_model::XyM { x, y },
                lonlat: ps.lonlat,
                height_m: ps.height_m,
                capacity: cfg.site_defaults.capacity.get(kind),
                tenants: OperatorSet::EMPTY,
                technologies: PerOperator::default(),
                public_building: false,
                load_capacity_kg: None,
                name: None,
                venue: None,
                footprint_m: None,
            },
            None => {
                flag(
                    &mut out,
                    Some(id),
                    "layers",
                    format!(
                        "in none of the config's site layers ({}, {})",
                        loaded.raw.sites_existing.file, loaded.raw.candidates.file
                    ),
                );
                judged.push(None);
                continue;
            }
        };
        let around = prep.surroundings(cfg, &site);
        let v = judge(&site, &around, &cfg.book, &cfg.costs);
        let after = ps.tenants_after();
        out.checks += 9;
        if let Some(e) = &v.excluded {
            flag(
                &mut out,
                Some(id),
                e.rule,
                format!("new antennas on a site the rule excludes: {}", e.reason),
            );
        }
        if ps.origin == Origin::New && !ps.tenants_before.is_empty() {
            flag(
                &mut out,
                Some(id),
                "R2",
                "a new site lists tenants before the plan".into(),
            );
        }
        if let (Some(r6), Some(d)) = (&cfg.book.params.r6, around.sensitive_m) {
            let need = r6.distance_m(kind, after.len() as u32);
            if after.len() as u32 > v.emf_tenants.unwrap_or(u32::MAX) {
                flag(
                    &mut out,
                    Some(id),
                    "R6",
                    format!(
                        "{} tenants sum to {:.0} W EIRP, whose GB 8702-2014 compliance distance is {need:.1} m, but a sensitive zone lies {d:.1} m from the antenna",
                        after.len(),
                        r6.tenant_eirp_w(kind) * after.len() as f64
                    ),
                );
            }
        }
        if after.len() > v.capacity as usize && v.excluded.is_none() {
            let rule = if v.rules.contains(&"R5") {
                "R5"
            } else {
                "capacity"
            };
            flag(
                &mut out,
                Some(id),
                rule,
                format!(
                    "{} tenants after the plan on a site that holds {}",
                    after.len(),
                    v.capacity
                ),
            );
        }
        if v.camouflage && !ps.camouflage {
            flag(
                &mut out,
                Some(id),
                "R3",
                "stands in a protected zone but is not camouflaged".into(),
            );
        }
        if v.notice_board && !ps.notice_board {
            flag(
                &mut out,
                Some(id),
                "R6",
                "in or near a sensitive zone but posts no notice board".into(),
            );
        }
        if v.planning_approval != ps.planning_approval {
            flag(
                &mut out,
                Some(id),
                "R8",
                format!(
                    "planning_approval is {}, the rule says {}",
                    ps.planning_approval, v.planning_approval
                ),
            );
        }
        if let (true, Some(r8)) = (v.planning_approval, &cfg.book.params.r8) {
            let earliest = r8.earliest_year(first_year);
            if ps.phase < earliest {
                flag(
                    &mut out,
                    Some(id),
                    "R8",
                    format!(
                        "a new tower in phase {} though planning approval takes {} months (not before {earliest})",
                        ps.phase, r8.lead_time_months
                    ),
                );
            }
        }
        let district = prep
            .district_at([x, y])
            .map(|d| prep.model.districts[d as usize].name.clone())
            .unwrap_or_default();
        let authority = eia_authority(cfg, v.eia, &district, ps.phase);
        if authority != ps.eia_authority {
            flag(
                &mut out,
                Some(id),
                "R9",
                format!(
                    "eia_authority is {:?}, the rule routes it to {authority:?}",
                    ps.eia_authority
                ),
            );
        }
        let mut build = 0.0;
        for op in ps.stations_added.iter() {
            build += if ps.origin == Origin::New {
                0.0
            } else if ps.tenants_before.contains(op) {
                v.overlay_yuan.round()
            } else {
                v.co_location_yuan.round()
            };
        }
        if ps.origin == Origin::New {
            build += v.build_yuan.round()
                + if ps.site_acquisition {
                    cfg.costs.site_acquisition_yuan.round()
                } else {
                    0.0
                };
        }
        if (build - ps.build_cost_yuan).abs() > 1.0 {
            let rule = if v.camouflage { "R3" } else { "R4" };
            flag(
                &mut out,
                Some(id),
                rule,
                format!(
                    "build_cost_yuan is {}, the rules' costs (camouflage R3, fees R4, works) give {build}",
                    ps.build_cost_yuan
                ),
            );
        }
        let equipment = v.equipment_yuan.round() * ps.stations_added.len() as f64;
        if (equipment - ps.station_cost_yuan).abs() > 1.0 {
            flag(
                &mut out,
                Some(id),
                "costs",
                format!(
                    "station_cost_yuan is {}, the equipment costs give {equipment}",
                    ps.station_cost_yuan
                ),
            );
        }
        let index = match by_id.get(id) {
            Some(&i) => {
                prep.verdicts[i] = v;
                i
            }
            None => match prep.add_candidate(cfg, site, true)? {
                Some(i) => i,
                None => {
                    flag(
                        &mut out,
                        Some(id),
                        "layers",
                        "lies outside every district".into(),
                    );
                    judged.push(None);
                    continue;
                }
            },
        };
        judged.push(Some(index));
    }

    sharing_first(loaded, &prep, &sites, &judged, &mut out);
    figures(loaded, &prep, fresh, &sites, plan, &mut out)?;
    out.violations.sort_by_key(|v| v.site_id.is_none());
    Ok(out)
}

/// R1 after the plan: no new site serves an operator where one existing
/// site still free for it covers `min_share` of what the new site newly
/// covers for it.
fn sharing_first(
    loaded: &crate::run::Loaded,
    prep: &Prepared,
    sites: &[PlanSite],
    judged: &[Option<usize>],
    out: &mut CheckReport,
) {
    let Some(r1) = &loaded.cfg.book.params.r1 else {
        return;
    };
    let m = &prep.model;
    let mut after: Vec<OperatorSet> = m.sites.iter().map(|s| s.tenants).collect();
    let mut lte: Vec<OperatorSet> = m.sites.iter().map(|s| s.lte()).collect();
    // (after the plan: an operator with 4G on a site can add nothing there)
    let mut needed: Vec<usize> = (0..prep.n_existing).collect();
    for (ps, j) in sites.iter().zip(judged) {
        if let Some(i) = *j {
            after[i] = after[i].union(ps.stations_added);
            lte[i] = lte[i].union(ps.stations_added);
            needed.push(i);
        }
    }
    needed.sort_unstable();
    needed.dedup();
    let index = siting_index::PointIndex::new(prep.items.xy.iter().copied());
    let sets = loaded.radio.coverage(prep, &index, &needed);
    let at: HashMap<usize, usize> = needed.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let n = prep.items.len();
    // Covered before the plan, by the operators' existing 4G.
    let mut before = PerOperator::from_fn(|_| vec![false; n]);
    for i in 0..prep.n_existing {
        for op in m.sites[i].lte().iter() {
            for &d in sets[at[&i]][op.index()].iter() {
                before[op][d as usize] = true;
            }
        }
    }
    let existing: Vec<Vec<ItemSet>> = (0..prep.n_existing).map(|i| sets[at[&i]].clone()).collect();
    let usable = |s: usize, op: Operator| {
        let v = &prep.verdicts[s];
        v.excluded.is_none()
            && !lte[s].contains(op)
            && (after[s].contains(op) || (after[s].len() as u8) < v.capacity)
    };
    let reach = Reach::new(&existing, n, &usable);
    let cells = prep.items.cells;
    let weight = |d: u32| {
        if (d as usize) < cells {
            prep.items.residents[d as usize]
        } else {
            0.0
        }
    };
    let mut scratch = ShareScratch::default();
    for (ps, j) in sites.iter().zip(judged) {
        let Some(i) = *j else { continue };
        if ps.origin != Origin::New {
            continue;
        }
        for op in ps.stations_added.iter() {
            out.checks += 1;
            // What the station newly covers for the operator.
            let new: Vec<u32> = sets[at[&i]][op.index()]
                .iter()
                .copied()
                .filter(|&d| !before[op][d as usize])
                .collect();
            let (best, share) =
                reach.best_in(&mut scratch, op, &new, &weight, &|d| (d as usize) >= cells);
            if share >= r1.min_share {
                let other = best
                    .map(|s| m.sites[s as usize].id.clone())
                    .unwrap_or_default();
                out.violations.push(Violation {
                    site_id: Some(ps.site_id.clone()),
                    rule: "R1".into(),
                    why: format!(
                        "existing site {other}, still free for {}, covers {:.1}% of what this new site newly covers for it (R1 allows less than {:.0}%)",
                        op.code(),
                        share * 100.0,
                        r1.min_share * 100.0
                    ),
                });
            }
        }
    }
}

/// The target figures from plan.geojson and the layers against report.json.
fn figures(
    loaded: &crate::run::Loaded,
    prep: &Prepared,
    fresh: Prepared,
    sites: &[PlanSite],
    plan: &Path,
    out: &mut CheckReport,
) -> Result<(), EngineError> {
    let dir = if plan.is_dir() {
        plan.to_path_buf()
    } else {
        plan.parent().unwrap_or(Path::new(".")).to_path_buf()
    };
    let report_file = dir.join("report.json");
    let Ok(text) = std::fs::read_to_string(&report_file) else {
        return Ok(());
    };
    let bad = |message: String| EngineError::Config {
        file: report_file.display().to_string(),
        message,
    };
    let r: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not JSON: {e}")))?;
    let num = |path: &[&str]| -> Option<f64> {
        let mut v = &r;
        for k in path {
            v = v.get(k)?;
        }
        v.as_f64()
    };
    let compare =
        |out: &mut CheckReport, rule: &str, what: &str, path: &[&str], value: f64, tol: f64| {
            out.checks += 1;
            match num(path) {
                Some(reported) if (reported - value).abs() <= tol => {}
                Some(reported) => out.violations.push(Violation {
                    site_id: None,
                    rule: rule.into(),
                    why: format!(
                        "{what}: report.json says {reported}, the plan and layers give {value}"
                    ),
                }),
                None => out.violations.push(Violation {
                    site_id: None,
                    rule: rule.into(),
                    why: format!("{what}: report.json has no {}", path.join(".")),
                }),
            }
        };
    let m = &prep.model;
    let existing = &m.sites[..prep.n_existing];
    let sharing = Sharing::of(
        existing.len() as u64,
        existing.iter().filter(|s| s.shared()).count() as u64,
        existing.iter().map(|s| s.tenants.len() as u64).sum(),
        sites,
    );
    compare(
        out,
        "T3",
        "sharing rate after the plan",
        &["sharing", "rate_after"],
        sharing.rate_after,
        1e-9,
    );
    compare(
        out,
        "T3",
        "sites after the plan",
        &["sharing", "sites_after"],
        sharing.sites_after as f64,
        0.0,
    );
    compare(
        out,
        "T3",
        "shared sites after the plan",
        &["sharing", "shared_after"],
        sharing.shared_after as f64,
        0.0,
    );
    let t = &loaded.cfg.targets;
    if let Some(checks) = r.get("targets").and_then(|v| v.as_array()) {
        for c in checks {
            let id = c.get("id").and_then(|v| v.as_str()).unwrap_or("");
            let met = c.get("met").and_then(|v| v.as_bool());
            let expected = match id {
                "T3" => Some(sharing.rate_after > t.min_sharing_rate),
                _ => None,
            };
            if let (Some(e), Some(m)) = (expected, met) {
                out.checks += 1;
                if e != m {
                    out.violations.push(Violation {
                        site_id: None,
                        rule: id.into(),
                        why: format!("report.json says met = {m}, the plan's figures say {e}"),
                    });
                }
            }
        }
    }
    let new_sites = sites.iter().filter(|s| s.origin == Origin::New).count() as f64;
    compare(
        out,
        "T1",
        "new sites",
        &["new_sites", "total"],
        new_sites,
        0.0,
    );
    let infra: f64 = sites.iter().map(|s| s.build_cost_yuan).sum();
    compare(
        out,
        "T2",
        "infrastructure investment, yuan",
        &["investment_yuan", "infrastructure"],
        infra,
        1.0,
    );
    let lte_before: u64 = existing.iter().map(|s| s.lte().len() as u64).sum();
    let added: u64 = sites.iter().map(|s| s.stations_added.len() as u64).sum();
    compare(
        out,
        "T4.lte",
        "4G stations before the plan",
        &["lte_stations_total", "before"],
        lte_before as f64,
        0.0,
    );
    compare(
        out,
        "T4.lte",
        "4G stations after the plan",
        &["lte_stations_total", "after"],
        (lte_before + added) as f64,
        0.0,
    );
    // T4's coverage, recomputed by `siting score` on the config's demand.
    let score = crate::score::score_sites(loaded, fresh, sites, &out.plan.clone())?;
    for op in Operator::ALL {
        let c = &score.coverage[op];
        compare(
            out,
            "T4",
            &format!("{} main-urban share covered", op.code()),
            &["coverage", op.code(), "main_urban_share_after"],
            c.main_urban_share_after,
            1e-9,
        );
        compare(
            out,
            "T4",
            &format!("{} township centres covered", op.code()),
            &["coverage", op.code(), "township_centres_covered_after"],
            c.township_centres_covered_after as f64,
            0.0,
        );
    }
    Ok(())
}
