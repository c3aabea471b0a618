//! Spec normalization: the named fixups applied to a vendored OpenAPI document
//! before code generation.
//!
//! This file is shared, by `#[path]`, between `build.rs`, `xtask` and the test
//! suite, so it depends on nothing but `serde_json` and the standard library.
//!
//! Every fixup is a plain function over the JSON document. Each one says which
//! quirk it handles and why, and returns an error when it finds nothing to fix:
//! a fixup that no longer applies after a spec refresh is reported by name
//! instead of lingering unnoticed.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub mod additions;
pub mod contract;
pub mod resolve;
pub mod shape;

use resolve::escape;

/// What a fixup runs: changes the document, returns how many places it changed.
pub type Apply = fn(&mut Value) -> Result<usize, String>;

/// A named spec fixup.
pub struct Fixup {
    /// Stable name, reported when the fixup fails or no longer applies.
    pub name: &'static str,
    /// The function; returns how many places it changed.
    pub apply: Apply,
    /// A quirk fixup must change something: one that finds nothing to fix
    /// is stale and fails. A shaping step (`false`) may find the document
    /// already in shape.
    pub must_change: bool,
}

const fn quirk(name: &'static str, apply: Apply) -> Fixup {
    Fixup {
        name,
        apply,
        must_change: true,
    }
}

const fn step(name: &'static str, apply: Apply) -> Fixup {
    Fixup {
        name,
        apply,
        must_change: false,
    }
}

/// A fixup that failed, or that found nothing to fix.
#[derive(Debug)]
pub struct FixupError {
    /// The fixup's name.
    pub fixup: &'static str,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for FixupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "spec fixup `{}`: {}", self.fixup, self.message)
    }
}

impl std::error::Error for FixupError {}

fn canonical_names_v1_21(spec: &mut Value) -> Result<usize, String> {
    contract::canonical_names(spec, &contract::V1_21)
}

fn facade_needs_v1_21(spec: &mut Value) -> Result<usize, String> {
    contract::check_needs(spec, &contract::V1_21).map(|()| 0)
}

fn canonical_names_v1_0(spec: &mut Value) -> Result<usize, String> {
    contract::canonical_names(spec, &contract::V1_0)
}

fn facade_needs_v1_0(spec: &mut Value) -> Result<usize, String> {
    contract::check_needs(spec, &contract::V1_0).map(|()| 0)
}

/// The shaping steps every DVS document goes through first: names filled
/// and folded, the facade's needs checked, before any quirk is fixed.
macro_rules! dvs_fixups {
    ($names:ident, $needs:ident) => {
        &[
            step("fill_operation_ids", shape::fill_operation_ids),
            step("fold_alias_components", shape::fold_alias_components),
            step("facade_needs", $needs),
            // Before names are shared: the callback goes where the vendor's
            // document takes `callback_url`, and nowhere else.
            quirk(
                "declare_transaction_callback",
                additions::declare_transaction_callback,
            ),
            step("canonical_names", $names),
            quirk(
                "default_response_to_error_ranges",
                default_response_to_error_ranges,
            ),
            quirk(
                "declare_rate_limit_headers",
                additions::declare_rate_limit_headers,
            ),
            quirk("split_read_write_only", split_read_write_only),
            step("merge_all_of", shape::merge_all_of),
            quirk("comma_separated_array_params", comma_separated_array_params),
            step("typed_string_parameters", typed_string_parameters),
            quirk("mark_tagged_unions", mark_tagged_unions),
            quirk(
                "allow_unknown_response_fields",
                allow_unknown_response_fields,
            ),
            quirk("open_response_enums", open_response_enums),
            quirk("relax_response_constraints", relax_response_constraints),
            quirk("exact_decimal_numbers", exact_decimal_numbers),
        ]
    };
}

/// The fixups applied to a DVS 1.21 document, in order.
pub const DVS_V1_21_FIXUPS: &[Fixup] = dvs_fixups!(canonical_names_v1_21, facade_needs_v1_21);

/// The fixups applied to a DVS 1.0 document, in order.
pub const DVS_V1_0_FIXUPS: &[Fixup] = dvs_fixups!(canonical_names_v1_0, facade_needs_v1_0);

/// The fixups the Prepay Nation ValueTopup v2 spec needs, in order. It has
/// none of DVS's read/write-only, array-parameter, union, closed-object or
/// enum quirks.
pub const VALUETOPUP_FIXUPS: &[Fixup] = &[
    quirk("iso_country_code_parameters", iso_country_code_parameters),
    quirk(
        "default_response_to_error_ranges",
        default_response_to_error_ranges,
    ),
    quirk("relax_response_constraints", relax_response_constraints),
    quirk("exact_decimal_numbers", exact_decimal_numbers),
];

/// Runs `fixups` in order over `spec`. Returns, per fixup, how many places it
/// changed; fails on the first fixup that errs or changes nothing.
pub fn normalize_with(
    spec: &mut Value,
    fixups: &[Fixup],
) -> Result<Vec<(&'static str, usize)>, FixupError> {
    let mut report = Vec::with_capacity(fixups.len());
    for fixup in fixups {
        match (fixup.apply)(spec) {
            Ok(0) if fixup.must_change => {
                return Err(FixupError {
                    fixup: fixup.name,
                    message: "found nothing to fix: the quirk it handles is gone from the spec; \
                              remove the fixup or update it"
                        .into(),
                })
            }
            Ok(n) => report.push((fixup.name, n)),
            Err(message) => {
                return Err(FixupError {
                    fixup: fixup.name,
                    message,
                })
            }
        }
    }
    Ok(report)
}

/// Runs [`DVS_V1_21_FIXUPS`] over a DVS 1.21 document.
pub fn normalize_dvs(spec: &mut Value) -> Result<Vec<(&'static str, usize)>, FixupError> {
    normalize_with(spec, DVS_V1_21_FIXUPS)
}

/// Extension key under which [`mark_tagged_unions`] records a discriminated
/// `oneOf` for the code generator: `{"property": "...", "variants": {"TAG": "SchemaName"}}`.
pub const TAGGED_UNION_KEY: &str = "x-dvs-tagged-union";
/// Extension key under which [`open_response_enums`] keeps the known values.
pub const KNOWN_VALUES_KEY: &str = "x-dvs-known-values";
/// Extension key under which [`relax_response_constraints`] keeps the
/// constraints it removed from response-side schemas.
pub const RELAXED_KEY: &str = "x-dvs-relaxed";
/// Extension key under which [`comma_separated_array_params`] keeps the item
/// schema of a parameter that is now sent as one comma-separated string.
pub const COMMA_SEPARATED_KEY: &str = "x-dvs-comma-separated";

/// A discriminated union found in a normalized spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedUnion {
    /// Component name of the union (e.g. `Product`).
    pub name: String,
    /// Discriminator property (e.g. `type`).
    pub property: String,
    /// Tag value -> component name of the variant.
    pub variants: BTreeMap<String, String>,
}

/// Lists the unions [`mark_tagged_unions`] marked in a normalized spec.
pub fn tagged_unions(spec: &Value) -> Vec<TaggedUnion> {
    let mut out = Vec::new();
    if let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            if let Some(mark) = schema.get(TAGGED_UNION_KEY) {
                let property = mark["property"].as_str().unwrap_or("type").to_string();
                let variants = mark["variants"]
                    .as_object()
                    .map(|m| {
                        m.iter()
                            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(TaggedUnion {
                    name: name.clone(),
                    property,
                    variants,
                });
            }
        }
    }
    out
}

pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
use resolve::SCHEMA_PREFIX;

/// Calls `f` on every operation object of `paths`.
pub(crate) fn for_each_operation(spec: &mut Value, mut f: impl FnMut(&mut Map<String, Value>)) {
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(item) = item.as_object_mut() {
                for (method, op) in item.iter_mut() {
                    if METHODS.contains(&method.as_str()) {
                        if let Some(op) = op.as_object_mut() {
                            f(op);
                        }
                    }
                }
            }
        }
    }
}

/// Calls `f` on every parameter object: those written in an operation, and
/// the shared ones under `components/parameters`.
fn for_each_parameter(spec: &mut Value, mut f: impl FnMut(&mut Value)) {
    for_each_operation(spec, |op| {
        if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
            params.iter_mut().for_each(&mut f);
        }
    });
    if let Some(params) = spec
        .pointer_mut("/components/parameters")
        .and_then(Value::as_object_mut)
    {
        params.values_mut().for_each(f);
    }
}

/// Resolves `#/components/<kind>/<name>` references of non-schema objects
/// (responses, parameters, request bodies).
fn deref<'a>(spec: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| spec.pointer(p))
            .unwrap_or(v),
        None => v,
    }
}

/// `default` responses beside a 2xx make progenitor panic: it counts `default`
/// as a success type too and requires exactly one. DVS uses `default` for its
/// error body, so each `default` becomes `4XX` and `5XX` entries with the same
/// body, keeping the error type (`Errors`) for every failure status.
pub fn default_response_to_error_ranges(spec: &mut Value) -> Result<usize, String> {
    let mut changed = 0;
    for_each_operation(spec, |op| {
        if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
            if let Some(default) = responses.remove("default") {
                for range in ["4XX", "5XX"] {
                    responses
                        .entry(range.to_string())
                        .or_insert_with(|| default.clone());
                }
                changed += 1;
            }
        }
    });
    Ok(changed)
}

/// Where a schema is used, as seen by the integrator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Written by the client (request bodies, parameters, callback responses).
    Request,
    /// Read by the client (responses, response headers, callback bodies).
    Response,
}

/// Collects the schema roots of one side: pointers to schemas (inline or `$ref`).
fn roots(spec: &Value, side: Side) -> Vec<String> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let path_ptr = format!("/paths/{}", escape(path));
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let op_ptr = format!("{path_ptr}/{method}");
            collect_operation_roots(spec, op, &op_ptr, side, false, &mut out);
            // Callbacks: the body DVS POSTs is read by the integrator.
            if let Some(cbs) = op.get("callbacks").and_then(Value::as_object) {
                for (cb_name, cb) in cbs {
                    let Some(cb) = cb.as_object() else { continue };
                    for (expr, cb_item) in cb {
                        let Some(cb_item) = cb_item.as_object() else {
                            continue;
                        };
                        for (cb_method, cb_op) in cb_item {
                            let ptr = format!(
                                "{op_ptr}/callbacks/{}/{}/{cb_method}",
                                escape(cb_name),
                                escape(expr)
                            );
                            collect_operation_roots(spec, cb_op, &ptr, side, true, &mut out);
                        }
                    }
                }
            }
        }
    }
    out
}

fn collect_operation_roots(
    spec: &Value,
    op: &Value,
    op_ptr: &str,
    side: Side,
    reversed: bool,
    out: &mut Vec<String>,
) {
    let body_side = if reversed {
        Side::Response
    } else {
        Side::Request
    };
    if side == body_side {
        if let Some(body) = op.get("requestBody") {
            let (base, body) = resolved_ptr(spec, body, &format!("{op_ptr}/requestBody"));
            if let Some(content) = body.get("content").and_then(Value::as_object) {
                for (mt, media) in content {
                    if media.get("schema").is_some() {
                        out.push(format!("{base}/content/{}/schema", escape(mt)));
                    }
                }
            }
        }
        if !reversed {
            if let Some(params) = op.get("parameters").and_then(Value::as_array) {
                for (i, p) in params.iter().enumerate() {
                    let (base, p) = resolved_ptr(spec, p, &format!("{op_ptr}/parameters/{i}"));
                    if p.get("schema").is_some() {
                        out.push(format!("{base}/schema"));
                    }
                }
            }
        }
    }
    if side == Side::Response && !reversed {
        if let Some(responses) = op.get("responses").and_then(Value::as_object) {
            for (code, resp) in responses {
                let (base, resp) =
                    resolved_ptr(spec, resp, &format!("{op_ptr}/responses/{}", escape(code)));
                if let Some(content) = resp.get("content").and_then(Value::as_object) {
                    for (mt, media) in content {
                        if media.get("schema").is_some() {
                            out.push(format!("{base}/content/{}/schema", escape(mt)));
                        }
                    }
                }
                if let Some(headers) = resp.get("headers").and_then(Value::as_object) {
                    for (name, h) in headers {
                        let (hbase, h) =
                            resolved_ptr(spec, h, &format!("{base}/headers/{}", escape(name)));
                        if h.get("schema").is_some() {
                            out.push(format!("{hbase}/schema"));
                        }
                    }
                }
            }
        }
    }
}

/// Follows a `$ref` of a non-schema object, returning the pointer of the
/// object actually holding the content.
fn resolved_ptr<'a>(spec: &'a Value, v: &'a Value, ptr: &str) -> (String, &'a Value) {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) if r.starts_with('#') => (r[1..].to_string(), deref(spec, v)),
        _ => (ptr.to_string(), v),
    }
}

/// Every schema location (JSON pointer) reachable from the given roots,
/// following `$ref`s into `components/schemas` and every nested subschema.
fn reachable(spec: &Value, roots: &[String]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.to_vec();
    while let Some(ptr) = stack.pop() {
        if !seen.insert(ptr.clone()) {
            continue;
        }
        let Some(schema) = spec.pointer(&ptr) else {
            continue;
        };
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            if let Some(name) = r.strip_prefix(SCHEMA_PREFIX) {
                stack.push(format!("/components/schemas/{}", escape(name)));
            }
        }
        for (key, child) in subschemas(schema) {
            stack.push(format!("{ptr}/{key}"));
            let _ = child;
        }
    }
    seen
}

/// The direct subschemas of a schema, as (relative pointer, schema).
fn subschemas(schema: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    let Some(obj) = schema.as_object() else {
        return out;
    };
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            out.push((format!("properties/{}", escape(k)), v));
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(v) = obj.get(key) {
            if v.is_object() {
                out.push((key.to_string(), v));
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = obj.get(key).and_then(Value::as_array) {
            for (i, v) in list.iter().enumerate() {
                out.push((format!("{key}/{i}"), v));
            }
        }
    }
    out
}

/// Applies `f` to every schema reachable from the response side; returns the
/// sum of what `f` reports.
fn on_response_schemas(
    spec: &mut Value,
    mut f: impl FnMut(&mut Map<String, Value>) -> usize,
) -> usize {
    let roots = roots(spec, Side::Response);
    let ptrs = reachable(spec, &roots);
    let mut changed = 0;
    for ptr in ptrs {
        if let Some(obj) = spec.pointer_mut(&ptr).and_then(Value::as_object_mut) {
            changed += f(obj);
        }
    }
    changed
}

/// True when a property schema carries `key: true`, directly or on one of the
/// members of its `allOf` wrapper (`{"allOf": [{"$ref": ..}, {"readOnly": true}]}`).
fn has_flag(schema: &Value, key: &str) -> bool {
    if schema.get(key).and_then(Value::as_bool) == Some(true) {
        return true;
    }
    schema
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|list| {
            list.iter()
                .any(|s| s.get(key).and_then(Value::as_bool) == Some(true))
        })
}

fn strip_flags(schema: &mut Value) {
    if let Some(obj) = schema.as_object_mut() {
        obj.remove("readOnly");
        obj.remove("writeOnly");
        if let Some(list) = obj.get_mut("allOf").and_then(Value::as_array_mut) {
            for s in list.iter_mut() {
                if let Some(o) = s.as_object_mut() {
                    o.remove("readOnly");
                    o.remove("writeOnly");
                }
            }
            list.retain(|s| s.as_object().is_none_or(|o| !o.is_empty()));
        }
    }
}

/// `readOnly`/`writeOnly` are ignored by progenitor, so DVS's single
/// `Transaction` schema (request body, response and callback body at once)
/// would make `product_id` a required field of every response, and let a
/// create request carry `id`, `status` or `prices`. Each component schema with
/// such flags is split: `<Name>` keeps what the server returns (write-only
/// properties removed, also from `required`), `<Name>Request` keeps what the
/// client sends (read-only properties removed), and request bodies of
/// operations are pointed at `<Name>Request`. Callback bodies stay `<Name>`.
pub fn split_read_write_only(spec: &mut Value) -> Result<usize, String> {
    let names: Vec<String> = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .filter(|(_, s)| {
                    s.get("properties")
                        .and_then(Value::as_object)
                        .is_some_and(|p| {
                            p.values()
                                .any(|p| has_flag(p, "readOnly") || has_flag(p, "writeOnly"))
                        })
                })
                .map(|(n, _)| n.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut changed = 0;
    for name in names {
        let request_name = format!("{name}Request");
        let schemas = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
            .ok_or("no components/schemas")?;
        if schemas.contains_key(&request_name) {
            return Err(format!(
                "cannot split `{name}`: `{request_name}` already exists"
            ));
        }
        let original = schemas[&name].clone();
        let response = split_side(&original, "writeOnly");
        let mut request = split_side(&original, "readOnly");
        if let Some(d) = request.get_mut("description") {
            *d = Value::String(format!(
                "{} (the fields a client sends)",
                d.as_str().unwrap_or_default().trim_end_matches('.')
            ));
        }
        schemas.insert(name.clone(), response);
        schemas.insert(request_name.clone(), request);
        // Point operation request bodies (not callbacks) at the request shape.
        let from = format!("{SCHEMA_PREFIX}{name}");
        let to = format!("{SCHEMA_PREFIX}{request_name}");
        let mut bodies = Vec::new();
        for_each_operation(spec, |op| {
            if let Some(body) = op.get_mut("requestBody") {
                bodies.push(body.clone());
                rewrite_refs(body, &from, &to);
            }
        });
        // Shared request bodies in components.
        if let Some(rb) = spec
            .pointer_mut("/components/requestBodies")
            .and_then(Value::as_object_mut)
        {
            for body in rb.values_mut() {
                rewrite_refs(body, &from, &to);
            }
        }
        changed += 1;
    }
    Ok(changed)
}

/// One side of a split: drops properties flagged `drop_flag`, strips the flags.
fn split_side(original: &Value, drop_flag: &str) -> Value {
    let mut out = original.clone();
    let obj = out.as_object_mut().expect("schema is an object");
    let mut dropped = Vec::new();
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        props.retain(|k, v| {
            let keep = !has_flag(v, drop_flag);
            if !keep {
                dropped.push(k.clone());
            }
            keep
        });
        for v in props.values_mut() {
            strip_flags(v);
        }
    }
    if let Some(req) = obj.get_mut("required").and_then(Value::as_array_mut) {
        req.retain(|r| r.as_str().is_none_or(|r| !dropped.iter().any(|d| d == r)));
        if req.is_empty() {
            obj.remove("required");
        }
    }
    out
}

fn rewrite_refs(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::Object(obj) => {
            if obj.get("$ref").and_then(Value::as_str) == Some(from) {
                obj.insert("$ref".into(), Value::String(to.into()));
            }
            for child in obj.values_mut() {
                rewrite_refs(child, from, to);
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|c| rewrite_refs(c, from, to)),
        _ => {}
    }
}

/// DVS documents `tags` and `benefit_types` as arrays sent `style: form,
/// explode: false`, i.e. `tags=a,b`. Progenitor ignores `explode` and would
/// send `tags=a&tags=b`. Such parameters become a single string parameter
/// holding the comma-joined values; the item schema is kept under
/// [`COMMA_SEPARATED_KEY`] and the facade offers typed lists that it joins.
pub fn comma_separated_array_params(spec: &mut Value) -> Result<usize, String> {
    let mut changed = 0;
    let mut fix = |p: &mut Value| {
        let Some(obj) = p.as_object_mut() else { return };
        let is_query = obj.get("in").and_then(Value::as_str) == Some("query");
        let no_explode = obj.get("explode").and_then(Value::as_bool) == Some(false);
        let is_array = obj
            .get("schema")
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            == Some("array");
        if is_query && no_explode && is_array {
            let schema = obj.remove("schema").unwrap_or_default();
            obj.remove("explode");
            obj.remove("style");
            let mut new = Map::new();
            new.insert("type".into(), "string".into());
            new.insert(
                COMMA_SEPARATED_KEY.into(),
                schema.get("items").cloned().unwrap_or_default(),
            );
            obj.insert("schema".into(), Value::Object(new));
            changed += 1;
        }
    };
    for_each_parameter(spec, &mut fix);
    Ok(changed)
}

/// A query, path or header parameter whose schema refers to a string
/// component shares that component with response fields, whose constraints
/// [`relax_response_constraints`] drops and whose enums
/// [`open_response_enums`] opens. Such a parameter gets its own copy of the
/// component, so the generated setter checks what the caller sends (pattern,
/// length, the documented values) before anything goes out, and takes a
/// `&str` (a bare string newtype only converts from `String`).
pub fn typed_string_parameters(spec: &mut Value) -> Result<usize, String> {
    let doc = spec.clone();
    let mut changed = 0;
    let mut fix = |p: &mut Value| {
        let Some(schema) = p.get_mut("schema") else {
            return;
        };
        if schema.get("$ref").is_none() {
            return;
        }
        let reference = schema.clone();
        let target = resolve::resolve(&doc, &reference);
        if target.get("type").and_then(Value::as_str) == Some("string") {
            *schema = target.clone();
            // A list of values: the generated setter also takes the open
            // enum generated from the component.
            if let (Some(obj), Some(component)) = (
                schema.as_object_mut(),
                resolve::final_component(&doc, &reference),
            ) {
                if obj.contains_key("enum") {
                    obj.insert(VALUES_OF_KEY.into(), component.into());
                }
            }
            changed += 1;
        }
    };
    for_each_parameter(spec, &mut fix);
    Ok(changed)
}

/// Extension key on a parameter's copy of an enum component (see
/// [`typed_string_parameters`]): the component it was copied from.
pub const VALUES_OF_KEY: &str = "x-dvs-values-of";

/// ValueTopup documents its `countryCode` filters as "ISO country code, e.g.
/// IN" but types them as any string, so a name or a three-letter code would
/// go out and come back as an empty list. They get the two upper-case
/// letters the reference describes, which their generated setters check
/// before sending.
pub fn iso_country_code_parameters(spec: &mut Value) -> Result<usize, String> {
    let mut changed = 0;
    for_each_parameter(spec, |p| {
        let is_code = p.get("name").and_then(Value::as_str) == Some("countryCode");
        let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) else {
            return;
        };
        let plain = schema.get("type").and_then(Value::as_str) == Some("string")
            && !schema.contains_key("pattern");
        if is_code && plain {
            schema.insert("pattern".into(), "^[A-Z]{2}$".into());
            changed += 1;
        }
    });
    Ok(changed)
}

/// A `oneOf` with a `discriminator` becomes, in progenitor, an untagged enum:
/// the discriminator is dropped, a product that matches no variant fails with
/// an opaque error, and a type added by the vendor cannot be represented.
/// Each such union is checked and marked with [`TAGGED_UNION_KEY`]; the code
/// generator replaces the union with an enum that dispatches on the tag,
/// keeps unknown tags as raw JSON, and reports the failing field of a known
/// variant.
///
/// Variants are read through the shared resolver (`$ref`s followed, `allOf`
/// merged): the vendor composes them as `allOf: [ProductBase, {type: ...}]`.
/// A variant's tag is its `mapping` entry, else the single value its
/// discriminator property can take; each member must have exactly one tag.
pub fn mark_tagged_unions(spec: &mut Value) -> Result<usize, String> {
    let doc = spec.clone();
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .ok_or("no components/schemas")?;
    let mut marks = Vec::new();
    for (name, schema) in schemas {
        let (Some(one_of), Some(disc)) = (
            schema.get("oneOf").and_then(Value::as_array),
            schema.get("discriminator"),
        ) else {
            continue;
        };
        let property = disc
            .get("propertyName")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("`{name}`: discriminator without propertyName"))?;
        let mapping = disc.get("mapping").and_then(Value::as_object);
        let members: BTreeSet<&str> = one_of
            .iter()
            .filter_map(|m| m.get("$ref").and_then(Value::as_str))
            .collect();
        for (tag, t) in mapping.into_iter().flatten() {
            let t = t.as_str().unwrap_or_default();
            if !members.contains(t) {
                return Err(format!(
                    "`{name}`: mapping target `{t}` of `{tag}` is not in oneOf"
                ));
            }
        }
        let mut variants = Map::new();
        for member in one_of {
            let target = member
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(resolve::component_name)
                .ok_or_else(|| format!("`{name}`: a oneOf member is not a component reference"))?;
            // Tags the mapping gives this member.
            let mapped: Vec<&String> = mapping
                .into_iter()
                .flatten()
                .filter(|(_, t)| t.as_str().and_then(resolve::component_name) == Some(target))
                .map(|(tag, _)| tag)
                .collect();
            let own = resolve::single_value(&doc, member, property);
            let declares = resolve::property(&doc, member, property).is_some();
            let tag = match (mapped.as_slice(), own) {
                ([tag], Some(own)) if **tag != own => {
                    return Err(format!(
                        "`{name}`: variant `{target}` is mapped to `{tag}` but its `{property}` only takes `{own}`"
                    ))
                }
                ([tag], _) => (*tag).clone(),
                ([], Some(own)) => own,
                ([], None) if !declares => {
                    return Err(format!(
                        "`{name}`: variant `{target}` has no `{property}` property (after resolving `$ref` and merging `allOf`), and no mapping names it"
                    ))
                }
                ([], None) => {
                    return Err(format!(
                        "`{name}`: variant `{target}` is in no mapping and its `{property}` takes more than one value"
                    ))
                }
                (_, _) => {
                    return Err(format!(
                        "`{name}`: variant `{target}` has several tags in the mapping"
                    ))
                }
            };
            if variants
                .insert(tag.clone(), Value::String(target.to_string()))
                .is_some()
            {
                return Err(format!("`{name}`: two variants have the tag `{tag}`"));
            }
        }
        marks.push((name.clone(), property.to_string(), variants));
    }
    let n = marks.len();
    let schemas = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .expect("checked above");
    for (name, property, variants) in marks {
        let mut mark = Map::new();
        mark.insert("property".into(), Value::String(property));
        mark.insert("variants".into(), Value::Object(variants));
        schemas[&name]
            .as_object_mut()
            .expect("schema object")
            .insert(TAGGED_UNION_KEY.into(), Value::Object(mark));
    }
    Ok(n)
}

/// `additionalProperties: false` becomes `#[serde(deny_unknown_fields)]`: a
/// field the vendor adds to a response (which DVS may do without notice)
/// would fail decoding. Removed from every schema a response or callback body
/// reaches; request-only schemas keep it.
pub fn allow_unknown_response_fields(spec: &mut Value) -> Result<usize, String> {
    Ok(on_response_schemas(spec, |obj| {
        usize::from(
            obj.get("additionalProperties") == Some(&Value::Bool(false))
                && obj.remove("additionalProperties").is_some(),
        )
    }))
}

/// A string `enum` becomes a closed Rust enum: a value the vendor adds (new
/// product type, benefit type, unit) would fail decoding of the whole
/// response. On every schema a response or callback body reaches, `enum` is
/// removed (the schema stays a string) and the known values are kept under
/// [`KNOWN_VALUES_KEY`]; the facade maps them to open enums. Request-only
/// enums stay closed.
pub fn open_response_enums(spec: &mut Value) -> Result<usize, String> {
    Ok(on_response_schemas(spec, |obj| match obj.remove("enum") {
        Some(values) => {
            obj.insert(KNOWN_VALUES_KEY.into(), values);
            1
        }
        None => 0,
    }))
}

/// Validation keywords become checks on decode (typify generates validating
/// newtypes), so one response value outside a documented pattern, length or
/// range would fail a whole transaction response. On every schema a response
/// or callback body reaches they are moved under [`RELAXED_KEY`], and `int32`
/// is widened to `int64`. Request-only schemas keep them; input that shares a
/// schema with a response is validated by the facade before sending.
pub fn relax_response_constraints(spec: &mut Value) -> Result<usize, String> {
    const KEYS: &[&str] = &[
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    ];
    Ok(on_response_schemas(spec, |obj| {
        let mut relaxed = Map::new();
        for key in KEYS {
            if let Some(v) = obj.remove(*key) {
                relaxed.insert((*key).to_string(), v);
            }
        }
        if obj.get("format").and_then(Value::as_str) == Some("int32") {
            obj.insert("format".into(), "int64".into());
            relaxed.insert("format".into(), "int32".into());
        }
        if relaxed.is_empty() {
            0
        } else {
            obj.insert(RELAXED_KEY.into(), Value::Object(relaxed));
            1
        }
    }))
}

/// Component every number schema refers to after [`exact_decimal_numbers`];
/// the code generator maps it to an exact decimal type.
pub const DECIMAL_COMPONENT: &str = "Decimal";
/// Extension key under which [`exact_decimal_numbers`] keeps a number's
/// documented `format` (`double`, `float`).
pub const NUMBER_FORMAT_KEY: &str = "x-dvs-number-format";

/// Keys of a number schema that [`exact_decimal_numbers`] keeps on the
/// reference that replaces it.
const NUMBER_KEPT: &[&str] = &[
    "description",
    "nullable",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// Keys whose values are data, not schemas: never searched for numbers.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum"];

/// DVS and ValueTopup document amounts, prices, fees and rates as
/// `type: number` (`format: double`), which the generator turns into `f64`:
/// a binary float that cannot hold `0.1` or a 20-digit amount exactly. Every
/// such schema becomes a reference to one [`DECIMAL_COMPONENT`] component
/// (its description, `nullable`, `default` and flags kept on the reference,
/// its `format` under [`NUMBER_FORMAT_KEY`]), which the code generator maps
/// to an exact decimal read from the number's text. Integers stay integers.
/// A number schema with a keyword this step does not know how to carry (a
/// request-side `minimum`, say) is reported instead of being dropped.
pub fn exact_decimal_numbers(spec: &mut Value) -> Result<usize, String> {
    fn walk(v: &mut Value, ptr: &str, changed: &mut usize) -> Result<(), String> {
        match v {
            Value::Object(obj) => {
                for (k, child) in obj.iter_mut() {
                    if DATA_KEYS.contains(&k.as_str()) || k.starts_with("x-") {
                        continue;
                    }
                    walk(child, &format!("{ptr}/{}", escape(k)), changed)?;
                }
                if obj.get("type").and_then(Value::as_str) == Some("number") {
                    *obj = to_decimal_ref(obj, ptr)?;
                    *changed += 1;
                }
            }
            Value::Array(list) => {
                for (i, c) in list.iter_mut().enumerate() {
                    walk(c, &format!("{ptr}/{i}"), changed)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    fn to_decimal_ref(obj: &Map<String, Value>, ptr: &str) -> Result<Map<String, Value>, String> {
        let mut out = Map::new();
        for (k, v) in obj {
            match k.as_str() {
                "type" => {}
                "format" => {
                    out.insert(NUMBER_FORMAT_KEY.into(), v.clone());
                }
                k if NUMBER_KEPT.contains(&k) || k.starts_with("x-") => {
                    out.insert(k.to_string(), v.clone());
                }
                other => {
                    return Err(format!(
                    "the number at `{ptr}` has `{other}`, which a decimal reference cannot carry"
                ))
                }
            }
        }
        let reference = serde_json::json!({"$ref": format!("{SCHEMA_PREFIX}{DECIMAL_COMPONENT}")});
        if out.is_empty() {
            return Ok(reference.as_object().cloned().unwrap_or_default());
        }
        out.insert("allOf".into(), Value::Array(vec![reference]));
        Ok(out)
    }
    if spec
        .pointer(&format!("/components/schemas/{DECIMAL_COMPONENT}"))
        .is_some()
    {
        return Err(format!(
            "the document already has a `{DECIMAL_COMPONENT}` component"
        ));
    }
    let mut changed = 0;
    for key in ["paths", "components"] {
        if let Some(part) = spec.get_mut(key) {
            walk(part, &format!("/{key}"), &mut changed)?;
        }
    }
    if changed > 0 {
        let schemas = spec
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
            .ok_or("no components/schemas")?;
        schemas.insert(
            DECIMAL_COMPONENT.into(),
            serde_json::json!({
                "description": "An exact decimal number (an amount, price, fee or rate), \
                                read from the number's text and written as a JSON number.",
                "type": "number"
            }),
        );
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec_with(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths,
               "components": {"schemas": schemas}})
    }

    fn ok_response(schema: Value) -> Value {
        json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}})
    }

    #[test]
    fn default_becomes_4xx_and_5xx_with_the_same_body() {
        let mut spec = spec_with(
            json!({"/a": {"get": {"responses": {
                "200": {"description": "ok"},
                "404": {"description": "nf", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}}}},
                "default": {"description": "err", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}}}}
            }}}}),
            json!({"E": {"type": "object"}}),
        );
        assert_eq!(default_response_to_error_ranges(&mut spec).unwrap(), 1);
        let r = &spec["paths"]["/a"]["get"]["responses"];
        assert!(r.get("default").is_none());
        assert_eq!(
            r["4XX"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/E"
        );
        assert_eq!(r["5XX"]["description"], "err");
        assert_eq!(r["404"]["description"], "nf");
        // Stale: nothing left to fix.
        assert_eq!(default_response_to_error_ranges(&mut spec).unwrap(), 0);
    }

    fn transaction_spec() -> Value {
        spec_with(
            json!({
                "/t": {"post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}}}},
                    "callbacks": {"cb": {"{$request.body#/callback_url}": {"post": {
                        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/T"}}}},
                        "responses": {"2XX": {"description": "ok"}}}}}},
                    "responses": ok_response(json!({"$ref": "#/components/schemas/T"}))
                }}
            }),
            json!({"T": {"type": "object", "description": "A transaction.", "required": ["external_id", "product_id", "id"], "properties": {
                "id": {"type": "integer", "readOnly": true},
                "external_id": {"type": "string"},
                "status": {"allOf": [{"$ref": "#/components/schemas/S"}], "readOnly": true},
                "product_id": {"allOf": [{"$ref": "#/components/schemas/P"}, {"writeOnly": true}]},
                "auto_confirm": {"type": "boolean", "writeOnly": true}
            }}, "S": {"type": "object"}, "P": {"type": "integer"}}),
        )
    }

    #[test]
    fn read_write_only_split_into_request_and_response() {
        let mut spec = transaction_spec();
        assert_eq!(split_read_write_only(&mut spec).unwrap(), 1);
        let resp = &spec["components"]["schemas"]["T"];
        let req = &spec["components"]["schemas"]["TRequest"];
        let keys = |v: &Value| {
            v["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(resp), ["external_id", "id", "status"]);
        assert_eq!(keys(req), ["auto_confirm", "external_id", "product_id"]);
        assert_eq!(resp["required"], json!(["external_id", "id"]));
        assert_eq!(req["required"], json!(["external_id", "product_id"]));
        assert_eq!(
            req["properties"]["product_id"],
            json!({"allOf": [{"$ref": "#/components/schemas/P"}]})
        );
        assert!(!spec.to_string().contains("readOnly") && !spec.to_string().contains("writeOnly"));
        let op = &spec["paths"]["/t"]["post"];
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/TRequest"
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/T"
        );
        let cb = &op["callbacks"]["cb"]["{$request.body#/callback_url}"]["post"];
        assert_eq!(
            cb["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/T"
        );
        assert_eq!(split_read_write_only(&mut spec).unwrap(), 0);
    }

    #[test]
    fn explode_false_arrays_become_comma_separated_strings() {
        let mut spec = spec_with(
            json!({"/p": {"get": {"parameters": [
                {"name": "tags", "in": "query", "style": "form", "explode": false,
                 "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}}
            ], "responses": ok_response(json!({"type": "string"}))}}}),
            json!({}),
        );
        assert_eq!(comma_separated_array_params(&mut spec).unwrap(), 1);
        let p = &spec["paths"]["/p"]["get"]["parameters"];
        assert_eq!(
            p[0],
            json!({"name": "tags", "in": "query", "schema": {"type": "string", COMMA_SEPARATED_KEY: {"type": "string"}}})
        );
        assert_eq!(p[1]["schema"]["type"], "array");
        assert_eq!(comma_separated_array_params(&mut spec).unwrap(), 0);
    }

    fn union_spec(mapping: Value) -> Value {
        spec_with(
            json!({}),
            json!({
                "U": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
                      "discriminator": {"propertyName": "type", "mapping": mapping}},
                "A": {"type": "object", "properties": {"type": {"type": "string"}}},
                "B": {"type": "object", "properties": {"type": {"type": "string"}}}
            }),
        )
    }

    #[test]
    fn discriminated_one_of_is_marked_and_checked() {
        let mut spec = union_spec(
            json!({"A_TAG": "#/components/schemas/A", "B_TAG": "#/components/schemas/B"}),
        );
        assert_eq!(mark_tagged_unions(&mut spec).unwrap(), 1);
        let unions = tagged_unions(&spec);
        assert_eq!(unions.len(), 1);
        assert_eq!(unions[0].name, "U");
        assert_eq!(unions[0].property, "type");
        assert_eq!(unions[0].variants["B_TAG"], "B");

        let mut bad = union_spec(
            json!({"A_TAG": "#/components/schemas/A", "C_TAG": "#/components/schemas/C"}),
        );
        assert!(mark_tagged_unions(&mut bad)
            .unwrap_err()
            .contains("not in oneOf"));
        let mut partial = union_spec(json!({"A_TAG": "#/components/schemas/A"}));
        assert!(mark_tagged_unions(&mut partial)
            .unwrap_err()
            .contains("variant `B` is in no mapping"));
        let mut none = spec_with(json!({}), json!({"A": {"type": "object"}}));
        assert_eq!(mark_tagged_unions(&mut none).unwrap(), 0);
    }

    /// A spec whose `Shared` schema is reached by a response (through a ref
    /// chain) and whose `Input` schema only by a request body.
    fn sided_spec() -> Value {
        spec_with(
            json!({"/x": {"post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Input"}}}},
                "responses": ok_response(json!({"type": "array", "items": {"$ref": "#/components/schemas/Outer"}}))
            }}}),
            json!({
                "Outer": {"type": "object", "additionalProperties": false,
                          "properties": {"shared": {"allOf": [{"$ref": "#/components/schemas/Shared"}], "nullable": true}}},
                "Shared": {"type": "object", "additionalProperties": false, "properties": {
                    "kind": {"type": "string", "enum": ["A", "B"]},
                    "code": {"type": "string", "pattern": "^[A-Z]{3}$", "minLength": 3},
                    "id": {"type": "integer", "format": "int32", "minimum": 1}
                }},
                "Input": {"type": "object", "additionalProperties": false, "properties": {
                    "kind": {"type": "string", "enum": ["A", "B"]},
                    "code": {"type": "string", "pattern": "^[A-Z]{3}$"}
                }}
            }),
        )
    }

    #[test]
    fn unknown_fields_allowed_on_response_side_only() {
        let mut spec = sided_spec();
        assert_eq!(allow_unknown_response_fields(&mut spec).unwrap(), 2);
        let s = &spec["components"]["schemas"];
        assert!(s["Outer"].get("additionalProperties").is_none());
        assert!(s["Shared"].get("additionalProperties").is_none());
        assert_eq!(s["Input"]["additionalProperties"], false);
        assert_eq!(allow_unknown_response_fields(&mut spec).unwrap(), 0);
    }

    #[test]
    fn response_enums_are_opened_request_enums_stay_closed() {
        let mut spec = sided_spec();
        assert_eq!(open_response_enums(&mut spec).unwrap(), 1);
        let s = &spec["components"]["schemas"];
        assert!(s["Shared"]["properties"]["kind"].get("enum").is_none());
        assert_eq!(
            s["Shared"]["properties"]["kind"][KNOWN_VALUES_KEY],
            json!(["A", "B"])
        );
        assert_eq!(s["Input"]["properties"]["kind"]["enum"], json!(["A", "B"]));
        assert_eq!(open_response_enums(&mut spec).unwrap(), 0);
    }

    #[test]
    fn response_constraints_relaxed_request_constraints_kept() {
        let mut spec = sided_spec();
        assert_eq!(relax_response_constraints(&mut spec).unwrap(), 2);
        let s = &spec["components"]["schemas"]["Shared"]["properties"];
        assert_eq!(
            s["code"],
            json!({"type": "string", RELAXED_KEY: {"pattern": "^[A-Z]{3}$", "minLength": 3}})
        );
        assert_eq!(
            s["id"],
            json!({"type": "integer", "format": "int64", RELAXED_KEY: {"minimum": 1, "format": "int32"}})
        );
        let input = &spec["components"]["schemas"]["Input"]["properties"]["code"];
        assert_eq!(input["pattern"], "^[A-Z]{3}$");
        assert_eq!(relax_response_constraints(&mut spec).unwrap(), 0);
    }

    #[test]
    fn callback_bodies_count_as_response_side() {
        let mut spec = transaction_spec();
        split_read_write_only(&mut spec).unwrap();
        spec["components"]["schemas"]["S"] =
            json!({"type": "object", "additionalProperties": false});
        // Remove the operation's own response so only the callback reaches S.
        spec["paths"]["/t"]["post"]["responses"] = json!({"202": {"description": "ok"}});
        assert_eq!(allow_unknown_response_fields(&mut spec).unwrap(), 1);
        assert!(spec["components"]["schemas"]["S"]
            .get("additionalProperties")
            .is_none());
    }

    /// The vendor's shape: variants as `allOf: [Base, {type: {enum: [ONE]}}]`,
    /// reached through alias references, with or without a mapping.
    #[test]
    fn variants_composed_with_all_of_are_matched_by_their_tag() {
        let schemas = json!({
            "U": {"oneOf": [{"$ref": "#/components/schemas/VariantA"}, {"$ref": "#/components/schemas/VariantB"}],
                  "discriminator": {"propertyName": "type"}},
            "Base": {"type": "object", "properties": {"id": {"type": "integer"}}},
            "VariantA": {"allOf": [{"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {"type": {"type": "string", "enum": ["A_TAG"]}}}]},
            "VariantB": {"$ref": "#/components/schemas/variant_b"},
            "variant_b": {"allOf": [{"$ref": "#/components/schemas/Base"},
                {"properties": {"type": {"type": "string", "enum": ["B_TAG"]}}}]}
        });
        let mut spec = spec_with(json!({}), schemas.clone());
        assert_eq!(mark_tagged_unions(&mut spec).unwrap(), 1);
        let u = &tagged_unions(&spec)[0];
        assert_eq!(u.variants["A_TAG"], "VariantA");
        assert_eq!(u.variants["B_TAG"], "VariantB");

        // A mapping that contradicts the variant's own tag is refused.
        let mut wrong = spec_with(json!({}), schemas.clone());
        wrong["components"]["schemas"]["U"]["discriminator"]["mapping"] =
            json!({"X_TAG": "#/components/schemas/VariantA"});
        assert!(mark_tagged_unions(&mut wrong)
            .unwrap_err()
            .contains("mapped to `X_TAG` but its `type` only takes `A_TAG`"));

        // A variant without the property says so, truly.
        let mut none = spec_with(json!({}), schemas);
        none["components"]["schemas"]["variant_b"] = json!({"$ref": "#/components/schemas/Base"});
        let err = mark_tagged_unions(&mut none).unwrap_err();
        assert!(
            err.contains("variant `VariantB` has no `type` property"),
            "{err}"
        );
    }

    #[test]
    fn numbers_become_decimal_references_integers_stay() {
        let mut spec = spec_with(
            json!({"/p": {"get": {"parameters": [
                {"name": "amount", "in": "query", "schema": {"type": "number", "format": "double"}},
                {"name": "page", "in": "query", "schema": {"type": "integer", "default": 1}}
            ], "responses": ok_response(json!({"$ref": "#/components/schemas/Price"}))}}}),
            json!({"Price": {"type": "object", "example": {"fee": {"type": "number"}}, "properties": {
                "amount": {"type": "number"},
                "fee": {"type": "number", "format": "double", "nullable": true, "description": "Fee.", "default": 0},
                "id": {"type": "integer", "format": "int64"},
                "range": {"type": "object", "properties": {"min": {"type": "number", "x-dvs-relaxed": {"minimum": 0}}}}
            }}}),
        );
        assert_eq!(exact_decimal_numbers(&mut spec).unwrap(), 4);
        let decimal = json!({"$ref": "#/components/schemas/Decimal"});
        let p = &spec["components"]["schemas"]["Price"]["properties"];
        assert_eq!(p["amount"], decimal);
        assert_eq!(
            p["fee"],
            json!({"allOf": [decimal], "nullable": true, "description": "Fee.", "default": 0,
                   NUMBER_FORMAT_KEY: "double"})
        );
        assert_eq!(p["id"], json!({"type": "integer", "format": "int64"}));
        assert_eq!(
            p["range"]["properties"]["min"],
            json!({"allOf": [decimal], RELAXED_KEY: {"minimum": 0}})
        );
        // Examples are data, not schemas.
        assert_eq!(
            spec["components"]["schemas"]["Price"]["example"]["fee"]["type"],
            "number"
        );
        let params = &spec["paths"]["/p"]["get"]["parameters"];
        assert_eq!(
            params[0]["schema"],
            json!({"allOf": [decimal], NUMBER_FORMAT_KEY: "double"})
        );
        assert_eq!(params[1]["schema"]["type"], "integer");
        assert_eq!(spec["components"]["schemas"]["Decimal"]["type"], "number");
        // Run again: the component already exists, which is reported.
        assert!(exact_decimal_numbers(&mut spec)
            .unwrap_err()
            .contains("already has a `Decimal` component"));
        // A spec without numbers: nothing to fix (the quirk is then stale).
        let mut none = spec_with(json!({}), json!({"A": {"type": "integer"}}));
        assert_eq!(exact_decimal_numbers(&mut none).unwrap(), 0);
        // A keyword a reference cannot carry is reported, not dropped.
        let mut constrained = spec_with(json!({}), json!({"A": {"type": "number", "minimum": 1}}));
        let err = exact_decimal_numbers(&mut constrained).unwrap_err();
        assert!(
            err.contains("/components/schemas/A") && err.contains("`minimum`"),
            "{err}"
        );
    }

    #[test]
    fn a_stale_fixup_is_reported_by_name() {
        let mut spec = spec_with(
            json!({"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}),
            json!({}),
        );
        let quirks: Vec<Fixup> = DVS_V1_21_FIXUPS
            .iter()
            .filter(|f| f.must_change)
            .map(|f| Fixup {
                name: f.name,
                apply: f.apply,
                must_change: true,
            })
            .collect();
        let err = normalize_with(&mut spec, &quirks).unwrap_err();
        assert_eq!(err.fixup, quirks[0].name);
        assert!(err.to_string().contains("found nothing to fix"));
    }

    #[test]
    fn a_document_lacking_what_the_facade_needs_is_stopped_with_the_list() {
        let mut spec = spec_with(
            json!({"/products": {"get": {"operationId": "getProducts", "parameters": [
                {"name": "type", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}}}}}}),
            json!({}),
        );
        let err = normalize_dvs(&mut spec).unwrap_err();
        assert_eq!(err.fixup, "facade_needs");
        let msg = err.to_string();
        assert!(
            msg.contains("parameter `region` of operation `getProducts` (GET /products)"),
            "{msg}"
        );
        assert!(
            msg.contains("operation `postTransactionAsync` (POST /async/transactions)"),
            "{msg}"
        );
        assert!(!msg.contains("type `Product`"), "{msg}");
    }
}
