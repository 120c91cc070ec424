//! Qinglang's HTTP API (JSON under `/v1`).
//!
//! - `GET /healthz`: liveness and the database back end.
//! - `POST /v1/items`: a JSON Lines body, validated exactly as `scan` does;
//!   answers with the verdicts of accepted records and the rejects.
//! - `GET /v1/verdicts/{id}`: the stored verdict of an item (or, with
//!   `?type=account|complaint`, of another record type).
//!
//! The engine is synchronous (SQLite and the PostgreSQL client block), so
//! requests run on blocking threads and share one [`Engine`] behind a mutex:
//! one ingest request at a time, which matches SQLite's single writer. The
//! lock is taken once per request, never per record.

mod items;

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qinglang_engine::Engine;
use qinglang_model::{RecordKey, RecordType};
use serde::Deserialize;
use serde_json::json;
use std::sync::{Arc, Mutex};

pub use items::ItemsResponse;

/// Default limit on a request body: 64 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Server configuration.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// When set, every `/v1` request must carry `Authorization: Bearer <token>`.
    pub token: Option<String>,
    pub body_limit: usize,
    pub max_line_bytes: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            token: None,
            body_limit: DEFAULT_BODY_LIMIT,
            max_line_bytes: qinglang_ingest::DEFAULT_MAX_LINE_BYTES,
        }
    }
}

#[derive(Clone)]
struct AppState {
    engine: Arc<Mutex<Engine>>,
    config: Arc<ServerConfig>,
    backend: &'static str,
}

/// The application's routes.
pub fn router(mut engine: Engine, config: ServerConfig) -> Router {
    let backend = engine.store().backend();
    let limit = config.body_limit;
    let state = AppState {
        engine: Arc::new(Mutex::new(engine)),
        config: Arc::new(config),
        backend,
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/v1/items", post(items::post_items))
        .route("/v1/verdicts/{id}", get(get_verdict))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// Serves `router` on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

async fn healthz(State(s): State<AppState>) -> Json<serde_json::Value> {
    Json(json!({"status": "ok", "database": s.backend, "version": env!("CARGO_PKG_VERSION")}))
}

/// A JSON error body with a status.
pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

#[allow(clippy::result_large_err)] // the error is the response itself, built once
pub(crate) fn authorised(state: &AppState, headers: &HeaderMap) -> Result<(), Response> {
    let Some(token) = &state.config.token else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        _ => Err(error(
            StatusCode::UNAUTHORIZED,
            "missing or wrong bearer token",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Deserialize)]
struct VerdictQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
}

async fn get_verdict(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<VerdictQuery>,
) -> Response {
    if let Err(r) = authorised(&s, &headers) {
        return r;
    }
    let kind = match q.kind.as_deref() {
        None => RecordType::Item,
        Some(k) => match RecordType::parse(k) {
            Some(t) => t,
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("unknown type `{k}`; expected item, account or complaint"),
                )
            }
        },
    };
    let key = RecordKey { kind, id };
    let engine = s.engine.clone();
    let lookup = tokio::task::spawn_blocking(move || {
        let mut engine = engine
            .lock()
            // A panic in an earlier request rolled its transaction back;
            // the engine is still usable.
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        engine
            .store()
            .verdicts(std::slice::from_ref(&key))
            .map(|mut m| m.remove(&key))
            .map_err(|e| e.to_string())
    })
    .await;
    match lookup {
        Ok(Ok(Some(v))) => Json(v).into_response(),
        Ok(Ok(None)) => error(StatusCode::NOT_FOUND, "no verdict stored for that id"),
        Ok(Err(e)) => {
            tracing::error!("verdict lookup failed: {e}");
            error(StatusCode::INTERNAL_SERVER_ERROR, e)
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
