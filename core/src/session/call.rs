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
    /// The endpoint this call sends.
    pub fn endpoint(&self) -> &E {
        &self.endpoint
    }

    /// Whether the call has handed out its result.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished)
    }
}
