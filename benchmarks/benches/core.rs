//! The core's cost: building requests, and parsing answers next to the floor of parsing the
//! same bytes into `serde::de::IgnoredAny` in the same run.
//!
//! ```text
//! cargo bench -p spotify-web-benchmarks --bench core            # timings and allocations
//! cargo bench -p spotify-web-benchmarks --bench core -- --only artist --iterations 1000
//!                                                                # one case, for callgrind
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::de::IgnoredAny;
use spotify_web_core::auth::{AccessToken, ClientCredentials};
use spotify_web_core::endpoint::{
    Endpoint, EndpointExt, GetAlbum, GetArtist, Search, SearchQuery, SearchType,
};

/// What a hot path might read of an artist: two fields, the rest skipped.
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "read only to be decoded")]
struct Lean {
    name: String,
    popularity: Option<u32>,
}
use spotify_web_core::message::Response;
use spotify_web_core::url::BaseUrl;

/// Counts allocations, to report them per operation.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
#[allow(
    unsafe_code,
    reason = "a global allocator is an unsafe trait; this one only counts"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on as it is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on as it is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on as it is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const ARTIST: &[u8] = include_bytes!("../../core/tests/fixtures/artist_radiohead.json");
const ALBUM: &[u8] = include_bytes!("../../core/tests/fixtures/album_2026.json");
/// The shape before 2026, with every field rspotify-model requires.
const ALBUM_2024: &[u8] = include_bytes!("../../core/tests/fixtures/album_2024.json");
const SEARCH_TRACKS: &[u8] = include_bytes!("../../core/tests/fixtures/search_all_types_2025.json");

/// A search answer with 50 full tracks, made from the 20 recorded ones.
fn search_page_of_50() -> Vec<u8> {
    let recorded: serde_json::Value = serde_json::from_slice(SEARCH_TRACKS).expect("fixture");
    let tracks = recorded["tracks"]["items"]
        .as_array()
        .expect("tracks")
        .clone();
    let items: Vec<serde_json::Value> = tracks.iter().cycle().take(50).cloned().collect();
    let mut page = recorded["tracks"].clone();
    page["items"] = serde_json::Value::Array(items);
    page["limit"] = 50.into();
    serde_json::to_vec(&serde_json::json!({ "tracks": page })).expect("encodes")
}

struct Stats {
    median_ns: f64,
    allocations: f64,
}

/// Runs `f` in batches for about `budget`, and returns the median time per call and the
/// allocations per call.
fn measure(budget: Duration, mut f: impl FnMut()) -> Stats {
    // Warm up, and size a batch to about 1 ms.
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < Duration::from_millis(50) {
        f();
        calls += 1;
    }
    let batch = (calls * 1_000_000 / start.elapsed().as_nanos().max(1) as u64 / 50).max(1);
    let mut samples = Vec::new();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let mut total = 0u64;
    let start = Instant::now();
    while start.elapsed() < budget || samples.len() < 11 {
        let t = Instant::now();
        for _ in 0..batch {
            f();
        }
        samples.push(t.elapsed().as_nanos() as f64 / batch as f64);
        total += batch;
    }
    let allocations = (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / total as f64;
    samples.sort_by(f64::total_cmp);
    Stats {
        median_ns: samples[samples.len() / 2],
        allocations,
    }
}

type Case = (&'static str, Box<dyn FnMut()>);

fn cases() -> Vec<Case> {
    let api = BaseUrl::spotify_api();
    let accounts = BaseUrl::spotify_accounts();
    let credentials = ClientCredentials::new(
        "0123456789abcdef0123456789abcdef",
        "fedcba9876543210fedcba9876543210",
    );
    let token = AccessToken::from_response(
        &Response::new(200, br#"{"access_token":"BQDBKJ5eo5jxbtpWjVOj7ryS84khybFpP_lTqzV7uV","token_type":"Bearer","expires_in":3600}"#),
        spotify_web_core::time::Instant::ZERO,
    )
    .expect("token");
    let get_artist = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().expect("id"));
    let get_album = GetAlbum::new("3IqzqH6ShrRtie9Yd2ODyG".parse().expect("id"));
    let search = Search::new(
        SearchQuery::new("")
            .artist("Miles Davis")
            .years(1955..=1960),
        [SearchType::Track],
    )
    .expect("search");
    let page = search_page_of_50();
    let page: &'static [u8] = Box::leak(page.into_boxed_slice());
    let (api2, api3) = (api.clone(), api.clone());
    let (get_album2, get_artist2) = (get_album.clone(), get_artist);
    let token2 = token.clone();
    let lean = GetArtist::new("4Z8W4fKeB5YxbusRsdQVPb".parse().expect("id")).decode_as::<Lean>();
    let get_album_2024 = GetAlbum::new("3IqzqH6ShrRtie9Yd2ODyG".parse().expect("id"));
    vec![
        (
            "request: token (client credentials)",
            Box::new(move || {
                black_box(credentials.token_request(black_box(&accounts)));
            }),
        ),
        (
            "request: get artist + bearer",
            Box::new(move || {
                black_box(token.authorize(black_box(&get_artist2).request(&api)));
            }),
        ),
        (
            "request: search + bearer",
            Box::new(move || {
                black_box(token2.authorize(black_box(&search).request(&api2)));
            }),
        ),
        (
            "request: get album",
            Box::new(move || {
                black_box(black_box(&get_album2).request(&api3));
            }),
        ),
        (
            "floor: artist answer into IgnoredAny",
            Box::new(|| {
                black_box(serde_json::from_slice::<IgnoredAny>(black_box(ARTIST)).expect("json"));
            }),
        ),
        (
            "parse: artist answer",
            Box::new(move || {
                black_box(
                    get_artist
                        .parse(&Response::new(200, black_box(ARTIST)))
                        .expect("artist"),
                );
            }),
        ),
        (
            "parse: artist answer into a two-field struct (decode_as)",
            Box::new(move || {
                black_box(
                    lean.parse(&Response::new(200, black_box(ARTIST)))
                        .expect("artist"),
                );
            }),
        ),
        (
            "floor: full album into IgnoredAny",
            Box::new(|| {
                black_box(serde_json::from_slice::<IgnoredAny>(black_box(ALBUM)).expect("json"));
            }),
        ),
        (
            "parse: full album",
            Box::new(move || {
                black_box(
                    get_album
                        .parse(&Response::new(200, black_box(ALBUM)))
                        .expect("album"),
                );
            }),
        ),
        (
            "parse: full album, 2024 shape",
            Box::new(move || {
                black_box(
                    get_album_2024
                        .parse(&Response::new(200, black_box(ALBUM_2024)))
                        .expect("album"),
                );
            }),
        ),
        // rspotify-model 0.16 on the same bytes, by its own path: one UTF-8 check of the
        // body (its HTTP clients hand over text), then `serde_json::from_str`.
        (
            "rspotify: artist answer",
            Box::new(|| {
                let text = std::str::from_utf8(black_box(ARTIST)).expect("utf-8");
                black_box(
                    serde_json::from_str::<rspotify_model::FullArtist>(text).expect("artist"),
                );
            }),
        ),
        (
            "rspotify: full album, 2024 shape",
            Box::new(|| {
                let text = std::str::from_utf8(black_box(ALBUM_2024)).expect("utf-8");
                black_box(serde_json::from_str::<rspotify_model::FullAlbum>(text).expect("album"));
            }),
        ),
        (
            "rspotify: 50-track search page",
            Box::new(move || {
                let text = std::str::from_utf8(black_box(page)).expect("utf-8");
                black_box(
                    serde_json::from_str::<rspotify_model::SearchResult>(text).expect("results"),
                );
            }),
        ),
        (
            "rspotify: 7-type search page",
            Box::new(|| {
                let text = std::str::from_utf8(black_box(SEARCH_TRACKS)).expect("utf-8");
                black_box(
                    serde_json::from_str::<rspotify_model::SearchMultipleResult>(text)
                        .expect("results"),
                );
            }),
        ),
        (
            "parse: 7-type search page",
            Box::new(move || {
                let every = [
                    SearchType::Album,
                    SearchType::Artist,
                    SearchType::Playlist,
                    SearchType::Track,
                    SearchType::Show,
                    SearchType::Episode,
                    SearchType::Audiobook,
                ];
                let search = Search::new("x", every).expect("search");
                black_box(
                    search
                        .parse(&Response::new(200, black_box(SEARCH_TRACKS)))
                        .expect("results"),
                );
            }),
        ),
        (
            "floor: 50-track search page into IgnoredAny",
            Box::new(move || {
                black_box(serde_json::from_slice::<IgnoredAny>(black_box(page)).expect("json"));
            }),
        ),
        (
            "parse: 50-track search page",
            Box::new(move || {
                let search = Search::new("x", [SearchType::Track]).expect("search");
                black_box(
                    search
                        .parse(&Response::new(200, black_box(page)))
                        .expect("results"),
                );
            }),
        ),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    // `--only NAME --iterations N`: run one case N times and nothing else (for callgrind).
    if let (Some(only), Some(iterations)) = (value("--only"), value("--iterations")) {
        let iterations: u64 = iterations.parse().expect("--iterations takes a number");
        for (name, mut f) in cases() {
            if name == only {
                for _ in 0..iterations {
                    f();
                }
                return;
            }
        }
        panic!("no case named {only:?}");
    }
    if args.iter().any(|a| a == "--list") {
        for (name, _) in cases() {
            println!("{name}");
        }
        return;
    }
    let budget = Duration::from_millis(
        value("--millis")
            .and_then(|m| m.parse().ok())
            .unwrap_or(1500),
    );
    println!(
        "{:<46} {:>12} {:>10} {:>9}",
        "case", "median ns", "allocs", "vs floor"
    );
    let mut floor = None;
    for (name, f) in cases() {
        let stats = measure(budget, f);
        let ratio = if name.starts_with("floor") {
            floor = Some(stats.median_ns);
            String::new()
        } else if name.starts_with("parse") {
            floor
                .map(|f| format!("{:.2}x", stats.median_ns / f))
                .unwrap_or_default()
        } else {
            String::new()
        };
        println!(
            "{name:<46} {:>12.0} {:>10.1} {ratio:>9}",
            stats.median_ns, stats.allocations
        );
    }
}
