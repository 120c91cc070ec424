//! Text normalisation shared by every detector.
//!
//! An item's text is normalised once ([`Normalized::new`]) and every detector
//! reads that one form. The normalised text carries an offset map so that any
//! byte range in it can be turned back into a byte range of the original text
//! ([`Normalized::original_span`]) that falls on character boundaries.
//!
//! The folds behind it are public for matchers that need them one character
//! at a time: [`fold_char`] (width, case, traditional Chinese, confusables,
//! invisibles), [`to_simplified`] (phrase-level traditional to simplified),
//! and the pinyin functions ([`pinyin_of`], [`pinyin_readings`], [`everyday_readings`],
//! [`segment_pinyin`]).

mod confusables;
mod fold;
mod hant;
mod normalize;
pub mod pii;
mod pinyin;

pub use confusables::confusable_to_latin;
pub use fold::{fold_char, fold_str, is_han, leet_letter, CharClass, Evasion, Folded};
pub use hant::{simplified_char, to_simplified, traditional_chars};
pub use normalize::Normalized;
pub use pinyin::{
    everyday_readings, pinyin_of, pinyin_readings, segment_pinyin, syllable_count, syllable_id,
    syllable_of, syllable_str, SyllableId,
};
