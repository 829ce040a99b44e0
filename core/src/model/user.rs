use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{ExternalUrls, Followers, Image, null_as_default};

/// A Spotify user, as `GET /me` shows the signed-in one.
///
/// Since 2026, development-mode apps get no `country`, `email`, `product`, `followers` or
/// `explicit_content`: those are optional here. User IDs are free-form text, not base-62,
/// and may change; `account_id` (2026) does not.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct User {
    /// The user's ID.
    pub id: String,
    /// The name the user shows, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The account's immutable identifier, where Spotify gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The user's country (needs `user-read-private`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The user's email (needs `user-read-email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `premium`, `free`… (needs `user-read-private`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The user's pictures.
    #[serde(default, deserialize_with = "null_as_default")]
    pub images: Vec<Image>,
    /// How many follow the user, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Followers>,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
}
