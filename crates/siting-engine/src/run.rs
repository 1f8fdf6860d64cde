//! The pipeline, stage by stage: load → prepare → coverage → search rings →
//! instance → solve → assemble. Each stage is a function of the ones before
//! it, so `siting score` reuses load, prepare and coverage alone.

use crate::config::{Config, ConfigSource};
use crate::coverage::{radio_models, Radio};
use crate::inputs::{DemandOverride, RawLayers};
use crate::outcome::{assemble, Assembly};
use crate::prepare::{prepare, Prepared};
use crate::problem::{capacity_model, instance, with_capacity};
use crate::progress::{stage, Progress, Silent, Stage};
use crate::rings::{left_unserved, ring_tower, search_rings, unservable, Ring};
use crate::EngineError;
use siting_coverage::ItemSet;
use siting_index::PointIndex;
use siting_plan::Outcome;
use std::path::PathBuf;
use std::time::Duration;

/// What a run may be told beyond its config.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunOptions {
    /// Wall-clock cap on the optimiser's local search, per solve, if any
    /// (`siting plan --time-limit`). The search counts its work in trials;
    /// the cap only stops it early, and the plan is then no longer
    /// guaranteed to be the same from run to run.
    pub time_limit: Option<Duration>,
    /// Work budget of the local search, in trials (default
    /// [`siting_optimize::problem::DEFAULT_SEARCH_MOVES`]); 0 turns it off.
    pub search_moves: Option<u64>,
    /// Keep the layers as read and prepared, before planning, in
    /// [`RunOutput::before_plan`], for [`check_prepared`](crate::check::check_prepared)
    /// of the plan written (`siting plan` without `--no-check`): a copy of
    /// the prepared layers stays in memory through the run.
    pub keep_for_check: bool,
}

/// The layers of a run as read and prepared, before planning changed them
/// (no search-ring tower added), without the demand's raw features (the
/// prepared demand holds them).
pub struct BeforePlan {
    /// The config and the layers as read.
    pub loaded: Loaded,
    /// The layers prepared.
    pub prep: Prepared,
}

impl std::fmt::Debug for BeforePlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BeforePlan")
            .field("config_file", &self.loaded.config_file)
            .field("sites", &self.prep.model.sites.len())
            .field("demand_items", &self.prep.items.len())
            .finish()
    }
}

fn log_search(solution: &siting_optimize::Solution) {
    if let Some(c) = &solution.capacity {
        for (op, rows) in siting_model::Operator::ALL.iter().zip(&c.traffic) {
            for (y, t) in rows.iter().enumerate() {
                tracing::info!(
                    "traffic {op} year {}: covered {:.0} Mbit/s, served {:.0} ({:.2}%), uncovered {:.0}",
                    y + 1,
                    t.covered_bps as f64 / 1e6,
                    t.served_bps as f64 / 1e6,
                    100.0 * t.served_share(),
                    t.uncovered_bps as f64 / 1e6
                );
            }
        }
        tracing::info!(
            "capacity: {} stations added, {} brought forward",
            c.added,
            c.brought_forward
        );
    }
    let s = &solution.search;
    tracing::info!(
        "local search: {} moves tried, {} kept{}; bound {} ({})",
        s.moves,
        s.improvements,
        if s.time_limit_reached {
            ", stopped by the time limit"
        } else {
            ""
        },
        solution.bound.value,
        solution.bound.method
    );
}

/// What a run produces, before anything is written.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// The plan, its report and the demand's coverage.
    pub outcome: Outcome,
    /// Input files a write must never replace.
    pub inputs: Vec<PathBuf>,
    /// Seconds spent per stage ([`Stage::name`]), for progress logs and benchmarks.
    pub timings: Vec<(&'static str, f64)>,
    /// R6's EIRP of one base station by site kind, dBm (for the approval lists).
    pub eirp_dbm: Option<siting_rules::KindCosts>,
    /// What the maps draw (`map.svg`, `map.png`, `report.html`).
    pub map: siting_map::MapLayers,
    /// With [`RunOptions::keep_for_check`], the layers before planning.
    pub before_plan: Option<std::sync::Arc<BeforePlan>>,
}

/// The config, parsed once, and every layer it names.
pub struct Loaded {
    /// The config.
    pub cfg: Config,
    /// Its name in errors and reports.
    pub config_file: String,
    /// The layers as read.
    pub raw: RawLayers,
    /// The operators' radio.
    pub radio: Radio,
}

/// Stage 1: the config and its layers (the demand from `demand` where given).
pub fn load(source: &ConfigSource, demand: Option<&DemandOverride>) -> Result<Loaded, EngineError> {
    let (cfg, bytes) = Config::load(source)?;
    let config_file = source.label();
    let raw = RawLayers::read(&cfg, source, &bytes, demand)?;
    let dem = raw.dem.as_ref().map(|(_, g)| g);
    let models = radio_models(&cfg, &config_file, dem)?;
    let radio = Radio::new(models, dem);
    Ok(Loaded {
        cfg,
        config_file,
        raw,
        radio,
    })
}

/// The coverage stage: the R-tree over the items and every site's coverage sets.
pub struct Covered {
    /// R-tree over the items' metric positions.
    pub index: PointIndex,
    /// Per site, per operator, the covered items.
    pub sets: Vec<Vec<ItemSet>>,
}

/// Stage 3: coverage sets of every site of the model, in parallel.
pub fn cover(loaded: &Loaded, prep: &Prepared) -> Covered {
    cover_with(loaded, prep, &Silent)
}

/// [`cover`], telling `progress` of each site done.
pub fn cover_with(loaded: &Loaded, prep: &Prepared, progress: &dyn Progress) -> Covered {
    let index = PointIndex::new(prep.items.xy.iter().copied());
    let all: Vec<usize> = (0..prep.model.sites.len()).collect();
    let sets = loaded
        .radio
        .coverage_with(prep, &index, &all, &|| progress.advance(1));
    Covered { index, sets }
}

/// Stage 4: search rings around `short` items (numbered from `first_id`),
/// and with `objective.search_rings`, a candidate tower at each ring's
/// centre with its coverage.
pub fn rings(
    loaded: &Loaded,
    prep: &mut Prepared,
    covered: &mut Covered,
    short: &[(u32, siting_model::OperatorSet)],
    first_id: usize,
) -> Result<Vec<Ring>, EngineError> {
    rings_with(loaded, prep, covered, short, first_id, &Silent)
}

/// [`rings`], telling `progress` of the towers' coverage (in sites).
pub fn rings_with(
    loaded: &Loaded,
    prep: &mut Prepared,
    covered: &mut Covered,
    short: &[(u32, siting_model::OperatorSet)],
    first_id: usize,
    progress: &dyn Progress,
) -> Result<Vec<Ring>, EngineError> {
    let rings = search_rings(&loaded.cfg, prep, &loaded.radio.models, short, first_id)?;
    if loaded.cfg.objective.search_rings {
        let mut added = Vec::new();
        for r in &rings {
            if let Some(i) =
                prep.add_candidate(&loaded.cfg, ring_tower(&loaded.cfg, prep, r), true)?
            {
                added.push(i);
            }
        }
        let sets = loaded
            .radio
            .coverage_with(prep, &covered.index, &added, &|| progress.advance(1));
        covered.sets.extend(sets);
    }
    Ok(rings)
}

/// Runs the pipeline from a config; writes nothing.
pub fn run(source: &ConfigSource) -> Result<RunOutput, EngineError> {
    run_with(source, &RunOptions::default(), &Silent)
}

/// [`run`], telling `progress` of each stage (load, prepare, coverage,
/// rings, optimise, assemble) and its counts.
pub fn run_with(
    source: &ConfigSource,
    options: &RunOptions,
    progress: &dyn Progress,
) -> Result<RunOutput, EngineError> {
    let mut timings = Vec::new();
    let t = &mut timings;
    let mut loaded = stage(progress, Stage::Load, None, t, || load(source, None))?;
    let mut prep = stage(progress, Stage::Prepare, None, t, || {
        prepare(&loaded.cfg, &loaded.config_file, &loaded.raw)
    })?;
    // The model holds the demand now: its raw features (a map of attributes
    // per point, about 0.4 GB on the 1.3-million-cell instance) are not
    // read again (the layer's file and fingerprint stay).
    loaded.raw.demand.features = Vec::new();
    let kept = options.keep_for_check.then(|| prep.clone());
    let n_sites = prep.model.sites.len() as u64;
    let mut covered = stage(progress, Stage::Coverage, Some(n_sites), t, || {
        cover_with(&loaded, &prep, progress)
    });
    let mut rings = stage(progress, Stage::Rings, None, t, || {
        let short = unservable(&prep, &covered.sets);
        rings_with(&loaded, &mut prep, &mut covered, &short, 1, progress)
    })?;
    let demand_file = &loaded.raw.demand.file;
    let rounds = if loaded.cfg.objective.search_rings {
        2
    } else {
        1
    };
    let traffic =
        crate::traffic::item_traffic(&loaded.cfg, &loaded.config_file, &prep, demand_file)?;
    let inst = stage(progress, Stage::Optimise, Some(rounds), t, || {
        let tune = |params: &mut siting_optimize::Params| {
            params.time_limit = options.time_limit;
            if let Some(m) = options.search_moves {
                params.search_moves = m;
            }
        };
        let step = |what: &str, since: std::time::Instant| {
            let mib = crate::memory::rss_bytes().map_or(0.0, |b| b as f64 / 1_048_576.0);
            tracing::debug!(
                "optimise: {what} in {:.2} s ({mib:.0} MiB resident after it)",
                since.elapsed().as_secs_f64()
            );
            std::time::Instant::now()
        };
        let t0 = std::time::Instant::now();
        let mut inst = instance(&loaded.cfg, &prep, &covered.sets, demand_file, None)?;
        let t0 = step("instance", t0);
        tune(&mut inst.params);
        // The construction (mostly one core: a lazy greedy) beside the
        // traffic side (parallel path losses), which it does not read.
        let (built, capacity) = rayon::join(
            || siting_optimize::construct(&inst.problem, &inst.params),
            || {
                capacity_model(
                    &inst,
                    &loaded.cfg,
                    &prep,
                    &loaded.radio,
                    &covered.sets,
                    traffic.as_ref(),
                    None,
                )
            },
        );
        let built = built?;
        inst.params.capacity = Some(std::sync::Arc::new(capacity));
        let mut t0 = step("construction and capacity model", t0);
        // Where the construction leaves a requirement short because every
        // site that reaches its demand is full, a second round of rings
        // and towers, solved in whole: the first round's plan is not
        // completed (its local search and traffic side would be thrown
        // away), only its construction tells where the rings go.
        let left = if loaded.cfg.objective.search_rings && !built.meets_every_requirement() {
            left_unserved(
                &prep,
                &covered.sets,
                &inst.choice_site,
                &inst.problem,
                &built.stations(),
                &built.requirements_met(),
            )
        } else {
            Vec::new()
        };
        let (mut solution, bounded) = if left.is_empty() {
            // The only round. Without rings, or when the construction
            // meets every requirement (the plan will too), the tight bound
            // (LP or Lagrangian) runs beside the rest of the solve, its step
            // rule aiming at the construction's plan; otherwise after it.
            let beside = !loaded.cfg.objective.search_rings || built.meets_every_requirement();
            let solution = if beside {
                siting_optimize::complete_beside_bound(&inst.problem, &inst.params, built)?
            } else {
                siting_optimize::complete(&inst.problem, &inst.params, built)?
            };
            t0 = step(if beside { "solve and bound" } else { "solve" }, t0);
            progress.advance(rounds);
            (solution, beside)
        } else {
            // The construction's value, for the Lagrangian step rule to aim
            // at (one the second round could reach too: it only has more
            // sites).
            let incumbent = built.value(inst.params.mode);
            drop(built);
            progress.advance(1);
            let more = self::rings(&loaded, &mut prep, &mut covered, &left, rings.len() + 1)?;
            rings.extend(more);
            t0 = step("second round's rings", t0);
            // The first round's instance lends what does not change,
            // and its problem is freed first.
            let carry = inst.carry();
            inst = instance(&loaded.cfg, &prep, &covered.sets, demand_file, Some(&carry))?;
            t0 = step("second round's instance", t0);
            tune(&mut inst.params);
            with_capacity(
                &mut inst,
                &loaded.cfg,
                &prep,
                &loaded.radio,
                &covered.sets,
                traffic.as_ref(),
                Some(carry),
            );
            t0 = step("second round's capacity model", t0);
            let solution =
                siting_optimize::solve_beside_bound(&inst.problem, &inst.params, incumbent)?;
            t0 = step("second round's solve and bound", t0);
            progress.advance(1);
            (solution, true)
        };
        if !bounded {
            siting_optimize::tighten_bound(&inst.problem, &inst.params, &mut solution);
            step("bound", t0);
        }
        log_search(&solution);
        Ok::<_, EngineError>((inst, solution))
    })?;
    let (inst, solution) = inst;
    let outcome = stage(progress, Stage::Assemble, None, t, || {
        assemble(Assembly {
            cfg: &loaded.cfg,
            config_file: &loaded.config_file,
            raw: &loaded.raw,
            prep: &prep,
            catalogue: &loaded.cfg.book,
            models: &loaded.radio.models,
            sets: &covered.sets,
            instance: &inst,
            solution: &solution,
            rings: &rings,
        })
    });
    let map = crate::map::run_layers(&loaded.cfg, &prep, &outcome, &rings);
    let inputs = loaded
        .raw
        .inputs()
        .iter()
        .filter(|i| !i.file.starts_with("embedded:"))
        .map(|i| PathBuf::from(&i.file))
        .collect();
    Ok(RunOutput {
        outcome,
        inputs,
        timings,
        eirp_dbm: loaded
            .cfg
            .book
            .params
            .r6
            .as_ref()
            .map(|r6| r6.eirp_dbm.clone()),
        map,
        before_plan: kept.map(|prep| std::sync::Arc::new(BeforePlan { loaded, prep })),
    })
}
