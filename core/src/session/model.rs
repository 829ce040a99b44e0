//! A randomized model test of the [`Session`]: many interleaved calls, random answers and
//! failures, random abandons and a fake clock, checked against the session's rules.
//!
//! [`run`] plays one script (the bytes decide every choice) and panics if a rule breaks. The
//! core's tests replay a few thousand seeded scripts; the `session_model` fuzz target searches
//! for more (this module is compiled for tests and under `cfg(fuzzing)` only).
//!
//! The rules checked:
//! 1. An API request carries a token the accounts service issued.
//! 2. A request that is not idempotent is never sent again once it may have been processed.
//! 3. Every call ends, within a bounded number of requests, and never with a `Misuse`.
//! 4. No token request goes out while another one is out whose wait (`token_wait`) has not
//!    run out: a late answer to a superseded request never starts a third.
//! 5. In an outage of the accounts service, calls waiting for one token request cause that
//!    request and its retries, nothing more, and all end together with its error.
//! 6. Each new token is announced to the driver once ([`Event::TokenChanged`]), newer than
//!    the one before: a store that follows the events only moves forward and saves each
//!    token once (the store's own half of that is tested in the driver).
//! 7. After a 429 from the API, no API request of the session goes out before the wait it
//!    asked for (`Retry-After`, or the default when it gives none or 0) is over.
//! 8. A token a shared store offers instead of a token request
//!    ([`Session::handle_stored_token`]) is taken when it is fresh and new to the session, and
//!    then used; one the session replaced (any of the last four), or one about to expire, is
//!    refused and the token request goes out.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use crate::auth::{AccessToken, ClientCredentials};
use crate::endpoint::Endpoint;
use crate::error::{Error, TransportFailure};
use crate::message::{Method, Request, Response};
use crate::response::error_from_response;
use crate::session::{Call, Config, Event, Session, Step};
use crate::time::Instant;
use crate::url::BaseUrl;

/// The endpoint every modelled call sends: a GET, or a POST that must not be repeated.
#[derive(Debug)]
struct Thing {
    post: bool,
}

impl Endpoint for Thing {
    type Output = ();

    fn request(&self, api: &BaseUrl) -> Request {
        if self.post {
            Request::new(Method::Post, api.join(format_args!("/me/things")))
        } else {
            Request::new(Method::Get, api.join(format_args!("/things/1")))
        }
    }

    fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
        if response.is_success() {
            Ok(())
        } else {
            Err(error_from_response(response))
        }
    }
}

/// The script's bytes, then zeros.
struct Script<'a> {
    data: &'a [u8],
}

impl Script<'_> {
    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    fn below(&mut self, n: u8) -> u8 {
        self.byte() % n
    }

    fn is_spent(&self) -> bool {
        self.data.is_empty()
    }
}

/// One modelled call, as the model sees it from outside the session.
struct Modelled {
    call: Call<Thing>,
    post: bool,
    /// The request it sent and has not had answered yet, and when it was sent.
    out: Option<(Request, Instant)>,
    done: bool,
    abandoned: bool,
    /// A POST whose request may have been processed.
    maybe_processed: bool,
    sends: u32,
}

fn is_token_request(request: &Request) -> bool {
    request.url().ends_with("/api/token")
}

/// What an answer to a request is.
enum Answer {
    Response {
        status: u16,
        body: String,
        retry_after: Option<String>,
    },
    Failure(TransportFailure),
}

struct Model<'a> {
    script: Script<'a>,
    session: Session,
    calls: Vec<Modelled>,
    now: Instant,
    token_wait: Duration,
    retries: u32,
    issued: BTreeSet<String>,
    token_requests: u32,
    outage: bool,
    /// The newest token generation the session announced, as a store would have saved it.
    saved: u64,
    /// No API request may go out before this: the latest end of a 429's wait.
    gate: Option<Instant>,
    /// Every token the session has held, oldest first (they are all different).
    held: Vec<String>,
    /// Tokens a shared store gave the session in place of a token request.
    adopted: u32,
}

impl Model<'_> {
    fn token_answer(&mut self) -> Answer {
        if self.outage {
            let kind = self.script.below(5);
            return self.failure(kind);
        }
        if self.script.is_spent() {
            return self.issue(3600);
        }
        match self.script.below(10) {
            0..=3 => {
                let lifetime = [3600, 30, 1][usize::from(self.script.below(3))];
                self.issue(lifetime)
            }
            4 => Answer::Response {
                status: 400,
                body: r#"{"error":"invalid_client","error_description":"Invalid client secret"}"#
                    .into(),
                retry_after: None,
            },
            _ => {
                let kind = self.script.below(5);
                self.failure(kind)
            }
        }
    }

    /// A failure of one of five kinds: 503, 500, 429 with and without `Retry-After`, and a
    /// transport failure.
    fn failure(&mut self, kind: u8) -> Answer {
        match kind {
            0 => Answer::Response {
                status: 503,
                body: String::new(),
                retry_after: None,
            },
            1 => Answer::Response {
                status: 500,
                body: "<html>oops".into(),
                retry_after: None,
            },
            2 => Answer::Response {
                status: 429,
                body: String::new(),
                retry_after: Some(format!("{}", self.script.below(4))),
            },
            3 => Answer::Response {
                status: 429,
                body: String::new(),
                retry_after: None,
            },
            _ => Answer::Failure(match self.script.below(3) {
                0 => TransportFailure::Connect,
                1 => TransportFailure::Timeout,
                _ => TransportFailure::Interrupted,
            }),
        }
    }

    fn issue(&mut self, lifetime: u64) -> Answer {
        let token = format!("tok{}", self.token_requests);
        self.issued.insert(token.clone());
        Answer::Response {
            status: 200,
            body: format!(
                r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{lifetime}}}"#
            ),
            retry_after: None,
        }
    }

    fn api_answer(&mut self) -> Answer {
        if self.script.is_spent() {
            return Answer::Response {
                status: 200,
                body: "{}".into(),
                retry_after: None,
            };
        }
        match self.script.below(10) {
            0..=4 => Answer::Response {
                status: 200,
                body: "{}".into(),
                retry_after: None,
            },
            5 => Answer::Response {
                status: 401,
                body: r#"{"error":{"status":401,"message":"The access token expired"}}"#.into(),
                retry_after: None,
            },
            6 => Answer::Response {
                status: 404,
                body: r#"{"error":{"status":404,"message":"Not found"}}"#.into(),
                retry_after: None,
            },
            _ => {
                let kind = self.script.below(5);
                self.failure(kind)
            }
        }
    }

    /// Polls call `index` once, checking what it asks for.
    fn poll(&mut self, index: usize) -> Option<Instant> {
        let now = self.now;
        let modelled = &mut self.calls[index];
        match self.session.poll(&mut modelled.call, now) {
            Step::Send(request) => {
                modelled.sends += 1;
                let bound = 4 * (self.retries + 2) + 4 + 2 * self.calls.len() as u32;
                let modelled = &mut self.calls[index];
                assert!(
                    modelled.sends <= bound,
                    "call {index} sent {} requests",
                    modelled.sends
                );
                if is_token_request(&request) {
                    if self.offer_stored_token(index) {
                        return None;
                    }
                    self.token_requests += 1;
                    for (other, call) in self.calls.iter().enumerate() {
                        if let Some((out, sent)) = &call.out {
                            assert!(
                                !is_token_request(out) || *sent + self.token_wait <= now,
                                "call {index} sent a token request while call {other}'s, sent \
                                 at {sent:?}, was out and trusted (now {now:?})"
                            );
                        }
                    }
                } else {
                    let token = request
                        .header("authorization")
                        .and_then(|value| value.strip_prefix("Bearer "))
                        .expect("an API request carries a bearer token");
                    assert!(self.issued.contains(token), "{token} was never issued");
                    assert!(
                        self.gate.is_none_or(|gate| now >= gate),
                        "call {index} sent an API request at {now:?}, inside a 429's wait \
                         (until {:?})",
                        self.gate
                    );
                    assert!(
                        !self.calls[index].maybe_processed,
                        "call {index} sent its POST again after it may have been processed"
                    );
                }
                self.calls[index].out = Some((request, now));
                None
            }
            Step::Wait(until) => {
                assert!(until > now, "a wait must be for a later instant");
                Some(until)
            }
            Step::Done(result) => {
                assert!(
                    !matches!(result, Err(Error::Misuse { .. })),
                    "call {index} was driven as the session asked, yet ended with {result:?}"
                );
                modelled.done = true;
                None
            }
        }
    }

    /// Acts, as the script says, as a driver whose token store is shared with other
    /// processes: before call `index` sends its token request, the store may answer with a
    /// token another process saved (taken), one this session replaced or one about to expire
    /// (both refused). Whether the request is answered so and need not go out.
    fn offer_stored_token(&mut self, index: usize) -> bool {
        // In an outage the accounts service is all there is (rule 5).
        if self.outage {
            return false;
        }
        let now = self.now;
        let margin = self.session.config().token_margin();
        let (value, expires_at, taken) = match self.script.below(8) {
            0 => {
                let value = format!("elsewhere{}", self.adopted);
                (value, now + margin + Duration::from_secs(3600), true)
            }
            1 if !self.held.is_empty() => {
                // A store lagging behind the session: one of the last tokens it replaced.
                let back = usize::from(self.script.below(4)) % self.held.len().min(4);
                let value = self.held[self.held.len() - 1 - back].clone();
                (value, now + margin + Duration::from_secs(3600), false)
            }
            2 => {
                let value = format!("stale{}", self.adopted);
                (value, now + margin, false)
            }
            _ => return false,
        };
        let token = AccessToken::new(value.clone(), expires_at, String::new())
            .expect("a well-formed token");
        let modelled = &mut self.calls[index];
        let took = self
            .session
            .handle_stored_token(&mut modelled.call, token, now);
        assert_eq!(
            took, taken,
            "call {index} was offered {value} from the store: taken {took}, expected {taken}"
        );
        if !took {
            return false;
        }
        self.adopted += 1;
        self.issued.insert(value.clone());
        // The call goes on without sending; the session holds the store's token, unless a
        // newer one arrived while the call waited for the store.
        if self
            .session
            .token()
            .is_some_and(|token| token.secret() == value)
        {
            self.held.push(value);
        }
        self.events();
        true
    }

    /// Answers call `index`'s request.
    fn answer(&mut self, index: usize) {
        let Some((request, _)) = self.calls[index].out.take() else {
            return;
        };
        let answer = if is_token_request(&request) {
            self.token_answer()
        } else {
            self.api_answer()
        };
        let now = self.now;
        let modelled = &mut self.calls[index];
        match answer {
            Answer::Response {
                status,
                body,
                retry_after,
            } => {
                if modelled.post && !is_token_request(&request) && !matches!(status, 401 | 429) {
                    modelled.maybe_processed = true;
                }
                if status == 429 && !is_token_request(&request) {
                    let seconds = retry_after
                        .as_deref()
                        .and_then(|value| value.parse::<u64>().ok())
                        .filter(|seconds| *seconds > 0);
                    let wait = seconds.map_or(
                        self.session.config().default_retry_after(),
                        Duration::from_secs,
                    );
                    let until = now + wait;
                    self.gate = Some(self.gate.map_or(until, |gate| gate.max(until)));
                }
                let mut response = Response::new(status, body.as_bytes());
                if let Some(value) = &retry_after {
                    response = response.with_header("retry-after", value.as_bytes());
                }
                self.session
                    .handle_response(&mut modelled.call, &response, now);
            }
            Answer::Failure(failure) => {
                if modelled.post && !is_token_request(&request) && failure.may_have_been_processed()
                {
                    modelled.maybe_processed = true;
                }
                self.session
                    .handle_failure(&mut modelled.call, failure, now);
            }
        }
        self.events();
    }

    /// Drains the session's events as a driver would, checking the half of the token store's
    /// rules that is the session's: each new token is announced once, newer than the last,
    /// while it is the session's token.
    fn events(&mut self) {
        while let Some(event) = self.session.poll_event() {
            if let Event::TokenChanged { generation } = event {
                assert!(
                    generation > self.saved,
                    "generation {generation} announced after {}",
                    self.saved
                );
                assert_eq!(generation, self.session.token_generation());
                let token = self
                    .session
                    .token()
                    .expect("a new token is there to save")
                    .secret();
                if self.held.last().is_none_or(|last| last != token) {
                    self.held.push(token.into());
                }
                self.saved = generation;
            }
        }
    }

    fn live(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.calls.len()).filter(|i| !self.calls[*i].done && !self.calls[*i].abandoned)
    }

    /// Interleaves polls, answers, abandons and the passing of time as the script says.
    fn interleave(&mut self) {
        for _ in 0..4_000 {
            if self.script.is_spent() || self.live().next().is_none() {
                return;
            }
            let live: Vec<usize> = self.live().collect();
            let index = live[usize::from(self.script.byte()) % live.len()];
            match self.script.below(16) {
                0..=6 => {
                    if self.calls[index].out.is_none() {
                        self.poll(index);
                    }
                }
                7..=12 => self.answer(index),
                13 | 14 => {
                    self.now = self.now + Duration::from_millis(250 * u64::from(self.script.byte()))
                }
                _ => {
                    if self.script.below(4) == 0 {
                        let modelled = &mut self.calls[index];
                        self.session.abandon(&mut modelled.call);
                        modelled.abandoned = true;
                        modelled.out = None;
                        self.events();
                    }
                }
            }
        }
    }

    /// Drives every call to its end: each request is answered as soon as it is sent (from the
    /// script while it lasts, then with successes), and the clock moves to the earliest wait
    /// when no call can go on. Gives the instant each call ended.
    fn drain(&mut self) -> Vec<Option<Instant>> {
        let mut ends = alloc::vec![None; self.calls.len()];
        for _ in 0..20_000 {
            let mut earliest: Option<Instant> = None;
            let mut progressed = false;
            let live: Vec<usize> = self.live().collect();
            if live.is_empty() {
                return ends;
            }
            for index in live {
                if self.calls[index].out.is_some() {
                    self.answer(index);
                    progressed = true;
                    continue;
                }
                match self.poll(index) {
                    Some(until) => earliest = Some(earliest.map_or(until, |e| e.min(until))),
                    None => progressed = true,
                }
                if self.calls[index].done {
                    ends[index] = Some(self.now);
                }
            }
            if !progressed {
                self.now = earliest.expect("a live call that neither sends nor ends waits");
            }
        }
        panic!("the calls did not end");
    }
}

/// Plays one script; panics if the session breaks one of its rules.
pub fn run(data: &[u8]) {
    let mut script = Script { data };
    let outage = script.below(4) == 0;
    let retries = u32::from(script.below(5));
    let token_wait = if outage || script.below(2) == 0 {
        Duration::from_secs(90)
    } else {
        Duration::from_secs(u64::from(1 + script.below(20)))
    };
    let config = Config::default()
        .with_max_retries(retries)
        .with_token_wait(token_wait)
        .with_max_retry_after(Duration::from_secs(u64::from(script.below(30))));
    let mut session = Session::new(
        ClientCredentials::new("id", "secret"),
        config,
        u64::from(script.byte()),
    );
    let count = 1 + usize::from(script.below(16));
    let calls = (0..count)
        .map(|_| {
            let post = script.below(4) == 0;
            Modelled {
                call: session.call(Thing { post }),
                post,
                out: None,
                done: false,
                abandoned: false,
                maybe_processed: false,
                sends: 0,
            }
        })
        .collect();
    let mut model = Model {
        script,
        session,
        calls,
        now: Instant::from_secs(1_000),
        token_wait,
        retries,
        issued: BTreeSet::new(),
        token_requests: 0,
        outage,
        saved: 0,
        gate: None,
        held: Vec::new(),
        adopted: 0,
    };
    if outage {
        // Every call starts before any answer comes, and every token answer is a failure:
        // one token request and its retries, and every call ends with its error, together.
        for index in 0..count {
            model.poll(index);
        }
        let ends = model.drain();
        // Fewer when a `Retry-After` above the cap ends the request early.
        assert!(
            (1..=retries + 1).contains(&model.token_requests),
            "{count} calls in an outage caused {} token requests",
            model.token_requests
        );
        assert!(
            ends.windows(2).all(|pair| pair[0] == pair[1]),
            "the calls end together"
        );
        return;
    }
    model.interleave();
    model.drain();
}
