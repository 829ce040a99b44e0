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
