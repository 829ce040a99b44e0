//! One behaviour suite for every transport, run against the emulator.
//!
//! A transport implements [`Transport`] (a handful of lines: build a client for an emulator,
//! send an endpoint, say which of its errors carry the core's error) and invokes
//! [`conformance_suite!`] in its tests. Every rule the session promises is then checked
//! end to end through that transport's real I/O.

use core::fmt;
use std::time::{Duration, Instant};

use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::error::{ApiError, AuthError};
use spotify_web_core::id::ArtistId;
use spotify_web_core::session::Config;
use spotify_web_core::url::BaseUrl;
use spotify_web_core::{Endpoint, Error, GetArtist};
use spotify_web_emulator::{Emulator, Fault, Route, Target};

/// What the suite needs from a transport.
pub trait Transport: Clone + Send + Sync + 'static {
    /// The transport's error type.
    type Error: std::error::Error + Send + 'static;

    /// A client for the emulator's URLs with these credentials and this session configuration
    /// (its base URLs are already the emulator's).
    fn connect(credentials: ClientCredentials, config: Config) -> Self;

    /// Sends one endpoint to its end, blocking the calling thread.
    fn send<E>(&self, endpoint: E) -> Result<E::Output, Self::Error>
    where
        E: Endpoint + Send + 'static,
        E::Output: Send + 'static;

    /// The core's error inside a transport error, if that is what it is.
    fn spotify_error(error: &Self::Error) -> Option<&Error>;

    /// Whether the error says the connection broke or the answer was cut short.
    fn is_interrupted(error: &Self::Error) -> bool;
}

/// The tutorial's artist.
pub const RADIOHEAD: &str = "4Z8W4fKeB5YxbusRsdQVPb";

/// An emulator and a client of the transport under test, with quick retries.
pub struct Setup<T> {
    /// The emulator the client talks to.
    pub emulator: Emulator,
    /// The client.
    pub client: T,
}

impl<T> fmt::Debug for Setup<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Setup")
            .field("emulator", &self.emulator)
            .finish_non_exhaustive()
    }
}

/// A session configuration for `emulator` with short backoffs, so tests stay quick.
pub fn config_for(emulator: &Emulator) -> Config {
    let url = |u: &str| BaseUrl::new(u).unwrap_or_else(|e| panic!("emulator URL {u}: {e}"));
    Config::default()
        .accounts_url(url(emulator.accounts_url()))
        .api_url(url(&emulator.api_url()))
        .backoff(Duration::from_millis(5), Duration::from_millis(50))
}

impl<T: Transport> Setup<T> {
    /// A default emulator and a client with its credentials.
    pub fn new() -> Self {
        Self::with(Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}")))
    }

    /// A client for this emulator.
    pub fn with(emulator: Emulator) -> Self {
        let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
        let client = T::connect(credentials, config_for(&emulator));
        Self { emulator, client }
    }

    /// Get Artist through the client.
    pub fn artist(&self, id: &str) -> Result<spotify_web_core::model::Artist, T::Error> {
        let id: ArtistId = id.parse().unwrap_or_else(|e| panic!("{id}: {e}"));
        self.client.send(GetArtist::new(id))
    }
}

impl<T: Transport> Default for Setup<T> {
    fn default() -> Self {
        Self::new()
    }
}

fn spotify<T: Transport>(result: Result<impl fmt::Debug, T::Error>) -> Error {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(error) => T::spotify_error(&error)
            .cloned()
            .unwrap_or_else(|| panic!("expected Spotify's error, got the transport's: {error}")),
    }
}

/// The tutorial, end to end: one token request, then the artist.
pub fn tutorial_flow<T: Transport>() {
    let s = Setup::<T>::new();
    let artist = s.artist(RADIOHEAD).unwrap();
    assert_eq!(artist.name, "Radiohead");
    assert_eq!(artist.followers.map(|f| f.total), Some(7_625_607));
    assert_eq!(artist.genres.len(), 6);
    assert_eq!(s.emulator.requests(Route::Token), 1);
    assert_eq!(s.emulator.requests(Route::Artist), 1);
}

/// IDs, URIs and share links all reach the same artist.
pub fn accepts_ids_uris_and_links<T: Transport>() {
    let s = Setup::<T>::new();
    for id in [
        RADIOHEAD,
        "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb",
        "https://open.spotify.com/intl-de/artist/4Z8W4fKeB5YxbusRsdQVPb?si=x1",
    ] {
        assert_eq!(s.artist(id).unwrap().name, "Radiohead");
    }
}

/// A token lasts for many calls.
pub fn reuses_one_token_for_100_calls<T: Transport>() {
    let s = Setup::<T>::new();
    for _ in 0..100 {
        s.artist(RADIOHEAD).unwrap();
    }
    assert_eq!(s.emulator.requests(Route::Token), 1);
    assert_eq!(s.emulator.requests(Route::Artist), 100);
}

/// When the server expires the token, the next call gets a new one and succeeds.
pub fn reauthenticates_after_the_token_expires<T: Transport>() {
    let s = Setup::<T>::new();
    s.artist(RADIOHEAD).unwrap();
    s.emulator.expire_tokens();
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    assert_eq!(s.emulator.requests(Route::Token), 2);
    assert_eq!(s.emulator.requests(Route::Artist), 3);
}

/// Calls from many threads at once, with no token yet, cause one token request.
pub fn concurrent_calls_share_one_token_request<T: Transport>() {
    let s = Setup::<T>::new();
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let client = s.client.clone();
            std::thread::spawn(move || {
                let id: ArtistId = RADIOHEAD.parse().unwrap_or_else(|e| panic!("{e}"));
                (0..4)
                    .map(|_| client.send(GetArtist::new(id)).map(|a| a.name))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for thread in threads {
        for name in thread
            .join()
            .unwrap_or_else(|_| panic!("a calling thread panicked"))
        {
            assert_eq!(name.unwrap(), "Radiohead");
        }
    }
    assert_eq!(s.emulator.requests(Route::Token), 1);
    assert_eq!(s.emulator.requests(Route::Artist), 64);
}

/// A 429 with a short `Retry-After` is waited out.
pub fn honours_retry_after<T: Transport>() {
    let s = Setup::<T>::new();
    s.artist(RADIOHEAD).unwrap();
    s.emulator.inject(
        Target::Api,
        Fault::RateLimit {
            retry_after: Some(1),
        },
        1,
    );
    let started = Instant::now();
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "did not wait the second it was asked to"
    );
    assert_eq!(s.emulator.requests(Route::Artist), 3);
}

/// A 429 asking for hours ends the call at once with the value.
pub fn fails_fast_on_a_long_retry_after<T: Transport>() {
    let s = Setup::<T>::new();
    s.emulator.inject(
        Target::Api,
        Fault::RateLimit {
            retry_after: Some(20_000),
        },
        1,
    );
    assert_eq!(
        spotify::<T>(s.artist(RADIOHEAD)),
        Error::RateLimited {
            retry_after: Some(Duration::from_secs(20_000))
        }
    );
    assert_eq!(s.emulator.requests(Route::Artist), 1);
}

/// A short burst of 5xx is retried away; a long one ends with the last answer.
pub fn retries_server_errors_within_the_budget<T: Transport>() {
    let s = Setup::<T>::new();
    for status in [500, 502, 503] {
        s.emulator
            .inject(Target::Api, Fault::ServerError { status }, 1);
    }
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    assert_eq!(s.emulator.requests(Route::Artist), 4);
    s.emulator
        .inject(Target::Api, Fault::ServerError { status: 503 }, 4);
    let error = spotify::<T>(s.artist(RADIOHEAD));
    assert!(
        matches!(&error, Error::UnexpectedStatus(e) if e.status == 503),
        "{error:?}"
    );
    assert_eq!(s.emulator.requests(Route::Artist), 8);
}

/// A token request that meets a 5xx is retried too.
pub fn retries_token_requests<T: Transport>() {
    let s = Setup::<T>::new();
    s.emulator
        .inject(Target::Token, Fault::ServerError { status: 503 }, 2);
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    assert_eq!(s.emulator.requests(Route::Token), 3);
}

/// A body cut short is retried; cut short every time, it is a clear error, not a panic.
pub fn survives_truncated_bodies<T: Transport>() {
    let s = Setup::<T>::new();
    s.artist(RADIOHEAD).unwrap();
    s.emulator.inject(Target::Api, Fault::TruncatedBody, 1);
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    s.emulator.inject(Target::Api, Fault::TruncatedBody, 4);
    let error = s.artist(RADIOHEAD).unwrap_err();
    assert!(T::is_interrupted(&error), "{error:?}");
    assert!(!error.to_string().is_empty());
}

/// A body that is not JSON is a decode error that says what it was decoding.
pub fn reports_malformed_bodies<T: Transport>() {
    let s = Setup::<T>::new();
    s.emulator.inject(Target::Api, Fault::MalformedJson, 1);
    let error = spotify::<T>(s.artist(RADIOHEAD));
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
pub fn survives_dropped_connections<T: Transport>() {
    let s = Setup::<T>::new();
    s.artist(RADIOHEAD).unwrap();
    s.emulator.inject(Target::Api, Fault::DropConnection, 2);
    assert_eq!(s.artist(RADIOHEAD).unwrap().name, "Radiohead");
    s.emulator.inject(Target::Api, Fault::DropConnection, 4);
    let error = s.artist(RADIOHEAD).unwrap_err();
    assert!(T::is_interrupted(&error), "{error:?}");
}

/// An unknown artist is Spotify's 404; a malformed ID never leaves the client.
pub fn reports_not_found_and_refuses_invalid_ids<T: Transport>() {
    let s = Setup::<T>::new();
    let error = spotify::<T>(s.artist("0000000000000000000000"));
    assert!(
        matches!(&error, Error::Api(ApiError { status: 404, message: Some(m), .. }) if m == "Resource not found"),
        "{error:?}"
    );
    assert!("../../me".parse::<ArtistId>().is_err());
    assert!(
        "spotify:track:4Z8W4fKeB5YxbusRsdQVPb"
            .parse::<ArtistId>()
            .is_err()
    );
    assert_eq!(s.emulator.requests(Route::Artist), 1);
}

/// The 2026 development-mode shape parses, with the dropped fields absent.
pub fn parses_the_slim_development_mode_artist<T: Transport>() {
    let s = Setup::<T>::with(
        Emulator::builder()
            .development_mode(true)
            .start()
            .unwrap_or_else(|e| panic!("emulator: {e}")),
    );
    let artist = s.artist(RADIOHEAD).unwrap();
    assert_eq!(artist.name, "Radiohead");
    assert_eq!(artist.followers, None);
    assert_eq!(artist.popularity, None);
}

/// Wrong credentials end the call with the accounts error, and print no secret.
pub fn reports_wrong_credentials_without_the_secret<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = ClientCredentials::new(emulator.client_id(), "canary-wrong-secret");
    let client = T::connect(credentials, config_for(&emulator));
    let id: ArtistId = RADIOHEAD.parse().unwrap_or_else(|e| panic!("{e}"));
    let result = client.send(GetArtist::new(id));
    let error = result
        .as_ref()
        .err()
        .map(|e| (e.to_string(), format!("{e:?}")));
    let refusal = spotify::<T>(result);
    assert!(
        matches!(&refusal, Error::Auth(AuthError { status: 400, error, description: Some(d), .. })
            if error == "invalid_client" && d == "Invalid client secret"),
        "{refusal:?}"
    );
    let (display, debug) = error.unwrap_or_default();
    assert!(
        !display.contains("canary") && !debug.contains("canary"),
        "{display} / {debug}"
    );
    assert_eq!(emulator.requests(Route::Artist), 0);
}

/// Generates one `#[test]` per rule of the suite for a transport.
#[macro_export]
macro_rules! conformance_suite {
    ($transport:ty) => {
        $crate::conformance_suite!(@tests $transport;
            tutorial_flow,
            accepts_ids_uris_and_links,
            reuses_one_token_for_100_calls,
            reauthenticates_after_the_token_expires,
            concurrent_calls_share_one_token_request,
            honours_retry_after,
            fails_fast_on_a_long_retry_after,
            retries_server_errors_within_the_budget,
            retries_token_requests,
            survives_truncated_bodies,
            reports_malformed_bodies,
            survives_dropped_connections,
            reports_not_found_and_refuses_invalid_ids,
            parses_the_slim_development_mode_artist,
            reports_wrong_credentials_without_the_secret,
        );
    };
    (@tests $transport:ty; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $crate::$name::<$transport>();
            }
        )*
    };
}
