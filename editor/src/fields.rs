//! The form fields, each bound to one place in the definition. A field reads its value from
//! its props and sends every change as an [`Edit`]; it shows the model's problem with that
//! place beside it (GOV.UK's error message pattern), tied to the input by `aria-describedby`.

use crate::ctx::{use_ctx, Ctx};
use crate::doc::{Edit, Path};
use crate::languages;
use serde_json::{Map, Value};
use yew::prelude::*;

/// The hint and error lines of a field, and the ids that tie them to its input.
struct Described {
    ids: Option<String>,
    hint: Html,
    error: Html,
    has_error: bool,
}

fn described(base: &str, hint: Option<&AttrValue>, error: Option<String>) -> Described {
    let mut ids = Vec::new();
    let hint = match hint {
        Some(h) => {
            let id = format!("{base}-hint");
            ids.push(id.clone());
            html! { <p class="hint" id={id}>{ h.clone() }</p> }
        }
        None => html! {},
    };
    let has_error = error.is_some();
    let error = match error {
        Some(message) => {
            let id = format!("{base}-error");
            ids.push(id.clone());
            html! { <p class="error-message" id={id}><span class="visually-hidden">{ "Error: " }</span>{ message }</p> }
        }
        None => html! {},
    };
    Described { ids: (!ids.is_empty()).then(|| ids.join(" ")), hint, error, has_error }
}

fn field_class(has_error: bool) -> Classes {
    classes!("field", has_error.then_some("field-error"))
}

fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
}

fn textarea_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()
}

/// A string, or the key taken out when the field is emptied and the key is optional.
fn set_or_remove(ctx: &Ctx, path: &Path, text: String, optional: bool) {
    if optional && text.is_empty() {
        ctx.typed.emit(Edit::Remove(path.clone()));
    } else {
        ctx.typed.emit(Edit::Set(path.clone(), Value::String(text)));
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct TextProps {
    pub path: Path,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub value: String,
    /// An empty field takes the key out of the definition.
    #[prop_or(true)]
    pub optional: bool,
    /// The input's `type`: `text`, `url`, `date`, `datetime-local`.
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub multiline: bool,
    /// A narrow input, for ids and short numbers.
    #[prop_or_default]
    pub narrow: bool,
    #[prop_or_default]
    pub lang: Option<AttrValue>,
    #[prop_or_default]
    pub spellcheck: Option<bool>,
}

/// One line (or a few) of text bound to `path`.
#[function_component]
pub fn TextField(props: &TextProps) -> Html {
    let ctx = use_ctx();
    let id = props.path.dom_id();
    let d = described(&id, props.hint.as_ref(), ctx.problems.at(&props.path));
    let dir = props.lang.as_deref().filter(|l| languages::is_rtl(l)).map(|_| "rtl");
    let spellcheck = props.spellcheck.map(|s| if s { "true" } else { "false" });
    let control = if props.multiline {
        let oninput = {
            let (ctx, path, optional) = (ctx.clone(), props.path.clone(), props.optional);
            Callback::from(move |e: InputEvent| set_or_remove(&ctx, &path, textarea_value(&e), optional))
        };
        html! {
            <textarea id={id.clone()} rows="3" value={props.value.clone()} {oninput}
                aria-describedby={d.ids.clone()} aria-invalid={d.has_error.then_some("true")}
                lang={props.lang.clone()} dir={dir} spellcheck={spellcheck} />
        }
    } else {
        let oninput = {
            let (ctx, path, optional) = (ctx.clone(), props.path.clone(), props.optional);
            Callback::from(move |e: InputEvent| set_or_remove(&ctx, &path, input_value(&e), optional))
        };
        html! {
            <input id={id.clone()} type={props.kind.clone()} value={props.value.clone()} {oninput}
                class={classes!(props.narrow.then_some("narrow"))}
                aria-describedby={d.ids.clone()} aria-invalid={d.has_error.then_some("true")}
                lang={props.lang.clone()} dir={dir} spellcheck={spellcheck} />
        }
    };
    html! {
        <div class={field_class(d.has_error)}>
            <label for={id}>{ props.label.clone() }</label>
            { d.hint }
            { d.error }
            { control }
        </div>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct NumberProps {
    pub path: Path,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// What the definition has there: a number, or text the author is still typing.
    #[prop_or_default]
    pub value: Option<Value>,
    #[prop_or_default]
    pub integer: bool,
}

/// A number bound to `path`: a text input with a numeric keyboard (GOV.UK's advice), so what
/// cannot be read as a number is kept as typed and the model says what is wrong with it.
#[function_component]
pub fn NumberField(props: &NumberProps) -> Html {
    let ctx = use_ctx();
    let id = props.path.dom_id();
    let d = described(&id, props.hint.as_ref(), ctx.problems.at(&props.path));
    let shown = match &props.value {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let oninput = {
        let (ctx, path) = (ctx.clone(), props.path.clone());
        Callback::from(move |e: InputEvent| {
            let typed = input_value(&e);
            let trimmed = typed.trim();
            let edit = if trimmed.is_empty() {
                Edit::Remove(path.clone())
            } else if let Some(n) = number(trimmed) {
                Edit::Set(path.clone(), n)
            } else {
                Edit::Set(path.clone(), Value::String(typed))
            };
            ctx.typed.emit(edit);
        })
    };
    html! {
        <div class={field_class(d.has_error)}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            { d.hint }
            { d.error }
            <input id={id} type="text" class="narrow" value={shown} {oninput} spellcheck="false"
                inputmode={if props.integer { "numeric" } else { "decimal" }}
                aria-describedby={d.ids} aria-invalid={d.has_error.then_some("true")} />
        </div>
    }
}

/// `"12"` as the JSON number 12 (a whole number stays whole), `"1.5"` as 1.5.
pub(crate) fn number(s: &str) -> Option<Value> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(Value::from(i));
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite()).map(Value::from)
}

#[derive(Properties, PartialEq, Clone)]
pub struct CheckProps {
    pub path: Path,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    pub checked: bool,
}

/// A yes/no setting: `true` when ticked, the key taken out when not (every flag's default).
#[function_component]
pub fn CheckField(props: &CheckProps) -> Html {
    let ctx = use_ctx();
    let id = props.path.dom_id();
    let d = described(&id, props.hint.as_ref(), ctx.problems.at(&props.path));
    let onchange = {
        let (ctx, path) = (ctx.clone(), props.path.clone());
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
            ctx.edit.emit(if on { Edit::Set(path.clone(), Value::Bool(true)) } else { Edit::Remove(path.clone()) });
        })
    };
    html! {
        <div class={classes!(field_class(d.has_error), "check")}>
            { d.error }
            <input id={id.clone()} type="checkbox" checked={props.checked} {onchange}
                aria-describedby={d.ids} aria-invalid={d.has_error.then_some("true")} />
            <label for={id}>{ props.label.clone() }</label>
            { d.hint }
        </div>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct SelectProps {
    pub path: Path,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// `(value, label)`; the first is the default, written by taking the key out.
    pub choices: Vec<(AttrValue, AttrValue)>,
    pub value: String,
    /// Values are written as JSON numbers.
    #[prop_or_default]
    pub numeric: bool,
}

/// One of a few named values, such as a question's type or a text input's kind.
#[function_component]
pub fn SelectField(props: &SelectProps) -> Html {
    let ctx = use_ctx();
    let id = props.path.dom_id();
    let d = described(&id, props.hint.as_ref(), ctx.problems.at(&props.path));
    let onchange = {
        let (ctx, path) = (ctx.clone(), props.path.clone());
        let default = props.choices.first().map(|(v, _)| v.to_string()).unwrap_or_default();
        let numeric = props.numeric;
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            let value = match number(&v) {
                Some(n) if numeric => n,
                _ => Value::String(v.clone()),
            };
            ctx.edit.emit(if v == default { Edit::Remove(path.clone()) } else { Edit::Set(path.clone(), value) });
        })
    };
    let known = props.choices.iter().any(|(v, _)| *v == props.value);
    html! {
        <div class={field_class(d.has_error)}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            { d.hint }
            { d.error }
            <select id={id} {onchange} aria-describedby={d.ids} aria-invalid={d.has_error.then_some("true")}>
                { for props.choices.iter().map(|(v, l)| html! {
                    <option value={v.clone()} selected={*v == props.value}>{ l.clone() }</option>
                }) }
                // A value the editor has no name for (from an uploaded file) stays chosen, so the
                // model can say what is wrong with it.
                if !known && !props.value.is_empty() {
                    <option value={props.value.clone()} selected=true>{ props.value.clone() }</option>
                }
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct TranslatableProps {
    pub path: Path,
    pub label: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// The text as the definition has it: a string, a map of language to string, or nothing.
    #[prop_or_default]
    pub value: Option<Value>,
    #[prop_or(true)]
    pub optional: bool,
    #[prop_or_default]
    pub multiline: bool,
}

/// A text in every language of the survey. With one language, one field; with several, one per
/// language side by side (the main language first), each with its own `lang`, in a fieldset
/// named by the label. A translation left empty is taken out, so the main language shows.
#[function_component]
pub fn TranslatableField(props: &TranslatableProps) -> Html {
    let ctx = use_ctx();
    let languages = ctx.languages.clone();
    if languages.len() <= 1 && !matches!(props.value, Some(Value::Object(_))) {
        let value = props.value.as_ref().and_then(Value::as_str).unwrap_or("").to_owned();
        return html! {
            <TextField path={props.path.clone()} label={props.label.clone()} hint={props.hint.clone()}
                value={value} optional={props.optional} multiline={props.multiline}
                lang={languages.first().cloned().map(AttrValue::from)} />
        };
    }
    let id = props.path.dom_id();
    let d = described(&id, props.hint.as_ref(), ctx.problems.at(&props.path));
    let main = ctx.main_language().to_owned();
    let words = |lang: &str| -> String {
        match &props.value {
            Some(Value::String(s)) if lang == main => s.clone(),
            Some(Value::Object(m)) => m.get(lang).and_then(Value::as_str).unwrap_or("").to_owned(),
            _ => String::new(),
        }
    };
    // Languages the text has that the survey no longer lists are shown too, so nothing hides.
    let mut shown: Vec<String> = languages.iter().cloned().collect();
    if let Some(Value::Object(m)) = &props.value {
        shown.extend(m.keys().filter(|k| !languages.contains(k)).cloned());
    }
    html! {
        <fieldset class={classes!(field_class(d.has_error), "translations")} id={id.clone()} tabindex="-1"
            aria-describedby={d.ids.clone()}>
            <legend>{ props.label.clone() }</legend>
            { d.hint }
            { d.error }
            <div class="side-by-side">
                { for shown.iter().map(|lang| {
                    let path = props.path.key(lang);
                    let onedit = {
                        let (ctx, whole, value, lang, optional) =
                            (ctx.clone(), props.path.clone(), props.value.clone(), lang.clone(), props.optional);
                        let main = main.clone();
                        Callback::from(move |text: String| {
                            ctx.typed.emit(translated(&whole, value.as_ref(), &main, &lang, text, optional));
                        })
                    };
                    html! {
                        <LanguageInput path={path} lang={lang.clone()} value={words(lang)}
                            multiline={props.multiline} {onedit} />
                    }
                }) }
            </div>
        </fieldset>
    }
}

/// The edit that writes `text` as the `lang` words of the text at `path`.
fn translated(path: &Path, value: Option<&Value>, main: &str, lang: &str, text: String, optional: bool) -> Edit {
    let mut map = match value {
        Some(Value::Object(m)) => m.clone(),
        Some(Value::String(s)) if !s.is_empty() => Map::from_iter([(main.to_owned(), Value::String(s.clone()))]),
        _ => Map::new(),
    };
    if text.is_empty() {
        map.remove(lang);
    } else {
        map.insert(lang.to_owned(), Value::String(text));
    }
    if map.is_empty() {
        return if optional { Edit::Remove(path.clone()) } else { Edit::Set(path.clone(), Value::String(String::new())) };
    }
    Edit::Set(path.clone(), Value::Object(map))
}

#[derive(Properties, PartialEq, Clone)]
struct LanguageInputProps {
    path: Path,
    lang: String,
    value: String,
    multiline: bool,
    onedit: Callback<String>,
}

/// One language's words of a translated text.
#[function_component]
fn LanguageInput(props: &LanguageInputProps) -> Html {
    let ctx = use_ctx();
    let id = props.path.dom_id();
    let d = described(&id, None, ctx.problems.at(&props.path));
    let dir = languages::is_rtl(&props.lang).then_some("rtl");
    let control = if props.multiline {
        let onedit = props.onedit.clone();
        html! {
            <textarea id={id.clone()} rows="3" lang={props.lang.clone()} dir={dir} value={props.value.clone()}
                aria-describedby={d.ids.clone()} aria-invalid={d.has_error.then_some("true")}
                oninput={Callback::from(move |e: InputEvent| onedit.emit(textarea_value(&e)))} />
        }
    } else {
        let onedit = props.onedit.clone();
        html! {
            <input id={id.clone()} type="text" lang={props.lang.clone()} dir={dir} value={props.value.clone()}
                aria-describedby={d.ids.clone()} aria-invalid={d.has_error.then_some("true")}
                oninput={Callback::from(move |e: InputEvent| onedit.emit(input_value(&e)))} />
        }
    };
    html! {
        <div class={field_class(d.has_error)}>
            <label for={id}>{ languages::label(&props.lang) }</label>
            { d.error }
            { control }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_translation_turns_a_plain_text_into_a_map_and_an_empty_one_is_taken_out() {
        let p = Path::root().key("title");
        let e = translated(&p, Some(&json!("Your visit")), "en", "cy", "Eich ymweliad".into(), false);
        assert_eq!(e, Edit::Set(p.clone(), json!({"en": "Your visit", "cy": "Eich ymweliad"})));
        let e = translated(&p, Some(&json!({"en": "Your visit", "cy": "X"})), "en", "cy", String::new(), false);
        assert_eq!(e, Edit::Set(p.clone(), json!({"en": "Your visit"})));
        assert_eq!(translated(&p, None, "en", "en", String::new(), true), Edit::Remove(p.clone()));
        assert_eq!(translated(&p, None, "en", "en", String::new(), false), Edit::Set(p, json!("")));
    }

    #[test]
    fn numbers_stay_whole_when_typed_whole() {
        assert_eq!(number("12"), Some(json!(12)));
        assert_eq!(number("1.5"), Some(json!(1.5)));
        assert_eq!(number("1e999"), None);
        assert_eq!(number("twelve"), None);
    }
}
