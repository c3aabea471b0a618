//! The OpenAPI 3.0 diff engine: compares two documents operation by operation
//! and classifies every change by DVS's published compatibility policy and, where
//! that policy is silent, by general schema rules.
//!
//! Direction matters: what the integrator sends (request bodies, parameters,
//! headers) breaks when it narrows; what the integrator reads (responses, and
//! callback bodies, which DVS sends to the integrator) breaks when it widens or
//! loses something.
//!
//! Each [`Finding`] carries a stable rule id, a [`Level`], the operations it
//! affects, a JSON pointer into each document, a one-line message and a
//! fingerprint that stays the same across runs. A change in a shared component
//! is reported once, with the list of the operations that reach it.

mod operations;
mod schema;

pub use operations::template;

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Breaks existing integrations (DVS promises these only with a new major version).
    Breaking,
    /// May break strict clients; worth a look.
    Warning,
    /// A compatible change.
    Info,
}

impl Level {
    /// Every level, most severe first.
    pub const ALL: [Level; 3] = [Level::Breaking, Level::Warning, Level::Info];

    /// The level's name as the command line and the reports spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }

    /// Whether this level is at least as severe as `threshold`.
    pub fn at_least(self, threshold: Level) -> bool {
        self <= threshold
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "breaking" => Ok(Level::Breaking),
            "warning" => Ok(Level::Warning),
            "info" => Ok(Level::Info),
            other => Err(format!(
                "unknown level `{other}` (expected breaking, warning or info)"
            )),
        }
    }
}

/// Where a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// DVS's published compatibility policy.
    DvsPolicy,
    /// A general schema rule, for changes the policy does not mention.
    Schema,
}

/// A diff rule: a stable id, its level and what it detects.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// Stable id, used in reports and in `--ignore` files.
    pub id: &'static str,
    /// The level of every finding of this rule.
    pub level: Level,
    /// Whether DVS's policy states this rule or it is a general schema rule.
    pub source: Source,
    /// What the rule detects.
    pub summary: &'static str,
}

const fn rule(id: &'static str, level: Level, source: Source, summary: &'static str) -> Rule {
    Rule {
        id,
        level,
        source,
        summary,
    }
}

use Level::{Breaking, Info, Warning};
use Source::{DvsPolicy, Schema};

/// Every rule the engine knows, in report order.
pub const RULES: &[Rule] = &[
    rule("endpoint-removed", Breaking, DvsPolicy, "an operation (method and path) was removed without being deprecated first"),
    rule("endpoint-renamed", Breaking, DvsPolicy, "an operation moved to another method or path (same operationId)"),
    rule("request-parameter-removed", Breaking, DvsPolicy, "a request parameter or header was removed (or renamed)"),
    rule("request-parameter-added-required", Breaking, DvsPolicy, "a required request parameter or header was added"),
    rule("request-parameter-became-required", Breaking, DvsPolicy, "an optional request parameter or header became required"),
    rule("request-body-removed", Breaking, DvsPolicy, "the request body was removed"),
    rule("request-body-became-required", Breaking, DvsPolicy, "the request body became required, or a required one was added"),
    rule("request-field-removed", Breaking, DvsPolicy, "a request body field was removed (or renamed)"),
    rule("request-field-added-required", Breaking, DvsPolicy, "a required request body field was added"),
    rule("request-field-became-required", Breaking, DvsPolicy, "an optional request body field became required"),
    rule("response-field-removed", Breaking, DvsPolicy, "a response field was removed (or renamed)"),
    rule("response-header-removed", Breaking, DvsPolicy, "a response header was removed (or renamed)"),
    rule("callback-field-removed", Breaking, DvsPolicy, "a field of a callback body was removed (or renamed)"),
    rule("callback-removed", Breaking, Schema, "a callback (its URL expression and method) was removed"),
    rule("type-changed", Breaking, Schema, "the type of a schema changed (integer to number only in a response, number to integer only in a request)"),
    rule("format-changed", Breaking, Schema, "the format of a schema changed (added on the request side, removed on the response side)"),
    rule("request-enum-value-removed", Breaking, Schema, "a request enum lost a value"),
    rule("request-pattern-added", Breaking, Schema, "a request value gained a pattern"),
    rule("request-min-raised", Breaking, Schema, "a request minimum, minLength, minItems or minProperties was raised or added"),
    rule("request-max-lowered", Breaking, Schema, "a request maximum, maxLength, maxItems or maxProperties was lowered or added"),
    rule("request-enum-added", Breaking, Schema, "a request value without an enum became restricted to one"),
    rule("response-min-lowered", Breaking, Schema, "a response minimum, minLength, minItems or minProperties was lowered or removed"),
    rule("response-max-raised", Breaking, Schema, "a response maximum, maxLength, maxItems or maxProperties was raised or removed"),
    rule("request-field-became-non-nullable", Breaking, Schema, "a request value no longer accepts null"),
    rule("success-status-removed", Breaking, Schema, "a success (2xx) response status was removed"),
    rule("media-type-removed", Breaking, Schema, "a request or response media type was removed"),
    rule("discriminator-changed", Breaking, Schema, "a discriminator's property or mapping changed, or a discriminator was added or removed"),
    rule("request-oneof-variant-removed", Breaking, Schema, "a request oneOf/anyOf lost a variant"),
    rule("security-changed", Breaking, Schema, "an operation's security requirements or a security scheme it uses changed"),
    rule("response-enum-value-added", Warning, Schema, "a response enum gained a value (strict clients break)"),
    rule("response-oneof-variant-added", Warning, Schema, "a response oneOf/anyOf gained a variant (strict clients break)"),
    rule("response-field-became-optional", Warning, Schema, "a required response field became optional"),
    rule("response-field-became-nullable", Warning, Schema, "a response value may now be null"),
    rule("request-pattern-changed", Warning, Schema, "a request pattern changed (it may be tighter)"),
    rule("response-enum-removed", Warning, Schema, "a response value lost its enum: any value may come"),
    rule("response-pattern-removed", Warning, Schema, "a response value lost its pattern"),
    rule("response-pattern-changed", Warning, Schema, "a response pattern changed (it may be looser)"),
    rule("default-changed", Warning, Schema, "a default value changed or was removed"),
    rule("endpoint-added", Info, DvsPolicy, "an operation was added"),
    rule("request-parameter-added", Info, DvsPolicy, "an optional request parameter or header was added"),
    rule("request-field-added", Info, DvsPolicy, "an optional request body field was added"),
    rule("response-field-added", Info, DvsPolicy, "a response field was added"),
    rule("response-header-added", Info, DvsPolicy, "a response header was added"),
    rule("callback-field-added", Info, DvsPolicy, "a field was added to a callback body"),
    rule("callback-added", Info, Schema, "a callback was added"),
    rule("deprecated-endpoint-removed", Info, Schema, "an operation that was already deprecated was removed"),
    rule("endpoint-deprecated", Info, Schema, "an operation was marked deprecated"),
    rule("response-enum-value-removed", Info, Schema, "a response enum lost a value"),
];

/// The rule with this id.
///
/// # Panics
/// On an unknown id (a bug in the engine).
pub fn rule_by_id(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("unknown rule id {id}"))
}

/// One change between the two documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's stable id.
    pub rule: &'static str,
    /// The rule's level.
    pub level: Level,
    /// The affected operations (`METHOD /path`, as the new document writes
    /// the path when the operation exists there).
    pub operations: Vec<String>,
    /// JSON pointer of the change in the old document (the nearest existing
    /// place when the thing is new).
    pub old_pointer: String,
    /// JSON pointer of the change in the new document (the nearest existing
    /// place when the thing is gone).
    pub new_pointer: String,
    /// One line saying what changed.
    pub message: String,
    /// Stable across runs: derived from the rule, the pointers and the
    /// changed value, never from the wording of the message.
    pub fingerprint: String,
}

/// The result of a diff.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The findings, most severe first.
    pub findings: Vec<Finding>,
    /// How many findings (or operations of findings) an ignore list removed.
    pub ignored: usize,
}

impl Report {
    /// How many findings have this level.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Whether any finding is at least as severe as `threshold`.
    pub fn has_at_least(&self, threshold: Level) -> bool {
        self.findings.iter().any(|f| f.level.at_least(threshold))
    }
}

/// A finding before it is attached to its operations.
#[derive(Clone, Debug)]
pub(crate) struct Raw {
    pub rule: &'static str,
    pub old: String,
    pub new: String,
    pub subject: String,
    pub message: String,
}

impl Raw {
    fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for part in [self.rule, &self.old, &self.new, &self.subject] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        h.finalize()
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Compares two OpenAPI 3.0 documents. Both must be objects whose local
/// `$ref`s resolve (see [`crate::doc::load_openapi`]); anything the engine
/// does not understand is skipped, never a panic.
pub fn diff(old: &Value, new: &Value) -> Report {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    operations::walk(old, new, &mut |op: &operations::OpRef, raws: Vec<Raw>| {
        for raw in raws {
            let g = groups.entry(raw.fingerprint()).or_insert_with(|| Group {
                raw,
                ops: Vec::new(),
            });
            if !g.ops.contains(op) {
                g.ops.push(op.clone());
            }
        }
    });
    let mut findings: Vec<(usize, operations::OpRef, Finding)> = groups
        .into_iter()
        .map(|(fingerprint, mut g)| {
            g.ops.sort();
            let rule = rule_by_id(g.raw.rule);
            let order = RULES.iter().position(|r| r.id == rule.id).unwrap_or(0);
            let first = g.ops[0].clone();
            let finding = Finding {
                rule: rule.id,
                level: rule.level,
                operations: g.ops.iter().map(|o| o.display.clone()).collect(),
                old_pointer: g.raw.old,
                new_pointer: g.raw.new,
                message: g.raw.message,
                fingerprint,
            };
            (order, first, finding)
        })
        .collect();
    findings.sort_by(|a, b| {
        (a.2.level, a.0, &a.1, &a.2.message, &a.2.fingerprint).cmp(&(
            b.2.level,
            b.0,
            &b.1,
            &b.2.message,
            &b.2.fingerprint,
        ))
    });
    Report {
        findings: findings.into_iter().map(|(_, _, f)| f).collect(),
        ignored: 0,
    }
}

struct Group {
    raw: Raw,
    ops: Vec<operations::OpRef>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn rule_ids_are_unique_kebab_case_and_ordered_by_level() {
        let mut seen = HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
        }
        assert!(RULES.windows(2).all(|w| w[0].level <= w[1].level));
    }

    #[test]
    fn levels_compare_by_severity() {
        assert!(Level::Breaking.at_least(Level::Warning));
        assert!(Level::Warning.at_least(Level::Warning));
        assert!(!Level::Info.at_least(Level::Warning));
        assert_eq!("warning".parse::<Level>(), Ok(Level::Warning));
        assert!("fatal".parse::<Level>().is_err());
    }
}
