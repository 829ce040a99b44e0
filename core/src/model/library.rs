use alloc::string::String;

use serde::{Deserialize, Serialize};

use super::{ExternalUrls, Track, null_as_default};
use crate::time::Timestamp;

/// An item of the user's library (a saved track, album, show, episode or audiobook) and when
/// it was saved.
///
/// Spotify names the item after its kind (`track`, `album`, …); it is read from any of them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Saved<T> {
    /// When the user saved it (`None` if Spotify sent a time this crate cannot read).
    #[serde(default, deserialize_with = "super::lenient_timestamp")]
    pub added_at: Option<Timestamp>,
    /// The saved item.
    #[serde(
        alias = "track",
        alias = "album",
        alias = "show",
        alias = "episode",
        alias = "audiobook"
    )]
    pub item: T,
}

/// A track the user played: what, when, and from where.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PlayHistory {
    /// The track.
    pub track: Track,
    /// When it was played.
    pub played_at: Timestamp,
    /// The album, artist, playlist or show it was played from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
}

/// What something was played from: an album, an artist, a playlist or a show.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Context {
    /// Its kind, such as `"playlist"` (an open set: kept as Spotify wrote it).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Its Spotify URI.
    #[serde(default)]
    pub uri: String,
    /// Its API URL, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
}
