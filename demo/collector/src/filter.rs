//! Which responses the results page, the free-text pages and the exports cover: a channel and a
//! range of UTC days, given as query parameters (`?channel=newsletter&from=2026-11-01&to=2026-11-30`).
//!
//! They are parsed once, here, into a [`ResultsFilter`]; the store applies it in its query, so
//! rows outside it are never read. Days are the days responses *arrived* (`received_at`, UTC),
//! both ends included: that is the time the server vouches for, and an anonymous response keeps
//! no finer one.

use std::fmt::Write as _;
use survey_model::Channel;
use time::{Date, Month};

/// A filter that has been checked: every field is usable as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultsFilter {
    /// Only responses sent through this channel (the payload's top-level `channel`).
    pub channel: Option<String>,
    /// Only responses that arrived on or after this UTC day.
    pub from: Option<Date>,
    /// Only responses that arrived on or before this UTC day.
    pub to: Option<Date>,
}

/// One thing wrong with a filter's query, tied to the form field it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterProblem {
    /// The query parameter and form field: `channel`, `from` or `to`.
    pub field: &'static str,
    /// A sentence to show beside the field.
    pub message: String,
}

/// The filter's query parameters exactly as they came, for showing them again in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterInput {
    pub channel: String,
    pub from: String,
    pub to: String,
}

impl FilterInput {
    /// Picks the filter's parameters out of a query's pairs; the last of a repeated one wins,
    /// and parameters that are not the filter's are left to their owners.
    pub fn from_pairs(pairs: &[(String, String)]) -> FilterInput {
        let last = |name: &str| {
            pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default()
        };
        FilterInput { channel: last("channel"), from: last("from"), to: last("to") }
    }

    /// Checks every field, and gives either the filter or every problem found.
    pub fn parse(&self) -> Result<ResultsFilter, Vec<FilterProblem>> {
        let mut problems = Vec::new();
        // Read as a payload's channel is, so `Facebook` finds what was stored as `facebook`.
        let channel = match self.channel.as_str() {
            "" => None,
            raw => match Channel::parse(raw) {
                Ok(channel) => Some(channel.as_str().to_owned()),
                Err(why) => {
                    problems.push(FilterProblem { field: "channel", message: format!("The channel {why}") });
                    None
                }
            },
        };
        let mut day = |field: &'static str, which: &str, text: &str| -> Option<Date> {
            if text.is_empty() {
                return None;
            }
            let parsed = parse_day(text);
            if parsed.is_none() {
                problems.push(FilterProblem {
                    field,
                    message: format!("The {which} date must be a real date written as year-month-day, for example 2026-11-22"),
                });
            }
            parsed
        };
        let from = day("from", "start", &self.from);
        let to = day("to", "end", &self.to);
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                problems.push(FilterProblem {
                    field: "to",
                    message: "The end date must be the same as or after the start date".into(),
                });
            }
        }
        if problems.is_empty() {
            Ok(ResultsFilter { channel, from, to })
        } else {
            Err(problems)
        }
    }
}

impl ResultsFilter {
    /// Whether the filter lets every response through.
    pub fn is_empty(&self) -> bool {
        self == &ResultsFilter::default()
    }

    /// The filter as the store compares it with `received_at` (fixed-shape RFC 3339 text, so
    /// text order is time order): from the first instant of `from`, up to but not including the
    /// first instant of the day after `to`.
    pub fn received_range(&self) -> (Option<String>, Option<String>) {
        let start = self.from.map(midnight);
        // The last day there is has no day after it, and needs no upper bound.
        let end = self.to.and_then(Date::next_day).map(midnight);
        (start, end)
    }

    /// The first and last day as `YYYY-MM-DD`, as the reach counters keep their days.
    pub fn day_range(&self) -> (Option<String>, Option<String>) {
        (self.from.map(day_text), self.to.map(day_text))
    }

    /// The filter as query parameters (`channel=…&from=…&to=…`, empty ones left out), for links
    /// that keep it: the exports, the free-text pages, the pages of answers.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(channel) = &self.channel {
            parts.push(format!("channel={}", encode_component(channel)));
        }
        if let Some(from) = self.from {
            parts.push(format!("from={}", day_text(from)));
        }
        if let Some(to) = self.to {
            parts.push(format!("to={}", day_text(to)));
        }
        parts.join("&")
    }

    /// `path` with the filter's query, if it has one.
    pub fn link(&self, path: &str) -> String {
        let query = self.query();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    }

    /// The filter in words, for the page: "through newsletter, from 1 November 2026".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(channel) = &self.channel {
            parts.push(format!("through the channel “{channel}”"));
        }
        match (self.from, self.to) {
            (Some(from), Some(to)) if from == to => parts.push(format!("on {} (UTC)", day_text(from))),
            (Some(from), Some(to)) => parts.push(format!("from {} to {} (UTC, both included)", day_text(from), day_text(to))),
            (Some(from), None) => parts.push(format!("on or after {} (UTC)", day_text(from))),
            (None, Some(to)) => parts.push(format!("on or before {} (UTC)", day_text(to))),
            (None, None) => {}
        }
        parts.join(", ")
    }
}

/// A day as `YYYY-MM-DD`, the shape of the query and of `<input type="date">`.
pub fn day_text(day: Date) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day())
}

/// `YYYY-MM-DD`, a real day in years 1000 to 9999, or `None`.
fn parse_day(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return None;
    }
    let year: i32 = text[0..4].parse().ok()?;
    let month: u8 = text[5..7].parse().ok()?;
    let day: u8 = text[8..10].parse().ok()?;
    if year < 1000 {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// The first instant of `day` in the shape the store keeps `received_at` in.
fn midnight(day: Date) -> String {
    format!("{}T00:00:00.000Z", day_text(day))
}

/// Percent-encodes a query parameter's value: everything but RFC 3986's unreserved characters.
///
/// ```
/// assert_eq!(survey_collector::filter::encode_component("a b&c/é"), "a%20b%26c%2F%C3%A9");
/// ```
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(channel: &str, from: &str, to: &str) -> FilterInput {
        FilterInput { channel: channel.into(), from: from.into(), to: to.into() }
    }

    #[test]
    fn empty_fields_filter_nothing() {
        let filter = input("", "", "").parse().expect("valid");
        assert!(filter.is_empty());
        assert_eq!(filter.query(), "");
        assert_eq!(filter.received_range(), (None, None));
    }

    #[test]
    fn days_are_inclusive_utc_bounds() {
        let filter = input(" News.Letter ", "2026-11-01", "2026-11-30").parse().expect("valid");
        assert_eq!(
            filter.received_range(),
            (Some("2026-11-01T00:00:00.000Z".into()), Some("2026-12-01T00:00:00.000Z".into()))
        );
        assert_eq!(filter.query(), "channel=news.letter&from=2026-11-01&to=2026-11-30");
        assert_eq!(filter.link("/x"), "/x?channel=news.letter&from=2026-11-01&to=2026-11-30");
    }

    #[test]
    fn bad_dates_are_named_by_their_field() {
        let problems = input("", "2026-02-30", "yesterday").parse().expect_err("invalid");
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["from", "to"]);
        assert!(problems[0].message.starts_with("The start date must be a real date"), "{problems:?}");
        let reversed = input("", "2026-11-30", "2026-11-01").parse().expect_err("reversed");
        assert_eq!(reversed[0].message, "The end date must be the same as or after the start date");
        assert!(input("", "2026-1-01", "").parse().is_err());
        assert!(input("", "+2026-01-01", "").parse().is_err());
        let channel = input("my page?", "", "").parse().expect_err("not a channel");
        assert_eq!((channel[0].field, channel[0].message.as_str()), ("channel", "The channel must use only letters, digits, \"-\", \"_\" and \".\""));
    }

    #[test]
    fn the_last_repeated_parameter_wins() {
        let pairs = vec![("from".to_owned(), "2026-01-01".to_owned()), ("from".to_owned(), " 2026-01-02 ".to_owned())];
        assert_eq!(FilterInput::from_pairs(&pairs).from, "2026-01-02");
    }
}
