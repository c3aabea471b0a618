//! The vendored specs: they parse as OpenAPI 3.0, carry the documented
//! operations, match the manifest, and agree with the seed references field
//! for field wherever a seed shows a field.

#[path = "../src/normalize/mod.rs"]
#[allow(dead_code)]
mod normalize;

use normalize::resolve;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(file: &str) -> Value {
    let text = std::fs::read_to_string(root().join("openapi").join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `(method, path, operationId)` of every operation, in document order.
fn operations(spec: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                let id = op["operationId"].as_str().unwrap_or_default().to_string();
                out.push((method.to_uppercase(), path.clone(), id));
            }
        }
    }
    out
}

const V1_21_OPERATIONS: &[(&str, &str, &str)] = &[
    ("GET", "/services", "getServices"),
    ("GET", "/services/{service_id}", "getServiceById"),
    ("GET", "/countries", "getCountries"),
    (
        "GET",
        "/countries/{country_iso_code}",
        "getCountryByIsoCode",
    ),
    ("GET", "/operators", "getOperators"),
    ("GET", "/operators/{operator_id}", "getOperatorById"),
    ("GET", "/benefit-types", "getBenefitTypes"),
    ("GET", "/promotions", "getPromotions"),
    ("GET", "/promotions/{promotion_id}", "getPromotionById"),
    ("GET", "/campaigns", "getCampaigns"),
    ("GET", "/campaigns/{campaign_id}", "getCampaignById"),
    ("GET", "/products", "getProducts"),
    ("GET", "/products/{product_id}", "getProductById"),
    ("POST", "/async/transactions", "postTransactionAsync"),
    ("POST", "/sync/transactions", "postTransactionSync"),
    (
        "GET",
        "/transactions/{transaction_id}",
        "getTransactionById",
    ),
    ("GET", "/transactions", "getTransactions"),
    (
        "POST",
        "/async/transactions/{transaction_id}/confirm",
        "postTransactionConfirmAsync",
    ),
    (
        "POST",
        "/sync/transactions/{transaction_id}/confirm",
        "postTransactionConfirmSync",
    ),
    (
        "POST",
        "/transactions/{transaction_id}/cancel",
        "postTransactionCancel",
    ),
    ("GET", "/balances", "getBalances"),
    ("POST", "/lookup/mobile-number", "postLookupMobileNumber"),
    (
        "GET",
        "/lookup/mobile-number/{mobile_number}",
        "getLookupMobileNumber",
    ),
    (
        "POST",
        "/lookup/statement-inquiry",
        "postLookupStatementInquiry",
    ),
    (
        "POST",
        "/lookup/credit-party-benefits",
        "postLookupCreditPartyBenefits",
    ),
    (
        "POST",
        "/lookup/credit-party-status",
        "postLookupCreditPartyStatus",
    ),
];

const V1_0_OPERATIONS: &[(&str, &str, &str)] = &[
    ("GET", "/services", "getServices"),
    ("GET", "/services/{service_id}", "getServiceById"),
    ("GET", "/countries", "getCountries"),
    (
        "GET",
        "/countries/{country_iso_code}",
        "getCountryByIsoCode",
    ),
    ("GET", "/operators", "getOperators"),
    ("GET", "/operators/{operator_id}", "getOperatorById"),
    ("GET", "/benefit-types", "getBenefitTypes"),
    ("GET", "/promotions", "getPromotions"),
    ("GET", "/promotions/{promotion_id}", "getPromotionById"),
    ("GET", "/products", "getProducts"),
    ("GET", "/products/{product_id}", "getProductById"),
    ("POST", "/transactions", "postTransaction"),
    (
        "GET",
        "/transactions/{transaction_id}",
        "getTransactionById",
    ),
    ("GET", "/transactions", "getTransactions"),
    (
        "POST",
        "/transactions/{transaction_id}/confirm",
        "postTransactionConfirm",
    ),
    (
        "POST",
        "/transactions/{transaction_id}/cancel",
        "postTransactionCancel",
    ),
    ("GET", "/balances", "getBalances"),
];

fn assert_operations(file: &str, expected: &[(&str, &str, &str)]) {
    let spec = load(file);
    let mut got = operations(&spec);
    got.sort();
    let mut want: Vec<_> = expected
        .iter()
        .map(|(m, p, i)| (m.to_string(), p.to_string(), i.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want, "{file}: operations");
}

/// The 25 operations of the seed, plus the deprecated
/// `GET /lookup/mobile-number/{mobile_number}` that the seed no longer
/// prints but the vendor's documents (1.14.0 and 1.23.0) still declare.
#[test]
fn v1_21_has_the_26_documented_operations() {
    assert_eq!(V1_21_OPERATIONS.len(), 26);
    assert_operations("dvs-1.21.0.json", V1_21_OPERATIONS);
}

/// The GET look-up: deprecated, the number as an E.164 path parameter,
/// paging in the query, and the answer of the POST look-up (same item
/// schema, same headers).
#[test]
fn the_path_mobile_number_lookup_is_the_deprecated_twin_of_the_post() {
    let spec = load("dvs-1.21.0.json");
    let get = &spec["paths"]["/lookup/mobile-number/{mobile_number}"]["get"];
    let post = &spec["paths"]["/lookup/mobile-number"]["post"];
    assert_eq!(get["deprecated"], true);
    assert!(post.get("deprecated").is_none());
    let params: Vec<&Value> = get["parameters"].as_array().unwrap().iter().collect();
    assert_eq!(params.len(), 3);
    let number = params
        .iter()
        .find(|p| p["name"] == "mobile_number")
        .expect("mobile_number parameter");
    assert_eq!(
        (
            number["in"].as_str(),
            number["required"].as_bool(),
            number["schema"]["$ref"].as_str()
        ),
        (Some("path"), Some(true), Some("#/components/schemas/E164"))
    );
    for paging in [
        "#/components/parameters/Page",
        "#/components/parameters/PerPage",
    ] {
        assert!(params.iter().any(|p| p["$ref"] == paging), "{paging}");
    }
    assert!(get.get("requestBody").is_none());
    // The same items as the POST look-up, read through the shared resolver.
    let items = |op: &Value| {
        resolve::merged(
            &spec,
            &op["responses"]["200"]["content"]["application/json"]["schema"]["items"],
        )
    };
    assert_eq!(items(get), items(post));
    assert_eq!(get["tags"], post["tags"]);
}

#[test]
fn v1_0_has_the_17_documented_operations() {
    assert_eq!(V1_0_OPERATIONS.len(), 17);
    assert_operations("dvs-1.0.0.json", V1_0_OPERATIONS);
}

#[test]
fn specs_parse_as_openapi_3_0() {
    for (file, version) in [("dvs-1.21.0.json", "1.21.0"), ("dvs-1.0.0.json", "1.0.0")] {
        let text = std::fs::read_to_string(root().join("openapi").join(file)).unwrap();
        let api: openapiv3::OpenAPI = serde_json::from_str(&text).unwrap();
        assert!(api.openapi.starts_with("3.0."), "{file}: {}", api.openapi);
        assert_eq!(api.info.version, version);
        let servers: Vec<_> = api.servers.iter().map(|s| s.url.as_str()).collect();
        assert_eq!(
            servers,
            [
                "https://preprod-dvs-api.dtone.com/v1",
                "https://dvs-api.dtone.com/v1"
            ]
        );
        let scheme = &api.components.as_ref().unwrap().security_schemes["BasicAuth"];
        let scheme = serde_json::to_value(scheme.as_item().unwrap()).unwrap();
        assert_eq!(scheme["type"], "http");
        assert_eq!(scheme["scheme"], "basic");
        assert_eq!(
            serde_json::to_value(&api.security).unwrap(),
            serde_json::json!([{"BasicAuth": []}])
        );
    }
}

/// Every `$ref` resolves inside the document.
#[test]
fn every_ref_resolves() {
    fn walk(spec: &Value, v: &Value, bad: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                    if spec.pointer(r.trim_start_matches('#')).is_none() {
                        bad.push(r.to_string());
                    }
                }
                o.values().for_each(|c| walk(spec, c, bad));
            }
            Value::Array(a) => a.iter().for_each(|c| walk(spec, c, bad)),
            _ => {}
        }
    }
    for file in ["dvs-1.21.0.json", "dvs-1.0.0.json"] {
        let spec = load(file);
        let mut bad = Vec::new();
        walk(&spec, &spec, &mut bad);
        assert!(bad.is_empty(), "{file}: unresolved {bad:?}");
    }
}

#[test]
fn manifest_matches_the_committed_files() {
    use sha2::Digest;
    let text = std::fs::read_to_string(root().join("openapi/specs.toml")).unwrap();
    let manifest: toml::Value = toml::from_str(&text).unwrap();
    let specs = manifest["spec"].as_array().unwrap();
    assert_eq!(specs.len(), 3);
    for s in specs {
        let file = s["file"].as_str().unwrap();
        let bytes = std::fs::read(root().join("openapi").join(file)).unwrap();
        let digest = sha2::Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(s["sha256"].as_str().unwrap(), hex, "{file}: sha256");
        let spec: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(spec["info"]["version"], s["version"].as_str().unwrap());
        assert!(s["url"].as_str().unwrap().starts_with("https://"));
    }
}

/// The paging contract: list operations take `page`/`per_page` with the
/// documented bounds and declare the six `X-*` headers.
#[test]
fn list_operations_declare_paging() {
    for file in ["dvs-1.21.0.json", "dvs-1.0.0.json"] {
        let spec = load(file);
        let page = &spec["components"]["parameters"]["Page"]["schema"];
        let per_page = &spec["components"]["parameters"]["PerPage"]["schema"];
        assert_eq!(
            (page["minimum"].as_i64(), page["default"].as_i64()),
            (Some(1), Some(1))
        );
        assert_eq!(
            (
                per_page["minimum"].as_i64(),
                per_page["maximum"].as_i64(),
                per_page["default"].as_i64()
            ),
            (Some(1), Some(100), Some(50))
        );
        for (method, path, id) in operations(&spec) {
            let op = &spec["paths"][&path][method.to_lowercase()];
            let refs: Vec<&str> = op["parameters"]
                .as_array()
                .map(|ps| ps.iter().filter_map(|p| p["$ref"].as_str()).collect())
                .unwrap_or_default();
            if !refs.contains(&"#/components/parameters/Page") {
                continue;
            }
            let ok = op["responses"]["200"]["headers"].as_object().unwrap();
            for h in [
                "X-Total",
                "X-Total-Pages",
                "X-Per-Page",
                "X-Page",
                "X-Next-Page",
                "X-Prev-Page",
            ] {
                assert!(ok.contains_key(h), "{file} {id}: no {h}");
            }
        }
    }
}

/// The document normalized as `build.rs` normalizes it.
fn normalized(file: &str) -> Value {
    let mut spec = load(file);
    let fixups = if file.starts_with("dvs-1.0.") {
        normalize::DVS_V1_0_FIXUPS
    } else {
        normalize::DVS_V1_21_FIXUPS
    };
    normalize::normalize_with(&mut spec, fixups).unwrap();
    spec
}

/// What the reference says only in prose is not in the vendored documents
/// (they stay in the vendor's shape) and is declared by normalization: the
/// rate-limit headers on every success response.
#[test]
fn rate_limit_headers_are_added_by_normalization_only() {
    for file in ["dvs-1.21.0.json", "dvs-1.0.0.json"] {
        let raw = load(file).to_string();
        assert!(!raw.contains("X-Ratelimit"), "{file}: declares rate limits");
        assert!(!raw.contains("\"callbacks\""), "{file}: declares callbacks");
        let spec = normalized(file);
        for (method, path, id) in operations(&spec) {
            let op = &spec["paths"][&path][method.to_lowercase()];
            for (code, resp) in op["responses"].as_object().unwrap() {
                if code.starts_with('2') {
                    for h in ["X-Ratelimit-Limit", "X-Ratelimit-Remaining"] {
                        assert!(resp["headers"].get(h).is_some(), "{file} {id} {code}: {h}");
                    }
                }
            }
        }
    }
}

/// Operations that take `callback_url` declare the callback, once normalized.
#[test]
fn callback_url_operations_declare_the_callback() {
    for (file, ops) in [
        ("dvs-1.21.0.json", &["postTransactionAsync"][..]),
        ("dvs-1.0.0.json", &["postTransaction"][..]),
    ] {
        let spec = normalized(file);
        for (method, path, id) in operations(&spec) {
            let op = &spec["paths"][&path][method.to_lowercase()];
            let has = op.get("callbacks").is_some();
            assert_eq!(has, ops.contains(&id.as_str()), "{file} {id}: callbacks");
            if has {
                let cb = op["callbacks"]
                    .as_object()
                    .unwrap()
                    .values()
                    .next()
                    .unwrap();
                let (expr, item) = cb.as_object().unwrap().iter().next().unwrap();
                assert_eq!(expr, "{$request.body#/callback_url}");
                assert_eq!(
                    item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/Transaction"
                );
            }
        }
    }
}

/// Version facts the issue pins: what each version has and has not.
#[test]
fn version_specific_facts() {
    let new = load("dvs-1.21.0.json");
    let old = load("dvs-1.0.0.json");
    let enum_of = |spec: &Value, name: &str| -> Vec<String> {
        spec["components"]["schemas"][name]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(enum_of(&new, "ProductTypes").len(), 5);
    assert!(enum_of(&new, "ProductTypes").contains(&"RANGED_VALUE_PAYMENT".into()));
    assert_eq!(
        enum_of(&old, "ProductTypes"),
        [
            "FIXED_VALUE_RECHARGE",
            "RANGED_VALUE_RECHARGE",
            "FIXED_VALUE_PIN_PURCHASE",
            "RANGED_VALUE_PIN_PURCHASE"
        ]
    );
    assert!(enum_of(&new, "BenefitTypes").contains(&"PAYMENT".into()));
    assert!(!enum_of(&old, "BenefitTypes").contains(&"PAYMENT".into()));
    // 1.21.0 predates product sorting and transaction metadata.
    let products_params = new["paths"]["/products"]["get"]["parameters"].to_string();
    assert!(!products_params.contains("\"sort\""));
    assert!(new["components"]["schemas"]["Transaction"]["properties"]
        .get("metadata")
        .is_none());
    // explode:false arrays as documented.
    for p in new["paths"]["/products"]["get"]["parameters"]
        .as_array()
        .unwrap()
    {
        if ["tags", "benefit_types"].contains(&p["name"].as_str().unwrap_or("")) {
            assert_eq!(
                (p["style"].as_str(), p["explode"].as_bool()),
                (Some("form"), Some(false))
            );
        }
    }
    // Write-only and read-only fields as the vendor marks them (on the
    // property or on a member of its `allOf`).
    let tx = &new["components"]["schemas"]["Transaction"];
    let flag = |f: &str, flag: &str| resolve::merged(&new, &tx["properties"][f])[flag] == true;
    for f in [
        "product_id",
        "auto_confirm",
        "calculation_mode",
        "source",
        "destination",
    ] {
        assert!(flag(f, "writeOnly"), "{f}");
    }
    for f in ["id", "status", "prices", "pin", "creation_date"] {
        assert!(flag(f, "readOnly"), "{f}");
    }
}

// ---------------------------------------------------------------------------
// Field-for-field agreement with the seed references.
// ---------------------------------------------------------------------------

/// What a seed shows of one operation.
#[derive(Debug, Default)]
struct SeedOperation {
    params: BTreeSet<String>,
    /// Parameter name -> the seed's type line (type, format, pattern, range).
    param_types: std::collections::BTreeMap<String, String>,
    body_fields: BTreeSet<String>,
    request_sample: BTreeSet<String>,
    response_sample: BTreeSet<String>,
}

fn seeds_dir() -> Option<PathBuf> {
    let dir = root().join("../shared/seeds");
    dir.is_dir().then_some(dir)
}

fn seed_text(dir: &Path, prefix: &str) -> String {
    let entry = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .unwrap();
    std::fs::read_to_string(entry.path()).unwrap()
}

fn is_name(line: &str) -> bool {
    !line.is_empty()
        && !["required", "object"].contains(&line)
        && line
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && line.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}

fn is_type_line(line: &str) -> bool {
    line == "required"
        || ["string", "integer", "number", "boolean", "Array", "object"]
            .iter()
            .any(|t| line.starts_with(t))
}

fn sample_key(line: &str) -> Option<String> {
    let rest = line.strip_prefix("  • \"")?;
    Some(rest.split('"').next()?.to_string())
}

/// Parses the section of one operation, from its heading to the next.
fn parse_section(lines: &[&str]) -> SeedOperation {
    #[derive(PartialEq)]
    enum Mode {
        None,
        Params,
        Body,
        RequestSample,
        ResponseSample,
    }
    let mut op = SeedOperation::default();
    let mut mode = Mode::None;
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_end();
        if line.ends_with("Parameters") {
            mode = Mode::Params;
            continue;
        }
        if line.starts_with("Request Body schema") {
            mode = Mode::Body;
            continue;
        }
        if line == "Responses" {
            mode = Mode::None;
            continue;
        }
        if line == "Request samples" {
            mode = Mode::RequestSample;
            continue;
        }
        if line == "Response samples" {
            mode = Mode::ResponseSample;
            continue;
        }
        let next = lines.get(i + 1).map(|l| l.trim_end()).unwrap_or("");
        match mode {
            Mode::Params if is_name(line) && is_type_line(next) => {
                op.params.insert(line.to_string());
                let type_line = if next == "required" {
                    lines.get(i + 2).map(|l| l.trim_end()).unwrap_or("")
                } else {
                    next
                };
                op.param_types
                    .insert(line.to_string(), type_line.to_string());
            }
            Mode::Body if is_name(line) && is_type_line(next) => {
                op.body_fields.insert(line.to_string());
            }
            Mode::RequestSample => {
                op.request_sample.extend(sample_key(line));
            }
            Mode::ResponseSample => {
                op.response_sample.extend(sample_key(line));
            }
            _ => {}
        }
    }
    op
}

/// Splits a seed into operation sections by their headings.
fn seed_operations(text: &str, headings: &[(&str, &str)]) -> Vec<(String, SeedOperation)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for (heading, id) in headings {
        let at = lines
            .iter()
            .position(|l| l.trim_end() == *heading)
            .unwrap_or_else(|| panic!("heading `{heading}` not in seed"));
        starts.push((at, id));
    }
    starts.sort();
    let mut out = Vec::new();
    for (n, (at, id)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(lines.len(), |(e, _)| *e);
        out.push((id.to_string(), parse_section(&lines[at + 1..end])));
    }
    out
}

fn deref<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    resolve::resolve(spec, v)
}

/// Property names of a schema (through the crate's shared resolver: `$ref`s
/// followed, `allOf` merged), without those flagged `skip` (`readOnly` /
/// `writeOnly`, on the property or on a member of its `allOf`).
fn props(spec: &Value, schema: &Value, skip: &str) -> BTreeSet<String> {
    let merged = resolve::merged(spec, schema);
    let mut out = BTreeSet::new();
    if let Some(p) = merged["properties"].as_object() {
        for (k, v) in p {
            if resolve::merged(spec, v)[skip] != true {
                out.insert(k.clone());
            }
        }
    }
    out
}

/// Compares a parameter schema with the seed's type line, e.g.
/// `integer <int32> (ServiceID) >= 1` or `string (E164) ^\+[1-9][0-9]{6,14}$`.
fn check_param_type(spec: &Value, id: &str, name: &str, schema: &Value, line: &str) -> Vec<String> {
    let mut schema = deref(spec, schema).clone();
    if let Some(inner) = schema["allOf"].as_array().and_then(|a| a.first()) {
        schema = deref(spec, inner).clone();
    }
    if schema["type"] == "array" {
        schema = deref(spec, &schema["items"]).clone();
    }
    let mut out = Vec::new();
    let mut bad = |what: &str| out.push(format!("{id}: parameter {name}: {what} (seed: `{line}`)"));
    let ty = line.split_whitespace().next().unwrap_or("");
    let want_ty = match ty {
        "Array" => schema["type"].as_str().unwrap_or(""),
        t => t,
    };
    if schema["type"].as_str() != Some(want_ty) {
        bad("type");
    }
    if let Some(start) = line.find('<') {
        let format = &line[start + 1..line[start..].find('>').map_or(start, |e| start + e)];
        if schema["format"].as_str() != Some(format) {
            bad("format");
        }
    }
    if let Some(start) = line.find(" ^") {
        let pattern = line[start + 1..].trim_end_matches("...");
        let got = schema["pattern"].as_str().unwrap_or("");
        if !got.starts_with(pattern) {
            bad("pattern");
        }
    }
    if let Some(rest) = line.split(">= ").nth(1) {
        let min: i64 = rest.split_whitespace().next().unwrap().parse().unwrap();
        if schema["minimum"].as_i64() != Some(min) {
            bad("minimum");
        }
    }
    if let Some(rest) = line.split("[ ").nth(1) {
        let mut it = rest.split(" .. ");
        let lo: i64 = it.next().unwrap().trim().parse().unwrap();
        let hi: i64 = it
            .next()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let (min_key, max_key) = if line.contains("characters") {
            ("minLength", "maxLength")
        } else {
            ("minimum", "maximum")
        };
        if schema[min_key].as_i64() != Some(lo) || schema[max_key].as_i64() != Some(hi) {
            bad("range");
        }
    }
    out
}

fn find_op<'a>(spec: &'a Value, id: &str) -> &'a Value {
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if op["operationId"] == id {
                return op;
            }
        }
    }
    panic!("no operation {id}")
}

/// Checks one version against its seed. `extra` lists spec fields the seed
/// does not show for an operation, with the reason they are there.
fn check_against_seed(
    file: &str,
    seed_prefix: &str,
    headings: &[(&str, &str)],
    extra: &[(&str, &str)],
) {
    let Some(dir) = seeds_dir() else {
        eprintln!("skipped: ../shared/seeds is not beside the checkout");
        return;
    };
    let spec = load(file);
    let text = seed_text(&dir, seed_prefix);
    let mut problems = Vec::new();
    let mut checked = 0;
    for (id, seed) in seed_operations(&text, headings) {
        let op = find_op(&spec, &id);
        // Parameters, by name.
        let params: BTreeSet<String> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .map(|p| deref(&spec, p)["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        if params != seed.params {
            problems.push(format!(
                "{id}: parameters spec {params:?} seed {:?}",
                seed.params
            ));
        }
        for p in op["parameters"].as_array().into_iter().flatten() {
            let p = deref(&spec, p);
            let name = p["name"].as_str().unwrap();
            if let Some(type_line) = seed.param_types.get(name) {
                problems.extend(check_param_type(&spec, &id, name, &p["schema"], type_line));
            }
        }
        // Request body: named fields and sample keys.
        let body = &op["requestBody"]["content"]["application/json"]["schema"];
        let shown: BTreeSet<String> = seed
            .body_fields
            .union(&seed.request_sample)
            .cloned()
            .collect();
        if !body.is_null() {
            let fields = props(&spec, body, "readOnly");
            let allowed: BTreeSet<String> = extra
                .iter()
                .filter(|(op_id, _)| *op_id == id)
                .map(|(_, f)| f.to_string())
                .collect();
            if !shown.is_subset(&fields) || !fields.difference(&shown).all(|f| allowed.contains(f))
            {
                problems.push(format!(
                    "{id}: request fields spec {fields:?} seed {shown:?}"
                ));
            }
        } else if !shown.is_empty() {
            problems.push(format!("{id}: seed shows a body, spec has none"));
        }
        // Response sample keys of object responses.
        if !seed.response_sample.is_empty() {
            let ok = op["responses"]
                .as_object()
                .unwrap()
                .iter()
                .find(|(code, _)| code.starts_with('2'))
                .map(|(_, r)| deref(&spec, r))
                .unwrap();
            let mut schema = deref(&spec, &ok["content"]["application/json"]["schema"]);
            if let Some(first) = schema["oneOf"].as_array().and_then(|v| v.first()) {
                // The seed's sample of a union shows its first variant.
                schema = deref(&spec, first);
            }
            let fields = props(&spec, schema, "writeOnly");
            let allowed: BTreeSet<String> = extra
                .iter()
                .filter(|(op_id, _)| *op_id == id)
                .map(|(_, f)| f.to_string())
                .collect();
            if !seed.response_sample.is_subset(&fields)
                || !fields
                    .difference(&seed.response_sample)
                    .all(|f| allowed.contains(f))
            {
                problems.push(format!(
                    "{id}: response fields spec {fields:?} seed {:?}",
                    seed.response_sample
                ));
            }
        }
        checked += 1;
    }
    assert_eq!(checked, headings.len());
    assert!(
        problems.is_empty(),
        "{file} vs seed:\n{}",
        problems.join("\n")
    );
}

#[test]
fn v1_21_matches_its_seed_field_for_field() {
    check_against_seed(
        "dvs-1.21.0.json",
        "000_",
        &[
            ("Retrieve list of services", "getServices"),
            ("Retrieve service by ID", "getServiceById"),
            ("Retrieve list of countries", "getCountries"),
            ("Retrieve country by ISO code", "getCountryByIsoCode"),
            ("Retrieve list of operators", "getOperators"),
            ("Retrieve operator by ID", "getOperatorById"),
            ("Retrieve list of benefit types", "getBenefitTypes"),
            ("Retrieve list of promotions", "getPromotions"),
            ("Retrieve promotion by ID", "getPromotionById"),
            ("Retrieve list of active campaigns", "getCampaigns"),
            ("Retrieve campaign by ID", "getCampaignById"),
            ("Retrieve list of products", "getProducts"),
            ("Retrieve product by ID", "getProductById"),
            (
                "Create a transaction asynchronously",
                "postTransactionAsync",
            ),
            ("Create a transaction synchronously", "postTransactionSync"),
            ("Query a transaction by ID", "getTransactionById"),
            ("Query list of transactions", "getTransactions"),
            (
                "Confirm a transaction asynchronously",
                "postTransactionConfirmAsync",
            ),
            (
                "Confirm a transaction synchronously",
                "postTransactionConfirmSync",
            ),
            ("Cancel a transaction", "postTransactionCancel"),
            ("Retrieve balances", "getBalances"),
            (
                "Look up operators for a given mobile number",
                "postLookupMobileNumber",
            ),
            (
                "Inquire statements for a given account number",
                "postLookupStatementInquiry",
            ),
            (
                "Retrieve remaining product benefits for a given credit party",
                "postLookupCreditPartyBenefits",
            ),
            (
                "Retrieve status for a given credit party",
                "postLookupCreditPartyStatus",
            ),
        ],
        // One Transaction schema serves every transaction operation; the seed
        // shows `callback_url` only where the async create takes it and in
        // the GET response.
        &[
            ("postTransactionSync", "callback_url"),
            ("postTransactionAsync", "callback_url"),
            ("postTransactionConfirmAsync", "callback_url"),
            ("postTransactionConfirmSync", "callback_url"),
            ("postTransactionCancel", "callback_url"),
        ],
    );
}

#[test]
fn v1_0_matches_its_seed_field_for_field() {
    check_against_seed(
        "dvs-1.0.0.json",
        "001_",
        &[
            ("Retrieve list of services", "getServices"),
            ("Retrieve service by ID", "getServiceById"),
            ("Retrieve list of countries", "getCountries"),
            ("Retrieve country by ISO code", "getCountryByIsoCode"),
            ("Retrieve list of operators", "getOperators"),
            ("Retrieve operator by ID", "getOperatorById"),
            ("Retrieve list of benefit types", "getBenefitTypes"),
            ("Retrieve list of promotions", "getPromotions"),
            ("Retrieve promotion by ID", "getPromotionById"),
            ("Retrieve list of products", "getProducts"),
            ("Retrieve product by ID", "getProductById"),
            ("Create a transaction", "postTransaction"),
            ("Query a transaction by ID", "getTransactionById"),
            ("Query list of transactions", "getTransactions"),
            ("Confirm a transaction", "postTransactionConfirm"),
            ("Cancel a transaction", "postTransactionCancel"),
            ("Retrieve balances", "getBalances"),
        ],
        &[
            ("postTransaction", "callback_url"),
            ("postTransactionConfirm", "callback_url"),
            ("postTransactionCancel", "callback_url"),
        ],
    );
}
