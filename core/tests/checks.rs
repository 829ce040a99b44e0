//! What each fuzz target checks, written once: the fuzz targets call these with libFuzzer's
//! inputs, and the core's stable test suite replays the committed corpus through them.
//! Every function must return normally for every input: a panic is a bug found.

use core::time::Duration;

use spotify_web_core::auth::{AccessToken, ClientCredentials};
use spotify_web_core::auth::{CsrfState, parse_callback};
use spotify_web_core::endpoint::{Endpoint, GetArtist, NextPage};
use spotify_web_core::error::TransportFailure;
use spotify_web_core::id::{AlbumId, ArtistId, PlaylistId, TrackId};
use spotify_web_core::message::Response;
use spotify_web_core::model::{Album, Artist, SearchResults, Track, User};
use spotify_web_core::session::{Config, Session, Step};
use spotify_web_core::store::StoredToken;
use spotify_web_core::time::Instant;

/// IDs: whatever parses has 22 base-62 characters and round-trips through ID, URI and link.
pub(crate) fn parse_id(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    macro_rules! round_trip {
        ($kind:ty) => {
            if let Ok(id) = text.parse::<$kind>() {
                let bare = id.to_string();
                assert_eq!(bare.len(), 22);
                assert!(bare.bytes().all(|b| b.is_ascii_alphanumeric()));
                assert_eq!(bare.parse::<$kind>().ok(), Some(id));
                assert_eq!(id.uri().parse::<$kind>().ok(), Some(id));
                assert_eq!(id.url().parse::<$kind>().ok(), Some(id));
            }
        };
    }
    round_trip!(ArtistId);
    round_trip!(AlbumId);
    round_trip!(TrackId);
    round_trip!(PlaylistId);
}

/// Token answers: an accepted token can go in a header, never shows in `Debug`, and
/// survives the trip through a token store.
pub(crate) fn parse_token(data: &[u8]) {
    let now = Instant::from_secs(u64::from(data.first().copied().unwrap_or(0)));
    match AccessToken::from_response(&Response::new(200, data), now) {
        Ok(token) => {
            assert!(!token.secret().is_empty());
            assert!(token.secret().bytes().all(|b| b.is_ascii_graphic()));
            assert!(token.expires_at() >= now);
            // Debug shows the scopes, which an input may make contain the token's text.
            let scopes = token.scopes().collect::<Vec<_>>().join(" ");
            if token.secret().len() >= 8 && !scopes.contains(token.secret()) {
                assert!(!format!("{token:?}").contains(token.secret()));
            }
            let stored = StoredToken::from_token(&token, now, 1_000);
            let back = stored
                .into_token(now, 1_000)
                .expect("a stored token reloads");
            assert_eq!(back.secret(), token.secret());
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

/// Error answers: any status and body give a typed error with a message, never a panic.
pub(crate) fn parse_error(data: &[u8]) {
    let (status, body) = match data {
        [a, b, rest @ ..] => (400 + u16::from_be_bytes([*a, *b]) % 200, rest),
        _ => (500, data),
    };
    let response =
        Response::new(status, body).with_header("retry-after", body.get(..4).unwrap_or(b""));
    let id: ArtistId = "4Z8W4fKeB5YxbusRsdQVPb".parse().expect("a valid ID");
    let error = GetArtist::new(id)
        .parse(&response)
        .expect_err("an error status is an error");
    assert!(!error.to_string().is_empty());
    let error = AccessToken::from_response(&response, Instant::ZERO)
        .expect_err("an error status is an error");
    assert!(!error.to_string().is_empty());
}

/// Models: whatever decodes, re-encodes and decodes to the same value.
pub(crate) fn parse_model<T>(data: &[u8])
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + core::fmt::Debug,
{
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let text = serde_json::to_string(&value).expect("a decoded model encodes");
        let again: T = serde_json::from_str(&text).expect("an encoded model decodes");
        assert_eq!(again, value);
    }
}

/// The artist model.
pub(crate) fn parse_artist(data: &[u8]) {
    parse_model::<Artist>(data);
}

/// The album model.
pub(crate) fn parse_album(data: &[u8]) {
    parse_model::<Album>(data);
}

/// The track model.
pub(crate) fn parse_track(data: &[u8]) {
    parse_model::<Track>(data);
}

/// Search results, every kind.
pub(crate) fn parse_search(data: &[u8]) {
    parse_model::<SearchResults>(data);
}

/// The user model.
pub(crate) fn parse_user(data: &[u8]) {
    parse_model::<User>(data);
}

/// Playlists: the whole playlist (both shapes), a page of its items, and the IDs playlists
/// use (a user's, an item's URI), which never panic and, once parsed, print back to
/// themselves.
pub(crate) fn parse_playlist(data: &[u8]) {
    parse_model::<spotify_web_core::model::Playlist>(data);
    parse_model::<spotify_web_core::Page<spotify_web_core::model::PlaylistItem>>(data);
    if let Ok(text) = core::str::from_utf8(data) {
        if let Ok(user) = text.parse::<spotify_web_core::id::UserId>() {
            assert!(!user.as_str().contains(['/', '?', '#']));
            assert_eq!(
                user.uri().parse::<spotify_web_core::id::UserId>().ok(),
                Some(user)
            );
        }
        if let Ok(uri) = text.parse::<spotify_web_core::id::PlayableUri>() {
            assert_eq!(uri.to_string().parse().ok(), Some(uri));
        }
    }
}

/// The library and listening history: saved-item pages, play-history cursor pages,
/// timestamps (which print back exactly what they read) and URIs of any kind.
pub(crate) fn parse_library(data: &[u8]) {
    use spotify_web_core::model::{CursorPage, PlayHistory, Saved};
    parse_model::<spotify_web_core::Page<Saved<Track>>>(data);
    parse_model::<CursorPage<PlayHistory>>(data);
    if let Ok(text) = core::str::from_utf8(data) {
        if let Ok(time) = text.parse::<spotify_web_core::time::Timestamp>() {
            assert_eq!(
                time.to_string(),
                text,
                "a timestamp prints back what it read"
            );
            let millis = time.unix_millis();
            let again = spotify_web_core::time::Timestamp::from_unix_millis(millis);
            assert_eq!(again.unix_millis(), millis);
        }
        if let Ok(uri) = text.parse::<spotify_web_core::id::SpotifyUri>() {
            assert_eq!(uri.to_string().parse().ok(), Some(uri));
        }
    }
}

/// The player: playback state (`None` for an empty answer), devices, the queue, and the
/// reason of a player error, which never panic.
pub(crate) fn parse_player(data: &[u8]) {
    use spotify_web_core::endpoint::{GetAvailableDevices, GetPlaybackState, GetUsersQueue};
    parse_model::<spotify_web_core::model::PlaybackState>(data);
    parse_model::<spotify_web_core::model::Queue>(data);
    let ok = Response::new(200, data);
    if let Ok(None) = GetPlaybackState::new().parse(&ok) {
        assert!(
            data.iter().all(u8::is_ascii_whitespace),
            "None only for an empty body"
        );
    }
    let _ = GetAvailableDevices::new().parse(&ok);
    let _ = GetUsersQueue::new().parse(&ok);
    if let Err(error) = GetPlaybackState::new().parse(&Response::new(403, data)) {
        if let Some(reason) = error.reason() {
            assert_eq!(
                error.reason_kind(),
                Some(spotify_web_core::error::Reason::from_code(reason))
            );
        }
    }
}

/// Shows, episodes, audiobooks and chapters (with their nested pages), browse categories,
/// the deprecated answers, and chapter IDs, whose URI says `episode`.
pub(crate) fn parse_spoken(data: &[u8]) {
    use spotify_web_core::model::{Audiobook, Chapter, Episode, Show};
    parse_model::<Show>(data);
    parse_model::<Episode>(data);
    parse_model::<Audiobook>(data);
    parse_model::<Chapter>(data);
    // The browse answers and the deprecated ones.
    parse_model::<spotify_web_core::endpoint::Category>(data);
    parse_model::<spotify_web_core::endpoint::PlaylistList>(data);
    parse_model::<spotify_web_core::endpoint::Recommendations>(data);
    // Read only: a float too large for `f32` reads as infinity, which JSON cannot write back.
    let _ = serde_json::from_slice::<spotify_web_core::endpoint::AudioFeatures>(data);
    if let Ok(text) = core::str::from_utf8(data) {
        if let Ok(id) = text.parse::<spotify_web_core::id::ChapterId>() {
            assert_eq!(id.uri().parse().ok(), Some(id));
            assert_eq!(id.url().parse().ok(), Some(id));
        }
    }
}

/// A page, plain or wrapped as search wraps it.
pub(crate) fn parse_page(data: &[u8]) {
    let page: NextPage<Track> = NextPage::new("https://api.spotify.com/v1/x");
    if let Ok(page) = page.parse(&Response::new(200, data)) {
        let text = serde_json::to_string(&page).expect("a page encodes");
        let again: spotify_web_core::Page<Track> =
            serde_json::from_str(&text).expect("a page decodes");
        assert_eq!(again, page);
    }
}

/// Callback URLs: a code comes back only with the right state.
pub(crate) fn parse_callback_url(data: &[u8]) {
    let Ok(url) = core::str::from_utf8(data) else {
        return;
    };
    let state = CsrfState::new("st8-abcdefghijklmnopqrstu").expect("a long enough state");
    if let Ok(code) = parse_callback(url, &state) {
        assert!(url.contains("state=st8-abcdefghijklmnopqrstu"));
        assert!(!code.secret().is_empty());
    }
}

/// Reads a fuzz input one byte at a time, with zeros once it runs out.
struct Script<'a> {
    data: &'a [u8],
}

impl Script<'_> {
    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }
}

/// The session fed an arbitrary script of answers, failures and time steps: it never panics,
/// never sends an API request without a token, and every call ends within its budget.
pub(crate) fn session(data: &[u8]) {
    let mut script = Script { data };
    let retries = u32::from(script.byte() % 5);
    let config = Config::default()
        .with_max_retries(retries)
        .with_max_retry_after(Duration::from_secs(u64::from(script.byte() % 30)));
    let mut session = Session::new(
        ClientCredentials::new("id", "secret"),
        config,
        u64::from(script.byte()),
    );
    let id: ArtistId = "4Z8W4fKeB5YxbusRsdQVPb".parse().expect("a valid ID");
    let mut calls: Vec<_> = (0..1 + script.byte() % 4)
        .map(|_| session.call(GetArtist::new(id)))
        .collect();
    let mut sends = vec![0u32; calls.len()];
    let mut done = vec![false; calls.len()];
    let mut now = Instant::from_secs(1);
    // Each call sends at most: token + retries, re-auth token + API + retries, per try.
    // Another call's 401 can empty the slot once per call.
    let budget = 4 * (retries + 2) + 4 + 2 * calls.len() as u32;
    for _ in 0..10_000 {
        if done.iter().all(|d| *d) {
            break;
        }
        let pick = usize::from(script.byte()) % calls.len();
        // Once the script is spent, drive the first unfinished call.
        let index = if script.data.is_empty() {
            done.iter().position(|d| !d).unwrap_or(0)
        } else {
            pick
        };
        if done[index] {
            continue;
        }
        if script.byte() % 8 == 0 {
            now = now + Duration::from_secs(u64::from(script.byte()));
        }
        match session.poll(&mut calls[index], now) {
            Step::Send(request) => {
                sends[index] += 1;
                assert!(
                    sends[index] <= budget,
                    "call {index} sent {} requests",
                    sends[index]
                );
                let token = request.url().ends_with("/api/token");
                assert!(
                    token
                        || request
                            .header("authorization")
                            .is_some_and(|a| a.starts_with("Bearer "))
                );
                let retry_after = [script.byte()];
                let retry_after = format!("{}", retry_after[0] % 40);
                let body: &[u8] = match (token, script.byte() % 4) {
                    (true, 0 | 1) => {
                        br#"{"access_token":"tok","token_type":"Bearer","expires_in":3600}"#
                    }
                    (true, 2) => br#"{"access_token":"tok","token_type":"Bearer","expires_in":1}"#,
                    (false, 0 | 1) => br#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"Radiohead"}"#,
                    (_, 2) => br#"{"error":{"status":401,"message":"The access token expired"}}"#,
                    _ => b"<html>oops",
                };
                let kind = script.byte() % 10;
                let status = match kind {
                    0..=3 => 200,
                    4 => 401,
                    5 => 429,
                    6 => 500 + u16::from(script.byte() % 4),
                    7 => 404,
                    _ => 400,
                };
                if kind == 9 {
                    let failure = match script.byte() % 3 {
                        0 => TransportFailure::Connect,
                        1 => TransportFailure::Timeout,
                        _ => TransportFailure::Interrupted,
                    };
                    session.handle_failure(&mut calls[index], failure, now);
                } else {
                    let response = Response::new(status, body)
                        .with_header("retry-after", retry_after.as_bytes());
                    session.handle_response(&mut calls[index], &response, now);
                }
            }
            Step::Wait(until) => {
                // Waiting for another call's token: let time pass to its deadline at most.
                now = now.max(until);
            }
            Step::Done(result) => {
                if let Ok(artist) = result {
                    assert_eq!(artist.name, "Radiohead");
                }
                done[index] = true;
                assert!(matches!(
                    session.poll(&mut calls[index], now),
                    Step::Done(Err(spotify_web_core::Error::Misuse { .. }))
                ));
            }
        }
    }
    assert!(done.iter().all(|d| *d), "a call did not finish: {done:?}");
}

/// Redirect URIs: whatever is accepted is https, or http to a loopback IP literal, and carries
/// no user information, no fragment, no whitespace.
pub(crate) fn parse_redirect_uri(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    match spotify_web_core::auth::RedirectUri::new(text) {
        Ok(uri) => {
            let lower = uri.as_str().to_ascii_lowercase();
            let rest = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"))
                .expect("an accepted redirect URI is http(s)");
            let authority = rest.split(['/', '?']).next().unwrap_or_default();
            assert!(!authority.is_empty() && !authority.contains('@'));
            assert!(!lower.contains('#') && lower.bytes().all(|b| b.is_ascii_graphic()));
            if lower.starts_with("http://") {
                assert!(
                    authority.starts_with("127.0.0.1") || authority.starts_with('['),
                    "{text}"
                );
            }
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

/// `Retry-After` and `Date` headers from the input: a 429 always becomes `RateLimited`, and a
/// session waits at most its cap or ends the call, never panicking on any value.
pub(crate) fn retry_after(data: &[u8]) {
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let (retry_after, date) = (&data[..split], data.get(split + 1..).unwrap_or_default());
    let response = Response::new(429, b"")
        .with_header("retry-after", retry_after)
        .with_header("date", date);
    let id: ArtistId = "4Z8W4fKeB5YxbusRsdQVPb".parse().expect("a valid ID");
    let error = GetArtist::new(id)
        .parse(&response)
        .expect_err("a 429 is an error");
    assert!(matches!(error, spotify_web_core::Error::RateLimited { .. }));
    assert!(!error.to_string().is_empty());
    let cap = Duration::from_secs(30);
    let mut session = Session::new(
        ClientCredentials::new("id", "secret"),
        Config::default().with_max_retry_after(cap),
        1,
    );
    let mut call = session.call(GetArtist::new(id));
    let now = Instant::from_secs(10);
    let Step::Send(_) = session.poll(&mut call, now) else {
        panic!("a token request first")
    };
    let token = br#"{"access_token":"tok","token_type":"Bearer","expires_in":3600}"#;
    session.handle_response(&mut call, &Response::new(200, token), now);
    let Step::Send(_) = session.poll(&mut call, now) else {
        panic!("the API request next")
    };
    session.handle_response(&mut call, &response, now);
    match session.poll(&mut call, now) {
        Step::Wait(until) => assert!(until.saturating_duration_since(now) <= cap),
        Step::Done(result) => {
            assert!(matches!(
                result,
                Err(spotify_web_core::Error::RateLimited { .. })
            ));
        }
        Step::Send(_) => panic!("a 429 is never retried at once"),
    }
}

/// A token store's file: whatever loads reloads the same, and an error never shows the
/// values the file holds.
pub(crate) fn stored_token(data: &[u8]) {
    match serde_json::from_slice::<StoredToken>(data) {
        Ok(stored) => {
            let text = serde_json::to_vec(&stored).expect("a stored token encodes");
            let again: StoredToken = serde_json::from_slice(&text).expect("and decodes");
            assert!(again == stored);
            // Debug does not depend on the tokens at all: it shows the same for other ones.
            let mut other = stored.clone();
            other.access_token = format!("{}-other", other.access_token);
            other.refresh_token = other.refresh_token.as_ref().map(|r| format!("{r}-other"));
            assert_eq!(format!("{stored:?}"), format!("{other:?}"));
        }
        Err(error) => assert!(error.line() >= 1 || error.is_eof()),
    }
}
