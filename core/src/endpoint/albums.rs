//! The "Albums" section of the Web API reference.

use alloc::string::String;

use super::{Endpoint, get, get_several};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::id::AlbumId;
use crate::message::{Request, Response};
use crate::model::{Album, Page, Track};
use crate::response::decode;
use crate::url::BaseUrl;

/// Get Album: `GET /albums/{id}`, the album with the first page of its tracks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetAlbum {
    id: AlbumId,
    market: Option<String>,
}

impl GetAlbum {
    /// The album with this ID.
    pub fn new(id: AlbumId) -> Self {
        Self { id, market: None }
    }

    /// As available in this market (ISO 3166-1 alpha-2, or `from_token`).
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }
}

impl Endpoint for GetAlbum {
    type Output = Album;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default().optional("market", self.market.as_deref());
        get(api, format_args!("/albums/{}", self.id), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Album, Error> {
        decode(response, "album")
    }
}

get_several!(
    /// Get Several Albums: `GET /albums?ids=…`, up to 20 albums in one request.
    ///
    /// Spotify removed this endpoint for development-mode apps in 2026 (they get 403); it still
    /// serves extended-quota apps. Use [`GetAlbum`] for one album.
    GetSeveralAlbums, AlbumId, Album, "/albums", albums, 20, market
);

/// Get Album Tracks: `GET /albums/{id}/tracks`, a page of an album's tracks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetAlbumTracks {
    id: AlbumId,
    market: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl GetAlbumTracks {
    /// The first page of this album's tracks.
    pub fn new(id: AlbumId) -> Self {
        Self {
            id,
            market: None,
            limit: None,
            offset: None,
        }
    }

    /// As available in this market (ISO 3166-1 alpha-2, or `from_token`).
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }

    crate::endpoint::paging_methods!();
}

impl Endpoint for GetAlbumTracks {
    type Output = Page<Track>;

    fn validate(&self) -> Result<(), Error> {
        super::check_limit(self.limit)
    }

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default()
            .optional("market", self.market.as_deref())
            .number("limit", self.limit)
            .number("offset", self.offset);
        get(api, format_args!("/albums/{}/tracks", self.id), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Page<Track>, Error> {
        decode(response, "page of tracks")
    }
}
