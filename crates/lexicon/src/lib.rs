//! Evasion-resistant lexicon matching for Chinese and English.
//!
//! A [`Lexicon`] is compiled from [`Rule`]s (a plain list or TOML, see
//! [`parse_rules`]) and finds every term in a text despite width and case
//! tricks, traditional characters, look-alike letters, invisible characters,
//! symbols and emoji between characters, repeated characters, leetspeak, and,
//! per rule, pinyin, mixed pinyin/Han, homophones and initials. Each [`Match`]
//! gives the byte span in the original text and the [`Evasions`] it needed.
//!
//! ```
//! use qinglang_lexicon::{parse_rules, CompileOptions, Lexicon};
//! let rules = parse_rules("赌博\tgambling_drugs\nfuck\tonline_violence\n").unwrap();
//! let lex = Lexicon::compile(&rules, &CompileOptions { pinyin_all: true }).unwrap();
//! let text = "来賭 * 博吧, Ｆ.Ｕ.Ｃ.Ｋ, 堵博, du博";
//! let found: Vec<&str> = lex.find(text).iter().map(|m| &text[m.start..m.end]).collect();
//! assert_eq!(found, ["賭 * 博", "Ｆ.Ｕ.Ｃ.Ｋ", "堵博", "du博"]);
//! ```

mod automaton;
mod bigrams;
mod compile;
pub mod corpus;
mod format;
mod matches;
mod pack;
pub mod perturb;
mod pinyin_scan;
mod rules;
mod scan;
mod store;
mod syllables;
mod units;

pub use bigrams::{bigram_key, encode_keys, is_common_bigram};
pub use compile::{CompileError, CompileOptions, Lexicon, DEFAULT_MAX_NOISE, MAX_READINGS};
pub use format::{parse_rules, FormatError, Rule, RuleOptions, DEFAULT_CATEGORY};
pub use matches::{Evasions, Match};
pub use pack::{default_lexicon, load_lexicon, LexiconError, DEFAULT_PACK};
pub use rules::{RuleRef, Rules};
pub use scan::Scratch;
pub use store::{LexiconHandle, LoadError};
pub use units::{units, Unit};
