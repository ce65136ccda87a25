//! Saving by itself, a moment after the last change.
//!
//! One timer serves a whole burst of typing: each change moves the moment of saving on, and a
//! timer that fires before that moment waits out the rest. (A new timer per keystroke, and the
//! old one cleared, cost the keystroke about as much as the model's check of the survey, at 4×
//! CPU slowdown.)

use crate::state::{State, Status};
use crate::store::Store;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use yew::prelude::*;

/// How long after the last change a survey whose id is settled is saved by itself.
pub const AUTOSAVE_MS: u32 = 2_000;

#[derive(Default)]
struct Clock {
    /// When to save (`Date.now()` milliseconds), if the state has not changed again by then.
    due: f64,
    /// Where the state to save is kept (the newest is saved).
    store: Option<Store>,
    timer: Option<Timeout>,
}

/// Calls `save` with the store once nothing has changed for [`AUTOSAVE_MS`], while the survey
/// (`state`, as drawn) has an id, has unsaved changes, and saving by itself is not held back.
#[hook]
pub fn use_autosave(store: &Store, state: &State, save: fn(Store)) {
    let clock = use_mut_ref(Clock::default);
    let unsaved = state.status == Status::Unsaved;
    let store = store.clone();
    use_effect_with((state.revision, state.id.is_some(), unsaved, state.hold_autosave), move |&(_, has_id, unsaved, hold)| {
        let wanted = has_id && unsaved && !hold;
        let idle = {
            let mut c = clock.borrow_mut();
            if !wanted {
                c.timer = None;
                c.store = None;
                return;
            }
            c.due = js_sys::Date::now() + f64::from(AUTOSAVE_MS);
            c.store = Some(store);
            c.timer.is_none()
        };
        if idle {
            arm(&clock, AUTOSAVE_MS, save);
        }
    });
}

/// Sets the timer to fire in `ms`: then it saves, or waits again if a change moved the moment on.
fn arm(clock: &Rc<RefCell<Clock>>, ms: u32, save: fn(Store)) {
    let weak: Weak<RefCell<Clock>> = Rc::downgrade(clock);
    let timer = Timeout::new(ms, move || {
        let Some(clock) = weak.upgrade() else { return };
        let left = {
            let mut c = clock.borrow_mut();
            c.timer = None;
            c.due - js_sys::Date::now()
        };
        if left >= 1.0 {
            arm(&clock, left.ceil() as u32, save);
        } else if let Some(store) = clock.borrow_mut().store.take() {
            save(store);
        }
    });
    clock.borrow_mut().timer = Some(timer);
}
