use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{Episode, ExternalUrls, Followers, Image, Page, Track, null_as_default};
use crate::id::PlaylistId;
use crate::time::Timestamp;

/// A playlist, as search results and lists of playlists show it: without its items, with a
/// link to them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(from = "PlaylistWire")]
#[non_exhaustive]
pub struct SimplifiedPlaylist {
    /// The playlist's ID.
    pub id: PlaylistId,
    /// Its name.
    pub name: String,
    /// Its description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<PlaylistOwner>,
    /// Whether it is public, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
    /// Whether others can edit it.
    #[serde(default)]
    pub collaborative: bool,
    /// Its pictures.
    #[serde(default, deserialize_with = "null_as_default")]
    pub images: Vec<Image>,
    /// Where its items are and how many there are (`items` since 2026, `tracks` before; an
    /// answer with both, as during the migration, gives `items`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<ItemsLink>,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
    /// The version of the playlist this answer shows, for changes that should apply to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
}

/// A playlist as it comes, with the link to its items under either name, or both.
#[derive(Deserialize)]
struct PlaylistWire {
    id: PlaylistId,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    owner: Option<PlaylistOwner>,
    #[serde(default)]
    public: Option<bool>,
    #[serde(default)]
    collaborative: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    images: Vec<Image>,
    #[serde(default)]
    items: Option<ItemsLink>,
    #[serde(default)]
    tracks: Option<ItemsLink>,
    #[serde(default, deserialize_with = "null_as_default")]
    external_urls: ExternalUrls,
    #[serde(default)]
    snapshot_id: Option<String>,
}

impl From<PlaylistWire> for SimplifiedPlaylist {
    fn from(wire: PlaylistWire) -> Self {
        Self {
            id: wire.id,
            name: wire.name,
            description: wire.description,
            owner: wire.owner,
            public: wire.public,
            collaborative: wire.collaborative,
            images: wire.images,
            items: wire.items.or(wire.tracks),
            external_urls: wire.external_urls,
            snapshot_id: wire.snapshot_id,
        }
    }
}

/// The owner of a playlist. User IDs are free-form, not base-62.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PlaylistOwner {
    /// The user's ID.
    #[serde(default)]
    pub id: String,
    /// The name the user shows, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// A link to a list and its length.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ItemsLink {
    /// The API URL of the list.
    #[serde(default)]
    pub href: String,
    /// How many items it has.
    #[serde(default)]
    pub total: u32,
}

/// A whole playlist, as Get Playlist gives it: its details and the first page of its items.
///
/// Reads both shapes: `items` (since February 2026) and `tracks` (before); an answer with both
/// gives `items`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(from = "FullPlaylistWire")]
#[non_exhaustive]
pub struct Playlist {
    /// The playlist's ID.
    pub id: PlaylistId,
    /// Its name.
    pub name: String,
    /// Its description, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<PlaylistOwner>,
    /// Whether it is public, if known (`null` for some of Spotify's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
    /// Whether others can edit it.
    #[serde(default)]
    pub collaborative: bool,
    /// Its pictures.
    #[serde(default)]
    pub images: Vec<Image>,
    /// How many follow it, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Followers>,
    /// The version this answer shows.
    #[serde(default)]
    pub snapshot_id: String,
    /// The first page of its items.
    pub items: Page<PlaylistItem>,
    /// Links outside the API.
    #[serde(default)]
    pub external_urls: ExternalUrls,
}

#[derive(Deserialize)]
struct FullPlaylistWire {
    id: PlaylistId,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    owner: Option<PlaylistOwner>,
    #[serde(default)]
    public: Option<bool>,
    #[serde(default)]
    collaborative: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    images: Vec<Image>,
    #[serde(default)]
    followers: Option<Followers>,
    #[serde(default, deserialize_with = "null_as_default")]
    snapshot_id: String,
    #[serde(default)]
    items: Option<Page<PlaylistItem>>,
    #[serde(default)]
    tracks: Option<Page<PlaylistItem>>,
    #[serde(default, deserialize_with = "null_as_default")]
    external_urls: ExternalUrls,
}

impl From<FullPlaylistWire> for Playlist {
    fn from(wire: FullPlaylistWire) -> Self {
        Self {
            id: wire.id,
            name: wire.name,
            description: wire.description,
            owner: wire.owner,
            public: wire.public,
            collaborative: wire.collaborative,
            images: wire.images,
            followers: wire.followers,
            snapshot_id: wire.snapshot_id,
            items: wire.items.or(wire.tracks).unwrap_or_else(Page::empty),
            external_urls: wire.external_urls,
        }
    }
}

/// One entry of a playlist: what it holds, who added it and when.
///
/// Reads both shapes: `item` (since February 2026) and `track` (before). The item is `None`
/// where Spotify sent `null` (a track no longer available, say).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(from = "PlaylistItemWire")]
#[non_exhaustive]
pub struct PlaylistItem {
    /// When it was added, if Spotify said (very old playlists have `null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_at: Option<Timestamp>,
    /// Who added it, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_by: Option<PlaylistOwner>,
    /// Whether it is a local file of the owner's (which has no catalog ID).
    #[serde(default)]
    pub is_local: bool,
    /// The track or episode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<PlayableItem>,
}

#[derive(Deserialize)]
struct PlaylistItemWire {
    #[serde(default, deserialize_with = "super::lenient_timestamp")]
    added_at: Option<Timestamp>,
    #[serde(default)]
    added_by: Option<PlaylistOwner>,
    #[serde(default, deserialize_with = "null_as_default")]
    is_local: bool,
    #[serde(default)]
    item: Option<PlayableItem>,
    #[serde(default)]
    track: Option<PlayableItem>,
}

impl From<PlaylistItemWire> for PlaylistItem {
    fn from(wire: PlaylistItemWire) -> Self {
        Self {
            added_at: wire.added_at,
            added_by: wire.added_by,
            is_local: wire.is_local,
            item: wire.item.or(wire.track),
        }
    }
}

/// What a playlist entry (or the player) holds: a track, an episode, or a kind this crate
/// does not know (or a local file, which has no catalog ID), kept as the JSON Spotify sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PlayableItem {
    /// A track.
    Track(Box<Track>),
    /// A podcast episode.
    Episode(Box<Episode>),
    /// Anything else, as it came.
    Other(serde_json::Value),
}

impl Serialize for PlayableItem {
    /// A track or episode with its `type`, as Spotify sends it (so that it reads back as
    /// the same kind); anything else as it came.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kind, value) = match self {
            Self::Track(track) => ("track", serde_json::to_value(track)),
            Self::Episode(episode) => ("episode", serde_json::to_value(episode)),
            Self::Other(value) => return value.serialize(serializer),
        };
        let mut value = value.map_err(serde::ser::Error::custom)?;
        if let Some(object) = value.as_object_mut() {
            object.insert("type".into(), kind.into());
        }
        value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PlayableItem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let decoded = match value.get("type").and_then(serde_json::Value::as_str) {
            Some("track") => Track::deserialize(&value)
                .map(|track| Self::Track(Box::new(track)))
                .ok(),
            Some("episode") => Episode::deserialize(&value)
                .map(|episode| Self::Episode(Box::new(episode)))
                .ok(),
            _ => None,
        };
        Ok(decoded.unwrap_or(Self::Other(value)))
    }
}
