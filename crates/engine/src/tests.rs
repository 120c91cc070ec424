use super::*;
use qinglang_ingest::parse_record;

fn accepted(line: &str) -> Accepted {
    Accepted {
        record: parse_record(line.as_bytes()).unwrap().unwrap(),
        body: line.to_owned(),
    }
}

fn item(id: &str) -> Accepted {
    accepted(&format!(
        r#"{{"id":"{id}","author":"u","text":"hello","created_at":"2024-05-01T08:00:00Z"}}"#
    ))
}

fn engine(path: &std::path::Path) -> Engine {
    let store = qinglang_store::open(path.to_str().unwrap()).unwrap();
    Engine::new(Pipeline::new(vec![]), Policy::default_pack(), store)
}

#[test]
fn duplicates_in_a_run_get_no_second_verdict_and_reruns_return_stored_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let mut e = engine(&db);
    let mut seen = SeenKeys::default();
    let out = e
        .process(vec![item("a"), item("b"), item("a")], &mut seen)
        .unwrap();
    assert!(matches!(out[0], Outcome::New(..)));
    assert!(matches!(out[1], Outcome::New(..)));
    assert_eq!(out[2], Outcome::Duplicate);
    // The same key in a later batch of the same run is still a duplicate.
    let out = e.process(vec![item("b")], &mut seen).unwrap();
    assert_eq!(out, vec![Outcome::Duplicate]);

    // A new run into the same database: stored verdicts come back, nothing new is stored.
    let mut e = engine(&db);
    let mut seen = SeenKeys::default();
    let out = e
        .process(vec![item("a"), item("c"), item("a")], &mut seen)
        .unwrap();
    assert!(matches!(out[0], Outcome::Stored(..)));
    assert!(matches!(out[1], Outcome::New(..)));
    assert_eq!(out[2], Outcome::Duplicate);
    assert_eq!(e.store().summary().unwrap().records(), 3);
}

#[test]
fn complaints_are_routed_to_review_and_verdict_json_matches_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = engine(&dir.path().join("e.db"));
    let c = accepted(
        r#"{"type":"complaint","id":"c1","item":"a","reporter":"r","reason":"doxxing","created_at":"2024-05-01T08:00:00Z"}"#,
    );
    let out = e.process(vec![c], &mut SeenKeys::default()).unwrap();
    let (v, json) = out[0].verdict().unwrap();
    assert_eq!(v.route, Route::Review);
    let back: Verdict = serde_json::from_str(json).unwrap();
    assert_eq!(&back, v);
    assert!(json.contains(r#""complaint_id":"c1""#));
}

#[test]
fn a_complaint_verdict_says_who_reported_what() {
    let dir = tempfile::tempdir().unwrap();
    let mut e = engine(&dir.path().join("e.db"));
    let c = accepted(
        r#"{"type":"complaint","id":"c2","account":"acc9","reporter":"r7","reason":"online_violence","created_at":"2024-05-01T08:00:00Z"}"#,
    );
    let out = e.process(vec![c], &mut SeenKeys::default()).unwrap();
    let (v, _) = out[0].verdict().unwrap();
    assert_eq!(v.signals.len(), 1);
    assert_eq!(v.signals[0].detector, "complaint");
    assert_eq!(v.signals[0].category.as_str(), "online_violence");
    assert!(v.signals[0].evidence.contains("r7") && v.signals[0].evidence.contains("acc9"));
    assert!(
        v.labels.is_empty(),
        "a complaint alone is not evidence of harm"
    );
}
