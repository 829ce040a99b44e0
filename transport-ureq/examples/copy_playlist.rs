//! Copies a playlist: reads every item, creates the copy, and adds the items in chunks of 100,
//! printing progress per chunk.
//!
//! ```text
//! cargo run -p spotify-web-ureq --example copy_playlist -- [PLAYLIST] [--token-file PATH]
//! ```
//!
//! With `SPOTIFY_CLIENT_ID` set it acts for the user whose login the `login` example saved in
//! the token file, and copies PLAYLIST (an ID, URI or link; the user must own it or collaborate
//! on it, as development-mode apps may read no other playlist's items). Without it, it signs in
//! to the local emulator, makes a 230-item playlist there and copies that, so it runs offline.

mod support;

use std::path::PathBuf;
use std::process::ExitCode;

use spotify_web_emulator::{Emulator, OTHER_PLAYLIST};
use spotify_web_ureq::Client;
use spotify_web_ureq::access::User;
use spotify_web_ureq::auth::Scope;
use spotify_web_ureq::endpoint::{
    AddItemsToPlaylist, CreatePlaylist, GetPlaylist, GetPlaylistItems,
};
use spotify_web_ureq::id::{PlayableUri, PlaylistId};
use spotify_web_ureq::model::PlayableItem;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut source, mut token_file) = (None, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--token-file" => {
                token_file = Some(PathBuf::from(
                    args.next().ok_or("--token-file takes a path")?,
                ));
            }
            other if source.is_none() => {
                source = Some(other.parse::<PlaylistId>().map_err(|e| e.to_string())?);
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }

    let (client, source, _emulator) = match std::env::var("SPOTIFY_CLIENT_ID") {
        Ok(id) => {
            let source = source.ok_or("give the playlist to copy")?;
            let client = support::saved_login(id, token_file)?;
            (client, source, None)
        }
        Err(_) => {
            let emulator = Emulator::start().map_err(|e| e.to_string())?;
            eprintln!(
                "SPOTIFY_CLIENT_ID is not set: using the local emulator at {}",
                emulator.url()
            );
            let client = support::emulator_login(
                &emulator,
                [Scope::PlaylistReadPrivate, Scope::PlaylistModifyPrivate],
            )?;
            let source = match source {
                Some(source) => source,
                None => demo_playlist(&client, &emulator)?,
            };
            (client, source, Some(emulator))
        }
    };

    // Read every item, page by page.
    let original = client
        .send(GetPlaylist::new(source))
        .map_err(|e| e.to_string())?;
    let mut uris = Vec::new();
    let mut skipped = 0;
    for entry in client.items(GetPlaylistItems::new(source).limit(50)) {
        let entry = entry.map_err(|e| e.to_string())?;
        match entry.item {
            Some(PlayableItem::Track(track)) => uris.push(PlayableUri::Track(track.id)),
            Some(PlayableItem::Episode(episode)) => uris.push(PlayableUri::Episode(episode.id)),
            // Local files and unavailable items cannot be added through the Web API.
            _ => skipped += 1,
        }
    }
    println!(
        "read {} items of {:?} ({skipped} skipped)",
        uris.len(),
        original.name
    );

    // Make the copy, then add in chunks of 100, in order.
    let copy = client
        .send(
            CreatePlaylist::new(format!("Copy of {}", original.name))
                .public(false)
                .description(format!("Copied from {}", source.url())),
        )
        .map_err(|e| e.to_string())?;
    let chunks = AddItemsToPlaylist::chunked(copy.id, uris.clone(), None);
    let total = chunks.len();
    let mut added = 0;
    for (i, chunk) in chunks.into_iter().enumerate() {
        added += chunk.uris().len();
        // Adding is not idempotent: if an answer is lost, the client does not send it again
        // and this fails, rather than adding the chunk twice.
        client.send(chunk).map_err(|e| e.to_string())?;
        println!(
            "chunk {}/{total}: {added}/{} items added",
            i + 1,
            uris.len()
        );
    }
    println!("copied to {} ({})", copy.name, copy.id.url());
    Ok(())
}

/// A 230-item playlist in the emulator, from the tracks of the other user's playlist.
fn demo_playlist(client: &Client<User>, emulator: &Emulator) -> Result<PlaylistId, String> {
    let tracks: Vec<PlayableUri> = emulator
        .playlist_items(OTHER_PLAYLIST)
        .unwrap_or_default()
        .iter()
        .filter_map(|uri| uri.parse().ok())
        .collect();
    let playlist = client
        .send(CreatePlaylist::new("Road trip").public(false))
        .map_err(|e| e.to_string())?;
    let items: Vec<PlayableUri> = tracks.iter().cycle().take(230).copied().collect();
    for chunk in AddItemsToPlaylist::chunked(playlist.id, items, None) {
        client.send(chunk).map_err(|e| e.to_string())?;
    }
    println!("made a 230-item playlist to copy in the emulator");
    Ok(playlist.id)
}
