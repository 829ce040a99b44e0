use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{ExternalUrls, Image, Page, ReleaseDate, null_as_default};
use crate::id::{EpisodeId, ShowId};

/// A podcast show.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Show {
    /// The show's ID.
    pub id: ShowId,
    /// Its name.
    pub name: String,
    /// Its publisher, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Its description.
    #[serde(default)]
    pub description: String,
    /// How many episodes it has, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_episodes: Option<u32>,
    /// Its pictures.
    #[serde(default, deserialize_with = "null_as_default")]
    pub images: Vec<Image>,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
    /// Its languages (ISO 639 codes).
    #[serde(default, deserialize_with = "null_as_default")]
    pub languages: Vec<String>,
    /// Whether it is explicit.
    #[serde(default, deserialize_with = "null_as_default")]
    pub explicit: bool,
    /// `audio`, `video` or `mixed` (an open set), if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Whether it is hosted outside Spotify, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_externally_hosted: Option<bool>,
    /// The first page of its episodes (Get Show only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub episodes: Option<Page<Episode>>,
}

/// A podcast episode.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Episode {
    /// The episode's ID.
    pub id: EpisodeId,
    /// Its name.
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: String,
    /// Its length in milliseconds.
    #[serde(default)]
    pub duration_ms: u64,
    /// When it came out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<ReleaseDate>,
    /// Its pictures.
    #[serde(default, deserialize_with = "null_as_default")]
    pub images: Vec<Image>,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
    /// Its languages (ISO 639 codes).
    #[serde(default, deserialize_with = "null_as_default")]
    pub languages: Vec<String>,
    /// Whether it is explicit.
    #[serde(default, deserialize_with = "null_as_default")]
    pub explicit: bool,
    /// Whether it is hosted outside Spotify, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_externally_hosted: Option<bool>,
    /// Whether it plays in the market asked for, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_playable: Option<bool>,
    /// Where the user stopped listening (needs `user-read-playback-position`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_point: Option<ResumePoint>,
    /// The show it belongs to (Get Episode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show: Option<Show>,
}

/// Where the user stopped listening to an episode or a chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ResumePoint {
    /// Whether it was played to the end.
    #[serde(default, deserialize_with = "null_as_default")]
    pub fully_played: bool,
    /// Where playback stopped, in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub resume_position_ms: u64,
}
