//! The optimiser's instance from the model, the verdicts and the coverage
//! sets: sites with their options and costs, the coverage requirements of
//! T4, the mode and the sharing floor of T3.

use crate::config::{Config, ModeName};
use crate::prepare::Prepared;
use crate::sharing_first::{Reach, ShareScratch};
use crate::EngineError;
use siting_coverage::ItemSet;
use siting_model::{Operator, PerOperator};
use siting_optimize::{Mode, OtherSites, Params, Problem, Requirement, SiteChoice};

/// Residents are handed to the optimiser in thousandths, as integers.
pub const WEIGHT_SCALE: f64 = 1000.0;

/// What a requirement asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequirementKind {
    /// Every township centre (T4).
    TownshipCentres,
    /// A share of the main urban area's residents (T4).
    MainUrban,
    /// A share of the other residents.
    Rest,
}

impl RequirementKind {
    /// `township_centres`, `main_urban`, `rest`.
    pub fn code(self) -> &'static str {
        match self {
            RequirementKind::TownshipCentres => "township_centres",
            RequirementKind::MainUrban => "main_urban",
            RequirementKind::Rest => "rest",
        }
    }
}

/// The instance and how it maps back onto the model.
pub struct Instance {
    /// The optimiser's problem.
    pub problem: Problem,
    /// How to solve it.
    pub params: Params,
    /// Model site index of each of the problem's sites.
    pub choice_site: Vec<usize>,
    /// Operator and kind of each requirement.
    pub requirements: Vec<(Operator, RequirementKind)>,
    /// Per operator and item, covered by 4G before the plan.
    pub covered_before: PerOperator<Vec<bool>>,
    /// R1's blockers per candidate (model index; see [`r1_blockers`]).
    pub blockers: std::collections::BTreeMap<usize, Vec<Vec<u32>>>,
    /// How many model sites there were when it was built.
    pub model_sites: usize,
}

/// What a later round takes over from an instance
/// ([`Instance::carry`]): the parts a round of ring towers cannot change,
/// without the problem itself (freed before the next is built).
pub struct Carry {
    /// R1's blockers per candidate (model index).
    pub blockers: std::collections::BTreeMap<usize, Vec<Vec<u32>>>,
    /// How many model sites there were.
    pub model_sites: usize,
    /// Model site index of each of the problem's sites.
    pub choice_site: Vec<usize>,
    /// The traffic side, if it had one.
    pub capacity: Option<siting_optimize::Capacity>,
}

impl Instance {
    /// The parts of this instance a later round can reuse; the rest is
    /// dropped.
    pub fn carry(self) -> Carry {
        Carry {
            blockers: self.blockers,
            model_sites: self.model_sites,
            choice_site: self.choice_site,
            capacity: self
                .params
                .capacity
                .map(|c| std::sync::Arc::try_unwrap(c).unwrap_or_else(|shared| (*shared).clone())),
        }
    }
}

/// Whole yuan.
fn yuan(x: f64) -> u64 {
    x.round() as u64
}

/// Builds the instance. `sets[i]` is site `i`'s coverage per operator.
/// With `previous`, an instance built before the model gained more
/// candidates (a later round's ring towers, appended), R1's blockers of
/// the sites it knew are taken from it: they depend only on the existing
/// sites, which do not change, and on the candidate itself.
pub fn instance(
    cfg: &Config,
    prep: &Prepared,
    sets: &[Vec<ItemSet>],
    demand_file: &str,
    previous: Option<&Carry>,
) -> Result<Instance, EngineError> {
    let items = &prep.items;
    let n = items.len();
    let mut covered_before = PerOperator::from_fn(|_| vec![false; n]);
    for (i, site) in prep.model.sites.iter().enumerate() {
        for op in site.lte().iter() {
            for &d in sets[i][op.index()].iter() {
                covered_before[op][d as usize] = true;
            }
        }
    }
    let scaled = |r: f64| (r * WEIGHT_SCALE).round() as u64;
    let town_weight = match cfg.objective.mode {
        ModeName::Targets => 0,
        _ => scaled(cfg.objective.township_centre_weight),
    };
    let weights: Vec<u64> = items
        .residents
        .iter()
        .map(|&r| scaled(r))
        .chain(std::iter::repeat_n(town_weight, items.townships()))
        .collect();
    if weights
        .iter()
        .try_fold(0u64, |a, w| a.checked_add(*w))
        .is_none_or(|t| t > u64::MAX / 4)
    {
        return Err(EngineError::Config {
            file: demand_file.to_string(),
            message: "residents (with the township-centre weight) add up to more than 4.6e12; scale them down".into(),
        });
    }

    // R1: per candidate and operator, the existing sites that would give
    // the operator min_share of the candidate's new coverage.
    let from = previous.map_or(prep.n_existing, |p| p.model_sites);
    let mut blocking = r1_blockers_from(cfg, prep, sets, &covered_before, from);
    if let Some(p) = previous {
        blocking.extend(p.blockers.iter().map(|(&i, b)| (i, b.clone())));
    }
    let mut choice_site = Vec::new();
    let mut sites = Vec::new();
    let mut other = OtherSites::default();
    for (i, (site, v)) in prep.model.sites.iter().zip(&prep.verdicts).enumerate() {
        let existing = i < prep.n_existing;
        if v.excluded.is_some() {
            if existing {
                other.sites += 1;
                other.shared += site.shared() as u64;
            }
            continue;
        }
        let acquisition = if prep.site_acquisition[i] {
            cfg.costs.site_acquisition_yuan
        } else {
            0.0
        };
        let equipment = yuan(v.equipment_yuan);
        choice_site.push(i);
        sites.push(SiteChoice {
            existing,
            tenants: site.tenants.bits(),
            lte: site.lte().bits(),
            capacity: v.capacity.max(site.tenants.len() as u8),
            allowed: 0b111,
            build_cost_yuan: if existing {
                0
            } else {
                yuan(v.build_yuan) + yuan(acquisition)
            },
            overlay_cost_yuan: yuan(v.overlay_yuan) + equipment,
            tenant_cost_yuan: yuan(v.co_location_yuan) + equipment,
            coverage: sets[i].clone(),
        });
    }

    let t = &cfg.targets;
    let mut requirements = Vec::new();
    let mut kinds = Vec::new();
    let cells = items.cells;
    let share_of = |pick: &dyn Fn(usize) -> bool, share: f64| -> Option<(Vec<(u32, u64)>, u64)> {
        let list: Vec<(u32, u64)> = (0..cells)
            .filter(|&d| pick(d) && weights[d] > 0)
            .map(|d| (d as u32, weights[d]))
            .collect();
        let total: u64 = list.iter().map(|(_, w)| *w).sum();
        (share > 0.0 && total > 0).then(|| (list, (share * total as f64).ceil() as u64))
    };
    for op in Operator::ALL {
        let o = op.index();
        if t.township_centres && items.townships() > 0 {
            requirements.push(Requirement {
                operator: o,
                items: (cells..n).map(|d| (d as u32, 1)).collect(),
                min_weight: items.townships() as u64,
            });
            kinds.push((op, RequirementKind::TownshipCentres));
        }
        if let Some((list, min)) = share_of(&|d| items.main_urban[d], t.main_urban_min_share) {
            requirements.push(Requirement {
                operator: o,
                items: list,
                min_weight: min,
            });
            kinds.push((op, RequirementKind::MainUrban));
        }
        if let Some((list, min)) = share_of(&|d| !items.main_urban[d], t.rest_min_share) {
            requirements.push(Requirement {
                operator: o,
                items: list,
                min_weight: min,
            });
            kinds.push((op, RequirementKind::Rest));
        }
    }

    let budget = cfg.objective.budget_yuan.map(|b| b.floor() as u64);
    let mode = match cfg.objective.mode {
        ModeName::Targets => Mode::Targets,
        ModeName::Budget => Mode::Budget {
            budget_yuan: budget.unwrap_or(0),
        },
        ModeName::Sites => Mode::Sites {
            count: cfg.objective.new_sites.unwrap_or(0),
            budget_yuan: budget,
        },
    };
    let floor = cfg.objective.mode == ModeName::Targets || cfg.objective.sharing_floor;
    let params = Params {
        mode,
        sharing_first: cfg.book.params.r1.is_some(),
        // T3 asks for a rate *above* the figure.
        min_sharing_rate: floor.then(|| (t.min_sharing_rate + 1e-9).min(1.0)),
        ..Params::default()
    };
    Ok(Instance {
        problem: Problem {
            r1_blockers: {
                let choice_of: std::collections::HashMap<usize, u32> = choice_site
                    .iter()
                    .enumerate()
                    .map(|(c, &i)| (i, c as u32))
                    .collect();
                choice_site
                    .iter()
                    .map(|i| match blocking.get(i) {
                        Some(per_op) => per_op
                            .iter()
                            .map(|b| {
                                b.iter()
                                    .filter_map(|e| choice_of.get(&(*e as usize)).copied())
                                    .collect()
                            })
                            .collect(),
                        None => Vec::new(),
                    })
                    .collect()
            },
            // R7: ties go to the preferred kind (the verdict's rank).
            preference_rank: choice_site
                .iter()
                .map(|&i| prep.verdicts[i].preference_rank.min(u8::MAX as u32) as u8)
                .collect(),
            operators: Operator::ALL.len(),
            weights,
            covered_before: covered_before.0.to_vec(),
            sites,
            requirements,
            other_sites: other,
        },
        params,
        choice_site,
        requirements: kinds,
        covered_before,
        blockers: blocking,
        model_sites: prep.model.sites.len(),
    })
}

/// Gives the instance its traffic side ([`crate::traffic::capacity`]):
/// each requirement's year from `[phases]`, the lead times, and with
/// `traffic`, loads and served shares (stations added for them in the
/// `targets` mode). With `previous`, what an earlier round's instance
/// carries over, its traffic side lends what does not change between
/// rounds ([`crate::traffic::capacity`]).
pub fn with_capacity(
    inst: &mut Instance,
    cfg: &Config,
    prep: &Prepared,
    radio: &crate::coverage::Radio,
    sets: &[Vec<ItemSet>],
    traffic: Option<&crate::traffic::ItemTraffic>,
    previous: Option<Carry>,
) {
    let cap = capacity_model(inst, cfg, prep, radio, sets, traffic, previous);
    inst.params.capacity = Some(std::sync::Arc::new(cap));
}

/// The traffic side [`with_capacity`] gives the instance, computed from it
/// without changing it (so that the optimiser's construction, which does
/// not read it, can run beside: [`siting_optimize::construct`]).
pub fn capacity_model(
    inst: &Instance,
    cfg: &Config,
    prep: &Prepared,
    radio: &crate::coverage::Radio,
    sets: &[Vec<ItemSet>],
    traffic: Option<&crate::traffic::ItemTraffic>,
    previous: Option<Carry>,
) -> siting_optimize::Capacity {
    let (old_capacity, old_choice) = match previous {
        Some(c) => (c.capacity, c.choice_site),
        None => (None, Vec::new()),
    };
    let p = &cfg.phases;
    let years: Vec<u8> = inst
        .requirements
        .iter()
        .map(|(_, kind)| {
            let by = match kind {
                RequirementKind::TownshipCentres => p.township_centres_by,
                RequirementKind::MainUrban => p.main_urban_by,
                RequirementKind::Rest => p.coverage_by,
            };
            p.index_of(by) as u8
        })
        .collect();
    crate::traffic::capacity(
        cfg,
        prep,
        radio,
        sets,
        &inst.choice_site,
        traffic,
        years,
        cfg.objective.mode == ModeName::Targets,
        old_capacity.map(|c| (c, old_choice.as_slice())),
    )
}

/// R1 with its share: per candidate index, per operator, the existing
/// sites (model indices) the operator may use before the plan (a free slot,
/// or its own site for an overlay, and no rule against it) that cover at
/// least `min_share` of the residents the candidate would newly cover for
/// it, and every township centre among them. The optimiser keeps the
/// operator off the candidate while one of them can still take it.
pub fn r1_blockers(
    cfg: &Config,
    prep: &Prepared,
    sets: &[Vec<ItemSet>],
    covered_before: &PerOperator<Vec<bool>>,
) -> std::collections::BTreeMap<usize, Vec<Vec<u32>>> {
    r1_blockers_from(cfg, prep, sets, covered_before, prep.n_existing)
}

/// [`r1_blockers`] of the candidates from model index `from` on.
fn r1_blockers_from(
    cfg: &Config,
    prep: &Prepared,
    sets: &[Vec<ItemSet>],
    covered_before: &PerOperator<Vec<bool>>,
    from: usize,
) -> std::collections::BTreeMap<usize, Vec<Vec<u32>>> {
    use rayon::prelude::*;
    let Some(r1) = &cfg.book.params.r1 else {
        return Default::default();
    };
    let m = &prep.model;
    let n_existing = prep.n_existing;
    let usable = |s: usize, op: Operator| {
        let site = &m.sites[s];
        let v = &prep.verdicts[s];
        v.excluded.is_none()
            && !site.lte().contains(op)
            && (site.tenants.contains(op) || (site.tenants.len() as u8) < v.capacity)
    };
    let reach = Reach::new(&sets[..n_existing], prep.items.len(), &usable);
    let cells = prep.items.cells;
    let weight = |d: u32| {
        let d = d as usize;
        if d < cells {
            prep.items.residents[d]
        } else {
            0.0
        }
    };
    (from.max(n_existing)..m.sites.len())
        .into_par_iter()
        .map_init(ShareScratch::default, |scratch, i| {
            if prep.verdicts[i].excluded.is_some() {
                return None;
            }
            let per_op: Vec<Vec<u32>> = Operator::ALL
                .iter()
                .map(|&op| {
                    let new: Vec<u32> = sets[i][op.index()]
                        .iter()
                        .copied()
                        .filter(|&d| !covered_before[op][d as usize])
                        .collect();
                    reach
                        .shares_in(scratch, op, &new, &weight, &|d| (d as usize) >= cells)
                        .into_iter()
                        .filter(|(_, share)| *share >= r1.min_share)
                        .map(|(s, _)| s)
                        .collect()
                })
                .collect();
            per_op.iter().any(|b| !b.is_empty()).then_some((i, per_op))
        })
        .flatten()
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}
