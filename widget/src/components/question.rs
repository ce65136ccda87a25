//! One question, rendered with the markup the GOV.UK Design System uses for its type: fieldset
//! and legend for groups, label for single fields, hint and error tied by `aria-describedby`.

use super::{ids, Shared};
use crate::i18n::{self, Words};
use gloo_timers::callback::Timeout;
use std::collections::BTreeMap;
use survey_model::{
    Answer, ChoiceDisplay, ChoiceOption, DateParts, InputKind, OtherOption, Question, QuestionKind, Survey, Text,
};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// A question of a survey, by position: cheap to compare and to clone.
#[derive(Clone)]
pub struct QuestionRef {
    pub survey: Shared<Survey>,
    pub page: usize,
    pub index: usize,
}

impl PartialEq for QuestionRef {
    /// The same survey: equal by position, in O(1). A new definition in place (a preview
    /// following its author, `handle.update()`): equal when what the view reads is, the
    /// question itself and the survey's main language, so an edit to one question draws that
    /// question again, not the whole page.
    fn eq(&self, other: &Self) -> bool {
        if self.page != other.page || self.index != other.index {
            return false;
        }
        self.survey == other.survey
            || (self.survey.0.default_language == other.survey.0.default_language && self.get() == other.get())
    }
}

impl QuestionRef {
    pub fn get(&self) -> Option<&Question> {
        self.survey.pages.get(self.page)?.questions.get(self.index)
    }
}

/// The id of the control an error summary link focuses: the first radio, checkbox or date part.
pub fn first_control_id(prefix: &str, q: &Question) -> String {
    let base = format!("{prefix}-{}", q.id);
    match &q.kind {
        QuestionKind::SingleChoice { display: ChoiceDisplay::Radios, .. }
        | QuestionKind::MultipleChoice { .. }
        | QuestionKind::Rating { .. }
        | QuestionKind::Ranking { .. }
        | QuestionKind::Consent { .. } => format!("{base}-0"),
        QuestionKind::Matrix { .. } => format!("{base}-0-0"),
        QuestionKind::Date { .. } => format!("{base}-day"),
        _ => base,
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct QuestionViewProps {
    pub question: QuestionRef,
    pub answer: Option<Answer>,
    pub other_text: AttrValue,
    /// The worded error, if the question has one.
    pub error: Option<AttrValue>,
    pub lang: AttrValue,
    /// The widget's words in `lang`, with the host's overrides.
    pub words: Shared<Words>,
    /// Orders shuffled options, stable for one respondent.
    pub seed: u64,
    pub prefix: AttrValue,
    pub heading_level: u8,
    pub onanswer: Callback<(String, Option<Answer>)>,
    pub onothertext: Callback<(String, String)>,
}

/// Everything a type's renderer needs, resolved once.
struct View<'a> {
    q: &'a Question,
    p: &'a QuestionViewProps,
    base: String,
    lang: &'a str,
    fallback: &'a str,
}

impl View<'_> {
    fn t<'t>(&self, text: &'t Text) -> &'t str {
        text.get(self.lang, self.fallback)
    }
    fn hint_id(&self) -> Option<String> {
        self.q.hint.as_ref().map(|_| format!("{}-hint", self.base))
    }
    fn error_id(&self) -> Option<String> {
        self.p.error.as_ref().map(|_| format!("{}-error", self.base))
    }
    fn described_by(&self, extra: Option<String>) -> Option<String> {
        ids(&[self.hint_id(), self.error_id(), extra])
    }
    fn words(&self) -> &Words {
        &self.p.words
    }
    fn title(&self) -> Html {
        let optional = (!self.q.required && self.q.kind.takes_answer()).then(|| {
            html! { <span class="sw-optional">{ " " }{ self.words().optional.clone() }</span> }
        });
        html! { <>{ self.t(&self.q.title) }{ optional }</> }
    }
    fn hint(&self) -> Html {
        match (&self.q.hint, self.hint_id()) {
            (Some(hint), Some(id)) => html! {
                <div class="sw-hint" {id}>{ paragraphs(hint.paragraphs(self.lang, self.fallback)) }</div>
            },
            _ => Html::default(),
        }
    }
    fn error(&self) -> Html {
        match (&self.p.error, self.error_id()) {
            (Some(msg), Some(id)) => html! {
                <p class="sw-error-message" {id}>
                    <span class="sw-visually-hidden">{ self.words().error_prefix.clone() }{ " " }</span>{ msg }
                </p>
            },
            _ => Html::default(),
        }
    }
    /// A fieldset with legend, hint and error around `body` (GOV.UK's pattern for groups).
    fn fieldset(&self, body: Html, role_group: bool) -> Html {
        html! {
            <fieldset class="sw-fieldset" aria-describedby={self.described_by(None)}
                      role={role_group.then_some("group")}>
                <legend class="sw-legend">{ self.title() }</legend>
                { self.hint() }
                { self.error() }
                { body }
            </fieldset>
        }
    }
    /// A label with hint and error above one control.
    fn labelled(&self, control: Html, extra_hint: Html) -> Html {
        html! {
            <>
                <label class="sw-label" for={self.base.clone()}>{ self.title() }</label>
                { self.hint() }
                { extra_hint }
                { self.error() }
                { control }
            </>
        }
    }
}

fn paragraphs(ps: Vec<&str>) -> Html {
    html! { <>{ for ps.into_iter().map(|p| html! { <p>{ p }</p> }) }</> }
}

#[component]
pub fn QuestionView(props: &QuestionViewProps) -> Html {
    let Some(q) = props.question.get() else { return Html::default() };
    let survey = &props.question.survey;
    let v = View {
        q,
        p: props,
        base: format!("{}-{}", props.prefix, q.id),
        lang: &props.lang,
        fallback: &survey.default_language,
    };
    let body = match &q.kind {
        QuestionKind::SingleChoice { options, other, display: ChoiceDisplay::Radios, .. } => {
            v.fieldset(choices(&v, options, other.as_ref(), false), false)
        }
        QuestionKind::SingleChoice { options, other, display: ChoiceDisplay::Dropdown, .. } => {
            dropdown(&v, options, other.as_ref())
        }
        QuestionKind::MultipleChoice { options, other, .. } => {
            v.fieldset(choices(&v, options, other.as_ref(), true), false)
        }
        QuestionKind::Text { input, autocomplete, integer, .. } => {
            text_input(&v, *input, autocomplete.as_deref(), *integer)
        }
        QuestionKind::LongText { max_length, rows } => {
            html! { <LongText id={v.base.clone()} label={v.title()} hint={v.hint()} error={v.error()}
                        hint_id={v.hint_id()} error_id={v.error_id()} words={props.words.clone()}
                        max_length={*max_length} rows={rows.unwrap_or(5)}
                        value={match &props.answer { Some(Answer::Text(s)) => AttrValue::from(s.clone()), _ => AttrValue::default() }}
                        invalid={props.error.is_some()}
                        oninput={{
                            let on = props.onanswer.clone();
                            let id = q.id.clone();
                            Callback::from(move |s: String| on.emit((id.clone(), Some(Answer::Text(s)))))
                        }} /> }
        }
        QuestionKind::Rating { min, max, min_label, max_label } => {
            v.fieldset(rating(&v, *min, *max, min_label.as_ref(), max_label.as_ref()), false)
        }
        QuestionKind::Matrix { rows, columns } => matrix(&v, rows, columns),
        QuestionKind::Ranking { options } => v.fieldset(ranking(&v, options), false),
        QuestionKind::Date { .. } => v.fieldset(date(&v), true),
        QuestionKind::Consent { label } => v.fieldset(consent(&v, label), false),
        QuestionKind::Statement => {
            // `heading_level` is the page title's level: a statement's heading sits one below
            // it (skipping a level breaks the outline screen reader users navigate by).
            let level = (props.heading_level + 1).min(6);
            return html! {
                <div class="sw-statement">
                    <@{format!("h{level}")} class="sw-statement__title">{ v.t(&q.title) }</@>
                    { q.hint.as_ref().map(|h| paragraphs(h.paragraphs(v.lang, v.fallback))).unwrap_or_default() }
                </div>
            };
        }
    };
    html! {
        <div class={classes!("sw-question", props.error.is_some().then_some("sw-question--error"))}
             data-question={q.id.clone()}>
            { body }
        </div>
    }
}

/// Radios or checkboxes, with the "other" option and its detail box, and the "or" divider before
/// an exclusive option.
fn choices(v: &View, options: &[ChoiceOption], other: Option<&OtherOption>, multiple: bool) -> Html {
    let selected: Vec<String> = match &v.p.answer {
        Some(Answer::Choice(c)) => vec![c.clone()],
        Some(Answer::Choices(cs)) => cs.clone(),
        _ => Vec::new(),
    };
    let kind = if multiple { "checkbox" } else { "radio" };
    let name = v.base.clone();
    let exclusive: Vec<String> = options.iter().filter(|o| o.exclusive).map(|o| o.value.clone()).collect();
    // Shuffled per respondent if the definition asks; exclusive options stay last either way.
    let mut items: Vec<(String, &Text, Option<&Text>, bool)> = v
        .q
        .option_order(v.p.seed)
        .into_iter()
        .filter_map(|i| options.get(i))
        .map(|o| (o.value.clone(), &o.label, o.hint.as_ref(), o.exclusive))
        .collect();
    if let Some(o) = other {
        // "Other" goes before an exclusive "None of these", which always stays last.
        let at = items.iter().position(|i| i.3).unwrap_or(items.len());
        items.insert(at, ("other".to_owned(), &o.label, None, false));
    }
    let rendered = items.iter().enumerate().map(|(i, (value, label, hint, is_exclusive))| {
        let id = format!("{}-{i}", v.base);
        let hint_id = hint.map(|_| format!("{id}-hint"));
        let checked = selected.contains(value);
        let onchange = {
            let on = v.p.onanswer.clone();
            let qid = v.q.id.clone();
            let value = value.clone();
            let selected = selected.clone();
            let exclusive = exclusive.clone();
            let is_exclusive = *is_exclusive;
            Callback::from(move |e: Event| {
                let ticked = e.target_unchecked_into::<HtmlInputElement>().checked();
                let answer = if !multiple {
                    Some(Answer::Choice(value.clone()))
                } else {
                    let mut next: Vec<String> = if !ticked {
                        selected.iter().filter(|s| **s != value).cloned().collect()
                    } else if is_exclusive {
                        // Ticking "None of these" clears the others…
                        vec![value.clone()]
                    } else {
                        // …and ticking another clears "None of these".
                        let mut n: Vec<String> =
                            selected.iter().filter(|s| !exclusive.contains(s)).cloned().collect();
                        n.push(value.clone());
                        n
                    };
                    next.dedup();
                    (!next.is_empty()).then_some(Answer::Choices(next))
                };
                on.emit((qid.clone(), answer));
            })
        };
        let is_other = value == "other" && other.is_some();
        let detail_id = format!("{}-other-detail", v.base);
        let divider = (*is_exclusive && i > 0).then(|| {
            html! { <div class="sw-choices__divider">{ v.words().or.clone() }</div> }
        });
        html! {
            <>
            { divider }
            <div class="sw-choice">
                <input class="sw-choice__input" type={kind} id={id.clone()} name={name.clone()}
                       value={value.clone()} {checked} {onchange} aria-describedby={hint_id.clone()}
                       aria-controls={(is_other && checked).then(|| detail_id.clone())} />
                <label class="sw-choice__label" for={id.clone()}>{ v.t(label) }</label>
                { match (hint, hint_id) {
                    (Some(h), Some(hid)) => html! { <div class="sw-hint sw-choice__hint" id={hid}>{ v.t(h) }</div> },
                    _ => Html::default(),
                } }
            </div>
            { if is_other && checked { other_detail(v, other, &detail_id) } else { Html::default() } }
            </>
        }
    });
    html! {
        <div class={if multiple { "sw-choices sw-choices--checkboxes" } else { "sw-choices sw-choices--radios" }}>
            { for rendered }
        </div>
    }
}

/// The text box revealed under "other".
fn other_detail(v: &View, other: Option<&OtherOption>, id: &str) -> Html {
    let label = other
        .and_then(|o| o.detail_label.as_ref().or(Some(&o.label)))
        .map(|t| v.t(t).to_owned())
        .unwrap_or_default();
    let oninput = {
        let on = v.p.onothertext.clone();
        let qid = v.q.id.clone();
        Callback::from(move |e: InputEvent| {
            on.emit((qid.clone(), e.target_unchecked_into::<HtmlInputElement>().value()));
        })
    };
    html! {
        <div class="sw-conditional" id={format!("{id}-wrap")}>
            <label class="sw-label sw-label--small" for={id.to_owned()}>{ label }</label>
            <input class="sw-input" type="text" id={id.to_owned()} value={v.p.other_text.clone()}
                   {oninput} autocomplete="off" enterkeyhint="next"
                   aria-describedby={v.error_id()} />
        </div>
    }
}

fn dropdown(v: &View, options: &[ChoiceOption], other: Option<&OtherOption>) -> Html {
    let selected = match &v.p.answer {
        Some(Answer::Choice(c)) => c.clone(),
        _ => String::new(),
    };
    let onchange = {
        let on = v.p.onanswer.clone();
        let qid = v.q.id.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            on.emit((qid.clone(), (!value.is_empty()).then_some(Answer::Choice(value))));
        })
    };
    let detail_id = format!("{}-other-detail", v.base);
    let control = html! {
        <select class="sw-select" id={v.base.clone()} {onchange}
                aria-describedby={v.described_by(None)} aria-invalid={v.p.error.is_some().then_some("true")}>
            <option value="" selected={selected.is_empty()}>{ v.words().choose_option.clone() }</option>
            { for v.q.option_order(v.p.seed).into_iter().filter_map(|i| options.get(i)).map(|o| html! {
                <option value={o.value.clone()} selected={selected == o.value}>{ v.t(&o.label) }</option>
            }) }
            { other.map(|o| html! { <option value="other" selected={selected == "other"}>{ v.t(&o.label) }</option> }).unwrap_or_default() }
        </select>
    };
    html! {
        <>
            { v.labelled(control, Html::default()) }
            { if selected == "other" { other_detail(v, other, &detail_id) } else { Html::default() } }
        </>
    }
}

fn text_input(v: &View, input: InputKind, autocomplete: Option<&str>, integer: bool) -> Html {
    let value = match &v.p.answer {
        Some(Answer::Text(s)) => s.clone(),
        _ => String::new(),
    };
    // GOV.UK advice: never type=number (it changes values on scroll and rejects "1 200");
    // inputmode gives the right keyboard instead.
    let (ty, inputmode, default_autocomplete, class) = match input {
        InputKind::Text => ("text", None, None, "sw-input"),
        InputKind::Email => ("email", None, Some("email"), "sw-input"),
        InputKind::Tel => ("tel", None, Some("tel"), "sw-input sw-input--width-20"),
        InputKind::Number => {
            ("text", Some(if integer { "numeric" } else { "decimal" }), None, "sw-input sw-input--width-10")
        }
        InputKind::Postcode => ("text", None, Some("postal-code"), "sw-input sw-input--width-10"),
        InputKind::Url => ("url", None, Some("url"), "sw-input"),
    };
    let spellcheck = (input != InputKind::Text).then_some("false");
    let autocapitalize = match input {
        InputKind::Postcode => Some("characters"),
        InputKind::Email | InputKind::Url => Some("none"),
        _ => None,
    };
    let oninput = {
        let on = v.p.onanswer.clone();
        let qid = v.q.id.clone();
        Callback::from(move |e: InputEvent| {
            let s = e.target_unchecked_into::<HtmlInputElement>().value();
            on.emit((qid.clone(), Some(Answer::Text(s))));
        })
    };
    let control = html! {
        <input class={class} type={ty} id={v.base.clone()} name={v.q.id.clone()} {value} {oninput}
               inputmode={inputmode} spellcheck={spellcheck} autocapitalize={autocapitalize}
               autocomplete={autocomplete.or(default_autocomplete).map(str::to_owned)}
               enterkeyhint="next"
               aria-describedby={v.described_by(None)} aria-invalid={v.p.error.is_some().then_some("true")} />
    };
    v.labelled(control, Html::default())
}

fn rating(v: &View, min: i64, max: i64, min_label: Option<&Text>, max_label: Option<&Text>) -> Html {
    let selected = match &v.p.answer {
        Some(Answer::Rating(n)) => Some(*n),
        _ => None,
    };
    let end = |n: i64| -> Option<&str> {
        if n == min {
            min_label.map(|t| v.t(t))
        } else if n == max {
            max_label.map(|t| v.t(t))
        } else {
            None
        }
    };
    let wide = max - min > 5;
    html! {
        <div class={classes!("sw-rating", wide.then_some("sw-rating--wide"))}>
            <div class="sw-rating__scale">
            { for (min..=max).enumerate().map(|(i, n)| {
                let id = format!("{}-{i}", v.base);
                let onchange = {
                    let on = v.p.onanswer.clone();
                    let qid = v.q.id.clone();
                    Callback::from(move |_: Event| on.emit((qid.clone(), Some(Answer::Rating(n)))))
                };
                html! {
                    <div class="sw-rating__item">
                        <input class="sw-rating__input" type="radio" id={id.clone()} name={v.base.clone()}
                               value={n.to_string()} checked={selected == Some(n)} {onchange} />
                        <label class="sw-rating__label" for={id}>
                            { n }
                            { end(n).map(|l| html! { <span class="sw-visually-hidden">{ " " }{ l }</span> }).unwrap_or_default() }
                        </label>
                    </div>
                }
            }) }
            </div>
            if min_label.is_some() || max_label.is_some() {
                <div class="sw-rating__ends" aria-hidden="true">
                    <span>{ min_label.map(|t| v.t(t)).unwrap_or_default() }</span>
                    <span>{ max_label.map(|t| v.t(t)).unwrap_or_default() }</span>
                </div>
            }
        </div>
    }
}

/// A matrix as one small radio group per row: it reads the same on a 320 px phone as on a
/// desktop, where the stylesheet lays the rows out as a grid.
fn matrix(v: &View, rows: &[ChoiceOption], columns: &[ChoiceOption]) -> Html {
    let current: BTreeMap<String, String> = match &v.p.answer {
        Some(Answer::Matrix(m)) => m.clone(),
        _ => BTreeMap::new(),
    };
    let title_id = format!("{}-title", v.base);
    html! {
        <div class="sw-matrix" role="group" aria-labelledby={title_id.clone()} aria-describedby={v.described_by(None)}>
            <p class="sw-legend" id={title_id}>{ v.title() }</p>
            { v.hint() }
            { v.error() }
            { for rows.iter().enumerate().map(|(r, row)| html! {
                <fieldset class="sw-fieldset sw-matrix__row">
                    <legend class="sw-matrix__row-label">{ v.t(&row.label) }</legend>
                    <div class="sw-choices sw-choices--inline">
                    { for columns.iter().enumerate().map(|(c, col)| {
                        let id = format!("{}-{r}-{c}", v.base);
                        let onchange = {
                            let on = v.p.onanswer.clone();
                            let qid = v.q.id.clone();
                            let mut next = current.clone();
                            next.insert(row.value.clone(), col.value.clone());
                            Callback::from(move |_: Event| on.emit((qid.clone(), Some(Answer::Matrix(next.clone())))))
                        };
                        html! {
                            <div class="sw-choice">
                                <input class="sw-choice__input" type="radio" id={id.clone()}
                                       name={format!("{}-{r}", v.base)} value={col.value.clone()}
                                       checked={current.get(&row.value) == Some(&col.value)} {onchange} />
                                <label class="sw-choice__label" for={id}>{ v.t(&col.label) }</label>
                            </div>
                        }
                    }) }
                    </div>
                </fieldset>
            }) }
        </div>
    }
}

/// Ranking by buttons: every move is one press, no dragging, and each button says what it moves.
fn ranking(v: &View, options: &[ChoiceOption]) -> Html {
    let order: Vec<String> = match &v.p.answer {
        Some(Answer::Ranking(o)) if o.len() == options.len() => o.clone(),
        _ => options.iter().map(|o| o.value.clone()).collect(),
    };
    let label_of = |value: &str| {
        options.iter().find(|o| o.value == value).map(|o| v.t(&o.label).to_owned()).unwrap_or_default()
    };
    let words = v.words();
    let last = order.len().saturating_sub(1);
    html! {
        <ol class="sw-ranking">
            { for order.iter().enumerate().map(|(i, value)| {
                let mover = |to: usize| {
                    let on = v.p.onanswer.clone();
                    let qid = v.q.id.clone();
                    let mut next = order.clone();
                    next.swap(i, to);
                    super::on_press(move || on.emit((qid.clone(), Some(Answer::Ranking(next.clone())))))
                };
                let label = label_of(value);
                html! {
                    <li class="sw-ranking__item" key={value.clone()}>
                        <span class="sw-ranking__label">{ &label }</span>
                        <span class="sw-ranking__buttons">
                            <button type="button" class="sw-button sw-button--secondary sw-ranking__move"
                                    disabled={i == 0}
                                    aria-label={format!("{} {}: {}", words.move_up, i + 1, label)}
                                    onclick={mover(i.saturating_sub(1))}><span aria-hidden="true">{ "↑" }</span></button>
                            // The first item's "move down" is the first enabled control: the
                            // error summary link focuses it.
                            <button type="button" class="sw-button sw-button--secondary sw-ranking__move"
                                    id={(i == 0).then(|| format!("{}-0", v.base))} disabled={i == last}
                                    aria-label={format!("{} {}: {}", words.move_down, i + 1, label)}
                                    onclick={mover((i + 1).min(last))}><span aria-hidden="true">{ "↓" }</span></button>
                        </span>
                    </li>
                }
            }) }
        </ol>
    }
}

fn date(v: &View) -> Html {
    let parts = match &v.p.answer {
        Some(Answer::Date(d)) => d.clone(),
        _ => DateParts::default(),
    };
    let words = v.words();
    let field = |key: &'static str, label: &str, value: &str, width: &str| {
        let id = format!("{}-{key}", v.base);
        let oninput = {
            let on = v.p.onanswer.clone();
            let qid = v.q.id.clone();
            let parts = parts.clone();
            Callback::from(move |e: InputEvent| {
                let s = e.target_unchecked_into::<HtmlInputElement>().value();
                let mut next = parts.clone();
                match key {
                    "day" => next.day = s,
                    "month" => next.month = s,
                    _ => next.year = s,
                }
                on.emit((qid.clone(), Some(Answer::Date(next))));
            })
        };
        html! {
            <div class="sw-date__item">
                <label class="sw-label sw-label--small" for={id.clone()}>{ label.to_owned() }</label>
                <input class={format!("sw-input {width}")} id={id} type="text" inputmode="numeric"
                       value={value.to_owned()} {oninput} spellcheck="false"
                       aria-invalid={v.p.error.is_some().then_some("true")} />
            </div>
        }
    };
    html! {
        <div class="sw-date">
            { field("day", &words.day, &parts.day, "sw-input--width-2") }
            { field("month", &words.month, &parts.month, "sw-input--width-2") }
            { field("year", &words.year, &parts.year, "sw-input--width-4") }
        </div>
    }
}

fn consent(v: &View, label: &Text) -> Html {
    let checked = matches!(v.p.answer, Some(Answer::Consent(true)));
    let id = format!("{}-0", v.base);
    let onchange = {
        let on = v.p.onanswer.clone();
        let qid = v.q.id.clone();
        Callback::from(move |e: Event| {
            let ticked = e.target_unchecked_into::<HtmlInputElement>().checked();
            on.emit((qid.clone(), ticked.then_some(Answer::Consent(true))));
        })
    };
    html! {
        <div class="sw-choices sw-choices--checkboxes">
            <div class="sw-choice">
                <input class="sw-choice__input" type="checkbox" id={id.clone()} name={v.base.clone()}
                       value="true" {checked} {onchange} />
                <label class="sw-choice__label" for={id}>{ v.t(label) }</label>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct LongTextProps {
    pub id: String,
    pub label: Html,
    pub hint: Html,
    pub error: Html,
    pub hint_id: Option<String>,
    pub error_id: Option<String>,
    pub words: Shared<Words>,
    pub max_length: Option<u32>,
    pub rows: u32,
    pub value: AttrValue,
    pub invalid: bool,
    pub oninput: Callback<String>,
}

/// A textarea with the GOV.UK character count: typing past the limit is allowed and then said;
/// screen readers hear the count once typing pauses, not on every key.
#[component]
pub fn LongText(props: &LongTextProps) -> Html {
    let used = props.value.chars().count();
    let announced = use_state(String::new);
    {
        let announced = announced.clone();
        let words = props.words.clone();
        use_effect_with((used, props.max_length), move |&(used, max)| {
            let timeout = max.map(|max| {
                let text = i18n::characters_left(&words, max, used);
                Timeout::new(1_000, move || announced.set(text))
            });
            move || drop(timeout)
        });
    }
    let count_hint_id = format!("{}-count-hint", props.id);
    let oninput = {
        let on = props.oninput.clone();
        Callback::from(move |e: InputEvent| on.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let over = props.max_length.is_some_and(|m| used > m as usize);
    html! {
        <>
            <label class="sw-label" for={props.id.clone()}>{ props.label.clone() }</label>
            { props.hint.clone() }
            { props.error.clone() }
            <textarea class={classes!("sw-textarea", over.then_some("sw-textarea--over"))} id={props.id.clone()}
                      rows={props.rows.to_string()} value={props.value.clone()} {oninput}
                      aria-describedby={ids(&[props.hint_id.clone(), props.error_id.clone(),
                                              props.max_length.map(|_| count_hint_id.clone())])}
                      aria-invalid={props.invalid.then_some("true")} />
            if let Some(max) = props.max_length {
                <div class="sw-visually-hidden" id={count_hint_id}>{ i18n::characters_limit(&props.words, max) }</div>
                <div class={classes!("sw-count", over.then_some("sw-count--over"))} aria-hidden="true">
                    { i18n::characters_left(&props.words, max, used) }
                </div>
                <div class="sw-visually-hidden" aria-live="polite">{ (*announced).clone() }</div>
            }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    fn survey(title_of_b: &str, lang: &str) -> Shared<Survey> {
        let json = format!(
            r#"{{"format": 1, "id": "s", "title": "S", "default_language": "{lang}", "pages": [{{"id": "p", "questions": [
                {{"id": "a", "type": "text", "title": "A"}}, {{"id": "b", "type": "text", "title": "{title_of_b}"}}]}}]}}"#
        );
        Shared(Rc::new(Survey::parse(&json).expect("valid")))
    }

    fn at(survey: &Shared<Survey>, index: usize) -> QuestionRef {
        QuestionRef { survey: survey.clone(), page: 0, index }
    }

    #[test]
    fn after_a_new_definition_only_the_questions_that_changed_differ() {
        let before = survey("B", "en");
        let after = survey("B, changed", "en");
        assert!(at(&before, 0) == at(&after, 0), "question a is the same: not drawn again");
        assert!(at(&before, 1) != at(&after, 1), "question b changed");
        assert!(at(&before, 0) != at(&before, 1), "another position");
        // The view falls back to the main language, so a change of it draws every question.
        assert!(at(&before, 0) != at(&survey("B", "cy"), 0));
    }
}
