use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{Album, ExternalIds, ExternalUrls, Markets, SimplifiedArtist, null_as_default};
use crate::id::TrackId;

/// A track. Full (Get Track, search: with `album`) or simplified (an album's tracks: no
/// `album`, `popularity` or `external_ids`).
///
/// Since 2026, development-mode apps get no `popularity`, `available_markets`,
/// `external_ids` or `linked_from`: those are optional or empty here.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Track {
    /// The track's ID.
    pub id: TrackId,
    /// The track's name.
    pub name: String,
    /// The track's artists.
    #[serde(default, deserialize_with = "null_as_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// The album it is on (absent in an album's own track list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub album: Option<Album>,
    /// Its length in milliseconds.
    #[serde(default)]
    pub duration_ms: u64,
    /// Whether it has explicit lyrics (false when unknown).
    #[serde(default)]
    pub explicit: bool,
    /// Its disc on the album.
    #[serde(default)]
    pub disc_number: u32,
    /// Its position on the disc.
    #[serde(default)]
    pub track_number: u32,
    /// Popularity from 0 to 100, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<u32>,
    /// A 30-second preview, if Spotify still gives one (deprecated by Spotify).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    /// Whether it is a local file.
    #[serde(default)]
    pub is_local: bool,
    /// Whether it plays in the requested market (only with a market).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_playable: Option<bool>,
    /// The track this one replaced by relinking, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_from: Option<LinkedTrack>,
    /// ISRC and the like, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ids: Option<ExternalIds>,
    /// Markets where it is available (often left out).
    #[serde(default)]
    pub available_markets: Markets,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
    /// The API URL of the full track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// The original of a relinked track. Its `id` has been seen `null`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[non_exhaustive]
pub struct LinkedTrack {
    /// The original track's ID, if given.
    #[serde(default)]
    pub id: Option<TrackId>,
    /// Its URI.
    #[serde(default)]
    pub uri: Option<String>,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
}
