//! An SVG rasterised to PNG with `resvg`, its text in a CJK font loaded from
//! a file.

use crate::MapError;
use std::path::{Path, PathBuf};

/// Where the CJK fonts live on Debian, in order of preference: WenQuanYi
/// Micro Hei (`fonts-wqy-microhei`, which `scripts/setup.sh` installs;
/// Apache-2.0 or GPL-3 with the font exception), then Noto Sans CJK
/// (`fonts-noto-cjk`, SIL OFL 1.1).
pub const CJK_FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
];

/// The first of [`CJK_FONTS`] that exists.
pub fn find_cjk_font() -> Option<PathBuf> {
    CJK_FONTS.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Renders `svg` to a PNG at its own size (one pixel per SVG unit) times
/// `zoom`, on white, with the faces of `font` (a TrueType/OpenType file or
/// collection) for its text; without a font, text is left out.
pub fn render_png(svg: &str, font: Option<&Path>, zoom: f32) -> Result<Vec<u8>, MapError> {
    let mut opt = resvg::usvg::Options::default();
    if let Some(path) = font {
        let data = std::fs::read(path).map_err(|e| MapError::Font {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let db = opt.fontdb_mut();
        db.load_font_data(data);
        let family = db
            .faces()
            .next()
            .and_then(|f| f.families.first().map(|(name, _)| name.clone()));
        if let Some(family) = family {
            opt.font_family = family;
        }
    }
    let tree = resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| MapError::Svg(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(zoom)
        .ok_or_else(|| MapError::Svg(format!("zoom {zoom}")))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| MapError::Png(format!("a {} × {} picture", size.width(), size.height())))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(zoom, zoom),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| MapError::Png(e.to_string()))
}

/// Width and height of a PNG, pixels, once it decodes whole.
pub fn png_size(bytes: &[u8]) -> Result<(u32, u32), MapError> {
    let p =
        resvg::tiny_skia::Pixmap::decode_png(bytes).map_err(|e| MapError::Png(e.to_string()))?;
    Ok((p.width(), p.height()))
}

/// Width and height an SVG document renders at, pixels (rounded up), once
/// it parses.
pub fn svg_size(svg: &str) -> Result<(u32, u32), MapError> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
        .map_err(|e| MapError::Svg(e.to_string()))?;
    let s = tree.size().to_int_size();
    Ok((s.width(), s.height()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect x=\"0\" y=\"0\" width=\"20\" height=\"20\" fill=\"#ff0000\"/><text x=\"22\" y=\"15\" font-size=\"14\">渝</text></svg>";

    #[test]
    fn renders_at_its_size_and_zoom() {
        let png = render_png(SVG, None, 1.0).unwrap();
        let p = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!((p.width(), p.height()), (40, 20));
        assert_eq!(png_size(&png).unwrap(), (40, 20));
        assert_eq!(svg_size(SVG).unwrap(), (40, 20));
        let px = p.pixel(5, 5).unwrap();
        assert_eq!((px.red(), px.green(), px.blue()), (255, 0, 0));
        let p2 =
            resvg::tiny_skia::Pixmap::decode_png(&render_png(SVG, None, 2.0).unwrap()).unwrap();
        assert_eq!((p2.width(), p2.height()), (80, 40));
    }

    #[test]
    fn draws_chinese_with_a_cjk_font() {
        // Needs the font scripts/setup.sh installs; skipped where it is missing.
        let Some(font) = find_cjk_font() else {
            eprintln!("no CJK font installed: skipped");
            return;
        };
        let png = render_png(SVG, Some(&font), 1.0).unwrap();
        let p = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        let inked = (22..40)
            .flat_map(|x| (0..20).map(move |y| (x, y)))
            .filter(|&(x, y)| p.pixel(x, y).is_some_and(|c| c.red() < 128))
            .count();
        assert!(inked > 10, "the glyph 渝 is drawn: {inked} dark pixels");
    }

    #[test]
    fn a_missing_font_is_an_error() {
        let e = render_png(SVG, Some(Path::new("/nonexistent/font.ttc")), 1.0).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/font.ttc"), "{e}");
    }

    #[test]
    fn bad_svg_is_an_error() {
        assert!(render_png("<svg", None, 1.0).is_err());
    }
}
