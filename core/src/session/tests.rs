//! Every rule of the session, driven by a scripted harness with fake time and no sockets.

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;
use alloc::{format, vec};

use super::*;
use crate::error::{ApiError, AuthError, UnexpectedStatus};
use crate::message::Method;
use crate::model::Artist;
use crate::url::BaseUrl;
use crate::{GetArtist, id::ArtistId};

const RADIOHEAD: &str = "4Z8W4fKeB5YxbusRsdQVPb";
const ARTIST: &str = r#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"Radiohead"}"#;

/// What the fake network answers to one request.
#[derive(Clone)]
enum Reply {
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    Fail(TransportFailure),
}

fn reply(status: u16, body: &str) -> Reply {
    Reply::Answer {
        status,
        headers: vec![],
        body: body.into(),
    }
}

fn rate_limited(retry_after: &str) -> Reply {
    Reply::Answer {
        status: 429,
        headers: vec![("Retry-After", retry_after.into())],
        body: String::new(),
    }
}

fn token_reply(value: &str, expires_in: u64) -> Reply {
    reply(
        200,
        &format!(r#"{{"access_token":"{value}","token_type":"Bearer","expires_in":{expires_in}}}"#),
    )
}

fn get_artist() -> GetArtist {
    GetArtist::new(RADIOHEAD.parse().unwrap())
}

/// A fake network and clock. Token requests and API requests are answered from their own
/// queues; an empty token queue issues `tok-N` for an hour, an empty API queue answers with
/// the artist (checking the bearer token is the newest one issued).
struct Harness {
    session: Session,
    now: Instant,
    token_replies: VecDeque<Reply>,
    api_replies: VecDeque<Reply>,
    tokens_issued: usize,
    api_requests: Vec<Request>,
    /// When each API request was sent, on the fake clock.
    api_times: Vec<Instant>,
    waits: Vec<Duration>,
}

impl Harness {
    fn new(config: Config) -> Self {
        Self {
            session: Session::new(ClientCredentials::new("id", "secret"), config, 42),
            now: Instant::from_secs(1_000),
            token_replies: VecDeque::new(),
            api_replies: VecDeque::new(),
            tokens_issued: 0,
            api_requests: Vec::new(),
            api_times: Vec::new(),
            waits: Vec::new(),
        }
    }

    fn token_requests(&self) -> usize {
        self.tokens_issued
    }

    fn answer(&mut self, request: &Request) -> Reply {
        if request.url().ends_with("/api/token") {
            self.tokens_issued += 1;
            self.token_replies
                .pop_front()
                .unwrap_or_else(|| token_reply(&format!("tok-{}", self.tokens_issued), 3600))
        } else {
            self.api_requests.push(request.clone());
            self.api_times.push(self.now);
            self.api_replies
                .pop_front()
                .unwrap_or_else(|| reply(200, ARTIST))
        }
    }

    fn report<E: Endpoint>(&mut self, call: &mut Call<E>, request: &Request) {
        match self.answer(request) {
            Reply::Answer {
                status,
                headers,
                body,
            } => {
                let mut response = Response::new(status, body.as_bytes());
                for (name, value) in &headers {
                    response = response.with_header(name, value.as_bytes());
                }
                self.session.handle_response(call, &response, self.now);
            }
            Reply::Fail(failure) => self.session.handle_failure(call, failure, self.now),
        }
    }

    /// Drives one call to its end, sleeping through waits on the fake clock.
    fn run<E: Endpoint>(&mut self, endpoint: E) -> Result<E::Output, Error> {
        self.run_with(endpoint, Policy::default())
    }

    /// As `run`, with the call's own policy.
    fn run_with<E: Endpoint>(&mut self, endpoint: E, policy: Policy) -> Result<E::Output, Error> {
        let mut call = self.session.call(endpoint).with_policy(policy);
        for _ in 0..100 {
            match self.session.poll(&mut call, self.now) {
                Step::Send(request) => self.report(&mut call, &request),
                Step::Wait(until) => {
                    assert!(until > self.now, "a wait must be for a later instant");
                    self.waits.push(until.saturating_duration_since(self.now));
                    self.now = until;
                }
                Step::Done(result) => return result,
            }
        }
        panic!("the call did not finish within 100 steps");
    }

    fn artist(&mut self) -> Result<Artist, Error> {
        self.run(get_artist())
    }
}

fn harness() -> Harness {
    Harness::new(Config::default())
}

#[test]
fn one_token_for_100_sequential_calls() {
    let mut h = harness();
    for _ in 0..100 {
        assert_eq!(h.artist().unwrap().name, "Radiohead");
        h.now = h.now + Duration::from_secs(30);
    }
    assert_eq!(h.token_requests(), 1);
    assert_eq!(h.api_requests.len(), 100);
    assert!(
        h.api_requests
            .iter()
            .all(|r| r.header("authorization") == Some("Bearer tok-1"))
    );
}

#[test]
fn renews_token_that_expires_within_the_margin() {
    let mut h = harness();
    h.artist().unwrap();
    // The token lasts 3600 s; the margin is 60 s.
    h.now = h.now + Duration::from_secs(3539);
    h.artist().unwrap();
    assert_eq!(h.token_requests(), 1);
    h.now = h.now + Duration::from_secs(1);
    h.artist().unwrap();
    assert_eq!(h.token_requests(), 2);
    assert_eq!(
        h.api_requests[2].header("authorization"),
        Some("Bearer tok-2")
    );
}

#[test]
fn a_token_shorter_than_the_margin_is_used_not_fetched_forever() {
    let mut h = harness();
    h.token_replies.push_back(token_reply("short", 10));
    h.token_replies.push_back(token_reply("short-2", 0));
    assert!(h.artist().is_ok());
    // Within the first half of its 10 s life, a short token is reused.
    h.now = h.now + Duration::from_secs(4);
    assert!(h.artist().is_ok());
    assert_eq!(h.token_requests(), 1);
    assert_eq!(
        h.api_requests[1].header("authorization"),
        Some("Bearer short")
    );
    // After that it is renewed, and even a zero-second token is used once, not refetched.
    h.now = h.now + Duration::from_secs(2);
    assert!(h.artist().is_ok());
    assert_eq!(h.token_requests(), 2);
    assert_eq!(
        h.api_requests[2].header("authorization"),
        Some("Bearer short-2")
    );
}

#[test]
fn calls_replacing_each_others_short_tokens_stop_after_a_few_fetches() {
    let mut h = harness();
    for i in 0..20 {
        h.token_replies
            .push_back(token_reply(&format!("zero-{i}"), 0));
    }
    let mut first = h.session.call(get_artist());
    let mut second = h.session.call(get_artist());
    let mut sends = 0;
    // Interleave: each call's token is stale for the other one.
    for _ in 0..50 {
        for call in [&mut first, &mut second] {
            if call.is_finished() {
                continue;
            }
            match h.session.poll(call, h.now) {
                Step::Send(request) => {
                    sends += 1;
                    h.report(call, &request);
                }
                Step::Done(_) => {}
                Step::Wait(_) => panic!("nothing to wait for"),
            }
        }
    }
    assert!(first.is_finished() && second.is_finished());
    assert!(
        sends <= 2 * (MAX_TOKEN_FETCHES as usize + 2),
        "{sends} requests"
    );
}

#[test]
fn token_margin_is_configurable() {
    let mut h = Harness::new(Config::default().with_token_margin(Duration::from_secs(600)));
    h.artist().unwrap();
    h.now = h.now + Duration::from_secs(3000);
    h.artist().unwrap();
    assert_eq!(h.token_requests(), 2);
}

#[test]
fn sends_one_token_request_for_50_calls_started_together() {
    let mut h = harness();
    let mut calls: Vec<_> = (0..50).map(|_| h.session.call(get_artist())).collect();
    let mut token_request = None;
    for (i, call) in calls.iter_mut().enumerate() {
        match h.session.poll(call, h.now) {
            Step::Send(request) if i == 0 => token_request = Some(request),
            Step::Wait(until) => assert_eq!(until, h.now + Duration::from_secs(90)),
            other => panic!("call {i}: expected to wait for the token, got {other:?}"),
        }
    }
    let token_request = token_request.unwrap();
    assert!(token_request.url().ends_with("/api/token"));
    h.report(&mut calls[0], &token_request);
    let mut results = 0;
    for call in &mut calls {
        loop {
            match h.session.poll(call, h.now) {
                Step::Send(request) => h.report(call, &request),
                Step::Done(result) => {
                    assert_eq!(result.unwrap().name, "Radiohead");
                    results += 1;
                    break;
                }
                Step::Wait(_) => panic!("no call should wait once the token is here"),
            }
        }
    }
    assert_eq!(results, 50);
    assert_eq!(h.token_requests(), 1);
}

#[test]
fn waiting_calls_share_the_token_failure() {
    let mut h = harness();
    h.token_replies.push_back(reply(
        400,
        r#"{"error":"invalid_client","error_description":"Invalid client secret"}"#,
    ));
    let mut first = h.session.call(get_artist());
    let mut second = h.session.call(get_artist());
    let Step::Send(request) = h.session.poll(&mut first, h.now) else {
        panic!("expected a token request")
    };
    assert!(matches!(h.session.poll(&mut second, h.now), Step::Wait(_)));
    h.report(&mut first, &request);
    let expected = Error::Auth(AuthError {
        status: 400,
        error: "invalid_client".into(),
        description: Some("Invalid client secret".into()),
    });
    let Step::Done(first_result) = h.session.poll(&mut first, h.now) else {
        panic!("expected the end")
    };
    let Step::Done(second_result) = h.session.poll(&mut second, h.now) else {
        panic!("expected the end")
    };
    assert_eq!(first_result.unwrap_err(), expected);
    assert_eq!(second_result.unwrap_err(), expected);
    assert_eq!(h.token_requests(), 1);
    assert!(h.api_requests.is_empty());
    // A later call tries again rather than repeating an old failure.
    assert!(h.artist().is_ok());
    assert_eq!(h.token_requests(), 2);
}

#[test]
fn reauthenticates_once_after_401() {
    let mut h = harness();
    h.artist().unwrap();
    h.api_replies.push_back(reply(
        401,
        r#"{"error":{"status":401,"message":"The access token expired"}}"#,
    ));
    assert_eq!(h.artist().unwrap().name, "Radiohead");
    assert_eq!(h.token_requests(), 2);
    let auth: Vec<_> = h
        .api_requests
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert_eq!(auth, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[test]
fn second_401_ends_the_call_with_the_api_error() {
    let mut h = harness();
    let expired = r#"{"error":{"status":401,"message":"The access token expired"}}"#;
    h.api_replies.push_back(reply(401, expired));
    h.api_replies.push_back(reply(401, expired));
    let err = h.artist().unwrap_err();
    assert_eq!(
        err,
        Error::Api(ApiError {
            status: 401,
            message: Some("The access token expired".into()),
            reason: None
        })
    );
    assert_eq!(h.token_requests(), 2);
    assert_eq!(h.api_requests.len(), 2);
}

#[test]
fn calls_failing_with_the_same_stale_token_cause_one_new_token() {
    let mut h = harness();
    h.artist().unwrap();
    let mut calls: Vec<_> = (0..10).map(|_| h.session.call(get_artist())).collect();
    let requests: Vec<_> = calls
        .iter_mut()
        .map(|call| match h.session.poll(call, h.now) {
            Step::Send(request) => request,
            other => panic!("expected the API request, got {other:?}"),
        })
        .collect();
    // All ten were sent with tok-1, and all ten are refused.
    let refused = Response::new(
        401,
        br#"{"error":{"status":401,"message":"The access token expired"}}"#,
    );
    for (i, call) in calls.iter_mut().enumerate() {
        assert_eq!(requests[i].header("authorization"), Some("Bearer tok-1"));
        h.session.handle_response(call, &refused, h.now);
        // The first retries at once; later ones find the new token already fetched or coming.
        if i == 0 {
            let Step::Send(token) = h.session.poll(call, h.now) else {
                panic!("expected a token request")
            };
            h.report(call, &token);
        }
    }
    for call in &mut calls {
        loop {
            match h.session.poll(call, h.now) {
                Step::Send(request) => {
                    assert_eq!(request.header("authorization"), Some("Bearer tok-2"));
                    h.report(call, &request);
                }
                Step::Done(result) => break assert!(result.is_ok()),
                Step::Wait(_) => panic!("nothing to wait for"),
            }
        }
    }
    assert_eq!(h.token_requests(), 2);
}

#[test]
fn waits_retry_after_then_succeeds() {
    let mut h = harness();
    h.api_replies.push_back(rate_limited("2"));
    assert!(h.artist().is_ok());
    assert_eq!(h.waits, [Duration::from_secs(2)]);
    assert_eq!(h.api_requests.len(), 2);
}

#[test]
fn retry_after_above_the_cap_fails_fast() {
    let mut h = harness();
    h.api_replies.push_back(rate_limited("20000"));
    assert_eq!(
        h.artist().unwrap_err(),
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(20000)),
            retry_at: None,
        }
    );
    assert!(h.waits.is_empty());
    assert_eq!(h.api_requests.len(), 1);
}

#[test]
fn reads_every_form_of_retry_after() {
    let dated = |retry_after: &str, date: Option<&str>| {
        let mut headers = vec![("Retry-After", retry_after.into())];
        if let Some(date) = date {
            headers.push(("Date", date.into()));
        }
        Reply::Answer {
            status: 429,
            headers,
            body: String::new(),
        }
    };
    let now = "Sun, 06 Nov 1994 08:49:37 GMT";
    // Waits: a fraction rounds up, a date counts from the answer's Date, negative is the default.
    for (reply, wait) in [
        (rate_limited("2.5"), 3),
        (dated("Sun, 06 Nov 1994 08:49:41 GMT", Some(now)), 4),
        (dated("Sunday, 06-Nov-94 08:49:42 GMT", Some(now)), 5),
        (rate_limited("-3"), 1),
    ] {
        let mut h = harness();
        h.artist().unwrap();
        h.api_replies.push_back(reply);
        h.waits.clear();
        assert!(h.artist().is_ok());
        assert_eq!(h.waits, [Duration::from_secs(wait)]);
    }
    // Ends at once: a number too large to hold, and a date with nothing to measure it by.
    for (reply, expected) in [
        (
            rate_limited("99999999999999999999999"),
            Error::RateLimited {
                retry_after: None,
                retry_at: None,
            },
        ),
        (
            dated(now, None),
            Error::RateLimited {
                retry_after: None,
                retry_at: Some(now.into()),
            },
        ),
    ] {
        let mut h = harness();
        h.artist().unwrap();
        h.api_replies.push_back(reply);
        h.waits.clear();
        assert_eq!(h.artist().unwrap_err(), expected);
        assert!(h.waits.is_empty());
        assert_eq!(h.api_requests.len(), 2);
    }
}

#[test]
fn missing_or_zero_retry_after_waits_the_configured_default() {
    let mut h = Harness::new(Config::default().with_default_retry_after(Duration::from_secs(3)));
    h.api_replies.push_back(reply(429, ""));
    h.api_replies.push_back(rate_limited("0"));
    assert!(h.artist().is_ok());
    assert_eq!(h.waits, [Duration::from_secs(3), Duration::from_secs(3)]);
}

#[test]
fn rate_limit_that_outlasts_the_budget_ends_rate_limited() {
    let mut h = Harness::new(Config::default().with_max_retries(2));
    for _ in 0..3 {
        h.api_replies.push_back(rate_limited("1"));
    }
    assert_eq!(
        h.artist().unwrap_err(),
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(1)),
            retry_at: None,
        }
    );
    assert_eq!(h.api_requests.len(), 3);
}

#[test]
fn server_error_burst_shorter_than_the_budget_succeeds() {
    let mut h = harness();
    for status in [500, 502, 503] {
        h.api_replies.push_back(reply(status, ""));
    }
    assert!(h.artist().is_ok());
    assert_eq!(h.api_requests.len(), 4);
    assert_eq!(h.waits.len(), 3);
}

#[test]
fn server_error_burst_longer_than_the_budget_fails_with_the_last_error() {
    let mut h = harness();
    for _ in 0..3 {
        h.api_replies.push_back(reply(503, ""));
    }
    h.api_replies
        .push_back(reply(502, "<html>Bad gateway.</html>"));
    assert_eq!(
        h.artist().unwrap_err(),
        Error::UnexpectedStatus(UnexpectedStatus {
            status: 502,
            body: "<html>Bad gateway.</html>".into()
        })
    );
    assert_eq!(h.api_requests.len(), 4);
}

#[test]
fn backoff_doubles_up_to_the_cap_with_jitter_at_most_half() {
    let config = Config::default()
        .with_max_retries(6)
        .with_backoff(Duration::from_millis(100), Duration::from_millis(1000));
    let mut h = Harness::new(config);
    for _ in 0..6 {
        h.api_replies.push_back(reply(500, ""));
    }
    assert!(h.artist().is_ok());
    let full = [100, 200, 400, 800, 1000, 1000].map(Duration::from_millis);
    assert_eq!(h.waits.len(), full.len());
    for (wait, full) in h.waits.iter().zip(full) {
        assert!(
            *wait <= full && *wait >= full / 2,
            "{wait:?} not within {full:?}"
        );
    }
}

#[test]
fn jitter_follows_the_seed() {
    let waits = |seed| {
        let mut h = harness();
        h.session.rng = seed;
        for _ in 0..3 {
            h.api_replies.push_back(reply(500, ""));
        }
        h.artist().unwrap();
        h.waits
    };
    assert_eq!(waits(1), waits(1));
    assert_ne!(waits(1), waits(2));
}

#[test]
fn retries_idempotent_requests_after_transport_failures() {
    let mut h = harness();
    h.api_replies
        .push_back(Reply::Fail(TransportFailure::Connect));
    h.api_replies
        .push_back(Reply::Fail(TransportFailure::Interrupted));
    h.api_replies
        .push_back(Reply::Fail(TransportFailure::Timeout));
    assert!(h.artist().is_ok());
    assert_eq!(h.api_requests.len(), 4);
    let mut h = harness();
    for _ in 0..4 {
        h.api_replies
            .push_back(Reply::Fail(TransportFailure::Interrupted));
    }
    assert_eq!(
        h.artist().unwrap_err(),
        Error::Transport(TransportFailure::Interrupted)
    );
}

/// A non-idempotent endpoint, to check that a POST is never sent twice.
#[derive(Debug)]
struct Post;

impl Endpoint for Post {
    type Output = ();

    fn request(&self, api: &BaseUrl) -> Request {
        Request::new(Method::Post, api.join(format_args!("/me/things")))
    }

    fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
        if response.is_success() {
            Ok(())
        } else {
            Err(crate::response::error_from_response(response))
        }
    }
}

#[test]
fn never_resends_a_post_that_may_have_been_processed() {
    for failure in [TransportFailure::Timeout, TransportFailure::Interrupted] {
        let mut h = harness();
        h.api_replies.push_back(Reply::Fail(failure));
        assert_eq!(h.run(Post).unwrap_err(), Error::Transport(failure));
        assert_eq!(h.api_requests.len(), 1);
    }
    let mut h = harness();
    h.api_replies.push_back(reply(503, ""));
    assert!(matches!(h.run(Post), Err(Error::UnexpectedStatus(_))));
    assert_eq!(h.api_requests.len(), 1);
    // A POST that never left can be sent again.
    let mut h = harness();
    h.api_replies
        .push_back(Reply::Fail(TransportFailure::Connect));
    assert!(h.run(Post).is_ok());
    assert_eq!(h.api_requests.len(), 2);
}

#[test]
fn token_request_failures_are_retried_within_the_budget() {
    let mut h = harness();
    h.token_replies
        .push_back(Reply::Fail(TransportFailure::Connect));
    h.token_replies
        .push_back(reply(503, "No server is available to handle this request."));
    assert!(h.artist().is_ok());
    assert_eq!(h.token_requests(), 3);
    let mut h = harness();
    for _ in 0..4 {
        h.token_replies
            .push_back(reply(503, "No server is available to handle this request."));
    }
    assert!(matches!(
        h.artist(),
        Err(Error::UnexpectedStatus(UnexpectedStatus {
            status: 503,
            ..
        }))
    ));
    assert_eq!(h.token_requests(), 4);
}

#[test]
fn waiting_calls_keep_waiting_while_the_token_request_backs_off() {
    let mut h = harness();
    h.token_replies.push_back(reply(500, ""));
    let mut first = h.session.call(get_artist());
    let mut second = h.session.call(get_artist());
    let Step::Send(request) = h.session.poll(&mut first, h.now) else {
        panic!()
    };
    assert!(matches!(h.session.poll(&mut second, h.now), Step::Wait(_)));
    h.report(&mut first, &request);
    let Step::Wait(retry_at) = h.session.poll(&mut first, h.now) else {
        panic!("expected a backoff")
    };
    let Step::Wait(deadline) = h.session.poll(&mut second, h.now) else {
        panic!("expected to keep waiting")
    };
    assert!(deadline > retry_at);
    h.now = retry_at;
    let Step::Send(request) = h.session.poll(&mut first, h.now) else {
        panic!("expected the token retry")
    };
    h.report(&mut first, &request);
    assert!(matches!(h.session.poll(&mut second, h.now), Step::Send(_)));
    assert_eq!(h.token_requests(), 2);
}

#[test]
fn abandoned_token_request_frees_the_waiting_calls() {
    let mut h = harness();
    let mut first = h.session.call(get_artist());
    let mut second = h.session.call(get_artist());
    assert!(matches!(h.session.poll(&mut first, h.now), Step::Send(_)));
    assert!(matches!(h.session.poll(&mut second, h.now), Step::Wait(_)));
    h.session.abandon(&mut first);
    let Step::Send(request) = h.session.poll(&mut second, h.now) else {
        panic!("expected to fetch")
    };
    assert!(request.url().ends_with("/api/token"));
    assert!(first.is_finished());
}

#[test]
fn a_stuck_token_request_is_taken_over_after_the_wait() {
    let mut h = harness();
    let mut first = h.session.call(get_artist());
    let mut second = h.session.call(get_artist());
    assert!(matches!(h.session.poll(&mut first, h.now), Step::Send(_)));
    let Step::Wait(deadline) = h.session.poll(&mut second, h.now) else {
        panic!()
    };
    h.now = deadline;
    let Step::Send(request) = h.session.poll(&mut second, h.now) else {
        panic!("expected to take over")
    };
    h.report(&mut second, &request);
    assert!(matches!(h.session.poll(&mut second, h.now), Step::Send(_)));
    // The first call's late answer does not replace the newer token; the call uses that one.
    let late = Response::new(
        200,
        br#"{"access_token":"late","token_type":"Bearer","expires_in":3600}"#,
    );
    h.session.handle_response(&mut first, &late, h.now);
    let Step::Send(request) = h.session.poll(&mut first, h.now) else {
        panic!()
    };
    assert_eq!(request.header("authorization"), Some("Bearer tok-1"));
    assert_eq!(h.session.token_generation(), 1);
}

#[test]
fn a_late_answer_never_replaces_a_newer_token_request() {
    let mut h = harness();
    let mut first = h.session.call(get_artist());
    let mut second = h.session.call(get_artist());
    let mut third = h.session.call(get_artist());
    let Step::Send(_) = h.session.poll(&mut first, h.now) else {
        panic!()
    };
    let Step::Wait(deadline) = h.session.poll(&mut second, h.now) else {
        panic!()
    };
    h.now = deadline;
    let Step::Send(second_request) = h.session.poll(&mut second, h.now) else {
        panic!("expected to take over")
    };
    assert!(second_request.url().ends_with("/api/token"));
    // The first request's answer lands while the second is still out: a short-lived token.
    let late = Response::new(
        200,
        br#"{"access_token":"late","token_type":"Bearer","expires_in":1}"#,
    );
    h.session.handle_response(&mut first, &late, h.now);
    assert!(
        h.session.token().is_none(),
        "the newer request still decides"
    );
    // Neither the first call nor a third one sends a third token request: both wait.
    assert!(matches!(h.session.poll(&mut first, h.now), Step::Wait(_)));
    assert!(matches!(h.session.poll(&mut third, h.now), Step::Wait(_)));
    h.report(&mut second, &second_request);
    for call in [&mut first, &mut second, &mut third] {
        let Step::Send(request) = h.session.poll(call, h.now) else {
            panic!("expected the API request")
        };
        assert_eq!(request.header("authorization"), Some("Bearer tok-1"));
        h.report(call, &request);
        assert!(matches!(h.session.poll(call, h.now), Step::Done(Ok(_))));
    }
    // The harness answered the second request only; the first was answered by hand.
    assert_eq!(h.token_requests(), 1);
}

/// Starts `n` calls at once and drives them all to their end, answering each request as soon
/// as it is sent and moving the fake clock to the earliest wait when no call can go on. Gives
/// each call's result and the instant it ended.
fn run_together(h: &mut Harness, n: usize) -> Vec<(Result<Artist, Error>, Instant)> {
    let mut calls: Vec<_> = (0..n).map(|_| h.session.call(get_artist())).collect();
    let mut ends: Vec<Option<(Result<Artist, Error>, Instant)>> = (0..n).map(|_| None).collect();
    for _ in 0..10_000 {
        let mut earliest: Option<Instant> = None;
        let mut progressed = false;
        for (call, end) in calls.iter_mut().zip(&mut ends) {
            if end.is_some() {
                continue;
            }
            match h.session.poll(call, h.now) {
                Step::Send(request) => {
                    h.report(call, &request);
                    progressed = true;
                }
                Step::Wait(until) => earliest = Some(earliest.map_or(until, |e| e.min(until))),
                Step::Done(result) => {
                    *end = Some((result, h.now));
                    progressed = true;
                }
            }
        }
        if ends.iter().all(Option::is_some) {
            return ends.into_iter().map(Option::unwrap).collect();
        }
        if !progressed {
            h.now = earliest.expect("a call that neither sends nor ends waits");
        }
    }
    panic!("the calls did not finish");
}

#[test]
fn waiting_calls_share_the_end_of_a_retried_token_request() {
    let failures: [(&str, Reply); 5] = [
        ("503", reply(503, "")),
        ("500", reply(500, "<html>oops")),
        ("429 with Retry-After", rate_limited("2")),
        ("429 without Retry-After", reply(429, "")),
        (
            "transport failure",
            Reply::Fail(TransportFailure::Interrupted),
        ),
    ];
    for (what, failure) in failures {
        for waiters in [8, 64] {
            let mut h = harness();
            h.token_replies
                .extend(core::iter::repeat_n(failure.clone(), 1_000));
            let start = h.now;
            let ends = run_together(&mut h, waiters);
            // One token request and its 3 retries, however many calls wait for it.
            assert_eq!(h.token_requests(), 4, "{what}, {waiters} calls");
            assert!(h.api_requests.is_empty());
            let (first_error, first_end) = (ends[0].0.clone().unwrap_err(), ends[0].1);
            for (result, end) in &ends {
                assert_eq!(result.as_ref().unwrap_err(), &first_error, "{what}");
                assert_eq!(*end, first_end, "{what}: the calls end together");
            }
            // Three backoffs (or Retry-After waits), not one set per waiting call.
            assert!(
                first_end.saturating_duration_since(start) < Duration::from_secs(20),
                "{what}: ended after {:?}",
                first_end.saturating_duration_since(start)
            );
        }
    }
}

#[test]
fn driving_out_of_order_is_an_error_not_a_panic() {
    let mut h = harness();
    let mut call = h.session.call(get_artist());
    h.session
        .handle_response(&mut call, &Response::new(200, b""), h.now);
    assert!(matches!(
        h.session.poll(&mut call, h.now),
        Step::Done(Err(Error::Misuse { .. }))
    ));
    assert!(matches!(
        h.session.poll(&mut call, h.now),
        Step::Done(Err(Error::Misuse { .. }))
    ));
    let mut call = h.session.call(get_artist());
    assert!(matches!(h.session.poll(&mut call, h.now), Step::Send(_)));
    assert!(matches!(
        h.session.poll(&mut call, h.now),
        Step::Done(Err(Error::Misuse { .. }))
    ));
    // The token request that call abandoned does not block the next one.
    assert!(h.artist().is_ok());
}

#[test]
fn errors_that_are_not_retryable_end_the_call_at_once() {
    let mut h = harness();
    h.api_replies.push_back(reply(
        404,
        r#"{"error":{"status":404,"message":"non existing id"}}"#,
    ));
    assert!(matches!(
        h.artist(),
        Err(Error::Api(ApiError { status: 404, .. }))
    ));
    h.api_replies
        .push_back(reply(403, "User not approved for app"));
    assert_eq!(
        h.artist().unwrap_err(),
        Error::UnexpectedStatus(UnexpectedStatus {
            status: 403,
            body: "User not approved for app".into()
        })
    );
    assert_eq!(h.api_requests.len(), 2);
    assert!(h.waits.is_empty());
}

#[test]
fn uses_the_configured_base_urls() {
    let config = Config::default()
        .with_accounts_url(BaseUrl::new("http://127.0.0.1:1").unwrap())
        .with_api_url(BaseUrl::new("http://127.0.0.1:2/v1").unwrap());
    let mut h = Harness::new(config);
    h.artist().unwrap();
    let id: ArtistId = RADIOHEAD.parse().unwrap();
    assert_eq!(
        h.api_requests[0].url(),
        format!("http://127.0.0.1:2/v1/artists/{id}")
    );
}

#[test]
fn debug_of_a_session_hides_the_token_and_secret() {
    let mut h = harness();
    h.artist().unwrap();
    let debug = format!("{:?}", h.session);
    assert!(
        !debug.contains("tok-1") && !debug.contains("secret\""),
        "{debug}"
    );
    assert!(debug.contains("ready"), "{debug}");
}

#[test]
fn never_sends_the_token_to_another_host() {
    use crate::endpoint::NextPage;
    use crate::error::UrlError;
    let mut h = harness();
    let page: NextPage<Artist> = NextPage::new("https://evil.test/v1/artists?offset=20");
    assert_eq!(
        h.run(page).unwrap_err(),
        Error::InvalidUrl(UrlError::ForeignHost)
    );
    assert!(h.api_requests.is_empty());
    let page: NextPage<Artist> =
        NextPage::new("https://api.spotify.com/v1/search?query=a&type=artist&offset=20");
    h.api_replies
        .push_back(reply(200, r#"{"artists":{"items":[],"total":0}}"#));
    assert_eq!(h.run(page).unwrap().total, 0);
    assert_eq!(h.api_requests.len(), 1);
}

mod user {
    use super::*;
    use crate::auth::ClientId;
    use crate::auth::RefreshToken;
    use alloc::string::ToString;

    fn user_harness(refresh: Option<&str>, expires_in: u64) -> Harness {
        let mut h = harness();
        let token = AccessToken::new(
            "user-tok-0".into(),
            h.now + Duration::from_secs(expires_in),
            "user-read-private".into(),
        )
        .unwrap()
        .with_refresh_token(refresh.map(RefreshToken::new));
        h.session = Session::for_user(
            UserClient::pkce(ClientId::new("cid")),
            token,
            Config::default(),
            9,
        );
        h
    }

    fn body(request: &Request) -> String {
        String::from_utf8_lossy(request.body()).into_owned()
    }

    #[test]
    fn uses_the_given_token_until_it_nears_expiry_then_refreshes() {
        let mut h = user_harness(Some("refresh-1"), 3600);
        h.artist().unwrap();
        assert_eq!(h.token_requests(), 0);
        assert_eq!(
            h.api_requests[0].header("authorization"),
            Some("Bearer user-tok-0")
        );
        let generation = h.session.token_generation();
        h.now = h.now + Duration::from_secs(3550);
        // Capture the refresh request to check its form.
        let mut call = h.session.call(get_artist());
        let Step::Send(refresh) = h.session.poll(&mut call, h.now) else {
            panic!("expected a refresh")
        };
        assert_eq!(
            body(&refresh),
            "grant_type=refresh_token&refresh_token=refresh-1&client_id=cid"
        );
        h.report(&mut call, &refresh);
        assert!(h.session.token_generation() > generation);
        // The answer had no refresh token: the old one is kept, on the new token too.
        let token = h.session.token().unwrap();
        assert_eq!(
            token.refresh_token().map(RefreshToken::secret),
            Some("refresh-1")
        );
    }

    #[test]
    fn a_rotated_refresh_token_is_used_next_time() {
        let mut h = user_harness(Some("refresh-1"), 0);
        h.token_replies.push_back(reply(
            200,
            r#"{"access_token":"user-tok-1","token_type":"Bearer","expires_in":3600,"refresh_token":"refresh-2"}"#,
        ));
        h.artist().unwrap();
        h.api_replies.push_back(expired());
        let mut call = h.session.call(get_artist());
        let Step::Send(request) = h.session.poll(&mut call, h.now) else {
            panic!()
        };
        h.report(&mut call, &request);
        let Step::Send(refresh) = h.session.poll(&mut call, h.now) else {
            panic!("expected a refresh after 401")
        };
        assert!(
            body(&refresh).contains("refresh_token=refresh-2"),
            "{}",
            body(&refresh)
        );
    }

    /// The Web API's 401 for a token it no longer takes.
    fn expired() -> Reply {
        reply(
            401,
            r#"{"error":{"status":401,"message":"The access token expired"}}"#,
        )
    }

    fn stored(access: &str, refresh: &str, now: Instant, lasts: u64) -> AccessToken {
        AccessToken::new(
            access.into(),
            now + Duration::from_secs(lasts),
            "user-read-private".into(),
        )
        .unwrap()
        .with_refresh_token(Some(RefreshToken::new(refresh)))
    }

    #[test]
    fn a_token_another_process_renewed_replaces_the_refresh_and_its_refresh_token() {
        let mut h = user_harness(Some("refresh-1"), 10);
        let generation = h.session.token_generation();
        let mut call = h.session.call(get_artist());
        let Step::Send(_) = h.session.poll(&mut call, h.now) else {
            panic!("expected a refresh")
        };
        assert!(call.is_fetching_token());
        // Another process renewed (and rotated the refresh token) while this one waited.
        let renewed = stored("user-tok-elsewhere", "refresh-2", h.now, 3600);
        assert!(h.session.handle_stored_token(&mut call, renewed, h.now));
        assert!(!call.is_fetching_token());
        assert!(h.session.token_generation() > generation);
        // Nothing to save: the store gave it.
        let events: Vec<_> = core::iter::from_fn(|| h.session.poll_event()).collect();
        assert!(events.contains(&Event::Wake), "{events:?}");
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::TokenChanged { .. }))
        );
        let Step::Send(request) = h.session.poll(&mut call, h.now) else {
            panic!("expected the API request")
        };
        assert_eq!(
            request.header("authorization"),
            Some("Bearer user-tok-elsewhere")
        );
        h.report(&mut call, &request);
        assert!(matches!(
            h.session.poll(&mut call, h.now),
            Step::Done(Ok(_))
        ));
        assert_eq!(h.token_requests(), 0);
        // The next renewal uses the rotated refresh token.
        h.now = h.now + Duration::from_secs(3600);
        let mut call = h.session.call(get_artist());
        let Step::Send(refresh) = h.session.poll(&mut call, h.now) else {
            panic!("expected a refresh")
        };
        assert!(body(&refresh).contains("refresh_token=refresh-2"));
    }

    #[test]
    fn a_stored_token_that_is_stale_or_the_one_replaced_is_refused() {
        let mut h = user_harness(Some("refresh-1"), 10);
        let mut call = h.session.call(get_artist());
        let Step::Send(_) = h.session.poll(&mut call, h.now) else {
            panic!("expected a refresh")
        };
        // The very token the session is renewing, as an unchanged store would give it back.
        let same = stored("user-tok-0", "refresh-1", h.now, 10);
        assert!(!h.session.handle_stored_token(&mut call, same, h.now));
        // Fresh in name only: within the margin.
        let stale = stored("user-tok-other", "refresh-1", h.now, 5);
        assert!(!h.session.handle_stored_token(&mut call, stale, h.now));
        assert!(call.is_fetching_token(), "the refresh is still to be sent");
        // After a 401, the token that got it is refused too.
        let mut h = user_harness(Some("refresh-1"), 3600);
        h.api_replies.push_back(expired());
        let mut call = h.session.call(get_artist());
        let Step::Send(request) = h.session.poll(&mut call, h.now) else {
            panic!()
        };
        h.report(&mut call, &request);
        let Step::Send(_) = h.session.poll(&mut call, h.now) else {
            panic!("expected a refresh after the 401")
        };
        let revoked = stored("user-tok-0", "refresh-1", h.now, 3600);
        assert!(!h.session.handle_stored_token(&mut call, revoked, h.now));
        // A call that is not fetching a token is left alone.
        let mut idle = h.session.call(get_artist());
        let fresh = stored("user-tok-9", "refresh-1", h.now, 3600);
        assert!(!h.session.handle_stored_token(&mut idle, fresh, h.now));
    }

    #[test]
    fn a_token_the_session_had_before_is_refused_when_a_lagging_store_offers_it() {
        let mut h = user_harness(Some("refresh-1"), 0);
        h.artist().unwrap();
        let first = h.session.token().unwrap().secret().to_string();
        // The next token arrives after a 401; its save has not reached the store yet, which
        // still holds the first (fresh by its expiry, but revoked with its refresh token).
        h.api_replies.push_back(expired());
        h.artist().unwrap();
        assert_ne!(h.session.token().unwrap().secret(), first);
        h.api_replies.push_back(expired());
        let mut call = h.session.call(get_artist());
        let Step::Send(request) = h.session.poll(&mut call, h.now) else {
            panic!()
        };
        h.report(&mut call, &request);
        let Step::Send(_) = h.session.poll(&mut call, h.now) else {
            panic!("expected a refresh after the 401")
        };
        let lagging = stored(&first, "refresh-1", h.now, 3000);
        assert!(!h.session.handle_stored_token(&mut call, lagging, h.now));
        assert!(call.is_fetching_token());
    }

    #[test]
    fn without_a_refresh_token_a_needed_renewal_asks_for_login() {
        let mut h = user_harness(None, 30);
        assert_eq!(h.artist().unwrap_err(), Error::LoginRequired);
        assert_eq!(h.token_requests(), 0);
        assert!(h.api_requests.is_empty());
    }

    #[test]
    fn a_revoked_refresh_token_ends_with_the_accounts_error() {
        let mut h = user_harness(Some("refresh-1"), 0);
        h.token_replies.push_back(reply(
            400,
            r#"{"error":"invalid_grant","error_description":"Refresh token revoked"}"#,
        ));
        let err = h.artist().unwrap_err();
        assert!(
            matches!(&err, Error::Auth(e) if e.error == "invalid_grant"),
            "{err:?}"
        );
        assert!(err.to_string().contains("sign in again"), "{err}");
    }

    #[test]
    fn fifty_calls_needing_a_refresh_cause_one() {
        let mut h = user_harness(Some("refresh-1"), 10);
        let mut calls: Vec<_> = (0..50).map(|_| h.session.call(get_artist())).collect();
        let mut refresh = None;
        for (i, call) in calls.iter_mut().enumerate() {
            match h.session.poll(call, h.now) {
                Step::Send(request) if i == 0 => refresh = Some(request),
                Step::Wait(_) => {}
                other => panic!("call {i}: {other:?}"),
            }
        }
        h.report(&mut calls[0], &refresh.unwrap());
        for call in &mut calls {
            loop {
                match h.session.poll(call, h.now) {
                    Step::Send(request) => h.report(call, &request),
                    Step::Done(result) => break assert!(result.is_ok()),
                    Step::Wait(_) => panic!("nothing to wait for"),
                }
            }
        }
        assert_eq!(h.token_requests(), 1);
    }
}

/// The randomized model test (see [`super::model`]) over a few thousand seeded scripts; the
/// `session_model` fuzz target searches further.
#[test]
fn the_model_holds_for_seeded_scripts() {
    let mut state = 0x5eed_u64;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for _ in 0..3_000 {
        let length = (next() % 3_000) as usize;
        let script: Vec<u8> = (0..length).map(|_| next() as u8).collect();
        model::run(&script);
    }
    // And every script the fuzz target kept, when the repository's corpus is here.
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/session_model");
    if let Ok(entries) = std::fs::read_dir(&folder) {
        for entry in entries {
            model::run(&std::fs::read(entry.unwrap().path()).unwrap());
        }
    }
}

#[test]
fn secrets_never_reach_error_text() {
    // A server echoing the request: the token without its scheme, the client's pair, the
    // secret alone, in a regular error, a plain 500 and the token endpoint's answer.
    let basic = crate::encode::base64(b"client-id:s3cr3t-value");
    let echoes = [
        (
            false,
            reply(
                400,
                r#"{"error":{"status":400,"message":"you sent BQD-access-1 (BQD-access-1)"}}"#,
            ),
        ),
        (false, reply(500, "<html>token=BQD-access-1</html>")),
        (
            true,
            reply(
                400,
                &format!(
                    r#"{{"error":"invalid_client","error_description":"{basic} client-id:s3cr3t-value"}}"#
                ),
            ),
        ),
        (true, reply(500, "client_secret=s3cr3t-value")),
    ];
    for (token_endpoint, echo) in echoes {
        let mut h = Harness::new(Config::default().with_max_retries(0));
        h.session = Session::new(
            ClientCredentials::new("client-id", "s3cr3t-value"),
            Config::default().with_max_retries(0),
            1,
        );
        if token_endpoint {
            h.token_replies.push_back(echo);
        } else {
            h.token_replies.push_back(token_reply("BQD-access-1", 3600));
            h.artist().unwrap();
            h.api_replies.push_back(echo);
        }
        let error = h.artist().unwrap_err();
        let shown = format!("{error} {error:?}");
        for secret in [
            "BQD-access-1",
            "client-id:s3cr3t-value",
            basic.as_str(),
            "s3cr3t-value",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}

#[test]
fn a_calls_policy_overrides_the_sessions_rules_for_that_call_only() {
    let mut h = harness();
    h.api_replies.push_back(rate_limited("2"));
    let error = h
        .run_with(get_artist(), Policy::default().wait_for_rate_limit(false))
        .unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert!(h.waits.is_empty(), "no wait at all");
    assert_eq!(h.api_requests.len(), 1);

    // A longer cap than the session's 60 s waits out a 120 s Retry-After.
    h.api_replies.push_back(rate_limited("120"));
    let patient = Policy::default().max_retry_after(Duration::from_secs(300));
    assert!(h.run_with(get_artist(), patient).is_ok());
    assert_eq!(h.waits.last(), Some(&Duration::from_secs(120)));
    h.api_replies.push_back(rate_limited("120"));
    assert!(
        matches!(h.artist(), Err(Error::RateLimited { .. })),
        "the session's own cap still holds for other calls"
    );

    // No retries for this call: a 503 ends it (once the 120 s the app was asked to wait are
    // over: until then every call of the session is held).
    h.now = h.now + Duration::from_secs(120);
    h.api_replies.push_back(reply(503, ""));
    let error = h
        .run_with(get_artist(), Policy::default().max_retries(0))
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
}

#[test]
fn a_429_holds_every_call_of_the_session_until_retry_after() {
    let mut h = harness();
    h.api_replies.push_back(rate_limited("2"));
    let start = h.now;
    let ends = run_together(&mut h, 50);
    assert!(ends.iter().all(|(result, _)| result.is_ok()));
    // One request got the 429; nothing else was sent for the 2 s it asked for; then the
    // 49 held calls and the retry went out together.
    assert_eq!(h.api_times.len(), 51);
    assert_eq!(h.api_times[0], start);
    let reopened = start + Duration::from_secs(2);
    assert!(
        h.api_times[1..].iter().all(|t| *t == reopened),
        "{:?}",
        h.api_times
    );
    assert_eq!(h.token_requests(), 1);
    // A call started once the wait is over goes out at once.
    assert!(h.artist().is_ok());
    assert_eq!(h.api_times.last(), Some(&reopened));
}

#[test]
fn above_the_cap_every_held_call_ends_at_once_rate_limited() {
    let mut h = harness();
    h.api_replies.push_back(rate_limited("120"));
    let start = h.now;
    let ends = run_together(&mut h, 50);
    for (result, end) in &ends {
        assert!(
            matches!(result, Err(Error::RateLimited { retry_after: Some(wait), .. }) if *wait <= Duration::from_secs(120)),
            "{result:?}"
        );
        assert_eq!(*end, start, "ended at once, not after a wait");
    }
    assert_eq!(h.api_times.len(), 1, "only the first request went out");
    // A call that may wait that long waits for the gate, then goes out.
    let patient = Policy::default().max_retry_after(Duration::from_secs(300));
    assert!(h.run_with(get_artist(), patient).is_ok());
    assert_eq!(h.api_times[1], start + Duration::from_secs(120));
}

#[test]
fn a_call_that_must_not_wait_ends_at_once_while_the_gate_is_closed() {
    let mut h = harness();
    h.session.hold_until(h.now + Duration::from_secs(5));
    let fast = Policy::default().wait_for_rate_limit(false);
    let error = h.run_with(get_artist(), fast).unwrap_err();
    assert_eq!(
        error,
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(5)),
            retry_at: None,
        }
    );
    assert!(h.api_requests.is_empty());
    assert_eq!(
        h.session.rate_limited_until(h.now),
        Some(h.now + Duration::from_secs(5))
    );
    // An earlier instant never shortens the hold; a later one lengthens it.
    h.session.hold_until(h.now + Duration::from_secs(1));
    assert_eq!(
        h.session.rate_limited_until(h.now),
        Some(h.now + Duration::from_secs(5))
    );
    assert!(h.artist().is_ok());
    assert_eq!(h.waits, [Duration::from_secs(5)]);
    assert_eq!(h.session.rate_limited_until(h.now), None);
}

#[test]
fn the_session_reports_what_it_does_as_events() {
    let mut h = harness();
    h.api_replies.push_back(rate_limited("2"));
    h.api_replies.push_back(reply(503, ""));
    h.api_replies.push_back(reply(503, ""));
    h.api_replies.push_back(reply(503, ""));
    let config = Config::default().with_max_retries(3);
    let mut h = Harness {
        session: Session::new(ClientCredentials::new("id", "secret"), config, 7),
        ..h
    };
    let start = h.now;
    let error = h.artist().unwrap_err();
    assert_eq!(error.status(), Some(503));
    let mut events = Vec::new();
    while let Some(event) = h.session.poll_event() {
        events.push(event);
    }
    let call = 1;
    assert_eq!(events[0], Event::TokenChanged { generation: 1 });
    assert_eq!(events[1], Event::Wake);
    assert_eq!(events[2], Event::TokenRequested { call, attempt: 1 });
    assert_eq!(
        events[3],
        Event::RateLimited {
            until: start + Duration::from_secs(2),
            retry_after: Duration::from_secs(2),
        }
    );
    assert_eq!(
        events[4],
        Event::RetryScheduled {
            call,
            reason: RetryReason::RateLimited,
            delay: Duration::from_secs(2),
            retry: 1,
        }
    );
    for (i, retry) in [(5, 2), (6, 3)] {
        assert!(
            matches!(events[i], Event::RetryScheduled { call: 1, reason: RetryReason::ServerError { status: 503 }, retry: r, .. } if r == retry),
            "{:?}",
            events[i]
        );
    }
    assert_eq!(
        events[7],
        Event::GaveUp {
            call,
            reason: RetryReason::ServerError { status: 503 },
            retries: 3,
        }
    );
    assert_eq!(events.len(), 8, "{events:?}");
}

#[test]
fn events_a_driver_never_polls_are_bounded() {
    let mut h = harness();
    for _ in 0..500 {
        h.api_replies.push_back(reply(503, ""));
        h.api_replies.push_back(reply(200, ARTIST));
        assert!(h.artist().is_ok());
    }
    let mut count = 0;
    while h.session.poll_event().is_some() {
        count += 1;
    }
    assert!(count <= 2 + MAX_EVENTS, "{count}");
}

#[test]
fn pacing_keeps_every_window_under_its_count() {
    let config = Config::default().with_pacing(10, Duration::from_secs(1));
    let mut h = Harness::new(config);
    let start = h.now;
    let ends = run_together(&mut h, 35);
    assert!(ends.iter().all(|(result, _)| result.is_ok()));
    assert_eq!(h.api_times.len(), 35);
    // No window of one second holds more than 10 requests...
    for (i, first) in h.api_times.iter().enumerate() {
        let within = h.api_times[i..]
            .iter()
            .filter(|t| **t < *first + Duration::from_secs(1))
            .count();
        assert!(within <= 10, "{within} requests within 1 s of {first:?}");
    }
    // ...and none waits longer than it must: 10 at once, then 10 a second later, and so on.
    let seconds: Vec<u64> = h
        .api_times
        .iter()
        .map(|t| t.saturating_duration_since(start).as_secs())
        .collect();
    for second in 0..3 {
        assert_eq!(seconds.iter().filter(|s| **s == second).count(), 10);
    }
    assert_eq!(seconds.iter().filter(|s| **s == 3).count(), 5);
}

#[test]
fn pacing_counts_retries_and_is_off_by_default() {
    let mut h = Harness::new(Config::default().with_pacing(2, Duration::from_secs(10)));
    h.api_replies.push_back(reply(503, ""));
    let start = h.now;
    assert!(h.artist().is_ok());
    assert!(h.artist().is_ok());
    // The 503, its retry and the second call: the third request waits for the first to leave
    // the window.
    assert_eq!(h.api_times.len(), 3);
    assert_eq!(h.api_times[2], start + Duration::from_secs(10));
    let mut h = harness();
    let ends = run_together(&mut h, 100);
    assert!(
        ends.iter()
            .all(|(result, end)| result.is_ok() && *end == ends[0].1)
    );
    assert!(
        Config::default()
            .with_pacing(0, Duration::from_secs(1))
            .pacing()
            .is_none()
    );
}
