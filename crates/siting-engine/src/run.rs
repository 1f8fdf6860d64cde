//! The pipeline, stage by stage: load → prepare → coverage → search rings →
//! instance → solve → assemble. Each stage is a function of the ones before
//! it, so `siting score` reuses load, prepare and coverage alone.

use crate::config::{Config, ConfigSource};
use crate::coverage::{radio_models, Radio};
use crate::inputs::{DemandOverride, RawLayers};
use crate::outcome::{assemble, Assembly};
use crate::prepare::{prepare, Prepared};
use crate::problem::instance;
use crate::rings::{left_unserved, ring_tower, search_rings, unservable, Ring};
use crate::EngineError;
use siting_index::PointIndex;
use siting_plan::Outcome;
use siting_rules::Catalogue;
use std::path::PathBuf;
use std::time::Instant;

/// What a run produces, before anything is written.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// The plan, its report and the demand's coverage.
    pub outcome: Outcome,
    /// Input files a write must never replace.
    pub inputs: Vec<PathBuf>,
    /// Seconds spent per stage, for progress logs and benchmarks.
    pub timings: Vec<(&'static str, f64)>,
    /// What the maps draw (`map.svg`, `map.png`, `report.html`).
    pub map: siting_map::MapLayers,
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
    pub sets: Vec<Vec<Vec<u32>>>,
}

/// Stage 3: coverage sets of every site of the model, in parallel.
pub fn cover(loaded: &Loaded, prep: &Prepared) -> Covered {
    let index = PointIndex::new(prep.items.xy.iter().copied());
    let all: Vec<usize> = (0..prep.model.sites.len()).collect();
    let sets = loaded.radio.coverage(prep, &index, &all);
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
        let sets = loaded.radio.coverage(prep, &covered.index, &added);
        covered.sets.extend(sets);
    }
    Ok(rings)
}

/// Runs the pipeline from a config; writes nothing.
pub fn run(source: &ConfigSource) -> Result<RunOutput, EngineError> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, f64)>| {
        timings.push((name, clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };
    let catalogue = Catalogue::embedded()?;
    let loaded = load(source, None)?;
    lap("read", &mut timings);
    let mut prep = prepare(&loaded.cfg, &loaded.config_file, &loaded.raw)?;
    lap("model, indices, rules", &mut timings);
    let mut covered = cover(&loaded, &prep);
    lap("coverage", &mut timings);
    let short = unservable(&prep, &covered.sets);
    let mut rings = rings(&loaded, &mut prep, &mut covered, &short, 1)?;
    lap("search rings", &mut timings);
    let demand_file = &loaded.raw.demand.file;
    let mut inst = instance(&loaded.cfg, &prep, &covered.sets, demand_file)?;
    let mut solution = siting_optimize::solve(&inst.problem, &inst.params)?;
    // Where a requirement is still short because every site that reaches
    // its demand is full, a second round of rings and towers, then the solve again.
    if loaded.cfg.objective.search_rings {
        let left = left_unserved(
            &prep,
            &covered.sets,
            &inst.choice_site,
            &inst.problem,
            &solution,
        );
        if !left.is_empty() {
            let more = self::rings(&loaded, &mut prep, &mut covered, &left, rings.len() + 1)?;
            rings.extend(more);
            inst = instance(&loaded.cfg, &prep, &covered.sets, demand_file)?;
            solution = siting_optimize::solve(&inst.problem, &inst.params)?;
        }
    }
    lap("optimise", &mut timings);
    let outcome = assemble(Assembly {
        cfg: &loaded.cfg,
        config_file: &loaded.config_file,
        raw: &loaded.raw,
        prep: &prep,
        catalogue: &catalogue,
        models: &loaded.radio.models,
        sets: &covered.sets,
        instance: &inst,
        solution: &solution,
        rings: &rings,
    });
    let map = crate::map::run_layers(&loaded.cfg, &prep, &outcome, &rings);
    lap("assemble", &mut timings);
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
        map,
    })
}
