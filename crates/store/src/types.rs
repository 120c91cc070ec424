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
