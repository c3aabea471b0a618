//! Code generation from a normalized spec: progenitor settings (with every
//! struct `#[non_exhaustive]`), tagged-union enums, open enums for the
//! schemas with known values, the facade's accessors, formatting. Shared by
//! `build.rs` and `xtask` through `#[path]`; not part of the library.

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
    let open = open_enums(spec);
    for e in &open {
        settings.with_replacement(
            &e.component,
            format!("crate::{}::generated::open::{}", version.module, e.ident),
            [progenitor::TypeImpl::Display, progenitor::TypeImpl::FromStr].into_iter(),
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
    // Every generated struct is `#[non_exhaustive]`, so that a field a
    // refresh adds breaks no one who builds one (with its builder or from
    // JSON). Progenitor takes attributes per type only: the struct names
    // come from a first run of the generator.
    let mut non_exhaustive = progenitor::TypePatch::default();
    non_exhaustive.with_attr("#[non_exhaustive]");
    let (type_names, structs) = type_names(&api, &settings)?;
    for name in structs {
        settings.with_patch(&name, &non_exhaustive);
    }
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = generator.generate_tokens(&api)?;
    let mut code = tokens.to_string();
    code.push_str(&unions_module(&unions));
    code.push_str(&open_module(&open));
    code.push_str(&open_names_module(&open));
    code.push_str(&parameter_conversions(spec, &open, &type_names));
    code.push_str(&query_bounds(spec));
    code.push_str(&accessors_module(spec, version, &unions));
    let lists = list_operations(spec, &unions);
    code.push_str(&list_operations_module(&lists));
    if version.dvs {
        code.push_str(&facade_module(&lists, version.module));
    }
    let file: syn::File = syn::parse_str(&code)?;
    Ok(prettyplease::unparse(&file))
}

/// The names of the types the generator makes of `api` with `settings`
/// (components, and the inline schemas it names after their place), and
/// those of them that are structs with named fields: the items of its
/// `types` module, read from a first run.
fn type_names(
    api: &openapiv3::OpenAPI,
    settings: &progenitor::GenerationSettings,
) -> Result<(Vec<String>, Vec<String>), Box<dyn std::error::Error>> {
    let mut probe = progenitor::Generator::new(settings);
    let file: syn::File = syn::parse2(probe.generate_tokens(api)?)?;
    let items = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items);
    let (mut all, mut structs) = (Vec::new(), Vec::new());
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                if matches!(s.fields, syn::Fields::Named(_)) {
                    structs.push(s.ident.to_string());
                }
                all.push(s.ident.to_string());
            }
            syn::Item::Enum(e) => all.push(e.ident.to_string()),
            _ => {}
        }
    }
    for names in [&mut all, &mut structs] {
        names.sort();
        names.dedup();
    }
    Ok((all, structs))
}

/// Every parameter of every named operation, references followed, with
/// the operation's id.
fn operation_parameters(
    spec: &serde_json::Value,
) -> impl Iterator<Item = (&str, &serde_json::Value)> {
    spec.get("paths")
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(serde_json::Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(move |op| {
            let id = op.get("operationId").and_then(serde_json::Value::as_str)?;
            let params = op.get("parameters").and_then(serde_json::Value::as_array)?;
            Some(
                params
                    .iter()
                    .map(move |p| (id, crate::normalize::resolve::resolve(spec, p))),
            )
        })
        .flatten()
}

/// A parameter whose values are a copy of an open enum's component (see
/// `normalize::typed_string_parameters`) gets its generated type from that
/// enum too, checked against the parameter's values: `q.type_(ProductType::
/// FixedValueRecharge)` as well as `q.type_("FIXED_VALUE_RECHARGE")`.
fn parameter_conversions(
    spec: &serde_json::Value,
    open: &[OpenEnum],
    type_names: &[String],
) -> String {
    use heck::ToUpperCamelCase;
    let mut s = String::from(
        "/// Open enums into the parameter types copied from them.\n\
         mod parameter_conversions {\n use super::{open, types};\n",
    );
    let mut done = std::collections::BTreeSet::new();
    for (id, p) in operation_parameters(spec) {
        let (Some(name), Some(component)) = (
            p.get("name").and_then(serde_json::Value::as_str),
            p.pointer(&format!(
                "/schema/{}",
                crate::normalize::VALUES_OF_KEY
                    .replace('~', "~0")
                    .replace('/', "~1")
            ))
            .and_then(serde_json::Value::as_str),
        ) else {
            continue;
        };
        let Some(e) = open.iter().find(|e| e.component == component) else {
            continue;
        };
        // The name the generator gives a parameter's own type; checked
        // against the types it made, so a change of its naming leaves
        // the conversion out rather than break the build.
        let target = format!("{}{}", id.to_upper_camel_case(), name.to_upper_camel_case());
        if !type_names.contains(&target) || !done.insert(target.clone()) {
            continue;
        }
        let _ = writeln!(
            s,
            "impl ::std::convert::TryFrom<open::{ident}> for types::{target} {{\n\
             type Error = types::error::ConversionError;\n\
             fn try_from(value: open::{ident}) -> ::std::result::Result<Self, Self::Error> {{ value.as_str().parse() }}\n\
             }}",
            ident = e.ident
        );
    }
    s.push_str("}\n");
    s
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
             // Decoded once; only a variant that fails is decoded again,\n\
             // tracking the path, to say which field did not fit.\n\
             if let Ok(value) = ::serde_json::from_str(raw) {{\n\
             return Ok(value);\n\
             }}\n\
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

/// A component schema whose values normalization opened (it carries
/// [`crate::normalize::KNOWN_VALUES_KEY`]), to generate as an open enum.
struct OpenEnum {
    /// Component name in the spec.
    component: String,
    /// Rust type name.
    ident: String,
    /// The schema's description.
    doc: Option<String>,
    /// Known values, without repeats, in spec order.
    values: Vec<String>,
}

/// The named components that carry known values.
fn open_enums(spec: &serde_json::Value) -> Vec<OpenEnum> {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let known = schema.get(crate::normalize::KNOWN_VALUES_KEY)?.as_array()?;
            let mut values: Vec<String> = Vec::new();
            for v in known.iter().filter_map(serde_json::Value::as_str) {
                if !values.iter().any(|seen| seen == v) {
                    values.push(v.to_string());
                }
            }
            Some(OpenEnum {
                component: name.clone(),
                ident: type_ident(name),
                doc: schema
                    .get("description")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string),
                values,
            })
        })
        .collect()
}

/// Variant names for an enum's values, in order: UpperCamelCase of the
/// value's ASCII letters and digits (`FIXED_VALUE_RECHARGE` ->
/// `FixedValueRecharge`), always a valid identifier (`V` before a leading
/// digit, `Value` when nothing is left, never `Self` nor `Unknown`, the
/// catch-all's name) and unique (a number appended on a collision).
fn variant_idents(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let mut name = String::new();
        for word in value
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                name.push(first.to_ascii_uppercase());
                name.extend(chars.map(|c| c.to_ascii_lowercase()));
            }
        }
        if name.is_empty() {
            name.push_str("Value");
        } else if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert(0, 'V');
        }
        if name == "Self" || name == "Unknown" {
            name.push_str("Value");
        }
        let base = name.clone();
        let mut n = 2;
        while out.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        out.push(name);
    }
    out
}

/// The open enums, each declared through the crate's `open_enum!`: a
/// variant per known value and `Unknown` for any other.
fn open_module(enums: &[OpenEnum]) -> String {
    let mut s = String::from(
        "/// String enums of the spec, open to values added later (`Unknown`).\n\
         pub mod open {\n",
    );
    for e in enums {
        let doc = e.doc.as_deref().unwrap_or("A value of the spec.");
        let _ = writeln!(
            s,
            "crate::open_enum::open_enum! {{\n#[doc = {doc:?}]\n#[doc = \"\"]\n#[doc = \"Generated from the `{component}` schema.\"]\npub enum {ident} {{",
            component = e.component,
            ident = e.ident
        );
        for (value, variant) in e.values.iter().zip(variant_idents(&e.values)) {
            let _ = writeln!(
                s,
                "#[doc = {doc:?}]\n{variant} = {value:?},",
                doc = format!("`{value}`.")
            );
        }
        s.push_str("}\n}\n");
    }
    s.push_str("}\n");
    s
}

/// What an accessor reads.
enum Read {
    /// A property of the type (of each variant, for a union); `present`
    /// reads `f`, a reference to its value (`&[T]` for an array), `absent`
    /// stands for a variant without it or a null.
    Property {
        name: &'static str,
        present: &'static str,
        absent: &'static str,
    },
    /// An amount property (`{unit_type, unit, amount}`, the amount fixed or a
    /// `{min, max, increment}` range): an `Option<crate::Amount>`.
    Amount(&'static str),
    /// Computed from the other accessors (`self`), the same for every
    /// variant.
    Computed(&'static str),
}

/// An accessor the facade promises on a generated type.
struct Accessor {
    name: &'static str,
    doc: &'static str,
    ret: &'static str,
    read: Read,
    /// For a union's `Unknown(v)` variant: reads `v`, the raw JSON.
    unknown: &'static str,
}

const fn prop(name: &'static str, present: &'static str, absent: &'static str) -> Read {
    Read::Property {
        name,
        present,
        absent,
    }
}

/// The accessors every product has, whatever its type: a match over the
/// union's variants that reads each variant's own fields (a variant without
/// a field answers the `absent` value), and reads the raw JSON of an unknown
/// product type by key.
const PRODUCT_ACCESSORS: &[Accessor] = &[
    Accessor {
        name: "id",
        doc: "The product id (0 for an unknown type without a numeric id).",
        ret: "i64",
        read: prop("id", "::std::convert::Into::<i64>::into(f.clone())", "0"),
        unknown: "v.get(\"id\").and_then(::serde_json::Value::as_i64).unwrap_or_default()",
    },
    Accessor {
        name: "name",
        doc: "The product name.",
        ret: "&str",
        read: prop("name", "f.as_str()", "\"\""),
        unknown: "v.get(\"name\").and_then(::serde_json::Value::as_str).unwrap_or_default()",
    },
    Accessor {
        name: "description",
        doc: "The product description.",
        ret: "&str",
        read: prop("description", "f.as_str()", "\"\""),
        unknown: "v.get(\"description\").and_then(::serde_json::Value::as_str).unwrap_or_default()",
    },
    Accessor {
        name: "product_type",
        doc: "The product type, also for types this crate does not know.",
        ret: "super::open::ProductTypes",
        read: prop(
            "type",
            "super::open::ProductTypes::from(f.as_str())",
            "super::open::ProductTypes::from(\"\")",
        ),
        unknown: "super::open::ProductTypes::from(v.get(\"type\").and_then(::serde_json::Value::as_str).unwrap_or_default())",
    },
    Accessor {
        name: "service",
        doc: "The service id and name.",
        ret: "Option<(i64, String)>",
        read: prop(
            "service",
            "Some((::std::convert::Into::<i64>::into(f.id.clone()), f.name.to_string()))",
            "None",
        ),
        unknown: "crate::product::read::json_id_name(v.get(\"service\"))",
    },
    Accessor {
        name: "operator",
        doc: "The operator id and name.",
        ret: "Option<(i64, String)>",
        read: prop(
            "operator",
            "Some((::std::convert::Into::<i64>::into(f.id.clone()), f.name.to_string()))",
            "None",
        ),
        unknown: "crate::product::read::json_id_name(v.get(\"operator\"))",
    },
    Accessor {
        name: "country_iso_code",
        doc: "The operator's country code.",
        ret: "Option<String>",
        read: prop("operator", "Some(f.country.iso_code.to_string())", "None"),
        unknown: "v.pointer(\"/operator/country/iso_code\").and_then(::serde_json::Value::as_str).map(str::to_string)",
    },
    Accessor {
        name: "regions",
        doc: "Codes of the regions the product covers (empty when none are listed).",
        ret: "Vec<String>",
        read: prop(
            "regions",
            "f.iter().map(|r| r.code.to_string()).collect()",
            "Vec::new()",
        ),
        unknown: "crate::product::read::json_region_codes(v)",
    },
    Accessor {
        name: "is_ranged",
        doc: "The amount is chosen within a range.",
        ret: "bool",
        read: Read::Computed("crate::AnyProductType::is_ranged(&self.product_type())"),
        unknown: "",
    },
    Accessor {
        name: "source",
        doc: "What the sender pays (a fixed amount or a range).",
        ret: "Option<crate::Amount>",
        read: Read::Amount("source"),
        unknown: "v.get(\"source\").and_then(crate::Amount::from_json)",
    },
    Accessor {
        name: "destination",
        doc: "What the beneficiary receives (a fixed amount or a range).",
        ret: "Option<crate::Amount>",
        read: Read::Amount("destination"),
        unknown: "v.get(\"destination\").and_then(crate::Amount::from_json)",
    },
    Accessor {
        name: "required_credit_party_fields",
        doc: "The credit-party fields a transaction for this product must carry: any one of the inner lists, complete (e.g. `[[\"mobile_number\"]]`).",
        ret: "Vec<Vec<String>>",
        read: prop("required_credit_party_identifier_fields", "f.to_vec()", "Vec::new()"),
        unknown: "crate::product::read::json_field_sets(v, \"required_credit_party_identifier_fields\")",
    },
    Accessor {
        name: "required_sender_fields",
        doc: "The sender fields a transaction for this product must carry.",
        ret: "Vec<Vec<String>>",
        read: prop("required_sender_fields", "f.to_vec()", "Vec::new()"),
        unknown: "crate::product::read::json_field_sets(v, \"required_sender_fields\")",
    },
    Accessor {
        name: "required_beneficiary_fields",
        doc: "The beneficiary fields a transaction for this product must carry.",
        ret: "Vec<Vec<String>>",
        read: prop("required_beneficiary_fields", "f.to_vec()", "Vec::new()"),
        unknown: "crate::product::read::json_field_sets(v, \"required_beneficiary_fields\")",
    },
    Accessor {
        name: "new_transaction",
        doc: "A transaction of this product, with your reference `external_id`, that refuses before sending an amount outside the product's ranges (see [`NewTransaction::destination_range`](crate::NewTransaction::destination_range)).",
        ret: "crate::NewTransaction",
        read: Read::Computed("crate::product::read::new_transaction(external_id, self.id(), self.source(), self.destination())"),
        unknown: "",
    },
    Accessor {
        name: "is_unknown",
        doc: "True when the crate does not know this product's type.",
        ret: "bool",
        read: Read::Computed("matches!(self, Self::Unknown(_))"),
        unknown: "",
    },
];

/// What the facade and the transaction flows read of a transaction.
const TRANSACTION_ACCESSORS: &[Accessor] = &[
    Accessor {
        name: "transaction_id",
        doc: "The transaction id (absent only in a malformed response).",
        ret: "Option<i64>",
        read: prop("id", "Some(::std::convert::Into::<i64>::into(f.clone()))", "None"),
        unknown: "",
    },
    Accessor {
        name: "status_class",
        doc: "The status class, from its id (open to classes added later).",
        ret: "crate::StatusClass",
        read: prop(
            "status",
            "match f.class.as_ref() { Some(c) => crate::StatusClass::from_parts(c.id, &c.message), None => crate::StatusClass::Unknown { id: 0, message: None } }",
            "crate::StatusClass::Unknown { id: 0, message: None }",
        ),
        unknown: "",
    },
    Accessor {
        name: "detailed_status",
        doc: "The detailed status (e.g. `DECLINED-INVALID-CREDIT-PARTY`).",
        ret: "Option<crate::Status>",
        read: prop(
            "status",
            "f.message.as_ref().map(|m| crate::Status::from(m.as_str()))",
            "None",
        ),
        unknown: "",
    },
    Accessor {
        name: "is_final",
        doc: "No further status is expected (but `COMPLETED` may rarely turn `REVERSED`).",
        ret: "bool",
        read: Read::Computed("self.status_class().is_final()"),
        unknown: "",
    },
    Accessor {
        name: "is_success",
        doc: "The value was delivered.",
        ret: "bool",
        read: Read::Computed("self.status_class().is_success()"),
        unknown: "",
    },
    Accessor {
        name: "pin",
        doc: "The PIN of a PIN-based product, once delivered.",
        ret: "Option<&crate::Pin>",
        read: prop("pin", "Some(f)", "None"),
        unknown: "",
    },
];

/// What the transaction flows need of a version's transaction type.
const TRANSACTION_VIEW: &str = "impl crate::flows::TxView for types::Transaction {\n\
    fn tx_id(&self) -> Option<i64> { self.transaction_id() }\n\
    fn tx_external_id(&self) -> &str { &self.external_id }\n\
    fn tx_class(&self) -> crate::StatusClass { self.status_class() }\n\
    fn tx_json(&self) -> ::serde_json::Value { ::serde_json::to_value(self).unwrap_or_default() }\n\
    }\n";

/// Follows `$ref`s (and a lone `allOf` wrapper) to the schema they name.
fn resolve<'a>(
    spec: &'a serde_json::Value,
    mut schema: &'a serde_json::Value,
) -> &'a serde_json::Value {
    for _ in 0..32 {
        if let Some(r) = schema.get("$ref").and_then(serde_json::Value::as_str) {
            match r.strip_prefix('#').and_then(|p| spec.pointer(p)) {
                Some(s) => schema = s,
                None => break,
            }
        } else if let Some([only]) = schema
            .get("allOf")
            .and_then(serde_json::Value::as_array)
            .map(Vec::as_slice)
        {
            schema = only;
        } else {
            break;
        }
    }
    schema
}

/// How generated code reads a property of an object schema: `None` when
/// the schema has no such property.
fn read_property(
    spec: &serde_json::Value,
    object: &serde_json::Value,
    owner: &str,
    name: &str,
    present: &str,
    absent: &str,
) -> String {
    let object = resolve(spec, object);
    let Some(schema) = object.pointer(&format!(
        "/properties/{}",
        name.replace('~', "~0").replace('/', "~1")
    )) else {
        return absent.to_string();
    };
    let field = field_ident(name);
    let resolved = resolve(spec, schema);
    if resolved.get("type").and_then(serde_json::Value::as_str) == Some("array") {
        // `Vec<T>` or `Option<Vec<T>>`, whichever the generator chose.
        return format!("{{ let f = crate::product::read::items(&{owner}.{field}); {present} }}");
    }
    let required = object
        .get("required")
        .and_then(serde_json::Value::as_array)
        .is_some_and(|r| r.iter().any(|n| n == name));
    let nullable = schema.get("nullable") == Some(&serde_json::Value::Bool(true))
        || resolved.get("nullable") == Some(&serde_json::Value::Bool(true));
    if required && !nullable {
        format!("{{ let f = &{owner}.{field}; {present} }}")
    } else {
        format!("match &{owner}.{field} {{ Some(f) => {present}, None => {absent} }}")
    }
}

/// How generated code reads an amount property (see [`Read::Amount`]).
fn read_amount(
    spec: &serde_json::Value,
    object: &serde_json::Value,
    owner: &str,
    name: &str,
) -> String {
    let object_schema = resolve(spec, object);
    let Some(amount_owner) = object_schema.pointer(&format!("/properties/{name}")) else {
        return "None".to_string();
    };
    let amount_owner = resolve(spec, amount_owner);
    let value = match amount_owner
        .pointer("/properties/amount")
        .map(|a| resolve(spec, a))
    {
        None => "None".to_string(),
        Some(range) if range.get("properties").is_some() => {
            let part = |p: &str| {
                if range.pointer(&format!("/properties/{p}")).is_some() {
                    format!("crate::product::read::decimal(&f.amount.{p})")
                } else {
                    "None".to_string()
                }
            };
            format!(
                "Some(crate::AmountValue::Range(crate::AmountRange::new({}, {}, {})))",
                part("min"),
                part("max"),
                part("increment")
            )
        }
        Some(_) => {
            "crate::product::read::decimal(&f.amount).map(crate::AmountValue::Fixed)".to_string()
        }
    };
    let present = format!("crate::product::read::amount(&f.unit_type, &f.unit, {value})");
    read_property(spec, object, owner, name, &present, "None")
}

/// The body of an accessor over `owner`, an instance of `schema`.
fn accessor_body(
    spec: &serde_json::Value,
    schema: &serde_json::Value,
    owner: &str,
    a: &Accessor,
) -> String {
    match &a.read {
        Read::Property {
            name,
            present,
            absent,
        } => read_property(spec, schema, owner, name, present, absent),
        Read::Amount(name) => read_amount(spec, schema, owner, name),
        Read::Computed(expr) => expr.to_string(),
    }
}

/// Rust field name typify gives a property (enough for DVS's snake_case
/// names).
fn field_ident(name: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn",
        "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
        "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
        "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override",
        "priv", "typeof", "unsized", "virtual", "yield", "try",
    ];
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// The facade's accessors on the DVS product union and transaction,
/// generated from the spec, so that a variant a refreshed spec adds gets
/// them too. Not for other APIs.
fn accessors_module(
    spec: &serde_json::Value,
    version: &Version,
    unions: &[crate::normalize::TaggedUnion],
) -> String {
    let mut s = String::from(
        "/// What the facade reads of the generated types, field by field.\n\
         mod accessors {\n#[allow(unused_imports)]\nuse super::{open, types, unions};\n",
    );
    if !version.dvs {
        s.push_str("}\n");
        return s;
    }
    let schemas = |name: &str| spec.pointer(&format!("/components/schemas/{name}"));
    for u in unions.iter().filter(|u| u.name == "Product") {
        let _ = writeln!(s, "impl unions::{} {{", type_ident(&u.name));
        for a in PRODUCT_ACCESSORS {
            let args = if a.name == "new_transaction" {
                "external_id: impl Into<String>"
            } else {
                ""
            };
            let _ = write!(
                s,
                "#[doc = {doc:?}]\npub fn {name}(&self{comma}{args}) -> {ret} {{\n",
                doc = a.doc,
                name = a.name,
                ret = a.ret,
                comma = if args.is_empty() { "" } else { ", " },
            );
            if let Read::Computed(expr) = &a.read {
                let _ = writeln!(s, "{expr}\n}}");
                continue;
            }
            s.push_str("match self {\n");
            for schema_name in u.variants.values() {
                let ty = type_ident(schema_name);
                let name = type_ident(&u.name);
                let variant = ty
                    .strip_prefix(&name)
                    .filter(|v| !v.is_empty())
                    .unwrap_or(&ty);
                let schema = schemas(schema_name).unwrap_or(&serde_json::Value::Null);
                let _ = writeln!(
                    s,
                    "Self::{variant}(p) => {},",
                    accessor_body(spec, schema, "p", a)
                );
            }
            let _ = writeln!(s, "Self::Unknown(v) => {},\n}}\n}}", a.unknown);
        }
        s.push_str("}\n");
    }
    if let Some(schema) = schemas("Transaction") {
        s.push_str("impl types::Transaction {\n");
        for a in TRANSACTION_ACCESSORS {
            let _ = writeln!(
                s,
                "#[doc = {doc:?}]\npub fn {name}(&self) -> {ret} {{\n{body}\n}}",
                doc = a.doc,
                name = a.name,
                ret = a.ret,
                body = accessor_body(spec, schema, "self", a)
            );
        }
        s.push_str("}\n");
        s.push_str(TRANSACTION_VIEW);
    }
    s.push_str("}\n");
    s
}

/// The facade's names of the open enums: the singular of the component's
/// plural (`ProductTypes` → `ProductType`), re-exported by each version
/// module, so an enum a refresh adds is named with no hand-written line.
fn open_names_module(enums: &[OpenEnum]) -> String {
    let mut s =
        String::from("/// The open enums under the facade's names.\npub mod open_names {\n");
    for e in enums {
        let Some(singular) = e.ident.strip_suffix('s').filter(|n| !n.is_empty()) else {
            continue;
        };
        if enums.iter().any(|other| other.ident == singular) {
            continue;
        }
        let doc = e.doc.as_deref().unwrap_or("A value of the spec.");
        let _ = writeln!(
            s,
            "#[doc = {doc:?}]\npub use super::open::{ident} as {singular};",
            ident = e.ident
        );
    }
    s.push_str("}\n");
    s
}

/// The bounds of each integer query parameter, per operation, as the spec
/// writes them (also where normalization loosened a shared component, from
/// what it recorded): the request hook refuses a value outside them before
/// sending, which the generated integer types cannot.
fn query_bounds(spec: &serde_json::Value) -> String {
    use crate::normalize::resolve::resolve;
    use heck::ToSnakeCase;
    let mut rows = Vec::new();
    let query = operation_parameters(spec)
        .filter(|(_, p)| p.get("in").and_then(serde_json::Value::as_str) == Some("query"));
    for (id, p) in query {
        let Some(name) = p.get("name").and_then(serde_json::Value::as_str) else {
            continue;
        };
        let Some(schema) = p.get("schema").map(|s| resolve(spec, s)) else {
            continue;
        };
        if schema.get("type").and_then(serde_json::Value::as_str) != Some("integer") {
            continue;
        }
        let bound = |key: &str| {
            schema
                .get(key)
                .or_else(|| {
                    schema
                        .get(crate::normalize::RELAXED_KEY)
                        .and_then(|r| r.get(key))
                })
                .and_then(serde_json::Value::as_i64)
        };
        let (min, max) = (bound("minimum"), bound("maximum"));
        if min.is_some() || max.is_some() {
            rows.push(format!(
                "({:?}, {name:?}, {}, {})",
                id.to_snake_case(),
                min.unwrap_or(i64::MIN),
                max.unwrap_or(i64::MAX)
            ));
        }
    }
    format!(
        "/// The bounds of each integer query parameter: (operation, parameter, minimum, maximum).\n\
         pub const QUERY_BOUNDS: &[(&str, &str, i64, i64)] = &[{}];\n",
        rows.join(", ")
    )
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

#[cfg(test)]
mod tests {
    use super::variant_idents;

    fn idents(values: &[&str]) -> Vec<String> {
        variant_idents(&values.iter().map(|v| v.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn variant_names_are_upper_camel_case() {
        assert_eq!(
            idents(&["FIXED_VALUE_RECHARGE", "DATA", "PAST_DUE", "e-sim"]),
            ["FixedValueRecharge", "Data", "PastDue", "ESim"]
        );
    }

    #[test]
    fn variant_names_are_identifiers_and_unique() {
        let names = idents(&[
            "", "---", "2FA", "self", "SELF", "unknown", "A_B", "A-B", "a b", "ÉTÉ", "Value",
        ]);
        assert_eq!(
            names,
            [
                "Value",
                "Value2",
                "V2fa",
                "SelfValue",
                "SelfValue2",
                "UnknownValue",
                "AB",
                "AB2",
                "AB3",
                "T",
                "Value3"
            ]
        );
        for n in &names {
            assert!(syn::parse_str::<syn::Ident>(n).is_ok(), "{n}");
        }
    }
}
