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
