//! Conditions (`visible_if`) on pages and questions.

use crate::definition::{InputKind, Question, QuestionKind};
use crate::parse::{field, index, type_name, Ctx};
use serde_json::Value;

/// When a page or question is shown. Evaluated against the answers of questions that are
/// themselves visible, so hiding a question also hides whatever depends on it.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The answer is this value (for a multiple choice: exactly these options, in any order).
    Equals { question: String, value: Value },
    /// The answer is anything but this value (an unanswered question counts as not equal).
    NotEquals { question: String, value: Value },
    /// A multiple choice includes this option (or a single choice is this option).
    Includes { question: String, value: Value },
    /// A number or rating is at least `n`, or a multiple choice has at least `n` options ticked.
    AtLeast { question: String, n: f64 },
    /// A number or rating is at most `n`, or a multiple choice has at most `n` options ticked.
    AtMost { question: String, n: f64 },
    /// The question is answered (or, with `false`, is not).
    Answered { question: String, answered: bool },
    All(Vec<Condition>),
    Any(Vec<Condition>),
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
            ctx.known_keys(obj, path, &[key]);
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
        ctx.known_keys(obj, path, &["not"]);
        return parse(ctx, v, &field(path, "not"), lookup).map(|c| Condition::Not(Box::new(c)));
    }
    const TESTS: [&str; 6] = ["equals", "not_equals", "includes", "at_least", "at_most", "answered"];
    ctx.known_keys(obj, path, &["question", "equals", "not_equals", "includes", "at_least", "at_most", "answered"]);
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
    // Only numbers, ratings and ticked boxes can be counted; anything else would never match.
    let number = |ctx: &mut Ctx| -> Option<f64> {
        let countable = matches!(
            q.map(|q| &q.kind),
            None | Some(
                QuestionKind::Text { input: InputKind::Number, .. }
                    | QuestionKind::Rating { .. }
                    | QuestionKind::MultipleChoice { .. }
            )
        );
        if !countable {
            ctx.err(&tpath, "needs a number, rating or multiple choice question");
            return None;
        }
        let n = v.as_f64();
        if n.is_none() {
            ctx.err(&tpath, format!("must be a number, not {}", type_name(v)));
        }
        n
    };
    let condition = match test {
        "equals" | "not_equals" | "includes" => {
            let value = match q {
                Some(q) => check_value(ctx, q, v, &tpath, test == "includes")?,
                None => v.clone(),
            };
            let question = question_id;
            match test {
                "equals" => Condition::Equals { question, value },
                "not_equals" => Condition::NotEquals { question, value },
                _ => Condition::Includes { question, value },
            }
        }
        "at_least" => Condition::AtLeast { question: question_id, n: number(ctx)? },
        "at_most" => Condition::AtMost { question: question_id, n: number(ctx)? },
        _ => match v {
            Value::Bool(answered) => Condition::Answered { question: question_id, answered: *answered },
            other => {
                ctx.err(&tpath, format!("must be true or false, not {}", type_name(other)));
                return None;
            }
        },
    };
    Some(condition)
}

/// Catches the commonest mistake early: comparing a choice question with a value it cannot have.
/// Gives the value to compare with: a multiple choice's list in the options' order, the order
/// its payload value has (see `validate::value_of`), so `equals` does not depend on the order
/// the boxes were ticked.
fn check_value(ctx: &mut Ctx, q: &Question, v: &Value, path: &str, includes: bool) -> Option<Value> {
    let (options, other) = match &q.kind {
        QuestionKind::SingleChoice { options, other, .. } => (options, other.is_some()),
        QuestionKind::MultipleChoice { options, other, .. } => (options, other.is_some()),
        _ => return Some(v.clone()),
    };
    let known = |s: &str| options.iter().any(|o| o.value == s) || (other && s == "other");
    let list = !includes && matches!(q.kind, QuestionKind::MultipleChoice { .. });
    let ok = match v {
        Value::String(s) if !list => known(s),
        Value::Array(items) if list => items.iter().all(|i| i.as_str().is_some_and(known)),
        _ => false,
    };
    if !ok {
        let message = if list {
            format!("must be a list of option values of \"{}\" (use includes to test one option)", q.id)
        } else {
            format!("is not one of the option values of \"{}\"", q.id)
        };
        ctx.err(path, message);
        return None;
    }
    Some(match v {
        Value::Array(items) => {
            let has = |s: &str| items.iter().any(|i| i.as_str() == Some(s));
            let values = options.iter().map(|o| o.value.as_str()).chain(other.then_some("other"));
            Value::Array(values.filter(|s| has(s)).map(Value::from).collect())
        }
        _ => v.clone(),
    })
}
