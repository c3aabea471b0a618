//! Code generation from a normalized spec: progenitor settings, tagged-union
//! enums, formatting. Shared by `build.rs` and `xtask` through `#[path]`; not
//! part of the library.

use std::fmt::Write as _;

/// One API version generated into the crate.
pub struct Version {
    /// Cargo feature and module name (`v1_21`).
    pub module: &'static str,
    /// Spec file under `openapi/`.
    pub file: &'static str,
    /// File written to `OUT_DIR`.
    pub out_file: &'static str,
    /// A DVS version: the generated client gets the facade's operations and
    /// list methods.
    pub dvs: bool,
}

/// Every API version the crate can generate.
pub const VERSIONS: &[Version] = &[
    Version {
        module: "v1_21",
        file: "dvs-1.21.0.json",
        out_file: "dvs_v1_21.rs",
        dvs: true,
    },
    Version {
        module: "v1_0",
        file: "dvs-1.0.0.json",
        out_file: "dvs_v1_0.rs",
        dvs: true,
    },
    Version {
        module: "valuetopup",
        file: "valuetopup-2.json",
        out_file: "valuetopup_v2.rs",
        dvs: false,
    },
];

/// The spec fixups a version's document needs.
pub fn fixups_for(version: &Version) -> &'static [crate::normalize::Fixup] {
    match version.module {
        "valuetopup" => crate::normalize::VALUETOPUP_FIXUPS,
        "v1_0" => crate::normalize::DVS_V1_0_FIXUPS,
        _ => crate::normalize::DVS_V1_21_FIXUPS,
    }
}

/// Generates the formatted Rust code of a normalized spec. The code is
/// `include!`d by `crate::<module>::generated`, which is where the tagged unions'
/// replacement paths point.
pub fn generate(
    spec: &serde_json::Value,
    version: &Version,
) -> Result<String, Box<dyn std::error::Error>> {
    let unions = crate::normalize::tagged_unions(spec);
    let api: openapiv3::OpenAPI = serde_json::from_value(spec.clone())?;
    let mut settings = progenitor::GenerationSettings::new();
    settings
        // Per-client settings the hooks read (timeouts, retries, pacing).
        .with_inner_type("crate::transport::CallSettings".parse::<proc_macro2::TokenStream>()?)
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged)
        .with_derive("PartialEq")
        .with_derive("schemars::JsonSchema");
    // A transaction's PIN is a secret: its type must never print it.
    if spec.pointer("/components/schemas/TransactionPin").is_some() {
        settings.with_replacement("TransactionPin", "crate::Pin", std::iter::empty());
    }
    // Amounts, prices, fees and rates: exact decimals, never binary floats.
    let decimal = format!(
        "/components/schemas/{}",
        crate::normalize::DECIMAL_COMPONENT
    );
    if spec.pointer(&decimal).is_some() {
        settings.with_replacement(
            crate::normalize::DECIMAL_COMPONENT,
            "::rust_decimal::Decimal",
            [
                progenitor::TypeImpl::Display,
                progenitor::TypeImpl::FromStr,
                progenitor::TypeImpl::Default,
            ]
            .into_iter(),
        );
    }
    for union in &unions {
        settings.with_replacement(
            &union.name,
            format!(
                "crate::{}::generated::unions::{}",
                version.module, union.name
            ),
            std::iter::empty(),
        );
    }
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator.generate_tokens(&api)?;
    let mut code = tokens.to_string();
    code.push_str(&unions_module(&unions));
    let lists = list_operations(spec, &unions);
    code.push_str(&list_operations_module(&lists));
    if version.dvs {
        code.push_str(&facade_module(&lists, version.module));
    }
    let file: syn::File = syn::parse_str(&code)?;
    Ok(prettyplease::unparse(&file))
}

/// Rust identifier typify gives a component name (enough for the names DVS
/// uses: ASCII words).
fn type_ident(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// An enum per discriminated union: dispatches on the tag, reports the path
/// of a bad field of a known variant, and keeps an unknown tag's raw JSON.
fn unions_module(unions: &[crate::normalize::TaggedUnion]) -> String {
    let mut s = String::from(
        "/// Enums for the spec's discriminated unions (`oneOf` + `discriminator`).\n\
         pub mod unions {\n use super::types;\n",
    );
    for u in unions {
        let name = type_ident(&u.name);
        let prop = &u.property;
        let _ = writeln!(
            s,
            "/// `{name}`, selected by its `{prop}` field.\n\
             #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::schemars::JsonSchema)]\n\
             #[serde(untagged)]\n\
             pub enum {name} {{"
        );
        let variants: Vec<(String, String, String)> = u
            .variants
            .iter()
            .map(|(tag, schema)| {
                let ty = type_ident(schema);
                let short = ty
                    .strip_prefix(&name)
                    .filter(|s| !s.is_empty())
                    .unwrap_or(&ty);
                (tag.clone(), short.to_string(), ty)
            })
            .collect();
        for (tag, variant, ty) in &variants {
            let _ = writeln!(s, "/// `{prop}` = `{tag}`.\n{variant}(types::{ty}),");
        }
        let _ = writeln!(
            s,
            "/// A `{prop}` this version of the crate does not know (or none): the raw JSON.\n\
             Unknown(::serde_json::Value),\n}}"
        );
        let _ = writeln!(
            s,
            "impl {name} {{\n\
             /// The `{prop}` tags this version of the crate knows.\n\
             pub const KNOWN_TAGS: &'static [&'static str] = &[{tags}];\n\
             }}",
            tags = variants
                .iter()
                .map(|(t, _, _)| format!("{t:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(
            s,
            "impl<'de> ::serde::Deserialize<'de> for {name} {{\n\
             fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\n\
             // Kept as raw JSON text: the tag is read by a probe that skips\n\
             // every other field, then the variant is decoded once.\n\
             let raw = <::std::boxed::Box<::serde_json::value::RawValue> as ::serde::Deserialize>::deserialize(deserializer)?;\n\
             #[derive(::serde::Deserialize)]\n\
             struct Probe<'a> {{\n\
             #[serde(borrow, rename = {prop:?}, default)]\n\
             tag: Option<::std::borrow::Cow<'a, str>>,\n\
             }}\n\
             let tag = ::serde_json::from_str::<Probe<'_>>(raw.get()).ok().and_then(|p| p.tag);\n\
             fn known<T: ::serde::de::DeserializeOwned, E: ::serde::de::Error>(tag: &str, raw: &str) -> Result<T, E> {{\n\
             let mut de = ::serde_json::Deserializer::from_str(raw);\n\
             ::serde_path_to_error::deserialize(&mut de).map_err(|e| {{\n\
             E::custom(format_args!(\"{name} of {prop} {{tag}}: at `{{}}`: {{}}\", e.path(), e.inner()))\n\
             }})\n\
             }}\n\
             match tag.as_deref() {{"
        );
        for (tag, variant, _) in &variants {
            let _ = writeln!(
                s,
                "Some(t @ {tag:?}) => known(t, raw.get()).map(Self::{variant}),"
            );
        }
        let _ = writeln!(
            s,
            "_ => ::serde_json::from_str(raw.get()).map(Self::Unknown).map_err(::serde::de::Error::custom),\n}}\n}}\n}}"
        );
    }
    s.push_str("}\n");
    s
}

/// How a list operation takes its page number and size.
enum Paging {
    /// `page` and `per_page` query parameters.
    Query,
    /// `page` and `per_page` fields of the JSON request body.
    Body,
}

/// One list operation: its generated builder and the type of its items.
struct ListOperation {
    method: String,
    path: String,
    builder: String,
    client_method: String,
    item: String,
    paging: Paging,
    /// The facade's method: the operation's name without its `get`, for a
    /// `GET` without path parameters (others need typed arguments).
    facade_method: Option<String>,
    summary: String,
}

/// Every operation that answers a JSON array and takes `page` and
/// `per_page` (as query parameters or body fields) is a list the facade
/// pages through. A list operation a refresh adds, or a filter added to one,
/// needs no hand-written line: the filters are the generated builder's
/// setters.
fn list_operations(
    spec: &serde_json::Value,
    unions: &[crate::normalize::TaggedUnion],
) -> Vec<ListOperation> {
    use crate::normalize::resolve::{component_name, resolve};
    use heck::{ToSnakeCase, ToUpperCamelCase};
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(serde_json::Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Some(id) = op.get("operationId").and_then(serde_json::Value::as_str) else {
                continue;
            };
            let query: Vec<&str> = op
                .get("parameters")
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| resolve(spec, p))
                .filter(|p| p.get("in").and_then(serde_json::Value::as_str) == Some("query"))
                .filter_map(|p| p.get("name").and_then(serde_json::Value::as_str))
                .collect();
            let body = op
                .pointer("/requestBody/content/application~1json/schema")
                .map(|s| crate::normalize::resolve::merged(spec, s));
            let body_has = |name: &str| {
                body.as_ref()
                    .and_then(|b| b.get("properties"))
                    .is_some_and(|p| p.get(name).is_some())
            };
            let paging = if query.contains(&"page") && query.contains(&"per_page") {
                Paging::Query
            } else if body_has("page") && body_has("per_page") {
                Paging::Body
            } else {
                continue;
            };
            let Some(schema) = op.pointer("/responses/200/content/application~1json/schema") else {
                continue;
            };
            let array = resolve(spec, schema);
            if array.get("type").and_then(serde_json::Value::as_str) != Some("array") {
                continue;
            }
            // Items named by a component; an inline item type has a name only
            // the generator knows, and is left to the raw client.
            let Some(name) = array
                .get("items")
                .and_then(|i| i.get("$ref"))
                .and_then(serde_json::Value::as_str)
                .and_then(component_name)
            else {
                continue;
            };
            let item = if unions.iter().any(|u| u.name == name) {
                format!("super::unions::{}", type_ident(name))
            } else {
                format!("super::types::{}", type_ident(name))
            };
            let has_path_params = op
                .get("parameters")
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
                .any(|p| {
                    resolve(spec, p)
                        .get("in")
                        .and_then(serde_json::Value::as_str)
                        == Some("path")
                });
            let snake = id.to_snake_case();
            let facade_method = (method == "get" && !has_path_params)
                .then(|| snake.strip_prefix("get_").map(str::to_string))
                .flatten();
            let summary = op
                .get("summary")
                .or_else(|| op.get("description"))
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .trim()
                .to_string();
            out.push(ListOperation {
                facade_method,
                summary,
                method: method.to_uppercase(),
                path: path.clone(),
                builder: id.to_upper_camel_case(),
                client_method: id.to_snake_case(),
                item,
                paging,
            });
        }
    }
    out
}

/// A marker type per list operation, implementing the facade's paging
/// traits over the generated builder.
fn list_operations_module(lists: &[ListOperation]) -> String {
    let mut s = String::from(
        "/// The list operations: one marker type each, through which the facade\n\
         /// pages the generated builder.\n\
         pub mod list_ops {\n",
    );
    for op in lists {
        let ListOperation {
            method,
            path,
            builder,
            client_method,
            item,
            paging,
            ..
        } = op;
        let set_page = match paging {
            Paging::Query => "request.page(page).per_page(per_page)",
            Paging::Body => "request.body_map(move |b| b.page(page).per_page(per_page))",
        };
        let _ = writeln!(
            s,
            "/// `{method} {path}`.\n\
             pub struct {builder};\n\
             impl crate::page::ListOperation for {builder} {{\n\
             type Client = super::Client;\n\
             type Request<'a> = super::builder::{builder}<'a>;\n\
             type Item = {item};\n\
             fn request(client: &super::Client) -> Self::Request<'_> {{ client.{client_method}() }}\n\
             fn send_page(request: Self::Request<'_>, page: ::std::num::NonZeroU32, per_page: ::std::num::NonZeroU32) -> crate::page::PageFuture<'_, Self::Item> {{\n\
             ::std::boxed::Box::pin(async move {{ crate::convert::page({set_page}.send().await) }})\n\
             }}\n\
             }}\n\
             impl {builder} {{\n\
             /// Every page, `query` setting the filters on each page's request.\n\
             pub fn paginate<Q>(client: super::Client, query: Q) -> crate::Paginator<crate::Item<{item}>>\n\
             where Q: for<'a> Fn(super::builder::{builder}<'a>) -> super::builder::{builder}<'a> + Send + Sync + 'static {{\n\
             crate::page::list::<Self, Q>(client, query)\n\
             }}\n\
             }}\n\
             impl<F> crate::page::ListQuery<{builder}> for F\n\
             where F: for<'a> Fn(super::builder::{builder}<'a>) -> super::builder::{builder}<'a> {{\n\
             fn apply<'a>(&self, request: <{builder} as crate::page::ListOperation>::Request<'a>) -> <{builder} as crate::page::ListOperation>::Request<'a> {{ self(request) }}\n\
             }}"
        );
    }
    s.push_str("}\n");
    s
}

/// The generated client's side of the facade: the operations the facade's
/// shared methods call (`crate::client::Operations`), and one facade method
/// per list operation, whose filters are the generated builder's setters.
/// The names used here are the canonical ones `normalize` guarantees for a
/// DVS document (`facade_needs`, `canonical_names`).
fn facade_module(lists: &[ListOperation], module: &str) -> String {
    let mut s = format!(
        "impl crate::config::private::Sealed for Client {{}}\n\
         impl crate::client::Operations for Client {{\n\
         const MODULE: &'static str = {module:?};\n\
         type Transaction = types::Transaction;\n\
         type Service = types::Service;\n\
         type Country = types::Country;\n\
         type Operator = types::Operator;\n\
         fn connect(base_url: &str, http: ::reqwest::Client, settings: crate::CallSettings) -> Self {{ Self::new_with_client(base_url, http, settings) }}\n\
         fn base_url(&self) -> &str {{ ClientInfo::baseurl(self) }}\n\
         fn settings(&self) -> &crate::CallSettings {{ ClientInfo::inner(self) }}\n\
         fn get_service(&self, id: i64) -> crate::client::Call<'_, types::Service> {{\n\
         ::std::boxed::Box::pin(async move {{ crate::convert::value(self.get_service_by_id().service_id(id).send().await) }})\n\
         }}\n\
         fn get_country<'a>(&'a self, iso_code: &'a str) -> crate::client::Call<'a, types::Country> {{\n\
         ::std::boxed::Box::pin(async move {{ crate::convert::value(self.get_country_by_iso_code().country_iso_code(iso_code).send().await) }})\n\
         }}\n\
         fn get_operator(&self, id: i64) -> crate::client::Call<'_, types::Operator> {{\n\
         ::std::boxed::Box::pin(async move {{ crate::convert::value(self.get_operator_by_id().operator_id(id).send().await) }})\n\
         }}\n\
         fn get_transaction(&self, id: i64) -> crate::client::Call<'_, types::Transaction> {{\n\
         ::std::boxed::Box::pin(async move {{ crate::convert::value(self.get_transaction_by_id().transaction_id(id).send().await) }})\n\
         }}\n\
         fn cancel(&self, id: i64) -> crate::client::Call<'_, types::Transaction> {{\n\
         ::std::boxed::Box::pin(async move {{\n\
         let r = self.post_transaction_cancel().transaction_id(id).send().await;\n\
         Ok(crate::convert::result(r, crate::Outcome::unknown_action(id))?.into_inner())\n\
         }})\n\
         }}\n\
         fn transactions_by_external_id<'a>(&'a self, external_id: &'a str) -> crate::page::PageFuture<'a, types::Transaction> {{\n\
         ::std::boxed::Box::pin(async move {{ crate::convert::page(self.get_transactions().external_id(external_id).page(::std::num::NonZeroU32::MIN).per_page(::std::num::NonZeroU32::MIN.saturating_add(99)).send().await) }})\n\
         }}\n\
         }}\n\
         /// The list operations of this version.\n\
         impl crate::Client<Client> {{\n",
    );
    for op in lists {
        let Some(name) = &op.facade_method else {
            continue;
        };
        let builder = &op.builder;
        let summary = if op.summary.is_empty() {
            String::new()
        } else {
            format!("/// {}\n///\n", op.summary.replace('\n', " "))
        };
        let _ = writeln!(
            s,
            "{summary}/// `{method} {path}`, every page. `query` sets the filters on the\n\
             /// request ([`builder::{builder}`]'s setters; `|q| q` for none), checked\n\
             /// against the spec before anything is sent.\n\
             pub fn {name}<Q>(&self, query: Q) -> crate::Paginator<crate::Item<{item}>>\n\
             where Q: for<'a> Fn(builder::{builder}<'a>) -> builder::{builder}<'a> + Send + Sync + 'static {{\n\
             list_ops::{builder}::paginate(self.raw.clone(), query)\n\
             }}",
            method = op.method,
            path = op.path,
            item = op.item.replace("super::", ""),
        );
    }
    s.push_str("}\n");
    s
}
