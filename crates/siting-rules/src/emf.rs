//! Public exposure limits of GB 8702-2014 (电磁环境控制限值) and the
//! compliance distance of a transmitter against them.
//!
//! Table 1 of GB 8702-2014 gives, per frequency band, the public exposure
//! limits of electric field strength and equivalent plane-wave power density
//! (f in MHz):
//!
//! | band | E, V/m | S, W/m² |
//! |---|---|---|
//! | 0.1–3 MHz | 40 | 4 |
//! | 3–30 MHz | 67/√f | 12/f |
//! | 30–3,000 MHz | 12 | 0.4 |
//! | 3,000–15,000 MHz | 0.22·√f | f/7,500 |
//! | 15–300 GHz | 27 | 2 |
//!
//! HJ/T 10.3-1996 keeps one project's (one site's) own contribution at a
//! fraction of the limit, 1/5 of the power density (1/√5 of the field
//! strength): 0.08 W/m² between 30 MHz and 3 GHz. In the far field the power
//! density at distance d is S = EIRP / (4πd²), so the distance at which a
//! site falls to its share of the limit is d = √(EIRP / (4π·S)).

/// The public exposure limit at one frequency (GB 8702-2014, Table 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExposureLimit {
    /// Electric field strength, V/m.
    pub e_v_m: f64,
    /// Equivalent plane-wave power density, W/m².
    pub s_w_m2: f64,
}

/// A frequency or fraction the standard does not cover.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EmfError {
    /// GB 8702-2014 sets a power-density limit from 0.1 MHz to 300 GHz only.
    #[error("{0} MHz is outside 0.1 MHz–300 GHz, where GB 8702-2014 sets a power-density limit")]
    Frequency(f64),
    /// The single-site fraction must lie in (0, 1].
    #[error("site fraction {0} is not in (0, 1] (HJ/T 10.3-1996 uses 0.2)")]
    Fraction(f64),
    /// EIRP must be a finite non-negative power.
    #[error("EIRP {0} W is not a finite non-negative power")]
    Power(f64),
}

/// The public exposure limit of GB 8702-2014 at `freq_mhz`.
///
/// ```
/// use siting_rules::emf::public_limit;
/// assert_eq!(public_limit(1800.0).unwrap().s_w_m2, 0.4);
/// assert!((public_limit(3500.0).unwrap().s_w_m2 - 3500.0 / 7500.0).abs() < 1e-12);
/// assert!(public_limit(0.05).is_err());
/// ```
pub fn public_limit(freq_mhz: f64) -> Result<ExposureLimit, EmfError> {
    let f = freq_mhz;
    if !f.is_finite() || !(0.1..=300_000.0).contains(&f) {
        return Err(EmfError::Frequency(f));
    }
    Ok(if f < 3.0 {
        ExposureLimit {
            e_v_m: 40.0,
            s_w_m2: 4.0,
        }
    } else if f < 30.0 {
        ExposureLimit {
            e_v_m: 67.0 / f.sqrt(),
            s_w_m2: 12.0 / f,
        }
    } else if f <= 3_000.0 {
        ExposureLimit {
            e_v_m: 12.0,
            s_w_m2: 0.4,
        }
    } else if f <= 15_000.0 {
        ExposureLimit {
            e_v_m: 0.22 * f.sqrt(),
            s_w_m2: f / 7_500.0,
        }
    } else {
        ExposureLimit {
            e_v_m: 27.0,
            s_w_m2: 2.0,
        }
    })
}

/// The power density one site may add at `freq_mhz`: the public limit times
/// the single-site `fraction` (0.2 in HJ/T 10.3-1996), W/m².
pub fn site_limit_w_m2(freq_mhz: f64, fraction: f64) -> Result<f64, EmfError> {
    if !(fraction > 0.0 && fraction <= 1.0) {
        return Err(EmfError::Fraction(fraction));
    }
    Ok(public_limit(freq_mhz)?.s_w_m2 * fraction)
}

/// Watts from dBm.
pub fn dbm_to_w(dbm: f64) -> f64 {
    10f64.powf((dbm - 30.0) / 10.0)
}

/// Far-field compliance distance d = √(EIRP / (4π·S_limit)), metres.
///
/// ```
/// // 2 kW EIRP (63 dBm) against 0.08 W/m²: about 44.6 m.
/// let d = siting_rules::emf::compliance_distance_m(2000.0, 0.08);
/// assert!((d - 44.6).abs() < 0.1);
/// ```
pub fn compliance_distance_m(eirp_w: f64, limit_w_m2: f64) -> f64 {
    (eirp_w.max(0.0) / (4.0 * std::f64::consts::PI * limit_w_m2)).sqrt()
}

/// The compliance distance of `eirp_w` at `freq_mhz` against the single-site
/// share `fraction` of the public limit: (distance in metres, limit in W/m²).
pub fn compliance(eirp_w: f64, freq_mhz: f64, fraction: f64) -> Result<(f64, f64), EmfError> {
    if !eirp_w.is_finite() || eirp_w < 0.0 {
        return Err(EmfError::Power(eirp_w));
    }
    let limit = site_limit_w_m2(freq_mhz, fraction)?;
    Ok((compliance_distance_m(eirp_w, limit), limit))
}

/// How many transmitters of `eirp_w` each one site can carry when the nearest
/// sensitive place is `distance_m` away, against `limit_w_m2`: the largest n
/// with √(n·EIRP / (4π·S)) ≤ d. `u32::MAX` for a zero EIRP.
pub fn max_transmitters(eirp_w: f64, limit_w_m2: f64, distance_m: f64) -> u32 {
    if eirp_w <= 0.0 {
        return u32::MAX;
    }
    let n = 4.0 * std::f64::consts::PI * limit_w_m2 * distance_m * distance_m / eirp_w;
    // A hair of tolerance so that a distance computed as exactly the
    // compliance distance of n transmitters admits n.
    (n * (1.0 + 1e-12)).floor().clamp(0.0, u32::MAX as f64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bands_of_table_1() {
        let s = |f: f64| public_limit(f).unwrap().s_w_m2;
        assert_eq!(s(1.0), 4.0);
        assert!((s(10.0) - 1.2).abs() < 1e-12);
        assert_eq!(s(30.0), 0.4);
        assert_eq!(s(900.0), 0.4);
        assert_eq!(s(2_600.0), 0.4);
        assert_eq!(s(3_000.0), 0.4);
        assert!((s(6_000.0) - 0.8).abs() < 1e-12);
        assert!((s(15_000.0) - 2.0).abs() < 1e-12);
        assert_eq!(s(28_000.0), 2.0);
        assert_eq!(public_limit(900.0).unwrap().e_v_m, 12.0);
        assert!((public_limit(3_600.0).unwrap().e_v_m - 0.22 * 60.0).abs() < 1e-9);
        // The bands meet: 12/f at 30 MHz is 0.4, f/7500 at 15 GHz is 2.
        assert!((12.0_f64 / 30.0 - 0.4).abs() < 1e-12);
        assert!(public_limit(f64::NAN).is_err() && public_limit(400_000.0).is_err());
    }

    #[test]
    fn a_macro_sector_against_the_single_site_share() {
        // 20 W into an 18 dBi antenna: 43 + 18 = 61 dBm, about 1,259 W.
        let (d, limit) = compliance(dbm_to_w(61.0), 1_850.0, 0.2).unwrap();
        assert!((limit - 0.08).abs() < 1e-12);
        assert!((d - 35.4).abs() < 0.1, "{d}");
        // Against the full limit the distance is √5 shorter.
        let (full, _) = compliance(dbm_to_w(61.0), 1_850.0, 1.0).unwrap();
        assert!((d / full - 5f64.sqrt()).abs() < 1e-9);
        assert!(compliance(100.0, 1_850.0, 0.0).is_err());
        assert!(compliance(-1.0, 1_850.0, 0.2).is_err());
    }

    #[test]
    fn tenants_a_distance_allows() {
        let (eirp, limit) = (dbm_to_w(60.0), 0.08);
        let one = compliance_distance_m(eirp, limit);
        let three = compliance_distance_m(3.0 * eirp, limit);
        assert_eq!(max_transmitters(eirp, limit, one), 1);
        assert_eq!(max_transmitters(eirp, limit, one * 0.99), 0);
        assert_eq!(max_transmitters(eirp, limit, three), 3);
        assert_eq!(max_transmitters(0.0, limit, 0.0), u32::MAX);
    }
}
