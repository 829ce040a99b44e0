use alloc::string::String;

use serde::{Deserialize, Serialize};

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
