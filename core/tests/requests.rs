//! The shape of every request, against the operations and parameters Spotify's API description
//! declares (`operations.txt`), what no app may send, and small bodies the description allows.

use spotify_web_core::Error;
use spotify_web_core::access::AppToken;
use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::endpoint::{
    AddCustomPlaylistCoverImage, AddItemsToPlaylist, ChangePlaylistDetails,
    CheckIfUserFollowsPlaylist, CreatePlaylist, Endpoint, FollowPlaylist, GetAlbum, GetAlbumTracks,
    GetArtist, GetArtistAlbums, GetArtistTopTracks, GetCurrentUser, GetCurrentUsersPlaylists,
    GetPlaylist, GetPlaylistCoverImage, GetPlaylistItems, GetSeveralAlbums, GetSeveralArtists,
    GetSeveralTracks, GetTrack, GetUsersPlaylists, IncludeGroup, ItemType, NextPage,
    RemovePlaylistItems, Search, SearchType, UnfollowPlaylist, UpdatePlaylistItems,
};
use spotify_web_core::endpoint::{
    AddItemToQueue, GetAvailableDevices, GetCurrentlyPlaying, GetPlaybackState, GetUsersQueue,
    PausePlayback, RepeatMode, SeekToPosition, SetPlaybackVolume, SetRepeatMode, SkipToNext,
    SkipToPrevious, StartPlayback, TogglePlaybackShuffle, TransferPlayback,
};
use spotify_web_core::endpoint::{
    CheckIfUserFollows, CheckLibraryContains, CheckSavedAlbums, CheckSavedAudiobooks,
    CheckSavedEpisodes, CheckSavedShows, CheckSavedTracks, FollowArtistsOrUsers,
    GetFollowedArtists, GetRecentlyPlayed, GetSavedAlbums, GetSavedAudiobooks, GetSavedEpisodes,
    GetSavedShows, GetSavedTracks, GetUsersTopArtists, GetUsersTopTracks, RemoveItemsFromLibrary,
    RemoveSavedAlbums, RemoveSavedAudiobooks, RemoveSavedEpisodes, RemoveSavedShows,
    RemoveSavedTracks, SaveAlbums, SaveAudiobooks, SaveEpisodes, SaveItemsToLibrary, SaveShows,
    SaveTracks, TimeRange, UnfollowArtistsOrUsers,
};
#[allow(deprecated)]
use spotify_web_core::endpoint::{
    GetArtistsRelatedArtists, GetAudiobook, GetAudiobookChapters, GetAvailableGenreSeeds,
    GetAvailableMarkets, GetCategorysPlaylists, GetChapter, GetEpisode, GetFeaturedPlaylists,
    GetNewReleases, GetRecommendations, GetSeveralAudiobooks, GetSeveralBrowseCategories,
    GetSeveralChapters, GetSeveralEpisodes, GetSeveralShows, GetSeveralTracksAudioFeatures,
    GetShow, GetShowEpisodes, GetSingleBrowseCategory, GetTracksAudioAnalysis,
    GetTracksAudioFeatures, GetUsersProfile,
};
use spotify_web_core::id::{ContextUri, SpotifyUri};
use spotify_web_core::message::{Method, Response};
use spotify_web_core::model::{Artist, SearchResults, Track};
use spotify_web_core::session::{Config, Session, Step};
use spotify_web_core::time::{Instant, Timestamp};
use spotify_web_core::url::BaseUrl;

/// The operations of the API description: method, path template, declared query parameters.
fn operations() -> Vec<(String, String, Vec<String>)> {
    include_str!("operations.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let mut words = line.split(' ');
            let method = words.next().unwrap().to_owned();
            let path = words.next().unwrap().to_owned();
            (method, path, words.map(str::to_owned).collect())
        })
        .collect()
}

/// Whether a concrete path matches a template such as `/artists/{id}/albums`.
fn matches(template: &str, path: &str) -> bool {
    let (template, path): (Vec<_>, Vec<_>) =
        (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| t.starts_with('{') || t == p)
}

/// The method, path (below `/v1`) and query parameter names of an endpoint's request.
fn shape(endpoint: &dyn Shape) -> (Method, String, Vec<String>) {
    let request = endpoint.request_of(&BaseUrl::spotify_api());
    let url = request
        .url()
        .strip_prefix("https://api.spotify.com/v1")
        .unwrap()
        .to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let mut names: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split('=').next().unwrap().to_owned())
        .collect();
    if request.header("content-type") == Some("application/json") {
        let body: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(request.body()).unwrap();
        names.extend(body.keys().map(|key| format!("body:{key}")));
    }
    (request.method(), path.to_owned(), names)
}

/// Any endpoint, for a table of them.
trait Shape {
    fn request_of(&self, api: &BaseUrl) -> spotify_web_core::message::Request;

    /// Whether an app's own token may send it (the type implements `AppToken`).
    fn app(&self) -> bool;
}

impl<E: Endpoint> Shape for E {
    fn request_of(&self, api: &BaseUrl) -> spotify_web_core::message::Request {
        self.request(api)
    }

    fn app(&self) -> bool {
        unreachable!("every endpoint of the table is probed")
    }
}

/// An endpoint of the table, with what the compiler says of its access.
struct Probed {
    endpoint: Box<dyn Shape>,
    app: bool,
}

impl Shape for Probed {
    fn request_of(&self, api: &BaseUrl) -> spotify_web_core::message::Request {
        self.endpoint.request_of(api)
    }

    fn app(&self) -> bool {
        self.app
    }
}

/// Asks the compiler whether a concrete endpoint type implements `AppToken`: the first trait's
/// method applies when it does (taken by reference), the second's otherwise (one more
/// reference).
#[expect(dead_code, reason = "only its type is asked about")]
struct Probe<'a, E>(&'a E);

trait ViaAppToken {
    fn is_app(&self) -> bool {
        true
    }
}

impl<E: AppToken> ViaAppToken for Probe<'_, E> {}

trait ViaAnyToken {
    fn is_app(&self) -> bool {
        false
    }
}

impl<E> ViaAnyToken for &Probe<'_, E> {}

macro_rules! probe {
    ($endpoint:expr $(,)?) => {{
        let endpoint = $endpoint;
        let app = (&Probe(&endpoint)).is_app();
        Box::new(Probed {
            endpoint: Box::new(endpoint),
            app,
        }) as Box<dyn Shape>
    }};
}

fn id<T: core::str::FromStr>(text: &str) -> T
where
    T::Err: core::fmt::Debug,
{
    text.parse().unwrap()
}

/// The operations of the description this client does not offer, and why.
const NOT_OFFERED: [(&str, &str, &str); 4] = [
    (
        "GET",
        "/playlists/{playlist_id}/tracks",
        "deprecated form of `/items`, which every app can use",
    ),
    (
        "POST",
        "/playlists/{playlist_id}/tracks",
        "deprecated form of `/items`, which every app can use",
    ),
    (
        "PUT",
        "/playlists/{playlist_id}/tracks",
        "deprecated form of `/items`, which every app can use",
    ),
    (
        "DELETE",
        "/playlists/{playlist_id}/tracks",
        "deprecated form of `/items`, which every app can use",
    ),
];

/// The coverage table in the core's README: `| METHOD path | types |` rows between markers.
fn readme_coverage() -> Vec<(String, String)> {
    let readme = include_str!("../README.md");
    let start = readme
        .find("<!-- coverage:start -->")
        .expect("the coverage table's start");
    let end = readme
        .find("<!-- coverage:end -->")
        .expect("the coverage table's end");
    readme[start..end]
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            (cells[0].trim_matches('`').to_owned(), cells[1].to_owned())
        })
        .collect()
}

/// Every endpoint type, with every option it has set (some twice, in their other forms).
#[allow(deprecated)]
fn endpoints() -> Vec<(&'static str, Box<dyn Shape>)> {
    let artist = "4Z8W4fKeB5YxbusRsdQVPb";
    let album = "4aawyAB9vmqN3uQ7FjRGTy";
    let track = "11dFghVXANMlKmJXsNCbNl";
    let playlist = "3cEYpjA9oz9GiPac4AsH4n";
    let uri = "spotify:track:11dFghVXANMlKmJXsNCbNl";
    let show = "38bS44xjbVVZ3No3ByF1dJ";
    let episode = "512ojhOuo1ktJprKbVcKyQ";
    let audiobook = "7iHfbu1YPACw6oZPAFJtqe";
    let chapter = "0D5wENdkdwbqlrHoaJ9g29";
    // Every endpoint type, with every option it has set.
    vec![
        ("GetArtist", probe!(GetArtist::new(id(artist)))),
        (
            "GetSeveralArtists",
            probe!(GetSeveralArtists::new([id(artist)]).unwrap()),
        ),
        (
            "GetArtistAlbums",
            probe!(
                GetArtistAlbums::new(id(artist))
                    .include_groups([IncludeGroup::Album])
                    .market("SE")
                    .limit(10)
                    .offset(5),
            ),
        ),
        (
            "GetArtistTopTracks",
            probe!(GetArtistTopTracks::new(id(artist)).market("SE")),
        ),
        ("GetAlbum", probe!(GetAlbum::new(id(album)).market("SE"))),
        (
            "GetSeveralAlbums",
            probe!(GetSeveralAlbums::new([id(album)]).unwrap().market("SE")),
        ),
        (
            "GetAlbumTracks",
            probe!(
                GetAlbumTracks::new(id(album))
                    .market("SE")
                    .limit(10)
                    .offset(5),
            ),
        ),
        ("GetTrack", probe!(GetTrack::new(id(track)).market("SE"))),
        (
            "GetSeveralTracks",
            probe!(GetSeveralTracks::new([id(track)]).unwrap().market("SE")),
        ),
        (
            "Search",
            probe!(
                Search::new("radiohead", [SearchType::Artist, SearchType::Track])
                    .unwrap()
                    .market("SE")
                    .limit(10)
                    .offset(5)
                    .include_external_audio(),
            ),
        ),
        ("GetCurrentUser", probe!(GetCurrentUser::new())),
        (
            "GetPlaylist",
            probe!(
                GetPlaylist::new(id(playlist))
                    .market("SE")
                    .additional_types([ItemType::Episode]),
            ),
        ),
        (
            "GetPlaylistFields",
            probe!(GetPlaylist::new(id(playlist)).fields::<serde_json::Value>("name")),
        ),
        (
            "ChangePlaylistDetails",
            probe!(
                ChangePlaylistDetails::new(id(playlist))
                    .name("n")
                    .public(false)
                    .collaborative(true)
                    .description("d"),
            ),
        ),
        (
            "GetPlaylistItems",
            probe!(
                GetPlaylistItems::new(id(playlist))
                    .market("SE")
                    .additional_types([ItemType::Episode])
                    .limit(10)
                    .offset(5),
            ),
        ),
        (
            "AddItemsToPlaylist",
            probe!(
                AddItemsToPlaylist::new(id(playlist), [id(uri)])
                    .unwrap()
                    .at(3),
            ),
        ),
        (
            "UpdatePlaylistItems::replace",
            probe!(UpdatePlaylistItems::replace(id(playlist), [id(uri)]).unwrap()),
        ),
        (
            "UpdatePlaylistItems::reorder",
            probe!(
                UpdatePlaylistItems::reorder(id(playlist), 1, 4)
                    .range_length(2)
                    .snapshot_id("s"),
            ),
        ),
        (
            "RemovePlaylistItems",
            probe!(
                RemovePlaylistItems::new(id(playlist), [id(uri)])
                    .unwrap()
                    .snapshot_id("s"),
            ),
        ),
        (
            "GetCurrentUsersPlaylists",
            probe!(GetCurrentUsersPlaylists::new().limit(10).offset(5)),
        ),
        (
            "GetUsersPlaylists",
            probe!(GetUsersPlaylists::new(id("smedjan")).limit(10).offset(5)),
        ),
        (
            "CreatePlaylist",
            probe!(
                CreatePlaylist::new("n")
                    .public(false)
                    .collaborative(true)
                    .description("d"),
            ),
        ),
        (
            "CreatePlaylistForUser",
            probe!(
                CreatePlaylist::new("n")
                    .public(true)
                    .for_user(id("smedjan")),
            ),
        ),
        (
            "GetPlaylistCoverImage",
            probe!(GetPlaylistCoverImage::new(id(playlist))),
        ),
        (
            "AddCustomPlaylistCoverImage",
            probe!(
                AddCustomPlaylistCoverImage::new(id(playlist), &[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(),
            ),
        ),
        (
            "FollowPlaylist",
            probe!(FollowPlaylist::new(id(playlist)).public(false)),
        ),
        (
            "UnfollowPlaylist",
            probe!(UnfollowPlaylist::new(id(playlist))),
        ),
        (
            "CheckIfUserFollowsPlaylist",
            probe!(CheckIfUserFollowsPlaylist::new(id(playlist))),
        ),
        (
            "SaveItemsToLibrary",
            probe!(SaveItemsToLibrary::new([id::<SpotifyUri>(uri)]).unwrap()),
        ),
        (
            "RemoveItemsFromLibrary",
            probe!(RemoveItemsFromLibrary::new([id::<SpotifyUri>(uri)]).unwrap()),
        ),
        (
            "CheckLibraryContains",
            probe!(CheckLibraryContains::new([id::<SpotifyUri>(uri)]).unwrap()),
        ),
        (
            "GetSavedTracks",
            probe!(GetSavedTracks::new().limit(10).offset(5).market("SE")),
        ),
        (
            "GetSavedAlbums",
            probe!(GetSavedAlbums::new().limit(10).offset(5).market("SE")),
        ),
        (
            "GetSavedShows",
            probe!(GetSavedShows::new().limit(10).offset(5)),
        ),
        (
            "GetSavedEpisodes",
            probe!(GetSavedEpisodes::new().limit(10).offset(5).market("SE")),
        ),
        (
            "GetSavedAudiobooks",
            probe!(GetSavedAudiobooks::new().limit(10).offset(5)),
        ),
        ("SaveTracks", probe!(SaveTracks::new([id(track)]).unwrap())),
        (
            "RemoveSavedTracks",
            probe!(RemoveSavedTracks::new([id(track)]).unwrap()),
        ),
        (
            "CheckSavedTracks",
            probe!(CheckSavedTracks::new([id(track)]).unwrap()),
        ),
        ("SaveAlbums", probe!(SaveAlbums::new([id(album)]).unwrap())),
        (
            "RemoveSavedAlbums",
            probe!(RemoveSavedAlbums::new([id(album)]).unwrap()),
        ),
        (
            "CheckSavedAlbums",
            probe!(CheckSavedAlbums::new([id(album)]).unwrap()),
        ),
        ("SaveShows", probe!(SaveShows::new([id(show)]).unwrap())),
        (
            "RemoveSavedShows",
            probe!(RemoveSavedShows::new([id(show)]).unwrap()),
        ),
        (
            "CheckSavedShows",
            probe!(CheckSavedShows::new([id(show)]).unwrap()),
        ),
        (
            "SaveEpisodes",
            probe!(SaveEpisodes::new([id(episode)]).unwrap()),
        ),
        (
            "RemoveSavedEpisodes",
            probe!(RemoveSavedEpisodes::new([id(episode)]).unwrap()),
        ),
        (
            "CheckSavedEpisodes",
            probe!(CheckSavedEpisodes::new([id(episode)]).unwrap()),
        ),
        (
            "SaveAudiobooks",
            probe!(SaveAudiobooks::new([id(audiobook)]).unwrap()),
        ),
        (
            "RemoveSavedAudiobooks",
            probe!(RemoveSavedAudiobooks::new([id(audiobook)]).unwrap()),
        ),
        (
            "CheckSavedAudiobooks",
            probe!(CheckSavedAudiobooks::new([id(audiobook)]).unwrap()),
        ),
        (
            "GetUsersTopArtists",
            probe!(
                GetUsersTopArtists::new()
                    .time_range(TimeRange::LongTerm)
                    .limit(10)
                    .offset(5),
            ),
        ),
        (
            "GetUsersTopTracks",
            probe!(
                GetUsersTopTracks::new()
                    .time_range(TimeRange::ShortTerm)
                    .limit(10)
                    .offset(5),
            ),
        ),
        (
            "GetRecentlyPlayed::after",
            probe!(
                GetRecentlyPlayed::new()
                    .limit(10)
                    .after(Timestamp::from_unix_millis(1)),
            ),
        ),
        (
            "GetRecentlyPlayed::before",
            probe!(
                GetRecentlyPlayed::new()
                    .limit(10)
                    .before(Timestamp::from_unix_millis(1)),
            ),
        ),
        (
            "GetFollowedArtists",
            probe!(GetFollowedArtists::new().limit(10).after(id(artist))),
        ),
        (
            "FollowArtistsOrUsers",
            probe!(FollowArtistsOrUsers::artists([id(artist)]).unwrap()),
        ),
        (
            "UnfollowArtistsOrUsers",
            probe!(UnfollowArtistsOrUsers::users([id("smedjan")]).unwrap()),
        ),
        (
            "CheckIfUserFollows",
            probe!(CheckIfUserFollows::artists([id(artist)]).unwrap()),
        ),
        (
            "GetPlaybackState",
            probe!(GetPlaybackState::new().market("SE").with_episodes()),
        ),
        (
            "GetCurrentlyPlaying",
            probe!(GetCurrentlyPlaying::new().market("SE").with_episodes()),
        ),
        ("GetAvailableDevices", probe!(GetAvailableDevices::new())),
        (
            "TransferPlayback",
            probe!(TransferPlayback::new("d1").play(true)),
        ),
        (
            "StartPlayback::context",
            probe!(
                StartPlayback::context(id::<ContextUri>(&format!("spotify:album:{album}")))
                    .offset_uri(id(uri))
                    .position_ms(5)
                    .device("d1"),
            ),
        ),
        (
            "StartPlayback::uris",
            probe!(
                StartPlayback::uris([id(uri)])
                    .offset_position(0)
                    .device("d1"),
            ),
        ),
        ("StartPlayback::resume", probe!(StartPlayback::resume())),
        ("PausePlayback", probe!(PausePlayback::new().device("d1"))),
        ("SkipToNext", probe!(SkipToNext::new().device("d1"))),
        ("SkipToPrevious", probe!(SkipToPrevious::new().device("d1"))),
        (
            "SeekToPosition",
            probe!(SeekToPosition::new(5).device("d1")),
        ),
        (
            "SetRepeatMode",
            probe!(SetRepeatMode::new(RepeatMode::Context).device("d1")),
        ),
        (
            "SetPlaybackVolume",
            probe!(SetPlaybackVolume::new(40).unwrap().device("d1")),
        ),
        (
            "TogglePlaybackShuffle",
            probe!(TogglePlaybackShuffle::new(true).device("d1")),
        ),
        ("GetUsersQueue", probe!(GetUsersQueue::new())),
        (
            "AddItemToQueue",
            probe!(AddItemToQueue::new(id(uri)).device("d1")),
        ),
        ("GetShow", probe!(GetShow::new(id(show)).market("SE"))),
        (
            "GetShowEpisodes",
            probe!(
                GetShowEpisodes::new(id(show))
                    .market("SE")
                    .limit(10)
                    .offset(5),
            ),
        ),
        (
            "GetEpisode",
            probe!(GetEpisode::new(id(episode)).market("SE")),
        ),
        (
            "GetSeveralShows",
            probe!(GetSeveralShows::new([id(show)]).unwrap().market("SE")),
        ),
        (
            "GetSeveralEpisodes",
            probe!(GetSeveralEpisodes::new([id(episode)]).unwrap().market("SE")),
        ),
        (
            "GetAudiobook",
            probe!(GetAudiobook::new(id(audiobook)).market("SE")),
        ),
        (
            "GetAudiobookChapters",
            probe!(
                GetAudiobookChapters::new(id(audiobook))
                    .market("SE")
                    .limit(10)
                    .offset(5),
            ),
        ),
        (
            "GetChapter",
            probe!(GetChapter::new(id(chapter)).market("SE")),
        ),
        (
            "GetSeveralAudiobooks",
            probe!(
                GetSeveralAudiobooks::new([id(audiobook)])
                    .unwrap()
                    .market("SE"),
            ),
        ),
        (
            "GetSeveralChapters",
            probe!(GetSeveralChapters::new([id(chapter)]).unwrap().market("SE")),
        ),
        (
            "GetUsersProfile",
            probe!(GetUsersProfile::new(id("smedjan"))),
        ),
        (
            "GetNewReleases",
            probe!(GetNewReleases::new().limit(10).offset(5)),
        ),
        (
            "GetSeveralBrowseCategories",
            probe!(
                GetSeveralBrowseCategories::new()
                    .locale("sv_SE")
                    .limit(10)
                    .offset(5),
            ),
        ),
        (
            "GetSingleBrowseCategory",
            probe!(GetSingleBrowseCategory::new("toplists").locale("sv_SE")),
        ),
        ("GetAvailableMarkets", probe!(GetAvailableMarkets::new())),
        (
            "GetArtistsRelatedArtists",
            probe!(GetArtistsRelatedArtists::new(id(artist))),
        ),
        (
            "GetRecommendations",
            probe!(
                GetRecommendations::new([id(artist)], [id(track)], ["rock".to_owned()])
                    .tune("target_energy", 0.8)
                    .limit(10)
                    .market("SE"),
            ),
        ),
        (
            "GetAvailableGenreSeeds",
            probe!(GetAvailableGenreSeeds::new()),
        ),
        (
            "GetTracksAudioFeatures",
            probe!(GetTracksAudioFeatures::new(id(track))),
        ),
        (
            "GetSeveralTracksAudioFeatures",
            probe!(GetSeveralTracksAudioFeatures::new([id(track)]).unwrap()),
        ),
        (
            "GetTracksAudioAnalysis",
            probe!(GetTracksAudioAnalysis::new(id(track))),
        ),
        (
            "GetFeaturedPlaylists",
            probe!(
                GetFeaturedPlaylists::new()
                    .locale("sv_SE")
                    .limit(10)
                    .offset(5),
            ),
        ),
        (
            "GetCategorysPlaylists",
            probe!(GetCategorysPlaylists::new("toplists").limit(10).offset(5)),
        ),
    ]
}

#[test]
fn every_request_sends_only_what_its_operation_declares() {
    let endpoints = endpoints();
    let operations = operations();
    assert_eq!(operations.len(), 97, "the description lists 97 operations");
    let mut covered: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for (name, endpoint) in &endpoints {
        let (method, path, names) = shape(endpoint.as_ref());
        let method = format!("{method:?}").to_uppercase();
        let operation = operations
            .iter()
            .find(|(m, template, _)| *m == method && matches(template, &path))
            .unwrap_or_else(|| {
                panic!("{name}: {method} {path} is no operation of the description")
            });
        for parameter in &names {
            assert!(
                operation.2.contains(parameter),
                "{name} sends `{parameter}`, which {} {} does not declare ({:?})",
                operation.0,
                operation.1,
                operation.2
            );
        }
        let type_name = name.split("::").next().unwrap_or(name);
        covered
            .entry(format!("{} {}", operation.0, operation.1))
            .or_default()
            .insert(format!("`{type_name}`"));
    }

    // Coverage that cannot go stale: every operation of the description is implemented by a
    // type above or named as not offered, never both; and the core README's table says the same.
    let mut expected: std::collections::BTreeMap<String, String> = covered
        .iter()
        .map(|(op, types)| {
            (
                op.clone(),
                types.iter().cloned().collect::<Vec<_>>().join(", "),
            )
        })
        .collect();
    for (method, path, why) in NOT_OFFERED {
        let op = format!("{method} {path}");
        assert!(
            !covered.contains_key(&op),
            "{op} is both implemented and not offered"
        );
        expected.insert(op, format!("not offered: {why}"));
    }
    for (method, path, _) in &operations {
        let op = format!("{method} {path}");
        assert!(
            expected.contains_key(&op),
            "{op} has no endpoint type and is not listed as not offered"
        );
    }
    assert_eq!(
        expected.len(),
        operations.len(),
        "an entry names no operation"
    );
    let table: std::collections::BTreeMap<String, String> = readme_coverage().into_iter().collect();
    if table != expected {
        let rows: Vec<String> = expected
            .iter()
            .map(|(op, types)| format!("| `{op}` | {types} |"))
            .collect();
        panic!(
            "core/README.md's coverage table is out of date; it should read:\n{}",
            rows.join("\n")
        );
    }
}

/// The operations an app's own token may call although the description names scopes for them:
/// the scope only widens what comes back (a resume point, private playlists).
const APP_DESPITE_SCOPES: [(&str, &str, &str); 6] = [
    (
        "GET",
        "/shows/{id}",
        "user-read-playback-position adds the resume point",
    ),
    ("GET", "/shows/{id}/episodes", "as Get Show"),
    ("GET", "/episodes/{id}", "as Get Show"),
    ("GET", "/episodes", "as Get Show"),
    (
        "GET",
        "/playlists/{playlist_id}/items",
        "playlist-read-private adds private playlists",
    ),
    (
        "GET",
        "/users/{user_id}/playlists",
        "playlist-read-private adds private playlists",
    ),
];

/// The operations the description names no scope for that still act for a user.
const USER_DESPITE_NO_SCOPES: [(&str, &str, &str); 1] = [(
    "GET",
    "/playlists/{playlist_id}/followers/contains",
    "checks the current user: an app's token has none",
)];

#[test]
fn an_apps_token_sends_exactly_what_needs_no_user() {
    let operations = operations();
    let mut wrong = Vec::new();
    for (name, endpoint) in endpoints() {
        let (method, path, _) = shape(endpoint.as_ref());
        let method = format!("{method:?}").to_uppercase();
        let (_, template, words) = operations
            .iter()
            .find(|(m, template, _)| *m == method && matches(template, &path))
            .unwrap();
        let listed = |list: &[(&str, &str, &str)]| {
            list.iter().any(|(m, p, _)| *m == method && p == template)
        };
        let scoped = words.iter().any(|w| w.starts_with("scope:"));
        let app = (!scoped || listed(&APP_DESPITE_SCOPES)) && !listed(&USER_DESPITE_NO_SCOPES);
        if endpoint.app() != app {
            wrong.push(format!(
                "{name} ({method} {template}): AppToken {}, expected {app}",
                endpoint.app()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Drives one call of a fresh app session to its first step.
fn first_step<E: Endpoint>(endpoint: E) -> Step<E::Output> {
    let mut session = Session::new(ClientCredentials::new("id", "secret"), Config::default(), 1);
    let mut call = session.call(endpoint);
    session.poll(&mut call, Instant::ZERO)
}

#[test]
fn what_no_app_may_send_is_refused_before_sending() {
    fn refused<T>(step: Step<T>) -> bool {
        matches!(step, Step::Done(Err(Error::InvalidArgument { .. })))
    }
    assert!(refused(first_step(
        GetAlbumTracks::new(id("4aawyAB9vmqN3uQ7FjRGTy")).limit(0)
    )));
    assert!(refused(first_step(
        GetAlbumTracks::new(id("4aawyAB9vmqN3uQ7FjRGTy")).limit(51)
    )));
    assert!(refused(first_step(
        GetArtistAlbums::new(id("4Z8W4fKeB5YxbusRsdQVPb")).limit(0)
    )));
    let search = || Search::new("x", [SearchType::Track]).unwrap();
    assert!(refused(first_step(search().limit(0))));
    assert!(refused(first_step(search().offset(1001))));
    // What some apps may send goes out: development-mode caps are Spotify's to enforce.
    assert!(matches!(
        first_step(search().limit(50).offset(1000)),
        Step::Send(_)
    ));
    let Step::Done(Err(error)) = first_step(search().offset(1001)) else {
        panic!()
    };
    assert!(error.to_string().contains("at most 1000"), "{error}");
}

#[test]
fn a_playlist_with_both_items_and_tracks_is_read_whole() {
    // The description's SimplifiedPlaylistObject has both fields; answers during the
    // migration carry both. `items` is preferred, and the rest of the page is kept.
    let body = br#"{"playlists":{"href":"h","limit":2,"offset":0,"total":2,"next":null,"items":[
        {"id":"37i9dQZF1DXcBWIGoYBM5M","name":"Both","items":{"href":"new","total":7},
         "tracks":{"href":"old","total":9}},
        null,
        {"id":"37i9dQZF1DX0XUsuxWHRQd","name":"Old","tracks":{"href":"old","total":3}}]}}"#;
    let results: SearchResults = Search::new("x", [SearchType::Playlist])
        .unwrap()
        .parse(&Response::new(200, body))
        .unwrap();
    let playlists = results.playlists.unwrap().items;
    assert_eq!(playlists.len(), 2);
    assert_eq!(
        playlists[0]
            .items
            .as_ref()
            .map(|i| (i.href.as_str(), i.total)),
        Some(("new", 7))
    );
    assert_eq!(playlists[1].items.as_ref().map(|i| i.total), Some(3));
}

#[test]
fn what_the_description_lets_go_missing_is_tolerated() {
    // Followers without a total.
    let body = br#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"R","followers":{"href":null}}"#;
    let artist: Artist = GetArtist::new(id("4Z8W4fKeB5YxbusRsdQVPb"))
        .parse(&Response::new(200, body))
        .unwrap();
    assert_eq!(artist.followers.map(|f| f.total), Some(None));
    // An author and a narrator without a name are left out, not the audiobook.
    let body = br#"{"audiobooks":{"href":"h","limit":1,"offset":0,"total":1,"items":[
        {"id":"7iHfbu1YPACw6oZPAFJtqe","name":"Book","authors":[{},{"name":"A"}],
         "narrators":[{"name":null},{"name":"N"}]}]}}"#;
    let results: SearchResults = Search::new("x", [SearchType::Audiobook])
        .unwrap()
        .parse(&Response::new(200, body))
        .unwrap();
    let book = &results.audiobooks.unwrap().items[0];
    assert_eq!(
        (book.authors.as_slice(), book.narrators.as_slice()),
        (&["A".to_owned()][..], &["N".to_owned()][..])
    );
    // A page link still parses as before.
    let _: NextPage<Track> = NextPage::new("https://api.spotify.com/v1/x");
}

/// The exact request of every endpoint type (method, URL, content type, whether it is
/// idempotent, body), against `requests.golden`: a change to any request shows in review.
/// `UPDATE_GOLDEN=1 cargo test -p spotify-web-core --test integration golden` rewrites it.
#[test]
fn every_request_matches_its_golden_shape() {
    let api = BaseUrl::spotify_api();
    let mut lines = vec![
        "# name\tmethod url\tcontent-type\tidempotent\tbody (written by the golden test)"
            .to_owned(),
    ];
    for (name, endpoint) in endpoints() {
        let request = endpoint.request_of(&api);
        lines.push(format!(
            "{name}\t{} {}\t{}\t{}\t{}",
            request.method(),
            request.url(),
            request.header("content-type").unwrap_or("-"),
            request.is_idempotent(),
            String::from_utf8_lossy(request.body())
        ));
    }
    let actual = lines.join("\n") + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/requests.golden");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &actual).unwrap();
    }
    let expected = include_str!("requests.golden");
    for (want, got) in expected.lines().zip(actual.lines()) {
        assert_eq!(
            got, want,
            "a request changed; review it, then UPDATE_GOLDEN=1"
        );
    }
    assert_eq!(
        expected.lines().count(),
        actual.lines().count(),
        "an endpoint was added or removed; UPDATE_GOLDEN=1 writes the new table"
    );
}
