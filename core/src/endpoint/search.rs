//! The "Search" section of the Web API reference.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::RangeInclusive;

use super::{Endpoint, get};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::message::{Request, Response};
use crate::model::SearchResults;
use crate::response::decode;
use crate::url::BaseUrl;

/// The kinds of items a search can return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SearchType {
    /// Albums.
    Album,
    /// Artists.
    Artist,
    /// Playlists.
    Playlist,
    /// Tracks.
    Track,
    /// Podcast shows.
    Show,
    /// Podcast episodes.
    Episode,
    /// Audiobooks (some markets only).
    Audiobook,
}

impl SearchType {
    /// Spotify's name for the kind, as `type=` takes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Album => "album",
            Self::Artist => "artist",
            Self::Playlist => "playlist",
            Self::Track => "track",
            Self::Show => "show",
            Self::Episode => "episode",
            Self::Audiobook => "audiobook",
        }
    }
}

impl fmt::Display for SearchType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl SearchType {
    /// Every kind, in Spotify's order.
    pub const ALL: [Self; 7] = [
        Self::Album,
        Self::Artist,
        Self::Playlist,
        Self::Track,
        Self::Show,
        Self::Episode,
        Self::Audiobook,
    ];
}

/// Reads a kind by its name in the API (`artist`, `track`, …), as [`Display`](fmt::Display)
/// writes it.
///
/// ```
/// use spotify_web_core::endpoint::SearchType;
///
/// let kind: SearchType = "track".parse()?;
/// assert_eq!(kind, SearchType::Track);
/// assert_eq!(kind.to_string(), "track");
/// assert!("tracks".parse::<SearchType>().is_err());
/// # Ok::<(), spotify_web_core::Error>(())
/// ```
impl core::str::FromStr for SearchType {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
            .ok_or(Error::InvalidArgument {
                what: "not a kind of search result: album, artist, playlist, track, show, \
                       episode or audiobook",
            })
    }
}

/// The `q` of a search, built from free text and Spotify's field filters.
///
/// Values with spaces are quoted; quotes inside values are dropped so that no value can
/// change the structure of the query.
///
/// ```
/// use spotify_web_core::endpoint::SearchQuery;
///
/// let q = SearchQuery::new("remaster").track("Doxy").artist("Miles Davis").years(1955..=1960);
/// assert_eq!(q.to_string(), r#"remaster track:Doxy artist:"Miles Davis" year:1955-1960"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SearchQuery {
    text: String,
}

impl SearchQuery {
    /// A query with this free text (may be empty if filters follow).
    pub fn new(text: &str) -> Self {
        Self {
            text: text.trim().into(),
        }
    }

    fn filter(mut self, field: &str, value: &str) -> Self {
        let value: String = value.chars().filter(|c| *c != '"').collect();
        let value = value.trim();
        if value.is_empty() {
            return self;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(field);
        self.text.push(':');
        if value.contains(char::is_whitespace) {
            self.text.push('"');
            self.text.push_str(value);
            self.text.push('"');
        } else {
            self.text.push_str(value);
        }
        self
    }

    /// Only items by this artist (albums, artists, tracks).
    #[must_use]
    pub fn artist(self, name: &str) -> Self {
        self.filter("artist", name)
    }

    /// Only items from this album (albums, tracks).
    #[must_use]
    pub fn album(self, name: &str) -> Self {
        self.filter("album", name)
    }

    /// Only tracks with this name.
    #[must_use]
    pub fn track(self, name: &str) -> Self {
        self.filter("track", name)
    }

    /// Only items from this year.
    #[must_use]
    pub fn year(self, year: u16) -> Self {
        self.filter("year", &alloc::format!("{year}"))
    }

    /// Only items from these years.
    #[must_use]
    pub fn years(self, years: RangeInclusive<u16>) -> Self {
        self.filter("year", &alloc::format!("{}-{}", years.start(), years.end()))
    }

    /// Only artists and tracks of this genre.
    #[must_use]
    pub fn genre(self, genre: &str) -> Self {
        self.filter("genre", genre)
    }

    /// Only the track with this ISRC.
    #[must_use]
    pub fn isrc(self, isrc: &str) -> Self {
        self.filter("isrc", isrc)
    }

    /// Only the album with this UPC.
    #[must_use]
    pub fn upc(self, upc: &str) -> Self {
        self.filter("upc", upc)
    }

    /// Only albums released in the past two weeks.
    #[must_use]
    pub fn tag_new(self) -> Self {
        self.filter("tag", "new")
    }

    /// Only albums in the lowest 10 % of popularity.
    #[must_use]
    pub fn tag_hipster(self) -> Self {
        self.filter("tag", "hipster")
    }

    /// The query as Spotify reads it.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for SearchQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<&str> for SearchQuery {
    /// A raw query, used as written (field filters included).
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

/// Search for Item: `GET /search`, one page per kind asked for.
///
/// Since 2026, development-mode apps may ask for at most 10 per page (default 5); more is
/// refused with `400 Invalid limit`. `offset` goes up to 1000.
///
/// ```
/// use spotify_web_core::endpoint::{Endpoint, Search, SearchQuery, SearchType};
/// use spotify_web_core::url::BaseUrl;
///
/// let search = Search::new(SearchQuery::new("").artist("radiohead"), [SearchType::Artist, SearchType::Track])?
///     .market("GB")
///     .limit(5);
/// assert_eq!(
///     search.request(&BaseUrl::spotify_api()).url(),
///     "https://api.spotify.com/v1/search?q=artist%3Aradiohead&type=artist%2Ctrack&market=GB&limit=5"
/// );
/// # Ok::<(), spotify_web_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Search {
    query: SearchQuery,
    types: Vec<SearchType>,
    market: Option<String>,
    limit: Option<u32>,
    offset: Option<u32>,
    include_external_audio: bool,
}

impl Search {
    /// A search for `query` among these kinds of items.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] if the query is empty or no kind is given.
    pub fn new(
        query: impl Into<SearchQuery>,
        types: impl IntoIterator<Item = SearchType>,
    ) -> Result<Self, Error> {
        let query = query.into();
        let mut types: Vec<SearchType> = types.into_iter().collect();
        types.sort_unstable();
        types.dedup();
        if query.as_str().is_empty() {
            return Err(Error::InvalidArgument {
                what: "the search query is empty",
            });
        }
        if types.is_empty() {
            return Err(Error::InvalidArgument {
                what: "no kind of item to search for",
            });
        }
        Ok(Self {
            query,
            types,
            market: None,
            limit: None,
            offset: None,
            include_external_audio: false,
        })
    }

    /// Only content available in this market (ISO 3166-1 alpha-2, or `from_token`).
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }

    /// How many per page: 1 to 50 (development-mode apps: at most 10 for search and
    /// artist albums, which Spotify enforces). 0 or more than 50 is refused before sending.
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Where the pages start: 0 to 1000; more is refused before sending.
    #[must_use]
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Also find audio hosted outside Spotify (`include_external=audio`).
    #[must_use]
    pub fn include_external_audio(mut self) -> Self {
        self.include_external_audio = true;
        self
    }
}

impl Endpoint for Search {
    type Output = SearchResults;

    fn validate(&self) -> Result<(), Error> {
        super::check_limit(self.limit)?;
        if self.offset.is_some_and(|offset| offset > 1000) {
            return Err(Error::InvalidArgument {
                what: "a search's offset must be at most 1000",
            });
        }
        Ok(())
    }

    fn request(&self, api: &BaseUrl) -> Request {
        let types: Vec<&str> = self.types.iter().map(|t| t.as_str()).collect();
        let query = FormBuilder::default()
            .pair("q", self.query.as_str())
            .pair("type", &types.join(","))
            .optional("market", self.market.as_deref())
            .number("limit", self.limit)
            .number("offset", self.offset)
            .optional(
                "include_external",
                self.include_external_audio.then_some("audio"),
            );
        get(api, format_args!("/search"), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<SearchResults, Error> {
        decode(response, "search results")
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn query_filters_cannot_break_out_of_their_value() {
        let q = SearchQuery::new("")
            .artist("a\" genre:x")
            .album("  ")
            .tag_new();
        assert_eq!(q.as_str(), r#"artist:"a genre:x" tag:new"#);
        let request = Search::new(q, [SearchType::Album])
            .unwrap()
            .request(&BaseUrl::spotify_api());
        assert_eq!(
            request.url(),
            "https://api.spotify.com/v1/search?q=artist%3A%22a+genre%3Ax%22+tag%3Anew&type=album"
        );
    }

    #[test]
    fn refuses_empty_queries_and_type_lists() {
        assert!(matches!(
            Search::new("", [SearchType::Artist]),
            Err(Error::InvalidArgument { .. })
        ));
        assert!(matches!(
            Search::new("muse", []),
            Err(Error::InvalidArgument { .. })
        ));
        let search = Search::new(
            "muse",
            [SearchType::Track, SearchType::Artist, SearchType::Track],
        )
        .unwrap();
        assert!(
            search
                .request(&BaseUrl::spotify_api())
                .url()
                .contains("type=artist%2Ctrack")
        );
    }

    #[test]
    fn include_external_and_offset() {
        let url = Search::new("x", [SearchType::Episode])
            .unwrap()
            .offset(1000)
            .include_external_audio()
            .request(&BaseUrl::spotify_api())
            .url()
            .to_string();
        assert!(
            url.ends_with("type=episode&offset=1000&include_external=audio"),
            "{url}"
        );
    }
}
