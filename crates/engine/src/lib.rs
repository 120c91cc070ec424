//! The engine: one batch of validated records through detect → decide → store.
//!
//! Both `qinglang scan` and the HTTP server feed records through an
//! [`Engine`], so that a record gets the same verdict whichever way it came in.
//!
//! Invariants:
//! - Each distinct record key gets exactly one [`Outcome`] that carries a
//!   verdict in a run: [`Outcome::New`] when this batch stored it,
//!   [`Outcome::Stored`] when an earlier run had; later copies of a key in the
//!   same run are [`Outcome::Duplicate`].
//! - A record is stored together with its verdict, in one transaction per batch.
//! - Detection never touches the store: the store sees only finished verdicts.

use qinglang_detect::Pipeline;
use qinglang_model::{Record, RecordKey, Route, Subject, Verdict};
use qinglang_policy::Policy;
use qinglang_store::{SeenKeys, Store, StoreError, StoredRecord};

/// One accepted input record and the JSON text it arrived as.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub record: Record,
    /// The validated JSON of the record, as received (BOM and CR removed).
    pub body: String,
}

/// What happened to one accepted record.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Stored now, with this verdict (and its JSON).
    New(Verdict, String),
    /// Stored by an earlier run; this is the verdict stored then.
    Stored(Verdict, String),
    /// A second copy of a key already seen in this run: no verdict of its own.
    Duplicate,
}

impl Outcome {
    /// The verdict and its JSON, unless this is a duplicate.
    pub fn verdict(&self) -> Option<(&Verdict, &str)> {
        match self {
            Outcome::New(v, j) | Outcome::Stored(v, j) => Some((v, j)),
            Outcome::Duplicate => None,
        }
    }
}

/// A batch could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("verdict could not be serialised: {0}")]
    Serialise(#[from] serde_json::Error),
}

/// A batch whose verdicts are decided but not yet stored.
///
/// Produced by [`Decider::decide`], consumed by [`Committer::commit`]; the
/// two halves can run on different threads so that detection of one batch
/// overlaps storage of the previous one.
#[derive(Debug, Default)]
pub struct DecidedBatch {
    /// For each input record in order: `None` for a duplicate, or the index into `records`.
    slots: Vec<Option<usize>>,
    records: Vec<StoredRecord>,
}

impl DecidedBatch {
    /// Number of input records (duplicates included).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

/// The detect-and-decide half of an engine: detectors and policy.
pub struct Decider {
    pipeline: Pipeline,
    policy: Policy,
    detectors: String,
}

impl Decider {
    pub fn new(pipeline: Pipeline, policy: Policy) -> Self {
        let detectors = pipeline.versions().join(",");
        Decider {
            pipeline,
            policy,
            detectors,
        }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// `name@version` of the detectors that run.
    pub fn detectors(&self) -> &str {
        &self.detectors
    }

    /// Decides the verdict of one record.
    pub fn verdict(&mut self, record: &Record) -> Verdict {
        let mut signals = Vec::new();
        let links = self.pipeline.inspect(record, &mut signals);
        let subject = match record {
            Record::Item(i) => Subject::Item(i.id.clone()),
            Record::Account(a) => Subject::Account(a.id.clone()),
            Record::Complaint(c) => Subject::Complaint(c.id.clone()),
        };
        let mut verdict = self.policy.decide(subject, signals);
        verdict.incident_id = links.incident_id;
        verdict.campaign_id = links.campaign_id;
        verdict
    }

    /// Decides every record of `batch` that `seen` has not seen in this run.
    pub fn decide(
        &mut self,
        batch: Vec<Accepted>,
        seen: &mut SeenKeys,
    ) -> Result<DecidedBatch, EngineError> {
        let mut out = DecidedBatch {
            slots: Vec::with_capacity(batch.len()),
            records: Vec::with_capacity(batch.len()),
        };
        for accepted in batch {
            let record = &accepted.record;
            if !seen.insert(record.record_type(), record.id())? {
                out.slots.push(None);
                continue;
            }
            let verdict = self.verdict(record);
            let verdict_json = serde_json::to_string(&verdict)?;
            out.slots.push(Some(out.records.len()));
            out.records.push(stored_record(
                accepted,
                verdict,
                verdict_json,
                &self.detectors,
            ));
        }
        Ok(out)
    }
}

/// The storing half of an engine.
pub struct Committer {
    store: Box<dyn Store>,
}

impl Committer {
    pub fn new(store: Box<dyn Store>) -> Self {
        Committer { store }
    }

    pub fn store(&mut self) -> &mut dyn Store {
        self.store.as_mut()
    }

    /// Stores a decided batch; returns one outcome per input record, in order.
    pub fn commit(&mut self, batch: DecidedBatch) -> Result<Vec<Outcome>, EngineError> {
        let DecidedBatch { slots, records } = batch;
        let inserted = self.store.insert_batch(&records)?;
        let already: Vec<RecordKey> = records
            .iter()
            .zip(&inserted)
            .filter(|(_, new)| !**new)
            .map(|(r, _)| r.key.clone())
            .collect();
        let mut stored = if already.is_empty() {
            Default::default()
        } else {
            self.store.verdicts(&already)?
        };
        let mut decided: Vec<Option<Outcome>> = Vec::with_capacity(records.len());
        for (record, new) in records.into_iter().zip(inserted) {
            let outcome = if new {
                Outcome::New(record.verdict, record.verdict_json)
            } else {
                match stored.remove(&record.key) {
                    Some(v) => {
                        let json = serde_json::to_string(&v)?;
                        Outcome::Stored(v, json)
                    }
                    // Rows are never deleted, so a key that is stored but
                    // has no verdict means the database lost it.
                    None => {
                        return Err(EngineError::Store(StoreError::Config(format!(
                            "{} `{}` is stored without a verdict",
                            record.key.kind, record.key.id
                        ))))
                    }
                }
            };
            decided.push(Some(outcome));
        }
        Ok(slots
            .into_iter()
            .map(|slot| {
                slot.and_then(|i| decided.get_mut(i).and_then(Option::take))
                    .unwrap_or(Outcome::Duplicate)
            })
            .collect())
    }
}

/// Detectors, policy and store of one process, used from one thread.
pub struct Engine {
    decider: Decider,
    committer: Committer,
}

impl Engine {
    pub fn new(pipeline: Pipeline, policy: Policy, store: Box<dyn Store>) -> Self {
        Engine {
            decider: Decider::new(pipeline, policy),
            committer: Committer::new(store),
        }
    }

    /// The two halves, to run detection and storage on separate threads.
    pub fn split(self) -> (Decider, Committer) {
        (self.decider, self.committer)
    }

    /// The store, for queries outside the ingest path.
    pub fn store(&mut self) -> &mut dyn Store {
        self.committer.store()
    }

    pub fn policy(&self) -> &Policy {
        self.decider.policy()
    }

    /// `name@version` of the detectors that run.
    pub fn detectors(&self) -> &str {
        self.decider.detectors()
    }

    /// Decides the verdict of one record without storing it.
    pub fn decide(&mut self, record: &Record) -> Verdict {
        self.decider.verdict(record)
    }

    /// Processes a batch: returns one outcome per record, in order.
    /// `seen` holds the keys of the current run (a file, a request).
    pub fn process(
        &mut self,
        batch: Vec<Accepted>,
        seen: &mut SeenKeys,
    ) -> Result<Vec<Outcome>, EngineError> {
        let decided = self.decider.decide(batch, seen)?;
        self.committer.commit(decided)
    }
}

fn stored_record(
    accepted: Accepted,
    verdict: Verdict,
    verdict_json: String,
    detectors: &str,
) -> StoredRecord {
    let Accepted { record, body } = accepted;
    let key = record.key();
    let (author, created_at, platform, region) = match record {
        Record::Item(i) => (Some(i.author), Some(i.created_at), i.platform, i.region),
        Record::Account(a) => (None, a.created_at, a.platform, None),
        Record::Complaint(c) => (Some(c.reporter), Some(c.created_at), None, None),
    };
    StoredRecord {
        key,
        author,
        created_at,
        platform,
        region,
        body,
        verdict,
        verdict_json,
        detectors: detectors.to_owned(),
    }
}

/// Counts of outcomes, by route for those with verdicts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeCounts {
    pub new: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub by_route: [u64; 3],
}

impl OutcomeCounts {
    pub fn add(&mut self, o: &Outcome) {
        match o {
            Outcome::New(v, _) => {
                self.new += 1;
                self.by_route[route_index(v.route)] += 1;
            }
            Outcome::Stored(v, _) => {
                self.stored += 1;
                self.by_route[route_index(v.route)] += 1;
            }
            Outcome::Duplicate => self.duplicates += 1,
        }
    }

    pub fn route(&self, r: Route) -> u64 {
        self.by_route[route_index(r)]
    }
}

fn route_index(r: Route) -> usize {
    match r {
        Route::Pass => 0,
        Route::Review => 1,
        Route::Action => 2,
    }
}

#[cfg(test)]
mod tests;
