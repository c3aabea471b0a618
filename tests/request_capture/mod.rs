//! Shared by the per-operation request tests (`requests_v1_21.rs`,
//! `requests_v1_0.rs`): an HTTP client carrying the test credentials, a mock
//! server answering every request, the capture of the one request it received
//! (normalized for a snapshot), and a check of that request against the
//! operation as the spec file declares it.

use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};

/// The API key and secret every test client authenticates with.
pub const API_KEY: &str = "dvs-test-key";
pub const API_SECRET: &str = "dvs-test-secret";

/// Read-only transaction fields a create request must never carry, besides
/// every property the spec marks `readOnly` (checked by [`Spec::check`]).
pub const TRANSACTION_SERVER_FIELDS: &[&str] = &[
    "id",
    "status",
    "prices",
    "rates",
    "creation_date",
    "confirmation_date",
    "confirmation_expiration_date",
    "operator_reference",
    "pin",
    "product",
    "benefits",
    "promotions",
];

/// Headers whose value changes between runs (`host` carries the port).
const VARYING_HEADERS: &[&str] = &["host", "content-length"];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Standard base64 (RFC 4648, with padding).
pub fn base64(input: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(input)
}

/// `Basic base64(key:secret)` for the test credentials.
pub fn expected_authorization() -> String {
    format!("Basic {}", base64(&format!("{API_KEY}:{API_SECRET}")))
}

/// An HTTP client sending the test credentials with HTTP Basic auth, the way
/// the crate's users configure the raw client.
pub fn http_client() -> reqwest::Client {
    let mut auth = reqwest::header::HeaderValue::from_str(&expected_authorization()).unwrap();
    auth.set_sensitive(true);
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, auth);
    dvs::http_client_builder()
        .unwrap()
        .default_headers(headers)
        .build()
        .unwrap()
}

/// A server on 127.0.0.1 answering every request with `status` and `body`.
/// It matches anything, so a request to a wrong path or method is still
/// captured and reported by [`capture`] rather than hidden behind a 404.
pub async fn mock_server(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// One received request, normalized for a snapshot.
#[derive(Debug, Serialize)]
pub struct Captured {
    pub method: String,
    pub path: String,
    /// Decoded query pairs, in the order they were sent.
    pub query: Vec<(String, String)>,
    /// Sorted, lower-case names; `authorization` redacted; `host` and
    /// `content-length` left out.
    pub headers: BTreeMap<String, String>,
    /// The JSON body, `null` when none was sent.
    #[serde(serialize_with = "plain_body")]
    pub body: Value,
}

/// The body with plain numbers, for snapshots (see `plain_json`).
fn plain_body<S: serde::Serializer>(body: &Value, s: S) -> Result<S::Ok, S::Error> {
    crate::plain_json::Plain(body).serialize(s)
}

impl Captured {
    /// Every value sent for query key `key`.
    pub fn query_values(&self, key: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// Takes the one request `server` received, asserts what every DVS request
/// must satisfy (one request, Basic credentials, no `api-version` header, no
/// repeated query key or header) and normalizes it.
pub async fn capture(server: &MockServer) -> Captured {
    let requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:#?}"
    );
    let request = &requests[0];

    let mut headers = BTreeMap::new();
    for name in request.headers.keys() {
        let values: Vec<_> = request.headers.get_all(name).iter().collect();
        assert_eq!(
            values.len(),
            1,
            "header `{name}` sent {} times",
            values.len()
        );
        let value = values[0].to_str().expect("ASCII header value");
        headers.insert(name.as_str().to_string(), value.to_string());
    }
    let auth = headers
        .get_mut("authorization")
        .expect("the request carries an authorization header");
    assert!(auth.starts_with("Basic "), "not HTTP Basic: {auth}");
    assert_eq!(*auth, expected_authorization());
    *auth = "[redacted]".to_string();
    assert!(
        !headers.contains_key("api-version"),
        "the api-version header must be removed before sending"
    );
    for name in VARYING_HEADERS {
        headers.remove(*name);
    }

    let query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut keys = BTreeSet::new();
    for (key, _) in &query {
        assert!(keys.insert(key), "query key `{key}` repeated: {query:?}");
    }

    let body = if request.body.is_empty() {
        Value::Null
    } else {
        assert_eq!(
            headers.get("content-type").map(String::as_str),
            Some("application/json")
        );
        serde_json::from_slice(&request.body).expect("the body is JSON")
    };

    Captured {
        method: request.method.to_string(),
        path: request.url.path().to_string(),
        query,
        headers,
        body,
    }
}

/// A spec file of `openapi/`, as JSON.
/// Runs `call` on a client of `make` against a server answering `status`
/// with `response`; asserts the request is `expected` ("METHOD /path"),
/// that `op` is listed in `covered`, that the request matches operation `op`
/// of `spec_file`, and that it equals its snapshot; asserts the response
/// decoded with `status`.
#[allow(clippy::too_many_arguments)]
pub async fn run<C, T, E: std::fmt::Debug>(
    op: &str,
    expected: &str,
    status: u16,
    response: Value,
    spec_file: &str,
    covered: &[&str],
    make: impl FnOnce(&str, reqwest::Client, dvs::CallSettings) -> C,
    call: impl AsyncFnOnce(
        &C,
    )
        -> Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
) -> Captured {
    assert!(covered.contains(&op), "{op} is not in COVERED");
    let server = mock_server(status, response).await;
    let client = make(&server.uri(), http_client(), dvs::CallSettings::default());
    let result = call(&client).await;
    let request = capture(&server).await;
    assert_eq!(format!("{} {}", request.method, request.path), expected);
    Spec::load(spec_file).check(op, &request);
    // Snapshots stay where each test binary keeps them: tests/snapshots/<binary>__<op>.snap.
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_json_snapshot!(format!("{}__{op}", env!("CARGO_CRATE_NAME")), request)
    });
    let response = result.unwrap_or_else(|e| panic!("{op}: {e}"));
    assert_eq!(response.status().as_u16(), status);
    request
}

/// A non-zero page number or size.
pub fn nz(n: u32) -> std::num::NonZeroU32 {
    std::num::NonZeroU32::new(n).unwrap()
}

/// An owned string.
pub fn s(value: &str) -> String {
    value.to_string()
}

/// A request body of a generated type, from JSON.
pub fn body<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid request body")
}

/// A minimal region body.
pub fn region() -> Value {
    serde_json::json!({"code": "GT-GU", "name": "Guatemala"})
}

/// A minimal country body.
pub fn country() -> Value {
    serde_json::json!({"iso_code": "GTM", "name": "Guatemala", "regions": [region()]})
}

/// A minimal operator body.
pub fn operator() -> Value {
    serde_json::json!({"id": 1452, "name": "Tigo Guatemala", "country": country(), "regions": [region()]})
}

pub struct Spec(Value);

impl Spec {
    pub fn load(file: &str) -> Spec {
        let path = format!("{}/openapi/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        Spec(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}")))
    }

    /// The `operationId` of every operation (every method under `paths`).
    pub fn operation_ids(&self) -> Vec<String> {
        self.operations()
            .map(|(_, _, _, op)| op["operationId"].as_str().expect("operationId").to_string())
            .collect()
    }

    /// (path template, method, path item, operation) of every operation.
    fn operations(&self) -> impl Iterator<Item = (&str, &str, &Value, &Value)> {
        self.0["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .expect("path item")
                    .iter()
                    .filter(|(method, _)| METHODS.contains(&method.as_str()))
                    .map(move |(method, op)| (path.as_str(), method.as_str(), item, op))
            })
    }

    /// Follows `$ref`s (and single-member `allOf` wrappers of schemas).
    fn resolve<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        loop {
            v = crate::normalize::resolve::resolve(&self.0, v);
            match v.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
                Some([inner]) => v = inner,
                _ => return v,
            }
        }
    }

    /// Checks `request` against operation `op_id` of the spec: method and
    /// path template; the query keys sent are exactly the operation's query
    /// parameters (the tests set every one); its header parameters are sent
    /// and no header beyond them, `accept`, `authorization` and (with a body)
    /// `content-type`; the body is present exactly when the operation takes
    /// one, and then only uses properties the request schema declares (none
    /// `readOnly`), with every required one.
    pub fn check(&self, op_id: &str, request: &Captured) {
        let (template, method, item, op) = self
            .operations()
            .find(|(_, _, _, op)| op["operationId"] == op_id)
            .unwrap_or_else(|| panic!("no operation `{op_id}` in the spec"));
        assert_eq!(request.method, method.to_uppercase(), "{op_id}: method");
        assert!(
            path_matches(template, &request.path),
            "{op_id}: path {} does not match {template}",
            request.path
        );

        let params: Vec<&Value> = [item.get("parameters"), op.get("parameters")]
            .into_iter()
            .flatten()
            .flat_map(|list| list.as_array().expect("parameters"))
            .map(|p| self.resolve(p))
            .collect();
        let named = |location: &str| -> BTreeSet<String> {
            params
                .iter()
                .filter(|p| p["in"] == location)
                .map(|p| p["name"].as_str().expect("parameter name").to_string())
                .collect()
        };
        let sent: BTreeSet<String> = request.query.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(sent, named("query"), "{op_id}: query parameter names");

        let body = op.get("requestBody").map(|b| self.resolve(b));
        let mut expected_headers: BTreeSet<String> =
            named("header").iter().map(|h| h.to_lowercase()).collect();
        expected_headers.extend(["accept".to_string(), "authorization".to_string()]);
        if body.is_some() {
            expected_headers.insert("content-type".to_string());
        }
        let sent_headers: BTreeSet<String> = request.headers.keys().cloned().collect();
        assert_eq!(sent_headers, expected_headers, "{op_id}: header names");

        match body {
            None => assert_eq!(request.body, Value::Null, "{op_id}: unexpected body"),
            Some(body) => {
                let schema = &body["content"]["application/json"]["schema"];
                assert!(request.body.is_object(), "{op_id}: body is not an object");
                self.check_body(schema, &request.body, "body");
            }
        }
    }

    fn check_body(&self, schema: &Value, value: &Value, at: &str) {
        // Read through the crate's shared resolver: `$ref`s followed and
        // `allOf` compositions merged, as the vendor writes request bodies.
        let schema = &crate::normalize::resolve::merged(&self.0, schema);
        match value {
            Value::Object(fields) => {
                let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                    return;
                };
                for (key, field) in fields {
                    let property = properties
                        .get(key)
                        .unwrap_or_else(|| panic!("{at}.{key} is not a property of the schema"));
                    assert!(
                        !is_read_only(&crate::normalize::resolve::merged(&self.0, property)),
                        "{at}.{key} is read-only and must not be sent"
                    );
                    self.check_body(property, field, &format!("{at}.{key}"));
                }
                for required in schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let required = required.as_str().expect("required name");
                    assert!(fields.contains_key(required), "{at}.{required} is required");
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check_body(item_schema, item, &format!("{at}[{i}]"));
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_read_only(property: &Value) -> bool {
    property["readOnly"] == true
        || property["allOf"]
            .as_array()
            .is_some_and(|list| list.iter().any(|s| s["readOnly"] == true))
}

/// True when `path` is `template` with each `{param}` segment filled in.
fn path_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') && t.ends_with('}') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// Asserts a transaction create body carries none of the fields the server
/// sets.
pub fn assert_no_server_fields(body: &Value) {
    let fields = body.as_object().expect("a JSON object body");
    for key in TRANSACTION_SERVER_FIELDS {
        assert!(!fields.contains_key(*key), "create body carries `{key}`");
    }
}

/// Shows [`Spec::check`] can fail: a valid create-transaction request for
/// `op` (`POST path`) passes, and each of these variants is rejected: a
/// read-only or undeclared body field, a missing required field, an
/// undeclared query key, an extra header, a wrong method.
pub fn assert_spec_check_rejects_bad_requests(spec_file: &str, op: &str, path: &str) {
    let spec = Spec::load(spec_file);
    let valid = || Captured {
        method: "POST".into(),
        path: path.into(),
        query: vec![],
        headers: ["accept", "authorization", "content-type"]
            .iter()
            .map(|h| (h.to_string(), "x".to_string()))
            .collect(),
        body: serde_json::json!({"external_id": "ord-1", "product_id": 61234,
                                 "credit_party_identifier": {"mobile_number": "+50212345678"}}),
    };
    let passes = |request: Captured| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| spec.check(op, &request))).is_ok()
    };
    assert!(passes(valid()), "the valid request fails the check");
    type Mutation = fn(&mut Captured);
    let variants: [(&str, Mutation); 9] = [
        ("read-only id", |r| r.body["id"] = 1.into()),
        ("read-only status", |r| {
            r.body["status"] = serde_json::json!({"id": 1})
        }),
        ("undeclared field", |r| r.body["productId"] = 1.into()),
        ("undeclared nested field", |r| {
            r.body["credit_party_identifier"]["msisdn"] = "1".into()
        }),
        ("missing product_id", |r| {
            r.body.as_object_mut().unwrap().remove("product_id");
        }),
        ("undeclared query key", |r| {
            r.query.push(("page".into(), "1".into()))
        }),
        ("extra header", |r| {
            r.headers.insert("api-version".into(), "1".into());
        }),
        ("wrong method", |r| r.method = "GET".into()),
        ("wrong path", |r| r.path.push_str("/confirm")),
    ];
    for (what, mutate) in variants {
        let mut request = valid();
        mutate(&mut request);
        assert!(!passes(request), "a request with {what} passes the check");
    }
}

#[test]
fn test_credentials_authorization() {
    assert_eq!(
        expected_authorization(),
        "Basic ZHZzLXRlc3Qta2V5OmR2cy10ZXN0LXNlY3JldA=="
    );
}

#[test]
fn path_templates_match_only_filled_segments() {
    assert!(path_matches("/products/{product_id}", "/products/61234"));
    assert!(!path_matches("/products/{product_id}", "/products/"));
    assert!(!path_matches("/products/{product_id}", "/products/1/x"));
    assert!(!path_matches(
        "/transactions/{id}/cancel",
        "/transactions/1/confirm"
    ));
}
