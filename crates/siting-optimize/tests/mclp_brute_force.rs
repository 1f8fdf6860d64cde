//! The MCLP solver against exhaustive search over every p-subset of small
//! seeded instances, and its invariants as property tests.

use proptest::prelude::*;
use siting_optimize::mclp::{greedy_baseline, solve, Instance, MclpParams, Weight};

/// Best covered weight over every subset of exactly `p` candidates.
fn optimum(inst: &Instance, p: usize) -> Weight {
    let n = inst.coverage.len();
    (0u32..1 << n)
        .filter(|m| m.count_ones() as usize == p.min(n))
        .map(|m| {
            let set: Vec<u32> = (0..n as u32).filter(|&c| m & (1 << c) != 0).collect();
            inst.covered_weight(&set)
        })
        .max()
        .unwrap_or(0)
}

/// A tiny seeded instance: `n` candidates and `m` items on a line, each
/// candidate covering the items within a random reach of it.
fn tiny(seed: u64, n: usize, m: usize) -> Instance {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let items: Vec<f64> = (0..m).map(|_| (next() % 1000) as f64).collect();
    let weights = (0..m).map(|_| 1 + next() % 9).collect();
    let coverage = (0..n)
        .map(|_| {
            let at = (next() % 1000) as f64;
            let reach = 60.0 + (next() % 140) as f64;
            (0..m as u32)
                .filter(|&i| (items[i as usize] - at).abs() <= reach)
                .collect()
        })
        .collect();
    Instance { weights, coverage }
}

#[test]
fn reaches_the_optimum_on_most_tiny_instances_and_never_bounds_below_it() {
    let (mut hits, mut cases) = (0, 0);
    for seed in 0..200u64 {
        let n = 6 + (seed % 9) as usize; // 6..14 candidates
        let inst = tiny(seed, n, 40);
        for p in [1, 2, 3, 5] {
            let best = optimum(&inst, p);
            let s = solve(&inst, &MclpParams::new(p)).unwrap();
            assert!(s.objective <= best);
            assert!(
                s.upper_bound >= best,
                "seed {seed} p {p}: bound {} below optimum {best}",
                s.upper_bound
            );
            cases += 1;
            hits += (s.objective == best) as usize;
        }
    }
    assert!(hits * 100 >= cases * 98, "optimum on {hits} of {cases}");
}

#[test]
fn more_candidates_than_p_after_presolve_are_padded() {
    // Candidate 1 and 2 are subsets of candidate 0: presolve keeps one, but
    // p = 3 still chooses three.
    let inst = Instance {
        weights: vec![1, 2, 3],
        coverage: vec![vec![0, 1, 2], vec![0], vec![1]],
    };
    let s = solve(&inst, &MclpParams::new(3)).unwrap();
    assert_eq!(s.chosen.len(), 3);
    assert_eq!(s.objective, 6);
    assert_eq!(s.upper_bound, 6);
    assert_eq!(s.gains.iter().sum::<Weight>(), 6);
}

#[test]
fn p_of_zero_and_bad_sets_are_errors() {
    let inst = Instance {
        weights: vec![1],
        coverage: vec![vec![0]],
    };
    assert!(solve(&inst, &MclpParams::new(0)).is_err());
    let bad = Instance {
        weights: vec![1],
        coverage: vec![vec![1]],
    };
    assert!(solve(&bad, &MclpParams::new(1)).is_err());
    let empty = Instance {
        weights: vec![1],
        coverage: vec![],
    };
    assert!(solve(&empty, &MclpParams::new(1)).is_err());
}

fn instance() -> impl Strategy<Value = (Instance, usize)> {
    (2usize..25, 1usize..60, 1usize..8).prop_flat_map(|(n, m, p)| {
        (
            proptest::collection::vec(0u64..20, m),
            proptest::collection::vec(proptest::collection::btree_set(0..m as u32, 0..12), n),
            Just(p),
        )
            .prop_map(|(weights, rows, p)| {
                (
                    Instance {
                        weights,
                        coverage: rows.into_iter().map(|r| r.into_iter().collect()).collect(),
                    },
                    p,
                )
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The bound is at least the objective; the objective is the recomputed
    /// covered weight of the returned set; exactly p distinct candidates
    /// (all if fewer); the gains add up; at least the greedy's value.
    #[test]
    fn invariants((inst, p) in instance()) {
        let s = solve(&inst, &MclpParams::new(p)).unwrap();
        prop_assert!(s.upper_bound >= s.objective);
        prop_assert_eq!(s.objective, inst.covered_weight(&s.chosen));
        prop_assert_eq!(s.chosen.len(), p.min(inst.coverage.len()));
        let mut distinct = s.chosen.clone();
        distinct.sort_unstable();
        distinct.dedup();
        prop_assert_eq!(distinct.len(), s.chosen.len());
        prop_assert_eq!(s.gains.iter().sum::<Weight>(), s.objective);
        let (_, greedy) = greedy_baseline(&inst, p).unwrap();
        prop_assert!(s.objective >= greedy);
        prop_assert!(s.upper_bound <= inst.total_weight());
    }

    /// Same instance and seed, same answer, on one thread or several.
    #[test]
    fn deterministic_at_any_thread_count((inst, p) in instance()) {
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| solve(&inst, &MclpParams::new(p)).unwrap())
        };
        let (a, b) = (run(1), run(3));
        prop_assert_eq!(&a.chosen, &b.chosen);
        prop_assert_eq!(a.objective, b.objective);
        prop_assert_eq!(a.upper_bound, b.upper_bound);
        prop_assert_eq!(a.search, b.search);
    }
}

#[test]
fn branch_and_bound_bounds_stay_valid_and_often_prove_the_optimum() {
    let (mut proved, mut cases) = (0, 0);
    for seed in 300..420u64 {
        let n = 8 + (seed % 7) as usize;
        let inst = tiny(seed, n, 40);
        for p in [2, 3, 4] {
            let best = optimum(&inst, p);
            let mut params = MclpParams::new(p);
            params.branch.nodes = 500;
            params.branch.work = u64::MAX;
            let s = solve(&inst, &params).unwrap();
            assert_eq!(s.objective, inst.covered_weight(&s.chosen));
            assert_eq!(s.chosen.len(), p.min(n));
            assert!(
                s.upper_bound >= best,
                "seed {seed} p {p}: bound {} below optimum {best}",
                s.upper_bound
            );
            cases += 1;
            proved += (s.upper_bound == best) as usize;
        }
    }
    assert!(
        proved * 10 >= cases * 9,
        "bound proved optimal on {proved} of {cases}"
    );
}
