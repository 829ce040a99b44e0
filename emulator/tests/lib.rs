//! The emulator checked over real sockets with a plain HTTP/1.1 client written here, so that
//! nothing of the client library is involved.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;
use spotify_web_emulator::{
    DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USERS, Emulator, Fault, Route, Target,
};

const RADIOHEAD: &str = "4Z8W4fKeB5YxbusRsdQVPb";

/// What came back: status, headers (lowercase names) and body.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
}

/// Sends one request on a fresh connection and reads the whole answer. An answer shorter than
/// its `Content-Length`, or none at all, is an error.
fn send(
    emulator: &Emulator,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Reply> {
    let address = emulator.url().trim_start_matches("http://");
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "no complete head"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    let reply = Reply {
        status,
        headers,
        body,
    };
    if let Some(length) = reply
        .header("content-length")
        .and_then(|l| l.parse::<usize>().ok())
    {
        if reply.body.len() < length {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("body cut at {} of {length}", reply.body.len()),
            ));
        }
    }
    Ok(reply)
}

fn post_form(emulator: &Emulator, form: &str, headers: &[(&str, &str)]) -> Reply {
    let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    send(emulator, "POST", "/api/token", &all, form.as_bytes()).unwrap()
}

fn token(emulator: &Emulator) -> String {
    let form = format!(
        "grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}"
    );
    let reply = post_form(emulator, &form, &[]);
    assert_eq!(
        reply.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()["access_token"].as_str().unwrap().to_owned()
}

fn get(emulator: &Emulator, token: &str, path: &str) -> Reply {
    let bearer = format!("Bearer {token}");
    send(emulator, "GET", path, &[("Authorization", &bearer)], b"").unwrap()
}

fn basic(id: &str, secret: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{id}:{secret}").into_bytes();
    let mut out = String::from("Basic ");
    for chunk in input.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63])
            } else {
                '='
            });
        }
    }
    out
}

#[test]
fn starts_on_loopback_and_stops_on_drop() {
    let emulator = Emulator::start().unwrap();
    let address = emulator.url().trim_start_matches("http://").to_owned();
    assert!(address.starts_with("127.0.0.1:"));
    assert!(TcpStream::connect(&address).is_ok());
    drop(emulator);
    assert!(
        TcpStream::connect(&address).is_err(),
        "still listening after drop"
    );
}

#[test]
fn issues_tokens_for_credentials_in_the_body_or_as_basic() {
    let emulator = Emulator::start().unwrap();
    let reply = post_form(
        &emulator,
        &format!(
            "grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}"
        ),
        &[],
    );
    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["access_token"].as_str().is_some_and(|t| t.len() > 20));
    let reply = post_form(
        &emulator,
        "grant_type=client_credentials",
        &[("Authorization", &basic(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET))],
    );
    assert_eq!(reply.status, 200);
    assert_ne!(reply.json()["access_token"], body["access_token"]);
    assert_eq!(emulator.requests(Route::Token), 2);
    assert_eq!(emulator.tokens_issued(), 2);
}

#[test]
fn refuses_bad_token_requests_as_spotify_does() {
    let emulator = Emulator::start().unwrap();
    let cases = [
        (
            format!("grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret=wrong"),
            "invalid_client",
            "Invalid client secret",
        ),
        (
            "grant_type=client_credentials&client_id=nobody&client_secret=x".to_owned(),
            "invalid_client",
            "Invalid client",
        ),
        (
            "grant_type=client_credentials".to_owned(),
            "invalid_client",
            "Invalid client",
        ),
        (
            format!("client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}"),
            "unsupported_grant_type",
            "grant_type parameter is missing",
        ),
    ];
    for (form, error, description) in cases {
        let reply = post_form(&emulator, &form, &[]);
        assert_eq!(reply.status, 400, "{form}");
        assert_eq!(
            reply.json(),
            serde_json::json!({"error": error, "error_description": description}),
            "{form}"
        );
    }
    let reply = post_form(
        &emulator,
        "grant_type=client_credentials",
        &[("Authorization", &basic(DEMO_CLIENT_ID, "nope"))],
    );
    assert_eq!(reply.json()["error_description"], "Invalid client secret");
    // A JSON body is not a form: Spotify answers as if the grant type were missing.
    let reply = send(
        &emulator,
        "POST",
        "/api/token",
        &[("Content-Type", "application/json")],
        br#"{"grant_type":"client_credentials"}"#,
    )
    .unwrap();
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"], "unsupported_grant_type");
    assert_eq!(emulator.tokens_issued(), 0);
}

#[test]
fn serves_the_tutorial_artist_with_a_token() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let reply = get(&emulator, &token, &format!("/v1/artists/{RADIOHEAD}"));
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json"))
    );
    let artist = reply.json();
    assert_eq!(artist["name"], "Radiohead");
    assert_eq!(artist["followers"]["total"], 7_625_607);
    assert_eq!(artist["popularity"], 79);
    assert_eq!(artist["genres"].as_array().unwrap().len(), 6);
    assert_eq!(emulator.requests(Route::Artist), 1);
    assert_eq!(emulator.api_requests(), 1);
}

#[test]
fn checks_bearer_tokens_on_every_api_request() {
    let emulator = Emulator::builder()
        .token_lifetime(Duration::from_secs(2))
        .start()
        .unwrap();
    let path = format!("/v1/artists/{RADIOHEAD}");
    let reply = send(&emulator, "GET", &path, &[], b"").unwrap();
    assert_eq!(
        (reply.status, reply.json()["error"]["message"].clone()),
        (401, "No token provided".into())
    );
    let reply = get(&emulator, "not-a-token", &path);
    assert_eq!(
        (reply.status, reply.json()["error"]["message"].clone()),
        (401, "Invalid access token".into())
    );
    let reply = send(
        &emulator,
        "GET",
        &path,
        &[("Authorization", "Basic abc")],
        b"",
    )
    .unwrap();
    assert_eq!(reply.status, 400);
    let token = token(&emulator);
    assert_eq!(get(&emulator, &token, &path).status, 200);
    std::thread::sleep(Duration::from_millis(2200));
    let reply = get(&emulator, &token, &path);
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.json(),
        serde_json::json!({"error": {"status": 401, "message": "The access token expired"}})
    );
    assert!(
        reply
            .header("www-authenticate")
            .is_some_and(|h| h.contains("invalid_token"))
    );
}

#[test]
fn expire_tokens_invalidates_issued_tokens_at_once() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let path = format!("/v1/artists/{RADIOHEAD}");
    assert_eq!(get(&emulator, &token, &path).status, 200);
    emulator.expire_tokens();
    assert_eq!(get(&emulator, &token, &path).status, 401);
    assert_eq!(get(&emulator, &self::token(&emulator), &path).status, 200);
}

#[test]
fn answers_unknown_and_invalid_ids_with_regular_errors() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let reply = get(&emulator, &token, "/v1/artists/0000000000000000000000");
    assert_eq!(
        reply.json(),
        serde_json::json!({"error": {"status": 404, "message": "Resource not found"}})
    );
    assert_eq!(reply.status, 404);
    for path in [
        "/v1/artists/abc",
        "/v1/tracks/4Z8W4fKeB5YxbusRsdQVP!",
        "/v1/albums/%2E%2E",
    ] {
        let reply = get(&emulator, &token, path);
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(reply.json()["error"]["message"], "invalid id");
    }
    assert_eq!(get(&emulator, &token, "/v1/nothing-here").status, 404);
}

#[test]
fn multi_get_keeps_order_and_answers_null_for_unknown_ids() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let reply = get(
        &emulator,
        &token,
        &format!("/v1/artists?ids={RADIOHEAD},0000000000000000000000,0OdUWJ0sBjDrqHygGUXeCF"),
    );
    let artists = reply.json()["artists"].as_array().unwrap().clone();
    assert_eq!(artists.len(), 3);
    assert_eq!(artists[0]["name"], "Radiohead");
    assert!(artists[1].is_null());
    assert_eq!(artists[2]["name"], "Band of Horses");
    let too_many = vec![RADIOHEAD; 51].join(",");
    assert_eq!(
        get(&emulator, &token, &format!("/v1/artists?ids={too_many}")).status,
        400
    );
    let albums = get(
        &emulator,
        &token,
        "/v1/albums?ids=2noRn2Aes5aoNVsU6iWThc,1A2GTWGtFfWp7KSQTwWOyo",
    )
    .json();
    assert_eq!(albums["albums"][0]["name"], "Discovery");
    assert_eq!(albums["albums"][1]["tracks"]["total"], 10);
    let tracks = get(
        &emulator,
        &token,
        "/v1/tracks?ids=3n3Ppam7vgaVa1iaRUc9Lp,0000000000000000000000",
    )
    .json();
    assert_eq!(tracks["tracks"][0]["name"], "Mr. Brightside");
    assert!(tracks["tracks"][1].is_null());
    assert_eq!(emulator.requests(Route::SeveralArtists), 2);
}

#[test]
fn pages_artist_albums_with_next_and_previous_links() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let pitbull = "0TnOYISbd1XYRBk9myaseg";
    let first = get(
        &emulator,
        &token,
        &format!("/v1/artists/{pitbull}/albums?limit=2"),
    )
    .json();
    let total = first["total"].as_u64().unwrap();
    assert!(total > 2, "{first}");
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    assert!(first["previous"].is_null());
    let next = first["next"].as_str().unwrap();
    assert!(
        next.starts_with(&format!(
            "{}/v1/artists/{pitbull}/albums?offset=2&limit=2",
            emulator.url()
        )),
        "{next}"
    );
    let second = get(&emulator, &token, next.trim_start_matches(emulator.url())).json();
    assert_eq!(second["offset"], 2);
    assert!(second["previous"].as_str().unwrap().contains("offset=0"));
    assert_ne!(second["items"][0]["id"], first["items"][0]["id"]);
    assert!(second["items"][0]["album_group"].is_string());
    let singles = get(
        &emulator,
        &token,
        &format!("/v1/artists/{pitbull}/albums?include_groups=single"),
    )
    .json();
    assert!(
        singles["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["album_group"] == "single")
    );
    assert_eq!(
        get(
            &emulator,
            &token,
            &format!("/v1/artists/{pitbull}/albums?include_groups=bogus")
        )
        .status,
        400
    );
}

#[test]
fn serves_top_tracks_albums_album_tracks_and_tracks() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let top = get(
        &emulator,
        &token,
        "/v1/artists/0TnOYISbd1XYRBk9myaseg/top-tracks?market=US",
    )
    .json();
    let tracks = top["tracks"].as_array().unwrap();
    assert!(!tracks.is_empty() && tracks.len() <= 10);
    assert!(tracks.iter().all(|t| {
        t["artists"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == "Pitbull")
    }));
    let album = get(&emulator, &token, "/v1/albums/2noRn2Aes5aoNVsU6iWThc").json();
    assert_eq!(album["name"], "Discovery");
    assert_eq!(album["tracks"]["items"].as_array().unwrap().len(), 14);
    let page = get(
        &emulator,
        &token,
        "/v1/albums/2noRn2Aes5aoNVsU6iWThc/tracks?limit=5&offset=10",
    )
    .json();
    assert_eq!(page["items"].as_array().unwrap().len(), 4);
    assert_eq!(page["total"], 14);
    assert!(page["next"].is_null());
    let track = get(&emulator, &token, "/v1/tracks/3n3Ppam7vgaVa1iaRUc9Lp").json();
    assert_eq!(track["album"]["name"], "Hot Fuss (Deluxe Version)");
}

#[test]
fn searches_with_field_filters_types_and_paging() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let search = |q: &str| get(&emulator, &token, &format!("/v1/search?{q}"));
    let found = search("q=artist%3Aradiohead&type=artist").json();
    assert_eq!(found["artists"]["items"][0]["name"], "Radiohead");
    assert_eq!(found["artists"]["total"], 1);
    let found = search("q=muse&type=artist,track&limit=3").json();
    assert_eq!(found["artists"]["items"].as_array().unwrap().len(), 3);
    assert!(found["artists"]["total"].as_u64().unwrap() > 3);
    assert!(
        found["artists"]["next"]
            .as_str()
            .unwrap()
            .contains("query=muse")
    );
    assert!(found["tracks"]["total"].as_u64().unwrap() >= 7);
    // Spotify's own links spell the query `query=`, and it takes them back.
    let next = found["artists"]["next"]
        .as_str()
        .unwrap()
        .trim_start_matches(emulator.url())
        .to_owned();
    let page = get(&emulator, &token, &next).json();
    assert_eq!(page["artists"]["offset"], 3);
    let found = search("q=track%3Ahysteria%20artist%3Amuse&type=track").json();
    assert_eq!(found["tracks"]["items"][0]["name"], "Hysteria");
    let found = search("q=year%3A2001-2001%20artist%3A%22daft%20punk%22&type=album").json();
    assert_eq!(found["albums"]["items"][0]["name"], "Discovery");
    assert_eq!(found["albums"]["total"], 1);
    let found = search("q=muse&type=playlist").json();
    assert_eq!(found["playlists"]["total"], 0);
    for (query, message) in [
        ("type=artist", "No search query"),
        ("q=muse", "Missing parameter type"),
        ("q=muse&type=band", "Bad search type field"),
        ("q=muse&type=artist&limit=51", "Invalid limit"),
        ("q=muse&type=artist&limit=0", "Invalid limit"),
        ("q=muse&type=artist&offset=1001", "Invalid offset"),
    ] {
        let reply = search(query);
        assert_eq!(
            (reply.status, reply.json()["error"]["message"].clone()),
            (400, message.into()),
            "{query}"
        );
    }
}

#[test]
fn bad_paging_values_get_spotifys_400_never_a_crash() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    for query in [
        "offset=-1",
        "offset=99999999999",
        "limit=-5",
        "offset=1.5",
        "limit=x",
    ] {
        let reply = get(
            &emulator,
            &token,
            &format!("/v1/albums/2noRn2Aes5aoNVsU6iWThc/tracks?{query}"),
        );
        assert_eq!(reply.status, 400, "{query}");
    }
    // The server is still there.
    assert_eq!(
        get(
            &emulator,
            &token,
            "/v1/albums/2noRn2Aes5aoNVsU6iWThc/tracks"
        )
        .status,
        200
    );
}

#[test]
fn limit_cap_is_configurable() {
    let emulator = Emulator::builder().limit_cap(10).start().unwrap();
    let token = token(&emulator);
    assert_eq!(
        get(&emulator, &token, "/v1/search?q=muse&type=artist&limit=10").status,
        200
    );
    let reply = get(&emulator, &token, "/v1/search?q=muse&type=artist&limit=11");
    assert_eq!(
        reply.json(),
        serde_json::json!({"error": {"status": 400, "message": "Invalid limit"}})
    );
    assert_eq!(
        get(
            &emulator,
            &token,
            "/v1/artists/0TnOYISbd1XYRBk9myaseg/albums?limit=11"
        )
        .status,
        400
    );
}

#[test]
fn development_mode_drops_followers_and_popularity() {
    let emulator = Emulator::builder().development_mode(true).start().unwrap();
    let token = token(&emulator);
    let artist = get(&emulator, &token, &format!("/v1/artists/{RADIOHEAD}")).json();
    assert_eq!(artist["name"], "Radiohead");
    assert!(
        artist.get("followers").is_none() && artist.get("popularity").is_none(),
        "{artist}"
    );
    let track = get(&emulator, &token, "/v1/tracks/3n3Ppam7vgaVa1iaRUc9Lp").json();
    assert!(track.get("popularity").is_none() && track.get("external_ids").is_none());
    emulator.set_development_mode(false);
    let artist = get(&emulator, &token, &format!("/v1/artists/{RADIOHEAD}")).json();
    assert_eq!(artist["popularity"], 79);
}

#[test]
fn rate_limit_fault_answers_429_with_retry_after_then_recovers() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    emulator.inject(
        Target::Api,
        Fault::RateLimit {
            retry_after: Some(2),
        },
        2,
    );
    let path = format!("/v1/artists/{RADIOHEAD}");
    for _ in 0..2 {
        let reply = get(&emulator, &token, &path);
        assert_eq!(reply.status, 429);
        assert_eq!(reply.header("retry-after"), Some("2"));
        assert_eq!(reply.json()["error"]["message"], "API rate limit exceeded");
    }
    assert_eq!(get(&emulator, &token, &path).status, 200);
    emulator.inject(Target::Api, Fault::RateLimit { retry_after: None }, 1);
    assert_eq!(get(&emulator, &token, &path).header("retry-after"), None);
}

#[test]
fn server_error_faults_have_spotify_bodies() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    for status in [500, 502, 503] {
        emulator.inject(Target::Api, Fault::ServerError { status }, 1);
    }
    let path = format!("/v1/artists/{RADIOHEAD}");
    let replies: Vec<Reply> = (0..3).map(|_| get(&emulator, &token, &path)).collect();
    assert_eq!(
        replies.iter().map(|r| r.status).collect::<Vec<_>>(),
        [500, 502, 503]
    );
    assert_eq!(replies[0].json()["error"]["status"], 500);
    assert!(String::from_utf8_lossy(&replies[1].body).contains("<html>"));
    assert!(replies[2].body.is_empty());
    assert_eq!(get(&emulator, &token, &path).status, 200);
}

#[test]
fn token_faults_apply_to_token_requests_only() {
    let emulator = Emulator::start().unwrap();
    let good = token(&emulator);
    emulator.inject(Target::Token, Fault::ServerError { status: 503 }, 1);
    assert_eq!(
        get(&emulator, &good, &format!("/v1/artists/{RADIOHEAD}")).status,
        200
    );
    let form = format!(
        "grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}"
    );
    assert_eq!(post_form(&emulator, &form, &[]).status, 503);
    assert_eq!(post_form(&emulator, &form, &[]).status, 200);
}

#[test]
fn delay_fault_slows_the_answer() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    emulator.inject(Target::Api, Fault::Delay(Duration::from_millis(300)), 1);
    let started = Instant::now();
    assert_eq!(
        get(&emulator, &token, &format!("/v1/artists/{RADIOHEAD}")).status,
        200
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn truncated_malformed_and_dropped_answers() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let path = format!("/v1/artists/{RADIOHEAD}");
    let bearer = format!("Bearer {token}");
    emulator.inject(Target::Api, Fault::TruncatedBody, 1);
    let err = send(&emulator, "GET", &path, &[("Authorization", &bearer)], b"").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof, "{err}");
    emulator.inject(Target::Api, Fault::MalformedJson, 1);
    let reply = get(&emulator, &token, &path);
    assert_eq!(reply.status, 200);
    assert!(serde_json::from_slice::<Value>(&reply.body).is_err());
    emulator.inject(Target::Api, Fault::DropConnection, 1);
    assert!(send(&emulator, "GET", &path, &[("Authorization", &bearer)], b"").is_err());
    assert_eq!(get(&emulator, &token, &path).status, 200);
    assert_eq!(emulator.requests(Route::Artist), 4);
    emulator.inject(Target::Api, Fault::DropConnection, 5);
    emulator.clear_faults();
    assert_eq!(get(&emulator, &token, &path).status, 200);
}

#[test]
fn counts_requests_per_route_and_resets() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    get(&emulator, &token, &format!("/v1/artists/{RADIOHEAD}"));
    get(&emulator, &token, "/v1/search?q=muse&type=artist");
    get(&emulator, &token, "/v1/search?q=muse&type=track");
    assert_eq!(emulator.requests(Route::Token), 1);
    assert_eq!(emulator.requests(Route::Artist), 1);
    assert_eq!(emulator.requests(Route::Search), 2);
    assert_eq!(emulator.api_requests(), 3);
    emulator.reset_counters();
    assert_eq!(emulator.api_requests(), 0);
    assert_eq!(emulator.requests(Route::Token), 0);
}

#[test]
fn keeps_connections_alive_between_requests() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let address = emulator.url().trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    for _ in 0..3 {
        let request = format!(
            "GET /v1/artists/{RADIOHEAD} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut buffer = vec![0; 64 * 1024];
        let mut read = 0;
        // Read until the whole body announced by Content-Length is in.
        loop {
            read += stream.read(&mut buffer[read..]).unwrap();
            let text = String::from_utf8_lossy(&buffer[..read]);
            if let Some(end) = text.find("\r\n\r\n") {
                let length: usize = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap();
                if read >= end + 4 + length {
                    assert!(text.starts_with("HTTP/1.1 200"));
                    break;
                }
            }
        }
    }
}

mod user_authorization {
    use super::*;

    const REDIRECT: &str = "http://127.0.0.1:9/callback";
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    /// Follows `/authorize` to the redirect and returns its query parameters.
    fn authorize(emulator: &Emulator, extra: &str) -> Vec<(String, String)> {
        let path = format!(
            "/authorize?client_id={DEMO_CLIENT_ID}&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&state=st8&scope=user-read-private{extra}"
        );
        let reply = send(emulator, "GET", &path, &[], b"").unwrap();
        assert_eq!(
            reply.status,
            303,
            "{:?}",
            String::from_utf8_lossy(&reply.body)
        );
        let location = reply.header("location").unwrap().to_owned();
        let query = location
            .strip_prefix(&format!("{REDIRECT}?"))
            .unwrap_or_else(|| panic!("{location}"));
        query
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect()
    }

    fn code(params: &[(String, String)]) -> String {
        params
            .iter()
            .find(|(k, _)| k == "code")
            .map(|(_, v)| v.clone())
            .unwrap()
    }

    #[test]
    fn approves_at_once_and_sends_back_code_and_state() {
        let emulator = Emulator::start().unwrap();
        let params = authorize(&emulator, "");
        assert!(code(&params).starts_with("AQ"));
        assert!(params.contains(&("state".into(), "st8".into())));
        assert_eq!(emulator.requests(Route::Authorize), 1);
        emulator.set_user_refuses(true);
        let params = authorize(&emulator, "");
        assert_eq!(
            params,
            [
                ("error".into(), "access_denied".into()),
                ("state".into(), "st8".into())
            ]
        );
    }

    #[test]
    fn the_sign_in_page_lets_a_person_pick_either_demo_user() {
        let emulator = Emulator::builder().sign_in_page(true).start().unwrap();
        let query = format!(
            "client_id={DEMO_CLIENT_ID}&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&state=st8&scope=user-read-private"
        );
        let page = send(&emulator, "GET", &format!("/authorize?{query}"), &[], b"").unwrap();
        assert_eq!(page.status, 200);
        assert!(
            page.header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        let html = String::from_utf8_lossy(&page.body).into_owned();
        for (id, name) in DEMO_USERS {
            assert!(
                html.contains(name) && html.contains(&format!("account-{id}")),
                "{html}"
            );
        }
        // The query travels in the form, escaped for its attribute.
        assert!(html.contains("&amp;response_type=code"), "{html}");
        assert_eq!(
            emulator.tokens_issued(),
            0,
            "showing the page issues nothing"
        );
        // An unknown client is refused on the page, never redirected.
        let refused = send(&emulator, "GET", "/authorize?client_id=nope&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback", &[], b"").unwrap();
        assert_eq!(refused.status, 400);
        // Agreeing as the second user: back to the app with a code for that user.
        let form = format!(
            "account=1&query={}",
            form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
        );
        let back = send(
            &emulator,
            "POST",
            "/authorize",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            form.as_bytes(),
        )
        .unwrap();
        assert_eq!(back.status, 303);
        let location = back.header("location").unwrap();
        assert!(location.contains("state=st8"), "{location}");
        let code = location
            .split("code=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        let exchange = format!(
            "grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback"
        );
        let auth = basic(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
        let body = post_form(&emulator, &exchange, &[("Authorization", &auth)]).json();
        let token = body["access_token"].as_str().unwrap();
        let me = get(&emulator, token, "/v1/me").json();
        assert_eq!(me["id"], DEMO_USERS[1].0);
        assert_eq!(me["display_name"], DEMO_USERS[1].1);
        // Its refresh keeps the user.
        let refresh = body["refresh_token"].as_str().unwrap();
        let renewed = post_form(
            &emulator,
            &format!("grant_type=refresh_token&refresh_token={refresh}"),
            &[("Authorization", &auth)],
        )
        .json();
        let me = get(
            &emulator,
            renewed["access_token"].as_str().unwrap(),
            "/v1/me",
        )
        .json();
        assert_eq!(me["display_name"], DEMO_USERS[1].1);
        // A choice that is no demo user is a bad request.
        let bad = send(
            &emulator,
            "POST",
            "/authorize",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            b"account=7&query=x",
        )
        .unwrap();
        assert_eq!(bad.status, 400);
    }

    #[test]
    fn exchanges_a_code_once_with_the_secret_and_the_same_redirect() {
        let emulator = Emulator::start().unwrap();
        let code = code(&authorize(&emulator, ""));
        let form = format!(
            "grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback"
        );
        let auth = basic(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
        let reply = post_form(&emulator, &form, &[("Authorization", &auth)]);
        assert_eq!(reply.status, 200);
        let body = reply.json();
        assert_eq!(body["scope"], "user-read-private");
        assert!(body["refresh_token"].as_str().is_some());
        let token = body["access_token"].as_str().unwrap().to_owned();
        // The code and the refresh token are not access tokens.
        assert_eq!(emulator.tokens_issued(), 1);
        let me = get(&emulator, &token, "/v1/me").json();
        assert_eq!(me["id"], "emulator-user");
        // Reused: refused as Spotify does.
        let again = post_form(&emulator, &form, &[("Authorization", &auth)]);
        assert_eq!(
            again.json(),
            serde_json::json!({"error": "invalid_grant", "error_description": "Invalid authorization code"})
        );
        // Another redirect URI: refused.
        let code = self::code(&authorize(&emulator, ""));
        let form = format!(
            "grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fother"
        );
        let reply = post_form(&emulator, &form, &[("Authorization", &auth)]);
        assert_eq!(reply.json()["error_description"], "Invalid redirect URI");
        // An app token is not a user token.
        let app = super::token(&emulator);
        assert_eq!(get(&emulator, &app, "/v1/me").status, 401);
    }

    #[test]
    fn checks_the_pkce_verifier_against_the_challenge() {
        let emulator = Emulator::start().unwrap();
        let pkce = format!("&code_challenge_method=S256&code_challenge={CHALLENGE}");
        let exchange = |code: &str, verifier: Option<&str>| {
            let mut form = format!(
                "grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&client_id={DEMO_CLIENT_ID}"
            );
            if let Some(verifier) = verifier {
                form.push_str(&format!("&code_verifier={verifier}"));
            }
            post_form(&emulator, &form, &[])
        };
        let wrong = exchange(&code(&authorize(&emulator, &pkce)), Some(&"x".repeat(43)));
        assert_eq!(
            wrong.json()["error_description"],
            "code_verifier was incorrect"
        );
        let missing = exchange(&code(&authorize(&emulator, &pkce)), None);
        assert_eq!(
            missing.json()["error_description"],
            "code_verifier required"
        );
        let right = exchange(&code(&authorize(&emulator, &pkce)), Some(VERIFIER));
        assert_eq!(right.status, 200, "{:?}", right.json());
        // Without a challenge and without a secret, the client is not authenticated.
        let bare = exchange(&code(&authorize(&emulator, "")), None);
        assert_eq!(bare.json()["error"], "invalid_client");
    }

    #[test]
    fn refreshes_rotating_pkce_tokens_and_keeping_confidential_ones() {
        let emulator = Emulator::start().unwrap();
        let pkce = format!("&code_challenge_method=S256&code_challenge={CHALLENGE}");
        let form = format!(
            "grant_type=authorization_code&code={}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&client_id={DEMO_CLIENT_ID}&code_verifier={VERIFIER}",
            code(&authorize(&emulator, &pkce))
        );
        let first = post_form(&emulator, &form, &[]).json();
        let refresh = |token: &str| {
            post_form(
                &emulator,
                &format!(
                    "grant_type=refresh_token&refresh_token={token}&client_id={DEMO_CLIENT_ID}"
                ),
                &[],
            )
        };
        let second = refresh(first["refresh_token"].as_str().unwrap()).json();
        let rotated = second["refresh_token"].as_str().unwrap();
        assert_ne!(rotated, first["refresh_token"].as_str().unwrap());
        // The old one was revoked by the rotation.
        let old = refresh(first["refresh_token"].as_str().unwrap()).json();
        assert_eq!(old["error_description"], "Refresh token revoked");
        assert_eq!(refresh(rotated).status, 200);
        // An app with a secret keeps its refresh token: the answer has none.
        let auth = basic(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
        let form = format!(
            "grant_type=authorization_code&code={}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback",
            code(&authorize(&emulator, ""))
        );
        let confidential = post_form(&emulator, &form, &[("Authorization", &auth)]).json();
        let kept = confidential["refresh_token"].as_str().unwrap();
        let form = format!("grant_type=refresh_token&refresh_token={kept}");
        let renewed = post_form(&emulator, &form, &[("Authorization", &auth)]).json();
        assert!(
            renewed["access_token"].is_string() && renewed.get("refresh_token").is_none(),
            "{renewed}"
        );
        emulator.revoke_refresh_tokens();
        let revoked = post_form(&emulator, &form, &[("Authorization", &auth)]).json();
        assert_eq!(revoked["error_description"], "Refresh token revoked");
        assert_eq!(
            refresh("nope").json()["error_description"],
            "Invalid refresh token"
        );
    }

    #[test]
    fn refuses_bad_authorize_requests() {
        let emulator = Emulator::start().unwrap();
        let reply = send(
            &emulator,
            "GET",
            "/authorize?client_id=nobody&response_type=code&redirect_uri=x",
            &[],
            b"",
        )
        .unwrap();
        assert_eq!(reply.status, 400);
        let params = authorize(&emulator, "&code_challenge_method=plain&code_challenge=abc");
        assert_eq!(params[0], ("error".into(), "invalid_request".into()));
    }

    /// Exchanges a code for a user's token, with the secret.
    fn user_token(emulator: &Emulator, extra: &str) -> String {
        let code = code(&authorize(emulator, extra));
        let form = format!(
            "grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback"
        );
        let auth = basic(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
        let reply = post_form(emulator, &form, &[("Authorization", &auth)]);
        reply.json()["access_token"].as_str().unwrap().to_owned()
    }

    #[test]
    fn scopes_decide_what_me_shows_and_what_a_user_may_do() {
        let emulator = Emulator::start().unwrap();
        // user-read-private only: country and product, no email.
        let token = user_token(&emulator, "");
        let me = get(&emulator, &token, "/v1/me").json();
        assert_eq!(me["country"], "SE");
        assert!(me.get("email").is_none(), "{me}");
        assert_eq!(me["account_id"], "emulator-account-0001");
        // With user-read-email too, the email.
        let token = user_token(&emulator, "%20user-read-email");
        assert_eq!(
            get(&emulator, &token, "/v1/me").json()["email"],
            "user@emulator.test"
        );
        // No playlist-modify scope: creating a playlist is refused as Spotify refuses it.
        let bearer = format!("Bearer {token}");
        let reply = send(
            &emulator,
            "POST",
            "/v1/me/playlists",
            &[
                ("Authorization", &bearer),
                ("Content-Type", "application/json"),
            ],
            br#"{"name":"x"}"#,
        )
        .unwrap();
        assert_eq!(reply.status, 403);
        assert_eq!(
            reply.json()["error"]["message"],
            "Insufficient client scope"
        );
    }

    #[test]
    fn playlists_carry_etags_and_answer_304_until_they_change() {
        let emulator = Emulator::start().unwrap();
        let token = user_token(
            &emulator,
            "%20playlist-read-private%20playlist-modify-private",
        );
        let bearer = format!("Bearer {token}");
        let first = get(&emulator, &token, "/v1/me/playlists");
        assert_eq!(first.status, 200);
        assert_eq!(first.header("cache-control"), Some("private, max-age=0"));
        let etag = first
            .header("etag")
            .expect("an ETag on the user's playlists");
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        let conditional = |tag: &str| {
            send(
                &emulator,
                "GET",
                "/v1/me/playlists",
                &[("Authorization", &bearer), ("If-None-Match", tag)],
                b"",
            )
            .unwrap()
        };
        let unchanged = conditional(etag);
        assert_eq!(unchanged.status, 304);
        assert!(unchanged.body.is_empty());
        assert_eq!(unchanged.header("etag"), Some(etag));
        assert_eq!(unchanged.header("content-length"), None);
        // Another tag, or a list holding this one.
        assert_eq!(conditional("\"other\"").status, 200);
        assert_eq!(conditional(&format!("\"other\", {etag}")).status, 304);
        // A change makes a new tag: the old one gets the whole answer again.
        let created = send(
            &emulator,
            "POST",
            "/v1/me/playlists",
            &[
                ("Authorization", &bearer),
                ("Content-Type", "application/json"),
            ],
            br#"{"name":"Cached"}"#,
        )
        .unwrap();
        assert_eq!(created.status, 201);
        let changed = conditional(etag);
        assert_eq!(changed.status, 200);
        assert_ne!(changed.header("etag"), Some(etag));
        assert!(String::from_utf8_lossy(&changed.body).contains("Cached"));
        // A playlist has one too; the catalog and errors have none.
        let id = created.json()["id"].as_str().unwrap().to_owned();
        assert!(
            get(&emulator, &token, &format!("/v1/playlists/{id}"))
                .header("etag")
                .is_some()
        );
        let artist = get(&emulator, &token, &format!("/v1/artists/{RADIOHEAD}"));
        assert_eq!(artist.header("etag"), None);
        let missing = get(&emulator, &token, "/v1/playlists/0000000000000000000000");
        assert_eq!(missing.header("etag"), None);
        assert_eq!(missing.header("cache-control"), Some("private, max-age=0"));
    }

    #[test]
    fn unknown_scopes_and_malformed_verifiers_are_refused() {
        let emulator = Emulator::start().unwrap();
        let params = authorize(&emulator, "%20brand-new-scope");
        assert!(
            params.contains(&("error".into(), "invalid_scope".into())),
            "{params:?}"
        );
        // A verifier outside 43 to 128 of the allowed characters, even one whose challenge
        // matches, is malformed.
        let short = "abc";
        let challenge = {
            use base64::Engine as _;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(hmac_sha256::Hash::hash(short.as_bytes()))
        };
        let code = code(&authorize(
            &emulator,
            &format!("&code_challenge_method=S256&code_challenge={challenge}"),
        ));
        let form = format!(
            "grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&client_id={DEMO_CLIENT_ID}&code_verifier={short}"
        );
        let reply = post_form(&emulator, &form, &[]);
        assert_eq!(reply.json()["error"], "invalid_request");
    }

    #[test]
    fn only_registered_redirect_uris_are_accepted() {
        let emulator = Emulator::start().unwrap();
        let path = |redirect: &str| {
            format!(
                "/authorize?client_id={DEMO_CLIENT_ID}&response_type=code&redirect_uri={redirect}&state=s"
            )
        };
        let status = |redirect: &str| send(&emulator, "GET", &path(redirect), &[], b"").unwrap();
        // Loopback, registered without a port: any port.
        assert_eq!(
            status("http%3A%2F%2F127.0.0.1%3A5555%2Fcallback").status,
            303
        );
        assert_eq!(
            status("http%3A%2F%2F%5B%3A%3A1%5D%3A7%2Fcallback").status,
            303
        );
        // Another path, another host, plain http elsewhere: refused.
        let other = status("http%3A%2F%2F127.0.0.1%3A5555%2Fother");
        assert_eq!(other.status, 400);
        assert_eq!(other.body, b"INVALID_CLIENT: Invalid redirect URI");
        let evil = status("https%3A%2F%2Fevil.example%2Fx");
        assert_eq!(evil.body, b"INVALID_CLIENT: Invalid redirect URI");
        let plain = status("http%3A%2F%2Fexample.com%2Fcb");
        assert_eq!(plain.body, b"INVALID_CLIENT: Insecure redirect URI");
        // An app's own registered https URI, exactly.
        let app = Emulator::builder()
            .redirect_uris(["https://app.example/cb"])
            .start()
            .unwrap();
        let get = |redirect: &str| send(&app, "GET", &path(redirect), &[], b"").unwrap().status;
        assert_eq!(get("https%3A%2F%2Fapp.example%2Fcb"), 303);
        assert_eq!(get("https%3A%2F%2Fapp.example%2Fcb2"), 400);
        assert_eq!(get("http%3A%2F%2F127.0.0.1%3A9%2Fcallback"), 400);
    }
}

#[test]
fn the_binary_prints_its_url_and_credentials_and_serves_until_stopped() {
    use io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_spotify-web-emulator"))
        .args(["--port", "0", "--development-mode"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines: Vec<String> = io::BufReader::new(stdout)
        .lines()
        .take(6)
        .map(Result::unwrap)
        .collect();
    let url = lines[0]
        .strip_prefix("Spotify emulator listening on ")
        .unwrap()
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains(DEMO_CLIENT_ID)),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains(DEMO_CLIENT_SECRET)),
        "{lines:?}"
    );
    let address = url.trim_start_matches("http://");
    let form = format!(
        "grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}"
    );
    let mut stream = TcpStream::connect(address).unwrap();
    let request = format!(
        "POST /api/token HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    child.kill().unwrap();
    child.wait().unwrap();
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_spotify-web-emulator"))
        .args(["--port", "nope"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--port takes a whole number"));
}

#[test]
fn approve_plays_the_browser_without_a_socket() {
    let emulator = Emulator::start().unwrap();
    let url = format!(
        "{}/authorize?client_id={DEMO_CLIENT_ID}&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&state=s1",
        emulator.url()
    );
    let back = emulator.approve(&url).unwrap();
    assert!(
        back.starts_with("http://127.0.0.1:9/callback?code=AQ") && back.ends_with("&state=s1"),
        "{back}"
    );
    assert_eq!(emulator.requests(Route::Authorize), 1);
    emulator.set_user_refuses(true);
    assert_eq!(
        emulator.approve(&url).unwrap(),
        "http://127.0.0.1:9/callback?error=access_denied&state=s1"
    );
    let unknown = url.replace(DEMO_CLIENT_ID, "nobody");
    assert_eq!(
        emulator.approve(&unknown).unwrap_err(),
        spotify_web_emulator::ApproveError::Refused("INVALID_CLIENT: Invalid client".into())
    );
    assert_eq!(
        emulator
            .approve("http://example.test/authorize?x=1")
            .unwrap_err(),
        spotify_web_emulator::ApproveError::NotAuthorize
    );
}

#[test]
fn development_mode_loses_the_endpoints_spotify_removed_and_401s_say_why() {
    let emulator = Emulator::builder().development_mode(true).start().unwrap();
    let token = token(&emulator);
    for path in [
        format!("/v1/artists?ids={RADIOHEAD}"),
        format!("/v1/artists/{RADIOHEAD}/top-tracks?market=SE"),
        "/v1/tracks?ids=6rqhFgbbKwnb9MLmUQDhG6".to_owned(),
        "/v1/albums?ids=6akEvsycLGftJxYudPjmqK".to_owned(),
        "/v1/browse/new-releases".to_owned(),
        "/v1/markets".to_owned(),
    ] {
        assert_eq!(get(&emulator, &token, &path).status, 403, "{path}");
    }
    assert_eq!(
        get(&emulator, &token, &format!("/v1/artists/{RADIOHEAD}")).status,
        200
    );
    let anonymous = send(&emulator, "GET", "/v1/me", &[], b"").unwrap();
    assert_eq!(anonymous.status, 401);
    assert!(anonymous.header("www-authenticate").is_some());
    let bad = get(&emulator, "not-a-token", "/v1/me");
    assert_eq!(bad.status, 401);
    assert!(
        bad.header("www-authenticate")
            .is_some_and(|h| h.contains("invalid_token"))
    );
}

#[test]
fn error_shape_faults_answer_exactly_as_spotify_has() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let path = format!("/v1/artists/{RADIOHEAD}");
    emulator.inject(
        Target::Api,
        Fault::RateLimitEmptyBody {
            retry_after: Some(3),
        },
        1,
    );
    let reply = get(&emulator, &token, &path);
    assert_eq!((reply.status, reply.body.len()), (429, 0));
    assert_eq!(reply.header("content-length"), Some("0"));
    assert_eq!(reply.header("retry-after"), Some("3"));
    emulator.inject(Target::Api, Fault::RateLimitEmptyObject, 1);
    assert_eq!(get(&emulator, &token, &path).body, b"{}");
    emulator.inject(Target::Api, Fault::Forbidden { reason: None }, 1);
    assert_eq!(
        get(&emulator, &token, &path).body,
        br#"{"error":{"status":403}}"#
    );
    emulator.inject(Target::Api, Fault::UserNotApproved, 1);
    let reply = get(&emulator, &token, &path);
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (403, &b"User not approved for app"[..])
    );
    assert!(
        reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain"))
    );
    let form = format!(
        "grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}"
    );
    emulator.inject(Target::Token, Fault::InvalidClientWithoutDescription, 1);
    assert_eq!(
        post_form(&emulator, &form, &[]).body,
        br#"{"error":"invalid_client"}"#
    );
    emulator.inject(Target::Token, Fault::LowercaseBearer, 1);
    assert_eq!(
        post_form(&emulator, &form, &[]).json()["token_type"],
        "bearer"
    );
    emulator.inject(Target::Token, Fault::TextUnavailable, 1);
    let reply = post_form(&emulator, &form, &[]);
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (503, &b"Service Unavailable"[..])
    );
}

#[test]
fn development_mode_drops_the_fields_and_lowers_the_limits_spotify_did() {
    let emulator = Emulator::builder().development_mode(true).start().unwrap();
    let token = token(&emulator);
    let artist = get(&emulator, &token, &format!("/v1/artists/{RADIOHEAD}")).json();
    assert!(artist.get("genres").is_none(), "{artist}");
    // Pitbull has albums: no album_group on them, 5 to a page by default, 10 at most.
    let pitbull = "0TnOYISbd1XYRBk9myaseg";
    let albums = get(&emulator, &token, &format!("/v1/artists/{pitbull}/albums")).json();
    assert_eq!(albums["limit"], 5);
    assert!(albums["items"][0].get("album_group").is_none());
    let too_many = get(
        &emulator,
        &token,
        &format!("/v1/artists/{pitbull}/albums?limit=11"),
    );
    assert_eq!(too_many.status, 400);
    let search = get(&emulator, &token, "/v1/search?q=a&type=track").json();
    assert_eq!(search["tracks"]["limit"], 5);
    emulator.set_development_mode(false);
    let albums = get(&emulator, &token, &format!("/v1/artists/{pitbull}/albums")).json();
    assert_eq!(albums["limit"], 20);
    assert!(albums["items"][0].get("album_group").is_some());
}

#[test]
fn search_reaches_playlists_with_nulls_and_spoken_word() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let found = get(&emulator, &token, "/v1/search?q=mix&type=playlist").json();
    let items = found["playlists"]["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "{found}");
    assert_eq!(items[0]["id"], spotify_web_emulator::OTHER_PLAYLIST);
    assert!(
        items[1].is_null(),
        "a null follows, as in Spotify's playlist results"
    );
    let found = get(
        &emulator,
        &token,
        "/v1/search?q=a&type=show,episode,audiobook",
    )
    .json();
    for kind in ["shows", "episodes", "audiobooks"] {
        assert!(
            found[kind]["total"].as_u64().unwrap_or(0) > 0,
            "{kind}: {found}"
        );
    }
}

#[test]
fn markets_are_checked_and_kept_in_paging_links() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let bad = get(
        &emulator,
        &token,
        &format!("/v1/artists/{RADIOHEAD}?market=zz-bad"),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"]["message"], "Invalid market code");
    assert_eq!(
        get(
            &emulator,
            &token,
            &format!("/v1/artists/{RADIOHEAD}?market=from_token")
        )
        .status,
        200
    );
    let pitbull = "0TnOYISbd1XYRBk9myaseg";
    let page = get(
        &emulator,
        &token,
        &format!("/v1/artists/{pitbull}/albums?market=SE&limit=1"),
    )
    .json();
    assert!(
        page["next"]
            .as_str()
            .is_some_and(|next| next.contains("market=SE")),
        "{page}"
    );
    let found = get(
        &emulator,
        &token,
        "/v1/search?q=a&type=track&limit=1&market=SE",
    )
    .json();
    assert!(
        found["tracks"]["next"]
            .as_str()
            .is_some_and(|next| next.contains("market=SE")),
        "{found}"
    );
}

#[test]
fn development_mode_takes_the_publisher_off_shows_and_audiobooks() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let show = "/v1/shows/7iZEp9f2Gg8JvKNqK3t905";
    assert_eq!(
        get(&emulator, &token, show).json()["publisher"],
        "DER SPIEGEL"
    );
    emulator.set_development_mode(true);
    let answer = get(&emulator, &token, show).json();
    assert!(answer.get("publisher").is_none(), "{answer}");
    let found = get(&emulator, &token, "/v1/search?q=a&type=audiobook").json();
    let books = found["audiobooks"]["items"].as_array().unwrap();
    assert!(!books.is_empty());
    assert!(books.iter().all(|b| b.get("publisher").is_none()));
}

#[test]
fn search_is_cacheable_for_two_minutes_and_the_rest_not() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let search = get(&emulator, &token, "/v1/search?q=muse&type=artist");
    assert_eq!(search.header("cache-control"), Some("private, max-age=120"));
    let artist = get(&emulator, &token, &format!("/v1/artists/{RADIOHEAD}"));
    assert_eq!(artist.header("cache-control"), Some("private, max-age=0"));
    // The accounts service is not the Web API: no caching headers added there.
    let form = format!(
        "grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}"
    );
    assert_eq!(
        post_form(&emulator, &form, &[]).header("cache-control"),
        None
    );
}

#[test]
fn available_markets_come_as_recorded_and_development_mode_loses_them() {
    // "All Your Friends" was recorded with its markets, as was its album.
    let track = "6akJGriy4njdP8fZTPGjwz";
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let answer = get(&emulator, &token, &format!("/v1/tracks/{track}")).json();
    let markets = answer["available_markets"].as_array().unwrap();
    assert!(markets.len() > 100, "{}", markets.len());
    assert!(
        markets
            .iter()
            .all(|m| m.as_str().is_some_and(|m| m.len() == 2))
    );
    emulator.set_development_mode(true);
    for path in [
        format!("/v1/tracks/{track}"),
        "/v1/search?q=a&type=track,album,show,audiobook".to_owned(),
        "/v1/albums/3IqzqH6ShrRtie9Yd2ODyG".to_owned(),
    ] {
        let reply = get(&emulator, &token, &path);
        assert_eq!(reply.status, 200, "{path}");
        let text = String::from_utf8_lossy(&reply.body);
        assert!(!text.contains("available_markets"), "{path}: {text}");
    }
}

#[test]
fn sourced_messages_replace_invented_ones() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let ids = vec![RADIOHEAD; 51].join(",");
    let reply = get(&emulator, &token, &format!("/v1/tracks?ids={ids}"));
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"]["message"], "too many ids requested");
    let reply = get(&emulator, &token, "/v1/search?q=a&type=tune");
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["error"]["message"], "Bad search type field");
    // A method the path does not take: 405, as clients have received from Spotify.
    let bearer = format!("Bearer {token}");
    let reply = send(
        &emulator,
        "DELETE",
        &format!("/v1/artists/{RADIOHEAD}"),
        &[("Authorization", &bearer)],
        b"",
    )
    .unwrap();
    assert_eq!(reply.status, 405);
    assert_eq!(reply.json()["error"]["status"], 405);
}

#[test]
fn a_rate_limit_refuses_what_exceeds_the_window_with_retry_after() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    emulator.set_rate_limit(Some((3, Duration::from_secs(2))));
    let path = format!("/v1/artists/{RADIOHEAD}");
    for _ in 0..3 {
        assert_eq!(get(&emulator, &token, &path).status, 200);
    }
    let refused = get(&emulator, &token, &path);
    assert_eq!(refused.status, 429);
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert_eq!(
        refused.json()["error"]["message"],
        "API rate limit exceeded"
    );
    assert_eq!(emulator.rate_limited(), 1);
    // Token requests are not the Web API's: never limited.
    let form = format!(
        "grant_type=client_credentials&client_id={DEMO_CLIENT_ID}&client_secret={DEMO_CLIENT_SECRET}"
    );
    assert_eq!(post_form(&emulator, &form, &[]).status, 200);
    std::thread::sleep(Duration::from_secs(wait));
    assert_eq!(get(&emulator, &token, &path).status, 200);
    emulator.set_rate_limit(None);
    for _ in 0..10 {
        assert_eq!(get(&emulator, &token, &path).status, 200);
    }
    assert_eq!(emulator.rate_limited(), 1);
}

#[test]
fn five_shows_have_episodes_and_three_audiobooks_chapters() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let data: Value = serde_json::from_str(include_str!("../data/spoken.json")).unwrap();
    let with_children = |kind: &str, children: &str| -> Vec<String> {
        data[kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .filter(|id| data[children].get(id).is_some())
            .collect()
    };
    let made_up = |list: &str| -> Vec<String> {
        data["made_up"][list]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap().to_owned())
            .collect()
    };
    // Every child is served, page after page; the pages' total counts them.
    let walk = |path: String| -> Vec<Value> {
        let mut items = Vec::new();
        let mut total = None;
        let mut next = Some(format!("{path}?limit=50"));
        while let Some(url) = next {
            let page = get(&emulator, &token, &url).json();
            total = page["total"].as_u64();
            items.extend(page["items"].as_array().unwrap().iter().cloned());
            next = page["next"]
                .as_str()
                .map(|n| n.trim_start_matches(emulator.url()).to_owned());
        }
        assert_eq!(total, Some(items.len() as u64), "{path}");
        items
    };
    let shows = with_children("shows", "show_episodes");
    assert!(shows.len() >= 5, "{shows:?}");
    for show in &shows {
        let episodes = walk(format!("/v1/shows/{show}/episodes"));
        assert!(!episodes.is_empty());
        for episode in &episodes {
            assert_eq!(episode["type"], "episode");
            assert!(episode["languages"].is_array() && episode["is_playable"].is_boolean());
        }
        if made_up("episodes_of").contains(show) {
            let answer = get(&emulator, &token, &format!("/v1/shows/{show}")).json();
            assert_eq!(
                answer["total_episodes"].as_u64(),
                Some(episodes.len() as u64)
            );
        }
    }
    let books = with_children("audiobooks", "audiobook_chapters");
    assert!(books.len() >= 3, "{books:?}");
    for book in &books {
        let chapters = walk(format!("/v1/audiobooks/{book}/chapters"));
        let answer = get(&emulator, &token, &format!("/v1/audiobooks/{book}")).json();
        assert_eq!(
            answer["total_chapters"].as_u64(),
            Some(chapters.len() as u64)
        );
        for chapter in &chapters {
            assert_eq!(chapter["type"], "chapter");
            // Each chapter is also served on its own.
            let id = chapter["id"].as_str().unwrap();
            assert_eq!(
                get(&emulator, &token, &format!("/v1/chapters/{id}")).status,
                200
            );
        }
    }
    // The made-up ones are named, and are the only parents beyond the recorded ones.
    assert_eq!(made_up("episodes_of").len(), shows.len() - 4);
    assert_eq!(made_up("chapters_of").len(), books.len() - 1);
}

/// A POST or PUT must give its length, even with no body, as Spotify's front end asks; a GET
/// need not, and an empty PUT that says `Content-Length: 0` goes on to the API (which asks
/// this app token for a user's).
#[test]
fn refuses_a_put_or_post_without_a_length_as_spotify_does() {
    let emulator = Emulator::start().unwrap();
    let token = token(&emulator);
    let address = emulator.url().trim_start_matches("http://");
    let raw = |method: &str, path: &str, length: &str| {
        let mut stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
             Connection: close\r\n{length}\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    let save = format!(
        "/v1/me/library?uris=spotify:album:{}",
        "6dVIqQ8qmQ5GBnJ9shOYGE"
    );
    for (method, path) in [("PUT", save.as_str()), ("POST", "/v1/me/player/next")] {
        let answer = raw(method, path, "");
        assert!(answer.starts_with("HTTP/1.1 411"), "{method}: {answer}");
        assert!(answer.contains("text/html"), "{answer}");
    }
    assert_eq!(
        emulator.api_requests(),
        0,
        "refused before reaching the API"
    );
    let answer = raw("PUT", &save, "Content-Length: 0\r\n");
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert_eq!(emulator.api_requests(), 1);
    let answer = raw("GET", &format!("/v1/artists/{RADIOHEAD}"), "");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
