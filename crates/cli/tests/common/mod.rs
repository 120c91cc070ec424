//! Helpers for tests that run the real `qinglang` binary.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn qinglang() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qinglang"));
    c.env_remove("QINGLANG_DB").stdin(Stdio::null());
    c
}

pub fn run(args: &[&str], dir: &Path) -> Output {
    qinglang()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("qinglang runs")
}

/// The PostgreSQL server for tests, or None (with a notice) when not configured.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var("QINGLANG_TEST_POSTGRES").unwrap_or_default();
    if url.is_empty() {
        eprintln!(
            "NOTICE: QINGLANG_TEST_POSTGRES is not set; PostgreSQL end-to-end checks did not run"
        );
        return None;
    }
    Some(url)
}

/// A fresh database on the test server, dropped when the guard goes.
pub struct TempPgDb {
    admin_url: String,
    name: String,
    pub url: String,
}

impl TempPgDb {
    pub fn new(admin_url: &str) -> TempPgDb {
        let name = format!(
            "qtest_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        let mut c = postgres::Client::connect(admin_url, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at {admin_url}: {e}"));
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(admin_url);
        TempPgDb {
            admin_url: admin_url.to_owned(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for TempPgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}
