//! Lexicon-hit features: the built-in lexicon pack
//! (`qinglang_lexicon::DEFAULT_PACK`) matched on the normalised text. Each
//! match adds the bucket of its rule id and of its category, and, when the
//! match needed an evasion that the shared fold does not undo (symbols
//! between characters, repeats, leetspeak, pinyin, homophones, initials),
//! the bucket of "evaded" plus the category. Rules are hashed by name, so a
//! pack that gains or reorders rules keeps the meaning of the others.
//!
//! Cost: the default pack scans short texts at about 0.4-0.8 µs each (one
//! pass of its automaton, plus the pinyin stream for the rules that ask for
//! it), measured beside the rest of prediction on COLD dev.

use crate::features::{finish, step};
use qinglang_lexicon::{default_lexicon, CompileOptions, Evasions, Lexicon, Match, Scratch};
use std::sync::OnceLock;

const LEXICON_SEED: u64 = 0x27d4_eb2f_1656_67c5;

/// Evasions that survive the shared fold (width, case, traditional forms,
/// look-alikes and invisibles are already folded away).
const EVADED: u16 = Evasions::NOISE
    | Evasions::REPEAT
    | Evasions::LEET
    | Evasions::PINYIN
    | Evasions::HOMOPHONE
    | Evasions::INITIALS;

/// A compiled lexicon with the hashed feature keys of its rules.
#[derive(Debug)]
pub struct LexiconFeatures {
    lexicon: Lexicon,
    /// Per rule: finished hashes of its id, its category and its evaded category.
    keys: Vec<[u64; 3]>,
    id: String,
}

fn key(kind: &str, name: &str) -> u64 {
    let h = kind
        .chars()
        .chain(std::iter::once(':'))
        .chain(name.chars())
        .fold(LEXICON_SEED, |h, c| step(h, u32::from(c)));
    finish(h)
}

impl LexiconFeatures {
    /// Wraps `lexicon`; `id` names it in model files.
    pub fn new(lexicon: Lexicon, id: String) -> LexiconFeatures {
        let keys = lexicon
            .rules()
            .iter()
            .map(|r| {
                [
                    key("rule", r.id()),
                    key("category", r.category()),
                    key("evaded", r.category()),
                ]
            })
            .collect();
        LexiconFeatures { lexicon, keys, id }
    }

    /// Names the lexicon (a hash of the pack's text); stored with heads trained on it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Matches `text` and calls `emit` with the finished hash of every feature.
    pub(crate) fn hits(&self, text: &str, scratch: &mut LexScratch, mut emit: impl FnMut(u64)) {
        let LexScratch { scan, matches } = scratch;
        let scan = scan.get_or_insert_with(Box::default);
        self.lexicon.find_into(text, scan, matches);
        for m in matches.iter() {
            if let Some(keys) = self.keys.get(m.rule) {
                emit(keys[0]);
                emit(keys[1]);
                if m.evasions.0 & EVADED != 0 {
                    emit(keys[2]);
                }
            }
        }
    }
}

/// Reusable lexicon buffers inside a feature scratch.
#[derive(Default)]
pub(crate) struct LexScratch {
    scan: Option<Box<Scratch>>,
    matches: Vec<Match>,
}

impl std::fmt::Debug for LexScratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LexScratch")
            .field("matches", &self.matches.len())
            .finish()
    }
}

impl Clone for LexScratch {
    /// Scratch space holds no state between texts: a clone starts empty.
    fn clone(&self) -> Self {
        LexScratch::default()
    }
}

/// The built-in pack, compiled on first use (about 20 ms), or `None` if it
/// does not compile (then lexicon features are simply absent).
pub fn default_lexicon_features() -> Option<&'static LexiconFeatures> {
    static FEATURES: OnceLock<Option<LexiconFeatures>> = OnceLock::new();
    FEATURES
        .get_or_init(|| {
            let pack = qinglang_lexicon::DEFAULT_PACK;
            let lexicon = default_lexicon(&CompileOptions::default()).ok()?;
            let hash = pack.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            });
            Some(LexiconFeatures::new(
                lexicon,
                format!("default-pack:{}:{hash:016x}", lexicon_rules(pack)),
            ))
        })
        .as_ref()
}

fn lexicon_rules(pack: &str) -> usize {
    pack.lines().filter(|l| l.trim() == "[[rule]]").count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(text: &str) -> Vec<u64> {
        let lex = default_lexicon_features().expect("the default pack compiles");
        let mut scratch = LexScratch::default();
        let mut out = Vec::new();
        lex.hits(text, &mut scratch, |k| out.push(k));
        out
    }

    #[test]
    fn hits_give_rule_and_category_keys() {
        assert!(features("今天天气很好").is_empty());
        assert!(features("").is_empty());
        let plain = features("加我带你玩百家乐");
        assert_eq!(plain.len(), 2, "{plain:?}");
        assert!(plain.contains(&key("category", "gambling_drugs")));
        assert!(plain.contains(&key("rule", "gambling.online")));
        // Symbols between the characters are an evasion the fold keeps.
        let evaded = features("加我带你玩百*家*乐");
        assert!(
            evaded.contains(&key("evaded", "gambling_drugs")),
            "{evaded:?}"
        );
        assert_ne!(key("rule", "x"), key("category", "x"));
    }

    #[test]
    fn huge_and_odd_input_is_fine() {
        let huge = "百家乐，".repeat(50_000);
        assert_eq!(features(&huge).len(), 100_000);
        features("\u{0}\u{feff}\u{202e}😀");
        let id = default_lexicon_features().unwrap().id();
        assert!(id.starts_with("default-pack:"), "{id}");
    }
}
