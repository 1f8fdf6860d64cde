//! `report.html`: the report as one self-contained page. Everything is
//! inline — the maps as SVG, the coverage rasters as PNG `data:` URIs, the
//! style sheet and a little JavaScript for pan and zoom — so the file opens
//! anywhere without a network. Every figure in a table carries its exact
//! value from `report.json` in a `data-v` attribute.

use crate::base64;
use crate::frame::{esc, num, Frame};
use crate::grid::CellClass;
use crate::layers::MapLayers;
use crate::svg::{map_svg, MapOptions, FONT_FAMILY};
use crate::MapError;
use siting_model::Operator;
use siting_plan::markdown::{pct, thousands};
use siting_plan::{Origin, PlanSite, Report};
use std::collections::BTreeMap;
use std::fmt::Write;

const STYLE: &str = "
body{margin:0;padding:0 24px 40px;color:#222;background:#fff;font:14px/1.45 FONTS}
h1{font-size:24px;margin:18px 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:3px}
h3{font-size:15px;margin:14px 0 6px}
p.meta{color:#555;margin:0 0 10px}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border:1px solid #d6d6d6;padding:3px 7px;vertical-align:top}
th{background:#f3f5f7;text-align:left;position:sticky;top:0}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.yes{color:#1b7f3b;font-weight:bold}td.no{color:#c0392b;font-weight:bold}td.est{color:#8a6d00}
td.why{max-width:520px;color:#444}
code,.mono{font-family:monospace;font-size:12px}
.maps{display:flex;flex-wrap:wrap;gap:14px}
.map-box{border:1px solid #ddd;border-radius:4px;padding:6px;background:#fff}
svg.map{max-width:100%;height:auto;cursor:grab;touch-action:none;user-select:none}
.hint{color:#666;font-size:12px}
.key span{display:inline-block;width:12px;height:12px;margin:0 4px -1px 10px;border:1px solid #999}
ul.notes li{margin:3px 0}
";

const SCRIPT: &str = "
(function () {
  document.querySelectorAll('svg.map').forEach(function (svg) {
    var g = svg.querySelector('g.zoom');
    if (!g) { return; }
    var k = 1, tx = 0, ty = 0, drag = null;
    var bars = svg.querySelectorAll('text.sb');
    function pt(e) {
      var p = svg.createSVGPoint();
      p.x = e.clientX; p.y = e.clientY;
      return p.matrixTransform(svg.getScreenCTM().inverse());
    }
    function apply() {
      g.setAttribute('transform', 'translate(' + tx + ' ' + ty + ') scale(' + k + ')');
      bars.forEach(function (t) {
        var m = parseFloat(t.getAttribute('data-m')) / k;
        t.textContent = m >= 1000 ? (Math.round(m / 100) / 10) + ' km' : Math.round(m) + ' m';
      });
    }
    svg.addEventListener('wheel', function (e) {
      e.preventDefault();
      var p = pt(e);
      var nk = Math.min(64, Math.max(1, k * (e.deltaY < 0 ? 1.25 : 0.8)));
      var f = nk / k;
      tx = p.x - (p.x - tx) * f; ty = p.y - (p.y - ty) * f; k = nk;
      if (k === 1) { tx = 0; ty = 0; }
      apply();
    }, { passive: false });
    svg.addEventListener('pointerdown', function (e) { drag = pt(e); svg.setPointerCapture(e.pointerId); });
    svg.addEventListener('pointermove', function (e) {
      if (!drag) { return; }
      var p = pt(e);
      tx += p.x - drag.x; ty += p.y - drag.y; drag = p;
      apply();
    });
    svg.addEventListener('pointerup', function () { drag = null; });
    svg.addEventListener('dblclick', function () { k = 1; tx = 0; ty = 0; apply(); });
  });
})();
";

/// Search rings listed in the page (report.json has them all).
pub const RINGS_LISTED: usize = 300;

/// A table under construction: header cells, then rows of cells.
struct Table {
    html: String,
}

impl Table {
    fn new(class: &str, head: &[&str]) -> Table {
        let mut html = format!("<table class=\"{class}\"><thead><tr>");
        for h in head {
            let _ = write!(html, "<th>{}</th>", esc(h));
        }
        html.push_str("</tr></thead><tbody>\n");
        Table { html }
    }
    fn row(&mut self, key: &str, cells: &[Cell]) {
        let _ = write!(self.html, "<tr data-key=\"{}\">", esc(key));
        for c in cells {
            self.html.push_str(&c.0);
        }
        self.html.push_str("</tr>\n");
    }
    fn end(mut self) -> String {
        self.html.push_str("</tbody></table>\n");
        self.html
    }
}

/// One table cell's HTML.
struct Cell(String);

/// Text.
fn t(s: &str) -> Cell {
    Cell(format!("<td>{}</td>", esc(s)))
}

/// A number shown as `shown`, exact in `data-v`.
fn n(v: f64, shown: String) -> Cell {
    Cell(format!(
        "<td class=\"n\" data-v=\"{}\">{}</td>",
        fig(v),
        esc(&shown)
    ))
}

/// A count.
fn c(v: u64) -> Cell {
    n(v as f64, thousands(v as f64))
}

/// A share, shown as a percentage.
fn s(v: f64) -> Cell {
    n(v, pct(v))
}

/// Yuan, shown whole.
fn y(v: f64) -> Cell {
    n(v, thousands(v))
}

/// The exact figure, as `report.json` would parse (shortest round trip).
fn fig(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        "null".into()
    }
}

fn met(m: Option<bool>) -> Cell {
    Cell(match m {
        Some(true) => "<td class=\"yes\" data-met=\"true\">met</td>".into(),
        Some(false) => "<td class=\"no\" data-met=\"false\">not met</td>".into(),
        None => "<td class=\"est\" data-met=\"null\">estimate</td>".into(),
    })
}

/// The report as one self-contained HTML page: `report` and the plan's
/// `sites` (for costs by kind), the maps drawn from `layers`.
pub fn report_html(
    report: &Report,
    sites: &[PlanSite],
    layers: &MapLayers,
) -> Result<String, MapError> {
    let r = report;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Siting plan report</title>\n<style>{}</style>\n</head>\n<body>\n",
        STYLE.replace("FONTS", FONT_FAMILY)
    );
    let _ = writeln!(
        h,
        "<h1>Siting plan report</h1>\n<p class=\"meta\">Engine {} {}, mode <code>{}</code>, seed {}, metric CRS {}. {} new sites, {} new 4G stations; sharing rate {} → {}; infrastructure {} yuan, equipment {} yuan.</p>",
        esc(&r.engine.name),
        esc(&r.engine.version),
        esc(&r.mode),
        r.seed,
        esc(&r.metric_crs),
        thousands(r.new_sites.total as f64),
        thousands(r.new_4g_stations.total as f64),
        pct(r.sharing.rate_before),
        pct(r.sharing.rate_after),
        thousands(r.investment_yuan.infrastructure),
        thousands(r.investment_yuan.equipment),
    );

    // Targets.
    h.push_str("<h2 id=\"targets\">Targets</h2>\n");
    let mut tb = Table::new(
        "targets",
        &["target", "what", "required", "plan", "met", "why", "source"],
    );
    for x in &r.targets {
        let share = x.id == "T3" || x.id == "T4";
        let plan = if share {
            s(x.value)
        } else {
            n(x.value, thousands(x.value))
        };
        tb.row(
            &x.id,
            &[
                t(&x.id),
                t(&x.title),
                Cell(format!(
                    "<td data-v=\"{}\">{}</td>",
                    fig(x.required_value),
                    esc(&x.required)
                )),
                plan,
                met(x.met),
                Cell(format!("<td class=\"why\">{}</td>", esc(&x.reason))),
                t(&x.source),
            ],
        );
    }
    h.push_str(&tb.end());

    // Figures.
    h.push_str("<h2 id=\"figures\">The plan in figures</h2>\n");
    let st = &r.new_4g_stations;
    let sh = &r.sharing;
    let inv = &r.investment_yuan;
    let mut tb = Table::new("figures", &["figure", "value"]);
    for (key, label, cell) in [
        ("new_sites.total", "new sites (T1)", c(r.new_sites.total)),
        (
            "new_sites.site_acquisition",
            "of them towers at search-ring centres (site to acquire)",
            c(r.new_sites.site_acquisition),
        ),
        ("new_4g_stations.total", "new 4G stations", c(st.total)),
        (
            "new_4g_stations.by_way.overlay",
            "overlays (operator already a tenant)",
            c(st.by_way.overlay),
        ),
        (
            "new_4g_stations.by_way.co_location",
            "co-locations (new tenant on an existing site)",
            c(st.by_way.co_location),
        ),
        (
            "new_4g_stations.by_way.new_site",
            "stations on new sites",
            c(st.by_way.new_site),
        ),
        (
            "lte_stations_total.before",
            "4G stations before the plan",
            c(r.lte_stations_total.before),
        ),
        (
            "lte_stations_total.after",
            "4G stations after the plan (T4: 45,000)",
            c(r.lte_stations_total.after),
        ),
        (
            "sharing.rate_before",
            "sharing rate before (T3)",
            s(sh.rate_before),
        ),
        (
            "sharing.rate_after",
            "sharing rate after (T3)",
            s(sh.rate_after),
        ),
        (
            "sharing.new_sites_shared_share",
            "new sites that are shared",
            s(sh.new_sites_shared_share),
        ),
        (
            "sharing.tenancy_ratio_before",
            "tenants per site before",
            n(
                sh.tenancy_ratio_before,
                format!("{:.2}", sh.tenancy_ratio_before),
            ),
        ),
        (
            "sharing.tenancy_ratio_after",
            "tenants per site after",
            n(
                sh.tenancy_ratio_after,
                format!("{:.2}", sh.tenancy_ratio_after),
            ),
        ),
        (
            "sharing.sites_after",
            "sites after the plan",
            c(sh.sites_after),
        ),
        (
            "sharing.shared_after",
            "shared sites after the plan",
            c(sh.shared_after),
        ),
        (
            "investment_yuan.infrastructure",
            "infrastructure, yuan (T2)",
            y(inv.infrastructure),
        ),
        (
            "investment_yuan.equipment",
            "operators' 4G equipment, yuan",
            y(inv.equipment),
        ),
        ("investment_yuan.total", "total, yuan", y(inv.total)),
        (
            "investment_yuan.per_new_site_infrastructure",
            "infrastructure per new site, yuan",
            y(inv.per_new_site_infrastructure),
        ),
    ] {
        tb.row(key, &[t(label), cell]);
    }
    h.push_str(&tb.end());
    let _ = writeln!(
        h,
        "<p class=\"meta\">Sharing rate: {}.</p>",
        esc(&sh.definition)
    );

    // The map.
    h.push_str("<h2 id=\"map\">Map</h2>\n<p class=\"hint\">Scroll to zoom, drag to pan, double-click to reset. Hover a district for its name and adcode, a ring for its id.</p>\n<div class=\"map-box\">\n");
    let opt = MapOptions {
        title: "The plan's sites".into(),
        subtitle: format!(
            "{} sites in the plan, {} existing sites, {} search rings, {} districts",
            thousands(layers.plan.len() as f64),
            thousands(layers.existing.len() as f64),
            thousands(layers.rings.len() as f64),
            layers.districts.len()
        ),
        focus: None,
        width_px: 1000.0,
        standalone: false,
        id_prefix: "m".into(),
        legend: true,
    };
    h.push_str(&map_svg(layers, &opt)?);
    h.push_str("</div>\n");

    // Coverage.
    h.push_str("<h2 id=\"coverage\">4G coverage per operator</h2>\n");
    let mut tb = Table::new(
        "coverage",
        &[
            "operator",
            "residents",
            "covered before",
            "covered after",
            "share before",
            "share after",
            "main urban after",
            "rest after",
            "township centres covered",
        ],
    );
    for (op, f) in r.coverage.iter() {
        tb.row(
            op.code(),
            &[
                t(op.code()),
                n(f.residents, thousands(f.residents)),
                n(f.covered_before, thousands(f.covered_before)),
                n(f.covered_after, thousands(f.covered_after)),
                s(f.share_before),
                s(f.share_after),
                s(f.main_urban_share_after),
                s(f.rest_share_after),
                n(
                    f.township_centres_covered_after as f64,
                    format!(
                        "{} of {}",
                        thousands(f.township_centres_covered_after as f64),
                        thousands(f.township_centres as f64)
                    ),
                ),
            ],
        );
    }
    h.push_str(&tb.end());
    if let Some(grid) = &layers.coverage {
        let _ = writeln!(
            h,
            "<p class=\"hint\">Each square is {} m of the demand layer; its colour is the state of most of its residents.<span class=\"key\">{}</span> Orange circles: search rings (demand no site can serve).</p>\n<div class=\"maps\">",
            num(grid.cell_m),
            CellClass::SHOWN
                .iter()
                .map(|k| format!("<span style=\"background:{}\"></span>{}", k.hex(), k.label()))
                .collect::<Vec<_>>()
                .join("")
        );
        for op in Operator::ALL {
            h.push_str("<div class=\"map-box\">");
            h.push_str(&coverage_svg(layers, op)?);
            h.push_str("</div>\n");
        }
        h.push_str("</div>\n");
    }

    // Search rings.
    let _ = writeln!(
        h,
        "<h2 id=\"rings\">Search rings ({})</h2>",
        r.search_rings.len()
    );
    if !r.search_rings.is_empty() {
        h.push_str("<p class=\"meta\">Demand that no existing site or candidate can serve for some operator, grouped around a suggested centre.</p>\n");
        let mut tb = Table::new(
            "rings",
            &[
                "ring",
                "district",
                "centre (lon, lat)",
                "radius, m",
                "residents",
                "operators short",
                "township centres",
            ],
        );
        if r.search_rings.len() > RINGS_LISTED {
            let _ = writeln!(
                h,
                "<p class=\"meta\">The first {RINGS_LISTED} of {} by id; report.json lists them all.</p>",
                thousands(r.search_rings.len() as f64)
            );
        }
        for g in r.search_rings.iter().take(RINGS_LISTED) {
            tb.row(
                &g.id,
                &[
                    t(&g.id),
                    t(&district_name(r, &g.adcode)),
                    t(&format!("{:.5}, {:.5}", g.centre[0], g.centre[1])),
                    n(g.radius_m, thousands(g.radius_m)),
                    n(g.residents, thousands(g.residents)),
                    t(&g.operators.join(", ")),
                    t(&g.township_centres.join(", ")),
                ],
            );
        }
        h.push_str(&tb.end());
    }

    // Districts.
    h.push_str("<h2 id=\"districts\">By district</h2>\n");
    let mut head = vec!["adcode", "district", "residents"];
    let cov: Vec<String> = Operator::ALL
        .iter()
        .map(|o| format!("{} coverage after", o.code()))
        .collect();
    head.extend(cov.iter().map(String::as_str));
    head.extend([
        "new sites",
        "new 4G stations",
        "overlays",
        "co-locations",
        "on new sites",
        "sites after",
        "shared after",
        "sharing rate after",
        "infrastructure, yuan",
        "equipment, yuan",
    ]);
    let mut tb = Table::new("districts", &head);
    for (code, d) in &r.by_district {
        let mut cells = vec![t(code), t(&d.name), n(d.residents, thousands(d.residents))];
        cells.extend(Operator::ALL.iter().map(|&o| s(d.coverage_share_after[o])));
        cells.extend([
            c(d.new_sites),
            c(d.new_4g_stations),
            c(d.stations_by_way.overlay),
            c(d.stations_by_way.co_location),
            c(d.stations_by_way.new_site),
            c(d.sites_after),
            c(d.shared_after),
            s(d.sharing_rate_after),
            y(d.investment_yuan),
            y(d.equipment_yuan),
        ]);
        tb.row(code, &cells);
    }
    h.push_str(&tb.end());

    // Phases.
    h.push_str("<h2 id=\"phases\">Phases by year</h2>\n");
    let mut tb = Table::new(
        "phases",
        &[
            "year",
            "sites first worked on",
            "new sites",
            "new 4G stations",
            "infrastructure, yuan",
            "equipment, yuan",
        ],
    );
    for p in &r.by_phase {
        tb.row(
            &p.year.to_string(),
            &[
                n(f64::from(p.year), p.year.to_string()),
                c(p.sites),
                c(p.new_sites),
                c(p.new_4g_stations),
                y(p.investment_yuan),
                y(p.equipment_yuan),
            ],
        );
    }
    h.push_str(&tb.end());

    // Traffic.
    if let Some(tr) = &r.traffic {
        h.push_str("<h2 id=\"traffic\">Traffic and capacity (busy hour)</h2>\n");
        h.push_str(&format!("<p>{}</p>\n", esc(&tr.definition)));
        let mut tb = Table::new(
            "traffic",
            &[
                "operator and year",
                "covered, Mbit/s",
                "served, Mbit/s",
                "unserved, Mbit/s",
                "uncovered, Mbit/s",
                "served share",
                "asked",
                "lowest district",
                "met",
            ],
        );
        for (op, rows) in &tr.per_operator {
            for row in rows {
                let key = format!("{op} {}", row.year);
                tb.row(
                    &key,
                    &[
                        t(&key),
                        n(row.covered_mbps, thousands(row.covered_mbps)),
                        n(row.served_mbps, thousands(row.served_mbps)),
                        n(row.unserved_mbps, thousands(row.unserved_mbps)),
                        n(row.uncovered_mbps, thousands(row.uncovered_mbps)),
                        s(row.served_share),
                        s(row.min_served_share),
                        t(&match (&row.lowest_district, row.lowest_district_share) {
                            (Some(d), Some(x)) => format!("{d} {}", pct(x)),
                            _ => "–".into(),
                        }),
                        met(Some(row.met)),
                    ],
                );
            }
        }
        h.push_str(&tb.end());
        h.push_str(&format!(
            "<p>{} stations placed for capacity, in {} districts; {} coverage stations brought forward by load.</p>\n",
            thousands(tr.capacity_stations as f64),
            tr.capacity_districts.len(),
            thousands(tr.brought_forward as f64)
        ));
        let mut tb = Table::new(
            "density",
            &[
                "environment",
                "area, km²",
                "4G stations before",
                "after",
                "per km² before",
                "after",
            ],
        );
        for e in &tr.density {
            tb.row(
                &e.environment,
                &[
                    t(&e.environment),
                    n(e.area_km2, thousands(e.area_km2)),
                    c(e.lte_stations_before),
                    c(e.lte_stations_after),
                    n(e.per_km2_before, format!("{:.3}", e.per_km2_before)),
                    n(e.per_km2_after, format!("{:.3}", e.per_km2_after)),
                ],
            );
        }
        h.push_str(&tb.end());
    }

    // Rules.
    h.push_str("<h2 id=\"rules\">Rules and exclusions</h2>\n");
    let mut tb = Table::new(
        "rules",
        &[
            "rule",
            "what",
            "plan sites it shaped",
            "candidates it excluded",
            "source",
        ],
    );
    for x in &r.rule_counts {
        tb.row(
            &x.id,
            &[
                t(&x.id),
                t(&x.title),
                c(x.sites),
                c(x.candidates_excluded),
                t(&x.source),
            ],
        );
    }
    h.push_str(&tb.end());

    // Cost by kind.
    h.push_str("<h2 id=\"costs\">Cost by kind of site</h2>\n");
    let mut by: BTreeMap<(String, &str), (u64, u64, f64, f64)> = BTreeMap::new();
    for x in sites {
        let origin = if x.origin == Origin::New {
            "new"
        } else {
            "existing"
        };
        let e = by.entry((x.kind.clone(), origin)).or_default();
        e.0 += 1;
        e.1 += x.stations_added.len() as u64;
        e.2 += x.build_cost_yuan;
        e.3 += x.station_cost_yuan;
    }
    let mut tb = Table::new(
        "costs",
        &[
            "kind",
            "origin",
            "sites",
            "new 4G stations",
            "infrastructure, yuan",
            "equipment, yuan",
            "total, yuan",
        ],
    );
    for ((kind, origin), (count, stations, build, equipment)) in &by {
        tb.row(
            &format!("{kind}/{origin}"),
            &[
                t(kind),
                t(origin),
                c(*count),
                c(*stations),
                y(*build),
                y(*equipment),
                y(build + equipment),
            ],
        );
    }
    tb.row(
        "total",
        &[
            t("all"),
            t(""),
            c(sites.len() as u64),
            c(st.total),
            y(inv.infrastructure),
            y(inv.equipment),
            y(inv.total),
        ],
    );
    h.push_str(&tb.end());

    // Optimality.
    h.push_str("<h2 id=\"objective\">Objective and optimality gap</h2>\n");
    let o = &r.objective;
    let mut tb = Table::new("objective", &["figure", "value"]);
    tb.row("mode", &[t("mode"), t(&o.mode)]);
    tb.row("description", &[t("objective"), t(&o.description)]);
    tb.row(
        "value",
        &[
            t(&format!("plan's value ({})", o.unit)),
            n(o.value, thousands(o.value)),
        ],
    );
    tb.row("bound", &[t(&o.bound_kind), n(o.bound, thousands(o.bound))]);
    tb.row(
        "bound_method",
        &[t("how the bound was found"), t(&o.bound_method)],
    );
    tb.row(
        "gap",
        &[
            t("optimality gap (how far the plan can be from the optimum)"),
            match o.gap {
                Some(g) => n(g, pct(g)),
                None => Cell("<td class=\"n\" data-v=\"null\">does not apply</td>".into()),
            },
        ],
    );
    tb.row(
        "stations_without_gain",
        &[
            t(&format!(
                "stations that newly cover nobody: {}",
                r.stations_without_gain.reason
            )),
            c(r.stations_without_gain.count),
        ],
    );
    h.push_str(&tb.end());

    // Requirements and township centres.
    h.push_str("<h2 id=\"requirements\">Coverage requirements</h2>\n");
    let mut tb = Table::new(
        "requirements",
        &[
            "operator",
            "requirement",
            "unit",
            "asked",
            "achievable",
            "covered before",
            "covered after",
            "met",
        ],
    );
    for q in &r.requirements {
        tb.row(
            &format!("{}/{}", q.operator, q.what),
            &[
                t(&q.operator),
                t(&q.what),
                t(&q.unit),
                n(q.requested, thousands(q.requested)),
                n(q.achievable, thousands(q.achievable)),
                n(q.covered_before, thousands(q.covered_before)),
                n(q.covered_after, thousands(q.covered_after)),
                met(Some(q.met)),
            ],
        );
    }
    h.push_str(&tb.end());
    let _ = writeln!(
        h,
        "<h3>Township centres some operator does not cover ({})</h3>",
        r.township_centres_uncovered.len()
    );
    if !r.township_centres_uncovered.is_empty() {
        let mut tb = Table::new(
            "townships",
            &[
                "code",
                "name",
                "district",
                "operators",
                "why",
                "search ring",
            ],
        );
        for x in &r.township_centres_uncovered {
            tb.row(
                &x.code,
                &[
                    t(&x.code),
                    t(&x.name),
                    t(&district_name(r, &x.county_adcode)),
                    t(&x.operators.join(", ")),
                    t(&x.why),
                    t(x.search_ring.as_deref().unwrap_or("")),
                ],
            );
        }
        h.push_str(&tb.end());
    }

    // Radio and inputs.
    h.push_str("<h2 id=\"radio\">Radio models</h2>\n");
    let mut tb = Table::new("radio", &["operator", "model"]);
    for (op, m) in &r.radio_models {
        tb.row(op, &[t(op), t(m)]);
    }
    h.push_str(&tb.end());
    h.push_str("<h2 id=\"inputs\">Inputs</h2>\n");
    let mut tb = Table::new("inputs", &["layer", "file", "features", "SHA-256"]);
    for i in &r.inputs {
        let files = if i.files.is_empty() {
            String::new()
        } else {
            format!(" ({})", i.files.join(", "))
        };
        tb.row(
            &i.layer,
            &[
                t(&i.layer),
                t(&format!("{}{files}", i.file)),
                c(i.features),
                Cell(format!("<td class=\"mono\">{}</td>", esc(&i.sha256))),
            ],
        );
    }
    h.push_str(&tb.end());
    h.push_str("<h2 id=\"notes\">Notes</h2>\n<ul class=\"notes\">\n");
    for x in &r.notes {
        let _ = writeln!(h, "<li>{}</li>", esc(x));
    }
    h.push_str("</ul>\n");
    let _ = writeln!(h, "<p class=\"hint\">{}</p>", esc(&layers.attribution));
    let _ = write!(h, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    Ok(h)
}

fn district_name(r: &Report, adcode: &str) -> String {
    r.by_district
        .get(adcode)
        .map(|d| format!("{} ({adcode})", d.name))
        .unwrap_or_else(|| adcode.to_string())
}

/// One operator's coverage map: the raster under the district outlines and
/// the search rings.
fn coverage_svg(layers: &MapLayers, op: Operator) -> Result<String, MapError> {
    let Some(grid) = &layers.coverage else {
        return Ok(String::new());
    };
    let bounds = layers.bounds().ok_or(MapError::Empty)?;
    let f = Frame::fit(bounds, 0.02, 4.0, 30.0, 440.0);
    let (w, hgt) = (f.width + 8.0, f.height + 36.0);
    let p = format!("c-{}", op.code());
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg class=\"map\" id=\"{p}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\"><rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/><text x=\"4\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{op}</text>",
        w = num(w),
        h = num(hgt),
        op = op.code()
    );
    let _ = writeln!(
        s,
        "<defs><clipPath id=\"{p}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs><g clip-path=\"url(#{p}-clip)\"><g class=\"zoom\">",
        num(f.left),
        num(f.top),
        num(f.width),
        num(f.height)
    );
    let [x0, y0] = f.px(grid.west, grid.north);
    let _ = writeln!(
        s,
        "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{}\"/>",
        num(x0),
        num(y0),
        num(grid.cols as f64 * grid.cell_m * f.scale),
        num(grid.rows as f64 * grid.cell_m * f.scale),
        base64::encode(&grid.png(op)?)
    );
    s.push_str("<g fill=\"none\" stroke=\"#555\" stroke-width=\"0.6\">");
    for d in &layers.districts {
        let path = f.path(&d.geometry, 0.8);
        if !path.is_empty() {
            let _ = write!(
                s,
                "<path d=\"{path}\" vector-effect=\"non-scaling-stroke\"><title>{} {}</title></path>",
                esc(&d.name),
                esc(&d.adcode)
            );
        }
    }
    s.push_str(
        "</g><g fill=\"none\" stroke=\"#ff7f00\" stroke-opacity=\"0.8\" stroke-width=\"0.6\">",
    );
    for r in &layers.rings {
        let [x, y] = f.px(r.xy[0], r.xy[1]);
        let _ = write!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" vector-effect=\"non-scaling-stroke\"/>",
            num(x),
            num(y),
            num((r.radius_m * f.scale).max(0.8))
        );
    }
    s.push_str("</g></g></g></svg>\n");
    Ok(s)
}
