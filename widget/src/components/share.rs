//! The confirmation's share link: the link itself (so it can always be read and copied by hand),
//! a Copy button, and the device's own share sheet where the browser has one. The Copy button
//! ([`CopyButton`]) also copies a refused respondent's answers.

use crate::i18n::Words;
use super::Shared;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ShareLinkProps {
    /// The link to share, made absolute against the page.
    pub url: AttrValue,
    /// The words that go with it ("Have your say").
    pub text: AttrValue,
    pub words: Shared<Words>,
}

/// `navigator[name]`, if the browser has it (Web Share and the async clipboard are not
/// everywhere, and not in every context: both need a secure page).
fn navigator() -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    Reflect::get(&window, &JsValue::from_str("navigator")).ok().filter(JsValue::is_object)
}

fn navigator_method(name: &str) -> Option<(JsValue, Function)> {
    let navigator = navigator()?;
    let f = Reflect::get(&navigator, &JsValue::from_str(name)).ok()?.dyn_into::<Function>().ok()?;
    Some((navigator, f))
}

fn clipboard_write(text: &str) -> Option<Promise> {
    let navigator = navigator()?;
    let clipboard = Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok().filter(|c| c.is_object())?;
    let write = Reflect::get(&clipboard, &JsValue::from_str("writeText")).ok()?.dyn_into::<Function>().ok()?;
    write.call1(&clipboard, &JsValue::from_str(text)).ok()?.dyn_into::<Promise>().ok()
}

#[derive(Properties, PartialEq, Clone)]
pub struct CopyButtonProps {
    /// What goes to the clipboard.
    pub text: AttrValue,
    pub label: AttrValue,
    /// Said once the text is on the clipboard.
    pub copied: AttrValue,
    /// Said when it could not be copied: how to copy it by hand instead.
    pub failed: AttrValue,
}

/// A secondary button that copies `text`, and a polite status that says whether it worked.
#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    // What the polite region says after a copy; it exists (empty) before, so it is announced.
    let said = use_state(AttrValue::default);
    let oncopy = {
        let said = said.clone();
        let props = props.clone();
        Callback::from(move |_: MouseEvent| {
            let said = said.clone();
            let (copied, failed) = (props.copied.clone(), props.failed.clone());
            let written = clipboard_write(&props.text);
            wasm_bindgen_futures::spawn_local(async move {
                let ok = match written {
                    Some(p) => JsFuture::from(p).await.is_ok(),
                    None => false,
                };
                said.set(if ok { copied } else { failed });
            });
        })
    };
    html! {
        <>
            <button type="button" class="sw-button sw-button--secondary" onclick={oncopy}>{ props.label.clone() }</button>
            <div class="sw-visually-hidden" role="status">{ (*said).clone() }</div>
        </>
    }
}

#[component]
pub fn ShareLink(props: &ShareLinkProps) -> Html {
    let can_share = use_memo((), |_| navigator_method("share").is_some());
    let onshare = {
        let url = props.url.to_string();
        let text = props.text.to_string();
        Callback::from(move |_: MouseEvent| {
            let Some((navigator, share)) = navigator_method("share") else { return };
            let data = Object::new();
            let _ = Reflect::set(&data, &"url".into(), &JsValue::from_str(&url));
            let _ = Reflect::set(&data, &"text".into(), &JsValue::from_str(&text));
            if let Ok(p) = share.call1(&navigator, &data).and_then(|p| p.dyn_into::<Promise>()) {
                // Closing the share sheet rejects the promise; that is the respondent's choice,
                // not an error to report.
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(p).await;
                });
            }
        })
    };
    let w = &props.words;
    html! {
        <div class="sw-share">
            <p class="sw-body"><a class="sw-link sw-share__link" href={props.url.clone()}>{ props.text.clone() }</a></p>
            <p class="sw-share__url">{ props.url.clone() }</p>
            <div class="sw-actions sw-share__actions">
                <CopyButton text={props.url.clone()} label={w.copy_link.clone()} copied={w.link_copied.clone()} failed={w.copy_failed.clone()} />
                if *can_share {
                    <button type="button" class="sw-button sw-button--secondary" onclick={onshare}>{ w.share_native.clone() }</button>
                }
            </div>
        </div>
    }
}

/// `url` made absolute against the page, so a copied link works anywhere.
pub fn absolute(url: &str) -> String {
    let base = web_sys::window().and_then(|w| w.location().href().ok());
    match base.and_then(|b| web_sys::Url::new_with_base(url, &b).ok()) {
        Some(u) => u.href(),
        None => url.to_owned(),
    }
}
