//! `qinglang serve`: the HTTP API.

use crate::commands::runtime::EngineArgs;
use anyhow::{Context, Result};
use clap::Args;
use qinglang_server::{router, ServerConfig};
use std::process::ExitCode;

/// Serve the HTTP API: GET /healthz, POST /v1/items (JSON Lines), GET /v1/verdicts/{id}.
#[derive(Args, Debug)]
#[command(
    after_help = "Example:\n  qinglang serve --listen 127.0.0.1:8080 &\n  \
    curl -s --data-binary @posts.jsonl http://127.0.0.1:8080/v1/items"
)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,

    /// Require `Authorization: Bearer TOKEN` on /v1 requests.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "QINGLANG_API_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = qinglang_server::DEFAULT_BODY_LIMIT)]
    pub body_limit: usize,

    #[command(flatten)]
    pub setup: EngineArgs,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    let engine = args.setup.engine()?;
    let config = ServerConfig {
        token: args.token.clone(),
        body_limit: args.body_limit,
        ..ServerConfig::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr()?;
        eprintln!(
            "qinglang serving on http://{addr} (database {}, token {})",
            crate::commands::runtime::redact_url(&args.setup.db),
            if args.token.is_some() {
                "required"
            } else {
                "not required"
            }
        );
        qinglang_server::serve(listener, router(engine, config))
            .await
            .context("server stopped with an error")
    })?;
    Ok(ExitCode::SUCCESS)
}
