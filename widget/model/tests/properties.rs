//! Property tests: no input makes the model panic, and the widget and the collector agree on
//! every response the widget would send.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use survey_model::{Channel, 
    Answer, Answers, DateParts, Envelope, Payload, PayloadContext, QuestionKind, Survey, Visibility,
};

// ---------------------------------------------------------------------------------------------
// Arbitrary JSON

/// Words a definition or a payload uses, so generated objects often look almost right.
const WORDS: &[&str] = &[
    "format", "id", "version", "title", "description", "default_language", "languages", "anonymous",
    "privacy", "notice", "url", "link", "hidden_fields", "start_page", "review", "one_question_per_page",
    "completion", "message", "share", "text", "pages", "questions", "type", "hint", "required", "visible_if",
    "options", "value", "label", "exclusive", "other", "detail_label", "shuffle", "display", "min_selected",
    "max_selected", "input", "autocomplete", "min_length", "max_length", "pattern", "pattern_message", "min",
    "max", "integer", "rows", "columns", "min_label", "max_label", "question", "equals", "not_equals",
    "includes", "at_least", "at_most", "answered", "all", "any", "not", "single_choice", "multiple_choice",
    "long_text", "rating", "matrix", "ranking", "date", "consent", "statement", "number", "email", "postcode",
    "en", "cy", "heard", "ease", "survey", "submission_id", "submitted_at", "language", "answers",
    "other_text", "hidden", "context", "javascript:alert(1)", "2024-02-29", "survey-response/1", "",
    "opens_at", "closes_at", "publish_results", "2026-03-01T09:00:00Z", "2026-03-01T09:00:00+01:00",
];

fn arb_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(WORDS).prop_map(str::to_owned),
        1 => ".{0,12}",
        1 => "[a-z0-9_-]{1,8}",
    ]
}

fn arb_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-3i64..12).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from), // NaN and infinities become null
        arb_string().prop_map(Value::from),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    arb_leaf().prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((arb_string(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// Mutations of a real definition

#[derive(Debug, Clone)]
enum Mutation {
    Remove,
    Replace(Value),
    /// Copies the value over a sibling: repeated ids, conditions moved elsewhere, …
    CopyToSibling(Index),
}

fn arb_mutation() -> impl Strategy<Value = (Index, Mutation)> {
    let m = prop_oneof![
        Just(Mutation::Remove),
        arb_json().prop_map(Mutation::Replace),
        any::<Index>().prop_map(Mutation::CopyToSibling),
    ];
    (any::<Index>(), m)
}

/// JSON pointers to every value below the root.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, c)| (k.replace('~', "~0").replace('/', "~1"), c)).collect(),
        Value::Array(a) => a.iter().enumerate().map(|(i, c)| (i.to_string(), c)).collect(),
        _ => return,
    };
    for (k, c) in children {
        let p = format!("{at}/{k}");
        out.push(p.clone());
        pointers(c, p, out);
    }
}

fn mutate(doc: &mut Value, (at, m): &(Index, Mutation)) {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let target = at.get(&all).clone();
    let (parent_ptr, key) = target.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    let Some(parent) = doc.pointer_mut(parent_ptr) else { return };
    match (parent, m) {
        (Value::Object(o), Mutation::Remove) => {
            o.remove(&key);
        }
        (Value::Array(a), Mutation::Remove) => {
            a.remove(key.parse::<usize>().unwrap());
        }
        (parent, Mutation::Replace(v)) => {
            if let Some(slot) = parent.pointer_mut(&format!("/{}", key.replace('~', "~0").replace('/', "~1"))) {
                *slot = v.clone();
            }
        }
        (Value::Object(o), Mutation::CopyToSibling(i)) => {
            let keys: Vec<String> = o.keys().cloned().collect();
            let v = o[&key].clone();
            o.insert(i.get(&keys).clone(), v);
        }
        (Value::Array(a), Mutation::CopyToSibling(i)) => {
            let v = a[key.parse::<usize>().unwrap()].clone();
            let j = i.index(a.len());
            a[j] = v;
        }
        _ => {}
    }
}

/// Whatever a definition is, parsing it gives a survey or a list of problems, and a survey can
/// be shown and validated. Warnings only ever name an ignored key, and never change the survey.
fn parse_never_panics(json: &str) -> Result<(), TestCaseError> {
    match Survey::parse_with_warnings(json) {
        Ok((survey, warnings)) => {
            let v: Value = serde_json::from_str(json).unwrap();
            prop_assert_eq!(Survey::from_value(&v), Ok(survey.clone()));
            prop_assert_eq!(Survey::parse(json), Ok(survey.clone()));
            for w in &warnings {
                prop_assert!(!w.path.is_empty() && w.message == "is not a known field; ignored", "{}", w);
            }
            let vis = Visibility::compute(&survey, &Answers::default());
            prop_assert!(survey.pages.is_empty() || vis.page(0), "the first page has no condition to hide it");
            let _ = survey.validate_all(&Answers::default());
            for i in 0..survey.pages.len() {
                let _ = survey.validate_page(i, &Answers::default());
            }
        }
        Err(e) => {
            let again = Survey::parse(json);
            prop_assert_eq!(again.as_ref().err(), Some(&e));
            prop_assert!(!e.problems().is_empty());
            prop_assert!(e.problems().iter().all(|p| !p.message.is_empty()), "{:?}", e.problems());
            let _ = e.to_string();
        }
    }
    Ok(())
}

/// A definition using every type and every operator, with pages and questions that depend on
/// each other.
fn conditional_definition() -> Value {
    json!({
        "format": 1, "id": "conditional", "version": 4, "title": { "en": "Your area", "cy": "Eich ardal" },
        "default_language": "en", "languages": ["en", "cy"], "anonymous": false,
        "hidden_fields": ["channel", "source"],
        "pages": [
            { "id": "you", "questions": [
                question("who", "single_choice", json!({ "required": true,
                    "options": options(&["resident", "business", "visitor"]), "other": { "label": "Other" } })),
                question("topics", "multiple_choice", json!({ "min_selected": 1, "max_selected": 3,
                    "options": [
                        { "value": "roads", "label": "Roads" }, { "value": "parks", "label": "Parks" },
                        { "value": "bins", "label": "Bins" }, { "value": "none", "label": "None", "exclusive": true },
                    ],
                    "other": { "label": "Other" },
                    "visible_if": { "question": "who", "not_equals": "visitor" } })),
                question("age", "text", json!({ "input": "number", "integer": true, "min": 16, "max": 120,
                    "visible_if": { "any": [
                        { "question": "who", "equals": "resident" },
                        { "question": "topics", "includes": "parks" },
                    ] } })),
            ]},
            { "id": "views", "visible_if": { "not": { "question": "who", "equals": "business" } }, "questions": [
                question("score", "rating", json!({ "min": 0, "max": 10, "required": true })),
                question("why_low", "long_text", json!({ "max_length": 200, "required": true,
                    "visible_if": { "question": "score", "at_most": 6 } })),
                question("grid", "matrix", json!({ "required": true, "rows": options(&["a", "b"]),
                    "columns": options(&["x", "y"]), "visible_if": { "question": "topics", "at_least": 2 } })),
            ]},
            { "id": "more", "questions": [
                question("rank", "ranking", json!({ "options": options(&["a", "b", "c"]),
                    "visible_if": { "all": [
                        { "question": "age", "at_least": 18 }, { "question": "score", "answered": true },
                    ] } })),
                question("when", "date", json!({ "min": "2000-01-01", "max": "2030-12-31",
                    "visible_if": { "question": "topics", "equals": ["parks", "roads"] } })),
                question("postcode", "text", json!({ "input": "postcode",
                    "visible_if": { "question": "who", "equals": "resident" } })),
                question("email", "text", json!({ "input": "email",
                    "visible_if": { "not": { "question": "why_low", "answered": true } } })),
                question("web", "text", json!({ "input": "url" })),
                question("phone", "text", json!({ "input": "tel", "min_length": 5, "max_length": 20 })),
                question("name", "text", json!({ "max_length": 10, "pattern": "[A-Za-z ]+" })),
                question("amount", "text", json!({ "input": "number" })),
                question("since", "date", json!({})),
                question("note", "statement", json!({})),
                question("ok", "consent", json!({ "label": "I agree", "required": true })),
            ]},
        ],
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_json_value_makes_parse_panic(v in arb_json()) {
        parse_never_panics(&v.to_string())?;
    }

    #[test]
    fn no_string_makes_parse_panic(s in prop_oneof![".*", "[{}\\[\\]\":,0-9a-z ]{0,64}"]) {
        parse_never_panics(&s)?;
    }

    #[test]
    fn no_object_of_definition_fields_makes_parse_panic(
        fields in prop::collection::btree_map(select(WORDS), arb_json(), 0..12),
    ) {
        let mut v: Map<String, Value> = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        v.insert("format".into(), json!(1));
        parse_never_panics(&Value::Object(v).to_string())?;
    }

    #[test]
    fn no_mutation_of_the_demo_definition_makes_parse_panic(
        ms in prop::collection::vec(arb_mutation(), 1..4),
    ) {
        let mut doc: Value = serde_json::from_str(DEMO).unwrap();
        for m in &ms {
            mutate(&mut doc, m);
        }
        parse_never_panics(&doc.to_string())?;
    }

    #[test]
    fn no_mutation_of_a_conditional_definition_makes_parse_panic(
        ms in prop::collection::vec(arb_mutation(), 1..4),
    ) {
        let mut doc = conditional_definition();
        for m in &ms {
            mutate(&mut doc, m);
        }
        parse_never_panics(&doc.to_string())?;
    }
}

// ---------------------------------------------------------------------------------------------
// Arbitrary answers

fn arb_any_answer() -> impl Strategy<Value = Answer> {
    let s = || prop_oneof![arb_string(), ".{0,20}"];
    prop_oneof![
        s().prop_map(Answer::Choice),
        prop::collection::vec(s(), 0..4).prop_map(Answer::Choices),
        s().prop_map(Answer::Text),
        any::<i64>().prop_map(Answer::Rating),
        prop::collection::btree_map(s(), s(), 0..3).prop_map(Answer::Matrix),
        prop::collection::vec(s(), 0..4).prop_map(Answer::Ranking),
        (s(), s(), s()).prop_map(|(day, month, year)| Answer::Date(DateParts { day, month, year })),
        any::<bool>().prop_map(Answer::Consent),
    ]
}

fn values_of(options: &[survey_model::ChoiceOption]) -> Vec<String> {
    options.iter().map(|o| o.value.clone()).collect()
}

fn arb_number_text() -> BoxedStrategy<String> {
    prop_oneof![
        (-200i64..200).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<f64>().prop_map(|f| format!("{f:e}")),
        (0.0f64..1e-6).prop_map(|f| f.to_string()),
        Just("1 200.".to_owned()),
        "-?[0-9]{1,3}(,[0-9]{3}){0,3}(\\.[0-9]{0,3})?",
        "[-0-9., ]{0,12}",
    ]
    .boxed()
}

/// An answer that could plausibly be given to `kind`: often valid, often nearly so.
fn arb_plausible_answer(kind: &QuestionKind) -> BoxedStrategy<Answer> {
    match kind {
        QuestionKind::SingleChoice { options, .. } => prop_oneof![
            4 => select(values_of(options)),
            1 => select(vec!["other".to_owned(), String::new(), "nope".to_owned()]),
        ]
        .prop_map(Answer::Choice)
        .boxed(),
        QuestionKind::MultipleChoice { options, .. } => {
            let vs = values_of(options);
            let n = vs.len();
            let extra = select(vec!["other".to_owned(), "nope".to_owned()]);
            (subsequence(vs, 0..=n).prop_shuffle(), prop::option::weighted(0.3, extra), prop::option::weighted(0.05, any::<Index>()))
                .prop_map(|(mut chosen, extra, dup)| {
                    chosen.extend(extra);
                    if let (Some(i), false) = (dup, chosen.is_empty()) {
                        chosen.push(i.get(&chosen).clone());
                    }
                    Answer::Choices(chosen)
                })
                .boxed()
        }
        QuestionKind::Text { input, min, max, .. } => {
            use survey_model::InputKind as I;
            let (lo, hi) = (min.unwrap_or(-1000.0) as i64, max.unwrap_or(1000.0) as i64);
            let likely: BoxedStrategy<String> = match input {
                I::Number => (lo..=hi).prop_map(|n| n.to_string()).boxed(),
                I::Email => "[a-z.]{1,8}@[a-z]{1,8}\\.[a-z]{2,3}".boxed(),
                I::Tel => "\\+?[0-9]{5,12}".boxed(),
                I::Url => "(https?://)?[a-z]{1,8}\\.[a-z]{2,3}(/[a-z]{0,5})?".boxed(),
                I::Postcode => "[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}".boxed(),
                I::Text => "[A-Za-z ]{0,12}".boxed(),
            };
            let unlikely = prop_oneof![
                arb_number_text(),
                "[0-9 +()-]{0,22}",
                "[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}",
                "(https?://|javascript:)?[a-z]{1,8}\\.[a-z]{2,3}",
                "\\s{0,3}",
                ".{0,30}",
            ];
            prop_oneof![4 => likely, 1 => unlikely].prop_map(Answer::Text).boxed()
        }
        QuestionKind::LongText { .. } => prop_oneof!["(?s).{0,40}", "[a-zé😀 \n]{190,210}"].prop_map(Answer::Text).boxed(),
        QuestionKind::Rating { min, max, .. } => {
            prop_oneof![4 => *min..=*max, 1 => min - 2..=max + 2].prop_map(Answer::Rating).boxed()
        }
        QuestionKind::Matrix { rows, columns } => {
            let mut rs = values_of(rows);
            rs.push("zz".into());
            let mut cs = values_of(columns);
            cs.push("zz".into());
            let n = rs.len();
            let every_row = (Just(values_of(rows)), prop::collection::vec(select(values_of(columns)), rows.len()))
                .prop_map(|(rs, cs)| rs.into_iter().zip(cs).collect());
            prop_oneof![3 => every_row, 1 => prop::collection::btree_map(select(rs), select(cs), 0..=n)]
                .prop_map(Answer::Matrix)
                .boxed()
        }
        QuestionKind::Ranking { options } => {
            let vs = values_of(options);
            let n = vs.len();
            prop_oneof![
                3 => Just(vs.clone()).prop_shuffle(),
                1 => subsequence(vs, 0..=n).prop_shuffle(),
            ]
            .prop_map(Answer::Ranking)
            .boxed()
        }
        QuestionKind::Date { .. } => prop_oneof![
            3 => (1u32..=31, 1u32..=12, 1990i32..=2040)
                .prop_map(|(d, m, y)| (d.to_string(), m.to_string(), y.to_string())),
            1 => (0u32..=32, 0u32..=13, 0i32..=3000)
                .prop_map(|(d, m, y)| (format!("{d:02}"), m.to_string(), format!("{y:04}"))),
            1 => ("[0-9 ]{0,3}", "[0-9 ]{0,3}", "[0-9 ]{0,5}"),
        ]
        .prop_map(|(day, month, year)| Answer::Date(DateParts { day, month, year }))
        .boxed(),
        QuestionKind::Consent { .. } => prop::bool::weighted(0.8).prop_map(Answer::Consent).boxed(),
        QuestionKind::Statement => arb_any_answer().boxed(),
    }
}

/// Answers to a survey: for every question (and a few it does not have) nothing, a plausible
/// answer or an answer of any shape; and detail texts for the choice questions.
fn arb_answers(survey: &Survey) -> BoxedStrategy<Answers> {
    let mut per_question: Vec<BoxedStrategy<Option<(String, Answer)>>> = Vec::new();
    let mut ids: Vec<String> = survey.questions().map(|(_, q)| q.id.clone()).collect();
    for (_, q) in survey.questions() {
        let id = q.id.clone();
        let answer = prop_oneof![12 => arb_plausible_answer(&q.kind), 1 => arb_any_answer()];
        let answered = if q.required { 0.9 } else { 0.7 };
        per_question.push(prop::option::weighted(answered, answer).prop_map(move |a| a.map(|a| (id.clone(), a))).boxed());
    }
    for unknown in ["nope", "Heard", ""] {
        ids.push(unknown.into());
        per_question
            .push(prop::option::weighted(0.02, arb_any_answer()).prop_map(move |a| a.map(|a| (unknown.into(), a))).boxed());
    }
    let detail = prop_oneof![Just(String::new()), Just("  ".to_owned()), "[A-Za-z ]{1,12}", ".{0,12}"];
    let other_text = prop::collection::btree_map(select(ids), detail, 0..4);
    (per_question, other_text)
        .prop_map(|(values, other_text)| Answers { values: values.into_iter().flatten().collect(), other_text })
        .boxed()
}

fn arb_envelope(survey: &Survey) -> impl Strategy<Value = Envelope> {
    let languages = survey.languages.clone();
    let hidden = prop::collection::btree_map(select(vec!["channel", "source", "utm"]), ".{0,10}", 0..3);
    let context = prop::option::of((".{0,10}", ".{0,10}").prop_map(|(page_url, referrer)| PayloadContext { page_url, referrer }));
    let channel = prop::option::of("[a-z0-9._-]{1,40}").prop_map(|c| c.and_then(|c| Channel::parse(&c).ok()));
    (select(languages), any::<bool>(), hidden, context, channel).prop_map(|(language, anonymous, hidden, context, channel)| Envelope {
        submission_id: "0b6c2a5e-8f1d-4e3a-9c7b-1a2b3c4d5e6f".into(),
        submitted_at: "2026-11-22T10:00:00.250+01:00".into(),
        language,
        anonymous,
        hidden: hidden.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        context,
        channel,
    })
}

/// Equal JSON, but for numbers that differ by float rounding only.
fn nearly_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= 1e-15 * x.abs().max(y.abs())
        }
        (Value::Array(xs), Value::Array(ys)) => xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| nearly_equal(x, y)),
        (Value::Object(xs), Value::Object(ys)) => {
            xs.len() == ys.len() && xs.iter().all(|(k, x)| ys.get(k).is_some_and(|y| nearly_equal(x, y)))
        }
        _ => a == b,
    }
}

/// The widget's verdict on `given`, and, when it sends a response, the collector's on that.
fn widget_and_collector_agree(survey: &Survey, given: &Answers, env: Envelope) -> Result<bool, TestCaseError> {
    let vis = Visibility::compute(survey, given);
    let by_page: Vec<_> = (0..survey.pages.len()).flat_map(|i| survey.validate_page(i, given)).collect();
    match survey.validate_all(given) {
        Ok((values, _)) => {
            prop_assert!(by_page.is_empty(), "every page passed: {by_page:?}");
            for id in values.keys() {
                let q = survey.question(id);
                prop_assert!(q.is_some_and(|q| q.kind.takes_answer()) && vis.question(id), "{id} is sent");
            }
            prop_assert_eq!(&values, vis.values(), "what is sent is what conditions saw");
            let built = Payload::build(survey, given, env).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(&built.answers, &values);
            let body = serde_json::to_vec(&built).unwrap();
            let parsed = Payload::parse(&body).map_err(|e| TestCaseError::fail(e.to_string()))?;
            // serde_json's default float parsing may be off in the last digit for extreme
            // values (its `float_roundtrip` feature fixes that); everything else is exact.
            prop_assert!(
                nearly_equal(&json!(parsed.answers), &json!(built.answers)),
                "{:?} != {:?}", parsed.answers, built.answers
            );
            prop_assert_eq!(&Payload { answers: built.answers.clone(), ..parsed.clone() }, &built);
            if let Err(e) = parsed.validate(survey) {
                return Err(TestCaseError::fail(format!(
                    "the collector refused what the widget sent: {e}\n{}",
                    String::from_utf8_lossy(&body)
                )));
            }
            Ok(true)
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            prop_assert_eq!(&by_page, &errors, "page by page, the same problems");
            for e in &errors {
                let q = survey.question(&e.question);
                prop_assert!(q.is_some_and(|q| q.kind.takes_answer()), "{} is a question", e.question);
                prop_assert!(vis.question(&e.question), "{} is shown", e.question);
            }
            Ok(false)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn demo_answers_are_judged_alike_by_widget_and_collector(
        (given, env) in (arb_answers(&demo()), arb_envelope(&demo())),
    ) {
        widget_and_collector_agree(&demo(), &given, env)?;
    }

    #[test]
    fn conditional_answers_are_judged_alike_by_widget_and_collector(
        (given, env) in {
            let s = parse(&conditional_definition());
            (arb_answers(&s), arb_envelope(&s))
        },
    ) {
        widget_and_collector_agree(&parse(&conditional_definition()), &given, env)?;
    }
}

/// The generators above must reach both verdicts, or the agreement properties test little.
#[test]
fn the_answer_generators_give_both_valid_and_invalid_responses() {
    for survey in [demo(), parse(&conditional_definition())] {
        let strategy = (arb_answers(&survey), arb_envelope(&survey));
        let mut runner = TestRunner::deterministic();
        let (mut valid, mut hidden_dropped) = (0, 0);
        let n = 2000;
        for _ in 0..n {
            let (given, env) = strategy.new_tree(&mut runner).unwrap().current();
            if widget_and_collector_agree(&survey, &given, env).unwrap() {
                valid += 1;
                let vis = Visibility::compute(&survey, &given);
                if given.values.keys().any(|id| survey.question(id).is_some() && !vis.question(id)) {
                    hidden_dropped += 1;
                }
            }
        }
        assert!(valid >= n / 20, "{}: only {valid} of {n} generated responses were valid", survey.id);
        assert!(valid <= n - n / 20, "{}: {valid} of {n} generated responses were valid", survey.id);
        if survey.id == "conditional" {
            assert!(hidden_dropped >= 10, "only {hidden_dropped} valid responses dropped a hidden answer");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Payloads from outside

fn valid_body() -> Value {
    json!({
        "format": "survey-response/1",
        "survey": { "id": "digital-engagement", "version": 1 },
        "submission_id": "5f0c6a8e-3b1d-4c2e-9f7a-0b1c2d3e4f50",
        "submitted_at": "2026-11-22T10:00:00Z",
        "language": "en",
        "anonymous": true,
        "answers": { "heard": "website", "ease": 4, "consent": true },
    })
}

/// Whatever is posted, the collector answers with a payload or a list of problems.
fn collector_never_panics(body: &[u8], surveys: &[Survey]) -> Result<(), TestCaseError> {
    match Payload::parse(body) {
        Ok(p) => {
            for s in surveys {
                if let Err(e) = p.validate(s) {
                    prop_assert!(!e.problems().is_empty());
                    for problem in e.problems() {
                        let top = problem.path.split(['.', '[']).next().unwrap();
                        prop_assert!(
                            ["survey", "language", "anonymous", "context", "hidden", "answers", "other_text"].contains(&top),
                            "{problem}"
                        );
                    }
                }
            }
        }
        Err(e) => prop_assert!(!e.problems().is_empty()),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_bytes_make_payload_parse_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        collector_never_panics(&bytes, &[demo()])?;
    }

    #[test]
    fn no_json_makes_payload_parse_panic(v in arb_json()) {
        collector_never_panics(v.to_string().as_bytes(), &[demo()])?;
    }

    #[test]
    fn no_envelope_strings_make_payload_parse_panic(
        field in select(vec!["/format", "/submission_id", "/submitted_at", "/language", "/survey/id"]),
        s in prop_oneof![".{0,40}", "2026-11-22T[0-9:.€é+Z-]{0,12}", "[0-9a-f€-]{30,40}"],
    ) {
        let mut body = valid_body();
        *body.pointer_mut(field).unwrap() = Value::from(s);
        collector_never_panics(body.to_string().as_bytes(), &[demo()])?;
    }

    #[test]
    fn no_answers_make_payload_validate_panic(
        answers in prop::collection::btree_map(
            select(vec!["heard", "channels", "ease", "improve", "area", "about-data", "consent", "who", "topics",
                        "age", "score", "why_low", "grid", "rank", "when", "postcode", "email", "web", "ok", "x"]),
            arb_json(), 0..8),
        other_text in prop::collection::btree_map(select(vec!["heard", "channels", "who", "topics", "x"]), ".{0,8}", 0..3),
        anonymous in any::<bool>(),
    ) {
        let mut body = valid_body();
        body["answers"] = json!(answers);
        body["other_text"] = json!(other_text);
        body["anonymous"] = json!(anonymous);
        let surveys = [demo(), parse(&conditional_definition())];
        collector_never_panics(body.to_string().as_bytes(), &surveys)?;
    }
}

#[test]
fn the_valid_body_used_above_is_valid() {
    let p = Payload::parse(valid_body().to_string().as_bytes()).unwrap();
    assert_eq!(p.validate(&demo()), Ok(()));
    let _: BTreeMap<String, Value> = p.answers;
}

// ---------------------------------------------------------------------------------------------
// Generated definitions

/// One question of any type with random bounds, and the choices that decide its condition.
fn arb_question_body() -> impl Strategy<Value = Value> {
    let opts = |lo: usize| (lo..6usize).prop_map(|n| options(&["a", "b", "c", "d", "e", "f"][..n]));
    prop_oneof![
        (opts(1), any::<bool>(), any::<bool>()).prop_map(|(o, other, shuffle)| {
            let mut q = json!({ "type": "single_choice", "options": o, "shuffle": shuffle });
            if other {
                q["other"] = json!({ "label": "Other" });
            }
            q
        }),
        (2usize..6, prop::option::of(1u32..3), prop::option::of(2u32..4), any::<bool>()).prop_map(|(n, lo, hi, none)| {
            let mut o = options(&["a", "b", "c", "d", "e", "f"][..n]);
            if none {
                o.as_array_mut().unwrap().push(json!({ "value": "none", "label": "None", "exclusive": true }));
            }
            let mut q = json!({ "type": "multiple_choice", "options": o, "other": { "label": "Other" } });
            if let Some(lo) = lo {
                q["min_selected"] = json!(lo);
            }
            if let Some(hi) = hi.filter(|hi| lo.is_none_or(|lo| *hi >= lo)) {
                q["max_selected"] = json!(hi);
            }
            q
        }),
        (select(vec!["text", "email", "tel", "postcode", "url"]), prop::option::of(1u32..4), prop::option::of(4u32..12),
            prop::option::of(select(vec!["[A-Za-z ]+", "[0-9]{2,}", ".*@example\\.org", "(?i)[a-z]+[0-9]?"])))
            .prop_map(|(input, lo, hi, pattern)| {
                let mut q = json!({ "type": "text", "input": input });
                if let Some(lo) = lo { q["min_length"] = json!(lo); }
                if let Some(hi) = hi { q["max_length"] = json!(hi); }
                if let Some(p) = pattern { q["pattern"] = json!(p); }
                q
            }),
        (prop::option::of(-50i64..50), prop::option::of(0i64..100), any::<bool>()).prop_map(|(lo, span, integer)| {
            let mut q = json!({ "type": "text", "input": "number", "integer": integer });
            if let Some(lo) = lo {
                q["min"] = json!(lo);
                if let Some(span) = span { q["max"] = json!(lo + span); }
            }
            q
        }),
        prop::option::of(1u32..50).prop_map(|hi| json!({ "type": "long_text", "max_length": hi })),
        (0i64..=1, 2i64..=10).prop_map(|(lo, hi)| json!({ "type": "rating", "min": lo, "max": hi })),
        (opts(1), opts(1)).prop_map(|(r, c)| json!({ "type": "matrix", "rows": r, "columns": c })),
        opts(2).prop_map(|o| json!({ "type": "ranking", "options": o })),
        Just(json!({ "type": "date", "min": "1990-01-01", "max": "2040-12-31" })),
        Just(json!({ "type": "consent", "label": "I agree" })),
        Just(json!({ "type": "statement" })),
    ]
}

/// A condition on `target` (an earlier question, as JSON) that the parser must accept, chosen
/// by `pick`, sometimes negated.
fn condition_on(target: &Value, pick: usize, negate: bool) -> Option<Value> {
    let id = target["id"].clone();
    let first = target["options"][0]["value"].clone();
    let c = match (target["type"].as_str()?, target["input"].as_str(), pick % 3) {
        ("statement", ..) => return None,
        ("single_choice", _, 0) => json!({ "question": id, "equals": first }),
        ("single_choice", _, 1) => json!({ "question": id, "not_equals": first }),
        ("multiple_choice", _, 0) => json!({ "question": id, "includes": first }),
        ("multiple_choice", _, 1) => json!({ "question": id, "at_least": 1 }),
        ("ranking", _, 0) => json!({ "question": id, "includes": first }),
        ("text", Some("number"), 0) => json!({ "question": id, "at_least": target["min"].as_i64().unwrap_or(0) }),
        ("text", Some("number"), 1) => json!({ "question": id, "at_most": target["min"].as_i64().unwrap_or(3) }),
        ("rating", _, 0) => json!({ "question": id, "at_least": target["max"] }),
        ("rating", _, 1) => json!({ "question": id, "equals": target["min"] }),
        ("consent", _, 0) => json!({ "question": id, "equals": true }),
        _ => json!({ "question": id, "answered": true }),
    };
    Some(if negate { json!({ "not": c }) } else { c })
}

/// A valid definition: 1–3 pages of 1–4 questions of any type, some required, many shown only
/// when an earlier answer allows.
fn arb_definition() -> impl Strategy<Value = Value> {
    let q = (arb_question_body(), any::<bool>(), prop::option::weighted(0.5, (any::<Index>(), 0usize..3, any::<bool>())));
    prop::collection::vec(prop::collection::vec(q, 1..5), 1..4).prop_map(|pages| {
        let mut earlier: Vec<Value> = Vec::new();
        let mut out = Vec::new();
        for (i, questions) in pages.into_iter().enumerate() {
            let mut qs = Vec::new();
            for (body, required, cond) in questions {
                let mut q = body;
                q["id"] = json!(format!("q{}", earlier.len()));
                q["title"] = json!("Question");
                if required && q["type"] != "statement" {
                    q["required"] = json!(true);
                }
                if let (Some((at, pick, negate)), false) = (cond, earlier.is_empty()) {
                    if let Some(c) = condition_on(at.get(&earlier), pick, negate) {
                        q["visible_if"] = c;
                    }
                }
                earlier.push(q.clone());
                qs.push(q);
            }
            out.push(json!({ "id": format!("p{i}"), "questions": qs }));
        }
        definition(Value::Array(out))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any answers to any valid definition either validate, or every error names a shown
    /// question of the survey; and the collector agrees with the widget.
    #[test]
    fn answers_to_generated_definitions_validate_or_name_their_questions(
        (survey, given, env) in arb_definition().prop_flat_map(|d| {
            let s = parse(&d);
            (Just(s.clone()), arb_answers(&s), arb_envelope(&s))
        }),
    ) {
        widget_and_collector_agree(&survey, &given, env)?;
    }

    /// A pattern from outside either compiles or is one problem at its path; either way no
    /// answer makes validation panic.
    #[test]
    fn no_pattern_or_answer_makes_parse_or_validation_panic(
        pattern in prop_oneof![".{0,12}", "[\\[\\](){}*+?|^$\\\\a-z0-9.,-]{0,12}"],
        typed in ".{0,16}",
    ) {
        let def = with_questions(json!([question("q", "text", json!({ "pattern": pattern }))]));
        match Survey::parse(&def.to_string()) {
            Ok(s) => {
                let _ = s.validate_all(&answers([("q", Answer::Text(typed))]));
            }
            Err(e) => {
                let paths: Vec<_> = e.problems().iter().map(|p| p.path.as_str()).collect();
                prop_assert_eq!(paths, ["pages[0].questions[0].pattern"]);
            }
        }
    }
}
