//! Feature extraction: hashed character n-grams, ASCII words, Chinese words
//! from the segmenter ([`crate::segment`]) and lexicon hits
//! ([`crate::lexfeat`]), weighted with sublinear TF-IDF and L2-normalised.
//!
//! Input is the shared normalised text (NFKC, lower case), so training and
//! prediction see the same form. Each feature is hashed into one of
//! `2^bucket_bits` buckets; a bucket's IDF is stored with the model, and a
//! bucket with IDF 0 (unseen, or rarer than `min_df` in training) is ignored
//! entirely, as an out-of-vocabulary term is by a TF-IDF vectoriser. Each
//! feature family hashes with its own seed into the same buckets.
//! Extraction reuses a [`FeatureScratch`] and does not allocate once warm.

use crate::lexfeat::{default_lexicon_features, LexScratch};
use crate::segment::{default_segmenter, is_han_u32, SegmentScratch};
use serde::{Deserialize, Serialize};

/// How a text is turned into hashed features. Stored in the model file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureConfig {
    /// Shortest character n-gram (at least 1).
    pub char_min: u8,
    /// Longest character n-gram (at most 8).
    pub char_max: u8,
    /// Whether maximal runs of ASCII letters and digits are also features.
    pub ascii_words: bool,
    /// The number of hash buckets is `2^bucket_bits` (10..=24).
    pub bucket_bits: u8,
    /// Buckets seen in fewer training texts than this get IDF 0 and are ignored.
    pub min_df: u32,
    /// Whether each run of Han characters is also cut into words by the
    /// built-in segmenter and every word of two or more characters is a
    /// feature. Absent (false) in format version 1 files.
    #[serde(default)]
    pub han_words: bool,
    /// Whether hits of the built-in lexicon pack are features (rule id,
    /// category, evaded category). Absent (false) in format version 1 files.
    #[serde(default)]
    pub lexicon_hits: bool,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            char_min: 1,
            char_max: 3,
            ascii_words: true,
            bucket_bits: 20,
            min_df: 2,
            han_words: true,
            lexicon_hits: false,
        }
    }
}

impl FeatureConfig {
    /// Checks the ranges documented on each field.
    pub fn validate(&self) -> Result<(), String> {
        if self.char_min == 0 || self.char_min > self.char_max || self.char_max > 8 {
            return Err(format!(
                "character n-gram range {}..={} must satisfy 1 <= min <= max <= 8",
                self.char_min, self.char_max
            ));
        }
        if !(10..=24).contains(&self.bucket_bits) {
            return Err(format!(
                "bucket_bits {} must be in 10..=24",
                self.bucket_bits
            ));
        }
        Ok(())
    }

    /// The number of hash buckets.
    pub fn buckets(&self) -> usize {
        1usize << self.bucket_bits
    }
}

/// Marks the start and end of a text, so that n-grams at the edges differ
/// from the same characters in the middle.
const TEXT_START: u32 = 0x02;
const TEXT_END: u32 = 0x03;
const CHAR_SEED: u64 = 0x9e37_79b9_7f4a_7c15;
const WORD_SEED: u64 = 0xc2b2_ae3d_27d4_eb4f;
const HAN_WORD_SEED: u64 = 0x1656_67b1_9e37_79f9;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
pub(crate) fn step(h: u64, c: u32) -> u64 {
    (h ^ u64::from(c)).wrapping_mul(FNV_PRIME)
}

/// Maps a hash to a bucket: one multiply-xorshift so that FNV's weak low
/// bits still reach the top bits that pick the bucket.
#[inline]
pub(crate) fn finish(h: u64) -> u64 {
    (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

/// Reusable buffers for [`FeatureScratch::extract`].
#[derive(Debug, Default, Clone)]
pub struct FeatureScratch {
    chars: Vec<u32>,
    ids: Vec<u32>,
    /// Open-addressing slots: (bucket + 1, index into `counts`); key 0 is empty.
    slots: Vec<(u32, u32)>,
    /// The distinct buckets of the last text and how often each occurred, in first-seen order.
    counts: Vec<(u32, u32)>,
    segment: SegmentScratch,
    lexicon: LexScratch,
}

impl FeatureScratch {
    /// Hashes `text` into buckets; the distinct buckets and their counts are
    /// then available from [`FeatureScratch::counts`].
    pub fn extract(&mut self, config: &FeatureConfig, text: &str) {
        let shift = 64 - u32::from(config.bucket_bits);
        self.chars.clear();
        self.ids.clear();
        self.counts.clear();
        self.chars.push(TEXT_START);
        // Runs of white space are one space: layout is not signal. Runs of
        // ASCII letters and digits are also hashed as words in the same pass.
        let mut last_space = false;
        let mut word = WORD_SEED;
        let mut in_word = false;
        for c in text.chars() {
            let space = c.is_whitespace();
            if !(space && last_space) {
                self.chars
                    .push(if space { u32::from(' ') } else { u32::from(c) });
            }
            last_space = space;
            if config.ascii_words {
                if c.is_ascii_alphanumeric() {
                    word = step(word, u32::from(c));
                    in_word = true;
                } else if in_word {
                    self.ids.push((finish(word) >> shift) as u32);
                    word = WORD_SEED;
                    in_word = false;
                }
            }
        }
        if in_word {
            self.ids.push((finish(word) >> shift) as u32);
        }
        self.chars.push(TEXT_END);
        if config.han_words {
            self.han_words(shift);
        }
        if config.lexicon_hits {
            if let Some(lex) = default_lexicon_features() {
                let ids = &mut self.ids;
                lex.hits(text, &mut self.lexicon, |h| ids.push((h >> shift) as u32));
            }
        }
        let (lo, hi) = (usize::from(config.char_min), usize::from(config.char_max));
        let n = self.chars.len();
        for start in 0..n {
            let mut h = CHAR_SEED;
            for (len, &c) in self.chars[start..n.min(start + hi)].iter().enumerate() {
                h = step(h, c);
                if len + 1 >= lo {
                    // A lone edge marker carries no information.
                    if len == 0 && (c == TEXT_START || c == TEXT_END) {
                        continue;
                    }
                    self.ids.push((finish(h) >> shift) as u32);
                }
            }
        }
        self.count_distinct();
    }

    /// Segments every run of Han characters in `chars` and adds a bucket per
    /// word of two or more characters (single characters are already the
    /// character unigrams).
    fn han_words(&mut self, shift: u32) {
        let segmenter = default_segmenter();
        let chars = &self.chars;
        let mut start = 0;
        while start < chars.len() {
            if !is_han_u32(chars[start]) {
                start += 1;
                continue;
            }
            let end = chars[start..]
                .iter()
                .position(|&c| !is_han_u32(c))
                .map_or(chars.len(), |p| start + p);
            let run = &chars[start..end];
            let ids = &mut self.ids;
            segmenter.segment_run(run, &mut self.segment, |s, len| {
                if len >= 2 {
                    let h = run[s..s + len]
                        .iter()
                        .fold(HAN_WORD_SEED, |h, &c| step(h, c));
                    ids.push((finish(h) >> shift) as u32);
                }
            });
            start = end;
        }
    }

    /// Counts repeated buckets with a small open-addressing table sized to
    /// the text (cheaper than sorting a few hundred ids).
    fn count_distinct(&mut self) {
        let size = (self.ids.len() * 2).next_power_of_two().max(16);
        let mask = size - 1;
        self.slots.clear();
        self.slots.resize(size, (0, 0));
        for &id in &self.ids {
            // Bucket ids are already well-mixed hash bits: their low bits pick the slot.
            let mut at = id as usize & mask;
            let key = id + 1;
            loop {
                let (k, index) = self.slots[at];
                if k == key {
                    self.counts[index as usize].1 += 1;
                    break;
                }
                if k == 0 {
                    self.slots[at] = (key, self.counts.len() as u32);
                    self.counts.push((id, 1));
                    break;
                }
                at = (at + 1) & mask;
            }
        }
    }

    /// The distinct buckets of the last extracted text with their counts, in first-seen order.
    pub fn counts(&self) -> &[(u32, u32)] {
        &self.counts
    }
}

/// Sublinear term frequency: `1 + ln(count)`.
#[inline]
pub fn sublinear_tf(count: u32) -> f32 {
    if count <= 1 {
        1.0
    } else {
        1.0 + (count as f32).ln()
    }
}

/// Smoothed IDF as in common TF-IDF vectorisers: `ln((1 + n) / (1 + df)) + 1`,
/// or 0 when `df < min_df` so that the bucket is ignored.
pub fn idf(df: u32, n_docs: usize, min_df: u32) -> f32 {
    if df == 0 || df < min_df {
        0.0
    } else {
        ((1.0 + n_docs as f64) / (1.0 + f64::from(df))).ln() as f32 + 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buckets(config: &FeatureConfig, text: &str) -> Vec<(u32, u32)> {
        let mut s = FeatureScratch::default();
        s.extract(config, text);
        s.counts().to_vec()
    }

    #[test]
    fn counts_char_ngrams_and_words() {
        let config = FeatureConfig {
            char_min: 1,
            char_max: 2,
            ascii_words: false,
            bucket_bits: 20,
            min_df: 1,
            han_words: false,
            lexicon_hits: false,
        };
        // "ab": a, b, ^a, ab, b$ (edge markers alone are skipped).
        let total: u32 = buckets(&config, "ab").iter().map(|&(_, c)| c).sum();
        assert_eq!(total, 5);
        // "aa": a twice, ^a, aa, a$.
        let mut counts = buckets(&config, "aa");
        counts.sort_unstable();
        assert_eq!(counts.iter().map(|&(_, c)| c).sum::<u32>(), 5);
        assert!(counts.iter().any(|&(_, c)| c == 2));
        let words = FeatureConfig {
            ascii_words: true,
            ..config
        };
        let total: u32 = buckets(&words, "hi 你 yo").iter().map(|&(_, c)| c).sum();
        let chars_only: u32 = buckets(&config, "hi 你 yo").iter().map(|&(_, c)| c).sum();
        assert_eq!(total, chars_only + 2);
    }

    #[test]
    fn white_space_runs_fold_and_empty_text_is_fine() {
        let config = FeatureConfig::default();
        let (mut x, mut y) = (buckets(&config, "a  \n b"), buckets(&config, "a b"));
        x.sort_unstable();
        y.sort_unstable();
        assert_eq!(x, y);
        // Only the n-grams of the two edge markers remain.
        assert_eq!(buckets(&config, "").len(), 1);
    }

    fn total(config: &FeatureConfig, text: &str) -> u32 {
        buckets(config, text).iter().map(|&(_, c)| c).sum()
    }

    #[test]
    fn han_words_add_one_feature_per_word_of_two_or_more_characters() {
        let chars = FeatureConfig {
            han_words: false,
            ..FeatureConfig::default()
        };
        let words = FeatureConfig {
            han_words: true,
            ..chars.clone()
        };
        // 我们 | 今天 | 去 | 北京大学: three words of two or more characters.
        let text = "我们今天去北京大学";
        assert_eq!(total(&words, text), total(&chars, text) + 3);
        // Runs are segmented separately; Latin, digits and symbols add no Han words.
        assert_eq!(
            total(&words, "我们abc今天"),
            total(&chars, "我们abc今天") + 2
        );
        for text in ["", "hello world 123", "😀😀 !!", "\u{0}\u{feff}"] {
            assert_eq!(total(&words, text), total(&chars, text), "{text:?}");
        }
        // A word's bucket does not depend on what surrounds it.
        let alone: std::collections::HashSet<u32> = buckets(&words, "北京大学")
            .iter()
            .map(|&(b, _)| b)
            .collect();
        let inside: std::collections::HashSet<u32> = buckets(&words, "我们去北京大学了")
            .iter()
            .map(|&(b, _)| b)
            .collect();
        let word_buckets: Vec<_> = alone
            .difference(
                &buckets(&chars, "北京大学")
                    .iter()
                    .map(|&(b, _)| b)
                    .collect(),
            )
            .copied()
            .collect();
        assert_eq!(word_buckets.len(), 1);
        assert!(inside.contains(&word_buckets[0]));
    }

    #[test]
    fn lexicon_hits_add_rule_and_category_features() {
        let plain = FeatureConfig {
            han_words: false,
            lexicon_hits: false,
            ..FeatureConfig::default()
        };
        let lex = FeatureConfig {
            lexicon_hits: true,
            ..plain.clone()
        };
        let text = "加我带你玩百家乐";
        assert_eq!(total(&lex, text), total(&plain, text) + 2);
        assert_eq!(total(&lex, "今天天气很好"), total(&plain, "今天天气很好"));
    }

    #[test]
    fn huge_and_hostile_texts_are_handled() {
        let all = FeatureConfig {
            han_words: true,
            lexicon_hits: true,
            ..FeatureConfig::default()
        };
        let mut s = FeatureScratch::default();
        let huge = "我们今天去北京大学看看，百家乐".repeat(20_000);
        s.extract(&all, &huge);
        assert!(s.counts().len() > 10);
        let sum: u64 = s.counts().iter().map(|&(_, c)| u64::from(c)).sum();
        assert!(sum > huge.chars().count() as u64 * 3);
        for text in ["", "\u{0}", "\u{10ffff}\u{e000}", "㐀𠀀𪜀"] {
            s.extract(&all, text);
            assert!(s
                .counts()
                .iter()
                .all(|&(b, _)| (b as usize) < all.buckets()));
        }
        // The scratch is reused: the same text gives the same buckets after others.
        s.extract(&all, "我们去北京");
        let first = s.counts().to_vec();
        s.extract(&all, &huge);
        s.extract(&all, "我们去北京");
        assert_eq!(s.counts(), first.as_slice());
    }

    #[test]
    fn idf_ignores_rare_buckets() {
        assert_eq!(idf(1, 100, 2), 0.0);
        assert_eq!(idf(0, 100, 1), 0.0);
        assert!((idf(100, 100, 2) - 1.0).abs() < 0.01);
        assert!(idf(2, 100, 2) > idf(50, 100, 2));
    }
}
