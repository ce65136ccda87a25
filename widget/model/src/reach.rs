//! Reach events: the aggregate counts a team reads to see how many people saw a survey,
//! started it and got how far, per channel (docs/submission.md, "Reach events").
//!
//! An event says only which survey (and version), which channel, and what happened: it was
//! viewed, the first answer was given, or a page was reached. It carries no id, no time, no
//! address and no page URL, so the collector can keep counters and nothing else: two events
//! from one person are indistinguishable from events from two. Completions are not an event;
//! the collector counts them from the responses it stores, which also covers answers that
//! were queued offline and delivered later.

use crate::channel::Channel;
use crate::definition::Survey;
use crate::error::{Error, Problem, Result};
use crate::payload::SurveyRef;
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReachKind {
    /// The survey was on screen (in the viewport), once per page load.
    Viewed,
    /// The first answer was given, once per respondent's draft.
    Started,
    /// A page of the survey was shown (`page` names it), once per page per draft.
    Page,
}

impl ReachKind {
    /// The name used in the JSON and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            ReachKind::Viewed => "viewed",
            ReachKind::Started => "started",
            ReachKind::Page => "page",
        }
    }
}

/// One reach event, exactly as the widget posts it to `/api/events`.
///
/// ```
/// let e = survey_model::ReachEvent::parse(br#"{"survey": {"id": "s", "version": 2},
///     "channel": "newsletter", "kind": "page", "page": "about-you"}"#).unwrap();
/// assert_eq!(e.page.as_deref(), Some("about-you"));
/// assert!(survey_model::ReachEvent::parse(br#"{"survey": {"id": "s", "version": 2},
///     "kind": "viewed", "page_url": "https://example.org/"}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReachEvent {
    pub survey: SurveyRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    pub kind: ReachKind,
    /// The page's id, for [`ReachKind::Page`] only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

impl ReachEvent {
    /// Parses a posted event. Unknown keys are refused, not ignored: an event is a fixed,
    /// small shape, and refusing extras means nothing identifying can ride along unnoticed.
    pub fn parse(body: &[u8]) -> Result<ReachEvent> {
        let event: ReachEvent = serde_json::from_slice(body)
            .map_err(|e| Error::Payload(vec![Problem::new("", format!("is not a valid reach event: {e}"))]))?;
        match (event.kind, &event.page) {
            (ReachKind::Page, None) => Err(Error::Payload(vec![Problem::new("page", "is needed for a \"page\" event")])),
            (ReachKind::Viewed | ReachKind::Started, Some(_)) => {
                Err(Error::Payload(vec![Problem::new("page", "is only for a \"page\" event")]))
            }
            _ => Ok(event),
        }
    }

    /// Checks the event against the survey version it names: the same id and version, and a
    /// page that exists in it.
    pub fn check(&self, survey: &Survey) -> Result<()> {
        let mut problems = Vec::new();
        if self.survey.id != survey.id || self.survey.version != survey.version {
            problems.push(Problem::new("survey", format!("must be \"{}\" version {}", survey.id, survey.version)));
        }
        if let Some(page) = &self.page {
            if !survey.pages.iter().any(|p| &p.id == page) {
                problems.push(Problem::new("page", "is not a page of this survey"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Payload(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey() -> Survey {
        Survey::parse(
            r#"{"format": 1, "id": "s", "version": 2, "title": "S", "pages": [
                {"id": "one", "questions": [{"id": "a", "type": "text", "title": "A"}]},
                {"id": "two", "questions": [{"id": "b", "type": "text", "title": "B"}]}]}"#,
        )
        .expect("a valid survey")
    }

    #[test]
    fn events_round_trip_in_their_small_shape() {
        let e = ReachEvent {
            survey: SurveyRef { id: "s".into(), version: 2 },
            channel: Some(Channel::parse("website").expect("plain")),
            kind: ReachKind::Viewed,
            page: None,
        };
        let json = serde_json::to_string(&e).expect("serialises");
        assert_eq!(json, r#"{"survey":{"id":"s","version":2},"channel":"website","kind":"viewed"}"#);
        assert_eq!(ReachEvent::parse(json.as_bytes()).expect("parses"), e);
    }

    #[test]
    fn anything_beyond_the_shape_is_refused() {
        for body in [
            r#"{"survey":{"id":"s","version":2},"kind":"viewed","id":"abc"}"#,
            r#"{"survey":{"id":"s","version":2},"kind":"viewed","at":"2026-12-06T10:11:12Z"}"#,
            r#"{"survey":{"id":"s","version":2},"kind":"completed"}"#,
            r#"{"survey":{"id":"s","version":2},"kind":"page"}"#,
            r#"{"survey":{"id":"s","version":2},"kind":"started","page":"one"}"#,
            r#"{"survey":{"id":"s","version":2},"channel":"Face Book","kind":"viewed"}"#,
            r#"[]"#,
        ] {
            assert!(ReachEvent::parse(body.as_bytes()).is_err(), "{body}");
        }
    }

    #[test]
    fn an_event_must_name_the_version_and_a_real_page() {
        let ok = ReachEvent::parse(br#"{"survey":{"id":"s","version":2},"kind":"page","page":"two"}"#).expect("parses");
        assert!(ok.check(&survey()).is_ok());
        let old = ReachEvent::parse(br#"{"survey":{"id":"s","version":1},"kind":"viewed"}"#).expect("parses");
        assert!(old.check(&survey()).is_err());
        let nowhere = ReachEvent::parse(br#"{"survey":{"id":"s","version":2},"kind":"page","page":"three"}"#).expect("parses");
        assert!(nowhere.check(&survey()).is_err());
    }
}
