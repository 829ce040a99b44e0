//! Fetches an artist, as Spotify's "Getting started" tutorial does, asynchronously.
//!
//! ```text
//! cargo run -p spotify-web-hyper --example get_artist_async -- [--json] [ID | spotify:artist:ID | https://open.spotify.com/artist/ID]
//! ```
//!
//! With `SPOTIFY_CLIENT_ID` and `SPOTIFY_CLIENT_SECRET` set, it asks Spotify. Without them it
//! starts the local emulator in this process and asks it, so it runs offline.

use std::process::ExitCode;

use spotify_web_emulator::Emulator;
use spotify_web_hyper::Client;
use spotify_web_hyper::auth::ClientCredentials;
use spotify_web_hyper::endpoint::GetArtist;
use spotify_web_hyper::id::ArtistId;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let input = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or("4Z8W4fKeB5YxbusRsdQVPb", String::as_str);
    let id: ArtistId = match input.parse() {
        Ok(id) => id,
        Err(e) => {
            eprintln!("error: {input:?}: {e}");
            return ExitCode::from(2);
        }
    };

    // The emulator, when used, lives as long as the client that talks to it.
    let mut emulator = None;
    let client = match (
        std::env::var("SPOTIFY_CLIENT_ID"),
        std::env::var("SPOTIFY_CLIENT_SECRET"),
    ) {
        (Ok(client_id), Ok(secret)) => Client::new(ClientCredentials::new(client_id, secret)),
        _ => match Emulator::start() {
            Ok(local) => {
                eprintln!(
                    "SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET are not set: asking the local emulator at {} instead of Spotify",
                    local.url()
                );
                let credentials = ClientCredentials::new(local.client_id(), local.client_secret());
                let client =
                    Client::with_base_urls(credentials, local.accounts_url(), local.api_url());
                emulator = Some(local);
                client
            }
            Err(e) => {
                eprintln!("error: could not start the local emulator: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let artist = match client {
        Ok(client) => client.send(GetArtist::new(id)).await,
        Err(e) => Err(e),
    };
    drop(emulator);
    let artist = match artist {
        Ok(artist) => artist,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if json {
        match serde_json::to_string_pretty(&artist) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    println!("{}", artist.name);
    if !artist.genres.is_empty() {
        println!("  genres:     {}", artist.genres.join(", "));
    }
    if let Some(total) = artist.followers.and_then(|f| f.total) {
        println!("  followers:  {total}");
    }
    if let Some(popularity) = artist.popularity {
        println!("  popularity: {popularity}/100");
    }
    println!(
        "  link:       {}",
        artist
            .external_urls
            .spotify
            .clone()
            .unwrap_or_else(|| artist.id.url())
    );
    ExitCode::SUCCESS
}
