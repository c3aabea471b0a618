//! Generates the raw DVS clients: for each enabled API version, reads the
//! vendored spec, applies the named fixups of `src/normalize`, runs progenitor
//! and writes formatted code to `OUT_DIR`. No network access.

#[path = "src/normalize/mod.rs"]
#[allow(dead_code)]
mod normalize;

#[path = "src/codegen.rs"]
mod codegen;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/normalize/mod.rs");
    println!("cargo:rerun-if-changed=src/codegen.rs");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("manifest dir"));
    for version in codegen::VERSIONS {
        let feature = format!("CARGO_FEATURE_{}", version.module.to_uppercase());
        if std::env::var_os(&feature).is_none() {
            continue;
        }
        let spec_path = root.join("openapi").join(version.file);
        println!("cargo:rerun-if-changed={}", spec_path.display());
        if let Err(e) = generate(&spec_path, version, &out_dir) {
            panic!("generating {}: {e}", version.file);
        }
    }
}

fn generate(
    spec_path: &Path,
    version: &codegen::Version,
    out_dir: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(spec_path)?;
    let mut spec: serde_json::Value = serde_json::from_str(&text)?;
    normalize::normalize_with(&mut spec, codegen::fixups_for(version))?;
    let code = codegen::generate(&spec, version)?;
    std::fs::write(out_dir.join(version.out_file), code)?;
    Ok(())
}
