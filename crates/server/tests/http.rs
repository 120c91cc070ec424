//! The HTTP API over real HTTP on a loopback port, with a real SQLite store.

use qinglang_detect::Pipeline;
use qinglang_engine::Engine;
use qinglang_policy::Policy;
use qinglang_server::{router, ItemsResponse, ServerConfig};
use serde_json::Value;

async fn start(dir: &std::path::Path, token: Option<&str>) -> String {
    let store = qinglang_store::open(dir.join("h.db").to_str().unwrap()).unwrap();
    let engine = Engine::new(Pipeline::new(vec![]), Policy::default_pack(), store);
    let config = ServerConfig {
        token: token.map(str::to_owned),
        body_limit: 1 << 20,
        ..ServerConfig::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(qinglang_server::serve(listener, router(engine, config)));
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_are_validated_stored_and_their_verdicts_served() {
    let dir = tempfile::tempdir().unwrap();
    let base = start(dir.path(), None).await;
    let http = reqwest::Client::new();

    let health: Value = http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"], "sqlite");

    let body = concat!(
        r#"{"id":"h1","author":"u","text":"你好","created_at":"2024-05-01T08:00:00Z"}"#,
        "\n",
        "{broken\n",
        "\n",
        r#"{"id":"h1","author":"u","text":"again","created_at":"2024-05-01T08:00:00Z"}"#,
        "\n",
        r#"{"type":"account","id":"a1","name":"n"}"#,
        "\n",
    );
    let resp = http
        .post(format!("{base}/v1/items"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let r: ItemsResponse = resp.json().await.unwrap();
    assert_eq!(
        (r.accepted, r.rejected, r.duplicates, r.verdicts.len()),
        (3, 1, 1, 2)
    );
    assert_eq!(r.rejects[0].line, 2);
    assert_eq!(r.rejects[0].raw_base64, "e2Jyb2tlbg==");

    let v: Value = http
        .get(format!("{base}/v1/verdicts/h1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["item_id"], "h1");
    assert_eq!(v["route"], "pass");
    let v: Value = http
        .get(format!("{base}/v1/verdicts/a1?type=account"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["account_id"], "a1");
    let missing = http
        .get(format!("{base}/v1/verdicts/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let bad = http
        .get(format!("{base}/v1/verdicts/h1?type=post"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    // All lines good: 200. Resending stored records returns their stored verdicts.
    let ok = http
        .post(format!("{base}/v1/items"))
        .body(r#"{"id":"h1","author":"u","text":"changed","created_at":"2024-05-01T08:00:00Z"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let r: ItemsResponse = ok.json().await.unwrap();
    assert_eq!(r.verdicts.len(), 1);

    // Over the body limit: 413, and nothing breaks.
    let huge = "x".repeat(2 << 20);
    let resp = http
        .post(format!("{base}/v1/items"))
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_token_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let base = start(dir.path(), Some("s3cret")).await;
    let http = reqwest::Client::new();
    let no = http
        .get(format!("{base}/v1/verdicts/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(no.status(), 401);
    let wrong = http
        .get(format!("{base}/v1/verdicts/x"))
        .bearer_auth("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let yes = http
        .get(format!("{base}/v1/verdicts/x"))
        .bearer_auth("s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(yes.status(), 404);
    // Health stays open for load balancers.
    assert_eq!(
        http.get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}
