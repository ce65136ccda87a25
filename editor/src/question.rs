//! One question: what every question has (id, title, hint, required, condition), what its
//! type adds, and changing its type without losing what still applies.

use crate::condition::ConditionEditor;
use crate::doc::{Edit, Path};
use crate::earlier::Earlier;
use crate::fields::{CheckField, NumberField, SelectField, TextField, TranslatableField};
use crate::moves::Moves;
use crate::options::OptionsEditor;
use crate::ctx::use_ctx;
use serde_json::{json, Map, Value};
use std::rc::Rc;
use survey_model::{type_keys, QUESTION_KEYS, QUESTION_TYPES};
use yew::prelude::*;

/// What an author calls each type, in the order of the model's list.
pub fn type_label(type_name: &str) -> &'static str {
    match type_name {
        "single_choice" => "One answer from a list",
        "multiple_choice" => "Several answers from a list (tick boxes)",
        "text" => "Short text, number, email or phone",
        "long_text" => "Long text",
        "rating" => "Rating scale",
        "matrix" => "Grid of questions with the same answers",
        "ranking" => "Ranking",
        "date" => "Date",
        "consent" => "Consent (one tick box)",
        "statement" => "Statement (text only, no answer)",
        _ => "Unknown type",
    }
}

/// The question as type `to`: what every question has and what both types share are kept; what
/// `to` needs and lacks is added empty, for the author to fill in.
pub fn retyped(question: &Value, to: &str) -> Value {
    let from_keys = question.get("type").and_then(Value::as_str).and_then(type_keys).unwrap_or_default();
    let to_keys = type_keys(to).unwrap_or_default();
    let mut out = Map::new();
    if let Some(obj) = question.as_object() {
        for (k, v) in obj {
            let common = QUESTION_KEYS.contains(&k.as_str());
            let shared = to_keys.contains(&k.as_str()) && from_keys.contains(&k.as_str()) && !matches!(k.as_str(), "min" | "max");
            let known = QUESTION_KEYS.contains(&k.as_str()) || from_keys.contains(&k.as_str());
            // A key the format does not know is the author's; it stays.
            if common || shared || !known {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out.insert("type".into(), Value::String(to.to_owned()));
    let blank = |noun: &str, n: usize| -> Value {
        Value::Array((1..=n).map(|i| json!({"value": format!("{noun}-{i}"), "label": ""})).collect())
    };
    match to {
        "single_choice" | "multiple_choice" | "ranking" => {
            out.entry("options").or_insert_with(|| blank("option", 2));
        }
        "matrix" => {
            out.entry("rows").or_insert_with(|| blank("row", 2));
            out.entry("columns").or_insert_with(|| blank("column", 3));
        }
        "consent" => {
            out.entry("label").or_insert_with(|| Value::String(String::new()));
        }
        "statement" => {
            out.remove("required");
        }
        _ => {}
    }
    Value::Object(out)
}

#[derive(Properties, Clone)]
pub struct QuestionProps {
    /// The whole definition; the question is the part at `path`.
    pub doc: Rc<Value>,
    pub path: Path,
    pub n: usize,
    pub count: usize,
    /// The questions its condition may test.
    pub earlier: Earlier,
}

impl QuestionProps {
    fn value(&self) -> &Value {
        crate::doc::get(&self.doc, &self.path).unwrap_or(&Value::Null)
    }
}

impl PartialEq for QuestionProps {
    /// A question is drawn again only when it changes, or when the questions its condition can
    /// choose from do: typing in one question leaves the others alone. (Compared in place: no
    /// copy of any question is made to draw the form.)
    fn eq(&self, other: &Self) -> bool {
        let earlier_same = if self.value().get("visible_if").is_some() {
            self.earlier == other.earlier
        } else {
            self.earlier.is_empty() == other.earlier.is_empty()
        };
        self.path == other.path && self.n == other.n && self.count == other.count && earlier_same
            && (Rc::ptr_eq(&self.doc, &other.doc) || self.value() == other.value())
    }
}

#[function_component]
pub fn QuestionEditor(props: &QuestionProps) -> Html {
    let ctx = use_ctx();
    let q = props.value();
    let path = &props.path;
    let ty = q.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
    let str_of = |k: &str| q.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let what = format!("question {}", props.n + 1);
    let title = crate::earlier::words(q.get("title"), ctx.main_language());
    let on_type = {
        let (ctx, path, q) = (ctx.clone(), path.clone(), q.clone());
        Callback::from(move |e: Event| {
            let to = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            ctx.edit.emit(Edit::Set(path.clone(), retyped(&q, &to)));
        })
    };
    let type_id = path.key("type").dom_id();
    let type_error = ctx.problems.at(&path.key("type"));
    let type_error_shown = type_error.is_some();
    html! {
        <section class="question" id={path.dom_id()} tabindex="-1" aria-labelledby={format!("{}-heading", path.dom_id())}>
            <h4 id={format!("{}-heading", path.dom_id())}>
                { format!("Question {}", props.n + 1) }
                if !title.trim().is_empty() { <span class="muted">{ format!(": {}", title.trim()) }</span> }
            </h4>
            <div class={classes!("field", type_error.is_some().then_some("field-error"))}>
                <label for={type_id.clone()}>{ "Type" }</label>
                if let Some(message) = type_error {
                    <p class="error-message" id={format!("{type_id}-error")}><span class="visually-hidden">{ "Error: " }</span>{ message }</p>
                }
                <select id={type_id.clone()} onchange={on_type} aria-invalid={type_error_shown.then_some("true")}
                    aria-describedby={type_error_shown.then(|| format!("{type_id}-error"))}>
                    { for QUESTION_TYPES.iter().map(|(t, _)| html! {
                        <option value={*t} selected={*t == ty}>{ type_label(t) }</option>
                    }) }
                    if type_keys(&ty).is_none() {
                        <option value={ty.clone()} selected=true>{ format!("{ty} (not a type the format has)") }</option>
                    }
                </select>
            </div>
            <TranslatableField path={path.key("title")} label={if ty == "statement" { "Heading" } else { "Question" }}
                value={q.get("title").cloned()} optional={false} />
            <TranslatableField path={path.key("hint")} label="Hint (optional)"
                hint={AttrValue::from("Shown under the question, to help people answer")}
                value={q.get("hint").cloned()} multiline={ty == "statement"} />
            <TextField path={path.key("id")} label="Question id" value={str_of("id")} optional={false} narrow=true
                spellcheck={Some(false)} hint={AttrValue::from("Names the answers in exports: a-z, 0-9, _ and -. Change it before answers come in, not after.")} />
            if ty != "statement" {
                <CheckField path={path.key("required")} label="An answer is required"
                    checked={q.get("required").and_then(Value::as_bool).unwrap_or(false)} />
            }
            { type_fields(path, q, &ty) }
            <ConditionEditor path={path.key("visible_if")} value={q.get("visible_if").cloned()}
                earlier={props.earlier.clone()} what="question" />
            <Moves path={path.clone()} n={props.n} count={props.count} what={what} />
        </section>
    }
}

/// What a question of type `ty` has besides the common fields.
fn type_fields(path: &Path, q: &Value, ty: &str) -> Html {
    let str_of = |k: &str| q.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let bool_of = |k: &str| q.get(k).and_then(Value::as_bool).unwrap_or(false);
    let items = |k: &str| q.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
    let num = |k: &str| q.get(k).cloned();
    match ty {
        "single_choice" | "multiple_choice" => html! {
            <>
                <OptionsEditor path={path.key("options")} items={items("options")} noun="option" exclusive={ty == "multiple_choice"} />
                <OtherOption path={path.key("other")} value={q.get("other").cloned()} />
                <CheckField path={path.key("shuffle")} label="Shuffle the options for each person"
                    hint={AttrValue::from("“Other” and options that clear the others stay last")} checked={bool_of("shuffle")} />
                if ty == "single_choice" {
                    <SelectField path={path.key("display")} label="Show the options as" value={str_of("display")}
                        choices={vec![("radios".into(), "Radio buttons".into()), ("dropdown".into(), "A drop-down list".into())]} />
                } else {
                    <NumberField path={path.key("min_selected")} label="Tick at least (optional)" value={num("min_selected")} integer=true />
                    <NumberField path={path.key("max_selected")} label="Tick at most (optional)" value={num("max_selected")} integer=true />
                }
            </>
        },
        "text" => {
            let number = str_of("input") == "number";
            html! {
                <>
                    <SelectField path={path.key("input")} label="Kind of answer" value={str_of("input")}
                        hint={AttrValue::from("Decides the keyboard a phone shows and what is checked")}
                        choices={vec![("text".into(), "Text".into()), ("email".into(), "Email address".into()),
                            ("tel".into(), "Phone number".into()), ("number".into(), "Number".into()),
                            ("postcode".into(), "Postcode".into()), ("url".into(), "Web address".into())]} />
                    <NumberField path={path.key("min_length")} label="Fewest characters (optional)" value={num("min_length")} integer=true />
                    <NumberField path={path.key("max_length")} label="Most characters (optional)" value={num("max_length")} integer=true />
                    if number {
                        <NumberField path={path.key("min")} label="Lowest number (optional)" value={num("min")} />
                        <NumberField path={path.key("max")} label="Highest number (optional)" value={num("max")} />
                        <CheckField path={path.key("integer")} label="Whole numbers only" checked={bool_of("integer")} />
                    } else {
                        <TextField path={path.key("pattern")} label="Pattern (optional)" value={str_of("pattern")} spellcheck={Some(false)}
                            hint={AttrValue::from("A regular expression the whole answer must match, as in HTML’s pattern attribute")} />
                        <TranslatableField path={path.key("pattern_message")} label="What to say when the pattern does not match"
                            value={q.get("pattern_message").cloned()} />
                    }
                    <TextField path={path.key("autocomplete")} label="Autocomplete (optional)" value={str_of("autocomplete")} narrow=true
                        spellcheck={Some(false)} hint={AttrValue::from("An HTML autocomplete token such as postal-code; never on anonymous surveys")} />
                </>
            }
        }
        "long_text" => html! {
            <>
                <NumberField path={path.key("max_length")} label="Most characters (optional)" value={num("max_length")} integer=true />
                <NumberField path={path.key("rows")} label="Height of the box, in lines (optional)" value={num("rows")} integer=true />
            </>
        },
        "rating" => html! {
            <>
                <SelectField path={path.key("min")} label="Scale starts at" value={num("min").map(|v| v.to_string()).unwrap_or_default()}
                    choices={vec![("1".into(), "1".into()), ("0".into(), "0".into())]} numeric=true />
                <NumberField path={path.key("max")} label="Scale ends at (2 to 10; 5 if empty)" value={num("max")} integer=true />
                <TranslatableField path={path.key("min_label")} label="Label of the lowest (optional)" value={q.get("min_label").cloned()} />
                <TranslatableField path={path.key("max_label")} label="Label of the highest (optional)" value={q.get("max_label").cloned()} />
            </>
        },
        "matrix" => html! {
            <>
                <OptionsEditor path={path.key("rows")} items={items("rows")} noun="row" />
                <OptionsEditor path={path.key("columns")} items={items("columns")} noun="column" />
            </>
        },
        "ranking" => html! { <OptionsEditor path={path.key("options")} items={items("options")} noun="option" /> },
        "date" => html! {
            <>
                <TextField path={path.key("min")} label="Earliest date (optional)" value={str_of("min")} narrow=true
                    hint={AttrValue::from("For example, 2027-03-31")} />
                <TextField path={path.key("max")} label="Latest date (optional)" value={str_of("max")} narrow=true
                    hint={AttrValue::from("For example, 2027-03-31")} />
            </>
        },
        "consent" => html! {
            <TranslatableField path={path.key("label")} label="What the tick box says" value={q.get("label").cloned()} optional={false} />
        },
        _ => html! {},
    }
}

#[derive(Properties, PartialEq, Clone)]
struct OtherProps {
    path: Path,
    value: Option<Value>,
}

/// "Somewhere else", with a box to say where.
#[function_component]
fn OtherOption(props: &OtherProps) -> Html {
    let ctx = use_ctx();
    let on = props.value.is_some();
    let id = props.path.dom_id();
    let onchange = {
        let (ctx, path) = (ctx.clone(), props.path.clone());
        Callback::from(move |e: Event| {
            let ticked = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
            ctx.edit.emit(if ticked { Edit::Set(path.clone(), json!({"label": "Other"})) } else { Edit::Remove(path.clone()) });
        })
    };
    let value = props.value.clone().unwrap_or(Value::Null);
    html! {
        <div class="other">
            <div class="field check">
                <input type="checkbox" id={id.clone()} checked={on} {onchange} />
                <label for={id}>{ "Offer “Other”, with a box to say what" }</label>
            </div>
            if on {
                <TranslatableField path={props.path.key("label")} label="“Other” option: label" value={value.get("label").cloned()} optional={false} />
                <TranslatableField path={props.path.key("detail_label")} label="“Other” option: label of the box (optional)"
                    value={value.get("detail_label").cloned()} />
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_of_the_model_has_a_name() {
        for (t, _) in QUESTION_TYPES {
            assert_ne!(type_label(t), "Unknown type", "{t}");
        }
    }

    #[test]
    fn changing_type_keeps_what_still_applies_and_adds_what_is_needed() {
        let q = json!({"id": "q", "type": "single_choice", "title": "T", "required": true, "display": "dropdown",
            "options": [{"value": "a", "label": "A"}], "note": "mine"});
        let m = retyped(&q, "multiple_choice");
        assert_eq!(m, json!({"id": "q", "type": "multiple_choice", "title": "T", "required": true,
            "options": [{"value": "a", "label": "A"}], "note": "mine"}));
        let s = retyped(&m, "statement");
        assert_eq!(s, json!({"id": "q", "type": "statement", "title": "T", "note": "mine"}));
        let r = retyped(&json!({"id": "q", "type": "text", "title": "T", "input": "number", "min": 3}), "rating");
        assert_eq!(r, json!({"id": "q", "type": "rating", "title": "T"}));
        let g = retyped(&r, "matrix");
        assert_eq!(g["rows"].as_array().unwrap().len(), 2);
        assert_eq!(g["columns"].as_array().unwrap().len(), 3);
    }
}
