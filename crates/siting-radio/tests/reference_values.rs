//! Every path-loss model against published values from sources we did not write.
//!
//! - ns-3: `src/propagation/test/okumura-hata-test-suite.cc` (CTTC, GPL-2.0;
//!   values from its Octave reference scripts) and
//!   `src/propagation/test/three-gpp-propagation-loss-model-test-suite.cc`
//!   (SIGNET Lab, University of Padova; "the value obtained using the formula
//!   in 3GPP TR 38.901, Table 7.4.1-1"), tolerance 0.05 dB there and here.
//! - pysim5g (E. Oughton): `tests/test_path_loss.py`, free-space values
//!   without their stochastic term; they use P.525 eq. (4)'s rounded 32.4 dB
//!   constant where we use the exact 20·log10(4π/c) (32.45 dB with d in km, f
//!   in MHz), so they sit 0.045 dB below ours.
//! - radio-gyms (tamsri): `test/test_model_outdoor.py`, free space from 3D
//!   positions with c = 3·10⁸ m/s.
//! - OkumuraHata.jl (mbaz): `test/runtests.jl`, values truncated to 0.001 dB,
//!   and its out-of-range cases.
//! - rfbudget: `tests/test_cost_hata.py`, COST-231 Hata.
//! - MathWorks 5G Toolbox documentation, `nrPathLoss` example (RMa LOS).
//! - ns-3.44's own models (module `ns3` below): twelve cases per model across
//!   its validity range, printed by `scripts/reference/ns3_pathloss.py`.
//!
//! Each case names its source; numbers are copied, not recomputed.

use siting_radio::{CitySize, Geometry, HataEnvironment, ModelKind, PathLoss};

fn geom(freq_mhz: f64, tx: f64, rx: f64) -> Geometry {
    Geometry::new(freq_mhz, tx, rx)
}

fn close(kind: ModelKind, g: Geometry, d_m: f64, want: f64, tol: f64, source: &str) {
    let got = PathLoss::new(kind, g).loss_db(d_m);
    assert!(
        (got - want).abs() <= tol,
        "{kind} at {d_m} m ({g:?}): got {got:.4} dB, {source} says {want} dB"
    );
}

#[test]
fn free_space_p525() {
    // pysim5g tests/test_path_loss.py::test_free_space (deterministic part).
    let cases = [
        (800.0, 1000.0, 90.46),
        (800.0, 2000.0, 96.48),
        (800.0, 3000.0, 100.0),
        (800.0, 4000.0, 102.5),
        (800.0, 5000.0, 104.44),
        (1800.0, 1000.0, 97.51),
        (1800.0, 2000.0, 103.53),
        (1800.0, 3000.0, 107.05),
        (1800.0, 4000.0, 109.55),
        (1800.0, 5000.0, 111.48),
        (2600.0, 1000.0, 100.7),
        (2600.0, 2000.0, 106.72),
        (2600.0, 3000.0, 110.24),
        (2600.0, 4000.0, 112.74),
        (2600.0, 5000.0, 114.68),
    ];
    for (f, d, want) in cases {
        close(
            ModelKind::FreeSpace,
            geom(f, 20.0, 1.5),
            d,
            want + 0.0448,
            // Their figures are rounded to 0.01 dB (two, 100 and 102.5, further).
            0.012,
            "pysim5g (+0.045 dB for their rounded constant)",
        );
    }
    // radio-gyms test/test_model_outdoor.py: tx (0,5,0), 2.3 GHz, 3D distance.
    for (rx, want) in [
        ([34.0, 1.5, -59.0], 76.35),
        ([24.0, 1.5, 0.0], 67.3719),
        ([42.0, 1.5, -9.0], 72.3650),
        ([-5.0, 1.5, 16.0], 64.3487),
    ] {
        let d = (rx[0] * rx[0] + (rx[1] - 5.0f64).powi(2) + rx[2] * rx[2]).sqrt();
        // Their c = 3e8 m/s against our 299,792,458 m/s: 0.006 dB.
        close(
            ModelKind::FreeSpace,
            geom(2300.0, 5.0, 1.5),
            d,
            want,
            0.01,
            "radio-gyms",
        );
    }
}

#[test]
fn okumura_hata() {
    let hata = |f, hb, hm, env, city| Geometry {
        environment: env,
        city,
        ..geom(f, hb, hm)
    };
    use CitySize::*;
    use HataEnvironment::*;
    // ns-3 okumura-hata-test-suite.cc: 869 MHz, 2 km, hb 30 m, hm 1 m.
    close(
        ModelKind::OkumuraHata,
        hata(869.0, 30.0, 1.0, Urban, Large),
        2000.0,
        137.93,
        0.05,
        "ns-3",
    );
    close(
        ModelKind::OkumuraHata,
        hata(869.0, 30.0, 1.0, Urban, Medium),
        2000.0,
        137.88,
        0.05,
        "ns-3",
    );
    close(
        ModelKind::OkumuraHata,
        hata(869.0, 30.0, 1.0, Suburban, Medium),
        2000.0,
        128.03,
        0.05,
        "ns-3",
    );
    // ns-3 gives 109.66 with a 0.1 dB tolerance (its older code used 4.70 for 4.78).
    close(
        ModelKind::OkumuraHata,
        hata(869.0, 30.0, 1.0, Open, Medium),
        2000.0,
        109.66,
        0.15,
        "ns-3",
    );
    // OkumuraHata.jl test/runtests.jl: 500 MHz, 1 km, hb 30 m, hm 2 m (truncated to 0.001 dB).
    close(
        ModelKind::OkumuraHata,
        hata(500.0, 30.0, 2.0, Urban, Large),
        1000.0,
        118.695,
        0.002,
        "OkumuraHata.jl",
    );
    close(
        ModelKind::OkumuraHata,
        hata(500.0, 30.0, 2.0, Urban, Medium),
        1000.0,
        118.613,
        0.002,
        "OkumuraHata.jl",
    );
    close(
        ModelKind::OkumuraHata,
        hata(500.0, 30.0, 2.0, Suburban, Medium),
        1000.0,
        110.079,
        0.002,
        "OkumuraHata.jl",
    );
    close(
        ModelKind::OkumuraHata,
        hata(500.0, 30.0, 2.0, Open, Medium),
        1000.0,
        92.326,
        0.002,
        "OkumuraHata.jl",
    );
}

#[test]
fn okumura_hata_validity_matches_okumurahata_jl() {
    // OkumuraHata.jl's "Failure expected" cases (f MHz, d km, hb m, hm m).
    for (f, d, hb, hm) in [
        (50.0, 1.0, 30.0, 2.0),
        (1600.0, 1.0, 30.0, 2.0),
        (500.0, 0.5, 30.0, 2.0),
        (500.0, 5.0, 29.0, 2.0),
        (500.0, 5.0, 100.0, 0.5),
        (500.0, 5.0, 100.0, 11.0),
    ] {
        let m = PathLoss::new(ModelKind::OkumuraHata, geom(f, hb, hm));
        assert!(
            m.check(d * 1000.0).is_err(),
            "({f}, {d}, {hb}, {hm}) should be out of range"
        );
    }
    assert!(
        PathLoss::new(ModelKind::OkumuraHata, geom(500.0, 30.0, 2.0))
            .check(1000.0)
            .is_ok()
    );
}

#[test]
fn cost231_hata() {
    // rfbudget tests/test_cost_hata.py: 1800 MHz, hb 30 m, hm 1.5 m.
    close(
        ModelKind::Cost231Hata,
        geom(1800.0, 30.0, 1.5),
        1000.0,
        136.197,
        0.01,
        "rfbudget",
    );
    let metro = Geometry {
        metropolitan: true,
        ..geom(1800.0, 30.0, 1.5)
    };
    close(
        ModelKind::Cost231Hata,
        metro,
        1000.0,
        139.197,
        0.01,
        "rfbudget",
    );
    close(
        ModelKind::Cost231Hata,
        geom(1800.0, 30.0, 1.5),
        2000.0,
        146.8,
        0.01,
        "rfbudget",
    );
    // ns-3: 2114 MHz (beyond COST-231's 2000 MHz: evaluated unchecked), 2 km, 30 m, 1 m, medium city.
    close(
        ModelKind::Cost231Hata,
        geom(2114.0, 30.0, 1.0),
        2000.0,
        150.64,
        0.05,
        "ns-3",
    );
}

/// ns-3's 3GPP vectors: 5 GHz, UT at 1.5 m, loss = −received power for 0 dBm.
fn three_gpp(kind: ModelKind, h_bs: f64, cases: &[(f64, f64)]) {
    for &(d, pr) in cases {
        close(
            kind,
            geom(5000.0, h_bs, 1.5),
            d,
            -pr,
            0.05,
            "ns-3 three-gpp-propagation-loss-model-test-suite",
        );
    }
}

#[test]
fn tr38901_rma() {
    three_gpp(
        ModelKind::RmaLos,
        35.0,
        &[
            (10.0, -77.3784),
            (100.0, -87.2965),
            (1000.0, -108.5577),
            (10000.0, -140.3896),
        ],
    );
    three_gpp(
        ModelKind::RmaNlos,
        35.0,
        &[
            (10.0, -77.3784),
            (100.0, -95.7718),
            (1000.0, -133.5223),
            (5000.0, -160.5169),
        ],
    );
    // MathWorks nrPathLoss example: RMa, h 7 m, W 25 m, 3.5 GHz, LOS, BS (0,0,30), UE (1000,1000,1.5).
    let g = Geometry {
        building_height_m: 7.0,
        street_width_m: 25.0,
        ..geom(3500.0, 30.0, 1.5)
    };
    close(
        ModelKind::RmaLos,
        g,
        1000.0 * 2f64.sqrt(),
        110.1615,
        0.01,
        "MathWorks nrPathLoss",
    );
}

#[test]
fn tr38901_uma() {
    three_gpp(
        ModelKind::UmaLos,
        25.0,
        &[
            (10.0, -72.9380),
            (100.0, -86.2362),
            (1000.0, -109.7252),
            (5000.0, -137.6794),
        ],
    );
    three_gpp(
        ModelKind::UmaNlos,
        25.0,
        &[
            (10.0, -82.5131),
            (100.0, -106.1356),
            (1000.0, -144.7641),
            (5000.0, -172.0753),
        ],
    );
}

#[test]
fn tr38901_umi() {
    three_gpp(
        ModelKind::UmiLos,
        10.0,
        &[
            (10.0, -69.8591),
            (100.0, -88.4122),
            (1000.0, -119.3114),
            (5000.0, -147.2696),
        ],
    );
    three_gpp(
        ModelKind::UmiNlos,
        10.0,
        &[
            (10.0, -76.7563),
            (100.0, -107.9432),
            (1000.0, -143.1886),
            (5000.0, -167.8617),
        ],
    );
}

/// Values from ns-3.44's own models (nsnam.org, GPL-2.0), printed by
/// `scripts/reference/ns3_pathloss.py` (PyPI wheel `ns3==3.44.post0`), four
/// decimals. Every case lies inside the model's validity range, so these also
/// show the ranges are the ones the cases are drawn from.
mod ns3 {
    use super::*;

    /// Printed to four decimals; nothing else is rounded on either side (both
    /// use TR 38.901's c = 3·10⁸ m/s for the breakpoint distances).
    const TOL: f64 = 0.0002;

    fn case(kind: ModelKind, g: Geometry, d_m: f64, want: f64) {
        let model = PathLoss::new(kind, g);
        assert!(
            model.check(d_m).is_ok(),
            "{kind} at {d_m} m ({g:?}) should be inside the validity range"
        );
        close(kind, g, d_m, want, TOL, "ns-3.44");
    }

    #[test]
    fn okumura_hata() {
        use CitySize::*;
        use HataEnvironment::*;
        // (f MHz, hb m, hm m, d m, environment, city, loss dB); ns-3 takes the 3D distance.
        let cases = [
            (150.0, 30.0, 1.0, 1000.0, Urban, Large, 106.8712),
            (180.0, 50.0, 3.0, 5000.0, Urban, Large, 126.1115),
            (250.0, 80.0, 4.0, 6000.0, Urban, Large, 127.2416),
            (450.0, 30.0, 1.5, 2000.0, Urban, Large, 129.1489),
            (450.0, 100.0, 5.0, 10000.0, Urban, Medium, 135.3644),
            (700.0, 35.0, 1.5, 12000.0, Urban, Medium, 160.1735),
            (800.0, 45.0, 1.5, 3000.0, Suburban, Medium, 129.2529),
            (900.0, 200.0, 10.0, 20000.0, Urban, Large, 145.0980),
            (900.0, 40.0, 2.0, 1500.0, Open, Medium, 100.9541),
            (1000.0, 150.0, 8.0, 15000.0, Suburban, Medium, 126.8570),
            (1200.0, 60.0, 1.5, 8000.0, Suburban, Large, 144.8318),
            (1500.0, 30.0, 1.5, 1000.0, Open, Large, 101.2829),
        ];
        for (f, hb, hm, d, environment, city, want) in cases {
            let g = Geometry {
                environment,
                city,
                ..geom(f, hb, hm)
            };
            case(ModelKind::OkumuraHata, g, d, want);
        }
    }

    #[test]
    fn cost231_hata() {
        // (f MHz, hb m, hm m, d m, loss dB): medium city, no metropolitan term.
        let cases = [
            (1510.0, 30.0, 1.5, 1000.0, 133.6174),
            (1710.0, 30.0, 1.0, 2000.0, 147.4757),
            (1750.0, 50.0, 1.5, 5000.0, 156.3228),
            (1800.0, 30.0, 1.5, 1000.0, 136.1969),
            (1800.0, 100.0, 3.0, 10000.0, 156.4496),
            (1850.0, 40.0, 2.0, 3000.0, 149.8417),
            (1867.5, 35.0, 1.5, 1500.0, 141.9379),
            (1890.0, 45.0, 1.5, 4000.0, 154.9928),
            (1920.0, 200.0, 10.0, 20000.0, 139.8168),
            (1950.0, 60.0, 5.0, 8000.0, 153.0259),
            (2000.0, 30.0, 1.5, 2500.0, 151.7614),
            (2000.0, 150.0, 1.0, 15000.0, 165.5930),
        ];
        for (f, hb, hm, d, want) in cases {
            case(ModelKind::Cost231Hata, geom(f, hb, hm), d, want);
        }
    }

    fn rma(kind: ModelKind, cases: &[(f64, f64, f64, f64, f64, f64, f64)]) {
        for &(f, hbs, hut, d2, h, w, want) in cases {
            let g = Geometry {
                building_height_m: h,
                street_width_m: w,
                ..geom(f, hbs, hut)
            };
            case(kind, g, d2, want);
        }
    }

    #[test]
    fn tr38901_rma_los() {
        // (f MHz, hBS m, hUT m, d2D m, h m, W m, loss dB)
        rma(
            ModelKind::RmaLos,
            &[
                (700.0, 35.0, 1.5, 10.0, 5.0, 20.0, 60.3010),
                (700.0, 35.0, 1.5, 5000.0, 5.0, 20.0, 121.3311),
                (1900.0, 10.0, 1.0, 100.0, 5.0, 5.0, 78.4480),
                (1900.0, 35.0, 1.5, 1000.0, 10.0, 20.0, 102.4373),
                (2100.0, 60.0, 5.0, 300.0, 20.0, 30.0, 94.6440),
                (2100.0, 60.0, 5.0, 9000.0, 20.0, 30.0, 154.2926),
                (3500.0, 150.0, 10.0, 2000.0, 50.0, 50.0, 134.4284),
                (3500.0, 25.0, 2.0, 4000.0, 7.0, 25.0, 124.1068),
                (6000.0, 35.0, 1.5, 10000.0, 5.0, 20.0, 141.9646),
                (6000.0, 80.0, 3.0, 50.0, 15.0, 10.0, 89.0477),
                (28000.0, 35.0, 1.5, 700.0, 5.0, 20.0, 119.9355),
                (28000.0, 20.0, 8.0, 2500.0, 30.0, 40.0, 155.9390),
            ],
        );
    }

    #[test]
    fn tr38901_rma_nlos() {
        rma(
            ModelKind::RmaNlos,
            &[
                (700.0, 35.0, 1.5, 10.0, 5.0, 20.0, 60.3010),
                (700.0, 35.0, 1.5, 5000.0, 5.0, 20.0, 143.4395),
                (1900.0, 10.0, 1.0, 100.0, 5.0, 5.0, 104.5064),
                (1900.0, 35.0, 1.5, 1000.0, 10.0, 20.0, 127.7255),
                (2100.0, 60.0, 5.0, 300.0, 20.0, 30.0, 99.5590),
                (2100.0, 60.0, 5.0, 4500.0, 20.0, 30.0, 143.8710),
                (3500.0, 150.0, 10.0, 2000.0, 50.0, 50.0, 134.4284),
                (3500.0, 25.0, 2.0, 4000.0, 7.0, 25.0, 157.1591),
                (6000.0, 35.0, 1.5, 3000.0, 5.0, 20.0, 153.5304),
                (6000.0, 80.0, 3.0, 50.0, 15.0, 10.0, 90.5902),
                (28000.0, 35.0, 1.5, 700.0, 5.0, 20.0, 142.5115),
                (28000.0, 20.0, 8.0, 2500.0, 30.0, 40.0, 176.9974),
            ],
        );
    }

    fn urban(kind: ModelKind, h_bs: f64, cases: &[(f64, f64, f64, f64)]) {
        for &(f, hut, d2, want) in cases {
            case(kind, geom(f, h_bs, hut), d2, want);
        }
    }

    #[test]
    fn tr38901_uma_los() {
        // (f MHz, hUT m, d2D m, loss dB), hBS 25 m, hE 1 m.
        urban(
            ModelKind::UmaLos,
            25.0,
            &[
                (700.0, 1.5, 10.0, 55.8605),
                (700.0, 1.5, 3000.0, 126.9330),
                (1800.0, 2.0, 150.0, 81.0905),
                (1855.0, 1.5, 800.0, 104.9692),
                (1890.0, 1.5, 2000.0, 120.8976),
                (2100.0, 5.0, 400.0, 91.7016),
                (2600.0, 8.0, 1200.0, 104.0424),
                (3500.0, 1.5, 60.0, 78.6825),
                (3500.0, 12.0, 5000.0, 120.2587),
                (4900.0, 3.0, 250.0, 94.5955),
                (28000.0, 1.5, 500.0, 116.3310),
                (60000.0, 10.0, 100.0, 107.6693),
            ],
        );
    }

    #[test]
    fn tr38901_uma_nlos() {
        // (f MHz, hUT m, d2D m, loss dB), hBS 25 m, hE 1 m.
        urban(
            ModelKind::UmaNlos,
            25.0,
            &[
                (700.0, 1.5, 10.0, 65.4356),
                (700.0, 1.5, 3000.0, 146.3284),
                (1800.0, 2.0, 150.0, 103.5843),
                (1855.0, 1.5, 800.0, 132.3670),
                (1890.0, 1.5, 2000.0, 148.0747),
                (2100.0, 5.0, 400.0, 119.5941),
                (2600.0, 8.0, 1200.0, 138.2756),
                (3500.0, 1.5, 60.0, 95.1226),
                (3500.0, 12.0, 5000.0, 162.6772),
                (4900.0, 3.0, 250.0, 120.2209),
                (28000.0, 1.5, 500.0, 147.9776),
                (60000.0, 10.0, 100.0, 122.3518),
            ],
        );
    }

    #[test]
    fn tr38901_umi_los() {
        // (f MHz, hUT m, d2D m, loss dB), hBS 10 m, hE 1 m.
        urban(
            ModelKind::UmiLos,
            10.0,
            &[
                (700.0, 1.5, 10.0, 52.7816),
                (700.0, 1.5, 3000.0, 137.3795),
                (1800.0, 2.0, 150.0, 83.2163),
                (1855.0, 1.5, 800.0, 114.9841),
                (1890.0, 1.5, 2000.0, 130.9098),
                (2100.0, 5.0, 400.0, 93.4884),
                (2600.0, 8.0, 1200.0, 105.3623),
                (3500.0, 1.5, 60.0, 80.7131),
                (3500.0, 12.0, 5000.0, 121.6120),
                (4900.0, 3.0, 250.0, 96.5642),
                (28000.0, 1.5, 500.0, 118.0228),
                (60000.0, 10.0, 100.0, 109.9630),
            ],
        );
    }

    #[test]
    fn tr38901_umi_nlos() {
        // (f MHz, hUT m, d2D m, loss dB), hBS 10 m, hE 1 m.
        urban(
            ModelKind::UmiNlos,
            10.0,
            &[
                (700.0, 1.5, 10.0, 58.5688),
                (700.0, 1.5, 3000.0, 141.8430),
                (1800.0, 2.0, 150.0, 104.5251),
                (1855.0, 1.5, 800.0, 130.5957),
                (1890.0, 1.5, 2000.0, 144.8151),
                (2100.0, 5.0, 400.0, 120.0672),
                (2600.0, 8.0, 1200.0, 137.9841),
                (3500.0, 1.5, 60.0, 96.9097),
                (3500.0, 12.0, 5000.0, 161.4123),
                (4900.0, 3.0, 250.0, 121.3045),
                (28000.0, 1.5, 500.0, 148.5003),
                (60000.0, 10.0, 100.0, 128.3246),
            ],
        );
    }
}
