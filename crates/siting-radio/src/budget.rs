//! Link budgets: the maximum allowable path loss of a link.

use serde::{Deserialize, Serialize};

/// One operator's link budget for one band, in dBm, dBi and dB.
///
/// The maximum allowable path loss is
/// `tx_power_dbm + tx_antenna_gain_dbi − tx_cable_loss_db + rx_antenna_gain_dbi
///  − body_loss_db − interference_margin_db − fading_margin_db − rx_sensitivity_dbm`;
/// a receiver is covered where the path loss, plus the environment's
/// penetration loss, stays at or below it.
///
/// ```
/// use siting_radio::LinkBudget;
/// let b = LinkBudget { tx_power_dbm: 23.0, tx_antenna_gain_dbi: 0.0, tx_cable_loss_db: 0.0,
///     rx_antenna_gain_dbi: 18.0, rx_cable_loss_db: 2.0, rx_sensitivity_dbm: -120.0, body_loss_db: 3.0,
///     interference_margin_db: 3.0, fading_margin_db: 8.0 };
/// assert_eq!(b.max_path_loss_db(), 145.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkBudget {
    /// Transmit power, dBm.
    pub tx_power_dbm: f64,
    /// Transmit antenna gain, dBi.
    pub tx_antenna_gain_dbi: f64,
    /// Transmit feeder and connector loss, dB.
    pub tx_cable_loss_db: f64,
    /// Receive antenna gain, dBi.
    pub rx_antenna_gain_dbi: f64,
    /// Receive feeder loss, dB.
    #[serde(default)]
    pub rx_cable_loss_db: f64,
    /// Receiver sensitivity, dBm.
    pub rx_sensitivity_dbm: f64,
    /// Body loss, dB.
    pub body_loss_db: f64,
    /// Interference margin, dB.
    pub interference_margin_db: f64,
    /// Slow-fading (shadowing) margin, dB.
    pub fading_margin_db: f64,
}

/// Where [`LinkBudget::lte_2015_uplink`]'s figures come from.
pub const LTE_2015_UPLINK_SOURCE: &str = "uplink-limited LTE budget of 2015 planning: UE power class 3, 23 dBm (3GPP TS 36.101 §6.2.2); base-station antenna 18 dBi, 2 dB feeder; sensitivity −174 dBm/Hz + 10·log10(360 kHz) + 2.5 dB noise figure − 1 dB SINR = −116.9 dBm (two resource blocks); body loss 3 dB; interference margin 3 dB; shadow-fading margin 8 dB (about 90% area coverage); structure as in Holma & Toskala, LTE for UMTS, ch. 9";

impl LinkBudget {
    /// The uplink-limited LTE link budget of 2015 planning
    /// ([`LTE_2015_UPLINK_SOURCE`]): 141.9 dB maximum path loss.
    ///
    /// ```
    /// let b = siting_radio::LinkBudget::lte_2015_uplink();
    /// assert!((b.max_path_loss_db() - 141.9).abs() < 1e-9);
    /// ```
    pub fn lte_2015_uplink() -> Self {
        LinkBudget {
            tx_power_dbm: 23.0,
            tx_antenna_gain_dbi: 0.0,
            tx_cable_loss_db: 0.0,
            rx_antenna_gain_dbi: 18.0,
            rx_cable_loss_db: 2.0,
            rx_sensitivity_dbm: -116.9,
            body_loss_db: 3.0,
            interference_margin_db: 3.0,
            fading_margin_db: 8.0,
        }
    }

    /// Maximum allowable path loss, dB.
    pub fn max_path_loss_db(&self) -> f64 {
        self.tx_power_dbm + self.tx_antenna_gain_dbi - self.tx_cable_loss_db
            + self.rx_antenna_gain_dbi
            - self.rx_cable_loss_db
            - self.body_loss_db
            - self.interference_margin_db
            - self.fading_margin_db
            - self.rx_sensitivity_dbm
    }

    /// Every field is a finite number and the losses and margins are not negative.
    pub fn validate(&self) -> Result<(), String> {
        let all = [
            ("tx_power_dbm", self.tx_power_dbm),
            ("tx_antenna_gain_dbi", self.tx_antenna_gain_dbi),
            ("tx_cable_loss_db", self.tx_cable_loss_db),
            ("rx_antenna_gain_dbi", self.rx_antenna_gain_dbi),
            ("rx_cable_loss_db", self.rx_cable_loss_db),
            ("rx_sensitivity_dbm", self.rx_sensitivity_dbm),
            ("body_loss_db", self.body_loss_db),
            ("interference_margin_db", self.interference_margin_db),
            ("fading_margin_db", self.fading_margin_db),
        ];
        for (name, v) in all {
            if !v.is_finite() {
                return Err(format!("link budget {name} is not a number"));
            }
        }
        for (name, v) in [
            ("tx_cable_loss_db", self.tx_cable_loss_db),
            ("rx_cable_loss_db", self.rx_cable_loss_db),
            ("body_loss_db", self.body_loss_db),
            ("interference_margin_db", self.interference_margin_db),
            ("fading_margin_db", self.fading_margin_db),
        ] {
            if v < 0.0 {
                return Err(format!("link budget {name} is negative ({v} dB)"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lte_2015_sensitivity_is_thermal_noise_over_two_resource_blocks() {
        let noise_dbm = -174.0 + 10.0 * (2.0 * 180e3f64).log10();
        let sensitivity = noise_dbm + 2.5 - 1.0;
        let b = LinkBudget::lte_2015_uplink();
        assert!((b.rx_sensitivity_dbm - sensitivity).abs() < 0.05);
        assert!(b.validate().is_ok());
    }
}
