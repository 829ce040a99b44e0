//! The "Tracks" section of the Web API reference.

use alloc::string::String;

use super::{Endpoint, get, get_several};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::id::TrackId;
use crate::message::{Request, Response};
use crate::model::Track;
use crate::response::decode;
use crate::url::BaseUrl;

/// Get Track: `GET /tracks/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetTrack {
    id: TrackId,
    market: Option<String>,
}

impl GetTrack {
    /// The track with this ID.
    pub fn new(id: TrackId) -> Self {
        Self { id, market: None }
    }

    /// As available in this market (ISO 3166-1 alpha-2, or `from_token`): relinked if needed.
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }
}

impl Endpoint for GetTrack {
    type Output = Track;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default().optional("market", self.market.as_deref());
        get(api, format_args!("/tracks/{}", self.id), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Track, Error> {
        decode(response, "track")
    }
}

get_several!(
    /// Get Several Tracks: `GET /tracks?ids=…`, up to 50 tracks in one request.
    ///
    /// Spotify removed this endpoint for development-mode apps in 2026 (they get 403); it still
    /// serves extended-quota apps. Use [`GetTrack`] for one track.
    GetSeveralTracks, TrackId, Track, "/tracks", tracks, 50, market
);
