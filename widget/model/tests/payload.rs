//! The submitted payload (docs/submission.md): built by the widget, parsed and checked by the
//! collector with the same rules.

mod common;

use common::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use survey_model::{Answer, Answers, Envelope, Error, Payload, PayloadContext, Survey, PAYLOAD_FORMAT};

const UUID: &str = "5f0c6a8e-3b1d-4c2e-9f7a-0b1c2d3e4f50";

fn envelope() -> Envelope {
    Envelope {
        submission_id: UUID.into(),
        submitted_at: "2026-11-22T10:00:00Z".into(),
        language: "en".into(),
        anonymous: false,
        hidden: [("channel".to_string(), "newsletter".to_string()), ("utm".to_string(), "x".to_string())].into(),
        context: Some(PayloadContext { page_url: "https://example.org/a".into(), referrer: "https://example.org/".into() }),
        channel: None,
    }
}

/// The demo survey, made non-anonymous.
fn named_demo() -> Survey {
    let mut def: Value = serde_json::from_str(DEMO).unwrap();
    def["anonymous"] = json!(false);
    parse(&def)
}

fn demo_answers() -> Answers {
    let mut a = answers([
        ("heard", choice("other")),
        ("channels", choices(&["email", "phone"])),
        ("ease", Answer::Rating(2)),
        ("improve", text("")),
        ("consent", Answer::Consent(true)),
    ]);
    a.other_text.insert("heard".into(), " A poster ".into());
    a.other_text.insert("channels".into(), "ignored: not answered other".into());
    a
}

/// A valid payload for the demo survey, as JSON.
fn demo_payload() -> Value {
    json!({
        "format": "survey-response/1",
        "survey": { "id": "digital-engagement", "version": 1 },
        "submission_id": UUID,
        "submitted_at": "2026-11-22T10:00:00Z",
        "language": "en",
        "anonymous": true,
        "answers": { "heard": "other", "channels": ["phone", "email"], "ease": 4, "consent": true },
        "other_text": { "heard": "A leaflet" },
        "hidden": { "channel": "newsletter" }
    })
}

/// Parses and validates a posted body against `survey`: every problem, as `path: message`.
fn collector_problems(body: &Value, survey: &Survey) -> Vec<String> {
    let result = Payload::parse(body.to_string().as_bytes()).and_then(|p| p.validate(survey));
    match result {
        Ok(()) => Vec::new(),
        Err(e) => {
            assert!(matches!(e, Error::Payload(_)));
            e.problems().iter().map(ToString::to_string).collect()
        }
    }
}

fn paths(problems: &[String]) -> Vec<&str> {
    problems.iter().map(|p| p.split(": ").next().unwrap()).collect()
}

// ---------------------------------------------------------------------------------------------
// build

#[test]
fn build_gives_the_validated_answers_and_the_envelope() {
    let p = Payload::build(&demo(), &demo_answers(), envelope()).unwrap();
    assert_eq!(p.format, PAYLOAD_FORMAT);
    assert_eq!((p.survey.id.as_str(), p.survey.version), ("digital-engagement", 1));
    assert_eq!(p.submission_id, UUID);
    assert_eq!(p.submitted_at, "2026-11-22T10:00:00Z");
    assert_eq!(p.language, "en");
    assert_eq!(
        Value::Object(p.answers.clone().into_iter().collect()),
        json!({ "heard": "other", "channels": ["phone", "email"], "ease": 2, "consent": true }),
        "the unanswered \"improve\" is left out"
    );
    assert_eq!(p.other_text, [("heard".to_string(), "A poster".to_string())].into(), "only for \"other\"");
}

#[test]
fn build_leaves_out_hidden_questions() {
    let s = parse(&with_questions(json!([
        question("q1", "single_choice", json!({ "options": options(&["a", "b"]) })),
        question("q2", "text", json!({ "visible_if": { "question": "q1", "equals": "a" } })),
    ])));
    let given = answers([("q1", choice("b")), ("q2", text("typed before q1 changed"))]);
    let p = Payload::build(&s, &given, envelope()).unwrap();
    assert_eq!(p.answers.keys().collect::<Vec<_>>(), ["q1"]);
}

#[test]
fn build_keeps_only_declared_hidden_fields() {
    let p = Payload::build(&demo(), &demo_answers(), envelope()).unwrap();
    assert_eq!(p.hidden, [("channel".to_string(), "newsletter".to_string())].into(), "\"utm\" is not declared");
}

#[test]
fn an_anonymous_survey_or_host_sends_no_context() {
    let p = Payload::build(&demo(), &demo_answers(), envelope()).unwrap();
    assert!(p.anonymous, "the survey is anonymous even though the host did not ask");
    assert_eq!(p.context, None);

    let host_anonymous = Envelope { anonymous: true, ..envelope() };
    let p = Payload::build(&named_demo(), &demo_answers(), host_anonymous).unwrap();
    assert!(p.anonymous);
    assert_eq!(p.context, None);

    let p = Payload::build(&named_demo(), &demo_answers(), envelope()).unwrap();
    assert!(!p.anonymous);
    assert_eq!(p.context, envelope().context);
}

#[test]
fn build_refuses_invalid_answers_with_every_problem() {
    let mut given = demo_answers();
    given.values.insert("ease".into(), Answer::Rating(0));
    given.values.remove("consent");
    let errors = Payload::build(&demo(), &given, envelope()).unwrap_err();
    let got: Vec<_> = errors.iter().map(|e| e.question.as_str()).collect();
    assert_eq!(got, ["ease", "consent"]);
}

#[test]
fn the_serialized_payload_has_the_spec_shape() {
    let p = Payload::build(&demo(), &demo_answers(), envelope()).unwrap();
    let v: Value = serde_json::to_value(&p).unwrap();
    assert_eq!(
        v,
        json!({
            "format": "survey-response/1",
            "survey": { "id": "digital-engagement", "version": 1 },
            "submission_id": UUID,
            "submitted_at": "2026-11-22T10:00:00Z",
            "language": "en",
            "anonymous": true,
            "answers": { "heard": "other", "channels": ["phone", "email"], "ease": 2, "consent": true },
            "other_text": { "heard": "A poster" },
            "hidden": { "channel": "newsletter" },
            // The hidden field `channel` is also the response's channel.
            "channel": "newsletter"
        })
    );
    // Empty maps and a missing context are left out altogether.
    let bare = Envelope { hidden: BTreeMap::new(), ..envelope() };
    let mut given = demo_answers();
    given.values.insert("heard".into(), choice("website"));
    let v = serde_json::to_value(Payload::build(&demo(), &given, bare).unwrap()).unwrap();
    let keys: Vec<_> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["anonymous", "answers", "format", "language", "submission_id", "submitted_at", "survey"]);
}

// ---------------------------------------------------------------------------------------------
// The widget and the collector agree

fn round_trip(survey: &Survey, given: &Answers, env: Envelope) {
    let built = Payload::build(survey, given, env).expect("valid answers");
    let body = serde_json::to_vec(&built).unwrap();
    let parsed = Payload::parse(&body).expect("the collector parses what the widget built");
    assert_eq!(parsed, built);
    parsed.validate(survey).expect("the collector accepts what the widget built");
}

#[test]
fn a_built_payload_survives_the_round_trip_to_the_collector() {
    round_trip(&demo(), &demo_answers(), envelope());
    round_trip(&named_demo(), &demo_answers(), envelope());
    round_trip(&demo(), &Answers { values: answers([("heard", choice("social")), ("ease", Answer::Rating(5)), ("consent", Answer::Consent(true))]).values, ..Answers::default() }, envelope());
}

#[test]
fn every_type_survives_the_round_trip() {
    let s = parse(&with_questions(json!([
        question("sc", "single_choice", json!({ "options": options(&["a", "b"]), "other": { "label": "Other" } })),
        question("mc", "multiple_choice", json!({ "options": options(&["a", "b", "c"]), "other": { "label": "Other" } })),
        question("num", "text", json!({ "input": "number" })),
        question("dec", "text", json!({ "input": "number" })),
        question("big", "text", json!({ "input": "number" })),
        question("tiny", "text", json!({ "input": "number" })),
        question("pc", "text", json!({ "input": "postcode" })),
        question("mail", "text", json!({ "input": "email" })),
        question("long", "long_text", json!({ "max_length": 10 })),
        question("r", "rating", json!({ "min": 0, "max": 10 })),
        question("m", "matrix", json!({ "rows": options(&["r1", "r2"]), "columns": options(&["c1", "c2"]), "required": true })),
        question("rank", "ranking", json!({ "options": options(&["a", "b", "c"]) })),
        question("d", "date", json!({ "min": "0001-01-01" })),
        question("old", "date", json!({})),
        question("ok", "consent", json!({ "label": "I agree" })),
    ])));
    let mut given = answers([
        ("sc", choice("other")),
        ("mc", choices(&["c", "other", "a"])),
        ("num", text("1 200.")),
        ("dec", text("-0.5")),
        ("big", text("100000000000000000000")),
        ("tiny", text("0.0000001")),
        ("pc", text("sw1a1aa")),
        ("mail", text(" a@b.cy ")),
        ("long", text("ŷŷŷŷŷŷŷŷŷŷ")),
        ("r", Answer::Rating(0)),
        ("m", matrix(&[("r1", "c2"), ("r2", "c1")])),
        ("rank", ranking(&["b", "c", "a"])),
        ("d", date("29", "2", "2024")),
        ("old", date("1", "1", "0999")),
        ("ok", Answer::Consent(true)),
    ]);
    given.other_text.insert("sc".into(), "mine".into());
    given.other_text.insert("mc".into(), "yours".into());
    round_trip(&s, &given, envelope());
}

/// What a server stores is what the widget would have sent: the checks that passed (a
/// `max_length`, say) then hold for the stored text, not only for the text after trimming.
#[test]
fn validated_gives_the_answers_as_the_widget_builds_them() {
    let s = parse(&with_questions(json!([
        question("name", "text", json!({ "max_length": 3 })),
        question("pc", "text", json!({ "input": "postcode" })),
        question("num", "text", json!({ "input": "number" })),
        question("mc", "multiple_choice", json!({ "options": options(&["a", "b", "c"]), "other": { "label": "Other" } })),
        question("long", "long_text", json!({ "max_length": 5 })),
    ])));
    let sent = json!({
        "format": "survey-response/1",
        "survey": { "id": "s", "version": 1 },
        "submission_id": UUID,
        "submitted_at": "2026-11-22T10:00:00Z",
        "language": "en",
        "anonymous": false,
        "answers": { "name": "  Ann \n", "pc": "sw1a1aa", "num": 1200.0, "mc": ["other", "c", "a"], "long": "\tfive!  " },
        "other_text": { "mc": "  mine  " },
        "hidden": {},
        "context": { "page_url": "https://example.org/", "referrer": "" }
    });
    let payload = Payload::parse(&serde_json::to_vec(&sent).unwrap()).expect("parses");
    let stored = payload.validated(&s).expect("valid");
    assert_eq!(
        serde_json::to_value(&stored.answers).unwrap(),
        json!({ "name": "Ann", "pc": "SW1A 1AA", "num": 1200, "mc": ["a", "c", "other"], "long": "five!" })
    );
    assert_eq!(stored.other_text["mc"], "mine");
    assert_eq!((&stored.submission_id, &stored.context), (&payload.submission_id, &payload.context), "the envelope is kept");
    // Refused exactly when validate refuses.
    let mut too_long = sent.clone();
    too_long["answers"]["name"] = json!(" Anna ");
    let payload = Payload::parse(&serde_json::to_vec(&too_long).unwrap()).expect("parses");
    assert_eq!(payload.validated(&s).map(drop).unwrap_err().problems(), payload.validate(&s).unwrap_err().problems());
}

// ---------------------------------------------------------------------------------------------
// Payload::parse

#[test]
fn the_example_payload_is_valid() {
    assert_eq!(collector_problems(&demo_payload(), &demo()), Vec::<String>::new());
}

#[test]
fn parse_checks_the_envelope() {
    let mut body = demo_payload();
    body["format"] = json!("survey-response/2");
    body["submission_id"] = json!("5f0c6a8e3b1d4c2e9f7a0b1c2d3e4f50");
    body["submitted_at"] = json!("22/11/2026 10:00");
    body["survey"]["id"] = json!("Digital Engagement");
    let e = Payload::parse(body.to_string().as_bytes()).unwrap_err();
    let got: Vec<_> = e.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(got, ["format", "survey.id", "submission_id", "submitted_at"]);
}

#[test]
fn parse_refuses_unknown_fields_and_wrong_types_by_path() {
    for (mutate, path) in [
        ((|b: &mut Value| b["extra"] = json!(1)) as fn(&mut Value), "extra"),
        (|b| b["survey"]["name"] = json!("x"), "survey.name"),
        (|b| b["context"] = json!({ "page_url": "/", "ip": "1.2.3.4" }), "context.ip"),
        (|b| b["context"] = json!({ "page_url": 4 }), "context.page_url"),
        (|b| b["anonymous"] = json!("yes"), "anonymous"),
        (|b| b["survey"]["version"] = json!(-1), "survey.version"),
        (|b| b["survey"]["version"] = json!(4294967296u64), "survey.version"),
        (|b| b["survey"] = json!("digital-engagement"), "survey"),
        (|b| b["hidden"] = json!({ "channel": 3 }), "hidden.channel"),
        (|b| b["other_text"] = json!({ "heard": null }), "other_text.heard"),
        (|b| b["other_text"] = json!(["heard"]), "other_text"),
        (|b| b["answers"] = json!([]), "answers"),
        (
            |b| {
                b.as_object_mut().unwrap().remove("answers");
            },
            "answers",
        ),
        (|b| b["language"] = json!(null), "language"),
        (|b| *b = json!([]), ""),
    ] {
        let mut body = demo_payload();
        mutate(&mut body);
        let e = Payload::parse(body.to_string().as_bytes()).unwrap_err();
        let paths: Vec<_> = e.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, [path], "{body}");
    }
    for bad in [&b""[..], b"{", b"\xff\xfe", b"null"] {
        let e = Payload::parse(bad).unwrap_err();
        assert_eq!(e.problems().len(), 1);
        assert_eq!(e.problems()[0].path, "");
    }
}

#[test]
fn parse_lists_every_problem_of_a_body_at_once() {
    let body = json!({
        "format": "survey-response/2",
        "survey": { "id": "Digital Engagement", "version": "3" },
        "submission_id": 7,
        "submitted_at": "yesterday",
        "anonymous": "no",
        "answers": { "heard": "website" },
        "hidden": { "channel": ["a"] },
        "context": "https://example.org",
        "cookies": true,
    });
    let e = Payload::parse(body.to_string().as_bytes()).unwrap_err();
    let problems: Vec<String> = e.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "cookies: is not a known field",
            "format: must be \"survey-response/1\"",
            "survey.id: must use only a-z, 0-9, \"_\" and \"-\"",
            "survey.version: must be a whole number from 0 to 4294967295",
            "submission_id: must be a string, not a number",
            "submitted_at: must be a time such as 2026-11-22T10:00:00Z",
            "language: is required",
            "anonymous: must be true or false, not a string",
            "hidden.channel: must be a string, not an array",
            "context: must be an object, not a string",
        ]
    );
}

#[test]
fn parse_reads_optional_maps_and_context_as_absent_when_null() {
    let mut body = demo_payload();
    body["other_text"] = json!(null);
    body["hidden"] = json!(null);
    body["context"] = json!(null);
    let p = Payload::parse(body.to_string().as_bytes()).unwrap();
    assert!(p.other_text.is_empty() && p.hidden.is_empty() && p.context.is_none());
    body["context"] = json!({});
    let p = Payload::parse(body.to_string().as_bytes()).unwrap();
    assert_eq!(p.context, Some(PayloadContext::default()));
}

#[test]
fn submission_ids_are_canonical_uuids() {
    for good in [UUID, "5F0C6A8E-3B1D-4C2E-9F7A-0B1C2D3E4F50", "00000000-0000-0000-0000-000000000000"] {
        assert!(survey_model::is_uuid(good), "{good}");
    }
    for bad in [
        "",
        "5f0c6a8e-3b1d-4c2e-9f7a-0b1c2d3e4f5",
        "5f0c6a8e-3b1d-4c2e-9f7a-0b1c2d3e4f500",
        "{5f0c6a8e-3b1d-4c2e-9f7a-0b1c2d3e4f5}",
        "5f0c6a8e_3b1d_4c2e_9f7a_0b1c2d3e4f50",
        "5f0c6a8e-3b1d-4c2e-9f7a-0b1c2d3e4g50",
        "5f0c6a8e-3b1d-4c2e-9f7a-0b1c2d3e4f€",
    ] {
        assert!(!survey_model::is_uuid(bad), "{bad}");
    }
}

#[test]
fn submitted_at_is_an_rfc_3339_time() {
    let with_time = |t: &str| {
        let mut body = demo_payload();
        body["submitted_at"] = json!(t);
        Payload::parse(body.to_string().as_bytes())
    };
    for good in [
        "2026-11-22T10:00:00Z",
        "2026-11-22T10:00:00.123Z",
        "2026-11-22T23:59:60Z",
        "2026-11-22T10:00:00+01:00",
        "2026-11-22T10:00:00.5-05:30",
    ] {
        assert!(with_time(good).is_ok(), "{good}");
    }
    for bad in [
        "",
        "2026-11-22",
        "2026-11-22 10:00:00Z",
        "2026-11-22T10:00Z",
        "2026-11-22T10:00:00",
        "2026-11-22T10:00:00+0100",
        "2026-11-22T10:00:00.Z",
        "2026-02-30T10:00:00Z",
        "2026-11-22T24:00:00Z",
        "2026-11-22T10:60:00Z",
        "2026-11-22T10:00:61Z",
        "2026-11-22T10:00:00+25:00",
        "2026-11-22T€ab€",
        "2026-11-22T10:00:0€+01:00",
        "2026-11-22Té€€€",
    ] {
        let e = with_time(bad).unwrap_err();
        assert_eq!(e.problems()[0].path, "submitted_at", "{bad}");
    }
}

// ---------------------------------------------------------------------------------------------
// Payload::validate

#[test]
fn validate_refuses_another_survey_or_version() {
    let mut body = demo_payload();
    body["survey"] = json!({ "id": "other-survey", "version": 2 });
    assert_eq!(
        collector_problems(&body, &demo()),
        ["survey.id: must be \"digital-engagement\"", "survey.version: is 2, but the survey is now version 1"]
    );
}

#[test]
fn validate_refuses_a_language_the_survey_is_not_written_in() {
    let mut body = demo_payload();
    body["language"] = json!("cy");
    assert_eq!(collector_problems(&body, &demo()), ["language: must be one of en"]);
}

#[test]
fn validate_keeps_an_anonymous_survey_anonymous() {
    let mut body = demo_payload();
    body["anonymous"] = json!(false);
    assert_eq!(collector_problems(&body, &demo()), ["anonymous: must be true: this survey is anonymous"]);

    let mut body = demo_payload();
    body["context"] = json!({ "page_url": "https://example.org/", "referrer": "" });
    assert_eq!(collector_problems(&body, &demo()), ["context: must be left out of an anonymous response"]);

    body["anonymous"] = json!(false);
    assert_eq!(
        paths(&collector_problems(&body, &demo())),
        ["anonymous", "context"],
        "context is refused on an anonymous survey whatever the payload claims"
    );

    // A respondent of a named survey may still ask to be anonymous, without context.
    let mut body = demo_payload();
    body["context"] = json!({ "page_url": "https://example.org/" });
    assert_eq!(paths(&collector_problems(&body, &named_demo())), ["context"]);
    body["anonymous"] = json!(false);
    assert_eq!(collector_problems(&body, &named_demo()), Vec::<String>::new());
}

#[test]
fn validate_refuses_undeclared_hidden_fields() {
    let mut body = demo_payload();
    body["hidden"]["utm"] = json!("x");
    assert_eq!(collector_problems(&body, &demo()), ["hidden.utm: is not a hidden field of this survey"]);
}

#[test]
fn validate_refuses_answers_to_questions_the_survey_does_not_have() {
    let mut body = demo_payload();
    body["answers"]["shoe_size"] = json!(9);
    body["answers"]["about-data"] = json!("a statement takes no answer");
    assert_eq!(
        collector_problems(&body, &demo()),
        [
            "answers.about-data: is a statement, which takes no answer",
            "answers.shoe_size: is not a question of this survey",
        ]
    );
}

#[test]
fn validate_refuses_answers_to_hidden_questions() {
    let s = parse(&with_questions(json!([
        question("q1", "single_choice", json!({ "options": options(&["a", "b"]) })),
        question("q2", "text", json!({ "required": true, "visible_if": { "question": "q1", "equals": "a" } })),
    ])));
    let body = |answers: Value| {
        json!({
            "format": "survey-response/1", "survey": { "id": "s", "version": 1 }, "submission_id": UUID,
            "submitted_at": "2026-11-22T10:00:00Z", "language": "en", "anonymous": false, "answers": answers,
        })
    };
    assert_eq!(
        collector_problems(&body(json!({ "q1": "b", "q2": "x" })), &s),
        ["answers.q2: is hidden by its condition and must not be answered"]
    );
    assert_eq!(collector_problems(&body(json!({ "q1": "a", "q2": "x" })), &s), Vec::<String>::new());
    assert_eq!(collector_problems(&body(json!({ "q1": "a" })), &s), ["answers.q2: is required"]);
    assert_eq!(collector_problems(&body(json!({ "q1": "b" })), &s), Vec::<String>::new());
}

#[test]
fn validate_refuses_other_text_without_other() {
    let mut body = demo_payload();
    body["answers"]["heard"] = json!("website");
    assert_eq!(collector_problems(&body, &demo()), ["other_text.heard: is only for a question answered \"other\""]);

    let mut body = demo_payload();
    body["other_text"] = json!({ "channels": "x", "ease": "y", "nope": "z" });
    assert_eq!(
        paths(&collector_problems(&body, &demo())),
        ["other_text.channels", "other_text.ease", "other_text.nope", "answers.heard"],
        "and \"heard\" now lacks its detail"
    );

    let mut body = demo_payload();
    body["other_text"]["heard"] = json!("   ");
    assert_eq!(collector_problems(&body, &demo()), ["answers.heard: says \"other\" without saying what"]);
}

#[test]
fn validate_refuses_answers_of_the_wrong_shape() {
    let s = parse(&with_questions(json!([
        question("sc", "single_choice", json!({ "options": options(&["a"]) })),
        question("mc", "multiple_choice", json!({ "options": options(&["a"]) })),
        question("t", "text", json!({})),
        question("n", "text", json!({ "input": "number" })),
        question("l", "long_text", json!({})),
        question("r", "rating", json!({})),
        question("m", "matrix", json!({ "rows": options(&["r"]), "columns": options(&["c"]) })),
        question("k", "ranking", json!({ "options": options(&["a", "b"]) })),
        question("d", "date", json!({})),
        question("c", "consent", json!({ "label": "ok" })),
    ])));
    let wrong = json!({
        "sc": ["a"], "mc": "a", "t": 3, "n": "3", "l": null, "r": 3.5, "m": { "r": 1 },
        "k": "a,b", "d": "2024-02-30", "c": false,
    });
    let body = json!({
        "format": "survey-response/1", "survey": { "id": "s", "version": 1 }, "submission_id": UUID,
        "submitted_at": "2026-11-22T10:00:00Z", "language": "en", "anonymous": false, "answers": wrong,
    });
    assert_eq!(
        collector_problems(&body, &s),
        [
            "answers.c: must be true",
            "answers.d: must be a date written YYYY-MM-DD",
            "answers.k: must be a list of option values",
            "answers.l: must be a string",
            "answers.m: must be an object of row value to column value",
            "answers.mc: must be a list of option values",
            "answers.n: must be a number",
            "answers.r: must be a whole number",
            "answers.sc: must be an option value (a string)",
            "answers.t: must be a string",
        ]
    );
}

#[test]
fn validate_applies_the_widget_rules_to_each_answer() {
    let mut body = demo_payload();
    body["answers"]["heard"] = json!("radio");
    body["answers"]["channels"] = json!(["none", "email"]);
    body["answers"]["ease"] = json!(6);
    body["answers"]["area"] = json!("x".repeat(81));
    body["answers"].as_object_mut().unwrap().remove("consent");
    body.as_object_mut().unwrap().remove("other_text");
    assert_eq!(
        collector_problems(&body, &demo()),
        [
            "answers.heard: has a value that is not one of its options",
            "answers.channels: has an exclusive option selected with others",
            "answers.ease: must be from 1 to 5",
            "answers.area: must be 80 characters or fewer",
            "answers.consent: is required",
        ]
    );
}
