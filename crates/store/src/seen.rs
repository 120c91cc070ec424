//! The set of record keys seen in one run, in bounded memory.
//!
//! `scan` must give a second copy of an id in the same input no second
//! verdict line, so it needs the set of keys seen so far. On inputs of many
//! gigabytes that set outgrows memory, so keys are kept as 128-bit digests:
//!
//! - the most recent ones in an exact in-memory buffer;
//! - when the buffer fills, it is sorted and written to a run file in a
//!   temporary directory, and its digests are added to a fixed-size blocked
//!   Bloom filter;
//! - a lookup that misses the buffer asks the Bloom filter, and only on a
//!   "maybe" reads one 4 KiB block of each run (located through in-memory
//!   fence keys) to decide exactly.
//!
//! Memory is therefore the buffer, the fixed Bloom filter and 16 bytes of
//! fences per 256 spilled keys, whatever the input size. Runs are merged when
//! there are too many, so the number of open files stays small. The temporary
//! directory is removed when the set is dropped.

use crate::StoreError;
use qinglang_model::RecordType;
use std::collections::HashSet;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{BufReader, BufWriter, Read, Write};
use std::os::unix::fs::FileExt;

/// Digests kept exactly in memory before a run is written (16 MiB of digests).
pub const DEFAULT_BUFFER_KEYS: usize = 1 << 20;
/// Size of the Bloom filter, allocated at the first spill.
pub const DEFAULT_BLOOM_BYTES: usize = 64 << 20;
/// Runs on disk before they are merged into one.
const DEFAULT_MAX_RUNS: usize = 32;
/// Keys per block of a run file: one 4 KiB read per lookup.
const BLOCK_KEYS: usize = 256;
const KEY_BYTES: usize = 16;

/// Keys seen in this run.
pub struct SeenKeys {
    buffer: HashSet<u128>,
    buffer_limit: usize,
    bloom_bytes: usize,
    max_runs: usize,
    spill: Option<Spill>,
}

struct Spill {
    dir: tempfile::TempDir,
    bloom: BlockedBloom,
    runs: Vec<Run>,
    next_file: u64,
    block: Vec<u8>,
}

/// A sorted file of digests with the first digest of each block in memory.
struct Run {
    file: File,
    fences: Vec<u128>,
    len: usize,
}

impl Default for SeenKeys {
    fn default() -> Self {
        SeenKeys::with_limits(DEFAULT_BUFFER_KEYS, DEFAULT_BLOOM_BYTES, DEFAULT_MAX_RUNS)
    }
}

impl SeenKeys {
    /// A set with the given exact-buffer size (keys), Bloom filter size
    /// (bytes) and number of runs on disk before a merge.
    pub fn with_limits(buffer_keys: usize, bloom_bytes: usize, max_runs: usize) -> Self {
        SeenKeys {
            buffer: HashSet::new(),
            buffer_limit: buffer_keys.max(1),
            bloom_bytes: bloom_bytes.max(64),
            max_runs: max_runs.max(2),
            spill: None,
        }
    }

    /// Whether some keys have been written to disk.
    pub fn spilled(&self) -> bool {
        self.spill.is_some()
    }

    /// Adds a key; returns `true` if it was not there before.
    pub fn insert(&mut self, kind: RecordType, id: &str) -> Result<bool, StoreError> {
        let d = digest(kind, id);
        if self.buffer.contains(&d) {
            return Ok(false);
        }
        if let Some(spill) = &mut self.spill {
            if spill.bloom.may_contain(d) && spill.contains(d)? {
                return Ok(false);
            }
        }
        self.buffer.insert(d);
        if self.buffer.len() >= self.buffer_limit {
            self.flush()?;
        }
        Ok(true)
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if self.spill.is_none() {
            self.spill = Some(Spill {
                dir: tempfile::Builder::new()
                    .prefix("qinglang-seen-")
                    .tempdir()?,
                bloom: BlockedBloom::new(self.bloom_bytes),
                runs: Vec::new(),
                next_file: 0,
                block: vec![0; BLOCK_KEYS * KEY_BYTES],
            });
        }
        let Some(spill) = &mut self.spill else {
            return Ok(());
        };
        let mut keys: Vec<u128> = self.buffer.drain().collect();
        keys.sort_unstable();
        for &k in &keys {
            spill.bloom.insert(k);
        }
        let run = spill.write_run(keys.into_iter())?;
        spill.runs.push(run);
        if spill.runs.len() > self.max_runs {
            spill.merge_all()?;
        }
        Ok(())
    }
}

impl Spill {
    fn contains(&mut self, d: u128) -> Result<bool, StoreError> {
        for run in &self.runs {
            // The block whose first key is the last one <= d.
            let b = run.fences.partition_point(|&f| f <= d);
            if b == 0 {
                continue;
            }
            let block = b - 1;
            let start = block * BLOCK_KEYS;
            let n = (run.len - start).min(BLOCK_KEYS);
            let buf = &mut self.block[..n * KEY_BYTES];
            run.file.read_exact_at(buf, (start * KEY_BYTES) as u64)?;
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                let k = key_at(buf, mid);
                if k == d {
                    return Ok(true);
                }
                if k < d {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
        }
        Ok(false)
    }

    fn write_run(&mut self, keys: impl Iterator<Item = u128>) -> Result<Run, StoreError> {
        let path = self.dir.path().join(format!("run-{}", self.next_file));
        self.next_file += 1;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        let mut fences = Vec::new();
        let mut len = 0;
        for k in keys {
            if len % BLOCK_KEYS == 0 {
                fences.push(k);
            }
            w.write_all(&k.to_le_bytes())?;
            len += 1;
        }
        w.flush()?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        // Unlink now: the open handle keeps the data until it is dropped.
        std::fs::remove_file(&path)?;
        Ok(Run { file, fences, len })
    }

    /// Merges every run into one, streaming (runs are sorted and disjoint).
    fn merge_all(&mut self) -> Result<(), StoreError> {
        let runs = std::mem::take(&mut self.runs);
        let mut readers: Vec<(BufReader<File>, Option<u128>)> = Vec::with_capacity(runs.len());
        for run in runs {
            let mut file = run.file;
            std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(0))?;
            let mut r = BufReader::with_capacity(1 << 16, file);
            let first = next_key(&mut r)?;
            readers.push((r, first));
        }
        let mut err = None;
        let merged = std::iter::from_fn(|| {
            let (i, k) = readers
                .iter()
                .enumerate()
                .filter_map(|(i, (_, k))| k.map(|k| (i, k)))
                .min_by_key(|&(_, k)| k)?;
            match next_key(&mut readers[i].0) {
                Ok(next) => readers[i].1 = next,
                Err(e) => {
                    err = Some(e);
                    return None;
                }
            }
            Some(k)
        });
        let run = self.write_run(merged)?;
        if let Some(e) = err {
            return Err(e);
        }
        self.runs.push(run);
        Ok(())
    }
}

fn key_at(buf: &[u8], i: usize) -> u128 {
    let mut b = [0u8; KEY_BYTES];
    b.copy_from_slice(&buf[i * KEY_BYTES..(i + 1) * KEY_BYTES]);
    u128::from_le_bytes(b)
}

fn next_key(r: &mut BufReader<File>) -> Result<Option<u128>, StoreError> {
    let mut b = [0u8; KEY_BYTES];
    match r.read_exact(&mut b) {
        Ok(()) => Ok(Some(u128::from_le_bytes(b))),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// A Bloom filter whose probes for one key all fall in one 64-byte block,
/// so a lookup costs one cache miss.
struct BlockedBloom {
    words: Vec<u64>,
    blocks: u64,
}

const WORDS_PER_BLOCK: usize = 8;
const PROBES: u32 = 7;

impl BlockedBloom {
    fn new(bytes: usize) -> Self {
        let blocks = (bytes / (WORDS_PER_BLOCK * 8)).max(1);
        BlockedBloom {
            words: vec![0; blocks * WORDS_PER_BLOCK],
            blocks: blocks as u64,
        }
    }

    fn probes(&self, d: u128) -> (usize, u64) {
        let block = ((d >> 64) as u64 % self.blocks) as usize * WORDS_PER_BLOCK;
        (block, d as u64)
    }

    fn insert(&mut self, d: u128) {
        let (block, mut h) = self.probes(d);
        for _ in 0..PROBES {
            let bit = (h & 511) as usize;
            self.words[block + bit / 64] |= 1 << (bit % 64);
            h >>= 9;
        }
    }

    fn may_contain(&self, d: u128) -> bool {
        let (block, mut h) = self.probes(d);
        for _ in 0..PROBES {
            let bit = (h & 511) as usize;
            if self.words[block + bit / 64] & (1 << (bit % 64)) == 0 {
                return false;
            }
            h >>= 9;
        }
        true
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
    fn agrees_with_an_exact_set_across_spills_and_merges() {
        // A tiny buffer, a tiny (so often wrong) Bloom filter and few runs
        // force every path: buffer hits, Bloom false positives, block reads,
        // and several merges.
        let mut seen = SeenKeys::with_limits(7, 64, 3);
        let mut exact = HashSet::new();
        let mut state = 0x1234_5678_9abc_def0u64;
        for _ in 0..5000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let id = format!("k{}", state % 1500);
            let kind = if state % 5 == 0 {
                RecordType::Account
            } else {
                RecordType::Item
            };
            let expected = exact.insert((kind, id.clone()));
            assert_eq!(seen.insert(kind, &id).unwrap(), expected, "{kind} {id}");
        }
        assert!(seen.spilled());
        let runs = seen.spill.as_ref().unwrap().runs.len();
        assert!(runs <= 4, "runs were merged: {runs}");
    }

    #[test]
    fn the_same_id_under_another_type_is_another_key() {
        let mut seen = SeenKeys::with_limits(2, 1024, 4);
        for i in 0..10 {
            assert!(seen.insert(RecordType::Item, &format!("id{i}")).unwrap());
        }
        assert!(seen.insert(RecordType::Account, "id3").unwrap());
        assert!(!seen.insert(RecordType::Account, "id3").unwrap());
        assert!(!seen.insert(RecordType::Item, "id3").unwrap());
    }

    #[test]
    fn stays_in_memory_below_the_limit() {
        let mut seen = SeenKeys::with_limits(100, 1024, 4);
        assert!(seen.insert(RecordType::Item, "a").unwrap());
        assert!(!seen.insert(RecordType::Item, "a").unwrap());
        assert!(!seen.spilled());
    }

    #[test]
    fn bloom_filter_has_no_false_negatives() {
        let mut b = BlockedBloom::new(4096);
        let keys: Vec<u128> = (0..2000u128)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835))
            .collect();
        for &k in &keys {
            b.insert(k);
        }
        assert!(keys.iter().all(|&k| b.may_contain(k)));
    }
}
