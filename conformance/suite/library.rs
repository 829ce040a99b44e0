//! The user's library, follows and listening history: saving many items in chunks, checking
//! them in order, walking saved tracks, recently played tracks back and forth, top items, and
//! following round trips.

use std::collections::HashSet;

use spotify_web_conformance::prelude::*;
use spotify_web_core::model::PlayHistory;

use super::{T, U};

/// The emulator's whole listening history (150 plays), newest first, walked back in time.
fn history(client: &U) -> Vec<PlayHistory> {
    client
        .walk_up_to(GetRecentlyPlayed::new().limit(50), 1000)
        .unwrap()
}

#[test]
fn saves_130_items_in_4_requests_and_checks_them_in_order() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let client = T::signed_in(&emulator);
    let plays = history(&client);
    // Distinct tracks and albums from the history, then users to make 130.
    let mut seen = HashSet::new();
    let mut uris: Vec<SpotifyUri> = Vec::new();
    for play in &plays {
        if seen.insert(play.track.id.uri()) {
            uris.push(play.track.id.into());
        }
    }
    let tracks = uris.len();
    for play in &plays {
        if let Some(album) = &play.track.album {
            if seen.insert(album.id.uri()) {
                uris.push(album.id.into());
            }
        }
    }
    let mut n = 0;
    while uris.len() < 130 {
        uris.push(SpotifyUri::User(id(&format!("listener-{n}"))));
        n += 1;
    }
    let before = emulator.requests(Route::Library);
    let saves = SaveItemsToLibrary::chunked(uris.clone());
    assert_eq!(saves.len(), 4);
    for save in saves {
        client.send(save).unwrap();
    }
    assert_eq!(emulator.requests(Route::Library) - before, 4);

    // Saved and unsaved, interleaved: the answers come back in input order.
    let mut asked = Vec::new();
    let mut expected = Vec::new();
    for (i, uri) in uris.iter().enumerate() {
        asked.push(uri.clone());
        expected.push(true);
        if i % 10 == 0 {
            asked.push(SpotifyUri::User(id(&format!("stranger-{i}"))));
            expected.push(false);
        }
    }
    let mut answers = Vec::new();
    for check in CheckLibraryContains::chunked(asked) {
        answers.extend(client.send(check).unwrap());
    }
    assert_eq!(answers, expected);

    // The saved tracks, newest first: the last saved comes first.
    let saved = client
        .items_up_to(GetSavedTracks::new().limit(50), 1000)
        .unwrap();
    let saved: Vec<String> = saved.iter().map(|s| s.item.id.uri()).collect();
    let mut newest_first: Vec<String> = uris[..tracks].iter().map(ToString::to_string).collect();
    newest_first.reverse();
    assert_eq!(saved, newest_first);
    assert!(
        client
            .items_up_to(GetSavedAlbums::new(), 1000)
            .unwrap()
            .iter()
            .all(|s| s.added_at.is_some())
    );

    // Removing takes them out; an artist cannot be saved, and is refused before sending.
    client
        .send(RemoveItemsFromLibrary::new(uris[..3].to_vec()).unwrap())
        .unwrap();
    let now = client
        .send(CheckLibraryContains::new(uris[..4].to_vec()).unwrap())
        .unwrap();
    assert_eq!(now, [false, false, false, true]);
    let artist: SpotifyUri = "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap();
    assert!(matches!(
        SaveItemsToLibrary::new([artist]),
        Err(Error::InvalidArgument { .. })
    ));
}

#[test]
fn recently_played_walks_back_with_before_and_forward_with_after() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let client = T::signed_in(&emulator);
    let back = history(&client);
    assert_eq!(back.len(), 150);
    assert!(
        back.windows(2).all(|w| w[0].played_at > w[1].played_at),
        "newest first, no repeats"
    );
    // Following `next` links walks back the same way.
    let linked = client
        .cursor_items_up_to(GetRecentlyPlayed::new().limit(50), 1000)
        .unwrap();
    assert_eq!(linked, back);

    // Forward from just before the oldest play: every play, in pages of the oldest first.
    let oldest = back.last().map(|p| p.played_at).unwrap();
    let start = Timestamp::from_unix_millis(oldest.unix_millis() - 1);
    let forward = client
        .walk_up_to(GetRecentlyPlayed::new().limit(50).after(start), 1000)
        .unwrap();
    assert_eq!(forward.len(), 150);
    let mut sorted: Vec<Timestamp> = forward.iter().map(|p| p.played_at).collect();
    sorted.sort();
    let mut expected: Vec<Timestamp> = back.iter().map(|p| p.played_at).collect();
    expected.sort();
    assert_eq!(sorted, expected);

    // Back from a time: only what was played before it.
    let middle = back[60].played_at;
    let older = client
        .walk_up_to(GetRecentlyPlayed::new().limit(20).before(middle), 1000)
        .unwrap();
    assert_eq!(older, back[61..]);

    // Everything since a time: the 30 newest plays, whatever `after` would give.
    let since = client
        .walk_up_to(GetRecentlyPlayed::since(back[30].played_at).limit(7), 1000)
        .unwrap();
    assert_eq!(since, back[..30]);
}

#[test]
fn top_items_and_following_round_trips() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let client = T::signed_in(&emulator);
    let top = client
        .send(
            GetUsersTopTracks::new()
                .time_range(TimeRange::ShortTerm)
                .limit(5),
        )
        .unwrap();
    assert_eq!(top.items.len(), 5);
    let artists = client
        .items_up_to(GetUsersTopArtists::new().limit(2), 4)
        .unwrap();
    assert_eq!(artists.len(), 4);
    let ids: Vec<ArtistId> = artists.iter().map(|a| a.id).collect();

    // Follow, find them page by page (cursor `after`), check, unfollow.
    client
        .send(FollowArtistsOrUsers::artists(ids[..3].to_vec()).unwrap())
        .unwrap();
    let followed = client
        .cursor_items_up_to(GetFollowedArtists::new().limit(2), 100)
        .unwrap();
    let followed: Vec<ArtistId> = followed.iter().map(|a| a.id).collect();
    assert_eq!(followed, ids[..3]);
    let check = client
        .send(CheckIfUserFollows::artists(ids.clone()).unwrap())
        .unwrap();
    assert_eq!(check, [true, true, true, false]);
    client
        .send(UnfollowArtistsOrUsers::artists([ids[1]]).unwrap())
        .unwrap();
    let check = client
        .send(CheckIfUserFollows::artists(ids[..3].to_vec()).unwrap())
        .unwrap();
    assert_eq!(check, [true, false, true]);

    let friend: UserId = id("emulator-friend");
    client
        .send(FollowArtistsOrUsers::users([friend.clone()]).unwrap())
        .unwrap();
    assert_eq!(
        client
            .send(CheckIfUserFollows::users([friend.clone()]).unwrap())
            .unwrap(),
        [true]
    );
    client
        .send(UnfollowArtistsOrUsers::users([friend.clone()]).unwrap())
        .unwrap();
    assert_eq!(
        client
            .send(CheckIfUserFollows::users([friend.clone()]).unwrap())
            .unwrap(),
        [false]
    );

    // The type-specific library endpoints extended-quota apps keep (`PUT /me/tracks` takes
    // its IDs in a JSON body).
    let track = top.items[0].id;
    client.send(SaveTracks::new([track]).unwrap()).unwrap();
    assert_eq!(
        client
            .send(CheckSavedTracks::new([track]).unwrap())
            .unwrap(),
        [true]
    );
    client
        .send(RemoveSavedTracks::new([track]).unwrap())
        .unwrap();
    assert_eq!(
        client
            .send(CheckSavedTracks::new([track]).unwrap())
            .unwrap(),
        [false]
    );

    // Development-mode apps lost these endpoints: Spotify's 403.
    emulator.set_development_mode(true);
    let error = spotify(client.send(SaveTracks::new([track]).unwrap()));
    assert_eq!(error.status(), Some(403));
    let error = spotify(client.send(FollowArtistsOrUsers::users([friend]).unwrap()));
    assert_eq!(error.status(), Some(403));
}

/// Shows, episodes and audiobooks are saved like any item, and come back in their lists
/// (audiobooks without `added_at`, as Spotify sends them); the type-specific album endpoints
/// work for extended-quota apps.
#[test]
fn spoken_word_and_albums_are_saved_and_listed() {
    use spotify_web_core::endpoint::{
        CheckSavedAlbums, GetSavedAudiobooks, GetSavedEpisodes, GetSavedShows, SaveAlbums,
    };
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let client = T::signed_in(&emulator);
    let uris: Vec<SpotifyUri> = vec![
        id("spotify:show:7iZEp9f2Gg8JvKNqK3t905"),
        id("spotify:episode:4GI3dxEafwap1sFiTGPKd1"),
        id("spotify:audiobook:6SJQ8VzM5PlDy11wMtcD6v"),
    ];
    client.send(SaveItemsToLibrary::new(uris).unwrap()).unwrap();
    let shows = client.items_up_to(GetSavedShows::new(), 10).unwrap();
    assert_eq!(shows.len(), 1);
    assert!(shows[0].added_at.is_some());
    assert_eq!(
        client
            .items_up_to(GetSavedEpisodes::new(), 10)
            .unwrap()
            .len(),
        1
    );
    let books = client.items_up_to(GetSavedAudiobooks::new(), 10).unwrap();
    assert_eq!(books.len(), 1);
    let album: AlbumId = id("0sNOF9WDwhWunNAHPD3Baj");
    client.send(SaveAlbums::new([album]).unwrap()).unwrap();
    assert_eq!(
        client
            .send(CheckSavedAlbums::new([album]).unwrap())
            .unwrap(),
        [true]
    );
}
