//! The "Categories", "Markets" and "Genres" sections of the Web API reference, new releases,
//! and the playlist lists that Spotify closed to new apps in November 2024.

// The deprecated endpoints' own definitions use themselves; their users are still warned.
#![allow(deprecated)]

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{Endpoint, check_limit, get};
use crate::encode::{FormBuilder, path_segment};
use crate::error::Error;
use crate::message::{Request, Response};
use crate::model::{Album, Image, Page, SimplifiedPlaylist};
use crate::response::decode;
use crate::url::BaseUrl;

/// A browse category, such as "Top Lists".
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Category {
    /// Its ID, such as `toplists` (free text).
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its icons.
    #[serde(default)]
    pub icons: Vec<Image>,
    /// Its API URL.
    #[serde(default)]
    pub href: String,
}

/// A list of playlists with Spotify's headline for it (featured and category playlists).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PlaylistList {
    /// The headline, such as "Monday morning music", if Spotify gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The playlists.
    pub playlists: Page<SimplifiedPlaylist>,
}

macro_rules! paged_list {
    (
        $(#[$doc:meta])* $name:ident, $output:ty, $path:literal, $key:ident, $what:literal
        $(, $locale:ident)?
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name {
            locale: Option<String>,
            limit: Option<u32>,
            offset: Option<u32>,
        }

        impl $name {
            /// The first page.
            pub fn new() -> Self {
                Self::default()
            }

            crate::endpoint::paging_methods!();

            $(
                /// Names in this language, such as `sv_SE` (ISO 639-1 and ISO 3166-1).
                #[must_use]
                pub fn $locale(mut self, locale: impl Into<String>) -> Self {
                    self.locale = Some(locale.into());
                    self
                }
            )?
        }

        impl Endpoint for $name {
            type Output = $output;

            fn request(&self, api: &BaseUrl) -> Request {
                let query = FormBuilder::default()
                    .optional("locale", self.locale.as_deref())
                    .number("limit", self.limit)
                    .number("offset", self.offset);
                get(api, format_args!($path), query)
            }

            fn parse(&self, response: &Response<'_>) -> Result<$output, Error> {
                #[derive(Deserialize)]
                struct Answer {
                    $key: $output,
                }
                decode::<Answer>(response, $what).map(|answer| answer.$key)
            }

            fn validate(&self) -> Result<(), Error> {
                check_limit(self.limit)
            }
        }
    };
}

paged_list!(
    /// Get New Releases: `GET /browse/new-releases`, one page of albums. **Extended-quota apps
    /// only** since February 2026 (development-mode apps get 403). Idempotent.
    GetNewReleases, Page<Album>, "/browse/new-releases", albums, "new releases"
);
paged_list!(
    /// Get Several Browse Categories: `GET /browse/categories`, one page. **Extended-quota apps
    /// only** since February 2026. Idempotent.
    GetSeveralBrowseCategories, Page<Category>, "/browse/categories", categories, "categories", locale
);

/// Get Single Browse Category: `GET /browse/categories/{id}`. **Extended-quota apps only**
/// since February 2026. Idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetSingleBrowseCategory {
    id: String,
    locale: Option<String>,
}

impl GetSingleBrowseCategory {
    /// The category with this ID, such as `toplists` (percent-encoded in the path).
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            locale: None,
        }
    }

    /// Its name in this language, such as `sv_SE`.
    #[must_use]
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }
}

impl Endpoint for GetSingleBrowseCategory {
    type Output = Category;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default().optional("locale", self.locale.as_deref());
        let id = path_segment(&self.id);
        get(api, format_args!("/browse/categories/{id}"), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Category, Error> {
        decode(response, "category")
    }

    fn validate(&self) -> Result<(), Error> {
        if self.id.is_empty() {
            return Err(Error::InvalidArgument {
                what: "a category ID is empty",
            });
        }
        Ok(())
    }
}

macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident, $path:literal, $key:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[non_exhaustive]
        pub struct $name;

        impl $name {
            /// The whole list.
            pub fn new() -> Self {
                Self
            }
        }

        impl Endpoint for $name {
            type Output = Vec<String>;

            fn request(&self, api: &BaseUrl) -> Request {
                get(api, format_args!($path), FormBuilder::default())
            }

            fn parse(&self, response: &Response<'_>) -> Result<Vec<String>, Error> {
                #[derive(Deserialize)]
                struct Answer {
                    #[serde(default)]
                    $key: Vec<String>,
                }
                decode::<Answer>(response, stringify!($key)).map(|answer| answer.$key)
            }
        }
    };
}

word_list!(
    /// Get Available Markets: `GET /markets`, the ISO 3166-1 codes Spotify is in.
    /// **Extended-quota apps only** since February 2026. Idempotent.
    GetAvailableMarkets, "/markets", markets
);
word_list!(
    /// Get Available Genre Seeds: `GET /recommendations/available-genre-seeds`.
    ///
    /// **Deprecated**: closed to new apps on 2024-11-27 (they get 404); apps with older access
    /// still get the list. Idempotent.
    #[deprecated(note = "closed to new apps on 2024-11-27 (they get 404)")]
    GetAvailableGenreSeeds, "/recommendations/available-genre-seeds", genres
);

/// Get Featured Playlists: `GET /browse/featured-playlists`.
///
/// **Deprecated**: closed to new apps on 2024-11-27 (they get 404); apps with older access
/// still get it. Idempotent.
#[deprecated(note = "closed to new apps on 2024-11-27 (they get 404)")]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct GetFeaturedPlaylists {
    locale: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl GetFeaturedPlaylists {
    /// The first page.
    pub fn new() -> Self {
        Self::default()
    }

    /// The headline in this language, such as `sv_SE`.
    #[must_use]
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = Some(locale.into());
        self
    }

    crate::endpoint::paging_methods!();
}

impl Endpoint for GetFeaturedPlaylists {
    type Output = PlaylistList;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default()
            .optional("locale", self.locale.as_deref())
            .number("limit", self.limit)
            .number("offset", self.offset);
        get(api, format_args!("/browse/featured-playlists"), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<PlaylistList, Error> {
        decode(response, "featured playlists")
    }

    fn validate(&self) -> Result<(), Error> {
        check_limit(self.limit)
    }
}

/// Get Category's Playlists: `GET /browse/categories/{id}/playlists`.
///
/// **Deprecated**: closed to new apps on 2024-11-27 (they get 404); apps with older access
/// still get it. Idempotent.
#[deprecated(note = "closed to new apps on 2024-11-27 (they get 404)")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetCategorysPlaylists {
    id: String,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl GetCategorysPlaylists {
    /// The playlists of the category with this ID.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            limit: None,
            offset: None,
        }
    }

    crate::endpoint::paging_methods!();
}

impl Endpoint for GetCategorysPlaylists {
    type Output = PlaylistList;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default()
            .number("limit", self.limit)
            .number("offset", self.offset);
        let id = path_segment(&self.id);
        get(
            api,
            format_args!("/browse/categories/{id}/playlists"),
            query,
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<PlaylistList, Error> {
        decode(response, "category playlists")
    }

    fn validate(&self) -> Result<(), Error> {
        check_limit(self.limit)
    }
}
