//! Invariants of every model inside its validity range, and the coverage
//! radius that falls out of a link budget.

use proptest::prelude::*;
use siting_model::Environment;
use siting_radio::{
    CoverageModel, Geometry, LinkBudget, LinkBudgetModel, ModelKind, MultiBandModel, PathLoss,
    Receiver, Transmitter,
};

/// A geometry inside `kind`'s validity range from unit-interval draws.
fn valid(kind: ModelKind, u: [f64; 3]) -> (Geometry, f64, f64) {
    let m = PathLoss::new(kind, Geometry::new(1000.0, 30.0, 1.5));
    let v = m.validity();
    let lerp = |r: siting_radio::pathloss::Range, t: f64| {
        let max = if r.max.is_finite() {
            r.max
        } else {
            r.min.max(1.0) * 1e4
        };
        r.min.max(1e-3) + (max - r.min.max(1e-3)) * t
    };
    let f = lerp(v.freq_mhz, u[0]).min(6000.0);
    let hb = lerp(v.tx_height_m, u[1]).min(150.0);
    let hm = lerp(v.rx_height_m, u[2]).min(10.0);
    let dmax = if v.distance_m.max.is_finite() {
        v.distance_m.max
    } else {
        20_000.0
    };
    (Geometry::new(f, hb, hm), v.distance_m.min.max(1.0), dmax)
}

proptest! {
    #[test]
    fn loss_rises_with_distance(k in 0usize..9, u in prop::array::uniform3(0.0..1.0f64), a in 0.0..1.0f64, b in 0.0..1.0f64) {
        let kind = ModelKind::ALL[k];
        let (g, dmin, dmax) = valid(kind, u);
        let (d1, d2) = (dmin + (dmax - dmin) * a.min(b), dmin + (dmax - dmin) * a.max(b));
        let m = PathLoss::new(kind, g);
        prop_assert!(m.loss_db(d1) <= m.loss_db(d2) + 1e-9, "{kind}: {} at {d1} > {} at {d2}", m.loss_db(d1), m.loss_db(d2));
    }

    /// Hata, COST-231, RMa: a taller base station loses less (UMa and UMi fix
    /// the base-station height, and free space ignores it). RMa only from
    /// 1 km: nearer, a taller mast is farther away in 3D and its NLOS slope
    /// term changes sign, so the loss may rise with height there.
    #[test]
    fn loss_falls_with_antenna_height(k in prop::sample::select(vec![ModelKind::OkumuraHata, ModelKind::Cost231Hata, ModelKind::RmaNlos]),
                                      u in prop::array::uniform3(0.0..1.0f64), t in 0.0..1.0f64, dh in 1.0..50.0f64) {
        let (g, dmin, dmax) = valid(k, u);
        let dmin = if k == ModelKind::RmaNlos { dmin.max(1000.0) } else { dmin };
        let d = dmin + (dmax - dmin) * t;
        let low = PathLoss::new(k, g);
        let high = PathLoss::new(k, Geometry { tx_height_m: (g.tx_height_m + dh).min(low.validity().tx_height_m.max), ..g });
        prop_assert!(high.loss_db(d) <= low.loss_db(d) + 1e-9);
    }
}

fn budget(mapl: f64) -> LinkBudget {
    LinkBudget {
        tx_power_dbm: 23.0,
        tx_antenna_gain_dbi: 0.0,
        tx_cable_loss_db: 0.0,
        rx_antenna_gain_dbi: 0.0,
        rx_cable_loss_db: 0.0,
        rx_sensitivity_dbm: 23.0 - mapl,
        body_loss_db: 0.0,
        interference_margin_db: 0.0,
        fading_margin_db: 0.0,
    }
}

/// The radius of a 140 dB budget under COST-231 Hata (1800 MHz, 30 m, 1.5 m,
/// medium city) is the Hata formula solved for d:
/// d_km = 10^((L − 46.3 − 33.9·log f + 13.82·log hb + a(hm)) / (44.9 − 6.55·log hb)).
#[test]
fn radius_is_the_inverted_formula() {
    let (f, hb, hm, mapl): (f64, f64, f64, f64) = (1800.0, 30.0, 1.5, 140.0);
    let a_hm = (1.1 * f.log10() - 0.7) * hm - (1.56 * f.log10() - 0.8);
    let want_km = 10f64.powf(
        (mapl - 46.3 - 33.9 * f.log10() + 13.82 * hb.log10() + a_hm) / (44.9 - 6.55 * hb.log10()),
    );
    let g = Geometry::new(f, hb, hm);
    let m = PathLoss::new(ModelKind::Cost231Hata, g);
    let model = LinkBudgetModel::new([m; 4], [0.0; 4], budget(mapl), 50_000.0, false);
    let got = model.radius_m(Environment::Urban, hb);
    assert!(
        (got - want_km * 1000.0).abs() < 0.01,
        "{got} vs {}",
        want_km * 1000.0
    );
    // And coverage follows the radius.
    let tx = Transmitter {
        height_m: hb,
        ground_m: 0.0,
        lowest_ground_m: 0.0,
        position: [0.0, 0.0],
        indoor: false,
        footprint_m: 0.0,
    };
    let rx = Receiver {
        environment: Environment::Urban,
        ground_m: 0.0,
        position: [0.0, 0.0],
    };
    assert!(model.covers(&tx, &rx, got - 1.0) && !model.covers(&tx, &rx, got + 1.0));
}

/// For the models without a closed form (RMa, UMa, UMi) the radius is where
/// the loss meets the budget.
#[test]
fn radius_meets_the_budget_for_3gpp_models() {
    for kind in [
        ModelKind::RmaLos,
        ModelKind::RmaNlos,
        ModelKind::UmaNlos,
        ModelKind::UmiNlos,
    ] {
        let g = Geometry::new(1900.0, 25.0, 1.5);
        let m = PathLoss::new(kind, g);
        let model = LinkBudgetModel::new([m; 4], [0.0; 4], budget(130.0), 20_000.0, false);
        let r = model.radius_m(Environment::Rural, 25.0);
        assert!(
            (m.loss_db(r) - 130.0).abs() < 0.01,
            "{kind}: loss {} at {r} m",
            m.loss_db(r)
        );
    }
}

/// With terrain, a receiver in a valley sees a taller antenna and is covered farther.
#[test]
fn terrain_raises_the_effective_height() {
    let m = PathLoss::new(ModelKind::Cost231Hata, Geometry::new(1800.0, 30.0, 1.5));
    let model = LinkBudgetModel::new([m; 4], [0.0; 4], budget(140.0), 50_000.0, true);
    let tx = Transmitter {
        height_m: 30.0,
        ground_m: 300.0,
        lowest_ground_m: 200.0,
        position: [0.0, 0.0],
        indoor: false,
        footprint_m: 0.0,
    };
    let flat = Receiver {
        environment: Environment::Rural,
        ground_m: 300.0,
        position: [0.0, 0.0],
    };
    let valley = Receiver {
        environment: Environment::Rural,
        ground_m: 200.0,
        position: [0.0, 0.0],
    };
    let r_flat = model.radius_m(Environment::Rural, 30.0);
    assert!(!model.covers(&tx, &flat, r_flat * 1.2));
    assert!(model.covers(&tx, &valley, r_flat * 1.2));
}

/// A ridge of the given height halfway along every path.
#[derive(Debug)]
struct Ridge(f64);

impl siting_radio::TerrainProfile for Ridge {
    fn profile(
        &self,
        _tx: &Transmitter,
        _rx: &Receiver,
        d: f64,
        into: &mut siting_radio::diffraction::Profile,
    ) -> bool {
        let n = 21;
        into.clear();
        into.distance_m
            .extend((0..n).map(|i| d * i as f64 / (n - 1) as f64));
        into.ground_m
            .extend((0..n).map(|i| if i == n / 2 { self.0 } else { 0.0 }));
        true
    }
}

/// A ridge between site and receiver costs its knife-edge loss: a receiver
/// just inside the radius on flat ground is lost behind a ridge, and the
/// loss grows with the ridge.
#[test]
fn diffraction_over_a_ridge_shrinks_coverage() {
    let m = PathLoss::new(ModelKind::Cost231Hata, Geometry::new(1800.0, 30.0, 1.5));
    let flat = LinkBudgetModel::new([m; 4], [0.0; 4], budget(140.0), 50_000.0, true);
    let r = flat.radius_m(Environment::Rural, 30.0);
    let tx = Transmitter {
        height_m: 30.0,
        ground_m: 0.0,
        lowest_ground_m: 0.0,
        position: [0.0, 0.0],
        indoor: false,
        footprint_m: 0.0,
    };
    let rx = Receiver {
        environment: Environment::Rural,
        ground_m: 0.0,
        position: [0.0, 0.0],
    };
    let low = flat
        .clone()
        .with_diffraction(std::sync::Arc::new(Ridge(0.0)));
    let high = flat
        .clone()
        .with_diffraction(std::sync::Arc::new(Ridge(120.0)));
    assert!(
        low.covers(&tx, &rx, 0.9 * r),
        "a ground-level profile blocks nothing"
    );
    assert!(
        !high.covers(&tx, &rx, 0.9 * r),
        "a 120 m ridge blocks a receiver at 0.9 radius"
    );
    assert!(high.describe().contains("diffraction"));
    // The farthest covered receiver comes nearer as the ridge grows.
    let reach = |h: f64| {
        let m = flat.clone().with_diffraction(std::sync::Arc::new(Ridge(h)));
        (1..=1000)
            .map(|i| r * i as f64 / 1000.0)
            .filter(|d| m.covers(&tx, &rx, *d))
            .fold(0.0, f64::max)
    };
    let (a, b, c) = (reach(20.0), reach(60.0), reach(120.0));
    assert!(a > b && b > c, "{a} {b} {c}");
    // The per-thread profile cache never hands one terrain's profile to
    // another, even for the same pair right after the first is dropped.
    for _ in 0..3 {
        let open = flat
            .clone()
            .with_diffraction(std::sync::Arc::new(Ridge(0.0)));
        assert!(open.covers(&tx, &rx, 0.9 * r));
        drop(open);
        let blocked = flat
            .clone()
            .with_diffraction(std::sync::Arc::new(Ridge(120.0)));
        assert!(!blocked.covers(&tx, &rx, 0.9 * r));
    }
}

proptest! {
    /// An operator's bands together cover a receiver exactly when one of
    /// them does, and reach as far as the farthest; an indoor-only band adds
    /// nothing at an outdoor site.
    #[test]
    fn bands_cover_the_union(
        f1 in 1500.0f64..2000.0,
        f2 in 1500.0f64..2000.0,
        mapl2 in 120.0f64..150.0,
        h in 30.0f64..100.0,
        d in 10.0f64..20_000.0,
        indoor_site: bool,
        second_indoor_only: bool,
    ) {
        let band = |f, mapl| {
            let m = PathLoss::new(ModelKind::Cost231Hata, Geometry::new(f, 30.0, 1.5));
            LinkBudgetModel::new([m; 4], [0.0; 4], budget(mapl), 30_000.0, false)
        };
        let first = band(f1, 140.0);
        let second = if second_indoor_only { band(f2, mapl2).indoor_only() } else { band(f2, mapl2) };
        let both = MultiBandModel::new(vec![("a".into(), first.clone()), ("b".into(), second.clone())]);
        let tx = Transmitter {
            height_m: h,
            ground_m: 0.0,
            lowest_ground_m: 0.0,
            position: [0.0, 0.0],
            indoor: indoor_site,
            footprint_m: if indoor_site { 300.0 } else { 0.0 },
        };
        let rx = Receiver {
            environment: Environment::Suburban,
            ground_m: 0.0,
            position: [0.0, 0.0],
        };
        prop_assert_eq!(
            both.covers(&tx, &rx, d),
            first.covers(&tx, &rx, d) || second.covers(&tx, &rx, d)
        );
        prop_assert_eq!(
            both.max_range_m(&tx),
            first.max_range_m(&tx).max(second.max_range_m(&tx))
        );
        if second_indoor_only && !indoor_site {
            prop_assert!(!second.covers(&tx, &rx, d));
            prop_assert_eq!(both.covers(&tx, &rx, d), first.covers(&tx, &rx, d));
        }
        // An indoor system serves its footprint on every band, nothing beyond.
        if indoor_site {
            prop_assert_eq!(both.covers(&tx, &rx, d), d <= 300.0);
            prop_assert_eq!(both.max_range_m(&tx), 300.0);
        }
    }
}
