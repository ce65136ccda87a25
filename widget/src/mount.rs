//! The JavaScript boundary: what the loader (`survey-widget.js`) and the JS API call.

use crate::components::{Embed, EmbedProps, Shared, SurveyEvent};
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
}

const CRASH_MESSAGE: &str =
    "Sorry, this survey stopped working. Your answers on this page were not sent. Reload the page to try again.";

fn install_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        yew::set_custom_panic_hook(Box::new(|info| {
            web_sys::console::error_1(&format!("survey-widget stopped: {info}").into());
            // With panic = "abort" the module ends after this hook: say so in every widget
            // rather than leave them frozen.
            CONTAINERS.with(|c| {
                if let Ok(list) = c.try_borrow() {
                    for el in list.iter() {
                        el.set_text_content(Some(CRASH_MESSAGE));
                        let _ = el.set_attribute("role", "alert");
                        let _ = el.set_attribute("class", "sw sw-problem");
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
    app: Option<AppHandle<Embed>>,
    /// Nodes this mount added (the container, and the stylesheet link if any).
    added: Vec<Element>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the widget and everything it added to the page. Safe to call twice.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        let added = std::mem::take(&mut self.added);
        CONTAINERS.with(|c| {
            if let Ok(mut list) = c.try_borrow_mut() {
                list.retain(|el| !added.contains(el));
            }
        });
        // yew leaves its delegated listeners on the element it rendered into; removing that
        // element (a fresh child per mount) removes them with it.
        for el in added {
            el.remove();
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
/// "render", "stylesheet"}`. Problems with the options or the definition are shown in the widget
/// and reported as `survey:error`; only a DOM that refuses the widget is an exception here.
#[wasm_bindgen]
pub fn mount(host: Element, options_json: &str) -> Result<WidgetHandle, JsError> {
    mount_element(host, options_json).map_err(|e| JsError::new(&e.to_string()))
}

/// [`mount`] for Rust callers.
pub fn mount_element(host: Element, options_json: &str) -> crate::Result<WidgetHandle> {
    install_panic_hook();
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
    let mut added = Vec::new();
    if let Some(href) = options.as_ref().ok().and_then(|o| o.stylesheet.clone()) {
        let link = document.create_element("link").map_err(dom)?;
        link.set_attribute("rel", "stylesheet").map_err(dom)?;
        link.set_attribute("href", &href).map_err(dom)?;
        added.push(link);
    }
    let container = document.create_element("div").map_err(dom)?;
    container.set_attribute("class", "sw-root").map_err(dom)?;
    added.push(container.clone());
    for node in &added {
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
    let props = EmbedProps { options: Shared(Rc::new(options)), id_prefix: format!("sw{n}").into(), onevent };
    let app = yew::Renderer::<Embed>::with_root_and_props(container, props).render();
    Ok(WidgetHandle { app: Some(app), added })
}
