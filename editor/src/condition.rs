//! `visible_if`: built by choosing an earlier question, a test that fits its type, and one of
//! its possible answers, never by typing ids. Rules can be combined with "all" or "any". A
//! condition shaped otherwise (nested, from an uploaded file) is shown as it is written, and can
//! be removed or replaced, never silently changed.

use crate::ctx::use_ctx;
use crate::doc::{Edit, Path};
use crate::earlier::{Asked, Earlier};
use serde_json::{json, Map, Value};
use std::rc::Rc;
use yew::prelude::*;

/// How a rule tests its question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    Equals,
    NotEquals,
    Includes,
    AtLeast,
    AtMost,
    Answered,
    NotAnswered,
}

impl Test {
    const ALL: [Test; 7] =
        [Test::Equals, Test::NotEquals, Test::Includes, Test::AtLeast, Test::AtMost, Test::Answered, Test::NotAnswered];

    fn key(self) -> &'static str {
        match self {
            Test::Equals => "equals",
            Test::NotEquals => "not_equals",
            Test::Includes => "includes",
            Test::AtLeast => "at_least",
            Test::AtMost => "at_most",
            Test::Answered => "answered",
            Test::NotAnswered => "not_answered",
        }
    }

    fn from_key(key: &str) -> Option<Test> {
        Test::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The words of the test for a question of this kind.
    fn words(self, q: &Asked) -> &'static str {
        let counts = q.type_name == "multiple_choice";
        match self {
            Test::Equals if q.type_name == "consent" => "is ticked",
            Test::Equals => "is",
            Test::NotEquals => "is not",
            Test::Includes => "includes",
            Test::AtLeast if counts => "has at least this many ticked",
            Test::AtMost if counts => "has at most this many ticked",
            Test::AtLeast => "is at least",
            Test::AtMost => "is at most",
            Test::Answered => "is answered",
            Test::NotAnswered => "is not answered",
        }
    }
}

/// The tests a question of this kind can be put to (the model's table of conditions).
pub fn tests_for(q: &Asked) -> Vec<Test> {
    use Test::*;
    let numeric = q.type_name == "text" && q.input == "number";
    match q.type_name.as_str() {
        "single_choice" | "date" | "long_text" => vec![Equals, NotEquals, Answered, NotAnswered],
        "text" if numeric => vec![Equals, NotEquals, AtLeast, AtMost, Answered, NotAnswered],
        "text" => vec![Equals, NotEquals, Answered, NotAnswered],
        "multiple_choice" => vec![Includes, AtLeast, AtMost, Answered, NotAnswered],
        "rating" => vec![Equals, NotEquals, AtLeast, AtMost, Answered, NotAnswered],
        "consent" => vec![Equals, Answered, NotAnswered],
        _ => vec![Answered, NotAnswered],
    }
}

/// One test of one question.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub question: String,
    pub test: Test,
    /// The answer compared with; `Null` for answered and not answered.
    pub value: Value,
}

impl Rule {
    /// The rule a condition object is, if it is a single test (or "not answered").
    pub fn read(v: &Value) -> Option<Rule> {
        let obj = v.as_object()?;
        if let Some(inner) = obj.get("not") {
            let rule = Rule::read(inner)?;
            return (obj.len() == 1 && rule.test == Test::Answered).then_some(Rule { test: Test::NotAnswered, ..rule });
        }
        let question = obj.get("question")?.as_str()?.to_owned();
        if obj.len() != 2 {
            return None;
        }
        let (key, value) = obj.iter().find(|(k, _)| k.as_str() != "question")?;
        let test = Test::from_key(key).filter(|t| *t != Test::NotAnswered)?;
        let value = if test == Test::Answered { Value::Null } else { value.clone() };
        Some(Rule { question, test, value })
    }

    /// The condition object of this rule.
    pub fn write(&self) -> Value {
        match self.test {
            Test::Answered => json!({"question": self.question, "answered": true}),
            Test::NotAnswered => json!({"not": {"question": self.question, "answered": true}}),
            t => {
                let mut m = Map::new();
                m.insert("question".into(), Value::String(self.question.clone()));
                m.insert(t.key().into(), self.value.clone());
                Value::Object(m)
            }
        }
    }

    /// A first rule for `q`: its first test, with its first possible answer.
    pub fn first_for(q: &Asked) -> Rule {
        let test = tests_for(q)[0];
        Rule { question: q.id.clone(), test, value: default_value(q, test) }
    }
}

/// A sensible answer to start from for `test` of `q`.
fn default_value(q: &Asked, test: Test) -> Value {
    match test {
        Test::Answered | Test::NotAnswered => Value::Null,
        _ if q.type_name == "consent" => Value::Bool(true),
        Test::AtLeast | Test::AtMost if q.type_name == "multiple_choice" => json!(1),
        _ if q.type_name == "rating" => json!(q.scale.1),
        _ if q.type_name == "text" && q.input == "number" => json!(0),
        _ => q.options.first().map_or(Value::String(String::new()), |(v, _)| Value::String(v.clone())),
    }
}

/// A condition as the editor can show it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    One(Rule),
    /// `true`: all must hold; `false`: any.
    Many(bool, Vec<Rule>),
    /// Written some other way; shown as it is.
    Other,
}

pub fn shape(v: &Value) -> Shape {
    if let Some(rule) = Rule::read(v) {
        return Shape::One(rule);
    }
    for (key, all) in [("all", true), ("any", false)] {
        if let Some(items) = v.get(key).and_then(Value::as_array) {
            let rules: Option<Vec<Rule>> = items.iter().map(Rule::read).collect();
            if let (Some(rules), Some(1)) = (rules, v.as_object().map(Map::len)) {
                return Shape::Many(all, rules);
            }
        }
    }
    Shape::Other
}

/// The condition object of `rules`: the rule itself when there is one.
pub fn write(all: bool, rules: &[Rule]) -> Value {
    match rules {
        [one] => one.write(),
        _ => {
            let key = if all { "all" } else { "any" };
            let mut m = Map::new();
            m.insert(key.to_owned(), Value::Array(rules.iter().map(Rule::write).collect()));
            Value::Object(m)
        }
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ConditionProps {
    /// Where `visible_if` is (or would be).
    pub path: Path,
    pub value: Option<Value>,
    /// The questions it may test.
    pub earlier: Earlier,
    /// "question" or "page".
    pub what: AttrValue,
}

/// The "Show this … only when" part of a question or page.
#[function_component]
pub fn ConditionEditor(props: &ConditionProps) -> Html {
    let ctx = use_ctx();
    let id = props.path.dom_id();
    let heading = format!("Show this {} only when", props.what);
    let Some(value) = props.value.clone() else {
        let Some(first) = props.earlier.first().cloned() else {
            return html! {};
        };
        let onclick = {
            let (ctx, path) = (ctx.clone(), props.path.clone());
            Callback::from(move |_| ctx.edit.emit(Edit::Set(path.clone(), Rule::first_for(&first).write())))
        };
        return html! {
            <div class="condition-add" id={id}>
                <button type="button" class="secondary" {onclick}>
                    { "Add a condition" }<span class="visually-hidden">{ format!(" to this {}", props.what) }</span>
                </button>
            </div>
        };
    };
    let remove = {
        let (ctx, path) = (ctx.clone(), props.path.clone());
        Callback::from(move |_| ctx.edit.emit(Edit::Remove(path.clone())))
    };
    let error = ctx.problems.at(&props.path);
    let body = match shape(&value) {
        Shape::Other => html! {
            <>
                <p>{ "This condition is written in a way the editor cannot show as choices. It is kept exactly as it is:" }</p>
                <pre class="json">{ serde_json::to_string_pretty(&value).unwrap_or_default() }</pre>
            </>
        },
        Shape::One(rule) => rules_editor(props, true, vec![rule]),
        Shape::Many(all, rules) => rules_editor(props, all, rules),
    };
    html! {
        <fieldset class={classes!("condition", error.is_some().then_some("field-error"))} id={id.clone()} tabindex="-1"
            aria-describedby={error.is_some().then(|| format!("{id}-error"))}>
            <legend>{ heading }</legend>
            if let Some(message) = error {
                <p class="error-message" id={format!("{id}-error")}><span class="visually-hidden">{ "Error: " }</span>{ message }</p>
            }
            { body }
            <button type="button" class="secondary" onclick={remove}>
                { "Remove the condition" }<span class="visually-hidden">{ format!(" of this {}", props.what) }</span>
            </button>
        </fieldset>
    }
}

fn rules_editor(props: &ConditionProps, all: bool, rules: Vec<Rule>) -> Html {
    let ctx_path = props.path.clone();
    let rules = Rc::new(rules);
    let several = rules.len() > 1;
    let combine = if several {
        let path = ctx_path.clone();
        html! { <Combine path={path} all={all} rules={rules.clone()} /> }
    } else {
        html! {}
    };
    html! {
        <>
            { combine }
            <ol class="rules">
                { for rules.iter().enumerate().map(|(n, rule)| html! {
                    <li><RuleEditor path={ctx_path.clone()} all={all} rules={rules.clone()} n={n}
                        rule={rule.clone()} earlier={props.earlier.clone()} /></li>
                }) }
            </ol>
            <AddRule path={ctx_path} all={all} rules={rules} earlier={props.earlier.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct GroupProps {
    path: Path,
    all: bool,
    rules: Rc<Vec<Rule>>,
    #[prop_or_default]
    earlier: Earlier,
}

/// "All of these" or "any of these".
#[function_component]
fn Combine(props: &GroupProps) -> Html {
    let ctx = use_ctx();
    let name = format!("{}-combine", props.path.dom_id());
    let choose = |all: bool| {
        let (ctx, path, rules) = (ctx.clone(), props.path.clone(), props.rules.clone());
        Callback::from(move |_: Event| ctx.edit.emit(Edit::Set(path.clone(), write(all, &rules))))
    };
    html! {
        <fieldset class="inline-radios">
            <legend class="visually-hidden">{ "Which rules must hold" }</legend>
            <div class="check">
                <input type="radio" id={format!("{name}-all")} name={name.clone()} checked={props.all} onchange={choose(true)} />
                <label for={format!("{name}-all")}>{ "All of these" }</label>
            </div>
            <div class="check">
                <input type="radio" id={format!("{name}-any")} name={name.clone()} checked={!props.all} onchange={choose(false)} />
                <label for={format!("{name}-any")}>{ "Any of these" }</label>
            </div>
        </fieldset>
    }
}

/// "Add another rule".
#[function_component]
fn AddRule(props: &GroupProps) -> Html {
    let ctx = use_ctx();
    let Some(first) = props.earlier.first().cloned() else { return html! {} };
    let onclick = {
        let (ctx, path, rules, all) = (ctx.clone(), props.path.clone(), props.rules.clone(), props.all);
        Callback::from(move |_| {
            let mut rules = (*rules).clone();
            rules.push(Rule::first_for(&first));
            ctx.edit.emit(Edit::Set(path.clone(), write(all, &rules)));
        })
    };
    html! { <button type="button" class="secondary" {onclick}>{ "Add another rule" }</button> }
}

#[derive(Properties, PartialEq, Clone)]
struct RuleProps {
    path: Path,
    all: bool,
    rules: Rc<Vec<Rule>>,
    n: usize,
    rule: Rule,
    earlier: Earlier,
}

/// One rule: question, test, answer.
#[function_component]
fn RuleEditor(props: &RuleProps) -> Html {
    let ctx = use_ctx();
    let base = format!("{}-rule-{}", props.path.dom_id(), props.n);
    let replace = {
        let (ctx, path, rules, n, all) = (ctx.clone(), props.path.clone(), props.rules.clone(), props.n, props.all);
        Callback::from(move |rule: Rule| {
            let mut rules = (*rules).clone();
            rules[n] = rule;
            ctx.edit.emit(Edit::Set(path.clone(), write(all, &rules)));
        })
    };
    let asked = props.earlier.iter().find(|q| q.id == props.rule.question).cloned();
    let on_question = {
        let (earlier, replace) = (props.earlier.clone(), replace.clone());
        Callback::from(move |e: Event| {
            let id = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Some(q) = earlier.iter().find(|q| q.id == id) {
                replace.emit(Rule::first_for(q));
            }
        })
    };
    let question_select = html! {
        <div class="field">
            <label for={format!("{base}-question")}>{ "Question" }</label>
            <select id={format!("{base}-question")} onchange={on_question}>
                if asked.is_none() {
                    <option value="" selected=true>{ format!("(a question not before this one: \"{}\")", props.rule.question) }</option>
                }
                { for props.earlier.iter().map(|q| html! {
                    <option value={q.id.clone()} selected={q.id == props.rule.question}>{ q.name.clone() }</option>
                }) }
            </select>
        </div>
    };
    let remove = if props.rules.len() > 1 {
        let (ctx, path, rules, n, all) = (ctx.clone(), props.path.clone(), props.rules.clone(), props.n, props.all);
        let onclick = Callback::from(move |_| {
            let mut rules = (*rules).clone();
            rules.remove(n);
            ctx.edit.emit(Edit::Set(path.clone(), write(all, &rules)));
        });
        html! { <button type="button" class="secondary" {onclick}>{ "Remove this rule" }<span class="visually-hidden">{ format!(" (rule {})", props.n + 1) }</span></button> }
    } else {
        html! {}
    };
    let Some(q) = asked else {
        return html! { <div class="rule">{ question_select }{ remove }</div> };
    };
    let tests = tests_for(&q);
    let on_test = {
        let (q, rule, replace) = (q.clone(), props.rule.clone(), replace.clone());
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Some(test) = Test::from_key(&key) {
                let keep = !matches!(rule.value, Value::Null) && same_kind(rule.test, test, &q);
                let value = if keep { rule.value.clone() } else { default_value(&q, test) };
                replace.emit(Rule { question: q.id.clone(), test, value });
            }
        })
    };
    let test_select = html! {
        <div class="field">
            <label for={format!("{base}-test")}>{ "Test" }</label>
            <select id={format!("{base}-test")} onchange={on_test}>
                if !tests.contains(&props.rule.test) {
                    <option value="" selected=true>{ format!("({} cannot be tested this way)", q.name) }</option>
                }
                { for tests.iter().map(|t| html! {
                    <option value={t.key()} selected={*t == props.rule.test}>{ t.words(&q) }</option>
                }) }
            </select>
        </div>
    };
    let answer = answer_field(&base, &q, &props.rule, replace);
    html! { <div class="rule">{ question_select }{ test_select }{ answer }{ remove }</div> }
}

/// Whether a value of `from` still means something for `to` (an option stays an option).
fn same_kind(from: Test, to: Test, q: &Asked) -> bool {
    use Test::*;
    let counts = |t| matches!(t, AtLeast | AtMost) && q.type_name == "multiple_choice";
    matches!((from, to), (Equals | NotEquals, Equals | NotEquals) | (AtLeast | AtMost, AtLeast | AtMost))
        || (q.type_name == "rating" && !counts(from) && !matches!(from, Answered | NotAnswered))
}

/// The answer a rule compares with, chosen from what the question can be answered.
fn answer_field(base: &str, q: &Asked, rule: &Rule, replace: Callback<Rule>) -> Html {
    if matches!(rule.test, Test::Answered | Test::NotAnswered) || q.type_name == "consent" {
        return html! {};
    }
    let id = format!("{base}-value");
    let set = {
        let rule = rule.clone();
        move |value: Value| replace.emit(Rule { value, ..rule.clone() })
    };
    let counts = matches!(rule.test, Test::AtLeast | Test::AtMost) && q.type_name == "multiple_choice";
    if counts || (q.type_name == "text" && q.input == "number") {
        let shown = match &rule.value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        let oninput = Callback::from(move |e: InputEvent| {
            let typed = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            set(crate::fields::number(typed.trim()).unwrap_or(Value::String(typed)));
        });
        let label = if counts { "How many" } else { "Number" };
        return html! {
            <div class="field">
                <label for={id.clone()}>{ label }</label>
                <input id={id} type="text" class="narrow" inputmode="decimal" value={shown} {oninput} />
            </div>
        };
    }
    let choices: Vec<(String, String)> = match q.type_name.as_str() {
        "single_choice" | "multiple_choice" => q.options.clone(),
        "rating" => (q.scale.0..=q.scale.1).map(|n| (n.to_string(), n.to_string())).collect(),
        _ => Vec::new(),
    };
    if !choices.is_empty() {
        let current = match &rule.value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => other.to_string(),
        };
        let rating = q.type_name == "rating";
        let onchange = Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            set(if rating { crate::fields::number(&v).unwrap_or(Value::String(v)) } else { Value::String(v) });
        });
        let known = choices.iter().any(|(v, _)| *v == current);
        return html! {
            <div class="field">
                <label for={id.clone()}>{ "Answer" }</label>
                <select id={id} {onchange}>
                    if !known {
                        <option value="" selected=true>{ format!("(not an answer it has: {current})") }</option>
                    }
                    { for choices.iter().map(|(v, l)| html! { <option value={v.clone()} selected={*v == current}>{ l.clone() }</option> }) }
                </select>
            </div>
        };
    }
    let shown = rule.value.as_str().unwrap_or("").to_owned();
    let date = q.type_name == "date";
    let oninput = Callback::from(move |e: InputEvent| {
        set(Value::String(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()));
    });
    html! {
        <div class="field">
            <label for={id.clone()}>{ if date { "Date" } else { "Answer" } }</label>
            if date {
                <p class="hint" id={format!("{id}-hint")}>{ "For example, 2027-03-31" }</p>
            }
            <input id={id.clone()} type="text" value={shown} {oninput}
                aria-describedby={date.then(|| format!("{id}-hint"))} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(ty: &str) -> Asked {
        Asked {
            id: "q".into(),
            name: "Q".into(),
            type_name: ty.into(),
            options: vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())],
            input: "text".into(),
            scale: (1, 5),
        }
    }

    #[test]
    fn rules_read_back_as_they_are_written() {
        for v in [
            json!({"question": "q", "equals": "yes"}),
            json!({"question": "q", "at_least": 2}),
            json!({"question": "q", "answered": true}),
            json!({"not": {"question": "q", "answered": true}}),
        ] {
            assert_eq!(Rule::read(&v).unwrap().write(), v);
        }
        assert_eq!(Rule::read(&json!({"question": "q", "equals": 1, "at_most": 2})), None);
        assert_eq!(Rule::read(&json!({"not": {"question": "q", "equals": "x"}})), None);
    }

    #[test]
    fn groups_of_rules_are_shown_and_anything_else_is_kept_as_written() {
        let v = json!({"any": [{"question": "a", "equals": "x"}, {"question": "b", "answered": true}]});
        assert!(matches!(shape(&v), Shape::Many(false, ref r) if r.len() == 2));
        let Shape::Many(all, rules) = shape(&v) else { unreachable!() };
        assert_eq!(write(all, &rules), v);
        assert_eq!(shape(&json!({"all": [{"any": []}]})), Shape::Other);
        // A group of one is written as the rule itself.
        assert_eq!(write(true, &rules[..1]), json!({"question": "a", "equals": "x"}));
    }

    #[test]
    fn every_test_offered_is_one_the_model_accepts() {
        // Each first rule for each type, put into a survey, must parse.
        for ty in ["single_choice", "multiple_choice", "text", "long_text", "rating", "date", "consent", "matrix", "ranking"] {
            let q = asked(ty);
            for test in tests_for(&q) {
                let rule = Rule { question: "q".into(), test, value: default_value(&q, test) };
                let question = match ty {
                    "single_choice" | "multiple_choice" | "ranking" => json!({"id": "q", "type": ty, "title": "Q",
                        "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]}),
                    "matrix" => json!({"id": "q", "type": ty, "title": "Q", "rows": [{"value": "r", "label": "R"}],
                        "columns": [{"value": "c", "label": "C"}]}),
                    "consent" => json!({"id": "q", "type": ty, "title": "Q", "label": "I agree"}),
                    "date" => json!({"id": "q", "type": ty, "title": "Q"}),
                    _ => json!({"id": "q", "type": ty, "title": "Q"}),
                };
                let mut rule_value = rule.write();
                if ty == "date" && matches!(test, Test::Equals | Test::NotEquals) {
                    rule_value[test.key()] = json!("2027-01-01");
                }
                let survey = json!({"format": 1, "id": "s", "title": "S", "pages": [
                    {"id": "p", "questions": [question, {"id": "later", "type": "text", "title": "L", "visible_if": rule_value}]}
                ]});
                let parsed = survey_model::Survey::parse(&survey.to_string());
                assert!(parsed.is_ok(), "{ty} {test:?}: {parsed:?}");
            }
        }
    }
}
