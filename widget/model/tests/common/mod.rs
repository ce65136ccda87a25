//! Helpers shared by the integration tests: small definition builders and shortcuts for
//! parsing and validating.
#![allow(dead_code)] // each test binary uses its own subset

use serde_json::{json, Value};
use survey_model::{Answer, Answers, DateParts, FieldErrorKind, Survey};

/// The demo server's survey, exactly as deployed.
pub const DEMO: &str = include_str!("../../../../demo/surveys/digital-engagement.json");

pub fn demo() -> Survey {
    parse(&serde_json::from_str(DEMO).expect("the demo survey is JSON"))
}

/// A minimal valid definition around `pages`.
pub fn definition(pages: Value) -> Value {
    json!({ "format": 1, "id": "s", "version": 1, "title": "T", "pages": pages })
}

/// A definition with one page holding `questions`.
pub fn with_questions(questions: Value) -> Value {
    definition(json!([{ "id": "p", "questions": questions }]))
}

/// A question object: `id`, `type`, a title, and whatever `extra` adds or overrides.
pub fn question(id: &str, ty: &str, extra: Value) -> Value {
    let mut q = json!({ "id": id, "type": ty, "title": format!("Question {id}") });
    if let Value::Object(more) = extra {
        q.as_object_mut().unwrap().extend(more);
    }
    q
}

/// `[{"value": v, "label": v}, …]`
pub fn options(values: &[&str]) -> Value {
    Value::Array(values.iter().map(|v| json!({ "value": v, "label": v.to_uppercase() })).collect())
}

/// Parses a definition that must be valid and free of unknown keys (so a typo in a test's own
/// definition cannot go unnoticed now that the parser ignores it).
#[track_caller]
pub fn parse(v: &Value) -> Survey {
    let (survey, ignored) = parsed_with_warnings(v);
    assert_eq!(ignored, Vec::<String>::new(), "expected no warnings for:\n{v:#}");
    survey
}

/// Parses a definition that must be valid, and gives its warnings as `path: message`.
#[track_caller]
pub fn parsed_with_warnings(v: &Value) -> (Survey, Vec<String>) {
    match Survey::parse_with_warnings(&v.to_string()) {
        Ok((s, warnings)) => (s, warnings.iter().map(ToString::to_string).collect()),
        Err(e) => panic!("expected the definition to parse, got: {e}"),
    }
}

/// The warnings of a definition that must be valid, as `path: message`.
#[track_caller]
pub fn warnings(v: &Value) -> Vec<String> {
    parsed_with_warnings(v).1
}

/// Every problem of a definition that must be refused, as `path: message`.
pub fn problems(v: &Value) -> Vec<String> {
    match Survey::parse(&v.to_string()) {
        Ok(_) => panic!("expected the definition to be refused:\n{v:#}"),
        Err(e) => e.problems().iter().map(ToString::to_string).collect(),
    }
}

/// The paths of every problem of a refused definition.
pub fn problem_paths(v: &Value) -> Vec<String> {
    match Survey::parse(&v.to_string()) {
        Ok(_) => panic!("expected the definition to be refused:\n{v:#}"),
        Err(e) => e.problems().iter().map(|p| p.path.clone()).collect(),
    }
}

/// Asserts that exactly one problem is reported, at `path`, and returns its message.
#[track_caller]
pub fn single_problem_at(v: &Value, path: &str) -> String {
    let e = Survey::parse(&v.to_string()).expect_err("expected the definition to be refused");
    let ps = e.problems();
    assert_eq!(ps.len(), 1, "expected one problem at {path}, got {ps:#?}");
    assert_eq!(ps[0].path, path, "{ps:#?}");
    ps[0].message.clone()
}

pub fn answers<'a>(pairs: impl IntoIterator<Item = (&'a str, Answer)>) -> Answers {
    Answers { values: pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(), ..Answers::default() }
}

pub fn text(s: &str) -> Answer {
    Answer::Text(s.to_owned())
}

pub fn choice(s: &str) -> Answer {
    Answer::Choice(s.to_owned())
}

pub fn choices(vs: &[&str]) -> Answer {
    Answer::Choices(vs.iter().map(|s| s.to_string()).collect())
}

pub fn ranking(vs: &[&str]) -> Answer {
    Answer::Ranking(vs.iter().map(|s| s.to_string()).collect())
}

pub fn matrix(pairs: &[(&str, &str)]) -> Answer {
    Answer::Matrix(pairs.iter().map(|(r, c)| (r.to_string(), c.to_string())).collect())
}

pub fn date(day: &str, month: &str, year: &str) -> Answer {
    Answer::Date(DateParts { day: day.into(), month: month.into(), year: year.into() })
}

/// Validates one answer to a one-question survey whose question `q` is `question`:
/// the payload value (`None` when unanswered) or the problem.
pub fn check(question: Value, answer: Answer) -> Result<Option<Value>, FieldErrorKind> {
    check_with(question, answers([("q", answer)]))
}

pub fn check_with(question: Value, given: Answers) -> Result<Option<Value>, FieldErrorKind> {
    let survey = parse(&with_questions(json!([question])));
    match survey.validate_all(&given) {
        Ok((values, _)) => Ok(values.get("q").cloned()),
        Err(errors) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].question, "q");
            Err(errors[0].kind.clone())
        }
    }
}
