//! Chinese word segmentation for the word features.
//!
//! The model is jieba's without its HMM: every run of Han characters is cut
//! into the sequence of dictionary words (single characters always allowed)
//! whose product of word probabilities is the largest. The dictionary,
//! `data/words.txt`, is derived from jieba's by `examples/derive_words.rs`
//! (MIT; see THIRD_PARTY.md): Han words of one to [`MAX_WORD_CHARS`]
//! characters with frequency 10 or more, folded like all text here.
//!
//! Why not call the `jieba-rs` crate: measured on COLD dev (6,431 normalised
//! texts, one process, release build, two runs under different load),
//! `Jieba::cut(text, false)` took 1.7-2.9 µs per text, more than the whole
//! previous prediction (features, weights, calibration: 1.1-1.3 µs), and it
//! returns a fresh vector of tokens per call; `qinglang classify` would have
//! dropped towards its 200,000 texts/s floor on this shared machine. Its
//! current release also needs a newer compiler than this workspace's
//! minimum. A daachorse automaton over the same words segmented in 1.1 µs
//! (72 k words) to 2.1 µs (337 k words), but building it took 0.35-2.1 s,
//! paid by every process that loads a model. This module adds about 1.1 µs
//! per text inside feature extraction, allocation-free once warm, and builds
//! its table in about 14 ms: the words sit in one flat open-addressing
//! table of 8-byte slots keyed by a 64-bit hash of the characters, whose
//! slots also say whether longer words start there, so the search from a
//! position stops at the first miss; single characters are a dense array
//! that stays in cache, and the two-character probes of a run are
//! prefetched together before the dynamic programme reads them.

use crate::features::{finish, step};
use std::sync::OnceLock;

/// The longest dictionary word, in characters.
pub const MAX_WORD_CHARS: usize = 4;

/// The embedded dictionary (`# total N` first, then `word frequency` lines).
pub const DEFAULT_WORDS: &str = include_str!("../data/words.txt");

const DICT_SEED: u64 = 0x5bd1_e995_2f1c_3a77;
/// Log-probabilities are stored in units of 1/1024 nat.
const SCORE_UNIT: f64 = 1024.0;
const IS_WORD: u16 = 1;
const IS_PREFIX: u16 = 2;

/// Is `c` a Han character (CJK unified ideographs, extension A, or the
/// supplementary ideographic planes)?
#[inline]
pub fn is_han(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0x2_0000..=0x3_134f)
}

#[inline]
pub(crate) fn is_han_u32(c: u32) -> bool {
    matches!(c, 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0x2_0000..=0x3_134f)
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// Low hash bits with the lowest bit set; 0 marks an empty slot.
    key: u32,
    score: i16,
    flags: u16,
}

/// A word dictionary ready to segment; see the module documentation.
#[derive(Debug, Clone)]
pub struct Segmenter {
    /// Per character of the main CJK block (U+4E00..=U+9FFF): its score as a
    /// single-character word (the unknown score if it is none), with the lowest
    /// bit set when longer words start with it. Dense, so that the most
    /// frequent look-up stays in the first-level cache.
    singles: Box<[i16]>,
    slots: Box<[Slot]>,
    shift: u32,
    /// Score of a single character that is not in the dictionary.
    unknown: i16,
    words: usize,
    id: String,
}

/// Reusable buffer for [`Segmenter::segment_run`].
#[derive(Debug, Default, Clone)]
pub struct SegmentScratch {
    /// Per position: best score of the text up to it (wide enough for runs
    /// of any length), and where its last word starts.
    best: Vec<(i64, usize)>,
    /// Per position: the hash of the two characters from it, or 0 when no word starts there.
    pairs: Vec<u64>,
}

const MAIN_BLOCK: std::ops::RangeInclusive<u32> = 0x4e00..=0x9fff;

impl Segmenter {
    /// Reads a dictionary in the format of `data/words.txt`: a first line
    /// `# total N` (the frequency sum the probabilities are relative to), then
    /// one `word frequency` per line. Words must be 1 to [`MAX_WORD_CHARS`]
    /// Han characters.
    pub fn from_text(text: &str) -> Result<Segmenter, String> {
        let mut lines = text.lines();
        let total: f64 = lines
            .next()
            .and_then(|l| l.strip_prefix("# total "))
            .and_then(|n| n.trim().parse::<u64>().ok())
            .filter(|&n| n > 0)
            .ok_or("the first line must be `# total N` with N > 0")?
            as f64;
        let score = |freq: f64| -> i16 {
            ((freq / total).ln() * SCORE_UNIT)
                .round()
                .clamp(-32767.0, 0.0) as i16
        };
        // (hash, score, flags) of every word and every proper prefix of one.
        let mut entries: std::collections::HashMap<u64, (i16, u16)> = Default::default();
        let mut chars = Vec::with_capacity(MAX_WORD_CHARS);
        let mut words = 0usize;
        for (n, line) in lines.enumerate() {
            let bad = |m: &str| format!("line {}: {m}: {line:?}", n + 2);
            let (word, freq) = line.rsplit_once(' ').ok_or_else(|| bad("no frequency"))?;
            let freq: u64 = freq.parse().map_err(|_| bad("bad frequency"))?;
            chars.clear();
            chars.extend(word.chars().map(u32::from));
            if chars.is_empty()
                || chars.len() > MAX_WORD_CHARS
                || !chars.iter().all(|&c| is_han_u32(c))
                || freq == 0
            {
                return Err(bad(
                    "a word is 1-4 Han characters with a positive frequency",
                ));
            }
            let mut h = DICT_SEED;
            for (i, &c) in chars.iter().enumerate() {
                h = step(h, c);
                let e = entries.entry(finish(h)).or_insert((0, 0));
                if i + 1 == chars.len() {
                    e.0 = score(freq as f64);
                    e.1 |= IS_WORD;
                } else {
                    e.1 |= IS_PREFIX;
                }
            }
            words += 1;
        }
        let size = (entries.len() * 3 / 2).next_power_of_two().max(1024);
        let shift = 64 - size.trailing_zeros();
        let mut slots = vec![Slot::default(); size].into_boxed_slice();
        let mask = size - 1;
        let mut sorted: Vec<_> = entries.into_iter().collect();
        // Insertion order fixes the probe sequences: make it independent of the map.
        sorted.sort_unstable_by_key(|e| e.0);
        for (h, (score, flags)) in sorted {
            let key = h as u32 | 1;
            let mut at = (h >> shift) as usize;
            while slots[at].key != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = Slot { key, score, flags };
        }
        let unknown = score(1.0);
        let mut singles = vec![unknown & !1; MAIN_BLOCK.count()].into_boxed_slice();
        let mut this = Segmenter {
            singles: Box::default(),
            slots,
            shift,
            unknown,
            words,
            id: String::new(),
        };
        for (i, c) in MAIN_BLOCK.enumerate() {
            if let Some(slot) = this.lookup(finish(step(DICT_SEED, c))) {
                let base = if slot.flags & IS_WORD != 0 {
                    slot.score
                } else {
                    unknown
                };
                singles[i] = (base & !1) | i16::from(slot.flags & IS_PREFIX != 0);
            }
        }
        this.singles = singles;
        this.id = format!(
            "words:{words}:{:016x}",
            text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            })
        );
        Ok(this)
    }

    /// The number of dictionary words.
    pub fn word_count(&self) -> usize {
        self.words
    }

    /// Names this dictionary (word count and a hash of its text); stored with
    /// heads trained on it so that a changed dictionary can be reported.
    pub fn id(&self) -> &str {
        &self.id
    }

    #[inline]
    fn lookup(&self, h: u64) -> Option<Slot> {
        let key = h as u32 | 1;
        let mask = self.slots.len() - 1;
        let mut at = (h >> self.shift) as usize;
        loop {
            let slot = self.slots[at];
            if slot.key == key {
                return Some(slot);
            }
            if slot.key == 0 {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// A character's score as a one-character word and whether longer words start with it.
    #[inline]
    fn single(&self, c: u32) -> (i16, bool) {
        if let Some(&v) = self
            .singles
            .get(c.wrapping_sub(*MAIN_BLOCK.start()) as usize)
        {
            return (v & !1, v & 1 != 0);
        }
        match self.lookup(finish(step(DICT_SEED, c))) {
            Some(slot) => (
                if slot.flags & IS_WORD != 0 {
                    slot.score
                } else {
                    self.unknown
                },
                slot.flags & IS_PREFIX != 0,
            ),
            None => (self.unknown, false),
        }
    }

    /// Segments `run` (characters as code points, all Han; see [`is_han`]) and
    /// calls `word(start, len)` for each word of the best segmentation, from
    /// the last to the first.
    pub fn segment_run(
        &self,
        run: &[u32],
        scratch: &mut SegmentScratch,
        mut word: impl FnMut(usize, usize),
    ) {
        let n = run.len();
        if n == 0 {
            return;
        }
        let SegmentScratch { best, pairs } = scratch;
        // First pass: the two-character hash at every position where a word
        // may start, with its slot requested early so that the cache misses
        // of the whole run overlap instead of queueing.
        pairs.clear();
        pairs.resize(n, 0);
        for s in 0..n - 1 {
            if self.single(run[s]).1 {
                let h = step(step(DICT_SEED, run[s]), run[s + 1]);
                pairs[s] = h;
                self.prefetch(finish(h));
            }
        }
        best.clear();
        best.resize(n + 1, (i64::MIN, 0));
        best[0] = (0, 0);
        for s in 0..n {
            let base = best[s].0;
            let cand = base + i64::from(self.single(run[s]).0);
            if cand > best[s + 1].0 {
                best[s + 1] = (cand, s);
            }
            let mut h = pairs[s];
            if h == 0 {
                continue;
            }
            for len in 2..=MAX_WORD_CHARS.min(n - s) {
                if len > 2 {
                    h = step(h, run[s + len - 1]);
                }
                let Some(slot) = self.lookup(finish(h)) else {
                    break;
                };
                if slot.flags & IS_WORD != 0 {
                    let cand = base + i64::from(slot.score);
                    if cand > best[s + len].0 {
                        best[s + len] = (cand, s);
                    }
                }
                if slot.flags & IS_PREFIX == 0 {
                    break;
                }
            }
        }
        let mut end = n;
        while end > 0 {
            let start = best[end].1;
            word(start, end - start);
            end = start;
        }
    }

    #[inline]
    fn prefetch(&self, h: u64) {
        #[cfg(target_arch = "x86_64")]
        if let Some(slot) = self.slots.get((h >> self.shift) as usize) {
            // SAFETY: a prefetch is only a hint; the pointer comes from a valid reference.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    (slot as *const Slot).cast(),
                )
            };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = h;
    }

    /// The words of `text`, in order: each run of Han characters segmented,
    /// every other character left out. For inspection and tests; feature
    /// extraction uses [`Segmenter::segment_run`] directly.
    pub fn segment<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut scratch = SegmentScratch::default();
        let mut run: Vec<u32> = Vec::new();
        let mut offsets: Vec<usize> = Vec::new();
        let mut flush = |run: &mut Vec<u32>, offsets: &mut Vec<usize>, end: usize| {
            let mut words = Vec::new();
            offsets.push(end);
            self.segment_run(run, &mut scratch, |s, len| {
                words.push(&text[offsets[s]..offsets[s + len]])
            });
            out.extend(words.into_iter().rev());
            run.clear();
            offsets.clear();
        };
        for (i, c) in text.char_indices() {
            if is_han(c) {
                run.push(u32::from(c));
                offsets.push(i);
            } else if !run.is_empty() {
                flush(&mut run, &mut offsets, i);
            }
        }
        if !run.is_empty() {
            flush(&mut run, &mut offsets, text.len());
        }
        out
    }
}

/// The segmenter over the embedded dictionary, built on first use (a few
/// milliseconds).
pub fn default_segmenter() -> &'static Segmenter {
    static SEGMENTER: OnceLock<Segmenter> = OnceLock::new();
    SEGMENTER.get_or_init(|| {
        Segmenter::from_text(DEFAULT_WORDS).expect("the embedded dictionary is valid (tested)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Segmenter {
        Segmenter::from_text(
            "# total 1000\n我 50\n们 5\n我们 40\n喜欢 20\n喜 2\n欢 2\n北京 30\n北京大学 10\n大学 25\n大 30\n学 20\n生 10\n学生 30\n大学生 15\n",
        )
        .unwrap()
    }

    #[test]
    fn picks_the_most_probable_words() {
        let s = tiny();
        assert_eq!(s.word_count(), 14);
        assert_eq!(s.segment("我们喜欢北京大学"), ["我们", "喜欢", "北京大学"]);
        // 大学生 (15/1000) beats 大学 + 生 (25/1000 * 10/1000).
        assert_eq!(s.segment("大学生"), ["大学生"]);
        // Unknown characters stand alone; non-Han text splits runs and is left out.
        assert_eq!(s.segment("我们abc喜欢。猫狗"), ["我们", "喜欢", "猫", "狗"]);
    }

    #[test]
    fn hostile_input_is_fine() {
        let s = tiny();
        assert!(s.segment("").is_empty());
        assert!(s.segment("abc 123 😀\u{0}\u{feff}").is_empty());
        // A long run: linear time, every character covered exactly once.
        let long = "我们喜欢北京大学生".repeat(20_000);
        let words = s.segment(&long);
        assert_eq!(words.concat(), long);
        // A long run of characters outside the dictionary: the scores of a
        // run of any length must not overflow.
        let rare = "㐀".repeat(300_000);
        assert_eq!(s.segment(&rare).len(), 300_000);
        let mut scratch = SegmentScratch::default();
        let mut count = 0;
        s.segment_run(&[], &mut scratch, |_, _| count += 1);
        assert_eq!(count, 0);
    }

    #[test]
    fn bad_dictionaries_are_rejected() {
        for text in [
            "",
            "我们 3\n",
            "# total 0\n",
            "# total 10\n我们\n",
            "# total 10\n我们 x\n",
            "# total 10\n我们 0\n",
            "# total 10\nabc 3\n",
            "# total 10\n一二三四五 3\n",
        ] {
            assert!(Segmenter::from_text(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn default_dictionary_loads_and_segments_common_text() {
        let s = default_segmenter();
        assert!(s.word_count() > 50_000, "{}", s.word_count());
        assert_eq!(
            s.segment("我们今天去北京大学看看"),
            ["我们", "今天", "去", "北京大学", "看看"]
        );
        // The fold happened when the dictionary was derived: simplified forms only.
        assert_eq!(s.segment("中华人民共和国"), ["中华", "人民", "共和国"]);
    }
}
