//! `cargo xtask refresh`: bring the vendored specs up to date, safely.
//!
//! For each selected spec: take the new document (download or local file),
//! reject what progenitor cannot take, put it in the stable form, run the
//! crate's normalization and code generation on it, and — when something
//! changed — `cargo check` a copy of the crate built from it. Only when every
//! selected spec passed are the files and the manifest replaced. The diff
//! report between the committed and the new spec is printed either way.

use crate::codegen;
use crate::diff::{self, Report};
use crate::doc;
use crate::fetch::{self, Progress};
use crate::manifest::{Manifest, SpecEntry};
use crate::normalize;
use crate::report;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What `cargo xtask refresh` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The workspace root (holds `openapi/specs.toml` and the crate).
    pub root: PathBuf,
    /// Specs to refresh by name; empty: every spec that is not frozen.
    pub names: Vec<String>,
    /// Take the new spec from this file instead of downloading it.
    pub from_file: Option<PathBuf>,
    /// Write nothing; the caller exits non-zero when something differs.
    pub check: bool,
    /// Write nothing.
    pub dry_run: bool,
    /// Skip the `cargo check` (only allowed when nothing is written).
    pub no_compile: bool,
}

/// The workspace this xtask was built in.
pub fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}

/// What happened to one spec.
#[derive(Debug, Clone)]
pub struct SpecOutcome {
    /// The manifest name.
    pub name: String,
    /// The committed file differs from the new one (or the manifest's
    /// version or sha256 is stale).
    pub changed: bool,
    /// Whether the file and manifest were written.
    pub written: bool,
    /// The diff between the committed and the new spec.
    pub report: Report,
}

/// A new spec that passed every check, ready to be written.
struct Prepared {
    entry: SpecEntry,
    text: String,
    sha256: String,
    version: String,
    changed: bool,
    report: Report,
}

/// Runs the refresh. Progress goes to stderr, reports to `out`. Returns what
/// happened to each spec; an error means nothing was written.
pub fn run(opts: &Options, out: &mut dyn Write) -> Result<Vec<SpecOutcome>, String> {
    let progress = Progress::default();
    let writes = !(opts.check || opts.dry_run);
    if opts.no_compile && writes {
        return Err(
            "--no-compile is only allowed with --check or --dry-run: a spec is replaced only after the crate built from it compiles"
                .into(),
        );
    }
    let manifest_path = opts.root.join("openapi").join("specs.toml");
    let mut manifest = Manifest::load(&manifest_path)?;
    let selected = select(&manifest, opts)?;

    let mut prepared = Vec::new();
    for entry in selected {
        let new_text = match &opts.from_file {
            Some(path) => {
                progress.step(&format!("{}: reading {}", entry.name, path.display()));
                std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: cannot read: {e}", path.display()))?
            }
            None => {
                let url = entry.url.as_deref().ok_or_else(|| {
                    format!(
                        "{}: the manifest gives no url; use --from-file PATH",
                        entry.name
                    )
                })?;
                fetch::download(url, &progress).map_err(|e| {
                    if entry.url_verified {
                        e
                    } else {
                        format!("{e}; note: openapi/specs.toml marks this URL as not verified (url_verified = false)")
                    }
                })?
            }
        };
        let origin = match &opts.from_file {
            Some(p) => p.display().to_string(),
            None => entry.url.clone().unwrap_or_default(),
        };
        prepared.push(prepare(
            &opts.root, entry, &new_text, &origin, &progress, out,
        )?);
    }

    let changed: Vec<&Prepared> = prepared.iter().filter(|p| p.changed).collect();
    if !changed.is_empty() {
        if opts.no_compile {
            progress.step("skipping the cargo check (--no-compile)");
        } else {
            cargo_check(&opts.root, &changed, &progress)?;
        }
    }

    let mut outcomes = Vec::new();
    for p in &prepared {
        if p.changed && p.version != p.entry.version && writes {
            let _ = writeln!(
                out,
                "note: {} changed version; the file keeps its name openapi/{}, which src/codegen.rs (VERSIONS) refers to",
                p.entry.name, p.entry.file
            );
        }
        outcomes.push(SpecOutcome {
            name: p.entry.name.clone(),
            changed: p.changed,
            written: false,
            report: p.report.clone(),
        });
    }

    if writes && !changed.is_empty() {
        for p in &changed {
            let path = opts.root.join("openapi").join(&p.entry.file);
            std::fs::write(&path, &p.text)
                .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
            manifest.update(&p.entry.name, &p.version, &p.sha256)?;
        }
        manifest.save()?;
        for o in &mut outcomes {
            o.written = o.changed;
        }
        let _ = writeln!(
            out,
            "wrote {} spec(s) and openapi/specs.toml; run the tests and review the snapshot diffs",
            changed.len()
        );
    } else if !writes && !changed.is_empty() {
        let _ = writeln!(
            out,
            "nothing written ({})",
            if opts.check { "--check" } else { "--dry-run" }
        );
    }
    Ok(outcomes)
}

/// The entries to refresh.
fn select(manifest: &Manifest, opts: &Options) -> Result<Vec<SpecEntry>, String> {
    if opts.from_file.is_some() && opts.names.len() != 1 {
        return Err(format!(
            "--from-file takes exactly one spec NAME (one of: {})",
            names(manifest)
        ));
    }
    if opts.names.is_empty() {
        return Ok(manifest
            .specs
            .iter()
            .filter(|s| !s.frozen)
            .cloned()
            .collect());
    }
    let mut out = Vec::new();
    for name in &opts.names {
        let entry = manifest.get(name).ok_or_else(|| {
            format!(
                "no spec named `{name}` in openapi/specs.toml (one of: {})",
                names(manifest)
            )
        })?;
        if entry.frozen && opts.from_file.is_none() {
            return Err(format!(
                "`{name}` is frozen: its URL serves another version now; update it with --from-file PATH"
            ));
        }
        out.push(entry.clone());
    }
    Ok(out)
}

fn names(manifest: &Manifest) -> String {
    manifest
        .specs
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The codegen settings of the crate version this spec file feeds.
fn version_for(entry: &SpecEntry) -> &'static codegen::Version {
    codegen::VERSIONS
        .iter()
        .find(|v| v.file == entry.file)
        .unwrap_or_else(|| {
            // A spec the crate does not generate yet: generate it under a
            // module named after the manifest entry.
            let module = entry.name.rsplit('-').next().unwrap_or(&entry.name);
            Box::leak(Box::new(codegen::Version {
                module: Box::leak(module.to_string().into_boxed_str()),
                file: Box::leak(entry.file.clone().into_boxed_str()),
                out_file: "unused.rs",
                dvs: false,
            }))
        })
}

/// Parses and checks the new text of one spec: everything but the compile.
/// Prints the diff report as soon as it is known, so that it is there even
/// when a later step fails.
fn prepare(
    root: &Path,
    entry: SpecEntry,
    new_text: &str,
    origin: &str,
    progress: &Progress,
    out: &mut dyn Write,
) -> Result<Prepared, String> {
    let fail = |what: String| format!("{}: {what}; nothing was replaced", entry.name);
    progress.step(&format!("{}: parsing", entry.name));
    let parsed = doc::parse_text(new_text, origin).map_err(|e| fail(e.to_string()))?;
    doc::check_openapi_3_0(&parsed, origin).map_err(|e| fail(e.to_string()))?;
    let text = doc::stable_text(&parsed);
    let value = doc::to_value(&parsed);
    doc::check_refs(&value, origin).map_err(|e| fail(e.to_string()))?;
    serde_json::from_value::<openapiv3::OpenAPI>(value.clone()).map_err(|e| {
        fail(format!(
            "{origin}: not an OpenAPI 3.0 document progenitor can read: {e}"
        ))
    })?;
    let version = value
        .pointer("/info/version")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| fail(format!("{origin}: no info.version")))?
        .to_string();

    let sha256 = sha256_hex(text.as_bytes());
    let committed_path = root.join("openapi").join(&entry.file);
    let committed = std::fs::read_to_string(&committed_path).ok();
    let changed = committed.as_deref() != Some(text.as_str())
        || entry.sha256 != sha256
        || entry.version != version;
    let report = match &committed {
        Some(old_text) => {
            let old = doc::parse_text(old_text, &committed_path.display().to_string())
                .map(|d| doc::to_value(&d))
                .map_err(|e| fail(format!("the committed spec does not parse: {e}")))?;
            diff::diff(&old, &value)
        }
        None => Report::default(),
    };
    print_report(out, &entry, &version, &sha256, changed, &report);

    progress.step(&format!("{}: normalizing and generating code", entry.name));
    // The same fixups and generator settings as build.rs uses for this file.
    let codegen_version = version_for(&entry);
    let mut normalized = value.clone();
    normalize::normalize_with(&mut normalized, codegen::fixups_for(codegen_version))
        .map_err(|e| fail(format!("the normalization failed: {e}")))?;
    let generated = std::panic::catch_unwind(|| {
        codegen::generate(&normalized, codegen_version).map_err(|e| e.to_string())
    });
    match generated {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Err(fail(format!("the code generation failed: {e}"))),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "no message".into());
            return Err(fail(format!("the code generator panicked: {msg}")));
        }
    }

    Ok(Prepared {
        entry,
        text,
        sha256,
        version,
        changed,
        report,
    })
}

/// `== name: ...` and, when the spec changed, the diff report.
fn print_report(
    out: &mut dyn Write,
    entry: &SpecEntry,
    version: &str,
    sha256: &str,
    changed: bool,
    report: &Report,
) {
    let file = format!("openapi/{}", entry.file);
    if changed {
        let _ = writeln!(
            out,
            "== {}: {file} {} -> {version} (sha256 {sha256})\n",
            entry.name, entry.version
        );
        let _ = write!(out, "{}", report::text(report));
    } else {
        let _ = writeln!(
            out,
            "== {}: no changes ({file}, version {version}, sha256 {sha256})",
            entry.name
        );
    }
    let _ = out.flush();
}

/// Compiles the crate as it would be with the new specs: a copy of the
/// workspace root's crate (its manifest, lock file, `build.rs`, sources and
/// specs; no other workspace member) under the target directory, the new
/// specs written into its `openapi/`, then `cargo check --lib
/// --all-features` there with the workspace's target directory, so the
/// dependencies already built are reused. `build.rs` runs the real
/// normalization and generation, and every module of the crate that uses
/// the generated code is compiled against it.
fn cargo_check(root: &Path, specs: &[&Prepared], progress: &Progress) -> Result<(), String> {
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"));
    if !root.join("Cargo.toml").is_file() {
        return Err(format!(
            "{}: no Cargo.toml, so no crate to compile the new spec with (is --root the workspace root?); nothing was replaced",
            root.display()
        ));
    }
    // Each refresh checks in a directory of its own: two refreshes at once
    // never write into each other's copy.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let copy = target_dir
        .join("xtask")
        .join(format!("refresh-check-{}-{nanos}", std::process::id()));
    progress.step(&format!(
        "cargo check of the crate with the new spec(s), in {} (the first run compiles the dependencies)",
        copy.display()
    ));
    if copy.exists() {
        std::fs::remove_dir_all(&copy)
            .map_err(|e| format!("{}: cannot clear: {e}", copy.display()))?;
    }
    let skip = skipped_entries(root, &target_dir);
    copy_tree(root, &copy, &skip)?;
    for p in specs {
        let path = copy.join("openapi").join(&p.entry.file);
        std::fs::write(&path, &p.text)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    isolate_manifest(&copy.join("Cargo.toml"))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["check", "--lib", "--all-features"])
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the crate does not compile with the new spec (cargo check failed, see above; the checked copy is in {}); nothing was replaced",
            copy.display()
        ));
    }
    // Kept only when it failed, for inspection.
    let _ = std::fs::remove_dir_all(&copy);
    Ok(())
}

/// Top-level entries of the root that the copy leaves out: the target
/// directory, hidden entries (`.git`, `.cargo`, ...) and the other workspace
/// members.
fn skipped_entries(root: &Path, target_dir: &Path) -> Vec<PathBuf> {
    let mut skip = vec![root.join("target"), target_dir.to_path_buf()];
    let members = std::fs::read_to_string(root.join("Cargo.toml"))
        .ok()
        .and_then(|t| t.parse::<toml_edit::DocumentMut>().ok())
        .and_then(|d| {
            d.get("workspace")?.get("members")?.as_array().map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            })
        })
        .unwrap_or_default();
    for m in members {
        if m != "." {
            skip.push(root.join(m));
        }
    }
    skip
}

fn copy_tree(from: &Path, to: &Path, skip: &[PathBuf]) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: cannot create: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("{}: cannot list: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: cannot list: {e}", from.display()))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') || skip.contains(&path) {
            continue;
        }
        let dest = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() {
            copy_tree(&path, &dest, skip)?;
        } else if kind.is_file() {
            std::fs::copy(&path, &dest)
                .map_err(|e| format!("{}: cannot copy: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Makes the copied manifest a workspace of its own (its only member is
/// itself), so cargo does not take it for a member of the enclosing one.
fn isolate_manifest(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| format!("{}: not valid TOML: {e}", path.display()))?;
    if doc.get("workspace").is_none() {
        doc["workspace"] = toml_edit::table();
    }
    let ws = doc["workspace"]
        .as_table_mut()
        .ok_or_else(|| format!("{}: `workspace` is not a table", path.display()))?;
    let mut members = toml_edit::Array::new();
    members.push(".");
    ws["members"] = toml_edit::value(members);
    ws.remove("default-members");
    ws.remove("exclude");
    std::fs::write(path, doc.to_string())
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copied_manifest_becomes_its_own_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cargo.toml");
        std::fs::write(
            &path,
            "[workspace]\nmembers = [\".\", \"xtask\"]\ndefault-members = [\".\"]\n\n[workspace.package]\nedition = \"2021\"\n\n[package]\nname = \"x\"\n",
        )
        .unwrap();
        isolate_manifest(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("members = [\".\"]"), "{text}");
        assert!(
            !text.contains("xtask") && !text.contains("default-members"),
            "{text}"
        );
        assert!(
            text.contains("[workspace.package]\nedition = \"2021\""),
            "{text}"
        );
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
