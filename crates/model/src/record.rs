//! The records Qinglang ingests: content items, accounts and user complaints.
//!
//! Field names and meanings are the input contract documented in
//! `docs/input-format.md`. Unknown fields are kept in `extra` so that nothing a
//! platform sends is lost on the way through.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// What kind of content an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    #[default]
    Post,
    Comment,
    Repost,
    Article,
    Video,
    Live,
    AppListing,
    Profile,
}

impl ItemKind {
    /// Every kind, in the order the input contract lists them.
    pub const ALL: [ItemKind; 8] = [
        ItemKind::Post,
        ItemKind::Comment,
        ItemKind::Repost,
        ItemKind::Article,
        ItemKind::Video,
        ItemKind::Live,
        ItemKind::AppListing,
        ItemKind::Profile,
    ];

    /// The wire name, e.g. `app_listing`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Post => "post",
            ItemKind::Comment => "comment",
            ItemKind::Repost => "repost",
            ItemKind::Article => "article",
            ItemKind::Video => "video",
            ItemKind::Live => "live",
            ItemKind::AppListing => "app_listing",
            ItemKind::Profile => "profile",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A piece of content: a post, comment, article, listing and so on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    /// The account id of the author.
    pub author: String,
    pub text: String,
    /// Event time. Stream detectors use it, never the wall clock, so that a
    /// historical file replays the same way every time.
    pub created_at: DateTime<FixedOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default)]
    pub kind: ItemKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repost_of: Option<String>,
    /// The account the item is about or addressed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashtags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Fields the contract does not name, kept verbatim.
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

/// An account on a platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    /// Display name.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// The MCN agency that manages the account, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_minor: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

/// What a complaint is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintSubject {
    Item(String),
    Account(String),
}

/// A user's report about an item or an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Complaint {
    pub id: String,
    #[serde(flatten)]
    pub subject: ComplaintSubject,
    pub reporter: String,
    pub reason: String,
    pub created_at: DateTime<FixedOffset>,
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

/// The three record types of the input contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    Item,
    Account,
    Complaint,
}

impl RecordType {
    /// The wire name, as in the `type` field.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Item => "item",
            RecordType::Account => "account",
            RecordType::Complaint => "complaint",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<RecordType> {
        match s {
            "item" => Some(RecordType::Item),
            "account" => Some(RecordType::Account),
            "complaint" => Some(RecordType::Complaint),
            _ => None,
        }
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identity of a record: ids are unique per record type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordKey {
    pub kind: RecordType,
    pub id: String,
}

/// Any one input record.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Item(Item),
    Account(Account),
    Complaint(Complaint),
}

impl Record {
    pub fn record_type(&self) -> RecordType {
        match self {
            Record::Item(_) => RecordType::Item,
            Record::Account(_) => RecordType::Account,
            Record::Complaint(_) => RecordType::Complaint,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Record::Item(i) => &i.id,
            Record::Account(a) => &a.id,
            Record::Complaint(c) => &c.id,
        }
    }

    pub fn key(&self) -> RecordKey {
        RecordKey {
            kind: self.record_type(),
            id: self.id().to_owned(),
        }
    }

    /// The record as a JSON object in the input contract, `type` included.
    pub fn to_json(&self) -> Value {
        let (ty, v) = match self {
            Record::Item(i) => ("item", serde_json::to_value(i)),
            Record::Account(a) => ("account", serde_json::to_value(a)),
            Record::Complaint(c) => ("complaint", serde_json::to_value(c)),
        };
        // Serialising these plain structs cannot fail: keys are strings and
        // there are no non-finite floats outside `extra`, which came from JSON.
        let mut v = v.unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("type".into(), Value::String(ty.into()));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_kind_round_trips_every_wire_name() {
        for k in ItemKind::ALL {
            assert_eq!(ItemKind::parse(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(ItemKind::parse("tweet"), None);
    }

    #[test]
    fn record_json_keeps_unknown_fields_and_type() {
        let mut extra = Map::new();
        extra.insert("likes".into(), Value::from(12));
        let item = Item {
            id: "i1".into(),
            author: "u1".into(),
            text: "你好".into(),
            created_at: DateTime::parse_from_rfc3339("2024-05-01T08:00:00+08:00").unwrap(),
            title: None,
            kind: ItemKind::Comment,
            platform: Some("weibo".into()),
            reply_to: None,
            repost_of: None,
            target: None,
            mentions: vec![],
            urls: vec![],
            hashtags: vec![],
            group: None,
            region: None,
            lang: None,
            extra,
        };
        let v = Record::Item(item).to_json();
        assert_eq!(v["type"], "item");
        assert_eq!(v["likes"], 12);
        assert_eq!(v["kind"], "comment");
        assert!(v.get("title").is_none());
    }
}
