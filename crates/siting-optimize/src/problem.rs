//! The optimisation instance: sets, weights, capacities, costs, quotas.

/// Demand weight, an integer so that sums are exact and order-free.
pub type Weight = u64;
/// Money, whole yuan.
pub type Yuan = u64;

/// One site the plan may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteChoice {
    /// Built before the plan (sharing it is rule R1's first choice).
    pub existing: bool,
    /// Operators on the site before the plan, as a bit mask (bit `o` is operator `o`).
    pub tenants: u8,
    /// Tenant slots in all (before and after the plan).
    pub capacity: u8,
    /// Cost of building the site, paid by its first new base station; 0 for existing sites.
    pub build_cost_yuan: Yuan,
    /// Cost of each new base station on the site (equipment, lease, fees).
    pub tenant_cost_yuan: Yuan,
    /// Per operator, the demand items a base station of that operator here would
    /// cover, ascending, no duplicates.
    pub coverage: Vec<Vec<u32>>,
}

/// A whole instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Number of operators (at most 8).
    pub operators: usize,
    /// Weight of each demand item.
    pub weights: Vec<Weight>,
    /// Per operator, whether each demand item is already covered before the plan.
    pub covered_before: Vec<Vec<bool>>,
    /// The sites.
    pub sites: Vec<SiteChoice>,
    /// New base stations each operator must place.
    pub quota: Vec<u32>,
}

/// How to solve.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Rule R1 as a hard rule: a new site's gain counts only demand that no
    /// existing site with a free slot for that operator can cover.
    pub sharing_first: bool,
    /// Total budget, yuan; `None` for none.
    pub budget_yuan: Option<Yuan>,
    /// Minimum sharing rate (0..1) the plan must reach, if any.
    pub min_sharing_rate: Option<f64>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            sharing_first: true,
            budget_yuan: None,
            min_sharing_rate: None,
        }
    }
}

/// An instance that is not well formed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemError {
    /// Operators out of range.
    #[error("{0} operators: between 1 and 8 are supported")]
    Operators(usize),
    /// A per-operator vector of the wrong length.
    #[error("{what} has {got} entries for {want} operators")]
    Length {
        /// Which field.
        what: String,
        /// Its length.
        got: usize,
        /// The number of operators.
        want: usize,
    },
    /// A coverage set names a demand item that does not exist, or is unsorted.
    #[error("site {site}, operator {operator}: coverage set is not ascending within 0..{items}")]
    Coverage {
        /// Site index.
        site: usize,
        /// Operator index.
        operator: usize,
        /// Number of demand items.
        items: usize,
    },
    /// More tenants than capacity.
    #[error("site {0}: more tenants than capacity")]
    Capacity(usize),
    /// Weights too large to add up exactly.
    #[error("demand weights add up to more than {} (a quarter of u64's range)", u64::MAX / 4)]
    Weights,
    /// A sharing rate outside 0..1.
    #[error("minimum sharing rate {0} is outside 0..1")]
    SharingRate(f64),
}

impl Problem {
    /// Checks the instance is well formed.
    pub fn validate(&self, params: &Params) -> Result<(), ProblemError> {
        let k = self.operators;
        if k == 0 || k > 8 {
            return Err(ProblemError::Operators(k));
        }
        let len = |what: &str, got: usize| {
            if got == k {
                Ok(())
            } else {
                Err(ProblemError::Length {
                    what: what.into(),
                    got,
                    want: k,
                })
            }
        };
        len("quota", self.quota.len())?;
        len("covered_before", self.covered_before.len())?;
        let n = self.weights.len();
        let total = self.weights.iter().try_fold(0u64, |a, w| a.checked_add(*w));
        if total.is_none_or(|t| t > u64::MAX / 4) {
            return Err(ProblemError::Weights);
        }
        for c in &self.covered_before {
            if c.len() != n {
                return Err(ProblemError::Length {
                    what: "covered_before row".into(),
                    got: c.len(),
                    want: n,
                });
            }
        }
        for (i, s) in self.sites.iter().enumerate() {
            len(&format!("site {i} coverage"), s.coverage.len())?;
            if s.tenants.count_ones() > s.capacity as u32 {
                return Err(ProblemError::Capacity(i));
            }
            for (o, cov) in s.coverage.iter().enumerate() {
                let ascending = cov.windows(2).all(|w| w[0] < w[1]);
                if !ascending || cov.last().is_some_and(|&d| d as usize >= n) {
                    return Err(ProblemError::Coverage {
                        site: i,
                        operator: o,
                        items: n,
                    });
                }
            }
        }
        if let Some(r) = params.min_sharing_rate {
            if !(0.0..=1.0).contains(&r) {
                return Err(ProblemError::SharingRate(r));
            }
        }
        Ok(())
    }
}
