//! The JavaScript boundary: what the loader (`survey-widget.js`) and the JS API call.

use crate::components::{Embed, EmbedProps, Shared, SurveyEvent};
use yew::prelude::{component, html, Html, Properties};
use crate::config::{MountOptions, RenderMode};
use crate::error::Error;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Element, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    /// Every mounted widget's container, so a panic can leave a message in each of them.
    static CONTAINERS: RefCell<Vec<Element>> = const { RefCell::new(Vec::new()) };
    /// Idle yew apps with their containers, waiting for the next mount.
    static POOL: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

/// A yew app and the element it renders into, kept for reuse. yew's delegated event listeners
/// hold their app alive for ever (yew forgets them on purpose), so an app that is destroyed
/// still leaks its element, listeners and memory. Instead an app is emptied and parked here
/// when its widget is destroyed, and the next mount reuses it: nodes, listeners and memory stay
/// bounded by the most widgets ever on the page at once.
struct Slot {
    app: AppHandle<Root>,
    container: Element,
}

#[derive(Properties, PartialEq, Clone, Default)]
struct RootProps {
    /// The mount's number (a fresh key, so a reused app starts with fresh state) and its props;
    /// `None` while parked.
    embed: Option<(u32, EmbedProps)>,
}

#[component]
fn Root(props: &RootProps) -> Html {
    match &props.embed {
        Some((n, p)) => html! {
            <Embed key={*n} options={p.options.clone()} id_prefix={p.id_prefix.clone()} onevent={p.onevent.clone()}
                   definition={p.definition.clone()} />
        },
        None => Html::default(),
    }
}

const CRASH_MESSAGE: &str =
    "Sorry, this survey stopped working. Your answers on this page were not sent. Reload the page to try again.";

fn install_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        yew::set_custom_panic_hook(Box::new(|info| {
            web_sys::console::error_1(&format!("survey-widget stopped: {info}").into());
            // With panic = "abort" the module ends after this hook: say so in every widget
            // rather than leave them frozen. The trap that follows reaches index.mjs, which
            // replaces each container (found by its sw-root class) with the fuller message and
            // the survey's link; this one covers a host that swallows that error.
            CONTAINERS.with(|c| {
                if let Ok(list) = c.try_borrow() {
                    for el in list.iter() {
                        el.set_text_content(Some(CRASH_MESSAGE));
                        let _ = el.set_attribute("role", "alert");
                        let _ = el.set_attribute("class", "sw-root sw-problem");
                    }
                }
            });
        }));
    });
}

/// A mounted widget. Dropping it, or calling `destroy()`, removes its DOM and every listener.
#[wasm_bindgen]
#[must_use = "dropping the handle removes the widget at once"]
pub struct WidgetHandle {
    slot: Option<Slot>,
    /// The stylesheet link this mount added, if any.
    link: Option<Element>,
    /// What the app was given, for [`WidgetHandle::update`].
    props: RootProps,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Shows `definition_json` instead of the survey on screen, in place: answers to questions
    /// it still has are kept, and so is the page. Made for a preview being edited, where the
    /// survey changes with every keystroke. A definition with problems is refused with them
    /// all, and the widget keeps showing the last good one. Nothing happens after `destroy()`.
    pub fn update(&mut self, definition_json: &str) -> Result<(), JsError> {
        let survey = parse_update(definition_json).map_err(|e| JsError::new(&e.to_string()))?;
        let Some(slot) = self.slot.as_mut() else { return Ok(()) };
        if let Some((_, embed)) = self.props.embed.as_mut() {
            embed.definition = Some(Shared(Rc::new(survey)));
        }
        slot.app.update(self.props.clone());
        Ok(())
    }

    /// Removes the widget and everything it added to the page. Safe to call twice.
    pub fn destroy(&mut self) {
        if let Some(mut slot) = self.slot.take() {
            // Unmounts the survey (its effects clean up: timers, listeners, ownership)…
            slot.app.update(RootProps::default());
            slot.container.remove();
            CONTAINERS.with(|c| {
                if let Ok(mut list) = c.try_borrow_mut() {
                    list.retain(|el| *el != slot.container);
                }
            });
            // …and parks the app for the next mount.
            POOL.with(|p| p.borrow_mut().push(slot));
        }
        if let Some(link) = self.link.take() {
            link.remove();
        }
    }
}

impl Drop for WidgetHandle {
    fn drop(&mut self) {
        self.destroy();
    }
}

fn dispatch(host: &Element, event: &SurveyEvent, survey_id: &str) {
    use serde_json::json;
    let (name, detail) = match event {
        SurveyEvent::Ready => ("survey:ready", json!({ "survey_id": survey_id })),
        SurveyEvent::Start => ("survey:start", json!({ "survey_id": survey_id })),
        SurveyEvent::Page { index, page_id } => {
            ("survey:page", json!({ "survey_id": survey_id, "index": index, "page_id": page_id }))
        }
        SurveyEvent::Submit { submission_id } => {
            ("survey:submit", json!({ "survey_id": survey_id, "submission_id": submission_id }))
        }
        SurveyEvent::Queued { submission_id } => {
            ("survey:queued", json!({ "survey_id": survey_id, "submission_id": submission_id }))
        }
        SurveyEvent::Complete { submission_id, reference } => (
            "survey:complete",
            json!({ "survey_id": survey_id, "submission_id": submission_id, "reference": reference }),
        ),
        SurveyEvent::Error { code, message } => {
            ("survey:error", json!({ "survey_id": survey_id, "code": code, "message": message }))
        }
    };
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    if let Ok(detail) = js_sys::JSON::parse(&detail.to_string()) {
        init.set_detail(&detail);
    }
    if let Ok(e) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&e);
    }
}

/// Mounts a widget into `host`. `options_json` is the options object as JSON:
/// `{"survey_url" | "survey_json", "endpoint", "lang", "anonymous", "hidden", "heading_level",
/// "render", "stylesheet"}`, and `"survey_text"`: the text at `survey_url` when index.mjs has
/// fetched it already. Problems with the options or the definition are shown in the widget
/// and reported as `survey:error`; only a DOM that refuses the widget is an exception here.
#[wasm_bindgen]
pub fn mount(host: Element, options_json: &str) -> Result<WidgetHandle, JsError> {
    mount_element(host, options_json).map_err(|e| JsError::new(&e.to_string()))
}

/// Removes what a page shows in the element until the widget arrives (`data-survey-placeholder`,
/// as on the collector's `/s/{id}`): a shadow root hides it by itself, a light-DOM render must.
fn remove_placeholders(host: &Element) {
    let Ok(found) = host.query_selector_all(":scope > [data-survey-placeholder]") else { return };
    for i in 0..found.length() {
        if let Some(node) = found.item(i) {
            let _ = host.remove_child(&node);
        }
    }
}

/// [`mount`] for Rust callers.
pub fn mount_element(host: Element, options_json: &str) -> crate::Result<WidgetHandle> {
    install_panic_hook();
    // Whatever earlier visits left in the outbox goes out too, widget or not.
    crate::delivery::start();
    let options = MountOptions::parse(options_json);
    let document = host.owner_document().ok_or_else(|| Error::Dom("the element is not in a document".into()))?;
    let light = matches!(&options, Ok(o) if o.render == RenderMode::Light);
    // A shadow root once attached stays for the element's life: reuse it when remounting.
    let shadow = if light {
        None
    } else {
        host.shadow_root().or_else(|| host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).ok())
    };
    let dom = |e: JsValue| Error::Dom(format!("{e:?}"));
    let link = match options.as_ref().ok().and_then(|o| o.stylesheet.clone()) {
        Some(href) => {
            let link = document.create_element("link").map_err(dom)?;
            link.set_attribute("rel", "stylesheet").map_err(dom)?;
            link.set_attribute("href", &href).map_err(dom)?;
            Some(link)
        }
        None => None,
    };
    let pooled = POOL.with(|p| p.borrow_mut().pop());
    let container = match &pooled {
        Some(slot) => slot.container.clone(),
        None => {
            let el = document.create_element("div").map_err(dom)?;
            el.set_attribute("class", "sw-root").map_err(dom)?;
            el
        }
    };
    if light {
        remove_placeholders(&host);
    }
    for node in link.iter().chain(std::iter::once(&container)) {
        match &shadow {
            Some(root) => root.append_child(node).map_err(dom)?,
            None => host.append_child(node).map_err(dom)?,
        };
    }
    CONTAINERS.with(|c| c.borrow_mut().push(container.clone()));

    let n = NEXT_ID.with(|c| {
        let n = c.get();
        c.set(n.wrapping_add(1));
        n
    });
    let onevent = {
        let host = host.clone();
        yew::Callback::from(move |(survey_id, event): (yew::AttrValue, SurveyEvent)| {
            dispatch(&host, &event, &survey_id)
        })
    };
    let embed =
        EmbedProps { options: Shared(Rc::new(options)), id_prefix: format!("sw{n}").into(), onevent, definition: None };
    let props = RootProps { embed: Some((n, embed)) };
    let slot = match pooled {
        Some(mut slot) => {
            slot.app.update(props.clone());
            slot
        }
        None => {
            let app = yew::Renderer::<Root>::with_root_and_props(container.clone(), props.clone()).render();
            Slot { app, container }
        }
    };
    Ok(WidgetHandle { slot: Some(slot), link, props })
}

/// A definition given to [`WidgetHandle::update`], checked like one fetched at mount; keys this
/// widget does not know are reported in the console.
fn parse_update(definition_json: &str) -> crate::Result<survey_model::Survey> {
    let (survey, warnings) = survey_model::Survey::parse_with_warnings(definition_json)?;
    for w in warnings {
        web_sys::console::warn_1(&format!("survey-widget: {w}").into());
    }
    Ok(survey)
}
