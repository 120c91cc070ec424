//! The set of record keys seen in one run, with memory bounded.
//!
//! `scan` must give a second copy of an id in the same input no second
//! verdict line, which needs the set of keys seen so far. On inputs of many
//! gigabytes that set would outgrow memory, so it lives in a hash set of
//! 128-bit key digests up to a limit and then spills to a temporary SQLite
//! file that is deleted when the run ends. The spill is transparent.

use crate::StoreError;
use qinglang_model::RecordType;
use rusqlite::{params, Connection};
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

/// Digests kept in memory before spilling to disk (about 40 MB of set).
pub const DEFAULT_MEMORY_KEYS: usize = 1 << 21;

/// Commit the spill file this often, so its journal stays small.
const SPILL_COMMIT_EVERY: u32 = 50_000;

/// Keys seen in this run.
pub struct SeenKeys {
    memory: HashSet<u128>,
    limit: usize,
    spill: Option<Spill>,
}

struct Spill {
    conn: Connection,
    pending: u32,
    _file: tempfile::TempPath,
}

impl Default for SeenKeys {
    fn default() -> Self {
        SeenKeys::new(DEFAULT_MEMORY_KEYS)
    }
}

impl SeenKeys {
    /// A set that keeps at most `memory_keys` digests in memory.
    pub fn new(memory_keys: usize) -> Self {
        SeenKeys {
            memory: HashSet::new(),
            limit: memory_keys.max(1),
            spill: None,
        }
    }

    /// Whether the set has moved to disk.
    pub fn spilled(&self) -> bool {
        self.spill.is_some()
    }

    /// Adds a key; returns `true` if it was not there before.
    pub fn insert(&mut self, kind: RecordType, id: &str) -> Result<bool, StoreError> {
        let digest = digest(kind, id);
        if let Some(spill) = &mut self.spill {
            return spill.insert(digest);
        }
        let new = self.memory.insert(digest);
        if self.memory.len() >= self.limit {
            self.spill_to_disk()?;
        }
        Ok(new)
    }

    fn spill_to_disk(&mut self) -> Result<(), StoreError> {
        let file = tempfile::Builder::new()
            .prefix("qinglang-seen-")
            .suffix(".db")
            .tempfile()?
            .into_temp_path();
        let conn = Connection::open(&file)?;
        // Scratch data: losing it on a crash loses nothing of value.
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -16000;
             CREATE TABLE seen (hi INTEGER NOT NULL, lo INTEGER NOT NULL, PRIMARY KEY (hi, lo)) WITHOUT ROWID;
             BEGIN;",
        )?;
        let mut spill = Spill {
            conn,
            pending: 0,
            _file: file,
        };
        for d in self.memory.drain() {
            spill.insert(d)?;
        }
        self.memory = HashSet::new();
        self.spill = Some(spill);
        Ok(())
    }
}

impl Spill {
    fn insert(&mut self, digest: u128) -> Result<bool, StoreError> {
        let n = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO seen (hi, lo) VALUES (?1, ?2)")?
            .execute(params![(digest >> 64) as i64, digest as u64 as i64])?;
        self.pending += 1;
        if self.pending >= SPILL_COMMIT_EVERY {
            self.conn.execute_batch("COMMIT; BEGIN;")?;
            self.pending = 0;
        }
        Ok(n == 1)
    }
}

/// Two independent 64-bit SipHash digests: a collision between two distinct
/// keys in one run is about as likely as a hardware fault.
fn digest(kind: RecordType, id: &str) -> u128 {
    let mut a = std::hash::DefaultHasher::new();
    (0u8, kind, id).hash(&mut a);
    let mut b = std::hash::DefaultHasher::new();
    (1u8, id, kind).hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_keys_per_type_across_the_spill() {
        let mut seen = SeenKeys::new(10);
        for i in 0..25 {
            assert!(
                seen.insert(RecordType::Item, &format!("id{i}")).unwrap(),
                "first sight of id{i}"
            );
        }
        assert!(seen.spilled());
        for i in 0..25 {
            assert!(
                !seen.insert(RecordType::Item, &format!("id{i}")).unwrap(),
                "second sight of id{i}"
            );
        }
        // The same id under another record type is a different key.
        assert!(seen.insert(RecordType::Account, "id3").unwrap());
        assert!(!seen.insert(RecordType::Account, "id3").unwrap());
    }

    #[test]
    fn stays_in_memory_below_the_limit() {
        let mut seen = SeenKeys::new(100);
        assert!(seen.insert(RecordType::Item, "a").unwrap());
        assert!(!seen.insert(RecordType::Item, "a").unwrap());
        assert!(!seen.spilled());
    }
}
