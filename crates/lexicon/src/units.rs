//! How a string becomes the symbols a lexicon matches: the one definition
//! shared by the compiler (on terms: [`term_units`]) and by `explain` and
//! the scanner's re-reads of matched spans (on texts).
//!
//! Each character is folded with [`fold_char`]; invisibles are dropped;
//! a digit becomes the letter it imitates (leet) when a Latin letter stands
//! right after it, or before it with only symbols between (not a space:
//! `bi 1:1` keeps its digit), and `@ $ !` do so only between two Latin
//! letters ([`Leet`] says which a reading allows); an apostrophe between two
//! Latin letters joins the word (`he'll` is not `hell`), elsewhere it is
//! noise (`赌'博`). The fast scanner in `scan.rs` inlines these rules; the
//! tests in `tests/evasions.rs` check cases of each on both. One rule lives
//! only in `scan.rs` and its re-read: on a text's literal reading, `!`
//! between two Latin letters is skipped (`f!u!c!k`), while `units()` and
//! `explain` show it as a boundary.

use qinglang_text::{fold_char, leet_letter, CharClass, Evasion};

/// One character of a string, folded and classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// The canonical character (after leet, if `leet`).
    pub ch: char,
    pub class: CharClass,
    pub evasion: Evasion,
    /// The character was read as a leetspeak letter.
    pub leet: bool,
    /// Byte range in the input.
    pub start: usize,
    pub end: usize,
}

/// Is the character starting at byte `at` (after invisibles) a Latin letter once folded?
pub(crate) fn latin_at(text: &str, at: usize) -> bool {
    for c in text[at.min(text.len())..].chars() {
        let f = fold_char(c);
        match f.class {
            CharClass::Drop => continue,
            CharClass::Latin => return true,
            _ => return false,
        }
    }
    false
}

/// An apostrophe (`'`, `’`, `＇`): noise between Han characters, but part
/// of a Latin word (`don't`) between two Latin letters.
#[inline]
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{FF07}')
}

/// Whether a leet-capable character at `start..end` reads as a letter.
#[inline]
pub(crate) fn reads_as_leet(text: &str, class: CharClass, prev_latin: bool, end: usize) -> bool {
    if class == CharClass::Digit {
        prev_latin || latin_at(text, end)
    } else {
        prev_latin && latin_at(text, end)
    }
}

/// The units of `text`, invisibles left out.
pub fn units(text: &str) -> Vec<Unit> {
    let mut out = Vec::with_capacity(text.len() / 2);
    out.extend(each_unit(text));
    out
}

/// The units of `text` one by one, without collecting them (the scanner
/// re-reads matched spans with this).
pub(crate) fn each_unit(text: &str) -> impl Iterator<Item = Unit> + '_ {
    each_unit_as(text, Leet::All)
}

/// Which characters a reading takes as leet letters inside Latin words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leet {
    /// Digits and `@ $ !` (a text's first reading: `sh1t`, `b@stard`).
    All,
    /// `@ $ !` only: how terms are read, so `b@stard` is `bastard` and
    /// `3p` keeps its digit.
    Symbols,
    /// None (a text's literal reading: `3P`, `f@u@c@k`).
    None,
}

/// The units of a lexicon term: digits literal (`3p` is a digit and a
/// letter, which a text's `3P` finds on its literal reading), `@ $ !`
/// between letters read as letters (`b@stard`).
pub(crate) fn term_units(term: &str) -> Vec<Unit> {
    each_unit_as(term, Leet::Symbols).collect()
}

/// [`each_unit`] with the given leet reading.
pub(crate) fn each_unit_as(text: &str, leet: Leet) -> impl Iterator<Item = Unit> + '_ {
    let mut prev_latin = false;
    text.char_indices().filter_map(move |(start, c)| {
        let end = start + c.len_utf8();
        let f = fold_char(c);
        if f.class == CharClass::Drop {
            return None;
        }
        let mut unit = Unit {
            ch: f.ch,
            class: f.class,
            evasion: f.evasion,
            leet: false,
            start,
            end,
        };
        if f.class == CharClass::Noise && is_apostrophe(c) && prev_latin && latin_at(text, end) {
            // Inside a Latin word (`he'll`): it joins, so never skipped.
            // Every apostrophe reads as `'` (`don’t` is `don't`).
            unit.class = CharClass::Boundary;
            unit.ch = '\'';
        }
        let may = match leet {
            Leet::All => true,
            Leet::Symbols => f.class != CharClass::Digit,
            Leet::None => false,
        };
        if let Some(l) = leet_letter(f.ch).filter(|_| may && c.is_ascii()) {
            if reads_as_leet(text, f.class, prev_latin, end) {
                unit.ch = l;
                unit.class = CharClass::Latin;
                unit.leet = true;
            }
        }
        if unit.class != CharClass::Noise {
            prev_latin = unit.class == CharClass::Latin;
        } else if c.is_whitespace() {
            // A space ends a word (`bi 1:1`); other symbols do not (`s.h.1.t`).
            prev_latin = false;
        }
        Some(unit)
    })
}

/// Is a unit of this class part of a term (as opposed to noise or a boundary)?
pub(crate) fn is_significant(class: CharClass) -> bool {
    matches!(
        class,
        CharClass::Han | CharClass::Latin | CharClass::Digit | CharClass::Other
    )
}
