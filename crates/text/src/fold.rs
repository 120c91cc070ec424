//! Per-character folding: one canonical character per input character.
//!
//! [`fold_char`] is the single fold every matcher shares, on patterns and on
//! texts alike: NFKC (which folds full-width, circled, parenthesised and
//! mathematical forms), lower case, traditional to simplified Chinese
//! (character level, OpenCC data), and confusable Cyrillic, Greek and emoji
//! letters to Latin. It also classifies the character ([`CharClass`]) so a
//! matcher knows what it may skip and where it must stop, and says which
//! evasion the fold undid ([`Evasion`]).
//!
//! Invariants: a fold never produces more than one character; folding is
//! idempotent (`fold(fold(c)) == fold(c)`) for every character that does not
//! drop; the Basic Multilingual Plane is precomputed into one table on first
//! use, so the hot path is a single indexed load.

use crate::confusables::confusable_to_latin;
use crate::hant::simplified_char;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// What kind of character a folded character is, for matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum CharClass {
    /// Zero-width, bidi controls, variation selectors, combining marks: ignored entirely.
    Drop = 0,
    /// Spaces, symbols, emoji and in-sentence punctuation: skippable between term characters.
    Noise = 1,
    /// Sentence punctuation and line breaks: never skipped.
    Boundary = 2,
    /// A Han ideograph.
    Han = 3,
    /// A Latin letter `a`..=`z` (after folding).
    Latin = 4,
    /// A decimal digit `0`..=`9` (after folding).
    Digit = 5,
    /// Any other letter or number (kana, hangul, other scripts).
    Other = 6,
}

/// Which evasion a fold undid, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Evasion {
    /// The character was already canonical.
    None = 0,
    /// Full-width or half-width form.
    Width = 1,
    /// Upper case.
    Case = 2,
    /// Traditional Chinese.
    Traditional = 3,
    /// A look-alike letter or digit from another script, or a styled form
    /// (circled, parenthesised, mathematical, emoji).
    Confusable = 4,
    /// An invisible character (zero-width, bidi control, variation selector).
    ZeroWidth = 5,
}

impl Evasion {
    /// The evasion's name as reported in matches.
    pub fn as_str(self) -> &'static str {
        match self {
            Evasion::None => "none",
            Evasion::Width => "width",
            Evasion::Case => "case",
            Evasion::Traditional => "traditional",
            Evasion::Confusable => "confusable",
            Evasion::ZeroWidth => "zero_width",
        }
    }
}

/// The fold of one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Folded {
    /// The canonical character (the input itself when nothing applies).
    pub ch: char,
    pub class: CharClass,
    pub evasion: Evasion,
}

/// Packed BMP table entry: char (21 bits) | class (3 bits) << 21 | evasion (3 bits) << 24.
fn pack(f: Folded) -> u32 {
    f.ch as u32 | (f.class as u32) << 21 | (f.evasion as u32) << 24
}

fn unpack(v: u32) -> Folded {
    let ch = char::from_u32(v & 0x1F_FFFF).unwrap_or('\u{FFFD}');
    let class = match (v >> 21) & 7 {
        0 => CharClass::Drop,
        1 => CharClass::Noise,
        2 => CharClass::Boundary,
        3 => CharClass::Han,
        4 => CharClass::Latin,
        5 => CharClass::Digit,
        _ => CharClass::Other,
    };
    let evasion = match (v >> 24) & 7 {
        1 => Evasion::Width,
        2 => Evasion::Case,
        3 => Evasion::Traditional,
        4 => Evasion::Confusable,
        5 => Evasion::ZeroWidth,
        _ => Evasion::None,
    };
    Folded { ch, class, evasion }
}

fn bmp_table() -> &'static [u32] {
    static TABLE: OnceLock<Vec<u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0u32..0x1_0000)
            .map(|u| match char::from_u32(u) {
                Some(c) => pack(fold_slow(c)),
                None => pack(Folded {
                    ch: '\u{FFFD}',
                    class: CharClass::Noise,
                    evasion: Evasion::None,
                }),
            })
            .collect()
    })
}

/// Folds one character. Cheap: one table load for the Basic Multilingual Plane.
///
/// ```
/// use qinglang_text::{fold_char, CharClass, Evasion};
/// assert_eq!(fold_char('賭').ch, '赌');
/// assert_eq!(fold_char('賭').evasion, Evasion::Traditional);
/// assert_eq!(fold_char('Ｆ').ch, 'f');
/// assert_eq!(fold_char('о').ch, 'o'); // Cyrillic o
/// assert_eq!(fold_char('\u{200B}').class, CharClass::Drop);
/// ```
#[inline]
pub fn fold_char(c: char) -> Folded {
    let u = c as u32;
    if u < 0x1_0000 {
        unpack(bmp_table()[u as usize])
    } else {
        fold_slow(c)
    }
}

/// Is `c` a Han ideograph (CJK unified, extensions, compatibility)?
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x2_0000..=0x3_134F)
}

fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

fn is_combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Sentence and clause punctuation and line breaks, after NFKC (so `！`
/// arrives as `!`): the hard boundaries a match never crosses. Brackets,
/// quotation marks and apostrophes are symbols like any other, so noise
/// (`代[开]发票`, `“赌”博`).
fn is_boundary(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{85}'
            | '\u{0B}'
            | '\u{0C}'
            | '。'
            | '!'
            | '?'
            | ';'
            | ','
            | '、'
            | ':'
            | '…'
            | '｡'
            | '､'
    )
}

/// Styled letters and digits that NFKC leaves alone: negative circled and
/// squared letters, dingbat circled digits. Not the regional indicators:
/// in pairs they are flags (`🇨🇳`), emoji like any other, so noise; read
/// as letters they would spell words next to Latin text (`🇸🇪x`).
fn styled_to_ascii(c: char) -> Option<char> {
    let u = c as u32;
    let letter = |base: u32| char::from_u32(u32::from(b'a') + u - base);
    match u {
        0x1F150..=0x1F169 => letter(0x1F150),
        0x1F170..=0x1F189 => letter(0x1F170),
        0x2776..=0x277E => char::from_u32(u32::from(b'1') + u - 0x2776),
        0x2780..=0x2788 => char::from_u32(u32::from(b'1') + u - 0x2780),
        0x278A..=0x2792 => char::from_u32(u32::from(b'1') + u - 0x278A),
        0x24FF => Some('0'),
        _ => None,
    }
}

/// A Latin letter with diacritics as its bare ASCII letter (`ü`, `ç`,
/// `ḟ`, and pinyin tone marks: `ǔ`, `ó`): the canonical decomposition is
/// one ASCII letter followed only by combining marks.
fn without_marks(c: char) -> Option<char> {
    if c.is_ascii() {
        return None;
    }
    let mut parts = std::iter::once(c).nfd();
    let base = parts.next()?;
    (base.is_ascii_alphabetic() && parts.all(is_combining)).then(|| base.to_ascii_lowercase())
}

fn classify(c: char) -> CharClass {
    if c.is_ascii_lowercase() {
        CharClass::Latin
    } else if c.is_ascii_digit() {
        CharClass::Digit
    } else if is_han(c) {
        CharClass::Han
    } else if is_boundary(c) {
        CharClass::Boundary
    } else if c.is_alphanumeric() {
        CharClass::Other
    } else {
        CharClass::Noise
    }
}

/// The uncached fold (used to build the table and for astral characters).
fn fold_slow(c: char) -> Folded {
    if is_invisible(c) || is_combining(c) {
        return Folded {
            ch: c,
            class: CharClass::Drop,
            evasion: Evasion::ZeroWidth,
        };
    }
    if let Some(a) = styled_to_ascii(c) {
        return Folded {
            ch: a,
            class: classify(a),
            evasion: Evasion::Confusable,
        };
    }
    // Before NFKC, which turns some look-alikes into other letters (the
    // lunate sigma `ϲ` into the final sigma `ς`).
    if let Some(a) = confusable_to_latin(c) {
        return Folded {
            ch: a,
            class: classify(a),
            evasion: Evasion::Confusable,
        };
    }
    let mut evasion = Evasion::None;
    // NFKC of one character; keep it only when it is one character, or when
    // exactly one alphanumeric character survives (⒜ -> "(a)" -> a).
    let mut ch = c;
    let nfkc: Vec<char> = std::iter::once(c).nfkc().collect();
    let picked = if nfkc.len() == 1 {
        Some(nfkc[0])
    } else {
        let mut alnum = nfkc.iter().filter(|x| x.is_alphanumeric());
        match (alnum.next(), alnum.next()) {
            (Some(&x), None) => Some(x),
            _ => None,
        }
    };
    if let Some(n) = picked {
        if n != c {
            let u = c as u32;
            evasion = if (0xFF00..=0xFFEF).contains(&u) || (0x3000 == u) {
                Evasion::Width
            } else {
                Evasion::Confusable
            };
            ch = n;
        }
    }
    let mut lower = ch.to_lowercase();
    if let (Some(l), None) = (lower.next(), lower.next()) {
        if l != ch {
            if evasion == Evasion::None {
                evasion = Evasion::Case;
            }
            ch = l;
        }
    }
    // OpenCC chains a few characters (薴 -> 苧 -> 苎): follow to the end.
    for _ in 0..4 {
        match simplified_char(ch) {
            Some(s) if s != ch => {
                evasion = Evasion::Traditional;
                ch = s;
            }
            _ => break,
        }
    }
    if let Some(l) = confusable_to_latin(ch).or_else(|| without_marks(ch)) {
        evasion = Evasion::Confusable;
        ch = l;
    }
    // The ideographic space and friends fold to ' ' and are plain noise.
    if ch.is_whitespace() && !is_boundary(ch) {
        ch = ' ';
    }
    Folded {
        ch,
        class: classify(ch),
        evasion,
    }
}

/// Folds a whole string with [`fold_char`], dropping invisible characters.
/// No leet, repeat or noise handling: that is the matcher's business.
pub fn fold_str(s: &str) -> String {
    s.chars()
        .map(fold_char)
        .filter(|f| f.class != CharClass::Drop)
        .map(|f| f.ch)
        .collect()
}

/// The letter a leetspeak character stands for inside a Latin run.
pub fn leet_letter(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_each_evasion_to_its_canonical_form() {
        let cases: &[(char, char, Evasion)] = &[
            ('ａ', 'a', Evasion::Width),
            ('Ａ', 'a', Evasion::Width),
            ('Q', 'q', Evasion::Case),
            ('賭', '赌', Evasion::Traditional),
            ('ⓕ', 'f', Evasion::Confusable),
            ('⒡', 'f', Evasion::Confusable),
            ('𝐟', 'f', Evasion::Confusable),
            ('🅵', 'f', Evasion::Confusable),
            ('у', 'y', Evasion::Confusable),
            ('С', 'c', Evasion::Confusable),
            ('κ', 'k', Evasion::Confusable),
            ('①', '1', Evasion::Confusable),
            ('ü', 'u', Evasion::Confusable),
            ('Ç', 'c', Evasion::Confusable),
            ('ǔ', 'u', Evasion::Confusable),
            ('ḟ', 'f', Evasion::Confusable),
            ('ƒ', 'f', Evasion::Confusable),
            ('ս', 'u', Evasion::Confusable),
            ('ꜰ', 'f', Evasion::Confusable),
            // NFKC would make the lunate sigma a final sigma first.
            ('ϲ', 'c', Evasion::Confusable),
            ('ғ', 'f', Evasion::Confusable),
            ('Ғ', 'f', Evasion::Confusable),
            // The long s is an s (NFKC), though it looks like an f.
            ('ſ', 's', Evasion::Confusable),
            ('є', 'e', Evasion::Confusable),
            ('ⲟ', 'o', Evasion::Confusable),
            ('©', 'c', Evasion::Confusable),
            ('赌', '赌', Evasion::None),
        ];
        for &(input, want, ev) in cases {
            let f = fold_char(input);
            assert_eq!((f.ch, f.evasion), (want, ev), "{input}");
        }
    }

    #[test]
    fn classifies_noise_boundaries_and_invisibles() {
        assert_eq!(fold_char('\u{200D}').class, CharClass::Drop);
        assert_eq!(fold_char('\u{202E}').class, CharClass::Drop);
        assert_eq!(fold_char('*').class, CharClass::Noise);
        assert_eq!(fold_char('　').class, CharClass::Noise);
        assert_eq!(fold_char('😀').class, CharClass::Noise);
        assert_eq!(fold_char('🇨').class, CharClass::Noise);
        assert_eq!(fold_char('。').class, CharClass::Boundary);
        assert_eq!(fold_char('！').class, CharClass::Boundary);
        assert_eq!(fold_char('\n').class, CharClass::Boundary);
        // Brackets, quotes and apostrophes are symbols: noise.
        assert_eq!(fold_char('「').class, CharClass::Noise);
        assert_eq!(fold_char('（').class, CharClass::Noise);
        assert_eq!(fold_char('“').class, CharClass::Noise);
        assert_eq!(fold_char('【').class, CharClass::Noise);
        assert_eq!(fold_char('\'').class, CharClass::Noise);
        assert_eq!(fold_char('’').class, CharClass::Noise);
        assert_eq!(fold_char('＇').class, CharClass::Noise);
        assert_eq!(fold_char('〜').class, CharClass::Noise);
        assert_eq!(fold_char('博').class, CharClass::Han);
    }

    #[test]
    fn folding_is_idempotent_on_the_bmp() {
        for u in 0u32..0x1_0000 {
            let Some(c) = char::from_u32(u) else { continue };
            let f = fold_char(c);
            if f.class == CharClass::Drop {
                continue;
            }
            assert_eq!(fold_char(f.ch).ch, f.ch, "U+{u:04X}");
        }
    }
}
