//! Construction: lazy greedy (CELF, Leskovec et al. 2007).
//!
//! Each step takes the candidate that newly covers the most weight, ties to
//! the lower index. Coverage is submodular, so a candidate's gain only falls
//! as others are chosen: its heap key is an upper bound, and a popped
//! candidate whose recomputed gain still equals its key is the true best
//! (Minoux's accelerated greedy). The plain greedy is within 1 − 1/e of the
//! optimum (Nemhauser, Wolsey & Fisher 1978) and is the baseline the search
//! improves on.

use super::presolve::Reduced;
use super::Weight;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Chooses `p` candidates of `r` (all of them if fewer) greedily; returns
/// them in the order chosen with each one's newly covered weight.
pub fn lazy_greedy(r: &Reduced, p: usize) -> Vec<(u32, Weight)> {
    let n = r.cover.len();
    let mut covered = vec![false; r.weights.len()];
    let gain = |c: usize, covered: &[bool]| -> Weight {
        r.cover
            .row(c)
            .iter()
            .filter(|&&i| !covered[i as usize])
            .map(|&i| r.weights[i as usize])
            .sum()
    };
    let mut heap: BinaryHeap<(Weight, Reverse<u32>)> = (0..n)
        .map(|c| (gain(c, &covered), Reverse(c as u32)))
        .collect();
    let mut out = Vec::with_capacity(p.min(n));
    while out.len() < p.min(n) {
        let Some((key, Reverse(c))) = heap.pop() else {
            break;
        };
        let now = gain(c as usize, &covered);
        if now != key {
            heap.push((now, Reverse(c)));
            continue;
        }
        for &i in r.cover.row(c as usize) {
            covered[i as usize] = true;
        }
        out.push((c, now));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mclp::presolve::presolve;

    #[test]
    fn takes_the_largest_gain_first_and_ties_to_the_lower_index() {
        // Candidate 1 covers 5 + 4; then candidates 0 and 2 each add 3.
        let r = presolve(&[5, 4, 3, 3], &[vec![0, 2], vec![0, 1], vec![1, 3]]);
        let g = lazy_greedy(&r, 2);
        assert_eq!(g, vec![(1, 9), (0, 3)]);
    }

    #[test]
    fn stops_at_the_number_of_candidates() {
        let r = presolve(&[1, 1], &[vec![0], vec![1]]);
        assert_eq!(lazy_greedy(&r, 5).len(), 2);
    }
}
