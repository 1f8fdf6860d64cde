//! The 2015 Chinese 4G bands of each operator, with their sources: the
//! defaults a config's radio starts from.
//!
//! Frequencies are the operator's own block inside the E-UTRA band (3GPP TS
//! 36.101 Table 5.5-1), as MIIT licensed it. Path loss is evaluated at the
//! downlink centre: the higher of the two FDD frequencies, so the conservative
//! one for coverage.
//!
//! ```
//! use siting_model::Operator;
//! use siting_radio::band::{self, Band};
//! let f = Band::find("cmcc-b39").unwrap();
//! assert_eq!(f.operator, Operator::Cmcc);
//! assert_eq!(f.freq_mhz(), 1890.0);
//! // Each operator has a coverage band at 1.8/1.9 GHz and a second band at 2.1/2.3 GHz.
//! assert_eq!(band::of(Operator::Cucc).count(), 2);
//! ```

use crate::budget::LinkBudget;
use crate::capacity::{
    CellCapacity, LTE_2015_MAX_LOAD, LTE_2015_SPECTRAL_EFFICIENCY, TDD_E_BAND_DOWNLINK_SHARE,
    TDD_F_BAND_DOWNLINK_SHARE,
};
use siting_model::Operator;

/// Time- or frequency-division duplex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplex {
    /// TD-LTE: one block for both directions.
    Tdd,
    /// LTE FDD: paired uplink and downlink blocks.
    Fdd,
}

/// One operator's licensed block in one E-UTRA band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Code a config names it by, e.g. `cmcc-b39`.
    pub code: &'static str,
    /// The licensee.
    pub operator: Operator,
    /// E-UTRA operating band number (TS 36.101 Table 5.5-1).
    pub eutra_band: u8,
    /// TDD or FDD.
    pub duplex: Duplex,
    /// Downlink block, MHz (the whole block for TDD).
    pub downlink_mhz: [f64; 2],
    /// Uplink block, MHz (the same as the downlink for TDD).
    pub uplink_mhz: [f64; 2],
    /// Licensed for indoor coverage only.
    pub indoor_only: bool,
    /// A label for reports.
    pub name: &'static str,
    /// Where the block comes from.
    pub source: &'static str,
}

impl Band {
    /// The frequency path loss is evaluated at: the downlink centre, MHz.
    pub fn freq_mhz(&self) -> f64 {
        (self.downlink_mhz[0] + self.downlink_mhz[1]) / 2.0
    }

    /// The preset with this code.
    pub fn find(code: &str) -> Option<&'static Band> {
        BANDS.iter().find(|b| b.code == code)
    }

    /// The uplink-limited LTE link budget of 2015 planning, for every band.
    pub fn default_budget(&self) -> LinkBudget {
        LinkBudget::lte_2015_uplink()
    }

    /// Downlink block width, MHz.
    pub fn bandwidth_mhz(&self) -> f64 {
        self.downlink_mhz[1] - self.downlink_mhz[0]
    }

    /// What one station of this band carries by default: the licensed
    /// downlink block, three sectors on a macro station and one cell on a
    /// street pole or indoor system, 1.5 bit/s/Hz per cell
    /// ([`LTE_2015_SPECTRAL_EFFICIENCY`]), the TDD frame's downlink share
    /// (band 39: [`TDD_F_BAND_DOWNLINK_SHARE`], band 40:
    /// [`TDD_E_BAND_DOWNLINK_SHARE`]; FDD: 1) and a 70% highest load
    /// ([`LTE_2015_MAX_LOAD`]).
    pub fn default_capacity(&self) -> CellCapacity {
        CellCapacity {
            bandwidth_mhz: self.bandwidth_mhz(),
            sectors: 3,
            small_cell_sectors: 1,
            spectral_efficiency_bps_hz: LTE_2015_SPECTRAL_EFFICIENCY,
            downlink_share: match (self.duplex, self.eutra_band) {
                (Duplex::Fdd, _) => 1.0,
                (Duplex::Tdd, 40) => TDD_E_BAND_DOWNLINK_SHARE,
                (Duplex::Tdd, _) => TDD_F_BAND_DOWNLINK_SHARE,
            },
            max_load: LTE_2015_MAX_LOAD,
        }
    }
}

/// The presets of one operator, in [`BANDS`] order.
pub fn of(op: Operator) -> impl Iterator<Item = &'static Band> {
    BANDS.iter().filter(move |b| b.operator == op)
}

/// Every preset: CMCC's TD-LTE F (1.9 GHz) and E (2.3 GHz) blocks; CUCC's and
/// CTCC's LTE FDD blocks at 1.8 GHz (band 3) and 2.1 GHz (band 1).
pub const BANDS: [Band; 6] = [
    Band {
        code: "cmcc-b39",
        operator: Operator::Cmcc,
        eutra_band: 39,
        duplex: Duplex::Tdd,
        downlink_mhz: [1880.0, 1900.0],
        uplink_mhz: [1880.0, 1900.0],
        indoor_only: false,
        name: "TD-LTE band 39 (F), 1880–1900 MHz",
        source: "MIIT TD-LTE licence to China Mobile, 4 Dec 2013 (1880–1900, 2320–2370, 2575–2635 MHz); 3GPP TS 36.101 Table 5.5-1, band 39",
    },
    Band {
        code: "cmcc-b40",
        operator: Operator::Cmcc,
        eutra_band: 40,
        duplex: Duplex::Tdd,
        downlink_mhz: [2320.0, 2370.0],
        uplink_mhz: [2320.0, 2370.0],
        indoor_only: true,
        name: "TD-LTE band 40 (E), 2320–2370 MHz, indoor",
        source: "MIIT TD-LTE licence to China Mobile, 4 Dec 2013 (2320–2370 MHz for indoor coverage); 3GPP TS 36.101 Table 5.5-1, band 40",
    },
    Band {
        code: "cucc-b3",
        operator: Operator::Cucc,
        eutra_band: 3,
        duplex: Duplex::Fdd,
        downlink_mhz: [1850.0, 1860.0],
        uplink_mhz: [1755.0, 1765.0],
        indoor_only: false,
        name: "LTE FDD band 3, 1755–1765 / 1850–1860 MHz",
        source: "MIIT FDD-LTE licence to China Unicom, 27 Feb 2015 (1755–1765 / 1850–1860 MHz); 3GPP TS 36.101 Table 5.5-1, band 3",
    },
    Band {
        code: "cucc-b1",
        operator: Operator::Cucc,
        eutra_band: 1,
        duplex: Duplex::Fdd,
        downlink_mhz: [2130.0, 2145.0],
        uplink_mhz: [1940.0, 1955.0],
        indoor_only: false,
        name: "LTE FDD band 1, 1940–1955 / 2130–2145 MHz",
        source: "MIIT 3G (WCDMA) licence to China Unicom, 7 Jan 2009 (1940–1955 / 2130–2145 MHz), re-farmed for LTE FDD; 3GPP TS 36.101 Table 5.5-1, band 1",
    },
    Band {
        code: "ctcc-b3",
        operator: Operator::Ctcc,
        eutra_band: 3,
        duplex: Duplex::Fdd,
        downlink_mhz: [1860.0, 1875.0],
        uplink_mhz: [1765.0, 1780.0],
        indoor_only: false,
        name: "LTE FDD band 3, 1765–1780 / 1860–1875 MHz",
        source: "MIIT FDD-LTE licence to China Telecom, 27 Feb 2015 (1765–1780 / 1860–1875 MHz); 3GPP TS 36.101 Table 5.5-1, band 3",
    },
    Band {
        code: "ctcc-b1",
        operator: Operator::Ctcc,
        eutra_band: 1,
        duplex: Duplex::Fdd,
        downlink_mhz: [2110.0, 2125.0],
        uplink_mhz: [1920.0, 1935.0],
        indoor_only: false,
        name: "LTE FDD band 1, 1920–1935 / 2110–2125 MHz",
        source: "MIIT 3G (CDMA2000) licence to China Telecom, 7 Jan 2009 (1920–1935 / 2110–2125 MHz), re-farmed for LTE FDD; 3GPP TS 36.101 Table 5.5-1, band 1",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// TS 36.101 Table 5.5-1: (band, uplink range, downlink range), MHz.
    const EUTRA: [(u8, [f64; 2], [f64; 2]); 4] = [
        (1, [1920.0, 1980.0], [2110.0, 2170.0]),
        (3, [1710.0, 1785.0], [1805.0, 1880.0]),
        (39, [1880.0, 1920.0], [1880.0, 1920.0]),
        (40, [2300.0, 2400.0], [2300.0, 2400.0]),
    ];

    #[test]
    fn every_block_lies_inside_its_eutra_band() {
        for b in &BANDS {
            let (_, ul, dl) = EUTRA
                .iter()
                .find(|(n, _, _)| *n == b.eutra_band)
                .expect("a band of the table");
            assert!(
                ul[0] <= b.uplink_mhz[0] && b.uplink_mhz[1] <= ul[1],
                "{}",
                b.code
            );
            assert!(
                dl[0] <= b.downlink_mhz[0] && b.downlink_mhz[1] <= dl[1],
                "{}",
                b.code
            );
            assert!(b.downlink_mhz[0] < b.downlink_mhz[1]);
            assert_eq!(b.duplex == Duplex::Tdd, b.uplink_mhz == b.downlink_mhz);
            assert!(b.code.starts_with(&b.operator.code().to_lowercase()));
        }
    }

    #[test]
    fn each_operator_has_its_2015_coverage_and_second_band() {
        let within = |op, lo: f64, hi: f64| of(op).any(|b| (lo..=hi).contains(&b.freq_mhz()));
        // CMCC TD-LTE at 1.9 and 2.3 GHz; CUCC and CTCC LTE FDD at 1.8 and 2.1 GHz.
        assert!(within(Operator::Cmcc, 1880.0, 1920.0) && within(Operator::Cmcc, 2300.0, 2400.0));
        for op in [Operator::Cucc, Operator::Ctcc] {
            assert!(
                within(op, 1805.0, 1880.0) && within(op, 2110.0, 2170.0),
                "{op}"
            );
        }
    }

    #[test]
    fn default_capacities_follow_the_licences() {
        let mbps = |code| {
            Band::find(code)
                .expect("a preset")
                .default_capacity()
                .station_mbps(false)
        };
        // CMCC's 20 MHz TDD block carries less than CTCC's 15 MHz FDD one
        // per station (downlink share 0.64), CUCC's 10 MHz the least.
        assert!((mbps("cmcc-b39") - 20.0 * 3.0 * 1.5 * 0.643 * 0.7).abs() < 1e-9);
        assert!((mbps("ctcc-b3") - 15.0 * 3.0 * 1.5 * 0.7).abs() < 1e-9);
        assert!((mbps("cucc-b3") - 10.0 * 3.0 * 1.5 * 0.7).abs() < 1e-9);
        for b in &BANDS {
            assert_eq!(b.default_capacity().validate(), Ok(()), "{}", b.code);
        }
    }

    #[test]
    fn codes_are_unique_and_found() {
        for b in &BANDS {
            assert_eq!(Band::find(b.code), Some(b));
        }
        assert_eq!(Band::find("cmcc-b3"), None);
    }
}
