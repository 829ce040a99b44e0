//! A blocking Spotify Web API client: [`spotify_web_core`]'s session driven over ureq.
//!
//! This crate only moves bytes. Requests, answers, token reuse, re-authentication and the
//! retry policy all live in the core; here are a connection pool, timeouts, a cap on the
//! size of answers, rustls (with the `ring` provider) and a clock.
//!
//! ```
//! # let emulator = spotify_web_emulator::Emulator::start().unwrap();
//! # let (accounts, api) = (emulator.accounts_url().to_owned(), emulator.api_url());
//! # let (id, secret) = (emulator.client_id(), emulator.client_secret());
//! use spotify_web_core::GetArtist;
//! use spotify_web_core::auth::ClientCredentials;
//! use spotify_web_ureq::Client;
//!
//! let credentials = ClientCredentials::new(id, secret);
//! // `Client::new(credentials)` talks to Spotify; here, to a local emulator.
//! let client = Client::with_base_urls(credentials, &accounts, &api)?;
//! let artist = client.send(GetArtist::new("spotify:artist:4Z8W4fKeB5YxbusRsdQVPb".parse()?))?;
//! assert_eq!(artist.name, "Radiohead");
//! # Ok::<(), spotify_web_ureq::Error>(())
//! ```
//!
//! The client is `Clone + Send + Sync`: clones share one connection pool and one token, and
//! calls from many threads cause one token request between them.

mod error;
mod pages;

use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::authorize::{AuthorizationCode, PkceVerifier, RedirectUri, UserClient};
use spotify_web_core::endpoint::NextPage;
use spotify_web_core::error::TransportFailure;
use spotify_web_core::id::ArtistId;
use spotify_web_core::model::{Artist, Page};
use spotify_web_core::session::{Config, Session, Step};
use spotify_web_core::store::TokenStore;
use spotify_web_core::time::Instant;
use spotify_web_core::url::BaseUrl;
use spotify_web_core::{Endpoint, GetArtist};
use spotify_web_store::{LoginError, SessionStore, StoreError};
use ureq::http;

pub use spotify_web_store::FileTokenStore;

pub use crate::error::Error;
pub use crate::pages::Items;

/// The default cap on the size of an answer's body: 8 MiB, far above any Spotify answer.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 8 * 1024 * 1024;

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
    max_body_size: u64,
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

    /// How long to wait for a connection, TLS included (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long each phase of an exchange may take: sending the request, waiting for the
    /// answer, reading its body (default 30 s each).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest answer body accepted, in bytes (default [`DEFAULT_MAX_BODY_SIZE`]).
    /// Reading stops at the cap: a larger answer is never held whole.
    #[must_use]
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Builds the client. For a user (see [`Client::user_builder`]), the session starts from
    /// the token the store holds.
    ///
    /// # Errors
    ///
    /// For a user: [`spotify_web_core::Error::LoginRequired`] if the store holds no token (sign
    /// the user in with [`login`](Self::login)), [`Error::TokenStore`] if it cannot be read.
    pub fn build(self) -> Result<Client, Error> {
        let epoch = std::time::Instant::now();
        let seed = RandomState::new().hash_one(std::time::SystemTime::now());
        let agent = agent(&self);
        let (session, store) = match self.grant {
            Grant::App(credentials) => (Session::new(credentials, self.config.clone(), seed), None),
            Grant::User(user, store) => {
                let session = store
                    .load_session(user, self.config.clone(), seed, Instant::ZERO)
                    .map_err(Error::TokenStore)?
                    .ok_or(spotify_web_core::Error::LoginRequired)?;
                (session, Some(store))
            }
        };
        Ok(Client::assemble(
            agent,
            session,
            store,
            epoch,
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
    pub fn login(
        self,
        code: AuthorizationCode,
        redirect: &RedirectUri,
        verifier: Option<&PkceVerifier>,
    ) -> Result<Client, Error> {
        let agent = agent(&self);
        let Grant::User(user, store) = self.grant else {
            return Err(spotify_web_core::Error::InvalidArgument {
                what: "login is for a client made with Client::user_builder",
            }
            .into());
        };
        let epoch = std::time::Instant::now();
        let code_exchange = user.code_exchange(self.config.accounts(), code, redirect, verifier)?;
        let request = code_exchange.request().clone();
        let response =
            exchange(&agent, request, self.max_body_size).map_err(|failed| match failed {
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
        let client = Client::assemble(agent, session, Some(store), epoch, self.max_body_size);
        Ok(client)
    }
}

/// One agent per client: one connection pool.
fn agent(builder: &Builder) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        // Spotify does not redirect API calls; not following keeps tokens on their host.
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_connect(Some(builder.connect_timeout))
        // One limit per phase rather than a global one: with a global limit, ureq resolves
        // the host on a new thread for every call (to be able to give up on it), which cost
        // a third of the throughput on loopback. Name resolution keeps the system's limits.
        .timeout_send_request(Some(builder.timeout))
        .timeout_send_body(Some(builder.timeout))
        .timeout_recv_response(Some(builder.timeout))
        .timeout_recv_body(Some(builder.timeout))
        .user_agent(concat!("spotify-web-ureq/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}

/// A blocking client for the Spotify Web API.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    agent: ureq::Agent,
    session: Mutex<Session>,
    /// Where a user's new tokens are saved.
    store: Option<SessionStore>,
    /// Signalled whenever a call reports to the session, so waiting calls look again.
    changed: Condvar,
    epoch: std::time::Instant,
    max_body_size: u64,
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
        agent: ureq::Agent,
        session: Session,
        store: Option<SessionStore>,
        epoch: std::time::Instant,
        max_body_size: u64,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                agent,
                session: Mutex::new(session),
                store,
                changed: Condvar::new(),
                epoch,
                max_body_size,
            }),
        }
    }

    /// A client for Spotify's accounts service and Web API, with the default settings.
    ///
    /// # Errors
    ///
    /// None for an app's credentials today; the `Result` keeps the surface the same as the
    /// async client's and as [`Builder::build`].
    pub fn new(credentials: ClientCredentials) -> Result<Self, Error> {
        Self::builder(credentials).build()
    }

    /// A client for other base URLs, such as an emulator's: `accounts` serves `/api/token`,
    /// `api` is the Web API's base (ending in `/v1` for Spotify).
    ///
    /// # Errors
    ///
    /// [`Error::Spotify`] with [`spotify_web_core::Error::InvalidUrl`] if a URL is not a plain
    /// `http(s)://host[/path]`.
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
    /// waits and retries the session asks for.
    ///
    /// # Errors
    ///
    /// [`Error::Spotify`] for what Spotify or the session reports; the other variants for
    /// transport failures that outlasted the retry policy or cannot be retried.
    pub fn send<E: Endpoint>(&self, endpoint: E) -> Result<E::Output, Error> {
        let inner = &*self.inner;
        let mut session = inner.lock();
        let mut call = session.call(endpoint);
        let mut last_failure = None;
        loop {
            match session.poll(&mut call, inner.now()) {
                Step::Send(request) => {
                    drop(session);
                    let outcome = exchange(&inner.agent, request, inner.max_body_size);
                    session = inner.lock();
                    match outcome {
                        Ok(response) => {
                            let response = spotify_web_core::message::Response::from(&response);
                            session.handle_response(&mut call, &response, inner.now());
                            let pending = inner.store.as_ref().and_then(|store| {
                                Some((store, store.pending(&session, inner.now())?))
                            });
                            if let Some((store, pending)) = pending {
                                drop(session);
                                inner.changed.notify_all();
                                store.commit(pending).map_err(Error::TokenStore)?;
                                session = inner.lock();
                            }
                        }
                        Err(Failed::Retry(failure, error)) => {
                            last_failure = Some(error);
                            session.handle_failure(&mut call, failure, inner.now());
                        }
                        Err(Failed::Fatal(error)) => {
                            session.abandon(&mut call);
                            inner.changed.notify_all();
                            return Err(error);
                        }
                    }
                    inner.changed.notify_all();
                }
                Step::Wait(until) => {
                    let timeout = until.saturating_duration_since(inner.now());
                    session = inner
                        .changed
                        .wait_timeout(session, timeout)
                        .map(|(guard, _)| guard)
                        .unwrap_or_else(|poisoned| poisoned.into_inner().0);
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

    /// Every item of a paged list, starting with `endpoint`'s page and following `next` links.
    ///
    /// ```
    /// # let emulator = spotify_web_emulator::Emulator::start().unwrap();
    /// # let credentials = spotify_web_core::auth::ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    /// # let client = spotify_web_ureq::Client::with_base_urls(credentials, emulator.accounts_url(), &emulator.api_url())?;
    /// use spotify_web_core::endpoint::GetArtistAlbums;
    ///
    /// let pitbull = "0TnOYISbd1XYRBk9myaseg".parse()?;
    /// let albums = client.items(GetArtistAlbums::new(pitbull).limit(2)).max_items(5);
    /// let names = albums.map(|album| album.map(|a| a.name)).collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(names.len(), 5);
    /// # Ok::<(), spotify_web_ureq::Error>(())
    /// ```
    pub fn items<E, T>(&self, endpoint: E) -> Items<'_, E, T>
    where
        E: Endpoint<Output = Page<T>>,
    {
        Items::new(self, Some(endpoint), None)
    }

    /// Every item of a paged list from a page already in hand (a search result's, say),
    /// then the pages after it.
    pub fn items_from<T>(&self, page: Page<T>) -> Items<'_, NextPage<T>, T> {
        Items::new(self, None, Some(page))
    }

    /// Get Artist, from an ID, a `spotify:artist:` URI or an open.spotify.com link.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), and [`spotify_web_core::Error::InvalidId`] for a bad ID.
    pub fn artist(&self, id: &str) -> Result<Artist, Error> {
        self.send(GetArtist::new(id.parse::<ArtistId>()?))
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn now(&self) -> Instant {
        Instant::from_duration(self.epoch.elapsed())
    }
}

/// Sends one request and reads its whole answer, up to the size cap.
fn exchange(
    agent: &ureq::Agent,
    request: spotify_web_core::message::Request,
    max_body_size: u64,
) -> Result<http::Response<Vec<u8>>, Failed> {
    let request = http::Request::try_from(request)
        .map_err(|e| Failed::Fatal(Error::Http(ureq::Error::Http(e))))?;
    let response = agent.run(request).map_err(classify)?;
    let (parts, mut body) = response.into_parts();
    let bytes = body
        .with_config()
        .limit(max_body_size)
        .read_to_vec()
        .map_err(classify)?;
    Ok(http::Response::from_parts(parts, bytes))
}

/// Sorts ureq's errors into what the session may retry and what it may not.
fn classify(error: ureq::Error) -> Failed {
    use std::io::ErrorKind;
    use ureq::Timeout;
    match error {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => {
            Failed::Retry(TransportFailure::Connect, Error::Connect(error))
        }
        ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => {
            Failed::Retry(TransportFailure::Connect, Error::Connect(error))
        }
        ureq::Error::Timeout(_) => Failed::Retry(TransportFailure::Timeout, Error::Timeout(error)),
        ureq::Error::Io(ref io) => match io.kind() {
            ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable => {
                Failed::Retry(TransportFailure::Connect, Error::Connect(error))
            }
            ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                Failed::Retry(TransportFailure::Timeout, Error::Timeout(error))
            }
            _ => Failed::Retry(TransportFailure::Interrupted, Error::Interrupted(error)),
        },
        ureq::Error::Protocol(_) | ureq::Error::BodyStalled => {
            Failed::Retry(TransportFailure::Interrupted, Error::Interrupted(error))
        }
        ureq::Error::BodyExceedsLimit(limit) => Failed::Fatal(Error::TooLarge { limit }),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => Failed::Fatal(Error::Tls(error)),
        other => Failed::Fatal(Error::Http(other)),
    }
}
