//! What detectors say ([`Signal`]) and what the policy concludes ([`Verdict`]).
//!
//! The JSON shape of [`Verdict`] is the output contract documented in
//! `docs/output-format.md`.

use crate::Category;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A byte range `[start, end)` into the original text of a record. Both ends
/// always fall on UTF-8 character boundaries of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// How serious a label is; policies map scores to severities.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    #[default]
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

/// One finding of one detector: which rule fired, for which category, how
/// strongly, where in the text, and a short human-readable reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// The detector's name, as accepted by `scan --detectors`.
    pub detector: Cow<'static, str>,
    /// The rule within the detector (a lexicon rule id, a PII kind, a model head).
    pub rule: String,
    pub category: Category,
    /// Strength in `[0, 1]`.
    pub score: f32,
    /// Where in the original text; empty when the signal is about the whole record.
    #[serde(default)]
    pub spans: Vec<Span>,
    /// Why it fired, for the reviewer. Personal data here is masked.
    #[serde(default)]
    pub evidence: String,
}

/// A category a verdict assigns, with its aggregated score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub category: Category,
    pub score: f32,
    pub severity: Severity,
}

/// What happens to a record.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Nothing to do.
    #[default]
    Pass,
    /// Queue for a human reviewer.
    Review,
    /// Act automatically (the policy names the action).
    Action,
}

impl Route {
    pub const ALL: [Route; 3] = [Route::Pass, Route::Review, Route::Action];

    pub fn as_str(self) -> &'static str {
        match self {
            Route::Pass => "pass",
            Route::Review => "review",
            Route::Action => "action",
        }
    }

    pub fn parse(s: &str) -> Option<Route> {
        Route::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The record a verdict is about. Serialises as one of `item_id`,
/// `account_id` or `complaint_id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Subject {
    #[serde(rename = "item_id")]
    Item(String),
    #[serde(rename = "account_id")]
    Account(String),
    #[serde(rename = "complaint_id")]
    Complaint(String),
}

impl Subject {
    pub fn id(&self) -> &str {
        match self {
            Subject::Item(s) | Subject::Account(s) | Subject::Complaint(s) => s,
        }
    }

    pub fn record_type(&self) -> crate::RecordType {
        match self {
            Subject::Item(_) => crate::RecordType::Item,
            Subject::Account(_) => crate::RecordType::Account,
            Subject::Complaint(_) => crate::RecordType::Complaint,
        }
    }
}

/// The decision about one record, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    #[serde(flatten)]
    pub subject: Subject,
    pub route: Route,
    pub labels: Vec<Label>,
    pub signals: Vec<Signal>,
    /// The coordinated campaign the record belongs to, when a stream detector found one.
    pub campaign_id: Option<String>,
    /// The incident (for example a pile-on) the record belongs to.
    pub incident_id: Option<String>,
    pub policy_version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_json_uses_subject_key_and_round_trips() {
        let v = Verdict {
            subject: Subject::Account("acc-9".into()),
            route: Route::Review,
            labels: vec![Label {
                category: crate::category::DOXXING,
                score: 0.8,
                severity: Severity::High,
            }],
            signals: vec![Signal {
                detector: Cow::Borrowed("pii"),
                rule: "mobile".into(),
                category: crate::category::DOXXING,
                score: 0.8,
                spans: vec![Span::new(3, 14)],
                evidence: "138****5678".into(),
            }],
            campaign_id: None,
            incident_id: Some("inc-1".into()),
            policy_version: "default@1".into(),
        };
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["account_id"], "acc-9");
        assert!(json.get("item_id").is_none());
        assert_eq!(json["route"], "review");
        assert_eq!(json["labels"][0]["severity"], "high");
        assert_eq!(json["signals"][0]["spans"][0]["end"], 14);
        assert!(json["campaign_id"].is_null());
        let back: Verdict = serde_json::from_value(json).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn ordering_of_routes_and_severities_is_by_strength() {
        assert!(Route::Action > Route::Review && Route::Review > Route::Pass);
        assert!(Severity::Critical > Severity::High && Severity::Medium > Severity::Low);
        for r in Route::ALL {
            assert_eq!(Route::parse(r.as_str()), Some(r));
        }
    }
}
