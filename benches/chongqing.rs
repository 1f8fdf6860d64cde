//! Benchmarks of the main job on the embedded Chongqing data (or on the
//! instance whose config `SITING_BENCH_CONFIG` names, such as the 250 m grid
//! from `siting synth --cell-m 250`).
//!
//! `cargo bench --bench chongqing` times, in one run:
//! - `stages/*`: each stage on its own — `load` (config and layers), `prepare`
//!   (model, indices, rules, demand items), `coverage` (every site's coverage
//!   sets), `rings` (search rings and their towers), `optimise` (instance and
//!   solve) — so their shares of the whole are measured side by side —
//!   and `optimise_no_search` (the same without the local search), so the
//!   search's cost is a ratio to the construction's in the same run;
//! - `plan/threads_N`: the whole pipeline (no writing) on one worker thread
//!   and on all of them, so the parallel speed-up is a ratio measured in the
//!   same run.

use criterion::{criterion_group, criterion_main, Criterion};
use siting_cli::embedded;
use siting_engine::prepare::prepare;
use siting_engine::problem::instance;
use siting_engine::rings::unservable;
use siting_engine::run::{cover, load, rings};
use siting_engine::ConfigSource;
use std::hint::black_box;

fn source() -> ConfigSource {
    match std::env::var("SITING_BENCH_CONFIG") {
        Ok(p) => ConfigSource::File(p.into()),
        Err(_) => embedded::config(),
    }
}

fn stages(c: &mut Criterion) {
    let source = source();
    let mut g = c.benchmark_group("stages");
    g.sample_size(10);
    g.bench_function("load", |b| {
        b.iter(|| black_box(load(&source, None).expect("layers")))
    });
    let loaded = load(&source, None).expect("layers");
    g.bench_function("prepare", |b| {
        b.iter(|| {
            black_box(prepare(&loaded.cfg, &loaded.config_file, &loaded.raw).expect("prepare"))
        })
    });
    let mut prep = prepare(&loaded.cfg, &loaded.config_file, &loaded.raw).expect("prepare");
    g.bench_function("coverage", |b| b.iter(|| black_box(cover(&loaded, &prep))));
    let mut covered = cover(&loaded, &prep);
    let short = unservable(&prep, &covered.sets);
    g.bench_function("rings", |b| {
        b.iter(|| {
            black_box(
                siting_engine::rings::search_rings(
                    &loaded.cfg,
                    &prep,
                    &loaded.radio.models,
                    &short,
                    1,
                )
                .expect("rings"),
            )
        })
    });
    rings(&loaded, &mut prep, &mut covered, &short, 1).expect("rings");
    g.bench_function("optimise", |b| {
        b.iter(|| {
            let inst =
                instance(&loaded.cfg, &prep, &covered.sets, "demand", None).expect("instance");
            black_box(siting_optimize::solve(&inst.problem, &inst.params).expect("solve"))
        })
    });
    // The same without the local search: the search's share of the stage
    // is the ratio of the two, measured side by side.
    g.bench_function("optimise_no_search", |b| {
        b.iter(|| {
            let mut inst =
                instance(&loaded.cfg, &prep, &covered.sets, "demand", None).expect("instance");
            inst.params.search_moves = 0;
            black_box(siting_optimize::solve(&inst.problem, &inst.params).expect("solve"))
        })
    });
    g.finish();
}

fn plan(c: &mut Criterion) {
    let mut g = c.benchmark_group("plan");
    g.sample_size(10);
    let source = source();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut threads = vec![1];
    if cores > 1 {
        threads.push(cores);
    }
    for n in threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("pool");
        g.bench_function(format!("threads_{n}"), |b| {
            b.iter(|| pool.install(|| black_box(siting_engine::run(&source).expect("run"))))
        });
    }
    g.finish();
}

criterion_group!(benches, stages, plan);
criterion_main!(benches);
