//! Evasion test-suite generator: perturbs lexicon terms the way evaders do.
//!
//! Each [`Strategy`] rewrites one term; [`perturb`] returns `None` when a
//! strategy cannot change that term (width on a Han-only term, say), so recall
//! is measured over the terms a strategy applies to. Everything is driven by
//! a seeded [`Rng`], so a suite is reproducible from its seed.

use crate::bigrams::pair_count;
use qinglang_text::{fold_char, is_han, pinyin_of, syllable_of, traditional_chars, CharClass};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A small deterministic xorshift generator (not for cryptography).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced by a fixed constant).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One way to disguise a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    Width,
    Case,
    Traditional,
    ZeroWidth,
    NoiseSkip,
    Repeat,
    Confusable,
    Pinyin,
    Mixed,
    Homophone,
    /// One inner letter of a Latin word of four or more letters replaced
    /// by a symbol (`f*ck`).
    Mask,
    /// A homophone drawn from common characters only (堵博 rather than 暏博):
    /// the harder case for telling evasion from chance.
    HomophoneCommon,
}

impl Strategy {
    /// Every strategy, in report order.
    pub const ALL: [Strategy; 12] = [
        Strategy::Width,
        Strategy::Case,
        Strategy::Traditional,
        Strategy::ZeroWidth,
        Strategy::NoiseSkip,
        Strategy::Repeat,
        Strategy::Confusable,
        Strategy::Mask,
        Strategy::Pinyin,
        Strategy::Mixed,
        Strategy::Homophone,
        Strategy::HomophoneCommon,
    ];

    /// The strategy's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Width => "width",
            Strategy::Case => "case",
            Strategy::Traditional => "traditional",
            Strategy::ZeroWidth => "zero_width",
            Strategy::NoiseSkip => "noise_skip",
            Strategy::Repeat => "repeat",
            Strategy::Confusable => "confusable",
            Strategy::Mask => "mask",
            Strategy::Pinyin => "pinyin",
            Strategy::Mixed => "mixed",
            Strategy::Homophone => "homophone",
            Strategy::HomophoneCommon => "homophone_common",
        }
    }

    /// Does the strategy need pinyin matching turned on?
    pub fn needs_pinyin(self) -> bool {
        matches!(
            self,
            Strategy::Pinyin | Strategy::Mixed | Strategy::Homophone | Strategy::HomophoneCommon
        )
    }
}

const ZERO_WIDTH: [char; 5] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];
const NOISE: [&str; 14] = [
    " ", "*", "-", ".", "_", "~", "|", "/", "#", "😀", "🔥", "♥", "　", "·",
];

fn confusable_of(c: char, rng: &mut Rng) -> Option<char> {
    let cyrillic = match c {
        'a' => Some('а'),
        'c' => Some('с'),
        'e' => Some('е'),
        'o' => Some('о'),
        'p' => Some('р'),
        'x' => Some('х'),
        'y' => Some('у'),
        'i' => Some('і'),
        's' => Some('ѕ'),
        'k' => Some('к'),
        _ => None,
    };
    let accented = match c {
        'a' => Some('à'),
        'c' => Some('ç'),
        'e' => Some('é'),
        'i' => Some('í'),
        'n' => Some('ñ'),
        'o' => Some('ö'),
        'u' => Some('ü'),
        'y' => Some('ý'),
        _ => None,
    };
    let off = c as u32 - 'a' as u32;
    match rng.below(5) {
        0 if cyrillic.is_some() => cyrillic,
        4 if accented.is_some() => accented,
        1 => char::from_u32(0x24D0 + off),  // circled
        2 => char::from_u32(0x1D41A + off), // mathematical bold
        _ => char::from_u32(0x1F130 + off), // squared capital
    }
}

/// Common characters by default syllable, for homophones.
fn homophones() -> &'static HashMap<u16, Vec<char>> {
    static H: OnceLock<HashMap<u16, Vec<char>>> = OnceLock::new();
    H.get_or_init(|| {
        let mut map: HashMap<u16, Vec<char>> = HashMap::new();
        for c in (0x4E00u32..=0x9FA5).filter_map(char::from_u32) {
            if fold_char(c).ch != c {
                continue;
            }
            if let Some(s) = syllable_of(c) {
                map.entry(s).or_default().push(c);
            }
        }
        map
    })
}

/// A character in at least this many common pairs counts as common (about
/// 1,200 characters).
const COMMON_PAIRS: usize = 10;

fn interleave(chars: &[char], rng: &mut Rng, mut gap: impl FnMut(&mut Rng) -> String) -> String {
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 {
            out.push_str(&gap(rng));
        }
        out.push(c);
    }
    out
}

/// Perturbs `term` with `strategy`, or `None` when the strategy does not apply.
pub fn perturb(term: &str, strategy: Strategy, rng: &mut Rng) -> Option<String> {
    let chars: Vec<char> = term.chars().collect();
    if chars.is_empty() {
        return None;
    }
    let han = chars.iter().all(|&c| is_han(c));
    let out: String = match strategy {
        Strategy::Width => chars
            .iter()
            .map(|&c| {
                if c.is_ascii_graphic() {
                    char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect(),
        Strategy::Case => {
            let s: String = chars
                .iter()
                .map(|&c| {
                    if rng.below(2) == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            if s == term {
                term.to_ascii_uppercase()
            } else {
                s
            }
        }
        Strategy::Traditional => chars
            .iter()
            .map(|&c| traditional_chars(c).first().copied().unwrap_or(c))
            .collect(),
        Strategy::ZeroWidth => {
            if chars.len() < 2 {
                return None;
            }
            interleave(&chars, rng, |r| {
                if r.below(2) == 0 {
                    r.pick(&ZERO_WIDTH).to_string()
                } else {
                    String::new()
                }
            })
        }
        Strategy::NoiseSkip => {
            if chars.len() < 2 {
                return None;
            }
            let mut s = interleave(&chars, rng, |r| {
                (0..1 + r.below(2)).map(|_| *r.pick(&NOISE)).collect()
            });
            if s == term {
                s = interleave(&chars, rng, |_| "*".to_owned());
            }
            s
        }
        Strategy::Repeat => {
            let i = rng.below(chars.len());
            let mut v = chars.clone();
            for _ in 0..1 + rng.below(2) {
                v.insert(i, chars[i]);
            }
            v.into_iter().collect()
        }
        Strategy::Confusable => {
            if !chars.iter().any(|c| c.is_ascii_lowercase()) {
                return None;
            }
            chars
                .iter()
                .map(|&c| {
                    if c.is_ascii_lowercase() {
                        confusable_of(c, rng).unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect()
        }
        Strategy::Mask => {
            let word = chars.len() >= 4 && chars.iter().all(char::is_ascii_lowercase);
            if !word {
                return None;
            }
            let i = 1 + rng.below(chars.len() - 2);
            let mask = *rng.pick(&['*', '#', '_', '-', '.']);
            chars
                .iter()
                .enumerate()
                .map(|(k, &c)| if k == i { mask } else { c })
                .collect()
        }
        Strategy::Pinyin | Strategy::Mixed => {
            if !han || chars.len() < 2 {
                return None;
            }
            let keep = if strategy == Strategy::Mixed {
                rng.below(chars.len())
            } else {
                usize::MAX
            };
            let sep = *rng.pick(&["", "", " "]);
            let capital = rng.below(3) == 0;
            let mut parts = Vec::new();
            for (i, &c) in chars.iter().enumerate() {
                if i == keep {
                    parts.push(c.to_string());
                    continue;
                }
                let p = pinyin_of(c)?;
                let mut p = p.to_owned();
                if capital {
                    p[..1].make_ascii_uppercase();
                }
                parts.push(p);
            }
            parts.join(sep)
        }
        Strategy::Homophone | Strategy::HomophoneCommon => {
            if !han || chars.len() < 2 {
                return None;
            }
            let min_pairs = if strategy == Strategy::HomophoneCommon {
                COMMON_PAIRS
            } else {
                0
            };
            let i = rng.below(chars.len());
            let s = syllable_of(chars[i])?;
            let cands: Vec<char> = homophones()
                .get(&s)?
                .iter()
                .copied()
                .filter(|&h| h != chars[i] && pair_count(h) >= min_pairs)
                .collect();
            if cands.is_empty() {
                return None;
            }
            let mut v = chars.clone();
            v[i] = *rng.pick(&cands);
            v.into_iter().collect()
        }
    };
    (out != term).then_some(out)
}

/// May a perturbed term be inserted between `prev` and `next`? Not next to
/// a letter or digit of a Latin word, which would glue the two together.
pub fn is_safe_cut(prev: Option<char>, next: Option<char>) -> bool {
    let wordy = |c: Option<char>| {
        c.is_some_and(|c| matches!(fold_char(c).class, CharClass::Latin | CharClass::Digit))
    };
    !wordy(prev) && !wordy(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies_change_terms_they_apply_to_and_skip_the_rest() {
        let mut rng = Rng::new(7);
        for s in Strategy::ALL {
            if let Some(p) = perturb("赌博网站", s, &mut rng) {
                assert_ne!(p, "赌博网站", "{s:?}");
            }
        }
        assert_eq!(perturb("赌博", Strategy::Width, &mut rng), None);
        assert_eq!(perturb("赌博", Strategy::Confusable, &mut rng), None);
        assert_eq!(perturb("fuck", Strategy::Pinyin, &mut rng), None);
        assert_eq!(perturb("賭", Strategy::Traditional, &mut rng), None);
        assert_eq!(
            perturb("fuck", Strategy::Width, &mut rng).as_deref(),
            Some("ｆｕｃｋ")
        );
        assert_eq!(perturb("sex", Strategy::Mask, &mut rng), None);
        assert_eq!(perturb("赌博网站", Strategy::Mask, &mut rng), None);
        let masked = perturb("fuck", Strategy::Mask, &mut rng).unwrap();
        assert!(masked.starts_with('f') && masked.ends_with('k'), "{masked}");
        assert_eq!(masked.chars().filter(char::is_ascii_lowercase).count(), 3);
    }
}
