//! Builds the detectors of a run from their configuration.
//!
//! Every detector the project has is listed in [`KNOWN_DETECTORS`] and built in
//! [`build_detectors`]; the CLI and the server only hand over a
//! [`DetectorConfig`] and a [`DetectorSelection`].

use crate::{Detector, DetectorSelection, SelectionError};
use std::path::PathBuf;

/// Names accepted by `--detectors`, in run order.
pub const KNOWN_DETECTORS: &[&str] = &["lexicon", "pii", "impersonation", "classifier"];

/// Where each detector finds its data. `None` means the built-in default.
#[derive(Debug, Clone, Default)]
pub struct DetectorConfig {
    /// A lexicon file (plain list or TOML) for the `lexicon` detector.
    pub lexicon: Option<PathBuf>,
    /// Protected names (JSON Lines or one per line) for the `impersonation` detector.
    pub protected: Option<PathBuf>,
    /// A classifier model file for the `classifier` detector.
    pub model: Option<PathBuf>,
}

/// A detector could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Selection(#[from] SelectionError),
    #[error("detector `{detector}`: {message}")]
    Detector {
        detector: &'static str,
        message: String,
    },
}

/// Builds the selected detectors, in the order of [`KNOWN_DETECTORS`].
pub fn build_detectors(
    config: &DetectorConfig,
    selection: &DetectorSelection,
) -> Result<Vec<Box<dyn Detector>>, BuildError> {
    selection.validate(KNOWN_DETECTORS)?;
    let mut detectors: Vec<Box<dyn Detector>> = Vec::new();
    // Each detector adds one arm here:
    // if selection.includes("lexicon") { detectors.push(Box::new(...)); }
    if selection.includes("pii") {
        // The evidence-hash key comes from QINGLANG_PII_KEY (see pii::mask).
        detectors.push(Box::new(crate::pii::PiiDetector::from_env()));
    }
    if selection.includes("impersonation") {
        use crate::impersonation::{ImpersonationDetector, ProtectedNames};
        let names = match &config.protected {
            Some(path) => ProtectedNames::load(path).map_err(|e| BuildError::Detector {
                detector: "impersonation",
                message: e.to_string(),
            })?,
            None => ProtectedNames::default(),
        };
        detectors.push(Box::new(ImpersonationDetector::new(names)));
    }
    if selection.includes("lexicon") {
        let lexicon = match &config.lexicon {
            Some(path) => crate::LexiconDetector::from_file(path),
            None => crate::LexiconDetector::default_pack().map_err(|e| e.to_string()),
        };
        let lexicon = lexicon.map_err(|message| BuildError::Detector {
            detector: "lexicon",
            message,
        })?;
        detectors.push(Box::new(lexicon));
    }
    if selection.includes("classifier") {
        let d =
            crate::ClassifierDetector::from_path(config.model.as_deref()).map_err(|message| {
                BuildError::Detector {
                    detector: "classifier",
                    message,
                }
            })?;
        detectors.push(Box::new(d));
    }
    Ok(detectors)
}
