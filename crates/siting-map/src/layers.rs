//! What a map shows, in the model's metric CRS.

use crate::grid::CoverageGrid;
use crate::MapError;
use siting_model::{District, Zone};
use siting_plan::{Origin, PlanSite};

/// What the plan does at a site, the colour of its mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// The plan builds the site.
    NewSite,
    /// Some operator becomes a new tenant of an existing site.
    CoLocation,
    /// Only operators already on the site add 4G.
    Overlay,
}

impl Action {
    /// All three, in legend order.
    pub const ALL: [Action; 3] = [Action::NewSite, Action::CoLocation, Action::Overlay];

    /// What the plan does at `site`: a new site, else a co-location where it
    /// adds a tenant, else an overlay.
    pub fn of(site: &PlanSite) -> Action {
        if site.origin == Origin::New {
            Action::NewSite
        } else if !site.tenants_added().is_empty() {
            Action::CoLocation
        } else {
            Action::Overlay
        }
    }

    /// Its code in `plan.gpkg`'s `action` field: `new_site`,
    /// `co_location`, `overlay`.
    pub fn code(self) -> &'static str {
        match self {
            Action::NewSite => "new_site",
            Action::CoLocation => "co_location",
            Action::Overlay => "overlay",
        }
    }

    /// The legend's words.
    pub fn label(self) -> &'static str {
        match self {
            Action::NewSite => "new site",
            Action::CoLocation => "co-location (new tenant)",
            Action::Overlay => "4G overlay (same tenants)",
        }
    }

    /// Its colour, `#rrggbb`.
    pub fn colour(self) -> &'static str {
        match self {
            Action::NewSite => "#d7301f",
            Action::CoLocation => "#2b6cb0",
            Action::Overlay => "#2f9e44",
        }
    }
}

/// An existing site, drawn grey.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExistingMark {
    /// Position, metres (metric CRS).
    pub xy: [f64; 2],
    /// Tenants before the plan (0–3).
    pub tenants: u8,
}

/// A site of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanMark {
    /// Position, metres (metric CRS).
    pub xy: [f64; 2],
    /// What the plan does there.
    pub action: Action,
    /// Tenants once the plan is built (1–3), the size of its mark.
    pub tenants_after: u8,
    /// Its district's adcode.
    pub adcode: String,
}

impl PlanMark {
    /// The mark of `site` at metric position `xy`.
    pub fn of(site: &PlanSite, xy: [f64; 2]) -> PlanMark {
        PlanMark {
            xy,
            action: Action::of(site),
            tenants_after: site.tenants_after().len() as u8,
            adcode: site.adcode.clone(),
        }
    }
}

/// A search ring: a circle around its suggested centre.
#[derive(Debug, Clone, PartialEq)]
pub struct RingMark {
    /// `ring-001`…
    pub id: String,
    /// Centre, metres (metric CRS).
    pub xy: [f64; 2],
    /// Radius, metres.
    pub radius_m: f64,
}

/// Everything a map of a plan draws, in the model's metric CRS (metres, x
/// east, y north).
#[derive(Debug, Clone, Default)]
pub struct MapLayers {
    /// The metric CRS (`EPSG:4545`).
    pub metric_crs: String,
    /// District and county boundaries, in the layer's order.
    pub districts: Vec<District>,
    /// Protected and sensitive zones.
    pub zones: Vec<Zone>,
    /// Existing sites before the plan.
    pub existing: Vec<ExistingMark>,
    /// The plan's sites.
    pub plan: Vec<PlanMark>,
    /// Search rings.
    pub rings: Vec<RingMark>,
    /// Each operator's coverage as a raster, where the run has it (a plan
    /// read back from its files has none).
    pub coverage: Option<CoverageGrid>,
    /// Where the data comes from, printed on the map.
    pub attribution: String,
}

impl MapLayers {
    /// Bounding box of the districts (or, without any, of the sites and
    /// rings): `[min_x, min_y, max_x, max_y]`, metres.
    pub fn bounds(&self) -> Option<[f64; 4]> {
        let mut b = Bounds::default();
        for d in &self.districts {
            for p in &d.geometry.0 {
                for c in &p.exterior().0 {
                    b.add(c.x, c.y);
                }
            }
        }
        if b.empty() {
            for e in &self.existing {
                b.add(e.xy[0], e.xy[1]);
            }
            for p in &self.plan {
                b.add(p.xy[0], p.xy[1]);
            }
            for r in &self.rings {
                b.add(r.xy[0] - r.radius_m, r.xy[1] - r.radius_m);
                b.add(r.xy[0] + r.radius_m, r.xy[1] + r.radius_m);
            }
        }
        b.get()
    }

    /// Bounding box of one district, metres.
    pub fn district_bounds(&self, k: usize) -> Option<[f64; 4]> {
        let mut b = Bounds::default();
        for p in &self.districts.get(k)?.geometry.0 {
            for c in &p.exterior().0 {
                b.add(c.x, c.y);
            }
        }
        b.get()
    }
}

/// A growing bounding box.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds([f64; 4]);

impl Default for Bounds {
    fn default() -> Self {
        Bounds([
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ])
    }
}

impl Bounds {
    pub(crate) fn add(&mut self, x: f64, y: f64) {
        if x.is_finite() && y.is_finite() {
            self.0[0] = self.0[0].min(x);
            self.0[1] = self.0[1].min(y);
            self.0[2] = self.0[2].max(x);
            self.0[3] = self.0[3].max(y);
        }
    }
    fn empty(&self) -> bool {
        self.0[0] > self.0[2]
    }
    pub(crate) fn get(&self) -> Option<[f64; 4]> {
        (!self.empty()).then_some(self.0)
    }
}

/// The district named `query` (its Chinese name, with or without the
/// 区/县 suffix, or its 6-digit adcode): its index in `districts`. An
/// unknown one is an error listing the nearest names.
pub fn find_district(districts: &[District], query: &str) -> Result<usize, MapError> {
    let q = query.trim();
    let strip = |s: &str| s.trim_end_matches(['区', '县']).to_string();
    if let Some(k) = districts
        .iter()
        .position(|d| d.adcode == q || d.name == q)
        .or_else(|| districts.iter().position(|d| strip(&d.name) == strip(q)))
    {
        return Ok(k);
    }
    let mut scored: Vec<(usize, &District)> = districts
        .iter()
        .map(|d| (distance(q, &d.name).min(distance(q, &d.adcode)), d))
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.adcode.cmp(&b.1.adcode)));
    Err(MapError::UnknownDistrict {
        query: q.to_string(),
        near: scored
            .iter()
            .take(5)
            .map(|(_, d)| format!("{} ({})", d.name, d.adcode))
            .collect(),
    })
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{polygon, MultiPolygon};

    fn district(adcode: &str, name: &str) -> District {
        District {
            adcode: adcode.into(),
            name: name.into(),
            main_urban: false,
            geometry: MultiPolygon(vec![
                polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)],
            ]),
        }
    }

    #[test]
    fn finds_by_name_adcode_and_short_name() {
        let ds = [district("500112", "渝北区"), district("500113", "巴南区")];
        assert_eq!(find_district(&ds, "渝北区").unwrap(), 0);
        assert_eq!(find_district(&ds, "500113").unwrap(), 1);
        assert_eq!(find_district(&ds, "巴南").unwrap(), 1);
    }

    #[test]
    fn unknown_district_lists_near_matches() {
        let ds = [
            district("500112", "渝北区"),
            district("500113", "巴南区"),
            district("500103", "渝中区"),
        ];
        let e = find_district(&ds, "渝比区").unwrap_err().to_string();
        assert!(e.contains("渝比区"), "{e}");
        assert!(e.contains("渝北区 (500112)"), "{e}");
        let first = e.find("渝北区").unwrap();
        assert!(first < e.find("巴南区").unwrap(), "{e}");
    }

    #[test]
    fn levenshtein() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("渝北区", "渝北区"), 0);
    }
}
