//! What the examples that act for a user share: signing in, to the emulator (playing the
//! browser's part) or from the token file the `login` example saved.

use std::path::PathBuf;

use spotify_web_emulator::Emulator;
use spotify_web_ureq::access::User;
use spotify_web_ureq::auth::{
    AuthorizeUrl, ClientId, RedirectUri, Scope, UserClient, parse_callback,
};
use spotify_web_ureq::session::Config;
use spotify_web_ureq::url::BaseUrl;
use spotify_web_ureq::{Client, FileTokenStore, random};

/// A client for the user whose login the `login` example saved in `file` (or its default
/// file), for the app `client_id`.
pub(crate) fn saved_login(
    client_id: String,
    file: Option<PathBuf>,
) -> Result<Client<User>, String> {
    let file = file.unwrap_or_else(|| std::env::temp_dir().join("spotify-web-login.json"));
    Client::user_builder(
        UserClient::pkce(ClientId::new(client_id)),
        FileTokenStore::new(&file),
    )
    .build()
    .map_err(|e| format!("{e} (sign in first with the login example)"))
}

/// Signs the emulator's demo user in with these scopes, playing the browser's part; the
/// tokens live in a temporary file that is removed at once.
pub(crate) fn emulator_login(
    emulator: &Emulator,
    scopes: impl IntoIterator<Item = Scope>,
) -> Result<Client<User>, String> {
    let config = Config::default()
        .with_accounts_url(BaseUrl::new(emulator.accounts_url()).map_err(|e| e.to_string())?)
        .with_api_url(BaseUrl::new(emulator.api_url()).map_err(|e| e.to_string())?);
    let user = UserClient::pkce(ClientId::new(emulator.client_id()));
    let redirect = RedirectUri::new("http://127.0.0.1:8888/callback").map_err(|e| e.to_string())?;
    let state = random::csrf_state().map_err(|e| e.to_string())?;
    let verifier = random::pkce_verifier().map_err(|e| e.to_string())?;
    let url = AuthorizeUrl::new(user.id(), &redirect, &state)
        .scopes(scopes)
        .pkce(&verifier)
        .build(config.accounts_url());
    let callback = emulator.approve(&url).map_err(|e| e.to_string())?;
    let code = parse_callback(&callback, &state).map_err(|e| e.to_string())?;
    let file =
        std::env::temp_dir().join(format!("spotify-web-example-{}.json", std::process::id()));
    let client = Client::user_builder(user, FileTokenStore::new(&file))
        .config(config)
        .login(code, &redirect, Some(&verifier))
        .map_err(|e| e.to_string());
    let _ = std::fs::remove_file(&file);
    client
}
