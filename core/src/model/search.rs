use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{Album, Artist, ExternalUrls, Image, Page, ReleaseDate, Track, null_as_default};
use crate::id::{AudiobookId, EpisodeId, PlaylistId, ShowId};

/// What a search found: one page per kind asked for, absent for kinds not asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SearchResults {
    /// Artists found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artists: Option<Page<Artist>>,
    /// Albums found (simplified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub albums: Option<Page<Album>>,
    /// Tracks found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracks: Option<Page<Track>>,
    /// Playlists found (Spotify puts `null` entries here; they are left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playlists: Option<Page<Playlist>>,
    /// Podcast shows found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shows: Option<Page<Show>>,
    /// Podcast episodes found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub episodes: Option<Page<Episode>>,
    /// Audiobooks found (some markets only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiobooks: Option<Page<Audiobook>>,
}

/// A playlist, as search results and lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(from = "PlaylistWire")]
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
}

impl From<PlaylistWire> for Playlist {
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
}

/// An audiobook.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Audiobook {
    /// The audiobook's ID.
    pub id: AudiobookId,
    /// Its title.
    pub name: String,
    /// Its authors' names.
    #[serde(default, deserialize_with = "names")]
    pub authors: Vec<String>,
    /// Its narrators' names.
    #[serde(default, deserialize_with = "names")]
    pub narrators: Vec<String>,
    /// Its publisher, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// How many chapters it has, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_chapters: Option<u32>,
    /// Its pictures.
    #[serde(default, deserialize_with = "null_as_default")]
    pub images: Vec<Image>,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
}

/// Reads `[{"name": "…"}, …]` (or plain strings) as a list of names.
fn names<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Name {
        Text(String),
        // The API description lets an author or narrator come without a name: left out.
        Object {
            #[serde(default)]
            name: Option<String>,
        },
    }
    let names: Option<Vec<Name>> = Option::deserialize(deserializer)?;
    Ok(names
        .unwrap_or_default()
        .into_iter()
        .filter_map(|n| match n {
            Name::Text(name) | Name::Object { name: Some(name) } => Some(name),
            Name::Object { name: None } => None,
        })
        .collect())
}
