//! Domain types shared by every Qinglang crate.
//!
//! This crate owns the vocabulary of the system: the records that come in
//! ([`Item`], [`Account`], [`Complaint`]), what detectors say about them
//! ([`Signal`]), and what the policy concludes ([`Label`], [`Verdict`]).
//! It does no I/O; everything here is plain data with serde support.
//!
//! Categories are strings, not an enum, so that operators can rename, add and
//! remove categories in configuration without touching code. The defaults of
//! `../shared/design/taxonomy.md` are listed in [`category`].

pub mod category;
mod record;
mod verdict;

pub use category::Category;
pub use record::{
    Account, Complaint, ComplaintSubject, Item, ItemKind, Record, RecordKey, RecordType,
};
pub use verdict::{Label, Route, Severity, Signal, Span, Subject, Verdict};
