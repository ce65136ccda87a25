//! Keeps answers in progress on the device (docs/submission.md, "Drafts") without paying for it
//! on every keystroke: a change arms a short timer, and the draft is written once the respondent
//! pauses, when the page is hidden or left (`pagehide`: the last moment a page can be sure to
//! run), or when the widget is removed. Nothing is written once the answers can no longer change
//! (sending, queued, sent): the delivery keeps them then, and a late draft would be a second copy.

use crate::drafts;
use crate::state::State;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use yew::prelude::*;

/// How long typing must pause before the draft is written.
const PAUSE_MS: u32 = 400;

struct Saver {
    /// The state last seen. Holding it keeps its allocation alive, so a newer state can never
    /// have its address: comparing addresses tells a new state from a re-render of the same one.
    last: Option<UseReducerHandle<State>>,
    /// Whether `last` has changes not yet written.
    dirty: bool,
    anonymous: bool,
    timer: Option<Timeout>,
}

impl Saver {
    /// Notes a rendered state; a new editable one is written after the pause. The first state
    /// is what `drafts::load` just read (or found nothing of), so there is nothing to write; a
    /// write of it later would even remove a draft saved meanwhile by another widget.
    fn see(&mut self, state: &UseReducerHandle<State>, anonymous: bool, this: Weak<RefCell<Saver>>) {
        self.anonymous = anonymous;
        let first = match &self.last {
            Some(last) if std::ptr::eq::<State>(&**last, &**state) => return,
            Some(_) => false,
            None => true,
        };
        self.last = Some(state.clone());
        self.dirty = !first && state.editable();
        self.timer = self.dirty.then(|| {
            Timeout::new(PAUSE_MS, move || {
                if let Some(saver) = this.upgrade() {
                    saver.borrow_mut().flush();
                }
            })
        });
    }

    /// Writes the pending draft now, if there is one.
    fn flush(&mut self) {
        self.timer = None;
        if !std::mem::take(&mut self.dirty) {
            return;
        }
        if let Some(state) = self.last.as_ref().filter(|s| s.editable()) {
            drafts::save(&state.survey.id, state.survey.version, self.anonymous, &state.draft());
        }
    }
}

/// Saves `state`'s draft after each pause in the respondent's changes, and on leaving.
#[hook]
pub fn use_draft_saver(state: &UseReducerHandle<State>, anonymous: bool) {
    let saver = use_mut_ref(|| Saver { last: None, dirty: false, anonymous, timer: None });
    saver.borrow_mut().see(state, anonymous, Rc::downgrade(&saver));
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            let saver = Rc::clone(&saver);
            EventListener::new(&window, "pagehide", move |_| saver.borrow_mut().flush())
        });
        move || {
            drop(listener);
            saver.borrow_mut().flush();
        }
    });
}
