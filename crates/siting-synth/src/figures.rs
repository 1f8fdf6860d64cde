//! Key figures of the modelled layers, as `siting synth` prints them and
//! MODELLED.md quotes them.

use crate::demand::Cell;
use crate::sites::{SynthSite, OPERATORS, TECHS};
use std::collections::BTreeMap;

/// Counts of the existing sites.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteFigures {
    /// Sites.
    pub sites: usize,
    /// Sites by kind.
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Sites with 1, 2, 3 tenants (index 0, 1, 2).
    pub by_tenants: [usize; 3],
    /// Shared sites (two or more operators) by kind.
    pub shared_by_kind: BTreeMap<&'static str, usize>,
    /// Tenancies per operator.
    pub tenancies: [usize; 3],
    /// (site, operator, technology) units per operator and technology.
    pub units: [[usize; 3]; 3],
}

impl SiteFigures {
    /// Counts a list of sites.
    pub fn of(sites: &[SynthSite]) -> Self {
        let mut f = SiteFigures {
            sites: sites.len(),
            ..Default::default()
        };
        for s in sites {
            *f.by_kind.entry(s.kind).or_default() += 1;
            let n = s.tenants.len();
            if (1..=3).contains(&n) {
                f.by_tenants[n - 1] += 1;
            }
            if n >= 2 {
                *f.shared_by_kind.entry(s.kind).or_default() += 1;
            }
            for t in &s.tenants {
                f.tenancies[t.operator] += 1;
                for tech in 0..3 {
                    if t.runs(tech) {
                        f.units[t.operator][tech] += 1;
                    }
                }
            }
        }
        f
    }

    /// Sites hosting two or more operators.
    pub fn shared(&self) -> usize {
        self.by_tenants[1] + self.by_tenants[2]
    }

    /// Share of sites that are shared.
    pub fn shared_share(&self) -> f64 {
        self.shared() as f64 / self.sites.max(1) as f64
    }

    /// Operators per site.
    pub fn tenancy_ratio(&self) -> f64 {
        self.tenancies.iter().sum::<usize>() as f64 / self.sites.max(1) as f64
    }

    /// All (site, operator, technology) units.
    pub fn total_units(&self) -> usize {
        self.units.iter().flatten().sum()
    }
}

/// Demand cells by edge (m) with their count and residents.
pub fn cells_by_size(cells: &[Cell]) -> Vec<(f64, usize, f64)> {
    let mut m: BTreeMap<u64, (usize, f64)> = BTreeMap::new();
    for c in cells {
        let e = m.entry(c.cell_m.to_bits()).or_default();
        e.0 += 1;
        e.1 += c.weight;
    }
    let mut v: Vec<(f64, usize, f64)> = m
        .into_iter()
        .map(|(k, (n, w))| (f64::from_bits(k), n, w))
        .collect();
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    v
}

/// The lines `siting synth` prints.
pub fn summary(
    cells: &[Cell],
    existing: &[SynthSite],
    candidates: &[SynthSite],
    zones: usize,
) -> Vec<String> {
    let total: f64 = cells.iter().map(|c| c.weight).sum();
    let sizes = cells_by_size(cells)
        .iter()
        .map(|(m, n, w)| {
            format!(
                "{n} of {m} m ({:.1}% of residents)",
                100.0 * w / total.max(1.0)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let f = SiteFigures::of(existing);
    let kinds = |m: &BTreeMap<&'static str, usize>| {
        m.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let units = (0..3)
        .map(|o| {
            format!(
                "{} {}",
                OPERATORS[o],
                (0..3)
                    .map(|t| format!("{} {}", TECHS[t], f.units[o][t]))
                    .collect::<Vec<_>>()
                    .join(" / ")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let c = SiteFigures::of(candidates);
    vec![
        format!(
            "demand.geojson: {} cells: {sizes}; total weight {total:.0}",
            cells.len()
        ),
        format!(
            "sites_existing.geojson: {} sites ({}); tenants 1/2/3: {}/{}/{}; shared {} ({:.1}%; {}); tenancy ratio {:.3}; tenancies CMCC/CUCC/CTCC {}/{}/{}",
            f.sites,
            kinds(&f.by_kind),
            f.by_tenants[0],
            f.by_tenants[1],
            f.by_tenants[2],
            f.shared(),
            100.0 * f.shared_share(),
            kinds(&f.shared_by_kind),
            f.tenancy_ratio(),
            f.tenancies[0],
            f.tenancies[1],
            f.tenancies[2],
        ),
        format!(
            "  (site, operator, technology) units: {} ({units})",
            f.total_units()
        ),
        format!("candidates.geojson: {} sites ({})", c.sites, kinds(&c.by_kind)),
        format!("zones.geojson: {zones} zones"),
    ]
}
