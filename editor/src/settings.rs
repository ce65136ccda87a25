//! What applies to the whole survey: its title and id, languages, privacy and anonymity, how it
//! flows, when it is open, hidden fields, and what people see at the end.

use crate::ctx::use_ctx;
use crate::doc::{get, get_array, get_str, Edit, Path};
use crate::fields::{CheckField, TextField, TranslatableField};
use crate::languages;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, Clone)]
pub struct SettingsProps {
    pub doc: Rc<Value>,
    /// Whether the id may still be chosen (a survey never published).
    pub new: bool,
}

impl PartialEq for SettingsProps {
    /// The survey's settings are everything but its pages: typing in a question leaves them
    /// alone. Compared in place, key by key.
    fn eq(&self, other: &Self) -> bool {
        if self.new != other.new {
            return false;
        }
        if Rc::ptr_eq(&self.doc, &other.doc) {
            return true;
        }
        let (Some(a), Some(b)) = (self.doc.as_object(), other.doc.as_object()) else { return self.doc == other.doc };
        a.len() == b.len() && a.iter().all(|(k, v)| k == "pages" || b.get(k) == Some(v))
    }
}

fn root() -> Path {
    Path::root()
}

/// The survey's opening sections, each with its own heading.
#[function_component]
pub fn Settings(props: &SettingsProps) -> Html {
    let doc = &props.doc;
    let text = |key: &str| get(doc, &root().key(key)).cloned();
    let flag = |key: &str| get(doc, &root().key(key)).and_then(Value::as_bool).unwrap_or(false);
    html! {
        <>
            <section aria-labelledby="about-heading">
                <h2 id="about-heading">{ "About the survey" }</h2>
                <TranslatableField path={root().key("title")} label="Title" value={text("title")} optional={false} />
                <TranslatableField path={root().key("description")} label="Introduction (optional)" multiline=true
                    hint={AttrValue::from("Shown above the questions. A blank line starts a new paragraph.")} value={text("description")} />
                if props.new {
                    <TextField path={root().key("id")} label="Survey id" narrow=true optional={false} spellcheck={Some(false)}
                        value={get_str(doc, &root().key("id")).to_owned()}
                        hint={AttrValue::from("Part of the survey's address, such as gp-access-2027: a-z, 0-9, _ and -. It cannot change once published.")} />
                } else {
                    <p class="field">{ "Survey id: " }<code>{ get_str(doc, &root().key("id")).to_owned() }</code>
                        <span class="muted">{ " (it cannot change once published)" }</span></p>
                }
                <TextField path={root().key("link")} label="The survey's own page (optional)" kind="url" spellcheck={Some(false)}
                    value={get_str(doc, &root().key("link")).to_owned()}
                    hint={AttrValue::from("A web address where the survey can be answered on its own, offered when it cannot be shown")} />
            </section>
            <LanguagesSection doc={doc.clone()} />
            <section aria-labelledby="privacy-heading">
                <h2 id="privacy-heading">{ "Privacy" }</h2>
                <CheckField path={root().key("anonymous")} label="Anonymous: nothing that could identify a person is kept"
                    hint={AttrValue::from("No reference number is shown, nothing is remembered on the device after sending, and no autocomplete is offered")}
                    checked={flag("anonymous")} />
                <TranslatableField path={root().key("privacy").key("notice")} label="Privacy notice (optional)" multiline=true
                    value={get(doc, &root().key("privacy").key("notice")).cloned()}
                    hint={AttrValue::from("Shown before the first question")} />
                <TextField path={root().key("privacy").key("url")} label="Link to the full privacy notice (optional)" kind="url"
                    spellcheck={Some(false)} value={get_str(doc, &root().key("privacy").key("url")).to_owned()} />
            </section>
            <section aria-labelledby="flow-heading">
                <h2 id="flow-heading">{ "How it flows" }</h2>
                <CheckField path={root().key("start_page")} label="Start with a page that introduces the survey" checked={flag("start_page")} />
                <CheckField path={root().key("one_question_per_page")} label="One question per page"
                    hint={AttrValue::from("Best on phones and for people who find long forms hard")} checked={flag("one_question_per_page")} />
                <CheckField path={root().key("review")} label="Let people check their answers before sending" checked={flag("review")} />
            </section>
            <section aria-labelledby="dates-heading">
                <h2 id="dates-heading">{ "When it is open" }</h2>
                <crate::when::WhenField path={root().key("opens_at")} label="Opens (optional)" value={get_str(doc, &root().key("opens_at")).to_owned()} />
                <crate::when::WhenField path={root().key("closes_at")} label="Closes (optional)" value={get_str(doc, &root().key("closes_at")).to_owned()} />
                <CheckField path={root().key("publish_results")} label="Publish a summary of the results on the surveys page once it has closed"
                    checked={flag("publish_results")} />
            </section>
            <HiddenFields items={get_array(doc, &root().key("hidden_fields")).to_vec()} />
        </>
    }
}

/// What people see once their answers are sent.
#[function_component]
pub fn CompletionSection(props: &SettingsProps) -> Html {
    let doc = &props.doc;
    let c = root().key("completion");
    html! {
        <section aria-labelledby="completion-heading">
            <h2 id="completion-heading">{ "After sending" }</h2>
            <TranslatableField path={c.key("title")} label="Heading (optional)" value={get(doc, &c.key("title")).cloned()}
                hint={AttrValue::from("“Thank you” if empty")} />
            <TranslatableField path={c.key("message")} label="Message (optional)" multiline=true value={get(doc, &c.key("message")).cloned()} />
            <TextField path={c.key("share").key("url")} label="A link to invite people to share (optional)" kind="url"
                spellcheck={Some(false)} value={get_str(doc, &c.key("share").key("url")).to_owned()} />
            if get(doc, &c.key("share").key("url")).is_some() {
                <TranslatableField path={c.key("share").key("text")} label="What the shared link says (optional)"
                    value={get(doc, &c.key("share").key("text")).cloned()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct DocProps {
    doc: Rc<Value>,
}

/// The main language and the translations.
#[function_component]
fn LanguagesSection(props: &DocProps) -> Html {
    let ctx = use_ctx();
    let main = ctx.main_language().to_owned();
    let others: Vec<String> = ctx.languages.iter().skip(1).cloned().collect();
    let choice = use_state(String::new);
    let add_id = "ed-add-language";
    let add = {
        let (ctx, doc, choice, main) = (ctx.clone(), props.doc.clone(), choice.clone(), main.clone());
        Callback::from(move |_| {
            let tag = (*choice).trim().to_owned();
            if tag.is_empty() || tag == main {
                return;
            }
            let mut langs: Vec<Value> = get_array(&doc, &root().key("languages")).to_vec();
            if langs.is_empty() {
                langs.push(Value::String(main.clone()));
            }
            if !langs.iter().any(|l| l.as_str() == Some(tag.as_str())) {
                langs.push(Value::String(tag));
            }
            ctx.edit.emit(Edit::Set(root().key("languages"), Value::Array(langs)));
            choice.set(String::new());
        })
    };
    let on_choice = {
        let choice = choice.clone();
        Callback::from(move |e: Event| choice.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
    };
    let on_main = {
        let (ctx, doc) = (ctx.clone(), props.doc.clone());
        Callback::from(move |e: Event| {
            let tag = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            ctx.edit.emit(Edit::Set(root().key("default_language"), Value::String(tag.clone())));
            let mut langs: Vec<Value> = get_array(&doc, &root().key("languages")).to_vec();
            if !langs.is_empty() && !langs.iter().any(|l| l.as_str() == Some(tag.as_str())) {
                langs.insert(0, Value::String(tag));
                ctx.edit.emit(Edit::Set(root().key("languages"), Value::Array(langs)));
            }
        })
    };
    let remove = |tag: String| {
        let (ctx, doc) = (ctx.clone(), props.doc.clone());
        Callback::from(move |_| {
            let langs: Vec<Value> =
                get_array(&doc, &root().key("languages")).iter().filter(|l| l.as_str() != Some(tag.as_str())).cloned().collect();
            ctx.edit.emit(if langs.len() <= 1 {
                Edit::Remove(root().key("languages"))
            } else {
                Edit::Set(root().key("languages"), Value::Array(langs))
            });
        })
    };
    let main_known = languages::KNOWN.iter().any(|(t, _, _)| *t == main);
    let main_error = ctx.problems.at(&root().key("default_language"));
    let main_invalid = main_error.is_some();
    let list_error = ctx.problems.at(&root().key("languages"));
    html! {
        <section aria-labelledby="languages-heading" id={root().key("languages").dom_id()} tabindex="-1">
            <h2 id="languages-heading">{ "Languages" }</h2>
            <div class={classes!("field", main_error.is_some().then_some("field-error"))}>
                <label for={root().key("default_language").dom_id()}>{ "Main language" }</label>
                if let Some(m) = main_error { <p class="error-message" id="ed-default_language-error"><span class="visually-hidden">{ "Error: " }</span>{ m }</p> }
                <select id={root().key("default_language").dom_id()} onchange={on_main} aria-invalid={main_invalid.then_some("true")}
                    aria-describedby={main_invalid.then_some("ed-default_language-error")}>
                    { for languages::KNOWN.iter().map(|(t, _, _)| html! {
                        <option value={*t} selected={*t == main} lang={*t}>{ languages::label(t) }</option>
                    }) }
                    if !main_known { <option value={main.clone()} selected=true>{ main.clone() }</option> }
                </select>
            </div>
            if let Some(m) = list_error { <p class="error-message"><span class="visually-hidden">{ "Error: " }</span>{ m }</p> }
            if !others.is_empty() {
                <h3>{ "Translations" }</h3>
                <ul class="language-list">
                    { for others.iter().map(|tag| html! {
                        <li><span lang={tag.clone()}>{ languages::label(tag) }</span>{ " " }
                            <button type="button" class="secondary small" onclick={remove(tag.clone())}>
                                { "Remove" }<span class="visually-hidden">{ format!(" {}", languages::label(tag)) }</span>
                            </button></li>
                    }) }
                </ul>
                <p class="hint">{ "Each text now has a box per language, side by side. A translation left empty shows the main language's words." }</p>
            }
            <div class="field add-language">
                <label for={add_id}>{ "Add a translation" }</label>
                <select id={add_id} onchange={on_choice}>
                    <option value="" selected={choice.is_empty()}>{ "Choose a language" }</option>
                    { for languages::KNOWN.iter().filter(|(t, _, _)| *t != main && !others.iter().any(|o| o == t)).map(|(t, _, _)| html! {
                        <option value={*t} selected={*choice == *t} lang={*t}>{ languages::label(t) }</option>
                    }) }
                </select>
                <button type="button" class="secondary" onclick={add}>{ "Add the language" }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct HiddenProps {
    items: Vec<Value>,
}

/// Names of values the page passes in (a campaign, a channel), kept with each response.
#[function_component]
fn HiddenFields(props: &HiddenProps) -> Html {
    let ctx = use_ctx();
    let list = root().key("hidden_fields");
    let add = {
        let (ctx, list, n) = (ctx.clone(), list.clone(), props.items.len());
        Callback::from(move |_| {
            ctx.edit.emit(Edit::Insert(list.index(n), Value::String(String::new())));
            crate::focus::later(list.index(n).dom_id());
        })
    };
    html! {
        <section aria-labelledby="hidden-heading" id={list.dom_id()} tabindex="-1">
            <h2 id="hidden-heading">{ "Hidden fields" }</h2>
            <p class="hint">{ "Values the page that shows the survey passes in, such as a campaign, kept with each response. “channel” says where people came from and is counted in the results." }</p>
            { for props.items.iter().enumerate().map(|(i, v)| {
                let remove = {
                    let (ctx, p) = (ctx.clone(), list.index(i));
                    Callback::from(move |_| ctx.edit.emit(Edit::Remove(p.clone())))
                };
                html! {
                    <div class="inline-row">
                        <TextField path={list.index(i)} label={format!("Hidden field {}", i + 1)} narrow=true optional={false}
                            spellcheck={Some(false)} value={v.as_str().unwrap_or("").to_owned()} />
                        <button type="button" class="secondary small" onclick={remove}>
                            { "Remove" }<span class="visually-hidden">{ format!(" hidden field {}", i + 1) }</span>
                        </button>
                    </div>
                }
            }) }
            <button type="button" class="secondary" onclick={add}>{ "Add a hidden field" }</button>
        </section>
    }
}
