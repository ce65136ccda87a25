//! The outbox: submissions made on this device and not delivered yet, in `localStorage`, each
//! under its own key, `survey-widget:outbox:{submission_id}` (docs/submission.md, "The outbox").
//!
//! One key per submission, so that a change only ever writes or removes the key of the
//! submission it settles. Tabs take the Web Lock [`LOCK`] around every change
//! ([`storage::exclusive`]), but the lock does not order what they read: Chromium gives each
//! renderer process its own copy of `localStorage` and tells it of another process's writes a
//! moment later, so a tab that takes the lock just after another tab wrote may still read what
//! was there before. With one key for everything (releases before this one), its write put that
//! older list back, without the other tab's new submission: a lost update, which lost an answer
//! in tests/e2e/fault-injection.test.mjs. With a key each, what a tab writes holds only the
//! submission it is settling; the worst a stale read can do is to bring back, or unmark, one that
//! another tab has just settled (delivered, held), which is then sent once more and answered as
//! before: a repeat under its idempotency key, or the same refusal.
//!
//! Earlier releases kept a JSON list under [`LEGACY`]: it is still read, and every change first
//! moves its readable entries to their own keys, under the lock those releases take too.
//!
//! Each entry is read on its own. One this release cannot read (damaged, or written by another
//! release) is kept exactly as it is, byte for byte: it is never dropped to make room for another.

use crate::json;
use crate::storage::{self, Area};
use serde_json::Value;

/// The start of each submission's key: `survey-widget:outbox:{submission_id}`. The loader and
/// `index.mjs` look for any key that starts with `survey-widget:outbox` (widget/loader/index.mjs,
/// "Delivery"), which covers [`LEGACY`] too.
pub const PREFIX: &str = "survey-widget:outbox:";

/// The one key of the outbox written by earlier releases: a JSON list of entries. Read, never
/// added to; emptied into per-submission keys by the next change (see [`migrate`]).
pub const LEGACY: &str = "survey-widget:outbox";

/// The Web Lock around every change to the outbox: the name earlier releases take around theirs,
/// so that moving their list never interleaves with their changes to it.
pub const LOCK: &str = LEGACY;

/// The key of a submission's entry.
pub fn key(submission_id: &str) -> String {
    [PREFIX, submission_id].concat()
}

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
    /// Set when the endpoint would not take it: never sent again by itself, kept until its
    /// respondent has seen it and chosen what to do.
    pub held: Option<Held>,
    /// The earliest time (ms since the epoch) to try again, when the endpoint said (Retry-After).
    pub not_before: Option<u64>,
}

/// Why a submission is held on the device instead of being sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// The endpoint's answer: 400, 413 or 422 (refused), 409 (another body has this id).
    pub status: u16,
    /// A 422 that said the survey is closed.
    pub closed: bool,
}

impl Outgoing {
    /// A submission that is due: not held, and not asked to wait beyond `now`.
    pub fn due(&self, now: u64) -> bool {
        self.held.is_none() && self.not_before.is_none_or(|t| t <= now)
    }
}

/// One entry of the outbox as it was found.
#[derive(Debug)]
enum Entry {
    Readable(Outgoing),
    /// Kept exactly as written.
    Unreadable(String),
}

/// What the outbox needs of the device's storage: strings under keys. [`Local`] in the browser;
/// the tests model two tabs with it.
trait Store {
    fn get(&self, key: &str) -> Option<String>;
    /// Returns whether `value` is really kept.
    fn set(&self, key: &str, value: &str) -> bool;
    fn remove(&self, key: &str);
    /// Every key that starts with `prefix`.
    fn keys(&self, prefix: &str) -> Vec<String>;
}

/// The browser's `localStorage`.
struct Local;

impl Store for Local {
    fn get(&self, key: &str) -> Option<String> {
        storage::read(Area::Local, key)
    }
    fn set(&self, key: &str, value: &str) -> bool {
        storage::write(Area::Local, key, value)
    }
    fn remove(&self, key: &str) {
        storage::remove(Area::Local, key);
    }
    fn keys(&self, prefix: &str) -> Vec<String> {
        storage::keys(Area::Local, prefix)
    }
}

/// The entry under `key`, if there is one. It is readable only if it is a record this release
/// can read, of the submission its key names.
fn load(s: &impl Store, key: &str) -> Option<Entry> {
    let text = s.get(key)?;
    let named = key.strip_prefix(PREFIX);
    Some(match json::parse::<Value>(&text).as_ref().and_then(read) {
        Some(o) if named == Some(o.submission_id.as_str()) => Entry::Readable(o),
        _ => Entry::Unreadable(text),
    })
}

/// An entry's text, as it is kept under its key.
fn record(o: &Outgoing) -> String {
    let mut out = String::new();
    write_entry(&mut out, o);
    out
}

/// Every submission on this device (for this site) that this release can read.
pub fn pending() -> Vec<Outgoing> {
    pending_in(&Local)
}

fn pending_in(s: &impl Store) -> Vec<Outgoing> {
    let keys = s.keys(PREFIX);
    let mut out: Vec<Outgoing> = keys
        .iter()
        .filter_map(|k| match load(s, k)? {
            Entry::Readable(o) => Some(o),
            Entry::Unreadable(_) => None,
        })
        .collect();
    // An earlier release's entries, until a change moves them; under its own key, one is moved.
    for e in entries(s.get(LEGACY)) {
        if let Entry::Readable(o) = e {
            if !keys.contains(&key(&o.submission_id)) {
                out.push(o);
            }
        }
    }
    out
}

/// The submission of a survey waiting on this device, if any: one its respondent must see (held)
/// before one that is only waiting to be sent.
pub fn pending_for(survey_id: &str) -> Option<Outgoing> {
    let mine: Vec<Outgoing> = pending().into_iter().filter(|o| o.survey_id == survey_id).collect();
    let held = mine.iter().position(|o| o.held.is_some()).unwrap_or(0);
    mine.into_iter().nth(held)
}

/// Keeps a submission until it is delivered, as due now. It replaces the entry `replaces` (a
/// submission held under another id, that these answers now stand for). Returns whether it is
/// really on the device.
pub async fn keep(entry: &Outgoing, replaces: Option<String>) -> bool {
    let entry = Outgoing { held: None, not_before: None, ..entry.clone() };
    change(move |s| keep_in(s, &entry, replaces.as_deref())).await
}

fn keep_in(s: &impl Store, entry: &Outgoing, replaces: Option<&str>) -> bool {
    let k = key(&entry.submission_id);
    let kept = match load(s, &k) {
        // Another release's record of this very submission: left as it is, and it is on the device.
        Some(Entry::Unreadable(_)) => true,
        _ => s.set(&k, &record(entry)),
    };
    // Only once the new one is kept does the one it replaces go, and only if it is readable.
    if let Some(old) = replaces.filter(|old| kept && *old != entry.submission_id).map(key) {
        if let Some(Entry::Readable(_)) = load(s, &old) {
            s.remove(&old);
        }
    }
    kept
}

/// What becomes of a submission on the device after an attempt, or its respondent's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// Delivered, or let go by its respondent: it goes.
    Forget,
    /// The endpoint would not take it: kept, never sent again by itself.
    Hold(Held),
    /// The endpoint asked for time: kept, not tried again before then (ms since the epoch).
    Defer(u64),
}

/// Settles a submission, if it is still on the device (a tab that saw it delivered meanwhile
/// has removed it, and it stays removed).
pub async fn settle(submission_id: String, how: Settle) {
    change(move |s| {
        settle_in(s, &submission_id, how);
        true
    })
    .await;
}

fn settle_in(s: &impl Store, submission_id: &str, how: Settle) {
    let k = key(submission_id);
    let Some(Entry::Readable(mut o)) = load(s, &k) else { return };
    match how {
        Settle::Forget => return s.remove(&k),
        Settle::Hold(held) => o.held = Some(held),
        Settle::Defer(t) => o.not_before = Some(t),
    }
    s.set(&k, &record(&o));
}

/// Runs `edit` (it says whether its change is really kept) under the outbox's lock, once an
/// earlier release's list is moved to per-submission keys.
async fn change(edit: impl FnOnce(&Local) -> bool + 'static) -> bool {
    storage::exclusive(LOCK, move || {
        migrate(&Local);
        edit(&Local)
    })
    .await
}

/// Moves each readable entry of an earlier release's list to its own key, unless that key is
/// taken (by a later record of the same submission). The list keeps what could not be moved (an
/// unreadable entry, byte for byte; one the quota refused) and goes once it is empty. It is
/// rewritten only when something moved: a list of unreadable entries, or text that is not even a
/// list, stays exactly as it is.
fn migrate(s: &impl Store) {
    let Some(text) = s.get(LEGACY) else { return };
    let list = entries(Some(text));
    let found = list.len();
    let left: Vec<Entry> = list
        .into_iter()
        .filter(|e| match e {
            Entry::Readable(o) => {
                let k = key(&o.submission_id);
                !(s.get(&k).is_some() || s.set(&k, &record(o)))
            }
            Entry::Unreadable(_) => true,
        })
        .collect();
    if left.is_empty() {
        s.remove(LEGACY);
    } else if left.len() < found {
        s.set(LEGACY, &write(&left));
    }
}

// The record, written by hand (see `crate::json`). The shape is exactly the one serde's derives
// wrote before, with `held` and `not_before` after, only when set, so entries written by earlier
// versions of the widget (and by other tabs running one) still load, and `index.mjs`, which
// reads `body` and `held`, is unaffected. Each is the value of its own key now, and an element of
// the list under `LEGACY` before. Reading an entry is as strict as the derives were: a missing
// required field or a value of the wrong type makes the entry unreadable, and it is then kept as
// it is; unknown fields are ignored; `timeout_ms`, `held` and `not_before` may be absent.

/// The entries of an earlier release's list, each as it was found. Text that is not even a list
/// is one unreadable entry: nothing moves out of it, so it stays exactly as it is.
fn entries(text: Option<String>) -> Vec<Entry> {
    let Some(text) = text else { return Vec::new() };
    let values: Option<Value> = json::parse(&text);
    match (values.as_ref().and_then(Value::as_array), elements(&text)) {
        (Some(values), Some(raw)) if values.len() == raw.len() => values
            .iter()
            .zip(raw)
            .map(|(v, raw)| read(v).map_or_else(|| Entry::Unreadable(raw.to_owned()), Entry::Readable))
            .collect(),
        _ => vec![Entry::Unreadable(text)],
    }
}

/// The exact text of each element of a JSON array (whose validity `serde_json` has checked), or
/// `None` if `text` is not an array. (serde_json's `RawValue` does this too, for 2 KB of Wasm.)
fn elements(text: &str) -> Option<Vec<&str>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut start) = (0u32, false, false, 0);
    for (i, c) in inner.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            _ if in_string => {}
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => {
                out.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = inner[start..].trim();
    if !last.is_empty() || !out.is_empty() {
        out.push(last);
    }
    Some(out)
}

fn write(entries: &[Entry]) -> String {
    let mut out = String::from("[");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match e {
            Entry::Readable(o) => write_entry(&mut out, o),
            Entry::Unreadable(raw) => out.push_str(raw),
        }
    }
    out.push(']');
    out
}

fn write_entry(out: &mut String, e: &Outgoing) {
    out.push('{');
    json::key(out, true, "submission_id");
    json::string(out, &e.submission_id);
    json::key(out, false, "survey_id");
    json::string(out, &e.survey_id);
    json::key(out, false, "survey_version");
    out.push_str(&e.survey_version.to_string());
    json::key(out, false, "endpoint");
    json::string(out, &e.endpoint);
    json::key(out, false, "body");
    json::string(out, &e.body);
    json::key(out, false, "timeout_ms");
    out.push_str(&e.timeout_ms.to_string());
    if let Some(held) = e.held {
        json::key(out, false, "held");
        out.push_str("{\"status\":");
        out.push_str(&held.status.to_string());
        if held.closed {
            out.push_str(",\"closed\":true");
        }
        out.push('}');
    }
    if let Some(t) = e.not_before {
        json::key(out, false, "not_before");
        out.push_str(&t.to_string());
    }
    out.push('}');
}

fn read_held(v: &Value) -> Option<Option<Held>> {
    let o = v.as_object()?;
    let status = u16::try_from(o.get("status")?.as_u64()?).ok()?;
    let closed = json::optional(o, "closed", Value::as_bool, false)?;
    Some(Some(Held { status, closed }))
}

fn read(v: &Value) -> Option<Outgoing> {
    let o = v.as_object()?;
    Some(Outgoing {
        submission_id: json::text(o.get("submission_id")?)?,
        survey_id: json::text(o.get("survey_id")?)?,
        survey_version: json::u32_of(o.get("survey_version")?)?,
        endpoint: json::text(o.get("endpoint")?)?,
        body: json::text(o.get("body")?)?,
        timeout_ms: json::optional(o, "timeout_ms", json::u32_of, crate::config::DEFAULT_REQUEST_TIMEOUT_MS)?,
        held: json::optional(o, "held", read_held, None)?,
        not_before: json::optional(o, "not_before", |t| t.as_u64().map(Some), None)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::cell::{Cell, RefCell};
    use std::collections::{BTreeMap, VecDeque};

    /// The derived shape the hand-written JSON replaced, kept here as the reference it must match.
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

    fn entry(n: u32) -> Outgoing {
        Outgoing {
            submission_id: format!("id-{n}"),
            survey_id: "s".into(),
            survey_version: n,
            endpoint: "/api/responses?x=\"1\"".into(),
            body: r#"{"answers":{"q":"a\u00e9"}}"#.into(),
            timeout_ms: 500 + n,
            held: None,
            not_before: None,
        }
    }

    fn readable(list: &[Entry]) -> Vec<&Outgoing> {
        list.iter().filter_map(|e| if let Entry::Readable(o) = e { Some(o) } else { None }).collect()
    }

    #[test]
    fn the_outbox_is_written_exactly_as_the_derive_wrote_it() {
        for outgoing in [vec![entry(1)], vec![entry(1), entry(u32::MAX - 500)]] {
            let reference: Vec<DerivedOutgoing> = outgoing
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
            let list: Vec<Entry> = outgoing.iter().cloned().map(Entry::Readable).collect();
            let text = write(&list);
            assert_eq!(text, serde_json::to_string(&reference).expect("serialises"));
            assert_eq!(readable(&entries(Some(text))), outgoing.iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn held_and_deferred_entries_round_trip_and_an_earlier_release_still_reads_them() {
        let mut held = entry(2);
        held.held = Some(Held { status: 422, closed: true });
        let mut deferred = entry(3);
        deferred.not_before = Some(1_800_000_000_000);
        let text = write(&[Entry::Readable(held.clone()), Entry::Readable(deferred.clone())]);
        assert_eq!(readable(&entries(Some(text.clone()))), [&held, &deferred]);
        let old: Vec<DerivedOutgoing> = serde_json::from_str(&text).expect("an earlier release reads them");
        assert_eq!(old.len(), 2);
        assert!(!held.due(0) && !deferred.due(1_799_999_999_999) && deferred.due(1_800_000_000_000));
    }

    #[test]
    fn an_entry_that_cannot_be_read_is_kept_byte_for_byte_beside_the_others() {
        // Older entries: no timeout; unknown fields are ignored.
        let old = r#"{"submission_id":"a","survey_id":"s","survey_version":1,"endpoint":"/e","body":"{}","extra":1}"#;
        let got = read(&serde_json::from_str(old).expect("JSON")).expect("an old entry loads");
        assert_eq!(got.timeout_ms, crate::config::DEFAULT_REQUEST_TIMEOUT_MS);
        // Each of these the derive refused: kept exactly as written, never half-read, never lost.
        for bad in [
            r#"{"submission_id":"a","survey_id":"s","survey_version":-1,"endpoint":"/e","body":"{}"}"#,
            r#"{"submission_id":"a","survey_id":"s","survey_version":1.5,"endpoint":"/e","body":"{}"}"#,
            r#"{"submission_id":"a","survey_id":"s","survey_version":1,"endpoint":"/e"}"#,
            r#"{"submission_id":"a","survey_id":"s","survey_version":1,"endpoint":"/e","body":"{}","timeout_ms":null}"#,
            r#"{"submission_id":"a","survey_id":"s","survey_version":4294967296,"endpoint":"/e","body":"{}"}"#,
            r#"{ "format" : 9, "sealed" : "AAECAw==" }"#,
            r#""a string""#,
        ] {
            assert!(serde_json::from_str::<DerivedOutgoing>(bad).is_err(), "{bad}");
            let list = entries(Some(format!("[{old},{bad},{}]", record(&entry(7)))));
            assert_eq!(readable(&list), [&got, &entry(7)], "{bad}");
            assert_eq!(write(&list), format!("[{},{bad},{}]", record(&got), record(&entry(7))), "kept verbatim: {bad}");
        }
    }

    #[test]
    fn each_element_is_found_exactly_as_written() {
        let text = r#" [ {"a":"],\"}[" , "b":[1,{"c":2}]} ,"x,y" , 3 ,[ ] ] "#;
        assert_eq!(elements(text), Some(vec![r#"{"a":"],\"}[" , "b":[1,{"c":2}]}"#, r#""x,y""#, "3", "[ ]"]));
        assert_eq!(elements("[]"), Some(vec![]));
        assert_eq!(elements("[ ]"), Some(vec![]));
        assert_eq!(elements("{}"), None);
    }

    /// A device's `localStorage` as its tabs see it, as Chromium keeps it: the browser's copy, and
    /// each tab's own copy, which takes in another tab's writes one by one, in order, only when
    /// [`Device::deliver`] says so. Taking the Web Lock does not bring a tab's copy up to date,
    /// so a change under the lock may read a stale copy: that is what these tests play.
    #[derive(Default)]
    struct Device {
        browser: RefCell<BTreeMap<String, String>>,
        copies: Vec<RefCell<BTreeMap<String, String>>>,
        /// Writes each tab has not taken in yet, in order.
        unseen: Vec<RefCell<VecDeque<Write>>>,
        /// A full quota: nothing more is kept.
        full: Cell<bool>,
    }

    /// A write to the browser's copy: a key, and its value (`None`: removed).
    type Write = (String, Option<String>);

    /// One tab of a [`Device`].
    struct Tab<'a>(&'a Device, usize);

    impl Device {
        fn with_tabs(n: usize) -> Device {
            Device {
                copies: (0..n).map(|_| RefCell::default()).collect(),
                unseen: (0..n).map(|_| RefCell::default()).collect(),
                ..Device::default()
            }
        }

        fn tab(&self, i: usize) -> Tab<'_> {
            Tab(self, i)
        }

        /// Tab `i` takes in the next `n` writes of the other tabs.
        fn deliver(&self, i: usize, n: usize) {
            for _ in 0..n {
                let Some((k, v)) = self.unseen[i].borrow_mut().pop_front() else { return };
                let mut copy = self.copies[i].borrow_mut();
                match v {
                    Some(v) => copy.insert(k, v),
                    None => copy.remove(&k),
                };
            }
        }

        /// Every tab takes in every write.
        fn settle_down(&self) {
            for i in 0..self.copies.len() {
                self.deliver(i, usize::MAX);
            }
        }

        fn write(&self, from: usize, k: &str, v: Option<&str>) {
            let mut browser = self.browser.borrow_mut();
            match v {
                Some(v) => browser.insert(k.to_owned(), v.to_owned()),
                None => browser.remove(k),
            };
            for (i, copy) in self.copies.iter().enumerate() {
                if i == from {
                    let mut copy = copy.borrow_mut();
                    match v {
                        Some(v) => copy.insert(k.to_owned(), v.to_owned()),
                        None => copy.remove(k),
                    };
                } else {
                    self.unseen[i].borrow_mut().push_back((k.to_owned(), v.map(str::to_owned)));
                }
            }
        }

        fn ids(&self) -> Vec<String> {
            self.browser.borrow().keys().filter_map(|k| k.strip_prefix(PREFIX)).map(str::to_owned).collect()
        }
    }

    impl Store for Tab<'_> {
        fn get(&self, key: &str) -> Option<String> {
            self.0.copies[self.1].borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) -> bool {
            !self.0.full.get() && {
                self.0.write(self.1, key, Some(value));
                true
            }
        }
        fn remove(&self, key: &str) {
            self.0.write(self.1, key, None);
        }
        fn keys(&self, prefix: &str) -> Vec<String> {
            self.0.copies[self.1].borrow().keys().filter(|k| k.starts_with(prefix)).cloned().collect()
        }
    }

    #[test]
    fn each_submission_is_kept_under_its_own_key_in_the_shape_the_derive_wrote() {
        let device = Device::with_tabs(1);
        let tab = device.tab(0);
        assert!(keep_in(&tab, &entry(1), None) && keep_in(&tab, &entry(2), None));
        assert_eq!(device.ids(), ["id-1", "id-2"]);
        let derived = |e: &Outgoing| {
            serde_json::to_string(&DerivedOutgoing {
                submission_id: e.submission_id.clone(),
                survey_id: e.survey_id.clone(),
                survey_version: e.survey_version,
                endpoint: e.endpoint.clone(),
                body: e.body.clone(),
                timeout_ms: e.timeout_ms,
            })
            .expect("serialises")
        };
        assert_eq!(tab.get("survey-widget:outbox:id-1"), Some(derived(&entry(1))));
        assert_eq!(pending_in(&tab), [entry(1), entry(2)]);
        device.full.set(true);
        assert!(!keep_in(&tab, &entry(3), None), "a full quota is reported, never promised");
    }

    #[test]
    fn settling_writes_or_removes_only_the_key_of_the_submission_settled() {
        let device = Device::with_tabs(1);
        let tab = device.tab(0);
        for n in 1..=3 {
            keep_in(&tab, &entry(n), None);
        }
        let untouched = tab.get(&key("id-3"));
        settle_in(&tab, "id-1", Settle::Hold(Held { status: 409, closed: false }));
        settle_in(&tab, "id-2", Settle::Defer(1_800_000_000_000));
        let got = pending_in(&tab);
        assert_eq!(got[0].held, Some(Held { status: 409, closed: false }));
        assert_eq!(got[1].not_before, Some(1_800_000_000_000));
        assert_eq!(tab.get(&key("id-3")), untouched);
        settle_in(&tab, "id-2", Settle::Forget);
        assert_eq!(device.ids(), ["id-1", "id-3"]);
        // Delivered and removed by another tab: it stays removed, whatever this tab settles.
        settle_in(&tab, "id-2", Settle::Defer(1));
        assert_eq!(device.ids(), ["id-1", "id-3"]);
    }

    #[test]
    fn an_entry_this_release_cannot_read_is_never_changed_or_removed() {
        let device = Device::with_tabs(1);
        let tab = device.tab(0);
        let newer = r#"{"format":9,"sealed":"AAECAw=="}"#;
        tab.set(&key("id-1"), newer);
        // A readable record under the key of another submission is not this key's to send.
        tab.set(&key("id-9"), &record(&entry(2)));
        assert_eq!(pending_in(&tab), []);
        settle_in(&tab, "id-1", Settle::Forget);
        settle_in(&tab, "id-9", Settle::Forget);
        assert!(keep_in(&tab, &entry(1), None), "the submission is on the device, in the newer release's record");
        keep_in(&tab, &entry(5), Some("id-1"));
        assert_eq!(tab.get(&key("id-1")).as_deref(), Some(newer));
        assert_eq!(tab.get(&key("id-9")), Some(record(&entry(2))));
    }

    #[test]
    fn a_held_entry_goes_only_once_the_answers_that_replace_it_are_kept() {
        let device = Device::with_tabs(1);
        let tab = device.tab(0);
        keep_in(&tab, &entry(1), None);
        settle_in(&tab, "id-1", Settle::Hold(Held { status: 422, closed: false }));
        device.full.set(true);
        assert!(!keep_in(&tab, &entry(2), Some("id-1")));
        assert_eq!(device.ids(), ["id-1"], "not kept: the held answers stay");
        device.full.set(false);
        assert!(keep_in(&tab, &entry(2), Some("id-1")));
        assert_eq!(device.ids(), ["id-2"]);
    }

    #[test]
    fn an_earlier_releases_list_is_read_and_moved_entry_by_entry_keeping_what_it_cannot_read() {
        let device = Device::with_tabs(1);
        let tab = device.tab(0);
        let old = r#"{"submission_id":"id-1","survey_id":"s","survey_version":1,"endpoint":"/e","body":"{}"}"#;
        let garbage = r#"{ "submission_id" : 5 }"#;
        let mut held = entry(2);
        held.held = Some(Held { status: 422, closed: true });
        tab.set(LEGACY, &format!("[{old},{garbage},{}]", record(&held)));
        let got = pending_in(&tab);
        assert_eq!(got.iter().map(|o| o.submission_id.as_str()).collect::<Vec<_>>(), ["id-1", "id-2"], "read before any change");
        migrate(&tab);
        assert_eq!(device.ids(), ["id-1", "id-2"]);
        assert_eq!(tab.get(&key("id-2")), Some(record(&held)), "held stays held");
        assert_eq!(tab.get(LEGACY), Some(format!("[{garbage}]")), "the unreadable one stays, byte for byte");
        assert_eq!(pending_in(&tab), got, "read once, not twice");
        // A later record under the submission's own key wins over its copy in the list.
        tab.set(LEGACY, &format!("[{}]", record(&entry(2))));
        migrate(&tab);
        assert_eq!(tab.get(&key("id-2")), Some(record(&held)));
        assert_eq!(tab.get(LEGACY), None, "the list goes once it is empty");
        // What the quota refuses stays in the list.
        tab.set(LEGACY, &format!("[{}]", record(&entry(3))));
        device.full.set(true);
        migrate(&tab);
        assert_eq!(tab.get(LEGACY), Some(format!("[{}]", record(&entry(3)))));
    }

    #[test]
    fn an_outbox_that_is_not_a_list_is_kept_exactly_as_it_is() {
        let device = Device::with_tabs(1);
        let tab = device.tab(0);
        for text in ["[{\"submission_id\":", "{}", "[ ]x"] {
            tab.set(LEGACY, text);
            assert!(matches!(entries(tab.get(LEGACY)).as_slice(), [Entry::Unreadable(_)]));
            migrate(&tab);
            keep_in(&tab, &entry(1), None);
            assert_eq!(tab.get(LEGACY).as_deref(), Some(text));
        }
        tab.set(LEGACY, "[]");
        migrate(&tab);
        assert_eq!(tab.get(LEGACY), None);
    }

    #[test]
    fn a_tab_reading_a_stale_copy_never_removes_another_tabs_submission() {
        // Both tabs see Y; then tab 0 keeps X, and tab 1 settles Y before it has seen X.
        for how in [Settle::Forget, Settle::Defer(9), Settle::Hold(Held { status: 409, closed: false })] {
            let device = Device::with_tabs(2);
            let (tab0, tab1) = (device.tab(0), device.tab(1));
            keep_in(&tab1, &entry(2), None);
            device.settle_down();
            keep_in(&tab0, &entry(1), None);
            settle_in(&tab1, "id-2", how);
            keep_in(&tab1, &entry(3), None);
            migrate(&tab1);
            device.settle_down();
            assert!(device.ids().contains(&"id-1".to_owned()), "{how:?}: {:?}", device.ids());
            assert_eq!(pending_in(&tab0).into_iter().find(|o| o.submission_id == "id-1"), Some(entry(1)), "exactly as written");
        }
        // The same interleaving with one list for everything, as before: X is lost. (This model
        // is what lost an answer in tests/e2e/fault-injection.test.mjs.)
        let device = Device::with_tabs(2);
        let (tab0, tab1) = (device.tab(0), device.tab(1));
        let list = |tab: &Tab, edit: &dyn Fn(&mut Vec<Entry>)| {
            let mut entries = entries(tab.get(LEGACY));
            edit(&mut entries);
            tab.set(LEGACY, &write(&entries));
        };
        list(&tab1, &|l| l.push(Entry::Readable(entry(2))));
        device.settle_down();
        list(&tab0, &|l| l.push(Entry::Readable(entry(1))));
        list(&tab1, &|l| l.retain(|e| !matches!(e, Entry::Readable(o) if o.submission_id == "id-2")));
        device.settle_down();
        assert_eq!(tab0.get(LEGACY).as_deref(), Some("[]"), "the one list lost X");
    }

    /// xorshift64*: enough randomness for the interleavings below, without a dependency.
    fn random(seed: &mut u64) -> u64 {
        *seed ^= *seed >> 12;
        *seed ^= *seed << 25;
        *seed ^= *seed >> 27;
        seed.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    #[test]
    fn no_interleaving_of_three_tabs_with_stale_copies_loses_a_submission() {
        for run in 0..300u64 {
            let mut seed = run.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
            let device = Device::with_tabs(3);
            // An earlier release left two, one of them unreadable.
            device.tab(0).set(LEGACY, &format!("[{},{{\"x\":1}},{}]", record(&entry(100)), record(&entry(101))));
            device.settle_down();
            let mut kept: Vec<String> = vec!["id-100".into(), "id-101".into()];
            let mut delivered: Vec<String> = Vec::new();
            for step in 0..120u32 {
                let tab = device.tab((random(&mut seed) % 3) as usize);
                let pick = |seed: &mut u64, from: &[String]| from.get((random(seed) as usize) % from.len().max(1)).cloned();
                match random(&mut seed) % 6 {
                    0 => {
                        let e = entry(step);
                        migrate(&tab);
                        assert!(keep_in(&tab, &e, None));
                        kept.push(e.submission_id);
                    }
                    1 => {
                        // Delivered: whichever tab learns it removes it.
                        if let Some(id) = pick(&mut seed, &kept) {
                            migrate(&tab);
                            settle_in(&tab, &id, Settle::Forget);
                            delivered.push(id);
                        }
                    }
                    2 => {
                        if let Some(id) = pick(&mut seed, &kept) {
                            migrate(&tab);
                            settle_in(&tab, &id, Settle::Defer(u64::from(step)));
                        }
                    }
                    3 => {
                        if let Some(id) = pick(&mut seed, &kept) {
                            migrate(&tab);
                            settle_in(&tab, &id, Settle::Hold(Held { status: 422, closed: false }));
                        }
                    }
                    4 => migrate(&tab),
                    _ => device.deliver(tab.1, (random(&mut seed) % 4) as usize),
                }
                // Every submission not delivered is on the device (as the browser holds it),
                // whatever each tab's copy says.
                let mut on_device: Vec<String> = device.ids();
                let browser = device.browser.borrow().clone();
                on_device.extend(entries(browser.get(LEGACY).cloned()).into_iter().filter_map(|e| match e {
                    Entry::Readable(o) => Some(o.submission_id),
                    Entry::Unreadable(_) => None,
                }));
                for id in kept.iter().filter(|id| !delivered.contains(id)) {
                    assert!(on_device.contains(id), "run {run}, step {step}: {id} was lost");
                }
                assert!(browser.get(LEGACY).is_some_and(|l| l.contains("{\"x\":1}")), "run {run}: the unreadable entry is kept");
            }
        }
    }
}
