//! Benchmarks of the main job on the embedded Chongqing data.
//!
//! `cargo bench --bench chongqing` times the whole pipeline (read, model,
//! indices, rules, coverage, optimiser, assembly; no writing) on one worker
//! thread and on all of them, so the parallel speed-up is a ratio measured in
//! the same run.

use criterion::{criterion_group, criterion_main, Criterion};
use siting_cli::embedded;
use std::hint::black_box;

fn plan(c: &mut Criterion) {
    let mut g = c.benchmark_group("chongqing_plan");
    g.sample_size(10);
    let source = embedded::config();
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
            b.iter(|| {
                pool.install(|| black_box(siting_engine::run(&source).expect("embedded run")))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, plan);
criterion_main!(benches);
