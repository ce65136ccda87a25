//! Answer validation per question type: what each type accepts, the payload value it gives, and
//! the problem it reports otherwise.

mod common;

use common::*;
use serde_json::{json, Value};
use survey_model::{Answer, Answers, FieldError, FieldErrorKind as E};

fn ok(v: Value) -> Result<Option<Value>, E> {
    Ok(Some(v))
}

const UNANSWERED: Result<Option<Value>, E> = Ok(None);

fn single(extra: Value) -> Value {
    let mut q = question("q", "single_choice", json!({ "options": options(&["a", "b"]) }));
    q.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    q
}

fn multiple(extra: Value) -> Value {
    let mut q = question("q", "multiple_choice", json!({ "options": [
        { "value": "a", "label": "A" },
        { "value": "b", "label": "B" },
        { "value": "c", "label": "C" },
        { "value": "none", "label": "None of these", "exclusive": true },
    ] }));
    q.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    q
}

fn text_q(extra: Value) -> Value {
    question("q", "text", extra)
}

fn with_other_text(answer: Answer, detail: &str) -> Answers {
    let mut a = answers([("q", answer)]);
    a.other_text.insert("q".into(), detail.into());
    a
}

// ---------------------------------------------------------------------------------------------
// single_choice

#[test]
fn single_choice_accepts_an_option_and_refuses_anything_else() {
    assert_eq!(check(single(json!({})), choice("b")), ok(json!("b")));
    assert_eq!(check(single(json!({})), choice("c")), Err(E::UnknownOption));
    assert_eq!(check(single(json!({})), choice("A")), Err(E::UnknownOption), "values are case-sensitive");
    assert_eq!(check(single(json!({})), choice("other")), Err(E::UnknownOption), "no \"other\" without `other`");
    assert_eq!(check(single(json!({})), choice("")), UNANSWERED);
    assert_eq!(check(single(json!({ "required": true })), choice("")), Err(E::Required));
}

#[test]
fn single_choice_other_needs_its_detail_text() {
    let q = || single(json!({ "other": { "label": "Somewhere else" } }));
    assert_eq!(check(q(), choice("other")), Err(E::OtherDetailRequired));
    assert_eq!(check_with(q(), with_other_text(choice("other"), "  \n ")), Err(E::OtherDetailRequired));

    let survey = parse(&with_questions(json!([q()])));
    let (values, other_text) = survey.validate_all(&with_other_text(choice("other"), "  A leaflet ")).unwrap();
    assert_eq!(values["q"], json!("other"));
    assert_eq!(other_text["q"], "A leaflet", "trimmed");

    // A detail typed before switching to a real option is not sent.
    let (_, other_text) = survey.validate_all(&with_other_text(choice("a"), "A leaflet")).unwrap();
    assert!(other_text.is_empty());
}

#[test]
fn an_option_that_happens_to_be_called_other_has_no_detail_text() {
    let q = single(json!({ "options": options(&["yes", "other"]) }));
    let survey = parse(&with_questions(json!([q])));
    let (values, other_text) = survey.validate_all(&with_other_text(choice("other"), "")).unwrap();
    assert_eq!(values["q"], json!("other"));
    assert!(other_text.is_empty(), "{other_text:?}");
}

// ---------------------------------------------------------------------------------------------
// multiple_choice

#[test]
fn multiple_choice_accepts_options_and_gives_them_in_option_order() {
    assert_eq!(check(multiple(json!({})), choices(&["c", "a"])), ok(json!(["a", "c"])));
    assert_eq!(check(multiple(json!({})), choices(&["a", "x"])), Err(E::UnknownOption));
    assert_eq!(check(multiple(json!({})), choices(&["a", "a"])), Err(E::UnknownOption), "a duplicate");
    assert_eq!(check(multiple(json!({})), choices(&[])), UNANSWERED);
    assert_eq!(check(multiple(json!({ "required": true })), choices(&[])), Err(E::Required));
}

#[test]
fn an_exclusive_option_stands_alone() {
    assert_eq!(check(multiple(json!({})), choices(&["a", "none"])), Err(E::ExclusiveWithOthers));
    assert_eq!(check(multiple(json!({})), choices(&["none", "c"])), Err(E::ExclusiveWithOthers));
    assert_eq!(check(multiple(json!({})), choices(&["none"])), ok(json!(["none"])));
    // "None of these" answers the question even when two are otherwise needed.
    assert_eq!(check(multiple(json!({ "min_selected": 2 })), choices(&["none"])), ok(json!(["none"])));
}

#[test]
fn multiple_choice_counts_what_is_selected() {
    let q = || multiple(json!({ "min_selected": 2, "max_selected": 3, "other": { "label": "Other" } }));
    assert_eq!(check(q(), choices(&["a"])), Err(E::TooFewSelected { min: 2 }));
    assert_eq!(check(q(), choices(&["a", "b"])), ok(json!(["a", "b"])));
    assert_eq!(check(q(), choices(&["a", "b", "c"])), ok(json!(["a", "b", "c"])));
    assert_eq!(
        check_with(q(), with_other_text(choices(&["a", "b", "c", "other"]), "x")),
        Err(E::TooManySelected { max: 3 })
    );
    assert_eq!(check(q(), choices(&[])), UNANSWERED, "an optional question may be left blank");
}

#[test]
fn multiple_choice_other_needs_its_detail_text() {
    let q = || multiple(json!({ "other": { "label": "Other" } }));
    assert_eq!(check(q(), choices(&["other", "a"])), Err(E::OtherDetailRequired));
    let survey = parse(&with_questions(json!([q()])));
    let (values, other_text) = survey.validate_all(&with_other_text(choices(&["other", "a"]), "Radio")).unwrap();
    assert_eq!(values["q"], json!(["a", "other"]));
    assert_eq!(other_text["q"], "Radio");
}

// ---------------------------------------------------------------------------------------------
// text

#[test]
fn plain_text_is_trimmed_and_blank_is_unanswered() {
    assert_eq!(check(text_q(json!({})), text("  Leeds \n")), ok(json!("Leeds")));
    assert_eq!(check(text_q(json!({})), text(" \t\n ")), UNANSWERED);
    assert_eq!(check(text_q(json!({ "required": true })), text("   ")), Err(E::Required));
}

#[test]
fn lengths_are_counted_in_characters_not_bytes() {
    let q = || text_q(json!({ "min_length": 3, "max_length": 4 }));
    assert_eq!(check(q(), text("Tŷ")), Err(E::TooShort { min: 3 }));
    assert_eq!(check(q(), text("ŷŷŷŷ")), ok(json!("ŷŷŷŷ")), "8 bytes, 4 characters");
    assert_eq!(check(q(), text("日本語")), ok(json!("日本語")));
    assert_eq!(check(q(), text("ŷŷŷŷŷ")), Err(E::TooLong { max: 4 }));
    assert_eq!(check(q(), text("  ab  ")), Err(E::TooShort { min: 3 }), "surrounding spaces do not count");
}

#[test]
fn email_addresses() {
    let q = || text_q(json!({ "input": "email" }));
    for good in ["name@example.com", "first.last+tag@sub.example.co.uk", " a@b.cy "] {
        assert!(check(q(), text(good)).is_ok(), "{good}");
    }
    for bad in ["name", "name@", "@example.com", "name@example", "name@.com", "name@example.", "a b@example.com", "a@b@c.com"] {
        assert_eq!(check(q(), text(bad)), Err(E::Email), "{bad}");
    }
}

#[test]
fn telephone_numbers() {
    let q = || text_q(json!({ "input": "tel" }));
    for good in ["020 7946 0000", "+44 (0)20 7946 0000", "07700-900000", "12345"] {
        assert_eq!(check(q(), text(good)), ok(json!(good)), "{good}");
    }
    for bad in ["1234", "phone me", "020 7946 0000 ext 2", "+44 20 7946 0000 0000 0000 0"] {
        assert_eq!(check(q(), text(bad)), Err(E::Tel), "{bad}");
    }
}

#[test]
fn web_addresses() {
    let q = || text_q(json!({ "input": "url" }));
    for good in ["example.org", "https://example.org/a?b=c#d", "http://www.example.co.uk:8080/x", "bücher.example"] {
        assert_eq!(check(q(), text(good)), ok(json!(good)), "{good}");
    }
    for bad in [
        "example",
        "http://",
        "https://.org",
        "not a url.com",
        "javascript:alert(document.cookie)",
        "data:text/html,<b>x</b>.html",
        "mailto:someone@example.org",
        "ftp://example.org",
    ] {
        assert_eq!(check(q(), text(bad)), Err(E::Url), "{bad}");
    }
}

#[test]
fn a_pattern_must_match_the_whole_trimmed_answer() {
    let q = || text_q(json!({ "pattern": "[A-Z]{2}[0-9]{4}", "pattern_message": "Like AB1234" }));
    for good in ["AB1234", "  AB1234 "] {
        assert_eq!(check(q(), text(good)), ok(json!("AB1234")), "{good:?}");
    }
    for bad in ["ab1234", "AB12345", "xAB1234", "AB123", "AB 1234"] {
        assert_eq!(check(q(), text(bad)), Err(E::Pattern), "{bad:?}");
    }
    // Alternation is grouped before anchoring, as in HTML: "a|b" is not "starts with a".
    let q = || text_q(json!({ "pattern": "yes|no" }));
    assert_eq!(check(q(), text("no")), ok(json!("no")));
    assert_eq!(check(q(), text("yesno")), Err(E::Pattern));
    assert_eq!(check(q(), text("nonsense")), Err(E::Pattern));
}

#[test]
fn a_pattern_is_checked_after_the_length_and_the_input_rule() {
    let q = || text_q(json!({ "input": "email", "max_length": 14, "pattern": ".*@example\\.org" }));
    assert_eq!(check(q(), text("abc@example.org")), Err(E::TooLong { max: 14 }));
    assert_eq!(check(q(), text("nope")), Err(E::Email));
    assert_eq!(check(q(), text("a@example.com")), Err(E::Pattern));
    assert_eq!(check(q(), text("@example.org")), Err(E::Email));
    let q = || text_q(json!({ "input": "email", "pattern": ".*@example\\.org" }));
    assert_eq!(check(q(), text("me@example.org")), ok(json!("me@example.org")));
}

#[test]
fn a_blank_answer_to_a_pattern_question_is_unanswered_not_wrong() {
    let q = || text_q(json!({ "pattern": "[0-9]+" }));
    assert_eq!(check(q(), text("   ")), ok(Value::Null).map(|_| None));
    let required = text_q(json!({ "pattern": "[0-9]+", "required": true }));
    assert_eq!(check(required, text("")), Err(E::Required));
}

#[test]
fn postcodes_are_normalised() {
    let q = || text_q(json!({ "input": "postcode" }));
    for (typed, stored) in [
        ("SW1A 1AA", "SW1A 1AA"),
        ("sw1a1aa", "SW1A 1AA"),
        ("  sw1a   1aa ", "SW1A 1AA"),
        ("m11ae", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("cr26xh", "CR2 6XH"),
        ("DN551PT", "DN55 1PT"),
    ] {
        assert_eq!(check(q(), text(typed)), ok(json!(stored)), "{typed}");
    }
    for bad in ["SW1A", "12345", "SW1A 1A", "SW1A1AAA1", "ABC 1AA", "SW1A AAA", "SW1Á 1AA", "SW1A-1AA"] {
        assert_eq!(check(q(), text(bad)), Err(E::Postcode), "{bad}");
    }
}

#[test]
fn numbers_are_read_as_people_type_them() {
    let q = || text_q(json!({ "input": "number" }));
    for (typed, value) in [
        ("1 200.", json!(1200)),
        ("1,200", json!(1200)),
        ("42", json!(42)),
        ("-3.5", json!(-3.5)),
        ("0.25", json!(0.25)),
        ("7.0", json!(7)),
        (" 12 ", json!(12)),
    ] {
        assert_eq!(check(q(), text(typed)), ok(value.clone()), "{typed}");
    }
    assert!(check(q(), text("1 200.")).unwrap().unwrap().is_i64(), "a whole number goes out as an integer");
    for bad in ["twelve", "1e5", "1.2.3", ".", "-", "--1", "+5", "1-2", "0x10", "NaN", "inf", "12%"] {
        assert_eq!(check(q(), text(bad)), Err(E::Number), "{bad}");
    }
    assert_eq!(check(q(), text("  ")), UNANSWERED);
}

#[test]
fn numbers_keep_to_their_bounds_and_integer_rule() {
    let q = || text_q(json!({ "input": "number", "min": 0, "max": 120, "integer": true }));
    assert_eq!(check(q(), text("2.5")), Err(E::WholeNumber));
    assert_eq!(check(q(), text("-1")), Err(E::BelowMin { min: 0.0 }));
    assert_eq!(check(q(), text("121")), Err(E::AboveMax { max: 120.0 }));
    assert_eq!(check(q(), text("0")), ok(json!(0)));
    assert_eq!(check(q(), text("120.")), ok(json!(120)));
    let decimal = text_q(json!({ "input": "number", "min": 0.5, "max": 1.5 }));
    assert_eq!(check(decimal.clone(), text("0.49")), Err(E::BelowMin { min: 0.5 }));
    assert_eq!(check(decimal, text("1.5")), ok(json!(1.5)));
}

#[test]
fn very_large_and_very_small_numbers_are_still_numbers() {
    let q = || text_q(json!({ "input": "number" }));
    assert!(check(q(), text("100000000000000000000")).unwrap().unwrap().as_f64() == Some(1e20));
    assert_eq!(check(q(), text("0.0000001")), ok(json!(1e-7)));
}

// ---------------------------------------------------------------------------------------------
// long_text

#[test]
fn long_text_has_a_character_limit() {
    let q = || question("q", "long_text", json!({ "max_length": 5 }));
    assert_eq!(check(q(), text("😀😀😀😀😀")), ok(json!("😀😀😀😀😀")));
    assert_eq!(check(q(), text("😀😀😀😀😀😀")), Err(E::TooLong { max: 5 }));
    assert_eq!(check(q(), text("\n\n  a\nb  \n")), ok(json!("a\nb")), "inner newlines are kept");
    assert_eq!(check(q(), text("\n \n")), UNANSWERED);
}

// ---------------------------------------------------------------------------------------------
// rating

#[test]
fn a_rating_is_on_its_scale() {
    let five = || question("q", "rating", json!({}));
    assert_eq!(check(five(), Answer::Rating(0)), Err(E::OutOfRange { min: 1, max: 5 }));
    assert_eq!(check(five(), Answer::Rating(6)), Err(E::OutOfRange { min: 1, max: 5 }));
    assert_eq!(check(five(), Answer::Rating(1)), ok(json!(1)));
    assert_eq!(check(five(), Answer::Rating(5)), ok(json!(5)));
    let nps = || question("q", "rating", json!({ "min": 0, "max": 10 }));
    assert_eq!(check(nps(), Answer::Rating(0)), ok(json!(0)));
    assert_eq!(check(nps(), Answer::Rating(i64::MIN)), Err(E::OutOfRange { min: 0, max: 10 }));
}

// ---------------------------------------------------------------------------------------------
// matrix

#[test]
fn a_required_matrix_needs_every_row() {
    let q = |required: bool| {
        question("q", "matrix", json!({ "rows": options(&["r1", "r2"]), "columns": options(&["c1", "c2"]), "required": required }))
    };
    assert_eq!(check(q(true), matrix(&[("r1", "c1")])), Err(E::Required));
    assert_eq!(check(q(true), matrix(&[("r1", "c1"), ("r2", "c1")])), ok(json!({ "r1": "c1", "r2": "c1" })));
    assert_eq!(check(q(true), matrix(&[])), Err(E::Required));
    assert_eq!(check(q(false), matrix(&[("r2", "c2")])), ok(json!({ "r2": "c2" })));
    assert_eq!(check(q(false), matrix(&[])), UNANSWERED);
    assert_eq!(check(q(false), matrix(&[("r3", "c1")])), Err(E::UnknownOption), "unknown row");
    assert_eq!(check(q(false), matrix(&[("r1", "c3")])), Err(E::UnknownOption), "unknown column");
}

// ---------------------------------------------------------------------------------------------
// ranking

#[test]
fn a_ranking_is_an_ordering_of_every_option() {
    let q = || question("q", "ranking", json!({ "options": options(&["a", "b", "c"]) }));
    assert_eq!(check(q(), ranking(&["c", "a", "b"])), ok(json!(["c", "a", "b"])), "the order is kept");
    for bad in [&["a", "b"][..], &["a", "b", "b"], &["a", "b", "c", "a"], &["a", "b", "d"], &["a", "b", "c", "d"]] {
        assert_eq!(check(q(), ranking(bad)), Err(E::RankingIncomplete), "{bad:?}");
    }
    assert_eq!(check(q(), ranking(&[])), UNANSWERED);
}

// ---------------------------------------------------------------------------------------------
// date

#[test]
fn a_date_needs_all_three_parts() {
    let q = || question("q", "date", json!({}));
    assert_eq!(check(q(), date("", "", "")), UNANSWERED);
    assert_eq!(check(q(), date(" ", "  ", "")), UNANSWERED);
    assert_eq!(check(q(), date("1", "", "2024")), Err(E::DateIncomplete));
    assert_eq!(check(q(), date("", "2", "2024")), Err(E::DateIncomplete));
    assert_eq!(check(q(), date("1", "2", " ")), Err(E::DateIncomplete));
    assert_eq!(check(question("q", "date", json!({ "required": true })), date("", "", "")), Err(E::Required));
}

#[test]
fn a_date_must_be_real() {
    let q = || question("q", "date", json!({}));
    assert_eq!(check(q(), date("1", "2", "2024")), ok(json!("2024-02-01")));
    assert_eq!(check(q(), date(" 09 ", "11", "1987")), ok(json!("1987-11-09")));
    for (d, m, y) in [
        ("31", "2", "2023"),
        ("30", "2", "2024"),
        ("31", "4", "2024"),
        ("0", "1", "2024"),
        ("1", "13", "2024"),
        ("1", "0", "2024"),
        ("1", "1", "24"),
        ("1", "1", "0000"),
        ("1", "1", "20245"),
        ("001", "1", "2024"),
        ("1st", "1", "2024"),
        ("-1", "1", "2024"),
        ("1", "Jan", "2024"),
    ] {
        assert_eq!(check(q(), date(d, m, y)), Err(E::DateInvalid), "{d}/{m}/{y}");
    }
}

#[test]
fn the_29th_of_february_only_in_leap_years() {
    let q = || question("q", "date", json!({}));
    for leap in ["2024", "2000", "1996"] {
        assert_eq!(check(q(), date("29", "2", leap)), ok(json!(format!("{leap}-02-29"))), "{leap}");
    }
    for not_leap in ["2023", "1900", "2100"] {
        assert_eq!(check(q(), date("29", "2", not_leap)), Err(E::DateInvalid), "{not_leap}");
    }
}

#[test]
fn a_date_keeps_to_its_bounds_inclusively() {
    let q = || question("q", "date", json!({ "min": "2024-01-10", "max": "2024-12-31" }));
    assert_eq!(check(q(), date("9", "1", "2024")), Err(E::DateBefore { min: "2024-01-10".into() }));
    assert_eq!(check(q(), date("10", "1", "2024")), ok(json!("2024-01-10")));
    assert_eq!(check(q(), date("31", "12", "2024")), ok(json!("2024-12-31")));
    assert_eq!(check(q(), date("1", "1", "2025")), Err(E::DateAfter { max: "2024-12-31".into() }));
    assert_eq!(check(q(), date("1", "1", "1999")), Err(E::DateBefore { min: "2024-01-10".into() }));
}

// ---------------------------------------------------------------------------------------------
// consent and statement

#[test]
fn consent_is_given_or_not_answered() {
    let q = |required: bool| question("q", "consent", json!({ "label": "I agree", "required": required }));
    assert_eq!(check(q(false), Answer::Consent(true)), ok(json!(true)));
    assert_eq!(check(q(false), Answer::Consent(false)), UNANSWERED);
    assert_eq!(check(q(true), Answer::Consent(false)), Err(E::Required));
    assert_eq!(check_with(q(true), Answers::default()), Err(E::Required));
}

#[test]
fn a_statement_takes_no_answer_and_anything_given_is_ignored() {
    let survey = parse(&with_questions(json!([question("s", "statement", json!({})), question("q", "text", json!({}))])));
    let given = answers([("s", text("stray")), ("q", text("x"))]);
    let (values, _) = survey.validate_all(&given).unwrap();
    assert_eq!(values, [("q".to_string(), json!("x"))].into());
    assert!(survey.validate_page(0, &answers([("s", Answer::Rating(3))])).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Across types

#[test]
fn an_answer_of_the_wrong_shape_is_refused() {
    let cases = [
        (single(json!({})), choices(&["a"])),
        (multiple(json!({})), choice("a")),
        (text_q(json!({})), Answer::Rating(3)),
        (question("q", "long_text", json!({})), choice("a")),
        (question("q", "rating", json!({})), text("3")),
        (question("q", "matrix", json!({ "rows": options(&["r"]), "columns": options(&["c"]) })), choices(&["r"])),
        (question("q", "ranking", json!({ "options": options(&["a", "b"]) })), choices(&["a", "b"])),
        (question("q", "date", json!({})), text("2024-01-01")),
        (question("q", "consent", json!({ "label": "ok" })), text("yes")),
    ];
    for (q, a) in cases {
        assert!(matches!(check(q.clone(), a.clone()), Err(E::WrongShape(_))), "{q} with {a:?}");
    }
}

#[test]
fn required_questions_must_be_answered_and_optional_ones_may_be_left() {
    let survey = parse(&with_questions(json!([
        question("must", "text", json!({ "required": true })),
        question("may", "text", json!({})),
        question("pick", "single_choice", json!({ "options": options(&["a"]), "required": true })),
    ])));
    let errors = survey.validate_all(&Answers::default()).unwrap_err();
    assert_eq!(
        errors,
        [
            FieldError { question: "must".into(), kind: E::Required },
            FieldError { question: "pick".into(), kind: E::Required },
        ]
    );
    let (values, other_text) = survey.validate_all(&answers([("must", text("x")), ("pick", choice("a"))])).unwrap();
    assert_eq!(values.keys().collect::<Vec<_>>(), ["must", "pick"], "the unanswered optional one is left out");
    assert!(other_text.is_empty());
}

#[test]
fn every_problem_is_reported_in_survey_order() {
    let survey = demo();
    let given = answers([("consent", Answer::Consent(false)), ("heard", choice("radio")), ("ease", Answer::Rating(9))]);
    let errors = survey.validate_all(&given).unwrap_err();
    let got: Vec<_> = errors.iter().map(|e| (e.question.as_str(), e.kind.clone())).collect();
    assert_eq!(
        got,
        [("heard", E::UnknownOption), ("ease", E::OutOfRange { min: 1, max: 5 }), ("consent", E::Required)]
    );
}

#[test]
fn validate_page_checks_only_that_page() {
    let survey = demo();
    let errors = survey.validate_page(1, &answers([("heard", choice("nope")), ("area", text(&"x".repeat(81)))]));
    let got: Vec<_> = errors.iter().map(|e| (e.question.as_str(), e.kind.clone())).collect();
    assert_eq!(got, [("ease", E::Required), ("area", E::TooLong { max: 80 })]);
    assert!(survey.validate_page(99, &Answers::default()).is_empty(), "no such page, no panic");
}

#[test]
fn a_valid_demo_response_gives_the_payload_maps() {
    let mut given = answers([
        ("heard", choice("other")),
        ("channels", choices(&["webform", "phone"])),
        ("ease", Answer::Rating(4)),
        ("improve", text("  Shorter forms  ")),
        ("area", text("")),
        ("consent", Answer::Consent(true)),
    ]);
    given.other_text.insert("heard".into(), "A leaflet".into());
    let (values, other_text) = demo().validate_all(&given).unwrap();
    assert_eq!(
        Value::Object(values.into_iter().collect()),
        json!({ "heard": "other", "channels": ["phone", "webform"], "ease": 4, "improve": "Shorter forms", "consent": true })
    );
    assert_eq!(other_text, [("heard".to_string(), "A leaflet".to_string())].into());
}

#[test]
fn error_kinds_read_as_plain_english() {
    assert_eq!(E::Required.to_string(), "is required");
    assert_eq!(E::TooLong { max: 80 }.to_string(), "must be 80 characters or fewer");
    assert_eq!(E::BelowMin { min: 0.5 }.to_string(), "must be 0.5 or more");
    assert_eq!(E::DateAfter { max: "2024-12-31".into() }.to_string(), "must be on or before 2024-12-31");
}

/// The collector validates the text the widget sends, so validating that text again must agree:
/// a postcode typed as `a0a0aa` is sent as `A0A 0AA`, seven characters, and a limit of six must
/// refuse it in the widget too rather than let the collector refuse it later (found by the
/// property test of random answers).
#[test]
fn a_normalised_postcode_is_measured_as_it_is_sent() {
    let q = || text_q(json!({ "input": "postcode", "max_length": 6 }));
    assert_eq!(check(q(), Answer::Text("a0a0aa".into())), Err(E::TooLong { max: 6 }), "7 characters once normalised");
    assert_eq!(check(q(), Answer::Text("A0 0AA".into())), ok(json!("A0 0AA")));
    // What was sent validates to itself.
    assert_eq!(check(q(), Answer::Text("A0 0AA".into())), check(q(), Answer::Text("a00aa".into())));
}
