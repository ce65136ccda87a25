//! Drafts: answers in progress, kept as they are given so that a respondent who comes back finds
//! them (docs/submission.md, "Drafts"). An anonymous survey keeps its draft in `sessionStorage`
//! only, so it ends with the tab; any draft is removed a day after its last change, so answers
//! do not wait on a shared computer for the next person.

use crate::json;
use crate::storage::{self, Area};
use serde_json::Value;
use std::collections::BTreeMap;
use survey_model::{Answer, Answers, DateParts};

const PREFIX: &str = "survey-widget:draft:";

/// How long a draft is kept after its last change.
pub const LIFETIME_MS: u64 = 24 * 60 * 60 * 1000;

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

/// What was found when looking for a draft.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftLookup {
    None,
    Found(Draft),
    /// A draft for another version of the survey was found and removed: it cannot be trusted
    /// against changed questions, and the respondent is told so.
    VersionChanged,
}

fn area(anonymous: bool) -> Area {
    if anonymous {
        Area::Session
    } else {
        Area::Local
    }
}

fn key(survey_id: &str, version: u32) -> String {
    format!("{PREFIX}{survey_id}:{version}")
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Whether a draft saved at `saved_at` (ms since the epoch) may still be restored at `now`. A
/// draft without the time (written before drafts expired) is not: it may be of any age. Nor is
/// one from the future, which a clock set back could otherwise keep for ever.
pub fn is_fresh(saved_at: Option<u64>, now: u64) -> bool {
    saved_at.is_some_and(|t| t <= now && now - t <= LIFETIME_MS)
}

/// Loads the draft for this version of a survey, removing what must not stay: drafts of other
/// versions, an expired draft, and a draft in the wrong store (a survey that has become
/// anonymous keeps nothing in `localStorage`).
pub fn load(survey_id: &str, version: u32, anonymous: bool) -> DraftLookup {
    let own = key(survey_id, version);
    let now = now_ms();
    let found = storage::read(area(anonymous), &own)
        .and_then(|text| read(&text))
        .and_then(|(draft, saved_at)| is_fresh(saved_at, now).then_some(draft));
    let prefix = format!("{PREFIX}{survey_id}:");
    let mut stale_found = false;
    for (store, is_own_store) in [(area(anonymous), true), (area(!anonymous), false)] {
        for k in storage::keys(store, &prefix) {
            if k != own {
                stale_found = true;
            }
            if k != own || !is_own_store || found.is_none() {
                storage::remove(store, &k);
            }
        }
    }
    match found {
        Some(draft) => DraftLookup::Found(draft),
        None if stale_found => DraftLookup::VersionChanged,
        None => DraftLookup::None,
    }
}

/// Saves answers in progress, with the time (or removes the draft when there is nothing to keep).
pub fn save(survey_id: &str, version: u32, anonymous: bool, draft: &Draft) {
    let k = key(survey_id, version);
    if draft.answers.is_empty() {
        storage::remove(area(anonymous), &k);
    } else {
        storage::write(area(anonymous), &k, &write(draft, now_ms()));
    }
}

/// Removes a survey's draft from both stores.
pub fn clear(survey_id: &str, version: u32) {
    for store in [Area::Local, Area::Session] {
        storage::remove(store, &key(survey_id, version));
    }
}

// The record, written by hand (see `crate::json`). The shape is exactly the one serde's derives
// wrote before, plus `saved_at` at the end, so drafts written by earlier versions of the widget
// still load (and then count as expired), and an earlier version ignores the time. Reading is as
// strict as the derives were: a missing required field or a value of the wrong type rejects the
// draft; unknown fields are ignored; `seed`, `lang` and `saved_at` may be absent.

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
        Answer::Choice(s) | Answer::Text(s) => json::string(out, s),
        Answer::Choices(list) | Answer::Ranking(list) => json::string_list(out, list),
        Answer::Rating(n) => out.push_str(&n.to_string()),
        Answer::Matrix(map) => json::string_map(out, map),
        Answer::Date(d) => {
            out.push('{');
            json::key(out, true, "day");
            json::string(out, &d.day);
            json::key(out, false, "month");
            json::string(out, &d.month);
            json::key(out, false, "year");
            json::string(out, &d.year);
            out.push('}');
        }
        Answer::Consent(b) => out.push_str(if *b { "true" } else { "false" }),
    }
    out.push('}');
}

/// The stored text of a draft saved at `saved_at` (ms since the epoch).
pub fn write(d: &Draft, saved_at: u64) -> String {
    let mut out = String::from("{\"answers\":{\"values\":{");
    for (i, (q, a)) in d.answers.values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::string(&mut out, q);
        out.push(':');
        answer(&mut out, a);
    }
    out.push('}');
    json::key(&mut out, false, "other_text");
    json::string_map(&mut out, &d.answers.other_text);
    out.push('}');
    json::key(&mut out, false, "page");
    out.push_str(&d.page.to_string());
    json::key(&mut out, false, "seed");
    out.push_str(&d.seed.to_string());
    json::key(&mut out, false, "lang");
    match &d.lang {
        Some(l) => json::string(&mut out, l),
        None => out.push_str("null"),
    }
    json::key(&mut out, false, "saved_at");
    out.push_str(&saved_at.to_string());
    out.push('}');
    out
}

fn read_answer(v: &Value) -> Option<Answer> {
    let o = v.as_object()?;
    let v = o.get("v")?;
    Some(match o.get("t")?.as_str()? {
        "choice" => Answer::Choice(json::text(v)?),
        "choices" => Answer::Choices(json::list(v)?),
        "text" => Answer::Text(json::text(v)?),
        "rating" => Answer::Rating(v.as_i64()?),
        "matrix" => Answer::Matrix(json::map(v)?),
        "ranking" => Answer::Ranking(json::list(v)?),
        "date" => {
            let d = v.as_object()?;
            Answer::Date(DateParts {
                day: json::text(d.get("day")?)?,
                month: json::text(d.get("month")?)?,
                year: json::text(d.get("year")?)?,
            })
        }
        "consent" => Answer::Consent(v.as_bool()?),
        _ => return None,
    })
}

/// A stored draft and the time it was saved, if it says.
pub fn read(text: &str) -> Option<(Draft, Option<u64>)> {
    let v: Value = json::parse(text)?;
    let o = v.as_object()?;
    let a = o.get("answers")?.as_object()?;
    let mut values = BTreeMap::new();
    for (q, v) in a.get("values")?.as_object()? {
        values.insert(q.clone(), read_answer(v)?);
    }
    let draft = Draft {
        answers: Answers { values, other_text: json::map(a.get("other_text")?)? },
        page: usize::try_from(o.get("page")?.as_u64()?).ok()?,
        seed: json::optional(o, "seed", Value::as_u64, 0)?,
        lang: json::optional(o, "lang", |l| if l.is_null() { Some(None) } else { json::text(l).map(Some) }, None)?,
    };
    let saved_at = json::optional(o, "saved_at", |t| t.as_u64().map(Some), None)?;
    Some((draft, saved_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    /// The derived shape the hand-written JSON replaced, kept here as the reference it must match.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct DerivedDraft {
        answers: Answers,
        page: usize,
        #[serde(default)]
        seed: u64,
        #[serde(default)]
        lang: Option<String>,
        #[serde(default)]
        saved_at: Option<u64>,
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

    fn derived(d: &Draft, saved_at: Option<u64>) -> DerivedDraft {
        DerivedDraft { answers: d.answers.clone(), page: d.page, seed: d.seed, lang: d.lang.clone(), saved_at }
    }

    #[test]
    fn drafts_are_written_as_the_derive_wrote_them_with_the_time_after() {
        for lang in [None, Some("cy".to_owned())] {
            let draft = Draft { answers: every_answer(), page: 3, seed: u64::MAX, lang };
            let text = write(&draft, 1_700_000_000_123);
            assert_eq!(text, serde_json::to_string(&derived(&draft, Some(1_700_000_000_123))).expect("serialises"));
            assert_eq!(read(&text), Some((draft, Some(1_700_000_000_123))));
        }
    }

    #[test]
    fn reading_accepts_and_refuses_what_the_derive_did() {
        // Older drafts: no seed, no language, no time; unknown fields are ignored.
        let old = r#"{"answers":{"values":{"q":{"t":"rating","v":4}},"other_text":{}},"page":1,"lang":null,"x":1}"#;
        let (got, saved_at) = read(old).expect("an old draft loads");
        let reference: DerivedDraft = serde_json::from_str(old).expect("the derive loads it too");
        assert_eq!(derived(&got, saved_at), reference);
        assert_eq!(saved_at, None);

        // Each of these the derive refused, so a damaged draft is dropped, never half-read.
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
            r#"{"answers":{"values":{},"other_text":{}},"page":0,"saved_at":"yesterday"}"#,
        ] {
            assert!(serde_json::from_str::<DerivedDraft>(bad).is_err(), "{bad}");
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_draft_is_kept_for_a_day_after_its_last_change() {
        let now = 1_800_000_000_000;
        assert!(is_fresh(Some(now), now));
        assert!(is_fresh(Some(now - LIFETIME_MS), now), "exactly a day old");
        assert!(!is_fresh(Some(now - LIFETIME_MS - 1), now), "a day and a moment");
        assert!(!is_fresh(None, now), "a draft of unknown age");
        assert!(!is_fresh(Some(now + 60_000), now), "a draft from the future");
    }
}
