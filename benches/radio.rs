//! Path-loss evaluations per second, and the coverage stage of the Chongqing run.
//!
//! `cargo bench --bench radio` reports, in one run:
//! - `pathloss/*`: one evaluation per element over 1,000,000 distances, for
//!   the prepared form (distance-independent terms computed once per site)
//!   against the naive form that recomputes them on every call;
//! - `coverage/threads_N`: the coverage stage on the embedded instance (or
//!   on the instance whose config `SITING_BENCH_CONFIG` names, such as the
//!   250 m grid from `siting synth --cell-m 250`), at 1 thread and at all cores.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use siting_cli::embedded;
use siting_coverage::{coverage_sets, Demand};
use siting_engine::prepare::prepare;
use siting_engine::run::load;
use siting_engine::ConfigSource;
use siting_index::PointIndex;
use siting_radio::{CoverageModel, Geometry, ModelKind, PathLoss};
use std::hint::black_box;

fn pathloss(c: &mut Criterion) {
    let n = 1_000_000;
    let distances: Vec<f64> = (0..n).map(|i| 1000.0 + (i % 19_000) as f64).collect();
    let mut g = c.benchmark_group("pathloss");
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(20);
    for kind in [
        ModelKind::Cost231Hata,
        ModelKind::UmaNlos,
        ModelKind::RmaNlos,
    ] {
        let m = PathLoss::new(kind, Geometry::new(1800.0, 30.0, 1.5));
        let prepared = m.prepare();
        g.bench_function(format!("{kind}/prepared"), |b| {
            b.iter(|| {
                distances
                    .iter()
                    .map(|&d| prepared.loss_db(black_box(d)))
                    .sum::<f64>()
            })
        });
        g.bench_function(format!("{kind}/naive"), |b| {
            b.iter(|| {
                distances
                    .iter()
                    .map(|&d| m.loss_db(black_box(d)))
                    .sum::<f64>()
            })
        });
    }
    g.finish();
}

fn coverage(c: &mut Criterion) {
    let source = match std::env::var("SITING_BENCH_CONFIG") {
        Ok(p) => ConfigSource::File(p.into()),
        Err(_) => embedded::config(),
    };
    let loaded = load(&source, None).expect("layers");
    let prep = prepare(&loaded.cfg, &loaded.config_file, &loaded.raw).expect("prepare");
    let refs: Vec<&dyn CoverageModel> = loaded
        .radio
        .models
        .iter()
        .map(|m| m as &dyn CoverageModel)
        .collect();
    let index = PointIndex::new(prep.items.xy.iter().copied());
    let all: Vec<usize> = (0..prep.model.sites.len()).collect();
    let radios = loaded.radio.site_radios(&prep, &all);
    let demand = Demand {
        index: &index,
        environment: &prep.items.environment,
        ground_m: &prep.items.ground_m,
        position: &prep.items.lonlat,
    };
    let mut g = c.benchmark_group("coverage");
    g.sample_size(10);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for n in if cores > 1 { vec![1, cores] } else { vec![1] } {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("pool");
        g.bench_function(format!("threads_{n}"), |b| {
            b.iter(|| pool.install(|| black_box(coverage_sets(&radios, &refs, demand))))
        });
    }
    g.finish();
}

criterion_group!(benches, pathloss, coverage);
criterion_main!(benches);
