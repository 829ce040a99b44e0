//! One type per Web API call, behind one trait.
//!
//! Each endpoint builds its request (without the token: the session, or
//! [`AccessToken::authorize`](crate::auth::AccessToken::authorize), adds it) and reads its
//! answer. Adding an endpoint is one small type here, its fixtures and its tests.
//!
//! Types are named after Spotify's reference. Required inputs go in `new`; optional query
//! parameters are builder methods (`.market("SE").limit(10)`). Limits are not capped here:
//! Spotify's caps differ between development-mode and extended-quota apps, and a limit it
//! refuses comes back as [`Error::Api`] with the message `Invalid limit`.

mod adapt;
mod albums;
mod artists;
mod audiobooks;
mod browse;
mod library;
mod listening;
mod page;
mod player;
mod playlists;
mod search;
mod shows;
mod tracks;
mod users;

pub use adapt::{Conditional, DecodeAs, EndpointExt, IfNoneMatch, Ignore, Raw, RawAnswer};
pub use albums::{GetAlbum, GetAlbumTracks, GetSeveralAlbums};
#[allow(deprecated)]
pub use artists::GetArtistsRelatedArtists;
pub use artists::{
    GetArtist, GetArtistAlbums, GetArtistTopTracks, GetSeveralArtists, IncludeGroup,
};
pub use audiobooks::{
    GetAudiobook, GetAudiobookChapters, GetChapter, GetSeveralAudiobooks, GetSeveralChapters,
};
pub use browse::{
    Category, GetAvailableMarkets, GetNewReleases, GetSeveralBrowseCategories,
    GetSingleBrowseCategory, PlaylistList,
};
#[allow(deprecated)]
pub use browse::{GetAvailableGenreSeeds, GetCategorysPlaylists, GetFeaturedPlaylists};
pub use library::{
    CheckLibraryContains, CheckSavedAlbums, CheckSavedAudiobooks, CheckSavedEpisodes,
    CheckSavedShows, CheckSavedTracks, GetSavedAlbums, GetSavedAudiobooks, GetSavedEpisodes,
    GetSavedShows, GetSavedTracks, MAX_LIBRARY_URIS, RemoveItemsFromLibrary, RemoveSavedAlbums,
    RemoveSavedAudiobooks, RemoveSavedEpisodes, RemoveSavedShows, RemoveSavedTracks, SaveAlbums,
    SaveAudiobooks, SaveEpisodes, SaveItemsToLibrary, SaveShows, SaveTracks,
};
pub use listening::{
    CheckIfUserFollows, FollowArtistsOrUsers, Followed, GetFollowedArtists, GetRecentlyPlayed,
    GetUsersTopArtists, GetUsersTopTracks, TimeRange, UnfollowArtistsOrUsers,
};
pub use page::{CursorWalk, NextPage, PageRequest, Pages};
pub use player::{
    AddItemToQueue, GetAvailableDevices, GetCurrentlyPlaying, GetPlaybackState, GetUsersQueue,
    Offset, PausePlayback, RepeatMode, SeekToPosition, SetPlaybackVolume, SetRepeatMode,
    SkipToNext, SkipToPrevious, StartPlayback, TogglePlaybackShuffle, TransferPlayback,
};
pub use playlists::{
    AddCustomPlaylistCoverImage, AddItemsToPlaylist, ChangePlaylistDetails,
    CheckIfUserFollowsPlaylist, CreatePlaylist, CreatePlaylistForUser, FollowPlaylist,
    GetCurrentUsersPlaylists, GetPlaylist, GetPlaylistCoverImage, GetPlaylistFields,
    GetPlaylistItems, GetUsersPlaylists, ItemType, MAX_COVER_BASE64_BYTES, MAX_ITEMS_PER_REQUEST,
    RemovePlaylistItems, UnfollowPlaylist, UpdatePlaylistItems,
};
pub use search::{Search, SearchQuery, SearchType};
pub use shows::{GetEpisode, GetSeveralEpisodes, GetSeveralShows, GetShow, GetShowEpisodes};
pub use tracks::{AudioFeatures, RecommendationSeed, Recommendations};
#[allow(deprecated)]
pub use tracks::{
    GetRecommendations, GetSeveralTracksAudioFeatures, GetTracksAudioAnalysis,
    GetTracksAudioFeatures,
};
pub use tracks::{GetSeveralTracks, GetTrack};
pub use users::{GetCurrentUser, GetUsersProfile};

use alloc::string::String;

use crate::encode::FormBuilder;
use crate::error::Error;
use crate::message::{Method, Request, Response};
use crate::url::BaseUrl;

/// A call to the Web API: how to ask, and how to read the answer.
pub trait Endpoint {
    /// What a successful answer decodes into.
    type Output;

    /// The request, addressed to the API at `api`, without an `authorization` header.
    fn request(&self, api: &BaseUrl) -> Request;

    /// Reads the answer to [`request`](Self::request): the typed result on success, the typed
    /// error otherwise.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for Spotify's error object, [`Error::RateLimited`] on 429,
    /// [`Error::UnexpectedStatus`] for other failures, [`Error::Decode`] for a body that does
    /// not decode.
    fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error>;

    /// Refuses what no app may ever send (such as `limit=0`), before anything is sent: the
    /// session ends a call whose endpoint refuses here with this error. Caps that differ
    /// between development-mode and extended-quota apps are left to Spotify's answer.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] saying what is wrong.
    fn validate(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// Refuses a `limit` outside 1 to 50, which no app may send.
pub(crate) fn check_limit(limit: Option<u32>) -> Result<(), Error> {
    match limit {
        Some(1..=50) | None => Ok(()),
        Some(_) => Err(Error::InvalidArgument {
            what: "a page's limit must be from 1 to 50",
        }),
    }
}

/// `GET {api}{path}[?query]`.
fn get(api: &BaseUrl, path: core::fmt::Arguments<'_>, query: FormBuilder) -> Request {
    let mut url = api.join(path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.finish());
    }
    Request::new(Method::Get, url)
}

/// IDs joined with commas, for `?ids=` (IDs are base-62, so they need no encoding).
pub(crate) fn join_ids<T: core::fmt::Display>(ids: &[T]) -> String {
    let mut out = String::with_capacity(ids.len() * 23);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&alloc::format!("{id}"));
    }
    out
}

/// Defines a "Get Several …" endpoint: up to `$max` IDs per request, answers in input order
/// with `None` for IDs Spotify does not know.
macro_rules! get_several {
    (
        $(#[$doc:meta])*
        $name:ident, $id:ty, $item:ty, $path:literal, $key:ident, $max:literal
        $(, $market:ident)?
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            ids: alloc::vec::Vec<$id>,
            market: Option<alloc::string::String>,
        }

        impl $name {
            /// The most IDs Spotify accepts in one request.
            pub const MAX_IDS: usize = $max;

            #[doc = concat!("One request for 1 to ", stringify!($max), " IDs.")]
            ///
            /// # Errors
            ///
            /// [`Error::InvalidArgument`] for no IDs or too many: use
            /// [`chunked`](Self::chunked) for any number.
            pub fn new(ids: impl IntoIterator<Item = $id>) -> Result<Self, Error> {
                let ids: alloc::vec::Vec<$id> = ids.into_iter().collect();
                if ids.is_empty() {
                    return Err(Error::InvalidArgument { what: "no IDs were given" });
                }
                if ids.len() > $max {
                    return Err(Error::InvalidArgument {
                        what: concat!("more than ", stringify!($max), " IDs: use chunked()"),
                    });
                }
                Ok(Self { ids, market: None })
            }

            #[doc = concat!("As many requests as it takes, ", stringify!($max), " IDs each, in input order.")]
            /// Send each, and concatenate the answers to get one entry per ID.
            pub fn chunked(ids: impl IntoIterator<Item = $id>) -> alloc::vec::Vec<Self> {
                let ids: alloc::vec::Vec<$id> = ids.into_iter().collect();
                ids.chunks($max)
                    .map(|chunk| Self { ids: chunk.to_vec(), market: None })
                    .collect()
            }

            $(
                /// Only content playable in this market (an ISO 3166-1 alpha-2 code, or
                /// `from_token`).
                #[must_use]
                pub fn $market(mut self, market: impl Into<alloc::string::String>) -> Self {
                    self.market = Some(market.into());
                    self
                }
            )?

            /// The IDs this request asks for.
            pub fn ids(&self) -> &[$id] {
                &self.ids
            }
        }

        impl Endpoint for $name {
            type Output = alloc::vec::Vec<Option<$item>>;

            fn request(&self, api: &BaseUrl) -> Request {
                let query = FormBuilder::default()
                    .pair("ids", &$crate::endpoint::join_ids(&self.ids))
                    .optional("market", self.market.as_deref());
                get(api, format_args!($path), query)
            }

            fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
                #[derive(serde::Deserialize)]
                struct Answer {
                    $key: alloc::vec::Vec<Option<$item>>,
                }
                crate::response::decode::<Answer>(response, stringify!($key)).map(|answer| answer.$key)
            }
        }
    };
}
use get_several;

/// The `limit` and `offset` builder methods of a paged endpoint (fields of those names).
macro_rules! paging_methods {
    () => {
        /// Items per page, 1 to 50 (Spotify's default is 20, or 5 for development-mode
        /// apps' search and artist albums, which take at most 10 from them). 0 or more than
        /// 50 is refused before sending.
        #[must_use]
        pub fn limit(mut self, limit: u32) -> Self {
            self.limit = Some(limit);
            self
        }

        /// Where the page starts, counted from 0.
        #[must_use]
        pub fn offset(mut self, offset: u32) -> Self {
            self.offset = Some(offset);
            self
        }
    };
}
pub(crate) use paging_methods;

/// Defines a "Get {thing}" endpoint: one object by ID, with an optional `market`.
macro_rules! get_one {
    ($(#[$doc:meta])* $name:ident, $id:ty, $item:ty, $path:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            id: $id,
            market: Option<alloc::string::String>,
        }

        impl $name {
            /// The object with this ID.
            pub fn new(id: $id) -> Self {
                Self { id, market: None }
            }

            /// As available in this market (ISO 3166-1 alpha-2, or `from_token`).
            #[must_use]
            pub fn market(mut self, market: impl Into<alloc::string::String>) -> Self {
                self.market = Some(market.into());
                self
            }
        }

        impl Endpoint for $name {
            type Output = $item;

            fn request(&self, api: &BaseUrl) -> Request {
                let query = FormBuilder::default().optional("market", self.market.as_deref());
                get(api, format_args!($path, self.id), query)
            }

            fn parse(&self, response: &Response<'_>) -> Result<$item, Error> {
                crate::response::decode(response, $what)
            }
        }
    };
}
use get_one;

/// Defines a "Get {parent}'s {children}" endpoint: one page of a list under an ID, with
/// `market`, `limit` and `offset`.
macro_rules! get_children {
    ($(#[$doc:meta])* $name:ident, $id:ty, $item:ty, $path:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            id: $id,
            market: Option<alloc::string::String>,
            limit: Option<u32>,
            offset: Option<u32>,
        }

        impl $name {
            /// The first page under this ID.
            pub fn new(id: $id) -> Self {
                Self { id, market: None, limit: None, offset: None }
            }

            /// As available in this market (ISO 3166-1 alpha-2, or `from_token`).
            #[must_use]
            pub fn market(mut self, market: impl Into<alloc::string::String>) -> Self {
                self.market = Some(market.into());
                self
            }

            crate::endpoint::paging_methods!();
        }

        impl Endpoint for $name {
            type Output = crate::model::Page<$item>;

            fn request(&self, api: &BaseUrl) -> Request {
                let query = FormBuilder::default()
                    .optional("market", self.market.as_deref())
                    .number("limit", self.limit)
                    .number("offset", self.offset);
                get(api, format_args!($path, self.id), query)
            }

            fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
                crate::response::decode(response, $what)
            }

            fn validate(&self) -> Result<(), Error> {
                check_limit(self.limit)
            }
        }
    };
}
use get_children;
