//! The classic MCLP at the three sizes, ours against the plain
//! greedy measured in the same run.
//!
//! `cargo bench --bench mclp` generates the seeded instances
//! (`siting_synth::mclp`: 1 km radius, demand clustered plus uniform,
//! integer weights) of 1,000 × 10,000 (p = 50), 5,000 × 50,000 (p = 200)
//! and 20,000 × 200,000 (p = 1,000), builds the coverage sets, and prints
//! for each the plain greedy's covered weight and time (CELF on the instance
//! as given, no presolve), then ours (`solve` with its default budgets):
//! objective, upper bound, certified gap, seconds, and the ratios to the
//! greedy. Pass sizes to run only some (`cargo bench --bench mclp -- 1000
//! 5000`); set `MCLP_TIME_LIMIT` (seconds) to cap each solve.

use siting_engine::mclp::coverage_sets;
use siting_optimize::mclp::{greedy_baseline, solve, Instance, MclpParams};
use std::time::{Duration, Instant};

/// (candidates, demand points, p) of the instances.
const SIZES: [(usize, usize, usize); 3] = [
    (1_000, 10_000, 50),
    (5_000, 50_000, 200),
    (20_000, 200_000, 1_000),
];
/// The seed `siting mclp-instance` uses by default.
const SEED: u64 = 2024;
const RADIUS_M: f64 = 1_000.0;

fn main() {
    let wanted: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let limit = std::env::var("MCLP_TIME_LIMIT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .map(Duration::from_secs_f64);
    println!(
        "{:>20} | {:>9} {:>7} | {:>9} {:>9} {:>7} {:>7} | {:>10} {:>9}",
        "instance", "greedy", "s", "ours", "bound", "gap %", "s", "obj/greedy", "s/greedy"
    );
    for (n, m, p) in SIZES {
        if !wanted.is_empty() && !wanted.contains(&n) {
            continue;
        }
        let g = siting_synth::mclp::generate(n, m, SEED);
        let coverage = coverage_sets(&g.candidates, &g.demand, RADIUS_M);
        let inst = Instance {
            weights: g.weights,
            coverage,
        };
        let t = Instant::now();
        let (_, base) = greedy_baseline(&inst, p).expect("valid instance");
        let base_s = t.elapsed().as_secs_f64();
        let params = MclpParams {
            time_limit: limit,
            ..MclpParams::new(p)
        };
        let t = Instant::now();
        let s = solve(&inst, &params).expect("valid instance");
        let ours_s = t.elapsed().as_secs_f64();
        println!(
            "{:>20} | {:>9} {:>7.3} | {:>9} {:>9} {:>7.3} {:>7.2} | {:>10.4} {:>9.0}",
            format!("{n}x{m} p={p}"),
            base,
            base_s,
            s.objective,
            s.upper_bound,
            100.0 * s.gap(),
            ours_s,
            s.objective as f64 / base as f64,
            ours_s / base_s.max(1e-9)
        );
        let phases: Vec<String> = s
            .phase_seconds
            .iter()
            .map(|(n, t)| format!("{n} {t:.2}"))
            .collect();
        println!(
            "{:>20} | after swaps {}; presolve: items {} -> {}, candidates {} -> {}; search: {} rounds, {} better; {} subgradient iterations; fixed in {} out {}; seconds: {}",
            "",
            s.swap_objective,
            s.presolve.items_in,
            s.presolve.items_out,
            s.presolve.candidates_in,
            s.presolve.candidates_out,
            s.search.rounds,
            s.search.improved,
            s.bound_iterations,
            s.fixed_in,
            s.fixed_out,
            phases.join(", ")
        );
    }
}
