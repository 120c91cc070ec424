//! One line of JSON to one validated record.
//!
//! Validation is done by hand on a parsed `serde_json::Value` rather than by a
//! derived deserialiser, so that every error names the field at fault and
//! unknown fields can be kept without `#[serde(flatten)]`'s cost.

use chrono::{DateTime, FixedOffset};
use qinglang_model::{Account, Complaint, ComplaintSubject, Item, ItemKind, Record, RecordType};
use serde_json::{Map, Value};
use std::fmt;

/// Longest record id accepted, in bytes.
pub const MAX_ID_BYTES: usize = 512;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a line was rejected. The message names the field when one is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectReason {
    /// The field at fault, if the problem is one field.
    pub field: Option<String>,
    pub message: String,
}

impl RejectReason {
    fn line(message: impl Into<String>) -> Self {
        RejectReason {
            field: None,
            message: message.into(),
        }
    }

    fn field(field: &str, message: impl Into<String>) -> Self {
        RejectReason {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "field `{field}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RejectReason {}

/// The outcome of parsing one physical line.
pub type Parsed = Result<Option<Record>, RejectReason>;

/// Parses one line (without its `\n`). Returns `Ok(None)` for a blank line.
///
/// A UTF-8 byte order mark at the start and a `\r` at the end are tolerated.
pub fn parse_record(line: &[u8]) -> Parsed {
    let mut bytes = line.strip_prefix(UTF8_BOM).unwrap_or(line);
    if let Some(b) = bytes.strip_suffix(b"\r") {
        bytes = b;
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(None);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        RejectReason::line(format!(
            "invalid UTF-8 at byte {} of the line",
            e.valid_up_to()
        ))
    })?;
    let value: Value =
        serde_json::from_str(text).map_err(|e| RejectReason::line(json_error(&e)))?;
    let Value::Object(mut map) = value else {
        return Err(RejectReason::line(format!(
            "expected a JSON object, found {}",
            kind_of(&value)
        )));
    };
    let record_type = match map.remove("type") {
        None | Some(Value::Null) => RecordType::Item,
        Some(Value::String(s)) => RecordType::parse(&s).ok_or_else(|| {
            RejectReason::field(
                "type",
                format!("unknown record type `{s}`; expected item, account or complaint"),
            )
        })?,
        Some(other) => {
            return Err(RejectReason::field(
                "type",
                format!("must be a string, found {}", kind_of(&other)),
            ))
        }
    };
    reject_nul_anywhere(&map)?;
    let record = match record_type {
        RecordType::Item => Record::Item(item(map)?),
        RecordType::Account => Record::Account(account(map)?),
        RecordType::Complaint => Record::Complaint(complaint(map)?),
    };
    Ok(Some(record))
}

fn json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "truncated JSON",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "invalid JSON value",
        serde_json::error::Category::Io => "I/O error",
    };
    format!("{what}: {e}")
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// PostgreSQL cannot store U+0000 in text, and no legitimate post contains it:
/// reject it everywhere so that both back ends accept the same records.
fn reject_nul_anywhere(map: &Map<String, Value>) -> Result<(), RejectReason> {
    fn has_nul(v: &Value) -> bool {
        match v {
            Value::String(s) => s.contains('\0'),
            Value::Array(a) => a.iter().any(has_nul),
            Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
            _ => false,
        }
    }
    for (k, v) in map {
        if k.contains('\0') || has_nul(v) {
            return Err(RejectReason::field(k, "contains a NUL character (U+0000)"));
        }
    }
    Ok(())
}

fn required_string(map: &mut Map<String, Value>, field: &str) -> Result<String, RejectReason> {
    match map.remove(field) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(RejectReason::field(field, "is required")),
        Some(other) => Err(RejectReason::field(
            field,
            format!("must be a string, found {}", kind_of(&other)),
        )),
    }
}

fn required_id(map: &mut Map<String, Value>, field: &str) -> Result<String, RejectReason> {
    let id = required_string(map, field)?;
    check_id(field, &id)?;
    Ok(id)
}

fn check_id(field: &str, id: &str) -> Result<(), RejectReason> {
    if id.trim().is_empty() {
        return Err(RejectReason::field(field, "must not be empty"));
    }
    if id.len() > MAX_ID_BYTES {
        return Err(RejectReason::field(
            field,
            format!("is {} bytes long; ids are at most {MAX_ID_BYTES}", id.len()),
        ));
    }
    Ok(())
}

fn optional_string(
    map: &mut Map<String, Value>,
    field: &str,
) -> Result<Option<String>, RejectReason> {
    match map.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(RejectReason::field(
            field,
            format!("must be a string, found {}", kind_of(&other)),
        )),
    }
}

fn optional_bool(map: &mut Map<String, Value>, field: &str) -> Result<Option<bool>, RejectReason> {
    match map.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(other) => Err(RejectReason::field(
            field,
            format!("must be true or false, found {}", kind_of(&other)),
        )),
    }
}

fn string_list(map: &mut Map<String, Value>, field: &str) -> Result<Vec<String>, RejectReason> {
    match map.remove(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s),
                other => Err(RejectReason::field(
                    field,
                    format!("element {i} must be a string, found {}", kind_of(&other)),
                )),
            })
            .collect(),
        Some(other) => Err(RejectReason::field(
            field,
            format!("must be an array of strings, found {}", kind_of(&other)),
        )),
    }
}

fn timestamp(field: &str, s: &str) -> Result<DateTime<FixedOffset>, RejectReason> {
    DateTime::parse_from_rfc3339(s).map_err(|e| {
        RejectReason::field(
            field,
            format!(
                "`{}` is not an RFC 3339 timestamp ({e}), e.g. 2024-05-01T08:00:00+08:00",
                shorten(s)
            ),
        )
    })
}

fn required_timestamp(
    map: &mut Map<String, Value>,
    field: &str,
) -> Result<DateTime<FixedOffset>, RejectReason> {
    let s = required_string(map, field)?;
    timestamp(field, &s)
}

fn optional_timestamp(
    map: &mut Map<String, Value>,
    field: &str,
) -> Result<Option<DateTime<FixedOffset>>, RejectReason> {
    optional_string(map, field)?
        .map(|s| timestamp(field, &s))
        .transpose()
}

/// Quotes at most 40 characters of user input in an error message.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

fn item(mut map: Map<String, Value>) -> Result<Item, RejectReason> {
    let id = required_id(&mut map, "id")?;
    let author = required_id(&mut map, "author")?;
    let text = required_string(&mut map, "text")?;
    let created_at = required_timestamp(&mut map, "created_at")?;
    let kind = match optional_string(&mut map, "kind")? {
        None => ItemKind::default(),
        Some(k) => ItemKind::parse(&k).ok_or_else(|| {
            RejectReason::field(
                "kind",
                format!(
                    "unknown kind `{}`; expected one of {}",
                    shorten(&k),
                    ItemKind::ALL.map(ItemKind::as_str).join(", ")
                ),
            )
        })?,
    };
    Ok(Item {
        id,
        author,
        text,
        created_at,
        title: optional_string(&mut map, "title")?,
        kind,
        platform: optional_string(&mut map, "platform")?,
        reply_to: optional_string(&mut map, "reply_to")?,
        repost_of: optional_string(&mut map, "repost_of")?,
        target: optional_string(&mut map, "target")?,
        mentions: string_list(&mut map, "mentions")?,
        urls: string_list(&mut map, "urls")?,
        hashtags: string_list(&mut map, "hashtags")?,
        group: optional_string(&mut map, "group")?,
        region: optional_string(&mut map, "region")?,
        lang: optional_string(&mut map, "lang")?,
        extra: map,
    })
}

fn account(mut map: Map<String, Value>) -> Result<Account, RejectReason> {
    Ok(Account {
        id: required_id(&mut map, "id")?,
        name: required_string(&mut map, "name")?,
        handle: optional_string(&mut map, "handle")?,
        created_at: optional_timestamp(&mut map, "created_at")?,
        verified: optional_bool(&mut map, "verified")?,
        agency: optional_string(&mut map, "agency")?,
        platform: optional_string(&mut map, "platform")?,
        is_minor: optional_bool(&mut map, "is_minor")?,
        bio: optional_string(&mut map, "bio")?,
        extra: map,
    })
}

fn complaint(mut map: Map<String, Value>) -> Result<Complaint, RejectReason> {
    let id = required_id(&mut map, "id")?;
    let item = optional_string(&mut map, "item")?;
    let account = optional_string(&mut map, "account")?;
    let subject = match (item, account) {
        (Some(i), None) => {
            check_id("item", &i)?;
            ComplaintSubject::Item(i)
        }
        (None, Some(a)) => {
            check_id("account", &a)?;
            ComplaintSubject::Account(a)
        }
        (Some(_), Some(_)) => {
            return Err(RejectReason::field(
                "item",
                "a complaint names either `item` or `account`, not both",
            ))
        }
        (None, None) => {
            return Err(RejectReason::field(
                "item",
                "a complaint must name an `item` or an `account`",
            ))
        }
    };
    Ok(Complaint {
        id,
        subject,
        reporter: required_id(&mut map, "reporter")?,
        reason: required_string(&mut map, "reason")?,
        created_at: required_timestamp(&mut map, "created_at")?,
        extra: map,
    })
}

#[cfg(test)]
mod tests;
