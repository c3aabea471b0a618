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
}

/// Every API version the crate can generate.
pub const VERSIONS: &[Version] = &[
    Version {
        module: "v1_21",
        file: "dvs-1.21.0.json",
        out_file: "dvs_v1_21.rs",
    },
    Version {
        module: "v1_0",
        file: "dvs-1.0.0.json",
        out_file: "dvs_v1_0.rs",
    },
    Version {
        module: "valuetopup",
        file: "valuetopup-2.json",
        out_file: "valuetopup_v2.rs",
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
