//! Values that cross the store boundary.

use chrono::{DateTime, FixedOffset};
use qinglang_model::{RecordKey, Verdict};
use std::collections::BTreeMap;

/// One record to store, with the verdict decided for it.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    pub key: RecordKey,
    /// Item author or complaint reporter.
    pub author: Option<String>,
    /// Event time of the record.
    pub created_at: Option<DateTime<FixedOffset>>,
    pub platform: Option<String>,
    pub region: Option<String>,
    /// The record as received: its validated JSON line.
    pub body: String,
    pub verdict: Verdict,
    /// `verdict` serialised as JSON, exactly as written to `--out`.
    pub verdict_json: String,
    /// `name@version` of each detector that ran, comma-separated.
    pub detectors: String,
}

/// Counts of what a store holds; equal for equal inputs on every back end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoreSummary {
    pub records_by_type: BTreeMap<String, u64>,
    pub verdicts_by_route: BTreeMap<String, u64>,
    pub labels_by_category: BTreeMap<String, u64>,
}

impl StoreSummary {
    /// All stored records.
    pub fn records(&self) -> u64 {
        self.records_by_type.values().sum()
    }
}

/// A store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("stored verdict for {kind} `{id}` is unreadable: {source}")]
    Corrupt {
        kind: String,
        id: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("database configuration: {0}")]
    Config(String),
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// An event time as both back ends store it: UTC, truncated to microseconds
/// (PostgreSQL's precision), with a leap second folded into the next second
/// as PostgreSQL does. Both back ends then hold the same instant.
pub(crate) fn storage_time(t: DateTime<FixedOffset>) -> chrono::DateTime<chrono::Utc> {
    use chrono::Timelike;
    let utc = t.with_timezone(&chrono::Utc);
    let nanos = utc.nanosecond();
    let (base, nanos) = if nanos >= 1_000_000_000 {
        (utc + chrono::TimeDelta::seconds(1), nanos - 1_000_000_000)
    } else {
        (utc, nanos)
    };
    base.with_nanosecond(nanos / 1000 * 1000).unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_time_truncates_to_microseconds_and_folds_leap_seconds() {
        let t = DateTime::parse_from_rfc3339("2024-05-01T08:00:00.123456789+08:00").unwrap();
        assert_eq!(
            storage_time(t).to_rfc3339(),
            "2024-05-01T00:00:00.123456+00:00"
        );
        let leap = DateTime::parse_from_rfc3339("2016-12-31T23:59:60.5Z").unwrap();
        assert_eq!(
            storage_time(leap).to_rfc3339(),
            "2017-01-01T00:00:00.500+00:00"
        );
    }
}
