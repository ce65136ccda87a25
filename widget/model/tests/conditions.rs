//! Conditions (`visible_if`) on pages and questions: every operator, and what hiding does to
//! validation and to what is submitted.

mod common;

use common::*;
use serde_json::{json, Value};
use survey_model::{Answer, Answers, FieldError, FieldErrorKind, Visibility};

/// Whether question "t", whose condition is `cond`, is shown when gate question "g" (`gate`) has
/// `answer`.
fn shown(gate: Value, cond: Value, answer: Option<Answer>) -> bool {
    let survey = parse(&with_questions(json!([gate, question("t", "text", json!({ "visible_if": cond }))])));
    let given = answers(answer.map(|a| ("g", a)));
    let vis = Visibility::compute(&survey, &given);
    assert!(vis.question("g"));
    vis.question("t")
}

fn single_gate() -> Value {
    question("g", "single_choice", json!({ "options": options(&["yes", "no"]), "other": { "label": "Other" } }))
}

fn multiple_gate() -> Value {
    question("g", "multiple_choice", json!({ "options": options(&["a", "b", "c"]) }))
}

fn number_gate() -> Value {
    question("g", "text", json!({ "input": "number" }))
}

fn on(test: &str, v: Value) -> Value {
    json!({ "question": "g", test: v })
}

#[test]
fn equals_on_a_single_choice() {
    let c = || on("equals", json!("yes"));
    assert!(shown(single_gate(), c(), Some(choice("yes"))));
    assert!(!shown(single_gate(), c(), Some(choice("no"))));
    assert!(!shown(single_gate(), c(), None));
    assert!(!shown(single_gate(), c(), Some(choice("maybe"))), "an invalid answer counts as none");
    let other = || on("equals", json!("other"));
    let mut given = answers([("g", choice("other"))]);
    given.other_text.insert("g".into(), "Radio".into());
    let survey = parse(&with_questions(json!([single_gate(), question("t", "text", json!({ "visible_if": other() }))])));
    assert!(Visibility::compute(&survey, &given).question("t"));
    assert!(!shown(single_gate(), other(), Some(choice("other"))), "\"other\" without its detail is not valid yet");
}

#[test]
fn equals_on_numbers_ratings_and_consent() {
    assert!(shown(number_gate(), on("equals", json!(4)), Some(text("4.0"))));
    assert!(shown(number_gate(), on("equals", json!(4.0)), Some(text("4"))));
    assert!(shown(number_gate(), on("equals", json!(1200)), Some(text("1 200."))));
    assert!(!shown(number_gate(), on("equals", json!(4)), Some(text("4.5"))));
    let rating = || question("g", "rating", json!({}));
    assert!(shown(rating(), on("equals", json!(5)), Some(Answer::Rating(5))));
    assert!(!shown(rating(), on("equals", json!(5)), Some(Answer::Rating(4))));
    let consent = || question("g", "consent", json!({ "label": "ok" }));
    assert!(shown(consent(), on("equals", json!(true)), Some(Answer::Consent(true))));
    assert!(!shown(consent(), on("equals", json!(true)), Some(Answer::Consent(false))));
}

#[test]
fn equals_on_a_multiple_choice_is_exactly_those_options_in_any_order() {
    let c = || on("equals", json!(["b", "a"]));
    assert!(shown(multiple_gate(), c(), Some(choices(&["a", "b"]))));
    assert!(shown(multiple_gate(), c(), Some(choices(&["b", "a"]))));
    assert!(!shown(multiple_gate(), c(), Some(choices(&["a"]))));
    assert!(!shown(multiple_gate(), c(), Some(choices(&["a", "b", "c"]))));
}

#[test]
fn not_equals_holds_for_any_other_answer_and_for_no_answer() {
    let c = || on("not_equals", json!("yes"));
    assert!(!shown(single_gate(), c(), Some(choice("yes"))));
    assert!(shown(single_gate(), c(), Some(choice("no"))));
    assert!(shown(single_gate(), c(), None));
    let m = || on("not_equals", json!(["a", "c"]));
    assert!(!shown(multiple_gate(), m(), Some(choices(&["c", "a"]))));
    assert!(shown(multiple_gate(), m(), Some(choices(&["a"]))));
}

#[test]
fn includes_one_option() {
    let c = || on("includes", json!("b"));
    assert!(shown(multiple_gate(), c(), Some(choices(&["a", "b"]))));
    assert!(!shown(multiple_gate(), c(), Some(choices(&["a", "c"]))));
    assert!(!shown(multiple_gate(), c(), None));
    let other = || question("g", "multiple_choice", json!({ "options": options(&["a"]), "other": { "label": "Else" } }));
    let mut given = answers([("g", choices(&["other"]))]);
    given.other_text.insert("g".into(), "Radio".into());
    let survey = parse(&with_questions(json!([other(), question("t", "text", json!({ "visible_if": on("includes", json!("other")) }))])));
    assert!(Visibility::compute(&survey, &given).question("t"));
}

#[test]
fn includes_on_a_ranking_holds_once_it_is_ranked() {
    // A complete ranking has every option, so includes is "has been ranked"; what matters more
    // is that it is accepted and evaluated, not refused as on a single choice.
    let gate = || question("g", "ranking", json!({ "options": options(&["a", "b"]) }));
    assert!(shown(gate(), on("includes", json!("a")), Some(ranking(&["b", "a"]))));
    assert!(!shown(gate(), on("includes", json!("a")), None));
    assert!(!shown(gate(), on("includes", json!("a")), Some(ranking(&["a"]))), "an incomplete ranking is no answer");
}

#[test]
fn equals_on_a_ranking_is_that_exact_order() {
    let gate = || question("g", "ranking", json!({ "options": options(&["a", "b", "c"]) }));
    let c = || on("equals", json!(["c", "a", "b"]));
    assert!(shown(gate(), c(), Some(ranking(&["c", "a", "b"]))));
    assert!(!shown(gate(), c(), Some(ranking(&["a", "b", "c"]))));
}

#[test]
fn equals_on_a_date_a_matrix_and_a_text() {
    let day = || question("g", "date", json!({}));
    assert!(shown(day(), on("equals", json!("2024-02-29")), Some(date("29", "2", "2024"))));
    assert!(!shown(day(), on("equals", json!("2024-02-29")), Some(date("28", "2", "2024"))));
    let grid = || question("g", "matrix", json!({ "rows": options(&["r1", "r2"]), "columns": options(&["x", "y"]) }));
    assert!(shown(grid(), on("equals", json!({ "r1": "x" })), Some(matrix(&[("r1", "x")]))));
    assert!(!shown(grid(), on("equals", json!({ "r1": "x" })), Some(matrix(&[("r1", "x"), ("r2", "y")]))));
    // A text is compared in the form it is sent: trimmed, and a postcode normalised.
    let plain = || question("g", "text", json!({}));
    assert!(shown(plain(), on("equals", json!(" yes ")), Some(text("yes  "))));
    assert!(!shown(plain(), on("equals", json!("yes")), Some(text("Yes"))));
    let postcode = || question("g", "text", json!({ "input": "postcode" }));
    assert!(shown(postcode(), on("equals", json!("sw1a1aa")), Some(text("SW1A 1AA"))));
}

#[test]
fn at_least_and_at_most_on_numbers() {
    for (typed, least_3, most_3) in [("2", false, true), ("3", true, true), ("3.5", true, false), ("-10", false, true)] {
        assert_eq!(shown(number_gate(), on("at_least", json!(3)), Some(text(typed))), least_3, "{typed} >= 3");
        assert_eq!(shown(number_gate(), on("at_most", json!(3)), Some(text(typed))), most_3, "{typed} <= 3");
    }
    assert!(!shown(number_gate(), on("at_least", json!(0)), None), "unanswered is not at least anything");
    assert!(!shown(number_gate(), on("at_most", json!(100)), None), "nor at most");
    assert!(!shown(number_gate(), on("at_most", json!(100)), Some(text("ten"))), "nor is an invalid number");
}

#[test]
fn at_least_and_at_most_on_ratings() {
    let nps = || question("g", "rating", json!({ "min": 0, "max": 10 }));
    assert!(shown(nps(), on("at_least", json!(9)), Some(Answer::Rating(9))));
    assert!(!shown(nps(), on("at_least", json!(9)), Some(Answer::Rating(8))));
    assert!(shown(nps(), on("at_most", json!(6)), Some(Answer::Rating(0))));
    assert!(!shown(nps(), on("at_most", json!(6)), Some(Answer::Rating(7))));
}

#[test]
fn at_least_and_at_most_count_a_multiple_choice() {
    assert!(shown(multiple_gate(), on("at_least", json!(2)), Some(choices(&["a", "c"]))));
    assert!(!shown(multiple_gate(), on("at_least", json!(2)), Some(choices(&["a"]))));
    assert!(shown(multiple_gate(), on("at_most", json!(1)), Some(choices(&["b"]))));
    assert!(!shown(multiple_gate(), on("at_most", json!(1)), Some(choices(&["a", "b"]))));
    assert!(!shown(multiple_gate(), on("at_most", json!(1)), None), "nothing ticked is unanswered");
}

#[test]
fn answered_and_not_answered() {
    for gate in [single_gate(), number_gate()] {
        let valid = if gate["type"] == "text" { text("3") } else { choice("no") };
        let not_answered = || json!({ "not": on("answered", json!(true)) });
        assert!(shown(gate.clone(), on("answered", json!(true)), Some(valid.clone())));
        assert!(!shown(gate.clone(), on("answered", json!(true)), None));
        assert!(!shown(gate.clone(), not_answered(), Some(valid)));
        assert!(shown(gate.clone(), not_answered(), None));
    }
    assert!(!shown(number_gate(), on("answered", json!(true)), Some(text("   "))), "blank is unanswered");
}

#[test]
fn all_any_and_not_combine() {
    let gates = || {
        vec![
            question("a", "single_choice", json!({ "options": options(&["yes", "no"]) })),
            question("b", "rating", json!({})),
        ]
    };
    let visible = |cond: Value, given: &[(&str, Answer)]| {
        let mut qs = gates();
        qs.push(question("t", "text", json!({ "visible_if": cond })));
        let survey = parse(&with_questions(Value::Array(qs)));
        Visibility::compute(&survey, &answers(given.iter().cloned())).question("t")
    };
    let yes = json!({ "question": "a", "equals": "yes" });
    let high = json!({ "question": "b", "at_least": 4 });
    let all = json!({ "all": [yes, high] });
    let any = json!({ "any": [yes, high] });
    let not = json!({ "not": { "any": [yes, high] } });
    for (a, b, want_all, want_any) in [
        ("yes", 5, true, true),
        ("yes", 2, false, true),
        ("no", 5, false, true),
        ("no", 2, false, false),
    ] {
        let given = [("a", choice(a)), ("b", Answer::Rating(b))];
        assert_eq!(visible(all.clone(), &given), want_all, "all {a} {b}");
        assert_eq!(visible(any.clone(), &given), want_any, "any {a} {b}");
        assert_eq!(visible(not.clone(), &given), !want_any, "not any {a} {b}");
    }
    assert!(visible(json!({ "not": { "not": yes } }), &[("a", choice("yes"))]));
}

/// Two pages: the second only for people who said "yes", with a required question on it.
fn paged() -> survey_model::Survey {
    parse(&definition(json!([
        { "id": "p1", "questions": [question("go", "single_choice", json!({ "options": options(&["yes", "no"]), "required": true }))] },
        { "id": "p2", "visible_if": { "question": "go", "equals": "yes" }, "questions": [
            question("why", "text", json!({ "required": true })),
            question("n", "text", json!({ "input": "number", "max": 10 })),
        ]},
        { "id": "p3", "questions": [question("end", "text", json!({}))] },
    ])))
}

#[test]
fn a_page_condition_hides_the_page_and_its_questions() {
    let s = paged();
    let no = answers([("go", choice("no"))]);
    let vis = Visibility::compute(&s, &no);
    assert!(vis.page(0) && !vis.page(1) && vis.page(2));
    assert!(!vis.question("why") && !vis.question("n") && vis.question("end"));
    assert!(!vis.page(3), "no such page");

    let yes = answers([("go", choice("yes"))]);
    let vis = Visibility::compute(&s, &yes);
    assert!(vis.page(1) && vis.question("why"));
    assert_eq!(s.validate_page(1, &yes), [FieldError { question: "why".into(), kind: FieldErrorKind::Required }]);
    assert!(s.validate_page(1, &no).is_empty(), "a hidden page has nothing to fix");
}

#[test]
fn a_hidden_question_is_neither_validated_nor_submitted() {
    let s = paged();
    // Required and invalid answers on the hidden page do not count…
    let given = answers([("go", choice("no")), ("n", text("99")), ("end", text("bye"))]);
    let (values, _) = s.validate_all(&given).unwrap();
    assert_eq!(values.keys().collect::<Vec<_>>(), ["end", "go"]);
    // …but they do once the page is shown.
    let given = answers([("go", choice("yes")), ("n", text("99"))]);
    let errors = s.validate_all(&given).unwrap_err();
    let kinds: Vec<_> = errors.iter().map(|e| (e.question.as_str(), e.kind.clone())).collect();
    assert_eq!(kinds, [("why", FieldErrorKind::Required), ("n", FieldErrorKind::AboveMax { max: 10.0 })]);
}

#[test]
fn an_answer_that_becomes_hidden_is_dropped() {
    let s = paged();
    let mut given = answers([("go", choice("yes")), ("why", text("Because")), ("n", text("3"))]);
    let (values, _) = s.validate_all(&given).unwrap();
    assert_eq!(values.keys().collect::<Vec<_>>(), ["go", "n", "why"]);
    // The respondent goes back and changes their mind: the answers stay in `Answers` (they may
    // change it again) but are no longer part of the response.
    given.values.insert("go".into(), choice("no"));
    let (values, _) = s.validate_all(&given).unwrap();
    assert_eq!(values.keys().collect::<Vec<_>>(), ["go"]);
    assert_eq!(Visibility::compute(&s, &given).values().keys().collect::<Vec<_>>(), ["go"]);
}

#[test]
fn a_chain_of_conditions_collapses_when_its_first_answer_changes() {
    let s = parse(&definition(json!([
        { "id": "p1", "questions": [
            question("q1", "single_choice", json!({ "options": options(&["a", "b"]) })),
            question("q2", "multiple_choice", json!({ "options": options(&["x", "y"]),
                "visible_if": { "question": "q1", "equals": "a" } })),
        ]},
        { "id": "p2", "questions": [
            question("q3", "text", json!({ "required": true, "visible_if": { "question": "q2", "includes": "y" } })),
        ]},
        { "id": "p3", "visible_if": { "question": "q3", "answered": true }, "questions": [
            question("q4", "consent", json!({ "label": "ok", "required": true })),
        ]},
    ])));
    let mut given = answers([
        ("q1", choice("a")),
        ("q2", choices(&["y"])),
        ("q3", text("because")),
        ("q4", Answer::Consent(true)),
    ]);
    let vis = Visibility::compute(&s, &given);
    assert!(vis.question("q2") && vis.question("q3") && vis.page(2) && vis.question("q4"));
    assert_eq!(s.validate_all(&given).unwrap().0.len(), 4);

    given.values.insert("q1".into(), choice("b"));
    let vis = Visibility::compute(&s, &given);
    assert!(!vis.question("q2") && !vis.question("q3") && !vis.page(2) && !vis.question("q4"));
    let (values, _) = s.validate_all(&given).unwrap();
    assert_eq!(values, [("q1".to_string(), json!("b"))].into());

    // Clearing only the middle answer collapses the rest, and the required q3 is not asked for.
    given.values.insert("q1".into(), choice("a"));
    given.values.insert("q2".into(), choices(&["x"]));
    let vis = Visibility::compute(&s, &given);
    assert!(vis.question("q2") && !vis.question("q3") && !vis.question("q4"));
    assert_eq!(s.validate_all(&given).unwrap().0.keys().collect::<Vec<_>>(), ["q1", "q2"]);
}

#[test]
fn visibility_values_are_the_payload_values_of_shown_answers() {
    let s = demo();
    let given = answers([
        ("heard", choice("website")),
        ("ease", Answer::Rating(9)),
        ("area", text(" Leeds ")),
        ("about-data", text("ignored")),
        ("unknown", text("ignored")),
    ]);
    let vis = Visibility::compute(&s, &given);
    let values: Vec<_> = vis.values().iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    assert_eq!(values, [("area", json!("Leeds")), ("heard", json!("website"))], "the invalid rating is left out");
    assert!(vis.question("about-data"), "a statement is shown");
    assert!(!vis.question("unknown"));
    assert_eq!(Visibility::compute(&s, &Answers::default()).values().len(), 0);
}
