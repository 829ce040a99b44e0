//! Plain serde types for what Spotify returns.
//!
//! Tolerant by design: unknown fields are ignored, and fields that Spotify has dropped (or drops
//! for development-mode apps since February 2026) are `Option`, or empty collections when they
//! are absent or `null`. Every model derives `Deserialize` and `Serialize`, so it can be cached
//! and written back out.

mod album;
mod artist;
mod audiobook;
mod external;
mod genres;
mod image;
mod library;
mod market;
mod page;
mod player;
mod playlist;
mod search;
mod show;
mod track;
mod user;

pub use album::{Album, AlbumType, Copyright, ReleaseDate};
pub use artist::{Artist, Followers, SimplifiedArtist};
pub use audiobook::{Audiobook, Chapter};
pub use external::{ExternalIds, ExternalUrls};
pub use genres::{Genres, GenresIter};
pub use image::Image;
pub use library::{Context, PlayHistory, Saved};
pub use market::Markets;
pub use page::{CursorPage, Cursors, Page, Paged};
pub use player::{Actions, Device, PlaybackState, PlayingKind, Queue};
pub use playlist::{
    ItemsLink, PlayableItem, Playlist, PlaylistItem, PlaylistOwner, SimplifiedPlaylist,
};
pub use search::SearchResults;
pub use show::{Episode, ResumePoint, Show};
pub use track::{LinkedTrack, Track};
pub use user::User;

use serde::{Deserialize, Deserializer};

/// Reads `null` as the type's default, for collections that Spotify sends as `null` or leaves out.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Reads a timestamp, or `None` for `null`, a missing field or a text that is not one (an
/// unreadable time should not cost the whole answer).
fn lenient_timestamp<'de, D>(deserializer: D) -> Result<Option<crate::time::Timestamp>, D::Error>
where
    D: Deserializer<'de>,
{
    let text = Option::<alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    Ok(text.and_then(|text| text.parse().ok()))
}
