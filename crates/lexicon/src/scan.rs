//! The scanner: one pass over the text, and, in syllable mode, a second over
//! the syllables around the text's Latin letters (and around doubled Han
//! characters when a reading doubles a syllable), the only places where the
//! first pass can miss a pinyin match. A text in which the first pass read
//! some character as a leet letter (`sh1t`, `b@stard`) is read once more
//! literally, since terms keep their digits (`3p` in `3P`) and `@ $ !` may
//! be noise (`f@u@c@k`); matches of both readings are merged.
//!
//! Main stream: each character costs one table load. Invisibles vanish;
//! noise is counted but not fed to the automaton; boundaries and characters
//! outside the alphabet reset it (in syllable mode a Han character outside
//! the terms' own only sends the automaton back to its root, and its
//! syllable still counts); a repeat of the previous symbol only
//! lengthens that symbol's run. A ring buffer remembers, per symbol, its byte
//! range, run length and the noise before it, so a match is checked against
//! its rule (noise limit, repeats, whole word) when the next different
//! symbol arrives, that is when its last run is complete.
//!
//! In syllable mode (see `compile.rs`) each symbol's Han syllable also goes
//! to the syllable index (`syllables.rs`), and rings remember each symbol's
//! character and syllable: a pinyin reading that ends at a symbol is a
//! homophone candidate for the checks in `pinyin_scan.rs`, which drop those
//! made of the term's own characters (the automaton's exact matches).
//!
//! Invariant: every reported span starts and ends on character boundaries of
//! the input, because ring entries only ever hold `char_indices` positions.

use crate::automaton::NO_OUTPUT;
use crate::compile::{Lexicon, Pattern, CLASS_MASK, FOLDED_BIT, SYL_MASK, SYL_SHIFT, SYM_SHIFT};
use crate::matches::{Evasions, Match};
use crate::syllables::{push_history, History};
use crate::units::{each_unit, each_unit_as, is_apostrophe, latin_at, Leet};
use qinglang_text::{fold_char, leet_letter, CharClass, Evasion};
use std::ops::Range;

pub(crate) const RING: usize = 256;
const M: usize = RING - 1;

const DROP: u32 = CharClass::Drop as u32;
const NOISE: u32 = CharClass::Noise as u32;
const BOUNDARY: u32 = CharClass::Boundary as u32;
const LATIN: u32 = CharClass::Latin as u32;
const DIGIT: u32 = CharClass::Digit as u32;
const OTHER: u32 = CharClass::Other as u32;
/// Classes that leave the scanner's fast path.
const SPECIAL: u32 = 1 << DROP | 1 << NOISE | 1 << BOUNDARY | 1 << DIGIT;

/// Per syllable of the pinyin stream: its byte range and the noise before it.
#[derive(Clone, Copy, Default)]
pub(crate) struct Cell {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) noise: u16,
}

/// Reusable buffers for scanning; keep one per thread.
pub struct Scratch {
    pub(crate) ring: Box<[Cell; RING]>,
    /// Syllable stream, per syllable: the main-stream symbol of its Han
    /// character, or `u32::MAX` for one spelled in Latin letters.
    pub(crate) syms: Box<[u32; RING]>,
    /// Syllable stream, per syllable: its id.
    pub(crate) syls: Box<[u32; RING]>,
    pending: Vec<u32>,
    allows: Vec<(u32, usize, usize)>,
    pub(crate) latin: Vec<(u8, u32, u32)>,
    /// The letters of the current Latin run, for the syllable stream.
    pub(crate) letters: String,
    main: MainStream,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            ring: Box::new([Cell::default(); RING]),
            syms: Box::new([0; RING]),
            syls: Box::new([0; RING]),
            pending: Vec::new(),
            allows: Vec::new(),
            latin: Vec::new(),
            letters: String::new(),
            main: MainStream::default(),
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
        scratch.main.leet = true;
        if text.len() >= u32::MAX as usize {
            return;
        }
        if let Some(needed) = self.scan_main_any(text, scratch, out) {
            let window = self.pinyin_window(text, needed);
            self.scan_pinyin(text, window, scratch, out);
        }
        if scratch.main.read_leet {
            // Some digit or `@ $ !` was read as a letter (`sh1t`,
            // `b@stard`); terms are compiled literally, so read the text
            // once more literally (`3P` for `3p`, `f@u@c@k` with noise).
            // Texts with such characters inside words are few.
            scratch.main.leet = false;
            self.scan_main_any(text, scratch, out);
            scratch.main.leet = true;
        }
        if out.len() > 1 {
            sort_matches(out);
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

    /// [`Lexicon::scan_main`] in this lexicon's mode (only syllable mode
    /// ever asks for a syllable window).
    fn scan_main_any(
        &self,
        text: &str,
        sc: &mut Scratch,
        out: &mut Vec<Match>,
    ) -> Option<Range<usize>> {
        if self.syllable_mode() {
            self.scan_main::<true>(text, sc, out)
        } else {
            self.scan_main::<false>(text, sc, out)
        }
    }

    /// The main stream; `SYL` is syllable mode. In syllable mode, returns
    /// the bytes the syllable stream must look around, if any: from the
    /// first Latin letter or doubled Han character (when some pinyin reading
    /// has a doubled syllable) to the end of the last.
    pub(crate) fn scan_main<const SYL: bool>(
        &self,
        text: &str,
        sc: &mut Scratch,
        out: &mut Vec<Match>,
    ) -> Option<Range<usize>> {
        let a = &self.main;
        // The rings are reused from text to text: only the first `m.n`
        // entries are ever read, and those were written for this text.
        let Scratch {
            main: m,
            pending,
            allows,
            ..
        } = sc;
        m.n = 0;
        m.anomalies = 0;
        m.last_end = 0;
        m.read_leet = false;
        let mut state = 0u32;
        let mut prev_id = 0u32;
        let mut prev_latin = false;
        // Syllable mode: the last syllables read, for the syllable index.
        let mut history: History = 0;
        m.syl_from = 0;
        // Bytes the syllable stream must see: Latin letters, and doubled
        // Han characters when a reading doubles a syllable.
        let (mut need_from, mut need_to) = (usize::MAX, 0usize);
        let doubles = SYL && self.has_double();
        // Anything but a plain term character since the last symbol.
        let mut odd = false;
        for (pos, ch) in text.char_indices() {
            let e = self.entry(ch);
            let class = e & CLASS_MASK;
            let mut sym = e >> SYM_SHIFT;
            odd |= e & FOLDED_BIT != 0;
            if (SPECIAL >> class) & 1 != 0 {
                match class {
                    DROP => {
                        odd = true;
                        continue;
                    }
                    NOISE | BOUNDARY | DIGIT => {
                        let end = pos + ch.len_utf8();
                        // An apostrophe inside a Latin word (`he'll`) joins
                        // it: a boundary, not noise to skip (`hell`).
                        let joined = class == NOISE
                            && is_apostrophe(ch)
                            && prev_latin
                            && latin_at(text, end);
                        // A term's own apostrophe (`don't`) is one of its
                        // characters; any other joins the word: a boundary.
                        let class = match (joined, sym) {
                            (true, 0) => BOUNDARY,
                            (true, _) => OTHER,
                            _ => class,
                        };
                        let leet = m.leet
                            && ch.is_ascii()
                            && leet_letter(ch).is_some()
                            && if class == DIGIT {
                                prev_latin || latin_at(text, end)
                            } else {
                                prev_latin && latin_at(text, end)
                            };
                        m.read_leet |= leet;
                        if leet {
                            sym = self.leet_sym[ch as usize];
                            odd = true;
                        } else if class == NOISE {
                            odd = true;
                            // A space ends a word: a digit after it is no
                            // leet letter of that word (`bi 1:1`).
                            prev_latin &= !ch.is_whitespace();
                            continue;
                        } else if class == BOUNDARY {
                            // Read literally, `!` inside a word is a symbol
                            // to skip (`f!u!c!k`), not the end of a sentence.
                            if ch == '!' && bang_inside_word(text, end, sym, m.leet, prev_latin) {
                                odd = true;
                                continue;
                            }
                            if !pending.is_empty() {
                                self.flush::<SYL>(text, pending, allows, m, out);
                            }
                            state = 0;
                            prev_id = 0;
                            prev_latin = false;
                            odd = false;
                            if SYL {
                                history = 0;
                                m.syl_from = m.n;
                            }
                            continue;
                        }
                        prev_latin = leet;
                    }
                    _ => prev_latin = false,
                }
            } else {
                prev_latin = class == LATIN;
                if SYL && prev_latin {
                    need_from = need_from.min(pos);
                    need_to = pos + ch.len_utf8();
                }
            }
            let (input, mut id, syl) = automaton_input::<SYL>(e, sym);
            if id == 0 && SYL && syl != 0 {
                // A Han character outside the table (beyond the BMP)
                // stands for itself.
                id = ch as u32 | 1 << 31;
            }
            if id == 0 {
                if !pending.is_empty() {
                    self.flush::<SYL>(text, pending, allows, m, out);
                }
                state = 0;
                prev_id = 0;
                odd = false;
                if SYL {
                    history = 0;
                    m.syl_from = m.n;
                }
                continue;
            }
            if id == prev_id {
                m.last_end = (pos + ch.len_utf8()) as u32;
                m.anomalies |= 1;
                odd = false;
                if doubles && syl != 0 {
                    // From the first character of the pair.
                    need_from = need_from.min(m.starts[m.n.wrapping_sub(1) & M] as usize);
                    need_to = pos + ch.len_utf8();
                }
                continue;
            }
            if !pending.is_empty() {
                self.flush::<SYL>(text, pending, allows, m, out);
            }
            m.starts[m.n & M] = pos as u32;
            if SYL {
                m.ids[m.n & M] = id;
                m.syls[m.n & M] = syl;
                if syl != 0 {
                    history = push_history(history, syl);
                } else {
                    m.syl_from = m.n + 1;
                    history = 0;
                }
            }
            m.anomalies = m.anomalies << 1 | u64::from(odd);
            m.last_end = (pos + ch.len_utf8()) as u32;
            m.n += 1;
            odd = false;
            prev_id = id;
            // In syllable mode a character no term has (a symbol past the
            // terms' own) has no transition anywhere: the automaton falls
            // back to its root, while the syllables go on.
            state = a.next(state, input);
            let mut o = a.out(state);
            while o != NO_OUTPUT {
                let link = a.outputs[o as usize];
                pending.push(link.id);
                o = link.next;
            }
            // Homophones are all Han: the literal reading finds the same.
            if SYL && syl != 0 && m.leet && self.syllables.may_end(history) {
                self.push_homophone_candidates(m, pending);
            }
        }
        self.flush::<SYL>(text, pending, allows, m, out);
        (need_from != usize::MAX).then_some(need_from..need_to)
    }

    /// Adds to `pending` the pinyin patterns the main stream checks for
    /// homophones (see [`Lexicon::check_homophone`]) whose syllables end
    /// at the latest symbol, offset past the main patterns.
    #[inline(never)]
    fn push_homophone_candidates(&self, m: &MainStream, pending: &mut Vec<u32>) {
        let offset = self.patterns.len() as u32;
        let latest = m.n.wrapping_sub(1);
        let run = m.n.saturating_sub(m.syl_from).min(RING - 1);
        let syl = |k: usize| m.syls[latest.wrapping_sub(k) & M];
        self.syllables.each_ending(run, syl, |q| {
            if self.homophone_may_hold(m, q as usize) {
                pending.push(offset + q);
            }
        });
    }

    /// Checks pending matches, which all end at the latest symbol (whose run
    /// is now complete), and reports the good ones. A match over plain
    /// characters is accepted at once; any other is re-read from the text.
    fn flush<const SYL: bool>(
        &self,
        text: &str,
        pending: &mut Vec<u32>,
        allows: &mut Vec<(u32, usize, usize)>,
        m: &MainStream,
        out: &mut Vec<Match>,
    ) {
        for &p in pending.iter() {
            let Some(pat) = self.patterns.get(p as usize) else {
                // Homophones are all Han: the literal reading finds the same.
                if SYL && m.leet {
                    self.check_homophone(text, m, p as usize - self.patterns.len(), out);
                }
                continue;
            };
            let len = pat.len as usize;
            if len > m.n || len >= RING {
                continue;
            }
            let mut start = m.starts[(m.n - len) & M] as usize;
            let mut end = m.last_end as usize;
            let whole_word = pat.has(Pattern::WHOLE_WORD);
            if whole_word && !word_bounded(text, start, end) {
                // A run may have swallowed letters of the next or previous
                // word across a space (`will sorry you`, `guess so`, `tall
                // llama`, `homee every`): try the run's unbroken stretches
                // next to the word instead.
                let inner_start = last_stretch_of_run(text, start, end);
                let last = m.starts[(m.n - 1) & M] as usize;
                let inner_end = first_stretch_end(text, last, end);
                let fits = [
                    (inner_start, end),
                    (start, inner_end),
                    (inner_start, inner_end),
                ]
                .into_iter()
                .find(|&(s, e)| s < e && word_bounded(text, s, e));
                match fits {
                    Some((s, e)) => (start, end) = (s, e),
                    None => continue,
                }
            }
            let plain = len <= 64 && m.anomalies & (u64::MAX >> (64 - len)) == 0;
            let evasions = if plain {
                if pat.needs_reread() {
                    continue;
                }
                Evasions::default()
            } else {
                let bang_noise = !m.leet && self.entry('!') >> SYM_SHIFT == 0;
                match verify(
                    &text[start..end],
                    pat,
                    self.runs_of(pat),
                    m.leet,
                    bang_noise,
                ) {
                    Some(e) => e,
                    None => continue,
                }
            };
            if whole_word && !word_bounded(text, start, end) {
                continue;
            }
            if pat.has(Pattern::ALLOW) {
                allows.push((pat.rule, start, end));
                continue;
            }
            let mut evasions = evasions;
            if pat.has(Pattern::VARIANT) {
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
        pending.clear();
    }
}

/// Sorts matches by start, rule, term, end and falling confidence. The scan reports them by
/// end, so they are nearly in order already: short lists are put in order
/// by insertion, which then costs little more than checking them.
fn sort_matches(out: &mut [Match]) {
    // Equal spans of one term keep the most confident reading first, which
    // the dedup after sorting keeps (confidences are positive, so their
    // bits order like their values).
    let key = |m: &Match| {
        let doubt = u32::MAX - m.confidence.to_bits();
        (m.start, m.rule, m.term, m.end, doubt)
    };
    if out.len() > 64 {
        out.sort_by_key(key);
        return;
    }
    for i in 1..out.len() {
        let k = key(&out[i]);
        let mut j = i;
        while j > 0 && key(&out[j - 1]) > k {
            j -= 1;
        }
        if j < i {
            out[j..=i].rotate_right(1);
        }
    }
}

/// Is the `!` ending at byte `end` of `text` one to skip inside a Latin
/// word (`f!u!c!k`)? Only on the literal reading (`leet` false), when no
/// term has `!` (`sym` 0) and letters stand on both sides.
#[cold]
#[inline(never)]
fn bang_inside_word(text: &str, end: usize, sym: u32, leet: bool, prev_latin: bool) -> bool {
    sym == 0 && !leet && prev_latin && latin_at(text, end)
}

/// What the main stream reads for a character with table entry `e` and
/// alphabet symbol `sym` (its leet letter's, if read as leet): the
/// automaton's input, what tells a repeat of it (0: the whole stream resets)
/// and, in syllable mode (`SYL`), its syllable (0: none). In syllable mode
/// every BMP Han character with a reading has a symbol; those past the
/// terms' own characters lead nowhere in the automaton, and the scanner
/// names the others itself.
#[inline(always)]
fn automaton_input<const SYL: bool>(e: u32, sym: u32) -> (u32, u32, u32) {
    if !SYL {
        return (sym, sym, 0);
    }
    (sym, sym, (e >> SYL_SHIFT) & SYL_MASK)
}

/// The main stream's memory of recent symbols.
pub(crate) struct MainStream {
    /// Symbols read so far.
    pub(crate) n: usize,
    /// Bit `k` set: the `k`-th latest symbol was not read plainly (noise or
    /// invisibles before it, a fold, leet, or a repeat).
    pub(crate) anomalies: u64,
    /// End of the latest symbol's run.
    pub(crate) last_end: u32,
    /// Start byte of each recent symbol's run.
    pub(crate) starts: Box<[u32; RING]>,
    /// Syllable mode: each recent symbol's character (its alphabet symbol).
    pub(crate) ids: Box<[u32; RING]>,
    /// Syllable mode: the first symbol of the latest run of symbols that
    /// all have a syllable.
    pub(crate) syl_from: usize,
    /// Syllable mode: each recent symbol's syllable (0: none).
    pub(crate) syls: Box<[u32; RING]>,
    /// Digits and `@ $ !` inside Latin words read as letters (the first
    /// reading); false for the literal one.
    pub(crate) leet: bool,
    /// Some character was read as a leet letter in this text.
    pub(crate) read_leet: bool,
}

impl Default for MainStream {
    fn default() -> Self {
        MainStream {
            n: 0,
            anomalies: 0,
            last_end: 0,
            starts: Box::new([0; RING]),
            ids: Box::new([0; RING]),
            syl_from: 0,
            syls: Box::new([0; RING]),
            leet: true,
            read_leet: false,
        }
    }
}

/// The start of the last unbroken stretch (nothing in between) of the run
/// that begins at `start`: `ll` of `llama` in the run `ll ll` of `tall
/// llama`.
fn last_stretch_of_run(text: &str, start: usize, end: usize) -> usize {
    let mut units = each_unit(&text[start..end]);
    let Some(first) = units.next() else {
        return start;
    };
    let (mut stretch, mut prev_end) = (start, start + first.end);
    for u in units {
        if u.ch == first.ch {
            if start + u.start != prev_end {
                stretch = start + u.start;
            }
            prev_end = start + u.end;
        } else if matches!(
            u.class,
            CharClass::Han | CharClass::Latin | CharClass::Digit | CharClass::Other
        ) {
            break;
        }
    }
    stretch
}

/// The end of the unbroken stretch (nothing in between) that opens the run
/// beginning at `from`: `ss` of `guess` in the run `ss s` of `guess so`.
fn first_stretch_end(text: &str, from: usize, end: usize) -> usize {
    let mut units = each_unit(&text[from..end]);
    let Some(first) = units.next() else {
        return end;
    };
    let mut stretch_end = from + first.end;
    for u in units {
        if u.ch != first.ch || from + u.start != stretch_end {
            break;
        }
        stretch_end = from + u.end;
    }
    stretch_end
}

/// Re-reads a matched span: noise gaps within the rule's limit, runs at
/// least as long as the term's, and the evasions seen.
/// `bang_noise`: the literal reading, and no term has `!`, so a `!` in the
/// span is one the scanner skipped inside a word (`f!u!c!k`).
fn verify(
    span: &str,
    pat: &Pattern,
    runs_needed: Option<&[u16]>,
    leet: bool,
    bang_noise: bool,
) -> Option<Evasions> {
    let len = usize::from(pat.len);
    let need = |k: usize| runs_needed.and_then(|r| r.get(k)).copied().unwrap_or(1);
    // Runs of one character: how many were seen, whether one after the
    // first followed too much noise or fell short of the term's repeats,
    // and whether one was longer. The verdicts count only when the span
    // has as many runs as the term has symbols.
    let (mut runs, mut noisy, mut short, mut longer) = (0usize, false, false, false);
    let mut current: Option<(char, u16)> = None;
    let mut close = |k: usize, count: u16| {
        short |= count < need(k);
        longer |= count > need(k);
    };
    // A masked pattern needs exactly its number of mask symbols (its noise
    // limit) right before its symbol `k` (`f*ck`, `f**k`), and that gap is
    // not noise.
    let mask_at = pat.masked_at();
    let masks = u16::from(pat.max_noise);
    let mut masked = false;
    // Every symbol skipped since the last letter was a mask, the same one
    // (`f**k`; not `f*#k`), and the first of them.
    let (mut all_masks, mut same_masks, mut first_mask) = (true, true, None);
    // Noise between runs (inside a run it belongs to a repeat: `w w-ll`).
    let (mut noise, mut gap_noise) = (0u16, 0u16);
    // What the reading did: a leet letter, a skipped symbol.
    let (mut any_leet, mut any_noise) = (false, false);
    let reading = if leet { Leet::All } else { Leet::None };
    // A boundary inside a matched span is one of the term's characters
    // (`1:1复刻`, `don't`): a real one would have reset the scan.
    for u in each_unit_as(span, reading) {
        any_leet |= u.leet;
        let class = if bang_noise && u.ch == '!' {
            CharClass::Noise
        } else {
            u.class
        };
        match class {
            CharClass::Noise => noise = noise.saturating_add(1),
            _ => {
                match current {
                    Some((c, n)) if c == u.ch => current = Some((c, n.saturating_add(1))),
                    _ => {
                        if let Some((_, n)) = current {
                            close(runs - 1, n);
                        }
                        if mask_at == Some(runs) {
                            // Two dots, tildes or middle dots are an ellipsis
                            // more often than a mask (`go..a` is no `gonna`).
                            masked = noise == masks
                                && all_masks
                                && (masks == 1
                                    || same_masks
                                        && !matches!(first_mask, Some('.' | '·' | '•' | '~')));
                        } else {
                            noisy |= runs > 0 && noise > u16::from(pat.max_noise);
                        }
                        if runs > 0 {
                            gap_noise = gap_noise.saturating_add(noise);
                        }
                        runs += 1;
                        current = Some((u.ch, 1));
                    }
                }
                noise = 0;
                (all_masks, same_masks, first_mask) = (true, true, None);
                continue;
            }
        }
        any_noise = true;
        all_masks &= is_mask(u.ch);
        same_masks &= first_mask.map_or(true, |c| c == u.ch);
        first_mask = first_mask.or(Some(u.ch));
    }
    if let Some((_, n)) = current {
        close(runs - 1, n);
    }
    // Folds from the characters; leet and noise from this reading of them
    // (`3*p` skips a symbol and reads no leet; `sh1t` reads one).
    let mut bits = char_evasions(span).0 & !(Evasions::LEET | Evasions::NOISE);
    if any_leet {
        bits |= Evasions::LEET;
    }
    if any_noise {
        bits |= Evasions::NOISE;
    }
    if mask_at.is_some() {
        // The masks are the only symbols skipped: `p.r.n` is no masked
        // `porn`.
        if runs != len || !masked || gap_noise != masks {
            return None;
        }
        bits = bits & !Evasions::NOISE | Evasions::MASK;
    }
    if runs == len {
        if noisy || short {
            return None;
        }
        if longer {
            bits |= Evasions::REPEAT;
        }
    }
    Some(Evasions(bits))
}

/// Symbols that stand in for a letter of a masked word (`f*ck`, `sh#t`),
/// after folding (so `＊` counts too).
fn is_mask(c: char) -> bool {
    matches!(
        c,
        '*' | '#' | '_' | '-' | '.' | '%' | '~' | '^' | '+' | '•' | '·' | '×'
    )
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
    let joins = |edge: Option<CharClass>, next: Option<CharClass>| {
        matches!(
            (edge, next),
            (Some(CharClass::Digit), Some(CharClass::Digit)) | (Some(_), Some(CharClass::Latin))
        )
    };
    !joins(first, before) && !joins(last, after)
}

impl Lexicon {
    /// Experimental: the bare automaton walk (no evasion handling), for tuning.
    #[doc(hidden)]
    pub fn bare_count(&self, text: &str) -> usize {
        let a = &self.main;
        let mut state = 0u32;
        let mut n = 0;
        let syl_mode = self.syllable_mode();
        for ch in text.chars() {
            let e = self.entry(ch);
            let (sym, _, _) = if syl_mode {
                automaton_input::<true>(e, e >> SYM_SHIFT)
            } else {
                automaton_input::<false>(e, e >> SYM_SHIFT)
            };
            if sym == 0 {
                state = 0;
                continue;
            }
            state = a.next(state, sym);
            if a.out(state) != NO_OUTPUT {
                n += 1;
            }
        }
        n
    }
}
