//! Rendering a diff [`Report`] as text, JSON, Markdown or GitHub workflow
//! annotations.

use crate::diff::{Finding, Level, Report};
use std::fmt::Write as _;
use std::str::FromStr;

/// An output format of `cargo xtask diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people, in a terminal.
    Text,
    /// For programs: `{"summary": ..., "findings": [...]}`.
    Json,
    /// For a pull request comment or a job summary.
    Markdown,
    /// GitHub Actions workflow commands (`::error ...`), one per finding.
    Github,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "markdown" => Ok(Format::Markdown),
            "github" => Ok(Format::Github),
            other => Err(format!(
                "unknown format `{other}` (expected text, json, markdown or github)"
            )),
        }
    }
}

/// Renders `report` in `format`. `file` names the new document (GitHub
/// annotations point at it).
pub fn render(report: &Report, format: Format, file: &str) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => json(report),
        Format::Markdown => markdown(report),
        Format::Github => github(report, file),
    }
}

fn summary_line(report: &Report) -> String {
    let mut s = format!(
        "{} breaking, {} warning, {} info",
        report.count(Level::Breaking),
        report.count(Level::Warning),
        report.count(Level::Info)
    );
    if report.ignored > 0 {
        let _ = write!(s, " ({} ignored)", report.ignored);
    }
    s
}

fn operations_line(f: &Finding) -> String {
    if f.operations.len() == 1 {
        f.operations[0].clone()
    } else {
        format!("({}) {}", f.operations.len(), f.operations.join(", "))
    }
}

/// One block per finding, most severe first, then a summary line.
pub fn text(report: &Report) -> String {
    let mut s = String::new();
    if report.findings.is_empty() {
        let _ = writeln!(s, "No findings.");
    }
    for f in &report.findings {
        let _ = writeln!(
            s,
            "{:<8} {}  {}",
            f.level.as_str().to_uppercase(),
            f.rule,
            f.message
        );
        let _ = writeln!(s, "         operations:  {}", operations_line(f));
        let _ = writeln!(s, "         old:         {}", show_ptr(&f.old_pointer));
        let _ = writeln!(s, "         new:         {}", show_ptr(&f.new_pointer));
        let _ = writeln!(s, "         fingerprint: {}", f.fingerprint);
        s.push('\n');
    }
    let _ = writeln!(s, "Summary: {}", summary_line(report));
    s
}

fn show_ptr(p: &str) -> String {
    format!("#{p}")
}

#[derive(serde::Serialize)]
struct JsonReport<'a> {
    summary: JsonSummary,
    findings: &'a [Finding],
}

#[derive(serde::Serialize)]
struct JsonSummary {
    breaking: usize,
    warning: usize,
    info: usize,
    ignored: usize,
}

/// `{"summary": {"breaking", "warning", "info", "ignored"}, "findings": [...]}`.
pub fn json(report: &Report) -> String {
    let out = JsonReport {
        summary: JsonSummary {
            breaking: report.count(Level::Breaking),
            warning: report.count(Level::Warning),
            info: report.count(Level::Info),
            ignored: report.ignored,
        },
        findings: &report.findings,
    };
    let mut s = serde_json::to_string_pretty(&out).expect("a report serializes");
    s.push('\n');
    s
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A table per level.
pub fn markdown(report: &Report) -> String {
    let mut s = format!("**API diff:** {}\n", summary_line(report));
    for level in Level::ALL {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.level == level)
            .collect();
        if findings.is_empty() {
            continue;
        }
        let title = match level {
            Level::Breaking => "Breaking",
            Level::Warning => "Warning",
            Level::Info => "Info",
        };
        let _ = write!(
            s,
            "\n### {title} ({})\n\n| rule | change | operations | fingerprint |\n| --- | --- | --- | --- |\n",
            findings.len()
        );
        for f in findings {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | `{}` |",
                f.rule,
                md_cell(&f.message),
                md_cell(&f.operations.join(", ")),
                f.fingerprint
            );
        }
    }
    s
}

/// Escapes the data of a workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a workflow command.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `::error` for breaking, `::warning` for warning, `::notice` for info,
/// each pointing at `file`, then the summary as a plain line.
pub fn github(report: &Report, file: &str) -> String {
    let mut s = String::new();
    for f in &report.findings {
        let command = match f.level {
            Level::Breaking => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let _ = writeln!(
            s,
            "::{command} file={},title={}::{}",
            gh_property(file),
            gh_property(&format!("{} ({})", f.rule, f.level)),
            gh_data(&format!(
                "{} [{}; {}; fingerprint {}]",
                f.message,
                f.operations.join(", "),
                show_ptr(&f.new_pointer),
                f.fingerprint
            ))
        );
    }
    let _ = writeln!(s, "API diff: {}", summary_line(report));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        Report {
            findings: vec![Finding {
                rule: "endpoint-removed",
                level: Level::Breaking,
                operations: vec!["POST /a".into(), "GET /b".into()],
                old_pointer: "/paths/~1a/post".into(),
                new_pointer: "/paths".into(),
                message: "`POST /a` removed, 100% | gone".into(),
                fingerprint: "0123456789abcdef".into(),
            }],
            ignored: 2,
        }
    }

    #[test]
    fn github_annotations_escape_their_fields() {
        let out = github(&sample(), "openapi/x,y.json");
        assert!(out.starts_with(
            "::error file=openapi/x%2Cy.json,title=endpoint-removed (breaking)::`POST /a` removed, 100%25 | gone [POST /a, GET /b; "
        ), "{out}");
        assert!(out.ends_with("API diff: 1 breaking, 0 warning, 0 info (2 ignored)\n"));
    }

    #[test]
    fn markdown_escapes_pipes_and_groups_by_level() {
        let out = markdown(&sample());
        assert!(out.contains("### Breaking (1)"));
        assert!(out.contains("100% \\| gone"));
        assert!(!out.contains("### Info"));
    }

    #[test]
    fn formats_parse() {
        assert_eq!("github".parse::<Format>(), Ok(Format::Github));
        assert!("yaml".parse::<Format>().is_err());
    }
}
