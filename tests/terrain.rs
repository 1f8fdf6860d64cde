//! A fine DEM: terrain-corrected heights and knife-edge diffraction along
//! profiles, from an ESRI ASCII grid and from the same grid as a GeoTIFF
//! (written by GDAL's own gdal_translate).

mod common;

use common::{json, plan, small_copy};
use std::fmt::Write;
use std::path::Path;

/// A 0.0005° (≈55 m) DEM over the small fixture: ground at 300 m with a
/// 150 m ridge along 106.5575–106.5625°E, in the rural east of district 乙县.
fn write_dem(dir: &Path) {
    let (ncols, nrows, cell) = (440usize, 240usize, 0.0005f64);
    let (xll, yll) = (106.39, 29.49);
    let mut s = format!("ncols {ncols}\nnrows {nrows}\nxllcorner {xll}\nyllcorner {yll}\ncellsize {cell}\nNODATA_value -9999\n");
    for _ in 0..nrows {
        for c in 0..ncols {
            let lon = xll + (c as f64 + 0.5) * cell;
            let h = if (106.5575..106.5625).contains(&lon) {
                450
            } else {
                300
            };
            let _ = write!(s, "{h} ");
        }
        s.push('\n');
    }
    std::fs::write(dir.join("dem.asc"), s).unwrap();
}

fn with_dem(dir: &Path, dem: &str, max_cell_m: f64) {
    let base = std::fs::read_to_string(dir.join("plan.toml")).unwrap();
    let base = base.split("\n[terrain]").next().unwrap().to_string();
    std::fs::write(
        dir.join("plan.toml"),
        format!("{base}\n[terrain]\ndem = \"{dem}\"\ndiffraction_max_cell_m = {max_cell_m}\n"),
    )
    .unwrap();
}

fn covered_before(report: &serde_json::Value) -> f64 {
    ["CMCC", "CUCC", "CTCC"]
        .iter()
        .map(|op| report["coverage"][op]["covered_before"].as_f64().unwrap())
        .sum()
}

#[test]
fn ridge_diffraction_and_geotiff_dem() {
    let dir = small_copy();
    write_dem(dir.path());
    let run = |name: &str| {
        let out = dir.path().join(name);
        let o = plan(&dir.path().join("plan.toml"), &out, &["-q"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    };

    with_dem(dir.path(), "dem.asc", 10.0);
    let heights_only = json(&run("heights").join("report.json"));
    let notes = heights_only["notes"].to_string();
    assert!(notes.contains("not applied"), "{notes}");

    with_dem(dir.path(), "dem.asc", 100.0);
    let out = run("diffraction");
    let diffraction = json(&out.join("report.json"));
    let notes = diffraction["notes"].to_string();
    assert!(
        notes.contains("Knife-edge diffraction (Deygout, ITU-R P.526) is applied"),
        "{notes}"
    );
    assert!(
        covered_before(&diffraction) < covered_before(&heights_only),
        "the ridge must hide some demand from the existing sites: {} vs {}",
        covered_before(&diffraction),
        covered_before(&heights_only)
    );

    // The same DEM as a GeoTIFF gives the same plan.
    let o = std::process::Command::new("gdal_translate")
        .args(["-q", "-a_srs", "EPSG:4326"])
        .arg(dir.path().join("dem.asc"))
        .arg(dir.path().join("dem.tif"))
        .output()
        .expect("gdal_translate (gdal-bin) is installed by scripts/setup.sh");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    with_dem(dir.path(), "dem.tif", 100.0);
    let tif = run("tif");
    assert_eq!(
        std::fs::read(tif.join("plan.geojson")).unwrap(),
        std::fs::read(out.join("plan.geojson")).unwrap()
    );
}
