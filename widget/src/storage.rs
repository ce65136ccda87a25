//! What the widget keeps on the device, and for how long (SPEC section 3):
//! - the **outbox**: submissions made but not yet delivered, in `localStorage` so they survive
//!   a reload or a closed tab, removed the moment the endpoint accepts (or refuses) them;
//! - **drafts**: answers in progress, restored when the respondent comes back. For an anonymous
//!   survey only in `sessionStorage`, so they end with the tab.
//!
//! Nothing else is stored: no cookie, no identifier beyond a pending submission's id, which the
//! endpoint needs to store it once. Storage can be missing or full (private browsing, a sandboxed
//! iframe): every function then reports failure and the widget says so instead of promising.

use serde::{Deserialize, Serialize};
use survey_model::Answers;
use web_sys::Storage;

const OUTBOX_KEY: &str = "survey-widget:outbox";
const DRAFT_PREFIX: &str = "survey-widget:draft:";

/// A submission waiting to be delivered: exactly the bytes that will be POSTed, every time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    pub submission_id: String,
    pub survey_id: String,
    pub survey_version: u32,
    pub endpoint: String,
    pub body: String,
    /// The POST timeout the host chose (absent in entries written before it existed).
    #[serde(default = "default_timeout")]
    pub timeout_ms: u32,
}

fn default_timeout() -> u32 {
    crate::config::DEFAULT_REQUEST_TIMEOUT_MS
}

/// Answers in progress, with what keeps the respondent's view the same when they come back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub answers: Answers,
    pub page: usize,
    /// The seed of shuffled options, so their order does not change under the respondent.
    #[serde(default)]
    pub seed: u64,
    /// The language the respondent chose with the language switch, if they did.
    #[serde(default)]
    pub lang: Option<String>,
}

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Every undelivered submission on this device (for this site).
pub fn outbox() -> Vec<Outgoing> {
    local()
        .and_then(|s| s.get_item(OUTBOX_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn write_outbox(entries: &[Outgoing]) -> bool {
    let Some(s) = local() else { return false };
    if entries.is_empty() {
        // Leave no trace once everything is delivered.
        return s.remove_item(OUTBOX_KEY).is_ok();
    }
    serde_json::to_string(entries).ok().is_some_and(|json| s.set_item(OUTBOX_KEY, &json).is_ok())
}

/// Keeps a submission until it is delivered. Stored once per submission id. Returns whether it
/// is really on the device.
pub fn keep(entry: &Outgoing) -> bool {
    let mut entries = outbox();
    if let Some(existing) = entries.iter_mut().find(|e| e.submission_id == entry.submission_id) {
        *existing = entry.clone();
    } else {
        entries.push(entry.clone());
    }
    write_outbox(&entries)
}

/// Forgets a submission (delivered, or refused for good).
pub fn forget(submission_id: &str) {
    let mut entries = outbox();
    let before = entries.len();
    entries.retain(|e| e.submission_id != submission_id);
    if entries.len() != before {
        write_outbox(&entries);
    }
}

/// The pending submission of a survey, if one is waiting on this device.
pub fn pending_for(survey_id: &str) -> Option<Outgoing> {
    outbox().into_iter().find(|e| e.survey_id == survey_id)
}

fn draft_store(anonymous: bool) -> Option<Storage> {
    if anonymous {
        session()
    } else {
        local()
    }
}

fn draft_key(survey_id: &str, version: u32) -> String {
    format!("{DRAFT_PREFIX}{survey_id}:{version}")
}

/// What was found when looking for a draft.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftLookup {
    None,
    Found(Draft),
    /// A draft for another version of the survey was found and removed: it cannot be trusted
    /// against changed questions, and the respondent is told so.
    VersionChanged,
}

/// Loads the draft for this version of a survey, removing what must not stay: drafts of other
/// versions, and a draft in the wrong store (a survey that has become anonymous keeps nothing in
/// `localStorage`).
pub fn load_draft(survey_id: &str, version: u32, anonymous: bool) -> DraftLookup {
    let own = draft_key(survey_id, version);
    let prefix = format!("{DRAFT_PREFIX}{survey_id}:");
    let found = draft_store(anonymous)
        .and_then(|s| s.get_item(&own).ok().flatten())
        .and_then(|json| serde_json::from_str::<Draft>(&json).ok());
    let mut stale_found = false;
    for (store, is_own_store) in [(draft_store(anonymous), true), (draft_store(!anonymous), false)] {
        let Some(store) = store else { continue };
        let keys: Vec<String> =
            (0..store.length().unwrap_or(0)).filter_map(|i| store.key(i).ok().flatten()).collect();
        for key in keys.into_iter().filter(|k| k.starts_with(&prefix)) {
            if key != own {
                stale_found = true;
            }
            if key != own || !is_own_store {
                let _ = store.remove_item(&key);
            }
        }
    }
    match found {
        Some(draft) => DraftLookup::Found(draft),
        None if stale_found => DraftLookup::VersionChanged,
        None => DraftLookup::None,
    }
}

/// Saves answers in progress (or removes the draft when there is nothing to keep).
pub fn save_draft(survey_id: &str, version: u32, anonymous: bool, draft: &Draft) {
    let Some(store) = draft_store(anonymous) else { return };
    let key = draft_key(survey_id, version);
    if draft.answers.is_empty() {
        let _ = store.remove_item(&key);
    } else if let Ok(json) = serde_json::to_string(draft) {
        let _ = store.set_item(&key, &json);
    }
}

/// Removes a survey's draft from both stores.
pub fn clear_draft(survey_id: &str, version: u32) {
    for store in [local(), session()].into_iter().flatten() {
        let _ = store.remove_item(&draft_key(survey_id, version));
    }
}

thread_local! {
    /// Pending submissions a widget on this page is delivering itself (shown as queued).
    static OWNED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Background flushes since the last one that left nothing to retry (for backoff).
    static FLUSH_ATTEMPT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    static FLUSH_SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
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

/// Sends every pending submission that no widget on this page is delivering (one made on
/// another page of the site, or an earlier one of the same survey). Delivered and refused ones
/// are forgotten; if any must wait, another flush is scheduled with backoff. Idempotency keys
/// make a race with another tab or widget harmless.
pub async fn flush_unowned() {
    let mut waiting = false;
    for entry in outbox() {
        if OWNED.with(|o| o.borrow().contains(&entry.submission_id)) {
            continue;
        }
        match crate::http::post_json(&entry.endpoint, &entry.body, &entry.submission_id, entry.timeout_ms).await {
            crate::http::PostOutcome::Delivered { .. } | crate::http::PostOutcome::Refused { .. } => {
                forget(&entry.submission_id)
            }
            crate::http::PostOutcome::Retry { .. } => waiting = true,
        }
    }
    let attempt = if waiting { FLUSH_ATTEMPT.with(|a| a.get() + 1) } else { 0 };
    FLUSH_ATTEMPT.with(|a| a.set(attempt));
    if waiting && !FLUSH_SCHEDULED.with(|s| s.replace(true)) {
        let delay = crate::state::backoff_ms(attempt, js_sys::Math::random());
        gloo_timers::callback::Timeout::new(delay, || {
            FLUSH_SCHEDULED.with(|s| s.set(false));
            wasm_bindgen_futures::spawn_local(flush_unowned());
        })
        .forget();
    }
}
