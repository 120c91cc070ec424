//! Persistence behind one trait, [`Store`], with two real back ends:
//! SQLite ([`SqliteStore`], the embedded default) and PostgreSQL
//! ([`PostgresStore`]). [`open`] picks one from a URL.
//!
//! Invariants:
//! - A record and its verdict are written in one transaction: there is never
//!   a stored record without its verdict.
//! - Storing a key that is already stored changes nothing; the caller is told
//!   which records were new so it can report the stored verdict for the rest.
//! - This crate knows nothing of HTTP or of detectors.

mod migrate;
mod postgres_store;
mod seen;
mod sqlite_store;
mod types;

pub use postgres_store::PostgresStore;
pub use seen::SeenKeys;
pub use sqlite_store::SqliteStore;
pub use types::{StoreError, StoreSummary, StoredRecord};

use qinglang_model::{RecordKey, Verdict};
use std::collections::HashMap;

/// The persistence interface. Implementations are synchronous: the CLI calls
/// them from its ingest loop and the server from blocking tasks.
pub trait Store: Send {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Stores each record with its verdict, atomically for the whole batch.
    /// Records whose key is already stored are left untouched. Returns, for
    /// each record of `batch` in order, whether it was newly stored.
    fn insert_batch(&mut self, batch: &[StoredRecord]) -> Result<Vec<bool>, StoreError>;

    /// The stored verdicts of those `keys` that are stored.
    fn verdicts(&mut self, keys: &[RecordKey]) -> Result<HashMap<RecordKey, Verdict>, StoreError>;

    /// The stored record (its JSON as received), if any.
    fn record_body(&mut self, key: &RecordKey) -> Result<Option<String>, StoreError>;

    /// Counts of what is stored.
    fn summary(&mut self) -> Result<StoreSummary, StoreError>;
}

/// Opens a store from a URL: `postgres://…` / `postgresql://…` for
/// PostgreSQL; `sqlite:PATH`, `sqlite://PATH` or a plain file path for
/// SQLite (created if missing). Migrations are applied on open.
pub fn open(url: &str) -> Result<Box<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Box::new(PostgresStore::open(url)?));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if path.is_empty() {
        return Err(StoreError::Config("empty database path".into()));
    }
    Ok(Box::new(SqliteStore::open(path)?))
}
