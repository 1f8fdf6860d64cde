//! `report.html`, `map.svg`, `map.png` and `siting map` on the small fixture:
//! the page is self-contained and its tables hold report.json's figures; the
//! pictures decode at their size; a district can be zoomed into by name or
//! adcode, and an unknown one is named with its near matches.

mod common;

use common::{fixture, json, plan, siting};
use serde_json::Value;
use std::path::Path;

fn run_small(out: &Path) {
    let o = plan(&fixture("small/plan.toml"), out, &["-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The `data-v` figures of the row `key` of table `class`.
fn row(html: &str, class: &str, key: &str) -> Vec<Option<f64>> {
    let start = html
        .find(&format!("<table class=\"{class}\">"))
        .unwrap_or_else(|| panic!("table {class}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let tag = format!("<tr data-key=\"{key}\">");
    let r = table
        .find(&tag)
        .unwrap_or_else(|| panic!("row {key} of table {class}"));
    let row = &table[r..r + table[r..].find("</tr>").unwrap()];
    row.split("data-v=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse::<f64>().ok())
        .collect()
}

/// Asserts that row `key` of `class` holds `v` (to 1e-12 relative: serde_json
/// parses floats to within an ulp).
fn holds(html: &str, class: &str, key: &str, v: &Value) {
    let want = v
        .as_f64()
        .unwrap_or_else(|| panic!("{class}/{key}: {v} is a number"));
    let got = row(html, class, key);
    assert!(
        got.iter()
            .flatten()
            .any(|g| (g - want).abs() <= 1e-12 * want.abs().max(1.0)),
        "table {class}, row {key}: {want} not among {got:?}"
    );
}

#[test]
fn report_html_is_self_contained_and_holds_the_report() {
    let d = tempfile::tempdir().unwrap();
    run_small(d.path());
    let html = std::fs::read_to_string(d.path().join("report.html")).unwrap();
    let r = json(&d.path().join("report.json"));

    // No external reference: data: URIs are the only embedded resources.
    let mut bare = String::new();
    for (i, part) in html.split("data:image/png;base64,").enumerate() {
        bare.push_str(if i == 0 {
            part
        } else {
            &part[part.find('"').unwrap()..]
        });
    }
    for bad in [
        "http:",
        "https:",
        "//",
        "<script src",
        "<link",
        " src=",
        "url(http",
        "@import",
    ] {
        assert!(!bare.contains(bad), "report.html holds {bad:?}");
    }
    assert!(
        html.matches("data:image/png;base64,").count() == 3,
        "a coverage raster per operator"
    );
    assert!(html.contains("<svg class=\"map\" id=\"m\""));

    for t in r["targets"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        holds(&html, "targets", id, &t["value"]);
        holds(&html, "targets", id, &t["required_value"]);
        let met = match &t["met"] {
            Value::Bool(b) => b.to_string(),
            _ => "null".into(),
        };
        assert!(html.contains(&format!("data-met=\"{met}\"")));
    }
    for key in [
        "new_sites.total",
        "new_4g_stations.total",
        "new_4g_stations.by_way.overlay",
        "new_4g_stations.by_way.co_location",
        "new_4g_stations.by_way.new_site",
        "lte_stations_total.after",
        "sharing.rate_before",
        "sharing.rate_after",
        "investment_yuan.infrastructure",
        "investment_yuan.equipment",
        "investment_yuan.total",
    ] {
        let v = key.split('.').fold(&r, |v, k| &v[k]);
        holds(&html, "figures", key, v);
    }
    let districts = r["by_district"].as_object().unwrap();
    assert_eq!(districts.len(), 2);
    for (adcode, row) in districts {
        for f in [
            "residents",
            "new_sites",
            "new_4g_stations",
            "sites_after",
            "shared_after",
            "sharing_rate_after",
            "investment_yuan",
            "equipment_yuan",
        ] {
            holds(&html, "districts", adcode, &row[f]);
        }
        for op in ["CMCC", "CUCC", "CTCC"] {
            holds(&html, "districts", adcode, &row["coverage_share_after"][op]);
        }
        assert!(html.contains(row["name"].as_str().unwrap()));
    }
    for (op, c) in r["coverage"].as_object().unwrap() {
        for f in [
            "residents",
            "covered_before",
            "covered_after",
            "share_after",
            "main_urban_share_after",
        ] {
            holds(&html, "coverage", op, &c[f]);
        }
    }
    for p in r["by_phase"].as_array().unwrap() {
        let year = p["year"].to_string();
        for f in [
            "sites",
            "new_sites",
            "new_4g_stations",
            "investment_yuan",
            "equipment_yuan",
        ] {
            holds(&html, "phases", &year, &p[f]);
        }
    }
    for x in r["rule_counts"].as_array().unwrap() {
        let id = x["id"].as_str().unwrap();
        holds(&html, "rules", id, &x["sites"]);
        holds(&html, "rules", id, &x["candidates_excluded"]);
    }
    holds(&html, "objective", "value", &r["objective"]["value"]);
    holds(&html, "objective", "bound", &r["objective"]["bound"]);
    if r["optimality_gap"].is_number() {
        holds(&html, "objective", "gap", &r["optimality_gap"]);
    }
    holds(&html, "costs", "total", &r["investment_yuan"]["total"]);
    for i in r["inputs"].as_array().unwrap() {
        assert!(html.contains(i["sha256"].as_str().unwrap()), "input {i}");
    }
    assert_eq!(
        html.matches("<tr data-key=\"ring-").count(),
        r["search_rings"]
            .as_array()
            .unwrap()
            .len()
            .min(siting_map::html::RINGS_LISTED)
    );
}

#[test]
fn map_png_and_svg_decode_at_their_size_with_every_district() {
    let d = tempfile::tempdir().unwrap();
    run_small(d.path());
    let svg = std::fs::read_to_string(d.path().join("map.svg")).unwrap();
    let (w, h) = siting_map::svg_size(&svg).expect("map.svg parses");
    assert!(w > 1000 && h > 500, "{w} × {h}");
    let png = std::fs::read(d.path().join("map.png")).unwrap();
    assert_eq!(siting_map::png_size(&png).expect("map.png decodes"), (w, h));
    for part in [
        "甲区",
        "乙县",
        "class=\"scalebar\"",
        "class=\"north\"",
        "class=\"legend\"",
        "EPSG:",
        "Data:",
    ] {
        assert!(svg.contains(part), "map.svg lacks {part}");
    }
}

#[test]
fn coverage_rasters_open_in_gdalinfo() {
    let d = tempfile::tempdir().unwrap();
    run_small(d.path());
    for op in ["CMCC", "CUCC", "CTCC"] {
        let tif = d.path().join(format!("coverage_{op}.tif"));
        let o = std::process::Command::new("gdalinfo")
            .arg(&tif)
            .output()
            .expect("gdalinfo (gdal-bin) is installed by scripts/setup.sh");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8_lossy(&o.stdout);
        for part in [
            "Driver: GTiff",
            "Size is ",
            "Gauss-Kruger",
            "Type=Byte",
            "NoData Value=0",
            "Color Table",
        ] {
            assert!(text.contains(part), "{op}: {part} not in {text}");
        }
    }
}

#[test]
fn siting_map_zooms_into_a_district_by_name_or_adcode() {
    let d = tempfile::tempdir().unwrap();
    run_small(d.path());
    let cfg = fixture("small/plan.toml");
    let svg_out = d.path().join("zoom.svg");
    let o = siting()
        .args(["-q", "map", "--plan"])
        .arg(d.path())
        .arg("--config")
        .arg(&cfg)
        .args(["--district", "乙县", "--out"])
        .arg(&svg_out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(&svg_out).unwrap();
    assert!(
        svg.contains("乙县 (500902)"),
        "the title names the district"
    );
    siting_map::svg_size(&svg).unwrap();

    let png_out = d.path().join("zoom.png");
    let o = siting()
        .args(["-q", "map", "--plan"])
        .arg(d.path())
        .arg("--config")
        .arg(&cfg)
        .args(["--district", "500901", "--out"])
        .arg(&png_out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    siting_map::png_size(&std::fs::read(&png_out).unwrap()).unwrap();

    let o = siting()
        .args(["-q", "map", "--plan"])
        .arg(d.path())
        .arg("--config")
        .arg(&cfg)
        .args(["--district", "丙区", "--out"])
        .arg(d.path().join("x.png"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("丙区") && e.contains("甲区 (500901)"), "{e}");
    assert!(!d.path().join("x.png").exists());

    let o = siting()
        .args(["-q", "map", "--plan"])
        .arg(d.path())
        .arg("--config")
        .arg(&cfg)
        .args(["--out"])
        .arg(d.path().join("x.jpg"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains(".svg or .png"));
}
