//! Memory while walking a long playlist: the walker holds one page at a time, so its peak
//! resident memory does not grow with the playlist. The emulator (which does hold the whole
//! playlist) runs in this process; each walk runs in a child process of its own, which reports
//! its peak resident set (`VmHWM`) after walking every item with `Client::items`.
//!
//! ```text
//! cargo run --release -p spotify-web-benchmarks --bin memory -- [--csv PATH]
//! ```

use std::process::Command;

use spotify_web_core::auth::{AuthorizeUrl, ClientCredentials, ClientId, RedirectUri, UserClient};
use spotify_web_core::endpoint::{AddItemsToPlaylist, CreatePlaylist, GetPlaylistItems};
use spotify_web_core::id::{PlayableUri, PlaylistId};
use spotify_web_emulator::{Emulator, OTHER_PLAYLIST};
use spotify_web_ureq::{Client, FileTokenStore, random};

/// The sizes walked, in items (10,000 is the most a Spotify playlist holds).
const SIZES: [usize; 4] = [1_000, 2_000, 5_000, 10_000];

/// The peak resident set of this process, in KiB (Linux).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// In the child: walks every item of the playlist with an app's token and prints how many it
/// saw and its peak resident set.
fn walk(api: &str, accounts: &str, id: &str, secret: &str, playlist: &str) {
    let client = Client::with_base_urls(ClientCredentials::new(id, secret), accounts, api)
        .unwrap_or_else(|e| panic!("{e}"));
    let playlist: PlaylistId = playlist.parse().unwrap_or_else(|e| panic!("{e}"));
    let mut seen = 0usize;
    for item in client.items(GetPlaylistItems::new(playlist).limit(50)) {
        item.unwrap_or_else(|e| panic!("{e}"));
        seen += 1;
    }
    println!("{seen} {}", peak_kib());
}

/// A user's client for the emulator (playing the browser), to fill playlists.
fn user(emulator: &Emulator) -> Client<spotify_web_ureq::access::User> {
    let accounts = spotify_web_core::url::BaseUrl::new(emulator.accounts_url()).expect("URL");
    let user = UserClient::pkce(ClientId::new(emulator.client_id()));
    let redirect = RedirectUri::new("http://127.0.0.1:8888/callback").expect("redirect");
    let state = random::csrf_state().expect("state");
    let verifier = random::pkce_verifier().expect("verifier");
    let url = AuthorizeUrl::new(user.id(), &redirect, &state)
        .scopes([
            spotify_web_core::auth::Scope::PlaylistModifyPublic,
            spotify_web_core::auth::Scope::PlaylistModifyPrivate,
        ])
        .pkce(&verifier)
        .build(&accounts);
    let callback = emulator.approve(&url).expect("approve");
    let code = spotify_web_core::auth::parse_callback(&callback, &state).expect("code");
    let file = std::env::temp_dir().join(format!("memory-bench-{}.json", std::process::id()));
    let client = Client::user_builder(user, FileTokenStore::new(&file))
        .base_urls(emulator.accounts_url(), emulator.api_url())
        .and_then(|b| b.login(code, &redirect, Some(&verifier)))
        .expect("login");
    let _ = std::fs::remove_file(&file);
    client
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--walk") {
        walk(&args[2], &args[3], &args[4], &args[5], &args[6]);
        return;
    }
    let csv = args
        .iter()
        .position(|a| a == "--csv")
        .and_then(|i| args.get(i + 1));
    let emulator = Emulator::builder()
        .workers(2)
        .plain()
        .start()
        .expect("emulator");
    let user = user(&emulator);
    let tracks: Vec<PlayableUri> = emulator
        .playlist_items(OTHER_PLAYLIST)
        .expect("the other user's playlist")
        .iter()
        .map(|uri| uri.parse().expect("uri"))
        .collect();
    let me = std::env::current_exe().expect("this program");
    println!("| items walked | pages | peak resident set |");
    println!("|---:|---:|---:|");
    let mut lines = vec!["items,peak_kib".to_owned()];
    for size in SIZES {
        let playlist = user
            .send(CreatePlaylist::new(format!("{size} items")).public(true))
            .expect("create");
        let items: Vec<PlayableUri> = tracks.iter().cycle().take(size).copied().collect();
        for chunk in AddItemsToPlaylist::chunked(playlist.id, items, None) {
            user.send(chunk).expect("add");
        }
        let output = Command::new(&me)
            .args([
                "--walk",
                emulator.api_url(),
                emulator.accounts_url(),
                emulator.client_id(),
                emulator.client_secret(),
                &playlist.id.to_string(),
            ])
            .output()
            .expect("the walk");
        let text = String::from_utf8_lossy(&output.stdout);
        let mut words = text.split_whitespace();
        let seen: usize = words.next().and_then(|w| w.parse().ok()).expect("count");
        let peak: u64 = words.next().and_then(|w| w.parse().ok()).expect("peak");
        assert_eq!(seen, size, "the walk saw every item");
        println!(
            "| {size} | {} | {:.1} MiB |",
            size.div_ceil(50),
            peak as f64 / 1024.0
        );
        lines.push(format!("{size},{peak}"));
    }
    if let Some(path) = csv {
        std::fs::write(path, lines.join("\n") + "\n").expect("write the CSV");
        println!("wrote {path}");
    }
}
