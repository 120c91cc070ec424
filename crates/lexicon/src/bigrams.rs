//! Common Han bigrams: the evidence that a homophone match is chance.
//!
//! A text that reads like a term but is written with other characters of the
//! same sound is either an evasion (堵博 for 赌博) or ordinary language that
//! happens to sound alike (小气 for 笑气, 要是 for 要什). Ordinary language is
//! made of common character pairs; evasions mostly are not. The table holds
//! the adjacent Han pairs seen in at least two texts of the COLD training
//! split (Apache-2.0; counts only, derived by the `derive_bigrams` example),
//! as sorted keys from [`bigram_key`], stored as the gaps between
//! successive keys in LEB128 varints (about 100 KB; see [`encode_keys`]).
//!
//! On first use the keys are decoded and put in an open-addressing hash set
//! for lookups. Invariant: the table holds only keys [`bigram_key`] can
//! produce, which never equal the set's empty marker, so a probe that
//! reaches an empty cell proves the pair is not in the table.

use std::sync::OnceLock;

const RAW: &[u8] = include_bytes!("../data/han_bigrams.bin");

/// First and last characters a bigram key can hold (the CJK Unified Ideographs block).
const FIRST: u32 = 0x4E00;
const LAST: u32 = 0x9FFF;

/// Encodes sorted keys as LEB128 varints of the gaps between them (the
/// first gap is from 0): the format of `data/han_bigrams.bin`.
pub fn encode_keys(keys: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(keys.len() * 2);
    let mut prev = 0u32;
    for &k in keys {
        let mut gap = k.wrapping_sub(prev);
        prev = k;
        loop {
            let byte = (gap & 0x7F) as u8;
            gap >>= 7;
            if gap == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
    }
    out
}

/// Decodes [`encode_keys`] output; a truncated last varint is dropped.
fn decode_keys(bytes: &[u8]) -> Vec<u32> {
    let mut keys = Vec::with_capacity(bytes.len() / 2);
    let (mut prev, mut gap, mut shift) = (0u32, 0u32, 0u32);
    for &b in bytes {
        gap |= u32::from(b & 0x7F).checked_shl(shift).unwrap_or(0);
        if b & 0x80 == 0 {
            prev = prev.wrapping_add(gap);
            keys.push(prev);
            (gap, shift) = (0, 0);
        } else {
            shift += 7;
        }
    }
    keys
}

/// The key of a pair of Han characters of the CJK Unified Ideographs block
/// (15 bits each), or `None` for any other pair.
pub fn bigram_key(a: char, b: char) -> Option<u32> {
    let (a, b) = (a as u32, b as u32);
    ((FIRST..=LAST).contains(&a) && (FIRST..=LAST).contains(&b))
        .then(|| (a - FIRST) << 15 | (b - FIRST))
}

/// The sorted keys, and the same keys in an open-addressing hash set (at
/// most two thirds full, [`EMPTY`] in free cells) for lookups.
struct Table {
    keys: Vec<u32>,
    set: Vec<u32>,
    /// `32 - log2(set.len())`: the hash's top bits index the set.
    shift: u32,
}

/// A free cell of the hash set (no key has its top bits set).
const EMPTY: u32 = u32::MAX;

/// Multiplicative hashing: the top bits of `k * φ·2^32` index the set.
#[inline]
fn slot(k: u32, shift: u32) -> usize {
    (k.wrapping_mul(0x9E37_79B1) >> shift) as usize
}

fn index() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let keys = decode_keys(RAW);
        // At most two thirds full: 68,809 keys take 2^17 cells (512 KB),
        // half the L2 cache less than twice as many would.
        let bits = (keys.len() * 3 / 2)
            .max(2)
            .next_power_of_two()
            .trailing_zeros();
        let shift = 32 - bits;
        let mut set = vec![EMPTY; 1 << bits];
        for &k in &keys {
            let mut i = slot(k, shift);
            while set[i] != EMPTY {
                i = (i + 1) & (set.len() - 1);
            }
            set[i] = k;
        }
        Table { keys, set, shift }
    })
}

fn table() -> &'static [u32] {
    &index().keys
}

/// Is `a` followed by `b` a common pair in ordinary Chinese text? Both
/// characters must already be folded (simplified, normal width).
pub fn is_common_bigram(a: char, b: char) -> bool {
    let Some(k) = bigram_key(a, b) else {
        return false;
    };
    let t = index();
    let mask = t.set.len() - 1;
    let mut i = slot(k, t.shift);
    loop {
        match t.set[i] {
            x if x == k => return true,
            EMPTY => return false,
            _ => i = (i + 1) & mask,
        }
    }
}

/// How many common pairs `c` takes part in, on either side: a rough
/// measure of how common the character itself is (0 outside the block).
pub(crate) fn pair_count(c: char) -> usize {
    static COUNTS: OnceLock<Vec<u16>> = OnceLock::new();
    let counts = COUNTS.get_or_init(|| {
        let mut v = vec![0u16; (LAST - FIRST + 1) as usize];
        for &k in table() {
            for i in [k >> 15, k & 0x7FFF] {
                if let Some(n) = v.get_mut(i as usize) {
                    *n = n.saturating_add(1);
                }
            }
        }
        v
    });
    (c as u32)
        .checked_sub(FIRST)
        .and_then(|i| counts.get(i as usize))
        .map_or(0, |&n| usize::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_knows_everyday_pairs() {
        let t = table();
        assert!(t.len() > 1000, "{}", t.len());
        assert!(t.windows(2).all(|w| w[0] < w[1]));
        for (a, b) in [('我', '们'), ('小', '气'), ('不', '同'), ('要', '是')] {
            assert!(is_common_bigram(a, b), "{a}{b}");
        }
        for (a, b) in [('堵', '博'), ('a', 'b'), ('𠀀', '我')] {
            assert!(!is_common_bigram(a, b), "{a}{b}");
        }
    }

    #[test]
    fn the_hash_set_agrees_with_the_sorted_keys() {
        let keys = table();
        let pair = |k: u32| {
            let a = char::from_u32(FIRST + (k >> 15)).unwrap();
            let b = char::from_u32(FIRST + (k & 0x7FFF)).unwrap();
            (a, b)
        };
        for &k in keys {
            let (a, b) = pair(k);
            assert!(is_common_bigram(a, b), "{a}{b}");
        }
        // Pairs near known ones and far from them.
        let mut x = 12_345u32;
        for _ in 0..200_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let k = ((x >> 1) % ((LAST - FIRST + 1) << 15)) & !0x8000;
            let (a, b) = pair(k);
            assert_eq!(
                is_common_bigram(a, b),
                keys.binary_search(&k).is_ok(),
                "{a}{b}"
            );
        }
    }

    #[test]
    fn keys_round_trip_through_the_varint_format() {
        let keys = [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 29, (1 << 30) - 1];
        let bytes = encode_keys(&keys);
        // Gaps 0, 1, 126, 1 take a byte each; 172 and 16,083 two; 1 one;
        // the two gaps near 2^29 five each.
        assert_eq!(bytes.len(), 4 + 2 + 2 + 1 + 5 + 5);
        assert_eq!(decode_keys(&bytes), keys);
    }
}
