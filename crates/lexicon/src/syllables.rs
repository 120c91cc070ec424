//! The syllable index: which pinyin readings end at the latest syllable.
//!
//! Pinyin patterns (one per reading of a term, see `compile.rs`) live in a
//! trie of their syllables read backwards, last syllable first. A scanner
//! keeps the syllables it has read since its last reset and, after each
//! one, asks [`SyllableIndex::may_end`] whether any reading can end there:
//! one probe each for the last two and the last three syllables in a small
//! bit set. The probes do not depend on the previous step, so the processor
//! runs them ahead, unlike the dependent loads of an automaton walk; only on
//! a hit does [`SyllableIndex::each_ending`] walk the trie back from the
//! latest syllable.
//!
//! The main stream's automaton thus stays over characters in syllable mode
//! too. An automaton over syllables (this crate's first design) walked deep
//! much more often than one over characters: about 400 syllables stand for
//! thousands of characters, so far more of a text reads like the start of
//! some term, and the deeper states missed the cache.
//!
//! Invariant: the filter holds the key of every pattern in the trie (or is
//! all ones), so a miss proves that no pattern ends at that syllable.

use crate::automaton::{Automaton, Sequences, FREE, HAS_OUTPUT, NO_OUTPUT};

/// Bits per syllable in a history or key (syllable ids are below 512).
const SYL_BITS: u32 = 9;
const SYL_FIELD: u32 = (1 << SYL_BITS) - 1;
/// A history holds the last three syllables, the latest in the low bits.
const HISTORY_MASK: u32 = (1 << (3 * SYL_BITS)) - 1;
/// The last two syllables of a history.
const PAIR_MASK: u32 = (1 << (2 * SYL_BITS)) - 1;
/// Filter bits per three-syllable key, before rounding up to a power of two.
const BITS_PER_KEY: usize = 32;

/// The last three syllables read since a reset, the latest in the low
/// bits, as [`SyllableIndex`] probes them; 0 after a reset (no syllable is
/// 0).
pub(crate) type History = u32;

/// `history` after reading `syl`.
#[inline(always)]
pub(crate) fn push_history(history: History, syl: u32) -> History {
    (history << SYL_BITS | (syl & SYL_FIELD)) & HISTORY_MASK
}

/// The trie of pinyin patterns, last syllable first, and its filter.
#[derive(Debug, Clone)]
pub(crate) struct SyllableIndex {
    pub(crate) trie: Automaton,
    /// One bit per pair of syllables that ends a pattern of two, or empty
    /// when there is none (2^18 bits, 32 KB).
    pairs: Vec<u64>,
    /// The last three syllables of the longer patterns: two bits of one
    /// word per key, both from one multiplication.
    triples: Vec<u64>,
    /// `64 - log2(triples.len())`.
    shift: u32,
}

impl Default for SyllableIndex {
    fn default() -> Self {
        SyllableIndex::from_trie(Automaton::build_trie(&Sequences::default()))
    }
}

/// A three-syllable key's word (top bits) and two bits in it.
#[inline(always)]
fn triple_hash(key: u32, shift: u32) -> (usize, u64) {
    let h = u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (
        (h >> shift) as usize,
        1 << (h >> 32 & 63) | 1 << (h >> 38 & 63),
    )
}

impl SyllableIndex {
    /// The index of `patterns` (syllable sequences; ids are their indices).
    pub(crate) fn build(patterns: &Sequences) -> SyllableIndex {
        let mut reversed = Sequences::with_capacity(patterns.len(), patterns.data().len());
        for i in 0..patterns.len() {
            reversed.push(patterns.get(i).iter().rev().copied());
        }
        SyllableIndex::from_trie(Automaton::build_trie(&reversed))
    }

    /// The index around a trie built by [`Automaton::build_trie`] from
    /// reversed syllable sequences (as compiled files store it): the filter
    /// is derived from the trie's paths.
    pub(crate) fn from_trie(trie: Automaton) -> SyllableIndex {
        let hot = &trie.hot;
        let live = |t: usize| hot[t].check != FREE;
        // Each slot where a pattern ends: the first three symbols of its
        // path, which are the pattern's last three syllables.
        let mut keys = Vec::new();
        let mut pairs: Vec<u64> = Vec::new();
        let mut all = false;
        let mut path = Vec::new();
        for t in 1..hot.len() {
            if !live(t) || hot[t].check & HAS_OUTPUT == 0 {
                continue;
            }
            path.clear();
            let mut s = t;
            // A well-formed trie reaches the root; a corrupt one is cut off
            // (its patterns may then be missed, never a panic).
            while s != 0 && path.len() <= usize::from(u8::MAX) + 1 {
                let parent = (hot[s].check & !HAS_OUTPUT) as usize;
                if parent >= hot.len() {
                    break;
                }
                path.push((s as u32).wrapping_sub(hot[parent].base));
                s = parent;
            }
            let n = path.len();
            let at = |k: usize| path[n - 1 - k] & SYL_FIELD;
            match n {
                0 => {}
                1 => all = true,
                2 => {
                    if pairs.is_empty() {
                        pairs = vec![0; 1 << (2 * SYL_BITS - 6)];
                    }
                    let pair = (at(1) << SYL_BITS | at(0)) as usize;
                    pairs[pair / 64] |= 1 << (pair % 64);
                }
                _ => keys.push(at(2) << (2 * SYL_BITS) | at(1) << SYL_BITS | at(0)),
            }
        }
        if all {
            // A pattern of one syllable: no filter can help.
            pairs = vec![u64::MAX; 1 << (2 * SYL_BITS - 6)];
        }
        keys.sort_unstable();
        keys.dedup();
        let words = (keys.len() * BITS_PER_KEY / 64).max(2).next_power_of_two();
        let shift = 64 - words.trailing_zeros();
        let mut triples = vec![0; words];
        for &k in &keys {
            let (w, bits) = triple_hash(k, shift);
            triples[w % words] |= bits;
        }
        SyllableIndex {
            trie,
            pairs,
            triples,
            shift,
        }
    }

    /// Might some pattern end with the syllables of `history`? False means
    /// none does.
    #[inline(always)]
    pub(crate) fn may_end(&self, history: History) -> bool {
        let (w, bits) = triple_hash(history, self.shift);
        let word = self.triples.get(w).copied().unwrap_or(u64::MAX);
        if word & bits == bits {
            return true;
        }
        if self.pairs.is_empty() {
            return false;
        }
        let pair = (history & PAIR_MASK) as usize;
        self.pairs
            .get(pair / 64)
            .map_or(true, |w| w >> (pair % 64) & 1 != 0)
    }

    /// Calls `f` with every pattern whose syllables are the last ones read:
    /// `syl(k)` is the `k`-th latest syllable (0 the latest), of `run` read
    /// since the last reset. Shorter patterns come first.
    #[inline]
    pub(crate) fn each_ending(
        &self,
        run: usize,
        syl: impl Fn(usize) -> u32,
        mut f: impl FnMut(u32),
    ) {
        let mut s = 0u32;
        for k in 0..run {
            let Some(t) = self.trie.child(s, syl(k)) else {
                return;
            };
            s = t;
            let mut o = self.trie.out(s);
            while o != NO_OUTPUT {
                let link = self.trie.outputs[o as usize];
                f(link.id);
                o = link.next;
            }
        }
    }

    /// Bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.trie.heap_bytes() + (self.pairs.len() + self.triples.len()) * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(patterns: &[&[u32]]) -> SyllableIndex {
        let mut seqs = Sequences::default();
        for p in patterns {
            seqs.push(p.iter().copied());
        }
        SyllableIndex::build(&seqs)
    }

    /// Patterns ending at each position of `text`, by the index.
    fn found(ix: &SyllableIndex, text: &[u32]) -> Vec<(u32, usize)> {
        let mut out = Vec::new();
        let mut history = 0;
        for (i, &s) in text.iter().enumerate() {
            history = push_history(history, s);
            ix.each_ending(
                i + 1,
                |k| text[i - k],
                |id| {
                    assert!(
                        ix.may_end(history),
                        "a pattern ends where the filter says none does"
                    );
                    out.push((id, i));
                },
            );
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn finds_every_pattern_ending_at_each_syllable_like_a_naive_search() {
        let patterns: Vec<&[u32]> = vec![
            &[1, 2],
            &[2, 3, 4],
            &[5, 1, 2, 3],
            &[511, 2],
            &[3, 4],
            &[7, 7, 7, 7, 7, 7],
            &[1, 2],
        ];
        let ix = index(&patterns);
        let text = [5, 1, 2, 3, 4, 511, 2, 9, 7, 7, 7, 7, 7, 7, 7, 1, 2];
        let naive = crate::automaton::naive_ends(&patterns, &text);
        assert_eq!(found(&ix, &text), naive);
    }

    #[test]
    fn the_filter_rejects_most_histories_that_end_no_pattern() {
        let patterns: Vec<Vec<u32>> = (1..400u32).map(|i| vec![i, (i * 7) % 500 + 1, 3]).collect();
        let refs: Vec<&[u32]> = patterns.iter().map(Vec::as_slice).collect();
        let ix = index(&refs);
        let mut hits = 0;
        let mut probes = 0;
        for a in 1..60u32 {
            for b in 1..60u32 {
                // No pattern ends in 4.
                let h = push_history(push_history(push_history(0, a), b), 4);
                probes += 1;
                hits += usize::from(ix.may_end(h));
            }
        }
        assert!(hits * 8 < probes, "{hits} of {probes}");
    }

    #[test]
    fn the_filter_never_hides_a_reading() {
        let mut rng = crate::perturb::Rng::new(0x005e_ed0f_5111);
        let mut readings: Vec<Vec<u32>> = Vec::new();
        for _ in 0..20_000 {
            let len = 2 + rng.below(5);
            // Syllables 1..=511, the edges included.
            readings.push((0..len).map(|_| 1 + rng.below(511) as u32).collect());
        }
        readings.push(vec![511, 511, 511]);
        readings.push(vec![1, 511]);
        let refs: Vec<&[u32]> = readings.iter().map(Vec::as_slice).collect();
        let built = index(&refs);
        // As a compiled file rebuilds it: from the trie alone.
        let loaded = SyllableIndex::from_trie(built.trie.clone());
        for ix in [&built, &loaded] {
            for (id, r) in readings.iter().enumerate() {
                // A few syllables before the reading, then the reading.
                let lead = rng.below(3);
                let text: Vec<u32> = (0..lead)
                    .map(|_| 1 + rng.below(511) as u32)
                    .chain(r.iter().copied())
                    .collect();
                let history = text.iter().fold(0, |h, &s| push_history(h, s));
                assert!(ix.may_end(history), "reading {id} {r:?} hidden");
                let mut seen = false;
                let last = text.len() - 1;
                ix.each_ending(
                    text.len(),
                    |k| text[last - k],
                    |q| {
                        seen |= q as usize == id;
                    },
                );
                assert!(seen, "reading {id} {r:?} not found");
            }
        }
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let ix = SyllableIndex::default();
        assert!(!ix.may_end(push_history(push_history(0, 1), 2)));
        assert_eq!(found(&ix, &[1, 2, 3]), vec![]);
    }
}
