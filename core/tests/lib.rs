//! Fixture tests: real answers recorded from Spotify (see `fixtures/SOURCES.md`), read through
//! the public API.

/// A recorded answer's bytes, by its name in `fixtures/`.
macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/", $name, ".json"))
    };
}

/// A 200 answer with this body.
fn ok(body: &[u8]) -> spotify_web_core::message::Response<'_> {
    spotify_web_core::message::Response::new(200, body)
}

mod catalog;
mod catalog_more;
mod corpus;
mod fixtures;
mod library;
mod player;
mod playlists;
mod properties;
mod requests;
