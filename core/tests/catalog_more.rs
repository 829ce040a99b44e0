//! Shows, episodes, audiobooks, chapters, browse categories, new releases, user profiles and
//! the deprecated endpoints, read from recorded answers.

#![allow(deprecated)]

use spotify_web_core::endpoint::{
    Endpoint, GetArtistsRelatedArtists, GetAudiobook, GetAudiobookChapters, GetChapter, GetEpisode,
    GetNewReleases, GetRecommendations, GetSeveralBrowseCategories, GetSeveralEpisodes, GetShow,
    GetShowEpisodes, GetSingleBrowseCategory, GetUsersProfile,
};
use spotify_web_core::id::{ChapterId, EpisodeId};

use crate::ok;

#[test]
fn shows_and_episodes() {
    let show = GetShow::new("7iZEp9f2Gg8JvKNqK3t905".parse().unwrap())
        .parse(&ok(fixture!("show_java")))
        .unwrap();
    assert_eq!(show.publisher.as_deref(), Some("DER SPIEGEL"));
    assert_eq!(show.media_type.as_deref(), Some("audio"));
    assert_eq!(show.is_externally_hosted, Some(false));
    assert!(!show.languages.is_empty());
    assert!(
        show.episodes
            .as_ref()
            .is_some_and(|page| !page.items.is_empty())
    );
    let episodes = GetShowEpisodes::new(show.id)
        .parse(&ok(fixture!("show_episodes_java")))
        .unwrap();
    assert!(!episodes.items.is_empty());
    let episode = GetEpisode::new("4GI3dxEafwap1sFiTGPKd1".parse().unwrap())
        .parse(&ok(fixture!("episode_java")))
        .unwrap();
    assert!(episode.resume_point.is_some());
    assert_eq!(episode.is_playable, Some(true));
    assert!(episode.show.is_some());
    let id: EpisodeId = "4GI3dxEafwap1sFiTGPKd1".parse().unwrap();
    let several = GetSeveralEpisodes::new([id, id])
        .unwrap()
        .parse(&ok(fixture!("episodes_several_java")))
        .unwrap();
    assert!(!several.is_empty());
}

#[test]
fn audiobooks_and_chapters() {
    let book = GetAudiobook::new("7iHfbu1YPACw6oZPAFJtqe".parse().unwrap())
        .parse(&ok(fixture!("audiobook_jl")))
        .unwrap();
    assert!(!book.authors.is_empty());
    assert!(!book.narrators.is_empty());
    let chapters = GetAudiobookChapters::new(book.id)
        .parse(&ok(fixture!("audiobook_chapters_jl")))
        .unwrap();
    assert!(!chapters.items.is_empty());
    let chapter = GetChapter::new("0bnJ1qcNgHwwPWbDJAia57".parse().unwrap())
        .parse(&ok(fixture!("chapter_jl")))
        .unwrap();
    assert_eq!(chapter.name, "Opening Credits");
    assert_eq!(chapter.is_playable, Some(true));
    assert!(chapter.audiobook.is_some());
    assert_eq!(
        chapter.id.uri(),
        "spotify:episode:0bnJ1qcNgHwwPWbDJAia57",
        "a chapter's URI says episode"
    );
    let from_uri: ChapterId = "spotify:episode:0bnJ1qcNgHwwPWbDJAia57".parse().unwrap();
    assert_eq!(from_uri, chapter.id);
    // A release date of "0000", as real answers have, is kept and has no year.
    let zero = br#"{"id":"0bnJ1qcNgHwwPWbDJAia57","name":"c","release_date":"0000","release_date_precision":"year"}"#;
    let chapter = GetChapter::new(from_uri).parse(&ok(zero)).unwrap();
    assert_eq!(chapter.release_date.as_ref().and_then(|d| d.year()), None);
}

#[test]
fn browse_users_and_what_new_apps_lost() {
    let categories = GetSeveralBrowseCategories::new()
        .parse(&ok(fixture!("browse_categories_java")))
        .unwrap();
    assert_eq!(categories.items[0].id, "toplists");
    let one = GetSingleBrowseCategory::new("toplists")
        .parse(&ok(fixture!("browse_category_java")))
        .unwrap();
    assert!(!one.name.is_empty());
    let releases = GetNewReleases::new()
        .parse(&ok(fixture!("browse_new_releases_java")))
        .unwrap();
    assert!(!releases.items.is_empty());
    let user = GetUsersProfile::new("wizzler".parse().unwrap())
        .parse(&ok(fixture!("user_profile_java")))
        .unwrap();
    assert!(!user.id.is_empty());
    let related = GetArtistsRelatedArtists::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap())
        .parse(&ok(fixture!("artist_related_artists")))
        .unwrap();
    assert!(!related.is_empty());
    let seeds = GetRecommendations::new([], [], ["a".into(), "b".into(), "c".into()]);
    assert!(seeds.validate().is_ok());
    let too_many =
        GetRecommendations::new([], [], (0..6).map(|i| format!("g{i}")).collect::<Vec<_>>());
    assert!(too_many.validate().is_err());
    assert!(
        GetRecommendations::new([], [], ["rock".into()])
            .tune("energy", 0.5)
            .validate()
            .is_err(),
        "a tunable names min_, max_ or target_"
    );
}
