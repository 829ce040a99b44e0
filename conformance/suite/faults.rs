//! Faults the emulator injects: rate limits, server errors, broken and malformed answers.

use spotify_web_conformance::prelude::*;

use super::T;

/// A 429 with a short `Retry-After` is waited out.
#[test]
fn honours_retry_after() {
    // The session's waits are proved with fake time in the core; here, that the transport
    // really sleeps and sends again, with a wait short enough to keep the suite quick.
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let wait = Duration::from_millis(150);
    let client = T::connect(
        credentials,
        config_for(&emulator).with_default_retry_after(wait),
    );
    client.send(GetArtist::new(id(RADIOHEAD))).unwrap();
    emulator.inject(Target::Api, Fault::RateLimit { retry_after: None }, 1);
    let started = Instant::now();
    assert_eq!(
        client.send(GetArtist::new(id(RADIOHEAD))).unwrap().name,
        "Radiohead"
    );
    assert!(
        started.elapsed() >= wait,
        "did not wait before sending again"
    );
    assert_eq!(emulator.requests(Route::Artist), 3);
}

/// A 429 asking for hours ends the call at once with the value.
#[test]
fn fails_fast_on_a_long_retry_after() {
    let s = Setup::<T>::new();
    s.emulator.inject(
        Target::Api,
        Fault::RateLimit {
            retry_after: Some(20_000),
        },
        1,
    );
    assert_eq!(
        spotify(s.artist(RADIOHEAD)),
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(20_000)),
            retry_at: None,
        }
    );
    assert_eq!(s.emulator.requests(Route::Artist), 1);
}

/// A short burst of 5xx is retried away; a long one ends with the last answer.
#[test]
fn retries_server_errors_within_the_budget() {
    let s = Setup::<T>::new();
    for status in [500, 502, 503] {
        s.emulator
            .inject(Target::Api, Fault::ServerError { status }, 1);
    }
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    assert_eq!(s.emulator.requests(Route::Artist), 4);
    s.emulator
        .inject(Target::Api, Fault::ServerError { status: 503 }, 4);
    let error = spotify(s.artist(RADIOHEAD));
    assert!(
        matches!(&error, Error::UnexpectedStatus(e) if e.status == 503),
        "{error:?}"
    );
    assert_eq!(s.emulator.requests(Route::Artist), 8);
}

/// A body cut short is retried; cut short every time, it is a clear error, not a panic.
#[test]
fn survives_truncated_bodies() {
    let s = Setup::<T>::new();
    s.artist(RADIOHEAD).unwrap();
    s.emulator.inject(Target::Api, Fault::TruncatedBody, 1);
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    s.emulator.inject(Target::Api, Fault::TruncatedBody, 4);
    let error = s.artist(RADIOHEAD).unwrap_err();
    assert_eq!(failure(&error), Failure::Interrupted, "{error:?}");
    assert!(!error.to_string().is_empty());
}

/// A body that is not JSON is a decode error that says what it was decoding.
#[test]
fn reports_malformed_bodies() {
    let s = Setup::<T>::new();
    s.emulator.inject(Target::Api, Fault::MalformedJson, 1);
    let error = spotify(s.artist(RADIOHEAD));
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(decode.what, "artist");
    assert_eq!(
        s.emulator.requests(Route::Artist),
        1,
        "a malformed answer is not retried"
    );
}

/// A dropped connection is retried; dropped every time, it is reported.
#[test]
fn survives_dropped_connections() {
    let s = Setup::<T>::new();
    s.artist(RADIOHEAD).unwrap();
    s.emulator.inject(Target::Api, Fault::DropConnection, 2);
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    s.emulator.inject(Target::Api, Fault::DropConnection, 4);
    let error = s.artist(RADIOHEAD).unwrap_err();
    assert_eq!(failure(&error), Failure::Interrupted, "{error:?}");
}

/// A few thousand calls from several threads with every fault switched on: each ends with
/// the right artist or a typed error of a kind the faults explain; none is lost, none wrong.
#[test]
fn soak_under_faults_loses_nothing() {
    let s = Setup::<T>::with(
        Emulator::builder()
            .workers(2)
            .start()
            .unwrap_or_else(|e| panic!("emulator: {e}")),
    );
    let config = config_for(&s.emulator)
        .with_default_retry_after(Duration::from_millis(1))
        .with_backoff(Duration::from_millis(1), Duration::from_millis(4));
    let credentials = ClientCredentials::new(s.emulator.client_id(), s.emulator.client_secret());
    let client = T::connect(credentials, config);
    let faults = [
        Fault::RateLimit {
            retry_after: Some(0),
        },
        Fault::RateLimit { retry_after: None },
        Fault::ServerError { status: 500 },
        Fault::ServerError { status: 502 },
        Fault::ServerError { status: 503 },
        Fault::TruncatedBody,
        Fault::MalformedJson,
        Fault::DropConnection,
    ];
    const THREADS: usize = 8;
    const CALLS: usize = 250;
    let deadline = Instant::now() + Duration::from_secs(120);
    let emulator = &s.emulator;
    let all: Vec<Vec<Result<spotify_web_core::model::Artist, ClientError>>> =
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..THREADS)
                .map(|t| {
                    let client = client.clone();
                    scope.spawn(move || {
                        let mut outcomes = Vec::with_capacity(CALLS);
                        for i in 0..CALLS {
                            if Instant::now() > deadline {
                                break;
                            }
                            // Every third call queues a fault for whichever request comes next.
                            if i % 3 == 0 {
                                emulator.inject(Target::Api, faults[(t + i) % faults.len()], 1);
                            }
                            outcomes.push(client.send(GetArtist::new(id(RADIOHEAD))));
                        }
                        outcomes
                    })
                })
                .collect();
            threads
                .into_iter()
                .map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|_| panic!("a calling thread panicked"))
                })
                .collect()
        });
    let mut counts = std::collections::BTreeMap::new();
    let mut total = 0;
    for outcomes in all {
        for outcome in outcomes {
            total += 1;
            let kind = match outcome {
                Ok(artist) => {
                    assert_eq!(
                        (artist.id.as_str(), artist.name.as_str()),
                        (RADIOHEAD, "Radiohead")
                    );
                    "ok"
                }
                Err(error) if failure(&error) == Failure::Interrupted => "interrupted",
                Err(error) => match error.spotify() {
                    Some(Error::RateLimited { .. }) => "rate limited",
                    Some(Error::UnexpectedStatus(e)) if e.status >= 500 => "server error",
                    Some(Error::Api(e)) if e.status >= 500 => "server error",
                    Some(Error::Decode(e)) if e.what == "artist" => "malformed",
                    _ => panic!("an error no fault explains: {error:?}"),
                },
            };
            *counts.entry(kind).or_insert(0usize) += 1;
        }
    }
    eprintln!("soak: {total} calls: {counts:?}");
    assert_eq!(
        total,
        THREADS * CALLS,
        "calls were lost or the soak ran out of time: {counts:?}"
    );
    assert!(
        counts.get("ok").copied().unwrap_or(0) > total / 2,
        "{counts:?}"
    );
    assert_eq!(s.emulator.requests(Route::Token), 1, "{counts:?}");
}

/// A call's own policy: one that must fail fast gives up on a 429 at once, while the
/// session's default waits it out; the retry budget can be cut for one call.
#[test]
fn a_call_can_fail_fast_where_the_session_would_wait() {
    use spotify_web_core::session::Policy;

    let s = Setup::<T>::new();
    s.emulator.inject(
        Target::Api,
        Fault::RateLimit {
            retry_after: Some(1),
        },
        1,
    );
    let before = s.emulator.api_requests();
    let error = spotify(s.client.send_with(
        GetArtist::new(id(RADIOHEAD)),
        Policy::default().wait_for_rate_limit(false),
    ));
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(s.emulator.api_requests() - before, 1, "no retry");

    s.emulator
        .inject(Target::Api, Fault::ServerError { status: 503 }, 1);
    let error = spotify(s.client.send_with(
        GetArtist::new(id(RADIOHEAD)),
        Policy::default().max_retries(0),
    ));
    assert_eq!(error.status(), Some(503));
    // The session's own rules still hold for the next call: it retries the 503.
    s.emulator
        .inject(Target::Api, Fault::ServerError { status: 503 }, 1);
    assert_eq!(
        s.client.send(GetArtist::new(id(RADIOHEAD))).unwrap().name,
        "Radiohead"
    );
}

/// The error shapes Spotify has really sent, each as a switchable fault: a client copes with
/// every one (a retry where it may, a typed error with what there is otherwise).
#[test]
fn copes_with_every_error_shape_spotify_has_sent() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let client = T::connect(
        credentials,
        config_for(&emulator).with_default_retry_after(Duration::from_millis(10)),
    );
    let artist = || client.send(GetArtist::new(id(RADIOHEAD)));

    // 429 with an empty body or `{}`: waited out like any 429.
    emulator.inject(
        Target::Api,
        Fault::RateLimitEmptyBody { retry_after: None },
        1,
    );
    assert_eq!(artist().unwrap().name, "Radiohead");
    emulator.inject(Target::Api, Fault::RateLimitEmptyObject, 1);
    assert_eq!(artist().unwrap().name, "Radiohead");

    // 403 with no message; with a reason; as plain text.
    emulator.inject(Target::Api, Fault::Forbidden { reason: None }, 1);
    let bare = spotify(artist());
    assert!(
        matches!(&bare, Error::Api(api) if api.status == 403 && api.message.is_none()),
        "{bare:?}"
    );
    assert!(!bare.to_string().is_empty());
    emulator.inject(
        Target::Api,
        Fault::Forbidden {
            reason: Some("PREMIUM_REQUIRED"),
        },
        1,
    );
    assert_eq!(
        spotify(artist()).reason_kind(),
        Some(spotify_web_core::error::Reason::PremiumRequired)
    );
    emulator.inject(Target::Api, Fault::UserNotApproved, 1);
    let text = spotify(artist());
    assert_eq!(text.status(), Some(403));
    assert!(
        text.to_string().contains("User not approved for app"),
        "{text}"
    );

    // The accounts service: a text 503 is retried; `bearer` in lower case is a bearer token;
    // `invalid_client` without a description is still a typed refusal.
    emulator.expire_tokens();
    emulator.inject(Target::Token, Fault::TextUnavailable, 1);
    assert_eq!(artist().unwrap().name, "Radiohead");
    emulator.expire_tokens();
    emulator.inject(Target::Token, Fault::LowercaseBearer, 1);
    assert_eq!(artist().unwrap().name, "Radiohead");
    emulator.expire_tokens();
    emulator.inject(Target::Token, Fault::InvalidClientWithoutDescription, 1);
    let refused = spotify(artist());
    assert!(
        matches!(&refused, Error::Auth(auth) if auth.error == "invalid_client" && auth.description.is_none()),
        "{refused:?}"
    );
}

/// A 429 holds every call of the session, not only the one that received it: calls started
/// while the wait lasts send nothing (counted at the emulator) until it is over, then all go
/// through.
#[test]
fn a_429_holds_every_call_of_the_client_until_retry_after() {
    let s = Setup::<T>::new();
    s.client.send(GetArtist::new(id(RADIOHEAD))).unwrap();
    s.emulator.inject(
        Target::Api,
        Fault::RateLimit {
            retry_after: Some(2),
        },
        1,
    );
    let send = |client: &T| {
        let client = client.clone();
        std::thread::spawn(move || client.send(GetArtist::new(id(RADIOHEAD))))
    };
    let limited = send(&s.client);
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.emulator.requests(Route::Artist) < 2 {
        assert!(Instant::now() < deadline, "the 429 never came");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The client has read the 429 well within this.
    std::thread::sleep(Duration::from_millis(100));
    let held: Vec<_> = (0..8).map(|_| send(&s.client)).collect();
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(
        s.emulator.requests(Route::Artist),
        2,
        "no request may go out while Spotify asked the app to wait"
    );
    for call in std::iter::once(limited).chain(held) {
        assert_eq!(call.join().unwrap().unwrap().name, "Radiohead");
    }
    assert_eq!(s.emulator.requests(Route::Artist), 2 + 1 + 8);
}

/// With pacing on, a job of many calls against an app limited to 4 requests per 500 ms gets
/// no 429 at all; without, the same job collects them (and still ends, by waiting them out).
#[test]
fn pacing_keeps_a_bulk_job_under_the_rate_limit() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = || ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    // The client's window is a little longer than the emulator's, for the time between
    // sending a request and its arrival.
    let paced = T::connect(
        credentials(),
        config_for(&emulator).with_pacing(4, Duration::from_millis(600)),
    );
    paced.send(GetArtist::new(id(RADIOHEAD))).unwrap();
    emulator.set_rate_limit(Some((4, Duration::from_millis(500))));
    let started = Instant::now();
    for _ in 0..10 {
        paced.send(GetArtist::new(id(RADIOHEAD))).unwrap();
    }
    assert_eq!(emulator.rate_limited(), 0, "a paced job is never refused");
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "paced: 10 in 3 windows"
    );

    let unpaced = T::connect(credentials(), config_for(&emulator));
    for _ in 0..10 {
        unpaced.send(GetArtist::new(id(RADIOHEAD))).unwrap();
    }
    assert!(emulator.rate_limited() > 0, "the limit is real");
}

/// Clients that share a rate-limit gate (as processes share one through Redis) stop together:
/// a 429 with `Retry-After: 2` that one gets keeps another, ready to send, from sending
/// anything to the API until the wait is over.
#[test]
fn a_429_one_client_gets_holds_every_client_sharing_its_gate() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = || ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let gate = MemoryGate::default();
    let client = |gate: &MemoryGate| {
        let builder = T::with_gate(
            trusting_the_emulator(T::app_builder(credentials())).config(config_for(&emulator)),
            gate.clone(),
        );
        T::build(builder).unwrap_or_else(|e| panic!("{e}"))
    };
    let (first, second) = (client(&gate), client(&gate));
    emulator.inject(
        Target::Api,
        Fault::RateLimit {
            retry_after: Some(2),
        },
        1,
    );
    std::thread::scope(|scope| {
        let limited = scope.spawn(|| first.send(GetArtist::new(id(RADIOHEAD))));
        let started = Instant::now();
        while gate.remaining().is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the 429 was never shared"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        let held = scope.spawn(|| {
            let album = "2noRn2Aes5aoNVsU6iWThc".parse().unwrap();
            second.send(GetAlbum::new(album))
        });
        let mut looks = 0;
        while gate
            .remaining()
            .is_some_and(|left| left > Duration::from_millis(20))
        {
            assert_eq!(
                emulator.requests(Route::Album),
                0,
                "sent while the gate was closed"
            );
            looks += 1;
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(looks > 20, "watched {looks} times only");
        assert_eq!(held.join().unwrap().unwrap().name, "Discovery");
        assert_eq!(limited.join().unwrap().unwrap().name, "Radiohead");
    });
    assert_eq!(emulator.requests(Route::Album), 1);
    assert_eq!(
        emulator.requests(Route::Artist),
        2,
        "the 429, then its retry"
    );
}
