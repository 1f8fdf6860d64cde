//! A maximum range per environment, scaled by antenna height.

use crate::model::{CoverageModel, Receiver, Transmitter};

/// Covers a receiver when it is within the environment's range, scaled by
/// `(height_m / reference_height_m) ^ height_exponent`.
///
/// The stand-in for a propagation model: ranges by area type are what planners
/// quote for a band before they run a link budget.
///
/// ```
/// use siting_model::Environment;
/// use siting_radio::{CoverageModel, RangeModel, Receiver, Transmitter};
/// let m = RangeModel::new([500.0, 1000.0, 2000.0, 5000.0], 30.0, 0.5).unwrap();
/// let mast = Transmitter { height_m: 30.0, ground_m: 0.0 };
/// let rx = |environment| Receiver { environment, ground_m: 0.0 };
/// assert!(m.covers(&mast, &rx(Environment::Rural), 5000.0));
/// assert!(!m.covers(&mast, &rx(Environment::Urban), 1001.0));
/// // A pole a quarter as tall reaches half as far.
/// let pole = Transmitter { height_m: 7.5, ground_m: 0.0 };
/// assert_eq!(m.max_range_m(&pole), 2500.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RangeModel {
    range_m: [f64; 4],
    reference_height_m: f64,
    height_exponent: f64,
}

/// A range model with impossible parameters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("range model: {0}")]
pub struct RangeModelError(String);

impl RangeModel {
    /// `range_m` per environment in [`Environment::ALL`] order (dense urban,
    /// urban, suburban, rural), metres, at `reference_height_m`.
    pub fn new(
        range_m: [f64; 4],
        reference_height_m: f64,
        height_exponent: f64,
    ) -> Result<Self, RangeModelError> {
        if range_m.iter().any(|r| !(r.is_finite() && *r > 0.0)) {
            return Err(RangeModelError(format!(
                "every range must be a positive number of metres, got {range_m:?}"
            )));
        }
        if !(reference_height_m.is_finite() && reference_height_m > 0.0) {
            return Err(RangeModelError(format!(
                "reference height must be positive, got {reference_height_m}"
            )));
        }
        if !(0.0..=2.0).contains(&height_exponent) {
            return Err(RangeModelError(format!(
                "height exponent must be within 0..2, got {height_exponent}"
            )));
        }
        Ok(RangeModel {
            range_m,
            reference_height_m,
            height_exponent,
        })
    }

    fn scale(&self, tx: &Transmitter) -> f64 {
        (tx.height_m / self.reference_height_m).powf(self.height_exponent)
    }
}

impl CoverageModel for RangeModel {
    fn max_range_m(&self, tx: &Transmitter) -> f64 {
        self.range_m.iter().cloned().fold(0.0, f64::max) * self.scale(tx)
    }

    fn covers(&self, tx: &Transmitter, rx: &Receiver, distance_m: f64) -> bool {
        distance_m <= self.range_m[rx.environment.index()] * self.scale(tx)
    }

    fn describe(&self) -> String {
        format!(
            "range by environment (dense urban {} m, urban {} m, suburban {} m, rural {} m at {} m height, height exponent {})",
            self.range_m[0], self.range_m[1], self.range_m[2], self.range_m[3], self.reference_height_m, self.height_exponent
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use siting_model::Environment;

    proptest! {
        #[test]
        fn range_grows_with_height_and_is_monotone_in_distance(h in 1.0..100.0f64, d in 0.0..20000.0f64, e in 0usize..4) {
            let m = RangeModel::new([400.0, 900.0, 2500.0, 6000.0], 30.0, 0.5).unwrap();
            let env = Receiver { environment: Environment::ALL[e], ground_m: 0.0 };
            let lo = Transmitter { height_m: h, ground_m: 0.0 };
            let hi = Transmitter { height_m: h * 1.5, ground_m: 0.0 };
            if m.covers(&lo, &env, d) {
                prop_assert!(m.covers(&hi, &env, d));
                prop_assert!(m.covers(&lo, &env, d * 0.9));
                prop_assert!(d <= m.max_range_m(&lo));
            }
        }
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(RangeModel::new([0.0, 1.0, 1.0, 1.0], 30.0, 0.5).is_err());
        assert!(RangeModel::new([1.0; 4], -1.0, 0.5).is_err());
        assert!(RangeModel::new([1.0; 4], 30.0, 5.0).is_err());
    }
}
