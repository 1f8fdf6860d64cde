//! What the rules say of one site.

use crate::params::{Costs, RuleParams};
use siting_model::{Site, SiteKind, SiteOrigin, ZoneClass};

/// Who approves a station's environmental impact (R9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EiaAuthority {
    /// The municipal environmental protection bureau, in batches.
    Municipal,
    /// The Liangjiang New Area branch.
    Liangjiang,
}

/// Why a hard rule keeps a candidate out of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    /// The rule.
    pub rule: &'static str,
    /// Why, with figures.
    pub reason: String,
}

/// The rules' verdict on a site, were the plan to use it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// A hard rule that keeps the site out, if any.
    pub excluded: Option<Exclusion>,
    /// Tenant capacity after R5 (roof load).
    pub capacity: u8,
    /// R3: the site must be camouflaged.
    pub camouflage: bool,
    /// R6: the site must post an EMF notice board.
    pub notice_board: bool,
    /// R8: building it needs planning approval (a new standalone tower).
    pub planning_approval: bool,
    /// R9: who approves its environmental impact.
    pub eia: EiaAuthority,
    /// Infrastructure of building the site (with camouflage and fees), yuan;
    /// 0 for an existing site.
    pub build_yuan: f64,
    /// Infrastructure work for an operator that joins the site, yuan (0 on a
    /// candidate: its build covers every tenant).
    pub co_location_yuan: f64,
    /// Infrastructure work for a tenant that adds 4G here, yuan.
    pub overlay_yuan: f64,
    /// One operator's 4G equipment here, yuan.
    pub equipment_yuan: f64,
    /// R6: distance at which one station's power density falls to the limit, metres.
    pub compliance_distance_m: f64,
    /// Ids of the rules that shape the site if the plan uses it, ascending.
    pub rules: Vec<&'static str>,
}

/// EIRP in dBm to watts.
fn dbm_to_w(dbm: f64) -> f64 {
    10f64.powf((dbm - 30.0) / 10.0)
}

/// Far-field compliance distance d = √(EIRP / (4π·S_limit)), metres.
///
/// ```
/// // 63 dBm (2 kW) EIRP against 0.08 W/m²: about 44.6 m.
/// let d = siting_rules::verdict::compliance_distance_m(63.0, 0.08);
/// assert!((d - 44.6).abs() < 0.1);
/// ```
pub fn compliance_distance_m(eirp_dbm: f64, limit_w_m2: f64) -> f64 {
    (dbm_to_w(eirp_dbm) / (4.0 * std::f64::consts::PI * limit_w_m2)).sqrt()
}

/// Judges a site standing in zones of the given classes.
pub fn judge(site: &Site, zones: &[ZoneClass], p: &RuleParams, costs: &Costs) -> Verdict {
    let new = site.origin == SiteOrigin::Candidate;
    let has = |c: ZoneClass| zones.contains(&c);
    let mut rules = vec![if new { "R2" } else { "R1" }];
    let mut excluded = None;

    let camouflage =
        has(ZoneClass::Scenic) || has(ZoneClass::NatureReserve) || has(ZoneClass::Heritage);
    if camouflage {
        rules.push("R3");
    }

    let attached = site.kind != SiteKind::GroundTower;
    let fee = if attached && !site.public_building {
        costs.usage_fee_yuan.get(site.kind)
    } else {
        0.0
    };
    if attached && new {
        rules.push("R4");
    }

    let mut capacity = site.capacity;
    if let (SiteKind::Rooftop, Some(load)) = (site.kind, site.load_capacity_kg) {
        let fits = (load / p.tenant_mass_kg).floor().clamp(0.0, 3.0) as u8;
        if fits < capacity {
            rules.push("R5");
            capacity = fits.max(site.tenants.len() as u8);
            if capacity == 0 {
                excluded = Some(Exclusion {
                    rule: "R5",
                    reason: format!(
                        "roof load capacity {load} kg holds no tenant of {} kg",
                        p.tenant_mass_kg
                    ),
                });
            }
        }
    }

    let notice_board =
        has(ZoneClass::DenseResidential) || has(ZoneClass::School) || has(ZoneClass::Hospital);
    let compliance = compliance_distance_m(p.eirp_dbm.get(site.kind), p.power_density_limit_w_m2);
    if notice_board {
        rules.push("R6");
        if new && site.height_m < compliance && excluded.is_none() {
            excluded = Some(Exclusion {
                rule: "R6",
                reason: format!(
                    "antenna at {:.1} m in a sensitive zone is below the GB 8702-2014 compliance distance of {:.1} m",
                    site.height_m, compliance
                ),
            });
        }
    }

    let planning_approval = new && site.kind == SiteKind::GroundTower;
    if planning_approval {
        rules.push("R8");
    }
    let eia = if has(ZoneClass::Liangjiang) {
        EiaAuthority::Liangjiang
    } else {
        EiaAuthority::Municipal
    };
    rules.push("R9");
    rules.sort_by_key(|r| r[1..].parse::<u32>().unwrap_or(0));

    let build = site
        .venue
        .as_ref()
        .filter(|_| site.kind == SiteKind::Indoor)
        .and_then(|v| costs.indoor_venue_yuan.get(v))
        .copied()
        .unwrap_or(costs.build_yuan.get(site.kind));
    let build_yuan = if new {
        build
            + fee
            + if camouflage {
                costs.camouflage_yuan.get(site.kind)
            } else {
                0.0
            }
    } else {
        0.0
    };
    let (co_location_yuan, overlay_yuan) = if new {
        (0.0, 0.0)
    } else {
        (costs.co_location_yuan.get(site.kind), costs.overlay_yuan)
    };

    Verdict {
        excluded,
        capacity,
        camouflage,
        notice_board,
        planning_approval,
        eia,
        build_yuan,
        co_location_yuan,
        overlay_yuan,
        equipment_yuan: costs.equipment_yuan.get(site.kind),
        compliance_distance_m: compliance,
        rules,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{Costs, KindCosts};
    use siting_model::{LonLat, OperatorSet};

    fn k(a: f64, b: f64, c: f64, d: f64) -> KindCosts {
        KindCosts {
            ground_tower: a,
            rooftop: b,
            street_pole: c,
            indoor: d,
        }
    }

    fn params() -> RuleParams {
        RuleParams {
            sharing_first: true,
            tenant_mass_kg: 300.0,
            eirp_dbm: k(63.0, 60.0, 50.0, 40.0),
            power_density_limit_w_m2: 0.08,
            eia_municipal: "M".into(),
            eia_liangjiang: "L".into(),
        }
    }

    fn costs() -> Costs {
        Costs {
            build_yuan: k(300_000.0, 80_000.0, 60_000.0, 100_000.0),
            camouflage_yuan: k(120_000.0, 50_000.0, 20_000.0, 0.0),
            indoor_venue_yuan: [("railway".to_string(), 2_000_000.0)].into(),
            usage_fee_yuan: k(0.0, 30_000.0, 30_000.0, 0.0),
            co_location_yuan: k(40_000.0, 40_000.0, 40_000.0, 30_000.0),
            overlay_yuan: 10_000.0,
            equipment_yuan: k(150_000.0, 150_000.0, 60_000.0, 80_000.0),
            site_acquisition_yuan: 0.0,
        }
    }

    fn site(kind: SiteKind, origin: SiteOrigin, height_m: f64) -> Site {
        Site {
            id: "s".into(),
            origin,
            kind,
            xy: Default::default(),
            lonlat: LonLat {
                lon: 106.5,
                lat: 29.5,
            },
            height_m,
            capacity: 3,
            tenants: OperatorSet::EMPTY,
            public_building: false,
            load_capacity_kg: None,
            name: None,
            technologies: Default::default(),
            venue: None,
            footprint_m: None,
        }
    }

    #[test]
    fn new_tower_in_scenic_area_is_camouflaged_and_needs_approval() {
        let v = judge(
            &site(SiteKind::GroundTower, SiteOrigin::Candidate, 40.0),
            &[ZoneClass::Scenic],
            &params(),
            &costs(),
        );
        assert!(v.camouflage && v.planning_approval && v.excluded.is_none());
        assert_eq!(v.build_yuan, 420_000.0);
        assert_eq!(v.rules, vec!["R2", "R3", "R8", "R9"]);
    }

    #[test]
    fn public_rooftop_is_free_and_private_one_pays() {
        let mut s = site(SiteKind::Rooftop, SiteOrigin::Candidate, 30.0);
        let paid = judge(&s, &[], &params(), &costs()).build_yuan;
        s.public_building = true;
        let free = judge(&s, &[], &params(), &costs()).build_yuan;
        assert_eq!(paid - free, 30_000.0);
    }

    #[test]
    fn low_antenna_by_a_school_is_excluded() {
        let v = judge(
            &site(SiteKind::GroundTower, SiteOrigin::Candidate, 30.0),
            &[ZoneClass::School],
            &params(),
            &costs(),
        );
        assert_eq!(v.excluded.unwrap().rule, "R6");
        let v = judge(
            &site(SiteKind::StreetPole, SiteOrigin::Candidate, 12.0),
            &[ZoneClass::School],
            &params(),
            &costs(),
        );
        assert!(v.excluded.is_none() && v.notice_board);
    }

    #[test]
    fn an_indoor_system_costs_by_its_venue() {
        let mut s = site(SiteKind::Indoor, SiteOrigin::Candidate, 3.0);
        assert_eq!(judge(&s, &[], &params(), &costs()).build_yuan, 100_000.0);
        s.venue = Some("railway".into());
        assert_eq!(judge(&s, &[], &params(), &costs()).build_yuan, 2_000_000.0);
        s.origin = SiteOrigin::Existing;
        let v = judge(&s, &[], &params(), &costs());
        assert_eq!(
            (v.build_yuan, v.co_location_yuan, v.equipment_yuan),
            (0.0, 30_000.0, 80_000.0)
        );
    }

    #[test]
    fn roof_load_limits_capacity() {
        let mut s = site(SiteKind::Rooftop, SiteOrigin::Candidate, 30.0);
        s.load_capacity_kg = Some(650.0);
        let v = judge(&s, &[], &params(), &costs());
        assert_eq!(v.capacity, 2);
        assert!(v.rules.contains(&"R5"));
        s.load_capacity_kg = Some(100.0);
        assert_eq!(
            judge(&s, &[], &params(), &costs()).excluded.unwrap().rule,
            "R5"
        );
    }

    #[test]
    fn liangjiang_routes_eia() {
        let v = judge(
            &site(SiteKind::Rooftop, SiteOrigin::Existing, 30.0),
            &[ZoneClass::Liangjiang],
            &params(),
            &costs(),
        );
        assert_eq!(v.eia, EiaAuthority::Liangjiang);
        assert_eq!(v.build_yuan, 0.0);
        assert_eq!((v.co_location_yuan, v.overlay_yuan), (40_000.0, 10_000.0));
        assert_eq!(v.equipment_yuan, 150_000.0);
    }
}
