//! Import and export: a JSON file read into the editor (and checked like anything typed), and
//! every published version to download.

use crate::api;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

/// The largest file the editor reads; the collector refuses larger definitions anyway.
const MAX_FILE_BYTES: f64 = 1024.0 * 1024.0;

#[derive(Properties, PartialEq, Clone)]
pub struct TransferProps {
    pub id: Option<String>,
    pub on_import: Callback<Value>,
    /// Changes when a version is published, so the list is read again.
    pub published: Option<u64>,
}

#[function_component]
pub fn Transfer(props: &TransferProps) -> Html {
    let message = use_state(|| None::<(bool, String)>);
    let versions = use_state(Vec::<(u64, String)>::new);
    {
        let versions = versions.clone();
        use_effect_with((props.id.clone(), props.published), move |(id, _)| {
            if let Some(id) = id.clone() {
                spawn_local(async move {
                    if let Ok(body) = api::versions(&id).await {
                        versions.set(
                            body.get("versions")
                                .and_then(Value::as_array)
                                .into_iter()
                                .flatten()
                                .filter_map(|v| Some((v.get("version")?.as_u64()?, v.get("download_url")?.as_str()?.to_owned())))
                                .collect(),
                        );
                    }
                });
            }
        });
    }
    let onchange = {
        let (message, on_import) = (message.clone(), props.on_import.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let (message, on_import) = (message.clone(), on_import.clone());
            spawn_local(async move { message.set(Some(import(file, &on_import).await)) });
        })
    };
    html! {
        <section aria-labelledby="files-heading">
            <h2 id="files-heading">{ "Files" }</h2>
            <div class="field">
                <label for="import-file">{ "Import a definition file" }</label>
                <p class="hint" id="import-hint">{ "A survey written as JSON. It replaces what is in the editor, and is checked like anything typed here. Nothing is published until you publish." }</p>
                <input type="file" id="import-file" accept="application/json,.json" aria-describedby="import-hint" {onchange} />
            </div>
            if let Some((ok, text)) = (*message).clone() {
                <p class={if ok { "notice notice-success" } else { "notice notice-error" }} role="status">{ text }</p>
            }
            if !versions.is_empty() {
                <h3>{ "Published versions" }</h3>
                <ul class="versions">
                    { for versions.iter().rev().map(|(v, url)| html! {
                        <li><a href={url.clone()} download="">{ format!("Download version {v}") }</a></li>
                    }) }
                </ul>
            }
        </section>
    }
}

/// Reads `file` into the editor, or says why not: `(imported, what happened)`.
async fn import(file: web_sys::File, on_import: &Callback<Value>) -> (bool, String) {
    let name = file.name();
    if file.size() > MAX_FILE_BYTES {
        return (false, format!("{name} is larger than 1 MB, too large to be a survey definition. Nothing was changed."));
    }
    let text = match JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()) {
        Some(t) => t,
        None => return (false, format!("{name} could not be read. Nothing was changed.")),
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(doc) if doc.is_object() => {
            on_import.emit(doc);
            (true, format!("{name} was imported. Check it below, then save or publish it."))
        }
        Ok(_) => (false, format!("{name} is JSON but not a survey definition (an object). Nothing was changed.")),
        Err(e) => (false, format!("{name} is not valid JSON ({e}). Nothing was changed.")),
    }
}

/// Copies `text` to the clipboard and says so in the live region `status_id`.
pub fn copy_text(text: &str, status_id: &'static str) {
    let Some(window) = web_sys::window() else { return };
    let clipboard = window.navigator().clipboard();
    let promise = clipboard.write_text(text);
    spawn_local(async move {
        let said = match JsFuture::from(promise).await {
            Ok(_) => "Copied.",
            Err(_) => "It could not be copied by the browser: select the text and copy it.",
        };
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(status_id)) {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                el.set_inner_text(said);
            }
        }
    });
}
