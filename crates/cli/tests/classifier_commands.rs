//! `qinglang train`, `classify` and `eval` end to end on a generated data
//! set (no external data): rejects, output format, several heads.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn qinglang() -> Command {
    Command::new(env!("CARGO_BIN_EXE_qinglang"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qinglang-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A CSV in COLD's layout (BOM, unnamed index column, 0/1 labels) with one bad row.
fn write_data(dir: &Path) -> PathBuf {
    let mut csv = String::from("\u{feff},topic,label,TEXT\n");
    let bad = ["你这个垃圾", "滚出去吧你", "蠢货一个"];
    let good = ["今天天气不错", "一起去吃饭", "谢谢你的帮助"];
    for i in 0..120 {
        let (text, label) = if i % 2 == 0 {
            (bad[i % 3], 1)
        } else {
            (good[i % 3], 0)
        };
        csv.push_str(&format!("{i},race,{label},\"{text}，第{}条\"\n", i % 7));
    }
    csv.push_str("999,race,1\n");
    let path = dir.join("data.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

fn classify(model: &Path, head: Option<&str>, input: &str) -> String {
    let mut cmd = qinglang();
    cmd.args(["classify", "--model"]).arg(model);
    if let Some(h) = head {
        cmd.args(["--head", h]);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn train_classify_and_eval() {
    let dir = temp_dir("train");
    let data = write_data(&dir);
    let model = dir.join("m.qlcm");
    let rejects = dir.join("rejects.jsonl");
    let status = qinglang()
        .args([
            "train",
            "--text-column",
            "TEXT",
            "--label-column",
            "label",
            "--label-names",
            "0=safe,1=offensive",
        ])
        .args([
            "--head",
            "offense",
            "--bucket-bits",
            "14",
            "--min-df",
            "1",
            "--folds",
            "3",
            "--data",
        ])
        .arg(&data)
        .arg("--out")
        .arg(&model)
        .arg("--rejects")
        .arg(&rejects)
        .status()
        .unwrap();
    assert!(status.success());
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    let reject: serde_json::Value = serde_json::from_str(rejected.trim()).unwrap();
    assert_eq!(reject["line"], 122);
    assert!(reject["error"].as_str().unwrap().contains("3 fields"));
    assert!(reject["raw_base64"].is_string());

    let out = classify(&model, None, "你这个垃圾\n今天天气不错\n");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["label"], "offensive");
    assert_eq!(lines[1]["label"], "safe");
    let scores = lines[0]["scores"].as_object().unwrap();
    assert_eq!(scores.len(), 2);
    let sum: f64 = scores.values().map(|v| v.as_f64().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-3);
    assert!(
        out.starts_with("{\"label\": \"offensive\", \"scores\": {\"safe\": 0."),
        "{out}"
    );

    // A second head in the same file.
    let spam_data = dir.join("spam.jsonl");
    let spam: String = (0..60)
        .map(|i| {
            if i % 2 == 0 {
                format!("{{\"text\":\"win cash now {i}\",\"y\":\"spam\"}}\n")
            } else {
                format!("{{\"text\":\"see you at {i}\",\"y\":\"ham\"}}\n")
            }
        })
        .collect();
    std::fs::write(&spam_data, spam).unwrap();
    let both = dir.join("both.qlcm");
    let status = qinglang()
        .args([
            "train",
            "--text-column",
            "text",
            "--label-column",
            "y",
            "--head",
            "spam",
            "--bucket-bits",
            "12",
            "--min-df",
            "1",
            "--folds",
            "0",
        ])
        .arg("--data")
        .arg(&spam_data)
        .arg("--base")
        .arg(&model)
        .arg("--out")
        .arg(&both)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(classify(&both, Some("spam"), "win cash\n").starts_with("{\"label\": \"spam\""));
    assert!(
        classify(&both, Some("offense"), "你这个垃圾\n").starts_with("{\"label\": \"offensive\"")
    );

    let out = qinglang()
        .args([
            "eval",
            "--text-column",
            "TEXT",
            "--label-column",
            "label",
            "--label-names",
            "0=safe,1=offensive",
            "--model",
        ])
        .arg(&model)
        .arg("--data")
        .arg(&data)
        .output()
        .unwrap();
    assert!(out.status.success());
    let report = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "accuracy  1.0000",
        "macro-F1",
        "confusion matrix",
        "threshold sweep",
        "offensive",
    ] {
        assert!(report.contains(needle), "missing {needle:?} in\n{report}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The JSON header of a model file, as text.
fn header(model: &Path) -> String {
    let bytes = std::fs::read(model).unwrap();
    let len = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    String::from_utf8(bytes[16..16 + len].to_vec()).unwrap()
}

#[test]
fn feature_families_are_chosen_by_flags_and_stored() {
    let dir = temp_dir("families");
    let data = write_data(&dir);
    let train = |extra: &[&str], out: &Path| {
        let status = qinglang()
            .args(["train", "--text-column", "TEXT", "--label-column", "label"])
            .args(["--bucket-bits", "14", "--min-df", "1", "--folds", "0"])
            .args(extra)
            .arg("--data")
            .arg(&data)
            .arg("--out")
            .arg(out)
            .arg("--rejects")
            .arg(dir.join("rejects.jsonl"))
            .status()
            .unwrap();
        assert!(status.success(), "{extra:?}");
        header(out)
    };
    let defaults = train(&[], &dir.join("a.qlcm"));
    assert!(defaults.contains("\"han_words\":true"), "{defaults}");
    assert!(defaults.contains("\"lexicon_hits\":false"), "{defaults}");
    assert!(
        defaults.contains("\"word_dictionary\":\"words:"),
        "{defaults}"
    );
    // The last of two opposite flags wins.
    let chosen = train(
        &["--words", "--no-words", "--lexicon-hits"],
        &dir.join("b.qlcm"),
    );
    assert!(chosen.contains("\"han_words\":false"), "{chosen}");
    assert!(chosen.contains("\"lexicon_hits\":true"), "{chosen}");
    assert!(chosen.contains("\"lexicon\":\"default-pack:"), "{chosen}");
    let out = classify(&dir.join("b.qlcm"), None, "你这个垃圾\n来玩百家乐\n\n");
    assert_eq!(out.lines().count(), 3);
    assert!(out.starts_with("{\"label\": \"1\""), "{out}");

    let help = qinglang().args(["train", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for flag in [
        "--words",
        "--no-words",
        "--lexicon-hits",
        "--no-lexicon-hits",
    ] {
        assert!(help.contains(flag), "{flag} missing from\n{help}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn usage_errors_exit_with_code_2() {
    let out = qinglang()
        .args(["classify", "--model", "/nonexistent/model.qlcm"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = qinglang()
        .args(["classify", "--head", "nope"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no head `nope`"));
}

#[test]
fn default_model_classifies_without_arguments() {
    let mut child = qinglang()
        .arg("classify")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("今天天气很好，我们去公园吧\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        line["label"] == "safe" || line["label"] == "offensive",
        "{line}"
    );
    assert!(line["scores"]["offensive"].is_number());
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `qinglang classify < big | head -1`: once the reader has gone, the
    // command stops quietly and successfully.
    let mut child = qinglang()
        .arg("classify")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let line = "今天天气很好，我们去公园吧\n".repeat(1000);
        for _ in 0..200 {
            if stdin.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(!stderr.contains("error"), "{stderr}");
}
