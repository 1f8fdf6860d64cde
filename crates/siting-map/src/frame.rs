//! From metres to the picture: a north-up frame, paths and numbers.

use geo_types::{LineString, MultiPolygon};
use std::fmt::Write;

/// Metric bounds drawn into a pixel rectangle at one scale, north up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Metric point at the rectangle's top-left corner: x, y (metres).
    pub origin: [f64; 2],
    /// Pixels per metre.
    pub scale: f64,
    /// Left edge of the rectangle, pixels.
    pub left: f64,
    /// Top edge of the rectangle, pixels.
    pub top: f64,
    /// Width of the rectangle, pixels.
    pub width: f64,
    /// Height of the rectangle, pixels.
    pub height: f64,
}

impl Frame {
    /// The frame that fits `bounds` (`[min_x, min_y, max_x, max_y]`, metres,
    /// with `margin` of its size around it) into `width` pixels, at the top
    /// left corner (`left`, `top`); the height follows from the aspect.
    pub fn fit(bounds: [f64; 4], margin: f64, left: f64, top: f64, width: f64) -> Frame {
        let (w, h) = (
            (bounds[2] - bounds[0]).max(1.0),
            (bounds[3] - bounds[1]).max(1.0),
        );
        let (mx, my) = (w * margin, h * margin);
        let scale = width / (w + 2.0 * mx);
        Frame {
            origin: [bounds[0] - mx, bounds[3] + my],
            scale,
            left,
            top,
            width,
            height: ((h + 2.0 * my) * scale).ceil(),
        }
    }

    /// A metric point in pixels.
    pub fn px(&self, x: f64, y: f64) -> [f64; 2] {
        [
            self.left + (x - self.origin[0]) * self.scale,
            self.top + (self.origin[1] - y) * self.scale,
        ]
    }

    /// Whether a metric point lies within the frame, with `pad` pixels around.
    pub fn contains(&self, x: f64, y: f64, pad: f64) -> bool {
        let [px, py] = self.px(x, y);
        px >= self.left - pad
            && px <= self.left + self.width + pad
            && py >= self.top - pad
            && py <= self.top + self.height + pad
    }

    /// The SVG path data of a multipolygon (every ring closed), its vertices
    /// thinned to at least `min_px` apart; rings that shrink below three
    /// points are left out.
    pub fn path(&self, geometry: &MultiPolygon<f64>, min_px: f64) -> String {
        let mut d = String::new();
        for p in &geometry.0 {
            self.ring(&mut d, p.exterior(), min_px);
            for i in p.interiors() {
                self.ring(&mut d, i, min_px);
            }
        }
        d
    }

    fn ring(&self, d: &mut String, ring: &LineString<f64>, min_px: f64) {
        let mut kept: Vec<[f64; 2]> = Vec::new();
        for c in &ring.0 {
            let p = self.px(c.x, c.y);
            if kept
                .last()
                .is_none_or(|q| (p[0] - q[0]).hypot(p[1] - q[1]) >= min_px)
            {
                kept.push(p);
            }
        }
        if kept.len() < 3 {
            return;
        }
        for (i, p) in kept.iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {}",
                if i == 0 { 'M' } else { 'L' },
                num(p[0]),
                num(p[1])
            );
        }
        d.push('Z');
    }
}

/// A pixel figure with one decimal, without a trailing `.0` (`12.5`, `3`).
pub fn num(v: f64) -> String {
    let s = format!("{:.1}", v);
    let s = s.strip_suffix(".0").map(str::to_string).unwrap_or(s);
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Text safe inside XML and HTML (`&`, `<`, `>`, `"`, `'` escaped).
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A round length for a scale bar of at most `max_m` metres: 1, 2 or 5 × 10ⁿ.
pub fn nice_length(max_m: f64) -> f64 {
    if !(max_m.is_finite() && max_m > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * p)
        .find(|l| *l <= max_m)
        .unwrap_or(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn fits_north_up() {
        let f = Frame::fit([0.0, 0.0, 1000.0, 500.0], 0.0, 10.0, 20.0, 100.0);
        assert_eq!(f.scale, 0.1);
        assert_eq!(f.height, 50.0);
        assert_eq!(f.px(0.0, 500.0), [10.0, 20.0]);
        assert_eq!(f.px(1000.0, 0.0), [110.0, 70.0]);
        assert!(f.contains(500.0, 250.0, 0.0));
        assert!(!f.contains(2000.0, 250.0, 5.0));
    }

    #[test]
    fn paths_thin_and_close() {
        let f = Frame::fit([0.0, 0.0, 100.0, 100.0], 0.0, 0.0, 0.0, 100.0);
        let mp = MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 0.01, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 0.0)
        ]]);
        assert_eq!(f.path(&mp, 0.5), "M0 100L100 100L100 0L0 100Z");
        let tiny = MultiPolygon(vec![
            polygon![(x: 0.0, y: 0.0), (x: 0.1, y: 0.0), (x: 0.1, y: 0.1)],
        ]);
        assert_eq!(f.path(&tiny, 0.5), "");
    }

    #[test]
    fn numbers_and_escapes() {
        assert_eq!(num(12.04), "12");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(3.26), "3.3");
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(nice_length(73_000.0), 50_000.0);
        assert_eq!(nice_length(1_900.0), 1_000.0);
        assert_eq!(nice_length(2_500.0), 2_000.0);
    }
}
