//! Albums, tracks, several-at-once, paging and search, on recorded answers.

use spotify_web_core::endpoint::{
    Endpoint, GetAlbum, GetAlbumTracks, GetArtistAlbums, GetArtistTopTracks, GetSeveralAlbums,
    GetSeveralArtists, GetSeveralTracks, GetTrack, NextPage, Search, SearchType,
};
use spotify_web_core::message::Response;

use crate::ok;
use spotify_web_core::model::{Album, AlbumType, LinkedTrack, Page, Track};

#[test]
fn parses_full_albums_of_every_era() {
    let album = GetAlbum::new("3IqzqH6ShrRtie9Yd2ODyG".parse().unwrap())
        .parse(&ok(fixture!("album_2026")))
        .unwrap();
    assert_eq!(album.name, "SINGLARITY");
    assert_eq!(album.album_type, Some(AlbumType::Album));
    let date = album.release_date.as_ref().unwrap();
    assert_eq!(
        (date.year(), date.month(), date.day()),
        (Some(2020), Some(12), Some(18))
    );
    assert_eq!(album.label.as_deref(), Some("Smihilism Records"));
    assert_eq!(album.popularity, Some(20));
    assert_eq!(album.available_markets.len(), 185);
    assert!(album.available_markets.contains("SE") && !album.available_markets.contains("XX"));
    assert_eq!(album.copyrights.len(), 2);
    assert_eq!(
        album.external_ids.as_ref().and_then(|e| e.upc.as_deref()),
        Some("195916707034")
    );
    let tracks = album.tracks.as_ref().unwrap();
    assert_eq!((tracks.total, tracks.items.len()), (11, 11));
    assert!(
        tracks
            .items
            .iter()
            .all(|t| t.album.is_none() && t.duration_ms > 0)
    );
    for body in [
        &fixture!("album_2024")[..],
        fixture!("album_shes_so_unusual"),
    ] {
        let album: Album = serde_json::from_slice(body).unwrap();
        assert!(album.tracks.unwrap().total > 0);
    }
    // The 2014 shape: release date as an object, no precision.
    let legacy: Album = serde_json::from_slice(fixture!("album_shes_so_unusual_legacy")).unwrap();
    assert_eq!(legacy.release_date.unwrap().year(), Some(1983));
    assert_eq!(legacy.name, "She's So Unusual");
}

#[test]
fn parses_tracks_with_and_without_relinking() {
    let track = GetTrack::new("3n3Ppam7vgaVa1iaRUc9Lp".parse().unwrap())
        .parse(&ok(fixture!("track_mr_brightside")))
        .unwrap();
    assert_eq!(track.name, "Mr. Brightside");
    assert_eq!(track.duration_ms, 222_200);
    assert_eq!(track.popularity, Some(73));
    assert_eq!(
        track.external_ids.and_then(|e| e.isrc).as_deref(),
        Some("GBFFP0300052")
    );
    assert_eq!(
        track.album.map(|a| a.name).as_deref(),
        Some("Hot Fuss (Deluxe Version)")
    );
    assert_eq!((track.track_number, track.disc_number), (2, 1));
    for body in [
        &fixture!("track_timber")[..],
        fixture!("track_cut_to_the_feeling_rspotify"),
    ] {
        let track: Track = serde_json::from_slice(body).unwrap();
        assert!(!track.artists.is_empty());
    }
    let linked: LinkedTrack =
        serde_json::from_slice(fixture!("linked_track_null_id_rspotify")).unwrap();
    assert_eq!(linked.id, None);
    assert_eq!(
        linked.uri.as_deref(),
        Some("spotify:track:0tSkMuKKrLXEfxc58cEhFX")
    );
}

#[test]
fn several_at_once_keeps_order_and_unknown_ids_as_none() {
    let artists = GetSeveralArtists::new(["0oSGxfWSnnOXhD2fKuz2Gy".parse().unwrap()])
        .unwrap()
        .parse(&ok(fixture!("artists_several")))
        .unwrap();
    assert_eq!(artists.len(), 2);
    assert!(artists.iter().all(Option::is_some));
    let tracks = GetSeveralTracks::new(["3n3Ppam7vgaVa1iaRUc9Lp".parse().unwrap()])
        .unwrap()
        .parse(&ok(fixture!("tracks_several_with_null")))
        .unwrap();
    assert_eq!(tracks.len(), 2);
    assert!(tracks[0].is_some() && tracks[1].is_none());
    let several = GetSeveralTracks::new(["3n3Ppam7vgaVa1iaRUc9Lp".parse().unwrap()]).unwrap();
    assert_eq!(
        several
            .parse(&ok(fixture!("tracks_several")))
            .unwrap()
            .len(),
        2
    );
    let albums = GetSeveralAlbums::new(["382ObEPsp2rxGrnsizN5TX".parse().unwrap()]).unwrap();
    let found = albums.parse(&ok(fixture!("albums_several_2024"))).unwrap();
    assert_eq!(
        found
            .iter()
            .map(|a| a.as_ref().map(|a| a.name.as_str()))
            .collect::<Vec<_>>(),
        [
            Some("TRON: Legacy Reconfigured"),
            Some("Human After All"),
            Some("Discovery")
        ]
    );
    assert!(
        albums
            .parse(&ok(fixture!("albums_several_empty")))
            .unwrap()
            .is_empty()
    );
    let related: Vec<Option<spotify_web_core::model::Artist>> =
        GetSeveralArtists::new(["0oSGxfWSnnOXhD2fKuz2Gy".parse().unwrap()])
            .unwrap()
            .parse(&ok(fixture!("artist_related_artists")))
            .unwrap();
    assert_eq!(related.len(), 20);
}

#[test]
fn chunks_ids_to_the_server_maximum_in_order() {
    let ids: Vec<_> = (0..120u32)
        .map(|i| format!("{i:0>22}").parse().unwrap())
        .collect();
    let chunks = GetSeveralTracks::chunked(ids.clone());
    assert_eq!(
        chunks.iter().map(|c| c.ids().len()).collect::<Vec<_>>(),
        [50, 50, 20]
    );
    let rejoined: Vec<_> = chunks
        .iter()
        .flat_map(|c| c.ids().iter().copied())
        .collect();
    assert_eq!(rejoined, ids);
    let album_ids: Vec<spotify_web_core::id::AlbumId> =
        ids.iter().map(|id| id.as_str().parse().unwrap()).collect();
    assert_eq!(GetSeveralAlbums::chunked(album_ids).len(), 6);
    assert!(GetSeveralArtists::chunked(Vec::new()).is_empty());
    assert!(GetSeveralArtists::new(Vec::new()).is_err());
    let too_many: Vec<_> = (0..51u32)
        .map(|i| format!("{i:0>22}").parse().unwrap())
        .collect();
    assert!(GetSeveralArtists::new(too_many).is_err());
}

#[test]
fn parses_artist_album_pages_of_every_era() {
    let endpoint = GetArtistAlbums::new("0TnOYISbd1XYRBk9myaseg".parse().unwrap());
    let page = endpoint
        .parse(&ok(fixture!("paging_artist_albums_2026")))
        .unwrap();
    assert_eq!((page.total, page.limit, page.items.len()), (918, 48, 48));
    assert_eq!(page.items[0].album_group, Some(AlbumType::Album));
    // Spotify's own link is followed as given, parameters and all.
    assert_eq!(
        page.next_page().unwrap().url(),
        "https://api.spotify.com/v1/artists/0TnOYISbd1XYRBk9myaseg/albums?offset=48&limit=48&include_groups=album,single,compilation,appears_on"
    );
    let page = endpoint
        .parse(&ok(fixture!("paging_artist_albums")))
        .unwrap();
    assert_eq!((page.total, page.items.len()), (31, 20));
    assert!(page.next.unwrap().contains("limit=11"));
    let page = endpoint
        .parse(&ok(fixture!("paging_artist_albums_limit2")))
        .unwrap();
    assert!(
        page.items
            .iter()
            .all(|a| a.album_group == Some(AlbumType::Single))
    );
}

#[test]
fn parses_album_track_pages_and_top_tracks() {
    let endpoint = GetAlbumTracks::new("0sNOF9WDwhWunNAHPD3Baj".parse().unwrap());
    let page = endpoint
        .parse(&ok(fixture!("paging_album_tracks")))
        .unwrap();
    assert_eq!((page.total, page.items.len(), page.next), (13, 13, None));
    let page = endpoint
        .parse(&ok(fixture!("paging_album_tracks_limit1")))
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(page.previous.is_none() && page.next.is_some());
    let top = GetArtistTopTracks::new("0TnOYISbd1XYRBk9myaseg".parse().unwrap())
        .market("US")
        .parse(&ok(fixture!("artist_top_tracks_2025")))
        .unwrap();
    assert_eq!(top.len(), 10);
    assert_eq!(top[0].name, "Give Me Everything (feat. Nayer)");
}

#[test]
fn parses_search_results_of_every_kind_with_null_playlists_left_out() {
    let search = Search::new("old", [SearchType::Track]).unwrap();
    let results = search
        .parse(&ok(fixture!("search_all_types_2025")))
        .unwrap();
    let counts = |p: Option<usize>| p.unwrap();
    assert_eq!(counts(results.tracks.as_ref().map(|p| p.items.len())), 20);
    assert_eq!(counts(results.artists.as_ref().map(|p| p.items.len())), 20);
    assert_eq!(counts(results.albums.as_ref().map(|p| p.items.len())), 20);
    let playlists = results.playlists.as_ref().unwrap();
    assert_eq!((playlists.items.len(), playlists.total), (17, 115));
    assert_eq!(counts(results.shows.as_ref().map(|p| p.items.len())), 20);
    assert_eq!(counts(results.episodes.as_ref().map(|p| p.items.len())), 20);
    let audiobooks = results.audiobooks.as_ref().unwrap();
    assert_eq!(audiobooks.items[0].name, "I'm Glad My Mom Died");
    assert_eq!(audiobooks.items[0].authors, ["Jennette McCurdy"]);
    for body in [
        &fixture!("search_albums")[..],
        fixture!("search_artists"),
        fixture!("search_tracks"),
        fixture!("search_artist_and_track"),
        fixture!("search_track_and_playlist"),
    ] {
        let results = search.parse(&ok(body)).unwrap();
        let kinds = [
            results.albums.is_some(),
            results.artists.is_some(),
            results.tracks.is_some(),
            results.playlists.is_some(),
        ];
        assert!(kinds.iter().any(|k| *k));
    }
    let results = search
        .parse(&ok(fixture!("search_artist_and_track")))
        .unwrap();
    assert_eq!(
        results.tracks.unwrap().items[0].name,
        "Supermassive Black Hole"
    );
}

#[test]
fn next_page_takes_search_wrapping_off() {
    let page: NextPage<Track> =
        NextPage::new("https://api.spotify.com/v1/search?query=a&type=track&offset=20");
    let wrapped = br#"{"tracks":{"href":"h","items":[],"limit":20,"next":null,"offset":20,"previous":"p","total":20}}"#;
    let plain =
        br#"{"href":"h","items":[],"limit":20,"next":null,"offset":20,"previous":"p","total":20}"#;
    assert_eq!(
        page.parse(&ok(wrapped)).unwrap(),
        page.parse(&ok(plain)).unwrap()
    );
    let page: NextPage<Album> = NextPage::new("u");
    let parsed: Page<Album> = page.parse(&ok(fixture!("paging_artist_albums"))).unwrap();
    assert_eq!(parsed.items.len(), 20);
    assert!(
        page.parse(&ok(br#"{"a":{"items":[]},"b":{"items":[]}}"#))
            .is_err()
    );
    assert!(
        page.parse(&Response::new(
            404,
            br#"{"error":{"status":404,"message":"x"}}"#
        ))
        .is_err()
    );
}

#[test]
fn every_recorded_model_survives_a_serde_round_trip() {
    let album: Album = serde_json::from_slice(fixture!("album_2026")).unwrap();
    assert_eq!(
        serde_json::from_str::<Album>(&serde_json::to_string(&album).unwrap()).unwrap(),
        album
    );
    let track: Track = serde_json::from_slice(fixture!("track_timber")).unwrap();
    assert_eq!(
        serde_json::from_str::<Track>(&serde_json::to_string(&track).unwrap()).unwrap(),
        track
    );
    let results = Search::new("x", [SearchType::Album])
        .unwrap()
        .parse(&ok(fixture!("search_all_types_2025")))
        .unwrap();
    let again: spotify_web_core::model::SearchResults =
        serde_json::from_str(&serde_json::to_string(&results).unwrap()).unwrap();
    assert_eq!(again, results);
}
