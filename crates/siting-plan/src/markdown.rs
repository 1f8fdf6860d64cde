//! `report.md`: the report for people.

use crate::report::Report;
use siting_model::Operator;
use std::fmt::Write;

/// A whole number with thousands separators (`3,700,000,000`).
pub fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// A share as a percentage with one decimal.
pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn met(m: Option<bool>) -> &'static str {
    match m {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "estimate",
    }
}

/// Renders the report as Markdown.
pub fn report_markdown(r: &Report) -> String {
    let mut m = String::new();
    let _ = writeln!(m, "# Siting plan report\n");
    let _ = writeln!(
        m,
        "Engine {} {}, mode `{}`, seed {}, metric CRS {}.\n",
        r.engine.name, r.engine.version, r.mode, r.seed, r.metric_crs
    );

    let _ = writeln!(m, "## Targets\n");
    let _ = writeln!(
        m,
        "| target | required | plan | met | why | source |\n|---|---|---|---|---|---|"
    );
    for t in &r.targets {
        let value = match t.id.as_str() {
            "T2" => format!("{} yuan", thousands(t.value)),
            "T3" => pct(t.value),
            "T4" => t4_value(r, t.value),
            _ if t.required_value <= 1.0 && t.value <= 1.0 => pct(t.value),
            _ => thousands(t.value),
        };
        let _ = writeln!(
            m,
            "| {} {} | {} | {} | {} | {} | {} |",
            t.id,
            t.title,
            t.required,
            value,
            met(t.met),
            t.reason,
            t.source
        );
    }

    let _ = writeln!(m, "\n## Plan\n");
    let n = &r.new_sites;
    let kinds: Vec<String> = n
        .by_kind
        .iter()
        .map(|(k, v)| format!("{k} {}", thousands(*v as f64)))
        .collect();
    let _ = writeln!(
        m,
        "- New sites: {} ({}){}.",
        thousands(n.total as f64),
        if kinds.is_empty() {
            "none".to_string()
        } else {
            kinds.join(", ")
        },
        if n.site_acquisition > 0 {
            format!(
                ", of which {} at search-ring centres still to acquire",
                n.site_acquisition
            )
        } else {
            String::new()
        }
    );
    let s = &r.new_4g_stations;
    let per_op: Vec<String> = s
        .by_operator
        .iter()
        .map(|(op, n)| format!("{op} {}", thousands(*n as f64)))
        .collect();
    let _ = writeln!(
        m,
        "- New 4G stations: {} ({}): {} overlays on the operator's own sites, {} co-locations on other operators' sites, {} on new sites.",
        thousands(s.total as f64),
        per_op.join(", "),
        thousands(s.by_way.overlay as f64),
        thousands(s.by_way.co_location as f64),
        thousands(s.by_way.new_site as f64),
    );
    let _ = writeln!(
        m,
        "- 4G stations in the area: {} before, {} after.",
        thousands(r.lte_stations_total.before as f64),
        thousands(r.lte_stations_total.after as f64)
    );
    let sh = &r.sharing;
    let _ = writeln!(
        m,
        "- Sharing rate: {} before, {} after ({}): {} of {} sites shared after, against {} of {} before; {} of the new sites are shared.",
        pct(sh.rate_before),
        pct(sh.rate_after),
        sh.definition,
        thousands(sh.shared_after as f64),
        thousands(sh.sites_after as f64),
        thousands(sh.shared_before as f64),
        thousands(sh.sites_before as f64),
        pct(sh.new_sites_shared_share)
    );
    let _ = writeln!(
        m,
        "- Tenancy ratio (operators per site, whole portfolio): {:.3} before, {:.3} after.",
        sh.tenancy_ratio_before, sh.tenancy_ratio_after
    );
    let inv = &r.investment_yuan;
    let _ = writeln!(
        m,
        "- Investment: {} yuan of infrastructure (new sites {} yuan, {} yuan per new site; works on existing sites the rest) and {} yuan of operators' 4G equipment; {} yuan in all.",
        thousands(inv.infrastructure),
        thousands(inv.new_sites_infrastructure),
        thousands(inv.per_new_site_infrastructure),
        thousands(inv.equipment),
        thousands(inv.total)
    );
    let o = &r.objective;
    let gap = match o.gap {
        Some(g) => format!("gap at most {}", pct(g)),
        None => "the bound does not apply: the plan misses a requirement the data allows or a served-traffic share".into(),
    };
    if o.unit == "yuan" {
        let _ = writeln!(
            m,
            "- Objective ({}): {} yuan; {} {} yuan ({}): {gap}.",
            o.description,
            thousands(o.value),
            o.bound_kind,
            thousands(o.bound),
            o.bound_method,
        );
    } else {
        let _ = writeln!(
            m,
            "- Residents newly covered: {} (summed over operators), and {} township centres newly covered (summed over operators).",
            thousands(o.residents_newly_covered),
            thousands(o.township_centres_newly_covered as f64)
        );
        let bonus = if o.township_centre_weight > 0.0 {
            format!(
                "; a weighted score, not residents: residents plus a bonus weight of {} per township centre newly covered",
                thousands(o.township_centre_weight)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            m,
            "- Objective ({}{bonus}): {}; {} {} ({}): {gap}.",
            o.description,
            thousands(o.value),
            o.bound_kind,
            thousands(o.bound),
            o.bound_method,
        );
    }
    if r.stations_without_gain.count > 0 {
        let _ = writeln!(
            m,
            "- {} new stations newly cover nobody: {}",
            r.stations_without_gain.count, r.stations_without_gain.reason
        );
    } else {
        let _ = writeln!(m, "- Every new station newly covers someone.");
    }

    let _ = writeln!(m, "\n## Coverage per operator (4G, residents)\n");
    let _ = writeln!(
        m,
        "| operator | residents | covered before | covered after | share after | main urban after | rest after | township centres |\n|---|---|---|---|---|---|---|---|"
    );
    for (op, c) in r.coverage.iter() {
        let _ = writeln!(
            m,
            "| {op} | {} | {} | {} | {} | {} | {} | {} of {} (before {}) |",
            thousands(c.residents),
            thousands(c.covered_before),
            thousands(c.covered_after),
            pct(c.share_after),
            pct(c.main_urban_share_after),
            pct(c.rest_share_after),
            c.township_centres_covered_after,
            c.township_centres,
            c.township_centres_covered_before
        );
    }

    if !r.requirements.is_empty() {
        let _ = writeln!(m, "\n## Coverage requirements\n");
        let _ = writeln!(
            m,
            "| operator | requirement | asked | achievable | before | after | met |\n|---|---|---|---|---|---|---|"
        );
        for q in &r.requirements {
            let _ = writeln!(
                m,
                "| {} | {} ({}) | {} | {} | {} | {} | {} |",
                q.operator,
                q.what,
                q.unit,
                thousands(q.requested),
                thousands(q.achievable),
                thousands(q.covered_before),
                thousands(q.covered_after),
                if q.met { "yes" } else { "**no**" }
            );
        }
    }

    if !r.township_centres_uncovered.is_empty() {
        let _ = writeln!(m, "\n## Township centres not covered by every operator\n");
        let _ = writeln!(
            m,
            "| code | name | district | operators missing | why | search ring |\n|---|---|---|---|---|---|"
        );
        for t in &r.township_centres_uncovered {
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} | {} | {} |",
                t.code,
                t.name,
                t.county_adcode,
                t.operators.join(", "),
                t.why,
                t.search_ring.as_deref().unwrap_or("")
            );
        }
    }

    if !r.search_rings.is_empty() {
        let residents: f64 = r.search_rings.iter().map(|s| s.residents).sum();
        let _ = writeln!(m, "\n## Search rings\n");
        let _ = writeln!(
            m,
            "{} rings hold {} residents that no existing site or candidate can serve for some operator (plan.gpkg layer `search_rings`). The largest:\n",
            r.search_rings.len(),
            thousands(residents)
        );
        let _ = writeln!(
            m,
            "| ring | district | centre | radius (m) | residents | operators short | township centres |\n|---|---|---|---|---|---|---|"
        );
        let mut rings: Vec<_> = r.search_rings.iter().collect();
        rings.sort_by(|a, b| b.residents.total_cmp(&a.residents).then(a.id.cmp(&b.id)));
        for s in rings.iter().take(20) {
            let _ = writeln!(
                m,
                "| {} | {} | {:.5}, {:.5} | {:.0} | {} | {} | {} |",
                s.id,
                s.adcode,
                s.centre[0],
                s.centre[1],
                s.radius_m,
                thousands(s.residents),
                s.operators.join(", "),
                s.township_centres.join(", ")
            );
        }
    }

    let _ = writeln!(m, "\n## By phase\n");
    let _ = writeln!(
        m,
        "A station stands from the first year its target or its load needs it; a new tower not before R8's lead time allows.\n"
    );
    let _ = writeln!(
        m,
        "| year | sites | new sites | new 4G stations | infrastructure (yuan) | equipment (yuan) | stations by reason | year set by |\n|---|---|---|---|---|---|---|---|"
    );
    let list = |c: &std::collections::BTreeMap<String, u64>| {
        c.iter()
            .map(|(k, v)| format!("{k} {}", thousands(*v as f64)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for p in &r.by_phase {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            p.year,
            thousands(p.sites as f64),
            thousands(p.new_sites as f64),
            thousands(p.new_4g_stations as f64),
            thousands(p.investment_yuan),
            thousands(p.equipment_yuan),
            list(&p.stations_by_reason),
            list(&p.stations_by_driver)
        );
    }
    if let Some(t) = &r.traffic {
        traffic_markdown(&mut m, t);
    }

    let _ = writeln!(m, "\n## By district or county\n");
    let _ = writeln!(
        m,
        "Residents of each district on the demand layer; per operator, the share of them covered once the plan is built and how many of them the plan newly covers (each operator apart, so a figure never exceeds the district's residents).\n"
    );
    let ops = Operator::ALL;
    let _ = writeln!(
        m,
        "| adcode | name | residents | {} | {} | new sites | 4G stations (overlay / co-location / new site) | sharing after | infrastructure (yuan) |\n|---|---|---|{}{}---|---|---|---|",
        ops.map(|op| format!("{op} covered after")).join(" | "),
        ops.map(|op| format!("{op} residents newly covered")).join(" | "),
        "---|".repeat(ops.len()),
        "---|".repeat(ops.len())
    );
    for d in r.by_district.values() {
        let w = &d.stations_by_way;
        let shares: Vec<String> = d.coverage_share_after.values().map(|x| pct(*x)).collect();
        let newly: Vec<String> = d.newly_covered.values().map(|x| thousands(*x)).collect();
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} | {} | {} | {} ({} / {} / {}) | {} | {} |",
            d.adcode,
            d.name,
            thousands(d.residents),
            shares.join(" | "),
            newly.join(" | "),
            d.new_sites,
            d.new_4g_stations,
            w.overlay,
            w.co_location,
            w.new_site,
            pct(d.sharing_rate_after),
            thousands(d.investment_yuan)
        );
    }

    let _ = writeln!(m, "\n## Rules\n");
    let _ = writeln!(
        m,
        "| rule | plan sites | candidates excluded | source |\n|---|---|---|---|"
    );
    for rc in &r.rule_counts {
        let _ = writeln!(
            m,
            "| {} {} | {} | {} | {} |",
            rc.id, rc.title, rc.sites, rc.candidates_excluded, rc.source
        );
    }

    if !r.approvals.is_empty() {
        let _ = writeln!(m, "\n## EIA approval lists (R9)\n");
        let _ = writeln!(
            m,
            "The plan's sites each authority approves, by the year of the plan's first work there (CSV, UTF-8 with BOM).\n"
        );
        let _ = writeln!(m, "| authority | year | sites | file |\n|---|---|---|---|");
        for a in &r.approvals {
            let _ = writeln!(
                m,
                "| {} | {} | {} | `{}` |",
                a.authority,
                a.year,
                thousands(a.sites as f64),
                a.file
            );
        }
    }

    let _ = writeln!(m, "\n## Radio models\n");
    for (op, d) in &r.radio_models {
        let _ = writeln!(m, "- {op}: {d}");
    }
    if !r.notes.is_empty() {
        let _ = writeln!(m, "\n## Notes\n");
        for n in &r.notes {
            let _ = writeln!(m, "- {n}");
        }
    }
    let _ = writeln!(m, "\n## Inputs\n");
    let _ = writeln!(
        m,
        "| layer | file | features | SHA-256 |\n|---|---|---|---|"
    );
    for i in &r.inputs {
        let _ = writeln!(
            m,
            "| {} | {} | {} | `{}` |",
            i.layer, i.file, i.features, i.sha256
        );
    }
    if !r.model_validity.is_empty() {
        let _ = writeln!(m, "\n## Model validity\n");
        let _ = writeln!(
            m,
            "Where a propagation model is used outside its validity range (extrapolated), grouped by model, environment and parameter.\n"
        );
        let _ = writeln!(
            m,
            "| model | environment | parameter | valid | used | antenna heights (m) | operators | cases |\n|---|---|---|---|---|---|---|---|"
        );
        for v in &r.model_validity {
            let span = |a: [f64; 2]| {
                if a[0] == a[1] {
                    format!("{}", a[0])
                } else {
                    format!("{}–{}", a[0], a[1])
                }
            };
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} | {} {} | {} | {} | {} |",
                v.model,
                v.environment,
                v.parameter,
                v.valid_range,
                span(v.used),
                v.unit,
                span(v.antenna_heights_m),
                v.operators.join(", "),
                v.cases
            );
        }
    }
    m
}

/// T4's plan value: the lowest operator's main-urban share, and the
/// township centres some operator misses.
/// The traffic section: served traffic per operator and year, the
/// districts capacity drives, the busiest districts, density by environment.
fn traffic_markdown(m: &mut String, t: &crate::report::TrafficReport) {
    let _ = writeln!(m, "\n## Traffic and capacity (busy hour)\n");
    let _ = writeln!(m, "{}\n", t.definition);
    let _ = writeln!(
        m,
        "| operator | year | covered (Mbit/s) | served (Mbit/s) | unserved | uncovered | served share | asked | lowest district | met |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    for (op, rows) in &t.per_operator {
        for y in rows {
            let _ = writeln!(
                m,
                "| {op} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                y.year,
                thousands(y.covered_mbps),
                thousands(y.served_mbps),
                thousands(y.unserved_mbps),
                thousands(y.uncovered_mbps),
                pct(y.served_share),
                pct(y.min_served_share),
                match (&y.lowest_district, y.lowest_district_share) {
                    (Some(d), Some(s)) => format!("{d} {}", pct(s)),
                    _ => "–".into(),
                },
                if y.met { "yes" } else { "no" }
            );
        }
    }
    let _ = writeln!(
        m,
        "\n{} stations placed for capacity; {} coverage stations brought forward by load.",
        thousands(t.capacity_stations as f64),
        thousands(t.brought_forward as f64)
    );
    let district_table = |m: &mut String, title: &str, rows: &[crate::report::DistrictTraffic]| {
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(m, "\n{title}\n");
        let _ = writeln!(
            m,
            "| district | covered CMCC / CUCC / CTCC (Mbit/s) | served share CMCC / CUCC / CTCC | capacity stations | coverage stations |\n|---|---|---|---|---|"
        );
        for d in rows {
            let c = &d.covered_mbps;
            let s = &d.served_share;
            let _ = writeln!(
                m,
                "| {} | {} / {} / {} | {} / {} / {} | {} | {} |",
                d.name,
                thousands(c.0[0]),
                thousands(c.0[1]),
                thousands(c.0[2]),
                pct(s.0[0]),
                pct(s.0[1]),
                pct(s.0[2]),
                d.capacity_stations,
                d.coverage_stations
            );
        }
    };
    district_table(
        m,
        "Districts where capacity places stations:",
        &t.capacity_districts,
    );
    district_table(
        m,
        "The busiest districts (last year):",
        &t.busiest_districts,
    );
    let _ = writeln!(
        m,
        "\n| environment | area (km²) | 4G stations before | after | per km² before | after |\n|---|---|---|---|---|---|"
    );
    for e in &t.density {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} | {:.3} | {:.3} |",
            e.environment,
            thousands(e.area_km2),
            thousands(e.lte_stations_before as f64),
            thousands(e.lte_stations_after as f64),
            e.per_km2_before,
            e.per_km2_after
        );
    }
}

fn t4_value(r: &Report, urban_min: f64) -> String {
    let towns = r.township_centres_uncovered.len();
    format!(
        "{} of main-urban residents (lowest operator); {}",
        pct(urban_min),
        if towns == 0 {
            "every township centre covered".to_string()
        } else {
            format!("{towns} township centres lack some operator")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators_test() {
        assert_eq!(thousands(3_700_000_000.0), "3,700,000,000");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(-1234.0), "-1,234");
    }
}
