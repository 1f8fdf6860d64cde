//! What the rules say of one site.

use crate::book::RuleBook;
use crate::params::Costs;
use siting_model::{Site, SiteKind, SiteOrigin, ZoneClass};

/// Who approves a station's environmental impact (R9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EiaAuthority {
    /// The municipal environmental protection bureau, in batches.
    Municipal,
    /// The New Area's own branch (Liangjiang in Chongqing).
    NewArea,
    /// R9 is switched off: no authority is routed.
    Unrouted,
}

/// Why a hard rule keeps a site (or new antennas on it) out of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    /// The rule.
    pub rule: &'static str,
    /// Why, with figures.
    pub reason: String,
}

/// Where a site stands, as the rules need it: the engine measures it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surroundings {
    /// Classes of the zones holding the site, sorted, each once.
    pub classes: Vec<ZoneClass>,
    /// R6: distance from the antenna to the nearest sensitive zone (R6's
    /// zone classes), metres: horizontal, or slant where the zone gives a
    /// building height; `None` when none lies within the search radius.
    pub sensitive_m: Option<f64>,
    /// R6: horizontal distance to the nearest sensitive zone, metres (0
    /// inside one); `None` when none lies within the search radius.
    pub sensitive_horizontal_m: Option<f64>,
}

/// The rules' verdict on a site, were the plan to use it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// A hard rule that keeps new antennas off the site, if any.
    pub excluded: Option<Exclusion>,
    /// Tenant capacity after R5 (roof load) and R6 (summed EIRP).
    pub capacity: u8,
    /// R3: the site must be camouflaged if it receives new antennas.
    pub camouflage: bool,
    /// R6: the site must post an EMF notice board.
    pub notice_board: bool,
    /// R8: building it needs planning approval (a new standalone tower).
    pub planning_approval: bool,
    /// R9: who approves its environmental impact, within the plan's batches.
    pub eia: EiaAuthority,
    /// R6: tenants the site may carry under its share of the exposure limit
    /// (`None` when no sensitive zone is near or R6 is off).
    pub emf_tenants: Option<u32>,
    /// R7: preference rank among options of equal merit, lower preferred.
    pub preference_rank: u32,
    /// Infrastructure of building the site (with camouflage and fees), yuan;
    /// 0 for an existing site.
    pub build_yuan: f64,
    /// Infrastructure work for an operator that joins the site (with R3's
    /// disguised antennas and R4's fee), yuan; 0 on a candidate.
    pub co_location_yuan: f64,
    /// Infrastructure work for a tenant that adds 4G here (with R3's
    /// disguised antennas), yuan.
    pub overlay_yuan: f64,
    /// One operator's 4G equipment here, yuan.
    pub equipment_yuan: f64,
    /// R6: distance at which one tenant's power density falls to the
    /// site's share of the limit, metres (0 with R6 off).
    pub compliance_distance_m: f64,
    /// Ids of the rules that shape the site if the plan uses it, ascending.
    pub rules: Vec<&'static str>,
}

/// Judges a site: its costs, capacity, flags and exclusions under the book.
pub fn judge(site: &Site, around: &Surroundings, book: &RuleBook, costs: &Costs) -> Verdict {
    let p = &book.params;
    let new = site.origin == SiteOrigin::Candidate;
    let has = |c: ZoneClass| around.classes.contains(&c);
    let mut rules = vec![if new { "R2" } else { "R1" }];
    if !new && p.r1.is_none() {
        rules.clear();
    }
    let mut excluded: Option<Exclusion> = None;
    let mut exclude = |rule: &'static str, reason: String| {
        if excluded.is_none() {
            excluded = Some(Exclusion { rule, reason });
        }
    };

    let protected =
        p.r3.as_ref()
            .and_then(|r3| r3.zone_classes.iter().find(|c| has(**c)).map(|c| (r3, *c)));
    let camouflage = protected.is_some();
    if let Some((r3, _)) = protected {
        rules.push("R3");
        if new && site.kind == SiteKind::GroundTower {
            if let Some(c) = r3.no_ground_tower_in.iter().find(|c| has(**c)) {
                exclude("R3", format!("no standalone tower may stand in a {c} zone"));
            }
        }
    }

    let attached = site.kind != SiteKind::GroundTower;
    let private = attached && !site.public_building;
    let (new_fee, tenant_fee) = match &p.r4 {
        Some(r4) if private => (
            r4.new_site_yuan.get(site.kind),
            r4.per_tenant_yuan.get(site.kind),
        ),
        _ => (0.0, 0.0),
    };
    if p.r4.is_some() && attached {
        rules.push("R4");
    }

    let mut capacity = site.capacity;
    if let (Some(r5), SiteKind::Rooftop, Some(load)) = (&p.r5, site.kind, site.load_capacity_kg) {
        let fits = (load / r5.tenant_mass_kg).floor().clamp(0.0, 3.0) as u8;
        if fits < capacity {
            rules.push("R5");
            capacity = fits.max(site.tenants.len() as u8);
            if fits == 0 {
                exclude(
                    "R5",
                    format!(
                        "roof load capacity {load} kg holds no tenant of {} kg",
                        r5.tenant_mass_kg
                    ),
                );
            }
        }
    }

    let mut notice_board = false;
    let mut emf_tenants = None;
    let mut compliance = 0.0;
    if let Some(r6) = &p.r6 {
        compliance = r6.distance_m(site.kind, 1);
        let near = around
            .sensitive_horizontal_m
            .is_some_and(|d| d <= r6.notice_within_m);
        if let Some(d) = around.sensitive_m {
            let n = crate::emf::max_transmitters(r6.tenant_eirp_w(site.kind), r6.limit_w_m2(), d);
            emf_tenants = Some(n);
            let before = site.tenants.len() as u32;
            if n < capacity as u32 {
                rules.push("R6");
                if n == 0 || (!new && n < before) {
                    exclude(
                        "R6",
                        format!(
                            "a sensitive zone {d:.1} m from the antenna is inside the GB 8702-2014 compliance distance of {} tenant(s), {:.1} m (EIRP {:.0} dBm each, {:.2} W/m²)",
                            before.max(1),
                            r6.distance_m(site.kind, before.max(1)),
                            r6.eirp_dbm.get(site.kind),
                            r6.limit_w_m2()
                        ),
                    );
                }
                capacity = capacity.min(n.max(before).min(u8::MAX as u32) as u8);
            }
        }
        if near {
            notice_board = true;
            if !rules.contains(&"R6") {
                rules.push("R6");
            }
        }
    }

    let preference_rank = match &p.r7 {
        Some(r7) => {
            if new {
                rules.push("R7");
            }
            r7.rank(site.kind, site.public_building)
        }
        None => 0,
    };

    let planning_approval = p.r8.is_some() && new && site.kind == SiteKind::GroundTower;
    if planning_approval {
        rules.push("R8");
    }
    let eia = match &p.r9 {
        Some(r9) => {
            rules.push("R9");
            if has(r9.new_area_class) {
                EiaAuthority::NewArea
            } else {
                EiaAuthority::Municipal
            }
        }
        None => EiaAuthority::Unrouted,
    };
    if let (Some(r11), SiteKind::Indoor, Some(v)) = (&p.r11, site.kind, &site.venue) {
        if r11.venues.iter().any(|x| x == v) {
            rules.push("R11");
        }
    }
    rules.sort_by_key(|r| r[1..].parse::<u32>().unwrap_or(0));
    rules.dedup();

    let camouflage_new = protected.map_or(0.0, |(r3, _)| r3.new_site_yuan.get(site.kind));
    let camouflage_station = protected.map_or(0.0, |(r3, _)| r3.per_station_yuan.get(site.kind));
    let build = site
        .venue
        .as_ref()
        .filter(|_| site.kind == SiteKind::Indoor)
        .and_then(|v| costs.indoor_venue_yuan.get(v))
        .copied()
        .unwrap_or(costs.build_yuan.get(site.kind));
    let build_yuan = if new {
        build + new_fee + camouflage_new
    } else {
        0.0
    };
    let (co_location_yuan, overlay_yuan) = if new {
        (0.0, 0.0)
    } else {
        (
            costs.co_location_yuan.get(site.kind) + tenant_fee + camouflage_station,
            costs.overlay_yuan + camouflage_station,
        )
    };

    Verdict {
        excluded,
        capacity,
        camouflage,
        notice_board,
        planning_approval,
        eia,
        emf_tenants,
        preference_rank,
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
    use siting_model::{LonLat, Operator, OperatorSet};

    fn k(a: f64, b: f64, c: f64, d: f64) -> KindCosts {
        KindCosts {
            ground_tower: a,
            rooftop: b,
            street_pole: c,
            indoor: d,
        }
    }

    fn book() -> RuleBook {
        RuleBook::chongqing().unwrap()
    }

    fn costs() -> Costs {
        Costs {
            build_yuan: k(300_000.0, 80_000.0, 60_000.0, 100_000.0),
            indoor_venue_yuan: [("railway".to_string(), 2_000_000.0)].into(),
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

    fn in_zone(c: ZoneClass) -> Surroundings {
        Surroundings {
            classes: vec![c],
            ..Default::default()
        }
    }

    #[test]
    fn new_tower_in_scenic_area_is_camouflaged_and_needs_approval() {
        let v = judge(
            &site(SiteKind::GroundTower, SiteOrigin::Candidate, 40.0),
            &in_zone(ZoneClass::Scenic),
            &book(),
            &costs(),
        );
        assert!(v.camouflage && v.planning_approval && v.excluded.is_none());
        assert_eq!(v.build_yuan, 450_000.0);
        assert_eq!(v.rules, vec!["R2", "R3", "R7", "R8", "R9"]);
    }

    #[test]
    fn an_existing_site_in_a_protected_zone_disguises_each_new_antenna() {
        let s = site(SiteKind::Rooftop, SiteOrigin::Existing, 30.0);
        let plain = judge(&s, &Surroundings::default(), &book(), &costs());
        let v = judge(&s, &in_zone(ZoneClass::Heritage), &book(), &costs());
        assert!(v.camouflage && v.rules.contains(&"R3"));
        assert_eq!(v.co_location_yuan - plain.co_location_yuan, 10_000.0);
        assert_eq!(v.overlay_yuan - plain.overlay_yuan, 10_000.0);
    }

    #[test]
    fn a_zone_can_forbid_ground_towers() {
        let mut b = book();
        b.params.r3.as_mut().unwrap().no_ground_tower_in = vec![ZoneClass::Heritage];
        let tower = site(SiteKind::GroundTower, SiteOrigin::Candidate, 40.0);
        let v = judge(&tower, &in_zone(ZoneClass::Heritage), &b, &costs());
        assert_eq!(v.excluded.unwrap().rule, "R3");
        let v = judge(&tower, &in_zone(ZoneClass::Scenic), &b, &costs());
        assert!(v.excluded.is_none());
        let pole = site(SiteKind::StreetPole, SiteOrigin::Candidate, 12.0);
        assert!(judge(&pole, &in_zone(ZoneClass::Heritage), &b, &costs())
            .excluded
            .is_none());
    }

    #[test]
    fn public_rooftop_is_free_and_private_one_pays_new_or_existing() {
        let mut s = site(SiteKind::Rooftop, SiteOrigin::Candidate, 30.0);
        let none = Surroundings::default();
        let paid = judge(&s, &none, &book(), &costs()).build_yuan;
        s.public_building = true;
        let free = judge(&s, &none, &book(), &costs()).build_yuan;
        assert_eq!(paid - free, 45_000.0);
        s.origin = SiteOrigin::Existing;
        let free = judge(&s, &none, &book(), &costs()).co_location_yuan;
        s.public_building = false;
        let paid = judge(&s, &none, &book(), &costs());
        assert_eq!(paid.co_location_yuan - free, 15_000.0);
        assert_eq!(paid.overlay_yuan, 10_000.0);
        assert!(paid.rules.contains(&"R4"));
    }

    #[test]
    fn summed_eirp_caps_tenants_by_a_school() {
        // Rooftop, 60 dBm (1 kW) a tenant, 0.08 W/m²: one tenant needs
        // 31.5 m, two 44.6 m, three 54.6 m.
        let b = book();
        let r6 = b.params.r6.as_ref().unwrap();
        let (d1, d2, d3) = (
            r6.distance_m(SiteKind::Rooftop, 1),
            r6.distance_m(SiteKind::Rooftop, 2),
            r6.distance_m(SiteKind::Rooftop, 3),
        );
        assert!((d1 - 31.5).abs() < 0.1 && (d2 - 44.6).abs() < 0.1 && (d3 - 54.6).abs() < 0.1);
        let at = |d: f64| Surroundings {
            classes: vec![],
            sensitive_m: Some(d),
            sensitive_horizontal_m: Some(d),
        };
        let mut s = site(SiteKind::Rooftop, SiteOrigin::Candidate, 30.0);
        let v = judge(&s, &at(52.0), &b, &costs());
        assert_eq!((v.capacity, v.emf_tenants), (2, Some(2)));
        assert!(v.excluded.is_none() && v.rules.contains(&"R6") && !v.notice_board);
        let v = judge(&s, &at(20.0), &b, &costs());
        assert_eq!(v.excluded.unwrap().rule, "R6");
        assert!(v.notice_board);
        assert!(judge(&s, &at(60.0), &b, &costs()).excluded.is_none());
        // An existing site that already carries two tenants at 40 m fails:
        // no new antennas go on it.
        s.origin = SiteOrigin::Existing;
        s.tenants = OperatorSet::from_iter([Operator::Cmcc, Operator::Cucc]);
        let v = judge(&s, &at(40.0), &b, &costs());
        assert_eq!(v.excluded.unwrap().rule, "R6");
        // With one tenant there, it takes none more.
        s.tenants = OperatorSet::from_iter([Operator::Cmcc]);
        let v = judge(&s, &at(40.0), &b, &costs());
        assert!(v.excluded.is_none());
        assert_eq!(v.capacity, 1);
        // A pole's 100 W passes at 12 m.
        let pole = site(SiteKind::StreetPole, SiteOrigin::Candidate, 12.0);
        let v = judge(&pole, &at(12.0), &b, &costs());
        assert!(v.excluded.is_none() && v.emf_tenants == Some(1));
    }

    #[test]
    fn an_indoor_system_costs_by_its_venue_and_is_shared() {
        let none = Surroundings::default();
        let mut s = site(SiteKind::Indoor, SiteOrigin::Candidate, 3.0);
        assert_eq!(judge(&s, &none, &book(), &costs()).build_yuan, 100_000.0);
        s.venue = Some("railway".into());
        let v = judge(&s, &none, &book(), &costs());
        assert_eq!(v.build_yuan, 2_000_000.0);
        assert!(v.rules.contains(&"R11"));
        s.origin = SiteOrigin::Existing;
        let v = judge(&s, &none, &book(), &costs());
        assert_eq!(
            (v.build_yuan, v.co_location_yuan, v.equipment_yuan),
            (0.0, 30_000.0, 80_000.0)
        );
    }

    #[test]
    fn roof_load_limits_capacity() {
        let none = Surroundings::default();
        let mut s = site(SiteKind::Rooftop, SiteOrigin::Candidate, 30.0);
        s.load_capacity_kg = Some(650.0);
        let v = judge(&s, &none, &book(), &costs());
        assert_eq!(v.capacity, 2);
        assert!(v.rules.contains(&"R5"));
        s.load_capacity_kg = Some(100.0);
        assert_eq!(
            judge(&s, &none, &book(), &costs()).excluded.unwrap().rule,
            "R5"
        );
    }

    #[test]
    fn the_new_area_routes_eia() {
        let v = judge(
            &site(SiteKind::Rooftop, SiteOrigin::Existing, 30.0),
            &in_zone(ZoneClass::Liangjiang),
            &book(),
            &costs(),
        );
        assert_eq!(v.eia, EiaAuthority::NewArea);
        assert_eq!(v.build_yuan, 0.0);
        assert_eq!((v.co_location_yuan, v.overlay_yuan), (55_000.0, 10_000.0));
        assert_eq!(v.equipment_yuan, 150_000.0);
    }

    #[test]
    fn preferred_kinds_rank_first() {
        let none = Surroundings::default();
        let rank = |kind, public| {
            let mut s = site(kind, SiteOrigin::Candidate, 10.0);
            s.public_building = public;
            judge(&s, &none, &book(), &costs()).preference_rank
        };
        assert!(rank(SiteKind::Rooftop, true) < rank(SiteKind::Rooftop, false));
        assert!(rank(SiteKind::StreetPole, false) < rank(SiteKind::Rooftop, true));
        assert!(rank(SiteKind::Rooftop, false) < rank(SiteKind::GroundTower, false));
    }
}
