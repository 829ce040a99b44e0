use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{Context, PlayableItem, null_as_default};

/// A device Spotify can play on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Device {
    /// Its ID, to send commands to it (`None` for a device that cannot be addressed).
    #[serde(default)]
    pub id: Option<String>,
    /// Its name, such as "Kitchen speaker".
    #[serde(default)]
    pub name: String,
    /// What kind of device it is, such as `Computer` or `Smartphone` (an open set: kept as
    /// Spotify wrote it).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Whether it is the active device.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_active: bool,
    /// Whether it is in a private session.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_private_session: bool,
    /// Whether it refuses Web API commands.
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_restricted: bool,
    /// Its volume, 0 to 100, if it has one.
    #[serde(default)]
    pub volume_percent: Option<u32>,
    /// Whether its volume can be set.
    #[serde(default, deserialize_with = "null_as_default")]
    pub supports_volume: bool,
}

/// What is playing, as Get Currently Playing shows it, and the player's state around it as Get
/// Playback State adds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PlaybackState {
    /// The active device (Get Playback State only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    /// `off`, `track` or `context` (Get Playback State only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_state: Option<String>,
    /// Whether shuffle is on (Get Playback State only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shuffle_state: Option<bool>,
    /// What it plays from, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// When this state was taken, in milliseconds since the Unix epoch.
    #[serde(default)]
    pub timestamp: i64,
    /// How far into the item playback is, in milliseconds.
    #[serde(default)]
    pub progress_ms: Option<u64>,
    /// Whether it is playing (rather than paused).
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_playing: bool,
    /// The track or episode; `None` for an ad or an unknown item.
    #[serde(default)]
    pub item: Option<PlayableItem>,
    /// `track`, `episode`, `ad` or `unknown` (an open set: kept as Spotify wrote it).
    #[serde(default)]
    pub currently_playing_type: String,
    /// What the player would refuse now.
    #[serde(default, deserialize_with = "null_as_default")]
    pub actions: Actions,
}

impl PlaybackState {
    /// What kind of thing plays, from `currently_playing_type`.
    pub fn playing_kind(&self) -> PlayingKind {
        match self.currently_playing_type.as_str() {
            "track" => PlayingKind::Track,
            "episode" => PlayingKind::Episode,
            "ad" => PlayingKind::Ad,
            "unknown" | "" => PlayingKind::Unknown,
            other => PlayingKind::Other(other.into()),
        }
    }
}

/// What kind of thing plays: a track, an episode, an ad (with no `item`), or something Spotify
/// does not say; an open set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PlayingKind {
    /// A track.
    Track,
    /// A podcast episode.
    Episode,
    /// An advertisement (`item` is `None`).
    Ad,
    /// Spotify did not say.
    Unknown,
    /// A kind this crate does not know yet, as Spotify wrote it.
    Other(String),
}

/// The player's `actions`: which commands it would refuse now.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Actions {
    /// Each action Spotify named (`pausing`, `seeking`, `skipping_next`, …) and whether it
    /// is disallowed; an action it did not name is allowed.
    #[serde(default, deserialize_with = "null_as_default")]
    pub disallows: BTreeMap<String, bool>,
}

impl Actions {
    /// Whether the player refuses this action now (`"pausing"`, `"skipping_next"`, …).
    pub fn disallows(&self, action: &str) -> bool {
        self.disallows.get(action).copied().unwrap_or(false)
    }
}

/// The user's queue: what plays now and what comes next.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Queue {
    /// What plays now, if anything.
    #[serde(default)]
    pub currently_playing: Option<PlayableItem>,
    /// What comes next, in order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub queue: Vec<PlayableItem>,
}
