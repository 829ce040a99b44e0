//! The library, follows, top items and listening history, read from recorded answers.

use spotify_web_core::Error;
use spotify_web_core::endpoint::{
    CheckLibraryContains, CheckSavedTracks, Endpoint, GetFollowedArtists, GetRecentlyPlayed,
    GetSavedAlbums, GetSavedAudiobooks, GetSavedEpisodes, GetSavedShows, GetSavedTracks,
    GetUsersTopArtists, GetUsersTopTracks, SaveItemsToLibrary,
};
use spotify_web_core::id::{SpotifyUri, TrackId};

use crate::ok;

#[test]
fn saved_lists_carry_when_each_item_was_saved() {
    let tracks = GetSavedTracks::new()
        .parse(&ok(fixture!("library_saved_tracks_java")))
        .unwrap();
    let first = &tracks.items[0];
    assert_eq!(
        first.added_at.map(|t| t.to_string()).as_deref(),
        Some("2016-10-24T15:03:07Z")
    );
    assert!(!first.item.name.is_empty());
    let albums = GetSavedAlbums::new()
        .parse(&ok(fixture!("library_saved_albums_java")))
        .unwrap();
    assert!(albums.items.iter().all(|saved| saved.added_at.is_some()));
    let shows = GetSavedShows::new()
        .parse(&ok(fixture!("library_saved_shows_java")))
        .unwrap();
    assert!(!shows.items.is_empty());
    let episodes = GetSavedEpisodes::new()
        .parse(&ok(fixture!("library_saved_episodes_java")))
        .unwrap();
    assert!(!episodes.items.is_empty());
    let audiobooks = GetSavedAudiobooks::new()
        .parse(&ok(fixture!("library_saved_audiobooks_jl")))
        .unwrap();
    assert!(!audiobooks.items.is_empty());
}

#[test]
fn contains_answers_one_flag_per_item_in_order() {
    let track: TrackId = "6rqhFgbbKwnb9MLmUQDhG6".parse().unwrap();
    let check = CheckSavedTracks::new([track, track]).unwrap();
    assert_eq!(
        check
            .parse(&ok(fixture!("library_contains_tracks_java")))
            .unwrap(),
        [true, false]
    );
    let one = CheckSavedTracks::new([track]).unwrap();
    assert!(
        matches!(
            one.parse(&ok(fixture!("library_contains_tracks_java"))),
            Err(Error::Decode(_))
        ),
        "two answers for one item is an error, not a guess"
    );
    let uris: Vec<SpotifyUri> = vec![track.into(); 41];
    assert!(CheckLibraryContains::new(uris.clone()).is_err());
    assert_eq!(CheckLibraryContains::chunked(uris.clone()).len(), 2);
    assert_eq!(SaveItemsToLibrary::chunked(uris).len(), 2);
}

#[test]
fn cursor_pages_read_with_and_without_their_cursors() {
    let played = GetRecentlyPlayed::new()
        .parse(&ok(fixture!("paging_cursor_recently_played")))
        .unwrap();
    assert_eq!(played.total, None, "recently played has no total");
    assert_eq!(
        played.items[0].played_at.to_string(),
        "2017-05-27T20:07:54.721Z"
    );
    assert_eq!(
        played.cursors.as_ref().and_then(|c| c.before.as_deref()),
        Some("1495842394544")
    );
    let also = GetRecentlyPlayed::new()
        .parse(&ok(fixture!("player_recently_played_java")))
        .unwrap();
    assert!(!also.items.is_empty());
    let followed = GetFollowedArtists::new()
        .parse(&ok(fixture!("follow_followed_artists_java")))
        .unwrap();
    assert_eq!(
        followed.cursors.as_ref().and_then(|c| c.after.as_deref()),
        Some("0aV6DOiouImYTqrR5YlIqx")
    );
    let none = GetFollowedArtists::new()
        .parse(&ok(fixture!("follow_followed_artists_none_java")))
        .unwrap();
    assert!(none.items.is_empty());
}

#[test]
fn top_items_read() {
    let artists = GetUsersTopArtists::new()
        .parse(&ok(fixture!("top_artists_java")))
        .unwrap();
    assert!(!artists.items.is_empty());
    let tracks = GetUsersTopTracks::new()
        .parse(&ok(fixture!("top_tracks_java")))
        .unwrap();
    assert!(!tracks.items.is_empty());
}
