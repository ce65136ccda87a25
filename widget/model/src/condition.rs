//! Conditions (`visible_if`) on pages and questions.

use crate::answer::{Answer, Answers};
use crate::definition::{InputKind, Question, QuestionKind};
use crate::parse::{field, index, type_name, Ctx, Obj};
use crate::validate::{value_of, FieldErrorKind};
use serde_json::Value;

/// When a page or question is shown. Evaluated against the answers of questions that are
/// themselves visible, so hiding a question also hides whatever depends on it.
///
/// [`Survey::parse`](crate::Survey::parse) checks every condition against the type of the
/// question it tests, so a condition that could never (or would always) hold is refused with
/// its path rather than leaving a question that silently never shows:
///
/// | test | allowed on | value |
/// |---|---|---|
/// | `equals`, `not_equals` | any question but a statement | an answer the question can have, checked by the same rules as answers: an option value (or `"other"` if it has one) for a single choice; a list of option values for a multiple choice; a number within `min`/`max` for a number input, a text for other inputs; a whole number on the scale for a rating; every row to a column for a matrix; every option once for a ranking; a `YYYY-MM-DD` date within bounds; `true` for consent |
/// | `includes` | multiple choice, ranking | one option value (or `"other"`) |
/// | `at_least`, `at_most` | number input; rating; multiple choice | any number; a number on the scale; how many options are ticked, 0 to the number of options |
/// | `answered` | any question but a statement | `true` (for "not answered", use `not`) |
///
/// A condition may only test questions before it: a page's, questions on earlier pages; a
/// question's, questions earlier in the survey.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The answer is this value (for a multiple choice: exactly these options, in any order).
    /// The value is kept in its payload form (see the table above).
    Equals { question: String, value: Value },
    /// The answer is anything but this value (an unanswered question counts as not equal).
    NotEquals { question: String, value: Value },
    /// A multiple choice or ranking answer includes this option.
    Includes { question: String, value: Value },
    /// A number or rating is at least `n`, or a multiple choice has at least `n` options ticked.
    AtLeast { question: String, n: f64 },
    /// A number or rating is at most `n`, or a multiple choice has at most `n` options ticked.
    AtMost { question: String, n: f64 },
    /// The question is answered (or, with `false`, is not). Definitions may only write `true`;
    /// `false` stays for conditions built in code.
    Answered { question: String, answered: bool },
    /// Every condition holds.
    All(Vec<Condition>),
    /// At least one condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
}

impl Condition {
    /// Evaluates the condition. `answer` gives the payload value of a visible, answered question.
    pub fn eval(&self, answer: &dyn Fn(&str) -> Option<Value>) -> bool {
        match self {
            Condition::Equals { question, value } => answer(question).is_some_and(|a| same(&a, value)),
            Condition::NotEquals { question, value } => !answer(question).is_some_and(|a| same(&a, value)),
            Condition::Includes { question, value } => match answer(question) {
                Some(Value::Array(items)) => items.iter().any(|a| same(a, value)),
                Some(a) => same(&a, value),
                None => false,
            },
            Condition::AtLeast { question, n } => measure(answer(question)).is_some_and(|m| m >= *n),
            Condition::AtMost { question, n } => measure(answer(question)).is_some_and(|m| m <= *n),
            Condition::Answered { question, answered } => answer(question).is_some() == *answered,
            Condition::All(cs) => cs.iter().all(|c| c.eval(answer)),
            Condition::Any(cs) => cs.iter().any(|c| c.eval(answer)),
            Condition::Not(c) => !c.eval(answer),
        }
    }
}

/// JSON equality that treats `4` and `4.0` as the same number.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn measure(v: Option<Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::Array(items) => Some(items.len() as f64),
        _ => None,
    }
}

/// What a condition's question id resolves to: the question, `None` for a question that exists
/// but could not be read (its own problem is reported), or why it may not be used.
pub(crate) type Lookup<'a> = Result<Option<&'a Question>, &'static str>;

/// What a condition on one question can test.
const TESTS: [&str; 6] = ["equals", "not_equals", "includes", "at_least", "at_most", "answered"];

/// Every key a condition may have: `question`, the tests and the three combinations.
const KEYS: [&str; 10] =
    ["question", "equals", "not_equals", "includes", "at_least", "at_most", "answered", "all", "any", "not"];

/// `all`, `any` and `not` make up the whole condition. Another condition key beside one is
/// refused, since either reading could be meant; a key no condition has is ignored with a
/// warning, like any key the format does not know.
fn alone(ctx: &mut Ctx, obj: &Obj, path: &str, key: &str) {
    for other in obj.keys() {
        if other != key && KEYS.contains(&other.as_str()) {
            ctx.err(field(path, other), format!("cannot be used with \"{key}\""));
        }
    }
    ctx.ignore_unknown_keys(obj, path, &KEYS);
}

/// Parses one condition. `lookup` resolves a question id, refusing unknown and later questions.
pub(crate) fn parse<'a>(
    ctx: &mut Ctx,
    value: &Value,
    path: &str,
    lookup: &(dyn Fn(&str) -> Lookup<'a> + 'a),
) -> Option<Condition> {
    let obj = ctx.object(value, path)?;
    for (key, make) in [("all", true), ("any", false)] {
        if let Some(v) = obj.get(key) {
            alone(ctx, obj, path, key);
            let p = field(path, key);
            let items = ctx.array(v, &p)?;
            if items.is_empty() {
                ctx.err(&p, "must not be empty");
                return None;
            }
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                out.push(parse(ctx, item, &index(&p, i), lookup));
            }
            let out: Option<Vec<_>> = out.into_iter().collect();
            return out.map(|cs| if make { Condition::All(cs) } else { Condition::Any(cs) });
        }
    }
    if let Some(v) = obj.get("not") {
        alone(ctx, obj, path, "not");
        return parse(ctx, v, &field(path, "not"), lookup).map(|c| Condition::Not(Box::new(c)));
    }
    ctx.ignore_unknown_keys(obj, path, &KEYS);
    let question_id = ctx.req_string(obj, "question", path);
    let tests: Vec<&str> = TESTS.iter().copied().filter(|t| obj.contains_key(*t)).collect();
    if tests.len() != 1 {
        ctx.err(
            path,
            "must have \"question\" and exactly one of equals, not_equals, includes, at_least, at_most, answered (or be all, any or not)",
        );
        return None;
    }
    let test = tests[0];
    let question_id = question_id?;
    let q = match lookup(&question_id) {
        Ok(q) => q,
        Err(msg) => {
            ctx.err(field(path, "question"), format!("\"{question_id}\" {msg}"));
            return None;
        }
    };
    let tpath = field(path, test);
    let v = &obj[test];
    let condition = match test {
        "equals" | "not_equals" => {
            let value = match q {
                Some(q) => possible_answer(ctx, q, v, &tpath)?,
                None => v.clone(),
            };
            let question = question_id;
            if test == "equals" {
                Condition::Equals { question, value }
            } else {
                Condition::NotEquals { question, value }
            }
        }
        "includes" => {
            let value = match q {
                Some(q) => option_value(ctx, q, v, &tpath)?,
                None => v.clone(),
            };
            Condition::Includes { question: question_id, value }
        }
        "at_least" | "at_most" => {
            let n = bound(ctx, q, v, &tpath)?;
            let question = question_id;
            if test == "at_least" {
                Condition::AtLeast { question, n }
            } else {
                Condition::AtMost { question, n }
            }
        }
        _ => match v {
            Value::Bool(true) => Condition::Answered { question: question_id, answered: true },
            // `false` would be a second way to write `not`; one way is easier to read and check.
            Value::Bool(false) => {
                ctx.err(&tpath, "must be true (for \"not answered\", put the condition in \"not\")");
                return None;
            }
            other => {
                ctx.err(&tpath, format!("must be true, not {}", type_name(other)));
                return None;
            }
        },
    };
    Some(condition)
}

/// The value an `equals` or `not_equals` compares with: `v` must be an answer the question can
/// have, or the condition could never (or would always) hold. It is checked by the very code that
/// validates answers, and given back in the form the answer would have in the payload (a
/// multiple choice's options in the options' order, a trimmed text, a normalised postcode, `4`
/// for `4.0`), so the comparison does not depend on how either was written.
fn possible_answer(ctx: &mut Ctx, q: &Question, v: &Value, path: &str) -> Option<Value> {
    let multiple = matches!(q.kind, QuestionKind::MultipleChoice { .. });
    let answer = match Answer::from_payload(&q.kind, v) {
        Ok(a) => a,
        Err(what) => {
            let hint = if multiple && v.is_string() { " (use includes to test one option)" } else { "" };
            ctx.err(path, format!("{what}, like an answer to \"{}\"{hint}", q.id));
            return None;
        }
    };
    let mut answers = Answers::default();
    answers.values.insert(q.id.clone(), answer);
    // "other" is only a valid answer with its detail text; any text will do for the check.
    answers.other_text.insert(q.id.clone(), "-".into());
    let message = match value_of(q, &answers) {
        Ok(Some(value)) => return Some(value),
        Ok(None) => "counts as no answer, so it can never match (test \"answered\" instead)".to_owned(),
        Err(FieldErrorKind::UnknownOption) if multiple => {
            format!("must be a list of option values of \"{}\", each at most once", q.id)
        }
        Err(FieldErrorKind::UnknownOption) => format!("is not one of the option values of \"{}\"", q.id),
        Err(FieldErrorKind::Required) => format!("must answer every row of \"{}\", which is required", q.id),
        Err(kind) => format!("can never be an answer to \"{}\": it {kind}", q.id),
    };
    ctx.err(path, message);
    None
}

/// The option an `includes` looks for: one option value (or `"other"`) of a multiple choice or
/// a ranking, the two types whose answer is a list.
fn option_value(ctx: &mut Ctx, q: &Question, v: &Value, path: &str) -> Option<Value> {
    let (options, other) = match &q.kind {
        QuestionKind::MultipleChoice { options, other, .. } => (options, other.is_some()),
        QuestionKind::Ranking { options } => (options, false),
        _ => {
            ctx.err(path, "only applies to a multiple_choice or ranking question (use equals)");
            return None;
        }
    };
    let known = |s: &str| options.iter().any(|o| o.value == s) || (other && s == "other");
    match v {
        Value::String(s) if known(s) => Some(v.clone()),
        _ => {
            ctx.err(path, format!("is not one of the option values of \"{}\"", q.id));
            None
        }
    }
}

/// The number an `at_least` or `at_most` compares with. Only three things are counted: a
/// number input's value, a rating (the number must be on its scale) and how many options of a
/// multiple choice are ticked (a whole number from 0 to the number of options, "other"
/// included). Anything else could never match.
fn bound(ctx: &mut Ctx, q: Option<&Question>, v: &Value, path: &str) -> Option<f64> {
    let Some(n) = v.as_f64() else {
        ctx.err(path, format!("must be a number, not {}", type_name(v)));
        return None;
    };
    let problem = match q.map(|q| (q, &q.kind)) {
        // The question could not be read; its own problem says so.
        None => None,
        Some((_, QuestionKind::Text { input: InputKind::Number, .. })) => None,
        Some((q, QuestionKind::Rating { min, max, .. })) => (n < *min as f64 || n > *max as f64)
            .then(|| format!("must be on the scale of \"{}\", from {min} to {max}", q.id)),
        Some((q, QuestionKind::MultipleChoice { options, other, .. })) => {
            let count = options.len() + usize::from(other.is_some());
            (n.fract() != 0.0 || n < 0.0 || n > count as f64).then(|| {
                format!("must be a whole number from 0 to {count}, the number of options of \"{}\"", q.id)
            })
        }
        Some(_) => Some("needs a number, rating or multiple choice question".to_owned()),
    };
    match problem {
        Some(message) => {
            ctx.err(path, message);
            None
        }
        None => Some(n),
    }
}
