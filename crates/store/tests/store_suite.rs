//! One test suite, run against every back end: SQLite always, PostgreSQL when
//! `QINGLANG_TEST_POSTGRES` names a server (the workspace's .cargo/config.toml
//! points it at the local one).

use chrono::DateTime;
use qinglang_model::{category, Label, RecordKey, RecordType, Route, Severity, Subject, Verdict};
use qinglang_store::{PostgresStore, SqliteStore, Store, StoredRecord};

fn record(kind: RecordType, id: &str, route: Route, labels: Vec<Label>) -> StoredRecord {
    let subject = match kind {
        RecordType::Item => Subject::Item(id.into()),
        RecordType::Account => Subject::Account(id.into()),
        RecordType::Complaint => Subject::Complaint(id.into()),
    };
    let verdict = Verdict {
        subject,
        route,
        labels,
        signals: vec![],
        campaign_id: None,
        incident_id: None,
        policy_version: "test@1".into(),
    };
    StoredRecord {
        key: RecordKey {
            kind,
            id: id.into(),
        },
        author: Some("u1".into()),
        created_at: Some(DateTime::parse_from_rfc3339("2024-05-01T08:00:00+08:00").unwrap()),
        platform: Some("weibo".into()),
        region: Some("Guangzhou".into()),
        body: format!(r#"{{"id":"{id}","text":"含有 ' 引号 \" 和 emoji 🙂"}}"#),
        verdict_json: serde_json::to_string(&verdict).unwrap(),
        verdict,
        detectors: "lexicon@1".into(),
    }
}

fn label(cat: qinglang_model::Category, score: f32) -> Label {
    Label {
        category: cat,
        score,
        severity: Severity::High,
    }
}

fn suite(store: &mut dyn Store) {
    let batch = vec![
        record(RecordType::Item, "i1", Route::Pass, vec![]),
        record(
            RecordType::Item,
            "i2",
            Route::Review,
            vec![label(category::DOXXING, 0.8)],
        ),
        record(
            RecordType::Account,
            "i1",
            Route::Action,
            vec![label(category::NEWS_IMPERSONATION, 0.95)],
        ),
        record(RecordType::Complaint, "c1", Route::Review, vec![]),
    ];
    assert_eq!(
        store.insert_batch(&batch).unwrap(),
        vec![true; 4],
        "{}: all new",
        store.backend()
    );
    let before = store.summary().unwrap();
    assert_eq!(before.records(), 4);
    assert_eq!(before.records_by_type["item"], 2);
    assert_eq!(before.verdicts_by_route["review"], 2);
    assert_eq!(before.labels_by_category["doxxing"], 1);

    // Storing the same keys again (even with other verdicts) changes nothing.
    let mut again = batch.clone();
    again[0] = record(
        RecordType::Item,
        "i1",
        Route::Action,
        vec![label(category::GAMBLING_DRUGS, 1.0)],
    );
    again.push(record(RecordType::Item, "i3", Route::Pass, vec![]));
    again.push(record(RecordType::Item, "i3", Route::Action, vec![]));
    assert_eq!(
        store.insert_batch(&again).unwrap(),
        vec![false, false, false, false, true, false]
    );
    let after = store.summary().unwrap();
    assert_eq!(after.records(), 5);
    assert_eq!(
        after.verdicts_by_route.get("action"),
        before.verdicts_by_route.get("action")
    );
    assert_eq!(after.labels_by_category.get("gambling_drugs"), None);

    // Stored verdicts come back as stored, for exactly the stored keys.
    let keys = vec![
        RecordKey {
            kind: RecordType::Item,
            id: "i1".into(),
        },
        RecordKey {
            kind: RecordType::Account,
            id: "i1".into(),
        },
        RecordKey {
            kind: RecordType::Item,
            id: "nope".into(),
        },
    ];
    let got = store.verdicts(&keys).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[&keys[0]].route, Route::Pass);
    assert_eq!(got[&keys[1]], batch[2].verdict);
    assert_eq!(
        store.record_body(&keys[0]).unwrap(),
        Some(batch[0].body.clone())
    );
    assert_eq!(store.record_body(&keys[2]).unwrap(), None);
    assert_eq!(store.insert_batch(&[]).unwrap(), Vec::<bool>::new());
}

#[test]
fn sqlite_store_passes_the_suite_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.db");
    let path = path.to_str().unwrap();
    let mut store = SqliteStore::open(path).unwrap();
    suite(&mut store);
    drop(store);
    // Reopening applies no migration twice and keeps the data.
    let mut store = qinglang_store::open(&format!("sqlite:{path}")).unwrap();
    assert_eq!(store.summary().unwrap().records(), 5);
}

#[test]
fn postgres_store_passes_the_suite() {
    let url = std::env::var("QINGLANG_TEST_POSTGRES").unwrap_or_default();
    if url.is_empty() {
        eprintln!(
            "NOTICE: QINGLANG_TEST_POSTGRES is not set; the PostgreSQL store suite did not run"
        );
        return;
    }
    let schema = format!(
        "qtest_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    let result = std::panic::catch_unwind(|| {
        let mut store = PostgresStore::open_in_schema(&url, Some(&schema))
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at {url}: {e}"));
        suite(&mut store);
        drop(store);
        let mut store = PostgresStore::open_in_schema(&url, Some(&schema)).unwrap();
        assert_eq!(store.summary().unwrap().records(), 5);
    });
    PostgresStore::drop_schema(&url, &schema).ok();
    if let Err(p) = result {
        std::panic::resume_unwind(p);
    }
}

#[test]
fn bad_urls_give_errors_not_panics() {
    assert!(qinglang_store::open("").is_err());
    assert!(qinglang_store::open("postgres://nobody@127.0.0.1:1/none").is_err());
    assert!(qinglang_store::open("/nonexistent-dir/deeper/q.db").is_err());
}
