//! The rule and target table, with sources.

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

/// Every rule and target the engine knows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Catalogue {
    /// The rules, `R1`…
    #[serde(rename = "rule")]
    pub rules: Vec<Entry>,
    /// The targets, `T1`…
    #[serde(rename = "target")]
    pub targets: Vec<Entry>,
}

/// The embedded table could not be read.
#[derive(Debug, thiserror::Error)]
#[error("rules.toml: {0}")]
pub struct CatalogueError(#[from] toml::de::Error);

const EMBEDDED: &str = include_str!("../rules.toml");

impl Catalogue {
    /// The table shipped with the engine.
    pub fn embedded() -> Result<Catalogue, CatalogueError> {
        Ok(toml::from_str(EMBEDDED)?)
    }

    /// A rule or target by id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.rules.iter().chain(&self.targets).find(|e| e.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_has_every_rule_with_a_source() {
        let c = Catalogue::embedded().unwrap();
        let ids: Vec<_> = c.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, (1..=12).map(|i| format!("R{i}")).collect::<Vec<_>>());
        assert!(c
            .rules
            .iter()
            .chain(&c.targets)
            .all(|e| !e.source.is_empty()));
        assert_eq!(c.get("T3").unwrap().source, "渝府办发〔2015〕41号 §1");
    }
}
