//! Dates and times in words, the GOV.UK way: "5pm on 31 March 2026", "9:30am", "midday",
//! "midnight". A time is shown at the offset its author wrote it with, so a survey that closes at
//! `2026-03-31T17:00:00+01:00` closes "at 5pm", as its author meant, wherever the server runs.
//!
//! Also the clock: pages and the closing rule read it through [`now`], once per request.

use survey_model::Timestamp;
use time::{OffsetDateTime, UtcOffset};

const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// Seconds since 1970-01-01T00:00:00Z now, as [`survey_model::Survey::availability`] takes it.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// `t` as "5pm on 31 March 2026", at the offset it was written with.
///
/// ```
/// use survey_model::Timestamp;
/// use survey_collector::public::when::in_words;
/// let t = Timestamp::parse("2026-03-31T17:00:00+01:00").unwrap();
/// assert_eq!(in_words(&t), "5pm on 31 March 2026");
/// ```
pub fn in_words(t: &Timestamp) -> String {
    let local = local(t);
    format!("{} on {}", clock(local.hour(), local.minute()), date(local))
}

/// `t` as "31 March 2026", at the offset it was written with.
pub fn date_in_words(t: &Timestamp) -> String {
    date(local(t))
}

/// The moment as it reads where it was written. A timestamp the model parsed is always in range
/// and has a valid offset; should either ever fail, UTC is still the right moment.
fn local(t: &Timestamp) -> OffsetDateTime {
    let utc = OffsetDateTime::from_unix_timestamp(t.unix_seconds()).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    match offset_of(t.as_str()).and_then(|s| UtcOffset::from_whole_seconds(s).ok()) {
        Some(offset) => utc.to_offset(offset),
        None => utc,
    }
}

/// The offset at the end of an RFC 3339 time, in seconds: `Z` is 0, `+01:00` is 3600.
fn offset_of(text: &str) -> Option<i32> {
    if text.ends_with(['Z', 'z']) {
        return Some(0);
    }
    let zone = text.get(text.len().checked_sub(6)?..)?;
    let sign = match zone.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i32 = zone.get(1..3)?.parse().ok()?;
    let minutes: i32 = zone.get(4..6)?.parse().ok()?;
    Some(sign * (hours * 3600 + minutes * 60))
}

fn date(t: OffsetDateTime) -> String {
    let month = MONTHS[usize::from(u8::from(t.month())) - 1];
    format!("{} {month} {}", t.day(), t.year())
}

/// "9am", "9:30am", "midday", "midnight" (GOV.UK style: no "12pm", no leading zeros).
fn clock(hour: u8, minute: u8) -> String {
    match (hour, minute) {
        (0, 0) => "midnight".to_owned(),
        (12, 0) => "midday".to_owned(),
        _ => {
            let (h, half) = match hour {
                0 => (12, "am"),
                1..=11 => (hour, "am"),
                12 => (12, "pm"),
                _ => (hour - 12, "pm"),
            };
            if minute == 0 {
                format!("{h}{half}")
            } else {
                format!("{h}:{minute:02}{half}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> String {
        in_words(&Timestamp::parse(text).expect("a valid test time"))
    }

    #[test]
    fn times_read_as_their_author_wrote_them() {
        assert_eq!(words("2026-03-31T17:00:00+01:00"), "5pm on 31 March 2026");
        assert_eq!(words("2026-03-31T16:00:00Z"), "4pm on 31 March 2026");
        assert_eq!(words("2026-01-01T09:30:00-05:00"), "9:30am on 1 January 2026");
        assert_eq!(words("2026-12-31T23:59:59Z"), "11:59pm on 31 December 2026");
    }

    #[test]
    fn midday_and_midnight_are_words() {
        assert_eq!(words("2026-06-01T12:00:00Z"), "midday on 1 June 2026");
        assert_eq!(words("2026-06-01T00:00:00Z"), "midnight on 1 June 2026");
        assert_eq!(words("2026-06-01T00:05:00Z"), "12:05am on 1 June 2026");
        assert_eq!(words("2026-06-01T12:45:00Z"), "12:45pm on 1 June 2026");
    }

    #[test]
    fn the_date_alone() {
        let t = Timestamp::parse("2026-03-01T00:30:00+01:00").expect("valid");
        assert_eq!(date_in_words(&t), "1 March 2026");
    }

    #[test]
    fn offsets_are_read_from_the_text() {
        assert_eq!(offset_of("2026-03-01T00:30:00Z"), Some(0));
        assert_eq!(offset_of("2026-03-01T00:30:00+05:30"), Some(19_800));
        assert_eq!(offset_of("2026-03-01T00:30:00-01:00"), Some(-3600));
        assert_eq!(offset_of("x"), None);
    }
}
