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
    DeygoutEdges::of(p, tx_m, rx_m).loss_db(freq_mhz)
}

/// The Deygout edges of a profile, without the wavelength: each edge's
/// `g = h·√(1/d1 + 1/d2)`, so that `ν = g·√(2/λ)`. Which edges count does not
/// depend on the wavelength, so one profile serves every frequency.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DeygoutEdges {
    /// The main edge, if the profile has an inner point.
    main: Option<f64>,
    /// The largest edge between the transmitter and the main edge.
    left: Option<f64>,
    /// The largest edge between the main edge and the receiver.
    right: Option<f64>,
}

impl DeygoutEdges {
    /// Finds the edges of `p` for antennas `tx_m` and `rx_m` above their ground.
    pub fn of(p: &Profile, tx_m: f64, rx_m: f64) -> Self {
        let n = p.distance_m.len();
        if n < 3 {
            return DeygoutEdges::default();
        }
        let h_tx = p.ground_m[0] + tx_m;
        let h_rx = p.ground_m[n - 1] + rx_m;
        let Some((m, main)) = largest_edge(p, 0, n - 1, h_tx, h_rx) else {
            return DeygoutEdges::default();
        };
        let hm = p.ground_m[m];
        DeygoutEdges {
            main: Some(main),
            left: largest_edge(p, 0, m, h_tx, hm).map(|(_, g)| g),
            right: largest_edge(p, m, n - 1, hm, h_rx).map(|(_, g)| g),
        }
    }

    /// The diffraction loss at a frequency, dB: the main edge's J(ν), plus
    /// each side's when the main edge costs anything.
    pub fn loss_db(&self, freq_mhz: f64) -> f64 {
        let Some(main) = self.main else { return 0.0 };
        let lambda = crate::pathloss::C_M_S / (freq_mhz * 1e6);
        let k = (2.0 / lambda).sqrt();
        let j = knife_edge_db(main * k);
        if j == 0.0 {
            return 0.0;
        }
        j + self.left.map_or(0.0, |g| knife_edge_db(g * k))
            + self.right.map_or(0.0, |g| knife_edge_db(g * k))
    }
}

/// The inner point of the span `a..b` (antennas at absolute heights `ha`,
/// `hb`) with the largest `g = h·√(1/d1 + 1/d2)`, and that `g`.
fn largest_edge(p: &Profile, a: usize, b: usize, ha: f64, hb: f64) -> Option<(usize, f64)> {
    if b <= a + 1 {
        return None;
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
        let g = (p.ground_m[i] - los) * (1.0 / d1 + 1.0 / d2).sqrt();
        if best.is_none_or(|(_, v)| g > v) {
            best = Some((i, g));
        }
    }
    best
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

    /// One edge: Deygout's loss is J(ν) of that edge, ν from P.526 eq. (26),
    /// at any frequency.
    #[test]
    fn one_edge_is_the_knife_edge_loss() {
        // Ground 0 but a 40 m edge 1 km from a 30 m mast; receiver at 1.5 m, 3 km away.
        let p = Profile {
            distance_m: vec![0.0, 1000.0, 3000.0],
            ground_m: vec![0.0, 40.0, 0.0],
        };
        let los = 30.0 + (1.5 - 30.0) * 1000.0 / 3000.0;
        for f in [700.0, 1800.0, 3500.0] {
            let lambda = crate::pathloss::C_M_S / (f * 1e6);
            let want = knife_edge_db(fresnel_nu(40.0 - los, 1000.0, 2000.0, lambda));
            let got = deygout_db(&p, 30.0, 1.5, f);
            assert!((got - want).abs() < 1e-9, "{f} MHz: {got} vs {want}");
        }
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
