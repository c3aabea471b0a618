//! `cargo xtask`: maintenance commands for the dvs crate.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use xtask::diff::Level;
use xtask::report::Format;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Maintenance commands for the dvs crate",
    disable_version_flag = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Bring the vendored specs up to date: download (or read) each spec,
    /// check that it normalizes, generates and compiles, report what changed,
    /// then replace it and update openapi/specs.toml.
    ///
    /// Exit status: 0 done (or nothing changed); 1 with --check, a spec
    /// differs from its source; 2 an error (nothing was replaced).
    Refresh {
        /// Specs to refresh, by their name in openapi/specs.toml (default:
        /// every spec that is not frozen).
        names: Vec<String>,
        /// Take the new spec from this JSON or YAML file instead of its URL
        /// (exactly one NAME).
        #[arg(long, value_name = "PATH")]
        from_file: Option<PathBuf>,
        /// Write nothing; exit 1 when a committed spec differs from its source
        /// (for a scheduled CI job).
        #[arg(long)]
        check: bool,
        /// Do everything but write.
        #[arg(long)]
        dry_run: bool,
        /// Skip the `cargo check` of the crate built from the new spec (only
        /// with --check or --dry-run: a replacement is always compiled first).
        #[arg(long)]
        no_compile: bool,
        /// The workspace root (default: the one this xtask belongs to).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Compare two OpenAPI 3.0 documents (JSON or YAML) by DVS's
    /// compatibility policy.
    ///
    /// Exit status: 0 nothing at or above --fail-on; 1 findings at or above
    /// it; 2 a document (or the ignore file) could not be read.
    Diff {
        /// The old document.
        old: PathBuf,
        /// The new document.
        new: PathBuf,
        /// Output format: text, json, markdown or github (workflow annotations).
        #[arg(long, default_value = "text", value_parser = parse_format)]
        format: Format,
        /// Exit 1 when a finding is at or above this level: breaking, warning
        /// or info (default: never).
        #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
        fail_on: Option<Level>,
        /// A file of accepted findings: fingerprints, or `METHOD /path rule-id`
        /// lines.
        #[arg(long, value_name = "FILE")]
        ignore: Option<PathBuf>,
    },
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_level(s: &str) -> Result<Level, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Diff {
            old,
            new,
            format,
            fail_on,
            ignore,
        } => xtask::cli::diff(&old, &new, format, fail_on, ignore.as_deref()),
        Command::Refresh {
            names,
            from_file,
            check,
            dry_run,
            no_compile,
            root,
        } => xtask::cli::refresh(xtask::refresh::Options {
            root: root.unwrap_or_else(xtask::refresh::default_root),
            names,
            from_file,
            check,
            dry_run,
            no_compile,
        }),
    }
}
