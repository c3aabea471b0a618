//! Test helpers: starting simulators, an HTTP client that validates every
//! response it receives against the operation's response schema in
//! `openapi/dvs-1.21.0.json`, and small lookups.

use dvs::simulator::{Simulator, SimulatorConfig};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

// ---- the spec as JSON Schema ---------------------------------------------

/// The 1.21.0 spec, with its schemas translated from OpenAPI 3.0 to JSON
/// Schema (draft 7) for validating responses.
pub struct Spec {
    doc: Value,
    definitions: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

pub fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let file = format!("{}/openapi/dvs-1.21.0.json", env!("CARGO_MANIFEST_DIR"));
        let mut doc: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("spec file"))
                .expect("spec is JSON");
        // Read the vendor-shaped document as the client reads it, through the
        // crate's shared resolver: names filled, aliases folded, the facts the
        // reference gives in prose declared, `allOf` compositions merged
        // (strict JSON Schema would let a closed `allOf` member refuse the
        // other members' fields). Enums, patterns and closed objects stay
        // strict: the simulator must answer exactly as documented.
        use crate::normalize::{additions, shape};
        let steps: [crate::normalize::Apply; 5] = [
            shape::fill_operation_ids,
            shape::fold_alias_components,
            additions::declare_rate_limit_headers,
            additions::declare_transaction_callback,
            shape::merge_all_of,
        ];
        for step in steps {
            step(&mut doc).expect("the spec reads through the shared resolver");
        }
        let schemas = doc["components"]["schemas"].clone();
        let definitions = translate(&schemas, true);
        Spec {
            doc,
            definitions,
            validators: Mutex::new(HashMap::new()),
        }
    })
}

/// OpenAPI 3.0 → JSON Schema, for a response:
/// - `$ref: #/components/schemas/X` → `#/definitions/X`;
/// - `nullable: true` → `type: [T, "null"]` (and `null` added to an
///   `enum`), or `anyOf: [{type: null}, …]` when the schema has no `type`
///   (an `allOf` wrapper of a `$ref`);
/// - properties marked `writeOnly` are not required in a response;
/// - OpenAPI-only keywords (`discriminator`, `example`, `readOnly`,
///   `writeOnly`) are dropped.
pub fn translate(v: &Value, response: bool) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(|i| translate(i, response)).collect()),
        Value::Object(obj) => {
            let mut out = Map::new();
            let write_only: BTreeSet<String> = obj
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .filter(|(_, p)| p.get("writeOnly") == Some(&Value::Bool(true)))
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default();
            for (k, val) in obj {
                match k.as_str() {
                    "nullable" | "discriminator" | "example" | "readOnly" | "writeOnly" => {}
                    "$ref" => {
                        let r = val.as_str().unwrap_or_default();
                        out.insert(
                            k.clone(),
                            json!(r.replace("#/components/schemas/", "#/definitions/")),
                        );
                    }
                    "properties" => {
                        // Property names are not schemas: translate each value.
                        let props: Map<String, Value> = val
                            .as_object()
                            .map(|m| {
                                m.iter()
                                    .map(|(n, s)| (n.clone(), translate(s, response)))
                                    .collect()
                            })
                            .unwrap_or_default();
                        out.insert(k.clone(), Value::Object(props));
                    }
                    "required" if response => {
                        let req: Vec<Value> = val
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter(|n| !n.as_str().is_some_and(|n| write_only.contains(n)))
                                    .cloned()
                                    .collect()
                            })
                            .unwrap_or_default();
                        out.insert(k.clone(), Value::Array(req));
                    }
                    _ => {
                        out.insert(k.clone(), translate(val, response));
                    }
                }
            }
            if obj.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                    if let Some(Value::Array(e)) = out.get_mut("enum") {
                        e.push(Value::Null);
                    }
                    return Value::Object(out);
                }
                return json!({"anyOf": [{"type": "null"}, Value::Object(out)]});
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// The operation of a spec path template matching a request path.
pub struct Operation {
    pub id: String,
    pub responses: Value,
}

impl Spec {
    pub fn operation(&self, method: &Method, path: &str) -> Option<Operation> {
        let path = path.strip_prefix("/v1").unwrap_or(path);
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let method = method.as_str().to_ascii_lowercase();
        for (template, item) in self.doc["paths"].as_object()? {
            let t: Vec<&str> = template.split('/').filter(|s| !s.is_empty()).collect();
            let matches = t.len() == segs.len()
                && t.iter()
                    .zip(&segs)
                    .all(|(a, b)| a.starts_with('{') || a == b);
            if !matches {
                continue;
            }
            // A method the path does not have is answered like any error:
            // check it against an operation of the same path.
            let op = item.get(&method).or_else(|| {
                item.as_object()?
                    .values()
                    .find(|op| op.get("operationId").is_some())
            })?;
            return Some(Operation {
                id: op["operationId"].as_str()?.to_string(),
                responses: op["responses"].clone(),
            });
        }
        None
    }

    /// Every operation id of the spec.
    pub fn operation_ids(&self) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for item in self.doc["paths"].as_object().expect("paths").values() {
            for op in item.as_object().expect("path item").values() {
                if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                    ids.insert(id.to_string());
                }
            }
        }
        ids
    }

    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        crate::normalize::resolve::resolve(&self.doc, v)
    }

    /// The response object of an operation for a status (or `default`).
    pub fn response<'a>(&'a self, op: &'a Operation, status: u16) -> (&'a Value, String) {
        let key = status.to_string();
        let (r, k) = match op.responses.get(&key) {
            Some(r) => (r, key),
            None => (
                op.responses
                    .get("default")
                    .unwrap_or_else(|| panic!("{}: no response {status} nor default", op.id)),
                "default".to_string(),
            ),
        };
        (self.resolve(r), k)
    }

    /// Validates a response: the body against the schema of its operation
    /// and status, and integer headers the response declares. Returns
    /// the operation id.
    pub fn validate(
        &self,
        method: &Method,
        path: &str,
        status: u16,
        headers: &HeaderMap,
        body: &Value,
    ) -> String {
        let op = self
            .operation(method, path)
            .unwrap_or_else(|| panic!("{method} {path}: not an operation of the spec"));
        let (response, key) = self.response(&op, status);
        let schema = &response["content"]["application/json"]["schema"];
        assert!(
            !schema.is_null(),
            "{}: response {key} has no JSON schema",
            op.id
        );
        let cache_key = format!("{}/{key}", op.id);
        let validator = {
            let mut cache = self.validators.lock().unwrap();
            cache
                .entry(cache_key.clone())
                .or_insert_with(|| {
                    let mut root = translate(schema, true);
                    root.as_object_mut()
                        .expect("schema object")
                        .insert("definitions".into(), self.definitions.clone());
                    Arc::new(
                        jsonschema::options()
                            .with_draft(jsonschema::Draft::Draft7)
                            .should_validate_formats(true)
                            .build(&root)
                            .unwrap_or_else(|e| {
                                panic!("{cache_key}: schema does not compile: {e}")
                            }),
                    )
                })
                .clone()
        };
        let errors: Vec<String> = validator
            .iter_errors(body)
            .take(5)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} → {status}: body does not match {} response {key}:\n{}\nbody: {}",
            op.id,
            errors.join("\n"),
            truncate(&body.to_string())
        );
        if let Some(declared) = response.get("headers").and_then(Value::as_object) {
            for name in declared.keys() {
                if let Some(v) = headers.get(name.as_str()) {
                    let h = self.resolve(&declared[name]);
                    if h["schema"]["type"] == "integer" {
                        let text = v.to_str().unwrap_or_default();
                        assert!(
                            text.parse::<i64>().is_ok(),
                            "{}: header {name} = {text:?} is not an integer",
                            op.id
                        );
                    }
                }
            }
        }
        op.id
    }
}

fn truncate(s: &str) -> String {
    if s.len() > 2000 {
        format!("{}…", &s[..2000])
    } else {
        s.to_string()
    }
}

// ---- simulators and clients --------------------------------------------

/// A config for tests: small catalog, delays a thousand times shorter.
pub fn config() -> SimulatorConfig {
    SimulatorConfig::default()
        .catalog_size(600)
        .time_factor(0.001)
}

pub async fn start(config: SimulatorConfig) -> (Simulator, Api) {
    let sim = Simulator::start(config).await.expect("simulator starts");
    let api = Api::new(&sim);
    (sim, api)
}

/// A response as a test sees it.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn header_u64(&self, name: &str) -> Option<u64> {
        self.header(name).and_then(|v| v.parse().ok())
    }

    /// The single error code of an error body.
    pub fn code(&self) -> i64 {
        let errors = self.body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("not an error body: {}", self.body));
        assert_eq!(errors.len(), 1, "{}", self.body);
        errors[0]["code"].as_i64().expect("code")
    }

    pub fn items(&self) -> &Vec<Value> {
        self.body
            .as_array()
            .unwrap_or_else(|| panic!("not a list ({}): {}", self.status, self.body))
    }

    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status, body: {}",
            self.body
        );
        self
    }

    pub fn expect_error(self, status: u16, code: i64) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status, body: {}",
            self.body
        );
        assert_eq!(self.code(), code, "{}", self.body);
        self
    }
}

/// An HTTP client for one simulator; every response is checked against
/// the spec and must carry the rate-limit headers.
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub auth: String,
    seen: Mutex<BTreeSet<String>>,
}

impl Api {
    pub fn new(sim: &Simulator) -> Self {
        Self {
            http: dvs::http_client_builder()
                .unwrap()
                .no_proxy()
                .build()
                .unwrap(),
            base: sim.base_url(),
            auth: sim.authorization(),
            seen: Mutex::new(BTreeSet::new()),
        }
    }

    /// Sends a request (authenticated unless `auth` is None) and validates
    /// the response.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        auth: Option<&str>,
    ) -> Resp {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{}", self.base, path));
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        if let Some(b) = body {
            req = req.header("Content-Type", "application/json").body(b);
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let body: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path} → {status}: not JSON ({e}): {text}"));
        assert!(status != 500, "{method} {path}: 500: {body}");
        for h in ["X-Ratelimit-Limit", "X-Ratelimit-Remaining"] {
            assert!(
                headers.contains_key(h),
                "{method} {path} → {status}: no {h}"
            );
        }
        let url_path = path.split('?').next().unwrap_or(path);
        let op = spec().validate(&method, &format!("/v1{url_path}"), status, &headers, &body);
        self.seen.lock().unwrap().insert(op);
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        let auth = self.auth.clone();
        self.send(Method::GET, path, None, Some(&auth)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        let auth = self.auth.clone();
        self.send(Method::POST, path, Some(body.to_string()), Some(&auth))
            .await
    }

    pub async fn post_raw(&self, path: &str, body: &str) -> Resp {
        let auth = self.auth.clone();
        self.send(Method::POST, path, Some(body.to_string()), Some(&auth))
            .await
    }

    /// Operation ids of every response validated so far.
    pub fn operations_seen(&self) -> BTreeSet<String> {
        self.seen.lock().unwrap().clone()
    }

    /// The first product matching a query string (`type=…&country_iso_code=…`).
    pub async fn product(&self, query: &str) -> Value {
        let r = self
            .get(&format!("/products?{query}&per_page=1"))
            .await
            .expect(200);
        r.items()
            .first()
            .cloned()
            .unwrap_or_else(|| panic!("no product for {query}"))
    }

    /// Creates a transaction asynchronously.
    pub async fn create(&self, body: Value) -> Resp {
        self.post("/async/transactions", body).await
    }

    pub async fn transaction(&self, id: i64) -> Value {
        self.get(&format!("/transactions/{id}"))
            .await
            .expect(200)
            .body
    }

    pub async fn balance(&self) -> (dvs::Decimal, dvs::Decimal) {
        let b = self.get("/balances").await.expect(200);
        let b = &b.items()[0];
        (exact(&b["available"]), exact(&b["holding"]))
    }
}

/// A JSON number, exactly, from its text.
pub fn exact(v: &Value) -> dvs::Decimal {
    assert!(v.is_number(), "{v} is not a number");
    let text = v.to_string();
    dvs::Decimal::from_str_exact(&text)
        .or_else(|_| dvs::Decimal::from_scientific(&text))
        .unwrap()
}

/// A Guatemalan mobile number ending in `suffix` (GTM is the first country
/// of every catalog, so it always has mobile products).
pub fn gtm_number(suffix: &str) -> String {
    format!("+5024123{suffix}")
}

/// A create body for a fixed recharge product and a mobile number.
pub fn create_body(external_id: &str, product_id: i64, number: &str, auto_confirm: bool) -> Value {
    json!({
        "external_id": external_id,
        "product_id": product_id,
        "auto_confirm": auto_confirm,
        "credit_party_identifier": {"mobile_number": number},
    })
}

/// A fixed recharge product of Guatemala.
pub async fn gtm_recharge(api: &Api) -> i64 {
    api.product("type=FIXED_VALUE_RECHARGE&country_iso_code=GTM")
        .await["id"]
        .as_i64()
        .unwrap()
}

pub fn status_of(tx: &Value) -> (&str, i64, i64) {
    (
        tx["status"]["message"].as_str().unwrap(),
        tx["status"]["id"].as_i64().unwrap(),
        tx["status"]["class"]["id"].as_i64().unwrap(),
    )
}
