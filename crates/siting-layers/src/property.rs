//! Typed access to feature attributes, with errors that name the attribute.

use serde_json::{Map, Value};

/// The properties that serve as a feature's id, in order of preference.
pub const ID_KEYS: [&str; 5] = ["site_id", "adcode", "code", "id", "name"];

/// The feature's id for messages: the first of [`ID_KEYS`] it has.
pub fn feature_id(props: &Map<String, Value>) -> Option<String> {
    ID_KEYS.iter().find_map(|k| match props.get(*k) {
        Some(Value::String(s)) => Some(format!("{k}={s}")),
        Some(Value::Number(n)) => Some(format!("{k}={n}")),
        _ => None,
    })
}

/// A required string attribute (numbers are taken as their decimal text).
pub fn required_str(props: &Map<String, Value>, key: &str) -> Result<String, String> {
    match props.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(format!("property {key:?} is empty")),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::Null) | None => Err(format!("missing required property {key:?}")),
        Some(other) => Err(format!(
            "property {key:?} must be a string, found {}",
            type_name(other)
        )),
    }
}

/// An optional string attribute.
pub fn optional_str(props: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        // Formats without nulls (Shapefile, KML) write an empty text instead.
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(_) => required_str(props, key).map(Some),
    }
}

/// An optional finite number attribute.
pub fn optional_f64(props: &Map<String, Value>, key: &str) -> Result<Option<f64>, String> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(format!("property {key:?} is not a finite number")),
        },
        Some(other) => Err(format!(
            "property {key:?} must be a number, found {}",
            type_name(other)
        )),
    }
}

/// A required finite number attribute.
pub fn required_f64(props: &Map<String, Value>, key: &str) -> Result<f64, String> {
    optional_f64(props, key)?.ok_or_else(|| format!("missing required property {key:?}"))
}

/// An optional boolean attribute.
pub fn optional_bool(props: &Map<String, Value>, key: &str) -> Result<Option<bool>, String> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        // Formats without a boolean type store it as 1/0 or as text.
        Some(Value::Number(n)) if n.as_i64() == Some(1) => Ok(Some(true)),
        Some(Value::Number(n)) if n.as_i64() == Some(0) => Ok(Some(false)),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(Some(true)),
            "false" | "no" | "0" => Ok(Some(false)),
            "" => Ok(None),
            _ => Err(format!(
                "property {key:?} must be true or false, found the text {s:?}"
            )),
        },
        Some(other) => Err(format!(
            "property {key:?} must be true or false, found {}",
            type_name(other)
        )),
    }
}

/// An optional list of strings: a JSON array of strings, or one string of
/// comma-separated items (as spreadsheets export them).
pub fn optional_str_list(
    props: &Map<String, Value>,
    key: &str,
) -> Result<Option<Vec<String>>, String> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.trim().to_string()),
                other => Err(format!(
                    "property {key:?} must list strings, found {}",
                    type_name(other)
                )),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(Value::String(s)) => {
            let t = s.trim();
            // A JSON array written as text by formats without lists.
            if t.starts_with('[') {
                if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(t) {
                    let mut m = Map::new();
                    m.insert(key.to_string(), Value::Array(items));
                    return optional_str_list(&m, key);
                }
            }
            // GDAL's text form of a string list: "(2:CMCC,CUCC)".
            let t = match (t.strip_prefix('('), t.find(':')) {
                (Some(rest), Some(i))
                    if t.ends_with(')') && i > 1 && t[1..i].bytes().all(|b| b.is_ascii_digit()) =>
                {
                    &rest[i..rest.len() - 1]
                }
                _ => t,
            };
            Ok(Some(
                t.split(',')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(String::from)
                    .collect(),
            ))
        }
        Some(other) => Err(format!(
            "property {key:?} must be a list of strings, found {}",
            type_name(other)
        )),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn typed_access() {
        let p =
            props(json!({"a":"x","n":3.5,"b":true,"l":["CMCC","CTCC"],"c":"CMCC, CUCC","bad":"3"}));
        assert_eq!(required_str(&p, "a").unwrap(), "x");
        assert_eq!(required_f64(&p, "n").unwrap(), 3.5);
        assert_eq!(optional_bool(&p, "b").unwrap(), Some(true));
        assert_eq!(
            optional_str_list(&p, "l").unwrap().unwrap(),
            vec!["CMCC", "CTCC"]
        );
        assert_eq!(
            optional_str_list(&p, "c").unwrap().unwrap(),
            vec!["CMCC", "CUCC"]
        );
        let q = props(
            json!({"j": "[\"CTCC\"]", "g": "(2:CMCC,CUCC)", "b1": 1, "b2": "No", "b3": "maybe"}),
        );
        assert_eq!(optional_str_list(&q, "j").unwrap().unwrap(), vec!["CTCC"]);
        assert_eq!(
            optional_str_list(&q, "g").unwrap().unwrap(),
            vec!["CMCC", "CUCC"]
        );
        assert_eq!(optional_bool(&q, "b1").unwrap(), Some(true));
        assert_eq!(optional_bool(&q, "b2").unwrap(), Some(false));
        assert!(optional_bool(&q, "b3").is_err());
        assert!(required_f64(&p, "bad")
            .unwrap_err()
            .contains("must be a number"));
        assert!(required_str(&p, "zz").unwrap_err().contains("missing"));
        assert_eq!(
            feature_id(&props(json!({"site_id":"E1","name":"n"}))).unwrap(),
            "site_id=E1"
        );
    }
}
