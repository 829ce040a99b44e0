//! Shows, episodes, audiobooks and chapters; browse categories, new releases, markets and
//! profiles (extended quota); and what new apps get from the endpoints closed in 2024.

#![allow(deprecated)]

use spotify_web_conformance::prelude::*;
use spotify_web_core::endpoint::{
    GetArtistsRelatedArtists, GetAudiobook, GetAudiobookChapters, GetAvailableGenreSeeds,
    GetAvailableMarkets, GetCategorysPlaylists, GetChapter, GetEpisode, GetFeaturedPlaylists,
    GetNewReleases, GetRecommendations, GetSeveralAudiobooks, GetSeveralBrowseCategories,
    GetSeveralChapters, GetSeveralEpisodes, GetSeveralShows, GetSeveralTracksAudioFeatures,
    GetShow, GetShowEpisodes, GetSingleBrowseCategory, GetTracksAudioAnalysis,
    GetTracksAudioFeatures, GetUsersProfile,
};
use spotify_web_core::id::{AudiobookId, ShowId};

use super::T;

/// A show with three recorded episodes, and the audiobook with twenty recorded chapters.
const SHOW: &str = "5AvwZVawapvyhJUIx71pdJ";
const AUDIOBOOK: &str = "6SJQ8VzM5PlDy11wMtcD6v";

#[test]
fn shows_episodes_audiobooks_and_chapters() {
    let s = Setup::<T>::new();
    let show: ShowId = id(SHOW);
    let full = s.client.send(GetShow::new(show)).unwrap();
    let first = full.episodes.as_ref().map(|p| p.items.len()).unwrap_or(0);
    assert_eq!(first, 3);
    let episodes = s
        .client
        .items_up_to(GetShowEpisodes::new(show).limit(1), 100)
        .unwrap();
    assert_eq!(episodes.len(), 3, "three pages of one");
    let episode = s.client.send(GetEpisode::new(episodes[0].id)).unwrap();
    assert_eq!(episode.show.map(|s| s.id), Some(show));

    let book: AudiobookId = id(AUDIOBOOK);
    let audiobook = s.client.send(GetAudiobook::new(book)).unwrap();
    assert!(!audiobook.authors.is_empty());
    let chapters = s
        .client
        .items_up_to(GetAudiobookChapters::new(book).limit(7), 100)
        .unwrap();
    assert_eq!(chapters.len(), 20);
    let chapter = s.client.send(GetChapter::new(chapters[3].id)).unwrap();
    assert_eq!(chapter.audiobook.map(|b| b.id), Some(book));
    let missing = spotify(s.client.send(GetShow::new(id("0000000000000000000000"))));
    assert!(missing.is_not_found());

    // The several-gets (extended quota), in input order with None for the unknown.
    let unknown = "0000000000000000000000";
    let several = s
        .client
        .send(GetSeveralEpisodes::new([episodes[0].id, id(unknown)]).unwrap())
        .unwrap();
    assert_eq!(several.len(), 2);
    assert!(several[0].is_some() && several[1].is_none());
    let several = s
        .client
        .send(GetSeveralAudiobooks::new([book, id(unknown)]).unwrap())
        .unwrap();
    assert!(several[0].is_some() && several[1].is_none());
    let several = s
        .client
        .send(GetSeveralChapters::new([chapters[0].id]).unwrap())
        .unwrap();
    assert_eq!(several[0].as_ref().map(|c| c.id), Some(chapters[0].id));
}

#[test]
fn browse_markets_and_profiles_are_for_extended_quota_apps() {
    let s = Setup::<T>::new();
    let categories = s
        .client
        .items_up_to(GetSeveralBrowseCategories::new().limit(2), 100)
        .unwrap();
    assert_eq!(categories.len(), 5, "the recorded categories, page by page");
    let one = s
        .client
        .send(GetSingleBrowseCategory::new(categories[0].id.clone()))
        .unwrap();
    assert_eq!(one, categories[0]);
    let releases = s
        .client
        .items_up_to(GetNewReleases::new().limit(50), 1000)
        .unwrap();
    assert!(!releases.is_empty());
    assert!(s.client.send(GetAvailableMarkets::new()).unwrap().len() > 100);
    let profile = s.client.send(GetUsersProfile::new(id("smedjan"))).unwrap();
    assert_eq!(profile.id, "smedjan");
    assert_eq!(
        s.client
            .send(GetSeveralShows::new([id(SHOW)]).unwrap())
            .unwrap()
            .len(),
        1
    );

    s.emulator.set_development_mode(true);
    for error in [
        spotify(s.client.send(GetNewReleases::new())),
        spotify(s.client.send(GetAvailableMarkets::new())),
        spotify(s.client.send(GetUsersProfile::new(id("smedjan")))),
        spotify(s.client.send(GetSeveralShows::new([id(SHOW)]).unwrap())),
    ] {
        assert_eq!(error.status(), Some(403), "{error}");
    }
    // Shows themselves stay open to development-mode apps.
    assert!(s.client.send(GetShow::new(id(SHOW))).is_ok());
}

#[test]
fn the_endpoints_closed_in_2024_answer_as_they_do_for_new_apps() {
    let s = Setup::<T>::new();
    let related = spotify(s.client.send(GetArtistsRelatedArtists::new(id(RADIOHEAD))));
    assert_eq!(related.status(), Some(404));
    let recommendations = spotify(s.client.send(GetRecommendations::new(
        [id(RADIOHEAD)],
        [],
        Vec::new(),
    )));
    assert_eq!(recommendations.status(), Some(404));
    for error in [
        spotify(s.client.send(GetAvailableGenreSeeds::new())),
        spotify(s.client.send(GetFeaturedPlaylists::new())),
        spotify(s.client.send(GetCategorysPlaylists::new("toplists"))),
    ] {
        assert_eq!(error.status(), Some(404), "{error}");
    }
    let track: TrackId = id("6rqhFgbbKwnb9MLmUQDhG6");
    for error in [
        spotify(s.client.send(GetTracksAudioAnalysis::new(track))),
        spotify(
            s.client
                .send(GetSeveralTracksAudioFeatures::new([track]).unwrap()),
        ),
    ] {
        assert_eq!(error.status(), Some(403), "{error}");
    }
    let features = spotify(
        s.client
            .send(GetTracksAudioFeatures::new(id("6rqhFgbbKwnb9MLmUQDhG6"))),
    );
    assert_eq!(features.status(), Some(403));
    assert!(
        matches!(&features, Error::Api(api) if api.message.is_none()),
        "Spotify's bare {{\"error\":{{\"status\":403}}}}: {features:?}"
    );
}
