//! The hook that delivers a survey's submission while the survey is on screen: the component
//! only renders what the state says, and this wires the state to [`crate::delivery`].

use super::survey::SurveyEvent;
use crate::delivery::{self, Outcome};
use crate::drafts;
use crate::state::{Action, State, Status};
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// Delivers the state's submission: each attempt runs exactly once, keyed by its number; a
/// queued submission is tried again after its backoff (never before the endpoint's
/// `Retry-After`), or when the browser says it is back online. While a submission is being
/// delivered here, the page's background flush leaves it alone.
///
/// Returns the callback for "Start again", which also lets go of answers held on the device
/// after a refusal or a conflict: the respondent has seen them and chosen.
#[hook]
pub fn use_delivery(state: &UseReducerHandle<State>, onevent: &Callback<SurveyEvent>) -> Callback<()> {
    {
        let pending = state.outgoing.as_ref().map(|o| o.submission_id.clone());
        use_effect_with(pending, move |pending| {
            let owned = pending.as_deref().map(delivery::own);
            move || drop(owned)
        });
    }
    {
        let state = state.clone();
        let onevent = onevent.clone();
        use_effect_with(state.status.clone(), move |status| {
            let mut timers: Option<(Timeout, EventListener)> = None;
            match *status {
                Status::Sending { attempt } => send(&state, attempt, onevent),
                Status::Queued { attempt, not_before, .. } => {
                    if let Some(window) = web_sys::window() {
                        let (retry, online) = (state.dispatcher(), state.dispatcher());
                        let delay = delivery::next_try_ms(attempt, js_sys::Math::random(), not_before, delivery::now_ms());
                        timers = Some((
                            Timeout::new(delay, move || retry.dispatch(Action::Retry)),
                            EventListener::new(&window, "online", move |_| {
                                if not_before.is_none_or(|t| delivery::now_ms() >= t) {
                                    online.dispatch(Action::Retry);
                                }
                            }),
                        ));
                    }
                }
                _ => {}
            }
            move || drop(timers)
        });
    }
    let state = state.clone();
    Callback::from(move |()| {
        if let Some(id) = state.held.clone() {
            wasm_bindgen_futures::spawn_local(delivery::outbox::settle(id, delivery::Settle::Forget));
        }
        state.dispatch(Action::StartAgain);
    })
}

/// One attempt at the state's outgoing request; the outcome comes back as an action.
fn send(state: &UseReducerHandle<State>, attempt: u32, onevent: Callback<SurveyEvent>) {
    let Some(out) = state.outgoing.clone() else { return };
    let replaces = if attempt == 1 { state.replaces.clone() } else { None };
    if attempt == 1 {
        onevent.emit(SurveyEvent::Submit { submission_id: out.submission_id.clone() });
    }
    let dispatcher = state.dispatcher();
    wasm_bindgen_futures::spawn_local(async move {
        let (outcome, stored) = delivery::attempt(&out, replaces).await;
        let submission_id = out.submission_id.clone();
        let action = match outcome {
            Outcome::Delivered { reference } => {
                drafts::clear(&out.survey_id, out.survey_version);
                onevent.emit(SurveyEvent::Complete { submission_id, reference: reference.clone() });
                Action::Delivered { reference }
            }
            Outcome::Refused { status, closed } => {
                // Never retried; the answers stay on screen (and in the draft) to fix or copy.
                let (code, message) = if closed {
                    ("survey_closed", "the endpoint refused the answers: the survey has closed".to_owned())
                } else {
                    ("submission_refused", format!("the endpoint refused the answers ({status})"))
                };
                onevent.emit(SurveyEvent::Error { code, message });
                Action::Refused { status, closed }
            }
            Outcome::Conflict => {
                onevent.emit(SurveyEvent::Error {
                    code: "submission_conflict",
                    message: format!("the endpoint holds other answers under submission_id {submission_id} (409): these were not delivered"),
                });
                Action::Conflict
            }
            Outcome::Retry { not_before, .. } => {
                if stored {
                    // The outbox holds the answers now: keep them once, not twice.
                    drafts::clear(&out.survey_id, out.survey_version);
                }
                if attempt == 1 {
                    onevent.emit(SurveyEvent::Queued { submission_id });
                }
                Action::Queued { stored, not_before }
            }
        };
        dispatcher.dispatch(action);
    });
}
