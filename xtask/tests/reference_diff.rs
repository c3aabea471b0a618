//! The diff of the vendor's own published evolution of the DVS document,
//! 1.14.0 -> 1.23.0, read from `../shared/reference` beside the workspace
//! root. Those documents are not part of the repository: where they are
//! absent, every test here prints a note and passes.

use std::path::{Path, PathBuf};
use xtask::diff::{diff, Finding, Level, Report};
use xtask::doc::load_openapi;

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("../shared/reference")
}

/// The report, or `None` (after a note) when the documents are not there.
fn reference_report() -> Option<Report> {
    let dir = reference_dir();
    let (old, new) = (
        dir.join("dvs-openapi-1.14.0.json"),
        dir.join("dvs-openapi-1.23.0.json"),
    );
    if !old.is_file() || !new.is_file() {
        eprintln!(
            "skipped: the reference documents are not in {}",
            dir.display()
        );
        return None;
    }
    let old = load_openapi(&old).unwrap();
    let new = load_openapi(&new).unwrap();
    Some(diff(&old, &new))
}

fn matching<'a>(report: &'a Report, rule: &str, needle: &str) -> Vec<&'a Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.rule == rule && f.message.contains(needle))
        .collect()
}

#[test]
fn the_widened_account_number_is_a_breaking_response_finding() {
    let Some(report) = reference_report() else {
        return;
    };
    let found = matching(&report, "response-max-raised", "account_number");
    assert_eq!(
        found.len(),
        1,
        "one finding for the shared component expected in:\n{}",
        xtask::report::text(&report)
    );
    let f = found[0];
    assert_eq!(f.level, Level::Breaking);
    assert!(f.message.contains("maxLength"), "{}", f.message);
    assert!(f.message.contains("from 64 to 90"), "{}", f.message);
    assert!(f.old_pointer.ends_with("/maxLength"), "{}", f.old_pointer);
    assert!(f.new_pointer.ends_with("/maxLength"), "{}", f.new_pointer);
    assert!(
        f.operations.iter().any(|o| o == "GET /transactions"),
        "{:?}",
        f.operations
    );
}

#[test]
fn renamed_benefit_variants_are_not_added_variants() {
    let Some(report) = reference_report() else {
        return;
    };
    let added: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| {
            f.rule == "response-oneof-variant-added" || f.rule == "request-oneof-variant-removed"
        })
        .filter(|f| f.message.to_lowercase().contains("benefit"))
        .collect();
    assert!(added.is_empty(), "{added:#?}");
}

#[test]
fn a_double_format_on_numbers_is_not_breaking() {
    let Some(report) = reference_report() else {
        return;
    };
    let double: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.level == Level::Breaking && f.message.contains("`double`"))
        .collect();
    assert!(double.is_empty(), "{double:#?}");
}
