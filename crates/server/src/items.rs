//! `POST /v1/items`: JSON Lines in, verdicts and rejects out.

use crate::{authorised, error, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use qinglang_engine::{Accepted, Outcome};
use qinglang_ingest::{parse_record, Line, LineReader, Reject};
use qinglang_model::Verdict;
use qinglang_store::SeenKeys;
use serde::Serialize;

/// The answer to one batch. Status 200 when every line was accepted, 422
/// when some were rejected (the accepted ones are stored all the same).
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct ItemsResponse {
    pub accepted: u64,
    pub rejected: u64,
    pub duplicates: u64,
    /// One verdict per distinct accepted record, in body order.
    pub verdicts: Vec<Verdict>,
    pub rejects: Vec<RejectOut>,
}

/// A reject as in `scan --rejects`.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct RejectOut {
    pub line: u64,
    pub error: String,
    pub raw_base64: String,
}

pub(crate) async fn post_items(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = authorised(&s, &headers) {
        return r;
    }
    let max_line = s.config.max_line_bytes;
    let engine = s.engine.clone();
    let result = tokio::task::spawn_blocking(move || -> Result<ItemsResponse, String> {
        let mut resp = ItemsResponse {
            accepted: 0,
            rejected: 0,
            duplicates: 0,
            verdicts: vec![],
            rejects: vec![],
        };
        let mut batch = Vec::new();
        let mut lines = LineReader::new(&body[..], max_line);
        let mut line = Line::default();
        while lines.next_line(&mut line).map_err(|e| e.to_string())? {
            let parsed = if line.overlong {
                Err(format!(
                    "line is {} bytes, over the limit of {max_line}",
                    line.full_len
                ))
            } else {
                parse_record(&line.bytes).map_err(|r| r.to_string())
            };
            match parsed {
                Ok(None) => {}
                Ok(Some(record)) => {
                    resp.accepted += 1;
                    let text = String::from_utf8_lossy(&line.bytes);
                    let body = text.trim_start_matches('\u{feff}').trim().to_owned();
                    batch.push(Accepted { record, body });
                }
                Err(e) => {
                    resp.rejected += 1;
                    let r = Reject::new(line.number, e, &line.bytes);
                    resp.rejects.push(RejectOut {
                        line: r.line,
                        error: r.error,
                        raw_base64: r.raw_base64,
                    });
                }
            }
        }
        let mut engine = engine
            .lock()
            // A panic in an earlier request rolled its transaction back;
            // the engine is still usable.
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let outcomes = engine
            .process(batch, &mut SeenKeys::default())
            .map_err(|e| e.to_string())?;
        for o in outcomes {
            match o {
                Outcome::New(v, _) | Outcome::Stored(v, _) => resp.verdicts.push(v),
                Outcome::Duplicate => resp.duplicates += 1,
            }
        }
        Ok(resp)
    })
    .await;
    match result {
        Ok(Ok(resp)) => {
            let status = if resp.rejected > 0 {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            (status, Json(resp)).into_response()
        }
        Ok(Err(e)) => {
            tracing::error!("ingest failed: {e}");
            error(StatusCode::INTERNAL_SERVER_ERROR, e)
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
