//! Knife-edge diffraction over a terrain profile (ITU-R P.526).

/// Single knife-edge diffraction loss J(ν), dB (ITU-R P.526-15 eq. (31)):
/// 6.9 + 20·log10(√((ν − 0.1)² + 1) + ν − 0.1) for ν > −0.78, else 0.
///
/// ```
/// use siting_radio::diffraction::knife_edge_db;
/// // Grazing incidence (ν = 0) costs about 6 dB.
/// assert!((knife_edge_db(0.0) - 6.02).abs() < 0.05);
/// assert_eq!(knife_edge_db(-1.0), 0.0);
/// ```
pub fn knife_edge_db(nu: f64) -> f64 {
    if nu <= -0.78 {
        0.0
    } else {
        6.9 + 20.0 * (((nu - 0.1).powi(2) + 1.0).sqrt() + nu - 0.1).log10()
    }
}

/// The Fresnel-Kirchhoff parameter ν of an obstacle `h_m` above the line of
/// sight, `d1_m` from one end and `d2_m` from the other, at `wavelength_m`
/// (ITU-R P.526 eq. (26)).
pub fn fresnel_nu(h_m: f64, d1_m: f64, d2_m: f64, wavelength_m: f64) -> f64 {
    h_m * (2.0 / wavelength_m * (1.0 / d1_m + 1.0 / d2_m)).sqrt()
}

/// A terrain profile: distances from the transmitter (ascending, metres) and
/// ground heights (metres above a common datum), transmitter at the first
/// point and receiver at the last.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Distance of each sample from the transmitter, metres.
    pub distance_m: Vec<f64>,
    /// Ground height of each sample, metres.
    pub ground_m: Vec<f64>,
}

impl Profile {
    /// Empties both series, keeping their allocations.
    pub fn clear(&mut self) {
        self.distance_m.clear();
        self.ground_m.clear();
    }
}

/// Diffraction loss along a profile by the Deygout method (ITU-R P.526 §4.5.1
/// style, up to three edges: the main edge, then the largest edge on each side
/// of it), dB. `tx_m` and `rx_m` are antenna heights above their ground.
///
/// ```
/// use siting_radio::diffraction::{deygout_db, Profile};
/// // A flat profile has no obstacle in the way.
/// let flat = Profile { distance_m: (0..=10).map(|i| i as f64 * 100.0).collect(), ground_m: vec![0.0; 11] };
/// assert_eq!(deygout_db(&flat, 30.0, 1.5, 1800.0), 0.0);
/// ```
pub fn deygout_db(p: &Profile, tx_m: f64, rx_m: f64, freq_mhz: f64) -> f64 {
    let n = p.distance_m.len();
    if n < 3 {
        return 0.0;
    }
    let lambda = crate::pathloss::C_M_S / (freq_mhz * 1e6);
    let h_tx = p.ground_m[0] + tx_m;
    let h_rx = p.ground_m[n - 1] + rx_m;
    deygout_span(p, 0, n - 1, h_tx, h_rx, lambda, 0)
}

fn deygout_span(p: &Profile, a: usize, b: usize, ha: f64, hb: f64, lambda: f64, depth: u8) -> f64 {
    if b <= a + 1 {
        return 0.0;
    }
    let (da, db) = (p.distance_m[a], p.distance_m[b]);
    let mut best: Option<(usize, f64)> = None;
    for i in a + 1..b {
        let d = p.distance_m[i];
        let (d1, d2) = (d - da, db - d);
        if d1 <= 0.0 || d2 <= 0.0 {
            continue;
        }
        let los = ha + (hb - ha) * d1 / (db - da);
        let nu = fresnel_nu(p.ground_m[i] - los, d1, d2, lambda);
        if best.is_none_or(|(_, v)| nu > v) {
            best = Some((i, nu));
        }
    }
    let Some((m, nu)) = best else { return 0.0 };
    let main = knife_edge_db(nu);
    if main == 0.0 || depth >= 1 {
        return main;
    }
    let hm = p.ground_m[m];
    main + deygout_span(p, a, m, ha, hm, lambda, depth + 1)
        + deygout_span(p, m, b, hm, hb, lambda, depth + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ITU-R P.526-15 eq. (31) read off at ν = 1 and 2 (13.9 dB, 19.0 dB, as
    /// the Recommendation's Figure 9 curve shows); J falls to 0 at ν = −0.78.
    #[test]
    fn knife_edge_values() {
        assert!((knife_edge_db(1.0) - 13.9).abs() < 0.1);
        assert!((knife_edge_db(2.0) - 19.0).abs() < 0.1);
        assert!(knife_edge_db(-0.7) < 1.0);
    }

    #[test]
    fn a_ridge_blocks_and_costs_more_when_higher() {
        let mk = |h: f64| Profile {
            distance_m: (0..=20).map(|i| i as f64 * 250.0).collect(),
            ground_m: (0..=20).map(|i| if i == 10 { h } else { 0.0 }).collect(),
        };
        let low = deygout_db(&mk(20.0), 30.0, 1.5, 1800.0);
        let high = deygout_db(&mk(80.0), 30.0, 1.5, 1800.0);
        assert!(low > 0.0 && high > low, "{low} {high}");
    }
}
