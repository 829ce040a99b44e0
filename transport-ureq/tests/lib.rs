//! The blocking client against the emulator: the shared conformance suite, and what is
//! particular to this transport.

use std::time::Duration;

use spotify_web_conformance::{Login, RADIOHEAD, Setup, SharedStore, Transport, config_for};
use spotify_web_core::Endpoint;
use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::authorize::UserClient;
use spotify_web_core::endpoint::NextPage;
use spotify_web_core::model::Page;
use spotify_web_core::session::Config;
use spotify_web_emulator::{Emulator, Fault, Route, Target};
use spotify_web_ureq::{Client, Error};

#[derive(Clone, Debug)]
struct Ureq(Client);

impl Transport for Ureq {
    type Error = Error;

    fn connect(credentials: ClientCredentials, config: Config) -> Self {
        Self(Client::builder(credentials).config(config).build().unwrap())
    }

    fn send<E>(&self, endpoint: E) -> Result<E::Output, Error>
    where
        E: Endpoint + Send + 'static,
        E::Output: Send + 'static,
    {
        self.0.send(endpoint)
    }

    fn items<E, T>(&self, endpoint: E, max: usize) -> Result<Vec<T>, Error>
    where
        E: Endpoint<Output = Page<T>> + Send + 'static,
        NextPage<T>: Endpoint<Output = Page<T>>,
        T: Send + 'static,
    {
        self.0.items(endpoint).max_items(max).collect()
    }

    fn user(
        user: UserClient,
        store: SharedStore,
        config: Config,
        login: Option<Login>,
    ) -> Result<Self, Error> {
        let builder = Client::user_builder(user, store).config(config);
        match login {
            Some(login) => builder.login(&login.code, &login.redirect, login.verifier.as_ref()),
            None => builder.build(),
        }
        .map(Self)
    }

    fn spotify_error(error: &Error) -> Option<&spotify_web_core::Error> {
        match error {
            Error::Spotify(e) => Some(e),
            _ => None,
        }
    }

    fn is_interrupted(error: &Error) -> bool {
        matches!(error, Error::Interrupted(_))
    }
}

spotify_web_conformance::conformance_suite!(Ureq);

fn credentials(emulator: &Emulator) -> ClientCredentials {
    ClientCredentials::new(emulator.client_id(), emulator.client_secret())
}

#[test]
fn refuses_answers_above_the_size_cap() {
    let emulator = Emulator::start().unwrap();
    let client = Client::builder(credentials(&emulator))
        .config(config_for(&emulator))
        .max_body_size(200)
        .build()
        .unwrap();
    // The token answer fits in 200 bytes; the artist does not.
    let error = client.artist(RADIOHEAD).unwrap_err();
    assert!(matches!(error, Error::TooLarge { limit: 200 }), "{error:?}");
    assert!(error.to_string().contains("200-byte cap"), "{error}");
    assert_eq!(
        emulator.requests(Route::Artist),
        1,
        "too large is not retried"
    );
    // The client is still usable afterwards.
    let small = Client::builder(credentials(&emulator))
        .config(config_for(&emulator))
        .build()
        .unwrap();
    assert!(small.artist(RADIOHEAD).is_ok());
}

#[test]
fn reports_a_server_that_is_not_there_as_a_connect_error() {
    let emulator = Emulator::start().unwrap();
    let config = config_for(&emulator);
    let credentials = credentials(&emulator);
    drop(emulator);
    let client = Client::builder(credentials).config(config).build().unwrap();
    let error = client.artist(RADIOHEAD).unwrap_err();
    assert!(matches!(error, Error::Connect(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("could not connect to spotify"),
        "{error}"
    );
}

#[test]
fn times_out_a_slow_answer() {
    let emulator = Emulator::start().unwrap();
    let client = Client::builder(credentials(&emulator))
        .config(config_for(&emulator).max_retries(0))
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    client.artist(RADIOHEAD).unwrap();
    emulator.inject(Target::Api, Fault::Delay(Duration::from_secs(3)), 1);
    let error = client.artist(RADIOHEAD).unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
}

#[test]
fn with_base_urls_checks_them() {
    let credentials = ClientCredentials::new("id", "secret");
    let error =
        Client::with_base_urls(credentials, "ftp://127.0.0.1", "http://127.0.0.1/v1").unwrap_err();
    assert!(
        matches!(
            error,
            Error::Spotify(spotify_web_core::Error::InvalidUrl(_))
        ),
        "{error:?}"
    );
}

#[test]
fn artist_refuses_a_bad_id_before_sending() {
    let s = Setup::<Ureq>::new();
    let error = s
        .client
        .0
        .artist("https://open.spotify.com/album/4Z8W4fKeB5YxbusRsdQVPb")
        .unwrap_err();
    assert!(
        matches!(error, Error::Spotify(spotify_web_core::Error::InvalidId(_))),
        "{error:?}"
    );
    assert_eq!(s.emulator.requests(Route::Token), 0);
}

#[test]
fn debug_of_the_client_shows_no_secret_or_token() {
    let s = Setup::<Ureq>::new();
    s.client.0.artist(RADIOHEAD).unwrap();
    let debug = format!("{:?}", s.client.0);
    assert!(!debug.contains(s.emulator.client_secret()), "{debug}");
    assert!(!debug.contains("BQ"), "a token leaked: {debug}");
}
