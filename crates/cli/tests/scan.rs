//! End-to-end: the `scan` command on files of valid and malformed lines, on
//! both database back ends.

mod common;

use base64::Engine as _;
use common::{postgres_url, run, TempPgDb};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Builds an input of valid records and every kind of bad line the input
/// contract names. Returns the bytes, the distinct valid keys, and the bad
/// lines by 1-based number.
fn hostile_input() -> (Vec<u8>, BTreeSet<String>, BTreeMap<u64, Vec<u8>>) {
    let item = |id: &str, text: &str| {
        serde_json::json!({"id": id, "author": "u1", "text": text, "created_at": "2024-05-01T08:00:00+08:00"}).to_string().into_bytes()
    };
    let mut lines: Vec<(Vec<u8>, Option<&str>, bool)> = vec![
        // (bytes, valid key, bad?)
        ([b"\xEF\xBB\xBF".to_vec(), item("i1", "开盒 他的电话")].concat(), Some("item:i1"), false),
        ([item("i2", "crlf line"), b"\r".to_vec()].concat(), Some("item:i2"), false),
        (b"".to_vec(), None, false),
        (b"   ".to_vec(), None, false),
        (b"{not json".to_vec(), None, true),
        (b"{\"id\":\"i3\",\"author\":\"u1\",\"text\":\"\xff\xfe\",\"created_at\":\"2024-05-01T08:00:00Z\"}".to_vec(), None, true),
        (br#"{"id":"i4","author":"u1","created_at":"2024-05-01T08:00:00Z"}"#.to_vec(), None, true),
        (br#"{"id":"i5","author":5,"text":"t","created_at":"2024-05-01T08:00:00Z"}"#.to_vec(), None, true),
        (br#"{"id":"i6","author":"u1","text":"t","created_at":"2024-13-01T08:00:00Z"}"#.to_vec(), None, true),
        (b"{\"id\":\"i7\",\"author\":\"u1\",\"text\":\"a\x00b\",\"created_at\":\"2024-05-01T08:00:00Z\"}".to_vec(), None, true),
        (br#"{"id":"i8","author":"u1","text":"a\u0000b","created_at":"2024-05-01T08:00:00Z"}"#.to_vec(), None, true),
        ([b"[".repeat(5000), b"]".repeat(5000)].concat(), None, true),
        (item("i1", "second copy of i1"), None, false),
        (br#"{"type":"account","id":"acc1","name":"Some Name","verified":false,"likes":{"x":1}}"#.to_vec(), Some("account:acc1"), false),
        (br#"{"type":"complaint","id":"c1","item":"i1","reporter":"u9","reason":"doxxing","created_at":"2024-05-01T08:00:00Z"}"#.to_vec(), Some("complaint:c1"), false),
        (br#"{"type":"complaint","id":"c2","reporter":"u9","reason":"x","created_at":"2024-05-01T08:00:00Z"}"#.to_vec(), None, true),
        (item("big", &"长".repeat(3_500_000)), Some("item:big"), false),
        (item("i9", "last line has no newline"), Some("item:i9"), false),
    ];
    let mut bytes = Vec::new();
    let mut keys = BTreeSet::new();
    let mut bad = BTreeMap::new();
    let n = lines.len();
    for (i, (line, key, is_bad)) in lines.drain(..).enumerate() {
        bytes.extend_from_slice(&line);
        if i + 1 < n {
            bytes.push(b'\n');
        }
        if let Some(k) = key {
            keys.insert(k.to_owned());
        }
        if is_bad {
            bad.insert(i as u64 + 1, line);
        }
    }
    (bytes, keys, bad)
}

fn verdict_key(v: &Value) -> String {
    for (field, kind) in [
        ("item_id", "item"),
        ("account_id", "account"),
        ("complaint_id", "complaint"),
    ] {
        if let Some(id) = v.get(field).and_then(Value::as_str) {
            return format!("{kind}:{id}");
        }
    }
    panic!("verdict without a subject: {v}");
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Runs the hostile input against `db` twice and checks the contract; returns
/// the summary lines that name counts, for cross-back-end comparison.
fn check_contract(db: &str, dir: &Path) -> Vec<Value> {
    let (bytes, keys, bad) = hostile_input();
    std::fs::write(dir.join("in.jsonl"), &bytes).unwrap();
    let out = run(
        &[
            "scan",
            "in.jsonl",
            "--db",
            db,
            "--out",
            "v1.jsonl",
            "--rejects",
            "r1.jsonl",
        ],
        dir,
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let verdicts = read_jsonl(&dir.join("v1.jsonl"));
    let got: Vec<String> = verdicts.iter().map(verdict_key).collect();
    let distinct: BTreeSet<String> = got.iter().cloned().collect();
    assert_eq!(got.len(), distinct.len(), "one verdict per record: {got:?}");
    assert_eq!(distinct, keys);
    for v in &verdicts {
        assert!(["pass", "review", "action"].contains(&v["route"].as_str().unwrap()));
        assert!(v["labels"].is_array() && v["signals"].is_array());
        assert_eq!(v["policy_version"], "default-2026.11");
    }

    let rejects = read_jsonl(&dir.join("r1.jsonl"));
    let mut seen = BTreeMap::new();
    for r in &rejects {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(r["raw_base64"].as_str().unwrap())
            .unwrap();
        assert!(!r["error"].as_str().unwrap().is_empty());
        seen.insert(r["line"].as_u64().unwrap(), raw);
    }
    assert_eq!(seen, bad, "every bad line, with its number and exact bytes");

    // A second run into the same database changes nothing and writes the same verdicts.
    let out = run(
        &[
            "scan",
            "in.jsonl",
            "--db",
            db,
            "--out",
            "v2.jsonl",
            "--rejects",
            "r2.jsonl",
        ],
        dir,
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        std::fs::read(dir.join("v1.jsonl")).unwrap(),
        std::fs::read(dir.join("v2.jsonl")).unwrap()
    );
    assert_eq!(
        std::fs::read(dir.join("r1.jsonl")).unwrap(),
        std::fs::read(dir.join("r2.jsonl")).unwrap()
    );
    verdicts
}

fn sqlite_dump(path: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut rows = vec![];
    for sql in [
        "SELECT seq || kind || id || IFNULL(author,'') || IFNULL(created_at,'') || body || ingested_at || route || verdict FROM records ORDER BY seq",
        "SELECT kind || id || category || score FROM verdict_labels ORDER BY kind, id, category",
    ] {
        let mut stmt = c.prepare(sql).unwrap();
        rows.extend(stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap));
    }
    rows
}

#[test]
fn sqlite_scan_keeps_the_contract_and_a_rerun_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("q.db");
    let verdicts = check_contract(db.to_str().unwrap(), dir.path());
    assert!(!verdicts.is_empty());
    let before = sqlite_dump(&db);
    let out = run(
        &[
            "scan",
            "in.jsonl",
            "--db",
            db.to_str().unwrap(),
            "--out",
            "v3.jsonl",
            "--rejects",
            "r3.jsonl",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        sqlite_dump(&db),
        before,
        "a rerun must leave the database unchanged"
    );
}

#[test]
fn postgres_scan_gives_the_same_verdicts_as_sqlite() {
    let Some(admin) = postgres_url() else { return };
    let pg = TempPgDb::new(&admin);
    let dir = tempfile::tempdir().unwrap();
    let pg_verdicts = check_contract(&pg.url, dir.path());
    let dir2 = tempfile::tempdir().unwrap();
    let lite = check_contract(dir2.path().join("q.db").to_str().unwrap(), dir2.path());
    assert_eq!(pg_verdicts, lite);
}

#[test]
fn clean_input_exits_zero_and_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = r#"{"id":"a","author":"u","text":"hi","created_at":"2024-05-01T08:00:00Z"}"#;
    // A rejects file from an earlier run must not survive a clean run.
    std::fs::write(dir.path().join("qinglang-rejects.jsonl"), "{\"line\":1}\n").unwrap();
    let mut child = common::qinglang()
        .args(["scan", "-", "--db", "s.db", "--out", "-", "-q"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["item_id"], "a");
    assert!(
        !dir.path().join("qinglang-rejects.jsonl").exists(),
        "no rejects file without rejects"
    );
}

#[test]
fn usage_and_io_errors_exit_two_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["scan", "missing.jsonl", "--db", "x.db"],
            "cannot read input missing.jsonl",
        ),
        (&["scan", ".", "--db", "x.db"], "is a directory"),
        (
            &["scan", "-", "--db", "x.db", "--detectors", "bogus"],
            "unknown detector `bogus`",
        ),
        (
            &["scan", "-", "--db", "/nonexistent-dir/x.db"],
            "cannot open database",
        ),
        (&["scan", "--no-such-flag"], "unexpected argument"),
    ];
    for (args, expected) in cases {
        let out = run(args, dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(expected),
            "{args:?}: `{err}` lacks `{expected}`"
        );
    }
}

#[test]
fn overlong_lines_are_rejected_under_the_documented_limit() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!(
        r#"{{"id":"l","author":"u","text":"{}","created_at":"2024-05-01T08:00:00Z"}}"#,
        "x".repeat(5000)
    );
    let ok = r#"{"id":"s","author":"u","text":"hi","created_at":"2024-05-01T08:00:00Z"}"#;
    std::fs::write(dir.path().join("in.jsonl"), format!("{long}\n{ok}\n")).unwrap();
    let out = run(
        &[
            "scan",
            "in.jsonl",
            "--db",
            "o.db",
            "--out",
            "v.jsonl",
            "--rejects",
            "r.jsonl",
            "--max-line-bytes",
            "1000",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(3));
    let rejects = read_jsonl(&dir.path().join("r.jsonl"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["line"], 1);
    assert_eq!(rejects[0]["truncated"], true);
    assert!(rejects[0]["error"]
        .as_str()
        .unwrap()
        .contains("over the limit"));
    assert_eq!(read_jsonl(&dir.path().join("v.jsonl")).len(), 1);
}
