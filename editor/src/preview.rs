//! Feeds the live preview. The preview is the real widget, mounted through its public
//! JavaScript API in preview mode by the page's script (`assets/editor.mjs`) and updated in
//! place with `handle.update()`.
//!
//! The preview's element is in the page, beside the editor, never inside the editor's own
//! tree: yew finds the handler of an event by a number it stores on each element, and the
//! widget is a second yew app whose elements carry its own numbers, so a click in a preview
//! inside the editor's tree would run whichever editor handler has the same number (it
//! published the survey). The editor's store ([`crate::store`]) sends the page's script each
//! definition the model accepts, as the event [`EVENT`] on the preview's element ([`show`]);
//! [`PreviewStatus`] draws nothing and says whether the preview is behind the editor
//! ([`STATUS_EVENT`]).

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
    /// Whether the model has accepted any definition yet (so the preview shows one).
    pub shown: bool,
    /// Whether the definition on screen in the editor has problems (so the preview is older).
    pub behind: bool,
}

/// Says to the page's script whether the preview is behind the editor. (The definitions
/// themselves are handed over by [`show`], as soon as the model accepts them.)
#[function_component]
pub fn PreviewStatus(props: &PreviewProps) -> Html {
    let status = match (props.shown, props.behind) {
        (false, _) => "none",
        (true, true) => "behind",
        (true, false) => "current",
    };
    use_effect_with(status, move |status| send(STATUS_EVENT, status));
    html! {}
}

/// Hands the page's script a definition the model accepted (JSON text), for the preview.
pub fn show(definition: &str) {
    send(EVENT, definition);
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
