//! Compressed set lists: row `r` is a slice of ascending `u32` members.
//!
//! Candidates → the demand items they cover, and its transpose, demand
//! item → the candidates covering it, are both [`SetList`]s.

/// Rows of ascending `u32` members stored back to back (compressed sparse rows).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetList {
    offsets: Vec<usize>,
    members: Vec<u32>,
}

impl SetList {
    /// Builds the list from rows; each row must already be ascending.
    pub fn from_rows<R: AsRef<[u32]>>(rows: &[R]) -> Self {
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        offsets.push(0);
        let mut members = Vec::with_capacity(rows.iter().map(|r| r.as_ref().len()).sum());
        for r in rows {
            members.extend_from_slice(r.as_ref());
            offsets.push(members.len());
        }
        SetList { offsets, members }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `r`'s members, ascending.
    pub fn row(&self, r: usize) -> &[u32] {
        &self.members[self.offsets[r]..self.offsets[r + 1]]
    }

    /// Members over all rows (the number of non-zeros).
    pub fn total(&self) -> usize {
        self.members.len()
    }

    /// The transpose: for each member value `0..columns`, the rows holding
    /// it, ascending (rows are visited in order, so no sort is needed).
    pub fn transpose(&self, columns: usize) -> SetList {
        let mut offsets = vec![0usize; columns + 1];
        for &m in &self.members {
            offsets[m as usize + 1] += 1;
        }
        for c in 0..columns {
            offsets[c + 1] += offsets[c];
        }
        let mut fill = offsets.clone();
        let mut members = vec![0u32; self.members.len()];
        for r in 0..self.len() {
            for &m in self.row(r) {
                members[fill[m as usize]] = r as u32;
                fill[m as usize] += 1;
            }
        }
        SetList { offsets, members }
    }
}

/// Whether ascending `a` is a subset of ascending `b`.
pub fn is_subset(a: &[u32], b: &[u32]) -> bool {
    if a.len() > b.len() {
        return false;
    }
    let mut j = 0;
    for &x in a {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        if j == b.len() || b[j] != x {
            return false;
        }
        j += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rows_and_transpose() {
        let s = SetList::from_rows(&[vec![0, 2], vec![], vec![1, 2]]);
        assert_eq!(s.len(), 3);
        assert_eq!(s.row(0), &[0, 2]);
        assert!(s.row(1).is_empty());
        let t = s.transpose(3);
        assert_eq!(t.row(0), &[0]);
        assert_eq!(t.row(1), &[2]);
        assert_eq!(t.row(2), &[0, 2]);
        assert_eq!(t.total(), 4);
    }

    #[test]
    fn subsets() {
        assert!(is_subset(&[], &[1]));
        assert!(is_subset(&[1, 3], &[0, 1, 2, 3]));
        assert!(!is_subset(&[1, 4], &[0, 1, 2, 3]));
        assert!(!is_subset(&[0, 1], &[1]));
    }

    proptest! {
        #[test]
        fn transpose_twice_is_identity(rows in proptest::collection::vec(
            proptest::collection::btree_set(0u32..20, 0..8), 0..10)) {
            let rows: Vec<Vec<u32>> = rows.into_iter().map(|r| r.into_iter().collect()).collect();
            let s = SetList::from_rows(&rows);
            prop_assert_eq!(s.transpose(20).transpose(rows.len()), s);
        }

        #[test]
        fn subset_matches_sets(a in proptest::collection::btree_set(0u32..12, 0..6),
                               b in proptest::collection::btree_set(0u32..12, 0..8)) {
            let (va, vb): (Vec<u32>, Vec<u32>) = (a.iter().copied().collect(), b.iter().copied().collect());
            prop_assert_eq!(is_subset(&va, &vb), a.is_subset(&b));
        }
    }
}
