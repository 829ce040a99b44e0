//! An async Spotify Web API client: [`spotify_web_core`]'s session driven over hyper and tokio.
//!
//! This crate only moves bytes. Requests, answers, token reuse, re-authentication and the
//! retry policy all live in the core; here are hyper-util's connection pool, timeouts, a cap
//! on the size of answers, rustls (with the `ring` provider) and tokio's timer.
//!
//! ```
//! # let emulator = spotify_web_emulator::Emulator::start().unwrap();
//! # let (accounts, api) = (emulator.accounts_url().to_owned(), emulator.api_url());
//! # let (id, secret) = (emulator.client_id(), emulator.client_secret());
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use spotify_web_core::GetArtist;
//! use spotify_web_core::auth::ClientCredentials;
//! use spotify_web_hyper::Client;
//!
//! let credentials = ClientCredentials::new(id, secret);
//! // `Client::new(credentials)` talks to Spotify; here, to a local emulator.
//! let client = Client::with_base_urls(credentials, &accounts, &api)?;
//! let artist = client.send(GetArtist::new("spotify:artist:4Z8W4fKeB5YxbusRsdQVPb".parse()?)).await?;
//! assert_eq!(artist.name, "Radiohead");
//! # Ok::<(), spotify_web_hyper::Error>(())
//! # }).unwrap();
//! ```
//!
//! The client is `Clone + Send + Sync` and cheap to clone: clones share one connection pool
//! and one token, and concurrent calls that find no token cause one token request.

mod error;
mod pages;

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::http;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::authorize::{AuthorizationCode, PkceVerifier, RedirectUri, UserClient};
use spotify_web_core::endpoint::NextPage;
use spotify_web_core::error::TransportFailure;
use spotify_web_core::id::ArtistId;
use spotify_web_core::model::{Artist, Page};
use spotify_web_core::session::{Call, Config, Session, Step};
use spotify_web_core::store::TokenStore;
use spotify_web_core::time::Instant;
use spotify_web_core::url::BaseUrl;
use spotify_web_core::{Endpoint, GetArtist};
use spotify_web_store::{LoginError, SessionStore, StoreError};
use tokio::sync::Notify;

pub use spotify_web_store::FileTokenStore;

pub use crate::error::{Error, Source};
pub use crate::pages::Items;

/// The default cap on the size of an answer's body: 8 MiB, far above any Spotify answer.
pub const DEFAULT_MAX_BODY_SIZE: usize = 8 * 1024 * 1024;

/// Who the client acts for.
#[derive(Debug)]
enum Grant {
    App(ClientCredentials),
    User(UserClient, SessionStore),
}

/// Settings for a [`Client`].
#[derive(Debug)]
pub struct Builder {
    grant: Grant,
    config: Config,
    connect_timeout: Duration,
    timeout: Duration,
    max_body_size: usize,
}

impl Builder {
    /// The defaults, for this grant.
    fn with_grant(grant: Grant) -> Self {
        Self {
            grant,
            config: Config::default(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }

    /// The session's configuration: base URLs, retry policy, token margin.
    #[must_use]
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// How long to wait for a connection (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one exchange may take, from sending to the last byte of the answer
    /// (default 30 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest answer body accepted, in bytes (default [`DEFAULT_MAX_BODY_SIZE`]).
    /// Reading stops at the cap: a larger answer is never held whole.
    #[must_use]
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Builds the client. It needs no runtime until its first call. For a user (see
    /// [`Client::user_builder`]), the session starts from the token the store holds.
    ///
    /// # Errors
    ///
    /// [`Error::Tls`] if rustls cannot be set up with the `ring` provider. For a user:
    /// [`spotify_web_core::Error::LoginRequired`] if the store holds no token (sign the user
    /// in with [`login`](Self::login)), [`Error::TokenStore`] if it cannot be read.
    pub fn build(self) -> Result<Client, Error> {
        let http = http_client(&self)?;
        let seed = RandomState::new().hash_one(std::time::SystemTime::now());
        let (session, store) = match self.grant {
            Grant::App(credentials) => (Session::new(credentials, self.config, seed), None),
            Grant::User(user, store) => {
                let session = store
                    .load_session(user, self.config, seed, Instant::ZERO)
                    .map_err(Error::TokenStore)?
                    .ok_or(spotify_web_core::Error::LoginRequired)?;
                (session, Some(store))
            }
        };
        Ok(Client::assemble(
            http,
            session,
            store,
            std::time::Instant::now(),
            self.timeout,
            self.max_body_size,
        ))
    }

    /// Signs a user in: exchanges the code from the callback for tokens, saves them to the
    /// store, and builds the client. One attempt: a code works only once.
    ///
    /// # Errors
    ///
    /// [`Error::Spotify`] with the accounts service's refusal (such as `invalid_grant`), or
    /// [`spotify_web_core::Error::InvalidArgument`] if this builder is not for a user or a
    /// PKCE app gives no verifier; transport errors as for any call; [`Error::TokenStore`] if
    /// the tokens cannot be saved.
    pub async fn login(
        self,
        code: AuthorizationCode,
        redirect: &RedirectUri,
        verifier: Option<&PkceVerifier>,
    ) -> Result<Client, Error> {
        let http = http_client(&self)?;
        let Grant::User(user, store) = self.grant else {
            return Err(spotify_web_core::Error::InvalidArgument {
                what: "login is for a client made with Client::user_builder",
            }
            .into());
        };
        let epoch = std::time::Instant::now();
        let code_exchange = user.code_exchange(self.config.accounts(), code, redirect, verifier)?;
        let request = code_exchange.request().clone();
        let response = exchange(&http, request, self.timeout, self.max_body_size)
            .await
            .map_err(|failed| match failed {
                Failed::Retry(_, error) | Failed::Fatal(error) => error,
            })?;
        let now = Instant::from_duration(epoch.elapsed());
        let seed = RandomState::new().hash_one(std::time::SystemTime::now());
        let answer = spotify_web_core::message::Response::from(&response);
        let session = store
            .finish_login(user, self.config, seed, code_exchange, &answer, now)
            .map_err(|e| match e {
                LoginError::Spotify(e) => Error::Spotify(e),
                LoginError::Store(e) => Error::TokenStore(e),
            })?;
        Ok(Client::assemble(
            http,
            session,
            Some(store),
            epoch,
            self.timeout,
            self.max_body_size,
        ))
    }
}

/// One pooled client per `Client`: one connection pool.
fn http_client(
    builder: &Builder,
) -> Result<HyperClient<HttpsConnector<HttpConnector>, Full<Bytes>>, Error> {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(Some(builder.connect_timeout));
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
        .map_err(|e| Error::Tls(Box::new(e)))?
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(HyperClient::builder(TokioExecutor::new()).build(https))
}

/// An async client for the Spotify Web API.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: HyperClient<HttpsConnector<HttpConnector>, Full<Bytes>>,
    session: Mutex<Session>,
    /// Where a user's new tokens are saved.
    store: Option<SessionStore>,
    /// Woken whenever a call reports to the session, so waiting calls look again.
    changed: Notify,
    /// How many calls are waiting on `changed`: reports skip the wake-up when none are.
    waiting: AtomicUsize,
    epoch: std::time::Instant,
    timeout: Duration,
    max_body_size: usize,
}

/// How one exchange ended, when it did not end with an answer.
enum Failed {
    /// The session decides whether to retry.
    Retry(TransportFailure, Error),
    /// Retrying cannot help.
    Fatal(Error),
}

impl Client {
    fn assemble(
        http: HyperClient<HttpsConnector<HttpConnector>, Full<Bytes>>,
        session: Session,
        store: Option<SessionStore>,
        epoch: std::time::Instant,
        timeout: Duration,
        max_body_size: usize,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                http,
                session: Mutex::new(session),
                store,
                changed: Notify::new(),
                waiting: AtomicUsize::new(0),
                epoch,
                timeout,
                max_body_size,
            }),
        }
    }

    /// A client for Spotify's accounts service and Web API, with the default settings.
    ///
    /// # Errors
    ///
    /// As [`Builder::build`].
    pub fn new(credentials: ClientCredentials) -> Result<Self, Error> {
        Self::builder(credentials).build()
    }

    /// A client for other base URLs, such as an emulator's: `accounts` serves `/api/token`,
    /// `api` is the Web API's base (ending in `/v1` for Spotify).
    ///
    /// # Errors
    ///
    /// [`Error::Spotify`] with [`spotify_web_core::Error::InvalidUrl`] if a URL is not a plain
    /// `http(s)://host[/path]`; otherwise as [`Builder::build`].
    pub fn with_base_urls(
        credentials: ClientCredentials,
        accounts: &str,
        api: &str,
    ) -> Result<Self, Error> {
        let config = Config::default()
            .accounts_url(BaseUrl::new(accounts).map_err(spotify_web_core::Error::from)?)
            .api_url(BaseUrl::new(api).map_err(spotify_web_core::Error::from)?);
        Self::builder(credentials).config(config).build()
    }

    /// Settings for a client acting for a user, whose tokens `store` keeps: build it from a
    /// saved login with [`Builder::build`], or sign the user in with [`Builder::login`].
    pub fn user_builder<S>(user: UserClient, store: S) -> Builder
    where
        S: TokenStore + Send + 'static,
        S::Error: Into<StoreError>,
    {
        Builder::with_grant(Grant::User(user, SessionStore::new(store)))
    }

    /// Settings for a client, starting from the defaults.
    pub fn builder(credentials: ClientCredentials) -> Builder {
        Builder::with_grant(Grant::App(credentials))
    }

    /// Sends any endpoint of the core and returns its typed answer, after the token requests,
    /// waits and retries the session asks for. Dropping the future abandons the call cleanly.
    ///
    /// # Errors
    ///
    /// [`Error::Spotify`] for what Spotify or the session reports; the other variants for
    /// transport failures that outlasted the retry policy or cannot be retried.
    pub async fn send<E: Endpoint>(&self, endpoint: E) -> Result<E::Output, Error> {
        let inner = &*self.inner;
        let call = inner.lock().call(endpoint);
        let mut call = Abandon { inner, call };
        let mut last_failure = None;
        loop {
            let changed = inner.changed.notified();
            tokio::pin!(changed);
            let step = {
                let mut session = inner.lock();
                let step = session.poll(&mut call.call, inner.now());
                // Listen before unlocking, so a report made after this look wakes the wait.
                // Only waiting calls listen: registering every call costs every report.
                if matches!(step, Step::Wait(_)) {
                    changed.as_mut().enable();
                    inner.waiting.fetch_add(1, Ordering::SeqCst);
                }
                step
            };
            match step {
                Step::Send(request) => {
                    let outcome =
                        exchange(&inner.http, request, inner.timeout, inner.max_body_size).await;
                    let mut session = inner.lock();
                    match outcome {
                        Ok(response) => {
                            let response = spotify_web_core::message::Response::from(&response);
                            session.handle_response(&mut call.call, &response, inner.now());
                            let pending = inner.store.as_ref().and_then(|store| {
                                Some((store, store.pending(&session, inner.now())?))
                            });
                            if let Some((store, pending)) = pending {
                                drop(session);
                                inner.wake_waiters();
                                store.commit(pending).map_err(Error::TokenStore)?;
                                continue;
                            }
                        }
                        Err(Failed::Retry(failure, error)) => {
                            last_failure = Some(error);
                            session.handle_failure(&mut call.call, failure, inner.now());
                        }
                        Err(Failed::Fatal(error)) => {
                            session.abandon(&mut call.call);
                            drop(session);
                            inner.wake_waiters();
                            return Err(error);
                        }
                    }
                    drop(session);
                    inner.wake_waiters();
                }
                Step::Wait(until) => {
                    let _waiting = Waiting(&inner.waiting);
                    let timeout = until.saturating_duration_since(inner.now());
                    tokio::select! {
                        () = tokio::time::sleep(timeout) => {}
                        () = changed => {}
                    }
                }
                Step::Done(Ok(output)) => return Ok(output),
                Step::Done(Err(error)) => {
                    // When the session gave up after transport failures, the last one says more.
                    return Err(match (error, last_failure) {
                        (spotify_web_core::Error::Transport(_), Some(failure)) => failure,
                        (error, _) => Error::Spotify(error),
                    });
                }
            }
        }
    }

    /// Every item of a paged list, starting with `endpoint`'s page and following `next` links,
    /// as a stream.
    ///
    /// ```
    /// # let emulator = spotify_web_emulator::Emulator::start().unwrap();
    /// # let credentials = spotify_web_core::auth::ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let client = spotify_web_hyper::Client::with_base_urls(credentials, emulator.accounts_url(), &emulator.api_url())?;
    /// use spotify_web_core::endpoint::GetArtistAlbums;
    ///
    /// let pitbull = "0TnOYISbd1XYRBk9myaseg".parse()?;
    /// let mut albums = client.items(GetArtistAlbums::new(pitbull).limit(2)).max_items(5);
    /// let mut names = Vec::new();
    /// while let Some(album) = albums.next().await {
    ///     names.push(album?.name);
    /// }
    /// assert_eq!(names.len(), 5);
    /// # Ok::<(), spotify_web_hyper::Error>(())
    /// # }).unwrap();
    /// ```
    pub fn items<E, T>(&self, endpoint: E) -> Items<E, T>
    where
        E: Endpoint<Output = Page<T>>,
    {
        Items::new(self.clone(), Some(endpoint), None)
    }

    /// Every item of a paged list from a page already in hand (a search result's, say),
    /// then the pages after it.
    pub fn items_from<T>(&self, page: Page<T>) -> Items<NextPage<T>, T> {
        Items::new(self.clone(), None, Some(page))
    }

    /// Get Artist, from an ID, a `spotify:artist:` URI or an open.spotify.com link.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), and [`spotify_web_core::Error::InvalidId`] for a bad ID.
    pub async fn artist(&self, id: &str) -> Result<Artist, Error> {
        self.send(GetArtist::new(id.parse::<ArtistId>()?)).await
    }
}

/// Abandons a call that did not finish (its future was dropped), so that a token request it
/// had in flight stops holding up the other calls.
struct Abandon<'a, E: Endpoint> {
    inner: &'a Inner,
    call: Call<E>,
}

impl<E: Endpoint> Drop for Abandon<'_, E> {
    fn drop(&mut self) {
        if !self.call.is_finished() {
            self.inner.lock().abandon(&mut self.call);
            self.inner.wake_waiters();
        }
    }
}

/// Counts a call as waiting for as long as it is, even if its future is dropped meanwhile.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Inner {
    /// Wakes the calls waiting for a report, if any. A waiting call counts itself (and starts
    /// listening) before it unlocks the session, so a report that follows its look sees it.
    fn wake_waiters(&self) {
        if self.waiting.load(Ordering::SeqCst) > 0 {
            self.changed.notify_waiters();
        }
    }

    fn lock(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn now(&self) -> Instant {
        Instant::from_duration(self.epoch.elapsed())
    }
}

/// Sends one request and reads its whole answer, up to the size cap, within the timeout.
async fn exchange(
    http: &HyperClient<HttpsConnector<HttpConnector>, Full<Bytes>>,
    request: spotify_web_core::message::Request,
    timeout: Duration,
    max_body_size: usize,
) -> Result<http::Response<Bytes>, Failed> {
    let request =
        http::Request::try_from(request).map_err(|e| Failed::Fatal(Error::Http(Box::new(e))))?;
    let mut request = request.map(|body| Full::new(Bytes::from(body)));
    request.headers_mut().insert(
        http::header::USER_AGENT,
        http::HeaderValue::from_static(concat!("spotify-web-hyper/", env!("CARGO_PKG_VERSION"))),
    );
    let exchange = async {
        let response = http.request(request).await.map_err(classify_request)?;
        let (parts, body) = response.into_parts();
        let body = Limited::new(body, max_body_size)
            .collect()
            .await
            .map_err(|e| classify_body(e, max_body_size))?;
        Ok(http::Response::from_parts(parts, body.to_bytes()))
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or(Err(Failed::Retry(
            TransportFailure::Timeout,
            Error::Timeout,
        )))
}

fn classify_body(error: Source, max_body_size: usize) -> Failed {
    if error.is::<LengthLimitError>() {
        return Failed::Fatal(Error::TooLarge {
            limit: max_body_size,
        });
    }
    Failed::Retry(TransportFailure::Interrupted, Error::Interrupted(error))
}

/// Sorts the pooled client's errors into what the session may retry and what it may not.
fn classify_request(error: hyper_util::client::legacy::Error) -> Failed {
    if is_tls(&error) {
        return Failed::Fatal(Error::Tls(Box::new(error)));
    }
    if error.is_connect() {
        return Failed::Retry(TransportFailure::Connect, Error::Connect(Box::new(error)));
    }
    Failed::Retry(
        TransportFailure::Interrupted,
        Error::Interrupted(Box::new(error)),
    )
}

/// Whether a rustls error is somewhere in the chain (tokio-rustls wraps it in an `io::Error`).
fn is_tls(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<rustls::Error>() {
            return true;
        }
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            if io
                .get_ref()
                .is_some_and(|inner| inner.is::<rustls::Error>())
            {
                return true;
            }
        }
        current = error.source();
    }
    false
}
