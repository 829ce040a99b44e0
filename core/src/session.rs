//! The state machine every transport drives: token reuse and refresh, and the retry policy.
//!
//! A [`Session`] holds the credentials, the [`Config`] and the token slot. Each API call is a
//! [`Call`] that the driver advances by asking the session what to do next
//! ([`Session::poll`]) and telling it what happened ([`Session::handle_response`],
//! [`Session::handle_failure`]). The session never reads a clock, draws a random number or
//! touches a socket: time comes in as `now`, and the jitter of its backoff comes from the seed
//! given to [`Session::new`].
//!
//! # The driving loop
//!
//! ```
//! use spotify_web_core::auth::ClientCredentials;
//! use spotify_web_core::endpoint::GetArtist;
//! use spotify_web_core::message::{Request, Response};
//! use spotify_web_core::session::{Config, Session, Step};
//! use spotify_web_core::time::Instant;
//!
//! // A stand-in for a transport: it answers each request from canned bytes.
//! fn send(request: &Request) -> (u16, &'static [u8]) {
//!     if request.url().ends_with("/api/token") {
//!         (200, br#"{"access_token":"NgCXRK","token_type":"Bearer","expires_in":3600}"#)
//!     } else {
//!         assert_eq!(request.header("authorization"), Some("Bearer NgCXRK"));
//!         (200, br#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"Radiohead"}"#)
//!     }
//! }
//!
//! let mut session = Session::new(ClientCredentials::new("id", "secret"), Config::default(), 7);
//! let mut call = session.call(GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse()?));
//! let now = Instant::from_secs(0); // a real driver reads its clock here, on every turn
//! let artist = loop {
//!     match session.poll(&mut call, now) {
//!         Step::Send(request) => {
//!             let (status, body) = send(&request);
//!             session.handle_response(&mut call, &Response::new(status, body), now);
//!         }
//!         Step::Wait(_until) => { /* sleep until `_until`, or until another call reports */ }
//!         Step::Done(result) => break result?,
//!     }
//! };
//! assert_eq!(artist.name, "Radiohead");
//! # Ok::<(), spotify_web_core::Error>(())
//! ```
//!
//! # Writing a transport
//!
//! A transport's driver has these duties, and no others (the rest is the session's):
//!
//! 1. **The loop.** Poll each call; send what [`Step::Send`] gives, within one deadline for
//!    the whole exchange and a cap on the answer's size, following no redirect; report the
//!    answer with [`Session::handle_response`], or the failure with
//!    [`Session::handle_failure`]; sleep until a [`Step::Wait`] instant.
//! 2. **Failures by kind.** [`TransportFailure::Connect`] when the request never left,
//!    [`TransportFailure::Timeout`] and [`TransportFailure::Interrupted`] when it may have
//!    been processed, [`TransportFailure::Permanent`] when no retry can mend it (TLS, an
//!    answer over the cap, an oversized header). The session decides what is retried.
//! 3. **Events.** After every report, and after [`Session::abandon`], drain
//!    [`Session::poll_event`]: on [`Event::TokenChanged`], save [`Session::token`] if the
//!    driver keeps tokens (never letting an older generation replace a newer one); on
//!    [`Event::Wake`], wake the calls that are waiting, so they poll again at once.
//! 4. **Give up cleanly.** A call that will not be driven to its end (a dropped future) is
//!    [`Session::abandon`]ed, so that a token request it had out does not hold up others.
//!
//! A whole single-threaded driver for two calls at once, against canned answers:
//!
//! ```
//! use spotify_web_core::auth::ClientCredentials;
//! use spotify_web_core::endpoint::GetArtist;
//! use spotify_web_core::message::{Request, Response};
//! use spotify_web_core::session::{Config, Event, Session, Step};
//! use spotify_web_core::time::Instant;
//!
//! // The network: a token, then artists.
//! fn send(request: &Request) -> (u16, &'static [u8]) {
//!     if request.url().ends_with("/api/token") {
//!         (200, br#"{"access_token":"NgCXRK","token_type":"Bearer","expires_in":3600}"#)
//!     } else {
//!         (200, br#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"Radiohead"}"#)
//!     }
//! }
//!
//! let mut session = Session::new(ClientCredentials::new("id", "secret"), Config::default(), 7);
//! let id = "4Z8W4fKeB5YxbusRsdQVPb".parse()?;
//! let mut calls = [session.call(GetArtist::new(id)), session.call(GetArtist::new(id))];
//! let mut results = Vec::new();
//! let (mut saved, mut now) = (Vec::new(), Instant::ZERO);
//! while results.len() < calls.len() {
//!     let mut earliest = None;
//!     for call in calls.iter_mut().filter(|call| !call.is_finished()) {
//!         match session.poll(call, now) {
//!             Step::Send(request) => {
//!                 let (status, body) = send(&request); // within a deadline and a size cap
//!                 session.handle_response(call, &Response::new(status, body), now);
//!                 while let Some(event) = session.poll_event() {
//!                     match event {
//!                         Event::TokenChanged { generation } => saved.push(generation),
//!                         Event::Wake => {} // a threaded driver wakes its waiting calls here
//!                         _ => {}
//!                     }
//!                 }
//!             }
//!             // The second call waits for the first one's token request.
//!             Step::Wait(until) => earliest = Some(until),
//!             Step::Done(result) => results.push(result?.name),
//!         }
//!     }
//!     if let Some(until) = earliest {
//!         now = now.max(until.min(now + core::time::Duration::from_millis(1)));
//!     }
//! }
//! assert_eq!(results, ["Radiohead", "Radiohead"]);
//! assert_eq!(saved, [1], "one token, saved once");
//! # Ok::<(), spotify_web_core::Error>(())
//! ```
//!
//! # The rules
//!
//! - A token is requested only when none is cached, or the cached one expires within
//!   [`Config::token_margin`] (or within half its lifetime, for tokens shorter than twice the
//!   margin). Calls that find a token request already in flight wait for it
//!   ([`Step::Wait`]) instead of sending their own; if it fails, they end with its error.
//! - A 401 from the API discards the token it was sent with (unless a newer one already
//!   replaced it) and the call tries once more with a new token; a second 401 ends the call.
//!   Tokens carry a generation, so many calls failing with the same stale token cause one
//!   token request.
//! - A 429 waits what `Retry-After` says (missing, 0, negative or unreadable:
//!   [`Config::default_retry_after`]; a fraction of a second is rounded up; an HTTP-date is
//!   measured against the answer's `Date` header) if that is at most
//!   [`Config::max_retry_after`]; longer, a number too large to read, or a date with no `Date`
//!   header to measure it by, and the call ends at once with [`Error::RateLimited`].
//! - A 429 also holds every other call of the session: none sends an API request before the
//!   wait is over ([`Session::rate_limited_until`]; token requests go to the accounts
//!   service and are not held). A held call whose policy may not wait that long ends at once
//!   with [`Error::RateLimited`]. [`Session::hold_until`] holds the session for a rate limit
//!   learnt elsewhere (another process of the same app).
//! - A 5xx, or a transport failure, is retried with capped exponential backoff and jitter for
//!   idempotent requests; a non-idempotent request that may have been processed is never
//!   sent again.
//! - A request is sent with the token only if its URL is on the configured API's origin; a
//!   followed link to anywhere else ends the call with [`Error::InvalidUrl`].
//! - Every retry (429, 5xx, transport failure, on the token request or the API request) counts
//!   against one budget of [`Config::max_retries`] per call. When it runs out the call ends
//!   with the last error.

use alloc::collections::VecDeque;
use alloc::string::String;
use core::fmt;
use core::time::Duration;

use crate::auth::{AccessToken, ClientCredentials};
use crate::auth::{RefreshToken, UserClient};
use crate::endpoint::Endpoint;
use crate::error::{Error, redact_client};
use crate::message::{Request, Response};
use crate::response::rate_limited;
use crate::time::Instant;

/// After this many token requests, a call uses whatever token the session has, fresh or not,
/// and lets the API judge it: calls replacing each other's short-lived tokens cannot loop.
const MAX_TOKEN_FETCHES: u32 = 3;

/// How many replaced access tokens the session remembers (see `Session::retired`): more than
/// the saves a store can lag behind by.
const MAX_RETIRED: usize = 4;

/// The most informational events kept for a driver that does not poll them.
const MAX_EVENTS: usize = 64;

/// What the driver of a [`Call`] does next.
#[must_use]
#[derive(Debug)]
#[allow(
    clippy::exhaustive_enums,
    reason = "a driver must handle every step: complete by design"
)]
pub enum Step<T> {
    /// Send this request, then report its response with [`Session::handle_response`] or its
    /// failure with [`Session::handle_failure`], then poll again.
    Send(Request),
    /// Nothing to send before this instant: poll again then. Polling earlier is harmless, and
    /// is what a driver running several calls does when another call reports something (the
    /// token this call waits for may have arrived).
    Wait(Instant),
    /// The call is over, with its result. Polling again is a [`Error::Misuse`].
    Done(Result<T, Error>),
}

/// What a session asks of its driver besides sending and waiting: see
/// [`Session::poll_event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A new token landed, of this generation: a driver that keeps tokens saves
    /// [`Session::token`] now (a store should never let an older generation replace a newer
    /// one: saves may finish out of order).
    TokenChanged {
        /// The new token's generation, as [`Session::token_generation`] counts.
        generation: u64,
    },
    /// The token slot changed (a token arrived, a token request failed or was given up), or
    /// the rate-limit gate moved: calls that were told to [`Step::Wait`] should poll again now
    /// rather than at their instant.
    Wake,
    /// Call `call` is sending a token request: attempt `attempt` (from 1) of the token requests
    /// it has made. What a driver may log or trace; it asks nothing.
    TokenRequested {
        /// The call, as [`Call::id`] numbers it.
        call: u64,
        /// How many token requests this call has sent, this one included.
        attempt: u32,
    },
    /// Call `call` will send again after `delay`, for `reason`; this is its retry number
    /// `retry` (from 1) of its budget.
    RetryScheduled {
        /// The call, as [`Call::id`] numbers it.
        call: u64,
        /// Why.
        reason: RetryReason,
        /// How long it waits first.
        delay: Duration,
        /// Which retry this is, from 1.
        retry: u32,
    },
    /// Spotify rate-limits the app: no API request of this session is sent before `until`
    /// (calls already sent finish normally). Drivers sharing a limit between processes
    /// publish it from here.
    RateLimited {
        /// The end of the wait, `retry_after` from the answer.
        until: Instant,
        /// What `Retry-After` asked for (or the default, when it said nothing usable).
        retry_after: Duration,
    },
    /// Call `call` ended with an error it could have been retried for, had the rules allowed:
    /// its budget ran out, or a `Retry-After` was over the cap.
    GaveUp {
        /// The call, as [`Call::id`] numbers it.
        call: u64,
        /// What it had been retrying for.
        reason: RetryReason,
        /// How many retries it had made.
        retries: u32,
    },
}

/// Why a call is retried (see [`Event::RetryScheduled`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryReason {
    /// A 429: Spotify rate-limits the app.
    RateLimited,
    /// A 5xx answer, with its status.
    ServerError {
        /// The status, 500 to 599.
        status: u16,
    },
    /// The transport could not complete the exchange.
    Transport(TransportFailure),
    /// The rate-limit gate is closed: the call waits for it without having been refused.
    Gated,
}

/// The credentials, the configuration and the token slot shared by all calls.
///
/// One session serves any number of calls, in turn or at once: a driver running calls
/// concurrently keeps the session behind a lock and holds it only for `poll` and `handle_*`,
/// never across I/O.
pub struct Session {
    grant: Grant,
    /// The user's refresh token, kept across token renewals and 401s.
    refresh: Option<RefreshToken>,
    config: Config,
    slot: Slot,
    /// The generation of the newest token, and the number of the newest token request.
    generation: u64,
    fetches: u64,
    /// The newest token request that failed for good, and why: the calls that waited for it
    /// (or for an earlier one) end with this error, even once another call has started anew.
    failed: Option<(u64, Error)>,
    /// The access tokens the newest one replaced, newest last, kept to hide them from error
    /// text (an answer to a request sent with one may still come) and to refuse them when a
    /// shared store offers one back ([`Session::handle_stored_token`]).
    retired: VecDeque<String>,
    /// Events for the driver: a token generation to save, and whether waiting calls should
    /// look again.
    save: Option<u64>,
    wake: bool,
    /// What the session did, for the driver to log or trace (the oldest dropped past
    /// [`MAX_EVENTS`]: a driver that never looks loses nothing else).
    events: VecDeque<Event>,
    /// No API request is sent before this instant: Spotify asked the app to wait.
    gate: Option<Instant>,
    /// When the API requests of the pacing window went out, oldest first (with pacing on).
    sent: VecDeque<Instant>,
    next_call: u64,
    rng: u64,
}

/// How the session gets a token.
#[derive(Debug)]
enum Grant {
    /// The app itself, with client credentials.
    Client(ClientCredentials),
    /// A user, renewed with the refresh token.
    User(UserClient),
}

/// What the session knows about its token.
enum Slot {
    Empty,
    /// Token request `fetch` is out (or backing off before its next attempt), sent by call
    /// `by`; others wait until `deadline` at most. Its retries keep its number, so the calls
    /// waiting for it share its end, whichever attempt it comes at.
    Fetching {
        by: u64,
        fetch: u64,
        deadline: Instant,
    },
    Ready {
        token: AccessToken,
        generation: u64,
        /// How long the token was good for when it arrived.
        lifetime: Duration,
    },
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slot = match &self.slot {
            Slot::Empty => "empty",
            Slot::Fetching { .. } => "fetching",
            Slot::Ready { .. } => "ready",
        };
        f.debug_struct("Session")
            .field("grant", &self.grant)
            .field("config", &self.config)
            .field("token", &slot)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session for an app's client credentials. `seed` feeds the jitter of the backoff:
    /// give each session a different one (from the clock or the OS) so that many clients do not
    /// retry in step.
    pub fn new(credentials: ClientCredentials, config: Config, seed: u64) -> Self {
        Self {
            grant: Grant::Client(credentials),
            refresh: None,
            config,
            slot: Slot::Empty,
            generation: 0,
            fetches: 0,
            failed: None,
            retired: VecDeque::new(),
            save: None,
            wake: false,
            events: VecDeque::new(),
            gate: None,
            sent: VecDeque::new(),
            next_call: 0,
            rng: seed,
        }
    }

    /// A session acting for a user, from the token the code exchange (or a token store) gave.
    /// When the token is about to expire, or after a 401, it is renewed with the refresh token;
    /// an answer without a new refresh token keeps the old one. Without a refresh token, a call
    /// that needs a new token ends with [`Error::LoginRequired`].
    pub fn for_user(client: UserClient, token: AccessToken, config: Config, seed: u64) -> Self {
        Self {
            grant: Grant::User(client),
            refresh: token.refresh_token().cloned(),
            config,
            slot: Slot::Ready {
                token,
                generation: 1,
                // Unknown: the margin alone decides when to renew.
                lifetime: Duration::MAX,
            },
            generation: 1,
            fetches: 0,
            failed: None,
            retired: VecDeque::new(),
            save: None,
            wake: false,
            events: VecDeque::new(),
            gate: None,
            sent: VecDeque::new(),
            next_call: 0,
            rng: seed,
        }
    }

    /// Counts the tokens the session has had: it changes exactly when a new token lands, which
    /// is when a driver that keeps tokens (see [`crate::store`]) saves [`token`](Self::token).
    pub fn token_generation(&self) -> u64 {
        self.generation
    }

    /// What the session asks of its driver besides sending and waiting. Poll it after every
    /// report (and after [`abandon`](Self::abandon)) until it gives `None`.
    pub fn poll_event(&mut self) -> Option<Event> {
        if let Some(generation) = self.save.take() {
            return Some(Event::TokenChanged { generation });
        }
        if core::mem::take(&mut self.wake) {
            return Some(Event::Wake);
        }
        self.events.pop_front()
    }

    /// Until when Spotify asked the app to wait, if that is still ahead of `now`: no API
    /// request of this session is sent before then.
    pub fn rate_limited_until(&self, now: Instant) -> Option<Instant> {
        self.gate.filter(|until| now < *until)
    }

    /// Holds every API request of this session until `until`, as a 429 does: for a driver
    /// that learns of a rate limit elsewhere (another process sharing the app's limit). An
    /// earlier instant than the gate already set changes nothing.
    pub fn hold_until(&mut self, until: Instant) {
        if self.gate.is_none_or(|gate| gate < until) {
            self.gate = Some(until);
            self.wake = true;
        }
    }

    /// With pacing on, when the next API request may go out, if not now: once the oldest of
    /// the window's requests has left it.
    fn paced_until(&self, now: Instant) -> Option<Instant> {
        let (requests, window) = self.config.pacing?;
        let left = self
            .sent
            .partition_point(|sent| sent.saturating_add(window) <= now);
        if self.sent.len() - left < requests as usize {
            return None;
        }
        self.sent
            .get(left)
            .map(|oldest| oldest.saturating_add(window))
    }

    fn note(&mut self, event: Event) {
        if self.events.len() == MAX_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The cached token, if there is one.
    pub fn token(&self) -> Option<&AccessToken> {
        match &self.slot {
            Slot::Ready { token, .. } => Some(token),
            _ => None,
        }
    }

    /// Starts a call. Nothing is sent until it is polled.
    /// An endpoint that refuses its own arguments ([`Endpoint::validate`]) ends the call on
    /// its first poll, before anything is sent.
    pub fn call<E: Endpoint>(&mut self, endpoint: E) -> Call<E> {
        self.next_call += 1;
        let state = match endpoint.validate() {
            Ok(()) => State::Ready,
            Err(error) => State::Done(Err(error)),
        };
        Call {
            endpoint,
            id: self.next_call,
            state,
            retries: 0,
            reauthenticated: false,
            fetched: None,
            token_fetches: 0,
            policy: Policy::default(),
        }
    }

    /// What the call needs next. Call it first, after every report, and when a wait is over.
    pub fn poll<E: Endpoint>(&mut self, call: &mut Call<E>, now: Instant) -> Step<E::Output> {
        loop {
            match core::mem::replace(&mut call.state, State::Finished) {
                State::Done(result) => return Step::Done(result),
                State::Finished => {
                    return Step::Done(Err(Error::Misuse {
                        what: "polled a call that had already finished",
                    }));
                }
                state @ (State::FetchingToken { .. } | State::Sent { .. }) => {
                    call.state = state;
                    let error = Error::Misuse {
                        what: "polled a call whose request had not been answered",
                    };
                    self.finish(call, Err(error));
                }
                State::Backoff { until } if now < until => {
                    call.state = State::Backoff { until };
                    return Step::Wait(until);
                }
                State::Backoff { .. } | State::Gated => call.state = State::Ready,
                State::WaitingForToken { fetch } => match (&self.slot, &self.failed) {
                    (
                        Slot::Fetching {
                            fetch: current,
                            deadline,
                            ..
                        },
                        _,
                    ) if *current == fetch && now < *deadline => {
                        call.state = State::WaitingForToken { fetch };
                        return Step::Wait(*deadline);
                    }
                    // A token arrived (perhaps from a later request): use it.
                    (Slot::Ready { .. }, _) => call.state = State::Ready,
                    // The request this call waited for, or a later one, failed for good.
                    (_, Some((failed, error))) if *failed >= fetch => {
                        call.state = State::Done(Err(error.clone()));
                    }
                    _ => call.state = State::Ready,
                },
                State::Ready => return self.next_request(call, now),
            }
        }
    }

    /// The request a ready call sends: the API request with a fresh token, or a token request,
    /// or a wait for another call's token request.
    fn next_request<E: Endpoint>(&mut self, call: &mut Call<E>, now: Instant) -> Step<E::Output> {
        match &self.slot {
            Slot::Ready {
                token,
                generation,
                lifetime,
            } if token.is_fresh(now, self.config.token_margin.min(*lifetime / 2))
                || call.fetched == Some(*generation)
                || call.token_fetches >= MAX_TOKEN_FETCHES =>
            {
                if let Some(until) = self.rate_limited_until(now) {
                    return self.gated(call, until, now);
                }
                if let Some(until) = self.paced_until(now) {
                    call.state = State::Gated;
                    return Step::Wait(until);
                }
                let request = call.endpoint.request(&self.config.api);
                // The token goes only to the configured API (a followed link could point anywhere).
                if let Err(error) = self.config.api.check_same_origin(request.url()) {
                    call.state = State::Finished;
                    return Step::Done(Err(error.into()));
                }
                let request = token.authorize(request);
                if let Some((requests, window)) = self.config.pacing {
                    while self.sent.len() >= requests as usize
                        || self
                            .sent
                            .front()
                            .is_some_and(|sent| sent.saturating_add(window) <= now)
                    {
                        self.sent.pop_front();
                    }
                    self.sent.push_back(now);
                }
                call.state = State::Sent {
                    generation: *generation,
                    idempotent: request.is_idempotent(),
                };
                Step::Send(request)
            }
            Slot::Fetching {
                by,
                fetch,
                deadline,
            } if *by != call.id && now < *deadline => {
                call.state = State::WaitingForToken { fetch: *fetch };
                Step::Wait(*deadline)
            }
            _ => {
                let request = match &self.grant {
                    Grant::Client(credentials) => credentials.token_request(&self.config.accounts),
                    Grant::User(client) => match &self.refresh {
                        Some(refresh) => client.refresh_request(&self.config.accounts, refresh),
                        None => {
                            call.state = State::Finished;
                            return Step::Done(Err(Error::LoginRequired));
                        }
                    },
                };
                // The token it replaces may still be echoed by an answer: keep it to redact,
                // and to refuse it if a shared store offers it back (`handle_stored_token`).
                self.retire_token();
                // A retry of this call's own token request keeps its number: the calls waiting
                // for it go on waiting, and share its end.
                let fetch = match self.slot {
                    Slot::Fetching { by, fetch, .. } if by == call.id => fetch,
                    _ => {
                        self.fetches += 1;
                        self.fetches
                    }
                };
                call.token_fetches += 1;
                self.note(Event::TokenRequested {
                    call: call.id,
                    attempt: call.token_fetches,
                });
                self.slot = Slot::Fetching {
                    by: call.id,
                    fetch,
                    deadline: now + self.config.token_wait,
                };
                call.state = State::FetchingToken { fetch };
                Step::Send(request)
            }
        }
    }

    /// Reports the response to the request the call last asked to send.
    pub fn handle_response<E: Endpoint>(
        &mut self,
        call: &mut Call<E>,
        response: &Response<'_>,
        now: Instant,
    ) {
        match core::mem::replace(&mut call.state, State::Finished) {
            State::FetchingToken { fetch } => {
                self.handle_token_response(call, fetch, response, now);
            }
            State::Sent {
                generation,
                idempotent,
            } => self.handle_api_response(call, response, now, generation, idempotent),
            state => {
                call.state = state;
                let error = Error::Misuse {
                    what: "reported a response for a call with no request in flight",
                };
                self.finish(call, Err(error));
            }
        }
    }

    fn handle_api_response<E: Endpoint>(
        &mut self,
        call: &mut Call<E>,
        response: &Response<'_>,
        now: Instant,
        generation: u64,
        idempotent: bool,
    ) {
        if response.status() == 401 && !call.reauthenticated {
            call.reauthenticated = true;
            // Only the token this call used is discarded: a newer one may already be here.
            if matches!(self.slot, Slot::Ready { generation: current, .. } if current == generation)
            {
                self.retire_token();
                self.slot = Slot::Empty;
                self.wake = true;
            }
            call.state = State::Ready;
            return;
        }
        if response.status() == 429 {
            self.close_gate(response, now);
        }
        if let Some(until) = self.retry_delay(call, response, now, idempotent) {
            return self.back_off(call, until);
        }
        if response.status() == 429 {
            // `retry_delay` declined: over the cap, or out of budget.
            self.gave_up(call, RetryReason::RateLimited);
            return self.finish(call, Err(rate_limited(response)));
        }
        if (500..=599).contains(&response.status()) && idempotent {
            self.gave_up(
                call,
                RetryReason::ServerError {
                    status: response.status(),
                },
            );
        }
        if let Err(error) = self.check_budget(response, "answer") {
            return self.finish(call, Err(error));
        }
        let result = call.endpoint.parse(response);
        self.finish(call, result);
    }

    /// Refuses a successful answer whose values could take more memory than the body cap
    /// allows (see [`Config::max_body_size`]), before it is decoded.
    fn check_budget(&self, response: &Response<'_>, what: &'static str) -> Result<(), Error> {
        if !response.is_success() {
            return Ok(());
        }
        crate::budget::check(response.body(), self.config.max_body_size, what)
            .map_err(Error::Decode)
    }

    /// Answers the token request `call` was told to send with a token from a store shared
    /// with other processes, instead of sending it: another process renewed the user's token
    /// while this one waited for the store's renewal lock. The token is taken as the request's
    /// answer would be (waiting calls wake), and is not asked to be saved: the store has it.
    ///
    /// It is refused, and `false` returned, unless it is fresh (beyond the token margin) and
    /// is not the token being replaced: then the driver sends the token request after all.
    /// Also `false` if the call is not fetching a token ([`Call::is_fetching_token`]).
    pub fn handle_stored_token<E: Endpoint>(
        &mut self,
        call: &mut Call<E>,
        token: AccessToken,
        now: Instant,
    ) -> bool {
        let State::FetchingToken { fetch } = call.state else {
            return false;
        };
        // A store that lags behind this session (its save still on the way) holds a token
        // the session had: never take one back.
        let replaced = self.retired.iter().any(|retired| retired == token.secret());
        if replaced || !token.is_fresh(now, self.config.token_margin) {
            return false;
        }
        if !self.is_current_fetch(fetch) {
            // A newer token arrived meanwhile: the call goes on with that one.
            call.state = State::Ready;
            return true;
        }
        // Not saved: the store it came from has it.
        self.install_token(call, token, now);
        true
    }

    /// Reports that the transport could not complete the exchange.
    pub fn handle_failure<E: Endpoint>(
        &mut self,
        call: &mut Call<E>,
        failure: TransportFailure,
        now: Instant,
    ) {
        let safe = match core::mem::replace(&mut call.state, State::Finished) {
            // Asking for a token twice is harmless. (A refresh that rotates the refresh token
            // and was processed before the connection broke may then be refused as
            // invalid_grant: the user signs in again, nothing is sent twice to the API.)
            State::FetchingToken { .. } => true,
            State::Sent { idempotent, .. } => idempotent || !failure.may_have_been_processed(),
            state => {
                call.state = state;
                let error = Error::Misuse {
                    what: "reported a failure for a call with no request in flight",
                };
                return self.finish(call, Err(error));
            }
        };
        let safe = safe && failure != TransportFailure::Permanent;
        let token = matches!(&self.slot, Slot::Fetching { by, .. } if *by == call.id);
        if safe && self.take_retry(call).is_some() {
            let delay = self.backoff_delay(call.retries - 1);
            self.note(Event::RetryScheduled {
                call: call.id,
                reason: RetryReason::Transport(failure),
                delay,
                retry: call.retries,
            });
            return self.back_off(call, now + delay);
        }
        if safe {
            self.gave_up(call, RetryReason::Transport(failure));
        }
        if token {
            self.token_failed(call, Error::Transport(failure));
        } else {
            self.finish(call, Err(Error::Transport(failure)));
        }
    }

    /// Gives up on a call that will not be driven to its end (a dropped future, say). If it
    /// was fetching the token, other calls stop waiting for it at once.
    pub fn abandon<E: Endpoint>(&mut self, call: &mut Call<E>) {
        self.release_slot(call);
        call.state = State::Finished;
    }

    fn finish<E: Endpoint>(&mut self, call: &mut Call<E>, result: Result<E::Output, Error>) {
        self.release_slot(call);
        call.state = State::Done(result.map_err(|error| self.redact(error)));
    }

    /// The error with every secret the session holds redacted from its text: a server or
    /// proxy that echoes the request into its answer cannot put them into a message.
    fn redact(&self, mut error: Error) -> Error {
        let client = match &self.grant {
            Grant::Client(credentials) => Some((credentials.id(), credentials.secret())),
            Grant::User(client) => client.client_secret().map(|secret| (client.id(), secret)),
        };
        if let Some((id, secret)) = client {
            error = redact_client(error, id.as_str(), secret.secret());
        }
        if let Some(refresh) = &self.refresh {
            error = error.redact(refresh.secret());
        }
        if let Slot::Ready { token, .. } = &self.slot {
            error = error.redact(token.secret());
        }
        for retired in &self.retired {
            error = error.redact(retired);
        }
        error
    }
}

mod call;
mod config;
mod failure;
#[cfg(any(test, fuzzing))]
#[doc(hidden)]
pub mod model;
mod retry;
mod token;

use call::State;
pub use call::{Call, Policy};
pub use config::Config;
pub use failure::TransportFailure;

#[cfg(test)]
mod tests;
