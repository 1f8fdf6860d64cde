//! A rule or target as plans cite it: id, title, kind and source.

use serde::Deserialize;

/// One rule or target.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Entry {
    /// `R1`…`R12`, `T1`…
    pub id: String,
    /// What it says, in one line.
    pub title: String,
    /// Hard, flag, cost, … (rules only).
    #[serde(default)]
    pub kind: String,
    /// Document and article.
    pub source: String,
}
