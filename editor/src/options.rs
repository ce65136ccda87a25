//! A list of options (or a matrix's rows or columns): each with its label in every language,
//! its value (what the answers record), and for multiple choice whether it clears the others.

use crate::ctx::use_ctx;
use crate::doc::{Edit, Path};
use crate::fields::{CheckField, TextField, TranslatableField};
use serde_json::{json, Value};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct OptionsProps {
    /// Where the array is.
    pub path: Path,
    pub items: Vec<Value>,
    /// "option", "row" or "column".
    pub noun: AttrValue,
    /// Whether an option may clear the others (multiple choice).
    #[prop_or_default]
    pub exclusive: bool,
}

/// The options, in order, with buttons to add, move and remove them.
#[function_component]
pub fn OptionsEditor(props: &OptionsProps) -> Html {
    let ctx = use_ctx();
    let noun = props.noun.to_string();
    let nouns = format!("{noun}s");
    let count = props.items.len();
    let add = {
        let (ctx, path, items, noun) = (ctx.clone(), props.path.clone(), props.items.clone(), noun.clone());
        Callback::from(move |_| {
            let value = free_value(&items, &noun);
            ctx.edit.emit(Edit::Insert(path.index(items.len()), json!({"value": value, "label": ""})));
            crate::focus::later(path.index(items.len()).key("label").dom_id());
        })
    };
    let error = ctx.problems.at(&props.path);
    html! {
        <fieldset class={classes!("options", error.is_some().then_some("field-error"))} id={props.path.dom_id()} tabindex="-1"
            aria-describedby={error.is_some().then(|| format!("{}-error", props.path.dom_id()))}>
            <legend>{ capitalised(&nouns) }</legend>
            if let Some(message) = error {
                <p class="error-message" id={format!("{}-error", props.path.dom_id())}><span class="visually-hidden">{ "Error: " }</span>{ message }</p>
            }
            <ol class="option-list">
                { for props.items.iter().enumerate().map(|(i, item)| html! {
                    <li><OptionRow path={props.path.index(i)} item={item.clone()} n={i} count={count}
                        noun={props.noun.clone()} exclusive={props.exclusive} /></li>
                }) }
            </ol>
            <button type="button" class="secondary" onclick={add}>{ format!("Add {}", an(&noun)) }</button>
        </fieldset>
    }
}

fn an(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { format!("an {noun}") } else { format!("a {noun}") }
}

pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// `option-3`: a value no item has yet.
fn free_value(items: &[Value], noun: &str) -> String {
    let taken = |v: &str| items.iter().any(|i| i.get("value").and_then(Value::as_str) == Some(v));
    (items.len() + 1..).map(|n| format!("{noun}-{n}")).find(|v| !taken(v)).unwrap_or_default()
}

#[derive(Properties, PartialEq, Clone)]
struct RowProps {
    path: Path,
    item: Value,
    n: usize,
    count: usize,
    noun: AttrValue,
    exclusive: bool,
}

#[function_component]
fn OptionRow(props: &RowProps) -> Html {
    let what = format!("{} {}", props.noun, props.n + 1);
    let item = &props.item;
    html! {
        <div class="option-row" role="group" aria-label={capitalised(&what)} id={props.path.dom_id()} tabindex="-1">
            <TranslatableField path={props.path.key("label")} label={format!("{}: label", capitalised(&what))}
                value={item.get("label").cloned()} optional={false} />
            <TextField path={props.path.key("value")} label={format!("{}: value", capitalised(&what))}
                hint={AttrValue::from("What the answers record: a-z, 0-9, _ and -")}
                value={item.get("value").and_then(Value::as_str).unwrap_or("").to_owned()}
                optional={false} narrow=true spellcheck={Some(false)} />
            if props.exclusive {
                <CheckField path={props.path.key("exclusive")} label={format!("Ticking {what} clears the others (\u{201c}None of these\u{201d})")}
                    checked={item.get("exclusive").and_then(Value::as_bool).unwrap_or(false)} />
            }
            <crate::moves::Moves path={props.path.clone()} n={props.n} count={props.count} what={what} />
        </div>
    }
}
