//! The "Tracks" section of the Web API reference.

// The deprecated endpoints' own definitions use themselves; their users are still warned.
#![allow(deprecated)]

use alloc::string::String;

use super::{Endpoint, get, get_several};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::id::TrackId;
use crate::message::{Request, Response};
use crate::model::Track;
use crate::response::decode;
use crate::url::BaseUrl;

/// Get Track: `GET /tracks/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetTrack {
    id: TrackId,
    market: Option<String>,
}

impl GetTrack {
    /// The track with this ID.
    pub fn new(id: TrackId) -> Self {
        Self { id, market: None }
    }

    /// As available in this market (ISO 3166-1 alpha-2, or `from_token`): relinked if needed.
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }
}

impl Endpoint for GetTrack {
    type Output = Track;

    fn request(&self, api: &BaseUrl) -> Request {
        let query = FormBuilder::default().optional("market", self.market.as_deref());
        get(api, format_args!("/tracks/{}", self.id), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Track, Error> {
        decode(response, "track")
    }
}

get_several!(
    /// Get Several Tracks: `GET /tracks?ids=…`, up to 50 tracks in one request.
    ///
    /// Spotify removed this endpoint for development-mode apps in 2026 (they get 403); it still
    /// serves extended-quota apps. Use [`GetTrack`] for one track.
    GetSeveralTracks, TrackId, Track, "/tracks", tracks, 50, market
);

/// A track's audio features (tempo, key, energy, …), from Get Track's Audio Features.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[non_exhaustive]
#[allow(
    missing_docs,
    reason = "each field is the feature of the same name in the reference"
)]
pub struct AudioFeatures {
    pub id: TrackId,
    #[serde(default)]
    pub acousticness: f32,
    #[serde(default)]
    pub danceability: f32,
    #[serde(default)]
    pub duration_ms: u64,
    #[serde(default)]
    pub energy: f32,
    #[serde(default)]
    pub instrumentalness: f32,
    #[serde(default)]
    pub key: i32,
    #[serde(default)]
    pub liveness: f32,
    #[serde(default)]
    pub loudness: f32,
    #[serde(default)]
    pub mode: i32,
    #[serde(default)]
    pub speechiness: f32,
    #[serde(default)]
    pub tempo: f32,
    #[serde(default)]
    pub time_signature: i32,
    #[serde(default)]
    pub valence: f32,
}

/// Get Track's Audio Features: `GET /audio-features/{id}`.
///
/// **Deprecated**: closed to new apps on 2024-11-27 (they get 403); apps with older access
/// still get it. Idempotent.
#[deprecated(note = "closed to new apps on 2024-11-27 (they get 403)")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GetTracksAudioFeatures {
    id: TrackId,
}

#[allow(deprecated)]
impl GetTracksAudioFeatures {
    /// The features of this track.
    pub fn new(id: TrackId) -> Self {
        Self { id }
    }
}

#[allow(deprecated)]
impl Endpoint for GetTracksAudioFeatures {
    type Output = AudioFeatures;

    fn request(&self, api: &BaseUrl) -> Request {
        get(
            api,
            format_args!("/audio-features/{}", self.id),
            FormBuilder::default(),
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<AudioFeatures, Error> {
        decode(response, "audio features")
    }
}

get_several!(
    /// Get Several Tracks' Audio Features: `GET /audio-features?ids=…`, up to 100.
    ///
    /// **Deprecated**: closed to new apps on 2024-11-27 (they get 403). Idempotent.
    #[deprecated(note = "closed to new apps on 2024-11-27 (they get 403)")]
    GetSeveralTracksAudioFeatures, TrackId, AudioFeatures, "/audio-features", audio_features, 100
);

/// Get Track's Audio Analysis: `GET /audio-analysis/{id}`, read as JSON (its sections,
/// segments and tatums are many and rarely read whole).
///
/// **Deprecated**: closed to new apps on 2024-11-27 (they get 403). Idempotent.
#[deprecated(note = "closed to new apps on 2024-11-27 (they get 403)")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GetTracksAudioAnalysis {
    id: TrackId,
}

#[allow(deprecated)]
impl GetTracksAudioAnalysis {
    /// The analysis of this track.
    pub fn new(id: TrackId) -> Self {
        Self { id }
    }
}

#[allow(deprecated)]
impl Endpoint for GetTracksAudioAnalysis {
    type Output = serde_json::Value;

    fn request(&self, api: &BaseUrl) -> Request {
        get(
            api,
            format_args!("/audio-analysis/{}", self.id),
            FormBuilder::default(),
        )
    }

    fn parse(&self, response: &Response<'_>) -> Result<serde_json::Value, Error> {
        decode(response, "audio analysis")
    }
}

/// What recommendations were seeded with, and how many candidates each had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct RecommendationSeed {
    /// The seed's ID (an artist or track ID, or a genre).
    #[serde(default)]
    pub id: String,
    /// `ARTIST`, `TRACK` or `GENRE`, as Spotify writes it.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// How many tracks were available after filtering, if Spotify said.
    #[serde(default, rename = "afterFilteringSize")]
    pub after_filtering_size: Option<u32>,
}

/// The answer of Get Recommendations.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct Recommendations {
    /// The seeds.
    #[serde(default)]
    pub seeds: alloc::vec::Vec<RecommendationSeed>,
    /// The recommended tracks.
    #[serde(default)]
    pub tracks: alloc::vec::Vec<Track>,
}

/// Get Recommendations: `GET /recommendations`, tracks like up to 5 seeds (artists, tracks,
/// genres), tuned by `min_…`, `max_…` and `target_…` audio features.
///
/// **Deprecated**: closed to new apps on 2024-11-27 (they get 404). Idempotent.
#[deprecated(note = "closed to new apps on 2024-11-27 (they get 404)")]
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetRecommendations {
    artists: alloc::vec::Vec<crate::id::ArtistId>,
    tracks: alloc::vec::Vec<TrackId>,
    genres: alloc::vec::Vec<String>,
    tunables: alloc::vec::Vec<(String, f32)>,
    limit: Option<u32>,
    market: Option<String>,
}

#[allow(deprecated)]
impl GetRecommendations {
    /// Recommendations from these seeds (1 to 5 in all).
    pub fn new(
        artists: impl IntoIterator<Item = crate::id::ArtistId>,
        tracks: impl IntoIterator<Item = TrackId>,
        genres: impl IntoIterator<Item = String>,
    ) -> Self {
        Self {
            artists: artists.into_iter().collect(),
            tracks: tracks.into_iter().collect(),
            genres: genres.into_iter().collect(),
            ..Self::default()
        }
    }

    /// A tunable attribute, such as `("target_energy", 0.8)` or `("max_tempo", 120.0)`.
    #[must_use]
    pub fn tune(mut self, attribute: impl Into<String>, value: f32) -> Self {
        self.tunables.push((attribute.into(), value));
        self
    }

    /// How many tracks, 1 to 100 (default 20).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only tracks playable in this market.
    #[must_use]
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }
}

#[allow(deprecated)]
impl Endpoint for GetRecommendations {
    type Output = Recommendations;

    fn request(&self, api: &BaseUrl) -> Request {
        let join = |words: alloc::vec::Vec<String>| (!words.is_empty()).then(|| words.join(","));
        let artists = join(
            self.artists
                .iter()
                .map(|id| alloc::format!("{id}"))
                .collect(),
        );
        let tracks = join(
            self.tracks
                .iter()
                .map(|id| alloc::format!("{id}"))
                .collect(),
        );
        let genres = join(self.genres.clone());
        let mut query = FormBuilder::default()
            .optional("seed_artists", artists.as_deref())
            .optional("seed_genres", genres.as_deref())
            .optional("seed_tracks", tracks.as_deref())
            .number("limit", self.limit)
            .optional("market", self.market.as_deref());
        for (attribute, value) in &self.tunables {
            query = query.pair(attribute, &alloc::format!("{value}"));
        }
        get(api, format_args!("/recommendations"), query)
    }

    fn parse(&self, response: &Response<'_>) -> Result<Recommendations, Error> {
        decode(response, "recommendations")
    }

    fn validate(&self) -> Result<(), Error> {
        let seeds = self.artists.len() + self.tracks.len() + self.genres.len();
        if !(1..=5).contains(&seeds) {
            return Err(Error::InvalidArgument {
                what: "recommendations take 1 to 5 seeds in all",
            });
        }
        if !matches!(self.limit, None | Some(1..=100)) {
            return Err(Error::InvalidArgument {
                what: "recommendations take a limit of 1 to 100",
            });
        }
        let tunable = |name: &str| {
            ["min_", "max_", "target_"].iter().any(|prefix| {
                name.strip_prefix(prefix)
                    .is_some_and(|rest| !rest.is_empty())
            })
        };
        if !self.tunables.iter().all(|(name, _)| tunable(name)) {
            return Err(Error::InvalidArgument {
                what: "a tunable attribute starts with min_, max_ or target_",
            });
        }
        Ok(())
    }
}
