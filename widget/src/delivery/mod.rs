//! Delivery: getting a submission from this device to its endpoint exactly once, and never losing
//! it on the way (docs/submission.md). Everything about it lives here:
//! - the **outbox** records ([`outbox`]): kept before the first attempt, until delivered or let go;
//! - **one attempt** ([`attempt`]): POST the exact bytes, read the answer ([`Outcome`]), and
//!   record what it means in the outbox;
//! - **backoff** ([`backoff_ms`], [`next_try_ms`]), honouring the endpoint's `Retry-After`;
//! - **ownership** ([`own`]): a widget delivers its own submission, and the page's background
//!   **flush** ([`flush`]) the others: those of other pages, tabs and visits.
//!
//! Its JavaScript counterpart is the "Delivery" part of widget/loader/index.mjs, which starts a
//! flush on page load when something is due; the classic loader only checks that a key of the
//! outbox exists before importing index.mjs.

pub mod outbox;

use crate::http;
pub use outbox::{Held, Outgoing, Settle};
use std::cell::{Cell, RefCell};

/// What became of one delivery attempt (docs/submission.md, "How the widget reads the
/// endpoint's answer").
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// 2xx: stored, now or before. The body's `reference`, if any.
    Delivered { reference: Option<String> },
    /// 400, 413, 422: the endpoint will not take these bytes. Held for the respondent.
    Refused { status: u16, closed: bool },
    /// 409: a different body is stored under this submission id. Not a delivery of these
    /// answers; held for the respondent, who may send them as a new response.
    Conflict,
    /// Network failure, timeout, a redirect, 408, 429, 5xx, or anything unexpected: worth another
    /// try, not before `not_before` (ms since the epoch) if the endpoint said when.
    Retry { reason: String, not_before: Option<u64> },
}

impl Outcome {
    /// Reads an endpoint's answer. `redirected` is whether the response came through a
    /// redirect: a captive portal's page is not a delivery. `retry_after_ms` is the endpoint's
    /// `Retry-After`, already in milliseconds from `now`.
    pub fn of(status: u16, redirected: bool, body: Option<&str>, retry_after_ms: Option<u64>, now: u64) -> Outcome {
        let body: Option<serde_json::Value> = body.and_then(crate::json::parse);
        let field = |name: &str| body.as_ref()?.get(name)?.as_str().map(str::to_owned);
        match status {
            _ if redirected => Outcome::Retry { reason: "the request was redirected".into(), not_before: None },
            200..=299 => Outcome::Delivered { reference: field("reference") },
            409 => Outcome::Conflict,
            400 | 413 | 422 => Outcome::Refused {
                status,
                closed: status == 422 && (field("code").as_deref() == Some("closed") || field("error").as_deref() == Some("closed")),
            },
            _ => Outcome::Retry {
                reason: format!("the server answered {status}"),
                not_before: retry_after_ms.map(|ms| now.saturating_add(ms)),
            },
        }
    }
}

/// The longest a `Retry-After` is waited: beyond a day, a misconfigured endpoint would keep
/// answers on devices for good.
pub const MAX_RETRY_AFTER_MS: u64 = 24 * 60 * 60 * 1000;

/// `Retry-After` as milliseconds from `now`: a number of seconds, or an HTTP date (read by the
/// browser's date parser, `parse_date`, in ms since the epoch or NaN), at most a day.
pub fn retry_after_ms(value: &str, now: u64, parse_date: impl FnOnce(&str) -> f64) -> Option<u64> {
    let value = value.trim();
    let ms = match value.parse::<u64>() {
        Ok(seconds) => seconds.saturating_mul(1000),
        Err(_) => {
            let at = parse_date(value);
            if !at.is_finite() {
                return None;
            }
            (at as u64).saturating_sub(now)
        }
    };
    Some(ms.min(MAX_RETRY_AFTER_MS))
}

/// How long to wait before retry number `attempt`: exponential from 2 s, capped at 5 minutes,
/// with "equal jitter" (`jitter` in 0..1) so many devices coming back online do not retry in step.
pub fn backoff_ms(attempt: u32, jitter: f64) -> u32 {
    if attempt == 0 {
        return 0;
    }
    let base = 2_000u64.saturating_mul(1u64 << attempt.saturating_sub(1).min(20)).min(300_000);
    let half = base / 2;
    (half + (half as f64 * jitter.clamp(0.0, 1.0)) as u64) as u32
}

/// How long to wait before retry number `attempt` when the endpoint may have said not before
/// `not_before`: the backoff, or until then if that is later.
pub fn next_try_ms(attempt: u32, jitter: f64, not_before: Option<u64>, now: u64) -> u32 {
    // A stored time may be anything: never further than the longest Retry-After (and so within
    // what a browser's timer can wait, 2^31 ms, beyond which it fires at once).
    let until = not_before.map_or(0, |t| t.saturating_sub(now)).min(MAX_RETRY_AFTER_MS) as u32;
    until.max(backoff_ms(attempt, jitter))
}

/// The time now, in ms since the epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// POSTs a submission's exact bytes with its idempotency key, and reads the answer.
pub async fn post(out: &Outgoing) -> Outcome {
    let response = match http::post_json(&out.endpoint, &out.body, &out.submission_id, out.timeout_ms).await {
        Ok(r) => r,
        Err(reason) => return Outcome::Retry { reason, not_before: None },
    };
    let now = now_ms();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|v| retry_after_ms(&v, now, js_sys::Date::parse));
    // The body matters for a delivery (its reference) and a refusal (a closed survey).
    let body = match status {
        200..=299 | 422 => http::body_text(&response).await,
        _ => None,
    };
    Outcome::of(status, response.redirected(), body.as_deref(), retry_after, now)
}

/// Records what an attempt means for the outbox: delivered, it goes; refused or in conflict, it
/// is held for its respondent; to retry later, it stays (not before the endpoint said).
pub async fn record(submission_id: &str, outcome: &Outcome) {
    let how = match *outcome {
        Outcome::Delivered { .. } => Settle::Forget,
        Outcome::Refused { status, closed } => Settle::Hold(Held { status, closed }),
        Outcome::Conflict => Settle::Hold(Held { status: 409, closed: false }),
        Outcome::Retry { not_before: Some(t), .. } => Settle::Defer(t),
        Outcome::Retry { not_before: None, .. } => return,
    };
    outbox::settle(submission_id.to_owned(), how).await;
}

/// One attempt by the widget that made the submission: keeps it in the outbox first (replacing
/// the held entry these answers stand for, if any), so a closed tab or a dead battery cannot lose
/// it, then POSTs it and records the outcome. Returns the outcome and whether the submission
/// is on the device.
pub async fn attempt(out: &Outgoing, replaces: Option<String>) -> (Outcome, bool) {
    let stored = outbox::keep(out, replaces).await;
    let outcome = post(out).await;
    if let Outcome::Retry { reason, .. } = &outcome {
        web_sys::console::warn_1(&format!("survey-widget: answers not sent yet, will retry: {reason}").into());
    }
    record(&out.submission_id, &outcome).await;
    (outcome, stored)
}

thread_local! {
    /// Pending submissions a widget on this page is delivering itself (shown as queued).
    static OWNED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Background flushes since the last one that left nothing to retry (for backoff).
    static FLUSH_ATTEMPT: Cell<u32> = const { Cell::new(0) };
    static FLUSH_SCHEDULED: Cell<bool> = const { Cell::new(false) };
}

/// Marks a pending submission as delivered by its widget while the guard lives, so the
/// background flush leaves it alone.
#[must_use = "the submission is owned only while the guard lives"]
pub struct Owned(String);

/// See [`Owned`].
pub fn own(submission_id: &str) -> Owned {
    OWNED.with(|o| o.borrow_mut().push(submission_id.to_owned()));
    Owned(submission_id.to_owned())
}

impl Drop for Owned {
    fn drop(&mut self) {
        OWNED.with(|o| {
            let mut list = o.borrow_mut();
            if let Some(i) = list.iter().position(|s| *s == self.0) {
                list.remove(i);
            }
        });
    }
}

/// Sends every due submission that no widget on this page is delivering (one made on another
/// page of the site, in another tab, or on an earlier visit), and records each outcome: a
/// refused one is held for its respondent, never deleted unseen. If any must wait, another
/// flush is scheduled with backoff, or when the endpoint said. Idempotency keys make a race
/// with another tab or widget harmless.
pub async fn flush() {
    let mut wait: Option<u64> = None;
    let mut failed = false;
    for entry in outbox::pending() {
        if entry.held.is_some() || OWNED.with(|o| o.borrow().contains(&entry.submission_id)) {
            continue;
        }
        let now = now_ms();
        if !entry.due(now) {
            let until = entry.not_before.unwrap_or(now).saturating_sub(now);
            wait = Some(wait.map_or(until, |w| w.min(until)));
            continue;
        }
        let outcome = post(&entry).await;
        record(&entry.submission_id, &outcome).await;
        match outcome {
            // The endpoint said when: that, not the backoff, is the next try.
            Outcome::Retry { not_before: Some(t), .. } => {
                let until = t.saturating_sub(now_ms());
                wait = Some(wait.map_or(until, |w| w.min(until)));
            }
            Outcome::Retry { not_before: None, .. } => failed = true,
            _ => {}
        }
    }
    let attempt = if failed { FLUSH_ATTEMPT.with(|a| a.get() + 1) } else { 0 };
    FLUSH_ATTEMPT.with(|a| a.set(attempt));
    // The next flush comes at the first moment something is due again: after the backoff for
    // those that just failed, or when the earliest of those asked to wait may go.
    let wait = wait.map(|w| w.clamp(1_000, MAX_RETRY_AFTER_MS) as u32);
    let delay = match (failed, wait) {
        (false, None) => return,
        (false, Some(w)) => w,
        (true, w) => w.map_or(u32::MAX, |w| w).min(backoff_ms(attempt, js_sys::Math::random())),
    };
    if !FLUSH_SCHEDULED.with(|s| s.replace(true)) {
        gloo_timers::callback::Timeout::new(delay, || {
            FLUSH_SCHEDULED.with(|s| s.set(false));
            wasm_bindgen_futures::spawn_local(flush());
        })
        .forget();
    }
}

/// Once per page load: flush shortly after start and whenever the browser comes back online.
/// (index.mjs may start a flush even earlier; a widget and a flush sending the same submission
/// at once is harmless, the idempotency key makes the endpoint store it once.)
pub fn start() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let go = || wasm_bindgen_futures::spawn_local(flush());
        gloo_timers::callback::Timeout::new(3_000, go).forget();
        if let Some(window) = web_sys::window() {
            // Lives as long as the page: one listener for all widgets, never one per mount.
            gloo_events::EventListener::new(&window, "online", move |_| go()).forget();
        }
    });
}

/// Starts delivering pending submissions now (index.mjs calls this when something is due, even
/// if no widget is near the viewport yet).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn flush_outbox() {
    start();
    wasm_bindgen_futures::spawn_local(flush());
}

/// A new submission id: a version 4 UUID from the browser's cryptographic random source.
pub fn new_submission_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // No Web Crypto (very old browser): fall back to Math.random, still unique enough for
        // an idempotency key within one device.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000_000;

    fn of(status: u16, body: &str) -> Outcome {
        Outcome::of(status, false, Some(body), None, NOW)
    }

    #[test]
    fn each_answer_means_what_docs_submission_md_says() {
        assert_eq!(of(201, r#"{"reference":"K7Q2-9XMD"}"#), Outcome::Delivered { reference: Some("K7Q2-9XMD".into()) });
        assert_eq!(of(200, "not json"), Outcome::Delivered { reference: None });
        assert_eq!(of(409, r#"{"error":"conflict","reference":"K7Q2-9XMD"}"#), Outcome::Conflict, "not delivery of these answers");
        for status in [400, 413, 422] {
            assert_eq!(of(status, "{}"), Outcome::Refused { status, closed: false });
        }
        assert_eq!(of(422, r#"{"code":"closed"}"#), Outcome::Refused { status: 422, closed: true });
        assert_eq!(of(422, r#"{"error":"closed","message":"…"}"#), Outcome::Refused { status: 422, closed: true });
        assert_eq!(of(400, r#"{"code":"closed"}"#), Outcome::Refused { status: 400, closed: false });
        for status in [404, 403, 408, 429, 500, 503, 302] {
            assert!(matches!(of(status, "{}"), Outcome::Retry { not_before: None, .. }), "{status}");
        }
    }

    #[test]
    fn a_redirect_is_never_a_delivery() {
        // A captive portal: 302 to its page, which answers 200 (fetch followed it).
        for status in [200, 201, 409, 422] {
            assert!(matches!(Outcome::of(status, true, Some("<html>"), None, NOW), Outcome::Retry { .. }), "{status}");
        }
    }

    #[test]
    fn retry_after_is_the_earliest_next_try() {
        assert_eq!(retry_after_ms(" 120 ", NOW, |_| f64::NAN), Some(120_000));
        let date = |_: &str| (NOW + 90_000) as f64;
        assert_eq!(retry_after_ms("Wed, 21 Oct 2026 07:28:00 GMT", NOW, date), Some(90_000));
        assert_eq!(retry_after_ms("soon", NOW, |_| f64::NAN), None);
        assert_eq!(retry_after_ms("99999999", NOW, |_| f64::NAN), Some(MAX_RETRY_AFTER_MS), "at most a day");
        let busy = Outcome::of(429, false, None, Some(120_000), NOW);
        assert_eq!(busy, Outcome::Retry { reason: "the server answered 429".into(), not_before: Some(NOW + 120_000) });
        assert_eq!(next_try_ms(1, 1.0, Some(NOW + 120_000), NOW), 120_000, "later than the backoff");
        assert_eq!(next_try_ms(8, 1.0, Some(NOW + 1_000), NOW), 256_000, "earlier than the backoff");
        assert_eq!(next_try_ms(1, 0.0, Some(NOW - 5), NOW), 1_000, "already past");
    }

    #[test]
    fn backoff_grows_exponentially_with_jitter_and_a_cap() {
        assert_eq!(backoff_ms(0, 0.5), 0);
        assert_eq!((backoff_ms(1, 0.0), backoff_ms(1, 1.0)), (1_000, 2_000));
        assert_eq!((backoff_ms(3, 0.0), backoff_ms(3, 1.0)), (4_000, 8_000));
        assert_eq!(backoff_ms(30, 1.0), 300_000);
    }
}
