//! What one base station of one band can carry: the downlink capacity in
//! the busy hour, from the band's width, the cells on the site, the spectral
//! efficiency per cell, the TDD downlink share and the highest load planned.
//!
//! `capacity = bandwidth × cells × efficiency × downlink share × max load`.
//!
//! ```
//! use siting_radio::capacity::CellCapacity;
//! // A 20 MHz FDD carrier, three sectors at 1.5 bit/s/Hz, loaded to 70%.
//! let c = CellCapacity {
//!     bandwidth_mhz: 20.0,
//!     sectors: 3,
//!     small_cell_sectors: 1,
//!     spectral_efficiency_bps_hz: 1.5,
//!     downlink_share: 1.0,
//!     max_load: 0.7,
//! };
//! assert!((c.station_mbps(false) - 63.0).abs() < 1e-9);
//! // A street pole or an indoor system runs one cell.
//! assert!((c.station_mbps(true) - 21.0).abs() < 1e-9);
//! ```

use serde::{Deserialize, Serialize};

/// Capacity figures of one band on one station.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellCapacity {
    /// Downlink carrier width, MHz (the whole block for TDD).
    pub bandwidth_mhz: f64,
    /// Cells (sectors) of a macro station: a tower or a rooftop.
    pub sectors: u8,
    /// Cells of a small station: a street pole or an indoor system.
    pub small_cell_sectors: u8,
    /// Average downlink spectral efficiency per cell in the busy hour, bit/s/Hz.
    pub spectral_efficiency_bps_hz: f64,
    /// Share of air time on the downlink: 1 for FDD, the frame
    /// configuration's share for TDD, 0..1.
    pub downlink_share: f64,
    /// Highest planned load of a cell, 0..1: above it the station counts as
    /// full (the operators' expansion trigger).
    pub max_load: f64,
}

/// A capacity figure that is out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{key} = {value}: {problem}")]
pub struct CapacityError {
    /// The key.
    pub key: &'static str,
    /// Its value.
    pub value: f64,
    /// What is wrong.
    pub problem: &'static str,
}

impl CellCapacity {
    /// The busy-hour downlink traffic one station can carry, Mbit/s: a
    /// macro station's `sectors`, or a small one's `small_cell_sectors`.
    pub fn station_mbps(&self, small_cell: bool) -> f64 {
        let cells = if small_cell {
            self.small_cell_sectors
        } else {
            self.sectors
        };
        self.bandwidth_mhz
            * f64::from(cells)
            * self.spectral_efficiency_bps_hz
            * self.downlink_share
            * self.max_load
    }

    /// Checks every figure: positive widths and efficiencies (at most
    /// 30 bit/s/Hz, beyond any LTE cell), 1 to 12 cells, shares within 0..1.
    pub fn validate(&self) -> Result<(), CapacityError> {
        let err = |key, value, problem| {
            Err(CapacityError {
                key,
                value,
                problem,
            })
        };
        let finite_pos = |x: f64| x.is_finite() && x > 0.0;
        if !finite_pos(self.bandwidth_mhz) || self.bandwidth_mhz > 1000.0 {
            return err(
                "bandwidth_mhz",
                self.bandwidth_mhz,
                "must be a positive width in MHz, at most 1000",
            );
        }
        for (key, n) in [
            ("sectors", self.sectors),
            ("small_cell_sectors", self.small_cell_sectors),
        ] {
            if !(1..=12).contains(&n) {
                return err(
                    key,
                    f64::from(n),
                    "must be a whole number of cells from 1 to 12",
                );
            }
        }
        if !finite_pos(self.spectral_efficiency_bps_hz) || self.spectral_efficiency_bps_hz > 30.0 {
            return err(
                "spectral_efficiency_bps_hz",
                self.spectral_efficiency_bps_hz,
                "must be positive and at most 30 bit/s/Hz per cell",
            );
        }
        for (key, v) in [
            ("downlink_share", self.downlink_share),
            ("max_load", self.max_load),
        ] {
            if !(v.is_finite() && v > 0.0 && v <= 1.0) {
                return err(key, v, "must be a share above 0 and at most 1");
            }
        }
        Ok(())
    }
}

/// Average downlink spectral efficiency of a loaded LTE macro cell, bit/s/Hz:
/// "an LTE macro site of three 20 MHz sectors carries on the order of
/// 100 Mbit/s in the busy hour (about 1.5–2 bit/s/Hz per cell)"
/// (REGULATIONS.md, figures from outside the seeds); the low end, as the
/// 2015 networks ran 2×2 MIMO at best.
pub const LTE_2015_SPECTRAL_EFFICIENCY: f64 = 1.5;

/// Where the default capacity figures come from, for reports and `siting bands`.
pub const CAPACITY_SOURCE: &str = "1.5 bit/s/Hz per cell (REGULATIONS.md: an LTE macro site of three 20 MHz sectors carries on the order of 100 Mbit/s in the busy hour, about 1.5–2 bit/s/Hz per cell; the low end for 2015's 2×2 MIMO), 3 sectors on towers and rooftops and 1 cell on poles and indoor systems, 70% highest load (an assumption: a common expansion trigger)";

/// Highest planned cell load: the operators add capacity when a cell's
/// busy-hour resource use passes about 70% (an assumption: a common
/// expansion trigger, no published Chongqing figure).
pub const LTE_2015_MAX_LOAD: f64 = 0.7;

/// Downlink share of TD-LTE on band 39 (F) in 2015: uplink-downlink
/// configuration 2 (DSUDD, 3GPP TS 36.211 Table 4.2-2) with special
/// subframe configuration 5 (DwPTS of 3 of 14 symbols, TS 36.211 Table
/// 4.2-1), the frame F-band cells used to coexist with TD-SCDMA:
/// (6 + 2 × 3/14) / 10 ≈ 0.64.
pub const TDD_F_BAND_DOWNLINK_SHARE: f64 = 0.643;

/// Downlink share of TD-LTE on band 40 (E, indoor) in 2015: configuration 2
/// with special subframe configuration 7 (DwPTS of 10 of 14 symbols):
/// (6 + 2 × 10/14) / 10 ≈ 0.74.
pub const TDD_E_BAND_DOWNLINK_SHARE: f64 = 0.743;

#[cfg(test)]
mod tests {
    use super::*;

    fn lte20() -> CellCapacity {
        CellCapacity {
            bandwidth_mhz: 20.0,
            sectors: 3,
            small_cell_sectors: 1,
            spectral_efficiency_bps_hz: 1.5,
            downlink_share: 1.0,
            max_load: 1.0,
        }
    }

    #[test]
    fn three_20_mhz_sectors_carry_about_100_mbit_s() {
        // REGULATIONS.md: on the order of 100 Mbit/s at 1.5–2 bit/s/Hz.
        let c = lte20();
        assert!((c.station_mbps(false) - 90.0).abs() < 1e-9);
        let two = CellCapacity {
            spectral_efficiency_bps_hz: 2.0,
            ..c
        };
        assert!((two.station_mbps(false) - 120.0).abs() < 1e-9);
    }

    #[test]
    fn the_tdd_shares_follow_the_frame() {
        assert!((TDD_F_BAND_DOWNLINK_SHARE - (6.0 + 2.0 * 3.0 / 14.0) / 10.0).abs() < 1e-3);
        assert!((TDD_E_BAND_DOWNLINK_SHARE - (6.0 + 2.0 * 10.0 / 14.0) / 10.0).abs() < 1e-3);
    }

    #[test]
    fn bad_figures_are_refused_by_name() {
        let c = lte20();
        for (bad, key) in [
            (
                CellCapacity {
                    bandwidth_mhz: -1.0,
                    ..c
                },
                "bandwidth_mhz",
            ),
            (
                CellCapacity {
                    bandwidth_mhz: f64::NAN,
                    ..c
                },
                "bandwidth_mhz",
            ),
            (CellCapacity { sectors: 0, ..c }, "sectors"),
            (
                CellCapacity {
                    small_cell_sectors: 13,
                    ..c
                },
                "small_cell_sectors",
            ),
            (
                CellCapacity {
                    spectral_efficiency_bps_hz: 0.0,
                    ..c
                },
                "spectral_efficiency_bps_hz",
            ),
            (
                CellCapacity {
                    downlink_share: 1.2,
                    ..c
                },
                "downlink_share",
            ),
            (
                CellCapacity {
                    max_load: f64::NAN,
                    ..c
                },
                "max_load",
            ),
        ] {
            assert_eq!(bad.validate().map_err(|e| e.key), Err(key));
        }
        assert_eq!(c.validate(), Ok(()));
    }
}
