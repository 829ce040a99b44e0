use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{ExternalUrls, Image, null_as_default};
use crate::id::AudiobookId;

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
