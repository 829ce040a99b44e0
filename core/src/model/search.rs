use serde::{Deserialize, Serialize};

use super::{Album, Artist, Audiobook, Episode, Page, Show, SimplifiedPlaylist, Track};

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
    pub playlists: Option<Page<SimplifiedPlaylist>>,
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
