//! Radio technologies an operator runs on a site (2G, 3G, 4G), and a
//! tenant's text form `CMCC:2G+3G+4G`.

use crate::Operator;
use std::fmt;
use std::str::FromStr;

/// A generation of mobile radio an operator runs on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Technology {
    /// GSM (CMCC, CUCC) or CDMA 1X (CTCC).
    G2,
    /// TD-SCDMA (CMCC), WCDMA (CUCC) or CDMA2000 EV-DO (CTCC).
    G3,
    /// LTE: TD-LTE (CMCC from 2013) or LTE FDD (CUCC, CTCC from 2015).
    G4,
}

impl Technology {
    /// All technologies, oldest first.
    pub const ALL: [Technology; 3] = [Technology::G2, Technology::G3, Technology::G4];

    /// The code used in layers: `2G`, `3G`, `4G`.
    pub fn code(self) -> &'static str {
        match self {
            Technology::G2 => "2G",
            Technology::G3 => "3G",
            Technology::G4 => "4G",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Technology {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Technology {
    type Err = String;
    /// `2G`, `3G` or `4G` (case-insensitive; `LTE` for 4G).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "2G" => Ok(Technology::G2),
            "3G" => Ok(Technology::G3),
            "4G" | "LTE" => Ok(Technology::G4),
            _ => Err(format!("unknown technology {s:?} (expected 2G, 3G or 4G)")),
        }
    }
}

/// The technologies one tenant runs on one site, as a bit mask.
///
/// ```
/// use siting_model::{TechSet, Technology};
/// let t: TechSet = "2G+4G".parse().unwrap();
/// assert!(t.contains(Technology::G4) && !t.contains(Technology::G3));
/// assert_eq!(t.to_string(), "2G+4G");
/// assert!("5G".parse::<TechSet>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct TechSet(u8);

impl TechSet {
    /// No technology.
    pub const EMPTY: TechSet = TechSet(0);

    /// Adds a technology; returns whether it was new.
    pub fn insert(&mut self, t: Technology) -> bool {
        let new = !self.contains(t);
        self.0 |= t.bit();
        new
    }

    /// Whether the set holds `t`.
    pub fn contains(self, t: Technology) -> bool {
        self.0 & t.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Technologies, oldest first.
    pub fn iter(self) -> impl Iterator<Item = Technology> {
        Technology::ALL
            .into_iter()
            .filter(move |t| self.contains(*t))
    }

    /// Number of technologies.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
}

impl FromIterator<Technology> for TechSet {
    fn from_iter<I: IntoIterator<Item = Technology>>(iter: I) -> Self {
        let mut s = TechSet::EMPTY;
        for t in iter {
            s.insert(t);
        }
        s
    }
}

impl fmt::Display for TechSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<&str> = self.iter().map(Technology::code).collect();
        f.write_str(&codes.join("+"))
    }
}

impl FromStr for TechSet {
    type Err = String;
    /// Technologies joined by `+` or `/` (`2G+3G+4G`); each once.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut set = TechSet::EMPTY;
        for part in s.split(['+', '/']) {
            if part.trim().is_empty() {
                return Err(format!("empty technology in {s:?}"));
            }
            let t: Technology = part.parse()?;
            if !set.insert(t) {
                return Err(format!("{t} listed twice in {s:?}"));
            }
        }
        Ok(set)
    }
}

/// One tenant as a layer writes it: `CMCC:2G+3G+4G`, or a bare `CMCC`
/// whose technologies the layer does not say (`None`).
///
/// ```
/// use siting_model::{Operator, technology::parse_tenant};
/// let (op, tech) = parse_tenant("CUCC:2G+3G").unwrap();
/// assert_eq!(op, Operator::Cucc);
/// assert_eq!(tech.unwrap().to_string(), "2G+3G");
/// assert_eq!(parse_tenant("CTCC").unwrap(), (Operator::Ctcc, None));
/// assert!(parse_tenant("CMCC:").is_err());
/// ```
pub fn parse_tenant(s: &str) -> Result<(Operator, Option<TechSet>), String> {
    let s = s.trim();
    let (op, tech) = match s.split_once(':') {
        Some((op, tech)) => (op.trim(), Some(tech.trim())),
        None => (s, None),
    };
    let op: Operator = op
        .parse()
        .map_err(|e: crate::ParseOperatorError| e.to_string())?;
    let tech = match tech {
        None => None,
        Some("") => {
            return Err(format!(
                "tenant {s:?} names no technology after the colon (write e.g. {op}:2G+4G)"
            ))
        }
        Some(t) => Some(t.parse::<TechSet>()?),
    };
    Ok((op, tech))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_forms() {
        assert_eq!(
            parse_tenant(" CMCC : 4G/2G ").unwrap(),
            (Operator::Cmcc, Some("2G+4G".parse().unwrap()))
        );
        assert_eq!(
            parse_tenant("CTCC:lte").unwrap().1.unwrap().to_string(),
            "4G"
        );
        for bad in ["XX:2G", "CMCC:2G+2G", "CMCC:2G++3G", "CMCC:5G", ""] {
            assert!(parse_tenant(bad).is_err(), "{bad}");
        }
    }
}
