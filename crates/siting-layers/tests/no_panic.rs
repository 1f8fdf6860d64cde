//! Whatever a layer holds, reading it gives a value or an error, never a panic.

use proptest::prelude::*;
use siting_crs::{Projector, SourceCrs, Transform};
use siting_layers::{
    demand_from, districts_from, reproject, sites_from, townships_from, zones_from, GeoJsonReader,
    LayerReader, SiteDefaults, Source,
};
use siting_model::SiteOrigin;

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("\"\"".to_string()),
        Just("\"CMCC\"".to_string()),
        Just("\"rooftop\"".to_string()),
        Just("[\"CMCC\",\"XX\",\"CMCC\"]".to_string()),
        Just("\"(2:CMCC,CUCC)\"".to_string()),
        Just("{\"a\":1}".to_string()),
        (-1e20..1e20f64).prop_map(|v| format!("{v}")),
        "[a-z0-9]{0,6}".prop_map(|s| format!("\"{s}\"")),
    ]
}

fn coord() -> impl Strategy<Value = String> {
    (-400.0..400.0f64, -400.0..400.0f64).prop_map(|(x, y)| format!("[{x},{y}]"))
}

fn geometry() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        coord().prop_map(|c| format!("{{\"type\":\"Point\",\"coordinates\":{c}}}")),
        prop::collection::vec(coord(), 0..6).prop_map(|r| format!(
            "{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}",
            r.join(",")
        )),
        prop::collection::vec(coord(), 0..4).prop_map(|r| format!(
            "{{\"type\":\"LineString\",\"coordinates\":[{}]}}",
            r.join(",")
        )),
        Just("{\"type\":\"Point\",\"coordinates\":[1]}".to_string()),
    ]
}

fn feature() -> impl Strategy<Value = String> {
    let keys = prop::sample::select(vec![
        "site_id",
        "kind",
        "tenants",
        "capacity",
        "height_m",
        "public_building",
        "load_capacity_kg",
        "weight",
        "cell_m",
        "class",
        "adcode",
        "name",
        "code",
        "county_adcode",
        "id",
    ]);
    (prop::collection::vec((keys, value()), 0..8), geometry()).prop_map(|(props, g)| {
        let p: Vec<String> = props.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!(
            "{{\"type\":\"Feature\",\"properties\":{{{}}},\"geometry\":{g}}}",
            p.join(",")
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_features_read_or_fail_cleanly(features in prop::collection::vec(feature(), 0..6)) {
        let text: &'static str = Box::leak(format!("{{\"type\":\"FeatureCollection\",\"features\":[{}]}}", features.join(",")).into_boxed_str());
        let src = Source::Embedded { name: "p.geojson".into(), bytes: text.as_bytes() };
        let Ok(layer) = GeoJsonReader.read(&src) else { return Ok(()) };
        let t = Transform::new(&SourceCrs::Wgs84).unwrap();
        let Ok(fs) = reproject("p.geojson", layer.features, &t) else { return Ok(()) };
        let proj = Projector::new("EPSG:4545").unwrap();
        let d = SiteDefaults::default();
        let _ = sites_from("p", &fs, SiteOrigin::Existing, &d, &proj);
        let _ = sites_from("p", &fs, SiteOrigin::Candidate, &d, &proj);
        let _ = demand_from("p", &fs, &proj);
        let _ = zones_from("p", &fs, &proj);
        let _ = districts_from("p", &fs, &proj);
        let _ = townships_from("p", &fs, &proj);
    }

    #[test]
    fn any_bytes_read_or_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let b: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let _ = GeoJsonReader.read(&Source::Embedded { name: "b".into(), bytes: b });
        let _ = siting_layers::Grid::parse(&String::from_utf8_lossy(b));
    }
}
