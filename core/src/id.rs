//! Typed Spotify IDs, parsed once at the edge.
//!
//! A catalog ID is 22 base-62 characters (`[0-9A-Za-z]`). Each kind has its own type, so an
//! album ID can never be sent where an artist ID is expected, and because the characters are
//! checked when the ID is made, an ID can never change the path of a request.
//!
//! Every ID type parses from the three forms people copy around:
//!
//! ```
//! use spotify_web_core::id::ArtistId;
//!
//! let bare: ArtistId = "4Z8W4fKeB5YxbusRsdQVPb".parse()?;
//! let uri: ArtistId = "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb".parse()?;
//! let link: ArtistId =
//!     "https://open.spotify.com/intl-de/artist/4Z8W4fKeB5YxbusRsdQVPb?si=abc".parse()?;
//! assert_eq!(bare, uri);
//! assert_eq!(uri, link);
//! assert_eq!(link.to_string(), "4Z8W4fKeB5YxbusRsdQVPb");
//! assert_eq!(link.uri(), "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb");
//! # Ok::<(), spotify_web_core::id::IdError>(())
//! ```
//!
//! The kinds do not mix:
//!
//! ```compile_fail
//! use spotify_web_core::id::{ArtistId, TrackId};
//!
//! let track: TrackId = "6rqhFgbbKwnb9MLmUQDhG6".parse().unwrap();
//! let artist: ArtistId = track; // a track ID is not an artist ID
//! ```

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

/// How many characters a Spotify catalog ID has.
pub const ID_LEN: usize = 22;

/// The kinds of Spotify objects that have a catalog ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdKind {
    /// An artist (`spotify:artist:…`).
    Artist,
    /// An album (`spotify:album:…`).
    Album,
    /// A track (`spotify:track:…`).
    Track,
    /// A playlist (`spotify:playlist:…`).
    Playlist,
    /// A podcast show (`spotify:show:…`).
    Show,
    /// A podcast episode (`spotify:episode:…`).
    Episode,
    /// An audiobook (`spotify:audiobook:…`).
    Audiobook,
    /// A user (`spotify:user:…`); user IDs are free text, not base-62.
    User,
    /// An audiobook chapter (its URI is `spotify:episode:…`, its links `/chapter/…`).
    Chapter,
}

impl IdKind {
    /// The word Spotify uses for this kind in URIs and links, such as `"artist"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Artist => "artist",
            Self::Album => "album",
            Self::Track => "track",
            Self::Playlist => "playlist",
            Self::Show => "show",
            Self::Episode => "episode",
            Self::Audiobook => "audiobook",
            Self::User => "user",
            Self::Chapter => "chapter",
        }
    }
}

impl IdKind {
    /// The word of this kind in `spotify:` URIs: as [`as_str`](Self::as_str), but a chapter's
    /// URI says `episode`.
    pub const fn uri_word(self) -> &'static str {
        match self {
            Self::Chapter => "episode",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not an ID of the expected kind.
///
/// The input itself is not repeated in the message: it can be long, and it is the caller's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdError {
    /// The input was empty (or only whitespace).
    Empty {
        /// The kind that was expected.
        expected: IdKind,
    },
    /// The input is a URI or link to another kind of object.
    WrongKind {
        /// The kind that was expected.
        expected: IdKind,
        /// The word the input used instead, if it is a known kind.
        found: Option<IdKind>,
    },
    /// The ID part does not have 22 characters.
    WrongLength {
        /// The kind that was expected.
        expected: IdKind,
        /// How many bytes the ID part had.
        len: usize,
    },
    /// The ID part has a character outside `[0-9A-Za-z]`.
    InvalidCharacter {
        /// The kind that was expected.
        expected: IdKind,
        /// The byte offset of the first bad character within the ID part.
        at: usize,
    },
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hint = "expected a 22-character base-62 ID, a `spotify:KIND:ID` URI or an \
                    `https://open.spotify.com/KIND/ID` link";
        match *self {
            Self::Empty { expected } => write!(f, "the {expected} ID is empty: {hint}"),
            Self::WrongKind {
                expected,
                found: Some(found),
            } => write!(
                f,
                "wrong kind of ID: expected {expected}, found {found}; pass the {expected}'s own ID, URI or link"
            ),
            Self::WrongKind {
                expected,
                found: None,
            } => write!(f, "this is not a Spotify {expected} ID: {hint}"),
            Self::WrongLength { expected, len } => write!(
                f,
                "the {expected} ID has {len} characters instead of 22: {hint}"
            ),
            Self::InvalidCharacter { expected, at } => write!(
                f,
                "the {expected} ID has a character outside 0-9, A-Z, a-z at position {at}: {hint}"
            ),
        }
    }
}

impl core::error::Error for IdError {}

/// The parsing shared by every ID type: the 22 characters, once checked.
fn parse_id(input: &str, kind: IdKind) -> Result<[u8; ID_LEN], IdError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(IdError::Empty { expected: kind });
    }
    let raw = if let Some(rest) = input.strip_prefix("spotify:") {
        let (word, id) = rest.split_once(':').ok_or(IdError::WrongKind {
            expected: kind,
            found: None,
        })?;
        check_kind(word, kind)?;
        id
    } else if let Some(path) = link_path(input) {
        // A share link: `[intl-xx/]KIND/ID[/][?query][#fragment]`.
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = path.strip_suffix('/').unwrap_or(path);
        let mut segments = path.split('/');
        let mut word = segments.next().unwrap_or_default();
        if word.starts_with("intl-") {
            word = segments.next().unwrap_or_default();
        }
        check_kind(word, kind)?;
        let id = segments.next().unwrap_or_default();
        if segments.next().is_some() {
            return Err(IdError::WrongKind {
                expected: kind,
                found: None,
            });
        }
        id
    } else {
        input
    };
    check_chars(raw, kind)
}

/// The path of an `open.spotify.com` link (after the host and its `/`), if `input` is one.
fn link_path(input: &str) -> Option<&str> {
    let rest = input
        .strip_prefix("https://")
        .or_else(|| input.strip_prefix("http://"))
        .unwrap_or(input);
    rest.strip_prefix("open.spotify.com/")
}

fn check_kind(word: &str, expected: IdKind) -> Result<(), IdError> {
    // A chapter's URI says `episode`.
    if word == expected.as_str() || (expected == IdKind::Chapter && word == "episode") {
        return Ok(());
    }
    let found = [
        IdKind::Artist,
        IdKind::Album,
        IdKind::Track,
        IdKind::Playlist,
        IdKind::Show,
        IdKind::Episode,
        IdKind::Audiobook,
        IdKind::User,
        IdKind::Chapter,
    ]
    .into_iter()
    .find(|kind| kind.as_str() == word);
    Err(IdError::WrongKind { expected, found })
}

fn check_chars(raw: &str, kind: IdKind) -> Result<[u8; ID_LEN], IdError> {
    if let Some(at) = raw.bytes().position(|b| !b.is_ascii_alphanumeric()) {
        return Err(IdError::InvalidCharacter { expected: kind, at });
    }
    raw.as_bytes().try_into().map_err(|_| IdError::WrongLength {
        expected: kind,
        len: raw.len(),
    })
}

macro_rules! catalog_id {
    (@link $word:literal) => { $word };
    (@link $word:literal, $link:literal) => { $link };
    ($(#[$doc:meta])* $name:ident, $kind:ident, $word:literal, $example:literal $(, $link:literal)?) => {
        $(#[$doc])*
        ///
        /// Parses from a bare ID, a `spotify:` URI or an `open.spotify.com` link, with or without
        /// an `intl-xx/` segment and a `?si=` query. `Display` and [`as_str`](Self::as_str) give
        /// the bare ID; serde reads any of the accepted forms and writes the bare ID.
        ///
        /// ```
        #[doc = concat!("use spotify_web_core::id::", stringify!($name), ";")]
        ///
        #[doc = concat!("let id: ", stringify!($name), " = \"", $example, "\".parse()?;")]
        #[doc = concat!("assert_eq!(id.as_str(), \"", $example, "\");")]
        #[doc = concat!("assert_eq!(id.uri(), \"spotify:", $word, ":", $example, "\");")]
        #[doc = concat!("assert_eq!(id.url(), \"https://open.spotify.com/", catalog_id!(@link $word $(, $link)?), "/", $example, "\");")]
        /// # Ok::<(), spotify_web_core::id::IdError>(())
        /// ```
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name([u8; ID_LEN]);

        impl $name {
            /// The kind of object this ID names.
            pub const KIND: IdKind = IdKind::$kind;

            /// The bare 22-character ID.
            pub fn as_str(&self) -> &str {
                // The bytes were checked to be ASCII alphanumerics when the ID was made.
                core::str::from_utf8(&self.0).unwrap_or_default()
            }

            /// The Spotify URI, `spotify:KIND:ID`.
            pub fn uri(&self) -> String {
                alloc::format!("spotify:{}:{}", Self::KIND.uri_word(), self.as_str())
            }

            /// The share link, `https://open.spotify.com/KIND/ID`.
            pub fn url(&self) -> String {
                alloc::format!("https://open.spotify.com/{}/{}", Self::KIND, self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(input: &str) -> Result<Self, IdError> {
                parse_id(input, Self::KIND).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.as_str()).finish()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(IdVisitor(IdKind::$kind)).map(Self)
            }
        }
    };
}

/// Reads an ID from a borrowed or owned string without copying it first.
struct IdVisitor(IdKind);

impl serde::de::Visitor<'_> for IdVisitor {
    type Value = [u8; ID_LEN];

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a Spotify {} ID", self.0)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_id(v, self.0).map_err(E::custom)
    }
}

catalog_id!(
    /// The ID of an artist.
    ArtistId, Artist, "artist", "4Z8W4fKeB5YxbusRsdQVPb"
);
catalog_id!(
    /// The ID of an album.
    AlbumId, Album, "album", "6akEvsycLGftJxYudPjmqK"
);
catalog_id!(
    /// The ID of a track.
    TrackId, Track, "track", "6rqhFgbbKwnb9MLmUQDhG6"
);
catalog_id!(
    /// The ID of a playlist.
    PlaylistId, Playlist, "playlist", "37i9dQZF1DXcBWIGoYBM5M"
);
catalog_id!(
    /// The ID of a podcast show.
    ShowId, Show, "show", "38bS44xjbVVZ3No3ByF1dJ"
);
catalog_id!(
    /// The ID of a podcast episode.
    EpisodeId, Episode, "episode", "512ojhOuo1ktJprKbVcKyQ"
);
catalog_id!(
    /// The ID of an audiobook.
    AudiobookId, Audiobook, "audiobook", "7iHfbu1YPACw6oZPAFJtqe"
);
catalog_id!(
    /// The ID of an audiobook chapter. Spotify writes a chapter's URI as
    /// `spotify:episode:…`, which this type reads and writes; a bare ID or a `/chapter/` link
    /// works too.
    ChapterId, Chapter, "episode", "0D5wENdkdwbqlrHoaJ9g29", "chapter"
);

/// `From<Id>` for an enum of IDs, one variant per kind.
macro_rules! from_ids {
    ($target:ident: $($variant:ident($id:ty)),*) => {
        $(
            impl From<$id> for $target {
                fn from(id: $id) -> Self {
                    Self::$variant(id)
                }
            }
        )*
    };
}

/// Serde for a type that is written as its `Display` text and read back with its `FromStr`.
macro_rules! serde_as_text {
    ($name:ty) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A user's ID, such as `smedjan` or `31l77y2al5lnn7mxfrmd4bpfhqke`.
///
/// User IDs are free text, not base-62: they are checked only for what would break a request
/// (empty, or holding `/`, `?`, `#` or a control character, which could change its path), and
/// percent-encoded where they go in a path. Parses from a bare ID, a `spotify:user:` URI or an
/// `open.spotify.com/user/` link.
///
/// ```
/// use spotify_web_core::id::UserId;
///
/// let id: UserId = "https://open.spotify.com/user/smedjan?si=x".parse()?;
/// assert_eq!(id.as_str(), "smedjan");
/// assert_eq!(id.uri(), "spotify:user:smedjan");
/// assert!("a/b".parse::<UserId>().is_err());
/// # Ok::<(), spotify_web_core::id::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(String);

impl UserId {
    /// The kind of object this ID names.
    pub const KIND: IdKind = IdKind::User;

    /// The bare user ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Spotify URI, `spotify:user:ID`.
    pub fn uri(&self) -> String {
        alloc::format!("spotify:user:{}", self.0)
    }
}

impl FromStr for UserId {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        let kind = IdKind::User;
        let input = input.trim();
        let raw = if let Some(rest) = input.strip_prefix("spotify:") {
            let (word, id) = rest.split_once(':').ok_or(IdError::WrongKind {
                expected: kind,
                found: None,
            })?;
            check_kind(word, kind)?;
            id
        } else if let Some(path) = link_path(input) {
            let path = path.split(['?', '#']).next().unwrap_or_default();
            let path = path.strip_suffix('/').unwrap_or(path);
            let (word, id) = path.split_once('/').ok_or(IdError::WrongKind {
                expected: kind,
                found: None,
            })?;
            check_kind(word, kind)?;
            id
        } else {
            input
        };
        if raw.is_empty() {
            return Err(IdError::Empty { expected: kind });
        }
        if let Some(at) = raw
            .char_indices()
            .find(|(_, c)| matches!(c, '/' | '?' | '#') || c.is_control())
            .map(|(at, _)| at)
        {
            return Err(IdError::InvalidCharacter { expected: kind, at });
        }
        Ok(Self(raw.into()))
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

serde_as_text!(UserId);

/// Something a playlist or the queue can hold: a track or an episode, named by its URI.
///
/// Parses from a `spotify:track:` or `spotify:episode:` URI or an `open.spotify.com` link; a
/// bare ID is refused, since it does not say which kind it is. Local files
/// (`spotify:local:…`) cannot be added through the Web API and are refused too.
///
/// ```
/// use spotify_web_core::id::{PlayableUri, TrackId};
///
/// let track: PlayableUri = "spotify:track:6rqhFgbbKwnb9MLmUQDhG6".parse()?;
/// let episode: PlayableUri = "https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ".parse()?;
/// assert_eq!(episode.to_string(), "spotify:episode:512ojhOuo1ktJprKbVcKyQ");
/// let id: TrackId = "6rqhFgbbKwnb9MLmUQDhG6".parse()?;
/// assert_eq!(track, PlayableUri::from(id));
/// assert!("6rqhFgbbKwnb9MLmUQDhG6".parse::<PlayableUri>().is_err());
/// # Ok::<(), spotify_web_core::id::IdError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(
    clippy::exhaustive_enums,
    reason = "the Web API adds only tracks and episodes to playlists and the queue"
)]
pub enum PlayableUri {
    /// A track.
    Track(TrackId),
    /// A podcast episode.
    Episode(EpisodeId),
}

impl PlayableUri {
    /// The Spotify URI, `spotify:track:ID` or `spotify:episode:ID`.
    pub fn uri(&self) -> String {
        match self {
            Self::Track(id) => id.uri(),
            Self::Episode(id) => id.uri(),
        }
    }
}

from_ids!(PlayableUri: Track(TrackId), Episode(EpisodeId));

impl FromStr for PlayableUri {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        let trimmed = input.trim();
        match kind_word(trimmed) {
            Some("track") => trimmed.parse().map(Self::Track),
            Some("episode") => trimmed.parse().map(Self::Episode),
            Some(other) => Err(IdError::WrongKind {
                expected: IdKind::Track,
                found: [
                    IdKind::Artist,
                    IdKind::Album,
                    IdKind::Playlist,
                    IdKind::Show,
                    IdKind::Audiobook,
                    IdKind::User,
                ]
                .into_iter()
                .find(|kind| kind.as_str() == other),
            }),
            None if trimmed.is_empty() => Err(IdError::Empty {
                expected: IdKind::Track,
            }),
            None => Err(IdError::WrongKind {
                expected: IdKind::Track,
                found: None,
            }),
        }
    }
}

impl fmt::Display for PlayableUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Track(id) => write!(f, "spotify:track:{id}"),
            Self::Episode(id) => write!(f, "spotify:episode:{id}"),
        }
    }
}

serde_as_text!(PlayableUri);

/// A Spotify URI of any kind: what the library endpoints take (tracks, albums, episodes, shows,
/// audiobooks, users and playlists to save; artists too, to check).
///
/// Parses from a `spotify:KIND:ID` URI or an `open.spotify.com` link; a bare ID is refused,
/// since it does not say its kind. Each kind keeps its own typed ID.
///
/// ```
/// use spotify_web_core::id::{AlbumId, SpotifyUri};
///
/// let album: SpotifyUri = "https://open.spotify.com/album/6akEvsycLGftJxYudPjmqK".parse()?;
/// assert_eq!(album.to_string(), "spotify:album:6akEvsycLGftJxYudPjmqK");
/// let id: AlbumId = "6akEvsycLGftJxYudPjmqK".parse()?;
/// assert_eq!(album, SpotifyUri::from(id));
/// assert!("6akEvsycLGftJxYudPjmqK".parse::<SpotifyUri>().is_err());
/// # Ok::<(), spotify_web_core::id::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SpotifyUri {
    /// An artist.
    Artist(ArtistId),
    /// An album.
    Album(AlbumId),
    /// A track.
    Track(TrackId),
    /// A playlist.
    Playlist(PlaylistId),
    /// A podcast show.
    Show(ShowId),
    /// A podcast episode.
    Episode(EpisodeId),
    /// An audiobook.
    Audiobook(AudiobookId),
    /// A user.
    User(UserId),
}

impl SpotifyUri {
    /// The kind of object it names.
    pub fn kind(&self) -> IdKind {
        match self {
            Self::Artist(_) => IdKind::Artist,
            Self::Album(_) => IdKind::Album,
            Self::Track(_) => IdKind::Track,
            Self::Playlist(_) => IdKind::Playlist,
            Self::Show(_) => IdKind::Show,
            Self::Episode(_) => IdKind::Episode,
            Self::Audiobook(_) => IdKind::Audiobook,
            Self::User(_) => IdKind::User,
        }
    }
}

from_ids!(
    SpotifyUri:
    Artist(ArtistId),
    Album(AlbumId),
    Track(TrackId),
    Playlist(PlaylistId),
    Show(ShowId),
    Episode(EpisodeId),
    Audiobook(AudiobookId),
    User(UserId)
);

impl From<PlayableUri> for SpotifyUri {
    fn from(uri: PlayableUri) -> Self {
        match uri {
            PlayableUri::Track(id) => Self::Track(id),
            PlayableUri::Episode(id) => Self::Episode(id),
        }
    }
}

/// The kind word of a URI or link, if the text is one.
fn kind_word(text: &str) -> Option<&str> {
    match text.strip_prefix("spotify:") {
        Some(rest) => rest.split(':').next(),
        None => link_path(text).map(|path| {
            let path = path.split(['?', '#']).next().unwrap_or_default();
            let mut segments = path.split('/');
            let first = segments.next().unwrap_or_default();
            if first.starts_with("intl-") {
                segments.next().unwrap_or_default()
            } else {
                first
            }
        }),
    }
}

impl FromStr for SpotifyUri {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        let text = input.trim();
        match kind_word(text) {
            Some("artist") => text.parse().map(Self::Artist),
            Some("album") => text.parse().map(Self::Album),
            Some("track") => text.parse().map(Self::Track),
            Some("playlist") => text.parse().map(Self::Playlist),
            Some("show") => text.parse().map(Self::Show),
            Some("episode") => text.parse().map(Self::Episode),
            Some("audiobook") => text.parse().map(Self::Audiobook),
            Some("user") => text.parse().map(Self::User),
            _ if text.is_empty() => Err(IdError::Empty {
                expected: IdKind::Track,
            }),
            _ => Err(IdError::WrongKind {
                expected: IdKind::Track,
                found: None,
            }),
        }
    }
}

impl fmt::Display for SpotifyUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(id) => write!(f, "spotify:user:{id}"),
            Self::Artist(id) => write!(f, "spotify:artist:{id}"),
            Self::Album(id) => write!(f, "spotify:album:{id}"),
            Self::Track(id) => write!(f, "spotify:track:{id}"),
            Self::Playlist(id) => write!(f, "spotify:playlist:{id}"),
            Self::Show(id) => write!(f, "spotify:show:{id}"),
            Self::Episode(id) => write!(f, "spotify:episode:{id}"),
            Self::Audiobook(id) => write!(f, "spotify:audiobook:{id}"),
        }
    }
}

serde_as_text!(SpotifyUri);

/// What playback can start from: an album, an artist, a playlist, a show, an audiobook, or a
/// user's saved tracks (`spotify:user:{id}:collection`). A track or an episode is not a
/// context: it is played by URI.
///
/// ```
/// use spotify_web_core::id::{AlbumId, ContextUri};
///
/// let album: AlbumId = "6akEvsycLGftJxYudPjmqK".parse()?;
/// assert_eq!(ContextUri::from(album).to_string(), "spotify:album:6akEvsycLGftJxYudPjmqK");
/// let liked: ContextUri = "spotify:user:smedjan:collection".parse()?;
/// assert_eq!(liked.to_string(), "spotify:user:smedjan:collection");
/// assert!("spotify:track:6rqhFgbbKwnb9MLmUQDhG6".parse::<ContextUri>().is_err());
/// # Ok::<(), spotify_web_core::id::IdError>(())
/// ```
///
/// A track ID does not convert into one:
///
/// ```compile_fail
/// use spotify_web_core::id::{ContextUri, TrackId};
///
/// let track: TrackId = "6rqhFgbbKwnb9MLmUQDhG6".parse().unwrap();
/// let context = ContextUri::from(track);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ContextUri {
    /// An album.
    Album(AlbumId),
    /// An artist (their top tracks).
    Artist(ArtistId),
    /// A playlist.
    Playlist(PlaylistId),
    /// A podcast show.
    Show(ShowId),
    /// An audiobook.
    Audiobook(AudiobookId),
    /// A user's saved tracks ("Liked Songs").
    Collection(UserId),
}

from_ids!(
    ContextUri:
    Album(AlbumId),
    Artist(ArtistId),
    Playlist(PlaylistId),
    Show(ShowId),
    Audiobook(AudiobookId)
);

impl FromStr for ContextUri {
    type Err = IdError;

    fn from_str(input: &str) -> Result<Self, IdError> {
        let text = input.trim();
        if let Some(user) = text
            .strip_prefix("spotify:user:")
            .and_then(|rest| rest.strip_suffix(":collection"))
        {
            return user.parse().map(Self::Collection);
        }
        match text.parse::<SpotifyUri>()? {
            SpotifyUri::Album(id) => Ok(Self::Album(id)),
            SpotifyUri::Artist(id) => Ok(Self::Artist(id)),
            SpotifyUri::Playlist(id) => Ok(Self::Playlist(id)),
            SpotifyUri::Show(id) => Ok(Self::Show(id)),
            SpotifyUri::Audiobook(id) => Ok(Self::Audiobook(id)),
            other => Err(IdError::WrongKind {
                expected: IdKind::Playlist,
                found: Some(other.kind()),
            }),
        }
    }
}

impl fmt::Display for ContextUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Album(id) => write!(f, "spotify:album:{id}"),
            Self::Artist(id) => write!(f, "spotify:artist:{id}"),
            Self::Playlist(id) => write!(f, "spotify:playlist:{id}"),
            Self::Show(id) => write!(f, "spotify:show:{id}"),
            Self::Audiobook(id) => write!(f, "spotify:audiobook:{id}"),
            Self::Collection(user) => write!(f, "spotify:user:{user}:collection"),
        }
    }
}

serde_as_text!(ContextUri);

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    const RADIOHEAD: &str = "4Z8W4fKeB5YxbusRsdQVPb";

    fn artist(input: &str) -> Result<ArtistId, IdError> {
        input.parse()
    }

    #[test]
    fn accepts_bare_id_uri_and_links() {
        let forms = [
            RADIOHEAD,
            "  4Z8W4fKeB5YxbusRsdQVPb\n",
            "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb",
            "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb",
            "http://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb",
            "open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb",
            "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb/",
            "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb?si=Xy_1-2",
            "https://open.spotify.com/intl-de/artist/4Z8W4fKeB5YxbusRsdQVPb",
            "https://open.spotify.com/intl-pt-br/artist/4Z8W4fKeB5YxbusRsdQVPb?si=a&nd=1",
            "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb#top",
        ];
        for form in forms {
            assert_eq!(
                artist(form).map(|id| id.to_string()),
                Ok(RADIOHEAD.into()),
                "{form}"
            );
        }
    }

    #[test]
    fn refuses_other_kinds_with_their_name() {
        let expected = Err(IdError::WrongKind {
            expected: IdKind::Artist,
            found: Some(IdKind::Track),
        });
        assert_eq!(artist("spotify:track:6rqhFgbbKwnb9MLmUQDhG6"), expected);
        assert_eq!(
            artist("https://open.spotify.com/track/6rqhFgbbKwnb9MLmUQDhG6"),
            expected
        );
        assert_eq!(
            artist("spotify:user:wizzler"),
            Err(IdError::WrongKind {
                expected: IdKind::Artist,
                found: Some(IdKind::User)
            })
        );
    }

    #[test]
    fn refuses_malformed_input() {
        let kind = IdKind::Artist;
        assert_eq!(artist(""), Err(IdError::Empty { expected: kind }));
        assert_eq!(artist("   "), Err(IdError::Empty { expected: kind }));
        assert_eq!(
            artist("4Z8W4fKeB5YxbusRsdQVP"),
            Err(IdError::WrongLength {
                expected: kind,
                len: 21
            })
        );
        assert_eq!(
            artist("4Z8W4fKeB5YxbusRsdQVPbb"),
            Err(IdError::WrongLength {
                expected: kind,
                len: 23
            })
        );
        assert_eq!(
            artist("../../../me/player/play"),
            Err(IdError::InvalidCharacter {
                expected: kind,
                at: 0
            })
        );
        assert_eq!(
            artist("4Z8W4fKeB5YxbusRsdQVP/"),
            Err(IdError::InvalidCharacter {
                expected: kind,
                at: 21
            })
        );
        assert_eq!(
            artist("4Z8W4fKeB5YxbusRsdQVé"),
            Err(IdError::InvalidCharacter {
                expected: kind,
                at: 20
            })
        );
        assert!(artist("spotify:artist").is_err());
        assert!(artist("spotify:artist:").is_err());
        assert!(artist("https://open.spotify.com/artist/").is_err());
        assert!(artist("https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb/albums").is_err());
        assert!(artist("https://example.com/artist/4Z8W4fKeB5YxbusRsdQVPb").is_err());
    }

    #[test]
    fn gives_uri_link_and_debug() {
        let id = artist(RADIOHEAD).unwrap();
        assert_eq!(id.uri(), "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb");
        assert_eq!(
            id.url(),
            "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb"
        );
        assert_eq!(
            alloc::format!("{id:?}"),
            "ArtistId(\"4Z8W4fKeB5YxbusRsdQVPb\")"
        );
        assert_eq!(artist(&id.uri()), Ok(id));
        assert_eq!(artist(&id.url()), Ok(id));
    }

    #[test]
    fn serde_reads_any_form_and_writes_bare_id() {
        let id: ArtistId =
            serde_json::from_str("\"spotify:artist:4Z8W4fKeB5YxbusRsdQVPb\"").unwrap();
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"4Z8W4fKeB5YxbusRsdQVPb\""
        );
        assert!(serde_json::from_str::<ArtistId>("\"nope\"").is_err());
        assert!(serde_json::from_str::<ArtistId>("42").is_err());
    }

    #[test]
    fn error_messages_name_the_kinds() {
        let err = artist("spotify:album:6akEvsycLGftJxYudPjmqK").unwrap_err();
        assert_eq!(
            err.to_string(),
            "wrong kind of ID: expected artist, found album; pass the artist's own ID, URI or link"
        );
    }

    #[test]
    fn user_ids_are_free_text_that_cannot_change_a_path() {
        for (input, id) in [
            ("smedjan", "smedjan"),
            ("spotify:user:smedjan", "smedjan"),
            ("https://open.spotify.com/user/jos%C3%A9?si=1", "jos%C3%A9"),
            ("Ünïcode.user_1", "Ünïcode.user_1"),
        ] {
            assert_eq!(input.parse::<UserId>().unwrap().as_str(), id, "{input}");
        }
        for bad in [
            "",
            "  ",
            "a/b",
            "a?b",
            "a#b",
            "a\u{7}b",
            "spotify:artist:x",
            "spotify:user:",
        ] {
            let bad = bad.replace("\\u{7}", "\u{7}");
            assert!(bad.parse::<UserId>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn playable_uris_are_tracks_or_episodes_with_their_kind() {
        let track: PlayableUri = "spotify:track:6rqhFgbbKwnb9MLmUQDhG6".parse().unwrap();
        assert!(matches!(track, PlayableUri::Track(_)));
        let episode: PlayableUri =
            "https://open.spotify.com/intl-de/episode/512ojhOuo1ktJprKbVcKyQ"
                .parse()
                .unwrap();
        assert_eq!(episode.uri(), "spotify:episode:512ojhOuo1ktJprKbVcKyQ");
        for bad in [
            "",
            "6rqhFgbbKwnb9MLmUQDhG6",
            "spotify:album:6akEvsycLGftJxYudPjmqK",
            "spotify:local:a:b:c:180",
            "spotify:track:short",
        ] {
            assert!(bad.parse::<PlayableUri>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&[track, episode]).unwrap();
        assert_eq!(
            json,
            r#"["spotify:track:6rqhFgbbKwnb9MLmUQDhG6","spotify:episode:512ojhOuo1ktJprKbVcKyQ"]"#
        );
    }

    #[test]
    fn spotify_uris_of_every_kind_keep_their_kind() {
        for text in [
            "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb",
            "spotify:album:6akEvsycLGftJxYudPjmqK",
            "spotify:track:6rqhFgbbKwnb9MLmUQDhG6",
            "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M",
            "spotify:show:38bS44xjbVVZ3No3ByF1dJ",
            "spotify:episode:512ojhOuo1ktJprKbVcKyQ",
            "spotify:audiobook:7iHfbu1YPACw6oZPAFJtqe",
            "spotify:user:smedjan",
        ] {
            let uri: SpotifyUri = text.parse().unwrap();
            assert_eq!(uri.to_string(), text);
            assert_eq!(uri.kind().as_str(), text.split(':').nth(1).unwrap());
        }
        for bad in [
            "",
            "4Z8W4fKeB5YxbusRsdQVPb",
            "spotify:local:a:b:c:1",
            "spotify:track:x",
        ] {
            assert!(bad.parse::<SpotifyUri>().is_err(), "{bad}");
        }
    }
}
