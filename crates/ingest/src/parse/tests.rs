use super::*;

const OK_ITEM: &str =
    r#"{"id":"i1","author":"u1","text":"你好","created_at":"2024-05-01T08:00:00+08:00"}"#;

fn reject(line: &[u8]) -> RejectReason {
    match parse_record(line) {
        Err(r) => r,
        Ok(r) => panic!(
            "expected a reject for {:?}, got {r:?}",
            String::from_utf8_lossy(line)
        ),
    }
}

#[test]
fn minimal_item_defaults_type_and_kind() {
    let Some(Record::Item(item)) = parse_record(OK_ITEM.as_bytes()).unwrap() else {
        panic!("not an item")
    };
    assert_eq!(item.id, "i1");
    assert_eq!(item.kind, ItemKind::Post);
    assert_eq!(item.created_at.to_rfc3339(), "2024-05-01T08:00:00+08:00");
}

#[test]
fn bom_crlf_and_unknown_fields_are_tolerated() {
    let line = format!(
        "\u{feff}{}\r",
        OK_ITEM.replace("\"id\"", "\"likes\":3,\"nested\":{\"a\":[1]},\"id\"")
    );
    let Some(Record::Item(item)) = parse_record(line.as_bytes()).unwrap() else {
        panic!("not an item")
    };
    assert_eq!(item.extra["likes"], 3);
    assert_eq!(item.extra["nested"]["a"][0], 1);
}

#[test]
fn blank_lines_are_skipped_not_rejected() {
    for blank in [&b""[..], b"   ", b"\r", b"\t \r"] {
        assert_eq!(parse_record(blank), Ok(None));
    }
}

#[test]
fn account_and_complaint_records_parse() {
    let a = br#"{"type":"account","id":"a1","name":"Xinhua","verified":true,"created_at":"2020-01-01T00:00:00Z"}"#;
    assert!(
        matches!(parse_record(a), Ok(Some(Record::Account(acc))) if acc.verified == Some(true))
    );
    let c = br#"{"type":"complaint","id":"c1","item":"i1","reporter":"u2","reason":"doxxing","created_at":"2024-05-01T08:00:00Z"}"#;
    let Ok(Some(Record::Complaint(c))) = parse_record(c) else {
        panic!("not a complaint")
    };
    assert_eq!(c.subject, ComplaintSubject::Item("i1".into()));
}

/// Each bad line, and the words its error must contain.
const BAD: &[(&[u8], &str)] = &[
    (b"{not json", "invalid JSON"),
    (b"{\"id\":\"i1\"", "truncated JSON"),
    (b"[1,2]", "expected a JSON object, found an array"),
    (b"\"just a string\"", "expected a JSON object"),
    (b"{\"id\":\"i\xff\"}", "invalid UTF-8 at byte 8"),
    (br#"{"author":"u","text":"t","created_at":"2024-05-01T08:00:00Z"}"#, "field `id`: is required"),
    (br#"{"id":"","author":"u","text":"t","created_at":"2024-05-01T08:00:00Z"}"#, "field `id`: must not be empty"),
    (br#"{"id":7,"author":"u","text":"t","created_at":"2024-05-01T08:00:00Z"}"#, "field `id`: must be a string, found a number"),
    (br#"{"id":"i","author":"u","text":null,"created_at":"2024-05-01T08:00:00Z"}"#, "field `text`: is required"),
    (br#"{"id":"i","author":"u","text":["t"],"created_at":"2024-05-01T08:00:00Z"}"#, "field `text`: must be a string, found an array"),
    (br#"{"id":"i","author":"u","text":"t","created_at":"yesterday"}"#, "field `created_at`: `yesterday` is not an RFC 3339"),
    (br#"{"id":"i","author":"u","text":"t","created_at":"2024-02-30T08:00:00Z"}"#, "field `created_at`"),
    (br#"{"id":"i","author":"u","text":"t","created_at":1714550400}"#, "field `created_at`: must be a string"),
    (br#"{"id":"i","author":"u","text":"t","created_at":"2024-05-01T08:00:00Z","kind":"tweet"}"#, "field `kind`: unknown kind `tweet`"),
    (br#"{"id":"i","author":"u","text":"t","created_at":"2024-05-01T08:00:00Z","mentions":["a",3]}"#, "field `mentions`: element 1 must be a string"),
    (br#"{"id":"i","author":"u","text":"a\u0000b","created_at":"2024-05-01T08:00:00Z"}"#, "field `text`: contains a NUL"),
    (b"{\"id\":\"i\",\"author\":\"u\",\"text\":\"a\x00b\",\"created_at\":\"2024-05-01T08:00:00Z\"}", "invalid JSON"),
    (br#"{"type":"tweet","id":"i"}"#, "field `type`: unknown record type `tweet`"),
    (br#"{"type":5,"id":"i"}"#, "field `type`: must be a string"),
    (br#"{"type":"account","id":"a1"}"#, "field `name`: is required"),
    (br#"{"type":"account","id":"a1","name":"n","verified":"yes"}"#, "field `verified`: must be true or false"),
    (br#"{"type":"complaint","id":"c1","reporter":"u","reason":"r","created_at":"2024-05-01T08:00:00Z"}"#, "must name an `item` or an `account`"),
    (br#"{"type":"complaint","id":"c1","item":"i","account":"a","reporter":"u","reason":"r","created_at":"2024-05-01T08:00:00Z"}"#, "not both"),
];

#[test]
fn every_bad_line_is_rejected_with_a_message_naming_the_problem() {
    for (line, expected) in BAD {
        let r = reject(line);
        assert!(
            r.to_string().contains(expected),
            "line {:?}: got `{r}`, expected it to contain `{expected}`",
            String::from_utf8_lossy(line)
        );
    }
}

#[test]
fn deeply_nested_json_is_rejected_without_overflowing_the_stack() {
    let depth = 100_000;
    let line = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(reject(line.as_bytes())
        .to_string()
        .contains("recursion limit"));
    let nested = format!(
        r#"{{"id":"i","author":"u","text":"t","created_at":"2024-05-01T08:00:00Z","x":{}1{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(reject(nested.as_bytes())
        .to_string()
        .contains("recursion limit"));
}

#[test]
fn overlong_ids_are_rejected() {
    let id = "x".repeat(MAX_ID_BYTES + 1);
    let line =
        format!(r#"{{"id":"{id}","author":"u","text":"t","created_at":"2024-05-01T08:00:00Z"}}"#);
    assert!(reject(line.as_bytes())
        .to_string()
        .contains("ids are at most"));
}

#[test]
fn a_ten_megabyte_text_is_accepted() {
    let text = "赌".repeat(10 * 1024 * 1024 / 3);
    let line = format!(
        r#"{{"id":"big","author":"u","text":"{text}","created_at":"2024-05-01T08:00:00Z"}}"#
    );
    let Some(Record::Item(item)) = parse_record(line.as_bytes()).unwrap() else {
        panic!("not an item")
    };
    assert_eq!(item.text.len(), text.len());
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A cheap deterministic fuzz: every prefix of a valid line and some mutations.
    let base = OK_ITEM.as_bytes();
    for end in 0..=base.len() {
        let _ = parse_record(&base[..end]);
    }
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..2000 {
        let mut line = base.to_vec();
        for _ in 0..3 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let at = (state as usize) % line.len();
            line[at] = (state >> 32) as u8;
        }
        let _ = parse_record(&line);
    }
}
