//! Properties over generated inputs: IDs, request building, token expiry.

use core::time::Duration;

use proptest::prelude::*;
use spotify_web_core::auth::AccessToken;
use spotify_web_core::endpoint::{
    Endpoint, GetAlbumTracks, GetArtistAlbums, GetTrack, Search, SearchQuery, SearchType,
};
use spotify_web_core::id::{AlbumId, ArtistId, TrackId};
use spotify_web_core::message::Response;
use spotify_web_core::time::Instant;
use spotify_web_core::url::BaseUrl;

/// 22 base-62 characters.
fn valid_id() -> impl Strategy<Value = String> {
    "[0-9A-Za-z]{22}"
}

/// Query values, as percent-decoding reads them back.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The decoded value of `key` in a URL's query.
fn query_value(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| decode(v))
    })
}

/// A URL holds only characters that belong in one: no spaces, no controls, no quotes.
fn clean_url(url: &str) -> bool {
    url.bytes().all(|b| {
        b.is_ascii_graphic()
            && !matches!(
                b,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn prop_valid_ids_round_trip_through_id_uri_and_link(raw in valid_id(), intl in "(intl-[a-z]{2}/)?", si in "(\\?si=[A-Za-z0-9_-]{0,16})?") {
        let id: ArtistId = raw.parse().unwrap();
        prop_assert_eq!(id.to_string(), raw.as_str());
        prop_assert_eq!(id.uri().parse::<ArtistId>().unwrap(), id);
        prop_assert_eq!(id.url().parse::<ArtistId>().unwrap(), id);
        let link = format!("https://open.spotify.com/{intl}artist/{raw}{si}");
        prop_assert_eq!(link.parse::<ArtistId>().unwrap(), id);
        // The same characters as another kind are that kind, never this one.
        let track_uri = format!("spotify:track:{raw}");
        prop_assert!(track_uri.parse::<ArtistId>().is_err());
        let track: TrackId = raw.parse().unwrap();
        prop_assert_eq!(track.to_string(), raw);
    }

    #[test]
    fn prop_anything_that_is_not_an_id_is_refused(text in "\\PC{0,40}") {
        let valid = text.trim().len() == 22 && text.trim().bytes().all(|b| b.is_ascii_alphanumeric());
        let is_form = text.contains(':') || text.contains("open.spotify.com");
        if !valid && !is_form {
            prop_assert!(text.parse::<ArtistId>().is_err());
        }
        if let Ok(id) = text.parse::<ArtistId>() {
            prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
            prop_assert_eq!(id.as_str().len(), 22);
        }
    }

    #[test]
    fn prop_ids_cannot_change_the_path(raw in valid_id()) {
        let request = GetArtistAlbums::new(raw.parse().unwrap()).request(&BaseUrl::spotify_api());
        let expected = format!("https://api.spotify.com/v1/artists/{raw}/albums");
        prop_assert_eq!(request.url(), expected.as_str());
        let album: AlbumId = raw.parse().unwrap();
        prop_assert!(GetAlbumTracks::new(album).request(&BaseUrl::spotify_api()).url().starts_with("https://api.spotify.com/v1/albums/"));
    }

    #[test]
    fn prop_query_values_are_encoded_and_read_back(market in "\\PC{0,24}", q in "\\PC{1,40}", limit in any::<u32>(), offset in any::<u32>()) {
        prop_assume!(!q.trim().is_empty());
        let search = Search::new(SearchQuery::new(&q), [SearchType::Track]).unwrap().market(market.clone()).limit(limit).offset(offset);
        let request = search.request(&BaseUrl::spotify_api());
        let url = request.url();
        prop_assert!(url.starts_with("https://api.spotify.com/v1/search?"));
        prop_assert!(clean_url(url), "{}", url);
        prop_assert_eq!(query_value(url, "q"), Some(q.trim().to_owned()));
        prop_assert_eq!(query_value(url, "market"), Some(market));
        prop_assert_eq!(query_value(url, "limit"), Some(limit.to_string()));
        prop_assert_eq!(query_value(url, "offset"), Some(offset.to_string()));
        prop_assert_eq!(query_value(url, "type"), Some("track".to_owned()));
        for (name, value) in request.headers() {
            prop_assert!(!value.contains(['\r', '\n']), "{}: {}", name, value);
        }
        let track = GetTrack::new("6rqhFgbbKwnb9MLmUQDhG6".parse().unwrap()).market(q);
        let url = track.request(&BaseUrl::spotify_api()).url().to_owned();
        prop_assert!(url.starts_with("https://api.spotify.com/v1/tracks/6rqhFgbbKwnb9MLmUQDhG6?market="));
        prop_assert!(clean_url(&url));
    }

    #[test]
    fn prop_token_answers_never_put_a_line_break_in_a_header(token in "\\PC{0,40}|[a-z]{1,5}\r\n[a-z]{1,5}") {
        let body = serde_json::json!({"access_token": token, "token_type": "Bearer", "expires_in": 60}).to_string();
        if let Ok(parsed) = AccessToken::from_response(&Response::new(200, body.as_bytes()), Instant::ZERO) {
            let request = parsed.authorize(GetTrack::new("6rqhFgbbKwnb9MLmUQDhG6".parse().unwrap()).request(&BaseUrl::spotify_api()));
            let header = request.header("authorization").unwrap();
            prop_assert!(header.bytes().all(|b| b.is_ascii_graphic() || b == b' '), "{:?}", header);
        }
    }

    #[test]
    fn prop_token_expiry_never_overflows(now in any::<u64>(), nanos in 0u32..1_000_000_000, expires_in in any::<u64>()) {
        let now = Instant::from_duration(Duration::new(now, nanos));
        let body = format!(r#"{{"access_token":"t","token_type":"Bearer","expires_in":{expires_in}}}"#);
        let token = AccessToken::from_response(&Response::new(200, body.as_bytes()), now).unwrap();
        prop_assert!(token.expires_at() >= now);
        prop_assert_eq!(token.expires_at().saturating_duration_since(now), now.as_duration().checked_add(Duration::from_secs(expires_in)).map_or(Duration::MAX - now.as_duration(), |_| Duration::from_secs(expires_in)));
        let _ = token.is_fresh(now, Duration::MAX);
    }
}
