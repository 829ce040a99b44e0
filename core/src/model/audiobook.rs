use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{ExternalUrls, Image, Page, ReleaseDate, ResumePoint, null_as_default};
use crate::id::{AudiobookId, ChapterId};

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
    /// Its languages (ISO 639 codes).
    #[serde(default, deserialize_with = "null_as_default")]
    pub languages: Vec<String>,
    /// Its edition, such as `Unabridged`, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Whether it is explicit.
    #[serde(default, deserialize_with = "null_as_default")]
    pub explicit: bool,
    /// The first page of its chapters (Get Audiobook only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapters: Option<Page<Chapter>>,
}

/// A chapter of an audiobook.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Chapter {
    /// The chapter's ID.
    pub id: ChapterId,
    /// Its title.
    pub name: String,
    /// Its place in the audiobook, from 0.
    #[serde(default, deserialize_with = "null_as_default")]
    pub chapter_number: u32,
    /// Its description.
    #[serde(default, deserialize_with = "null_as_default")]
    pub description: String,
    /// Its length in milliseconds.
    #[serde(default, deserialize_with = "null_as_default")]
    pub duration_ms: u64,
    /// When it came out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<ReleaseDate>,
    /// Whether it plays in the market asked for, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_playable: Option<bool>,
    /// Where the user stopped listening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_point: Option<ResumePoint>,
    /// Its languages (ISO 639 codes).
    #[serde(default, deserialize_with = "null_as_default")]
    pub languages: Vec<String>,
    /// Its pictures.
    #[serde(default, deserialize_with = "null_as_default")]
    pub images: Vec<Image>,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
    /// The audiobook it belongs to (Get Chapter only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiobook: Option<Audiobook>,
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
