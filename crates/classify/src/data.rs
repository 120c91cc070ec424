//! Readers for labelled training data: CSV (or TSV) with a header row, and
//! JSON Lines. A UTF-8 BOM is tolerated. Rows that cannot be used are not
//! fatal: each becomes a [`Reject`] with its 1-based line, the reason and the
//! raw bytes (base64), as `scan` reports bad records. Missing columns are
//! fatal, since then no row could be used.

use crate::error::{Error, Result};
use base64::Engine as _;
use serde::Serialize;

/// Which columns to read and how.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The column (CSV header name or JSON key) holding the text.
    pub text_column: String,
    /// The column holding the label (or labels).
    pub label_column: String,
    /// For CSV: splits one label cell into several labels (multi-label data).
    pub label_separator: Option<char>,
    /// For CSV: the field delimiter; `None` picks tab when the header has a tab, else comma.
    pub delimiter: Option<u8>,
}

/// One usable row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The 1-based line where the row starts.
    pub line: usize,
    /// The text, as in the file.
    pub text: String,
    /// One label for multi-class data; possibly several for multi-label data.
    pub labels: Vec<String>,
}

/// A row that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reject {
    /// The 1-based line where the row starts.
    pub line: usize,
    /// Why it was rejected.
    pub error: String,
    /// The row's raw bytes, base64-encoded.
    pub raw_base64: String,
}

/// The rows and rejects of one file.
#[derive(Debug, Clone, Default)]
pub struct Labelled {
    /// Usable rows in file order.
    pub rows: Vec<Row>,
    /// Rejected rows in file order.
    pub rejects: Vec<Reject>,
}

impl Labelled {
    fn reject(&mut self, line: usize, error: impl Into<String>, raw: &[u8]) {
        let raw_base64 = base64::engine::general_purpose::STANDARD.encode(raw);
        self.rejects.push(Reject {
            line,
            error: error.into(),
            raw_base64,
        });
    }
}

/// Whether a path names JSON Lines (by extension `.jsonl`, `.ndjson` or `.json`).
pub fn is_json_lines(path: &std::path::Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "ndjson" | "json")
    )
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// One CSV record: its fields, first line and raw bytes.
struct Record<'a> {
    line: usize,
    raw: &'a [u8],
    fields: std::result::Result<Vec<Vec<u8>>, &'static str>,
}

/// Splits CSV into records. Quotes (`"`, doubled to escape) may span lines;
/// with `quoting` off (TSV) a quote is an ordinary character.
fn csv_records(bytes: &[u8], delimiter: u8, quoting: bool) -> Vec<Record<'_>> {
    let mut records = Vec::new();
    let mut pos = 0;
    let mut line = 1;
    while pos < bytes.len() {
        let start = pos;
        let start_line = line;
        let mut fields = Vec::new();
        let mut field = Vec::new();
        let mut in_quotes = false;
        let mut error = None;
        let mut at_field_start = true;
        loop {
            let Some(&b) = bytes.get(pos) else {
                if in_quotes {
                    error = Some("unterminated quoted field");
                }
                break;
            };
            pos += 1;
            if b == b'\n' {
                line += 1;
            }
            if in_quotes {
                if b == b'"' {
                    if bytes.get(pos) == Some(&b'"') {
                        field.push(b'"');
                        pos += 1;
                    } else {
                        in_quotes = false;
                    }
                } else {
                    field.push(b);
                }
                continue;
            }
            match b {
                b'"' if quoting && at_field_start => {
                    in_quotes = true;
                    at_field_start = false;
                }
                b'\n' => break,
                b'\r' if bytes.get(pos) == Some(&b'\n') => {}
                _ if b == delimiter => {
                    fields.push(std::mem::take(&mut field));
                    at_field_start = true;
                }
                _ => {
                    field.push(b);
                    at_field_start = false;
                }
            }
        }
        fields.push(field);
        let raw = &bytes[start..pos];
        let blank = fields.len() == 1 && fields[0].is_empty() && error.is_none();
        if !blank {
            records.push(Record {
                line: start_line,
                raw,
                fields: error.map_or(Ok(fields), Err),
            });
        }
    }
    records
}

fn find_column(header: &[String], name: &str) -> Option<usize> {
    header
        .iter()
        .position(|h| h == name)
        .or_else(|| header.iter().position(|h| h.eq_ignore_ascii_case(name)))
}

/// Reads CSV (or TSV) bytes with a header row.
pub fn read_csv(bytes: &[u8], options: &ReadOptions) -> Result<Labelled> {
    let bytes = strip_bom(bytes);
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = options.delimiter.unwrap_or(if first_line.contains(&b'\t') {
        b'\t'
    } else {
        b','
    });
    let records = csv_records(bytes, delimiter, delimiter != b'\t');
    let mut records = records.into_iter();
    let header = match records.next() {
        Some(Record { fields: Ok(f), .. }) => f
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect::<Vec<_>>(),
        Some(Record { fields: Err(e), .. }) => return Err(Error::Data(format!("header: {e}"))),
        None => {
            return Err(Error::Data(
                "the file is empty (a header row is required)".into(),
            ))
        }
    };
    let column = |name: &str| {
        find_column(&header, name).ok_or_else(|| {
            Error::Data(format!(
                "no column `{name}` in the header; columns are: {}",
                header.join(", ")
            ))
        })
    };
    let (text_at, label_at) = (
        column(&options.text_column)?,
        column(&options.label_column)?,
    );
    let mut out = Labelled::default();
    for record in records {
        let fields = match record.fields {
            Ok(f) => f,
            Err(e) => {
                out.reject(record.line, e, record.raw);
                continue;
            }
        };
        if fields.len() != header.len() {
            out.reject(
                record.line,
                format!(
                    "{} fields where the header has {}",
                    fields.len(),
                    header.len()
                ),
                record.raw,
            );
            continue;
        }
        let (Ok(text), Ok(label)) = (
            std::str::from_utf8(&fields[text_at]),
            std::str::from_utf8(&fields[label_at]),
        ) else {
            out.reject(record.line, "not valid UTF-8", record.raw);
            continue;
        };
        let labels: Vec<String> = match options.label_separator {
            Some(sep) => label
                .split(sep)
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            None => Some(label.trim())
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .into_iter()
                .collect(),
        };
        if labels.is_empty() && options.label_separator.is_none() {
            out.reject(record.line, "empty label", record.raw);
            continue;
        }
        out.rows.push(Row {
            line: record.line,
            text: text.to_owned(),
            labels,
        });
    }
    Ok(out)
}

fn label_value(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads JSON Lines: one object per line; the label may be a string, a
/// number, a boolean, or (multi-label) an array of those.
pub fn read_json_lines(bytes: &[u8], options: &ReadOptions) -> Result<Labelled> {
    let bytes = strip_bom(bytes);
    let mut out = Labelled::default();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let trimmed = raw.strip_suffix(b"\r").unwrap_or(raw);
        if trimmed.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_slice(trimmed) {
            Ok(v) => v,
            Err(e) => {
                out.reject(line, format!("invalid JSON: {e}"), trimmed);
                continue;
            }
        };
        let Some(text) = value.get(&options.text_column).and_then(|t| t.as_str()) else {
            out.reject(
                line,
                format!("no string field `{}`", options.text_column),
                trimmed,
            );
            continue;
        };
        let labels = match value.get(&options.label_column) {
            Some(serde_json::Value::Array(items)) => {
                items.iter().map(label_value).collect::<Option<Vec<_>>>()
            }
            Some(v) => label_value(v).map(|l| vec![l]),
            None => None,
        };
        let Some(labels) =
            labels.filter(|l| !l.is_empty() || value[&options.label_column].is_array())
        else {
            out.reject(
                line,
                format!("no usable label in field `{}`", options.label_column),
                trimmed,
            );
            continue;
        };
        out.rows.push(Row {
            line,
            text: text.to_owned(),
            labels,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> ReadOptions {
        ReadOptions {
            text_column: "TEXT".into(),
            label_column: "label".into(),
            label_separator: None,
            delimiter: None,
        }
    }

    #[test]
    fn csv_with_bom_quotes_and_bad_rows() {
        let data = "\u{feff},topic,label,TEXT\n1,race,1,\"a, \"\"quoted\"\"\nline\"\n2,race,0\n3,region,,empty label\n4,gender,0,ok\n5,x,1,\"open";
        let got = read_csv(data.as_bytes(), &options()).unwrap();
        assert_eq!(got.rows.len(), 2);
        assert_eq!(
            got.rows[0],
            Row {
                line: 2,
                text: "a, \"quoted\"\nline".into(),
                labels: vec!["1".into()]
            }
        );
        assert_eq!(got.rows[1].line, 6);
        let lines: Vec<usize> = got.rejects.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![4, 5, 7]);
        assert!(got.rejects[0].error.contains("3 fields"));
        assert!(got.rejects[2].error.contains("unterminated"));
        assert_eq!(
            got.rejects[1].raw_base64,
            base64::engine::general_purpose::STANDARD.encode("3,region,,empty label\n")
        );
    }

    #[test]
    fn tsv_header_is_detected_and_quotes_are_literal() {
        let data = "Label\tSMS\nham\t\"hi\" there\nspam\tWIN now\n";
        let opts = ReadOptions {
            text_column: "SMS".into(),
            label_column: "Label".into(),
            ..options()
        };
        let got = read_csv(data.as_bytes(), &opts).unwrap();
        assert_eq!(got.rows[0].text, "\"hi\" there");
        assert_eq!(got.rows[1].labels, vec!["spam".to_owned()]);
    }

    #[test]
    fn missing_column_is_an_error() {
        let err = read_csv(b"a,b\n1,2\n", &options()).unwrap_err();
        assert!(err.to_string().contains("no column `TEXT`"), "{err}");
    }

    #[test]
    fn json_lines_labels_of_several_types() {
        let data = "{\"TEXT\":\"x\",\"label\":1}\nnot json\n{\"TEXT\":\"y\",\"label\":[\"a\",\"b\"]}\n\n{\"TEXT\":\"z\"}\n";
        let got = read_json_lines(data.as_bytes(), &options()).unwrap();
        assert_eq!(got.rows.len(), 2);
        assert_eq!(got.rows[0].labels, vec!["1".to_owned()]);
        assert_eq!(got.rows[1].labels, vec!["a".to_owned(), "b".to_owned()]);
        let lines: Vec<usize> = got.rejects.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 5]);
    }
}
