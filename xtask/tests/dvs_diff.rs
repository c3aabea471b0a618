//! The diff of the two vendored DVS specs (1.0.0 -> 1.21.0), and the
//! `cargo xtask diff` command line: formats, exit statuses, ignore files.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use xtask::diff::{diff, Finding, Level, Report};
use xtask::doc::load_openapi;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn spec(file: &str) -> PathBuf {
    root().join("openapi").join(file)
}

fn dvs_report() -> (Value, Value, Report) {
    let old = load_openapi(&spec("dvs-1.0.0.json")).unwrap();
    let new = load_openapi(&spec("dvs-1.21.0.json")).unwrap();
    let report = diff(&old, &new);
    (old, new, report)
}

fn find<'a>(report: &'a Report, rule: &str, message_part: &str) -> &'a Finding {
    report
        .findings
        .iter()
        .find(|f| f.rule == rule && f.message.contains(message_part))
        .unwrap_or_else(|| {
            panic!(
                "no {rule} finding mentioning {message_part:?} in:\n{}",
                xtask::report::text(report)
            )
        })
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

#[test]
fn text_report_snapshot() {
    let (_, _, report) = dvs_report();
    insta::assert_snapshot!("dvs_1_0_to_1_21_text", xtask::report::text(&report));
}

#[test]
fn json_report_snapshot() {
    let (_, _, report) = dvs_report();
    let text = xtask::report::json(&report);
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json["findings"].as_array().unwrap().len(),
        report.findings.len()
    );
    insta::assert_snapshot!("dvs_1_0_to_1_21_json", text);
}

#[test]
fn the_removed_single_mode_transaction_calls_are_breaking() {
    let (_, _, report) = dvs_report();
    for op in [
        "POST /transactions",
        "POST /transactions/{transaction_id}/confirm",
    ] {
        let f = find(&report, "endpoint-removed", &format!("`{op}` removed"));
        assert_eq!(f.level, Level::Breaking);
        assert_eq!(f.operations, vec![op.to_string()]);
    }
}

#[test]
fn the_new_endpoints_are_reported_as_added() {
    let (_, _, report) = dvs_report();
    for op in [
        "POST /async/transactions",
        "POST /sync/transactions",
        "POST /async/transactions/{transaction_id}/confirm",
        "POST /sync/transactions/{transaction_id}/confirm",
        "GET /campaigns",
        "GET /campaigns/{campaign_id}",
        "POST /lookup/mobile-number",
        "GET /lookup/mobile-number/{mobile_number}",
        "POST /lookup/statement-inquiry",
        "POST /lookup/credit-party-benefits",
        "POST /lookup/credit-party-status",
    ] {
        let f = find(&report, "endpoint-added", &format!("`{op}` added"));
        assert_eq!(f.level, Level::Info);
    }
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.rule == "endpoint-added")
            .count(),
        11
    );
}

#[test]
fn new_product_and_benefit_types_are_response_enum_additions_grouped_over_operations() {
    let (_, _, report) = dvs_report();
    let product = find(
        &report,
        "response-enum-value-added",
        "`RANGED_VALUE_PAYMENT` added to `ProductTypes`",
    );
    assert_eq!(product.level, Level::Warning);
    assert_eq!(product.new_pointer, "/components/schemas/ProductTypes/enum");
    // One finding for the shared component, listing every operation that
    // returns it.
    assert_eq!(
        product.operations,
        ["GET /promotions", "GET /promotions/{promotion_id}"]
    );
    let benefit = find(
        &report,
        "response-enum-value-added",
        "`PAYMENT` added to `BenefitTypes`",
    );
    assert_eq!(benefit.level, Level::Warning);
    assert_eq!(benefit.operations.len(), 6, "{:?}", benefit.operations);
    let variant = find(
        &report,
        "response-oneof-variant-added",
        "`RANGED_VALUE_PAYMENT` (`ProductRangedValuePayment`) added to `Product`",
    );
    assert_eq!(variant.level, Level::Warning);
}

#[test]
fn every_pointer_resolves_and_fingerprints_are_unique_and_stable() {
    let (old, new, report) = dvs_report();
    let mut seen = std::collections::HashSet::new();
    for f in &report.findings {
        assert!(old.pointer(&f.old_pointer).is_some(), "{f:?}");
        assert!(new.pointer(&f.new_pointer).is_some(), "{f:?}");
        assert!(seen.insert(f.fingerprint.clone()), "duplicate {f:?}");
    }
    let (_, _, again) = dvs_report();
    assert_eq!(report, again);

    // An unrelated change elsewhere leaves every other fingerprint alone.
    let mut changed = new.clone();
    changed["paths"]["/extra"] =
        serde_json::json!({"get": {"responses": {"200": {"description": "ok"}}}});
    let with_extra = diff(&old, &changed);
    let before: std::collections::BTreeSet<_> =
        report.findings.iter().map(|f| &f.fingerprint).collect();
    let after: std::collections::BTreeSet<_> =
        with_extra.findings.iter().map(|f| &f.fingerprint).collect();
    assert_eq!(after.difference(&before).count(), 1);
    assert!(before.is_subset(&after));
}

#[test]
fn yaml_and_json_forms_of_a_document_diff_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let json = load_openapi(&spec("dvs-1.21.0.json")).unwrap();
    let yaml_path = dir.path().join("dvs.yaml");
    std::fs::write(&yaml_path, serde_norway::to_string(&json).unwrap()).unwrap();
    let yaml = load_openapi(&yaml_path).unwrap();
    assert_eq!(json, yaml);
    let old = load_openapi(&spec("dvs-1.0.0.json")).unwrap();
    assert_eq!(diff(&old, &json), diff(&old, &yaml));
}

#[test]
fn fail_on_sets_the_exit_status() {
    let (old, new) = ("openapi/dvs-1.0.0.json", "openapi/dvs-1.21.0.json");
    let out = xtask(&["diff", old, new, "--fail-on", "breaking"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("BREAKING endpoint-removed  `POST /transactions` removed"));
    assert!(stdout.contains("\nSummary: "));
    assert_eq!(xtask(&["diff", old, new]).status.code(), Some(0));
    assert_eq!(
        xtask(&["diff", new, new, "--fail-on", "info"])
            .status
            .code(),
        Some(0)
    );
    let out = xtask(&["diff", new, new, "--fail-on", "info"]);
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("No findings.\nSummary: 0 breaking, 0 warning, 0 info\n"));
}

#[test]
fn ignoring_every_breaking_finding_passes_fail_on_breaking() {
    let (_, _, report) = dvs_report();
    let dir = tempfile::tempdir().unwrap();
    let ignore = dir.path().join("accepted.txt");
    let mut lines = String::from("# accepted on purpose\n");
    for f in report
        .findings
        .iter()
        .filter(|f| f.level == Level::Breaking)
    {
        if f.rule == "endpoint-removed" {
            // By operation and rule, with other path-parameter names.
            let op = f.operations[0].replace("{transaction_id}", "{id}");
            lines.push_str(&format!("{op} endpoint-removed\n"));
        } else {
            lines.push_str(&format!("{}\n", f.fingerprint));
        }
    }
    std::fs::write(&ignore, lines).unwrap();
    let ignore = ignore.to_str().unwrap();
    let (old, new) = ("openapi/dvs-1.0.0.json", "openapi/dvs-1.21.0.json");
    let out = xtask(&[
        "diff",
        old,
        new,
        "--fail-on",
        "breaking",
        "--ignore",
        ignore,
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let breaking = report.count(Level::Breaking);
    assert!(stdout.contains(&format!(
        "Summary: 0 breaking, {} warning",
        report.count(Level::Warning)
    )));
    assert!(
        stdout.contains(&format!("({breaking} ignored)")),
        "{stdout}"
    );
    // Warnings are still there.
    assert_eq!(
        xtask(&["diff", old, new, "--fail-on", "warning", "--ignore", ignore])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn formats() {
    let (old, new) = ("openapi/dvs-1.0.0.json", "openapi/dvs-1.21.0.json");
    let out = xtask(&["diff", old, new, "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (_, _, report) = dvs_report();
    assert_eq!(json["summary"]["breaking"], report.count(Level::Breaking));
    assert_eq!(
        json["findings"].as_array().unwrap().len(),
        report.findings.len()
    );

    let out = xtask(&["diff", old, new, "--format", "github"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("::error file=openapi/dvs-1.21.0.json,title=endpoint-removed (breaking)::`POST /transactions` removed"),
        "{first}"
    );
    assert!(stdout.contains("\n::warning file="));
    assert!(stdout.contains("\n::notice file="));

    let out = xtask(&["diff", old, new, "--format", "markdown"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("### Breaking ("));
    assert!(stdout.contains("| `endpoint-removed` | `POST /transactions` removed"));
}

#[test]
fn unreadable_documents_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("missing.json", None, "cannot read"),
        ("broken.json", Some("{\"openapi\": "), "not valid JSON"),
        ("broken.yaml", Some("openapi: [3.0.3\n"), "neither JSON nor valid YAML"),
        ("v31.yaml", Some("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n"), "OpenAPI 3.1.0 is not supported"),
        ("dangling.yaml", Some("openapi: 3.0.3\npaths:\n  /x:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n"), "does not resolve"),
    ];
    for (name, content, needle) in cases {
        let path = dir.path().join(name);
        if let Some(c) = content {
            std::fs::write(&path, c).unwrap();
        }
        let out = xtask(&["diff", path.to_str().unwrap(), "openapi/dvs-1.21.0.json"]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(name) && stderr.contains(needle),
            "{name}: {stderr}"
        );
    }
    let bad_ignore = dir.path().join("ignore.txt");
    std::fs::write(&bad_ignore, "GET /x not-a-rule\n").unwrap();
    let out = xtask(&[
        "diff",
        "openapi/dvs-1.0.0.json",
        "openapi/dvs-1.21.0.json",
        "--ignore",
        bad_ignore.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("unknown rule id `not-a-rule`"));
}
