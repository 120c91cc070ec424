//! Doxxing labels on single items and incidents across items.

use qinglang_detect::doxxing::{DoxxingIncidentConfig, DoxxingIncidents};
use qinglang_detect::pii::{PiiDetector, PiiKey};
use qinglang_detect::{Detector, ItemContext, Signal};
use qinglang_model::Item;
use qinglang_text::Normalized;

fn item(id: &str, text: &str, at: &str, target: Option<&str>) -> Item {
    let mut v = serde_json::json!({"id": id, "author": "u", "text": text, "created_at": at});
    if let Some(t) = target {
        v["target"] = t.into();
    }
    serde_json::from_value(v).unwrap()
}

fn signals(it: &Item) -> Vec<Signal> {
    let d = PiiDetector::new(PiiKey::new("k"));
    let n = Normalized::new(&it.text);
    let mut out = Vec::new();
    d.inspect_item(&ItemContext { item: it, text: &n }, &mut out);
    out
}

fn doxxing(it: &Item) -> Option<Signal> {
    signals(it).into_iter().find(|s| s.rule == "doxxing")
}

const T0: &str = "2024-05-01T08:00:00+08:00";

#[test]
fn labels_follow_kinds_cues_and_targets() {
    // One kind, nothing else: personal, not doxxing.
    assert!(doxxing(&item("1", "有事打我电话13812345678", T0, None)).is_none());
    // Two kinds.
    let s = doxxing(&item(
        "2",
        "电话13812345678，身份证11010519491231002X",
        T0,
        None,
    ))
    .unwrap();
    assert_eq!(s.category.as_str(), "doxxing");
    assert_eq!(s.spans.len(), 2);
    assert!(!s.evidence.contains("13812345678"));
    // One kind with a doxxing cue, or a target.
    assert!(doxxing(&item("3", "开盒了，13812345678 冲", T0, None)).is_some());
    assert!(doxxing(&item("4", "这是他的手机13812345678", T0, None)).is_some());
    assert!(doxxing(&item("5", "13812345678", T0, Some("acc-9"))).is_some());
    assert!(doxxing(&item("6", "@李四 的号码13812345678", T0, None)).is_some());
    // Stronger with a cue than without.
    let plain = doxxing(&item(
        "7",
        "电话13812345678，邮箱 a.b@example.com",
        T0,
        None,
    ))
    .unwrap();
    let cued = doxxing(&item(
        "8",
        "人肉出来了 电话13812345678，邮箱 a.b@example.com",
        T0,
        None,
    ))
    .unwrap();
    assert!(cued.score > plain.score);
}

#[test]
fn items_about_one_target_form_one_incident_within_the_window() {
    let mut inc = DoxxingIncidents::new(DoxxingIncidentConfig::default());
    let a = item("a", "开盒 13812345678", "2024-05-01T08:00:00+08:00", None);
    let b = item(
        "b",
        "扒出来了 幺三八 一二三四 五六七八",
        "2024-05-01T20:00:00+08:00",
        None,
    );
    let c = item(
        "c",
        "人肉 这人电话13812345678 身份证11010519491231002X",
        "2024-05-02T09:00:00+08:00",
        None,
    );
    let other = item("d", "开盒 13987654321", "2024-05-02T10:00:00+08:00", None);
    let late = item("e", "开盒 13812345678", "2024-05-20T10:00:00+08:00", None);
    let ordinary = item("f", "今天天气不错", "2024-05-02T10:00:00+08:00", None);
    assert_eq!(inc.observe(&a, &signals(&a)), None);
    assert_eq!(inc.observe(&b, &signals(&b)).as_deref(), Some("doxxing-a"));
    assert_eq!(inc.observe(&ordinary, &signals(&ordinary)), None);
    // The identity number joins through the shared mobile.
    assert_eq!(inc.observe(&c, &signals(&c)).as_deref(), Some("doxxing-a"));
    assert_eq!(inc.observe(&other, &signals(&other)), None);
    // Outside the window: a new group, not yet an incident.
    assert_eq!(inc.observe(&late, &signals(&late)), None);
}

#[test]
fn target_accounts_link_items_without_shared_numbers() {
    let mut inc = DoxxingIncidents::new(DoxxingIncidentConfig {
        min_items: 2,
        ..Default::default()
    });
    let a = item(
        "a",
        "他家住在广东省深圳市南山区科技路12号",
        T0,
        Some("victim"),
    );
    let b = item(
        "b",
        "她的手机13987654321",
        "2024-05-01T09:00:00+08:00",
        Some("victim"),
    );
    assert_eq!(inc.observe(&a, &signals(&a)), None);
    assert_eq!(inc.observe(&b, &signals(&b)).as_deref(), Some("doxxing-a"));
}
