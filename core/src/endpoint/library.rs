//! The user's library: saving and removing items of any kind by URI (`/me/library`, since
//! February 2026 the one way for development-mode apps), checking what is saved, and the saved
//! lists with when each item was saved. The type-specific endpoints that extended-quota apps
//! still have (`/me/tracks?ids=…` and its kin) are here too, documented as such.
//!
//! Saving and removing are idempotent (saving twice leaves one saved item).

use alloc::string::String;
use alloc::vec::Vec;

use super::{Endpoint, check_limit, get, join_ids};
use crate::encode::FormBuilder;
use crate::error::{DecodeError, Error};
use crate::id::{AlbumId, AudiobookId, EpisodeId, IdKind, ShowId, SpotifyUri, TrackId};
use crate::message::{Method, Request, Response};
use crate::model::{Album, Audiobook, Episode, Page, Saved, Show, Track};
use crate::response::{decode, error_from_response};
use crate::url::BaseUrl;

/// The most URIs one library request may carry.
pub const MAX_LIBRARY_URIS: usize = 40;

/// URIs joined with commas, for `?uris=`.
fn join_uris(uris: &[SpotifyUri]) -> String {
    let words: Vec<String> = uris.iter().map(|uri| alloc::format!("{uri}")).collect();
    words.join(",")
}

fn check_uris(uris: &[SpotifyUri], artists: bool) -> Result<(), Error> {
    if uris.is_empty() {
        return Err(Error::InvalidArgument {
            what: "no URIs were given",
        });
    }
    if uris.len() > MAX_LIBRARY_URIS {
        return Err(Error::InvalidArgument {
            what: "more than 40 URIs in one request: use chunked()",
        });
    }
    if !artists && uris.iter().any(|uri| uri.kind() == IdKind::Artist) {
        return Err(Error::InvalidArgument {
            what: "artists cannot be saved to the library: follow them instead",
        });
    }
    Ok(())
}

/// A success with nothing to read.
fn nothing(response: &Response<'_>) -> Result<(), Error> {
    if response.is_success() {
        Ok(())
    } else {
        Err(error_from_response(response))
    }
}

/// An answer of one `true` or `false` per item asked about, in order; a list of another
/// length is an error rather than a silent mismatch.
pub(crate) fn flags(response: &Response<'_>, expected: usize) -> Result<Vec<bool>, Error> {
    let flags: Vec<bool> = decode(response, "contains")?;
    if flags.len() != expected {
        return Err(Error::Decode(DecodeError {
            what: "contains",
            reason: alloc::format!("{} answers for {expected} items", flags.len()),
        }));
    }
    Ok(flags)
}

macro_rules! library_write {
    ($(#[$doc:meta])* $name:ident, $method:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            uris: Vec<SpotifyUri>,
        }

        impl $name {
            /// One request for 1 to 40 URIs.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidArgument`] for none, more than 40 (use
            /// [`chunked`](Self::chunked)), or an artist (which is followed, not saved).
            pub fn new(uris: impl IntoIterator<Item = impl Into<SpotifyUri>>) -> Result<Self, Error> {
                let uris: Vec<SpotifyUri> = uris.into_iter().map(Into::into).collect();
                check_uris(&uris, false)?;
                Ok(Self { uris })
            }

            /// As many requests as it takes, 40 URIs each, in input order.
            pub fn chunked(uris: impl IntoIterator<Item = impl Into<SpotifyUri>>) -> Vec<Self> {
                let uris: Vec<SpotifyUri> = uris.into_iter().map(Into::into).collect();
                uris.chunks(MAX_LIBRARY_URIS)
                    .map(|chunk| Self { uris: chunk.to_vec() })
                    .collect()
            }

            /// The URIs this request carries.
            pub fn uris(&self) -> &[SpotifyUri] {
                &self.uris
            }
        }

        impl Endpoint for $name {
            type Output = ();

            fn request(&self, api: &BaseUrl) -> Request {
                let query = FormBuilder::default().pair("uris", &join_uris(&self.uris));
                let mut url = api.join(format_args!("/me/library"));
                url.push('?');
                url.push_str(&query.finish());
                Request::new(Method::$method, url)
            }

            fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
                nothing(response)
            }

            fn validate(&self) -> Result<(), Error> {
                check_uris(&self.uris, false)
            }
        }
    };
}

library_write!(
    /// Save Items to Library: `PUT /me/library?uris=…`, up to 40 tracks, albums, episodes,
    /// shows, audiobooks, users or playlists (saving a user or a playlist follows it).
    /// Idempotent.
    ///
    /// ```
    /// use spotify_web_core::endpoint::{Endpoint, SaveItemsToLibrary};
    /// use spotify_web_core::id::SpotifyUri;
    /// use spotify_web_core::url::BaseUrl;
    ///
    /// let uris: Vec<SpotifyUri> = vec![
    ///     "spotify:track:6rqhFgbbKwnb9MLmUQDhG6".parse()?,
    ///     "spotify:album:6akEvsycLGftJxYudPjmqK".parse()?,
    /// ];
    /// let save = SaveItemsToLibrary::new(uris)?;
    /// assert_eq!(
    ///     save.request(&BaseUrl::spotify_api()).url(),
    ///     "https://api.spotify.com/v1/me/library?uris=spotify%3Atrack%3A6rqhFgbbKwnb9MLmUQDhG6%2Cspotify%3Aalbum%3A6akEvsycLGftJxYudPjmqK"
    /// );
    /// assert_eq!(SaveItemsToLibrary::chunked(vec![save.uris()[0].clone(); 130]).len(), 4);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    SaveItemsToLibrary, Put
);

library_write!(
    /// Remove Items from Library: `DELETE /me/library?uris=…`, up to 40 URIs of the kinds
    /// [`SaveItemsToLibrary`] takes. Idempotent.
    RemoveItemsFromLibrary, Delete
);

/// Check User's Saved Items: `GET /me/library/contains?uris=…`, up to 40 URIs of any kind
/// (artists too: whether the user follows them); one answer per URI, in input order.
/// Idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CheckLibraryContains {
    uris: Vec<SpotifyUri>,
}

impl CheckLibraryContains {
    /// One request for 1 to 40 URIs.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for none or more than 40: use [`chunked`](Self::chunked),
    /// and concatenate the answers.
    pub fn new(uris: impl IntoIterator<Item = impl Into<SpotifyUri>>) -> Result<Self, Error> {
        let uris: Vec<SpotifyUri> = uris.into_iter().map(Into::into).collect();
        check_uris(&uris, true)?;
        Ok(Self { uris })
    }

    /// As many requests as it takes, 40 URIs each, in input order.
    pub fn chunked(uris: impl IntoIterator<Item = impl Into<SpotifyUri>>) -> Vec<Self> {
        let uris: Vec<SpotifyUri> = uris.into_iter().map(Into::into).collect();
        uris.chunks(MAX_LIBRARY_URIS)
            .map(|chunk| Self {
                uris: chunk.to_vec(),
            })
            .collect()
    }
}

impl Endpoint for CheckLibraryContains {
    type Output = Vec<bool>;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default().pair("uris", &join_uris(&self.uris));
        get(api, format_args!("/me/library/contains"), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Vec<bool>, Error> {
        flags(response, self.uris.len())
    }

    fn validate(&self) -> Result<(), Error> {
        check_uris(&self.uris, true)
    }
}

macro_rules! saved_list {
    ($(#[$doc:meta])* $name:ident, $output:ty, $path:literal, $what:literal $(, $market:ident)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name {
            limit: Option<u32>,
            offset: Option<u32>,
            market: Option<String>,
        }

        impl $name {
            /// From the most recently saved.
            pub fn new() -> Self {
                Self::default()
            }

            crate::endpoint::paging_methods!();

            $(
                /// As available in this market (ISO 3166-1 alpha-2, or `from_token`).
                #[must_use]
                pub fn $market(mut self, market: impl Into<String>) -> Self {
                    self.market = Some(market.into());
                    self
                }
            )?
        }

        impl Endpoint for $name {
            type Output = $output;

            fn request(&self, api: &BaseUrl) -> Request {
                let query = FormBuilder::default()
                    .number("limit", self.limit)
                    .number("offset", self.offset)
                    .optional("market", self.market.as_deref());
                get(api, format_args!($path), query)
            }

            fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
                decode(response, $what)
            }

            fn validate(&self) -> Result<(), Error> {
                check_limit(self.limit)
            }
        }
    };
}

saved_list!(
    /// Get User's Saved Tracks: `GET /me/tracks`, one page of [`Saved`] tracks (each with
    /// when it was saved), newest first.
    /// Idempotent.
    GetSavedTracks, Page<Saved<Track>>, "/me/tracks", "saved tracks", market
);
saved_list!(
    /// Get User's Saved Albums: `GET /me/albums`, one page. Idempotent.
    GetSavedAlbums, Page<Saved<Album>>, "/me/albums", "saved albums", market
);
saved_list!(
    /// Get User's Saved Shows: `GET /me/shows`, one page. Idempotent.
    GetSavedShows, Page<Saved<Show>>, "/me/shows", "saved shows"
);
saved_list!(
    /// Get User's Saved Episodes: `GET /me/episodes`, one page. Idempotent.
    GetSavedEpisodes, Page<Saved<Episode>>, "/me/episodes", "saved episodes", market
);
saved_list!(
    /// Get User's Saved Audiobooks: `GET /me/audiobooks`, one page of audiobooks (Spotify
    /// sends them without `added_at`). Idempotent.
    GetSavedAudiobooks, Page<Audiobook>, "/me/audiobooks", "saved audiobooks"
);

macro_rules! by_ids {
    (
        $(#[$doc:meta])* $name:ident, $id:ty, $method:ident, $path:expr, $max:literal,
        $output:ty, $parse:expr, $in_body:expr
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            ids: Vec<$id>,
        }

        impl $name {
            #[doc = concat!("One request for 1 to ", stringify!($max), " IDs.")]
            ///
            /// # Errors
            ///
            /// [`Error::InvalidArgument`] for none or too many: use
            /// [`chunked`](Self::chunked).
            pub fn new(ids: impl IntoIterator<Item = $id>) -> Result<Self, Error> {
                let ids: Vec<$id> = ids.into_iter().collect();
                if ids.is_empty() {
                    return Err(Error::InvalidArgument { what: "no IDs were given" });
                }
                if ids.len() > $max {
                    return Err(Error::InvalidArgument {
                        what: concat!("more than ", stringify!($max), " IDs: use chunked()"),
                    });
                }
                Ok(Self { ids })
            }

            #[doc = concat!("As many requests as it takes, ", stringify!($max), " IDs each, in input order.")]
            pub fn chunked(ids: impl IntoIterator<Item = $id>) -> Vec<Self> {
                let ids: Vec<$id> = ids.into_iter().collect();
                ids.chunks($max).map(|chunk| Self { ids: chunk.to_vec() }).collect()
            }
        }

        impl Endpoint for $name {
            type Output = $output;

            fn request(&self, api: &BaseUrl) -> Request {
                let mut url = api.join(format_args!("{}", $path));
                if $in_body {
                    // Where the API description takes the IDs only in a JSON body.
                    #[derive(serde::Serialize)]
                    struct Body<'a, I> {
                        ids: &'a [I],
                    }
                    return Request::new(Method::$method, url).with_json(&Body { ids: &self.ids });
                }
                let query = FormBuilder::default().pair("ids", &join_ids(&self.ids));
                url.push('?');
                url.push_str(&query.finish());
                Request::new(Method::$method, url)
            }

            fn parse(&self, response: &Response<'_>) -> Result<$output, Error> {
                let parse: fn(&Self, &Response<'_>) -> Result<$output, Error> = $parse;
                parse(self, response)
            }
        }
    };
}

macro_rules! type_specific {
    ($kind:literal, $id:ty, $save:ident, $remove:ident, $check:ident, $path:literal, $max:literal, $save_in_body:expr) => {
        by_ids!(
            #[doc = concat!("Save ", $kind, " for Current User: `PUT ", $path, "?ids=…`. **Extended-quota apps only** since February 2026: development-mode apps use [`SaveItemsToLibrary`]. Idempotent.")]
            $save, $id, Put, $path, $max, (), |_, response| nothing(response), $save_in_body
        );
        by_ids!(
            #[doc = concat!("Remove User's Saved ", $kind, ": `DELETE ", $path, "?ids=…`. **Extended-quota apps only** since February 2026: development-mode apps use [`RemoveItemsFromLibrary`]. Idempotent.")]
            $remove, $id, Delete, $path, $max, (), |_, response| nothing(response), false
        );
        by_ids!(
            #[doc = concat!("Check User's Saved ", $kind, ": `GET ", $path, "/contains?ids=…`, one answer per ID in input order. **Extended-quota apps only** since February 2026: development-mode apps use [`CheckLibraryContains`]. Idempotent.")]
            $check, $id, Get, concat!($path, "/contains"), $max, Vec<bool>,
            |endpoint, response| flags(response, endpoint.ids.len()), false
        );
    };
}

type_specific!(
    "Tracks",
    TrackId,
    SaveTracks,
    RemoveSavedTracks,
    CheckSavedTracks,
    "/me/tracks",
    50,
    true
);
type_specific!(
    "Albums",
    AlbumId,
    SaveAlbums,
    RemoveSavedAlbums,
    CheckSavedAlbums,
    "/me/albums",
    20,
    false
);
type_specific!(
    "Shows",
    ShowId,
    SaveShows,
    RemoveSavedShows,
    CheckSavedShows,
    "/me/shows",
    50,
    false
);
type_specific!(
    "Episodes",
    EpisodeId,
    SaveEpisodes,
    RemoveSavedEpisodes,
    CheckSavedEpisodes,
    "/me/episodes",
    50,
    false
);
type_specific!(
    "Audiobooks",
    AudiobookId,
    SaveAudiobooks,
    RemoveSavedAudiobooks,
    CheckSavedAudiobooks,
    "/me/audiobooks",
    50,
    false
);
