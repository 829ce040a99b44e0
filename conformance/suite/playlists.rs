//! Playlists: made, filled in chunks, read back page by page, reordered, refused a stale
//! change, given a cover; an add whose answer is lost is never sent twice.

use spotify_web_conformance::prelude::*;

use super::{T, U};

/// A signed-in user's client, and the catalog's track URIs the other user's playlist holds.
fn signed_in(emulator: &Emulator) -> (U, Vec<PlayableUri>) {
    let client = T::signed_in(emulator);
    let tracks = emulator
        .playlist_items(OTHER_PLAYLIST)
        .unwrap_or_default()
        .iter()
        .map(|uri| id(uri))
        .collect();
    (client, tracks)
}

/// 250 items, each different from its neighbours: the catalog's tracks, cycled.
fn many(tracks: &[PlayableUri]) -> Vec<PlayableUri> {
    tracks.iter().cycle().take(250).copied().collect()
}

fn uris(items: &[PlayableUri]) -> Vec<String> {
    items.iter().map(PlayableUri::uri).collect()
}

#[test]
fn a_playlist_is_made_filled_read_back_reordered_and_given_a_cover() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let (client, tracks) = signed_in(&emulator);
    assert_eq!(tracks.len(), 5);
    let made = client
        .send(CreatePlaylist::new("Copy of a friend's mix").public(false))
        .unwrap();
    assert_eq!(made.name, "Copy of a friend's mix");
    assert_eq!(made.public, Some(false));
    let first_snapshot = made.snapshot_id.clone();

    // 250 items: three requests of 100, 100 and 50, in order.
    let items = many(&tracks);
    let before = emulator.requests(Route::PlaylistItems);
    let mut snapshot = String::new();
    for add in AddItemsToPlaylist::chunked(made.id, items.clone(), None) {
        snapshot = client.send(add).unwrap();
    }
    assert_eq!(emulator.requests(Route::PlaylistItems) - before, 3);
    assert_eq!(
        emulator.playlist_items(made.id.as_str()).unwrap(),
        uris(&items)
    );

    // Read back page by page (5 pages of 50), in the same order.
    let read = client
        .items_up_to(GetPlaylistItems::new(made.id).limit(50), 1000)
        .unwrap();
    let read: Vec<String> = read
        .iter()
        .map(|entry| match &entry.item {
            Some(spotify_web_core::model::PlayableItem::Track(track)) => track.id.uri(),
            other => panic!("expected a track, got {other:?}"),
        })
        .collect();
    assert_eq!(read, uris(&items));

    // Move the first two items to before the sixth.
    let moved = client
        .send(
            UpdatePlaylistItems::reorder(made.id, 0, 5)
                .range_length(2)
                .snapshot_id(snapshot.clone()),
        )
        .unwrap();
    assert_ne!(moved, snapshot);
    let mut expected = uris(&items);
    let front: Vec<String> = expected.drain(0..2).collect();
    expected.splice(3..3, front);
    assert_eq!(emulator.playlist_items(made.id.as_str()).unwrap(), expected);

    // A removal against an older version is refused with Spotify's error, and changes nothing.
    let stale = RemovePlaylistItems::new(made.id, [items[0]])
        .unwrap()
        .snapshot_id(first_snapshot);
    let error = spotify(client.send(stale));
    assert_eq!(error.status(), Some(400));
    assert!(error.to_string().contains("version"), "{error}");
    assert_eq!(
        emulator.playlist_items(made.id.as_str()).unwrap().len(),
        250
    );
    // With the current version it removes every occurrence.
    client
        .send(
            RemovePlaylistItems::new(made.id, [items[0]])
                .unwrap()
                .snapshot_id(moved),
        )
        .unwrap();
    assert_eq!(
        emulator.playlist_items(made.id.as_str()).unwrap().len(),
        200
    );

    // Rename, then find it among the user's playlists.
    client
        .send(ChangePlaylistDetails::new(made.id).name("Renamed"))
        .unwrap();
    let mine = client
        .items_up_to(GetCurrentUsersPlaylists::new(), 100)
        .unwrap();
    assert!(mine.iter().any(|p| p.id == made.id && p.name == "Renamed"));

    // A cover: a small JPEG goes up; one over 256 KB is refused before anything is sent.
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
    jpeg.extend(std::iter::repeat_n(0x42, 2000));
    client
        .send(AddCustomPlaylistCoverImage::new(made.id, &jpeg).unwrap())
        .unwrap();
    assert_eq!(
        client
            .send(GetPlaylistCoverImage::new(made.id))
            .unwrap()
            .len(),
        1
    );
    let mut huge = jpeg.clone();
    huge.resize(200 * 1024, 0x42);
    assert!(matches!(
        AddCustomPlaylistCoverImage::new(made.id, &huge),
        Err(Error::InvalidArgument { .. })
    ));
}

#[test]
fn an_add_whose_answer_is_lost_reaches_spotify_exactly_once() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let (client, tracks) = signed_in(&emulator);
    let made = client.send(CreatePlaylist::new("Once")).unwrap();
    let before = emulator.requests(Route::PlaylistItems);
    emulator.inject(Target::Api, Fault::DropAfterProcessing, 1);
    let result = client.send(AddItemsToPlaylist::new(made.id, tracks.clone()).unwrap());
    assert!(result.is_err(), "the answer was lost: {result:?}");
    assert_eq!(
        emulator.requests(Route::PlaylistItems) - before,
        1,
        "a POST that may have been processed is not sent again"
    );
    assert_eq!(
        emulator.playlist_items(made.id.as_str()).unwrap(),
        uris(&tracks)
    );
    // A replace is idempotent: its lost answer is retried, and the result is the same.
    emulator.inject(Target::Api, Fault::DropAfterProcessing, 1);
    let before = emulator.requests(Route::PlaylistItems);
    client
        .send(UpdatePlaylistItems::replace(made.id, tracks[..2].to_vec()).unwrap())
        .unwrap();
    assert_eq!(emulator.requests(Route::PlaylistItems) - before, 2);
    assert_eq!(
        emulator.playlist_items(made.id.as_str()).unwrap(),
        uris(&tracks[..2])
    );
}

#[test]
fn development_mode_apps_cannot_read_another_users_items() {
    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let (client, _) = signed_in(&emulator);
    let other: PlaylistId = id(OTHER_PLAYLIST);
    // Extended quota: the old shapes (`tracks`, `track`), and every endpoint.
    let playlist = client.send(GetPlaylist::new(other)).unwrap();
    assert_eq!(playlist.items.total, 5);
    assert!(
        playlist
            .items
            .items
            .iter()
            .all(|entry| entry.item.is_some())
    );
    let theirs = client
        .send(GetUsersPlaylists::new(id("emulator-friend")))
        .unwrap();
    assert_eq!(theirs.total, 1);
    // Follow, check, unfollow (extended quota), and read only the fields asked for.
    use spotify_web_core::endpoint::{
        CheckIfUserFollowsPlaylist, FollowPlaylist, UnfollowPlaylist,
    };
    client.send(FollowPlaylist::new(other)).unwrap();
    assert!(client.send(CheckIfUserFollowsPlaylist::new(other)).unwrap());
    client.send(UnfollowPlaylist::new(other)).unwrap();
    assert!(!client.send(CheckIfUserFollowsPlaylist::new(other)).unwrap());
    let name = client
        .send(GetPlaylist::new(other).fields::<serde_json::Value>("name"))
        .unwrap();
    assert_eq!(name["name"], "A friend's mix");
    // Development mode: the new shapes, no items of others, no extended-quota endpoints.
    emulator.set_development_mode(true);
    let error = spotify(client.send(GetPlaylistItems::new(other)));
    assert_eq!(error.status(), Some(403));
    let playlist = client.send(GetPlaylist::new(other)).unwrap();
    assert!(playlist.items.items.is_empty());
    let error = spotify(client.send(GetUsersPlaylists::new(id("emulator-friend"))));
    assert_eq!(error.status(), Some(403));
    let mine = client.send(CreatePlaylist::new("New shape")).unwrap();
    client
        .send(
            AddItemsToPlaylist::new(
                mine.id,
                [id::<PlayableUri>(
                    &emulator.playlist_items(OTHER_PLAYLIST).unwrap()[0],
                )],
            )
            .unwrap(),
        )
        .unwrap();
    let read = client.send(GetPlaylist::new(mine.id)).unwrap();
    assert_eq!(read.items.items.len(), 1, "read from `items`/`item`");
}

/// Conditional requests: the user's playlists come with an `ETag`; sent back with
/// `If-None-Match`, an unchanged list is a 304 read as `NotModified` (no body, no decode), and a
/// change brings the new list and a new tag. The catalog has no tags: every answer is new.
#[test]
fn an_unchanged_playlist_list_is_not_sent_again() {
    use spotify_web_core::endpoint::{Conditional, EndpointExt, GetCurrentUsersPlaylists};

    let emulator = Emulator::start().unwrap_or_else(|e| panic!("emulator: {e}"));
    let (client, _) = signed_in(&emulator);
    let first = client
        .send(GetCurrentUsersPlaylists::new().if_none_match(None))
        .unwrap();
    let Conditional::Modified { value, etag } = first else {
        panic!("a first answer is new")
    };
    let etag = etag.expect("the emulator tags the user's playlists, as Spotify does");
    let again = client
        .send(GetCurrentUsersPlaylists::new().if_none_match(Some(&etag)))
        .unwrap();
    assert_eq!(again, Conditional::NotModified);
    client.send(CreatePlaylist::new("Tagged")).unwrap();
    let changed = client
        .send(GetCurrentUsersPlaylists::new().if_none_match(Some(&etag)))
        .unwrap();
    let Conditional::Modified {
        value: now,
        etag: new_tag,
    } = changed
    else {
        panic!("the list changed")
    };
    assert_eq!(now.total, value.total + 1);
    assert!(new_tag.is_some_and(|tag| tag != etag));
    // No tag on an artist: `Modified` each time, with `etag: None`.
    let artist = client
        .send(GetArtist::new(id(RADIOHEAD)).if_none_match(Some(&etag)))
        .unwrap();
    assert!(matches!(artist, Conditional::Modified { etag: None, .. }));
    // A tag that cannot be a header is refused before anything is sent.
    let sent = emulator.requests(Route::UserPlaylists);
    let error = client
        .send(GetCurrentUsersPlaylists::new().if_none_match(Some("\"a\r\nx: y\"")))
        .unwrap_err();
    assert!(error.to_string().contains("ETag"), "{error}");
    assert_eq!(emulator.requests(Route::UserPlaylists), sent);
}
