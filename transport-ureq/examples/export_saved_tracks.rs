//! Exports the user's saved tracks to a JSON Lines file, one saved track per line (when it was
//! saved, and the track), with a progress bar that knows the total from the first page.
//!
//! ```text
//! cargo run -p spotify-web-ureq --example export_saved_tracks -- [--out PATH] [--token-file PATH]
//! ```
//!
//! With `SPOTIFY_CLIENT_ID` set it acts for the user whose login the `login` example saved in
//! the token file (with the `user-library-read` scope). Without it, it signs in to the local
//! emulator, saves the tracks of the demo user's listening history there first, and exports
//! those, so it runs offline. The file defaults to `saved-tracks.jsonl` in the temporary folder.

mod support;

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use spotify_web_emulator::Emulator;
use spotify_web_ureq::Client;
use spotify_web_ureq::access::User;
use spotify_web_ureq::auth::Scope;
use spotify_web_ureq::endpoint::{GetRecentlyPlayed, GetSavedTracks, SaveItemsToLibrary};
use spotify_web_ureq::id::SpotifyUri;

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
    let (mut out, mut token_file) = (None, None);
    while let Some(arg) = args.next() {
        let mut path = || {
            args.next()
                .map(PathBuf::from)
                .ok_or(format!("{arg} takes a path"))
        };
        match arg.as_str() {
            "--out" => out = Some(path()?),
            "--token-file" => token_file = Some(path()?),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let out = out.unwrap_or_else(|| std::env::temp_dir().join("saved-tracks.jsonl"));

    let (client, _emulator) = match std::env::var("SPOTIFY_CLIENT_ID") {
        Ok(id) => (support::saved_login(id, token_file)?, None),
        Err(_) => {
            let emulator = Emulator::start().map_err(|e| e.to_string())?;
            eprintln!(
                "SPOTIFY_CLIENT_ID is not set: using the local emulator at {}",
                emulator.url()
            );
            let client = support::emulator_login(
                &emulator,
                [
                    Scope::UserLibraryRead,
                    Scope::UserLibraryModify,
                    Scope::UserReadRecentlyPlayed,
                ],
            )?;
            save_the_history(&client)?;
            (client, Some(emulator))
        }
    };

    let mut file =
        BufWriter::new(File::create(&out).map_err(|e| format!("{}: {e}", out.display()))?);
    let bar = ProgressBar::no_length().with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} saved tracks, {eta} left")
            .map_err(|e| e.to_string())?,
    );
    let mut tracks = client.items(GetSavedTracks::new().limit(50));
    let mut written = 0;
    while let Some(saved) = tracks.next() {
        let saved = saved.map_err(|e| e.to_string())?;
        // The first page says how many there are: the bar gets its length then.
        if let Some(total) = tracks.total() {
            bar.set_length(total as u64);
        }
        serde_json::to_writer(&mut file, &saved).map_err(|e| e.to_string())?;
        file.write_all(b"\n").map_err(|e| e.to_string())?;
        written += 1;
        bar.inc(1);
    }
    file.flush().map_err(|e| e.to_string())?;
    bar.finish();
    println!("wrote {written} saved tracks to {}", out.display());
    Ok(())
}

/// On the emulator: saves every track of the demo user's listening history, 40 to a request.
fn save_the_history(client: &Client<User>) -> Result<(), String> {
    let mut seen = HashSet::new();
    let mut uris: Vec<SpotifyUri> = Vec::new();
    for play in client.walk(GetRecentlyPlayed::new().limit(50)) {
        let play = play.map_err(|e| e.to_string())?;
        if seen.insert(play.track.id) {
            uris.push(play.track.id.into());
        }
    }
    for save in SaveItemsToLibrary::chunked(uris) {
        client.send(save).map_err(|e| e.to_string())?;
    }
    Ok(())
}
