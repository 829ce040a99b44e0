use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize, Serializer};

use super::{
    ExternalIds, ExternalUrls, Image, Markets, Page, SimplifiedArtist, Track, null_as_default,
};
use crate::id::AlbumId;

/// An album. Full (from Get Album: with `tracks`, `label`, `copyrights`…) or simplified (inside
/// a track, a search result or an artist's albums: those fields absent).
///
/// Since 2026, development-mode apps get no `label`, `popularity`, `external_ids` or
/// `available_markets`: those are optional or empty here.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Album {
    /// The album's ID.
    pub id: AlbumId,
    /// The album's name.
    pub name: String,
    /// `album`, `single`, `compilation`, or what else Spotify says.
    #[serde(default)]
    pub album_type: Option<AlbumType>,
    /// How the album relates to the artist it was listed for (artist albums only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub album_group: Option<AlbumType>,
    /// The album's artists.
    #[serde(default, deserialize_with = "null_as_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// When it came out, as precise as Spotify knows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<ReleaseDate>,
    /// How many tracks it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tracks: Option<u32>,
    /// Cover art, widest first.
    #[serde(default, deserialize_with = "null_as_default")]
    pub images: Vec<Image>,
    /// The tracks (Get Album only), as the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracks: Option<Page<Track>>,
    /// The label, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Popularity from 0 to 100, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<u32>,
    /// Copyright statements.
    #[serde(default, deserialize_with = "null_as_default")]
    pub copyrights: Vec<Copyright>,
    /// UPC, EAN and the like, if Spotify said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ids: Option<ExternalIds>,
    /// Markets where the album is available (often left out).
    #[serde(default)]
    pub available_markets: Markets,
    /// Links outside the API.
    #[serde(default, deserialize_with = "null_as_default")]
    pub external_urls: ExternalUrls,
    /// The API URL of the full album.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// A copyright statement of an album.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Copyright {
    /// The statement.
    #[serde(default)]
    pub text: String,
    /// `C` for the copyright, `P` for the sound recording (performance) copyright.
    #[serde(default, rename = "type")]
    pub kind: String,
}

/// What kind of release an album is. Open: Spotify has sent `"ep"` and upper-case values, and
/// anything it adds later is kept as [`AlbumType::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AlbumType {
    /// `album`
    Album,
    /// `single`
    Single,
    /// `compilation`
    Compilation,
    /// `appears_on` (an artist's albums, as `album_group`)
    AppearsOn,
    /// `ep`
    Ep,
    /// Anything else, as Spotify wrote it.
    Other(String),
}

impl AlbumType {
    /// The value in Spotify's lower-case spelling (or as given, for [`AlbumType::Other`]).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Album => "album",
            Self::Single => "single",
            Self::Compilation => "compilation",
            Self::AppearsOn => "appears_on",
            Self::Ep => "ep",
            Self::Other(other) => other,
        }
    }

    fn from_text(text: &str) -> Self {
        let known = [
            Self::Album,
            Self::Single,
            Self::Compilation,
            Self::AppearsOn,
            Self::Ep,
        ];
        known
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(text))
            .unwrap_or_else(|| Self::Other(text.into()))
    }
}

impl fmt::Display for AlbumType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AlbumType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <alloc::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Self::from_text(&text))
    }
}

impl Serialize for AlbumType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A release date as precise as Spotify knows it: `"1981"`, `"1981-12"` or `"1981-12-15"`.
///
/// The text is kept as given; [`year`](Self::year), [`month`](Self::month) and
/// [`day`](Self::day) read it leniently. The 2014 object form `{"year":1983,"month":null}`
/// is read too.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReleaseDate(String);

impl ReleaseDate {
    /// The date as Spotify wrote it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn part(&self, index: usize) -> Option<u16> {
        self.0.split('-').nth(index)?.parse().ok()
    }

    /// The year, if the date has one (`"0000"` is read as no year).
    pub fn year(&self) -> Option<u16> {
        self.part(0).filter(|&year| year > 0)
    }

    /// The month (1–12), if the date is that precise.
    pub fn month(&self) -> Option<u8> {
        self.part(1)
            .and_then(|m| u8::try_from(m).ok())
            .filter(|m| (1..=12).contains(m))
    }

    /// The day of the month (1–31), if the date is that precise.
    pub fn day(&self) -> Option<u8> {
        self.part(2)
            .and_then(|d| u8::try_from(d).ok())
            .filter(|d| (1..=31).contains(d))
    }
}

impl fmt::Display for ReleaseDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ReleaseDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Text(String),
            Parts {
                year: Option<u16>,
                #[serde(default)]
                month: Option<u8>,
                #[serde(default)]
                day: Option<u8>,
            },
        }
        Ok(Self(match Form::deserialize(deserializer)? {
            Form::Text(text) => text,
            Form::Parts { year, month, day } => {
                let mut text = alloc::format!("{:04}", year.unwrap_or(0));
                if let Some(month) = month {
                    text.push_str(&alloc::format!("-{month:02}"));
                    if let Some(day) = day {
                        text.push_str(&alloc::format!("-{day:02}"));
                    }
                }
                text
            }
        }))
    }
}

impl Serialize for ReleaseDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn album_type_is_open_and_case_insensitive() {
        let read = |s: &str| serde_json::from_str::<AlbumType>(s).unwrap();
        assert_eq!(read("\"album\""), AlbumType::Album);
        assert_eq!(read("\"ALBUM\""), AlbumType::Album);
        assert_eq!(read("\"ep\""), AlbumType::Ep);
        assert_eq!(read("\"mixtape\""), AlbumType::Other("mixtape".into()));
        assert_eq!(
            serde_json::to_string(&AlbumType::Other("X".into())).unwrap(),
            "\"X\""
        );
        assert_eq!(
            serde_json::to_string(&read("\"SINGLE\"")).unwrap(),
            "\"single\""
        );
    }

    #[test]
    fn release_dates_of_every_precision() {
        let read = |s: &str| serde_json::from_str::<ReleaseDate>(s).unwrap();
        let day = read("\"1981-12-15\"");
        assert_eq!(
            (day.year(), day.month(), day.day()),
            (Some(1981), Some(12), Some(15))
        );
        let month = read("\"1981-12\"");
        assert_eq!(
            (month.year(), month.month(), month.day()),
            (Some(1981), Some(12), None)
        );
        let year = read("\"1981\"");
        assert_eq!((year.year(), year.month()), (Some(1981), None));
        assert_eq!(read("\"0000\"").year(), None);
        assert_eq!(read("\"soon\"").year(), None);
        let legacy = read(r#"{"year":1983,"month":null,"day":null}"#);
        assert_eq!((legacy.as_str(), legacy.year()), ("1983", Some(1983)));
        assert_eq!(
            read(r#"{"year":1983,"month":4,"day":9}"#).as_str(),
            "1983-04-09"
        );
    }
}
