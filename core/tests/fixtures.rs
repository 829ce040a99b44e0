use core::time::Duration;

use spotify_web_core::Error;
use spotify_web_core::auth::AccessToken;
use spotify_web_core::endpoint::{Endpoint, GetArtist};
use spotify_web_core::error::{ApiError, AuthError};
use spotify_web_core::message::Response;
use spotify_web_core::model::{Artist, Image};
use spotify_web_core::time::Instant;

fn artist(id: &str, body: &[u8]) -> Artist {
    GetArtist::new(id.parse().unwrap())
        .parse(&Response::new(200, body))
        .unwrap()
}

#[test]
fn parses_the_tutorial_radiohead_answer_exactly() {
    let artist = artist("4Z8W4fKeB5YxbusRsdQVPb", fixture!("artist_radiohead"));
    assert_eq!(artist.id.as_str(), "4Z8W4fKeB5YxbusRsdQVPb");
    assert_eq!(artist.name, "Radiohead");
    assert_eq!(artist.popularity, Some(79));
    assert_eq!(artist.followers.and_then(|f| f.total), Some(7_625_607));
    assert_eq!(
        artist.genres,
        [
            "alternative rock",
            "art rock",
            "melancholia",
            "oxford indie",
            "permanent wave",
            "rock"
        ]
    );
    let images: Vec<(&str, Option<u32>, Option<u32>)> = artist
        .images
        .iter()
        .map(
            |Image {
                 url, height, width, ..
             }| (url.as_str(), *height, *width),
        )
        .collect();
    assert_eq!(
        images,
        [
            (
                "https://i.scdn.co/image/ab6761610000e5eba03696716c9ee605006047fd",
                Some(640),
                Some(640)
            ),
            (
                "https://i.scdn.co/image/ab67616100005174a03696716c9ee605006047fd",
                Some(320),
                Some(320)
            ),
            (
                "https://i.scdn.co/image/ab6761610000f178a03696716c9ee605006047fd",
                Some(160),
                Some(160)
            ),
        ]
    );
    assert_eq!(
        artist.external_urls.spotify.as_deref(),
        Some("https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb")
    );
    assert_eq!(
        artist.href.as_deref(),
        Some("https://api.spotify.com/v1/artists/4Z8W4fKeB5YxbusRsdQVPb")
    );
}

#[test]
#[allow(clippy::type_complexity, reason = "a table of cases reads best inline")]
fn parses_every_recorded_artist() {
    let cases: [(&str, &[u8], &str, Option<u64>, usize, usize); 4] = [
        (
            "0OdUWJ0sBjDrqHygGUXeCF",
            fixture!("artist_band_of_horses"),
            "Band of Horses",
            Some(306_565),
            2,
            4,
        ),
        (
            "0OdUWJ0sBjDrqHygGUXeCF",
            fixture!("artist_band_of_horses_rspotify"),
            "Band of Horses",
            Some(833_247),
            1,
            1,
        ),
        (
            "0TnOYISbd1XYRBk9myaseg",
            fixture!("artist_pitbull_2015"),
            "Pitbull",
            Some(2_265_279),
            0,
            4,
        ),
        (
            "0TnOYISbd1XYRBk9myaseg",
            fixture!("artist_pitbull_2024"),
            "Pitbull",
            Some(10_817_055),
            3,
            3,
        ),
    ];
    for (id, body, name, followers, genres, images) in cases {
        let artist = artist(id, body);
        assert_eq!(artist.name, name);
        assert_eq!(artist.id.as_str(), id);
        assert_eq!(artist.followers.and_then(|f| f.total), followers, "{name}");
        assert_eq!(artist.genres.len(), genres, "{name}");
        assert_eq!(artist.images.len(), images, "{name}");
    }
}

#[test]
fn recorded_artists_survive_a_serde_round_trip() {
    for body in [
        &fixture!("artist_radiohead")[..],
        fixture!("artist_pitbull_2015"),
        fixture!("artist_pitbull_2024"),
    ] {
        let artist: Artist = serde_json::from_slice(body).unwrap();
        let again: Artist = serde_json::from_str(&serde_json::to_string(&artist).unwrap()).unwrap();
        assert_eq!(again, artist);
    }
}

#[test]
fn parses_every_recorded_token() {
    let now = Instant::from_secs(50);
    let java = "taHZ2SdB-bPA3FsK3D7ZN5npZS47cMy-IEySVEGttOhXmqaVAIo0ESvTCLjLBifhHOHOIuhFUKPW1WMDP7w6dj3MAZdWT8CLI2MkZaXbYLTeoDvXesf2eeiLYPBGdx8tIwQJKgV8XdnzH_DONk";
    let cases: [(&[u8], &str, &[&str]); 4] = [
        (
            fixture!("token_client_credentials"),
            "BQDBKJ5eo5jxbtpWjVOj7ryS84khybFpP_lTqzV7uV-T_m0cTfwvdn5BnBSKPxKgEb11",
            &[],
        ),
        (fixture!("token_client_credentials_java"), java, &[]),
        (
            fixture!("token_authorization_code"),
            java,
            &["user-read-birthdate", "user-read-email"],
        ),
        (
            fixture!("token_refresh_pkce_rotated"),
            "9Cysa896KySJLrEcasloD1Gufy9iSq7Wa-K2SbSKwK3rXfizi4GwIS2RCrBmCMsKfkTDm82ez9m47WZ8egFCuRPs4BgEHw",
            &["user-follow-modify"],
        ),
    ];
    for (body, value, scopes) in cases {
        let token = AccessToken::from_response(&Response::new(200, body), now).unwrap();
        assert_eq!(token.expires_at(), now + Duration::from_secs(3600));
        assert_eq!(token.secret(), value);
        assert_eq!(token.scopes().collect::<Vec<_>>(), scopes);
    }
}

#[test]
fn reads_every_recorded_accounts_error() {
    let cases: [(&[u8], &str, Option<&str>); 6] = [
        (
            fixture!("error_auth_invalid_client_secret"),
            "invalid_client",
            Some("Invalid client secret"),
        ),
        (
            fixture!("error_auth_invalid_client_no_description"),
            "invalid_client",
            None,
        ),
        (
            fixture!("error_auth_refresh_token_revoked"),
            "invalid_grant",
            Some("Refresh token revoked"),
        ),
        (
            fixture!("error_auth_invalid_authorization_code"),
            "invalid_grant",
            Some("Invalid authorization code"),
        ),
        (
            fixture!("error_auth_invalid_redirect_uri"),
            "invalid_grant",
            Some("Invalid redirect URI"),
        ),
        (
            fixture!("error_auth_code_verifier_incorrect"),
            "invalid_grant",
            Some("code_verifier was incorrect"),
        ),
    ];
    for (body, error, description) in cases {
        let err = AccessToken::from_response(&Response::new(400, body), Instant::ZERO).unwrap_err();
        let Error::Auth(AuthError {
            status: 400,
            error: e,
            description: d,
            ..
        }) = &err
        else {
            panic!("expected an accounts error, got {err:?}")
        };
        assert_eq!((e.as_str(), d.as_deref()), (error, description));
    }
}

#[test]
#[allow(clippy::type_complexity, reason = "a table of cases reads best inline")]
fn reads_every_recorded_api_error() {
    let cases: [(u16, &[u8], Option<&str>, Option<&str>); 8] = [
        (
            400,
            fixture!("error_regular_400_bearer_only"),
            Some("Only valid bearer authentication supported"),
            None,
        ),
        (
            400,
            fixture!("error_regular_400_invalid_limit"),
            Some("Invalid limit"),
            None,
        ),
        (
            401,
            fixture!("error_regular_401_expired"),
            Some("The access token expired"),
            None,
        ),
        (403, fixture!("error_regular_403_status_only"), None, None),
        (
            403,
            fixture!("error_regular_403_premium_required"),
            Some("Player command failed: Premium required"),
            Some("PREMIUM_REQUIRED"),
        ),
        (
            404,
            fixture!("error_regular_404_resource_not_found"),
            Some("Resource not found"),
            None,
        ),
        (
            404,
            fixture!("error_legacy_beta_not_found"),
            Some("non existing id"),
            Some("not_found"),
        ),
        (
            500,
            br#"{"error":{"status":500,"message":"Server error."}}"#,
            Some("Server error."),
            None,
        ),
    ];
    let endpoint = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap());
    for (status, body, message, reason) in cases {
        let err = endpoint.parse(&Response::new(status, body)).unwrap_err();
        let Error::Api(ApiError {
            status: s,
            message: m,
            reason: r,
            ..
        }) = &err
        else {
            panic!("expected an API error, got {err:?}")
        };
        assert_eq!((*s, m.as_deref(), r.as_deref()), (status, message, reason));
    }
}

#[test]
fn a_429_is_rate_limited_with_or_without_body() {
    let endpoint = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap());
    for body in [&fixture!("error_regular_429")[..], b"", b"{}"] {
        let response = Response::new(429, body).with_header("retry-after", b"13749");
        assert_eq!(
            endpoint.parse(&response),
            Err(Error::RateLimited {
                retry_after: Some(Duration::from_secs(13749)),
                retry_at: None,
            })
        );
    }
}

#[test]
fn error_messages_never_contain_the_token() {
    let token =
        b"{\"access_token\":\"canary-token\",\"token_type\":\"Bearer\",\"expires_in\":\"x\"}";
    let err = AccessToken::from_response(&Response::new(200, token), Instant::ZERO).unwrap_err();
    assert!(!err.to_string().contains("canary"), "{err}");
    assert!(!format!("{err:?}").contains("canary"), "{err:?}");
}

#[test]
fn deeply_nested_or_huge_bodies_fail_cleanly_without_blowing_the_stack() {
    let endpoint = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap());
    let deep_array = "[".repeat(200_000);
    let deep_object = r#"{"a":"#.repeat(100_000);
    for body in [deep_array.as_bytes(), deep_object.as_bytes()] {
        let err = endpoint.parse(&Response::new(200, body)).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
        // The error-body reader and the page reader buffer untyped JSON: same limit.
        assert!(endpoint.parse(&Response::new(500, body)).is_err());
        let page: spotify_web_core::endpoint::NextPage<Artist> =
            spotify_web_core::endpoint::NextPage::new("https://api.spotify.com/v1/x");
        assert!(page.parse(&Response::new(200, body)).is_err());
        assert!(AccessToken::from_response(&Response::new(200, body), Instant::ZERO).is_err());
    }
    // Nesting inside an ignored field is refused too, not recursed into forever.
    let hidden = format!(
        r#"{{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"R","extra":{}}}"#,
        "[".repeat(100_000)
    );
    assert!(
        endpoint
            .parse(&Response::new(200, hidden.as_bytes()))
            .is_err()
    );
    // A huge but flat answer is read.
    let name = "x".repeat(16 * 1024 * 1024);
    let huge = format!(r#"{{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"{name}"}}"#);
    assert_eq!(
        endpoint
            .parse(&Response::new(200, huge.as_bytes()))
            .unwrap()
            .name
            .len(),
        name.len()
    );
}
