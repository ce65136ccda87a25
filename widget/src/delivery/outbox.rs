//! The outbox: submissions made on this device and not delivered yet, in `localStorage` under
//! one key, as a JSON list (docs/submission.md, "The outbox").
//!
//! Each entry is read on its own. One this release cannot read (damaged, or written by another
//! release) is kept exactly as it is, and written back byte for byte: it is never dropped to
//! make room for another. Every change is a read-modify-write under the Web Lock of the same
//! name ([`storage::exclusive`]), so two tabs never write over each other's entries.

use crate::json;
use crate::storage::{self, Area};
use serde_json::Value;

/// The `localStorage` key, and the name of the Web Lock around every change to it. The loader
/// and `index.mjs` look for this key (widget/loader/index.mjs, "Delivery").
pub const KEY: &str = "survey-widget:outbox";

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

impl Entry {
    fn id(&self) -> Option<&str> {
        match self {
            Entry::Readable(o) => Some(&o.submission_id),
            Entry::Unreadable(_) => None,
        }
    }
}

/// Every submission on this device (for this site) that this release can read.
pub fn pending() -> Vec<Outgoing> {
    entries(storage::read(Area::Local, KEY))
        .into_iter()
        .filter_map(|e| match e {
            Entry::Readable(o) => Some(o),
            Entry::Unreadable(_) => None,
        })
        .collect()
}

/// The submission of a survey waiting on this device, if any: one its respondent must see (held)
/// before one that is only waiting to be sent.
pub fn pending_for(survey_id: &str) -> Option<Outgoing> {
    let mine: Vec<Outgoing> = pending().into_iter().filter(|o| o.survey_id == survey_id).collect();
    let held = mine.iter().position(|o| o.held.is_some()).unwrap_or(0);
    mine.into_iter().nth(held)
}

/// Keeps a submission until it is delivered, as due now; one entry per submission id. It
/// replaces the entry `replaces` (a submission held under another id, that these answers now
/// stand for). Returns whether it is really on the device.
pub async fn keep(entry: &Outgoing, replaces: Option<String>) -> bool {
    let entry = Outgoing { held: None, not_before: None, ..entry.clone() };
    change(move |entries| {
        if let Some(old) = replaces.filter(|old| *old != entry.submission_id) {
            entries.retain(|e| e.id() != Some(&old));
        }
        match entries.iter_mut().find(|e| e.id() == Some(&entry.submission_id)) {
            Some(existing) => *existing = Entry::Readable(entry),
            None => entries.push(Entry::Readable(entry)),
        }
        true
    })
    .await
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
    change(move |entries| {
        let Some(i) = entries.iter().position(|e| e.id() == Some(&submission_id)) else { return false };
        match (&mut entries[i], how) {
            (_, Settle::Forget) => drop(entries.remove(i)),
            (Entry::Readable(o), Settle::Hold(held)) => o.held = Some(held),
            (Entry::Readable(o), Settle::Defer(t)) => o.not_before = Some(t),
            (Entry::Unreadable(_), _) => return false,
        }
        true
    })
    .await;
}

/// Reads the outbox, lets `edit` change its entries (it says whether it did), and writes them
/// back, all under the outbox's lock. Returns whether the outbox is as `edit` left it.
async fn change(edit: impl FnOnce(&mut Vec<Entry>) -> bool + 'static) -> bool {
    // Boxed, so that the lock and the read and write below are compiled once, not once per caller.
    change_boxed(Box::new(edit)).await
}

/// A change to the outbox's entries that says whether it changed anything.
type Edit = Box<dyn FnOnce(&mut Vec<Entry>) -> bool>;

async fn change_boxed(edit: Edit) -> bool {
    storage::exclusive(KEY, move || {
        let mut list = entries(storage::read(Area::Local, KEY));
        if !edit(&mut list) {
            return true;
        }
        if list.is_empty() {
            // Leave no trace once everything is delivered.
            storage::remove(Area::Local, KEY)
        } else {
            storage::write(Area::Local, KEY, &write(&list))
        }
    })
    .await
}

// The record, written by hand (see `crate::json`). The shape is exactly the one serde's derives
// wrote before, with `held` and `not_before` after, only when set, so entries written by earlier
// versions of the widget (and by other tabs running one) still load, an earlier version reads
// these (ignoring the fields it does not know), and the loader script, which reads
// `submission_id`s and `held`, is unaffected. Reading an entry is as strict as the derives were:
// a missing required field or a value of the wrong type makes the entry unreadable, and it is then
// kept as it is; unknown fields are ignored; `timeout_ms`, `held` and `not_before` may be absent.

fn entries(text: Option<String>) -> Vec<Entry> {
    let Some(text) = text else { return Vec::new() };
    let values: Option<Value> = json::parse(&text);
    match (values.as_ref().and_then(Value::as_array), elements(&text)) {
        (Some(values), Some(raw)) if values.len() == raw.len() => values
            .iter()
            .zip(raw)
            .map(|(v, raw)| read(v).map_or_else(|| Entry::Unreadable(raw.to_owned()), Entry::Readable))
            .collect(),
        // Not even a list: kept whole, as one entry holding the text, so nothing is lost and the
        // outbox can take new submissions again.
        _ => {
            let mut quoted = String::new();
            json::string(&mut quoted, &text);
            vec![Entry::Unreadable(quoted)]
        }
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
            let one = |o: &Outgoing| {
                let mut out = String::new();
                write_entry(&mut out, o);
                out
            };
            let list = entries(Some(format!("[{old},{bad},{}]", one(&entry(7)))));
            assert_eq!(readable(&list), [&got, &entry(7)], "{bad}");
            assert_eq!(write(&list), format!("[{},{bad},{}]", one(&got), one(&entry(7))), "kept verbatim: {bad}");
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

    #[test]
    fn an_outbox_that_is_not_a_list_is_kept_whole_as_one_entry() {
        let list = entries(Some("[{\"submission_id\":".into()));
        assert!(matches!(list.as_slice(), [Entry::Unreadable(_)]));
        let text = write(&list);
        let back: Vec<String> = serde_json::from_str(&text).expect("a list of one string");
        assert_eq!(back, ["[{\"submission_id\":"]);
    }
}
