//! A local stand-in for Spotify's accounts service and Web API, on loopback.
//!
//! For tests, benchmarks and the offline quick start. It is written against Spotify's
//! documentation and recorded answers, never against the client's core crate, so that it checks
//! the client instead of agreeing with it.
//!
//! ```
//! use spotify_web_emulator::{Emulator, Route};
//!
//! let emulator = Emulator::start()?;
//! assert!(emulator.url().starts_with("http://127.0.0.1:"));
//! assert_eq!(emulator.api_url(), format!("{}/v1", emulator.url()));
//! assert_eq!(emulator.requests(Route::Token), 0);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! What it serves:
//!
//! - `POST /api/token`: the client-credentials, authorization-code (with a secret or PKCE) and
//!   refresh-token grants, with the client's ID and secret in the form body or as HTTP Basic;
//!   Spotify's accounts error objects for everything else.
//! - `GET /authorize`: a demo user who approves at once (or refuses, if told to) and is sent
//!   back to the redirect URI with a code and the state; `GET /v1/me` shows that user.
//! - `GET /v1/artists/{id}`, `/v1/artists?ids=`, `/v1/artists/{id}/albums`,
//!   `/v1/artists/{id}/top-tracks`, `/v1/albums/{id}`, `/v1/albums?ids=`,
//!   `/v1/albums/{id}/tracks`, `/v1/tracks/{id}`, `/v1/tracks?ids=` and `/v1/search`, over a
//!   bundled catalog of recorded answers, with bearer tokens that expire and Spotify's regular
//!   error objects.
//! - The demo user's state, for the user endpoints: playlists (create, change, add, replace,
//!   reorder, remove with a new `snapshot_id` each time, covers, follows; another user's
//!   playlist, [`OTHER_PLAYLIST`], whose items development-mode apps may not read); the library
//!   (`/v1/me/library` by URI, the saved lists, the type-specific endpoints), follows, top items
//!   and a listening history of 150 plays with Spotify's cursor pages; and a player with two
//!   devices, a queue, progress on the clock and a Premium flag ([`Emulator::set_premium`]).
//! - Shows, episodes, audiobooks and chapters (`data/spoken.json`), browse categories, new
//!   releases, markets and user profiles; the endpoints closed to new apps in November 2024
//!   answer what new apps get (404, or a bare 403 for audio features and analysis).
//! - Development mode ([`Builder::development_mode`]): the shapes and refusals Spotify gives
//!   development-mode apps since February 2026 (fields dropped, extended-quota endpoints 403,
//!   playlists' `items`/`item` instead of `tracks`/`track`).
//! - HTTPS, with the `tls` feature (`Builder::tls`): a certificate for `127.0.0.1` made at
//!   start and signed by the process's root (`root_certificate`), or a broken one on purpose
//!   (`ServerCertificate`); ALPN offers `h2` and `http/1.1` (`Builder::http2`).
//! - Faults switched on from a test: see [`Fault`].
//! - Counters of the requests served, per [`Route`].
//!
//! # Where its answers come from
//!
//! Sources are in `shared/spotify/API-FACTS.md` (sections named by §) and the issue threads it
//! cites; the messages below are Spotify's own words where a recorded answer gives them:
//!
//! - Regular errors (§3): `invalid id`, `Invalid limit`, `No search query`,
//!   `Only valid bearer authentication supported`, `No token provided`,
//!   `The access token expired`, `Resource not found`, `API rate limit exceeded`,
//!   `Bad gateway.`, `User not approved for app` (plain text), `{"error":{"status":403}}` with no
//!   message, a `reason` such as `PREMIUM_REQUIRED`; `too many ids requested`
//!   (thelinmichael/spotify-web-api-node#356, in lower case, with
//!   `cache-control: private, max-age=0`); `Bad search type field` (an API test suite run
//!   against Spotify; Spotify appends the type it did not know); `Non supported context uri`
//!   (fondberg/spotcast#26) and `position out of range` (gilbarbara/react-spotify-web-playback#166)
//!   from the player; `Player command failed: Premium required` and
//!   `Player command failed: No active device found` with their reasons.
//! - A method a path does not take gets `405` (Spotify's status table omits it, but clients
//!   have received it for a wrong method: spotipy-dev/spotipy#273,
//!   JMPerez/spotify-web-api-js#69); an unknown path gets `404 Service not found`.
//! - A `POST` or `PUT` that gives no `Content-Length` (nor `Transfer-Encoding`), even with no
//!   body, gets the front end's `411 Length Required` page in HTML (spotify/web-api#859,
//!   #1594), before it reaches the API.
//! - Caching (§6): `Cache-Control` on every API answer (`private, max-age=0`, about two minutes
//!   on search); an `ETag` only on a playlist, the user's playlists and the followed artists,
//!   where a matching `If-None-Match` gets `304` with no body.
//! - `available_markets` as recorded, on every catalog object that had it; development-mode
//!   apps get it nowhere (§7).
//!
//! Where no source says what Spotify does, it chooses and says so: a stale `snapshot_id`
//! gets `400 Missing or bad version tag` (Spotify may apply the change to the older version);
//! `after` on recently played gives the oldest plays after the cursor (Spotify does not say);
//! the body of its 405; `Cache-Control`'s `private` on search and the form of its `ETag`s
//! (Spotify's are opaque); and these messages, which no recorded answer gives: `Invalid offset`,
//! `Invalid position`, `Index out of bounds`, `Invalid uris`, `Invalid market code`,
//! `Unsupported URI type`, `Missing required parameter: …`, `Missing required field: …`,
//! `Invalid time range`, `Invalid cursor`, `Device not found` and the playlist ownership
//! refusals. A client that matches on statuses and reasons, never on these texts, is unaffected.
//! Its sign-in page (with [`Builder::sign_in_page`]) is its own: Spotify's login and consent
//! pages were not recorded (§2); what it keeps of them is the flow, a page, then a redirect
//! with `code` and `state`. Its demo users' avatars are served by the emulator itself
//! (`/images/avatar-N.svg`), where Spotify's are on `i.scdn.co`, so that a page showing one
//! never reaches beyond loopback.
//!
//! # The catalog
//!
//! `data/catalog.json`, built by `data/build_catalog.py` from the recorded answers in the core's
//! `tests/fixtures/` (their sources are in `SOURCES.md` there): 69 artists (Radiohead, Band of
//! Horses, Pitbull, Izal, …), 20 albums (*She's So Unusual*, *Discovery*, *Human After All*, …)
//! with their tracks, and 86 tracks. Radiohead has no albums or tracks in it yet. To grow it,
//! record an answer into the fixtures and run
//! `python3 emulator/data/build_catalog.py core/tests/fixtures > emulator/data/catalog.json`.
//!
//! `data/spoken.json`, built by `data/build_spoken.py` from the same recordings: 24 shows (5 of
//! them with episodes: 4 with their 9 recorded episodes, and *Old Hip Hop*'s 2 made
//! up), 23 audiobooks (3 with chapters: *Harry Potter and the Philosopher's Stone*'s 20
//! recorded ones, and *The Old Man and the Sea*'s 6 and *Old MacDonald Had A Farm*'s 17 made
//! up), the 5 recorded browse categories, and the 185 markets the recordings name. The made-up
//! episodes and chapters (no recording of them exists) follow the recorded objects' shape, as
//! many as their parent's recorded total says, and are named under `made_up` in the file.
//! Rebuild it with
//! `python3 emulator/data/build_spoken.py core/tests/fixtures > emulator/data/spoken.json`.

mod accounts;
mod catalog;
mod library;
mod paging;
mod player;
mod playlists;
mod server;
mod spoken;
#[cfg(feature = "tls")]
mod tls;

#[cfg(feature = "tls")]
pub use tls::{ServerCertificate, root_certificate};

pub use playlists::OTHER_PLAYLIST;

use std::collections::{HashMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use std::{fmt, io};

use tokio::sync::oneshot;

use crate::catalog::Catalog;

/// The client ID the emulator accepts unless told otherwise.
pub const DEMO_CLIENT_ID: &str = "emulator-client-id";
/// The client secret the emulator accepts unless told otherwise.
pub const DEMO_CLIENT_SECRET: &str = "emulator-client-secret";

/// The demo users who can sign in, as (user ID, display name): the first is the one
/// [`Emulator::approve`] signs in, and whose playlists, library and player the emulator keeps;
/// the sign-in page ([`Builder::sign_in_page`]) offers both. The second shares the first's
/// library and player: only its profile (`GET /v1/me`) is its own.
pub const DEMO_USERS: [(&str, &str); 2] = [
    ("emulator-user", "Emulator User"),
    ("emulator-listener", "Second Listener"),
];

/// The endpoints the emulator tells apart when it counts requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Route {
    /// `POST /api/token`
    Token,
    /// `GET /authorize`
    Authorize,
    /// `GET /v1/me`
    Me,
    /// `GET /v1/artists/{id}`
    Artist,
    /// `GET /v1/artists?ids=`
    SeveralArtists,
    /// `GET /v1/artists/{id}/albums`
    ArtistAlbums,
    /// `GET /v1/artists/{id}/top-tracks`
    ArtistTopTracks,
    /// `GET /v1/albums/{id}`
    Album,
    /// `GET /v1/albums?ids=`
    SeveralAlbums,
    /// `GET /v1/albums/{id}/tracks`
    AlbumTracks,
    /// `GET /v1/tracks/{id}`
    Track,
    /// `GET /v1/tracks?ids=`
    SeveralTracks,
    /// `GET /v1/search`
    Search,
    /// `GET`, `PUT /v1/playlists/{id}`
    Playlist,
    /// `GET`, `POST`, `PUT`, `DELETE /v1/playlists/{id}/items`
    PlaylistItems,
    /// `GET`, `PUT /v1/playlists/{id}/images`
    PlaylistImages,
    /// `PUT`, `DELETE /v1/playlists/{id}/followers` and `GET …/followers/contains`
    PlaylistFollowers,
    /// `GET`, `POST /v1/me/playlists` and `/v1/users/{id}/playlists`
    UserPlaylists,
    /// `/v1/me/library` and the saved lists (`/v1/me/tracks`, `/v1/me/albums`, …)
    Library,
    /// `GET /v1/me/top/{artists,tracks}`
    TopItems,
    /// `GET /v1/me/player/recently-played`
    RecentlyPlayed,
    /// `/v1/me/following` and `…/contains`
    Following,
    /// `/v1/me/player` and every player command under it but recently played
    Player,
    /// `GET /v1/shows…` and `GET /v1/episodes…`
    Shows,
    /// `GET /v1/audiobooks…` and `GET /v1/chapters…`
    Audiobooks,
    /// `GET /v1/browse/…` (new releases, categories), `/v1/markets` and `/v1/users/{id}`
    Browse,
    /// The endpoints closed to new apps on 2024-11-27 (related artists, recommendations,
    /// genre seeds, audio features and analysis, featured and category playlists)
    Deprecated,
    /// Anything else.
    Other,
}

impl Route {
    /// Whether this is a Web API route (under `/v1`), as opposed to the accounts service.
    pub fn is_api(self) -> bool {
        !matches!(self, Self::Token | Self::Authorize | Self::Other)
    }
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Target {
    /// Token requests (`POST /api/token`).
    Token,
    /// Web API requests (anything under `/v1`).
    Api,
}

/// Something going wrong on purpose, for the next requests of a [`Target`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer 429, with this `Retry-After` in seconds (or none) and Spotify's error object.
    RateLimit {
        /// The `Retry-After` header, in seconds; `None` leaves the header out.
        retry_after: Option<u64>,
    },
    /// Answer with this 5xx status: 500 with an error object, 502 with an HTML page, 503
    /// with an empty body, as Spotify has.
    ServerError {
        /// The status code.
        status: u16,
    },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Answer normally, but close the connection halfway through the body.
    TruncatedBody,
    /// Answer 200 with a body that is not valid JSON.
    MalformedJson,
    /// Close the connection without answering.
    DropConnection,
    /// Process the request (a playlist change takes effect), then close the connection
    /// without answering: what a client sees when the answer is lost on the way back.
    DropAfterProcessing,
    /// Answer 429 with an empty body (`Content-Length: 0`), as Spotify has
    /// (spotify/web-api#1267), with this `Retry-After` or none.
    RateLimitEmptyBody {
        /// The `Retry-After` header, in seconds; `None` leaves the header out.
        retry_after: Option<u64>,
    },
    /// Answer 429 with the body `{}` (thelinmichael/spotify-web-api-node#426).
    RateLimitEmptyObject,
    /// Answer 403 with `{"error":{"status":403}}` and no message (jwilsson/spotify-web-api-php
    /// #281), or with this `reason` too.
    Forbidden {
        /// The `reason` field, such as `PREMIUM_REQUIRED`; `None` leaves it out.
        reason: Option<&'static str>,
    },
    /// Answer 403 with the plain text `User not approved for app`, as development-mode apps
    /// get for users not on their list (spotipy#688).
    UserNotApproved,
    /// On the accounts service: `{"error":"invalid_client"}` with no description.
    InvalidClientWithoutDescription,
    /// On the accounts service: answer normally, but with `"token_type": "bearer"` in lower
    /// case.
    LowercaseBearer,
    /// Answer 503 with a plain-text body, as the accounts service has.
    TextUnavailable,
}

/// Settings for an emulator, before it starts.
#[derive(Debug, Clone)]
pub struct Builder {
    port: u16,
    client_id: String,
    client_secret: String,
    token_lifetime: Duration,
    limit_cap: u32,
    development_mode: bool,
    workers: usize,
    redirect_uris: Vec<String>,
    sign_in_page: bool,
    #[cfg(feature = "tls")]
    tls: Option<ServerCertificate>,
    #[cfg(feature = "tls")]
    http2: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            port: 0,
            client_id: DEMO_CLIENT_ID.into(),
            client_secret: DEMO_CLIENT_SECRET.into(),
            token_lifetime: Duration::from_secs(3600),
            limit_cap: 50,
            development_mode: false,
            workers: 2,
            redirect_uris: vec![
                "http://127.0.0.1/callback".into(),
                "http://[::1]/callback".into(),
            ],
            sign_in_page: false,
            #[cfg(feature = "tls")]
            tls: std::env::var_os("SPOTIFY_WEB_EMULATOR_TLS")
                .is_some_and(|on| on == "1")
                .then_some(ServerCertificate::Valid),
            #[cfg(feature = "tls")]
            http2: true,
        }
    }
}

impl Builder {
    /// Listen on this port of 127.0.0.1 (default 0: any free port).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Accept these client credentials (default [`DEMO_CLIENT_ID`], [`DEMO_CLIENT_SECRET`]).
    #[must_use]
    pub fn credentials(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.client_id = id.into();
        self.client_secret = secret.into();
        self
    }

    /// How long issued tokens last (default one hour, as Spotify's). `expires_in` is rounded
    /// up to whole seconds.
    #[must_use]
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// The largest `limit` that search and artist albums accept; above it they answer
    /// `400 Invalid limit` (default 50; development-mode apps have 10 since 2026).
    #[must_use]
    pub fn limit_cap(mut self, cap: u32) -> Self {
        self.limit_cap = cap;
        self
    }

    /// The app's registered redirect URIs (default `http://127.0.0.1/callback` and
    /// `http://[::1]/callback`, which allow any port, as Spotify allows a loopback URI
    /// registered without one). `/authorize` refuses any other, as Spotify does.
    #[must_use]
    pub fn redirect_uris(mut self, uris: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.redirect_uris = uris.into_iter().map(Into::into).collect();
        self
    }

    /// Shows a sign-in page at `GET /authorize` (off by default): the person picks one of
    /// [`DEMO_USERS`] and presses "Agree", and the page sends them back to the app with a code,
    /// as Spotify's consent page does; for tests that drive a real browser. Off, a `GET` is
    /// approved at once by the first demo user, as Spotify does for a user who approved the
    /// app before; [`Emulator::approve`] does that either way.
    #[must_use]
    pub fn sign_in_page(mut self, on: bool) -> Self {
        self.sign_in_page = on;
        self
    }

    /// Serve objects in the shape development-mode apps get since 2026: artists without
    /// `followers` and `popularity`, tracks without `popularity`, `external_ids` and
    /// `linked_from`, albums without `label`, `popularity` and `external_ids`.
    #[must_use]
    pub fn development_mode(mut self, on: bool) -> Self {
        self.development_mode = on;
        self
    }

    /// How many threads serve requests (default 2).
    #[must_use]
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// Serve HTTPS with this certificate instead of plain HTTP (the `tls` feature; off by
    /// default, or on with a valid certificate in a process whose environment has
    /// `SPOTIFY_WEB_EMULATOR_TLS=1`, which is how the conformance suite runs once over TLS).
    /// The URLs become `https://127.0.0.1:PORT`; a client trusts [`root_certificate`]. ALPN
    /// offers `h2` and `http/1.1`; [`Emulator::tls_handshakes`] and
    /// [`Emulator::http2_connections`] count what clients did.
    #[cfg(feature = "tls")]
    #[must_use]
    pub fn tls(mut self, certificate: ServerCertificate) -> Self {
        self.tls = Some(certificate);
        self
    }

    /// Whether ALPN offers HTTP/2 besides HTTP/1.1 (default yes; only with [`tls`](Self::tls)).
    #[cfg(feature = "tls")]
    #[must_use]
    pub fn http2(mut self, offer: bool) -> Self {
        self.http2 = offer;
        self
    }

    /// Plain HTTP, whatever the environment says.
    #[cfg(feature = "tls")]
    #[must_use]
    pub fn plain(mut self) -> Self {
        self.tls = None;
        self
    }

    /// Binds 127.0.0.1 and serves on a thread of its own until the emulator is dropped.
    ///
    /// # Errors
    ///
    /// If the port cannot be bound or the runtime cannot start.
    pub fn start(self) -> io::Result<Emulator> {
        let listener =
            std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        #[cfg(feature = "tls")]
        let tls = match self.tls {
            Some(certificate) => Some(tokio_rustls::TlsAcceptor::from(tls::server_config(
                certificate,
                self.http2,
            )?)),
            None => None,
        };
        #[cfg(feature = "tls")]
        let scheme = if tls.is_some() { "https" } else { "http" };
        #[cfg(not(feature = "tls"))]
        let scheme = "http";
        let url = format!("{scheme}://{addr}");
        let catalog = Catalog::bundled();
        let playlists = playlists::Playlists::seeded(&catalog);
        let library = library::Library::seeded(&catalog);
        let shared = Arc::new(Shared {
            base: url.clone(),
            client_id: self.client_id,
            client_secret: self.client_secret,
            limit_cap: self.limit_cap,
            redirect_uris: self.redirect_uris,
            sign_in_page: self.sign_in_page,
            catalog,
            spoken: spoken::Spoken::bundled(),
            state: Mutex::new(State {
                tokens: HashMap::new(),
                codes: HashMap::new(),
                refresh_tokens: HashMap::new(),
                deny: false,
                connections: 0,
                faults: HashMap::new(),
                counters: HashMap::new(),
                token_lifetime: self.token_lifetime,
                development_mode: self.development_mode,
                minted: 0,
                playlists,
                library,
                player: player::Player::default(),
                rotate_refresh_tokens: false,
                rate_limit: None,
                served: VecDeque::new(),
                refused: 0,
                handshakes: 0,
                http2_connections: 0,
            }),
            random: std::collections::hash_map::RandomState::new(),
            #[cfg(feature = "tls")]
            tls,
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(self.workers)
            .thread_name("spotify-web-emulator")
            .enable_all()
            .build()?;
        let (shutdown, stop) = oneshot::channel();
        let serve_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("spotify-web-emulator".into())
            .spawn(move || {
                runtime.block_on(server::serve(listener, serve_shared, stop));
                runtime.shutdown_timeout(Duration::from_secs(1));
            })?;
        Ok(Emulator {
            api_url: format!("{url}/v1"),
            url,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

/// Why [`Emulator::approve`] sent the user nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApproveError {
    /// The URL is not this emulator's `/authorize`.
    NotAuthorize,
    /// The emulator answered with a page instead of a redirect (an unknown client, no
    /// redirect URI): its text.
    Refused(String),
}

impl fmt::Display for ApproveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAuthorize => f.write_str("the URL is not this emulator's /authorize"),
            Self::Refused(text) => write!(f, "the emulator refused the authorization: {text}"),
        }
    }
}

impl std::error::Error for ApproveError {}

/// A running emulator. It stops when dropped.
pub struct Emulator {
    url: String,
    api_url: String,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may already be gone; either way it is stopping.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Emulator {
    /// Starts an emulator with the default settings on a free port of 127.0.0.1.
    ///
    /// # Errors
    ///
    /// If no port can be bound or the runtime cannot start.
    pub fn start() -> io::Result<Self> {
        Builder::default().start()
    }

    /// Settings for an emulator.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// `http://127.0.0.1:PORT` (`https://` when it serves TLS), which is also the accounts
    /// service's base URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The accounts service's base URL (the same as [`url`](Self::url)).
    pub fn accounts_url(&self) -> &str {
        &self.url
    }

    /// The Web API's base URL, `http://127.0.0.1:PORT/v1` (`https://` when it serves TLS).
    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    /// The client ID it accepts.
    pub fn client_id(&self) -> &str {
        &self.shared.client_id
    }

    /// The client secret it accepts.
    pub fn client_secret(&self) -> &str {
        &self.shared.client_secret
    }

    /// Applies `fault` to the next `times` requests of `target`, after faults already queued.
    pub fn inject(&self, target: Target, fault: Fault, times: usize) {
        let mut state = self.shared.lock();
        let queue = state.faults.entry(target).or_default();
        queue.extend(std::iter::repeat_n(fault, times));
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Makes every token issued so far expire now.
    pub fn expire_tokens(&self) {
        let now = Instant::now();
        for issued in self.shared.lock().tokens.values_mut() {
            issued.expires = now;
        }
    }

    /// Plays the user's browser: approves (or refuses, see
    /// [`set_user_refuses`](Self::set_user_refuses)) the authorization that `authorize_url`
    /// asks for, as `GET /authorize` would, and returns where the user is sent back to: the
    /// redirect URI with the code (or error) and the state.
    ///
    /// # Errors
    ///
    /// [`ApproveError::NotAuthorize`] for a URL that is not this emulator's `/authorize`;
    /// [`ApproveError::Refused`] with the text of the emulator's answer if the request is not
    /// one it would redirect (an unknown client, no redirect URI).
    pub fn approve(&self, authorize_url: &str) -> Result<String, ApproveError> {
        let query = authorize_url
            .strip_prefix(&format!("{}/authorize?", self.url))
            .ok_or(ApproveError::NotAuthorize)?;
        *self
            .shared
            .lock()
            .counters
            .entry(Route::Authorize)
            .or_insert(0) += 1;
        let answer = accounts::authorize(&self.shared, query);
        answer
            .headers
            .into_iter()
            .find(|(name, _)| name == hyper::header::LOCATION)
            .map(|(_, location)| location)
            .ok_or_else(|| {
                ApproveError::Refused(String::from_utf8_lossy(&answer.body).into_owned())
            })
    }

    /// Revokes every refresh token issued so far: refreshing with one is refused with
    /// `invalid_grant` / `Refresh token revoked`.
    pub fn revoke_refresh_tokens(&self) {
        for grant in self.shared.lock().refresh_tokens.values_mut() {
            grant.revoked = true;
        }
    }

    /// Makes the demo user refuse (`error=access_denied`) instead of approving at once.
    pub fn set_user_refuses(&self, refuses: bool) {
        self.shared.lock().deny = refuses;
    }

    /// How long tokens issued from now on last.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.lock().token_lifetime = lifetime;
    }

    /// Switches the development-mode shape on or off (see [`Builder::development_mode`]).
    pub fn set_development_mode(&self, on: bool) {
        self.shared.lock().development_mode = on;
    }

    /// The URIs a playlist holds now, in order (`None` for no such playlist): what tests check
    /// after a change, without going through a client.
    pub fn playlist_items(&self, id: &str) -> Option<Vec<String>> {
        self.shared.lock().playlists.item_uris(id)
    }

    /// Makes refreshes with a client secret rotate the refresh token too (the old one is
    /// revoked), as Spotify may; off at start, where only PKCE refreshes rotate.
    pub fn set_rotate_refresh_tokens(&self, on: bool) {
        self.shared.lock().rotate_refresh_tokens = on;
    }

    /// Makes the demo user Premium or not: without Premium, every player command gets
    /// Spotify's 403 with reason `PREMIUM_REQUIRED` (Premium is on at start).
    pub fn set_premium(&self, premium: bool) {
        self.shared.lock().player.premium = premium;
    }

    /// How many requests of this route it has received, faulted ones included.
    pub fn requests(&self, route: Route) -> usize {
        self.shared
            .lock()
            .counters
            .get(&route)
            .copied()
            .unwrap_or(0)
    }

    /// How many Web API requests (under `/v1`) it has received.
    pub fn api_requests(&self) -> usize {
        let state = self.shared.lock();
        state
            .counters
            .iter()
            .filter(|(route, _)| route.is_api())
            .map(|(_, count)| count)
            .sum()
    }

    /// Every access token, refresh token and authorization code it has handed out, so tests
    /// can check that none of them is ever printed.
    pub fn issued_secrets(&self) -> Vec<String> {
        let state = self.shared.lock();
        let tokens = state.tokens.keys();
        tokens
            .chain(state.refresh_tokens.keys())
            .chain(state.codes.keys())
            .cloned()
            .collect()
    }

    /// How many TCP connections it has accepted, so tests can check that clients reuse them.
    pub fn connections(&self) -> usize {
        self.shared.lock().connections
    }

    /// How many TLS handshakes completed (an emulator serving TLS; 0 otherwise).
    pub fn tls_handshakes(&self) -> usize {
        self.shared.lock().handshakes
    }

    /// How many connections negotiated HTTP/2 through ALPN (an emulator serving TLS; the
    /// others speak HTTP/1.1).
    pub fn http2_connections(&self) -> usize {
        self.shared.lock().http2_connections
    }

    /// How many access tokens it has issued (codes and refresh tokens are not counted).
    pub fn tokens_issued(&self) -> usize {
        self.shared.lock().tokens.len()
    }

    /// Limits the app as Spotify does, over a rolling window: more than `requests` Web API
    /// requests within `window` get 429 with a `Retry-After` of the whole seconds until the
    /// oldest leaves the window (Spotify's own numbers are unpublished; its window is 30 s).
    /// `None` lifts the limit (the default).
    pub fn set_rate_limit(&self, limit: Option<(usize, Duration)>) {
        let mut state = self.shared.lock();
        state.rate_limit = limit;
        state.served.clear();
    }

    /// How many Web API requests the rate limit of [`set_rate_limit`](Self::set_rate_limit)
    /// refused with 429.
    pub fn rate_limited(&self) -> usize {
        self.shared.lock().refused
    }

    /// Sets every counter back to zero.
    pub fn reset_counters(&self) {
        self.shared.lock().counters.clear();
    }
}

/// What the server threads and the [`Emulator`] handle share.
pub(crate) struct Shared {
    pub(crate) base: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) limit_cap: u32,
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) sign_in_page: bool,
    pub(crate) catalog: Catalog,
    pub(crate) spoken: spoken::Spoken,
    pub(crate) state: Mutex<State>,
    pub(crate) random: std::collections::hash_map::RandomState,
    /// Serves TLS with this, if set.
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<tokio_rustls::TlsAcceptor>,
}

pub(crate) struct State {
    /// Issued access tokens.
    pub(crate) tokens: HashMap<String, accounts::Issued>,
    /// Authorization codes handed out by `/authorize`.
    pub(crate) codes: HashMap<String, accounts::CodeGrant>,
    /// Refresh tokens handed out by code exchanges and refreshes.
    pub(crate) refresh_tokens: HashMap<String, accounts::RefreshGrant>,
    /// Whether the demo user refuses the app.
    pub(crate) deny: bool,
    /// How many connections were accepted.
    pub(crate) connections: usize,
    pub(crate) faults: HashMap<Target, VecDeque<Fault>>,
    pub(crate) counters: HashMap<Route, usize>,
    pub(crate) token_lifetime: Duration,
    pub(crate) development_mode: bool,
    /// Counts every token, refresh token and code made, so each one is different.
    pub(crate) minted: u64,
    /// The demo user's playlists and another user's.
    pub(crate) playlists: playlists::Playlists,
    /// The demo user's library, follows and listening history.
    pub(crate) library: library::Library,
    /// The demo user's player.
    pub(crate) player: player::Player,
    /// Whether refreshing with a secret also rotates the refresh token.
    pub(crate) rotate_refresh_tokens: bool,
    /// The app's rate limit, if one is set: so many API requests in a rolling window.
    pub(crate) rate_limit: Option<(usize, Duration)>,
    /// When the API requests the limit counts were served, oldest first.
    pub(crate) served: VecDeque<Instant>,
    /// How many API requests the limit refused with 429.
    pub(crate) refused: usize,
    /// How many TLS handshakes completed, and how many of those connections speak HTTP/2.
    pub(crate) handshakes: usize,
    pub(crate) http2_connections: usize,
}

impl State {
    /// Whether the rate limit refuses an API request now, and for how long (whole seconds,
    /// at least 1, as Spotify's `Retry-After`). An accepted request counts toward the window.
    pub(crate) fn rate_limited(&mut self, now: Instant) -> Option<u64> {
        let (requests, window) = self.rate_limit?;
        while self
            .served
            .front()
            .is_some_and(|served| now.duration_since(*served) >= window)
        {
            self.served.pop_front();
        }
        if self.served.len() < requests {
            self.served.push_back(now);
            return None;
        }
        self.refused += 1;
        let oldest = self.served.front().copied().unwrap_or(now);
        let wait = window.saturating_sub(now.duration_since(oldest));
        Some(wait.as_secs_f64().ceil().max(1.0) as u64)
    }
}

impl Shared {
    /// The state, even if a thread panicked while holding it (counters stay usable).
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
