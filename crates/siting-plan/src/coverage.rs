//! Coverage figures per operator, from who covers which demand item: the one
//! computation behind `report.json`'s `coverage` and `siting score`, so that
//! the two agree exactly on the same demand.

use serde::Serialize;
use siting_model::PerOperator;

/// One operator's 4G coverage of the demand layer, before and after the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageFigures {
    /// Residents on the demand layer.
    pub residents: f64,
    /// Residents covered before the plan (by existing 4G only).
    pub covered_before: f64,
    /// Residents covered once the plan is built.
    pub covered_after: f64,
    /// `covered_before / residents`.
    pub share_before: f64,
    /// `covered_after / residents`.
    pub share_after: f64,
    /// Residents of the main urban area.
    pub main_urban_residents: f64,
    /// Main-urban residents covered before the plan.
    pub main_urban_covered_before: f64,
    /// Main-urban residents covered once the plan is built.
    pub main_urban_covered_after: f64,
    /// Share of main-urban residents covered before the plan.
    pub main_urban_share_before: f64,
    /// Share of main-urban residents covered once the plan is built (T4).
    pub main_urban_share_after: f64,
    /// Residents outside the main urban area covered once the plan is built.
    pub rest_share_after: f64,
    /// Township centres.
    pub township_centres: u64,
    /// Township centres covered before the plan.
    pub township_centres_covered_before: u64,
    /// Township centres covered once the plan is built (T4).
    pub township_centres_covered_after: u64,
}

/// The demand side of coverage: residents per cell and where they are.
#[derive(Debug, Clone, Copy)]
pub struct DemandItems<'a> {
    /// Residents of each demand cell.
    pub residents: &'a [f64],
    /// Whether each cell lies in the main urban area.
    pub main_urban: &'a [bool],
    /// Township centres (items after the cells).
    pub township_centres: usize,
}

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        1.0
    }
}

/// Coverage figures per operator. `before[op]` and `after[op]` say, per
/// item (the demand cells, then the township centres), whether the
/// operator's 4G covers it.
///
/// ```
/// use siting_model::PerOperator;
/// use siting_plan::coverage::{coverage_figures, DemandItems};
/// let demand = DemandItems { residents: &[10.0, 30.0], main_urban: &[true, false], township_centres: 1 };
/// let before = PerOperator::from_fn(|_| vec![false, false, false]);
/// let after = PerOperator::from_fn(|_| vec![true, false, true]);
/// let f = coverage_figures(demand, &before, &after);
/// let cmcc = &f.0[0];
/// assert_eq!((cmcc.covered_after, cmcc.share_after, cmcc.main_urban_share_after), (10.0, 0.25, 1.0));
/// assert_eq!(cmcc.township_centres_covered_after, 1);
/// ```
pub fn coverage_figures(
    demand: DemandItems<'_>,
    before: &PerOperator<Vec<bool>>,
    after: &PerOperator<Vec<bool>>,
) -> PerOperator<CoverageFigures> {
    let n = demand.residents.len();
    let residents: f64 = demand.residents.iter().sum();
    let urban: f64 = demand
        .residents
        .iter()
        .zip(demand.main_urban)
        .filter(|(_, u)| **u)
        .map(|(w, _)| *w)
        .sum();
    PerOperator::from_fn(|op| {
        let weigh = |cov: &[bool]| -> (f64, f64) {
            let (mut all, mut main) = (0.0, 0.0);
            for ((w, u), c) in demand.residents.iter().zip(demand.main_urban).zip(cov) {
                if *c {
                    all += w;
                    if *u {
                        main += w;
                    }
                }
            }
            (all, main)
        };
        let towns = |cov: &[bool]| cov[n..].iter().filter(|c| **c).count() as u64;
        let (b, bu) = weigh(&before[op]);
        let (a, au) = weigh(&after[op]);
        CoverageFigures {
            residents,
            covered_before: b,
            covered_after: a,
            share_before: share(b, residents),
            share_after: share(a, residents),
            main_urban_residents: urban,
            main_urban_covered_before: bu,
            main_urban_covered_after: au,
            main_urban_share_before: share(bu, urban),
            main_urban_share_after: share(au, urban),
            rest_share_after: share(a - au, residents - urban),
            township_centres: demand.township_centres as u64,
            township_centres_covered_before: towns(&before[op]),
            township_centres_covered_after: towns(&after[op]),
        }
    })
}

/// The township centres some operator misses once the plan is built:
/// `(township index, operators missing)`, in township order. Items of
/// `after[op]` after the first `cells` are the township centres.
pub fn townships_missed(
    after: &PerOperator<Vec<bool>>,
    cells: usize,
) -> Vec<(usize, Vec<siting_model::Operator>)> {
    let n = after.0[0].len();
    (cells..n)
        .filter_map(|d| {
            let missing: Vec<siting_model::Operator> = siting_model::Operator::ALL
                .into_iter()
                .filter(|op| !after[*op][d])
                .collect();
            (!missing.is_empty()).then_some((d - cells, missing))
        })
        .collect()
}
