//! The sans-IO core of a Spotify Web API client.
//!
//! This crate builds the requests for Spotify's accounts service and Web API, and reads their
//! answers into typed results and typed errors. It never opens a socket, reads a clock or draws
//! a random number: a transport moves the bytes, and time comes in from the caller. The
//! [`session`] module holds what every transport would otherwise repeat: token reuse and
//! refresh, and the retry policy, as a state machine that tells its driver what to do next.
//!
//! # Example: the "Getting started" flow, offline
//!
//! The tutorial asks for a client-credentials token, then for an artist. Here the answers are
//! canned bytes; a transport would send the requests and hand back what Spotify said.
//!
//! ```
//! use spotify_web_core::auth::{AccessToken, ClientCredentials};
//! use spotify_web_core::endpoint::{Endpoint, GetArtist};
//! use spotify_web_core::message::Response;
//! use spotify_web_core::time::Instant;
//! use spotify_web_core::url::BaseUrl;
//!
//! let now = Instant::from_secs(0);
//! let credentials = ClientCredentials::new("your-client-id", "your-client-secret");
//! let request = credentials.token_request(&BaseUrl::spotify_accounts());
//! assert_eq!(request.url(), "https://accounts.spotify.com/api/token");
//!
//! let answer = br#"{"access_token":"BQDBKJ5eo5jxbtpWjVOj7ryS84khybFpP_lTqzV7uV-T_m0cTfwvdn5BnBSKPxKgEb11",
//!                   "token_type":"Bearer","expires_in":3600}"#;
//! let token = AccessToken::from_response(&Response::new(200, answer), now)?;
//!
//! let get_artist = GetArtist::new("https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb".parse()?);
//! let request = token.authorize(get_artist.request(&BaseUrl::spotify_api()));
//! assert_eq!(request.url(), "https://api.spotify.com/v1/artists/4Z8W4fKeB5YxbusRsdQVPb");
//! assert!(request.header("authorization").unwrap().starts_with("Bearer BQDBKJ5e"));
//!
//! let answer = br#"{"id":"4Z8W4fKeB5YxbusRsdQVPb","name":"Radiohead","genres":["art rock"],
//!                   "followers":{"href":null,"total":7625607},"popularity":79}"#;
//! let artist = get_artist.parse(&Response::new(200, answer))?;
//! assert_eq!(artist.name, "Radiohead");
//! assert_eq!(artist.followers.and_then(|f| f.total), Some(7625607));
//! # Ok::<(), spotify_web_core::Error>(())
//! ```
//!
//! # Features
//!
//! - `http` (default, implies `std`): a [`message::Request`] converts into
//!   `http::Request<Vec<u8>>`, and `&http::Response<B>` into a [`message::Response`].
//! - `std`: nothing else yet; without default features the crate is `no_std` + `alloc`.

#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(clippy::exhaustive_enums, clippy::exhaustive_structs)]
// Only this crate is no_std, so only here do these keep `std` paths out.
#![warn(
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    clippy::alloc_instead_of_core
)]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

pub mod access;
pub mod auth;
mod budget;
mod encode;
pub mod endpoint;
pub mod error;
pub mod id;
pub mod message;
pub mod model;
mod response;
mod retry_after;
mod secret;
pub mod session;
pub mod store;
pub mod time;
pub mod url;

pub use endpoint::{Endpoint, GetArtist};
pub use error::Error;
pub use id::ArtistId;
pub use model::Page;
pub use session::{Session, Step};
