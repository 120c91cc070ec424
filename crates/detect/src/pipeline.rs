//! Runs the selected detectors over each record, normalising text once.

use crate::doxxing::{DoxxingIncidentConfig, DoxxingIncidents};
use crate::impersonation::FlaggedAuthors;
use crate::{AccountContext, Detector, ItemContext};
use qinglang_model::{category, Category, Complaint, ComplaintSubject, Record, Signal};
use qinglang_text::Normalized;
use std::borrow::Cow;
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

/// What ties a record to others: the incident or campaign it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub incident_id: Option<String>,
    pub campaign_id: Option<String>,
}

/// The detectors of one run, with the scratch buffers they share and the
/// stream state that spans records.
///
/// Records must be fed in input order: the stream state (authors flagged for
/// impersonation, doxxing incidents) uses each record's event time and the
/// accounts seen before an item.
pub struct Pipeline {
    detectors: Vec<Box<dyn Detector>>,
    scratch: Normalized,
    flagged: FlaggedAuthors,
    incidents: DoxxingIncidents,
}

impl Pipeline {
    pub fn new(detectors: Vec<Box<dyn Detector>>) -> Self {
        Pipeline {
            detectors,
            scratch: Normalized::default(),
            flagged: FlaggedAuthors::new(),
            incidents: DoxxingIncidents::new(DoxxingIncidentConfig::default()),
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
    ///
    /// A complaint is not run through detectors: it gets one `complaint`
    /// signal with score 0 that records who reported what and why, so that
    /// its verdict explains the route the policy gives complaints.
    ///
    /// Items of an account flagged for impersonation carry its signals, and
    /// doxxing items about one target within a window share an incident id.
    pub fn inspect(&mut self, record: &Record, out: &mut Vec<Signal>) -> Links {
        let mut links = Links::default();
        if let Record::Complaint(c) = record {
            out.push(complaint_signal(c));
            return links;
        }
        if self.detectors.is_empty() {
            return links;
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
                self.flagged.signals_for_item(item, out);
                links.incident_id = self.incidents.observe(item, out);
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
                self.flagged.record(&account.id, out);
            }
            Record::Complaint(_) => {}
        }
        links
    }
}

/// The signal that records a user complaint. Its category is the complaint's
/// `reason` when that is a category code of the default taxonomy.
fn complaint_signal(c: &Complaint) -> Signal {
    let category = category::DEFAULTS
        .iter()
        .find(|cat| cat.as_str() == c.reason)
        .cloned()
        .unwrap_or(Category::from_static("unspecified"));
    let (kind, id) = match &c.subject {
        ComplaintSubject::Item(id) => ("item", id),
        ComplaintSubject::Account(id) => ("account", id),
    };
    Signal {
        detector: Cow::Borrowed("complaint"),
        rule: "user_report".to_owned(),
        category,
        score: 0.0,
        spans: Vec::new(),
        evidence: format!("reported by {} about {kind} {id}: {}", c.reporter, c.reason),
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
