//! What the widget keeps on the device, and for how long (docs/submission.md):
//! - the **outbox**: submissions made but not yet delivered, in `localStorage` so they survive
//!   a reload or a closed tab, removed the moment the endpoint accepts (or refuses) them;
//! - **drafts**: answers in progress, restored when the respondent comes back. For an anonymous
//!   survey only in `sessionStorage`, so they end with the tab.
//!
//! Nothing else is stored: no cookie, no identifier beyond a pending submission's id, which the
//! endpoint needs to store it once. Storage can be missing or full (private browsing, a sandboxed
//! iframe): every function then reports failure and the widget says so instead of promising.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use survey_model::{Answer, Answers, DateParts};
use web_sys::Storage;

const OUTBOX_KEY: &str = "survey-widget:outbox";
const DRAFT_PREFIX: &str = "survey-widget:draft:";

/// A submission waiting to be delivered: exactly the bytes that will be POSTed, every time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub submission_id: String,
    pub survey_id: String,
    pub survey_version: u32,
    pub endpoint: String,
    pub body: String,
    /// The POST timeout the host chose (absent in entries written before it existed).
    pub timeout_ms: u32,
}

/// Answers in progress, with what keeps the respondent's view the same when they come back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub answers: Answers,
    pub page: usize,
    /// The seed of shuffled options, so their order does not change under the respondent.
    /// Absent in drafts written before shuffling existed: 0.
    pub seed: u64,
    /// The language the respondent chose with the language switch, if they did.
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
        .and_then(|json| json::read_outbox(&json))
        .unwrap_or_default()
}

fn write_outbox(entries: &[Outgoing]) -> bool {
    let Some(s) = local() else { return false };
    if entries.is_empty() {
        // Leave no trace once everything is delivered.
        return s.remove_item(OUTBOX_KEY).is_ok();
    }
    s.set_item(OUTBOX_KEY, &json::write_outbox(entries)).is_ok()
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
        .and_then(|json| json::read_draft(&json));
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
    } else {
        let _ = store.set_item(&key, &json::write_draft(draft));
    }
}

/// Removes a survey's draft from both stores.
pub fn clear_draft(survey_id: &str, version: u32) {
    for store in [local(), session()].into_iter().flatten() {
        let _ = store.remove_item(&draft_key(survey_id, version));
    }
}

/// The JSON of the outbox and of drafts, written by hand. serde's derives for these types (and
/// for `Answers`, `Answer` and `DateParts`, which only a draft stores) cost 7 KB of gzipped Wasm,
/// paid by every respondent, for two small fixed shapes (BENCHMARKS.md, "Bundle size").
///
/// The format is exactly the one those derives used, byte for byte when writing (fields in
/// declaration order, `Answer` adjacently tagged as `{"t":"choice","v":…}` with snake_case tags),
/// so entries written by earlier versions of the widget, and by other tabs running one, still
/// load, and the loader script (which reads `submission_id`s from the outbox) is unaffected.
/// Reading is as strict as the derives were: a missing required field or a value of the wrong
/// type rejects the whole entry; unknown fields are ignored; `timeout_ms`, `seed` and `lang` may
/// be absent (older entries). Only shapes that no version of the widget ever wrote are read
/// differently: the derives also took a struct written as an array and refused a repeated field.
mod json {
    use super::*;

    /// A JSON string literal, escaped exactly as serde_json escapes every other string.
    fn string(out: &mut String, s: &str) {
        // Serialising a `str` cannot fail.
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }

    /// `"key":` (every key here is a plain identifier that needs no escaping).
    fn key(out: &mut String, first: bool, k: &str) {
        if !first {
            out.push(',');
        }
        out.push('"');
        out.push_str(k);
        out.push_str("\":");
    }

    fn string_list(out: &mut String, items: &[String]) {
        out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(out, item);
        }
        out.push(']');
    }

    fn string_map(out: &mut String, map: &BTreeMap<String, String>) {
        out.push('{');
        for (i, (k, v)) in map.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(out, k);
            out.push(':');
            string(out, v);
        }
        out.push('}');
    }

    fn answer(out: &mut String, a: &Answer) {
        let tag = match a {
            Answer::Choice(_) => "choice",
            Answer::Choices(_) => "choices",
            Answer::Text(_) => "text",
            Answer::Rating(_) => "rating",
            Answer::Matrix(_) => "matrix",
            Answer::Ranking(_) => "ranking",
            Answer::Date(_) => "date",
            Answer::Consent(_) => "consent",
        };
        out.push_str("{\"t\":\"");
        out.push_str(tag);
        out.push_str("\",\"v\":");
        match a {
            Answer::Choice(s) | Answer::Text(s) => string(out, s),
            Answer::Choices(list) | Answer::Ranking(list) => string_list(out, list),
            Answer::Rating(n) => out.push_str(&n.to_string()),
            Answer::Matrix(map) => string_map(out, map),
            Answer::Date(d) => {
                out.push('{');
                key(out, true, "day");
                string(out, &d.day);
                key(out, false, "month");
                string(out, &d.month);
                key(out, false, "year");
                string(out, &d.year);
                out.push('}');
            }
            Answer::Consent(b) => out.push_str(if *b { "true" } else { "false" }),
        }
        out.push('}');
    }

    pub(super) fn write_draft(d: &Draft) -> String {
        let mut out = String::from("{\"answers\":{\"values\":{");
        for (i, (q, a)) in d.answers.values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(&mut out, q);
            out.push(':');
            answer(&mut out, a);
        }
        out.push('}');
        key(&mut out, false, "other_text");
        string_map(&mut out, &d.answers.other_text);
        out.push('}');
        key(&mut out, false, "page");
        out.push_str(&d.page.to_string());
        key(&mut out, false, "seed");
        out.push_str(&d.seed.to_string());
        key(&mut out, false, "lang");
        match &d.lang {
            Some(l) => string(&mut out, l),
            None => out.push_str("null"),
        }
        out.push('}');
        out
    }

    pub(super) fn write_outbox(entries: &[Outgoing]) -> String {
        let mut out = String::from("[");
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('{');
            key(&mut out, true, "submission_id");
            string(&mut out, &e.submission_id);
            key(&mut out, false, "survey_id");
            string(&mut out, &e.survey_id);
            key(&mut out, false, "survey_version");
            out.push_str(&e.survey_version.to_string());
            key(&mut out, false, "endpoint");
            string(&mut out, &e.endpoint);
            key(&mut out, false, "body");
            string(&mut out, &e.body);
            key(&mut out, false, "timeout_ms");
            out.push_str(&e.timeout_ms.to_string());
            out.push('}');
        }
        out.push(']');
        out
    }

    fn text(v: &Value) -> Option<String> {
        v.as_str().map(str::to_owned)
    }

    fn u32_of(v: &Value) -> Option<u32> {
        u32::try_from(v.as_u64()?).ok()
    }

    fn list(v: &Value) -> Option<Vec<String>> {
        v.as_array()?.iter().map(text).collect()
    }

    // Maps are filled by insert, not collect(): collecting into a BTreeMap sorts a Vec first
    // and compiles a copy of the sort per call site (about 3 KB of Wasm each).
    fn map(v: &Value) -> Option<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        for (k, v) in v.as_object()? {
            out.insert(k.clone(), text(v)?);
        }
        Some(out)
    }

    /// A field that may be absent (written before it existed); present, it must be valid.
    fn optional<T>(o: &Map<String, Value>, k: &str, read: impl FnOnce(&Value) -> Option<T>, absent: T) -> Option<T> {
        match o.get(k) {
            None => Some(absent),
            Some(v) => read(v),
        }
    }

    fn read_answer(v: &Value) -> Option<Answer> {
        let o = v.as_object()?;
        let v = o.get("v")?;
        Some(match o.get("t")?.as_str()? {
            "choice" => Answer::Choice(text(v)?),
            "choices" => Answer::Choices(list(v)?),
            "text" => Answer::Text(text(v)?),
            "rating" => Answer::Rating(v.as_i64()?),
            "matrix" => Answer::Matrix(map(v)?),
            "ranking" => Answer::Ranking(list(v)?),
            "date" => {
                let d = v.as_object()?;
                Answer::Date(DateParts {
                    day: text(d.get("day")?)?,
                    month: text(d.get("month")?)?,
                    year: text(d.get("year")?)?,
                })
            }
            "consent" => Answer::Consent(v.as_bool()?),
            _ => return None,
        })
    }

    pub(super) fn read_draft(json: &str) -> Option<Draft> {
        // from_slice: see `embed::peek_id`.
        let v: Value = serde_json::from_slice(json.as_bytes()).ok()?;
        let o = v.as_object()?;
        let a = o.get("answers")?.as_object()?;
        let mut values = BTreeMap::new();
        for (q, v) in a.get("values")?.as_object()? {
            values.insert(q.clone(), read_answer(v)?);
        }
        Some(Draft {
            answers: Answers {
                values,
                other_text: map(a.get("other_text")?)?,
            },
            page: usize::try_from(o.get("page")?.as_u64()?).ok()?,
            seed: optional(o, "seed", Value::as_u64, 0)?,
            lang: optional(o, "lang", |l| if l.is_null() { Some(None) } else { text(l).map(Some) }, None)?,
        })
    }

    pub(super) fn read_outbox(json: &str) -> Option<Vec<Outgoing>> {
        let v: Value = serde_json::from_slice(json.as_bytes()).ok()?;
        v.as_array()?
            .iter()
            .map(|e| {
                let o = e.as_object()?;
                Some(Outgoing {
                    submission_id: text(o.get("submission_id")?)?,
                    survey_id: text(o.get("survey_id")?)?,
                    survey_version: u32_of(o.get("survey_version")?)?,
                    endpoint: text(o.get("endpoint")?)?,
                    body: text(o.get("body")?)?,
                    timeout_ms: optional(o, "timeout_ms", u32_of, crate::config::DEFAULT_REQUEST_TIMEOUT_MS)?,
                })
            })
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    /// The derived shapes the hand-written JSON replaced, kept here as the reference it must match.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct DerivedOutgoing {
        submission_id: String,
        survey_id: String,
        survey_version: u32,
        endpoint: String,
        body: String,
        #[serde(default = "default_timeout")]
        timeout_ms: u32,
    }

    fn default_timeout() -> u32 {
        crate::config::DEFAULT_REQUEST_TIMEOUT_MS
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct DerivedDraft {
        answers: Answers,
        page: usize,
        #[serde(default)]
        seed: u64,
        #[serde(default)]
        lang: Option<String>,
    }

    fn every_answer() -> Answers {
        let mut a = Answers::default();
        let pairs = |p: &[(&str, &str)]| p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        a.values.insert("choice".into(), Answer::Choice("other".into()));
        a.values.insert("choices".into(), Answer::Choices(vec!["a".into(), "b \"quoted\"".into()]));
        a.values.insert("empty".into(), Answer::Choices(vec![]));
        a.values.insert("text".into(), Answer::Text("line\nnext \u{1F600} \\ </script>".into()));
        a.values.insert("rating".into(), Answer::Rating(-3));
        a.values.insert("matrix".into(), Answer::Matrix(pairs(&[("r1", "c2"), ("r0", "c1")])));
        a.values.insert("ranking".into(), Answer::Ranking(vec!["z".into(), "y".into()]));
        a.values.insert(
            "date".into(),
            Answer::Date(DateParts { day: "29".into(), month: "2".into(), year: "2024".into() }),
        );
        a.values.insert("consent".into(), Answer::Consent(true));
        a.values.insert("no".into(), Answer::Consent(false));
        a.other_text = pairs(&[("choice", "my own"), ("x", "")]);
        a
    }

    fn derived(d: &Draft) -> DerivedDraft {
        DerivedDraft { answers: d.answers.clone(), page: d.page, seed: d.seed, lang: d.lang.clone() }
    }

    #[test]
    fn drafts_are_written_exactly_as_the_derive_wrote_them() {
        for lang in [None, Some("cy".to_owned())] {
            let draft = Draft { answers: every_answer(), page: 3, seed: u64::MAX, lang };
            let json = json::write_draft(&draft);
            assert_eq!(json, serde_json::to_string(&derived(&draft)).expect("serialises"));
            assert_eq!(json::read_draft(&json), Some(draft));
        }
        let empty = Draft { answers: Answers::default(), page: 0, seed: 0, lang: None };
        assert_eq!(json::write_draft(&empty), serde_json::to_string(&derived(&empty)).expect("serialises"));
    }

    #[test]
    fn the_outbox_is_written_exactly_as_the_derive_wrote_it() {
        let entry = |n: u32| Outgoing {
            submission_id: format!("id-{n}"),
            survey_id: "s".into(),
            survey_version: n,
            endpoint: "/api/responses?x=\"1\"".into(),
            body: r#"{"answers":{"q":"a\u00e9"}}"#.into(),
            timeout_ms: 500 + n,
        };
        for entries in [vec![], vec![entry(1)], vec![entry(1), entry(u32::MAX - 500)]] {
            let reference: Vec<DerivedOutgoing> = entries
                .iter()
                .map(|e| DerivedOutgoing {
                    submission_id: e.submission_id.clone(),
                    survey_id: e.survey_id.clone(),
                    survey_version: e.survey_version,
                    endpoint: e.endpoint.clone(),
                    body: e.body.clone(),
                    timeout_ms: e.timeout_ms,
                })
                .collect();
            let json = json::write_outbox(&entries);
            assert_eq!(json, serde_json::to_string(&reference).expect("serialises"));
            assert_eq!(json::read_outbox(&json), Some(entries));
        }
    }

    #[test]
    fn reading_accepts_and_refuses_what_the_derive_did() {
        // Older entries: no timeout, no seed, no language; unknown fields are ignored.
        let old = r#"[{"submission_id":"a","survey_id":"s","survey_version":1,"endpoint":"/e","body":"{}","extra":1}]"#;
        let got = json::read_outbox(old).expect("an old outbox loads");
        assert_eq!(got[0].timeout_ms, crate::config::DEFAULT_REQUEST_TIMEOUT_MS);
        let reference: Vec<DerivedOutgoing> = serde_json::from_str(old).expect("the derive loads it too");
        assert_eq!(got[0].timeout_ms, reference[0].timeout_ms);

        let draft = r#"{"answers":{"values":{"q":{"t":"rating","v":4}},"other_text":{}},"page":1,"lang":null}"#;
        let got = json::read_draft(draft).expect("an old draft loads");
        let reference: DerivedDraft = serde_json::from_str(draft).expect("the derive loads it too");
        assert_eq!(derived(&got), reference);

        // Each of these the derive refused, so a damaged entry is dropped, never half-read.
        for bad in [
            r#"[{"submission_id":"a","survey_id":"s","survey_version":-1,"endpoint":"/e","body":"{}"}]"#,
            r#"[{"submission_id":"a","survey_id":"s","survey_version":1.5,"endpoint":"/e","body":"{}"}]"#,
            r#"[{"submission_id":"a","survey_id":"s","survey_version":1,"endpoint":"/e"}]"#,
            r#"[{"submission_id":"a","survey_id":"s","survey_version":1,"endpoint":"/e","body":"{}","timeout_ms":null}]"#,
            r#"[{"submission_id":"a","survey_id":"s","survey_version":4294967296,"endpoint":"/e","body":"{}"}]"#,
            r#"{"submission_id":"a"}"#,
            "not json",
        ] {
            assert!(serde_json::from_str::<Vec<DerivedOutgoing>>(bad).is_err(), "{bad}");
            assert_eq!(json::read_outbox(bad), None, "{bad}");
        }
        for bad in [
            r#"{"answers":{"values":{}},"page":0}"#,
            r#"{"answers":{"values":{},"other_text":{}}}"#,
            r#"{"answers":{"values":{"q":{"t":"rating","v":"4"}},"other_text":{}},"page":0}"#,
            r#"{"answers":{"values":{"q":{"t":"guess","v":"4"}},"other_text":{}},"page":0}"#,
            r#"{"answers":{"values":{"q":{"t":"text"}},"other_text":{}},"page":0}"#,
            r#"{"answers":{"values":{"q":{"t":"date","v":{"day":"1","month":"2"}}},"other_text":{}},"page":0}"#,
            r#"{"answers":{"values":{},"other_text":{"q":1}},"page":0}"#,
            r#"{"answers":{"values":{},"other_text":{}},"page":0,"seed":null}"#,
            r#"{"answers":{"values":{},"other_text":{}},"page":0,"lang":2}"#,
        ] {
            assert!(serde_json::from_str::<DerivedDraft>(bad).is_err(), "{bad}");
            assert_eq!(json::read_draft(bad), None, "{bad}");
        }
    }
}
