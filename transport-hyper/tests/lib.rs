//! The async client against the emulator: the shared conformance suite, and what is
//! particular to this transport (tasks, cancellation).

use std::sync::Arc;
use std::time::Duration;

use spotify_web_conformance::{Failure, Login, RADIOHEAD, SharedStore, Transport, config_for};
use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::authorize::UserClient;
use spotify_web_core::endpoint::NextPage;
use spotify_web_core::model::Page;
use spotify_web_core::session::Config;
use spotify_web_core::{Endpoint, GetArtist};
use spotify_web_emulator::{Emulator, Fault, Route, Target};
use spotify_web_hyper::{Client, Error};
use tokio::runtime::Runtime;

/// The async client, driven from blocking test code through a shared runtime.
#[derive(Clone, Debug)]
struct Hyper {
    client: Client,
    runtime: Arc<Runtime>,
}

impl Transport for Hyper {
    type Error = Error;

    fn connect(credentials: ClientCredentials, config: Config) -> Self {
        Self {
            client: Client::builder(credentials).config(config).build().unwrap(),
            runtime: Arc::new(Runtime::new().unwrap()),
        }
    }

    fn send<E>(&self, endpoint: E) -> Result<E::Output, Error>
    where
        E: Endpoint + Send + 'static,
        E::Output: Send + 'static,
    {
        self.runtime.block_on(self.client.send(endpoint))
    }

    fn items<E, T>(&self, endpoint: E, max: usize) -> Result<Vec<T>, Error>
    where
        E: Endpoint<Output = Page<T>> + Send + 'static,
        NextPage<T>: Endpoint<Output = Page<T>>,
        T: Send + 'static,
    {
        self.runtime.block_on(async {
            let mut items = self.client.items(endpoint).max_items(max);
            let mut out = Vec::new();
            while let Some(item) = items.next().await {
                out.push(item?);
            }
            Ok(out)
        })
    }

    fn user(
        user: UserClient,
        store: SharedStore,
        config: Config,
        login: Option<Login>,
    ) -> Result<Self, Error> {
        let runtime = Arc::new(Runtime::new().unwrap());
        let builder = Client::user_builder(user, store).config(config);
        let client = match login {
            Some(login) => runtime.block_on(builder.login(
                login.code,
                &login.redirect,
                login.verifier.as_ref(),
            ))?,
            None => builder.build()?,
        };
        Ok(Self { client, runtime })
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
            Error::Timeout => Failure::Timeout,
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
        Self {
            client: builder
                .max_body_size(max_body_size)
                .timeout(timeout)
                .build()
                .unwrap(),
            runtime: Arc::new(Runtime::new().unwrap()),
        }
    }
}

spotify_web_conformance::conformance_suite!(Hyper);

fn client(emulator: &Emulator, config: Config) -> Client {
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    Client::builder(credentials).config(config).build().unwrap()
}

fn radiohead() -> GetArtist {
    GetArtist::new(RADIOHEAD.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_concurrent_calls_cause_one_token_request() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator, config_for(&emulator));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let client = client.clone();
        tasks.spawn(async move { client.send(radiohead()).await });
    }
    while let Some(result) = tasks.join_next().await {
        assert_eq!(result.unwrap().unwrap().name, "Radiohead");
    }
    assert_eq!(emulator.requests(Route::Token), 1);
    assert_eq!(emulator.requests(Route::Artist), 64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expiring_mid_run_is_renewed_once() {
    let emulator = Emulator::start().unwrap();
    let client = client(&emulator, config_for(&emulator));
    let barrier = Arc::new(tokio::sync::Barrier::new(65));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let (client, barrier) = (client.clone(), Arc::clone(&barrier));
        tasks.spawn(async move {
            let first = client.send(radiohead()).await.map(|a| a.name);
            barrier.wait().await;
            barrier.wait().await;
            let second = client.send(radiohead()).await.map(|a| a.name);
            (first, second)
        });
    }
    barrier.wait().await;
    // Every task has its first answer; the server now refuses the token they share.
    emulator.expire_tokens();
    barrier.wait().await;
    while let Some(result) = tasks.join_next().await {
        let (first, second) = result.unwrap();
        assert_eq!(first.unwrap(), "Radiohead");
        assert_eq!(second.unwrap(), "Radiohead");
    }
    assert_eq!(emulator.requests(Route::Token), 2);
}

#[tokio::test]
async fn a_dropped_call_does_not_hold_up_the_token() {
    let emulator = Emulator::start().unwrap();
    // Others would wait a minute for an abandoned token request if nobody said so.
    let client = client(
        &emulator,
        config_for(&emulator).token_wait(Duration::from_secs(60)),
    );
    emulator.inject(Target::Token, Fault::Delay(Duration::from_secs(5)), 1);
    let dropped = tokio::time::timeout(Duration::from_millis(100), client.send(radiohead())).await;
    assert!(
        dropped.is_err(),
        "the first call should still have been waiting"
    );
    let artist = tokio::time::timeout(Duration::from_secs(4), client.send(radiohead())).await;
    assert_eq!(
        artist
            .expect("the second call waited for the dropped one")
            .unwrap()
            .name,
        "Radiohead"
    );
}

#[test]
fn the_client_is_clone_send_and_sync() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<Client>();
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::new(ClientCredentials::new("id", "secret")).unwrap();
    assert_send(&client.send(radiohead()));
    let debug = format!("{client:?}");
    assert!(!debug.contains("\"secret\""), "{debug}");
}

#[test]
fn with_base_urls_checks_them() {
    let credentials = ClientCredentials::new("id", "secret");
    let error =
        Client::with_base_urls(credentials, "http://127.0.0.1", "ftp://127.0.0.1/v1").unwrap_err();
    assert!(
        matches!(
            error,
            Error::Spotify(spotify_web_core::Error::InvalidUrl(_))
        ),
        "{error:?}"
    );
}
