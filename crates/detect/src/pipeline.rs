//! Runs the selected detectors over each record, normalising text once.

use crate::{AccountContext, Detector, ItemContext};
use qinglang_model::{Record, Signal};
use qinglang_text::Normalized;
use std::collections::BTreeSet;

/// Which detectors to run, as given on the command line (`--detectors`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DetectorSelection {
    /// Every detector that is available.
    #[default]
    All,
    /// Only these names. An empty set runs none.
    Only(BTreeSet<String>),
}

/// A `--detectors` list named a detector that does not exist.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown detector `{name}`; known detectors: {known}")]
pub struct SelectionError {
    pub name: String,
    pub known: String,
}

impl DetectorSelection {
    /// Parses `all`, `none`, or a comma-separated list of names.
    pub fn parse(list: &str) -> Self {
        match list.trim() {
            "" | "all" => DetectorSelection::All,
            "none" => DetectorSelection::Only(BTreeSet::new()),
            names => DetectorSelection::Only(
                names
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect(),
            ),
        }
    }

    /// Whether the detector `name` is selected.
    pub fn includes(&self, name: &str) -> bool {
        match self {
            DetectorSelection::All => true,
            DetectorSelection::Only(set) => set.contains(name),
        }
    }

    /// Checks that every selected name is one of `known`.
    pub fn validate(&self, known: &[&str]) -> Result<(), SelectionError> {
        if let DetectorSelection::Only(set) = self {
            for name in set {
                if !known.contains(&name.as_str()) {
                    return Err(SelectionError {
                        name: name.clone(),
                        known: known.join(", "),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The detectors of one run, with the scratch buffers they share.
pub struct Pipeline {
    detectors: Vec<Box<dyn Detector>>,
    scratch: Normalized,
}

impl Pipeline {
    pub fn new(detectors: Vec<Box<dyn Detector>>) -> Self {
        Pipeline {
            detectors,
            scratch: Normalized::default(),
        }
    }

    /// The names of the detectors in this pipeline, in run order.
    pub fn names(&self) -> Vec<&'static str> {
        self.detectors.iter().map(|d| d.name()).collect()
    }

    /// `name@version` of each detector, for the verdict record.
    pub fn versions(&self) -> Vec<String> {
        self.detectors
            .iter()
            .map(|d| format!("{}@{}", d.name(), d.version()))
            .collect()
    }

    /// Runs every detector over `record`, appending signals to `out`.
    /// Complaints carry no text of their own and produce no signals here.
    pub fn inspect(&mut self, record: &Record, out: &mut Vec<Signal>) {
        if self.detectors.is_empty() {
            return;
        }
        match record {
            Record::Item(item) => {
                self.scratch.reset(&item.text);
                let cx = ItemContext {
                    item,
                    text: &self.scratch,
                };
                for d in &self.detectors {
                    d.inspect_item(&cx, out);
                }
            }
            Record::Account(account) => {
                self.scratch.reset(&account.name);
                let cx = AccountContext {
                    account,
                    name: &self.scratch,
                };
                for d in &self.detectors {
                    d.inspect_account(&cx, out);
                }
            }
            Record::Complaint(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_parses_all_none_and_lists() {
        assert_eq!(DetectorSelection::parse("all"), DetectorSelection::All);
        assert!(!DetectorSelection::parse("none").includes("lexicon"));
        let s = DetectorSelection::parse(" lexicon , pii ");
        assert!(s.includes("lexicon") && s.includes("pii") && !s.includes("classifier"));
        assert!(s.validate(&["lexicon", "pii"]).is_ok());
        let err = DetectorSelection::parse("lexicon,bogus")
            .validate(&["lexicon"])
            .unwrap_err();
        assert_eq!(err.name, "bogus");
    }
}
