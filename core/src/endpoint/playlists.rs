//! The "Playlists" section of the Web API reference, on the API as it stands after February
//! 2026: items live at `/playlists/{id}/items`, and a user's playlists are made with
//! `POST /me/playlists`.
//!
//! Writes carry JSON bodies. Each type says whether it is idempotent: the session sends a
//! request that is not (adding items, creating a playlist, moving a range) only once if it
//! may have been processed, and ends the call with the transport's error instead.
//!
//! The deprecated `/playlists/{id}/tracks` forms are not offered: `/items` takes the same
//! requests and answers for every app, in development mode and extended quota alike, so no
//! app needs the old paths. Both answer shapes (`tracks`/`track` from before the change,
//! `items`/`item` after) are read.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Endpoint, check_limit, get};
use crate::encode::{FormBuilder, base64, path_segment};
use crate::error::{DecodeError, Error};
use crate::id::{PlayableUri, PlaylistId, UserId};
use crate::message::{Method, Request, Response};
use crate::model::{Image, Page, Playlist, PlaylistItem, SimplifiedPlaylist};
use crate::response::{decode, error_from_response};
use crate::url::BaseUrl;

/// The most items one add, remove or replace request may carry.
pub const MAX_ITEMS_PER_REQUEST: usize = 100;

/// The largest cover image Spotify takes: 256 KB of base64 text.
pub const MAX_COVER_BASE64_BYTES: usize = 256 * 1024;

/// A kind of item a playlist can hold, for `additional_types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ItemType {
    /// Tracks (always included).
    Track,
    /// Podcast episodes: without it, Spotify shows episodes in a track's shape.
    Episode,
}

impl ItemType {
    const fn as_str(self) -> &'static str {
        match self {
            Self::Track => "track",
            Self::Episode => "episode",
        }
    }
}

fn join_types(types: &[ItemType]) -> Option<String> {
    if types.is_empty() {
        return None;
    }
    let words: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    Some(words.join(","))
}

/// `METHOD {api}{path}` with a JSON body.
fn json<T: Serialize + ?Sized>(
    method: Method,
    api: &BaseUrl,
    path: core::fmt::Arguments<'_>,
    body: &T,
) -> Request {
    Request::new(method, api.join(path)).with_json(body)
}

/// A success with nothing to read (200, 201, 202 or 204, with or without a body).
fn nothing(response: &Response<'_>) -> Result<(), Error> {
    if response.is_success() {
        Ok(())
    } else {
        Err(error_from_response(response))
    }
}

/// The `snapshot_id` a change answers with.
fn snapshot(response: &Response<'_>) -> Result<String, Error> {
    #[derive(serde::Deserialize)]
    struct Answer {
        snapshot_id: String,
    }
    decode::<Answer>(response, "snapshot_id").map(|answer| answer.snapshot_id)
}

/// Refuses more items than one request may carry.
fn check_items(items: &[PlayableUri], allow_empty: bool) -> Result<(), Error> {
    if items.is_empty() && !allow_empty {
        return Err(Error::InvalidArgument {
            what: "no items were given",
        });
    }
    if items.len() > MAX_ITEMS_PER_REQUEST {
        return Err(Error::InvalidArgument {
            what: "more than 100 items in one request: use chunked()",
        });
    }
    Ok(())
}

/// Get Playlist: `GET /playlists/{id}`, its details and the first page of its items.
/// Idempotent.
///
/// ```
/// use spotify_web_core::endpoint::{Endpoint, GetPlaylist, ItemType};
/// use spotify_web_core::url::BaseUrl;
///
/// let get = GetPlaylist::new("3cEYpjA9oz9GiPac4AsH4n".parse()?)
///     .market("SE")
///     .additional_types([ItemType::Episode]);
/// assert_eq!(
///     get.request(&BaseUrl::spotify_api()).url(),
///     "https://api.spotify.com/v1/playlists/3cEYpjA9oz9GiPac4AsH4n?market=SE&additional_types=episode"
/// );
/// # Ok::<(), spotify_web_core::id::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetPlaylist {
    id: PlaylistId,
    market: Option<String>,
    types: Vec<ItemType>,
}

impl GetPlaylist {
    /// The playlist with this ID.
    pub fn new(id: PlaylistId) -> Self {
        Self {
            id,
            market: None,
            types: Vec::new(),
        }
    }

    /// As available in this market (ISO 3166-1 alpha-2, or `from_token`).
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }

    /// The kinds of item the app reads besides tracks.
    #[must_use]
    pub fn additional_types(mut self, types: impl IntoIterator<Item = ItemType>) -> Self {
        self.types = types.into_iter().collect();
        self
    }

    /// Only the fields Spotify's `fields` syntax names (such as
    /// `name,items.items(item(name,uri))`), read into the app's own type `T` (or
    /// `serde_json::Value`).
    pub fn fields<T: DeserializeOwned>(self, fields: impl Into<String>) -> GetPlaylistFields<T> {
        GetPlaylistFields {
            playlist: self,
            fields: fields.into(),
            output: core::marker::PhantomData,
        }
    }

    fn query(&self) -> FormBuilder {
        FormBuilder::default()
            .optional("market", self.market.as_deref())
            .optional("additional_types", join_types(&self.types).as_deref())
    }
}

impl Endpoint for GetPlaylist {
    type Output = Playlist;

    fn request(&self, api: &BaseUrl) -> Request {
        get(api, format_args!("/playlists/{}", self.id), self.query())
    }

    fn parse(&self, response: &Response<'_>) -> Result<Playlist, Error> {
        decode(response, "playlist")
    }
}

/// Get Playlist with `fields`: the named parts of a playlist, read into `T`. Made by
/// [`GetPlaylist::fields`]. Idempotent.
pub struct GetPlaylistFields<T> {
    playlist: GetPlaylist,
    fields: String,
    output: core::marker::PhantomData<fn() -> T>,
}

impl<T> core::fmt::Debug for GetPlaylistFields<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GetPlaylistFields")
            .field("playlist", &self.playlist)
            .field("fields", &self.fields)
            .finish()
    }
}

impl<T> Clone for GetPlaylistFields<T> {
    fn clone(&self) -> Self {
        Self {
            playlist: self.playlist.clone(),
            fields: self.fields.clone(),
            output: core::marker::PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Endpoint for GetPlaylistFields<T> {
    type Output = T;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = self.playlist.query().pair("fields", &self.fields);
        get(api, format_args!("/playlists/{}", self.playlist.id), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<T, Error> {
        decode(response, "playlist fields")
    }
}

/// Change Playlist Details: `PUT /playlists/{id}` with the new name, visibility,
/// collaboration or description. The user must own the playlist. Idempotent.
///
/// ```
/// use spotify_web_core::endpoint::{ChangePlaylistDetails, Endpoint};
/// use spotify_web_core::url::BaseUrl;
///
/// let change = ChangePlaylistDetails::new("3cEYpjA9oz9GiPac4AsH4n".parse()?)
///     .name("Road trip")
///     .public(false);
/// let request = change.request(&BaseUrl::spotify_api());
/// assert_eq!(request.body(), br#"{"name":"Road trip","public":false}"#);
/// # Ok::<(), spotify_web_core::id::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ChangePlaylistDetails {
    #[serde(skip)]
    id: PlaylistId,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collaborative: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

impl ChangePlaylistDetails {
    /// A change to this playlist; set at least one detail.
    pub fn new(id: PlaylistId) -> Self {
        Self {
            id,
            name: None,
            public: None,
            collaborative: None,
            description: None,
        }
    }

    /// Its new name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether it shows on the user's profile.
    #[must_use]
    pub fn public(mut self, public: bool) -> Self {
        self.public = Some(public);
        self
    }

    /// Whether others may change it (only a private playlist can be collaborative).
    #[must_use]
    pub fn collaborative(mut self, collaborative: bool) -> Self {
        self.collaborative = Some(collaborative);
        self
    }

    /// Its new description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

impl Endpoint for ChangePlaylistDetails {
    type Output = ();

    fn request(&self, api: &BaseUrl) -> Request {
        json(
            Method::Put,
            api,
            format_args!("/playlists/{}", self.id),
            self,
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
        nothing(response)
    }

    fn validate(&self) -> Result<(), Error> {
        if self.name.is_none()
            && self.public.is_none()
            && self.collaborative.is_none()
            && self.description.is_none()
        {
            return Err(Error::InvalidArgument {
                what: "no detail to change was given",
            });
        }
        if self.collaborative == Some(true) && self.public == Some(true) {
            return Err(Error::InvalidArgument {
                what: "a collaborative playlist cannot be public",
            });
        }
        Ok(())
    }
}

/// Get Playlist Items: `GET /playlists/{id}/items`, one page (walk them all with a client's
/// `items`). Development-mode apps get only the items of playlists the user owns or
/// collaborates on (others answer 403). Idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetPlaylistItems {
    id: PlaylistId,
    market: Option<String>,
    types: Vec<ItemType>,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl GetPlaylistItems {
    /// The items of this playlist, from the start.
    pub fn new(id: PlaylistId) -> Self {
        Self {
            id,
            market: None,
            types: Vec::new(),
            limit: None,
            offset: None,
        }
    }

    /// As available in this market (ISO 3166-1 alpha-2, or `from_token`).
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }

    /// The kinds of item the app reads besides tracks.
    #[must_use]
    pub fn additional_types(mut self, types: impl IntoIterator<Item = ItemType>) -> Self {
        self.types = types.into_iter().collect();
        self
    }

    crate::endpoint::paging_methods!();
}

impl Endpoint for GetPlaylistItems {
    type Output = Page<PlaylistItem>;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default()
            .optional("market", self.market.as_deref())
            .optional("additional_types", join_types(&self.types).as_deref())
            .number("limit", self.limit)
            .number("offset", self.offset);
        get(api, format_args!("/playlists/{}/items", self.id), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
        decode(response, "playlist items")
    }

    fn validate(&self) -> Result<(), Error> {
        check_limit(self.limit)
    }
}

/// Add Items to Playlist: `POST /playlists/{id}/items`, up to 100 tracks or episodes, at the
/// end or at a position; the answer is the playlist's new `snapshot_id`.
///
/// **Not idempotent**: sent twice, the items are added twice, so the session never sends it
/// again once it may have been processed.
///
/// ```
/// use spotify_web_core::endpoint::{AddItemsToPlaylist, Endpoint};
/// use spotify_web_core::id::PlayableUri;
/// use spotify_web_core::url::BaseUrl;
///
/// let track: PlayableUri = "spotify:track:4iV5W9uYEdYUVa79Axb7Rh".parse()?;
/// let adds = AddItemsToPlaylist::chunked("3cEYpjA9oz9GiPac4AsH4n".parse()?, vec![track; 250], Some(10));
/// assert_eq!(adds.len(), 3);
/// assert_eq!(adds[2].position(), Some(210)); // after the 200 the first two put at 10
/// let request = adds[0].request(&BaseUrl::spotify_api());
/// assert!(!request.is_idempotent());
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct AddItemsToPlaylist {
    #[serde(skip)]
    id: PlaylistId,
    uris: Vec<PlayableUri>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<u32>,
}

impl AddItemsToPlaylist {
    /// One request for 1 to 100 items, at the end.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for no items or more than 100: use
    /// [`chunked`](Self::chunked) for any number.
    pub fn new(id: PlaylistId, uris: impl IntoIterator<Item = PlayableUri>) -> Result<Self, Error> {
        let uris: Vec<PlayableUri> = uris.into_iter().collect();
        check_items(&uris, false)?;
        Ok(Self {
            id,
            uris,
            position: None,
        })
    }

    /// Inserts at this zero-based position instead of at the end.
    #[must_use]
    pub fn at(mut self, position: u32) -> Self {
        self.position = Some(position);
        self
    }

    /// As many requests as it takes, 100 items each, to send in order: the items end up in
    /// input order, at the end, or from `position` on (each chunk starts where the last one
    /// ended).
    pub fn chunked(
        id: PlaylistId,
        uris: impl IntoIterator<Item = PlayableUri>,
        position: Option<u32>,
    ) -> Vec<Self> {
        let uris: Vec<PlayableUri> = uris.into_iter().collect();
        uris.chunks(MAX_ITEMS_PER_REQUEST)
            .enumerate()
            .map(|(i, chunk)| Self {
                id,
                uris: chunk.to_vec(),
                position: position.map(|start| {
                    let before = u32::try_from(i * MAX_ITEMS_PER_REQUEST).unwrap_or(u32::MAX);
                    start.saturating_add(before)
                }),
            })
            .collect()
    }

    /// The items this request adds.
    pub fn uris(&self) -> &[PlayableUri] {
        &self.uris
    }

    /// Where they go, if not at the end.
    pub fn position(&self) -> Option<u32> {
        self.position
    }
}

impl Endpoint for AddItemsToPlaylist {
    type Output = String;

    fn request(&self, api: &BaseUrl) -> Request {
        json(
            Method::Post,
            api,
            format_args!("/playlists/{}/items", self.id),
            self,
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<String, Error> {
        snapshot(response)
    }

    fn validate(&self) -> Result<(), Error> {
        check_items(&self.uris, false)
    }
}

/// Update Playlist Items: `PUT /playlists/{id}/items`, either replacing every item or moving
/// a range of them; the answer is the new `snapshot_id`.
///
/// Replacing is idempotent. Moving is **not** (a range moved twice ends up elsewhere), so the
/// session never sends it again once it may have been processed; give the `snapshot_id` the
/// positions were read from, so that Spotify applies them to that version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpdatePlaylistItems {
    id: PlaylistId,
    change: Update,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
enum Update {
    Replace {
        uris: Vec<PlayableUri>,
    },
    Reorder {
        range_start: u32,
        insert_before: u32,
        range_length: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        snapshot_id: Option<String>,
    },
}

impl UpdatePlaylistItems {
    /// Replaces every item with these (0 to 100; none empties the playlist).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for more than 100: replace with the first 100, then add
    /// the rest with [`AddItemsToPlaylist::chunked`].
    pub fn replace(
        id: PlaylistId,
        uris: impl IntoIterator<Item = PlayableUri>,
    ) -> Result<Self, Error> {
        let uris: Vec<PlayableUri> = uris.into_iter().collect();
        check_items(&uris, true)?;
        Ok(Self {
            id,
            change: Update::Replace { uris },
        })
    }

    /// Moves the item at `range_start` (and the `range_length - 1` after it, see
    /// [`range_length`](Self::range_length)) to before the item at `insert_before`.
    pub fn reorder(id: PlaylistId, range_start: u32, insert_before: u32) -> Self {
        Self {
            id,
            change: Update::Reorder {
                range_start,
                insert_before,
                range_length: 1,
                snapshot_id: None,
            },
        }
    }

    /// How many items the moved range holds (default 1). Only for a reorder.
    #[must_use]
    pub fn range_length(mut self, length: u32) -> Self {
        if let Update::Reorder { range_length, .. } = &mut self.change {
            *range_length = length;
        }
        self
    }

    /// The version the positions were read from. Only for a reorder.
    #[must_use]
    pub fn snapshot_id(mut self, snapshot: impl Into<String>) -> Self {
        if let Update::Reorder { snapshot_id, .. } = &mut self.change {
            *snapshot_id = Some(snapshot.into());
        }
        self
    }
}

impl Endpoint for UpdatePlaylistItems {
    type Output = String;

    fn request(&self, api: &BaseUrl) -> Request {
        let request = json(
            Method::Put,
            api,
            format_args!("/playlists/{}/items", self.id),
            &self.change,
        );
        match self.change {
            Update::Replace { .. } => request,
            Update::Reorder { .. } => request.not_idempotent(),
        }
    }

    fn parse(&self, response: &Response<'_>) -> Result<String, Error> {
        snapshot(response)
    }

    fn validate(&self) -> Result<(), Error> {
        match &self.change {
            Update::Replace { uris } => check_items(uris, true),
            Update::Reorder {
                range_length: 0, ..
            } => Err(Error::InvalidArgument {
                what: "a reorder must move at least one item",
            }),
            Update::Reorder { .. } => Ok(()),
        }
    }
}

/// Remove Playlist Items: `DELETE /playlists/{id}/items`, every occurrence of up to 100
/// tracks or episodes; the answer is the new `snapshot_id`. Idempotent.
///
/// ```
/// use spotify_web_core::endpoint::{Endpoint, RemovePlaylistItems};
/// use spotify_web_core::url::BaseUrl;
///
/// let remove = RemovePlaylistItems::new(
///     "3cEYpjA9oz9GiPac4AsH4n".parse()?,
///     ["spotify:track:4iV5W9uYEdYUVa79Axb7Rh".parse()?],
/// )?
/// .snapshot_id("JbtmHBDBAYu3");
/// let request = remove.request(&BaseUrl::spotify_api());
/// assert_eq!(
///     request.body(),
///     br#"{"items":[{"uri":"spotify:track:4iV5W9uYEdYUVa79Axb7Rh"}],"snapshot_id":"JbtmHBDBAYu3"}"#
/// );
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RemovePlaylistItems {
    id: PlaylistId,
    uris: Vec<PlayableUri>,
    snapshot_id: Option<String>,
}

impl RemovePlaylistItems {
    /// One request for 1 to 100 items.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for no items or more than 100: use
    /// [`chunked`](Self::chunked) for any number.
    pub fn new(id: PlaylistId, uris: impl IntoIterator<Item = PlayableUri>) -> Result<Self, Error> {
        let uris: Vec<PlayableUri> = uris.into_iter().collect();
        check_items(&uris, false)?;
        Ok(Self {
            id,
            uris,
            snapshot_id: None,
        })
    }

    /// As many requests as it takes, 100 items each.
    pub fn chunked(id: PlaylistId, uris: impl IntoIterator<Item = PlayableUri>) -> Vec<Self> {
        let uris: Vec<PlayableUri> = uris.into_iter().collect();
        uris.chunks(MAX_ITEMS_PER_REQUEST)
            .map(|chunk| Self {
                id,
                uris: chunk.to_vec(),
                snapshot_id: None,
            })
            .collect()
    }

    /// Only if the playlist is still at this version.
    #[must_use]
    pub fn snapshot_id(mut self, snapshot: impl Into<String>) -> Self {
        self.snapshot_id = Some(snapshot.into());
        self
    }
}

impl Endpoint for RemovePlaylistItems {
    type Output = String;

    fn request(&self, api: &BaseUrl) -> Request {
        #[derive(Serialize)]
        struct Uri<'a> {
            uri: &'a PlayableUri,
        }
        #[derive(Serialize)]
        struct Body<'a> {
            items: Vec<Uri<'a>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            snapshot_id: Option<&'a str>,
        }
        let body = Body {
            items: self.uris.iter().map(|uri| Uri { uri }).collect(),
            snapshot_id: self.snapshot_id.as_deref(),
        };
        json(
            Method::Delete,
            api,
            format_args!("/playlists/{}/items", self.id),
            &body,
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<String, Error> {
        snapshot(response)
    }

    fn validate(&self) -> Result<(), Error> {
        check_items(&self.uris, false)
    }
}

/// Get Current User's Playlists: `GET /me/playlists`, the playlists the user owns or
/// follows, one page. Idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GetCurrentUsersPlaylists {
    limit: Option<u32>,
    offset: Option<u32>,
}

impl GetCurrentUsersPlaylists {
    /// From the start.
    pub fn new() -> Self {
        Self::default()
    }

    crate::endpoint::paging_methods!();
}

impl Endpoint for GetCurrentUsersPlaylists {
    type Output = Page<SimplifiedPlaylist>;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default()
            .number("limit", self.limit)
            .number("offset", self.offset);
        get(api, format_args!("/me/playlists"), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
        decode(response, "playlists")
    }

    fn validate(&self) -> Result<(), Error> {
        check_limit(self.limit)
    }
}

/// Get User's Playlists: `GET /users/{user_id}/playlists`, a user's public playlists, one
/// page. **Extended-quota apps only** since February 2026 (development-mode apps get 403).
/// Idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetUsersPlaylists {
    user: UserId,
    limit: Option<u32>,
    offset: Option<u32>,
}

impl GetUsersPlaylists {
    /// This user's playlists, from the start.
    pub fn new(user: UserId) -> Self {
        Self {
            user,
            limit: None,
            offset: None,
        }
    }

    crate::endpoint::paging_methods!();
}

impl Endpoint for GetUsersPlaylists {
    type Output = Page<SimplifiedPlaylist>;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default()
            .number("limit", self.limit)
            .number("offset", self.offset);
        let user = path_segment(self.user.as_str());
        get(api, format_args!("/users/{user}/playlists"), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Self::Output, Error> {
        decode(response, "playlists")
    }

    fn validate(&self) -> Result<(), Error> {
        check_limit(self.limit)
    }
}

/// The details of a new playlist.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
struct NewPlaylist {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collaborative: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

/// Create Playlist: `POST /me/playlists`, an empty playlist for the user; the answer (201)
/// is the new playlist.
///
/// **Not idempotent**: sent twice, it makes two playlists, so the session never sends it
/// again once it may have been processed.
///
/// ```
/// use spotify_web_core::endpoint::{CreatePlaylist, Endpoint};
/// use spotify_web_core::url::BaseUrl;
///
/// let create = CreatePlaylist::new("Road trip").public(false).description("Summer 2026");
/// let request = create.request(&BaseUrl::spotify_api());
/// assert_eq!(request.url(), "https://api.spotify.com/v1/me/playlists");
/// assert_eq!(request.header("content-type"), Some("application/json"));
/// assert_eq!(request.body(), br#"{"name":"Road trip","public":false,"description":"Summer 2026"}"#);
/// assert!(!request.is_idempotent());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreatePlaylist {
    details: NewPlaylist,
}

impl CreatePlaylist {
    /// A playlist with this name (Spotify makes new playlists public unless told).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            details: NewPlaylist {
                name: name.into(),
                public: None,
                collaborative: None,
                description: None,
            },
        }
    }

    /// Whether it shows on the user's profile.
    #[must_use]
    pub fn public(mut self, public: bool) -> Self {
        self.details.public = Some(public);
        self
    }

    /// Whether others may change it (a collaborative playlist must be private).
    #[must_use]
    pub fn collaborative(mut self, collaborative: bool) -> Self {
        self.details.collaborative = Some(collaborative);
        self
    }

    /// Its description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.details.description = Some(description.into());
        self
    }

    /// The same playlist, made for `user` with the extended-quota endpoint
    /// `POST /users/{user_id}/playlists` (development-mode apps get 403 there).
    pub fn for_user(self, user: UserId) -> CreatePlaylistForUser {
        CreatePlaylistForUser {
            user,
            details: self.details,
        }
    }
}

fn check_new(details: &NewPlaylist) -> Result<(), Error> {
    if details.name.trim().is_empty() {
        return Err(Error::InvalidArgument {
            what: "a playlist needs a name",
        });
    }
    if details.collaborative == Some(true) && details.public != Some(false) {
        return Err(Error::InvalidArgument {
            what: "a collaborative playlist must be made with public(false)",
        });
    }
    Ok(())
}

impl Endpoint for CreatePlaylist {
    type Output = Playlist;

    fn request(&self, api: &BaseUrl) -> Request {
        json(
            Method::Post,
            api,
            format_args!("/me/playlists"),
            &self.details,
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<Playlist, Error> {
        decode(response, "playlist")
    }

    fn validate(&self) -> Result<(), Error> {
        check_new(&self.details)
    }
}

/// Create Playlist for a user: `POST /users/{user_id}/playlists`. **Extended-quota apps
/// only** since February 2026; made by [`CreatePlaylist::for_user`]. Not idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreatePlaylistForUser {
    user: UserId,
    details: NewPlaylist,
}

impl Endpoint for CreatePlaylistForUser {
    type Output = Playlist;

    fn request(&self, api: &BaseUrl) -> Request {
        let user = path_segment(self.user.as_str());
        json(
            Method::Post,
            api,
            format_args!("/users/{user}/playlists"),
            &self.details,
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<Playlist, Error> {
        decode(response, "playlist")
    }

    fn validate(&self) -> Result<(), Error> {
        check_new(&self.details)
    }
}

/// Get Playlist Cover Image: `GET /playlists/{id}/images`. The URLs expire within days.
/// Idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GetPlaylistCoverImage {
    id: PlaylistId,
}

impl GetPlaylistCoverImage {
    /// This playlist's cover images.
    pub fn new(id: PlaylistId) -> Self {
        Self { id }
    }
}

impl Endpoint for GetPlaylistCoverImage {
    type Output = Vec<Image>;

    fn request(&self, api: &BaseUrl) -> Request {
        get(
            api,
            format_args!("/playlists/{}/images", self.id),
            FormBuilder::default(),
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<Vec<Image>, Error> {
        // A playlist without a cover answers `null`, as an empty list.
        decode::<Option<Vec<Image>>>(response, "images").map(Option::unwrap_or_default)
    }
}

/// Add Custom Playlist Cover Image: `PUT /playlists/{id}/images`, a JPEG sent as base64 text
/// (`content-type: image/jpeg`), at most 256 KB once encoded; needs the `ugc-image-upload`
/// scope. Spotify answers 202 and applies it shortly after. Idempotent.
///
/// ```
/// use spotify_web_core::endpoint::{AddCustomPlaylistCoverImage, Endpoint};
/// use spotify_web_core::url::BaseUrl;
///
/// let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]; // a JPEG's first bytes
/// let upload = AddCustomPlaylistCoverImage::new("3cEYpjA9oz9GiPac4AsH4n".parse()?, &jpeg)?;
/// let request = upload.request(&BaseUrl::spotify_api());
/// assert_eq!(request.header("content-type"), Some("image/jpeg"));
/// assert_eq!(request.body(), b"/9j/4AAQ");
///
/// let too_big = vec![0xFF; 200 * 1024];
/// assert!(AddCustomPlaylistCoverImage::new("3cEYpjA9oz9GiPac4AsH4n".parse()?, &too_big).is_err());
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct AddCustomPlaylistCoverImage {
    id: PlaylistId,
    base64: String,
}

impl core::fmt::Debug for AddCustomPlaylistCoverImage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AddCustomPlaylistCoverImage")
            .field("id", &self.id)
            .field("base64_bytes", &self.base64.len())
            .finish()
    }
}

impl AddCustomPlaylistCoverImage {
    /// Uploads this JPEG (the raw file's bytes; the request carries them as base64).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if the bytes are not a JPEG, or are more than 256 KB once
    /// encoded (about 192 KB of JPEG).
    pub fn new(id: PlaylistId, jpeg: &[u8]) -> Result<Self, Error> {
        if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Err(Error::InvalidArgument {
                what: "a cover image must be a JPEG",
            });
        }
        if jpeg.len().div_ceil(3) * 4 > MAX_COVER_BASE64_BYTES {
            return Err(Error::InvalidArgument {
                what: "a cover image must be at most 256 KB once base64-encoded",
            });
        }
        Ok(Self {
            id,
            base64: base64(jpeg),
        })
    }
}

impl Endpoint for AddCustomPlaylistCoverImage {
    type Output = ();

    fn request(&self, api: &BaseUrl) -> Request {
        Request::new(
            Method::Put,
            api.join(format_args!("/playlists/{}/images", self.id)),
        )
        .with_body("image/jpeg", self.base64.clone().into_bytes())
    }

    fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
        nothing(response)
    }
}

/// Follow Playlist: `PUT /playlists/{id}/followers`. **Extended-quota apps only** since
/// February 2026 (development-mode apps save playlists with the library endpoints).
/// Idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct FollowPlaylist {
    #[serde(skip)]
    id: PlaylistId,
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<bool>,
}

impl FollowPlaylist {
    /// Follows this playlist.
    pub fn new(id: PlaylistId) -> Self {
        Self { id, public: None }
    }

    /// Whether it shows among the user's public playlists (default true).
    #[must_use]
    pub fn public(mut self, public: bool) -> Self {
        self.public = Some(public);
        self
    }
}

impl Endpoint for FollowPlaylist {
    type Output = ();

    fn request(&self, api: &BaseUrl) -> Request {
        json(
            Method::Put,
            api,
            format_args!("/playlists/{}/followers", self.id),
            self,
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
        nothing(response)
    }
}

/// Unfollow Playlist: `DELETE /playlists/{id}/followers` (the owner's "delete"). **Extended-
/// quota apps only** since February 2026. Idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnfollowPlaylist {
    id: PlaylistId,
}

impl UnfollowPlaylist {
    /// Unfollows this playlist.
    pub fn new(id: PlaylistId) -> Self {
        Self { id }
    }
}

impl Endpoint for UnfollowPlaylist {
    type Output = ();

    fn request(&self, api: &BaseUrl) -> Request {
        Request::new(
            Method::Delete,
            api.join(format_args!("/playlists/{}/followers", self.id)),
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<(), Error> {
        nothing(response)
    }
}

/// Check if Current User Follows Playlist: `GET /playlists/{id}/followers/contains`.
/// **Extended-quota apps only** since February 2026. Idempotent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CheckIfUserFollowsPlaylist {
    id: PlaylistId,
}

impl CheckIfUserFollowsPlaylist {
    /// Whether the signed-in user follows this playlist.
    pub fn new(id: PlaylistId) -> Self {
        Self { id }
    }
}

impl Endpoint for CheckIfUserFollowsPlaylist {
    type Output = bool;

    fn request(&self, api: &BaseUrl) -> Request {
        get(
            api,
            format_args!("/playlists/{}/followers/contains", self.id),
            FormBuilder::default(),
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<bool, Error> {
        let answer: Vec<bool> = decode(response, "follows")?;
        answer.first().copied().ok_or_else(|| {
            Error::Decode(DecodeError {
                what: "follows",
                reason: "the answer is an empty list".into(),
            })
        })
    }
}
