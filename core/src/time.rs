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
