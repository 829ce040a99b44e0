//! One API call in progress.

use core::fmt;

use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::time::Instant;

/// One API call in progress. Made by [`Session::call`](super::Session::call), driven by
/// [`Session::poll`](super::Session::poll).
pub struct Call<E: Endpoint> {
    pub(super) endpoint: E,
    pub(super) id: u64,
    pub(super) state: State<E::Output>,
    pub(super) retries: u32,
    pub(super) reauthenticated: bool,
    /// The generation of the token this call fetched itself, if any: it is used even if it
    /// lasts less than the margin, so a short-lived token cannot cause endless fetches.
    pub(super) fetched: Option<u64>,
    /// How many token requests this call has sent.
    pub(super) token_fetches: u32,
    /// This call's own retry rules, where they differ from the session's.
    pub(super) policy: Policy,
}

/// One call's own retry rules, where they should differ from the session's [`Config`]: an
/// interactive request that must fail fast, next to a background job that waits.
///
/// ```
/// use core::time::Duration;
/// use spotify_web_core::session::Policy;
///
/// // Fail at once on a 429 and never retry: the user is waiting.
/// let fast = Policy::default().max_retries(0).wait_for_rate_limit(false);
/// // Wait out even long rate limits.
/// let patient = Policy::default().max_retry_after(Duration::from_secs(600));
/// # let _ = (fast, patient);
/// ```
///
/// [`Config`]: super::Config
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    pub(super) max_retries: Option<u32>,
    pub(super) max_retry_after: Option<core::time::Duration>,
    pub(super) no_rate_limit_wait: bool,
}

impl Policy {
    /// How many times this call may be retried (instead of the session's).
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The longest `Retry-After` this call waits out (instead of the session's).
    #[must_use]
    pub fn max_retry_after(mut self, cap: core::time::Duration) -> Self {
        self.max_retry_after = Some(cap);
        self
    }

    /// Whether this call waits out a 429 at all (default yes); without, a 429 ends it with
    /// [`Error::RateLimited`] at once.
    #[must_use]
    pub fn wait_for_rate_limit(mut self, wait: bool) -> Self {
        self.no_rate_limit_wait = !wait;
        self
    }
}

pub(super) enum State<T> {
    /// Decide what to do next.
    Ready,
    /// Another call's token request `fetch` is out.
    WaitingForToken { fetch: u64 },
    /// This call's token request `fetch` is out.
    FetchingToken { fetch: u64 },
    /// This call's API request is out, with the token of `generation`.
    Sent { generation: u64, idempotent: bool },
    /// Retry after `until`.
    Backoff { until: Instant },
    /// Waiting for the session's rate-limit gate to open (it may move: look again).
    Gated,
    /// Over; the result is given on the next poll.
    Done(Result<T, Error>),
    /// Over, and the result was given.
    Finished,
}

impl<E: Endpoint + fmt::Debug> fmt::Debug for Call<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready => "ready",
            State::WaitingForToken { .. } => "waiting for token",
            State::FetchingToken { .. } => "fetching token",
            State::Sent { .. } => "sent",
            State::Backoff { .. } => "backing off",
            State::Gated => "rate-limited",
            State::Done(_) => "done",
            State::Finished => "finished",
        };
        f.debug_struct("Call")
            .field("endpoint", &self.endpoint)
            .field("state", &state)
            .field("retries", &self.retries)
            .finish_non_exhaustive()
    }
}

impl<E: Endpoint> Call<E> {
    /// Gives this call its own retry rules.
    #[must_use]
    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// The endpoint this call sends.
    pub fn endpoint(&self) -> &E {
        &self.endpoint
    }

    /// This call's number in its session, as the session's [`Event`](super::Event)s name it.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Whether the request the call was last told to send is a token request (a renewal,
    /// for a user): a driver that shares a user's tokens between processes takes the store's
    /// renewal lock for it, and may answer it from the store with
    /// [`Session::handle_stored_token`](super::Session::handle_stored_token).
    pub fn is_fetching_token(&self) -> bool {
        matches!(self.state, State::FetchingToken { .. })
    }

    /// Whether the call has handed out its result.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished)
    }
}
