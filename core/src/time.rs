//! Time as the caller gives it: the core never reads a clock.

use core::ops::Add;
use core::time::Duration;

/// A point in time, as the time elapsed since an epoch the caller chooses.
///
/// The core never reads a clock: the caller passes `now` in. Any epoch works (the start of the
/// process, or the Unix epoch if tokens are to be kept across runs), as long as every instant
/// given to one session counts from the same one. Arithmetic saturates instead of overflowing.
///
/// ```
/// use core::time::Duration;
/// use spotify_web_core::time::Instant;
///
/// let now = Instant::from_duration(Duration::from_secs(10));
/// let later = now + Duration::from_secs(5);
/// assert_eq!(later.saturating_duration_since(now), Duration::from_secs(5));
/// assert_eq!(now.saturating_duration_since(later), Duration::ZERO);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(Duration);

impl Instant {
    /// The epoch itself.
    pub const ZERO: Self = Self(Duration::ZERO);

    /// The instant this long after the epoch.
    pub const fn from_duration(since_epoch: Duration) -> Self {
        Self(since_epoch)
    }

    /// The instant this many whole seconds after the epoch.
    pub const fn from_secs(secs: u64) -> Self {
        Self(Duration::from_secs(secs))
    }

    /// The time since the epoch.
    pub const fn as_duration(self) -> Duration {
        self.0
    }

    /// How long after `earlier` this instant is, or zero if it is not after it.
    pub fn saturating_duration_since(self, earlier: Self) -> Duration {
        self.0.saturating_sub(earlier.0)
    }

    /// This instant plus `duration`, saturating at the largest instant.
    pub fn saturating_add(self, duration: Duration) -> Self {
        Self(self.0.saturating_add(duration))
    }
}

impl Add<Duration> for Instant {
    type Output = Self;

    /// Saturating: an instant that far away is as good as never.
    fn add(self, rhs: Duration) -> Self {
        self.saturating_add(rhs)
    }
}

/// A UTC time as Spotify writes it: `2024-12-14T13:23:53Z`, or with a fraction of a second
/// (`2017-05-27T20:07:54.721Z`), such as when an item was saved (`added_at`) or played
/// (`played_at`).
///
/// It reads back exactly what it read (the fraction keeps its digits), orders by time, and
/// converts to and from milliseconds since the Unix epoch, the unit of Spotify's cursors.
///
/// ```
/// use spotify_web_core::time::Timestamp;
///
/// let played: Timestamp = "2017-05-27T20:07:54.721Z".parse()?;
/// assert_eq!(played.unix_millis(), 1_495_915_674_721);
/// assert_eq!(played.to_string(), "2017-05-27T20:07:54.721Z");
/// let saved: Timestamp = "2024-12-14T13:23:53Z".parse()?;
/// assert!(played < saved);
/// assert_eq!(Timestamp::from_unix_millis(1_495_915_674_721).to_string(), "2017-05-27T20:07:54.721Z");
/// # Ok::<(), spotify_web_core::time::TimestampError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    secs: i64,
    /// Nanoseconds within the second.
    nanos: u32,
    /// How many fraction digits the text had (0 to 9), to write it back the same.
    digits: u8,
}

/// Why a text is not a timestamp of the form `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimestampError;

impl core::fmt::Display for TimestampError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("expected a UTC time such as 2024-12-14T13:23:53Z or 2017-05-27T20:07:54.721Z")
    }
}

impl core::error::Error for TimestampError {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    /// By time; equal times with different precision order by the digits written.
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        (self.secs, self.nanos, self.digits).cmp(&(other.secs, other.nanos, other.digits))
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; Howard Hinnant's algorithm).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + (month <= 2) as i64, month, day)
}

impl Timestamp {
    /// The time this many milliseconds after the Unix epoch (written with 3 fraction digits).
    pub const fn from_unix_millis(millis: i64) -> Self {
        Self {
            secs: millis.div_euclid(1000),
            // Below 1,000 ms, so the nanoseconds fit.
            nanos: (millis.rem_euclid(1000) * 1_000_000) as u32,
            digits: 3,
        }
    }

    /// Milliseconds since the Unix epoch (a finer fraction is cut), as Spotify's cursors
    /// count.
    pub const fn unix_millis(&self) -> i64 {
        self.secs
            .saturating_mul(1000)
            .saturating_add((self.nanos / 1_000_000) as i64)
    }

    /// Whole seconds since the Unix epoch.
    pub const fn unix_secs(&self) -> i64 {
        self.secs
    }
}

impl core::str::FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, TimestampError> {
        let bytes = text.as_bytes();
        let number = |range: core::ops::Range<usize>| -> Result<i64, TimestampError> {
            let part = bytes.get(range).ok_or(TimestampError)?;
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return Err(TimestampError);
            }
            Ok(part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
        };
        if bytes.len() < 20
            || bytes[4] != b'-'
            || bytes[7] != b'-'
            || bytes[10] != b'T'
            || bytes[13] != b':'
            || bytes[16] != b':'
            || bytes.last() != Some(&b'Z')
        {
            return Err(TimestampError);
        }
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let month_days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let valid_day = usize::try_from(month - 1)
            .ok()
            .and_then(|m| month_days.get(m))
            .is_some_and(|&days| (1..=days).contains(&day));
        if !valid_day || hour > 23 || minute > 59 || second > 59 {
            return Err(TimestampError);
        }
        let (nanos, digits) = match &bytes[19..bytes.len() - 1] {
            [] => (0, 0),
            [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
                let value = number(20..bytes.len() - 1)?;
                let digits = fraction.len();
                let scale = 10_i64.pow(9 - u32::try_from(digits).map_err(|_| TimestampError)?);
                (
                    u32::try_from(value * scale).map_err(|_| TimestampError)?,
                    u8::try_from(digits).map_err(|_| TimestampError)?,
                )
            }
            _ => return Err(TimestampError),
        };
        let days = days_from_civil(year, month, day);
        Ok(Self {
            secs: days * 86_400 + hour * 3600 + minute * 60 + second,
            nanos,
            digits,
        })
    }
}

impl core::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (days, rest) = (self.secs.div_euclid(86_400), self.secs.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            rest / 3600,
            rest % 3600 / 60,
            rest % 60
        )?;
        if self.digits > 0 {
            let digits = u32::from(self.digits);
            let value = self.nanos / 10_u32.pow(9 - digits);
            write!(f, ".{value:0width$}", width = usize::from(self.digits))?;
        }
        f.write_str("Z")
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod timestamp_tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn reads_back_exactly_what_it_read() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2017-05-27T20:07:54.721Z",
            "2024-12-14T13:23:53Z",
            "2000-02-29T23:59:59.5Z",
            "1969-12-31T23:59:59.999999999Z",
            "2100-03-01T00:00:00.000Z",
        ] {
            let parsed: Timestamp = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!(
            "1970-01-01T00:00:01.5Z"
                .parse::<Timestamp>()
                .unwrap()
                .unix_millis(),
            1500
        );
        assert_eq!(
            "1969-12-31T23:59:59.999Z"
                .parse::<Timestamp>()
                .unwrap()
                .unix_millis(),
            -1
        );
    }

    #[test]
    fn refuses_what_is_not_a_utc_time() {
        for text in [
            "",
            "2024-12-14",
            "2024-12-14T13:23:53",
            "2024-12-14T13:23:53+01:00",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-12-14T24:00:00Z",
            "2024-12-14T13:23:53.Z",
            "2024-12-14T13:23:53.1234567890Z",
            "2024-12-14T13:23:5xZ",
            "+024-12-14T13:23:53Z",
        ] {
            assert!(text.parse::<Timestamp>().is_err(), "{text}");
        }
    }

    #[test]
    fn millis_round_trip_and_order() {
        for millis in [0, 1, 999, 1_495_915_674_721, -1, -86_400_001] {
            assert_eq!(Timestamp::from_unix_millis(millis).unix_millis(), millis);
        }
        let a = Timestamp::from_unix_millis(1000);
        let b = Timestamp::from_unix_millis(1001);
        assert!(a < b);
    }
}
