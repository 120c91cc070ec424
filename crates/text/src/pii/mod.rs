//! Building blocks for finding personal numbers in text: digit runs that see
//! through the usual evasions, validators for identity numbers, phones and
//! bank cards, and the classifier that cuts runs into numbers.
//!
//! Everything here works on the *original* text and reports original byte
//! offsets, so callers need no offset map of their own. Nothing here decides
//! policy (which kinds to report, with which cue words): that belongs to the
//! `pii` detector in `qinglang-detect`.

mod classify;
mod digits;
pub mod validate;

pub use classify::{classify, segment, NumberKind, NumberMatch};
pub use digits::{digit_value, is_separator, is_transparent, DigitRun, DigitRuns, MAX_SEPARATORS};
pub use validate::IssuerConfidence;
