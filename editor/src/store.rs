//! Where the editor keeps its state ([`State`]), and when it draws it.
//!
//! Every change is applied at once, so whatever reads the state (saving, publishing, the next
//! keystroke) reads the newest. The preview is given each new definition the model accepts at
//! once as well. Only the drawing of the form may wait:
//! - a change made with a button or a choice ([`Store::dispatch`]) is drawn at once: it can
//!   add, remove or move what is on screen, and focus may have to follow it;
//! - text typed into a field ([`Store::typed`]) is on screen already, in the field itself, and
//!   in the preview. The rest of the form (a question's heading, the problem list, the saving
//!   status) is drawn once the browser has made its next frame, in a task of low priority, so
//!   that frame, the one that shows the typed letter and the preview, carries none of the
//!   form's work. Typing faster than frames come draws the form once for them all.

use crate::doc::Edit;
use crate::preview;
use crate::state::{Action, State};
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::functional::UseForceUpdateHandle;
use yew::prelude::*;

/// If no frame comes (a tab in the background draws none), the form is drawn after this long
/// all the same, so what depends on drawing (saving by itself, the warning before leaving
/// with unsaved changes) is never held back by it.
const REDRAW_AT_THE_LATEST_MS: u32 = 100;

/// The editor's state, shared by every handler and by the app that draws it.
#[derive(Clone)]
pub struct Store {
    state: Rc<RefCell<Rc<State>>>,
    /// Whether a drawing of the form is waiting for the next frame.
    waiting: Rc<Cell<bool>>,
    redraw: UseForceUpdateHandle,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

/// The app's store: made on its first render, the same one ever after.
#[hook]
pub fn use_store() -> Store {
    let redraw = use_force_update();
    let cells = use_memo((), |_| (Rc::new(RefCell::new(Rc::new(State::new()))), Rc::default()));
    let (state, waiting) = &*cells;
    Store { state: Rc::clone(state), waiting: Rc::clone(waiting), redraw }
}

impl Store {
    /// The newest state.
    pub fn get(&self) -> Rc<State> {
        Rc::clone(&self.state.borrow())
    }

    /// Applies `action` and draws the form at once (a drawing waiting for the next frame is
    /// then no longer needed).
    pub fn dispatch(&self, action: Action) {
        if self.apply(action) {
            self.waiting.set(false);
            self.redraw.force_update();
        }
    }

    /// Applies a change typed into a text field: the preview shows it at once, the rest of the
    /// form is drawn after the next frame.
    pub fn typed(&self, edit: Edit) {
        if !self.apply(Action::Edit(edit)) || self.waiting.replace(true) {
            return;
        }
        let draw = {
            let store = self.clone();
            move || {
                if store.waiting.replace(false) {
                    store.redraw.force_update();
                }
            }
        };
        let framed = next_frame({
            let draw = draw.clone();
            move || in_the_background(draw)
        });
        Timeout::new(if framed { REDRAW_AT_THE_LATEST_MS } else { 0 }, draw).forget();
    }

    /// Applies `action`; hands the preview a new accepted definition. Says whether anything
    /// changed.
    fn apply(&self, action: Action) -> bool {
        let before = self.get();
        let after = Reducible::reduce(Rc::clone(&before), action);
        if Rc::ptr_eq(&before, &after) {
            return false;
        }
        // A definition the model accepted is written anew; any other change keeps the one before.
        let accepted = after.valid.clone().filter(|new| !before.valid.as_ref().is_some_and(|old| Rc::ptr_eq(old, new)));
        *self.state.borrow_mut() = after;
        if let Some(definition) = accepted {
            preview::show(&definition);
        }
        true
    }
}

/// Runs `f` as the browser prepares its next frame (`requestAnimationFrame`). Says whether
/// the browser took it.
fn next_frame(f: impl FnOnce() + 'static) -> bool {
    let callback = Closure::once_into_js(f);
    web_sys::window().is_some_and(|w| w.request_animation_frame(callback.unchecked_ref()).is_ok())
}

/// Runs `f` in a task of its own, after the tasks already waiting and anything more urgent
/// (`scheduler.postTask` at background priority, where the browser has it; else a timer).
fn in_the_background(f: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(f);
    let global = js_sys::global();
    let post_task = js_sys::Reflect::get(&global, &JsValue::from_str("scheduler"))
        .ok()
        .filter(|s| s.is_object())
        .and_then(|scheduler| {
            let post = js_sys::Reflect::get(&scheduler, &JsValue::from_str("postTask")).ok()?;
            Some((scheduler, post.dyn_into::<js_sys::Function>().ok()?))
        });
    if let Some((scheduler, post)) = post_task {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str("priority"), &JsValue::from_str("background"));
        if post.call2(&scheduler, &callback, &options).is_ok() {
            return;
        }
    }
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback(callback.unchecked_ref());
    }
}
