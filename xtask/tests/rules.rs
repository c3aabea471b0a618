//! Every diff rule has a minimal pair of specs that triggers it and a close
//! pair that must not (`tests/fixtures/rules/<rule-id>/{trigger,near}/`), and
//! may have more of either kind (`trigger-<what>/`, `near-<what>/`). Each
//! pair's `expect` file lists every rule id its diff must report, no more, no
//! fewer.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use xtask::diff::{diff, Report, RULES};
use xtask::doc::load_openapi;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn run(dir: &Path) -> (Value, Value, Report) {
    let old = load_openapi(&dir.join("old.yaml")).unwrap();
    let new = load_openapi(&dir.join("new.yaml")).unwrap();
    let report = diff(&old, &new);
    (old, new, report)
}

/// Every pair of a rule: its kind (`trigger` or `near`) and its directory.
fn pairs(rule: &str) -> Vec<(&'static str, PathBuf)> {
    let mut out: Vec<(&'static str, PathBuf)> = std::fs::read_dir(fixtures().join(rule))
        .unwrap_or_else(|e| panic!("fixtures of {rule}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_string();
            let kind = ["trigger", "near"].into_iter().find(|k| {
                name == *k
                    || name
                        .strip_prefix(k)
                        .is_some_and(|rest| rest.starts_with('-'))
            })?;
            Some((kind, path))
        })
        .collect();
    out.sort();
    out
}

fn expected(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join("expect"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_rule_has_a_triggering_and_a_near_pair_and_no_pair_is_orphaned() {
    for rule in RULES {
        for kind in ["trigger", "near"] {
            let dir = fixtures().join(rule.id).join(kind);
            for file in ["old.yaml", "new.yaml", "expect"] {
                assert!(
                    dir.join(file).is_file(),
                    "missing {}",
                    dir.join(file).display()
                );
            }
        }
    }
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            RULES.iter().any(|r| r.id == name),
            "fixtures for unknown rule {name}"
        );
        for entry in std::fs::read_dir(fixtures().join(&name)).unwrap() {
            let pair = entry.unwrap().path();
            assert!(
                pairs(&name).iter().any(|(_, p)| *p == pair),
                "{}: a pair's directory is named trigger, near, trigger-<what> or near-<what>",
                pair.display()
            );
            for file in ["old.yaml", "new.yaml", "expect"] {
                assert!(
                    pair.join(file).is_file(),
                    "missing {}",
                    pair.join(file).display()
                );
            }
        }
    }
}

#[test]
fn each_pair_reports_exactly_its_expected_rules() {
    let mut failures = Vec::new();
    for rule in RULES {
        for (kind, dir) in pairs(rule.id) {
            let want = expected(&dir);
            // The expectations themselves must say the right thing.
            assert_eq!(
                want.contains(rule.id),
                kind == "trigger",
                "{}: `expect` must {}list {}",
                dir.display(),
                if kind == "trigger" { "" } else { "not " },
                rule.id
            );
            let (_, _, report) = run(&dir);
            let got: BTreeSet<String> =
                report.findings.iter().map(|f| f.rule.to_string()).collect();
            if got != want {
                failures.push(format!(
                    "{}: expected {want:?}, got {got:?}\n{}",
                    dir.display(),
                    xtask::report::text(&report)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn findings_point_into_both_documents_and_carry_their_rule_level() {
    for (_, dir) in RULES
        .iter()
        .flat_map(|r| pairs(r.id))
        .filter(|(kind, _)| *kind == "trigger")
    {
        let (old, new, report) = run(&dir);
        for f in &report.findings {
            assert!(
                old.pointer(&f.old_pointer).is_some(),
                "{}: old pointer {} of {} does not resolve",
                dir.display(),
                f.old_pointer,
                f.rule
            );
            assert!(
                new.pointer(&f.new_pointer).is_some(),
                "{}: new pointer {} of {} does not resolve",
                dir.display(),
                f.new_pointer,
                f.rule
            );
            assert_eq!(f.level, xtask::diff::rule_by_id(f.rule).level);
            assert!(!f.operations.is_empty() && !f.message.is_empty());
            assert_eq!(f.fingerprint.len(), 16);
        }
    }
}

#[test]
fn a_document_compared_with_itself_has_no_findings() {
    for (_, dir) in RULES.iter().flat_map(|r| pairs(r.id)) {
        for file in ["old.yaml", "new.yaml"] {
            let path = dir.join(file);
            let doc = load_openapi(&path).unwrap();
            let report = diff(&doc, &doc);
            assert!(
                report.findings.is_empty(),
                "{}: differs from itself:\n{}",
                path.display(),
                xtask::report::text(&report)
            );
        }
    }
}
