use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{ExternalUrls, Genres, Image, null_as_default};
use crate::id::ArtistId;

/// An artist, as `GET /v1/artists/{id}` returns it.
///
/// Since February 2026, Spotify leaves out `followers`, `popularity` and often `genres` for
/// apps in development mode: those are optional here, and an absent list is empty.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Artist {
    /// The artist's ID.
    pub id: ArtistId,
    /// The artist's name.
    pub name: String,
    /// Genres Spotify associates with the artist (empty if Spotify left them out), in one
    /// buffer.
    #[serde(default)]
    pub genres: Genres,
    /// Pictures of the artist, widest first (empty if there are none).
    #[serde(default, deserialize_with = "null_as_default")]
    pub images: Vec<Image>,
    /// How many people follow the artist, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Followers>,
    /// Popularity from 0 to 100, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<u32>,
    /// Links outside the API, such as the artist's open.spotify.com page.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
    /// The API URL of the full artist object, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// An artist as other objects name it: ID, name and links. The ID has been seen `null` (for
/// artists of local files), so it is optional.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[non_exhaustive]
pub struct SimplifiedArtist {
    /// The artist's ID, if given.
    #[serde(default)]
    pub id: Option<ArtistId>,
    /// The artist's name.
    #[serde(default)]
    pub name: String,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
}

/// How many people follow an artist or a playlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Followers {
    /// The number of followers, if Spotify said (the API description lets it be left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_slim_development_mode_shape() {
        let artist: Artist = serde_json::from_str(
            r#"{"external_urls":{"spotify":"https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb"},
                "href":"https://api.spotify.com/v1/artists/4Z8W4fKeB5YxbusRsdQVPb",
                "id":"4Z8W4fKeB5YxbusRsdQVPb","images":[],"name":"Radiohead","type":"artist",
                "uri":"spotify:artist:4Z8W4fKeB5YxbusRsdQVPb"}"#,
        )
        .unwrap();
        assert_eq!(artist.name, "Radiohead");
        assert_eq!(artist.followers, None);
        assert_eq!(artist.popularity, None);
        assert!(artist.genres.is_empty());
    }

    #[test]
    fn reads_null_lists_and_followers_as_absent() {
        let artist: Artist = serde_json::from_str(
            r#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"R","genres":null,"images":null,
                "followers":null,"popularity":null,"external_urls":null}"#,
        )
        .unwrap();
        assert!(artist.genres.is_empty() && artist.images.is_empty());
        assert_eq!(artist.followers, None);
        assert_eq!(artist.external_urls.spotify, None);
    }

    #[test]
    fn round_trips_through_json() {
        let artist: Artist = serde_json::from_str(
            r#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"R","followers":{"href":null,"total":3},
                "images":[{"url":"u","height":null,"width":640}]}"#,
        )
        .unwrap();
        let again: Artist = serde_json::from_str(&serde_json::to_string(&artist).unwrap()).unwrap();
        assert_eq!(again, artist);
    }
}
