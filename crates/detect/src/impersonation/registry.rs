//! The registry of protected names: licensed news units, official
//! institutions and brands whose names impostors borrow.
//!
//! Loaded from a file given as `scan --protected FILE` (and later from the
//! registry store). Each non-blank line that does not start with `#` is
//! either a JSON object `{"name", "kind", "licence", "account"}` (only
//! `name` is required; `account` is the id of the verified owner's account)
//! or a bare name. Errors name the file and the line.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One protected name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProtectedName {
    pub name: String,
    /// What the name belongs to: `news_unit`, `institution`, `brand`, ...
    #[serde(default)]
    pub kind: Option<String>,
    /// The internet news information service licence number, if any.
    #[serde(default)]
    pub licence: Option<String>,
    /// The id of the verified owner's account; it is never flagged.
    #[serde(default)]
    pub account: Option<String>,
}

impl ProtectedName {
    /// A protected name with nothing but the name.
    pub fn bare(name: impl Into<String>) -> Self {
        ProtectedName {
            name: name.into(),
            kind: None,
            licence: None,
            account: None,
        }
    }
}

/// A protected-name file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read protected names from {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: not a protected-name record ({message}); expected {{\"name\": ...}} or a bare name")]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// The protected names of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtectedNames {
    pub names: Vec<ProtectedName>,
}

impl ProtectedNames {
    /// Parses the text of a protected-name file; `path` is only used in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, RegistryError> {
        let mut names = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = if line.starts_with('{') {
                serde_json::from_str::<ProtectedName>(line).map_err(|e| RegistryError::Line {
                    path: path.to_owned(),
                    line: i + 1,
                    message: e.to_string(),
                })?
            } else {
                ProtectedName::bare(line)
            };
            if entry.name.trim().is_empty() {
                return Err(RegistryError::Line {
                    path: path.to_owned(),
                    line: i + 1,
                    message: "empty name".into(),
                });
            }
            names.push(entry);
        }
        Ok(ProtectedNames { names })
    }

    /// Reads and parses a protected-name file.
    pub fn load(path: &Path) -> Result<Self, RegistryError> {
        let text = std::fs::read_to_string(path).map_err(|source| RegistryError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Whether `account_id` is the verified owner of a licensed news unit.
    pub fn is_licensed_account(&self, account_id: &str) -> bool {
        self.names
            .iter()
            .any(|n| n.account.as_deref() == Some(account_id) && n.licence.is_some())
    }

    /// Whether `account_id` owns any protected name.
    pub fn is_owner(&self, account_id: &str) -> bool {
        self.names
            .iter()
            .any(|n| n.account.as_deref() == Some(account_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_lines_bare_names_and_comments() {
        let text = "# units\n{\"name\":\"新华社\",\"kind\":\"news_unit\",\"licence\":\"10120170001\",\"account\":\"acc-xh\"}\n\n人民日报\n";
        let p = ProtectedNames::parse(text, Path::new("p.jsonl")).unwrap();
        assert_eq!(p.names.len(), 2);
        assert_eq!(p.names[0].account.as_deref(), Some("acc-xh"));
        assert_eq!(p.names[1], ProtectedName::bare("人民日报"));
        assert!(p.is_licensed_account("acc-xh") && !p.is_licensed_account("x"));
    }

    #[test]
    fn errors_name_the_line() {
        let err =
            ProtectedNames::parse("新华社\n{\"nam\": 1}\n", Path::new("p.jsonl")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("p.jsonl:2:"), "{msg}");
        let err = ProtectedNames::load(Path::new("/nonexistent/protected.txt")).unwrap_err();
        assert!(matches!(err, RegistryError::Io { .. }));
    }
}
