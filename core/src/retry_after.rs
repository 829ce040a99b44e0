//! Reading `Retry-After` (RFC 9110 §10.2.3): delay seconds, or an HTTP-date.
//!
//! Spotify sends whole seconds, but a proxy or a future answer may send a fraction or a date.
//! A date is measured against the answer's own `Date` header, so the core needs no clock.

use alloc::string::String;
use core::time::Duration;

use crate::message::Response;

/// What a response's `Retry-After` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RetryAfter {
    /// No header, or one that cannot be read (negative, not a number, not a date): the
    /// configured default applies.
    Unusable,
    /// Wait this long (fractions of a second rounded up; a date already measured against the
    /// answer's `Date`).
    After(Duration),
    /// A number too large to hold: the server asks for longer than any wait worth making.
    Overflow,
    /// A date, with no `Date` header to measure it against.
    Date(String),
}

/// Reads the `Retry-After` of a response.
pub(crate) fn read(response: &Response<'_>) -> RetryAfter {
    let Some(value) = response
        .header("retry-after")
        .and_then(|v| core::str::from_utf8(v).ok())
    else {
        return RetryAfter::Unusable;
    };
    let value = value.trim();
    if let Some(seconds) = delay_seconds(value) {
        return seconds;
    }
    let Some(at) = http_date(value) else {
        return RetryAfter::Unusable;
    };
    let date = response
        .header("date")
        .and_then(|v| core::str::from_utf8(v).ok())
        .and_then(|v| http_date(v.trim()));
    match date {
        Some(date) => RetryAfter::After(Duration::from_secs(at.saturating_sub(date))),
        None => RetryAfter::Date(value.into()),
    }
}

/// `1*DIGIT`, with an optional fraction (rounded up); a leading `-` is unusable.
fn delay_seconds(value: &str) -> Option<RetryAfter> {
    let (whole, fraction) = match value.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (value, None),
    };
    let unsigned = whole.strip_prefix(['-', '+']).unwrap_or(whole);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(unsigned) || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    if whole.starts_with('-') {
        return Some(RetryAfter::Unusable);
    }
    let Ok(seconds) = unsigned.parse::<u64>() else {
        return Some(RetryAfter::Overflow);
    };
    let round_up = fraction.is_some_and(|f| f.bytes().any(|b| b != b'0'));
    Some(match seconds.checked_add(u64::from(round_up)) {
        Some(seconds) => RetryAfter::After(Duration::from_secs(seconds)),
        None => RetryAfter::Overflow,
    })
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An HTTP-date in any of its three forms, as seconds since the Unix epoch:
/// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 850)
/// and `Sun Nov  6 08:49:37 1994` (asctime).
pub(crate) fn http_date(value: &str) -> Option<u64> {
    let words: alloc::vec::Vec<&str> = value.split_ascii_whitespace().collect();
    let (day, month, year, time) = match words.as_slice() {
        [_weekday, day, month, year, time, "GMT"] if value.contains(',') => {
            (*day, *month, year.parse::<u64>().ok()?, *time)
        }
        [_weekday, date, time, "GMT"] => {
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            let year = year.parse::<u64>().ok().filter(|year| *year < 100)?;
            // RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            let year = if year < 70 { 2000 + year } else { 1900 + year };
            (day, month, year, *time)
        }
        [_weekday, month, day, time, year] => (*day, *month, year.parse::<u64>().ok()?, *time),
        _ => return None,
    };
    // Four-digit years, as HTTP-dates have: a larger one is no date (and would overflow).
    if !(1970..=9999).contains(&year) {
        return None;
    }
    let day: u64 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let mut clock = time.split(':').map(|part| part.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || hour > 23 || minute > 59 || second > 60 || year < 1970 {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`), for years from 1970.
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let year = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era).checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_with(headers: &[(&str, &str)]) -> RetryAfter {
        let mut response = Response::new(429, b"");
        for (name, value) in headers {
            response = response.with_header(name, value.as_bytes());
        }
        read(&response)
    }

    fn after(seconds: u64) -> RetryAfter {
        RetryAfter::After(Duration::from_secs(seconds))
    }

    #[test]
    fn reads_seconds_fractions_and_refuses_the_rest() {
        assert_eq!(read_with(&[]), RetryAfter::Unusable);
        assert_eq!(read_with(&[("retry-after", "2")]), after(2));
        assert_eq!(read_with(&[("retry-after", " 20000 ")]), after(20000));
        assert_eq!(read_with(&[("retry-after", "2.5")]), after(3));
        assert_eq!(read_with(&[("retry-after", "2.0")]), after(2));
        assert_eq!(read_with(&[("retry-after", "0.001")]), after(1));
        assert_eq!(read_with(&[("retry-after", "-1")]), RetryAfter::Unusable);
        assert_eq!(read_with(&[("retry-after", "-2.5")]), RetryAfter::Unusable);
        assert_eq!(read_with(&[("retry-after", "soon")]), RetryAfter::Unusable);
        assert_eq!(read_with(&[("retry-after", "2.")]), RetryAfter::Unusable);
        assert_eq!(
            read_with(&[("retry-after", "99999999999999999999999")]),
            RetryAfter::Overflow
        );
        assert_eq!(
            read_with(&[("retry-after", "18446744073709551615.5")]),
            RetryAfter::Overflow
        );
    }

    #[test]
    fn reads_dates_against_the_answers_own_date() {
        let date = ("date", "Sun, 06 Nov 1994 08:49:37 GMT");
        for form in [
            "Sun, 06 Nov 1994 08:50:07 GMT",
            "Sunday, 06-Nov-94 08:50:07 GMT",
            "Sun Nov  6 08:50:07 1994",
        ] {
            assert_eq!(
                read_with(&[("retry-after", form), date]),
                after(30),
                "{form}"
            );
        }
        // A date in the past means no wait; without a Date header, the date is kept.
        assert_eq!(
            read_with(&[("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT"), date]),
            after(0)
        );
        assert_eq!(
            read_with(&[("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")]),
            RetryAfter::Date("Sun, 06 Nov 1994 08:50:07 GMT".into())
        );
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Sat, 29 Feb 2020 12:00:00 GMT"),
            Some(1_582_977_600)
        );
        assert_eq!(http_date("Sun, 06 Nov 1994 25:00:00 GMT"), None);
        assert_eq!(http_date("Sun, 06 Foo 1994 08:49:37 GMT"), None);
        // Found by the retry_after fuzz target: years that overflow the arithmetic.
        assert_eq!(
            http_date("Sunday, 06-Nov-99999999999961 08:49:37 GMT"),
            None
        );
        assert_eq!(
            http_date("Sun, 06 Nov 99999999999999999 08:49:37 GMT"),
            None
        );
        assert_eq!(http_date("Sun Nov  6 08:49:37 18446744073709551615"), None);
        assert_eq!(
            http_date("Fri, 31 Dec 9999 23:59:59 GMT"),
            Some(253_402_300_799)
        );
    }
}
