//! QGIS styles (QML) for the layers of `plan.gpkg`, in the colours of
//! `map.svg`: the GeoPackage stores them in its `layer_styles` table, which
//! QGIS reads as each layer's default style.
//!
//! Each function returns a whole QML document (`<!DOCTYPE qgis …>`) holding
//! the renderer alone (style category "Symbology"). Sizes are millimetres on
//! the screen, widths of outlines too.

use crate::layers::Action;
use crate::svg::{dot_px, zone_label, zone_style, RING_COLOUR};
use siting_model::ZoneClass;

/// `#rrggbb` and an opacity (0–1) as QGIS's `r,g,b,a` colour.
fn rgba(hex: &str, opacity: f64) -> String {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    let a = (opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!("{},{},{},{a}", c(0), c(2), c(4))
}

/// Escapes `&`, `<`, `>` and `"` for an XML attribute.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn document(renderer: &str) -> String {
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
         <qgis version=\"3.28.0-Firenze\" styleCategories=\"Symbology\">\n{renderer}</qgis>\n"
    )
}

fn props(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("          <prop k=\"{k}\" v=\"{}\"/>\n", xml(v)))
        .collect()
}

/// A data-defined property of a symbol layer: `name` from `expression`.
fn data_defined(name: &str, expression: &str) -> String {
    format!(
        "          <data_defined_properties>\n\
         \x20           <Option type=\"Map\">\n\
         \x20             <Option name=\"name\" type=\"QString\" value=\"\"/>\n\
         \x20             <Option name=\"properties\" type=\"Map\">\n\
         \x20               <Option name=\"{name}\" type=\"Map\">\n\
         \x20                 <Option name=\"active\" type=\"bool\" value=\"true\"/>\n\
         \x20                 <Option name=\"expression\" type=\"QString\" value=\"{}\"/>\n\
         \x20                 <Option name=\"type\" type=\"int\" value=\"3\"/>\n\
         \x20               </Option>\n\
         \x20             </Option>\n\
         \x20             <Option name=\"type\" type=\"QString\" value=\"collection\"/>\n\
         \x20           </Option>\n\
         \x20         </data_defined_properties>\n",
        xml(expression)
    )
}

/// A marker symbol: a `shape` (`circle`, `cross2`, …) of `size` mm.
fn marker(name: &str, shape: &str, fill: &str, outline: &str, size: f64, extra: &str) -> String {
    format!(
        "      <symbol type=\"marker\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n\
         \x20       <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n{}{extra}\x20       </layer>\n\
         \x20     </symbol>\n",
        props(&[
            ("name", shape.into()),
            ("color", fill.into()),
            ("outline_color", outline.into()),
            ("outline_style", "solid".into()),
            ("outline_width", "0.2".into()),
            ("outline_width_unit", "MM".into()),
            ("size", format!("{size}")),
            ("size_unit", "MM".into()),
            ("scale_method", "diameter".into()),
        ])
    )
}

/// A fill symbol: `fill` (`None` for no brush), outline `outline` of `width` mm.
fn fill(name: &str, fill: Option<&str>, outline: &str, width: f64, dashed: bool) -> String {
    format!(
        "      <symbol type=\"fill\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n\
         \x20       <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n{}\x20       </layer>\n\
         \x20     </symbol>\n",
        props(&[
            ("color", fill.unwrap_or("0,0,0,0").into()),
            (
                "style",
                if fill.is_some() { "solid" } else { "no" }.into()
            ),
            ("outline_color", outline.into()),
            (
                "outline_style",
                if dashed { "dash" } else { "solid" }.into()
            ),
            ("outline_width", format!("{width}")),
            ("outline_width_unit", "MM".into()),
            ("joinstyle", "round".into()),
        ])
    )
}

/// A categorised renderer on `attr`: each category's value, label and symbol.
fn categorised(attr: &str, categories: &[(&str, &str, String)]) -> String {
    let mut s = format!(
        "  <renderer-v2 type=\"categorizedSymbol\" attr=\"{}\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n    <categories>\n",
        xml(attr)
    );
    for (i, (value, label, _)) in categories.iter().enumerate() {
        s.push_str(&format!(
            "      <category symbol=\"{i}\" value=\"{}\" label=\"{}\" render=\"true\"/>\n",
            xml(value),
            xml(label)
        ));
    }
    s.push_str("    </categories>\n    <symbols>\n");
    for (i, (_, _, symbol)) in categories.iter().enumerate() {
        s.push_str(&symbol.replacen("name=\"\"", &format!("name=\"{i}\""), 1));
    }
    s.push_str("    </symbols>\n  </renderer-v2>\n");
    s
}

fn single(symbol: String) -> String {
    format!(
        "  <renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\">\n    <symbols>\n{}    </symbols>\n  </renderer-v2>\n",
        symbol.replacen("name=\"\"", "name=\"0\"", 1)
    )
}

/// Pixels of `map.svg` to millimetres on screen (about 0.55 mm per pixel
/// keeps the marks as legible at QGIS's default scale).
fn mm(px: f64) -> f64 {
    (px * 0.55 * 100.0).round() / 100.0
}

/// `sites`: categorised by `action` (`new_site`, `co_location`, `overlay`,
/// the colours of `map.svg`), each mark sized by `tenants_after_count`
/// (1–3 tenants once the plan is built).
pub fn sites_qml() -> String {
    let size = format!(
        "CASE WHEN \"tenants_after_count\" >= 3 THEN {} WHEN \"tenants_after_count\" = 2 THEN {} ELSE {} END",
        mm(dot_px(3)),
        mm(dot_px(2)),
        mm(dot_px(1))
    );
    let cats: Vec<(&str, &str, String)> = Action::ALL
        .iter()
        .map(|a| {
            (
                a.code(),
                a.label(),
                marker(
                    "",
                    "circle",
                    &rgba(a.colour(), 1.0),
                    "255,255,255,255",
                    mm(dot_px(1)),
                    &data_defined("size", &size),
                ),
            )
        })
        .collect();
    document(&categorised("action", &cats))
}

/// `zones`: categorised by `class`, the fills and outlines of `map.svg`
/// (the Liangjiang New Area as a dashed outline).
pub fn zones_qml() -> String {
    let cats: Vec<(&str, &str, String)> = ZoneClass::ALL
        .iter()
        .map(|c| {
            let (f, opacity, stroke) = zone_style(*c);
            let brush = (f != "none").then(|| rgba(f, opacity));
            (
                c.code(),
                zone_label(*c),
                fill(
                    "",
                    brush.as_deref(),
                    &rgba(stroke, 1.0),
                    if *c == ZoneClass::Liangjiang {
                        0.6
                    } else {
                        0.3
                    },
                    *c == ZoneClass::Liangjiang,
                ),
            )
        })
        .collect();
    document(&categorised("class", &cats))
}

/// `districts`: grey outlines, no fill, labelled with `name`.
pub fn districts_qml() -> String {
    let renderer = single(fill("", None, "102,102,102,255", 0.4, false));
    let labels = "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n      <text-style fieldName=\"name\" isExpression=\"0\" fontSize=\"9\" fontSizeUnit=\"Point\" textColor=\"34,34,34,255\" textOpacity=\"1\">\n        <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"1\"/>\n      </text-style>\n      <placement placement=\"1\" offsetType=\"0\"/>\n      <rendering obstacle=\"1\" displayAll=\"0\"/>\n    </settings>\n  </labeling>\n";
    document(&format!("{renderer}{labels}"))
}

/// `excluded`: crosses, red for candidates a hard rule excludes (`origin`
/// `new`), grey for existing sites it keeps new antennas off.
pub fn excluded_qml() -> String {
    let cats = [
        (
            "new",
            "candidate excluded by a hard rule",
            marker("", "cross2", "215,48,31,255", "215,48,31,255", 2.4, ""),
        ),
        (
            "existing",
            "existing site closed to new antennas",
            marker("", "cross2", "120,120,120,255", "120,120,120,255", 2.0, ""),
        ),
    ];
    document(&categorised("origin", &cats))
}

/// `search_rings`: the rings of `map.svg`, orange, lightly filled, dashed.
pub fn search_rings_qml() -> String {
    document(&single(fill(
        "",
        Some(&rgba(RING_COLOUR, 0.15)),
        &rgba(RING_COLOUR, 1.0),
        0.4,
        true,
    )))
}

/// Demand points (the opt-in `covered_demand` and `uncovered_demand`
/// layers): small dots, green where covered, red where not.
pub fn demand_qml(covered: bool) -> String {
    let colour = if covered {
        "47,158,68,255"
    } else {
        "215,48,31,255"
    };
    document(&single(marker("", "circle", colour, "0,0,0,0", 0.8, "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_convert() {
        assert_eq!(rgba("#d7301f", 1.0), "215,48,31,255");
        assert_eq!(rgba("#ff7f00", 0.15), "255,127,0,38");
    }

    #[test]
    fn styles_are_documents_with_their_renderer() {
        let s = sites_qml();
        assert!(s.starts_with("<!DOCTYPE qgis"), "{s}");
        assert!(s.contains("type=\"categorizedSymbol\" attr=\"action\""));
        for a in Action::ALL {
            assert!(s.contains(&format!("value=\"{}\"", a.code())), "{s}");
        }
        assert!(s.contains("&quot;tenants_after_count&quot;"), "{s}");
        let z = zones_qml();
        for c in ZoneClass::ALL {
            assert!(z.contains(&format!("value=\"{}\"", c.code())), "{z}");
        }
        assert!(districts_qml().contains("fieldName=\"name\""));
        assert!(excluded_qml().contains("attr=\"origin\""));
        assert!(search_rings_qml().contains("singleSymbol"));
        // Every symbol a category points at exists: names 0..n.
        assert_eq!(s.matches("<category ").count(), 3);
        for i in 0..3 {
            assert!(s.contains(&format!("<symbol type=\"marker\" name=\"{i}\"")));
        }
    }
}
