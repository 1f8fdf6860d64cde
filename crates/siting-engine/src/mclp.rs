//! The classic maximal covering location problem from GIS layers: read the
//! candidates and the demand (any supported format and CRS, through
//! [`read_layer`]), project both into the working metric CRS, build each
//! candidate's coverage set (demand points within the radius, inclusive,
//! through an R-tree), solve with `siting_optimize::mclp`, and lay out
//! `sites.geojson` and `result.json`.

use crate::inputs::{read_layer, RawLayer};
use rayon::prelude::*;
use serde_json::{json, Value};
use siting_crs::Projector;
use siting_index::PointIndex;
use siting_layers::{bounds, property, FeatureRef, LayerError, LayerSpec, RawGeometry, Source};
use siting_optimize::mclp::{self, Instance, MclpParams, MclpSolution};
use siting_plan::geojson::round_to;
use siting_plan::InputFile;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What `siting mclp` was asked.
#[derive(Debug, Clone, PartialEq)]
pub struct MclpRequest {
    /// The candidates layer (Points).
    pub candidates: PathBuf,
    /// The demand layer (Points with a weight).
    pub demand: PathBuf,
    /// The demand property holding each point's weight (a number ≥ 0; see
    /// [`WeightScale`] for decimals).
    pub weight_prop: String,
    /// The candidate property holding its id (unique).
    pub id_prop: String,
    /// Coverage radius, metres, in the working metric CRS.
    pub radius_m: f64,
    /// Candidates to choose.
    pub p: usize,
    /// CRS of the input layers where a file declares none (or to override
    /// its own): any PROJ definition, `wgs84`, `gcj02` or `bd09`.
    pub input_crs: Option<String>,
    /// The working metric CRS; `None` to choose it from the extent.
    pub metric_crs: Option<String>,
    /// Wall-clock limit of the solve.
    pub time_limit: Option<Duration>,
    /// Seed of the search.
    pub seed: u64,
}

/// What can stop `siting mclp`; each names the file, feature and problem.
#[derive(Debug, thiserror::Error)]
pub enum MclpRunError {
    /// A layer cannot be read or is not valid.
    #[error(transparent)]
    Engine(#[from] crate::EngineError),
    /// A feature is not valid.
    #[error(transparent)]
    Layer(#[from] LayerError),
    /// The metric CRS cannot be set up or a point not projected.
    #[error("metric CRS: {0}")]
    Crs(#[from] siting_crs::CrsError),
    /// A request that cannot be met.
    #[error("{0}")]
    Request(String),
    /// The solver refused the instance.
    #[error("solver: {0}")]
    Solver(#[from] mclp::MclpError),
}

/// One candidate as read.
#[derive(Debug, Clone, PartialEq)]
pub struct McCandidate {
    /// Its id.
    pub id: String,
    /// WGS84 longitude, latitude, degrees.
    pub lonlat: [f64; 2],
}

/// A solved request.
#[derive(Debug, Clone)]
pub struct MclpRun {
    /// The request.
    pub request: MclpRequest,
    /// The candidates, as read.
    pub candidates: Vec<McCandidate>,
    /// Number of demand points read.
    pub demand_points: usize,
    /// How the weights became the solver's whole units; the solution's
    /// weights are in those units.
    pub weight_scale: WeightScale,
    /// The working metric CRS.
    pub metric_crs: String,
    /// The solution.
    pub solution: MclpSolution,
    /// The inputs' fingerprints.
    pub inputs: Vec<InputFile>,
    /// Seconds: reading and projecting, coverage sets, solving, in all.
    pub seconds: Vec<(&'static str, f64)>,
}

/// Each candidate's coverage set: the demand points within `radius_m`
/// (inclusive) of it, ascending; candidates in parallel, the same at any
/// thread count.
pub fn coverage_sets(
    candidates_m: &[[f64; 2]],
    demand_m: &[[f64; 2]],
    radius_m: f64,
) -> Vec<Vec<u32>> {
    let index = PointIndex::new(demand_m.iter().copied());
    candidates_m
        .par_iter()
        .map(|&c| {
            let mut v: Vec<u32> = index
                .within(c, radius_m)
                .filter(|&(_, d)| d <= radius_m)
                .map(|(i, _)| i)
                .collect();
            v.sort_unstable();
            v
        })
        .collect()
}

fn point(layer: &RawLayer, index: usize, id: Option<String>) -> Result<[f64; 2], LayerError> {
    let f = &layer.features[index];
    match &f.geometry {
        Some(RawGeometry::Point(p)) => Ok(*p),
        other => Err(LayerError::Feature {
            file: layer.file.clone(),
            feature: FeatureRef { index, id },
            problem: match other {
                None => "has no geometry; a Point is required".into(),
                Some(g) => format!("is a {}; a Point is required", g.type_name()),
            },
        }),
    }
}

/// The candidates' ids and positions, checked: Points, ids present and unique.
fn read_candidates(layer: &RawLayer, id_prop: &str) -> Result<Vec<McCandidate>, LayerError> {
    if layer.features.is_empty() {
        return Err(LayerError::Empty {
            file: layer.file.clone(),
        });
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(layer.features.len());
    for (index, f) in layer.features.iter().enumerate() {
        let bad = |problem: String| LayerError::Feature {
            file: layer.file.clone(),
            feature: FeatureRef {
                index,
                id: property::feature_id(&f.properties),
            },
            problem,
        };
        let id = property::required_str(&f.properties, id_prop).map_err(|e| {
            bad(format!(
                "{e} (the candidate id; choose another with --id-prop)"
            ))
        })?;
        let lonlat = point(layer, index, Some(format!("{id_prop}={id}")))?;
        if let Some(first) = seen.insert(id.clone(), index) {
            return Err(bad(format!(
                "duplicate candidate id {id:?}, first seen in feature #{first}"
            )));
        }
        out.push(McCandidate { id, lonlat });
    }
    Ok(out)
}

/// The most decimals a demand weight keeps: finer ones are rounded to
/// this many (and counted in [`WeightScale::rounded`]).
pub const MAX_WEIGHT_DECIMALS: u32 = 6;

/// The most solver units a weight, or all of them together, may have:
/// 2^53, up to which every whole number is exact in `f64`.
pub const EXACT_UNITS: u64 = 1 << 53;

/// Why demand weights cannot be scaled to exact solver units.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
pub struct WeightScaleError {
    /// The weight's index (its feature's), when one weight is at fault.
    pub feature: Option<usize>,
    /// What is wrong.
    pub problem: String,
}

/// How the demand weights (decimal numbers as read) became the whole
/// numbers the solver adds exactly: each is multiplied by
/// 10^[`decimals`](WeightScale::decimals), the fewest decimals that hold
/// every weight as read (at most [`MAX_WEIGHT_DECIMALS`]). Whole weights
/// keep `decimals == 0`, so their figures are the solver's integers.
///
/// ```
/// use siting_engine::mclp::WeightScale;
/// let (scale, units) = WeightScale::of(&[1.5, 2.25, 3.0]).unwrap();
/// assert_eq!(scale.decimals, 2);
/// assert_eq!(units, vec![150, 225, 300]);
/// assert_eq!(scale.weight(375), 3.75);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightScale {
    /// Decimals kept: a solver unit is 10^-decimals of a weight.
    pub decimals: u32,
    /// Weights with more than [`MAX_WEIGHT_DECIMALS`] decimals, rounded to
    /// that many.
    pub rounded: usize,
}

impl WeightScale {
    /// The scale of `weights` (finite, ≥ 0; one per feature, in order) and
    /// each one in solver units; `Err` when a weight's units or their total
    /// would pass [`EXACT_UNITS`] (the bound's floating-point sums would no
    /// longer be exact).
    pub fn of(weights: &[f64]) -> Result<(WeightScale, Vec<u64>), WeightScaleError> {
        let holds = |w: f64, k: u32| round_to(w, k as i32) == w;
        let decimals = weights
            .iter()
            .map(|&w| {
                (0..=MAX_WEIGHT_DECIMALS)
                    .find(|&k| holds(w, k))
                    .unwrap_or(MAX_WEIGHT_DECIMALS)
            })
            .max()
            .unwrap_or(0);
        let f = 10f64.powi(decimals as i32);
        let mut total: u64 = 0;
        let mut units = Vec::with_capacity(weights.len());
        let mut rounded = 0;
        for (i, &w) in weights.iter().enumerate() {
            let u = (w * f).round();
            if u > EXACT_UNITS as f64 {
                return Err(WeightScaleError {
                    feature: Some(i),
                    problem: format!(
                        "{w} is {u} solver units at {decimals} decimals, more than 2^53: scale the weights down"
                    ),
                });
            }
            if !holds(w, decimals) {
                rounded += 1;
            }
            total = total.saturating_add(u as u64);
            units.push(u as u64);
        }
        if total > EXACT_UNITS {
            return Err(WeightScaleError {
                feature: None,
                problem: format!(
                    "the weights add up to {total} solver units at {decimals} decimals, more than 2^53: scale them down"
                ),
            });
        }
        Ok((WeightScale { decimals, rounded }, units))
    }

    /// `units` solver units as a weight.
    pub fn weight(&self, units: u64) -> f64 {
        round_to(
            units as f64 / 10f64.powi(self.decimals as i32),
            self.decimals as i32,
        )
    }

    /// `units` as a JSON number: an integer when the weights are whole.
    pub fn json(&self, units: u64) -> Value {
        if self.decimals == 0 {
            json!(units)
        } else {
            json!(self.weight(units))
        }
    }

    /// `units` as text, with the scale's decimals.
    pub fn text(&self, units: u64) -> String {
        format!("{:.*}", self.decimals as usize, self.weight(units))
    }
}

/// The demand points' positions and weights as read, checked: Points,
/// weights finite numbers ≥ 0.
fn read_demand(
    layer: &RawLayer,
    weight_prop: &str,
) -> Result<(Vec<[f64; 2]>, Vec<f64>), LayerError> {
    if layer.features.is_empty() {
        return Err(LayerError::Empty {
            file: layer.file.clone(),
        });
    }
    let mut pts = Vec::with_capacity(layer.features.len());
    let mut weights = Vec::with_capacity(layer.features.len());
    for (index, f) in layer.features.iter().enumerate() {
        let id = property::feature_id(&f.properties);
        let bad = |problem: String| LayerError::Feature {
            file: layer.file.clone(),
            feature: FeatureRef {
                index,
                id: id.clone(),
            },
            problem,
        };
        let w = property::required_f64(&f.properties, weight_prop).map_err(|e| {
            bad(format!(
                "{e} (the demand weight; choose another with --weight-prop)"
            ))
        })?;
        if !w.is_finite() {
            return Err(bad(format!("weight {weight_prop:?} is not finite ({w})")));
        }
        if w < 0.0 {
            return Err(bad(format!("weight {weight_prop:?} is negative ({w})")));
        }
        pts.push(point(layer, index, id.clone())?);
        weights.push(w);
    }
    Ok((pts, weights))
}

/// Reads, projects, builds coverage and solves.
pub fn run(req: &MclpRequest) -> Result<MclpRun, MclpRunError> {
    let t0 = Instant::now();
    if !(req.radius_m.is_finite() && req.radius_m > 0.0) {
        return Err(MclpRunError::Request(format!(
            "--radius-m must be a positive number of metres, got {}",
            req.radius_m
        )));
    }
    if req.p == 0 {
        return Err(MclpRunError::Request("--p must be at least 1".into()));
    }
    let spec = |path: &PathBuf| LayerSpec {
        crs: req.input_crs.clone(),
        ..LayerSpec::path(&path.to_string_lossy())
    };
    let cand_layer = read_layer(
        "candidates",
        &spec(&req.candidates),
        &Source::File(req.candidates.clone()),
    )?;
    let demand_layer = read_layer(
        "demand",
        &spec(&req.demand),
        &Source::File(req.demand.clone()),
    )?;
    let candidates = read_candidates(&cand_layer, &req.id_prop)?;
    if req.p > candidates.len() {
        tracing::warn!(
            "{}: --p {} asks for more candidates than the layer's {}: all of them are chosen",
            cand_layer.file,
            req.p,
            candidates.len()
        );
    }
    let (demand_ll, weights_read) = read_demand(&demand_layer, &req.weight_prop)?;
    let (weight_scale, weights) = WeightScale::of(&weights_read).map_err(|e| match e.feature {
        Some(index) => MclpRunError::Layer(LayerError::Feature {
            file: demand_layer.file.clone(),
            feature: FeatureRef {
                index,
                id: property::feature_id(&demand_layer.features[index].properties),
            },
            problem: format!("weight {:?}: {}", req.weight_prop, e.problem),
        }),
        None => MclpRunError::Request(format!(
            "{}: weight {:?}: {}",
            demand_layer.file, req.weight_prop, e.problem
        )),
    })?;
    if weight_scale.rounded > 0 {
        tracing::warn!(
            "{}: {} weights have more than {MAX_WEIGHT_DECIMALS} decimals and were rounded to {MAX_WEIGHT_DECIMALS} (result.json: weights.rounded)",
            demand_layer.file,
            weight_scale.rounded
        );
    }
    let metric_crs = match &req.metric_crs {
        Some(c) => c.clone(),
        None => {
            let mut all = cand_layer.features.clone();
            all.extend(demand_layer.features.iter().cloned());
            let b = bounds(&all)
                .ok_or_else(|| MclpRunError::Request("the layers have no positions".into()))?;
            siting_crs::choose(b)
        }
    };
    let proj = Projector::new(&metric_crs)?;
    let to_m = |p: &[f64; 2]| proj.to_metric(p[0], p[1]).map(|(x, y)| [x, y]);
    let cand_m: Vec<[f64; 2]> = candidates
        .iter()
        .map(|c| to_m(&c.lonlat))
        .collect::<Result<_, _>>()?;
    let demand_m: Vec<[f64; 2]> = demand_ll.iter().map(to_m).collect::<Result<_, _>>()?;
    let read_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let coverage = coverage_sets(&cand_m, &demand_m, req.radius_m);
    let coverage_s = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let instance = Instance { weights, coverage };
    let mut params = MclpParams {
        seed: req.seed,
        time_limit: req.time_limit,
        ..MclpParams::new(req.p)
    };
    if req.time_limit.is_some() {
        // Time left after the search goes to tightening the bound.
        params.branch.nodes = usize::MAX;
        params.branch.work = u64::MAX;
    }
    let solution = mclp::solve(&instance, &params)?;
    let solve_s = t2.elapsed().as_secs_f64();
    Ok(MclpRun {
        request: req.clone(),
        demand_points: demand_m.len(),
        weight_scale,
        candidates,
        metric_crs,
        solution,
        inputs: vec![cand_layer.input, demand_layer.input],
        seconds: vec![
            ("read", read_s),
            ("coverage", coverage_s),
            ("solve", solve_s),
            ("total", t0.elapsed().as_secs_f64()),
        ],
    })
}

/// `sites.geojson`: one Point per chosen candidate (RFC 7946, WGS84, 7
/// decimals), in the order the solution lists them, with `id`, `rank` (1 =
/// chosen first) and `covered_weight_gain` (what it adds to those before it).
pub fn sites_geojson(run: &MclpRun) -> String {
    let s = &run.solution;
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (k, (&c, &gain)) in s.chosen.iter().zip(&s.gains).enumerate() {
        let cand = &run.candidates[c as usize];
        let f = json!({
            "type": "Feature",
            "properties": {"id": cand.id, "rank": k + 1, "covered_weight_gain": run.weight_scale.json(gain)},
            "geometry": {"type": "Point", "coordinates": [round_to(cand.lonlat[0], 7), round_to(cand.lonlat[1], 7)]},
        });
        out.push_str(&f.to_string());
        out.push_str(if k + 1 < s.chosen.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    out
}

/// `result.json`: objective, share, bound, gap, method, seconds, and the
/// instance's and presolve's figures.
pub fn result_json(run: &MclpRun) -> Value {
    let s = &run.solution;
    let total = run
        .seconds
        .iter()
        .find(|(n, _)| *n == "total")
        .map_or(0.0, |t| t.1);
    let ps = &s.presolve;
    let w = |units: u64| run.weight_scale.json(units);
    json!({
        "objective": w(s.objective),
        "covered_share": round_to(s.covered_share(), 6),
        "upper_bound": w(s.upper_bound),
        "gap": round_to(s.gap(), 6),
        "gap_definition": "(upper_bound - objective) / objective",
        "bound_method": s.bound_method,
        "seconds": round_to(total, 3),
        "p": run.request.p,
        "chosen": s.chosen.len(),
        "candidates": run.candidates.len(),
        "demand_points": run.demand_points,
        "total_weight": w(s.total_weight),
        "coverable_weight": w(s.coverable_weight),
        "weights": {
            "decimals": run.weight_scale.decimals,
            "rounded": run.weight_scale.rounded,
            "solver_units_per_weight": 10u64.pow(run.weight_scale.decimals),
        },
        "radius_m": run.request.radius_m,
        "metric_crs": run.metric_crs,
        "greedy_objective": w(s.greedy_objective),
        "swap_objective": w(s.swap_objective),
        "presolve": {
            "demand_items_in": ps.items_in,
            "demand_items_uncoverable": ps.items_uncoverable,
            "demand_items_out": ps.items_out,
            "candidates_in": ps.candidates_in,
            "candidates_dominated": ps.candidates_dominated,
            "candidates_out": ps.candidates_out,
            "coverage_pairs_in": ps.pairs_in,
            "coverage_pairs_out": ps.pairs_out,
        },
        "search": {
            "seed": run.request.seed,
            "rounds": s.search.rounds,
            "accepted": s.search.accepted,
            "improved": s.search.improved,
            "swaps": s.search.swaps,
        },
        "bound": {
            "subgradient_iterations": s.bound_iterations,
            "branch_nodes": s.branch.map(|b| b.nodes),
            "branch_complete": s.branch.map(|b| b.complete),
            "fixed_in": s.fixed_in,
            "fixed_out": s.fixed_out,
        },
        "time_limit_s": run.request.time_limit.map(|d| d.as_secs_f64()),
        "time_limit_reached": s.time_limit_reached,
        "phase_seconds": run.seconds.iter().map(|(n, t)| (n.to_string(), json!(round_to(*t, 3)))).chain(
            s.phase_seconds.iter().map(|(n, t)| (format!("solve_{n}"), json!(round_to(*t, 3))))
        ).collect::<serde_json::Map<String, Value>>(),
        "inputs": run.inputs,
    })
}

/// The output files, name and bytes: `sites.geojson` and `result.json`.
pub fn outputs(run: &MclpRun) -> Vec<(&'static str, Vec<u8>)> {
    let mut result = serde_json::to_string_pretty(&result_json(run)).unwrap_or_default();
    result.push('\n');
    vec![
        ("sites.geojson", sites_geojson(run).into_bytes()),
        ("result.json", result.into_bytes()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_scale_keeps_the_fewest_decimals_that_hold_every_weight() {
        let (s, u) = WeightScale::of(&[3.0, 0.0, 12.0]).unwrap();
        assert_eq!((s.decimals, s.rounded), (0, 0));
        assert_eq!(u, vec![3, 0, 12]);
        assert_eq!(s.json(15), json!(15));
        assert_eq!(s.text(15), "15");
        // 0.1 and 5.61 are not exact in binary; their decimals are.
        let (s, u) = WeightScale::of(&[0.1, 5.61, 7.0]).unwrap();
        assert_eq!((s.decimals, s.rounded), (2, 0));
        assert_eq!(u, vec![10, 561, 700]);
        assert_eq!(s.weight(571), 5.71);
        assert_eq!(s.text(1271), "12.71");
        let (s, u) = WeightScale::of(&[1.0 / 3.0, 2.0]).unwrap();
        assert_eq!((s.decimals, s.rounded), (MAX_WEIGHT_DECIMALS, 1));
        assert_eq!(u, vec![333_333, 2_000_000]);
        assert!(WeightScale::of(&[2f64.powi(52), 2f64.powi(52), 1.0])
            .unwrap_err()
            .problem
            .contains("2^53"));
        let e = WeightScale::of(&[0.000_001, 1e12]).unwrap_err();
        assert!(e.feature == Some(1) && e.problem.contains("2^53"), "{e:?}");
        assert!(WeightScale::of(&[]).is_ok());
    }

    #[test]
    fn coverage_is_inclusive_and_ascending() {
        let cands = [[0.0, 0.0], [10.0, 0.0]];
        let demand = [[3.0, 4.0], [5.0, 0.0], [20.0, 0.0], [0.0, 0.0]];
        let c = coverage_sets(&cands, &demand, 5.0);
        assert_eq!(c[0], vec![0, 1, 3]);
        assert_eq!(c[1], vec![1]);
    }
}
