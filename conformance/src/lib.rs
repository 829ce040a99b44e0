//! One behaviour suite for every transport, run against the emulator.
//!
//! A transport implements [`Transport`] (a handful of lines: build a client for an emulator,
//! send an endpoint, say which of its errors carry the core's error) and invokes
//! [`conformance_suite!`] in its tests. Every rule the session promises is then checked
//! end to end through that transport's real I/O.

use core::fmt;
use std::time::{Duration, Instant};

use std::io::{Read, Write};
use std::sync::{Arc, Mutex, PoisonError};

use spotify_web_core::auth::{ClientCredentials, ClientId, ClientSecret};
use spotify_web_core::authorize::{
    AuthorizationCode, AuthorizeUrl, PkceVerifier, RedirectUri, Scope, State, UserClient,
    parse_callback,
};
use spotify_web_core::endpoint::GetCurrentUser;
use spotify_web_core::endpoint::{
    GetAlbum, GetAlbumTracks, GetArtistAlbums, GetArtistTopTracks, GetSeveralAlbums,
    GetSeveralArtists, GetSeveralTracks, GetTrack, IncludeGroup, NextPage, Search, SearchQuery,
    SearchType,
};
use spotify_web_core::error::{ApiError, AuthError};
use spotify_web_core::id::{AlbumId, ArtistId, TrackId};
use spotify_web_core::model::{AlbumType, Page};
use spotify_web_core::session::Config;
use spotify_web_core::store::{StoredToken, TokenStore};
use spotify_web_core::url::BaseUrl;
use spotify_web_core::{Endpoint, Error, GetArtist};
use spotify_web_emulator::{Emulator, Fault, Route, Target};

/// What the suite needs from a transport.
pub trait Transport: Clone + Send + Sync + fmt::Debug + 'static {
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

    /// Collects at most `max` items of a paged list, with the transport's own page walker.
    fn items<E, T>(&self, endpoint: E, max: usize) -> Result<Vec<T>, Self::Error>
    where
        E: Endpoint<Output = Page<T>> + Send + 'static,
        NextPage<T>: Endpoint<Output = Page<T>>,
        T: Send + 'static;

    /// A client acting for a user, whose tokens `store` keeps: signed in with `login` if given,
    /// else from the token the store holds.
    fn user(
        user: UserClient,
        store: SharedStore,
        config: Config,
        login: Option<Login>,
    ) -> Result<Self, Self::Error>;

    /// The core's error inside a transport error, if that is what it is.
    fn spotify_error(error: &Self::Error) -> Option<&Error>;

    /// Which kind of transport failure the error is ([`Failure::Spotify`] for the core's).
    fn failure(error: &Self::Error) -> Failure;

    /// A client with a cap on answer bodies and a timeout for each exchange.
    fn connect_with_limits(
        credentials: ClientCredentials,
        config: Config,
        max_body_size: usize,
        timeout: Duration,
    ) -> Self;
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
    /// Anything else.
    Other,
}

/// What a callback gave, for [`Transport::user`] to sign in with.
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

fn spotify<T: Transport>(result: Result<impl Sized, T::Error>) -> Error {
    match result {
        Ok(_) => panic!("expected an error, got a success"),
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
    // Connections are reused. (hyper hands a connection back to its pool asynchronously, so
    // the next request may now and then open another one: a few, never one per request.)
    assert!(
        s.emulator.connections() <= 5,
        "{} connections for 101 sequential requests",
        s.emulator.connections()
    );
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
            retry_after: Some(Duration::from_secs(20_000)),
            retry_at: None,
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
    assert_eq!(T::failure(&error), Failure::Interrupted, "{error:?}");
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
    assert_eq!(T::failure(&error), Failure::Interrupted, "{error:?}");
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

fn id<T: core::str::FromStr>(text: &str) -> T
where
    T::Err: fmt::Debug,
{
    text.parse().unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

/// Search finds artists and tracks by field filters, and pages of results can be walked.
pub fn searches_and_walks_result_pages<T: Transport>() {
    let s = Setup::<T>::new();
    let query = SearchQuery::new("").artist("radiohead");
    let results = s
        .client
        .send(Search::new(query, [SearchType::Artist]).unwrap_or_else(|e| panic!("{e}")))
        .unwrap();
    let artists = results.artists.unwrap_or_else(|| panic!("no artists page"));
    assert_eq!(artists.items[0].name, "Radiohead");
    assert!(results.tracks.is_none());
    let search = Search::new("muse", [SearchType::Artist, SearchType::Track])
        .unwrap_or_else(|e| panic!("{e}"))
        .limit(3);
    let results = s.client.send(search).unwrap();
    let artists = results.artists.unwrap_or_else(|| panic!("no artists page"));
    assert_eq!(artists.items.len(), 3);
    assert!(artists.total > 3);
    // The next link is followed as given and the search wrapping taken off.
    let next = artists
        .next_page()
        .unwrap_or_else(|| panic!("no next page"));
    let second = s.client.send(next).unwrap();
    assert_eq!(second.offset, 3);
    assert_ne!(second.items[0].id, artists.items[0].id);
    let all = s
        .client
        .items(
            NextPage::<spotify_web_core::model::Track>::new(format!(
                "{}/search?q=muse&type=track&limit=2",
                s.emulator.api_url()
            )),
            100,
        )
        .unwrap();
    let total = results.tracks.map(|t| t.total).unwrap_or_default();
    assert_eq!(all.len(), total as usize);
}

/// A limit the server refuses comes back as its 400, with a hint.
pub fn reports_a_refused_limit<T: Transport>() {
    let s = Setup::<T>::with(
        Emulator::builder()
            .limit_cap(10)
            .start()
            .unwrap_or_else(|e| panic!("emulator: {e}")),
    );
    let search = Search::new("muse", [SearchType::Artist])
        .unwrap_or_else(|e| panic!("{e}"))
        .limit(11);
    let error = spotify::<T>(s.client.send(search));
    assert!(
        matches!(&error, Error::Api(ApiError { status: 400, message: Some(m), .. }) if m == "Invalid limit"),
        "{error:?}"
    );
    assert!(error.to_string().contains("at most 10"), "{error}");
}

/// Albums, their tracks, tracks and top tracks.
pub fn gets_albums_tracks_and_top_tracks<T: Transport>() {
    let s = Setup::<T>::new();
    let album = s
        .client
        .send(GetAlbum::new(id::<AlbumId>("2noRn2Aes5aoNVsU6iWThc")))
        .unwrap();
    assert_eq!(album.name, "Discovery");
    assert_eq!(
        album.release_date.as_ref().and_then(|d| d.year()),
        Some(2001)
    );
    assert_eq!(album.tracks.as_ref().map(|t| t.total), Some(14));
    let page = s
        .client
        .send(GetAlbumTracks::new(album.id).limit(5).offset(10))
        .unwrap();
    assert_eq!(
        (page.items.len(), page.total, page.next.is_none()),
        (4, 14, true)
    );
    let every = s
        .client
        .items(GetAlbumTracks::new(album.id).limit(4), 100)
        .unwrap();
    assert_eq!(every.len(), 14);
    assert_eq!(
        every.iter().map(|t| t.track_number).collect::<Vec<_>>(),
        (1..=14).collect::<Vec<_>>()
    );
    let track = s
        .client
        .send(GetTrack::new(id::<TrackId>("3n3Ppam7vgaVa1iaRUc9Lp")))
        .unwrap();
    assert_eq!(track.name, "Mr. Brightside");
    let top = s
        .client
        .send(GetArtistTopTracks::new(id::<ArtistId>("0TnOYISbd1XYRBk9myaseg")).market("US"))
        .unwrap();
    assert!(!top.is_empty() && top.len() <= 10);
    assert_eq!(s.emulator.requests(Route::Token), 1);
}

/// An artist's albums, by group, page after page, with an item cap that stops fetching.
pub fn walks_artist_albums<T: Transport>() {
    let s = Setup::<T>::new();
    let pitbull = id::<ArtistId>("0TnOYISbd1XYRBk9myaseg");
    let first = s
        .client
        .send(GetArtistAlbums::new(pitbull).limit(2))
        .unwrap();
    let all = s
        .client
        .items(GetArtistAlbums::new(pitbull).limit(2), 1000)
        .unwrap();
    assert_eq!(all.len(), first.total as usize);
    let before = s.emulator.requests(Route::ArtistAlbums);
    let three = s
        .client
        .items(GetArtistAlbums::new(pitbull).limit(2), 3)
        .unwrap();
    assert_eq!(three.len(), 3);
    assert_eq!(
        s.emulator.requests(Route::ArtistAlbums) - before,
        2,
        "fetched more pages than the cap needs"
    );
    let singles = s
        .client
        .items(
            GetArtistAlbums::new(pitbull).include_groups([IncludeGroup::Single]),
            1000,
        )
        .unwrap();
    assert!(
        singles
            .iter()
            .all(|a| a.album_group == Some(AlbumType::Single)),
        "{singles:?}"
    );
}

/// Many IDs go in chunks of the server's maximum, and come back in order.
pub fn gets_several_in_chunks_in_order<T: Transport>() {
    let s = Setup::<T>::new();
    let known = [
        "4Z8W4fKeB5YxbusRsdQVPb",
        "0OdUWJ0sBjDrqHygGUXeCF",
        "0TnOYISbd1XYRBk9myaseg",
    ];
    let ids: Vec<ArtistId> = (0..120)
        .map(|i| {
            if i % 40 == 0 {
                id(known[i / 40])
            } else {
                id(&format!("{i:0>22}"))
            }
        })
        .collect();
    let mut artists = Vec::new();
    for chunk in GetSeveralArtists::chunked(ids) {
        artists.extend(s.client.send(chunk).unwrap());
    }
    assert_eq!(artists.len(), 120);
    assert_eq!(s.emulator.requests(Route::SeveralArtists), 3);
    let names: Vec<(usize, String)> = artists
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.as_ref().map(|a| (i, a.name.clone())))
        .collect();
    assert_eq!(
        names,
        [
            (0, "Radiohead".to_owned()),
            (40, "Band of Horses".to_owned()),
            (80, "Pitbull".to_owned())
        ]
    );
    let albums = s
        .client
        .send(
            GetSeveralAlbums::new([id("2noRn2Aes5aoNVsU6iWThc"), id("0000000000000000000000")])
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .unwrap();
    assert_eq!(
        albums[0].as_ref().map(|a| a.name.as_str()),
        Some("Discovery")
    );
    assert!(albums[1].is_none());
    let tracks = s
        .client
        .send(
            GetSeveralTracks::new([id("3n3Ppam7vgaVa1iaRUc9Lp")]).unwrap_or_else(|e| panic!("{e}")),
        )
        .unwrap();
    assert_eq!(
        tracks[0].as_ref().map(|t| t.name.as_str()),
        Some("Mr. Brightside")
    );
}

/// A page link to another host is refused before anything is sent.
pub fn refuses_to_follow_a_link_to_another_host<T: Transport>() {
    let s = Setup::<T>::new();
    s.artist(RADIOHEAD).unwrap();
    let link: NextPage<spotify_web_core::model::Album> =
        NextPage::new("http://127.0.0.2:9/v1/artists/x/albums?offset=2");
    let error = spotify::<T>(s.client.send(link));
    assert!(matches!(error, Error::InvalidUrl(_)), "{error:?}");
    assert_eq!(s.emulator.api_requests(), 1);
}

const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// Runs the authorization up to the callback and returns what to sign in with.
fn authorize(emulator: &Emulator, user: &UserClient, pkce: bool) -> Login {
    let redirect = RedirectUri::new(REDIRECT).unwrap_or_else(|e| panic!("{e}"));
    let state = State::from_random(&[9; 16]).unwrap_or_else(|e| panic!("{e}"));
    let verifier =
        pkce.then(|| PkceVerifier::from_random(&[4; 32]).unwrap_or_else(|e| panic!("{e}")));
    let mut url = AuthorizeUrl::new(user.id(), &redirect, &state)
        .scopes([Scope::UserReadPrivate, Scope::UserReadEmail]);
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

fn pkce_user(emulator: &Emulator) -> UserClient {
    UserClient::pkce(ClientId::new(emulator.client_id()))
}

/// The PKCE flow end to end: authorize, callback, code exchange, the user's profile; the
/// tokens land in the store.
pub fn signs_a_user_in_with_pkce<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = pkce_user(&emulator);
    let login = authorize(&emulator, &user, true);
    let store = SharedStore::default();
    let client = T::user(user, store.clone(), config_for(&emulator), Some(login)).unwrap();
    let me = client.send(GetCurrentUser::new()).unwrap();
    assert_eq!(me.id, "emulator-user");
    assert_eq!(me.email.as_deref(), Some("user@emulator.test"));
    let saved = store
        .get()
        .unwrap_or_else(|| panic!("the login was not saved"));
    assert!(saved.refresh_token.is_some());
    assert_eq!(saved.scope, "user-read-email user-read-private");
    // Catalog calls work with a user's token too.
    assert_eq!(
        client.send(GetArtist::new(id(RADIOHEAD))).unwrap().name,
        "Radiohead"
    );
}

/// An expired user token is refreshed once, the rotated refresh token saved, and a later
/// client starts from the store without signing in again.
pub fn refreshes_a_user_token_and_saves_it<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = pkce_user(&emulator);
    let login = authorize(&emulator, &user, true);
    let store = SharedStore::default();
    let client = T::user(
        user.clone(),
        store.clone(),
        config_for(&emulator),
        Some(login),
    )
    .unwrap();
    client.send(GetCurrentUser::new()).unwrap();
    let first = store.get().unwrap_or_else(|| panic!("not saved"));
    emulator.expire_tokens();
    client.send(GetCurrentUser::new()).unwrap();
    let second = store.get().unwrap_or_else(|| panic!("not saved"));
    assert_ne!(second.access_token, first.access_token);
    assert_ne!(
        second.refresh_token, first.refresh_token,
        "PKCE refresh tokens rotate"
    );
    assert_eq!(
        emulator.requests(Route::Token),
        2,
        "one exchange, one refresh"
    );
    drop(client);
    let later = T::user(user, store, config_for(&emulator), None).unwrap();
    assert_eq!(
        later.send(GetCurrentUser::new()).unwrap().id,
        "emulator-user"
    );
    assert_eq!(
        emulator.requests(Route::Token),
        2,
        "the saved token was used as it was"
    );
}

/// Many threads renewing a user's rotating (PKCE) tokens at once leave the newest refresh
/// token in the store: a later client starts from it without signing in again.
pub fn keeps_the_newest_refresh_token_under_rotation<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = pkce_user(&emulator);
    let login = authorize(&emulator, &user, true);
    let store = SharedStore::default();
    drop(
        T::user(
            user.clone(),
            store.clone(),
            config_for(&emulator),
            Some(login),
        )
        .unwrap(),
    );
    for round in 0..5 {
        // Each round's client starts from what the store kept.
        let client = T::user(user.clone(), store.clone(), config_for(&emulator), None).unwrap();
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(std::sync::atomic::Ordering::SeqCst) {
                    emulator.expire_tokens();
                    std::thread::sleep(Duration::from_millis(3));
                }
            });
            let threads: Vec<_> = (0..32)
                .map(|_| {
                    let client = client.clone();
                    scope.spawn(move || {
                        for _ in 0..10 {
                            // A call can meet two expiries in a row and end with a 401: what
                            // matters here is what the store keeps.
                            let _ = client.send(GetCurrentUser::new());
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread
                    .join()
                    .unwrap_or_else(|_| panic!("a caller panicked"));
            }
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        // Whatever the store holds must still be good: a new client renews with it.
        emulator.expire_tokens();
        let later = T::user(user.clone(), store.clone(), config_for(&emulator), None).unwrap();
        if let Err(error) = later.send(GetCurrentUser::new()) {
            panic!("round {round}: the stored refresh token no longer works: {error}");
        }
    }
}

/// An app with a secret signs in with it; its refresh answers carry no refresh token, and
/// the old one is kept.
pub fn keeps_the_refresh_token_of_a_confidential_app<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = UserClient::confidential(
        ClientId::new(emulator.client_id()),
        ClientSecret::new(emulator.client_secret()),
    );
    let login = authorize(&emulator, &user, false);
    let store = SharedStore::default();
    let client = T::user(user, store.clone(), config_for(&emulator), Some(login)).unwrap();
    let first = store.get().unwrap_or_else(|| panic!("not saved"));
    emulator.expire_tokens();
    client.send(GetCurrentUser::new()).unwrap();
    let second = store.get().unwrap_or_else(|| panic!("not saved"));
    assert_ne!(second.access_token, first.access_token);
    assert_eq!(second.refresh_token, first.refresh_token);
}

/// A revoked refresh token ends the call with `invalid_grant`; a reused code is refused; an
/// empty store asks for a login.
pub fn reports_revoked_tokens_reused_codes_and_missing_logins<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let user = pkce_user(&emulator);
    let login = authorize(&emulator, &user, true);
    let reused = Login {
        code: AuthorizationCode::new(login.code.secret()),
        redirect: login.redirect.clone(),
        verifier: login.verifier.clone(),
    };
    let store = SharedStore::default();
    let client = T::user(user.clone(), store, config_for(&emulator), Some(login)).unwrap();
    emulator.revoke_refresh_tokens();
    emulator.expire_tokens();
    let error = spotify::<T>(client.send(GetCurrentUser::new()));
    assert!(
        matches!(&error, Error::Auth(AuthError { error, .. }) if error == "invalid_grant"),
        "{error:?}"
    );
    let error = spotify::<T>(T::user(
        user.clone(),
        SharedStore::default(),
        config_for(&emulator),
        Some(reused),
    ));
    assert!(
        matches!(&error, Error::Auth(AuthError { description: Some(d), .. }) if d == "Invalid authorization code"),
        "{error:?}"
    );
    let error = spotify::<T>(T::user(
        user,
        SharedStore::default(),
        config_for(&emulator),
        None,
    ));
    assert_eq!(error, Error::LoginRequired);
}

/// Every log record of the process, at every level, for [`never_prints_a_secret_or_token`].
struct CapturingLogger;

static LOG_LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

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

/// Runs every flow, successes and failures, with a canary client secret, and checks that no
/// secret or token the emulator handed out shows in any `Debug`, `Display`, error or log line.
pub fn never_prints_a_secret_or_token<T: Transport>() {
    // Another test may have installed the logger first: either way, it captures.
    let _ = log::set_logger(&CapturingLogger);
    log::set_max_level(log::LevelFilter::Trace);
    let secret = "canary-client-secret-4d1f";
    let emulator = Emulator::builder()
        .credentials("canary-client-id", secret)
        .start()
        .unwrap_or_else(|e| panic!("emulator: {e}"));
    let config = config_for(&emulator);
    let mut printed = Vec::new();
    let mut note = |text: String| printed.push(text);

    let app = T::connect(
        ClientCredentials::new("canary-client-id", secret),
        config.clone(),
    );
    note(format!("{app:?}"));
    let artist = app.send(GetArtist::new(id(RADIOHEAD)));
    note(format!("{artist:?}"));
    for fault in [
        Fault::RateLimit {
            retry_after: Some(20_000),
        },
        Fault::MalformedJson,
        Fault::ServerError { status: 502 },
    ] {
        emulator.inject(Target::Api, fault, 4);
        let result = app.send(GetArtist::new(id(RADIOHEAD)));
        emulator.clear_faults();
        if let Err(error) = &result {
            note(error.to_string());
        }
        note(format!("{result:?}"));
    }
    for fault in [Fault::TruncatedBody, Fault::DropConnection] {
        emulator.inject(Target::Api, fault, 8);
        let result = app.send(GetArtist::new(id(RADIOHEAD)));
        emulator.clear_faults();
        note(format!("{result:?}"));
        if let Err(error) = &result {
            note(error.to_string());
        }
    }
    emulator.expire_tokens();
    note(format!("{:?}", app.send(GetArtist::new(id(RADIOHEAD)))));
    note(format!("{app:?}"));
    let wrong = T::connect(
        ClientCredentials::new("canary-client-id", "canary-wrong-secret"),
        config.clone(),
    );
    let refused = wrong.send(GetArtist::new(id(RADIOHEAD)));
    note(format!("{refused:?}"));
    if let Err(error) = &refused {
        note(error.to_string());
    }

    let user = UserClient::pkce(ClientId::new("canary-client-id"));
    let login = authorize(&emulator, &user, true);
    note(format!("{login:?}"));
    let store = SharedStore::default();
    let signed_in = T::user(user.clone(), store.clone(), config.clone(), Some(login)).unwrap();
    note(format!("{:?}", signed_in.send(GetCurrentUser::new())));
    note(format!("{:?} {:?}", store.get(), signed_in));
    emulator.expire_tokens();
    note(format!("{:?}", signed_in.send(GetCurrentUser::new())));
    emulator.revoke_refresh_tokens();
    emulator.expire_tokens();
    let revoked = signed_in.send(GetCurrentUser::new());
    note(format!("{revoked:?}"));
    if let Err(error) = &revoked {
        note(error.to_string());
    }
    let reused = authorize(&emulator, &user, true);
    let code = AuthorizationCode::new(reused.code.secret());
    note(format!(
        "{:?}",
        T::user(
            user.clone(),
            SharedStore::default(),
            config.clone(),
            Some(reused)
        )
    ));
    let again = Login {
        code,
        redirect: RedirectUri::new(REDIRECT).unwrap_or_else(|e| panic!("{e}")),
        verifier: None,
    };
    let error = T::user(user, SharedStore::default(), config, Some(again)).err();
    note(format!("{error:?}"));
    if let Some(error) = error {
        note(error.to_string());
    }

    let logs = LOG_LINES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    eprintln!(
        "checked {} printed values and {} log lines",
        printed.len(),
        logs.len()
    );
    let mut canaries = emulator.issued_secrets();
    canaries.push(secret.to_owned());
    canaries.push("canary-wrong-secret".to_owned());
    assert!(
        canaries.len() > 10,
        "the flows issued too few tokens to mean anything"
    );
    for text in printed.iter().chain(&logs) {
        for canary in &canaries {
            assert!(
                !text.contains(canary.as_str()),
                "a secret was printed: {text}"
            );
        }
    }
}

/// A few thousand calls from several threads with every fault switched on: each ends with
/// the right artist or a typed error of a kind the faults explain; none is lost, none wrong.
pub fn soak_under_faults_loses_nothing<T: Transport>() {
    let s = Setup::<T>::with(
        Emulator::builder()
            .workers(2)
            .start()
            .unwrap_or_else(|e| panic!("emulator: {e}")),
    );
    let config = config_for(&s.emulator)
        .default_retry_after(Duration::from_millis(1))
        .backoff(Duration::from_millis(1), Duration::from_millis(4));
    let credentials = ClientCredentials::new(s.emulator.client_id(), s.emulator.client_secret());
    let client = T::connect(credentials, config);
    let faults = [
        Fault::RateLimit {
            retry_after: Some(0),
        },
        Fault::RateLimit { retry_after: None },
        Fault::ServerError { status: 500 },
        Fault::ServerError { status: 502 },
        Fault::ServerError { status: 503 },
        Fault::TruncatedBody,
        Fault::MalformedJson,
        Fault::DropConnection,
    ];
    const THREADS: usize = 8;
    const CALLS: usize = 250;
    let deadline = Instant::now() + Duration::from_secs(120);
    let emulator = &s.emulator;
    let all: Vec<Vec<Result<spotify_web_core::model::Artist, T::Error>>> =
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..THREADS)
                .map(|t| {
                    let client = client.clone();
                    scope.spawn(move || {
                        let mut outcomes = Vec::with_capacity(CALLS);
                        for i in 0..CALLS {
                            if Instant::now() > deadline {
                                break;
                            }
                            // Every third call queues a fault for whichever request comes next.
                            if i % 3 == 0 {
                                emulator.inject(Target::Api, faults[(t + i) % faults.len()], 1);
                            }
                            outcomes.push(client.send(GetArtist::new(id(RADIOHEAD))));
                        }
                        outcomes
                    })
                })
                .collect();
            threads
                .into_iter()
                .map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|_| panic!("a calling thread panicked"))
                })
                .collect()
        });
    let mut counts = std::collections::BTreeMap::new();
    let mut total = 0;
    for outcomes in all {
        for outcome in outcomes {
            total += 1;
            let kind = match outcome {
                Ok(artist) => {
                    assert_eq!(
                        (artist.id.as_str(), artist.name.as_str()),
                        (RADIOHEAD, "Radiohead")
                    );
                    "ok"
                }
                Err(error) if T::failure(&error) == Failure::Interrupted => "interrupted",
                Err(error) => match T::spotify_error(&error) {
                    Some(Error::RateLimited { .. }) => "rate limited",
                    Some(Error::UnexpectedStatus(e)) if e.status >= 500 => "server error",
                    Some(Error::Api(e)) if e.status >= 500 => "server error",
                    Some(Error::Decode(e)) if e.what == "artist" => "malformed",
                    _ => panic!("an error no fault explains: {error:?}"),
                },
            };
            *counts.entry(kind).or_insert(0usize) += 1;
        }
    }
    eprintln!("soak: {total} calls: {counts:?}");
    assert_eq!(
        total,
        THREADS * CALLS,
        "calls were lost or the soak ran out of time: {counts:?}"
    );
    assert!(
        counts.get("ok").copied().unwrap_or(0) > total / 2,
        "{counts:?}"
    );
    assert_eq!(s.emulator.requests(Route::Token), 1, "{counts:?}");
}

/// A redirect is not followed (a token must never go to another host): it comes back as an
/// unexpected status.
pub fn does_not_follow_redirects<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let api = format!(
        "http://{}/v1",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let redirecting = std::thread::spawn(move || {
        let mut served = 0;
        for stream in listener.incoming().take(1) {
            let mut stream = stream.unwrap_or_else(|e| panic!("{e}"));
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head);
            let answer = "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:9/v1/artists/x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            stream
                .write_all(answer.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
            served += 1;
        }
        served
    });
    let config =
        config_for(&emulator).api_url(BaseUrl::new(&api).unwrap_or_else(|e| panic!("{e}")));
    let client = T::connect(
        ClientCredentials::new(emulator.client_id(), emulator.client_secret()),
        config,
    );
    let error = spotify::<T>(client.send(GetArtist::new(id(RADIOHEAD))));
    assert!(
        matches!(&error, Error::UnexpectedStatus(e) if e.status == 302),
        "{error:?}"
    );
    assert_eq!(
        redirecting
            .join()
            .unwrap_or_else(|_| panic!("the listener panicked")),
        1
    );
}

/// How an echoing server puts the request it received into its answer.
#[derive(Debug, Clone, Copy)]
enum Echo {
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
fn echo_server(echo: Echo) -> String {
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

/// Servers that echo the request into their error answers (a 400 error object, a plain 500,
/// an HTML 502, the token endpoint's 400 and 500) never put a credential into an error's
/// `Display` or `Debug`: not the access token, the client secret or the Basic pair.
pub fn never_shows_a_secret_a_server_echoes<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = || ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let pair = format!("{}:{}", emulator.client_id(), emulator.client_secret());
    let mut shown = Vec::new();
    for echo in [Echo::ApiError, Echo::PlainText, Echo::Html] {
        let api = format!("{}/v1", echo_server(echo));
        let config = config_for(&emulator)
            .max_retries(1)
            .api_url(BaseUrl::new(&api).unwrap_or_else(|e| panic!("{e}")));
        let client = T::connect(credentials(), config);
        let error = client
            .send(GetArtist::new(id(RADIOHEAD)))
            .err()
            .unwrap_or_else(|| panic!("{echo:?}: an echo is no artist"));
        shown.push((echo, format!("{error} | {error:?}")));
    }
    for echo in [Echo::AuthError, Echo::PlainText] {
        let accounts = echo_server(echo);
        let config = config_for(&emulator)
            .max_retries(1)
            .accounts_url(BaseUrl::new(&accounts).unwrap_or_else(|e| panic!("{e}")));
        let client = T::connect(credentials(), config);
        let error = client
            .send(GetArtist::new(id(RADIOHEAD)))
            .err()
            .unwrap_or_else(|| panic!("{echo:?}: an echo is no token"));
        shown.push((echo, format!("{error} | {error:?}")));
    }
    let basic = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &pair);
    let tokens = emulator.issued_secrets();
    assert!(!tokens.is_empty(), "the API echoes were sent with a token");
    for (echo, text) in &shown {
        assert!(
            text.contains("<redacted>"),
            "{echo:?} showed no echo at all: {text}"
        );
        for secret in tokens.iter().map(String::as_str).chain([
            emulator.client_secret(),
            pair.as_str(),
            basic.as_str(),
        ]) {
            assert!(!text.contains(secret), "{echo:?} shows {secret}: {text}");
        }
    }
}

/// An answer above the size cap is refused, not retried, and the client stays usable.
pub fn refuses_answers_above_the_size_cap<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = || ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    // The token answer fits in 200 bytes; the artist does not.
    let small = T::connect_with_limits(
        credentials(),
        config_for(&emulator),
        200,
        Duration::from_secs(10),
    );
    let error = small
        .send(GetArtist::new(id(RADIOHEAD)))
        .err()
        .unwrap_or_else(|| panic!("no error"));
    assert_eq!(T::failure(&error), Failure::TooLarge, "{error:?}");
    assert!(error.to_string().contains("200-byte cap"), "{error}");
    assert_eq!(
        emulator.requests(Route::Artist),
        1,
        "too large is not retried"
    );
    let roomy = T::connect_with_limits(
        credentials(),
        config_for(&emulator),
        1 << 20,
        Duration::from_secs(10),
    );
    assert!(roomy.send(GetArtist::new(id(RADIOHEAD))).is_ok());
}

/// A server that is not there is a connect error, with a message that says so.
pub fn reports_a_missing_server_as_a_connect_error<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let config = config_for(&emulator);
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    drop(emulator);
    let client = T::connect(credentials, config);
    let error = client
        .send(GetArtist::new(id(RADIOHEAD)))
        .err()
        .unwrap_or_else(|| panic!("no error"));
    assert_eq!(T::failure(&error), Failure::Connect, "{error:?}");
    assert!(
        error
            .to_string()
            .starts_with("could not connect to spotify"),
        "{error}"
    );
}

/// An answer slower than the timeout is a timeout error.
pub fn times_out_a_slow_answer<T: Transport>() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let client = T::connect_with_limits(
        credentials,
        config_for(&emulator).max_retries(0),
        1 << 20,
        Duration::from_secs(1),
    );
    client
        .send(GetArtist::new(id(RADIOHEAD)))
        .unwrap_or_else(|e| panic!("{e}"));
    emulator.inject(Target::Api, Fault::Delay(Duration::from_secs(3)), 1);
    let error = client
        .send(GetArtist::new(id(RADIOHEAD)))
        .err()
        .unwrap_or_else(|| panic!("no error"));
    assert_eq!(T::failure(&error), Failure::Timeout, "{error:?}");
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
            searches_and_walks_result_pages,
            reports_a_refused_limit,
            gets_albums_tracks_and_top_tracks,
            walks_artist_albums,
            gets_several_in_chunks_in_order,
            refuses_to_follow_a_link_to_another_host,
            signs_a_user_in_with_pkce,
            refreshes_a_user_token_and_saves_it,
            keeps_the_refresh_token_of_a_confidential_app,
            keeps_the_newest_refresh_token_under_rotation,
            reports_revoked_tokens_reused_codes_and_missing_logins,
            never_prints_a_secret_or_token,
            never_shows_a_secret_a_server_echoes,
            soak_under_faults_loses_nothing,
            does_not_follow_redirects,
            refuses_answers_above_the_size_cap,
            reports_a_missing_server_as_a_connect_error,
            times_out_a_slow_answer,
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
