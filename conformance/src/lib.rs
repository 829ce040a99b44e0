//! One behaviour suite for every transport, run against the emulator.
//!
//! The suite's rules are real `#[test]` functions in `conformance/suite/`, split by topic
//! (catalog, tokens, users, faults, limits). A transport's test file names the client to test
//! and includes them all:
//!
//! ```ignore
//! type T = spotify_web_ureq::Client;
//! #[path = "../../conformance/suite/mod.rs"]
//! mod suite;
//! ```
//!
//! A rule added to a topic file runs on every transport at once: there is no list to keep.
//! This crate holds what the rules share: [`Driven`] (one implementation for every blocking
//! client and one for every async client, so a transport writes no glue), the emulator
//! set-up, token stores the test can look into, and hostile servers.

use core::fmt;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use spotify_web_core::access::{Access, App, SendableAs, User};
use spotify_web_core::auth::{
    AuthorizationCode, AuthorizeUrl, CsrfState, PkceVerifier, RedirectUri, Scope, UserClient,
    parse_callback,
};
use spotify_web_core::auth::{ClientCredentials, ClientId};
use spotify_web_core::endpoint::{CursorWalk, NextPage};
use spotify_web_core::id::ArtistId;
use spotify_web_core::model::{CursorPage, Page};
use spotify_web_core::session::Config;
use spotify_web_core::store::{StoredToken, TokenStore};
use spotify_web_core::url::BaseUrl;
use spotify_web_core::{Endpoint, GetArtist};
use spotify_web_driver::Error;
use spotify_web_emulator::Emulator;

/// Everything the rules use, for `use spotify_web_conformance::prelude::*`.
pub mod prelude {
    pub use spotify_web_driver::Error as ClientError;
    pub use {base64, log, serde, serde_json, spotify_web_core};

    pub use std::io::{Read, Write};
    pub use std::sync::{Mutex, PoisonError};
    pub use std::time::{Duration, Instant};

    pub use spotify_web_core::auth::{
        AuthorizationCode, AuthorizeUrl, CsrfState, PkceVerifier, RedirectUri, Scope, UserClient,
        parse_callback,
    };
    pub use spotify_web_core::auth::{ClientCredentials, ClientId, ClientSecret};
    pub use spotify_web_core::endpoint::{
        AddCustomPlaylistCoverImage, AddItemsToPlaylist, ChangePlaylistDetails, CheckIfUserFollows,
        CheckLibraryContains, CheckSavedTracks, CreatePlaylist, FollowArtistsOrUsers, GetAlbum,
        GetAlbumTracks, GetArtistAlbums, GetArtistTopTracks, GetCurrentUser,
        GetCurrentUsersPlaylists, GetFollowedArtists, GetPlaylist, GetPlaylistCoverImage,
        GetPlaylistItems, GetRecentlyPlayed, GetSavedAlbums, GetSavedTracks, GetSeveralAlbums,
        GetSeveralArtists, GetSeveralTracks, GetTrack, GetUsersPlaylists, GetUsersTopArtists,
        GetUsersTopTracks, IncludeGroup, NextPage, RemoveItemsFromLibrary, RemovePlaylistItems,
        RemoveSavedTracks, SaveItemsToLibrary, SaveTracks, Search, SearchQuery, SearchType,
        TimeRange, UnfollowArtistsOrUsers, UpdatePlaylistItems,
    };
    pub use spotify_web_core::endpoint::{
        AddItemToQueue, GetAvailableDevices, GetCurrentlyPlaying, GetPlaybackState, GetUsersQueue,
        PausePlayback, RepeatMode, SeekToPosition, SetPlaybackVolume, SetRepeatMode, SkipToNext,
        StartPlayback, TogglePlaybackShuffle, TransferPlayback,
    };
    pub use spotify_web_core::error::{ApiError, AuthError};
    pub use spotify_web_core::id::{
        AlbumId, ArtistId, PlayableUri, PlaylistId, SpotifyUri, TrackId, UserId,
    };
    pub use spotify_web_core::model::{AlbumType, Page};
    pub use spotify_web_core::session::Config;
    pub use spotify_web_core::store::{StoredToken, TokenStore};
    pub use spotify_web_core::time::Timestamp;
    pub use spotify_web_core::url::BaseUrl;
    pub use spotify_web_core::{Endpoint, Error, GetArtist};
    pub use spotify_web_emulator::{Emulator, Fault, OTHER_PLAYLIST, Route, Target};

    pub use crate::{
        CapturingLogger, CapturingSubscriber, Connect, Driven, Echo, Failure, LOG_LINES, Login,
        MemoryGate, Progress, RADIOHEAD, REDIRECT, Setup, SharedStore, TRACE_LINES, authorize,
        authorize_with, config_for, echo_server, failure, id, pkce_user, scripted_server, spotify,
        trusting_the_emulator,
    };
}

/// A client as the suite drives it, blocking the test's thread: every blocking client of the
/// driver, and every async client on a tokio runtime ([`OnTokio`]), with an app's token or a
/// user's. What it may send is what its access allows, as for the client itself.
pub trait Driven: Clone + Send + Sync + fmt::Debug + 'static {
    /// Whose token the client holds.
    type Access: Access;

    /// Sends one endpoint to its end.
    fn send<E>(&self, endpoint: E) -> Result<E::Output, Error>
    where
        E: SendableAs<Self::Access> + Send + 'static,
        E::Output: Send + 'static;

    /// Sends one endpoint to its end with its own retry rules.
    fn send_with<E>(
        &self,
        endpoint: E,
        policy: spotify_web_core::session::Policy,
    ) -> Result<E::Output, Error>
    where
        E: SendableAs<Self::Access> + Send + 'static,
        E::Output: Send + 'static;

    /// Collects at most `max` items of a paged list, with the client's own page walker.
    fn items_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<I>, Error>
    where
        E: SendableAs<Self::Access, Output = Page<I>> + Send + 'static,
        NextPage<I>: Endpoint<Output = Page<I>>,
        I: Send + 'static;

    /// Collects at most `max` items of a list paged by cursors, following `next` links.
    fn cursor_items_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<I>, Error>
    where
        E: SendableAs<Self::Access, Output = CursorPage<I>> + Send + 'static,
        NextPage<I, CursorPage<I>>: Endpoint<Output = CursorPage<I>>,
        I: Send + 'static;

    /// Walks at most `max` items of a paged list and tells, after each, what the walker said
    /// of the list: its `total()` and the upper bound of its `size_hint()`.
    fn progress_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<Progress>, Error>
    where
        E: SendableAs<Self::Access, Output = Page<I>> + Send + 'static,
        NextPage<I>: Endpoint<Output = Page<I>>,
        I: Send + 'static;

    /// Collects at most `max` items of a cursor walk (each request made from the page before).
    fn walk_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<I>, Error>
    where
        E: CursorWalk<Output = CursorPage<I>> + SendableAs<Self::Access> + Clone + Send + 'static,
        NextPage<I, CursorPage<I>>: Endpoint<Output = CursorPage<I>>,
        I: Send + 'static;
}

/// What a page walker said of its list after one item (see [`Driven::progress_up_to`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// `total()`: how many items the list holds, as its pages say, within the cap.
    pub total: Option<usize>,
    /// The upper bound of `size_hint()`: how many more may come.
    pub upper: Option<usize>,
}

/// The app's client a transport's test names as `T`, and how the suite makes clients of its
/// kind: for the app, and for a user.
pub trait Connect: Driven<Access = App> {
    /// The same transport's client acting for a user.
    type User: Driven<Access = User>;

    /// The transport its builder builds over.
    type Transport;

    /// The kind of client its builder builds (`Blocking` or `Async`).
    type Kind;

    /// Whether the transport negotiates HTTP/2 where a TLS server offers it.
    const SPEAKS_HTTP2: bool;

    /// The client's builder for an app with these credentials, with the driver's defaults.
    fn app_builder(
        credentials: ClientCredentials,
    ) -> spotify_web_driver::Builder<Self::Transport, Self::Kind, App>;

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// As the builder's `build`.
    fn build(
        builder: spotify_web_driver::Builder<Self::Transport, Self::Kind, App>,
    ) -> Result<Self, Error>;

    /// The builder, sharing rate limits through `gate` (as processes share a Redis key).
    fn with_gate(
        builder: spotify_web_driver::Builder<Self::Transport, Self::Kind, App>,
        gate: MemoryGate,
    ) -> spotify_web_driver::Builder<Self::Transport, Self::Kind, App>;

    /// A client acting for a user, whose tokens `store` keeps: signed in with `login` if given,
    /// else from the token the store holds.
    fn user(
        user: UserClient,
        store: SharedStore,
        config: Config,
        login: Option<Login>,
    ) -> Result<Self::User, Error>;

    /// The emulator's demo user, signed in through its PKCE app with every scope the suite
    /// uses ([`SCOPES`]), tokens in a fresh store.
    fn signed_in(emulator: &Emulator) -> Self::User {
        let user = pkce_user(emulator);
        let login = authorize(emulator, &user, true);
        Self::user(
            user,
            SharedStore::default(),
            config_for(emulator),
            Some(login),
        )
        .unwrap_or_else(|e| panic!("sign-in: {e}"))
    }

    /// A client for the emulator's URLs with these credentials and this session configuration
    /// (its base URLs are already the emulator's).
    fn connect(credentials: ClientCredentials, config: Config) -> Self {
        Self::build(trusting_the_emulator(Self::app_builder(credentials)).config(config))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A client with a cap on answer bodies and a deadline for each exchange.
    fn connect_with_limits(
        credentials: ClientCredentials,
        config: Config,
        max_body_size: usize,
        timeout: Duration,
    ) -> Self {
        let builder = trusting_the_emulator(Self::app_builder(credentials))
            .config(config)
            .max_body_size(max_body_size)
            .timeout(timeout);
        Self::build(builder).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A client that trusts this root certificate (DER) instead of the web's roots.
    ///
    /// # Errors
    ///
    /// As building the client: a root that is no certificate is a TLS error.
    fn connect_trusting(
        credentials: ClientCredentials,
        config: Config,
        root: Vec<u8>,
    ) -> Result<Self, Error> {
        Self::build(
            Self::app_builder(credentials)
                .config(config)
                .root_certificate(root),
        )
    }
}

impl<T: spotify_web_driver::Transport, A: Access> Driven
    for spotify_web_driver::blocking::Client<T, A>
{
    type Access = A;

    fn send<E>(&self, endpoint: E) -> Result<E::Output, Error>
    where
        E: SendableAs<A> + Send + 'static,
        E::Output: Send + 'static,
    {
        Self::send(self, endpoint)
    }

    fn send_with<E>(
        &self,
        endpoint: E,
        policy: spotify_web_core::session::Policy,
    ) -> Result<E::Output, Error>
    where
        E: SendableAs<A> + Send + 'static,
        E::Output: Send + 'static,
    {
        Self::send_with(self, endpoint, policy)
    }

    fn items_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<I>, Error>
    where
        E: SendableAs<A, Output = Page<I>> + Send + 'static,
        NextPage<I>: Endpoint<Output = Page<I>>,
        I: Send + 'static,
    {
        Self::items(self, endpoint).max_items(max).collect()
    }

    fn cursor_items_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<I>, Error>
    where
        E: SendableAs<A, Output = CursorPage<I>> + Send + 'static,
        NextPage<I, CursorPage<I>>: Endpoint<Output = CursorPage<I>>,
        I: Send + 'static,
    {
        Self::items(self, endpoint).max_items(max).collect()
    }

    fn progress_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<Progress>, Error>
    where
        E: SendableAs<A, Output = Page<I>> + Send + 'static,
        NextPage<I>: Endpoint<Output = Page<I>>,
        I: Send + 'static,
    {
        let mut items = Self::items(self, endpoint).max_items(max);
        let mut out = Vec::new();
        while let Some(item) = items.next() {
            item?;
            out.push(Progress {
                total: items.total(),
                upper: items.size_hint().1,
            });
        }
        Ok(out)
    }

    fn walk_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<I>, Error>
    where
        E: CursorWalk<Output = CursorPage<I>> + SendableAs<A> + Clone + Send + 'static,
        NextPage<I, CursorPage<I>>: Endpoint<Output = CursorPage<I>>,
        I: Send + 'static,
    {
        Self::walk(self, endpoint).max_items(max).collect()
    }
}

impl<T: spotify_web_driver::Transport> Connect for spotify_web_driver::blocking::Client<T, App> {
    type User = spotify_web_driver::blocking::Client<T, User>;
    type Transport = T;
    type Kind = spotify_web_driver::blocking::Blocking;

    /// The blocking transport is ureq's, which has no HTTP/2.
    const SPEAKS_HTTP2: bool = false;

    fn app_builder(credentials: ClientCredentials) -> spotify_web_driver::blocking::Builder<T> {
        Self::builder(credentials)
    }

    fn build(builder: spotify_web_driver::blocking::Builder<T>) -> Result<Self, Error> {
        builder.build()
    }

    fn with_gate(
        builder: spotify_web_driver::blocking::Builder<T>,
        gate: MemoryGate,
    ) -> spotify_web_driver::blocking::Builder<T> {
        builder.rate_limit_gate(gate)
    }

    fn user(
        user: UserClient,
        store: SharedStore,
        config: Config,
        login: Option<Login>,
    ) -> Result<Self::User, Error> {
        let builder = trusting_the_emulator(Self::User::user_builder(user, store)).config(config);
        match login {
            Some(login) => builder.login(login.code, &login.redirect, login.verifier.as_ref()),
            None => builder.build(),
        }
    }
}

/// Whether every emulator of this run serves TLS (`SPOTIFY_WEB_EMULATOR_TLS=1`): the suite's
/// TLS run.
pub fn over_tls() -> bool {
    std::env::var_os("SPOTIFY_WEB_EMULATOR_TLS").is_some_and(|on| on == "1")
}

/// A builder that trusts the emulators' root on the suite's TLS run (and the web's roots, as
/// by default, otherwise).
pub fn trusting_the_emulator<T, K, A: Access>(
    builder: spotify_web_driver::Builder<T, K, A>,
) -> spotify_web_driver::Builder<T, K, A> {
    if over_tls() {
        builder.root_certificate(
            spotify_web_emulator::root_certificate()
                .unwrap_or_else(|e| panic!("the emulators' root: {e}")),
        )
    } else {
        builder
    }
}

/// An async client, driven from the suite's blocking code on a runtime of its own.
pub struct OnTokio<T, A = App> {
    /// The client.
    pub client: spotify_web_driver::nonblocking::Client<T, A>,
    /// The runtime it runs on.
    pub runtime: Arc<tokio::runtime::Runtime>,
}

impl<T, A> Clone for OnTokio<T, A> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            runtime: Arc::clone(&self.runtime),
        }
    }
}

impl<T, A> fmt::Debug for OnTokio<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnTokio")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

fn runtime() -> Arc<tokio::runtime::Runtime> {
    Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

impl<T: spotify_web_driver::AsyncTransport, A: Access> Driven for OnTokio<T, A> {
    type Access = A;

    fn send<E>(&self, endpoint: E) -> Result<E::Output, Error>
    where
        E: SendableAs<A> + Send + 'static,
        E::Output: Send + 'static,
    {
        self.runtime.block_on(self.client.send(endpoint))
    }

    fn send_with<E>(
        &self,
        endpoint: E,
        policy: spotify_web_core::session::Policy,
    ) -> Result<E::Output, Error>
    where
        E: SendableAs<A> + Send + 'static,
        E::Output: Send + 'static,
    {
        self.runtime
            .block_on(self.client.send_with(endpoint, policy))
    }

    fn items_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<I>, Error>
    where
        E: SendableAs<A, Output = Page<I>> + Send + 'static,
        NextPage<I>: Endpoint<Output = Page<I>>,
        I: Send + 'static,
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

    fn cursor_items_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<I>, Error>
    where
        E: SendableAs<A, Output = CursorPage<I>> + Send + 'static,
        NextPage<I, CursorPage<I>>: Endpoint<Output = CursorPage<I>>,
        I: Send + 'static,
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

    fn progress_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<Progress>, Error>
    where
        E: SendableAs<A, Output = Page<I>> + Send + 'static,
        NextPage<I>: Endpoint<Output = Page<I>>,
        I: Send + 'static,
    {
        use futures_core::Stream;

        self.runtime.block_on(async {
            let mut items = self.client.items(endpoint).max_items(max);
            let mut out = Vec::new();
            while let Some(item) = items.next().await {
                item?;
                out.push(Progress {
                    total: items.total(),
                    upper: items.size_hint().1,
                });
            }
            Ok(out)
        })
    }

    fn walk_up_to<E, I>(&self, endpoint: E, max: usize) -> Result<Vec<I>, Error>
    where
        E: CursorWalk<Output = CursorPage<I>> + SendableAs<A> + Clone + Send + 'static,
        NextPage<I, CursorPage<I>>: Endpoint<Output = CursorPage<I>>,
        I: Send + 'static,
    {
        self.runtime.block_on(async {
            let mut items = self.client.walk(endpoint).max_items(max);
            let mut out = Vec::new();
            while let Some(item) = items.next().await {
                out.push(item?);
            }
            Ok(out)
        })
    }
}

impl<T: spotify_web_driver::AsyncTransport> Connect for OnTokio<T, App> {
    type User = OnTokio<T, User>;
    type Transport = T;
    type Kind = spotify_web_driver::nonblocking::Async;

    /// The async transports (hyper, reqwest) offer HTTP/2 through ALPN.
    const SPEAKS_HTTP2: bool = true;

    fn app_builder(credentials: ClientCredentials) -> spotify_web_driver::nonblocking::Builder<T> {
        spotify_web_driver::nonblocking::Client::builder(credentials)
    }

    fn build(builder: spotify_web_driver::nonblocking::Builder<T>) -> Result<Self, Error> {
        Ok(Self {
            client: builder.build()?,
            runtime: runtime(),
        })
    }

    fn with_gate(
        builder: spotify_web_driver::nonblocking::Builder<T>,
        gate: MemoryGate,
    ) -> spotify_web_driver::nonblocking::Builder<T> {
        builder.rate_limit_gate(gate)
    }

    fn user(
        user: UserClient,
        store: SharedStore,
        config: Config,
        login: Option<Login>,
    ) -> Result<Self::User, Error> {
        let runtime = runtime();
        let builder = trusting_the_emulator(spotify_web_driver::nonblocking::Client::user_builder(
            user, store,
        ))
        .config(config);
        let client = match login {
            Some(login) => runtime.block_on(builder.login(
                login.code,
                &login.redirect,
                login.verifier.as_ref(),
            ))?,
            None => builder.build()?,
        };
        Ok(OnTokio { client, runtime })
    }
}

/// Which kind of failure an error is, as the suite checks it.
pub fn failure(error: &Error) -> Failure {
    match error {
        Error::Spotify(_) => Failure::Spotify,
        Error::Connect(_) => Failure::Connect,
        Error::Timeout(_) => Failure::Timeout,
        Error::Interrupted(_) => Failure::Interrupted,
        Error::TooLarge { .. } => Failure::TooLarge,
        Error::HeaderTooLarge(_) => Failure::HeaderTooLarge,
        Error::Tls(_) => Failure::Tls,
        _ => Failure::Other,
    }
}

/// The kinds of error a transport keeps apart, as the suite checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The core's error (Spotify's answer, or the session's decision).
    Spotify,
    /// The server could not be reached.
    Connect,
    /// No answer in time.
    Timeout,
    /// The connection broke or the answer was cut short.
    Interrupted,
    /// The answer was larger than the cap.
    TooLarge,
    /// The answer's head was larger than the HTTP library accepts.
    HeaderTooLarge,
    /// The TLS handshake failed.
    Tls,
    /// Anything else.
    Other,
}

/// What a callback gave, for [`Connect::user`] to sign in with.
#[derive(Debug)]
pub struct Login {
    /// The code from the callback.
    pub code: AuthorizationCode,
    /// The redirect URI the authorization used.
    pub redirect: RedirectUri,
    /// The PKCE verifier, for a PKCE app.
    pub verifier: Option<PkceVerifier>,
}

/// A token store the test can look into while a client uses it.
#[derive(Debug, Clone, Default)]
pub struct SharedStore(Arc<Mutex<Option<StoredToken>>>);

impl SharedStore {
    /// What the store holds now.
    pub fn get(&self) -> Option<StoredToken> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl TokenStore for SharedStore {
    type Error = std::io::Error;

    fn load(&mut self) -> Result<Option<StoredToken>, Self::Error> {
        Ok(self.get())
    }

    fn save(&mut self, token: &StoredToken) -> Result<(), Self::Error> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(token.clone());
        Ok(())
    }
}

/// A rate-limit gate in memory, shared by the clients that hold a clone of it: what a Redis
/// key is to processes.
#[derive(Debug, Clone, Default)]
pub struct MemoryGate(Arc<Mutex<Option<std::time::Instant>>>);

impl MemoryGate {
    /// How much longer it stays closed.
    pub fn remaining(&self) -> Option<Duration> {
        let until = *self.0.lock().unwrap_or_else(PoisonError::into_inner);
        until
            .map(|until| until.saturating_duration_since(std::time::Instant::now()))
            .filter(|left| !left.is_zero())
    }

    fn close(&self, wait: Duration) {
        let until = std::time::Instant::now() + wait;
        let mut gate = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if gate.is_none_or(|now| now < until) {
            *gate = Some(until);
        }
    }
}

impl spotify_web_driver::RateLimitGate for MemoryGate {
    fn closed_for(&self) -> Result<Option<Duration>, spotify_web_driver::StoreError> {
        Ok(self.remaining())
    }

    fn close_for(&self, wait: Duration) -> Result<(), spotify_web_driver::StoreError> {
        self.close(wait);
        Ok(())
    }
}

impl spotify_web_driver::AsyncRateLimitGate for MemoryGate {
    fn closed_for(
        &self,
    ) -> spotify_web_driver::BoxFuture<'_, Result<Option<Duration>, spotify_web_driver::StoreError>>
    {
        Box::pin(std::future::ready(Ok(self.remaining())))
    }

    fn close_for(
        &self,
        wait: Duration,
    ) -> spotify_web_driver::BoxFuture<'_, Result<(), spotify_web_driver::StoreError>> {
        self.close(wait);
        Box::pin(std::future::ready(Ok(())))
    }
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
        .with_accounts_url(url(emulator.accounts_url()))
        .with_api_url(url(emulator.api_url()))
        .with_backoff(Duration::from_millis(5), Duration::from_millis(50))
}

impl<T: Connect> Setup<T> {
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
    pub fn artist(&self, id: &str) -> Result<spotify_web_core::model::Artist, Error> {
        let id: ArtistId = id.parse().unwrap_or_else(|e| panic!("{id}: {e}"));
        self.client.send(GetArtist::new(id))
    }
}

impl<T: Connect> Default for Setup<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The core's error a call ended with; panics on a success or a transport error.
pub fn spotify(result: Result<impl Sized, Error>) -> spotify_web_core::Error {
    match result {
        Ok(_) => panic!("expected an error, got a success"),
        Err(error) => error
            .spotify()
            .cloned()
            .unwrap_or_else(|| panic!("expected Spotify's error, got the transport's: {error}")),
    }
}

/// An ID of any kind from its text; panics if it is not one.
pub fn id<T: core::str::FromStr>(text: &str) -> T
where
    T::Err: fmt::Debug,
{
    text.parse().unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

/// The redirect URI the suite's sign-ins use.
pub const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// Runs the authorization up to the callback and returns what to sign in with.
pub fn authorize(emulator: &Emulator, user: &UserClient, pkce: bool) -> Login {
    authorize_with(emulator, user, pkce, &SCOPES)
}

/// As [`authorize`], granting only these scopes.
pub fn authorize_with(
    emulator: &Emulator,
    user: &UserClient,
    pkce: bool,
    scopes: &[Scope],
) -> Login {
    let redirect = RedirectUri::new(REDIRECT).unwrap_or_else(|e| panic!("{e}"));
    let state = CsrfState::from_random(&[9; 16]).unwrap_or_else(|e| panic!("{e}"));
    let verifier =
        pkce.then(|| PkceVerifier::from_random(&[4; 32]).unwrap_or_else(|e| panic!("{e}")));
    let mut url = AuthorizeUrl::new(user.id(), &redirect, &state).scopes(scopes.iter().copied());
    if let Some(verifier) = &verifier {
        url = url.pkce(verifier);
    }
    let accounts = BaseUrl::new(emulator.accounts_url()).unwrap_or_else(|e| panic!("{e}"));
    let back = emulator
        .approve(&url.build(&accounts))
        .unwrap_or_else(|e| panic!("{e}"));
    let code = parse_callback(&back, &state).unwrap_or_else(|e| panic!("{e}"));
    Login {
        code,
        redirect,
        verifier,
    }
}

/// The scopes the suite's users grant: every one the user endpoints need.
pub const SCOPES: [Scope; 14] = [
    Scope::UserReadPrivate,
    Scope::UserReadEmail,
    Scope::PlaylistReadPrivate,
    Scope::PlaylistModifyPublic,
    Scope::PlaylistModifyPrivate,
    Scope::UgcImageUpload,
    Scope::UserLibraryRead,
    Scope::UserLibraryModify,
    Scope::UserFollowRead,
    Scope::UserFollowModify,
    Scope::UserTopRead,
    Scope::UserReadRecentlyPlayed,
    Scope::UserReadPlaybackState,
    Scope::UserModifyPlaybackState,
];

/// A PKCE app for the emulator's client ID.
pub fn pkce_user(emulator: &Emulator) -> UserClient {
    UserClient::pkce(ClientId::new(emulator.client_id()))
}

/// Every log record of the process, at every level, for the suite's `never_prints_a_secret_or_token`.
#[derive(Debug)]
pub struct CapturingLogger;

/// The lines [`CapturingLogger`] captured.
pub static LOG_LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

impl log::Log for CapturingLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        LOG_LINES
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
    }

    fn flush(&self) {}
}

/// Every `tracing` span and event of the process, at every level, each as one line of its
/// name or message and all its fields: for the suite's checks of what the client traces.
#[derive(Debug)]
pub struct CapturingSubscriber {
    next_span: std::sync::atomic::AtomicU64,
}

/// The lines [`CapturingSubscriber`] captured.
pub static TRACE_LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

impl CapturingSubscriber {
    /// Makes it the process's global subscriber, once; later calls do nothing.
    pub fn install() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let subscriber = Self {
                next_span: std::sync::atomic::AtomicU64::new(1),
            };
            // Fails only if another global subscriber is set: this one then cannot capture.
            tracing::subscriber::set_global_default(subscriber)
                .unwrap_or_else(|e| panic!("a global subscriber is already set: {e}"));
        });
    }

    fn push(line: String) {
        TRACE_LINES
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
    }
}

/// Writes every field as `name=value`.
struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={value}", field.name()));
    }
}

impl tracing::Subscriber for CapturingSubscriber {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut fields);
        Self::push(fields.0);
        let id = self
            .next_span
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::span::Id::from_u64(id)
    }

    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = Fields("record".to_owned());
        values.record(&mut fields);
        Self::push(fields.0);
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(format!(
            "event {} {}",
            event.metadata().level(),
            event.metadata().target()
        ));
        event.record(&mut fields);
        Self::push(fields.0);
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

/// How an echoing server puts the request it received into its answer.
#[derive(Debug, Clone, Copy)]
pub enum Echo {
    /// 400 with Spotify's regular error object, the request as its message.
    ApiError,
    /// 400 with the accounts service's error object, the request as its description.
    AuthError,
    /// 500 with the request as plain text.
    PlainText,
    /// 502 with the request in an HTML page.
    Html,
}

/// A hostile server on loopback that answers every request with the request itself, as
/// `echo` says. Gives its base URL; it serves until the test process ends.
pub fn echo_server(echo: Echo) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            // The head, then as much body as it announces.
            while let Ok(read @ 1..) = stream.read(&mut buffer) {
                request.extend_from_slice(&buffer[..read]);
                let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text
                        .lines()
                        .find_map(|line| line.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let text = String::from_utf8_lossy(&request).into_owned();
            let quoted = serde_json::to_string(&text).unwrap_or_default();
            let (status, kind, body) = match echo {
                Echo::ApiError => (
                    "400 Bad Request",
                    "application/json",
                    format!(r#"{{"error":{{"status":400,"message":{quoted}}}}}"#),
                ),
                Echo::AuthError => (
                    "400 Bad Request",
                    "application/json",
                    format!(r#"{{"error":"invalid_request","error_description":{quoted}}}"#),
                ),
                Echo::PlainText => ("500 Internal Server Error", "text/plain", text),
                Echo::Html => (
                    "502 Bad Gateway",
                    "text/html",
                    format!("<html><body><pre>{text}</pre></body></html>"),
                ),
            };
            let answer = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}

/// A server on loopback that reads each request's head and then runs `script` on the
/// connection. Gives its base URL, and a count of the connections it served.
pub fn scripted_server(
    script: fn(&mut std::net::TcpStream),
) -> (String, impl Fn() -> usize + Send + Sync + 'static) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = Arc::clone(&served);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut head = Vec::new();
                let mut buffer = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(read @ 1..) => head.extend_from_slice(&buffer[..read]),
                        _ => return,
                    }
                }
                script(&mut stream);
            });
        }
    });
    (url, move || {
        served.load(std::sync::atomic::Ordering::SeqCst)
    })
}
