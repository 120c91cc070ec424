//! Ingest: from raw bytes to validated records, losing nothing.
//!
//! [`LineReader`] splits any byte stream into physical lines and keeps each
//! line's exact bytes and number. [`parse_record`] turns one line into a
//! [`Record`](qinglang_model::Record) or a [`RejectReason`] that names what is
//! wrong and which field. [`Reject`] is the quarantine entry written for a bad
//! line, carrying the original bytes in base64.
//!
//! Invariant: every physical line is either blank (skipped), accepted, or
//! rejected with its exact bytes. Nothing is silently dropped.

mod lines;
mod parse;
mod reject;

pub use lines::{Line, LineReader, DEFAULT_MAX_LINE_BYTES};
pub use parse::{parse_record, RejectReason, MAX_ID_BYTES};
pub use reject::Reject;
