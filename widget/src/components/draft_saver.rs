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
    /// The survey's state, once rendered (a handle reads the current state, not a snapshot).
    state: Option<UseReducerHandle<State>>,
    /// The revision of the state last rendered.
    seen: u64,
    /// Whether the state has changes not yet written.
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
        let first = self.state.is_none();
        if !first && state.revision == self.seen {
            return;
        }
        // A fresh handle for each new state: a handle keeps every state it has read alive.
        self.state = Some(state.clone());
        self.seen = state.revision;
        if first {
            return;
        }
        self.dirty = state.editable();
        self.timer = self.dirty.then(|| {
            Timeout::new(PAUSE_MS, move || {
                if let Some(saver) = this.upgrade() {
                    saver.borrow_mut().flush();
                }
            })
        });
    }

    /// Writes what is pending and lets go of the state: its handle leads back to the component
    /// that holds this saver, a cycle that would keep both alive after the widget is removed.
    fn close(&mut self) {
        self.flush();
        self.state = None;
    }

    /// Writes the pending draft now, if there is one.
    fn flush(&mut self) {
        self.timer = None;
        if !std::mem::take(&mut self.dirty) {
            return;
        }
        if let Some(state) = self.state.as_ref().filter(|s| s.editable()) {
            drafts::save(&state.survey.id, state.survey.version, self.anonymous, &state.draft());
        }
    }
}

/// Saves `state`'s draft after each pause in the respondent's changes, and on leaving, unless
/// `enabled` is false (a preview).
#[hook]
pub fn use_draft_saver(state: &UseReducerHandle<State>, anonymous: bool, enabled: bool) {
    let saver = use_mut_ref(|| Saver { state: None, seen: 0, dirty: false, anonymous, timer: None });
    // A preview keeps nothing on the device: it never sees a state, so it has nothing to save.
    if enabled {
        saver.borrow_mut().see(state, anonymous, Rc::downgrade(&saver));
    }
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            let saver = Rc::clone(&saver);
            EventListener::new(&window, "pagehide", move |_| saver.borrow_mut().flush())
        });
        move || {
            drop(listener);
            saver.borrow_mut().close();
        }
    });
}
