//! The operation-level walk: matching operations, then comparing their
//! security, parameters, request bodies, responses and callbacks.

use super::schema::{resolve, Dir, Disp, Engine, Part};
use super::Raw;
use crate::pointer::join;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation as reports name it, ordered by path then method.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct OpRef {
    path: String,
    method: usize,
    pub display: String,
}

/// One operation of a document.
struct Op<'a> {
    /// `(path template without parameter names, method index)`.
    key: (String, usize),
    method: String,
    path: String,
    ptr: String,
    item_ptr: String,
    item: &'a Value,
    op: &'a Value,
}

impl Op<'_> {
    fn display(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    fn op_ref(&self) -> OpRef {
        OpRef {
            path: self.key.0.clone(),
            method: self.key.1,
            display: self.display(),
        }
    }

    fn deprecated(&self) -> bool {
        self.op.get("deprecated").and_then(Value::as_bool) == Some(true)
    }

    fn operation_id(&self) -> Option<&str> {
        self.op.get("operationId").and_then(Value::as_str)
    }
}

/// `/a/{id}/b` becomes `/a/{}/b`: operations match regardless of the names
/// of their path parameters.
pub fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    out.push_str("{}");
                }
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// The names of a path's parameters, in order.
fn path_param_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        names.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    names
}

fn operations(doc: &Value) -> BTreeMap<(String, usize), Op<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let item_ptr = join("/paths", path);
        let (item, item_ptr, _) = resolve(doc, item, item_ptr);
        for (idx, method) in METHODS.iter().enumerate() {
            if let Some(op) = item.get(*method).filter(|o| o.is_object()) {
                let key = (template(path), idx);
                out.entry(key.clone()).or_insert(Op {
                    key,
                    method: method.to_uppercase(),
                    path: path.clone(),
                    ptr: join(&item_ptr, method),
                    item_ptr: item_ptr.clone(),
                    item,
                    op,
                });
            }
        }
    }
    out
}

/// Compares every operation and hands each operation's findings to `sink`.
pub(crate) fn walk(old: &Value, new: &Value, sink: &mut dyn FnMut(&OpRef, Vec<Raw>)) {
    let old_ops = operations(old);
    let new_ops = operations(new);
    let mut engine = Engine::new(old, new);

    // An operation that is gone from one place and appears elsewhere under
    // the same operationId was moved.
    let added_ids: HashMap<&str, &Op> = new_ops
        .iter()
        .filter(|(k, _)| !old_ops.contains_key(*k))
        .filter_map(|(_, op)| Some((op.operation_id()?, op)))
        .collect();
    let mut moved: HashMap<(String, usize), &Op> = HashMap::new();
    let mut moved_to: BTreeSet<(String, usize)> = BTreeSet::new();
    for (key, op) in &old_ops {
        if new_ops.contains_key(key) {
            continue;
        }
        if let Some(target) = op.operation_id().and_then(|id| added_ids.get(id)) {
            if moved_to.insert(target.key.clone()) {
                moved.insert(key.clone(), target);
            }
        }
    }

    for (key, o) in &old_ops {
        let mut out = Vec::new();
        match (new_ops.get(key), moved.get(key)) {
            (Some(n), _) => {
                compare_operation(&mut engine, o, n, &mut out);
                sink(&n.op_ref(), out);
            }
            (None, Some(n)) => {
                out.push(Raw {
                    rule: "endpoint-renamed",
                    old: o.ptr.clone(),
                    new: n.ptr.clone(),
                    subject: format!("{} -> {}", o.display(), n.display()),
                    message: format!(
                        "`{}` moved to `{}` (operationId `{}`)",
                        o.display(),
                        n.display(),
                        o.operation_id().unwrap_or_default()
                    ),
                });
                compare_operation(&mut engine, o, n, &mut out);
                sink(&n.op_ref(), out);
            }
            (None, None) => {
                let (rule, how) = if o.deprecated() {
                    ("deprecated-endpoint-removed", "after being deprecated")
                } else {
                    ("endpoint-removed", "without being deprecated first")
                };
                out.push(Raw {
                    rule,
                    old: o.ptr.clone(),
                    new: nearest(new, &o.item_ptr, "/paths"),
                    subject: o.display(),
                    message: format!("`{}` removed {how}", o.display()),
                });
                sink(&o.op_ref(), out);
            }
        }
    }
    for (key, n) in &new_ops {
        if old_ops.contains_key(key) || moved_to.contains(key) {
            continue;
        }
        let raw = Raw {
            rule: "endpoint-added",
            old: nearest(old, &n.item_ptr, "/paths"),
            new: n.ptr.clone(),
            subject: n.display(),
            message: format!("`{}` added", n.display()),
        };
        sink(&n.op_ref(), vec![raw]);
    }
}

/// `ptr` when it exists in `doc`, else `fallback`.
fn nearest(doc: &Value, ptr: &str, fallback: &str) -> String {
    if doc.pointer(ptr).is_some() {
        ptr.to_string()
    } else {
        fallback.to_string()
    }
}

fn compare_operation<'a>(e: &mut Engine<'a>, o: &Op<'a>, n: &Op<'a>, out: &mut Vec<Raw>) {
    if !o.deprecated() && n.deprecated() {
        out.push(Raw {
            rule: "endpoint-deprecated",
            old: o.ptr.clone(),
            new: join(&n.ptr, "deprecated"),
            subject: n.display(),
            message: format!("`{}` deprecated", n.display()),
        });
    }
    security(e, o, n, out);
    parameters(e, o, n, out);
    request_body(e, o, n, out);
    responses(e, o, n, out);
    callbacks(e, o, n, out);
}

// ---- security ----------------------------------------------------------

/// The security requirements in force for an operation and where they are
/// written: alternatives of `scheme -> scopes`.
fn security<'a>(e: &mut Engine<'a>, o: &Op<'a>, n: &Op<'a>, out: &mut Vec<Raw>) {
    let (old_req, old_ptr) = requirements(e.old, o);
    let (new_req, new_ptr) = requirements(e.new, n);
    if old_req != new_req {
        out.push(Raw {
            rule: "security-changed",
            old: old_ptr,
            new: new_ptr,
            subject: format!("{old_req:?} -> {new_req:?}"),
            message: format!(
                "security requirements changed from {} to {}",
                describe_requirements(&old_req),
                describe_requirements(&new_req)
            ),
        });
        return;
    }
    let names: BTreeSet<&String> = old_req.iter().flat_map(|alt| alt.keys()).collect();
    for name in names {
        let old_scheme = scheme(e.old, name);
        let new_scheme = scheme(e.new, name);
        if old_scheme.0 != new_scheme.0 {
            out.push(Raw {
                rule: "security-changed",
                old: old_scheme.1,
                new: new_scheme.1,
                subject: name.clone(),
                message: format!("security scheme `{name}` changed"),
            });
        }
    }
}

type Requirements = Vec<BTreeMap<String, BTreeSet<String>>>;

fn requirements(doc: &Value, op: &Op) -> (Requirements, String) {
    let (list, ptr) = match op.op.get("security") {
        Some(s) => (s, join(&op.ptr, "security")),
        None => match doc.get("security") {
            Some(s) => (s, "/security".to_string()),
            None => return (Vec::new(), op.ptr.clone()),
        },
    };
    let mut reqs: Requirements = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|alt| {
            alt.iter()
                .map(|(k, scopes)| {
                    let scopes = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect();
                    (k.clone(), scopes)
                })
                .collect()
        })
        .collect();
    reqs.sort();
    reqs.dedup();
    (reqs, ptr)
}

fn describe_requirements(reqs: &Requirements) -> String {
    if reqs.is_empty() {
        return "none".to_string();
    }
    reqs.iter()
        .map(|alt| {
            if alt.is_empty() {
                "anonymous".to_string()
            } else {
                alt.keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A security scheme without its prose, and its pointer.
fn scheme(doc: &Value, name: &str) -> (Option<Value>, String) {
    let ptr = join("/components/securitySchemes", name);
    let value = doc.pointer(&ptr).map(|s| {
        let (s, _, _) = resolve(doc, s, ptr.clone());
        strip_prose(s)
    });
    let ptr = if value.is_some() {
        ptr
    } else {
        "/components".to_string()
    };
    (value, ptr)
}

fn strip_prose(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "description" | "summary" | "title"))
                .filter(|(k, _)| !k.starts_with("x-"))
                .map(|(k, v)| (k.clone(), strip_prose(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_prose).collect()),
        other => other.clone(),
    }
}

// ---- parameters ----------------------------------------------------------

struct Param<'a> {
    label: String,
    required: bool,
    ptr: String,
    schema: Option<Part<'a>>,
}

/// The parameters in force for an operation (path-level ones overridden by
/// the operation's), keyed so that path parameters match by position.
fn parameters_of<'a>(doc: &'a Value, op: &Op<'a>) -> BTreeMap<String, Param<'a>> {
    let names = path_param_names(&op.path);
    let mut out = BTreeMap::new();
    let lists = [
        (op.item.get("parameters"), join(&op.item_ptr, "parameters")),
        (op.op.get("parameters"), join(&op.ptr, "parameters")),
    ];
    for (list, base) in lists {
        for (i, p) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let (p, ptr, _) = resolve(doc, p, format!("{base}/{i}"));
            let (Some(name), Some(location)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let key = match location {
                "path" => match names.iter().position(|n| *n == name) {
                    Some(i) => format!("path#{i}"),
                    None => format!("path:{name}"),
                },
                "header" => format!("header:{}", name.to_ascii_lowercase()),
                other => format!("{other}:{name}"),
            };
            let label = match location {
                "header" => format!("request header `{name}`"),
                "cookie" => format!("cookie `{name}`"),
                other => format!("{other} parameter `{name}`"),
            };
            let schema = match p.get("schema") {
                Some(s) => Some((s, join(&ptr, "schema"))),
                None => p
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.iter().next())
                    .and_then(|(mt, media)| {
                        let s = media.get("schema")?;
                        Some((s, join(&join(&join(&ptr, "content"), mt), "schema")))
                    }),
            };
            let required =
                location == "path" || p.get("required").and_then(Value::as_bool) == Some(true);
            out.insert(
                key,
                Param {
                    label,
                    required,
                    ptr,
                    schema,
                },
            );
        }
    }
    out
}

fn parameters<'a>(e: &mut Engine<'a>, o: &Op<'a>, n: &Op<'a>, out: &mut Vec<Raw>) {
    let old = parameters_of(e.old, o);
    let new = parameters_of(e.new, n);
    for (key, op) in &old {
        match new.get(key) {
            None => out.push(Raw {
                rule: "request-parameter-removed",
                old: op.ptr.clone(),
                new: nearest(e.new, &join(&n.ptr, "parameters"), &n.ptr),
                subject: key.clone(),
                message: format!("{} removed", op.label),
            }),
            Some(np) => {
                if !op.required && np.required {
                    out.push(Raw {
                        rule: "request-parameter-became-required",
                        old: op.ptr.clone(),
                        new: np.ptr.clone(),
                        subject: key.clone(),
                        message: format!("{} became required", np.label),
                    });
                }
                if let (Some(os), Some(ns)) = (&op.schema, &np.schema) {
                    e.compare(
                        Dir::Request,
                        &Disp::new(np.label.clone()),
                        std::slice::from_ref(os),
                        std::slice::from_ref(ns),
                        out,
                    );
                }
            }
        }
    }
    for (key, np) in &new {
        if old.contains_key(key) {
            continue;
        }
        let (rule, what) = if np.required {
            ("request-parameter-added-required", "required")
        } else {
            ("request-parameter-added", "optional")
        };
        out.push(Raw {
            rule,
            old: nearest(e.old, &join(&o.ptr, "parameters"), &o.ptr),
            new: np.ptr.clone(),
            subject: key.clone(),
            message: format!("{what} {} added", np.label),
        });
    }
}

// ---- bodies ----------------------------------------------------------------

/// `application/json; charset=utf-8` and `Application/JSON` are one media type.
fn media_key(mt: &str) -> String {
    mt.split(';')
        .next()
        .unwrap_or(mt)
        .trim()
        .to_ascii_lowercase()
}

/// The media types of a `content` map with their schemas.
fn contents<'a>(obj: &'a Value, ptr: &str) -> BTreeMap<String, (String, String, Option<Part<'a>>)> {
    let mut out = BTreeMap::new();
    let content_ptr = join(ptr, "content");
    for (mt, media) in obj
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let media_ptr = join(&content_ptr, mt);
        let schema = media.get("schema").map(|s| (s, join(&media_ptr, "schema")));
        out.insert(media_key(mt), (mt.clone(), media_ptr, schema));
    }
    out
}

fn compare_contents<'a>(
    e: &mut Engine<'a>,
    dir: Dir,
    what: &str,
    old: (&'a Value, &str),
    new: (&'a Value, &str),
    media_removal_counts: bool,
    out: &mut Vec<Raw>,
) {
    let old_c = contents(old.0, old.1);
    let new_c = contents(new.0, new.1);
    for (key, (mt, optr, oschema)) in &old_c {
        match new_c.get(key) {
            None if media_removal_counts => out.push(Raw {
                rule: "media-type-removed",
                old: optr.clone(),
                new: nearest(e.new, &join(new.1, "content"), new.1),
                subject: format!("{what}: {key}"),
                message: format!("{what} media type `{mt}` removed"),
            }),
            None => {}
            Some((_, _, nschema)) => {
                if let (Some(os), Some(ns)) = (oschema, nschema) {
                    e.compare(
                        dir,
                        &Disp::new(format!("{what} body")),
                        std::slice::from_ref(os),
                        std::slice::from_ref(ns),
                        out,
                    );
                }
            }
        }
    }
}

fn request_body<'a>(e: &mut Engine<'a>, o: &Op<'a>, n: &Op<'a>, out: &mut Vec<Raw>) {
    let body = |doc: &'a Value, op: &Op<'a>| {
        op.op.get("requestBody").map(|b| {
            let (b, ptr, _) = resolve(doc, b, join(&op.ptr, "requestBody"));
            let required = b.get("required").and_then(Value::as_bool) == Some(true);
            (b, ptr, required)
        })
    };
    match (body(e.old, o), body(e.new, n)) {
        (Some((_, optr, _)), None) => out.push(Raw {
            rule: "request-body-removed",
            old: optr,
            new: n.ptr.clone(),
            subject: String::new(),
            message: "request body removed".to_string(),
        }),
        (None, Some((_, nptr, true))) => out.push(Raw {
            rule: "request-body-became-required",
            old: o.ptr.clone(),
            new: nptr,
            subject: String::new(),
            message: "required request body added".to_string(),
        }),
        (Some((ob, optr, oreq)), Some((nb, nptr, nreq))) => {
            if !oreq && nreq {
                out.push(Raw {
                    rule: "request-body-became-required",
                    old: optr.clone(),
                    new: join(&nptr, "required"),
                    subject: String::new(),
                    message: "request body became required".to_string(),
                });
            }
            compare_contents(
                e,
                Dir::Request,
                "request",
                (ob, &optr),
                (nb, &nptr),
                true,
                out,
            );
        }
        _ => {}
    }
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

fn responses<'a>(e: &mut Engine<'a>, o: &Op<'a>, n: &Op<'a>, out: &mut Vec<Raw>) {
    let responses_ptr = |op: &Op| join(&op.ptr, "responses");
    let list = |doc: &'a Value, op: &Op<'a>| -> BTreeMap<String, (&'a Value, String)> {
        let base = responses_ptr(op);
        op.op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, r)| {
                let (r, ptr, _) = resolve(doc, r, join(&base, status));
                (status.to_ascii_uppercase(), (r, ptr))
            })
            .collect()
    };
    let old = list(e.old, o);
    let new = list(e.new, n);
    for (status, (or, optr)) in &old {
        let Some((nr, nptr)) = new.get(status) else {
            if is_success(status) {
                out.push(Raw {
                    rule: "success-status-removed",
                    old: optr.clone(),
                    new: nearest(e.new, &responses_ptr(n), &n.ptr),
                    subject: status.clone(),
                    message: format!("success status `{status}` removed"),
                });
            }
            continue;
        };
        headers(e, status, (or, optr), (nr, nptr), out);
        compare_contents(
            e,
            Dir::Response,
            &format!("response {status}"),
            (or, optr),
            (nr, nptr),
            true,
            out,
        );
    }
}

fn headers<'a>(
    e: &mut Engine<'a>,
    status: &str,
    old: (&'a Value, &str),
    new: (&'a Value, &str),
    out: &mut Vec<Raw>,
) {
    let list = |doc: &'a Value, r: &'a Value, ptr: &str| {
        let base = join(ptr, "headers");
        r.get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type"))
            .map(|(name, h)| {
                let (h, hptr, _) = resolve(doc, h, join(&base, name));
                let schema = h.get("schema").map(|s| (s, join(&hptr, "schema")));
                (name.to_ascii_lowercase(), (name.clone(), hptr, schema))
            })
            .collect::<BTreeMap<_, _>>()
    };
    let old_h = list(e.old, old.0, old.1);
    let new_h = list(e.new, new.0, new.1);
    for (key, (name, optr, oschema)) in &old_h {
        match new_h.get(key) {
            None => out.push(Raw {
                rule: "response-header-removed",
                old: optr.clone(),
                new: nearest(e.new, &join(new.1, "headers"), new.1),
                subject: format!("{status}: {key}"),
                message: format!("response {status} header `{name}` removed"),
            }),
            Some((nname, _, nschema)) => {
                if let (Some(os), Some(ns)) = (oschema, nschema) {
                    e.compare(
                        Dir::Response,
                        &Disp::new(format!("response {status} header `{nname}`")),
                        std::slice::from_ref(os),
                        std::slice::from_ref(ns),
                        out,
                    );
                }
            }
        }
    }
    for (key, (name, nptr, _)) in &new_h {
        if !old_h.contains_key(key) {
            out.push(Raw {
                rule: "response-header-added",
                old: nearest(e.old, &join(old.1, "headers"), old.1),
                new: nptr.clone(),
                subject: format!("{status}: {key}"),
                message: format!("response {status} header `{name}` added"),
            });
        }
    }
}

// ---- callbacks ---------------------------------------------------------------

/// A callback's operations keyed by `(URL expression, method)`: the name of
/// a callback is not on the wire, so renaming one changes nothing.
fn callbacks_of<'a>(
    doc: &'a Value,
    op: &Op<'a>,
) -> BTreeMap<(String, usize), (String, &'a Value, String)> {
    let mut out = BTreeMap::new();
    let base = join(&op.ptr, "callbacks");
    for (name, cb) in op
        .op
        .get("callbacks")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let (cb, cb_ptr, _) = resolve(doc, cb, join(&base, name));
        for (expr, item) in cb.as_object().into_iter().flatten() {
            let (item, item_ptr, _) = resolve(doc, item, join(&cb_ptr, expr));
            for (idx, method) in METHODS.iter().enumerate() {
                if let Some(cop) = item.get(*method).filter(|v| v.is_object()) {
                    out.entry((expr.clone(), idx)).or_insert((
                        name.clone(),
                        cop,
                        join(&item_ptr, method),
                    ));
                }
            }
        }
    }
    out
}

fn callbacks<'a>(e: &mut Engine<'a>, o: &Op<'a>, n: &Op<'a>, out: &mut Vec<Raw>) {
    let old = callbacks_of(e.old, o);
    let new = callbacks_of(e.new, n);
    let describe = |name: &str, key: &(String, usize)| {
        format!(
            "callback `{name}` ({} {})",
            METHODS[key.1].to_uppercase(),
            key.0
        )
    };
    for (key, (name, ocb, optr)) in &old {
        let Some((nname, ncb, nptr)) = new.get(key) else {
            out.push(Raw {
                rule: "callback-removed",
                old: optr.clone(),
                new: nearest(e.new, &join(&n.ptr, "callbacks"), &n.ptr),
                subject: format!("{} {}", key.1, key.0),
                message: format!("{} removed", describe(name, key)),
            });
            continue;
        };
        let body = |doc: &'a Value, cop: &'a Value, ptr: &str| {
            cop.get("requestBody")
                .map(|b| resolve(doc, b, join(ptr, "requestBody")))
        };
        if let (Some((ob, obp, _)), Some((nb, nbp, _))) =
            (body(e.old, ocb, optr), body(e.new, ncb, nptr))
        {
            // DVS sends the callback body and the integrator reads it: a
            // response for direction's sake. Which media types DVS sends is
            // DVS's choice, so only the schemas of the common ones count.
            compare_contents(
                e,
                Dir::Callback,
                &format!("callback `{nname}`"),
                (ob, &obp),
                (nb, &nbp),
                false,
                out,
            );
        }
    }
    for (key, (name, _, nptr)) in &new {
        if !old.contains_key(key) {
            out.push(Raw {
                rule: "callback-added",
                old: nearest(e.old, &join(&o.ptr, "callbacks"), &o.ptr),
                new: nptr.clone(),
                subject: format!("{} {}", key.1, key.0),
                message: format!("{} added", describe(name, key)),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_ignore_parameter_names() {
        assert_eq!(template("/a/{id}/b"), "/a/{}/b");
        assert_eq!(template("/a/{x}/b/"), "/a/{}/b/");
        assert_eq!(template("/a"), "/a");
        assert_eq!(path_param_names("/a/{x}/b/{y}"), vec!["x", "y"]);
    }
}
