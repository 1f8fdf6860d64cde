//! Presolve: a smaller instance with the same optimum.
//!
//! Three reductions, each exact:
//!
//! 1. Demand items of weight 0, and items no candidate covers, are dropped:
//!    no choice changes what they add.
//! 2. Demand items covered by exactly the same candidates are merged into one
//!    item with their weights summed: every plan covers all of them or none
//!    (arXiv 2409.09834; on the benchmark instances this removes a third of
//!    the items).
//! 3. A candidate whose (merged) items are a subset of another candidate's is
//!    dominated and dropped (of equal ones, the lowest index stays): in any
//!    plan it can be exchanged for its dominator, or for nothing if that is
//!    already chosen, without losing weight. Every dropped candidate is a
//!    subset of a kept one, so the kept ones reach the optimum; when fewer
//!    than `p` remain, choosing them all is optimal and the plan is padded
//!    with dropped candidates (gain 0).
//!
//! Dropping candidates can make more items' covering sets equal, so items are
//! merged once more over the kept candidates.

use super::sets::{is_subset, SetList};
use super::Weight;
use rayon::prelude::*;
use std::collections::HashMap;

/// Sizes before and after presolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresolveStats {
    /// Demand items given.
    pub items_in: usize,
    /// Demand items dropped for weight 0 or because no candidate covers them.
    pub items_uncoverable: usize,
    /// Demand items after merging those with the same covering candidates.
    pub items_out: usize,
    /// Candidates given.
    pub candidates_in: usize,
    /// Candidates dropped as dominated (their items a subset of another's).
    pub candidates_dominated: usize,
    /// Candidates the search works on.
    pub candidates_out: usize,
    /// (candidate, item) coverage pairs given.
    pub pairs_in: usize,
    /// (candidate, item) coverage pairs after presolve.
    pub pairs_out: usize,
}

/// The presolved instance the construction, search and bound work on.
#[derive(Debug, Clone)]
pub struct Reduced {
    /// Weight of each merged item (each > 0).
    pub weights: Vec<Weight>,
    /// Kept candidate (reduced index) → merged items it covers.
    pub cover: SetList,
    /// Merged item → kept candidates covering it (never empty).
    pub covered_by: SetList,
    /// Reduced candidate index → the instance's candidate index (ascending).
    pub original: Vec<u32>,
    /// Instance candidates dropped as dominated, ascending.
    pub dropped: Vec<u32>,
    /// Weight of every item some candidate covers (the most any plan can cover).
    pub coverable_weight: Weight,
    /// Sizes before and after.
    pub stats: PresolveStats,
}

/// Merges items over the given candidate rows (over the instance's items):
/// returns merged weights, candidate → merged items, merged item → candidates.
fn merge(weights: &[Weight], rows: &[&[u32]]) -> (Vec<Weight>, SetList, SetList) {
    let n = weights.len();
    let by_item = SetList::from_rows(rows).transpose(n);
    let mut ids: HashMap<&[u32], u32> = HashMap::new();
    let mut merged: Vec<Weight> = Vec::new();
    let mut item_of: Vec<u32> = vec![u32::MAX; n];
    for (i, &w) in weights.iter().enumerate() {
        let key = by_item.row(i);
        if w == 0 || key.is_empty() {
            continue;
        }
        let next = merged.len() as u32;
        let id = *ids.entry(key).or_insert(next);
        if id == next {
            merged.push(0);
        }
        merged[id as usize] += w;
        item_of[i] = id;
    }
    let cover_rows: Vec<Vec<u32>> = rows
        .iter()
        .map(|r| {
            let mut v: Vec<u32> = r
                .iter()
                .map(|&i| item_of[i as usize])
                .filter(|&m| m != u32::MAX)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let cover = SetList::from_rows(&cover_rows);
    let covered_by = cover.transpose(merged.len());
    (merged, cover, covered_by)
}

/// Whether candidate `j` is dominated: its items a subset of another's
/// (strictly, or equal with a lower index).
fn dominated(j: usize, cover: &SetList, covered_by: &SetList) -> bool {
    let row = cover.row(j);
    let Some(&rarest) = row
        .iter()
        .min_by_key(|&&i| covered_by.row(i as usize).len())
    else {
        return true; // covers nothing
    };
    covered_by.row(rarest as usize).iter().any(|&k| {
        let k = k as usize;
        k != j && {
            let other = cover.row(k);
            (other.len() > row.len() || k < j) && is_subset(row, other)
        }
    })
}

impl Reduced {
    /// The instance as given, without any reduction (for the baseline and
    /// for ordering a plan): items and candidates keep their indices.
    pub fn identity(weights: &[Weight], coverage: &[Vec<u32>]) -> Reduced {
        let cover = SetList::from_rows(coverage);
        let covered_by = cover.transpose(weights.len());
        let coverable_weight = (0..weights.len())
            .filter(|&i| !covered_by.row(i).is_empty())
            .map(|i| weights[i])
            .sum();
        let pairs = cover.total();
        Reduced {
            weights: weights.to_vec(),
            stats: PresolveStats {
                items_in: weights.len(),
                items_uncoverable: 0,
                items_out: weights.len(),
                candidates_in: coverage.len(),
                candidates_dominated: 0,
                candidates_out: coverage.len(),
                pairs_in: pairs,
                pairs_out: pairs,
            },
            cover,
            covered_by,
            original: (0..coverage.len() as u32).collect(),
            dropped: Vec::new(),
            coverable_weight,
        }
    }
}

/// Presolves an instance given as weights and candidate → items rows
/// (ascending, within range: checked by the caller).
pub fn presolve(weights: &[Weight], coverage: &[Vec<u32>]) -> Reduced {
    let rows: Vec<&[u32]> = coverage.iter().map(|r| r.as_slice()).collect();
    let (w1, cover1, by1) = merge(weights, &rows);
    let is_dominated: Vec<bool> = (0..coverage.len())
        .into_par_iter()
        .map(|j| dominated(j, &cover1, &by1))
        .collect();
    let original: Vec<u32> = (0..coverage.len() as u32)
        .filter(|&j| !is_dominated[j as usize])
        .collect();
    let dropped: Vec<u32> = (0..coverage.len() as u32)
        .filter(|&j| is_dominated[j as usize])
        .collect();
    let kept_rows: Vec<&[u32]> = original.iter().map(|&j| rows[j as usize]).collect();
    let (w, cover, covered_by) = merge(weights, &kept_rows);
    let coverable_weight = w.iter().sum();
    let uncoverable = {
        let by_item = SetList::from_rows(&rows).transpose(weights.len());
        (0..weights.len())
            .filter(|&i| weights[i] == 0 || by_item.row(i).is_empty())
            .count()
    };
    let stats = PresolveStats {
        items_in: weights.len(),
        items_uncoverable: uncoverable,
        items_out: w.len(),
        candidates_in: coverage.len(),
        candidates_dominated: dropped.len(),
        candidates_out: original.len(),
        pairs_in: rows.iter().map(|r| r.len()).sum(),
        pairs_out: cover.total(),
    };
    debug_assert_eq!(w1.iter().sum::<Weight>(), coverable_weight);
    Reduced {
        weights: w,
        cover,
        covered_by,
        original,
        dropped,
        coverable_weight,
        stats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_drops_and_dominates() {
        // Items 0 and 1 are both covered by candidates {0, 1} only: merged.
        // Item 2 has weight 0; item 4 is covered by nobody. Candidate 2 covers
        // only item 3, which candidate 1 covers too: dominated. Candidate 3 is
        // empty: dominated.
        let weights = vec![2, 3, 0, 4, 7];
        let coverage = vec![vec![0, 1], vec![0, 1, 2, 3], vec![3], vec![]];
        let r = presolve(&weights, &coverage);
        assert_eq!(r.original, vec![1]);
        assert_eq!(r.dropped, vec![0, 2, 3]);
        // Over candidate 1 alone, items 0, 1, 3 have the same covering set.
        assert_eq!(r.weights, vec![9]);
        assert_eq!(r.coverable_weight, 9);
        assert_eq!(r.stats.items_uncoverable, 2);
        assert_eq!(r.stats.candidates_dominated, 3);
    }

    #[test]
    fn equal_candidates_keep_the_lowest_index() {
        let r = presolve(&[1, 1], &[vec![0, 1], vec![0, 1], vec![1]]);
        assert_eq!(r.original, vec![0]);
        assert_eq!(r.dropped, vec![1, 2]);
    }

    #[test]
    fn incomparable_candidates_stay() {
        let r = presolve(&[1, 2, 3], &[vec![0, 1], vec![1, 2]]);
        assert_eq!(r.original, vec![0, 1]);
        assert_eq!(r.weights, vec![1, 2, 3]);
        assert_eq!(r.covered_by.row(1), &[0, 1]);
    }
}
