//! When a survey takes answers: before `opens_at` it is not open yet, from `closes_at` on it is
//! closed. One rule, two consumers: the widget shows a notice with the dates instead of the form,
//! and the collector refuses what arrives outside the window.
//!
//! The clock is always passed in (seconds since 1970 UTC), so the rule is tested without one and
//! the browser and the server each bring their own.

use crate::dates::Timestamp;
use crate::definition::Survey;

/// How long after the close an answer written before it is still accepted: a widget that was
/// offline, or a server that was down, delivers queued answers late, and those must not be lost.
pub const LATE_DELIVERY_SECONDS: i64 = 7 * 86_400;

/// Whether a survey takes answers at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability<'a> {
    /// `opens_at` is still to come.
    NotYetOpen { opens: &'a Timestamp },
    /// Answers are taken.
    Open,
    /// `closes_at` has passed.
    Closed { closed: &'a Timestamp },
}

impl Survey {
    /// Whether the survey takes answers at `now` (seconds since 1970-01-01T00:00:00Z). It opens
    /// at the very moment `opens_at` names and closes at the very moment `closes_at` names.
    ///
    /// ```
    /// use survey_model::{Availability, Survey};
    /// let survey = Survey::parse(r#"{"format": 1, "id": "s", "version": 1, "title": "S",
    ///     "opens_at": "2026-03-01T09:00:00Z", "closes_at": "2026-03-31T17:00:00+01:00",
    ///     "pages": [{"id": "p", "questions": [{"id": "q", "type": "text", "title": "Why?"}]}]}"#).unwrap();
    /// let march_15 = 1_773_532_800;
    /// assert_eq!(survey.availability(march_15), Availability::Open);
    /// assert!(matches!(survey.availability(0), Availability::NotYetOpen { .. }));
    /// ```
    pub fn availability(&self, now: i64) -> Availability<'_> {
        if let Some(opens) = &self.opens_at {
            if opens.is_after_unix(now) {
                return Availability::NotYetOpen { opens };
            }
        }
        match &self.closes_at {
            Some(closed) if !closed.is_after_unix(now) => Availability::Closed { closed },
            _ => Availability::Open,
        }
    }

    /// Whether a response written at `submitted_at` (the device's clock) and arriving at `now`
    /// is taken: [`Availability::Open`] if it is. It is if the survey is open now, and also for
    /// [`LATE_DELIVERY_SECONDS`] after the close if it was written before the close, so answers
    /// queued while the survey was open are never lost.
    pub fn takes_submission(&self, submitted_at: &Timestamp, now: i64) -> Availability<'_> {
        match self.availability(now) {
            Availability::Closed { closed }
                if closed.is_after(submitted_at) && now < closed.unix_seconds().saturating_add(LATE_DELIVERY_SECONDS) =>
            {
                Availability::Open
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn survey(opens: Option<&str>, closes: Option<&str>) -> Survey {
        let mut text = String::from(r#"{"format": 1, "id": "s", "version": 1, "title": "S", "#);
        for (key, value) in [("opens_at", opens), ("closes_at", closes)] {
            if let Some(value) = value {
                text.push_str(&format!("\"{key}\": \"{value}\", "));
            }
        }
        text.push_str(r#""pages": [{"id": "p", "questions": [{"id": "q", "type": "text", "title": "Why?"}]}]}"#);
        Survey::parse(&text).expect("a valid test survey")
    }

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).expect("a valid test time")
    }

    #[test]
    fn without_dates_a_survey_is_always_open() {
        let s = survey(None, None);
        for now in [i64::MIN, -1, 0, 1_800_000_000, i64::MAX] {
            assert_eq!(s.availability(now), Availability::Open);
        }
    }

    #[test]
    fn it_opens_and_closes_at_the_exact_moments() {
        let s = survey(Some("2026-03-01T09:00:00Z"), Some("2026-03-31T17:00:00+01:00"));
        let (opens, closes) = (at("2026-03-01T09:00:00Z").unix_seconds(), at("2026-03-31T16:00:00Z").unix_seconds());
        assert_eq!(s.availability(opens - 1), Availability::NotYetOpen { opens: s.opens_at.as_ref().unwrap() });
        assert_eq!(s.availability(opens), Availability::Open);
        assert_eq!(s.availability(closes - 1), Availability::Open);
        assert_eq!(s.availability(closes), Availability::Closed { closed: s.closes_at.as_ref().unwrap() });
        assert_eq!(s.availability(closes + 400 * DAY), Availability::Closed { closed: s.closes_at.as_ref().unwrap() });
    }

    #[test]
    fn a_fraction_of_a_second_counts() {
        let s = survey(Some("2026-03-01T09:00:00.5Z"), None);
        let opens = at("2026-03-01T09:00:00Z").unix_seconds();
        assert!(matches!(s.availability(opens), Availability::NotYetOpen { .. }));
        assert_eq!(s.availability(opens + 1), Availability::Open);
    }

    #[test]
    fn only_one_end_may_be_set() {
        let opens_only = survey(Some("2026-03-01T09:00:00Z"), None);
        assert_eq!(opens_only.availability(i64::MAX), Availability::Open);
        let closes_only = survey(None, Some("2026-03-01T09:00:00Z"));
        assert_eq!(closes_only.availability(i64::MIN), Availability::Open);
        assert!(matches!(closes_only.availability(i64::MAX), Availability::Closed { .. }));
    }

    #[test]
    fn answers_written_before_the_close_are_taken_for_seven_days() {
        let s = survey(None, Some("2026-03-31T16:00:00Z"));
        let closes = at("2026-03-31T16:00:00Z").unix_seconds();
        let before = at("2026-03-31T15:59:59Z");
        assert_eq!(s.takes_submission(&before, closes - 10), Availability::Open);
        assert_eq!(s.takes_submission(&before, closes), Availability::Open);
        assert_eq!(s.takes_submission(&before, closes + 7 * DAY - 1), Availability::Open);
        assert!(matches!(s.takes_submission(&before, closes + 7 * DAY), Availability::Closed { .. }));
    }

    #[test]
    fn answers_written_at_or_after_the_close_are_refused() {
        let s = survey(None, Some("2026-03-31T16:00:00Z"));
        let closes = at("2026-03-31T16:00:00Z").unix_seconds();
        for written in ["2026-03-31T16:00:00Z", "2026-03-31T17:00:00+01:00", "2026-04-01T00:00:00Z"] {
            assert!(matches!(s.takes_submission(&at(written), closes + 60), Availability::Closed { .. }), "{written}");
        }
    }

    #[test]
    fn before_the_opening_nothing_is_taken_whatever_the_device_says() {
        let s = survey(Some("2026-03-01T09:00:00Z"), Some("2026-03-31T16:00:00Z"));
        let opens = at("2026-03-01T09:00:00Z").unix_seconds();
        let claimed = at("2026-03-10T09:00:00Z");
        assert!(matches!(s.takes_submission(&claimed, opens - 1), Availability::NotYetOpen { .. }));
        assert_eq!(s.takes_submission(&claimed, opens), Availability::Open);
    }
}
