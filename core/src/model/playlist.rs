use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{ExternalUrls, Image, null_as_default};
use crate::id::PlaylistId;

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
