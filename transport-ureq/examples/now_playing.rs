//! Shows what plays and its progress, once a second.
//!
//! ```text
//! cargo run -p spotify-web-ureq --example now_playing -- [--seconds N] [--token-file PATH]
//! ```
//!
//! With `SPOTIFY_CLIENT_ID` set it acts for the user whose login the `login` example saved
//! (with the `user-read-playback-state` scope). Without it, it signs in to the local emulator,
//! starts an album on the demo user's speaker and watches it, so it runs offline. It stops
//! after N seconds (default 3 on the emulator, 30 otherwise).

mod support;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use spotify_web_emulator::Emulator;
use spotify_web_ureq::access::User;
use spotify_web_ureq::auth::Scope;
use spotify_web_ureq::endpoint::{
    GetAvailableDevices, GetPlaybackState, StartPlayback, TransferPlayback,
};
use spotify_web_ureq::model::{PlayableItem, PlaybackState};
use spotify_web_ureq::{Client, Error, Reason};

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
    let (mut seconds, mut token_file) = (None, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = Some(
                    args.next()
                        .and_then(|s| s.parse::<u64>().ok())
                        .ok_or("--seconds takes a number")?,
                );
            }
            "--token-file" => {
                token_file = Some(PathBuf::from(
                    args.next().ok_or("--token-file takes a path")?,
                ))
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let (client, seconds, _emulator) = match std::env::var("SPOTIFY_CLIENT_ID") {
        Ok(id) => {
            let client = support::saved_login(id, token_file)?;
            (client, seconds.unwrap_or(30), None)
        }
        Err(_) => {
            let emulator = Emulator::start().map_err(|e| e.to_string())?;
            eprintln!(
                "SPOTIFY_CLIENT_ID is not set: using the local emulator at {}",
                emulator.url()
            );
            let client = support::emulator_login(
                &emulator,
                [Scope::UserReadPlaybackState, Scope::UserModifyPlaybackState],
            )?;
            start_an_album(&client)?;
            (client, seconds.unwrap_or(3), Some(emulator))
        }
    };

    for tick in 0..seconds {
        if tick > 0 {
            std::thread::sleep(Duration::from_secs(1));
        }
        match client.send(GetPlaybackState::new().with_episodes()) {
            Ok(Some(state)) => println!("{}", line(&state)),
            Ok(None) => println!("nothing is playing"),
            Err(error) if error.reason_kind() == Some(Reason::NoActiveDevice) => {
                println!("no active device: open Spotify somewhere");
            }
            Err(error) => return Err(error.to_string()),
        }
    }
    Ok(())
}

/// "▶ 1:05 / 3:48  Title — Artist (on Kitchen speaker)"
fn line(state: &PlaybackState) -> String {
    let clock = |ms: u64| format!("{}:{:02}", ms / 60_000, ms / 1000 % 60);
    let (title, duration) = match &state.item {
        Some(PlayableItem::Track(track)) => {
            let artists: Vec<&str> = track.artists.iter().map(|a| a.name.as_str()).collect();
            (
                format!("{} — {}", track.name, artists.join(", ")),
                track.duration_ms,
            )
        }
        Some(PlayableItem::Episode(episode)) => (episode.name.clone(), episode.duration_ms),
        _ => (format!("({})", state.currently_playing_type), 0),
    };
    let device = state
        .device
        .as_ref()
        .map(|d| format!(" (on {})", d.name))
        .unwrap_or_default();
    format!(
        "{} {} / {}  {title}{device}",
        if state.is_playing { "▶" } else { "⏸" },
        clock(state.progress_ms.unwrap_or(0)),
        clock(duration),
    )
}

/// On the emulator: the demo user's speaker plays an album.
fn start_an_album(client: &Client<User>) -> Result<(), String> {
    let devices = client
        .send(GetAvailableDevices::new())
        .map_err(|e| e.to_string())?;
    let speaker = devices
        .iter()
        .find_map(|d| d.id.clone())
        .ok_or("the emulator has no device")?;
    client
        .send(TransferPlayback::new(speaker))
        .map_err(|e| e.to_string())?;
    let album: spotify_web_ureq::id::ContextUri = "spotify:album:0sNOF9WDwhWunNAHPD3Baj"
        .parse()
        .map_err(|e: spotify_web_ureq::id::IdError| e.to_string())?;
    client
        .send(
            StartPlayback::context(album)
                .offset_position(1)
                .position_ms(61_000),
        )
        .map_err(|e: Error| e.to_string())
}
