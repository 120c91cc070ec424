//! The scale-out back end: PostgreSQL, written in batches with `unnest`.

use crate::migrate::{CREATE_MIGRATIONS_TABLE, MIGRATIONS};
use crate::sqlite_store::{parse_verdict, record_type};
use crate::types::storage_time;
use crate::{Store, StoreError, StoreSummary, StoredRecord};
use chrono::{DateTime, Utc};
use postgres::{Client, NoTls};
use qinglang_model::{RecordKey, Verdict};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Arbitrary constant that serialises concurrent migrations.
const MIGRATION_LOCK: i64 = 0x5147_4c47; // "QGLG"

/// A PostgreSQL database.
pub struct PostgresStore {
    client: Client,
}

impl PostgresStore {
    /// Connects to `url` and migrates the default schema.
    pub fn open(url: &str) -> Result<PostgresStore, StoreError> {
        Self::open_in_schema(url, None)
    }

    /// Connects to `url` and uses (creating it if needed) `schema`, which
    /// keeps test runs and tenants apart on one server.
    pub fn open_in_schema(url: &str, schema: Option<&str>) -> Result<PostgresStore, StoreError> {
        let mut client = Client::connect(url, NoTls)?;
        if let Some(schema) = schema {
            if !schema
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                || schema.is_empty()
            {
                return Err(StoreError::Config(format!(
                    "schema name `{schema}` must be letters, digits and _"
                )));
            }
            client.batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}"
            ))?;
        }
        let mut store = PostgresStore { client };
        store.migrate()?;
        Ok(store)
    }

    /// Drops a schema and everything in it (for tests that made their own).
    pub fn drop_schema(url: &str, schema: &str) -> Result<(), StoreError> {
        if !schema
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            || schema.is_empty()
        {
            return Err(StoreError::Config(format!(
                "schema name `{schema}` must be letters, digits and _"
            )));
        }
        let mut client = Client::connect(url, NoTls)?;
        client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(CREATE_MIGRATIONS_TABLE)?;
        for (version, name, _, sql) in MIGRATIONS {
            let done = tx.query_opt(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &[version],
            )?;
            if done.is_none() {
                tx.batch_execute(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    &[version, name, &Utc::now().to_rfc3339()],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// One attempt at storing a batch, in one transaction.
    fn insert_once(&mut self, batch: &[StoredRecord]) -> Result<Vec<bool>, postgres::Error> {
        let kinds: Vec<&str> = batch.iter().map(|r| r.key.kind.as_str()).collect();
        let ids: Vec<&str> = batch.iter().map(|r| r.key.id.as_str()).collect();
        let authors: Vec<Option<&str>> = batch.iter().map(|r| r.author.as_deref()).collect();
        let created: Vec<Option<DateTime<Utc>>> = batch
            .iter()
            .map(|r| r.created_at.map(storage_time))
            .collect();
        let platforms: Vec<Option<&str>> = batch.iter().map(|r| r.platform.as_deref()).collect();
        let regions: Vec<Option<&str>> = batch.iter().map(|r| r.region.as_deref()).collect();
        let bodies: Vec<&str> = batch.iter().map(|r| r.body.as_str()).collect();

        let routes: Vec<&str> = batch.iter().map(|r| r.verdict.route.as_str()).collect();
        let policies: Vec<&str> = batch
            .iter()
            .map(|r| r.verdict.policy_version.as_str())
            .collect();
        let detectors: Vec<&str> = batch.iter().map(|r| r.detectors.as_str()).collect();
        let verdicts: Vec<&str> = batch.iter().map(|r| r.verdict_json.as_str()).collect();

        let mut tx = self.client.transaction()?;
        // Rows go in key order, so that concurrent writers sharing keys lock
        // them in the same order and cannot deadlock. DISTINCT ON keeps the
        // first copy of a key repeated inside one batch; NOT EXISTS leaves
        // stored keys alone without drawing a sequence number for them, so a
        // re-run changes nothing at all.
        let rows = tx.query(
            "INSERT INTO records (kind, id, author, created_at, platform, region, body, ingested_at, \
                                  route, policy_version, detectors, verdict) \
             SELECT k, i, a, c, p, r, b, now(), ro, pv, d, v FROM ( \
                 SELECT DISTINCT ON (k, i) * \
                 FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], \
                             $8::text[], $9::text[], $10::text[], $11::text[]) WITH ORDINALITY \
                      AS t(k, i, a, c, p, r, b, ro, pv, d, v, ord) \
                 WHERE NOT EXISTS (SELECT 1 FROM records x WHERE x.kind = t.k AND x.id = t.i) \
                 ORDER BY k, i, ord \
             ) u \
             ORDER BY k, i \
             ON CONFLICT DO NOTHING RETURNING kind, id",
            &[&kinds, &ids, &authors, &created, &platforms, &regions, &bodies, &routes, &policies, &detectors, &verdicts],
        )?;
        let new_keys: HashSet<(String, String)> = rows
            .iter()
            .map(|row| (row.get::<_, String>(0), row.get::<_, String>(1)))
            .collect();
        let mut inserted = Vec::with_capacity(batch.len());
        let (mut lk, mut li, mut lc, mut ls, mut lv) = (vec![], vec![], vec![], vec![], vec![]);
        let mut taken: HashSet<(&str, &str)> = HashSet::new();
        for r in batch {
            let key = (r.key.kind.as_str(), r.key.id.as_str());
            // A key repeated inside one batch is new only the first time.
            let new = new_keys.contains(&(key.0.to_owned(), key.1.to_owned())) && taken.insert(key);
            if new {
                for l in &r.verdict.labels {
                    lk.push(key.0);
                    li.push(key.1);
                    lc.push(l.category.as_str());
                    ls.push(l.score);
                    lv.push(l.severity.as_str());
                }
            }
            inserted.push(new);
        }
        if !lk.is_empty() {
            tx.execute(
                "INSERT INTO verdict_labels (kind, id, category, score, severity) \
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::real[], $5::text[])",
                &[&lk, &li, &lc, &ls, &lv],
            )?;
        }
        tx.commit()?;
        Ok(inserted)
    }
}

impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn insert_batch(&mut self, batch: &[StoredRecord]) -> Result<Vec<bool>, StoreError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        // Another writer can still win a race on a key; PostgreSQL then
        // aborts one transaction, which is safe to run again.
        let mut attempt = 0;
        loop {
            match self.insert_once(batch) {
                Err(e) if attempt < 4 && is_retryable(&e) => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20 << attempt));
                }
                other => return other.map_err(StoreError::from),
            }
        }
    }

    fn verdicts(&mut self, keys: &[RecordKey]) -> Result<HashMap<RecordKey, Verdict>, StoreError> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let kinds: Vec<&str> = keys.iter().map(|k| k.kind.as_str()).collect();
        let ids: Vec<&str> = keys.iter().map(|k| k.id.as_str()).collect();
        let rows = self.client.query(
            "SELECT v.kind, v.id, v.verdict FROM records v \
             JOIN unnest($1::text[], $2::text[]) AS t(k, i) ON v.kind = t.k AND v.id = t.i",
            &[&kinds, &ids],
        )?;
        let mut out = HashMap::with_capacity(rows.len());
        for row in rows {
            let (kind, id, json): (String, String, String) = (row.get(0), row.get(1), row.get(2));
            let verdict = parse_verdict(&kind, &id, &json)?;
            let Some(kind) = record_type(&kind) else {
                return Err(StoreError::Config(format!(
                    "unknown record kind `{kind}` in verdicts"
                )));
            };
            out.insert(RecordKey { kind, id }, verdict);
        }
        Ok(out)
    }

    fn record_body(&mut self, key: &RecordKey) -> Result<Option<String>, StoreError> {
        let row = self.client.query_opt(
            "SELECT body FROM records WHERE kind = $1 AND id = $2",
            &[&key.kind.as_str(), &key.id],
        )?;
        Ok(row.map(|r| r.get(0)))
    }

    fn summary(&mut self) -> Result<StoreSummary, StoreError> {
        let mut group = |sql: &str| -> Result<BTreeMap<String, u64>, StoreError> {
            let rows = self.client.query(sql, &[])?;
            Ok(rows
                .iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64))
                .collect())
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

/// Deadlocks and serialisation failures abort a transaction that can simply run again.
fn is_retryable(e: &postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
            || *c == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
    )
}
