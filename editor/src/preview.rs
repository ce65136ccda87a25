//! The live preview: the real widget, mounted through its public JavaScript API in preview mode
//! by the page's script (`assets/editor.mjs`), and updated in place with `handle.update()`.
//! This component only hands the script each definition the model accepts, as the event
//! `survey-editor:preview` on the preview's element.

use std::rc::Rc;
use wasm_bindgen::JsValue;
use yew::prelude::*;

/// The name of the event the page's script listens for.
pub const EVENT: &str = "survey-editor:preview";

#[derive(Properties, PartialEq, Clone)]
pub struct PreviewProps {
    /// The newest definition without problems, as JSON text; `None` until there is one.
    pub definition: Option<Rc<String>>,
    /// Whether the definition on screen in the editor has problems (so the preview is older).
    pub behind: bool,
}

#[function_component]
pub fn Preview(props: &PreviewProps) -> Html {
    let host = use_node_ref();
    let phone = use_state(|| false);
    {
        let host = host.clone();
        use_effect_with(props.definition.clone(), move |definition| {
            if let (Some(definition), Some(el)) = (definition, host.cast::<web_sys::Element>()) {
                send(&el, definition);
            }
        });
    }
    let width = |to_phone: bool, label: &'static str| {
        let phone = phone.clone();
        let pressed = *phone == to_phone;
        html! {
            <button type="button" class="secondary small" aria-pressed={if pressed { "true" } else { "false" }}
                onclick={Callback::from(move |_| phone.set(to_phone))}>{ label }</button>
        }
    };
    html! {
        <aside class="editor-preview" aria-labelledby="preview-heading">
            <div class="preview-bar">
                <h2 id="preview-heading">{ "Preview" }</h2>
                <div class="preview-widths" role="group" aria-label="Preview width">
                    { width(true, "Phone") }
                    { width(false, "Desktop") }
                </div>
            </div>
            <p class="hint" aria-live="polite">
                if props.definition.is_none() {
                    { "The preview appears once the survey has no problems." }
                } else if props.behind {
                    { "The preview shows the last version without problems. Fix the problems listed to see your newest changes." }
                } else {
                    { "As respondents will see it. Answers given here are never sent." }
                }
            </p>
            <div class={classes!("preview-frame", phone.then_some("phone"))}>
                <div id="survey-editor-preview" ref={host}></div>
            </div>
        </aside>
    }
}

/// Hands `definition` to the page's script.
fn send(el: &web_sys::Element, definition: &str) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_detail(&JsValue::from_str(definition));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(EVENT, &init) {
        let _ = el.dispatch_event(&event);
    }
}
