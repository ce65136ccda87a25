//! Calendar dates (`YYYY-MM-DD`) and RFC 3339 times, read by hand: a date library would cost the
//! widget's Wasm far more than these few checks.
//!
//! A leaf module: the definition, the answers and the payload all read dates, and none of them
//! has to import another to do it.

/// Parses `YYYY-MM-DD` into a real calendar date.
pub(crate) fn parse_iso_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let y = i32::try_from(y).ok()?;
    is_real_date(y, m, d).then_some((y, m, d))
}

pub(crate) fn is_real_date(y: i32, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=9999).contains(&y) && (1..=days).contains(&d)
}

/// A moment written in RFC 3339 with its offset, such as `2026-03-01T09:00:00Z` or
/// `2026-03-01T10:00:00.5+01:00`. Keeps the text as written; two timestamps are compared by the
/// moment they name, whatever their offsets.
///
/// ```
/// use survey_model::Timestamp;
/// let t = Timestamp::parse("1970-01-02T01:00:00+01:00").unwrap();
/// assert_eq!(t.unix_seconds(), 86_400);
/// assert_eq!(t.as_str(), "1970-01-02T01:00:00+01:00");
/// assert!(Timestamp::parse("2026-03-01 09:00").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    text: String,
    seconds: i64,
    nanos: u32,
}

impl Timestamp {
    /// Reads an RFC 3339 date and time: `T` between them, seconds, an optional fraction, and `Z`
    /// or an offset such as `+01:00`. `None` if it is anything else or not a real date.
    pub fn parse(text: &str) -> Option<Timestamp> {
        // ASCII only, so the byte ranges below always fall on character boundaries.
        if !text.is_ascii() {
            return None;
        }
        let (date, time) = text.split_once('T')?;
        let (year, month, day) = parse_iso_date(date)?;
        let (clock, offset_minutes) = match time.strip_suffix('Z') {
            Some(clock) => (clock, 0),
            None => {
                let (clock, zone) = time.split_at(time.len().checked_sub(6)?);
                let sign = match zone.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                if &zone[3..4] != ":" {
                    return None;
                }
                (clock, sign * (two_digits(&zone[1..3], 23)? * 60 + two_digits(&zone[4..], 59)?))
            }
        };
        let (hms, fraction) = match clock.split_once('.') {
            Some((hms, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (hms, f),
            Some(_) => return None,
            None => (clock, ""),
        };
        if hms.len() != 8 || &hms[2..3] != ":" || &hms[5..6] != ":" {
            return None;
        }
        // A leap second (`:60`) counts as the first second of the next minute.
        let (h, m, s) = (two_digits(&hms[..2], 23)?, two_digits(&hms[3..5], 59)?, two_digits(&hms[6..], 60)?);
        let nanos = fraction.bytes().chain(std::iter::repeat(b'0')).take(9).fold(0, |n, b| n * 10 + u32::from(b - b'0'));
        let seconds = days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s - offset_minutes * 60;
        Some(Timestamp { text: text.to_owned(), seconds, nanos })
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it), rounded down.
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds past [`Timestamp::unix_seconds`] (a fraction finer than that is dropped).
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Whether this names a later moment than `other`.
    pub fn is_after(&self, other: &Timestamp) -> bool {
        (self.seconds, self.nanos) > (other.seconds, other.nanos)
    }

    /// Whether this names a later moment than `seconds` whole seconds since 1970 UTC (a clock
    /// reading, as [`crate::Survey::availability`] takes it).
    pub fn is_after_unix(&self, seconds: i64) -> bool {
        (self.seconds, self.nanos) > (seconds, 0)
    }
}

/// Exactly two ASCII digits making at most `max`.
fn two_digits(s: &str, max: i64) -> Option<i64> {
    if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n| *n <= max)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_must_be_real() {
        assert_eq!(parse_iso_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_iso_date("2023-02-29"), None);
        assert_eq!(parse_iso_date("2023-13-01"), None);
        assert_eq!(parse_iso_date("2023-1-01"), None);
        assert_eq!(parse_iso_date("+023-01-01"), None);
    }

    #[test]
    fn days_are_counted_from_1970() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
    }

    #[test]
    fn rfc_3339_times_are_read_with_their_offset_and_fraction() {
        let t = |s: &str| Timestamp::parse(s).map(|t| (t.unix_seconds(), t.subsec_nanos()));
        assert_eq!(t("2026-11-22T10:00:00Z"), Some((1_795_341_600, 0)));
        assert_eq!(t("2026-11-22T11:30:00+01:30"), Some((1_795_341_600, 0)));
        assert_eq!(t("2026-11-22T05:00:00-05:00"), Some((1_795_341_600, 0)));
        assert_eq!(t("2026-11-22T10:00:00.123Z"), Some((1_795_341_600, 123_000_000)));
        assert_eq!(t("2026-11-22T10:00:00.1234567891Z"), Some((1_795_341_600, 123_456_789)));
        assert_eq!(t("2016-12-31T23:59:60Z"), t("2017-01-01T00:00:00Z"));
        assert_eq!(t("1969-12-31T23:59:59.5Z"), Some((-1, 500_000_000)));
    }

    #[test]
    fn anything_but_rfc_3339_is_refused() {
        for bad in [
            "", "2026-11-22", "2026-11-22T10:00:00", "2026-11-22 10:00:00Z", "2026-11-22t10:00:00z",
            "2026-11-22T10:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:60:00Z", "2026-11-22T10:00:61Z",
            "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00.1a", "2026-11-22T10:00:00+0100", "2026-11-22T10:00:00+24:00",
            "2026-11-22T10:00:00+01:60", "2026-02-30T10:00:00Z", "2026-11-22T1:00:00Z", "2026-11-22T10:00:00*01:00",
            "2026-11-22T+1:00:00Z", "2026-11-22T10:00:00+é:00", "T10:00:00Z", "2026-11-22T10:00:00+01:00Z",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn order_is_by_moment_not_by_text() {
        let (a, b) = (Timestamp::parse("2026-01-01T09:30:00+01:00").unwrap(), Timestamp::parse("2026-01-01T09:00:00Z").unwrap());
        assert!(b.is_after(&a) && !a.is_after(&b));
        assert!(!a.is_after(&a.clone()));
    }
}
