//! Feeds the live preview. The preview is the real widget, mounted through its public
//! JavaScript API in preview mode by the page's script (`assets/editor.mjs`) and updated in
//! place with `handle.update()`.
//!
//! The preview's element is in the page, beside the editor, never inside the editor's own
//! tree: yew finds the handler of an event by a number it stores on each element, and the
//! widget is a second yew app whose elements carry its own numbers, so a click in a preview
//! inside the editor's tree would run whichever editor handler has the same number (it
//! published the survey). This component draws nothing; it sends the page's script each
//! definition the model accepts, as the event [`EVENT`] on the preview's element, and says
//! whether the preview is behind the editor ([`STATUS_EVENT`]).

use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// The event that carries a definition (its detail: the JSON text).
pub const EVENT: &str = "survey-editor:preview";
/// The event that says what the preview shows (its detail: `none`, `behind` or `current`).
pub const STATUS_EVENT: &str = "survey-editor:preview-status";
/// The id of the preview's element in the page.
pub const HOST_ID: &str = "survey-editor-preview";

#[derive(Properties, PartialEq, Clone)]
pub struct PreviewProps {
    /// The newest definition without problems, as JSON text; `None` until there is one.
    pub definition: Option<Rc<String>>,
    /// Whether the definition on screen in the editor has problems (so the preview is older).
    pub behind: bool,
}

#[function_component]
pub fn PreviewFeed(props: &PreviewProps) -> Html {
    use_effect_with(props.definition.clone(), move |definition| {
        if let Some(definition) = definition {
            send(EVENT, definition);
        }
    });
    let status = match (&props.definition, props.behind) {
        (None, _) => "none",
        (Some(_), true) => "behind",
        (Some(_), false) => "current",
    };
    use_effect_with(status, move |status| send(STATUS_EVENT, status));
    html! {}
}

/// Sends `detail` to the page's script on the preview's element.
fn send(name: &str, detail: &str) {
    let Some(host) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(HOST_ID)) else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&JsValue::from_str(detail));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}
