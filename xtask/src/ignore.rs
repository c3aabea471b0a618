//! `--ignore FILE`: findings accepted on purpose.
//!
//! One entry a line; blank lines and `#` comments are skipped:
//!
//! ```text
//! # a finding, by the fingerprint the report prints
//! 3f9a0c2b7d41e855
//! # one operation's findings of a rule (path parameter names do not matter)
//! POST /transactions endpoint-removed
//! ```

use crate::diff::{Report, RULES};
use std::collections::HashSet;

/// A parsed ignore file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IgnoreList {
    fingerprints: HashSet<String>,
    /// `(METHOD, path template, rule id)`.
    operations: HashSet<(String, String, String)>,
}

impl IgnoreList {
    /// Parses the text of an ignore file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, String> {
        let mut list = IgnoreList::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [fp] if fp.len() == 16 && fp.chars().all(|c| c.is_ascii_hexdigit()) => {
                    list.fingerprints.insert(fp.to_ascii_lowercase());
                }
                [method, path, rule] if path.starts_with('/') => {
                    if !RULES.iter().any(|r| r.id == *rule) {
                        return Err(format!("{origin}:{}: unknown rule id `{rule}`", n + 1));
                    }
                    list.operations.insert((
                        method.to_ascii_uppercase(),
                        crate::diff::template(path),
                        rule.to_string(),
                    ));
                }
                _ => {
                    return Err(format!(
                    "{origin}:{}: expected a fingerprint or `METHOD /path rule-id`, found `{line}`",
                    n + 1
                ))
                }
            }
        }
        Ok(list)
    }

    /// Removes what the list ignores from `report`: whole findings by
    /// fingerprint, operations of a finding by `METHOD path rule-id` (a
    /// finding left with no operation goes). Counts what it removed in
    /// [`Report::ignored`].
    pub fn apply(&self, report: &mut Report) {
        let mut ignored = 0;
        report.findings.retain_mut(|f| {
            if self.fingerprints.contains(&f.fingerprint) {
                ignored += 1;
                return false;
            }
            let before = f.operations.len();
            f.operations.retain(|op| {
                let (method, path) = op.split_once(' ').unwrap_or((op.as_str(), ""));
                !self.operations.contains(&(
                    method.to_string(),
                    crate::diff::template(path),
                    f.rule.to_string(),
                ))
            });
            if f.operations.is_empty() {
                ignored += 1;
                false
            } else {
                ignored += before - f.operations.len();
                true
            }
        });
        report.ignored += ignored;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Finding, Level};

    fn finding(rule: &'static str, ops: &[&str], fp: &str) -> Finding {
        Finding {
            rule,
            level: Level::Breaking,
            operations: ops.iter().map(|s| s.to_string()).collect(),
            old_pointer: String::new(),
            new_pointer: String::new(),
            message: String::new(),
            fingerprint: fp.to_string(),
        }
    }

    #[test]
    fn ignores_by_fingerprint_and_by_operation_and_rule() {
        let list = IgnoreList::parse(
            "# accepted\n00000000000000aa\npost /t/{other_name} request-field-removed  # ok\n\n",
            "ignore.txt",
        )
        .unwrap();
        let mut report = Report {
            findings: vec![
                finding("endpoint-removed", &["POST /x"], "00000000000000aa"),
                finding(
                    "request-field-removed",
                    &["POST /t/{id}", "PUT /t/{id}"],
                    "bb",
                ),
                finding("request-field-removed", &["POST /t/{id}"], "cc"),
                finding("response-field-removed", &["POST /t/{id}"], "dd"),
            ],
            ignored: 0,
        };
        list.apply(&mut report);
        let left: Vec<(&str, Vec<String>)> = report
            .findings
            .iter()
            .map(|f| (f.fingerprint.as_str(), f.operations.clone()))
            .collect();
        assert_eq!(
            left,
            vec![
                ("bb", vec!["PUT /t/{id}".to_string()]),
                ("dd", vec!["POST /t/{id}".to_string()])
            ]
        );
        assert_eq!(report.ignored, 3);
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let err = IgnoreList::parse("\nGET /x no-such-rule\n", "f").unwrap_err();
        assert_eq!(err, "f:2: unknown rule id `no-such-rule`");
        for line in ["what is this", "0123abcd", "GET x endpoint-removed"] {
            let err = IgnoreList::parse(line, "f").unwrap_err();
            assert!(err.starts_with("f:1: expected a fingerprint"), "{err}");
        }
    }
}
