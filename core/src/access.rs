//! Which token an endpoint needs, checked by the compiler.
//!
//! An app's own token (the client-credentials flow) reads the catalog: artists, albums,
//! tracks, search, shows, episodes, audiobooks, chapters, browse, markets, public profiles and
//! public playlists. Everything about *a* user (their profile, playlists they change, their
//! library, their player, their listening) needs that user's token, and Spotify answers an app's
//! token there with `401`. Here that mistake does not compile: endpoints an app may send
//! implement [`AppToken`], a client built from an app's credentials is a client of [`App`]
//! access and sends only those, and a user's client ([`User`] access) sends everything.
//!
//! ```
//! use spotify_web_core::access::{App, SendableAs, User};
//! use spotify_web_core::endpoint::{GetArtist, GetCurrentUser};
//!
//! fn app_can_send<E: SendableAs<App>>() {}
//! fn user_can_send<E: SendableAs<User>>() {}
//!
//! app_can_send::<GetArtist>();
//! user_can_send::<GetArtist>();
//! user_can_send::<GetCurrentUser>();
//! ```
//!
//! The current user's profile acts for a user, so an app may not send it:
//!
//! ```compile_fail,E0277
//! use spotify_web_core::access::{App, SendableAs};
//! use spotify_web_core::endpoint::GetCurrentUser;
//!
//! fn app_can_send<E: SendableAs<App>>() {}
//! app_can_send::<GetCurrentUser>();
//! ```
//!
//! The clients of the transport crates carry the access in their type: `Client::new` and
//! `Client::builder` make an [`App`] client, `Client::user_builder` a [`User`] one.

use crate::endpoint::{self, Endpoint};

mod sealed {
    #[allow(
        unnameable_types,
        reason = "the seal of `Access`: only `App` and `User` implement it"
    )]
    pub trait Sealed {}
}

/// Whose token a client holds: [`App`] or [`User`]. Sealed: there are only these two.
pub trait Access: sealed::Sealed + Send + Sync + 'static {}

/// An app's own token, from the client-credentials flow: the catalog only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(
    clippy::exhaustive_enums,
    reason = "a marker that is never made: it has no values to add"
)]
pub enum App {}

/// A user's token, from the authorization-code flow: every endpoint, within its scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(
    clippy::exhaustive_enums,
    reason = "a marker that is never made: it has no values to add"
)]
pub enum User {}

impl sealed::Sealed for App {}
impl sealed::Sealed for User {}
impl Access for App {}
impl Access for User {}

/// An endpoint that works with an app's own token (client credentials), not only a user's.
///
/// Implemented for the catalog endpoints, the public reads of playlists and profiles, the
/// page links that follow them, and the readers of [`EndpointExt`](crate::endpoint::EndpointExt)
/// over any of these.
#[diagnostic::on_unimplemented(
    message = "`{Self}` acts for a user: an app's token (client credentials) cannot send it",
    label = "needs a user's token",
    note = "build the client with `Client::user_builder` and sign the user in"
)]
pub trait AppToken: Endpoint {}

/// An endpoint that a client of access `A` may send: every endpoint for [`User`], those
/// that implement [`AppToken`] for [`App`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` acts for a user: an app's token (client credentials) cannot send it",
    label = "needs a user's token",
    note = "build the client with `Client::user_builder` and sign the user in; an app's token \
            sends only endpoints that implement `AppToken`"
)]
pub trait SendableAs<A: Access>: Endpoint {}

impl<E: Endpoint> SendableAs<User> for E {}
impl<E: AppToken> SendableAs<App> for E {}

macro_rules! app_token {
    ($($name:ty),* $(,)?) => {
        $(impl AppToken for $name {})*
    };
}

app_token!(
    // Artists, albums, tracks and search.
    endpoint::GetArtist,
    endpoint::GetSeveralArtists,
    endpoint::GetArtistAlbums,
    endpoint::GetArtistTopTracks,
    endpoint::GetAlbum,
    endpoint::GetSeveralAlbums,
    endpoint::GetAlbumTracks,
    endpoint::GetTrack,
    endpoint::GetSeveralTracks,
    endpoint::Search,
    // Shows, episodes, audiobooks and chapters.
    endpoint::GetShow,
    endpoint::GetSeveralShows,
    endpoint::GetShowEpisodes,
    endpoint::GetEpisode,
    endpoint::GetSeveralEpisodes,
    endpoint::GetAudiobook,
    endpoint::GetSeveralAudiobooks,
    endpoint::GetAudiobookChapters,
    endpoint::GetChapter,
    endpoint::GetSeveralChapters,
    // Browse and markets.
    endpoint::GetNewReleases,
    endpoint::GetSeveralBrowseCategories,
    endpoint::GetSingleBrowseCategory,
    endpoint::GetAvailableMarkets,
    // Public profiles and public playlists.
    endpoint::GetUsersProfile,
    endpoint::GetUsersPlaylists,
    endpoint::GetPlaylist,
    endpoint::GetPlaylistItems,
    endpoint::GetPlaylistCoverImage,
);

#[allow(deprecated)]
mod deprecated {
    use super::AppToken;
    use crate::endpoint;

    app_token!(
        endpoint::GetArtistsRelatedArtists,
        endpoint::GetTracksAudioFeatures,
        endpoint::GetSeveralTracksAudioFeatures,
        endpoint::GetTracksAudioAnalysis,
        endpoint::GetRecommendations,
        endpoint::GetAvailableGenreSeeds,
        endpoint::GetFeaturedPlaylists,
        endpoint::GetCategorysPlaylists,
    );
}

impl<T: serde::de::DeserializeOwned> AppToken for endpoint::GetPlaylistFields<T> {}

/// A `next` link is followed with the token of the client that got the page it came from.
impl<T, P: for<'de> serde::Deserialize<'de>> AppToken for endpoint::NextPage<T, P> {}

impl<E: AppToken, P> AppToken for endpoint::PageRequest<E, P>
where
    P: crate::model::Paged,
    endpoint::NextPage<P::Item, P>: Endpoint<Output = P>,
    Self: Endpoint,
{
}

impl<E: AppToken, T: serde::de::DeserializeOwned> AppToken for endpoint::DecodeAs<E, T> {}
impl<E: AppToken> AppToken for endpoint::Raw<E> {}
impl<E: AppToken> AppToken for endpoint::Ignore<E> {}
impl<E: AppToken> AppToken for endpoint::IfNoneMatch<E> {}
