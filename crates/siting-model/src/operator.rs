//! The three basic operators (基础电信企业) and compact sets of them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A basic telecom operator that needs base stations of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Operator {
    /// China Mobile.
    #[serde(rename = "CMCC")]
    Cmcc,
    /// China Unicom.
    #[serde(rename = "CUCC")]
    Cucc,
    /// China Telecom.
    #[serde(rename = "CTCC")]
    Ctcc,
}

impl Operator {
    /// All operators in their canonical order (CMCC, CUCC, CTCC).
    pub const ALL: [Operator; 3] = [Operator::Cmcc, Operator::Cucc, Operator::Ctcc];

    /// The operator code used in every file (`CMCC`, `CUCC`, `CTCC`).
    pub fn code(self) -> &'static str {
        match self {
            Operator::Cmcc => "CMCC",
            Operator::Cucc => "CUCC",
            Operator::Ctcc => "CTCC",
        }
    }

    /// Position in [`Operator::ALL`], 0..3.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An operator code that is not one of `CMCC`, `CUCC`, `CTCC`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown operator code {0:?} (expected CMCC, CUCC or CTCC)")]
pub struct ParseOperatorError(pub String);

impl FromStr for Operator {
    type Err = ParseOperatorError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "CMCC" => Ok(Operator::Cmcc),
            "CUCC" => Ok(Operator::Cucc),
            "CTCC" => Ok(Operator::Ctcc),
            other => Err(ParseOperatorError(other.to_string())),
        }
    }
}

/// A set of operators, stored as a bit mask.
///
/// ```
/// use siting_model::{Operator, OperatorSet};
/// let mut s = OperatorSet::EMPTY;
/// s.insert(Operator::Ctcc);
/// s.insert(Operator::Cmcc);
/// assert_eq!(s.len(), 2);
/// assert_eq!(s.iter().collect::<Vec<_>>(), vec![Operator::Cmcc, Operator::Ctcc]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OperatorSet(u8);

impl OperatorSet {
    /// The empty set.
    pub const EMPTY: OperatorSet = OperatorSet(0);

    /// The set from its bit mask (bit i is `Operator::ALL[i]`).
    pub fn from_bits(bits: u8) -> Self {
        OperatorSet(bits & 0b111)
    }

    /// The bit mask.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Adds an operator; returns whether it was new.
    pub fn insert(&mut self, op: Operator) -> bool {
        let new = !self.contains(op);
        self.0 |= 1 << op.index();
        new
    }

    /// Whether the operator is in the set.
    pub fn contains(self, op: Operator) -> bool {
        self.0 & (1 << op.index()) != 0
    }

    /// Number of operators in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The union of two sets.
    pub fn union(self, other: OperatorSet) -> OperatorSet {
        OperatorSet(self.0 | other.0)
    }

    /// Operators in canonical order.
    pub fn iter(self) -> impl Iterator<Item = Operator> {
        Operator::ALL.into_iter().filter(move |o| self.contains(*o))
    }

    /// Operator codes in canonical order.
    pub fn codes(self) -> Vec<&'static str> {
        self.iter().map(Operator::code).collect()
    }
}

impl FromIterator<Operator> for OperatorSet {
    fn from_iter<I: IntoIterator<Item = Operator>>(iter: I) -> Self {
        let mut s = OperatorSet::EMPTY;
        for o in iter {
            s.insert(o);
        }
        s
    }
}

/// One value per operator, in [`Operator::ALL`] order: the single shape of
/// every per-operator table (coverage, counts, shares, costs). Serialises as
/// an object keyed by operator code (`{"CMCC": …, "CUCC": …, "CTCC": …}`).
///
/// ```
/// use siting_model::{Operator, PerOperator};
/// let mut n = PerOperator::from_fn(|op| op.index() as u32);
/// n[Operator::Ctcc] += 10;
/// assert_eq!(n.0, [0, 1, 12]);
/// assert_eq!(serde_json::to_string(&n).unwrap(), r#"{"CMCC":0,"CUCC":1,"CTCC":12}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PerOperator<T>(pub [T; 3]);

impl<T> PerOperator<T> {
    /// A table from a function of the operator.
    pub fn from_fn(mut f: impl FnMut(Operator) -> T) -> Self {
        PerOperator(Operator::ALL.map(&mut f))
    }

    /// Each operator with its value, in canonical order.
    pub fn iter(&self) -> impl Iterator<Item = (Operator, &T)> {
        Operator::ALL.into_iter().zip(self.0.iter())
    }

    /// A table of references.
    pub fn as_ref(&self) -> PerOperator<&T> {
        PerOperator::from_fn(|op| &self.0[op.index()])
    }

    /// Applies `f` to every value.
    pub fn map<U>(self, mut f: impl FnMut(Operator, T) -> U) -> PerOperator<U> {
        let mut ops = Operator::ALL.into_iter();
        PerOperator(self.0.map(|v| f(ops.next().expect("three operators"), v)))
    }

    /// The values, in canonical order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }
}

impl<T> std::ops::Index<Operator> for PerOperator<T> {
    type Output = T;
    fn index(&self, op: Operator) -> &T {
        &self.0[op.index()]
    }
}

impl<T> std::ops::IndexMut<Operator> for PerOperator<T> {
    fn index_mut(&mut self, op: Operator) -> &mut T {
        &mut self.0[op.index()]
    }
}

impl<T: Serialize> Serialize for PerOperator<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(3))?;
        for (op, v) in self.iter() {
            m.serialize_entry(op.code(), v)?;
        }
        m.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PerOperator<T> {
    /// An object with every operator code as a key, and no other key.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let map = std::collections::BTreeMap::<String, T>::deserialize(d)?;
        let mut slots: [Option<T>; 3] = [None, None, None];
        for (k, v) in map {
            let op: Operator = k.parse().map_err(D::Error::custom)?;
            slots[op.index()] = Some(v);
        }
        let mut out = Vec::with_capacity(3);
        for (op, slot) in Operator::ALL.iter().zip(slots) {
            out.push(slot.ok_or_else(|| D::Error::custom(format!("missing operator {op}")))?);
        }
        let arr: [T; 3] = out
            .try_into()
            .map_err(|_| D::Error::custom("three operators"))?;
        Ok(PerOperator(arr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for op in Operator::ALL {
            assert_eq!(op.code().parse::<Operator>().unwrap(), op);
        }
        assert!("cmcc".parse::<Operator>().is_err());
    }

    #[test]
    fn set_union_and_len() {
        let a: OperatorSet = [Operator::Cmcc].into_iter().collect();
        let b: OperatorSet = [Operator::Cucc, Operator::Cmcc].into_iter().collect();
        assert_eq!(a.union(b).len(), 2);
        assert!(!a.union(b).contains(Operator::Ctcc));
    }
}
