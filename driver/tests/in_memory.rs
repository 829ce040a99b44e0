//! The driver over a transport that answers from memory: what the driver itself decides,
//! whatever the HTTP library.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::endpoint::GetArtist;
use spotify_web_driver::blocking::Client;
use spotify_web_driver::{Bytes, Error, Failure, FailureKind, Limits, Settings, Transport};

const TOKEN: &[u8] =
    br#"{"access_token":"BQD-canned-token","token_type":"Bearer","expires_in":3600}"#;
const ARTIST: &[u8] = br#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"Radiohead"}"#;

/// What the canned transport answers next: a status and body, or a failure of this kind.
type Outcome = Result<(u16, &'static [u8]), FailureKind>;

/// A request the canned transport was given, with its limits.
type Sent = (http::Request<Vec<u8>>, Limits);

/// Answers each request with the next canned outcome (or a token, or the artist), and keeps
/// every request it was given.
#[derive(Clone, Default)]
struct Canned {
    outcomes: Arc<Mutex<VecDeque<Outcome>>>,
    requests: Arc<Mutex<Vec<Sent>>>,
}

impl Transport for Canned {
    fn with_settings(_: &Settings) -> Result<Self, Failure> {
        Ok(Self::default())
    }

    fn send(
        &self,
        request: http::Request<Vec<u8>>,
        limits: Limits,
    ) -> Result<http::Response<Bytes>, Failure> {
        let token = request.uri().path().ends_with("/api/token");
        self.requests.lock().unwrap().push((request, limits));
        let outcome = self.outcomes.lock().unwrap().pop_front();
        let (status, body) = match outcome {
            Some(Ok(answer)) => answer,
            Some(Err(kind)) => return Err(Failure::new(kind, "canned failure")),
            None if token => (200, TOKEN),
            None => (200, ARTIST),
        };
        Ok(http::Response::builder()
            .status(status)
            .body(Bytes::copy_from_slice(body))
            .unwrap())
    }
}

fn client(canned: &Canned) -> Client<Canned> {
    Client::builder(ClientCredentials::new("client-id", "client-secret-value"))
        .timeout(Duration::from_millis(1234))
        .max_body_size(4096)
        .transport(canned.clone())
        .build()
        .unwrap()
}

fn radiohead() -> GetArtist {
    GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap())
}

#[test]
fn every_exchange_gets_the_builders_deadline_and_cap_and_a_user_agent() {
    let canned = Canned::default();
    assert_eq!(client(&canned).send(radiohead()).unwrap().name, "Radiohead");
    let requests = canned.requests.lock().unwrap();
    assert_eq!(requests.len(), 2, "a token, then the artist");
    for (request, limits) in requests.iter() {
        assert_eq!(*limits, Limits::new(Duration::from_millis(1234), 4096));
        let agent = request.headers()[http::header::USER_AGENT]
            .to_str()
            .unwrap();
        assert!(agent.starts_with("spotify-web/"), "{agent}");
    }
}

#[test]
fn a_permanent_failure_is_never_retried_and_keeps_its_kind() {
    for (kind, check) in [
        (
            FailureKind::Tls,
            (|e: &Error| matches!(e, Error::Tls(_))) as fn(&Error) -> bool,
        ),
        (FailureKind::TooLarge, |e| {
            matches!(e, Error::TooLarge { limit: 4096 })
        }),
        (FailureKind::HeaderTooLarge, |e| {
            matches!(e, Error::HeaderTooLarge(_))
        }),
    ] {
        let canned = Canned::default();
        let client = client(&canned);
        client.send(radiohead()).unwrap();
        canned.outcomes.lock().unwrap().push_back(Err(kind));
        let error = client.send(radiohead()).unwrap_err();
        assert!(check(&error), "{kind:?}: {error:?}");
        assert_eq!(
            canned.requests.lock().unwrap().len(),
            3,
            "{kind:?}: sent once"
        );
        // The client is still usable.
        client.send(radiohead()).unwrap();
    }
}

#[test]
fn a_retried_failure_ends_with_its_own_kind_and_source() {
    let canned = Canned::default();
    let client = Client::builder(ClientCredentials::new("client-id", "client-secret-value"))
        .config(
            spotify_web_core::session::Config::default()
                .with_max_retries(1)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(1)),
        )
        .transport(canned.clone())
        .build()
        .unwrap();
    client.send(radiohead()).unwrap();
    canned
        .outcomes
        .lock()
        .unwrap()
        .extend([Err(FailureKind::Interrupted), Err(FailureKind::Interrupted)]);
    let error = client.send(radiohead()).unwrap_err();
    assert!(matches!(error, Error::Interrupted(_)), "{error:?}");
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert_eq!(source, "canned failure");
    assert!(
        !error.to_string().contains("canned failure"),
        "Display does not repeat its source"
    );
}

#[test]
fn a_bad_id_or_url_is_refused_before_anything_is_sent() {
    let canned = Canned::default();
    let client = client(&canned);
    let get = |id: &str| -> Result<_, Error> { client.send(GetArtist::new(id.parse()?)) };
    let error = get("https://open.spotify.com/album/4Z8W4fKeB5YxbusRsdQVPb").unwrap_err();
    assert!(
        matches!(error, Error::Spotify(spotify_web_core::Error::InvalidId(_))),
        "{error:?}"
    );
    assert!(canned.requests.lock().unwrap().is_empty());
    let error = Client::<Canned>::with_base_urls(
        ClientCredentials::new("id", "secret"),
        "ftp://127.0.0.1",
        "http://127.0.0.1/v1",
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Spotify(spotify_web_core::Error::InvalidUrl(_))
        ),
        "{error:?}"
    );
}

#[test]
fn the_client_is_clone_send_sync_and_its_debug_hides_secrets() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client<Canned>>();
    let canned = Canned::default();
    let client = client(&canned);
    client.send(radiohead()).unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("client-secret-value"), "{debug}");
    assert!(!debug.contains("BQD-canned-token"), "{debug}");
}
