//! The `Survey` component: one survey, page by page, to a confirmation. Usable directly from a
//! yew app; the script-tag embed wraps it in [`super::Embed`].

use super::delivery::use_delivery;
use super::draft_saver::use_draft_saver;
use super::error_summary::{focus_field, ErrorSummary, SummaryItem};
use super::question::{first_control_id, QuestionRef, QuestionView};
use super::review::{answers_text, Review};
use super::share::{absolute, CopyButton, ShareLink};
use super::{on_press, Shared};
use crate::delivery::{self, outbox};
use crate::drafts;
use crate::flow;
use crate::i18n::{self, WordOverrides};
use crate::state::{self, Action, Focus, Notice, Stage, State, Status};
use std::collections::BTreeMap;
use std::rc::Rc;
use survey_model::{Availability, Envelope, PayloadContext, QuestionKind};
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// What a survey tells its host, as the `survey:*` events of docs/embedding.md.
#[derive(Debug, Clone, PartialEq)]
pub enum SurveyEvent {
    Ready,
    Start,
    Page { index: usize, page_id: String },
    Submit { submission_id: String },
    Queued { submission_id: String },
    Complete { submission_id: String, reference: Option<String> },
    Error { code: &'static str, message: String },
}

#[derive(Properties, PartialEq, Clone)]
pub struct SurveyProps {
    /// The parsed definition ([`survey_model::Survey::parse`]).
    pub definition: Shared<survey_model::Survey>,
    /// Where answers are POSTed.
    pub endpoint: AttrValue,
    /// Preferred language; falls back to the survey's default.
    #[prop_or_default]
    pub lang: Option<AttrValue>,
    /// Forces anonymous mode (it can only make a survey stricter).
    #[prop_or_default]
    pub anonymous: bool,
    /// Values for the survey's declared hidden fields.
    #[prop_or_default]
    pub hidden: Shared<BTreeMap<String, String>>,
    /// Level of the survey's top heading, so the host keeps its own outline.
    #[prop_or(2)]
    pub heading_level: u8,
    /// Prefix for every id, unique per instance so two widgets on a page never clash.
    #[prop_or(AttrValue::Static("sw"))]
    pub id_prefix: AttrValue,
    #[prop_or_default]
    pub onevent: Callback<SurveyEvent>,
    /// How long one POST may take before it is retried later.
    #[prop_or(crate::config::DEFAULT_REQUEST_TIMEOUT_MS)]
    pub request_timeout_ms: u32,
    /// The host's replacements for the widget's own words.
    #[prop_or_default]
    pub words: Shared<WordOverrides>,
    /// Where this embed is (the `channel` attribute), sent with the answers.
    #[prop_or_default]
    pub channel: Option<survey_model::Channel>,
    /// A preview (the editor's): no draft is read or kept, nothing is sent, opening times are
    /// not applied, and the confirmation says the answers were not sent.
    #[prop_or_default]
    pub preview: bool,
}

/// A fresh seed for the order of shuffled options (53 random bits are plenty for that).
fn new_seed() -> u64 {
    ((js_sys::Math::random() * 9_007_199_254_740_992.0) as u64) | 1
}

fn heading(level: u8, class: &'static str, node_ref: Option<NodeRef>, text: Html) -> Html {
    let level = level.clamp(1, 6);
    match node_ref {
        Some(r) => html! { <@{format!("h{level}")} class={class} tabindex="-1" ref={r}>{ text }</@> },
        None => html! { <@{format!("h{level}")} class={class}>{ text }</@> },
    }
}

#[component]
pub fn Survey(props: &SurveyProps) -> Html {
    // The pages as shown: one question per page if the definition asks for it.
    let shown = use_memo(props.definition.clone(), |d| flow::as_shown(Rc::clone(&d.0)));
    let survey: Shared<survey_model::Survey> = Shared(Rc::clone(&shown));
    // A survey the host made anonymous is as private on the device as an anonymous survey.
    let anonymous = survey.anonymous || props.anonymous;
    let preview = props.preview;
    let state = use_reducer({
        let survey = Rc::clone(&survey.0);
        move || {
            if preview {
                return State::new(survey, new_seed());
            }
            let draft = drafts::load(&survey.id, survey.version, anonymous);
            let pending = outbox::pending_for(&survey.id);
            State::resume(survey, draft, pending, new_seed())
        }
    });
    // A definition replaced in place (`handle.update`) is taken without starting again.
    {
        let state = state.clone();
        use_effect_with(survey.clone(), move |survey| {
            if !Rc::ptr_eq(&state.survey, &survey.0) {
                state.dispatch(Action::Redefine { survey: Rc::clone(&survey.0) });
            }
        });
    }
    // The respondent's choice of language wins over the host's.
    let lang: AttrValue =
        survey.resolve_language(state.lang.as_deref().or(props.lang.as_deref())).to_owned().into();
    let fallback = survey.default_language.clone();
    let words = Shared(use_memo((lang.clone(), props.words.clone()), |(lang, overrides)| overrides.apply(lang)));
    let heading_ref = use_node_ref();
    let summary_ref = use_node_ref();
    let status_ref = use_node_ref();
    let confirmation_ref = use_node_ref();

    // survey:ready once, survey:start on the first answer, survey:page on every page shown.
    {
        let onevent = props.onevent.clone();
        use_effect_with((), move |_| onevent.emit(SurveyEvent::Ready));
    }
    // While mounted, this widget delivers its own submission; the background flush takes the rest.
    let start_again = use_delivery(&state, &props.onevent);
    {
        let onevent = props.onevent.clone();
        use_effect_with(state.answers.read().is_empty(), move |empty| {
            if !*empty {
                onevent.emit(SurveyEvent::Start);
            }
        });
    }
    {
        let onevent = props.onevent.clone();
        let page_id = survey.pages.get(state.page).map(|p| p.id.clone()).unwrap_or_default();
        use_effect_with((state.page, state.stage), move |&(index, stage)| {
            if stage == Stage::Pages {
                onevent.emit(SurveyEvent::Page { index, page_id });
            }
        });
    }
    // Focus moves only when the state asks, after the render that shows the target.
    {
        let refs = (heading_ref.clone(), summary_ref.clone(), status_ref.clone(), confirmation_ref.clone());
        let question = state
            .focus_question
            .as_deref()
            .and_then(|id| survey.question(id))
            .map(|q| first_control_id(&props.id_prefix, q));
        use_effect_with((state.focus_seq, state.focus), move |&(_, focus)| {
            let target = match focus {
                Focus::None => None,
                Focus::PageHeading => Some(&refs.0),
                Focus::ErrorSummary => Some(&refs.1),
                Focus::Status => Some(&refs.2),
                Focus::Confirmation => Some(&refs.3),
                Focus::Question => {
                    // The page heading is in the same root as the question: find it from there.
                    if let (Some(anchor), Some(id)) = (refs.0.cast::<Element>(), question) {
                        focus_field(&anchor, &id);
                    }
                    None
                }
            };
            if let Some(el) = target.and_then(NodeRef::cast::<HtmlElement>) {
                let _ = el.focus();
                if matches!(focus, Focus::ErrorSummary | Focus::Confirmation) {
                    el.scroll_into_view();
                }
            }
        });
    }
    // Answers in progress are kept as they are given, while they can still change.
    use_draft_saver(&state, anonymous, !preview);
    // The questions' callbacks are made once: a new one on each render would make every
    // question's props differ, and all of them re-render on each keystroke, not just the one.
    let onanswer = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            Callback::from(move |(question, answer)| dispatcher.dispatch(Action::Answer { question, answer }))
        })
    };
    let onothertext = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            Callback::from(move |(question, text)| dispatcher.dispatch(Action::OtherText { question, text }))
        })
    };
    let level = props.heading_level.clamp(1, 5);
    // On the start page the survey's title is the page's heading, and where Back puts focus.
    let on_start = state.stage == Stage::Start && state.editable();
    let title = heading(
        level,
        "sw-title",
        on_start.then(|| heading_ref.clone()),
        html! { survey.title.get(&lang, &fallback) },
    );
    // One polite live region for every status message, rendered in every state so it exists
    // before its text changes (screen readers ignore live regions that arrive with their text).
    let announcement = match &state.status {
        Status::Sending { .. } => words.sending.to_string(),
        Status::Queued { stored: true, .. } => format!("{} {}", words.queued_title, words.queued),
        Status::Queued { stored: false, .. } => format!("{} {}", words.unsent_title, words.unsent),
        Status::Complete { .. } => words.sent_status.to_string(),
        // Also shown (and focused) as an alert; said here too, so it is heard where Chrome drops
        // alerts inserted inside a shadow root together with their text.
        Status::Refused { closed: false, .. } => words.refused.to_string(),
        Status::Refused { closed: true, .. } => words.closed.to_string(),
        Status::Conflict => words.conflict.to_string(),
        Status::Answering => String::new(),
    };
    // A survey written in several languages lets the respondent choose; each button is named in
    // its own language and marked up as such, so a screen reader pronounces it properly.
    let switch = (survey.languages.len() > 1).then(|| {
        html! {
            <div class="sw-lang" role="group" aria-label={words.language.clone()}>
                { for survey.languages.iter().map(|l| {
                    let pressed = l.as_str() == lang.as_str();
                    let onclick = {
                        let state = state.clone();
                        let l = l.clone();
                        on_press(move || state.dispatch(Action::SetLanguage { lang: l.clone() }))
                    };
                    html! {
                        <button type="button" class="sw-lang__button" lang={l.clone()}
                                aria-pressed={if pressed { "true" } else { "false" }} {onclick}>
                            { i18n::language_name(l) }
                        </button>
                    }
                }) }
            </div>
        }
    });
    let wrap = {
        let lang = lang.clone();
        move |body: Html| {
            html! {
                <div class="sw" lang={lang}>
                    <div class="sw-visually-hidden" role="status" aria-live="polite">{ announcement }</div>
                    { switch }
                    { title }
                    { body }
                </div>
            }
        }
    };

    if let Status::Complete { reference } = &state.status {
        let c = &survey.completion;
        let ctitle = c.title.as_ref().map_or(words.default_completion_title.to_string(), |t| t.get(&lang, &fallback).to_owned());
        let message = c
            .message
            .as_ref()
            .map(|m| m.paragraphs(&lang, &fallback).into_iter().map(str::to_owned).collect())
            .unwrap_or_else(|| vec![words.default_completion_message.to_string()]);
        // The share link is the definition's own, or else the survey's standalone page.
        let share = c.share.as_ref().map(|s| (s.url.clone(), s.text.as_ref())).or_else(|| survey.link.clone().map(|l| (l, None)));
        let body = html! {
            <>
                <div class="sw-panel">
                    { heading(level + 1, "sw-panel__title", Some(confirmation_ref), html! { ctitle }) }
                    if let Some(r) = reference {
                        <p class="sw-panel__reference">{ words.reference.clone() }{ " " }<strong>{ r }</strong></p>
                    }
                </div>
                { for message.into_iter().map(|p| html! { <p class="sw-body">{ p }</p> }) }
                if preview {
                    <div class="sw-inset sw-preview-note"><p class="sw-body">{ words.preview_not_sent.clone() }</p></div>
                }
                if let Some((url, text)) = share {
                    <ShareLink url={AttrValue::from(absolute(&url))} words={words.clone()}
                               text={text.map_or(words.share.clone(), |t| AttrValue::from(t.get(&lang, &fallback).to_owned()))} />
                }
            </>
        };
        return wrap(body);
    }

    // Before it opens, or once it has closed, the survey says so instead of showing the form.
    // Answers already on their way (queued, refused, in conflict) are still shown as they are.
    if matches!(state.status, Status::Answering) && !preview {
        if let Some(text) = availability_notice(&survey, &words) {
            return wrap(html! {
                <div class="sw-inset sw-availability"><p class="sw-body">{ text }</p></div>
            });
        }
    }

    // Once made, a submission that is not delivered yet replaces the form: the answers are in
    // the outbox and can no longer change.
    let retrying = match state.status {
        Status::Queued { stored, .. } => Some((stored, false)),
        Status::Sending { attempt } if attempt > 1 => Some((true, true)),
        _ => None,
    };
    if let Some((stored, sending)) = retrying {
        let onretry = {
            let state = state.clone();
            on_press(move || state.dispatch(Action::Retry))
        };
        let (qtitle, qmessage) = if stored {
            (words.queued_title.clone(), words.queued.clone())
        } else {
            (words.unsent_title.clone(), words.unsent.clone())
        };
        return wrap(html! {
            <div class="sw-queued">
                { heading(level + 1, "sw-page-title", Some(status_ref), html! { qtitle }) }
                <p class="sw-body">{ qmessage }</p>
                <button type="button" class="sw-button" onclick={onretry}
                        aria-disabled={sending.then_some("true")}>
                    { if sending { words.sending.clone() } else { words.send_now.clone() } }
                </button>
            </div>
        });
    }

    let vis = state.visibility();
    // Read once for this render (nothing acts while it renders).
    let answers = state.answers.read();
    // From `vis`: working the conditions out again would cost every keystroke as much again.
    let first_page = (0..survey.pages.len()).find(|&i| vis.page(i)) == Some(state.page);
    let page = survey.pages.get(state.page);
    let prefix = props.id_prefix.clone();

    let message_of = |qid: &str| -> Option<AttrValue> {
        let e = state.errors.iter().find(|e| e.question == qid)?;
        let q = survey.question(qid)?;
        let pattern_message = match &q.kind {
            QuestionKind::Text { pattern_message: Some(m), .. } => Some(m.get(&lang, &fallback)),
            _ => None,
        };
        let extra = match &q.kind {
            QuestionKind::Consent { label } => label.get(&lang, &fallback).to_owned(),
            QuestionKind::SingleChoice { other: Some(o), .. } | QuestionKind::MultipleChoice { other: Some(o), .. }
                if e.kind == survey_model::FieldErrorKind::OtherDetailRequired =>
            {
                o.detail_label.as_ref().unwrap_or(&o.label).get(&lang, &fallback).to_owned()
            }
            QuestionKind::MultipleChoice { options, .. } => options
                .iter()
                .find(|o| o.exclusive)
                .map(|o| o.label.get(&lang, &fallback).to_owned())
                .unwrap_or_default(),
            _ => String::new(),
        };
        Some(i18n::error_message(&words, &e.kind, q.title.get(&lang, &fallback), &q.kind, &extra, pattern_message).into())
    };

    let summary_items: Vec<SummaryItem> = state
        .errors
        .iter()
        .filter_map(|e| {
            let q = survey.question(&e.question)?;
            let target = if e.kind == survey_model::FieldErrorKind::OtherDetailRequired {
                format!("{prefix}-{}-other-detail", q.id)
            } else {
                first_control_id(&prefix, q)
            };
            Some(SummaryItem { target: target.into(), message: message_of(&e.question)? })
        })
        .collect();

    let onsubmit = {
        let state = state.clone();
        let last = state.sends_here();
        let endpoint = props.endpoint.to_string();
        let timeout_ms = props.request_timeout_ms;
        let hidden = props.hidden.clone();
        let channel = props.channel.clone();
        let lang = lang.to_string();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if last && preview {
                state.dispatch(Action::PreviewSend);
            } else if last {
                let envelope = Envelope {
                    submission_id: delivery::new_submission_id(),
                    submitted_at: state::submitted_at(&String::from(js_sys::Date::new_0().to_iso_string()), anonymous),
                    language: lang.clone(),
                    anonymous,
                    hidden: (*hidden.0).clone(),
                    context: page_context(),
                    channel: channel.clone(),
                };
                state.dispatch(Action::Send { envelope, endpoint: endpoint.clone(), timeout_ms });
            } else {
                state.dispatch(Action::Continue);
            }
        })
    };
    let onstartagain = on_press(move || start_again.emit(()));
    let onback = {
        let state = state.clone();
        on_press(move || state.dispatch(Action::Back))
    };
    let onstart = {
        let state = state.clone();
        on_press(move || state.dispatch(Action::Start))
    };
    let onchange = {
        let state = state.clone();
        Callback::from(move |question| state.dispatch(Action::Change { question }))
    };

    // Progress is shown only when it is reliable: no page can appear or vanish.
    let progress = (survey.pages.len() > 1 && survey.pages.iter().all(|p| p.visible_if.is_none()))
        .then(|| i18n::progress(&words, state.page + 1, survey.pages.len()));
    let sending = matches!(state.status, Status::Sending { .. });
    let notice = match &state.status {
        Status::Refused { closed: false, .. } => Some(words.refused.clone()),
        Status::Refused { closed: true, .. } => Some(words.closed.clone()),
        Status::Conflict => Some(words.conflict.clone()),
        _ => None,
    };
    let page_title = page.and_then(|p| p.title.as_ref()).map(|t| t.get(&lang, &fallback).to_owned());
    // Said before the questions: on the start page if there is one, else on the first page.
    let introduction = html! {
        <>
            if let Some(d) = &survey.description {
                { for d.paragraphs(&lang, &fallback).into_iter().map(|p| html! { <p class="sw-body sw-lead">{ p }</p> }) }
            }
            if let Some(privacy) = &survey.privacy {
                <div class="sw-inset">
                    { for privacy.notice.paragraphs(&lang, &fallback).into_iter().map(|p| html! { <p>{ p }</p> }) }
                    if let Some(url) = &privacy.url {
                        <p><a class="sw-link" href={url.clone()} target="_blank" rel="noopener">{ words.privacy_link.clone() }</a></p>
                    }
                </div>
            }
        </>
    };
    // After a refusal the answers stay here and on the device until the respondent chooses:
    // correct and send again, copy them, or start again.
    let copy_text = notice.is_some().then(|| AttrValue::from(answers_text(&survey, &answers, &vis, &words, &lang)));
    let notice_slot = html! {
        <div class="sw-notice-slot" tabindex="-1" ref={status_ref}>
            if let Some(text) = notice {
                <div class="sw-notice sw-notice--error" role="alert"><p>{ text }</p></div>
                <div class="sw-actions">
                    <button type="button" class="sw-button sw-button--secondary" onclick={onstartagain.clone()}>
                        { words.start_again.clone() }
                    </button>
                    if let Some(text) = copy_text {
                        <CopyButton {text} label={words.copy_answers.clone()} copied={words.answers_copied.clone()}
                                    failed={words.answers_copy_failed.clone()} />
                    }
                </div>
            }
        </div>
    };
    let back_button = state.can_go_back().then(|| {
        html! { <button type="button" class="sw-button sw-button--secondary" onclick={onback}>{ words.back.clone() }</button> }
    });
    let send_label = if sending { words.sending.clone() } else { words.send.clone() };

    if on_start {
        return wrap(html! {
            <>
                { introduction }
                <div class="sw-actions">
                    <button type="button" class="sw-button sw-button--start" onclick={onstart}>{ words.start_now.clone() }</button>
                </div>
            </>
        });
    }

    if state.stage == Stage::Review {
        let review = Review {
            survey: &survey,
            answers: &answers,
            visibility: &vis,
            words: &words,
            lang: &lang,
            heading_level: level + 2,
            onchange,
        };
        return wrap(html! {
            <form class="sw-form" novalidate=true {onsubmit} aria-busy={sending.then_some("true")}>
                { heading(level + 1, "sw-page-title", Some(heading_ref), html! { words.check_answers_title.clone() }) }
                <p class="sw-body">{ words.check_answers_lead.clone() }</p>
                { review.render() }
                { notice_slot }
                <div class="sw-actions">
                    <button type="submit" class="sw-button" aria-disabled={sending.then_some("true")}>{ send_label }</button>
                    { back_button }
                </div>
            </form>
        });
    }

    wrap(html! {
        <>
            if first_page && !survey.start_page {
                { introduction }
            }
            if let Some(n) = state.notice {
                <div class="sw-inset sw-resume" role="status">
                    if n == Notice::Restored {
                        <p>{ words.restored.clone() }{ " " }{ words.draft_kept.clone() }</p>
                        <button type="button" class="sw-button sw-button--secondary" onclick={onstartagain}>
                            { words.not_you.clone() }
                        </button>
                    } else {
                        <p>{ words.version_changed.clone() }</p>
                    }
                </div>
            }
            <form class="sw-form" novalidate=true {onsubmit} aria-busy={sending.then_some("true")}>
                if let Some(p) = progress {
                    <p class="sw-progress">{ p }</p>
                }
                if !summary_items.is_empty() {
                    <ErrorSummary title={words.error_summary_title.clone()} items={summary_items}
                                  heading_level={level + 1} node_ref={summary_ref} />
                }
                { heading(level + 1, "sw-page-title", Some(heading_ref),
                          html! { page_title.unwrap_or_else(|| survey.title.get(&lang, &fallback).to_owned()) }) }
                if let Some(page) = page {
                    { for page.questions.iter().enumerate().filter(|(_, q)| vis.question(&q.id)).map(|(index, q)| html! {
                        <QuestionView key={q.id.clone()}
                            question={QuestionRef { survey: survey.clone(), page: state.page, index }}
                            answer={answers.get(&q.id).cloned()}
                            other_text={AttrValue::from(answers.other_text(&q.id).to_owned())}
                            error={message_of(&q.id)}
                            lang={lang.clone()} words={words.clone()} seed={state.seed}
                            prefix={prefix.clone()} heading_level={level + 1}
                            onanswer={(*onanswer).clone()} onothertext={(*onothertext).clone()} />
                    }) }
                }
                { notice_slot }
                <div class="sw-actions">
                    <button type="submit" class="sw-button" aria-disabled={sending.then_some("true")}>
                        { if state.sends_here() { send_label } else { words.continue_button.clone() } }
                    </button>
                    { back_button }
                </div>
            </form>
        </>
    })
}

/// Where the response was given, for surveys that are not anonymous.
/// What to say instead of the form when the survey is not open now, by the device's clock.
fn availability_notice(survey: &survey_model::Survey, words: &i18n::Words) -> Option<String> {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let (template, at) = match survey.availability(now) {
        Availability::Open => return None,
        Availability::NotYetOpen { opens } => (&words.opens_on, opens),
        Availability::Closed { closed } => (&words.closed_on, closed),
    };
    // The respondent's own time zone, as their device keeps it.
    let local = js_sys::Date::new(&(at.unix_seconds() as f64 * 1000.0).into());
    let date = format!("{:04}-{:02}-{:02}", local.get_full_year(), local.get_month() + 1, local.get_date());
    let time = format!("{:02}:{:02}", local.get_hours(), local.get_minutes());
    Some(i18n::moment(words, template, &date, &time))
}

fn page_context() -> Option<PayloadContext> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let mut page_url = window.location().href().ok()?;
    // The fragment is the reader's position on the page, not where the survey is.
    if let Some(i) = page_url.find('#') {
        page_url.truncate(i);
    }
    Some(PayloadContext { page_url, referrer: document.referrer() })
}
