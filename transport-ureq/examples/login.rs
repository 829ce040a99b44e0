//! Signs a user in with the authorization-code flow (PKCE, or with the client secret if
//! `SPOTIFY_CLIENT_SECRET` is set), keeps the tokens in a file, and prints the user.
//!
//! ```text
//! cargo run -p spotify-web-ureq --example login -- [--port 8888] [--token-file PATH]
//! ```
//!
//! It listens on `http://127.0.0.1:PORT/callback` for the browser to come back (register that
//! redirect URI for the app). With `SPOTIFY_CLIENT_ID` set it prints the URL to open; without
//! it, it starts the local emulator and plays the browser itself, so it runs offline. A saved
//! login is reused until its refresh token stops working.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use spotify_web_emulator::Emulator;
use spotify_web_ureq::auth::{AuthorizeUrl, RedirectUri, Scope, UserClient, parse_callback};
use spotify_web_ureq::auth::{ClientId, ClientSecret};
use spotify_web_ureq::endpoint::GetCurrentUser;
use spotify_web_ureq::session::Config;
use spotify_web_ureq::url::BaseUrl;
use spotify_web_ureq::{Client, FileTokenStore, random};

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
    let (mut port, mut token_file) = (None, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let number = args.next().and_then(|p| p.parse::<u16>().ok());
                port = Some(number.ok_or("--port takes a port number")?);
            }
            "--token-file" => {
                token_file = Some(PathBuf::from(
                    args.next().ok_or("--token-file takes a path")?,
                ))
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }

    let (emulator, id, secret) = match std::env::var("SPOTIFY_CLIENT_ID") {
        Ok(id) => (None, id, std::env::var("SPOTIFY_CLIENT_SECRET").ok()),
        Err(_) => {
            let emulator = Emulator::start().map_err(|e| e.to_string())?;
            eprintln!(
                "SPOTIFY_CLIENT_ID is not set: signing in to the local emulator at {}",
                emulator.url()
            );
            let id = emulator.client_id().to_owned();
            (Some(emulator), id, None)
        }
    };
    let config = match &emulator {
        Some(emulator) => Config::default()
            .with_accounts_url(BaseUrl::new(emulator.accounts_url()).map_err(|e| e.to_string())?)
            .with_api_url(BaseUrl::new(emulator.api_url()).map_err(|e| e.to_string())?),
        None => Config::default(),
    };
    let user = match secret {
        Some(secret) => UserClient::confidential(ClientId::new(id), ClientSecret::new(secret)),
        None => UserClient::pkce(ClientId::new(id)),
    };
    let token_file = token_file.unwrap_or_else(|| match &emulator {
        Some(_) => std::env::temp_dir().join(format!(
            "spotify-web-emulator-login-{}.json",
            std::process::id()
        )),
        None => std::env::temp_dir().join("spotify-web-login.json"),
    });
    let store = FileTokenStore::new(&token_file);

    // A saved login first; a new one if there is none.
    let client = match Client::user_builder(user.clone(), store.clone())
        .config(config.clone())
        .build()
    {
        Ok(client) => {
            eprintln!("using the login saved in {}", token_file.display());
            client
        }
        Err(_) => {
            // Spotify needs the registered port; the emulator takes any free one.
            let port = port.unwrap_or(if emulator.is_some() { 0 } else { 8888 });
            let listener = TcpListener::bind(("127.0.0.1", port))
                .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
            let port = listener.local_addr().map_err(|e| e.to_string())?.port();
            let redirect = RedirectUri::new(&format!("http://127.0.0.1:{port}/callback"))
                .map_err(|e| e.to_string())?;
            // From the operating system's random source.
            let state = random::csrf_state().map_err(|e| e.to_string())?;
            let verifier = random::pkce_verifier().map_err(|e| e.to_string())?;
            let url = AuthorizeUrl::new(user.id(), &redirect, &state)
                .scopes([Scope::UserReadPrivate, Scope::UserReadEmail])
                .pkce(&verifier)
                .build(config.accounts_url());
            match &emulator {
                Some(emulator) => play_browser(emulator, &url)?,
                None => println!("Open this URL in a browser and approve the app:\n\n  {url}\n"),
            }
            let callback = wait_for_callback(&listener)?;
            let code = parse_callback(&callback, &state).map_err(|e| e.to_string())?;
            let client = Client::user_builder(user, store)
                .config(config)
                .login(code, &redirect, Some(&verifier))
                .map_err(|e| e.to_string())?;
            eprintln!(
                "signed in; the tokens are saved in {} (mode 0600)",
                token_file.display()
            );
            client
        }
    };

    let me = client
        .send(GetCurrentUser::new())
        .map_err(|e| e.to_string())?;
    println!(
        "{} ({})",
        me.display_name.as_deref().unwrap_or(&me.id),
        me.id
    );
    if let Some(email) = me.email {
        println!("  email:   {email}");
    }
    if let Some(product) = me.product {
        println!("  product: {product}");
    }
    if emulator.is_some() {
        // The emulator's tokens die with it: do not leave them behind.
        let _ = std::fs::remove_file(&token_file);
    }
    Ok(())
}

/// Waits for the browser's one request to the redirect URI, answers it, and returns its URL.
fn wait_for_callback(listener: &TcpListener) -> Result<String, String> {
    let (mut stream, _) = listener.accept().map_err(|e| e.to_string())?;
    let mut line = String::new();
    BufReader::new(&stream)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let target = line
        .split_whitespace()
        .nth(1)
        .ok_or("the browser sent no request line")?
        .to_owned();
    let page = "<html><body>Signed in. You can close this window.</body></html>";
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
        page.len()
    );
    stream
        .write_all(answer.as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(format!("http://127.0.0.1{target}"))
}

/// Plays the user's browser against the emulator: approve, then follow the redirect back to
/// our listener.
fn play_browser(emulator: &Emulator, url: &str) -> Result<(), String> {
    let back = emulator.approve(url).map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        let _ = ureq::get(&back).call();
    });
    Ok(())
}
