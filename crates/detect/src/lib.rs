//! Detectors and the pipeline that runs them.
//!
//! A [`Detector`] looks at one prepared record and appends [`Signal`]s. It
//! never touches storage and never sees HTTP: it is handed the record and the
//! record's normalised text, computed once by the [`Pipeline`], and nothing
//! else. Detectors that keep state across records (near-duplicate indexes,
//! pile-on windows) will get their own trait with `&mut self`, so that the
//! stateless ones here can be shared across threads without locks.

mod classifier;
mod detector;
pub mod doxxing;
pub mod impersonation;
mod lexicon;
pub mod pii;
mod pipeline;
mod registry;

pub use classifier::ClassifierDetector;
pub use detector::{AccountContext, Detector, ItemContext};
pub use lexicon::LexiconDetector;
pub use pipeline::{DetectorSelection, Links, Pipeline, SelectionError};
pub use qinglang_model::Signal;
pub use registry::{build_detectors, BuildError, DetectorConfig, KNOWN_DETECTORS};
