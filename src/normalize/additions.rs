//! Facts the DVS reference states in prose but the vendor's documents do not
//! declare, added here so the vendored documents stay in the vendor's shape
//! and a refresh diff shows only the vendor's own changes. Each one fails by
//! name once the vendor declares the fact itself.

use super::resolve::{self, escape};
use super::{for_each_operation, METHODS};
use serde_json::{json, Map, Value};

/// The rate-limit headers DVS sends on every answer ("Rate Limiting" in the
/// reference), by name, with our description.
const RATE_LIMIT_HEADERS: &[(&str, &str)] = &[
    (
        "X-Ratelimit-Limit",
        "Calls allowed in the current rate-limit window.",
    ),
    (
        "X-Ratelimit-Remaining",
        "Calls left in the current rate-limit window.",
    ),
];

/// The reference says every endpoint answers with `X-Ratelimit-Limit` and
/// `X-Ratelimit-Remaining`; the vendor's documents declare neither. They are
/// added (as components, referenced from every success response) so the
/// generated client and the simulator's schema checks know them. Fails when
/// every success response already declares both.
pub fn declare_rate_limit_headers(spec: &mut Value) -> Result<usize, String> {
    let mut changed = 0;
    for_each_operation(spec, |op| {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            return;
        };
        for (code, resp) in responses.iter_mut() {
            if !code.starts_with('2') {
                continue;
            }
            let Some(resp) = resp.as_object_mut() else {
                continue;
            };
            if resp.contains_key("$ref") {
                continue;
            }
            let headers = resp
                .entry("headers")
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(headers) = headers.as_object_mut() else {
                continue;
            };
            for (name, _) in RATE_LIMIT_HEADERS {
                if !headers.keys().any(|h| h.eq_ignore_ascii_case(name)) {
                    headers.insert(
                        (*name).to_string(),
                        json!({"$ref": format!("#/components/headers/{name}")}),
                    );
                    changed += 1;
                }
            }
        }
    });
    if changed > 0 {
        let components = spec
            .as_object_mut()
            .ok_or("the document is not an object")?
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let headers = components
            .as_object_mut()
            .ok_or("components is not an object")?
            .entry("headers")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or("components/headers is not an object")?;
        for (name, description) in RATE_LIMIT_HEADERS {
            headers.entry((*name).to_string()).or_insert_with(
                || json!({"description": description, "schema": {"type": "integer"}}),
            );
        }
    }
    Ok(changed)
}

/// The reference describes the callback DVS posts to a transaction's
/// `callback_url` (the transaction in its new status, retried until a 2xx);
/// the vendor's documents declare no `callbacks`. Every operation whose
/// request body takes `callback_url` gets the callback, with the
/// transaction as its body, so the callback body counts as read by the
/// client (unknown fields and values allowed). Fails when no such operation
/// lacks it.
pub fn declare_transaction_callback(spec: &mut Value) -> Result<usize, String> {
    let doc = spec.clone();
    let mut targets = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if !METHODS.contains(&method.as_str()) || op.get("callbacks").is_some() {
                    continue;
                }
                let Some(schema) = op
                    .get("requestBody")
                    .map(|b| resolve::resolve(&doc, b))
                    .and_then(|b| b.pointer("/content/application~1json/schema"))
                else {
                    continue;
                };
                if resolve::property(&doc, schema, "callback_url").is_none() {
                    continue;
                }
                // DVS posts the transaction as the operation returns it.
                let returned = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter(|(code, _)| code.starts_with('2'))
                    .find_map(|(_, r)| {
                        resolve::resolve(&doc, r)
                            .pointer("/content/application~1json/schema")
                            .cloned()
                    });
                let Some(returned) = returned else {
                    return Err(format!(
                        "{} {path} takes `callback_url` but returns no JSON body to post back",
                        method.to_uppercase()
                    ));
                };
                targets.push((format!("/paths/{}/{method}", escape(path)), returned));
            }
        }
    }
    for (ptr, returned) in &targets {
        let op = spec
            .pointer_mut(ptr)
            .and_then(Value::as_object_mut)
            .expect("found above");
        op.insert(
            "callbacks".into(),
            json!({"transactionStatus": {"{$request.body#/callback_url}": {"post": {
                "summary": "Transaction status change",
                "description": "DVS posts the transaction in its new status to the callback_url given at creation, and retries until it gets a 2xx.",
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": returned}}},
                "responses": {"2XX": {"description": "Received; any other status makes DVS retry."}}
            }}}}),
        );
    }
    Ok(targets.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        json!({"paths": {
            "/t": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"allOf": [
                    {"$ref": "#/components/schemas/Transaction"},
                    {"properties": {"callback_url": {"type": "string"}}}]}}}},
                "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transaction"}}}},
                              "default": {"description": "e"}}}},
            "/s": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Transaction"}}}},
                "responses": {"200": {"description": "ok", "headers": {"x-ratelimit-limit": {"schema": {"type": "integer"}}}}}}}
        }, "components": {"schemas": {"Transaction": {"type": "object", "properties": {"id": {"type": "integer"}}}}}})
    }

    #[test]
    fn rate_limit_headers_are_declared_on_success_responses() {
        let mut s = spec();
        assert_eq!(declare_rate_limit_headers(&mut s).unwrap(), 3);
        let h = &s["paths"]["/t"]["post"]["responses"]["201"]["headers"];
        assert_eq!(
            h["X-Ratelimit-Remaining"]["$ref"],
            "#/components/headers/X-Ratelimit-Remaining"
        );
        assert!(s["paths"]["/t"]["post"]["responses"]["default"]
            .get("headers")
            .is_none());
        assert_eq!(
            s["components"]["headers"]["X-Ratelimit-Limit"]["schema"]["type"],
            "integer"
        );
        // Declared already (in any case): nothing to add, so the fixup is stale.
        assert_eq!(declare_rate_limit_headers(&mut s).unwrap(), 0);
    }

    #[test]
    fn the_callback_goes_where_callback_url_is_taken() {
        let mut s = spec();
        assert_eq!(declare_transaction_callback(&mut s).unwrap(), 1);
        let cb = &s["paths"]["/t"]["post"]["callbacks"]["transactionStatus"]
            ["{$request.body#/callback_url}"]["post"];
        assert_eq!(
            cb["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Transaction"
        );
        assert!(s["paths"]["/s"]["post"].get("callbacks").is_none());
        assert_eq!(declare_transaction_callback(&mut s).unwrap(), 0);
    }
}
