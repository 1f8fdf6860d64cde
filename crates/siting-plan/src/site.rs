//! One site the plan touches, with every property of `plan.geojson`.

use serde::Serialize;
use siting_model::{LonLat, Operator, OperatorSet, PerOperator};
use std::fmt;
use std::str::FromStr;

/// Whether the plan uses an existing site or builds a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// An existing site the plan uses.
    Existing,
    /// A new site the plan builds.
    New,
}

impl Origin {
    /// `"existing"` or `"new"`.
    pub fn code(self) -> &'static str {
        match self {
            Origin::Existing => "existing",
            Origin::New => "new",
        }
    }
}

impl FromStr for Origin {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "existing" => Ok(Origin::Existing),
            "new" => Ok(Origin::New),
            _ => Err(format!("origin {s:?} is neither \"existing\" nor \"new\"")),
        }
    }
}

/// How one operator's new 4G station lands on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Way {
    /// On an existing site the operator already is a tenant of (4G added to
    /// its 2G/3G site).
    Overlay,
    /// On an existing site the operator joins as a new tenant.
    CoLocation,
    /// On a new site.
    NewSite,
}

impl Way {
    /// All ways, in report order.
    pub const ALL: [Way; 3] = [Way::Overlay, Way::CoLocation, Way::NewSite];

    /// `overlay`, `co_location`, `new_site`.
    pub fn code(self) -> &'static str {
        match self {
            Way::Overlay => "overlay",
            Way::CoLocation => "co_location",
            Way::NewSite => "new_site",
        }
    }
}

impl FromStr for Way {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Way::ALL
            .into_iter()
            .find(|w| w.code() == s)
            .ok_or_else(|| format!("unknown way {s:?} (overlay, co_location, new_site)"))
    }
}

/// An option the optimiser ranked below one of a site's new stations when
/// it chose it (`alternatives` in `plan.geojson`): the same operator on
/// another site, valued at that moment.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteAlternative {
    /// The operator of the station it lost to.
    pub operator: Operator,
    /// The other site's id.
    pub site_id: String,
    /// The other site's kind (`ground_tower`, `rooftop`, …).
    pub kind: String,
    /// How the station would have landed there.
    pub way: Way,
    /// What it would have newly covered then, in residents (the objective's
    /// weight: with the township-centre weight outside `targets`).
    pub gain_residents: f64,
    /// What it would have cost then, yuan (with the build cost where it
    /// would have opened a candidate).
    pub cost_yuan: f64,
}

/// What a site is in the plan for (`reason` in `plan.geojson`): the first,
/// in this order, that any of its new stations serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// It brings 4G to a township centre (T4).
    TownshipCentre,
    /// It brings 4G to main-urban residents the T4 share needs.
    MainUrban,
    /// It brings 4G to other residents.
    Coverage,
    /// It carries traffic the others cannot.
    Capacity,
    /// It covers nobody new but makes its site shared (the T3 floor).
    Sharing,
    /// It covers nobody new and is built because the mode asks for a number
    /// of new sites.
    SiteCount,
}

impl Reason {
    /// Every reason, in priority order.
    pub const ALL: [Reason; 6] = [
        Reason::TownshipCentre,
        Reason::MainUrban,
        Reason::Coverage,
        Reason::Capacity,
        Reason::Sharing,
        Reason::SiteCount,
    ];

    /// The code in `plan.geojson`.
    pub fn code(self) -> &'static str {
        match self {
            Reason::TownshipCentre => "township_centre",
            Reason::MainUrban => "main_urban",
            Reason::Coverage => "coverage",
            Reason::Capacity => "capacity",
            Reason::Sharing => "sharing",
            Reason::SiteCount => "site_count",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Reason {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Reason::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| format!("unknown reason {s:?}"))
    }
}

/// What set a new station's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Driver {
    /// The year its reason's target asks for (`phases.*_by`).
    Target,
    /// The busy-hour load of that year: a capacity station, or a coverage
    /// station brought forward because the load needed it then.
    Load,
    /// Later than its target asks: a new tower's planning-approval lead
    /// time (R8) allows no earlier year.
    LeadTime,
}

impl Driver {
    /// Every driver.
    pub const ALL: [Driver; 3] = [Driver::Target, Driver::Load, Driver::LeadTime];

    /// The code in `plan.geojson`: `target`, `load`, `lead_time`.
    pub fn code(self) -> &'static str {
        match self {
            Driver::Target => "target",
            Driver::Load => "load",
            Driver::LeadTime => "lead_time",
        }
    }
}

impl std::str::FromStr for Driver {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Driver::ALL
            .into_iter()
            .find(|d| d.code() == s)
            .ok_or_else(|| format!("unknown year driver {s:?} (target, load, lead_time)"))
    }
}

/// A new station's busy-hour traffic, where the run plans traffic.
#[derive(Debug, Clone, PartialEq)]
pub struct StationTraffic {
    /// What it carries at most, Mbit/s.
    pub capacity_mbps: f64,
    /// Per plan year, the traffic of the demand it is the best server of,
    /// Mbit/s (0 before its year).
    pub offered_mbps: Vec<(u16, f64)>,
}

impl StationTraffic {
    /// Per year, the traffic it carries: at most its capacity, Mbit/s.
    pub fn served_mbps(&self) -> Vec<(u16, f64)> {
        self.offered_mbps
            .iter()
            .map(|&(y, t)| (y, t.min(self.capacity_mbps)))
            .collect()
    }

    /// Per year, what it carries over its capacity, 0..1.
    pub fn load(&self) -> Vec<(u16, f64)> {
        self.served_mbps()
            .into_iter()
            .map(|(y, t)| {
                let l = if self.capacity_mbps > 0.0 {
                    t / self.capacity_mbps
                } else {
                    0.0
                };
                (y, l)
            })
            .collect()
    }
}

/// A site of the plan, with every property of `plan.geojson`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSite {
    /// Id from the input layer (or of the search ring a new tower stands in).
    pub site_id: String,
    /// Existing or new.
    pub origin: Origin,
    /// `ground_tower`, `rooftop`, … as the input layer says.
    pub kind: String,
    /// WGS84 position.
    pub lonlat: LonLat,
    /// Antenna height above ground, metres.
    pub height_m: f64,
    /// Operators on the site before the plan.
    pub tenants_before: OperatorSet,
    /// Their technologies before the plan, as the layer writes them
    /// (`CMCC:2G+3G`).
    pub technologies_before: Vec<String>,
    /// The plan's new 4G stations, one per operator.
    pub stations_added: OperatorSet,
    /// District or county name.
    pub district: String,
    /// Its 6-digit code.
    pub adcode: String,
    /// Year of the plan's first work on the site.
    pub phase: u16,
    /// Year of each new station.
    pub station_phases: PerOperator<Option<u16>>,
    /// Infrastructure, yuan: the new site (with camouflage and fees), or the
    /// work on the existing site its new stations need.
    pub build_cost_yuan: f64,
    /// The operators' 4G equipment and its installation, yuan.
    pub station_cost_yuan: f64,
    /// What the site is in the plan for: the first of its stations' reasons.
    pub reason: Reason,
    /// What each new station is in the plan for.
    pub station_reasons: PerOperator<Option<Reason>>,
    /// Residents each new station newly covers (real residents, no bonus
    /// weights), in the plan's priority order.
    pub covered_gain: PerOperator<Option<f64>>,
    /// R3.
    pub camouflage: bool,
    /// R6.
    pub notice_board: bool,
    /// R8.
    pub planning_approval: bool,
    /// R9: who approves its environmental impact.
    pub eia_authority: String,
    /// Rules that shaped this site.
    pub rules: Vec<String>,
    /// A new tower at a search ring's centre: the site must still be acquired.
    pub site_acquisition: bool,
    /// What set each new station's year (empty in plans written before
    /// years came from need).
    pub station_drivers: PerOperator<Option<Driver>>,
    /// Each new station's busy-hour traffic, where the run plans traffic.
    pub station_traffic: PerOperator<Option<StationTraffic>>,
    /// The options each new station beat when the optimiser chose it, best
    /// first, its stations in priority order (empty where none was recorded).
    pub alternatives: Vec<SiteAlternative>,
}

impl PlanSite {
    /// Operators the plan makes new tenants here.
    pub fn tenants_added(&self) -> OperatorSet {
        self.stations_added
            .iter()
            .filter(|op| !self.tenants_before.contains(*op))
            .collect()
    }

    /// Operators on the site once the plan is built.
    pub fn tenants_after(&self) -> OperatorSet {
        self.tenants_before.union(self.stations_added)
    }

    /// Whether the site hosted two or more operators before the plan.
    pub fn shared_before(&self) -> bool {
        self.tenants_before.len() >= 2
    }

    /// Whether the site hosts two or more operators once the plan is built.
    pub fn shared(&self) -> bool {
        self.tenants_after().len() >= 2
    }

    /// The plan's cost here, yuan.
    pub fn cost_yuan(&self) -> f64 {
        self.build_cost_yuan + self.station_cost_yuan
    }

    /// How operator `op`'s new station lands here, if it has one.
    pub fn way(&self, op: Operator) -> Option<Way> {
        if !self.stations_added.contains(op) {
            None
        } else if self.origin == Origin::New {
            Some(Way::NewSite)
        } else if self.tenants_before.contains(op) {
            Some(Way::Overlay)
        } else {
            Some(Way::CoLocation)
        }
    }
}
