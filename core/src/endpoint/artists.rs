//! The "Artists" section of the Web API reference.

// The deprecated endpoints' own definitions use themselves; their users are still warned.
#![allow(deprecated)]

use alloc::string::String;
use alloc::vec::Vec;

use super::{Endpoint, get, get_several};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::id::ArtistId;
use crate::message::{Request, Response};
use crate::model::{Album, Artist, Page, Track};
use crate::response::decode;
use crate::url::BaseUrl;

/// Get Artist: `GET /artists/{id}`, Spotify catalog information for one artist.
///
/// ```
/// use spotify_web_core::endpoint::{Endpoint, GetArtist};
/// use spotify_web_core::url::BaseUrl;
///
/// let endpoint = GetArtist::new("spotify:artist:4Z8W4fKeB5YxbusRsdQVPb".parse()?);
/// let request = endpoint.request(&BaseUrl::spotify_api());
/// assert_eq!(request.url(), "https://api.spotify.com/v1/artists/4Z8W4fKeB5YxbusRsdQVPb");
/// # Ok::<(), spotify_web_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GetArtist {
    id: ArtistId,
}

impl GetArtist {
    /// The artist with this ID.
    pub fn new(id: ArtistId) -> Self {
        Self { id }
    }
}

impl Endpoint for GetArtist {
    type Output = Artist;

    fn request(&self, api: &BaseUrl) -> Request {
        get(
            api,
            format_args!("/artists/{}", self.id),
            FormBuilder::default(),
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<Artist, Error> {
        decode(response, "artist")
    }
}

get_several!(
    /// Get Several Artists: `GET /artists?ids=…`, up to 50 artists in one request.
    ///
    /// Spotify removed this endpoint for development-mode apps in 2026 (they get 403); it still
    /// serves extended-quota apps. Use [`GetArtist`] for one artist.
    ///
    /// ```
    /// use spotify_web_core::endpoint::{Endpoint, GetSeveralArtists};
    /// use spotify_web_core::id::ArtistId;
    /// use spotify_web_core::url::BaseUrl;
    ///
    /// let ids: Vec<ArtistId> = vec!["4Z8W4fKeB5YxbusRsdQVPb".parse()?; 120];
    /// let requests = GetSeveralArtists::chunked(ids);
    /// assert_eq!(requests.iter().map(|r| r.ids().len()).collect::<Vec<_>>(), [50, 50, 20]);
    /// assert!(requests[0].request(&BaseUrl::spotify_api()).url().starts_with(
    ///     "https://api.spotify.com/v1/artists?ids=4Z8W4fKeB5YxbusRsdQVPb%2C4Z8W"
    /// ));
    /// # Ok::<(), spotify_web_core::Error>(())
    /// ```
    GetSeveralArtists, ArtistId, Artist, "/artists", artists, 50
);

/// Which of an artist's releases [`GetArtistAlbums`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IncludeGroup {
    /// The artist's albums.
    Album,
    /// The artist's singles and EPs.
    Single,
    /// Releases by others that the artist appears on.
    AppearsOn,
    /// Compilations.
    Compilation,
}

impl IncludeGroup {
    fn as_str(self) -> &'static str {
        match self {
            Self::Album => "album",
            Self::Single => "single",
            Self::AppearsOn => "appears_on",
            Self::Compilation => "compilation",
        }
    }
}

/// Get Artist's Albums: `GET /artists/{id}/albums`, a page of an artist's releases.
///
/// Since 2026, development-mode apps may ask for at most 10 per page (default 5); more is
/// refused with `400 Invalid limit`.
///
/// ```
/// use spotify_web_core::endpoint::{Endpoint, GetArtistAlbums, IncludeGroup};
/// use spotify_web_core::url::BaseUrl;
///
/// let request = GetArtistAlbums::new("0TnOYISbd1XYRBk9myaseg".parse()?)
///     .include_groups([IncludeGroup::Album, IncludeGroup::Single])
///     .market("ES")
///     .limit(10)
///     .offset(20)
///     .request(&BaseUrl::spotify_api());
/// assert_eq!(
///     request.url(),
///     "https://api.spotify.com/v1/artists/0TnOYISbd1XYRBk9myaseg/albums\
///      ?include_groups=album%2Csingle&market=ES&limit=10&offset=20"
/// );
/// # Ok::<(), spotify_web_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetArtistAlbums {
    id: ArtistId,
    include_groups: Vec<IncludeGroup>,
    market: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl GetArtistAlbums {
    /// The first page of this artist's releases, of every group.
    pub fn new(id: ArtistId) -> Self {
        Self {
            id,
            include_groups: Vec::new(),
            market: None,
            limit: None,
            offset: None,
        }
    }

    /// Only these groups (default: all).
    #[must_use]
    pub fn include_groups(mut self, groups: impl IntoIterator<Item = IncludeGroup>) -> Self {
        self.include_groups = groups.into_iter().collect();
        self
    }

    /// Only releases available in this market (ISO 3166-1 alpha-2, or `from_token`).
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }

    crate::endpoint::paging_methods!();
}

impl Endpoint for GetArtistAlbums {
    type Output = Page<Album>;

    fn validate(&self) -> Result<(), Error> {
        super::check_limit(self.limit)
    }

    fn request(&self, api: &BaseUrl) -> Request {
        let groups = (!self.include_groups.is_empty()).then(|| {
            let names: Vec<&str> = self.include_groups.iter().map(|g| g.as_str()).collect();
            names.join(",")
        });
        let query = FormBuilder::default()
            .optional("include_groups", groups.as_deref())
            .optional("market", self.market.as_deref())
            .number("limit", self.limit)
            .number("offset", self.offset);
        get(api, format_args!("/artists/{}/albums", self.id), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Page<Album>, Error> {
        decode(response, "page of albums")
    }
}

/// Get Artist's Top Tracks: `GET /artists/{id}/top-tracks`, up to 10 tracks.
///
/// Spotify removed this endpoint for development-mode apps in 2026 (they get 403); it still
/// serves extended-quota apps. Send a market: older versions of the API required one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetArtistTopTracks {
    id: ArtistId,
    market: Option<String>,
}

impl GetArtistTopTracks {
    /// This artist's top tracks.
    pub fn new(id: ArtistId) -> Self {
        Self { id, market: None }
    }

    /// In this market (ISO 3166-1 alpha-2, or `from_token`).
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }
}

impl Endpoint for GetArtistTopTracks {
    type Output = Vec<Track>;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default().optional("market", self.market.as_deref());
        get(api, format_args!("/artists/{}/top-tracks", self.id), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Vec<Track>, Error> {
        #[derive(serde::Deserialize)]
        struct Answer {
            tracks: Vec<Track>,
        }
        decode::<Answer>(response, "top tracks").map(|answer| answer.tracks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use crate::message::Method;

    #[test]
    fn builds_get_with_the_id_in_the_path() {
        let id = "4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap();
        let request = GetArtist::new(id).request(&BaseUrl::new("http://127.0.0.1:1/v1").unwrap());
        assert_eq!(request.method(), Method::Get);
        assert_eq!(
            request.url(),
            "http://127.0.0.1:1/v1/artists/4Z8W4fKeB5YxbusRsdQVPb"
        );
        assert!(request.body().is_empty());
        assert_eq!(request.header("authorization"), None);
    }

    #[test]
    fn parses_errors_by_status() {
        let endpoint = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap());
        let body = br#"{"error":{"status":400,"message":"invalid id"}}"#;
        assert_eq!(
            endpoint.parse(&Response::new(400, body)),
            Err(Error::Api(ApiError {
                status: 400,
                message: Some("invalid id".into()),
                reason: None
            }))
        );
        let err = endpoint
            .parse(&Response::new(200, b"{\"name\":1"))
            .unwrap_err();
        let Error::Decode(decode) = err else {
            panic!("expected a decode error")
        };
        assert_eq!(decode.what, "artist");
        assert!(decode.reason.contains("line 1 column"), "{}", decode.reason);
    }
}

/// Get Artist's Related Artists: `GET /artists/{id}/related-artists`.
///
/// **Deprecated**: closed to new apps on 2024-11-27 (they get 404); apps with older access
/// still get it. Idempotent.
#[deprecated(note = "closed to new apps on 2024-11-27 (they get 404)")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GetArtistsRelatedArtists {
    id: ArtistId,
}

#[allow(deprecated)]
impl GetArtistsRelatedArtists {
    /// The artists related to this one.
    pub fn new(id: ArtistId) -> Self {
        Self { id }
    }
}

#[allow(deprecated)]
impl Endpoint for GetArtistsRelatedArtists {
    type Output = Vec<Artist>;

    fn request(&self, api: &BaseUrl) -> Request {
        get(
            api,
            format_args!("/artists/{}/related-artists", self.id),
            FormBuilder::default(),
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
        #[derive(serde::Deserialize)]
        struct Answer {
            artists: Vec<Artist>,
        }
        decode::<Answer>(response, "related artists").map(|answer| answer.artists)
    }
}
