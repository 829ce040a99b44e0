//! The catalog: artists, albums, tracks, search, paging, IDs in every form.

use spotify_web_conformance::prelude::*;

use super::T;

/// The tutorial, end to end: one token request, then the artist.
#[test]
fn tutorial_flow() {
    let s = Setup::<T>::new();
    let artist = s.artist(RADIOHEAD).unwrap();
    assert_eq!(artist.name, "Radiohead");
    assert_eq!(artist.followers.and_then(|f| f.total), Some(7_625_607));
    assert_eq!(artist.genres.len(), 6);
    assert_eq!(s.emulator.requests(Route::Token), 1);
    assert_eq!(s.emulator.requests(Route::Artist), 1);
}

/// IDs, URIs and share links all reach the same artist.
#[test]
fn accepts_ids_uris_and_links() {
    let s = Setup::<T>::new();
    for id in [
        RADIOHEAD,
        "spotify:artist:4Z8W4fKeB5YxbusRsdQVPb",
        "https://open.spotify.com/intl-de/artist/4Z8W4fKeB5YxbusRsdQVPb?si=x1",
    ] {
        assert_eq!(s.artist(id).unwrap().name, "Radiohead");
    }
}

/// An unknown artist is Spotify's 404; a malformed ID never leaves the client.
#[test]
fn reports_not_found_and_refuses_invalid_ids() {
    let s = Setup::<T>::new();
    let error = spotify(s.artist("0000000000000000000000"));
    assert!(
        matches!(&error, Error::Api(ApiError { status: 404, message: Some(m), .. }) if m == "Resource not found"),
        "{error:?}"
    );
    assert!("../../me".parse::<ArtistId>().is_err());
    assert!(
        "spotify:track:4Z8W4fKeB5YxbusRsdQVPb"
            .parse::<ArtistId>()
            .is_err()
    );
    assert_eq!(s.emulator.requests(Route::Artist), 1);
}

/// The 2026 development-mode shape parses, with the dropped fields absent.
#[test]
fn parses_the_slim_development_mode_artist() {
    let s = Setup::<T>::with(
        Emulator::builder()
            .development_mode(true)
            .start()
            .unwrap_or_else(|e| panic!("emulator: {e}")),
    );
    let artist = s.artist(RADIOHEAD).unwrap();
    assert_eq!(artist.name, "Radiohead");
    assert_eq!(artist.followers, None);
    assert_eq!(artist.popularity, None);
}

/// Search finds artists and tracks by field filters, and pages of results can be walked.
#[test]
fn searches_and_walks_result_pages() {
    let s = Setup::<T>::new();
    let query = SearchQuery::new("").artist("radiohead");
    let results = s
        .client
        .send(Search::new(query, [SearchType::Artist]).unwrap_or_else(|e| panic!("{e}")))
        .unwrap();
    let artists = results.artists.unwrap_or_else(|| panic!("no artists page"));
    assert_eq!(artists.items[0].name, "Radiohead");
    assert!(results.tracks.is_none());
    let search = Search::new("muse", [SearchType::Artist, SearchType::Track])
        .unwrap_or_else(|e| panic!("{e}"))
        .limit(3);
    let results = s.client.send(search).unwrap();
    let artists = results.artists.unwrap_or_else(|| panic!("no artists page"));
    assert_eq!(artists.items.len(), 3);
    assert!(artists.total > 3);
    // The next link is followed as given and the search wrapping taken off.
    let next = artists
        .next_page()
        .unwrap_or_else(|| panic!("no next page"));
    let second = s.client.send(next).unwrap();
    assert_eq!(second.offset, 3);
    assert_ne!(second.items[0].id, artists.items[0].id);
    let all = s
        .client
        .items_up_to(
            NextPage::<spotify_web_core::model::Track>::new(format!(
                "{}/search?q=muse&type=track&limit=2",
                s.emulator.api_url()
            )),
            100,
        )
        .unwrap();
    let total = results.tracks.map(|t| t.total).unwrap_or_default();
    assert_eq!(all.len(), total as usize);
}

/// A limit the server refuses comes back as its 400, with a hint.
#[test]
fn reports_a_refused_limit() {
    let s = Setup::<T>::with(
        Emulator::builder()
            .limit_cap(10)
            .start()
            .unwrap_or_else(|e| panic!("emulator: {e}")),
    );
    let search = Search::new("muse", [SearchType::Artist])
        .unwrap_or_else(|e| panic!("{e}"))
        .limit(11);
    let error = spotify(s.client.send(search));
    assert!(
        matches!(&error, Error::Api(ApiError { status: 400, message: Some(m), .. }) if m == "Invalid limit"),
        "{error:?}"
    );
    assert!(error.to_string().contains("at most 10"), "{error}");
}

/// Albums, their tracks, tracks and top tracks.
#[test]
fn gets_albums_tracks_and_top_tracks() {
    let s = Setup::<T>::new();
    let album = s
        .client
        .send(GetAlbum::new(id::<AlbumId>("2noRn2Aes5aoNVsU6iWThc")))
        .unwrap();
    assert_eq!(album.name, "Discovery");
    assert_eq!(
        album.release_date.as_ref().and_then(|d| d.year()),
        Some(2001)
    );
    assert_eq!(album.tracks.as_ref().map(|t| t.total), Some(14));
    let page = s
        .client
        .send(GetAlbumTracks::new(album.id).limit(5).offset(10))
        .unwrap();
    assert_eq!(
        (page.items.len(), page.total, page.next.is_none()),
        (4, 14, true)
    );
    let every = s
        .client
        .items_up_to(GetAlbumTracks::new(album.id).limit(4), 100)
        .unwrap();
    assert_eq!(every.len(), 14);
    assert_eq!(
        every.iter().map(|t| t.track_number).collect::<Vec<_>>(),
        (1..=14).collect::<Vec<_>>()
    );
    let track = s
        .client
        .send(GetTrack::new(id::<TrackId>("3n3Ppam7vgaVa1iaRUc9Lp")))
        .unwrap();
    assert_eq!(track.name, "Mr. Brightside");
    let top = s
        .client
        .send(GetArtistTopTracks::new(id::<ArtistId>("0TnOYISbd1XYRBk9myaseg")).market("US"))
        .unwrap();
    assert!(!top.is_empty() && top.len() <= 10);
    assert_eq!(s.emulator.requests(Route::Token), 1);
}

/// An artist's albums, by group, page after page, with an item cap that stops fetching.
#[test]
fn walks_artist_albums() {
    let s = Setup::<T>::new();
    let pitbull = id::<ArtistId>("0TnOYISbd1XYRBk9myaseg");
    let first = s
        .client
        .send(GetArtistAlbums::new(pitbull).limit(2))
        .unwrap();
    let all = s
        .client
        .items_up_to(GetArtistAlbums::new(pitbull).limit(2), 1000)
        .unwrap();
    assert_eq!(all.len(), first.total as usize);
    let before = s.emulator.requests(Route::ArtistAlbums);
    let three = s
        .client
        .items_up_to(GetArtistAlbums::new(pitbull).limit(2), 3)
        .unwrap();
    assert_eq!(three.len(), 3);
    assert_eq!(
        s.emulator.requests(Route::ArtistAlbums) - before,
        2,
        "fetched more pages than the cap needs"
    );
    let singles = s
        .client
        .items_up_to(
            GetArtistAlbums::new(pitbull).include_groups([IncludeGroup::Single]),
            1000,
        )
        .unwrap();
    assert!(
        singles
            .iter()
            .all(|a| a.album_group == Some(AlbumType::Single)),
        "{singles:?}"
    );
}

/// Many IDs go in chunks of the server's maximum, and come back in order.
#[test]
fn gets_several_in_chunks_in_order() {
    let s = Setup::<T>::new();
    let known = [
        "4Z8W4fKeB5YxbusRsdQVPb",
        "0OdUWJ0sBjDrqHygGUXeCF",
        "0TnOYISbd1XYRBk9myaseg",
    ];
    let ids: Vec<ArtistId> = (0..120)
        .map(|i| {
            if i % 40 == 0 {
                id(known[i / 40])
            } else {
                id(&format!("{i:0>22}"))
            }
        })
        .collect();
    let mut artists = Vec::new();
    for chunk in GetSeveralArtists::chunked(ids) {
        artists.extend(s.client.send(chunk).unwrap());
    }
    assert_eq!(artists.len(), 120);
    assert_eq!(s.emulator.requests(Route::SeveralArtists), 3);
    let names: Vec<(usize, String)> = artists
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.as_ref().map(|a| (i, a.name.clone())))
        .collect();
    assert_eq!(
        names,
        [
            (0, "Radiohead".to_owned()),
            (40, "Band of Horses".to_owned()),
            (80, "Pitbull".to_owned())
        ]
    );
    let albums = s
        .client
        .send(
            GetSeveralAlbums::new([id("2noRn2Aes5aoNVsU6iWThc"), id("0000000000000000000000")])
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .unwrap();
    assert_eq!(
        albums[0].as_ref().map(|a| a.name.as_str()),
        Some("Discovery")
    );
    assert!(albums[1].is_none());
    let tracks = s
        .client
        .send(
            GetSeveralTracks::new([id("3n3Ppam7vgaVa1iaRUc9Lp")]).unwrap_or_else(|e| panic!("{e}")),
        )
        .unwrap();
    assert_eq!(
        tracks[0].as_ref().map(|t| t.name.as_str()),
        Some("Mr. Brightside")
    );
}

/// A page link to another host is refused before anything is sent.
#[test]
fn refuses_to_follow_a_link_to_another_host() {
    let s = Setup::<T>::new();
    s.artist(RADIOHEAD).unwrap();
    let link: NextPage<spotify_web_core::model::Album> =
        NextPage::new("http://127.0.0.2:9/v1/artists/x/albums?offset=2");
    let error = spotify(s.client.send(link));
    assert!(matches!(error, Error::InvalidUrl(_)), "{error:?}");
    assert_eq!(s.emulator.api_requests(), 1);
}

/// Any endpoint read into the caller's type, raw, or not at all, through the session's rules:
/// the token, and a retry after a 503, apply unchanged.
#[test]
fn any_endpoint_decodes_into_the_callers_type_raw_or_not_at_all() {
    use spotify_web_core::endpoint::EndpointExt;

    #[derive(serde::Deserialize)]
    #[serde(crate = "spotify_web_conformance::prelude::serde")]
    struct Lean {
        name: String,
        followers: Option<serde_json::Value>,
    }

    let s = Setup::<T>::new();
    s.emulator
        .inject(Target::Api, Fault::ServerError { status: 503 }, 1);
    let lean = s
        .client
        .send(GetArtist::new(id(RADIOHEAD)).decode_as::<Lean>())
        .unwrap();
    assert_eq!(lean.name, "Radiohead");
    assert!(lean.followers.is_some());
    let raw = s.client.send(GetArtist::new(id(RADIOHEAD)).raw()).unwrap();
    assert_eq!(raw.status, 200);
    let value: serde_json::Value = serde_json::from_slice(&raw.body).unwrap();
    assert_eq!(value["name"], "Radiohead");
    s.client
        .send(GetArtist::new(id(RADIOHEAD)).ignore())
        .unwrap();
    let missing = spotify(
        s.client
            .send(GetArtist::new(id("0000000000000000000000")).raw()),
    );
    assert!(missing.is_not_found(), "errors stay typed: {missing}");
}

/// Search beyond the catalog: playlists (with the `null` entries Spotify's playlist results
/// hold, skipped page after page), shows, episodes and audiobooks.
#[test]
fn search_finds_playlists_through_nulls_and_spoken_word() {
    let s = Setup::<T>::new();
    let me = T::signed_in(&s.emulator);
    for n in 0..4 {
        me.send(CreatePlaylist::new(format!("Summer mix {n}")).public(true))
            .unwrap();
    }
    // The friend's mix and four more: five playlists, three nulls among them.
    let search = Search::new(SearchQuery::new("mix"), [SearchType::Playlist])
        .unwrap()
        .limit(2);
    let first = s.client.send(search).unwrap();
    let page = first.playlists.as_ref().unwrap();
    assert_eq!(page.total, 8, "nulls count in total");
    assert!(page.items.len() < 2, "a null on the first page is left out");
    let next = page.next.clone().expect("more pages");
    let rest = s
        .client
        .items_up_to(
            NextPage::<spotify_web_core::model::SimplifiedPlaylist>::new(next),
            100,
        )
        .unwrap();
    assert_eq!(page.items.len() + rest.len(), 5, "every playlist, no null");

    let spoken = s
        .client
        .send(
            Search::new(
                SearchQuery::new("a"),
                [SearchType::Show, SearchType::Episode, SearchType::Audiobook],
            )
            .unwrap(),
        )
        .unwrap();
    assert!(spoken.shows.is_some_and(|p| !p.items.is_empty()));
    assert!(spoken.episodes.is_some_and(|p| !p.items.is_empty()));
    assert!(spoken.audiobooks.is_some_and(|p| !p.items.is_empty()));
}

/// A walker knows how long its list is once the first page came (for a progress bar), and its
/// `size_hint` counts down to zero with the items, within `max_items`.
#[test]
fn walkers_tell_the_total_and_what_is_left() {
    let s = Setup::<T>::new();
    let pitbull = id::<ArtistId>("0TnOYISbd1XYRBk9myaseg");
    let total = s
        .client
        .send(GetArtistAlbums::new(pitbull).limit(2))
        .unwrap()
        .total as usize;
    assert!(total > 4, "{total}");
    let progress = s
        .client
        .progress_up_to(GetArtistAlbums::new(pitbull).limit(2), 1000)
        .unwrap();
    assert_eq!(progress.len(), total);
    for (seen, step) in progress.iter().enumerate() {
        assert_eq!(step.total, Some(total));
        assert_eq!(step.upper, Some(total - seen - 1), "after item {seen}");
    }
    // Within a cap, the cap is the total.
    let capped = s
        .client
        .progress_up_to(GetArtistAlbums::new(pitbull).limit(2), 3)
        .unwrap();
    assert_eq!(
        capped
            .iter()
            .map(|p| (p.total, p.upper))
            .collect::<Vec<_>>(),
        [(Some(3), Some(2)), (Some(3), Some(1)), (Some(3), Some(0))]
    );
}
