use super::*;
use qinglang_model::{category, Severity};
use std::borrow::Cow;

fn signal(cat: Category, score: f32) -> Signal {
    Signal {
        detector: Cow::Borrowed("test"),
        rule: "r".into(),
        category: cat,
        score,
        spans: vec![],
        evidence: String::new(),
    }
}

#[test]
fn default_pack_parses_and_has_a_version() {
    let p = Policy::default_pack();
    assert_eq!(p.version(), "default-2026.11");
    assert!(p.categories().any(|c| c == "doxxing"));
}

#[test]
fn no_signals_pass_with_no_labels() {
    let v = Policy::default_pack().decide(Subject::Item("i".into()), vec![]);
    assert_eq!(v.route, Route::Pass);
    assert!(v.labels.is_empty());
    assert_eq!(v.policy_version, "default-2026.11");
}

/// Signals, the expected route, and the expected top label and severity.
type Case = (Vec<Signal>, Route, Option<(&'static str, Severity)>);

#[test]
fn routes_follow_thresholds_per_category() {
    let p = Policy::default_pack();
    let cases: Vec<Case> = vec![
        (
            vec![signal(category::GAMBLING_DRUGS, 0.2)],
            Route::Pass,
            None,
        ),
        (
            vec![signal(category::GAMBLING_DRUGS, 0.5)],
            Route::Review,
            Some(("gambling_drugs", Severity::Medium)),
        ),
        (
            vec![signal(category::GAMBLING_DRUGS, 0.95)],
            Route::Action,
            Some(("gambling_drugs", Severity::Critical)),
        ),
        // Two 0.6 signals combine to 0.84 by noisy-OR.
        (
            vec![
                signal(category::DOXXING, 0.6),
                signal(category::DOXXING, 0.6),
            ],
            Route::Review,
            Some(("doxxing", Severity::High)),
        ),
        // auto_action = false caps the route at review, whatever the score.
        (
            vec![signal(category::NEWS_IMPERSONATION, 1.0)],
            Route::Review,
            Some(("news_impersonation", Severity::Critical)),
        ),
        // A category the policy does not name uses the defaults.
        (
            vec![signal(Category::new("brand_new"), 0.92)],
            Route::Action,
            Some(("brand_new", Severity::Critical)),
        ),
    ];
    for (signals, route, top) in cases {
        let v = p.decide(Subject::Item("i".into()), signals.clone());
        assert_eq!(v.route, route, "{signals:?}");
        assert_eq!(v.signals, signals, "signals are kept verbatim");
        let got = v.labels.first().map(|l| (l.category.as_str(), l.severity));
        assert_eq!(got, top, "{signals:?}");
    }
}

#[test]
fn labels_are_sorted_by_score_and_complaints_reach_review() {
    let p = Policy::default_pack();
    let v = p.decide(
        Subject::Complaint("c".into()),
        vec![
            signal(category::VULGAR_SEXUAL, 0.4),
            signal(category::FALSE_ADVERTISING, 0.45),
        ],
    );
    assert_eq!(v.route, Route::Review);
    let cats: Vec<_> = v.labels.iter().map(|l| l.category.as_str()).collect();
    assert_eq!(cats, ["false_advertising", "vulgar_sexual"]);
}

#[test]
fn invalid_policies_are_refused_with_a_reason() {
    let base = "version = \"v\"\n[defaults]\nlabel = 0.3\nreview = 0.5\naction = 0.9\n[defaults.severity]\nmedium = 0.5\nhigh = 0.7\ncritical = 0.9\n";
    assert!(Policy::from_toml(base).is_ok());
    let cases = [
        (
            base.replace("action = 0.9", "action = 1.5"),
            "must be between 0 and 1",
        ),
        (
            base.replace("review = 0.5", "review = 0.95"),
            "above the action threshold",
        ),
        (base.replace("high = 0.7", "high = 0.95"), "bands must rise"),
        (
            base.replace("version = \"v\"", "version = \"\""),
            "must not be empty",
        ),
        (
            format!("{base}[categories.x]\nrevew = 0.2\n"),
            "unknown field",
        ),
        (
            format!("{base}[complaints]\nroute = \"later\"\n"),
            "must be pass, review or action",
        ),
        ("not toml [".to_owned(), "not valid TOML"),
    ];
    for (text, expected) in cases {
        let err = Policy::from_toml(&text).unwrap_err().to_string();
        assert!(err.contains(expected), "got `{err}`, expected `{expected}`");
    }
}

#[test]
fn weights_scale_signals_by_detector_or_rule() {
    let p = Policy::default_pack();
    let mut s = signal(category::ONLINE_VIOLENCE, 0.99);
    s.detector = Cow::Borrowed("classifier");
    let v = p.decide(Subject::Item("i".into()), vec![s.clone()]);
    assert_eq!(v.route, Route::Review, "the classifier alone does not act");
    assert!((v.labels[0].score - 0.891).abs() < 1e-6);
    assert_eq!(v.signals[0].score, 0.99, "signals stay verbatim");

    let text = "version = \"v\"\n[defaults]\nlabel = 0.3\nreview = 0.5\naction = 0.9\n[defaults.severity]\nmedium = 0.5\nhigh = 0.7\ncritical = 0.9\n[weights]\nclassifier = 0.5\n\"classifier/offense\" = 0.2\n";
    let p = Policy::from_toml(text).unwrap();
    assert_eq!(p.weight(&s), 0.5);
    s.rule = "offense".into();
    assert_eq!(p.weight(&s), 0.2);
    let bad = text.replace("= 0.2", "= 3");
    assert!(Policy::from_toml(&bad)
        .unwrap_err()
        .to_string()
        .contains("must be between 0 and 1"));
}
