//! The device's storage, and the lock that orders the tabs' changes to it. Only strings
//! under keys: what is kept, in what shape and for how long is decided by the modules that own
//! those records (the drafts and delivery modules).
//!
//! Storage can be missing or full (private browsing, a sandboxed iframe, a full quota): every
//! function then reports failure, and its caller says so instead of promising.

use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Storage;

/// Which storage: `localStorage` outlives the tab, `sessionStorage` ends with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Local,
    Session,
}

fn store(area: Area) -> Option<Storage> {
    let window = web_sys::window()?;
    match area {
        Area::Local => window.local_storage(),
        Area::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

/// The text under `key`, if there is storage and something is kept there.
pub fn read(area: Area, key: &str) -> Option<String> {
    store(area)?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key`. Returns whether it is really kept.
pub fn write(area: Area, key: &str, value: &str) -> bool {
    store(area).is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Removes `key`. Returns whether storage answered.
pub fn remove(area: Area, key: &str) -> bool {
    store(area).is_some_and(|s| s.remove_item(key).is_ok())
}

/// Every key kept in `area` that starts with `prefix`.
pub fn keys(area: Area, prefix: &str) -> Vec<String> {
    let Some(s) = store(area) else { return Vec::new() };
    (0..s.length().unwrap_or(0)).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect()
}

/// Runs `change` (a read-modify-write of storage, with no await inside) while holding the Web
/// Lock `name`, which every tab of the site shares: two tabs never interleave their changes.
/// Returns what `change` returns: whether the change is really kept.
///
/// The lock orders the changes; it does not make what `change` reads current. Chromium gives each
/// renderer process its own copy of `localStorage`, which learns of another process's writes a
/// moment later, so a tab that takes the lock just after another wrote may read what was there
/// before. A change should therefore write only keys that nothing else writes meanwhile (the
/// outbox keeps one key per submission for this reason), never a whole list of other records.
///
/// Without Web Locks (browsers before Safari 15.4, or a frame where `navigator.locks` refuses),
/// `change` runs at once. It is synchronous, so nothing in this tab can come between its read and
/// its write; only another tab in another process can, and then the later write wins.
pub async fn exclusive(name: &str, change: impl FnOnce() -> bool + 'static) -> bool {
    // Boxed, so that what follows is compiled once, not once per caller.
    exclusive_boxed(name, Box::new(change)).await
}

async fn exclusive_boxed(name: &str, change: Box<dyn FnOnce() -> bool>) -> bool {
    let result = Rc::new(Cell::new(None));
    let change = Rc::new(Cell::new(Some(change)));
    let run = {
        let (result, change) = (Rc::clone(&result), Rc::clone(&change));
        move || {
            if let Some(change) = change.take() {
                result.set(Some(change()));
            }
        }
    };
    if let Some((locks, request)) = lock_manager() {
        let run = run.clone();
        let callback = Closure::once(move |_lock: JsValue| run());
        if let Ok(promise) = request.call2(&locks, &JsValue::from_str(name), callback.as_ref()) {
            // The promise settles once the callback has run (or the request was refused).
            let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await;
        }
    }
    // No Web Locks, or the request failed before the change ran: run it now.
    run();
    result.get().unwrap_or(false)
}

/// `navigator.locks` and its `request` method, where the browser has them.
fn lock_manager() -> Option<(JsValue, js_sys::Function)> {
    let navigator = js_sys::Reflect::get(&web_sys::window()?.into(), &JsValue::from_str("navigator")).ok()?;
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request = js_sys::Reflect::get(&locks, &JsValue::from_str("request")).ok()?.dyn_into::<js_sys::Function>().ok()?;
    Some((locks, request))
}
