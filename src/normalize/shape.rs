//! Steps that bring any spelling of a DVS document to one shape before the
//! quirk fixups run: operation ids filled, alias components folded, `allOf`
//! compositions merged. Unlike the quirk fixups, a step may find nothing to
//! do: a document already in that shape is fine.

use super::resolve::{self, escape, is_annotation_only, ANNOTATIONS, SCHEMA_PREFIX};
use super::{for_each_operation, METHODS};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The operation names of the DVS API by method and path: documents that
/// carry no `operationId` (older vendor documents) get these, so generated
/// method names and the facade's needs never depend on a document's spelling.
pub const DVS_OPERATION_IDS: &[(&str, &str, &str)] = &[
    ("get", "/services", "getServices"),
    ("get", "/services/{service_id}", "getServiceById"),
    ("get", "/countries", "getCountries"),
    (
        "get",
        "/countries/{country_iso_code}",
        "getCountryByIsoCode",
    ),
    ("get", "/operators", "getOperators"),
    ("get", "/operators/{operator_id}", "getOperatorById"),
    ("get", "/benefit-types", "getBenefitTypes"),
    ("get", "/promotions", "getPromotions"),
    ("get", "/promotions/{promotion_id}", "getPromotionById"),
    ("get", "/campaigns", "getCampaigns"),
    ("get", "/campaigns/{campaign_id}", "getCampaignById"),
    ("get", "/products", "getProducts"),
    ("get", "/products/{product_id}", "getProductById"),
    ("post", "/async/transactions", "postTransactionAsync"),
    ("post", "/sync/transactions", "postTransactionSync"),
    ("post", "/transactions", "postTransaction"),
    ("get", "/transactions", "getTransactions"),
    (
        "get",
        "/transactions/{transaction_id}",
        "getTransactionById",
    ),
    (
        "post",
        "/async/transactions/{transaction_id}/confirm",
        "postTransactionConfirmAsync",
    ),
    (
        "post",
        "/sync/transactions/{transaction_id}/confirm",
        "postTransactionConfirmSync",
    ),
    (
        "post",
        "/transactions/{transaction_id}/confirm",
        "postTransactionConfirm",
    ),
    (
        "post",
        "/transactions/{transaction_id}/cancel",
        "postTransactionCancel",
    ),
    ("get", "/balances", "getBalances"),
    ("post", "/lookup/mobile-number", "postLookupMobileNumber"),
    (
        "get",
        "/lookup/mobile-number/{mobile_number}",
        "getLookupMobileNumber",
    ),
    (
        "post",
        "/lookup/statement-inquiry",
        "postLookupStatementInquiry",
    ),
    (
        "post",
        "/lookup/credit-party-benefits",
        "postLookupCreditPartyBenefits",
    ),
    (
        "post",
        "/lookup/credit-party-status",
        "postLookupCreditPartyStatus",
    ),
];

/// Fills a missing `operationId` from [`DVS_OPERATION_IDS`]. An operation
/// that is neither named by the document nor in the table gets a name made
/// of its method and path, so the generator never stops on it. A document
/// whose name for a known operation differs from the table keeps its own.
pub fn fill_operation_ids(spec: &mut Value) -> Result<usize, String> {
    let table: BTreeMap<(&str, &str), &str> = DVS_OPERATION_IDS
        .iter()
        .map(|(m, p, n)| ((*m, *p), *n))
        .collect();
    let mut changed = 0;
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return Ok(0);
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            if op.get("operationId").and_then(Value::as_str).is_some() {
                continue;
            }
            let name = match table.get(&(method.as_str(), path.as_str())) {
                Some(n) => (*n).to_string(),
                None => derived_operation_id(method, path),
            };
            op.insert("operationId".into(), Value::String(name));
            changed += 1;
        }
    }
    Ok(changed)
}

/// `get` + `/lookup/mobile-number/{mobile_number}` -> `getLookupMobileNumberByMobileNumber`.
fn derived_operation_id(method: &str, path: &str) -> String {
    let mut out = method.to_string();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let (by, seg) = match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(p) => (true, p),
            None => (false, seg),
        };
        if by {
            out.push_str("By");
        }
        for word in seg.split(|c: char| !c.is_ascii_alphanumeric()) {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.extend(chars);
            }
        }
    }
    out
}

/// The key two component names collide on once made a Rust type name
/// (`statement` and `Statement`; `X-ISO-3166-2` and `x-iso-3166-2`).
pub fn collision_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Of two names for one schema, the one to keep: the vendor's PascalCase
/// spelling over a lower-case alias, else the referenced one.
fn preferred<'a>(alias: &'a str, target: &'a str) -> &'a str {
    let upper = |s: &str| s.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    if upper(alias) && !upper(target) {
        alias
    } else {
        target
    }
}

/// Points every reference to component `from` at component `to` (`$ref`s and
/// discriminator mappings alike).
pub fn rename_refs(spec: &mut Value, from: &str, to: &str) {
    let from = format!("{SCHEMA_PREFIX}{from}");
    let to = format!("{SCHEMA_PREFIX}{to}");
    fn walk(v: &mut Value, from: &str, to: &str) {
        match v {
            Value::String(s) if s == from => *s = to.to_string(),
            Value::Object(o) => o.values_mut().for_each(|c| walk(c, from, to)),
            Value::Array(a) => a.iter_mut().for_each(|c| walk(c, from, to)),
            _ => {}
        }
    }
    walk(spec, &from, &to);
}

fn schemas_mut(spec: &mut Value) -> Option<&mut Map<String, Value>> {
    spec.pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
}

/// Some published copies of the DVS document carry a second, lower-case name
/// for most components (`statement` beside `Statement`, one a bare `$ref` to
/// the other). Both would become Rust types with the same name. Each bare
/// alias is folded into the schema it names, keeping the PascalCase name;
/// then components whose names still collide as Rust names are folded when
/// they say the same thing, and reported when they do not.
pub fn fold_alias_components(spec: &mut Value) -> Result<usize, String> {
    let mut changed = 0;
    loop {
        let Some(schemas) = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return Ok(changed);
        };
        let alias = schemas.iter().find_map(|(name, s)| {
            let obj = s.as_object()?;
            let target = resolve::component_name(obj.get("$ref")?.as_str()?)?;
            let only_ref = obj
                .keys()
                .all(|k| k == "$ref" || ANNOTATIONS.contains(&k.as_str()));
            (only_ref && target != name && schemas.contains_key(target))
                .then(|| (name.clone(), target.to_string()))
        });
        let Some((alias, target)) = alias else { break };
        let keep = preferred(&alias, &target).to_string();
        let drop = if keep == alias {
            target.clone()
        } else {
            alias.clone()
        };
        let schemas = schemas_mut(spec).expect("checked above");
        let content = schemas.remove(&target).expect("alias target exists");
        schemas.remove(&alias);
        schemas.insert(keep.clone(), content);
        rename_refs(spec, &drop, &keep);
        changed += 1;
    }
    // Names that still collide as Rust type names.
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in schemas.keys() {
        by_key
            .entry(collision_key(name))
            .or_default()
            .push(name.clone());
    }
    let mut conflicts = Vec::new();
    for names in by_key.values().filter(|n| n.len() > 1) {
        let keep = names
            .iter()
            .find(|n| n.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
            .unwrap_or(&names[0])
            .clone();
        for other in names.iter().filter(|n| **n != keep) {
            if schemas[other] == schemas[&keep] {
                schemas_mut(spec).expect("schemas").remove(other);
                rename_refs(spec, other, &keep);
                changed += 1;
            } else if inline_single_use(spec, other) {
                // A part of one composition only (the variant-specific half
                // of `allOf: [product_base, product_x]`): not a type of its own.
                changed += 1;
            } else {
                conflicts.push(format!("`{other}` and `{keep}`"));
            }
        }
    }
    if !conflicts.is_empty() {
        return Err(format!(
            "components whose names collide as Rust types but differ: {}",
            conflicts.join(", ")
        ));
    }
    Ok(changed)
}

/// Replaces the one reference to component `name` by its content and drops
/// the component; `false` (and no change) when it is referenced more or less
/// than once, or from itself.
fn inline_single_use(spec: &mut Value, name: &str) -> bool {
    let target = format!("{SCHEMA_PREFIX}{name}");
    fn count(v: &Value, target: &str) -> usize {
        match v {
            Value::String(s) => usize::from(s == target),
            Value::Object(o) => o.values().map(|c| count(c, target)).sum(),
            Value::Array(a) => a.iter().map(|c| count(c, target)).sum(),
            _ => 0,
        }
    }
    let Some(content) = spec
        .pointer(&format!("/components/schemas/{}", escape(name)))
        .cloned()
    else {
        return false;
    };
    if count(spec, &target) != 1 || count(&content, &target) != 0 {
        return false;
    }
    fn replace(v: &mut Value, target: &str, content: &Value) -> bool {
        match v {
            Value::Object(o) => {
                if o.len() == 1 && o.get("$ref").and_then(Value::as_str) == Some(target) {
                    *v = content.clone();
                    return true;
                }
                o.values_mut().any(|c| replace(c, target, content))
            }
            Value::Array(a) => a.iter_mut().any(|c| replace(c, target, content)),
            _ => false,
        }
    }
    if !replace(spec, &target, &content) {
        return false;
    }
    schemas_mut(spec).expect("schemas").remove(name);
    true
}

/// Flags that `merge_all_of` lifts from `allOf` members onto the schema.
const LIFTED: &[&str] = &["nullable", "readOnly", "writeOnly", "deprecated"];

/// The vendor composes schemas with `allOf`: product variants as
/// `allOf: [ProductBase, {type: {enum: [ONE]}, ...}]`, transaction reads as
/// `allOf: [Transaction, {callback_url}]`, constraints as
/// `allOf: [{$ref: NonEmptyString}, {maxLength: 40}]`, flags as members of
/// their own (`allOf: [{$ref: UnitTypes}, {nullable: true}]`). The generator
/// handles such compositions poorly (and not at all when one member closes
/// the object with `additionalProperties: false`). Every `allOf` is
/// rewritten to what it says: members that only annotate are lifted onto
/// the schema (their `nullable`, `readOnly`, `writeOnly` and `deprecated`
/// count); a lone remaining `$ref` stays a reference; several members are
/// merged into one schema with the shared resolver.
///
/// Decision on `nullable` beside `allOf`: strict OpenAPI 3.0.3 readers ignore
/// it; this project reads it as the vendor means it, so the value may be null.
pub fn merge_all_of(spec: &mut Value) -> Result<usize, String> {
    // A merge copies members as the document had them before this pass, so
    // compositions nested in them are merged by the next pass.
    let mut total = 0;
    for _ in 0..resolve::MAX_DEPTH {
        match merge_all_of_once(spec) {
            0 => return Ok(total),
            n => total += n,
        }
    }
    Err("`allOf` compositions still change after many passes (a reference cycle?)".into())
}

fn merge_all_of_once(spec: &mut Value) -> usize {
    let doc = spec.clone();
    let mut changed = 0;
    fn walk(doc: &Value, v: &mut Value, changed: &mut usize) {
        match v {
            Value::Object(obj) => {
                for child in obj.values_mut() {
                    walk(doc, child, changed);
                }
                if obj.contains_key("allOf") {
                    if let Some(new) = rewrite(doc, obj) {
                        *obj = new;
                        *changed += 1;
                    }
                }
            }
            Value::Array(list) => list.iter_mut().for_each(|c| walk(doc, c, changed)),
            _ => {}
        }
    }
    walk(&doc, spec, &mut changed);
    changed
}

/// The rewritten form of a schema with `allOf`, or `None` when it is already
/// a lone reference with flags beside it.
fn rewrite(doc: &Value, obj: &Map<String, Value>) -> Option<Map<String, Value>> {
    let members = obj.get("allOf")?.as_array()?;
    let mut out = obj.clone();
    out.remove("allOf");
    let mut kept = Vec::new();
    for m in members {
        if is_annotation_only(m) {
            for flag in LIFTED {
                if m.get(*flag).and_then(Value::as_bool) == Some(true) {
                    out.insert((*flag).to_string(), Value::Bool(true));
                }
            }
            if let Some(d) = m.get("description") {
                out.entry("description").or_insert_with(|| d.clone());
            }
        } else {
            kept.push(m.clone());
        }
    }
    match kept.as_slice() {
        [] => Some(out),
        [one] if one.get("$ref").is_some() => {
            if kept.len() == members.len() && obj.len() > 1 {
                // Already `{allOf: [{$ref}], flags...}`.
                return None;
            }
            if out.is_empty() {
                return one.as_object().cloned();
            }
            out.insert("allOf".into(), Value::Array(kept));
            Some(out)
        }
        _ => {
            let mut combined = Map::new();
            combined.insert("allOf".into(), Value::Array(kept));
            let merged = resolve::merged(doc, &Value::Object(combined));
            let mut merged = merged.as_object().cloned().unwrap_or_default();
            for (k, v) in out {
                if LIFTED.contains(&k.as_str()) && v.as_bool() == Some(true) {
                    merged.insert(k, v);
                } else {
                    merged.entry(k).or_insert(v);
                }
            }
            Some(merged)
        }
    }
}

/// Component schemas no operation (nor another used component) reaches.
pub fn unreferenced_components(spec: &Value) -> Vec<String> {
    let mut used = std::collections::BTreeSet::new();
    let mut stack = Vec::new();
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, c) in o {
                    if k == "$ref" || k == "mapping" {
                        let mut strings = Vec::new();
                        collect_strings(c, &mut strings);
                        for s in strings {
                            if let Some(n) = resolve::component_name(&s) {
                                out.push(n.to_string());
                            }
                        }
                    } else {
                        refs(c, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| refs(c, out)),
            _ => {}
        }
    }
    fn collect_strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Object(o) => o.values().for_each(|c| collect_strings(c, out)),
            Value::Array(a) => a.iter().for_each(|c| collect_strings(c, out)),
            _ => {}
        }
    }
    let mut outside = spec.clone();
    if let Some(c) = outside.get_mut("components").and_then(Value::as_object_mut) {
        c.remove("schemas");
    }
    refs(&outside, &mut stack);
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    while let Some(name) = stack.pop() {
        if !used.insert(name.clone()) {
            continue;
        }
        if let Some(s) = schemas.get(&name) {
            refs(s, &mut stack);
        }
    }
    schemas
        .keys()
        .filter(|k| !used.contains(*k))
        .cloned()
        .collect()
}

/// Operation objects by `operationId`, as (method, path, pointer).
pub fn operations(spec: &Value) -> BTreeMap<String, (String, String, String)> {
    let mut out = BTreeMap::new();
    if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                    out.insert(
                        id.to_string(),
                        (
                            method.clone(),
                            path.clone(),
                            format!("/paths/{}/{method}", escape(path)),
                        ),
                    );
                }
            }
        }
    }
    out
}

/// Counts operations, for a step that must see some.
pub fn operation_count(spec: &mut Value) -> usize {
    let mut n = 0;
    for_each_operation(spec, |_| n += 1);
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operation_ids_come_from_the_table_or_the_path() {
        let mut spec = json!({"paths": {
            "/async/transactions": {"post": {}},
            "/lookup/mobile-number/{mobile_number}": {"get": {"operationId": "own"}},
            "/new/things/{thing_id}": {"get": {}}
        }});
        assert_eq!(fill_operation_ids(&mut spec).unwrap(), 2);
        assert_eq!(
            spec["paths"]["/async/transactions"]["post"]["operationId"],
            "postTransactionAsync"
        );
        assert_eq!(
            spec["paths"]["/lookup/mobile-number/{mobile_number}"]["get"]["operationId"],
            "own"
        );
        assert_eq!(
            spec["paths"]["/new/things/{thing_id}"]["get"]["operationId"],
            "getNewThingsByThingId"
        );
    }

    #[test]
    fn aliases_fold_into_the_pascal_case_name() {
        let mut spec = json!({
            "paths": {"/s": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/statement"}}}}}}}},
            "components": {"schemas": {
                "Statement": {"$ref": "#/components/schemas/statement"},
                "statement": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/e164"}}},
                "E164": {"$ref": "#/components/schemas/e164"},
                "e164": {"type": "string"},
                "Same": {"type": "integer"},
                "same": {"type": "integer"}
            }}
        });
        assert!(fold_alias_components(&mut spec).unwrap() >= 3);
        let schemas = spec["components"]["schemas"].as_object().unwrap();
        let mut names: Vec<_> = schemas.keys().cloned().collect();
        names.sort();
        assert_eq!(names, ["E164", "Same", "Statement"]);
        assert_eq!(
            schemas["Statement"]["properties"]["a"]["$ref"],
            "#/components/schemas/E164"
        );
        assert_eq!(
            spec["paths"]["/s"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/Statement"
        );
        let mut clash = json!({"components": {"schemas": {"a_b": {"type": "string"}, "AB": {"type": "integer"}}}});
        assert!(fold_alias_components(&mut clash)
            .unwrap_err()
            .contains("`a_b` and `AB`"));
    }

    #[test]
    fn all_of_is_merged_or_reduced_to_a_reference() {
        let mut spec = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
            "V": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"type": {"type": "string", "enum": ["A"]}}, "additionalProperties": false}]},
            "W": {"type": "object", "properties": {
                "u": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"nullable": true}]},
                "k": {"allOf": [{"$ref": "#/components/schemas/Base"}], "nullable": true},
                "s": {"allOf": [{"type": "string", "minLength": 1}, {"maxLength": 40}], "description": "d"}
            }}
        }}});
        assert_eq!(merge_all_of(&mut spec).unwrap(), 3);
        let s = &spec["components"]["schemas"];
        assert_eq!(s["V"]["required"], json!(["id"]));
        assert_eq!(s["V"]["properties"]["type"]["enum"], json!(["A"]));
        assert_eq!(s["V"]["additionalProperties"], false);
        assert_eq!(
            s["W"]["properties"]["u"],
            json!({"allOf": [{"$ref": "#/components/schemas/Base"}], "nullable": true})
        );
        assert_eq!(
            s["W"]["properties"]["s"],
            json!({"type": "string", "minLength": 1, "maxLength": 40, "description": "d"})
        );
        assert_eq!(merge_all_of(&mut spec).unwrap(), 0);
    }
}
