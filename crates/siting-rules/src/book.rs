//! The rule book: every rule and target of a city's policies as data, read
//! from a TOML file (`data/rules/chongqing-2016.toml` ships with the engine).
//!
//! Each `[[rule]]` has `id`, `title`, `kind`, `source`, `enabled` and its
//! parameters under `[rule.params]`; each `[[target]]` has `id`, `title` and
//! `source`. [`RuleBook::parse`] checks the whole file: an unknown rule id, a
//! rule given twice or left out, a missing or unknown parameter, a value out
//! of range or contradictory settings are errors that name the file, the rule
//! and the key.

use crate::catalogue::Entry;
use crate::emf;
use crate::params::{
    Camouflage, DemandSources, EiaRouting, Exposure, IndoorSharing, PlanningApproval, Preference,
    RoofLoad, RuleParams, SharingFirst, UsageFee,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The Chongqing rule book shipped with the engine.
pub const CHONGQING_2016: &str = include_str!("../../../data/rules/chongqing-2016.toml");
/// The name the shipped book carries in errors and reports.
pub const CHONGQING_2016_NAME: &str = "embedded:data/rules/chongqing-2016.toml";

/// What a rule does to a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Excludes sites or stations that break it.
    Hard,
    /// Marks sites (camouflage, notice board, approval).
    Flag,
    /// Adds a cost.
    Cost,
    /// Orders options of equal merit.
    Preference,
    /// Routes approvals to an authority.
    Routing,
    /// Adds demand and candidate sites.
    DemandSource,
    /// Shapes the planning model itself.
    Model,
}

impl RuleKind {
    /// The code the book writes (`hard`, `demand_source`, …).
    pub fn code(self) -> &'static str {
        match self {
            RuleKind::Hard => "hard",
            RuleKind::Flag => "flag",
            RuleKind::Cost => "cost",
            RuleKind::Preference => "preference",
            RuleKind::Routing => "routing",
            RuleKind::DemandSource => "demand_source",
            RuleKind::Model => "model",
        }
    }
}

/// One rule of the book, without its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// `R1`…
    pub id: String,
    /// What it says, in one line.
    pub title: String,
    /// What it does to a plan.
    pub kind: Vec<RuleKind>,
    /// Document and article.
    pub source: String,
    /// Whether the engine applies it.
    pub enabled: bool,
}

/// A book that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct BookError {
    /// The book's file name.
    pub file: String,
    /// What is wrong, naming the rule and key.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    name: String,
    #[serde(rename = "rule")]
    rules: Vec<RawRule>,
    #[serde(rename = "target", default)]
    targets: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    title: String,
    kind: Vec<RuleKind>,
    source: String,
    enabled: bool,
    #[serde(default)]
    params: toml::Table,
}

/// Every rule id a book must have, in order.
pub const RULE_IDS: [&str; 12] = [
    "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12",
];

/// A city's rules and targets, checked, with each rule's typed parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleBook {
    /// Its title.
    pub name: String,
    /// Where it was read from (a path, or `embedded:…`).
    pub file: String,
    /// The rules, `R1`…`R12`, in order.
    pub rules: Vec<Rule>,
    /// The targets.
    pub targets: Vec<Entry>,
    /// The parameters of the enabled rules.
    pub params: RuleParams,
}

impl RuleBook {
    /// The Chongqing book shipped with the engine.
    pub fn chongqing() -> Result<RuleBook, BookError> {
        RuleBook::parse(CHONGQING_2016_NAME, CHONGQING_2016)
    }

    /// Parses and checks a book's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<RuleBook, BookError> {
        let bad = |message: String| BookError {
            file: file.to_string(),
            message,
        };
        let raw: RawBook =
            toml::from_str(text).map_err(|e| bad(e.to_string().trim_end().to_string()))?;
        for r in &raw.rules {
            if !RULE_IDS.contains(&r.id.as_str()) {
                return Err(bad(format!(
                    "unknown rule id {:?} (the engine knows {})",
                    r.id,
                    RULE_IDS.join(", ")
                )));
            }
            if raw.rules.iter().filter(|o| o.id == r.id).count() > 1 {
                return Err(bad(format!("rule {} is given twice", r.id)));
            }
            if r.source.trim().is_empty() {
                return Err(bad(format!("rule {}: empty source", r.id)));
            }
        }
        let get = |id: &str| -> Result<&RawRule, BookError> {
            raw.rules.iter().find(|r| r.id == id).ok_or_else(|| {
                bad(format!(
                    "rule {id} is missing (keep it with enabled = false to switch it off)"
                ))
            })
        };
        let mut rules = Vec::with_capacity(RULE_IDS.len());
        for id in RULE_IDS {
            let r = get(id)?;
            rules.push(Rule {
                id: r.id.clone(),
                title: r.title.clone(),
                kind: r.kind.clone(),
                source: r.source.clone(),
                enabled: r.enabled,
            });
        }
        fn typed<T: DeserializeOwned>(r: &RawRule, file: &str) -> Result<Option<T>, BookError> {
            if !r.enabled {
                return Ok(None);
            }
            T::deserialize(toml::Value::Table(r.params.clone()))
                .map(Some)
                .map_err(|e| BookError {
                    file: file.to_string(),
                    message: format!("rule {} params: {}", r.id, e.to_string().trim_end()),
                })
        }
        let params = RuleParams {
            r1: typed::<SharingFirst>(get("R1")?, file)?,
            r3: typed::<Camouflage>(get("R3")?, file)?,
            r4: typed::<UsageFee>(get("R4")?, file)?,
            r5: typed::<RoofLoad>(get("R5")?, file)?,
            r6: typed::<Exposure>(get("R6")?, file)?,
            r7: typed::<Preference>(get("R7")?, file)?,
            r8: typed::<PlanningApproval>(get("R8")?, file)?,
            r9: typed::<EiaRouting>(get("R9")?, file)?,
            r10: typed::<DemandSources>(get("R10")?, file)?,
            r11: typed::<IndoorSharing>(get("R11")?, file)?,
            reservation_fields: Vec::new(),
        };
        for id in ["R2", "R12"] {
            let r = get(id)?;
            if !r.enabled {
                return Err(bad(format!(
                    "rule {id} cannot be switched off: {}",
                    if id == "R2" {
                        "every new site is the tower company's, shared by the operators that use it"
                    } else {
                        "no config may reserve a site for one operator"
                    }
                )));
            }
        }
        let r2 = get("R2")?;
        if !r2.params.is_empty() {
            return Err(bad("rule R2 takes no params".into()));
        }
        let reservation_fields = reservation_fields(get("R12")?, file)?;
        let book = RuleBook {
            name: raw.name,
            file: file.to_string(),
            rules,
            targets: raw.targets,
            params: RuleParams {
                reservation_fields,
                ..params
            },
        };
        book.check().map_err(bad)?;
        Ok(book)
    }

    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// A rule or target as the catalogue entry plans cite.
    pub fn entry(&self, id: &str) -> Option<Entry> {
        self.rule(id)
            .map(|r| Entry {
                id: r.id.clone(),
                title: r.title.clone(),
                kind: r
                    .kind
                    .iter()
                    .map(|k| k.code())
                    .collect::<Vec<_>>()
                    .join("+"),
                source: r.source.clone(),
            })
            .or_else(|| self.targets.iter().find(|t| t.id == id).cloned())
    }

    /// Ranges and contradictions the types cannot say.
    fn check(&self) -> Result<(), String> {
        let p = &self.params;
        let share = |what: &str, v: f64, open_low: bool| -> Result<(), String> {
            let ok = if open_low {
                v > 0.0 && v <= 1.0
            } else {
                (0.0..=1.0).contains(&v)
            };
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "{what} = {v} is not a share in {}0, 1]",
                    if open_low { "(" } else { "[" }
                ))
            }
        };
        let money = |what: &str, k: &crate::KindCosts| -> Result<(), String> {
            for kind in siting_model::SiteKind::ALL {
                let v = k.get(kind);
                if !(v.is_finite() && v >= 0.0) {
                    return Err(format!(
                        "{what}.{} = {v} is not a non-negative amount",
                        kind.code()
                    ));
                }
            }
            Ok(())
        };
        if let Some(r1) = &p.r1 {
            share("rule R1 params.min_share", r1.min_share, true)?;
        }
        if let Some(r3) = &p.r3 {
            money("rule R3 params.new_site_yuan", &r3.new_site_yuan)?;
            money("rule R3 params.per_station_yuan", &r3.per_station_yuan)?;
            if r3.zone_classes.is_empty() {
                return Err(
                    "rule R3 params.zone_classes is empty: switch the rule off instead".into(),
                );
            }
        }
        if let Some(r4) = &p.r4 {
            money("rule R4 params.new_site_yuan", &r4.new_site_yuan)?;
            money("rule R4 params.per_tenant_yuan", &r4.per_tenant_yuan)?;
        }
        if let Some(r5) = &p.r5 {
            if !(r5.tenant_mass_kg.is_finite() && r5.tenant_mass_kg > 0.0) {
                return Err(format!(
                    "rule R5 params.tenant_mass_kg = {} is not a positive mass",
                    r5.tenant_mass_kg
                ));
            }
        }
        if let Some(r6) = &p.r6 {
            emf::site_limit_w_m2(r6.frequency_mhz, r6.site_fraction)
                .map_err(|e| format!("rule R6 params: {e}"))?;
            for kind in siting_model::SiteKind::ALL {
                let v = r6.eirp_dbm.get(kind);
                if !v.is_finite() || !(-30.0..=90.0).contains(&v) {
                    return Err(format!(
                        "rule R6 params.eirp_dbm.{} = {v} is not an EIRP in dBm (−30…90)",
                        kind.code()
                    ));
                }
            }
            if !(r6.inside_distance_m.is_finite() && r6.inside_distance_m >= 0.0) {
                return Err(format!(
                    "rule R6 params.inside_distance_m = {} is not a distance",
                    r6.inside_distance_m
                ));
            }
            if !(r6.notice_within_m.is_finite() && r6.notice_within_m >= 0.0) {
                return Err(format!(
                    "rule R6 params.notice_within_m = {} is not a distance",
                    r6.notice_within_m
                ));
            }
            if let Some(r3) = &p.r3 {
                if let Some(c) = r6.zone_classes.iter().find(|c| r3.zone_classes.contains(c)) {
                    return Err(format!(
                        "rules R3 and R6 both claim zone class {c}: a zone is protected (R3) or sensitive (R6), not both"
                    ));
                }
            }
        }
        if let Some(r7) = &p.r7 {
            let mut seen = r7.order.clone();
            seen.sort();
            seen.dedup();
            if seen.len() != r7.order.len() || seen.len() != siting_model::SiteKind::ALL.len() {
                return Err("rule R7 params.order must name each site kind once (indoor, street_pole, rooftop, ground_tower)".into());
            }
        }
        if let Some(r8) = &p.r8 {
            if r8.lead_time_months > 120 {
                return Err(format!(
                    "rule R8 params.lead_time_months = {} is over ten years",
                    r8.lead_time_months
                ));
            }
        }
        if let Some(r9) = &p.r9 {
            if !r9.district_bureau.contains("{district}") {
                return Err(format!(
                    "rule R9 params.district_bureau = {:?} does not contain {{district}}",
                    r9.district_bureau
                ));
            }
            if r9.batch_years.is_empty() {
                return Err("rule R9 params.batch_years is empty".into());
            }
        }
        if let Some(r11) = &p.r11 {
            share("rule R11 params.sharing_target", r11.sharing_target, false)?;
            share(
                "rule R11 params.co_building_target",
                r11.co_building_target,
                false,
            )?;
            if r11.co_building_target > r11.sharing_target {
                return Err("rule R11: co_building_target exceeds sharing_target, though every co-built system is shared".into());
            }
        }
        Ok(())
    }
}

fn reservation_fields(r: &RawRule, file: &str) -> Result<Vec<String>, BookError> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct P {
        reservation_fields: Vec<String>,
    }
    P::deserialize(toml::Value::Table(r.params.clone()))
        .map(|p| p.reservation_fields)
        .map_err(|e| BookError {
            file: file.to_string(),
            message: format!("rule R12 params: {}", e.to_string().trim_end()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(from: &str, to: &str) -> Result<RuleBook, BookError> {
        assert!(CHONGQING_2016.contains(from), "{from}");
        RuleBook::parse("test.toml", &CHONGQING_2016.replacen(from, to, 1))
    }

    #[test]
    fn the_shipped_book_has_every_rule_with_a_source() {
        let b = RuleBook::chongqing().unwrap();
        let ids: Vec<_> = b.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, RULE_IDS);
        assert!(b.rules.iter().all(|r| r.enabled && !r.source.is_empty()));
        assert_eq!(b.entry("T3").unwrap().source, "渝府办发〔2015〕41号 §1");
        assert_eq!(b.entry("R6").unwrap().kind, "hard+flag");
        assert_eq!(b.params.r1.as_ref().unwrap().min_share, 0.9);
        let limit = b.params.r6.as_ref().unwrap().limit_w_m2();
        assert!((limit - 0.08).abs() < 1e-12);
    }

    #[test]
    fn a_rule_switched_off_has_no_params() {
        let b = edit(
            "id = \"R7\"\ntitle = \"Prefer attached sites on public buildings and shared street furniture over standalone towers\"\nkind = [\"preference\"]\nsource = \"建规〔2015〕132号 §3(4); 渝府办发〔2015〕41号 §3(1)\"\nenabled = true",
            "id = \"R7\"\ntitle = \"x\"\nkind = [\"preference\"]\nsource = \"s\"\nenabled = false",
        )
        .unwrap();
        assert!(b.params.r7.is_none() && !b.rule("R7").unwrap().enabled);
    }

    #[test]
    fn bad_books_name_the_rule_and_key() {
        let e = edit("id = \"R10\"", "id = \"R13\"").unwrap_err();
        assert!(e.message.contains("unknown rule id \"R13\""), "{e}");
        let e = edit("tenant_mass_kg = 300.0", "").unwrap_err();
        assert!(
            e.message.contains("rule R5 params") && e.message.contains("tenant_mass_kg"),
            "{e}"
        );
        let e = edit("tenant_mass_kg = 300.0", "tenant_mass_kg = 300.0\nmass = 1").unwrap_err();
        assert!(e.message.contains("unknown field `mass`"), "{e}");
        let e = edit("min_share = 0.9", "min_share = 1.5").unwrap_err();
        assert!(e.message.contains("R1") && e.message.contains("1.5"), "{e}");
        let e = edit("frequency_mhz = 1900.0", "frequency_mhz = 0.01").unwrap_err();
        assert!(
            e.message.contains("R6") && e.message.contains("0.01 MHz"),
            "{e}"
        );
        let e = edit(
            "zone_classes = [\"dense_residential\", \"school\", \"hospital\"]",
            "zone_classes = [\"dense_residential\", \"school\", \"heritage\"]",
        )
        .unwrap_err();
        assert!(e.message.contains("R3 and R6"), "{e}");
        let e = edit(
            "reservation_fields = [\"reserved_for\", \"exclusive\", \"exclusive_operator\"]\n\n[[target]]",
            "reservation_fields = []\n\n[[target]]",
        );
        assert!(e.is_ok());
        let last = CHONGQING_2016
            .rfind("enabled = true\n[rule.params]\n# Layer")
            .unwrap();
        let mut text = CHONGQING_2016.to_string();
        text.replace_range(last..last + "enabled = true".len(), "enabled = false");
        let e = RuleBook::parse("t.toml", &text).unwrap_err();
        assert!(e.message.contains("R12 cannot be switched off"), "{e}");
        let e = RuleBook::parse(
            "t.toml",
            &CHONGQING_2016.replace("id = \"R8\"", "id = \"R9\""),
        )
        .unwrap_err();
        assert!(e.message.contains("R9 is given twice"), "{e}");
        let e = edit("zone_classes = [\"scenic\"", "zone_classes = [\"sceni\"").unwrap_err();
        assert!(
            e.message.contains("R3") && e.message.contains("sceni"),
            "{e}"
        );
    }
}
