//! Fetches an artist, as Spotify's "Getting started" tutorial does.
//!
//! ```text
//! cargo run -p spotify-web-ureq --example get_artist -- [--json] [ID | spotify:artist:ID | https://open.spotify.com/artist/ID]
//! ```
//!
//! With `SPOTIFY_CLIENT_ID` and `SPOTIFY_CLIENT_SECRET` set, it asks Spotify. Without them it
//! starts the local emulator in this process and asks it, so it runs offline.

use std::process::ExitCode;

use spotify_web_emulator::Emulator;
use spotify_web_ureq::Client;
use spotify_web_ureq::auth::ClientCredentials;
use spotify_web_ureq::id::ArtistId;
use spotify_web_ureq::model::Artist;

const USAGE: &str = "usage: get_artist [--json] [ARTIST]   (ARTIST: an ID, a spotify:artist: URI or an open.spotify.com link; default: Radiohead)";

fn main() -> ExitCode {
    let mut json = false;
    let mut input = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if input.is_none() => input = Some(arg),
            _ => {
                eprintln!("error: one artist at a time\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let input = input.unwrap_or_else(|| "4Z8W4fKeB5YxbusRsdQVPb".into());
    let id: ArtistId = match input.parse() {
        Ok(id) => id,
        Err(e) => {
            eprintln!("error: {input:?}: {e}");
            return ExitCode::from(2);
        }
    };

    // Keep the emulator alive for as long as the client uses it.
    let (client, _emulator) = match (
        std::env::var("SPOTIFY_CLIENT_ID"),
        std::env::var("SPOTIFY_CLIENT_SECRET"),
    ) {
        (Ok(client_id), Ok(secret)) => match Client::new(ClientCredentials::new(client_id, secret))
        {
            Ok(client) => (client, None),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
        _ => {
            let emulator = match Emulator::start() {
                Ok(emulator) => emulator,
                Err(e) => {
                    eprintln!("error: could not start the local emulator: {e}");
                    return ExitCode::FAILURE;
                }
            };
            eprintln!(
                "SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET are not set: asking the local emulator at {} instead of Spotify",
                emulator.url()
            );
            let credentials =
                ClientCredentials::new(emulator.client_id(), emulator.client_secret());
            match Client::with_base_urls(credentials, emulator.accounts_url(), emulator.api_url()) {
                Ok(client) => (client, Some(emulator)),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };

    let artist = match client.send(spotify_web_ureq::GetArtist::new(id)) {
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
    } else {
        print_artist(&artist);
    }
    ExitCode::SUCCESS
}

fn print_artist(artist: &Artist) {
    println!("{}", artist.name);
    if !artist.genres.is_empty() {
        println!("  genres:     {}", artist.genres.join(", "));
    }
    if let Some(total) = artist.followers.as_ref().and_then(|f| f.total) {
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
}
