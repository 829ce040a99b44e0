//! What the blocking and the async client share: the builder's settings, the session behind
//! its lock, the clock, the token store, and the report step.

use bytes::Bytes;
use std::hash::{BuildHasher, RandomState};
use std::marker::PhantomData;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use spotify_web_core::access::Access;
use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::auth::{
    AuthorizationCode, CodeExchange, PkceVerifier, RedirectUri, UserClient,
};
use spotify_web_core::endpoint::Endpoint;
use spotify_web_core::message::{Request, Response};
use spotify_web_core::session::{Call, Config, Event, Session};
use spotify_web_core::store::{StoredToken, TokenStore};
use spotify_web_core::time::Instant;
use spotify_web_core::url::BaseUrl;

use crate::Error;
use crate::gate::Gate;
use crate::store::{PendingSave, SessionStore, StoreError};
use crate::transport::{DEFAULT_MAX_BODY_SIZE, Failure, Limits, Settings};

/// Who a client acts for.
#[derive(Debug)]
pub(crate) enum Grant {
    App(ClientCredentials),
    User(UserClient, SessionStore),
}

/// Settings for a client: who it acts for, the session's configuration, the limits of each
/// exchange, and optionally the transport to use (a caller's configured HTTP client).
///
/// `K` is the kind of client it builds ([`crate::blocking`] or [`crate::nonblocking`]), `A`
/// whose token it holds ([`App`](spotify_web_core::access::App) or
/// [`User`](spotify_web_core::access::User)).
#[derive(Debug)]
pub struct Builder<T, K, A> {
    pub(crate) grant: Grant,
    pub(crate) config: Config,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) max_body_size: usize,
    pub(crate) roots: Vec<Vec<u8>>,
    pub(crate) transport: Option<T>,
    pub(crate) gate: Option<Gate>,
    kind: PhantomData<fn() -> (K, A)>,
}

impl<T, K, A: Access> Builder<T, K, A> {
    pub(crate) fn with_grant(grant: Grant) -> Self {
        Self {
            grant,
            config: Config::default(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            roots: Vec::new(),
            transport: None,
            gate: None,
            kind: PhantomData,
        }
    }

    /// The session's configuration: base URLs, retry policy, token margin.
    #[must_use]
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Other base URLs, such as an emulator's: `accounts` serves `/api/token`, `api` is the
    /// Web API's base (ending in `/v1` for Spotify).
    ///
    /// # Errors
    ///
    /// [`Error::Spotify`] with [`spotify_web_core::Error::InvalidUrl`] if a URL is not a
    /// plain `http(s)://host[/path]`.
    pub fn base_urls(mut self, accounts: &str, api: &str) -> Result<Self, Error> {
        self.config = self
            .config
            .with_accounts_url(BaseUrl::new(accounts)?)
            .with_api_url(BaseUrl::new(api)?);
        Ok(self)
    }

    /// How long connecting may take, TLS included (default 10 s). It applies to a transport
    /// the builder makes, not to one given with [`transport`](Self::transport).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The deadline of one exchange: from sending the request to the last byte of the
    /// answer, connecting included (default 30 s). Every transport means the same by it.
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

    /// Trusts this root certificate (DER) instead of the web's (Mozilla's) roots: the client
    /// then trusts the roots given this way and no others. For a private authority, a
    /// TLS-inspecting proxy's, or an emulator serving TLS
    /// (`spotify_web_emulator::root_certificate`). It applies to a transport the builder makes,
    /// not to one given with [`transport`](Self::transport); a certificate the TLS library
    /// cannot read makes `build` fail with [`Error::Tls`].
    #[must_use]
    pub fn root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.roots.push(der.into());
        self
    }

    /// The transport to use, such as one made from an HTTP client the application already
    /// configured (proxies, roots, middleware). Without it, the builder makes one with the
    /// transport's defaults and [`connect_timeout`](Self::connect_timeout).
    #[must_use]
    pub fn transport(mut self, transport: T) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The transport given, or a new one.
    pub(crate) fn take_transport(
        &mut self,
        make: impl FnOnce(&Settings) -> Result<T, Failure>,
    ) -> Result<T, Error> {
        match self.transport.take() {
            Some(transport) => Ok(transport),
            None => {
                let mut settings = Settings::new(self.connect_timeout, self.limits());
                settings.roots = std::mem::take(&mut self.roots);
                make(&settings).map_err(|failure| Error::from_failure(failure, self.max_body_size))
            }
        }
    }

    pub(crate) fn limits(&self) -> Limits {
        Limits::new(self.timeout, self.max_body_size)
    }

    /// The shared state for a client, starting from the store for a user.
    pub(crate) fn shared(self) -> Result<Shared, Error> {
        self.shared_from(|store| store.load())
    }

    /// As [`shared`](Self::shared), reading either kind of store.
    #[cfg(feature = "async")]
    pub(crate) async fn shared_async(self) -> Result<Shared, Error> {
        let stored = match &self.grant {
            Grant::User(_, store) => store.load_async().await,
            Grant::App(_) => Ok(None),
        };
        self.shared_from(|_| stored)
    }

    /// The shared state, with the user's token read by `load`.
    fn shared_from(
        mut self,
        load: impl FnOnce(&SessionStore) -> Result<Option<StoredToken>, StoreError>,
    ) -> Result<Shared, Error> {
        let epoch = std::time::Instant::now();
        let limits = self.limits();
        // The session bounds the memory of each answer by the same cap.
        self.config = self.config.with_max_body_size(self.max_body_size);
        let (session, store) = match self.grant {
            Grant::App(credentials) => (Session::new(credentials, self.config, seed()), None),
            Grant::User(user, store) => {
                let stored = load(&store).map_err(Error::TokenStore)?;
                let session = store
                    .session_from(stored, user, self.config, seed(), Instant::ZERO)
                    .map_err(Error::TokenStore)?
                    .ok_or(spotify_web_core::Error::LoginRequired)?;
                (session, Some(store))
            }
        };
        Ok(Shared::new(session, store, self.gate, epoch, limits))
    }

    /// Starts a sign-in: the code exchange's request, and what finishes it.
    pub(crate) fn start_login(
        self,
        code: AuthorizationCode,
        redirect: &RedirectUri,
        verifier: Option<&PkceVerifier>,
    ) -> Result<(http::Request<Vec<u8>>, PendingLogin), Error> {
        let limits = self.limits();
        let config = self.config.with_max_body_size(self.max_body_size);
        let Grant::User(user, store) = self.grant else {
            return Err(spotify_web_core::Error::InvalidArgument {
                what: "login is for a client made with user_builder",
            }
            .into());
        };
        let exchange = user.code_exchange(config.accounts_url(), code, redirect, verifier)?;
        let request = to_http(exchange.request().clone())?;
        let login = PendingLogin {
            user,
            store,
            config,
            limits,
            exchange,
            gate: self.gate,
        };
        Ok((request, login))
    }
}

/// A sign-in whose code exchange is on its way.
#[derive(Debug)]
pub(crate) struct PendingLogin {
    user: UserClient,
    store: SessionStore,
    config: Config,
    pub(crate) limits: Limits,
    exchange: CodeExchange,
    gate: Option<Gate>,
}

impl PendingLogin {
    /// Ends the sign-in with the accounts service's answer: saves the tokens and starts the
    /// client's shared state. One attempt: a code works once.
    pub(crate) fn finish(
        self,
        answer: Result<http::Response<Bytes>, Failure>,
        epoch: std::time::Instant,
    ) -> Result<Shared, Error> {
        let answer =
            answer.map_err(|failure| Error::from_failure(failure, self.limits.max_body_size))?;
        let now = Instant::from_duration(epoch.elapsed());
        let session = self.store.finish_login(
            self.user,
            self.config,
            seed(),
            self.exchange,
            &Response::from(&answer),
            now,
        )?;
        Ok(Shared::new(
            session,
            Some(self.store),
            self.gate,
            epoch,
            self.limits,
        ))
    }

    /// As [`finish`](Self::finish), saving to either kind of store.
    #[cfg(feature = "async")]
    pub(crate) async fn finish_async(
        self,
        answer: Result<http::Response<Bytes>, Failure>,
        epoch: std::time::Instant,
    ) -> Result<Shared, Error> {
        let answer =
            answer.map_err(|failure| Error::from_failure(failure, self.limits.max_body_size))?;
        let now = Instant::from_duration(epoch.elapsed());
        let session = self
            .store
            .finish_login_async(
                self.user,
                self.config,
                seed(),
                self.exchange,
                &Response::from(&answer),
                now,
            )
            .await?;
        Ok(Shared::new(
            session,
            Some(self.store),
            self.gate,
            epoch,
            self.limits,
        ))
    }
}

/// A seed for the session's jitter, different for every client.
fn seed() -> u64 {
    let mut bytes = [0; 8];
    match getrandom::getrandom(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes),
        Err(_) => RandomState::new().hash_one(std::time::SystemTime::now()),
    }
}

/// The builder for a user's client, for a token store.
pub(crate) fn user_grant<S>(user: UserClient, store: S) -> Grant
where
    S: TokenStore + Send + 'static,
    S::Error: Into<StoreError>,
{
    Grant::User(user, SessionStore::new(store))
}

/// The builder for a user's client, for an async token store.
#[cfg(feature = "async")]
pub(crate) fn user_grant_async(user: UserClient, store: impl crate::AsyncTokenStore) -> Grant {
    Grant::User(user, SessionStore::new_async(store))
}

/// The core's request as an `http` request, with the client's user agent and, when it has no
/// body and is not a GET, `Content-Length: 0`.
pub(crate) fn to_http(request: Request) -> Result<http::Request<Vec<u8>>, Error> {
    let mut request = http::Request::try_from(request).map_err(|e| Error::Http(Box::new(e)))?;
    request.headers_mut().insert(
        http::header::USER_AGENT,
        http::HeaderValue::from_static(crate::USER_AGENT),
    );
    // Spotify refuses a POST or PUT that does not give its length, even with no body (411,
    // spotify/web-api#859 and #1594), and HTTP libraries leave the header out for an empty
    // body (hyper, so reqwest): every request but a GET says it.
    if request.method() != http::Method::GET && request.body().is_empty() {
        request.headers_mut().insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from_static("0"),
        );
    }
    Ok(request)
}

/// The state every clone of a client shares.
#[derive(Debug)]
pub(crate) struct Shared {
    session: Mutex<Session>,
    pub(crate) store: Option<SessionStore>,
    /// The rate-limit gate shared with other processes, if any.
    pub(crate) gate: Option<Gate>,
    epoch: std::time::Instant,
    pub(crate) limits: Limits,
}

/// What a report asks of the driver.
#[derive(Debug)]
pub(crate) struct Duties {
    /// Waiting calls should look again.
    pub(crate) wake: bool,
    /// A new token to save, once the lock is released.
    pub(crate) save: Option<PendingSave>,
    /// A 429's wait, to publish to the shared gate once the lock is released.
    pub(crate) publish: Option<Duration>,
}

impl Duties {
    /// Nothing to save or publish.
    #[cfg(feature = "async")]
    pub(crate) fn is_empty(&self) -> bool {
        self.save.is_none() && self.publish.is_none()
    }
}

impl Shared {
    fn new(
        session: Session,
        store: Option<SessionStore>,
        gate: Option<Gate>,
        epoch: std::time::Instant,
        limits: Limits,
    ) -> Self {
        Self {
            session: Mutex::new(session),
            store,
            gate,
            epoch,
            limits,
        }
    }

    /// Holds the session's requests while the shared gate is closed (`remaining`, as read
    /// from it without the lock held).
    pub(crate) fn hold(&self, session: &mut Session, remaining: Option<Duration>) {
        if let Some(remaining) = remaining.filter(|r| !r.is_zero()) {
            crate::trace::gate_closed(remaining);
            session.hold_until(self.now() + remaining);
        }
    }

    /// Offers the session the token the store held when its renewal began (`stored`, read
    /// without the lock held): the duties that follow if the session took it instead of
    /// renewing, `None` if the token request is to be sent after all.
    pub(crate) fn renewed_elsewhere<E: Endpoint>(
        &self,
        call: &mut Call<E>,
        stored: Option<StoredToken>,
    ) -> Option<Duties> {
        let store = self.store.as_ref()?;
        let now = self.now();
        let token = stored?.into_token(now, crate::store::unix_now()).ok()?;
        let mut session = self.lock();
        if !session.handle_stored_token(call, token, now) {
            return None;
        }
        crate::trace::renewed_elsewhere();
        store.adopted(&session);
        Some(self.duties(&mut session))
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn now(&self) -> Instant {
        Instant::from_duration(self.epoch.elapsed())
    }

    /// Reports an exchange's outcome to the session, and collects what the session asks of
    /// the driver. A failure is kept in `last`, to explain the call's end if it comes to one.
    pub(crate) fn report<E: Endpoint>(
        &self,
        session: &mut Session,
        call: &mut Call<E>,
        outcome: Result<http::Response<Bytes>, Failure>,
        last: &mut Option<Failure>,
    ) -> Duties {
        let now = self.now();
        match outcome {
            Ok(response) => session.handle_response(call, &Response::from(&response), now),
            Err(failure) => {
                session.handle_failure(call, failure.kind().session_failure(), now);
                *last = Some(failure);
            }
        }
        self.duties(session)
    }

    /// What the session's events ask of the driver.
    pub(crate) fn duties(&self, session: &mut Session) -> Duties {
        let mut duties = Duties {
            wake: false,
            save: None,
            publish: None,
        };
        while let Some(event) = session.poll_event() {
            crate::trace::session_event(&event);
            match event {
                Event::TokenChanged { .. } => {
                    duties.save = self
                        .store
                        .as_ref()
                        .and_then(|store| store.pending(session, self.now()));
                }
                Event::Wake => duties.wake = true,
                Event::RateLimited { retry_after, .. } if self.gate.is_some() => {
                    duties.publish = Some(retry_after);
                }
                _ => {}
            }
        }
        duties
    }

    /// Saves a new token (the store keeps only the newest), and publishes a 429's wait to
    /// the shared gate.
    pub(crate) fn save(&self, duties: &mut Duties) -> Result<(), Error> {
        if let (Some(gate), Some(wait)) = (&self.gate, duties.publish.take()) {
            gate.close_for(wait);
        }
        match (&self.store, duties.save.take()) {
            (Some(store), Some(pending)) => store.commit(pending).map_err(Error::TokenStore),
            _ => Ok(()),
        }
    }

    /// As [`save`](Self::save), for either kind of store and gate.
    #[cfg(feature = "async")]
    pub(crate) async fn save_async(&self, duties: &mut Duties) -> Result<(), Error> {
        if let (Some(gate), Some(wait)) = (&self.gate, duties.publish.take()) {
            gate.close_for_async(wait).await;
        }
        match (&self.store, duties.save.take()) {
            (Some(store), Some(pending)) => {
                store.commit_async(pending).await.map_err(Error::TokenStore)
            }
            _ => Ok(()),
        }
    }

    /// The error a call ended with: a transport failure that outlasted the retries is told by
    /// its own kind and source; the rest is the core's.
    pub(crate) fn end(&self, error: spotify_web_core::Error, last: Option<Failure>) -> Error {
        match (error, last) {
            (spotify_web_core::Error::Transport(_), Some(failure)) => {
                Error::from_failure(failure, self.limits.max_body_size)
            }
            (error, _) => Error::Spotify(error),
        }
    }
}

/// The constructors both clients have, written once: `new`, `with_base_urls`, `builder`,
/// `user_builder` and `transport`.
macro_rules! app_constructors {
    () => {
        /// A client for Spotify's accounts service and Web API, with the default settings and
        /// an app's own token: it sends the endpoints that need no user
        /// ([`AppToken`](spotify_web_core::access::AppToken)).
        ///
        /// # Errors
        ///
        /// As [`Builder::build`].
        pub fn new(
            credentials: spotify_web_core::auth::ClientCredentials,
        ) -> Result<Self, crate::Error> {
            Self::builder(credentials).build()
        }

        /// A client for other base URLs, such as an emulator's: `accounts` serves
        /// `/api/token`, `api` is the Web API's base (ending in `/v1` for Spotify).
        ///
        /// # Errors
        ///
        /// As [`Builder::base_urls`] and [`Builder::build`].
        pub fn with_base_urls(
            credentials: spotify_web_core::auth::ClientCredentials,
            accounts: &str,
            api: &str,
        ) -> Result<Self, crate::Error> {
            Self::builder(credentials).base_urls(accounts, api)?.build()
        }

        /// Settings for a client with an app's own token, starting from the defaults.
        pub fn builder(
            credentials: spotify_web_core::auth::ClientCredentials,
        ) -> Builder<T, spotify_web_core::access::App> {
            Builder::with_grant(crate::shared::Grant::App(credentials))
        }
    };
}

pub(crate) use app_constructors;

macro_rules! user_constructors {
    () => {
        /// Settings for a client acting for a user, whose tokens `store` keeps: build it from
        /// a saved login with [`Builder::build`], or sign the user in with [`Builder::login`].
        /// It sends every endpoint.
        pub fn user_builder<S>(
            user: spotify_web_core::auth::UserClient,
            store: S,
        ) -> Builder<T, spotify_web_core::access::User>
        where
            S: spotify_web_core::store::TokenStore + Send + 'static,
            S::Error: Into<crate::StoreError>,
        {
            Builder::with_grant(crate::shared::user_grant(user, store))
        }
    };
}

pub(crate) use user_constructors;

/// Defines a transport crate's surface, the same for every transport: the core's modules and
/// the driver's error re-exported, and `Client`, `Builder` and `Items` for the transport.
///
/// ```ignore
/// spotify_web_driver::transport_surface!(blocking, Ureq, "ureq");
/// ```
#[macro_export]
macro_rules! transport_surface {
    (@common $kind:ident, $transport:ty, $name:literal) => {
        pub use spotify_web_core::{Endpoint, GetArtist, Page};
        pub use spotify_web_core::{
            access, auth, endpoint, id, message, model, session, store, time, url,
        };
        pub use spotify_web_core::error::Reason;
        pub use spotify_web_driver::{
            DEFAULT_MAX_BODY_SIZE, Error, FileTokenStore, StoreError, USER_AGENT, gate, random,
        };

        /// The core's error type (what Spotify or the session reports), as [`Error::Spotify`]
        /// holds it.
        pub type SpotifyError = spotify_web_core::Error;

        #[doc = concat!("A client for the Spotify Web API, over ", $name, ", with an app's token")]
        /// ([`access::App`], from `Client::new` or `Client::builder`) or a user's
        /// ([`access::User`], from `Client::user_builder`).
        pub type Client<A = access::App> = spotify_web_driver::$kind::Client<$transport, A>;

        /// Settings for a [`Client`] with the access `A`.
        pub type Builder<A = access::App> = spotify_web_driver::$kind::Builder<$transport, A>;
    };
    (blocking, $transport:ty, $name:literal) => {
        $crate::transport_surface!(@common blocking, $transport, $name);

        /// The items of a paged list, fetched as they are needed (see [`Client::items`]).
        pub type Items<'a, E> = spotify_web_driver::blocking::Items<'a, $transport, E>;
    };
    (nonblocking, $transport:ty, $name:literal) => {
        $crate::transport_surface!(@common nonblocking, $transport, $name);

        /// The items of a paged list, as a stream (see [`Client::items`]).
        pub type Items<E> = spotify_web_driver::nonblocking::Items<$transport, E>;

        pub use spotify_web_driver::{AsyncTokenStore, BoxFuture};
    };
}
