//! `openapi/specs.toml`: which specs are vendored, where they come from, and
//! the version and sha256 of each committed file. Updates keep the file's
//! comments and layout.

use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item};

/// One `[[spec]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecEntry {
    /// Stable name (`dvs-v1_21`), as `cargo xtask refresh NAME` takes it.
    pub name: String,
    /// `info.version` of the committed file.
    pub version: String,
    /// File name under `openapi/`.
    pub file: String,
    /// Where the vendor publishes the spec.
    pub url: Option<String>,
    /// Whether the URL is known to serve the spec (`url_verified`, default
    /// true).
    pub url_verified: bool,
    /// The vendor no longer publishes this version: a download would bring
    /// another one.
    pub frozen: bool,
    /// sha256 of the committed file, lowercase hex.
    pub sha256: String,
}

/// The parsed manifest, ready to be updated and saved.
pub struct Manifest {
    path: PathBuf,
    doc: DocumentMut,
    /// The entries, in file order.
    pub specs: Vec<SpecEntry>,
}

impl Manifest {
    /// Reads and checks the manifest at `path`.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let doc: DocumentMut = text
            .parse()
            .map_err(|e| format!("{}: not valid TOML: {e}", path.display()))?;
        let tables = doc
            .get("spec")
            .and_then(Item::as_array_of_tables)
            .ok_or_else(|| format!("{}: no [[spec]] entries", path.display()))?;
        let mut specs = Vec::new();
        for (i, t) in tables.iter().enumerate() {
            let field = |key: &str| -> Result<String, String> {
                t.get(key)
                    .and_then(Item::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| {
                        format!(
                            "{}: [[spec]] number {} has no string `{key}`",
                            path.display(),
                            i + 1
                        )
                    })
            };
            specs.push(SpecEntry {
                name: field("name")?,
                version: field("version")?,
                file: field("file")?,
                url: t.get("url").and_then(Item::as_str).map(str::to_string),
                url_verified: t
                    .get("url_verified")
                    .and_then(Item::as_bool)
                    .unwrap_or(true),
                frozen: t.get("frozen").and_then(Item::as_bool).unwrap_or(false),
                sha256: field("sha256")?,
            });
        }
        Ok(Manifest {
            path: path.to_path_buf(),
            doc,
            specs,
        })
    }

    /// The entry named `name`.
    pub fn get(&self, name: &str) -> Option<&SpecEntry> {
        self.specs.iter().find(|s| s.name == name)
    }

    /// Sets the version and sha256 of the entry named `name`.
    pub fn update(&mut self, name: &str, version: &str, sha256: &str) -> Result<(), String> {
        let tables = self
            .doc
            .get_mut("spec")
            .and_then(Item::as_array_of_tables_mut)
            .ok_or("the manifest lost its [[spec]] entries")?;
        let table = tables
            .iter_mut()
            .find(|t| t.get("name").and_then(Item::as_str) == Some(name))
            .ok_or_else(|| format!("no spec named `{name}` in the manifest"))?;
        set_keeping_comments(table, "version", version);
        set_keeping_comments(table, "sha256", sha256);
        for spec in &mut self.specs {
            if spec.name == name {
                spec.version = version.to_string();
                spec.sha256 = sha256.to_string();
            }
        }
        Ok(())
    }

    /// The manifest's text as it would be saved.
    pub fn to_text(&self) -> String {
        self.doc.to_string()
    }

    /// Writes the manifest back.
    pub fn save(&self) -> Result<(), String> {
        std::fs::write(&self.path, self.to_text())
            .map_err(|e| format!("{}: cannot write: {e}", self.path.display()))
    }
}

/// Sets `key` to a string, keeping the comments and spacing around the old
/// value.
fn set_keeping_comments(table: &mut toml_edit::Table, key: &str, value: &str) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = value.into();
            *old.decor_mut() = decor;
        }
        None => table[key] = toml_edit::value(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# comment kept\n\n[[spec]]\nname = \"a\"\nversion = \"1.0.0\"\nfile = \"a.json\"\nurl = \"http://127.0.0.1/a\"\nfrozen = false\nsha256 = \"00\" # trailing\n\n[[spec]]\nname = \"b\"\nversion = \"2.0.0\"\nfile = \"b.json\"\nfrozen = true\nsha256 = \"11\"\n";

    #[test]
    fn reads_entries_and_updates_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("specs.toml");
        std::fs::write(&path, TEXT).unwrap();
        let mut m = Manifest::load(&path).unwrap();
        assert_eq!(m.specs.len(), 2);
        assert!(m.get("b").unwrap().frozen);
        assert_eq!(m.get("b").unwrap().url, None);
        m.update("a", "1.1.0", "ff").unwrap();
        m.save().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            TEXT.replace("\"1.0.0\"", "\"1.1.0\"")
                .replace("sha256 = \"00\" # trailing", "sha256 = \"ff\" # trailing")
        );
        assert!(m.update("zzz", "1", "2").is_err());
    }

    #[test]
    fn a_missing_field_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("specs.toml");
        std::fs::write(&path, "[[spec]]\nname = \"a\"\n").unwrap();
        let err = Manifest::load(&path).err().unwrap();
        assert!(
            err.contains("[[spec]] number 1 has no string `version`"),
            "{err}"
        );
    }
}
