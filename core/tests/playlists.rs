//! The playlist answers Spotify recorded (before February 2026, `tracks`/`track`) and the
//! shapes it sends since (`items`/`item`), read through the playlist endpoints.

use spotify_web_core::Error;
use spotify_web_core::endpoint::{
    AddItemsToPlaylist, CheckIfUserFollowsPlaylist, CreatePlaylist, Endpoint,
    GetCurrentUsersPlaylists, GetPlaylist, GetPlaylistCoverImage, GetPlaylistItems,
    RemovePlaylistItems, UpdatePlaylistItems,
};
use spotify_web_core::id::{PlayableUri, PlaylistId};
use spotify_web_core::message::Response;
use spotify_web_core::model::PlayableItem;

fn playlist() -> PlaylistId {
    "59ZbFPES4DQwEjBpWHzrtC".parse().unwrap()
}

fn track(id: &str) -> PlayableUri {
    format!("spotify:track:{id}").parse().unwrap()
}

#[test]
fn a_playlist_in_the_shape_from_before_2026_is_read_whole() {
    let answer = GetPlaylist::new(playlist())
        .parse(&Response::new(200, fixture!("playlist_get_java")))
        .unwrap();
    assert_eq!(answer.name, "Dinner with Friends");
    assert_eq!(
        answer.owner.as_ref().map(|o| o.id.as_str()),
        Some("spotify")
    );
    assert_eq!(answer.public, None);
    assert_eq!(answer.followers.and_then(|f| f.total), Some(143_350));
    assert_eq!(
        answer.snapshot_id,
        "bNLWdmhh+HDsbHzhckXeDC0uyKyg4FjPI/KEsKjAE526usnz2LxwgyBoMShVL+z+"
    );
    assert_eq!(answer.items.total, 105);
    let first = &answer.items.items[0];
    assert_eq!(
        first.added_at.map(|t| t.to_string()).as_deref(),
        Some("2014-09-01T04:21:28Z")
    );
    assert_eq!(
        first.added_by.as_ref().map(|u| u.id.as_str()),
        Some("spotify")
    );
    match &first.item {
        Some(PlayableItem::Track(track)) => {
            assert_eq!(track.name, "I'm Not The Only One - Radio Edit");
        }
        other => panic!("expected a track, got {other:?}"),
    }
}

#[test]
fn the_shape_since_2026_reads_the_same() {
    // The recorded answer, renamed as Spotify renamed it in February 2026.
    let mut new: serde_json::Value = serde_json::from_slice(fixture!("playlist_get_java")).unwrap();
    let object = new.as_object_mut().unwrap();
    let mut items = object.remove("tracks").unwrap();
    for entry in items["items"].as_array_mut().unwrap() {
        let entry = entry.as_object_mut().unwrap();
        let item = entry.remove("track").unwrap();
        entry.insert("item".into(), item);
    }
    object.insert("items".into(), items);
    let body = serde_json::to_vec(&new).unwrap();
    let endpoint = GetPlaylist::new(playlist());
    let from_old = endpoint
        .parse(&Response::new(200, fixture!("playlist_get_java")))
        .unwrap();
    let from_new = endpoint.parse(&Response::new(200, &body)).unwrap();
    assert_eq!(from_old, from_new);
}

#[test]
fn episodes_null_items_and_unknown_kinds_are_all_kept() {
    let page = GetPlaylistItems::new(playlist())
        .parse(&Response::new(200, fixture!("playlist_items_episode_java")))
        .unwrap();
    match &page.items[0].item {
        Some(PlayableItem::Episode(episode)) => {
            assert_eq!(episode.name, "The Giant Beastcast: Episode 0");
        }
        other => panic!("expected an episode, got {other:?}"),
    }
    let body = br#"{"items":[
        {"added_at":null,"added_by":null,"is_local":false,"item":null},
        {"added_at":"2026-03-01T10:00:00Z","is_local":true,"item":{"type":"track","id":null,"name":"demo.mp3","uri":"spotify:local:a:b:demo:180"}},
        {"added_at":"2026-03-01T10:00:00.123Z","item":{"type":"audiobook_chapter","id":"x","name":"Chapter 1"}}
    ],"total":3,"limit":20,"offset":0,"next":null}"#;
    let page = GetPlaylistItems::new(playlist())
        .parse(&Response::new(200, body))
        .unwrap();
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.items[0].item, None);
    assert!(page.items[1].is_local);
    match &page.items[1].item {
        Some(PlayableItem::Other(raw)) => assert_eq!(raw["name"], "demo.mp3"),
        other => panic!("a local file has no catalog ID: {other:?}"),
    }
    match &page.items[2].item {
        Some(PlayableItem::Other(raw)) => assert_eq!(raw["type"], "audiobook_chapter"),
        other => panic!("an unknown kind is kept raw: {other:?}"),
    }
}

#[test]
fn lists_of_playlists_created_playlists_covers_and_snapshots() {
    let page = GetCurrentUsersPlaylists::new()
        .parse(&Response::new(200, fixture!("playlists_current_user_java")))
        .unwrap();
    assert_eq!(page.total, 9);
    assert_eq!(page.items[0].name, "Wizzlers Big Playlist");
    assert_eq!(page.items[0].items.as_ref().map(|i| i.total), Some(30));

    let created = CreatePlaylist::new("A New Playlist")
        .parse(&Response::new(201, fixture!("playlist_created_java")))
        .unwrap();
    assert_eq!(created.id.as_str(), "7d2D2S200NyUE5KYs80PwO");
    assert!(created.items.items.is_empty());

    let images = GetPlaylistCoverImage::new(playlist())
        .parse(&Response::new(200, fixture!("playlist_cover_image_java")))
        .unwrap();
    assert_eq!(images[0].height, Some(640));
    let none = GetPlaylistCoverImage::new(playlist())
        .parse(&Response::new(200, b"null"))
        .unwrap();
    assert!(none.is_empty());

    let add = AddItemsToPlaylist::new(playlist(), [track("4iV5W9uYEdYUVa79Axb7Rh")]).unwrap();
    assert_eq!(
        add.parse(&Response::new(201, fixture!("playlist_snapshot_add_java")))
            .unwrap(),
        "JbtmHBDBAYu3/bt8BOXKjzKx3i0b6LCa/wVjyl6qQ2Yf6nFXkbmzuEa+ZI/U1yF+"
    );
    let remove = RemovePlaylistItems::new(playlist(), [track("4iV5W9uYEdYUVa79Axb7Rh")]).unwrap();
    assert!(
        !remove
            .parse(&Response::new(
                200,
                fixture!("playlist_snapshot_remove_java")
            ))
            .unwrap()
            .is_empty()
    );
    let reorder = UpdatePlaylistItems::reorder(playlist(), 0, 3);
    assert!(
        !reorder
            .parse(&Response::new(
                200,
                fixture!("playlist_snapshot_reorder_java")
            ))
            .unwrap()
            .is_empty()
    );
    let follows = CheckIfUserFollowsPlaylist::new(playlist());
    assert!(follows.parse(&Response::new(200, b"[true]")).unwrap());
    assert!(matches!(
        follows.parse(&Response::new(200, b"[]")),
        Err(Error::Decode(_))
    ));
}

#[test]
fn limits_are_refused_before_sending() {
    let many: Vec<PlayableUri> = (0..101).map(|_| track("4iV5W9uYEdYUVa79Axb7Rh")).collect();
    assert!(matches!(
        AddItemsToPlaylist::new(playlist(), many.clone()),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        AddItemsToPlaylist::new(playlist(), []),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        RemovePlaylistItems::new(playlist(), many.clone()),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(matches!(
        UpdatePlaylistItems::replace(playlist(), many.clone()),
        Err(Error::InvalidArgument { .. })
    ));
    assert!(UpdatePlaylistItems::replace(playlist(), []).is_ok());
    assert_eq!(RemovePlaylistItems::chunked(playlist(), many).len(), 2);
    assert!(
        UpdatePlaylistItems::reorder(playlist(), 0, 1)
            .range_length(0)
            .validate()
            .is_err()
    );
    assert!(
        GetPlaylistItems::new(playlist())
            .limit(51)
            .validate()
            .is_err()
    );
    assert!(CreatePlaylist::new(" ").validate().is_err());
    assert!(
        CreatePlaylist::new("x")
            .collaborative(true)
            .validate()
            .is_err(),
        "collaborative playlists must be private"
    );
}

#[test]
fn chunks_keep_order_and_positions() {
    let uris: Vec<PlayableUri> = (0..250).map(|i| track(&format!("{i:0>22}"))).collect();
    let at_end = AddItemsToPlaylist::chunked(playlist(), uris.clone(), None);
    assert_eq!(at_end.len(), 3);
    assert!(at_end.iter().all(|add| add.position().is_none()));
    let sent: Vec<PlayableUri> = at_end.iter().flat_map(|add| add.uris().to_vec()).collect();
    assert_eq!(sent, uris);
    let inserted = AddItemsToPlaylist::chunked(playlist(), uris, Some(7));
    let positions: Vec<Option<u32>> = inserted.iter().map(AddItemsToPlaylist::position).collect();
    assert_eq!(positions, [Some(7), Some(107), Some(207)]);
    let sizes: Vec<usize> = inserted.iter().map(|add| add.uris().len()).collect();
    assert_eq!(sizes, [100, 100, 50]);
}
