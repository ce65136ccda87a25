//! The definition parser: what it accepts, every rule it enforces (each refused with the JSON
//! path of the offending value), and the keys it ignores with a warning.

mod common;

use common::*;
use serde_json::{json, Value};
use survey_model::{
    ChoiceDisplay, Condition, InputKind, QuestionKind, Survey, Text,
};

/// The example definition the format was first described with (docs/survey-format.md documents it).
const FORMAT_EXAMPLE: &str = r#"{
  "format": 1,
  "id": "digital-engagement",
  "version": 3,
  "title": "Help us improve how we talk with you online",
  "description": "It takes about 5 minutes.",
  "default_language": "en",
  "languages": ["en", "cy"],
  "anonymous": true,
  "privacy": { "notice": "We do not record who you are.", "url": "https://example.org/privacy" },
  "link": "https://collect.example.org/s/digital-engagement",
  "hidden_fields": ["channel"],
  "start_page": true,
  "review": true,
  "one_question_per_page": false,
  "completion": { "title": "Thank you", "message": "Your answers have been sent.",
                  "share": { "url": "https://example.org/survey", "text": "Have your say" } },
  "pages": [
    { "id": "about-you", "title": "About you", "visible_if": null,
      "questions": [
        { "id": "heard", "type": "single_choice", "title": "How did you hear about this survey?",
          "hint": "Choose one", "required": true,
          "options": [ { "value": "twitter", "label": "Twitter" },
                       { "value": "web", "label": "Our website" } ],
          "other": { "label": "Somewhere else", "detail_label": "Where?" } }
      ] }
  ]
}"#;

fn plain(s: &str) -> Text {
    Text::Plain(s.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Definitions that must parse

#[test]
fn the_format_example_parses_with_every_field_read() {
    let s = Survey::parse(FORMAT_EXAMPLE).unwrap();
    assert_eq!(s.id, "digital-engagement");
    assert_eq!(s.version, 3);
    assert_eq!(s.title, plain("Help us improve how we talk with you online"));
    assert_eq!(s.description, Some(plain("It takes about 5 minutes.")));
    assert_eq!(s.default_language, "en");
    assert_eq!(s.languages, ["en", "cy"]);
    assert!(s.anonymous && s.start_page && s.review && !s.one_question_per_page);
    let privacy = s.privacy.as_ref().unwrap();
    assert_eq!(privacy.url.as_deref(), Some("https://example.org/privacy"));
    assert_eq!(s.link.as_deref(), Some("https://collect.example.org/s/digital-engagement"));
    assert_eq!(s.hidden_fields, ["channel"]);
    assert_eq!(s.completion.title, Some(plain("Thank you")));
    let share = s.completion.share.as_ref().unwrap();
    assert_eq!(share.url, "https://example.org/survey");
    assert_eq!(share.text, Some(plain("Have your say")));

    assert_eq!(s.pages.len(), 1);
    assert_eq!(s.pages[0].id, "about-you");
    assert_eq!(s.pages[0].visible_if, None, "a null condition is no condition");
    let q = &s.pages[0].questions[0];
    assert_eq!((q.id.as_str(), q.required), ("heard", true));
    assert_eq!(q.hint, Some(plain("Choose one")));
    let QuestionKind::SingleChoice { options, other, shuffle, display } = &q.kind else {
        panic!("{:?}", q.kind)
    };
    assert_eq!(options.iter().map(|o| o.value.as_str()).collect::<Vec<_>>(), ["twitter", "web"]);
    assert_eq!(options[1].label, plain("Our website"));
    let other = other.as_ref().unwrap();
    assert_eq!(other.label, plain("Somewhere else"));
    assert_eq!(other.detail_label, Some(plain("Where?")));
    assert!(!shuffle);
    assert_eq!(*display, ChoiceDisplay::Radios);
}

#[test]
fn the_demo_survey_parses() {
    let s = demo();
    let ids: Vec<_> = s.questions().map(|(page, q)| (page, q.id.as_str(), q.kind.type_name())).collect();
    assert_eq!(
        ids,
        [
            (0, "heard", "single_choice"),
            (0, "channels", "multiple_choice"),
            (1, "ease", "rating"),
            (1, "improve", "long_text"),
            (1, "area", "text"),
            (2, "about-data", "statement"),
            (2, "consent", "consent"),
        ]
    );
    let QuestionKind::MultipleChoice { options, .. } = &s.question("channels").unwrap().kind else { panic!() };
    let exclusive: Vec<_> = options.iter().filter(|o| o.exclusive).map(|o| o.value.as_str()).collect();
    assert_eq!(exclusive, ["none"]);
    assert_eq!(s.question("ease").unwrap().kind, QuestionKind::Rating {
        min: 1,
        max: 5,
        min_label: Some(plain("Very hard")),
        max_label: Some(plain("Very easy")),
    });
    assert_eq!(s.link.as_deref(), Some("/s/digital-engagement"), "relative links are allowed");
    assert_eq!(s.languages, ["en"]);
}

#[test]
fn defaults_fill_in_what_a_minimal_definition_leaves_out() {
    let s = parse(&with_questions(json!([question("q", "text", json!({}))])));
    assert_eq!(s.version, 1);
    assert_eq!(s.default_language, "en");
    assert_eq!(s.languages, ["en"], "the default language alone");
    assert!(!s.anonymous && !s.start_page && !s.review && !s.one_question_per_page);
    assert_eq!(s.completion, Default::default());
    let q = s.question("q").unwrap();
    assert!(!q.required);
    assert!(matches!(q.kind, QuestionKind::Text { input: InputKind::Text, integer: false, .. }));
}

#[test]
fn every_question_type_parses() {
    let def = with_questions(json!([
        question("a", "single_choice", json!({ "options": options(&["x", "y"]), "display": "dropdown", "shuffle": true })),
        question("b", "multiple_choice", json!({ "options": options(&["x", "y", "z"]), "min_selected": 1, "max_selected": 2,
            "other": { "label": "Other" } })),
        question("c", "text", json!({ "input": "number", "min": 0, "max": 10.5, "integer": false })),
        question("d", "long_text", json!({ "max_length": 500, "rows": 4 })),
        question("e", "rating", json!({ "min": 0, "max": 10, "min_label": "No", "max_label": "Yes" })),
        question("f", "matrix", json!({ "rows": options(&["r1", "r2"]), "columns": options(&["c1", "c2"]) })),
        question("g", "ranking", json!({ "options": options(&["x", "y", "z"]) })),
        question("h", "date", json!({ "min": "2000-01-01", "max": "2030-12-31" })),
        question("i", "consent", json!({ "label": "I agree" })),
        question("j", "statement", json!({ "hint": "Read this.\n\nThen this." })),
    ]));
    let s = parse(&def);
    let types: Vec<_> = s.questions().map(|(_, q)| q.kind.type_name()).collect();
    assert_eq!(
        types,
        ["single_choice", "multiple_choice", "text", "long_text", "rating", "matrix", "ranking", "date", "consent", "statement"]
    );
    assert!(matches!(s.question("a").unwrap().kind, QuestionKind::SingleChoice { display: ChoiceDisplay::Dropdown, shuffle: true, .. }));
    assert!(matches!(
        s.question("c").unwrap().kind,
        QuestionKind::Text { input: InputKind::Number, min: Some(0.0), max: Some(10.5), .. }
    ));
    assert!(!s.question("j").unwrap().kind.takes_answer());
}

#[test]
fn translated_text_is_read_per_language() {
    let mut def = with_questions(json!([question("q", "consent", json!({ "label": { "en": "Yes", "cy": "Ie" } }))]));
    def["languages"] = json!(["en", "cy"]);
    def["title"] = json!({ "en": "Survey", "cy": "Arolwg" });
    let s = parse(&def);
    assert_eq!(s.title.get("cy", "en"), "Arolwg");
    assert_eq!(s.title.get("fr", "en"), "Survey");
    assert_eq!(s.resolve_language(Some("cy-GB")), "cy");
    assert_eq!(s.resolve_language(Some("CY")), "cy");
    assert_eq!(s.resolve_language(Some("fr")), "en");
    assert_eq!(s.resolve_language(None), "en");
}

#[test]
fn conditions_are_attached_to_their_page_or_question() {
    let def = definition(json!([
        { "id": "p1", "questions": [
            question("q1", "single_choice", json!({ "options": options(&["yes", "no"]) })),
            question("q2", "text", json!({ "visible_if": { "question": "q1", "equals": "yes" } })),
        ]},
        { "id": "p2", "visible_if": { "not": { "question": "q1", "answered": true } }, "questions": [
            question("q3", "text", json!({})),
        ]},
    ]));
    let s = parse(&def);
    assert_eq!(
        s.question("q2").unwrap().visible_if,
        Some(Condition::Equals { question: "q1".into(), value: json!("yes") })
    );
    assert_eq!(
        s.pages[1].visible_if,
        Some(Condition::Not(Box::new(Condition::Answered { question: "q1".into(), answered: true })))
    );
    assert_eq!(s.question("q1").unwrap().visible_if, None);
}

#[test]
fn relative_and_http_links_are_allowed() {
    for url in ["/privacy", "privacy.html", "https://example.org/p", "HTTP://example.org", "//example.org/p", "?a=b:c", "#top"] {
        let mut def = with_questions(json!([question("q", "text", json!({}))]));
        def["link"] = json!(url);
        assert_eq!(parse(&def).link.as_deref(), Some(url));
    }
}

// ---------------------------------------------------------------------------------------------
// Each rule, refused at its path

#[test]
fn an_unknown_question_type_is_refused() {
    let def = with_questions(json!([question("q", "slider", json!({}))]));
    let msg = single_problem_at(&def, "pages[0].questions[0].type");
    assert!(msg.contains("\"slider\" is not a question type"), "{msg}");
    assert!(msg.contains("single_choice") && msg.contains("statement"), "lists the types: {msg}");
}

#[test]
fn a_question_id_repeated_on_another_page_is_refused() {
    let def = definition(json!([
        { "id": "p1", "questions": [question("q", "text", json!({})), question("r", "text", json!({}))] },
        { "id": "p2", "questions": [question("s", "text", json!({})), question("q", "text", json!({}))] },
    ]));
    assert_eq!(problems(&def), ["pages[1].questions[1].id: repeats the question id \"q\""]);
}

#[test]
fn a_repeated_page_id_is_refused() {
    let def = definition(json!([
        { "id": "p", "questions": [question("a", "text", json!({}))] },
        { "id": "p", "questions": [question("b", "text", json!({}))] },
    ]));
    assert_eq!(problems(&def), ["pages[1].id: repeats the page id \"p\""]);
}

#[test]
fn empty_options_are_refused_at_their_path() {
    let def = definition(json!([
        { "id": "p1", "questions": [question("a", "text", json!({}))] },
        { "id": "p2", "questions": [
            question("b", "text", json!({})),
            question("c", "text", json!({})),
            question("d", "text", json!({})),
            question("e", "single_choice", json!({ "options": [] })),
        ]},
    ]));
    assert_eq!(problems(&def), ["pages[1].questions[3].options: must not be empty"]);
}

#[test]
fn every_list_of_choices_must_be_present_and_not_empty() {
    for (ty, key) in [
        ("single_choice", "options"),
        ("multiple_choice", "options"),
        ("ranking", "options"),
        ("matrix", "rows"),
        ("matrix", "columns"),
    ] {
        let mut q = question("q", ty, json!({ "options": options(&["a", "b"]), "rows": options(&["r"]), "columns": options(&["c"]) }));
        if ty != "matrix" {
            q.as_object_mut().unwrap().retain(|k, _| k != "rows" && k != "columns");
        } else {
            q.as_object_mut().unwrap().remove("options");
        }
        q[key] = json!([]);
        let path = format!("pages[0].questions[0].{key}");
        assert_eq!(single_problem_at(&with_questions(json!([q.clone()])), &path), "must not be empty", "{ty}");
        q.as_object_mut().unwrap().remove(key);
        assert_eq!(single_problem_at(&with_questions(json!([q])), &path), "is required", "{ty}");
    }
}

#[test]
fn a_missing_title_is_refused_wherever_it_is_required() {
    let mut def = with_questions(json!([{ "id": "q", "type": "text" }]));
    def.as_object_mut().unwrap().remove("title");
    assert_eq!(problems(&def), ["title: is required", "pages[0].questions[0].title: is required"]);

    let def = with_questions(json!([question("q", "single_choice", json!({ "options": [{ "value": "a" }] }))]));
    assert_eq!(problems(&def), ["pages[0].questions[0].options[0].label: is required"]);
}

#[test]
fn ids_with_characters_outside_a_z_0_9_underscore_hyphen_are_refused() {
    for bad in ["Heard", "two words", "é", "", "a.b", "a/b"] {
        let mut def = with_questions(json!([question(bad, "text", json!({}))]));
        def["id"] = json!(bad);
        def["pages"][0]["id"] = json!(bad);
        def["hidden_fields"] = json!([bad]);
        let paths = problem_paths(&def);
        assert_eq!(paths, ["id", "hidden_fields[0]", "pages[0].id", "pages[0].questions[0].id"], "{bad:?}");
    }
    // And the allowed alphabet, in full.
    let mut def = with_questions(json!([question("a-z_0-9", "text", json!({}))]));
    def["id"] = json!("abc-xyz_019");
    parse(&def);
}

#[test]
fn a_condition_on_an_unknown_question_is_refused() {
    let def = with_questions(json!([
        question("a", "text", json!({})),
        question("b", "text", json!({ "visible_if": { "question": "nope", "answered": true } })),
    ]));
    assert_eq!(
        problems(&def),
        ["pages[0].questions[1].visible_if.question: \"nope\" is not a question of this survey"]
    );
}

#[test]
fn a_condition_on_a_later_question_or_on_itself_is_refused() {
    let later = definition(json!([
        { "id": "p1", "questions": [question("a", "text", json!({ "visible_if": { "question": "b", "answered": true } }))] },
        { "id": "p2", "questions": [question("b", "text", json!({}))] },
    ]));
    assert_eq!(
        problems(&later),
        ["pages[0].questions[0].visible_if.question: \"b\" must be a question that comes before this one"]
    );

    let same_page_later = with_questions(json!([
        question("a", "text", json!({ "visible_if": { "question": "b", "answered": true } })),
        question("b", "text", json!({})),
    ]));
    assert_eq!(problem_paths(&same_page_later), ["pages[0].questions[0].visible_if.question"]);

    let itself = with_questions(json!([
        question("a", "text", json!({})),
        question("b", "text", json!({ "visible_if": { "question": "b", "answered": true } })),
    ]));
    assert_eq!(
        problems(&itself),
        ["pages[0].questions[1].visible_if.question: \"b\" must be a question that comes before this one"]
    );
}

#[test]
fn a_page_condition_may_only_look_at_earlier_pages() {
    let def = definition(json!([
        { "id": "p1", "questions": [question("a", "text", json!({}))] },
        { "id": "p2", "visible_if": { "question": "b", "answered": true },
          "questions": [question("b", "text", json!({}))] },
    ]));
    assert_eq!(
        problems(&def),
        ["pages[1].visible_if.question: \"b\" must be a question on an earlier page"]
    );
    // The same condition on the first question of the next page is fine.
    let ok = definition(json!([
        { "id": "p1", "questions": [question("a", "text", json!({}))] },
        { "id": "p2", "visible_if": { "question": "a", "answered": true },
          "questions": [question("b", "text", json!({}))] },
    ]));
    parse(&ok);
}

#[test]
fn a_condition_on_a_statement_is_refused() {
    let def = with_questions(json!([
        question("s", "statement", json!({})),
        question("b", "text", json!({ "visible_if": { "question": "s", "answered": true } })),
    ]));
    assert_eq!(
        problems(&def),
        ["pages[0].questions[1].visible_if.question: \"s\" is a statement, which has no answer"]
    );
}

#[test]
fn equals_with_a_value_that_is_not_an_option_is_refused() {
    let base = |cond: Value| {
        with_questions(json!([
            question("c", "single_choice", json!({ "options": options(&["yes", "no"]), "other": { "label": "Other" } })),
            question("m", "multiple_choice", json!({ "options": options(&["a", "b"]) })),
            question("t", "text", json!({ "visible_if": cond })),
        ]))
    };
    let path = "pages[0].questions[2].visible_if";
    for (cond, at) in [
        (json!({ "question": "c", "equals": "maybe" }), "equals"),
        (json!({ "question": "c", "not_equals": "Yes" }), "not_equals"),
        (json!({ "question": "c", "includes": "maybe" }), "includes"),
        (json!({ "question": "c", "equals": 1 }), "equals"),
        (json!({ "question": "c", "equals": ["yes"] }), "equals"),
        (json!({ "question": "m", "includes": "c" }), "includes"),
        (json!({ "question": "m", "equals": ["a", "z"] }), "equals"),
        (json!({ "question": "m", "includes": ["a"] }), "includes"),
        (json!({ "question": "c", "includes": "no" }), "includes"),
        (json!({ "question": "m", "not_equals": [] }), "not_equals"),
        (json!({ "question": "m", "equals": ["a", "a"] }), "equals"),
    ] {
        assert_eq!(problem_paths(&base(cond.clone())), [format!("{path}.{at}")], "{cond}");
    }
    for cond in [
        json!({ "question": "c", "equals": "yes" }),
        json!({ "question": "c", "equals": "other" }),
        json!({ "question": "c", "not_equals": "other" }),
        json!({ "question": "m", "includes": "b" }),
        json!({ "question": "m", "equals": ["b", "a"] }),
        json!({ "question": "m", "not_equals": ["a"] }),
    ] {
        parse(&base(cond));
    }
}

#[test]
fn equals_on_a_multiple_choice_needs_a_list() {
    // A multiple choice's answer is a list, so `"equals": "a"` could never hold: a survey author
    // who meant `includes` must be told, not left with a question that never shows.
    let def = with_questions(json!([
        question("m", "multiple_choice", json!({ "options": options(&["a", "b"]) })),
        question("t", "text", json!({ "visible_if": { "question": "m", "equals": "a" } })),
    ]));
    assert_eq!(problem_paths(&def), ["pages[0].questions[1].visible_if.equals"]);
}

#[test]
fn at_least_and_at_most_need_something_countable() {
    let def = |target: &str, test: &str| {
        with_questions(json!([
            question("c", "single_choice", json!({ "options": options(&["1", "2"]) })),
            question("n", "text", json!({ "input": "number" })),
            question("w", "text", json!({})),
            question("r", "rating", json!({})),
            question("m", "multiple_choice", json!({ "options": options(&["a", "b"]) })),
            question("d", "date", json!({})),
            question("t", "text", json!({ "visible_if": { "question": target, test: 2 } })),
        ]))
    };
    for test in ["at_least", "at_most"] {
        for ok in ["n", "r", "m"] {
            parse(&def(ok, test));
        }
        for bad in ["c", "w", "d"] {
            assert_eq!(problem_paths(&def(bad, test)), [format!("pages[0].questions[6].visible_if.{test}")], "{bad}");
        }
    }
}

/// Every type a condition can test, then question "t" with `cond` (at `pages[0].questions[11]`).
fn gates(cond: Value) -> Value {
    with_questions(json!([
        question("c", "single_choice", json!({ "options": options(&["yes", "no"]), "other": { "label": "Other" } })),
        question("m", "multiple_choice", json!({ "options": [
            { "value": "a", "label": "A" }, { "value": "b", "label": "B" }, { "value": "none", "label": "None", "exclusive": true },
        ], "max_selected": 2 })),
        question("w", "text", json!({ "min_length": 2 })),
        question("n", "text", json!({ "input": "number", "min": 0, "max": 100, "integer": true })),
        question("l", "long_text", json!({ "max_length": 5 })),
        question("r", "rating", json!({ "min": 1, "max": 5 })),
        question("x", "matrix", json!({ "required": true, "rows": options(&["r1", "r2"]), "columns": options(&["c1", "c2"]) })),
        question("k", "ranking", json!({ "options": options(&["p", "q"]) })),
        question("d", "date", json!({ "min": "2000-01-01", "max": "2030-12-31" })),
        question("o", "consent", json!({ "label": "I agree" })),
        question("e", "text", json!({ "input": "email" })),
        question("t", "text", json!({ "visible_if": cond })),
    ]))
}

const GATED: &str = "pages[0].questions[11].visible_if";

#[test]
fn equals_must_be_a_possible_answer_of_each_type() {
    for (target, value) in [
        ("c", json!("no")),
        ("c", json!("other")),
        ("m", json!(["b", "a"])),
        ("m", json!(["none"])),
        ("w", json!("hello")),
        ("n", json!(42)),
        ("n", json!(42.0)),
        ("l", json!("short")),
        ("r", json!(5)),
        ("x", json!({ "r1": "c1", "r2": "c2" })),
        ("k", json!(["q", "p"])),
        ("d", json!("2024-02-29")),
        ("o", json!(true)),
        ("e", json!("me@example.org")),
    ] {
        for test in ["equals", "not_equals"] {
            let cond = json!({ "question": target, test: value });
            let survey = parse(&gates(cond.clone()));
            assert!(survey.question("t").unwrap().visible_if.is_some(), "{cond}");
        }
    }
    for (target, value, message) in [
        ("c", json!("maybe"), "is not one of the option values of \"c\""),
        ("c", json!(["yes"]), "must be an option value (a string), like an answer to \"c\""),
        ("m", json!("a"), "must be a list of option values, like an answer to \"m\" (use includes to test one option)"),
        ("m", json!(["a", "b", "none"]), "can never be an answer to \"m\": it has an exclusive option selected with others"),
        ("m", json!([]), "counts as no answer, so it can never match (test \"answered\" instead)"),
        ("w", json!(3), "must be a string, like an answer to \"w\""),
        ("w", json!("x"), "can never be an answer to \"w\": it must be at least 2 characters"),
        ("w", json!("  "), "counts as no answer, so it can never match (test \"answered\" instead)"),
        ("n", json!("42"), "must be a number, like an answer to \"n\""),
        ("n", json!(101), "can never be an answer to \"n\": it must be 100 or less"),
        ("n", json!(4.5), "can never be an answer to \"n\": it must be a whole number"),
        ("l", json!("too long"), "can never be an answer to \"l\": it must be 5 characters or fewer"),
        ("r", json!(6), "can never be an answer to \"r\": it must be from 1 to 5"),
        ("r", json!(4.5), "must be a whole number, like an answer to \"r\""),
        ("r", json!("5"), "must be a whole number, like an answer to \"r\""),
        ("x", json!({ "r1": "c1" }), "must answer every row of \"x\", which is required"),
        ("x", json!({ "r1": "c3", "r2": "c1" }), "is not one of the option values of \"x\""),
        ("x", json!(["c1"]), "must be an object of row value to column value, like an answer to \"x\""),
        ("k", json!(["p"]), "can never be an answer to \"k\": it must rank every option exactly once"),
        ("d", json!("2024-02-30"), "must be a date written YYYY-MM-DD, like an answer to \"d\""),
        ("d", json!("1999-12-31"), "can never be an answer to \"d\": it must be on or after 2000-01-01"),
        ("o", json!(false), "must be true, like an answer to \"o\""),
        ("o", json!("yes"), "must be true, like an answer to \"o\""),
        ("e", json!("not an address"), "can never be an answer to \"e\": it must be an email address, like name@example.com"),
    ] {
        for test in ["equals", "not_equals"] {
            let cond = json!({ "question": target, test: value });
            assert_eq!(problems(&gates(cond.clone())), [format!("{GATED}.{test}: {message}")], "{cond}");
        }
    }
}

#[test]
fn equals_keeps_the_value_in_the_form_the_answer_is_sent() {
    let with = |target: &str, v: Value| {
        let s = parse(&gates(json!({ "question": target, "equals": v })));
        match s.question("t").unwrap().visible_if.clone() {
            Some(survey_model::Condition::Equals { value, .. }) => value,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(with("m", json!(["b", "a"])), json!(["a", "b"]), "the options' order");
    assert_eq!(with("n", json!(42.0)), json!(42));
    assert_eq!(with("w", json!("  hello ")), json!("hello"));
}

#[test]
fn includes_is_for_multiple_choice_and_ranking_only() {
    parse(&gates(json!({ "question": "m", "includes": "none" })));
    parse(&gates(json!({ "question": "k", "includes": "q" })));
    for target in ["c", "w", "n", "l", "r", "x", "d", "o"] {
        let cond = json!({ "question": target, "includes": "yes" });
        assert_eq!(
            problems(&gates(cond.clone())),
            [format!("{GATED}.includes: only applies to a multiple_choice or ranking question (use equals)")],
            "{cond}"
        );
    }
    for (target, value) in [("m", json!("c")), ("m", json!("other")), ("k", json!("z")), ("k", json!(1))] {
        let cond = json!({ "question": target, "includes": value });
        assert_eq!(
            problems(&gates(cond.clone())),
            [format!("{GATED}.includes: is not one of the option values of \"{target}\"")],
            "{cond}"
        );
    }
}

#[test]
fn at_least_and_at_most_keep_to_what_can_be_counted() {
    for test in ["at_least", "at_most"] {
        for (target, n) in [("n", json!(-5)), ("n", json!(2.5)), ("r", json!(1)), ("r", json!(5)), ("m", json!(0)), ("m", json!(3))] {
            parse(&gates(json!({ "question": target, test: n })));
        }
        for (target, n, message) in [
            ("r", json!(0), "must be on the scale of \"r\", from 1 to 5"),
            ("r", json!(6), "must be on the scale of \"r\", from 1 to 5"),
            ("m", json!(4), "must be a whole number from 0 to 3, the number of options of \"m\""),
            ("m", json!(1.5), "must be a whole number from 0 to 3, the number of options of \"m\""),
            ("m", json!(-1), "must be a whole number from 0 to 3, the number of options of \"m\""),
            ("n", json!(null), "must be a number, not null"),
            ("l", json!(2), "needs a number, rating or multiple choice question"),
            ("k", json!(2), "needs a number, rating or multiple choice question"),
            ("x", json!(2), "needs a number, rating or multiple choice question"),
            ("o", json!(1), "needs a number, rating or multiple choice question"),
        ] {
            let cond = json!({ "question": target, test: n });
            assert_eq!(problems(&gates(cond.clone())), [format!("{GATED}.{test}: {message}")], "{cond}");
        }
    }
}

#[test]
fn answered_must_be_true() {
    for target in ["c", "m", "w", "n", "l", "r", "x", "k", "d", "o"] {
        parse(&gates(json!({ "question": target, "answered": true })));
    }
    assert_eq!(
        problems(&gates(json!({ "question": "c", "answered": false }))),
        [format!("{GATED}.answered: must be true (for \"not answered\", put the condition in \"not\")")]
    );
    assert_eq!(
        problems(&gates(json!({ "question": "c", "answered": 1 }))),
        [format!("{GATED}.answered: must be true, not a number")]
    );
    parse(&gates(json!({ "not": { "question": "c", "answered": true } })));
}

#[test]
fn every_condition_in_a_combination_is_checked_against_its_question() {
    let cond = json!({ "all": [
        { "question": "r", "equals": 9 },
        { "any": [{ "question": "c", "includes": "yes" }, { "not": { "question": "m", "at_least": 7 } }] },
    ] });
    assert_eq!(
        problem_paths(&gates(cond)),
        [
            format!("{GATED}.all[0].equals"),
            format!("{GATED}.all[1].any[0].includes"),
            format!("{GATED}.all[1].any[1].not.at_least"),
        ]
    );
}

#[test]
fn a_page_condition_is_checked_against_its_question_too() {
    let def = definition(json!([
        { "id": "p1", "questions": [question("r", "rating", json!({}))] },
        { "id": "p2", "visible_if": { "question": "r", "at_least": 9 }, "questions": [question("b", "text", json!({}))] },
    ]));
    assert_eq!(problems(&def), ["pages[1].visible_if.at_least: must be on the scale of \"r\", from 1 to 5"]);
}

#[test]
fn a_pattern_must_be_a_valid_regular_expression() {
    let def = with_questions(json!([
        question("a", "text", json!({ "pattern": "[0-9]+" })),
        question("b", "text", json!({ "pattern": "[0-9" })),
        question("c", "text", json!({ "pattern": "(a))(" })),
    ]));
    let ps = problems(&def);
    assert_eq!(ps.len(), 2, "{ps:?}");
    assert!(ps[0].starts_with("pages[0].questions[1].pattern: is not a valid regular expression: "), "{ps:?}");
    assert!(ps[1].starts_with("pages[0].questions[2].pattern: is not a valid regular expression: "), "{ps:?}");
    let s = parse(&with_questions(json!([question("a", "text", json!({ "pattern": "[0-9]+" }))])));
    match &s.pages[0].questions[0].kind {
        survey_model::QuestionKind::Text { pattern: Some(p), .. } => assert_eq!(p.as_str(), "[0-9]+"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_pattern_does_not_apply_to_numbers_and_its_message_needs_a_pattern() {
    let def = with_questions(json!([
        question("a", "text", json!({ "input": "number", "pattern": "[0-9]+" })),
        question("b", "text", json!({ "pattern_message": "Digits only" })),
    ]));
    assert_eq!(
        problems(&def),
        [
            "pages[0].questions[0].pattern: does not apply when input is \"number\" (use min, max and integer)",
            "pages[0].questions[1].pattern_message: only applies with a pattern",
        ]
    );
    for input in ["text", "email", "tel", "postcode", "url"] {
        parse(&with_questions(json!([question("a", "text", json!({ "input": input, "pattern": ".+", "pattern_message": "x" }))])));
    }
}

#[test]
fn malformed_conditions_are_refused_at_their_path() {
    let def = |cond: Value| {
        with_questions(json!([
            question("a", "text", json!({ "input": "number" })),
            question("b", "text", json!({ "visible_if": cond })),
        ]))
    };
    let p = "pages[0].questions[1].visible_if";
    for (cond, path) in [
        (json!("a"), p.to_string()),
        (json!({ "question": "a" }), p.to_string()),
        (json!({ "question": "a", "answered": true, "equals": 1 }), p.to_string()),
        (json!({ "question": "a", "answered": "yes" }), format!("{p}.answered")),
        (json!({ "question": "a", "at_least": "3" }), format!("{p}.at_least")),
        (json!({ "question": "a", "answerd": true }), p.to_string()),
        (json!({ "all": [] }), format!("{p}.all")),
        (json!({ "any": {} }), format!("{p}.any")),
        (json!({ "all": [{ "question": "a", "answered": true }, { "question": "zz", "answered": true }] }), format!("{p}.all[1].question")),
        (json!({ "not": { "question": "zz", "answered": true } }), format!("{p}.not.question")),
        (json!({ "all": [{ "question": "a", "answered": true }], "any": [] }), format!("{p}.any")),
    ] {
        let paths = problem_paths(&def(cond.clone()));
        assert!(paths.contains(&path), "{cond}: expected {path}, got {paths:?}");
    }
}

#[test]
fn every_problem_in_a_nested_condition_is_listed() {
    let def = with_questions(json!([
        question("a", "text", json!({})),
        question("b", "text", json!({ "visible_if": { "any": [
            { "question": "x", "answered": true },
            { "all": [{ "question": "y", "answered": true }, { "question": "a", "answered": 1 }] },
        ] } })),
    ]));
    let p = "pages[0].questions[1].visible_if.any";
    assert_eq!(
        problem_paths(&def),
        [format!("{p}[0].question"), format!("{p}[1].all[0].question"), format!("{p}[1].all[1].answered")]
    );
}

// ---------------------------------------------------------------------------------------------
// Forward compatibility: keys this version does not know

/// A definition with something at every level: the survey, its privacy notice and completion,
/// pages, questions, options, "other", and conditions of every form.
fn every_level() -> Value {
    let mut d = definition(json!([
        { "id": "p1", "questions": [
            question("a", "multiple_choice", json!({ "options": options(&["x", "y"]), "other": { "label": "Else" } })),
            question("b", "ranking", json!({ "options": options(&["m", "n"]) })),
            question("c", "text", json!({ "visible_if": { "question": "a", "includes": "x" } })),
        ]},
        { "id": "p2", "visible_if": { "all": [{ "question": "a", "answered": true }, { "not": { "question": "c", "answered": true } }] },
          "questions": [question("d", "rating", json!({ "visible_if": { "any": [{ "question": "a", "at_least": 1 }] } }))] },
    ]));
    d["privacy"] = json!({ "notice": "Nothing kept." });
    d["completion"] = json!({ "title": "Thanks", "share": { "url": "/s" } });
    d
}

#[test]
fn an_unknown_key_at_any_level_is_ignored_with_a_warning_at_its_path() {
    let plain_survey = parse(&every_level());
    let mut d = every_level();
    let mut add = |pointer: &str, key: &str| {
        let target = d.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}"));
        target.as_object_mut().unwrap().insert(key.to_owned(), json!({ "from": "a newer version" }));
    };
    add("", "theme");
    add("/privacy", "contact");
    add("/completion", "redirect");
    add("/completion/share", "image");
    add("/pages/0", "layout");
    add("/pages/0/questions/0", "colour");
    add("/pages/0/questions/0/options/1", "image");
    add("/pages/0/questions/0/other", "placeholder");
    add("/pages/0/questions/2/visible_if", "note");
    add("/pages/1/visible_if", "note");
    add("/pages/1/visible_if/all/1", "note");
    add("/pages/1/visible_if/all/1/not", "comment");
    add("/pages/1/questions/0/visible_if/any/0", "within_days");
    // Known elsewhere, but not here: a newer version may well add them to this type too.
    add("/pages/0/questions/1", "shuffle");
    add("/pages/0/questions/1/options/0", "exclusive");
    add("/pages/1/questions/0", "max_length");

    let (survey, warned) = parsed_with_warnings(&d);
    assert_eq!(survey, plain_survey, "an unknown key changes nothing");
    let ignored = |path: &str| format!("{path}: is not a known field; ignored");
    assert_eq!(
        warned,
        [
            ignored("theme"),
            ignored("privacy.contact"),
            ignored("completion.redirect"),
            ignored("completion.share.image"),
            ignored("pages[0].layout"),
            ignored("pages[0].questions[0].options[1].image"),
            ignored("pages[0].questions[0].other.placeholder"),
            ignored("pages[0].questions[0].colour"),
            ignored("pages[0].questions[1].options[0].exclusive"),
            ignored("pages[0].questions[1].shuffle"),
            ignored("pages[1].questions[0].max_length"),
            ignored("pages[0].questions[2].visible_if.note"),
            ignored("pages[1].visible_if.note"),
            ignored("pages[1].visible_if.all[1].note"),
            ignored("pages[1].visible_if.all[1].not.comment"),
            ignored("pages[1].questions[0].visible_if.any[0].within_days"),
        ]
    );
}

#[test]
fn a_definition_without_unknown_keys_has_no_warnings() {
    assert_eq!(warnings(&every_level()), Vec::<String>::new());
    let (_, warned) = Survey::parse_with_warnings(FORMAT_EXAMPLE).unwrap();
    assert!(warned.is_empty(), "{warned:?}");
    let mut d = every_level();
    d["$schema"] = json!("./survey-definition.schema.json");
    assert_eq!(warnings(&d), Vec::<String>::new(), "$schema is for editors, and known");
}

#[test]
fn a_typo_is_a_warning_and_the_misspelt_field_keeps_its_default() {
    let def = with_questions(json!([question("q", "text", json!({ "requried": true }))]));
    let (survey, warned) = parsed_with_warnings(&def);
    assert_eq!(warned, ["pages[0].questions[0].requried: is not a known field; ignored"]);
    assert!(!survey.question("q").unwrap().required);
}

#[test]
fn a_refused_definition_lists_its_problems_and_not_its_warnings() {
    let mut def = with_questions(json!([question("q", "single_choice", json!({ "options": [], "colour": "teal" }))]));
    def["theme"] = json!("dark");
    assert_eq!(problems(&def), ["pages[0].questions[0].options: must not be empty"]);
}

#[test]
fn a_known_key_with_a_wrong_value_is_still_refused_at_every_level() {
    for (pointer, key, value, path) in [
        ("", "review", json!("yes"), "review"),
        ("", "opens_at", json!("next week"), "opens_at"),
        ("", "publish_results", json!(1), "publish_results"),
        ("/privacy", "url", json!("javascript:alert(1)"), "privacy.url"),
        ("/completion/share", "text", json!(5), "completion.share.text"),
        ("/pages/0", "title", json!(["About you"]), "pages[0].title"),
        ("/pages/0/questions/0", "required", json!("yes"), "pages[0].questions[0].required"),
        ("/pages/0/questions/0/options/1", "exclusive", json!("yes"), "pages[0].questions[0].options[1].exclusive"),
        ("/pages/0/questions/0/other", "detail_label", json!({}), "pages[0].questions[0].other.detail_label"),
        ("/pages/0/questions/2/visible_if", "includes", json!("z"), "pages[0].questions[2].visible_if.includes"),
        ("/pages/1/visible_if/all/0", "answered", json!("yes"), "pages[1].visible_if.all[0].answered"),
    ] {
        let mut d = every_level();
        d.pointer_mut(pointer).unwrap().as_object_mut().unwrap().insert(key.to_owned(), value);
        assert_eq!(problem_paths(&d), [path], "{pointer} {key}");
    }
}

#[test]
fn condition_keys_side_by_side_are_refused_not_ignored() {
    let def = |cond: Value| {
        with_questions(json!([
            question("a", "text", json!({ "input": "number" })),
            question("b", "text", json!({ "visible_if": cond })),
        ]))
    };
    let yes = json!({ "question": "a", "answered": true });
    let p = "pages[0].questions[1].visible_if";
    for (cond, expected) in [
        (json!({ "all": [yes], "any": [yes] }), format!("{p}.any: cannot be used with \"all\"")),
        (json!({ "any": [yes], "not": yes }), format!("{p}.not: cannot be used with \"any\"")),
        (json!({ "not": yes, "question": "a" }), format!("{p}.question: cannot be used with \"not\"")),
        (json!({ "all": [yes], "answered": true }), format!("{p}.answered: cannot be used with \"all\"")),
    ] {
        assert_eq!(problems(&def(cond.clone())), [expected], "{cond}");
    }
    // A misspelt test is ignored, which leaves the condition without one.
    let def = def(json!({ "question": "a", "answerd": true }));
    assert_eq!(problem_paths(&def), [p]);
}

// ---------------------------------------------------------------------------------------------
// When the survey is open, and its results

#[test]
fn opens_at_closes_at_and_publish_results_are_read() {
    let mut d = with_questions(json!([question("q", "text", json!({}))]));
    d["opens_at"] = json!("2026-03-01T09:00:00Z");
    d["closes_at"] = json!("2026-03-31T17:00:00.5+01:00");
    d["publish_results"] = json!(true);
    let s = parse(&d);
    let (opens, closes) = (s.opens_at.as_ref().unwrap(), s.closes_at.as_ref().unwrap());
    assert_eq!(opens.as_str(), "2026-03-01T09:00:00Z");
    assert_eq!(opens.unix_seconds(), 1_772_355_600);
    assert_eq!(closes.as_str(), "2026-03-31T17:00:00.5+01:00");
    assert_eq!((closes.unix_seconds(), closes.subsec_nanos()), (1_774_972_800, 500_000_000));
    assert!(s.publish_results);

    let s = parse(&with_questions(json!([question("q", "text", json!({}))])));
    assert_eq!((s.opens_at, s.closes_at, s.publish_results), (None, None, false), "all optional");
    d["opens_at"] = Value::Null;
    assert!(parse(&d).opens_at.is_none(), "null is absent, as for every field");
}

#[test]
fn opens_at_and_closes_at_must_be_rfc_3339_times() {
    for bad in [json!("2026-03-01"), json!("2026-03-01 09:00:00Z"), json!("2026-03-01T09:00:00"), json!("2026-02-30T09:00:00Z"), json!(1772355600)] {
        for key in ["opens_at", "closes_at"] {
            let mut d = with_questions(json!([question("q", "text", json!({}))]));
            d[key] = bad.clone();
            let message = single_problem_at(&d, key);
            assert!(message.starts_with("must be a"), "{key} {bad}: {message}");
        }
    }
}

#[test]
fn closes_at_must_be_after_opens_at_whatever_the_offsets() {
    let with = |opens: &str, closes: &str| {
        let mut d = with_questions(json!([question("q", "text", json!({}))]));
        d["opens_at"] = json!(opens);
        d["closes_at"] = json!(closes);
        d
    };
    assert_eq!(single_problem_at(&with("2026-03-01T09:00:00Z", "2026-03-01T09:00:00Z"), "closes_at"), "must be after opens_at");
    assert_eq!(single_problem_at(&with("2026-03-01T09:00:00Z", "2026-03-01T08:00:00Z"), "closes_at"), "must be after opens_at");
    // 09:30 in UTC+1 is 08:30 UTC: before 09:00 UTC, although it reads later.
    assert_eq!(single_problem_at(&with("2026-03-01T09:00:00Z", "2026-03-01T09:30:00+01:00"), "closes_at"), "must be after opens_at");
    parse(&with("2026-03-01T09:30:00+01:00", "2026-03-01T09:00:00Z"));
    parse(&with("2026-03-01T09:00:00Z", "2026-03-01T09:00:00.001Z"));
}

#[test]
fn only_format_1_is_read() {
    for format in [json!(2), json!(0), json!("1"), json!(1.5)] {
        let mut def = with_questions(json!([question("q", "text", json!({}))]));
        def["format"] = format.clone();
        let msg = single_problem_at(&def, "format");
        assert!(msg.starts_with("must be 1"), "{format}: {msg}");
    }
    let mut def = with_questions(json!([question("q", "text", json!({}))]));
    def.as_object_mut().unwrap().remove("format");
    assert_eq!(problems(&def), ["format: is required"]);
}

#[test]
fn languages_must_include_the_default_and_be_tags() {
    let mut def = with_questions(json!([question("q", "text", json!({}))]));
    def["default_language"] = json!("en");
    def["languages"] = json!(["cy", "fr"]);
    assert_eq!(problems(&def), ["languages: must include the default language \"en\""]);

    def["languages"] = json!(["en", "en", "english", 7]);
    assert_eq!(problem_paths(&def), ["languages[1]", "languages[2]", "languages[3]"]);

    def["languages"] = json!(["en"]);
    def["default_language"] = json!("e");
    assert!(problem_paths(&def).contains(&"default_language".to_string()));
}

#[test]
fn text_maps_must_be_keyed_by_language_tags() {
    for bad in ["EN_GB", "english", "e", "", "en-", "12"] {
        let mut def = with_questions(json!([question("q", "text", json!({ "hint": { "en": "ok", bad: "bad" } }))]));
        def["title"] = json!({ bad: "x" });
        let paths = problem_paths(&def);
        assert_eq!(paths, [format!("title.{bad}"), format!("pages[0].questions[0].hint.{bad}")], "{bad:?}");
    }
    for good in ["en", "cy-GB", "zh-Hant-TW", "ENG"] {
        let mut def = with_questions(json!([question("q", "text", json!({}))]));
        def["title"] = json!({ good: "x" });
        parse(&def);
    }
    let mut def = with_questions(json!([question("q", "text", json!({ "title": {} }))]));
    def["description"] = json!({ "en": 3 });
    assert_eq!(problem_paths(&def), ["description.en", "pages[0].questions[0].title"]);
}

#[test]
fn rating_bounds_are_0_or_1_up_to_at_most_10() {
    let rating = |extra: Value| with_questions(json!([question("q", "rating", extra)]));
    for (extra, path) in [
        (json!({ "min": 2 }), "min"),
        (json!({ "min": -1 }), "min"),
        (json!({ "max": 11 }), "max"),
        (json!({ "max": 1 }), "max"),
        (json!({ "min": 1, "max": 1 }), "max"),
        (json!({ "max": 4.5 }), "max"),
    ] {
        assert_eq!(problem_paths(&rating(extra.clone())), [format!("pages[0].questions[0].{path}")], "{extra}");
    }
    for extra in [json!({}), json!({ "min": 0, "max": 10 }), json!({ "min": 1, "max": 2 })] {
        parse(&rating(extra));
    }
}

#[test]
fn selection_bounds_must_be_consistent() {
    let mc = |extra: Value| {
        let mut q = question("q", "multiple_choice", json!({ "options": options(&["a", "b", "c"]) }));
        q.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        with_questions(json!([q]))
    };
    assert_eq!(
        problems(&mc(json!({ "min_selected": 3, "max_selected": 2 }))),
        ["pages[0].questions[0].max_selected: must not be less than min_selected"]
    );
    assert_eq!(problem_paths(&mc(json!({ "max_selected": 4 }))), ["pages[0].questions[0].max_selected"]);
    assert_eq!(problem_paths(&mc(json!({ "min_selected": 0 }))), ["pages[0].questions[0].min_selected"]);
    // "other" counts as a choice.
    parse(&mc(json!({ "max_selected": 4, "other": { "label": "Other" } })));
    parse(&mc(json!({ "min_selected": 2, "max_selected": 2 })));
}

#[test]
fn min_and_max_only_apply_to_number_inputs() {
    for input in ["text", "email", "postcode"] {
        let def = with_questions(json!([question("q", "text", json!({ "input": input, "min": 1, "max": 5, "integer": true }))]));
        assert_eq!(
            problems(&def),
            [
                "pages[0].questions[0].min: only applies when input is \"number\"",
                "pages[0].questions[0].max: only applies when input is \"number\"",
                "pages[0].questions[0].integer: only applies when input is \"number\"",
            ],
            "{input}"
        );
    }
    let def = with_questions(json!([question("q", "text", json!({ "input": "number", "min": 5, "max": 1 }))]));
    assert_eq!(problems(&def), ["pages[0].questions[0].max: must not be less than min"]);
}

#[test]
fn other_type_specific_rules_are_enforced() {
    let one = |q: Value| problem_paths(&with_questions(json!([q])));
    let at = |k: &str| vec![format!("pages[0].questions[0].{k}")];
    assert_eq!(one(question("q", "text", json!({ "input": "colour" }))), at("input"));
    assert_eq!(one(question("q", "text", json!({ "min_length": 5, "max_length": 4 }))), at("max_length"));
    assert_eq!(one(question("q", "text", json!({ "max_length": 0 }))), at("max_length"));
    assert_eq!(one(question("q", "long_text", json!({ "max_length": -3 }))), at("max_length"));
    assert_eq!(one(question("q", "single_choice", json!({ "options": options(&["a"]), "display": "list" }))), at("display"));
    assert_eq!(one(question("q", "ranking", json!({ "options": options(&["a"]) }))), at("options"));
    assert_eq!(one(question("q", "date", json!({ "min": "2024-02-30" }))), at("min"));
    assert_eq!(one(question("q", "date", json!({ "max": "1/1/2024" }))), at("max"));
    assert_eq!(one(question("q", "date", json!({ "min": "2024-01-02", "max": "2024-01-01" }))), at("max"));
    assert_eq!(one(question("q", "consent", json!({}))), at("label"));
    assert_eq!(one(question("q", "statement", json!({ "required": true }))), at("required"));
    assert_eq!(one(question("q", "text", json!({ "required": "yes" }))), at("required"));
    assert_eq!(
        one(question("q", "single_choice", json!({ "options": options(&["a", "a"]) }))),
        at("options[1].value")
    );
    // A blank value, and so (in this helper) a blank label too.
    assert_eq!(
        one(question("q", "single_choice", json!({ "options": options(&["a", " "]) }))),
        [at("options[1].label"), at("options[1].value")].concat()
    );
    assert_eq!(
        one(question("q", "single_choice", json!({ "options": options(&["other"]), "other": { "label": "x" } }))),
        at("other")
    );
    assert_eq!(one(question("q", "single_choice", json!({ "options": options(&["a"]), "other": {} }))), at("other.label"));
    assert_eq!(one(json!("not an object")), vec!["pages[0].questions[0]".to_string()]);
}

#[test]
fn survey_level_rules_are_enforced() {
    let base = || with_questions(json!([question("q", "text", json!({}))]));
    let refused = |key: &str, v: Value| {
        let mut d = base();
        d[key] = v;
        problem_paths(&d)
    };
    assert_eq!(refused("version", json!(0)), ["version"]);
    assert_eq!(refused("version", json!("3")), ["version"]);
    assert_eq!(refused("pages", json!([])), ["pages"]);
    assert_eq!(refused("pages", json!({})), ["pages"]);
    assert_eq!(refused("anonymous", json!("yes")), ["anonymous"]);
    assert_eq!(refused("hidden_fields", json!(["a", "a"])), ["hidden_fields[1]"]);
    assert_eq!(refused("privacy", json!({ "url": "/p" })), ["privacy.notice"]);
    assert_eq!(refused("completion", json!({ "share": {} })), ["completion.share.url"]);
    let mut d = base();
    d["pages"][0]["questions"] = json!([]);
    assert_eq!(problem_paths(&d), ["pages[0].questions"]);
}

#[test]
fn script_and_data_urls_are_refused_everywhere_a_link_goes() {
    for bad in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\u{1}javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "",
        "   ",
    ] {
        let mut def = base_with_links(bad);
        assert_eq!(problem_paths(&def), ["privacy.url", "link", "completion.share.url"], "{bad:?}");
        def["link"] = json!("/ok");
        assert_eq!(problem_paths(&def), ["privacy.url", "completion.share.url"], "{bad:?}");
    }
}

fn base_with_links(url: &str) -> Value {
    let mut def = with_questions(json!([question("q", "text", json!({}))]));
    def["privacy"] = json!({ "notice": "n", "url": url });
    def["link"] = json!(url);
    def["completion"] = json!({ "share": { "url": url } });
    def
}

// ---------------------------------------------------------------------------------------------
// Every problem, and never a panic

#[test]
fn every_problem_of_a_definition_is_listed() {
    let def = json!({
        "format": 2,
        "id": "Bad Id",
        "title": "T",
        "languages": ["cy"],
        "link": "javascript:void(0)",
        "pages": [
            { "id": "p", "questions": [
                question("a", "single_choice", json!({ "options": [] })),
                question("b", "rating", json!({ "max": 20, "requried": true })),
                question("c", "text", json!({ "visible_if": { "question": "nope", "answered": true } })),
            ]},
            { "id": "p", "questions": [
                question("a", "matrix", json!({ "rows": options(&["r"]) })),
                question("d", "widget", json!({})),
                question("e", "text", json!({ "visible_if": { "question": "f", "answered": true } })),
                question("f", "text", json!({})),
            ]},
        ],
    });
    assert_eq!(
        problems(&def),
        [
            "format: must be 1: this widget reads format 1 definitions",
            "id: must use only a-z, 0-9, \"_\" and \"-\"",
            "languages: must include the default language \"en\"",
            "link: must be an http(s) or relative URL",
            "pages[0].questions[0].options: must not be empty",
            "pages[0].questions[1].max: must be from 2 to 10 and more than min",
            "pages[1].questions[0].columns: is required",
            "pages[1].questions[1].type: \"widget\" is not a question type; use one of single_choice, multiple_choice, text, long_text, rating, matrix, ranking, date, consent, statement",
            "pages[1].id: repeats the page id \"p\"",
            "pages[1].questions[0].id: repeats the question id \"a\"",
            "pages[0].questions[2].visible_if.question: \"nope\" is not a question of this survey",
            "pages[1].questions[2].visible_if.question: \"f\" must be a question that comes before this one",
        ]
    );
}

#[test]
fn a_condition_on_a_question_that_failed_to_parse_is_not_blamed_twice() {
    // "a" exists but cannot be read (no type); its own problem is enough.
    let def = with_questions(json!([
        { "id": "a", "title": "A", "options": options(&["y"]) },
        question("b", "text", json!({ "visible_if": { "question": "a", "equals": "x" } })),
        question("c", "text", json!({ "visible_if": { "question": "a", "at_least": 2 } })),
    ]));
    assert_eq!(problems(&def), ["pages[0].questions[0].type: is required"]);
}

#[test]
fn invalid_json_is_one_problem_at_the_root() {
    for bad in ["", "{", "{\"format\": 1,}", "nul", "\u{0}", "[1, 2", "{\"a\": 1e999999}"] {
        let e = Survey::parse(bad).unwrap_err();
        let ps = e.problems();
        assert_eq!(ps.len(), 1, "{bad:?}: {ps:?}");
        assert_eq!(ps[0].path, "");
        assert!(ps[0].message.starts_with("is not valid JSON"), "{bad:?}: {}", ps[0].message);
    }
}

#[test]
fn json_that_is_not_an_object_is_one_problem_at_the_root() {
    for (json, kind) in [("[]", "an array"), ("null", "null"), ("42", "a number"), ("\"x\"", "a string"), ("true", "a boolean")] {
        let e = Survey::parse(json).unwrap_err();
        assert_eq!(e.problems(), [survey_model::Problem::new("", format!("must be an object, not {kind}"))]);
    }
}

#[test]
fn the_error_message_lists_every_problem() {
    let e = Survey::parse(r#"{"format": 1, "id": "x", "title": "T", "pages": []}"#).unwrap_err();
    assert_eq!(e.to_string(), "the survey definition has 1 problem(s): pages: must not be empty");
    assert!(matches!(e, survey_model::Error::Definition(_)));
}

#[test]
fn a_required_text_must_say_something_in_some_language() {
    let blank_title = |title: Value| {
        let mut def = with_questions(json!([question("q", "text", json!({}))]));
        def["title"] = title;
        problem_paths(&def)
    };
    assert_eq!(blank_title(json!("  ")), ["title"]);
    assert_eq!(blank_title(json!({"en": "", "cy": " "})), ["title"]);
    // One language with words is enough: the others fall back to it.
    let mut def = with_questions(json!([question("q", "text", json!({}))]));
    def["title"] = json!({"en": "Your visit", "cy": ""});
    assert!(Survey::parse(&def.to_string()).is_ok());
    let q = problem_paths(&with_questions(json!([{"id": "q", "type": "text", "title": ""}])));
    assert_eq!(q, ["pages[0].questions[0].title"]);
}
