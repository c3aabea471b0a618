//! The one `$ref` / `allOf` resolver of the project: normalization, the
//! spec diff of `xtask`, the tests and the simulator's schema checks read a
//! document through it, so they agree on what a schema says.
//!
//! Only local references (`#/...`) are followed; a chain of references is
//! followed to its end, and a cycle stops after [`MAX_DEPTH`] steps.

use serde_json::{Map, Value};

/// Prefix of a component schema reference.
pub const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How many references or `allOf` levels are followed before giving up
/// (documents with reference cycles terminate).
pub const MAX_DEPTH: usize = 32;

/// Keywords that only annotate a schema: an `allOf` member that holds nothing
/// else constrains nothing.
pub const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "nullable",
    "readOnly",
    "writeOnly",
    "default",
    "xml",
];

/// The component name a schema reference points at
/// (`#/components/schemas/Product` -> `Product`).
pub fn component_name(reference: &str) -> Option<&str> {
    reference.strip_prefix(SCHEMA_PREFIX)
}

/// A JSON pointer token for `s` (RFC 6901).
pub fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Follows `$ref`s from `v` to the object that holds content. A reference
/// that does not resolve (or a cycle) yields the last object reached.
pub fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    follow(doc, v).0
}

/// Like [`resolve`], also giving the JSON pointer (without `#`) of the last
/// reference followed, `None` when `v` holds content itself.
pub fn follow<'a>(doc: &'a Value, mut v: &'a Value) -> (&'a Value, Option<&'a str>) {
    let mut at = None;
    for _ in 0..MAX_DEPTH {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(p) = r.strip_prefix('#') else { break };
        let Some(target) = doc.pointer(p).or_else(|| {
            // Pointers written percent-encoded (`~1paths~1%7Bid%7D`).
            p.contains('%')
                .then(|| percent_decode(p))
                .and_then(|d| doc.pointer(&d))
        }) else {
            break;
        };
        v = target;
        at = Some(p);
    }
    (v, at)
}

/// The component name `v` finally resolves to, following alias chains
/// (`A` -> `{"$ref": B}` -> B's content gives `B`); `None` for an inline schema.
pub fn final_component<'a>(doc: &'a Value, v: &'a Value) -> Option<&'a str> {
    let mut name = None;
    let mut v = v;
    for _ in 0..MAX_DEPTH {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(n) = component_name(r) else { break };
        let Some(target) = doc.pointer(&format!("/components/schemas/{}", escape(n))) else {
            break;
        };
        name = Some(n);
        v = target;
    }
    name
}

/// Decodes `%XX` escapes of a URI fragment.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// True when a schema only annotates (see [`ANNOTATIONS`]), or is empty.
pub fn is_annotation_only(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| o.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))
}

/// The schema `v` says, with `$ref`s followed and `allOf` members merged into
/// one schema: `properties` united (a property named twice is merged too),
/// `required` united, `enum`s intersected, `nullable` / `readOnly` /
/// `writeOnly` / `deprecated` set when any member sets them, and every other
/// keyword taken from the first member that has it (members of the `allOf`
/// before the keywords beside it). Nested property schemas are left as
/// written; call `merged` on them to read them the same way.
pub fn merged(doc: &Value, v: &Value) -> Value {
    merged_at(doc, v, 0)
}

fn merged_at(doc: &Value, v: &Value, depth: usize) -> Value {
    let v = resolve(doc, v);
    let Some(obj) = v.as_object() else {
        return v.clone();
    };
    let Some(members) = obj.get("allOf").and_then(Value::as_array) else {
        return v.clone();
    };
    if depth >= MAX_DEPTH {
        return v.clone();
    }
    let mut out = Map::new();
    for m in members {
        let m = merged_at(doc, m, depth + 1);
        merge_into(doc, &mut out, &m, depth);
    }
    let mut beside = obj.clone();
    beside.remove("allOf");
    merge_into(doc, &mut out, &Value::Object(beside), depth);
    Value::Object(out)
}

const FLAGS: &[&str] = &["nullable", "readOnly", "writeOnly", "deprecated"];

/// Merges the (already merged) schema `m` into `out`.
fn merge_into(doc: &Value, out: &mut Map<String, Value>, m: &Value, depth: usize) {
    let Some(m) = m.as_object() else { return };
    for (k, val) in m {
        match k.as_str() {
            "properties" => {
                let Some(props) = val.as_object() else {
                    continue;
                };
                let target = out
                    .entry("properties")
                    .or_insert_with(|| Value::Object(Map::new()));
                let Some(target) = target.as_object_mut() else {
                    continue;
                };
                for (name, schema) in props {
                    match target.get(name) {
                        // The same property constrained by two members: both apply.
                        Some(existing) if existing != schema => {
                            let both = Value::Object(Map::from_iter([(
                                "allOf".to_string(),
                                Value::Array(vec![existing.clone(), schema.clone()]),
                            )]));
                            let combined = merged_at(doc, &both, depth + 1);
                            target.insert(name.clone(), combined);
                        }
                        Some(_) => {}
                        None => {
                            target.insert(name.clone(), schema.clone());
                        }
                    }
                }
            }
            "required" => {
                let Some(list) = val.as_array() else { continue };
                let target = out
                    .entry("required")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Some(target) = target.as_array_mut() {
                    for r in list {
                        if !target.contains(r) {
                            target.push(r.clone());
                        }
                    }
                }
            }
            "enum" => match out.get("enum").and_then(Value::as_array) {
                Some(existing) => {
                    let theirs = val.as_array().cloned().unwrap_or_default();
                    let both: Vec<Value> = existing
                        .iter()
                        .filter(|e| theirs.contains(e))
                        .cloned()
                        .collect();
                    out.insert("enum".into(), Value::Array(both));
                }
                None => {
                    out.insert("enum".into(), val.clone());
                }
            },
            k if FLAGS.contains(&k) => {
                if val.as_bool() == Some(true) {
                    out.insert(k.to_string(), Value::Bool(true));
                } else {
                    out.entry(k.to_string()).or_insert_with(|| val.clone());
                }
            }
            "additionalProperties" => {
                // `false` in any member closes the merged object.
                if *val == Value::Bool(false) {
                    out.insert(k.clone(), Value::Bool(false));
                } else {
                    out.entry(k.clone()).or_insert_with(|| val.clone());
                }
            }
            _ => {
                out.entry(k.clone()).or_insert_with(|| val.clone());
            }
        }
    }
}

/// The schema of property `name` of `schema`, merged (see [`merged`]).
pub fn property(doc: &Value, schema: &Value, name: &str) -> Option<Value> {
    let m = merged(doc, schema);
    let p = m.get("properties")?.get(name)?;
    Some(merged(doc, p))
}

/// The names of the properties of `schema`, merged (see [`merged`]).
pub fn property_names(doc: &Value, schema: &Value) -> Vec<String> {
    merged(doc, schema)
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The single value property `name` of `schema` can take (a one-value `enum`
/// or a `const`), the tag of a discriminated union's variant.
pub fn single_value(doc: &Value, schema: &Value, name: &str) -> Option<String> {
    let p = property(doc, schema, name)?;
    if let Some(c) = p.get("const").and_then(Value::as_str) {
        return Some(c.to_string());
    }
    match p.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
        Some([one]) => one.as_str().map(str::to_string),
        _ => None,
    }
}

/// True when `schema` is nullable, as this project reads OpenAPI 3.0: a
/// `nullable: true` beside an `allOf` (or on one of its members) counts, as
/// the vendor means it.
pub fn is_nullable(doc: &Value, schema: &Value) -> bool {
    merged(doc, schema).get("nullable").and_then(Value::as_bool) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "Alias": {"$ref": "#/components/schemas/base_lower"},
            "base_lower": {"$ref": "#/components/schemas/Base"},
            "Variant": {"allOf": [
                {"$ref": "#/components/schemas/Alias"},
                {"type": "object", "required": ["type"], "properties": {
                    "type": {"type": "string", "enum": ["ONE"]},
                    "id": {"minimum": 1}
                }, "additionalProperties": false},
                {"description": "only words"}
            ], "nullable": true},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}})
    }

    #[test]
    fn merges_all_of_through_alias_chains() {
        let d = doc();
        let m = merged(&d, &json!({"$ref": "#/components/schemas/Variant"}));
        assert_eq!(m["required"], json!(["id", "type"]));
        assert_eq!(
            m["properties"]["id"],
            json!({"type": "integer", "minimum": 1})
        );
        assert_eq!(m["additionalProperties"], false);
        assert_eq!(m["nullable"], true);
        assert_eq!(
            single_value(&d, &d["components"]["schemas"]["Variant"], "type").as_deref(),
            Some("ONE")
        );
        assert!(is_nullable(&d, &d["components"]["schemas"]["Variant"]));
        assert_eq!(
            final_component(&d, &json!({"$ref": "#/components/schemas/Alias"})),
            Some("Base")
        );
    }

    #[test]
    fn cycles_terminate() {
        let d = doc();
        let v = resolve(&d, &d["components"]["schemas"]["Loop"]);
        assert!(v.get("$ref").is_some());
        assert!(is_annotation_only(
            &json!({"description": "x", "nullable": true})
        ));
        assert!(!is_annotation_only(&json!({"maxLength": 4})));
    }
}
