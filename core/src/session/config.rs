//! How a session retries and when it renews its token.

use core::time::Duration;

use crate::url::BaseUrl;
#[cfg(doc)]
use {super::Session, crate::error::Error};

/// How a [`Session`] retries and when it renews its token.
///
/// ```
/// use core::time::Duration;
/// use spotify_web_core::session::Config;
///
/// let config = Config::default()
///     .with_max_retries(5)
///     .with_max_retry_after(Duration::from_secs(10));
/// assert_eq!(config.max_retries(), 5);
/// assert_eq!(config.accounts_url().as_str(), "https://accounts.spotify.com");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub(super) accounts: BaseUrl,
    pub(super) api: BaseUrl,
    pub(super) token_margin: Duration,
    pub(super) token_wait: Duration,
    pub(super) max_retries: u32,
    pub(super) backoff_base: Duration,
    pub(super) backoff_cap: Duration,
    pub(super) default_retry_after: Duration,
    pub(super) max_retry_after: Duration,
    pub(super) max_body_size: usize,
    pub(super) pacing: Option<(u32, Duration)>,
}

impl Default for Config {
    /// Spotify's URLs; renew tokens 60 s before they expire; trust another call's token
    /// request for 90 s; 3 retries per call; backoff from 500 ms doubling up to 8 s; a 429 without `Retry-After` waits 1 s; a 429 asking for more
    /// than 60 s ends the call.
    fn default() -> Self {
        Self {
            accounts: BaseUrl::spotify_accounts(),
            api: BaseUrl::spotify_api(),
            token_margin: Duration::from_secs(60),
            token_wait: Duration::from_secs(90),
            max_retries: 3,
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(8),
            default_retry_after: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(60),
            max_body_size: 8 * 1024 * 1024,
            pacing: None,
        }
    }
}

impl Config {
    /// Where the accounts service is (default `https://accounts.spotify.com`).
    #[must_use]
    pub fn with_accounts_url(mut self, url: BaseUrl) -> Self {
        self.accounts = url;
        self
    }

    /// Where the Web API is (default `https://api.spotify.com/v1`).
    #[must_use]
    pub fn with_api_url(mut self, url: BaseUrl) -> Self {
        self.api = url;
        self
    }

    /// Renew a token when it expires within this margin (default 60 s).
    #[must_use]
    pub fn with_token_margin(mut self, margin: Duration) -> Self {
        self.token_margin = margin;
        self
    }

    /// How long a call trusts another call's token request before sending its own (default
    /// 90 s). It bounds two things: a token request whose call was dropped without
    /// [`Session::abandon`], and a token answer that is slow to come. Keep it well above the
    /// transport's timeout, so that a slow answer ends in the transport's timeout (and its
    /// retry, which the waiting calls share) rather than in a second token request. A late
    /// answer to a request that was taken over never replaces the newer request's state.
    #[must_use]
    pub fn with_token_wait(mut self, wait: Duration) -> Self {
        self.token_wait = wait;
        self
    }

    /// How many times one call may be retried after a 429, a 5xx or a transport failure
    /// (default 3).
    #[must_use]
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first backoff delay, doubled on each retry (default 500 ms), and its cap
    /// (default 8 s). Each delay is jittered down by up to half.
    #[must_use]
    pub fn with_backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.backoff_base = base;
        self.backoff_cap = cap;
        self
    }

    /// The wait after a 429 with no usable `Retry-After` (default 1 s).
    #[must_use]
    pub fn with_default_retry_after(mut self, wait: Duration) -> Self {
        self.default_retry_after = wait;
        self
    }

    /// The longest `Retry-After` the session waits out; longer, and the call ends with
    /// [`Error::RateLimited`] at once (default 60 s).
    #[must_use]
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The largest answer body the driver accepts (default 8 MiB; a driver sets it to its
    /// own cap). It also bounds memory: an answer whose values could take more than twice
    /// the cap (less its own size; at least 64 KiB) is refused before it is decoded, with
    /// [`Error::Decode`], so a call holds at most 4 times the cap whatever the answer's shape.
    #[must_use]
    pub fn with_max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Spreads the session's API requests so that no more than `requests` go out in any
    /// `window` (off by default; `requests` 0 or a zero `window` turns it off). A call that
    /// would exceed it waits for the oldest request to leave the window. For bulk jobs under
    /// Spotify's rolling 30-second limit, so that they receive no 429 at all; retries count
    /// too, token requests (to the accounts service) do not. The session remembers the last
    /// `requests` sends, so the memory it takes grows with `requests`.
    ///
    /// ```
    /// use core::time::Duration;
    /// use spotify_web_core::session::Config;
    ///
    /// let bulk = Config::default().with_pacing(150, Duration::from_secs(30));
    /// assert_eq!(bulk.pacing(), Some((150, Duration::from_secs(30))));
    /// assert_eq!(Config::default().pacing(), None);
    /// ```
    #[must_use]
    pub fn with_pacing(mut self, requests: u32, window: Duration) -> Self {
        self.pacing = (requests > 0 && !window.is_zero()).then_some((requests, window));
        self
    }

    /// How many API requests may go out in what window, if the session paces them.
    pub fn pacing(&self) -> Option<(u32, Duration)> {
        self.pacing
    }

    /// Where the accounts service is.
    pub fn accounts_url(&self) -> &BaseUrl {
        &self.accounts
    }

    /// Where the Web API is.
    pub fn api_url(&self) -> &BaseUrl {
        &self.api
    }

    /// How long before expiry a token is renewed.
    pub fn token_margin(&self) -> Duration {
        self.token_margin
    }

    /// How long a call trusts another call's token request.
    pub fn token_wait(&self) -> Duration {
        self.token_wait
    }

    /// How many times one call may be retried.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The first backoff delay and its cap.
    pub fn backoff(&self) -> (Duration, Duration) {
        (self.backoff_base, self.backoff_cap)
    }

    /// The wait after a 429 with no usable `Retry-After`.
    pub fn default_retry_after(&self) -> Duration {
        self.default_retry_after
    }

    /// The longest `Retry-After` the session waits out.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The largest answer body the driver accepts.
    pub fn max_body_size(&self) -> usize {
        self.max_body_size
    }
}
