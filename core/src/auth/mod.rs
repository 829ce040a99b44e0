//! Tokens: an app's own (client credentials), and a user's (the authorization-code flow, with
//! or without a client secret, PKCE), and refreshing them.
//!
//! Everything is here at the top of `auth`; the files behind it are by concept: the client
//! (its ID and secret), tokens, PKCE, and the authorization-code flow's steps.
//!
//! The implicit grant is deprecated by Spotify and not offered. Randomness comes from the
//! caller: [`CsrfState::from_random`] and [`PkceVerifier::from_random`] take bytes from the
//! caller's random source.
//!
//! # Example: the PKCE flow, offline
//!
//! ```
//! use spotify_web_core::auth::{AccessToken, ClientId};
//! use spotify_web_core::auth::{AuthorizeUrl, PkceVerifier, RedirectUri, Scope, CsrfState, UserClient, parse_callback};
//! use spotify_web_core::message::Response;
//! use spotify_web_core::time::Instant;
//! use spotify_web_core::url::BaseUrl;
//!
//! let client = UserClient::pkce(ClientId::new("my-client-id"));
//! let redirect = RedirectUri::new("http://127.0.0.1:8888/callback")?;
//! let state = CsrfState::from_random(&[7; 16])?; // from the OS's random source in real code
//! let verifier = PkceVerifier::from_random(&[42; 32])?;
//! let url = AuthorizeUrl::new(client.id(), &redirect, &state)
//!     .scopes([Scope::UserReadPrivate])
//!     .pkce(&verifier)
//!     .build(&BaseUrl::spotify_accounts());
//! assert!(url.starts_with("https://accounts.spotify.com/authorize?client_id=my-client-id&response_type=code"));
//!
//! // The user approves; the browser comes back to the redirect URI.
//! let back = format!("http://127.0.0.1:8888/callback?code=AQD_code&state={}", state.as_str());
//! let code = parse_callback(&back, &state)?;
//! let exchange = client.code_exchange(&BaseUrl::spotify_accounts(), code, &redirect, Some(&verifier))?;
//! assert_eq!(exchange.request().url(), "https://accounts.spotify.com/api/token");
//!
//! let answer = br#"{"access_token":"BQ","token_type":"Bearer","expires_in":3600,"refresh_token":"AQ","scope":"user-read-private"}"#;
//! let token = exchange.finish(&Response::new(200, answer), Instant::ZERO)?;
//! assert_eq!(token.refresh_token().map(|r| r.secret()), Some("AQ"));
//! # Ok::<(), spotify_web_core::Error>(())
//! ```

mod authorize;
mod client;
mod pkce;
mod token;

pub use authorize::{
    AuthorizationCode, AuthorizeUrl, CallbackError, CodeExchange, CsrfState, RedirectUri, Scope,
    parse_callback,
};
pub use client::{ClientAuth, ClientCredentials, ClientId, ClientSecret, UserClient};
pub use pkce::PkceVerifier;
pub use token::{AccessToken, RefreshToken};
