//! Runs the profile web app: `cargo run -p spotify-web-profile`, then open the address it
//! prints.
//!
//! - With `SPOTIFY_CLIENT_ID` set (a Spotify app whose redirect URIs include
//!   `http://127.0.0.1:8888/callback`), it signs users in with Spotify; without, with the
//!   embedded emulator's sign-in page and its two demo users.
//! - With `REDIS_URL` set (`redis://127.0.0.1/`), tokens and the rate limit live in Redis, and
//!   any number of instances (each on its own `PORT`) serve the same users.

use std::net::{Ipv4Addr, SocketAddr};

use spotify_web_emulator::Emulator;
use spotify_web_profile::{App, Settings, StartError, start};

#[tokio::main]
async fn main() -> Result<(), StartError> {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse()?,
        Err(_) => 8888,
    };
    let public_url = format!("http://127.0.0.1:{port}");
    let redis_url = std::env::var("REDIS_URL").ok();
    let redis_prefix =
        std::env::var("REDIS_PREFIX").unwrap_or_else(|_| "spotify-web-profile".into());
    // Kept alive for as long as the app runs.
    let mut emulator = None;
    let settings = match std::env::var("SPOTIFY_CLIENT_ID") {
        Ok(client_id) => Settings {
            client_id,
            accounts_url: "https://accounts.spotify.com".into(),
            api_url: "https://api.spotify.com/v1".into(),
            public_url,
            redis_url,
            redis_prefix,
        },
        Err(_) => {
            let started = Emulator::builder().sign_in_page(true).start()?;
            println!(
                "SPOTIFY_CLIENT_ID is not set: signing in with the local emulator at {} instead of Spotify",
                started.url()
            );
            let settings = Settings {
                client_id: started.client_id().into(),
                accounts_url: started.accounts_url().into(),
                api_url: started.api_url().into(),
                public_url,
                redis_url,
                redis_prefix,
            };
            emulator = Some(started);
            settings
        }
    };
    let redis = settings.redis_url.is_some();
    let app = App::new(settings).await?;
    let address = start(app, SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    println!(
        "the profile app listens on http://{address}/ (tokens in {}); Ctrl-C stops it",
        if redis { "Redis" } else { "memory" }
    );
    tokio::signal::ctrl_c().await?;
    drop(emulator);
    Ok(())
}
