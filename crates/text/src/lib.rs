//! Text normalisation shared by every detector.
//!
//! An item's text is normalised once ([`Normalized::new`]) and every detector
//! reads that one form. The normalised text carries an offset map so that any
//! byte range in it can be turned back into a byte range of the original text
//! ([`Normalized::original_span`]) that falls on character boundaries.

mod normalize;
pub mod pii;

pub use normalize::Normalized;
