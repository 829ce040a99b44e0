//! Searches the catalog and prints what it finds, walking pages up to a cap.
//!
//! ```text
//! cargo run -p spotify-web-ureq --example search -- "artist:radiohead" --type artist [--type track] [--max 20]
//! ```
//!
//! `q` takes Spotify's field filters (`artist:`, `album:`, `track:`, `year:1990-1999`,
//! `genre:`, `isrc:`, `upc:`, `tag:new`, `tag:hipster`). With `SPOTIFY_CLIENT_ID` and
//! `SPOTIFY_CLIENT_SECRET` set, it asks Spotify; without them, the local emulator.

use std::process::ExitCode;

use spotify_web_emulator::Emulator;
use spotify_web_ureq::Client;
use spotify_web_ureq::Endpoint;
use spotify_web_ureq::auth::ClientCredentials;
use spotify_web_ureq::endpoint::{NextPage, Search, SearchType};
use spotify_web_ureq::model::Page;

const USAGE: &str =
    "usage: search QUERY [--type artist|album|track|playlist|show|episode|audiobook]... [--max N]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut query, mut types, mut max) = (None, Vec::new(), 20usize);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--type" => {
                let name = args.next().ok_or("--type needs a kind")?;
                types.push(
                    name.parse::<SearchType>()
                        .map_err(|e| format!("{name:?}: {e}"))?,
                );
            }
            "--max" => {
                let value = args.next().ok_or("--max needs a number")?;
                max = value
                    .parse()
                    .map_err(|_| format!("--max takes a number, not {value:?}"))?;
            }
            _ if query.is_none() => query = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let query = query.ok_or("no query given")?;
    if types.is_empty() {
        types.push(SearchType::Artist);
    }

    let (client, _emulator) = client().map_err(|e| e.to_string())?;
    let search = Search::new(query.as_str(), types.clone())
        .map_err(|e| e.to_string())?
        .limit(10);
    let results = client.send(search).map_err(|e| e.to_string())?;
    // Each kind's first page came with the results; the rest are fetched as needed.
    let show = Printer {
        client: &client,
        max,
    };
    show.kind("artists", results.artists, |a| a.name)?;
    show.kind("albums", results.albums, |a| a.name)?;
    show.kind("tracks", results.tracks, |t| {
        let artists: Vec<String> = t.artists.into_iter().map(|a| a.name).collect();
        format!("{} ({})", t.name, artists.join(", "))
    })?;
    show.kind("playlists", results.playlists, |p| p.name)?;
    show.kind("shows", results.shows, |s| s.name)?;
    show.kind("episodes", results.episodes, |e| e.name)?;
    show.kind("audiobooks", results.audiobooks, |b| b.name)?;
    Ok(())
}

/// Prints up to `max` items of one kind, following the pages.
struct Printer<'a> {
    client: &'a Client,
    max: usize,
}

impl Printer<'_> {
    fn kind<T>(
        &self,
        title: &str,
        page: Option<Page<T>>,
        name: impl Fn(T) -> String,
    ) -> Result<(), String>
    where
        NextPage<T>: Endpoint<Output = Page<T>>,
    {
        let Some(page) = page else { return Ok(()) };
        println!("{title}:");
        for item in self.client.items_from(page).max_items(self.max) {
            println!("  {}", name(item.map_err(|e| e.to_string())?));
        }
        Ok(())
    }
}

/// Spotify with credentials from the environment, or else an emulator in this process.
fn client() -> Result<(Client, Option<Emulator>), Box<dyn std::error::Error>> {
    if let (Ok(id), Ok(secret)) = (
        std::env::var("SPOTIFY_CLIENT_ID"),
        std::env::var("SPOTIFY_CLIENT_SECRET"),
    ) {
        return Ok((Client::new(ClientCredentials::new(id, secret))?, None));
    }
    let emulator = Emulator::start()?;
    eprintln!(
        "no credentials set: searching the local emulator at {}",
        emulator.url()
    );
    let credentials = ClientCredentials::new(emulator.client_id(), emulator.client_secret());
    let client = Client::with_base_urls(credentials, emulator.accounts_url(), emulator.api_url())?;
    Ok((client, Some(emulator)))
}
