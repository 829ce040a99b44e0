//! The heap one call takes, counted by a counting allocator: for any body within the default
//! cap (8 MiB), the body and everything the session decodes from it stay within 4 times the
//! cap, however the body is shaped. A body shaped to take more is refused before decoding.
//!
//! Each shape runs in a child process of this test binary, so that each peak is its own.

use std::process::Command;

use spotify_web_core::auth::ClientCredentials;
use spotify_web_core::endpoint::{Endpoint, GetAlbum, GetArtist, NextPage, Search, SearchType};
use spotify_web_core::message::Response;
use spotify_web_core::model::Track;
use spotify_web_core::session::{Config, Session, Step};
use spotify_web_core::time::Instant;

#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

/// The transports' default cap on an answer's body.
const CAP: usize = 8 * 1024 * 1024;

/// A body of `count` copies of `element`, in the array `field` of an object, built in a buffer
/// of exactly its size (so building it leaves no larger peak behind).
fn body(prefix: &str, element: &str, count: usize, suffix: &str) -> Vec<u8> {
    let len = prefix.len() + count * (element.len() + 1) + suffix.len();
    let mut body = Vec::with_capacity(len);
    body.extend_from_slice(prefix.as_bytes());
    for i in 0..count {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(element.as_bytes());
    }
    body.extend_from_slice(suffix.as_bytes());
    body
}

/// The largest count of `element` whose body fits the cap.
fn fitting(prefix: &str, element: &str, suffix: &str) -> usize {
    (CAP - prefix.len() - suffix.len()) / (element.len() + 1)
}

/// A call with the body as its answer: whether the budget refused it.
type Decode = fn(&[u8]) -> bool;

/// Sends `endpoint` through an app session with the default configuration (an 8 MiB body
/// cap), answering the token request and then the call with `body`; whether the memory
/// budget refused it (a body that passes may still fail to decode: what counts is the heap).
fn through_session<E: Endpoint>(endpoint: E, body: &[u8]) -> bool {
    let token = br#"{"access_token":"BQD","token_type":"Bearer","expires_in":3600}"#;
    let mut session = Session::new(ClientCredentials::new("id", "secret"), Config::default(), 1);
    let mut call = session.call(endpoint);
    let now = Instant::ZERO;
    for answer in [&token[..], body] {
        let Step::Send(_) = session.poll(&mut call, now) else {
            panic!("expected a request")
        };
        session.handle_response(&mut call, &Response::new(200, answer), now);
    }
    match session.poll(&mut call, now) {
        Step::Done(Err(error)) => error.to_string().contains("memory bounded"),
        Step::Done(Ok(_)) => false,
        _ => panic!("expected the end"),
    }
}

/// A shape: what comes before the repeated element, the element, what follows, and the
/// call it goes through.
fn shape(name: &str) -> (String, &'static str, String, Decode) {
    let artist: Decode = |body| {
        through_session(
            GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().unwrap()),
            body,
        )
    };
    let album: Decode = |body| {
        through_session(
            GetAlbum::new("4aawyAB9vmqN3uQ7FjRGTy".parse().unwrap()),
            body,
        )
    };
    let page: Decode =
        |body| through_session(NextPage::<Track>::new("https://api.spotify.com/v1/x"), body);
    let search: Decode =
        |body| through_session(Search::new("x", [SearchType::Artist]).unwrap(), body);
    let in_artist =
        |field: &str| format!(r#"{{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"x","{field}":["#);
    match name {
        // 2.8 million empty genres at the cap: 67 MB of strings without the budget.
        "empty strings" => (in_artist("genres"), r#""""#, "]}".into(), artist),
        "short strings" => (in_artist("genres"), r#""abcdefgh""#, "]}".into(), artist),
        "empty objects" => (in_artist("images"), "{}", "]}".into(), artist),
        "tiny images" => (in_artist("images"), r#"{"url":""}"#, "]}".into(), artist),
        // A Track is 848 bytes however short its JSON.
        "tiny tracks in a page" => (
            r#"{"href":"h","limit":1,"offset":0,"total":1,"items":["#.into(),
            r#"{"id":"x","name":"","artists":[]}"#,
            "]}".into(),
            page,
        ),
        "artists in a track in an album" => (
            r#"{"id":"4aawyAB9vmqN3uQ7FjRGTy","name":"x","tracks":{"href":"h","limit":1,"offset":0,"total":1,"items":[{"id":"t","name":"t","artists":["#.into(),
            r#"{"id":"a","name":""}"#,
            "]}]}}".into(),
            album,
        ),
        "market codes" => (
            r#"{"id":"4aawyAB9vmqN3uQ7FjRGTy","name":"x","available_markets":["#.into(),
            r#""AD""#,
            "]}".into(),
            album,
        ),
        // Nesting within the parser's limit (128), filled with empty strings.
        "nested arrays" => (
            format!("{}{}", r#"{"artists":{"items":[{"genres":"#, "[".repeat(100)),
            r#""""#,
            format!("{}{}", "]".repeat(100), "}]}}"),
            search,
        ),
        other => panic!("no shape {other}"),
    }
}

const SHAPES: [&str; 8] = [
    "empty strings",
    "short strings",
    "empty objects",
    "tiny images",
    "tiny tracks in a page",
    "artists in a track in an album",
    "market codes",
    "nested arrays",
];

/// In a child process: sends one shape at the cap, then finds by bisection the largest body of
/// that shape the budget lets through (so the peak is that of a real decode, as large as the
/// budget allows), and prints the peak heap, the body included.
#[test]
fn child() {
    let Ok(name) = std::env::var("SPOTIFY_WEB_MEMORY_SHAPE") else {
        return;
    };
    let (prefix, element, suffix, decode) = shape(&name);
    let before = ALLOCATOR.allocated();
    let most = fitting(&prefix, element, &suffix);
    let refused_at_the_cap = decode(&body(&prefix, element, most, &suffix));
    // The largest count the budget lets through, by bisection to within 1/128 of the cap's
    // count (refusals cost one look).
    let (mut accepted, mut refused) = (0, if refused_at_the_cap { most } else { most + 1 });
    while refused - accepted > most / 128 + 1 {
        let middle = (accepted + refused) / 2;
        if decode(&body(&prefix, element, middle, &suffix)) {
            refused = middle;
        } else {
            accepted = middle;
        }
    }
    let decoded = body(&prefix, element, accepted, &suffix).len();
    let peak = ALLOCATOR.max_allocated() - before;
    println!(
        "PEAK {peak} REFUSED_AT_THE_CAP {refused_at_the_cap} DECODED {}",
        decoded
    );
}

#[test]
fn a_decode_holds_at_most_four_times_the_cap() {
    for name in SHAPES {
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "child", "--nocapture", "--test-threads=1"])
            .env("SPOTIFY_WEB_MEMORY_SHAPE", name)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{name}: {stdout} {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let line = stdout
            .lines()
            .find_map(|line| line.split_once("PEAK ").map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("{name}: {stdout}"));
        let mut words = line.split_whitespace();
        let peak: usize = words.next().unwrap().parse().unwrap();
        let refused = words.nth(1).unwrap() == "true";
        let decoded: usize = words.nth(1).unwrap().parse().unwrap();
        eprintln!(
            "{name}: peak {:.1} MiB; refused at the cap: {refused}; largest body decoded: {} KiB",
            peak as f64 / 1048576.0,
            decoded / 1024
        );
        if name == "market codes" {
            assert!(
                !refused,
                "market codes are packed: 8 MiB of them is a fine answer"
            );
        } else {
            assert!(
                refused,
                "{name}: a body this heavy must be refused at the cap"
            );
        }
        assert!(
            peak <= 4 * CAP,
            "{name}: the decode took {} MiB, over 4 x the cap",
            peak / (1024 * 1024)
        );
    }
}
