//! Reviewable codegen: the normalized specs and the generated code are
//! snapshots, so every change to a spec, a fixup or the generator shows up as
//! a diff in review.

#[path = "../src/normalize/mod.rs"]
#[allow(dead_code)]
mod normalize;

mod plain_json;
use plain_json::Plain;

use serde_json::Value;

fn normalized(file: &str) -> (Value, Vec<(&'static str, usize)>) {
    let fixups = if file.starts_with("dvs-1.0.") {
        normalize::DVS_V1_0_FIXUPS
    } else {
        normalize::DVS_V1_21_FIXUPS
    };
    normalized_with(file, fixups)
}

fn normalized_with(file: &str, fixups: &[normalize::Fixup]) -> (Value, Vec<(&'static str, usize)>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("openapi")
        .join(file);
    let mut spec: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let report = normalize::normalize_with(&mut spec, fixups).unwrap();
    (spec, report)
}

#[test]
fn normalized_v1_21() {
    let (spec, report) = normalized("dvs-1.21.0.json");
    insta::assert_json_snapshot!("fixups_v1_21", report);
    insta::assert_json_snapshot!("normalized_v1_21", Plain(&spec));
}

#[test]
fn normalized_v1_0() {
    let (spec, report) = normalized("dvs-1.0.0.json");
    insta::assert_json_snapshot!("fixups_v1_0", report);
    insta::assert_json_snapshot!("normalized_v1_0", Plain(&spec));
}

#[test]
fn normalized_valuetopup() {
    let (spec, report) = normalized_with("valuetopup-2.json", normalize::VALUETOPUP_FIXUPS);
    insta::assert_json_snapshot!("fixups_valuetopup", report);
    insta::assert_json_snapshot!("normalized_valuetopup", Plain(&spec));
}

/// What the fixups must have achieved on the real specs, beyond "they ran".
#[test]
fn normalized_specs_keep_their_promises() {
    for file in ["dvs-1.21.0.json", "dvs-1.0.0.json"] {
        let (spec, _) = normalized(file);
        let s = &spec["components"]["schemas"];
        // The transaction response never requires or carries write-only fields.
        for f in [
            "product_id",
            "auto_confirm",
            "calculation_mode",
            "source",
            "destination",
        ] {
            assert!(
                s["Transaction"]["properties"].get(f).is_none(),
                "{file}: {f}"
            );
            assert!(
                s["TransactionRequest"]["properties"].get(f).is_some(),
                "{file}: {f}"
            );
        }
        assert!(!s["Transaction"]["required"]
            .to_string()
            .contains("product_id"));
        // The create request never carries server-set fields.
        for f in ["id", "status", "prices", "pin", "creation_date"] {
            assert!(
                s["TransactionRequest"]["properties"].get(f).is_none(),
                "{file}: {f}"
            );
        }
        // No `default` response survives; no deny_unknown_fields on responses.
        assert!(!spec["paths"].to_string().contains("\"default\""));
        for name in ["Transaction", "Operator", "Country", "Balance", "Errors"] {
            assert_ne!(s[name]["additionalProperties"], false, "{file}: {name}");
        }
        // Products: one tagged union with every product type.
        let unions = normalize::tagged_unions(&spec);
        assert_eq!(unions.len(), 1, "{file}");
        assert_eq!(unions[0].name, "Product");
        let want = s["ProductTypes"][normalize::KNOWN_VALUES_KEY]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(unions[0].variants.len(), want, "{file}");
    }
}

#[cfg(feature = "v1_21")]
#[test]
fn generated_v1_21() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/dvs_v1_21.rs"));
    insta::assert_snapshot!("generated_v1_21", code);
}

#[cfg(feature = "v1_0")]
#[test]
fn generated_v1_0() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/dvs_v1_0.rs"));
    insta::assert_snapshot!("generated_v1_0", code);
}

#[cfg(feature = "valuetopup")]
#[test]
fn generated_valuetopup() {
    let code = include_str!(concat!(env!("OUT_DIR"), "/valuetopup_v2.rs"));
    insta::assert_snapshot!("generated_valuetopup", code);
}

/// Every struct of a generated `types` module is `#[non_exhaustive]` (a
/// field a refresh adds breaks no one who builds one); its builders are not.
#[cfg(any(feature = "v1_21", feature = "v1_0"))]
#[test]
fn generated_structs_are_non_exhaustive() {
    let files: &[&str] = &[
        #[cfg(feature = "v1_21")]
        include_str!(concat!(env!("OUT_DIR"), "/dvs_v1_21.rs")),
        #[cfg(feature = "v1_0")]
        include_str!(concat!(env!("OUT_DIR"), "/dvs_v1_0.rs")),
    ];
    for code in files {
        let types = &code[code.find("\npub mod types {").unwrap()..];
        let types = &types[..types.find("\n    pub mod builder {").unwrap()];
        let lines: Vec<&str> = types.lines().collect();
        let mut structs = 0;
        for (i, line) in lines.iter().enumerate() {
            let Some(rest) = line.strip_prefix("    pub struct ") else {
                continue;
            };
            if !rest.trim_end().ends_with('{') {
                continue; // a newtype: nothing to add to it
            }
            structs += 1;
            let attrs = lines[..i]
                .iter()
                .rev()
                .take_while(|l| !l.starts_with("    }") && !l.starts_with("    pub "));
            assert!(
                attrs.clone().any(|l| l.trim() == "#[non_exhaustive]"),
                "{rest}"
            );
        }
        assert!(structs > 40, "{structs} structs");
    }
}
