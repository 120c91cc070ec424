//! End-to-end: `scan` with every detector on, including the stream state that
//! spans records (impersonating authors, doxxing incidents).

mod common;

use common::run;
use serde_json::Value;

fn verdicts(dir: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("v.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn find<'a>(vs: &'a [Value], field: &str, id: &str) -> &'a Value {
    vs.iter()
        .find(|v| v[field] == id)
        .unwrap_or_else(|| panic!("no verdict for {field}={id}"))
}

fn detectors_of(v: &Value) -> Vec<String> {
    v["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["detector"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn all_detectors_run_and_stream_state_links_records() {
    let dir = tempfile::tempdir().unwrap();
    let protected =
        r#"{"name":"新华社","kind":"news_unit","licence":"10120170001","account":"acc_real"}"#;
    std::fs::write(dir.path().join("protected.jsonl"), protected).unwrap();
    let input = [
        r#"{"type":"account","id":"acc_real","name":"新华社","verified":true}"#,
        r#"{"type":"account","id":"acc_fake","name":"新華社官方发布"}"#,
        r#"{"id":"n1","author":"acc_fake","text":"突发消息，速转","created_at":"2024-06-01T10:00:00+08:00"}"#,
        r#"{"id":"g1","author":"u1","text":"线上赌场，注册就送888","created_at":"2024-06-01T10:01:00+08:00"}"#,
        r#"{"id":"x1","author":"u2","text":"开盒了，她的手机 138 1234 5678，家住广州市天河区体育西路123号","created_at":"2024-06-01T10:02:00+08:00","target":"victim"}"#,
        r#"{"id":"x2","author":"u3","text":"人肉出来了，电话一三八一二三四五六七八","created_at":"2024-06-01T11:00:00+08:00","target":"victim"}"#,
        r#"{"id":"ok1","author":"u4","text":"今天天气很好，一起去公园散步吧","created_at":"2024-06-01T12:00:00+08:00"}"#,
    ]
    .join("\n");
    std::fs::write(dir.path().join("in.jsonl"), input).unwrap();
    let out = run(
        &[
            "scan",
            "in.jsonl",
            "--db",
            "d.db",
            "--out",
            "v.jsonl",
            "--protected",
            "protected.jsonl",
            "-q",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let vs = verdicts(dir.path());
    assert_eq!(vs.len(), 7);

    // The verified owner is not flagged; the impostor is, and so are its items.
    assert!(
        !detectors_of(find(&vs, "account_id", "acc_real")).contains(&"impersonation".to_owned())
    );
    assert!(detectors_of(find(&vs, "account_id", "acc_fake")).contains(&"impersonation".to_owned()));
    assert!(detectors_of(find(&vs, "item_id", "n1")).contains(&"impersonation".to_owned()));

    let g1 = find(&vs, "item_id", "g1");
    assert!(detectors_of(g1).contains(&"lexicon".to_owned()));
    assert_ne!(g1["route"], "pass");

    // Two doxxing items about one target: one incident, and masked evidence.
    let (x1, x2) = (find(&vs, "item_id", "x1"), find(&vs, "item_id", "x2"));
    assert!(detectors_of(x1).contains(&"pii".to_owned()));
    assert!(x1["labels"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["category"] == "doxxing"));
    assert!(
        x2["incident_id"].is_string(),
        "second doxxing item raises an incident: {x2}"
    );
    let text = serde_json::to_string(&vs).unwrap();
    assert!(
        !text.contains("13812345678") && !text.contains("138 1234 5678"),
        "numbers are masked in evidence"
    );

    let ok = find(&vs, "item_id", "ok1");
    assert_eq!(ok["route"], "pass", "{ok}");
}
