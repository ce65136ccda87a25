//! survey-demo-yew: a tiny yew app that uses the survey as one of its own components.
//!
//! It shows what `docs/embedding.md` promises Rust front-ends: no loader, no `mount()`, no shadow
//! root. The app fetches the definition, parses it with the same model the collector uses, and
//! renders [`survey_widget::Survey`] with props and a callback, like any other yew component.
//!
//! Two routes, "Home" (`?view=home`) and "Feedback" (`?view=feedback`), switched through the
//! History API as a client-side router does: leaving "Feedback" unmounts the survey, whose
//! effects then clean up after themselves (timers, listeners, its claim on pending answers).
//!
//! `pkg-scripts/build-demo-yew.sh` builds it into `demo/site/pages/yew/`;
//! `demo/site/pages/embed-yew.html` loads it, and the widget's stylesheet from the collector with
//! a plain `<link>`, so the page needs nothing beyond the demo site's strict Content Security
//! Policy. The collector is on another origin, named by the page (`<div id="app"
//! data-collector="…">`), as an app's configuration would name it.

use gloo_events::EventListener;
use std::collections::BTreeMap;
use std::rc::Rc;
use survey_widget::components::Shared;
use survey_widget::{model, Survey, SurveyEvent};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

const DEFINITION_PATH: &str = "/surveys/digital-engagement.json";
const ENDPOINT_PATH: &str = "/api/responses";
const OWN_PAGE_PATH: &str = "/s/digital-engagement";

/// The collector's address, from the page (`data-collector` on `#app`); empty means this origin.
fn collector() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
        .and_then(|app| app.get_attribute("data-collector"))
        .map(|url| url.trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

/// The app's two views.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Route {
    Home,
    Feedback,
}

impl Route {
    fn from_query(query: &str) -> Route {
        let feedback = query.trim_start_matches('?').split('&').any(|pair| pair == "view=feedback");
        if feedback {
            Route::Feedback
        } else {
            Route::Home
        }
    }

    fn current() -> Route {
        let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        Route::from_query(&query)
    }

    fn href(self) -> &'static str {
        match self {
            Route::Home => "?view=home",
            Route::Feedback => "?view=feedback",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Route::Home => "Home",
            Route::Feedback => "Feedback",
        }
    }
}

/// The definition, once fetched and parsed: kept by the app, so that coming back to
/// "Feedback" mounts the survey again without another request.
#[derive(Clone, PartialEq)]
enum Definition {
    Loading,
    Ready(Shared<model::Survey>),
    Failed(AttrValue),
}

async fn fetch_definition() -> Result<model::Survey, String> {
    let window = web_sys::window().ok_or("no window")?;
    let url = format!("{}{DEFINITION_PATH}", collector());
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "fetch did not give a Response".to_owned())?;
    if !response.ok() {
        return Err(format!("{url} answered {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?
        .as_string()
        .unwrap_or_default();
    model::Survey::parse(&text).map_err(|e| e.to_string())
}

/// A link's click as a route change; modified clicks keep their meaning (new tab, new window).
fn follow(ongo: &Callback<Route>, route: Route) -> Callback<MouseEvent> {
    let ongo = ongo.clone();
    Callback::from(move |e: MouseEvent| {
        if e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0 {
            return;
        }
        e.prevent_default();
        ongo.emit(route);
    })
}

#[derive(Properties, PartialEq, Clone)]
struct NavProps {
    current: Route,
    /// Called with the route a link asks for.
    ongo: Callback<Route>,
}

#[component]
fn Nav(props: &NavProps) -> Html {
    let link = |route: Route| {
        let onclick = follow(&props.ongo, route);
        let current = (props.current == route).then_some("page");
        html! { <li><a href={route.href()} {onclick} aria-current={current}>{ route.label() }</a></li> }
    };
    html! {
        <nav class="app-nav" aria-label="App">
            <ul>{ link(Route::Home) }{ link(Route::Feedback) }</ul>
        </nav>
    }
}

#[component]
fn App() -> Html {
    let route = use_state(Route::current);
    let definition = use_state(|| Definition::Loading);
    let reference = use_state(|| None::<String>);
    let heading = use_node_ref();

    // The browser's Back and Forward buttons change the route too.
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "popstate", move |_| route.set(Route::current())));
            move || drop(listener)
        });
    }
    {
        let definition = definition.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                definition.set(match fetch_definition().await {
                    Ok(survey) => Definition::Ready(Shared(Rc::new(survey))),
                    Err(problem) => {
                        web_sys::console::error_1(&format!("survey-demo-yew: {problem}").into());
                        Definition::Failed(problem.into())
                    }
                });
            });
        });
    }
    // As a router would: a new title, and focus on the new view's heading (not on first load).
    {
        let heading = heading.clone();
        let first = use_mut_ref(|| true);
        use_effect_with(*route, move |route| {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&format!("{} – Northfield health app (yew)", route.label()));
            }
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
            }
        });
    }

    let ongo = {
        let route = route.clone();
        Callback::from(move |next: Route| {
            if next == *route {
                return;
            }
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(next.href()));
            }
            route.set(next);
        })
    };
    let onevent = {
        let reference = reference.clone();
        Callback::from(move |event: SurveyEvent| {
            if let SurveyEvent::Complete { reference: r, .. } = event {
                reference.set(Some(r.unwrap_or_default()));
            }
        })
    };

    let view = match *route {
        Route::Home => html! {
            <section class="app-view" aria-labelledby="view-heading">
                <h1 id="view-heading" tabindex="-1" ref={heading}>{ "Your local health services" }</h1>
                <p class="post__lead">
                    { "Opening times, vaccine clinics and news from the Northfield Community Health \
                       Partnership, in one place." }
                </p>
                if let Some(r) = &*reference {
                    <p class="app-note" role="status">
                        { format!("Thank you for your feedback. Your reference is {r}.") }
                    </p>
                } else {
                    <p>
                        { "We are asking how we should talk with you online. " }
                        <a href={Route::Feedback.href()} onclick={follow(&ongo, Route::Feedback)}>{ "Give us your feedback" }</a>
                        { " – it takes about 3 minutes and is anonymous." }
                    </p>
                }
            </section>
        },
        Route::Feedback => html! {
            <section class="app-view" aria-labelledby="view-heading">
                <h1 id="view-heading" tabindex="-1" ref={heading}>{ "Feedback" }</h1>
                <p class="post__lead">
                    { "This view is rendered by yew. The survey below is the survey-widget crate's \
                       Survey component, rendered in this app's own DOM." }
                </p>
                {
                    match &*definition {
                        Definition::Loading => html! { <p role="status">{ "Loading the survey…" }</p> },
                        Definition::Failed(_) => html! {
                            <p role="alert">
                                { "Sorry, the survey cannot be shown at the moment. You can " }
                                <a href={format!("{}{OWN_PAGE_PATH}", collector())}>{ "answer it on its own page" }</a>{ "." }
                            </p>
                        },
                        // .sw-root is the class the widget's stylesheet scopes every rule to
                        // (mount() gives its container the same class).
                        Definition::Ready(survey) => html! {
                            <div class="sw-root yew-survey">
                                <Survey definition={survey.clone()} endpoint={AttrValue::from(format!("{}{ENDPOINT_PATH}", collector()))}
                                        hidden={Shared(Rc::new(BTreeMap::from([("channel".to_owned(), "yew".to_owned())])))}
                                        heading_level={2} id_prefix="yew-survey" {onevent} />
                            </div>
                        },
                    }
                }
            </section>
        },
    };
    html! { <>
        <Nav current={*route} {ongo} />
        { view }
    </> }
}

/// Renders the app into `#app` (its fallback text stays if anything is missing).
#[wasm_bindgen(start)]
pub fn start() {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    if let Some(root) = root {
        yew::Renderer::<App>::with_root(root).render();
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn routes_come_from_the_query() {
        assert_eq!(Route::from_query(""), Route::Home);
        assert_eq!(Route::from_query("?view=home"), Route::Home);
        assert_eq!(Route::from_query("?view=feedback"), Route::Feedback);
        assert_eq!(Route::from_query("?x=1&view=feedback"), Route::Feedback);
        assert_eq!(Route::from_query("?view=feedbackx"), Route::Home);
        for route in [Route::Home, Route::Feedback] {
            assert_eq!(Route::from_query(route.href()), route);
        }
    }
}
