//! Existing sites as of end-2014 and candidate sites for the plan.
//!
//! Every figure here is calibrated in `data/chongqing/MODELLED.md` (section
//! "Existing sites at end-2014"), where each has its source or, where none is
//! published, the assumption and why.

use crate::demand::Cell;
use crate::params::SynthParams;
use crate::run::{Area, SynthError};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::fmt;

/// Density at or above which a cell counts as dense urban, per km².
pub const DENSE_URBAN_PER_KM2: f64 = 10_000.0;
/// Density at or above which a cell counts as urban, per km².
pub const URBAN_PER_KM2: f64 = 2_000.0;
/// Density at or above which a cell counts as suburban, per km².
pub const SUBURBAN_PER_KM2: f64 = 300.0;

/// The nine districts of the main urban area (主城九区), where China Unicom's
/// and China Telecom's 2014 hybrid-network LTE trials ran.
pub const MAIN_URBAN_ADCODES: [&str; 9] = [
    "500103", "500104", "500105", "500106", "500107", "500108", "500109", "500112", "500113",
];

/// A cell's environment class by density, with the engine's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// At least 10,000 per km².
    DenseUrban,
    /// 2,000 to 10,000 per km².
    Urban,
    /// 300 to 2,000 per km².
    Suburban,
    /// Below 300 per km².
    Rural,
}

impl Class {
    /// The class of a density (residents per km²).
    pub fn of(density: f64) -> Self {
        if density >= DENSE_URBAN_PER_KM2 {
            Class::DenseUrban
        } else if density >= URBAN_PER_KM2 {
            Class::Urban
        } else if density >= SUBURBAN_PER_KM2 {
            Class::Suburban
        } else {
            Class::Rural
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Operator codes, in the order tenants are listed.
pub const OPERATORS: [&str; 3] = ["CMCC", "CUCC", "CTCC"];
/// Technology codes, in the order a tenant lists them.
pub const TECHS: [&str; 3] = ["2G", "3G", "4G"];

/// One operator on a site and the technologies it runs there; written
/// `"OP:TECH+TECH…"`, e.g. `"CMCC:2G+3G+4G"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tenant {
    /// Index into [`OPERATORS`].
    pub operator: usize,
    /// Bit `t` set when it runs [`TECHS`]`[t]`.
    pub techs: u8,
}

impl Tenant {
    /// Whether it runs technology `t` (index into [`TECHS`]).
    pub fn runs(&self, t: usize) -> bool {
        self.techs & (1 << t) != 0
    }

    /// How many technologies it runs.
    pub fn tech_count(&self) -> u32 {
        self.techs.count_ones()
    }
}

impl fmt::Display for Tenant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", OPERATORS[self.operator])?;
        let mut first = true;
        for (t, name) in TECHS.iter().enumerate() {
            if self.runs(t) {
                if !first {
                    f.write_str("+")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

/// Parses one tenant string by the grammar `OP:TECH(+TECH)*`, OP one of
/// [`OPERATORS`], TECH one of [`TECHS`] in ascending order without repeats.
///
/// ```
/// use siting_synth::sites::parse_tenant;
/// let t = parse_tenant("CUCC:2G+4G").unwrap();
/// assert_eq!((t.operator, t.techs), (1, 0b101));
/// assert_eq!(t.to_string(), "CUCC:2G+4G");
/// assert!(parse_tenant("CUCC:4G+2G").is_err());
/// assert!(parse_tenant("CUCC").is_err());
/// ```
pub fn parse_tenant(s: &str) -> Result<Tenant, String> {
    let (op, techs) = s
        .split_once(':')
        .ok_or_else(|| format!("tenant {s:?} has no ':' between operator and technologies"))?;
    let operator = OPERATORS
        .iter()
        .position(|o| *o == op)
        .ok_or_else(|| format!("tenant {s:?}: unknown operator {op:?} (CMCC, CUCC, CTCC)"))?;
    let mut bits = 0u8;
    let mut last: Option<usize> = None;
    for t in techs.split('+') {
        let i = TECHS
            .iter()
            .position(|x| *x == t)
            .ok_or_else(|| format!("tenant {s:?}: unknown technology {t:?} (2G, 3G, 4G)"))?;
        if last.is_some_and(|l| i <= l) {
            return Err(format!(
                "tenant {s:?}: technologies must be in ascending order without repeats"
            ));
        }
        last = Some(i);
        bits |= 1 << i;
    }
    Ok(Tenant {
        operator,
        techs: bits,
    })
}

/// Parses a site's tenant list: every entry by [`parse_tenant`], operators
/// distinct and in the order CMCC, CUCC, CTCC.
pub fn parse_tenants<S: AsRef<str>>(list: &[S]) -> Result<Vec<Tenant>, String> {
    let mut out: Vec<Tenant> = Vec::with_capacity(list.len());
    for s in list {
        let t = parse_tenant(s.as_ref())?;
        if out.last().is_some_and(|l| t.operator <= l.operator) {
            return Err(format!(
                "tenants {:?}: operators must be distinct and in the order CMCC, CUCC, CTCC",
                list.iter().map(|s| s.as_ref()).collect::<Vec<_>>()
            ));
        }
        out.push(t);
    }
    Ok(out)
}

/// A modelled site, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthSite {
    /// Unique id.
    pub site_id: String,
    /// `ground_tower`, `rooftop`, `street_pole`, `indoor`.
    pub kind: &'static str,
    /// WGS84 position.
    pub lonlat: [f64; 2],
    /// Operators on it with their technologies (existing sites only).
    pub tenants: Vec<Tenant>,
    /// Tenant slots.
    pub capacity: u8,
    /// Antenna height, metres.
    pub height_m: f64,
    /// On a public building or public facility (R4).
    pub public_building: bool,
    /// Roof load capacity, kilograms (rooftops).
    pub load_capacity_kg: Option<f64>,
    /// Venue of an indoor system.
    pub venue: Option<&'static str>,
    /// Radius of the building or complex an indoor system serves, metres.
    pub footprint_m: Option<f64>,
    /// Name, where it has one.
    pub name: Option<String>,
}

/// Draws indices in proportion to `weights` (cumulative sums and bisection).
pub struct Sampler {
    cumulative: Vec<f64>,
}

impl Sampler {
    /// A sampler over non-negative weights.
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        Sampler {
            cumulative: weights
                .into_iter()
                .map(|w| {
                    acc += w.max(0.0);
                    acc
                })
                .collect(),
        }
    }

    /// One draw; `None` when every weight is 0.
    pub fn draw(&self, rng: &mut ChaCha8Rng) -> Option<usize> {
        let total = *self.cumulative.last()?;
        if total <= 0.0 {
            return None;
        }
        let u = rng.gen::<f64>() * total;
        Some(
            self.cumulative
                .partition_point(|&c| c <= u)
                .min(self.cumulative.len() - 1),
        )
    }
}

/// Index drawn from a small table of probabilities (the last takes the rest).
fn pick(rng: &mut ChaCha8Rng, probs: &[f64]) -> usize {
    let mut u: f64 = rng.gen();
    for (i, p) in probs.iter().enumerate() {
        if u < *p {
            return i;
        }
        u -= p;
    }
    probs.len() - 1
}

/// A point jittered inside the cell, kept inside a district (else the centre).
fn jitter(area: &Area, c: &Cell, rng: &mut ChaCha8Rng) -> Result<[f64; 2], SynthError> {
    let xy = [
        c.xy[0] + (rng.gen::<f64>() - 0.5) * c.cell_m,
        c.xy[1] + (rng.gen::<f64>() - 0.5) * c.cell_m,
    ];
    if area.district_at(xy).is_some() {
        area.lonlat(xy)
    } else {
        Ok(c.lonlat)
    }
}

fn round6(lonlat: [f64; 2]) -> [f64; 2] {
    [
        (lonlat[0] * 1e6).round() / 1e6,
        (lonlat[1] * 1e6).round() / 1e6,
    ]
}

/// Mass of one tenant's equipment on a roof, kg: the engine's R5 default
/// (`rules.tenant_mass_kg`), so a roof's capacity is what R5 lets it hold.
pub const TENANT_MASS_KG: f64 = 300.0;

/// Tenant slots of a rooftop from its roof load: one per 300 kg, 1 to 3.
pub fn rooftop_capacity(load_kg: f64) -> u8 {
    (load_kg / TENANT_MASS_KG).floor().clamp(1.0, 3.0) as u8
}

/// Each operator's share of end-2014 tenancies: its share of the appraised
/// value of the tower assets it sold to China Tower in 2015 (CNY 102.74,
/// 54.66 and 30.13 billion).
pub const OPERATOR_SHARES: [f64; 3] = [0.548, 0.291, 0.161];

/// Kinds of outdoor existing sites per class (dense urban, urban, suburban,
/// rural): shares of rooftop, street pole, ground tower.
const OUTDOOR_KINDS: [[f64; 3]; 4] = [
    [0.62, 0.06, 0.32],
    [0.55, 0.05, 0.40],
    [0.30, 0.02, 0.68],
    [0.08, 0.00, 0.92],
];

/// Probability that an existing site with room for two is shared, by kind
/// (ground tower, rooftop, street pole, indoor).
const SHARED: [f64; 4] = [0.183, 0.09, 0.05, 0.16];
/// Of shared sites with room for three, the share with three tenants.
const THREE_OF_SHARED: f64 = 0.10;

/// Probability that a tenant runs 3G, per operator and class.
const P_3G: [[f64; 4]; 3] = [
    // CMCC TD-SCDMA: cities and county towns.
    [0.85, 0.75, 0.45, 0.12],
    // CUCC WCDMA.
    [0.97, 0.95, 0.80, 0.50],
    // CTCC CDMA2000 EV-DO.
    [0.97, 0.95, 0.80, 0.50],
];
/// Probability that a CMCC tenant runs TD-LTE at end-2014, per class.
const P_4G_CMCC: [f64; 4] = [0.95, 0.90, 0.72, 0.42];
/// Probability that a CUCC or CTCC tenant runs (trial) LTE at end-2014, per
/// class, inside and outside the main urban area.
const P_4G_TRIAL: [[f64; 4]; 2] = [[0.85, 0.75, 0.35, 0.05], [0.30, 0.20, 0.03, 0.0]];
/// Probability that a CUCC tenant runs GSM (the rest are WCDMA-only).
const P_2G_CUCC: f64 = 0.85;

/// An indoor venue: code, footprint radius range (m), public facility (R4),
/// share among existing indoor systems, share among indoor candidates.
struct Venue {
    code: &'static str,
    footprint_m: (f64, f64),
    public: bool,
    existing: f64,
    candidate: f64,
}

const VENUES: [Venue; 9] = [
    Venue {
        code: "metro",
        footprint_m: (150.0, 250.0),
        public: true,
        existing: 0.04,
        candidate: 0.10,
    },
    Venue {
        code: "coach_station",
        footprint_m: (80.0, 150.0),
        public: true,
        existing: 0.02,
        candidate: 0.03,
    },
    Venue {
        code: "stadium",
        footprint_m: (150.0, 250.0),
        public: true,
        existing: 0.01,
        candidate: 0.02,
    },
    Venue {
        code: "exhibition",
        footprint_m: (200.0, 350.0),
        public: true,
        existing: 0.01,
        candidate: 0.01,
    },
    Venue {
        code: "commercial",
        footprint_m: (80.0, 200.0),
        public: false,
        existing: 0.30,
        candidate: 0.30,
    },
    Venue {
        code: "government",
        footprint_m: (50.0, 120.0),
        public: true,
        existing: 0.08,
        candidate: 0.08,
    },
    Venue {
        code: "hospital",
        footprint_m: (80.0, 160.0),
        public: true,
        existing: 0.10,
        candidate: 0.10,
    },
    Venue {
        code: "hotel",
        footprint_m: (40.0, 100.0),
        public: false,
        existing: 0.18,
        candidate: 0.14,
    },
    Venue {
        code: "office",
        footprint_m: (40.0, 100.0),
        public: false,
        existing: 0.26,
        candidate: 0.22,
    },
];

/// A named transport hub: name, venue, WGS84 position, footprint radius (m).
pub struct Hub {
    /// Name.
    pub name: &'static str,
    /// Venue code.
    pub venue: &'static str,
    /// Longitude, latitude (WGS84, as published).
    pub lonlat: [f64; 2],
    /// Radius of the complex, metres.
    pub footprint_m: f64,
}

/// Hubs with an indoor system at end-2014 (positions: Wikipedia).
pub const EXISTING_HUBS: [Hub; 3] = [
    Hub {
        name: "重庆江北国际机场 (Chongqing Jiangbei International Airport)",
        venue: "airport",
        lonlat: [106.64167, 29.71917],
        footprint_m: 1000.0,
    },
    Hub {
        name: "重庆北站 (Chongqing North railway station)",
        venue: "railway",
        lonlat: [106.547083, 29.610417],
        footprint_m: 400.0,
    },
    Hub {
        name: "重庆站 (Chongqing railway station, Caiyuanba)",
        venue: "railway",
        lonlat: [106.544028, 29.552639],
        footprint_m: 250.0,
    },
];

/// Hubs built or rebuilt during 2015–2017, where a new indoor system goes
/// (positions: Wikipedia).
pub const CANDIDATE_HUBS: [Hub; 2] = [
    Hub {
        name: "重庆西站 (Chongqing West railway station, built Dec 2014 – Jan 2018)",
        venue: "railway",
        lonlat: [106.432379, 29.502884],
        footprint_m: 400.0,
    },
    Hub {
        name: "沙坪坝站 (Shapingba railway station hub, rebuilt 2011 – Jan 2018)",
        venue: "railway",
        lonlat: [106.45333, 29.55639],
        footprint_m: 250.0,
    },
];

fn public_venue(code: &str) -> bool {
    matches!(code, "airport" | "railway") || VENUES.iter().any(|v| v.code == code && v.public)
}

/// Whether a metric point lies in one of the main urban districts.
fn in_main_urban(area: &Area, xy: [f64; 2]) -> bool {
    area.district_at(xy)
        .is_some_and(|d| MAIN_URBAN_ADCODES.contains(&area.districts[d as usize].adcode.as_str()))
}

/// The cell whose centre is nearest a point (a linear scan: a few calls).
fn nearest_cell(cells: &[Cell], xy: [f64; 2]) -> Option<usize> {
    cells
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| {
            let da = (a.xy[0] - xy[0]).hypot(a.xy[1] - xy[1]);
            let db = (b.xy[0] - xy[0]).hypot(b.xy[1] - xy[1]);
            da.total_cmp(&db)
        })
        .map(|(i, _)| i)
}

/// A site before its tenants are drawn.
struct Draft {
    site: SynthSite,
    class: Class,
    main_urban: bool,
    /// Named hubs carry all three operators.
    hub: bool,
}

fn indoor_site(
    venue: &'static str,
    lonlat: [f64; 2],
    footprint_m: f64,
    name: Option<String>,
) -> SynthSite {
    SynthSite {
        site_id: String::new(),
        kind: "indoor",
        lonlat: round6(lonlat),
        tenants: Vec::new(),
        capacity: 3,
        height_m: 3.0,
        public_building: public_venue(venue),
        load_capacity_kg: None,
        venue: Some(venue),
        footprint_m: Some(footprint_m),
        name,
    }
}

fn draw_venue(rng: &mut ChaCha8Rng, existing: bool) -> &'static Venue {
    let probs: Vec<f64> = VENUES
        .iter()
        .map(|v| if existing { v.existing } else { v.candidate })
        .collect();
    &VENUES[pick(rng, &probs)]
}

fn footprint(rng: &mut ChaCha8Rng, v: &Venue) -> f64 {
    (v.footprint_m.0 + rng.gen::<f64>() * (v.footprint_m.1 - v.footprint_m.0)).round()
}

/// Technologies of a tenant of `operator` in a cell of `class`.
fn draw_techs(
    rng: &mut ChaCha8Rng,
    operator: usize,
    class: Class,
    main_urban: bool,
    indoor: bool,
) -> u8 {
    let c = class.index();
    let mut bits = 0u8;
    let two_g = match operator {
        1 => rng.gen::<f64>() < P_2G_CUCC,
        _ => true,
    };
    if two_g {
        bits |= 1;
    }
    if rng.gen::<f64>() < P_3G[operator][c] {
        bits |= 2;
    }
    let p4 = match operator {
        0 => P_4G_CMCC[c].max(if indoor { 0.7 } else { 0.0 }),
        _ => P_4G_TRIAL[usize::from(!main_urban)][c],
    };
    if rng.gen::<f64>() < p4 {
        bits |= 4;
    }
    if bits & 3 == 0 {
        // Every 2014 tenant runs a 2G or a 3G layer (4G alone came later).
        bits |= if operator == 1 { 2 } else { 1 };
    }
    bits
}

/// Operators of a site with `n` tenants. Pairs are drawn without
/// replacement by [`OPERATOR_SHARES`]; single tenants by `single`, chosen so
/// that the totals meet the shares.
fn draw_operators(rng: &mut ChaCha8Rng, n: usize, single: &[f64; 3]) -> Vec<usize> {
    match n {
        1 => vec![pick(rng, single)],
        2 => {
            let a = pick(rng, &OPERATOR_SHARES);
            let mut rest = OPERATOR_SHARES;
            rest[a] = 0.0;
            let total: f64 = rest.iter().sum();
            let b = pick(rng, &rest.map(|w| w / total));
            let mut v = vec![a, b];
            v.sort_unstable();
            v
        }
        _ => vec![0, 1, 2],
    }
}

/// Probability that operator `op` is in a pair drawn as [`draw_operators`] does.
fn pair_probability(op: usize) -> f64 {
    let s = OPERATOR_SHARES;
    s[op]
        + (0..3)
            .filter(|&j| j != op)
            .map(|j| s[j] * s[op] / (1.0 - s[j]))
            .sum::<f64>()
}

/// Existing sites at end-2014: outdoor sites in cells drawn in proportion to
/// weight^0.6 (denser places have more sites, but rural areas are not left
/// bare), jittered within the cell, with kinds by class; indoor systems at
/// three named hubs and at venues in urban cells drawn by weight; then each
/// site's tenants and each tenant's technologies. `cells` is the reference
/// grid, so that the sites are the same whatever demand grid is written.
pub fn existing(
    area: &Area,
    cells: &[Cell],
    p: &SynthParams,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<SynthSite>, SynthError> {
    let classes: Vec<Class> = cells.iter().map(|c| Class::of(c.density())).collect();
    let sampler = Sampler::new(cells.iter().map(|c| c.weight.powf(0.6)));
    let mut drafts: Vec<Draft> = Vec::with_capacity(p.existing_sites);
    let outdoor = p.existing_sites.saturating_sub(p.existing_indoor);
    for _ in 0..outdoor {
        let Some(i) = sampler.draw(rng) else { break };
        let c = &cells[i];
        let class = classes[i];
        let kind =
            ["rooftop", "street_pole", "ground_tower"][pick(rng, &OUTDOOR_KINDS[class.index()])];
        let (height_m, load, capacity, public) = match kind {
            "rooftop" => {
                let h = 20.0 + (rng.gen::<f64>() * 15.0).round();
                let load = 300.0 + (rng.gen::<f64>() * 12.0).round() * 100.0;
                let public = rng.gen::<f64>() < 0.15;
                (h, Some(load), rooftop_capacity(load), public)
            }
            "street_pole" => {
                let h = 10.0 + (rng.gen::<f64>() * 5.0).round();
                let cap = if rng.gen::<f64>() < 0.3 { 2 } else { 1 };
                (h, None, cap, false)
            }
            _ => (30.0 + (rng.gen::<f64>() * 15.0).round(), None, 3, false),
        };
        let lonlat = round6(jitter(area, c, rng)?);
        drafts.push(Draft {
            site: SynthSite {
                site_id: String::new(),
                kind,
                lonlat,
                tenants: Vec::new(),
                capacity,
                height_m,
                public_building: public,
                load_capacity_kg: load,
                venue: None,
                footprint_m: None,
                name: None,
            },
            class,
            main_urban: in_main_urban(area, c.xy),
            hub: false,
        });
    }

    let indoor = p.existing_sites.min(p.existing_indoor);
    for h in EXISTING_HUBS.iter().take(indoor) {
        let (x, y) = area.projector.to_metric(h.lonlat[0], h.lonlat[1])?;
        let class =
            nearest_cell(cells, [x, y]).map_or(Class::Urban, |i| classes[i].min(Class::Urban));
        drafts.push(Draft {
            site: indoor_site(h.venue, h.lonlat, h.footprint_m, Some(h.name.to_string())),
            class,
            main_urban: in_main_urban(area, [x, y]),
            hub: true,
        });
    }
    let urban = Sampler::new(cells.iter().zip(&classes).map(|(c, k)| {
        if *k <= Class::Urban {
            c.weight
        } else {
            0.0
        }
    }));
    for _ in EXISTING_HUBS.len().min(indoor)..indoor {
        let Some(i) = urban.draw(rng) else { break };
        let v = draw_venue(rng, true);
        let fp = footprint(rng, v);
        let lonlat = jitter(area, &cells[i], rng)?;
        drafts.push(Draft {
            site: indoor_site(v.code, lonlat, fp, None),
            class: classes[i],
            main_urban: in_main_urban(area, cells[i].xy),
            hub: false,
        });
    }

    // How many tenants each site has.
    let kind_index = |k: &str| match k {
        "ground_tower" => 0,
        "rooftop" => 1,
        "street_pole" => 2,
        _ => 3,
    };
    let counts: Vec<usize> = drafts
        .iter()
        .map(|d| {
            if d.hub {
                return 3;
            }
            let cap = d.site.capacity as usize;
            if cap < 2 || rng.gen::<f64>() >= SHARED[kind_index(d.site.kind)] {
                1
            } else if cap >= 3 && rng.gen::<f64>() < THREE_OF_SHARED {
                3
            } else {
                2
            }
        })
        .collect();
    // Single tenants make up each operator's share of all tenancies.
    let tenancies: usize = counts.iter().sum();
    let (n2, n3) = (
        counts.iter().filter(|&&n| n == 2).count() as f64,
        counts.iter().filter(|&&n| n == 3).count() as f64,
    );
    let mut single = [0.0; 3];
    for (op, s) in single.iter_mut().enumerate() {
        *s = (OPERATOR_SHARES[op] * tenancies as f64 - n3 - n2 * pair_probability(op)).max(1.0);
    }
    let total: f64 = single.iter().sum();
    let single = single.map(|s| s / total);

    let mut out = Vec::with_capacity(drafts.len());
    for (n, (mut d, k)) in drafts.into_iter().zip(counts).enumerate() {
        let indoor = d.site.kind == "indoor";
        d.site.tenants = draw_operators(rng, k, &single)
            .into_iter()
            .map(|op| Tenant {
                operator: op,
                techs: if d.hub {
                    0b111
                } else {
                    draw_techs(rng, op, d.class, d.main_urban, indoor)
                },
            })
            .collect();
        d.site.site_id = format!("E{:06}", n + 1);
        out.push(d.site);
    }
    Ok(out)
}

/// Candidate sites: public rooftops at every township centre and at each
/// district's largest GeoNames place (its seat, R4 free), street poles and
/// private rooftops in urban cells, greenfield tower spots elsewhere, and
/// indoor systems at two named hubs and at venues in urban cells. `cells` is
/// the reference grid.
pub fn candidates(
    area: &Area,
    cells: &[Cell],
    p: &SynthParams,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<SynthSite>, SynthError> {
    let mut out = Vec::new();
    let public_roof = |id: String, lonlat: [f64; 2], name: String, rng: &mut ChaCha8Rng| {
        let height_m = 18.0 + (rng.gen::<f64>() * 12.0).round();
        let load = 900.0 + (rng.gen::<f64>() * 11.0).round() * 100.0;
        SynthSite {
            site_id: id,
            kind: "rooftop",
            lonlat: round6(lonlat),
            tenants: Vec::new(),
            capacity: rooftop_capacity(load),
            height_m,
            public_building: true,
            load_capacity_kg: Some(load),
            venue: None,
            footprint_m: None,
            name: Some(name),
        }
    };
    for t in &area.townships {
        if area.district_at([t.xy.x, t.xy.y]).is_some() {
            out.push(public_roof(
                format!("T{}", t.code),
                [t.lonlat.lon, t.lonlat.lat],
                format!("{}政府", t.name),
                rng,
            ));
        }
    }
    for d in &area.districts {
        let seat = area
            .places
            .iter()
            .filter(|pl| pl.county_adcode == d.adcode)
            .max_by(|a, b| a.population.total_cmp(&b.population));
        if let Some(seat) = seat {
            if area.district_at(seat.xy).is_some() {
                let ll = area.lonlat(seat.xy)?;
                out.push(public_roof(
                    format!("D{}", d.adcode),
                    ll,
                    format!("{}人民政府 ({})", d.name, seat.name),
                    rng,
                ));
            }
        }
    }
    let urban: Vec<f64> = cells
        .iter()
        .map(|c| {
            if c.density() >= URBAN_PER_KM2 {
                c.weight
            } else {
                0.0
            }
        })
        .collect();
    let urban_sampler = Sampler::new(urban.iter().copied());
    let rural_sampler = Sampler::new(urban.iter().map(|u| if *u > 0.0 { 0.0 } else { 1.0 }));
    // (id prefix, kind, count, where, height base and span in m, roof load base in kg and 100 kg steps)
    let spots = [
        (
            "P",
            "street_pole",
            p.street_poles,
            &urban_sampler,
            (10.0, 5.0),
            None,
        ),
        (
            "R",
            "rooftop",
            p.private_rooftops,
            &urban_sampler,
            (20.0, 20.0),
            Some((300.0, 12.0)),
        ),
        (
            "G",
            "ground_tower",
            p.greenfield_towers,
            &rural_sampler,
            (30.0, 20.0),
            None,
        ),
    ];
    for (prefix, kind, count, sampler, (h0, dh), load) in spots {
        for n in 0..count {
            let Some(i) = sampler.draw(rng) else {
                break;
            };
            let lonlat = round6(jitter(area, &cells[i], rng)?);
            let height_m = h0 + (rng.gen::<f64>() * dh).round();
            let load_capacity_kg =
                load.map(|(l0, steps)| l0 + (rng.gen::<f64>() * steps).round() * 100.0);
            let capacity = match (kind, load_capacity_kg) {
                ("rooftop", Some(l)) => rooftop_capacity(l),
                ("street_pole", _) => {
                    if rng.gen::<f64>() < 0.3 {
                        2
                    } else {
                        1
                    }
                }
                _ => 3,
            };
            out.push(SynthSite {
                site_id: format!("{prefix}{:05}", n + 1),
                kind,
                lonlat,
                tenants: Vec::new(),
                capacity,
                height_m,
                public_building: false,
                load_capacity_kg,
                venue: None,
                footprint_m: None,
                name: None,
            });
        }
    }
    let mut n = 0;
    for h in CANDIDATE_HUBS.iter().take(p.indoor_candidates) {
        n += 1;
        let mut s = indoor_site(h.venue, h.lonlat, h.footprint_m, Some(h.name.to_string()));
        s.site_id = format!("I{n:05}");
        out.push(s);
    }
    while n < p.indoor_candidates {
        let Some(i) = urban_sampler.draw(rng) else {
            break;
        };
        n += 1;
        let v = draw_venue(rng, false);
        let fp = footprint(rng, v);
        let lonlat = jitter(area, &cells[i], rng)?;
        let mut s = indoor_site(v.code, lonlat, fp, None);
        s.site_id = format!("I{n:05}");
        out.push(s);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn sampler_follows_weights() {
        let s = Sampler::new([0.0, 1.0, 3.0]);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut n = [0; 3];
        for _ in 0..4000 {
            n[s.draw(&mut rng).unwrap()] += 1;
        }
        assert_eq!(n[0], 0);
        assert!((n[2] as f64 / n[1] as f64 - 3.0).abs() < 0.4, "{n:?}");
    }

    #[test]
    fn tenant_strings_round_trip_and_follow_the_grammar() {
        for op in 0..3 {
            for techs in 1..8u8 {
                let t = Tenant {
                    operator: op,
                    techs,
                };
                let s = t.to_string();
                assert_eq!(parse_tenant(&s), Ok(t), "{s}");
            }
        }
        assert_eq!(
            Tenant {
                operator: 0,
                techs: 7
            }
            .to_string(),
            "CMCC:2G+3G+4G"
        );
        for bad in [
            "",
            "CMCC",
            "CMCC:",
            "CMCC:5G",
            "CMCC:3G+2G",
            "CMCC:2G+2G",
            "cmcc:2G",
            "CMCC:2G,CTCC:2G",
            "CMCC: 2G",
        ] {
            assert!(parse_tenant(bad).is_err(), "{bad:?} parsed");
        }
        assert!(parse_tenants(&["CMCC:2G+3G+4G", "CTCC:2G"]).is_ok());
        assert!(parse_tenants(&["CTCC:2G", "CMCC:2G"]).is_err());
        assert!(parse_tenants(&["CMCC:2G", "CMCC:4G"]).is_err());
    }

    #[test]
    fn operators_are_distinct_and_ordered() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let single = [0.5, 0.3, 0.2];
        for n in [1, 2, 3].into_iter().cycle().take(600) {
            let ops = draw_operators(&mut rng, n, &single);
            assert_eq!(ops.len(), n);
            assert!(ops.windows(2).all(|w| w[0] < w[1]), "{ops:?}");
        }
    }

    #[test]
    fn pair_probabilities_sum_to_two() {
        let s: f64 = (0..3).map(pair_probability).sum();
        assert!((s - 2.0).abs() < 1e-12);
    }

    #[test]
    fn every_tenant_runs_2g_or_3g() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for op in 0..3 {
            for class in [
                Class::DenseUrban,
                Class::Urban,
                Class::Suburban,
                Class::Rural,
            ] {
                for _ in 0..200 {
                    let t = draw_techs(&mut rng, op, class, false, false);
                    assert!(t & 3 != 0 && t < 8);
                }
            }
        }
    }

    #[test]
    fn roof_capacity_follows_the_load() {
        assert_eq!(rooftop_capacity(300.0), 1);
        assert_eq!(rooftop_capacity(599.0), 1);
        assert_eq!(rooftop_capacity(600.0), 2);
        assert_eq!(rooftop_capacity(900.0), 3);
        assert_eq!(rooftop_capacity(2000.0), 3);
    }
}
