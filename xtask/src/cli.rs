//! The commands as the binary runs them: printing, and exit statuses.

use crate::diff::{self, Level};
use crate::doc;
use crate::ignore::IgnoreList;
use crate::refresh;
use crate::report::{self, Format};
use std::path::Path;
use std::process::ExitCode;

/// Exit status: a document, a file or the manifest could not be read, or a
/// refresh failed.
pub const EXIT_ERROR: u8 = 2;
/// Exit status: findings at or above `--fail-on`, or `refresh --check` found
/// a spec that differs from its source.
pub const EXIT_FOUND: u8 = 1;

/// `cargo xtask diff`.
pub fn diff(
    old: &Path,
    new: &Path,
    format: Format,
    fail_on: Option<Level>,
    ignore: Option<&Path>,
) -> ExitCode {
    let ignore = match ignore {
        None => None,
        Some(path) => {
            let parsed = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))
                .and_then(|text| IgnoreList::parse(&text, &path.display().to_string()));
            match parsed {
                Ok(list) => Some(list),
                Err(e) => return error(&e),
            }
        }
    };
    let (old_doc, new_doc) = match (doc::load_openapi(old), doc::load_openapi(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => return error(&e.to_string()),
    };
    let mut found = diff::diff(&old_doc, &new_doc);
    if let Some(list) = ignore {
        list.apply(&mut found);
    }
    print!(
        "{}",
        report::render(&found, format, &new.display().to_string())
    );
    match fail_on {
        Some(level) if found.has_at_least(level) => ExitCode::from(EXIT_FOUND),
        _ => ExitCode::SUCCESS,
    }
}

/// `cargo xtask refresh`.
pub fn refresh(opts: refresh::Options) -> ExitCode {
    let mut stdout = std::io::stdout();
    match refresh::run(&opts, &mut stdout) {
        Ok(outcomes) => {
            if opts.check && outcomes.iter().any(|o| o.changed) {
                eprintln!("error: the committed specs differ from their source (--check)");
                ExitCode::from(EXIT_FOUND)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => error(&e),
    }
}

fn error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_ERROR)
}
