//! The quarantine entry for a bad line.

use base64::Engine;
use serde::Serialize;

/// One rejected line, as written to `--rejects` (JSON Lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    /// 1-based physical line number in its input.
    pub line: u64,
    /// What is wrong, naming the field when one is at fault.
    pub error: String,
    /// The exact original bytes of the line (without its `\n`), base64.
    pub raw_base64: String,
    /// The input the line came from, when there are several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Set when the line was over the size limit and only its beginning is kept.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl Reject {
    pub fn new(line: u64, error: impl Into<String>, raw: &[u8]) -> Self {
        Reject {
            line,
            error: error.into(),
            raw_base64: base64::engine::general_purpose::STANDARD.encode(raw),
            source: None,
            truncated: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_in_the_documented_shape() {
        let r = Reject::new(7, "invalid JSON", b"{\xff");
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"line":7,"error":"invalid JSON","raw_base64":"e/8="}"#
        );
    }
}
