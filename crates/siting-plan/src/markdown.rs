//! `report.md`: the report for people.

use crate::report::Report;
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

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Renders the report as Markdown.
pub fn report_markdown(r: &Report) -> String {
    let mut m = String::new();
    let v = r.engine.get("version").cloned().unwrap_or_default();
    let _ = writeln!(m, "# Siting plan report\n");
    let _ = writeln!(
        m,
        "Engine siting {v}, seed {}, metric CRS {}.\n",
        r.seed, r.metric_crs
    );

    let _ = writeln!(m, "## Targets\n");
    let _ = writeln!(
        m,
        "| target | required | plan | met | source |\n|---|---|---|---|---|"
    );
    for t in &r.targets {
        let value = if t.id == "T2" {
            format!("{} yuan", thousands(t.value))
        } else if t.required_value <= 1.0 && t.id != "T1" {
            pct(t.value)
        } else {
            format!("{}", t.value)
        };
        let _ = writeln!(
            m,
            "| {} {} | {} | {} | {} | {} |",
            t.id,
            t.title,
            t.required,
            value,
            if t.met { "yes" } else { "**no**" },
            t.source
        );
    }

    let _ = writeln!(m, "\n## Plan\n");
    let n = &r.new_base_stations;
    let q = &r.new_base_stations_required;
    let _ = writeln!(
        m,
        "- New base stations: {} (CMCC {} of {}, CUCC {} of {}, CTCC {} of {}).",
        n.total, n.cmcc, q.cmcc, n.cucc, q.cucc, n.ctcc, q.ctcc
    );
    let _ = writeln!(
        m,
        "- Sharing rate: {} ({}).",
        pct(r.sharing_rate),
        r.sharing_rate_definition
    );
    let _ = writeln!(
        m,
        "- Tenancy ratio: {:.2} base stations per plan site.",
        r.tenancy_ratio
    );
    let _ = writeln!(
        m,
        "- Sites: {} new, {} existing shared.",
        r.sites_new, r.sites_existing_shared
    );
    let _ = writeln!(
        m,
        "- Cost: {} yuan in all, {} yuan per new base station.",
        thousands(r.cost_yuan_total),
        thousands(r.cost_yuan_per_station)
    );
    let _ = writeln!(
        m,
        "- Newly covered demand {:.0}, upper bound {:.0}: optimality gap at most {}.",
        r.newly_covered_weight,
        r.upper_bound,
        pct(r.optimality_gap)
    );

    if !r.uncovered_township_centres.is_empty() {
        let _ = writeln!(m, "\n## Township centres not covered by every operator\n");
        let _ = writeln!(
            m,
            "| code | name | district | operators missing |\n|---|---|---|---|"
        );
        for t in &r.uncovered_township_centres {
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} |",
                t.code,
                t.name,
                t.county_adcode,
                t.operators.join(", ")
            );
        }
    }

    let _ = writeln!(m, "\n## Coverage per operator\n");
    let _ = writeln!(
        m,
        "| operator | demand | covered before | covered after | share after | township centres | main urban area |\n|---|---|---|---|---|---|---|"
    );
    for c in &r.coverage {
        let _ = writeln!(
            m,
            "| {} | {:.0} | {:.0} | {:.0} | {} | {} of {} | {} |",
            c.operator,
            c.total_weight,
            c.covered_weight_before,
            c.covered_weight_after,
            pct(c.covered_share_after),
            c.township_centres_covered,
            c.township_centres,
            pct(c.main_urban_covered_share)
        );
    }

    let _ = writeln!(m, "\n## By phase\n");
    let _ = writeln!(
        m,
        "| year | sites | new base stations | cost (yuan) |\n|---|---|---|---|"
    );
    for p in &r.by_phase {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} |",
            p.year,
            p.sites,
            p.new_base_stations,
            thousands(p.cost_yuan)
        );
    }

    let _ = writeln!(m, "\n## By district or county\n");
    let _ = writeln!(
        m,
        "| adcode | name | new base stations | new sites | shared existing sites | sharing rate | cost (yuan) | demand | newly covered |\n|---|---|---|---|---|---|---|---|---|"
    );
    for d in &r.by_district {
        let _ = writeln!(
            m,
            "| {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} |",
            d.adcode,
            d.name,
            d.new_base_stations,
            d.sites_new,
            d.sites_existing_shared,
            pct(d.sharing_rate),
            thousands(d.cost_yuan),
            d.demand_weight,
            d.covered_weight_gain
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
    m
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
