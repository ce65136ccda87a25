//! The embed: loads the definition a host named, shows a plain message when it cannot, and
//! otherwise renders the [`Survey`].

use super::survey::{Survey, SurveyEvent};
use super::Shared;
use crate::config::{MountOptions, Source};
use crate::error::Error;
use crate::http;
use crate::i18n;
use crate::reach::{Reporter, ViewWatch};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct EmbedProps {
    /// The host's options, or why they are unusable.
    pub options: Shared<Result<MountOptions, Error>>,
    pub id_prefix: AttrValue,
    /// Events with the id of the survey they concern ("" if it never became known).
    #[prop_or_default]
    pub onevent: Callback<(AttrValue, SurveyEvent)>,
    /// A definition given after mounting (`handle.update`), shown in place of the first one.
    #[prop_or_default]
    pub definition: Option<Shared<survey_model::Survey>>,
}

/// What the embed shows.
#[derive(Clone)]
enum Loaded {
    Loading,
    Ready(Shared<survey_model::Survey>),
    Failed(Rc<Error>, AttrValue),
}

/// Parses a definition; `base` is the URL it was fetched from, if it was.
fn parse(text: &str, base: Option<&str>) -> Loaded {
    match survey_model::Survey::parse_with_warnings(text) {
        Ok((mut s, warnings)) => {
            // Keys this widget does not know (from a newer definition, or a typo) are ignored;
            // the console says which, so an author can tell.
            for w in warnings {
                web_sys::console::warn_1(&format!("survey-widget: {w}").into());
            }
            if let Some(base) = base {
                resolve_own_links(&mut s, base);
            }
            Loaded::Ready(Shared(Rc::new(s)))
        }
        Err(e) => Loaded::Failed(Rc::new(e.into()), peek_id(text)),
    }
}

/// The survey's own page (`link`, and the share link of its completion) lives beside its
/// definition, usually on the collector, not on the page that embeds it: a relative one is
/// resolved against the definition's URL. (`privacy.url` is the host's page and stays as written.)
fn resolve_own_links(survey: &mut survey_model::Survey, base: &str) {
    let absolute = |url: &str| web_sys::Url::new_with_base(url, base).map(|u| u.href()).ok();
    if let Some(link) = survey.link.as_mut() {
        if let Some(resolved) = absolute(link) {
            *link = resolved;
        }
    }
    if let Some(share) = survey.completion.share.as_mut() {
        if let Some(resolved) = absolute(&share.url) {
            share.url = resolved;
        }
    }
}

/// The `id` of a definition that did not parse, best effort, for its `survey:error` event.
fn peek_id(text: &str) -> AttrValue {
    // from_slice, not from_str, everywhere the widget parses JSON: the same result for a `str`,
    // and one instance of serde_json's reader in the Wasm instead of two (`Payload::parse` reads
    // bytes).
    serde_json::from_slice::<serde_json::Value>(text.as_bytes())
        .ok()
        .and_then(|v| v.get("id")?.as_str().map(|s| AttrValue::from(s.to_owned())))
        .unwrap_or_default()
}

/// The reach reporter of the survey once it is loaded, unless the host turned events off.
#[hook]
fn use_reach(loaded: &Loaded, options: Option<&MountOptions>) -> Rc<Option<Reporter>> {
    let survey = match loaded {
        Loaded::Ready(s) => Some(s.clone()),
        _ => None,
    };
    let options = options.cloned();
    // Keyed by the survey's id and version, so a preview's edits are one reporter (and a
    // preview sends nothing: its options turn reach off).
    let key = survey.as_ref().map(|s| (s.id.clone(), s.version));
    use_memo(key, move |_| {
        survey.as_ref().zip(options.as_ref()).filter(|(_, o)| !o.preview).and_then(|(s, o)| Reporter::new(o, &s.0))
    })
}

/// The reach event a survey event stands for, if any.
fn count(reporter: &Reporter, event: &SurveyEvent) {
    match event {
        SurveyEvent::Start => reporter.started(),
        SurveyEvent::Page { page_id, .. } => reporter.reached(page_id),
        SurveyEvent::Complete { .. } | SurveyEvent::Queued { .. } => reporter.round_over(),
        _ => {}
    }
}

/// One of the host's options, shared; its default when the options are unusable.
fn shared_option<T: Clone + Default>(options: &Shared<Result<MountOptions, Error>>, pick: fn(&MountOptions) -> &T) -> Shared<T> {
    Shared(Rc::new(options.0.as_ref().as_ref().map(pick).cloned().unwrap_or_default()))
}

#[component]
pub fn Embed(props: &EmbedProps) -> Html {
    let fetched = use_state(|| match &*props.options.0 {
        Ok(MountOptions { source: Source::Inline(text), .. }) => parse(text, None),
        Ok(MountOptions { source: Source::Fetched { url, text }, .. }) => parse(text, Some(url)),
        Ok(_) => Loaded::Loading,
        Err(e) => Loaded::Failed(
            Rc::new(Error::Options(match e {
                Error::Options(p) => p.clone(),
                other => vec![other.to_string()],
            })),
            AttrValue::default(),
        ),
    });
    {
        let fetched = fetched.clone();
        let options = props.options.clone();
        use_effect_with((), move |_| {
            if let Ok(MountOptions { source: Source::Url(url), .. }) = &*options.0 {
                let url = url.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    fetched.set(match http::fetch_text(&url).await {
                        Ok(text) => parse(&text, Some(&url)),
                        Err(reason) => Loaded::Failed(Rc::new(Error::Load { url, reason }), AttrValue::default()),
                    });
                });
            }
        });
    }
    // A definition given later (`handle.update`) replaces whatever was loaded, in this very
    // render: a preview being edited is drawn once per change, not once more from an effect.
    let loaded = match &props.definition {
        Some(given) => Loaded::Ready(given.clone()),
        None => (*fetched).clone(),
    };
    // Every failure is reported three ways: on the page, in the console, and as survey:error.
    {
        let onevent = props.onevent.clone();
        let failure = match &loaded {
            Loaded::Failed(e, id) => Some((Rc::clone(e), id.clone())),
            _ => None,
        };
        use_effect_with(failure.as_ref().map(|(e, _)| e.to_string()), move |message| {
            if let (Some((e, id)), Some(message)) = (failure, message) {
                web_sys::console::error_1(&message.into());
                onevent.emit((id, SurveyEvent::Error { code: e.code(), message: message.clone() }));
            }
        });
    }

    let options = props.options.0.as_ref().as_ref().ok();
    // Made once per set of options: a new one on each render would draw every question again.
    let hidden = use_memo(props.options.clone(), |o| shared_option(o, |m| &m.hidden));
    let overrides = use_memo(props.options.clone(), |o| shared_option(o, |m| &m.words));
    let reporter = use_reach(&loaded, options);
    let watched = use_node_ref();
    {
        let watched = watched.clone();
        use_effect_with(reporter.clone(), move |reporter| {
            let watch = Option::as_ref(reporter).and_then(|r| {
                let r = r.clone();
                watched.cast::<web_sys::Element>().map(|el| ViewWatch::new(&el, move || r.viewed()))
            });
            move || drop(watch)
        });
    }
    let lang = options.and_then(|o| o.lang.as_deref()).unwrap_or("en");
    let words = options.map_or_else(|| i18n::words(lang), |o| o.words.apply(lang));
    match &loaded {
        Loaded::Loading => html! {
            <div class="sw sw-loading" role="status"><p>{ words.loading.clone() }</p></div>
        },
        Loaded::Ready(survey) => {
            let Some(o) = options else { return Html::default() };
            let onevent = {
                let id = AttrValue::from(survey.id.clone());
                let reporter = reporter.clone();
                props.onevent.reform(move |e| {
                    if let Some(r) = Option::as_ref(&reporter) {
                        count(r, &e);
                    }
                    (id.clone(), e)
                })
            };
            html! {
                <div class="sw-reach" ref={watched}>
                <Survey definition={survey.clone()} endpoint={AttrValue::from(o.endpoint.clone())}
                        lang={o.lang.clone().map(AttrValue::from)} anonymous={o.anonymous}
                        hidden={(*hidden).clone()} heading_level={o.heading_level}
                        id_prefix={props.id_prefix.clone()} {onevent}
                        request_timeout_ms={o.request_timeout_ms}
                        words={(*overrides).clone()} channel={o.channel.clone()}
                        preview={o.preview} />
                </div>
            }
        }
        Loaded::Failed(e, _) => {
            let (lead, lines): (AttrValue, Vec<String>) = match &**e {
                Error::Definition(problems) => {
                    (words.definition_problem.clone(), problems.iter().map(ToString::to_string).collect())
                }
                Error::Options(problems) => (words.definition_problem.clone(), problems.clone()),
                Error::Load { .. } => (words.definition_unavailable.clone(), Vec::new()),
                Error::Dom(m) => (words.definition_unavailable.clone(), vec![m.clone()]),
            };
            html! {
                <div class="sw sw-problem" role="alert">
                    <p class="sw-body">{ lead }</p>
                    if !lines.is_empty() {
                        <ul class="sw-problem__list">
                            { for lines.into_iter().map(|l| html! { <li><code>{ l }</code></li> }) }
                        </ul>
                    }
                </div>
            }
        }
    }
}
