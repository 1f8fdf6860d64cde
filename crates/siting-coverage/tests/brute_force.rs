//! Coverage sets against brute force: every demand point a model covers from
//! a site, found by asking the model about every point, with no range query.

use proptest::prelude::*;
use siting_coverage::{coverage_sets, Demand, SiteRadio};
use siting_index::PointIndex;
use siting_model::Environment;
use siting_radio::{
    CoverageModel, Geometry, LinkBudget, LinkBudgetModel, ModelKind, MultiBandModel, PathLoss,
    Receiver, Transmitter,
};

fn band(kind: ModelKind, freq_mhz: f64, max_path_loss_db: f64, terrain: bool) -> LinkBudgetModel {
    let budget = LinkBudget {
        tx_power_dbm: 23.0,
        tx_antenna_gain_dbi: 0.0,
        tx_cable_loss_db: 0.0,
        rx_antenna_gain_dbi: 0.0,
        rx_cable_loss_db: 0.0,
        rx_sensitivity_dbm: 23.0 - max_path_loss_db,
        body_loss_db: 0.0,
        interference_margin_db: 0.0,
        fading_margin_db: 0.0,
    };
    let m = PathLoss::new(kind, Geometry::new(freq_mhz, 30.0, 1.5));
    LinkBudgetModel::new([m; 4], [20.0, 15.0, 10.0, 5.0], budget, 30_000.0, terrain)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// With terrain, each site's lowest ground is the lowest demand ground, so
    /// the models' reach must hold every point they cover.
    #[test]
    fn sets_equal_brute_force(
        points in prop::collection::vec((0.0f64..6000.0, 0.0f64..6000.0, 0u8..4, 0.0f64..300.0), 1..300),
        sites in prop::collection::vec((0.0f64..6000.0, 0.0f64..6000.0, 5.0f64..60.0, 0.0f64..300.0, any::<bool>()), 1..8),
        terrain: bool,
        mapl in 110.0f64..140.0,
    ) {
        let xy: Vec<[f64; 2]> = points.iter().map(|p| [p.0, p.1]).collect();
        let env: Vec<Environment> = points.iter().map(|p| Environment::ALL[p.2 as usize]).collect();
        let ground: Vec<f64> = points.iter().map(|p| if terrain { p.3 } else { 0.0 }).collect();
        let position = vec![[0.0; 2]; points.len()];
        let lowest = ground.iter().copied().fold(f64::INFINITY, f64::min);
        let index = PointIndex::new(xy.iter().copied());
        let operators = [
            MultiBandModel::new(vec![("a".into(), band(ModelKind::Cost231Hata, 1800.0, mapl, terrain))]),
            MultiBandModel::new(vec![
                ("b".into(), band(ModelKind::UmaNlos, 1860.0, mapl + 5.0, terrain)),
                ("c".into(), band(ModelKind::RmaNlos, 2345.0, mapl, terrain).indoor_only()),
            ]),
        ];
        let models: Vec<&dyn CoverageModel> = operators.iter().map(|m| m as &dyn CoverageModel).collect();
        let radios: Vec<SiteRadio> = sites
            .iter()
            .map(|s| SiteRadio {
                xy: [s.0, s.1],
                tx: Transmitter {
                    height_m: s.2,
                    ground_m: if terrain { s.3 } else { 0.0 },
                    lowest_ground_m: if terrain { lowest.min(s.3) } else { 0.0 },
                    position: [0.0; 2],
                    footprint_m: if s.4 { 400.0 } else { 0.0 },
                    indoor: s.4,
                },
            })
            .collect();
        let sets = coverage_sets(
            &radios,
            &models,
            Demand { index: &index, environment: &env, ground_m: &ground, position: &position },
        );
        for (s, site) in radios.iter().enumerate() {
            for (o, model) in models.iter().enumerate() {
                let want: Vec<u32> = (0..xy.len())
                    .filter(|&i| {
                        let d = ((xy[i][0] - site.xy[0]).powi(2) + (xy[i][1] - site.xy[1]).powi(2)).sqrt();
                        let rx = Receiver { environment: env[i], ground_m: ground[i], position: position[i] };
                        model.covers(&site.tx, &rx, d)
                    })
                    .map(|i| i as u32)
                    .collect();
                prop_assert_eq!(&sets[s][o][..], &want[..], "site {} operator {}", s, o);
            }
        }
    }
}
