//! The scanner: one pass over the text for the main stream, one more over
//! syllables when the lexicon has pinyin patterns.
//!
//! Main stream: each character costs one table load. Invisibles vanish;
//! noise is counted but not fed to the automaton; boundaries and characters
//! outside the alphabet reset it; a repeat of the previous symbol only
//! lengthens that symbol's run. A ring buffer remembers, per symbol, its byte
//! range, run length and the noise before it, so a match is checked against
//! its rule (noise limit, repeats, whole word) when the next different
//! symbol arrives, that is when its last run is complete.
//!
//! Invariant: every reported span starts and ends on character boundaries of
//! the input, because ring entries only ever hold `char_indices` positions.

use crate::automaton::NO_OUTPUT;
use crate::compile::{Lexicon, CLASS_MASK, SYM_SHIFT};
use crate::matches::{Evasions, Match};
use crate::units::latin_at;
use qinglang_text::{fold_char, leet_letter, CharClass, Evasion};

pub(crate) const RING: usize = 256;
const M: usize = RING - 1;

const DROP: u32 = CharClass::Drop as u32;
const NOISE: u32 = CharClass::Noise as u32;
const BOUNDARY: u32 = CharClass::Boundary as u32;
const LATIN: u32 = CharClass::Latin as u32;
const DIGIT: u32 = CharClass::Digit as u32;

#[derive(Clone, Copy, Default)]
pub(crate) struct Cell {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) run: u16,
    pub(crate) noise: u16,
}

/// Reusable buffers for scanning; keep one per thread.
pub struct Scratch {
    pub(crate) ring: Box<[Cell; RING]>,
    pending: Vec<(u32, usize)>,
    allows: Vec<(u32, usize, usize)>,
    pub(crate) latin: Vec<(u8, u32, u32)>,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            ring: Box::new([Cell::default(); RING]),
            pending: Vec::new(),
            allows: Vec::new(),
            latin: Vec::new(),
        }
    }
}

impl Lexicon {
    /// All matches in `text`, sorted by start.
    pub fn find(&self, text: &str) -> Vec<Match> {
        let mut out = Vec::new();
        self.find_into(text, &mut Scratch::default(), &mut out);
        out
    }

    /// Appends the matches in `text` to `out` (cleared first), reusing `scratch`.
    pub fn find_into(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Match>) {
        out.clear();
        scratch.allows.clear();
        if text.len() >= u32::MAX as usize {
            return;
        }
        self.scan_main(text, scratch, out);
        if !self.pinyin_patterns.is_empty() || !self.initials.is_empty() {
            self.scan_pinyin(text, scratch, out);
        }
        if out.len() > 1 {
            out.sort_unstable_by_key(|m| (m.start, m.rule, m.term, m.end));
            out.dedup_by(|b, a| {
                (a.rule, a.term, a.start, a.end) == (b.rule, b.term, b.start, b.end)
            });
        }
        if !scratch.allows.is_empty() {
            let allows = &scratch.allows;
            out.retain(|m| {
                !allows
                    .iter()
                    .any(|&(r, s, e)| r as usize == m.rule && s <= m.start && m.end <= e)
            });
        }
    }

    fn scan_main(&self, text: &str, sc: &mut Scratch, out: &mut Vec<Match>) {
        let a = &self.main;
        let mut state = 0u32;
        let mut n = 0usize; // symbols pushed so far
        let mut prev_sym = 0u32;
        let mut prev_latin = false;
        let mut noise = 0u16;
        for (pos, ch) in text.char_indices() {
            let e = self.entry(ch);
            let class = e & CLASS_MASK;
            let mut sym = e >> SYM_SHIFT;
            let end = pos + ch.len_utf8();
            if class != CharClass::Han as u32 {
                match class {
                    DROP => continue,
                    NOISE | BOUNDARY | DIGIT => {
                        let leet = ch.is_ascii()
                            && leet_letter(ch).is_some()
                            && if class == DIGIT {
                                prev_latin || latin_at(text, end)
                            } else {
                                prev_latin && latin_at(text, end)
                            };
                        if leet {
                            sym = self.leet_sym[ch as usize];
                        } else if class == NOISE {
                            noise = noise.saturating_add(1);
                            continue;
                        } else if class == BOUNDARY {
                            self.flush(text, sc, n, out);
                            state = 0;
                            prev_sym = 0;
                            prev_latin = false;
                            noise = 0;
                            continue;
                        }
                        prev_latin = leet;
                    }
                    LATIN => prev_latin = true,
                    _ => prev_latin = false,
                }
            } else {
                prev_latin = false;
            }
            if sym == 0 {
                if !sc.pending.is_empty() {
                    self.flush(text, sc, n, out);
                }
                state = 0;
                prev_sym = 0;
                noise = 0;
                continue;
            }
            if sym == prev_sym {
                let cell = &mut sc.ring[(n - 1) & M];
                cell.end = end as u32;
                cell.run = cell.run.saturating_add(1);
                noise = 0;
                continue;
            }
            if !sc.pending.is_empty() {
                self.flush(text, sc, n, out);
            }
            sc.ring[n & M] = Cell {
                start: pos as u32,
                end: end as u32,
                run: 1,
                noise,
            };
            n += 1;
            noise = 0;
            prev_sym = sym;
            state = a.next(state, sym);
            let mut o = a.out(state);
            while o != NO_OUTPUT {
                let (p, next) = a.outputs[o as usize];
                sc.pending.push((p, n));
                o = next;
            }
        }
        self.flush(text, sc, n, out);
    }

    /// Checks pending matches (their last run is complete) and reports the good ones.
    fn flush(&self, text: &str, sc: &mut Scratch, _n: usize, out: &mut Vec<Match>) {
        for i in 0..sc.pending.len() {
            let (p, at) = sc.pending[i];
            let pat = &self.patterns[p as usize];
            let len = pat.len as usize;
            if len > at || len >= RING {
                continue;
            }
            let first = at - len;
            let cell = |k: usize| sc.ring[(first + k) & M];
            if (1..len).any(|k| cell(k).noise > u16::from(pat.max_noise)) {
                continue;
            }
            let mut evasions = Evasions::default();
            if let Some(runs) = &pat.runs {
                if (0..len).any(|k| cell(k).run < runs[k]) {
                    continue;
                }
                if (0..len).any(|k| cell(k).run > runs[k]) {
                    evasions.0 |= Evasions::REPEAT;
                }
            } else if (0..len).any(|k| cell(k).run > 1) {
                evasions.0 |= Evasions::REPEAT;
            }
            let start = cell(0).start as usize;
            let end = cell(len - 1).end as usize;
            if pat.whole_word && !word_bounded(text, start, end) {
                continue;
            }
            if pat.allow {
                sc.allows.push((pat.rule, start, end));
                continue;
            }
            evasions.0 |= char_evasions(&text[start..end]).0;
            if pat.variant {
                evasions.0 |= Evasions::TRADITIONAL;
            }
            out.push(Match {
                rule: pat.rule as usize,
                term: pat.term as usize,
                start,
                end,
                evasions,
                confidence: evasions.confidence(),
            });
        }
        sc.pending.clear();
    }
}

/// Evasions visible in the characters of a matched span: folds, invisibles,
/// noise and leet. Repeats and pinyin are the scanners' business.
pub(crate) fn char_evasions(span: &str) -> Evasions {
    let mut bits = 0u16;
    let (mut latin, mut leet_noise, mut leet_digit) = (false, false, false);
    for c in span.chars() {
        let f = fold_char(c);
        bits |= match f.evasion {
            Evasion::None => 0,
            Evasion::Width => Evasions::WIDTH,
            Evasion::Case => Evasions::CASE,
            Evasion::Traditional => Evasions::TRADITIONAL,
            Evasion::Confusable => Evasions::CONFUSABLE,
            Evasion::ZeroWidth => Evasions::ZERO_WIDTH,
        };
        let leet = c.is_ascii() && leet_letter(c).is_some();
        match f.class {
            CharClass::Latin => latin = true,
            CharClass::Noise | CharClass::Boundary if leet => leet_noise = true,
            CharClass::Noise | CharClass::Boundary => bits |= Evasions::NOISE,
            CharClass::Digit if leet => leet_digit = true,
            _ => {}
        }
    }
    if latin && (leet_noise || leet_digit) {
        bits |= Evasions::LEET;
    } else if leet_noise {
        bits |= Evasions::NOISE;
    }
    Evasions(bits)
}

/// A Latin or digit term must not continue into a letter (or a digit into a digit).
fn word_bounded(text: &str, start: usize, end: usize) -> bool {
    let class_of = |c: char| fold_char(c).class;
    let first = text[start..].chars().next().map(class_of);
    let last = text[..end].chars().next_back().map(class_of);
    let before = text[..start]
        .chars()
        .rev()
        .map(class_of)
        .find(|&c| c != CharClass::Drop);
    let after = text[end..]
        .chars()
        .map(class_of)
        .find(|&c| c != CharClass::Drop);
    let joins = |edge: Option<CharClass>, next: Option<CharClass>| match (edge, next) {
        (Some(CharClass::Digit), Some(CharClass::Digit)) => true,
        (Some(_), Some(CharClass::Latin)) => true,
        _ => false,
    };
    !joins(first, before) && !joins(last, after)
}
