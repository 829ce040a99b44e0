use alloc::string::String;

use serde::{Deserialize, Serialize};

/// A picture of an artist, an album or a playlist, in one size.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Image {
    /// Where the picture is.
    pub url: String,
    /// Its height in pixels, if known.
    #[serde(default)]
    pub height: Option<u32>,
    /// Its width in pixels, if known.
    #[serde(default)]
    pub width: Option<u32>,
}

/// Links to an object outside the API.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ExternalUrls {
    /// The object's page on open.spotify.com.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spotify: Option<String>,
}

/// Identifiers of a track or album outside Spotify. Each is absent when Spotify does not say.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ExternalIds {
    /// International Standard Recording Code (tracks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isrc: Option<String>,
    /// International Article Number (albums).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ean: Option<String>,
    /// Universal Product Code (albums).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upc: Option<String>,
}
