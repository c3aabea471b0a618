//! Schema comparison: `$ref`s resolved (cycles cut), `allOf` merged, then the
//! schema rules applied in the direction of the data.

use super::Raw;
use crate::pointer::{self, join};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

const SCHEMAS: &str = "/components/schemas/";

/// A schema and its JSON pointer.
pub(crate) type Part<'a> = (&'a Value, String);

/// Which way the data flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Dir {
    /// The integrator sends it: narrowing breaks.
    Request,
    /// The integrator reads it: widening breaks.
    Response,
    /// DVS sends it to the integrator's callback URL: read like a response.
    Callback,
}

impl Dir {
    fn reads(self) -> bool {
        self != Dir::Request
    }

    fn label(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
            Dir::Callback => "callback",
        }
    }
}

/// How a schema that is not a named component is named in messages: a root
/// ("request body", "query parameter `type`") and a path inside it.
#[derive(Clone, Debug)]
pub(crate) struct Disp {
    root: String,
    path: String,
}

impl Disp {
    pub(crate) fn new(root: String) -> Self {
        Disp {
            root,
            path: String::new(),
        }
    }

    fn child(&self, suffix: &str) -> Disp {
        Disp {
            root: self.root.clone(),
            path: format!("{}{suffix}", self.path),
        }
    }

    fn text(&self) -> String {
        if self.path.is_empty() {
            self.root.clone()
        } else {
            format!("`{}` in {}", self.path.trim_start_matches('.'), self.root)
        }
    }
}

/// The message name of the schema at `ptr`: `Component.field[].sub` for
/// anything inside a named component schema (so a change there reads the same
/// from every operation that reaches it), else the walk's own name.
fn name_at(ptr: &str, fallback: &Disp) -> String {
    let Some(rest) = ptr.strip_prefix(SCHEMAS) else {
        return fallback.text();
    };
    let mut tokens = rest.split('/').map(unescape);
    let mut out = tokens.next().unwrap_or_default();
    while let Some(t) = tokens.next() {
        match t.as_str() {
            "properties" => match tokens.next() {
                Some(field) => {
                    out.push('.');
                    out.push_str(&field);
                }
                None => break,
            },
            "items" => out.push_str("[]"),
            "additionalProperties" => out.push_str(".*"),
            "allOf" | "oneOf" | "anyOf" => {
                tokens.next();
            }
            "not" => {}
            _ => break,
        }
    }
    format!("`{out}`")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Follows a chain of `$ref`s: the target, its pointer, and the component
/// name when the target is a named schema.
pub(crate) fn resolve<'a>(
    doc: &'a Value,
    v: &'a Value,
    ptr: String,
) -> (&'a Value, String, Option<String>) {
    // References are followed by the crate's shared resolver.
    match crate::normalize::resolve::follow(doc, v) {
        (target, Some(target_ptr)) => {
            // Keep pointers comparable between documents that encode differently.
            let target_ptr = target_ptr.replace("%7B", "{").replace("%7D", "}");
            let name = target_ptr
                .strip_prefix(SCHEMAS)
                .filter(|n| !n.contains('/'))
                .map(unescape);
            (target, target_ptr, name)
        }
        (target, None) => (target, ptr, None),
    }
}

/// A numeric bound (`minimum`, `maxLength`, ...).
#[derive(Clone, Debug)]
struct Bound {
    value: f64,
    exclusive: bool,
    src: String,
}

/// The effective schema of one or more parts (an implicit `allOf`), with the
/// pointer each keyword came from.
#[derive(Default)]
struct Merged<'a> {
    /// Pointer of the (first) schema after its `$ref`s.
    ptr: String,
    /// Cache identity: the resolved pointers of all parts.
    key: String,
    ty: Option<(&'a str, String)>,
    format: Option<(&'a str, String)>,
    nullable: Option<String>,
    enumeration: Option<(Vec<&'a Value>, String)>,
    constant: Option<&'a Value>,
    props: BTreeMap<String, Vec<Part<'a>>>,
    props_src: Option<String>,
    required: BTreeSet<String>,
    required_src: Option<String>,
    object: bool,
    items: Vec<Part<'a>>,
    additional: Vec<Part<'a>>,
    variants: Option<(Vec<Part<'a>>, String)>,
    discriminator: Option<(&'a Value, String)>,
    pattern: Option<(&'a str, String)>,
    mins: BTreeMap<&'static str, Bound>,
    maxs: BTreeMap<&'static str, Bound>,
    default: Option<(&'a Value, String)>,
    read_only: bool,
    write_only: bool,
}

const MINS: &[&str] = &["minimum", "minLength", "minItems", "minProperties"];
const MAXS: &[&str] = &["maximum", "maxLength", "maxItems", "maxProperties"];

fn merge<'a>(doc: &'a Value, parts: &[Part<'a>]) -> Merged<'a> {
    let mut m = Merged::default();
    let mut seen = HashSet::new();
    let mut keys = Vec::new();
    for (i, (v, ptr)) in parts.iter().enumerate() {
        let (v, ptr, _) = resolve(doc, v, ptr.clone());
        if i == 0 {
            m.ptr = ptr.clone();
        }
        keys.push(ptr.clone());
        absorb(doc, &mut m, v, &ptr, &mut seen, 0);
    }
    m.key = keys.join("&");
    m
}

fn absorb<'a>(
    doc: &'a Value,
    m: &mut Merged<'a>,
    v: &'a Value,
    ptr: &str,
    seen: &mut HashSet<String>,
    depth: usize,
) {
    if depth > 32 || !seen.insert(ptr.to_string()) {
        return;
    }
    let Some(obj) = v.as_object() else {
        return;
    };
    let src = || ptr.to_string();
    if m.ty.is_none() {
        if let Some(t) = obj.get("type").and_then(Value::as_str) {
            m.ty = Some((t, src()));
        }
    }
    if obj.get("type").and_then(Value::as_str) == Some("object") {
        m.object = true;
    }
    if m.format.is_none() {
        if let Some(f) = obj.get("format").and_then(Value::as_str) {
            m.format = Some((f, src()));
        }
    }
    if m.nullable.is_none() && obj.get("nullable").and_then(Value::as_bool) == Some(true) {
        m.nullable = Some(src());
    }
    if m.constant.is_none() {
        m.constant = obj.get("const");
    }
    if let Some(values) = obj.get("enum").and_then(Value::as_array) {
        let values: Vec<&Value> = values.iter().collect();
        m.enumeration = Some(match m.enumeration.take() {
            None => (values, src()),
            // allOf narrows: only values every part allows remain.
            Some((prev, prev_src)) => (
                prev.into_iter().filter(|x| values.contains(x)).collect(),
                prev_src,
            ),
        });
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        m.object = true;
        let base = join(ptr, "properties");
        m.props_src.get_or_insert_with(|| base.clone());
        for (name, schema) in props {
            m.props
                .entry(name.clone())
                .or_default()
                .push((schema, join(&base, name)));
        }
    }
    if let Some(required) = obj.get("required").and_then(Value::as_array) {
        m.required_src.get_or_insert_with(src);
        m.required.extend(
            required
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string),
        );
    }
    if let Some(items) = obj.get("items") {
        m.items.push((items, join(ptr, "items")));
    }
    if let Some(extra) = obj.get("additionalProperties").filter(|a| a.is_object()) {
        m.additional
            .push((extra, join(ptr, "additionalProperties")));
    }
    if m.variants.is_none() {
        for kw in ["oneOf", "anyOf"] {
            if let Some(list) = obj.get(kw).and_then(Value::as_array) {
                let base = join(ptr, kw);
                let parts = list
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s, format!("{base}/{i}")))
                    .collect();
                m.variants = Some((parts, base));
                break;
            }
        }
    }
    if m.discriminator.is_none() {
        if let Some(d) = obj.get("discriminator") {
            m.discriminator = Some((d, join(ptr, "discriminator")));
        }
    }
    if m.pattern.is_none() {
        if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
            m.pattern = Some((p, src()));
        }
    }
    for (list, exclusive_kw, lower) in [
        (MINS, "exclusiveMinimum", true),
        (MAXS, "exclusiveMaximum", false),
    ] {
        for kw in list {
            let Some(value) = obj.get(*kw).and_then(Value::as_f64) else {
                continue;
            };
            let exclusive = (*kw == "minimum" || *kw == "maximum")
                && obj.get(exclusive_kw).and_then(Value::as_bool) == Some(true);
            let bound = Bound {
                value,
                exclusive,
                src: src(),
            };
            let bounds = if lower { &mut m.mins } else { &mut m.maxs };
            let tighter = match bounds.get(*kw) {
                None => true,
                Some(b) if lower => stricter_min(&bound, b),
                Some(b) => stricter_max(&bound, b),
            };
            if tighter {
                bounds.insert(kw, bound);
            }
        }
    }
    if m.default.is_none() {
        if let Some(d) = obj.get("default") {
            m.default = Some((d, src()));
        }
    }
    m.read_only |= obj.get("readOnly").and_then(Value::as_bool) == Some(true);
    m.write_only |= obj.get("writeOnly").and_then(Value::as_bool) == Some(true);
    if let Some(all) = obj.get("allOf").and_then(Value::as_array) {
        let base = join(ptr, "allOf");
        for (i, sub) in all.iter().enumerate() {
            let (sub, sub_ptr, _) = resolve(doc, sub, format!("{base}/{i}"));
            absorb(doc, m, sub, &sub_ptr, seen, depth + 1);
        }
    }
}

fn stricter_min(new: &Bound, old: &Bound) -> bool {
    new.value > old.value || (new.value == old.value && new.exclusive && !old.exclusive)
}

fn stricter_max(new: &Bound, old: &Bound) -> bool {
    new.value < old.value || (new.value == old.value && new.exclusive && !old.exclusive)
}

/// `readOnly` / `writeOnly` of a property, through `$ref`s and `allOf`.
fn access_flags(doc: &Value, parts: &[Part<'_>]) -> (bool, bool) {
    fn walk(doc: &Value, v: &Value, depth: usize, flags: &mut (bool, bool)) {
        let (v, _, _) = resolve(doc, v, String::new());
        if depth > 16 {
            return;
        }
        flags.0 |= v.get("readOnly").and_then(Value::as_bool) == Some(true);
        flags.1 |= v.get("writeOnly").and_then(Value::as_bool) == Some(true);
        for sub in v
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk(doc, sub, depth + 1, flags);
        }
    }
    let mut flags = (false, false);
    for (v, _) in parts {
        walk(doc, v, 0, &mut flags);
    }
    flags
}

/// The shape of a schema with its `$ref`s inlined and its prose dropped: two
/// schemas with the same shape accept the same data.
fn shape(doc: &Value, v: &Value, depth: usize, stack: &mut Vec<String>) -> Value {
    match v {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                if depth > 24 || stack.iter().any(|s| s == r) {
                    return Value::String(format!("cycle {r}"));
                }
                let (t, followed) = crate::normalize::resolve::follow(doc, v);
                return match followed.map(|_| t) {
                    Some(t) => {
                        stack.push(r.to_string());
                        let s = shape(doc, t, depth + 1, stack);
                        stack.pop();
                        s
                    }
                    None => v.clone(),
                };
            }
            Value::Object(
                map.iter()
                    .filter(|(k, _)| {
                        !matches!(
                            k.as_str(),
                            "description" | "title" | "example" | "examples" | "externalDocs"
                        ) && !k.starts_with("x-")
                    })
                    .map(|(k, v)| (k.clone(), shape(doc, v, depth + 1, stack)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| shape(doc, i, depth + 1, stack))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A `oneOf`/`anyOf` variant: how it is matched and named.
struct Variant<'a> {
    /// What selects it: `tag:VALUE` (a discriminator value, or the single
    /// value its selecting property allows), else `name:NAME` (its component
    /// name, folded), else `inline:POSITION`.
    key: String,
    /// Its component name, folded (see [`fold_name`]), when it has one.
    name: Option<String>,
    label: String,
    part: Part<'a>,
    resolved: String,
}

impl Variant<'_> {
    fn tagged(&self) -> bool {
        self.key.starts_with("tag:")
    }
}

/// A component name with case and word separators dropped, so that a
/// variant renamed from `FixedBenefit` to `fixed_benefit` is still itself.
fn fold_name(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The one value a variant's selecting property allows (a single-valued
/// `enum`, or a `const`), after `$ref`s and `allOf`: the value that tells
/// this variant from the others on the wire.
fn selector_value(doc: &Value, part: &Part<'_>, property: &str) -> Option<String> {
    let m = merge(doc, std::slice::from_ref(part));
    let prop = merge(doc, m.props.get(property)?);
    if let Some(c) = prop.constant {
        return Some(show(c));
    }
    match prop.enumeration {
        Some((values, _)) if values.len() == 1 => Some(show(values[0])),
        _ => None,
    }
}

/// The variants of a `oneOf`/`anyOf`, each keyed by what selects it: the
/// discriminator's mapping, else the single value of the selecting property
/// (the discriminator's, or `type` without one), else the discriminator's
/// implicit value (the component name), else the component name, else the
/// position of an inline schema.
fn variants<'a>(doc: &'a Value, m: &Merged<'a>) -> Vec<Variant<'a>> {
    let Some((parts, _)) = &m.variants else {
        return Vec::new();
    };
    let discriminator = m.discriminator.as_ref().map(|(d, _)| *d);
    let mapping: Vec<(String, String)> = discriminator
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .filter_map(|(tag, target)| {
                    let target = target.as_str()?;
                    // A mapping value is a reference or a bare schema name.
                    let ptr = match target.strip_prefix('#') {
                        Some(p) => p.to_string(),
                        None => format!("{SCHEMAS}{}", pointer::escape(target)),
                    };
                    Some((tag.clone(), ptr))
                })
                .collect()
        })
        .unwrap_or_default();
    let property = discriminator
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str)
        .unwrap_or("type");
    let mut out = Vec::new();
    for (i, (v, ptr)) in parts.iter().enumerate() {
        let (_, resolved, name) = resolve(doc, v, ptr.clone());
        let part = (*v, ptr.clone());
        let mut tags: Vec<String> = mapping
            .iter()
            .filter(|(_, p)| *p == resolved)
            .map(|(t, _)| t.clone())
            .collect();
        if tags.is_empty() {
            tags.extend(selector_value(doc, &part, property));
        }
        if tags.is_empty() && discriminator.is_some() {
            tags.extend(name.clone());
        }
        let folded = name.as_deref().map(fold_name);
        if tags.is_empty() {
            out.push(Variant {
                key: match &folded {
                    Some(n) => format!("name:{n}"),
                    None => format!("inline:{i}"),
                },
                name: folded,
                label: match &name {
                    Some(n) => format!("`{n}`"),
                    None => format!("#{i}"),
                },
                part,
                resolved,
            });
            continue;
        }
        for tag in tags {
            let label = match &name {
                Some(n) if *n != tag => format!("`{tag}` (`{n}`)"),
                _ => format!("`{tag}`"),
            };
            out.push(Variant {
                key: format!("tag:{tag}"),
                name: folded.clone(),
                label,
                part: part.clone(),
                resolved: resolved.clone(),
            });
        }
    }
    out
}

type CacheKey = (String, String, Dir, String);

/// The comparison state: both documents, and the findings already computed
/// per schema pair (a shared component is walked once, however many
/// operations reach it).
pub(crate) struct Engine<'a> {
    pub old: &'a Value,
    pub new: &'a Value,
    cache: HashMap<CacheKey, Rc<Vec<Raw>>>,
    stack: HashMap<CacheKey, usize>,
}

/// Returned by a comparison: the lowest stack depth of an unfinished
/// comparison it ran into (a cycle), or `usize::MAX`.
type Lowest = usize;

impl<'a> Engine<'a> {
    pub(crate) fn new(old: &'a Value, new: &'a Value) -> Self {
        Engine {
            old,
            new,
            cache: HashMap::new(),
            stack: HashMap::new(),
        }
    }

    /// Compares the schema made of `old_parts` (an implicit `allOf`) with the
    /// one made of `new_parts`, in direction `dir`, appending findings.
    pub(crate) fn compare(
        &mut self,
        dir: Dir,
        disp: &Disp,
        old_parts: &[Part<'a>],
        new_parts: &[Part<'a>],
        out: &mut Vec<Raw>,
    ) -> Lowest {
        let o = merge(self.old, old_parts);
        let n = merge(self.new, new_parts);
        let named = o.ptr.starts_with(SCHEMAS) && n.ptr.starts_with(SCHEMAS);
        let key: CacheKey = (
            o.key.clone(),
            n.key.clone(),
            dir,
            if named { String::new() } else { disp.text() },
        );
        if let Some(found) = self.cache.get(&key) {
            out.extend(found.iter().cloned());
            return usize::MAX;
        }
        if let Some(&depth) = self.stack.get(&key) {
            // A cycle: the comparison in progress reports this part.
            return depth;
        }
        let depth = self.stack.len();
        self.stack.insert(key.clone(), depth);
        let mut local = Vec::new();
        let lowest = self.compare_merged(dir, disp, &o, &n, &mut local);
        self.stack.remove(&key);
        out.extend(local.iter().cloned());
        if lowest >= depth {
            // Complete: nothing below was cut short by a cycle through an
            // ancestor, so the result holds wherever this pair is reached.
            self.cache.insert(key, Rc::new(local));
            usize::MAX
        } else {
            lowest
        }
    }

    fn compare_merged(
        &mut self,
        dir: Dir,
        disp: &Disp,
        o: &Merged<'a>,
        n: &Merged<'a>,
        out: &mut Vec<Raw>,
    ) -> Lowest {
        let side = dir.label();
        let mut push =
            |rule: &'static str, old: String, new: String, subject: String, message: String| {
                out.push(Raw {
                    rule,
                    old,
                    new,
                    subject: format!("{side}: {subject}"),
                    message,
                })
            };

        if let (Some((ot, os)), Some((nt, ns))) = (&o.ty, &n.ty) {
            // Every integer is a number: a request may widen to `number`, a
            // response may narrow to `integer`.
            let compatible = match (*ot, *nt) {
                ("integer", "number") => dir == Dir::Request,
                ("number", "integer") => dir.reads(),
                _ => false,
            };
            if ot != nt && !compatible {
                push(
                    "type-changed",
                    join(os, "type"),
                    join(ns, "type"),
                    format!("{ot} -> {nt}"),
                    format!(
                        "type of {} changed from `{ot}` to `{nt}` ({side})",
                        name_at(ns, disp)
                    ),
                );
                // Everything below the type is a different thing now.
                return usize::MAX;
            }
        }

        // `float` and `double` on a `number` say how precisely to hold it,
        // not which JSON numbers are allowed: as good as no format.
        let format = |m: &Merged<'a>| {
            let f = m.format.as_ref().map(|f| f.0);
            let number = m.ty.as_ref().map(|t| t.0) == Some("number");
            f.filter(|f| !(number && matches!(*f, "float" | "double")))
        };
        let (of, nf) = (format(o), format(n));
        let format_counts = match (of, nf) {
            (Some(a), Some(b)) => a != b,
            (None, Some(_)) => !dir.reads(),
            (Some(_), None) => dir.reads(),
            (None, None) => false,
        };
        if format_counts {
            let optr = o
                .format
                .as_ref()
                .map_or(o.ptr.clone(), |f| join(&f.1, "format"));
            let nptr = n
                .format
                .as_ref()
                .map_or(n.ptr.clone(), |f| join(&f.1, "format"));
            let where_ = name_at(n.format.as_ref().map_or(&n.ptr, |f| &f.1), disp);
            push(
                "format-changed",
                optr,
                nptr,
                format!("{of:?} -> {nf:?}"),
                format!(
                    "format of {where_} changed from `{}` to `{}` ({side})",
                    o.format.as_ref().map_or("none", |f| f.0),
                    n.format.as_ref().map_or("none", |f| f.0)
                ),
            );
        }

        match (dir, &o.nullable, &n.nullable) {
            (Dir::Request, Some(src), None) => push(
                "request-field-became-non-nullable",
                join(src, "nullable"),
                n.ptr.clone(),
                String::new(),
                format!("{} no longer accepts null (request)", name_at(src, disp)),
            ),
            (Dir::Response | Dir::Callback, None, Some(src)) => push(
                "response-field-became-nullable",
                o.ptr.clone(),
                join(src, "nullable"),
                String::new(),
                format!("{} may now be null ({side})", name_at(src, disp)),
            ),
            _ => {}
        }

        if let (Some((ov, os)), Some((nv, ns))) = (&o.enumeration, &n.enumeration) {
            let (optr, nptr) = (join(os, "enum"), join(ns, "enum"));
            let where_ = name_at(ns, disp);
            if dir.reads() {
                for v in nv.iter().filter(|v| !ov.contains(v)) {
                    push(
                        "response-enum-value-added",
                        optr.clone(),
                        nptr.clone(),
                        v.to_string(),
                        format!("{side} enum value `{}` added to {where_}", show(v)),
                    );
                }
                for v in ov.iter().filter(|v| !nv.contains(v)) {
                    push(
                        "response-enum-value-removed",
                        optr.clone(),
                        nptr.clone(),
                        v.to_string(),
                        format!("{side} enum value `{}` removed from {where_}", show(v)),
                    );
                }
            } else {
                for v in ov.iter().filter(|v| !nv.contains(v)) {
                    push(
                        "request-enum-value-removed",
                        optr.clone(),
                        nptr.clone(),
                        v.to_string(),
                        format!("request enum value `{}` removed from {where_}", show(v)),
                    );
                }
            }
        }

        match (dir.reads(), &o.enumeration, &n.enumeration) {
            (false, None, Some((values, ns))) => push(
                "request-enum-added",
                o.ptr.clone(),
                join(ns, "enum"),
                String::new(),
                format!(
                    "request {} restricted to {} enum value(s)",
                    name_at(ns, disp),
                    values.len()
                ),
            ),
            (true, Some((values, os)), None) => push(
                "response-enum-removed",
                join(os, "enum"),
                n.ptr.clone(),
                String::new(),
                format!(
                    "{side} {} no longer restricted to its {} enum value(s)",
                    name_at(&n.ptr, disp),
                    values.len()
                ),
            ),
            _ => {}
        }

        if dir == Dir::Request {
            match (&o.pattern, &n.pattern) {
                (None, Some((p, src))) => push(
                    "request-pattern-added",
                    o.ptr.clone(),
                    join(src, "pattern"),
                    (*p).to_string(),
                    format!("request pattern `{p}` added to {}", name_at(src, disp)),
                ),
                (Some((a, osrc)), Some((b, nsrc))) if a != b => push(
                    "request-pattern-changed",
                    join(osrc, "pattern"),
                    join(nsrc, "pattern"),
                    format!("{a} -> {b}"),
                    format!(
                        "request pattern of {} changed from `{a}` to `{b}`",
                        name_at(nsrc, disp)
                    ),
                ),
                _ => {}
            }
            for kw in MINS {
                let (ob, nb) = (o.mins.get(kw), n.mins.get(kw));
                let raised = match (ob, nb) {
                    (None, Some(b)) => *kw == "minimum" || b.value > 0.0 || b.exclusive,
                    (Some(a), Some(b)) => stricter_min(b, a),
                    _ => false,
                };
                if let (true, Some(b)) = (raised, nb) {
                    let (optr, message) = bound_change(kw, ob, b, "raised", &o.ptr, disp);
                    push(
                        "request-min-raised",
                        optr,
                        join(&b.src, kw),
                        kw.to_string(),
                        message,
                    );
                }
            }
            for kw in MAXS {
                let (ob, nb) = (o.maxs.get(kw), n.maxs.get(kw));
                let lowered = match (ob, nb) {
                    (None, Some(_)) => true,
                    (Some(a), Some(b)) => stricter_max(b, a),
                    _ => false,
                };
                if let (true, Some(b)) = (lowered, nb) {
                    let (optr, message) = bound_change(kw, ob, b, "lowered", &o.ptr, disp);
                    push(
                        "request-max-lowered",
                        optr,
                        join(&b.src, kw),
                        kw.to_string(),
                        message,
                    );
                }
            }
        }

        if let Some((od, os)) = &o.default {
            match &n.default {
                Some((nd, ns)) if nd != od => push(
                    "default-changed",
                    join(os, "default"),
                    join(ns, "default"),
                    format!("{od} -> {nd}"),
                    format!(
                        "default of {} changed from `{}` to `{}` ({side})",
                        name_at(ns, disp),
                        show(od),
                        show(nd)
                    ),
                ),
                None => push(
                    "default-changed",
                    join(os, "default"),
                    n.ptr.clone(),
                    format!("{od} -> none"),
                    format!(
                        "default `{}` of {} removed ({side})",
                        show(od),
                        name_at(os, disp)
                    ),
                ),
                _ => {}
            }
        }

        if dir.reads() {
            loosened_response_constraints(dir, disp, o, n, out);
        }

        let mut lowest = usize::MAX;
        if o.variants.is_some() && n.variants.is_some() {
            lowest = lowest.min(self.compare_variants(dir, disp, o, n, out));
        }
        if o.object || n.object {
            lowest = lowest.min(self.compare_properties(dir, disp, o, n, out));
        }
        if !o.items.is_empty() && !n.items.is_empty() {
            lowest = lowest.min(self.compare(dir, &disp.child("[]"), &o.items, &n.items, out));
        }
        if !o.additional.is_empty() && !n.additional.is_empty() {
            lowest =
                lowest.min(self.compare(dir, &disp.child(".*"), &o.additional, &n.additional, out));
        }
        lowest
    }

    fn compare_properties(
        &mut self,
        dir: Dir,
        disp: &Disp,
        o: &Merged<'a>,
        n: &Merged<'a>,
        out: &mut Vec<Raw>,
    ) -> Lowest {
        let side = dir.label();
        // What this direction carries: no read-only fields in requests, no
        // write-only fields in responses.
        let visible = |doc: &Value, m: &'_ Merged<'a>| -> BTreeMap<String, Vec<Part<'a>>> {
            m.props
                .iter()
                .filter(|(_, parts)| {
                    let (ro, wo) = access_flags(doc, parts);
                    if dir.reads() {
                        !wo
                    } else {
                        !ro
                    }
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let old_props = visible(self.old, o);
        let new_props = visible(self.new, n);
        let old_container = o.props_src.clone().unwrap_or_else(|| o.ptr.clone());
        let new_container = n.props_src.clone().unwrap_or_else(|| n.ptr.clone());
        let mut lowest = usize::MAX;
        for (name, oparts) in &old_props {
            let field_disp = disp.child(&format!(".{name}"));
            let Some(nparts) = new_props.get(name) else {
                let rule = match dir {
                    Dir::Request => "request-field-removed",
                    Dir::Response => "response-field-removed",
                    Dir::Callback => "callback-field-removed",
                };
                out.push(Raw {
                    rule,
                    old: oparts[0].1.clone(),
                    new: new_container.clone(),
                    subject: format!("{side}: {name}"),
                    message: format!(
                        "{side} field {} removed",
                        name_at(&oparts[0].1, &field_disp)
                    ),
                });
                continue;
            };
            lowest = lowest.min(self.compare(dir, &field_disp, oparts, nparts, out));
            let where_ = name_at(&nparts[0].1, &field_disp);
            let (was, is) = (o.required.contains(name), n.required.contains(name));
            let required_ptr = |m: &Merged, fallback: &str| {
                m.required_src
                    .as_ref()
                    .map_or(fallback.to_string(), |s| join(s, "required"))
            };
            if dir == Dir::Request && !was && is {
                out.push(Raw {
                    rule: "request-field-became-required",
                    old: oparts[0].1.clone(),
                    new: required_ptr(n, &nparts[0].1),
                    subject: format!("{side}: {name}"),
                    message: format!("request field {where_} became required"),
                });
            }
            if dir.reads() && was && !is {
                out.push(Raw {
                    rule: "response-field-became-optional",
                    old: required_ptr(o, &oparts[0].1),
                    new: nparts[0].1.clone(),
                    subject: format!("{side}: {name}"),
                    message: format!("{side} field {where_} became optional"),
                });
            }
        }
        for (name, nparts) in &new_props {
            if old_props.contains_key(name) {
                continue;
            }
            let where_ = name_at(&nparts[0].1, &disp.child(&format!(".{name}")));
            let (rule, message) = match dir {
                Dir::Request if n.required.contains(name) => (
                    "request-field-added-required",
                    format!("required request field {where_} added"),
                ),
                Dir::Request => (
                    "request-field-added",
                    format!("optional request field {where_} added"),
                ),
                Dir::Response => (
                    "response-field-added",
                    format!("response field {where_} added"),
                ),
                Dir::Callback => (
                    "callback-field-added",
                    format!("callback field {where_} added"),
                ),
            };
            out.push(Raw {
                rule,
                old: old_container.clone(),
                new: nparts[0].1.clone(),
                subject: format!("{side}: {name}"),
                message,
            });
        }
        lowest
    }

    fn compare_variants(
        &mut self,
        dir: Dir,
        disp: &Disp,
        o: &Merged<'a>,
        n: &Merged<'a>,
        out: &mut Vec<Raw>,
    ) -> Lowest {
        let side = dir.label();
        let old_list = o.variants.as_ref().map_or("", |v| v.1.as_str()).to_string();
        let new_list = n.variants.as_ref().map_or("", |v| v.1.as_str()).to_string();
        let where_ = name_at(&n.ptr, disp);

        // The discriminator itself.
        let prop = |m: &Merged| {
            m.discriminator
                .as_ref()
                .and_then(|(d, _)| d.get("propertyName"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let dptr = |m: &Merged| {
            m.discriminator
                .as_ref()
                .map_or(m.ptr.clone(), |d| d.1.clone())
        };
        let (op, np) = (prop(o), prop(n));
        if op != np {
            let what = match (&op, &np) {
                (None, Some(p)) => format!("discriminator `{p}` added to {where_}"),
                (Some(p), None) => format!("discriminator `{p}` removed from {where_}"),
                (Some(a), Some(b)) => {
                    format!("discriminator of {where_} changed from `{a}` to `{b}`")
                }
                (None, None) => unreachable!(),
            };
            out.push(Raw {
                rule: "discriminator-changed",
                old: dptr(o),
                new: dptr(n),
                subject: format!("{side}: {op:?} -> {np:?}"),
                message: format!("{what} ({side})"),
            });
        }

        let ov = variants(self.old, o);
        let nv = variants(self.new, n);
        if op.is_some() && op == np {
            // A tag that now selects a different schema: one that was
            // already another variant, or that is still there under its
            // old name. A variant whose schema was only renamed keeps its
            // tag and is compared below.
            let by_tag = |list: &[Variant]| -> BTreeMap<String, (String, Option<String>)> {
                list.iter()
                    .filter_map(|v| {
                        let tag = v.key.strip_prefix("tag:")?.to_string();
                        Some((tag, (v.resolved.clone(), v.name.clone())))
                    })
                    .collect()
            };
            let names = |list: &[Variant]| -> HashSet<String> {
                list.iter().filter_map(|v| v.name.clone()).collect()
            };
            let (ot, nt) = (by_tag(&ov), by_tag(&nv));
            let (old_names, new_names) = (names(&ov), names(&nv));
            for (tag, (otarget, ofolded)) in &ot {
                let Some((ntarget, nfolded)) = nt.get(tag) else {
                    continue;
                };
                let oname = otarget.rsplit('/').next().unwrap_or_default();
                let nname = ntarget.rsplit('/').next().unwrap_or_default();
                if unescape(oname) == unescape(nname) || ofolded == nfolded {
                    continue;
                }
                let moved = ofolded.as_ref().is_some_and(|o| new_names.contains(o))
                    || nfolded.as_ref().is_some_and(|n| old_names.contains(n));
                if moved {
                    out.push(Raw {
                        rule: "discriminator-changed",
                        old: join(&join(&dptr(o), "mapping"), tag),
                        new: join(&join(&dptr(n), "mapping"), tag),
                        subject: format!("{side}: {tag}"),
                        message: format!(
                            "discriminator tag `{tag}` of {where_} now selects `{}` instead of `{}` ({side})",
                            unescape(nname),
                            unescape(oname)
                        ),
                    });
                }
            }
        }

        // Match the variants by what selects them (a tag, else a component
        // name), then a variant that lost or gained its selector by
        // component name, then unmatched untagged ones by shape (an inline
        // schema moved to a `$ref` is the same variant), then what is left
        // by position.
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut old_left: Vec<usize> = Vec::new();
        let mut new_used = vec![false; nv.len()];
        for (i, v) in ov.iter().enumerate() {
            match nv.iter().position(|w| w.key == v.key) {
                Some(j) if !new_used[j] => {
                    new_used[j] = true;
                    pairs.push((i, j));
                }
                _ => old_left.push(i),
            }
        }
        let mut by_name_left = Vec::new();
        for i in old_left {
            let found = (0..nv.len()).find(|&j| {
                let both_tagged = ov[i].tagged() && nv[j].tagged();
                !new_used[j] && !both_tagged && ov[i].name.is_some() && ov[i].name == nv[j].name
            });
            match found {
                Some(j) => {
                    new_used[j] = true;
                    pairs.push((i, j));
                }
                None => by_name_left.push(i),
            }
        }
        let mut still_left = Vec::new();
        for i in by_name_left {
            if ov[i].tagged() {
                still_left.push(i);
                continue;
            }
            let old_shape = shape(self.old, ov[i].part.0, 0, &mut Vec::new());
            let found = (0..nv.len()).find(|&j| {
                !new_used[j]
                    && !nv[j].tagged()
                    && shape(self.new, nv[j].part.0, 0, &mut Vec::new()) == old_shape
            });
            match found {
                Some(j) => {
                    new_used[j] = true;
                    pairs.push((i, j));
                }
                None => still_left.push(i),
            }
        }
        let mut removed = Vec::new();
        for i in still_left {
            let inline = ov[i].key.starts_with("inline:");
            let found =
                (0..nv.len()).find(|&j| !new_used[j] && inline && nv[j].key.starts_with("inline:"));
            match found {
                Some(j) => {
                    new_used[j] = true;
                    pairs.push((i, j));
                }
                None => removed.push(i),
            }
        }
        if dir == Dir::Request {
            for i in removed {
                out.push(Raw {
                    rule: "request-oneof-variant-removed",
                    old: ov[i].part.1.clone(),
                    new: new_list.clone(),
                    subject: format!("{side}: {}", ov[i].key),
                    message: format!("request variant {} removed from {where_}", ov[i].label),
                });
            }
        }
        if dir.reads() {
            let added = nv.iter().zip(&new_used).filter(|(_, used)| !**used);
            for (v, _) in added {
                out.push(Raw {
                    rule: "response-oneof-variant-added",
                    old: old_list.clone(),
                    new: v.part.1.clone(),
                    subject: format!("{side}: {}", v.key),
                    message: format!("{side} variant {} added to {where_}", v.label),
                });
            }
        }
        let mut lowest = usize::MAX;
        let mut compared = HashSet::new();
        for (i, j) in pairs {
            // Several tags may select one schema: compare each pair once.
            if !compared.insert((ov[i].resolved.clone(), nv[j].resolved.clone())) {
                continue;
            }
            let child = disp.child(&format!("<{}>", ov[i].label.trim_matches('`')));
            lowest = lowest.min(self.compare(
                dir,
                &child,
                std::slice::from_ref(&ov[i].part),
                std::slice::from_ref(&nv[j].part),
                out,
            ));
        }
        lowest
    }
}

/// What an integrator reading the value may have relied on and no
/// longer can: a pattern removed or changed, a minimum lowered or
/// removed, a maximum raised or removed.
fn loosened_response_constraints<'a>(
    dir: Dir,
    disp: &Disp,
    o: &Merged<'a>,
    n: &Merged<'a>,
    out: &mut Vec<Raw>,
) {
    let side = dir.label();
    let mut push = |rule: &'static str, old: String, new: String, subject: String, message| {
        out.push(Raw {
            rule,
            old,
            new,
            subject: format!("{side}: {subject}"),
            message,
        })
    };
    match (&o.pattern, &n.pattern) {
        (Some((p, osrc)), None) => push(
            "response-pattern-removed",
            join(osrc, "pattern"),
            n.ptr.clone(),
            (*p).to_string(),
            format!(
                "{side} pattern `{p}` removed from {}",
                name_at(&n.ptr, disp)
            ),
        ),
        (Some((a, osrc)), Some((b, nsrc))) if a != b => push(
            "response-pattern-changed",
            join(osrc, "pattern"),
            join(nsrc, "pattern"),
            format!("{a} -> {b}"),
            format!(
                "{side} pattern of {} changed from `{a}` to `{b}`",
                name_at(nsrc, disp)
            ),
        ),
        _ => {}
    }
    for (list, rule, how) in [
        (MINS, "response-min-lowered", "lowered"),
        (MAXS, "response-max-raised", "raised"),
    ] {
        for kw in list {
            let Some(a) = (if rule == "response-min-lowered" {
                o.mins.get(kw)
            } else {
                o.maxs.get(kw)
            }) else {
                continue;
            };
            let b = if rule == "response-min-lowered" {
                n.mins.get(kw)
            } else {
                n.maxs.get(kw)
            };
            let loosened = match (rule, b) {
                // A zero minLength, minItems or minProperties bounds nothing.
                ("response-min-lowered", None) => *kw == "minimum" || a.value > 0.0 || a.exclusive,
                ("response-min-lowered", Some(b)) => stricter_min(a, b),
                (_, None) => true,
                (_, Some(b)) => stricter_max(a, b),
            };
            if !loosened {
                continue;
            }
            let (new_ptr, message) = match b {
                Some(b) => (
                    join(&b.src, kw),
                    format!(
                        "{side} {kw} of {} {how} from {} to {}",
                        name_at(&b.src, disp),
                        bound_text(a),
                        bound_text(b)
                    ),
                ),
                None => (
                    n.ptr.clone(),
                    format!(
                        "{side} {kw} {} removed from {}",
                        bound_text(a),
                        name_at(&n.ptr, disp)
                    ),
                ),
            };
            push(rule, join(&a.src, kw), new_ptr, kw.to_string(), message);
        }
    }
}

/// A JSON value as a message shows it: strings without quotes.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        v.to_string()
    }
}

fn bound_text(b: &Bound) -> String {
    if b.exclusive {
        format!("{} (exclusive)", number(b.value))
    } else {
        number(b.value)
    }
}

/// The old pointer and the message of a raised minimum or lowered maximum.
fn bound_change(
    kw: &str,
    old: Option<&Bound>,
    new: &Bound,
    how: &str,
    old_schema: &str,
    disp: &Disp,
) -> (String, String) {
    let where_ = name_at(&new.src, disp);
    match old {
        Some(a) => (
            join(&a.src, kw),
            format!(
                "request {kw} of {where_} {how} from {} to {}",
                bound_text(a),
                bound_text(new)
            ),
        ),
        None => (
            old_schema.to_string(),
            format!("request {kw} {} added to {where_}", bound_text(new)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_follow_component_pointers() {
        let d = Disp::new("request body".into());
        assert_eq!(
            name_at("/components/schemas/T/properties/a/items/properties/b", &d),
            "`T.a[].b`"
        );
        assert_eq!(
            name_at("/components/schemas/T/allOf/1/properties/x", &d),
            "`T.x`"
        );
        assert_eq!(name_at("/components/schemas/a~1b/enum", &d), "`a/b`");
        assert_eq!(
            name_at("/paths/~1x/post", &d.child(".f")),
            "`f` in request body"
        );
    }

    #[test]
    fn all_of_merges_properties_required_and_narrows_enums() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "string", "enum": ["A", "B", "C"]},
            "Obj": {"allOf": [
                {"properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"properties": {"b": {"type": "integer"}}, "required": ["b"], "nullable": true}
            ]}
        }}});
        let narrowed = json!({"allOf": [{"$ref": "#/components/schemas/Base"}], "enum": ["B"]});
        let m = merge(&doc, &[(&narrowed, "/x".into())]);
        assert_eq!(m.enumeration.unwrap().0, vec![&json!("B")]);
        assert_eq!(m.ty.unwrap().0, "string");
        let obj = json!({"$ref": "#/components/schemas/Obj"});
        let m = merge(&doc, &[(&obj, "/y".into())]);
        assert_eq!(m.ptr, "/components/schemas/Obj");
        assert_eq!(m.props.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(m.required.len(), 2);
        assert_eq!(
            m.nullable.as_deref(),
            Some("/components/schemas/Obj/allOf/1")
        );
    }

    #[test]
    fn a_variant_is_selected_by_the_one_value_of_its_property() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {"type": {"type": "string"}}},
            "CatKind": {"type": "string", "enum": ["cat"]},
            "Kinds": {"type": "string", "enum": ["cat", "dog"]}
        }}});
        let through_all_of = json!({"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"properties": {"type": {"$ref": "#/components/schemas/CatKind"}}}
        ]});
        let constant = json!({"properties": {"kind": {"const": "dog"}}});
        let several = json!({"properties": {"type": {"$ref": "#/components/schemas/Kinds"}}});
        let value = |v: &Value, prop: &str| selector_value(&doc, &(v, "/v".into()), prop);
        assert_eq!(value(&through_all_of, "type").as_deref(), Some("cat"));
        assert_eq!(value(&constant, "kind").as_deref(), Some("dog"));
        assert_eq!(value(&constant, "type"), None);
        assert_eq!(value(&several, "type"), None);
        assert_eq!(fold_name("FixedBenefit"), fold_name("fixed_benefit"));
        assert_ne!(fold_name("FixedBenefit"), fold_name("RangedBenefit"));
    }

    #[test]
    fn reference_cycles_terminate() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        let mut e = Engine::new(&doc, &doc);
        let node = json!({"$ref": "#/components/schemas/Node"});
        let looped = json!({"$ref": "#/components/schemas/Loop"});
        let mut out = Vec::new();
        for v in [&node, &looped] {
            e.compare(
                Dir::Response,
                &Disp::new("x".into()),
                &[(v, "/a".into())],
                &[(v, "/a".into())],
                &mut out,
            );
        }
        assert!(out.is_empty());
        assert!(shape(&doc, &node, 0, &mut Vec::new())
            .to_string()
            .contains("cycle"));
    }
}
