//! The embedded back end: one SQLite file, WAL mode, one connection.

use crate::migrate::{CREATE_MIGRATIONS_TABLE, MIGRATIONS};
use crate::types::storage_time;
use crate::{Store, StoreError, StoreSummary, StoredRecord};
use chrono::{SecondsFormat, Utc};
use qinglang_model::{RecordKey, RecordType, Verdict};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

/// A SQLite database file.
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &str) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path)?;
        // WAL keeps readers (the server) unblocked while a scan writes;
        // NORMAL sync is durable across application crashes, which is what
        // "nothing is lost" needs from a single-machine default.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A larger page cache keeps the key index's hot pages in memory.
        conn.pragma_update(None, "cache_size", -65536)?;
        // Checkpoint less often: hot pages (the key index, the last leaf)
        // are then copied to the database once per 64 MB of log, not once
        // per 4 MB. Readers are unaffected.
        conn.pragma_update(None, "wal_autocheckpoint", 16384)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mut store = SqliteStore { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(CREATE_MIGRATIONS_TABLE, [])?;
        for (version, name, sql, _) in MIGRATIONS {
            let done: Option<i64> = tx
                .query_row(
                    "SELECT version FROM schema_migrations WHERE version = ?1",
                    [version],
                    |r| r.get(0),
                )
                .optional()?;
            if done.is_none() {
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                    params![version, name, now()],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_verdict(kind: &str, id: &str, json: &str) -> Result<Verdict, StoreError> {
    serde_json::from_str(json).map_err(|source| StoreError::Corrupt {
        kind: kind.into(),
        id: id.into(),
        source,
    })
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn insert_batch(&mut self, batch: &[StoredRecord]) -> Result<Vec<bool>, StoreError> {
        let ingested_at = now();
        let tx = self.conn.transaction()?;
        let mut inserted = Vec::with_capacity(batch.len());
        {
            let mut rec = tx.prepare_cached(
                "INSERT INTO records (kind, id, author, created_at, platform, region, body, ingested_at, \
                 route, policy_version, detectors, verdict) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT DO NOTHING",
            )?;
            let mut lab = tx.prepare_cached(
                "INSERT INTO verdict_labels (kind, id, category, score, severity) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for r in batch {
                let kind = r.key.kind.as_str();
                // Fixed width, so that text order is time order.
                let created = r
                    .created_at
                    .map(|t| storage_time(t).to_rfc3339_opts(SecondsFormat::Micros, true));
                let n = rec.execute(params![
                    kind,
                    r.key.id,
                    r.author,
                    created,
                    r.platform,
                    r.region,
                    r.body,
                    ingested_at,
                    r.verdict.route.as_str(),
                    r.verdict.policy_version,
                    r.detectors,
                    r.verdict_json
                ])?;
                let new = n == 1;
                if new {
                    for l in &r.verdict.labels {
                        lab.execute(params![
                            kind,
                            r.key.id,
                            l.category.as_str(),
                            l.score,
                            l.severity.as_str()
                        ])?;
                    }
                }
                inserted.push(new);
            }
        }
        tx.commit()?;
        Ok(inserted)
    }

    fn verdicts(&mut self, keys: &[RecordKey]) -> Result<HashMap<RecordKey, Verdict>, StoreError> {
        let mut out = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT verdict FROM records WHERE kind = ?1 AND id = ?2")?;
        for key in keys {
            let json: Option<String> = stmt
                .query_row(params![key.kind.as_str(), key.id], |r| r.get(0))
                .optional()?;
            if let Some(json) = json {
                out.insert(
                    key.clone(),
                    parse_verdict(key.kind.as_str(), &key.id, &json)?,
                );
            }
        }
        Ok(out)
    }

    fn record_body(&mut self, key: &RecordKey) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT body FROM records WHERE kind = ?1 AND id = ?2",
                params![key.kind.as_str(), key.id],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn summary(&mut self) -> Result<StoreSummary, StoreError> {
        let group = |sql: &str| -> Result<BTreeMap<String, u64>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            let mut m = BTreeMap::new();
            for row in rows {
                let (k, n) = row?;
                m.insert(k, n as u64);
            }
            Ok(m)
        };
        Ok(StoreSummary {
            records_by_type: group("SELECT kind, COUNT(*) FROM records GROUP BY kind")?,
            verdicts_by_route: group("SELECT route, COUNT(*) FROM records GROUP BY route")?,
            labels_by_category: group(
                "SELECT category, COUNT(*) FROM verdict_labels GROUP BY category",
            )?,
        })
    }
}

/// Used by tests and tools that want a record type back from its column.
pub(crate) fn record_type(s: &str) -> Option<RecordType> {
    RecordType::parse(s)
}
