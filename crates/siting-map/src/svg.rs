//! The map as SVG: districts, zones, existing sites, the plan's sites by what
//! the plan does there and sized by tenants, search rings; title, legend,
//! scale bar, north arrow and attribution.

use crate::frame::{esc, nice_length, num, Frame};
use crate::layers::{Action, MapLayers};
use crate::MapError;
use siting_model::ZoneClass;
use std::fmt::Write;

/// The fonts the map asks for, first the CJK fonts `scripts/setup.sh` installs.
pub const FONT_FAMILY: &str = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

/// How to draw a map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// The title over the map.
    pub title: String,
    /// A second line under it.
    pub subtitle: String,
    /// Zoom into one district (its index in [`MapLayers::districts`]).
    pub focus: Option<usize>,
    /// Width of the map area, pixels (the legend comes beside it).
    pub width_px: f64,
    /// A file of its own (`<?xml …?>` and the SVG namespace) rather than
    /// SVG inside HTML.
    pub standalone: bool,
    /// Prefix of the element ids (unique per HTML page).
    pub id_prefix: String,
    /// Draw the legend panel.
    pub legend: bool,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            title: "Siting plan".into(),
            subtitle: String::new(),
            focus: None,
            width_px: 1200.0,
            standalone: true,
            id_prefix: "m".into(),
            legend: true,
        }
    }
}

/// Fill, opacity and outline of a zone class.
pub(crate) fn zone_style(c: ZoneClass) -> (&'static str, f64, &'static str) {
    match c {
        ZoneClass::Scenic => ("#74c476", 0.45, "#31a354"),
        ZoneClass::NatureReserve => ("#00a884", 0.40, "#00734c"),
        ZoneClass::Heritage => ("#bf812d", 0.45, "#8c510a"),
        ZoneClass::DenseResidential => ("#fdae6b", 0.50, "#e6550d"),
        ZoneClass::School => ("#9e9ac8", 0.55, "#6a51a3"),
        ZoneClass::Hospital => ("#f768a1", 0.55, "#c51b8a"),
        ZoneClass::Liangjiang => ("none", 0.0, "#6a51a3"),
    }
}

/// The words of a zone class in the legend.
pub(crate) fn zone_label(c: ZoneClass) -> &'static str {
    match c {
        ZoneClass::Scenic => "scenic area (R3)",
        ZoneClass::NatureReserve => "nature reserve (R3)",
        ZoneClass::Heritage => "heritage area (R3)",
        ZoneClass::DenseResidential => "dense residential (R6)",
        ZoneClass::School => "school (R6)",
        ZoneClass::Hospital => "hospital (R6)",
        ZoneClass::Liangjiang => "Liangjiang New Area (R9)",
    }
}

/// Diameter of a plan site's mark for its tenants after the plan, pixels.
pub fn dot_px(tenants: u8) -> f64 {
    match tenants {
        0 | 1 => 2.6,
        2 => 3.8,
        _ => 5.2,
    }
}

pub(crate) const RING_COLOUR: &str = "#ff7f00";
const LEGEND_W: f64 = 300.0;
const PAD: f64 = 16.0;
const TITLE_H: f64 = 64.0;

/// The map of `layers` as an SVG document, one SVG user unit per pixel.
pub fn map_svg(layers: &MapLayers, opt: &MapOptions) -> Result<String, MapError> {
    let bounds = match opt.focus {
        Some(k) => layers.district_bounds(k),
        None => layers.bounds(),
    }
    .ok_or(MapError::Empty)?;
    let frame = Frame::fit(bounds, 0.03, PAD, TITLE_H, opt.width_px);
    // Marks grow where they are few (a district, a small area).
    let big = if opt.focus.is_some() { 1.6 } else { 1.0 }
        * if layers.plan.len() + layers.existing.len() < 2000 {
            2.0
        } else {
            1.0
        };
    let p = &opt.id_prefix;
    let legend_w = if opt.legend { LEGEND_W + PAD } else { 0.0 };
    let width = PAD + frame.width + legend_w + PAD;
    let height = (TITLE_H + frame.height + 44.0).max(if opt.legend { 620.0 } else { 0.0 });
    let mut s = String::new();
    if opt.standalone {
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"",
            w = num(width),
            h = num(height)
        );
    } else {
        let _ = write!(
            s,
            "<svg class=\"map\" id=\"{p}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\"",
            w = num(width),
            h = num(height)
        );
    }
    let _ = writeln!(s, " font-family=\"{}\">", esc(FONT_FAMILY));
    let _ = writeln!(
        s,
        "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(width),
        num(height)
    );
    let _ = writeln!(
        s,
        "<text x=\"{PAD}\" y=\"30\" font-size=\"22\" font-weight=\"bold\" fill=\"#222\">{}</text>",
        esc(&opt.title)
    );
    if !opt.subtitle.is_empty() {
        let _ = writeln!(
            s,
            "<text x=\"{PAD}\" y=\"52\" font-size=\"13\" fill=\"#555\">{}</text>",
            esc(&opt.subtitle)
        );
    }
    let (l, t, w, h) = (frame.left, frame.top, frame.width, frame.height);
    let _ = writeln!(
        s,
        "<defs><clipPath id=\"{p}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>",
        num(l),
        num(t),
        num(w),
        num(h)
    );
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eef3f7\" stroke=\"#999\" stroke-width=\"1\"/>",
        num(l),
        num(t),
        num(w),
        num(h)
    );
    let _ = writeln!(
        s,
        "<g clip-path=\"url(#{p}-clip)\"><g class=\"zoom\" id=\"{p}-zoom\">"
    );
    draw_body(&mut s, layers, &frame, opt.focus, big);
    s.push_str("</g></g>\n");
    north_arrow(&mut s, &frame);
    scale_bar(&mut s, &frame, p);
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555\">{}</text>",
        num(l),
        num(t + h + 16.0),
        esc(&format!(
            "Projection: {} (metric, grid north up). {}",
            layers.metric_crs, layers.attribution
        ))
    );
    if opt.legend {
        legend(&mut s, layers, l + w + PAD, t);
    }
    s.push_str("</svg>\n");
    Ok(s)
}

/// Districts, zones, sites, rings and labels inside the frame.
pub(crate) fn draw_body(
    s: &mut String,
    layers: &MapLayers,
    frame: &Frame,
    focus: Option<usize>,
    big: f64,
) {
    let thin = 0.6;
    s.push_str("<g class=\"districts\" stroke=\"#666\" stroke-width=\"0.8\" stroke-linejoin=\"round\" vector-effect=\"non-scaling-stroke\">\n");
    for (k, d) in layers.districts.iter().enumerate() {
        let fill = match focus {
            Some(f) if f == k => "#ffffff",
            Some(_) => "#f1f1f1",
            None if d.main_urban => "#fff7e6",
            None => "#ffffff",
        };
        let path = frame.path(&d.geometry, thin);
        if path.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<path d=\"{path}\" fill=\"{fill}\" fill-rule=\"evenodd\" vector-effect=\"non-scaling-stroke\" data-adcode=\"{}\"><title>{} {}</title></path>",
            esc(&d.adcode),
            esc(&d.name),
            esc(&d.adcode)
        );
    }
    s.push_str("</g>\n");
    for class in ZoneClass::ALL {
        let (fill, opacity, stroke) = zone_style(class);
        let mut d = String::new();
        for z in layers.zones.iter().filter(|z| z.class == class) {
            d.push_str(&frame.path(&z.geometry, thin));
        }
        if d.is_empty() {
            continue;
        }
        let dash = if class == ZoneClass::Liangjiang {
            " stroke-dasharray=\"6 3\""
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<path class=\"zone-{}\" d=\"{d}\" fill=\"{fill}\" fill-opacity=\"{opacity}\" stroke=\"{stroke}\" stroke-width=\"{}\"{dash} vector-effect=\"non-scaling-stroke\"/>",
            class.code(),
            if class == ZoneClass::Liangjiang { 1.6 } else { 0.6 }
        );
    }
    if let Some(k) = focus {
        if let Some(d) = layers.districts.get(k) {
            let _ = writeln!(
                s,
                "<path d=\"{}\" fill=\"none\" stroke=\"#222\" stroke-width=\"2.2\" vector-effect=\"non-scaling-stroke\"/>",
                frame.path(&d.geometry, thin)
            );
        }
    }
    let pad = 10.0;
    let mut dots = String::new();
    for e in &layers.existing {
        if frame.contains(e.xy[0], e.xy[1], pad) {
            let [x, y] = frame.px(e.xy[0], e.xy[1]);
            let _ = write!(dots, "M{} {}h0", num(x), num(y));
        }
    }
    if !dots.is_empty() {
        let _ = writeln!(
            s,
            "<path class=\"existing\" d=\"{dots}\" stroke=\"#7a7a7a\" stroke-opacity=\"0.55\" stroke-width=\"{}\" stroke-linecap=\"round\" fill=\"none\" vector-effect=\"non-scaling-stroke\"/>",
            num(1.5 * big)
        );
    }
    let mut rings = String::new();
    for r in &layers.rings {
        if frame.contains(r.xy[0], r.xy[1], pad + r.radius_m * frame.scale) {
            let [x, y] = frame.px(r.xy[0], r.xy[1]);
            let _ = write!(
                rings,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}</title></circle>",
                num(x),
                num(y),
                num((r.radius_m * frame.scale).max(2.5)),
                esc(&r.id)
            );
        }
    }
    if !rings.is_empty() {
        let _ = writeln!(
            s,
            "<g class=\"rings\" fill=\"{RING_COLOUR}\" fill-opacity=\"0.15\" stroke=\"{RING_COLOUR}\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\" vector-effect=\"non-scaling-stroke\">{rings}</g>"
        );
    }
    // Overlays under co-locations under new sites; within each, small under large.
    for action in [Action::Overlay, Action::CoLocation, Action::NewSite] {
        for tenants in 1..=3u8 {
            let mut d = String::new();
            for m in layers
                .plan
                .iter()
                .filter(|m| m.action == action && m.tenants_after.clamp(1, 3) == tenants)
            {
                if frame.contains(m.xy[0], m.xy[1], pad) {
                    let [x, y] = frame.px(m.xy[0], m.xy[1]);
                    let _ = write!(d, "M{} {}h0", num(x), num(y));
                }
            }
            if !d.is_empty() {
                let _ = writeln!(
                    s,
                    "<path class=\"plan-{}-{tenants}\" d=\"{d}\" stroke=\"{}\" stroke-width=\"{}\" stroke-linecap=\"round\" fill=\"none\" vector-effect=\"non-scaling-stroke\"/>",
                    match action {
                        Action::NewSite => "new",
                        Action::CoLocation => "coloc",
                        Action::Overlay => "overlay",
                    },
                    action.colour(),
                    num(dot_px(tenants) * big)
                );
            }
        }
    }
    labels(s, layers, frame, focus);
}

/// District names at the centre of each district's largest part.
fn labels(s: &mut String, layers: &MapLayers, frame: &Frame, focus: Option<usize>) {
    s.push_str("<g class=\"labels\" text-anchor=\"middle\" fill=\"#222\" stroke=\"#ffffff\" stroke-width=\"2.6\" paint-order=\"stroke\" stroke-linejoin=\"round\">\n");
    for (k, d) in layers.districts.iter().enumerate() {
        let Some(([cx, cy], area_m2)) = label_point(&d.geometry) else {
            continue;
        };
        if !frame.contains(cx, cy, 0.0) {
            continue;
        }
        let [x, y] = frame.px(cx, cy);
        let side_px = area_m2.sqrt() * frame.scale;
        let size = (side_px / 7.0).clamp(9.0, if focus == Some(k) { 26.0 } else { 15.0 });
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{}>{}</text>",
            num(x),
            num(y + size * 0.35),
            num(size),
            if d.main_urban || focus == Some(k) {
                " font-weight=\"bold\""
            } else {
                ""
            },
            esc(&d.name)
        );
    }
    s.push_str("</g>\n");
}

/// The centroid of a multipolygon's largest exterior ring and that ring's
/// area, metres and m².
pub fn label_point(g: &geo_types::MultiPolygon<f64>) -> Option<([f64; 2], f64)> {
    let mut best: Option<([f64; 2], f64)> = None;
    for p in &g.0 {
        let pts = &p.exterior().0;
        let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
        for w in pts.windows(2) {
            let (x0, y0, x1, y1) = (w[0].x, w[0].y, w[1].x, w[1].y);
            let c = x0 * y1 - x1 * y0;
            a += c;
            cx += (x0 + x1) * c;
            cy += (y0 + y1) * c;
        }
        if a.abs() < f64::EPSILON {
            continue;
        }
        let area = a.abs() / 2.0;
        let c = [cx / (3.0 * a), cy / (3.0 * a)];
        if best.is_none_or(|b| area > b.1) {
            best = Some((c, area));
        }
    }
    best
}

fn north_arrow(s: &mut String, f: &Frame) {
    let (x, y) = (f.left + f.width - 34.0, f.top + 18.0);
    let _ = writeln!(
        s,
        "<g class=\"north\"><rect x=\"{}\" y=\"{}\" width=\"36\" height=\"56\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.85\"/><path d=\"M{} {}L{} {}L{} {}L{} {}Z\" fill=\"#222\"/><path d=\"M{} {}L{} {}L{} {}Z\" fill=\"#ffffff\" stroke=\"#222\" stroke-width=\"1\"/><text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#222\">N</text></g>",
        num(x - 18.0),
        num(y - 8.0),
        num(x),
        num(y + 8.0),
        num(x + 8.0),
        num(y + 38.0),
        num(x),
        num(y + 31.0),
        num(x - 8.0),
        num(y + 38.0),
        num(x),
        num(y + 8.0),
        num(x),
        num(y + 31.0),
        num(x - 8.0),
        num(y + 38.0),
        num(x),
        num(y + 4.0),
    );
}

fn scale_bar(s: &mut String, f: &Frame, p: &str) {
    let len_m = nice_length(f.width * 0.25 / f.scale);
    let len_px = len_m * f.scale;
    let (x, y) = (f.left + 14.0, f.top + f.height - 18.0);
    let label = |m: f64| {
        if len_m >= 1000.0 {
            format!("{} km", num(m / 1000.0))
        } else {
            format!("{} m", num(m))
        }
    };
    let _ = writeln!(
        s,
        "<g class=\"scalebar\" id=\"{p}-scale\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"34\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\"/><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"6\" fill=\"#222\"/><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"6\" fill=\"#ffffff\" stroke=\"#222\" stroke-width=\"1\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#222\">0</text><text class=\"sb\" data-m=\"{}\" x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#222\" text-anchor=\"end\">{}</text></g>",
        num(x - 8.0),
        num(y - 20.0),
        num(len_px + 40.0),
        num(x),
        num(y),
        num(len_px / 2.0),
        num(x + len_px / 2.0),
        num(y),
        num(len_px / 2.0),
        num(x - 3.0),
        num(y - 5.0),
        len_m,
        num(x + len_px + 24.0),
        num(y - 5.0),
        esc(&label(len_m)),
    );
}

fn legend(s: &mut String, layers: &MapLayers, x: f64, y0: f64) {
    let mut y = y0 + 4.0;
    let mut out = String::new();
    let head = |out: &mut String, y: &mut f64, t: &str| {
        *y += 20.0;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">{}</text>",
            num(x),
            num(*y),
            esc(t)
        );
        *y += 6.0;
    };
    let row = |out: &mut String, y: &mut f64, symbol: &dyn Fn(f64) -> String, t: &str| {
        *y += 18.0;
        let symbol = symbol(*y);
        let _ = writeln!(
            out,
            "{symbol}<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#333\">{}</text>",
            num(x + 30.0),
            num(*y + 4.0),
            esc(t)
        );
    };
    let dot = |y: f64, colour: &str, d: f64| {
        format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\"/>",
            num(x + 12.0),
            num(y),
            num(d / 2.0 * 1.6)
        )
    };
    let box_ = |y: f64, fill: &str, opacity: f64, stroke: &str, dash: bool| {
        format!(
            "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"12\" fill=\"{fill}\" fill-opacity=\"{opacity}\" stroke=\"{stroke}\" stroke-width=\"1\"{}/>",
            num(x + 1.0),
            num(y - 6.0),
            if dash { " stroke-dasharray=\"4 2\"" } else { "" }
        )
    };
    head(&mut out, &mut y, "The plan's sites");
    for a in Action::ALL {
        let n = layers.plan.iter().filter(|m| m.action == a).count();
        row(
            &mut out,
            &mut y,
            &|yy| dot(yy, a.colour(), dot_px(2)),
            &format!("{} ({})", a.label(), thousands(n)),
        );
    }
    for t in 1..=3u8 {
        row(
            &mut out,
            &mut y,
            &|yy| dot(yy, "#666", dot_px(t)),
            &format!("{t} tenant{} after the plan", if t == 1 { "" } else { "s" }),
        );
    }
    head(&mut out, &mut y, "Before the plan");
    row(
        &mut out,
        &mut y,
        &|yy| dot(yy, "#8a8a8a", 1.5),
        &format!("existing site ({})", thousands(layers.existing.len())),
    );
    if !layers.rings.is_empty() {
        row(
            &mut out,
            &mut y,
            &|yy| {
                format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"{RING_COLOUR}\" fill-opacity=\"0.15\" stroke=\"{RING_COLOUR}\" stroke-dasharray=\"3 2\"/>",
                    num(x + 12.0),
                    num(yy)
                )
            },
            &format!("search ring ({})", thousands(layers.rings.len())),
        );
    }
    head(&mut out, &mut y, "Zones");
    for class in ZoneClass::ALL {
        if !layers.zones.iter().any(|z| z.class == class) {
            continue;
        }
        let (fill, opacity, stroke) = zone_style(class);
        row(
            &mut out,
            &mut y,
            &|yy| box_(yy, fill, opacity, stroke, class == ZoneClass::Liangjiang),
            zone_label(class),
        );
    }
    head(&mut out, &mut y, "Districts");
    row(
        &mut out,
        &mut y,
        &|yy| box_(yy, "#ffffff", 1.0, "#666", false),
        &format!("district or county ({})", layers.districts.len()),
    );
    if layers.districts.iter().any(|d| d.main_urban) {
        row(
            &mut out,
            &mut y,
            &|yy| box_(yy, "#fff7e6", 1.0, "#666", false),
            "main urban area (bold name)",
        );
    }
    s.push_str("<g class=\"legend\">\n");
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#fafafa\" stroke=\"#ccc\"/>",
        num(x - 10.0),
        num(y0),
        num(LEGEND_W),
        num(y - y0 + 16.0)
    );
    s.push_str(&out);
    s.push_str("</g>\n");
}

/// A count with thousands separators.
pub(crate) fn thousands(n: usize) -> String {
    siting_plan::markdown::thousands(n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::{ExistingMark, PlanMark, RingMark};
    use geo_types::{polygon, MultiPolygon};
    use siting_model::{District, Zone};

    pub(crate) fn sample() -> MapLayers {
        let square = |x0: f64, y0: f64, s: f64| {
            MultiPolygon(vec![polygon![
                (x: x0, y: y0), (x: x0 + s, y: y0), (x: x0 + s, y: y0 + s), (x: x0, y: y0 + s), (x: x0, y: y0)
            ]])
        };
        MapLayers {
            metric_crs: "EPSG:4545".into(),
            districts: vec![
                District {
                    adcode: "500112".into(),
                    name: "渝北区".into(),
                    main_urban: true,
                    geometry: square(0.0, 0.0, 10_000.0),
                },
                District {
                    adcode: "500113".into(),
                    name: "巴南区".into(),
                    main_urban: false,
                    geometry: square(10_000.0, 0.0, 10_000.0),
                },
            ],
            zones: vec![Zone {
                id: "z".into(),
                class: ZoneClass::Scenic,
                name: None,
                geometry: square(1000.0, 1000.0, 2000.0),
                building_height_m: None,
            }],
            existing: vec![ExistingMark {
                xy: [5000.0, 5000.0],
                tenants: 1,
            }],
            plan: vec![
                PlanMark {
                    xy: [6000.0, 5000.0],
                    action: Action::NewSite,
                    tenants_after: 2,
                    adcode: "500112".into(),
                },
                PlanMark {
                    xy: [15000.0, 5000.0],
                    action: Action::Overlay,
                    tenants_after: 1,
                    adcode: "500113".into(),
                },
            ],
            rings: vec![RingMark {
                id: "ring-001".into(),
                xy: [12_000.0, 8000.0],
                radius_m: 800.0,
            }],
            coverage: None,
            attribution: "test data".into(),
        }
    }

    #[test]
    fn map_has_every_part() {
        let svg = map_svg(&sample(), &MapOptions::default()).unwrap();
        for part in [
            "渝北区",
            "巴南区",
            "class=\"north\"",
            "class=\"scalebar\"",
            "class=\"legend\"",
            "plan-new-2",
            "plan-overlay-1",
            "zone-scenic",
            "ring-001",
            "EPSG:4545",
            "test data",
            "xmlns=",
        ] {
            assert!(svg.contains(part), "{part}");
        }
        assert_eq!(
            svg,
            map_svg(&sample(), &MapOptions::default()).unwrap(),
            "deterministic"
        );
    }

    #[test]
    fn focus_drops_what_is_outside() {
        let opt = MapOptions {
            focus: Some(1),
            standalone: false,
            ..MapOptions::default()
        };
        let svg = map_svg(&sample(), &opt).unwrap();
        assert!(!svg.contains("xmlns"));
        assert!(svg.contains("plan-overlay-1"));
        assert!(
            !svg.contains("plan-new-2"),
            "the new site lies 4 km west of the frame"
        );
    }

    #[test]
    fn label_point_of_a_square() {
        let g = MultiPolygon(vec![
            polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0)],
        ]);
        assert_eq!(label_point(&g), Some(([1.0, 1.0], 4.0)));
    }
}
