//! The blocking client against the emulator: the shared conformance suite, and what is
//! particular to this transport.

use std::time::Duration;

use spotify_web_conformance::{Failure, Login, RADIOHEAD, Setup, SharedStore, Transport};
use spotify_web_core::Endpoint;
use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::authorize::UserClient;
use spotify_web_core::endpoint::NextPage;
use spotify_web_core::model::Page;
use spotify_web_core::session::Config;
use spotify_web_emulator::Route;
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
            Some(login) => builder.login(login.code, &login.redirect, login.verifier.as_ref()),
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

    fn failure(error: &Error) -> Failure {
        match error {
            Error::Spotify(_) => Failure::Spotify,
            Error::Connect(_) => Failure::Connect,
            Error::Timeout(_) => Failure::Timeout,
            Error::Interrupted(_) => Failure::Interrupted,
            Error::TooLarge { .. } => Failure::TooLarge,
            _ => Failure::Other,
        }
    }

    fn connect_with_limits(
        credentials: ClientCredentials,
        config: Config,
        max_body_size: usize,
        timeout: Duration,
    ) -> Self {
        let builder = Client::builder(credentials).config(config);
        Self(
            builder
                .max_body_size(max_body_size as u64)
                .timeout(timeout)
                .build()
                .unwrap(),
        )
    }
}

spotify_web_conformance::conformance_suite!(Ureq);

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
