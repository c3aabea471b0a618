//! Reading OpenAPI documents (JSON or YAML) and writing them in the stable
//! form the repository keeps under `openapi/`.
//!
//! The stable form is the document's own key order, pretty-printed as JSON
//! with two-space indentation and a final newline. Nothing is re-sorted, so a
//! vendor file that was already in this form is written back byte for byte,
//! and running the conversion twice gives the same bytes.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

/// A JSON value that keeps the key order of the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub enum Ordered {
    /// `null` (YAML `~` or an empty value).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as JSON writes it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Ordered>),
    /// An object, in document order.
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    /// The value of `key` when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Ordered> {
        match self {
            Ordered::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string this is, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Ordered::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Ordered::Null => serializer.serialize_unit(),
            Ordered::Bool(b) => serializer.serialize_bool(*b),
            Ordered::Number(n) => n.serialize(serializer),
            Ordered::String(s) => serializer.serialize_str(s),
            Ordered::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Ordered::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Ordered, E> {
        Ok(Ordered::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Ordered, D::Error> {
        Ordered::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Ordered, E> {
        Ok(Ordered::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Ordered, E> {
        Ok(Ordered::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Ordered, E> {
        Ok(Ordered::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Ordered, E> {
        serde_json::Number::from_f64(v)
            .map(Ordered::Number)
            .ok_or_else(|| E::custom(format!("the number {v} has no JSON form")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Ordered, E> {
        Ok(Ordered::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Ordered, E> {
        Ok(Ordered::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ordered::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut entries: Vec<(String, Ordered)> = Vec::new();
        let mut seen = HashSet::new();
        while let Some(Key(key)) = map.next_key()? {
            if entries.is_empty() && key == NUMBER_TOKEN {
                let text: String = map.next_value()?;
                return text
                    .parse::<serde_json::Number>()
                    .map(Ordered::Number)
                    .map_err(de::Error::custom);
            }
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Ordered::Object(entries))
    }
}

/// With serde_json's `arbitrary_precision` feature (which a workspace build
/// turns on: the crate reads amounts exactly), serde_json hands a number to
/// a visitor as a one-entry map under this key, whose value is the number's
/// text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// An object key: a string, or a YAML scalar written without quotes (`200:`).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
                Ok(Key(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key("null".to_string()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// Why a document could not be read.
#[derive(Debug)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// Parses the text of a JSON or YAML document. Text whose first non-blank
/// character is `{` is JSON (its errors are reported as JSON errors); anything
/// else is YAML. `origin` names the document in error messages.
pub fn parse_text(text: &str, origin: &str) -> Result<Ordered, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| LoadError(format!("{origin}: not valid JSON: {e}")))
    } else {
        let doc: Ordered = serde_norway::from_str(text)
            .map_err(|e| LoadError(format!("{origin}: neither JSON nor valid YAML: {e}")))?;
        match doc {
            Ordered::Object(_) => Ok(doc),
            _ => Err(LoadError(format!(
                "{origin}: not an OpenAPI document (the top level is not an object)"
            ))),
        }
    }
}

/// The stable text of a document: pretty JSON in the document's key order,
/// two-space indentation, one final newline.
pub fn stable_text(doc: &Ordered) -> String {
    let mut text = serde_json::to_string_pretty(doc).expect("an in-memory value serializes");
    text.push('\n');
    text
}

/// Converts to a `serde_json::Value` (keys sorted, for the diff engine and the
/// normalization).
pub fn to_value(doc: &Ordered) -> Value {
    serde_json::to_value(doc).expect("an in-memory value converts")
}

/// Reads a JSON or YAML OpenAPI document from disk as a `serde_json::Value`,
/// checking that it is OpenAPI 3.0.x and that its `$ref`s resolve.
pub fn load_openapi(path: &Path) -> Result<Value, LoadError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| LoadError(format!("{origin}: cannot read: {e}")))?;
    let doc = parse_text(&text, &origin)?;
    check_openapi_3_0(&doc, &origin)?;
    let value = to_value(&doc);
    check_refs(&value, &origin)?;
    Ok(value)
}

/// Fails unless the document declares `openapi: 3.0.x` (what progenitor
/// takes, and what the diff engine understands).
pub fn check_openapi_3_0(doc: &Ordered, origin: &str) -> Result<(), LoadError> {
    if !matches!(doc, Ordered::Object(_)) {
        return Err(LoadError(format!(
            "{origin}: not an OpenAPI document (the top level is not an object)"
        )));
    }
    match doc.get("openapi") {
        Some(Ordered::String(v)) if v.starts_with("3.0.") || v == "3.0" => Ok(()),
        Some(Ordered::String(v)) => Err(LoadError(format!(
            "{origin}: OpenAPI {v} is not supported: progenitor and this tool take OpenAPI 3.0.x"
        ))),
        Some(_) => Err(LoadError(format!(
            "{origin}: the `openapi` field is not a version string"
        ))),
        None if doc.get("swagger").is_some() => Err(LoadError(format!(
            "{origin}: a Swagger 2.0 document; progenitor and this tool take OpenAPI 3.0.x"
        ))),
        None => Err(LoadError(format!(
            "{origin}: not an OpenAPI document (no `openapi` field)"
        ))),
    }
}

/// Fails on the first `$ref` that is not a local JSON pointer into the
/// document or that points at nothing.
pub fn check_refs(doc: &Value, origin: &str) -> Result<(), LoadError> {
    fn walk(root: &Value, v: &Value, at: &mut Vec<String>) -> Result<(), String> {
        match v {
            Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                    let ok = r
                        .strip_prefix('#')
                        .is_some_and(|p| crate::pointer::get(root, p).is_some());
                    if !ok {
                        return Err(format!(
                            "$ref `{r}` at `{}` does not resolve (only references inside the document are supported)",
                            at.join("")
                        ));
                    }
                }
                for (k, child) in map {
                    at.push(format!("/{}", crate::pointer::escape(k)));
                    walk(root, child, at)?;
                    at.pop();
                }
                Ok(())
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(format!("/{i}"));
                    walk(root, child, at)?;
                    at.pop();
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    walk(doc, doc, &mut Vec::new()).map_err(|e| LoadError(format!("{origin}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_key_order_and_round_trips() {
        let text = "{\n  \"b\": 1,\n  \"a\": [\n    1.5,\n    \"x\"\n  ],\n  \"c\": {}\n}\n";
        let doc = parse_text(text, "t").unwrap();
        assert_eq!(stable_text(&doc), text);
    }

    #[test]
    fn yaml_becomes_the_same_json_in_document_order() {
        let doc = parse_text("openapi: 3.0.3\npaths:\n  /x:\n    get:\n      responses:\n        200:\n          description: ok\n", "t").unwrap();
        assert_eq!(
            stable_text(&doc),
            "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/x\": {\n      \"get\": {\n        \"responses\": {\n          \"200\": {\n            \"description\": \"ok\"\n          }\n        }\n      }\n    }\n  }\n}\n"
        );
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let err = parse_text("{\"a\": 1, \"a\": 2}", "t").unwrap_err();
        assert!(err.0.contains("duplicate key `a`"), "{err}");
    }

    #[test]
    fn only_openapi_3_0_is_accepted() {
        for (text, needle) in [
            ("{\"openapi\": \"3.1.0\"}", "OpenAPI 3.1.0 is not supported"),
            ("{\"swagger\": \"2.0\"}", "Swagger 2.0"),
            ("{\"info\": {}}", "no `openapi` field"),
        ] {
            let doc = parse_text(text, "t").unwrap();
            let err = check_openapi_3_0(&doc, "t").unwrap_err();
            assert!(err.0.contains(needle), "{err}");
        }
        let doc = parse_text("openapi: 3.0.3", "t").unwrap();
        check_openapi_3_0(&doc, "t").unwrap();
    }

    #[test]
    fn dangling_refs_are_reported_with_their_place() {
        let v: Value = serde_json::json!({"a": {"b": {"$ref": "#/nowhere"}}, "c": {"$ref": "#/a"}});
        let err = check_refs(&v, "t").unwrap_err();
        assert!(err.0.contains("`#/nowhere` at `/a/b`"), "{err}");
        let v: Value = serde_json::json!({"a": {"$ref": "other.json#/x"}});
        assert!(check_refs(&v, "t").is_err());
    }
}
